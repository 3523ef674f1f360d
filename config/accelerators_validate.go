package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config/ipcapacity"
)

// Capacity reservation identifiers: the EC2 id (the pattern Karpenter's
// EC2NodeClass CRD enforces, v1.14.1) and a resource group ARN (accounts
// are accountIDRe, as for HCP Terraform's run roles).
var (
	capacityReservationIDRe = regexp.MustCompile(`^cr-[0-9a-z]+$`)
	resourceGroupArnRe      = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):resource-groups:[a-z0-9-]+:[0-9]{12}:group/[A-Za-z0-9_.-]{1,128}$`)
)

// Capacity reservation selector limits of the EC2NodeClass CRD (v1.14.1):
// at most 30 terms, 20 tags per term.
const (
	maxReservationTerms = 30
	maxReservationTags  = 20
)

// maxAcceleratorsPerInstance is the most accelerator devices any instance
// type carries (inf1.24xlarge: 16 Inferentia devices), bounding counts.
const maxAcceleratorsPerInstance = 16

// kindNames names accelerator kinds in messages.
var kindNames = map[string]string{"": "no accelerator", AcceleratorNVIDIA: "NVIDIA GPU", AcceleratorNeuron: "Neuron (Inferentia, Trainium)"}

// validateAcceleratedPool checks what a managed pool's accelerator needs:
// one AMI type for every instance type, an AMI of the pool's OS that
// drives it, the taint setting, and no accelerator on the system pool.
func validateAcceleratedPool(name string, p NodePool, v *collector) {
	path := "nodes." + name
	byKind := map[string][]string{}
	for _, t := range p.InstanceTypes {
		if kind, undriven := AcceleratorOf(t); undriven == "" {
			byKind[kind] = append(byKind[kind], t)
		}
	}
	if len(byKind) > 1 {
		var parts []string
		for _, kind := range []string{"", AcceleratorNVIDIA, AcceleratorNeuron} {
			if types := byKind[kind]; len(types) > 0 {
				parts = append(parts, kindNames[kind]+": "+strings.Join(types, ", "))
			}
		}
		v.add(path+".instanceTypes", p.InstanceTypes, "mixes instance types that need different AMI types (%s); every type of a pool runs one AMI type, so make one pool per accelerator", strings.Join(parts, "; "))
		return
	}
	kind := p.Accelerator()
	if kind == "" {
		if p.AcceleratorTaint != nil {
			v.add(path+".acceleratorTaint", *p.AcceleratorTaint, "applies to accelerated pools only (GPU, Inferentia, Trainium instance types)")
		}
		return
	}
	if name == SystemPool {
		v.add(path+".instanceTypes", p.InstanceTypes, "are accelerated; the system pool runs CoreDNS and the cluster's controllers, which do not tolerate an accelerator's taint: keep it on general-purpose types and add an accelerated pool")
	}
	for i, t := range p.InstanceTypes {
		f := catalog.AcceleratedFamilies[familyOf(t)]
		if p.OS == "bottlerocket" && !f.Bottlerocket {
			v.add(fmt.Sprintf("%s.instanceTypes[%d]", path, i), t, "has no Bottlerocket EKS AMI with its driver (EKS user guide, ml-eks-optimized-ami); set os: al2023")
		}
		if p.OS == "al2023" && !f.AL2023 {
			v.add(fmt.Sprintf("%s.instanceTypes[%d]", path, i), t, "has no AL2023 EKS AMI with its driver (EKS user guide, ml-eks-optimized-ami); set os: bottlerocket")
		}
	}
}

func familyOf(instanceType string) string {
	f, _, _ := strings.Cut(instanceType, ".")
	return f
}

// NamedZones are the cluster's zone names in subnet order, when the
// configuration names them (network.availabilityZones, or the existing
// VPC's private subnets); nil when AWS picks them at plan time.
func NamedZones(n Network) []string {
	if n.Existing() {
		var out []string
		for _, s := range n.ExistingVpc.PrivateSubnets {
			out = append(out, s.Zone)
		}
		return out
	}
	return n.AvailabilityZones
}

// PoolZones are the zone indexes a managed pool has node groups in: the
// reservation's zone for a pool bound to one reservation, every zone
// otherwise.
func PoolZones(c Cluster, pool string) []int {
	p := c.Nodes[pool]
	if p.CapacityReservation.ID != "" {
		if i := slices.Index(NamedZones(c.Network), p.CapacityReservation.Zone); i >= 0 {
			return []int{i}
		}
	}
	out := make([]int, c.Network.AvailabilityZoneCount)
	for i := range out {
		out[i] = i
	}
	return out
}

// validateCapacityReservation checks a managed pool's reservation against
// what EKS and EC2 require (EKS user guide, capacity-blocks-mng: a Capacity
// Block node group needs capacity type CAPACITY_BLOCK, a launch template
// targeting the block by id, one instance type, and subnets in the block's
// zone only; it is scaled to 0 before the block ends).
func validateCapacityReservation(c Cluster, name string, p NodePool, v *collector) {
	path := "nodes." + name + ".capacityReservation"
	r := p.CapacityReservation
	block := p.CapacityType == string(ekstypes.CapacityTypesCapacityBlock)
	if !r.Set() {
		if block {
			v.missing(path+".id", "is required with capacityType CAPACITY_BLOCK: a Capacity Block node group launches only into the block it names")
		}
		return
	}
	switch p.CapacityType {
	case string(ekstypes.CapacityTypesSpot):
		v.add(path, r.ID+r.ResourceGroupArn, "cannot be used with capacityType SPOT: capacity reservations hold On-Demand instances")
		return
	}
	switch {
	case r.ID != "" && r.ResourceGroupArn != "":
		v.add(path+".resourceGroupArn", r.ResourceGroupArn, "cannot be given together with id; name one reservation or a resource group of them")
	case r.ID == "" && r.ResourceGroupArn == "":
		v.missing(path+".id", "is required: name the reservation (id and zone) or a resource group of reservations (resourceGroupArn)")
	}
	if r.ID != "" && !capacityReservationIDRe.MatchString(r.ID) {
		v.add(path+".id", r.ID, "is not a capacity reservation ID (like cr-0123456789abcdef0)")
	}
	if r.ResourceGroupArn != "" {
		switch {
		case !resourceGroupArnRe.MatchString(r.ResourceGroupArn):
			v.add(path+".resourceGroupArn", r.ResourceGroupArn, "is not a resource group ARN (like arn:aws:resource-groups:eu-west-1:111122223333:group/gpu-reservations)")
		case !strings.HasPrefix(r.ResourceGroupArn, "arn:"+PartitionOf(c.Region)+":"):
			v.add(path+".resourceGroupArn", r.ResourceGroupArn, "is not in the %s partition of region %s", PartitionOf(c.Region), c.Region)
		}
		if block {
			v.add(path+".resourceGroupArn", r.ResourceGroupArn, "cannot select a Capacity Block: a CAPACITY_BLOCK node group names its block by id")
		}
	}
	if r.ID != "" {
		zones := NamedZones(c.Network)
		switch {
		case r.Zone == "":
			v.missing(path+".zone", "is required with id: a reservation holds instances in one availability zone, where the pool's only node group goes")
		case len(zones) == 0:
			v.add(path+".zone", r.Zone, "cannot be matched to a subnet: name the cluster's zones in network.availabilityZones")
		case !slices.Contains(zones, r.Zone):
			v.add(path+".zone", r.Zone, "is not one of the cluster's zones (%s)", strings.Join(zones, ", "))
		}
	} else if r.Zone != "" {
		v.add(path+".zone", r.Zone, "applies only with id (a resource group serves every zone)")
	}
	if block {
		if len(p.InstanceTypes) != 1 {
			v.add("nodes."+name+".instanceTypes", p.InstanceTypes, "must be exactly one instance type with capacityType CAPACITY_BLOCK: the block reserves one type, which the launch template names")
		}
		if p.MinSize != 0 {
			v.add("nodes."+name+".minSize", p.MinSize, "must be 0 with capacityType CAPACITY_BLOCK: the block holds instances only between its start and end, and EKS scales the node group to 0 before it ends")
		}
	}
}

// validateNodePoolAccelerator checks a Karpenter or Auto Mode NodePool's
// accelerator, taints and categories. An accelerated category (g, p, inf,
// trn, ...) needs an accelerator kind, so no NodePool launches a GPU node
// no one asked for (and without its taint).
func validateNodePoolAccelerator(path string, p KarpenterNodePool, autoMode bool, v *collector) {
	a := p.Accelerator
	if a.Kind == "" {
		for i, cat := range p.InstanceCategories {
			if ipcapacity.AcceleratedCategory(cat) {
				v.add(fmt.Sprintf("%s.instanceCategories[%d]", path, i), cat, "is an accelerated instance category; set accelerator.kind (nvidia or neuron) and accelerator.limit to launch accelerated instances")
			}
		}
		if len(a.Counts) > 0 {
			v.add(path+".accelerator.counts", a.Counts, "applies only with accelerator.kind")
		}
		if a.Limit != 0 {
			v.add(path+".accelerator.limit", a.Limit, "applies only with accelerator.kind")
		}
		if p.AcceleratorTaint != nil {
			v.add(path+".acceleratorTaint", *p.AcceleratorTaint, "applies to accelerated NodePools only (accelerator.kind)")
		}
	} else {
		if !slices.Contains(AcceleratorKinds, a.Kind) {
			v.add(path+".accelerator.kind", a.Kind, "must be nvidia or neuron")
		}
		if a.Limit < 1 {
			v.add(path+".accelerator.limit", a.Limit, "must be at least 1: it caps the pool's accelerator devices in total (%s or %s), the limit that matters at accelerator prices", AcceleratorResource(AcceleratorNVIDIA), AcceleratorResource(AcceleratorNeuron))
		} else if a.Limit > maxClusterNodes*maxAcceleratorsPerInstance {
			v.add(path+".accelerator.limit", a.Limit, "is more devices than an EKS cluster can hold (%d nodes of at most %d)", maxClusterNodes, maxAcceleratorsPerInstance)
		}
		for i, n := range a.Counts {
			switch {
			case n < 1 || n > maxAcceleratorsPerInstance:
				v.add(fmt.Sprintf("%s.accelerator.counts[%d]", path, i), n, "must be between 1 and %d devices per instance", maxAcceleratorsPerInstance)
			case slices.Index(a.Counts, n) != i:
				v.add(fmt.Sprintf("%s.accelerator.counts[%d]", path, i), n, "is listed twice")
			}
		}
		if autoMode && a.Kind == AcceleratorNeuron && len(a.Counts) > 0 {
			v.add(path+".accelerator.counts", a.Counts, "cannot be used with neuron in Auto Mode: Auto Mode documents no Neuron device-count label to select on (EKS user guide, create-node-pool); choose the sizes with instanceSizes")
		}
	}
	validateTaints(path+".taints", p.Taints, v)
}

// validateTaints checks taints as the EKS node group API and Kubernetes
// accept them.
func validateTaints(path string, taints []Taint, v *collector) {
	for i, t := range taints {
		tpath := fmt.Sprintf("%s[%d]", path, i)
		if !labelKeyRe.MatchString(t.Key) {
			v.add(tpath+".key", t.Key, "is not a valid taint key")
		} else if len(t.Key) > eksLabelMax {
			v.add(tpath+".key", t.Key, "is longer than the %d characters EKS allows a taint key", eksLabelMax)
		}
		if t.Value != "" && (len(t.Value) > 63 || !labelValueRe.MatchString(t.Value)) {
			v.add(tpath+".value", t.Value, "is not a valid taint value")
		}
		if !slices.Contains(TaintEffects, t.Effect) {
			v.add(tpath+".effect", t.Effect, "must be one of %s", strings.Join(TaintEffects, ", "))
		}
	}
}

// validateReservationTerms checks capacity reservation selector terms and
// that some NodePool can use them, and that a NodePool asking for reserved
// capacity has reservations to use (Karpenter and Auto Mode launch reserved
// capacity only from reservations a NodeClass selects).
func validateReservationTerms(path string, terms []CapacityReservationTerm, pools map[string]KarpenterNodePool, poolsPath string, v *collector) {
	if len(terms) > maxReservationTerms {
		v.missing(path, "lists %d terms; a NodeClass takes at most %d", len(terms), maxReservationTerms)
	}
	for i, t := range terms {
		tpath := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case t.ID == "" && len(t.Tags) == 0:
			v.missing(tpath, "must name a reservation (id) or select reservations by tags")
		case t.ID != "" && (len(t.Tags) > 0 || t.OwnerID != ""):
			v.add(tpath+".id", t.ID, "cannot be combined with tags or ownerId in one term; give them as separate terms")
		}
		if t.ID != "" && !capacityReservationIDRe.MatchString(t.ID) {
			v.add(tpath+".id", t.ID, "is not a capacity reservation ID (like cr-0123456789abcdef0)")
		}
		if t.OwnerID != "" && !accountIDRe.MatchString(t.OwnerID) {
			v.add(tpath+".ownerId", t.OwnerID, "is not a 12-digit AWS account ID")
		}
		if len(t.Tags) > maxReservationTags {
			v.missing(tpath+".tags", "has %d tags; a term takes at most %d", len(t.Tags), maxReservationTags)
		}
		for _, k := range sortedKeys(t.Tags) {
			if k == "" || t.Tags[k] == "" {
				v.missing(tpath+".tags", "has an empty key or value; every tag of a term must be set")
			}
		}
	}
	reserved := false
	for _, name := range sortedKeys(pools) {
		for i, ct := range pools[name].CapacityTypes {
			if ct != "reserved" {
				continue
			}
			reserved = true
			if len(terms) == 0 {
				v.add(fmt.Sprintf("%s.%s.capacityTypes[%d]", poolsPath, name, i), ct, "needs the reservations to launch into: select them in %s", path)
			}
		}
	}
	if len(terms) > 0 && !reserved {
		v.missing(path, "select reservations no NodePool can use: add reserved to a NodePool's capacityTypes")
	}
}
