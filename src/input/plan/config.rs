//! The plan's `configuration` section and reference resolution: an expression's
//! `references` (through module calls, module outputs, `each`/`count`) to the resource
//! instances they name.

use super::values::{join, segments, Seg};
use crate::model::Ref;
use serde::Deserialize;
use serde_json::Value as J;
use std::collections::{BTreeMap, HashMap};

#[derive(Deserialize, Default, Debug)]
pub struct CfgModule {
    #[serde(default)]
    pub resources: Vec<CfgResource>,
    #[serde(default)]
    pub module_calls: BTreeMap<String, CfgCall>,
    #[serde(default)]
    pub outputs: BTreeMap<String, CfgOutput>,
}

#[derive(Deserialize, Debug)]
pub struct CfgResource {
    /// Module-relative: `aws_x.y`, `data.aws_x.y`.
    pub address: String,
    #[serde(default)]
    pub expressions: serde_json::Map<String, J>,
    #[serde(default)]
    pub count_expression: Option<J>,
    #[serde(default)]
    pub for_each_expression: Option<J>,
}

impl CfgResource {
    pub fn each(&self) -> Option<&J> {
        self.for_each_expression.as_ref().or(self.count_expression.as_ref())
    }
}

#[derive(Deserialize, Debug)]
pub struct CfgCall {
    #[serde(default)]
    pub expressions: serde_json::Map<String, J>,
    #[serde(default)]
    pub count_expression: Option<J>,
    #[serde(default)]
    pub for_each_expression: Option<J>,
    #[serde(default)]
    pub module: CfgModule,
}

#[derive(Deserialize, Debug)]
pub struct CfgOutput {
    #[serde(default)]
    pub expression: Option<J>,
}

#[derive(Deserialize, Default, Debug)]
pub struct Configuration {
    #[serde(default)]
    pub root_module: Option<CfgModule>,
}

/// A module instance path as steps: (call name, instance key with brackets or empty).
pub type Steps = [(String, String)];

pub fn path_of(steps: &Steps) -> String {
    let mut s = String::new();
    for (n, k) in steps {
        if !s.is_empty() {
            s.push('.');
        }
        s.push_str("module.");
        s.push_str(n);
        s.push_str(k);
    }
    s
}

/// Whether a configuration node is an expression (`constant_value`/`references`, or `{}`
/// for an expression that is neither) rather than a nested block body.
pub fn is_expr(j: &J) -> bool {
    match j {
        J::Object(m) => m.is_empty() || m.contains_key("constant_value") || m.contains_key("references"),
        _ => false,
    }
}

/// Every reference string in an expression or block body, at any depth.
pub fn expr_refs(j: &J) -> Vec<&str> {
    let mut out = Vec::new();
    collect(j, &mut out);
    out
}

fn collect<'j>(j: &'j J, out: &mut Vec<&'j str>) {
    match j {
        J::Object(m) => {
            if let Some(J::Array(refs)) = m.get("references") {
                out.extend(refs.iter().filter_map(J::as_str));
            }
            for (k, v) in m {
                if k != "references" && k != "constant_value" {
                    collect(v, out);
                }
            }
        }
        J::Array(a) => a.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

/// Drop references that are a prefix of a more precise one in the same list
/// (`aws_x.y` next to `aws_x.y["k"].id`).
pub fn prune<'s>(refs: &[&'s str]) -> Vec<&'s str> {
    let mut out: Vec<&str> = Vec::new();
    for r in refs {
        let covered = refs
            .iter()
            .any(|o| o.len() > r.len() && o.starts_with(r) && matches!(o.as_bytes()[r.len()], b'.' | b'['));
        if !covered && !out.contains(r) {
            out.push(r);
        }
    }
    out
}

pub struct Resolver<'c> {
    pub stack: usize,
    pub root: Option<&'c CfgModule>,
    /// `<module path>|<config address>` → instance addresses.
    pub res_instances: HashMap<String, Vec<String>>,
    /// `<parent module path>|<call name>` → instance keys (`["x"]`, `[0]`, or empty).
    pub mod_instances: HashMap<String, Vec<String>>,
    /// Config address index per module path (without keys).
    cfg_res: HashMap<String, HashMap<&'c str, &'c CfgResource>>,
}

impl<'c> Resolver<'c> {
    pub fn new(stack: usize, root: Option<&'c CfgModule>) -> Self {
        let mut cfg_res = HashMap::new();
        fn walk<'c>(m: &'c CfgModule, path: String, out: &mut HashMap<String, HashMap<&'c str, &'c CfgResource>>) {
            let idx: HashMap<&str, &CfgResource> = m.resources.iter().map(|r| (r.address.as_str(), r)).collect();
            out.insert(path.clone(), idx);
            for (n, c) in &m.module_calls {
                walk(&c.module, join(&path, &format!("module.{n}")), out);
            }
        }
        if let Some(r) = root {
            walk(r, String::new(), &mut cfg_res);
        }
        Resolver {
            stack,
            root,
            res_instances: HashMap::new(),
            mod_instances: HashMap::new(),
            cfg_res,
        }
    }

    /// Record an instance so references to its resource or module find it.
    pub fn add_instance(&mut self, module_address: &str, cfg_address: &str, address: &str) {
        self.res_instances
            .entry(format!("{module_address}|{cfg_address}"))
            .or_default()
            .push(address.to_string());
        let steps = super::values::module_steps(module_address);
        for i in 0..steps.len() {
            let parent = path_of(&steps[..i]);
            let e = self
                .mod_instances
                .entry(format!("{parent}|{}", steps[i].0))
                .or_default();
            if !e.contains(&steps[i].1) {
                e.push(steps[i].1.clone());
            }
        }
    }

    pub fn module_at(&self, steps: &Steps) -> Option<&'c CfgModule> {
        let mut m = self.root?;
        for (n, _) in steps {
            m = &m.module_calls.get(n)?.module;
        }
        Some(m)
    }

    /// The configuration of a resource, by module instance path and config address.
    pub fn resource_cfg(&self, module_address: &str, cfg_address: &str) -> Option<&'c CfgResource> {
        let key = super::values::strip_keys(module_address);
        self.cfg_res.get(&key)?.get(cfg_address).copied()
    }

    /// Resolve an expression in a module instance (with the `for_each`/`count` expression of
    /// the enclosing block for `each.*`/`count.*`).
    ///
    /// `key` is the instance key of that block (`["nlp"]`, `[0]`). Terraform records
    /// `aws_iam_role.team[each.key].arn` as the references `aws_iam_role.team` and `each.key`:
    /// when an expression uses `each.key` or `count.index` and the referenced resource or module
    /// has an instance with the same key, the reference is to that instance, not to all of them.
    pub fn resolve(&self, expr: &J, steps: &Steps, each: Option<&J>, key: Option<&str>) -> Vec<Ref> {
        let mut out = Vec::new();
        self.resolve_expr(expr, steps, each, key, 0, &mut out);
        out
    }

    fn resolve_expr(
        &self,
        expr: &J,
        steps: &Steps,
        each: Option<&J>,
        key: Option<&str>,
        depth: usize,
        out: &mut Vec<Ref>,
    ) {
        let refs = expr_refs(expr);
        let keyed = refs.iter().any(|r| *r == "each.key" || *r == "count.index");
        let key = key.filter(|_| keyed);
        for r in prune(&refs) {
            self.resolve_ref(r, steps, each, key, depth, out);
        }
    }

    fn resolve_ref(
        &self,
        r: &str,
        steps: &Steps,
        each: Option<&J>,
        key: Option<&str>,
        depth: usize,
        out: &mut Vec<Ref>,
    ) {
        if depth > 24 {
            return;
        }
        let segs = segments(r);
        let name = |i: usize| match segs.get(i) {
            Some(Seg::Name(n)) => Some(*n),
            _ => None,
        };
        match name(0) {
            Some("var") => {
                let (Some(var), Some((last, parent))) = (name(1), steps.split_last()) else {
                    return;
                };
                let Some(call) = self.module_at(parent).and_then(|m| m.module_calls.get(&last.0)) else {
                    return;
                };
                let each2 = call.for_each_expression.as_ref().or(call.count_expression.as_ref());
                let key2 = Some(last.1.as_str()).filter(|k| !k.is_empty());
                if let Some(e) = call.expressions.get(var) {
                    self.resolve_expr(e, parent, each2, key2, depth + 1, out);
                }
            }
            // `count.index` is a number: it refers to nothing the count expression names.
            Some("count") => {}
            Some("each") => {
                if let Some(e) = each {
                    for r2 in prune(&expr_refs(e)) {
                        self.resolve_ref(r2, steps, None, None, depth + 1, out);
                    }
                }
            }
            Some("local") | Some("path") | Some("terraform") | Some("self") | None => {}
            Some("module") => {
                let Some(call_name) = name(1) else { return };
                let Some(call) = self.module_at(steps).and_then(|m| m.module_calls.get(call_name)) else {
                    return;
                };
                let (keys, out_at) = match segs.get(2) {
                    Some(Seg::Index(k)) => (vec![format!("[{k}]")], 3),
                    _ => {
                        let all = self
                            .mod_instances
                            .get(&format!("{}|{call_name}", path_of(steps)))
                            .cloned()
                            .unwrap_or_else(|| vec![String::new()]);
                        match key {
                            Some(k) if all.iter().any(|a| a == k) => (vec![k.to_string()], 2),
                            _ => (all, 2),
                        }
                    }
                };
                let outputs: Vec<&CfgOutput> = match name(out_at) {
                    Some(o) => call.module.outputs.get(o).into_iter().collect(),
                    None => call.module.outputs.values().collect(),
                };
                for k in keys {
                    let mut child = steps.to_vec();
                    child.push((call_name.to_string(), k));
                    for o in &outputs {
                        if let Some(e) = &o.expression {
                            for r2 in prune(&expr_refs(e)) {
                                self.resolve_ref(r2, &child, None, None, depth + 1, out);
                            }
                        }
                    }
                }
            }
            Some("data") => {
                if let (Some(t), Some(n)) = (name(1), name(2)) {
                    self.resource_ref(&format!("data.{t}.{n}"), &segs[3..], steps, key, out);
                }
            }
            Some(t) => {
                if let Some(n) = name(1) {
                    self.resource_ref(&format!("{t}.{n}"), &segs[2..], steps, key, out);
                }
            }
        }
    }

    fn resource_ref(&self, cfg_addr: &str, rest: &[Seg], steps: &Steps, key: Option<&str>, out: &mut Vec<Ref>) {
        let path = path_of(steps);
        let (idx, attr_at) = match rest.first() {
            Some(Seg::Index(k)) => (Some(*k), 1),
            _ => (None, 0),
        };
        let attr = match rest.get(attr_at) {
            Some(Seg::Name(a)) => a.to_string(),
            _ => String::new(),
        };
        let addrs: Vec<String> = match idx {
            Some(k) => vec![join(&path, &format!("{cfg_addr}[{k}]"))],
            None => {
                let all = self
                    .res_instances
                    .get(&format!("{path}|{cfg_addr}"))
                    .cloned()
                    .unwrap_or_else(|| vec![join(&path, cfg_addr)]);
                let same_key = key.map(|k| join(&path, &format!("{cfg_addr}{k}")));
                match same_key {
                    Some(a) if all.contains(&a) => vec![a],
                    _ => all,
                }
            }
        };
        for a in addrs {
            let rf = Ref {
                address: format!("{}:{a}", self.stack),
                attr: attr.clone(),
            };
            if !out.contains(&rf) {
                out.push(rf);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_keeps_the_precise_ones() {
        let r = ["aws_x.y[\"k\"].id", "aws_x.y[\"k\"]", "aws_x.y", "var.a"];
        assert_eq!(prune(&r), vec!["aws_x.y[\"k\"].id", "var.a"]);
    }

    #[test]
    fn resolves_through_module_outputs_and_vars() {
        let cfg: Configuration = serde_json::from_str(
            r#"{"root_module":{
                "resources":[{"address":"aws_sagemaker_domain.d","expressions":{"vpc_id":{"references":["module.net.vpc_id","module.net"]}}}],
                "module_calls":{
                  "net":{"source":"./net","module":{
                    "resources":[{"address":"aws_vpc.v","expressions":{}}],
                    "outputs":{"vpc_id":{"expression":{"references":["aws_vpc.v.id","aws_vpc.v"]}}}}},
                  "eps":{"source":"./eps","for_each_expression":{"references":["local.s"]},
                    "expressions":{"vpc":{"references":["module.net.vpc_id","module.net"]}},
                    "module":{"resources":[{"address":"aws_vpc_endpoint.e","expressions":{"vpc_id":{"references":["var.vpc"]}}}]}}}}}"#,
        )
        .unwrap();
        let mut res = Resolver::new(3, cfg.root_module.as_ref());
        res.add_instance("module.net", "aws_vpc.v", "module.net.aws_vpc.v");
        res.add_instance(
            "module.eps[\"a\"]",
            "aws_vpc_endpoint.e",
            "module.eps[\"a\"].aws_vpc_endpoint.e",
        );
        let d = res.resource_cfg("", "aws_sagemaker_domain.d").unwrap();
        let refs = res.resolve(&d.expressions["vpc_id"], &[], d.each(), None);
        assert_eq!(
            refs,
            vec![Ref {
                address: "3:module.net.aws_vpc.v".into(),
                attr: "id".into()
            }]
        );
        let e = res.resource_cfg("module.eps[\"a\"]", "aws_vpc_endpoint.e").unwrap();
        let steps = super::super::values::module_steps("module.eps[\"a\"]");
        let refs = res.resolve(&e.expressions["vpc_id"], &steps, e.each(), None);
        assert_eq!(
            refs,
            vec![Ref {
                address: "3:module.net.aws_vpc.v".into(),
                attr: "id".into()
            }]
        );
    }

    #[test]
    fn each_key_and_count_index_pick_the_instance_with_the_same_key() {
        let cfg: Configuration = serde_json::from_str(
            r#"{"root_module":{
                "resources":[
                  {"address":"aws_sagemaker_user_profile.p","for_each_expression":{"references":["local.teams"]},
                   "expressions":{"role":{"references":["aws_iam_role.team","each.key"]},
                                  "all":{"references":["aws_iam_role.team"]}}},
                  {"address":"aws_sagemaker_user_profile.c","count_expression":{"constant_value":2},
                   "expressions":{"role":{"references":["aws_iam_role.byn","count.index"]}}}],
                "module_calls":{
                  "m":{"source":"./m","for_each_expression":{"references":["local.teams"]},
                    "expressions":{"role":{"references":["aws_iam_role.team","each.key"]}},
                    "module":{"resources":[{"address":"aws_sagemaker_user_profile.q","expressions":{"role":{"references":["var.role"]}}}]}}}}}"#,
        )
        .unwrap();
        let mut res = Resolver::new(0, cfg.root_module.as_ref());
        for k in ["[\"a\"]", "[\"b\"]"] {
            res.add_instance("", "aws_iam_role.team", &format!("aws_iam_role.team{k}"));
        }
        for k in ["[0]", "[1]"] {
            res.add_instance("", "aws_iam_role.byn", &format!("aws_iam_role.byn{k}"));
        }
        res.add_instance(
            "module.m[\"b\"]",
            "aws_sagemaker_user_profile.q",
            "module.m[\"b\"].aws_sagemaker_user_profile.q",
        );
        let addrs = |refs: Vec<Ref>| refs.into_iter().map(|r| r.address).collect::<Vec<_>>();
        let p = res.resource_cfg("", "aws_sagemaker_user_profile.p").unwrap();
        assert_eq!(
            addrs(res.resolve(&p.expressions["role"], &[], p.each(), Some("[\"b\"]"))),
            vec!["0:aws_iam_role.team[\"b\"]"]
        );
        // No each.key in the expression: the whole resource.
        assert_eq!(
            addrs(res.resolve(&p.expressions["all"], &[], p.each(), Some("[\"b\"]"))).len(),
            2
        );
        // A key the referenced resource does not have: every instance (unknown which).
        assert_eq!(
            addrs(res.resolve(&p.expressions["role"], &[], p.each(), Some("[\"z\"]"))).len(),
            2
        );
        let c = res.resource_cfg("", "aws_sagemaker_user_profile.c").unwrap();
        assert_eq!(
            addrs(res.resolve(&c.expressions["role"], &[], c.each(), Some("[1]"))),
            vec!["0:aws_iam_role.byn[1]"]
        );
        // Through a module call's input: the module instance key.
        let q = res
            .resource_cfg("module.m[\"b\"]", "aws_sagemaker_user_profile.q")
            .unwrap();
        let steps = super::super::values::module_steps("module.m[\"b\"]");
        assert_eq!(
            addrs(res.resolve(&q.expressions["role"], &steps, q.each(), None)),
            vec!["0:aws_iam_role.team[\"b\"]"]
        );
    }
}
