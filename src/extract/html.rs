//! HTML → text, driven by html5ever's spec-compliant *tokenizer*.
//!
//! No DOM is built and no element stack is kept, so arbitrarily deep nesting
//! (100,000 nested `<div>`s) costs nothing but time linear in the input: there
//! is no recursion to overflow the stack and no tree to drop. Entities are
//! decoded by the tokenizer; `<script>`, `<style>`, `<title>` and similar
//! raw-text elements are switched into their proper tokenizer states and their
//! content dropped.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};

use super::{BlockKind, Builder, ExtractError};

pub(crate) fn extract(bytes: &[u8], b: &mut Builder) -> Result<(), ExtractError> {
    let src = decode_html(bytes);
    if src.len() > u32::MAX as usize / 2 {
        return Err(ExtractError::TooLarge("HTML input over 2 GiB".into()));
    }
    let builder = std::mem::replace(b, Builder::new(0));
    let sink = Sink { st: RefCell::new(State::new(builder)) };
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&src));
    let _ = tok.feed(&input);
    tok.end();
    let mut st = tok.sink.st.into_inner();
    if st.error.is_none() {
        st.flush_block();
        st.end_row();
    }
    *b = st.b;
    match st.error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// BOM, then valid UTF-8, then a `charset=` label in the first 1024 bytes,
/// then Windows-1252 (the HTML default).
fn decode_html(bytes: &[u8]) -> String {
    if encoding_rs::Encoding::for_bom(bytes).is_some() || std::str::from_utf8(bytes).is_ok() {
        return super::decode_text(bytes);
    }
    let head = &bytes[..bytes.len().min(1024)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let enc = find(&lower, b"charset=")
        .and_then(|i| {
            let rest = &head[i + 8..];
            let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
            let end = rest.iter().position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':'))).unwrap_or(rest.len());
            encoding_rs::Encoding::for_label(&rest[..end])
        })
        .unwrap_or(encoding_rs::WINDOWS_1252);
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

struct Sink {
    st: RefCell<State>,
}

struct State {
    b: Builder,
    error: Option<ExtractError>,
    /// Inline text of the block being built.
    buf: String,
    /// Inside a raw-text element whose content is dropped.
    skipping: bool,
    heading: bool,
    list_depth: usize,
    pre_depth: usize,
    /// Nesting of `<table>`; only the outermost table's rows/cells are laid out,
    /// nested tables are flattened into the enclosing cell.
    table_depth: usize,
    in_row: bool,
    cells: Vec<(String, String)>,
    cell: Option<String>,
    table_no: usize,
    row_no: usize,
    para_no: usize,
}

impl State {
    fn new(b: Builder) -> Self {
        State {
            b,
            error: None,
            buf: String::new(),
            skipping: false,
            heading: false,
            list_depth: 0,
            pre_depth: 0,
            table_depth: 0,
            in_row: false,
            cells: Vec::new(),
            cell: None,
            table_no: 0,
            row_no: 0,
            para_no: 0,
        }
    }

    fn fail(&mut self, e: ExtractError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    fn text(&mut self, t: &str) {
        let pending = self.buf.len() + self.cells.iter().map(|c| c.0.len()).sum::<usize>();
        if let Err(e) = self.b.check_room(pending + t.len()) {
            return self.fail(e);
        }
        if let Some(cell) = self.cell.as_mut() {
            cell.push_str(t);
        } else if self.pre_depth > 0 && t.contains('\n') {
            let mut parts = t.split('\n');
            if let Some(first) = parts.next() {
                self.buf.push_str(first);
            }
            for p in parts {
                self.flush_block();
                self.buf.push_str(p);
            }
        } else {
            self.buf.push_str(t);
        }
    }

    /// A block boundary: inside a table cell it is only a space.
    fn brk(&mut self) {
        if let Some(cell) = self.cell.as_mut() {
            cell.push(' ');
        } else {
            self.flush_block();
        }
    }

    fn flush_block(&mut self) {
        if self.buf.trim().is_empty() {
            self.buf.clear();
            return;
        }
        let kind = if self.heading {
            BlockKind::Heading
        } else if self.list_depth > 0 {
            BlockKind::ListItem
        } else {
            BlockKind::Paragraph
        };
        self.para_no += 1;
        let n = self.para_no;
        let buf = std::mem::take(&mut self.buf);
        if let Err(e) = self.b.block(kind, &buf, || format!("paragraph {n}")) {
            self.fail(e);
        }
    }

    fn end_cell(&mut self) {
        if let Some(c) = self.cell.take() {
            let loc = format!("table {}, row {}, cell {}", self.table_no, self.row_no, self.cells.len() + 1);
            self.cells.push((c, loc));
        }
    }

    fn start_row(&mut self) {
        self.end_row();
        self.flush_block();
        self.in_row = true;
        self.row_no += 1;
    }

    fn end_row(&mut self) {
        self.end_cell();
        if self.in_row || !self.cells.is_empty() {
            let cells = std::mem::take(&mut self.cells);
            if let Err(e) = self.b.row(&cells) {
                self.fail(e);
            }
        }
        self.in_row = false;
    }

    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let start = tag.kind == TagKind::StartTag;
        if self.skipping {
            // The tokenizer only leaves a raw-text state on the matching end tag.
            if !start {
                self.skipping = false;
            }
            return TokenSinkResult::Continue;
        }
        let raw = match name {
            "script" => Some(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => Some(RawKind::Rawtext),
            "title" | "textarea" => Some(RawKind::Rcdata),
            _ => None,
        };
        if let Some(kind) = raw {
            if start && !tag.self_closing {
                self.skipping = true;
                return TokenSinkResult::RawData(kind);
            }
            return TokenSinkResult::Continue;
        }
        let outer_table = self.table_depth == 1;
        match name {
            "table" => {
                if start {
                    self.brk();
                    self.table_depth += 1;
                    if self.table_depth == 1 {
                        self.table_no += 1;
                        self.row_no = 0;
                    }
                } else if self.table_depth > 0 {
                    if self.table_depth == 1 {
                        self.end_row();
                    }
                    self.table_depth -= 1;
                    self.brk();
                }
            }
            "tr" if outer_table => {
                if start {
                    self.start_row();
                } else {
                    self.end_row();
                }
            }
            "td" | "th" if outer_table => {
                if start {
                    if !self.in_row {
                        self.start_row();
                    }
                    self.end_cell();
                    self.flush_block();
                    self.cell = Some(String::new());
                } else {
                    self.end_cell();
                }
            }
            "thead" | "tbody" | "tfoot" if outer_table => self.end_row(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.brk();
                self.heading = start && self.cell.is_none();
            }
            "ul" | "ol" | "dl" | "menu" => {
                self.brk();
                if start {
                    self.list_depth += 1;
                } else {
                    self.list_depth = self.list_depth.saturating_sub(1);
                }
            }
            "pre" | "listing" => {
                self.brk();
                if start {
                    self.pre_depth += 1;
                } else {
                    self.pre_depth = self.pre_depth.saturating_sub(1);
                }
            }
            "head" | "body" | "html" => self.brk(),
            "p" | "div" | "li" | "br" | "tr" | "td" | "th" | "dt" | "dd" | "hr" | "section" | "article" | "header" | "footer" | "nav"
            | "main" | "aside" | "blockquote" | "figure" | "figcaption" | "address" | "form" | "fieldset" | "legend" | "caption"
            | "center" | "details" | "summary" | "option" | "thead" | "tbody" | "tfoot" | "hgroup" | "search" | "dialog" => self.brk(),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut st = self.st.borrow_mut();
        if st.error.is_some() {
            return TokenSinkResult::Continue;
        }
        match token {
            Token::TagToken(tag) => st.tag(&tag),
            Token::CharacterTokens(t) => {
                if !st.skipping {
                    st.text(&t);
                }
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::{BlockKind, ExtractError, Format, Limits, extract};
    use std::time::{Duration, Instant};

    fn html(s: &str) -> crate::extract::Extracted {
        extract(s.as_bytes(), Format::Html, &Limits::default()).unwrap()
    }

    #[test]
    fn basic_structure() {
        let e = html(concat!(
            "<!doctype html><html><head><title>Ignore me</title>",
            "<style>p { color: red }</style><script>var x = '<p>no</p>';</script></head>",
            "<body><h1>Notice of   Data\n Incident</h1>",
            "<p>Harbor Valley Clinic &amp; its <b>partners</b> learned of it&nbsp;on May&#160;2.</p>",
            "<div>Call us<br>toll free</div>",
            "<ul><li>Names</li><li>Dates of <i>birth</i></li></ul>",
            "<table><tr><th>Data</th><th>Exposed</th></tr><tr><td>SSN</td><td>No</td></tr></table>",
            "<p>Sincerely,</p></body></html>"
        ));
        assert_eq!(
            e.text,
            "Notice of Data Incident\n\nHarbor Valley Clinic & its partners learned of it on May 2.\n\nCall us\n\ntoll free\n\n• Names\n• Dates of birth\n\nData | Exposed\nSSN | No\n\nSincerely,"
        );
        assert!(!e.text.contains("Ignore") && !e.text.contains("color") && !e.text.contains("no</p>"));
        assert_eq!(e.blocks[0].kind, BlockKind::Heading);
        assert_eq!(e.blocks[4].kind, BlockKind::ListItem);
        let cell = e.blocks.iter().find(|b| &e.text[b.start..b.end] == "No").unwrap();
        assert_eq!(cell.kind, BlockKind::TableCell);
        assert_eq!(cell.locator, "table 1, row 2, cell 2");
        assert_eq!(e.blocks[1].locator, "paragraph 2");
    }

    #[test]
    fn unclosed_and_nested_lists_and_tables() {
        let e = html(
            "<ul><li>one<li>two<ul><li>inner</ul>tail</ul><table><tr><td>a<table><tr><td>x</td><td>y</td></tr></table><td>b</table>after",
        );
        assert_eq!(e.text, "• one\n• two\n• inner\n• tail\n\na x y | b\n\nafter");
    }

    #[test]
    fn windows_1252_meta_charset() {
        let mut bytes = b"<meta charset=\"windows-1252\"><p>Caf".to_vec();
        bytes.push(0xE9);
        bytes.extend_from_slice(b" notice</p>");
        let e = extract(&bytes, Format::Html, &Limits::default()).unwrap();
        assert_eq!(e.text, "Caf\u{e9} notice");
    }

    #[test]
    fn deeply_nested_divs_do_not_overflow() {
        let depth = 100_000;
        let mut s = "<div>".repeat(depth);
        s.push_str("Harbor Valley Clinic deep text");
        s.push_str(&"</div>".repeat(depth));
        let mut s2 = "<span><b><i>".repeat(depth);
        s2.push_str("inline deep");
        for src in [s, s2] {
            let t = Instant::now();
            let e = extract(src.as_bytes(), Format::Html, &Limits::default()).unwrap();
            assert!(e.text.contains("deep"));
            assert!(t.elapsed() < Duration::from_secs(20));
        }
    }

    #[test]
    fn deeply_nested_tables_and_lists() {
        let depth = 50_000;
        let src = format!("{}leaf{}", "<table><tr><td><ul><li>".repeat(depth), "</li></ul></td></tr></table>".repeat(depth));
        let e = extract(src.as_bytes(), Format::Html, &Limits::default()).unwrap();
        assert!(e.text.contains("leaf"));
    }

    #[test]
    fn output_cap() {
        let src = format!("<p>{}</p>", "x ".repeat(100_000));
        let limits = Limits { max_output_bytes: 10_000, ..Limits::default() };
        assert!(matches!(extract(src.as_bytes(), Format::Html, &limits), Err(ExtractError::TooLarge(_))));
    }
}
