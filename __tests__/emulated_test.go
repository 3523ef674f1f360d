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
	"maps"
	"os"
	"path/filepath"
	"regexp"
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
var emulatedFixtures = []string{defaultFixture, "karpenter", "network-ipv6", "everything-on", "gpu-bottlerocket", "baseline-everything"}

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
// deletion protection, as a user would) to the emulator, then follows the
// documented teardown: switch protection off, deploy, destroy. The plan
// of that deploy refreshes everything and must be empty: no perpetual
// diff (it fails naming the attribute), and switching protection off
// changes nothing. After the destroy the emulator must hold nothing more
// than before.
func TestEmulatedApplyPlanDestroy(t *testing.T) {
	skipWhenShort(t, "runs the emulator")
	type paths struct{ protected, unprotected string }
	all := map[string]paths{}
	for _, name := range emulatedFixtures {
		all[name] = paths{
			protected:   fixtureNamed(t, name).StackPath(config.StackInfra),
			unprotected: synthVariant(t, name+"-unprotected", fixtureFile(name), unprotected),
		}
	}
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

			// One refreshing plan shows both: lifecycle.prevent_destroy is
			// not part of any resource's diff, so with the teardown's first
			// step (protection off) in place, a perpetual diff shows as it
			// would under the applied configuration, and anything switching
			// protection off changed shows too.
			s.Resynth(t, e, p.unprotected)
			start = time.Now()
			changes := s.Plan(t)
			planned := time.Since(start)
			for _, c := range changes {
				t.Errorf("plan after apply, with deletion protection switched off, is not empty (a perpetual diff, or switching protection off changes a resource): %s", c)
			}
			start = time.Now()
			// The apply wrote the state as it read it back; nothing
			// changed since, so destroy needs no second refresh.
			s.terraform(t, "destroy", "-auto-approve", "-refresh=false")
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

// The rehearsal cluster: the default configuration with a second pool,
// so that upgrading one pool at a time shows.
const rehearsalPools = "nodes:\n  system: {%s}\n  workers: {%s}\n"

// rehearsalRelease is the AMI release the emulator publishes for every
// version at the start (seedsOf), which the workers pool pins at the end.
const rehearsalRelease = "1.50.0-e0000000"

// TestUpgradeRehearsalAndBlueGreen applies the rehearsal cluster at the
// previous Kubernetes minor and upgrades it the way the runbook in docs/upgrades.md
// says, each step planned against the state the step before applied:
//  1. the control plane alone (both pools pinned at the previous minor):
//     the plan updates the cluster and touches no node group;
//  2. one pool (system follows the control plane again): only its three
//     node groups update;
//  3. the other pool, pinning its AMI release on the way.
//
// Then the floating AMI release: the emulator publishes a new release in
// AWS's SSM parameter; the next plan updates the pool that follows it and
// not the pinned one, with no configuration change. Add-ons are not in
// moto: their part is checked on the synthesized configuration (they follow
// the control plane in step 1). Last, blue/green: adding generation 2
// creates only its node groups and launch template; removing generation 1
// deletes only its own.
func TestUpgradeRehearsalAndBlueGreen(t *testing.T) {
	skipWhenShort(t, "runs the emulator")
	prev, cur := previousKubernetesVersion(t), defaultKubernetesVersion
	pinned := fmt.Sprintf("kubernetesVersion: %q", prev)
	at := func(cluster, system, workers string) string {
		return fmt.Sprintf("kubernetesVersion: %q\n", cluster) + fmt.Sprintf(rehearsalPools, system, workers)
	}
	atPrev := synthVariant(t, "upgrade-from", "", at(prev, "", ""))
	controlPlane := synthVariant(t, "upgrade-control-plane", "", at(cur, pinned, pinned))
	onePool := synthVariant(t, "upgrade-one-pool", "", at(cur, "", pinned))
	otherPool := at(cur, "", fmt.Sprintf("amiReleaseVersion: %q", rehearsalRelease))
	allPools := synthVariant(t, "upgrade-all-pools", "", otherPool)
	newGenYAML := strings.Replace(otherPool, "system: {}", `system: {generations: ["2"]}`, 1)
	bothGens := synthVariant(t, "bluegreen-both", "", strings.Replace(otherPool, "system: {}", `system: {generations: ["1", "2"]}`, 1))
	newGen := synthVariant(t, "bluegreen-new", "", newGenYAML)
	teardown := synthVariant(t, "bluegreen-teardown", "", newGenYAML+unprotected)

	t.Parallel()
	for _, p := range addonUpgradeProblems(readJSON(t, atPrev), readJSON(t, controlPlane), prev, cur) {
		t.Error(p)
	}
	t.Logf("add-ons %s → %s: every aws_eks_addon unchanged but addon_version, resolved from aws_eks_addon_version at the control plane's new kubernetes_version (updated in place) while both pools stay on %s", prev, cur, prev)

	e := startEmulator(t, atPrev, controlPlane, onePool)
	s := newEmulatedStack(t, e, atPrev)
	s.terraform(t, "apply", "-auto-approve")

	step := func(name, path, want string, only func(resourceChange) bool) {
		t.Helper()
		s.Resynth(t, e, path)
		changes := s.Plan(t)
		got := strings.Join(planSummary(changes), ", ")
		t.Logf("%s: %s", name, got)
		for _, c := range changes {
			t.Logf("  %s", c)
			if c.Action() != "update" || !only(c) {
				t.Errorf("%s must only update in place what it names, but the plan has: %s", name, c)
			}
		}
		if got != want {
			t.Errorf("%s plans %s, want %s", name, got, want)
		}
		s.ApplySavedPlan(t)
	}
	pool := func(name string) func(resourceChange) bool {
		return func(c resourceChange) bool { return strings.Contains(c.Address, "nodes_"+name+"-") }
	}
	step(fmt.Sprintf("upgrade %s → %s, control plane", prev, cur), controlPlane, "update aws_eks_cluster ×1",
		func(c resourceChange) bool {
			return c.Type == "aws_eks_cluster" && slices.Equal(c.Attributes, []string{"version"})
		})
	step("upgrade, pool system", onePool, "update aws_eks_node_group ×3", pool("system"))
	step("upgrade, pool workers (AMI release pinned)", allPools, "update aws_eks_node_group ×3", pool("workers"))

	// A new AMI release, no configuration change: the pool that follows
	// the release rolls, the pinned one does not.
	param := ssmParameterOf(t, allPools, "system")
	e.PublishParameter(t, stackRegion(t, allPools), param, "1.51.0-e0000001")
	changes := s.Plan(t)
	t.Logf("new AMI release in %s: %s", param, strings.Join(planSummary(changes), ", "))
	for _, c := range changes {
		if c.Action() != "update" || !pool("system")(c) || !slices.Equal(c.Attributes, []string{"release_version"}) {
			t.Errorf("a new release must update only the following pool's release_version: %s", c)
		}
	}
	if got := strings.Join(planSummary(changes), ", "); got != "update aws_eks_node_group ×3" {
		t.Errorf("a new release plans %s, want the system pool's three node groups", got)
	}
	s.ApplySavedPlan(t)

	s.Resynth(t, e, bothGens)
	assertGenerationPlan(t, s, "add generation 2", "create", "-g2-")
	s.ApplySavedPlan(t)
	s.Resynth(t, e, newGen)
	assertGenerationPlan(t, s, "remove generation 1", "delete", "-g1-")

	s.Resynth(t, e, teardown)
	// The last apply wrote the state as it read it back.
	s.terraform(t, "destroy", "-auto-approve", "-refresh=false")
}

// ssmParameterOf is the name of the public SSM parameter a pool's node
// groups read their AMI release from.
func ssmParameterOf(t *testing.T, stackPath, pool string) string {
	t.Helper()
	doc := readJSON(t, stackPath)
	groups, _ := get(doc, "resource", "aws_eks_node_group").(map[string]any)
	for name, g := range groups {
		if !strings.HasPrefix(name, "nodes_"+pool+"-") {
			continue
		}
		release, _ := g.(map[string]any)["release_version"].(string)
		m := regexp.MustCompile(`^\$\{data\.aws_ssm_parameter\.([^.]+)\.insecure_value\}$`).FindStringSubmatch(release)
		if m == nil {
			t.Fatalf("pool %s does not follow an SSM parameter: release_version %q", pool, release)
		}
		name, _ := get(doc, "data", "aws_ssm_parameter", m[1], "name").(string)
		return name
	}
	t.Fatalf("no node group of pool %s", pool)
	return ""
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

// addonUpgradeProblems compares the managed add-ons of two synths, before
// and after the control plane moves from one minor to the next: the add-on
// resources must be identical, and each version lookup must differ in
// kubernetes_version alone, which must be the control plane's new minor
// (an upgrade that left the add-ons on the old minor's defaults would
// otherwise pass).
func addonUpgradeProblems(before, after map[string]any, prev, cur string) []string {
	var problems []string
	for _, block := range [][]string{{"resource", "aws_eks_addon"}, {"data", "aws_eks_addon_version"}} {
		pa, _ := get(before, block...).(map[string]any)
		pb, _ := get(after, block...).(map[string]any)
		if len(pa) == 0 || len(pa) != len(pb) {
			problems = append(problems, fmt.Sprintf("%s: %d at %s, %d at %s", block[1], len(pa), prev, len(pb), cur))
		}
		for _, name := range slices.Sorted(maps.Keys(pa)) {
			ra, _ := pa[name].(map[string]any)
			rb, ok := pb[name].(map[string]any)
			if !ok {
				problems = append(problems, fmt.Sprintf("%s.%s exists at %s only", block[1], name, prev))
				continue
			}
			changed := changedPaths(ra, rb, nil, "")
			for _, attr := range changed {
				if attr != "kubernetes_version" {
					problems = append(problems, fmt.Sprintf("%s.%s changes %s on upgrade", block[1], name, attr))
				}
			}
			if block[1] != "aws_eks_addon_version" {
				continue
			}
			if !slices.Contains(changed, "kubernetes_version") || ra["kubernetes_version"] != prev || rb["kubernetes_version"] != cur {
				problems = append(problems, fmt.Sprintf("%s.%s asks for the default version of Kubernetes %v, then %v: it must follow the control plane from %s to %s", block[1], name, ra["kubernetes_version"], rb["kubernetes_version"], prev, cur))
			}
		}
	}
	return problems
}

// TestAddonUpgradeCheckCatchesBrokenCopies shows the add-on check above
// failing where it must: on a copy whose version lookups stay on the old
// minor (the add-ons would keep the old defaults), and on one whose add-on
// changes more than its version.
func TestAddonUpgradeCheckCatchesBrokenCopies(t *testing.T) {
	prev, cur := previousKubernetesVersion(t), defaultKubernetesVersion
	before := readJSON(t, synthVariant(t, "addon-check-from", "", fmt.Sprintf("kubernetesVersion: %q\n", prev)))
	after := readJSON(t, fixtureNamed(t, defaultFixture).StackPath(config.StackInfra))
	if p := addonUpgradeProblems(before, after, prev, cur); len(p) != 0 {
		t.Fatalf("the real upgrade fails the check: %v", p)
	}

	stuck := readJSON(t, fixtureNamed(t, defaultFixture).StackPath(config.StackInfra))
	for _, d := range get(stuck, "data", "aws_eks_addon_version").(map[string]any) {
		d.(map[string]any)["kubernetes_version"] = prev
	}
	got := addonUpgradeProblems(before, stuck, prev, cur)
	if len(got) == 0 || !strings.Contains(got[0], fmt.Sprintf("asks for the default version of Kubernetes %s, then %s: it must follow the control plane from %s to %s", prev, prev, prev, cur)) {
		t.Errorf("add-ons left on the old minor pass the check: %v", got)
	}

	reconfigured := readJSON(t, fixtureNamed(t, defaultFixture).StackPath(config.StackInfra))
	for _, a := range get(reconfigured, "resource", "aws_eks_addon").(map[string]any) {
		a.(map[string]any)["resolve_conflicts_on_update"] = "PRESERVE"
	}
	got = addonUpgradeProblems(before, reconfigured, prev, cur)
	if len(got) == 0 || !strings.Contains(got[0], "changes resolve_conflicts_on_update on upgrade") {
		t.Errorf("an add-on changing more than its version passes the check: %v", got)
	}
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
		[]string{"create aws_egress_only_internet_gateway ×1", "create aws_iam_role_policy ×1", "create aws_route ×7", "create aws_vpc_security_group_ingress_rule ×1", "delete aws_ec2_subnet_cidr_reservation ×3", "delete aws_iam_role_policy_attachment ×1", "replace aws_eks_cluster ×1", "update aws_subnet ×6", "update aws_vpc ×1"}},
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
		[]string{"replace aws_ec2_subnet_cidr_reservation ×3", "replace aws_eks_cluster ×1", "replace aws_eks_node_group ×3", "replace aws_flow_log ×1", "replace aws_nat_gateway ×3", "replace aws_route ×4", "replace aws_route_table ×4", "replace aws_route_table_association ×6", "replace aws_security_group ×1", "replace aws_subnet ×6", "replace aws_vpc ×1", "replace aws_vpc_endpoint ×11", "replace aws_vpc_security_group_ingress_rule ×1", "update aws_internet_gateway ×1"}},
	{"availability zones", "network: {availabilityZoneCount: 2}",
		[]string{"delete aws_ec2_subnet_cidr_reservation ×1", "delete aws_eip ×1", "delete aws_eks_node_group ×1", "delete aws_nat_gateway ×1", "delete aws_route ×1", "delete aws_route_table ×1", "delete aws_route_table_association ×2", "delete aws_subnet ×2", "replace aws_ec2_subnet_cidr_reservation ×2", "replace aws_eks_cluster ×1", "replace aws_eks_node_group ×2", "replace aws_nat_gateway ×2", "replace aws_route_table_association ×4", "replace aws_subnet ×4", "update aws_route ×2", "update aws_vpc_endpoint ×11"}},
	{"cluster name", "name: renamed",
		[]string{"replace aws_cloudwatch_log_group ×6", "replace aws_ec2_subnet_cidr_reservation ×3", "replace aws_eks_cluster ×1", "replace aws_eks_node_group ×3", "replace aws_flow_log ×1", "replace aws_iam_role ×8", "replace aws_iam_role_policy ×4", "replace aws_iam_role_policy_attachment ×7", "replace aws_kms_alias ×3", "replace aws_launch_template ×1", "replace aws_security_group ×1", "replace aws_vpc_security_group_ingress_rule ×1", "update aws_eip ×3", "update aws_internet_gateway ×1", "update aws_kms_key ×3", "update aws_nat_gateway ×3", "update aws_route_table ×4", "update aws_subnet ×6", "update aws_vpc ×1", "update aws_vpc_endpoint ×11"}},
}

// TestDestructiveChanges applies the default configuration once, then
// plans every change in destructiveChanges against that state (with
// protection off, to see everything a change would replace) and compares
// with the recorded table. With protection on, every change whose plan
// replaces the cluster must fail to plan, on the cluster or the VPC.
func TestDestructiveChanges(t *testing.T) {
	skipWhenShort(t, "runs the emulator")
	base := fixtureNamed(t, defaultFixture).StackPath(config.StackInfra)
	paths := make([]string, len(destructiveChanges))
	protected := map[int]string{}
	for i, c := range destructiveChanges {
		paths[i] = synthVariant(t, fmt.Sprintf("change-%02d", i), "", c.YAML+"\n"+unprotected)
		if slices.Contains(c.Plan, "replace aws_eks_cluster ×1") {
			protected[i] = synthVariant(t, fmt.Sprintf("change-%02d-protected", i), "", c.YAML+"\n")
		}
	}
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
		// configuration differs. The summary needs no attributes; they are
		// read only to explain a difference.
		changes := s.PlanActions(t, "-refresh=false")
		got := planSummary(changes)
		fmt.Fprintf(&table, "| %s (`%s`) | %s |\n", c.Name, c.YAML, strings.Join(got, ", "))
		if !slices.Equal(got, c.Plan) {
			t.Errorf("%s: the plan is now %q, recorded %q", c.Name, got, c.Plan)
			for _, ch := range s.Explain(t, changes) {
				t.Logf("  %s", ch)
			}
		}
	}
	t.Logf("destructive-change table (against the default configuration):\n%s", table.String())

	for _, i := range slices.Sorted(maps.Keys(protected)) {
		s.Resynth(t, e, protected[i])
		out, code := s.run("plan", "-refresh=false", "-detailed-exitcode")
		// Terraform stops at the first protected resource it would
		// replace: the VPC, when the change replaces it too (the cluster's
		// replacement follows from the VPC's), else the cluster.
		stopper := "aws_eks_cluster."
		if slices.Contains(destructiveChanges[i].Plan, "replace aws_vpc ×1") {
			stopper = "aws_vpc."
		}
		if code != 1 || !strings.Contains(out, "Instance cannot be destroyed") || !strings.Contains(out, "Resource "+stopper) {
			t.Errorf("%s replaces the cluster: with deletion protection its plan must fail with prevent_destroy on %s; exit %d:\n%s", destructiveChanges[i].Name, strings.TrimSuffix(stopper, "."), code, out)
		}
	}

	s.Resynth(t, e, teardown)
	s.terraform(t, "destroy", "-auto-approve", "-refresh=false")
}
