//! The machine format (`--format json`), versioned; documented in `docs/json-format.md`.

use crate::model::{Finding, Location, Model, Severity};
use serde::Serialize;

pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<JFinding<'a>>,
    errors: Vec<JError<'a>>,
    notices: &'a [String],
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JLoc {
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct JRelated {
    location: JLoc,
    message: String,
}

#[derive(Serialize)]
struct JFinding<'a> {
    rule_id: &'static str,
    rule_name: &'static str,
    severity: &'static str,
    message: &'a str,
    help: &'a str,
    address: &'a str,
    attribute: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    discriminator: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    root_module: &'a str,
    fingerprint: String,
    location: JLoc,
    related: Vec<JRelated>,
}

#[derive(Serialize)]
struct JError<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct Summary {
    error: usize,
    warning: usize,
    note: usize,
    input_errors: usize,
}

fn jloc(m: &Model, l: &Location) -> JLoc {
    let f = m.sources.get(l.file);
    let (line, column) = f.line_col(l.span.start);
    let (end_line, end_column) = f.line_col(l.span.end.max(l.span.start));
    JLoc {
        path: f.display.clone(),
        line,
        column,
        end_line,
        end_column,
    }
}

pub fn write(model: &Model, findings: &[Finding], out: &mut Vec<u8>) -> std::io::Result<()> {
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    let report = Report {
        version: FORMAT_VERSION,
        tool: Tool {
            name: "sagelint",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: findings
            .iter()
            .map(|f| JFinding {
                rule_id: f.rule.id,
                rule_name: f.rule.name,
                severity: f.severity.as_str(),
                message: &f.message,
                help: &f.help,
                address: &f.address,
                attribute: &f.attr,
                discriminator: f.discriminator.as_deref(),
                root_module: &f.root,
                fingerprint: f.fingerprint(),
                location: jloc(model, &f.loc),
                related: f
                    .related
                    .iter()
                    .map(|(l, m)| JRelated {
                        location: jloc(model, l),
                        message: m.clone(),
                    })
                    .collect(),
            })
            .collect(),
        errors: model
            .errors
            .iter()
            .map(|e| JError {
                path: &e.path,
                line: e.line,
                column: e.column,
                message: &e.message,
            })
            .collect(),
        notices: &model.notices,
        summary: Summary {
            error: count(Severity::Error),
            warning: count(Severity::Warning),
            note: count(Severity::Note),
            input_errors: model.errors.len(),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    out.push(b'\n');
    Ok(())
}
