//! The one model every input adapter fills and every rule reads.

pub mod defaults;
pub mod map;
pub use map::Map;
pub mod policy;
pub mod source;
pub mod value;

use std::collections::HashMap;
use std::path::PathBuf;

pub use source::{FileId, Location, SourceFile, SourceMap};
pub use value::{Part, Ref, ResInst, Tri, Unknown, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    Managed,
    Data,
}

/// Where a resource's facts came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Hcl,
    Plan,
    State,
    Live,
}

/// How an attribute got its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provenance {
    /// Written in the configuration (or present in the input).
    Explicit,
    /// Not set; the provider default applies (filled in by `defaults`).
    Default,
}

#[derive(Clone, Debug)]
pub struct AttrMeta {
    pub loc: Location,
    pub prov: Provenance,
}

#[derive(Clone, Debug)]
pub struct Resource {
    pub mode: Mode,
    pub rtype: String,
    pub name: String,
    /// Full instance address, matching Terraform: `module.a["x"].aws_vpc_endpoint.e["sts"]`.
    pub address: String,
    /// Unique key in the model (`<stack>:<address>`): several root modules (stacks) may hold
    /// the same address. References ([`Ref`], [`ResInst`]) hold keys.
    pub key: String,
    /// Module instance path (`module.a["x"]`), empty at the root.
    pub module: String,
    pub origin: Origin,
    /// The block (header) of the resource.
    pub loc: Location,
    /// True when `count`/`for_each` (of the resource or an enclosing module) is unknown: this
    /// one entry stands for an unknown number of instances.
    pub instances_unknown: bool,
    /// Attribute values; nested blocks are lists of objects.
    pub attrs: Map<Value>,
    /// Location and provenance per attribute path (see [`path_key`]).
    pub meta: Map<AttrMeta>,
    /// For live input: the ARN, shown as the logical location.
    pub arn: Option<String>,
}

/// Canonical key of an attribute path: segments joined by `.`, block index 0 omitted.
/// `default_user_settings.execution_role`, `ingress.1.from_port`.
pub fn path_key(segs: &[&str]) -> String {
    let mut out = String::new();
    for s in segs {
        if *s == "0" {
            continue;
        }
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(s);
    }
    out
}

impl Resource {
    pub fn is(&self, mode: Mode, rtype: &str) -> bool {
        self.mode == mode && self.rtype == rtype
    }

    /// Value at a dotted path; single nested blocks are stepped through (`a.b` = `a[0].b`).
    pub fn get(&self, path: &str) -> Option<&Value> {
        let mut segs = path.split('.');
        let first = segs.next()?;
        let mut cur = self.attrs.get(first)?;
        for s in segs {
            cur = step(cur, s)?;
        }
        Some(cur)
    }

    /// Value at a path that is null or absent counts as not set.
    pub fn get_set(&self, path: &str) -> Option<&Value> {
        self.get(path).filter(|v| !v.is_null())
    }

    pub fn str(&self, path: &str) -> Option<&str> {
        self.get(path).and_then(Value::as_str)
    }

    pub fn provenance(&self, path: &str) -> Option<Provenance> {
        self.meta.get(path).map(|m| m.prov)
    }

    /// Where to point for an attribute: the attribute itself, else the closest enclosing
    /// block that exists, else the resource block.
    pub fn loc_of(&self, path: &str) -> Location {
        let mut p = path.to_string();
        loop {
            if let Some(m) = self.meta.get(&p) {
                return m.loc.clone();
            }
            match p.rfind('.') {
                Some(i) => p.truncate(i),
                None => return self.loc.clone(),
            }
        }
    }

    /// The instance object other values refer to.
    pub fn as_value(&self) -> Value {
        Value::Resource(std::sync::Arc::new(ResInst {
            address: self.key.clone(),
            attrs: self.attrs.clone(),
        }))
    }

    /// Address without instance keys on the resource itself (`aws_vpc_endpoint.e`).
    pub fn config_address(&self) -> String {
        match self.address.rfind('[') {
            Some(i) if self.address.ends_with(']') && !self.address[i..].contains('.') => self.address[..i].to_string(),
            _ => self.address.clone(),
        }
    }
}

fn step<'a>(v: &'a Value, seg: &str) -> Option<&'a Value> {
    match v {
        Value::Object(m) => m.get(seg),
        Value::List(l) => {
            if let Ok(i) = seg.parse::<usize>() {
                l.get(i)
            } else {
                step(l.first()?, seg)
            }
        }
        Value::Resource(r) => r.attrs.get(seg),
        _ => None,
    }
}

/// A module call whose contents cannot be read (registry module not downloaded, unreadable
/// directory). What it creates is unknown; rules treat anything passed to it as possibly used.
#[derive(Clone, Debug)]
pub struct OpaqueModule {
    pub address: String,
    pub source: String,
    pub loc: Location,
    pub inputs: Map<Value>,
}

/// An input problem: unreadable file, parse error, unsupported JSON. Reported with exit 2.
#[derive(Clone, Debug)]
pub struct InputError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}:{}: {}", self.path, self.line, self.column, self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// The resource graph of everything given on the command line.
#[derive(Default, Debug)]
pub struct Model {
    pub sources: SourceMap,
    pub resources: Vec<Resource>,
    pub opaque_modules: Vec<OpaqueModule>,
    pub errors: Vec<InputError>,
    /// Notices for the user that are not errors (e.g. "no .tf source found for this plan").
    pub notices: Vec<String>,
    /// Number of stacks (root modules, plans, live dumps) loaded so far; each adapter takes
    /// fresh stack ids from here so resource keys never collide across stacks.
    pub stacks: usize,
    /// The root module directory of each HCL stack.
    pub roots: HashMap<usize, PathBuf>,
    /// The `.tf` source directory of each plan/state stack that has one.
    pub source_roots: HashMap<usize, PathBuf>,
    /// The `module` block of each module instance (`<stack>:module.a["x"]`), for HCL input and
    /// plan/state input with source.
    pub module_calls: HashMap<String, Location>,
    by_address: HashMap<String, usize>,
    by_type: HashMap<String, Vec<usize>>,
    /// Resources whose attributes reference a resource key.
    refs_to: HashMap<String, Vec<usize>>,
    /// Resources whose attributes hold a string, by the string's hash.
    strings: HashMap<u64, Vec<usize>>,
    /// Per (type, stack): resources with an unknown value that names nothing resolvable.
    vague: HashMap<(String, usize), Vec<usize>>,
}

fn hash_str(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// The module instance paths an address lies in, outermost first:
/// `module.a["x.y"].module.b.aws_vpc.v` gives `module.a["x.y"]`, `module.a["x.y"].module.b`.
pub fn module_paths(address: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut pos = 0;
    while address[pos..].starts_with("module.") {
        // The end of this segment: the next `.` outside brackets and quotes.
        let (mut depth, mut quoted, mut end) = (0usize, false, address.len());
        let mut chars = address[pos + "module.".len()..].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' if quoted => {
                    chars.next();
                }
                '"' => quoted = !quoted,
                '[' if !quoted => depth += 1,
                ']' if !quoted => depth = depth.saturating_sub(1),
                '.' if !quoted && depth == 0 => {
                    end = pos + "module.".len() + i;
                    break;
                }
                _ => {}
            }
        }
        out.push(&address[..end]);
        if end >= address.len() {
            break;
        }
        pos = end + 1;
    }
    out
}

/// What a reference to a resource attribute stands for when it stands for something else
/// (see `Model::follow_attribute_refs`).
enum Subst {
    /// The resources that attribute is derived from.
    Refs(Vec<Ref>),
    /// Its value, known or partly known.
    Known(Value),
}

/// The substitute for a reference to `rf`, following a chain of single references
/// (subnet -> VPC) a few steps.
fn subst_for(resources: &[Resource], index: &HashMap<&str, usize>, rf: &Ref, depth: usize) -> Option<Subst> {
    let v = resources[*index.get(rf.address.as_str())?].attrs.get(&rf.attr)?;
    match v {
        // Partly known (a policy document with one unknown resource): that value.
        Value::Unknown(u) if u.json.is_some() || u.parts.is_some() => Some(Subst::Known(v.clone())),
        Value::Unknown(u) if !u.refs.is_empty() => {
            let next = &u.refs[0];
            if depth < 5 && u.refs.len() == 1 && !next.attr.is_empty() && next != rf {
                if let Some(further @ Subst::Refs(_)) = subst_for(resources, index, next, depth + 1) {
                    return Some(further);
                }
            }
            Some(Subst::Refs(u.refs.clone()))
        }
        Value::String(_) | Value::Number(_) | Value::Bool(_) => Some(Subst::Known(v.clone())),
        _ => None,
    }
}

/// The stack id of a resource key (`<stack>:<address>`).
pub fn stack_of(key: &str) -> usize {
    key.split_once(':').and_then(|(s, _)| s.parse().ok()).unwrap_or(0)
}

/// What a resource's attributes mention, for the indexes.
#[derive(Default)]
struct Mentions {
    refs: Vec<String>,
    strings: Vec<u64>,
    unresolved: bool,
}

fn collect_mentions(v: &Value, out: &mut Mentions, known: &HashMap<String, usize>) {
    match v {
        Value::String(s) if !s.is_empty() && s.len() <= 4096 => {
            out.strings.push(hash_str(s));
            // A role ARN names the role by its name.
            if let Some(name) = s.strip_prefix("arn:").and_then(|r| r.split(":role/").nth(1)) {
                out.strings.push(hash_str(name.rsplit('/').next().unwrap_or(name)));
            }
        }
        Value::Resource(ri) => out.refs.push(ri.address.clone()),
        Value::Unknown(u) => {
            if u.refs.is_empty() || u.refs.iter().any(|r| !known.contains_key(&r.address)) {
                out.unresolved = true;
            }
            out.refs.extend(u.refs.iter().map(|r| r.address.clone()));
            if let Some(j) = &u.json {
                collect_mentions(j, out, known);
            }
        }
        Value::List(l) => l.iter().for_each(|x| collect_mentions(x, out, known)),
        Value::Object(m) => m.values().for_each(|x| collect_mentions(x, out, known)),
        _ => {}
    }
}

impl Model {
    pub fn add_resource(&mut self, r: Resource) {
        self.resources.push(r);
    }

    /// Apply provider defaults and build the indexes. Called once after all adapters ran.
    pub fn finish(&mut self) {
        for r in &mut self.resources {
            defaults::apply(r);
        }
        self.follow_attribute_refs();
        self.by_address.clear();
        self.by_type.clear();
        self.refs_to.clear();
        self.strings.clear();
        self.vague.clear();
        for (i, r) in self.resources.iter().enumerate() {
            self.by_address.entry(r.key.clone()).or_insert(i);
            let key = match r.mode {
                Mode::Managed => r.rtype.clone(),
                Mode::Data => format!("data.{}", r.rtype),
            };
            self.by_type.entry(key).or_default().push(i);
        }
        for (i, r) in self.resources.iter().enumerate() {
            let mut m = Mentions::default();
            for v in r.attrs.values() {
                collect_mentions(v, &mut m, &self.by_address);
            }
            m.refs.sort();
            m.refs.dedup();
            m.strings.sort_unstable();
            m.strings.dedup();
            for k in m.refs {
                self.refs_to.entry(k).or_default().push(i);
            }
            for h in m.strings {
                self.strings.entry(h).or_default().push(i);
            }
            if m.unresolved {
                self.vague
                    .entry((r.rtype.clone(), stack_of(&r.key)))
                    .or_default()
                    .push(i);
            }
        }
    }

    /// An unknown value that refers to another resource's attribute whose own value is derived
    /// from further resources (`aws_subnet.a.vpc_id`, itself `aws_vpc.main.id` in a plan) refers
    /// to those instead, as the HCL evaluator sees it; a bare reference to an attribute whose
    /// value is known (a state) becomes that value. Attributes the provider computes (`id`,
    /// `arn`: unknown without references, or absent) keep naming their resource.
    fn follow_attribute_refs(&mut self) {
        let index: HashMap<&str, usize> = self
            .resources
            .iter()
            .enumerate()
            .map(|(i, r)| (r.key.as_str(), i))
            .collect();
        let mut subst: HashMap<(String, String), Subst> = HashMap::new();
        let mut wanted: Vec<Ref> = Vec::new();
        fn collect(v: &Value, out: &mut Vec<Ref>) {
            match v {
                Value::Unknown(u) => {
                    out.extend(u.refs.iter().filter(|r| !r.attr.is_empty()).cloned());
                    if let Some(j) = &u.json {
                        collect(j, out);
                    }
                }
                Value::List(l) => l.iter().for_each(|x| collect(x, out)),
                Value::Object(m) => m.values().for_each(|x| collect(x, out)),
                _ => {}
            }
        }
        for r in &self.resources {
            for v in r.attrs.values() {
                collect(v, &mut wanted);
            }
        }
        for rf in wanted {
            if let std::collections::hash_map::Entry::Vacant(e) = subst.entry((rf.address.clone(), rf.attr.clone())) {
                if let Some(sb) = subst_for(&self.resources, &index, &rf, 0) {
                    e.insert(sb);
                }
            }
        }
        if subst.is_empty() {
            return;
        }
        fn apply(v: &mut Value, subst: &HashMap<(String, String), Subst>) {
            match v {
                Value::Unknown(u) => {
                    // A bare reference to a known value is that value.
                    if u.refs.len() == 1 && u.parts.is_none() && u.json.is_none() {
                        if let Some(Subst::Known(k)) = subst.get(&(u.refs[0].address.clone(), u.refs[0].attr.clone())) {
                            *v = k.clone();
                            return;
                        }
                    }
                    let mut refs = Vec::new();
                    for r in std::mem::take(&mut u.refs) {
                        match subst.get(&(r.address.clone(), r.attr.clone())) {
                            Some(Subst::Refs(rs)) => {
                                for x in rs {
                                    if !refs.contains(x) {
                                        refs.push(x.clone());
                                    }
                                }
                            }
                            _ => {
                                if !refs.contains(&r) {
                                    refs.push(r);
                                }
                            }
                        }
                    }
                    u.refs = refs;
                    if let Some(j) = &mut u.json {
                        apply(j, subst);
                    }
                }
                Value::List(l) => l.iter_mut().for_each(|x| apply(x, subst)),
                Value::Object(m) => m.values_mut().for_each(|x| apply(x, subst)),
                _ => {}
            }
        }
        for r in &mut self.resources {
            for v in r.attrs.values_mut() {
                apply(v, &subst);
            }
        }
    }

    /// Resources of `rtype` that may name `target` in some attribute: those that reference it,
    /// those holding one of its known identifiers (id, ARN, name) as a string, and those of the
    /// same stack with an unknown value that names nothing resolvable. Rules decide with
    /// `rules::common::names`; this only narrows the candidates (in resource order).
    pub fn referring<'a>(&'a self, rtype: &str, target: &Resource) -> Vec<&'a Resource> {
        let mut idx: Vec<usize> = Vec::new();
        if let Some(v) = self.refs_to.get(&target.key) {
            idx.extend(v);
        }
        for k in ["id", "arn", "name", "key_id"] {
            if let Some(Value::String(s)) = target.attrs.get(k) {
                if let Some(v) = self.strings.get(&hash_str(s)) {
                    idx.extend(v);
                }
            }
        }
        if let Some(a) = &target.arn {
            if let Some(v) = self.strings.get(&hash_str(a)) {
                idx.extend(v);
            }
        }
        if let Some(v) = self.vague.get(&(rtype.to_string(), stack_of(&target.key))) {
            idx.extend(v);
        }
        idx.sort_unstable();
        idx.dedup();
        idx.into_iter()
            .map(|i| &self.resources[i])
            .filter(|r| r.rtype == rtype)
            .collect()
    }

    /// Resources of one of `types` holding the string `s` in some attribute (candidates for
    /// resolving a known id, ARN or name).
    pub fn holding<'a>(&'a self, types: &[&str], s: &str) -> Vec<&'a Resource> {
        let mut out: Vec<&Resource> = Vec::new();
        let mut hashes = vec![hash_str(s)];
        if let Some(name) = s.strip_prefix("arn:").and_then(|r| r.split(":role/").nth(1)) {
            hashes.push(hash_str(name.rsplit('/').next().unwrap_or(name)));
        }
        for h in hashes {
            for &i in self.strings.get(&h).into_iter().flatten() {
                let r = &self.resources[i];
                if types.contains(&r.rtype.as_str()) && !out.iter().any(|o| std::ptr::eq(*o, r)) {
                    out.push(r);
                }
            }
        }
        out
    }

    /// A resource by key (`<stack>:<address>`), as references name it.
    pub fn resource(&self, key: &str) -> Option<&Resource> {
        self.by_address.get(key).map(|&i| &self.resources[i])
    }

    /// Managed resources of a type (`data.x` for data sources).
    pub fn of_type<'a>(&'a self, rtype: &str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.by_type
            .get(rtype)
            .into_iter()
            .flatten()
            .map(move |&i| &self.resources[i])
    }

    /// Resolve a value that names a resource of one of `types` (by reference, or, when known,
    /// by `id`/`arn`/`name` attribute equality). `No` when the value is known and names no
    /// resource of the scanned configuration; `Unknown` when it cannot be told.
    pub fn resolve<'a>(&'a self, v: &Value, types: &[&str], keys: &[&str]) -> Resolved<'a> {
        match v {
            Value::Null => Resolved::None,
            Value::Resource(ri) => match self.resource(&ri.address) {
                Some(r) if types.contains(&r.rtype.as_str()) => Resolved::Found(r),
                _ => Resolved::Unknown,
            },
            // Derived from resources: found when exactly one resource of the wanted types is
            // behind it. Two (`cond ? aws_iam_role.a.arn : aws_iam_role.b.arn` with an unknown
            // condition, or every instance of a `for_each`) cannot be told apart: unknown.
            Value::Unknown(u) => {
                let mut found: Option<&Resource> = None;
                for rf in &u.refs {
                    if let Some(r) = self.resource(&rf.address) {
                        if types.contains(&r.rtype.as_str()) && r.mode == Mode::Managed {
                            match found {
                                Some(f) if f.key != r.key => return Resolved::Unknown,
                                _ => found = Some(r),
                            }
                        }
                    }
                }
                found.map_or(Resolved::Unknown, Resolved::Found)
            }
            Value::String(s) => {
                for r in self.holding(types, s) {
                    if r.mode == Mode::Managed
                        && keys
                            .iter()
                            .any(|k| r.get(k).and_then(Value::as_str) == Some(s.as_str()))
                    {
                        return Resolved::Found(r);
                    }
                }
                Resolved::External
            }
            _ => Resolved::Unknown,
        }
    }
}

/// Result of resolving a value to a resource.
#[derive(Debug)]
pub enum Resolved<'a> {
    Found(&'a Resource),
    /// A known value that names nothing in the scanned configuration (a variable's literal
    /// id, another stack's resource).
    External,
    /// Cannot be told (unknown without a usable reference).
    Unknown,
    /// Null / not set.
    None,
}

impl<'a> Resolved<'a> {
    pub fn found(self) -> Option<&'a Resource> {
        match self {
            Resolved::Found(r) => Some(r),
            _ => None,
        }
    }
}

/// Severity of a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A rule's result.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static crate::rules::RuleMeta,
    pub severity: Severity,
    pub message: String,
    pub help: String,
    /// Resource address (or ARN for live input).
    pub address: String,
    /// Model key of that resource (`<stack>:<address>`): which configuration it belongs to.
    pub key: String,
    /// The root module directory of that configuration, for HCL input (set by `rules::run`);
    /// empty for plan, state and live input.
    pub root: String,
    /// Attribute path the finding is about (`""` for the block).
    pub attr: String,
    /// The rule's own discriminator (the missing service for SM202).
    pub discriminator: Option<String>,
    pub loc: Location,
    pub related: Vec<(Location, String)>,
}

impl Finding {
    /// Stable identity: rule + address + attribute path + discriminator, never a line number;
    /// with the root module directory for HCL input, so that `dev/` and `prod/` with the same
    /// resource names are two findings.
    pub fn fingerprint(&self) -> String {
        let mut s = format!("{}|{}|{}", self.rule.id, self.address, self.attr);
        if !self.root.is_empty() {
            s = format!("{}|{s}", self.root);
        }
        if let Some(d) = &self.discriminator {
            s.push('|');
            s.push_str(d);
        }
        s
    }
}

/// Resource types whose names the rules use, in one place.
pub mod types {
    pub const DOMAIN: &str = "aws_sagemaker_domain";
    pub const USER_PROFILE: &str = "aws_sagemaker_user_profile";
    pub const NOTEBOOK: &str = "aws_sagemaker_notebook_instance";
    pub const MODEL: &str = "aws_sagemaker_model";
    pub const ROLE: &str = "aws_iam_role";
    pub const VPC: &str = "aws_vpc";
    pub const ENDPOINT: &str = "aws_vpc_endpoint";
    pub const ENDPOINT_PRIVATE_DNS: &str = "aws_vpc_endpoint_private_dns";
}

#[cfg(test)]
mod module_path_tests {
    #[test]
    fn module_paths_of_addresses() {
        assert_eq!(
            super::module_paths(r#"module.a["x.y]"].module.b.aws_vpc.v["k"]"#),
            vec![r#"module.a["x.y]"]"#, r#"module.a["x.y]"].module.b"#]
        );
        assert_eq!(super::module_paths("aws_vpc.v"), Vec::<&str>::new());
        assert_eq!(
            super::module_paths("module.m[0].data.aws_region.r"),
            vec!["module.m[0]"]
        );
    }
}
