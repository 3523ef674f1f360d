// Package addons holds what every in-cluster add-on eksready installs
// shares: one way to declare a Helm release with deliberate install
// settings, the node label that keeps controllers on the system pool, and
// how a chart's service account gets its IAM role. Each add-on lives in its
// own subpackage (chart values as Go types, IAM policy, constants other
// constructs need); versions are pinned in package catalog.
package addons

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/identity"
	"github.com/eksready/eksready/constructs/jsonvalue"
)

// PoolLabel is the node label every eksready node carries with its pool's
// name (managed node groups and Karpenter NodePools alike).
const PoolLabel = config.PoolLabel

// SystemPool is the managed node pool the cluster's own controllers run on.
const SystemPool = config.SystemPool

// SystemPoolSelector is a nodeSelector for the system pool. Autoscalers
// must not run on nodes they may remove, and controllers belong on the
// nodes that always exist.
func SystemPoolSelector() map[string]string {
	return map[string]string{PoolLabel: SystemPool, "kubernetes.io/os": "linux"}
}

// ServiceAccountAnnotations are the annotations a chart's service account
// needs for its IAM role: the IRSA role-arn annotation, or none with Pod
// Identity (the association in `infra` binds the role by name).
func ServiceAccountAnnotations(mode identity.Mode, roleArn *string) map[string]*string {
	if mode == identity.IRSA {
		return map[string]*string{"eks.amazonaws.com/role-arn": roleArn}
	}
	return map[string]*string{}
}

// Pin returns the chart of a component to install on a Kubernetes
// version. Configuration validation refuses software with nothing pinned
// for the cluster's version before any construct runs, so a miss here is a
// programming error.
func Pin(c catalog.Component, kubernetesVersion string) catalog.Chart {
	p, ok := c.Install(kubernetesVersion)
	if !ok {
		panic(fmt.Sprintf("addons: no %s chart for Kubernetes %s", c.Name, kubernetesVersion))
	}
	return p
}

// ReleaseConfig describes one Helm release.
type ReleaseConfig struct {
	// Chart is the pinned chart (repository, name, version); see Pin.
	Chart catalog.Chart
	// LocalChart is a chart path inside the stack (a TerraformAsset) used
	// instead of Chart.
	LocalChart *string
	// Name is the release name (at most 53 characters).
	Name string
	// Namespace holds the release; CreateNamespace creates it first.
	Namespace       string
	CreateNamespace bool
	// Values is the chart's values as a Go value, rendered as JSON (which
	// is YAML) with sorted keys.
	Values any
	// TimeoutSeconds bounds install, upgrade and uninstall.
	TimeoutSeconds int
	// SkipCrds leaves the chart's crds/ folder alone (its CRDs come from
	// a separate CRD chart Helm can upgrade).
	SkipCrds bool
	// DependsOn are releases that must be ready first (and are destroyed
	// after this one).
	DependsOn []cdktf.ITerraformDependable
}

// MaxHistory keeps enough revisions to roll back without letting release
// secrets grow forever (the provider's default keeps all).
const MaxHistory = 10

// NewRelease declares a release with the settings every eksready release
// shares: atomic (a failed install or upgrade is rolled back, so the next
// apply starts clean instead of stuck on a failed release), wait (the next
// release starts only once this one's workloads are ready: webhooks
// answering, CRDs established) and cleanup on failure.
func NewRelease(scope constructs.Construct, id string, cfg ReleaseConfig) release.Release {
	rc := &release.ReleaseConfig{
		Name:            jsii.String(cfg.Name),
		Namespace:       jsii.String(cfg.Namespace),
		CreateNamespace: jsii.Bool(cfg.CreateNamespace),
		Atomic:          jsii.Bool(true),
		Wait:            jsii.Bool(true),
		CleanupOnFail:   jsii.Bool(true),
		MaxHistory:      jsii.Number(MaxHistory),
		Timeout:         jsii.Number(cfg.TimeoutSeconds),
	}
	if cfg.LocalChart != nil {
		rc.Chart = cfg.LocalChart
	} else {
		rc.Repository = jsii.String(cfg.Chart.Repository)
		rc.Chart = jsii.String(cfg.Chart.Name)
		rc.Version = jsii.String(cfg.Chart.Version)
	}
	if cfg.Values != nil {
		rc.Values = &[]*string{jsonvalue.String(cfg.Values)}
	}
	if cfg.SkipCrds {
		rc.SkipCrds = jsii.Bool(true)
	}
	if len(cfg.DependsOn) > 0 {
		deps := append([]cdktf.ITerraformDependable(nil), cfg.DependsOn...)
		rc.DependsOn = &deps
	}
	return release.NewRelease(scope, jsii.String(id), rc)
}
