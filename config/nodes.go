package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"

	"github.com/eksready/eksready/config/ipcapacity"
)

// NodePool is a set of identical nodes, one managed node group per
// availability zone. Sizes are per availability zone.
type NodePool struct {
	// InstanceTypes the pool may use; several make spot pools resilient.
	// All must share one CPU architecture, which selects the AMI.
	// Default: ["m6i.large"].
	InstanceTypes []string `yaml:"instanceTypes"`

	// CapacityType is "ON_DEMAND", "SPOT" or "CAPACITY_BLOCK" (a Capacity
	// Block for ML named in capacityReservation). Default: "ON_DEMAND".
	CapacityType string `yaml:"capacityType"`

	// MinSize is the fewest nodes per availability zone. Default: 1.
	MinSize int `yaml:"minSize"`

	// MaxSize is the most nodes per availability zone; the IP capacity
	// planner sizes subnets against it. Default: 3.
	MaxSize int `yaml:"maxSize"`

	// DesiredSize is the initial node count per availability zone. Terraform
	// ignores later drift so an autoscaler's decisions stand. Default: MinSize.
	DesiredSize *int `yaml:"desiredSize"`

	// Labels are Kubernetes labels put on every node, next to
	// eksready.io/pool and eksready.io/generation. Default: none.
	Labels map[string]string `yaml:"labels"`

	// Taints keep pods off the pool unless they tolerate them.
	// Default: none.
	Taints []Taint `yaml:"taints"`

	// AcceleratorTaint gives an accelerated pool (GPU, Inferentia,
	// Trainium) the NoSchedule taint nvidia.com/gpu=true or
	// aws.amazon.com/neuron=true, so ordinary pods never land on its nodes;
	// pods requesting that resource tolerate it automatically (EKS enables
	// the ExtendedResourceToleration admission plugin). A taint of the same
	// key in taints replaces it; false leaves it off. Accelerated pools
	// only, where it is on unless set false.
	AcceleratorTaint *bool `yaml:"acceleratorTaint"`

	// CapacityReservation targets an EC2 On-Demand Capacity Reservation
	// (capacityType ON_DEMAND) or a Capacity Block for ML (capacityType
	// CAPACITY_BLOCK) through the pool's launch template. Default: none.
	CapacityReservation CapacityReservation `yaml:"capacityReservation"`

	// OS is "bottlerocket" (container-optimised, two volumes, safe atomic
	// updates; R2) or "al2023" (Amazon Linux 2023, the fallback: SSM agent,
	// optional Inspector scanning). Default: "bottlerocket".
	OS string `yaml:"os"`

	// AmiReleaseVersion pins the AMI release ("1.49.0-713f44ce" for
	// Bottlerocket, "1.35.0-20260115" for AL2023). Empty follows the latest
	// release from the AWS public SSM parameter at every plan, so new
	// releases roll through the pool by its update settings. Default: "".
	AmiReleaseVersion string `yaml:"amiReleaseVersion"`

	// KubernetesVersion is the pool's Kubernetes minor, so pools can be
	// upgraded one at a time after the control plane: at most one minor
	// behind kubernetesVersion (EKS requires managed nodes at the control
	// plane's minor before its next upgrade) and never ahead of it. The
	// pool's AMI follows this version. Empty follows the control plane's.
	// Default: "".
	KubernetesVersion string `yaml:"kubernetesVersion"`

	// Generations are the pool's node-group generations, oldest first; the
	// last is current. Blue/green rotation: append a generation (both run
	// side by side), move workloads, then remove the old one, and EKS
	// cordons and drains its nodes respecting PodDisruptionBudgets. At most
	// two, so one typo can never remove every generation. Default: ["1"].
	Generations []string `yaml:"generations"`

	// Volumes sizes the node's EBS volumes, all encrypted with the
	// cluster's EBS key.
	Volumes NodeVolumes `yaml:"volumes"`

	// Update controls rolling updates of the node groups (AMI releases,
	// launch-template changes).
	Update NodeUpdate `yaml:"update"`

	// MetadataHopLimit is the IMDSv2 response hop limit. 1 keeps pods off
	// the node's instance metadata (and its role); raise to 2 only for
	// software that needs IMDS from a pod. Default: 1.
	MetadataHopLimit int `yaml:"metadataHopLimit"`

	// DetailedMonitoring turns on 1-minute EC2 metrics (charged). Default: false.
	DetailedMonitoring bool `yaml:"detailedMonitoring"`
}

// CapacityReservation is the capacity reservation a managed pool launches
// into. A reservation (or Capacity Block) lives in one availability zone,
// so a pool that names one by id runs one node group, in that zone; a
// resource group of reservations serves every zone.
type CapacityReservation struct {
	// ID is the reservation or Capacity Block ("cr-0123456789abcdef0").
	ID string `yaml:"id"`
	// Zone is the reservation's availability zone, one of the cluster's
	// named zones (network.availabilityZones, or the existing VPC's
	// subnets); required with id.
	Zone string `yaml:"zone"`
	// ResourceGroupArn is a resource group of On-Demand Capacity
	// Reservations, instead of id (not for Capacity Blocks).
	ResourceGroupArn string `yaml:"resourceGroupArn"`
}

// Set reports whether the pool targets a reservation.
func (r CapacityReservation) Set() bool { return r != CapacityReservation{} }

// Taint is a Kubernetes node taint.
type Taint struct {
	// Key is the taint key.
	Key string `yaml:"key"`
	// Value is the taint value (may be empty).
	Value string `yaml:"value"`
	// Effect is NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE (the EKS API's names).
	Effect string `yaml:"effect"`
}

// NodeVolumes sizes a node's volumes.
type NodeVolumes struct {
	// Root is /dev/xvda: the OS (Bottlerocket: the read-only OS image,
	// small; AL2023: OS, images and container storage).
	// Default: 4 GiB on Bottlerocket, 50 GiB on AL2023, gp3.
	Root Volume `yaml:"root"`
	// Data is /dev/xvdb, Bottlerocket only: container images and storage.
	// Default: 50 GiB gp3.
	Data Volume `yaml:"data"`
}

// Volume is one EBS volume.
type Volume struct {
	// SizeGiB is the size in GiB (0: the OS default above).
	SizeGiB int `yaml:"sizeGiB"`
	// Type is gp3 or io2 (gp2 is not offered: gp3 is cheaper and faster).
	// Default: "gp3".
	Type string `yaml:"type"`
	// Iops provisions IOPS (gp3: 3000–16000; io2: required). 0 keeps the
	// type's baseline. Default: 0.
	Iops int `yaml:"iops"`
	// ThroughputMiBs provisions gp3 throughput (125–1000). 0 keeps the
	// baseline. Default: 0.
	ThroughputMiBs int `yaml:"throughputMiBs"`
}

// NodeUpdate controls how node groups roll.
type NodeUpdate struct {
	// MaxUnavailablePercent is the share of nodes replaced at once (1–100).
	// Default: 33.
	MaxUnavailablePercent int `yaml:"maxUnavailablePercent"`
	// MaxUnavailable is a node count replaced at once, used instead of the
	// percentage when set (1–100). Default: 0 (use the percentage).
	MaxUnavailable int `yaml:"maxUnavailable"`
	// ForceUpdateVersion makes EKS finish a version or AMI update even when
	// a PodDisruptionBudget keeps a pod from being evicted: after its
	// eviction attempts time out, EKS terminates the node anyway instead
	// of failing the update (node group force_update_version). Leave it
	// false so budgets are respected and a blocked update fails visibly;
	// set it for a rollout that must finish (a security AMI) when a
	// budget such as minAvailable equal to the replica count can never be
	// met. Default: false.
	ForceUpdateVersion bool `yaml:"forceUpdateVersion"`
}

// Inspector turns on Amazon Inspector for the account, which scans EC2
// instances (the AL2023 fallback's packages) and ECR images for
// vulnerabilities (R2).
type Inspector struct {
	// Enabled activates Inspector for the listed resource types in the
	// deploying account. Default: false (it is charged per resource).
	Enabled bool `yaml:"enabled"`
	// ResourceTypes to scan: EC2, ECR, LAMBDA, LAMBDA_CODE.
	// Default: [EC2, ECR].
	ResourceTypes []string `yaml:"resourceTypes"`
}

// Labels eksready puts on every node it manages (managed node groups and
// Karpenter NodePools alike), so workloads and controllers can select a
// pool or a blue/green generation.
const (
	PoolLabel       = "eksready.io/pool"
	GenerationLabel = "eksready.io/generation"
)

// Architecture is a pool's CPU architecture.
type Architecture string

const (
	// X86 is x86_64 (Intel and AMD).
	X86 Architecture = "x86_64"
	// Arm is arm64 (Graviton).
	Arm Architecture = "arm64"
)

// gravitonFamily matches EC2 families built on Graviton: a "g" among the
// attribute letters after the generation digit (m7g, c6gn, r8gd, im4gn,
// x2gd, t4g, g5g), and the first-generation a1.
var gravitonFamily = regexp.MustCompile(`^(a1|[a-z]+[0-9]+[a-z]*g[a-z]*)$`)

// ArchitectureOf returns the CPU architecture of an instance type, from
// its family name (EC2 encodes Graviton as a "g" attribute letter).
func ArchitectureOf(instanceType string) Architecture {
	family, _, _ := strings.Cut(instanceType, ".")
	family, _, _ = strings.Cut(family, "-") // m7i-flex
	// Mac instances after mac1 run Apple silicon (mac2, mac2-m2pro, mac-m4).
	if gravitonFamily.MatchString(family) || (strings.HasPrefix(family, "mac") && family != "mac1") {
		return Arm
	}
	return X86
}

// Architecture returns the pool's architecture (its first instance type's;
// validation guarantees they agree).
func (p NodePool) Architecture() Architecture {
	if len(p.InstanceTypes) == 0 {
		return X86
	}
	return ArchitectureOf(p.InstanceTypes[0])
}

// PoolKubernetesVersion is the Kubernetes minor a pool's nodes run: its
// own kubernetesVersion, or the control plane's.
func (c Cluster) PoolKubernetesVersion(pool string) string {
	if v := c.Nodes[pool].KubernetesVersion; v != "" {
		return v
	}
	return c.KubernetesVersion
}

// CurrentGeneration is the generation new nodes join.
func (p NodePool) CurrentGeneration() string { return p.Generations[len(p.Generations)-1] }

// NodeGroupNamePrefix is the name prefix of a pool's node group in one
// zone and generation (node group names are scoped to their cluster, so
// the cluster name is not repeated). EKS appends a unique suffix, so a
// replacement can be created before the old group is destroyed
// (create_before_destroy).
func NodeGroupNamePrefix(pool, generation string, zoneIndex int) string {
	return fmt.Sprintf("%s-g%s-az%d-", pool, generation, zoneIndex+1)
}

// Bounds on node counts. EKS's default quota is 450 nodes per managed node
// group (adjustable, so above it is a warning) and 30 managed node groups
// per cluster (adjustable, a warning too); EKS supports at most 100,000
// nodes in one cluster, so no size above that can ever be met, and the
// bound keeps later arithmetic (the IP capacity plan) far from overflow.
// Sources: Amazon EKS service quotas (docs.aws.amazon.com/eks/latest/userguide/service-quotas.html),
// and the AWS Containers blog "Amazon EKS enables ultra scale AI/ML
// workloads with support for 100K nodes per cluster" (July 2025).
const (
	nodesPerNodeGroupQuota    = 450
	nodeGroupsPerClusterQuota = 30
	maxClusterNodes           = 100000
)

// EKS node group API limits (CreateNodegroup, UpdateLabelsPayload and Taint
// in the Amazon EKS API Reference): label keys and values 1–63 characters,
// taint keys 1–63, at most 50 taints on a node group.
const (
	eksLabelMax        = 63
	maxNodeGroupTaints = 50
)

// nodeGroupNameRe is what EKS accepts in a node group name: letters,
// digits, '-' and '_', starting with a letter or digit. A pool name also
// becomes a Kubernetes label value, so it must end with one too.
var nodeGroupNameRe = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?$`)

// maxNodeGroupPrefix is the longest node_group_name_prefix EKS accepts:
// 63 characters less the 26-character unique suffix.
const maxNodeGroupPrefix = 37

// The fixed value sets of node pool and Inspector settings.
var (
	// NodeCapacityTypes are the accepted NodePool.CapacityType values.
	NodeCapacityTypes = []string{string(ekstypes.CapacityTypesOnDemand), string(ekstypes.CapacityTypesSpot), string(ekstypes.CapacityTypesCapacityBlock)}
	// TaintEffects are the accepted Taint.Effect values (the EKS API's names).
	TaintEffects = enumStrings(ekstypes.TaintEffect("").Values())
	// NodeOSes are the accepted NodePool.OS values.
	NodeOSes = []string{"bottlerocket", "al2023"}
	// VolumeTypes are the accepted Volume.Type values.
	VolumeTypes = []string{"gp3", "io2"}
	// InspectorResourceTypes are the accepted Inspector.ResourceTypes items.
	InspectorResourceTypes = []string{"EC2", "ECR", "LAMBDA", "LAMBDA_CODE"}
)

var (
	// A qualified Kubernetes label key: optional DNS prefix, then a name.
	labelKeyRe   = regexp.MustCompile(`^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`)
	generationRe = regexp.MustCompile(`^[a-z0-9]{1,8}$`)
)

// validateNodes checks the managed node groups (none in Auto Mode, which
// validateCompute enforces) and the Inspector settings that scan them.
func validateNodes(c Cluster, v *collector) {
	validateInspector(c.Inspector, v)
	if c.AutoModeOn() {
		// validateCompute rejects node groups in Auto Mode.
		return
	}
	if _, ok := c.Nodes[SystemPool]; !ok {
		v.missing("nodes."+SystemPool, "is required: the system pool runs CoreDNS and the cluster's controllers")
	}
	knownTypes := enumStrings(ec2types.InstanceType("").Values())
	for _, name := range sortedKeys(c.Nodes) {
		validatePool(c, name, knownTypes, v)
	}
}

// validatePool checks one node pool (nodes.<name>); its problems are
// reported in the order of the checks here.
func validatePool(c Cluster, name string, knownTypes []string, v *collector) {
	p, path := c.Nodes[name], "nodes."+name
	if len(name) > 40 || !nodeGroupNameRe.MatchString(name) {
		v.add(path, name, "is not a valid pool name: it names EKS node groups and a Kubernetes label value (letters, digits, '-' and '_', starting and ending with a letter or digit, at most 40 characters here)")
	}
	validatePoolInstanceTypes(path, p.InstanceTypes, knownTypes, v)
	validatePoolRoom(c, name, v)
	if !slices.Contains(NodeCapacityTypes, p.CapacityType) {
		v.add(path+".capacityType", p.CapacityType, "must be ON_DEMAND, SPOT or CAPACITY_BLOCK")
	}
	validateAcceleratedPool(name, p, v)
	validateCapacityReservation(c, name, p, v)
	validatePoolSizes(path, p, v)
	validatePoolLabels(path, p.Labels, v)
	if len(p.Taints) > maxNodeGroupTaints-len(NodeStartupTaints(c)) {
		v.missing(path+".taints", "lists %d taints; EKS allows %d on a node group and eksready adds %d", len(p.Taints), maxNodeGroupTaints, len(NodeStartupTaints(c)))
	}
	validateTaints(path+".taints", p.Taints, v)
	if !slices.Contains(NodeOSes, p.OS) {
		v.add(path+".os", p.OS, "must be bottlerocket or al2023")
	}
	validateGenerations(name, p, v)
	validatePoolVersion(c, name, v)
	validatePoolVolumes(path, p, v)
	if p.MetadataHopLimit < 1 || p.MetadataHopLimit > 64 {
		v.add(path+".metadataHopLimit", p.MetadataHopLimit, "must be between 1 and 64")
	}
	validatePoolUpdate(path, p.Update, v)
}

// validatePoolInstanceTypes checks that a pool lists instance types EKS
// can run as one node group: known to EC2 and to the IP capacity planner,
// drivable by an EKS AMI, each once, not Mac, one CPU architecture.
func validatePoolInstanceTypes(path string, types, knownTypes []string, v *collector) {
	if len(types) == 0 {
		v.add(path+".instanceTypes", []string{}, "must list at least one instance type")
	}
	for i, t := range types {
		ipath := fmt.Sprintf("%s.instanceTypes[%d]", path, i)
		switch {
		case !slices.Contains(knownTypes, t):
			v.add(ipath, t, "is not an EC2 instance type")
		case undriven(t) != "":
			v.add(ipath, t, "is an accelerated instance type no EKS AMI can drive: %s", undriven(t))
		case !ipcapacity.Known(t):
			v.add(ipath, t, "is not known to the IP capacity planner (no published ENI limits), so its max pods cannot be computed")
		case slices.Index(types, t) != i:
			v.add(ipath, t, "is listed twice")
		case strings.HasPrefix(t, "mac"):
			v.add(ipath, t, "is a Mac instance type, which runs on dedicated hosts only and cannot join an EKS node group")
		case ArchitectureOf(t) != ArchitectureOf(types[0]):
			v.add(ipath, t, "is %s but %s is %s: one pool, one CPU architecture (make a second pool)", ArchitectureOf(t), types[0], ArchitectureOf(types[0]))
		}
	}
}

// validatePoolRoom checks that a pool's nodes have room for pods beside
// the DaemonSet pods every node runs (when max pods can be computed; the
// instance type checks report why it cannot).
func validatePoolRoom(c Cluster, name string, v *collector) {
	mp, err := MaxPods(c, name)
	if err != nil {
		return
	}
	if ds := NodeDaemonSets(c, name); mp <= len(ds) {
		v.add("nodes."+name+".instanceTypes", c.Nodes[name].InstanceTypes, "allow %d pods per node, no room beside the %d DaemonSet pods every node runs (%s); choose a larger instance type", mp, len(ds), strings.Join(ds, ", "))
	}
}

// validatePoolSizes checks minSize, maxSize and desiredSize: each within
// what a cluster holds, and min ≤ desired ≤ max once they are.
func validatePoolSizes(path string, p NodePool, v *collector) {
	sizesSound := true
	for _, s := range []struct {
		key   string
		value int
	}{{"minSize", p.MinSize}, {"maxSize", p.MaxSize}, {"desiredSize", deref(p.DesiredSize)}} {
		// desiredSize defaults to minSize: the same number is one problem.
		if s.value > maxClusterNodes && (s.key != "desiredSize" || s.value != p.MinSize) {
			v.add(path+"."+s.key, s.value, "is more nodes per zone than the %d an EKS cluster can hold", maxClusterNodes)
			sizesSound = false
		}
	}
	if p.MinSize < 0 {
		v.add(path+".minSize", p.MinSize, "must not be negative")
	}
	if p.MaxSize < 1 {
		v.add(path+".maxSize", p.MaxSize, "must be at least 1 (EKS managed node groups need a maximum of one or more)")
	}
	if sizesSound && p.MaxSize < p.MinSize {
		v.add(path+".maxSize", p.MaxSize, "is below minSize %d", p.MinSize)
	}
	if d := p.DesiredSize; sizesSound && d != nil && (*d < p.MinSize || *d > p.MaxSize) {
		v.add(path+".desiredSize", *d, "must be between minSize %d and maxSize %d", p.MinSize, p.MaxSize)
	}
}

// validatePoolLabels checks a pool's node labels against Kubernetes' and
// EKS's rules, and keeps eksready's own prefix for eksready.
func validatePoolLabels(path string, labels map[string]string, v *collector) {
	for _, k := range sortedKeys(labels) {
		switch {
		case !labelKeyRe.MatchString(k):
			v.missing(path+".labels."+k, "is not a valid Kubernetes label key")
		case strings.HasPrefix(k, "eksready.io/"):
			v.missing(path+".labels."+k, "uses the eksready.io/ prefix, which eksready sets itself")
		case len(k) > eksLabelMax:
			v.missing(path+".labels."+k, "is longer than the %d characters EKS allows a node group label key (prefix included)", eksLabelMax)
		}
		switch val := labels[k]; {
		case val == "":
			v.missing(path+".labels."+k, "has an empty value; EKS node group labels need a value of 1 to %d characters", eksLabelMax)
		case len(val) > eksLabelMax || !labelValueRe.MatchString(val):
			v.add(path+".labels."+k, val, "is not a valid Kubernetes label value")
		}
	}
}

// validatePoolVolumes checks the root volume, and the data volume that
// only Bottlerocket has.
func validatePoolVolumes(path string, p NodePool, v *collector) {
	validateVolume(path+".volumes.root", p.Volumes.Root, v)
	if p.OS == "bottlerocket" {
		validateVolume(path+".volumes.data", p.Volumes.Data, v)
	} else if p.Volumes.Data != (Volume{}) {
		v.missing(path+".volumes.data", "applies to Bottlerocket only; AL2023 keeps everything on the root volume")
	}
	if p.Volumes.Root.SizeGiB != 0 && p.OS == "bottlerocket" && p.Volumes.Root.SizeGiB < 2 {
		v.add(path+".volumes.root.sizeGiB", p.Volumes.Root.SizeGiB, "is below the 2 GiB the Bottlerocket OS image needs")
	}
}

// validatePoolUpdate checks the node group update's unavailability: a
// count when set, else a percentage.
func validatePoolUpdate(path string, u NodeUpdate, v *collector) {
	if u.MaxUnavailable != 0 && (u.MaxUnavailable < 1 || u.MaxUnavailable > 100) {
		v.add(path+".update.maxUnavailable", u.MaxUnavailable, "must be between 1 and 100")
	}
	if u.MaxUnavailable == 0 && (u.MaxUnavailablePercent < 1 || u.MaxUnavailablePercent > 100) {
		v.add(path+".update.maxUnavailablePercent", u.MaxUnavailablePercent, "must be between 1 and 100")
	}
}

// undriven is why no EKS AMI drives an accelerated type, "" when one does
// or the type has no accelerator.
func undriven(instanceType string) string {
	_, why := AcceleratorOf(instanceType)
	return why
}

func validateInspector(ins Inspector, v *collector) {
	for i, t := range ins.ResourceTypes {
		if !slices.Contains(InspectorResourceTypes, t) {
			v.add(fmt.Sprintf("inspector.resourceTypes[%d]", i), t, "must be one of %s", strings.Join(InspectorResourceTypes, ", "))
		}
	}
	if ins.Enabled && len(ins.ResourceTypes) == 0 {
		v.add("inspector.resourceTypes", []string{}, "must name at least one resource type when Inspector is enabled")
	}
}

func validateGenerations(pool string, p NodePool, v *collector) {
	path := "nodes." + pool + ".generations"
	switch {
	case len(p.Generations) == 0:
		// An empty list would delete every node group of the pool.
		v.add(path, []string{}, "must name the current generation (remove the pool instead to delete its nodes)")
		return
	case len(p.Generations) > 2:
		v.add(path, p.Generations, "lists %d generations; at most two run side by side (old, new)", len(p.Generations))
	}
	for i, g := range p.Generations {
		gpath := fmt.Sprintf("%s[%d]", path, i)
		if !generationRe.MatchString(g) {
			v.add(gpath, g, "must be 1–8 lowercase letters or digits")
		} else if slices.Index(p.Generations, g) != i {
			v.add(gpath, g, "is listed twice")
		}
		if prefix := NodeGroupNamePrefix(pool, g, 5); len(prefix) > maxNodeGroupPrefix {
			v.add(gpath, g, "makes node group names like %q longer than the %d characters EKS allows a name prefix; shorten the pool or generation name", prefix, maxNodeGroupPrefix)
		}
	}
}

// EBS volume limits (Amazon EBS volume types, docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html,
// and the EC2 API's CreateVolume): gp3 is 1–16,384 GiB, 3,000–16,000 IOPS
// at most 500 per GiB above the
// 3,000 baseline, 125–1,000 MiB/s at most 0.25 MiB/s per IOPS; io2
// (Block Express) is 4–65,536 GiB, 100–256,000 IOPS at most 1,000 per GiB.
const (
	gp3MaxIopsPerGiB = 500
	gp3BaselineIops  = 3000
	io2MaxIopsPerGiB = 1000
)

func validateVolume(path string, vol Volume, v *collector) {
	if !slices.Contains(VolumeTypes, vol.Type) {
		if vol.SizeGiB < 0 || vol.SizeGiB > 16384 {
			v.add(path+".sizeGiB", vol.SizeGiB, "must be between 1 and 16384")
		}
		v.add(path+".type", vol.Type, "must be gp3 or io2")
		return
	}
	switch vol.Type {
	case "gp3":
		if vol.SizeGiB < 0 || vol.SizeGiB > 16384 {
			v.add(path+".sizeGiB", vol.SizeGiB, "must be between 1 and 16384 for gp3")
			return
		}
		iopsOK := vol.Iops == 0 || (vol.Iops >= gp3BaselineIops && vol.Iops <= 16000)
		if !iopsOK {
			v.add(path+".iops", vol.Iops, "must be between 3000 and 16000 for gp3")
		} else if vol.Iops > gp3BaselineIops && vol.SizeGiB > 0 && vol.Iops > gp3MaxIopsPerGiB*vol.SizeGiB {
			v.add(path+".iops", vol.Iops, "exceeds the %d IOPS per GiB gp3 allows (at most %d for %d GiB)", gp3MaxIopsPerGiB, gp3MaxIopsPerGiB*vol.SizeGiB, vol.SizeGiB)
		}
		switch {
		case vol.ThroughputMiBs != 0 && (vol.ThroughputMiBs < 125 || vol.ThroughputMiBs > 1000):
			v.add(path+".throughputMiBs", vol.ThroughputMiBs, "must be between 125 and 1000 for gp3")
		case vol.ThroughputMiBs > 125 && iopsOK && vol.ThroughputMiBs*4 > max(vol.Iops, gp3BaselineIops):
			v.add(path+".throughputMiBs", vol.ThroughputMiBs, "exceeds the 0.25 MiB/s per IOPS gp3 allows (at most %d with %d IOPS)", max(vol.Iops, gp3BaselineIops)/4, max(vol.Iops, gp3BaselineIops))
		}
	case "io2":
		if vol.SizeGiB != 0 && (vol.SizeGiB < 4 || vol.SizeGiB > 65536) {
			v.add(path+".sizeGiB", vol.SizeGiB, "must be between 4 and 65536 for io2")
			return
		}
		if vol.Iops < 100 || vol.Iops > 256000 {
			v.add(path+".iops", vol.Iops, "must be between 100 and 256000 for io2 (it has no baseline)")
		} else if vol.SizeGiB > 0 && vol.Iops > io2MaxIopsPerGiB*vol.SizeGiB {
			v.add(path+".iops", vol.Iops, "exceeds the %d IOPS per GiB io2 allows (at most %d for %d GiB)", io2MaxIopsPerGiB, io2MaxIopsPerGiB*vol.SizeGiB, vol.SizeGiB)
		}
		if vol.ThroughputMiBs != 0 {
			v.add(path+".throughputMiBs", vol.ThroughputMiBs, "applies to gp3 only")
		}
	}
}
