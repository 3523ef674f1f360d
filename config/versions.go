package config

import (
	"regexp"
	"slices"
	"strings"

	"github.com/eksready/eksready/catalog"
)

// validateKubernetesVersion accepts the versions EKS still offers on the
// catalog's review date (never the clock): a version that left extended
// support, or one the catalog does not know, is refused with the list of
// supported ones.
func validateKubernetesVersion(version string, v *collector) {
	validateVersionAt("kubernetesVersion", version, v)
}

// validateVersionAt checks a Kubernetes minor given at path.
func validateVersionAt(path, version string, v *collector) {
	supported := strings.Join(catalog.SupportedKubernetes(), ", ")
	r, known := catalog.Release(version)
	switch {
	case !known:
		v.add(path, version, "is not supported: eksready's version catalog (reviewed %s) knows no EKS release of it (supported: %s)", catalog.Reviewed, supported)
	case !r.Supported():
		v.add(path, version, "is not supported: it left EKS extended support on %s and EKS creates no cluster on it (supported: %s)", r.EndOfExtendedSupport, supported)
	}
}

// versionAccepted reports whether validateKubernetesVersion accepts a
// version, so rules that depend on it report nothing more for one it refuses.
func versionAccepted(version string) bool {
	r, ok := catalog.Release(version)
	return ok && r.Supported()
}

// MaxPoolVersionLag is how many minors a node pool may run behind the
// control plane. The Kubernetes version skew policy lets a kubelet be up to
// three minors older than the API server (never newer), but EKS requires
// managed nodes at the control plane's minor before it upgrades the
// control plane again (EKS user guide, "Update existing cluster to new
// Kubernetes version"), so with managed node groups a pool lags by one
// minor at most: the control plane has moved, the pool has not yet.
const MaxPoolVersionLag = 1

// MinorsBehind is how many minors version is behind reference, from the
// catalog's ordered calendar (negative when ahead); false when either is
// unknown.
func MinorsBehind(version, reference string) (int, bool) {
	index := func(s string) int {
		return slices.IndexFunc(catalog.KubernetesReleases, func(r catalog.KubernetesRelease) bool { return r.Version == s })
	}
	i, j := index(version), index(reference)
	if i < 0 || j < 0 {
		return 0, false
	}
	return j - i, true
}

// validatePoolVersion holds a pool's own Kubernetes minor to what EKS and
// the skew policy allow against the control plane's.
func validatePoolVersion(c Cluster, pool string, v *collector) {
	p, path := c.Nodes[pool], "nodes."+pool+".kubernetesVersion"
	if p.KubernetesVersion != "" {
		validateVersionAt(path, p.KubernetesVersion, v)
		if !versionAccepted(p.KubernetesVersion) || !versionAccepted(c.KubernetesVersion) {
			return
		}
		behind, _ := MinorsBehind(p.KubernetesVersion, c.KubernetesVersion)
		switch {
		case behind < 0:
			v.add(path, p.KubernetesVersion, "is newer than the control plane's kubernetesVersion %s: a kubelet must never be newer than the API server (Kubernetes version skew policy); upgrade the control plane first", c.KubernetesVersion)
		case behind > MaxPoolVersionLag:
			v.add(path, p.KubernetesVersion, "is %d minors behind the control plane's kubernetesVersion %s: EKS requires managed nodes at the control plane's minor before it upgrades the control plane again, so a pool may lag by %d (upgrade the control plane one minor at a time, each pool after it)", behind, c.KubernetesVersion, MaxPoolVersionLag)
		}
	}
	// An AL2023 release is built for one Kubernetes minor (1.35.0-20260115).
	if m := al2023ReleaseRe.FindStringSubmatch(p.AmiReleaseVersion); p.OS == "al2023" && m != nil && m[1] != c.PoolKubernetesVersion(pool) {
		v.add("nodes."+pool+".amiReleaseVersion", p.AmiReleaseVersion, "is an AL2023 release for Kubernetes %s, but the pool runs %s; pin a release of %s or leave it empty", m[1], c.PoolKubernetesVersion(pool), c.PoolKubernetesVersion(pool))
	}
}

// al2023ReleaseRe is an EKS AL2023 AMI release version: the Kubernetes
// version it is built for, then the build date.
var al2023ReleaseRe = regexp.MustCompile(`^([0-9]+\.[0-9]+)\.[0-9]+-[0-9]{8}$`)
