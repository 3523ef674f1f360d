// Package access grants IAM principals access to the cluster through EKS
// access entries: the AWS API, not the aws-auth ConfigMap, so granting
// access never needs a Kubernetes connection in the plan that creates the
// cluster (the article's aws-auth problem, R5).
package access

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsiamsessioncontext"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaccessentry"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaccesspolicyassociation"

	"github.com/eksready/eksready/constructs/account"
)

// Grant is one principal's access.
type Grant struct {
	// PrincipalArn is an IAM role or user ARN (a token is allowed).
	PrincipalArn *string
	// PolicyArn is an EKS access policy ARN.
	PolicyArn string
	// Namespaces scopes the policy; empty means the whole cluster.
	Namespaces []string
}

// AccessConfig lists the grants for one cluster.
type AccessConfig struct {
	// Account resolves the deployer when DeployerRoleArn is empty.
	Account *account.Account
	// ClusterName is the cluster (a token, so entries wait for it).
	ClusterName *string
	// DeployerRoleArn is the role that runs eksready's deploys; empty
	// means the identity running Terraform.
	DeployerRoleArn string
	// DeployerPolicyArn is the policy the deployer gets (cluster admin).
	DeployerPolicyArn string
	// Grants are further principals.
	Grants []Grant
}

// Access is the set of entries created.
type Access struct {
	// DeployerArn is the deployer principal's ARN (resolved at plan time
	// when not configured).
	DeployerArn *string
	// Entries are the access entries, deployer first.
	Entries []eksaccessentry.EksAccessEntry
	// Associations are the policy associations; the addons stack can only
	// work once the deployer's exists.
	Associations []eksaccesspolicyassociation.EksAccessPolicyAssociation
}

// NewAccess creates an access entry and policy association per grant, and
// one for the deployer.
func NewAccess(scope constructs.Construct, id string, cfg AccessConfig) *Access {
	scope = constructs.NewConstruct(scope, jsii.String(id))
	a := &Access{}
	deployer := jsii.String(cfg.DeployerRoleArn)
	if cfg.DeployerRoleArn == "" {
		// The caller's ARN is an STS assumed-role ARN; the session context
		// gives the IAM role behind it, which is what an access entry needs.
		session := dataawsiamsessioncontext.NewDataAwsIamSessionContext(scope, jsii.String("deployer-session"), &dataawsiamsessioncontext.DataAwsIamSessionContextConfig{
			Arn: cfg.Account.Caller.Arn(),
		})
		deployer = session.IssuerArn()
	}
	a.DeployerArn = deployer
	grants := append([]Grant{{PrincipalArn: deployer, PolicyArn: cfg.DeployerPolicyArn}}, cfg.Grants...)
	for i, g := range grants {
		name := fmt.Sprintf("entry-%d", i)
		if i == 0 {
			name = "deployer"
		}
		entry := eksaccessentry.NewEksAccessEntry(scope, jsii.String(name), &eksaccessentry.EksAccessEntryConfig{
			ClusterName:  cfg.ClusterName,
			PrincipalArn: g.PrincipalArn,
			Type:         jsii.String("STANDARD"),
		})
		scope := &eksaccesspolicyassociation.EksAccessPolicyAssociationAccessScope{Type: jsii.String("cluster")}
		if len(g.Namespaces) > 0 {
			scope = &eksaccesspolicyassociation.EksAccessPolicyAssociationAccessScope{Type: jsii.String("namespace"), Namespaces: jsii.Strings(g.Namespaces...)}
		}
		assoc := eksaccesspolicyassociation.NewEksAccessPolicyAssociation(entry, jsii.String("policy"), &eksaccesspolicyassociation.EksAccessPolicyAssociationConfig{
			ClusterName:  cfg.ClusterName,
			PrincipalArn: entry.PrincipalArn(),
			PolicyArn:    jsii.String(g.PolicyArn),
			AccessScope:  scope,
		})
		a.Entries = append(a.Entries, entry)
		a.Associations = append(a.Associations, assoc)
	}
	return a
}
