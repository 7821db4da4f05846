//! IAM policy documents normalized into one shape, whatever their spelling: a JSON string
//! (quoted, heredoc, `file()`, URL-encoded from an API), a `jsonencode({...})` value, an
//! emulated `aws_iam_policy_document`, or a JSON object from a live dump. Elements may be
//! unknown or partly known; every question is answered three-valued.

use super::value::{glob_match, str_equals, Part, Tri, Value};

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Allow,
    Deny,
    Unknown,
}

/// Who a statement applies to.
#[derive(Clone, Debug, PartialEq)]
pub enum Principals {
    /// No `Principal` element (identity policies).
    Absent,
    /// `"*"`.
    Any,
    /// `(type, id)` pairs, type `Service`, `AWS`, `Federated`, `CanonicalUser` (or unknown).
    List(Vec<(Value, Value)>),
    Unknown,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub effect: Effect,
    /// `None`: the element is absent. Elements may be unknown.
    pub actions: Option<Items>,
    pub not_actions: Option<Items>,
    pub principals: Principals,
    pub not_principals: Principals,
    pub resources: Option<Items>,
    pub not_resources: Option<Items>,
    pub has_condition: bool,
}

/// A list element of a policy: known items, or wholly unknown.
#[derive(Clone, Debug, PartialEq)]
pub enum Items {
    List(Vec<Value>),
    Unknown,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PolicyDoc {
    pub statements: Vec<Statement>,
    /// False when the statement list itself is unknown (only what is listed is known).
    pub complete: bool,
}

impl PolicyDoc {
    /// Read a policy from any of its spellings. `None` when nothing of it is known or it is not
    /// a policy.
    pub fn from_value(v: &Value) -> Option<PolicyDoc> {
        match v {
            Value::String(s) => parse_str(s),
            Value::Unknown(u) => u.json.as_ref().and_then(PolicyDoc::from_value),
            Value::Object(_) => from_tree(v),
            _ => None,
        }
    }

    /// Whether some Allow statement grants `action` to a principal accepted by `principal`,
    /// and no Deny takes it away.
    pub fn grants(&self, action: &str, principal: &dyn Fn(&Principals) -> Tri) -> Tri {
        let mut allow = Tri::No;
        let mut deny = Tri::No;
        for st in &self.statements {
            let applies = action_matches(st, action).and(principal_applies(st, principal));
            match st.effect {
                Effect::Allow => allow = allow.or(applies),
                Effect::Deny => deny = deny.or(applies),
                Effect::Unknown => {
                    allow = allow.or(applies.and(Tri::Unknown));
                    deny = deny.or(applies.and(Tri::Unknown));
                }
            }
        }
        if !self.complete {
            allow = allow.or(Tri::Unknown);
            deny = deny.or(Tri::Unknown);
        }
        allow.and(deny.negate())
    }

    /// Whether the document (an identity policy) allows `action` on `resource`.
    pub fn allows_on(&self, action: &str, resource: &str) -> Tri {
        let mut allow = Tri::No;
        let mut deny = Tri::No;
        for st in &self.statements {
            let applies = action_matches(st, action).and(resource_matches(st, resource));
            match st.effect {
                Effect::Allow => allow = allow.or(applies),
                Effect::Deny => deny = deny.or(applies),
                Effect::Unknown => {
                    allow = allow.or(applies.and(Tri::Unknown));
                    deny = deny.or(applies.and(Tri::Unknown));
                }
            }
        }
        if !self.complete {
            allow = allow.or(Tri::Unknown);
            deny = deny.or(Tri::Unknown);
        }
        allow.and(deny.negate())
    }
}

/// Does a (partly known) pattern item match the literal text? Patterns use IAM wildcards.
fn pattern_matches(item: &Value, text: &str) -> Tri {
    match item.string_parts() {
        Some(parts) => {
            let mut pat = String::new();
            let mut holes = false;
            for p in &parts {
                match p {
                    Part::Lit(l) => pat.push_str(l),
                    Part::Hole => {
                        pat.push('*');
                        holes = true;
                    }
                }
            }
            match (glob_match(&pat, text, true), holes) {
                (true, false) => Tri::Yes,
                (true, true) => Tri::Unknown,
                (false, _) => Tri::No,
            }
        }
        None => Tri::Unknown,
    }
}

fn items_match(items: &Items, text: &str) -> Tri {
    match items {
        Items::Unknown => Tri::Unknown,
        Items::List(l) => Tri::any(l.iter().map(|i| pattern_matches(i, text))),
    }
}

fn action_matches(st: &Statement, action: &str) -> Tri {
    match (&st.actions, &st.not_actions) {
        (Some(a), _) => items_match(a, action),
        (None, Some(na)) => items_match(na, action).negate(),
        (None, None) => Tri::No,
    }
}

fn resource_matches(st: &Statement, resource: &str) -> Tri {
    match (&st.resources, &st.not_resources) {
        (Some(r), _) => items_match(r, resource),
        (None, Some(nr)) => items_match(nr, resource).negate(),
        // Trust policies and some documents have no Resource: applies to the attached entity.
        (None, None) => Tri::Yes,
    }
}

fn principal_applies(st: &Statement, principal: &dyn Fn(&Principals) -> Tri) -> Tri {
    match (&st.principals, &st.not_principals) {
        (Principals::Absent, Principals::Absent) => Tri::No,
        (p, Principals::Absent) => principal(p),
        (Principals::Absent, np) => principal(np).negate(),
        (p, np) => principal(p).and(principal(np).negate()),
    }
}

/// Principal predicate: the AWS service principal `service` (e.g. `sagemaker.amazonaws.com`),
/// or its China-partition spelling.
pub fn service_principal(service: &'static str) -> impl Fn(&Principals) -> Tri {
    move |p: &Principals| match p {
        Principals::Absent => Tri::No,
        Principals::Any => Tri::Yes,
        Principals::Unknown => Tri::Unknown,
        Principals::List(items) => Tri::any(items.iter().map(|(kind, id)| {
            let kind_is = |k: &str| str_equals(kind, k, true);
            let svc = kind_is("Service").and(str_equals(id, service, true).or(str_equals(
                id,
                &format!("{service}.cn"),
                true,
            )));
            let any_aws = kind_is("AWS").and(str_equals(id, "*", false));
            svc.or(any_aws)
        })),
    }
}

fn parse_str(s: &str) -> Option<PolicyDoc> {
    let t = s.trim();
    let decoded;
    let text = if t.starts_with('%') || (!t.starts_with('{') && t.contains("%22")) {
        decoded = url_decode(t);
        decoded.as_str()
    } else {
        t
    };
    let j: serde_json::Value = serde_json::from_str(text).ok()?;
    from_tree(&Value::from_json(&j))
}

pub fn url_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 3;
                    }
                    Err(_) => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn field<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    match v {
        Value::Object(m) => m
            .get(name)
            .or_else(|| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v)),
        _ => None,
    }
}

fn items(v: Option<&Value>) -> Option<Items> {
    let v = v?;
    Some(match v {
        Value::Null => return None,
        Value::List(l) => Items::List(l.clone()),
        Value::Unknown(u) => match &u.parts {
            Some(_) => Items::List(vec![v.clone()]),
            None => Items::Unknown,
        },
        other => Items::List(vec![other.clone()]),
    })
}

fn principals(v: Option<&Value>) -> Principals {
    match v {
        None | Some(Value::Null) => Principals::Absent,
        Some(Value::String(s)) if s == "*" => Principals::Any,
        Some(Value::Object(m)) => {
            let mut out = Vec::new();
            for (k, ids) in m {
                let kind = Value::str(k.to_string());
                match ids {
                    Value::List(l) => out.extend(l.iter().map(|i| (kind.clone(), i.clone()))),
                    Value::Unknown(u) if u.parts.is_none() => out.push((kind.clone(), Value::unknown())),
                    other => out.push((kind.clone(), other.clone())),
                }
            }
            Principals::List(out)
        }
        Some(_) => Principals::Unknown,
    }
}

fn statement(v: &Value) -> Statement {
    let effect = match field(v, "Effect") {
        Some(Value::String(s)) if s.eq_ignore_ascii_case("allow") => Effect::Allow,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("deny") => Effect::Deny,
        // Terraform's aws_iam_policy_document defaults effect to Allow; JSON requires it.
        None | Some(Value::Null) => Effect::Allow,
        _ => Effect::Unknown,
    };
    if matches!(v, Value::Unknown(_)) {
        return Statement {
            effect: Effect::Unknown,
            actions: Some(Items::Unknown),
            not_actions: None,
            principals: Principals::Unknown,
            not_principals: Principals::Absent,
            resources: Some(Items::Unknown),
            not_resources: None,
            has_condition: false,
        };
    }
    Statement {
        effect,
        actions: items(field(v, "Action")),
        not_actions: items(field(v, "NotAction")),
        principals: principals(field(v, "Principal")),
        not_principals: principals(field(v, "NotPrincipal")),
        resources: items(field(v, "Resource")),
        not_resources: items(field(v, "NotResource")),
        has_condition: field(v, "Condition").is_some_and(|c| !c.is_null()),
    }
}

fn from_tree(v: &Value) -> Option<PolicyDoc> {
    let st = field(v, "Statement")?;
    Some(match st {
        Value::List(l) => PolicyDoc {
            statements: l.iter().map(statement).collect(),
            complete: true,
        },
        Value::Object(_) => PolicyDoc {
            statements: vec![statement(st)],
            complete: true,
        },
        _ => PolicyDoc {
            statements: vec![],
            complete: false,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> PolicyDoc {
        PolicyDoc::from_value(&Value::str(s)).unwrap()
    }

    #[test]
    fn trust_with_wildcard_action() {
        let d = doc(
            r#"{"Statement":{"Effect":"Allow","Action":"sts:*","Principal":{"Service":"sagemaker.amazonaws.com"}}}"#,
        );
        let p = service_principal("sagemaker.amazonaws.com");
        assert_eq!(d.grants("sts:SetSourceIdentity", &p), Tri::Yes);
        assert_eq!(d.grants("sts:AssumeRole", &p), Tri::Yes);
    }

    #[test]
    fn deny_takes_away() {
        let d = doc(
            r#"{"Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:SetSourceIdentity"],"Principal":{"Service":["sagemaker.amazonaws.com"]}},
            {"Effect":"Deny","Action":"sts:SetSourceIdentity","Principal":"*"}]}"#,
        );
        let p = service_principal("sagemaker.amazonaws.com");
        assert_eq!(d.grants("sts:SetSourceIdentity", &p), Tri::No);
        assert_eq!(d.grants("sts:AssumeRole", &p), Tri::Yes);
    }

    #[test]
    fn url_encoded() {
        let d = doc("%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22sts%3AAssumeRole%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%7D%5D%7D");
        let p = service_principal("sagemaker.amazonaws.com");
        assert_eq!(d.grants("sts:AssumeRole", &p), Tri::No);
    }

    #[test]
    fn identity_policy_full_access() {
        let d = doc(r#"{"Statement":[{"Effect":"Allow","Action":"sagemaker:*","Resource":"*"}]}"#);
        assert_eq!(d.allows_on("sagemaker:*", "*"), Tri::Yes);
        let d = doc(r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#);
        assert_eq!(d.allows_on("sagemaker:*", "*"), Tri::No);
    }
}
