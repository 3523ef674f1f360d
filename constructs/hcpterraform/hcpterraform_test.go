package hcpterraform

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/eksready/eksready/catalog"
)

func runRole() RunRoleConfig {
	return RunRoleConfig{
		Name:            "prod-hcp-terraform",
		Cluster:         "prod",
		Hostname:        "app.terraform.io",
		Organization:    "acme",
		Project:         "Platform Team",
		Workspaces:      []string{"prod-infra", "prod-addons"},
		OIDCProviderArn: jsii.String("arn:aws:iam::111122223333:oidc-provider/app.terraform.io"),
		PolicyArns:      []string{"arn:aws:iam::111122223333:policy/eksready-deployer"},
	}
}

// The trust is the documented one, narrowed to the cluster's two
// workspaces by name: audience and subjects under the host's condition
// keys, the provider as the federated principal.
func TestTrustPolicyNamesExactlyTheClustersWorkspaces(t *testing.T) {
	got, err := json.Marshal(TrustPolicy(runRole()))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Statement":[{"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"app.terraform.io:aud":"aws.workload.identity"},"StringLike":{"app.terraform.io:sub":["organization:acme:project:Platform Team:workspace:prod-infra:run_phase:*","organization:acme:project:Platform Team:workspace:prod-addons:run_phase:*"]}},"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/app.terraform.io"}}],"Version":"2012-10-17"}`
	if string(got) != want {
		t.Errorf("trust policy\n got: %s\nwant: %s", got, want)
	}
	// The only wildcard in a subject is the run phase.
	for _, ws := range runRole().Workspaces {
		if s := Subject("acme", "Platform Team", ws); strings.Count(s, "*") != 1 || !strings.HasSuffix(s, ":run_phase:*") {
			t.Errorf("subject %q", s)
		}
	}
}

func TestRunRoleValidation(t *testing.T) {
	if err := runRole().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := runRole()
	bad.Workspaces = []string{"prod-*"}
	bad.Project = "plat:form"
	bad.PolicyArns = nil
	err := bad.Validate()
	want := `run role prod-hcp-terraform: organization "acme" and project "plat:form" must be names without wildcards or ':'; 1 workspaces; a cluster's run role trusts exactly its infra and addons; workspace "prod-*" is not a workspace name; a run role needs a permissions policy`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestWorkspacesConfig(t *testing.T) {
	cfg := WorkspacesConfig{Cluster: "prod", Organization: "acme", ProjectID: jsii.String("prj-1"), Infra: "prod-infra", Addons: "prod-addons", TerraformVersion: catalog.TerraformVersion, RunRoleArn: jsii.String("arn")}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := cfg.AddonsExecutionMode(); got != ExecutionRemote {
		t.Errorf("public endpoint: addons runs %s, want remote", got)
	}
	cfg.AgentPoolID = jsii.String("apool-1")
	if got := cfg.AddonsExecutionMode(); got != ExecutionAgent {
		t.Errorf("with an agent pool: addons runs %s, want agent", got)
	}
	cfg.Addons = "prod-infra"
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "two distinct workspace names") {
		t.Errorf("one workspace for both stacks: %v", err)
	}
}
