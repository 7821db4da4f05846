# A private SageMaker Studio stack for an ML platform team.
#
# Deliberate mistakes, for `sagelint examples/studio-vpc-only`:
#   - the execution role's trust policy lacks sts:SetSourceIdentity while the domain turns on
#     source identity propagation (SM101, error);
#   - the endpoint list forgot kms (SM202, error);
#   - the logs endpoint leaves private_dns_enabled unset: the provider default is false (SM203).

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.0" }
  }
}

provider "aws" {
  region = var.region
}

locals {
  name = "${var.team}-studio"
  tags = { team = var.team, managed-by = "terraform" }
}

module "network" {
  source   = "./modules/network"
  name     = local.name
  cidr     = var.vpc_cidr
  az_count = 2
  tags     = local.tags
}

module "endpoints" {
  source     = "./modules/endpoints"
  vpc_id     = module.network.vpc_id
  subnet_ids = module.network.private_subnet_ids
  route_table_ids = [module.network.private_route_table_id]
  region     = var.region
  allowed_sg = aws_security_group.studio.id
  services   = ["sagemaker.api", "sagemaker.runtime", "ecr.api", "ecr.dkr", "sts"]
}

resource "aws_security_group" "studio" {
  name   = "${local.name}-apps"
  vpc_id = module.network.vpc_id

  ingress {
    description = "Studio apps talk to each other"
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    self        = true
  }

  egress {
    description = "HTTPS to the interface endpoints"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }

  tags = local.tags
}

resource "aws_kms_key" "studio" {
  description         = "${local.name} home EFS and storage"
  enable_key_rotation = true
  tags                = local.tags
}

resource "aws_sagemaker_domain" "studio" {
  domain_name             = local.name
  auth_mode               = "IAM"
  vpc_id                  = module.network.vpc_id
  subnet_ids              = module.network.private_subnet_ids
  app_network_access_type = "VpcOnly"
  kms_key_id              = aws_kms_key.studio.arn

  domain_settings {
    execution_role_identity_config = "USER_PROFILE_NAME"
    security_group_ids             = [aws_security_group.studio.id]
  }

  default_user_settings {
    execution_role  = aws_iam_role.studio.arn
    security_groups = [aws_security_group.studio.id]
  }

  retention_policy {
    home_efs_file_system = "Delete"
  }

  tags = local.tags
}

resource "aws_sagemaker_user_profile" "users" {
  for_each          = toset(var.users)
  domain_id         = aws_sagemaker_domain.studio.id
  user_profile_name = each.key
}
