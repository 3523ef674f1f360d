package config

import (
	"fmt"
	"slices"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
)

// NodePool is a set of identical nodes, one managed node group per
// availability zone. Sizes are per availability zone.
type NodePool struct {
	// InstanceTypes the pool may use; several make spot pools resilient.
	// All must share one CPU architecture. Default: ["m6i.large"].
	InstanceTypes []string `yaml:"instanceTypes"`

	// CapacityType is "ON_DEMAND" or "SPOT". Default: "ON_DEMAND".
	CapacityType string `yaml:"capacityType"`

	// MinSize is the fewest nodes per availability zone. Default: 1.
	MinSize int `yaml:"minSize"`

	// MaxSize is the most nodes per availability zone; the IP capacity
	// planner sizes subnets against it. Default: 3.
	MaxSize int `yaml:"maxSize"`

	// DesiredSize is the initial node count per availability zone. Terraform
	// ignores later drift so an autoscaler's decisions stand. Default: MinSize.
	DesiredSize *int `yaml:"desiredSize"`

	// Labels are Kubernetes labels put on every node. Default: none.
	Labels map[string]string `yaml:"labels"`
}

func validateNodes(pools map[string]NodePool, v *collector) {
	if _, ok := pools[SystemPool]; !ok {
		v.missing("nodes."+SystemPool, "is required: the system pool runs CoreDNS and the cluster's controllers")
	}
	knownTypes := enumStrings(ec2types.InstanceType("").Values())
	capacityTypes := []string{string(ekstypes.CapacityTypesOnDemand), string(ekstypes.CapacityTypesSpot)}
	for _, name := range sortedKeys(pools) {
		p, path := pools[name], "nodes."+name
		if len(name) > 40 || !labelValueRe.MatchString(name) {
			v.add(path, name, "is not a valid pool name: it becomes a Kubernetes label value (letters, digits, '-', '_', '.', starting and ending alphanumeric, at most 40 characters here)")
		}
		if len(p.InstanceTypes) == 0 {
			v.add(path+".instanceTypes", []string{}, "must list at least one instance type")
		}
		for i, t := range p.InstanceTypes {
			ipath := fmt.Sprintf("%s.instanceTypes[%d]", path, i)
			if !slices.Contains(knownTypes, t) {
				v.add(ipath, t, "is not an EC2 instance type")
			} else if slices.Index(p.InstanceTypes, t) != i {
				v.add(ipath, t, "is listed twice")
			}
		}
		if !slices.Contains(capacityTypes, p.CapacityType) {
			v.add(path+".capacityType", p.CapacityType, "must be ON_DEMAND or SPOT")
		}
		if p.MinSize < 0 {
			v.add(path+".minSize", p.MinSize, "must not be negative")
		}
		if p.MaxSize < 1 {
			v.add(path+".maxSize", p.MaxSize, "must be at least 1 (EKS managed node groups need a maximum of one or more)")
		}
		if p.MaxSize < p.MinSize {
			v.add(path+".maxSize", p.MaxSize, "is below minSize %d", p.MinSize)
		}
		if d := p.DesiredSize; d != nil && (*d < p.MinSize || *d > p.MaxSize) {
			v.add(path+".desiredSize", *d, "must be between minSize %d and maxSize %d", p.MinSize, p.MaxSize)
		}
		for _, k := range sortedKeys(p.Labels) {
			if p.Labels[k] != "" && (len(p.Labels[k]) > 63 || !labelValueRe.MatchString(p.Labels[k])) {
				v.add(path+".labels."+k, p.Labels[k], "is not a valid Kubernetes label value")
			}
		}
	}
}
