//! Terraform plan and state JSON (`terraform show -json`, raw `terraform.tfstate`).

use super::json::Kind;
use super::LoadOptions;
use crate::model::{FileId, InputError, Model};

pub fn load(file: FileId, _kind: Kind, _opts: &LoadOptions, model: &mut Model) {
    let display = model.sources.get(file).display.clone();
    model.errors.push(InputError { path: display, line: 0, column: 0, message: "plan and state input is not supported yet".into() });
}
