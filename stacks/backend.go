package stacks

import (
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/catalog"
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

// configureBackend sets the stack's state backend explicitly. name is the
// stack's name (StackName): it ends in its kind, which picks the stack's
// own S3 key or workspace.
//
// cdktf builds the remote-state data source `addons` reads `infra`'s
// outputs through from `infra`'s backend object (getRemoteStateDataSource:
// the S3 backend's properties, the cloud backend's organization, hostname
// and workspace name), so whatever is set through the backend's properties
// reaches `addons` too. Overrides added with AddOverride do not; the only
// one here is use_lockfile, which a read never needs.
func configureBackend(stack cdktf.TerraformStack, name string, b config.Backend) {
	kind := stackKind(name)
	switch b.Type {
	case config.BackendS3:
		s := b.S3
		cfg := &cdktf.S3BackendConfig{
			Bucket:  jsii.String(s.Bucket),
			Key:     jsii.String(s.Keys.For(kind)),
			Region:  jsii.String(s.Region),
			Encrypt: jsii.Bool(true),
		}
		if s.DynamodbTable != "" {
			cfg.DynamodbTable = jsii.String(s.DynamodbTable)
		}
		if s.KmsKeyID != "" {
			cfg.KmsKeyId = jsii.String(s.KmsKeyID)
		}
		if s.RoleArn != "" {
			cfg.AssumeRole = &cdktf.S3BackendAssumeRoleConfig{RoleArn: jsii.String(s.RoleArn)}
		}
		cdktf.NewS3Backend(stack, cfg)
		// S3-native locking: a lock object next to the state, no DynamoDB
		// table needed. cdktf 0.20's S3BackendConfig predates it.
		stack.AddOverride(jsii.String("terraform.backend.s3.use_lockfile"), true)
		// use_lockfile is unknown before Terraform 1.10; say so up front
		// rather than with an "unsupported argument" at init.
		stack.AddOverride(jsii.String("terraform.required_version"), jsii.String(">= 1.10"))
	case config.BackendCloud:
		c := b.Cloud
		var project *string
		if c.Project != "" {
			project = jsii.String(c.Project)
		}
		// A named workspace, never tags: cross-stack references need one
		// workspace to read (cdktf refuses tagged workspaces for them).
		cdktf.NewCloudBackend(stack, &cdktf.CloudBackendConfig{
			Organization: jsii.String(c.Organization),
			Hostname:     jsii.String(c.Hostname),
			Workspaces:   cdktf.NewNamedCloudWorkspace(jsii.String(c.Workspaces.For(kind)), project),
		})
	default:
		cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{
			Path: jsii.String(localStatePath(name)),
		})
	}
}

// stackKind is the kind a stack name ends in: `infra` for both `infra`
// and `prod-infra`.
func stackKind(name string) string {
	if strings.HasSuffix(name, config.StackAddons) {
		return config.StackAddons
	}
	return config.StackInfra
}

// providerRequirements are the provider sources and version constraints
// every stack declares. The prebuilt bindings write `source = "aws"` and an
// exact version; a full source and a `~>` constraint admit the bindings'
// version and later releases of the same major, so a provider patch never
// needs a new eksready.
var providerRequirements = map[string]map[string]string{
	"aws":  {"source": "hashicorp/aws", "version": "~> 5.99"},
	"helm": {"source": "hashicorp/helm", "version": "~> 2.17"},
	"tfe":  {"source": catalog.TfeProvider.Source, "version": catalog.TfeProvider.Constraint},
}

// requireProviders rewrites the stack's required_providers entries for the
// named providers.
func requireProviders(stack cdktf.TerraformStack, names ...string) {
	for _, n := range names {
		stack.AddOverride(jsii.String("terraform.required_providers."+n), providerRequirements[n])
	}
}
