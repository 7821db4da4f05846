//! `path:line:col: severity[ID] message`, one line per finding.

use crate::model::{Finding, Model};
use std::io::Write;

pub fn write(model: &Model, findings: &[Finding], out: &mut Vec<u8>) -> std::io::Result<()> {
    for f in findings {
        let file = model.sources.get(f.loc.file);
        let (l, c) = file.line_col(f.loc.span.start);
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            file.display,
            l,
            c,
            f.severity.as_str(),
            f.rule.id,
            f.message
        )?;
    }
    Ok(())
}
