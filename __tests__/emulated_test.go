package apptest

// Change safety, proven against an emulated AWS (moto, see emulator_test.go)
// with the real AWS provider: every fixture applies, re-plans empty and
// destroys to nothing; the default configuration upgrades one Kubernetes
// minor in place; blue/green generations touch only their own node groups;
// the plan of each configuration change users make is recorded (update in
// place or replace, and what); and deletion protection stops a plan that
// would replace the cluster.

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/stacks"
)

// The Kubernetes versions the upgrade rehearsal walks: the supported
// minors, oldest first, and the default, from the version catalog.
var (
	kubernetesVersions       = catalog.SupportedKubernetes()
	defaultKubernetesVersion = catalog.DefaultKubernetes
)

// previousKubernetesVersion is the supported minor just before the default.
func previousKubernetesVersion(t *testing.T) string {
	t.Helper()
	i := slices.Index(kubernetesVersions, defaultKubernetesVersion)
	switch {
	case i < 0:
		t.Fatalf("the default %s is not in the supported versions %v", defaultKubernetesVersion, kubernetesVersions)
	case i == 0:
		t.Fatalf("the default %s is the oldest supported version: nothing to upgrade from", defaultKubernetesVersion)
	}
	return kubernetesVersions[i-1]
}

// emulatedFixtures are applied, re-planned and destroyed in the emulator.
var emulatedFixtures = []string{defaultFixture, "karpenter", "network-ipv6", "everything-on", "baseline-everything"}

var (
	variantMu  sync.Mutex
	variantDir string
)

// synthVariant synthesizes a configuration (YAML laid over the base file,
// if any) into its own folder and returns the infra stack's path. Synths
// run one at a time in the test binary's one jsii runtime.
func synthVariant(t *testing.T, name, baseFile, yamlText string) string {
	t.Helper()
	synthAll(t)
	variantMu.Lock()
	defer variantMu.Unlock()
	if variantDir == "" {
		dir, err := os.MkdirTemp("", "eksready-variants-")
		if err != nil {
			t.Fatal(err)
		}
		variantDir = dir
		cleanupDirs = append(cleanupDirs, dir)
	}
	text := ""
	if baseFile != "" {
		raw, err := os.ReadFile(baseFile)
		if err != nil {
			t.Fatal(err)
		}
		text = string(raw) + "\n"
	}
	cfg, err := config.Load(strings.NewReader(text + yamlText))
	if err != nil {
		t.Fatalf("variant %s: %v", name, err)
	}
	out := filepath.Join(variantDir, name, "cdktf.out")
	if err := stacks.Synth(cfg, out); err != nil {
		t.Fatalf("variant %s: %v", name, err)
	}
	return filepath.Join(out, "stacks", config.StackInfra, "cdk.tf.json")
}

// fixtureFile is the fixture's YAML ("" for the built-in default).
func fixtureFile(name string) string {
	if name == defaultFixture {
		return ""
	}
	return filepath.Join("fixtures", name+".yaml")
}

const unprotected = "deletionProtection: false\n"

// TestEmulatedApplyPlanDestroy applies each fixture's infra stack (with
// deletion protection, as a user would) to the emulator, requires the
// next plan to be empty (a perpetual diff fails, naming the attribute),
// then follows the documented teardown: switch protection off, deploy
// (nothing changes), destroy; the emulator must hold nothing more than
// before.
func TestEmulatedApplyPlanDestroy(t *testing.T) {
	type paths struct{ protected, unprotected string }
	all := map[string]paths{}
	for _, name := range emulatedFixtures {
		all[name] = paths{
			protected:   fixtureNamed(t, name).StackPath(config.StackInfra),
			unprotected: synthVariant(t, name+"-unprotected", fixtureFile(name), unprotected),
		}
	}
	t.Log(emulatorGapsReport())
	t.Parallel()
	for _, name := range emulatedFixtures {
		p := all[name]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := startEmulator(t, p.protected)
			region := stackRegion(t, p.protected)
			before := e.inventory(t, region)
			s := newEmulatedStack(t, e, p.protected)

			start := time.Now()
			s.terraform(t, "apply", "-auto-approve")
			applied := time.Since(start)
			created := s.StateCount(t)

			start = time.Now()
			changes := s.Plan(t)
			planned := time.Since(start)
			for _, c := range changes {
				t.Errorf("plan after apply is not empty: %s", c)
			}

			s.Resynth(t, e, p.unprotected)
			for _, c := range s.Plan(t, "-refresh=false") {
				t.Errorf("switching deletion protection off changes a resource: %s", c)
			}
			start = time.Now()
			s.terraform(t, "destroy", "-auto-approve")
			destroyed := time.Since(start)
			if n := s.StateCount(t); n != 0 {
				t.Errorf("destroy left %d resources in the state", n)
			}
			left := leftBehind(before, e.inventory(t, region))
			for _, l := range left {
				t.Errorf("destroy left this behind in the emulator: %s", l)
			}
			t.Logf("%s: %d of %d resources created in the emulator (left out: %s); plan after apply: %d changes; destroy: %s, %d left; apply %s, plan %s, destroy %s",
				name, created, s.Total, strings.Join(s.LeftOut, ", "), len(changes), map[bool]string{true: "ok", false: "FAILED"}[len(left) == 0],
				len(left), applied.Round(time.Second), planned.Round(time.Second), destroyed.Round(time.Second))
		})
	}
}

// planSummary is a plan's changes as sorted "action type ×n" entries.
func planSummary(changes []resourceChange) []string {
	count := map[string]int{}
	for _, c := range changes {
		count[c.Action()+" "+c.Type]++
	}
	var out []string
	for k, n := range count {
		out = append(out, fmt.Sprintf("%s ×%d", k, n))
	}
	sort.Strings(out)
	return out
}

// TestUpgradeRehearsalAndBlueGreen applies the default configuration at
// the previous Kubernetes minor, then plans the current one against that
// state: the cluster and its node groups must update in place, nothing may
// be replaced or deleted. Add-ons are not in moto, so their part is shown
// on the synthesized configuration: only the Kubernetes version their
// version lookup asks for changes, and addon_version updates in place
// (Optional+Computed, not ForceNew, in the AWS provider's aws_eks_addon).
// Then blue/green: adding generation 2 creates only its node groups and
// launch template; removing generation 1 deletes only its own.
func TestUpgradeRehearsalAndBlueGreen(t *testing.T) {
	prev, cur := previousKubernetesVersion(t), defaultKubernetesVersion
	atPrev := fmt.Sprintf("kubernetesVersion: %q\n", prev)
	prevPath := synthVariant(t, "upgrade-from", "", atPrev)
	curPath := fixtureNamed(t, defaultFixture).StackPath(config.StackInfra)
	bothGens := synthVariant(t, "bluegreen-both", "", atPrev+"nodes: {system: {generations: [\"1\", \"2\"]}}\n")
	newGen := synthVariant(t, "bluegreen-new", "", atPrev+"nodes: {system: {generations: [\"2\"]}}\n")
	teardown := synthVariant(t, "bluegreen-teardown", "", atPrev+"nodes: {system: {generations: [\"2\"]}}\n"+unprotected)

	t.Parallel()
	assertAddonsOnlyChangeVersion(t, prevPath, curPath, prev, cur)

	e := startEmulator(t, prevPath, curPath)
	s := newEmulatedStack(t, e, prevPath)
	s.terraform(t, "apply", "-auto-approve")

	s.Resynth(t, e, curPath)
	changes := s.Plan(t)
	t.Logf("upgrade %s → %s plan: %s", prev, cur, strings.Join(planSummary(changes), ", "))
	for _, c := range changes {
		t.Logf("  %s", c)
		if c.Action() != "update" {
			t.Errorf("the upgrade must update in place, but the plan has: %s", c)
		}
	}
	for _, want := range []string{"update aws_eks_cluster ×1", "update aws_eks_node_group ×3"} {
		if !slices.Contains(planSummary(changes), want) {
			t.Errorf("the upgrade plan lacks %q: %v", want, planSummary(changes))
		}
	}

	s.Resynth(t, e, bothGens)
	assertGenerationPlan(t, s, "add generation 2", "create", "-g2-")
	s.terraform(t, "apply", "-auto-approve")
	s.Resynth(t, e, newGen)
	assertGenerationPlan(t, s, "remove generation 1", "delete", "-g1-")

	s.Resynth(t, e, teardown)
	s.terraform(t, "destroy", "-auto-approve")
}

// assertGenerationPlan requires the plan to do exactly one thing (create
// or delete) to one generation's three node groups and launch template.
func assertGenerationPlan(t *testing.T, s *emulatedStack, step, action, generation string) {
	t.Helper()
	changes := s.Plan(t)
	got := strings.Join(planSummary(changes), ", ")
	t.Logf("blue/green, %s: %s", step, got)
	for _, c := range changes {
		if c.Action() != action || !strings.Contains(c.Address, generation) {
			t.Errorf("%s must only %s that generation's node groups and launch template: %s", step, action, c)
		}
	}
	if want := fmt.Sprintf("%[1]s aws_eks_node_group ×3, %[1]s aws_launch_template ×1", action); got != want {
		t.Errorf("%s plans %s, want %s", step, got, want)
	}
}

// assertAddonsOnlyChangeVersion compares the managed add-ons of two synths
// at two Kubernetes versions: the add-on resources must be identical and
// their version lookups differ only in kubernetes_version.
func assertAddonsOnlyChangeVersion(t *testing.T, prevPath, curPath, prev, cur string) {
	t.Helper()
	a, b := readJSON(t, prevPath), readJSON(t, curPath)
	for _, block := range [][]string{{"resource", "aws_eks_addon"}, {"data", "aws_eks_addon_version"}} {
		pa, _ := get(a, block...).(map[string]any)
		pb, _ := get(b, block...).(map[string]any)
		if len(pa) == 0 || len(pa) != len(pb) {
			t.Errorf("%s: %d at %s, %d at %s", block[1], len(pa), prev, len(pb), cur)
		}
		for name, ra := range pa {
			rb, ok := pb[name].(map[string]any)
			if !ok {
				t.Errorf("%s.%s exists at %s only", block[1], name, prev)
				continue
			}
			for _, attr := range changedPaths(ra, rb, nil, "") {
				if attr != "kubernetes_version" {
					t.Errorf("%s.%s changes %s on upgrade", block[1], name, attr)
				}
			}
		}
	}
	t.Logf("add-ons %s → %s: every aws_eks_addon unchanged but addon_version, resolved from aws_eks_addon_version at the new kubernetes_version (updated in place)", prev, cur)
}

// configChange is a change users make to cluster.yaml and what the plan
// does with it against the default configuration's applied state.
type configChange struct {
	Name, YAML string
	// Plan is the recorded plan, as planSummary gives it.
	Plan []string
}

// destructiveChanges is the recorded table: a regression (an in-place
// change that starts replacing, or the reverse) fails the test, which
// prints the table as planned.
var destructiveChanges = []configChange{
	{"instance types", "nodes: {system: {instanceTypes: [m6i.xlarge]}}",
		[]string{"replace aws_eks_node_group ×3", "update aws_launch_template ×1"}},
	{"capacity type", "nodes: {system: {capacityType: SPOT}}",
		[]string{"replace aws_eks_node_group ×3"}},
	{"pool sizes", "nodes: {system: {minSize: 2, maxSize: 6}}",
		[]string{"replace aws_ec2_subnet_cidr_reservation ×3", "update aws_eks_node_group ×3"}},
	{"node labels", "nodes: {system: {labels: {team: platform}}}",
		[]string{"update aws_eks_node_group ×3"}},
	{"node taints", "nodes: {system: {taints: [{key: dedicated, value: system, effect: NO_SCHEDULE}]}}",
		[]string{"update aws_eks_node_group ×3"}},
	{"node volume size", "nodes: {system: {volumes: {data: {sizeGiB: 100}}}}",
		[]string{"update aws_eks_node_group ×3", "update aws_launch_template ×1"}},
	{"node OS", "nodes: {system: {os: al2023}}",
		[]string{"replace aws_eks_node_group ×3", "update aws_launch_template ×1"}},
	{"pod networking: custom networking", "network: {podNetworking: {mode: custom-networking}}",
		[]string{"create aws_ec2_subnet_cidr_reservation ×3", "create aws_route_table_association ×3", "create aws_subnet ×3", "create aws_vpc_ipv4_cidr_block_association ×1", "create aws_vpc_security_group_ingress_rule ×1", "delete aws_ec2_subnet_cidr_reservation ×3"}},
	{"pod networking: ipv6", "network: {podNetworking: {mode: ipv6}}",
		[]string{"create aws_egress_only_internet_gateway ×1", "create aws_iam_role_policy ×1", "create aws_route ×7", "create aws_vpc_security_group_ingress_rule ×1", "delete aws_ec2_subnet_cidr_reservation ×3", "delete aws_iam_role_policy_attachment ×1", "replace aws_eks_cluster ×1", "update aws_vpc ×1"}},
	{"control-plane log types", "controlPlane: {logging: {types: [api, audit]}}",
		[]string{"update aws_eks_cluster ×1"}},
	{"log retention", "controlPlane: {logging: {retentionDays: 30}}",
		[]string{"update aws_cloudwatch_log_group ×1"}},
	{"endpoint allow-list", "controlPlane: {endpoint: {publicAccessCidrs: [203.0.113.0/24]}}",
		[]string{"update aws_eks_cluster ×1"}},
	{"private endpoint only", "controlPlane: {endpoint: {publicAccess: false}}",
		[]string{"update aws_eks_cluster ×1"}},
	{"tags", "tags: {team: platform}",
		[]string{"update aws_cloudwatch_log_group ×6", "update aws_eip ×3", "update aws_eks_cluster ×1", "update aws_eks_node_group ×3", "update aws_flow_log ×1", "update aws_iam_role ×8", "update aws_internet_gateway ×1", "update aws_kms_key ×3", "update aws_launch_template ×1", "update aws_nat_gateway ×3", "update aws_route_table ×4", "update aws_security_group ×1", "update aws_subnet ×6", "update aws_vpc ×1", "update aws_vpc_endpoint ×11", "update aws_vpc_security_group_ingress_rule ×1"}},
	{"Container Insights retention", "observability: {retentionDays: 90}",
		[]string{"update aws_cloudwatch_log_group ×4"}},
	{"observability off", "observability: {enabled: false}",
		[]string{"delete aws_cloudwatch_log_group ×4", "delete aws_iam_role ×1", "delete aws_iam_role_policy_attachment ×1", "update aws_kms_key ×1"}},
	{"runtime monitoring on", "runtimeMonitoring: {enabled: true}",
		[]string{"create aws_vpc_endpoint ×1", "update aws_eks_cluster ×1"}},
	{"KMS deletion window", "controlPlane: {keyDeletionWindowDays: 7}",
		[]string{"update aws_kms_key ×3"}},
	{"VPC CIDR", "network: {vpcCidr: 10.1.0.0/16}",
		[]string{"replace aws_ec2_subnet_cidr_reservation ×3", "replace aws_eks_node_group ×3", "replace aws_flow_log ×1", "replace aws_nat_gateway ×3", "replace aws_route ×4", "replace aws_route_table ×4", "replace aws_route_table_association ×6", "replace aws_security_group ×1", "replace aws_subnet ×6", "replace aws_vpc ×1", "replace aws_vpc_endpoint ×11", "replace aws_vpc_security_group_ingress_rule ×1", "update aws_eks_cluster ×1", "update aws_internet_gateway ×1"}},
	{"availability zones", "network: {availabilityZoneCount: 2}",
		[]string{"delete aws_ec2_subnet_cidr_reservation ×1", "delete aws_eip ×1", "delete aws_eks_node_group ×1", "delete aws_nat_gateway ×1", "delete aws_route ×1", "delete aws_route_table ×1", "delete aws_route_table_association ×2", "delete aws_subnet ×2", "replace aws_ec2_subnet_cidr_reservation ×2", "replace aws_eks_node_group ×2", "replace aws_nat_gateway ×2", "replace aws_route_table_association ×4", "replace aws_subnet ×4", "update aws_eks_cluster ×1", "update aws_route ×2", "update aws_vpc_endpoint ×11"}},
	{"cluster name", "name: renamed",
		[]string{"replace aws_cloudwatch_log_group ×6", "replace aws_eks_cluster ×1", "replace aws_eks_node_group ×3", "replace aws_flow_log ×1", "replace aws_iam_role ×8", "replace aws_iam_role_policy ×4", "replace aws_iam_role_policy_attachment ×7", "replace aws_kms_alias ×3", "replace aws_launch_template ×1", "replace aws_security_group ×1", "replace aws_vpc_security_group_ingress_rule ×1", "update aws_eip ×3", "update aws_internet_gateway ×1", "update aws_kms_key ×3", "update aws_nat_gateway ×3", "update aws_route_table ×4", "update aws_subnet ×6", "update aws_vpc ×1", "update aws_vpc_endpoint ×11"}},
}

// TestDestructiveChanges applies the default configuration once, then
// plans every change in destructiveChanges against that state (with
// protection off, to see everything a change would replace) and compares
// with the recorded table. With protection on, a change that replaces the
// cluster must fail to plan.
func TestDestructiveChanges(t *testing.T) {
	base := fixtureNamed(t, defaultFixture).StackPath(config.StackInfra)
	paths := make([]string, len(destructiveChanges))
	for i, c := range destructiveChanges {
		paths[i] = synthVariant(t, fmt.Sprintf("change-%02d", i), "", c.YAML+"\n"+unprotected)
	}
	protectedReplace := synthVariant(t, "change-protected", "", "network: {podNetworking: {mode: ipv6}}\n")
	teardown := synthVariant(t, "change-teardown", "", unprotected)
	t.Parallel()

	e := startEmulator(t, append([]string{base}, paths...)...)
	s := newEmulatedStack(t, e, base)
	s.terraform(t, "apply", "-auto-approve")

	var table strings.Builder
	table.WriteString("| change | plan |\n|---|---|\n")
	for i, c := range destructiveChanges {
		s.Resynth(t, e, paths[i])
		// The state was refreshed by the apply just before; only the
		// configuration differs.
		changes := s.Plan(t, "-refresh=false")
		got := planSummary(changes)
		fmt.Fprintf(&table, "| %s (`%s`) | %s |\n", c.Name, c.YAML, strings.Join(got, ", "))
		if !slices.Equal(got, c.Plan) {
			t.Errorf("%s: the plan is now %q, recorded %q", c.Name, got, c.Plan)
			for _, ch := range changes {
				t.Logf("  %s", ch)
			}
		}
	}
	t.Logf("destructive-change table (against the default configuration):\n%s", table.String())

	s.Resynth(t, e, protectedReplace)
	out, code := s.run("plan", "-detailed-exitcode")
	if code != 1 || !strings.Contains(out, "Instance cannot be destroyed") || !strings.Contains(out, "aws_eks_cluster.") {
		t.Errorf("a plan replacing the protected cluster must fail with prevent_destroy; exit %d:\n%s", code, out)
	}

	s.Resynth(t, e, teardown)
	s.terraform(t, "destroy", "-auto-approve")
}
