//! Finding and reading inputs: files, directories (recursively) and JSONL streams.
//!
//! Every input yields exactly one [`Loaded`] per document it holds: a document, or an
//! error record saying why it could not be read. Nothing is dropped silently.

use std::collections::HashSet;
use std::io::BufRead;
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
    /// A file, with the document id SPEC §3 gives it.
    File { path: PathBuf, id: String },
    /// JSONL records on standard input.
    Stdin,
    /// Something found while listing that cannot be read (a symlink loop, an unreadable
    /// directory), kept so the batch still accounts for it.
    Unreadable { path: PathBuf, id: String, error: ReadError },
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
            out.push(Source::File { path: path.clone(), id });
        }
    }
    (out, skipped)
}

fn walk(root: &Path, dir: &Path, seen: &mut HashSet<PathBuf>, out: &mut Vec<Source>, skipped: &mut Vec<Skipped>) {
    let id_of = |p: &Path| {
        let rel = p.strip_prefix(root).unwrap_or(p).with_extension("");
        rel.to_string_lossy().replace('\\', "/")
    };
    let unreadable = |e: std::io::Error| Source::Unreadable {
        path: dir.to_owned(),
        id: id_of(dir),
        error: ReadError::new("io", format!("{}: {e}", dir.display())),
    };
    // A directory reached twice (through a symlink) is a loop: report it, do not follow it.
    match dir.canonicalize() {
        Ok(canonical) if seen.contains(&canonical) => {
            out.push(Source::Unreadable {
                path: dir.to_owned(),
                id: id_of(dir),
                error: ReadError::new("symlink_loop", format!("{}: directory already visited (symlink loop); not followed", dir.display())),
            });
            return;
        }
        Ok(canonical) => {
            seen.insert(canonical);
        }
        Err(e) => return out.push(unreadable(e)),
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return out.push(unreadable(e)),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        // A README describes a corpus; hidden files are editor and VCS litter. Neither is a notice.
        let name = p.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        let skip = |reason: &str| Skipped { path: p.display().to_string(), reason: reason.to_owned() };
        if name.starts_with('.') {
            skipped.push(skip("hidden"));
            continue;
        }
        if name.starts_with("readme.") {
            skipped.push(skip("readme"));
            continue;
        }
        if p.is_dir() {
            walk(root, &p, seen, out, skipped);
        } else if p.extension().and_then(|x| x.to_str()).is_some_and(|x| EXTENSIONS.contains(&x.to_ascii_lowercase().as_str())) {
            out.push(Source::File { id: id_of(&p), path: p });
        } else if name.ends_with(".labels.toml") {
            skipped.push(skip("labels sidecar"));
        } else if !name.ends_with(".facts.toml") {
            skipped.push(skip("not a notice format"));
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
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for p in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if p.is_dir() {
                stack.push(p);
            } else if let Some(stem) = name.strip_suffix(".facts.toml") {
                let has_notice = EXTENSIONS.iter().any(|ext| p.with_file_name(format!("{stem}.{ext}")).is_file());
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
    match source {
        Source::Stdin => load_jsonl(std::io::stdin().lock(), "-", None),
        Source::Unreadable { path, id, error } => vec![failed(id, Some(path), "unknown", 0, error)],
        Source::File { path, id } => load_file(path, id),
    }
}

/// Reads one file into its documents.
pub fn load_file(path: &Path, id: &str) -> Vec<Loaded> {
    let format = format_of(path);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let err = ReadError::new("io", format!("{}: {e}", path.display()));
            return vec![failed(id, Some(path), format, 0, &err)];
        }
    };
    if format == "jsonl" {
        return load_jsonl(bytes.as_slice(), &path.display().to_string(), Some(path));
    }
    let display = Some(path.display().to_string());
    match crate::extract::document_from_bytes(id, display, format, &bytes) {
        Ok(mut doc) => {
            let sidecar = crate::facts::sidecar_path(path);
            if sidecar.is_file() {
                match crate::facts::read_toml(&sidecar) {
                    Ok(facts) => doc.facts = Some(facts),
                    Err(e) => return vec![failed(id, Some(path), format, bytes.len(), &ReadError::new("facts", e.to_string()))],
                }
            }
            vec![Loaded::Document(doc)]
        }
        Err(e) => {
            let err = ReadError::new(e.kind, format!("{}: {}", path.display(), e.message));
            vec![failed(id, Some(path), format, bytes.len(), &err)]
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
    let mut out = Vec::new();
    for (i, line) in reader.split(b'\n').enumerate() {
        let lineno = i + 1;
        let fallback_id = format!("{name}:{lineno}");
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                out.push(failed(&fallback_id, path, "jsonl", 0, &ReadError::new("io", format!("{name}:{lineno}: {e}"))));
                break;
            }
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        out.push(jsonl_line(&line, name, lineno, path));
    }
    out
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
