package config

import (
	"slices"
	"strings"
	"testing"
)

func load(t *testing.T, yamlText string) Cluster {
	t.Helper()
	c, err := Load(strings.NewReader(yamlText))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The AMI type follows the pool's OS, architecture and accelerator.
func TestAcceleratedAmiTypes(t *testing.T) {
	for _, c := range []struct {
		os, instanceType, want string
	}{
		{"bottlerocket", "g6.xlarge", "BOTTLEROCKET_x86_64_NVIDIA"},
		{"al2023", "g6.xlarge", "AL2023_x86_64_NVIDIA"},
		{"bottlerocket", "g5g.xlarge", "BOTTLEROCKET_ARM_64_NVIDIA"},
		{"al2023", "g5g.xlarge", "AL2023_ARM_64_NVIDIA"},
		{"al2023", "inf2.xlarge", "AL2023_x86_64_NEURON"},
		// Bottlerocket's standard variant carries the Neuron driver.
		{"bottlerocket", "trn1.2xlarge", "BOTTLEROCKET_x86_64"},
		{"bottlerocket", "m6i.large", "BOTTLEROCKET_x86_64"},
		{"al2023", "m7g.large", "AL2023_ARM_64_STANDARD"},
	} {
		p := NodePool{OS: c.os, InstanceTypes: []string{c.instanceType}}
		if got := p.AmiType(); got != c.want {
			t.Errorf("%s on %s: %s, want %s", c.instanceType, c.os, got, c.want)
		}
	}
}

// Done-when of the issue: g6.xlarge on the default OS gets the
// Bottlerocket NVIDIA AMI type and a NoSchedule GPU taint, no device
// plugin; on al2023 the AL2023 NVIDIA AMI type and NVIDIA's device plugin
// that tolerates the taint; inf2.xlarge the Neuron AMI type and plugin.
func TestAcceleratedPoolsDefaults(t *testing.T) {
	c := load(t, "nodes:\n  gpu: {instanceTypes: [g6.xlarge], minSize: 0}\n  inf: {os: al2023, instanceTypes: [inf2.xlarge], minSize: 0}\n  gpu2: {os: al2023, instanceTypes: [g6.xlarge], minSize: 0}\n")
	gpu := c.Nodes["gpu"]
	if gpu.AmiType() != "BOTTLEROCKET_x86_64_NVIDIA" || gpu.DevicePlugin() != "" || gpu.AcceleratorTaint == nil || !*gpu.AcceleratorTaint {
		t.Errorf("gpu: %s, plugin %q, taint %v", gpu.AmiType(), gpu.DevicePlugin(), gpu.AcceleratorTaint)
	}
	if got := PoolTaints(c, "gpu"); !slices.Equal(got, []Taint{{Key: "nvidia.com/gpu", Value: "true", Effect: "NO_SCHEDULE"}}) {
		t.Errorf("gpu taints %v", got)
	}
	if got := c.Nodes["gpu2"]; got.AmiType() != "AL2023_x86_64_NVIDIA" || got.DevicePlugin() != AcceleratorNVIDIA {
		t.Errorf("gpu2: %s, plugin %q", got.AmiType(), got.DevicePlugin())
	}
	if got := c.Nodes["inf"]; got.AmiType() != "AL2023_x86_64_NEURON" || got.DevicePlugin() != AcceleratorNeuron {
		t.Errorf("inf: %s, plugin %q", got.AmiType(), got.DevicePlugin())
	}
	plugins := DevicePlugins(c)
	if len(plugins) != 2 || plugins[0].Kind != AcceleratorNVIDIA || !slices.Equal(plugins[0].Pools, []string{"nodes.gpu2"}) ||
		!slices.Contains(plugins[0].Taints, AcceleratorTaint(AcceleratorNVIDIA)) || plugins[1].Kind != AcceleratorNeuron {
		t.Errorf("device plugins %+v", plugins)
	}
	if got := AcceleratorLabels(c.Nodes["gpu2"]); got[DevicePluginLabel] != "nvidia" || got[ClusterAutoscalerGPULabel] != "nvidia-l4" || got[AcceleratorLabel] != "nvidia" {
		t.Errorf("gpu2 labels %v", got)
	}
	if _, ok := AcceleratorLabels(c.Nodes["inf"])[ClusterAutoscalerGPULabel]; ok {
		t.Error("a Neuron node must not carry cluster-autoscaler's GPU label (it would wait for nvidia.com/gpu)")
	}
	// The device plugin counts against max pods like every DaemonSet.
	if ds := NodeDaemonSets(c, "inf"); ds[len(ds)-1] != "neuron-device-plugin" {
		t.Errorf("inf DaemonSets %v", ds)
	}
}

// A pool's own taint of the accelerator's key replaces eksready's, and
// acceleratorTaint: false leaves it off.
func TestAcceleratorTaintOverrides(t *testing.T) {
	c := load(t, "nodes:\n  a: {instanceTypes: [g6.xlarge], taints: [{key: nvidia.com/gpu, value: shared, effect: PREFER_NO_SCHEDULE}]}\n  b: {instanceTypes: [g6.xlarge], acceleratorTaint: false}\n")
	if got := PoolTaints(c, "a"); len(got) != 1 || got[0].Value != "shared" {
		t.Errorf("a: %v", got)
	}
	if got := PoolTaints(c, "b"); len(got) != 0 {
		t.Errorf("b: %v", got)
	}
	k := load(t, "software:\n  autoscaling: karpenter\n  karpenter:\n    nodePools:\n      gpu: {instanceCategories: [g], accelerator: {kind: nvidia, limit: 2}, cpuLimit: 16}\n      cpu: {cpuLimit: 16}\n")
	if got := NodePoolTaints(k.Software.Karpenter.NodePools["gpu"]); !slices.Equal(got, []Taint{AcceleratorTaint(AcceleratorNVIDIA)}) {
		t.Errorf("Karpenter gpu: %v", got)
	}
	if got := k.Software.Karpenter.NodePools["cpu"].AcceleratorTaint; got != nil {
		t.Errorf("a NodePool without an accelerator has acceleratorTaint %v", *got)
	}
}

// Every refused combination, with its exact message.
func TestAcceleratorValidation(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"GPU and CPU types in one pool", "nodes: {gpu: {instanceTypes: [g6.xlarge, m6i.large]}}", []string{
			`nodes.gpu.instanceTypes: ["g6.xlarge", "m6i.large"] mixes instance types that need different AMI types (no accelerator: m6i.large; NVIDIA GPU: g6.xlarge); every type of a pool runs one AMI type, so make one pool per accelerator`,
		}},
		{"NVIDIA and Neuron in one pool", "nodes: {ml: {os: al2023, instanceTypes: [g6.xlarge, inf2.xlarge]}}", []string{
			`nodes.ml.instanceTypes: ["g6.xlarge", "inf2.xlarge"] mixes instance types that need different AMI types (NVIDIA GPU: g6.xlarge; Neuron (Inferentia, Trainium): inf2.xlarge); every type of a pool runs one AMI type, so make one pool per accelerator`,
		}},
		{"GPUs no driver supports", "nodes: {old: {instanceTypes: [p2.xlarge, g3.4xlarge, g4ad.xlarge, vt1.3xlarge, dl1.24xlarge, f1.2xlarge, g7.2xlarge]}}", []string{
			`nodes.old.instanceTypes[0]: "p2.xlarge" is an accelerated instance type no EKS AMI can drive: its NVIDIA K80 (Kepler) GPUs are no longer supported by current NVIDIA drivers, and the EKS-optimized accelerated AMIs list p3 and newer P families only`,
			`nodes.old.instanceTypes[1]: "g3.4xlarge" is an accelerated instance type no EKS AMI can drive: its NVIDIA M60 (Maxwell) GPUs are not among those the EKS-optimized accelerated AMIs support (they list g4dn and newer G families only)`,
			`nodes.old.instanceTypes[2]: "g4ad.xlarge" is an accelerated instance type no EKS AMI can drive: its AMD Radeon Pro V520 GPUs have no driver in any EKS-optimized AMI (the accelerated AMIs ship NVIDIA and Neuron drivers only)`,
			`nodes.old.instanceTypes[3]: "vt1.3xlarge" is an accelerated instance type no EKS AMI can drive: its Xilinx U30 video transcoding cards have no driver in any EKS-optimized AMI`,
			`nodes.old.instanceTypes[4]: "dl1.24xlarge" is an accelerated instance type no EKS AMI can drive: its Habana Gaudi accelerators have no driver in any EKS-optimized AMI`,
			`nodes.old.instanceTypes[5]: "f1.2xlarge" is an accelerated instance type no EKS AMI can drive: its FPGAs have no driver or runtime in any EKS-optimized AMI`,
			`nodes.old.instanceTypes[6]: "g7.2xlarge" is an accelerated instance type no EKS AMI can drive: it is not among the instance types the EKS-optimized accelerated AMIs list as supported (EKS user guide, ml-eks-optimized-ami)`,
		}},
		{"acceleratorTaint on a CPU pool", "nodes: {cpu: {instanceTypes: [m6i.large], acceleratorTaint: true}}", []string{
			`nodes.cpu.acceleratorTaint: true applies to accelerated pools only (GPU, Inferentia, Trainium instance types)`,
		}},
		{"Capacity Block rules", "network: {availabilityZones: [eu-west-1a, eu-west-1b]}\nnodes: {train: {instanceTypes: [p5.48xlarge, p5e.48xlarge], capacityType: CAPACITY_BLOCK, capacityReservation: {id: cr-0123456789abcdef0, zone: eu-west-1c, resourceGroupArn: arn:aws:resource-groups:eu-west-1:111122223333:group/x}}}", []string{
			`nodes.train.capacityReservation.resourceGroupArn: "arn:aws:resource-groups:eu-west-1:111122223333:group/x" cannot be given together with id; name one reservation or a resource group of them`,
			`nodes.train.capacityReservation.resourceGroupArn: "arn:aws:resource-groups:eu-west-1:111122223333:group/x" cannot select a Capacity Block: a CAPACITY_BLOCK node group names its block by id`,
			`nodes.train.capacityReservation.zone: "eu-west-1c" is not one of the cluster's zones (eu-west-1a, eu-west-1b)`,
			`nodes.train.instanceTypes: ["p5.48xlarge", "p5e.48xlarge"] must be exactly one instance type with capacityType CAPACITY_BLOCK: the block reserves one type, which the launch template names`,
			`nodes.train.minSize: 1 must be 0 with capacityType CAPACITY_BLOCK: the block holds instances only between its start and end, and EKS scales the node group to 0 before it ends`,
		}},
		{"Capacity Block without a block", "nodes: {train: {instanceTypes: [p5.48xlarge], capacityType: CAPACITY_BLOCK, minSize: 0}}", []string{
			`nodes.train.capacityReservation.id: is required with capacityType CAPACITY_BLOCK: a Capacity Block node group launches only into the block it names`,
		}},
		{"reservation ids and zones", "nodes: {a: {instanceTypes: [g6.xlarge], capacityReservation: {id: CR-1}}, b: {instanceTypes: [g6.xlarge], capacityReservation: {id: cr-1, zone: eu-west-1a}}, c: {instanceTypes: [g6.xlarge], capacityType: SPOT, capacityReservation: {id: cr-1}}, d: {instanceTypes: [g6.xlarge], capacityReservation: {zone: eu-west-1a, resourceGroupArn: arn:aws-cn:resource-groups:cn-north-1:111122223333:group/x}}}", []string{
			`nodes.a.capacityReservation.id: "CR-1" is not a capacity reservation ID (like cr-0123456789abcdef0)`,
			`nodes.a.capacityReservation.zone: is required with id: a reservation holds instances in one availability zone, where the pool's only node group goes`,
			`nodes.b.capacityReservation.zone: "eu-west-1a" cannot be matched to a subnet: name the cluster's zones in network.availabilityZones`,
			`nodes.c.capacityReservation: "cr-1" cannot be used with capacityType SPOT: capacity reservations hold On-Demand instances`,
			`nodes.d.capacityReservation.resourceGroupArn: "arn:aws-cn:resource-groups:cn-north-1:111122223333:group/x" is not in the aws partition of region eu-west-1`,
			`nodes.d.capacityReservation.zone: "eu-west-1a" applies only with id (a resource group serves every zone)`,
		}},
		{"Karpenter accelerator rules", "software:\n  autoscaling: karpenter\n  karpenter:\n    nodePools:\n      gpu: {instanceCategories: [g, p], accelerator: {kind: amd, counts: [0, 2, 2]}}\n      cpu: {instanceCategories: [c, inf], accelerator: {limit: 3}, acceleratorTaint: false}\n      res: {capacityTypes: [reserved]}\n", []string{
			`software.karpenter.nodePools.cpu.instanceCategories[1]: "inf" is an accelerated instance category; set accelerator.kind (nvidia or neuron) and accelerator.limit to launch accelerated instances`,
			`software.karpenter.nodePools.cpu.accelerator.limit: 3 applies only with accelerator.kind`,
			`software.karpenter.nodePools.cpu.acceleratorTaint: false applies to accelerated NodePools only (accelerator.kind)`,
			`software.karpenter.nodePools.gpu.accelerator.kind: "amd" must be nvidia or neuron`,
			`software.karpenter.nodePools.gpu.accelerator.limit: 0 must be at least 1: it caps the pool's accelerator devices in total (nvidia.com/gpu or aws.amazon.com/neuron), the limit that matters at accelerator prices`,
			// No type carries an "amd" accelerator eksready drives.
			`software.karpenter.nodePools.gpu: cannot be planned: invalid IP capacity input: pool "gpu": its requirements admit no instance type`,
			`software.karpenter.nodePools.gpu.accelerator.counts[0]: 0 must be between 1 and 16 devices per instance`,
			`software.karpenter.nodePools.gpu.accelerator.counts[2]: 2 is listed twice`,
			`software.karpenter.nodePools.res.capacityTypes[0]: "reserved" needs the reservations to launch into: select them in software.karpenter.capacityReservations`,
		}},
		{"reservation terms", "software:\n  autoscaling: karpenter\n  karpenter:\n    nodePools: {cpu: {}}\n    capacityReservations: [{}, {id: cr-1, ownerId: \"123\"}, {tags: {team: \"\"}, ownerId: abc}]\n", []string{
			`software.karpenter.capacityReservations[0]: must name a reservation (id) or select reservations by tags`,
			`software.karpenter.capacityReservations[1].id: "cr-1" cannot be combined with tags or ownerId in one term; give them as separate terms`,
			`software.karpenter.capacityReservations[1].ownerId: "123" is not a 12-digit AWS account ID`,
			`software.karpenter.capacityReservations[2].ownerId: "abc" is not a 12-digit AWS account ID`,
			`software.karpenter.capacityReservations[2].tags: has an empty key or value; every tag of a term must be set`,
			`software.karpenter.capacityReservations: select reservations no NodePool can use: add reserved to a NodePool's capacityTypes`,
		}},
		{"Auto Mode Neuron counts", "compute:\n  mode: auto-mode\n  autoMode:\n    nodePools:\n      inf: {instanceCategories: [inf], accelerator: {kind: neuron, counts: [1], limit: 2}}\n", []string{
			`compute.autoMode.nodePools.inf.accelerator.counts: [1] cannot be used with neuron in Auto Mode: Auto Mode documents no Neuron device-count label to select on (EKS user guide, create-node-pool); choose the sizes with instanceSizes`,
		}},
		{"Auto Mode accelerated pool admitting nothing", "compute:\n  mode: auto-mode\n  autoMode:\n    nodePools:\n      gpu: {instanceCategories: [c], accelerator: {kind: nvidia, counts: [3], limit: 2}}\n", []string{
			`compute.autoMode.nodePools.gpu.instanceCategories: ["c"] admit no NVIDIA GPU instance type Auto Mode launches for architectures amd64 (families with an EKS accelerated AMI, more than 1 vCPU, [3] devices each)`,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assertSameProblems(t, problemsOf(t, tc.yaml), tc.want)
		})
	}
}

// A pool bound to one reservation has its node group, and its IP plan, in
// the reservation's zone only.
func TestReservationZone(t *testing.T) {
	c := load(t, "network: {availabilityZones: [eu-west-1a, eu-west-1b, eu-west-1c]}\nnodes: {train: {instanceTypes: [trn1.32xlarge], capacityType: CAPACITY_BLOCK, minSize: 0, capacityReservation: {id: cr-0123456789abcdef0, zone: eu-west-1b}}}")
	if got := PoolZones(c, "train"); !slices.Equal(got, []int{1}) {
		t.Errorf("zones %v", got)
	}
	rep, err := CapacityReport(c)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := rep.Subnets[0].Need, rep.Subnets[2].Need; a >= b {
		t.Errorf("eu-west-1a needs %d, eu-west-1b %d: the Trainium pool must be charged in eu-west-1b only", a, b)
	}
}

// The summary names each accelerated pool's devices, AMI, plugin and taint.
func TestAcceleratorLines(t *testing.T) {
	c := load(t, "nodes:\n  gpu: {instanceTypes: [g6.12xlarge], minSize: 0}\n  inf: {os: al2023, instanceTypes: [inf2.xlarge], minSize: 0}\n")
	want := []string{
		"pool gpu: 4 × NVIDIA L4 GPU per node, AMI type BOTTLEROCKET_x86_64_NVIDIA, device plugin: the AMI runs it, none installed, taint nvidia.com/gpu=true:NoSchedule",
		"pool inf: 1 × Neuron device (inferentia2) per node (2 NeuronCores), AMI type AL2023_x86_64_NEURON, device plugin: eksready installs neuron-device-plugin, taint aws.amazon.com/neuron=true:NoSchedule",
	}
	if got := AcceleratorLines(c); !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	k := load(t, "software:\n  autoscaling: karpenter\n  karpenter:\n    nodePools:\n      gpu: {instanceCategories: [g], accelerator: {kind: nvidia, counts: [1], limit: 8}}\n")
	if got := AcceleratorLines(k); len(got) != 1 || !strings.HasPrefix(got[0], "Karpenter NodePool gpu: 1 × NVIDIA GPU per node, at most 8 in all (nvidia.com/gpu), families g4dn, g5, g6, g6e, g7e, device plugin: the Bottlerocket NVIDIA variant runs it") {
		t.Errorf("Karpenter: %v", got)
	}
}
