//! Provider defaults, applied once to every resource whatever its input, so a rule sees the
//! effective value and can tell "not set; provider default is …" from an explicit setting.

use super::{AttrMeta, Provenance, Resource, Value};
use crate::model::Mode;

/// (resource type, attribute, default value) for top-level attributes.
pub const DEFAULTS: &[(&str, &str, DefaultValue)] = &[
    (
        "aws_sagemaker_domain",
        "app_network_access_type",
        DefaultValue::Str("PublicInternetOnly"),
    ),
    ("aws_vpc_endpoint", "vpc_endpoint_type", DefaultValue::Str("Gateway")),
    ("aws_vpc_endpoint", "private_dns_enabled", DefaultValue::Bool(false)),
    (
        "aws_sagemaker_notebook_instance",
        "direct_internet_access",
        DefaultValue::Str("Enabled"),
    ),
];

#[derive(Clone, Copy, Debug)]
pub enum DefaultValue {
    Str(&'static str),
    Bool(bool),
}

impl DefaultValue {
    pub fn value(self) -> Value {
        match self {
            DefaultValue::Str(s) => Value::str(s.to_string()),
            DefaultValue::Bool(b) => Value::Bool(b),
        }
    }
}

/// The provider default of an attribute, if sagelint knows one.
pub fn default_of(rtype: &str, attr: &str) -> Option<Value> {
    DEFAULTS
        .iter()
        .find(|(t, a, _)| *t == rtype && *a == attr)
        .map(|(_, _, v)| v.value())
}

pub fn apply(r: &mut Resource) {
    if r.mode != Mode::Managed {
        return;
    }
    for (t, a, v) in DEFAULTS {
        if r.rtype != *t {
            continue;
        }
        let absent = matches!(r.attrs.get(a), None | Some(Value::Null));
        if absent {
            r.attrs.insert(a.to_string(), v.value());
            r.meta.insert(
                a.to_string(),
                AttrMeta {
                    loc: r.loc.clone(),
                    prov: Provenance::Default,
                },
            );
        }
    }
}

/// Attributes that no rule reads and that make up much of a large plan or state (tags on every
/// resource, and `tags_all` repeating them with the provider's default tags): the plan and
/// state adapter does not keep them. (The live adapter keeps the home EFS's tags: `cleanup`
/// finds the file system by the tag SageMaker puts on it.)
pub const UNREAD_ATTRS: &[&str] = &["tags", "tags_all", "timeouts"];
