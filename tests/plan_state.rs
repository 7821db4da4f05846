//! Plan and state JSON input: the same findings as the HCL of the same configuration, for
//! every shared case (`fixtures/cases`) and every plan fixture with twins (`fixtures/plan`),
//! with and without the `.tf` source; locations; document shapes.

mod common;

use sagelint::input::LoadOptions;
use sagelint::model::{Finding, Model};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const TRACKED: &[&str] = &["SM101", "SM102", "SM103", "SM201", "SM202", "SM203", "SM301", "SM401"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn lint(path: &Path, opts: &LoadOptions) -> (Model, Vec<Finding>) {
    let (m, f) = sagelint::lint(&[path.display().to_string()], opts);
    assert!(m.errors.is_empty(), "{}: input errors {:?}", path.display(), m.errors);
    (m, f)
}

/// (rule, address) multiset, with the SM202 service so the five endpoints are told apart.
use common::finding_keys as keys;

fn expect(case: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(case.join("expect"))
        .unwrap()
        .lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            Some((it.next()?.to_string(), it.next()?.to_string()))
        })
        .collect()
}

fn check_expect(case: &Path, findings: &[Finding]) -> Vec<String> {
    let want = expect(case);
    let mut problems = Vec::new();
    let mut rules: Vec<&str> = TRACKED.to_vec();
    rules.extend(want.keys().map(String::as_str));
    rules.sort();
    rules.dedup();
    for r in rules {
        let n = findings.iter().filter(|f| f.rule.id == r).count();
        match want.get(r).map(String::as_str) {
            None if n > 0 => problems.push(format!("{r} fired {n}x, expected none")),
            Some("+") if n == 0 => problems.push(format!("{r} did not fire")),
            Some(w) if w != "+" && w.parse::<usize>().ok() != Some(n) => {
                problems.push(format!("{r} fired {n}x, expected {w}"))
            }
            _ => {}
        }
    }
    problems
}

/// A directory with no `.tf` files, to lint JSON without source.
fn no_source() -> LoadOptions {
    let d = std::env::temp_dir().join(format!("sagelint-plan-nosrc-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    LoadOptions {
        source: Some(d),
        ..Default::default()
    }
}

fn dirs_with_twins(under: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root().join(under)];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            }
        }
        if d.join("plan.json").exists() && d.join("state.json").exists() && d.join("main.tf").exists() {
            out.push(d);
        }
    }
    out.sort();
    out
}

#[test]
fn shared_cases_same_findings_from_hcl_plan_and_state() {
    let cases = dirs_with_twins("fixtures/cases");
    assert!(
        cases.len() >= 11,
        "expected the shared cases with twins under fixtures/cases, got {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let (_, hcl) = lint(case, &LoadOptions::default());
        let hk = keys(&hcl);
        for p in check_expect(case, &hcl) {
            failures.push(format!("{name} (hcl): {p}"));
        }
        for input in ["plan.json", "state.json"] {
            for (label, opts) in [("source", LoadOptions::default()), ("no source", no_source())] {
                let (_, f) = lint(&case.join(input), &opts);
                for p in check_expect(case, &f) {
                    failures.push(format!("{name} ({input}, {label}): {p}"));
                }
                if keys(&f) != hk {
                    failures.push(format!("{name} ({input}, {label}): {:?} != hcl {:?}", keys(&f), hk));
                }
            }
        }
    }
    assert!(failures.is_empty(), "differences:\n{}", failures.join("\n"));
}

#[test]
fn plan_fixtures_same_findings_as_hcl() {
    let mut dirs = dirs_with_twins("fixtures/plan");
    dirs.extend(dirs_with_twins("examples"));
    assert!(
        dirs.len() >= 3,
        "expected plan fixtures and the example with twins, got {dirs:?}"
    );
    for d in &dirs {
        let (_, hcl) = lint(d, &LoadOptions::default());
        let hk = keys(&hcl);
        assert!(!hk.is_empty(), "{}: the fixture should have findings", d.display());
        let mut inputs = vec!["plan.json", "state.json"];
        if d.join("terraform.tfstate").exists() {
            inputs.push("terraform.tfstate");
        }
        for input in inputs {
            let (_, f) = lint(&d.join(input), &LoadOptions::default());
            assert_eq!(keys(&f), hk, "{} {input}", d.display());
        }
    }
}

#[test]
fn modules_for_each_findings() {
    let d = root().join("fixtures/plan/modules-for-each");
    for input in ["plan.json", "state.json", "terraform.tfstate"] {
        let (_, f) = lint(&d.join(input), &no_source());
        assert_eq!(
            keys(&f),
            vec![
                "SM101 aws_iam_role.exec ".to_string(),
                "SM202 module.studio[\"b\"].aws_sagemaker_domain.this logs".to_string(),
                "SM202 module.studio[\"b\"].aws_sagemaker_domain.this sts".to_string(),
                "SM301 module.studio[\"b\"].aws_sagemaker_domain.this ".to_string(),
            ],
            "{input}"
        );
    }
}

#[test]
fn unknown_policy_document_comes_from_source_or_stays_unknown() {
    let d = root().join("fixtures/plan/unknown-policy-document");
    let (_, with_src) = lint(&d.join("plan.json"), &LoadOptions::default());
    assert_eq!(
        keys(&with_src),
        vec!["SM101 aws_iam_role.exec ", "SM201 aws_sagemaker_domain.d "]
    );
    // Without source the document's JSON is unknown at plan time, but its statements are in
    // the plan: the document is built from them, the one unknown principal left unknown, and
    // what is known (no statement grants sts:SetSourceIdentity) is enough for SM101.
    let (m, without) = lint(&d.join("plan.json"), &no_source());
    assert_eq!(keys(&without), keys(&with_src));
    let role = m.resources.iter().find(|r| r.address == "aws_iam_role.exec").unwrap();
    let policy = role.get("assume_role_policy").unwrap();
    assert!(
        matches!(policy, sagelint::model::Value::Unknown(u) if u.json.is_some()),
        "{policy:?}"
    );
    // State knows the document.
    let (_, st) = lint(&d.join("state.json"), &no_source());
    assert_eq!(keys(&st), keys(&with_src));
}

/// Unknown values link through the configuration to the instance they name.
#[test]
fn unknown_values_carry_references() {
    let d = root().join("fixtures/plan/modules-for-each");
    let (m, _) = lint(&d.join("plan.json"), &no_source());
    let dom = m
        .resources
        .iter()
        .find(|r| r.address == "module.studio[\"b\"].aws_sagemaker_domain.this")
        .unwrap();
    let stack = dom.key.split(':').next().unwrap().to_string();
    let vpc = dom.get("vpc_id").unwrap();
    let refs: Vec<String> = vpc.refs().iter().map(|r| r.address.clone()).collect();
    assert_eq!(
        refs,
        vec![format!("{stack}:module.studio[\"b\"].module.network.aws_vpc.this")]
    );
    let role = dom.get("default_user_settings.execution_role").unwrap();
    assert_eq!(role.refs()[0].address, format!("{stack}:aws_iam_role.exec"));
    assert_eq!(role.refs()[0].attr, "arn");
    // kms_key_id = each.value.kms ? aws_kms_key.studio.arn : null, false for "b": known null.
    assert!(dom.get_set("kms_key_id").is_none());
    let a = m
        .resources
        .iter()
        .find(|r| r.address == "module.studio[\"a\"].aws_sagemaker_domain.this")
        .unwrap();
    assert_eq!(
        a.get("kms_key_id").unwrap().refs()[0].address,
        format!("{stack}:aws_kms_key.studio")
    );
    // Subnets: one reference per element of a splat.
    let subnets = dom.get("subnet_ids").unwrap().as_list().unwrap();
    assert_eq!(subnets.len(), 2);
    let sub = |i: usize| subnets[i].refs().iter().map(|r| r.address.clone()).collect::<Vec<_>>();
    assert_eq!(
        sub(0),
        vec![format!(
            "{stack}:module.studio[\"b\"].module.network.aws_subnet.private[0]"
        )]
    );
    assert_eq!(
        sub(1),
        vec![format!(
            "{stack}:module.studio[\"b\"].module.network.aws_subnet.private[1]"
        )]
    );
}

/// Unset Optional+Computed attributes take the provider default, as in HCL.
#[test]
fn unset_attributes_take_provider_defaults() {
    use sagelint::model::Provenance;
    let case = root().join("fixtures/cases/s07-domain-without-kms");
    let (m, _) = lint(&case.join("plan.json"), &no_source());
    let ep = m
        .resources
        .iter()
        .find(|r| r.rtype == "aws_vpc_endpoint" && r.address.ends_with(".s3"))
        .unwrap();
    assert_eq!(
        ep.get("private_dns_enabled"),
        Some(&sagelint::model::Value::Bool(false))
    );
    assert_eq!(ep.provenance("private_dns_enabled"), Some(Provenance::Default));
}

#[test]
fn locations_point_at_tf_with_source_and_into_json_without() {
    let case = root().join("fixtures/cases/s05-public-internet-explicit");
    let (hm, hcl) = lint(&case, &LoadOptions::default());
    let h = &hcl[0];
    let (pm, plan) = lint(&case.join("plan.json"), &LoadOptions::default());
    let p = &plan[0];
    let hf = hm.sources.get(h.loc.file);
    let pf = pm.sources.get(p.loc.file);
    assert!(pf.path.ends_with("main.tf"), "{:?}", pf.path);
    assert_eq!(hf.line_col(h.loc.span.start), pf.line_col(p.loc.span.start));
    assert_eq!(&pf.text[p.loc.span.clone()], &hf.text[h.loc.span.clone()]);

    // Without source: the span of the attribute inside the plan JSON.
    let (nm, nplan) = lint(&case.join("plan.json"), &no_source());
    let n = &nplan[0];
    let nf = nm.sources.get(n.loc.file);
    assert!(nf.path.ends_with("plan.json"));
    assert_eq!(&nf.text[n.loc.span.clone()], "\"PublicInternetOnly\"");
    // The resource itself spans its object in resource_changes.
    let d = nm
        .resources
        .iter()
        .find(|r| r.address == "aws_sagemaker_domain.this")
        .unwrap();
    let obj = &nf.text[d.loc.span.clone()];
    assert!(obj.starts_with('{') && obj.ends_with('}'));
    assert!(obj.contains("\"address\":\"aws_sagemaker_domain.this\""));
}

fn shape(name: &str) -> PathBuf {
    root().join("fixtures/plan/shapes").join(name)
}

/// Terraform 0.12 documents (format_version 0.1): nested modules, `count`, references
/// without attribute steps.
#[test]
fn format_0_1_nested_modules() {
    let (m, f) = lint(&shape("v0.1-nested-modules.json"), &no_source());
    assert_eq!(
        keys(&f),
        vec![
            "SM202 module.studio.aws_sagemaker_domain.this kms",
            "SM202 module.studio.aws_sagemaker_domain.this sts"
        ]
    );
    // kms_key_id comes from a root variable: unknown, so SM301 stays silent.
    let d = m
        .resources
        .iter()
        .find(|r| r.address == "module.studio.aws_sagemaker_domain.this")
        .unwrap();
    assert!(d.get("kms_key_id").unwrap().is_unknown());
    assert_eq!(d.module, "module.studio");
    let src = m.sources.get(f[0].loc.file);
    assert_eq!(
        src.line_col(f[0].loc.span.start).0,
        187,
        "the line of the domain's resource_changes object"
    );
}

/// `complete: false` with a deferred change whose instance keys are unknown: the endpoints
/// may exist, so no SM202; an unset `app_network_access_type` the provider printed as null
/// takes the default.
#[test]
fn incomplete_plan_with_deferred_changes() {
    use sagelint::model::Provenance;
    let (m, f) = lint(&shape("incomplete-deferred.json"), &no_source());
    assert_eq!(keys(&f), vec!["SM201 aws_sagemaker_domain.public "]);
    assert!(f[0].message.contains("not set; provider default"), "{}", f[0].message);
    let d = m
        .resources
        .iter()
        .find(|r| r.address == "aws_sagemaker_domain.public")
        .unwrap();
    assert_eq!(d.provenance("app_network_access_type"), Some(Provenance::Default));
    let e = m.resources.iter().find(|r| r.rtype == "aws_vpc_endpoint").unwrap();
    assert!(e.instances_unknown);
    assert!(
        m.notices.iter().any(|n| n.contains("complete: false")),
        "{:?}",
        m.notices
    );
}

/// `errored: true`: deleted and deposed objects are not linted; a replaced one is linted as
/// planned; what only `prior_state` holds still exists.
#[test]
fn errored_plan_deletes_and_replacements() {
    let (m, f) = lint(&shape("errored.json"), &no_source());
    assert_eq!(keys(&f), vec!["SM201 aws_sagemaker_domain.legacy "]);
    let addrs: Vec<&str> = m.resources.iter().map(|r| r.address.as_str()).collect();
    assert!(!addrs.contains(&"aws_sagemaker_domain.old"), "{addrs:?}");
    assert_eq!(addrs.iter().filter(|a| **a == "aws_sagemaker_domain.swap").count(), 1);
    let swap = m
        .resources
        .iter()
        .find(|r| r.address == "aws_sagemaker_domain.swap")
        .unwrap();
    assert_eq!(swap.str("app_network_access_type"), Some("VpcOnly"));
    assert!(m.notices.iter().any(|n| n.contains("errored")), "{:?}", m.notices);
}

#[test]
fn bad_documents_are_input_errors_with_positions() {
    let dir = std::env::temp_dir().join(format!("sagelint-plan-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cut = dir.join("cut.json");
    std::fs::write(
        &cut,
        "{\n  \"format_version\": \"1.2\",\n  \"resource_changes\": [\n    {\"address\": \n",
    )
    .unwrap();
    let (m, f) = sagelint::lint(&[cut.display().to_string()], &no_source());
    assert!(f.is_empty());
    assert_eq!(m.errors.len(), 1);
    assert_eq!(m.errors[0].line, 5, "{}", m.errors[0]);

    let wrong = dir.join("wrong.json");
    std::fs::write(
        &wrong,
        "{\"format_version\":\"1.2\",\n\"resource_changes\":[{\"address\":\"a.b\",\"mode\":\"managed\",\"type\":7}]}",
    )
    .unwrap();
    let (m, _) = sagelint::lint(&[wrong.display().to_string()], &no_source());
    assert_eq!(m.errors.len(), 1);
    assert_eq!((m.errors[0].line, m.errors[0].column > 1), (2, true), "{}", m.errors[0]);

    let future = dir.join("future.json");
    std::fs::write(&future, r#"{"format_version":"2.0","planned_values":{}}"#).unwrap();
    let (m, _) = sagelint::lint(&[future.display().to_string()], &no_source());
    assert!(m.errors[0].message.contains("format_version 2.0"), "{}", m.errors[0]);

    // Another input on the same command line is still linted.
    let good = root().join("fixtures/cases/s05-public-internet-explicit/plan.json");
    let (m, f) = sagelint::lint(&[cut.display().to_string(), good.display().to_string()], &no_source());
    assert_eq!(m.errors.len(), 1);
    assert_eq!(keys(&f), vec!["SM201 aws_sagemaker_domain.this "]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn stdin_plan_without_source() {
    use std::io::Write;
    let plan = std::fs::read(root().join("fixtures/cases/s07-domain-without-kms/plan.json")).unwrap();
    let dir = std::env::temp_dir().join(format!("sagelint-plan-stdin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sagelint"))
        .args(["--format", "compact", "-"])
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&plan).unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.starts_with("stdin:1:"), "{stdout}");
    assert!(stdout.contains("SM301"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// SARIF from a plan points at the `.tf` lines when the source is there, and validates.
#[test]
fn sarif_from_plan_points_at_tf_and_validates() {
    let case = root().join("fixtures/cases/s04-five-endpoints-missing");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sagelint"))
        .args(["--format", "sarif"])
        .arg(case.join("plan.json"))
        .arg(root().join("fixtures/plan/modules-for-each/state.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("fixtures/schemas/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}");
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 5 + 4);
    for r in results {
        let pl = &r["locations"][0]["physicalLocation"];
        let uri = pl["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.ends_with(".tf"), "{uri}");
        assert!(pl["region"]["startLine"].as_u64().unwrap() > 1);
    }
}

/// Human output on a minified plan without source (the whole document is one line): no panic,
/// a short window around each finding instead of the line, and the same line:column as compact.
#[test]
fn human_output_on_a_one_line_plan_shows_a_window() {
    let dir = std::env::temp_dir().join(format!("sagelint-plan-human-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Pad the one line so it is far longer than any window, as in a real 100 MB plan.
    let text = std::fs::read_to_string(root().join("fixtures/cases/s04-five-endpoints-missing/plan.json")).unwrap();
    assert_eq!(text.trim_end().lines().count(), 1, "the fixture plan is minified");
    let padded = format!("{{\"padding\":\"{}\",{}", "x".repeat(200_000), &text.trim_start()[1..]);
    let plan = dir.join("plan.json");
    std::fs::write(&plan, &padded).unwrap();
    let run = |format: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sagelint"))
            .args(["--format", format, plan.to_str().unwrap()])
            .current_dir(&dir)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let human = run("human");
    let compact = run("compact");
    let _ = std::fs::remove_dir_all(&dir);
    let n = compact.lines().count();
    assert!(n >= 5, "{compact}");
    assert!(
        human.len() < n * 3000,
        "human output of {} bytes for {n} findings",
        human.len()
    );
    assert!(!human.contains(&"x".repeat(200)), "the padding was printed");
    // Each compact `path:1:COL:` location is the header of a human snippet.
    for line in compact.lines() {
        let loc: Vec<&str> = line.splitn(4, ':').collect();
        let header = format!("[{}:{}:{}]", loc[0], loc[1], loc[2]);
        assert!(human.contains(&header), "{header} not in human output:\n{human}");
    }
}

/// The source of a plan is the root module in its directory (and the modules it calls), not
/// every directory below it: a repository with many stacks is not parsed for one plan.
#[test]
fn plan_source_is_the_root_module_not_the_tree_below_it() {
    let case = root().join("fixtures/cases/s05-public-internet-explicit");
    let dir = std::env::temp_dir().join(format!("sagelint-plan-root-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("other-stack")).unwrap();
    for f in ["main.tf", "plan.json"] {
        std::fs::copy(case.join(f), dir.join(f)).unwrap();
    }
    // Another stack below: broken HCL, which would be reported if it were read.
    std::fs::write(
        dir.join("other-stack/main.tf"),
        "resource \"aws_vpc\" \"x\" {\n  cidr_block = \n",
    )
    .unwrap();
    let (m, f) = sagelint::lint(&[dir.join("plan.json").display().to_string()], &LoadOptions::default());
    let _ = std::fs::remove_dir_all(&dir);
    assert!(m.errors.is_empty(), "{:?}", m.errors);
    assert!(m.notices.is_empty(), "{:?}", m.notices);
    assert_eq!(keys(&f), vec!["SM201 aws_sagemaker_domain.this "]);
    let file = &m.sources.get(f[0].loc.file).path;
    assert!(
        file.ends_with("main.tf") && !file.ends_with("other-stack/main.tf"),
        "{}",
        file.display()
    );
}

/// A plan whose configuration references two roles for one `execution_role` (a conditional on a
/// value known only after apply) names neither: no finding is guessed onto the first. The HCL
/// is silent for the same reason; the state, where the value is known, names role `a`.
#[test]
fn ambiguous_references_are_unknown() {
    let d = root().join("fixtures/ambiguous/either-role");
    let (_, hcl) = lint(&d, &LoadOptions::default());
    assert_eq!(keys(&hcl), Vec::<String>::new());
    for opts in [LoadOptions::default(), no_source()] {
        let (_, plan) = lint(&d.join("plan.json"), &opts);
        assert_eq!(keys(&plan), Vec::<String>::new());
    }
    let (_, state) = lint(&d.join("state.json"), &no_source());
    assert_eq!(keys(&state), vec!["SM102 aws_iam_role.a ", "SM103 aws_iam_role.a "]);
}

/// `--source` that does not exist is an input error; one that holds another configuration is
/// said, not silently ignored.
#[test]
fn wrong_source_directories_are_reported() {
    let plan = root().join("examples/studio-vpc-only/plan.json").display().to_string();
    let (m, f) = sagelint::lint(
        std::slice::from_ref(&plan),
        &LoadOptions {
            source: Some(PathBuf::from("/nonexistent/sagelint-source")),
            ..Default::default()
        },
    );
    assert_eq!(m.errors.len(), 1, "{:?}", m.errors);
    assert!(m.errors[0].message.contains("--source"));
    assert_eq!(f.len(), 3);
    let other = root().join("fixtures/cases/s05-public-internet-explicit");
    let (m, f) = sagelint::lint(
        std::slice::from_ref(&plan),
        &LoadOptions {
            source: Some(other),
            ..Default::default()
        },
    );
    assert!(m.errors.is_empty());
    assert!(
        m.notices.iter().any(|n| n.contains("is it the right directory")),
        "{:?}",
        m.notices
    );
    assert_eq!(f.len(), 3);
}

/// Plans where a value is reached through another resource's attribute (`aws_subnet.a.vpc_id`),
/// `count.index`, or a policy document read at apply give the HCL's findings and severities,
/// with and without the `.tf` source.
#[test]
fn indirect_values_same_findings_with_and_without_source() {
    let sev = |f: &[Finding]| -> Vec<String> {
        let mut v: Vec<String> = f
            .iter()
            .map(|f| {
                format!(
                    "{} {:?} {} {}",
                    f.rule.id,
                    f.severity,
                    f.address,
                    f.discriminator.clone().unwrap_or_default()
                )
            })
            .collect();
        v.sort();
        v
    };
    for name in [
        "policy-document-read-at-apply",
        "endpoint-vpc-through-subnet",
        "domain-vpc-through-subnet",
        "nat-route-count-index",
        "merged-policy-document",
    ] {
        let d = root().join("fixtures/plan").join(name);
        let (_, hcl) = lint(&d, &LoadOptions::default());
        assert!(!hcl.is_empty(), "{name}");
        for input in ["plan.json", "state.json"] {
            for (label, opts) in [("source", LoadOptions::default()), ("no source", no_source())] {
                let (_, f) = lint(&d.join(input), &opts);
                assert_eq!(sev(&f), sev(&hcl), "{name} {input} {label}");
            }
        }
    }
}
