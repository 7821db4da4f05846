//! `sagelint snapshot`: record the live state of an account with the user's own `aws` CLI
//! (their credentials, profiles, SSO and region set-up; no SDK) into one JSON bundle that
//! `sagelint` lints like any other input. Only read-only operations are called. A call that
//! fails (denied, unsupported by an emulator) is recorded with its error and the snapshot goes
//! on. The bundle format is described in [`crate::input::live`] and `docs/live-mapping.md`.

use crate::input::live::{SNAPSHOT_KEY, SNAPSHOT_VERSION};
use serde_json::{json, Map, Value as J};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    /// Only these domains (default: every domain `list-domains` returns).
    pub domain_ids: Vec<String>,
    /// Where to write the bundle (`-` for standard output).
    pub output: PathBuf,
    /// The AWS CLI to run (default `aws`, found on PATH).
    pub aws: Option<String>,
}

/// What a snapshot recorded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub calls: usize,
    pub failed: usize,
}

struct Snap<'a> {
    opts: &'a Options,
    region: String,
    calls: Vec<J>,
    failed: usize,
}

/// The CLI's error message without what only adds noise: the line that says what failed
/// (`An error occurred (...) when calling ...: reason`), with an HTML error page an endpoint
/// may answer with cut off, at most 500 characters.
pub fn short_message(stderr: &str) -> String {
    let line = stderr
        .lines()
        .map(str::trim)
        .find(|l| l.contains("An error occurred ("))
        .or_else(|| stderr.lines().map(str::trim).find(|l| !l.is_empty()))
        .unwrap_or("");
    let lower = line.to_ascii_lowercase();
    let cut = ["<!doctype", "<html", "<?xml"]
        .iter()
        .filter_map(|m| lower.find(m))
        .min()
        .unwrap_or(line.len());
    let mut out = line[..cut].trim_end().trim_end_matches(':').to_string();
    if out.chars().count() > 500 {
        out = out.chars().take(499).collect::<String>() + "…";
    }
    out
}

/// The AWS error code in the CLI's message (`An error occurred (Code) when calling ...`).
pub fn error_code(stderr: &str) -> Option<String> {
    let i = stderr.find("An error occurred (")? + "An error occurred (".len();
    let rest = &stderr[i..];
    Some(rest[..rest.find(')')?].to_string())
}

/// ISO-8601 UTC time of now.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn strs(v: Option<&J>) -> Vec<String> {
    v.and_then(J::as_array)
        .map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect())
        .unwrap_or_default()
}

fn s(v: &J, k: &str) -> Option<String> {
    v.get(k).and_then(J::as_str).filter(|x| !x.is_empty()).map(String::from)
}

fn vpc_filter(vpcs: &BTreeSet<String>) -> J {
    json!([{ "Name": "vpc-id", "Values": vpcs.iter().collect::<Vec<_>>() }])
}

impl Snap<'_> {
    fn aws(&self) -> Command {
        let mut c = Command::new(self.opts.aws.as_deref().unwrap_or("aws"));
        c.env("AWS_PAGER", "");
        c
    }

    /// Run one read-only call and record it. Returns the response when it succeeded.
    fn call(&mut self, service: &str, op: &str, params: &[(&str, J)]) -> Option<J> {
        let mut cmd = self.aws();
        cmd.arg(service).arg(op);
        let mut shown = format!("{service} {op}");
        for (k, v) in params {
            cmd.arg(k);
            shown.push(' ');
            shown.push_str(k);
            let words: Vec<String> = match v {
                J::String(x) => vec![x.clone()],
                J::Array(a) if a.iter().all(J::is_string) => strs(Some(v)),
                other => vec![other.to_string()],
            };
            for w in words {
                shown.push(' ');
                shown.push_str(&w);
                cmd.arg(w);
            }
        }
        cmd.args(["--output", "json", "--region", &self.region]);
        if let Some(p) = &self.opts.profile {
            cmd.args(["--profile", p]);
        }
        if let Some(u) = &self.opts.endpoint_url {
            cmd.args(["--endpoint-url", u]);
        }
        let mut rec = Map::new();
        rec.insert("service".into(), service.into());
        rec.insert("operation".into(), op.into());
        rec.insert(
            "parameters".into(),
            J::Object(params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()),
        );
        let out = cmd.output();
        let result = match out {
            Ok(o) if o.status.success() => {
                let text = String::from_utf8_lossy(&o.stdout);
                if text.trim().is_empty() {
                    Ok(json!({}))
                } else {
                    serde_json::from_str::<J>(&text)
                        .map_err(|e| ("InvalidOutput".to_string(), format!("the CLI printed no JSON: {e}")))
                }
            }
            Ok(o) => {
                let err = String::from_utf8_lossy(&o.stderr).trim().to_string();
                let code = error_code(&err).unwrap_or_else(|| format!("exit status {}", o.status.code().unwrap_or(-1)));
                Err((code, short_message(&err)))
            }
            Err(e) => Err(("NotRun".to_string(), format!("cannot run the aws CLI: {e}"))),
        };
        self.calls.push(J::Null);
        let idx = self.calls.len() - 1;
        let response = match result {
            Ok(r) => {
                eprintln!("sagelint snapshot: {shown}: ok");
                rec.insert("response".into(), r.clone());
                Some(r)
            }
            Err((code, message)) => {
                eprintln!("sagelint snapshot: {shown}: {code}");
                self.failed += 1;
                rec.insert("error".into(), json!({ "code": code, "message": message }));
                None
            }
        };
        self.calls[idx] = J::Object(rec);
        response
    }
}

fn configured_region(opts: &Options) -> Option<String> {
    if let Some(r) = &opts.region {
        return Some(r.clone());
    }
    let mut c = Command::new(opts.aws.as_deref().unwrap_or("aws"));
    c.args(["configure", "get", "region"]);
    if let Some(p) = &opts.profile {
        c.args(["--profile", p]);
    }
    let from_cli = c
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|r| !r.is_empty());
    from_cli.or_else(|| {
        ["AWS_REGION", "AWS_DEFAULT_REGION"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    })
}

/// Take a snapshot and write it. Errors only when nothing can be recorded at all (no region,
/// no `aws` CLI, unwritable output).
pub fn run(opts: &Options) -> Result<Summary, String> {
    let region = configured_region(opts).ok_or("no AWS region: pass --region or configure one (aws configure)")?;
    let mut sn = Snap {
        opts,
        region: region.clone(),
        calls: Vec::new(),
        failed: 0,
    };

    let ident = sn.call("sts", "get-caller-identity", &[]);
    if sn.calls.len() == 1 && sn.calls[0].pointer("/error/code").and_then(J::as_str) == Some("NotRun") {
        return Err(sn.calls[0]
            .pointer("/error/message")
            .and_then(J::as_str)
            .unwrap_or("cannot run aws")
            .to_string());
    }
    let account = ident.as_ref().and_then(|i| s(i, "Account"));

    // SageMaker.
    let listed = sn.call("sagemaker", "list-domains", &[]);
    let mut domain_ids: Vec<String> = if opts.domain_ids.is_empty() {
        listed
            .as_ref()
            .and_then(|l| l.get("Domains"))
            .and_then(J::as_array)
            .map(|a| a.iter().filter_map(|d| s(d, "DomainId")).collect())
            .unwrap_or_default()
    } else {
        opts.domain_ids.clone()
    };
    domain_ids.dedup();
    let mut vpcs = BTreeSet::new();
    let mut keys = BTreeSet::new();
    let mut home_fs = BTreeSet::new();
    let mut vpcless_domains = Vec::new();
    for d in &domain_ids {
        let desc = sn.call("sagemaker", "describe-domain", &[("--domain-id", d.as_str().into())]);
        match &desc {
            Some(dd) => {
                match s(dd, "VpcId") {
                    Some(v) => {
                        vpcs.insert(v);
                    }
                    None => vpcless_domains.push(d.clone()),
                }
                keys.extend(s(dd, "KmsKeyId"));
                home_fs.extend(s(dd, "HomeEfsFileSystemId"));
            }
            None => vpcless_domains.push(d.clone()),
        }
        if let Some(l) = sn.call(
            "sagemaker",
            "list-user-profiles",
            &[("--domain-id-equals", d.as_str().into())],
        ) {
            for p in l.get("UserProfiles").and_then(J::as_array).cloned().unwrap_or_default() {
                if let Some(n) = s(&p, "UserProfileName") {
                    sn.call(
                        "sagemaker",
                        "describe-user-profile",
                        &[("--domain-id", d.as_str().into()), ("--user-profile-name", n.into())],
                    );
                }
            }
        }
        if let Some(l) = sn.call("sagemaker", "list-spaces", &[("--domain-id-equals", d.as_str().into())]) {
            for p in l.get("Spaces").and_then(J::as_array).cloned().unwrap_or_default() {
                if let Some(n) = s(&p, "SpaceName") {
                    sn.call(
                        "sagemaker",
                        "describe-space",
                        &[("--domain-id", d.as_str().into()), ("--space-name", n.into())],
                    );
                }
            }
        }
    }
    if let Some(l) = sn.call("sagemaker", "list-notebook-instances", &[]) {
        for n in l
            .get("NotebookInstances")
            .and_then(J::as_array)
            .cloned()
            .unwrap_or_default()
        {
            if let Some(name) = s(&n, "NotebookInstanceName") {
                if let Some(nb) = sn.call(
                    "sagemaker",
                    "describe-notebook-instance",
                    &[("--notebook-instance-name", name.into())],
                ) {
                    keys.extend(s(&nb, "KmsKeyId"));
                }
            }
        }
    }
    if let Some(l) = sn.call("sagemaker", "list-endpoint-configs", &[("--max-items", "100".into())]) {
        for e in l
            .get("EndpointConfigs")
            .and_then(J::as_array)
            .cloned()
            .unwrap_or_default()
        {
            if let Some(name) = s(&e, "EndpointConfigName") {
                if let Some(ec) = sn.call(
                    "sagemaker",
                    "describe-endpoint-config",
                    &[("--endpoint-config-name", name.into())],
                ) {
                    keys.extend(s(&ec, "KmsKeyId"));
                }
            }
        }
    }
    if let Some(l) = sn.call("sagemaker", "list-models", &[("--max-items", "100".into())]) {
        for e in l.get("Models").and_then(J::as_array).cloned().unwrap_or_default() {
            if let Some(name) = s(&e, "ModelName") {
                sn.call("sagemaker", "describe-model", &[("--model-name", name.into())]);
            }
        }
    }

    // EC2, filtered to the domains' VPCs.
    if !vpcs.is_empty() {
        let f = vpc_filter(&vpcs);
        sn.call("ec2", "describe-vpc-endpoints", &[("--filters", f.clone())]);
        sn.call("ec2", "describe-subnets", &[("--filters", f.clone())]);
        sn.call("ec2", "describe-route-tables", &[("--filters", f.clone())]);
        sn.call("ec2", "describe-security-groups", &[("--filters", f.clone())]);
        sn.call("ec2", "describe-nat-gateways", &[("--filter", f)]);
    }
    if !vpcless_domains.is_empty() {
        // Deleted domains: their NFS groups by name, for `sagelint cleanup`.
        let names: Vec<String> = vpcless_domains
            .iter()
            .flat_map(|d| {
                [
                    format!("security-group-for-inbound-nfs-{d}"),
                    format!("security-group-for-outbound-nfs-{d}"),
                ]
            })
            .collect();
        sn.call(
            "ec2",
            "describe-security-groups",
            &[("--filters", json!([{ "Name": "group-name", "Values": names }]))],
        );
    }

    // IAM: roles with trust, attached and inline policies, and customer managed policies.
    sn.call(
        "iam",
        "get-account-authorization-details",
        &[("--filter", json!(["Role", "LocalManagedPolicy"]))],
    );

    // EFS: the domains' home file systems (and those SageMaker tagged for a listed domain).
    if let Some(l) = sn.call("efs", "describe-file-systems", &[]) {
        for f in l.get("FileSystems").and_then(J::as_array).cloned().unwrap_or_default() {
            let tagged = f.get("Tags").and_then(J::as_array).is_some_and(|t| {
                t.iter().any(|t| {
                    s(t, "Key").as_deref() == Some("ManagedByAmazonSageMakerResource")
                        && s(t, "Value").is_some_and(|v| domain_ids.iter().any(|d| v.ends_with(&format!("domain/{d}"))))
                })
            });
            if tagged {
                home_fs.extend(s(&f, "FileSystemId"));
            }
            if home_fs.contains(&s(&f, "FileSystemId").unwrap_or_default()) {
                keys.extend(s(&f, "KmsKeyId"));
            }
        }
    }
    for fs in &home_fs {
        if let Some(m) = sn.call(
            "efs",
            "describe-mount-targets",
            &[("--file-system-id", fs.as_str().into())],
        ) {
            for t in m.get("MountTargets").and_then(J::as_array).cloned().unwrap_or_default() {
                if let Some(id) = s(&t, "MountTargetId") {
                    sn.call(
                        "efs",
                        "describe-mount-target-security-groups",
                        &[("--mount-target-id", id.into())],
                    );
                }
            }
        }
    }

    // KMS: the keys in use.
    for k in &keys {
        sn.call("kms", "describe-key", &[("--key-id", k.as_str().into())]);
        sn.call("kms", "get-key-rotation-status", &[("--key-id", k.as_str().into())]);
    }

    let summary = Summary {
        calls: sn.calls.len(),
        failed: sn.failed,
    };
    let mut header = Map::new();
    header.insert("version".into(), SNAPSHOT_VERSION.into());
    header.insert("created".into(), now_utc().into());
    header.insert("account".into(), account.map(J::from).unwrap_or(J::Null));
    header.insert("region".into(), region.into());
    header.insert("tool".into(), format!("sagelint {}", env!("CARGO_PKG_VERSION")).into());
    header.insert(
        "endpoint_url".into(),
        opts.endpoint_url.clone().map(J::from).unwrap_or(J::Null),
    );
    let mut bundle = Map::new();
    bundle.insert(SNAPSHOT_KEY.into(), J::Object(header));
    bundle.insert("calls".into(), J::Array(sn.calls));
    let bundle = J::Object(bundle);
    let mut text = serde_json::to_string_pretty(&bundle).map_err(|e| e.to_string())?;
    text.push('\n');
    if opts.output.as_os_str() == "-" {
        print!("{text}");
    } else {
        std::fs::write(&opts.output, text).map_err(|e| format!("cannot write {}: {e}", opts.output.display()))?;
    }
    eprintln!(
        "sagelint snapshot: {} calls recorded, {} failed{}",
        summary.calls,
        summary.failed,
        if opts.output.as_os_str() == "-" {
            String::new()
        } else {
            format!("; wrote {}", opts.output.display())
        }
    );
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes() {
        assert_eq!(
            error_code("\nAn error occurred (AccessDeniedException) when calling the ListSpaces operation: no")
                .as_deref(),
            Some("AccessDeniedException")
        );
        assert_eq!(error_code("Could not connect"), None);
    }

    #[test]
    fn short_messages() {
        let html = "\nAn error occurred (500) when calling the ListSpaces operation (reached max retries: 0): <!DOCTYPE html>\n<html><body>Internal Server Error</body></html>\n";
        assert_eq!(
            short_message(html),
            "An error occurred (500) when calling the ListSpaces operation (reached max retries: 0)"
        );
        assert_eq!(
            short_message("\nAn error occurred (AccessDenied) when calling the X operation: User is not allowed\n"),
            "An error occurred (AccessDenied) when calling the X operation: User is not allowed"
        );
        assert_eq!(
            short_message("\nCould not connect to the endpoint URL: \"http://x\"\n"),
            "Could not connect to the endpoint URL: \"http://x\""
        );
        assert_eq!(short_message(&"y".repeat(900)).chars().count(), 500);
    }

    #[test]
    fn time_format() {
        let t = now_utc();
        assert_eq!(t.len(), 20);
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T');
    }
}
