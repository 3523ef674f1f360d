package config

import (
	"fmt"
	"regexp"
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

	// SnapshotController installs the CSI snapshot controller add-on, which
	// VolumeSnapshot backups of EBS volumes need. Default: disabled.
	SnapshotController Toggle `yaml:"snapshotController"`

	// NodeMonitoringAgent installs the EKS node monitoring agent add-on
	// after the node groups. It reads each node's logs and reports kernel,
	// networking, storage and runtime problems as node conditions, which
	// the node groups' automatic repair acts on; without it repair sees
	// only a node that stops reporting Ready. Default: enabled.
	NodeMonitoringAgent Toggle `yaml:"nodeMonitoringAgent"`

	// Additional are further EKS managed add-ons that need no IAM role of
	// their own (the kube-state-metrics community add-on is one). The
	// add-ons of the production baseline have settings of their own
	// (observability, runtimeMonitoring, secretsStore) and are refused
	// here. Installed after the node groups. Default: none.
	Additional []AdditionalAddon `yaml:"additional"`
}

// AdditionalAddon is one extra EKS managed add-on.
type AdditionalAddon struct {
	// Name is the EKS add-on name.
	Name string `yaml:"name"`
	// Version pins it; empty takes the EKS default for the cluster version.
	Version string `yaml:"version"`
}

// ManagedAddonNames are the EKS managed add-ons eksready installs itself,
// in the order it creates them.
var ManagedAddonNames = []string{"vpc-cni", "eks-pod-identity-agent", "kube-proxy", "coredns", "aws-ebs-csi-driver", "snapshot-controller", NodeMonitoringAgentAddon, CloudWatchObservabilityAddon, GuardDutyAgentAddon, SecretsStoreAddon}

// NodeMonitoringAgentAddon is the EKS add-on name of the node monitoring
// agent (EKS user guide, "Detect node health issues and enable automatic
// node repair").
const NodeMonitoringAgentAddon = "eks-node-monitoring-agent"

var addonNameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,99}$`)

func validateManagedAddons(m ManagedAddons, autoMode bool, v *collector) {
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
	seen := map[string]bool{}
	for i, a := range m.Additional {
		path := fmt.Sprintf("managedAddons.additional[%d]", i)
		switch {
		case !addonNameRe.MatchString(a.Name):
			v.add(path+".name", a.Name, "is not an EKS add-on name (lowercase letters, digits and hyphens)")
		case autoMode && BuiltIntoAutoMode(a.Name):
			v.add(path+".name", a.Name, "is built into EKS Auto Mode; installing it as an add-on would run a second copy")
		case baselineAddonProblem(a.Name) != "":
			v.add(path+".name", a.Name, "%s", baselineAddonProblem(a.Name))
		case slices.Contains(ManagedAddonNames, a.Name):
			v.add(path+".name", a.Name, "is installed by eksready already; pin its version under managedAddons.versions instead")
		case seen[a.Name]:
			v.add(path+".name", a.Name, "is listed twice")
		}
		seen[a.Name] = true
		if a.Version != "" && !addonVerRe.MatchString(a.Version) {
			v.add(path+".version", a.Version, "is not an EKS add-on version (like v1.19.5-eksbuild.1)")
		}
	}
}
