package apptest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/eksready/eksready/catalog"
)

// The Helm provider version the schema provider impersonates: the one
// whose schema it serves (schemaprovider/schemas/) and that the addons
// stack requires (~> 2.17).
const helmProviderVersion = "2.17.0"

const (
	awsProviderAddr  = "registry.terraform.io/hashicorp/aws"
	helmProviderAddr = "registry.terraform.io/hashicorp/helm"
	tfeProviderAddr  = "registry.terraform.io/hashicorp/tfe"
)

// standInProviders are the providers the schema provider is installed as,
// each at the version whose recorded schema it then serves: Helm for the
// addons stacks, tfe (the catalog's pin) for the bootstrap stack.
var standInProviders = []struct{ addr, version string }{
	{helmProviderAddr, helmProviderVersion},
	{tfeProviderAddr, catalog.TfeProvider.Version},
}

// providerInstallation builds the schema provider (schemaprovider/, its own
// Go module) once and installs it in a filesystem mirror under dir as each
// of standInProviders, and returns the CLI configuration's
// provider_installation block: those from that mirror, AWS from the
// machine's mirror when it exists, nothing else from anywhere. No Helm or
// tfe provider binary exists on these machines; the schema provider lets
// terraform check the addons and bootstrap stacks against the real
// providers' schemas (see schemaprovider/main.go for what that does and
// does not cover). A missing Go toolchain fails the tests that need it.
func providerInstallation(dir string) (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("the Go toolchain is required to build the schema provider for the terraform checks and is not on PATH: %v", err)
	}
	built := filepath.Join(dir, "schemaprovider")
	cmd := exec.Command(goBin, "build", "-o", built, ".")
	cmd.Dir = "schemaprovider"
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building the schema provider: %v\n%s", err, out.String())
	}
	mirror := filepath.Join(dir, "stand-in-mirror")
	var exclude []string
	for _, p := range standInProviders {
		// The plugin serves the schema its file name names.
		bin := filepath.Join(mirror, p.addr, p.version, runtime.GOOS+"_"+runtime.GOARCH,
			"terraform-provider-"+filepath.Base(p.addr)+"_v"+p.version)
		if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
			return "", err
		}
		if err := os.Link(built, bin); err != nil {
			return "", err
		}
		exclude = append(exclude, fmt.Sprintf("%q", p.addr))
	}
	mirrors := fmt.Sprintf("  filesystem_mirror {\n    path    = %q\n    include = [%s]\n  }\n", mirror, strings.Join(exclude, ", "))
	if _, err := os.Stat(providerMirror); err == nil {
		mirrors += fmt.Sprintf("  filesystem_mirror {\n    path    = %q\n    include = [%q]\n  }\n", providerMirror, awsProviderAddr)
		exclude = append(exclude, fmt.Sprintf("%q", awsProviderAddr))
	}
	return fmt.Sprintf("provider_installation {\n%s  direct { exclude = [%s] }\n}\n", mirrors, strings.Join(exclude, ", ")), nil
}

// checkStack copies one synthesized stack into a directory of the same
// depth as cdktf.out/stacks/<name> (so relative state paths mean what they
// mean there), next to the given test files, and runs `terraform init` and
// `test`, which must pass `runs` runs (validating the configuration with
// the provider's own checks first, see brokenInfraCheck). `init
// -backend=false` leaves remote backends alone, so no credentials are
// needed. For a stack with checks of its own; every synthesized stack goes
// through the batch (terraform_batch_test.go).
func checkStack(t *testing.T, env []string, stackPath string, testFiles map[string][]byte, initBackend bool, runs int) {
	t.Helper()
	dir := stackCopy(t, stackPath, testFiles)
	// terraform test destroys what its runs applied; deletion protection
	// would refuse that, so this copy alone has it switched off.
	stack, err := os.ReadFile(stackPath)
	if err != nil {
		t.Fatal(err)
	}
	writeUnprotectOverride(t, dir, stack)
	if initBackend {
		terraform(t, dir, env, "init")
	} else {
		terraform(t, dir, env, "init", "-backend=false")
	}
	out := terraform(t, dir, env, "test")
	if want := fmt.Sprintf("%d passed, 0 failed", runs); !strings.Contains(out, want) {
		t.Errorf("terraform test did not pass its %d runs:\n%s", runs, out)
	}
}

// stackCopy writes one synthesized stack and extra files into a fresh
// cdktf.out/stacks/<name> folder and returns it.
func stackCopy(t *testing.T, stackPath string, files map[string][]byte) string {
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
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// terraformFails runs a terraform command that must fail, and returns its
// output.
func terraformFails(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	out, err := runTerraform(dir, env, args...)
	if err == nil {
		t.Errorf("terraform %s in %s succeeded; it should have failed:\n%s", strings.Join(args, " "), dir, out)
	}
	return out
}

// runTerraform runs one terraform command and returns its combined output.
func runTerraform(dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command("terraform", append(args, "-no-color")...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}
