// Package clusterautoscaler installs cluster-autoscaler (R6): it grows and
// shrinks this cluster's managed node groups, found by their auto-discovery
// tags, with an IAM policy that may only change node groups carrying this
// cluster's tag.
package clusterautoscaler

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/constructs/addons"
	"github.com/eksready/eksready/constructs/identity"
)

// Namespace and ServiceAccount name cluster-autoscaler's service account;
// the IAM role in `infra` is bound to exactly this name.
const (
	Namespace      = "kube-system"
	ServiceAccount = "cluster-autoscaler"
)

// EnabledTagKey and ClusterTagKey are the auto-discovery tags: the chart's
// default autoDiscovery.tags look for both keys on Auto Scaling groups
// (kubernetes/autoscaler charts/cluster-autoscaler/values.yaml), and the
// IAM policy lets it resize only groups carrying them. EKS puts both on the
// Auto Scaling groups of managed node groups; node groups should carry
// them too (values EnabledTagValue and ClusterTagValue).
const (
	EnabledTagKey   = "k8s.io/cluster-autoscaler/enabled"
	EnabledTagValue = "true"
	ClusterTagValue = "owned"
)

// ClusterTagKey is the per-cluster auto-discovery tag key.
func ClusterTagKey(cluster string) string { return "k8s.io/cluster-autoscaler/" + cluster }

// NodeGroupTags are the tags a managed node group carries so this
// cluster's autoscaler discovers and may resize it.
func NodeGroupTags(cluster string) map[string]string {
	return map[string]string{EnabledTagKey: EnabledTagValue, ClusterTagKey(cluster): ClusterTagValue}
}

// Policy is the controller's IAM policy: reads anywhere (discovery needs
// them and they cannot be scoped), writes only on Auto Scaling groups
// tagged for this cluster. From the cluster-autoscaler AWS README's
// recommended policy, narrowed by tag.
func Policy(cluster string) map[string]any {
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{
				"Sid":    "DiscoverNodeGroups",
				"Effect": "Allow",
				"Action": []string{
					"autoscaling:DescribeAutoScalingGroups",
					"autoscaling:DescribeAutoScalingInstances",
					"autoscaling:DescribeLaunchConfigurations",
					"autoscaling:DescribeScalingActivities",
					"autoscaling:DescribeTags",
					"ec2:DescribeImages",
					"ec2:DescribeInstanceTypes",
					"ec2:DescribeLaunchTemplateVersions",
					"ec2:GetInstanceTypesFromInstanceRequirements",
					"eks:DescribeNodegroup",
				},
				"Resource": "*",
			},
			{
				"Sid":    "ResizeOnlyThisClustersNodeGroups",
				"Effect": "Allow",
				"Action": []string{
					"autoscaling:SetDesiredCapacity",
					"autoscaling:TerminateInstanceInAutoScalingGroup",
				},
				"Resource": "*",
				"Condition": map[string]any{
					"StringEquals": map[string]any{
						"aws:ResourceTag/" + ClusterTagKey(cluster): ClusterTagValue,
						"aws:ResourceTag/" + EnabledTagKey:          EnabledTagValue,
					},
				},
			},
		},
	}
}

// Values are the chart values eksready sets; keys checked against
// kubernetes/autoscaler cluster-autoscaler/charts/cluster-autoscaler/values.yaml
// and its generated README (charts 9.46.6 to 9.59.0 share them).
type Values struct {
	AutoDiscovery struct {
		// ClusterName turns on tag auto-discovery; without it the chart
		// creates no Deployment at all.
		ClusterName *string `json:"clusterName"`
	} `json:"autoDiscovery"`
	AwsRegion     string `json:"awsRegion"`
	CloudProvider string `json:"cloudProvider"`
	// ExtraArgs become --key=value flags; Helm merges them with the
	// chart's defaults (logtostderr, stderrthreshold, v).
	ExtraArgs           map[string]any    `json:"extraArgs"`
	PriorityClassName   string            `json:"priorityClassName"`
	ReplicaCount        int               `json:"replicaCount"`
	PodDisruptionBudget map[string]any    `json:"podDisruptionBudget"`
	NodeSelector        map[string]string `json:"nodeSelector"`
	// Image overrides the chart's image tag when the catalog pins the
	// Kubernetes minor's release on a chart that does not ship it
	// (deployment.yaml renders image.repository:image.tag); absent, the
	// chart's own image runs.
	Image *Image `json:"image,omitempty"`
	Rbac  struct {
		ServiceAccount struct {
			Create      bool               `json:"create"`
			Name        string             `json:"name"`
			Annotations map[string]*string `json:"annotations"`
		} `json:"serviceAccount"`
	} `json:"rbac"`
}

// Image is the chart's image.tag value.
type Image struct {
	Tag string `json:"tag"`
}

// Config is what the release is built from.
type Config struct {
	// KubernetesVersion picks the chart (cluster-autoscaler matches the
	// Kubernetes minor version).
	KubernetesVersion string
	// ClusterName is the EKS cluster's name (a token from `infra`).
	ClusterName *string
	// Region is the cluster's region.
	Region string
	// Expander chooses among node groups that could grow.
	Expander string
	// IdentityMode and RoleArn give the service account its IAM role.
	IdentityMode identity.Mode
	RoleArn      *string
	// DependsOn are releases to install first.
	DependsOn []cdktf.ITerraformDependable
}

// NewValues builds the chart values for the chart the catalog pins.
func NewValues(cfg Config, chart catalog.Chart) Values {
	var v Values
	if chart.ImageTag != "" {
		v.Image = &Image{Tag: chart.ImageTag}
	}
	v.AutoDiscovery.ClusterName = cfg.ClusterName
	v.AwsRegion = cfg.Region
	v.CloudProvider = "aws"
	v.ExtraArgs = map[string]any{
		// R6: keep node groups of one shape (one per zone) the same size,
		// so zonal workloads (EBS-backed StatefulSets) find room in their zone.
		"balance-similar-node-groups": true,
		"expander":                    cfg.Expander,
		// emptyDir is scratch space; it must not pin a node forever.
		"skip-nodes-with-local-storage": false,
	}
	v.PriorityClassName = "system-cluster-critical"
	// Two replicas (one leader) and a PDB: scaling keeps working while a
	// system node is replaced.
	v.ReplicaCount = 2
	v.PodDisruptionBudget = map[string]any{"maxUnavailable": 1}
	v.NodeSelector = addons.SystemPoolSelector()
	v.Rbac.ServiceAccount.Create = true
	// The chart has no top-level serviceAccount key: it lives under rbac.
	v.Rbac.ServiceAccount.Name = ServiceAccount
	v.Rbac.ServiceAccount.Annotations = addons.ServiceAccountAnnotations(cfg.IdentityMode, cfg.RoleArn)
	return v
}

// New installs cluster-autoscaler.
func New(scope constructs.Construct, id string, cfg Config) release.Release {
	chart := addons.Pin(catalog.ClusterAutoscaler, cfg.KubernetesVersion)
	return addons.NewRelease(scope, id, addons.ReleaseConfig{
		Chart:          chart,
		Name:           "cluster-autoscaler",
		Namespace:      Namespace,
		Values:         NewValues(cfg, chart),
		TimeoutSeconds: 300,
		DependsOn:      cfg.DependsOn,
	})
}
