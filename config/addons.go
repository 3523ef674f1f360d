package config

import (
	"slices"
	"strings"
)

// ManagedAddons configures the EKS managed add-ons.
type ManagedAddons struct {
	// Versions pins add-on versions by add-on name ("vpc-cni": "v1.19.5-eksbuild.1").
	// An add-on that is not pinned gets the version EKS marks default for
	// the cluster's Kubernetes version at plan time, never "most recent".
	// Default: none pinned.
	Versions map[string]string `yaml:"versions"`
}

// Software is the in-cluster software that the `addons` stack installs.
type Software struct {
	// MetricsServer installs metrics-server (resource metrics for
	// `kubectl top` and the Horizontal Pod Autoscaler). Default: enabled.
	MetricsServer Toggle `yaml:"metricsServer"`
}

// Toggle switches one piece of software on or off.
type Toggle struct {
	// Enabled installs the software when true.
	Enabled *bool `yaml:"enabled"`
}

// On reports whether the toggle is enabled (unset counts as off: defaults
// have already been applied by the time anything asks).
func (t Toggle) On() bool { return t.Enabled != nil && *t.Enabled }

func validateManagedAddons(m ManagedAddons, v *collector) {
	for _, name := range sortedKeys(m.Versions) {
		path := "managedAddons.versions." + name
		if !slices.Contains(ManagedAddonNames, name) {
			v.missing(path, "is not a managed add-on eksready installs (known: %s)", strings.Join(ManagedAddonNames, ", "))
			continue
		}
		if !addonVerRe.MatchString(m.Versions[name]) {
			v.add(path, m.Versions[name], "is not an EKS add-on version (like v1.19.5-eksbuild.1)")
		}
	}
}
