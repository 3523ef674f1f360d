package config

import (
	"net/netip"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/eks/types"

	"github.com/eksready/eksready/catalog"
)

// This file is the one place defaults live. Default() gives the built-in
// configuration; applyDefaults fills what YAML left empty inside maps and
// lists (which YAML decoding replaces wholesale rather than merging).

// SystemPool is the name of the node pool that always exists and runs the
// cluster's own software (CoreDNS, controllers).
const SystemPool = "system"

// Default returns the built-in configuration: what `make synth` builds when
// no cluster.yaml exists.
func Default() Cluster {
	c := base()
	applyDefaults(&c)
	return c
}

// base is what a cluster.yaml is laid over: Default() before the defaults
// that depend on other fields (applyDefaults), so that those can tell what
// the file set from what it left out.
func base() Cluster {
	return Cluster{
		Name:              "eksready",
		Region:            "eu-west-1",
		KubernetesVersion: catalog.DefaultKubernetes,
		Network: Network{
			PodNetworking: PodNetworking{Mode: PodNetworkingPrefixDelegation},
			Policies:      NetworkPolicies{Enabled: ptr(true), Default: NetworkPolicyDefaultAllow},
		},
		ControlPlane: ControlPlane{
			Endpoint: Endpoint{
				PublicAccess:      ptr(true),
				PublicAccessCidrs: []string{"0.0.0.0/0"},
			},
			Logging: Logging{
				Types:         allLogTypes(),
				RetentionDays: 90,
			},
			UpgradePolicy:         "STANDARD",
			KeyDeletionWindowDays: 30,
		},
		WorkloadIdentity: "pod-identity",
		Compute:          Compute{Mode: ComputeManagedNodeGroups},
		Nodes: map[string]NodePool{
			SystemPool: DefaultNodePool(),
		},
		Inspector: Inspector{ResourceTypes: []string{"EC2", "ECR"}},
		ManagedAddons: ManagedAddons{
			SnapshotController: Toggle{Enabled: ptr(false)},
			// nodeMonitoringAgent is a node-group setting (Auto Mode runs
			// the agent itself), defaulted by applyNodeGroupDefaults.
		},
		Software: Software{
			KubernetesAuth: KubernetesAuthToken,
			// autoscaling, clusterAutoscaler and karpenter are node-group
			// settings, defaulted by applyNodeGroupDefaults.
			MetricsServer:              Toggle{Enabled: ptr(true)},
			ExternalDNS:                ExternalDNS{Enabled: ptr(false), Policy: "upsert-only"},
			CertManager:                Toggle{Enabled: ptr(false)},
			BottlerocketUpdateOperator: Toggle{Enabled: ptr(false)},
		},
		// observability.enabled depends on the pod networking mode,
		// runtimeMonitoring.endpoint on the VPC: applyBaselineDefaults.
		Observability: Observability{
			RetentionDays:      DefaultObservabilityRetentionDays,
			ApplicationSignals: Toggle{Enabled: ptr(false)},
			Prometheus:         Toggle{Enabled: ptr(false)},
		},
		RuntimeMonitoring: RuntimeMonitoring{Enabled: ptr(false), DetectorFeature: ptr(false)},
		SecretsStore:      Toggle{Enabled: ptr(false)},
		Readiness:         Readiness{MinCapacityHeadroomPercent: 20},
		Backend:           Backend{Type: BackendLocal},

		DeletionProtection: ptr(true),
	}
}

// DefaultNodePool is what every node pool starts from before its YAML is
// laid over it (decodeInto, elementDefaults), so a pool only states what differs.
func DefaultNodePool() NodePool {
	return NodePool{
		InstanceTypes:    []string{"m6i.large"},
		CapacityType:     string(types.CapacityTypesOnDemand),
		MinSize:          1,
		MaxSize:          3,
		OS:               "bottlerocket",
		Generations:      []string{"1"},
		Update:           NodeUpdate{MaxUnavailablePercent: 33},
		MetadataHopLimit: 1,
	}
}

// DefaultAccessEntry is what every access entry starts from before its
// YAML is laid over it: a STANDARD entry (people and tools).
func DefaultAccessEntry() AccessEntry {
	return AccessEntry{Type: AccessEntryTypeStandard}
}

// DefaultKarpenterNodePool is what every Karpenter NodePool starts from
// before its YAML is laid over it: current-generation general purpose,
// compute and memory families on demand, capped so a runaway deployment
// cannot scale without bound, consolidated after a minute and rotated
// monthly (the Karpenter getting-started values); and, unlike the
// getting-started NodePool, no 1-vCPU types, so the pool's worst case (100
// vCPUs as 50 two-vCPU nodes at 110 pods) fits the default subnets.
func DefaultKarpenterNodePool() KarpenterNodePool {
	return KarpenterNodePool{
		InstanceCategories: []string{"c", "m", "r"},
		Architectures:      []string{"amd64"},
		CapacityTypes:      []string{"on-demand"},
		MinVCPUs:           2,
		CPULimit:           100,
		MemoryLimitGiB:     400,
		ConsolidateAfter:   "1m",
		ExpireAfter:        "720h",
	}
}

// DefaultAutoModeNodePool is what every Auto Mode NodePool starts from: the
// Karpenter NodePool defaults, but rotated every two weeks, within Auto
// Mode's 21-day maximum node lifetime.
func DefaultAutoModeNodePool() AutoModeNodePool {
	p := DefaultKarpenterNodePool()
	p.ExpireAfter = "336h"
	return AutoModeNodePool(p)
}

// Auto Mode NodeClass defaults: the ephemeral storage values the EKS user
// guide's NodeClass specification gives as defaults (create-node-class),
// stated so the NodeClass shows them.
const (
	DefaultEphemeralStorageGiB        = 80
	DefaultEphemeralStorageIops       = 3000
	DefaultEphemeralStorageThroughput = 125
)

// applyDefaults fills defaults that depend on other fields, once the YAML
// has been laid over base().
func applyDefaults(c *Cluster) {
	if c.AutoModeOn() {
		applyAutoModeDefaults(&c.Compute.AutoMode)
	} else {
		applyNodeGroupDefaults(c)
	}
	for name, pool := range c.Nodes {
		if pool.DesiredSize == nil {
			pool.DesiredSize = ptr(pool.MinSize)
		}
		if pool.AcceleratorTaint == nil && pool.Accelerator() != "" {
			pool.AcceleratorTaint = ptr(true)
		}
		// Volume defaults depend on the OS: Bottlerocket keeps a small
		// read-only OS volume and puts images on the data volume; AL2023
		// keeps everything on its root volume.
		root, data := &pool.Volumes.Root, &pool.Volumes.Data
		if root.Type == "" {
			root.Type = "gp3"
		}
		if root.SizeGiB == 0 {
			root.SizeGiB = map[string]int{"bottlerocket": 4, "al2023": 50}[pool.OS]
		}
		if pool.OS == "bottlerocket" {
			if data.Type == "" {
				data.Type = "gp3"
			}
			if data.SizeGiB == 0 {
				data.SizeGiB = 50
			}
		}
		c.Nodes[name] = pool
	}
	for name, p := range c.Software.Karpenter.NodePools {
		c.Software.Karpenter.NodePools[name] = withAcceleratorTaint(p)
	}
	for name, p := range c.Compute.AutoMode.NodePools {
		c.Compute.AutoMode.NodePools[name] = AutoModeNodePool(withAcceleratorTaint(KarpenterNodePool(p)))
	}
	applyNetworkDefaults(&c.Network, c.AutoModeOn())
	applyBaselineDefaults(c)
	applyBackendDefaults(c)
}

// withAcceleratorTaint turns an accelerated NodePool's accelerator taint on
// unless the file set it.
func withAcceleratorTaint(p KarpenterNodePool) KarpenterNodePool {
	if p.AcceleratorTaint == nil && p.Accelerator.Kind != "" {
		p.AcceleratorTaint = ptr(true)
	}
	return p
}

// applyBaselineDefaults fills the baseline settings that depend on other
// fields. The endpoint setting stays empty while runtime monitoring is
// off, so validation can reject it when a file sets it there.
func applyBaselineDefaults(c *Cluster) {
	if c.Observability.Enabled == nil {
		// The add-on's admission webhooks must be reachable from the
		// control plane, which Cilium's overlay prevents.
		c.Observability.Enabled = ptr(APIServerReachesPods(*c))
	}
	// An existing VPC may have a guardduty-data endpoint already (another
	// cluster's, or GuardDuty's own): a second one with private DNS fails.
	if r := &c.RuntimeMonitoring; r.On() && r.Endpoint == nil {
		r.Endpoint = ptr(!c.Network.Existing())
	}
}

// applyNodeGroupDefaults fills the settings only managed node groups use;
// in Auto Mode they stay empty, so validation can reject them when a file
// sets them.
func applyNodeGroupDefaults(c *Cluster) {
	if c.ManagedAddons.NodeMonitoringAgent.Enabled == nil {
		c.ManagedAddons.NodeMonitoringAgent.Enabled = ptr(true)
	}
	s := &c.Software
	if s.Autoscaling == "" {
		s.Autoscaling = AutoscalingClusterAutoscaler
	}
	if s.ClusterAutoscaler.Expander == "" {
		s.ClusterAutoscaler.Expander = "least-waste"
	}
	k := &s.Karpenter
	if k.AmiAlias == "" {
		k.AmiAlias = "bottlerocket@latest"
	}
	if k.RootVolumeGiB == 0 {
		k.RootVolumeGiB = 4
	}
	if k.DataVolumeGiB == 0 {
		k.DataVolumeGiB = 20
	}
	// The load balancer controller's webhook must be reachable from the
	// control plane, which Cilium's overlay prevents.
	if s.AwsLoadBalancerController.Enabled == nil {
		s.AwsLoadBalancerController.Enabled = ptr(APIServerReachesPods(*c))
	}
}

// applyAutoModeDefaults fills the Auto Mode block. An explicit empty
// builtInNodePools ([]) stays empty: only your own NodePools run.
func applyAutoModeDefaults(a *AutoMode) {
	if a.BuiltInNodePools == nil {
		a.BuiltInNodePools = slices.Clone(BuiltInNodePools)
	}
	e := &a.EphemeralStorage
	if e.SizeGiB == 0 {
		e.SizeGiB = DefaultEphemeralStorageGiB
	}
	if e.Iops == 0 {
		e.Iops = DefaultEphemeralStorageIops
	}
	if e.ThroughputMiBs == 0 {
		e.ThroughputMiBs = DefaultEphemeralStorageThroughput
	}
	if a.IngressScheme == "" {
		a.IngressScheme = "internal"
	}
}

// Backend defaults that apply only to the chosen backend type, and derive
// per-stack state locations from the cluster's name.
const (
	// DefaultS3KeyPrefix starts every derived S3 state key.
	DefaultS3KeyPrefix = "eksready"
	// DefaultCloudHostname is HCP Terraform's host name.
	DefaultCloudHostname = "app.terraform.io"
)

// applyBackendDefaults fills the chosen backend's block. Blocks of other
// backend types stay as written, so validation can reject them.
func applyBackendDefaults(c *Cluster) {
	b := &c.Backend
	switch b.Type {
	case BackendS3:
		if b.S3 == nil {
			b.S3 = &S3Backend{}
		}
		s := b.S3
		if s.KeyPrefix == "" {
			s.KeyPrefix = DefaultS3KeyPrefix
		}
		if s.Region == "" {
			s.Region = c.Region
		}
		if s.Keys.Infra == "" {
			s.Keys.Infra = s.KeyPrefix + "/" + c.Name + "/" + StackInfra + ".tfstate"
		}
		if s.Keys.Addons == "" {
			s.Keys.Addons = s.KeyPrefix + "/" + c.Name + "/" + StackAddons + ".tfstate"
		}
	case BackendCloud:
		if b.Cloud == nil {
			b.Cloud = &CloudBackend{}
		}
		cl := b.Cloud
		if cl.Hostname == "" {
			cl.Hostname = DefaultCloudHostname
		}
		if cl.Workspaces.Infra == "" {
			cl.Workspaces.Infra = c.Name + "-" + StackInfra
		}
		if cl.Workspaces.Addons == "" {
			cl.Workspaces.Addons = c.Name + "-" + StackAddons
		}
		applyWorkspaceDefaults(c)
	}
}

// Workspace management defaults (backend.cloud.manageWorkspaces), applied
// only to a cluster that manages its workspaces.
const (
	// DefaultBootstrapWorkspace keeps the bootstrap stack's state.
	DefaultBootstrapWorkspace = "eksready-bootstrap"
	// RunRoleSuffix ends the default run role name, after the cluster name.
	RunRoleSuffix = "-hcp-terraform"
)

// applyWorkspaceDefaults fills the workspace management settings of a
// cluster that manages its workspaces, and makes its run role the
// deployer: the identity that applies addons must be the one with the
// cluster-admin access entry, and the run role is the identity every run
// in both workspaces has. Set here, in the loaded configuration, so that
// everything reading access.deployerRoleArn (access entries, readiness
// rules, warnings) sees the pinned principal.
func applyWorkspaceDefaults(c *Cluster) {
	if !c.Backend.ManagesWorkspaces() {
		return
	}
	cl := c.Backend.Cloud
	if cl.BootstrapWorkspace == "" {
		cl.BootstrapWorkspace = DefaultBootstrapWorkspace
	}
	if cl.TerraformVersion == "" {
		cl.TerraformVersion = catalog.TerraformVersion
	}
	if d := cl.DynamicCredentials; d != nil && d.RoleName == "" {
		d.RoleName = c.Name + RunRoleSuffix
	}
	if c.Access.DeployerRoleArn == "" {
		c.Access.DeployerRoleArn = RunRoleArn(*c)
	}
}

// Network defaults.
const (
	// DefaultVpcCidr is the VPC range eksready creates by default.
	DefaultVpcCidr = "10.0.0.0/16"
	// DefaultAvailabilityZoneCount is how many zones a created VPC spans.
	DefaultAvailabilityZoneCount = 3
	// DefaultSecondaryCidr is the custom-networking pod range: a /16 of
	// 100.64.0.0/10, 65,536 pod addresses.
	DefaultSecondaryCidr = "100.64.0.0/16"
	// DefaultIntraPrefixLength is the intra subnet size: AWS recommends
	// small (/28) dedicated subnets for the control plane's interfaces.
	DefaultIntraPrefixLength = 28
	// DefaultWarmPrefixTarget is WARM_PREFIX_TARGET with prefix delegation
	// (the CNI's own default, stated so the add-on configuration shows it).
	DefaultWarmPrefixTarget = 1
	// DefaultFlowLogRetentionDays keeps CloudWatch flow logs a month.
	DefaultFlowLogRetentionDays = 30
	// DefaultClusterPoolCidr is Cilium's pod range: outside every RFC 1918
	// range a VPC or the EKS Service CIDR uses.
	DefaultClusterPoolCidr = "100.64.0.0/10"
	// DefaultClusterPoolMaskSize gives each node a /24 of the pool.
	DefaultClusterPoolMaskSize = 24
	// DefaultLoadBalancerAddressesPerZone is the 8 free addresses Elastic
	// Load Balancing asks of every subnet an ALB uses (to scale), which also
	// covers a few NLB interfaces; raise it for clusters with many load
	// balancers.
	DefaultLoadBalancerAddressesPerZone = 8
)

// DefaultEndpointServices are the VPC endpoints created by default: what
// nodes need to pull images (ECR, with layers from S3), join and
// authenticate (EC2, STS), ship logs, be reached by SSM Session Manager,
// and what the load balancer controller and cluster-autoscaler call.
var DefaultEndpointServices = []string{"s3", "ecr.api", "ecr.dkr", "sts", "ec2", "logs", "ssm", "ssmmessages", "ec2messages", "elasticloadbalancing", "autoscaling"}

// applyNetworkDefaults fills what the file left out. Fields that only
// describe a VPC eksready creates stay empty with an existing VPC, and
// mode-specific settings stay empty in the other modes, so validation can
// reject them when a file sets them where they would do nothing.
func applyNetworkDefaults(n *Network, autoMode bool) {
	if n.Existing() {
		if n.AvailabilityZoneCount == 0 {
			n.AvailabilityZoneCount = len(n.ExistingVpc.PrivateSubnets)
		}
	} else {
		if n.VpcCidr == "" {
			n.VpcCidr = DefaultVpcCidr
		}
		if n.AvailabilityZoneCount == 0 {
			n.AvailabilityZoneCount = DefaultAvailabilityZoneCount
			if len(n.AvailabilityZones) > 0 {
				n.AvailabilityZoneCount = len(n.AvailabilityZones)
			}
		}
		if n.NatGateways == "" {
			n.NatGateways = NatPerAz
		}
		if n.Subnets.Intra.Enabled && n.Subnets.Intra.PrefixLength == 0 {
			n.Subnets.Intra.PrefixLength = DefaultIntraPrefixLength
		}
		if vpc, err := netip.ParsePrefix(n.VpcCidr); err == nil && vpc.Addr().Is4() {
			zoneBits := zoneBits(n.AvailabilityZoneCount)
			if n.Subnets.Private.PrefixLength == 0 {
				n.Subnets.Private.PrefixLength = min(vpc.Bits()+zoneBits+1, 28)
			}
			if n.Subnets.Public.PrefixLength == 0 {
				n.Subnets.Public.PrefixLength = min(vpc.Bits()+zoneBits+4, 28)
			}
		}
	}
	pn := &n.PodNetworking
	switch pn.Mode {
	case PodNetworkingCustomNetworking:
		if pn.CustomNetworking.PrefixDelegation == nil {
			pn.CustomNetworking.PrefixDelegation = ptr(true)
		}
		if !n.Existing() {
			if pn.CustomNetworking.SecondaryCidr == "" {
				pn.CustomNetworking.SecondaryCidr = DefaultSecondaryCidr
			}
			if sec, err := netip.ParsePrefix(pn.CustomNetworking.SecondaryCidr); err == nil && sec.Addr().Is4() && pn.CustomNetworking.PodSubnetPrefixLength == 0 {
				pn.CustomNetworking.PodSubnetPrefixLength = min(sec.Bits()+zoneBits(n.AvailabilityZoneCount), 28)
			}
		}
	case PodNetworkingCilium:
		if pn.Cilium.ClusterPoolCidr == "" {
			pn.Cilium.ClusterPoolCidr = DefaultClusterPoolCidr
		}
		if pn.Cilium.ClusterPoolMaskSize == 0 {
			pn.Cilium.ClusterPoolMaskSize = DefaultClusterPoolMaskSize
		}
	}
	if n.PrefixSubnetsOwned() && pn.PrefixReservation.Enabled == nil {
		pn.PrefixReservation.Enabled = ptr(true)
	}
	if n.LoadBalancerAddressesPerZone == nil {
		n.LoadBalancerAddressesPerZone = ptr(DefaultLoadBalancerAddressesPerZone)
	}
	w := &pn.VpcCni
	// Auto Mode keeps its own warm pool and takes no CNI settings.
	if !autoMode && n.PrefixDelegation() && w.WarmPrefixTarget == nil && w.WarmIpTarget == nil && w.MinimumIpTarget == nil {
		w.WarmPrefixTarget = ptr(DefaultWarmPrefixTarget)
	}
	// An existing VPC often has its interface endpoints already (a second
	// one with private DNS fails at apply) and its owner's flow log, so
	// both default off there and on in the VPC eksready creates.
	if n.Endpoints.Enabled == nil {
		n.Endpoints.Enabled = ptr(!n.Existing())
	}
	if n.Endpoints.On() && n.Endpoints.Services == nil {
		n.Endpoints.Services = slices.Clone(DefaultEndpointServices)
	}
	f := &n.FlowLogs
	if f.Enabled == nil {
		f.Enabled = ptr(!n.Existing())
	}
	if f.On() {
		if f.Destination == "" {
			f.Destination = FlowLogsCloudWatch
		}
		if f.Destination == FlowLogsCloudWatch && f.RetentionDays == 0 {
			f.RetentionDays = DefaultFlowLogRetentionDays
		}
		if f.TrafficType == "" {
			f.TrafficType = "ALL"
		}
		if f.MaxAggregationInterval == 0 {
			f.MaxAggregationInterval = 600
		}
	}
}

// zoneBits is how many prefix bits split a range into one equal part per
// zone: the next power of two at or above the zone count.
func zoneBits(zones int) int {
	b := 0
	for 1<<b < zones {
		b++
	}
	return b
}

func allLogTypes() []string {
	var out []string
	for _, t := range types.LogType("").Values() {
		out = append(out, string(t))
	}
	return out
}

func ptr[T any](v T) *T { return &v }
