package stacks

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
)

// localStatePath is where a stack's local state lives, relative to its
// working directory (cdktf.out/stacks/<name>): the repository root, outside
// cdktf.out so a new synth never touches state, and the same on every
// machine (cdktf's default is an absolute path). `addons` reads `infra`'s
// state through the same relative path, since both directories are siblings.
func localStatePath(stackName string) string {
	return "../../../terraform." + stackName + ".tfstate"
}

// configureBackend sets the stack's state backend explicitly.
func configureBackend(stack cdktf.TerraformStack, name string, b config.Backend) {
	cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{
		Path: jsii.String(localStatePath(name)),
	})
}

// providerRequirements are the provider sources and version constraints
// every stack declares. The prebuilt bindings write `source = "aws"` and an
// exact version; a full source and a `~>` constraint admit the bindings'
// version and later releases of the same major, so a provider patch never
// needs a new eksready.
var providerRequirements = map[string]map[string]string{
	"aws":  {"source": "hashicorp/aws", "version": "~> 5.99"},
	"helm": {"source": "hashicorp/helm", "version": "~> 2.17"},
}

// requireProviders rewrites the stack's required_providers entries for the
// named providers.
func requireProviders(stack cdktf.TerraformStack, names ...string) {
	for _, n := range names {
		stack.AddOverride(jsii.String("terraform.required_providers."+n), providerRequirements[n])
	}
}
