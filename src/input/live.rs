//! Live AWS state: `sagelint snapshot` bundles and raw AWS CLI outputs.

use crate::model::{FileId, InputError, Model};

/// Whether a JSON document (not a Terraform one) looks like a live dump.
pub fn looks_live(_text: &str) -> bool {
    false
}

pub fn load(files: &[FileId], model: &mut Model) {
    for f in files {
        let display = model.sources.get(*f).display.clone();
        model.errors.push(InputError { path: display, line: 0, column: 0, message: "live input is not supported yet".into() });
    }
}
