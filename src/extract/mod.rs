//! Text extraction for notices supplied as plain text, Markdown, HTML, DOCX or PDF.
//!
//! Every format is turned into the same shape: a `text` string laid out one block
//! per line, and a list of [`Block`]s giving the byte range, kind and a
//! human-readable locator of each block.
//!
//! Layout of `text`:
//! - paragraphs and headings are separated from their neighbours by a blank line;
//! - consecutive list items are on consecutive lines, each prefixed with `"• "`
//!   (the bullet is not part of the block's byte range);
//! - a table row is one line whose cells are joined with `" | "`; consecutive rows
//!   are on consecutive lines; every non-empty cell is its own `TableCell` block.
//!
//! Whitespace inside a block is collapsed to single spaces, so a block never
//! contains a line break.
//!
//! Robustness: no extractor recurses over the input's nesting, ZIP entries are
//! read through `take()` limits, output is capped by [`Limits::max_output_bytes`],
//! and the PDF backend (which can panic on malformed files) runs under
//! `catch_unwind`.

mod docx;
mod html;
mod pdf;

use std::fmt;
use std::path::Path;

/// The input formats the extractor understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Docx,
    Pdf,
}

impl Format {
    /// Guesses the format from a file extension (case-insensitive).
    pub fn from_path(p: &Path) -> Option<Format> {
        let ext = p.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "docx" => Some(Format::Docx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a block is, as far as the source format tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    Paragraph,
    Heading,
    ListItem,
    TableCell,
}

/// One block of extracted text: `text[start..end]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Byte offset of the block's first byte in [`Extracted::text`].
    pub start: usize,
    /// Byte offset one past the block's last byte in [`Extracted::text`].
    pub end: usize,
    pub kind: BlockKind,
    /// Where the block came from, for people: "paragraph 12", "page 3",
    /// "line 40", "table 1, row 2, cell 3".
    pub locator: String,
}

/// The result of an extraction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    pub text: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug)]
pub enum ExtractError {
    /// The input is not a well-formed file of the stated format.
    Corrupt(String),
    /// The input (or something inside it) exceeds a [`Limits`] bound.
    TooLarge(String),
    /// The input is well-formed but uses something not supported (e.g. encryption).
    Unsupported(String),
}

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExtractError::Corrupt(m) => write!(f, "corrupt input: {m}"),
            ExtractError::TooLarge(m) => write!(f, "input too large: {m}"),
            ExtractError::Unsupported(m) => write!(f, "unsupported input: {m}"),
        }
    }
}

impl std::error::Error for ExtractError {}

/// Resource bounds applied while extracting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Maximum size of [`Extracted::text`] in bytes.
    pub max_output_bytes: usize,
    /// Maximum decompressed size of one ZIP entry (DOCX) or one compressed
    /// stream (PDF). Enforced while reading; declared sizes are not trusted.
    pub max_entry_bytes: u64,
    /// Maximum element nesting (DOCX XML) and object-graph depth (PDF page
    /// tree and form XObjects). HTML is tokenized without an element stack,
    /// so nesting there costs nothing and is not limited.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_output_bytes: 64 * 1024 * 1024, max_entry_bytes: 64 * 1024 * 1024, max_depth: 512 }
    }
}

/// Extracts text and blocks from `bytes` in the given format.
pub fn extract(bytes: &[u8], format: Format, limits: &Limits) -> Result<Extracted, ExtractError> {
    let mut b = Builder::new(limits.max_output_bytes);
    match format {
        Format::Text => extract_plain(&decode_text(bytes), &mut b)?,
        Format::Markdown => extract_markdown(&decode_text(bytes), &mut b)?,
        Format::Html => html::extract(bytes, &mut b)?,
        Format::Docx => docx::extract(bytes, limits, &mut b)?,
        Format::Pdf => pdf::extract(bytes, limits, &mut b)?,
    }
    Ok(b.finish())
}

/// Decodes a text file: BOM-sniffed UTF-8/UTF-16, else UTF-8, else Windows-1252.
pub(crate) fn decode_text(bytes: &[u8]) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode_without_bom_handling(&bytes[bom_len..]).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// What the last thing written to the output was, to pick the next separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    Nothing,
    Block,
    ListItem,
    Row,
}

/// Accumulates the output text and its blocks, enforcing the layout rules and
/// the output cap. Shared by all format back-ends.
pub(crate) struct Builder {
    text: String,
    blocks: Vec<Block>,
    max: usize,
    last: Last,
}

impl Builder {
    pub(crate) fn new(max: usize) -> Self {
        Builder { text: String::new(), blocks: Vec::new(), max, last: Last::Nothing }
    }

    /// Fails if `extra` more bytes would take the output past the cap.
    pub(crate) fn check_room(&self, extra: usize) -> Result<(), ExtractError> {
        if self.text.len().saturating_add(extra) > self.max { Err(too_large_output(self.max)) } else { Ok(()) }
    }

    /// Appends one paragraph, heading or list item. Whitespace is collapsed;
    /// a block that is empty after that is dropped.
    pub(crate) fn block(&mut self, kind: BlockKind, content: &str, locator: impl FnOnce() -> String) -> Result<(), ExtractError> {
        let content = collapse_ws(content);
        if content.is_empty() {
            return Ok(());
        }
        let kind = if kind == BlockKind::TableCell { BlockKind::Paragraph } else { kind };
        let sep = match (self.last, kind) {
            (Last::Nothing, _) => "",
            (Last::ListItem, BlockKind::ListItem) => "\n",
            _ => "\n\n",
        };
        let bullet = if kind == BlockKind::ListItem { "• " } else { "" };
        self.check_room(sep.len() + bullet.len() + content.len())?;
        self.text.push_str(sep);
        self.text.push_str(bullet);
        let start = self.text.len();
        self.text.push_str(&content);
        self.blocks.push(Block { start, end: self.text.len(), kind, locator: locator() });
        self.last = if kind == BlockKind::ListItem { Last::ListItem } else { Last::Block };
        Ok(())
    }

    /// Appends one table row as `cell | cell | cell`. Each item is
    /// `(content, locator)`. A row whose cells are all empty is dropped.
    pub(crate) fn row(&mut self, cells: &[(String, String)]) -> Result<(), ExtractError> {
        let cells: Vec<(String, &str)> = cells.iter().map(|(c, l)| (collapse_ws(c), l.as_str())).collect();
        if cells.iter().all(|(c, _)| c.is_empty()) {
            return Ok(());
        }
        let sep = match self.last {
            Last::Nothing => "",
            Last::Row => "\n",
            _ => "\n\n",
        };
        let need = sep.len() + cells.iter().map(|(c, _)| c.len() + 3).sum::<usize>();
        self.check_room(need)?;
        self.text.push_str(sep);
        for (i, (content, locator)) in cells.iter().enumerate() {
            if i > 0 {
                self.text.push_str(" | ");
            }
            let start = self.text.len();
            self.text.push_str(content);
            if !content.is_empty() {
                self.blocks.push(Block { start, end: self.text.len(), kind: BlockKind::TableCell, locator: (*locator).to_owned() });
            }
        }
        self.last = Last::Row;
        Ok(())
    }

    pub(crate) fn finish(self) -> Extracted {
        Extracted { text: self.text, blocks: self.blocks }
    }
}

pub(crate) fn too_large_output(max: usize) -> ExtractError {
    ExtractError::TooLarge(format!("extracted text exceeds {max} bytes"))
}

/// Collapses every run of whitespace or control characters to one space and
/// trims both ends.
pub(crate) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() || c.is_control() || c == '\u{feff}' {
            pending_space = true;
        } else {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        }
    }
    out
}

/// Plain text: blank-line separated paragraphs; the lines of a paragraph are
/// joined into one line. Locator: the paragraph's first source line.
fn extract_plain(s: &str, b: &mut Builder) -> Result<(), ExtractError> {
    let mut para = String::new();
    let mut first_line = 0;
    for (i, line) in s.lines().enumerate() {
        if line.trim().is_empty() {
            flush_lines(b, BlockKind::Paragraph, &mut para, first_line)?;
            continue;
        }
        if para.is_empty() {
            first_line = i + 1;
        }
        b.check_room(para.len() + line.len())?;
        para.push(' ');
        para.push_str(line);
    }
    flush_lines(b, BlockKind::Paragraph, &mut para, first_line)
}

fn flush_lines(b: &mut Builder, kind: BlockKind, para: &mut String, line: usize) -> Result<(), ExtractError> {
    if !para.is_empty() {
        b.block(kind, para, || format!("line {line}"))?;
        para.clear();
    }
    Ok(())
}

/// Minimal Markdown: ATX and setext headings, `-`/`*`/`+`/`1.` list items,
/// pipe tables; everything else is paragraph text (inline markup is kept).
fn extract_markdown(s: &str, b: &mut Builder) -> Result<(), ExtractError> {
    let mut para = String::new();
    let mut kind = BlockKind::Paragraph;
    let mut first_line = 0;
    let mut para_lines = 0;
    let mut table = 0usize;
    let mut row = 0usize;
    let mut in_fence = false;
    for (i, raw) in s.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.starts_with("```") || line.starts_with("~~~") {
            flush_lines(b, kind, &mut para, first_line)?;
            kind = BlockKind::Paragraph;
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            // Code lines are kept one paragraph per line.
            b.block(BlockKind::Paragraph, line, || format!("line {n}"))?;
            continue;
        }
        if line.is_empty() {
            flush_lines(b, kind, &mut para, first_line)?;
            kind = BlockKind::Paragraph;
            row = 0;
            continue;
        }
        // Setext heading underline.
        if kind == BlockKind::Paragraph
            && para_lines == 1
            && line.len() >= 2
            && (line.bytes().all(|c| c == b'=') || line.bytes().all(|c| c == b'-'))
        {
            flush_lines(b, BlockKind::Heading, &mut para, first_line)?;
            continue;
        }
        let hashes = line.bytes().take_while(|&c| c == b'#').count();
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            flush_lines(b, kind, &mut para, first_line)?;
            kind = BlockKind::Paragraph;
            let text = line[hashes..].trim().trim_end_matches('#');
            b.block(BlockKind::Heading, text, || format!("line {n}"))?;
            row = 0;
            continue;
        }
        if line.starts_with('|') {
            flush_lines(b, kind, &mut para, first_line)?;
            kind = BlockKind::Paragraph;
            let inner = line.trim_start_matches('|').trim_end_matches('|');
            if inner.chars().all(|c| matches!(c, '-' | ':' | '|' | ' ' | '\t')) {
                continue; // delimiter row
            }
            if row == 0 {
                table += 1;
            }
            row += 1;
            let cells: Vec<(String, String)> = inner
                .split('|')
                .enumerate()
                .map(|(c, t)| (t.trim().to_owned(), format!("table {table}, row {row}, cell {}", c + 1)))
                .collect();
            b.row(&cells)?;
            continue;
        }
        row = 0;
        if let Some(item) = list_item_text(line) {
            flush_lines(b, kind, &mut para, first_line)?;
            kind = BlockKind::ListItem;
            first_line = n;
            para.push_str(item);
            para_lines = 1;
            continue;
        }
        if para.is_empty() {
            first_line = n;
            para_lines = 0;
        }
        b.check_room(para.len() + line.len())?;
        para.push(' ');
        para.push_str(line);
        para_lines += 1;
    }
    flush_lines(b, kind, &mut para, first_line)
}

fn list_item_text(line: &str) -> Option<&str> {
    for m in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(m) {
            return Some(rest);
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &line[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(r);
        }
    }
    None
}

/// Reads a file's bytes into a [`Document`](crate::Document): plain text and Markdown
/// are decoded as they are (offsets index the file's own text); HTML, DOCX and PDF go
/// through extraction, and offsets index the extracted text.
pub fn document_from_bytes(
    id: &str,
    path: Option<String>,
    format: &'static str,
    bytes: &[u8],
) -> Result<crate::Document, crate::ReadError> {
    document_from_bytes_with(id, path, format, bytes, &Limits::default())
}

/// [`document_from_bytes_with`] taking the bytes, so that plain text need not be copied.
pub fn document_from_vec_with(
    id: &str,
    path: Option<String>,
    format: &'static str,
    bytes: Vec<u8>,
    limits: &Limits,
) -> Result<crate::Document, crate::ReadError> {
    match format {
        "html" | "docx" | "pdf" => document_from_bytes_with(id, path, format, &bytes, limits),
        _ => crate::Document::from_vec(id, path, format, bytes),
    }
}

/// [`document_from_bytes`] within the given extraction limits.
pub fn document_from_bytes_with(
    id: &str,
    path: Option<String>,
    format: &'static str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<crate::Document, crate::ReadError> {
    let extracted_format = match format {
        "html" => Format::Html,
        "docx" => Format::Docx,
        "pdf" => Format::Pdf,
        _ => return crate::Document::from_bytes(id, path, format, bytes),
    };
    if bytes.is_empty() {
        return Err(crate::ReadError::new("empty", "the file is empty"));
    }
    let extracted = extract(bytes, extracted_format, limits).map_err(|e| match e {
        ExtractError::Corrupt(m) => crate::ReadError::new("corrupt", m),
        ExtractError::TooLarge(m) => crate::ReadError::new("too_large", m),
        ExtractError::Unsupported(m) => crate::ReadError::new("unsupported", m),
    })?;
    if extracted.text.trim().is_empty() {
        return Err(crate::ReadError::new("empty", format!("no text could be extracted from this {format} file")));
    }
    let Extracted { text, blocks } = extracted;
    Ok(crate::Document { id: id.to_owned(), path, format, bytes: bytes.len(), text, warnings: Vec::new(), facts: None, blocks })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks_text(e: &Extracted) -> Vec<&str> {
        e.blocks.iter().map(|b| &e.text[b.start..b.end]).collect()
    }

    #[test]
    fn format_from_path_and_names() {
        assert_eq!(Format::from_path(Path::new("a/Notice.DOCX")), Some(Format::Docx));
        assert_eq!(Format::from_path(Path::new("n.htm")), Some(Format::Html));
        assert_eq!(Format::from_path(Path::new("n.md")), Some(Format::Markdown));
        assert_eq!(Format::from_path(Path::new("n.txt")), Some(Format::Text));
        assert_eq!(Format::from_path(Path::new("n.pdf")), Some(Format::Pdf));
        assert_eq!(Format::from_path(Path::new("n.exe")), None);
        assert_eq!(Format::from_path(Path::new("noext")), None);
        assert_eq!(Format::Docx.as_str(), "docx");
        assert_eq!(Format::Markdown.as_str(), "markdown");
    }

    #[test]
    fn plain_text_paragraphs() {
        let src = "Harbor Valley Clinic\n\nOn March 3 we learned\nthat an unknown party\n\n\nWhat you can do.\n";
        let e = extract(src.as_bytes(), Format::Text, &Limits::default()).unwrap();
        assert_eq!(e.text, "Harbor Valley Clinic\n\nOn March 3 we learned that an unknown party\n\nWhat you can do.");
        assert_eq!(e.blocks[1].locator, "line 3");
        assert_eq!(e.blocks[2].locator, "line 7");
    }

    #[test]
    fn utf16_text_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Clinic notice".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let e = extract(&bytes, Format::Text, &Limits::default()).unwrap();
        assert_eq!(e.text, "Clinic notice");
    }

    #[test]
    fn markdown_structure() {
        let src = "# Notice of Data Incident\n\nHarbor Valley Clinic writes\nto you.\n\n- Names\n- Dates of birth\n\n| Item | Exposed |\n|---|---|\n| SSN | No |\n";
        let e = extract(src.as_bytes(), Format::Markdown, &Limits::default()).unwrap();
        assert_eq!(
            e.text,
            "Notice of Data Incident\n\nHarbor Valley Clinic writes to you.\n\n• Names\n• Dates of birth\n\nItem | Exposed\nSSN | No"
        );
        let kinds: Vec<BlockKind> = e.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Heading,
                BlockKind::Paragraph,
                BlockKind::ListItem,
                BlockKind::ListItem,
                BlockKind::TableCell,
                BlockKind::TableCell,
                BlockKind::TableCell,
                BlockKind::TableCell
            ]
        );
        assert_eq!(blocks_text(&e)[3], "Dates of birth");
        assert_eq!(e.blocks[7].locator, "table 1, row 2, cell 2");
    }

    #[test]
    fn output_cap_is_enforced() {
        let src = "word ".repeat(10_000);
        let limits = Limits { max_output_bytes: 1000, ..Limits::default() };
        assert!(matches!(extract(src.as_bytes(), Format::Text, &limits), Err(ExtractError::TooLarge(_))));
    }

    #[test]
    fn builder_layout() {
        let mut b = Builder::new(1 << 20);
        b.block(BlockKind::Heading, "  Title \n here ", || "h".into()).unwrap();
        b.block(BlockKind::ListItem, "one", || "l1".into()).unwrap();
        b.block(BlockKind::ListItem, "two", || "l2".into()).unwrap();
        b.row(&[("a".into(), "c1".into()), ("".into(), "c2".into())]).unwrap();
        b.row(&[("c".into(), "c3".into()), ("d".into(), "c4".into())]).unwrap();
        b.block(BlockKind::Paragraph, "end", || "p".into()).unwrap();
        let e = b.finish();
        assert_eq!(e.text, "Title here\n\n• one\n• two\n\na | \nc | d\n\nend");
        for blk in &e.blocks {
            assert!(!e.text[blk.start..blk.end].contains('\n'));
        }
        assert_eq!(blocks_text(&e), ["Title here", "one", "two", "a", "c", "d", "end"]);
    }
}
