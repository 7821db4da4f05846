//! Variable type constraints, as far as they change values: `object({ a = optional(T, d) })`
//! fills an omitted (or null) optional attribute with its default, or null, at every depth,
//! through `map(...)`, `list(...)`, `set(...)` and `tuple([...])`. Terraform does this when a
//! value (a default, a `.tfvars` value, a module argument) is assigned to a variable, so
//! `var.settings.role_arn` is a known null, not unknown, when the caller left it out.

use crate::model::map::Map;
use crate::model::Value;
use hcl_edit::expr::{Expression, ObjectKey};

#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `string`, `number`, `bool`, `any`, or what is not understood: values pass unchanged.
    Any,
    Object(Vec<Attr>),
    /// `list(T)`, `set(T)`, `map(T)`: every element or value is of T.
    Collection(Box<Ty>),
    Tuple(Vec<Ty>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    pub name: String,
    pub ty: Ty,
    pub optional: bool,
    /// `optional(T, default)`: the default, already evaluated.
    pub default: Option<Value>,
}

/// Read a type expression; `constant` evaluates an optional attribute's default.
pub fn parse(e: &Expression, constant: &dyn Fn(&Expression) -> Value) -> Ty {
    match e {
        Expression::Parenthesis(p) => parse(p.inner(), constant),
        Expression::FuncCall(f) if !f.name.is_namespaced() => {
            let args: Vec<&Expression> = f.args.iter().collect();
            match (f.name.name.as_str(), args.as_slice()) {
                ("list" | "set" | "map", [t]) => Ty::Collection(Box::new(parse(t, constant))),
                ("tuple", [Expression::Array(a)]) => Ty::Tuple(a.iter().map(|t| parse(t, constant)).collect()),
                ("object", [Expression::Object(o)]) => Ty::Object(
                    o.iter()
                        .filter_map(|(k, v)| {
                            let name = match k {
                                ObjectKey::Ident(id) => id.as_str().to_string(),
                                ObjectKey::Expression(Expression::Variable(id)) => id.as_str().to_string(),
                                ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
                                ObjectKey::Expression(_) => return None,
                            };
                            Some(attr(name, v.expr(), constant))
                        })
                        .collect(),
                ),
                _ => Ty::Any,
            }
        }
        _ => Ty::Any,
    }
}

fn attr(name: String, e: &Expression, constant: &dyn Fn(&Expression) -> Value) -> Attr {
    if let Expression::FuncCall(f) = e {
        if f.name.name.as_str() == "optional" && !f.name.is_namespaced() {
            let args: Vec<&Expression> = f.args.iter().collect();
            if let Some(t) = args.first() {
                let ty = parse(t, constant);
                let default = args.get(1).map(|d| apply(constant(d), &ty));
                return Attr {
                    name,
                    ty,
                    optional: true,
                    default,
                };
            }
        }
    }
    Attr {
        name,
        ty: parse(e, constant),
        optional: false,
        default: None,
    }
}

/// Convert a value to the type as far as defaults go. Unknown and null values stay as they are;
/// so do values of another shape (Terraform would reject them).
pub fn apply(v: Value, ty: &Ty) -> Value {
    match (ty, v) {
        (Ty::Any, v) => v,
        (Ty::Object(attrs), Value::Object(mut m)) => {
            for a in attrs {
                let cur = m.remove(&a.name);
                let new = match cur {
                    Some(Value::Null) | None if a.optional => a.default.clone().unwrap_or(Value::Null),
                    Some(x) => apply(x, &a.ty),
                    None => continue,
                };
                m.insert(a.name.clone(), new);
            }
            Value::Object(m)
        }
        (Ty::Collection(t), Value::List(items)) => Value::List(items.into_iter().map(|x| apply(x, t)).collect()),
        (Ty::Collection(t), Value::Object(m)) => {
            Value::Object(m.into_iter().map(|(k, x)| (k, apply(x, t))).collect::<Map<Value>>())
        }
        (Ty::Tuple(ts), Value::List(items)) => Value::List(
            items
                .into_iter()
                .enumerate()
                .map(|(i, x)| match ts.get(i) {
                    Some(t) => apply(x, t),
                    None => x,
                })
                .collect(),
        ),
        (_, v) => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(src: &str) -> Ty {
        let body = hcl_edit::parser::parse_body(&format!("t = {src}\n")).unwrap();
        let e = body.attributes().next().unwrap().value.clone();
        parse(&e, &|e| crate::eval::const_value(e))
    }

    fn val(src: &str) -> Value {
        let body = hcl_edit::parser::parse_body(&format!("v = {src}\n")).unwrap();
        let e = body.attributes().next().unwrap().value.clone();
        crate::eval::const_value(&e)
    }

    #[test]
    fn optional_attributes_get_their_defaults_at_every_depth() {
        let t = ty(r#"object({
            role_arn = optional(string)
            network  = optional(string, "VpcOnly")
            given    = string
            nested   = optional(object({ kms = optional(string, "alias/x") }), {})
            profiles = optional(map(object({ role = optional(string) })), {})
        })"#);
        let v = apply(val(r#"{ given = "g", profiles = { a = {}, b = { role = "r" } } }"#), &t);
        assert_eq!(v.get_attr("role_arn"), Some(Value::Null));
        assert_eq!(v.get_attr("network"), Some(Value::str("VpcOnly")));
        assert_eq!(v.get_attr("given"), Some(Value::str("g")));
        assert_eq!(
            v.get_attr("nested").and_then(|n| n.get_attr("kms")),
            Some(Value::str("alias/x"))
        );
        let p = v.get_attr("profiles").unwrap();
        assert_eq!(p.get_attr("a").and_then(|a| a.get_attr("role")), Some(Value::Null));
        assert_eq!(p.get_attr("b").and_then(|a| a.get_attr("role")), Some(Value::str("r")));
        // An explicit null takes the default too.
        let v = apply(val(r#"{ given = "g", network = null }"#), &t);
        assert_eq!(v.get_attr("network"), Some(Value::str("VpcOnly")));
        // Lists of objects; unknown and null stay.
        let l = apply(val("[{}, { a = 1 }]"), &ty("list(object({ a = optional(number, 7) }))"));
        assert_eq!(l, val("[{ a = 7 }, { a = 1 }]"));
        assert!(apply(Value::unknown(), &t).is_unknown());
        assert_eq!(apply(Value::Null, &t), Value::Null);
        assert_eq!(ty("string"), Ty::Any);
    }
}
