//! Building strings from partly known pieces.

use crate::model::{Part, Ref, Unknown, Value};

/// All references carried by the values (deduplicated, in order).
pub fn collect_refs<'v>(vals: impl IntoIterator<Item = &'v Value>) -> Vec<Ref> {
    let mut out: Vec<Ref> = Vec::new();
    for v in vals {
        for r in v.refs() {
            if !out.contains(r) {
                out.push(r.clone());
            }
        }
        if let Value::Resource(ri) = v {
            let r = Ref {
                address: ri.address.clone(),
                attr: String::new(),
            };
            if !out.contains(&r) {
                out.push(r);
            }
        }
    }
    out
}

/// An unknown value derived from `vals`: it keeps their references.
pub fn unknown_from<'v>(vals: impl IntoIterator<Item = &'v Value>) -> Value {
    Value::unknown_with_refs(collect_refs(vals))
}

/// Concatenate pieces into a string, keeping known parts when some pieces are unknown.
pub fn concat(pieces: &[Value]) -> Value {
    let mut parts: Vec<Part> = Vec::new();
    let mut known = true;
    for p in pieces {
        match p.string_parts() {
            Some(ps) => {
                for part in ps {
                    if matches!(part, Part::Hole) {
                        known = false;
                    }
                    push_part(&mut parts, part);
                }
            }
            None => {
                known = false;
                push_part(&mut parts, Part::Hole);
            }
        }
    }
    if known {
        let s: String = parts
            .into_iter()
            .map(|p| match p {
                Part::Lit(l) => l,
                Part::Hole => String::new(),
            })
            .collect();
        return Value::str(s);
    }
    Value::Unknown(Box::new(Unknown {
        refs: collect_refs(pieces),
        parts: Some(parts),
        json: None,
    }))
}

fn push_part(parts: &mut Vec<Part>, p: Part) {
    match (parts.last_mut(), p) {
        (Some(Part::Lit(a)), Part::Lit(b)) => a.push_str(&b),
        (Some(Part::Hole), Part::Hole) => {}
        (_, Part::Lit(b)) if b.is_empty() => {}
        (_, p) => parts.push(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_concat() {
        let v = concat(&[Value::str("arn:"), Value::unknown(), Value::str(":iam::aws:policy/X")]);
        assert_eq!(v.known_prefix().as_deref(), Some("arn:"));
        assert_eq!(v.known_suffix().as_deref(), Some(":iam::aws:policy/X"));
        assert_eq!(concat(&[Value::str("a"), Value::Number(1.0)]), Value::str("a1"));
    }
}
