//! PDF → text with `pdf-extract` (layout-aware text from content streams,
//! fonts and ToUnicode maps) on top of `lopdf` (object parser).
//!
//! `pdf-extract` is known to `panic!`/`unwrap()` on malformed input (fonts,
//! cmaps, missing MediaBox...), so all PDF work runs under
//! `std::panic::catch_unwind` and a panic becomes `ExtractError::Corrupt`.
//! (The default panic hook still prints the panic message to stderr; a CLI
//! that wants silence can install its own hook.)
//!
//! `catch_unwind` cannot stop a stack overflow, and pdf-extract recurses along
//! `/Parent` links and into form XObjects (`Do`). Before handing the document
//! over we therefore check, iteratively, that page-tree parent chains and the
//! XObject graph have no cycles and stay within `max_depth`, and that the
//! estimated number of form invocations is bounded. Flate streams are
//! inflated once through a `take()` limit so none exceeds `max_entry_bytes`,
//! and output is capped at `max_output_bytes` from inside the output device.
//!
//! Text layout: each page's text is split into paragraphs at blank lines
//! (pdf-extract emits one for a vertical gap of more than 1.5 lines); the lines
//! of a paragraph are joined with spaces. Locator: "page N".

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{Dictionary, Document, MediaBox, Object, ObjectId, OutputDev, OutputError, PlainTextOutput, Transform};

use super::{BlockKind, Builder, ExtractError, Limits};

/// Upper bound on the estimated number of content-stream executions
/// (pages + form XObject invocations) for one document.
const MAX_STREAM_RUNS: u64 = 100_000;

pub(crate) fn extract(bytes: &[u8], limits: &Limits, b: &mut Builder) -> Result<(), ExtractError> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(ExtractError::Corrupt("no %PDF- header".into()));
    }
    // pdf-extract/lopdf may panic on malformed input: contain it.
    let pages = catch_unwind(AssertUnwindSafe(|| extract_pages(bytes, limits))).map_err(|p| {
        let msg = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        ExtractError::Corrupt(format!("PDF parser failed: {msg}"))
    })??;
    for (page, text) in pages {
        let norm = text.replace("\r\n", "\n").replace('\r', "\n");
        for para in norm.split("\n\n") {
            b.block(BlockKind::Paragraph, para, || format!("page {page}"))?;
        }
    }
    Ok(())
}

fn pdf_err(e: impl std::fmt::Display) -> ExtractError {
    ExtractError::Corrupt(format!("invalid PDF: {e}"))
}

fn extract_pages(bytes: &[u8], limits: &Limits) -> Result<Vec<(u32, String)>, ExtractError> {
    let mut doc = Document::load_mem(bytes).map_err(pdf_err)?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ExtractError::Unsupported("password-protected PDF".into()));
    }
    check_streams(&doc, limits)?;
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(ExtractError::Corrupt("PDF has no pages".into()));
    }
    check_page_tree(&doc, &pages, limits)?;
    check_xobjects(&doc, &pages, limits)?;

    let mut out = Vec::with_capacity(pages.len());
    let mut budget = limits.max_output_bytes;
    for &num in pages.keys() {
        let mut s = String::new();
        let (r, overflow) = {
            let mut dev = Capped { inner: PlainTextOutput::new(&mut s), left: budget, overflow: false };
            let r = pdf_extract::output_doc_page(&doc, &mut dev, num);
            (r, dev.overflow)
        };
        if overflow {
            return Err(super::too_large_output(limits.max_output_bytes));
        }
        r.map_err(pdf_err)?;
        budget = budget.saturating_sub(s.len());
        out.push((num, s));
    }
    Ok(out)
}

/// Output device that forwards to pdf-extract's plain-text layout and aborts
/// (with an error) once the byte budget is spent.
struct Capped<D> {
    inner: D,
    left: usize,
    overflow: bool,
}

impl<D: OutputDev> OutputDev for Capped<D> {
    fn begin_page(&mut self, page_num: u32, media_box: &MediaBox, art_box: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        self.inner.begin_page(page_num, media_box, art_box)
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        self.inner.end_page()
    }
    fn output_character(&mut self, trm: &Transform, width: f64, spacing: f64, font_size: f64, char: &str) -> Result<(), OutputError> {
        // +2 covers the space/newlines the layout may insert before the char.
        let cost = char.len() + 2;
        if cost > self.left {
            self.overflow = true;
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        self.left -= cost;
        self.inner.output_character(trm, width, spacing, font_size, char)
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.inner.begin_word()
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        self.inner.end_word()
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        self.inner.end_line()
    }
}

fn is_flate(dict: &Dictionary) -> bool {
    match dict.get(b"Filter") {
        Ok(Object::Name(n)) => n == b"FlateDecode" || n == b"Fl",
        Ok(Object::Array(a)) => {
            matches!(a.first(), Some(Object::Name(n)) if n == b"FlateDecode" || n == b"Fl")
        }
        _ => false,
    }
}

/// Inflates every Flate stream through a `take()` limit: none may exceed
/// `max_entry_bytes` once decompressed (declared `/Length`s are not trusted).
fn check_streams(doc: &Document, limits: &Limits) -> Result<(), ExtractError> {
    let cap = limits.max_entry_bytes;
    for (id, obj) in &doc.objects {
        let Object::Stream(s) = obj else { continue };
        if !is_flate(&s.dict) {
            continue;
        }
        let n = std::io::copy(&mut flate2::read::ZlibDecoder::new(&s.content[..]).take(cap.saturating_add(1)), &mut std::io::sink())
            .unwrap_or(0); // broken streams are left to the parser to judge
        if n > cap {
            return Err(ExtractError::TooLarge(format!("PDF stream {} {} inflates to more than {cap} bytes", id.0, id.1)));
        }
    }
    Ok(())
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    doc.dereference(o).ok().map(|(_, o)| o)
}

/// Each page's `/Parent` chain must end, without a cycle, within `max_depth`.
fn check_page_tree(doc: &Document, pages: &BTreeMap<u32, ObjectId>, limits: &Limits) -> Result<(), ExtractError> {
    let mut known_good: HashSet<ObjectId> = HashSet::new();
    for &page in pages.values() {
        let mut seen = HashSet::new();
        let mut cur = page;
        loop {
            if known_good.contains(&cur) {
                break;
            }
            if !seen.insert(cur) {
                return Err(ExtractError::Corrupt("cycle in PDF page tree".into()));
            }
            if seen.len() > limits.max_depth {
                return Err(ExtractError::TooLarge("PDF page tree too deep".into()));
            }
            let Ok(dict) = doc.get_dictionary(cur) else {
                break;
            };
            match dict.get(b"Parent").and_then(Object::as_reference) {
                Ok(parent) => cur = parent,
                Err(_) => break,
            }
        }
        known_good.extend(seen);
    }
    Ok(())
}

/// Resources of a page (inherited through `/Parent`) or of a form XObject.
fn resources_of<'a>(doc: &'a Document, dict: &'a Dictionary, depth: usize) -> Option<&'a Dictionary> {
    let mut d = dict;
    for _ in 0..depth {
        if let Ok(r) = d.get(b"Resources") {
            return deref(doc, r).and_then(|o| o.as_dict().ok());
        }
        let parent = d.get(b"Parent").and_then(Object::as_reference).ok()?;
        d = doc.get_dictionary(parent).ok()?;
    }
    None
}

/// `(name, target)` XObject entries of a resources dictionary.
fn xobject_refs(doc: &Document, res: Option<&Dictionary>) -> Vec<(Vec<u8>, ObjectId)> {
    let Some(res) = res else { return Vec::new() };
    let Some(Ok(xo)) = res.get(b"XObject").ok().and_then(|o| deref(doc, o)).map(|o| o.as_dict()) else {
        return Vec::new();
    };
    xo.iter().filter_map(|(k, v)| v.as_reference().ok().map(|id| (k.clone(), id))).collect()
}

/// Number of `Do` operators in a content stream and the names they invoke.
/// A token-level scan, good enough for a conservative estimate.
fn do_ops(content: &[u8]) -> (u64, HashSet<Vec<u8>>) {
    let is_delim = |c: u8| c.is_ascii_whitespace() || b"[]()<>{}/%".contains(&c);
    let mut count = 0;
    let mut names = HashSet::new();
    let mut last_name: Option<&[u8]> = None;
    let mut i = 0;
    while i < content.len() {
        let c = content[i];
        if c == b'/' {
            let start = i + 1;
            i = start;
            while i < content.len() && !is_delim(content[i]) {
                i += 1;
            }
            last_name = Some(&content[start..i]);
        } else if is_delim(c) {
            if !c.is_ascii_whitespace() {
                last_name = None;
            }
            i += 1;
        } else {
            let start = i;
            while i < content.len() && !is_delim(content[i]) {
                i += 1;
            }
            if &content[start..i] == b"Do" {
                count += 1;
                if let Some(n) = last_name {
                    names.insert(n.to_vec());
                }
            }
            last_name = None;
        }
    }
    (count, names)
}

fn pick(refs: &[(Vec<u8>, ObjectId)], names: &HashSet<Vec<u8>>) -> Vec<ObjectId> {
    let mut v: Vec<ObjectId> = refs.iter().filter(|(n, _)| names.contains(n)).map(|(_, id)| *id).collect();
    v.sort();
    v.dedup();
    v
}

/// pdf-extract runs a form XObject's content recursively for each `Do`. A form
/// without its own `/Resources` runs with its caller's, so conservatively it may
/// call anything its callers can. Reject cycles, graphs deeper than
/// `max_depth`, and documents whose estimated number of stream runs exceeds
/// [`MAX_STREAM_RUNS`] — all without recursion.
fn check_xobjects(doc: &Document, pages: &BTreeMap<u32, ObjectId>, limits: &Limits) -> Result<(), ExtractError> {
    // Node = object id of a page or a form XObject stream.
    let mut children: HashMap<ObjectId, Vec<ObjectId>> = HashMap::new();
    let mut do_count: HashMap<ObjectId, u64> = HashMap::new();
    // Every (name, target) pair seen in any resources dictionary: what a form
    // without its own /Resources might resolve its names against.
    let mut pool: Vec<(Vec<u8>, ObjectId)> = Vec::new();
    let mut work: Vec<ObjectId> = Vec::new();
    for &pid in pages.values() {
        let Ok(dict) = doc.get_dictionary(pid) else {
            continue;
        };
        let refs = xobject_refs(doc, resources_of(doc, dict, limits.max_depth));
        let content = doc.get_page_content(pid).unwrap_or_default();
        let (n, names) = do_ops(&content);
        work.extend(refs.iter().map(|r| r.1));
        children.insert(pid, pick(&refs, &names));
        do_count.insert(pid, n);
        pool.extend(refs);
    }
    // Discover forms reachable from pages (worklist, no recursion).
    let mut resourceless: Vec<(ObjectId, HashSet<Vec<u8>>)> = Vec::new();
    while let Some(id) = work.pop() {
        if children.contains_key(&id) {
            continue;
        }
        let Ok(Object::Stream(s)) = doc.get_object(id) else {
            children.insert(id, Vec::new());
            continue;
        };
        let content = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
        let (n, names) = do_ops(&content);
        do_count.insert(id, n);
        match s.dict.get(b"Resources") {
            Ok(r) => {
                let refs = xobject_refs(doc, deref(doc, r).and_then(|o| o.as_dict().ok()));
                work.extend(refs.iter().map(|r| r.1));
                children.insert(id, pick(&refs, &names));
                pool.extend(refs);
            }
            Err(_) => {
                children.insert(id, Vec::new());
                if n > 0 {
                    resourceless.push((id, names));
                }
            }
        }
    }
    for (id, names) in resourceless {
        children.insert(id, pick(&pool, &names));
    }

    // Iterative post-order DFS: colour for cycles, cost = stream runs.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut mark: HashMap<ObjectId, Mark> = HashMap::new();
    let mut cost: HashMap<ObjectId, u64> = HashMap::new();
    let mut total: u64 = 0;
    for &root in pages.values() {
        let mut stack: Vec<(ObjectId, usize)> = vec![(root, 0)];
        while let Some(&(node, next)) = stack.last() {
            if next == 0 {
                match mark.get(&node) {
                    Some(Mark::Done) => {
                        stack.pop();
                        continue;
                    }
                    Some(Mark::Open) => {
                        return Err(ExtractError::Corrupt("cycle in PDF form XObjects".into()));
                    }
                    None => {
                        mark.insert(node, Mark::Open);
                    }
                }
                if stack.len() > limits.max_depth.max(1) {
                    return Err(ExtractError::TooLarge("PDF form XObjects nested too deeply".into()));
                }
            }
            let kids = children.get(&node).map(Vec::as_slice).unwrap_or(&[]);
            if next < kids.len() {
                let kid = kids[next];
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                if mark.get(&kid) == Some(&Mark::Open) {
                    return Err(ExtractError::Corrupt("cycle in PDF form XObjects".into()));
                }
                stack.push((kid, 0));
                continue;
            }
            let worst_child = kids.iter().filter_map(|k| cost.get(k)).copied().max().unwrap_or(0);
            let runs = do_count.get(&node).copied().unwrap_or(0);
            let c = 1u64.saturating_add(runs.saturating_mul(worst_child));
            cost.insert(node, c);
            mark.insert(node, Mark::Done);
            stack.pop();
        }
        total = total.saturating_add(cost.get(&root).copied().unwrap_or(1));
        if total > MAX_STREAM_RUNS {
            return Err(ExtractError::TooLarge("PDF would run too many form XObjects".into()));
        }
    }
    Ok(())
}
