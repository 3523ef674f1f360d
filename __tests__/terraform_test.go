package apptest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The AWS provider mirror these machines have; elsewhere terraform
// installs the provider from the registry.
const providerMirror = "/opt/tf-plugins"

var (
	tfOnce   sync.Once
	tfConfig string
	tfErr    error
)

// terraformEnv prepares a CLI configuration of the tests' own (never the
// user's): a plugin cache shared by every fixture, so the 600 MB provider
// is unpacked once, the AWS filesystem mirror when it exists, and the
// schema provider standing in for Helm (providerInstallation).
func terraformEnv(t *testing.T) []string {
	t.Helper()
	skipWhenShort(t, "runs terraform")
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Fatalf("terraform is required for the validation tests and is not on PATH: %v", err)
	}
	tfOnce.Do(func() {
		dir, err := os.MkdirTemp("", "eksready-tf-")
		if err != nil {
			tfErr = err
			return
		}
		cache := filepath.Join(dir, "plugin-cache")
		if tfErr = os.MkdirAll(cache, 0o755); tfErr != nil {
			return
		}
		cleanupDirs = append(cleanupDirs, dir)
		install, err := providerInstallation(dir)
		if err != nil {
			tfErr = err
			return
		}
		rc := fmt.Sprintf("plugin_cache_dir = %q\n", cache) + install
		tfConfig = filepath.Join(dir, "terraformrc")
		tfErr = os.WriteFile(tfConfig, []byte(rc), 0o644)
	})
	if tfErr != nil {
		t.Fatal(tfErr)
	}
	return append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+tfConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"TF_INPUT=0",
	)
}

func terraform(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	out, err := runTerraform(dir, env, args...)
	if err != nil {
		t.Fatalf("terraform %s in %s failed: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return out
}

// TestTerraformValidatesAndMockAppliesInfra runs, for every fixture and
// every infra stack of every fleet fixture, the real terraform and AWS
// provider over the synthesized infra stack: `terraform test` with a
// mocked provider that validates every argument with the provider's own
// checks, then plans and applies the whole stack (no AWS account is
// involved); a local backend is initialized for real. All of it runs in
// the batch (terraform_batch_test.go): one init, one process per CPU.
func TestTerraformValidatesAndMockAppliesInfra(t *testing.T) {
	for _, c := range mockChecks(t) {
		if c.Kind != "infra" || c.WantError != "" {
			continue
		}
		t.Run(c.Name, func(t *testing.T) { requireMockCheck(t, c) })
	}
}

// brokenInfraCheck is a copy of the default infra stack with an
// ip_family the AWS provider's own validation refuses: terraform test
// must fail on it, which shows that the mocked runs check every argument
// as `terraform validate` does with the real provider (a mocked provider
// still hands validation to the real one), so no separate validate runs.
func brokenInfraCheck(t *testing.T) mockCheck {
	t.Helper()
	doc := readJSON(t, fixtureNamed(t, defaultFixture).StackPath("infra"))
	for _, r := range get(doc, "resource", "aws_eks_cluster").(map[string]any) {
		get(r, "kubernetes_network_config").(map[string]any)["ip_family"] = "ipv5"
	}
	dir, err := os.MkdirTemp("", "eksready-broken-")
	if err != nil {
		t.Fatal(err)
	}
	cleanupDirs = append(cleanupDirs, dir)
	path := filepath.Join(dir, "cdktf.out", "stacks", "infra", "cdk.tf.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	writeJSON(t, path, doc)
	return mockCheck{Kind: "infra", Name: "broken ip_family", Stack: path, WantError: `expected ip_family to be one of ["ipv4" "ipv6"], got ipv5`}
}

func init() { batchExtra = append(batchExtra, brokenInfraCheck) }

// TestTerraformTestRunsTheProvidersValidation: the deliberately broken
// copy of the batch fails with the AWS provider's own diagnostic.
func TestTerraformTestRunsTheProvidersValidation(t *testing.T) {
	for _, c := range mockChecks(t) {
		if c.WantError != "" {
			requireMockCheck(t, c)
		}
	}
}
