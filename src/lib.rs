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
    lint_with(inputs, opts, &[])
}

/// [`lint`] without the rules in `disabled` (ids or names, `--disable`). Findings that
/// `sagelint:ignore` comments suppress are counted in a notice, never dropped silently.
pub fn lint_with(inputs: &[String], opts: &input::LoadOptions, disabled: &[String]) -> (Model, Vec<Finding>) {
    let mut model = input::load(inputs, opts);
    let (findings, suppressed) = rules::run_counted(&model, disabled);
    if suppressed > 0 {
        model.notices.push(format!(
            "{suppressed} finding(s) suppressed by sagelint:ignore comments"
        ));
    }
    timing("rules");
    (model, findings)
}

/// With `SAGELINT_TIMINGS` set, print the time since the previous phase to stderr (for
/// `benches/`; costs nothing otherwise).
pub fn timing(phase: &str) {
    use std::sync::Mutex;
    use std::time::Instant;
    static LAST: Mutex<Option<Instant>> = Mutex::new(None);
    if std::env::var_os("SAGELINT_TIMINGS").is_none() {
        return;
    }
    let now = Instant::now();
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(t) = *last {
        // Resident and peak memory where the system tells them (Linux).
        let mem = std::fs::read_to_string("/proc/self/status")
            .map(|s| {
                s.lines()
                    .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
                    .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        eprintln!("sagelint timing: {phase}: {:.3} s  {mem}", (now - t).as_secs_f64());
    }
    *last = Some(now);
}
