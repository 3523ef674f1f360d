package ipcapacity

import (
	"errors"
	"fmt"
)

// Mode is the pod networking mode of the cluster.
type Mode int

const (
	// ModeENI is the VPC CNI default: every pod takes a secondary IPv4
	// address of an ENI in the node's subnet. It is the zero value because it
	// is what a cluster gets when nothing else is configured.
	ModeENI Mode = iota
	// ModePrefixDelegation is the VPC CNI with ENABLE_PREFIX_DELEGATION=true:
	// each secondary address slot of an ENI carries a /28 prefix (16
	// addresses). Only Nitro types support it; others fall back to ModeENI.
	ModePrefixDelegation
	// ModeCustomNetworking is the VPC CNI with
	// AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true: pods live on secondary ENIs in
	// a separate pod subnet (usually a secondary CIDR) and the primary ENI
	// carries no pods. Set CNIConfig.PrefixDelegation to combine it with
	// prefix delegation.
	ModeCustomNetworking
	// ModeIPv6 is an IPv6 cluster: the VPC CNI gives each node a /80 prefix
	// and pods take IPv6 addresses from it, so IPv4 addresses do not limit pod
	// density and each node only holds its own primary IPv4 address.
	ModeIPv6
	// ModeOtherCNI is a CNI other than the VPC CNI (Cilium or Calico with an
	// overlay or cluster-pool IPAM): pods take no VPC addresses and the ENI
	// limits do not apply.
	ModeOtherCNI
)

// String names the mode the way error messages and tables print it.
func (m Mode) String() string {
	switch m {
	case ModeENI:
		return "ENI mode"
	case ModePrefixDelegation:
		return "prefix delegation"
	case ModeCustomNetworking:
		return "custom networking"
	case ModeIPv6:
		return "IPv6"
	case ModeOtherCNI:
		return "other CNI"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// Pod ceilings of max-pods-calculator.sh (awslabs/amazon-eks-ami
// templates/al2/runtime/max-pods-calculator.sh): MAX_POD_CEILING_FOR_LOW_CPU
// and MAX_POD_CEILING_FOR_HIGH_CPU, chosen by `[ "$CPU_COUNT" -gt 30 ]`.
const (
	// CeilingLowCPU is the pod ceiling for types with 30 vCPUs or fewer; it is
	// also the Kubernetes default max pods per node.
	CeilingLowCPU = 110
	// CeilingHighCPU is the pod ceiling for types with more than 30 vCPUs.
	CeilingHighCPU = 250
	// ceilingVCPUThreshold: the calculator tests CPU_COUNT -gt 30, so the high
	// ceiling starts at 31 vCPUs. (EKS documentation words it as "fewer than 30
	// vCPUs"; the two only differ at exactly 30, and no type has 30 vCPUs.)
	ceilingVCPUThreshold = 30
	// hostNetworkPods is the "+2" of every AWS formula: aws-node and
	// kube-proxy run with host networking and take no pod address.
	hostNetworkPods = 2
	// ipsPerPrefix is IPS_PER_PREFIX of the calculator: a /28 prefix.
	ipsPerPrefix = 16
)

// podCeiling returns the calculator's ceiling for a vCPU count.
func podCeiling(vcpus int) int {
	if vcpus > ceilingVCPUThreshold {
		return CeilingHighCPU
	}
	return CeilingLowCPU
}

// ErrInvalidInput is wrapped by every error about a malformed CNIConfig or
// planning Input.
var ErrInvalidInput = errors.New("invalid IP capacity input")

// ErrUnsupported is wrapped when an instance type cannot run the requested
// mode at all (IPv6 needs a Nitro-based type).
var ErrUnsupported = errors.New("unsupported instance type for networking mode")

// CNIConfig is the pod networking configuration: the mode and the VPC CNI
// warm-pool settings (environment variables of the aws-node DaemonSet).
type CNIConfig struct {
	// Mode is the networking mode; the zero value is ModeENI.
	Mode Mode
	// PrefixDelegation enables ENABLE_PREFIX_DELEGATION together with
	// ModeCustomNetworking. It is implied by ModePrefixDelegation and must
	// be false with the other modes.
	PrefixDelegation bool
	// WarmENITarget is WARM_ENI_TARGET; 0 means the CNI default of 1. It
	// applies to secondary-IP allocation when neither WarmIPTarget nor
	// MinimumIPTarget is set.
	WarmENITarget int
	// WarmIPTarget is WARM_IP_TARGET; 0 means unset. When it or
	// MinimumIPTarget is set it replaces WarmENITarget and WarmPrefixTarget.
	WarmIPTarget int
	// MinimumIPTarget is MINIMUM_IP_TARGET; 0 means unset.
	MinimumIPTarget int
	// WarmPrefixTarget is WARM_PREFIX_TARGET; 0 means the CNI default of 1
	// (the CNI does not support 0 unless the IP targets are set, and those
	// override it anyway).
	WarmPrefixTarget int
}

func (c CNIConfig) validate() error {
	switch c.Mode {
	case ModeENI, ModePrefixDelegation, ModeCustomNetworking, ModeIPv6, ModeOtherCNI:
	default:
		return fmt.Errorf("%w: unknown networking mode %d", ErrInvalidInput, int(c.Mode))
	}
	if c.PrefixDelegation && (c.Mode == ModeENI || c.Mode == ModeIPv6 || c.Mode == ModeOtherCNI) {
		return fmt.Errorf("%w: PrefixDelegation applies to custom networking, not %s (use ModePrefixDelegation)", ErrInvalidInput, c.Mode)
	}
	for _, f := range []struct {
		name string
		v    int
	}{
		{"WARM_ENI_TARGET", c.WarmENITarget},
		{"WARM_IP_TARGET", c.WarmIPTarget},
		{"MINIMUM_IP_TARGET", c.MinimumIPTarget},
		{"WARM_PREFIX_TARGET", c.WarmPrefixTarget},
	} {
		// No node holds more than 65,536 addresses (a /16); the bound
		// also keeps the planner's sums from overflowing.
		if f.v < 0 || f.v > 1<<16 {
			return fmt.Errorf("%w: %s must be between 0 and 65,536, got %d", ErrInvalidInput, f.name, f.v)
		}
	}
	return nil
}

// prefixDelegation reports whether the configuration asks for prefixes.
func (c CNIConfig) prefixDelegation() bool {
	return c.Mode == ModePrefixDelegation || (c.Mode == ModeCustomNetworking && c.PrefixDelegation)
}

func (c CNIConfig) ipTargets() bool { return c.WarmIPTarget > 0 || c.MinimumIPTarget > 0 }

func (c CNIConfig) warmENI() int {
	if c.WarmENITarget == 0 {
		return 1
	}
	return c.WarmENITarget
}

func (c CNIConfig) warmPrefix() int {
	if c.WarmPrefixTarget == 0 {
		return 1
	}
	return c.WarmPrefixTarget
}

// MaxPodsResult is the max-pods answer for one instance type, with the
// figures it came from so callers can explain it.
type MaxPodsResult struct {
	// InstanceType is the type the result is for.
	InstanceType string
	// Info is the type's ENI data.
	Info InstanceInfo
	// MaxPods is the kubelet --max-pods value to use.
	MaxPods int
	// IPLimit is the uncapped IPv4 limit (the calculator's
	// --show-max-allowed), or 0 when IPv4 addresses do not limit pods
	// (ModeIPv6, ModeOtherCNI).
	IPLimit int
	// Ceiling is the calculator's vCPU ceiling for the type, 110 or 250. It
	// caps MaxPods in every VPC CNI mode, as the calculator's default
	// (recommended) output does; IPLimit keeps the uncapped figure, which in
	// ENI mode is the type's eni-max-pods.txt entry.
	Ceiling int
	// Capped reports that MaxPods was lowered to Ceiling.
	Capped bool
	// PrefixFallback reports that prefix delegation was asked for but the type
	// is not Nitro-based, so the secondary-IP formula was used.
	PrefixFallback bool
	// Note explains fallbacks and unusual results in one sentence; empty when
	// there is nothing to say.
	Note string
}

// MaxPods returns the maximum pods per node for an instance type under the
// given networking configuration, exactly as AWS computes it. Formulas, from
// awslabs/amazon-eks-ami templates/al2/runtime/max-pods-calculator.sh
// (calculate_max_ip_addresses_secondary_ips and
// calculate_max_ip_addresses_prefix_delegation; custom networking subtracts
// the primary ENI from enis_for_pods):
//
//	ENI mode:                  min(ENIs × (IPv4perENI − 1) + 2, ceiling)
//	custom networking:         min((ENIs − 1) × (IPv4perENI − 1) + 2, ceiling)
//	prefix delegation:         min(ENIs × ((IPv4perENI − 1) × 16) + 2, ceiling)
//	custom networking + PD:    min((ENIs − 1) × ((IPv4perENI − 1) × 16) + 2, ceiling)
//	IPv6:                      ceiling (a /80 per node: IPv4 does not limit pods)
//	other CNI:                 110 (the Kubernetes default)
//
// The ceiling is 110 for 30 vCPUs or fewer and 250 above 30 (the calculator's
// `[ "$CPU_COUNT" -gt 30 ]`); the calculator applies it whatever the mode
// unless --show-max-allowed is given, which IPLimit reports instead (in ENI
// mode IPLimit is the eni-max-pods.txt entry). Kubelet must get the capped
// value: kube-reserved memory grows with max pods, and a node never runs
// more pods than the ceiling anyway. Prefix delegation needs a Nitro
// hypervisor, the calculator's IS_NITRO test; other types fall back to the
// secondary-IP formula, and the result says so. The warm-pool fields of cni
// do not affect max pods.
func MaxPods(instanceType string, cni CNIConfig) (MaxPodsResult, error) {
	if err := cni.validate(); err != nil {
		return MaxPodsResult{}, err
	}
	info, err := Lookup(instanceType)
	if err != nil {
		return MaxPodsResult{}, err
	}
	res := MaxPodsResult{InstanceType: info.InstanceType, Info: info, Ceiling: podCeiling(info.VCPUs)}
	enis, slots := info.MaxENIs, info.IPv4PerENI-1
	switch cni.Mode {
	case ModeOtherCNI:
		res.MaxPods = CeilingLowCPU
		res.Note = "pods take no VPC addresses; Kubernetes default max pods"
		return res, nil
	case ModeIPv6:
		if !info.prefixCapable() {
			return MaxPodsResult{}, fmt.Errorf("%w: %s is not Nitro-based (hypervisor %s) and IPv6 clusters need Nitro-based instances", ErrUnsupported, info.InstanceType, info.Hypervisor)
		}
		res.MaxPods = res.Ceiling
		res.Note = "IPv6 pods use the node's /80 prefix; max pods is the vCPU ceiling"
		return res, nil
	case ModeCustomNetworking:
		enis--
	}
	switch {
	case !cni.prefixDelegation():
		res.IPLimit = enis*slots + hostNetworkPods
		if cni.Mode == ModeCustomNetworking && enis == 0 {
			res.Note = "one ENI only: custom networking leaves no ENI for pods"
		}
	case info.Nitro():
		res.IPLimit = enis*slots*ipsPerPrefix + hostNetworkPods
	default:
		res.IPLimit = enis*slots + hostNetworkPods
		res.PrefixFallback = true
		res.Note = fmt.Sprintf("prefix delegation needs a Nitro instance; %s (%s) gets the secondary-IP formula", info.InstanceType, hypervisorLabel(info))
		if info.BareMetal {
			// The calculator tests Hypervisor == nitro only, but the VPC CNI
			// also hands out prefixes on bare metal; Plan charges those.
			res.Note += ", although the VPC CNI still assigns it /28 prefixes"
		}
	}
	res.MaxPods = res.IPLimit
	if res.MaxPods > res.Ceiling {
		res.MaxPods = res.Ceiling
		res.Capped = true
	}
	return res, nil
}

func hypervisorLabel(info InstanceInfo) string {
	if info.BareMetal {
		return "bare metal"
	}
	return info.Hypervisor
}
