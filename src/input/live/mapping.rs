//! API field → Terraform attribute tables (documented in `docs/live-mapping.md`). A dotted
//! API path steps into an object; a dotted attribute path is a nested block (a list of one
//! object). Fields a response omits are not set, so provider defaults apply.

/// (API field path, attribute path).
pub type Table = &'static [(&'static str, &'static str)];

pub const DOMAIN: Table = &[
    ("DomainId", "id"),
    ("DomainArn", "arn"),
    ("DomainName", "domain_name"),
    ("AuthMode", "auth_mode"),
    ("AppNetworkAccessType", "app_network_access_type"),
    ("AppSecurityGroupManagement", "app_security_group_management"),
    ("KmsKeyId", "kms_key_id"),
    ("VpcId", "vpc_id"),
    ("SubnetIds", "subnet_ids"),
    ("HomeEfsFileSystemId", "home_efs_file_system_id"),
    (
        "SecurityGroupIdForDomainBoundary",
        "security_group_id_for_domain_boundary",
    ),
    (
        "SingleSignOnManagedApplicationInstanceId",
        "single_sign_on_managed_application_instance_id",
    ),
    ("TagPropagation", "tag_propagation"),
    ("Url", "url"),
    (
        "DefaultUserSettings.ExecutionRole",
        "default_user_settings.execution_role",
    ),
    (
        "DefaultUserSettings.SecurityGroups",
        "default_user_settings.security_groups",
    ),
    (
        "DefaultUserSettings.StudioWebPortal",
        "default_user_settings.studio_web_portal",
    ),
    (
        "DefaultUserSettings.DefaultLandingUri",
        "default_user_settings.default_landing_uri",
    ),
    (
        "DefaultUserSettings.AutoMountHomeEFS",
        "default_user_settings.auto_mount_home_efs",
    ),
    (
        "DefaultSpaceSettings.ExecutionRole",
        "default_space_settings.execution_role",
    ),
    (
        "DefaultSpaceSettings.SecurityGroups",
        "default_space_settings.security_groups",
    ),
    (
        "DomainSettings.ExecutionRoleIdentityConfig",
        "domain_settings.execution_role_identity_config",
    ),
    ("DomainSettings.SecurityGroupIds", "domain_settings.security_group_ids"),
    ("DomainSettings.IpAddressType", "domain_settings.ip_address_type"),
];

pub const USER_PROFILE: Table = &[
    ("UserProfileArn", "id"),
    ("UserProfileArn", "arn"),
    ("DomainId", "domain_id"),
    ("UserProfileName", "user_profile_name"),
    ("HomeEfsFileSystemUid", "home_efs_file_system_uid"),
    ("SingleSignOnUserIdentifier", "single_sign_on_user_identifier"),
    ("SingleSignOnUserValue", "single_sign_on_user_value"),
    ("UserSettings.ExecutionRole", "user_settings.execution_role"),
    ("UserSettings.SecurityGroups", "user_settings.security_groups"),
    ("UserSettings.StudioWebPortal", "user_settings.studio_web_portal"),
    ("UserSettings.AutoMountHomeEFS", "user_settings.auto_mount_home_efs"),
];

pub const SPACE: Table = &[
    ("SpaceArn", "id"),
    ("SpaceArn", "arn"),
    ("DomainId", "domain_id"),
    ("SpaceName", "space_name"),
    ("SpaceDisplayName", "space_display_name"),
    ("HomeEfsFileSystemUid", "home_efs_file_system_uid"),
    (
        "OwnershipSettings.OwnerUserProfileName",
        "ownership_settings.owner_user_profile_name",
    ),
    (
        "SpaceSharingSettings.SharingType",
        "space_sharing_settings.sharing_type",
    ),
];

pub const NOTEBOOK: Table = &[
    ("NotebookInstanceName", "id"),
    ("NotebookInstanceName", "name"),
    ("NotebookInstanceArn", "arn"),
    ("RoleArn", "role_arn"),
    ("InstanceType", "instance_type"),
    ("SubnetId", "subnet_id"),
    ("SecurityGroups", "security_groups"),
    ("KmsKeyId", "kms_key_id"),
    ("DirectInternetAccess", "direct_internet_access"),
    ("RootAccess", "root_access"),
    ("PlatformIdentifier", "platform_identifier"),
    ("VolumeSizeInGB", "volume_size"),
];

pub const ENDPOINT_CONFIG: Table = &[
    ("EndpointConfigName", "id"),
    ("EndpointConfigName", "name"),
    ("EndpointConfigArn", "arn"),
    ("KmsKeyId", "kms_key_arn"),
];

pub const MODEL: Table = &[
    ("ModelName", "id"),
    ("ModelName", "name"),
    ("ModelArn", "arn"),
    ("ExecutionRoleArn", "execution_role_arn"),
    ("EnableNetworkIsolation", "enable_network_isolation"),
    ("VpcConfig.Subnets", "vpc_config.subnets"),
    ("VpcConfig.SecurityGroupIds", "vpc_config.security_group_ids"),
];

/// `Groups[].GroupId` becomes `security_group_ids`; endpoints in a deleted, deleting, failed,
/// rejected or expired `State` are left out.
pub const VPC_ENDPOINT: Table = &[
    ("VpcEndpointId", "id"),
    ("VpcId", "vpc_id"),
    ("ServiceName", "service_name"),
    ("VpcEndpointType", "vpc_endpoint_type"),
    ("PrivateDnsEnabled", "private_dns_enabled"),
    ("State", "state"),
    ("PolicyDocument", "policy"),
    ("SubnetIds", "subnet_ids"),
    ("RouteTableIds", "route_table_ids"),
    ("IpAddressType", "ip_address_type"),
    ("OwnerId", "owner_id"),
    ("RequesterManaged", "requester_managed"),
];

pub const SUBNET: Table = &[
    ("SubnetId", "id"),
    ("SubnetArn", "arn"),
    ("VpcId", "vpc_id"),
    ("CidrBlock", "cidr_block"),
    ("AvailabilityZone", "availability_zone"),
    ("AvailabilityZoneId", "availability_zone_id"),
    ("MapPublicIpOnLaunch", "map_public_ip_on_launch"),
    ("OwnerId", "owner_id"),
];

/// `Routes[]` becomes the `route` list (blackhole routes left out) with [`ROUTE`];
/// `Associations[]` become `aws_route_table_association`s.
pub const ROUTE_TABLE: Table = &[("RouteTableId", "id"), ("VpcId", "vpc_id"), ("OwnerId", "owner_id")];

pub const ROUTE: Table = &[
    ("DestinationCidrBlock", "cidr_block"),
    ("DestinationIpv6CidrBlock", "ipv6_cidr_block"),
    ("DestinationPrefixListId", "destination_prefix_list_id"),
    ("GatewayId", "gateway_id"),
    ("NatGatewayId", "nat_gateway_id"),
    ("TransitGatewayId", "transit_gateway_id"),
    ("VpcEndpointId", "vpc_endpoint_id"),
    ("VpcPeeringConnectionId", "vpc_peering_connection_id"),
    ("NetworkInterfaceId", "network_interface_id"),
];

pub const ROUTE_TABLE_ASSOCIATION: Table = &[
    ("RouteTableAssociationId", "id"),
    ("RouteTableId", "route_table_id"),
    ("SubnetId", "subnet_id"),
    ("GatewayId", "gateway_id"),
];

/// `IpPermissions`/`IpPermissionsEgress` become `ingress`/`egress` blocks: `IpProtocol` →
/// `protocol`, `FromPort`/`ToPort` → `from_port`/`to_port` (0 when absent), `IpRanges[].CidrIp`
/// → `cidr_blocks`, `Ipv6Ranges[].CidrIpv6` → `ipv6_cidr_blocks`, `PrefixListIds[].PrefixListId`
/// → `prefix_list_ids`, `UserIdGroupPairs[].GroupId` → `security_groups` (a group naming
/// itself stays in `security_groups`; `self` is always false). `Tags` becomes a map.
pub const SECURITY_GROUP: Table = &[
    ("GroupId", "id"),
    ("GroupName", "name"),
    ("Description", "description"),
    ("VpcId", "vpc_id"),
    ("OwnerId", "owner_id"),
];

pub const NAT_GATEWAY: Table = &[
    ("NatGatewayId", "id"),
    ("VpcId", "vpc_id"),
    ("SubnetId", "subnet_id"),
    ("State", "state"),
    ("ConnectivityType", "connectivity_type"),
];

/// From `get-account-authorization-details` also `AttachedManagedPolicies[].PolicyArn` →
/// `managed_policy_arns` and `RolePolicyList[]` → `inline_policy` blocks `{name, policy}`;
/// `get-role` does not list them, so there they are unknown.
pub const ROLE: Table = &[
    ("RoleName", "name"),
    ("Arn", "arn"),
    ("RoleId", "unique_id"),
    ("Path", "path"),
    ("Description", "description"),
    ("MaxSessionDuration", "max_session_duration"),
    ("AssumeRolePolicyDocument", "assume_role_policy"),
    ("PermissionsBoundary.PermissionsBoundaryArn", "permissions_boundary"),
];

/// The default version's `Document` becomes `policy`.
pub const POLICY: Table = &[
    ("PolicyName", "name"),
    ("Arn", "arn"),
    ("Path", "path"),
    ("PolicyId", "policy_id"),
];

/// `Tags` becomes a map.
pub const EFS_FILE_SYSTEM: Table = &[
    ("FileSystemId", "id"),
    ("FileSystemArn", "arn"),
    ("CreationToken", "creation_token"),
    ("Encrypted", "encrypted"),
    ("KmsKeyId", "kms_key_id"),
    ("PerformanceMode", "performance_mode"),
    ("ThroughputMode", "throughput_mode"),
    ("NumberOfMountTargets", "number_of_mount_targets"),
    ("LifeCycleState", "life_cycle_state"),
    ("OwnerId", "owner_id"),
];

/// `security_groups` comes from `describe-mount-target-security-groups --mount-target-id`.
pub const EFS_MOUNT_TARGET: Table = &[
    ("MountTargetId", "id"),
    ("FileSystemId", "file_system_id"),
    ("SubnetId", "subnet_id"),
    ("IpAddress", "ip_address"),
    ("AvailabilityZoneName", "availability_zone_name"),
    ("AvailabilityZoneId", "availability_zone_id"),
    ("NetworkInterfaceId", "network_interface_id"),
    ("LifeCycleState", "life_cycle_state"),
    ("OwnerId", "owner_id"),
];

/// `get-key-rotation-status` adds `KeyRotationEnabled` → `enable_key_rotation`.
pub const KMS_KEY: Table = &[
    ("KeyId", "id"),
    ("KeyId", "key_id"),
    ("Arn", "arn"),
    ("Description", "description"),
    ("KeyUsage", "key_usage"),
    ("KeySpec", "customer_master_key_spec"),
    ("KeyManager", "key_manager"),
    ("KeyState", "key_state"),
    ("Enabled", "is_enabled"),
    ("MultiRegion", "multi_region"),
];

/// Every table with the AWS CLI operation it reads and the Terraform type it makes, in the order
/// `docs/live-mapping.md` lists them (a test keeps that document in step with this list).
pub const ALL: &[(&str, &str, Table)] = &[
    ("sagemaker describe-domain", "aws_sagemaker_domain", DOMAIN),
    (
        "sagemaker describe-user-profile",
        "aws_sagemaker_user_profile",
        USER_PROFILE,
    ),
    ("sagemaker describe-space", "aws_sagemaker_space", SPACE),
    (
        "sagemaker describe-notebook-instance",
        "aws_sagemaker_notebook_instance",
        NOTEBOOK,
    ),
    (
        "sagemaker describe-endpoint-config",
        "aws_sagemaker_endpoint_configuration",
        ENDPOINT_CONFIG,
    ),
    ("sagemaker describe-model", "aws_sagemaker_model", MODEL),
    ("ec2 describe-vpc-endpoints", "aws_vpc_endpoint", VPC_ENDPOINT),
    ("ec2 describe-subnets", "aws_subnet", SUBNET),
    ("ec2 describe-route-tables", "aws_route_table", ROUTE_TABLE),
    ("ec2 describe-route-tables `Routes[]`", "aws_route_table.route", ROUTE),
    (
        "ec2 describe-route-tables `Associations[]`",
        "aws_route_table_association",
        ROUTE_TABLE_ASSOCIATION,
    ),
    ("ec2 describe-security-groups", "aws_security_group", SECURITY_GROUP),
    ("ec2 describe-nat-gateways", "aws_nat_gateway", NAT_GATEWAY),
    (
        "iam get-account-authorization-details `RoleDetailList[]`, iam get-role",
        "aws_iam_role",
        ROLE,
    ),
    (
        "iam get-account-authorization-details `Policies[]`",
        "aws_iam_policy",
        POLICY,
    ),
    ("efs describe-file-systems", "aws_efs_file_system", EFS_FILE_SYSTEM),
    ("efs describe-mount-targets", "aws_efs_mount_target", EFS_MOUNT_TARGET),
    ("kms describe-key", "aws_kms_key", KMS_KEY),
];
