//! Turning a request into a document, facts and a profile, with the errors it can have:
//! a body that is not the expected shape is 400, facts or a profile that cannot be used
//! and documents that cannot be read are 422, a file type we do not read is 415.

use std::path::Path;

use axum::extract::Multipart;
use axum::http::StatusCode;
use noticelint::dates::Date;
use noticelint::extract::{Format, document_from_bytes};
use noticelint::facts::Facts;
use noticelint::flags::Profile;
use noticelint::taxonomy::DATA_TYPES;
use noticelint::{Document, RuleSet};
use serde::Deserialize;
use serde_json::{Value, json};

use super::api::ApiError;

/// A request, ready to analyze.
pub struct Input {
    pub document: Document,
    pub profile: Option<String>,
}

/// The JSON body of `POST /api/check`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckJson {
    text: String,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    facts: Option<Value>,
    #[serde(default)]
    profile: Option<String>,
}

/// SPEC §4 facts as JSON: the TOML's field names, dates as `"YYYY-MM-DD"` strings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactsJson {
    entity: Option<String>,
    leak_site: Option<String>,
    listed_on: Option<String>,
    published: Option<bool>,
    #[serde(default)]
    dump_data_types: Vec<String>,
    notice_date: Option<String>,
}

pub fn from_json(bytes: &[u8]) -> Result<Input, ApiError> {
    let body: CheckJson = serde_json::from_slice(bytes).map_err(|e| {
        let kind = if e.is_data() { "bad_request" } else { "malformed_json" };
        ApiError::new(StatusCode::BAD_REQUEST, kind, format!("request body: {e}"))
    })?;
    let mut document = text_document(body.id.as_deref().unwrap_or("draft"), body.text)?;
    document.facts = body.facts.filter(|f| !f.is_null()).map(facts_from_json).transpose()?;
    Ok(Input { document, profile: body.profile })
}

/// Multipart fields: `file` (a .txt .md .html .docx .pdf upload) or `text`; `facts` (a JSON
/// object or TOML, as text or a file) or the single facts fields (`published`, `leak_site`,
/// `listed_on`, `dump_data_types` separated by commas, `entity`, `notice_date`); `profile`.
pub async fn from_multipart(mut form: Multipart) -> Result<Input, ApiError> {
    let bad = |m: String| ApiError::new(StatusCode::BAD_REQUEST, "bad_multipart", m);
    let mut document = None;
    let mut facts_text = None;
    let mut fields = serde_json::Map::new();
    let mut profile = None;
    while let Some(field) = form.next_field().await.map_err(|e| bad(e.body_text()))? {
        let name = field.name().unwrap_or("").to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let data = field.bytes().await.map_err(|e| bad(e.body_text()))?;
        let text = || String::from_utf8(data.to_vec()).map_err(|_| bad(format!("field `{name}` is not UTF-8")));
        match name.as_str() {
            "file" | "text" if document.is_some() => return Err(bad("give one `file` or one `text`".into())),
            "file" => document = Some(file_document(file_name.as_deref().unwrap_or("upload.txt"), &data)?),
            "text" => document = Some(text_document("draft", text()?)?),
            "facts" => facts_text = Some(text()?),
            "profile" => profile = Some(text()?),
            "entity" | "leak_site" | "listed_on" | "notice_date" => {
                fields.insert(name.clone(), Value::String(text()?));
            }
            "published" => {
                let v = match text()?.trim() {
                    "true" | "on" | "yes" => true,
                    "false" | "off" | "no" => false,
                    other => return Err(facts_error(format!("`published`: `{other}` is not true or false"))),
                };
                fields.insert(name.clone(), Value::Bool(v));
            }
            "dump_data_types" => {
                let list: Vec<Value> =
                    text()?.split([',', ';']).map(str::trim).filter(|t| !t.is_empty()).map(|t| Value::String(t.into())).collect();
                fields.insert(name.clone(), Value::Array(list));
            }
            _ => return Err(bad(format!("unknown field `{name}` (expected file or text, facts, profile)"))),
        }
    }
    let mut document = document.ok_or_else(|| bad("no `file` or `text` field".into()))?;
    document.facts = match (facts_text, fields.is_empty()) {
        (Some(_), false) => return Err(bad("give `facts` or the single facts fields, not both".into())),
        (Some(src), true) if src.trim_start().starts_with('{') => {
            let v: Value = serde_json::from_str(&src).map_err(|e| facts_error(format!("{e}")))?;
            Some(facts_from_json(v)?)
        }
        (Some(src), true) if src.trim().is_empty() => None,
        (Some(src), true) => Some(noticelint::facts::parse_toml(&src, "facts").map_err(|e| facts_error(e.to_string()))?),
        (None, false) => Some(facts_from_json(Value::Object(fields))?),
        (None, true) => None,
    };
    Ok(Input { document, profile })
}

/// The profile a request names, as the analysis wants it (`Options.flags.profile`).
pub fn profile(rules: &RuleSet, name: Option<&str>) -> Result<Option<Profile>, ApiError> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else { return Ok(None) };
    match rules.profile(name) {
        Some(p) => Ok(Some(p.clone())),
        None => {
            let known: Vec<&str> = rules.profiles.iter().map(|p| p.name.as_str()).collect();
            Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_profile",
                format!("unknown profile `{name}` (known: {})", known.join(", ")),
            ))
        }
    }
}

/// Checks facts given as JSON as strictly as `facts::parse_toml` checks a file.
pub fn facts_from_json(value: Value) -> Result<Facts, ApiError> {
    let raw: FactsJson = serde_json::from_value(value).map_err(|e| facts_error(e.to_string()))?;
    let date = |field: Option<String>, name: &str| -> Result<Option<Date>, ApiError> {
        field
            .filter(|s| !s.trim().is_empty())
            .map(|s| Date::parse_iso(s.trim()).ok_or_else(|| facts_error(format!("`{name}`: `{s}` is not a date (YYYY-MM-DD)"))))
            .transpose()
    };
    if let Some(t) = raw.dump_data_types.iter().find(|t| !DATA_TYPES.contains(&t.as_str())) {
        return Err(facts_error(format!("unknown data type `{t}` (SPEC §2.1 ids)")));
    }
    let text = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    Ok(Facts {
        entity: text(raw.entity),
        leak_site: text(raw.leak_site),
        listed_on: date(raw.listed_on, "listed_on")?,
        published: raw.published,
        dump_data_types: raw.dump_data_types,
        notice_date: date(raw.notice_date, "notice_date")?,
        origin: "request facts".into(),
    })
}

/// Facts in their JSON form (SPEC §4 names, dates as strings).
pub fn facts_json(f: &Facts) -> Value {
    let date = |d: Option<Date>| d.map(|d| d.to_string());
    json!({
        "entity": f.entity, "leak_site": f.leak_site, "listed_on": date(f.listed_on), "published": f.published,
        "dump_data_types": f.dump_data_types, "notice_date": date(f.notice_date),
    })
}

fn facts_error(message: String) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_facts", format!("facts: {message}"))
}

fn text_document(id: &str, text: String) -> Result<Document, ApiError> {
    if text.trim().is_empty() {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "empty", "the text is empty"));
    }
    Ok(Document::from_text(id, text))
}

fn file_document(file_name: &str, data: &[u8]) -> Result<Document, ApiError> {
    let path = Path::new(file_name);
    let format = Format::from_path(path).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_file",
            format!("`{file_name}`: not a file type noticelint reads (.txt .md .html .htm .docx .pdf)"),
        )
    })?;
    let id = path.file_stem().and_then(|s| s.to_str()).unwrap_or("upload");
    document_from_bytes(id, None, format.as_str(), data)
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.kind, format!("`{file_name}`: {e}")))
}
