package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// writeFleet creates a clusters directory from file name → content.
func writeFleet(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "clusters")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		if strings.HasSuffix(name, "/") { // a directory
			if err := os.Mkdir(filepath.Join(dir, name), 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// fleetProblems loads dir and returns its problems as `file: path: value
// rule` lines with the directory stripped, failing if it loaded.
func fleetProblems(t *testing.T, dir string) []string {
	t.Helper()
	_, err := LoadFleet(dir)
	var fp FleetProblems
	if !errors.As(err, &fp) {
		t.Fatalf("want FleetProblems, got %v", err)
	}
	var out []string
	for _, p := range fp.Problems {
		out = append(out, strings.TrimPrefix(p.String(), dir+string(filepath.Separator)))
	}
	return out
}

const sharedFleet = `
allowedRegions: [eu-west-1, eu-central-1]
defaults:
  tags: {cost-center: platform, owner: sre}
  backend:
    type: s3
    s3: {bucket: acme-state, region: eu-west-1}
  nodes:
    system: {instanceTypes: [m7i.large], maxSize: 4}
  controlPlane:
    endpoint: {publicAccessCidrs: ["198.51.100.0/24"]}
`

func TestFleetMergesSharedSettingsUnderEachCluster(t *testing.T) {
	dir := writeFleet(t, map[string]string{
		FleetFile: sharedFleet,
		"prod.yaml": `
region: eu-central-1
tags: {owner: oncall, environment: prod}
nodes:
  system: {maxSize: 9}
controlPlane:
  endpoint: {publicAccessCidrs: ["203.0.113.0/24", "192.0.2.0/24"]}
`,
		"dev.yaml": "tags: {environment: dev}\n",
	})
	repo, err := LoadFleet(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !repo.Fleet || len(repo.Clusters) != 2 {
		t.Fatalf("repo = %+v", repo)
	}
	// File name order, names from file names.
	dev, prod := repo.Clusters[0], repo.Clusters[1]
	if dev.Name != "dev" || prod.Name != "prod" || repo.Files[1] != filepath.Join(dir, "prod.yaml") {
		t.Fatalf("clusters %s, %s from %v", dev.Name, prod.Name, repo.Files)
	}
	// Maps merge key by key: shared tags stay, the cluster's win.
	if want := map[string]string{"cost-center": "platform", "owner": "oncall", "environment": "prod"}; !reflect.DeepEqual(prod.Tags, want) {
		t.Errorf("prod tags = %v, want %v", prod.Tags, want)
	}
	if want := map[string]string{"cost-center": "platform", "owner": "sre", "environment": "dev"}; !reflect.DeepEqual(dev.Tags, want) {
		t.Errorf("dev tags = %v, want %v (prod's tags must not leak)", dev.Tags, want)
	}
	// Inside a node pool too: the shared instance types stay under the
	// cluster's maxSize.
	if p := prod.Nodes[SystemPool]; !slices.Equal(p.InstanceTypes, []string{"m7i.large"}) || p.MaxSize != 9 || p.MinSize != 1 {
		t.Errorf("prod system pool = %+v", p)
	}
	if p := dev.Nodes[SystemPool]; p.MaxSize != 4 {
		t.Errorf("dev system pool maxSize = %d, want the shared 4", p.MaxSize)
	}
	// Lists replace.
	if got := prod.ControlPlane.Endpoint.PublicAccessCidrs; !slices.Equal(got, []string{"203.0.113.0/24", "192.0.2.0/24"}) {
		t.Errorf("prod CIDRs = %v", got)
	}
	if got := dev.ControlPlane.Endpoint.PublicAccessCidrs; !slices.Equal(got, []string{"198.51.100.0/24"}) {
		t.Errorf("dev CIDRs = %v", got)
	}
	// The shared backend, with per-cluster derived keys.
	if k := prod.Backend.S3.Keys; k.Infra != "eksready/prod/infra.tfstate" || k.Addons != "eksready/prod/addons.tfstate" {
		t.Errorf("prod keys = %+v", k)
	}
	if dev.Backend.S3 == prod.Backend.S3 {
		t.Error("clusters share one backend block")
	}
	// Deterministic: a second load is identical.
	again, err := LoadFleet(dir)
	if err != nil || !reflect.DeepEqual(again, repo) {
		t.Errorf("second load differs: %v", err)
	}
}

func TestFleetNullDropsASharedSetting(t *testing.T) {
	dir := writeFleet(t, map[string]string{
		FleetFile:   sharedFleet,
		"edge.yaml": "backend: {type: local, s3: null}\ntags: null\n",
	})
	repo, err := LoadFleet(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := repo.Clusters[0]
	if c.Backend.Type != BackendLocal || c.Backend.S3 != nil || len(c.Tags) != 0 {
		t.Errorf("backend %+v, tags %v; want local, no s3 block, no tags", c.Backend, c.Tags)
	}
}

func TestFleetWithoutSharedFile(t *testing.T) {
	dir := writeFleet(t, map[string]string{"aa.yaml": "name: aa\n", "bb.yaml": "region: us-east-1\n", "README.md": "not a cluster"})
	repo, err := LoadFleet(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(repo.Clusters) != 2 || repo.Clusters[0].Name != "aa" || repo.Clusters[1].Region != "us-east-1" {
		t.Errorf("clusters = %+v", repo.Clusters)
	}
}

// TestFleetReportsEveryProblemOfEveryFile is the fleet's contract: one run
// names every problem with its file, whether it is in a cluster file, in
// the shared file, or only visible across files.
func TestFleetReportsEveryProblemOfEveryFile(t *testing.T) {
	dir := writeFleet(t, map[string]string{
		FleetFile: `
allowedRegions: [eu-west-1, mars, eu-west-1]
defaults:
  name: shared
  nmae: x
  backend: {type: s3, s3: {region: eu-west-1}}
  tags: {managed-by: me}
`,
		"alpha.yaml":       "name: twin\nregion: us-east-1\nbackend: {s3: {bucket: acme-state}}\n",
		"beta.yaml":        "name: twin\nbackend: {s3: {bucket: acme-state}}\n",
		"Bad_Cluster.yaml": "backend: {s3: {bucket: acme-state}}\n",
		"gamma.yml":        "name: gamma\n",
		"_fleets.yaml":     "",
		"broken.yaml":      "name: [unclosed\n",
		"delta.yaml":       "backend: {type: cloud, cloud: {organization: acme}}\nnodes: {system: {maxSize: lots}}\n",
		"epsilon.yaml":     "name: epsilon\n",
		"zeta.yaml":        "# nothing yet\n---\n",
	})
	got := fleetProblems(t, dir)
	want := []string{
		`_fleet.yaml: allowedRegions[1]: "mars" is not an AWS region name (like eu-west-1)`,
		`_fleet.yaml: allowedRegions[2]: "eu-west-1" is listed twice`,
		`_fleet.yaml: defaults.name: cannot be shared: every cluster has its own name (its file name, or name: in its file)`,
		`_fleet.yaml: defaults.nmae: unknown key (line 5); did you mean "name"?`,
		`_fleet.yaml: defaults.tags.managed-by: "me" overrides a tag eksready sets on every resource (eksready:cluster, managed-by)`,
		// Required under a block only the shared defaults wrote.
		`_fleet.yaml: defaults.backend.s3.bucket: is required when backend.type is s3`,
		`_fleets.yaml: (file): is not a cluster file (cluster names cannot contain '_'), and the only shared-settings file is _fleet.yaml`,
		`gamma.yml: (file): is not read: cluster files end in .yaml`,
		`zeta.yaml: (file): is empty (no settings, only comments or document markers); a cluster file states at least one setting (name: zeta, for a cluster of only the shared settings), or remove the file`,
		`broken.yaml: (file): is not valid YAML: line 1: did not find expected ',' or ']'`,
		`alpha.yaml: region: "us-east-1" is not one of the fleet's allowedRegions (eu-west-1, mars, eu-west-1, in ` + filepath.Join(dir, FleetFile) + `)`,
		`beta.yaml: name: "twin" is also the name of the cluster in ` + filepath.Join(dir, "alpha.yaml") + `; cluster names must be unique in a fleet`,
		`Bad_Cluster.yaml: name: "Bad_Cluster" must be lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (the name comes from the file name; set name: in the file to choose another)`,
		`delta.yaml: nodes.system.maxSize: "lots" is not a valid whole number (line 2)`,
		`delta.yaml: backend.s3: is only used with backend.type s3 (backend.type is "cloud"); remove it (in a fleet's cluster file, null drops one shared in _fleet.yaml)`,
	}
	assertSameProblems(t, got, want)
	if _, err := os.Stat(filepath.Join(dir, "..", "cdktf.out")); !os.IsNotExist(err) {
		t.Error("loading wrote something")
	}
}

func TestFleetRejectsSharedState(t *testing.T) {
	dir := writeFleet(t, map[string]string{
		FleetFile: "defaults: {backend: {type: s3, s3: {bucket: acme-state, keys: {infra: shared.tfstate}}}}\n",
		"aa.yaml": "name: aa\n",
		"bb.yaml": "name: bb\n",
		"cc.yaml": "backend: {type: cloud, s3: null, cloud: {organization: acme, workspaces: {addons: ws}}}\n",
		"dd.yaml": "backend: {type: cloud, s3: null, cloud: {organization: acme, workspaces: {addons: ws}}}\n",
		"ee.yaml": "backend: {type: cloud, s3: null, cloud: {organization: other, workspaces: {addons: ws}}}\n",
	})
	got := fleetProblems(t, dir)
	want := []string{
		`bb.yaml: backend.s3.keys.infra: "shared.tfstate" is also the state of the infra stack of cluster aa (` + filepath.Join(dir, "aa.yaml") + `); every stack needs a state of its own`,
		`dd.yaml: backend.cloud.workspaces.addons: "ws" is also the state of the addons stack of cluster cc (` + filepath.Join(dir, "cc.yaml") + `); every stack needs a state of its own`,
	}
	assertSameProblems(t, got, want)
}

func TestEmptyFleetDirectory(t *testing.T) {
	dir := writeFleet(t, map[string]string{FleetFile: "allowedRegions: [eu-west-1]\n"})
	_, err := LoadFleet(dir)
	want := "invalid fleet configuration in " + dir + " (1 problem in 1 file):\n  - " + dir + ": (directory): holds no cluster files (<cluster name>.yaml)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestFleetProblemsErrorIsSortedByFileThenPath(t *testing.T) {
	err := FleetProblems{Dir: "clusters", Problems: []FileProblem{
		{File: "clusters/b.yaml", Problem: Problem{Path: "region", Value: "x", Rule: "is bad"}},
		{File: "clusters/a.yaml", Problem: Problem{Path: "tags", Rule: "is bad"}},
		{File: "clusters/a.yaml", Problem: Problem{Path: "name", Rule: "is bad"}},
	}}.Error()
	want := `invalid fleet configuration in clusters (3 problems in 2 files):
  - clusters/a.yaml: name: is bad
  - clusters/a.yaml: tags: is bad
  - clusters/b.yaml: region: "x" is bad`
	if err != want {
		t.Errorf("got\n%s\nwant\n%s", err, want)
	}
}

func TestResolveConfig(t *testing.T) {
	env := func(vals map[string]string) func(string) string {
		return func(k string) string { return vals[k] }
	}
	has := func(names ...string) func(string) bool {
		return func(p string) bool { return slices.Contains(names, p) }
	}
	cases := []struct {
		name        string
		env         map[string]string
		files, dirs []string
		want        string
		wantErr     string
	}{
		{"nothing: built-in default", nil, nil, nil, "", ""},
		{"cluster.yaml", nil, []string{"cluster.yaml"}, nil, "cluster.yaml", ""},
		{"clusters directory", nil, nil, []string{"clusters"}, "clusters", ""},
		{"cluster.yaml is a directory", nil, []string{"cluster.yaml"}, []string{"cluster.yaml"}, "", "cluster.yaml is a directory, not a file: a single cluster is configured in the YAML file cluster.yaml, a fleet in a clusters/ directory; rename or remove it, or point EKSREADY_CONFIG at the configuration to use"},
		{"cluster.yaml directory beside clusters", nil, []string{"cluster.yaml", "clusters"}, []string{"cluster.yaml", "clusters"}, "", "cluster.yaml is a directory, not a file: a single cluster is configured in the YAML file cluster.yaml, a fleet in a clusters/ directory; rename or remove it, or point EKSREADY_CONFIG at the configuration to use"},
		{"both is ambiguous", nil, []string{"cluster.yaml"}, []string{"clusters"}, "", "both cluster.yaml and clusters/ exist: remove one, or point EKSREADY_CONFIG at the one to use"},
		{"explicit choice settles it", map[string]string{ConfigPathEnv: "fleets/eu"}, []string{"cluster.yaml"}, []string{"clusters"}, "fleets/eu", ""},
		{"context first", map[string]string{ConfigPathEnv: "a.yaml", "CDKTF_CONTEXT_JSON": `{"eksready:config":"clusters"}`}, nil, nil, "clusters", ""},
		{"environment file", map[string]string{ConfigPathEnv: "prod.yaml"}, nil, nil, "prod.yaml", ""},
		{"context without the key", map[string]string{"CDKTF_CONTEXT_JSON": `{"other":1}`}, []string{"cluster.yaml"}, nil, "cluster.yaml", ""},
		{"bad context", map[string]string{"CDKTF_CONTEXT_JSON": `{"eksready:config":3}`}, nil, nil, "", `context "eksready:config" must be a non-empty file path, got 3`},
		{"context not JSON", map[string]string{"CDKTF_CONTEXT_JSON": `{`}, nil, nil, "", "CDKTF_CONTEXT_JSON is not a JSON object: unexpected end of JSON input"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ResolveConfig(env(tc.env), has(tc.files...), has(tc.dirs...))
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("err = %v, want %s", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestLoadRepository(t *testing.T) {
	single, err := LoadRepository("")
	if err != nil || single.Fleet || len(single.Clusters) != 1 || single.Clusters[0].Name != "eksready" {
		t.Errorf("built-in default: %+v, %v", single, err)
	}
	dir := writeFleet(t, map[string]string{"one.yaml": "region: eu-west-1\n"})
	fleet, err := LoadRepository(dir)
	if err != nil || !fleet.Fleet || fleet.Clusters[0].Name != "one" {
		t.Errorf("directory: %+v, %v", fleet, err)
	}
	file, err := LoadRepository(filepath.Join(dir, "one.yaml"))
	if err != nil || file.Fleet || file.Clusters[0].Name != "eksready" {
		t.Errorf("one file of a fleet read alone is a single cluster: %+v, %v", file, err)
	}
}

func TestMergeYAMLLeavesInputsAlone(t *testing.T) {
	base, _ := parseConfig([]byte("a: {b: 1, c: [1]}\nd: x\n"))
	over, _ := parseConfig([]byte("a: {b: 2, e: 3}\nf: y\n"))
	merged := mergeYAML(base, over)
	var got map[string]any
	if err := merged.Decode(&got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"a": map[string]any{"b": 2, "c": []any{1}, "e": 3}, "d": "x", "f": "y"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merged = %v, want %v", got, want)
	}
	var b map[string]any
	_ = base.Decode(&b)
	if !reflect.DeepEqual(b, map[string]any{"a": map[string]any{"b": 1, "c": []any{1}}, "d": "x"}) {
		t.Errorf("base changed: %v", b)
	}
}
