// Package certmanager installs cert-manager with its CRDs, highly
// available: the Bottlerocket update operator gets its certificates from it.
package certmanager

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/constructs/addons"
	"github.com/eksready/eksready/constructs/addons/baseline"
)

// Namespace holds cert-manager.
const Namespace = "cert-manager"

// PodSecurity is the Pod Security Standards level cert-manager's pods
// meet: every component (controller, webhook, cainjector, startupapicheck
// job) runs with runAsNonRoot, seccompProfile RuntimeDefault,
// allowPrivilegeEscalation false and every capability dropped, with no
// host namespace or hostPath (deploy/charts/cert-manager/values.yaml and
// templates at v1.20.3 and v1.21.1).
const PodSecurity = baseline.Restricted

// PDB is the disruption budget shape of each cert-manager component.
type PDB struct {
	Enabled      bool `json:"enabled"`
	MinAvailable int  `json:"minAvailable"`
}

// Component is the replica and PDB values of one cert-manager component.
type Component struct {
	ReplicaCount        int `json:"replicaCount"`
	PodDisruptionBudget PDB `json:"podDisruptionBudget"`
}

// Values are the chart values eksready sets; keys checked against
// cert-manager/cert-manager deploy/charts/cert-manager/values.yaml (1.17, 1.20.3 and 1.21.1 read
// the same keys).
type Values struct {
	// CRDs are part of the release (templates, so Helm upgrades them) and
	// kept on uninstall (crds.keep) so deleting the release never deletes
	// every Certificate in the cluster. installCRDs is deprecated.
	CRDs struct {
		Enabled bool `json:"enabled"`
		Keep    bool `json:"keep"`
	} `json:"crds"`
	Component
	// Webhook answers every cert-manager API call: an outage blocks them all.
	Webhook Component `json:"webhook"`
}

// NewValues builds the chart values: two replicas and a PDB ("in
// production set this to 2 or 3", values.yaml) for the controller and webhook.
func NewValues() Values {
	var v Values
	v.CRDs.Enabled = true
	v.CRDs.Keep = true
	ha := Component{ReplicaCount: 2, PodDisruptionBudget: PDB{Enabled: true, MinAvailable: 1}}
	v.Component = ha
	v.Webhook = ha
	return v
}

// New installs the cert-manager release that supports the cluster's
// Kubernetes version.
func New(scope constructs.Construct, id, kubernetesVersion string, dependsOn []cdktf.ITerraformDependable) release.Release {
	return addons.NewRelease(scope, id, addons.ReleaseConfig{
		Chart:     addons.Pin(catalog.CertManager, kubernetesVersion),
		Name:      "cert-manager",
		Namespace: Namespace,
		Values:    NewValues(),
		// Waits for the webhook to be ready: whatever depends on
		// cert-manager creates Issuers and Certificates right after.
		TimeoutSeconds: 600,
		DependsOn:      dependsOn,
	})
}
