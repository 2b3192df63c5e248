//! Reports as compact JSON lines for `--format jsonl`, byte for byte what
//! `serde_json::to_writer` writes for them.
//!
//! A scan of short letters writes about two bytes of JSON per byte of notice, and serde
//! spends most of that on its per-field machinery: a report has some 350 keys, each
//! escaped a byte at a time like any string. Here the keys are literals, numbers are
//! written directly, and a string is first checked whole for bytes to escape, 16 at a time
//! (nearly all have none), then copied at once. The
//! tests compare every field of every report type with serde_json's output; a field added
//! to a report type must be added here too (the tests' struct literals will not compile
//! until it is).

use noticelint::Report;
use noticelint::report::{DataTypeFinding, Disclosure, DocumentInfo, Element, ErrorRecord, Evidence, Flag, HedgeFinding, Metrics};

/// Appends `r` as one compact JSON object (no newline).
pub fn write_report(out: &mut Vec<u8>, r: &Report) {
    out.extend_from_slice(b"{\"schema\":");
    write_str(out, &r.schema);
    out.extend_from_slice(b",\"document\":");
    document(out, &r.document);
    if !r.warnings.is_empty() {
        out.extend_from_slice(b",\"warnings\":");
        list(out, &r.warnings, |out, w| write_str(out, w));
    }
    out.extend_from_slice(b",\"data_types\":");
    list(out, &r.data_types, data_type);
    out.extend_from_slice(b",\"hedges\":");
    list(out, &r.hedges, hedge);
    let d = &r.disclosures;
    out.extend_from_slice(b",\"disclosures\":{\"exfiltration\":");
    disclosure(out, &d.exfiltration);
    out.extend_from_slice(b",\"ransomware\":");
    disclosure(out, &d.ransomware);
    out.extend_from_slice(b",\"threat_actor_claim\":");
    disclosure(out, &d.threat_actor_claim);
    out.extend_from_slice(b",\"publication\":");
    disclosure(out, &d.publication);
    let e = &r.elements;
    out.extend_from_slice(b"},\"elements\":{\"what_happened\":");
    element(out, &e.what_happened);
    out.extend_from_slice(b",\"breach_date\":");
    element(out, &e.breach_date);
    out.extend_from_slice(b",\"discovery_date\":");
    element(out, &e.discovery_date);
    out.extend_from_slice(b",\"notice_date\":");
    element(out, &e.notice_date);
    out.extend_from_slice(b",\"information_involved\":");
    element(out, &e.information_involved);
    out.extend_from_slice(b",\"entity_actions\":");
    element(out, &e.entity_actions);
    out.extend_from_slice(b",\"individual_steps\":");
    element(out, &e.individual_steps);
    out.extend_from_slice(b",\"contact\":");
    element(out, &e.contact);
    out.extend_from_slice(b",\"credit_monitoring\":");
    element(out, &e.credit_monitoring);
    out.extend_from_slice(b",\"regulator_resources\":");
    element(out, &e.regulator_resources);
    out.extend_from_slice(b"},\"metrics\":");
    metrics(out, &r.metrics);
    out.extend_from_slice(b",\"flags\":");
    list(out, &r.flags, flag);
    out.push(b'}');
}

/// Appends `e` as one compact JSON object (no newline).
pub fn write_error(out: &mut Vec<u8>, e: &ErrorRecord) {
    out.extend_from_slice(b"{\"schema\":");
    write_str(out, &e.schema);
    out.extend_from_slice(b",\"document\":");
    document(out, &e.document);
    out.extend_from_slice(b",\"error\":{\"kind\":");
    write_str(out, &e.error.kind);
    out.extend_from_slice(b",\"message\":");
    write_str(out, &e.error.message);
    out.extend_from_slice(b"}}");
}

fn document(out: &mut Vec<u8>, d: &DocumentInfo) {
    out.extend_from_slice(b"{\"id\":");
    write_str(out, &d.id);
    if let Some(path) = &d.path {
        out.extend_from_slice(b",\"path\":");
        write_str(out, path);
    }
    out.extend_from_slice(b",\"format\":");
    write_str(out, &d.format);
    out.extend_from_slice(b",\"bytes\":");
    write_usize(out, d.bytes);
    out.push(b'}');
}

fn data_type(out: &mut Vec<u8>, t: &DataTypeFinding) {
    out.extend_from_slice(b"{\"id\":");
    write_str(out, &t.id);
    out.extend_from_slice(b",\"status\":");
    write_str(out, t.status.as_str());
    out.extend_from_slice(b",\"evidence\":");
    list(out, &t.evidence, evidence);
    out.push(b'}');
}

fn hedge(out: &mut Vec<u8>, h: &HedgeFinding) {
    out.extend_from_slice(b"{\"category\":");
    write_str(out, &h.category);
    out.extend_from_slice(b",\"rule\":");
    write_str(out, &h.rule);
    out.extend_from_slice(b",\"text\":");
    write_str(out, &h.text);
    span(out, h.start, h.end, h.line, h.column);
    out.push(b'}');
}

fn disclosure(out: &mut Vec<u8>, d: &Disclosure) {
    out.extend_from_slice(b"{\"status\":");
    write_str(out, d.status.as_str());
    out.extend_from_slice(b",\"evidence\":");
    list(out, &d.evidence, evidence);
    out.push(b'}');
}

fn element(out: &mut Vec<u8>, e: &Element) {
    out.extend_from_slice(if e.present { b"{\"present\":true" } else { b"{\"present\":false" });
    if let Some(value) = &e.value {
        out.extend_from_slice(b",\"value\":");
        write_str(out, value);
    }
    if let Some(end) = &e.end {
        out.extend_from_slice(b",\"end\":");
        write_str(out, end);
    }
    if !e.kinds.is_empty() {
        out.extend_from_slice(b",\"kinds\":");
        list(out, &e.kinds, |out, k| write_str(out, k));
    }
    out.extend_from_slice(b",\"evidence\":");
    list(out, &e.evidence, evidence);
    out.push(b'}');
}

fn metrics(out: &mut Vec<u8>, m: &Metrics) {
    out.extend_from_slice(b"{\"words\":");
    write_usize(out, m.words);
    out.extend_from_slice(b",\"sentences\":");
    write_usize(out, m.sentences);
    out.extend_from_slice(b",\"fk_grade\":");
    write_f64(out, m.fk_grade);
    out.extend_from_slice(b",\"flesch_reading_ease\":");
    write_f64(out, m.flesch_reading_ease);
    out.push(b'}');
}

fn flag(out: &mut Vec<u8>, f: &Flag) {
    out.extend_from_slice(b"{\"id\":");
    write_str(out, &f.id);
    out.extend_from_slice(b",\"severity\":");
    write_str(out, &f.severity);
    out.extend_from_slice(b",\"message\":");
    write_str(out, &f.message);
    if let Some(element) = &f.element {
        out.extend_from_slice(b",\"element\":");
        write_str(out, element);
    }
    out.extend_from_slice(b",\"evidence\":");
    list(out, &f.evidence, evidence);
    out.push(b'}');
}

fn evidence(out: &mut Vec<u8>, e: &Evidence) {
    out.extend_from_slice(b"{\"text\":");
    write_str(out, &e.text);
    span(out, e.start, e.end, e.line, e.column);
    if let Some(rule) = &e.rule {
        out.extend_from_slice(b",\"rule\":");
        write_str(out, rule);
    }
    out.push(b'}');
}

/// The `start`, `end`, `line` and `column` fields, in that order: assembled on the stack
/// and appended at once (every evidence span has them; one append, not eight). Written out
/// field by field so that each key is a fixed-size copy.
fn span(out: &mut Vec<u8>, start: usize, end: usize, line: usize, column: usize) {
    let mut buf = [0u8; 34 + 4 * 20];
    buf[..9].copy_from_slice(b",\"start\":");
    let mut n = 9;
    n += put_u64(&mut buf[n..], start as u64);
    buf[n..n + 7].copy_from_slice(b",\"end\":");
    n += 7;
    n += put_u64(&mut buf[n..], end as u64);
    buf[n..n + 8].copy_from_slice(b",\"line\":");
    n += 8;
    n += put_u64(&mut buf[n..], line as u64);
    buf[n..n + 10].copy_from_slice(b",\"column\":");
    n += 10;
    n += put_u64(&mut buf[n..], column as u64);
    out.extend_from_slice(&buf[..n]);
}

fn list<T>(out: &mut Vec<u8>, items: &[T], mut each: impl FnMut(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        each(out, item);
    }
    out.push(b']');
}

/// A number as serde_json writes it (shortest round-trip digits; `null` if not finite).
fn write_f64(out: &mut Vec<u8>, v: f64) {
    serde_json::to_writer(&mut *out, &v).expect("a number is written to memory");
}

fn write_usize(out: &mut Vec<u8>, v: usize) {
    write_u64(out, v as u64);
}

fn write_u64(out: &mut Vec<u8>, v: u64) {
    let mut digits = [0u8; 20];
    let n = put_u64(&mut digits, v);
    out.extend_from_slice(&digits[..n]);
}

/// Writes the decimal digits of `v` at the start of `buf` (room for 20), two at a time
/// from the end; returns how many.
#[inline(always)]
fn put_u64(buf: &mut [u8], mut v: u64) -> usize {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849\
                                5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";
    // Offsets, lines and columns have two to five digits: compare before taking a logarithm.
    let len = match v {
        0..10 => 1,
        10..100 => 2,
        100..1000 => 3,
        1000..10_000 => 4,
        _ => v.ilog10() as usize + 1,
    };
    let buf = &mut buf[..len];
    let mut i = len;
    while v >= 100 {
        let pair = (v % 100) as usize * 2;
        v /= 100;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if v >= 10 {
        let pair = v as usize * 2;
        buf[..2].copy_from_slice(&PAIRS[pair..pair + 2]);
    } else {
        buf[0] = b'0' + v as u8;
    }
    len
}

/// A JSON string as serde_json escapes it: `"` and `\`, control characters as `\b`, `\t`,
/// `\n`, `\f`, `\r` or `\u00xx`; everything else (all of non-ASCII) as it is.
fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    match clean(bytes) {
        true => out.extend_from_slice(bytes),
        false => write_escaped(out, bytes, next_escape(bytes, 0).expect("a byte to escape")),
    }
    out.push(b'"');
}

/// True if no byte of `bytes` needs escaping (nearly every string of a report). Only a
/// yes or no, so blocks may overlap: the last block ends at the end, and 16-byte blocks
/// are or-reduced in a way the compiler turns into vector compares.
fn clean(bytes: &[u8]) -> bool {
    let n = bytes.len();
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
    let half = |at: usize| u64::from(u32::from_le_bytes(bytes[at..at + 4].try_into().expect("four bytes")));
    match n {
        0 => true,
        1..4 => !bytes.iter().any(|&b| needs_escape(b)),
        4..8 => escape_flags(half(0) | half(n - 4) << 32) == 0,
        8..16 => escape_flags(word(0)) | escape_flags(word(n - 8)) == 0,
        _ => {
            let block = |b: &[u8; 16]| b.iter().fold(false, |any, &b| any | needs_escape(b));
            let sixteen = |b: &[u8]| -> [u8; 16] { b.try_into().expect("16 bytes") };
            let mut blocks = bytes.chunks_exact(16);
            !blocks.any(|b| block(&sixteen(b))) && (blocks.remainder().is_empty() || !block(&sixteen(&bytes[n - 16..])))
        }
    }
}

/// The rest of a string from its first byte to escape, `at`.
fn write_escaped(out: &mut Vec<u8>, bytes: &[u8], mut at: usize) {
    let mut run = 0;
    loop {
        out.extend_from_slice(&bytes[run..at]);
        let b = bytes[at];
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xF)]]);
            }
        }
        run = at + 1;
        match next_escape(bytes, run) {
            Some(next) => at = next,
            None => break,
        }
    }
    out.extend_from_slice(&bytes[run..]);
}

fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// The first byte at or after `from` that needs escaping, eight bytes at a time.
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
    let mut i = from;
    while i + 8 <= bytes.len() {
        let flags = escape_flags(word(i));
        if flags != 0 {
            return Some(i + (flags.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    if i >= bytes.len() {
        return None;
    }
    if bytes.len() < 8 {
        return bytes[i..].iter().position(|&b| needs_escape(b)).map(|p| i + p);
    }
    // The last word, overlapping bytes before `i`: those become spaces, which flag nothing
    // and raise no borrow (one of them may be the escape just written).
    let base = bytes.len() - 8;
    let keep = u64::MAX << (8 * (i - base));
    let flags = escape_flags(word(base) & keep | u64::from_ne_bytes([b' '; 8]) & !keep);
    (flags != 0).then(|| base + (flags.trailing_zeros() / 8) as usize)
}

/// The high bit of each byte of `w` (little-endian) that is below 0x20 or is `"` or `\`,
/// by the classic has-less and has-zero tests. A borrow can flag a byte above a true hit,
/// never one below it, so the lowest flag is exact.
fn escape_flags(w: u64) -> u64 {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    let quote = w ^ (ONES * u64::from(b'"'));
    let backslash = w ^ (ONES * u64::from(b'\\'));
    (w.wrapping_sub(ONES * 0x20) & !w | quote.wrapping_sub(ONES) & !quote | backslash.wrapping_sub(ONES) & !backslash) & (ONES * 0x80)
}

#[cfg(test)]
mod tests {
    use noticelint::Report;
    use noticelint::report::{
        DataTypeFinding, Disclosure, Disclosures, DocumentInfo, Element, Elements, ErrorInfo, ErrorRecord, Evidence, Flag, HedgeFinding,
        Metrics,
    };
    use noticelint::taxonomy::Status;
    use proptest::strategy::Strategy;

    fn ours(r: &Report) -> String {
        let mut out = Vec::new();
        super::write_report(&mut out, r);
        String::from_utf8(out).unwrap()
    }

    fn escaped(s: &str) -> String {
        let mut out = Vec::new();
        super::write_str(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    fn evidence(text: &str, rule: Option<&str>) -> Evidence {
        Evidence { text: text.into(), start: 0, end: 18_446_744, line: 7, column: 1234, rule: rule.map(Into::into) }
    }

    fn element(present: bool, value: Option<&str>, end: Option<&str>, kinds: &[&str], evidence: Vec<Evidence>) -> Element {
        Element {
            present,
            value: value.map(Into::into),
            end: end.map(Into::into),
            kinds: kinds.iter().map(|k| (*k).into()).collect(),
            evidence,
        }
    }

    /// Every field of every type set (struct literals, so a new field must be named here),
    /// with strings that need escaping.
    fn full() -> Report {
        let ev = || vec![evidence("a \"quoted\"\n\tline\\", Some("data.ssn")), evidence("é’\u{1}", None)];
        let disclosure = |status| Disclosure { status, evidence: ev() };
        Report {
            schema: "noticelint.report/1".into(),
            document: DocumentInfo { id: "dir/a\"b".into(), path: Some("dir/a\"b.txt".into()), format: "text".into(), bytes: 3400 },
            warnings: vec!["not valid UTF-8".into(), String::new()],
            data_types: vec![
                DataTypeFinding { id: "ssn".into(), status: Status::Affirmed, evidence: ev() },
                DataTypeFinding { id: "name".into(), status: Status::Negated, evidence: Vec::new() },
            ],
            hedges: vec![HedgeFinding {
                category: "no_evidence_of_misuse".into(),
                rule: "hedge.x".into(),
                text: "We have no\nevidence.".into(),
                start: 1,
                end: 2,
                line: 3,
                column: 4,
            }],
            disclosures: Disclosures {
                exfiltration: disclosure(Status::Possible),
                ransomware: disclosure(Status::Absent),
                threat_actor_claim: disclosure(Status::Negated),
                publication: Disclosure::default(),
            },
            elements: Elements {
                what_happened: element(true, Some("v"), Some("e"), &["phone", "email"], ev()),
                breach_date: element(true, Some("2023-10-05"), None, &[], ev()),
                discovery_date: element(false, None, Some("2023-10-06"), &[], Vec::new()),
                notice_date: element(false, None, None, &[], Vec::new()),
                information_involved: element(true, None, None, &["x"], ev()),
                entity_actions: Element::default(),
                individual_steps: Element::default(),
                contact: element(true, None, None, &["phone"], Vec::new()),
                credit_monitoring: Element::default(),
                regulator_resources: element(true, Some(""), Some(""), &[""], ev()),
            },
            metrics: Metrics { words: 512, sentences: 0, fk_grade: 10.123456789, flesch_reading_ease: -3.5 },
            flags: vec![
                Flag {
                    id: "late_notice".into(),
                    severity: "warning".into(),
                    message: "m \"q\"".into(),
                    element: Some("notice_date".into()),
                    evidence: ev(),
                },
                Flag { id: "f".into(), severity: "info".into(), message: String::new(), element: None, evidence: Vec::new() },
            ],
        }
    }

    #[test]
    fn every_field_is_written_as_serde_json_writes_it() {
        let mut r = full();
        assert_eq!(ours(&r), serde_json::to_string(&r).unwrap());
        // And with what is optional left out.
        r.document.path = None;
        r.warnings.clear();
        r.data_types.clear();
        r.hedges.clear();
        r.flags.clear();
        r.elements = Elements::default();
        r.metrics = Metrics { words: 0, sentences: 0, fk_grade: f64::NAN, flesch_reading_ease: 0.0 };
        assert_eq!(ours(&r), serde_json::to_string(&r).unwrap());
        let e = ErrorRecord {
            schema: "noticelint.report/1".into(),
            document: DocumentInfo { id: "x".into(), path: None, format: "pdf".into(), bytes: 0 },
            error: ErrorInfo { kind: "io".into(), message: "x: \"gone\"\n".into() },
        };
        let mut out = Vec::new();
        super::write_error(&mut out, &e);
        assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&e).unwrap());
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        assert_eq!(escaped(&every_ascii), serde_json::to_string(&every_ascii).unwrap());
        for s in ["", "\"\"\\\\\n\n", "threat\n  actor", "threat actor\n  a\n", "\"#\"#\"#\"#\"#"] {
            assert_eq!(escaped(s), serde_json::to_string(s).unwrap());
        }
        // One byte to escape (or none) at every offset of strings of every length up to
        // several blocks, and bytes just above the ones that need escaping everywhere else.
        for len in 0..70 {
            for filler in ["a", "#", "]", " ", "\u{7f}"] {
                let plain = filler.repeat(len);
                assert_eq!(escaped(&plain), serde_json::to_string(&plain).unwrap());
                for at in 0..len {
                    for bad in ['"', '\\', '\n', '\u{0}', '\u{1f}'] {
                        let mut s = plain.clone();
                        s.replace_range(at..at + 1, bad.encode_utf8(&mut [0; 4]));
                        assert_eq!(escaped(&s), serde_json::to_string(&s).unwrap());
                    }
                }
            }
        }
    }

    #[test]
    fn numbers_are_written_in_full() {
        for n in [0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 12_345, 99_999, 100_000, 10u64.pow(19) - 1, 10u64.pow(19), u64::MAX] {
            let mut out = Vec::new();
            super::write_u64(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }

    proptest::proptest! {
        // Escapes next to bytes one above or below them (where borrows between the bytes
        // of a word could mislead), at every offset of a word.
        #[test]
        fn any_string_is_escaped_as_serde_json_escapes_it(
            s in proptest::collection::vec(proptest::sample::select(vec![
                '\n', '\r', ' ', '!', '"', '#', '[', '\\', ']', '\u{0}', '\u{1}', '\u{1f}', 'a', '\u{7f}', '\u{80}', 'é', '’',
            ]), 0..80).prop_map(String::from_iter)
        ) {
            proptest::prop_assert_eq!(escaped(&s), serde_json::to_string(&s).unwrap());
        }
    }
}
