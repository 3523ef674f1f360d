// Package bottlerocket installs the Bottlerocket update operator (brupop),
// which updates Bottlerocket nodes in place, a few at a time (R2, R7).
package bottlerocket

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/constructs/addons"
	"github.com/eksready/eksready/constructs/addons/baseline"
)

// Namespace is where the operator chart renders its resources: its
// values.yaml `namespace` key, default brupop-bottlerocket-aws, which the
// install docs create beforehand.
const Namespace = "brupop-bottlerocket-aws"

// PodSecurity is the Pod Security Standards level the operator's pods
// need: privileged. Its agent, a DaemonSet on every Bottlerocket node,
// mounts the host's Bottlerocket API socket (/run/api.sock) and apiclient
// binary by hostPath and runs with a custom SELinux type to drive OS
// updates (deploy/charts/bottlerocket-update-operator/templates/
// agent-daemonset.yaml at v1.4.0); baseline forbids both. Warn and audit
// stay at restricted, so the exception is visible.
const PodSecurity = baseline.Privileged

// UpdaterLabelKey and UpdaterLabelValue mark nodes the operator's agent
// runs on (bottlerocket-update-operator README); node groups and
// NodePools of Bottlerocket nodes carry it when the operator is enabled.
const (
	UpdaterLabelKey   = "bottlerocket.aws/updater-interface-version"
	UpdaterLabelValue = "2.0.0"
)

// NodeLabels are the labels a Bottlerocket node needs to be updated.
func NodeLabels() map[string]string { return map[string]string{UpdaterLabelKey: UpdaterLabelValue} }

// Operator is the CRD release and the operator release.
type Operator struct {
	CRDs     release.Release
	Operator release.Release
}

// New installs the BottlerocketShadow CRD chart, then the operator.
// dependsOn must include cert-manager: the operator's certificates and the
// CRD's conversion webhook CA come from it.
func New(scope constructs.Construct, id, kubernetesVersion string, dependsOn []cdktf.ITerraformDependable) *Operator {
	scope = constructs.NewConstruct(scope, &id)
	o := &Operator{}
	o.CRDs = addons.NewRelease(scope, "crds", addons.ReleaseConfig{
		Chart:          addons.Pin(catalog.BottlerocketShadow, kubernetesVersion),
		Name:           "brupop-crd",
		Namespace:      Namespace,
		TimeoutSeconds: 300,
		DependsOn:      dependsOn,
	})
	// The chart's defaults are kept: one node at a time, any time, and
	// its own PriorityClass.
	o.Operator = addons.NewRelease(scope, "operator", addons.ReleaseConfig{
		Chart:          addons.Pin(catalog.BottlerocketUpdateOperator, kubernetesVersion),
		Name:           "brupop-operator",
		Namespace:      Namespace,
		TimeoutSeconds: 600,
		DependsOn:      append([]cdktf.ITerraformDependable{o.CRDs}, dependsOn...),
	})
	return o
}
