//! SM401: the NFS path between Studio apps and the domain's home EFS is broken. Live-only in
//! practice: it needs the EFS mount targets, their security groups and the NFS groups SageMaker
//! creates, which only a live dump shows.

use super::{Rule, RuleMeta};
use crate::model::{types, Finding, Location, Model, Resource, Severity, Tri, Value};

pub static META: RuleMeta = RuleMeta {
    id: "SM401",
    name: "studio-efs-nfs-path-broken",
    severity: Severity::Error,
    category: "network",
    summary: "Studio apps cannot reach the domain's home EFS over NFS (missing mount target or TCP 2049 blocked by security groups)",
    security_severity: "4.0",
    tags: &["security", "availability", "network", "efs", "sagemaker", "studio"],
    doc: include_str!("../../rules/SM401-studio-efs-nfs-path-broken.md"),
};

pub struct Sm401;

const NFS_PORT: f64 = 2049.0;

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => Some(*n),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}
const SG: &str = "aws_security_group";
const FS: &str = "aws_efs_file_system";
const MT: &str = "aws_efs_mount_target";

fn strings(v: Option<&Value>) -> Option<Vec<String>> {
    match v {
        Some(Value::List(l)) => l.iter().map(|x| x.as_str().map(String::from)).collect(),
        Some(Value::Null) | None => Some(vec![]),
        _ => None,
    }
}

/// Whether a rule's protocol and ports cover TCP 2049.
fn covers_nfs(rule: &Value) -> Tri {
    let proto = rule.get_attr("protocol").and_then(|p| p.to_display_string());
    let Some(proto) = proto else { return Tri::Unknown };
    match proto.to_ascii_lowercase().as_str() {
        "-1" | "all" => Tri::Yes,
        "tcp" | "6" => {
            let port = |k: &str| rule.get_attr(k).and_then(|v| num(&v));
            match (port("from_port"), port("to_port")) {
                (Some(f), Some(t)) => Tri::from_bool(f <= NFS_PORT && NFS_PORT <= t),
                _ => Tri::Unknown,
            }
        }
        _ => Tri::No,
    }
}

fn parse_v4(s: &str) -> Option<u32> {
    let mut out = 0u32;
    let mut n = 0;
    for p in s.split('.') {
        out = (out << 8) | p.parse::<u8>().ok()? as u32;
        n += 1;
    }
    (n == 4).then_some(out)
}

/// (network, prefix length) of an IPv4 CIDR.
fn parse_cidr(s: &str) -> Option<(u32, u32)> {
    let (a, l) = s.split_once('/')?;
    let l: u32 = l.parse().ok().filter(|l| *l <= 32)?;
    Some((parse_v4(a)?, l))
}

fn mask(l: u32) -> u32 {
    if l == 0 {
        0
    } else {
        u32::MAX << (32 - l)
    }
}

/// Does the CIDR `outer` contain the network or address `inner` (`a.b.c.d` or `a.b.c.d/n`)?
fn cidr_contains(outer: &str, inner: &str) -> Option<bool> {
    let (on, ol) = parse_cidr(outer)?;
    let (inn, il) = match inner.split_once('/') {
        Some(_) => parse_cidr(inner)?,
        None => (parse_v4(inner)?, 32),
    };
    Some(il >= ol && (inn & mask(ol)) == (on & mask(ol)))
}

/// A security group of the model by id, with its rules of one direction when described.
fn group_rules<'a>(m: &'a Model, id: &str, dir: &str) -> Option<(&'a Resource, &'a [Value])> {
    let g = m.of_type(SG).find(|g| g.str("id") == Some(id))?;
    match g.get(dir) {
        Some(Value::List(l)) => Some((g, l.as_slice())),
        _ => None,
    }
}

/// Does some group of `mt_groups` admit TCP 2049 from a group of `app` (or from a CIDR that
/// holds every subnet of the domain)?
fn ingress_ok(m: &Model, mt_groups: &[String], app: &[String], subnet_cidrs: &Option<Vec<String>>) -> Tri {
    Tri::any(mt_groups.iter().map(|g| {
        let Some((_, rules)) = group_rules(m, g, "ingress") else {
            return Tri::Unknown;
        };
        Tri::any(rules.iter().map(|r| {
            let from_app = match strings(r.get_attr("security_groups").as_ref()) {
                Some(sgs) => Tri::from_bool(sgs.iter().any(|s| app.contains(s))),
                None => Tri::Unknown,
            };
            let from_cidr = match strings(r.get_attr("cidr_blocks").as_ref()) {
                Some(cidrs) if cidrs.is_empty() => Tri::No,
                Some(cidrs) => match subnet_cidrs {
                    Some(sc) if !sc.is_empty() => Tri::from_bool(
                        sc.iter()
                            .all(|s| cidrs.iter().any(|c| cidr_contains(c, s) == Some(true))),
                    ),
                    _ if cidrs.iter().any(|c| c == "0.0.0.0/0") => Tri::Yes,
                    _ => Tri::Unknown,
                },
                None => Tri::Unknown,
            };
            let prefix = match strings(r.get_attr("prefix_list_ids").as_ref()) {
                Some(p) if p.is_empty() => Tri::No,
                _ => Tri::Unknown,
            };
            covers_nfs(r).and(from_app.or(from_cidr).or(prefix))
        }))
    }))
}

/// Does some app-side group allow egress TCP 2049 to the mount target (its groups or its IP)?
fn egress_ok(m: &Model, app: &[String], mt_groups: &[String], mt_ip: Option<&str>) -> Tri {
    Tri::any(app.iter().map(|g| {
        let Some((_, rules)) = group_rules(m, g, "egress") else {
            return Tri::Unknown;
        };
        Tri::any(rules.iter().map(|r| {
            let to_group = match strings(r.get_attr("security_groups").as_ref()) {
                Some(sgs) => Tri::from_bool(sgs.iter().any(|s| mt_groups.contains(s))),
                None => Tri::Unknown,
            };
            let to_cidr = match strings(r.get_attr("cidr_blocks").as_ref()) {
                Some(cidrs) if cidrs.is_empty() => Tri::No,
                Some(cidrs) => match mt_ip {
                    Some(ip) => Tri::from_bool(cidrs.iter().any(|c| cidr_contains(c, ip) == Some(true))),
                    None if cidrs.iter().any(|c| c == "0.0.0.0/0") => Tri::Yes,
                    None => Tri::Unknown,
                },
                None => Tri::Unknown,
            };
            let prefix = match strings(r.get_attr("prefix_list_ids").as_ref()) {
                Some(p) if p.is_empty() => Tri::No,
                _ => Tri::Unknown,
            };
            covers_nfs(r).and(to_group.or(to_cidr).or(prefix))
        }))
    }))
}

/// The groups Studio apps of the domain run with: the outbound NFS group SageMaker made, and
/// the domain's and its profiles' `SecurityGroups`. `None` when the groups are not described.
fn app_groups(m: &Model, d: &Resource, domain_id: &str) -> Option<Vec<String>> {
    let vpc = d.str("vpc_id");
    let described: Vec<&Resource> = m
        .of_type(SG)
        .filter(|g| vpc.is_none() || g.str("vpc_id") == vpc)
        .collect();
    if described.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    let nfs_name = format!("security-group-for-outbound-nfs-{domain_id}");
    out.extend(
        described
            .iter()
            .filter(|g| g.str("name") == Some(nfs_name.as_str()))
            .filter_map(|g| g.str("id"))
            .map(String::from),
    );
    for attr in [
        "default_user_settings.security_groups",
        "default_space_settings.security_groups",
    ] {
        out.extend(strings(d.get(attr))?);
    }
    for p in m.of_type(types::USER_PROFILE) {
        if p.str("domain_id") == Some(domain_id) {
            out.extend(strings(p.get("user_settings.security_groups"))?);
        }
    }
    out.sort();
    out.dedup();
    Some(out)
}

fn active(mt: &Resource) -> bool {
    !matches!(
        mt.str("life_cycle_state").map(str::to_ascii_lowercase).as_deref(),
        Some("deleting" | "deleted" | "error")
    )
}

impl Rule for Sm401 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, m: &Model, out: &mut Vec<Finding>) {
        for d in m.of_type(types::DOMAIN) {
            let (Some(domain_id), Some(fs_id)) = (d.str("id"), d.str("home_efs_file_system_id")) else {
                continue;
            };
            // The home EFS and all of its mount targets must be described.
            let Some(fs) = m.of_type(FS).find(|f| f.str("id") == Some(fs_id)) else {
                continue;
            };
            let Some(n) = fs.get("number_of_mount_targets").and_then(num) else {
                continue;
            };
            let mts: Vec<&Resource> = m
                .of_type(MT)
                .filter(|t| t.str("file_system_id") == Some(fs_id))
                .collect();
            if mts.len() as f64 != n {
                continue;
            }
            let mts: Vec<&Resource> = mts.into_iter().filter(|t| active(t)).collect();
            let fs_related = (fs.loc.clone(), format!("home EFS {}", fs.address));
            let subnets = strings(d.get("subnet_ids")).unwrap_or_default();
            let subnet_of = |id: &str| m.of_type("aws_subnet").find(|s| s.str("id") == Some(id));

            // Every AZ of the domain's subnets needs a mount target.
            let mut missing: Vec<(String, Vec<String>)> = Vec::new();
            for s in &subnets {
                let az = subnet_of(s).and_then(|r| r.str("availability_zone")).map(String::from);
                let covered = mts.iter().any(|t| {
                    t.str("subnet_id") == Some(s.as_str())
                        || az.is_some() && t.str("availability_zone_name") == az.as_deref()
                });
                if covered {
                    continue;
                }
                let key = az.unwrap_or_else(|| s.clone());
                match missing.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, v)) => v.push(s.clone()),
                    None => missing.push((key, vec![s.clone()])),
                }
            }
            for (az, subs) in missing {
                let place = if subs.len() == 1 && subs[0] == az {
                    format!("subnet {az}")
                } else {
                    format!("{} ({az})", subs.join(", "))
                };
                out.push(Finding {
                    rule: &META,
                    severity: META.severity,
                    message: format!(
                        "domain {} has no mount target of its home EFS {fs_id} for {place}: Studio apps launched there fail to mount the home directory (EFS mount failure)",
                        d.address
                    ),
                    help: format!(
                        "create a mount target: aws efs create-mount-target --file-system-id {fs_id} --subnet-id {} --security-groups <the security-group-for-inbound-nfs-{domain_id} group>",
                        subs[0]
                    ),
                    address: d.address.clone(),
                    key: d.key.clone(),
                    root: String::new(),
                    attr: "subnet_ids".into(),
                    discriminator: Some(az),
                    loc: d.loc_of("subnet_ids"),
                    related: vec![fs_related.clone()],
                });
            }

            // Each mount target must admit NFS from the app groups, which must let it out.
            let Some(app) = app_groups(m, d, domain_id) else {
                continue;
            };
            let subnet_cidrs: Option<Vec<String>> = subnets
                .iter()
                .map(|s| subnet_of(s).and_then(|r| r.str("cidr_block")).map(String::from))
                .collect();
            for t in mts {
                let Some(mt_groups) = t.get("security_groups").and_then(|v| strings(Some(v))) else {
                    continue;
                };
                let ing = ingress_ok(m, &mt_groups, &app, &subnet_cidrs);
                let egr = egress_ok(m, &app, &mt_groups, t.str("ip_address"));
                let mut why = Vec::new();
                if ing == Tri::No {
                    why.push(format!(
                        "none of its security groups ({}) admits TCP 2049 from the groups Studio apps run with ({})",
                        list_or_none(&mt_groups),
                        list_or_none(&app)
                    ));
                }
                if egr == Tri::No {
                    why.push(format!(
                        "none of the groups Studio apps run with ({}) allows egress TCP 2049 to it",
                        list_or_none(&app)
                    ));
                }
                if why.is_empty() {
                    continue;
                }
                let where_ = t.str("availability_zone_name").or(t.str("subnet_id")).unwrap_or("?");
                let mut related = vec![
                    (
                        d.loc_of("home_efs_file_system_id"),
                        format!("home EFS of domain {}", d.address),
                    ),
                    fs_related.clone(),
                ];
                for g in mt_groups.iter().chain(app.iter()) {
                    if let Some(r) = m.of_type(SG).find(|r| r.str("id") == Some(g.as_str())) {
                        let l: Location = r.loc.clone();
                        if !related.iter().any(|(x, _)| *x == l) {
                            related.push((l, format!("security group {}", r.str("name").unwrap_or(g))));
                        }
                    }
                }
                out.push(Finding {
                    rule: &META,
                    severity: META.severity,
                    message: format!(
                        "NFS path to mount target {} ({where_}) of home EFS {fs_id} of domain {} is broken: {}; Studio apps there fail with an EFS mount error",
                        t.str("id").unwrap_or(&t.name),
                        d.address,
                        why.join("; and ")
                    ),
                    help: format!(
                        "restore the NFS rules SageMaker created: security-group-for-inbound-nfs-{domain_id} on the mount targets allows TCP 2049 in from security-group-for-outbound-nfs-{domain_id}, which allows TCP 2049 out to it"
                    ),
                    address: t.address.clone(),
                    key: t.key.clone(),
                    root: String::new(),
                    attr: "security_groups".into(),
                    discriminator: None,
                    loc: t.loc.clone(),
                    related,
                });
            }
        }
    }
}

fn list_or_none(v: &[String]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs() {
        assert_eq!(cidr_contains("10.0.0.0/16", "10.0.2.0/24"), Some(true));
        assert_eq!(cidr_contains("10.0.1.0/24", "10.0.2.25"), Some(false));
        assert_eq!(cidr_contains("0.0.0.0/0", "192.168.1.1"), Some(true));
        assert_eq!(cidr_contains("10.0.0.0/24", "10.0.0.0/16"), Some(false));
        assert_eq!(cidr_contains("bad", "10.0.0.1"), None);
    }
}
