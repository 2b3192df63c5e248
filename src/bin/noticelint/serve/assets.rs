//! The page, embedded in the binary: plain HTML, CSS and JavaScript, no external resources.

use axum::http::header;
use axum::response::IntoResponse;

const INDEX: &str = include_str!("../../../../web/index.html");
const JS: &str = include_str!("../../../../web/app.js");
const CSS: &str = include_str!("../../../../web/app.css");

/// Everything the page loads comes from this server; nothing else may run or be fetched.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

pub async fn index() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CONTENT_SECURITY_POLICY, CSP)], INDEX)
}

pub async fn js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], JS)
}

pub async fn css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS)
}
