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

    /// [`Document::from_bytes`] taking the bytes: UTF-8 text, the usual case, becomes the
    /// document's text without a copy.
    pub fn from_vec(id: impl Into<String>, path: Option<String>, format: &'static str, bytes: Vec<u8>) -> Result<Document, ReadError> {
        let len = bytes.len();
        let (text, warnings) = decode_text_owned(bytes)?;
        Ok(Document { id: id.into(), path, format, bytes: len, text, warnings, facts: None, blocks: Vec::new() })
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

/// UTF-8 (UTF-16 with a byte-order mark is also read), or Windows-1252 when the bytes
/// are not UTF-8; NUL bytes mean the file is not text at all.
///
/// Bytes that are not UTF-8 are told apart two ways: a file that also holds well-formed
/// multi-byte UTF-8 sequences is UTF-8 with some damage (the bad bytes become U+FFFD,
/// so the intact text keeps its characters); a file with none is Windows-1252. Either
/// way a warning says what was done.
pub fn decode_text(bytes: &[u8]) -> Result<(String, Vec<String>), ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::new("empty", "the file is empty"));
    }
    for (bom, encoding) in [(&b"\xFF\xFE"[..], encoding_rs::UTF_16LE), (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = encoding.decode_without_bom_handling(rest);
            let mut warnings = vec![format!("decoded as {} (byte-order mark)", encoding.name())];
            if had_errors {
                warnings.push("invalid UTF-16 sequences were replaced with U+FFFD".to_owned());
            }
            return Ok((text.into_owned(), warnings));
        }
    }
    let sample = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, sample).is_some() {
        return Err(ReadError::new("binary", "the file is binary (it contains NUL bytes), not text"));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_owned(), Vec::new())),
        Err(e) if has_utf8_multibyte(bytes) => {
            let bad = bytes.utf8_chunks().map(|c| c.invalid().len()).sum::<usize>();
            let warning = format!("not valid UTF-8: {bad} invalid byte(s), the first at offset {}, replaced with U+FFFD", e.valid_up_to());
            Ok((String::from_utf8_lossy(bytes).into_owned(), vec![warning]))
        }
        Err(e) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            let warning = format!("not valid UTF-8 (first bad byte at offset {}); decoded as Windows-1252", e.valid_up_to());
            Ok((text.into_owned(), vec![warning]))
        }
    }
}

/// [`decode_text`] of bytes it may keep: UTF-8 with no byte-order mark and no NUL where
/// `decode_text` looks for one is the text as it is.
pub fn decode_text_owned(bytes: Vec<u8>) -> Result<(String, Vec<String>), ReadError> {
    let marked = [&b"\xFF\xFE"[..], b"\xFE\xFF", b"\xEF\xBB\xBF"].iter().any(|bom| bytes.starts_with(bom));
    if bytes.is_empty() || marked || memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return decode_text(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, Vec::new())),
        Err(e) => decode_text(e.as_bytes()),
    }
}

/// True when the bytes hold at least one well-formed multi-byte UTF-8 character.
fn has_utf8_multibyte(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().any(|c| !c.valid().is_ascii())
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
    fn damaged_utf8_keeps_its_characters() {
        let (text, warnings) =
            decode_text("We\u{2019}re sorry".as_bytes().iter().copied().chain(*b" \xFF ok").collect::<Vec<_>>().as_slice()).unwrap();
        assert_eq!(text, "We\u{2019}re sorry \u{FFFD} ok");
        assert!(warnings[0].contains("1 invalid byte(s)"), "{warnings:?}");
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("Notice".encode_utf16().flat_map(u16::to_le_bytes));
        let (text, warnings) = decode_text(&bytes).unwrap();
        assert_eq!(text, "Notice");
        assert!(warnings[0].contains("UTF-16LE"));
    }

    #[test]
    fn owned_bytes_decode_as_borrowed_ones() {
        let mut utf16 = vec![0xFE, 0xFF];
        utf16.extend("Notice".encode_utf16().flat_map(u16::to_be_bytes));
        let mut late_nul = vec![b'a'; 9000];
        late_nul.push(0);
        let inputs: [&[u8]; 9] = [
            b"",
            b"Notice \xE2\x80\x99",
            b"\xEF\xBB\xBFNotice",
            b"We\x92re",
            b"PK\x03\x04\0\0",
            b"ok \xFF \xC3\xA9",
            &utf16,
            &late_nul,
            b"\0",
        ];
        for bytes in inputs {
            assert_eq!(decode_text_owned(bytes.to_vec()), decode_text(bytes), "{bytes:?}");
        }
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert_eq!(decode_text(b"PK\x03\x04\0\0").unwrap_err().kind, "binary");
        assert_eq!(decode_text(b"").unwrap_err().kind, "empty");
    }
}
