// Package cluster builds the EKS control plane.
package cluster

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ekscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// ClusterConfig is what the control plane is built from.
type ClusterConfig struct {
	// Name is the EKS cluster name.
	Name string
	// KubernetesVersion is the EKS minor version.
	KubernetesVersion string
	// SubnetIds are where EKS places the control plane's network interfaces.
	SubnetIds []*string
}

// Cluster is the EKS control plane and its IAM role.
type Cluster struct {
	// Resource is the aws_eks_cluster.
	Resource ekscluster.EksCluster
	// Role is the IAM role the control plane assumes.
	Role iamrole.IamRole
}

// NewCluster creates the control plane.
func NewCluster(scope constructs.Construct, id string, cfg ClusterConfig) *Cluster {
	scope = constructs.NewConstruct(scope, jsii.String(id))
	role := iamrole.NewIamRole(scope, jsii.String("role"), &iamrole.IamRoleConfig{
		NamePrefix:       jsii.String(cfg.Name + "-cluster-"),
		AssumeRolePolicy: cdktf.Fn_Jsonencode(trustPolicy("eks.amazonaws.com")),
	})
	attach := iamrolepolicyattachment.NewIamRolePolicyAttachment(scope, jsii.String("cluster-policy"), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
		Role:      role.Name(),
		PolicyArn: jsii.String("arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"),
	})
	c := ekscluster.NewEksCluster(scope, jsii.String("cluster"), &ekscluster.EksClusterConfig{
		Name:    jsii.String(cfg.Name),
		Version: jsii.String(cfg.KubernetesVersion),
		RoleArn: role.Arn(),
		VpcConfig: &ekscluster.EksClusterVpcConfig{
			SubnetIds:             &cfg.SubnetIds,
			EndpointPrivateAccess: jsii.Bool(true),
		},
		AccessConfig: &ekscluster.EksClusterAccessConfig{
			AuthenticationMode:                      jsii.String("API"),
			BootstrapClusterCreatorAdminPermissions: jsii.Bool(false),
		},
		BootstrapSelfManagedAddons: jsii.Bool(false),
		DependsOn:                  &[]cdktf.ITerraformDependable{attach},
	})
	return &Cluster{Resource: c, Role: role}
}

func trustPolicy(service string) map[string]any {
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": service},
			"Action":    []string{"sts:AssumeRole", "sts:TagSession"},
		}},
	}
}
