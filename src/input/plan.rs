//! Terraform plan and state JSON (`terraform show -json`, raw `terraform.tfstate`).
//!
//! Every input becomes one stack of the model. The document is read with typed structs that
//! borrow each resource object as raw JSON (so its byte span is known for locations); only the
//! values the model keeps are converted, straight into [`Value`].
//!
//! Plans: resources come from `resource_changes` (`after` + `after_unknown`; deleted and
//! deposed objects are skipped), then `planned_values` and `prior_state` for what they do not
//! cover (data sources read at plan time). The `configuration` section decides which
//! attributes are set (an unset attribute that is null or unknown is left out, so provider
//! defaults apply as for HCL) and turns unknown values into references to the resource
//! instances they come from. State: every stored value is a fact.
//!
//! Locations: with `.tf` source (`--source`, or the JSON file's directory) each resource and
//! attribute points at its HCL block and attribute; without, at the resource object (and
//! top-level attribute) in the JSON.

mod config;
mod source;
mod values;

use super::json::Kind;
use super::LoadOptions;
use crate::model::map::Map;
use crate::model::{
    defaults, AttrMeta, FileId, InputError, Location, Mode, Model, Origin, Provenance, Ref, Resource, Unknown, Value,
};
use config::{is_expr, Configuration, Resolver};
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value as J;
use source::Hcl;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;
use values::{join, module_steps, JVal, Unk};

pub fn load(file: FileId, kind: Kind, opts: &LoadOptions, model: &mut Model) {
    let (text, display, path) = {
        let f = model.sources.get(file);
        (f.text.clone(), f.display.clone(), f.path.clone())
    };
    let stack = model.stacks;
    model.stacks += 1;
    let dir = source::source_dir(&path, opts);
    let hcl = dir.clone().and_then(|dir| source::load(dir, stack, model));
    if let (Some(d), Some(_)) = (dir, &hcl) {
        model.source_roots.insert(stack, d);
    }
    if hcl.is_none() && kind == Kind::Plan && text.contains("\"local.") {
        // A plan records no locals: what the configuration computes in them stays unknown.
        model.notices.push(format!(
            "{display}: its configuration computes values in locals, which a plan does not record; without the .tf source (--source DIR) they stay unknown and findings that depend on them are not reported"
        ));
    }
    if hcl.is_none() {
        if let Some(dir) = &opts.source {
            model.notices.push(format!(
                "{display}: no Terraform source found in {}; locations point into the JSON",
                dir.display()
            ));
        } else if path.as_os_str() == "-" {
            model
                .notices
                .push("stdin: no Terraform source found (use --source DIR); locations point into the JSON".to_string());
        }
    }
    let cx = Cx {
        text: &text,
        file,
        display: &display,
        stack,
        hcl: hcl.as_ref(),
        matched: std::sync::atomic::AtomicUsize::new(0),
    };
    let result = match kind {
        Kind::Plan => cx.plan(&mut model.notices),
        Kind::State => cx.state(),
        Kind::RawState => cx.raw_state(),
        Kind::Live => Err(cx.error(0, "not a Terraform plan or state".into())),
    };
    // Without source, a policy built with functions (`jsonencode` of a value known only after
    // apply) is unknown whole: say so, since rules on trust and permissions stay silent.
    if let (Ok(resources), None) = (&result, &hcl) {
        let unknown_policies = resources
            .iter()
            .filter(|r| {
                ["assume_role_policy", "policy"]
                    .iter()
                    .any(|a| matches!(r.attrs.get(a), Some(Value::Unknown(u)) if u.json.is_none()))
            })
            .count();
        if unknown_policies > 0 {
            model.notices.push(format!(
                "{display}: {unknown_policies} policy document(s) are known only after apply; without the .tf source (--source DIR) they cannot be read and rules on them stay silent"
            ));
        }
    }
    // Source that holds none of the document's resources is the wrong directory: say so.
    if let (Ok(resources), Some(dir)) = (&result, model.source_roots.get(&stack)) {
        // Counted in the root module: a module that is not downloaded has no source anyway.
        let matched = cx.matched.load(std::sync::atomic::Ordering::Relaxed);
        let root = resources.iter().filter(|r| r.module.is_empty()).count();
        if matched == 0 && root > 0 {
            model.notices.push(format!(
                "{display}: the Terraform source in {} holds none of its resources; locations point into the JSON",
                dir.display()
            ));
            model.source_roots.remove(&stack);
        } else if matched * 2 < root {
            model.notices.push(format!(
                "{display}: the Terraform source in {} holds only {matched} of the {root} resources of its root module (is it the right directory?); the others point into the JSON",
                dir.display()
            ));
        }
    }
    match result {
        Ok(resources) => model.resources.extend(resources),
        Err(e) => model.errors.push(e),
    }
}

// ---------------------------------------------------------------------------------------
// Document shapes (only what sagelint reads; unknown keys are ignored).

#[derive(Deserialize)]
struct PlanDoc<'a> {
    #[serde(default)]
    format_version: Option<String>,
    #[serde(borrow, default)]
    resource_changes: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    deferred_changes: Vec<Deferred<'a>>,
    #[serde(borrow, default)]
    planned_values: Option<ValuesRepr<'a>>,
    #[serde(borrow, default)]
    prior_state: Option<StateDoc<'a>>,
    #[serde(default)]
    configuration: Option<Configuration>,
    #[serde(default)]
    complete: Option<bool>,
    #[serde(default)]
    errored: Option<bool>,
}

#[derive(Deserialize)]
struct Deferred<'a> {
    #[serde(borrow, default)]
    resource_change: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct StateDoc<'a> {
    #[serde(default)]
    format_version: Option<String>,
    #[serde(borrow, default)]
    values: Option<ValuesRepr<'a>>,
}

#[derive(Deserialize)]
struct ValuesRepr<'a> {
    #[serde(borrow, default)]
    root_module: Option<ModuleRepr<'a>>,
}

#[derive(Deserialize)]
struct ModuleRepr<'a> {
    #[serde(borrow, default)]
    resources: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    child_modules: Vec<ModuleRepr<'a>>,
}

type AttrMap<'a> = BTreeMap<std::borrow::Cow<'a, str>, &'a RawValue>;

#[derive(Deserialize)]
struct ResourceChange<'a> {
    address: String,
    #[serde(default)]
    module_address: Option<String>,
    mode: String,
    #[serde(rename = "type")]
    rtype: String,
    name: String,
    #[serde(default)]
    index_unknown: bool,
    #[serde(default)]
    deposed: Option<String>,
    #[serde(borrow)]
    change: Change<'a>,
}

#[derive(Deserialize)]
struct Change<'a> {
    #[serde(default)]
    actions: Vec<String>,
    #[serde(borrow, default)]
    after: Option<&'a RawValue>,
    #[serde(borrow, default)]
    after_unknown: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct ValuesResource<'a> {
    address: String,
    mode: String,
    #[serde(rename = "type")]
    rtype: String,
    name: String,
    #[serde(default)]
    deposed_key: Option<String>,
    #[serde(borrow, default)]
    values: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct RawState<'a> {
    #[serde(default)]
    version: Option<u64>,
    #[serde(borrow, default)]
    resources: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct RawResource<'a> {
    #[serde(default)]
    module: Option<String>,
    mode: String,
    #[serde(rename = "type")]
    rtype: String,
    name: String,
    #[serde(borrow, default)]
    instances: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct RawInstance<'a> {
    #[serde(default)]
    index_key: Option<J>,
    #[serde(default)]
    deposed: Option<String>,
    #[serde(borrow, default)]
    attributes: Option<&'a RawValue>,
    #[serde(default)]
    attributes_flat: Option<BTreeMap<String, String>>,
}

/// One resource instance as read, before its values are built.
struct Rec<'a> {
    address: String,
    module: String,
    mode: Mode,
    rtype: String,
    name: String,
    span: Range<usize>,
    /// The attribute object (`after`, `values`, `attributes`) and `after_unknown`, read when
    /// the resource is built, so that the whole plan is never held as parsed records.
    attrs: Option<&'a RawValue>,
    unknown: Option<&'a RawValue>,
    origin: Origin,
    /// Whether the plan's configuration applies (resource changes of a plan).
    configured: bool,
    instances_unknown: bool,
}

impl Rec<'_> {
    fn cfg_address(&self) -> String {
        match self.mode {
            Mode::Data => format!("data.{}.{}", self.rtype, self.name),
            Mode::Managed => format!("{}.{}", self.rtype, self.name),
        }
    }
}

fn mode_of(s: &str) -> Option<Mode> {
    match s {
        "managed" => Some(Mode::Managed),
        "data" => Some(Mode::Data),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Reading.

struct Cx<'t> {
    text: &'t str,
    file: FileId,
    display: &'t str,
    stack: usize,
    hcl: Option<&'t Hcl>,
    /// Resources found in the `.tf` source.
    matched: std::sync::atomic::AtomicUsize,
}

impl<'t> Cx<'t> {
    fn offset(&self, raw: &RawValue) -> usize {
        let p = raw.get().as_ptr() as usize;
        let base = self.text.as_ptr() as usize;
        if p >= base && p <= base + self.text.len() {
            p - base
        } else {
            0
        }
    }

    fn span(&self, raw: &RawValue) -> Range<usize> {
        let o = self.offset(raw);
        o..o + raw.get().len()
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
        let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
        (line, col)
    }

    fn error(&self, offset: usize, message: String) -> InputError {
        let (line, column) = if offset == 0 { (0, 0) } else { self.line_col(offset) };
        InputError {
            path: self.display.to_string(),
            line,
            column,
            message,
        }
    }

    /// Parse the whole document (positions from serde are absolute).
    fn parse_doc<T: Deserialize<'t>>(&self, what: &str) -> Result<T, InputError> {
        serde_json::from_str(self.text).map_err(|e| InputError {
            path: self.display.to_string(),
            line: e.line(),
            column: e.column(),
            message: format!("invalid {what}: {e}"),
        })
    }

    /// Parse one borrowed object of the document, reporting errors at their absolute position.
    fn parse_at<T: Deserialize<'t>>(&self, raw: &'t RawValue, what: &str) -> Result<T, InputError> {
        serde_json::from_str(raw.get()).map_err(|e| {
            let (bl, bc) = self.line_col(self.offset(raw));
            let (line, column) = if e.line() <= 1 {
                (bl, bc + e.column().saturating_sub(1))
            } else {
                (bl + e.line() - 1, e.column())
            };
            InputError {
                path: self.display.to_string(),
                line,
                column,
                message: format!("invalid {what}: {e}"),
            }
        })
    }

    fn check_version(&self, v: Option<&str>, what: &str) -> Result<(), InputError> {
        if let Some(v) = v {
            let major = v.split('.').next().and_then(|m| m.parse::<u64>().ok());
            if major.is_some_and(|m| m >= 2) {
                return Err(self.error(
                    0,
                    format!("unsupported {what} format_version {v} (sagelint reads 0.x and 1.x)"),
                ));
            }
        }
        Ok(())
    }

    fn plan(&self, notices: &mut Vec<String>) -> Result<Vec<Resource>, InputError> {
        let doc: PlanDoc = self.parse_doc("Terraform plan JSON")?;
        crate::timing("plan document");
        self.check_version(doc.format_version.as_deref(), "plan")?;
        if doc.errored == Some(true) {
            notices.push(format!(
                "{}: the plan errored (errored: true); only the resources Terraform planned are linted",
                self.display
            ));
        } else if doc.complete == Some(false) {
            notices.push(format!(
                "{}: the plan is incomplete (complete: false); deferred resources may be missing or unknown",
                self.display
            ));
        }
        let mut recs: Vec<Rec<'t>> = Vec::new();
        let mut covered: HashSet<String> = HashSet::new();
        let changes = doc
            .resource_changes
            .iter()
            .copied()
            .chain(doc.deferred_changes.iter().filter_map(|d| d.resource_change));
        for raw in changes {
            let rc: ResourceChange = self.parse_at(raw, "resource change")?;
            covered.insert(rc.address.clone());
            let acts = &rc.change.actions;
            let removed = acts.iter().any(|a| a == "delete" || a == "forget") && !acts.iter().any(|a| a == "create");
            let Some(mode) = mode_of(&rc.mode) else { continue };
            if removed || rc.deposed.is_some() {
                continue;
            }
            let instances_unknown = rc.index_unknown || rc.address.contains("[*]");
            recs.push(Rec {
                address: rc.address,
                module: rc.module_address.unwrap_or_default(),
                mode,
                rtype: rc.rtype,
                name: rc.name,
                span: self.span(raw),
                attrs: rc.change.after,
                unknown: rc.change.after_unknown,
                origin: Origin::Plan,
                configured: true,
                instances_unknown,
            });
        }
        for values in [
            doc.planned_values.as_ref(),
            doc.prior_state.as_ref().and_then(|s| s.values.as_ref()),
        ]
        .into_iter()
        .flatten()
        {
            if let Some(root) = &values.root_module {
                self.values_recs(root, Origin::Plan, &mut covered, &mut recs)?;
            }
        }
        if let Some(ps) = &doc.prior_state {
            self.check_version(ps.format_version.as_deref(), "state")?;
        }
        let root = doc.configuration.as_ref().and_then(|c| c.root_module.as_ref());
        crate::timing("plan resources read");
        self.build_all(recs, root)
    }

    fn values_recs(
        &self,
        m: &ModuleRepr<'t>,
        origin: Origin,
        covered: &mut HashSet<String>,
        out: &mut Vec<Rec<'t>>,
    ) -> Result<(), InputError> {
        for raw in &m.resources {
            let r: ValuesResource = self.parse_at(raw, "resource")?;
            let Some(mode) = mode_of(&r.mode) else { continue };
            if r.deposed_key.is_some() || !covered.insert(r.address.clone()) {
                continue;
            }
            let module = module_of(&r.address, &r.rtype, mode);
            out.push(Rec {
                instances_unknown: r.address.contains("[*]"),
                address: r.address,
                module,
                mode,
                rtype: r.rtype,
                name: r.name,
                span: self.span(raw),
                attrs: r.values,
                unknown: None,
                origin,
                configured: false,
            });
        }
        for c in &m.child_modules {
            self.values_recs(c, origin, covered, out)?;
        }
        Ok(())
    }

    fn state(&self) -> Result<Vec<Resource>, InputError> {
        let doc: StateDoc = self.parse_doc("Terraform state JSON")?;
        self.check_version(doc.format_version.as_deref(), "state")?;
        let mut recs = Vec::new();
        if let Some(root) = doc.values.as_ref().and_then(|v| v.root_module.as_ref()) {
            self.values_recs(root, Origin::State, &mut HashSet::new(), &mut recs)?;
        }
        self.build_all(recs, None)
    }

    fn raw_state(&self) -> Result<Vec<Resource>, InputError> {
        let doc: RawState = self.parse_doc("terraform.tfstate")?;
        if let Some(v) = doc.version {
            if v != 4 {
                return Err(self.error(
                    0,
                    format!("terraform.tfstate version {v} is not supported (sagelint reads version 4, Terraform 0.12 and later)"),
                ));
            }
        }
        let mut recs = Vec::new();
        for raw in &doc.resources {
            let r: RawResource = self.parse_at(raw, "state resource")?;
            let Some(mode) = mode_of(&r.mode) else { continue };
            let module = r.module.clone().unwrap_or_default();
            let base = match mode {
                Mode::Data => format!("data.{}.{}", r.rtype, r.name),
                Mode::Managed => format!("{}.{}", r.rtype, r.name),
            };
            for iraw in &r.instances {
                let inst: RawInstance = self.parse_at(iraw, "state instance")?;
                if inst.deposed.is_some() {
                    continue;
                }
                let key = match &inst.index_key {
                    Some(J::Number(n)) => format!("[{n}]"),
                    Some(J::String(s)) => format!("[{}]", J::String(s.clone())),
                    _ => String::new(),
                };
                let attrs = match (inst.attributes, &inst.attributes_flat) {
                    (Some(a), _) => Some(a),
                    (None, Some(_)) => {
                        return Err(self.error(
                            self.offset(iraw),
                            "legacy flat attributes (attributes_flat) are not supported; run `terraform show -json` instead".into(),
                        ))
                    }
                    (None, None) => None,
                };
                recs.push(Rec {
                    address: join(&module, &format!("{base}{key}")),
                    module: module.clone(),
                    mode,
                    rtype: r.rtype.clone(),
                    name: r.name.clone(),
                    span: self.span(iraw),
                    attrs,
                    unknown: None,
                    origin: Origin::State,
                    configured: false,
                    instances_unknown: false,
                });
            }
        }
        self.build_all(recs, None)
    }

    fn build_all(&self, recs: Vec<Rec<'t>>, root: Option<&config::CfgModule>) -> Result<Vec<Resource>, InputError> {
        let mut resolver = Resolver::new(self.stack, root);
        for r in &recs {
            resolver.add_instance(&r.module, &r.cfg_address(), &r.address);
        }
        crate::timing("resolver");
        let out: Result<Vec<Resource>, InputError> = recs.into_par_iter().map(|r| self.build(r, &resolver)).collect();
        crate::timing("resources built");
        out.map(merge_policy_documents)
    }

    // -----------------------------------------------------------------------------------
    // Building values.

    fn build(&self, rec: Rec<'t>, resolver: &Resolver) -> Result<Resource, InputError> {
        let rec_attrs: AttrMap = match rec.attrs {
            Some(raw) => self.parse_at(raw, "resource attributes")?,
            None => AttrMap::new(),
        };
        let unk: Unk = match rec.unknown {
            Some(raw) => self.parse_at(raw, "after_unknown")?,
            None => Unk::default(),
        };
        let cfg_address = rec.cfg_address();
        let res_cfg = if rec.configured {
            resolver.resource_cfg(&rec.module, &cfg_address)
        } else {
            None
        };
        let steps = module_steps(&rec.module);
        let hcl_res = self
            .hcl
            .and_then(|h| h.find(&rec.address))
            .filter(|h| h.mode == rec.mode && h.rtype == rec.rtype);
        if hcl_res.is_some() && rec.module.is_empty() {
            self.matched.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        let local = if rec.module.is_empty() {
            Some(rec.address.as_str())
        } else {
            rec.address
                .strip_prefix(rec.module.as_str())
                .and_then(|a| a.strip_prefix('.'))
        };
        let key = local
            .and_then(|a| a.strip_prefix(cfg_address.as_str()))
            .filter(|k| k.starts_with('['));
        let x = Ctx {
            resolver,
            steps: &steps,
            each: res_cfg.and_then(|c| c.each()),
            key,
            hcl: self.hcl,
        };
        let mut keys: BTreeSet<&str> = rec_attrs.keys().map(|k| &**k).collect();
        if let Unk::Obj(m) = &unk {
            keys.extend(m.keys().map(String::as_str));
        }
        let mut attrs = Map::new();
        let mut meta = Map::new();
        for k in keys {
            if defaults::UNREAD_ATTRS.contains(&k) {
                continue;
            }
            let raw = rec_attrs.get(k);
            let v = raw
                .and_then(|r| serde_json::from_str::<JVal>(r.get()).ok())
                .map(|j| j.0)
                .unwrap_or(Value::Null);
            let c = match res_cfg {
                None => Cfg::Facts,
                Some(rc) => Cfg::of(rc.expressions.get(k)),
            };
            let h = hcl_res.and_then(|h| h.attrs.get(k));
            if let Some(val) = x.merge(v, unk.key(k), c, h) {
                if hcl_res.is_none() {
                    if let Some(r) = raw {
                        meta.insert(
                            k.to_string(),
                            AttrMeta {
                                loc: Location {
                                    file: self.file,
                                    span: self.span(r),
                                },
                                prov: Provenance::Explicit,
                            },
                        );
                    }
                }
                attrs.insert(k.to_string(), val);
            }
        }
        // An unset attribute with a provider default: whatever the plan printed for it (the
        // default, null, unknown) is the default, exactly as for HCL.
        if let Some(rc) = res_cfg {
            for (t, a, dv) in defaults::DEFAULTS {
                if *t == rec.rtype && rec.mode == Mode::Managed && !rc.expressions.contains_key(*a) {
                    let is_default = match attrs.get(a) {
                        None | Some(Value::Null) | Some(Value::Unknown(_)) => true,
                        Some(v) => *v == dv.value(),
                    };
                    if is_default {
                        attrs.remove(a);
                        meta.remove(a);
                    }
                }
            }
        }
        let (loc, meta) = match hcl_res {
            Some(h) => (h.loc.clone(), h.meta.clone()),
            None => (
                Location {
                    file: self.file,
                    span: rec.span.clone(),
                },
                meta,
            ),
        };
        Ok(Resource {
            key: format!("{}:{}", self.stack, rec.address),
            mode: rec.mode,
            rtype: rec.rtype,
            name: rec.name,
            address: rec.address,
            module: rec.module,
            origin: rec.origin,
            loc,
            instances_unknown: rec.instances_unknown,
            attrs,
            meta,
            arn: None,
        })
    }
}

/// The module instance path of a resource address (`module.a["x"].aws_x.y[0]` → `module.a["x"]`).
fn module_of(address: &str, rtype: &str, mode: Mode) -> String {
    let needle = match mode {
        Mode::Data => format!("data.{rtype}."),
        Mode::Managed => format!("{rtype}."),
    };
    if address.starts_with(&needle) {
        return String::new();
    }
    match address.rfind(&format!(".{needle}")) {
        Some(i) => address[..i].to_string(),
        None => String::new(),
    }
}

/// What the configuration says about a value.
#[derive(Clone, Copy)]
enum Cfg<'c> {
    /// No configuration (state, or a resource the configuration does not describe): the
    /// values are facts.
    Facts,
    /// The configuration does not set this attribute.
    NotSet,
    /// Set by an expression; for list elements, the element index and list length.
    Expr(&'c J, Option<(usize, usize)>),
    /// A nested block body (object) or blocks (array of bodies).
    Block(&'c J),
}

impl<'c> Cfg<'c> {
    fn of(j: Option<&'c J>) -> Cfg<'c> {
        match j {
            None | Some(J::Null) => Cfg::NotSet,
            Some(j) if is_expr(j) => Cfg::Expr(j, None),
            Some(j) => Cfg::Block(j),
        }
    }
    fn key(self, k: &str) -> Cfg<'c> {
        match self {
            Cfg::Facts => Cfg::Facts,
            Cfg::NotSet => Cfg::NotSet,
            Cfg::Expr(e, _) => Cfg::Expr(e, None),
            Cfg::Block(J::Object(m)) => Cfg::of(m.get(k)),
            Cfg::Block(J::Array(a)) => match a.first() {
                Some(body) => Cfg::Block(body).key(k),
                None => Cfg::NotSet,
            },
            Cfg::Block(_) => Cfg::Facts,
        }
    }
    fn index(self, i: usize, n: usize) -> Cfg<'c> {
        match self {
            Cfg::Facts | Cfg::NotSet => Cfg::Facts,
            Cfg::Expr(e, _) => Cfg::Expr(e, Some((i, n))),
            Cfg::Block(J::Array(a)) => a.get(i).map(Cfg::Block).unwrap_or(Cfg::Facts),
            Cfg::Block(b @ J::Object(_)) if i == 0 => Cfg::Block(b),
            Cfg::Block(_) => Cfg::Facts,
        }
    }
}

struct Ctx<'x> {
    resolver: &'x Resolver<'x>,
    steps: &'x [(String, String)],
    each: Option<&'x J>,
    /// The instance key of the resource (`["nlp"]`, `[0]`), for `each.key`/`count.index`.
    key: Option<&'x str>,
    hcl: Option<&'x Hcl>,
}

fn hcl_key<'v>(h: Option<&'v Value>, k: &str) -> Option<&'v Value> {
    match h? {
        Value::Object(m) => m.get(k),
        Value::List(l) => hcl_key(l.first(), k),
        Value::Resource(r) => r.attrs.get(k),
        _ => None,
    }
}

fn hcl_index(h: Option<&Value>, i: usize) -> Option<&Value> {
    match h? {
        Value::List(l) => l.get(i),
        _ => None,
    }
}

impl Ctx<'_> {
    /// Combine a value of `after` with its unknown marks and its configuration. `None`: leave
    /// the attribute out (not set, and null or unknown).
    fn merge(&self, v: Value, unk: Option<&Unk>, cfg: Cfg, hcl: Option<&Value>) -> Option<Value> {
        if unk.is_some_and(Unk::is_unknown) {
            return match cfg {
                Cfg::NotSet => None,
                Cfg::Block(b) => Some(self.config_block(b)),
                _ => Some(self.unknown_leaf(cfg, hcl)),
            };
        }
        // A partly unknown value Terraform left out of `after`.
        let v = match (v, unk) {
            (Value::Null, Some(Unk::List(l))) => Value::List(vec![Value::Null; l.len()]),
            (Value::Null, Some(Unk::Obj(m))) if !m.is_empty() => Value::Object(Map::new()),
            (v, _) => v,
        };
        match v {
            Value::Null => match cfg {
                Cfg::NotSet => None,
                _ => Some(Value::Null),
            },
            Value::List(items) => {
                let n = items.len();
                Some(Value::List(
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(i, it)| {
                            self.merge(it, unk.and_then(|u| u.index(i)), cfg.index(i, n), hcl_index(hcl, i))
                                .unwrap_or(Value::Null)
                        })
                        .collect(),
                ))
            }
            Value::Object(m) => {
                let mut keys: Vec<String> = Vec::new();
                if let Some(Unk::Obj(um)) = unk {
                    keys.extend(um.keys().filter(|k| !m.contains_key(k)).cloned());
                }
                let mut out = Map::new();
                for (k, val) in m.into_iter().chain(keys.into_iter().map(|k| (k, Value::Null))) {
                    let u = unk.and_then(|u| u.key(&k));
                    if let Some(x) = self.merge(val, u, cfg.key(&k), hcl_key(hcl, &k)) {
                        out.insert(k, x);
                    }
                }
                Some(Value::Object(out))
            }
            other => Some(other),
        }
    }

    /// An unknown value: references from its configuration (else from the HCL), and what the
    /// HCL knows of it (partial strings, policy documents).
    fn unknown_leaf(&self, cfg: Cfg, hcl: Option<&Value>) -> Value {
        let refs = match cfg {
            Cfg::Expr(e, elem) => {
                let all = self.resolver.resolve(e, self.steps, self.each, self.key);
                match elem {
                    Some((i, n)) => zip_refs(all, i, n),
                    None => all,
                }
            }
            Cfg::Block(b) => self.resolver.resolve(b, self.steps, self.each, self.key),
            _ => Vec::new(),
        };
        let mut u = Unknown {
            refs,
            ..Default::default()
        };
        if let (Some(src), Some(h)) = (self.hcl, hcl) {
            match src.remap(h) {
                Value::Unknown(hu) => {
                    if u.refs.is_empty() {
                        u.refs = hu.refs;
                    }
                    u.parts = hu.parts;
                    u.json = hu.json;
                }
                s @ Value::String(_)
                    if u.refs
                        .iter()
                        .any(|r| r.address.contains(":data.aws_iam_policy_document.")) =>
                {
                    return s;
                }
                _ => {}
            }
        }
        Value::Unknown(Box::new(u))
    }

    /// A block Terraform knows nothing of yet: its shape and values from the configuration.
    fn config_block(&self, b: &J) -> Value {
        match b {
            J::Array(a) => Value::List(a.iter().map(|body| self.config_body(body)).collect()),
            J::Object(_) => Value::List(vec![self.config_body(b)]),
            _ => Value::unknown(),
        }
    }

    fn config_body(&self, body: &J) -> Value {
        let J::Object(m) = body else { return Value::unknown() };
        let mut out = Map::new();
        for (k, node) in m {
            let v = if is_expr(node) {
                match node.get("constant_value") {
                    Some(c) => Value::from_json(c),
                    None => Value::unknown_with_refs(self.resolver.resolve(node, self.steps, self.each, self.key)),
                }
            } else {
                self.config_block(node)
            };
            out.insert(k.clone(), v);
        }
        Value::Object(out)
    }
}

/// Whether a policy document's JSON value says nothing of its statements (unknown whole, or a
/// document whose statement list is unknown).
fn document_unknown(v: Option<&Value>) -> bool {
    match v {
        None => true,
        Some(Value::Unknown(u)) => match &u.json {
            None => u.parts.is_none(),
            Some(tree) => tree.get_attr("Statement").is_none_or(|s| s.is_unknown()),
        },
        Some(_) => false,
    }
}

/// Policy documents read at apply (they name a value known only then): their statements are in
/// the plan, so their JSON is built from them as for HCL, with what is unknown left unknown,
/// rather than being unknown whole. A document that merges others (`source_policy_documents`,
/// `override_policy_documents` naming another document's `json`) is built once those are, in
/// rounds for chains.
fn merge_policy_documents(mut resources: Vec<Resource>) -> Vec<Resource> {
    const DOC: &str = "aws_iam_policy_document";
    let pending = |r: &Resource| r.mode == Mode::Data && r.rtype == DOC && document_unknown(r.attrs.get("json"));
    for _ in 0..5 {
        let known: HashMap<String, Value> = resources
            .iter()
            .filter(|r| r.mode == Mode::Data && r.rtype == DOC && !pending(r))
            .filter_map(|r| r.attrs.get("json").map(|j| (r.key.clone(), j.clone())))
            .collect();
        let mut changed = false;
        for r in resources.iter_mut().filter(|r| pending(r)) {
            let mut attrs = r.attrs.clone();
            for k in ["source_policy_documents", "override_policy_documents"] {
                if let Some(Value::List(docs)) = attrs.get_mut(k) {
                    for d in docs.iter_mut() {
                        let named = match d {
                            Value::Unknown(u) if u.refs.len() == 1 && u.parts.is_none() && u.json.is_none() => {
                                known.get(&u.refs[0].address).cloned()
                            }
                            _ => None,
                        };
                        if let Some(v) = named {
                            *d = v;
                        }
                    }
                }
            }
            let doc = crate::eval::policy_document(&attrs);
            if !document_unknown(Some(&doc)) {
                r.attrs.insert("json".into(), doc.clone());
                r.attrs.insert("minified_json".into(), doc);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    resources
}

/// For element `i` of an `n`-element list built from references to `n` distinct instances
/// (`[aws_subnet.a.id, aws_subnet.b.id]`), the references of that element; else all.
fn zip_refs(all: Vec<Ref>, i: usize, n: usize) -> Vec<Ref> {
    let mut groups: Vec<&str> = Vec::new();
    for r in &all {
        if !groups.contains(&r.address.as_str()) {
            groups.push(&r.address);
        }
    }
    if groups.len() == n && n > 1 {
        let g = groups[i].to_string();
        all.into_iter().filter(|r| r.address == g).collect()
    } else {
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths() {
        assert_eq!(
            module_of(r#"module.a["x"].module.b.aws_vpc.v[0]"#, "aws_vpc", Mode::Managed),
            r#"module.a["x"].module.b"#
        );
        assert_eq!(module_of("aws_vpc.v", "aws_vpc", Mode::Managed), "");
        assert_eq!(
            module_of(
                "module.m.data.aws_iam_policy_document.d",
                "aws_iam_policy_document",
                Mode::Data
            ),
            "module.m"
        );
    }

    #[test]
    fn zip() {
        let r = |a: &str| Ref {
            address: a.into(),
            attr: "id".into(),
        };
        assert_eq!(zip_refs(vec![r("0:a"), r("0:b")], 1, 2), vec![r("0:b")]);
        assert_eq!(zip_refs(vec![r("0:a"), r("0:b")], 0, 3).len(), 2);
    }
}
