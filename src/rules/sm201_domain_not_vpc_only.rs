use super::{Rule, RuleMeta};
use crate::model::value::str_equals;
use crate::model::{types, Finding, Model, Provenance, Severity, Tri};

pub static META: RuleMeta = RuleMeta {
    id: "SM201",
    name: "domain-not-vpc-only",
    severity: Severity::Error,
    category: "network",
    summary: "SageMaker domain sends Studio traffic over the public internet (PublicInternetOnly)",
    security_severity: "7.5",
    tags: &["security", "network", "sagemaker", "studio"],
    doc: include_str!("../../rules/SM201-domain-not-vpc-only.md"),
};

pub struct Sm201;

impl Rule for Sm201 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, m: &Model, out: &mut Vec<Finding>) {
        const ATTR: &str = "app_network_access_type";
        for d in m.of_type(types::DOMAIN) {
            let Some(v) = d.get(ATTR) else { continue };
            if str_equals(v, "PublicInternetOnly", true) != Tri::Yes {
                continue;
            }
            let seen = if d.provenance(ATTR) == Some(Provenance::Default) {
                "not set; provider default is \"PublicInternetOnly\"".to_string()
            } else {
                format!("set to {}", v.display())
            };
            out.push(Finding {
                rule: &META,
                severity: META.severity,
                message: format!(
                    "domain {} has app_network_access_type {seen}: Studio apps reach the internet through SageMaker's network, bypassing the VPC",
                    d.address
                ),
                help: "set app_network_access_type = \"VpcOnly\" and give the VPC the interface endpoints Studio needs".into(),
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
