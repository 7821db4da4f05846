use super::common::{domain_vpc, endpoint_type_ok, endpoints_in, is_vpc_only, names, service_is, INTERFACE_SERVICES};
use super::{Rule, RuleMeta};
use crate::model::{types, Finding, Model, Provenance, Resource, Severity, Tri, Value};

pub static META: RuleMeta = RuleMeta {
    id: "SM203",
    name: "vpc-endpoint-private-dns-disabled",
    severity: Severity::Error,
    category: "network",
    summary: "Interface endpoint Studio needs has private DNS turned off",
    security_severity: "5.0",
    tags: &["security", "network", "sagemaker", "studio", "vpc-endpoint"],
    doc: include_str!("../../rules/SM203-vpc-endpoint-private-dns-disabled.md"),
};

pub struct Sm203;

fn private_dns_off(m: &Model, e: &Resource) -> Tri {
    let off = match e.get("private_dns_enabled") {
        Some(v) => match v.as_bool() {
            Some(b) => Tri::from_bool(!b),
            None => Tri::Unknown,
        },
        None => Tri::Unknown,
    };
    if off != Tri::Yes {
        return off;
    }
    // aws_vpc_endpoint_private_dns turns it on separately.
    let on_elsewhere = Tri::any(m.referring(types::ENDPOINT_PRIVATE_DNS, e).into_iter().map(|p| {
        let target = p.get("vpc_endpoint_id").map(|v| names(m, v, e)).unwrap_or(Tri::No);
        let enabled = match p.get("private_dns_enabled") {
            Some(v) => v.as_bool().map(Tri::from_bool).unwrap_or(Tri::Unknown),
            None => Tri::Unknown,
        };
        target.and(enabled)
    }));
    on_elsewhere.negate()
}

impl Rule for Sm203 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, m: &Model, out: &mut Vec<Finding>) {
        let mut seen = std::collections::HashSet::new();
        for d in m.of_type(types::DOMAIN) {
            if is_vpc_only(d) != Tri::Yes {
                continue;
            }
            let Some(vpc) = domain_vpc(m, d) else { continue };
            for (e, inv) in endpoints_in(m, vpc) {
                if inv != Tri::Yes || seen.contains(&e.key) {
                    continue;
                }
                let name = e.get("service_name").cloned().unwrap_or(Value::Null);
                let Some(svc) = INTERFACE_SERVICES.iter().find(|s| service_is(&name, s) == Tri::Yes) else {
                    continue;
                };
                if endpoint_type_ok(e, svc) != Tri::Yes || private_dns_off(m, e) != Tri::Yes {
                    continue;
                }
                seen.insert(e.key.clone());
                let seen_val = if e.provenance("private_dns_enabled") == Some(Provenance::Default) {
                    "private_dns_enabled not set (provider default is false)".to_string()
                } else {
                    "private_dns_enabled = false".to_string()
                };
                out.push(Finding {
                    rule: &META,
                    severity: META.severity,
                    message: format!(
                        "interface endpoint {} for {svc} in the VPC of VpcOnly domain {} has {seen_val}: SDK calls from Studio resolve the public {svc} hostname and fail or leave the VPC",
                        e.address, d.address
                    ),
                    help: "set private_dns_enabled = true on the endpoint (the VPC needs enable_dns_support and enable_dns_hostnames)".into(),
                    address: e.address.clone(),
                    key: e.key.clone(),
                    root: String::new(),
                    attr: "private_dns_enabled".into(),
                    discriminator: None,
                    loc: e.loc_of("private_dns_enabled"),
                    related: vec![super::common::related(d, "vpc_id", "VPC of domain")],
                });
            }
        }
    }
}
