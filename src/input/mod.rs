//! Input adapters: each reads one kind of input into the shared [`Model`].
//!
//! A path argument is a directory (every module below it), a `.tf` file (its directory),
//! `-` (JSON on standard input) or a `.json`/`.tfstate` file (plan, state or live dump;
//! the kind is detected from the content).

pub mod hcl;
pub mod json;
pub mod live;
pub mod plan;

use crate::model::Model;
use std::path::PathBuf;

#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// `--source DIR`: HCL that plan/state input maps back to.
    pub source: Option<PathBuf>,
}

/// Whether a path argument is JSON input rather than Terraform source.
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
        hcl::load(&paths, &mut model);
    }
    if !json_inputs.is_empty() {
        json::load(&json_inputs, opts, &mut model);
    }
    crate::timing("load");
    model.finish();
    crate::timing("index");
    model
}
