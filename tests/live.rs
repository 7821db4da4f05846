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
