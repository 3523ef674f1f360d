// Package identity gives Kubernetes service accounts IAM roles. It is the
// one way every eksready component (EBS CSI driver, VPC CNI,
// cluster-autoscaler, Karpenter, load balancer controller, external-dns)
// gets AWS credentials: an EKS Pod Identity association or an IRSA trust on
// the cluster's OIDC provider, chosen once per cluster.
package identity

import (
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ekspodidentityassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/constructs/jsonvalue"
)

// Mode is how service accounts assume their roles.
type Mode string

const (
	// PodIdentity uses EKS Pod Identity (the pods.eks.amazonaws.com
	// principal and an association per service account): no OIDC trust to
	// maintain, and roles are reusable across clusters.
	PodIdentity Mode = "pod-identity"
	// IRSA uses IAM roles for service accounts: a web-identity trust on
	// the cluster's OIDC provider, scoped to one namespace/service account.
	IRSA Mode = "irsa"
)

// Cluster is what every service-account role needs to know of the cluster.
type Cluster struct {
	// Name is the EKS cluster's name (a token from the cluster resource, so
	// associations wait for the cluster).
	Name *string
	// NamePrefix starts IAM role names ("<cluster>-").
	NamePrefix string
	// Mode chooses Pod Identity or IRSA.
	Mode Mode
	// OIDCProviderArn is the IAM OIDC provider's ARN (IRSA only).
	OIDCProviderArn *string
	// OIDCIssuerHost is the issuer URL without "https://" (IRSA only).
	OIDCIssuerHost *string
}

// ServiceAccountRoleConfig describes one service account's role.
type ServiceAccountRoleConfig struct {
	// Cluster is the cluster the service account lives in.
	Cluster Cluster
	// Namespace and ServiceAccount name the Kubernetes service account.
	Namespace, ServiceAccount string
	// RoleName is appended to the cluster prefix ("ebs-csi"); keep it short:
	// IAM name prefixes are limited to 38 characters.
	RoleName string
	// Policy is an inline least-privilege policy document (a Go value
	// rendered with jsonencode, so tokens inside resolve); nil for none.
	Policy any
	// ManagedPolicyArns are AWS managed policies to attach.
	ManagedPolicyArns []string
	// ManagedAddon is true when an EKS managed add-on binds the role itself
	// (its pod_identity_association or service_account_role_arn), so no
	// separate association is created here.
	ManagedAddon bool
}

// ServiceAccountRole is the IAM role and, with Pod Identity, its association.
type ServiceAccountRole struct {
	// Role is the IAM role.
	Role iamrole.IamRole
	// Association is the Pod Identity association (nil with IRSA or for
	// managed add-ons).
	Association ekspodidentityassociation.EksPodIdentityAssociation
	// Namespace and ServiceAccount echo the configuration.
	Namespace, ServiceAccount string
	// Attachments are the policy attachments, which must exist before
	// anything uses the role.
	Attachments []cdktf.ITerraformDependable
}

// Arn is the role's ARN.
func (r *ServiceAccountRole) Arn() *string { return r.Role.Arn() }

// Validate reports a configuration that cannot work, before any resource
// is declared.
func (c ServiceAccountRoleConfig) Validate() error {
	var problems []string
	if c.Namespace == "" || c.ServiceAccount == "" {
		problems = append(problems, "namespace and service account are required")
	}
	if c.RoleName == "" {
		problems = append(problems, "role name is required")
	}
	if len(c.RoleName) > maxRoleName {
		problems = append(problems, fmt.Sprintf("role name %q is longer than %d characters", c.RoleName, maxRoleName))
	}
	switch c.Cluster.Mode {
	case PodIdentity:
	case IRSA:
		if c.Cluster.OIDCProviderArn == nil || c.Cluster.OIDCIssuerHost == nil {
			problems = append(problems, "IRSA needs the cluster's OIDC provider ARN and issuer")
		}
	default:
		problems = append(problems, fmt.Sprintf("unknown identity mode %q", c.Cluster.Mode))
	}
	if c.Policy == nil && len(c.ManagedPolicyArns) == 0 {
		problems = append(problems, "a role needs a policy or a managed policy")
	}
	if len(problems) > 0 {
		return fmt.Errorf("service account role %s/%s: %s", c.Namespace, c.ServiceAccount, strings.Join(problems, "; "))
	}
	return nil
}

// NewServiceAccountRole creates the role with its trust policy and
// permissions and, with Pod Identity, the association.
func NewServiceAccountRole(scope constructs.Construct, id string, cfg ServiceAccountRoleConfig) *ServiceAccountRole {
	if err := cfg.Validate(); err != nil {
		// Reached only through a defect in eksready: callers build this
		// configuration, users never write it.
		panic(err)
	}
	scope = constructs.NewConstruct(scope, jsii.String(id))
	role := iamrole.NewIamRole(scope, jsii.String("role"), &iamrole.IamRoleConfig{
		NamePrefix:       jsii.String(RoleNamePrefix(cfg.Cluster.NamePrefix, cfg.RoleName)),
		Description:      jsii.String(fmt.Sprintf("Service account %s/%s", cfg.Namespace, cfg.ServiceAccount)),
		AssumeRolePolicy: jsonvalue.String(TrustPolicy(cfg)),
	})
	r := &ServiceAccountRole{Role: role, Namespace: cfg.Namespace, ServiceAccount: cfg.ServiceAccount}
	if cfg.Policy != nil {
		r.Attachments = append(r.Attachments, iamrolepolicy.NewIamRolePolicy(scope, jsii.String("policy"), &iamrolepolicy.IamRolePolicyConfig{
			Role:   role.Id(),
			Name:   jsii.String(cfg.RoleName),
			Policy: jsonvalue.String(cfg.Policy),
		}))
	}
	for i, arn := range cfg.ManagedPolicyArns {
		r.Attachments = append(r.Attachments, iamrolepolicyattachment.NewIamRolePolicyAttachment(scope, jsii.String(fmt.Sprintf("managed-%d", i)), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
			Role:      role.Name(),
			PolicyArn: jsii.String(arn),
		}))
	}
	if cfg.Cluster.Mode == PodIdentity && !cfg.ManagedAddon {
		r.Association = ekspodidentityassociation.NewEksPodIdentityAssociation(scope, jsii.String("association"), &ekspodidentityassociation.EksPodIdentityAssociationConfig{
			ClusterName:    cfg.Cluster.Name,
			Namespace:      jsii.String(cfg.Namespace),
			ServiceAccount: jsii.String(cfg.ServiceAccount),
			RoleArn:        role.Arn(),
		})
	}
	return r
}

// maxNamePrefix is the longest name_prefix IAM accepts for a role (64
// characters less the 26 Terraform appends).
const maxNamePrefix = 38

// maxRoleName keeps room for at least ten characters of the cluster name.
const maxRoleName = 26

// RoleNamePrefix joins a cluster prefix ("prod-eu-") and a role name into
// an IAM name_prefix, shortening the cluster part when the whole would
// exceed IAM's limit: the role part says what the role is for, and the
// cluster is on every role's tags anyway.
func RoleNamePrefix(clusterPrefix, role string) string {
	room := maxNamePrefix - len(role) - 1
	if len(clusterPrefix) > room {
		clusterPrefix = strings.TrimRight(clusterPrefix[:room-1], "-") + "-"
	}
	return clusterPrefix + role + "-"
}

// ServiceTrustPolicy is the assume-role policy of a role an AWS service
// assumes (EKS for the cluster, EC2 for nodes). principal is the service
// principal, a string or a token.
func ServiceTrustPolicy(principal any, actions ...string) map[string]any {
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": principal},
			"Action":    actions,
		}},
	}
}

// TrustPolicy is the role's assume-role policy: the Pod Identity service
// principal, or the cluster's OIDC provider limited to exactly this
// namespace/service account and the STS audience.
func TrustPolicy(cfg ServiceAccountRoleConfig) map[string]any {
	if cfg.Cluster.Mode == PodIdentity {
		return ServiceTrustPolicy("pods.eks.amazonaws.com", "sts:AssumeRole", "sts:TagSession")
	}
	issuer := *cfg.Cluster.OIDCIssuerHost
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]any{"Federated": cfg.Cluster.OIDCProviderArn},
			"Action":    "sts:AssumeRoleWithWebIdentity",
			"Condition": map[string]any{
				"StringEquals": map[string]any{
					issuer + ":sub": fmt.Sprintf("system:serviceaccount:%s:%s", cfg.Namespace, cfg.ServiceAccount),
					issuer + ":aud": "sts.amazonaws.com",
				},
			},
		}},
	}
}
