//! A document as read: its id, where it came from, and its text decoded to UTF-8.
//!
//! Offsets in reports index [`Document::text`], so decoding happens exactly once, here.

use std::fmt;

/// One notice to analyze.
#[derive(Debug, Clone)]
pub struct Document {
    /// SPEC §3 `document.id`.
    pub id: String,
    /// The path as given, when the document came from a file.
    pub path: Option<String>,
    /// `text`, `markdown`, `html`, `docx`, `pdf` or `jsonl`.
    pub format: &'static str,
    /// Size of the input as read, in bytes.
    pub bytes: usize,
    /// The text that offsets index.
    pub text: String,
    /// What the reader had to do to get text (e.g. a legacy encoding).
    pub warnings: Vec<String>,
    /// What is known about the notice from outside it.
    pub facts: Option<crate::facts::Facts>,
    /// For extracted formats (HTML, DOCX, PDF): where each block of `text` came from
    /// ("paragraph 12", "page 3"), so a diagnostic can name it. Empty for plain text.
    pub blocks: Vec<crate::extract::Block>,
}

impl Document {
    /// A document from text already in memory.
    pub fn from_text(id: impl Into<String>, text: impl Into<String>) -> Document {
        let text = text.into();
        Document {
            id: id.into(),
            path: None,
            format: "text",
            bytes: text.len(),
            text,
            warnings: Vec::new(),
            facts: None,
            blocks: Vec::new(),
        }
    }

    /// Decodes the bytes of a plain-text file: UTF-8 (a BOM is dropped), or, when the
    /// bytes are not UTF-8, Windows-1252 (the usual encoding of scraped notices) with a
    /// warning saying so. Bytes that look binary are refused.
    pub fn from_bytes(id: impl Into<String>, path: Option<String>, format: &'static str, bytes: &[u8]) -> Result<Document, ReadError> {
        let (text, warnings) = decode_text(bytes)?;
        Ok(Document { id: id.into(), path, format, bytes: bytes.len(), text, warnings, facts: None, blocks: Vec::new() })
    }
}

impl Document {
    /// The locator of the block holding byte `offset` of `text` ("paragraph 12", "page 3"),
    /// for extracted formats.
    pub fn locate(&self, offset: usize) -> Option<&str> {
        let i = self.blocks.partition_point(|b| b.end < offset);
        self.blocks.get(i).filter(|b| b.start <= offset).map(|b| b.locator.as_str())
    }
}

/// Why a document could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// A short stable kind for error records: `io`, `binary`, `empty`, `corrupt`, `too_large`, `json`.
    pub kind: &'static str,
    pub message: String,
}

impl ReadError {
    pub fn new(kind: &'static str, message: impl Into<String>) -> ReadError {
        ReadError { kind, message: message.into() }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReadError {}

/// UTF-8 or Windows-1252 text; NUL bytes mean the file is not text at all.
pub fn decode_text(bytes: &[u8]) -> Result<(String, Vec<String>), ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::new("empty", "the file is empty"));
    }
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return Err(ReadError::new("binary", "the file is binary (it contains NUL bytes), not text"));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_owned(), Vec::new())),
        Err(e) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            let warning = format!("not valid UTF-8 (first bad byte at offset {}); decoded as Windows-1252", e.valid_up_to());
            Ok((text.into_owned(), vec![warning]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_is_read_without_it() {
        let (text, warnings) = decode_text(b"\xEF\xBB\xBFNotice").unwrap();
        assert_eq!(text, "Notice");
        assert!(warnings.is_empty());
    }

    #[test]
    fn windows_1252_is_decoded_with_a_warning() {
        let (text, warnings) = decode_text(b"We\x92re sorry \x96 truly").unwrap();
        assert_eq!(text, "We\u{2019}re sorry \u{2013} truly");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("Windows-1252"));
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert_eq!(decode_text(b"PK\x03\x04\0\0").unwrap_err().kind, "binary");
        assert_eq!(decode_text(b"").unwrap_err().kind, "empty");
    }
}
