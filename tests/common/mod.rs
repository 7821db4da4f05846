//! Helpers shared by integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The case folders under `fixtures/cases` (copied from the shared cases).
pub fn cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/cases"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expect").exists())
        .collect();
    v.sort();
    v
}

pub const TRACKED: &[&str] = &["SM101", "SM102", "SM103", "SM201", "SM202", "SM203", "SM301", "SM401"];

/// `expect` file: rule → count (`None` for `+`).
pub fn expect(case: &Path) -> BTreeMap<String, Option<usize>> {
    std::fs::read_to_string(case.join("expect"))
        .unwrap()
        .lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            let r = it.next()?;
            let c = it.next()?;
            Some((r.to_string(), if c == "+" { None } else { Some(c.parse().unwrap()) }))
        })
        .collect()
}

/// Check findings against an expect map; returns the problems.
pub fn check_expect(expect: &BTreeMap<String, Option<usize>>, findings: &[sagelint::model::Finding]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut got: BTreeMap<&str, usize> = BTreeMap::new();
    for f in findings {
        *got.entry(f.rule.id).or_default() += 1;
    }
    let mut rules: Vec<&str> = TRACKED.to_vec();
    rules.extend(expect.keys().map(String::as_str));
    rules.sort();
    rules.dedup();
    for r in rules {
        let n = got.get(r).copied().unwrap_or(0);
        match expect.get(r) {
            None if n > 0 => problems.push(format!("{r} fired {n}x, expected none")),
            Some(None) if n == 0 => problems.push(format!("{r} did not fire, expected >= 1")),
            Some(Some(w)) if n != *w => problems.push(format!("{r} fired {n}x, expected {w}")),
            _ => {}
        }
    }
    problems
}

/// Run the built binary.
pub fn run(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_sagelint"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run sagelint")
}

/// A fresh temporary directory with the given files, removed when dropped.
pub fn temp_tree(name: &str, files: &[(&str, &str)]) -> TempTree {
    let dir = std::env::temp_dir().join(format!("sagelint-test-{}-{}-{}", name, std::process::id(), unique()));
    let _ = std::fs::remove_dir_all(&dir);
    for (p, content) in files {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    TempTree(dir)
}

/// A temporary directory that is removed when the test is done with it.
pub struct TempTree(pub PathBuf);

impl std::ops::Deref for TempTree {
    type Target = PathBuf;
    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl AsRef<Path> for TempTree {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::SeqCst)
}

/// Findings as sorted `rule address discriminator` keys: what parity tests compare.
pub fn finding_keys(findings: &[sagelint::model::Finding]) -> Vec<String> {
    let mut v: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f.rule.id,
                f.address,
                f.discriminator.clone().unwrap_or_default()
            )
        })
        .collect();
    v.sort();
    v
}
