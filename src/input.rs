//! Finding and reading inputs: files, directories (recursively) and JSONL streams.
//!
//! Every input yields exactly one [`Loaded`] per document it holds: a document, or an
//! error record saying why it could not be read. Nothing is dropped silently.

use std::collections::HashSet;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::document::{Document, ReadError};
use crate::report::{DocumentInfo, ErrorInfo, ErrorRecord, SCHEMA};
use crate::summary::Skipped;

/// Extensions `scan` reads inside directories (SPEC §6).
pub const EXTENSIONS: &[&str] = &["txt", "md", "html", "htm", "pdf", "docx", "jsonl"];

/// One thing to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file, with the document id SPEC §3 gives it. `sidecar` says whether its facts
    /// sidecar (`NAME.facts.toml`) is a file beside it, when the directory listing told;
    /// None: look when reading.
    File { path: PathBuf, id: String, sidecar: Option<bool> },
    /// JSONL records on standard input.
    Stdin,
    /// Something found while listing that cannot be read (a symlink loop, an unreadable
    /// directory), kept so the batch still accounts for it.
    Unreadable { path: PathBuf, id: String, error: ReadError },
}

/// How much `load` may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// The largest document read, in bytes: a file's size (checked before reading), a
    /// JSONL line, and the decompressed text and entries of HTML, DOCX and PDF files.
    pub max_bytes: u64,
}

/// The default per-document limit: 64 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { max_bytes: DEFAULT_MAX_BYTES }
    }
}

/// A document, or the record of why one could not be read.
#[derive(Debug)]
pub enum Loaded {
    Document(Document),
    Failed(ErrorRecord),
}

/// Expands the command-line paths into sources, in order: directories are walked
/// recursively in name order, keeping files with a known extension.
pub fn discover(paths: &[PathBuf]) -> Vec<Source> {
    discover_all(paths).0
}

/// [`discover`], also returning the files the directory walks passed over and why
/// (hidden files, READMEs, label sidecars, unknown extensions). Facts sidecars are not
/// listed: they are read with their notice (or, alone, by [`orphan_facts`]).
pub fn discover_all(paths: &[PathBuf]) -> (Vec<Source>, Vec<Skipped>) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Source::Stdin);
        } else if path.is_dir() {
            let mut seen = HashSet::new();
            walk(path, path, &mut seen, &mut out, &mut skipped);
        } else {
            let id = path.file_stem().map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into_owned());
            out.push(Source::File { path: path.clone(), id, sidecar: None });
        }
    }
    (out, skipped)
}

/// SPEC §3's document id of a path found under `root`: the path relative to the root,
/// without its extension, `/` between components.
fn id_under(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p).with_extension("");
    rel.to_string_lossy().replace('\\', "/")
}

/// [`id_under`] for the entries of one directory, from the directory's part worked out
/// once: per entry it only drops the extension of the name.
struct Ids {
    /// The directory relative to the root, with a trailing `/` unless empty.
    prefix: String,
}

impl Ids {
    fn new(root: &Path, dir: &Path) -> Ids {
        let mut prefix = dir.strip_prefix(root).unwrap_or(dir).to_string_lossy().replace('\\', "/");
        if !prefix.is_empty() {
            prefix.push('/');
        }
        Ids { prefix }
    }

    fn of(&self, name: &std::ffi::OsStr) -> String {
        let name = name.to_string_lossy();
        // As `Path::with_extension("")`: the last `.` ends the stem unless it starts the name.
        let stem = match name.rfind('.') {
            Some(dot) if dot > 0 => &name[..dot],
            _ => &name[..],
        };
        let mut id = String::with_capacity(self.prefix.len() + stem.len());
        id.push_str(&self.prefix);
        if stem.contains('\\') {
            id.push_str(&stem.replace('\\', "/"));
        } else {
            id.push_str(stem);
        }
        id
    }
}

fn walk(root: &Path, dir: &Path, seen: &mut HashSet<PathBuf>, out: &mut Vec<Source>, skipped: &mut Vec<Skipped>) {
    let unreadable = |e: std::io::Error| Source::Unreadable {
        path: dir.to_owned(),
        id: id_under(root, dir),
        error: ReadError::new("io", format!("{}: {e}", dir.display())),
    };
    // A directory reached twice (through a symlink) is a loop: report it, do not follow it.
    match dir.canonicalize() {
        Ok(canonical) if seen.contains(&canonical) => {
            out.push(Source::Unreadable {
                path: dir.to_owned(),
                id: id_under(root, dir),
                error: ReadError::new("symlink_loop", format!("{}: directory already visited (symlink loop); not followed", dir.display())),
            });
            return;
        }
        Ok(canonical) => {
            seen.insert(canonical);
        }
        Err(e) => return out.push(unreadable(e)),
    }
    let mut listing = match Listing::read(dir) {
        Ok(listing) => listing,
        Err(e) => return out.push(unreadable(e)),
    };
    // Entries of one directory differ only in their last component, so comparing names
    // orders them as comparing whole paths would, without splitting paths into components.
    listing.entries.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    let ids = Ids::new(root, dir);
    for entry in &listing.entries {
        let mut p = PathBuf::with_capacity(dir.as_os_str().len() + entry.name.len() + 1);
        p.push(dir);
        p.push(&entry.name);
        // A README describes a corpus; hidden files are editor and VCS litter. Neither is a notice.
        let name = entry.name.as_encoded_bytes();
        let skip = |reason: &str| Skipped { path: p.display().to_string(), reason: reason.to_owned() };
        if name.starts_with(b".") {
            skipped.push(skip("hidden"));
        } else if name.get(..7).is_some_and(|s| s.eq_ignore_ascii_case(b"readme.")) {
            skipped.push(skip("readme"));
        } else if ends_with_ignore_case(name, b".labels.toml") {
            skipped.push(skip("labels sidecar"));
        } else if ends_with_ignore_case(name, b".facts.toml") {
            // Read with its notice, or alone by `orphan_facts`.
        } else {
            match listing.kind(entry, &p) {
                // A symlink that leads nowhere, or into a loop of links: say so, whatever its name.
                Err(e) => {
                    let kind = if e.raw_os_error() == Some(ELOOP) { "symlink_loop" } else { io_kind(&e) };
                    let error = ReadError::new(kind, format!("{}: {e}", p.display()));
                    out.push(Source::Unreadable { id: ids.of(&entry.name), path: p, error });
                }
                Ok(Kind::Dir) => walk(root, &p, seen, out, skipped),
                Ok(Kind::Other) if has_notice_extension(&p) => {
                    let sidecar = crate::facts::sidecar_path(Path::new(&entry.name));
                    let sidecar = listing.is_file_sorted(sidecar.as_os_str());
                    out.push(Source::File { id: ids.of(&entry.name), path: p, sidecar });
                }
                Ok(Kind::Other) => skipped.push(skip("not a notice format")),
            }
        }
    }
}

fn ends_with_ignore_case(name: &[u8], suffix: &[u8]) -> bool {
    name.len() >= suffix.len() && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

fn has_notice_extension(p: &Path) -> bool {
    p.extension().and_then(|x| x.to_str()).is_some_and(|x| EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
}

/// A directory's entries with the file types the listing gave: telling a file from a
/// directory this way costs no system call per entry, where a `stat` per entry was a
/// tenth of a scan of short letters.
struct Listing {
    entries: Vec<Entry>,
    /// Whether entries' own types can be trusted: a directory that can be listed but not
    /// searched gives types, yet every entry in it fails to open or `stat`; there, as
    /// wherever a type is missing or a symlink, the entry is `stat`ed as before.
    trusted: bool,
}

struct Entry {
    name: std::ffi::OsString,
    file_type: Option<std::fs::FileType>,
}

/// What an entry is, following symlinks.
enum Kind {
    Dir,
    Other,
}

impl Listing {
    /// The entries in the order the system lists them.
    fn read(dir: &Path) -> std::io::Result<Listing> {
        let entries: Vec<Entry> =
            std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| Entry { file_type: e.file_type().ok(), name: e.file_name() })).collect();
        // One `stat` per directory tells whether its entries can be reached at all.
        let trusted = entries
            .iter()
            .find(|e| e.file_type.is_some_and(|t| !t.is_symlink()))
            .is_none_or(|e| std::fs::metadata(dir.join(&e.name)).is_ok());
        Ok(Listing { entries, trusted })
    }

    /// The entry's own type, unless it must be looked up (`stat`, following symlinks).
    fn known_type(&self, entry: &Entry) -> Option<std::fs::FileType> {
        entry.file_type.filter(|t| self.trusted && !t.is_symlink())
    }

    /// Whether `p` (the path of `entry`) is a directory, following symlinks; the error
    /// of a symlink that leads nowhere or into a loop.
    fn kind(&self, entry: &Entry, p: &Path) -> std::io::Result<Kind> {
        let is_dir = match self.known_type(entry) {
            Some(t) => t.is_dir(),
            None => std::fs::metadata(p)?.is_dir(),
        };
        Ok(if is_dir { Kind::Dir } else { Kind::Other })
    }

    /// Whether `name` is a file here (following symlinks), as `Path::is_file` would say;
    /// None when only a `stat` can tell. The entries must be sorted by name.
    fn is_file_sorted(&self, name: &std::ffi::OsStr) -> Option<bool> {
        match self.entries.binary_search_by(|e| e.name.as_os_str().cmp(name)) {
            Ok(i) => self.known_type(&self.entries[i]).map(|t| t.is_file()),
            Err(_) => self.trusted.then_some(false),
        }
    }
}

/// Sidecar facts files (`NAME.facts.toml`) under the directory arguments that have no
/// notice beside them: organizations known from outside (e.g. listed on a leak site)
/// with no notice found. Returned as (document id, path).
pub fn orphan_facts(paths: &[PathBuf]) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = paths.iter().filter(|p| p.is_dir()).cloned().collect();
    let mut seen = HashSet::new();
    while let Some(dir) = stack.pop() {
        if !dir.canonicalize().is_ok_and(|c| seen.insert(c)) {
            continue;
        }
        let Ok(listing) = Listing::read(&dir) else { continue };
        // Names to look notices up by, without a `stat` per candidate.
        let mut sorted: Vec<&Entry> = Vec::new();
        for entry in &listing.entries {
            let p = dir.join(&entry.name);
            let is_dir = match listing.known_type(entry) {
                Some(t) => t.is_dir(),
                None => p.is_dir(),
            };
            let name = entry.name.to_string_lossy();
            if is_dir {
                stack.push(p);
            } else if let Some(stem) = name.strip_suffix(".facts.toml") {
                if sorted.is_empty() {
                    sorted = listing.entries.iter().collect();
                    sorted.sort_unstable_by(|a, b| a.name.cmp(&b.name));
                }
                let has_notice = EXTENSIONS.iter().any(|ext| {
                    let notice = format!("{stem}.{ext}");
                    let found = sorted.binary_search_by(|e| e.name.as_os_str().cmp(std::ffi::OsStr::new(&notice)));
                    match found.ok().map(|i| listing.known_type(sorted[i])) {
                        Some(Some(t)) => t.is_file(),
                        None if listing.trusted => false,
                        _ => p.with_file_name(&notice).is_file(),
                    }
                });
                if !has_notice {
                    let root = paths.iter().find(|r| p.starts_with(r)).cloned().unwrap_or_default();
                    let id = p.strip_prefix(&root).unwrap_or(&p).with_file_name(stem).to_string_lossy().replace('\\', "/");
                    out.push((id, p));
                }
            }
        }
    }
    out.sort();
    out
}

/// Reads one source into its documents (a JSONL source may hold many).
pub fn load(source: &Source) -> Vec<Loaded> {
    load_with(source, &ReadOptions::default())
}

/// [`load`] within the given limits.
pub fn load_with(source: &Source, options: &ReadOptions) -> Vec<Loaded> {
    match source {
        Source::Stdin => load_jsonl_with(std::io::stdin().lock(), "-", None, options),
        Source::Unreadable { path, id, error } => vec![failed(id, Some(path), "unknown", 0, error)],
        Source::File { path, id, sidecar } => load_file_at(path, id, *sidecar, options),
    }
}

/// Reads one file into its documents.
pub fn load_file(path: &Path, id: &str) -> Vec<Loaded> {
    load_file_with(path, id, &ReadOptions::default())
}

/// [`load_file`] within the given limits. A file larger than `max_bytes` is refused
/// before it is read (`too_large`); one that grows while it is read is cut off there.
pub fn load_file_with(path: &Path, id: &str, options: &ReadOptions) -> Vec<Loaded> {
    load_file_at(path, id, None, options)
}

/// [`load_file_with`], told whether the facts sidecar is a file (None: look).
fn load_file_at(path: &Path, id: &str, sidecar: Option<bool>, options: &ReadOptions) -> Vec<Loaded> {
    let format = format_of(path);
    let io_failed = |e: std::io::Error| {
        let err = ReadError::new(io_kind(&e), format!("{}: {e}", path.display()));
        vec![failed(id, Some(path), format, 0, &err)]
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return io_failed(e),
    };
    let meta = match file.metadata() {
        Ok(m) => m,
        Err(e) => return io_failed(e),
    };
    if meta.is_dir() {
        return io_failed(std::io::Error::other("is a directory"));
    }
    if format == "jsonl" {
        // Each line is a document: the limit applies per line, not to the stream.
        let reader = std::io::BufReader::new(file);
        return load_jsonl_with(reader, &path.display().to_string(), Some(path), options);
    }
    let too_large = |size: u64| {
        let err = ReadError::new(
            "too_large",
            format!("{}: {size} bytes is over the per-document limit of {} bytes", path.display(), options.max_bytes),
        );
        vec![failed(id, Some(path), format, usize::try_from(size).unwrap_or(usize::MAX), &err)]
    };
    if meta.len() > options.max_bytes {
        return too_large(meta.len());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    if let Err(e) = file.take(options.max_bytes.saturating_add(1)).read_to_end(&mut bytes) {
        return io_failed(e);
    }
    if bytes.len() as u64 > options.max_bytes {
        return too_large(bytes.len() as u64);
    }
    let display = Some(path.display().to_string());
    let limits = crate::extract::Limits {
        max_output_bytes: usize::try_from(options.max_bytes).unwrap_or(usize::MAX),
        max_entry_bytes: options.max_bytes,
        ..crate::extract::Limits::default()
    };
    let len = bytes.len();
    match crate::extract::document_from_vec_with(id, display, format, bytes, &limits) {
        Ok(mut doc) => {
            if sidecar.unwrap_or_else(|| crate::facts::sidecar_path(path).is_file()) {
                match crate::facts::read_toml(&crate::facts::sidecar_path(path)) {
                    Ok(facts) => doc.facts = Some(facts),
                    Err(e) => return vec![failed(id, Some(path), format, len, &ReadError::new("facts", e.to_string()))],
                }
            }
            vec![Loaded::Document(doc)]
        }
        Err(e) => {
            let err = ReadError::new(e.kind, format!("{}: {}", path.display(), e.message));
            vec![failed(id, Some(path), format, len, &err)]
        }
    }
}

#[derive(Deserialize)]
struct JsonlRecord {
    id: Option<serde_json::Value>,
    text: Option<String>,
}

/// JSONL: one `{"id": ..., "text": ...}` per line; a bad line yields an error record
/// naming the line, and the stream goes on.
pub fn load_jsonl(reader: impl BufRead, name: &str, path: Option<&Path>) -> Vec<Loaded> {
    load_jsonl_with(reader, name, path, &ReadOptions::default())
}

/// [`load_jsonl`] within the given limits: a line longer than `max_bytes` is skipped
/// without being held in memory and yields a `too_large` record.
pub fn load_jsonl_with(mut reader: impl BufRead, name: &str, path: Option<&Path>, options: &ReadOptions) -> Vec<Loaded> {
    let mut out = Vec::new();
    let mut line = Vec::new();
    for lineno in 1.. {
        let fallback_id = format!("{name}:{lineno}");
        let (len, fits) = match read_line_bounded(&mut reader, &mut line, options.max_bytes) {
            Ok(None) => break,
            Ok(Some(r)) => r,
            Err(e) => {
                out.push(failed(&fallback_id, path, "jsonl", 0, &ReadError::new(io_kind(&e), format!("{name}:{lineno}: {e}"))));
                break;
            }
        };
        if !fits {
            let message = format!("{name}:{lineno}: the line is {len} bytes, over the per-document limit of {} bytes", options.max_bytes);
            out.push(failed(
                &fallback_id,
                path,
                "jsonl",
                usize::try_from(len).unwrap_or(usize::MAX),
                &ReadError::new("too_large", message),
            ));
            continue;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        out.push(jsonl_line(&line, name, lineno, path));
    }
    out
}

/// Reads one `\n`-terminated line into `buf` (without the `\n`), keeping at most
/// `max` bytes. Returns None at the end of input, else the line's full length and
/// whether it fit.
pub fn read_line_bounded(reader: &mut impl BufRead, buf: &mut Vec<u8>, max: u64) -> std::io::Result<Option<(u64, bool)>> {
    buf.clear();
    let mut len: u64 = 0;
    let mut any = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(any.then_some((len, len <= max)));
        }
        any = true;
        let (part, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        len += part.len() as u64;
        if len <= max {
            buf.extend_from_slice(part);
        } else {
            buf.clear();
        }
        let used = done.unwrap_or(chunk.len());
        reader.consume(used);
        if done.is_some() {
            return Ok(Some((len, len <= max)));
        }
    }
}

/// One JSONL line to a document or an error record.
pub fn jsonl_line(line: &[u8], name: &str, lineno: usize, path: Option<&Path>) -> Loaded {
    let fallback_id = format!("{name}:{lineno}");
    let record: JsonlRecord = match serde_json::from_slice(line) {
        Ok(r) => r,
        Err(e) => {
            return failed(
                &fallback_id,
                path,
                "jsonl",
                line.len(),
                &ReadError::new("json", format!("{name}:{lineno}: not a JSON object: {e}")),
            );
        }
    };
    let id = match record.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => fallback_id.clone(),
    };
    match record.text {
        Some(text) => {
            let mut doc = Document::from_text(id, text);
            doc.path = path.map(|p| p.display().to_string());
            doc.format = "jsonl";
            Loaded::Document(doc)
        }
        None => {
            failed(&id, path, "jsonl", line.len(), &ReadError::new("json", format!("{name}:{lineno}: the record has no \"text\" string")))
        }
    }
}

/// `ELOOP` on Linux and the BSDs alike ("too many levels of symbolic links").
const ELOOP: i32 = if cfg!(target_os = "linux") { 40 } else { 62 };

/// The error kind of an I/O failure: `not_found` (e.g. a file that vanished after it was
/// listed, or a dangling symlink), `permission`, or `io`.
fn io_kind(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "not_found",
        std::io::ErrorKind::PermissionDenied => "permission",
        _ => "io",
    }
}

/// The SPEC §3 `format` of a path.
pub fn format_of(path: &Path) -> &'static str {
    match path.extension().and_then(|x| x.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("md" | "markdown") => "markdown",
        Some("html" | "htm" | "xhtml") => "html",
        Some("pdf") => "pdf",
        Some("docx") => "docx",
        Some("jsonl") => "jsonl",
        _ => "text",
    }
}

/// An error record for a document that could not be read.
pub fn failed(id: &str, path: Option<&Path>, format: &str, bytes: usize, error: &ReadError) -> Loaded {
    Loaded::Failed(ErrorRecord {
        schema: SCHEMA.to_owned(),
        document: DocumentInfo { id: id.to_owned(), path: path.map(|p| p.display().to_string()), format: format.to_owned(), bytes },
        error: ErrorInfo { kind: error.kind.to_owned(), message: error.message.clone() },
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{Ids, id_under};

    #[test]
    fn ids_of_entries_are_the_ids_of_their_paths() {
        for root in ["corpora", "corpora/", "./corpora", "corpora//", "/abs/c", ".", "a\\b"] {
            let root = Path::new(root);
            for dir in [root.to_path_buf(), root.join("sub"), root.join("sub").join("d.x"), root.join("./e")] {
                let ids = Ids::new(root, &dir);
                for name in ["a.txt", "a.b.txt", "foo.", "noext", "a\\b.txt", "\u{fc}.md", "x..md", ".hidden", ".a.txt", "README.md"] {
                    assert_eq!(ids.of(name.as_ref()), id_under(root, &dir.join(name)), "{root:?} {dir:?} {name}");
                }
            }
        }
    }
}
