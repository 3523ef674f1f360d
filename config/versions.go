package config

import (
	"strings"

	"github.com/eksready/eksready/catalog"
)

// validateKubernetesVersion accepts the versions EKS still offers on the
// catalog's review date (never the clock): a version that left extended
// support, or one the catalog does not know, is refused with the list of
// supported ones.
func validateKubernetesVersion(version string, v *collector) {
	supported := strings.Join(catalog.SupportedKubernetes(), ", ")
	r, known := catalog.Release(version)
	switch {
	case !known:
		v.add("kubernetesVersion", version, "is not supported: eksready's version catalog (reviewed %s) knows no EKS release of it (supported: %s)", catalog.Reviewed, supported)
	case !r.Supported():
		v.add("kubernetesVersion", version, "is not supported: it left EKS extended support on %s and EKS creates no cluster on it (supported: %s)", r.EndOfExtendedSupport, supported)
	}
}

// versionAccepted reports whether validateKubernetesVersion accepts a
// version, so rules that depend on it report nothing more for one it refuses.
func versionAccepted(version string) bool {
	r, ok := catalog.Release(version)
	return ok && r.Supported()
}
