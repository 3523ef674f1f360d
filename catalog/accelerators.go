package catalog

import "slices"

// Accelerator kinds the EKS-optimized accelerated AMIs drive.
const (
	// AcceleratorNVIDIA is an NVIDIA GPU.
	AcceleratorNVIDIA = "nvidia"
	// AcceleratorNeuron is an AWS Inferentia or Trainium device (Neuron).
	AcceleratorNeuron = "neuron"
)

// AcceleratedFamily is an EC2 instance family built around an accelerator
// an EKS-optimized AMI drives, with the AMIs that do.
type AcceleratedFamily struct {
	// Kind is AcceleratorNVIDIA or AcceleratorNeuron.
	Kind string
	// Arm is true for a Graviton (arm64) family.
	Arm bool
	// Bottlerocket is true when a Bottlerocket EKS AMI drives it: the
	// aws-k8s-*-nvidia variant (BOTTLEROCKET_*_NVIDIA) for NVIDIA, the
	// standard aws-k8s variant (BOTTLEROCKET_x86_64) for Neuron.
	Bottlerocket bool
	// AL2023 is true when an AL2023 accelerated AMI drives it
	// (AL2023_*_NVIDIA, AL2023_x86_64_NEURON).
	AL2023 bool
}

// AcceleratedFamilies are the families the EKS-optimized accelerated AMIs
// support, as the EKS user guide's table "EKS AMI variant / EC2 instance
// types" lists them (ml-eks-optimized-ami, "Use EKS-optimized accelerated
// AMIs for GPU instances", read on Reviewed):
//
//	AL2023 x86_64 NVIDIA, Bottlerocket x86_64 aws-k8s-nvidia: p6-b300,
//	  p6-b200, p5, p5e, p5en, p4d, p4de, p3, p3dn, g7e, gr6, g6, g6e,
//	  g6f, gr6f, g5, g4dn
//	AL2023 ARM NVIDIA: p6e-gb200, p6e-gb300, g5g
//	Bottlerocket aarch64/arm64 aws-k8s-nvidia: g5g
//	AL2023 x86_64 Neuron, Bottlerocket x86_64 aws-k8s: inf1, inf2, trn1, trn2
//
// trn1n is the trn1 family's network-optimized size (the same Trainium
// device: the Neuron documentation covers "Trn1/Trn1n", and the Neuron Helm
// chart's neuronInstances list names trn1n.32xlarge), so it is listed with
// trn1. Karpenter resolves the same Bottlerocket variants for these types
// (aws/karpenter-provider-aws v1.14.1
// pkg/providers/amifamily/bottlerocket.go: aws-k8s-<v>/x86_64 serves the
// standard and Neuron variants, aws-k8s-<v>-nvidia the NVIDIA one).
var AcceleratedFamilies = map[string]AcceleratedFamily{
	"p6-b300": nvidiaX86, "p6-b200": nvidiaX86, "p5": nvidiaX86, "p5e": nvidiaX86, "p5en": nvidiaX86,
	"p4d": nvidiaX86, "p4de": nvidiaX86, "p3": nvidiaX86, "p3dn": nvidiaX86, "g7e": nvidiaX86,
	"gr6": nvidiaX86, "g6": nvidiaX86, "g6e": nvidiaX86, "g6f": nvidiaX86, "gr6f": nvidiaX86,
	"g5": nvidiaX86, "g4dn": nvidiaX86,
	"g5g":       {Kind: AcceleratorNVIDIA, Arm: true, Bottlerocket: true, AL2023: true},
	"p6e-gb200": {Kind: AcceleratorNVIDIA, Arm: true, AL2023: true},
	"p6e-gb300": {Kind: AcceleratorNVIDIA, Arm: true, AL2023: true},
	"inf1":      neuron, "inf2": neuron, "trn1": neuron, "trn1n": neuron, "trn2": neuron,
}

var (
	nvidiaX86 = AcceleratedFamily{Kind: AcceleratorNVIDIA, Bottlerocket: true, AL2023: true}
	neuron    = AcceleratedFamily{Kind: AcceleratorNeuron, Bottlerocket: true, AL2023: true}
)

// UndrivenAccelerators are accelerated families no EKS-optimized AMI
// drives, with the reason: the accelerated AMIs ship NVIDIA and Neuron
// drivers only (ml-eks-optimized-ami), and list none of these families.
// Any other accelerated family missing from AcceleratedFamilies is refused
// too, with a general reason (see AcceleratedFamilyOf).
var UndrivenAccelerators = map[string]string{
	"g4ad": "its AMD Radeon Pro V520 GPUs have no driver in any EKS-optimized AMI (the accelerated AMIs ship NVIDIA and Neuron drivers only)",
	"p2":   "its NVIDIA K80 (Kepler) GPUs are no longer supported by current NVIDIA drivers, and the EKS-optimized accelerated AMIs list p3 and newer P families only",
	"g2":   "its NVIDIA GRID K520 (Kepler) GPUs are no longer supported by current NVIDIA drivers, and the EKS-optimized accelerated AMIs list g4dn and newer G families only",
	"g3":   "its NVIDIA M60 (Maxwell) GPUs are not among those the EKS-optimized accelerated AMIs support (they list g4dn and newer G families only)",
	"g3s":  "its NVIDIA M60 (Maxwell) GPU is not among those the EKS-optimized accelerated AMIs support (they list g4dn and newer G families only)",
	"f1":   "its FPGAs have no driver or runtime in any EKS-optimized AMI",
	"f2":   "its FPGAs have no driver or runtime in any EKS-optimized AMI",
	"vt1":  "its Xilinx U30 video transcoding cards have no driver in any EKS-optimized AMI",
	"dl1":  "its Habana Gaudi accelerators have no driver in any EKS-optimized AMI",
	"dl2q": "its Qualcomm AI 100 accelerators have no driver in any EKS-optimized AMI",
}

// UnlistedAccelerator is the reason an accelerated family that neither
// table names is refused: nothing says an EKS AMI drives it.
const UnlistedAccelerator = "it is not among the instance types the EKS-optimized accelerated AMIs list as supported (EKS user guide, ml-eks-optimized-ami)"

// AcceleratedFamilyNames lists the families of a kind, sorted.
func AcceleratedFamilyNames(kind string) []string {
	var out []string
	for f, a := range AcceleratedFamilies {
		if a.Kind == kind {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}
