//! DOCX and PDF fixtures are generated here, in the tests themselves.
//! All sample text is an invented notice from the fictional Harbor Valley Clinic.

mod support;

use std::io::Write;
use std::time::{Duration, Instant};

use noticelint::extract::{BlockKind, ExtractError, Extracted, Format, Limits, extract};
use zip::write::SimpleFileOptions;

// ---------------------------------------------------------------- DOCX

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>"#;

fn docx_package(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn docx(body: &str) -> Vec<u8> {
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    docx_package(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("word/document.xml", doc.as_bytes()),
        ("word/styles.xml", STYLES.as_bytes()),
    ])
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn blocks(e: &Extracted) -> Vec<(&str, BlockKind, &str)> {
    e.blocks.iter().map(|b| (&e.text[b.start..b.end], b.kind, b.locator.as_str())).collect()
}

#[test]
fn docx_structure_is_extracted() {
    let body = [
        r#"<w:p><w:pPr><w:pStyle w:val="berschrift1"/></w:pPr><w:r><w:t>Notice of Data Incident</w:t></w:r></w:p>"#.to_string(),
        p("Harbor Valley Clinic is writing to tell you about an incident."),
        r#"<w:p><w:r><w:t>We found</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">unusual activity &amp; acted </w:t></w:r><w:r><w:t>quickly.</w:t></w:r><w:r><w:br/><w:t>Second line.</w:t></w:r></w:p>"#.to_string(),
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Names</w:t></w:r></w:p>"#.to_string(),
        r#"<w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr><w:r><w:t>Dates of birth</w:t></w:r></w:p>"#.to_string(),
        r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Data</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Exposed</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>Card numbers</w:t></w:r></w:p><w:p><w:r><w:t>(last four)</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>No</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#.to_string(),
        r#"<w:p><w:r><w:delText>deleted words</w:delText><w:instrText>PAGE</w:instrText><w:t>Call 555-0100.</w:t></w:r></w:p>"#.to_string(),
        r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Box text</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Box text</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><a:t>drawing text is not body text</a:t><w:t>Sincerely,</w:t></w:r></w:p>"#.to_string(),
    ]
    .concat();
    let e = extract(&docx(&body), Format::Docx, &Limits::default()).unwrap();
    assert_eq!(
        e.text,
        "Notice of Data Incident\n\nHarbor Valley Clinic is writing to tell you about an incident.\n\nWe found unusual activity & acted quickly.\n\nSecond line.\n\n• Names\n• Dates of birth\n\nData | Exposed\nCard numbers (last four) | No\n\nCall 555-0100.\n\nBox text\n\nSincerely,"
    );
    let bl = blocks(&e);
    assert_eq!(bl[0], ("Notice of Data Incident", BlockKind::Heading, "paragraph 1"));
    assert_eq!(bl[3], ("Second line.", BlockKind::Paragraph, "paragraph 3"));
    assert_eq!(bl[4].1, BlockKind::ListItem);
    assert_eq!(bl[5], ("Dates of birth", BlockKind::ListItem, "paragraph 5"));
    assert_eq!(bl[8], ("Card numbers (last four)", BlockKind::TableCell, "table 1, row 2, cell 1"));
}

#[test]
fn docx_not_a_zip_is_corrupt() {
    for bytes in [&b"this is not a zip file at all"[..], &b""[..], &b"PK\x03\x04 truncated"[..]] {
        let r = extract(bytes, Format::Docx, &Limits::default());
        assert!(matches!(r, Err(ExtractError::Corrupt(_))), "{r:?}");
    }
}

#[test]
fn docx_truncated_zip_is_corrupt() {
    let full = docx(&p("Harbor Valley Clinic"));
    for cut in [full.len() / 3, full.len() / 2, full.len() - 10] {
        let r = extract(&full[..cut], Format::Docx, &Limits::default());
        assert!(matches!(r, Err(ExtractError::Corrupt(_))), "cut {cut}: {r:?}");
    }
}

#[test]
fn docx_missing_document_xml_is_corrupt() {
    let bytes =
        docx_package(&[("[Content_Types].xml", CONTENT_TYPES.as_bytes()), ("_rels/.rels", RELS.as_bytes()), ("word/other.xml", b"<x/>")]);
    let r = extract(&bytes, Format::Docx, &Limits::default());
    assert!(matches!(r, Err(ExtractError::Corrupt(ref m)) if m.contains("document.xml")), "{r:?}");
}

#[test]
fn docx_malformed_xml_is_corrupt() {
    let bytes = docx_package(&[("word/document.xml", b"<w:document xmlns:w=\"x\"><w:body><w:p></w:body>")]);
    let r = extract(&bytes, Format::Docx, &Limits::default());
    assert!(matches!(r, Err(ExtractError::Corrupt(_))), "{r:?}");
}

fn bomb_document(size: usize) -> Vec<u8> {
    let mut doc = br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>"#.to_vec();
    doc.resize(doc.len() + size, b' ');
    doc.extend_from_slice(b"</w:t></w:r></w:p></w:body></w:document>");
    doc
}

#[test]
fn docx_zip_bomb_is_too_large() {
    let bytes = docx_package(&[("word/document.xml", &bomb_document(4 << 20))]);
    assert!(bytes.len() < 64 << 10, "fixture should compress well");
    let limits = Limits { max_entry_bytes: 1 << 20, ..Limits::default() };
    let r = extract(&bytes, Format::Docx, &limits);
    assert!(matches!(r, Err(ExtractError::TooLarge(_))), "{r:?}");
}

/// The archive lies: both headers declare a 100-byte entry that really
/// inflates to 4 MiB. The `take()` bound must still hold.
#[test]
fn docx_zip_bomb_with_lying_declared_size_is_rejected() {
    let mut bytes = docx_package(&[("word/document.xml", &bomb_document(4 << 20))]);
    let patch = |bytes: &mut Vec<u8>, sig: &[u8; 4], off: usize| {
        let mut n = 0;
        for i in 0..bytes.len().saturating_sub(4) {
            if &bytes[i..i + 4] == sig {
                bytes[i + off..i + off + 4].copy_from_slice(&100u32.to_le_bytes());
                n += 1;
            }
        }
        assert_eq!(n, 1);
    };
    patch(&mut bytes, b"PK\x03\x04", 22); // local header: uncompressed size
    patch(&mut bytes, b"PK\x01\x02", 24); // central directory: uncompressed size
    let limits = Limits { max_entry_bytes: 1 << 20, ..Limits::default() };
    let t = Instant::now();
    let r = extract(&bytes, Format::Docx, &limits);
    assert!(matches!(r, Err(ExtractError::TooLarge(_)) | Err(ExtractError::Corrupt(_))), "{r:?}");
    assert!(t.elapsed() < Duration::from_secs(10));
}

#[test]
fn docx_deep_nesting_is_bounded() {
    let n = 100_000;
    let body = format!("{}{}", "<w:sdt><w:sdtContent>".repeat(n), "</w:sdtContent></w:sdt>".repeat(n));
    let r = extract(&docx(&body), Format::Docx, &Limits::default());
    assert!(matches!(r, Err(ExtractError::TooLarge(_))), "{r:?}");
}

// ---------------------------------------------------------------- PDF

fn stream(dict_extra: &str, data: &[u8]) -> Vec<u8> {
    let mut v = format!("<< /Length {}{dict_extra} >>\nstream\n", data.len()).into_bytes();
    v.extend_from_slice(data);
    v.extend_from_slice(b"\nendstream");
    v
}

/// Content stream showing `lines`; an empty line means a paragraph gap.
fn text_content(lines: &[&str]) -> Vec<u8> {
    let mut c = String::from("BT\n/F1 12 Tf\n72 720 Td\n");
    for l in lines {
        if l.is_empty() {
            c.push_str("0 -30 Td\n");
        } else {
            c.push_str(&format!("({l}) Tj\n0 -15 Td\n"));
        }
    }
    c.push_str("ET\n");
    c.into_bytes()
}

/// A two-page PDF: page 1 has two paragraphs, page 2 one.
fn sample_pdf(page1: &[&str], page2: &[&str]) -> Vec<u8> {
    let res = "/Resources << /Font << /F1 7 0 R >> >>";
    support::pdf_from_objects(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] {res} /Contents 4 0 R >>").into_bytes(),
        stream("", &text_content(page1)),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] {res} /Contents 6 0 R >>").into_bytes(),
        stream("", &text_content(page2)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
    ])
}

fn good_pdf() -> Vec<u8> {
    sample_pdf(
        &[
            "Harbor Valley Clinic is writing to inform you",
            "of a recent security incident.",
            "",
            "On June 4 we discovered unauthorized access.",
        ],
        &["Please call our help line with any questions."],
    )
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn pdf_text_is_extracted_by_page() {
    let e = extract(&good_pdf(), Format::Pdf, &Limits::default()).unwrap();
    let all = norm(&e.text);
    assert!(all.contains("Harbor Valley Clinic is writing to inform you of a recent security incident."), "{:?}", e.text);
    assert!(all.contains("On June 4 we discovered unauthorized access."), "{:?}", e.text);
    assert!(all.contains("Please call our help line with any questions."), "{:?}", e.text);
    let bl = blocks(&e);
    assert!(bl.iter().all(|b| b.1 == BlockKind::Paragraph && !b.0.contains('\n')));
    let last = bl.last().unwrap();
    assert_eq!(last.2, "page 2");
    assert!(last.0.contains("help line"));
    let first_page: Vec<_> = bl.iter().filter(|b| b.2 == "page 1").collect();
    assert!(first_page.len() >= 2, "{bl:?}");
}

#[test]
fn pdf_not_a_pdf_is_corrupt() {
    for bytes in [&b"hello"[..], &b""[..], &b"%PDF-1.4\n"[..], &b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog"[..]] {
        let r = extract(bytes, Format::Pdf, &Limits::default());
        assert!(matches!(r, Err(ExtractError::Corrupt(_))), "{r:?}");
    }
}

#[test]
fn pdf_truncated_is_corrupt_or_partial_never_panics() {
    let full = good_pdf();
    let mut corrupt = 0;
    for cut in (20..full.len()).step_by(37) {
        match extract(&full[..cut], Format::Pdf, &Limits::default()) {
            Err(ExtractError::Corrupt(_)) => corrupt += 1,
            Ok(_) => {}
            Err(e) => panic!("cut {cut}: unexpected {e}"),
        }
    }
    assert!(corrupt > 0);
    // Cut inside the first content stream: no usable page tree remains.
    let r = extract(&full[..full.len() / 3], Format::Pdf, &Limits::default());
    assert!(matches!(r, Err(ExtractError::Corrupt(_))), "{r:?}");
}

#[test]
fn pdf_garbage_bytes_never_panic() {
    let full = good_pdf();
    let mut seed: u32 = 12345;
    for _ in 0..200 {
        let mut b = full.clone();
        for _ in 0..8 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let i = (seed as usize >> 8) % b.len();
            b[i] = (seed >> 3) as u8;
        }
        // Any outcome but a panic/abort is acceptable.
        let _ = extract(&b, Format::Pdf, &Limits::default());
    }
}

#[test]
fn pdf_missing_mediabox_panic_is_caught() {
    // pdf-extract `expect`s a MediaBox; the panic must become Corrupt.
    let bytes = support::pdf_from_objects(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        stream("", &text_content(&["Harbor Valley Clinic"])),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ]);
    let r = extract(&bytes, Format::Pdf, &Limits::default());
    assert!(matches!(r, Err(ExtractError::Corrupt(_))), "{r:?}");
}

#[test]
fn pdf_self_referencing_form_xobject_is_rejected() {
    // Page draws /X0, and form /X0 draws itself: unbounded recursion in
    // pdf-extract (a stack overflow, which catch_unwind cannot catch).
    let bytes = support::pdf_from_objects(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /X0 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        stream("", b"/X0 Do"),
        stream(" /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X0 5 0 R >> >>", b"/X0 Do"),
    ]);
    let r = extract(&bytes, Format::Pdf, &Limits::default());
    assert!(matches!(r, Err(ExtractError::Corrupt(ref m)) if m.contains("cycle")), "{r:?}");
}

#[test]
fn pdf_form_fan_out_is_too_large() {
    // Five levels of forms each drawing the next 20 times: 20^5 runs.
    let mut objs = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /X 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        stream("", "/X Do ".repeat(20).as_bytes()),
    ];
    for level in 0..5 {
        let next = 6 + level;
        let body = if level < 4 { "/X Do ".repeat(20) } else { String::new() };
        let res = if level < 4 { format!(" /Resources << /XObject << /X {next} 0 R >> >>") } else { String::new() };
        objs.push(stream(&format!(" /Type /XObject /Subtype /Form /BBox [0 0 10 10]{res}"), body.as_bytes()));
    }
    let r = extract(&support::pdf_from_objects(&objs), Format::Pdf, &Limits::default());
    assert!(matches!(r, Err(ExtractError::TooLarge(_))), "{r:?}");
}

#[test]
fn pdf_flate_bomb_is_too_large() {
    let mut content = text_content(&["Harbor Valley Clinic"]);
    content.resize(content.len() + (4 << 20), b' ');
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&content).unwrap();
    let packed = z.finish().unwrap();
    let bytes = support::pdf_from_objects(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        stream(" /Filter /FlateDecode", &packed),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ]);
    let small = Limits { max_entry_bytes: 1 << 20, ..Limits::default() };
    let r = extract(&bytes, Format::Pdf, &small);
    assert!(matches!(r, Err(ExtractError::TooLarge(_))), "{r:?}");
    // Within the default limits the same file extracts.
    let e = extract(&bytes, Format::Pdf, &Limits::default()).unwrap();
    assert!(e.text.contains("Harbor Valley Clinic"));
}

#[test]
fn pdf_output_cap() {
    let limits = Limits { max_output_bytes: 40, ..Limits::default() };
    let r = extract(&good_pdf(), Format::Pdf, &limits);
    assert!(matches!(r, Err(ExtractError::TooLarge(_))), "{r:?}");
}
