// Package metricsserver installs metrics-server: resource metrics for
// `kubectl top` and the Horizontal Pod Autoscaler.
package metricsserver

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/constructs/addons"
	"github.com/eksready/eksready/constructs/addons/charts"
)

// Namespace holds metrics-server.
const Namespace = "kube-system"

// Values are the chart values eksready sets; keys checked against
// kubernetes-sigs/metrics-server charts/metrics-server/values.yaml (3.12).
type Values struct {
	// Replicas: the metrics API is an aggregated API; while it is down,
	// every HPA stops scaling.
	Replicas int `json:"replicas"`
	// PodDisruptionBudget is gated by `enabled` in this chart.
	PodDisruptionBudget struct {
		Enabled      bool `json:"enabled"`
		MinAvailable int  `json:"minAvailable"`
	} `json:"podDisruptionBudget"`
}

// NewValues builds the chart values.
func NewValues() Values {
	var v Values
	v.Replicas = 2
	v.PodDisruptionBudget.Enabled = true
	v.PodDisruptionBudget.MinAvailable = 1
	return v
}

// New installs metrics-server.
func New(scope constructs.Construct, id string, dependsOn []cdktf.ITerraformDependable) release.Release {
	return addons.NewRelease(scope, id, addons.ReleaseConfig{
		Chart:          charts.MetricsServer,
		Name:           "metrics-server",
		Namespace:      Namespace,
		Values:         NewValues(),
		TimeoutSeconds: 300,
		DependsOn:      dependsOn,
	})
}
