use super::common::{
    domain_vpc, endpoint_type_ok, endpoints_in, is_vpc_only, opaque_module_receives, service_is, subnets_route_to_nat,
    INTERFACE_SERVICES, S3,
};
use super::{Rule, RuleMeta};
use crate::model::{types, Finding, Model, Severity, Tri};

pub static META: RuleMeta = RuleMeta {
    id: "SM202",
    name: "vpc-endpoint-missing",
    severity: Severity::Error,
    category: "network",
    summary: "VpcOnly domain's VPC lacks a VPC endpoint Studio needs",
    security_severity: "6.0",
    tags: &["security", "network", "sagemaker", "studio", "vpc-endpoint"],
    doc: include_str!("../../rules/SM202-vpc-endpoint-missing.md"),
};

pub struct Sm202;

impl Rule for Sm202 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, m: &Model, out: &mut Vec<Finding>) {
        for d in m.of_type(types::DOMAIN) {
            if is_vpc_only(d) != Tri::Yes {
                continue;
            }
            let Some(vpc) = domain_vpc(m, d) else { continue };
            if opaque_module_receives(m, vpc) {
                continue;
            }
            let endpoints = endpoints_in(m, vpc);
            if endpoints.iter().any(|(e, _)| e.instances_unknown) {
                continue;
            }
            let nat = subnets_route_to_nat(m, d);
            for svc in INTERFACE_SERVICES.iter().chain(std::iter::once(&S3)) {
                let present = Tri::any(endpoints.iter().map(|(e, inv)| {
                    let name = e.get("service_name").cloned().unwrap_or(crate::model::Value::Null);
                    inv.and(service_is(&name, svc)).and(endpoint_type_ok(e, svc))
                }));
                if present != Tri::No {
                    continue;
                }
                let kind = if *svc == S3 {
                    "Gateway or Interface"
                } else {
                    "Interface"
                };
                let (severity, tail) = if nat {
                    (Severity::Note, "; the domain's subnets route 0.0.0.0/0 to a NAT gateway, so this traffic leaves the VPC through NAT instead")
                } else {
                    (META.severity, "; Studio apps hang or fail when they call this service")
                };
                out.push(Finding {
                    rule: &META,
                    severity,
                    message: format!(
                        "VpcOnly domain {} uses VPC {}, which has no {kind} endpoint for {svc}{tail}",
                        d.address, vpc.address
                    ),
                    help: format!(
                        "add resource \"aws_vpc_endpoint\" with vpc_id = {}, service_name = \"com.amazonaws.${{region}}.{svc}\", vpc_endpoint_type = \"{}\"{}",
                        vpc_id_expr(vpc, d),
                        if *svc == S3 { "Gateway" } else { "Interface" },
                        if *svc == S3 { "" } else { " and private_dns_enabled = true" }
                    ),
                    address: d.address.clone(),
                    key: d.key.clone(),
                    root: String::new(),
                    attr: "vpc_id".into(),
                    discriminator: Some(svc.to_string()),
                    loc: d.loc_of("vpc_id"),
                    related: vec![(vpc.loc.clone(), format!("VPC {}", vpc.address))],
                });
            }
        }
    }
}

/// How the domain's module can name the VPC's id: `aws_vpc.main.id` when both are in one
/// module; else through the output of the module that holds the VPC.
fn vpc_id_expr(vpc: &crate::model::Resource, d: &crate::model::Resource) -> String {
    if vpc.module == d.module {
        let local = vpc
            .address
            .strip_prefix(&format!("{}.", vpc.module))
            .unwrap_or(&vpc.address);
        format!("{local}.id")
    } else if vpc.module.is_empty() {
        format!("the id of {} (passed in as a module input)", vpc.address)
    } else {
        format!("the id of {} (an output of {})", vpc.address, vpc.module)
    }
}
