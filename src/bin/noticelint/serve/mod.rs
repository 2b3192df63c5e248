//! `noticelint serve`: the editors' web page and its JSON API (SPEC §6).
//!
//! One page (`web/`, embedded in the binary) and four routes: `POST /api/check` (text or an
//! uploaded file, facts, profile → SPEC §3 report), `POST /api/facts` (a facts TOML →
//! its JSON form, for the page), `GET /api/rules`, `GET /healthz`. The server keeps
//! nothing: a request's document lives in memory until its response is sent, nothing is
//! written to disk or logged. Analysis runs on tokio's blocking pool, the rules are shared
//! read-only. Loopback by default; the `Host` check below keeps other sites' pages (DNS
//! rebinding) from reaching a loopback server.

mod api;
mod assets;
mod request;

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};

use crate::cli::ServeArgs;
use crate::scan::load_rules;

pub use api::{AppState, router};

pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    let rules = Arc::new(load_rules(&args.rules)?);
    let state = AppState { rules, max_body: args.max_body, max_text: args.max_text, loopback_only: args.listen.ip().is_loopback() };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().context("cannot start the runtime")?;
    runtime.block_on(serve(args.listen, state))
}

async fn serve(listen: SocketAddr, state: AppState) -> Result<ExitCode> {
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        eprintln!("noticelint: warning: {addr} is not a loopback address: anyone who can reach it can send documents here");
    }
    // Scripts (and the tests) read the address from this line.
    println!("noticelint: serving http://{addr}/ (Ctrl-C stops)");
    std::io::stdout().flush()?;
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("server failed")?;
    Ok(ExitCode::SUCCESS)
}
