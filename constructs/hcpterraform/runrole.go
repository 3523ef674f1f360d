// Package hcpterraform declares what a cluster needs to run on HCP
// Terraform (or Terraform Enterprise) without anyone clicking through
// workspace settings: its two workspaces, set up so that `addons` can read
// `infra`'s state and follows its applies, and the AWS side of dynamic
// provider credentials, a run role that exactly those two workspaces can
// assume through an IAM OIDC provider for the HCP Terraform host.
//
// Sources: HCP Terraform docs, "Use dynamic credentials with the AWS
// provider" (cloud-docs/dynamic-provider-credentials/aws-configuration:
// provider URL, audience aws.workload.identity, the trust policy's
// SITE:aud and SITE:sub conditions, TFC_AWS_PROVIDER_AUTH and
// TFC_AWS_RUN_ROLE_ARN) and "Manage workspace state" (remote state access
// controls); hashicorp/tfe 0.65.2's resource docs (tfe_workspace,
// tfe_workspace_settings, tfe_run_trigger, tfe_variable).
package hcpterraform

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamopenidconnectprovider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"

	"github.com/eksready/eksready/constructs/jsonvalue"
)

// Audience is the `aud` claim of the workload identity tokens HCP
// Terraform presents to AWS (the default of
// TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE), and so the client ID the OIDC
// provider accepts and the audience the run roles require.
const Audience = "aws.workload.identity"

// NewOIDCProvider creates the IAM OIDC provider for an HCP Terraform or
// Terraform Enterprise host: the issuer of its workload identity tokens.
// No thumbprint is given: when the list is omitted IAM retrieves the top
// intermediate CA's thumbprint itself (IAM API reference,
// CreateOpenIDConnectProvider, ThumbprintList), and AWS verifies an
// identity provider's JWKS endpoint against its library of trusted root
// CAs, falling back to thumbprints only for certificates outside it (IAM
// API reference, UpdateOpenIDConnectProviderThumbprint), so a pinned
// thumbprint would only be one more thing to rotate.
func NewOIDCProvider(scope constructs.Construct, id, hostname string) iamopenidconnectprovider.IamOpenidConnectProvider {
	return iamopenidconnectprovider.NewIamOpenidConnectProvider(scope, jsii.String(id), &iamopenidconnectprovider.IamOpenidConnectProviderConfig{
		Url:          jsii.String("https://" + hostname),
		ClientIdList: jsii.Strings(Audience),
	})
}

// RunRoleConfig describes the run role of one cluster.
type RunRoleConfig struct {
	// Name is the role's exact name: its ARN is known before it exists,
	// because infra grants it cluster access as the deployer.
	Name string
	// Cluster names the cluster, for the description and tags.
	Cluster string
	// Hostname, Organization and Project locate the workspaces.
	Hostname, Organization, Project string
	// Workspaces are the names of the workspaces that may assume the role:
	// exactly the cluster's infra and addons.
	Workspaces []string
	// OIDCProviderArn is the provider for Hostname (a token when the same
	// stack creates it).
	OIDCProviderArn *string
	// PolicyArns are the managed policies attached to the role.
	PolicyArns []string
	// Tags are set on the role, next to the provider's default tags.
	Tags map[string]string
}

// RunRole is a cluster's run role and its policy attachments.
type RunRole struct {
	// Role is the IAM role.
	Role iamrole.IamRole
	// Attachments attach the managed policies.
	Attachments []iamrolepolicyattachment.IamRolePolicyAttachment
}

// workspaceNameRe and subjectPartRe are what HCP Terraform allows in the
// names that make up a subject: none holds IAM's StringLike wildcards
// (`*`, `?`) or the subject's separator `:`, so a subject matches exactly
// the workspace it names.
var (
	workspaceNameRe = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	subjectPartRe   = regexp.MustCompile(`^[A-Za-z0-9_-]+( [A-Za-z0-9_-]+)*$`)
)

// Validate reports a configuration that cannot work, before any resource
// is declared.
func (c RunRoleConfig) Validate() error {
	var problems []string
	if c.Name == "" || c.Hostname == "" || c.OIDCProviderArn == nil {
		problems = append(problems, "name, hostname and OIDC provider are required")
	}
	if !subjectPartRe.MatchString(c.Organization) || !subjectPartRe.MatchString(c.Project) {
		problems = append(problems, fmt.Sprintf("organization %q and project %q must be names without wildcards or ':'", c.Organization, c.Project))
	}
	if len(c.Workspaces) != 2 {
		problems = append(problems, fmt.Sprintf("%d workspaces; a cluster's run role trusts exactly its infra and addons", len(c.Workspaces)))
	}
	for _, w := range c.Workspaces {
		if !workspaceNameRe.MatchString(w) {
			problems = append(problems, fmt.Sprintf("workspace %q is not a workspace name", w))
		}
	}
	if len(c.PolicyArns) == 0 {
		problems = append(problems, "a run role needs a permissions policy")
	}
	if len(problems) > 0 {
		return fmt.Errorf("run role %s: %s", c.Name, strings.Join(problems, "; "))
	}
	return nil
}

// Subject is the `sub` claim of a workload identity token of a run in one
// workspace, in any run phase (plan or apply): the run role uses the same
// permissions for both.
func Subject(organization, project, workspace string) string {
	return "organization:" + organization + ":project:" + project + ":workspace:" + workspace + ":run_phase:*"
}

// TrustPolicy is the run role's assume-role policy: web identity through
// the host's OIDC provider, for tokens with HCP Terraform's AWS audience
// whose subject is one of the cluster's own workspaces. One subject per
// workspace rather than a `<cluster>-*` pattern, which would also match
// another cluster's workspaces (prod-eu-infra for prod) and break under a
// workspace name override.
func TrustPolicy(cfg RunRoleConfig) map[string]any {
	subjects := make([]string, len(cfg.Workspaces))
	for i, w := range cfg.Workspaces {
		subjects[i] = Subject(cfg.Organization, cfg.Project, w)
	}
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]any{"Federated": cfg.OIDCProviderArn},
			"Action":    "sts:AssumeRoleWithWebIdentity",
			"Condition": map[string]any{
				"StringEquals": map[string]any{cfg.Hostname + ":aud": Audience},
				"StringLike":   map[string]any{cfg.Hostname + ":sub": subjects},
			},
		}},
	}
}

// NewRunRole creates the role with its trust policy and attaches its
// managed policies.
func NewRunRole(scope constructs.Construct, id string, cfg RunRoleConfig) *RunRole {
	if err := cfg.Validate(); err != nil {
		// Reached only through a defect in eksready: the bootstrap stack
		// builds this from a validated configuration.
		panic(err)
	}
	scope = constructs.NewConstruct(scope, jsii.String(id))
	tags := map[string]*string{"eksready:cluster": jsii.String(cfg.Cluster)}
	for k, v := range cfg.Tags {
		tags[k] = jsii.String(v)
	}
	role := iamrole.NewIamRole(scope, jsii.String("role"), &iamrole.IamRoleConfig{
		Name:             jsii.String(cfg.Name),
		Description:      jsii.String(fmt.Sprintf("HCP Terraform runs of eksready cluster %s (workspaces %s)", cfg.Cluster, strings.Join(cfg.Workspaces, ", "))),
		AssumeRolePolicy: jsonvalue.String(TrustPolicy(cfg)),
		Tags:             &tags,
	})
	r := &RunRole{Role: role}
	for i, arn := range cfg.PolicyArns {
		r.Attachments = append(r.Attachments, iamrolepolicyattachment.NewIamRolePolicyAttachment(scope, jsii.String(fmt.Sprintf("policy-%d", i)), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
			Role:      role.Name(),
			PolicyArn: jsii.String(arn),
		}))
	}
	return r
}
