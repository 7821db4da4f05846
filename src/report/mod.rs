//! Reporters: human (miette), compact (one line per finding), json (versioned), sarif.

pub mod compact;
pub mod human;
pub mod json;
pub mod sarif;

use crate::model::{Finding, Model};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Compact,
    Json,
    Sarif,
}

#[derive(Clone, Debug, Default)]
pub struct ReportOptions {
    pub color: bool,
    /// The paths given on the command line (SARIF finds the repository root from them).
    pub inputs: Vec<String>,
}

pub fn write(
    format: Format,
    model: &Model,
    findings: &[Finding],
    opts: &ReportOptions,
    out: &mut Vec<u8>,
) -> std::io::Result<()> {
    match format {
        Format::Human => human::write(model, findings, opts, out),
        Format::Compact => compact::write(model, findings, out),
        Format::Json => json::write(model, findings, out),
        Format::Sarif => sarif::write(model, findings, opts, out),
    }
}
