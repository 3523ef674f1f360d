# Plans and applies the synthesized bootstrap stack. The AWS provider is
# mocked (the real provider's schema still checks every IAM argument, and
# nothing reaches AWS); the tfe provider is the schema provider serving
# hashicorp/tfe 0.65.2's recorded schema, not mocked, so Terraform
# evaluates its provider block and checks every workspace, setting, trigger
# and variable against that schema. ARNs get realistic defaults.

mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/mock" }
  }
  mock_resource "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::111122223333:oidc-provider/app.terraform.io" }
  }
}

run "plan" {
  command = plan
}

run "apply" {
  command = apply
}
