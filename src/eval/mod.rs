//! Terraform evaluation over the hcl-edit AST, with unknown values.
//!
//! One [`Evaluator`] evaluates one root module (a stack) and every module it calls. Values
//! that Terraform only knows after apply (resource ids, ARNs, data sources we do not
//! emulate) are unknown and keep references to the resource they come from. Resources,
//! locals and module calls are evaluated lazily and once each.

pub mod functions;
pub mod strings;
pub mod types;

use crate::model::map::Map;
use crate::model::{
    path_key, AttrMeta, FileId, Location, Mode, OpaqueModule, Origin, Provenance, ResInst, Resource, Value,
};
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{Attribute, Block, Body};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::Span;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use strings::{concat, unknown_from};

type EResult = Result<Value, ()>;

/// One instance of an expanded block: `count.index`, `each.key`/`each.value`, address.
type Instance = (Option<Value>, Option<(Value, Value)>, String);

/// A resource or data block of a module.
pub struct ResBlock<'a> {
    pub mode: Mode,
    pub rtype: String,
    pub name: String,
    pub block: &'a Block,
    pub file: FileId,
}

/// The declarations of one module directory.
#[derive(Default)]
pub struct ModuleDef<'a> {
    pub dir: PathBuf,
    pub variables: BTreeMap<String, (&'a Block, FileId)>,
    pub locals: HashMap<String, (&'a Attribute, FileId)>,
    pub resources: Vec<ResBlock<'a>>,
    pub res_index: HashMap<(Mode, String, String), usize>,
    pub modules: Vec<(&'a Block, FileId)>,
    pub outputs: HashMap<String, (&'a Block, FileId)>,
    pub provider_region: Option<(&'a Expression, FileId)>,
    /// The first file of the module (for findings with no better place).
    pub first_file: Option<FileId>,
}

impl<'a> ModuleDef<'a> {
    pub fn add_file(&mut self, body: &'a Body, file: FileId) {
        if self.first_file.is_none() {
            self.first_file = Some(file);
        }
        for block in body.blocks() {
            let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
            match (block.ident.as_str(), labels.as_slice()) {
                ("resource", [t, n]) | ("data", [t, n]) => {
                    let mode = if block.ident.as_str() == "resource" {
                        Mode::Managed
                    } else {
                        Mode::Data
                    };
                    self.res_index
                        .insert((mode, t.to_string(), n.to_string()), self.resources.len());
                    self.resources.push(ResBlock {
                        mode,
                        rtype: t.to_string(),
                        name: n.to_string(),
                        block,
                        file,
                    });
                }
                ("variable", [n]) => {
                    self.variables.insert(n.to_string(), (block, file));
                }
                ("output", [n]) => {
                    self.outputs.insert(n.to_string(), (block, file));
                }
                ("module", [_]) => self.modules.push((block, file)),
                ("locals", []) => {
                    for a in block.body.attributes() {
                        self.locals.insert(a.key.as_str().to_string(), (a, file));
                    }
                }
                ("provider", ["aws"]) => {
                    let aliased = block.body.attributes().any(|a| a.key.as_str() == "alias");
                    if !aliased {
                        if let Some(r) = block.body.attributes().find(|a| a.key.as_str() == "region") {
                            self.provider_region = Some((&r.value, file));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Local module sources of this module's calls, resolved to directories.
    pub fn local_calls(&self) -> Vec<PathBuf> {
        self.modules
            .iter()
            .filter_map(|(b, _)| literal_attr(&b.body, "source"))
            .filter(|s| is_local_source(s))
            .map(|s| normalize(&self.dir.join(s)))
            .collect()
    }
}

pub fn literal_attr(body: &Body, name: &str) -> Option<String> {
    body.attributes()
        .find(|a| a.key.as_str() == name)
        .and_then(|a| a.value.as_str().map(str::to_string))
}

pub fn is_local_source(s: &str) -> bool {
    s.starts_with("./") || s.starts_with("../") || s.starts_with(".\\") || s.starts_with("..\\")
}

/// Lexical path normalization (no filesystem access).
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// What evaluating a stack produced.
#[derive(Default)]
pub struct Output {
    pub resources: Vec<Resource>,
    pub opaque: Vec<OpaqueModule>,
    /// The `module` block of every module instance, by key (`<stack>:module.a["x"]`).
    pub calls: Vec<(String, Location)>,
}

pub struct Evaluator<'a> {
    pub defs: &'a HashMap<PathBuf, ModuleDef<'a>>,
    pub allowed_roots: &'a [PathBuf],
    /// Stack id, prefixed to resource keys so stacks never mix.
    pub stack: usize,
    pub root_dir: PathBuf,
    /// `.terraform/modules/modules.json`: call key (`a.b`) → directory.
    pub modules_json: HashMap<String, PathBuf>,
    out: RefCell<Output>,
    instances: RefCell<Vec<Rc<ModInst<'a>>>>,
}

enum Memo {
    InProgress,
    Done(Value),
}

pub struct ModInst<'a> {
    def: &'a ModuleDef<'a>,
    /// Module instance path: `module.a["x"].module.b`, empty at the root.
    path: String,
    /// Call key for modules.json: `a.b`.
    call_key: String,
    vars: HashMap<String, Value>,
    unknown_expansion: bool,
    region: Value,
    locals: RefCell<HashMap<String, Memo>>,
    res: RefCell<HashMap<usize, Memo>>,
    calls: RefCell<HashMap<usize, Memo>>,
}

#[derive(Clone)]
struct Scope<'m, 'a> {
    mi: &'m ModInst<'a>,
    count: Option<Value>,
    each: Option<(Value, Value)>,
    vars: Vec<(String, Value)>,
    /// Inside `templatefile`: only these variables exist.
    template_only: bool,
}

impl<'m, 'a> Scope<'m, 'a> {
    fn new(mi: &'m ModInst<'a>) -> Self {
        Scope {
            mi,
            count: None,
            each: None,
            vars: Vec::new(),
            template_only: false,
        }
    }
    fn with_var(&self, name: &str, v: Value) -> Self {
        let mut s = self.clone();
        s.vars.push((name.to_string(), v));
        s
    }
    fn lookup(&self, name: &str) -> Option<&Value> {
        self.vars.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

fn loc(file: FileId, span: Option<std::ops::Range<usize>>) -> Location {
    Location {
        file,
        span: span.unwrap_or(0..0),
    }
}

/// The header of a block: from its identifier to the end of its last label.
pub fn block_header_span(b: &Block) -> Option<std::ops::Range<usize>> {
    let start = b.ident.span().or_else(|| b.span())?.start;
    let end = b
        .labels
        .last()
        .and_then(|l| l.span())
        .or_else(|| b.ident.span())
        .map(|s| s.end)?;
    Some(start..end)
}

fn index_key(v: &Value) -> String {
    match v {
        Value::Number(n) => crate::model::value::format_number(*n),
        Value::String(s) => format!("{s:?}"),
        other => other.display(),
    }
}

const META_ARGS: &[&str] = &["count", "for_each", "provider", "depends_on"];
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

impl<'a> Evaluator<'a> {
    pub fn new(
        defs: &'a HashMap<PathBuf, ModuleDef<'a>>,
        allowed_roots: &'a [PathBuf],
        stack: usize,
        root_dir: PathBuf,
        modules_json: HashMap<String, PathBuf>,
    ) -> Self {
        Evaluator {
            defs,
            allowed_roots,
            stack,
            root_dir,
            modules_json,
            out: RefCell::new(Output::default()),
            instances: RefCell::new(Vec::new()),
        }
    }

    fn key(&self, address: &str) -> String {
        format!("{}:{}", self.stack, address)
    }

    /// Evaluate the root module with the given variable values, and everything it calls.
    pub fn run(self, root_vars: HashMap<String, Value>) -> Output {
        let Some(def) = self.defs.get(&self.root_dir) else {
            return Output::default();
        };
        let vars = self.bind_vars(def, root_vars);
        let mut root = ModInst {
            def,
            path: String::new(),
            call_key: String::new(),
            vars,
            unknown_expansion: false,
            region: Value::unknown(),
            locals: RefCell::default(),
            res: RefCell::default(),
            calls: RefCell::default(),
        };
        root.region = match def.provider_region {
            Some((e, _)) => self.eval(e, &Scope::new(&root)).unwrap_or_else(|_| Value::unknown()),
            None => Value::unknown(),
        };
        let root = Rc::new(root);
        self.instances.borrow_mut().push(root);
        // Force every resource and module call of every instance; calls add instances.
        let mut i = 0;
        loop {
            let mi = match self.instances.borrow().get(i) {
                Some(m) => m.clone(),
                None => break,
            };
            for idx in 0..mi.def.resources.len() {
                self.resource_value(&mi, idx);
            }
            for idx in 0..mi.def.modules.len() {
                self.module_value(&mi, idx);
            }
            i += 1;
        }
        self.out.into_inner()
    }

    /// The value of each variable: the one given (module argument, `.tfvars`), else the
    /// default, converted to the variable's type (optional object attributes get their
    /// defaults). A null argument overrides the default unless the variable is
    /// `nullable = false`, as in Terraform.
    fn bind_vars(&self, def: &ModuleDef, given: HashMap<String, Value>) -> HashMap<String, Value> {
        let mut vars = HashMap::new();
        for (name, (block, _)) in &def.variables {
            let attr = |k: &str| block.body.attributes().find(|a| a.key.as_str() == k);
            let default = || attr("default").map(|a| self.eval_const(&a.value));
            let nullable = attr("nullable")
                .map(|a| self.eval_const(&a.value).as_bool() != Some(false))
                .unwrap_or(true);
            let v = match given.get(name) {
                None => default().unwrap_or_else(Value::unknown),
                Some(Value::Null) if !nullable => default().unwrap_or(Value::Null),
                Some(v) => v.clone(),
            };
            let v = match attr("type") {
                Some(t) => types::apply(v, &types::parse(&t.value, &|e| self.eval_const(e))),
                None => v,
            };
            vars.insert(name.clone(), v);
        }
        vars
    }

    fn eval_const(&self, e: &Expression) -> Value {
        const_value(e)
    }
    fn _unused(&self) {}
}

/// Evaluate an expression that may only use literals and functions (variable defaults, tfvars).
pub fn const_value(e: &Expression) -> Value {
    let defs = HashMap::new();
    let ev = Evaluator::new(&defs, &[], 0, PathBuf::new(), HashMap::new());
    {
        let def = ModuleDef::default();
        let mi = ModInst {
            def: &def,
            path: String::new(),
            call_key: String::new(),
            vars: HashMap::new(),
            unknown_expansion: false,
            region: Value::unknown(),
            locals: RefCell::default(),
            res: RefCell::default(),
            calls: RefCell::default(),
        };
        ev.eval(e, &Scope::new(&mi)).unwrap_or_else(|_| Value::unknown())
    }
}

impl<'a> Evaluator<'a> {
    fn file_ctx<'s>(&'s self, mi: &'s ModInst) -> functions::FileCtx<'s> {
        functions::FileCtx {
            module_dir: &mi.def.dir,
            allowed_roots: self.allowed_roots,
        }
    }

    // ---- resources ----------------------------------------------------------------------

    fn resource_value(&self, mi: &ModInst<'a>, idx: usize) -> Value {
        let rb = &mi.def.resources[idx];
        let base = {
            let mut b = String::new();
            if !mi.path.is_empty() {
                b.push_str(&mi.path);
                b.push('.');
            }
            if rb.mode == Mode::Data {
                b.push_str("data.");
            }
            b.push_str(&rb.rtype);
            b.push('.');
            b.push_str(&rb.name);
            b
        };
        match mi.res.borrow().get(&idx) {
            Some(Memo::Done(v)) => return v.clone(),
            Some(Memo::InProgress) => return Value::unknown_ref(&self.key(&base), ""),
            None => {}
        }
        mi.res.borrow_mut().insert(idx, Memo::InProgress);
        let v = self.expand_resource(mi, rb, &base);
        mi.res.borrow_mut().insert(idx, Memo::Done(v.clone()));
        v
    }

    fn expand_resource(&self, mi: &ModInst<'a>, rb: &ResBlock<'a>, base: &str) -> Value {
        let body = &rb.block.body;
        let scope = Scope::new(mi);
        let count = body.attributes().find(|a| a.key.as_str() == "count");
        let for_each = body.attributes().find(|a| a.key.as_str() == "for_each");
        let mut instances: Vec<Instance> = Vec::new();
        let mut unknown = mi.unknown_expansion;
        let shape;
        if let Some(c) = count {
            match self.eval(&c.value, &scope) {
                Ok(Value::Number(n)) => {
                    for i in 0..(n.max(0.0) as usize).min(10_000) {
                        instances.push((Some(Value::Number(i as f64)), None, format!("{base}[{i}]")));
                    }
                    shape = 1;
                }
                Ok(Value::Bool(b)) => {
                    // count = var.enabled (a bool converts to 0/1 in HCL? no: error) – treat 1/0.
                    if b {
                        instances.push((Some(Value::Number(0.0)), None, format!("{base}[0]")));
                    }
                    shape = 1;
                }
                _ => {
                    unknown = true;
                    instances.push((Some(Value::unknown()), None, base.to_string()));
                    shape = 3;
                }
            }
        } else if let Some(fe) = for_each {
            match self
                .eval(&fe.value, &scope)
                .ok()
                .and_then(|v| for_each_instances(v, base))
            {
                Some(list) => {
                    for (k, v, addr) in list {
                        instances.push((None, Some((k, v)), addr));
                    }
                    shape = 2;
                }
                None => {
                    unknown = true;
                    instances.push((None, Some((Value::unknown(), Value::unknown())), base.to_string()));
                    shape = 3;
                }
            }
        } else {
            instances.push((None, None, base.to_string()));
            shape = 0;
        }

        let mut values: Vec<(Option<(Value, Value)>, Value)> = Vec::new();
        for (count, each, address) in instances {
            let mut sc = Scope::new(mi);
            sc.count = count;
            sc.each = each.clone();
            let mut attrs = Map::new();
            let mut meta = Map::new();
            self.eval_body(body, &sc, rb.file, &[], &mut attrs, &mut meta, true);
            self.emulate(mi, rb, &address, &mut attrs);
            let key = self.key(&address);
            let res = Resource {
                mode: rb.mode,
                rtype: rb.rtype.clone(),
                name: rb.name.clone(),
                address: address.clone(),
                key: key.clone(),
                module: mi.path.clone(),
                origin: Origin::Hcl,
                loc: loc(rb.file, block_header_span(rb.block)),
                instances_unknown: unknown,
                attrs: attrs.clone(),
                meta,
                arn: None,
            };
            self.out.borrow_mut().resources.push(res);
            values.push((each, Value::Resource(Arc::new(ResInst { address: key, attrs }))));
        }
        match shape {
            0 => values.pop().map(|(_, v)| v).unwrap_or(Value::Null),
            1 => Value::List(values.into_iter().map(|(_, v)| v).collect()),
            2 => Value::Object(
                values
                    .into_iter()
                    .filter_map(|(e, v)| Some((e?.0.to_display_string()?, v)))
                    .collect(),
            ),
            _ => Value::unknown_ref(&self.key(base), ""),
        }
    }

    /// Computed attributes sagelint knows without the provider.
    fn emulate(&self, mi: &ModInst<'a>, rb: &ResBlock<'a>, address: &str, attrs: &mut Map<Value>) {
        let key = self.key(address);
        let region = mi.region.clone();
        match (rb.mode, rb.rtype.as_str()) {
            (Mode::Data, "aws_region") => {
                let r = match attrs.get("name").or_else(|| attrs.get("region")) {
                    Some(v) if !v.is_null() => v.clone(),
                    _ => region,
                };
                if !r.is_unknown() {
                    for k in ["name", "region", "id"] {
                        attrs.insert(k.into(), r.clone());
                    }
                }
            }
            (Mode::Data, "aws_vpc_endpoint_service") => {
                if matches!(attrs.get("service_name"), None | Some(Value::Null)) {
                    if let Some(svc) = attrs.get("service").cloned().filter(|v| !v.is_null()) {
                        let region_part = if region.is_unknown() {
                            Value::unknown_ref(&key, "region")
                        } else {
                            region
                        };
                        let name = concat(&[Value::str("com.amazonaws."), region_part, Value::str("."), svc]);
                        attrs.insert("service_name".into(), name);
                    }
                }
            }
            (Mode::Data, "aws_iam_policy") => {
                if matches!(attrs.get("arn"), None | Some(Value::Null)) {
                    if let Some(Value::String(n)) = attrs.get("name").cloned() {
                        let path = match attrs.get("path_prefix") {
                            Some(Value::String(p)) => p.trim_matches('/').to_string() + "/",
                            _ => String::new(),
                        };
                        let arn = Value::Unknown(Box::new(crate::model::Unknown {
                            refs: vec![crate::model::Ref {
                                address: key.clone(),
                                attr: "arn".into(),
                            }],
                            parts: Some(vec![
                                crate::model::Part::Lit("arn:".into()),
                                crate::model::Part::Hole,
                                crate::model::Part::Lit(format!(":iam::aws:policy/{path}{n}")),
                            ]),
                            json: None,
                        }));
                        attrs.insert("arn".into(), arn);
                    }
                }
            }
            (Mode::Data, "aws_iam_policy_document") => {
                let doc = policy_document(attrs);
                attrs.insert("json".into(), doc.clone());
                attrs.insert("minified_json".into(), doc);
            }
            (Mode::Managed, "aws_iam_role") => {
                if let Some(n @ Value::String(_)) = attrs.get("name").cloned() {
                    attrs.insert("id".into(), n.clone());
                    let path = match attrs.get("path") {
                        Some(Value::String(p)) => p.clone(),
                        _ => "/".into(),
                    };
                    let arn = Value::Unknown(Box::new(crate::model::Unknown {
                        refs: vec![crate::model::Ref {
                            address: key.clone(),
                            attr: "arn".into(),
                        }],
                        parts: Some(vec![
                            crate::model::Part::Lit("arn:".into()),
                            crate::model::Part::Hole,
                            crate::model::Part::Lit(":iam::".into()),
                            crate::model::Part::Hole,
                            crate::model::Part::Lit(format!(":role{path}{}", n.as_str().unwrap_or(""))),
                        ]),
                        json: None,
                    }));
                    attrs.insert("arn".into(), arn);
                }
            }
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_body(
        &self,
        body: &Body,
        scope: &Scope<'_, 'a>,
        file: FileId,
        prefix: &[String],
        attrs: &mut Map<Value>,
        meta: &mut Map<AttrMeta>,
        top: bool,
    ) {
        let path_of = |name: &str| {
            let mut segs: Vec<&str> = prefix.iter().map(String::as_str).collect();
            segs.push(name);
            path_key(&segs)
        };
        for a in body.attributes() {
            let k = a.key.as_str();
            if top && META_ARGS.contains(&k) {
                continue;
            }
            let v = self.eval(&a.value, scope).unwrap_or_else(|_| Value::unknown());
            attrs.insert(k.to_string(), v);
            meta.insert(
                path_of(k),
                AttrMeta {
                    loc: loc(file, a.span()),
                    prov: Provenance::Explicit,
                },
            );
        }
        for b in body.blocks() {
            let ident = b.ident.as_str();
            if top && META_BLOCKS.contains(&ident) {
                continue;
            }
            if ident == "dynamic" {
                let Some(label) = b.labels.first().map(|l| l.as_str().to_string()) else {
                    continue;
                };
                let iter_name = b
                    .body
                    .attributes()
                    .find(|a| a.key.as_str() == "iterator")
                    .and_then(|a| a.value.as_variable().map(|i| i.as_str().to_string()))
                    .unwrap_or_else(|| label.clone());
                let fe = b.body.attributes().find(|a| a.key.as_str() == "for_each");
                let content = b.body.blocks().find(|c| c.ident.as_str() == "content");
                let (Some(fe), Some(content)) = (fe, content) else {
                    continue;
                };
                let items: Option<Vec<(Value, Value)>> = match self.eval(&fe.value, scope) {
                    Ok(Value::Object(m)) => Some(m.into_iter().map(|(k, v)| (Value::str(k), v)).collect()),
                    Ok(Value::List(l)) if !l.iter().any(Value::is_unknown) => Some(
                        l.into_iter()
                            .enumerate()
                            .map(|(i, v)| (Value::Number(i as f64), v))
                            .collect(),
                    ),
                    Ok(Value::Null) => Some(vec![]),
                    _ => None,
                };
                match items {
                    Some(items) => {
                        for (k, v) in items {
                            let mut it = Map::new();
                            it.insert("key".to_string(), k);
                            it.insert("value".to_string(), v);
                            let sc = scope.with_var(&iter_name, Value::Object(it));
                            self.push_block(&content.body, &sc, file, prefix, &label, b, attrs, meta);
                        }
                        attrs.entry(label).or_insert_with(|| Value::List(vec![]));
                    }
                    None => {
                        attrs.insert(label.clone(), unknown_from([&Value::Null]));
                        meta.entry(path_of(&label)).or_insert(AttrMeta {
                            loc: loc(file, block_header_span(b)),
                            prov: Provenance::Explicit,
                        });
                    }
                }
                continue;
            }
            self.push_block(&b.body, scope, file, prefix, ident, b, attrs, meta);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push_block(
        &self,
        body: &Body,
        scope: &Scope<'_, 'a>,
        file: FileId,
        prefix: &[String],
        name: &str,
        header: &Block,
        attrs: &mut Map<Value>,
        meta: &mut Map<AttrMeta>,
    ) {
        let list = attrs.entry(name.to_string()).or_insert_with(|| Value::List(vec![]));
        let idx = match list {
            Value::List(l) => l.len(),
            _ => return,
        };
        let mut p = prefix.to_vec();
        p.push(name.to_string());
        p.push(idx.to_string());
        let mut inner = Map::new();
        self.eval_body(body, scope, file, &p, &mut inner, meta, false);
        let segs: Vec<&str> = p.iter().map(String::as_str).collect();
        meta.insert(
            path_key(&segs),
            AttrMeta {
                loc: loc(file, block_header_span(header)),
                prov: Provenance::Explicit,
            },
        );
        if let Some(Value::List(l)) = attrs.get_mut(name) {
            l.push(Value::Object(inner));
        }
    }

    // ---- modules ------------------------------------------------------------------------

    fn module_value(&self, mi: &Rc<ModInst<'a>>, idx: usize) -> Value {
        match mi.calls.borrow().get(&idx) {
            Some(Memo::Done(v)) => return v.clone(),
            Some(Memo::InProgress) => return Value::unknown(),
            None => {}
        }
        mi.calls.borrow_mut().insert(idx, Memo::InProgress);
        let v = self.expand_module(mi, idx);
        mi.calls.borrow_mut().insert(idx, Memo::Done(v.clone()));
        v
    }

    fn expand_module(&self, mi: &ModInst<'a>, idx: usize) -> Value {
        let (block, file) = mi.def.modules[idx];
        let name = block.labels.first().map(|l| l.as_str()).unwrap_or("");
        let base = if mi.path.is_empty() {
            format!("module.{name}")
        } else {
            format!("{}.module.{name}", mi.path)
        };
        let call_key = if mi.call_key.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", mi.call_key)
        };
        let source = literal_attr(&block.body, "source").unwrap_or_default();
        let child_dir = if is_local_source(&source) {
            Some(normalize(&mi.def.dir.join(&source)))
        } else {
            self.modules_json.get(&call_key).cloned()
        };
        let def = child_dir.as_ref().and_then(|d| self.defs.get(d));
        let scope = Scope::new(mi);
        // Expansion.
        let mut instances: Vec<Instance> = Vec::new();
        let mut unknown = mi.unknown_expansion;
        let mut shape = 0;
        let count = block.body.attributes().find(|a| a.key.as_str() == "count");
        let for_each = block.body.attributes().find(|a| a.key.as_str() == "for_each");
        if let Some(c) = count {
            shape = 1;
            match self.eval(&c.value, &scope) {
                Ok(Value::Number(n)) => {
                    for i in 0..(n.max(0.0) as usize).min(1000) {
                        instances.push((Some(Value::Number(i as f64)), None, format!("{base}[{i}]")));
                    }
                }
                _ => {
                    unknown = true;
                    shape = 3;
                    instances.push((Some(Value::unknown()), None, base.clone()));
                }
            }
        } else if let Some(fe) = for_each {
            shape = 2;
            match self
                .eval(&fe.value, &scope)
                .ok()
                .and_then(|v| for_each_instances(v, &base))
            {
                Some(list) => {
                    for (k, v, addr) in list {
                        instances.push((None, Some((k, v)), addr));
                    }
                }
                None => {
                    unknown = true;
                    shape = 3;
                    instances.push((None, Some((Value::unknown(), Value::unknown())), base.clone()));
                }
            }
        } else {
            instances.push((None, None, base.clone()));
        }
        let mut values = Vec::new();
        for (count, each, path) in instances {
            let mut sc = Scope::new(mi);
            sc.count = count;
            sc.each = each.clone();
            self.out
                .borrow_mut()
                .calls
                .push((self.key(&path), loc(file, block_header_span(block))));
            let mut inputs = Map::new();
            for a in block.body.attributes() {
                let k = a.key.as_str();
                if matches!(
                    k,
                    "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
                ) {
                    continue;
                }
                inputs.insert(
                    k.to_string(),
                    self.eval(&a.value, &sc).unwrap_or_else(|_| Value::unknown()),
                );
            }
            let value = match def {
                Some(def) => {
                    let vars = self.bind_vars(def, inputs.into_iter().collect());
                    let child = Rc::new(ModInst {
                        def,
                        path: path.clone(),
                        call_key: call_key.clone(),
                        vars,
                        unknown_expansion: unknown,
                        region: mi.region.clone(),
                        locals: RefCell::default(),
                        res: RefCell::default(),
                        calls: RefCell::default(),
                    });
                    self.instances.borrow_mut().push(child.clone());
                    let mut outs = Map::new();
                    for (oname, (oblock, _)) in &def.outputs {
                        let v = oblock
                            .body
                            .attributes()
                            .find(|a| a.key.as_str() == "value")
                            .map(|a| {
                                self.eval(&a.value, &Scope::new(&child))
                                    .unwrap_or_else(|_| Value::unknown())
                            })
                            .unwrap_or(Value::Null);
                        outs.insert(oname.clone(), v);
                    }
                    Value::Object(outs)
                }
                None => {
                    self.out.borrow_mut().opaque.push(OpaqueModule {
                        address: path.clone(),
                        source: source.clone(),
                        loc: loc(file, block_header_span(block)),
                        inputs,
                    });
                    Value::unknown_ref(&self.key(&path), "")
                }
            };
            values.push((each, value));
        }
        match shape {
            0 => values.pop().map(|(_, v)| v).unwrap_or(Value::Null),
            1 => Value::List(values.into_iter().map(|(_, v)| v).collect()),
            2 => Value::Object(
                values
                    .into_iter()
                    .filter_map(|(e, v)| Some((e?.0.to_display_string()?, v)))
                    .collect(),
            ),
            _ => Value::unknown_ref(&self.key(&base), ""),
        }
    }

    // ---- expressions --------------------------------------------------------------------

    fn local(&self, mi: &ModInst<'a>, name: &str) -> EResult {
        match mi.locals.borrow().get(name) {
            Some(Memo::Done(v)) => return Ok(v.clone()),
            Some(Memo::InProgress) => return Ok(Value::unknown()),
            None => {}
        }
        let Some((attr, _)) = mi.def.locals.get(name) else {
            return Err(());
        };
        mi.locals.borrow_mut().insert(name.to_string(), Memo::InProgress);
        let v = self
            .eval(&attr.value, &Scope::new(mi))
            .unwrap_or_else(|_| Value::unknown());
        mi.locals.borrow_mut().insert(name.to_string(), Memo::Done(v.clone()));
        Ok(v)
    }

    fn find_instance(&self, mi: &ModInst<'a>) -> Option<Rc<ModInst<'a>>> {
        self.instances
            .borrow()
            .iter()
            .find(|m| std::ptr::eq(m.as_ref(), mi))
            .cloned()
    }

    /// Evaluate a traversal rooted at a variable: resolves the namespaces (`var`, `local`,
    /// `module`, `data`, resource types) and returns the value and the operators still to apply.
    fn eval_root<'o>(
        &self,
        name: &str,
        ops: &'o [hcl_edit::Decorated<TraversalOperator>],
        scope: &Scope<'_, 'a>,
    ) -> Result<(Value, &'o [hcl_edit::Decorated<TraversalOperator>]), ()> {
        if let Some(v) = scope.lookup(name) {
            return Ok((v.clone(), ops));
        }
        if scope.template_only {
            return Err(());
        }
        let attr = |i: usize| match ops.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(id)) => Some(id.as_str()),
            _ => None,
        };
        let mi = scope.mi;
        match name {
            "var" => {
                let n = attr(0).ok_or(())?;
                Ok((mi.vars.get(n).cloned().unwrap_or_else(Value::unknown), &ops[1..]))
            }
            "local" => {
                let n = attr(0).ok_or(())?;
                Ok((self.local(mi, n).unwrap_or_else(|_| Value::unknown()), &ops[1..]))
            }
            "count" => Ok((
                scope.count.clone().unwrap_or_else(Value::unknown),
                &ops[1.min(ops.len())..],
            )),
            "each" => {
                let (k, v) = scope.each.clone().unwrap_or((Value::unknown(), Value::unknown()));
                match attr(0) {
                    Some("key") => Ok((k, &ops[1..])),
                    Some("value") => Ok((v, &ops[1..])),
                    _ => Err(()),
                }
            }
            "path" => {
                let v = match attr(0) {
                    Some("module") => Value::str(mi.def.dir.to_string_lossy().into_owned()),
                    Some("root") => Value::str(self.root_dir.to_string_lossy().into_owned()),
                    Some("cwd") => Value::str(
                        std::env::current_dir()
                            .map(|d| d.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    ),
                    _ => return Err(()),
                };
                Ok((v, &ops[1..]))
            }
            "terraform" => match attr(0) {
                Some("workspace") => Ok((Value::str("default"), &ops[1..])),
                _ => Ok((Value::unknown(), &ops[1.min(ops.len())..])),
            },
            "self" => Ok((Value::unknown(), &[])),
            "module" => {
                let n = attr(0).ok_or(())?;
                let idx = mi
                    .def
                    .modules
                    .iter()
                    .position(|(b, _)| b.labels.first().map(|l| l.as_str()) == Some(n))
                    .ok_or(())?;
                let rc = self.find_instance(mi).ok_or(())?;
                Ok((self.module_value(&rc, idx), &ops[1..]))
            }
            "data" => {
                let t = attr(0).ok_or(())?;
                let n = attr(1).ok_or(())?;
                let idx = *mi
                    .def
                    .res_index
                    .get(&(Mode::Data, t.to_string(), n.to_string()))
                    .ok_or(())?;
                Ok((self.resource_value(mi, idx), &ops[2..]))
            }
            t => {
                let n = attr(0).ok_or(())?;
                match mi.def.res_index.get(&(Mode::Managed, t.to_string(), n.to_string())) {
                    Some(&idx) => Ok((self.resource_value(mi, idx), &ops[1..])),
                    None => Err(()),
                }
            }
        }
    }

    fn eval(&self, e: &Expression, scope: &Scope<'_, 'a>) -> EResult {
        Ok(match e {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => Value::Number(n.value().as_f64().unwrap_or(0.0)),
            Expression::String(s) => Value::str(s.value().clone()),
            Expression::Array(a) => Value::List(a.iter().map(|x| self.eval(x, scope)).collect::<Result<_, _>>()?),
            Expression::Object(o) => {
                let mut m = Map::new();
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(id) => id.as_str().to_string(),
                        ObjectKey::Expression(Expression::Variable(id)) => id.as_str().to_string(),
                        ObjectKey::Expression(ke) => match self.eval(ke, scope)?.to_display_string() {
                            Some(s) => s,
                            None => return Ok(unknown_from([&Value::Null])),
                        },
                    };
                    m.insert(key, self.eval(v.expr(), scope)?);
                }
                Value::Object(m)
            }
            Expression::StringTemplate(t) => self.eval_template(t, scope)?,
            Expression::HeredocTemplate(h) => self.eval_template(&h.template, scope)?,
            Expression::Parenthesis(p) => self.eval(p.inner(), scope)?,
            Expression::Variable(v) => {
                let (val, _) = self.eval_root(v.as_str(), &[], scope)?;
                val
            }
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr, scope)?;
                match cond.as_bool() {
                    Some(true) => self.eval(&c.true_expr, scope)?,
                    Some(false) => self.eval(&c.false_expr, scope)?,
                    None => {
                        let t = self.eval(&c.true_expr, scope).unwrap_or_else(|_| Value::unknown());
                        let f = self.eval(&c.false_expr, scope).unwrap_or_else(|_| Value::unknown());
                        if t == f && !cond.is_null() {
                            t
                        } else {
                            Value::unknown()
                        }
                    }
                }
            }
            Expression::FuncCall(f) => self.eval_call(f, scope)?,
            Expression::Traversal(t) => {
                let (base, ops) = match &t.expr {
                    Expression::Variable(v) => self.eval_root(v.as_str(), &t.operators, scope)?,
                    other => (self.eval(other, scope)?, &t.operators[..]),
                };
                self.apply_ops(base, ops, scope)?
            }
            Expression::UnaryOp(u) => {
                let v = self.eval(&u.expr, scope)?;
                match (u.operator.value(), &v) {
                    (_, Value::Unknown(_)) => unknown_from([&v]),
                    (UnaryOperator::Neg, Value::Number(n)) => Value::Number(-n),
                    (UnaryOperator::Not, _) => Value::Bool(!v.as_bool().ok_or(())?),
                    _ => return Err(()),
                }
            }
            Expression::BinaryOp(b) => {
                let l = self.eval(&b.lhs_expr, scope)?;
                let op = *b.operator.value();
                // Short-circuit on known booleans.
                if op == BinaryOperator::And && l.as_bool() == Some(false) {
                    return Ok(Value::Bool(false));
                }
                if op == BinaryOperator::Or && l.as_bool() == Some(true) {
                    return Ok(Value::Bool(true));
                }
                let r = self.eval(&b.rhs_expr, scope)?;
                binary(op, &l, &r)?
            }
            Expression::ForExpr(f) => self.eval_for(f, scope)?,
        })
    }

    fn apply_ops(
        &self,
        mut v: Value,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        scope: &Scope<'_, 'a>,
    ) -> EResult {
        let mut i = 0;
        while i < ops.len() {
            match ops[i].value() {
                TraversalOperator::GetAttr(id) => {
                    v = match &v {
                        Value::Null => return Err(()),
                        Value::List(_) => return Err(()),
                        _ => v.get_attr(id.as_str()).ok_or(())?,
                    };
                }
                TraversalOperator::Index(ie) => {
                    let idx = self.eval(ie, scope)?;
                    v = index(&v, &idx)?;
                }
                TraversalOperator::LegacyIndex(n) => {
                    v = index(&v, &Value::Number(*n.value() as f64))?;
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let full = matches!(ops[i].value(), TraversalOperator::FullSplat(_));
                    // The operators the splat applies to each element.
                    let mut j = i + 1;
                    while j < ops.len() {
                        let op = ops[j].value();
                        let ok = matches!(op, TraversalOperator::GetAttr(_))
                            || (full && matches!(op, TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_)));
                        if !ok {
                            break;
                        }
                        j += 1;
                    }
                    let rest = &ops[i + 1..j];
                    v = match v {
                        Value::List(l) => Value::List(
                            l.into_iter()
                                .map(|x| self.apply_ops(x, rest, scope).unwrap_or_else(|_| Value::unknown()))
                                .collect(),
                        ),
                        Value::Null => Value::List(vec![]),
                        Value::Unknown(_) => unknown_from([&v]),
                        other => Value::List(vec![self.apply_ops(other, rest, scope)?]),
                    };
                    i = j;
                    continue;
                }
            }
            i += 1;
        }
        Ok(v)
    }

    fn eval_call(&self, f: &hcl_edit::expr::FuncCall, scope: &Scope<'_, 'a>) -> EResult {
        let name = f.name.name.as_str();
        if f.name.is_namespaced() {
            return Ok(Value::unknown());
        }
        match name {
            "try" => {
                for a in f.args.iter() {
                    match self.eval(a, scope) {
                        Ok(v) => return Ok(v),
                        Err(()) => continue,
                    }
                }
                return Err(());
            }
            "can" => {
                return Ok(match f.args.iter().next().map(|a| self.eval(a, scope)) {
                    Some(Ok(v)) if v.is_unknown() => Value::unknown(),
                    Some(Ok(_)) => Value::Bool(true),
                    _ => Value::Bool(false),
                })
            }
            "templatefile" => {
                let mut args = f.args.iter();
                let path = args
                    .next()
                    .map(|a| self.eval(a, scope))
                    .transpose()?
                    .unwrap_or(Value::Null);
                let vars = args
                    .next()
                    .map(|a| self.eval(a, scope))
                    .transpose()?
                    .unwrap_or(Value::Null);
                let (Value::String(p), Value::Object(vars)) = (&path, &vars) else {
                    return Ok(unknown_from([&path, &vars]));
                };
                let Some(text) = self.file_ctx(scope.mi).read(p) else {
                    return Ok(Value::unknown());
                };
                let Ok(tpl) = hcl_edit::parser::parse_template(&text) else {
                    return Err(());
                };
                let mut sc = Scope::new(scope.mi);
                sc.template_only = true;
                sc.vars = vars.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
                return self.eval_template(&tpl, &sc);
            }
            _ => {}
        }
        let mut args = Vec::new();
        for a in f.args.iter() {
            args.push(self.eval(a, scope)?);
        }
        if f.args.expand_final() {
            if let Some(Value::List(l)) = args.pop() {
                args.extend(l);
            } else {
                return Ok(unknown_from(&args));
            }
        }
        functions::call(name, args, &self.file_ctx(scope.mi))
    }

    fn eval_template(&self, t: &Template, scope: &Scope<'_, 'a>) -> EResult {
        // A template that is exactly one interpolation is the value itself.
        let elems: Vec<&Element> = t.iter().collect();
        if let [Element::Interpolation(i)] = elems.as_slice() {
            return self.eval(&i.expr, scope);
        }
        let mut pieces = Vec::new();
        for el in elems {
            match el {
                Element::Literal(l) => pieces.push(Value::str(l.value().clone())),
                Element::Interpolation(i) => pieces.push(self.eval(&i.expr, scope)?),
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(ifd) => {
                        let c = self.eval(&ifd.if_expr.cond_expr, scope)?;
                        match c.as_bool() {
                            Some(true) => pieces.push(self.eval_template(&ifd.if_expr.template, scope)?),
                            Some(false) => {
                                if let Some(e) = &ifd.else_expr {
                                    pieces.push(self.eval_template(&e.template, scope)?);
                                }
                            }
                            None => pieces.push(Value::unknown()),
                        }
                    }
                    Directive::For(fd) => {
                        let coll = self.eval(&fd.for_expr.collection_expr, scope)?;
                        let items: Vec<(Value, Value)> = match coll {
                            Value::List(l) => l
                                .into_iter()
                                .enumerate()
                                .map(|(i, v)| (Value::Number(i as f64), v))
                                .collect(),
                            Value::Object(m) => m.into_iter().map(|(k, v)| (Value::str(k), v)).collect(),
                            _ => {
                                pieces.push(Value::unknown());
                                continue;
                            }
                        };
                        for (k, v) in items {
                            let mut sc = scope.with_var(fd.for_expr.value_var.as_str(), v);
                            if let Some(kv) = &fd.for_expr.key_var {
                                sc = sc.with_var(kv.as_str(), k);
                            }
                            pieces.push(self.eval_template(&fd.for_expr.template, &sc)?);
                        }
                    }
                },
            }
        }
        Ok(concat(&pieces))
    }

    fn eval_for(&self, f: &hcl_edit::expr::ForExpr, scope: &Scope<'_, 'a>) -> EResult {
        let coll = self.eval(&f.intro.collection_expr, scope)?;
        let items: Vec<(Value, Value)> = match &coll {
            Value::List(l) => l
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, v)| (Value::Number(i as f64), v))
                .collect(),
            Value::Object(m) => m.iter().map(|(k, v)| (Value::str(k.to_string()), v.clone())).collect(),
            Value::Null => return Err(()),
            _ => return Ok(unknown_from([&coll])),
        };
        let mut list = Vec::new();
        let mut obj: Map<Value> = Map::new();
        let mut grouped: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for (k, v) in items {
            let mut sc = scope.with_var(f.intro.value_var.as_str(), v);
            if let Some(kv) = &f.intro.key_var {
                sc = sc.with_var(kv.as_str(), k);
            }
            if let Some(c) = &f.cond {
                match self.eval(&c.expr, &sc)?.as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return Ok(unknown_from([&coll])),
                }
            }
            let val = self.eval(&f.value_expr, &sc)?;
            match &f.key_expr {
                None => list.push(val),
                Some(ke) => {
                    let Some(key) = self.eval(ke, &sc)?.to_display_string() else {
                        return Ok(unknown_from([&coll]));
                    };
                    if f.grouping {
                        grouped.entry(key).or_default().push(val);
                    } else {
                        obj.insert(key, val);
                    }
                }
            }
        }
        Ok(match &f.key_expr {
            None => Value::List(list),
            Some(_) if f.grouping => Value::Object(grouped.into_iter().map(|(k, v)| (k, Value::List(v))).collect()),
            Some(_) => Value::Object(obj),
        })
    }
}

/// The instances of a `for_each` value: (each.key, each.value, address). `None` when the set
/// of instances is unknown. A set of partly known strings (`"com.amazonaws.${region}.sts"`
/// with an unknown region) still has known instances when every two of its elements differ
/// in a known prefix or suffix: they cannot turn out equal. Their keys keep what is known, and
/// the address shows the unknown parts as `…`.
fn for_each_instances(v: Value, base: &str) -> Option<Vec<(Value, Value, String)>> {
    use crate::model::value::Part;
    let addr = |k: &str| format!("{base}[{}]", index_key(&Value::str(k)));
    match v {
        Value::Object(m) => Some(
            m.into_iter()
                .map(|(k, v)| (Value::str(k.clone()), v, addr(&k)))
                .collect(),
        ),
        Value::List(l) if l.iter().all(|v| v.to_display_string().is_some()) => Some(
            functions_to_set(l)
                .into_iter()
                .map(|v| {
                    let k = v.to_display_string().unwrap_or_default();
                    (Value::str(k.clone()), v, addr(&k))
                })
                .collect(),
        ),
        Value::List(l) if functions::all_distinct(&l) => Some(
            l.into_iter()
                .map(|v| {
                    let shown: String = v
                        .string_parts()
                        .unwrap_or_default()
                        .iter()
                        .map(|x| match x {
                            Part::Lit(s) => s.as_str(),
                            Part::Hole => "…",
                        })
                        .collect();
                    (v.clone(), v, addr(&shown))
                })
                .collect(),
        ),
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

fn functions_to_set(l: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for v in l {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn index(v: &Value, idx: &Value) -> EResult {
    if idx.is_unknown() {
        return Ok(unknown_from([v, idx]));
    }
    match v {
        Value::List(l) => {
            let i = match idx {
                Value::Number(n) => *n as i64,
                Value::String(s) => s.parse().map_err(|_| ())?,
                _ => return Err(()),
            };
            if i < 0 {
                return Err(());
            }
            l.get(i as usize).cloned().ok_or(())
        }
        Value::Object(m) => {
            let k = idx.to_display_string().ok_or(())?;
            m.get(&k).cloned().ok_or(())
        }
        Value::Resource(_) => v.get_attr(&idx.to_display_string().ok_or(())?).ok_or(()),
        Value::Unknown(_) => Ok(unknown_from([v])),
        _ => Err(()),
    }
}

fn binary(op: BinaryOperator, l: &Value, r: &Value) -> EResult {
    use BinaryOperator::*;
    if matches!(op, Eq | NotEq) {
        if l.contains_unknown() || r.contains_unknown() {
            return Ok(unknown_from([l, r]));
        }
        let eq = match (l, r) {
            (Value::Number(a), Value::Number(b)) => a == b,
            _ => l == r,
        };
        return Ok(Value::Bool(if op == Eq { eq } else { !eq }));
    }
    if matches!(op, And | Or) {
        return Ok(match (l.as_bool(), r.as_bool()) {
            (Some(a), Some(b)) => Value::Bool(if op == And { a && b } else { a || b }),
            (_, Some(false)) if op == And => Value::Bool(false),
            (_, Some(true)) if op == Or => Value::Bool(true),
            _ if l.is_unknown() || r.is_unknown() => unknown_from([l, r]),
            _ => return Err(()),
        });
    }
    if l.is_unknown() || r.is_unknown() {
        return Ok(unknown_from([l, r]));
    }
    let num = |v: &Value| match v {
        Value::Number(n) => Ok(*n),
        Value::String(s) => s.parse::<f64>().map_err(|_| ()),
        _ => Err(()),
    };
    let (a, b) = (num(l)?, num(r)?);
    Ok(match op {
        Plus => Value::Number(a + b),
        Minus => Value::Number(a - b),
        Mul => Value::Number(a * b),
        Div => {
            if b == 0.0 {
                return Err(());
            }
            Value::Number(a / b)
        }
        Mod => {
            if b == 0.0 {
                return Err(());
            }
            Value::Number(a % b)
        }
        Less => Value::Bool(a < b),
        LessEq => Value::Bool(a <= b),
        Greater => Value::Bool(a > b),
        GreaterEq => Value::Bool(a >= b),
        _ => return Err(()),
    })
}

/// Emulate `data "aws_iam_policy_document"`: build the policy JSON from its blocks.
pub(crate) fn policy_document(attrs: &Map<Value>) -> Value {
    let mut statements: Vec<Value> = Vec::new();
    let mut unknown_statements = false;
    // Documents merged in first; this document's statements replace same-Sid ones.
    let doc_statements = |v: &Value| -> Option<Vec<Value>> {
        let tree = match v {
            Value::String(s) => Value::from_json(&serde_json::from_str(s).ok()?),
            Value::Unknown(u) => u.json.clone()?,
            _ => return None,
        };
        match tree.get_attr("Statement")? {
            Value::List(l) => Some(l),
            o @ Value::Object(_) => Some(vec![o]),
            _ => None,
        }
    };
    let merge = |list: &mut Vec<Value>, st: Value| {
        let sid = st
            .get_attr("Sid")
            .and_then(|s| s.as_str().map(str::to_string))
            .filter(|s| !s.is_empty());
        if let Some(sid) = sid {
            if let Some(pos) = list
                .iter()
                .position(|x| x.get_attr("Sid").and_then(|s| s.as_str().map(str::to_string)) == Some(sid.clone()))
            {
                list[pos] = st;
                return;
            }
        }
        list.push(st);
    };
    match attrs.get("source_policy_documents") {
        Some(Value::List(docs)) => {
            for d in docs {
                match doc_statements(d) {
                    Some(sts) => sts.into_iter().for_each(|s| merge(&mut statements, s)),
                    None => unknown_statements = true,
                }
            }
        }
        Some(Value::Null) | None => {}
        Some(_) => unknown_statements = true,
    }
    match attrs.get("statement") {
        Some(Value::List(sts)) => {
            for st in sts {
                merge(&mut statements, statement_json(st));
            }
        }
        Some(Value::Null) | None => {}
        Some(_) => unknown_statements = true,
    }
    match attrs.get("override_policy_documents") {
        Some(Value::List(docs)) => {
            for d in docs {
                match doc_statements(d) {
                    Some(sts) => sts.into_iter().for_each(|s| merge(&mut statements, s)),
                    None => unknown_statements = true,
                }
            }
        }
        Some(Value::Null) | None => {}
        Some(_) => unknown_statements = true,
    }
    let mut doc = Map::new();
    doc.insert(
        "Version".to_string(),
        attrs
            .get("version")
            .filter(|v| !v.is_null())
            .cloned()
            .unwrap_or(Value::str("2012-10-17")),
    );
    if let Some(id) = attrs.get("policy_id").filter(|v| !v.is_null()) {
        doc.insert("Id".into(), id.clone());
    }
    doc.insert(
        "Statement".into(),
        if unknown_statements {
            Value::unknown()
        } else {
            Value::List(statements)
        },
    );
    let tree = Value::Object(doc);
    match tree.to_json() {
        Some(j) => Value::str(j.to_string()),
        None => Value::Unknown(Box::new(crate::model::Unknown {
            refs: tree.refs().into_iter().cloned().collect(),
            parts: None,
            json: Some(tree),
        })),
    }
}

fn statement_json(st: &Value) -> Value {
    let mut out = Map::new();
    let get = |k: &str| st.get_attr(k).filter(|v| !v.is_null());
    if let Some(s) = get("sid") {
        out.insert("Sid".into(), s);
    }
    out.insert("Effect".into(), get("effect").unwrap_or(Value::str("Allow")));
    for (k, j) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some(v) = get(k) {
            out.insert(j.into(), v);
        }
    }
    for (k, j) in [("principals", "Principal"), ("not_principals", "NotPrincipal")] {
        match get(k) {
            Some(Value::List(ps)) if !ps.is_empty() => {
                let mut m: Map<Value> = Map::new();
                let mut star = false;
                let mut unknown = false;
                for p in ps {
                    let t = p.get_attr("type").unwrap_or(Value::Null);
                    let ids = p.get_attr("identifiers").unwrap_or(Value::Null);
                    match t.as_str() {
                        Some("*") => star = true,
                        Some(t) => {
                            let entry = m.entry(t.to_string()).or_insert_with(|| Value::List(vec![]));
                            match (entry, ids) {
                                (Value::List(l), Value::List(ids)) => l.extend(ids),
                                (Value::List(l), other) => l.push(other),
                                _ => {}
                            }
                        }
                        None => unknown = true,
                    }
                }
                out.insert(
                    j.into(),
                    if unknown {
                        Value::unknown()
                    } else if star && m.is_empty() {
                        Value::str("*")
                    } else {
                        Value::Object(m)
                    },
                );
            }
            Some(Value::List(_)) | None => {}
            Some(_) => {
                out.insert(j.into(), Value::unknown());
            }
        }
    }
    match get("condition") {
        Some(Value::List(cs)) if !cs.is_empty() => {
            let mut m: Map<Value> = Map::new();
            for c in cs {
                let test = c
                    .get_attr("test")
                    .and_then(|t| t.to_display_string())
                    .unwrap_or_default();
                let var = c
                    .get_attr("variable")
                    .and_then(|t| t.to_display_string())
                    .unwrap_or_default();
                let vals = c.get_attr("values").unwrap_or(Value::Null);
                if let Value::Object(inner) = m.entry(test).or_insert_with(|| Value::Object(Map::new())) {
                    inner.insert(var, vals);
                }
            }
            out.insert("Condition".into(), Value::Object(m));
        }
        Some(Value::List(_)) | None => {}
        Some(_) => {
            out.insert("Condition".into(), Value::unknown());
        }
    }
    Value::Object(out)
}
