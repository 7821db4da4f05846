#!/usr/bin/env python3
"""Generate a synthetic Terraform monorepo for benchmarking sagelint's HCL path.

usage: gen_tf.py OUT_DIR STACKS [FILLER_PER_STACK]
Each stack is a root module (a private Studio domain with VPC, endpoints via for_each, IAM policy
documents, user profiles) calling a shared local module, plus FILLER_PER_STACK security groups with
dynamic blocks. About 20 KB of HCL per stack with the default filler.
"""
import os, sys

out, stacks = sys.argv[1], int(sys.argv[2])
filler = int(sys.argv[3]) if len(sys.argv) > 3 else 30

MODULE = '''
variable "vpc_id" {}
variable "region" {}
variable "subnet_ids" { type = list(string) }
variable "services" { type = list(string) }
resource "aws_vpc_endpoint" "this" {
  for_each            = toset(var.services)
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${var.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = var.subnet_ids
  private_dns_enabled = each.key != "logs"
}
output "ids" { value = { for k, v in aws_vpc_endpoint.this : k => v.id } }
'''

def stack(i):
    s = []
    s.append(f'''
provider "aws" {{ region = "us-east-1" }}
locals {{
  name  = "team-{i}"
  users = [for n in range(10) : "user-${{n}}"]
  tags  = {{ team = "t{i}", env = "prod" }}
}}
resource "aws_vpc" "main" {{
  cidr_block = "10.{i % 250}.0.0/16"
  tags       = merge(local.tags, {{ Name = local.name }})
}}
resource "aws_subnet" "private" {{
  count      = 3
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
}}
module "endpoints" {{
  source     = "../../modules/endpoints"
  vpc_id     = aws_vpc.main.id
  region     = "us-east-1"
  subnet_ids = aws_subnet.private[*].id
  services   = ["sagemaker.api", "sagemaker.runtime", "logs", "ecr.api", "ecr.dkr", "sts"{', "kms"' if i % 2 else ''}]
}}
data "aws_iam_policy_document" "trust" {{
  statement {{
    actions = ["sts:AssumeRole"{', "sts:SetSourceIdentity"' if i % 3 else ''}]
    principals {{
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }}
  }}
}}
resource "aws_iam_role" "exec" {{
  name               = "${{local.name}}-exec"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}}
resource "aws_iam_role_policy_attachment" "full" {{
  role       = aws_iam_role.exec.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"
}}
resource "aws_kms_key" "k" {{ enable_key_rotation = true }}
resource "aws_sagemaker_domain" "d" {{
  domain_name             = local.name
  auth_mode               = "IAM"
  vpc_id                  = aws_vpc.main.id
  subnet_ids              = aws_subnet.private[*].id
  app_network_access_type = "VpcOnly"
  kms_key_id              = {'aws_kms_key.k.arn' if i % 5 else 'null'}
  domain_settings {{ execution_role_identity_config = "USER_PROFILE_NAME" }}
  default_user_settings {{ execution_role = aws_iam_role.exec.arn }}
}}
resource "aws_sagemaker_user_profile" "u" {{
  for_each          = toset(local.users)
  domain_id         = aws_sagemaker_domain.d.id
  user_profile_name = each.key
}}
''')
    for j in range(filler):
        s.append(f'''
resource "aws_security_group" "sg{j}" {{
  name   = "${{local.name}}-sg{j}"
  vpc_id = aws_vpc.main.id
  dynamic "ingress" {{
    for_each = {{ https = 443, ssh = 22, app = {8000 + j} }}
    content {{
      description = "${{ingress.key}} from the VPC"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = [aws_vpc.main.cidr_block]
    }}
  }}
  tags = merge(local.tags, {{ Name = format("%s-%02d", local.name, {j}) }})
}}
''')
    return "".join(s)

os.makedirs(os.path.join(out, "modules/endpoints"), exist_ok=True)
with open(os.path.join(out, "modules/endpoints/main.tf"), "w") as f:
    f.write(MODULE)
for i in range(stacks):
    d = os.path.join(out, "stacks", f"s{i:04d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "main.tf"), "w") as f:
        f.write(stack(i))
