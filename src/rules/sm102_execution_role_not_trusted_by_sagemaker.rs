use super::common::{by_role, role_uses, trust_policy};
use super::{Rule, RuleMeta};
use crate::model::policy::service_principal;
use crate::model::{Finding, Model, Severity, Tri};

pub static META: RuleMeta = RuleMeta {
    id: "SM102",
    name: "execution-role-not-trusted-by-sagemaker",
    severity: Severity::Error,
    category: "iam",
    summary: "SageMaker execution role's trust policy does not let sagemaker.amazonaws.com assume it",
    security_severity: "5.0",
    tags: &["security", "iam", "sagemaker"],
    doc: include_str!("../../rules/SM102-execution-role-not-trusted-by-sagemaker.md"),
};

pub struct Sm102;

impl Rule for Sm102 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, m: &Model, out: &mut Vec<Finding>) {
        let uses = role_uses(m);
        let sm = service_principal("sagemaker.amazonaws.com");
        for (role, uses) in by_role(&uses) {
            let Some(doc) = trust_policy(role) else { continue };
            if doc.grants("sts:AssumeRole", &sm) != Tri::No {
                continue;
            }
            let first = uses[0];
            out.push(Finding {
                rule: &META,
                severity: META.severity,
                message: format!(
                    "execution role {} is used by {} but its trust policy does not let sagemaker.amazonaws.com assume it (sts:AssumeRole)",
                    role.address, first.user.address
                ),
                help: "add a statement that allows \"sts:AssumeRole\" (and \"sts:SetSourceIdentity\" for Studio) to the service principal \"sagemaker.amazonaws.com\"".into(),
                address: role.address.clone(),
                key: role.key.clone(),
                root: String::new(),
                attr: "assume_role_policy".into(),
                discriminator: None,
                loc: role.loc_of("assume_role_policy"),
                related: vec![super::common::related(first.user, first.attr, "execution role used by")],
            });
        }
    }
}
