package config

import (
	"slices"
	"strings"
	"testing"

	"github.com/eksready/eksready/config/ipcapacity"
)

func TestComputeDefaultsToManagedNodeGroups(t *testing.T) {
	c := Default()
	if c.Compute.Mode != ComputeManagedNodeGroups || c.AutoModeOn() {
		t.Errorf("compute.mode defaults to %q, want %q", c.Compute.Mode, ComputeManagedNodeGroups)
	}
	if c.Software.Autoscaling != AutoscalingClusterAutoscaler || c.Software.Karpenter.AmiAlias != "bottlerocket@latest" {
		t.Errorf("node-group defaults lost: %+v", c.Software)
	}
}

func TestAutoModeDefaults(t *testing.T) {
	c, err := Load(strings.NewReader("compute:\n  mode: auto-mode\n"))
	if err != nil {
		t.Fatal(err)
	}
	a := c.Compute.AutoMode
	if !slices.Equal(a.BuiltInNodePools, []string{"general-purpose", "system"}) {
		t.Errorf("builtInNodePools = %v, want both", a.BuiltInNodePools)
	}
	if a.EphemeralStorage != (EphemeralStorage{SizeGiB: 80, Iops: 3000, ThroughputMiBs: 125}) || a.IngressScheme != "internal" {
		t.Errorf("autoMode = %+v", a)
	}
	// No node-group settings are filled in Auto Mode, and the system
	// managed pool the file never named is gone.
	s := c.Software
	if len(c.Nodes) != 0 || s.Autoscaling != "" || s.Karpenter.AmiAlias != "" || s.ClusterAutoscaler.Expander != "" || s.AwsLoadBalancerController.Enabled != nil {
		t.Errorf("node-group defaults leaked into Auto Mode: nodes %v, software %+v", c.Nodes, s)
	}
	if c.Network.PodNetworking.VpcCni.WarmPrefixTarget != nil {
		t.Error("warmPrefixTarget defaulted in Auto Mode")
	}
	if !s.MetricsServer.On() {
		t.Error("metrics-server is off in Auto Mode")
	}
}

// loadCustomPoolsOnly loads an Auto Mode cluster with one NodePool of its
// own and the built-in pools off.
func loadCustomPoolsOnly(t *testing.T) Cluster {
	t.Helper()
	c, err := Load(strings.NewReader(`
compute:
  mode: auto-mode
  autoMode:
    builtInNodePools: []
    nodePools:
      general: {cpuLimit: 64}
`))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAutoModeEmptyBuiltInPoolsStayEmpty(t *testing.T) {
	c := loadCustomPoolsOnly(t)
	a := c.Compute.AutoMode
	if a.BuiltInNodePools == nil || len(a.BuiltInNodePools) != 0 {
		t.Errorf("builtInNodePools = %#v, want [] kept", a.BuiltInNodePools)
	}
	p := a.NodePools["general"]
	if p.CPULimit != 64 || p.ExpireAfter != "336h" || p.MemoryLimitGiB != 400 || !slices.Equal(p.InstanceCategories, []string{"c", "m", "r"}) {
		t.Errorf("pool = %+v, want YAML over DefaultAutoModeNodePool", p)
	}
}

// TestComputeRules checks every compute rule's exact message.
func TestComputeRules(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown mode", "compute: {mode: fargate}\n",
			[]string{`compute.mode: "fargate" must be managed-node-groups or auto-mode`}},
		{"autoMode without auto mode", "compute:\n  autoMode: {ingressScheme: internal}\n",
			[]string{`compute.autoMode: only applies to compute.mode auto-mode (mode is managed-node-groups)`}},
		{"node groups in auto mode", "compute: {mode: auto-mode}\nnodes:\n  system: {}\n  batch: {}\n",
			[]string{`nodes: ["batch", "system"] are managed node groups, which compute.mode auto-mode does not create; define NodePools under compute.autoMode.nodePools instead`}},
		{"autoscaler in auto mode", "compute: {mode: auto-mode}\nsoftware: {autoscaling: karpenter}\n",
			[]string{`software.autoscaling: "karpenter" has no effect in compute.mode auto-mode: Auto Mode scales nodes itself; remove it`}},
		{"karpenter in auto mode", "compute: {mode: auto-mode}\nsoftware:\n  karpenter: {amiAlias: bottlerocket@latest}\n",
			[]string{`software.karpenter: has no effect in compute.mode auto-mode: Auto Mode runs Karpenter itself; put NodePools under compute.autoMode.nodePools`}},
		{"cluster-autoscaler in auto mode", "compute: {mode: auto-mode}\nsoftware:\n  clusterAutoscaler: {expander: random}\n",
			[]string{`software.clusterAutoscaler: has no effect in compute.mode auto-mode: Auto Mode scales nodes itself; remove it`}},
		{"load balancer controller in auto mode", "compute: {mode: auto-mode}\nsoftware:\n  awsLoadBalancerController: {enabled: false}\n",
			[]string{`software.awsLoadBalancerController.enabled: false has no effect in compute.mode auto-mode: Auto Mode provisions load balancers itself (use the alb IngressClass); remove it`}},
		{"update operator in auto mode", "compute: {mode: auto-mode}\nsoftware:\n  certManager: {enabled: true}\n  bottlerocketUpdateOperator: {enabled: true}\n",
			[]string{`software.bottlerocketUpdateOperator.enabled: true has no effect in compute.mode auto-mode: Auto Mode patches and replaces its nodes itself; remove it`}},
		{"autoscaling SLR in auto mode", "compute: {mode: auto-mode}\nvolumeEncryption: {createAutoscalingServiceLinkedRole: true}\n",
			[]string{`volumeEncryption.createAutoscalingServiceLinkedRole: true has no effect in compute.mode auto-mode: Auto Mode creates no Auto Scaling groups; the cluster role launches nodes; remove it`}},
		{"built-in add-on pinned", "compute: {mode: auto-mode}\nmanagedAddons:\n  versions: {coredns: v1.11.4-eksbuild.2, snapshot-controller: v8.2.0-eksbuild.1}\n",
			[]string{`managedAddons.versions.coredns: is built into EKS Auto Mode, so eksready does not install it as a managed add-on; remove the pin`}},
		{"built-in add-on added", "compute: {mode: auto-mode}\nmanagedAddons:\n  additional: [{name: kube-proxy}]\n",
			[]string{`managedAddons.additional[0].name: "kube-proxy" is built into EKS Auto Mode; installing it as an add-on would run a second copy`}},
		{"custom networking in auto mode", "compute: {mode: auto-mode}\nnetwork:\n  podNetworking: {mode: custom-networking}\n",
			[]string{`network.podNetworking.mode: "custom-networking" cannot be used with compute.mode auto-mode: Auto Mode assigns pod addresses itself (/28 prefixes from the node subnets) and supports neither ENIConfig custom networking nor another CNI`}},
		{"cilium in auto mode", "compute: {mode: auto-mode}\nnetwork:\n  podNetworking: {mode: cilium}\n",
			[]string{`network.podNetworking.mode: "cilium" cannot be used with compute.mode auto-mode: Auto Mode assigns pod addresses itself (/28 prefixes from the node subnets) and supports neither ENIConfig custom networking nor another CNI`}},
		{"auto mode in China", "region: cn-north-1\ncompute: {mode: auto-mode}\n",
			[]string{`compute.mode: "auto-mode" is not available in region cn-north-1: EKS Auto Mode, its IAM policies (AmazonEKSComputePolicy and the others) and the AmazonEKSAutoNodePolicy access policy cannot be confirmed in partition aws-cn (the EKS user guide lists Auto Mode AMIs for commercial regions only); use managed-node-groups`}},
		{"auto mode in GovCloud", "region: us-gov-west-1\ncompute: {mode: auto-mode}\n",
			[]string{`compute.mode: "auto-mode" is not available in region us-gov-west-1: EKS Auto Mode, its IAM policies (AmazonEKSComputePolicy and the others) and the AmazonEKSAutoNodePolicy access policy cannot be confirmed in partition aws-us-gov (the EKS user guide lists Auto Mode AMIs for commercial regions only); use managed-node-groups`}},
		{"auto mode in an unknown region", "region: eu-west-9\ncompute: {mode: auto-mode}\n",
			[]string{`region: "eu-west-9" is not a region where Amazon EKS runs (like eu-west-1; eksready knows the regions AWS published by 2026-11-30)`}},
		{"ipv6 in auto mode", "compute: {mode: auto-mode}\nnetwork:\n  podNetworking: {mode: ipv6}\n",
			[]string{`network.podNetworking.mode: "ipv6" is not supported with compute.mode auto-mode by eksready yet (IPv4 clusters only)`}},
		{"warm settings in auto mode", "compute: {mode: auto-mode}\nnetwork:\n  podNetworking:\n    vpcCni: {warmPrefixTarget: 2}\n",
			[]string{`network.podNetworking.vpcCni.warmPrefixTarget: 2 has no effect in compute.mode auto-mode: Auto Mode does not support warm IP, warm prefix, warm ENI or minimum IP settings; remove it`}},
		{"unknown built-in pool", "compute:\n  mode: auto-mode\n  autoMode: {builtInNodePools: [system, gpu, system]}\n",
			[]string{`compute.autoMode.builtInNodePools[1]: "gpu" is not a built-in Auto Mode node pool (general-purpose, system)`, `compute.autoMode.builtInNodePools[2]: "system" is listed twice`}},
		{"nothing can run", "compute:\n  mode: auto-mode\n  autoMode: {builtInNodePools: []}\n",
			[]string{`compute.autoMode.nodePools: must define at least one NodePool when builtInNodePools is empty: nothing else could run a pod`}},
		{"pool named like a built-in", "compute:\n  mode: auto-mode\n  autoMode:\n    nodePools: {system: {}}\n",
			[]string{`compute.autoMode.nodePools.system: "system" is the name of a built-in Auto Mode node pool; choose another name (enable it with builtInNodePools instead)`}},
		{"bad pool name", "compute:\n  mode: auto-mode\n  autoMode:\n    nodePools: {Batch: {}}\n",
			[]string{`compute.autoMode.nodePools.Batch: "Batch" is not a valid NodePool name (lowercase letters, digits and '-', at most 63 characters)`}},
		{"shared NodePool rules", "compute:\n  mode: auto-mode\n  autoMode:\n    nodePools:\n      batch: {architectures: [x86], cpuLimit: 0, consolidateAfter: soon}\n",
			[]string{`compute.autoMode.nodePools.batch.architectures[0]: "x86" must be amd64 or arm64`, `compute.autoMode.nodePools.batch.consolidateAfter: "soon" is not a duration (like 30s, 5m, 720h) or Never`, `compute.autoMode.nodePools.batch.cpuLimit: 0 must be at least 1`}},
		{"no instance type matches", "compute:\n  mode: auto-mode\n  autoMode:\n    nodePools:\n      batch: {instanceCategories: [zz]}\n",
			[]string{`compute.autoMode.nodePools.batch.instanceCategories: ["zz"] admit no instance type Auto Mode launches for architectures amd64 (generation 5 or newer, more than 1 vCPU)`}},
		{"reserved capacity", "compute:\n  mode: auto-mode\n  autoMode:\n    nodePools:\n      batch: {capacityTypes: [spot, reserved]}\n",
			[]string{`compute.autoMode.nodePools.batch.capacityTypes[1]: "reserved" needs the reservations to launch into: select them in compute.autoMode.capacityReservations`}},
		{"never expires", "compute:\n  mode: auto-mode\n  autoMode:\n    nodePools:\n      batch: {expireAfter: Never}\n",
			[]string{`compute.autoMode.nodePools.batch.expireAfter: "Never" is not possible in Auto Mode: nodes are replaced after at most 21 days (504h); set a duration up to 504h`}},
		{"expires too late", "compute:\n  mode: auto-mode\n  autoMode:\n    nodePools:\n      batch: {expireAfter: 720h}\n",
			[]string{`compute.autoMode.nodePools.batch.expireAfter: "720h" exceeds Auto Mode's 21-day maximum node lifetime (504h)`}},
		{"ephemeral storage and scheme", "compute:\n  mode: auto-mode\n  autoMode:\n    ephemeralStorage: {sizeGiB: 60000, iops: 2000, throughputMiBs: 2000}\n    ingressScheme: public\n",
			[]string{
				`compute.autoMode.ephemeralStorage.iops: 2000 must be between 3000 and 16000`,
				`compute.autoMode.ephemeralStorage.sizeGiB: 60000 must be between 1 and 59000`,
				`compute.autoMode.ephemeralStorage.throughputMiBs: 2000 must be between 125 and 1000`,
				`compute.autoMode.ingressScheme: "public" must be internal or internet-facing`,
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := problemsOf(t, tc.yaml)
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

// TestAutoModePoolsPlanTheCPULimit: an Auto Mode NodePool is bounded by
// its cpu limit over the smallest type it admits, every node charged at
// Auto Mode's 110-pod cap.
func TestAutoModePoolsPlanTheCPULimit(t *testing.T) {
	plan := func(p AutoModeNodePool) (PlannedNodePool, error) {
		c := Cluster{Compute: Compute{Mode: ComputeAutoMode, AutoMode: AutoMode{NodePools: map[string]AutoModeNodePool{"general": p}}},
			Network: Network{PodNetworking: PodNetworking{Mode: PodNetworkingPrefixDelegation}}}
		pools, err := AutoModePools(c)
		if err != nil {
			return PlannedNodePool{}, err
		}
		return pools[0], nil
	}
	p := DefaultAutoModeNodePool() // c, m, r; amd64; 100 vCPUs
	got, err := plan(p)
	if err != nil {
		t.Fatal(err)
	}
	// The smallest amd64 c/m/r type of generation 5 or newer has 2 vCPUs
	// (c5.large and its kind): 100 / 2 = 50 nodes, each capped at 110 pods.
	g := got.Bound.NodeGroup(got.Pool)
	s := got.Bound.Smallest
	if s.VCPUs != 2 || g.MaxSizePerAZ != 50 || g.MaxPods != 110 || g.Name != "auto-mode/general" {
		t.Errorf("node group = %+v (smallest %s, %d vCPUs), want 50 nodes of a 2-vCPU type at 110 pods", g, s.InstanceType, s.VCPUs)
	}
	if ArchitectureOf(s.InstanceType) != X86 || !strings.ContainsAny(s.InstanceType[:1], "cmr") || s.Generation < AutoModeMinGeneration {
		t.Errorf("smallest type %s does not match the requirements", s.InstanceType)
	}
	// Graviton's 1-vCPU mediums are below Auto Mode's minimum even with
	// minVCPUs 1: the smallest arm64 type has 2 vCPUs too.
	p.Architectures, p.CPULimit, p.MinVCPUs = []string{"arm64"}, 9, 1
	got, err = plan(p)
	if err != nil {
		t.Fatal(err)
	}
	if s := got.Bound.Smallest; got.Bound.Nodes != 5 || s.VCPUs != 2 || ArchitectureOf(s.InstanceType) != Arm {
		t.Errorf("arm pool = %+v, want 5 (9 vCPUs over 2, rounded up) two-vCPU Graviton nodes", got.Bound)
	}
	p.InstanceCategories = []string{"zz"}
	if _, err := plan(p); err == nil || !strings.Contains(err.Error(), "compute.autoMode.nodePools.general: ") || !strings.Contains(err.Error(), "admit no instance type") {
		t.Errorf("err = %v, want no matching type", err)
	}
}

func TestAutoModeCapacityIsPlanned(t *testing.T) {
	c := loadCustomPoolsOnly(t)
	rep, err := CapacityReport(c)
	if err != nil {
		t.Fatal(err)
	}
	zones := 0
	for _, s := range rep.Subnets {
		if s.Role != ipcapacity.RoleNode {
			continue
		}
		zones++
		if len(s.Groups) != 1 || !strings.HasPrefix(s.Groups[0].String(), "auto-mode/general: 32 ×") {
			t.Errorf("Auto Mode pool not planned as 32 nodes (64 vCPUs over 2) in %s: %+v", s.AZ, s.Groups)
		}
	}
	if zones != 3 {
		t.Errorf("%d node subnets planned, want 3", zones)
	}
	if sum := strings.Join(CapacitySummary(c), "\n"); !strings.Contains(sum, "pod networking: EKS Auto Mode (prefix delegation, single addresses when a subnet has no free /28; at most 110 pods per node, after the IP limit)") {
		t.Errorf("summary:\n%s", sum)
	}
	// A pool too large for the subnets fails validation with the figures.
	_, err = Load(strings.NewReader(`
compute:
  mode: auto-mode
  autoMode:
    nodePools:
      huge: {cpuLimit: 100000}
`))
	if err == nil || !strings.Contains(err.Error(), "network.subnets.private: too small for the cluster at max scale") {
		t.Errorf("err = %v, want the private subnets too small", err)
	}
}

// TestAutoModeRegions: Auto Mode is accepted exactly where the EKS user
// guide lists an Auto Mode AMI account, and a commercial region EKS runs
// in without one is refused with the reason.
func TestAutoModeRegions(t *testing.T) {
	for _, r := range autoModeRegions {
		if PartitionOf(r) != "aws" {
			t.Errorf("Auto Mode region %s is not a commercial region where EKS runs", r)
		}
	}
	for _, r := range eksRegions["aws"] {
		if autoModeRegionProblem(r) != "" {
			t.Errorf("%s: %s", r, autoModeRegionProblem(r))
		}
	}
	saved := autoModeRegions
	t.Cleanup(func() { autoModeRegions = saved })
	autoModeRegions = slices.DeleteFunc(slices.Clone(saved), func(r string) bool { return r == "mx-central-1" })
	_, err := Load(strings.NewReader("region: mx-central-1\ncompute: {mode: auto-mode}\n"))
	want := `compute.mode: "auto-mode" is not available in region mx-central-1: the EKS user guide lists no EKS Auto Mode AMI account there (auto-controls, read 2026-11-30); use managed-node-groups, or a region with Auto Mode`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want %s", err, want)
	}
}
