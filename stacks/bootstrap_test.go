package stacks

import (
	"slices"
	"strings"
	"testing"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config"
)

func managedCluster(t *testing.T, yaml string) config.Cluster {
	t.Helper()
	c, err := config.Load(strings.NewReader(yaml + `
backend:
  type: cloud
  cloud:
    organization: acme
    project: platform
    manageWorkspaces: true
    dynamicCredentials:
      accountId: "111122223333"
      policyArns: [arn:aws:iam::111122223333:policy/deployer]
`))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A single cluster gets the bootstrap too, and the summary says what it
// creates and in which order everything is applied.
func TestBootstrapSummaryOfOneCluster(t *testing.T) {
	c := managedCluster(t, "name: prod\n")
	c.Backend.Cloud.AgentPool = "vpc-agents"
	repo := config.Repository{Clusters: []config.Cluster{c}}
	want := []string{
		"apply order: bootstrap first (again after adding a cluster), then infra, then addons (a run trigger queues addons after every infra apply)",
		"bootstrap state: workspace eksready-bootstrap in acme/platform on app.terraform.io; apply it with an HCP Terraform token that can manage the project's workspaces and AWS credentials of account 111122223333 that can create IAM roles",
		"OIDC provider: created for https://app.terraform.io, audience aws.workload.identity",
		"prod: workspaces prod-infra (remote) and prod-addons (agent on pool vpc-agents), Terraform " + catalog.TerraformVersion + "; prod-infra shares its state with prod-addons only; run trigger prod-infra -> prod-addons; run role arn:aws:iam::111122223333:role/prod-hcp-terraform (the deployer), policies arn:aws:iam::111122223333:policy/deployer",
	}
	if got := BootstrapSummary(repo); !slices.Equal(got, want) {
		t.Errorf("summary\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if got := StackNames(repo); !slices.Equal(got, []string{"bootstrap", "infra", "addons"}) {
		t.Errorf("stacks %v", got)
	}
	if got := RepositorySummarySections(repo); got[1].Title != "HCP Terraform bootstrap" || len(got[1].Lines) != len(want) {
		t.Errorf("summary sections %+v", got)
	}
	// Without a managing cluster: no bootstrap, no section.
	plain := config.Repository{Clusters: []config.Cluster{config.Default()}}
	if got := StackNames(plain); !slices.Equal(got, []string{"infra", "addons"}) || BootstrapSummary(plain) != nil {
		t.Errorf("unmanaged: stacks %v, summary %v", got, BootstrapSummary(plain))
	}
}

// The bootstrap refuses clusters it cannot serve together before any jsii
// call (a validated fleet never has them: config.LoadFleet reports them).
func TestPlanBootstrapRefusesClustersThatDisagree(t *testing.T) {
	a := managedCluster(t, "name: a\n")
	b := managedCluster(t, "name: b\n")
	b.Backend.Cloud.Project = "other"
	if _, err := planBootstrap([]config.Cluster{a, b}); err == nil || err.Error() != "bootstrap stack: cluster b does not share a's organization, project, bootstrap workspace, AWS account and partition" {
		t.Errorf("got %v", err)
	}
	if _, err := planBootstrap([]config.Cluster{a, config.Default()}); err == nil || !strings.Contains(err.Error(), "cluster eksready does not manage its workspaces") {
		t.Errorf("got %v", err)
	}
	if err := SynthFleet([]config.Cluster{a, b}, t.TempDir()+"/cdktf.out"); err == nil {
		t.Error("a fleet whose clusters disagree synthesized")
	}
	p, err := planBootstrap([]config.Cluster{a, b, a})
	if err == nil {
		t.Fatal("want an error")
	}
	a2 := managedCluster(t, "name: a2\nregion: eu-central-1\n")
	a2.Backend.Cloud.AgentPool = "pool-z"
	a.Backend.Cloud.AgentPool = "pool-a"
	if p, err = planBootstrap([]config.Cluster{a, a2}); err != nil || !slices.Equal(p.agentPools, []string{"pool-a", "pool-z"}) || p.region != "eu-west-1" {
		t.Errorf("plan %+v, %v", p, err)
	}
}
