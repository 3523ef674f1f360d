package stacks

import (
	"fmt"
	"math"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/inspector2enabler"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/config/ipcapacity"
	"github.com/eksready/eksready/constructs/addons/bottlerocket"
	"github.com/eksready/eksready/constructs/addons/clusterautoscaler"
	"github.com/eksready/eksready/constructs/nodes"
)

// nodePools pairs each configured pool with the planner's max-pods, the
// smallest vCPU count among its instance types and the startup taints of
// the pod networking mode.
func nodePools(cfg config.Cluster) ([]nodes.Pool, error) {
	var pools []nodes.Pool
	for name, spec := range cfg.Nodes {
		maxPods, err := config.MaxPods(cfg, name)
		if err != nil {
			return nil, err
		}
		p := nodes.Pool{
			Name: name, Spec: spec, MaxPods: maxPods, VCPUs: math.MaxInt,
			Taints: config.PoolTaints(cfg, name), StartupTaints: config.NodeStartupTaints(cfg),
			ExtraLabels: config.AcceleratorLabels(spec),
			Zones:       config.PoolZones(cfg, name),
			// Only a group at zero nodes needs a template; the autoscaler
			// reads a running node otherwise.
			NodeTemplateTags: cfg.Software.Autoscaling == config.AutoscalingClusterAutoscaler && spec.MinSize == 0,
		}
		if spec.OS == "bottlerocket" && cfg.Software.BottlerocketUpdateOperator.On() {
			// The update operator's agent runs only on nodes that carry its
			// interface label.
			if p.ExtraLabels == nil {
				p.ExtraLabels = map[string]string{}
			}
			for k, v := range bottlerocket.NodeLabels() {
				p.ExtraLabels[k] = v
			}
		}
		for _, t := range spec.InstanceTypes {
			info, err := ipcapacity.Lookup(t)
			if err != nil {
				return nil, fmt.Errorf("nodes.%s: %w", name, err)
			}
			p.VCPUs = min(p.VCPUs, max(info.VCPUs, 1))
		}
		pools = append(pools, p)
	}
	return pools, nil
}

// autoscalerTags are the node group tags cluster-autoscaler discovers
// groups by (--node-group-auto-discovery=asg:tag=…).
func autoscalerTags(cluster string) map[string]string {
	return map[string]string{
		"k8s.io/cluster-autoscaler/enabled":    "true",
		"k8s.io/cluster-autoscaler/" + cluster: "owned",
	}
}

// newNodes creates the node groups between the two phases of managed
// add-ons, and Inspector when configured.
func newNodes(stack cdktf.TerraformStack, cfg config.Cluster, in *Infra) (*nodes.Nodes, error) {
	pools, err := nodePools(cfg)
	if err != nil {
		return nil, err
	}
	n := nodes.NewNodes(stack, "nodes", nodes.NodesConfig{
		Account:            in.Account,
		ClusterName:        in.Cluster.Name,
		ClusterNameLiteral: cfg.Name,
		KubernetesVersion:  cfg.KubernetesVersion,
		ClusterVersion:     in.Cluster.Resource.Version(),
		SubnetIds:          in.Network.PrivateSubnetIds,
		// Nodes boot only once they can reach the internet (NAT routes)
		// or the VPC endpoints: a node that cannot pull images never joins.
		EbsKeyArn: in.EbsKey.Arn,
		Pools:     pools,
		Tags:      nodeGroupTags(cfg),
		DependsOn: append(in.ManagedAddons.BeforeNodes(), in.Network.EgressReady...),
	})
	if cfg.Inspector.Enabled {
		inspector2enabler.NewInspector2Enabler(stack, jsii.String("inspector"), &inspector2enabler.Inspector2EnablerConfig{
			AccountIds:    &[]*string{in.Account.AccountId},
			ResourceTypes: jsii.Strings(cfg.Inspector.ResourceTypes...),
		})
	}
	return n, nil
}

// nodeGroupTags are the cluster-autoscaler's discovery tags when it is the
// autoscaler (EKS also puts them on each group's Auto Scaling group), so the
// node groups of a Karpenter cluster are never resized by anything else.
func nodeGroupTags(cfg config.Cluster) map[string]string {
	if cfg.Software.Autoscaling != config.AutoscalingClusterAutoscaler {
		return nil
	}
	return clusterautoscaler.NodeGroupTags(cfg.Name)
}
