# The mocked AWS provider of every terraform test of a synthesized stack
# (the test writes the run blocks): the real provider's schema and its own
# validation of every argument, and nothing reaches AWS. Computed values the
# configuration indexes into, or that the provider validates as ARNs or
# JSON, get realistic defaults. In addons stacks the Helm provider is not
# mocked: it is the schema provider (__tests__/schemaprovider), which serves
# the real hashicorp/helm 2.17.0 schema, so Terraform evaluates and sends the
# provider block (a mocked provider's configuration is never evaluated);
# their run blocks override infra's remote state with plausible outputs.

mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = {
      names    = ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1d", "eu-west-1e", "eu-west-1f"]
      zone_ids = ["euw1-az1", "euw1-az2", "euw1-az3", "euw1-az4", "euw1-az5", "euw1-az6"]
    }
  }
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "111122223333"
      arn        = "arn:aws:sts::111122223333:assumed-role/deployer/session"
    }
  }
  mock_data "aws_iam_session_context" {
    defaults = {
      issuer_arn = "arn:aws:iam::111122223333:role/deployer"
    }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  # The provider checks add-on versions' form (a random mock string fails).
  mock_data "aws_eks_addon_version" {
    defaults = { version = "v1.0.0-eksbuild.1" }
  }
  mock_resource "aws_vpc" {
    # IPv6 subnets are cut from the VPC's /56 with cidrsubnet().
    defaults = { ipv6_cidr_block = "2600:1f18:1234:5600::/56" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/mock" }
  }
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::111122223333:policy/mock" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:111122223333:log-group:mock" }
  }
  mock_resource "aws_eks_cluster" {
    defaults = {
      arn                   = "arn:aws:eks:eu-west-1:111122223333:cluster/mock"
      endpoint              = "https://MOCK.gr7.eu-west-1.eks.amazonaws.com"
      certificate_authority = [{ data = "bW9jaw==" }]
      identity              = [{ oidc = [{ issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/MOCK" }] }]
    }
  }
  mock_resource "aws_eks_node_group" {
    # Scale-from-zero node templates tag the group's Auto Scaling group,
    # named by resources[0].autoscaling_groups[0].name.
    defaults = {
      resources = [{ autoscaling_groups = [{ name = "eks-mock-asg" }], remote_access_security_group_id = "" }]
    }
  }
  mock_resource "aws_launch_template" {
    defaults = { id = "lt-0123456789abcdef0", latest_version = 1 }
  }
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-1:111122223333:mock"
      url = "https://sqs.eu-west-1.amazonaws.com/111122223333/mock"
    }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-1:111122223333:rule/mock" }
  }
  mock_resource "aws_prometheus_workspace" {
    defaults = { arn = "arn:aws:aps:eu-west-1:111122223333:workspace/ws-00000000-0000-0000-0000-000000000000" }
  }
  mock_resource "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/MOCK" }
  }
}
