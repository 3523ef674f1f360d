// Package config is eksready's cluster configuration model and owns what a
// user may write: one typed tree for a cluster (and the fleet files that
// hold several), its defaults (defaults.go, the only place they are set),
// strict YAML loading (load.go, fleet.go) and validation that reports
// every problem at once (validate.go), including the IP capacity plan
// (package ipcapacity). It also answers what the stacks and the report
// derive from a configuration (max pods, the device plugins, the node
// taints, a region's partition), so each rule lives in one place.
//
// It may import only catalog and its own subpackages. It never touches
// jsii, cdktf or a construct, so a bad configuration is rejected before
// any construct exists, and it never reads the synthesized output.
package config

// Cluster is the whole configuration of one EKS platform. Everything
// eksready synthesizes into the `infra` and `addons` stacks derives from it.
type Cluster struct {
	// Name of the EKS cluster; also prefixes every AWS resource name.
	// Lowercase letters, digits and hyphens, starting with a letter, at most
	// 32 characters (so derived IAM and KMS names stay within AWS limits).
	// Default: "eksready".
	Name string `yaml:"name"`

	// Region is the AWS region everything in `infra` is created in.
	// Default: "eu-west-1".
	Region string `yaml:"region"`

	// KubernetesVersion is the EKS minor version ("1.33"): one that EKS
	// still supports on the review date of eksready's version catalog
	// (catalog/). Default: the newest release in EKS standard support the
	// catalog records.
	KubernetesVersion string `yaml:"kubernetesVersion"`

	// Tags are added to every AWS resource through the provider's
	// default_tags, next to `eksready:cluster` and `managed-by`.
	// Default: none.
	Tags map[string]string `yaml:"tags"`

	// Network is the VPC the cluster runs in.
	Network Network `yaml:"network"`

	// ControlPlane configures the EKS control plane: endpoint exposure,
	// logging, encryption and upgrade policy.
	ControlPlane ControlPlane `yaml:"controlPlane"`

	// Access lists who may use the cluster, as EKS access entries (never the
	// aws-auth ConfigMap).
	Access Access `yaml:"access"`

	// WorkloadIdentity chooses how in-cluster software gets AWS credentials:
	// "pod-identity" (EKS Pod Identity associations) or "irsa" (IAM roles
	// for service accounts through the cluster's OIDC provider).
	// Default: "pod-identity".
	WorkloadIdentity string `yaml:"workloadIdentity"`

	// Compute chooses the data plane: managed node groups (the default) or
	// EKS Auto Mode.
	Compute Compute `yaml:"compute"`

	// Nodes are the managed node pools, keyed by pool name. Each pool
	// becomes one managed node group per availability zone. A `system` pool
	// is always present unless overridden; pools given in YAML are added
	// to it. Sizes are per availability zone. Managed node groups only:
	// with compute.mode auto-mode, nodes must be left out.
	Nodes map[string]NodePool `yaml:"nodes"`

	// Inspector enables Amazon Inspector vulnerability scanning for the
	// account (EC2 instances and ECR images).
	Inspector Inspector `yaml:"inspector"`

	// VolumeEncryption configures the KMS key for EBS volumes.
	VolumeEncryption VolumeEncryption `yaml:"volumeEncryption"`

	// ManagedAddons configures the EKS managed add-ons (VPC CNI, kube-proxy,
	// CoreDNS, EBS CSI driver, Pod Identity agent).
	ManagedAddons ManagedAddons `yaml:"managedAddons"`

	// Software is the in-cluster software installed by the `addons` stack
	// through Helm.
	Software Software `yaml:"software"`

	// Observability is Container Insights (metrics and logs) and,
	// optionally, Amazon Managed Service for Prometheus.
	Observability Observability `yaml:"observability"`

	// RuntimeMonitoring installs GuardDuty's runtime security agent.
	RuntimeMonitoring RuntimeMonitoring `yaml:"runtimeMonitoring"`

	// SecretsStore installs the Secrets Store CSI driver with the AWS
	// provider (EKS add-on aws-secrets-store-csi-driver-provider), so pods
	// mount Secrets Manager secrets and Parameter Store parameters with
	// their own Pod Identity or IRSA role. Default: disabled.
	SecretsStore Toggle `yaml:"secretsStore"`

	// Readiness configures the production-readiness report.
	Readiness Readiness `yaml:"readiness"`

	// Backend is where Terraform keeps the state of both stacks.
	Backend Backend `yaml:"backend"`

	// DeletionProtection marks what cannot be replaced without losing the
	// cluster or its data (the EKS cluster, the VPC eksready creates and
	// every KMS key) with Terraform's `lifecycle.prevent_destroy`, so a
	// plan that would delete or replace one fails instead of applying.
	// AWS provider 5.x has no EKS deletion protection of its own. To tear
	// down: set false, deploy, then destroy. Default: true.
	DeletionProtection *bool `yaml:"deletionProtection"`
}

// Protected reports whether DeletionProtection is on.
func (c Cluster) Protected() bool { return c.DeletionProtection == nil || *c.DeletionProtection }
