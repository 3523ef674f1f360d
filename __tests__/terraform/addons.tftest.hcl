# Plans a synthesized addons stack. The Helm provider is not mocked: it is
# the schema provider (__tests__/schemaprovider), which serves the real
# hashicorp/helm 2.17.0 schema, so Terraform evaluates and sends the provider
# block (a mocked provider's configuration is never evaluated) and plans every
# helm_release against that schema. AWS is mocked. The test writes, beside
# this file, an override_data block giving infra's remote state plausible
# outputs (endpoint, CA, ARNs, names) for every output infra declares.
# Computed values an AWS provider checks get realistic defaults.

mock_provider "aws" {
  # The provider checks add-on versions' form (a random mock string fails).
  mock_data "aws_eks_addon_version" {
    defaults = { version = "v1.0.0-eksbuild.1" }
  }
}

run "plan" {
  command = plan
}
