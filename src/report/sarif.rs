//! SARIF 2.1.0 for GitHub code scanning.
//!
//! Every result has a physical location (GitHub rejects the whole upload otherwise) whose URI
//! is relative to the repository root (the git top level of the first linted path, else the
//! current directory), a region with UTF-16 columns, the resource address as logical location,
//! and `partialFingerprints` (GitHub's `primaryLocationLineHash` plus our own stable
//! `sagelint/v1`: rule + address + attribute + discriminator).

use super::ReportOptions;
use crate::model::{FileId, Finding, Model, Severity};
use crate::rules::{self, doc_section};
use serde_sarif::sarif;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const INFORMATION_URI: &str = "https://github.com/sagelint/sagelint";

fn level(s: Severity) -> sarif::ResultLevel {
    match s {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Note => sarif::ResultLevel::Note,
    }
}

/// The repository root: git top level of the first path argument, else the current directory.
pub fn repo_root(inputs: &[String]) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    let start = inputs
        .iter()
        .find(|i| i.as_str() != "-")
        .and_then(|i| Path::new(i).canonicalize().ok())
        .unwrap_or_else(|| cwd.clone());
    let mut dir = if start.is_file() {
        start.parent().map(Path::to_path_buf).unwrap_or(start)
    } else {
        start
    };
    loop {
        if dir.join(".git").exists() {
            return dir;
        }
        if !dir.pop() {
            return cwd;
        }
    }
}

/// A file's URI relative to `root`, `/`-separated and percent-encoded.
pub fn relative_uri(path: &Path, root: &Path) -> String {
    let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let rel = abs.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| {
        // Outside the repository: relative to it with `..` segments, when possible.
        let mut up = PathBuf::new();
        let mut base = root.to_path_buf();
        loop {
            if let Ok(r) = abs.strip_prefix(&base) {
                return up.join(r);
            }
            if !base.pop() {
                return abs.clone();
            }
            up.push("..");
        }
    });
    let s: Vec<String> = rel
        .components()
        .map(|c| encode(&c.as_os_str().to_string_lossy()))
        .collect();
    s.join("/")
}

fn encode(seg: &str) -> String {
    let mut out = String::new();
    for b in seg.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~+@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// GitHub's `primaryLocationLineHash` for every line of a text (codeql-action's algorithm:
/// a rolling hash over 100 non-whitespace UTF-16 units starting at each line).
pub fn line_hashes(text: &str) -> Vec<String> {
    line_hashes_upto(text, usize::MAX)
}

/// [`line_hashes`] for lines 1 to at least `upto` (1-based): the text after the window of
/// that line is not read (a finding on line 1 of a 100 MB one-line plan hashes 100 units).
pub fn line_hashes_upto(text: &str, upto: usize) -> Vec<String> {
    const BLOCK: usize = 100;
    const MOD: u64 = 37;
    let first_mod = (0..BLOCK).fold(1u64, |acc, _| acc.wrapping_mul(MOD));
    let mut window = [0u64; BLOCK];
    let mut line_numbers = [-1i64; BLOCK];
    let mut hash: u64 = 0;
    let mut index = 0usize;
    let mut line_number = 0i64;
    let mut line_start = true;
    let mut prev_cr = false;
    let mut counts: HashMap<u64, usize> = HashMap::new();
    let mut out: Vec<(i64, String)> = Vec::new();
    let mut output = |hash: u64, line: i64, out: &mut Vec<(i64, String)>| {
        let c = counts.entry(hash).or_insert(0);
        *c += 1;
        out.push((line, format!("{hash:x}:{c}")));
    };
    let mut process = |cur: u64,
                       window: &mut [u64; BLOCK],
                       line_numbers: &mut [i64; BLOCK],
                       hash: &mut u64,
                       index: &mut usize,
                       out: &mut Vec<(i64, String)>| {
        let mut cur = cur;
        if cur == b' ' as u64 || cur == b'\t' as u64 || (prev_cr && cur == b'\n' as u64) {
            prev_cr = false;
            return;
        }
        if cur == b'\r' as u64 {
            cur = b'\n' as u64;
            prev_cr = true;
        } else {
            prev_cr = false;
        }
        if line_numbers[*index] != -1 {
            output(*hash, line_numbers[*index], out);
            line_numbers[*index] = -1;
        }
        if line_start {
            line_start = false;
            line_number += 1;
            line_numbers[*index] = line_number;
        }
        if cur == b'\n' as u64 {
            line_start = true;
        }
        let begin = window[*index];
        window[*index] = cur;
        *hash = MOD
            .wrapping_mul(*hash)
            .wrapping_add(cur)
            .wrapping_sub(first_mod.wrapping_mul(begin));
        *index = (*index + 1) % BLOCK;
    };
    let mut done = false;
    for u in text.encode_utf16() {
        process(
            u as u64,
            &mut window,
            &mut line_numbers,
            &mut hash,
            &mut index,
            &mut out,
        );
        // Lines are output in order: once line `upto` is out, the rest is not needed.
        if out.last().is_some_and(|(l, _)| *l as usize >= upto) {
            done = true;
            break;
        }
    }
    if done {
        return out.into_iter().map(|(_, h)| h).collect();
    }
    process(65535, &mut window, &mut line_numbers, &mut hash, &mut index, &mut out);
    for _ in 0..BLOCK {
        if line_numbers[index] != -1 {
            let c = counts.entry(hash).or_insert(0);
            *c += 1;
            out.push((line_numbers[index], format!("{hash:x}:{c}")));
            line_numbers[index] = -1;
        }
        let begin = window[index];
        window[index] = 0;
        hash = MOD.wrapping_mul(hash).wrapping_sub(first_mod.wrapping_mul(begin));
        index = (index + 1) % BLOCK;
    }
    out.sort_by_key(|(l, _)| *l);
    out.into_iter().map(|(_, h)| h).collect()
}

/// FNV-1a, for our own fingerprint.
fn fnv(s: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

fn rule_descriptor(r: &'static crate::rules::RuleMeta) -> sarif::ReportingDescriptor {
    let full = r.full_description();
    let help_text = format!(
        "{}\n\nHow to fix: {}\n\nSee {}",
        full,
        doc_section(r.doc, "How to fix").unwrap_or("see the rule documentation"),
        r.help_uri()
    );
    let help_md = format!("{}\n\n[Rule documentation]({})", r.doc.trim(), r.help_uri());
    let mut props = BTreeMap::new();
    props.insert("security-severity".to_string(), serde_json::json!(r.security_severity));
    props.insert("precision".to_string(), serde_json::json!("high"));
    props.insert(
        "problem.severity".to_string(),
        serde_json::json!(match r.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "recommendation",
        }),
    );
    sarif::ReportingDescriptor::builder()
        .id(r.id)
        .name(r.name)
        .short_description(sarif::MultiformatMessageString::builder().text(r.summary).build())
        .full_description(
            sarif::MultiformatMessageString::builder()
                .text(truncate(&full, 1000))
                .build(),
        )
        .help(
            sarif::MultiformatMessageString::builder()
                .text(help_text)
                .markdown(help_md)
                .build(),
        )
        .help_uri(r.help_uri())
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(serde_json::json!(r.severity.as_str()))
                .build(),
        )
        .properties(
            sarif::PropertyBag::builder()
                .tags(r.tags.iter().map(|t| t.to_string()).collect::<Vec<_>>())
                .additional_properties(props)
                .build(),
        )
        .build()
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

struct Files<'m> {
    model: &'m Model,
    root: PathBuf,
    uris: HashMap<FileId, String>,
    hashes: HashMap<FileId, Vec<String>>,
    /// The last line of each file that a finding is on.
    last_line: HashMap<FileId, usize>,
}

impl<'m> Files<'m> {
    fn uri(&mut self, id: FileId) -> String {
        let model = self.model;
        let root = self.root.clone();
        self.uris
            .entry(id)
            .or_insert_with(|| {
                let f = model.sources.get(id);
                if f.path.as_os_str() == "-" {
                    "stdin".to_string()
                } else {
                    relative_uri(&f.path, &root)
                }
            })
            .clone()
    }
    fn line_hash(&mut self, id: FileId, line: usize) -> Option<String> {
        let model = self.model;
        let h = self.hashes.entry(id).or_insert_with(|| {
            line_hashes_upto(
                &model.sources.get(id).text,
                self.last_line.get(&id).copied().unwrap_or(usize::MAX),
            )
        });
        h.get(line.saturating_sub(1)).cloned()
    }
    fn location(&mut self, loc: &crate::model::Location, message: Option<&str>) -> sarif::Location {
        let f = self.model.sources.get(loc.file);
        let (sl, sc) = f.line_col_utf16(loc.span.start);
        let (el, ec) = f.line_col_utf16(loc.span.end.max(loc.span.start));
        let region = sarif::Region::builder()
            .start_line(sl as i64)
            .start_column(sc as i64)
            .end_line(el as i64)
            .end_column(ec.max(if el == sl { sc + 1 } else { 1 }) as i64)
            .build();
        let pl = sarif::PhysicalLocation::builder()
            .artifact_location(sarif::ArtifactLocation::builder().uri(self.uri(loc.file)).build())
            .region(region)
            .build();
        match message {
            Some(m) => sarif::Location::builder()
                .physical_location(pl)
                .message(sarif::Message::builder().text(m).build())
                .build(),
            None => sarif::Location::builder().physical_location(pl).build(),
        }
    }
}

pub fn to_sarif(model: &Model, findings: &[Finding], opts: &ReportOptions) -> sarif::Sarif {
    let all = rules::all();
    let descriptors: Vec<_> = all.iter().map(|r| rule_descriptor(r.meta())).collect();
    let mut files = Files {
        model,
        root: repo_root(&opts.inputs),
        uris: HashMap::new(),
        hashes: HashMap::new(),
        last_line: HashMap::new(),
    };
    for f in findings {
        let line = model.sources.get(f.loc.file).line_col(f.loc.span.start).0;
        let l = files.last_line.entry(f.loc.file).or_insert(0);
        *l = (*l).max(line);
    }
    let mut results = Vec::new();
    for f in findings {
        let idx = all.iter().position(|r| r.meta().id == f.rule.id).unwrap_or(0);
        let loc = files.location(&f.loc, None);
        let line = model.sources.get(f.loc.file).line_col(f.loc.span.start).0;
        let mut fps = BTreeMap::new();
        if let Some(h) = files.line_hash(f.loc.file, line) {
            fps.insert("primaryLocationLineHash".to_string(), h);
        }
        fps.insert("sagelint/v1".to_string(), fnv(&f.fingerprint()));
        let related: Vec<sarif::Location> = f
            .related
            .iter()
            .enumerate()
            .map(|(i, (l, m))| {
                let mut loc = files.location(l, Some(m));
                loc.id = Some(i as i64 + 1);
                loc
            })
            .collect();
        let logical = sarif::LogicalLocation::builder()
            .fully_qualified_name(f.address.clone())
            .kind("resource")
            .build();
        let mut loc = loc;
        loc.logical_locations = Some(vec![logical]);
        let mut props = BTreeMap::new();
        props.insert("address".to_string(), serde_json::json!(f.address));
        if !f.attr.is_empty() {
            props.insert("attribute".to_string(), serde_json::json!(f.attr));
        }
        if let Some(d) = &f.discriminator {
            props.insert("discriminator".to_string(), serde_json::json!(d));
        }
        let mut text = f.message.clone();
        if !text.ends_with('.') {
            text.push('.');
        }
        text.push(' ');
        text.push_str(&f.help);
        let mut b = sarif::Result::builder()
            .rule_id(f.rule.id)
            .rule_index(idx as i64)
            .level(level(f.severity))
            .message(sarif::Message::builder().text(text).build())
            .locations(vec![loc])
            .partial_fingerprints(fps)
            .properties(sarif::PropertyBag::builder().additional_properties(props).build())
            .build();
        if !related.is_empty() {
            b.related_locations = Some(related);
        }
        results.push(b);
    }
    let notifications: Vec<sarif::Notification> = model
        .errors
        .iter()
        .map(|e| {
            sarif::Notification::builder()
                .message(sarif::Message::builder().text(e.to_string()).build())
                .level(serde_json::json!("error"))
                .build()
        })
        .chain(model.notices.iter().map(|n| {
            sarif::Notification::builder()
                .message(sarif::Message::builder().text(n.clone()).build())
                .level(serde_json::json!("note"))
                .build()
        }))
        .collect();
    let invocation = sarif::Invocation::builder()
        .execution_successful(model.errors.is_empty())
        .tool_execution_notifications(notifications)
        .build();
    let driver = sarif::ToolComponent::builder()
        .name("sagelint")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(INFORMATION_URI)
        .rules(descriptors)
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .column_kind(serde_json::json!("utf16CodeUnits"))
        .build();
    sarif::Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build()
}

pub fn write(model: &Model, findings: &[Finding], opts: &ReportOptions, out: &mut Vec<u8>) -> std::io::Result<()> {
    let doc = to_sarif(model, findings, opts);
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.push(b'\n');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_hash_vectors() {
        // Vectors from GitHub codeql-action's fingerprint tests.
        assert_eq!(line_hashes(""), vec!["c129715d7a2bc9a3:1"]);
        // Stopping early gives the same hashes for the lines it covers.
        let text: String = (0..300).map(|i| format!("line {} of text\n", i % 7)).collect();
        let all = line_hashes(&text);
        for upto in [1, 5, 150, 299] {
            let some = line_hashes_upto(&text, upto);
            assert!(some.len() >= upto, "{upto}: {}", some.len());
            assert_eq!(&all[..some.len()], &some[..]);
        }
        let lorem = "Lorem ipsum dolor sit amet.\n".repeat(10);
        let h = line_hashes(&lorem);
        assert_eq!(h[0], "a7f2ff13bc495cf2:1");
        assert_eq!(h[5], "a7f2ff13bc495cf2:6");
        assert_eq!(h[6], "a7f2ff1481e87703:1");
    }

    #[test]
    fn uri_encoding() {
        assert_eq!(encode("a b.tf"), "a%20b.tf");
    }
}
