use super::{Rule, RuleMeta};
use crate::model::{types, Finding, Model, Severity, Value};

pub static META: RuleMeta = RuleMeta {
    id: "SM301",
    name: "domain-missing-kms",
    severity: Severity::Error,
    category: "encryption",
    summary: "SageMaker domain does not encrypt its home EFS volume with a customer-managed KMS key",
    security_severity: "5.5",
    tags: &["security", "encryption", "kms", "sagemaker"],
    doc: include_str!("../../rules/SM301-domain-missing-kms.md"),
};

pub struct Sm301;

/// An AWS managed key named by alias (`alias/aws/...`), in any spelling.
fn is_aws_managed_alias(s: &str) -> bool {
    s.starts_with("alias/aws/") || s.contains(":alias/aws/")
}

impl Rule for Sm301 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, m: &Model, out: &mut Vec<Finding>) {
        const ATTR: &str = "kms_key_id";
        for d in m.of_type(types::DOMAIN) {
            let seen = match d.get(ATTR) {
                None | Some(Value::Null) => "kms_key_id is not set".to_string(),
                Some(Value::String(s)) if s.is_empty() => "kms_key_id is empty".to_string(),
                Some(Value::String(s)) if is_aws_managed_alias(s) => {
                    format!("kms_key_id is the AWS managed key \"{s}\"")
                }
                Some(_) => continue,
            };
            out.push(Finding {
                rule: &META,
                severity: META.severity,
                message: format!(
                    "domain {}: {seen}, so the home EFS volume and Studio storage are encrypted with an AWS managed key you cannot control or audit",
                    d.address
                ),
                help: "create an aws_kms_key (with enable_key_rotation = true) and set kms_key_id = aws_kms_key.<name>.arn".into(),
                address: d.address.clone(),
                key: d.key.clone(),
                root: String::new(),
                attr: ATTR.into(),
                discriminator: None,
                loc: d.loc_of(ATTR),
                related: vec![],
            });
        }
    }
}
