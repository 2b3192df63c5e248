//! `noticelint eval`: placeholder until the eval issue lands.
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::EvalArgs;

pub fn run(_args: &EvalArgs) -> Result<ExitCode> {
    bail!("eval is not implemented yet")
}
