//! The command line as users run it: formats, exit codes, errors, SARIF validity.

mod common;

use common::{root, run, temp_tree};

fn case(name: &str) -> String {
    root().join("fixtures/cases").join(name).display().to_string()
}

#[test]
fn exit_codes_follow_fail_on() {
    assert_eq!(run(&[&case("s01-vpconly-clean")]).status.code(), Some(0));
    assert_eq!(run(&[&case("s05-public-internet-explicit")]).status.code(), Some(1));
    // s03 has only a warning (SM103).
    let s03 = case("s03-no-full-access");
    assert_eq!(run(&[&s03]).status.code(), Some(1));
    assert_eq!(run(&["--fail-on", "error", &s03]).status.code(), Some(0));
    assert_eq!(
        run(&["--fail-on", "never", &case("s05-public-internet-explicit")])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(run(&["--fail-on", "note", &s03]).status.code(), Some(1));
    assert_eq!(run(&["--format", "bogus", &s03]).status.code(), Some(2));
}

#[test]
fn compact_is_one_line_per_finding() {
    let out = run(&["--format", "compact", &case("s04-five-endpoints-missing")]);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    for l in &lines {
        assert!(
            l.contains(
                "/s04-five-endpoints-missing/main.tf:132:3: error[SM202] VpcOnly domain aws_sagemaker_domain.this"
            ),
            "{l}"
        );
    }
}

#[test]
fn parse_error_is_reported_and_other_files_are_linted() {
    let dir = temp_tree(
        "parse-error",
        &[
            ("broken/main.tf", "resource \"aws_vpc\" \"x\" {\n  cidr_block = \n}\n"),
            ("good/main.tf", "resource \"aws_sagemaker_domain\" \"d\" {\n  domain_name = \"x\"\n  auth_mode = \"IAM\"\n  vpc_id = \"vpc-1\"\n  subnet_ids = [\"subnet-1\"]\n  default_user_settings {\n    execution_role = \"arn:aws:iam::1:role/x\"\n  }\n}\n"),
        ],
    );
    let out = run(&["--format", "compact", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stdout.contains("good/main.tf:1:1: error[SM201]"), "{stdout}");
    assert!(stdout.contains("good/main.tf:1:1: error[SM301]"), "{stdout}");
    assert!(stderr.contains("broken/main.tf:2:16: parse error"), "{stderr}");
    // No panic, and the same in the human format.
    let out = run(&[&dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("broken/main.tf:2:16"));
}

#[test]
fn missing_path_is_an_error() {
    let out = run(&["/nonexistent/sagelint/path"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no such file or directory"));
}

#[test]
fn sarif_validates_against_the_schema_and_github_rules() {
    let out = run(&[
        "--format",
        "sarif",
        &case("s04-five-endpoints-missing"),
        &case("s02-identity-propagation-without-ssi"),
        &case("s07-domain-without-kms"),
    ]);
    assert_eq!(out.status.code(), Some(1));
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

    let run0 = &doc["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 7);
    for r in rules {
        for k in ["id", "name", "helpUri"] {
            assert!(r[k].as_str().is_some_and(|s| !s.is_empty()), "rule {k}: {r}");
        }
        assert!(!r["shortDescription"]["text"].as_str().unwrap().is_empty());
        assert!(r["fullDescription"]["text"].as_str().unwrap().len() <= 1024);
        assert!(!r["help"]["text"].as_str().unwrap().is_empty());
        assert!(!r["help"]["markdown"].as_str().unwrap().is_empty());
        let sev: f64 = r["properties"]["security-severity"].as_str().unwrap().parse().unwrap();
        assert!(sev > 0.0 && sev <= 10.0);
        assert!(r["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "security"));
        assert!(["error", "warning", "note"].contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    assert_eq!(run0["columnKind"], "utf16CodeUnits");
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 5 + 1 + 1);
    for res in results {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"]);
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("fixtures/cases/") && uri.ends_with("/main.tf"),
            "uri relative to the repository root: {uri}"
        );
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
        assert!(!res["message"]["text"].as_str().unwrap().is_empty());
        assert!(res["partialFingerprints"]["primaryLocationLineHash"].as_str().is_some());
        assert!(res["partialFingerprints"]["sagelint/v1"].as_str().is_some());
        assert!(res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap()
            .starts_with("aws_"));
    }
    let sm101 = results.iter().find(|r| r["ruleId"] == "SM101").unwrap();
    assert_eq!(sm101["level"], "error");
    assert_eq!(sm101["locations"][0]["physicalLocation"]["region"]["startLine"], 126);
}

#[test]
fn json_format_is_versioned() {
    let out = run(&["--format", "json", &case("s06-sts-private-dns-off")]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["summary"]["error"], 1);
    let f = &doc["findings"][0];
    assert_eq!(f["rule_id"], "SM203");
    assert_eq!(f["address"], "aws_vpc_endpoint.sts");
    assert_eq!(f["attribute"], "private_dns_enabled");
    assert_eq!(f["fingerprint"], "SM203|aws_vpc_endpoint.sts|private_dns_enabled");
    assert_eq!(f["location"]["line"], 103);
}

#[test]
fn human_output_and_output_file() {
    let out = run(&[&case("s07-domain-without-kms")]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("SM301(domain-missing-kms)"), "{text}");
    assert!(text.contains("main.tf:139:1"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no colour when NO_COLOR is set / not a terminal"
    );
    let dir = temp_tree("out", &[]);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.sarif");
    let out = run(&[
        "-f",
        "sarif",
        "-o",
        &file.display().to_string(),
        &case("s07-domain-without-kms"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    assert_eq!(doc["runs"][0]["results"][0]["ruleId"], "SM301");
}

#[test]
fn subcommands() {
    let out = run(&["rules"]);
    let text = String::from_utf8(out.stdout).unwrap();
    for id in ["SM101", "SM102", "SM103", "SM201", "SM202", "SM203", "SM301"] {
        assert!(text.contains(id), "{text}");
    }
    let out = run(&["explain", "SM201"]);
    assert!(String::from_utf8(out.stdout).unwrap().starts_with("# SM201"));
    assert_eq!(run(&["explain", "SM999"]).status.code(), Some(2));
    // `check` is the explicit form of the default command.
    assert_eq!(
        run(&["check", &case("s05-public-internet-explicit")]).status.code(),
        Some(1)
    );
}

#[test]
fn default_path_is_the_current_directory() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sagelint"))
        .args(["--format", "compact"])
        .current_dir(root().join("fixtures/cases/s07-domain-without-kms"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("main.tf:139:1: error[SM301]"));
}

#[test]
fn files_from_pre_commit_mean_their_directory() {
    let dir = temp_tree(
        "precommit",
        &[
            (
                "main.tf",
                &std::fs::read_to_string(root().join("fixtures/cases/s05-public-internet-explicit/main.tf")).unwrap(),
            ),
            ("terraform.tfvars", "unused = 1\n"),
        ],
    );
    let tf = dir.join("main.tf").display().to_string();
    let vars = dir.join("terraform.tfvars").display().to_string();
    let out = run(&["--format", "compact", &vars, &tf]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "the directory is linted once: {text}");
    assert!(text.contains("error[SM201]"));
}

/// `dev/` and `prod/` with the same resource names are two configurations: each keeps its
/// findings (they were merged by fingerprint), and a finding in a module both call is reported
/// once per root, naming the root.
#[test]
fn several_root_modules_keep_their_own_findings() {
    let domain = r#"resource "aws_sagemaker_domain" "this" {
  domain_name = "d"
  auth_mode   = "IAM"
  vpc_id      = "vpc-0a1b2c3d4e5f67890"
  subnet_ids  = ["subnet-0a1b2c3d4e5f67890"]
  app_network_access_type = "VpcOnly"
  default_user_settings {
    execution_role = "arn:aws:iam::111122223333:role/x"
  }
}
"#;
    let call = "module \"studio\" {\n  source = \"../modules/studio\"\n}\n";
    let dir = temp_tree(
        "roots",
        &[
            ("dev/main.tf", domain),
            ("prod/main.tf", domain),
            ("shared-dev/main.tf", call),
            ("shared-prod/main.tf", call),
            ("modules/studio/main.tf", domain),
        ],
    );
    let out = run(&["--format", "json", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<(String, String, String, String)> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "SM301")
        .map(|f| {
            (
                f["root_module"].as_str().unwrap_or("").to_string(),
                f["address"].as_str().unwrap().to_string(),
                f["location"]["path"]
                    .as_str()
                    .unwrap()
                    .rsplit_once("roots")
                    .map(|x| x.1.to_string())
                    .unwrap_or_default(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(got.len(), 4, "{got:#?}");
    let roots: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(roots, ["dev", "prod", "shared-dev", "shared-prod"]);
    assert!(
        got[0].2.ends_with("dev/main.tf") && got[1].2.ends_with("prod/main.tf"),
        "{got:#?}"
    );
    for g in &got[2..] {
        assert_eq!(g.1, "module.studio.aws_sagemaker_domain.this");
        assert!(g.2.ends_with("modules/studio/main.tf"), "{g:?}");
        assert!(g.3.ends_with(&format!("(root module {})", g.0)), "{g:?}");
    }
    // In a root's own file the message needs no root name.
    assert!(!got[0].3.contains("root module"), "{}", got[0].3);
    let fps: std::collections::BTreeSet<&str> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(
        fps.len(),
        j["findings"].as_array().unwrap().len(),
        "fingerprints are distinct"
    );
}

/// A directory with nothing to lint is an input error (a wrong path must not pass CI); notices
/// (here: a snapshot call that was denied) reach stderr in compact output and SARIF
/// notifications, not only the human report.
#[test]
fn empty_directories_fail_and_notices_are_never_dropped() {
    let dir = temp_tree("empty", &[("README.md", "nothing here\n")]);
    let out = run(&["--format", "compact", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no Terraform files"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let denied = root().join("fixtures/live/efs-denied.json").display().to_string();
    let out = run(&["--format", "compact", &denied]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sagelint: note:") && err.contains("describe-mount-targets"),
        "{err}"
    );
    let out = run(&["--format", "sarif", &denied]);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = j["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(
        notes.iter().any(|n| n["level"] == "note"
            && n["message"]["text"]
                .as_str()
                .unwrap()
                .contains("describe-mount-targets")),
        "{notes:?}"
    );
}

/// One configuration given as HCL, plan and state on one command line reports each finding
/// once, not three times (they share the root module directory).
#[test]
fn hcl_plan_and_state_of_one_configuration_report_once() {
    let ex = root().join("examples/studio-vpc-only");
    let args: Vec<String> = vec![
        "--format".into(),
        "json".into(),
        ex.display().to_string(),
        ex.join("plan.json").display().to_string(),
        ex.join("state.json").display().to_string(),
    ];
    let out = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut ids: Vec<&str> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, ["SM101", "SM202", "SM203"]);
}

/// `# sagelint:ignore ID` on the finding's line, the line above, or above the resource block
/// suppresses it (and says how many were); `--disable` turns rules off; an unknown rule is a
/// usage error.
#[test]
fn ignore_comments_and_disabled_rules() {
    let tf = r#"# sagelint:ignore SM201 the sandbox domain is public on purpose
resource "aws_sagemaker_domain" "d" {
  domain_name = "x"
  auth_mode   = "IAM"
  vpc_id      = "vpc-0a1b2c3d4e5f67890"
  subnet_ids  = ["subnet-0a1b2c3d4e5f67890"]
  default_user_settings {
    execution_role = "arn:aws:iam::1:role/x"
  }
}

resource "aws_sagemaker_domain" "e" {
  domain_name = "y"
  auth_mode   = "IAM"
  vpc_id      = "vpc-0a1b2c3d4e5f67890"
  subnet_ids  = ["subnet-0a1b2c3d4e5f67890"]
  app_network_access_type = "VpcOnly"
  kms_key_id  = "alias/aws/sagemaker" // sagelint:ignore domain-missing-kms
  default_user_settings {
    execution_role = "arn:aws:iam::1:role/x"
  }
}
"#;
    let dir = temp_tree("ignore", &[("main.tf", tf)]);
    let d = dir.display().to_string();
    let ids = |out: &std::process::Output| -> Vec<String> {
        let mut v: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| {
                let rule = l.split('[').nth(1).unwrap_or("").split(']').next().unwrap_or("");
                let res = l
                    .split("aws_sagemaker_domain.")
                    .nth(1)
                    .unwrap_or("")
                    .chars()
                    .next()
                    .unwrap_or(' ');
                format!("{rule} {res}")
            })
            .collect();
        v.sort();
        v
    };
    let out = run(&["--format", "compact", &d]);
    // Left: d's missing key (SM301). Suppressed: d's SM201 (above the block), e's SM301 (same line).
    assert_eq!(ids(&out), vec!["SM301 d"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 finding(s) suppressed"));
    let out = run(&["--format", "compact", "--disable", "SM301", &d]);
    assert_eq!(ids(&out), Vec::<String>::new());
    assert_eq!(out.status.code(), Some(0));
    let out = run(&["--format", "compact", "--disable", "SM999", &d]);
    assert_eq!(out.status.code(), Some(2));
}

/// `--var-file` and `--var` give every root module its values, over the module's defaults;
/// a missing var file is an input error.
#[test]
fn var_files_and_vars() {
    let tf = r#"variable "network" {
  type    = string
  default = "VpcOnly"
}
resource "aws_sagemaker_domain" "d" {
  domain_name             = "x"
  auth_mode               = "IAM"
  vpc_id                  = "vpc-0a1b2c3d4e5f67890"
  subnet_ids              = ["subnet-0a1b2c3d4e5f67890"]
  app_network_access_type = var.network
  kms_key_id              = "arn:aws:kms:us-east-1:1:key/k"
  default_user_settings {
    execution_role = "arn:aws:iam::1:role/x"
  }
}
"#;
    let dir = temp_tree(
        "varfile",
        &[
            ("main.tf", tf),
            ("env/dev.tfvars", "network = \"PublicInternetOnly\"\n"),
        ],
    );
    let d = dir.display().to_string();
    let vf = dir.join("env/dev.tfvars").display().to_string();
    assert_eq!(run(&["-f", "compact", &d]).status.code(), Some(0));
    let out = run(&["-f", "compact", "--var-file", &vf, &d]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("SM201"));
    let out = run(&["-f", "compact", "--var-file", &vf, "--var", "network=VpcOnly", &d]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let missing = dir.join("nope.tfvars").display().to_string();
    assert_eq!(
        run(&["-f", "compact", "--var-file", &missing, &d]).status.code(),
        Some(2)
    );
}
