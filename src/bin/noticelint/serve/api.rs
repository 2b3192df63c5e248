//! Routes, the check handler and JSON errors.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use noticelint::RuleSet;
use noticelint::analyze::{Options, Scratch, analyze_detailed};
use noticelint::profile::{Outcome, State as Met};
use serde_json::{Value, json};

use super::assets;
use super::request::{self, Input};

/// What every request shares.
#[derive(Debug, Clone)]
pub struct AppState {
    pub rules: Arc<RuleSet>,
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// Longest text analyzed, in bytes (after extraction).
    pub max_text: usize,
    /// Answer only requests addressed to a loopback name.
    pub loopback_only: bool,
}

pub fn router(state: AppState) -> Router {
    let state = Arc::new(state);
    Router::new()
        .route("/", get(assets::index))
        .route("/app.js", get(assets::js))
        .route("/app.css", get(assets::css))
        .route("/api/check", post(check))
        .route("/api/facts", post(facts))
        .route("/api/rules", get(rules))
        .route("/healthz", get(healthz))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such page or endpoint") })
        // Bodies are read (and limited) by `body`, so the limit answers in JSON.
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn_with_state(state.clone(), host_check))
        .with_state(state)
}

/// An error answered as `{"error": {"status", "kind", "message"}}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, kind, message: message.into() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"status": self.status.as_u16(), "kind": self.kind, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

/// `POST /api/check`: JSON `{"text", "facts", "profile"}` or a multipart upload → the report.
async fn check(State(state): State<Arc<AppState>>, req: Request) -> Result<Response, ApiError> {
    // `?detail=true` answers `{"report", "text", "checklist"}` instead of the bare report:
    // the page needs the text it highlights (extracted, for a file) and the profile's checklist.
    let (parts, body) = req.into_parts();
    let detail = parts.uri.query().is_some_and(|q| q.split('&').any(|kv| kv == "detail=true" || kv == "detail=1" || kv == "detail"));
    let bytes = read_body(&parts.headers, body, state.max_body).await?;
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let input = if content_type.starts_with("application/json") {
        request::from_json(&bytes)?
    } else if content_type.starts_with("multipart/form-data") {
        let req = Request::from_parts(parts, Body::from(bytes));
        let multipart = axum::extract::Multipart::from_request(req, &())
            .await
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_multipart", e.body_text()))?;
        request::from_multipart(multipart).await?
    } else {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send application/json ({\"text\": ..., \"facts\": {...}, \"profile\": ...}) or multipart/form-data (file, facts, profile)",
        ));
    };
    let Input { document, profile } = input;
    if document.text.len() > state.max_text {
        let message =
            format!("the notice's text is {} bytes; this server checks up to {} (--max-text)", document.text.len(), state.max_text);
        return Err(ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "text_too_large", message));
    }
    let mut options = Options::default();
    options.flags.profile = request::profile(&state.rules, profile.as_deref())?;
    let rules = state.rules.clone();
    let analysis = tokio::task::spawn_blocking(move || {
        let analysis = analyze_detailed(&document, &rules, &options, &mut Scratch::default());
        (analysis, document.text)
    })
    .await;
    let (analysis, text) = analysis.map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the analysis failed"))?;
    Ok(if detail {
        let checklist: Vec<Value> = analysis.profile.iter().map(outcome_json).collect();
        Json(json!({"report": analysis.report, "text": text, "checklist": checklist})).into_response()
    } else {
        Json(analysis.report).into_response()
    })
}

/// `POST /api/facts`: a facts TOML file (SPEC §4) → the same facts as JSON, or where it is wrong.
async fn facts(State(state): State<Arc<AppState>>, req: Request) -> Result<Json<Value>, ApiError> {
    let (parts, body) = req.into_parts();
    let bytes = read_body(&parts.headers, body, state.max_body).await?;
    let src = std::str::from_utf8(&bytes)
        .map_err(|_| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_facts", "the facts file is not UTF-8"))?;
    let facts = noticelint::facts::parse_toml(src, "facts.toml")
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_facts", e.to_string()))?;
    Ok(Json(request::facts_json(&facts)))
}

/// `GET /api/rules`: the rule texts, flags, profiles and ids the page (or anyone) needs.
async fn rules(State(state): State<Arc<AppState>>) -> Json<Value> {
    let r = &state.rules;
    let rules: Vec<Value> = r
        .rules
        .iter()
        .map(|x| {
            json!({"id": x.id, "category": x.category, "severity": x.severity, "message": x.message,
                   "suggestion": x.suggestion, "explanation": x.explanation})
        })
        .collect();
    let flags: Vec<Value> = r
        .flags
        .iter()
        .map(
            |f| json!({"id": f.id, "severity": f.severity, "message": f.message, "suggestion": f.suggestion, "explanation": f.explanation}),
        )
        .collect();
    let profiles: Vec<Value> = r
        .profiles
        .iter()
        .map(|p| {
            let list = |l: &[noticelint::profile::Requirement]| -> Vec<Value> {
                l.iter().map(|q| json!({"id": q.id, "label": q.label, "when_data_types": q.when_data_types})).collect()
            };
            json!({"name": p.name, "law": p.law, "description": p.description, "required": list(&p.required), "forbidden": list(&p.forbidden)})
        })
        .collect();
    Json(json!({
        "rules": rules,
        "flags": flags,
        "profiles": profiles,
        "data_types": noticelint::taxonomy::DATA_TYPES,
        "elements": noticelint::taxonomy::ELEMENTS,
    }))
}

async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}

/// The whole body, or 413 past `max`.
async fn read_body(headers: &HeaderMap, body: Body, max: usize) -> Result<axum::body::Bytes, ApiError> {
    let too_large = || ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", format!("the request body is larger than {max} bytes"));
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, max).await.map_err(|_| too_large())
}

/// A loopback server answers only requests addressed to a loopback name, so a web page
/// elsewhere cannot reach it by pointing its own domain at 127.0.0.1 (DNS rebinding).
async fn host_check(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if state.loopback_only {
        let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
        let name = host_name(host);
        if !matches!(name, "localhost" | "127.0.0.1" | "::1") && !name.starts_with("127.") {
            return ApiError::new(
                StatusCode::MISDIRECTED_REQUEST,
                "bad_host",
                format!("this server answers only to localhost, not `{host}`"),
            )
            .into_response();
        }
    }
    next.run(req).await
}

/// The name part of a `Host` header: `localhost:8731` → `localhost`, `[::1]:80` → `::1`.
fn host_name(host: &str) -> &str {
    match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    }
}

fn outcome_json(o: &Outcome) -> Value {
    let state = match o.state {
        Met::Met => "met",
        Met::Missing => "missing",
        Met::Forbidden => "forbidden",
        Met::NotApplicable => "not_applicable",
    };
    json!({"id": o.id, "label": o.label, "forbidden": o.forbidden, "state": state, "evidence": o.evidence})
}
