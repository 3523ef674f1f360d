package stacks

import (
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/addons/clusterautoscaler"
	"github.com/eksready/eksready/constructs/addons/externaldns"
	"github.com/eksready/eksready/constructs/addons/karpenter"
	"github.com/eksready/eksready/constructs/addons/loadbalancer"
	"github.com/eksready/eksready/constructs/identity"
)

// AddonsInfra is what the in-cluster add-ons need from AWS, created in
// `infra`. Every field the `addons` stack reads crosses as a cross-stack
// reference (an infra output), never as a hard-coded name.
type AddonsInfra struct {
	// ClusterAutoscaler is cluster-autoscaler's role (nil unless chosen).
	ClusterAutoscaler *identity.ServiceAccountRole
	// Karpenter is Karpenter's AWS side (nil unless chosen).
	Karpenter *karpenter.Infra
	// LoadBalancerController is the controller's role (nil when disabled).
	LoadBalancerController *identity.ServiceAccountRole
	// ExternalDNS is external-dns's role (nil when disabled).
	ExternalDNS *identity.ServiceAccountRole
}

// Role names are short ("cas", "kpt", "lbc", "edns"): identity prefixes
// them with "<cluster>-" and IAM name prefixes stop at 38 characters, so
// none may be longer than the existing "ebs-csi" (the role's description
// names the service account in full).
//
// newAddonsInfra creates the add-ons' AWS resources. It runs before the
// EBS key exists: the key policy names Karpenter's roles (VolumeLaunchers).
func newAddonsInfra(stack cdktf.TerraformStack, cfg config.Cluster, in *Infra) *AddonsInfra {
	a := &AddonsInfra{}
	ids := in.Cluster.Identity
	partition := *in.Account.Partition
	sw := cfg.Software
	switch sw.Autoscaling {
	case config.AutoscalingClusterAutoscaler:
		a.ClusterAutoscaler = identity.NewServiceAccountRole(stack, "cluster-autoscaler-identity", identity.ServiceAccountRoleConfig{
			Cluster:        ids,
			Namespace:      clusterautoscaler.Namespace,
			ServiceAccount: clusterautoscaler.ServiceAccount,
			RoleName:       "cas",
			Policy:         clusterautoscaler.Policy(cfg.Name),
		})
	case config.AutoscalingKarpenter:
		a.Karpenter = karpenter.NewInfra(stack, "karpenter", karpenter.InfraConfig{
			Account:                in.Account,
			ClusterName:            cfg.Name,
			ClusterNameRef:         in.Cluster.Name,
			Identity:               ids,
			ClusterSecurityGroupID: in.Cluster.Resource.VpcConfig().ClusterSecurityGroupId(),
		})
	}
	if sw.AwsLoadBalancerController.On() {
		a.LoadBalancerController = identity.NewServiceAccountRole(stack, "load-balancer-controller-identity", identity.ServiceAccountRoleConfig{
			Cluster:        ids,
			Namespace:      loadbalancer.Namespace,
			ServiceAccount: loadbalancer.ServiceAccount,
			RoleName:       "lbc",
			Policy:         loadbalancer.Policy(partition),
		})
	}
	if sw.ExternalDNS.On() {
		a.ExternalDNS = identity.NewServiceAccountRole(stack, "external-dns-identity", identity.ServiceAccountRoleConfig{
			Cluster:        ids,
			Namespace:      externaldns.Namespace,
			ServiceAccount: externaldns.ServiceAccount,
			RoleName:       "edns",
			Policy:         externaldns.Policy(partition, sw.ExternalDNS.HostedZoneIDs),
		})
	}
	return a
}

// VolumeLaunchers are the roles that launch instances with volumes
// encrypted by the EBS key and so must be allowed to use it: Karpenter's
// controller (it calls CreateFleet; Karpenter's troubleshooting guide,
// "Node terminates before ready on failed encrypted EBS volume") and its
// node role.
func (a *AddonsInfra) VolumeLaunchers() []*string {
	if a.Karpenter == nil {
		return nil
	}
	return []*string{a.Karpenter.Controller.Arn(), a.Karpenter.NodeRole.Arn()}
}
