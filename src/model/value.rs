//! Values as the model sees them: Terraform-shaped data where any part may be unknown.
//!
//! An unknown value keeps what is known about it: the resource attributes it was derived from
//! (`refs`, so `aws_vpc.main.id` still identifies that VPC), the literal pieces of a string built
//! from unknowns (`parts`, so `format("arn:%s:iam::aws:policy/X", p)` is known to end with
//! `:iam::aws:policy/X`), and, for a string that is the JSON encoding of a partly known value,
//! that value (`json`, so a policy document with one unknown principal can still be read).

use super::map::Map;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(crate::model::map::Key),
    /// Lists, tuples and sets.
    List(Vec<Value>),
    /// Objects and maps.
    Object(Map<Value>),
    /// A resource or data source instance: its known attributes; every other attribute is
    /// unknown and refers back to the instance.
    Resource(Arc<ResInst>),
    Unknown(Box<Unknown>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResInst {
    /// Key of the instance in the model (`<stack>:<address>`).
    pub address: String,
    pub attrs: Map<Value>,
}

/// A reference to an attribute of a resource instance.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ref {
    /// Key of the resource instance (`<stack>:<address>`).
    pub address: String,
    pub attr: String,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Unknown {
    /// Resource attributes this value was derived from.
    pub refs: Vec<Ref>,
    /// For strings: the known and unknown pieces, in order.
    pub parts: Option<Vec<Part>>,
    /// For strings: the value this string is the JSON encoding of.
    pub json: Option<Value>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Lit(String),
    Hole,
}

/// Three-valued answer: rules act on `Yes`/`No` only; `Unknown` means stay silent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tri {
    Yes,
    No,
    Unknown,
}

impl Tri {
    pub fn from_bool(b: bool) -> Tri {
        if b {
            Tri::Yes
        } else {
            Tri::No
        }
    }
    pub fn or(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::No, Tri::No) => Tri::No,
            _ => Tri::Unknown,
        }
    }
    pub fn and(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Yes, Tri::Yes) => Tri::Yes,
            _ => Tri::Unknown,
        }
    }
    pub fn negate(self) -> Tri {
        match self {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            Tri::Unknown => Tri::Unknown,
        }
    }
    /// Any of the items is Yes.
    pub fn any<I: IntoIterator<Item = Tri>>(it: I) -> Tri {
        it.into_iter().fold(Tri::No, Tri::or)
    }
}

impl Value {
    pub fn unknown() -> Value {
        Value::Unknown(Box::default())
    }
    pub fn unknown_ref(address: &str, attr: &str) -> Value {
        Value::Unknown(Box::new(Unknown {
            refs: vec![Ref {
                address: address.to_string(),
                attr: attr.to_string(),
            }],
            ..Default::default()
        }))
    }
    pub fn unknown_with_refs(refs: Vec<Ref>) -> Value {
        Value::Unknown(Box::new(Unknown {
            refs,
            ..Default::default()
        }))
    }
    pub fn str(s: impl Into<crate::model::map::Key>) -> Value {
        Value::String(s.into())
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }
    /// Whether this value or anything inside it is unknown.
    pub fn contains_unknown(&self) -> bool {
        match self {
            Value::Unknown(_) => true,
            Value::List(l) => l.iter().any(Value::contains_unknown),
            Value::Object(m) => m.values().any(Value::contains_unknown),
            _ => false,
        }
    }

    /// Attribute access: objects by key, resource instances by attribute (unknown with a
    /// reference when the attribute is not known).
    pub fn get_attr(&self, name: &str) -> Option<Value> {
        match self {
            Value::Object(m) => m.get(name).cloned(),
            Value::Resource(r) => Some(
                r.attrs
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| Value::unknown_ref(&r.address, name)),
            ),
            Value::Unknown(u) => Some(Value::unknown_with_refs(u.refs.clone())),
            _ => None,
        }
    }

    /// Every resource attribute reference this value carries, at any depth.
    pub fn refs(&self) -> Vec<&Ref> {
        let mut out = Vec::new();
        self.collect_refs(&mut out);
        out
    }
    fn collect_refs<'a>(&'a self, out: &mut Vec<&'a Ref>) {
        match self {
            Value::Unknown(u) => {
                out.extend(u.refs.iter());
                if let Some(j) = &u.json {
                    j.collect_refs(out);
                }
            }
            Value::List(l) => l.iter().for_each(|v| v.collect_refs(out)),
            Value::Object(m) => m.values().for_each(|v| v.collect_refs(out)),
            _ => {}
        }
    }
    /// Addresses of resource instances this value mentions (references and embedded instances).
    pub fn mentions(&self, address: &str) -> bool {
        match self {
            Value::Resource(r) => r.address == address,
            Value::Unknown(u) => {
                u.refs.iter().any(|r| r.address == address) || u.json.as_ref().is_some_and(|j| j.mentions(address))
            }
            Value::List(l) => l.iter().any(|v| v.mentions(address)),
            Value::Object(m) => m.values().any(|v| v.mentions(address)),
            _ => false,
        }
    }

    /// String view with partial knowledge: `Some(parts)` for known strings and partly known
    /// strings; `None` when nothing is known of it as a string.
    pub fn string_parts(&self) -> Option<Vec<Part>> {
        match self {
            Value::String(s) => Some(vec![Part::Lit(s.to_string())]),
            Value::Number(_) | Value::Bool(_) => self.to_display_string().map(|s| vec![Part::Lit(s)]),
            Value::Unknown(u) => u.parts.clone(),
            _ => None,
        }
    }
    /// Whether two values can never turn out equal: known and different, or strings whose
    /// known prefixes or known suffixes already differ (`"com.amazonaws.${r}.sts"` and
    /// `"com.amazonaws.${r}.kms"`). Partly known values that might still match: false.
    pub fn definitely_distinct(&self, other: &Value) -> bool {
        if !self.contains_unknown() && !other.contains_unknown() {
            return self != other;
        }
        let (Some(a), Some(b)) = (self.string_parts(), other.string_parts()) else {
            return false;
        };
        let end = |p: &[Part], first: bool| -> String {
            match if first { p.first() } else { p.last() } {
                Some(Part::Lit(s)) => s.clone(),
                _ => String::new(),
            }
        };
        let (pa, pb) = (end(&a, true), end(&b, true));
        let (sa, sb) = (end(&a, false), end(&b, false));
        (!pa.starts_with(&pb) && !pb.starts_with(&pa)) || (!sa.ends_with(&sb) && !sb.ends_with(&sa))
    }
    /// Known literal prefix of a (partly known) string.
    pub fn known_prefix(&self) -> Option<String> {
        match self.string_parts()?.first()? {
            Part::Lit(s) => Some(s.clone()),
            Part::Hole => None,
        }
    }
    /// Known literal suffix of a (partly known) string.
    pub fn known_suffix(&self) -> Option<String> {
        match self.string_parts()?.last()? {
            Part::Lit(s) => Some(s.clone()),
            Part::Hole => None,
        }
    }
    /// Terraform's automatic conversion of primitives to string.
    pub fn to_display_string(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(format_number(*n)),
            _ => None,
        }
    }

    /// Convert to JSON when fully known.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        Some(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 9.0e15 {
                    serde_json::Value::from(*n as i64)
                } else {
                    serde_json::Number::from_f64(*n)?.into()
                }
            }
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::List(l) => serde_json::Value::Array(l.iter().map(Value::to_json).collect::<Option<_>>()?),
            Value::Object(m) => serde_json::Value::Object(
                m.iter()
                    .map(|(k, v)| Some((k.to_string(), v.to_json()?)))
                    .collect::<Option<_>>()?,
            ),
            Value::Resource(r) => serde_json::Value::Object(
                r.attrs
                    .iter()
                    .map(|(k, v)| Some((k.to_string(), v.to_json()?)))
                    .collect::<Option<_>>()?,
            ),
            Value::Unknown(_) => return None,
        })
    }

    pub fn from_json(j: &serde_json::Value) -> Value {
        match j {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => Value::str(s.clone()),
            serde_json::Value::Array(a) => Value::List(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => {
                Value::Object(o.iter().map(|(k, v)| (k.clone(), Value::from_json(v))).collect())
            }
        }
    }

    /// A short human rendering for messages.
    pub fn display(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::String(s) => format!("\"{s}\""),
            Value::Unknown(u) => match &u.parts {
                Some(parts) => {
                    let mut s = String::from("\"");
                    for p in parts {
                        match p {
                            Part::Lit(l) => s.push_str(l),
                            Part::Hole => s.push_str("${…}"),
                        }
                    }
                    s.push('"');
                    s
                }
                None => "(known after apply)".into(),
            },
            Value::Resource(r) => r.address.clone(),
            other => other
                .to_json()
                .map(|j| j.to_string())
                .unwrap_or_else(|| "(partly unknown)".into()),
        }
    }
}

pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Match a partly known string against a glob pattern where `*` matches any run and `?` one
/// character (IAM action and principal matching). Case-insensitive when `ci`.
pub fn glob_match(pattern: &str, text: &str, ci: bool) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = if ci {
        (
            pattern.to_lowercase().chars().collect(),
            text.to_lowercase().chars().collect(),
        )
    } else {
        (pattern.chars().collect(), text.chars().collect())
    };
    let (mut pi, mut ti) = (0usize, 0usize);
    let (mut star, mut mark) = (None, 0usize);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// Does the (partly known) string value equal `want`? Unknown when holes could make it so.
pub fn str_equals(v: &Value, want: &str, ci: bool) -> Tri {
    let Some(parts) = v.string_parts() else {
        return Tri::Unknown;
    };
    if parts.iter().all(|p| matches!(p, Part::Lit(_))) {
        let s: String = parts
            .iter()
            .map(|p| match p {
                Part::Lit(l) => l.as_str(),
                Part::Hole => "",
            })
            .collect();
        return Tri::from_bool(if ci { s.eq_ignore_ascii_case(want) } else { s == want });
    }
    // Build a glob from the parts (holes become `*`), escaping nothing: literal `*` in a
    // partly known string is vanishingly rare in the attributes we compare.
    let mut pat = String::new();
    for p in &parts {
        match p {
            Part::Lit(l) => pat.push_str(l),
            Part::Hole => pat.push('*'),
        }
    }
    if glob_match(&pat, want, ci) {
        Tri::Unknown
    } else {
        Tri::No
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob() {
        assert!(glob_match("sts:*", "sts:SetSourceIdentity", true));
        assert!(glob_match("*", "x", false));
        assert!(glob_match("sts:Set*Identity", "STS:SETSOURCEIDENTITY", true));
        assert!(!glob_match("sts:AssumeRole", "sts:SetSourceIdentity", true));
        assert!(glob_match("s?s:*", "sts:x", false));
    }

    #[test]
    fn partial_equality() {
        let v = Value::Unknown(Box::new(Unknown {
            parts: Some(vec![Part::Lit("sagemaker.".into()), Part::Hole]),
            ..Default::default()
        }));
        assert_eq!(str_equals(&v, "sagemaker.amazonaws.com", false), Tri::Unknown);
        assert_eq!(str_equals(&v, "ec2.amazonaws.com", false), Tri::No);
        assert_eq!(str_equals(&Value::str("a"), "a", false), Tri::Yes);
        assert_eq!(str_equals(&Value::unknown(), "a", false), Tri::Unknown);
    }
}
