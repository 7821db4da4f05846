//! Live AWS state: `sagelint snapshot` bundles and raw AWS CLI outputs.
//!
//! Every live document of one command line is read together as one account (one stack): the
//! responses are mapped to Terraform resource types and attribute names (the table is in
//! [`mapping`] and `docs/live-mapping.md`), linked by id and ARN, and located at the byte span
//! of the resource's JSON object in its file.
//!
//! A snapshot bundle looks like:
//!
//! ```json
//! { "sagelint_snapshot": { "version": 1, "created": "2026-01-02T03:04:05Z",
//!     "account": "123456789012", "region": "us-east-1", "tool": "sagelint 0.1.0",
//!     "endpoint_url": null },
//!   "calls": [ { "service": "sagemaker", "operation": "describe-domain",
//!                "parameters": { "--domain-id": "d-abc" }, "response": { ... } },
//!              { "service": "efs", "operation": "describe-mount-targets",
//!                "parameters": { "--file-system-id": "fs-1" },
//!                "error": { "code": "AccessDenied", "message": "..." } } ] }
//! ```

pub mod json;
pub mod mapping;

use crate::model::map::Map;
use crate::model::{
    path_key, AttrMeta, FileId, InputError, Location, Mode, Model, Origin, Provenance, Resource, Value,
};
use json::Node;
use mapping::Table;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The top-level key that marks a snapshot bundle.
pub const SNAPSHOT_KEY: &str = "sagelint_snapshot";
/// The bundle format version this build writes and reads.
pub const SNAPSHOT_VERSION: u64 = 1;

/// Whether a JSON document (not a Terraform one) looks like a live dump: a snapshot bundle or
/// the output of one AWS CLI call sagelint understands.
pub fn looks_live(text: &str) -> bool {
    let Ok(top) = serde_json::from_str::<BTreeMap<String, serde_json::Value>>(text) else {
        return false;
    };
    top.contains_key(SNAPSHOT_KEY) || raw_operation(&top).is_some()
}

/// The (service, operation) a raw CLI output came from, told from its top-level keys.
fn raw_operation(top: &BTreeMap<String, serde_json::Value>) -> Option<(&'static str, &'static str)> {
    let has = |k: &str| top.contains_key(k);
    Some(if has("DomainArn") && has("DomainId") {
        ("sagemaker", "describe-domain")
    } else if has("Domains") {
        ("sagemaker", "list-domains")
    } else if has("UserProfileArn") {
        ("sagemaker", "describe-user-profile")
    } else if has("UserProfiles") {
        ("sagemaker", "list-user-profiles")
    } else if has("SpaceArn") {
        ("sagemaker", "describe-space")
    } else if has("Spaces") {
        ("sagemaker", "list-spaces")
    } else if has("NotebookInstanceArn") {
        ("sagemaker", "describe-notebook-instance")
    } else if has("NotebookInstances") {
        ("sagemaker", "list-notebook-instances")
    } else if has("EndpointConfigArn") {
        ("sagemaker", "describe-endpoint-config")
    } else if has("ModelArn") && has("ModelName") {
        ("sagemaker", "describe-model")
    } else if has("VpcEndpoints") {
        ("ec2", "describe-vpc-endpoints")
    } else if has("Subnets") {
        ("ec2", "describe-subnets")
    } else if has("RouteTables") {
        ("ec2", "describe-route-tables")
    } else if has("NatGateways") {
        ("ec2", "describe-nat-gateways")
    } else if let Some(sg) = top.get("SecurityGroups") {
        let strings = sg.as_array().is_some_and(|a| a.first().is_some_and(|x| x.is_string()));
        if strings {
            ("efs", "describe-mount-target-security-groups")
        } else {
            ("ec2", "describe-security-groups")
        }
    } else if has("RoleDetailList") || has("Policies") && has("UserDetailList") {
        ("iam", "get-account-authorization-details")
    } else if top.get("Role").is_some_and(|r| r.get("Arn").is_some()) {
        ("iam", "get-role")
    } else if has("FileSystems") {
        ("efs", "describe-file-systems")
    } else if has("MountTargets") {
        ("efs", "describe-mount-targets")
    } else if has("KeyMetadata") {
        ("kms", "describe-key")
    } else if has("KeyRotationEnabled") {
        ("kms", "get-key-rotation-status")
    } else {
        return None;
    })
}

/// One AWS CLI call, from a snapshot or a raw output.
struct Call<'a> {
    file: FileId,
    display: &'a str,
    service: &'a str,
    op: &'a str,
    params: Option<&'a Node>,
    /// `None` when the call failed (denied, unsupported).
    response: Option<&'a Node>,
    region: Option<&'a str>,
    account: Option<&'a str>,
}

impl Call<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        self.params?.get(name)?.as_str()
    }
    /// Values of an EC2 `--filters` (or `--filter`) entry by name.
    fn filter_values(&self, name: &str) -> Option<Vec<String>> {
        let p = self.params?;
        let f = p.get("--filters").or_else(|| p.get("--filter"))?;
        let entry = f.as_array().iter().find(|e| e.str_at("Name") == Some(name))?;
        Some(
            entry
                .get("Values")?
                .as_array()
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
        )
    }
}

/// Which VPCs have a complete endpoint listing.
#[derive(Default)]
struct Coverage {
    all: Option<Location>,
    vpcs: HashMap<String, Location>,
}

/// (region, account) an id was seen with.
type RegionAccount = (Option<String>, Option<String>);

struct Builder {
    stack: usize,
    resources: Vec<Resource>,
    index: HashMap<(String, String), usize>,
    /// Mount target id → its security groups (from describe-mount-target-security-groups).
    mt_groups: HashMap<String, (Value, Location)>,
    /// Key id → rotation enabled.
    key_rotation: HashMap<String, (bool, Location)>,
    endpoints: Coverage,
    /// VPC id → main route table id and the association's location.
    main_tables: HashMap<String, (String, Location)>,
    /// Subnets with an explicit route table association.
    associated: HashSet<String>,
    /// VPC id → the first region/account seen with it (for ARNs).
    vpc_seen: BTreeMap<String, RegionAccount>,
    notices: Vec<String>,
}

fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// The ARN of an EC2 resource, when region and account are known.
fn ec2_arn(region: Option<&str>, account: Option<&str>, kind: &str, id: &str) -> Option<String> {
    let (r, a) = (region?, account?);
    Some(format!("arn:{}:ec2:{r}:{a}:{kind}/{id}", partition(r)))
}

/// The region and account in an ARN.
fn arn_region_account(arn: &str) -> (Option<&str>, Option<&str>) {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let get = |i: usize| parts.get(i).copied().filter(|s| !s.is_empty());
    (get(3), get(4))
}

pub fn node_value(n: &Node) -> Value {
    Value::from_json(&n.to_json())
}

/// Set an attribute (`a` or `block.a`; nested blocks are lists of one object).
fn set(r: &mut Resource, attr: &str, v: Value, loc: Location) {
    let segs: Vec<&str> = attr.split('.').collect();
    match segs.as_slice() {
        [a] => {
            r.attrs.insert(a.to_string(), v);
        }
        [blk, a] => {
            let b = r
                .attrs
                .entry(blk.to_string())
                .or_insert_with(|| Value::List(vec![Value::Object(Map::new())]));
            if let Value::List(l) = b {
                if l.is_empty() {
                    l.push(Value::Object(Map::new()));
                }
                if let Some(Value::Object(o)) = l.first_mut() {
                    o.insert(a.to_string(), v);
                }
            }
        }
        _ => return,
    }
    r.meta.insert(
        path_key(&segs),
        AttrMeta {
            loc,
            prov: Provenance::Explicit,
        },
    );
}

/// Apply a mapping table: API field path → attribute path. Absent and null fields are not set.
fn apply(r: &mut Resource, file: FileId, node: &Node, table: Table) {
    for (api, attr) in table {
        let segs: Vec<&str> = api.split('.').collect();
        let mut cur = node;
        let mut member = None;
        for (i, s) in segs.iter().enumerate() {
            let Some(m) = cur.member(s) else {
                member = None;
                break;
            };
            if i + 1 < segs.len() {
                // The enclosing block points at its API object.
                if let Some((blk, _)) = attr.split_once('.') {
                    if !m.value.is_null() && !r.meta.contains_key(blk) {
                        r.meta.insert(
                            blk.to_string(),
                            AttrMeta {
                                loc: Location {
                                    file,
                                    span: m.span.clone(),
                                },
                                prov: Provenance::Explicit,
                            },
                        );
                    }
                }
            }
            cur = &m.value;
            member = Some(m);
        }
        if let Some(m) = member {
            if !m.value.is_null() {
                set(
                    r,
                    attr,
                    node_value(&m.value),
                    Location {
                        file,
                        span: m.span.clone(),
                    },
                );
            }
        }
    }
}

/// Tags as a map (`[{Key, Value}]` → `{Key: Value}`).
fn tags_value(n: &Node) -> Value {
    let mut m = Map::new();
    for t in n.as_array() {
        if let Some(k) = t.str_at("Key") {
            m.insert(
                k.to_string(),
                Value::str(t.get("Value").and_then(Node::as_str).unwrap_or("")),
            );
        }
    }
    Value::Object(m)
}

impl Builder {
    fn new(stack: usize) -> Builder {
        Builder {
            stack,
            resources: Vec::new(),
            index: HashMap::new(),
            mt_groups: HashMap::new(),
            key_rotation: HashMap::new(),
            endpoints: Coverage::default(),
            main_tables: HashMap::new(),
            associated: HashSet::new(),
            vpc_seen: BTreeMap::new(),
            notices: Vec::new(),
        }
    }

    fn new_res(&self, rtype: &str, name: &str, file: FileId, node: &Node, arn: Option<String>) -> Resource {
        let address = format!("{rtype}.{name}");
        Resource {
            mode: Mode::Managed,
            rtype: rtype.to_string(),
            name: name.to_string(),
            key: format!("{}:{address}", self.stack),
            address,
            module: String::new(),
            origin: Origin::Live,
            loc: Location {
                file,
                span: node.span.clone(),
            },
            instances_unknown: false,
            attrs: Map::new(),
            meta: Map::new(),
            arn,
        }
    }

    /// Add a resource unless one of the same type and name exists (the first description wins).
    fn add(&mut self, r: Resource) -> Option<usize> {
        let k = (r.rtype.clone(), r.name.clone());
        if self.index.contains_key(&k) {
            return None;
        }
        self.resources.push(r);
        self.index.insert(k, self.resources.len() - 1);
        Some(self.resources.len() - 1)
    }

    fn see_vpc(&mut self, vpc: Option<&str>, c: &Call) {
        if let Some(v) = vpc.filter(|v| !v.is_empty()) {
            self.vpc_seen
                .entry(v.to_string())
                .or_insert((c.region.map(String::from), c.account.map(String::from)));
        }
    }

    /// Map one typed object with a table; `id` is its AWS id (the address name).
    fn simple(
        &mut self,
        c: &Call,
        rtype: &str,
        id: &str,
        node: &Node,
        table: Table,
        arn: Option<String>,
    ) -> Option<usize> {
        let mut r = self.new_res(rtype, id, c.file, node, arn);
        apply(&mut r, c.file, node, table);
        self.add(r)
    }

    fn call(&mut self, c: &Call) {
        let Some(resp) = c.response else { return };
        match (c.service, c.op) {
            ("sagemaker", "describe-domain") => self.domain(c, resp),
            ("sagemaker", "describe-user-profile") => {
                let (Some(d), Some(n)) = (resp.str_at("DomainId"), resp.str_at("UserProfileName")) else {
                    return;
                };
                let arn = resp.str_at("UserProfileArn").map(String::from);
                self.simple(
                    c,
                    "aws_sagemaker_user_profile",
                    &format!("{d}/{n}"),
                    resp,
                    mapping::USER_PROFILE,
                    arn,
                );
            }
            ("sagemaker", "describe-space") => {
                let (Some(d), Some(n)) = (resp.str_at("DomainId"), resp.str_at("SpaceName")) else {
                    return;
                };
                let arn = resp.str_at("SpaceArn").map(String::from);
                self.simple(c, "aws_sagemaker_space", &format!("{d}/{n}"), resp, mapping::SPACE, arn);
            }
            ("sagemaker", "describe-notebook-instance") => {
                let Some(n) = resp.str_at("NotebookInstanceName") else {
                    return;
                };
                let arn = resp.str_at("NotebookInstanceArn").map(String::from);
                self.simple(c, "aws_sagemaker_notebook_instance", n, resp, mapping::NOTEBOOK, arn);
            }
            ("sagemaker", "describe-endpoint-config") => {
                let Some(n) = resp.str_at("EndpointConfigName") else {
                    return;
                };
                let arn = resp.str_at("EndpointConfigArn").map(String::from);
                self.simple(
                    c,
                    "aws_sagemaker_endpoint_configuration",
                    n,
                    resp,
                    mapping::ENDPOINT_CONFIG,
                    arn,
                );
            }
            ("sagemaker", "describe-model") => {
                let Some(n) = resp.str_at("ModelName") else {
                    return;
                };
                let arn = resp.str_at("ModelArn").map(String::from);
                self.simple(c, "aws_sagemaker_model", n, resp, mapping::MODEL, arn);
            }
            ("ec2", "describe-vpc-endpoints") => self.vpc_endpoints(c, resp),
            ("ec2", "describe-subnets") => {
                for s in resp.get("Subnets").map(Node::as_array).unwrap_or(&[]) {
                    let Some(id) = s.str_at("SubnetId") else {
                        continue;
                    };
                    let arn = s
                        .str_at("SubnetArn")
                        .map(String::from)
                        .or_else(|| ec2_arn(c.region, s.str_at("OwnerId").or(c.account), "subnet", id));
                    self.see_vpc(s.str_at("VpcId"), c);
                    self.simple(c, "aws_subnet", id, s, mapping::SUBNET, arn);
                }
            }
            ("ec2", "describe-route-tables") => self.route_tables(c, resp),
            ("ec2", "describe-security-groups") => {
                for g in resp.get("SecurityGroups").map(Node::as_array).unwrap_or(&[]) {
                    self.security_group(c, g);
                }
            }
            ("ec2", "describe-nat-gateways") => {
                for g in resp.get("NatGateways").map(Node::as_array).unwrap_or(&[]) {
                    let Some(id) = g.str_at("NatGatewayId") else {
                        continue;
                    };
                    let arn = ec2_arn(c.region, c.account, "natgateway", id);
                    self.see_vpc(g.str_at("VpcId"), c);
                    self.simple(c, "aws_nat_gateway", id, g, mapping::NAT_GATEWAY, arn);
                }
            }
            ("iam", "get-account-authorization-details") => {
                for r in resp.get("RoleDetailList").map(Node::as_array).unwrap_or(&[]) {
                    self.role(c, r, true);
                }
                for p in resp.get("Policies").map(Node::as_array).unwrap_or(&[]) {
                    self.policy(c, p);
                }
            }
            ("iam", "get-role") => {
                if let Some(r) = resp.get("Role") {
                    self.role(c, r, false);
                }
            }
            ("efs", "describe-file-systems") => {
                for f in resp.get("FileSystems").map(Node::as_array).unwrap_or(&[]) {
                    let Some(id) = f.str_at("FileSystemId") else {
                        continue;
                    };
                    let arn = f.str_at("FileSystemArn").map(String::from);
                    if let Some(i) = self.simple(c, "aws_efs_file_system", id, f, mapping::EFS_FILE_SYSTEM, arn) {
                        if let Some(t) = f.member("Tags") {
                            set(
                                &mut self.resources[i],
                                "tags",
                                tags_value(&t.value),
                                Location {
                                    file: c.file,
                                    span: t.span.clone(),
                                },
                            );
                        }
                    }
                }
            }
            ("efs", "describe-mount-targets") => {
                for m in resp.get("MountTargets").map(Node::as_array).unwrap_or(&[]) {
                    let Some(id) = m.str_at("MountTargetId") else {
                        continue;
                    };
                    self.see_vpc(m.str_at("VpcId"), c);
                    self.simple(c, "aws_efs_mount_target", id, m, mapping::EFS_MOUNT_TARGET, None);
                }
            }
            ("efs", "describe-mount-target-security-groups") => {
                let Some(mt) = c.param("--mount-target-id") else {
                    self.notices.push(format!(
                        "{}: a raw describe-mount-target-security-groups output does not say which mount target it describes; it is ignored (use `sagelint snapshot`)",
                        c.display
                    ));
                    return;
                };
                if let Some(m) = resp.member("SecurityGroups") {
                    self.mt_groups.insert(
                        mt.to_string(),
                        (
                            node_value(&m.value),
                            Location {
                                file: c.file,
                                span: m.span.clone(),
                            },
                        ),
                    );
                }
            }
            ("kms", "describe-key") => {
                let Some(k) = resp.get("KeyMetadata") else {
                    return;
                };
                let Some(id) = k.str_at("KeyId") else { return };
                let arn = k.str_at("Arn").map(String::from);
                self.simple(c, "aws_kms_key", id, k, mapping::KMS_KEY, arn);
            }
            ("kms", "get-key-rotation-status") => {
                let id = resp.str_at("KeyId").or_else(|| c.param("--key-id"));
                if let (Some(id), Some(m)) = (id, resp.member("KeyRotationEnabled")) {
                    if let Some(b) = m.value.as_bool() {
                        let id = id.rsplit('/').next().unwrap_or(id);
                        self.key_rotation.insert(
                            id.to_string(),
                            (
                                b,
                                Location {
                                    file: c.file,
                                    span: m.span.clone(),
                                },
                            ),
                        );
                    }
                }
            }
            // Listings only name what the describe calls detail.
            _ => {}
        }
    }

    fn domain(&mut self, c: &Call, resp: &Node) {
        let Some(id) = resp.str_at("DomainId") else {
            return;
        };
        let arn = resp.str_at("DomainArn").map(String::from);
        self.see_vpc(resp.str_at("VpcId"), c);
        self.simple(c, "aws_sagemaker_domain", id, resp, mapping::DOMAIN, arn);
    }

    fn vpc_endpoints(&mut self, c: &Call, resp: &Node) {
        let loc = Location {
            file: c.file,
            span: resp.span.clone(),
        };
        match c.filter_values("vpc-id") {
            Some(vpcs) => {
                for v in vpcs {
                    self.endpoints.vpcs.entry(v).or_insert_with(|| loc.clone());
                }
            }
            None => {
                if c.params
                    .is_some_and(|p| p.get("--vpc-endpoint-ids").is_some() || p.get("--filters").is_some())
                {
                    // Filtered by something else: not a complete listing of any VPC.
                } else if self.endpoints.all.is_none() {
                    self.endpoints.all = Some(loc);
                }
            }
        }
        for e in resp.get("VpcEndpoints").map(Node::as_array).unwrap_or(&[]) {
            let Some(id) = e.str_at("VpcEndpointId") else {
                continue;
            };
            let state = e.str_at("State").unwrap_or("").to_ascii_lowercase();
            if matches!(
                state.as_str(),
                "deleted" | "deleting" | "failed" | "rejected" | "expired"
            ) {
                continue;
            }
            self.see_vpc(e.str_at("VpcId"), c);
            let arn = ec2_arn(c.region, e.str_at("OwnerId").or(c.account), "vpc-endpoint", id);
            if let Some(i) = self.simple(c, "aws_vpc_endpoint", id, e, mapping::VPC_ENDPOINT, arn) {
                if let Some(g) = e.member("Groups") {
                    let ids: Vec<Value> = g
                        .value
                        .as_array()
                        .iter()
                        .filter_map(|x| x.str_at("GroupId"))
                        .map(Value::str)
                        .collect();
                    set(
                        &mut self.resources[i],
                        "security_group_ids",
                        Value::List(ids),
                        Location {
                            file: c.file,
                            span: g.span.clone(),
                        },
                    );
                }
            }
        }
    }

    fn route_tables(&mut self, c: &Call, resp: &Node) {
        for t in resp.get("RouteTables").map(Node::as_array).unwrap_or(&[]) {
            let Some(id) = t.str_at("RouteTableId") else {
                continue;
            };
            let vpc = t.str_at("VpcId");
            self.see_vpc(vpc, c);
            let arn = ec2_arn(c.region, t.str_at("OwnerId").or(c.account), "route-table", id);
            let Some(i) = self.simple(c, "aws_route_table", id, t, mapping::ROUTE_TABLE, arn) else {
                continue;
            };
            if let Some(m) = t.member("Routes") {
                let mut routes = Vec::new();
                for r in m.value.as_array() {
                    if r.str_at("State").is_some_and(|s| s.eq_ignore_ascii_case("blackhole")) {
                        continue;
                    }
                    let mut o = Map::new();
                    for (api, attr) in mapping::ROUTE {
                        if let Some(v) = r.get(api).filter(|v| !v.is_null()) {
                            o.insert(attr.to_string(), node_value(v));
                        }
                    }
                    routes.push(Value::Object(o));
                }
                set(
                    &mut self.resources[i],
                    "route",
                    Value::List(routes),
                    Location {
                        file: c.file,
                        span: m.span.clone(),
                    },
                );
            }
            for a in t.get("Associations").map(Node::as_array).unwrap_or(&[]) {
                let aloc = Location {
                    file: c.file,
                    span: a.span.clone(),
                };
                if a.get("Main").and_then(Node::as_bool) == Some(true) {
                    if let Some(v) = vpc {
                        self.main_tables.entry(v.to_string()).or_insert((id.to_string(), aloc));
                    }
                    continue;
                }
                let Some(aid) = a.str_at("RouteTableAssociationId") else {
                    continue;
                };
                if let Some(s) = a.str_at("SubnetId") {
                    self.associated.insert(s.to_string());
                }
                self.simple(
                    c,
                    "aws_route_table_association",
                    aid,
                    a,
                    mapping::ROUTE_TABLE_ASSOCIATION,
                    None,
                );
            }
        }
    }

    fn security_group(&mut self, c: &Call, g: &Node) {
        let Some(id) = g.str_at("GroupId") else {
            return;
        };
        self.see_vpc(g.str_at("VpcId"), c);
        let arn = g
            .str_at("SecurityGroupArn")
            .map(String::from)
            .or_else(|| ec2_arn(c.region, g.str_at("OwnerId").or(c.account), "security-group", id));
        let Some(i) = self.simple(c, "aws_security_group", id, g, mapping::SECURITY_GROUP, arn) else {
            return;
        };
        for (api, attr) in [("IpPermissions", "ingress"), ("IpPermissionsEgress", "egress")] {
            if let Some(m) = g.member(api) {
                let rules = m.value.as_array().iter().map(sg_rule).collect();
                set(
                    &mut self.resources[i],
                    attr,
                    Value::List(rules),
                    Location {
                        file: c.file,
                        span: m.span.clone(),
                    },
                );
            }
        }
        if let Some(t) = g.member("Tags") {
            set(
                &mut self.resources[i],
                "tags",
                tags_value(&t.value),
                Location {
                    file: c.file,
                    span: t.span.clone(),
                },
            );
        }
    }

    fn role(&mut self, c: &Call, r: &Node, complete: bool) {
        let Some(name) = r.str_at("RoleName") else {
            return;
        };
        let arn = r.str_at("Arn").map(String::from);
        let mut res = self.new_res("aws_iam_role", name, c.file, r, arn);
        apply(&mut res, c.file, r, mapping::ROLE);
        res.attrs.insert("id".into(), Value::str(name));
        if complete {
            // get-account-authorization-details lists every attachment and inline policy.
            let loc = |m: Option<&json::Member>| Location {
                file: c.file,
                span: m.map(|m| m.span.clone()).unwrap_or(r.span.clone()),
            };
            let am = r.member("AttachedManagedPolicies");
            let arns = am
                .map(|m| {
                    m.value
                        .as_array()
                        .iter()
                        .filter_map(|p| p.str_at("PolicyArn"))
                        .map(Value::str)
                        .collect()
                })
                .unwrap_or_default();
            set(&mut res, "managed_policy_arns", Value::List(arns), loc(am));
            let ip = r.member("RolePolicyList");
            let inline = ip
                .map(|m| {
                    m.value
                        .as_array()
                        .iter()
                        .map(|p| {
                            let mut o = Map::new();
                            o.insert(
                                "name".to_string(),
                                p.get("PolicyName").map(node_value).unwrap_or(Value::Null),
                            );
                            o.insert(
                                "policy".to_string(),
                                p.get("PolicyDocument").map(node_value).unwrap_or(Value::Null),
                            );
                            Value::Object(o)
                        })
                        .collect()
                })
                .unwrap_or_default();
            set(&mut res, "inline_policy", Value::List(inline), loc(ip));
        } else {
            // get-role does not list attachments: what is attached is not known.
            res.attrs.insert("managed_policy_arns".into(), Value::unknown());
            res.attrs.insert("inline_policy".into(), Value::unknown());
        }
        self.add(res);
    }

    fn policy(&mut self, c: &Call, p: &Node) {
        let Some(name) = p.str_at("PolicyName") else {
            return;
        };
        let arn = p.str_at("Arn").map(String::from);
        let mut res = self.new_res("aws_iam_policy", name, c.file, p, arn.clone());
        apply(&mut res, c.file, p, mapping::POLICY);
        if let Some(a) = arn {
            res.attrs.insert("id".into(), Value::str(a));
        }
        let default = p
            .get("PolicyVersionList")
            .map(Node::as_array)
            .unwrap_or(&[])
            .iter()
            .find(|v| v.get("IsDefaultVersion").and_then(Node::as_bool) == Some(true));
        match default.and_then(|v| v.member("Document")) {
            Some(d) => set(
                &mut res,
                "policy",
                node_value(&d.value),
                Location {
                    file: c.file,
                    span: d.span.clone(),
                },
            ),
            None => {
                res.attrs.insert("policy".into(), Value::unknown());
            }
        }
        self.add(res);
    }

    /// Link what separate calls said about one resource, add the VPCs with a complete endpoint
    /// listing, and the implicit main route table associations.
    fn finish(mut self, model: &mut Model) {
        for r in &mut self.resources {
            match r.rtype.as_str() {
                "aws_efs_mount_target" => {
                    if let Some((v, loc)) = self.mt_groups.get(&r.name) {
                        set(r, "security_groups", v.clone(), loc.clone());
                    }
                }
                "aws_kms_key" => {
                    if let Some((b, loc)) = self.key_rotation.get(&r.name) {
                        set(r, "enable_key_rotation", Value::Bool(*b), loc.clone());
                    }
                }
                _ => {}
            }
        }
        // VPCs: a VPC is a resource of the model only when its endpoint list is known.
        let vpcs: Vec<(String, RegionAccount)> = self.vpc_seen.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        for (vpc, (region, account)) in vpcs {
            let Some(loc) = self.endpoints.vpcs.get(&vpc).or(self.endpoints.all.as_ref()).cloned() else {
                continue;
            };
            let arn = ec2_arn(region.as_deref(), account.as_deref(), "vpc", &vpc);
            let mut r = self.new_res(
                "aws_vpc",
                &vpc,
                loc.file,
                &Node {
                    span: loc.span.clone(),
                    kind: json::Kind::Null,
                },
                arn,
            );
            r.attrs.insert("id".into(), Value::str(&vpc));
            self.add(r);
        }
        // Subnets without an explicit association use their VPC's main route table.
        let mut subnets: Vec<(String, String, Location)> = Vec::new();
        for r in &self.resources {
            match r.rtype.as_str() {
                "aws_subnet" => {
                    if let (Some(id), Some(vpc)) = (r.str("id"), r.str("vpc_id")) {
                        subnets.push((id.to_string(), vpc.to_string(), r.loc.clone()));
                    }
                }
                "aws_sagemaker_domain" => {
                    if let (Some(Value::List(ids)), Some(vpc)) = (r.get("subnet_ids"), r.str("vpc_id")) {
                        for s in ids.iter().filter_map(Value::as_str) {
                            subnets.push((s.to_string(), vpc.to_string(), r.loc_of("subnet_ids")));
                        }
                    }
                }
                _ => {}
            }
        }
        for (subnet, vpc, sloc) in subnets {
            if self.associated.contains(&subnet) {
                continue;
            }
            let Some((rt, loc)) = self.main_tables.get(&vpc).cloned() else {
                continue;
            };
            if !self.index.contains_key(&("aws_subnet".to_string(), subnet.clone())) {
                let mut s = self.new_res(
                    "aws_subnet",
                    &subnet,
                    sloc.file,
                    &Node {
                        span: sloc.span.clone(),
                        kind: json::Kind::Null,
                    },
                    None,
                );
                s.attrs.insert("id".into(), Value::str(&subnet));
                s.attrs.insert("vpc_id".into(), Value::str(&vpc));
                self.add(s);
            }
            let mut a = self.new_res(
                "aws_route_table_association",
                &format!("main-{subnet}"),
                loc.file,
                &Node {
                    span: loc.span.clone(),
                    kind: json::Kind::Null,
                },
                None,
            );
            a.attrs.insert("subnet_id".into(), Value::str(&subnet));
            a.attrs.insert("route_table_id".into(), Value::str(&rt));
            self.add(a);
            self.associated.insert(subnet);
        }
        model.notices.append(&mut self.notices);
        for r in self.resources {
            model.add_resource(r);
        }
    }
}

/// One EC2 permission as a Terraform `ingress`/`egress` block.
fn sg_rule(p: &Node) -> Value {
    let mut o = Map::new();
    let proto = p.get("IpProtocol").and_then(|v| {
        v.as_str()
            .map(String::from)
            .or_else(|| v.as_f64().map(|n| n.to_string()))
    });
    o.insert("protocol".into(), Value::str(proto.unwrap_or_else(|| "-1".into())));
    o.insert(
        "from_port".into(),
        Value::Number(p.get("FromPort").and_then(Node::as_f64).unwrap_or(0.0)),
    );
    o.insert(
        "to_port".into(),
        Value::Number(p.get("ToPort").and_then(Node::as_f64).unwrap_or(0.0)),
    );
    let list = |arr: &str, key: &str| -> Value {
        Value::List(
            p.get(arr)
                .map(Node::as_array)
                .unwrap_or(&[])
                .iter()
                .filter_map(|x| x.str_at(key))
                .map(Value::str)
                .collect(),
        )
    };
    o.insert("cidr_blocks".into(), list("IpRanges", "CidrIp"));
    o.insert("ipv6_cidr_blocks".into(), list("Ipv6Ranges", "CidrIpv6"));
    o.insert("prefix_list_ids".into(), list("PrefixListIds", "PrefixListId"));
    o.insert("security_groups".into(), list("UserIdGroupPairs", "GroupId"));
    o.insert("self".into(), Value::Bool(false));
    Value::Object(o)
}

/// The header of a snapshot bundle.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Header {
    pub version: u64,
    pub created: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    pub tool: Option<String>,
}

/// Read a snapshot's header (None when the document is not a snapshot).
pub fn header(root: &Node) -> Option<Header> {
    let h = root.get(SNAPSHOT_KEY)?;
    let s = |k: &str| h.str_at(k).map(String::from);
    Some(Header {
        version: h.get("version").and_then(Node::as_f64).unwrap_or(0.0) as u64,
        created: s("created"),
        account: s("account"),
        region: s("region"),
        tool: s("tool"),
    })
}

fn position_error(model: &Model, f: FileId, offset: usize, message: String) -> InputError {
    let src = model.sources.get(f);
    let (line, column) = src.line_col(offset);
    InputError {
        path: src.display.clone(),
        line,
        column,
        message,
    }
}

pub fn load(files: &[FileId], model: &mut Model) {
    let stack = model.stacks;
    model.stacks += 1;
    let mut b = Builder::new(stack);
    let mut docs: Vec<(FileId, String, Node)> = Vec::new();
    for &f in files {
        let src = model.sources.get(f);
        let (text, display) = (src.text.clone(), src.display.clone());
        match json::parse(&text) {
            Ok(n) => docs.push((f, display, n)),
            Err(e) => {
                let err = position_error(model, f, e.offset, format!("invalid JSON: {}", e.message));
                model.errors.push(err);
            }
        }
    }
    for (f, display, root) in &docs {
        if let Some(h) = header(root) {
            if h.version > SNAPSHOT_VERSION {
                let err = position_error(
                    model,
                    *f,
                    root.member(SNAPSHOT_KEY).map(|m| m.span.start).unwrap_or(0),
                    format!(
                        "snapshot format version {} is newer than this sagelint reads ({SNAPSHOT_VERSION})",
                        h.version
                    ),
                );
                model.errors.push(err);
                continue;
            }
            let Some(calls) = root.get("calls").filter(|c| matches!(c.kind, json::Kind::Array(_))) else {
                let off = root.member("calls").map(|m| m.span.start).unwrap_or(root.span.start);
                let err = position_error(model, *f, off, "snapshot has no \"calls\" array".into());
                model.errors.push(err);
                continue;
            };
            for c in calls.as_array() {
                let (Some(service), Some(op)) = (c.str_at("service"), c.str_at("operation")) else {
                    let err = position_error(
                        model,
                        *f,
                        c.span.start,
                        "snapshot call without \"service\" and \"operation\"".into(),
                    );
                    model.errors.push(err);
                    continue;
                };
                let response = c.get("response").filter(|r| r.is_object());
                if response.is_none() {
                    let why = c
                        .get("error")
                        .map(|e| {
                            let code = e.str_at("code").unwrap_or("error");
                            format!("{code}: {}", e.str_at("message").unwrap_or("").trim())
                        })
                        .unwrap_or_else(|| "no response recorded".into());
                    b.notices.push(format!(
                        "{display}: {service} {op} was not recorded ({why}); rules that need it stay silent"
                    ));
                }
                b.call(&Call {
                    file: *f,
                    display,
                    service,
                    op,
                    params: c.get("parameters"),
                    response,
                    region: h.region.as_deref(),
                    account: h.account.as_deref(),
                });
            }
        } else {
            let top: BTreeMap<String, serde_json::Value> = match serde_json::from_str(&model.sources.get(*f).text) {
                Ok(t) => t,
                Err(_) => continue,
            };
            let Some((service, op)) = raw_operation(&top) else {
                continue;
            };
            // The region and account of a raw output, from the first ARN in it.
            let arn = first_arn(root);
            let (region, account) = arn.as_deref().map(arn_region_account).unwrap_or((None, None));
            b.call(&Call {
                file: *f,
                display,
                service,
                op,
                params: None,
                response: Some(root),
                region,
                account,
            });
        }
    }
    b.finish(model);
}

fn first_arn(n: &Node) -> Option<String> {
    match &n.kind {
        json::Kind::String(s) if s.starts_with("arn:") && arn_region_account(s).0.is_some() => Some(s.clone()),
        json::Kind::Array(a) => a.iter().find_map(first_arn),
        json::Kind::Object(ms) => ms.iter().find_map(|m| first_arn(&m.value)),
        _ => None,
    }
}
