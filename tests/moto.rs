//! `sagelint snapshot` against an AWS API emulator: moto's server on 127.0.0.1 and the real `aws`
//! CLI. The test builds a private Studio set-up in the emulator with the CLI, records it with
//! `sagelint snapshot --endpoint-url`, lints the snapshot and checks every finding, and checks that
//! the calls moto cannot answer are recorded as errors instead of stopping the snapshot.
//!
//! The tools come from `bash .ci/install-emulator.sh` (moto_server and aws in a venv), looked up in
//! `$SAGELINT_VENV/bin`, then `<repo>/.venv/bin`, then on `PATH`. Without them the test prints a
//! loud SKIPPED banner and passes, except with `CI` set (`CI=true`): there it fails.
//!
//! What moto does not do, and the test relies on: it has no user-profile or space operations
//! (`list-user-profiles`/`list-spaces` answer HTTP 500), it makes up the domain's home EFS id
//! (`<name>-efs-id`, a file system that does not exist), it creates no NFS security groups, and it
//! has no AWS managed policies (attaching `AmazonSageMakerFullAccess` fails with `NoSuchEntity`;
//! the server is started with `MOTO_IAM_LOAD_MANAGED_POLICIES=false` so that stays so).

use serde_json::{json, Value as J};
use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const REGION: &str = "us-east-1";
/// The account moto answers for.
const ACCOUNT: &str = "123456789012";
const SERVER_START: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------------
// Finding the tools, and deciding whether to run.

#[derive(Clone, Debug, PartialEq)]
struct Tools {
    moto_server: PathBuf,
    aws: PathBuf,
}

/// Where the tools are looked for, in order: `$SAGELINT_VENV/bin`, `<repo>/.venv/bin`, `PATH`.
fn search_dirs(venv: Option<&OsStr>, repo: &Path, path: Option<&OsStr>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(v) = venv.filter(|v| !v.is_empty()) {
        dirs.push(Path::new(v).join("bin"));
    }
    dirs.push(repo.join(".venv").join("bin"));
    if let Some(p) = path {
        dirs.extend(std::env::split_paths(p).filter(|d| !d.as_os_str().is_empty()));
    }
    dirs
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// Each tool from the first directory that has it.
fn find_tools(venv: Option<&OsStr>, repo: &Path, path: Option<&OsStr>) -> Result<Tools, String> {
    let dirs = search_dirs(venv, repo, path);
    let find = |name: &str| dirs.iter().map(|d| d.join(name)).find(|p| is_executable(p));
    match (find("moto_server"), find("aws")) {
        (Some(moto_server), Some(aws)) => Ok(Tools { moto_server, aws }),
        (m, a) => {
            let missing: Vec<&str> = [("moto_server", m.is_none()), ("aws", a.is_none())]
                .iter()
                .filter(|(_, missing)| *missing)
                .map(|(n, _)| *n)
                .collect();
            Err(format!(
                "{} not found in $SAGELINT_VENV/bin, {}, or PATH",
                missing.join(" and "),
                repo.join(".venv/bin").display()
            ))
        }
    }
}

/// Whether the `CI` variable says this is CI (`true`, `1`, …; not empty, `0` or `false`).
fn is_ci(v: Option<&OsStr>) -> bool {
    v.and_then(OsStr::to_str)
        .map(|s| s.trim().to_ascii_lowercase())
        .is_some_and(|s| !s.is_empty() && s != "0" && s != "false")
}

/// `Ok(Some)`: run with these tools; `Ok(None)`: skip; `Err`: fail (CI without the tools).
fn decide(ci: bool, found: Result<Tools, String>) -> Result<Option<Tools>, String> {
    match found {
        Ok(t) => Ok(Some(t)),
        Err(e) if ci => Err(format!(
            "CI is set, so the emulator test must run, but {e}; install them with `bash .ci/install-emulator.sh`"
        )),
        Err(_) => Ok(None),
    }
}

/// Printed on the real standard error, past the test harness's output capture, so that a skip
/// shows in a plain `cargo test`.
fn shout_skipped(why: &str) {
    let bar = "!".repeat(100);
    let _ = writeln!(
        std::io::stderr(),
        "\n{bar}\n!! SKIPPED tests/moto.rs (AWS emulator test): {why}.\n\
         !! Install the emulator with `bash .ci/install-emulator.sh` to run it; with CI=true it fails instead.\n{bar}\n"
    );
}

// ---------------------------------------------------------------------------------------------
// Temporary directory, emulator process and environment.

/// A temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let p = std::env::temp_dir().join(format!("sagelint-{name}-{}-{nanos}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temporary directory");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Remove every `AWS_*` and `MOTO_*` variable the user has, then set a fixed, offline set-up:
/// dummy credentials, no config or credentials file, no proxy for 127.0.0.1, and no retries (the
/// CLI retries HTTP 500 four times with back-off, which moto's unimplemented operations answer).
fn clean_env(cmd: &mut Command, tmp: &Path) {
    for (k, _) in std::env::vars_os() {
        if k.to_str()
            .is_some_and(|k| k.starts_with("AWS_") || k.starts_with("MOTO_"))
        {
            cmd.env_remove(&k);
        }
    }
    cmd.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", REGION)
        .env("AWS_CONFIG_FILE", tmp.join("no-such-aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", tmp.join("no-such-aws-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("AWS_PAGER", "")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost");
}

/// moto's server, killed when dropped (also when an assertion fails).
struct Moto {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Moto {
    fn start(tools: &Tools, tmp: &Path) -> Moto {
        let port = TcpListener::bind(("127.0.0.1", 0))
            .and_then(|l| l.local_addr())
            .expect("find a free port")
            .port();
        let log = tmp.join("moto_server.log");
        let out = std::fs::File::create(&log).expect("create the moto log");
        let err = out.try_clone().expect("moto log");
        let mut cmd = Command::new(&tools.moto_server);
        cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .current_dir(tmp)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        clean_env(&mut cmd, tmp);
        cmd.env("MOTO_IAM_LOAD_MANAGED_POLICIES", "false");
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", tools.moto_server.display()));
        let mut moto = Moto { child, port, log };
        let deadline = Instant::now() + SERVER_START;
        loop {
            if let Ok(Some(status)) = moto.child.try_wait() {
                panic!("moto_server exited ({status}) before answering:\n{}", moto.log_text());
            }
            if moto.answers() {
                return moto;
            }
            if Instant::now() > deadline {
                panic!(
                    "moto_server did not answer on 127.0.0.1:{} within {SERVER_START:?}:\n{}",
                    moto.port,
                    moto.log_text()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// An HTTP response to `GET /moto-api/`.
    fn answers(&self) -> bool {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
        if s.write_all(b"GET /moto-api/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            .is_err()
        {
            return false;
        }
        let mut head = [0u8; 5];
        s.read_exact(&mut head).is_ok() && &head == b"HTTP/"
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The emulator, the tools and a scratch directory for one test.
struct Emu<'a> {
    tools: &'a Tools,
    tmp: &'a Path,
    moto: &'a Moto,
}

impl Emu<'_> {
    fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        clean_env(&mut cmd, self.tmp);
        // `sagelint snapshot` runs `aws` from PATH: the one found for the test comes first.
        let aws_dir = self.tools.aws.parent().expect("aws has a directory").to_path_buf();
        let path = std::env::var_os("PATH").unwrap_or_default();
        let path = std::env::join_paths(std::iter::once(aws_dir).chain(std::env::split_paths(&path))).expect("PATH");
        cmd.env("PATH", path).env("NO_COLOR", "1").current_dir(self.tmp);
        cmd
    }

    fn aws_output(&self, args: &[&str]) -> Output {
        self.command(&self.tools.aws)
            .args(args)
            .args([
                "--endpoint-url",
                &self.moto.url(),
                "--region",
                REGION,
                "--output",
                "json",
            ])
            .stdin(Stdio::null())
            .output()
            .expect("run aws")
    }

    /// Run an `aws` command that must succeed; its JSON output.
    fn aws(&self, args: &[&str]) -> J {
        let o = self.aws_output(args);
        assert!(
            o.status.success(),
            "aws {} failed: {}\nmoto log:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&o.stderr),
            self.moto.log_text()
        );
        let text = String::from_utf8_lossy(&o.stdout);
        if text.trim().is_empty() {
            J::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("aws {}: not JSON ({e}): {text}", args.join(" ")))
        }
    }

    fn sagelint(&self, args: &[&str]) -> Output {
        self.command(Path::new(env!("CARGO_BIN_EXE_sagelint")))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run sagelint")
    }
}

fn str_at<'a>(v: &'a J, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(J::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {v:#}"))
}

fn trust(service: &str) -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": service },
            "Action": "sts:AssumeRole"
        }]
    })
    .to_string()
}

// ---------------------------------------------------------------------------------------------
// The test.

#[test]
fn snapshot_of_moto_account_lints_with_expected_findings() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = find_tools(
        std::env::var_os("SAGELINT_VENV").as_deref(),
        repo,
        std::env::var_os("PATH").as_deref(),
    );
    let why = found.as_ref().err().cloned().unwrap_or_default();
    let tools = match decide(is_ci(std::env::var_os("CI").as_deref()), found) {
        Ok(Some(t)) => t,
        Ok(None) => {
            shout_skipped(&why);
            return;
        }
        Err(e) => panic!("{e}"),
    };

    let started = Instant::now();
    let tmp = TempDir::new("moto");
    let moto = Moto::start(&tools, &tmp.0);
    let emu = Emu {
        tools: &tools,
        tmp: &tmp.0,
        moto: &moto,
    };

    // --- Build the account with the aws CLI.
    let vpc = emu.aws(&["ec2", "create-vpc", "--cidr-block", "10.20.0.0/16"]);
    let vpc = str_at(&vpc, "/Vpc/VpcId").to_string();
    let mut subnets = Vec::new();
    for (cidr, az) in [("10.20.1.0/24", "us-east-1a"), ("10.20.2.0/24", "us-east-1b")] {
        let s = emu.aws(&[
            "ec2",
            "create-subnet",
            "--vpc-id",
            &vpc,
            "--cidr-block",
            cidr,
            "--availability-zone",
            az,
        ]);
        subnets.push(str_at(&s, "/Subnet/SubnetId").to_string());
    }
    let rts = emu.aws(&[
        "ec2",
        "describe-route-tables",
        "--filters",
        &format!("Name=vpc-id,Values={vpc}"),
    ]);
    let main_rt = str_at(&rts, "/RouteTables/0/RouteTableId").to_string();

    // Some of the endpoints Studio needs: sts with private DNS off (SM203), sagemaker.api and
    // logs with it on, s3 as a Gateway endpoint. sagemaker.runtime, ecr.api, ecr.dkr and kms are
    // missing (SM202; no NAT gateway, so errors).
    let endpoint = |service: &str, private_dns: bool| {
        let mut args = vec![
            "ec2",
            "create-vpc-endpoint",
            "--vpc-id",
            &vpc,
            "--vpc-endpoint-type",
            "Interface",
            "--subnet-ids",
        ];
        args.extend(subnets.iter().map(String::as_str));
        let name = format!("com.amazonaws.{REGION}.{service}");
        args.extend([
            "--service-name",
            &name,
            if private_dns {
                "--private-dns-enabled"
            } else {
                "--no-private-dns-enabled"
            },
        ]);
        let e = emu.aws(&args);
        assert_eq!(e.pointer("/VpcEndpoint/PrivateDnsEnabled"), Some(&J::Bool(private_dns)));
        str_at(&e, "/VpcEndpoint/VpcEndpointId").to_string()
    };
    let vpce_sts = endpoint("sts", false);
    endpoint("sagemaker.api", true);
    endpoint("logs", true);
    emu.aws(&[
        "ec2",
        "create-vpc-endpoint",
        "--vpc-id",
        &vpc,
        "--vpc-endpoint-type",
        "Gateway",
        "--service-name",
        &format!("com.amazonaws.{REGION}.s3"),
        "--route-table-ids",
        &main_rt,
    ]);

    // The Studio role trusts SageMaker for sts:AssumeRole only (no sts:SetSourceIdentity: SM101,
    // a note while source identity propagation is off). moto has no AWS managed policies, so
    // AmazonSageMakerFullAccess cannot be attached (SM103).
    let studio_role = emu.aws(&[
        "iam",
        "create-role",
        "--role-name",
        "StudioExecutionRole",
        "--path",
        "/service-role/",
        "--assume-role-policy-document",
        &trust("sagemaker.amazonaws.com"),
    ]);
    let studio_role = str_at(&studio_role, "/Role/Arn").to_string();
    assert_eq!(
        studio_role,
        format!("arn:aws:iam::{ACCOUNT}:role/service-role/StudioExecutionRole")
    );
    let attach = emu.aws_output(&[
        "iam",
        "attach-role-policy",
        "--role-name",
        "StudioExecutionRole",
        "--policy-arn",
        "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess",
    ]);
    assert!(
        !attach.status.success() && String::from_utf8_lossy(&attach.stderr).contains("(NoSuchEntity)"),
        "moto is expected to have no AWS managed policies (MOTO_IAM_LOAD_MANAGED_POLICIES=false): {}",
        String::from_utf8_lossy(&attach.stderr)
    );
    // A role copied from EC2 (SM102), with an inline policy that allows sagemaker:* on * (no
    // SM103 for it).
    let sandbox_role = emu.aws(&[
        "iam",
        "create-role",
        "--role-name",
        "SandboxRole",
        "--assume-role-policy-document",
        &trust("ec2.amazonaws.com"),
    ]);
    let sandbox_role = str_at(&sandbox_role, "/Role/Arn").to_string();
    emu.aws(&[
        "iam",
        "put-role-policy",
        "--role-name",
        "SandboxRole",
        "--policy-name",
        "sagemaker-all",
        "--policy-document",
        &json!({
            "Version": "2012-10-17",
            "Statement": [{ "Effect": "Allow", "Action": "sagemaker:*", "Resource": "*" }]
        })
        .to_string(),
    ]);

    let key = emu.aws(&["kms", "create-key", "--description", "studio home EFS"]);
    let key = str_at(&key, "/KeyMetadata/Arn").to_string();

    // The private domain: VpcOnly, both subnets, the customer managed key (no SM301).
    let domain = |name: &str, role: &str, extra: &[&str]| {
        let mut args = vec![
            "sagemaker",
            "create-domain",
            "--domain-name",
            name,
            "--auth-mode",
            "IAM",
            "--vpc-id",
            &vpc,
            "--subnet-ids",
        ];
        args.extend(subnets.iter().map(String::as_str));
        let settings = json!({ "ExecutionRole": role }).to_string();
        args.extend(["--default-user-settings", &settings]);
        args.extend(extra);
        let d = emu.aws(&args);
        let arn = str_at(&d, "/DomainArn");
        arn.rsplit_once("domain/")
            .map(|(_, id)| id.to_string())
            .unwrap_or_else(|| panic!("domain ARN {arn}"))
    };
    let studio = domain(
        "studio",
        &studio_role,
        &["--app-network-access-type", "VpcOnly", "--kms-key-id", &key],
    );
    // A second domain, left to the defaults: PublicInternetOnly (SM201) and no key (SM301).
    let sandbox = domain("sandbox", &sandbox_role, &[]);
    let build_time = started.elapsed();

    // --- Snapshot.
    let snap_path = tmp.0.join("snap.json");
    let snap_arg = snap_path.to_str().expect("UTF-8 temp path");
    let out = emu.sagelint(&[
        "snapshot",
        "--endpoint-url",
        &moto.url(),
        "--region",
        REGION,
        "-o",
        snap_arg,
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "sagelint snapshot failed ({}):\n{stderr}\nmoto log:\n{}",
        out.status,
        moto.log_text()
    );
    let snap: J = serde_json::from_str(&std::fs::read_to_string(&snap_path).expect("snapshot written"))
        .expect("snapshot is JSON");

    let header = &snap["sagelint_snapshot"];
    assert_eq!(header["version"], 1);
    assert_eq!(header["account"], ACCOUNT);
    assert_eq!(header["region"], REGION);
    assert_eq!(header["endpoint_url"], J::String(moto.url()));
    let calls = snap["calls"].as_array().expect("calls");
    let find = |service: &str, op: &str, param: Option<(&str, &str)>| -> Vec<&J> {
        calls
            .iter()
            .filter(|c| c["service"] == service && c["operation"] == op)
            .filter(|c| param.is_none_or(|(k, v)| c["parameters"][k] == v))
            .collect()
    };
    let ok = |service: &str, op: &str, param: Option<(&str, &str)>| -> &J {
        let found = find(service, op, param);
        assert_eq!(found.len(), 1, "one {service} {op} {param:?} call expected: {found:#?}");
        assert!(
            found[0].get("error").is_none(),
            "{service} {op} {param:?} failed: {:#}",
            found[0]
        );
        &found[0]["response"]
    };
    let failed = |service: &str, op: &str, param: Option<(&str, &str)>| -> (String, String) {
        let found = find(service, op, param);
        assert_eq!(found.len(), 1, "one {service} {op} {param:?} call expected: {found:#?}");
        assert!(
            found[0].get("response").is_none(),
            "{service} {op} {param:?} unexpectedly succeeded"
        );
        (
            str_at(found[0], "/error/code").to_string(),
            str_at(found[0], "/error/message").to_string(),
        )
    };

    assert_eq!(str_at(ok("sts", "get-caller-identity", None), "/Account"), ACCOUNT);
    let listed: Vec<&str> = ok("sagemaker", "list-domains", None)["Domains"]
        .as_array()
        .expect("Domains")
        .iter()
        .map(|d| str_at(d, "/DomainId"))
        .collect();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed.contains(&studio.as_str()) && listed.contains(&sandbox.as_str()));
    let d = ok("sagemaker", "describe-domain", Some(("--domain-id", &studio)));
    assert_eq!(d["AppNetworkAccessType"], "VpcOnly");
    assert_eq!(d["KmsKeyId"], J::String(key.clone()));
    assert_eq!(
        d["DefaultUserSettings"]["ExecutionRole"],
        J::String(studio_role.clone())
    );
    for id in [&studio, &sandbox] {
        let d = ok("sagemaker", "describe-domain", Some(("--domain-id", id)));
        // moto has no user-profile or space operations: HTTP 500, recorded, and the snapshot
        // went on.
        for (op, api) in [
            ("list-user-profiles", "ListUserProfiles"),
            ("list-spaces", "ListSpaces"),
        ] {
            let (code, message) = failed("sagemaker", op, Some(("--domain-id-equals", id)));
            assert_eq!(code, "500", "{op} {id}: {message}");
            assert!(message.contains(api), "{message}");
        }
        // moto makes up the home EFS id; the file system does not exist.
        let fs = str_at(d, "/HomeEfsFileSystemId");
        let (code, message) = failed("efs", "describe-mount-targets", Some(("--file-system-id", fs)));
        assert_eq!(code, "FileSystemNotFound", "{message}");
    }
    assert_eq!(
        ok("efs", "describe-file-systems", None)["FileSystems"],
        json!([]),
        "moto creates no home EFS"
    );
    for op in ["list-notebook-instances", "list-endpoint-configs", "list-models"] {
        ok("sagemaker", op, None);
    }
    let endpoints = ok("ec2", "describe-vpc-endpoints", None)["VpcEndpoints"]
        .as_array()
        .expect("VpcEndpoints")
        .len();
    assert_eq!(endpoints, 4);
    assert_eq!(
        ok("ec2", "describe-subnets", None)["Subnets"].as_array().map(Vec::len),
        Some(2)
    );
    ok("ec2", "describe-route-tables", None);
    ok("ec2", "describe-nat-gateways", None);
    // moto creates no NFS security groups for the domains: only the VPC's default group.
    let groups: Vec<&str> = ok("ec2", "describe-security-groups", None)["SecurityGroups"]
        .as_array()
        .expect("SecurityGroups")
        .iter()
        .map(|g| str_at(g, "/GroupName"))
        .collect();
    assert_eq!(groups, ["default"]);
    let roles: Vec<&str> = ok("iam", "get-account-authorization-details", None)["RoleDetailList"]
        .as_array()
        .expect("RoleDetailList")
        .iter()
        .map(|r| str_at(r, "/RoleName"))
        .collect();
    assert!(
        roles.contains(&"StudioExecutionRole") && roles.contains(&"SandboxRole"),
        "{roles:?}"
    );
    // Only the studio domain uses a key.
    assert_eq!(str_at(ok("kms", "describe-key", None), "/KeyMetadata/Arn"), key);
    ok("kms", "get-key-rotation-status", None);

    let errors = calls.iter().filter(|c| c.get("error").is_some()).count();
    assert_eq!(
        errors, 6,
        "2 domains x (list-user-profiles, list-spaces, describe-mount-targets)"
    );
    assert!(
        stderr.contains(&format!("{} calls recorded, {errors} failed", calls.len())),
        "{stderr}"
    );

    // --- Lint the snapshot.
    let out = emu.sagelint(&[snap_arg, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "findings expected: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: J = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["errors"], json!([]), "no input errors");
    let mut got: Vec<(String, String, String, Option<String>)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                str_at(f, "/rule_id").to_string(),
                str_at(f, "/severity").to_string(),
                str_at(f, "/address").to_string(),
                f["discriminator"].as_str().map(String::from),
            )
        })
        .collect();
    got.sort();
    let studio_addr = format!("aws_sagemaker_domain.{studio}");
    let sandbox_addr = format!("aws_sagemaker_domain.{sandbox}");
    let f = |rule: &str, sev: &str, addr: &str, disc: Option<&str>| {
        (
            rule.to_string(),
            sev.to_string(),
            addr.to_string(),
            disc.map(String::from),
        )
    };
    let mut want = vec![
        f("SM101", "note", "aws_iam_role.StudioExecutionRole", None),
        f("SM102", "error", "aws_iam_role.SandboxRole", None),
        f("SM103", "warning", "aws_iam_role.StudioExecutionRole", None),
        f("SM201", "error", &sandbox_addr, None),
        f("SM203", "error", &format!("aws_vpc_endpoint.{vpce_sts}"), None),
        f("SM301", "error", &sandbox_addr, None),
    ];
    for svc in ["ecr.api", "ecr.dkr", "kms", "sagemaker.runtime"] {
        want.push(f("SM202", "error", &studio_addr, Some(svc)));
    }
    want.sort();
    assert_eq!(got, want, "findings on the moto snapshot");
    // Every finding points into the snapshot.
    for f in report["findings"].as_array().unwrap() {
        let p = str_at(f, "/location/path");
        assert!(p.ends_with("snap.json"), "{p}");
    }
    // The calls moto could not answer are notices, and SM401 stays silent for want of EFS.
    let notices: Vec<&str> = report["notices"]
        .as_array()
        .expect("notices")
        .iter()
        .filter_map(J::as_str)
        .collect();
    for what in [
        "sagemaker list-user-profiles",
        "sagemaker list-spaces",
        "efs describe-mount-targets",
    ] {
        assert!(
            notices.iter().any(|n| n.contains(what)),
            "no notice for {what}: {notices:#?}"
        );
    }

    let _ = writeln!(
        std::io::stderr(),
        "tests/moto.rs: {} and {}; moto on {} (built in {:.1?}, {} snapshot calls, {} failed), {} findings, {:.1?} in all",
        tools.moto_server.display(),
        tools.aws.display(),
        moto.url(),
        build_time,
        calls.len(),
        errors,
        got.len(),
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------------
// The lookup and the skip/fail decision, without the tools.

fn touch_executable(p: &Path) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, "#!/bin/sh\nexit 0\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn tool_lookup_order_is_venv_then_repo_venv_then_path() {
    let tmp = TempDir::new("moto-lookup");
    let (venv, repo, on_path) = (tmp.0.join("venv"), tmp.0.join("repo"), tmp.0.join("path-bin"));
    let path = std::env::join_paths([tmp.0.join("empty"), on_path.clone()]).unwrap();
    let look = || find_tools(Some(venv.as_os_str()), &repo, Some(&path));

    // Nothing anywhere.
    let e = look().unwrap_err();
    assert!(e.contains("moto_server and aws not found"), "{e}");
    // Only on PATH.
    touch_executable(&on_path.join("moto_server"));
    touch_executable(&on_path.join("aws"));
    assert_eq!(
        look(),
        Ok(Tools {
            moto_server: on_path.join("moto_server"),
            aws: on_path.join("aws")
        })
    );
    // <repo>/.venv/bin before PATH, each tool on its own.
    touch_executable(&repo.join(".venv/bin/aws"));
    assert_eq!(look().unwrap().aws, repo.join(".venv/bin/aws"));
    assert_eq!(look().unwrap().moto_server, on_path.join("moto_server"));
    // $SAGELINT_VENV/bin before both.
    touch_executable(&venv.join("bin/aws"));
    touch_executable(&venv.join("bin/moto_server"));
    assert_eq!(
        look(),
        Ok(Tools {
            moto_server: venv.join("bin/moto_server"),
            aws: venv.join("bin/aws")
        })
    );
    // An empty SAGELINT_VENV is no directory.
    assert_eq!(
        find_tools(Some(OsStr::new("")), &repo, Some(&path)).unwrap().aws,
        repo.join(".venv/bin/aws")
    );
    // A file that is not executable is not a tool.
    #[cfg(unix)]
    {
        let plain = tmp.0.join("plain");
        std::fs::create_dir_all(plain.join("bin")).unwrap();
        std::fs::write(plain.join("bin/aws"), "").unwrap();
        std::fs::write(plain.join("bin/moto_server"), "").unwrap();
        let none = OsString::new();
        let e = find_tools(Some(plain.as_os_str()), &tmp.0.join("no-repo"), Some(&none)).unwrap_err();
        assert!(e.contains("moto_server and aws not found"), "{e}");
    }
}

#[test]
fn without_tools_skips_on_a_laptop_and_fails_in_ci() {
    let tmp = TempDir::new("moto-absent");
    let empty = tmp.0.join("empty-venv");
    std::fs::create_dir_all(&empty).unwrap();
    let path = OsString::from(tmp.0.join("bin"));
    let found = || find_tools(Some(empty.as_os_str()), &tmp.0.join("repo"), Some(&path));
    assert!(found().is_err());
    assert_eq!(decide(false, found()), Ok(None));
    let e = decide(true, found()).unwrap_err();
    assert!(e.contains("CI is set") && e.contains("install-emulator.sh"), "{e}");
    let tools = Tools {
        moto_server: "m".into(),
        aws: "a".into(),
    };
    assert_eq!(decide(true, Ok(tools.clone())), Ok(Some(tools.clone())));
    assert_eq!(decide(false, Ok(tools.clone())), Ok(Some(tools)));

    assert!(is_ci(Some(OsStr::new("true"))));
    assert!(is_ci(Some(OsStr::new("1"))));
    assert!(is_ci(Some(OsStr::new("TRUE"))));
    assert!(!is_ci(None));
    assert!(!is_ci(Some(OsStr::new(""))));
    assert!(!is_ci(Some(OsStr::new("false"))));
    assert!(!is_ci(Some(OsStr::new("0"))));
}
