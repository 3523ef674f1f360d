// Package catalog is the one place eksready records dated facts: the EKS
// Kubernetes versions and their support calendar, the default version,
// every Helm chart pin with the Kubernetes versions it supports,
// compatibility floors, the accelerated instance families the EKS AMIs
// drive, the prices of a cluster's always-on resources, the Terraform and
// provider versions the stacks are tested with, and the Node.js release
// table set-up checks against. Every row names the source it was read from.
//
// It is the bottom layer: pure Go, importing nothing from eksready, so
// configuration validation, constructs and the report can all read it
// without running up the layers. It may not consult the clock or the
// network: support windows are judged against its recorded review dates.
// Staying current is a change to this package alone: bump a row, re-read
// the source it cites, update the golden files and review the diff. A test
// keeps version literals out of every other Go file.
package catalog

import "slices"

// Reviewed is the day the Kubernetes calendar and the chart pins were last
// checked against their sources. Support status is judged as of this fixed
// date, never the clock, so synthesized output does not change from one
// day to the next; move it only together with a review of the tables.
const Reviewed = "2026-11-30"

// DefaultKubernetes is the version a configuration gets when it names none:
// the newest EKS version in standard support on Reviewed (a test checks it).
const DefaultKubernetes = "1.36"

// KubernetesRelease is one EKS Kubernetes minor version and its calendar.
// Dates are YYYY-MM-DD, so they compare as strings.
type KubernetesRelease struct {
	// Version is the minor version, as EKS names it.
	Version string
	// Released is the day EKS made it available.
	Released string
	// EndOfStandardSupport is the day EKS ends standard support; after it
	// the cluster is upgraded (upgrade policy STANDARD) or charged for
	// extended support (EXTENDED).
	EndOfStandardSupport string
	// EndOfExtendedSupport is the day after which EKS creates no cluster on
	// the version and upgrades existing ones whatever their policy.
	EndOfExtendedSupport string
	// Source says where the row's dates were read.
	Source string
}

// eksCalendar is the EKS user guide's release calendar ("Amazon EKS
// Kubernetes release calendar", docs.aws.amazon.com/eks/latest/userguide/
// kubernetes-versions.html; awsdocs/amazon-eks-user-guide
// latest/ug/versioning/kubernetes-versions.adoc at commit 0138560, which
// lists 1.29-1.34). Its rule, which every row of it follows to the day:
// standard support for 14 months after the EKS release, extended support
// for the 12 after that.
const eksCalendar = "EKS user guide release calendar (kubernetes-versions, awsdocs/amazon-eks-user-guide@0138560)"

// KubernetesReleases is the EKS calendar, oldest first. It keeps the newest
// version that left extended support, so validation can say when it left.
// Each row's Source says where its dates come from: the EKS calendar
// wherever it has the version. For 1.35 and 1.36 no calendar row could be
// read; their end dates come from the sources named, and their release day
// is derived from the calendar's own 14-month rule (endoflife.date, which
// gave 1.32-1.34 one to four days off the calendar, gives 1.35 as
// 2026-01-28). No AWS source for EKS 1.37 was found (upstream released it
// on 2026-08-26): it is not listed.
var KubernetesReleases = []KubernetesRelease{
	{Version: "1.31", Released: "2024-09-26", EndOfStandardSupport: "2025-11-26", EndOfExtendedSupport: "2026-11-26", Source: eksCalendar},
	{Version: "1.32", Released: "2025-01-23", EndOfStandardSupport: "2026-03-23", EndOfExtendedSupport: "2027-03-23", Source: eksCalendar},
	{Version: "1.33", Released: "2025-05-29", EndOfStandardSupport: "2026-07-29", EndOfExtendedSupport: "2027-07-29", Source: eksCalendar},
	{Version: "1.34", Released: "2025-10-02", EndOfStandardSupport: "2026-12-02", EndOfExtendedSupport: "2027-12-02", Source: eksCalendar},
	{Version: "1.35", Released: "2026-01-27", EndOfStandardSupport: "2027-03-27", EndOfExtendedSupport: "2028-03-27",
		Source: "end dates: endoflife.date/amazon-eks (read 2026-11-30); release day: end of standard support less the calendar's 14 months"},
	{Version: "1.36", Released: "2026-06-02", EndOfStandardSupport: "2027-08-02", EndOfExtendedSupport: "2028-08-02",
		Source: "end dates: a calendar table checked on 2026-08-05, and the Karpenter v1.14 getting-started guide, which creates EKS 1.36 clusters; release day: end of standard support less the calendar's 14 months"},
}

// Release returns the calendar row of a version, and false for a version
// the catalog does not know.
func Release(version string) (KubernetesRelease, bool) {
	i := slices.IndexFunc(KubernetesReleases, func(r KubernetesRelease) bool { return r.Version == version })
	if i < 0 {
		return KubernetesRelease{}, false
	}
	return KubernetesReleases[i], true
}

// InStandardSupport reports whether EKS still gives the version standard
// support on Reviewed.
func (r KubernetesRelease) InStandardSupport() bool { return r.EndOfStandardSupport > Reviewed }

// Supported reports whether EKS still offers the version (standard or
// extended support) on Reviewed.
func (r KubernetesRelease) Supported() bool { return r.EndOfExtendedSupport > Reviewed }

// SupportedKubernetes lists the versions eksready accepts, oldest first:
// those EKS still supports on Reviewed.
func SupportedKubernetes() []string {
	var out []string
	for _, r := range KubernetesReleases {
		if r.Supported() {
			out = append(out, r.Version)
		}
	}
	return out
}

// karpenterFloor is the oldest Karpenter release that supports each
// Kubernetes minor. Source: aws/karpenter-provider-aws
// website/content/en/v1.14/upgrading/compatibility.md (compatibility
// matrix, generated by hack/docs/compatibilitymatrix_gen) at commit 1d927085
// (the v1.14.1 docs update, 2026-08-21).
var karpenterFloor = map[string]string{
	"1.31": "1.0.5",
	"1.32": "1.2.0",
	"1.33": "1.5.0",
	"1.34": "1.6.0",
	"1.35": "1.9.0",
	"1.36": "1.13.0",
}

// KarpenterFloor returns the oldest Karpenter release that supports a
// Kubernetes minor, and false when the compatibility matrix has none.
func KarpenterFloor(kubernetes string) (string, bool) {
	v, ok := karpenterFloor[kubernetes]
	return v, ok
}
