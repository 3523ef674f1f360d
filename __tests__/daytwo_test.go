package apptest

// Day two: access entries keyed by name (and moved from the positional
// addresses of earlier releases without replacing them), node pools one
// minor behind the control plane, the named outputs handed to the next
// team, and what the program prints after the synth (cost, floating
// versions, next steps) or instead of it (--help, --version).

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/report"
	"github.com/eksready/eksready/stacks"
)

// threeEntries and twoEntries are the same access list before and after
// its second entry is removed.
const (
	threeEntries = `access:
  entries:
    - {principalArn: "arn:aws:iam::123456789012:role/platform-admins", policy: admin}
    - {principalArn: "arn:aws:iam::123456789012:role/developers", policy: edit, namespaces: [apps]}
    - {principalArn: "arn:aws:iam::123456789012:user/auditor", policy: view, kubernetesGroups: [auditors]}
`
	twoEntries = `access:
  entries:
    - {principalArn: "arn:aws:iam::123456789012:role/platform-admins", policy: admin}
    - {principalArn: "arn:aws:iam::123456789012:user/auditor", policy: view, kubernetesGroups: [auditors]}
`
)

// accessAddresses lists a stack's access entries and policy associations.
func accessAddresses(t *testing.T, path string) []string {
	t.Helper()
	doc := readJSON(t, path)
	var out []string
	for _, typ := range []string{"aws_eks_access_entry", "aws_eks_access_policy_association"} {
		byName, _ := get(doc, "resource", typ).(map[string]any)
		for _, name := range slices.Sorted(maps.Keys(byName)) {
			out = append(out, typ+"."+name)
		}
	}
	return out
}

// TestAccessEntryAddressesAreStable removes the second of three entries:
// the other entries and their policy associations keep their Terraform
// addresses (they are keyed by name, not position), and only the removed
// entry's two resources are gone. Every entry carries a moved block from
// the position earlier releases addressed it by.
func TestAccessEntryAddressesAreStable(t *testing.T) {
	threePath := synthVariant(t, "access-three", "", threeEntries)
	three := accessAddresses(t, threePath)
	two := accessAddresses(t, synthVariant(t, "access-two", "", twoEntries))
	var removed []string
	for _, a := range three {
		if !slices.Contains(two, a) {
			removed = append(removed, a)
		}
	}
	for _, a := range two {
		if !slices.Contains(three, a) {
			t.Errorf("removing an entry gave another a new address: %s", a)
		}
	}
	if len(removed) != 2 || !strings.Contains(removed[0], "access_entry-developers_") || !strings.Contains(removed[1], "access_entry-developers_policy_") {
		t.Errorf("removing the developers entry removes %v, want exactly its entry and policy association", removed)
	}
	if !slices.ContainsFunc(two, func(a string) bool { return strings.HasPrefix(a, "aws_eks_access_entry.access_deployer_") }) {
		t.Errorf("the deployer's entry lost its address: %v", two)
	}

	doc := readJSON(t, threePath)
	var moves []string
	for _, m := range doc["moved"].([]any) {
		mv := m.(map[string]any)
		moves = append(moves, mv["from"].(string)+" -> "+mv["to"].(string))
	}
	want := regexp.MustCompile(`^aws_eks_access_(entry|policy_association)\.access_entry-([123])(_policy)?_[0-9A-F]{8} -> aws_eks_access_(entry|policy_association)\.access_entry-(platform-admins|developers|auditor)(_policy)?_[0-9A-F]{8}$`)
	names := map[string]string{"1": "platform-admins", "2": "developers", "3": "auditor"}
	for _, m := range moves {
		g := want.FindStringSubmatch(m)
		if g == nil || names[g[2]] != g[5] || g[1] != g[4] || g[3] != g[6] {
			t.Errorf("moved block %s does not move position %s's resource to its name", m, g)
		}
	}
	if len(moves) != 6 {
		t.Errorf("%d moved blocks, want an entry and a policy association for each of 3 entries: %v", len(moves), moves)
	}
}

// previousReleaseForm rewrites a synthesized infra stack into what
// eksready wrote before entries were keyed by name: each moved block's
// target back at its positional address, and no moved blocks.
func previousReleaseForm(t *testing.T, path string) map[string]any {
	t.Helper()
	doc := readJSON(t, path)
	moved, _ := doc["moved"].([]any)
	delete(doc, "moved")
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	for _, m := range moved {
		mv := m.(map[string]any)
		from, to := mv["from"].(string), mv["to"].(string)
		// Logical names are unique (hashed): a plain replacement renames
		// the resource and every reference to it.
		text = strings.ReplaceAll(text, `"`+strings.SplitN(to, ".", 2)[1]+`"`, `"`+strings.SplitN(from, ".", 2)[1]+`"`)
		text = strings.ReplaceAll(text, to+".", from+".")
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(text), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAccessEntriesMoveWithoutReplacement applies, to the emulator, the
// infra stack as eksready wrote it before entries were keyed by name
// (entry-1, entry-2, entry-3), then plans today's synth of the same
// configuration: the moved blocks carry every entry and policy
// association to its name, and nothing is created, deleted or replaced.
// (Without the moved blocks the same plan destroys and creates every
// entry.) After that apply, removing the second entry plans the deletion
// of that entry and its association, and nothing else. moto has no access
// entries; the emulator serves them (emulator/moto_server.py), so here the
// real provider creates, reads, moves and deletes them.
func TestAccessEntriesMoveWithoutReplacement(t *testing.T) {
	// Before its synths: make check (-short) skips it without them.
	skipWhenShort(t, "runs the emulator")
	three := synthVariant(t, "access-three", "", threeEntries)
	two := synthVariant(t, "access-two", "", twoEntries)
	teardown := synthVariant(t, "access-teardown", "", twoEntries+unprotected)
	before := filepath.Join(t.TempDir(), "previous-release.json")
	writeJSON(t, before, previousReleaseForm(t, three))
	t.Parallel()

	e := startEmulator(t, three)
	keep := []string{"aws_eks_access_entry", "aws_eks_access_policy_association"}
	s := &emulatedStack{Dir: filepath.Join(t.TempDir(), "cdktf.out", "stacks", "infra"), env: emulatedEnv(t), Keep: keep}
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s.Resynth(t, e, before)
	s.terraform(t, "init")
	s.terraform(t, "apply", "-auto-approve")
	previous := []string{}
	out, _ := s.run("state", "list")
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "aws_eks_access") {
			previous = append(previous, l)
		}
	}
	t.Logf("applied the previous release's form: %v", previous)
	if len(previous) != 8 {
		t.Fatalf("the emulator holds %d access entries and associations, want 8 (deployer and three entries, each with its policy)", len(previous))
	}

	// Without its moved blocks, the same synth would replace every entry:
	// the moves are what keeps them.
	unmoved := readJSON(t, three)
	delete(unmoved, "moved")
	unmovedPath := filepath.Join(t.TempDir(), "unmoved.json")
	writeJSON(t, unmovedPath, unmoved)
	s.Resynth(t, e, unmovedPath)
	if got := strings.Join(planSummary(s.Plan(t)), ", "); got != "create aws_eks_access_entry ×3, create aws_eks_access_policy_association ×3, delete aws_eks_access_entry ×3, delete aws_eks_access_policy_association ×3" {
		t.Errorf("without moved blocks the upgrade plans %s, want every entry destroyed and created again", got)
	}

	s.Resynth(t, e, three)
	changes := s.Plan(t)
	got := strings.Join(planSummary(changes), ", ")
	t.Logf("upgrade to entries keyed by name: %s", got)
	for _, c := range changes {
		t.Logf("  %s", c)
		if c.Action() != "move" {
			t.Errorf("upgrading must only move entries, but the plan has: %s", c)
		}
	}
	if got != "move aws_eks_access_entry ×3, move aws_eks_access_policy_association ×3" {
		t.Errorf("the upgrade plans %s, want three entries and three associations moved", got)
	}
	s.ApplySavedPlan(t)

	s.Resynth(t, e, two)
	changes = s.Plan(t)
	got = strings.Join(planSummary(changes), ", ")
	t.Logf("removing the second entry: %s", got)
	for _, c := range changes {
		if c.Action() != "delete" || !strings.Contains(c.Address, "access_entry-developers_") {
			t.Errorf("removing the developers entry must delete only it and its association: %s", c)
		}
	}
	if got != "delete aws_eks_access_entry ×1, delete aws_eks_access_policy_association ×1" {
		t.Errorf("removing one entry plans %s", got)
	}

	s.Resynth(t, e, teardown)
	// The last apply wrote the state as it read it back.
	s.terraform(t, "destroy", "-auto-approve", "-refresh=false")
}

// TestPoolLagsTheControlPlane synthesizes a pool one minor behind the
// control plane: its node groups carry that minor and read that minor's
// AMI release, while the other pool and the EKS add-ons follow the control
// plane. (Refusals, ahead of the control plane or beyond one minor, are
// tested with their exact messages in config.)
func TestPoolLagsTheControlPlane(t *testing.T) {
	prev, cur := previousKubernetesVersion(t), defaultKubernetesVersion
	doc := readJSON(t, synthVariant(t, "pool-behind", "", fmt.Sprintf("nodes:\n  system: {}\n  legacy: {kubernetesVersion: %q}\n", prev)))
	params, _ := get(doc, "data", "aws_ssm_parameter").(map[string]any)
	groups, _ := get(doc, "resource", "aws_eks_node_group").(map[string]any)
	seen := 0
	for name, g := range groups {
		ng := g.(map[string]any)
		version, _ := ng["version"].(string)
		release, _ := ng["release_version"].(string)
		param := regexp.MustCompile(`aws_ssm_parameter\.([^.]+)\.`).FindStringSubmatch(release)
		if param == nil {
			t.Fatalf("%s: release %q is not read from SSM", name, release)
		}
		path, _ := get(params, param[1], "name").(string)
		switch {
		case strings.HasPrefix(name, "nodes_legacy-"):
			seen++
			if version != prev || !strings.Contains(path, "-"+prev+"/") {
				t.Errorf("%s: version %q, AMI from %s; want %s and that minor's release", name, version, path, prev)
			}
		case strings.HasPrefix(name, "nodes_system-"):
			if !strings.HasPrefix(version, "${aws_eks_cluster.") || !strings.Contains(path, "-"+cur+"/") {
				t.Errorf("%s: version %q, AMI from %s; want the control plane's (%s)", name, version, path, cur)
			}
		}
	}
	if seen != 3 {
		t.Errorf("%d node groups of the lagging pool, want one per zone", seen)
	}
	versions, _ := get(doc, "data", "aws_eks_addon_version").(map[string]any)
	for name, v := range versions {
		if k := v.(map[string]any)["kubernetes_version"]; k != cur {
			t.Errorf("add-on version lookup %s asks for Kubernetes %v; add-ons follow the control plane (%s)", name, k, cur)
		}
	}
}

// handoffOutputs are the named outputs every infra stack with created
// network, managed node groups and Pod Identity has, with the resource
// attribute each reads.
var handoffOutputs = map[string]string{
	stacks.OutputClusterName.Name:            `^\$\{aws_eks_cluster\.[^.]+\.name\}$`,
	stacks.OutputClusterArn.Name:             `^\$\{aws_eks_cluster\.[^.]+\.arn\}$`,
	stacks.OutputClusterEndpoint.Name:        `^\$\{aws_eks_cluster\.[^.]+\.endpoint\}$`,
	stacks.OutputClusterCA.Name:              `^\$\{aws_eks_cluster\.[^.]+\.certificate_authority\[0\]\.data\}$`,
	stacks.OutputClusterOIDCIssuer.Name:      `^\$\{aws_eks_cluster\.[^.]+\.identity\[0\]\.oidc\[0\]\.issuer\}$`,
	stacks.OutputClusterSecurityGroupID.Name: `^\$\{aws_eks_cluster\.[^.]+\.vpc_config\[0\]\.cluster_security_group_id\}$`,
	stacks.OutputVpcID.Name:                  `^\$\{aws_vpc\.[^.]+\.id\}$`,
	stacks.OutputNodeRoleArn.Name:            `^\$\{aws_iam_role\.nodes_role_[^.]+\.arn\}$`,
	stacks.OutputSecretsKeyArn.Name:          `^\$\{aws_kms_key\.control-plane_secrets-key_[^.]+\.arn\}$`,
	stacks.OutputEbsKeyArn.Name:              `^\$\{aws_kms_key\.ebs-key_[^.]+\.arn\}$`,
	stacks.OutputLogsKeyArn.Name:             `^\$\{aws_kms_key\.logs-key_[^.]+\.arn\}$`,
}

// TestHandoffOutputs: infra declares its named outputs under stable names
// in every fixture, none shares a name or prefix with the outputs cdktf
// generates for cross-stack references, the subnet and OIDC outputs exist
// exactly when there is something to name, and every output the addons
// stack reads is still declared.
func TestHandoffOutputs(t *testing.T) {
	for _, f := range synthAll(t) {
		infra, addons := f.Stack(t, config.StackInfra), f.Stack(t, config.StackAddons)
		named := map[string]bool{}
		for name, o := range infra.Output {
			if strings.HasPrefix(name, stacks.CdktfCrossStackOutputPrefix) {
				continue
			}
			named[name] = true
			if d, _ := o["description"].(string); d == "" {
				t.Errorf("%s: output %s has no description", f.Name, name)
			}
		}
		if f.Name == defaultFixture {
			for name, re := range handoffOutputs {
				value, _ := infra.Output[name]["value"].(string)
				if !regexp.MustCompile(re).MatchString(value) {
					t.Errorf("default: output %s = %q, want %s", name, value, re)
				}
			}
			if got := infra.Output[stacks.OutputRegion.Name]["value"]; got != f.Config.Region {
				t.Errorf("default: region output %v", got)
			}
		}
		for _, o := range []stacks.HandoffOutput{stacks.OutputRegion, stacks.OutputClusterName, stacks.OutputClusterEndpoint, stacks.OutputClusterCA, stacks.OutputVpcID, stacks.OutputPrivateSubnetIDs, stacks.OutputSecretsKeyArn, stacks.OutputEbsKeyArn, stacks.OutputLogsKeyArn, stacks.OutputNodeRoleArn} {
			if !named[o.Name] {
				t.Errorf("%s: infra lacks output %s", f.Name, o.Name)
			}
		}
		if irsa := f.Config.WorkloadIdentity == "irsa"; named[stacks.OutputOIDCProviderArn.Name] != irsa {
			t.Errorf("%s: oidc_provider_arn declared %v, IRSA %v", f.Name, named[stacks.OutputOIDCProviderArn.Name], irsa)
		}
		if pods := f.Config.Network.PodNetworking.Mode == config.PodNetworkingCustomNetworking; named[stacks.OutputPodSubnetIDs.Name] != pods {
			t.Errorf("%s: pod_subnet_ids declared %v, custom networking %v", f.Name, named[stacks.OutputPodSubnetIDs.Name], pods)
		}
		if karpenter := f.Config.Software.Autoscaling == config.AutoscalingKarpenter; named[stacks.OutputKarpenterNodeRoleArn.Name] != karpenter {
			t.Errorf("%s: karpenter_node_role_arn declared %v, Karpenter %v", f.Name, named[stacks.OutputKarpenterNodeRoleArn.Name], karpenter)
		}
		raw, _ := json.Marshal(addons)
		for _, m := range regexp.MustCompile(`terraform_remote_state\.[A-Za-z0-9_-]+\.outputs\.([A-Za-z0-9_-]+)`).FindAllStringSubmatch(string(raw), -1) {
			if _, ok := infra.Output[m[1]]; !ok {
				t.Errorf("%s: addons reads infra output %s, which infra does not declare", f.Name, m[1])
			}
		}
	}
}

// TestProgramAnswersHelpAndVersion runs the program with --help and
// --version in an empty directory: each answers at once and writes
// nothing. When the build carries VCS information, its revision is this
// checkout's.
func TestProgramAnswersHelpAndVersion(t *testing.T) {
	bin := programBinary(t)
	dir := t.TempDir()
	run := func(arg string) string {
		cmd := exec.Command(bin, arg)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", arg, err, out)
		}
		return string(out)
	}
	if help := run("--help"); !strings.HasPrefix(help, "eksready synthesizes") || !strings.Contains(help, "eksready --version") {
		t.Errorf("--help:\n%s", help)
	}
	version := run("--version")
	if !strings.Contains(version, "module    github.com/eksready/eksready\n") || !strings.Contains(version, "catalog   reviewed "+catalog.Reviewed) {
		t.Errorf("--version:\n%s", version)
	}
	if m := regexp.MustCompile(`revision  ([0-9a-f]{40}) `).FindStringSubmatch(version); m != nil {
		head, err := exec.Command("git", "rev-parse", "HEAD").Output()
		if err == nil && strings.TrimSpace(string(head)) != m[1] {
			t.Errorf("--version names revision %s, the checkout is at %s", m[1], head)
		}
	} else if !strings.Contains(version, "revision  unknown (no VCS information") {
		t.Errorf("--version neither names a revision nor says it has none:\n%s", version)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("--help and --version wrote %v", entries)
	}
	cmd := exec.Command(bin, "--outdir", "x")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), `unknown argument "--outdir"`) {
		t.Errorf("an unknown argument is accepted: %v\n%s", err, out)
	}
}

// TestDefaultSummaryShowsDayTwo runs the program on the built-in default:
// the summary shows the estimated monthly cost of the always-on resources,
// what floats between plans, the deployer and endpoint-cost findings, and
// ends with how to deploy, reach and tear down the cluster.
func TestDefaultSummaryShowsDayTwo(t *testing.T) {
	bin := programBinary(t)
	dir := t.TempDir()
	cmd := exec.Command(bin)
	cmd.Dir = dir
	raw, err := cmd.CombinedOutput()
	out := string(raw)
	if err != nil {
		t.Fatalf("default synth: %v\n%s", err, out)
	}
	est := report.EstimateCost(readStackAt(t, filepath.Join(dir, "cdktf.out", "stacks", "infra", "cdk.tf.json")), "eu-west-1")
	for _, want := range []string{
		"estimated monthly cost of always-on resources in eu-west-1 (US dollars, 730 hours a month, prices reviewed " + catalog.PricesReviewed + "):",
		"resolved at plan time, can change without a config change (see docs/upgrades.md: Floating versions):",
		"  node AMI release of pool system: the newest release, from SSM parameter /aws/service/bottlerocket/aws-k8s-" + catalog.DefaultKubernetes + "/x86_64/latest/image_version; pin: nodes.system.amiReleaseVersion",
		"WARNING R5-DEPLOYER-PINNED (R5 aws-auth)",
		"INFO BP-ENDPOINT-COST",
		"next steps:\n  deploy:     npx cdktf deploy infra addons\n  kubeconfig: aws eks update-kubeconfig --name eksready --region eu-west-1\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the summary lacks %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(fmt.Sprintf(`\n  total +\$%.2f\n`, est.Total())).MatchString(out) {
		t.Errorf("the summary lacks the total $%.2f:\n%s", est.Total(), out)
	}
	if est.Total() < 100 || !strings.HasSuffix(strings.TrimRight(out, "\n"), "npx cdktf destroy addons infra (docs/upgrades.md: Deletion protection)") {
		t.Errorf("the summary must end with the teardown (estimate $%.2f):\n%s", est.Total(), out)
	}
}

func readStackAt(t *testing.T, path string) report.Stack {
	t.Helper()
	st, err := report.ReadStack(path)
	if err != nil {
		t.Fatal(err)
	}
	return st
}
