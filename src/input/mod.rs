//! Input adapters: each reads one kind of input into the shared [`Model`].
//!
//! A path argument is a directory (every module below it), a `.tf` file (its directory),
//! `-` (JSON on standard input) or a `.json`/`.tfstate` file (plan, state or live dump;
//! the kind is detected from the content).

pub mod hcl;
pub mod json;
pub mod live;
pub mod plan;

use crate::model::{InputError, Model};
use std::path::PathBuf;

#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// `--source DIR`: HCL that plan/state input maps back to.
    pub source: Option<PathBuf>,
    /// `--var-file FILE`: variable values for every root module, in order.
    pub var_files: Vec<PathBuf>,
    /// `--var NAME=VALUE`, after the files.
    pub vars: Vec<String>,
}

/// Whether a path argument is JSON input rather than Terraform source.
/// Read a text input: invalid UTF-8 is replaced (and reported by the parser where it matters),
/// a UTF-8 byte order mark is dropped, as Terraform does (Windows editors write one).
pub fn read_text(path: &std::path::Path) -> std::io::Result<String> {
    let b = std::fs::read(path)?;
    Ok(text_of(b))
}

/// Bytes as text, as [`read_text`] reads them.
pub fn text_of(b: Vec<u8>) -> String {
    let s = String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    match s.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => s,
    }
}

pub fn is_json_input(arg: &str) -> bool {
    arg == "-"
        || (arg.ends_with(".json") && !arg.ends_with(".tf.json"))
        || arg.ends_with(".tfstate")
        || arg.ends_with(".tfstate.backup")
}

pub fn load(inputs: &[String], opts: &LoadOptions) -> Model {
    let mut model = Model::default();
    let (json_inputs, hcl_inputs): (Vec<&String>, Vec<&String>) = inputs
        .iter()
        .partition(|a| is_json_input(a) && !std::path::Path::new(a.as_str()).is_dir());
    if !hcl_inputs.is_empty() {
        let paths: Vec<PathBuf> = hcl_inputs.iter().map(PathBuf::from).collect();
        let mut vars = std::collections::HashMap::new();
        for f in &opts.var_files {
            hcl::read_var_file(f, false, &mut model.errors, &mut vars);
        }
        for v in &opts.vars {
            match v.split_once('=') {
                Some((k, x)) if !k.trim().is_empty() => {
                    vars.insert(k.trim().to_string(), hcl::var_value(x));
                }
                _ => model.errors.push(InputError {
                    path: "--var".into(),
                    line: 0,
                    column: 0,
                    message: format!("{v:?}: expected NAME=VALUE"),
                }),
            }
        }
        hcl::load_with_vars(&paths, &vars, &mut model);
    }
    if !json_inputs.is_empty() {
        if let Some(d) = opts.source.as_ref().filter(|d| !d.is_dir()) {
            model.errors.push(InputError {
                path: d.display().to_string(),
                line: 0,
                column: 0,
                message: "--source: no such directory".into(),
            });
        }
        json::load(&json_inputs, opts, &mut model);
    }
    crate::timing("load");
    model.finish();
    crate::timing("index");
    model
}
