// Package stacks composes eksready's constructs into its two Terraform
// stacks: `infra` (every AWS resource) and `addons` (in-cluster software
// through Helm), so the AWS and Kubernetes/Helm providers never share a plan.
package stacks

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/cluster"
	"github.com/eksready/eksready/constructs/network"
)

// Infra is the `infra` stack: every AWS resource of the platform.
type Infra struct {
	// Stack is the Terraform stack.
	Stack cdktf.TerraformStack
	// Network is the VPC.
	Network *network.Network
	// Cluster is the EKS control plane.
	Cluster *cluster.Cluster
}

// NewInfra builds the `infra` stack from a validated configuration.
func NewInfra(scope constructs.Construct, name string, cfg config.Cluster) *Infra {
	stack := cdktf.NewTerraformStack(scope, jsii.String(name))
	configureBackend(stack, name, cfg.Backend)
	newAwsProvider(stack, cfg)
	requireProviders(stack, "aws")
	net := newNetwork(stack, cfg)
	cl := cluster.NewCluster(stack, "control-plane", cluster.ClusterConfig{
		Name:              cfg.Name,
		KubernetesVersion: cfg.KubernetesVersion,
		SubnetIds:         net.ControlPlaneSubnetIds,
	})
	return &Infra{Stack: stack, Network: net, Cluster: cl}
}

// newAwsProvider configures the AWS provider with the region and the tags
// every resource carries, so ownership is visible in the AWS console and
// cost reports without per-resource tagging.
func newAwsProvider(stack cdktf.TerraformStack, cfg config.Cluster) provider.AwsProvider {
	tags := map[string]*string{
		"eksready:cluster": jsii.String(cfg.Name),
		"managed-by":       jsii.String("eksready"),
	}
	for k, v := range cfg.Tags {
		tags[k] = jsii.String(v)
	}
	return provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region:      jsii.String(cfg.Region),
		DefaultTags: &[]*provider.AwsProviderDefaultTags{{Tags: &tags}},
	})
}
