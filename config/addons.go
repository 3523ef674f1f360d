package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config/ipcapacity"
)

// Autoscaling choices: exactly one node autoscaler runs, or none.
const (
	AutoscalingClusterAutoscaler = "cluster-autoscaler"
	AutoscalingKarpenter         = "karpenter"
	AutoscalingNone              = "none"
)

// AutoscalingChoices are the accepted Software.Autoscaling values.
var AutoscalingChoices = []string{AutoscalingClusterAutoscaler, AutoscalingKarpenter, AutoscalingNone}

// Helm provider authentication choices.
const (
	// KubernetesAuthToken reads a short-lived token with the
	// aws_eks_cluster_auth data source: works wherever Terraform runs.
	KubernetesAuthToken = "token"
	// KubernetesAuthExec runs `aws eks get-token` for every connection:
	// needs the AWS CLI, never expires mid-apply.
	KubernetesAuthExec = "exec"
)

// KubernetesAuthModes are the accepted Software.KubernetesAuth values.
var KubernetesAuthModes = []string{KubernetesAuthToken, KubernetesAuthExec}

// Software is the in-cluster software that the `addons` stack installs.
type Software struct {
	// KubernetesAuth is how the Helm provider authenticates to the
	// cluster: "token" (aws_eks_cluster_auth, valid 15 minutes) or "exec"
	// (`aws eks get-token` on each connection; needs the AWS CLI where
	// Terraform runs). Default: "token".
	KubernetesAuth string `yaml:"kubernetesAuth"`

	// Autoscaling chooses the node autoscaler: "cluster-autoscaler",
	// "karpenter" or "none". Exactly one runs; switching is this one
	// setting (plus karpenter.nodePools). Default: "cluster-autoscaler".
	Autoscaling string `yaml:"autoscaling"`

	// ClusterAutoscaler configures cluster-autoscaler (autoscaling:
	// cluster-autoscaler).
	ClusterAutoscaler ClusterAutoscaler `yaml:"clusterAutoscaler"`

	// Karpenter configures Karpenter (autoscaling: karpenter).
	Karpenter Karpenter `yaml:"karpenter"`

	// MetricsServer installs metrics-server (resource metrics for
	// `kubectl top` and the Horizontal Pod Autoscaler). Default: enabled.
	MetricsServer Toggle `yaml:"metricsServer"`

	// AwsLoadBalancerController installs the AWS Load Balancer Controller
	// (ALBs for Ingresses, NLBs for Services). Default: enabled, except
	// with podNetworking mode cilium, where the control plane could not
	// reach its webhook.
	AwsLoadBalancerController Toggle `yaml:"awsLoadBalancerController"`

	// ExternalDNS installs external-dns for Route 53. Default: disabled.
	ExternalDNS ExternalDNS `yaml:"externalDns"`

	// CertManager installs cert-manager. Default: disabled.
	CertManager Toggle `yaml:"certManager"`

	// BottlerocketUpdateOperator installs the Bottlerocket update operator
	// (in-place OS updates of labelled Bottlerocket nodes). Needs
	// cert-manager. Default: disabled.
	BottlerocketUpdateOperator Toggle `yaml:"bottlerocketUpdateOperator"`
}

// Toggle switches one piece of software on or off.
type Toggle struct {
	// Enabled installs the software when true.
	Enabled *bool `yaml:"enabled"`
}

// On reports whether the toggle is enabled (unset counts as off: defaults
// have already been applied by the time anything asks).
func (t Toggle) On() bool { return t.Enabled != nil && *t.Enabled }

// ClusterAutoscaler configures cluster-autoscaler.
type ClusterAutoscaler struct {
	// Expander picks which node group grows when several could:
	// "least-waste", "most-pods" or "random". Default: "least-waste".
	Expander string `yaml:"expander"`
}

// Karpenter configures Karpenter's EC2NodeClass and NodePools.
type Karpenter struct {
	// AmiAlias selects the node image: "bottlerocket@latest" follows new
	// releases (Karpenter replaces drifted nodes), "bottlerocket@v1.x.y"
	// pins one. Default: "bottlerocket@latest".
	AmiAlias string `yaml:"amiAlias"`
	// RootVolumeGiB sizes /dev/xvda, Bottlerocket's OS volume. Default: 4.
	RootVolumeGiB int `yaml:"rootVolumeGiB"`
	// DataVolumeGiB sizes /dev/xvdb, Bottlerocket's data volume (images,
	// container storage). Default: 20.
	DataVolumeGiB int `yaml:"dataVolumeGiB"`
	// NodePools are Karpenter NodePools by name; at least one is required
	// with autoscaling: karpenter, none is allowed otherwise. Default: none.
	NodePools map[string]KarpenterNodePool `yaml:"nodePools"`
	// CapacityReservations select the On-Demand Capacity Reservations and
	// Capacity Blocks for ML the EC2NodeClass offers (its
	// capacityReservationSelectorTerms); NodePools with capacityTypes
	// reserved launch into them first. Karpenter uses no reservation that
	// is not selected here, open ones included. Default: none.
	CapacityReservations []CapacityReservationTerm `yaml:"capacityReservations"`
}

// CapacityReservationTerm selects capacity reservations (a Karpenter
// EC2NodeClass's or an Auto Mode NodeClass's capacityReservationSelectorTerms):
// one by id, or every one with all the given tags.
type CapacityReservationTerm struct {
	// ID is one reservation or Capacity Block ("cr-0123456789abcdef0").
	ID string `yaml:"id"`
	// Tags select every reservation carrying all of them (with tags only).
	Tags map[string]string `yaml:"tags"`
	// OwnerID keeps reservations of that AWS account (with tags only), for
	// reservations shared from another account.
	OwnerID string `yaml:"ownerId"`
}

// NodePoolAccelerator asks a NodePool for accelerated instances.
type NodePoolAccelerator struct {
	// Kind is "nvidia" (NVIDIA GPUs) or "neuron" (Inferentia, Trainium);
	// "" launches no accelerated type. Default: "".
	Kind string `yaml:"kind"`
	// Counts keeps instance types with one of these device counts per
	// node (GPUs, or Neuron devices). Left empty, any count.
	Counts []int `yaml:"counts"`
	// Limit caps the pool's devices in total (the NodePool's
	// nvidia.com/gpu or aws.amazon.com/neuron limit); required with kind.
	Limit int `yaml:"limit"`
}

// KarpenterNodePool is one Karpenter NodePool: which instances it may
// launch, how much, and when its nodes are replaced.
type KarpenterNodePool struct {
	// InstanceCategories are EC2 instance families' letters ("c", "m",
	// "r"). Default: [c, m, r].
	InstanceCategories []string `yaml:"instanceCategories"`
	// Architectures are CPU architectures: amd64, arm64. Default: [amd64].
	Architectures []string `yaml:"architectures"`
	// CapacityTypes are on-demand, spot or reserved. Default: [on-demand].
	CapacityTypes []string `yaml:"capacityTypes"`
	// InstanceSizes restricts the sizes (karpenter.k8s.aws/instance-size:
	// large, xlarge, 2xlarge, ...). The IP capacity plan bounds the pool by
	// cpuLimit over its smallest instance, so leaving out the small sizes
	// lowers its worst-case node count. Default: none (every size).
	InstanceSizes []string `yaml:"instanceSizes"`
	// MinVCPUs keeps instances with at least this many vCPUs
	// (karpenter.k8s.aws/instance-cpu Gt minVCPUs-1). The IP capacity plan
	// bounds the pool by cpuLimit over its smallest instance, and 1-vCPU
	// types would double that count and take fewer pods each (98, against
	// 110 for every larger type, with prefix delegation). Default: 2.
	MinVCPUs int `yaml:"minVCPUs"`
	// CPULimit caps the pool's total vCPUs. Default: 100.
	CPULimit int `yaml:"cpuLimit"`
	// MemoryLimitGiB caps the pool's total memory. Default: 400.
	MemoryLimitGiB int `yaml:"memoryLimitGiB"`
	// ConsolidateAfter is how long a node stays empty or underused before
	// Karpenter consolidates it ("30s", "5m", or "Never"). Default: "1m".
	ConsolidateAfter string `yaml:"consolidateAfter"`
	// ExpireAfter replaces every node after this age, so nodes rotate onto
	// new images and configuration without manual drains ("720h", or
	// "Never"). Default: "720h" in a Karpenter NodePool, "336h" in an Auto
	// Mode NodePool (within Auto Mode's 21-day maximum node lifetime).
	ExpireAfter string `yaml:"expireAfter"`
	// Labels are Kubernetes labels on the pool's nodes. Default: none.
	Labels map[string]string `yaml:"labels"`
	// Taints keep pods off the pool's nodes unless they tolerate them.
	// Default: none.
	Taints []Taint `yaml:"taints"`
	// Accelerator asks for GPU or Neuron instances. Default: none.
	Accelerator NodePoolAccelerator `yaml:"accelerator"`
	// AcceleratorTaint gives an accelerated NodePool the NoSchedule taint
	// of its accelerator's resource (nvidia.com/gpu or
	// aws.amazon.com/neuron), as for managed pools. Accelerated pools
	// only, where it is on unless set false.
	AcceleratorTaint *bool `yaml:"acceleratorTaint"`
}

// ExternalDNS configures external-dns.
type ExternalDNS struct {
	// Enabled installs external-dns. Default: false.
	Enabled *bool `yaml:"enabled"`
	// HostedZoneIDs are the Route 53 zones external-dns may change (its
	// IAM policy and --zone-id-filter are scoped to them); required when
	// enabled. Default: none.
	HostedZoneIDs []string `yaml:"hostedZoneIds"`
	// DomainFilters limit the names external-dns manages. Default: none
	// (every name in the zones).
	DomainFilters []string `yaml:"domainFilters"`
	// Policy is "upsert-only" (never deletes records) or "sync" (deletes
	// records whose Service or Ingress is gone). Default: "upsert-only".
	Policy string `yaml:"policy"`
}

// On reports whether external-dns is enabled.
func (e ExternalDNS) On() bool { return e.Enabled != nil && *e.Enabled }

var (
	// Karpenter accepts Go durations or "Never" (karpenter.sh NodePool docs).
	karpenterDurationRe = regexp.MustCompile(`^([0-9]+(\.[0-9]+)?(s|m|h))+$`)
	amiAliasRe          = regexp.MustCompile(`^bottlerocket@(latest|v[0-9]+\.[0-9]+\.[0-9]+)$`)
	instanceCategoryRe  = regexp.MustCompile(`^[a-z]+$`)
	hostedZoneIDRe      = regexp.MustCompile(`^[A-Z0-9]{1,32}$`)
	domainRe            = regexp.MustCompile(`^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?\.?$`)
)

// NodePool requirement values shared by Karpenter and Auto Mode NodePools.
var (
	// NodePoolArchitectures are the accepted KarpenterNodePool.Architectures
	// items (kubernetes.io/arch values).
	NodePoolArchitectures = []string{"amd64", "arm64"}
	// NodePoolCapacityTypes are the accepted KarpenterNodePool.CapacityTypes
	// items (karpenter.sh/capacity-type values), in Karpenter and Auto Mode
	// NodePools alike ("reserved" needs capacity reservations selected in
	// the NodeClass).
	NodePoolCapacityTypes = []string{"on-demand", "spot", "reserved"}
)

// ExternalDNSPolicies are the accepted ExternalDNS.Policy values.
var ExternalDNSPolicies = []string{"upsert-only", "sync"}

// Expanders are the cluster-autoscaler expanders eksready accepts (those
// that need no further configuration on AWS).
var Expanders = []string{"least-waste", "most-pods", "random"}

func validateSoftware(c Cluster, v *collector) {
	s := c.Software
	if c.AutoModeOn() {
		// validateCompute rejects every node-group setting in Auto Mode.
		if !slices.Contains(KubernetesAuthModes, s.KubernetesAuth) {
			v.add("software.kubernetesAuth", s.KubernetesAuth, "must be token or exec")
		}
		validateExternalDNS(s.ExternalDNS, v)
		return
	}
	if !APIServerReachesPods(c) {
		// On the Cilium overlay the control plane cannot open connections
		// to pods, so an admission webhook served from a pod never answers
		// and every object it intercepts is rejected.
		for path, on := range map[string]bool{
			"software.awsLoadBalancerController.enabled": s.AwsLoadBalancerController.On(),
			"software.certManager.enabled":               s.CertManager.On(),
		} {
			if on {
				v.add(path, true, "cannot be used with network.podNetworking.mode cilium: its admission webhook runs in a pod, which the EKS control plane cannot reach on Cilium's overlay network")
			}
		}
	}
	if !slices.Contains(KubernetesAuthModes, s.KubernetesAuth) {
		v.add("software.kubernetesAuth", s.KubernetesAuth, "must be token or exec")
	}
	switch s.Autoscaling {
	case AutoscalingClusterAutoscaler:
	case AutoscalingKarpenter:
		if len(s.Karpenter.NodePools) == 0 {
			v.missing("software.karpenter.nodePools", "must define at least one NodePool when autoscaling is karpenter (Karpenter launches nothing without one)")
		}
		if p, ok := c.Nodes[SystemPool]; ok && p.MaxSize <= maxClusterNodes && p.MinSize == 0 && deref(p.DesiredSize) == 0 {
			v.add("nodes."+SystemPool+".minSize", 0, "leaves the system pool without nodes, and Karpenter runs on the system pool: nothing could start it, so nothing would ever scale (keep minSize at 1 or more)")
		}
	case AutoscalingNone:
	default:
		v.add("software.autoscaling", s.Autoscaling, "must be cluster-autoscaler, karpenter or none")
	}
	if s.Autoscaling != AutoscalingKarpenter && len(s.Karpenter.NodePools) > 0 {
		v.add("software.karpenter.nodePools", sortedKeys(s.Karpenter.NodePools), "are set but software.autoscaling is %q: only one autoscaler may run; set autoscaling: karpenter or remove the NodePools", s.Autoscaling)
	}
	if !slices.Contains(Expanders, s.ClusterAutoscaler.Expander) {
		v.add("software.clusterAutoscaler.expander", s.ClusterAutoscaler.Expander, "must be one of %s", strings.Join(Expanders, ", "))
	}
	validateChartPins(c, v)
	validateKarpenter(s.Karpenter, c.Nodes, v)
	validateExternalDNS(s.ExternalDNS, v)
	if s.BottlerocketUpdateOperator.On() && !s.CertManager.On() {
		v.add("software.bottlerocketUpdateOperator.enabled", true, "requires software.certManager.enabled: true (the operator's API server certificates come from cert-manager)")
	}
}

// Upper bounds of a NodePool's limits: no cluster can hold more than
// maxClusterNodes nodes of the largest EC2 instance (u7in-32tb.224xlarge:
// 896 vCPUs, 32 TiB), so a higher limit is a typo, and the bound keeps the
// quantity written into the NodePool far from overflow.
const (
	maxInstanceVCPUs      = 896
	maxInstanceMemoryGiB  = 32768
	maxKarpenterCPU       = maxClusterNodes * maxInstanceVCPUs
	maxKarpenterMemoryGiB = maxClusterNodes * maxInstanceMemoryGiB
)

func validateKarpenter(k Karpenter, managedPools map[string]NodePool, v *collector) {
	if !amiAliasRe.MatchString(k.AmiAlias) {
		v.add("software.karpenter.amiAlias", k.AmiAlias, "must be bottlerocket@latest or bottlerocket@v<major>.<minor>.<patch>")
	}
	// Bottlerocket needs at least its 2 GiB OS image on xvda; volumes are capped at 16 TiB.
	if k.RootVolumeGiB < 4 || k.RootVolumeGiB > 16384 {
		v.add("software.karpenter.rootVolumeGiB", k.RootVolumeGiB, "must be between 4 and 16384")
	}
	if k.DataVolumeGiB < 20 || k.DataVolumeGiB > 16384 {
		v.add("software.karpenter.dataVolumeGiB", k.DataVolumeGiB, "must be between 20 and 16384")
	}
	for _, name := range sortedKeys(k.NodePools) {
		p, path := k.NodePools[name], "software.karpenter.nodePools."+name
		if len(name) > 63 || !dnsLabelRe.MatchString(name) {
			v.add(path, name, "is not a valid NodePool name (lowercase letters, digits and '-', at most 63 characters)")
		}
		if _, clash := managedPools[name]; clash {
			v.add(path, name, "is also a managed node pool (nodes.%s); both would label their nodes eksready.io/pool=%s", name, name)
		}
		validateNodePoolSpec(path, p, false, v)
	}
	validateReservationTerms("software.karpenter.capacityReservations", k.CapacityReservations, k.NodePools, "software.karpenter.nodePools", v)
}

// validateNodePoolSpec checks what Karpenter and Auto Mode NodePools share:
// requirements, limits, disruption durations and labels.
func validateNodePoolSpec(path string, p KarpenterNodePool, autoMode bool, v *collector) {
	checkList(v, path+".instanceCategories", p.InstanceCategories, func(s string) bool { return instanceCategoryRe.MatchString(s) }, "is not an instance category (lowercase letters, like c, m, r)")
	checkList(v, path+".architectures", p.Architectures, func(s string) bool { return slices.Contains(NodePoolArchitectures, s) }, "must be amd64 or arm64")
	checkList(v, path+".capacityTypes", p.CapacityTypes, func(s string) bool { return slices.Contains(NodePoolCapacityTypes, s) }, "must be on-demand, spot or reserved")
	if len(p.InstanceSizes) > 0 {
		checkList(v, path+".instanceSizes", p.InstanceSizes, func(s string) bool { return slices.Contains(ipcapacity.InstanceSizes(), s) }, "is not the size of any EC2 instance type (like large, xlarge, 2xlarge, metal)")
	}
	if p.CPULimit < 1 {
		v.add(path+".cpuLimit", p.CPULimit, "must be at least 1")
	} else if p.CPULimit > maxKarpenterCPU {
		v.add(path+".cpuLimit", p.CPULimit, "is more vCPUs than an EKS cluster can hold (%d nodes of at most %d vCPUs: %d)", maxClusterNodes, maxInstanceVCPUs, maxKarpenterCPU)
	}
	if p.MinVCPUs < 1 || p.MinVCPUs > maxInstanceVCPUs {
		v.add(path+".minVCPUs", p.MinVCPUs, "must be between 1 and %d", maxInstanceVCPUs)
	}
	if p.MemoryLimitGiB < 1 {
		v.add(path+".memoryLimitGiB", p.MemoryLimitGiB, "must be at least 1")
	} else if p.MemoryLimitGiB > maxKarpenterMemoryGiB {
		v.add(path+".memoryLimitGiB", p.MemoryLimitGiB, "is more memory than an EKS cluster can hold (%d nodes of at most %d GiB: %d)", maxClusterNodes, maxInstanceMemoryGiB, maxKarpenterMemoryGiB)
	}
	for _, d := range []struct{ field, value string }{{"consolidateAfter", p.ConsolidateAfter}, {"expireAfter", p.ExpireAfter}} {
		if d.value != "Never" && !karpenterDurationRe.MatchString(d.value) {
			v.add(path+"."+d.field, d.value, "is not a duration (like 30s, 5m, 720h) or Never")
		}
	}
	for _, key := range sortedKeys(p.Labels) {
		if val := p.Labels[key]; val != "" && (len(val) > 63 || !labelValueRe.MatchString(val)) {
			v.add(path+".labels."+key, val, "is not a valid Kubernetes label value")
		}
	}
	validateNodePoolAccelerator(path, p, autoMode, v)
}

func validateExternalDNS(e ExternalDNS, v *collector) {
	if e.On() && len(e.HostedZoneIDs) == 0 {
		v.add("software.externalDns.hostedZoneIds", []string{}, "must list at least one Route 53 hosted zone ID when externalDns is enabled (its IAM permissions are scoped to these zones)")
	}
	for i, id := range e.HostedZoneIDs {
		if !hostedZoneIDRe.MatchString(id) {
			v.add(fmt.Sprintf("software.externalDns.hostedZoneIds[%d]", i), id, "is not a Route 53 hosted zone ID (like Z0123456789ABCDEFGHIJ)")
		}
	}
	for i, d := range e.DomainFilters {
		if !domainRe.MatchString(d) {
			v.add(fmt.Sprintf("software.externalDns.domainFilters[%d]", i), d, "is not a DNS domain name")
		}
	}
	if !slices.Contains(ExternalDNSPolicies, e.Policy) {
		v.add("software.externalDns.policy", e.Policy, "must be upsert-only or sync")
	}
}

// checkList reports an empty list, duplicates and items failing ok.
func checkList(v *collector, path string, items []string, ok func(string) bool, rule string) {
	if len(items) == 0 {
		v.add(path, []string{}, "must list at least one value")
	}
	for i, s := range items {
		ipath := fmt.Sprintf("%s[%d]", path, i)
		if !ok(s) {
			v.add(ipath, s, "%s", rule)
		} else if slices.Index(items, s) != i {
			v.add(ipath, s, "is listed twice")
		}
	}
}

// chartSwitch is a setting that installs a catalog component.
type chartSwitch struct {
	path      string
	value     any
	on        bool
	component catalog.Component
}

// chartSwitches are the settings that install catalog components.
func chartSwitches(c Cluster) []chartSwitch {
	s := c.Software
	return []chartSwitch{
		{"network.podNetworking.mode", c.Network.PodNetworking.Mode, c.Network.PodNetworking.Mode == PodNetworkingCilium, catalog.Cilium},
		{"software.awsLoadBalancerController.enabled", true, s.AwsLoadBalancerController.On(), catalog.AwsLoadBalancerController},
		{"software.metricsServer.enabled", true, s.MetricsServer.On(), catalog.MetricsServer},
		{"software.autoscaling", s.Autoscaling, s.Autoscaling == AutoscalingClusterAutoscaler, catalog.ClusterAutoscaler},
		{"software.autoscaling", s.Autoscaling, s.Autoscaling == AutoscalingKarpenter, catalog.Karpenter},
		{"software.externalDns.enabled", true, s.ExternalDNS.On(), catalog.ExternalDNS},
		{"software.certManager.enabled", true, s.CertManager.On(), catalog.CertManager},
		{"software.bottlerocketUpdateOperator.enabled", true, s.BottlerocketUpdateOperator.On(), catalog.BottlerocketUpdateOperator},
		devicePluginSwitch(c, AcceleratorNVIDIA, catalog.NvidiaDevicePlugin),
		devicePluginSwitch(c, AcceleratorNeuron, catalog.NeuronDevicePlugin),
	}
}

// devicePluginSwitch is the pools that install a kind's device plugin.
func devicePluginSwitch(c Cluster, kind string, component catalog.Component) chartSwitch {
	for _, n := range DevicePlugins(c) {
		if n.Kind == kind {
			return chartSwitch{n.Pools[0], kind, true, component}
		}
	}
	return chartSwitch{component: component}
}

// validateChartPins refuses software that has nothing pinned to install on
// the cluster's Kubernetes version, naming the versions it has a pin for.
// An unsupported Kubernetes version is reported once, by
// validateKubernetesVersion.
func validateChartPins(c Cluster, v *collector) {
	if !versionAccepted(c.KubernetesVersion) {
		return
	}
	for _, sw := range chartSwitches(c) {
		if _, ok := sw.component.Install(c.KubernetesVersion); sw.on && !ok {
			v.add(sw.path, sw.value, "cannot be used with kubernetesVersion %s: no %s release pinned in eksready supports it (pinned for %s)", c.KubernetesVersion, sw.component.Name, strings.Join(sw.component.Kubernetes(), ", "))
		}
	}
}

// untestedChartWarnings name software installed on a Kubernetes version
// its pinned release is not tested with (the catalog's Untested).
func untestedChartWarnings(c Cluster, w *collector) {
	for _, sw := range chartSwitches(c) {
		reason := sw.component.Untested[c.KubernetesVersion]
		if !sw.on || reason == "" {
			continue
		}
		pin, _ := sw.component.Install(c.KubernetesVersion)
		w.add(sw.path, sw.value, "installs %s %s, which is not tested with Kubernetes %s: %s", sw.component.Name, pin.Version, c.KubernetesVersion, reason)
	}
}
