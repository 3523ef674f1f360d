// Package access grants IAM principals access to the cluster through EKS
// access entries: the AWS API, not the aws-auth ConfigMap, so granting
// access never needs a Kubernetes connection in the plan that creates the
// cluster (the article's aws-auth problem, R5).
//
// Every entry is keyed by a name, never by its position in a list: its
// Terraform address is built from the name, so adding or removing one
// entry changes no other. Entries that earlier releases addressed by
// position (entry-1, entry-2, ...) are moved to their names with
// Terraform `moved` blocks, so upgrading replaces no live entry.
package access

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsiamsessioncontext"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaccessentry"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaccesspolicyassociation"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/constructs/account"
)

// Grant is one principal's access.
type Grant struct {
	// Name keys the entry (its construct ID is "entry-<Name>").
	Name string
	// PrincipalArn is an IAM role or user ARN (a token is allowed).
	PrincipalArn *string
	// Type is the access entry type (STANDARD, EC2_LINUX, ...).
	Type string
	// PolicyArn is an EKS access policy ARN; empty associates none.
	PolicyArn string
	// Namespaces scopes the policy; empty means the whole cluster.
	Namespaces []string
	// KubernetesGroups are the Kubernetes groups the principal joins.
	KubernetesGroups []string
	// LegacyPosition is the entry's 1-based position in the list of
	// releases that addressed entries by position (entry-<n>); 0 when it
	// never had one. Its entry and policy association are moved from there.
	LegacyPosition int
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

// DeployerID is the construct ID of the deployer's entry; it has kept its
// address since the first release.
const DeployerID = "deployer"

// EntryID is the construct ID of a named entry.
func EntryID(name string) string { return "entry-" + name }

// legacyID is the construct ID earlier releases gave the entry at a
// 1-based position of access.entries.
func legacyID(position int) string { return fmt.Sprintf("entry-%d", position) }

// policyID is the construct ID of an entry's policy association, under
// the entry.
const policyID = "policy"

var nameRe = regexp.MustCompile(`^[a-z]([a-z0-9-]*[a-z0-9])?$`)

// Validate rejects grants that cannot be addressed: configuration
// validation has reported user mistakes, so this catches wiring defects.
func (c AccessConfig) Validate() error {
	seen := map[string]bool{}
	for _, g := range c.Grants {
		switch {
		case !nameRe.MatchString(g.Name):
			return fmt.Errorf("access: grant name %q cannot key an entry", g.Name)
		case seen[g.Name]:
			return fmt.Errorf("access: two grants named %q", g.Name)
		case g.Type == "":
			return fmt.Errorf("access: grant %q has no type", g.Name)
		}
		seen[g.Name] = true
	}
	return nil
}

// NewAccess creates an access entry and policy association per grant, and
// one for the deployer.
func NewAccess(scope constructs.Construct, id string, cfg AccessConfig) *Access {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
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
	a.add(scope, DeployerID, cfg.ClusterName, Grant{PrincipalArn: deployer, Type: "STANDARD", PolicyArn: cfg.DeployerPolicyArn})
	for _, g := range cfg.Grants {
		a.add(scope, EntryID(g.Name), cfg.ClusterName, g)
	}
	return a
}

func (a *Access) add(scope constructs.Construct, id string, cluster *string, g Grant) {
	entryCfg := &eksaccessentry.EksAccessEntryConfig{
		ClusterName:  cluster,
		PrincipalArn: g.PrincipalArn,
		Type:         jsii.String(g.Type),
	}
	if len(g.KubernetesGroups) > 0 {
		entryCfg.KubernetesGroups = jsii.Strings(g.KubernetesGroups...)
	}
	entry := eksaccessentry.NewEksAccessEntry(scope, jsii.String(id), entryCfg)
	if g.LegacyPosition > 0 {
		entry.MoveFromId(jsii.String("aws_eks_access_entry." + LegacyLogicalID(scope, legacyID(g.LegacyPosition))))
	}
	a.Entries = append(a.Entries, entry)
	if g.PolicyArn == "" {
		return
	}
	accessScope := &eksaccesspolicyassociation.EksAccessPolicyAssociationAccessScope{Type: jsii.String("cluster")}
	if len(g.Namespaces) > 0 {
		accessScope = &eksaccesspolicyassociation.EksAccessPolicyAssociationAccessScope{Type: jsii.String("namespace"), Namespaces: jsii.Strings(g.Namespaces...)}
	}
	assoc := eksaccesspolicyassociation.NewEksAccessPolicyAssociation(entry, jsii.String(policyID), &eksaccesspolicyassociation.EksAccessPolicyAssociationConfig{
		ClusterName:  cluster,
		PrincipalArn: entry.PrincipalArn(),
		PolicyArn:    jsii.String(g.PolicyArn),
		AccessScope:  accessScope,
	})
	if g.LegacyPosition > 0 {
		assoc.MoveFromId(jsii.String("aws_eks_access_policy_association." + LegacyLogicalID(scope, legacyID(g.LegacyPosition), policyID)))
	}
	a.Associations = append(a.Associations, assoc)
}

// LegacyLogicalID is the Terraform logical ID cdktf gives a construct at
// path (construct IDs below scope) inside scope's stack, computed without
// creating it, so a `moved` block can name an address that no longer
// exists. It follows cdktf 0.20's HashedAddressingScheme (makeUniqueId in
// cdktf lib/private/unique.js): the path's IDs joined by "_", consecutive
// repeats dropped, then "_" and the first 8 hex digits (upper case) of the
// MD5 of the IDs joined by "/".
func LegacyLogicalID(scope constructs.Construct, path ...string) string {
	stackPath := *cdktf.TerraformStack_Of(scope).Node().Path()
	rel := strings.TrimPrefix(strings.TrimPrefix(*scope.Node().Path(), stackPath), "/")
	var components []string
	if rel != "" {
		components = strings.Split(rel, "/")
	}
	return uniqueID(append(components, path...))
}

var disallowedIDChars = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// uniqueID is cdktf's makeUniqueId for a path of two or more components
// (one component keeps its name as is; none occurs below a stack).
func uniqueID(components []string) string {
	var kept []string
	for _, c := range components {
		if c != "Default" {
			kept = append(kept, c)
		}
	}
	if len(kept) == 1 {
		return disallowedIDChars.ReplaceAllString(kept[0], "")
	}
	sum := md5.Sum([]byte(strings.Join(kept, "/")))
	var human []string
	for _, c := range kept {
		if len(human) > 0 && strings.HasSuffix(human[len(human)-1], c) {
			continue
		}
		human = append(human, c)
	}
	var shown []string
	for _, c := range human {
		if c != "Resource" {
			shown = append(shown, disallowedIDChars.ReplaceAllString(c, ""))
		}
	}
	id := strings.Join(shown, "_")
	if len(id) > 240 {
		id = id[:240]
	}
	return id + "_" + strings.ToUpper(hex.EncodeToString(sum[:])[:8])
}
