use crate::model::{Finding, Model};

pub fn write(model: &Model, findings: &[Finding], _opts: &super::ReportOptions, out: &mut Vec<u8>) -> std::io::Result<()> {
    super::compact::write(model, findings, out)
}
