//! Live input: snapshot bundles and raw AWS CLI outputs, rule SM401, and `cleanup`.

use sagelint::input::LoadOptions;
use sagelint::model::{Finding, Model, Origin};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/live");

fn lint(files: &[&str]) -> (Model, Vec<Finding>) {
    let paths: Vec<String> = files.iter().map(|f| format!("{DIR}/{f}")).collect();
    sagelint::lint(&paths, &LoadOptions::default())
}

/// (rule, address, discriminator) of every finding, sorted.
fn ids(findings: &[Finding]) -> Vec<(String, String, Option<String>)> {
    let mut v: Vec<_> = findings
        .iter()
        .map(|f| (f.rule.id.to_string(), f.address.clone(), f.discriminator.clone()))
        .collect();
    v.sort();
    v
}

fn of_rule<'a>(findings: &'a [Finding], id: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.rule.id == id).collect()
}

const DOMAIN: &str = "aws_sagemaker_domain.d-abc123example";
const MT_A: &str = "aws_efs_mount_target.fsmt-0aaa00000000000a1";
const MT_B: &str = "aws_efs_mount_target.fsmt-0bbb00000000000b2";

#[test]
fn healthy_snapshot_has_no_findings() {
    let (m, f) = lint(&["healthy.json"]);
    assert!(m.errors.is_empty(), "{:?}", m.errors);
    assert!(f.is_empty(), "{:#?}", ids(&f));
}

#[test]
fn snapshot_maps_api_fields_to_terraform_attributes() {
    let (m, _) = lint(&["healthy.json"]);
    let d = m.of_type("aws_sagemaker_domain").next().expect("domain");
    assert_eq!(d.address, DOMAIN);
    assert_eq!(d.origin, Origin::Live);
    assert_eq!(
        d.arn.as_deref(),
        Some("arn:aws:sagemaker:us-east-1:111122223333:domain/d-abc123example")
    );
    assert_eq!(d.str("app_network_access_type"), Some("VpcOnly"));
    assert_eq!(
        d.str("default_user_settings.execution_role"),
        Some("arn:aws:iam::111122223333:role/service-role/StudioExecutionRole")
    );
    assert_eq!(
        d.str("domain_settings.execution_role_identity_config"),
        Some("USER_PROFILE_NAME")
    );
    assert_eq!(d.str("vpc_id"), Some("vpc-0a1b2c3d4e5f60001"));
    assert_eq!(d.str("home_efs_file_system_id"), Some("fs-0123456789abcdef0"));
    // The resource points at its JSON object, the attribute at its member.
    let src = m.sources.get(d.loc.file);
    assert!(src.text[d.loc.span.clone()].starts_with('{'));
    assert!(src.text[d.loc.span.clone()].contains("\"DomainArn\""));
    let a = d.loc_of("app_network_access_type");
    assert_eq!(&src.text[a.span.clone()], "\"AppNetworkAccessType\": \"VpcOnly\"");
    assert_eq!(src.line_col(d.loc.span.start).0, 45);

    let role = m.of_type("aws_iam_role").next().expect("role");
    assert_eq!(role.address, "aws_iam_role.StudioExecutionRole");
    assert!(matches!(role.get("managed_policy_arns"), Some(sagelint::model::Value::List(l)) if l.len() == 1));
    let mt = m
        .resource(&format!("{}:{MT_A}", d.key.split(':').next().unwrap()))
        .expect("mount target");
    assert_eq!(mt.str("subnet_id"), Some("subnet-0aaa0000000000001"));
    assert_eq!(
        mt.get("security_groups").and_then(|v| v.as_list()).map(|l| l.len()),
        Some(1)
    );
    // The VPC is known because its endpoint list was described.
    assert_eq!(m.of_type("aws_vpc").count(), 1);
    assert_eq!(m.of_type("aws_vpc_endpoint").count(), 8);
    assert_eq!(m.of_type("aws_security_group").count(), 5);
    let key = m.of_type("aws_kms_key").next().expect("key");
    assert_eq!(key.get("enable_key_rotation").and_then(|v| v.as_bool()), Some(true));
    // Main route table association synthesized for each subnet.
    assert_eq!(m.of_type("aws_route_table_association").count(), 2);
}

#[test]
fn sm401_inbound_rule_removed_breaks_both_mount_targets() {
    let (_, f) = lint(&["nfs-ingress-revoked.json"]);
    let got = ids(&f);
    assert_eq!(
        got,
        vec![("SM401".into(), MT_A.into(), None), ("SM401".into(), MT_B.into(), None)],
    );
    assert!(f[0].message.contains("admits TCP 2049"), "{}", f[0].message);
}

#[test]
fn sm401_outbound_egress_revoked() {
    let (_, f) = lint(&["nfs-egress-revoked.json"]);
    assert_eq!(
        ids(&f),
        vec![("SM401".into(), MT_A.into(), None), ("SM401".into(), MT_B.into(), None)]
    );
    assert!(f.iter().all(|x| x.message.contains("allows egress TCP 2049")));
}

#[test]
fn sm401_wrong_port() {
    let (_, f) = lint(&["nfs-wrong-port.json"]);
    assert_eq!(of_rule(&f, "SM401").len(), 2);
    assert_eq!(f.len(), 2);
}

#[test]
fn sm401_missing_mount_target_is_one_finding_for_the_az() {
    let (m, f) = lint(&["mount-target-missing.json"]);
    assert_eq!(
        ids(&f),
        vec![("SM401".into(), DOMAIN.into(), Some("us-east-1b".into()))]
    );
    let src = m.sources.get(f[0].loc.file);
    assert!(src.text[f[0].loc.span.clone()].starts_with("\"SubnetIds\""));
    assert!(f[0].message.contains("subnet-0bbb0000000000002"));
}

#[test]
fn sm401_mount_target_with_foreign_group() {
    let (_, f) = lint(&["mount-target-wrong-group.json"]);
    assert_eq!(ids(&f), vec![("SM401".into(), MT_B.into(), None)]);
    let (m, _) = lint(&["mount-target-wrong-group.json"]);
    let src = m.sources.get(f[0].loc.file);
    assert!(src.text[f[0].loc.span.clone()].contains("\"MountTargetId\": \"fsmt-0bbb00000000000b2\""));
}

#[test]
fn sm401_silent_when_efs_cannot_be_described() {
    let (m, f) = lint(&["efs-denied.json"]);
    assert!(f.is_empty(), "{:#?}", ids(&f));
    assert!(m.errors.is_empty());
    assert!(
        m.notices
            .iter()
            .any(|n| n.contains("efs describe-mount-targets") && n.contains("AccessDeniedException")),
        "{:?}",
        m.notices
    );
}

#[test]
fn raw_cli_outputs_lint_together_as_one_graph() {
    let (m, f) = lint(&[
        "raw/describe-domain.json",
        "raw/describe-vpc-endpoints.json",
        "raw/get-account-authorization-details.json",
        "raw/get-role.json",
        "raw/describe-user-profile.json",
    ]);
    assert!(m.errors.is_empty(), "{:?}", m.errors);
    let d = "aws_sagemaker_domain.d-rawdomain0001".to_string();
    let mut want: Vec<(String, String, Option<String>)> = vec![
        // Trust policy URL-encoded: AssumeRole only, while the domain propagates source identity.
        ("SM101".into(), "aws_iam_role.RawStudioRole".into(), None),
        // Trust policy as a JSON string, trusting EC2 only.
        ("SM102".into(), "aws_iam_role.Ec2OnlyRole".into(), None),
        ("SM203".into(), "aws_vpc_endpoint.vpce-0raw00000000sts1".into(), None),
        ("SM301".into(), d.clone(), None),
    ];
    for svc in [
        "ecr.api",
        "ecr.dkr",
        "kms",
        "logs",
        "sagemaker.api",
        "sagemaker.runtime",
    ] {
        want.push(("SM202".into(), d.clone(), Some(svc.into())));
    }
    want.sort();
    // No SM103: the inline policy (a JSON string) allows sagemaker:* on *, and get-role does
    // not say what is attached to Ec2OnlyRole.
    assert_eq!(ids(&f), want);
    let sm101 = of_rule(&f, "SM101")[0];
    assert_eq!(sm101.severity, sagelint::model::Severity::Error);
}

#[test]
fn without_endpoint_listing_endpoint_rules_stay_silent() {
    let (m, f) = lint(&["raw/describe-domain.json"]);
    assert_eq!(m.of_type("aws_vpc").count(), 0);
    assert_eq!(
        ids(&f),
        vec![("SM301".into(), "aws_sagemaker_domain.d-rawdomain0001".into(), None)]
    );
}

#[test]
fn malformed_live_file_is_an_input_error_and_others_still_lint() {
    let dir = std::env::temp_dir().join(format!("sagelint-live-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("broken.json");
    std::fs::write(
        &bad,
        "{\"sagelint_snapshot\": {\"version\": 1},\n \"calls\": [ {\"service\": \"ec2\", }\n]}",
    )
    .unwrap();
    let paths = vec![bad.display().to_string(), format!("{DIR}/raw/describe-domain.json")];
    let (m, f) = sagelint::lint(&paths, &LoadOptions::default());
    assert_eq!(m.errors.len(), 1, "{:?}", m.errors);
    assert_eq!(m.errors[0].line, 2);
    assert!(m.errors[0].column > 1);
    assert_eq!(of_rule(&f, "SM301").len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn snapshot_bundle_without_calls_is_an_input_error() {
    let dir = std::env::temp_dir().join(format!("sagelint-live-nocalls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("s.json");
    std::fs::write(&p, "{\"sagelint_snapshot\": {\"version\": 1}}").unwrap();
    let (m, _) = sagelint::lint(&[p.display().to_string()], &LoadOptions::default());
    assert_eq!(m.errors.len(), 1);
    assert!(m.errors[0].message.contains("calls"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cleanup_prints_the_ordered_plan() {
    let p = sagelint::cleanup::plan(&format!("{DIR}/healthy.json"), &[]).expect("plan");
    assert_eq!(p.region, "us-east-1");
    assert_eq!(p.domains.len(), 1);
    let d = &p.domains[0];
    assert_eq!(d.domain_id, "d-abc123example");
    assert!(d.notes.is_empty(), "{:?}", d.notes);
    let r = "--region us-east-1";
    let want = vec![
        format!("aws efs delete-mount-target {r} --mount-target-id fsmt-0aaa00000000000a1"),
        format!("aws efs delete-mount-target {r} --mount-target-id fsmt-0bbb00000000000b2"),
        format!("until [ \"$(aws efs describe-mount-targets {r} --file-system-id fs-0123456789abcdef0 --query 'length(MountTargets)' --output text)\" = \"0\" ]; do echo 'waiting for the mount targets of fs-0123456789abcdef0 to be deleted' >&2; sleep 10; done"),
        format!("aws efs delete-file-system {r} --file-system-id fs-0123456789abcdef0"),
        format!("aws ec2 revoke-security-group-ingress {r} --group-id sg-0a11000000000000a --ip-permissions '[{{\"IpProtocol\":\"tcp\",\"FromPort\":2049,\"ToPort\":2049,\"UserIdGroupPairs\":[{{\"GroupId\":\"sg-0b22000000000000b\"}}]}}]'"),
        format!("aws ec2 revoke-security-group-egress {r} --group-id sg-0b22000000000000b --ip-permissions '[{{\"IpProtocol\":\"tcp\",\"FromPort\":2049,\"ToPort\":2049,\"UserIdGroupPairs\":[{{\"GroupId\":\"sg-0a11000000000000a\"}}]}}]'"),
        format!("aws ec2 delete-security-group {r} --group-id sg-0a11000000000000a"),
        format!("aws ec2 delete-security-group {r} --group-id sg-0b22000000000000b"),
    ];
    assert_eq!(d.commands, want);
    let text = p.render();
    assert!(text.contains("Nothing has been run"));
    let body: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("aws ") || l.starts_with("until "))
        .collect();
    assert_eq!(body, want.iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn cleanup_for_a_deleted_domain_finds_efs_by_tag_and_other_referencing_rules() {
    // The domain itself is gone (no describe-domain), its EFS and groups are left; a custom
    // group still allows NFS out to the inbound group.
    let text = std::fs::read_to_string(format!("{DIR}/healthy.json")).unwrap();
    let mut j: serde_json::Value = serde_json::from_str(&text).unwrap();
    let calls = j["calls"].as_array_mut().unwrap();
    calls.retain(|c| c["operation"] != "describe-domain");
    for c in calls.iter_mut() {
        if c["operation"] == "describe-security-groups" {
            let g = &mut c["response"]["SecurityGroups"][2];
            g["IpPermissionsEgress"]
                .as_array_mut()
                .unwrap()
                .push(serde_json::json!({
                "IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": "sg-0a11000000000000a"}]}));
        }
    }
    let dir = std::env::temp_dir().join(format!("sagelint-cleanup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("snap.json");
    std::fs::write(&p, serde_json::to_string_pretty(&j).unwrap()).unwrap();
    let plan = sagelint::cleanup::plan(p.to_str().unwrap(), &["d-abc123example".to_string()]).unwrap();
    let c = &plan.domains[0].commands;
    assert_eq!(c.len(), 9, "{c:#?}");
    assert!(c[3].contains("delete-file-system") && c[3].contains("fs-0123456789abcdef0"));
    assert_eq!(
        c[6],
        "aws ec2 revoke-security-group-egress --region us-east-1 --group-id sg-0c33000000000000c --ip-permissions '[{\"IpProtocol\":\"-1\",\"UserIdGroupPairs\":[{\"GroupId\":\"sg-0a11000000000000a\"}]}]'"
    );
    assert!(c[7].ends_with("sg-0a11000000000000a") && c[8].ends_with("sg-0b22000000000000b"));

    // The binary prints the same plan.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sagelint"))
        .args(["cleanup", p.to_str().unwrap(), "--domain-id", "d-abc123example"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), plan.render());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cleanup_rejects_what_is_not_a_snapshot() {
    let e = sagelint::cleanup::plan(&format!("{DIR}/raw/describe-domain.json"), &[]).unwrap_err();
    assert!(e.contains("not a sagelint snapshot"), "{e}");
}

/// When the snapshot could not list the home EFS's mount targets (a denied call), the plan lists
/// and deletes them when it runs instead of claiming there are none; a domain id the snapshot
/// does not know is an error, not an empty plan.
#[test]
fn cleanup_with_missing_data_and_unknown_domains() {
    let plan = sagelint::cleanup::plan(&format!("{DIR}/efs-denied.json"), &[]).unwrap();
    let c = &plan.domains[0].commands;
    assert!(
        c[0].starts_with(
            "for mt in $(aws efs describe-mount-targets --region us-east-1 --file-system-id fs-0123456789abcdef0"
        ) && c[0].contains("aws efs delete-mount-target"),
        "{c:#?}"
    );
    assert!(c[1].starts_with("until "), "{c:#?}");
    assert!(c[2].contains("delete-file-system"), "{c:#?}");
    assert!(plan.domains[0]
        .notes
        .iter()
        .any(|n| n.contains("could not list the mount targets")));
    assert!(!plan.domains[0]
        .notes
        .iter()
        .any(|n| n.contains("shows no mount targets")));

    // A healthy snapshot lists them: one delete per mount target, before the wait.
    let plan = sagelint::cleanup::plan(&format!("{DIR}/healthy.json"), &[]).unwrap();
    let c = &plan.domains[0].commands;
    assert!(
        c[0].starts_with("aws efs delete-mount-target") && c[1].starts_with("aws efs delete-mount-target"),
        "{c:#?}"
    );

    let e = sagelint::cleanup::plan(&format!("{DIR}/healthy.json"), &["d-nope".to_string()]).unwrap_err();
    assert!(e.contains("no domain d-nope") && e.contains("d-abc123example"), "{e}");
}
