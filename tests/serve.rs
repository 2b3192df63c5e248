//! `noticelint serve`'s API, over real HTTP: each test starts the binary on a free
//! loopback port and talks to it with a small HTTP/1.1 client. DOCX and PDF inputs are
//! built here; the notice is an invented one from the fictional Harbor Valley Clinic.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

const NOTICE: &str = "Harbor Valley Clinic is writing to tell you about a data security incident. \
We recently learned that an unauthorized party copied files from our network. \
The files contained names and Social Security numbers. \
We have no indication that any of your information has been misused.";

const PUBLISHED: &str = r#"{"published": true, "leak_site": "Pysa", "listed_on": "2021-02-01", "dump_data_types": ["name", "ssn"]}"#;

// ---------------------------------------------------------------- status codes and JSON

#[test]
fn healthz_page_and_assets() {
    let s = Server::start(&[]);
    let r = s.get("/healthz");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "ok");
    let page = s.get("/");
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    assert!(page.header("content-security-policy").unwrap().contains("default-src 'none'"));
    assert!(page.text().contains("<textarea id=\"text\""));
    for asset in ["/app.js", "/app.css"] {
        assert_eq!(s.get(asset).status, 200, "{asset}");
    }
    let missing = s.get("/nope");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["error"]["kind"], "not_found");
}

#[test]
fn json_check_answers_the_spec_report() {
    let s = Server::start(&[]);
    let r = s.post_json("/api/check", &json!({"text": NOTICE}).to_string());
    assert_eq!(r.status, 200, "{}", r.text());
    let report = r.json();
    let keys: Vec<&str> = report.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["data_types", "disclosures", "document", "elements", "flags", "hedges", "metrics", "schema"]);
    assert_eq!(report["schema"], "noticelint.report/1");
    assert_eq!(report["document"]["format"], "text");
    assert!(hedge_categories(&report).contains(&"no_evidence_of_misuse".to_owned()));
    assert_eq!(status_of(&report, "ssn"), Some("affirmed".into()));
    assert_eq!(report["disclosures"]["exfiltration"]["status"], "affirmed");
    let hedge = &report["hedges"][0];
    let (start, end) = (hedge["start"].as_u64().unwrap() as usize, hedge["end"].as_u64().unwrap() as usize);
    assert_eq!(&NOTICE[start..end], hedge["text"].as_str().unwrap(), "offsets index the text sent");
    assert!(flag_ids(&report).contains(&"reassurance-after-exfiltration".to_owned()));
}

#[test]
fn facts_and_profile_change_the_flags() {
    let s = Server::start(&[]);
    let body = format!(r#"{{"text": {}, "facts": {PUBLISHED}, "profile": "hipaa"}}"#, json!(NOTICE));
    let r = s.post_json("/api/check", &body);
    assert_eq!(r.status, 200, "{}", r.text());
    let flags = flag_ids(&r.json());
    for id in ["omits-public-dump", "reassurance-despite-dump", "missing-element"] {
        assert!(flags.contains(&id.to_owned()), "{id} in {flags:?}");
    }
    assert!(!flags.contains(&"silent-on-publication".to_owned()), "facts say what is known");
    assert_eq!(r.json()["flags"][0]["severity"], "error");
}

#[test]
fn detail_adds_the_text_and_the_checklist() {
    let s = Server::start(&[]);
    let r = s.post_json("/api/check?detail=true", &json!({"text": NOTICE, "profile": "generic"}).to_string());
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["text"], NOTICE);
    assert_eq!(v["report"]["schema"], "noticelint.report/1");
    let checklist = v["checklist"].as_array().unwrap();
    assert!(checklist.iter().any(|c| c["id"] == "what_happened"), "{checklist:?}");
    assert!(checklist.iter().all(|c| ["met", "missing", "forbidden", "not_applicable"].contains(&c["state"].as_str().unwrap())));
}

#[test]
fn malformed_and_wrongly_shaped_bodies_are_400() {
    let s = Server::start(&[]);
    for (body, kind) in [
        (r#"{"text": "#, "malformed_json"),
        ("not json at all", "malformed_json"),
        (r#"{"txt": "a notice"}"#, "bad_request"),
        (r#"{"text": 12}"#, "bad_request"),
        (r#"{"text": "a notice", "facts": {}, "extra": 1}"#, "bad_request"),
    ] {
        let r = s.post_json("/api/check", body);
        assert_eq!(r.status, 400, "{body}: {}", r.text());
        let e = &r.json()["error"];
        assert_eq!(e["kind"], kind, "{body}");
        assert_eq!(e["status"], 400);
        assert!(e["message"].as_str().unwrap().contains("request body"), "{e}");
    }
}

#[test]
fn bad_facts_unknown_profiles_and_empty_text_are_422() {
    let s = Server::start(&[]);
    for (facts, needle) in [
        (r#"{"leaked": true}"#, "unknown field `leaked`"),
        (r#"{"published": true, "dump_data_types": ["blood_type"]}"#, "unknown data type `blood_type`"),
        (r#"{"listed_on": "2021-02-30"}"#, "`listed_on`: `2021-02-30` is not a date"),
        (r#"{"published": "yes"}"#, "invalid type"),
    ] {
        let r = s.post_json("/api/check", &format!(r#"{{"text": "A notice.", "facts": {facts}}}"#));
        assert_eq!(r.status, 422, "{facts}: {}", r.text());
        assert_eq!(r.json()["error"]["kind"], "bad_facts");
        assert!(r.json()["error"]["message"].as_str().unwrap().contains(needle), "{}", r.text());
    }
    let r = s.post_json("/api/check", r#"{"text": "A notice.", "profile": "texas"}"#);
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error"]["kind"], "unknown_profile");
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("hipaa"), "names the known profiles");
    let r = s.post_json("/api/check", r#"{"text": "  \n "}"#);
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error"]["kind"], "empty");
}

#[test]
fn oversized_bodies_are_413_and_other_media_types_415() {
    let s = Server::start(&["--max-body", "2000"]);
    let big = json!({"text": "word ".repeat(1000)}).to_string();
    let r = s.post_json("/api/check", &big);
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["error"]["kind"], "too_large");
    let r = s.request("POST", "/api/check", &[("content-type", "text/plain")], NOTICE.as_bytes());
    assert_eq!(r.status, 415);
    assert_eq!(r.json()["error"]["kind"], "unsupported_media_type");
    assert_eq!(s.get("/api/check").status, 405);
    let s = Server::start(&["--max-text", "100"]);
    let r = s.post_multipart("/api/check", &[Part::file("file", "n.docx", &docx(&[NOTICE]))]);
    assert_eq!(r.status, 413, "the extracted text counts: {}", r.text());
    assert_eq!(r.json()["error"]["kind"], "text_too_large");
}

#[test]
fn requests_for_other_hosts_are_refused() {
    let s = Server::start(&[]);
    let r = s.request("GET", "/healthz", &[("host", "attacker.example")], b"");
    assert_eq!(r.status, 421);
    assert_eq!(r.json()["error"]["kind"], "bad_host");
    assert_eq!(s.request("GET", "/healthz", &[("host", "localhost:9")], b"").status, 200);
}

// ---------------------------------------------------------------- uploads, each format

#[test]
fn each_upload_format_gives_the_findings_of_its_text() {
    let s = Server::start(&[]);
    let paragraphs: Vec<&str> = NOTICE.split_inclusive(". ").map(str::trim).collect();
    let html = format!("<html><body><h1>Notice</h1>{}</body></html>", paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect::<String>());
    let uploads: Vec<(&str, Vec<u8>)> = vec![
        ("notice.txt", NOTICE.as_bytes().to_vec()),
        ("notice.md", NOTICE.as_bytes().to_vec()),
        ("notice.html", html.into_bytes()),
        ("notice.docx", docx(&paragraphs)),
        ("notice.pdf", pdf(&paragraphs)),
    ];
    for (name, bytes) in uploads {
        let r = s.post_multipart("/api/check", &[Part::file("file", name, &bytes), Part::text("facts", PUBLISHED)]);
        assert_eq!(r.status, 200, "{name}: {}", r.text());
        let report = r.json();
        assert_eq!(report["document"]["id"], "notice", "{name}");
        assert!(hedge_categories(&report).contains(&"no_evidence_of_misuse".to_owned()), "{name}: {report}");
        assert_eq!(status_of(&report, "ssn"), Some("affirmed".into()), "{name}");
        let flags = flag_ids(&report);
        assert!(
            flags.contains(&"omits-public-dump".to_owned()) && flags.contains(&"reassurance-despite-dump".to_owned()),
            "{name}: {flags:?}"
        );
    }
}

#[test]
fn multipart_facts_as_toml_or_fields_and_the_profile() {
    let s = Server::start(&[]);
    let toml = "published = true\nleak_site = \"Pysa\"\nlisted_on = 2021-02-01\n";
    let r = s.post_multipart(
        "/api/check?detail=true",
        &[Part::text("text", NOTICE), Part::file("facts", "f.toml", toml.as_bytes()), Part::text("profile", "hipaa")],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(flag_ids(&r.json()["report"]).contains(&"omits-public-dump".to_owned()));
    assert_eq!(r.json()["checklist"][0]["id"], "what_happened");
    let r = s.post_multipart(
        "/api/check",
        &[Part::text("text", NOTICE), Part::text("published", "true"), Part::text("dump_data_types", "name, medical_info")],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let flags = flag_ids(&r.json());
    assert!(flags.contains(&"understated-data-types".to_owned()), "{flags:?}");
    let r = s.post_multipart("/api/check", &[Part::text("text", NOTICE), Part::text("facts", "published = maybe\n")]);
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.json()["error"]["message"].as_str().unwrap().starts_with("facts: facts:1:"), "{}", r.text());
}

#[test]
fn unreadable_uploads_say_why() {
    let s = Server::start(&[]);
    let r = s.post_multipart("/api/check", &[Part::file("file", "draft.docx", b"this is not a zip file")]);
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error"]["kind"], "corrupt");
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("draft.docx"));
    let r = s.post_multipart("/api/check", &[Part::file("file", "draft.exe", b"MZ")]);
    assert_eq!(r.status, 415);
    let r = s.post_multipart("/api/check", &[Part::text("profile", "hipaa")]);
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("no `file` or `text`"));
    let r = s.post_multipart("/api/check", &[Part::text("text", NOTICE), Part::text("notes", "x")]);
    assert_eq!(r.status, 400);
}

#[test]
fn facts_toml_is_turned_into_json_or_located() {
    let s = Server::start(&[]);
    let r = s.request(
        "POST",
        "/api/facts",
        &[("content-type", "application/toml")],
        b"published = true\nlisted_on = 2021-02-01\ndump_data_types = [\"ssn\"]\n",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["listed_on"], "2021-02-01");
    assert_eq!(r.json()["dump_data_types"], json!(["ssn"]));
    let r = s.request("POST", "/api/facts", &[], b"published = true\nleaked = true\n");
    assert_eq!(r.status, 422);
    assert!(r.json()["error"]["message"].as_str().unwrap().starts_with("facts.toml:2:"), "{}", r.text());
}

#[test]
fn rules_lists_rules_flags_and_profiles() {
    let s = Server::start(&[]);
    let v = s.get("/api/rules").json();
    assert!(v["rules"].as_array().unwrap().iter().any(|r| r["id"] == "data.ssn"));
    assert!(v["flags"].as_array().unwrap().iter().any(|f| f["id"] == "omits-public-dump" && f["severity"] == "error"));
    let profiles: Vec<&str> = v["profiles"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    for p in ["generic", "hipaa", "california"] {
        assert!(profiles.contains(&p), "{profiles:?}");
    }
    assert_eq!(v["data_types"].as_array().unwrap().len(), 20);
}

// ---------------------------------------------------------------- helpers

fn hedge_categories(report: &Value) -> Vec<String> {
    report["hedges"].as_array().unwrap().iter().map(|h| h["category"].as_str().unwrap().to_owned()).collect()
}

fn flag_ids(report: &Value) -> Vec<String> {
    report["flags"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_owned()).collect()
}

fn status_of(report: &Value, data_type: &str) -> Option<String> {
    report["data_types"].as_array()?.iter().find(|t| t["id"] == data_type).map(|t| t["status"].as_str().unwrap().to_owned())
}

/// The server, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_noticelint"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start noticelint serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let addr = line.split("http://").nth(1).and_then(|s| s.split('/').next()).unwrap_or_else(|| panic!("no address in {line:?}"));
        Server { addr: addr.to_owned(), child }
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[], b"")
    }

    fn post_json(&self, path: &str, body: &str) -> Response {
        self.request("POST", path, &[("content-type", "application/json")], body.as_bytes())
    }

    fn post_multipart(&self, path: &str, parts: &[Part]) -> Response {
        let boundary = "----noticelint-test-boundary";
        let mut body = Vec::new();
        for p in parts {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", p.name).as_bytes());
            if let Some(f) = &p.file_name {
                body.extend_from_slice(format!("; filename=\"{f}\"\r\nContent-Type: application/octet-stream").as_bytes());
            }
            body.extend_from_slice(b"\r\n\r\n");
            body.extend_from_slice(&p.data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let content_type = format!("multipart/form-data; boundary={boundary}");
        self.request("POST", path, &[("content-type", &content_type)], &body)
    }

    /// One request on its own connection; a `host` header given replaces the default.
    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            head.push_str(&format!("Host: {}\r\n", self.addr));
        }
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        // The server may answer (413) before it has read everything.
        let _ = stream.write_all(body);
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        Response::parse(&raw)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Part {
    name: String,
    file_name: Option<String>,
    data: Vec<u8>,
}

impl Part {
    fn text(name: &str, value: &str) -> Part {
        Part { name: name.into(), file_name: None, data: value.as_bytes().to_vec() }
    }

    fn file(name: &str, file_name: &str, data: &[u8]) -> Part {
        Part { name: name.into(), file_name: Some(file_name.into()), data: data.to_vec() }
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
        let head = std::str::from_utf8(&raw[..split]).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> =
            lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned())).collect();
        let mut body = raw[split + 4..].to_vec();
        if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
            body = dechunk(&body);
        }
        Response { status, headers, body }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&body[..line_end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[line_end + 2..line_end + 2 + size]);
        body = &body[line_end + 4 + size..];
    }
}

// ---------------------------------------------------------------- DOCX and PDF builders

/// A DOCX whose body is one paragraph per item.
pub fn docx(paragraphs: &[&str]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let body: String = paragraphs.iter().map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>")).collect();
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let files: [(&str, &str); 3] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        ),
        ("word/document.xml", &document),
    ];
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in files {
        w.start_file(name, SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)).unwrap();
        w.write_all(data.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A one-page PDF with one line per paragraph, paragraphs apart.
fn pdf(paragraphs: &[&str]) -> Vec<u8> {
    let mut content = String::from("BT\n/F1 10 Tf\n40 760 Td\n");
    for p in paragraphs {
        content.push_str(&format!("({}) Tj\n0 -30 Td\n", p.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)")));
    }
    content.push_str("ET\n");
    let objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()).into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
    ];
    support::pdf_from_objects(&objs)
}
