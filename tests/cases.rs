//! Every shared case, linted from its HCL, gives exactly its `expect`.

mod common;

use sagelint::input::LoadOptions;

#[test]
fn every_case_from_hcl() {
    let cases = common::cases();
    assert!(cases.len() >= 12, "expected the shared cases under fixtures/cases");
    let mut failures = Vec::new();
    for case in &cases {
        let (model, findings) = sagelint::lint(&[case.display().to_string()], &LoadOptions::default());
        assert!(
            model.errors.is_empty(),
            "{}: input errors {:?}",
            case.display(),
            model.errors
        );
        let problems = common::check_expect(&common::expect(case), &findings);
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}",
                case.file_name().unwrap().to_string_lossy(),
                problems.join("; ")
            ));
        }
    }
    assert!(failures.is_empty(), "cases that differ:\n{}", failures.join("\n"));
}

#[test]
fn findings_point_at_the_attribute() {
    // s05: the explicit PublicInternetOnly is reported at its own line.
    let case = common::root().join("fixtures/cases/s05-public-internet-explicit");
    let (model, findings) = sagelint::lint(&[case.display().to_string()], &LoadOptions::default());
    let f = findings.iter().find(|f| f.rule.id == "SM201").expect("SM201");
    let file = model.sources.get(f.loc.file);
    let (line, col) = file.line_col(f.loc.span.start);
    assert_eq!((line, col), (144, 3));
    assert!(file.text[f.loc.span.clone()].starts_with("app_network_access_type = \"PublicInternetOnly\""));
    assert_eq!(f.address, "aws_sagemaker_domain.this");
    // s07: the absent kms_key_id is reported at the domain block header.
    let case = common::root().join("fixtures/cases/s07-domain-without-kms");
    let (model, findings) = sagelint::lint(&[case.display().to_string()], &LoadOptions::default());
    let f = findings.iter().find(|f| f.rule.id == "SM301").expect("SM301");
    let file = model.sources.get(f.loc.file);
    assert_eq!(
        &file.text[f.loc.span.clone()],
        "resource \"aws_sagemaker_domain\" \"this\""
    );
    assert!(f.message.contains("kms_key_id is not set"), "{}", f.message);
}

#[test]
fn sm202_names_each_missing_service() {
    let case = common::root().join("fixtures/cases/s04-five-endpoints-missing");
    let (_, findings) = sagelint::lint(&[case.display().to_string()], &LoadOptions::default());
    let mut services: Vec<String> = findings
        .iter()
        .filter(|f| f.rule.id == "SM202")
        .filter_map(|f| f.discriminator.clone())
        .collect();
    services.sort();
    assert_eq!(services, ["ecr.api", "ecr.dkr", "kms", "logs", "sts"]);
    let fps: std::collections::BTreeSet<String> = findings.iter().map(|f| f.fingerprint()).collect();
    assert_eq!(fps.len(), findings.len(), "fingerprints must be distinct");
    assert!(fps.contains("SM202|aws_sagemaker_domain.this|vpc_id|kms"));
}
