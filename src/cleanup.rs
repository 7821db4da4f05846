//! `sagelint cleanup`: the ordered AWS CLI commands that remove what `terraform destroy` leaves
//! behind for a deleted (or to-be-deleted) SageMaker domain: the home EFS with its mount
//! targets, and the two NFS security groups SageMaker created. Printed, never run.

use crate::input::live::{self, json};
use crate::input::LoadOptions;
use crate::model::{Model, Resource, Value};
use std::fmt::Write as _;

/// One domain's clean-up.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainPlan {
    pub domain_id: String,
    /// Comments about what the snapshot did not show.
    pub notes: Vec<String>,
    /// The commands, in the order they must run.
    pub commands: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub source: String,
    pub region: String,
    pub created: Option<String>,
    pub domains: Vec<DomainPlan>,
}

/// Quote a word for a POSIX shell when it needs it.
pub fn sh_quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn names_domain(tag: &str, domain_id: &str) -> bool {
    tag == domain_id || tag.ends_with(&format!(":domain/{domain_id}"))
}

fn nfs_group<'a>(m: &'a Model, dir: &str, domain_id: &str) -> Option<&'a Resource> {
    let name = format!("security-group-for-{dir}-nfs-{domain_id}");
    m.of_type("aws_security_group")
        .find(|g| g.str("name") == Some(name.as_str()))
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_list)
        .map(|l| l.iter().filter_map(|x| x.as_str().map(String::from)).collect())
        .unwrap_or_default()
}

/// The `--ip-permissions` JSON that revokes the part of `rule` referencing `group`.
fn revoke_permission(rule: &Value, group: &str) -> String {
    let proto = rule
        .get_attr("protocol")
        .and_then(|p| p.to_display_string())
        .unwrap_or_else(|| "-1".into());
    let mut p = serde_json::Map::new();
    p.insert("IpProtocol".into(), proto.clone().into());
    if proto != "-1" {
        for (k, a) in [("FromPort", "from_port"), ("ToPort", "to_port")] {
            if let Some(Value::Number(n)) = rule.get_attr(a) {
                p.insert(k.into(), serde_json::Value::from(n as i64));
            }
        }
    }
    p.insert("UserIdGroupPairs".into(), serde_json::json!([{ "GroupId": group }]));
    serde_json::Value::Array(vec![serde_json::Value::Object(p)]).to_string()
}

/// Whether the snapshot listed the mount targets of `fs`: `Some(true)` when a
/// `describe-mount-targets` call for it has a response, `Some(false)` when every such call
/// failed (denied, throttled), `None` when none was made.
fn mount_targets_listed(calls: &serde_json::Value, fs: &str) -> Option<bool> {
    let mut seen = None;
    for c in calls.get("calls").and_then(|c| c.as_array()).into_iter().flatten() {
        let op = (
            c.get("service").and_then(|v| v.as_str()),
            c.get("operation").and_then(|v| v.as_str()),
        );
        if op != (Some("efs"), Some("describe-mount-targets")) {
            continue;
        }
        let for_fs = c
            .get("parameters")
            .and_then(|p| p.get("FileSystemId").or_else(|| p.get("file-system-id")))
            .and_then(|v| v.as_str())
            .is_none_or(|id| id == fs);
        if for_fs {
            if c.get("response").is_some_and(|r| r.is_object()) {
                return Some(true);
            }
            seen = Some(false);
        }
    }
    seen
}

fn domain_plan(m: &Model, calls: &serde_json::Value, domain_id: &str, region: &str) -> DomainPlan {
    let r = format!("--region {}", sh_quote(region));
    let mut notes = Vec::new();
    let mut commands = Vec::new();
    let domain = m
        .of_type("aws_sagemaker_domain")
        .find(|d| d.str("id") == Some(domain_id));
    // The home EFS: named by the domain, else tagged by SageMaker with the domain's ARN.
    let fs_id = domain
        .and_then(|d| d.str("home_efs_file_system_id"))
        .map(String::from)
        .or_else(|| {
            m.of_type("aws_efs_file_system")
                .find(|f| {
                    f.get("tags")
                        .and_then(|t| t.get_attr("ManagedByAmazonSageMakerResource"))
                        .and_then(|v| v.as_str().map(|s| names_domain(s, domain_id)))
                        .unwrap_or(false)
                })
                .and_then(|f| f.str("id").map(String::from))
        });
    match &fs_id {
        Some(fs) => {
            let mts: Vec<&Resource> = m
                .of_type("aws_efs_mount_target")
                .filter(|t| t.str("file_system_id") == Some(fs.as_str()))
                .filter(|t| !matches!(t.str("life_cycle_state"), Some("deleted")))
                .collect();
            let described = m
                .of_type("aws_efs_file_system")
                .any(|f| f.str("id") == Some(fs.as_str()));
            let q = sh_quote(fs);
            if !described {
                notes.push(format!(
                    "the snapshot does not describe the file system {fs}; it may be gone already"
                ));
            }
            if mount_targets_listed(calls, fs) == Some(true) {
                if mts.is_empty() {
                    notes.push(format!("the snapshot shows no mount targets of {fs}"));
                }
                for t in &mts {
                    commands.push(format!(
                        "aws efs delete-mount-target {r} --mount-target-id {}",
                        sh_quote(t.str("id").unwrap_or(&t.name))
                    ));
                }
            } else {
                // Unknown which mount targets exist: list them when the plan runs.
                notes.push(format!(
                    "the snapshot could not list the mount targets of {fs}; they are listed when these commands run"
                ));
                commands.push(format!(
                    "for mt in $(aws efs describe-mount-targets {r} --file-system-id {q} --query 'MountTargets[].MountTargetId' --output text); do aws efs delete-mount-target {r} --mount-target-id \"$mt\"; done"
                ));
            }
            commands.push(format!(
                "until [ \"$(aws efs describe-mount-targets {r} --file-system-id {q} --query 'length(MountTargets)' --output text)\" = \"0\" ]; do echo 'waiting for the mount targets of {fs} to be deleted' >&2; sleep 10; done"
            ));
            commands.push(format!("aws efs delete-file-system {r} --file-system-id {q}"));
        }
        None => notes.push("the snapshot names no home EFS for this domain".into()),
    }
    let inbound = nfs_group(m, "inbound", domain_id);
    let outbound = nfs_group(m, "outbound", domain_id);
    let nfs: Vec<&Resource> = inbound.into_iter().chain(outbound).collect();
    if nfs.is_empty() {
        notes.push(format!(
            "the snapshot shows neither security-group-for-inbound-nfs-{domain_id} nor security-group-for-outbound-nfs-{domain_id}"
        ));
    }
    let nfs_ids: Vec<&str> = nfs.iter().filter_map(|g| g.str("id")).collect();
    // Every rule that references an NFS group, in the NFS groups first, then in other groups.
    let mut groups: Vec<&Resource> = nfs.clone();
    let mut others: Vec<&Resource> = m
        .of_type("aws_security_group")
        .filter(|g| !nfs.iter().any(|n| n.key == g.key))
        .collect();
    others.sort_by(|a, b| a.name.cmp(&b.name));
    groups.extend(others);
    for g in groups {
        let gid = g.str("id").unwrap_or(&g.name);
        for (dir, cmd) in [
            ("ingress", "revoke-security-group-ingress"),
            ("egress", "revoke-security-group-egress"),
        ] {
            for rule in g.get(dir).and_then(Value::as_list).unwrap_or(&[]) {
                for target in strings(rule.get_attr("security_groups").as_ref()) {
                    if nfs_ids.contains(&target.as_str()) {
                        commands.push(format!(
                            "aws ec2 {cmd} {r} --group-id {} --ip-permissions {}",
                            sh_quote(gid),
                            sh_quote(&revoke_permission(rule, &target))
                        ));
                    }
                }
            }
        }
    }
    for g in &nfs {
        commands.push(format!(
            "aws ec2 delete-security-group {r} --group-id {}",
            sh_quote(g.str("id").unwrap_or(&g.name))
        ));
    }
    DomainPlan {
        domain_id: domain_id.to_string(),
        notes,
        commands,
    }
}

/// Build the clean-up plan from a snapshot. With no `domain_ids`, every domain the snapshot
/// describes or has NFS groups for.
pub fn plan(snapshot: &str, domain_ids: &[String]) -> Result<Plan, String> {
    let text = std::fs::read_to_string(snapshot).map_err(|e| format!("cannot read {snapshot}: {e}"))?;
    let root = json::parse(&text).map_err(|e| {
        let before = &text[..e.offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
        format!("{snapshot}:{line}:{col}: invalid JSON: {}", e.message)
    })?;
    let header = live::header(&root).ok_or_else(|| {
        format!(
            "{snapshot}: not a sagelint snapshot (no \"{}\" header)",
            live::SNAPSHOT_KEY
        )
    })?;
    let region = header
        .region
        .clone()
        .ok_or_else(|| format!("{snapshot}: the snapshot header has no region"))?;
    let (model, _) = crate::lint(&[snapshot.to_string()], &LoadOptions::default());
    if let Some(e) = model.errors.first() {
        return Err(e.to_string());
    }
    let mut ids: Vec<String> = domain_ids.to_vec();
    if ids.is_empty() {
        ids.extend(
            model
                .of_type("aws_sagemaker_domain")
                .filter_map(|d| d.str("id").map(String::from)),
        );
        for g in model.of_type("aws_security_group") {
            if let Some(id) = g
                .str("name")
                .and_then(|n| n.strip_prefix("security-group-for-inbound-nfs-"))
            {
                ids.push(id.to_string());
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|i| seen.insert(i.clone()));
    // A domain the snapshot knows nothing of is a mistyped id, not an empty plan.
    let known = |id: &str| {
        model.of_type("aws_sagemaker_domain").any(|d| d.str("id") == Some(id))
            || model.of_type("aws_security_group").any(|g| {
                g.str("name").is_some_and(|n| {
                    n == format!("security-group-for-inbound-nfs-{id}")
                        || n == format!("security-group-for-outbound-nfs-{id}")
                })
            })
    };
    if let Some(unknown) = ids.iter().find(|i| !known(i)) {
        let mut described: Vec<String> = model
            .of_type("aws_sagemaker_domain")
            .filter_map(|d| d.str("id").map(String::from))
            .collect();
        described.sort();
        return Err(format!(
            "{snapshot}: no domain {unknown} in the snapshot (neither described nor named by an NFS security group); domains in it: {}",
            if described.is_empty() { "none".to_string() } else { described.join(", ") }
        ));
    }
    let calls: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    Ok(Plan {
        source: snapshot.to_string(),
        region: region.clone(),
        created: header.created.clone(),
        domains: ids.iter().map(|d| domain_plan(&model, &calls, d, &region)).collect(),
    })
}

impl Plan {
    /// A shell script: comments, then the commands in order.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "#!/bin/sh");
        let _ = writeln!(
            s,
            "# sagelint cleanup plan from {} (snapshot of {}{}). Nothing has been run.",
            self.source,
            self.region,
            self.created
                .as_deref()
                .map(|c| format!(", taken {c}"))
                .unwrap_or_default()
        );
        let _ = writeln!(
            s,
            "# Run it only after the domain is deleted; review every command first."
        );
        let _ = writeln!(s, "set -eu");
        if self.domains.is_empty() {
            let _ = writeln!(
                s,
                "# the snapshot shows no SageMaker domain and no NFS security groups: nothing to clean up"
            );
        }
        for d in &self.domains {
            let _ = writeln!(s, "\n# domain {}", d.domain_id);
            for n in &d.notes {
                let _ = writeln!(s, "# note: {n}");
            }
            for c in &d.commands {
                let _ = writeln!(s, "{c}");
            }
        }
        s
    }
}
