//! Rule docs are tests.
//!
//! Every rule's documentation (`rules/<ID>-<name>.md`, compiled into `RuleMeta::doc`) holds
//! fenced examples whose info string is `<input> <kind>`:
//!
//! - input: `hcl` (Terraform source), `plan-json` (`terraform show -json` of a plan or state),
//!   `live-json` (a live AWS dump);
//! - kind: `bad` (the rule fires at least once), `good` (it does not fire), `unknown` (a value
//!   the rule needs is unknown, and it stays silent).
//!
//! Inside a block, leading directive lines tune the assertion:
//!
//! - `# expect: N`: a `bad` block must produce exactly N findings of the rule;
//! - `# severity: error|warning|note`: every finding of the rule has this severity;
//! - `# expect-error`: the input must produce an input error (otherwise none is allowed).
//!
//! A line `# file: <relative path>` starts another file of the example (a local module, a
//! `policy.json` read with `file()`, a second live document); the text before the first such
//! line is `main.tf` (`plan.json` / `live.json` for JSON inputs). For JSON inputs every `.json`
//! file is linted, and `.tf` files become the `--source` directory.
//!
//! Fenced blocks without a kind are illustrations (e.g. the fix in "How to fix") and are allowed
//! outside `## Examples` only; an unknown input or kind fails the test, nothing is skipped.
//!
//! The meta-tests below keep the registry honest: unique sorted ids, kebab-case names, metadata
//! in shape, a doc with the five sections and all three kinds of example for every rule, and no
//! doc without a rule.

mod common;

use sagelint::input::LoadOptions;
use sagelint::model::{Finding, Model, Severity};
use sagelint::rules::{self, RuleMeta};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

const SECTIONS: &[&str] = &[
    "What it does",
    "Why is this bad?",
    "How to fix",
    "Examples",
    "References",
];

// ---- extracting examples ----------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Input {
    Hcl,
    PlanJson,
    LiveJson,
}

impl Input {
    fn parse(s: &str) -> Option<Input> {
        match s {
            "hcl" => Some(Input::Hcl),
            "plan-json" => Some(Input::PlanJson),
            "live-json" => Some(Input::LiveJson),
            _ => None,
        }
    }
    fn main_file(self) -> &'static str {
        match self {
            Input::Hcl => "main.tf",
            Input::PlanJson => "plan.json",
            Input::LiveJson => "live.json",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Bad,
    Good,
    Unknown,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        match s {
            "bad" => Some(Kind::Bad),
            "good" => Some(Kind::Good),
            "unknown" => Some(Kind::Unknown),
            _ => None,
        }
    }
}

#[derive(Debug)]
struct Example {
    /// 1-based position among the doc's examples.
    index: usize,
    /// 1-based line of the opening fence in the doc.
    line: usize,
    info: String,
    input: Input,
    kind: Kind,
    expect: Option<usize>,
    severity: Option<Severity>,
    expect_error: bool,
    /// (relative path, contents); the first is the main file.
    files: Vec<(String, String)>,
}

/// Every fenced block of a doc: its info string, the `## ` section it is in, its opening
/// line, and its body.
fn fenced_blocks(doc: &str) -> Result<Vec<(String, String, usize, String)>, String> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut open: Option<(String, String, usize, String)> = None;
    for (i, line) in doc.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some((fence, info, start, body)) = open.as_mut() {
            if trimmed.trim_end() == fence.as_str() {
                out.push((info.clone(), section.clone(), *start, std::mem::take(body)));
                open = None;
            } else {
                body.push_str(line);
                body.push('\n');
            }
            continue;
        }
        if let Some(title) = line.strip_prefix("## ") {
            section = title.trim().to_string();
        }
        for fence_char in ['`', '~'] {
            let n = trimmed.chars().take_while(|c| *c == fence_char).count();
            if n >= 3 {
                let fence: String = std::iter::repeat_n(fence_char, n).collect();
                let info = trimmed[n..].trim().to_string();
                open = Some((fence, info, i + 1, String::new()));
                break;
            }
        }
    }
    if let Some((_, info, start, _)) = open {
        return Err(format!("line {start}: fenced block `{info}` is never closed"));
    }
    Ok(out)
}

/// The examples of a doc. Errors name the doc line of the offending block.
fn examples(doc: &str) -> Result<Vec<Example>, Vec<String>> {
    let blocks = fenced_blocks(doc).map_err(|e| vec![e])?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (info, section, line, body) in blocks {
        let words: Vec<&str> = info.split_whitespace().collect();
        if words.len() < 2 {
            let first = words.first().copied().unwrap_or("");
            if Kind::parse(first).is_some() || first.ends_with("-json") {
                errors.push(format!(
                    "line {line}: unsupported example tag `{info}` (expected `hcl|plan-json|live-json bad|good|unknown`)"
                ));
            } else if section == "Examples" {
                errors.push(format!(
                    "line {line}: block `{info}` in ## Examples has no kind (bad, good or unknown)"
                ));
            }
            // Otherwise an illustration (`hcl`, `sh`, no info string) outside the examples.
            continue;
        }
        let input = words.first().and_then(|w| Input::parse(w));
        let kind = Kind::parse(words[1]);
        let (Some(input), Some(kind)) = (input, kind) else {
            errors.push(format!(
                "line {line}: unsupported example tag `{info}` (expected `hcl|plan-json|live-json bad|good|unknown`)"
            ));
            continue;
        };
        if words.len() > 2 {
            errors.push(format!("line {line}: unsupported extra words in `{info}`"));
            continue;
        }
        match parse_body(input, kind, &body) {
            Ok((expect, severity, expect_error, files)) => out.push(Example {
                index: out.len() + 1,
                line,
                info: info.clone(),
                input,
                kind,
                expect,
                severity,
                expect_error,
                files,
            }),
            Err(e) => errors.push(format!("line {line}: `{info}`: {e}")),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

type Body = (Option<usize>, Option<Severity>, bool, Vec<(String, String)>);

fn parse_body(input: Input, kind: Kind, body: &str) -> Result<Body, String> {
    let mut expect = None;
    let mut severity = None;
    let mut expect_error = false;
    let mut lines = body.lines().peekable();
    // Leading directives.
    while let Some(l) = lines.peek() {
        let t = l.trim();
        if let Some(n) = t.strip_prefix("# expect:") {
            let n: usize = n.trim().parse().map_err(|_| format!("bad directive `{t}`"))?;
            if kind != Kind::Bad {
                return Err(format!("`{t}` is only for bad examples"));
            }
            if n == 0 {
                return Err("`# expect: 0` is a good or unknown example".into());
            }
            expect = Some(n);
        } else if t == "# expect-error" {
            expect_error = true;
        } else if let Some(s) = t.strip_prefix("# severity:") {
            severity = Some(match s.trim() {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                "note" => Severity::Note,
                other => return Err(format!("unknown severity `{other}`")),
            });
            if kind != Kind::Bad {
                return Err(format!("`{t}` is only for bad examples"));
            }
        } else if t.starts_with("# expect") || t.starts_with("# severity") {
            return Err(format!("unknown directive `{t}`"));
        } else {
            break;
        }
        lines.next();
    }
    let mut files: Vec<(String, String)> = vec![(input.main_file().to_string(), String::new())];
    for l in lines {
        if let Some(p) = l.trim().strip_prefix("# file:") {
            let p = p.trim();
            let path = Path::new(p);
            if p.is_empty()
                || path.is_absolute()
                || path.components().any(|c| !matches!(c, std::path::Component::Normal(_)))
            {
                return Err(format!("bad file path `{p}` (relative, no `..`)"));
            }
            if files.iter().any(|(f, _)| f == p) {
                return Err(format!("file `{p}` given twice"));
            }
            files.push((p.to_string(), String::new()));
            continue;
        }
        let cur = &mut files.last_mut().expect("main file").1;
        cur.push_str(l);
        cur.push('\n');
    }
    // A block that starts with `# file:` names its first file itself.
    if files[0].1.trim().is_empty() && files.len() > 1 {
        files.remove(0);
    }
    if files.iter().all(|(_, t)| t.trim().is_empty()) {
        return Err("empty example".into());
    }
    Ok((expect, severity, expect_error, files))
}

// ---- running examples -------------------------------------------------------------------

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh, empty directory under the system temp dir, removed on drop unless kept.
struct TempDir {
    path: PathBuf,
    keep: bool,
}

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("sagelint-rule-docs-{}-{tag}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir { path, keep: false }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

fn lint_example(ex: &Example, dir: &Path) -> (Model, Vec<Finding>) {
    for (rel, text) in &ex.files {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create example dir");
        }
        std::fs::write(&p, text).expect("write example file");
    }
    let mut opts = LoadOptions::default();
    let inputs: Vec<String> = match ex.input {
        Input::Hcl => vec![dir.display().to_string()],
        Input::PlanJson | Input::LiveJson => {
            if ex.files.iter().any(|(f, _)| f.ends_with(".tf")) {
                opts.source = Some(dir.to_path_buf());
            }
            ex.files
                .iter()
                .filter(|(f, _)| f.ends_with(".json"))
                .map(|(f, _)| dir.join(f).display().to_string())
                .collect()
        }
    };
    sagelint::lint(&inputs, &opts)
}

fn describe(model: &Model, f: &Finding) -> String {
    let src = model.sources.get(f.loc.file);
    let (line, col) = src.line_col(f.loc.span.start);
    format!(
        "    {}[{}] {} at {}:{line}:{col}: {}",
        f.severity.as_str(),
        f.rule.id,
        f.address,
        src.display,
        f.message
    )
}

/// Check one example; `Err` explains the failure.
fn check_example(meta: &RuleMeta, ex: &Example) -> Result<(), String> {
    let mut dir = TempDir::new(meta.id);
    let (model, findings) = lint_example(ex, &dir.path);
    let mine: Vec<&Finding> = findings.iter().filter(|f| f.rule.id == meta.id).collect();
    let mut problems = Vec::new();
    match ex.kind {
        Kind::Bad => match ex.expect {
            Some(n) if mine.len() != n => problems.push(format!("expected exactly {n} finding(s), got {}", mine.len())),
            None if mine.is_empty() => problems.push("expected the rule to fire".into()),
            _ => {}
        },
        Kind::Good | Kind::Unknown => {
            if !mine.is_empty() {
                problems.push(format!("expected no finding, got {}", mine.len()));
            }
        }
    }
    if let Some(sev) = ex.severity {
        if let Some(f) = mine.iter().find(|f| f.severity != sev) {
            problems.push(format!(
                "expected severity {}, got {} for {}",
                sev.as_str(),
                f.severity.as_str(),
                f.address
            ));
        }
    }
    if ex.expect_error && model.errors.is_empty() {
        problems.push("expected an input error, got none".into());
    }
    if !ex.expect_error && !model.errors.is_empty() {
        problems.push("unexpected input error(s)".into());
    }
    if problems.is_empty() {
        return Ok(());
    }
    dir.keep = true;
    let mut msg = format!(
        "{} example #{} (`{}`, doc line {}), files kept in {}:\n  {}\n",
        meta.id,
        ex.index,
        ex.info,
        ex.line,
        dir.path.display(),
        problems.join("\n  ")
    );
    msg.push_str("  findings:\n");
    if findings.is_empty() {
        msg.push_str("    (none)\n");
    }
    for f in &findings {
        msg.push_str(&describe(&model, f));
        msg.push('\n');
    }
    if !model.errors.is_empty() {
        msg.push_str("  input errors:\n");
        for e in &model.errors {
            msg.push_str(&format!("    {e}\n"));
        }
    }
    Err(msg)
}

#[test]
fn rule_doc_examples() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for rule in rules::all() {
        let meta = rule.meta();
        let exs = match examples(meta.doc) {
            Ok(e) => e,
            Err(errs) => {
                failures.push(format!("{}: {}", meta.id, errs.join("\n  ")));
                continue;
            }
        };
        for ex in &exs {
            ran += 1;
            if let Err(e) = check_example(meta, ex) {
                failures.push(e);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} rule doc example(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(ran > 0, "no rule doc example ran");
}

// ---- plan and state twins of the HCL examples ---------------------------------------------
//
// Every HCL example that Terraform can plan has `plan.json` and `state.json` twins made by real
// Terraform (`scripts/doc-twins.sh`, which runs `../shared/tools/tfmock/tfplan`) under
// `fixtures/doc-twins/<ID>-<hash of the example's files>/`; one it cannot plan (unset variables,
// a registry module, a deliberate parse error) has a file `unplannable` saying why. From the twins
// sagelint must give the same (rule, address, discriminator) findings, for every rule, as from the HCL.

fn twins_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/doc-twins")
}

/// A stable name for an example's files (FNV-1a, 64 bits).
fn example_key(meta: &RuleMeta, ex: &Example) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (path, text) in &ex.files {
        for b in path.bytes().chain([0]).chain(text.bytes()).chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{}-{h:016x}", meta.id)
}

use common::finding_keys;

/// The HCL examples with their twin keys.
fn hcl_examples() -> Vec<(&'static RuleMeta, Example, String)> {
    let mut out = Vec::new();
    for rule in rules::all() {
        let meta = rule.meta();
        for ex in examples(meta.doc).unwrap_or_default() {
            if ex.input == Input::Hcl {
                let key = example_key(meta, &ex);
                out.push((meta, ex, key));
            }
        }
    }
    out
}

/// `SAGELINT_DUMP_EXAMPLES=DIR cargo test --test rule_docs dump_hcl_examples -- --ignored`
/// writes every HCL example to `DIR/<key>/` for `scripts/doc-twins.sh`. A tool, not a test:
/// ignored in normal runs.
#[test]
#[ignore = "writes the rule docs' HCL examples for scripts/doc-twins.sh"]
fn dump_hcl_examples() {
    let dir = std::env::var_os("SAGELINT_DUMP_EXAMPLES").expect("SAGELINT_DUMP_EXAMPLES=DIR");
    for (_, ex, key) in hcl_examples() {
        let d = Path::new(&dir).join(&key);
        for (rel, text) in &ex.files {
            let p = d.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
        }
    }
}

#[test]
fn hcl_examples_same_findings_from_plan_and_state_twins() {
    let mut failures = Vec::new();
    let mut compared = 0;
    let mut keys = BTreeSet::new();
    for (meta, ex, key) in hcl_examples() {
        keys.insert(key.clone());
        let twins = twins_dir().join(&key);
        if twins.join("unplannable").exists() {
            continue;
        }
        if !twins.join("plan.json").exists() || !twins.join("state.json").exists() {
            failures.push(format!(
                "{} example #{} (doc line {}): no twins in fixtures/doc-twins/{key}; run scripts/doc-twins.sh",
                meta.id, ex.index, ex.line
            ));
            continue;
        }
        let dir = TempDir::new(meta.id);
        let (_, hcl) = lint_example(&ex, &dir.path);
        let want = finding_keys(&hcl);
        for input in ["plan.json", "state.json"] {
            for source in [Some(dir.path.clone()), None] {
                // Without source: the twins' directory holds no .tf files.
                let opts = LoadOptions {
                    source: source.clone(),
                    ..Default::default()
                };
                let (model, got) = sagelint::lint(&[twins.join(input).display().to_string()], &opts);
                compared += 1;
                let got = finding_keys(&got);
                if !model.errors.is_empty() {
                    failures.push(format!(
                        "{} example #{} {input}: input errors {:?}",
                        meta.id, ex.index, model.errors
                    ));
                } else if got != want {
                    failures.push(format!(
                        "{} example #{} (doc line {}) {input} ({}): {got:?} != hcl {want:?}",
                        meta.id,
                        ex.index,
                        ex.line,
                        if source.is_some() {
                            "with source"
                        } else {
                            "without source"
                        }
                    ));
                }
            }
        }
    }
    // No twins of examples that no longer exist.
    if let Ok(rd) = std::fs::read_dir(twins_dir()) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if e.path().is_dir() && !keys.contains(&name) {
                failures.push(format!(
                    "fixtures/doc-twins/{name}: no HCL example has these files any more; remove it"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(compared >= 40, "only {compared} twin comparisons ran");
}

// ---- meta-tests ---------------------------------------------------------------------------

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")
}

fn doc_file_name(meta: &RuleMeta) -> String {
    format!("{}-{}.md", meta.id, meta.name)
}

#[test]
fn registry_ids_are_unique_and_sorted() {
    let id_re = regex::Regex::new(r"^SM[0-9]{3}$").unwrap();
    let ids: Vec<&str> = rules::all().iter().map(|r| r.meta().id).collect();
    assert!(!ids.is_empty(), "no rule registered");
    for id in &ids {
        assert!(id_re.is_match(id), "rule id {id:?} is not of the form SM000");
    }
    for w in ids.windows(2) {
        assert!(
            w[0] < w[1],
            "rules::all() must be sorted by id without duplicates: {} then {}",
            w[0],
            w[1]
        );
    }
}

#[test]
fn rule_names_are_kebab_case_and_unique() {
    let kebab = regex::Regex::new(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$").unwrap();
    let mut seen = BTreeSet::new();
    for rule in rules::all() {
        let m = rule.meta();
        assert!(kebab.is_match(m.name), "{}: name {:?} is not kebab-case", m.id, m.name);
        assert!(seen.insert(m.name), "{}: name {:?} is used twice", m.id, m.name);
        // Both spellings find the rule (`sagelint explain SM101`, `explain <name>`).
        assert_eq!(rules::find(m.id).map(|r| r.meta().id), Some(m.id));
        assert_eq!(rules::find(&m.id.to_lowercase()).map(|r| r.meta().id), Some(m.id));
        assert_eq!(rules::find(m.name).map(|r| r.meta().id), Some(m.id));
    }
}

#[test]
fn rule_metadata_is_well_formed() {
    let tag = regex::Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)*$").unwrap();
    for rule in rules::all() {
        let m = rule.meta();
        let s = m.summary;
        assert!(!s.trim().is_empty(), "{}: empty summary", m.id);
        assert_eq!(s, s.trim(), "{}: summary has surrounding whitespace", m.id);
        assert!(!s.contains('\n'), "{}: summary spans lines", m.id);
        assert!(s.len() <= 120, "{}: summary longer than 120 bytes", m.id);
        assert!(!s.ends_with('.'), "{}: summary ends with a period", m.id);
        assert!(
            s.starts_with(|c: char| c.is_ascii_uppercase()),
            "{}: summary {s:?} should start with a capital letter (sentence case)",
            m.id
        );
        assert_ne!(
            s.to_lowercase().replace(' ', "-"),
            m.name,
            "{}: summary only repeats the name",
            m.id
        );
        let sev: f64 = m
            .security_severity
            .parse()
            .unwrap_or_else(|_| panic!("{}: security_severity {:?} is not a number", m.id, m.security_severity));
        assert!((0.0..=10.0).contains(&sev), "{}: security_severity out of 0..=10", m.id);
        assert!(tag.is_match(m.category), "{}: category {:?}", m.id, m.category);
        assert!(m.tags.contains(&"security"), "{}: tags lack \"security\"", m.id);
        for t in m.tags {
            assert!(tag.is_match(t), "{}: tag {t:?} is not lowercase kebab-case", m.id);
        }
        assert!(
            m.help_uri().ends_with(&format!("/rules/{}", doc_file_name(m))),
            "{}: help_uri {} does not point at its doc",
            m.id,
            m.help_uri()
        );
    }
}

#[test]
fn every_rule_has_a_complete_doc() {
    for rule in rules::all() {
        let m = rule.meta();
        let doc = m.doc;
        // `include_str!` names the file by hand: it must be this rule's file.
        let path = docs_dir().join(doc_file_name(m));
        let on_disk =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: cannot read {}: {e}", m.id, path.display()));
        assert_eq!(on_disk, doc, "{}: meta.doc is not {}", m.id, path.display());

        let title = format!("# {}: {}", m.id, m.name);
        assert_eq!(
            doc.lines().next(),
            Some(title.as_str()),
            "{}: first line must be `{title}`",
            m.id
        );

        // Exactly the five sections, in order (headings inside fences do not count).
        let mut headings = Vec::new();
        let mut in_fence = false;
        for line in doc.lines() {
            let t = line.trim_start();
            if t.starts_with("```") || t.starts_with("~~~") {
                in_fence = !in_fence;
            } else if !in_fence {
                if let Some(h) = line.strip_prefix("## ") {
                    headings.push(h.trim());
                }
            }
        }
        assert_eq!(headings, SECTIONS, "{}: sections must be exactly {SECTIONS:?}", m.id);
        for s in SECTIONS {
            let body = rules::doc_section(doc, s).unwrap_or_default();
            assert!(!body.is_empty(), "{}: section {s:?} is empty", m.id);
            assert!(!body.contains("TODO"), "{}: section {s:?} has a TODO", m.id);
        }

        // The first paragraph of "What it does" is the SARIF fullDescription.
        let full = m.full_description();
        let first_para = rules::doc_section(doc, "What it does")
            .unwrap()
            .split("\n\n")
            .next()
            .unwrap();
        assert_eq!(full, first_para.replace('\n', " ").trim(), "{}", m.id);
        assert!(full.len() < 1000, "{}: fullDescription has {} chars", m.id, full.len());
        assert!(full.ends_with('.'), "{}: fullDescription should be sentences", m.id);
        assert!(
            !full.contains("```"),
            "{}: fullDescription must be prose, not code",
            m.id
        );

        let refs = rules::doc_section(doc, "References").unwrap();
        assert!(refs.contains("https://"), "{}: References has no link", m.id);
        let how = rules::doc_section(doc, "How to fix").unwrap();
        assert!(how.contains("```"), "{}: How to fix shows no code", m.id);

        let exs = examples(doc).unwrap_or_else(|e| panic!("{}: {}", m.id, e.join("; ")));
        for k in [Kind::Bad, Kind::Good, Kind::Unknown] {
            assert!(exs.iter().any(|e| e.kind == k), "{}: no {k:?} example", m.id);
        }
        let in_examples = fenced_blocks(doc)
            .unwrap()
            .into_iter()
            .filter(|(info, section, _, _)| section != "Examples" && info.split_whitespace().nth(1).is_some())
            .count();
        assert_eq!(in_examples, 0, "{}: tagged examples belong under ## Examples", m.id);
    }
}

#[test]
fn no_orphan_docs() {
    let registered: BTreeSet<String> = rules::all().iter().map(|r| doc_file_name(r.meta())).collect();
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(docs_dir()).expect("read rules/") {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !registered.contains(&name) {
            orphans.push(name);
        }
    }
    assert!(
        orphans.is_empty(),
        "files in rules/ that belong to no registered rule (expected <ID>-<name>.md): {orphans:?}"
    );
}

// ---- the extractor itself ---------------------------------------------------------------

#[test]
fn extractor_reads_tags_directives_and_files() {
    let doc = "# X\n\n## How to fix\n\n```hcl\nillustration {}\n```\n\n## Examples\n\n\
               ```hcl bad\n# expect: 2\n# severity: note\nresource \"a\" \"b\" {}\n\
               # file: modules/m/main.tf\nresource \"c\" \"d\" {}\n```\n\n\
               ```plan-json good\n{}\n```\n\n~~~hcl unknown\n# expect-error\nx\n~~~\n";
    let exs = examples(doc).unwrap();
    assert_eq!(exs.len(), 3);
    assert_eq!(exs[0].kind, Kind::Bad);
    assert_eq!(exs[0].expect, Some(2));
    assert_eq!(exs[0].severity, Some(Severity::Note));
    assert_eq!(exs[0].files.len(), 2);
    assert_eq!(
        exs[0].files[0],
        ("main.tf".to_string(), "resource \"a\" \"b\" {}\n".to_string())
    );
    assert_eq!(exs[0].files[1].0, "modules/m/main.tf");
    assert_eq!(exs[1].input, Input::PlanJson);
    assert_eq!(exs[1].files[0].0, "plan.json");
    assert!(exs[2].expect_error);
}

#[test]
fn extractor_rejects_what_it_cannot_run() {
    for bad in [
        "## Examples\n\n```hcl bda\nx\n```\n",
        "## Examples\n\n```hcl\nx\n```\n",
        "## Examples\n\n```tf bad\nx\n```\n",
        "## Examples\n\n```json good\nx\n```\n",
        "## Examples\n\n```live-json\nx\n```\n",
        "## Examples\n\n```hcl good extra\nx\n```\n",
        "## Examples\n\n```hcl good\n# expect: 1\nx\n```\n",
        "## Examples\n\n```hcl bad\n# expects: 1\nx\n```\n",
        "## Examples\n\n```hcl bad\nx\n# file: ../escape.tf\ny\n```\n",
        "## Examples\n\n```hcl bad\n\n```\n",
        "## Examples\n\n```hcl bad\nx\n",
        "## How to fix\n\n```good\nx\n```\n",
    ] {
        assert!(examples(bad).is_err(), "accepted: {bad:?}");
    }
}
