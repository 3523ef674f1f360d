package apptest

import (
	"bytes"
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
// is unpacked once, and the filesystem mirror when it exists.
func terraformEnv(t *testing.T) []string {
	t.Helper()
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
		rc := fmt.Sprintf("plugin_cache_dir = %q\n", cache)
		if _, err := os.Stat(providerMirror); err == nil {
			rc += fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct { exclude = ["registry.terraform.io/hashicorp/aws"] }
}
`, providerMirror)
		}
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
	cmd := exec.Command("terraform", append(args, "-no-color")...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("terraform %s in %s failed: %v\n%s", strings.Join(args, " "), dir, err, out.String())
	}
	return out.String()
}

// TestTerraformValidatesAndMockAppliesInfra runs, for every fixture, the
// real terraform and AWS provider over the synthesized infra stack:
// `init`, `validate`, then `terraform test` with a mocked provider that
// plans and applies the whole stack (no AWS account is involved). Every
// infra stack of every fleet fixture is validated too, and mock-planned.
// `init -backend=false` leaves the S3 and cloud backends alone, so no
// credentials are needed; the local backend is initialized for real.
func TestTerraformValidatesAndMockAppliesInfra(t *testing.T) {
	env := terraformEnv(t)
	mocks, err := os.ReadFile(filepath.Join("terraform", "infra.tftest.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range synthAll(t) {
		t.Run(f.Name, func(t *testing.T) {
			checkInfraStack(t, env, mocks, f.StackPath("infra"), f.Config.Backend.Type == "local")
		})
	}
	for _, f := range synthFleets(t) {
		for _, c := range f.Fleet.Clusters {
			stack := c.Name + "-infra"
			t.Run(f.Name+"/"+stack, func(t *testing.T) {
				checkInfraStack(t, env, mocks, f.StackPath(stack), c.Backend.Type == "local")
			})
		}
	}
}

// checkInfraStack copies one synthesized infra stack into a directory of
// the same depth as cdktf.out/stacks/<name> (so relative state paths mean
// what they mean there) and runs init, validate and the mock plan/apply.
func checkInfraStack(t *testing.T, env []string, mocks []byte, stackPath string, initBackend bool) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cdktf.out", "stacks", filepath.Base(filepath.Dir(stackPath)))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	stack, err := os.ReadFile(stackPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cdk.tf.json"), stack, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "infra.tftest.hcl"), mocks, 0o644); err != nil {
		t.Fatal(err)
	}
	writeUnprotectOverride(t, dir, stack)
	if initBackend {
		terraform(t, dir, env, "init")
	} else {
		terraform(t, dir, env, "init", "-backend=false")
	}
	terraform(t, dir, env, "validate")
	out := terraform(t, dir, env, "test")
	if !strings.Contains(out, "2 passed, 0 failed") {
		t.Errorf("terraform test did not pass the plan and apply runs:\n%s", out)
	}
}
