//! Terraform evaluation as the rules see it: modules, expansion, partial knowledge, files.

mod common;

use common::temp_tree;
use sagelint::input::LoadOptions;
use sagelint::model::Finding;

const TRUST_OK: &str = r#"
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole", "sts:SetSourceIdentity"]
    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
resource "aws_iam_role_policy_attachment" "full" {
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"
}
"#;

fn lint(dir: &std::path::Path) -> (sagelint::model::Model, Vec<Finding>) {
    sagelint::lint(&[dir.display().to_string()], &LoadOptions::default())
}

fn ids(f: &[Finding]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = f.iter().map(|f| (f.rule.id.to_string(), f.address.clone())).collect();
    v.sort();
    v
}

#[test]
fn for_each_and_count_give_one_finding_per_instance() {
    let dir = temp_tree(
        "expand",
        &[(
            "main.tf",
            r#"
variable "teams" {
  default = ["a", "b"]
}
resource "aws_sagemaker_domain" "d" {
  for_each    = toset(var.teams)
  domain_name = each.key
  auth_mode   = "IAM"
  vpc_id      = "vpc-1"
  subnet_ids  = ["subnet-1"]
  app_network_access_type = "VpcOnly"
  kms_key_id  = each.key == "a" ? "arn:aws:kms:us-east-1:1:key/x" : null
  default_user_settings { execution_role = "arn:aws:iam::1:role/x" }
}
resource "aws_sagemaker_domain" "c" {
  count       = 2
  domain_name = "c${count.index}"
  auth_mode   = "IAM"
  vpc_id      = "vpc-1"
  subnet_ids  = ["subnet-1"]
  app_network_access_type = count.index == 0 ? "VpcOnly" : "PublicInternetOnly"
  kms_key_id  = "alias/aws/sagemaker"
  default_user_settings { execution_role = "arn:aws:iam::1:role/x" }
}
"#,
        )],
    );
    let (m, f) = lint(&dir);
    assert!(m.errors.is_empty(), "{:?}", m.errors);
    assert_eq!(
        ids(&f),
        vec![
            ("SM201".into(), "aws_sagemaker_domain.c[1]".into()),
            ("SM301".into(), "aws_sagemaker_domain.c[0]".into()),
            ("SM301".into(), "aws_sagemaker_domain.c[1]".into()),
            ("SM301".into(), "aws_sagemaker_domain.d[\"b\"]".into()),
        ]
    );
}

#[test]
fn local_module_findings_point_into_the_module() {
    let dir = temp_tree(
        "localmod",
        &[
            ("main.tf", "module \"studio\" {\n  source = \"./modules/studio\"\n  network = \"PublicInternetOnly\"\n}\n"),
            (
                "modules/studio/main.tf",
                "variable \"network\" {}\nresource \"aws_sagemaker_domain\" \"d\" {\n  domain_name = \"x\"\n  auth_mode = \"IAM\"\n  vpc_id = \"v\"\n  subnet_ids = [\"s\"]\n  app_network_access_type = var.network\n  kms_key_id = \"arn:aws:kms:us-east-1:1:key/k\"\n  default_user_settings { execution_role = \"arn:aws:iam::1:role/x\" }\n}\n",
            ),
        ],
    );
    let (m, f) = lint(&dir);
    assert_eq!(
        ids(&f),
        vec![("SM201".into(), "module.studio.aws_sagemaker_domain.d".into())]
    );
    let file = m.sources.get(f[0].loc.file);
    assert!(file.display.ends_with("modules/studio/main.tf"), "{}", file.display);
    assert_eq!(file.line_col(f[0].loc.span.start), (7, 3));
    // The module directory is not linted again on its own with unset inputs.
    assert_eq!(f.len(), 1);
}

#[test]
fn downloaded_modules_are_found_through_modules_json() {
    let dir = temp_tree(
        "modjson",
        &[
            ("main.tf", "module \"studio\" {\n  source = \"acme/studio/aws\"\n  version = \"1.0.0\"\n}\n"),
            (
                ".terraform/modules/modules.json",
                r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"studio","Source":"registry.terraform.io/acme/studio/aws","Version":"1.0.0","Dir":".terraform/modules/studio"}]}"#,
            ),
            (
                ".terraform/modules/studio/main.tf",
                "resource \"aws_sagemaker_domain\" \"d\" {\n  domain_name = \"x\"\n  auth_mode = \"IAM\"\n  vpc_id = \"v\"\n  subnet_ids = [\"s\"]\n  kms_key_id = \"arn:aws:kms:us-east-1:1:key/k\"\n  default_user_settings { execution_role = \"arn:aws:iam::1:role/x\" }\n}\n",
            ),
        ],
    );
    let (m, f) = lint(&dir);
    assert_eq!(
        ids(&f),
        vec![("SM201".into(), "module.studio.aws_sagemaker_domain.d".into())]
    );
    assert!(
        f[0].message
            .contains("not set; provider default is \"PublicInternetOnly\""),
        "{}",
        f[0].message
    );
    // The module's source is not in the repository (.terraform/ is ignored): the finding points
    // at the `module "studio"` block, with the place inside the module as related location.
    let file = &m.sources.get(f[0].loc.file).path;
    assert!(
        file.ends_with("main.tf") && !file.to_string_lossy().contains(".terraform"),
        "{}",
        file.display()
    );
    assert_eq!(m.sources.get(f[0].loc.file).line_col(f[0].loc.span.start), (1, 1));
    let (inner, what) = &f[0].related[0];
    assert!(m
        .sources
        .get(inner.file)
        .path
        .ends_with(".terraform/modules/studio/main.tf"));
    assert!(what.contains("downloaded module"), "{what}");
}

#[test]
fn unknown_values_stay_silent() {
    let dir = temp_tree(
        "unknown",
        &[(
            "main.tf",
            r#"
variable "network" {}
variable "kms" {}
variable "n" {}
resource "aws_sagemaker_domain" "d" {
  count       = var.n
  domain_name = "x"
  auth_mode   = "IAM"
  vpc_id      = "v"
  subnet_ids  = ["s"]
  app_network_access_type = var.network
  kms_key_id  = var.kms
  default_user_settings { execution_role = "arn:aws:iam::1:role/x" }
}
"#,
        )],
    );
    let (m, f) = lint(&dir);
    assert!(m.errors.is_empty());
    assert!(f.is_empty(), "{:?}", ids(&f));
}

#[test]
fn tfvars_set_root_variables() {
    let dir = temp_tree(
        "tfvars",
        &[
            ("main.tf", "variable \"network\" {}\nresource \"aws_sagemaker_domain\" \"d\" {\n  domain_name = \"x\"\n  auth_mode = \"IAM\"\n  vpc_id = \"v\"\n  subnet_ids = [\"s\"]\n  app_network_access_type = var.network\n  kms_key_id = \"k\"\n  default_user_settings { execution_role = \"arn:aws:iam::1:role/x\" }\n}\n"),
            ("terraform.tfvars", "network = \"VpcOnly\"\n"),
            ("z.auto.tfvars", "network = \"PublicInternetOnly\"\n"),
        ],
    );
    let (_, f) = lint(&dir);
    // *.auto.tfvars is read after terraform.tfvars and wins.
    assert_eq!(ids(&f), vec![("SM201".into(), "aws_sagemaker_domain.d".into())]);
}

fn studio_with_trust(trust_expr: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let main = format!(
        r#"
resource "aws_iam_role" "r" {{
  name               = "r"
  assume_role_policy = {trust_expr}
}}
resource "aws_iam_role_policy_attachment" "full" {{
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"
}}
resource "aws_sagemaker_domain" "d" {{
  domain_name = "x"
  auth_mode   = "IAM"
  vpc_id      = "v"
  subnet_ids  = ["s"]
  app_network_access_type = "VpcOnly"
  kms_key_id  = "k"
  domain_settings {{ execution_role_identity_config = "USER_PROFILE_NAME" }}
  default_user_settings {{ execution_role = aws_iam_role.r.arn }}
}}
"#
    );
    let mut files = vec![("main.tf", main.as_str())];
    files.extend_from_slice(extra);
    let dir = temp_tree("trust", &files);
    let (m, f) = lint(&dir);
    assert!(m.errors.is_empty(), "{:?}", m.errors);
    ids(&f)
}

#[test]
fn policy_spellings_are_equivalent() {
    let bad = vec![("SM101".to_string(), "aws_iam_role.r".to_string())];
    let heredoc = "<<-EOT\n    {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Principal\": {\"Service\": \"sagemaker.amazonaws.com\"}}]}\n  EOT";
    assert_eq!(studio_with_trust(heredoc, &[]), bad);
    let jsonenc = r#"jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["sts:AssumeRole"], Principal = { Service = "sagemaker.amazonaws.com" } }] })"#;
    assert_eq!(studio_with_trust(jsonenc, &[]), bad);
    let file_bad = r#"{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": ["sagemaker.amazonaws.com"]}}}"#;
    assert_eq!(
        studio_with_trust("file(\"${path.module}/trust.json\")", &[("trust.json", file_bad)]),
        bad
    );
    let file_good =
        r#"{"Statement": {"Effect": "Allow", "Action": "sts:*", "Principal": {"Service": "sagemaker.amazonaws.com"}}}"#;
    assert_eq!(
        studio_with_trust("file(\"trust.json\")", &[("trust.json", file_good)]),
        vec![]
    );
    let tpl = r#"{"Statement": [{"Effect": "Allow", "Action": ${actions}, "Principal": {"Service": "${svc}"}}]}"#;
    assert_eq!(
        studio_with_trust(
            r#"templatefile("trust.tpl", { actions = jsonencode(["sts:AssumeRole", "sts:SetSourceIdentity"]), svc = "sagemaker.amazonaws.com" })"#,
            &[("trust.tpl", tpl)]
        ),
        vec![]
    );
    // A trust policy SageMaker cannot assume at all is SM102's, not SM101's.
    let ec2 = r#"jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })"#;
    assert_eq!(
        studio_with_trust(ec2, &[]),
        vec![("SM102".to_string(), "aws_iam_role.r".to_string())]
    );
    // Unknown principal set: silent for SM102; SM101 still fires because no statement grants it.
    let unknown_principal = r#"jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = var.svc } }] })"#;
    assert_eq!(
        studio_with_trust(unknown_principal, &[("vars.tf", "variable \"svc\" {}\n")]),
        bad
    );
}

#[test]
fn file_outside_the_scanned_tree_is_unknown() {
    let outside = std::env::temp_dir().join(format!("sagelint-outside-{}.json", std::process::id()));
    std::fs::write(&outside, r#"{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}}"#).unwrap();
    let expr = format!("file(\"{}\")", outside.display());
    // Read it and SM102 would fire; outside the tree the policy is unknown: silent.
    assert_eq!(studio_with_trust(&expr, &[]), vec![]);
    let _ = std::fs::remove_file(outside);
}

#[test]
fn dynamic_blocks_and_source_documents() {
    let extra = r#"
variable "trusted" { default = ["sagemaker.amazonaws.com"] }
data "aws_iam_policy_document" "base" {
  statement {
    sid     = "Assume"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}
data "aws_iam_policy_document" "trust" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  dynamic "statement" {
    for_each = toset(var.trusted)
    content {
      sid     = "SSI"
      actions = ["sts:SetSourceIdentity"]
      principals {
        type        = "Service"
        identifiers = [statement.value]
      }
    }
  }
}
"#;
    assert_eq!(
        studio_with_trust("data.aws_iam_policy_document.trust.json", &[("trust.tf", extra)]),
        vec![]
    );
}

#[test]
fn partition_built_arns_count_as_full_access() {
    let dir = temp_tree(
        "partition",
        &[(
            "main.tf",
            &format!(
                "{}\n{}",
                TRUST_OK.replace(
                    "\"arn:aws:iam::aws:policy/AmazonSageMakerFullAccess\"",
                    "data.aws_iam_policy.full.arn"
                ),
                r#"
data "aws_iam_policy" "full" { name = "AmazonSageMakerFullAccess" }
resource "aws_sagemaker_domain" "d" {
  domain_name = "x"
  auth_mode   = "IAM"
  vpc_id      = "v"
  subnet_ids  = ["s"]
  app_network_access_type = "VpcOnly"
  kms_key_id  = "k"
  default_user_settings { execution_role = aws_iam_role.r.arn }
}
"#
            ),
        )],
    );
    let (_, f) = lint(&dir);
    assert_eq!(ids(&f), vec![]);
}

/// Object type constraints: an optional attribute the caller leaves out is null (or its
/// `optional(T, default)` default), known, not unknown, in the variable's default, in `.tfvars`
/// and in a module argument; a null argument overrides a default unless `nullable = false`.
#[test]
fn optional_object_attributes_and_nullable_variables() {
    let module = r#"
variable "settings" {
  type = object({
    role_arn = optional(string)
    network  = optional(string, "PublicInternetOnly")
  })
  default = {}
}
variable "kms" {
  type    = string
  default = "arn:aws:kms:us-east-1:111122223333:key/abcd"
}
variable "strict_kms" {
  type     = string
  default  = "arn:aws:kms:us-east-1:111122223333:key/abcd"
  nullable = false
}
resource "aws_iam_role" "exec" {
  name = "exec"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "sagemaker.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_sagemaker_domain" "d" {
  domain_name             = "d"
  auth_mode               = "IAM"
  vpc_id                  = "vpc-0a1b2c3d4e5f67890"
  subnet_ids              = ["subnet-0a1b2c3d4e5f67890"]
  app_network_access_type = var.settings.network
  kms_key_id              = var.kms
  default_user_settings {
    execution_role = coalesce(var.settings.role_arn, aws_iam_role.exec.arn)
  }
}
resource "aws_sagemaker_domain" "strict" {
  domain_name             = "s"
  auth_mode               = "IAM"
  vpc_id                  = "vpc-0a1b2c3d4e5f67890"
  subnet_ids              = ["subnet-0a1b2c3d4e5f67890"]
  app_network_access_type = "VpcOnly"
  kms_key_id              = var.strict_kms
  default_user_settings {
    execution_role = var.settings.role_arn != null ? var.settings.role_arn : aws_iam_role.exec.arn
  }
}
"#;
    // As a root module with its defaults.
    let dir = temp_tree("optional", &[("main.tf", module)]);
    let (m, f) = lint(&dir);
    assert!(m.errors.is_empty(), "{:?}", m.errors);
    assert_eq!(
        ids(&f),
        vec![
            ("SM101".to_string(), "aws_iam_role.exec".to_string()),
            ("SM103".to_string(), "aws_iam_role.exec".to_string()),
            ("SM201".to_string(), "aws_sagemaker_domain.d".to_string()),
        ]
    );
    // Called with an object that sets one optional attribute, and nulls for both KMS inputs:
    // `kms` becomes null (no key: SM301), `strict_kms` keeps its default.
    let dir = temp_tree(
        "optional-call",
        &[
            ("modules/studio/main.tf", module),
            (
                "root/main.tf",
                r#"module "studio" {
  source     = "../modules/studio"
  settings   = { network = "VpcOnly" }
  kms        = null
  strict_kms = null
}
"#,
            ),
        ],
    );
    let (m, f) = lint(&dir.join("root"));
    assert!(m.errors.is_empty(), "{:?}", m.errors);
    assert_eq!(
        ids(&f),
        vec![
            ("SM101".to_string(), "module.studio.aws_iam_role.exec".to_string()),
            ("SM103".to_string(), "module.studio.aws_iam_role.exec".to_string()),
            ("SM301".to_string(), "module.studio.aws_sagemaker_domain.d".to_string()),
        ]
    );
}

/// `for_each` over a set of partly known strings: with no provider region,
/// `"com.amazonaws.${data.aws_region.current.name}.sts"` is unknown in the middle, but the
/// elements differ in their known suffixes, so the instances are known (and SM202 can see which
/// services have endpoints). Elements that might turn out equal keep the set unknown: silent.
#[test]
fn for_each_over_partly_known_strings() {
    let base = r#"
data "aws_region" "current" {}
resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_sagemaker_domain" "d" {
  domain_name             = "d"
  auth_mode               = "IAM"
  vpc_id                  = aws_vpc.main.id
  subnet_ids              = [aws_subnet.a.id]
  app_network_access_type = "VpcOnly"
  kms_key_id              = "arn:aws:kms:us-east-1:111122223333:key/abcd"
  default_user_settings {
    execution_role = "arn:aws:iam::111122223333:role/x"
  }
}
"#;
    let endpoints = |set: &str| {
        format!(
            r#"{base}
variable "a" {{ type = string }}
variable "b" {{ type = string }}
resource "aws_vpc_endpoint" "ep" {{
  for_each            = toset({set})
  vpc_id              = aws_vpc.main.id
  service_name        = each.key
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}}
"#
        )
    };
    let known = endpoints(
        r#"[
    "com.amazonaws.${data.aws_region.current.name}.sts",
    "com.amazonaws.${data.aws_region.current.name}.sagemaker.api",
  ]"#,
    );
    let dir = temp_tree("partial-set", &[("main.tf", &known)]);
    let (m, f) = lint(&dir);
    assert!(m.errors.is_empty(), "{:?}", m.errors);
    let mut missing: Vec<String> = f
        .iter()
        .filter(|f| f.rule.id == "SM202")
        .filter_map(|f| f.discriminator.clone())
        .collect();
    missing.sort();
    assert_eq!(
        missing,
        ["ecr.api", "ecr.dkr", "kms", "logs", "s3", "sagemaker.runtime"]
    );
    let eps: Vec<&str> = m
        .resources
        .iter()
        .filter(|r| r.rtype == "aws_vpc_endpoint")
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(eps.len(), 2, "{eps:?}");
    assert!(eps.contains(&"aws_vpc_endpoint.ep[\"com.amazonaws.….sts\"]"), "{eps:?}");

    // "${var.a}.sts" and "${var.b}.sts" may be one element: the endpoint set is unknown.
    let vague = endpoints(r#"["${var.a}.sts", "${var.b}.sts"]"#);
    let dir = temp_tree("vague-set", &[("main.tf", &vague)]);
    let (_, f) = lint(&dir);
    assert!(f.iter().all(|f| f.rule.id != "SM202"), "{:?}", ids(&f));
}

/// Files as Windows editors and tools write them: a UTF-8 byte order mark and CRLF line ends
/// (Terraform ignores the mark), and variable values in `terraform.tfvars.json` and
/// `*.auto.tfvars.json`, later files winning.
#[test]
fn byte_order_marks_crlf_and_json_tfvars() {
    let domain = "\u{feff}variable \"network\" {}\r\nvariable \"kms\" {}\r\nresource \"aws_sagemaker_domain\" \"d\" {\r\n  domain_name = \"x\"\r\n  auth_mode = \"IAM\"\r\n  vpc_id = \"vpc-0a1b2c3d4e5f67890\"\r\n  subnet_ids = [\"subnet-0a1b2c3d4e5f67890\"]\r\n  app_network_access_type = var.network\r\n  kms_key_id = var.kms\r\n  default_user_settings {\r\n    execution_role = \"arn:aws:iam::1:role/x\"\r\n  }\r\n}\r\n";
    let dir = temp_tree(
        "bom",
        &[
            ("main.tf", domain),
            (
                "terraform.tfvars.json",
                "\u{feff}{\"network\": \"VpcOnly\", \"kms\": \"arn:aws:kms:us-east-1:1:key/k\"}",
            ),
            ("b.auto.tfvars.json", "{\"network\": \"PublicInternetOnly\"}"),
            ("a.auto.tfvars", "network = \"VpcOnly\"\n"),
        ],
    );
    let (m, f) = lint(&dir);
    assert!(m.errors.is_empty(), "{:?}", m.errors);
    // b.auto.tfvars.json comes last: PublicInternetOnly; the key from terraform.tfvars.json.
    assert_eq!(
        ids(&f),
        vec![("SM201".to_string(), "aws_sagemaker_domain.d".to_string())]
    );
    let src = m.sources.get(f[0].loc.file);
    assert_eq!(
        src.line_col(f[0].loc.span.start),
        (8, 3),
        "{}",
        &src.text[f[0].loc.span.clone()]
    );
}
