package config

// KubernetesRelease is one EKS Kubernetes minor version eksready supports.
type KubernetesRelease struct {
	// Version is the minor version, as EKS names it ("1.35").
	Version string
	// EndOfStandardSupport is the date (YYYY-MM-DD) EKS ends standard
	// support; after it the cluster is upgraded (upgrade policy STANDARD) or
	// charged for extended support (EXTENDED).
	EndOfStandardSupport string
	// EndOfExtendedSupport is the date after which EKS upgrades the cluster
	// whatever its policy.
	EndOfExtendedSupport string
}

// VersionTableReviewed is the day SupportedKubernetesVersions was last
// checked against the EKS calendar. Support status is judged as of this
// fixed date, never the clock, so synthesized output does not change from
// one day to the next; bump it together with the table.
const VersionTableReviewed = "2026-11-26"

// SupportedKubernetesVersions are the EKS versions eksready accepts, oldest
// first: those still supported (standard or extended) on
// VersionTableReviewed. Sources: the EKS user guide's Kubernetes version
// calendar (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html)
// and endoflife.date/amazon-eks. The AWS provider does not validate the
// version string; EKS does, so this table is the only early check.
var SupportedKubernetesVersions = []KubernetesRelease{
	{Version: "1.32", EndOfStandardSupport: "2026-03-23", EndOfExtendedSupport: "2027-03-23"},
	{Version: "1.33", EndOfStandardSupport: "2026-07-29", EndOfExtendedSupport: "2027-07-29"},
	{Version: "1.34", EndOfStandardSupport: "2026-12-02", EndOfExtendedSupport: "2027-12-02"},
	{Version: "1.35", EndOfStandardSupport: "2027-03-27", EndOfExtendedSupport: "2028-03-27"},
}

// DefaultKubernetesVersion is the newest version in standard support on
// VersionTableReviewed.
var DefaultKubernetesVersion = newestInStandardSupport()

func newestInStandardSupport() string {
	for i := len(SupportedKubernetesVersions) - 1; i >= 0; i-- {
		if r := SupportedKubernetesVersions[i]; r.EndOfStandardSupport > VersionTableReviewed {
			return r.Version
		}
	}
	panic("config: no Kubernetes version in standard support; update SupportedKubernetesVersions")
}

// releaseOf returns the table entry for a version.
func releaseOf(version string) (KubernetesRelease, bool) {
	for _, r := range SupportedKubernetesVersions {
		if r.Version == version {
			return r, true
		}
	}
	return KubernetesRelease{}, false
}

func supportedVersionList() []string {
	out := make([]string, len(SupportedKubernetesVersions))
	for i, r := range SupportedKubernetesVersions {
		out[i] = r.Version
	}
	return out
}
