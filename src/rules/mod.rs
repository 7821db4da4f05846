//! The rule registry. Each rule is one file with its metadata declared once as a `static`;
//! its documentation (What it does / Why is this bad? / How to fix / Examples) lives next to it
//! in `rules/<ID>-<name>.md` at the repository root and is compiled in.

use crate::model::{Finding, Model, Severity};

pub mod common;
mod sm101_studio_role_missing_set_source_identity;
mod sm102_execution_role_not_trusted_by_sagemaker;
mod sm103_studio_role_missing_sagemaker_full_access;
mod sm201_domain_not_vpc_only;
mod sm202_vpc_endpoint_missing;
mod sm203_vpc_endpoint_private_dns_disabled;
mod sm301_domain_missing_kms;
mod sm401_studio_efs_nfs_path_broken;

#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub name: &'static str,
    /// The default severity (a rule may report a finding at another level, e.g. SM101).
    pub severity: Severity,
    pub category: &'static str,
    pub summary: &'static str,
    /// SARIF `security-severity` (GitHub: >9 critical, 7–8.9 high, 4–6.9 medium).
    pub security_severity: &'static str,
    pub tags: &'static [&'static str],
    /// Markdown documentation with fenced examples.
    pub doc: &'static str,
}

impl RuleMeta {
    pub fn help_uri(&self) -> String {
        format!(
            "https://github.com/sagelint/sagelint/blob/main/rules/{}-{}.md",
            self.id, self.name
        )
    }
    /// The first paragraph under "## What it does".
    pub fn full_description(&self) -> String {
        doc_section(self.doc, "What it does")
            .unwrap_or(self.summary)
            .split("\n\n")
            .next()
            .unwrap_or(self.summary)
            .replace('\n', " ")
            .trim()
            .to_string()
    }
}

/// Body of a `## Title` section of a rule doc.
pub fn doc_section<'a>(doc: &'a str, title: &str) -> Option<&'a str> {
    let head = format!("## {title}");
    let start = doc.find(&head)? + head.len();
    let rest = &doc[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim())
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, model: &Model, out: &mut Vec<Finding>);
}

/// Every rule, sorted by id.
pub fn all() -> &'static [&'static dyn Rule] {
    &[
        &sm101_studio_role_missing_set_source_identity::Sm101,
        &sm102_execution_role_not_trusted_by_sagemaker::Sm102,
        &sm103_studio_role_missing_sagemaker_full_access::Sm103,
        &sm201_domain_not_vpc_only::Sm201,
        &sm202_vpc_endpoint_missing::Sm202,
        &sm203_vpc_endpoint_private_dns_disabled::Sm203,
        &sm301_domain_missing_kms::Sm301,
        &sm401_studio_efs_nfs_path_broken::Sm401,
    ]
}

pub fn find(id_or_name: &str) -> Option<&'static dyn Rule> {
    all()
        .iter()
        .copied()
        .find(|r| r.meta().id.eq_ignore_ascii_case(id_or_name) || r.meta().name == id_or_name)
}

/// Run every rule over the model; findings sorted by file, position, rule.
pub fn run(model: &Model) -> Vec<Finding> {
    run_counted(model, &[]).0
}

/// [`run`], without the rules in `disabled` (ids or names), and the number of findings that
/// `sagelint:ignore` comments suppressed.
pub fn run_counted(model: &Model, disabled: &[String]) -> (Vec<Finding>, usize) {
    use rayon::prelude::*;
    let off = |r: &&&dyn Rule| {
        let m = r.meta();
        disabled.iter().any(|d| d.eq_ignore_ascii_case(m.id) || d == m.name)
    };
    let mut findings: Vec<Finding> = all()
        .par_iter()
        .filter(|r| !off(r))
        .flat_map_iter(|r| {
            let mut out = Vec::new();
            r.check(model, &mut out);
            out
        })
        .collect();
    findings.sort_by(|a, b| {
        (a.loc.file, a.loc.span.start, a.rule.id, &a.address, &a.discriminator).cmp(&(
            b.loc.file,
            b.loc.span.start,
            b.rule.id,
            &b.address,
            &b.discriminator,
        ))
    });
    // Each configuration (stack) keeps its own findings: `dev/` and `prod/` with the same
    // resource names, or two roots calling one module, are different infrastructure. With more
    // than one root module, a finding names its root (relative to the roots' common directory,
    // so its fingerprint does not depend on where sagelint runs).
    // Directories are resolved once per stack and per file, not per finding.
    let dirs: std::collections::HashMap<usize, std::path::PathBuf> = model
        .roots
        .iter()
        .chain(model.source_roots.iter())
        .map(|(s, p)| (*s, normal(p)))
        .collect();
    let names = root_names(model, &dirs);
    let mut file_dirs: std::collections::HashMap<crate::model::FileId, Option<std::path::PathBuf>> =
        std::collections::HashMap::new();
    for f in &mut findings {
        let stack = crate::model::stack_of(&f.key);
        if let (Some(root), Some(name)) = (dirs.get(&stack), names.get(&stack)) {
            f.root = name.clone();
            // A finding in a file outside the root (a module several roots use): say which.
            let dir = file_dirs
                .entry(f.loc.file)
                .or_insert_with(|| model.sources.get(f.loc.file).path.parent().map(normal));
            if dir.as_ref() != Some(root) {
                f.message.push_str(&format!(" (root module {name})"));
            }
        }
    }
    for f in &mut findings {
        relocate_out_of_downloaded_modules(model, f);
    }
    let before = findings.len();
    findings.retain(|f| !suppressed(model, f));
    let suppressed = before - findings.len();
    // One configuration given twice (its HCL and its plan, or plan and state with the same
    // source) reports each finding once: stacks are grouped by their root directory.
    let group = |stack: usize| -> String {
        match dirs.get(&stack) {
            Some(dir) => dir.to_string_lossy().to_string(),
            None => format!("#{stack}"),
        }
    };
    let mut seen = std::collections::HashSet::new();
    findings.retain(|f| {
        let id = (&f.rule.id, &f.address, &f.attr, &f.discriminator);
        seen.insert((group(crate::model::stack_of(&f.key)), format!("{id:?}")))
    });
    (findings, suppressed)
}

/// An ignore comment: `# sagelint:ignore SM103 <reason>`, `// sagelint:ignore SM101,SM103`, or
/// `# sagelint:ignore` for every rule. IDs and names both count.
fn ignore_comment() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"(?:#|//|/\*)\s*sagelint:ignore(?:\s+((?:[A-Za-z][A-Za-z0-9-]*)(?:\s*,\s*[A-Za-z][A-Za-z0-9-]*)*))?",
        )
        .expect("ignore comment pattern")
    })
}

/// Whether an ignore comment in the `.tf` source covers `f`: on the finding's line or the line
/// above it, or on the resource block's first line or the line above that.
fn suppressed(model: &Model, f: &Finding) -> bool {
    let mut places = vec![(f.loc.file, f.loc.span.start)];
    if let Some(r) = model.resource(&f.key) {
        places.push((r.loc.file, r.loc.span.start));
    }
    places.into_iter().any(|(file, offset)| {
        let src = model.sources.get(file);
        if !src.path.to_string_lossy().ends_with(".tf") {
            return false;
        }
        let (line, _) = src.line_of(offset);
        let starts = src.line_starts();
        (line.saturating_sub(1)..=line).any(|l| {
            let start = starts[l];
            let end = starts.get(l + 1).copied().unwrap_or(src.text.len());
            ignore_comment()
                .captures(&src.text[start..end])
                .is_some_and(|c| match c.get(1) {
                    None => true,
                    Some(ids) => ids
                        .as_str()
                        .split(',')
                        .map(str::trim)
                        .any(|id| id.eq_ignore_ascii_case(f.rule.id) || id == f.rule.name),
                })
        })
    })
}

fn in_downloaded_module(model: &Model, loc: &crate::model::Location) -> bool {
    model
        .sources
        .get(loc.file)
        .path
        .components()
        .any(|c| c.as_os_str() == ".terraform")
}

/// A finding inside a downloaded module (`.terraform/modules/…`, not in the repository, so code
/// scanning cannot show it) points at the innermost `module` block in the user's own code that
/// leads to it; the place inside the module becomes a related location.
fn relocate_out_of_downloaded_modules(model: &Model, f: &mut Finding) {
    if !in_downloaded_module(model, &f.loc) {
        return;
    }
    let (stack, address) = f.key.split_once(':').unwrap_or(("", &f.key));
    let call = crate::model::module_paths(address)
        .into_iter()
        .rev()
        .filter_map(|p| model.module_calls.get(&format!("{stack}:{p}")).map(|l| (p, l)))
        .find(|(_, l)| !in_downloaded_module(model, l));
    if let Some((path, loc)) = call {
        let inner = std::mem::replace(&mut f.loc, loc.clone());
        f.related.insert(
            0,
            (
                inner,
                format!("{} in the source of {path} (downloaded module)", f.address),
            ),
        );
    }
}

/// Names of the HCL root modules when there are several: each one's path below the directory
/// they all share (`dev`, `prod`, `stacks/a`).
fn root_names(
    model: &Model,
    dirs: &std::collections::HashMap<usize, std::path::PathBuf>,
) -> std::collections::HashMap<usize, String> {
    let mut out = std::collections::HashMap::new();
    if model.roots.len() < 2 {
        return out;
    }
    let full: Vec<(usize, std::path::PathBuf)> = model.roots.keys().map(|s| (*s, dirs[s].clone())).collect();
    let mut common = full[0].1.clone();
    while !full.iter().all(|(_, p)| p.starts_with(&common)) {
        if !common.pop() {
            break;
        }
    }
    for (s, p) in full {
        let rel = p.strip_prefix(&common).unwrap_or(&p).to_string_lossy().to_string();
        out.insert(s, if rel.is_empty() { ".".to_string() } else { rel });
    }
    out
}

fn normal(p: &std::path::Path) -> std::path::PathBuf {
    let p = if p.as_os_str().is_empty() {
        std::path::Path::new(".")
    } else {
        p
    };
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}
