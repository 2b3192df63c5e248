//! DOCX → text: `zip` opens the package, `quick-xml` streams
//! `word/document.xml` (WordprocessingML) event by event.
//!
//! Every ZIP entry is read through `Read::take(max_entry_bytes + 1)`, so an
//! entry that inflates past the cap is rejected as `TooLarge` whatever size the
//! archive declares. XML is processed with explicit state (no recursion);
//! element nesting beyond `max_depth` is rejected.
//!
//! Mapping: `w:p` → paragraph; a paragraph style whose name is "heading N",
//! "Title" or "Subtitle" (or a direct `w:outlineLvl`) → heading; `w:numPr` or a
//! "List …" style → list item; `w:tbl`/`w:tr`/`w:tc` → table rows and cells
//! (nested tables are flattened into the enclosing cell); `w:t` → text;
//! `w:tab` → space; `w:br`/`w:cr` → block break (space inside a cell).
//! Deleted text (`w:delText`), field codes (`w:instrText`) and the
//! `mc:Fallback` duplicates of text boxes are not output.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use zip::ZipArchive;
use zip::result::ZipError;

use super::{BlockKind, Builder, ExtractError, Limits};

const W_NS: &[u8] = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const MC_NS: &[u8] = b"http://schemas.openxmlformats.org/markup-compatibility/2006";

pub(crate) fn extract(bytes: &[u8], limits: &Limits, b: &mut Builder) -> Result<(), ExtractError> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_err("not a DOCX package", e))?;
    let doc =
        read_entry(&mut zip, "word/document.xml", limits)?.ok_or_else(|| ExtractError::Corrupt("DOCX has no word/document.xml".into()))?;
    // styles.xml is optional; a broken one only costs heading detection.
    let styles = match read_entry(&mut zip, "word/styles.xml", limits)? {
        Some(s) => parse_styles(&s, limits).unwrap_or_default(),
        None => HashMap::new(),
    };
    let mut w = Walker::new(b, styles);
    w.run(&doc, limits)
}

fn zip_err(ctx: &str, e: ZipError) -> ExtractError {
    match e {
        ZipError::UnsupportedArchive(m) => ExtractError::Unsupported(format!("{ctx}: {m}")),
        e => ExtractError::Corrupt(format!("{ctx}: {e}")),
    }
}

/// Reads one entry as UTF-8 text, never more than `max_entry_bytes`
/// decompressed bytes. `Ok(None)` if the entry does not exist.
fn read_entry(zip: &mut ZipArchive<Cursor<&[u8]>>, name: &str, limits: &Limits) -> Result<Option<String>, ExtractError> {
    let entry = match zip.by_name(name) {
        Ok(e) => e,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(zip_err(name, e)),
    };
    let cap = limits.max_entry_bytes;
    let too_large = || ExtractError::TooLarge(format!("{name} decompresses to more than {cap} bytes"));
    // Cheap early reject on the declared size; the real guard is `take` below.
    if entry.size() > cap {
        return Err(too_large());
    }
    let mut buf = Vec::with_capacity(entry.size().min(cap).min(1 << 20) as usize);
    entry.take(cap.saturating_add(1)).read_to_end(&mut buf).map_err(|e| ExtractError::Corrupt(format!("{name}: {e}")))?;
    if buf.len() as u64 > cap {
        return Err(too_large());
    }
    Ok(Some(super::decode_text(&buf)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StyleRole {
    Heading,
    List,
}

fn role_from_name(name: &str) -> Option<StyleRole> {
    let n = name.to_ascii_lowercase().replace(' ', "");
    if n.starts_with("heading") || n == "title" || n == "subtitle" {
        Some(StyleRole::Heading)
    } else if n.starts_with("list") {
        Some(StyleRole::List)
    } else {
        None
    }
}

/// Maps styleId → role from `word/styles.xml` (`w:style/@w:styleId` + `w:name/@w:val`).
fn parse_styles(xml: &str, limits: &Limits) -> Result<HashMap<String, StyleRole>, ExtractError> {
    let mut map = HashMap::new();
    let mut r = NsReader::from_str(xml);
    let mut current: Option<String> = None;
    let mut depth = 0usize;
    loop {
        let (ns, ev) = r.read_resolved_event().map_err(xml_err)?;
        let is_w = matches!(ns, ResolveResult::Bound(n) if n.as_ref() == W_NS);
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if matches!(ev, Event::Start(_)) {
                    depth += 1;
                    if depth > limits.max_depth {
                        return Err(depth_err(limits));
                    }
                }
                match (is_w, e.local_name().as_ref()) {
                    (true, b"style") => current = attr(e, b"styleId"),
                    (true, b"name") => {
                        if let (Some(id), Some(name)) = (current.as_ref(), attr(e, b"val")) {
                            if let Some(role) = role_from_name(&name) {
                                map.insert(id.clone(), role);
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(map)
}

fn xml_err(e: quick_xml::Error) -> ExtractError {
    ExtractError::Corrupt(format!("word/document.xml is not well-formed XML: {e}"))
}

fn depth_err(limits: &Limits) -> ExtractError {
    ExtractError::TooLarge(format!("XML nesting deeper than {}", limits.max_depth))
}

/// Value of the attribute with this local name (any prefix).
fn attr(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == local).map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

struct Para {
    text: String,
    kind: BlockKind,
    number: usize,
}

struct Table {
    number: usize,
    row: usize,
    cells: Vec<(String, String)>,
    cell: Option<String>,
}

struct Walker<'b> {
    b: &'b mut Builder,
    styles: HashMap<String, StyleRole>,
    /// Open paragraphs; more than one only for text boxes inside a paragraph.
    paras: Vec<Para>,
    /// Open tables; only `tables[0]` lays out rows and cells.
    tables: Vec<Table>,
    para_count: usize,
    table_count: usize,
    in_text: bool,
    /// Depth at which a skipped subtree (mc:Fallback) started.
    skip_from: Option<usize>,
    depth: usize,
}

impl<'b> Walker<'b> {
    fn new(b: &'b mut Builder, styles: HashMap<String, StyleRole>) -> Self {
        Walker {
            b,
            styles,
            paras: Vec::new(),
            tables: Vec::new(),
            para_count: 0,
            table_count: 0,
            in_text: false,
            skip_from: None,
            depth: 0,
        }
    }

    fn run(&mut self, xml: &str, limits: &Limits) -> Result<(), ExtractError> {
        let mut r = NsReader::from_str(xml);
        let mut saw_root = false;
        loop {
            let (ns, ev) = r.read_resolved_event().map_err(xml_err)?;
            let ns_w = matches!(ns, ResolveResult::Bound(n) if n.as_ref() == W_NS);
            let ns_mc = matches!(ns, ResolveResult::Bound(n) if n.as_ref() == MC_NS);
            match ev {
                Event::Start(e) => {
                    saw_root = true;
                    self.depth += 1;
                    if self.depth > limits.max_depth {
                        return Err(depth_err(limits));
                    }
                    if self.skip_from.is_none() {
                        if ns_mc && e.local_name().as_ref() == b"Fallback" {
                            self.skip_from = Some(self.depth);
                        } else if ns_w {
                            self.start(&e)?;
                        }
                    }
                }
                Event::Empty(e) => {
                    saw_root = true;
                    if self.skip_from.is_none() && ns_w {
                        self.start(&e)?;
                        self.end(e.local_name().as_ref())?;
                    }
                }
                Event::End(e) => {
                    if let Some(d) = self.skip_from {
                        if d == self.depth {
                            self.skip_from = None;
                        }
                    } else if ns_w {
                        self.end(e.local_name().as_ref())?;
                    }
                    self.depth = self.depth.saturating_sub(1);
                }
                Event::Text(t) if self.in_text && self.skip_from.is_none() => {
                    let s = t.decode().map_err(|e| ExtractError::Corrupt(e.to_string()))?;
                    self.push_text(&s)?;
                }
                Event::CData(t) if self.in_text && self.skip_from.is_none() => {
                    let s = t.decode().map_err(|e| ExtractError::Corrupt(e.to_string()))?;
                    self.push_text(&s)?;
                }
                Event::GeneralRef(r) if self.in_text && self.skip_from.is_none() => {
                    let c = if r.is_char_ref() {
                        r.resolve_char_ref().ok().flatten()
                    } else {
                        let name = r.decode().map_err(|e| ExtractError::Corrupt(e.to_string()))?;
                        quick_xml::escape::resolve_predefined_entity(&name).and_then(|s| s.chars().next())
                    };
                    if let Some(c) = c {
                        self.push_text(c.encode_utf8(&mut [0; 4]))?;
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if !saw_root {
            return Err(ExtractError::Corrupt("word/document.xml is empty".into()));
        }
        Ok(())
    }

    fn push_text(&mut self, s: &str) -> Result<(), ExtractError> {
        let target = match self.paras.last_mut() {
            Some(p) => &mut p.text,
            None => match self.tables.first_mut().and_then(|t| t.cell.as_mut()) {
                Some(c) => c,
                None => return Ok(()), // text outside any paragraph: ignore
            },
        };
        target.push_str(s);
        let pending = target.len();
        self.b.check_room(pending)
    }

    fn in_cell(&self) -> bool {
        self.tables.first().is_some_and(|t| t.cell.is_some())
    }

    fn start(&mut self, e: &BytesStart<'_>) -> Result<(), ExtractError> {
        match e.local_name().as_ref() {
            b"p" => {
                self.para_count += 1;
                self.paras.push(Para { text: String::new(), kind: BlockKind::Paragraph, number: self.para_count });
            }
            b"pStyle" => {
                let role = attr(e, b"val").and_then(|id| self.styles.get(&id).copied().or_else(|| role_from_name(&id)));
                if let Some(p) = self.paras.last_mut() {
                    match role {
                        Some(StyleRole::Heading) => p.kind = BlockKind::Heading,
                        Some(StyleRole::List) if p.kind == BlockKind::Paragraph => p.kind = BlockKind::ListItem,
                        _ => {}
                    }
                }
            }
            b"outlineLvl" => {
                let lvl = attr(e, b"val").and_then(|v| v.parse::<u32>().ok());
                if let (Some(p), Some(0..=8)) = (self.paras.last_mut(), lvl) {
                    p.kind = BlockKind::Heading;
                }
            }
            b"numPr" => {
                if let Some(p) = self.paras.last_mut() {
                    if p.kind == BlockKind::Paragraph {
                        p.kind = BlockKind::ListItem;
                    }
                }
            }
            b"t" => self.in_text = true,
            b"tab" | b"noBreakHyphen" if !self.paras.is_empty() => {
                let s = if e.local_name().as_ref() == b"tab" { " " } else { "-" };
                if let Some(p) = self.paras.last_mut() {
                    p.text.push_str(s);
                }
            }
            b"br" | b"cr" => {
                if self.in_cell() || self.paras.len() != 1 {
                    if let Some(p) = self.paras.last_mut() {
                        p.text.push(' ');
                    }
                } else if let Some(p) = self.paras.last_mut() {
                    // A line break ends the output line: emit what we have as
                    // its own block with the same kind and locator.
                    let text = std::mem::take(&mut p.text);
                    let (kind, n) = (p.kind, p.number);
                    self.b.block(kind, &text, || format!("paragraph {n}"))?;
                }
            }
            b"tbl" => {
                if self.tables.is_empty() {
                    self.table_count += 1;
                }
                self.tables.push(Table { number: self.table_count, row: 0, cells: Vec::new(), cell: None });
            }
            b"tr" if self.tables.len() == 1 => {
                let t = &mut self.tables[0];
                t.row += 1;
                t.cells.clear();
                t.cell = None;
            }
            b"tc" if self.tables.len() == 1 => self.tables[0].cell = Some(String::new()),
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, local: &[u8]) -> Result<(), ExtractError> {
        match local {
            b"t" => self.in_text = false,
            b"p" => {
                let Some(p) = self.paras.pop() else {
                    return Ok(());
                };
                if self.paras.is_empty() {
                    if let Some(cell) = self.tables.first_mut().and_then(|t| t.cell.as_mut()) {
                        cell.push(' ');
                        cell.push_str(&p.text);
                        return Ok(());
                    }
                }
                let n = p.number;
                self.b.block(p.kind, &p.text, || format!("paragraph {n}"))?;
            }
            b"tc" if self.tables.len() == 1 => {
                let t = &mut self.tables[0];
                if let Some(c) = t.cell.take() {
                    let loc = format!("table {}, row {}, cell {}", t.number, t.row, t.cells.len() + 1);
                    t.cells.push((c, loc));
                }
            }
            b"tr" if self.tables.len() == 1 => {
                let cells = std::mem::take(&mut self.tables[0].cells);
                self.b.row(&cells)?;
            }
            b"tbl" => {
                self.tables.pop();
                if let Some(outer) = self.tables.first_mut() {
                    if let Some(c) = outer.cell.as_mut() {
                        c.push(' ');
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}
