use super::common::{by_role, domain_of, propagates_source_identity, role_uses, trust_policy};
use super::{Rule, RuleMeta};
use crate::model::policy::service_principal;
use crate::model::{Finding, Model, Severity, Tri};

pub static META: RuleMeta = RuleMeta {
    id: "SM101",
    name: "studio-role-missing-set-source-identity",
    severity: Severity::Error,
    category: "iam",
    summary: "Studio execution role's trust policy does not allow sts:SetSourceIdentity for SageMaker",
    security_severity: "5.0",
    tags: &["security", "iam", "sagemaker", "studio"],
    doc: include_str!("../../rules/SM101-studio-role-missing-set-source-identity.md"),
};

pub struct Sm101;

impl Rule for Sm101 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, m: &Model, out: &mut Vec<Finding>) {
        let uses = role_uses(m);
        let sm = service_principal("sagemaker.amazonaws.com");
        for (role, uses) in by_role(&uses) {
            let studio: Vec<_> = uses.iter().filter(|u| u.studio).collect();
            if studio.is_empty() {
                continue;
            }
            let Some(doc) = trust_policy(role) else { continue };
            // SM102 reports a role SageMaker cannot assume at all.
            if doc.grants("sts:AssumeRole", &sm) == Tri::No {
                continue;
            }
            if doc.grants("sts:SetSourceIdentity", &sm) != Tri::No {
                continue;
            }
            let propagating = studio
                .iter()
                .find(|u| domain_of(m, u.user).is_some_and(|d| propagates_source_identity(d) == Tri::Yes));
            let (severity, why) = match propagating {
                Some(u) => (
                    Severity::Error,
                    format!(
                        "{} sets domain_settings.execution_role_identity_config = \"USER_PROFILE_NAME\", so Studio fails with \"Error acquiring credentials\"",
                        domain_of(m, u.user).map(|d| d.address.as_str()).unwrap_or("its domain")
                    ),
                ),
                None => (
                    Severity::Note,
                    "it is needed before source identity propagation (execution_role_identity_config = \"USER_PROFILE_NAME\") can be turned on".to_string(),
                ),
            };
            let first = studio[0];
            let mut related = vec![super::common::related(first.user, first.attr, "execution role used by")];
            if let Some(u) = propagating {
                if let Some(d) = domain_of(m, u.user) {
                    related.push(super::common::related(
                        d,
                        "domain_settings.execution_role_identity_config",
                        "source identity propagation turned on by",
                    ));
                }
            }
            out.push(Finding {
                rule: &META,
                severity,
                message: format!(
                    "trust policy of Studio execution role {} does not allow sts:SetSourceIdentity for sagemaker.amazonaws.com; {why}",
                    role.address
                ),
                help: "add \"sts:SetSourceIdentity\" next to \"sts:AssumeRole\" in the statement that trusts the sagemaker.amazonaws.com service principal".into(),
                address: role.address.clone(),
                key: role.key.clone(),
                root: String::new(),
                attr: "assume_role_policy".into(),
                discriminator: None,
                loc: role.loc_of("assume_role_policy"),
                related,
            });
        }
    }
}
