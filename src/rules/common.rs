//! Shared questions rules ask of the model: which roles are execution roles, which values name
//! which resource, what a domain's network looks like.

use crate::model::policy::PolicyDoc;
use crate::model::value::str_equals;
use crate::model::{types, Location, Mode, Model, Resolved, Resource, Tri, Value};

/// The attributes that may identify a resource of a type when given as a plain string.
pub fn identity_keys(rtype: &str) -> &'static [&'static str] {
    match rtype {
        "aws_iam_role" | "aws_iam_policy" => &["arn", "name", "id"],
        "aws_sagemaker_domain" => &["id", "arn"],
        "aws_kms_key" => &["arn", "id", "key_id"],
        _ => &["id", "arn"],
    }
}

/// Does `v` name the resource `target`?
pub fn names(m: &Model, v: &Value, target: &Resource) -> Tri {
    match v {
        Value::Null => Tri::No,
        Value::Resource(ri) => Tri::from_bool(ri.address == target.key),
        Value::Unknown(u) => {
            if u.refs.iter().any(|r| r.address == target.key) {
                // Derived from the target and another resource of its type: may be either.
                let other = u.refs.iter().any(|r| {
                    r.address != target.key
                        && m.resource(&r.address)
                            .is_some_and(|o| o.rtype == target.rtype && o.mode == Mode::Managed)
                });
                return if other { Tri::Unknown } else { Tri::Yes };
            }
            let all_other_same_type = !u.refs.is_empty()
                && u.refs.iter().all(|r| {
                    m.resource(&r.address)
                        .is_some_and(|o| o.rtype == target.rtype && o.mode == Mode::Managed)
                });
            if all_other_same_type {
                Tri::No
            } else {
                Tri::Unknown
            }
        }
        Value::String(s) => {
            let mut res = Tri::No;
            for k in identity_keys(&target.rtype) {
                match target.get(k) {
                    Some(Value::String(t)) if t == s => return Tri::Yes,
                    Some(Value::String(_)) | Some(Value::Null) | None => {}
                    Some(other) => res = res.or(str_equals(other, s, false)),
                }
            }
            if target.rtype == types::ROLE {
                // An ARN literal names a role by its name (the last path segment).
                if let Some(name) = s.strip_prefix("arn:").and_then(|r| r.split(":role/").nth(1)) {
                    let name = name.rsplit('/').next().unwrap_or(name);
                    if let Some(n) = target.get("name") {
                        res = res.or(str_equals(n, name, false));
                    }
                }
            }
            res
        }
        Value::List(_) | Value::Object(_) => Tri::No,
        _ => Tri::Unknown,
    }
}

/// Resolve a value to a managed resource of one of `types`.
pub fn resolve<'a>(m: &'a Model, v: &Value, rtypes: &[&str]) -> Option<&'a Resource> {
    if let Resolved::Found(r) = m.resolve(v, rtypes, &["id", "arn"]) {
        return Some(r);
    }
    if let Value::String(s) = v {
        return m.holding(rtypes, s).into_iter().find(|r| names(m, v, r) == Tri::Yes);
    }
    None
}

/// One use of a role as an execution role.
#[derive(Debug)]
pub struct RoleUse<'a> {
    pub role: &'a Resource,
    /// The domain, user profile, notebook or model that names the role.
    pub user: &'a Resource,
    pub attr: &'static str,
    /// A Studio execution role (domain or user profile), not only a SageMaker one.
    pub studio: bool,
}

const ROLE_ATTRS: &[(&str, &str, bool)] = &[
    (types::DOMAIN, "default_user_settings.execution_role", true),
    (types::DOMAIN, "default_space_settings.execution_role", true),
    (types::USER_PROFILE, "user_settings.execution_role", true),
    (types::NOTEBOOK, "role_arn", false),
    (types::MODEL, "execution_role_arn", false),
];

/// Every execution-role use found in the model, ordered by role address.
pub fn role_uses(m: &Model) -> Vec<RoleUse<'_>> {
    let mut out = Vec::new();
    for (t, attr, studio) in ROLE_ATTRS {
        for user in m.of_type(t) {
            let Some(v) = user.get_set(attr) else { continue };
            if let Some(role) = resolve(m, v, &[types::ROLE]) {
                out.push(RoleUse {
                    role,
                    user,
                    attr,
                    studio: *studio,
                });
            }
        }
    }
    out.sort_by(|a, b| a.role.key.cmp(&b.role.key));
    out
}

/// Group uses by role (roles in address order).
pub fn by_role<'a, 'b>(uses: &'b [RoleUse<'a>]) -> Vec<(&'a Resource, Vec<&'b RoleUse<'a>>)> {
    let mut out: Vec<(&'a Resource, Vec<&'b RoleUse<'a>>)> = Vec::new();
    for u in uses {
        match out.last_mut() {
            Some((r, v)) if r.key == u.role.key => v.push(u),
            _ => out.push((u.role, vec![u])),
        }
    }
    out
}

/// The role's trust policy, when anything of it is known.
pub fn trust_policy(role: &Resource) -> Option<PolicyDoc> {
    PolicyDoc::from_value(role.get("assume_role_policy")?)
}

/// The domain a resource belongs to: itself for a domain, `domain_id` for a profile or space.
pub fn domain_of<'a>(m: &'a Model, r: &'a Resource) -> Option<&'a Resource> {
    if r.rtype == types::DOMAIN {
        return Some(r);
    }
    resolve(m, r.get("domain_id")?, &[types::DOMAIN])
}

/// Whether the domain turns on source identity propagation.
pub fn propagates_source_identity(d: &Resource) -> Tri {
    match d.get("domain_settings.execution_role_identity_config") {
        None | Some(Value::Null) => Tri::No,
        Some(v) => str_equals(v, "USER_PROFILE_NAME", true),
    }
}

/// A domain's VPC, when it is a resource of the scanned configuration.
pub fn domain_vpc<'a>(m: &'a Model, d: &'a Resource) -> Option<&'a Resource> {
    let v = d.get_set("vpc_id")?;
    resolve(m, v, &[types::VPC])
}

pub fn is_vpc_only(d: &Resource) -> Tri {
    match d.get("app_network_access_type") {
        Some(v) => str_equals(v, "VpcOnly", true),
        None => Tri::No,
    }
}

/// Whether a module that cannot be read receives the resource (so it may add to it): an input
/// that refers to it, or that names it by a known identity (`role_name = aws_iam_role.x.name`
/// evaluates to the role's literal name, which carries no reference).
pub fn opaque_module_receives(m: &Model, r: &Resource) -> bool {
    fn receives(m: &Model, v: &Value, r: &Resource) -> bool {
        match v {
            Value::List(l) => l.iter().any(|x| receives(m, x, r)),
            Value::Object(o) => o.values().any(|x| receives(m, x, r)),
            _ => v.mentions(&r.key) || names(m, v, r) == Tri::Yes,
        }
    }
    m.opaque_modules
        .iter()
        .any(|om| om.inputs.values().any(|v| receives(m, v, r)))
}

/// The Interface-endpoint services a private Studio domain needs, and S3.
pub const INTERFACE_SERVICES: &[&str] = &[
    "sagemaker.api",
    "sagemaker.runtime",
    "logs",
    "ecr.api",
    "ecr.dkr",
    "sts",
    "kms",
];
pub const S3: &str = "s3";

/// Does an endpoint's service name denote `service` (`com.amazonaws.<region>.<service>`)?
pub fn service_is(v: &Value, service: &str) -> Tri {
    let Some(parts) = v.string_parts() else {
        return Tri::Unknown;
    };
    let dotted = format!(".{service}");
    match parts.last() {
        Some(crate::model::Part::Lit(l)) => {
            if parts.len() == 1 {
                // Fully known.
                return Tri::from_bool(l.ends_with(&dotted) && l.matches('.').count() >= 3);
            }
            if l.ends_with(&dotted) {
                Tri::Yes
            } else if dotted.ends_with(l.as_str()) {
                Tri::Unknown
            } else {
                Tri::No
            }
        }
        _ => Tri::Unknown,
    }
}

/// Whether an endpoint is of the type a service needs.
pub fn endpoint_type_ok(e: &Resource, service: &str) -> Tri {
    let Some(t) = e.get("vpc_endpoint_type") else {
        return Tri::Unknown;
    };
    if service == S3 {
        str_equals(t, "Gateway", true).or(str_equals(t, "Interface", true))
    } else {
        str_equals(t, "Interface", true)
    }
}

/// Endpoints that may be in `vpc`, with how sure that is.
pub fn endpoints_in<'a>(m: &'a Model, vpc: &Resource) -> Vec<(&'a Resource, Tri)> {
    m.referring(types::ENDPOINT, vpc)
        .into_iter()
        .map(|e| {
            let inv = match e.get("vpc_id") {
                Some(v) => names(m, v, vpc),
                None => Tri::Unknown,
            };
            (e, inv)
        })
        .filter(|(_, t)| *t != Tri::No)
        .collect()
}

/// Whether any of the domain's subnets sends 0.0.0.0/0 to a NAT gateway.
pub fn subnets_route_to_nat(m: &Model, d: &Resource) -> bool {
    let Some(Value::List(subnets)) = d.get("subnet_ids") else {
        return false;
    };
    let nat_route = |route: &Value| {
        let dest = route
            .get_attr("cidr_block")
            .or_else(|| route.get_attr("destination_cidr_block"));
        let to_nat = route
            .get_attr("nat_gateway_id")
            .is_some_and(|v| !v.is_null() && v.as_str() != Some(""));
        dest.is_some_and(|d| d.as_str() == Some("0.0.0.0/0")) && to_nat
    };
    for s in subnets {
        let Some(subnet) = resolve(m, s, &["aws_subnet"]) else {
            continue;
        };
        for assoc in m.referring("aws_route_table_association", subnet) {
            if assoc.get("subnet_id").map(|v| names(m, v, subnet)) != Some(Tri::Yes) {
                continue;
            }
            let Some(rt) = assoc
                .get("route_table_id")
                .and_then(|v| resolve(m, v, &["aws_route_table", "aws_default_route_table"]))
            else {
                continue;
            };
            if let Some(Value::List(routes)) = rt.get("route") {
                if routes.iter().any(nat_route) {
                    return true;
                }
            }
            for r in m.referring("aws_route", rt) {
                if r.get("route_table_id").map(|v| names(m, v, rt)) == Some(Tri::Yes)
                    && nat_route(&Value::Object(r.attrs.clone()))
                {
                    return true;
                }
            }
        }
    }
    false
}

/// The location of an attribute of `r` and a label for related locations.
pub fn related(r: &Resource, attr: &str, what: &str) -> (Location, String) {
    (r.loc_of(attr), format!("{what} {}", r.address))
}
