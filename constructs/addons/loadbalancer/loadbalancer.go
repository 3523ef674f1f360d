// Package loadbalancer installs the AWS Load Balancer Controller: ALBs for
// Ingresses and NLBs for Services of type LoadBalancer, with the IAM policy
// its project publishes for the pinned version.
package loadbalancer

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/constructs/addons"
	"github.com/eksready/eksready/constructs/identity"
)

// Namespace and ServiceAccount name the controller's service account.
const (
	Namespace      = "kube-system"
	ServiceAccount = "aws-load-balancer-controller"
)

// Values are the chart values eksready sets; keys checked against
// kubernetes-sigs/aws-load-balancer-controller
// helm/aws-load-balancer-controller/values.yaml and README.
type Values struct {
	// ClusterName is required by the chart ("A non-empty value is required").
	ClusterName *string `json:"clusterName"`
	// Region and VpcID are given so the controller never needs IMDS, which
	// eksready's nodes restrict to one hop (pods cannot reach it).
	Region         string  `json:"region"`
	VpcID          *string `json:"vpcId"`
	ServiceAccount struct {
		Create      bool               `json:"create"`
		Name        string             `json:"name"`
		Annotations map[string]*string `json:"annotations"`
	} `json:"serviceAccount"`
	ReplicaCount int `json:"replicaCount"`
	// PodDisruptionBudget is only rendered when replicaCount > 1.
	PodDisruptionBudget map[string]any    `json:"podDisruptionBudget"`
	NodeSelector        map[string]string `json:"nodeSelector"`
	// KeepTLSSecret reuses the webhook's TLS Secret on `helm upgrade`. Chart
	// 3.x turned it off by default (values.yaml at v3.1.0 to v3.5.0:
	// `keepTLSSecret: false`; 2.x had true), so every upgrade would
	// generate a new CA and certificate (templates/_helpers.tpl,
	// webhookCerts) and swap the webhooks' caBundle while the running pods
	// still serve the old certificate: Service and Ingress admission fails
	// until they pick up the new one. eksready keeps the secret. The
	// chart's cert-manager mode (enableCertManager) is not used even when
	// cert-manager is enabled: it needs cert-manager's CRDs before this
	// release, which must install before every chart that creates a
	// Service, cert-manager's own included.
	KeepTLSSecret bool `json:"keepTLSSecret"`
}

// Config is what the release is built from.
type Config struct {
	// KubernetesVersion picks the chart.
	KubernetesVersion string
	ClusterName       *string
	Region            string
	VpcID             *string
	IdentityMode      identity.Mode
	RoleArn           *string
	DependsOn         []cdktf.ITerraformDependable
}

// NewValues builds the chart values.
func NewValues(cfg Config) Values {
	v := Values{ClusterName: cfg.ClusterName, Region: cfg.Region, VpcID: cfg.VpcID}
	v.ServiceAccount.Create = true
	v.ServiceAccount.Name = ServiceAccount
	v.ServiceAccount.Annotations = addons.ServiceAccountAnnotations(cfg.IdentityMode, cfg.RoleArn)
	// Its webhooks intercept every Service and Ingress: two replicas and a
	// PDB keep them answering through node replacement.
	v.ReplicaCount = 2
	v.PodDisruptionBudget = map[string]any{"maxUnavailable": 1}
	v.NodeSelector = addons.SystemPoolSelector()
	v.KeepTLSSecret = true
	return v
}

// New installs the controller.
func New(scope constructs.Construct, id string, cfg Config) release.Release {
	return addons.NewRelease(scope, id, addons.ReleaseConfig{
		Chart:          addons.Pin(catalog.AwsLoadBalancerController, cfg.KubernetesVersion),
		Name:           "aws-load-balancer-controller",
		Namespace:      Namespace,
		Values:         NewValues(cfg),
		TimeoutSeconds: 600,
		DependsOn:      cfg.DependsOn,
	})
}
