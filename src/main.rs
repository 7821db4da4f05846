//! The `sagelint` command line.

use clap::{Parser, Subcommand, ValueEnum};
use sagelint::model::Severity;
use sagelint::report::{self, Format, ReportOptions};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "sagelint",
    version,
    about = "Lint SageMaker Studio infrastructure: Terraform HCL, plan/state JSON and live AWS dumps",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Lint paths (the default command; use it when a path collides with a subcommand name).
    Check(CheckArgs),
    /// List the rules.
    Rules,
    /// Print a rule's documentation.
    Explain {
        /// Rule id (SM101) or name.
        rule: String,
    },
    /// Record the live state of an AWS account with the `aws` CLI (read-only calls) into a JSON
    /// bundle that sagelint lints.
    Snapshot(SnapshotArgs),
    /// Print (never run) the AWS CLI commands that remove a deleted domain's home EFS and NFS
    /// security groups, from a snapshot.
    Cleanup {
        /// A bundle written by `sagelint snapshot`.
        snapshot: String,
        /// Only this domain (repeatable; default: every domain in the snapshot).
        #[arg(long = "domain-id", value_name = "ID")]
        domain_ids: Vec<String>,
    },
}

#[derive(clap::Args, Debug, Clone)]
struct SnapshotArgs {
    /// AWS region (default: the CLI's configured region).
    #[arg(long)]
    region: Option<String>,
    /// AWS CLI profile.
    #[arg(long)]
    profile: Option<String>,
    /// Endpoint URL for every call (an emulator).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    /// Only this domain (repeatable; default: every domain in the region).
    #[arg(long = "domain-id", value_name = "ID")]
    domain_ids: Vec<String>,
    /// Where to write the bundle (- for standard output).
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
}

#[derive(clap::Args, Debug, Clone)]
struct CheckArgs {
    /// Directories, .tf files, plan/state/live .json files, or - for JSON on standard input.
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The lowest severity that makes the exit code 1 (findings below it are still reported).
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// Terraform source directory that plan/state input maps back to (default: the plan's
    /// directory, or the current directory for standard input, when it has .tf files).
    #[arg(long, value_name = "DIR")]
    source: Option<PathBuf>,
    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// Variable values for every root module from a .tfvars or .tfvars.json file (repeatable;
    /// taken over the root's own terraform.tfvars and *.auto.tfvars).
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<PathBuf>,
    /// A variable value for every root module (repeatable; after --var-file).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    vars: Vec<String>,
    /// Do not run these rules (ids or names; repeat or separate with commas).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    disable: Vec<String>,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum FormatArg {
    Human,
    Compact,
    Json,
    Sarif,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq)]
enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => check(cli.check),
        Some(Command::Check(a)) => check(a),
        Some(Command::Rules) => {
            let mut out = std::io::stdout().lock();
            for r in sagelint::rules::all() {
                let m = r.meta();
                let _ = writeln!(
                    out,
                    "{:<7} {:<8} {:<45} {}",
                    m.id,
                    m.severity.as_str(),
                    m.name,
                    m.summary
                );
            }
            ExitCode::SUCCESS
        }
        Some(Command::Snapshot(a)) => {
            let opts = sagelint::snapshot::Options {
                region: a.region,
                profile: a.profile,
                endpoint_url: a.endpoint_url,
                domain_ids: a.domain_ids,
                output: a.output,
                aws: None,
            };
            match sagelint::snapshot::run(&opts) {
                Ok(_) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("sagelint: snapshot: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Some(Command::Cleanup { snapshot, domain_ids }) => match sagelint::cleanup::plan(&snapshot, &domain_ids) {
            Ok(p) => {
                print!("{}", p.render());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("sagelint: cleanup: {e}");
                ExitCode::from(2)
            }
        },
        Some(Command::Explain { rule }) => match sagelint::rules::find(&rule) {
            Some(r) => {
                print!("{}", r.meta().doc);
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("sagelint: no rule {rule:?}; `sagelint rules` lists them");
                ExitCode::from(2)
            }
        },
    }
}

fn check(a: CheckArgs) -> ExitCode {
    let paths = if a.paths.is_empty() {
        vec![".".to_string()]
    } else {
        a.paths.clone()
    };
    let opts = sagelint::input::LoadOptions {
        source: a.source.clone(),
        var_files: a.var_files.clone(),
        vars: a.vars.clone(),
    };
    sagelint::timing("start");
    for d in &a.disable {
        if sagelint::rules::find(d).is_none() {
            eprintln!("sagelint: --disable {d}: no such rule (see `sagelint rules`)");
            return ExitCode::from(2);
        }
    }
    let (model, findings) = sagelint::lint_with(&paths, &opts, &a.disable);
    let code = report_and_exit_code(&a, &paths, &model, &findings);
    sagelint::timing("report");
    // The process ends here: freeing a model of a 100 MB plan piece by piece takes longer
    // than the operating system needs to reclaim it.
    std::mem::forget(model);
    std::mem::forget(findings);
    code
}

fn report_and_exit_code(
    a: &CheckArgs,
    paths: &[String],
    model: &sagelint::model::Model,
    findings: &[sagelint::model::Finding],
) -> ExitCode {
    let to_file = a.output.is_some();
    let color = match a.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            use std::io::IsTerminal;
            !to_file && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
        }
    };
    let format = match a.format {
        FormatArg::Human => Format::Human,
        FormatArg::Compact => Format::Compact,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
    };
    let ropts = ReportOptions {
        color,
        inputs: paths.to_vec(),
    };
    let mut buf: Vec<u8> = Vec::new();
    if let Err(e) = report::write(format, model, findings, &ropts, &mut buf) {
        eprintln!("sagelint: cannot render report: {e}");
        return ExitCode::from(2);
    }
    let written = match &a.output {
        Some(p) => std::fs::write(p, &buf).map_err(|e| format!("cannot write {}: {e}", p.display())),
        None => match std::io::stdout().lock().write_all(&buf) {
            // The reader went away (`sagelint … | head`): nothing more to say.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            r => r.map_err(|e| format!("cannot write output: {e}")),
        },
    };
    if let Err(e) = written {
        eprintln!("sagelint: {e}");
        return ExitCode::from(2);
    }
    // Input errors and notices (a call a snapshot could not make, a plan without source) go to
    // stderr in every format but human on the terminal, which shows them itself.
    if !matches!(format, Format::Human) || to_file {
        for e in &model.errors {
            eprintln!("sagelint: error: {e}");
        }
        for n in &model.notices {
            eprintln!("sagelint: note: {n}");
        }
    }
    if !model.errors.is_empty() {
        return ExitCode::from(2);
    }
    let threshold = match a.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    match threshold {
        Some(t) if findings.iter().any(|f| f.severity >= t) => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}
