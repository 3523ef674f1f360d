package stacks

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/kms"
)

// protect marks what cannot be replaced without losing the cluster or its
// data with lifecycle.prevent_destroy: the EKS cluster (its etcd, and
// everything in it), the VPC eksready created (every node, load balancer
// and endpoint sits in it) and the KMS keys (a scheduled key deletion
// makes the secrets, logs and volumes encrypted with it unreadable). AWS
// provider 5.x has no EKS deletion protection of its own (it arrived in
// 6.9), so Terraform's guard is the one available: a plan that would
// delete or replace one of these fails before anything is touched.
func protect(cfg config.Cluster, in *Infra, keys ...*kms.Key) {
	if !cfg.Protected() {
		return
	}
	resources := []cdktf.TerraformResource{in.Cluster.Resource}
	if in.Network.Vpc != nil {
		resources = append(resources, in.Network.Vpc)
	}
	for _, k := range keys {
		resources = append(resources, k.Resource)
	}
	for _, r := range resources {
		// An override merges into the lifecycle block the construct may
		// already have (ignore_changes, create_before_destroy).
		r.AddOverride(jsii.String("lifecycle.prevent_destroy"), true)
	}
}
