//! Mapping plan/state resources back to their `.tf` source: the HCL is loaded into a scratch
//! model, its files moved into the real model, and its resources indexed by address.

use super::values::strip_keys;
use crate::input::LoadOptions;
use crate::model::{FileId, Location, Model, Resource, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct Hcl {
    resources: Vec<Resource>,
    by_addr: HashMap<String, usize>,
    by_cfg: HashMap<String, usize>,
    /// Key prefix of the scratch stack (`0:`) and of the plan's stack (`5:`).
    from: String,
    to: String,
}

fn has_tf(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .any(|e| e.path().extension().is_some_and(|x| x == "tf") && e.path().is_file())
        })
        .unwrap_or(false)
}

/// The source directory for a JSON input: `--source`, else the directory of the file (the
/// current directory for stdin), when it holds `.tf` files.
pub fn source_dir(json_path: &Path, opts: &LoadOptions) -> Option<PathBuf> {
    let dir = match &opts.source {
        Some(d) => d.clone(),
        None if json_path.as_os_str() == "-" => PathBuf::from("."),
        None => match json_path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        },
    };
    has_tf(&dir).then_some(dir)
}

fn remap_file(loc: &mut Location, offset: usize) {
    loc.file = FileId(loc.file.0 + offset);
}

/// Load the HCL of `dir`, moving its files into `model`. `stack` is the plan's stack id.
pub fn load(dir: PathBuf, stack: usize, model: &mut Model) -> Option<Hcl> {
    let mut scratch = Model::default();
    crate::input::hcl::load_root_module(&dir, &mut scratch);
    if !scratch.errors.is_empty() {
        model.notices.push(format!(
            "{}: {} problem(s) reading the .tf source; locations of the affected resources point into the JSON",
            dir.display(),
            scratch.errors.len()
        ));
    }
    let offset = model.sources.files.len();
    for f in std::mem::take(&mut scratch.sources.files) {
        model.sources.add(f);
    }
    // The root stack is the one whose root-module resources live in `dir`.
    let want = dir.canonicalize().ok();
    let mut root_stack: Option<String> = None;
    let mut stacks: Vec<String> = Vec::new();
    for r in &scratch.resources {
        let prefix = r.key.split(':').next().unwrap_or("").to_string();
        if !stacks.contains(&prefix) {
            stacks.push(prefix.clone());
        }
        if root_stack.is_none() && r.module.is_empty() {
            let file = &model.sources.get(FileId(r.loc.file.0 + offset)).path;
            let parent = file.parent().and_then(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".").canonicalize().ok()
                } else {
                    p.canonicalize().ok()
                }
            });
            if parent.is_some() && parent == want {
                root_stack = Some(prefix);
            }
        }
    }
    let root_stack = root_stack.or_else(|| (stacks.len() == 1).then(|| stacks[0].clone()))?;
    let from = format!("{root_stack}:");
    let mut resources: Vec<Resource> = scratch
        .resources
        .into_iter()
        .filter(|r| r.key.starts_with(&from))
        .collect();
    // Module blocks, so that findings inside downloaded modules point at the user's call.
    let to = format!("{stack}:");
    for (k, mut l) in std::mem::take(&mut scratch.module_calls) {
        if let Some(rest) = k.strip_prefix(&from) {
            remap_file(&mut l, offset);
            model.module_calls.insert(format!("{to}{rest}"), l);
        }
    }
    let mut by_addr = HashMap::new();
    let mut by_cfg = HashMap::new();
    for (i, r) in resources.iter_mut().enumerate() {
        remap_file(&mut r.loc, offset);
        for m in r.meta.values_mut() {
            remap_file(&mut m.loc, offset);
        }
        by_addr.insert(r.address.clone(), i);
        by_cfg.entry(strip_keys(&r.address)).or_insert(i);
    }
    Some(Hcl {
        resources,
        by_addr,
        by_cfg,
        from,
        to,
    })
}

impl Hcl {
    /// The HCL resource for a plan address: the same instance, else the same block.
    pub fn find(&self, address: &str) -> Option<&Resource> {
        let i = self
            .by_addr
            .get(address)
            .or_else(|| self.by_cfg.get(&strip_keys(address)))?;
        Some(&self.resources[*i])
    }

    /// A value of the HCL model with its references moved to the plan's stack.
    pub fn remap(&self, v: &Value) -> Value {
        match v {
            Value::Unknown(u) => {
                let mut u = (**u).clone();
                for r in &mut u.refs {
                    self.remap_key(&mut r.address);
                }
                u.json = u.json.as_ref().map(|j| self.remap(j));
                Value::Unknown(Box::new(u))
            }
            Value::List(l) => Value::List(l.iter().map(|x| self.remap(x)).collect()),
            Value::Object(m) => Value::Object(m.iter().map(|(k, x)| (k, self.remap(x))).collect()),
            Value::Resource(ri) => {
                let mut address = ri.address.clone();
                self.remap_key(&mut address);
                Value::Resource(Arc::new(crate::model::ResInst {
                    address,
                    attrs: ri.attrs.iter().map(|(k, x)| (k, self.remap(x))).collect(),
                }))
            }
            other => other.clone(),
        }
    }

    fn remap_key(&self, k: &mut String) {
        if let Some(rest) = k.strip_prefix(&self.from) {
            *k = format!("{}{rest}", self.to);
        }
    }
}
