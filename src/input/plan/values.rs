//! Streaming conversion of JSON into the model's [`Value`] (no intermediate
//! `serde_json::Value`), and the shape of `after_unknown`.

use crate::model::map::Map;
use crate::model::Value;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::HashMap;
use std::fmt;

/// A JSON value read straight into a model [`Value`].
pub struct JVal(pub Value);

impl<'de> Deserialize<'de> for JVal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JValVisitor)
    }
}

struct JValVisitor;

impl<'de> Visitor<'de> for JValVisitor {
    type Value = JVal;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<JVal, E> {
        Ok(JVal(Value::Bool(b)))
    }
    fn visit_i64<E>(self, n: i64) -> Result<JVal, E> {
        Ok(JVal(Value::Number(n as f64)))
    }
    fn visit_u64<E>(self, n: u64) -> Result<JVal, E> {
        Ok(JVal(Value::Number(n as f64)))
    }
    fn visit_f64<E>(self, n: f64) -> Result<JVal, E> {
        Ok(JVal(Value::Number(n)))
    }
    fn visit_str<E>(self, s: &str) -> Result<JVal, E> {
        Ok(JVal(Value::str(s.to_string())))
    }
    fn visit_string<E>(self, s: String) -> Result<JVal, E> {
        Ok(JVal(Value::str(s)))
    }
    fn visit_unit<E>(self) -> Result<JVal, E> {
        Ok(JVal(Value::Null))
    }
    fn visit_none<E>(self) -> Result<JVal, E> {
        Ok(JVal(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<JVal, D::Error> {
        JVal::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JVal, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(JVal(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(JVal(Value::List(out)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JVal, A::Error> {
        let mut out = Map::new();
        while let Some(k) = map.next_key::<crate::model::map::Key>()? {
            let JVal(v) = map.next_value()?;
            out.insert_key(k, v);
        }
        Ok(JVal(Value::Object(out)))
    }
}

/// The shape of `after_unknown`: `true` where the value is unknown.
#[derive(Debug, Default)]
pub enum Unk {
    #[default]
    Known,
    Unknown,
    List(Vec<Unk>),
    Obj(HashMap<String, Unk>),
}

impl Unk {
    pub fn key(&self, k: &str) -> Option<&Unk> {
        match self {
            Unk::Obj(m) => m.get(k),
            _ => None,
        }
    }
    pub fn index(&self, i: usize) -> Option<&Unk> {
        match self {
            Unk::List(l) => l.get(i),
            _ => None,
        }
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self, Unk::Unknown)
    }
}

impl<'de> Deserialize<'de> for Unk {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UnkVisitor)
    }
}

struct UnkVisitor;

impl<'de> Visitor<'de> for UnkVisitor {
    type Value = Unk;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an after_unknown value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Unk, E> {
        Ok(if b { Unk::Unknown } else { Unk::Known })
    }
    fn visit_i64<E>(self, _: i64) -> Result<Unk, E> {
        Ok(Unk::Known)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Unk, E> {
        Ok(Unk::Known)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Unk, E> {
        Ok(Unk::Known)
    }
    fn visit_str<E>(self, _: &str) -> Result<Unk, E> {
        Ok(Unk::Known)
    }
    fn visit_unit<E>(self) -> Result<Unk, E> {
        Ok(Unk::Known)
    }
    fn visit_none<E>(self) -> Result<Unk, E> {
        Ok(Unk::Known)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Unk, D::Error> {
        Unk::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unk, A::Error> {
        let mut out = Vec::new();
        while let Some(u) = seq.next_element::<Unk>()? {
            out.push(u);
        }
        Ok(Unk::List(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unk, A::Error> {
        let mut out = HashMap::new();
        while let Some(k) = map.next_key::<String>()? {
            let u: Unk = map.next_value()?;
            // A known leaf carries no information; keep the tree small.
            if !matches!(u, Unk::Known) {
                out.insert(k, u);
            }
        }
        Ok(Unk::Obj(out))
    }
}

/// Pieces of a Terraform address or reference: `module.a["x"].aws_s3_bucket.b[0].arn`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seg<'s> {
    Name(&'s str),
    /// The text between the brackets, quotes included (`"x"`, `0`).
    Index(&'s str),
}

pub fn segments(s: &str) -> Vec<Seg<'_>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'.' => i += 1,
            b'[' => {
                let start = i + 1;
                let mut j = start;
                let mut in_str = false;
                while j < b.len() {
                    match b[j] {
                        b'\\' if in_str => j += 1,
                        b'"' => in_str = !in_str,
                        b']' if !in_str => break,
                        _ => {}
                    }
                    j += 1;
                }
                out.push(Seg::Index(&s[start..j.min(b.len())]));
                i = j + 1;
            }
            _ => {
                let start = i;
                while i < b.len() && b[i] != b'.' && b[i] != b'[' {
                    i += 1;
                }
                out.push(Seg::Name(&s[start..i]));
            }
        }
    }
    out
}

/// An address without any instance keys: `module.a["x"].aws_x.y[0]` → `module.a.aws_x.y`.
pub fn strip_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    for s in segments(address) {
        if let Seg::Name(n) = s {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(n);
        }
    }
    out
}

/// Module instance steps of a module address: `module.a["x"].module.b` → `[(a, ["x"]), (b, )]`.
pub fn module_steps(module_address: &str) -> Vec<(String, String)> {
    let segs = segments(module_address);
    let mut out: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < segs.len() {
        if let (Seg::Name("module"), Some(Seg::Name(n))) = (segs[i], segs.get(i + 1)) {
            let key = match segs.get(i + 2) {
                Some(Seg::Index(k)) => {
                    i += 1;
                    format!("[{k}]")
                }
                _ => String::new(),
            };
            out.push((n.to_string(), key));
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

pub fn join(path: &str, rest: &str) -> String {
    if path.is_empty() {
        rest.to_string()
    } else {
        format!("{path}.{rest}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segs() {
        assert_eq!(
            segments(r#"module.a["x.y"].aws_vpc_endpoint.e["sts"].id"#),
            vec![
                Seg::Name("module"),
                Seg::Name("a"),
                Seg::Index("\"x.y\""),
                Seg::Name("aws_vpc_endpoint"),
                Seg::Name("e"),
                Seg::Index("\"sts\""),
                Seg::Name("id")
            ]
        );
        assert_eq!(strip_keys(r#"module.a["x"].aws_x.y[0]"#), "module.a.aws_x.y");
        assert_eq!(
            module_steps(r#"module.a["x"].module.b"#),
            vec![
                ("a".to_string(), "[\"x\"]".to_string()),
                ("b".to_string(), String::new())
            ]
        );
    }

    #[test]
    fn jval_and_unk() {
        let JVal(v) = serde_json::from_str(r#"{"a":[1,"x",null,true],"b":{"c":2.5}}"#).unwrap();
        assert_eq!(
            v.to_json().unwrap().to_string(),
            r#"{"a":[1,"x",null,true],"b":{"c":2.5}}"#
        );
        let u: Unk = serde_json::from_str(r#"{"a":true,"b":[false,true],"c":{}}"#).unwrap();
        assert!(u.key("a").unwrap().is_unknown());
        assert!(u.key("b").unwrap().index(1).unwrap().is_unknown());
        assert!(!u.key("b").unwrap().index(0).unwrap().is_unknown());
    }
}
