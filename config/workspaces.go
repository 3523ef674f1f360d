package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/eksready/eksready/catalog"
)

// HCP Terraform workspace management (backend.cloud.manageWorkspaces): the
// settings of the `bootstrap` stack, their defaults and their rules. One
// bootstrap serves every managing cluster of a repository, so besides the
// per-cluster rules the clusters of a fleet must agree on what the stack
// itself is (one organization, project and AWS account: checkBootstrap).

// DynamicCredentials are the AWS side of HCP Terraform's dynamic provider
// credentials for one cluster: a run role in AccountID that only this
// cluster's two workspaces can assume (through an IAM OIDC provider for
// the backend's hostname), with the permissions PolicyArns grant.
type DynamicCredentials struct {
	// AccountID is the 12-digit AWS account the cluster, the run role and
	// the OIDC provider are in; one bootstrap covers one account. Required.
	AccountID string `yaml:"accountId"`

	// RoleName names the cluster's run role (its ARN, derived from it and
	// AccountID, is access.deployerRoleArn). IAM role names are unique in
	// an account. When left out it is "<cluster name>-hcp-terraform".
	RoleName string `yaml:"roleName"`

	// PolicyArns are the IAM managed policies attached to the run role:
	// everything infra and addons do in AWS (create the VPC, the cluster,
	// IAM roles, KMS keys...). AWS managed policies or the account's own.
	// Required: at least one, at most 20 (IAM's limit; above the default
	// quota of 10 the synth summary warns). Default: none.
	PolicyArns []string `yaml:"policyArns"`

	// OIDCProviderArn names an IAM OIDC provider for the backend's hostname
	// that already exists in the account (an account holds one provider per
	// URL), instead of the bootstrap creating it. Its audiences must
	// include aws.workload.identity. Default: "" (the bootstrap creates it).
	OIDCProviderArn string `yaml:"oidcProviderArn"`
}

// IAM limits on the run role's managed policies: the hard limit of
// managed policies attached to one role, and the default quota (IAM and
// AWS STS quotas, "Managed policies attached to an IAM role").
const (
	maxRunRolePolicies     = 20
	defaultRunRolePolicies = 10
)

// ManagesWorkspaces reports whether the cluster's workspaces are created
// by the bootstrap stack.
func (b Backend) ManagesWorkspaces() bool {
	return b.Type == BackendCloud && b.Cloud != nil && b.Cloud.ManageWorkspaces
}

// BootstrapClusters returns the clusters whose workspaces the bootstrap
// stack creates, in the order given; none means no bootstrap stack.
func BootstrapClusters(clusters []Cluster) []Cluster {
	var out []Cluster
	for _, c := range clusters {
		if c.Backend.ManagesWorkspaces() {
			out = append(out, c)
		}
	}
	return out
}

// RunRoleArn is the ARN of the cluster's HCP Terraform run role, known at
// synth time from the account, the role name and the region's partition,
// so that infra can grant it cluster access as the deployer before the
// role exists; "" when the cluster does not manage its workspaces or the
// values it is derived from are invalid (validation says which).
func RunRoleArn(c Cluster) string {
	if !c.Backend.ManagesWorkspaces() {
		return ""
	}
	d := c.Backend.Cloud.DynamicCredentials
	partition := PartitionOf(c.Region)
	if d == nil || partition == "" || !accountIDRe.MatchString(d.AccountID) || !roleNameRe.MatchString(d.RoleName) {
		return ""
	}
	return "arn:" + partition + ":iam::" + d.AccountID + ":role/" + d.RoleName
}

var (
	accountIDRe = regexp.MustCompile(`^[0-9]{12}$`)
	// IAM role names: 1-64 of letters, digits and + = , . @ _ -.
	roleNameRe = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	// An IAM managed policy ARN: AWS managed (account "aws") or an account's own.
	policyArnRe = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:iam::(aws|[0-9]{12}):policy/([\w+=,.@-]+/)*[\w+=,.@-]{1,128}$`)
	// An IAM OIDC provider ARN: the provider's URL without https://.
	oidcProviderArnRe = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:iam::([0-9]{12}):oidc-provider/(.+)$`)
	exactVersionRe    = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)
)

// validateWorkspaceManagement checks the workspace management settings of
// one cluster, once defaults are applied.
func validateWorkspaceManagement(c Cluster, v *collector) {
	b := c.Backend
	if b.Type != BackendCloud || b.Cloud == nil {
		return // another backend's block is refused as a whole
	}
	cl := b.Cloud
	if !cl.ManageWorkspaces {
		// Defaults are only filled for managing clusters: a value here is
		// one the file wrote, and would do nothing.
		for _, s := range []struct {
			path string
			set  bool
		}{
			{"backend.cloud.bootstrapWorkspace", cl.BootstrapWorkspace != ""},
			{"backend.cloud.terraformVersion", cl.TerraformVersion != ""},
			{"backend.cloud.agentPool", cl.AgentPool != ""},
			{"backend.cloud.dynamicCredentials", cl.DynamicCredentials != nil},
		} {
			if s.set {
				v.missing(s.path, "is only used with backend.cloud.manageWorkspaces: true (the bootstrap stack); set it, or remove this setting")
			}
		}
		return
	}
	const why = "when backend.cloud.manageWorkspaces is true"
	if cl.Project == "" {
		v.missing("backend.cloud.project", "is required %s: the run role trusts each workspace by its project (organization:<org>:project:<project>:workspace:<name>), and the bootstrap creates the workspaces there", why)
	}
	if strings.Contains(cl.Hostname, ":") && hostnameRe.MatchString(cl.Hostname) {
		v.add("backend.cloud.hostname", cl.Hostname, "has a port, which an IAM OIDC provider's URL cannot have: dynamic credentials need HCP Terraform or Terraform Enterprise on the standard HTTPS port")
	}
	switch {
	case !tfcNameRe.MatchString(cl.BootstrapWorkspace):
		v.add("backend.cloud.bootstrapWorkspace", cl.BootstrapWorkspace, "is not a workspace name (letters, digits, '-' and '_')")
	case cl.BootstrapWorkspace == cl.Workspaces.Infra || cl.BootstrapWorkspace == cl.Workspaces.Addons:
		v.add("backend.cloud.bootstrapWorkspace", cl.BootstrapWorkspace, "is also one of the cluster's workspaces; the bootstrap stack needs a state of its own")
	}
	if !exactVersionRe.MatchString(cl.TerraformVersion) {
		v.add("backend.cloud.terraformVersion", cl.TerraformVersion, "is not an exact Terraform release (like %s): a workspace whose version floats runs an unchanged configuration with another Terraform", catalog.TerraformVersion)
	}
	if ep := c.ControlPlane.Endpoint; ep.PublicAccess != nil && !*ep.PublicAccess && cl.AgentPool == "" {
		v.missing("backend.cloud.agentPool", "is required %s and controlPlane.endpoint.publicAccess is false: addons must reach the private API endpoint, which HCP Terraform's own runners cannot; name an agent pool whose agents run where the endpoint is reachable", why)
	}
	if cl.AgentPool != "" && strings.TrimSpace(cl.AgentPool) != cl.AgentPool {
		v.add("backend.cloud.agentPool", cl.AgentPool, "has leading or trailing spaces")
	}
	d := cl.DynamicCredentials
	if d == nil {
		v.missing("backend.cloud.dynamicCredentials", "is required %s: accountId and policyArns give the run role its account and permissions", why)
		return
	}
	validateDynamicCredentials(c, *d, v)
}

func validateDynamicCredentials(c Cluster, d DynamicCredentials, v *collector) {
	const p = "backend.cloud.dynamicCredentials."
	switch {
	case d.AccountID == "":
		v.missing(p+"accountId", "is required when backend.cloud.manageWorkspaces is true: the account of the run role, whose ARN becomes access.deployerRoleArn")
	case !accountIDRe.MatchString(d.AccountID):
		v.add(p+"accountId", d.AccountID, "is not an AWS account ID (12 digits)")
	}
	if !roleNameRe.MatchString(d.RoleName) {
		v.add(p+"roleName", d.RoleName, "is not an IAM role name (1-64 letters, digits and + = , . @ _ -)")
	}
	switch n := len(d.PolicyArns); {
	case n == 0:
		v.missing(p+"policyArns", "is required when backend.cloud.manageWorkspaces is true: without a permissions policy the run role can do nothing, and infra fails at its first resource")
	case n > maxRunRolePolicies:
		v.missing(p+"policyArns", "lists %d policies; IAM attaches at most %d managed policies to a role", n, maxRunRolePolicies)
	}
	for i, arn := range d.PolicyArns {
		path := fmt.Sprintf("%spolicyArns[%d]", p, i)
		m := policyArnRe.FindStringSubmatch(arn)
		switch {
		case m == nil:
			v.add(path, arn, "is not an IAM managed policy ARN (arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<name>)")
		case slices.Index(d.PolicyArns, arn) != i:
			v.add(path, arn, "is listed twice")
		case m[2] != "aws" && accountIDRe.MatchString(d.AccountID) && m[2] != d.AccountID:
			v.add(path, arn, "is a policy of account %s; a role can attach only AWS managed policies and those of its own account (%s)", m[2], d.AccountID)
		default:
			checkArnPartition(path, arn, c.Region, v)
		}
	}
	if d.OIDCProviderArn != "" {
		path := p + "oidcProviderArn"
		m := oidcProviderArnRe.FindStringSubmatch(d.OIDCProviderArn)
		switch {
		case m == nil:
			v.add(path, d.OIDCProviderArn, "is not an IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/<host>)")
		case m[3] != c.Backend.Cloud.Hostname:
			v.add(path, d.OIDCProviderArn, "is a provider for %s, not for backend.cloud.hostname %s", m[3], c.Backend.Cloud.Hostname)
		case accountIDRe.MatchString(d.AccountID) && m[2] != d.AccountID:
			v.add(path, d.OIDCProviderArn, "is in account %s, not in dynamicCredentials.accountId %s, where the run role trusts it", m[2], d.AccountID)
		default:
			checkArnPartition(path, d.OIDCProviderArn, c.Region, v)
		}
	}
	if want := RunRoleArn(c); want != "" && c.Access.DeployerRoleArn != want {
		v.add("access.deployerRoleArn", c.Access.DeployerRoleArn, "is not the cluster's HCP Terraform run role (%s), which applies both stacks when backend.cloud.manageWorkspaces is true and must hold the cluster-admin entry; remove it (it defaults to the run role)", want)
	}
}

// workspaceWarnings are valid workspace management choices that may fail
// at apply time.
func workspaceWarnings(c Cluster, w *collector) {
	if !c.Backend.ManagesWorkspaces() || c.Backend.Cloud.DynamicCredentials == nil {
		return
	}
	if n := len(c.Backend.Cloud.DynamicCredentials.PolicyArns); n > defaultRunRolePolicies && n <= maxRunRolePolicies {
		w.missing("backend.cloud.dynamicCredentials.policyArns", "lists %d policies, above the %d managed policies per role IAM allows by default: raise the account's quota before applying the bootstrap", n, defaultRunRolePolicies)
	}
}

// bootstrapShared are the settings every cluster of one bootstrap stack
// must agree on: they configure the stack itself (its providers, its state,
// the one OIDC provider), not a cluster.
var bootstrapShared = []struct {
	path  string
	value func(CloudBackend) string
}{
	{"backend.cloud.hostname", func(c CloudBackend) string { return c.Hostname }},
	{"backend.cloud.organization", func(c CloudBackend) string { return c.Organization }},
	{"backend.cloud.project", func(c CloudBackend) string { return c.Project }},
	{"backend.cloud.bootstrapWorkspace", func(c CloudBackend) string { return c.BootstrapWorkspace }},
	{"backend.cloud.dynamicCredentials.accountId", func(c CloudBackend) string { return c.DynamicCredentials.AccountID }},
	{"backend.cloud.dynamicCredentials.oidcProviderArn", func(c CloudBackend) string { return c.DynamicCredentials.OIDCProviderArn }},
}

// checkBootstrap finds what no single file of a fleet shows about the
// bootstrap stack: managing clusters that disagree on the stack's shared
// settings, two run roles with one name in one account, and a bootstrap
// workspace that is also a cluster's.
func (l *fleetLoader) checkBootstrap(repo Repository) {
	var first, firstFile string
	var firstCloud CloudBackend
	roleOwner := map[string]string{}
	for i, c := range repo.Clusters {
		if !c.Backend.ManagesWorkspaces() || c.Backend.Cloud.DynamicCredentials == nil {
			continue
		}
		file, cl := repo.Files[i], *c.Backend.Cloud
		if first == "" {
			first, firstFile, firstCloud = c.Name, file, cl
		} else {
			for _, s := range bootstrapShared {
				if got, want := s.value(cl), s.value(firstCloud); got != want {
					l.add(file, Problem{Path: s.path, Value: got, Rule: fmt.Sprintf("differs from cluster %s (%s), which has %q: one bootstrap stack serves one organization, project and AWS account; keep clusters that differ in a fleet of their own", first, firstFile, want)})
				}
			}
		}
		role := cl.DynamicCredentials.RoleName
		if owner, dup := roleOwner[role]; dup {
			l.add(file, Problem{Path: "backend.cloud.dynamicCredentials.roleName", Value: role, Rule: "is also the run role of " + owner + "; IAM role names are unique in an account"})
		} else {
			roleOwner[role] = fmt.Sprintf("cluster %s (%s)", c.Name, file)
		}
	}
	if first == "" {
		return
	}
	bootstrap := firstCloud.Hostname + "/" + firstCloud.Organization + "/" + firstCloud.BootstrapWorkspace
	for i, c := range repo.Clusters {
		for _, kind := range StackKinds {
			if c.Backend.StateLocation(kind) == bootstrap {
				l.add(firstFile, Problem{Path: "backend.cloud.bootstrapWorkspace", Value: firstCloud.BootstrapWorkspace, Rule: fmt.Sprintf("is also the %s workspace of cluster %s (%s); the bootstrap stack needs a state of its own", kind, c.Name, repo.Files[i])})
			}
		}
	}
}
