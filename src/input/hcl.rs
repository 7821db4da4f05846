//! The Terraform HCL adapter: finds module directories, parses `.tf` files with hcl-edit,
//! resolves module calls (local sources and `.terraform/modules/modules.json`), and evaluates
//! every root module into the model.

use crate::eval::{normalize, Evaluator, ModuleDef};
use crate::model::{InputError, Model, SourceFile, Value};
use hcl_edit::structure::Body;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const SKIP_DIRS: &[&str] = &[".terraform", ".git", ".terragrunt-cache", "node_modules", "target"];

/// Directories with `.tf` files under `path` (or the directory of a `.tf` file).
fn module_dirs(path: &Path, errors: &mut Vec<InputError>, notices: &mut Vec<String>) -> Vec<PathBuf> {
    if path.is_file() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A file means its module directory (pre-commit passes .tf, .tfvars and .tf.json files).
        if name.ends_with(".tf") || name.ends_with(".tfvars") || name.ends_with(".tf.json") {
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            return vec![if dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                dir
            }];
        }
        errors.push(InputError {
            path: path.display().to_string(),
            line: 0,
            column: 0,
            message: "not a Terraform file or directory (expected a directory, a .tf or .tfvars file, a .json/.tfstate file or -)"
                .into(),
        });
        return vec![];
    }
    if !path.is_dir() {
        errors.push(InputError {
            path: path.display().to_string(),
            line: 0,
            column: 0,
            message: "no such file or directory".into(),
        });
        return vec![];
    }
    let mut dirs = BTreeSet::new();
    let walker = ignore::WalkBuilder::new(path)
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .parents(true)
        .follow_links(false)
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            !(is_dir && (name.starts_with('.') || SKIP_DIRS.contains(&name.as_ref())))
        })
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                if e.file_type().is_some_and(|t| t.is_file()) {
                    let name = e.file_name().to_string_lossy();
                    if name.ends_with(".tf") {
                        if let Some(parent) = e.path().parent() {
                            dirs.insert(normalize(parent));
                        }
                    } else if name.ends_with(".tf.json") {
                        notices.push(format!(
                            "{}: Terraform JSON syntax (.tf.json) is not read; its resources are not linted",
                            display_path(e.path())
                        ));
                    }
                }
            }
            Err(err) => errors.push(InputError {
                path: path.display().to_string(),
                line: 0,
                column: 0,
                message: format!("cannot read: {err}"),
            }),
        }
    }
    if dirs.is_empty() {
        // Nothing to lint under a path the user named is a mistake (a wrong directory), not a pass.
        errors.push(InputError {
            path: path.display().to_string(),
            line: 0,
            column: 0,
            message: "no Terraform files (.tf) in this directory or below it".into(),
        });
    }
    dirs.into_iter()
        .map(|d| {
            if d.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                d
            }
        })
        .collect()
}

fn tf_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "tf"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Read `.terraform/modules/modules.json` of a root directory: call key → module directory.
fn modules_json(root: &Path) -> HashMap<String, PathBuf> {
    let mut out = HashMap::new();
    let p = root.join(".terraform/modules/modules.json");
    let Ok(text) = super::read_text(&p) else {
        return out;
    };
    let Ok(j) = serde_json::from_str::<serde_json::Value>(&text) else {
        return out;
    };
    for m in j.get("Modules").and_then(|m| m.as_array()).into_iter().flatten() {
        let (Some(k), Some(d)) = (
            m.get("Key").and_then(|v| v.as_str()),
            m.get("Dir").and_then(|v| v.as_str()),
        ) else {
            continue;
        };
        if k.is_empty() {
            continue;
        }
        out.insert(k.to_string(), normalize(&root.join(d)));
    }
    out
}

struct Parsed {
    dir: PathBuf,
    file: crate::model::FileId,
    body: Option<Body>,
}

fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

/// Parse every `.tf` file of `dirs` (in parallel), registering sources and errors.
fn parse_dirs(dirs: &[PathBuf], model: &mut Model) -> Vec<Parsed> {
    let files: Vec<(PathBuf, PathBuf)> = dirs
        .iter()
        .flat_map(|d| tf_files(d).into_iter().map(move |f| (d.clone(), f)))
        .collect();
    let results: Vec<_> = files
        .par_iter()
        .map(|(dir, f)| {
            let text = super::read_text(f);
            let parsed = text.as_ref().ok().map(|t| hcl_edit::parser::parse_body(t));
            (dir.clone(), f.clone(), text, parsed)
        })
        .collect();
    let mut out = Vec::new();
    for (dir, f, text, parsed) in results {
        let display = display_path(&f);
        match text {
            Err(e) => model.errors.push(InputError {
                path: display,
                line: 0,
                column: 0,
                message: format!("cannot read: {e}"),
            }),
            Ok(text) => {
                let text: Arc<String> = Arc::new(text);
                let id = model
                    .sources
                    .add(SourceFile::new(f.clone(), display.clone(), text.clone()));
                let body = match parsed {
                    Some(Ok(b)) => Some(b),
                    Some(Err(e)) => {
                        let loc = e.location();
                        let col = model.sources.get(id).line_col_utf16(loc.offset()).1;
                        model.errors.push(InputError {
                            path: display,
                            line: loc.line(),
                            column: col,
                            message: format!("parse error: {}", e.message()),
                        });
                        None
                    }
                    None => None,
                };
                out.push(Parsed { dir, file: id, body });
            }
        }
    }
    out
}

/// Load Terraform source under `paths` into the model, one stack per root module.
pub fn load(paths: &[PathBuf], model: &mut Model) {
    load_with_vars(paths, &HashMap::new(), model)
}

/// [`load`] with variable values given on the command line (`--var-file`, `--var`), which
/// every root module takes over its own `.tfvars` files, as Terraform does.
pub fn load_with_vars(paths: &[PathBuf], vars: &HashMap<String, Value>, model: &mut Model) {
    let mut walked: Vec<PathBuf> = Vec::new();
    for p in paths {
        for d in module_dirs(p, &mut model.errors, &mut model.notices) {
            if !walked.contains(&d) {
                walked.push(d);
            }
        }
    }
    walked.sort();
    crate::timing("walk");
    load_dirs(paths, walked, vars, model);
}

/// Load the one root module in `dir` (not the directories below it) with the modules it calls:
/// the source of a plan or state.
pub fn load_root_module(dir: &Path, model: &mut Model) {
    load_dirs(&[dir.to_path_buf()], vec![dir.to_path_buf()], &HashMap::new(), model);
}

fn load_dirs(paths: &[PathBuf], walked: Vec<PathBuf>, vars: &HashMap<String, Value>, model: &mut Model) {
    let stack0 = model.stacks;
    // Parse the walked directories, then every module directory they reach.
    let mut parsed: Vec<Parsed> = parse_dirs(&walked, model);
    crate::timing("parse");
    let mut known: BTreeSet<PathBuf> = walked.iter().cloned().collect();
    let mut mj: HashMap<PathBuf, HashMap<String, PathBuf>> = HashMap::new();
    for d in &walked {
        let m = modules_json(d);
        if !m.is_empty() {
            mj.insert(d.clone(), m);
        }
    }
    let mut called: BTreeSet<PathBuf> = BTreeSet::new();
    loop {
        let mut pending: BTreeSet<PathBuf> = BTreeSet::new();
        {
            let mut defs: HashMap<PathBuf, ModuleDef> = HashMap::new();
            for p in &parsed {
                if let Some(b) = &p.body {
                    defs.entry(p.dir.clone())
                        .or_insert_with(|| ModuleDef {
                            dir: p.dir.clone(),
                            ..Default::default()
                        })
                        .add_file(b, p.file);
                }
            }
            for def in defs.values() {
                for c in def.local_calls() {
                    called.insert(c.clone());
                    if !known.contains(&c) && c.is_dir() {
                        pending.insert(c);
                    }
                }
            }
        }
        for m in mj.values() {
            for d in m.values() {
                if !known.contains(d) && d.is_dir() {
                    pending.insert(d.clone());
                }
            }
        }
        if pending.is_empty() {
            break;
        }
        let pending: Vec<PathBuf> = pending.into_iter().collect();
        known.extend(pending.iter().cloned());
        parsed.extend(parse_dirs(&pending, model));
    }

    let mut defs: HashMap<PathBuf, ModuleDef> = HashMap::new();
    for p in &parsed {
        let def = defs.entry(p.dir.clone()).or_insert_with(|| ModuleDef {
            dir: p.dir.clone(),
            ..Default::default()
        });
        if let Some(b) = &p.body {
            def.add_file(b, p.file);
        } else if def.first_file.is_none() {
            def.first_file = Some(p.file);
        }
    }
    let roots: Vec<PathBuf> = walked.iter().filter(|d| !called.contains(*d)).cloned().collect();
    let allowed: Vec<PathBuf> = paths
        .iter()
        .map(|p| {
            if p.is_file() {
                p.parent().unwrap_or(Path::new(".")).to_path_buf()
            } else {
                p.clone()
            }
        })
        .chain(known.iter().cloned())
        .filter_map(|p| {
            let p = if p.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                p
            };
            p.canonicalize().ok()
        })
        .collect();

    let mut tfvars_errors = Vec::new();
    let root_vars: Vec<HashMap<String, Value>> = roots
        .iter()
        .map(|r| {
            let mut v = tfvars(r, &mut tfvars_errors);
            v.extend(vars.iter().map(|(k, x)| (k.clone(), x.clone())));
            v
        })
        .collect();
    model.errors.extend(tfvars_errors);
    let outputs: Vec<_> = roots
        .par_iter()
        .zip(root_vars)
        .enumerate()
        .map(|(i, (root, vars))| {
            let ev = Evaluator::new(
                &defs,
                &allowed,
                stack0 + i,
                root.clone(),
                mj.get(root).cloned().unwrap_or_default(),
            );
            ev.run(vars)
        })
        .collect();
    crate::timing("evaluate");
    model.stacks += roots.len();
    for (i, root) in roots.iter().enumerate() {
        model.roots.insert(stack0 + i, root.clone());
    }
    for o in outputs {
        model.resources.extend(o.resources);
        model.opaque_modules.extend(o.opaque);
        model.module_calls.extend(o.calls);
    }
}

/// Variable values of a root module: `terraform.tfvars` then `*.auto.tfvars` (in name order).
/// Values of the root module's variables from `terraform.tfvars`, `terraform.tfvars.json` and
/// `*.auto.tfvars(.json)` (in lexical order), later files winning, as Terraform loads them.
fn tfvars(root: &Path, errors: &mut Vec<InputError>) -> HashMap<String, Value> {
    let mut files = vec![root.join("terraform.tfvars"), root.join("terraform.tfvars.json")];
    let mut auto: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    let n = p.to_string_lossy();
                    n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
                })
                .collect()
        })
        .unwrap_or_default();
    auto.sort();
    files.extend(auto);
    let mut out = HashMap::new();
    for f in files {
        read_var_file(&f, true, errors, &mut out);
    }
    out
}

/// Read one variable file (`.tfvars` or `.tfvars.json`) into `out`. A missing file is an
/// error only when it was asked for (`--var-file`), not for the files Terraform looks for.
pub fn read_var_file(f: &Path, optional: bool, errors: &mut Vec<InputError>, out: &mut HashMap<String, Value>) {
    let text = match super::read_text(f) {
        Ok(t) => t,
        Err(e) if optional && e.kind() == std::io::ErrorKind::NotFound => return,
        Err(e) => {
            errors.push(InputError {
                path: display_path(f),
                line: 0,
                column: 0,
                message: format!("cannot read: {e}"),
            });
            return;
        }
    };
    if f.to_string_lossy().ends_with(".json") {
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(m)) => {
                for (k, v) in m {
                    out.insert(k, Value::from_json(&v));
                }
            }
            Ok(_) => errors.push(InputError {
                path: display_path(f),
                line: 1,
                column: 1,
                message: "a .tfvars.json file must hold a JSON object".into(),
            }),
            Err(e) => errors.push(InputError {
                path: display_path(f),
                line: e.line(),
                column: e.column().max(1),
                message: format!("invalid JSON: {e}"),
            }),
        }
        return;
    }
    match hcl_edit::parser::parse_body(&text) {
        Ok(body) => {
            for a in body.attributes() {
                out.insert(a.key.as_str().to_string(), crate::eval::const_value(&a.value));
            }
        }
        Err(e) => errors.push(InputError {
            path: display_path(f),
            line: e.location().line(),
            column: e.location().column(),
            message: format!("parse error: {}", e.message()),
        }),
    }
}

/// A `--var NAME=VALUE` value: an HCL literal (`["a", "b"]`, `{ k = "v" }`, `true`, `3`,
/// `"quoted"`) when it reads as one, else the text itself, as Terraform takes it.
pub fn var_value(text: &str) -> Value {
    if let Ok(body) = hcl_edit::parser::parse_body(&format!("v = {text}\n")) {
        if let Some(a) = body.attributes().next() {
            if !matches!(
                a.value,
                hcl_edit::expr::Expression::Variable(_) | hcl_edit::expr::Expression::Traversal(_)
            ) {
                let v = crate::eval::const_value(&a.value);
                if !v.contains_unknown() {
                    return v;
                }
            }
        }
    }
    Value::str(text)
}
