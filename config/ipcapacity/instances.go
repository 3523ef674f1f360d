package ipcapacity

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// eniLimitsCSV is the EC2 ENI data for every instance type, embedded so that
// planning works offline and gives the same answer on every machine. Columns:
// instance_type,max_enis,ipv4_per_eni,network_cards,hypervisor,bare_metal.
// max_enis is the limit of the default network card, the only card the VPC
// CNI uses (the same rule eni-max-pods.txt states for p5.48xlarge).
//
//go:embed eni-limits.csv
var eniLimitsCSV []byte

// acceleratorsCSV is the accelerator of every accelerated type the ENI
// table knows and EC2 describes one for. Columns:
// instance_type,manufacturer,device,count,neuron_cores. Read from
// aws/karpenter-provider-aws v1.14.1
// website/content/en/preview/reference/instance-types.md (generated from
// EC2 DescribeInstanceTypes): the karpenter.k8s.aws/instance-gpu-* labels
// (manufacturer, name, count) of GPU types, the instance-accelerator-*
// labels of Inferentia and Trainium types and their
// aws.amazon.com/neuroncore resource. Types that list lacks: p3.* from
// kubernetes/autoscaler cluster-autoscaler-1.36.1
// cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go (GPU 1, 4, 8;
// V100), trn2.3xlarge as one Trainium2 device of the 8 NeuronCores each
// device of trn2.48xlarge has (16 devices, 128 cores). A count of 0 is a
// fraction of one GPU (g6f, gr6f). Types with no described accelerator
// (f2 FPGAs, vt1, g7) have no row.
//
//go:embed accelerators.csv
var acceleratorsCSV []byte

// ErrUnknownInstanceType is wrapped by every error about an instance type that
// is not in the embedded ENI table, so callers can test for it with errors.Is.
var ErrUnknownInstanceType = errors.New("unknown EC2 instance type")

// Hypervisor values found in the embedded table. Bare-metal types report no
// hypervisor through the EC2 API and are recorded as HypervisorUnknown.
const (
	HypervisorNitro   = "nitro"
	HypervisorXen     = "xen"
	HypervisorUnknown = "unknown"
)

// InstanceInfo is the networking data of one EC2 instance type.
type InstanceInfo struct {
	// InstanceType is the EC2 API name, e.g. "m5.large".
	InstanceType string
	// MaxENIs is the maximum number of network interfaces on the default
	// network card.
	MaxENIs int
	// IPv4PerENI is the maximum number of IPv4 addresses per interface,
	// including the interface's primary address.
	IPv4PerENI int
	// NetworkCards is the number of network cards; the VPC CNI only uses the
	// default one, which MaxENIs already reflects.
	NetworkCards int
	// Hypervisor is HypervisorNitro, HypervisorXen or HypervisorUnknown.
	Hypervisor string
	// BareMetal reports a bare-metal type (hypervisor unknown, Nitro system).
	BareMetal bool
	// VCPUs is the default vCPU count, 0 when unknown. It only matters for the
	// max-pods ceiling (110 up to 30 vCPUs, 250 above). The embedded table has
	// no vCPU column, so the count is derived from the size name; see
	// deriveVCPUs for the rule and its verified exceptions.
	VCPUs int
	// Category, Generation and Size are the parts of the name that
	// Karpenter's karpenter.k8s.aws/instance-category, instance-generation
	// and instance-size labels carry ("c", 5, "large" for c5a.large): the
	// letters before the family's first digit, that number, and the part
	// after the dot. Generation is 0 when the family has no digit.
	Category   string
	Generation int
	Size       string
	// Architecture is "arm64" for AWS Graviton types and "amd64" otherwise,
	// as kubernetes.io/arch labels them; see deriveArchitecture.
	Architecture string
	// Family is the part of the name before the dot ("p6-b200" for
	// p6-b200.48xlarge), as karpenter.k8s.aws/instance-family labels it.
	Family string
	// Accelerator is the type's accelerator; zero for types without one.
	Accelerator Accelerator
}

// Accelerator is the accelerator of an instance type, as EC2 describes it.
type Accelerator struct {
	// Manufacturer is "nvidia", "aws" (Inferentia, Trainium), "amd",
	// "habana" or "qualcomm".
	Manufacturer string
	// Device names the device ("l4", "inferentia2", "trainium2").
	Device string
	// Count is the devices per instance; 0 is a fraction of one GPU.
	Count int
	// NeuronCores is the NeuronCores per instance (Neuron devices only).
	NeuronCores int
}

// acceleratedFamily matches EC2 families whose point is an accelerator:
// NVIDIA and AMD GPUs (p, g, gr), AWS Inferentia and Trainium (inf, trn),
// Gaudi and Qualcomm (dl), FPGAs (f) and video transcoders (vt). No other
// category holds an accelerated type.
var acceleratedFamily = regexp.MustCompile(`^(p|g|gr|inf|trn|dl|f|vt)[0-9]`)

// Accelerated reports whether the type is built around an accelerator.
func (i InstanceInfo) Accelerated() bool { return AcceleratedName(i.InstanceType) }

// AcceleratedName reports whether an instance type name belongs to an
// accelerated family, whether or not the ENI table knows the type (p2, g3).
func AcceleratedName(instanceType string) bool { return acceleratedFamily.MatchString(instanceType) }

// AcceleratedCategory reports whether every type of an instance category
// (karpenter.k8s.aws/instance-category: "g", "inf") is accelerated.
func AcceleratedCategory(category string) bool { return acceleratedFamily.MatchString(category + "1") }

// Nitro reports whether the type runs on the Nitro hypervisor, the test that
// max-pods-calculator.sh uses to allow prefix delegation.
func (i InstanceInfo) Nitro() bool { return i.Hypervisor == HypervisorNitro }

// prefixCapable reports whether the VPC CNI itself assigns /28 prefixes on
// this type: aws/amazon-vpc-cni-k8s pkg/awsutils/awsutils.go
// IsPrefixDelegationSupported returns true for Nitro or bare metal. It is
// wider than the calculator's Nitro-only test, and it is what decides how
// addresses are taken from the subnet.
func (i InstanceInfo) prefixCapable() bool { return i.Nitro() || i.BareMetal }

type instanceTable struct {
	byType map[string]InstanceInfo
	names  []string // sorted
	err    error
}

var (
	tableOnce sync.Once
	table     instanceTable
)

// instances parses the embedded CSV once, on first use, so that importing the
// package costs nothing for callers that never plan capacity.
func instances() *instanceTable {
	tableOnce.Do(func() {
		table = parseENILimits(eniLimitsCSV)
		if table.err == nil {
			table.err = addAccelerators(table.byType, acceleratorsCSV)
		}
	})
	return &table
}

// addAccelerators fills the Accelerator of every type accelerators.csv
// lists; a type the ENI table does not know is an error.
func addAccelerators(byType map[string]InstanceInfo, data []byte) error {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return fmt.Errorf("ipcapacity: accelerators.csv: %w", err)
	}
	want := "instance_type,manufacturer,device,count,neuron_cores"
	if len(rows) == 0 || strings.Join(rows[0], ",") != want {
		return fmt.Errorf("ipcapacity: accelerators.csv header must be %q", want)
	}
	for n, rec := range rows[1:] {
		info, ok := byType[rec[0]]
		if !ok {
			return fmt.Errorf("ipcapacity: accelerators.csv line %d: %q is not in eni-limits.csv", n+2, rec[0])
		}
		count, err1 := strconv.Atoi(rec[3])
		cores, err2 := strconv.Atoi(rec[4])
		if err1 != nil || err2 != nil || count < 0 || cores < 0 || rec[1] == "" || rec[2] == "" {
			return fmt.Errorf("ipcapacity: accelerators.csv line %d: bad row %q", n+2, rec)
		}
		info.Accelerator = Accelerator{Manufacturer: rec[1], Device: rec[2], Count: count, NeuronCores: cores}
		byType[rec[0]] = info
	}
	return nil
}

func parseENILimits(data []byte) instanceTable {
	r := csv.NewReader(bytes.NewReader(data))
	header, err := r.Read()
	if err != nil {
		return instanceTable{err: fmt.Errorf("ipcapacity: reading eni-limits.csv header: %w", err)}
	}
	want := []string{"instance_type", "max_enis", "ipv4_per_eni", "network_cards", "hypervisor", "bare_metal"}
	if strings.Join(header, ",") != strings.Join(want, ",") {
		return instanceTable{err: fmt.Errorf("ipcapacity: eni-limits.csv header is %q, want %q", header, want)}
	}
	t := instanceTable{byType: map[string]InstanceInfo{}}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return instanceTable{err: fmt.Errorf("ipcapacity: eni-limits.csv line %d: %w", line, err)}
		}
		info, err := parseRecord(rec)
		if err != nil {
			return instanceTable{err: fmt.Errorf("ipcapacity: eni-limits.csv line %d: %w", line, err)}
		}
		if _, dup := t.byType[info.InstanceType]; dup {
			return instanceTable{err: fmt.Errorf("ipcapacity: eni-limits.csv line %d: duplicate instance type %q", line, info.InstanceType)}
		}
		t.byType[info.InstanceType] = info
		t.names = append(t.names, info.InstanceType)
	}
	sort.Strings(t.names)
	// vCPUs are filled after every row is known because bare ".metal" sizes
	// borrow the count of the largest sized type of their family.
	largest := largestSizedVCPUs(t.names)
	for name, info := range t.byType {
		info.VCPUs = deriveVCPUs(name, largest)
		info.Category, info.Generation, info.Size, info.Architecture = nameParts(name)
		info.Family, _, _ = strings.Cut(name, ".")
		t.byType[name] = info
	}
	return t
}

func parseRecord(rec []string) (InstanceInfo, error) {
	var info InstanceInfo
	info.InstanceType = rec[0]
	if info.InstanceType == "" {
		return info, errors.New("empty instance type")
	}
	ints := []*int{&info.MaxENIs, &info.IPv4PerENI, &info.NetworkCards}
	for i, dst := range ints {
		n, err := strconv.Atoi(rec[1+i])
		if err != nil || n < 1 {
			return info, fmt.Errorf("%s: bad integer %q in column %d", info.InstanceType, rec[1+i], 2+i)
		}
		*dst = n
	}
	switch rec[4] {
	case HypervisorNitro, HypervisorXen, HypervisorUnknown:
		info.Hypervisor = rec[4]
	default:
		return info, fmt.Errorf("%s: unknown hypervisor %q", info.InstanceType, rec[4])
	}
	bm, err := strconv.ParseBool(rec[5])
	if err != nil {
		return info, fmt.Errorf("%s: bad bare_metal %q", info.InstanceType, rec[5])
	}
	info.BareMetal = bm
	return info, nil
}

func normalize(instanceType string) string {
	return strings.ToLower(strings.TrimSpace(instanceType))
}

// Lookup returns the ENI data of an instance type. The error wraps
// ErrUnknownInstanceType when the type is not in the embedded table.
func Lookup(instanceType string) (InstanceInfo, error) {
	t := instances()
	if t.err != nil {
		return InstanceInfo{}, t.err
	}
	info, ok := t.byType[normalize(instanceType)]
	if !ok {
		return InstanceInfo{}, fmt.Errorf("%w %q", ErrUnknownInstanceType, instanceType)
	}
	return info, nil
}

// Known reports whether the instance type is in the embedded ENI table.
func Known(instanceType string) bool {
	_, err := Lookup(instanceType)
	return err == nil
}

// InstanceTypes returns every known instance type, sorted, so callers can
// offer choices or validate input without guessing names.
func InstanceTypes() []string {
	t := instances()
	return append([]string(nil), t.names...)
}

// vcpuOverrides lists types whose default vCPU count differs from the size-name
// rule in deriveVCPUs. Sources: aws/karpenter-provider-aws
// website/content/en/docs/reference/instance-types.md
// (karpenter.k8s.aws/instance-cpu, generated from DescribeInstanceTypes) for
// a1.metal, c4.8xlarge and the hpc* types; the manual table of amazon-eks-ami's
// eksnode-gen (cr1/hs1/u-*tb1.metal/c5a.metal/c5ad.metal); the rest are older
// or burstable sizes below the threshold, where precision cannot change a
// result. The hpc types run with SMT off, so they have half the vCPUs their
// size name suggests, and hpc7a.12xlarge (24) is the one that crosses the
// 30-vCPU threshold.
var vcpuOverrides = map[string]int{
	// Burstable and first-generation sizes (all below the threshold).
	"t2.medium": 2,
	"t3.nano":   2, "t3.micro": 2, "t3.small": 2, "t3.medium": 2,
	"t3a.nano": 2, "t3a.micro": 2, "t3a.small": 2, "t3a.medium": 2,
	"t4g.nano": 2, "t4g.micro": 2, "t4g.small": 2, "t4g.medium": 2,
	"c1.medium": 2, "c1.xlarge": 8,
	"m2.xlarge": 2, "m2.2xlarge": 4, "m2.4xlarge": 8,
	// Odd core counts.
	"c4.8xlarge":  36,
	"d2.8xlarge":  36,
	"hs1.8xlarge": 16, // crosses the threshold: the size name says 32
	// SMT-disabled HPC types.
	"hpc6a.48xlarge":  96,
	"hpc6id.32xlarge": 64,
	"hpc7a.12xlarge":  24, // crosses the threshold: the size name says 48
	"hpc7a.24xlarge":  48,
	"hpc7a.48xlarge":  96,
	"hpc7a.96xlarge":  192,
	"hpc8a.96xlarge":  192,
	// Bare metal whose family has no sized sibling to borrow from, or a
	// sibling smaller than the host.
	"a1.metal":      16, // crosses the threshold if guessed from any large metal
	"g4dn.metal":    96,
	"u-9tb1.metal":  448,
	"u-12tb1.metal": 448,
	"u-18tb1.metal": 448,
	"u-24tb1.metal": 448,
	// Mac hosts (macOS cannot be an EKS node; counts are the Apple chips' CPU
	// cores, all below the threshold; mac-m3ultra.metal is left unknown).
	"mac1.metal": 12, "mac2.metal": 8, "mac2-m2.metal": 8, "mac2-m2pro.metal": 12,
	"mac2-m1ultra.metal": 20, "mac-m4.metal": 10, "mac-m4pro.metal": 14, "mac-m4max.metal": 16,
}

// deriveVCPUs returns the default vCPU count of an instance type.
//
// The embedded table has no vCPU column and no single authoritative vCPU
// table was available for all 1,391 types, so the count is derived from the
// size suffix, which is how EC2 names sizes: medium = 1, large = 2, xlarge = 4,
// Nxlarge = 4N, metal-Nxl = 4N, nano/micro/small = 1; a bare "metal" size
// takes the count of the largest sized type in its family (c5.metal =
// c5.24xlarge = 96). vcpuOverrides corrects the known exceptions. Only the
// max-pods ceiling reads this value, and it only asks "more than 30?", so the
// overrides concentrate on types the rule would put on the wrong side of 30.
// Unknown counts are 0 and take the lower ceiling, 110.
func deriveVCPUs(instanceType string, largestSized map[string]int) int {
	if v, ok := vcpuOverrides[instanceType]; ok {
		return v
	}
	family, size, ok := strings.Cut(instanceType, ".")
	if !ok {
		return 0
	}
	if size == "metal" {
		return largestSized[family]
	}
	return sizeVCPUs(size)
}

// sizeVCPUs applies the size-name rule of deriveVCPUs to one size suffix; it
// returns 0 for bare "metal" and for names it does not understand.
func sizeVCPUs(size string) int {
	switch size {
	case "nano", "micro", "small", "medium":
		return 1
	case "large":
		return 2
	case "xlarge":
		return 4
	}
	if n, ok := strings.CutPrefix(size, "metal-"); ok {
		if k, ok := strings.CutSuffix(n, "xl"); ok {
			if v, err := strconv.Atoi(k); err == nil && v > 0 {
				return 4 * v
			}
		}
		return 0
	}
	if k, ok := strings.CutSuffix(size, "xlarge"); ok {
		if v, err := strconv.Atoi(k); err == nil && v > 0 {
			return 4 * v
		}
	}
	return 0
}

// largestSizedVCPUs maps each family to the largest vCPU count among its
// non-metal sizes (overrides included), for bare "metal" sizes to borrow.
func largestSizedVCPUs(names []string) map[string]int {
	out := map[string]int{}
	for _, name := range names {
		family, size, ok := strings.Cut(name, ".")
		if !ok || strings.HasPrefix(size, "metal") {
			continue
		}
		v := sizeVCPUs(size)
		if o, ok := vcpuOverrides[name]; ok {
			v = o
		}
		if v > out[family] {
			out[family] = v
		}
	}
	return out
}

// nameParts splits an instance type name the way Karpenter's well-known
// labels do (aws/karpenter-provider-aws pkg/providers/instancetype/types.go:
// category = the family's leading letters, generation = the digits after
// them, size = the part after the dot) and derives its architecture.
func nameParts(name string) (category string, generation int, size, arch string) {
	family, size, _ := strings.Cut(name, ".")
	i := strings.IndexFunc(family, func(r rune) bool { return r < 'a' || r > 'z' })
	if i < 0 {
		return family, 0, size, deriveArchitecture(family, 0, "")
	}
	category = family[:i]
	if family[i] == '-' {
		// u-6tb1: Karpenter reads the generation from the trailing digits.
		k := len(family)
		for k > i && family[k-1] >= '0' && family[k-1] <= '9' {
			k--
		}
		generation, _ = strconv.Atoi(family[k:])
		return category, generation, size, deriveArchitecture(category, generation, "")
	}
	j := i
	for j < len(family) && family[j] >= '0' && family[j] <= '9' {
		j++
	}
	generation, _ = strconv.Atoi(family[i:j])
	return category, generation, size, deriveArchitecture(category, generation, family[j:])
}

// deriveArchitecture: AWS marks Graviton families with a "g" among the
// attribute letters after the generation (c6g, m7gd, c6gn, im4gn, is4gen,
// x2gd, g5g, hpc7g); a1 (the first Graviton) and the Apple-silicon mac
// hosts from mac2 on are the exceptions (mac1 is Intel). The embedded table
// has no architecture column; TestInstanceNameParts pins the rule on known
// types (kubernetes.io/arch in aws/karpenter-provider-aws
// website/content/en/docs/reference/instance-types.md).
func deriveArchitecture(category string, generation int, attributes string) string {
	switch {
	case category == "a", strings.Contains(attributes, "g"):
		return "arm64"
	case category == "mac" && generation >= 2:
		return "arm64"
	}
	return "amd64"
}

// InstanceSizes returns every size name of the embedded table, sorted, for
// validating pool requirements.
func InstanceSizes() []string {
	seen := map[string]bool{}
	var out []string
	for _, name := range InstanceTypes() {
		if info, err := Lookup(name); err == nil && !seen[info.Size] {
			seen[info.Size] = true
			out = append(out, info.Size)
		}
	}
	sort.Strings(out)
	return out
}
