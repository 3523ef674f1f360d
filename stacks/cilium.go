package stacks

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/addons"
)

// CiliumValues are the chart values for Cilium on EKS in overlay mode, so
// pods take no VPC addresses. Keys checked against cilium/cilium
// install/kubernetes/cilium/values.yaml @ c547745f2c39 (main during 1.17
// development; the released 1.17.4 file is not in the reference index):
//   - ipam.mode "cluster-pool" with ipam.operator.clusterPoolIPv4PodCIDRList
//     and clusterPoolIPv4MaskSize: pod ranges handed out by the operator. The
//     chart's default list is 10.0.0.0/8, which overlaps most VPCs, so it is
//     always set.
//   - routingMode "tunnel" and tunnelProtocol "vxlan" (the chart defaults,
//     "" meaning tunnel/vxlan, stated so an upgrade cannot change them): EKS
//     docs (installation/k8s-install-helm.rst, EKS tab) call this the overlay
//     mode, as opposed to eni.enabled/ipam.mode=eni/routingMode=native.
//
// The operator's removeNodeTaints (default true) lifts
// node.cilium.io/agent-not-ready, the startup taint config.NodeStartupTaints
// puts on every node; the agent tolerates every taint (tolerations
// "operator: Exists").
func CiliumValues(cfg config.Cluster) map[string]any {
	c := cfg.Network.PodNetworking.Cilium
	return map[string]any{
		"ipam": map[string]any{
			"mode": "cluster-pool",
			"operator": map[string]any{
				"clusterPoolIPv4PodCIDRList": []string{c.ClusterPoolCidr},
				"clusterPoolIPv4MaskSize":    c.ClusterPoolMaskSize,
			},
		},
		"routingMode":    "tunnel",
		"tunnelProtocol": "vxlan",
	}
}

// newCilium installs Cilium when the cluster uses it instead of the VPC
// CNI; nil otherwise. Nothing else in the cluster gets a pod address before
// it runs, so every other release depends on it.
func newCilium(scope constructs.Construct, cfg config.Cluster, dependsOn []cdktf.ITerraformDependable) release.Release {
	if cfg.Network.PodNetworking.Mode != config.PodNetworkingCilium {
		return nil
	}
	return addons.NewRelease(scope, "cilium", addons.ReleaseConfig{
		Chart:          addons.Pin(catalog.Cilium, cfg.KubernetesVersion),
		Name:           "cilium",
		Namespace:      "kube-system",
		Values:         CiliumValues(cfg),
		TimeoutSeconds: 600,
		DependsOn:      dependsOn,
	})
}
