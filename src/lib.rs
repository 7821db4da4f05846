//! sagelint: lint SageMaker Studio infrastructure in Terraform HCL, plan/state JSON and live
//! AWS dumps.
//!
//! The pipeline: input adapters ([`input`]) fill one [`model::Model`]; [`rules`] read it and
//! produce [`model::Finding`]s; [`report`] renders them.

pub mod cleanup;
pub mod eval;
pub mod input;
pub mod model;
pub mod report;
pub mod rules;
pub mod snapshot;

use model::{Finding, Model};

/// Load every input into one model and run every rule.
pub fn lint(inputs: &[String], opts: &input::LoadOptions) -> (Model, Vec<Finding>) {
    let model = input::load(inputs, opts);
    let findings = rules::run(&model);
    (model, findings)
}
