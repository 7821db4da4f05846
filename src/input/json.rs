//! JSON inputs: Terraform plan and state representations, raw state files, live dumps.

use super::LoadOptions;
use crate::model::{InputError, Model};

pub fn load(inputs: &[&String], _opts: &LoadOptions, model: &mut Model) {
    for i in inputs {
        model.errors.push(InputError {
            path: i.to_string(),
            line: 0,
            column: 0,
            message: "JSON input (plan, state, live dumps) is not supported yet".into(),
        });
    }
}
