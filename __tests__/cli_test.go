package apptest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMalformedConfigurationWritesNothing runs the real program on a bad
// cluster.yaml: it must exit non-zero, list every problem by field, and
// leave no cdktf.out behind. It fails before jsii starts, so it is cheap.
func TestMalformedConfigurationWritesNothing(t *testing.T) {
	bin := programBinary(t)
	dir := t.TempDir()
	bad := `name: Bad_Name
kubernetesVersion: "1.19"
nodes:
  system:
    minSize: 2
    maxSize: 0
    instanceTypo: [m6i.large]
controlPlane:
  endpoint:
    publicAccess: true
    publicAccessCidrs: []
`
	out, err := runWithConfig(t, bin, dir, bad)
	if err == nil {
		t.Fatalf("a malformed cluster.yaml synthesized:\n%s", out)
	}
	for _, want := range []string{
		"invalid cluster configuration (7 problems)",
		"nodes.system.maxSize: 0 must be at least 1",
		`nodes.system.instanceTypo: unknown key (line 7); did you mean "instanceTypes"?`,
		`name: "Bad_Name" must be lowercase letters`,
		`kubernetesVersion: "1.19" is not supported`,
		`nodes.system.maxSize: 0 is below minSize 2`,
		`nodes.system.desiredSize: 2 must be between minSize 2 and maxSize 0`,
		`controlPlane.endpoint.publicAccessCidrs: [] must list at least one CIDR`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "panic") || strings.Contains(out, "jsii") {
		t.Errorf("a configuration mistake must not surface as a panic or jsii trace:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "cdktf.out")); !os.IsNotExist(err) {
		t.Errorf("cdktf.out was written for an invalid configuration")
	}
}

// TestCapacityFailurePrintsTheTable runs the program on a configuration the
// IP capacity planner rejects: it fails before synthesis, naming the subnet
// field, and prints the capacity table so the fix can be sized.
func TestCapacityFailurePrintsTheTable(t *testing.T) {
	bin := programBinary(t)
	dir := t.TempDir()
	tight := "network: {vpcCidr: 10.0.0.0/22, subnets: {private: {prefixLength: 24}}}\nnodes: {system: {instanceTypes: [m5.large], maxSize: 20}}\n"
	out, err := runWithConfig(t, bin, dir, tight)
	if err == nil {
		t.Fatalf("an undersized network synthesized:\n%s", out)
	}
	for _, want := range []string{
		// One problem for the three zones, with a row per zone and the
		// explanation once.
		"invalid cluster configuration (1 problem)",
		"network.subnets.private: too small for the cluster at max scale in 3 zones. Use larger private subnets",
		"      zone 1  10.0.0.0/24 (private)  224 (14 /28 blocks)  3,232 (202 /28 blocks)     3,008\n",
		"      zone 3  10.0.2.0/24 (private)  224 (14 /28 blocks)  3,232 (202 /28 blocks)     3,008\n",
		"      in each: 1 node group at max scale: system: 20 × m5.large",
		"IP capacity at max scale:",
		"zone 3  10.0.2.0/24 (private) [/28!]     224        3,232     -1342.9  FAIL",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "system: 20 × m5.large prefix delegation"); n != 1 {
		t.Errorf("the explanation is printed %d times, want once:\n%s", n, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "cdktf.out")); err == nil {
		t.Error("a rejected configuration wrote cdktf.out")
	}

	// A Karpenter NodePool whose worst case exhausts its subnet: 400 vCPUs
	// as 200 two-vCPU nodes, all in one zone's /19 at 110 pods each.
	karpenter := "software:\n  autoscaling: karpenter\n  karpenter:\n    nodePools:\n      batch: {cpuLimit: 400}\n"
	out, err = runWithConfig(t, bin, dir, karpenter)
	if err == nil {
		t.Fatalf("a Karpenter pool larger than its subnets synthesized:\n%s", out)
	}
	for _, want := range []string{
		"network.subnets.private: too small for the cluster at max scale in 3 zones.",
		"      zone 1  10.0.0.0/19 (private)   8,160 (510 /28 blocks)  29,584 (1,849 /28 blocks)    21,424\n",
		"karpenter/batch: 200 × ",
		"or the Karpenter NodePools' cpuLimit",
		"batch                      Karpenter NodePool             200       110",
		"cpuLimit 400 / 2 vCPUs (c5.large), all in one zone at worst",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "cdktf.out")); err == nil {
		t.Error("a rejected Karpenter configuration wrote cdktf.out")
	}
}

// runWithConfig writes cluster.yaml into dir and runs the program there,
// returning everything it printed.
func runWithConfig(t *testing.T, bin, dir, yaml string) (string, error) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "cluster.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestReadinessErrorFailsTheSynthUnlessWaived runs the real program on a
// cluster without a node autoscaler (an R6 error): the synth writes the
// stacks and the SARIF log, prints the finding and exits non-zero; with
// the rule waived, it exits zero and the SARIF result carries the waiver.
func TestReadinessErrorFailsTheSynthUnlessWaived(t *testing.T) {
	bin := programThatSynthesizes(t)
	dir := t.TempDir()
	run := func(yaml string) (string, error) { return runWithConfig(t, bin, dir, yaml) }
	base := "software:\n  autoscaling: none\n"
	out, err := run(base)
	if err == nil {
		t.Fatalf("an unwaived readiness error did not fail the synth:\n%s", out)
	}
	for _, want := range []string{
		"ERROR R6-ONE-AUTOSCALER (R6 Autoscaling)",
		"at addons: helm_release: 0 autoscalers []",
		"the production-readiness report has unwaived errors",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, err = run(base + "readiness:\n  waive:\n    - rule: R6-ONE-AUTOSCALER\n      reason: fixed-size batch cluster, sized by hand\n")
	if err != nil {
		t.Fatalf("a waived readiness error still fails the synth: %v\n%s", err, out)
	}
	if !strings.Contains(out, "WAIVED ERROR R6-ONE-AUTOSCALER") || !strings.Contains(out, "waived: fixed-size batch cluster, sized by hand") {
		t.Errorf("the waived finding is not shown:\n%s", out)
	}
	sarif, err := os.ReadFile(filepath.Join(dir, "cdktf.out", "readiness.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(sarif), `"justification": "fixed-size batch cluster, sized by hand"`) {
		t.Errorf("SARIF lacks the waiver's suppression:\n%s", sarif)
	}
}
