package catalog

// TerraformVersion is the Terraform release eksready's tests run
// (`terraform init`, `validate` and `test` over every synthesized stack),
// and so the version the HCP Terraform workspaces eksready creates are
// pinned to by default: the one the stacks are known to work with.
// Source: `terraform version` of the binary on the development and CI
// machines (/usr/local/bin/terraform), checked 2026-12-05; a whole-app
// test compares it with the binary the tests run, so a new Terraform on
// those machines fails until this row moves with it.
const TerraformVersion = "1.11.4"

// ProviderBinding is a Terraform provider eksready writes through Go
// bindings that set-up generates from an npm package with jsii-pacmak
// (the Go module proxy does not serve them): the npm package pins the
// provider version the bindings were built from, which is also the
// version whose recorded schema the terraform checks serve.
type ProviderBinding struct {
	// Source is the provider's registry source address.
	Source string
	// Version is the provider release the bindings were generated for.
	Version string
	// Constraint is what the synthesized stacks require: the bindings'
	// version and later releases of the same minor series.
	Constraint string
	// NpmPackage and NpmVersion are the bindings' package, pinned exactly
	// in package.json.
	NpmPackage, NpmVersion string
}

// TfeProvider is the hashicorp/tfe provider the `bootstrap` stack manages
// HCP Terraform workspaces with. Source: npm @cdktf/provider-tfe 11.13.2,
// package.json "cdktf.provider" (registry.terraform.io/hashicorp/tfe
// 0.65.2) and peer dependency cdktf ^0.20.0, read 2026-12-05; its schema
// is recorded in __tests__/schemaprovider/schemas/. The constraint stays
// within 0.65: tfe is pre-1.0, where a minor release may change arguments
// (0.65 itself deprecates the workspace's execution mode and state-sharing
// arguments in favour of tfe_workspace_settings).
var TfeProvider = ProviderBinding{
	Source:     "hashicorp/tfe",
	Version:    "0.65.2",
	Constraint: "~> 0.65.2",
	NpmPackage: "@cdktf/provider-tfe",
	NpmVersion: "11.13.2",
}
