package config

// KubernetesRelease is one EKS Kubernetes minor version eksready supports.
type KubernetesRelease struct {
	// Version is the minor version, as EKS names it ("1.33").
	Version string
	// EndOfStandardSupport is the date (YYYY-MM-DD) EKS ends standard
	// support; after it the cluster is upgraded (upgrade policy STANDARD) or
	// charged for extended support (EXTENDED).
	EndOfStandardSupport string
}

// SupportedKubernetesVersions are the EKS versions eksready accepts, oldest
// first. The table is static on purpose: synthesized output must not depend
// on the day it is produced. Source: the EKS user guide's Kubernetes version
// calendar (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html).
var SupportedKubernetesVersions = []KubernetesRelease{
	{Version: "1.30", EndOfStandardSupport: "2025-07-23"},
	{Version: "1.31", EndOfStandardSupport: "2025-11-26"},
	{Version: "1.32", EndOfStandardSupport: "2026-03-23"},
	{Version: "1.33", EndOfStandardSupport: "2026-07-29"},
}

// DefaultKubernetesVersion is the newest supported version.
var DefaultKubernetesVersion = SupportedKubernetesVersions[len(SupportedKubernetesVersions)-1].Version

func supportedVersionList() []string {
	out := make([]string, len(SupportedKubernetesVersions))
	for i, r := range SupportedKubernetesVersions {
		out[i] = r.Version
	}
	return out
}
