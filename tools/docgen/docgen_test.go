package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config"
)

// root is the repository root, seen from this package's directory.
const root = "../.."

// TestGeneratedFilesAreCurrent fails while a committed generated file
// differs from what `make docs` would write: a setting, default, allowed
// value or readiness rule changed without the reference following.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	files, err := generate(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range sortedKeys(files) {
		committed, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Errorf("%s: %v (run make docs)", name, err)
			continue
		}
		if !bytes.Equal(committed, files[name]) {
			t.Errorf("%s is stale: run make docs and commit the result (first difference: %s)", name, firstDifference(committed, files[name]))
		}
	}
}

// firstDifference names the first line where two texts differ.
func firstDifference(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < min(len(al), len(bl)); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d is %q, would be %q", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines, would be %d", len(al), len(bl))
}

// TestReferenceCoversEveryKey: the reference lists exactly the keys the
// loader accepts, in their order.
func TestReferenceCoversEveryKey(t *testing.T) {
	docs, err := newDocIndex(root)
	if err != nil {
		t.Fatal(err)
	}
	settings, err := clusterSettings(docs)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	walk(settings, func(s *setting) { paths = append(paths, s.Path) })
	if want := config.AllKeys(); !slices.Equal(paths, want) {
		t.Errorf("reference keys differ from config.AllKeys:\n got: %v\nwant: %v", paths, want)
	}
}

// A field without a doc comment stops generation, naming the field.
func TestUndocumentedFieldIsRefused(t *testing.T) {
	type Undocumented struct {
		Size int `yaml:"size"`
	}
	docs := &docIndex{fields: map[string]map[string]string{}, defined: map[string]string{}, loaded: map[string]bool{reflect.TypeFor[Undocumented]().PkgPath(): true}}
	_, err := docs.field(reflect.TypeFor[Undocumented](), reflect.TypeFor[Undocumented]().Field(0))
	if err == nil || !strings.Contains(err.Error(), `Undocumented.Size (yaml key "size") has no doc comment`) {
		t.Fatalf("got %v", err)
	}
}

// A literal default in a doc comment that disagrees with the code stops
// generation.
func TestDocCommentDefaultMustAgree(t *testing.T) {
	s := &setting{Path: "controlPlane.keyDeletionWindowDays", Type: reflect.TypeFor[int](), Doc: "`keyDeletionWindowDays` is the waiting period. Default: 7.", Static: reflect.ValueOf(30), Resolved: reflect.ValueOf(30)}
	err := checkDocDefaults([]*setting{s})
	if err == nil || !strings.Contains(err.Error(), `controlPlane.keyDeletionWindowDays: its doc comment says "Default: 7", but the default is `+"`30`") {
		t.Fatalf("got %v", err)
	}
	s.Doc = "`keyDeletionWindowDays` is the waiting period. Default: 30."
	if err := checkDocDefaults([]*setting{s}); err != nil {
		t.Fatal(err)
	}
	if s.Doc != "`keyDeletionWindowDays` is the waiting period." {
		t.Errorf("a sentence that only repeats the default stays: %q", s.Doc)
	}
}

// schemas compiles the committed schemas once.
var schemas = map[string]*jsonschema.Schema{}

func schema(t *testing.T, file string) *jsonschema.Schema {
	t.Helper()
	if s, ok := schemas[file]; ok {
		return s
	}
	f, err := os.Open(filepath.Join(root, file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(file, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(file) // checks it against the draft-07 meta-schema
	if err != nil {
		t.Fatal(err)
	}
	schemas[file] = s
	return s
}

// validate checks YAML against a schema as an editor does: aliases
// followed and merge keys expanded, then the result as JSON.
func validate(t *testing.T, file, text string) error {
	t.Helper()
	var doc any
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatalf("not YAML: %v\n%s", err, text)
	}
	return schema(t, file).Validate(doc)
}

// The example every newcomer copies is valid against the schema its first
// line names, and that line points at the committed schema.
func TestExampleValidatesAgainstSchema(t *testing.T) {
	example := filepath.Join(root, "cluster.example.yaml")
	text, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(text), "\n")
	ref, ok := strings.CutPrefix(first, "# yaml-language-server: $schema=")
	if !ok {
		t.Fatalf("cluster.example.yaml starts with %q, not the yaml-language-server schema line", first)
	}
	// yaml-language-server resolves a relative path against the file's
	// directory.
	if got, want := filepath.Join(filepath.Dir(example), ref), filepath.Join(root, clusterSchemaFile); got != want {
		t.Fatalf("schema line points at %s, not %s", got, want)
	}
	if err := validate(t, clusterSchemaFile, string(text)); err != nil {
		t.Fatalf("cluster.example.yaml does not validate against %s:\n%v", clusterSchemaFile, err)
	}
}

// Every fixture the whole-app tests synthesize (so every one the loader
// accepts) validates against its schema: the schema is no stricter than
// the loader on real configurations.
func TestFixturesValidateAgainstSchemas(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(root, "__tests__", "fixtures", "*.yaml"))
	fleetFiles, _ := filepath.Glob(filepath.Join(root, "__tests__", "fixtures", "*", "*.yaml"))
	if len(files) == 0 || len(fleetFiles) == 0 {
		t.Fatal("no fixtures found")
	}
	for _, f := range append(files, fleetFiles...) {
		schemaFile := clusterSchemaFile
		switch {
		case filepath.Base(f) == config.FleetFile:
			schemaFile = fleetSchemaFile
		case slices.Contains(fleetFiles, f):
			schemaFile = fleetClusterFile
		}
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := validate(t, schemaFile, string(text)); err != nil {
			t.Errorf("%s does not validate against %s:\n%v", f, schemaFile, err)
		}
	}
}

// kind is which file format a test input is.
type kind int

const (
	clusterFile kind = iota
	fleetDefaults
	fleetCluster
)

// load runs an input through the loader: as cluster.yaml, or as the
// _fleet.yaml or a cluster file of a fleet (with the other file minimal).
// It returns the problems' paths.
func load(t *testing.T, k kind, text string) []string {
	t.Helper()
	var err error
	switch k {
	case clusterFile:
		_, err = config.Load(strings.NewReader(text))
	default:
		dir := t.TempDir()
		fleet, cluster := "defaults: {tags: {team: platform}}\n", "tags: {env: dev}\n"
		if k == fleetDefaults {
			fleet = text
		} else {
			cluster = text
		}
		for name, content := range map[string]string{config.FleetFile: fleet, "dev.yaml": cluster} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		_, err = config.LoadFleet(dir)
	}
	var paths []string
	var ps config.Problems
	var fps config.FleetProblems
	switch {
	case err == nil:
	case errors.As(err, &ps):
		for _, p := range ps {
			paths = append(paths, p.Path)
		}
	case errors.As(err, &fps):
		for _, p := range fps.Problems {
			paths = append(paths, p.Path)
		}
	default:
		t.Fatalf("not a configuration problem: %v", err)
	}
	return paths
}

var schemaOf = map[kind]string{clusterFile: clusterSchemaFile, fleetDefaults: fleetSchemaFile, fleetCluster: fleetClusterFile}

// Invalid configurations of the kinds the schema can see (unknown keys,
// wrong types, values outside a fixed set) are refused by the schema and
// by the loader, which names the key.
func TestInvalidConfigurationsAreRefusedByBoth(t *testing.T) {
	for _, c := range []struct {
		name string
		kind kind
		yaml string
		path string // the loader's problem
	}{
		{"unknown key", clusterFile, "nmae: prod\n", "nmae"},
		{"misspelt nested key", clusterFile, "network: {vpcCIDR: 10.1.0.0/16}\n", "network.vpcCIDR"},
		{"unknown key in a node pool", clusterFile, "nodes: {system: {instanceType: m6i.large}}\n", "nodes.system.instanceType"},
		{"unknown key in a list item", clusterFile, "access: {entries: [{principalArn: 'arn:aws:iam::111122223333:role/ops', policy: view, scope: all}]}\n", "access.entries[0].scope"},
		{"unknown key under a merge key", clusterFile, "nodes:\n  system: &pool {minSize: 1}\n  batch:\n    <<: *pool\n    maxsize: 5\n", "nodes.batch.maxsize"},
		{"text for a whole number", clusterFile, "nodes: {system: {minSize: lots}}\n", "nodes.system.minSize"},
		{"decimal for a whole number", clusterFile, "readiness: {minCapacityHeadroomPercent: 12.5}\n", "readiness.minCapacityHeadroomPercent"},
		{"quoted boolean", clusterFile, "controlPlane: {zonalShift: \"true\"}\n", "controlPlane.zonalShift"},
		{"mapping for a list", clusterFile, "controlPlane: {endpoint: {publicAccessCidrs: {office: 203.0.113.0/24}}}\n", "controlPlane.endpoint.publicAccessCidrs"},
		{"list for a string", clusterFile, "name: [a, b]\n", "name"},
		{"value for a mapping", clusterFile, "network: 10.0.0.0/16\n", "network"},
		{"null for a value", clusterFile, "name: null\n", "name"},
		{"mode outside its set", clusterFile, "network: {podNetworking: {mode: calico}}\n", "network.podNetworking.mode"},
		{"workload identity outside its set", clusterFile, "workloadIdentity: kiam\n", "workloadIdentity"},
		{"OS outside its set", clusterFile, "nodes: {system: {os: ubuntu}}\n", "nodes.system.os"},
		{"list item outside its set", clusterFile, "controlPlane: {logging: {types: [api, kubelet]}}\n", "controlPlane.logging.types[1]"},
		{"number outside its set", clusterFile, "network: {flowLogs: {retentionDays: 2}}\n", "network.flowLogs.retentionDays"},
		{"region EKS does not run in", clusterFile, "region: eu-mars-1\n", "region"},
		{"Kubernetes version EKS never had", clusterFile, "kubernetesVersion: \"1.9\"\n", "kubernetesVersion"},
		{"waiver of no rule", clusterFile, "readiness: {waive: [{rule: BP-NO-SUCH-RULE, reason: accepted in PLAT-1}]}\n", "readiness.waive[0].rule"},
		{"map key outside its set", clusterFile, "managedAddons: {versions: {kube-dns: v1.11.1-eksbuild.1}}\n", "managedAddons.versions.kube-dns"},
		{"backend type outside its set", clusterFile, "backend: {type: gcs}\n", "backend.type"},
		{"unknown key in _fleet.yaml", fleetDefaults, "default: {tags: {team: platform}}\n", "default"},
		{"shared name in _fleet.yaml", fleetDefaults, "defaults: {name: shared}\n", "defaults.name"},
		{"fleet region outside its set", fleetDefaults, "allowedRegions: [eu-mars-1]\n", "allowedRegions[0]"},
		{"wrong type in a fleet's defaults", fleetDefaults, "defaults: {nodes: {system: {maxSize: many}}}\n", "defaults.nodes.system.maxSize"},
		{"unknown key in a fleet's cluster file", fleetCluster, "regoin: eu-west-1\n", "regoin"},
		{"value outside its set in a fleet's cluster file", fleetCluster, "compute: {mode: fargate}\n", "compute.mode"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := validate(t, schemaOf[c.kind], c.yaml); err == nil {
				t.Errorf("%s accepts:\n%s", schemaOf[c.kind], c.yaml)
			}
			if paths := load(t, c.kind, c.yaml); !slices.Contains(paths, c.path) {
				t.Errorf("loader problems %v, want one at %s", paths, c.path)
			}
		})
	}
}

// What the reference says the schema cannot check, or checks differently,
// is so: each of these is valid to one and not to the other.
func TestSchemaLimitsAreAsDocumented(t *testing.T) {
	for _, c := range []struct {
		name         string
		kind         kind
		yaml         string
		schemaAccept bool
	}{
		{"a rule across settings", clusterFile, "nodes: {system: {minSize: 5, maxSize: 2}}\n", true},
		{"a setting another setting rules out", clusterFile, "compute: {autoMode: {ingressScheme: internal}}\n", true},
		{"a value's format", clusterFile, "network: {vpcCidr: 10.0.0.1/33}\n", true},
		{"capacity", clusterFile, "network: {vpcCidr: 10.0.0.0/24}\nnodes: {system: {maxSize: 400}}\n", true},
		{"an explicit null for a mapping", clusterFile, "tags: null\n", true},
		{"a null that removes nothing shared", fleetCluster, "region: null\n", true},
		{"an unquoted version", clusterFile, "kubernetesVersion: " + catalog.DefaultKubernetes + "\n", false},
		{"a YAML 1.1 boolean", clusterFile, "controlPlane: {zonalShift: yes}\n", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			schemaErr := validate(t, schemaOf[c.kind], c.yaml)
			loaderRefuses := len(load(t, c.kind, c.yaml)) > 0
			if (schemaErr == nil) != c.schemaAccept || loaderRefuses != c.schemaAccept {
				t.Errorf("schema accepts: %v (want %v), loader refuses: %v (want %v)\n%s", schemaErr == nil, c.schemaAccept, loaderRefuses, c.schemaAccept, c.yaml)
			}
		})
	}
	// A fleet's cluster file drops a shared setting with null, which both
	// accept there; a single cluster's schema refuses a null value.
	if err := validate(t, fleetClusterFile, "tags: null\n"); err != nil || len(load(t, fleetCluster, "tags: null\n")) > 0 {
		t.Errorf("a null dropping a shared setting is refused: schema %v", err)
	}
	if validate(t, fleetClusterFile, "workloadIdentity: null\n") != nil || validate(t, clusterSchemaFile, "workloadIdentity: null\n") == nil {
		t.Errorf("only the fleet-cluster schema should accept a null value")
	}
}

// contexts are what a key with a fixed set of values needs beside it for
// the loader to check it at all: Auto Mode settings only in Auto Mode, an
// S3 backend's only with that backend.
var contexts = map[string]string{
	"compute.autoMode.": "compute: {mode: auto-mode}",
	"backend.s3.":       "backend: {type: s3, s3: {bucket: acme-terraform-state}}",
	// A reserved NodePool needs the reservations its NodeClass selects.
	"software.karpenter.nodePools.": "software: {autoscaling: karpenter, karpenter: {capacityReservations: [{id: cr-0123456789abcdef0}]}}",
	"compute.autoMode.nodePools.":   "compute: {autoMode: {capacityReservations: [{id: cr-0123456789abcdef0}]}}",
}

// TestAllowedValuesAgreeWithTheLoader proves config.AllowedValues, which
// the schema's enums come from, is what validation accepts: every listed
// value is accepted at its key by the loader and the schema, and a value
// outside the list is refused by both.
func TestAllowedValuesAgreeWithTheLoader(t *testing.T) {
	check := func(k kind, path string, values []any) {
		t.Run(path, func(t *testing.T) {
			outside := any("not-a-listed-value")
			if _, ok := values[0].(int); ok {
				for n := 1; ; n++ {
					if !slices.Contains(values, any(n)) {
						outside = n
						break
					}
				}
			}
			for _, v := range append(slices.Clone(values), outside) {
				text, at := fileSetting(path, v)
				paths := load(t, k, text)
				refused := slices.ContainsFunc(paths, func(p string) bool { return p == at || strings.HasPrefix(p, at+".") })
				schemaErr := validate(t, schemaOf[k], text)
				if v == outside {
					if !refused || schemaErr == nil {
						t.Errorf("%v outside the list: loader refuses %v (problems %v), schema refuses %v\n%s", v, refused, paths, schemaErr != nil, text)
					}
				} else if refused || schemaErr != nil {
					t.Errorf("listed %v: loader refuses %v (problems %v), schema: %v\n%s", v, refused, paths, schemaErr, text)
				}
			}
		})
	}
	for _, path := range sortedKeys(config.AllowedValues()) {
		check(clusterFile, path, config.AllowedValues()[path])
	}
	for _, path := range sortedKeys(config.FleetAllowedValues()) {
		check(fleetDefaults, path, config.FleetAllowedValues()[path])
	}
	for _, path := range sortedKeys(config.AllowedKeys()) {
		var keys []any
		for _, k := range config.AllowedKeys()[path] {
			keys = append(keys, k)
		}
		// A key with a value the loader accepts for every listed key.
		check(clusterFile, path+".<key>", keys)
	}
}

// fileSetting is a configuration file setting the key at an AllKeys path
// to v (`<name>` becomes an entry named sample, `[]` a one-item list,
// `<key>` the value itself as a key), with the context the key needs; it
// returns the file and the key's path in the loader's problems.
func fileSetting(path string, v any) (text, at string) {
	segs := strings.Split(path, ".")
	var build func(i int) any
	var where []string
	build = func(i int) any {
		if i == len(segs) {
			return v
		}
		seg := segs[i]
		switch {
		case seg == "<name>":
			where = append(where, "sample")
			return map[string]any{"sample": build(i + 1)}
		case seg == "<key>":
			where = append(where, fmt.Sprint(v))
			return map[string]any{fmt.Sprint(v): "v9.0.0-eksbuild.1"}
		case strings.HasSuffix(seg, "[]"):
			where = append(where, strings.TrimSuffix(seg, "[]")+"[0]")
			return map[string]any{strings.TrimSuffix(seg, "[]"): []any{build(i + 1)}}
		}
		where = append(where, seg)
		return map[string]any{seg: build(i + 1)}
	}
	doc := build(0).(map[string]any)
	for prefix, ctx := range contexts {
		if strings.HasPrefix(path, prefix) {
			var extra map[string]any
			if err := yaml.Unmarshal([]byte(ctx), &extra); err != nil {
				panic(err)
			}
			merge(doc, extra)
		}
	}
	out, err := yaml.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return string(out), strings.ReplaceAll(strings.Join(where, "."), ".[", "[")
}

// merge lays over onto base, mapping by mapping.
func merge(base, over map[string]any) {
	for k, v := range over {
		if b, ok := base[k].(map[string]any); ok {
			if o, ok := v.(map[string]any); ok {
				merge(b, o)
				continue
			}
		}
		base[k] = v
	}
}

// linkedPages are the Markdown pages whose relative links must resolve:
// the repository's own (README, CONTRIBUTING, ARCHITECTURE) and every page
// of docs/, the generated ones included.
func linkedPages(t *testing.T) []string {
	t.Helper()
	var pages []string
	for _, pattern := range []string{"*.md", "docs/*.md"} {
		found, err := fs.Glob(os.DirFS(root), pattern)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, found...)
	}
	for _, want := range []string{"README.md", "CONTRIBUTING.md", "ARCHITECTURE.md", configurationFile, readinessFile} {
		if !slices.Contains(pages, want) {
			t.Errorf("%s is missing", want)
		}
	}
	return pages
}

// Every relative link of every page reaches a file of the repository, and
// every #anchor a heading of its target (as GitHub names them).
func TestLinksResolve(t *testing.T) {
	fsys := os.DirFS(root)
	for _, page := range linkedPages(t) {
		for _, problem := range brokenLinks(fsys, page) {
			t.Error(problem)
		}
	}
}

// The link check catches what it is for, on made-up pages.
func TestBrokenLinksAreCaught(t *testing.T) {
	fsys := fstest.MapFS{
		"README.md": {Data: []byte("# eksready\n\n" +
			"## Quick start\n\nSee [the guide](docs/guide.md#deploy-cdktf-deploy), [code](catalog/charts.go), [this](#quick-start),\n" +
			"[twice](docs/guide.md#notes-1), [a site](https://example.com/#x) and [mail](mailto:x@example.com).\n\n" +
			"Broken: [gone](docs/gone.md), [no heading](docs/guide.md#teardown), [here](#quick-start-1),\n" +
			"[fenced](docs/guide.md#not-a-heading), [outside](../elsewhere.md), [code anchor](catalog/charts.go#L1).\n\n" +
			"Not links: `[in code](docs/gone.md)` and\n\n```sh\necho [x](docs/gone.md)\n```\n")},
		"catalog/charts.go": {Data: []byte("package catalog\n")},
		"docs/guide.md": {Data: []byte("# Guide\n\n## Deploy (`cdktf deploy`)\n\n## Notes\n\n## Notes\n\n" +
			"```yaml\n# not a heading\n```\n\nBack to [the README](../README.md#quick-start) and [deploy](#deploy-cdktf-deploy).\n")},
	}
	got := append(brokenLinks(fsys, "README.md"), brokenLinks(fsys, "docs/guide.md")...)
	want := []string{
		"README.md links to docs/gone.md, which does not exist",
		"README.md links to docs/guide.md#teardown, which is no heading there",
		"README.md links to #quick-start-1, which is no heading there",
		"README.md links to docs/guide.md#not-a-heading, which is no heading there",
		"README.md links to ../elsewhere.md, which is outside the repository",
		"README.md links to catalog/charts.go#L1: anchors are checked only in Markdown pages",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

var (
	// linkTarget is a Markdown link's or image's target: a path, a
	// #fragment, or both.
	linkTarget = regexp.MustCompile(`\]\(([^)#\s]*)(?:#([^)\s]*))?\)`)
	// codeSpan is inline code, which may wrap across lines.
	codeSpan = regexp.MustCompile("(?s)``.*?``|`[^`]*`")
	// atxHeading is a heading line; the text excludes closing #s.
	atxHeading = regexp.MustCompile(`^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$`)
	// inlineLink is a link or image inside a heading: GitHub's anchor is
	// made of its text only.
	inlineLink = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	// fence opens or closes a fenced code block.
	fence = regexp.MustCompile("^ {0,3}(```|~~~)")
)

// markdownPage is what the link check reads of a page: the text outside
// fenced code blocks, and its headings' anchors.
func markdownPage(text string) (prose string, anchors map[string]bool) {
	anchors = map[string]bool{}
	seen := map[string]int{}
	var b strings.Builder
	open := ""
	for _, line := range strings.Split(text, "\n") {
		if m := fence.FindStringSubmatch(line); m != nil && (open == "" || m[1] == open) {
			if open == "" {
				open = m[1]
			} else {
				open = ""
			}
			b.WriteString("\n")
			continue
		}
		if open != "" {
			b.WriteString("\n")
			continue
		}
		if h := atxHeading.FindStringSubmatch(line); h != nil {
			// GitHub numbers a repeated anchor: notes, notes-1, notes-2.
			a := anchor(inlineLink.ReplaceAllString(h[1], "$1"))
			if n := seen[a]; n > 0 {
				anchors[fmt.Sprintf("%s-%d", a, n)] = true
			} else {
				anchors[a] = true
			}
			seen[a]++
		}
		b.WriteString(line + "\n")
	}
	return codeSpan.ReplaceAllString(b.String(), "code"), anchors
}

// brokenLinks lists the relative links of a page (by its path in fsys)
// that reach no file of fsys, or whose #anchor is no heading of the
// Markdown page they reach. Links in code are not links; links with a
// scheme (https:, mailto:) are not checked.
func brokenLinks(fsys fs.FS, page string) []string {
	read := func(name string) (string, error) {
		data, err := fs.ReadFile(fsys, name)
		return string(data), err
	}
	text, err := read(page)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", page, err)}
	}
	prose, _ := markdownPage(text)
	var out []string
	for _, m := range linkTarget.FindAllStringSubmatch(prose, -1) {
		target, frag := m[1], m[2]
		if strings.Contains(target, ":") {
			continue
		}
		link := target
		if frag != "" {
			link += "#" + frag
		}
		file := page
		if target != "" {
			file = path.Join(path.Dir(page), target)
			if !fs.ValidPath(file) {
				out = append(out, fmt.Sprintf("%s links to %s, which is outside the repository", page, link))
				continue
			}
			if _, err := fs.Stat(fsys, file); err != nil {
				out = append(out, fmt.Sprintf("%s links to %s, which does not exist", page, link))
				continue
			}
		}
		if frag == "" {
			continue
		}
		if !strings.HasSuffix(file, ".md") {
			out = append(out, fmt.Sprintf("%s links to %s: anchors are checked only in Markdown pages", page, link))
			continue
		}
		targetText, err := read(file)
		if err != nil {
			out = append(out, fmt.Sprintf("%s links to %s: %v", page, link, err))
			continue
		}
		if _, anchors := markdownPage(targetText); !anchors[frag] {
			out = append(out, fmt.Sprintf("%s links to %s, which is no heading there", page, link))
		}
	}
	return out
}
