package config

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/eksready/eksready/config/ipcapacity"
)

// Compute modes (Compute.Mode).
const (
	// ComputeManagedNodeGroups is eksready's own data plane: managed node
	// groups per pool and zone, the VPC CNI, CoreDNS, kube-proxy and the EBS
	// CSI driver as managed add-ons, and an autoscaler of your choice.
	ComputeManagedNodeGroups = "managed-node-groups"
	// ComputeAutoMode is EKS Auto Mode: AWS runs the nodes (Karpenter-based
	// scaling, AWS-managed images, a 21-day maximum node lifetime), pod
	// networking, cluster DNS, block storage and load balancing.
	ComputeAutoMode = "auto-mode"
)

// ComputeModes are the accepted Compute.Mode values.
var ComputeModes = []string{ComputeManagedNodeGroups, ComputeAutoMode}

// BuiltInNodePools are the node pools EKS Auto Mode itself can run, named
// in compute_config.node_pools (EKS user guide, set-builtin-node-pools:
// "system", tainted CriticalAddonsOnly, and "general-purpose"; both use
// the AWS-managed default NodeClass).
var BuiltInNodePools = []string{"general-purpose", "system"}

// AutoModeMaxNodeLifetime is the longest an Auto Mode node lives: "EKS
// Auto Mode enforces a 21-day maximum node lifetime" (EKS user guide,
// automode). A NodePool's expireAfter cannot extend it.
const AutoModeMaxNodeLifetime = 21 * 24 * time.Hour

// AutoModeMaxPods is the pod cap EKS puts on every Auto Mode node "after the
// existing max pods calculation" (EKS user guide, create-node-class,
// Considerations).
const AutoModeMaxPods = 110

// AutoModeMinVCPUs is the fewest vCPUs of an instance Auto Mode launches:
// "More than 1 CPU" and no nano, micro or small size (EKS user guide,
// automode-learn-instances, supported instance reference).
const AutoModeMinVCPUs = 2

// AutoModeMinGeneration is the oldest instance generation eksready's Auto
// Mode NodePools admit: the built-in pools "require generation 5 or newer
// EC2 instances" (EKS user guide, set-builtin-node-pools), and eksready's
// own pools follow them.
const AutoModeMinGeneration = 5

// Compute chooses how the cluster gets its nodes.
type Compute struct {
	// Mode is "managed-node-groups" (eksready's node groups from `nodes`,
	// managed add-ons and the autoscaler in `software.autoscaling`) or
	// "auto-mode" (EKS Auto Mode; see AutoMode). Switching an existing
	// cluster is covered in docs/compute.md. Default: "managed-node-groups".
	Mode string `yaml:"mode"`

	// AutoMode configures EKS Auto Mode (mode: auto-mode only).
	AutoMode AutoMode `yaml:"autoMode"`
}

// AutoMode is an EKS Auto Mode data plane: the built-in node pools AWS
// runs, NodePools of eksready's own on an eksready NodeClass, and what
// eksready installs for Auto Mode's storage and load balancing.
type AutoMode struct {
	// BuiltInNodePools are the Auto Mode node pools AWS runs itself:
	// "general-purpose" and/or "system". [] runs only the NodePools below
	// (then at least one is required). Built-in pools use AWS's default
	// NodeClass, whose node volumes are encrypted with the AWS managed EBS
	// key rather than the cluster's. Default: [general-purpose, system].
	BuiltInNodePools []string `yaml:"builtInNodePools"`

	// NodePools are NodePools of your own by name, on eksready's NodeClass
	// (node volumes encrypted with the cluster's EBS key, the cluster's
	// private subnets and security group). Fields mean what they mean for
	// Karpenter NodePools; expireAfter may not exceed Auto Mode's 21 days,
	// and capacity type reserved needs capacityReservations. Default: none.
	NodePools map[string]AutoModeNodePool `yaml:"nodePools"`

	// EphemeralStorage sizes the node volume of eksready's NodeClass.
	EphemeralStorage EphemeralStorage `yaml:"ephemeralStorage"`

	// IngressScheme is the scheme of the load balancers created for
	// Ingresses of the `alb` IngressClass eksready installs: "internal"
	// (reachable from the VPC only) or "internet-facing". Default: "internal".
	IngressScheme string `yaml:"ingressScheme"`

	// CapacityReservations select the On-Demand Capacity Reservations and
	// Capacity Blocks for ML eksready's NodeClass offers (its
	// capacityReservationSelectorTerms); NodePools with capacityTypes
	// reserved launch into them first. Once any NodeClass selects
	// reservations, Auto Mode stops using open ones on its own (EKS user
	// guide, auto-odcr). Default: none.
	CapacityReservations []CapacityReservationTerm `yaml:"capacityReservations"`
}

// AutoModeNodePool is one Auto Mode NodePool. It is a KarpenterNodePool
// (Auto Mode's NodePool is Karpenter's karpenter.sh/v1 NodePool), laid over
// DefaultAutoModeNodePool() instead, whose expiry fits Auto Mode's maximum
// node lifetime.
type AutoModeNodePool KarpenterNodePool

// EphemeralStorage is the NodeClass's ephemeralStorage: the node volume
// holding images, logs and emptyDir volumes.
type EphemeralStorage struct {
	// SizeGiB is the volume size (1–59000). Default: 80.
	SizeGiB int `yaml:"sizeGiB"`
	// Iops provisions gp3 IOPS (3000–16000). Default: 3000.
	Iops int `yaml:"iops"`
	// ThroughputMiBs provisions gp3 throughput (125–1000). Default: 125.
	ThroughputMiBs int `yaml:"throughputMiBs"`
}

// IngressSchemes are the schemes of Auto Mode's ALBs
// (AutoMode.IngressScheme; IngressClassParams spec.scheme).
var IngressSchemes = []string{"internal", "internet-facing"}

// AutoModeOn reports whether the cluster runs EKS Auto Mode.
func (c Cluster) AutoModeOn() bool { return c.Compute.Mode == ComputeAutoMode }

// omitUnwrittenNodes drops the `system` managed node pool base() carries
// when an Auto Mode file does not mention `nodes`, so validation can still
// reject pools a file sets in a mode that has no node groups.
func omitUnwrittenNodes(root *yaml.Node, c *Cluster) {
	if c.AutoModeOn() && mappingValue(root, "nodes") == nil {
		c.Nodes = nil
	}
}

// builtInCapabilities are the managed add-ons EKS Auto Mode replaces with
// built-in capabilities ("With Auto mode compute, many commonly used EKS
// add-ons become redundant": VPC CNI, kube-proxy, CoreDNS, EBS CSI driver,
// Pod Identity agent; EKS user guide, eks-add-ons, Considerations for
// Amazon EKS Auto Mode), and the node monitoring agent ("automatically
// enabled with EKS Auto Mode compute", EKS user guide, node-health).
var builtInCapabilities = []string{"vpc-cni", "kube-proxy", "coredns", "aws-ebs-csi-driver", "eks-pod-identity-agent", NodeMonitoringAgentAddon}

// BuiltIntoAutoMode reports whether Auto Mode runs a managed add-on itself.
func BuiltIntoAutoMode(addon string) bool { return slices.Contains(builtInCapabilities, addon) }

// validateCompute checks the compute mode and, in Auto Mode, everything
// that only managed node groups use, so no key is silently ignored.
func validateCompute(c Cluster, v *collector) {
	cm := c.Compute
	if !slices.Contains(ComputeModes, cm.Mode) {
		v.add("compute.mode", cm.Mode, "must be %s", strings.Join(ComputeModes, " or "))
		return
	}
	if !c.AutoModeOn() {
		if !reflect.DeepEqual(cm.AutoMode, AutoMode{}) {
			v.missing("compute.autoMode", "only applies to compute.mode %s (mode is %s)", ComputeAutoMode, cm.Mode)
		}
		return
	}
	if regionProblem(c.Region) == "" {
		if rule := autoModeRegionProblem(c.Region); rule != "" {
			v.add("compute.mode", cm.Mode, "%s", rule)
		}
	}
	validateAutoMode(cm.AutoMode, v)
	notHere := func(path string, value any, why string) {
		v.add(path, value, "has no effect in compute.mode auto-mode: %s; remove it", why)
	}
	if len(c.Nodes) > 0 {
		v.add("nodes", sortedKeys(c.Nodes), "are managed node groups, which compute.mode auto-mode does not create; define NodePools under compute.autoMode.nodePools instead")
	}
	s := c.Software
	if s.Autoscaling != "" {
		notHere("software.autoscaling", s.Autoscaling, "Auto Mode scales nodes itself")
	}
	if !reflect.DeepEqual(s.Karpenter, Karpenter{}) {
		v.missing("software.karpenter", "has no effect in compute.mode auto-mode: Auto Mode runs Karpenter itself; put NodePools under compute.autoMode.nodePools")
	}
	if s.ClusterAutoscaler != (ClusterAutoscaler{}) {
		v.missing("software.clusterAutoscaler", "has no effect in compute.mode auto-mode: Auto Mode scales nodes itself; remove it")
	}
	if e := s.AwsLoadBalancerController.Enabled; e != nil {
		notHere("software.awsLoadBalancerController.enabled", *e, "Auto Mode provisions load balancers itself (use the alb IngressClass)")
	}
	if s.BottlerocketUpdateOperator.On() {
		notHere("software.bottlerocketUpdateOperator.enabled", true, "Auto Mode patches and replaces its nodes itself")
	}
	if e := c.ManagedAddons.NodeMonitoringAgent.Enabled; e != nil {
		notHere("managedAddons.nodeMonitoringAgent.enabled", *e, "Auto Mode runs the node monitoring agent and node auto repair itself")
	}
	if c.VolumeEncryption.CreateAutoscalingServiceLinkedRole {
		notHere("volumeEncryption.createAutoscalingServiceLinkedRole", true, "Auto Mode creates no Auto Scaling groups; the cluster role launches nodes")
	}
	for _, name := range sortedKeys(c.ManagedAddons.Versions) {
		if BuiltIntoAutoMode(name) {
			v.missing("managedAddons.versions."+name, "is built into EKS Auto Mode, so eksready does not install it as a managed add-on; remove the pin")
		}
	}
	pn := c.Network.PodNetworking
	switch pn.Mode {
	case PodNetworkingPrefixDelegation:
	case PodNetworkingIPv6:
		v.add("network.podNetworking.mode", pn.Mode, "is not supported with compute.mode auto-mode by eksready yet (IPv4 clusters only)")
	default:
		v.add("network.podNetworking.mode", pn.Mode, "cannot be used with compute.mode auto-mode: Auto Mode assigns pod addresses itself (/28 prefixes from the node subnets) and supports neither ENIConfig custom networking nor another CNI")
	}
	w := pn.VpcCni
	for k, val := range map[string]*int{"warmPrefixTarget": w.WarmPrefixTarget, "warmIpTarget": w.WarmIpTarget, "minimumIpTarget": w.MinimumIpTarget, "warmEniTarget": w.WarmEniTarget} {
		if val != nil {
			notHere("network.podNetworking.vpcCni."+k, *val, "Auto Mode does not support warm IP, warm prefix, warm ENI or minimum IP settings")
		}
	}
}

func validateAutoMode(a AutoMode, v *collector) {
	const base = "compute.autoMode"
	if len(a.BuiltInNodePools) > 0 {
		checkList(v, base+".builtInNodePools", a.BuiltInNodePools, func(s string) bool { return slices.Contains(BuiltInNodePools, s) }, "is not a built-in Auto Mode node pool (general-purpose, system)")
	} else if len(a.NodePools) == 0 {
		v.missing(base+".nodePools", "must define at least one NodePool when builtInNodePools is empty: nothing else could run a pod")
	}
	for _, name := range sortedKeys(a.NodePools) {
		p, path := a.NodePools[name], base+".nodePools."+name
		switch {
		case len(name) > 63 || !dnsLabelRe.MatchString(name):
			v.add(path, name, "is not a valid NodePool name (lowercase letters, digits and '-', at most 63 characters)")
		case slices.Contains(BuiltInNodePools, name):
			v.add(path, name, "is the name of a built-in Auto Mode node pool; choose another name (enable it with builtInNodePools instead)")
		}
		before := len(v.problems)
		validateNodePoolSpec(path, KarpenterNodePool(p), true, v)
		if len(v.problems) == before {
			if len(ipcapacity.LaunchableTypes(AutoModeRequirements(p))) == 0 {
				if p.Accelerator.Kind != "" {
					v.add(path+".instanceCategories", p.InstanceCategories, "admit no %s instance type Auto Mode launches for architectures %s (families with an EKS accelerated AMI, more than 1 vCPU%s)", kindNames[p.Accelerator.Kind], strings.Join(p.Architectures, ", "), countsText(p.Accelerator.Counts))
				} else {
					v.add(path+".instanceCategories", p.InstanceCategories, "admit no instance type Auto Mode launches for architectures %s (generation %d or newer, more than 1 vCPU)", strings.Join(p.Architectures, ", "), AutoModeMinGeneration)
				}
			}
		}
		if p.ExpireAfter == "Never" {
			v.add(path+".expireAfter", p.ExpireAfter, "is not possible in Auto Mode: nodes are replaced after at most 21 days (504h); set a duration up to 504h")
		} else if d, err := time.ParseDuration(p.ExpireAfter); err == nil && d > AutoModeMaxNodeLifetime {
			v.add(path+".expireAfter", p.ExpireAfter, "exceeds Auto Mode's 21-day maximum node lifetime (504h)")
		}
	}
	e := a.EphemeralStorage
	if e.SizeGiB < 1 || e.SizeGiB > 59000 {
		v.add(base+".ephemeralStorage.sizeGiB", e.SizeGiB, "must be between 1 and 59000")
	}
	if e.Iops < 3000 || e.Iops > 16000 {
		v.add(base+".ephemeralStorage.iops", e.Iops, "must be between 3000 and 16000")
	}
	if e.ThroughputMiBs < 125 || e.ThroughputMiBs > 1000 {
		v.add(base+".ephemeralStorage.throughputMiBs", e.ThroughputMiBs, "must be between 125 and 1000")
	}
	if !slices.Contains(IngressSchemes, a.IngressScheme) {
		v.add(base+".ingressScheme", a.IngressScheme, "must be internal or internet-facing")
	}
	pools := map[string]KarpenterNodePool{}
	for name, p := range a.NodePools {
		pools[name] = KarpenterNodePool(p)
	}
	validateReservationTerms(base+".capacityReservations", a.CapacityReservations, pools, base+".nodePools", v)
}

// countsText names a NodePool's accelerator counts in a message.
func countsText(counts []int) string {
	if len(counts) == 0 {
		return ""
	}
	return fmt.Sprintf(", %v devices each", counts)
}
