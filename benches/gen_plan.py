#!/usr/bin/env python3
"""Generate a large `terraform show -json` plan (minified, like Terraform prints it) for benchmarks.

usage: benches/gen_plan.py OUT.json [SIZE_MB]   (default 100)

The plan has one module "stack" called with for_each; every instance holds a private Studio
setup (VPC, subnets, route tables, security groups with many rules, interface endpoints, IAM
role and attachments, KMS key, domain, user profiles, buckets). Computed attributes are unknown
(`after_unknown`), linked through `configuration` references, as in a plan for new
infrastructure. Every 7th stack lacks the sts endpoint, so SM202 fires there.
"""
import json, sys

SERVICES = ["sagemaker.api", "sagemaker.runtime", "logs", "ecr.api", "ecr.dkr", "sts", "kms"]
out_path = sys.argv[1]
target = int(float(sys.argv[2]) * 1024 * 1024) if len(sys.argv) > 2 else 100 * 1024 * 1024
PROVIDER = "registry.terraform.io/hashicorp/aws"


def dumps(o):
    return json.dumps(o, separators=(",", ":"))


def refs(*names):
    out = []
    for n in names:
        parts = n.split(".")
        out.append(n)
        if len(parts) > 2:
            out.append(".".join(parts[:2]))
    return {"references": out}


def sensitive_shape(v):
    if isinstance(v, dict):
        return {k: sensitive_shape(x) for k, x in v.items() if isinstance(x, (dict, list))}
    if isinstance(v, list):
        return [sensitive_shape(x) if isinstance(x, (dict, list)) else False for x in v]
    return False


def tags(i, kind):
    return {"Name": f"stack-{i}-{kind}", "team": f"team-{i % 40}", "cost-center": f"cc-{i % 13:04d}",
            "environment": "production", "managed-by": "terraform", "repository": "github.com/example/platform"}


def stack_resources(i, key):
    """(type, name, index, after, after_unknown) for one module instance."""
    cidr = f"10.{i % 250}.0.0/16"
    res = []
    res.append(("aws_vpc", "this", None, {"cidr_block": cidr, "enable_dns_support": True, "enable_dns_hostnames": True,
                "instance_tenancy": "default", "tags": tags(i, "vpc"), "tags_all": tags(i, "vpc"), "region": "eu-west-1"},
                {"id": True, "arn": True, "default_route_table_id": True, "main_route_table_id": True, "owner_id": True}))
    for s in range(3):
        res.append(("aws_subnet", "private", s, {"cidr_block": f"10.{i % 250}.{s}.0/24", "availability_zone": f"eu-west-1{'abc'[s]}",
                    "map_public_ip_on_launch": False, "tags": tags(i, f"subnet-{s}"), "tags_all": tags(i, f"subnet-{s}")},
                    {"id": True, "arn": True, "vpc_id": True, "owner_id": True}))
    res.append(("aws_route_table", "private", None, {"tags": tags(i, "rt"), "tags_all": tags(i, "rt"), "route": []},
                {"id": True, "arn": True, "vpc_id": True}))
    for s in range(3):
        res.append(("aws_route_table_association", "private", s, {"gateway_id": None}, {"id": True, "subnet_id": True, "route_table_id": True}))
    for sg in ("studio", "vpce"):
        ingress = [{"from_port": 1000 + r, "to_port": 1000 + r, "protocol": "tcp", "cidr_blocks": [cidr], "description": f"rule {r}",
                    "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": False} for r in range(12)]
        res.append(("aws_security_group", sg, None, {"name": f"stack-{i}-{sg}", "description": "Managed by Terraform", "ingress": ingress,
                    "revoke_rules_on_delete": False, "tags": tags(i, sg), "tags_all": tags(i, sg)},
                    {"id": True, "arn": True, "vpc_id": True, "owner_id": True, "egress": True}))
    services = [s for s in SERVICES if not (s == "sts" and i % 7 == 0)]
    for s in services:
        res.append(("aws_vpc_endpoint", "interface", f'"{s}"', {"service_name": f"com.amazonaws.eu-west-1.{s}", "vpc_endpoint_type": "Interface",
                    "private_dns_enabled": True, "auto_accept": None, "tags": tags(i, s), "tags_all": tags(i, s), "subnet_ids": [None, None, None],
                    "security_group_ids": [None]},
                    {"id": True, "arn": True, "vpc_id": True, "dns_entry": True, "network_interface_ids": True, "owner_id": True,
                     "subnet_ids": [True, True, True], "security_group_ids": [True], "cidr_blocks": True, "prefix_list_id": True}))
    res.append(("aws_vpc_endpoint", "s3", None, {"service_name": "com.amazonaws.eu-west-1.s3", "vpc_endpoint_type": "Gateway",
                "tags": tags(i, "s3"), "tags_all": tags(i, "s3"), "route_table_ids": [None]},
                {"id": True, "arn": True, "vpc_id": True, "route_table_ids": [True], "private_dns_enabled": True}))
    trust = dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
                   "Principal": {"Service": "sagemaker.amazonaws.com"}}]})
    res.append(("aws_iam_role", "exec", None, {"name": f"stack-{i}-exec", "assume_role_policy": trust, "path": "/", "max_session_duration": 3600,
                "tags": tags(i, "role"), "tags_all": tags(i, "role"), "inline_policy": []},
                {"id": True, "arn": True, "unique_id": True, "create_date": True, "managed_policy_arns": True}))
    for p in ("AmazonSageMakerFullAccess", "AmazonS3ReadOnlyAccess", "CloudWatchLogsReadOnlyAccess"):
        res.append(("aws_iam_role_policy_attachment", "exec", f'"{p}"', {"role": f"stack-{i}-exec", "policy_arn": f"arn:aws:iam::aws:policy/{p}"}, {"id": True}))
    res.append(("aws_kms_key", "studio", None, {"description": f"stack {i}", "enable_key_rotation": True, "is_enabled": True,
                "key_usage": "ENCRYPT_DECRYPT", "tags": tags(i, "kms"), "tags_all": tags(i, "kms")},
                {"id": True, "arn": True, "key_id": True, "policy": True}))
    res.append(("aws_sagemaker_domain", "this", None, {"domain_name": f"stack-{i}", "auth_mode": "IAM", "app_network_access_type": "VpcOnly",
                "default_user_settings": [{"security_groups": [None]}], "domain_settings": [{"execution_role_identity_config": "USER_PROFILE_NAME"}],
                "retention_policy": [{"home_efs_file_system": "Delete"}], "subnet_ids": [None, None, None], "tags": tags(i, "domain"), "tags_all": tags(i, "domain")},
                {"id": True, "arn": True, "url": True, "vpc_id": True, "kms_key_id": True, "home_efs_file_system_id": True,
                 "default_user_settings": [{"execution_role": True, "security_groups": [True]}], "subnet_ids": [True, True, True]}))
    for u in range(2):
        res.append(("aws_sagemaker_user_profile", "user", u, {"user_profile_name": f"user-{u}", "tags": tags(i, f"user-{u}")},
                    {"id": True, "arn": True, "domain_id": True, "home_efs_file_system_uid": True}))
    for b in range(4):
        res.append(("aws_s3_bucket", "data", b, {"bucket": f"stack-{i}-data-{b}", "force_destroy": False, "tags": tags(i, f"bucket-{b}"),
                    "tags_all": tags(i, f"bucket-{b}")},
                    {"id": True, "arn": True, "bucket_domain_name": True, "region": True, "versioning": True, "policy": True}))
    return res


def config_module():
    def r(t, n, expr, **kw):
        d = {"address": f"{t}.{n}", "mode": "managed", "type": t, "name": n, "provider_config_key": "aws", "expressions": expr, "schema_version": 0}
        d.update(kw)
        return d
    vpc = refs("aws_vpc.this.id")
    return {
        "resources": [
            r("aws_vpc", "this", {"cidr_block": refs("var.cidr"), "enable_dns_support": {"constant_value": True}, "enable_dns_hostnames": {"constant_value": True}}),
            r("aws_subnet", "private", {"vpc_id": vpc, "cidr_block": refs("var.cidr", "count.index")}, count_expression={"constant_value": 3}),
            r("aws_route_table", "private", {"vpc_id": vpc}),
            r("aws_route_table_association", "private", {"subnet_id": refs("aws_subnet.private", "count.index"), "route_table_id": refs("aws_route_table.private.id")},
              count_expression={"constant_value": 3}),
            r("aws_security_group", "studio", {"vpc_id": vpc, "name": refs("var.name")}),
            r("aws_security_group", "vpce", {"vpc_id": vpc, "name": refs("var.name")}),
            r("aws_vpc_endpoint", "interface", {"vpc_id": vpc, "service_name": refs("each.key"), "vpc_endpoint_type": {"constant_value": "Interface"},
              "private_dns_enabled": {"constant_value": True}, "subnet_ids": refs("aws_subnet.private"), "security_group_ids": refs("aws_security_group.vpce.id")},
              for_each_expression=refs("var.services")),
            r("aws_vpc_endpoint", "s3", {"vpc_id": vpc, "service_name": {"constant_value": "com.amazonaws.eu-west-1.s3"},
              "vpc_endpoint_type": {"constant_value": "Gateway"}, "route_table_ids": refs("aws_route_table.private.id")}),
            r("aws_iam_role", "exec", {"name": refs("var.name"), "assume_role_policy": {}}),
            r("aws_iam_role_policy_attachment", "exec", {"role": refs("aws_iam_role.exec.name"), "policy_arn": refs("each.value")},
              for_each_expression={"constant_value": {}}),
            r("aws_kms_key", "studio", {"enable_key_rotation": {"constant_value": True}, "description": refs("var.name")}),
            r("aws_sagemaker_domain", "this", {"domain_name": refs("var.name"), "auth_mode": {"constant_value": "IAM"},
              "app_network_access_type": {"constant_value": "VpcOnly"}, "vpc_id": vpc, "subnet_ids": refs("aws_subnet.private"),
              "kms_key_id": refs("aws_kms_key.studio.arn"),
              "domain_settings": [{"execution_role_identity_config": {"constant_value": "USER_PROFILE_NAME"}}],
              "default_user_settings": [{"execution_role": refs("aws_iam_role.exec.arn"), "security_groups": refs("aws_security_group.studio.id")}],
              "retention_policy": [{"home_efs_file_system": {"constant_value": "Delete"}}]}),
            r("aws_sagemaker_user_profile", "user", {"domain_id": refs("aws_sagemaker_domain.this.id"), "user_profile_name": refs("count.index")},
              count_expression={"constant_value": 2}),
            r("aws_s3_bucket", "data", {"bucket": refs("var.name", "count.index")}, count_expression={"constant_value": 4}),
        ],
        "variables": {"name": {}, "cidr": {}, "services": {}},
    }


def main():
    written = 0
    n = 0
    with open(out_path, "w") as f:
        def w(s):
            nonlocal written
            f.write(s)
            written += len(s)
        w('{"format_version":"1.2","terraform_version":"1.11.4","resource_changes":[')
        planned = []
        first = True
        # planned_values duplicates `after` in Terraform's output: ~ half of what we write.
        while written < target * 0.6:
            key = f"s{n:05d}"
            mod = f'module.stack["{key}"]'
            for (t, name, idx, after, unk) in stack_resources(n, key):
                addr = f"{mod}.{t}.{name}" + ("" if idx is None else f"[{idx}]")
                rc = {"address": addr, "module_address": mod, "mode": "managed", "type": t, "name": name}
                if idx is not None:
                    rc["index"] = idx if isinstance(idx, int) else json.loads(idx)
                rc["provider_name"] = PROVIDER
                rc["change"] = {"actions": ["create"], "before": None, "after": after, "after_unknown": unk,
                                "before_sensitive": False, "after_sensitive": sensitive_shape(after)}
                w(("" if first else ",") + dumps(rc))
                first = False
                pv = {"address": addr, "mode": "managed", "type": t, "name": name, "provider_name": PROVIDER, "schema_version": 0,
                      "values": after, "sensitive_values": sensitive_shape(after)}
                planned.append(dumps(pv))
            if len(planned) > 2000:
                pass
            n += 1
        w('],"planned_values":{"root_module":{"child_modules":[')
        # Grouping by module instance is not needed for the benchmark: one child module.
        w('{"address":"module.stack","resources":[')
        w(",".join(planned))
        w("]}]}}")
        cfg = {"provider_config": {"aws": {"name": "aws", "full_name": PROVIDER}},
               "root_module": {"module_calls": {"stack": {"source": "./stack", "for_each_expression": refs("local.stacks"),
                                                          "expressions": {"name": refs("each.key"), "cidr": refs("each.value.cidr"),
                                                                          "services": refs("each.value.services")},
                                                          "module": config_module()}}}}
        w(',"configuration":' + dumps(cfg))
        w(',"timestamp":"2025-01-01T00:00:00Z","applyable":true,"complete":true,"errored":false}\n')
    print(f"{out_path}: {written / 1024 / 1024:.1f} MB, {n} stacks, {n * len(stack_resources(0, 'x'))} resources", file=sys.stderr)


main()
