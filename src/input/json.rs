//! JSON inputs: read each file (or stdin), detect its kind from the content, and hand it to
//! the adapter for that kind: Terraform plan/state ([`super::plan`]) or live AWS dumps
//! ([`super::live`], all live documents of one command line together, as one account).

use super::LoadOptions;
use crate::model::{FileId, InputError, Model, SourceFile};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

/// What a JSON document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `terraform show -json plan.out`.
    Plan,
    /// `terraform show -json` (state representation).
    State,
    /// A raw `terraform.tfstate` (version 4).
    RawState,
    /// A `sagelint snapshot` bundle or a raw AWS CLI output.
    Live,
}

/// Read every JSON input, register it as a source, and dispatch by kind.
pub fn load(inputs: &[&String], opts: &LoadOptions, model: &mut Model) {
    let mut live_docs: Vec<FileId> = Vec::new();
    for arg in inputs {
        let (path, display, text) = if arg.as_str() == "-" {
            let mut s = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut s) {
                model.errors.push(InputError {
                    path: "stdin".into(),
                    line: 0,
                    column: 0,
                    message: format!("cannot read standard input: {e}"),
                });
                continue;
            }
            (PathBuf::from("-"), "stdin".to_string(), super::text_of(s))
        } else {
            match std::fs::read(arg.as_str()) {
                Ok(b) => (
                    PathBuf::from(arg.as_str()),
                    arg.strip_prefix("./").unwrap_or(arg).to_string(),
                    super::text_of(b),
                ),
                Err(e) => {
                    model.errors.push(InputError {
                        path: arg.to_string(),
                        line: 0,
                        column: 0,
                        message: format!("cannot read: {e}"),
                    });
                    continue;
                }
            }
        };
        crate::timing("read");
        let id = model
            .sources
            .add(SourceFile::new(path, display.clone(), Arc::new(text)));
        crate::timing("line index");
        let kind = detect(&model.sources.get(id).text);
        crate::timing("detect");
        match kind {
            Ok(Kind::Live) => live_docs.push(id),
            Ok(kind) => super::plan::load(id, kind, opts, model),
            Err(e) => model.errors.push(e.with_path(&display)),
        }
    }
    if !live_docs.is_empty() {
        super::live::load(&live_docs, model);
    }
}

/// A detection failure with its position.
pub struct DetectError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl DetectError {
    fn with_path(self, path: &str) -> InputError {
        InputError {
            path: path.to_string(),
            line: self.line,
            column: self.column,
            message: self.message,
        }
    }
}

/// Detect the kind of a JSON document from its top-level keys.
pub fn detect(text: &str) -> Result<Kind, DetectError> {
    #[derive(serde::Deserialize)]
    struct Top {
        #[serde(default)]
        format_version: Option<serde::de::IgnoredAny>,
        #[serde(default)]
        planned_values: Option<serde::de::IgnoredAny>,
        #[serde(default)]
        resource_changes: Option<serde::de::IgnoredAny>,
        #[serde(default)]
        prior_state: Option<serde::de::IgnoredAny>,
        #[serde(default)]
        configuration: Option<serde::de::IgnoredAny>,
        #[serde(default)]
        values: Option<serde::de::IgnoredAny>,
        #[serde(default)]
        version: Option<serde_json::Value>,
        #[serde(default)]
        resources: Option<serde::de::IgnoredAny>,
        #[serde(default)]
        lineage: Option<serde::de::IgnoredAny>,
    }
    let top: Top = serde_json::from_str(text).map_err(|e| DetectError {
        line: e.line(),
        column: e.column().max(1),
        message: format!("invalid JSON: {e}"),
    })?;
    if top.planned_values.is_some()
        || top.resource_changes.is_some()
        || top.prior_state.is_some()
        || top.configuration.is_some()
    {
        return Ok(Kind::Plan);
    }
    if top.format_version.is_some() {
        return Ok(Kind::State);
    }
    if top.version.as_ref().and_then(|v| v.as_u64()).is_some() && (top.resources.is_some() || top.lineage.is_some()) {
        return Ok(Kind::RawState);
    }
    if top.values.is_some() {
        return Ok(Kind::State);
    }
    if super::live::looks_live(text) {
        return Ok(Kind::Live);
    }
    Err(DetectError {
        line: 1,
        column: 1,
        message: "unrecognized JSON: expected a Terraform plan or state (terraform show -json), a terraform.tfstate, a sagelint snapshot or an AWS CLI output".into(),
    })
}
