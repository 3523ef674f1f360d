package catalog

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The tfe row is the single statement of which bindings and which provider
// eksready uses: package.json must pin exactly that package version, the
// installed package must be built for exactly that provider, and the
// terraform checks must serve that provider's recorded schema.
func TestTfeProviderRowMatchesThePinnedBindings(t *testing.T) {
	p := TfeProvider
	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	readJSON(t, filepath.Join("..", "package.json"), &pkg)
	if got := pkg.DevDependencies[p.NpmPackage]; got != p.NpmVersion {
		t.Errorf("package.json pins %s %q; the catalog says %q", p.NpmPackage, got, p.NpmVersion)
	}
	var installed struct {
		Version string `json:"version"`
		Cdktf   struct {
			Provider struct{ Name, Version string } `json:"provider"`
		} `json:"cdktf"`
		PeerDependencies map[string]string `json:"peerDependencies"`
	}
	readJSON(t, filepath.Join("..", "node_modules", p.NpmPackage, "package.json"), &installed)
	if installed.Version != p.NpmVersion {
		t.Errorf("node_modules holds %s %s, want %s (run make setup)", p.NpmPackage, installed.Version, p.NpmVersion)
	}
	if want := "registry.terraform.io/" + p.Source; installed.Cdktf.Provider.Name != want || installed.Cdktf.Provider.Version != p.Version {
		t.Errorf("%s %s is built for %s %s; the catalog says %s %s", p.NpmPackage, installed.Version, installed.Cdktf.Provider.Name, installed.Cdktf.Provider.Version, want, p.Version)
	}
	if peer := installed.PeerDependencies["cdktf"]; !strings.HasPrefix(peer, "^0.20") {
		t.Errorf("%s needs cdktf %s; eksready runs cdktf 0.20", p.NpmPackage, peer)
	}
	if !strings.HasPrefix(p.Constraint, "~> "+p.Version) {
		t.Errorf("constraint %q does not admit exactly the bindings' version %s and its patches", p.Constraint, p.Version)
	}
	schema := filepath.Join("..", "__tests__", "schemaprovider", "schemas", "terraform-provider-tfe-"+p.Version+".schema.json")
	if _, err := os.Stat(schema); err != nil {
		t.Errorf("no recorded schema for %s %s: %v", p.Source, p.Version, err)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
