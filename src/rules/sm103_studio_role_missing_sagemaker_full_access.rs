use super::common::{by_role, names, opaque_module_receives, role_uses};
use super::{Rule, RuleMeta};
use crate::model::policy::PolicyDoc;
use crate::model::value::str_equals;
use crate::model::{Finding, Model, Resource, Severity, Tri, Value};

pub static META: RuleMeta = RuleMeta {
    id: "SM103",
    name: "studio-role-missing-sagemaker-full-access",
    severity: Severity::Warning,
    category: "iam",
    summary: "Studio execution role has neither AmazonSageMakerFullAccess nor an equivalent policy",
    security_severity: "3.0",
    tags: &["security", "iam", "sagemaker", "studio"],
    doc: include_str!("../../rules/SM103-studio-role-missing-sagemaker-full-access.md"),
};

pub struct Sm103;

const FULL_ACCESS_SUFFIX: &str = ":iam::aws:policy/AmazonSageMakerFullAccess";

/// Is a policy ARN AmazonSageMakerFullAccess, or a customer policy that grants as much?
fn grants_full_access(m: &Model, arn: &Value) -> Tri {
    match arn {
        Value::Null => Tri::No,
        Value::String(s) => {
            if s.ends_with(FULL_ACCESS_SUFFIX) {
                return Tri::Yes;
            }
            // A customer managed policy of this configuration, by ARN.
            let mut t = Tri::No;
            for p in m.of_type("aws_iam_policy") {
                if names(m, arn, p) != Tri::No {
                    t = t.or(names(m, arn, p).and(policy_full(p.get("policy"))));
                }
            }
            t
        }
        Value::Unknown(u) => {
            if let Some(sfx) = arn.known_suffix() {
                if sfx.ends_with(FULL_ACCESS_SUFFIX) {
                    return Tri::Yes;
                }
                if u.parts.as_ref().is_some_and(|p| p.len() > 1) && sfx.contains(":policy/") {
                    return Tri::No;
                }
            }
            // A reference to a customer managed policy: read its document.
            for r in &u.refs {
                if let Some(p) = m.resource(&r.address) {
                    if p.rtype == "aws_iam_policy" {
                        return policy_full(p.get("policy"));
                    }
                }
            }
            Tri::Unknown
        }
        _ => Tri::Unknown,
    }
}

fn policy_full(doc: Option<&Value>) -> Tri {
    match doc.and_then(PolicyDoc::from_value) {
        Some(d) => d.allows_on("sagemaker:*", "*"),
        None => Tri::Unknown,
    }
}

fn list_items(v: Option<&Value>) -> Vec<Value> {
    match v {
        Some(Value::List(l)) => l.clone(),
        Some(Value::Null) | None => vec![],
        Some(other) => vec![other.clone()],
    }
}

/// Whether anything in the configuration gives the role full SageMaker access.
fn has_full_access(m: &Model, role: &Resource) -> Tri {
    let mut t = Tri::No;
    // On the role itself.
    for arn in list_items(role.get("managed_policy_arns")) {
        t = t.or(grants_full_access(m, &arn));
    }
    if let Some(v @ Value::Unknown(_)) = role.get("managed_policy_arns") {
        t = t.or(grants_full_access(m, v));
    }
    if let Some(Value::List(inl)) = role.get("inline_policy") {
        for p in inl {
            t = t.or(policy_full(p.get_attr("policy").as_ref()));
        }
    }
    let names_role = |v: Option<&Value>| match v {
        Some(v) => names(m, v, role),
        None => Tri::No,
    };
    for a in m.referring("aws_iam_role_policy_attachment", role) {
        let on = names_role(a.get("role"));
        if on != Tri::No {
            t = t.or(on.and(grants_full_access(m, a.get("policy_arn").unwrap_or(&Value::Null))));
        }
    }
    for a in m.referring("aws_iam_policy_attachment", role) {
        let on = match a.get("roles") {
            Some(Value::List(l)) => Tri::any(l.iter().map(|r| names(m, r, role))),
            Some(Value::Unknown(_)) => Tri::Unknown,
            _ => Tri::No,
        };
        if on != Tri::No {
            t = t.or(on.and(grants_full_access(m, a.get("policy_arn").unwrap_or(&Value::Null))));
        }
    }
    for a in m.referring("aws_iam_role_policy_attachments_exclusive", role) {
        let on = names_role(a.get("role_name"));
        if on != Tri::No {
            let arns = a.get("policy_arns");
            let full = match arns {
                Some(Value::Unknown(_)) => Tri::Unknown,
                _ => Tri::any(list_items(arns).iter().map(|p| grants_full_access(m, p))),
            };
            t = t.or(on.and(full));
        }
    }
    for p in m.referring("aws_iam_role_policy", role) {
        let on = names_role(p.get("role"));
        if on != Tri::No {
            t = t.or(on.and(policy_full(p.get("policy"))));
        }
    }
    if opaque_module_receives(m, role) {
        t = t.or(Tri::Unknown);
    }
    t
}

impl Rule for Sm103 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, m: &Model, out: &mut Vec<Finding>) {
        let uses = role_uses(m);
        for (role, uses) in by_role(&uses) {
            let Some(first) = uses.iter().find(|u| u.studio) else {
                continue;
            };
            if has_full_access(m, role) != Tri::No {
                continue;
            }
            // A role whose name is unknown may be matched by name elsewhere: only
            // attachments by name could be missed, which `names` already treats as unknown.
            let _ = str_equals;
            out.push(Finding {
                rule: &META,
                severity: META.severity,
                message: format!(
                    "Studio execution role {} has neither the AWS managed policy AmazonSageMakerFullAccess attached nor a policy that allows sagemaker:* on *; the Studio setup expects it, and Studio apps fail to start or list resources without it",
                    role.address
                ),
                help: "attach arn:${partition}:iam::aws:policy/AmazonSageMakerFullAccess with an aws_iam_role_policy_attachment (or an equivalent policy allowing sagemaker:* on *)".into(),
                address: role.address.clone(),
                key: role.key.clone(),
                root: String::new(),
                attr: String::new(),
                discriminator: None,
                loc: role.loc.clone(),
                related: vec![super::common::related(first.user, first.attr, "execution role used by")],
            });
        }
    }
}
