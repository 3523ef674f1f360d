// Package metricsserver installs metrics-server: resource metrics for
// `kubectl top` and the Horizontal Pod Autoscaler.
package metricsserver

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/constructs/addons"
)

// Namespace holds metrics-server.
const Namespace = "kube-system"

// Values are the chart values eksready sets; keys checked against
// kubernetes-sigs/metrics-server charts/metrics-server/values.yaml (3.12 to 3.13.1).
type Values struct {
	// Replicas: the metrics API is an aggregated API; while it is down,
	// every HPA stops scaling.
	Replicas int `json:"replicas"`
	// PodDisruptionBudget is gated by `enabled` in this chart.
	PodDisruptionBudget struct {
		Enabled      bool `json:"enabled"`
		MinAvailable int  `json:"minAvailable"`
	} `json:"podDisruptionBudget"`
	// HostNetwork and ContainerPort move metrics-server onto the node's
	// network when the API server cannot reach pod addresses (Cilium's
	// overlay): it serves an aggregated API the API server must call. The
	// chart's values.yaml says hostNetwork.enabled is "required if you use
	// alternate overlay networking for pods"; the port leaves 10250 to the
	// kubelet (containerPort becomes --secure-port in the deployment).
	HostNetwork *struct {
		Enabled bool `json:"enabled"`
	} `json:"hostNetwork,omitempty"`
	ContainerPort int `json:"containerPort,omitempty"`
}

// Config is what the release is built from.
type Config struct {
	// KubernetesVersion picks the chart.
	KubernetesVersion string
	// HostNetwork runs metrics-server on the node's network.
	HostNetwork bool
	// DependsOn are releases that must exist first.
	DependsOn []cdktf.ITerraformDependable
}

// NewValues builds the chart values.
func NewValues(cfg Config) Values {
	var v Values
	v.Replicas = 2
	v.PodDisruptionBudget.Enabled = true
	v.PodDisruptionBudget.MinAvailable = 1
	if cfg.HostNetwork {
		v.HostNetwork = &struct {
			Enabled bool `json:"enabled"`
		}{Enabled: true}
		v.ContainerPort = 4443
	}
	return v
}

// New installs metrics-server.
func New(scope constructs.Construct, id string, cfg Config) release.Release {
	return addons.NewRelease(scope, id, addons.ReleaseConfig{
		Chart:          addons.Pin(catalog.MetricsServer, cfg.KubernetesVersion),
		Name:           "metrics-server",
		Namespace:      Namespace,
		Values:         NewValues(cfg),
		TimeoutSeconds: 300,
		DependsOn:      cfg.DependsOn,
	})
}
