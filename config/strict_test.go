package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// badInputs counts the careless and hostile inputs these tests feed the
// loader, and refused how many of them are refused with the exact message
// (reported by TestZZBadInputCount).
var badInputs, refused int

// expectRefused checks one bad input's error against the exact message.
func expectRefused(t *testing.T, name string, err error, want string) {
	t.Helper()
	expectRefusedN(t, name, 1, err, want)
}

// expectRefusedN is expectRefused for n bad inputs checked at once (the
// bad files of one fleet).
func expectRefusedN(t *testing.T, name string, n int, err error, want string) {
	t.Helper()
	badInputs += n
	if err == nil {
		t.Errorf("%s: accepted", name)
		return
	}
	if err.Error() != want {
		t.Errorf("%s:\n got: %s\nwant: %s", name, err, want)
		return
	}
	refused += n
}

func loadText(text string) error {
	_, err := Load(strings.NewReader(text))
	return err
}

// TestStrictYAML covers what a YAML file can say that eksready used to
// read as something else: a key given twice, null, a float for a whole
// number, a second document, merge keys used wrongly, misspellings.
func TestStrictYAML(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"duplicate key inside a node pool",
			"nodes:\n  system:\n    instanceTypes: [m7g.large]\n    maxSize: 4\n    maxSize: 5\n",
			"invalid cluster configuration (1 problem):\n  - nodes.system.maxSize: is given twice in one mapping (lines 4 and 5); write each key once"},
		{"duplicate pool",
			"nodes:\n  system: {maxSize: 4}\n  system: {maxSize: 5}\n",
			"invalid cluster configuration (1 problem):\n  - nodes.system: is given twice in one mapping (lines 2 and 3); write each key once"},
		{"duplicate top-level key beside other problems",
			"region: eu-west-1\nregion: eu-west-2\nnodes: {system: {maxSize: lots}}\nregoin: x\n",
			"invalid cluster configuration (3 problems):\n  - nodes.system.maxSize: \"lots\" is not a valid whole number (line 3)\n  - region: is given twice in one mapping (lines 1 and 2); write each key once\n  - regoin: unknown key (line 4); did you mean \"region\"?"},
		{"duplicate tag",
			"tags: {team: a, team: b}\n",
			"invalid cluster configuration (1 problem):\n  - tags.team: is given twice in one mapping (lines 1 and 1); write each key once"},
		{"every null reported",
			"name: null\nregion: ~\nkubernetesVersion:\nnodes: {system: {maxSize: null}}\n",
			"invalid cluster configuration (4 problems):\n  - kubernetesVersion: has no value (line 3); write one, or remove the key to keep the default\n  - name: is null (line 1); write a value, or remove the key to keep the default\n  - nodes.system.maxSize: is null (line 4); write a value, or remove the key to keep the default\n  - region: is null (line 2); write a value, or remove the key to keep the default"},
		{"null for a mapping",
			"network: null\n",
			"invalid cluster configuration (1 problem):\n  - network: is null (line 1); write a value, or remove the key to keep the default"},
		{"null list item",
			"nodes: {system: {instanceTypes: [m6i.large, null]}}\n",
			"invalid cluster configuration (1 problem):\n  - nodes.system.instanceTypes[1]: is null (line 1); write a value, or remove the key to keep the default"},
		{"float for a whole number",
			"nodes: {system: {maxSize: 7.5}}\n",
			"invalid cluster configuration (1 problem):\n  - nodes.system.maxSize: \"7.5\" is not a valid whole number (line 1)"},
		{"whole float for a whole number",
			"nodes: {system: {minSize: 2.0}}\n",
			"invalid cluster configuration (1 problem):\n  - nodes.system.minSize: \"2.0\" is not a valid whole number (line 1)"},
		{"exponent for a whole number",
			"nodes: {system: {maxSize: 1e3}}\n",
			"invalid cluster configuration (1 problem):\n  - nodes.system.maxSize: \"1e3\" is not a valid whole number (line 1)"},
		{"number beyond int64",
			"nodes: {system: {maxSize: 99999999999999999999}}\n",
			"invalid cluster configuration (1 problem):\n  - nodes.system.maxSize: \"99999999999999999999\" is not a valid whole number (line 1)"},
		{"second document",
			"name: one\n---\nname: two\n",
			"invalid cluster configuration (1 problem):\n  - (file): holds a second YAML document (the '---' on line 2); a file describes one cluster, in one document"},
		{"second document after an empty first",
			"---\n---\nname: two\n",
			"invalid cluster configuration (1 problem):\n  - (file): holds a second YAML document (the '---' on line 2); a file describes one cluster, in one document"},
		{"third document after an empty second",
			"name: one\n---\n---\nname: three\n",
			"invalid cluster configuration (1 problem):\n  - (file): holds a second YAML document (the '---' on line 3); a file describes one cluster, in one document"},
		{"a list as a key",
			"tags: {[a, b]: x}\n",
			"invalid cluster configuration (1 problem):\n  - tags.?: a key must be a single value, not a list (line 1)"},
		{"merge key with a scalar",
			"nodes:\n  system:\n    <<: 3\n",
			"invalid cluster configuration (1 problem):\n  - nodes.system.<<: is a YAML merge key, which takes a mapping or a list of mappings (line 3)"},
		{"quoted << is an ordinary unknown key, not a typo of os",
			"nodes: {system: {\"<<\": 1}}\n",
			"invalid cluster configuration (1 problem):\n  - nodes.system.<<: unknown key (line 1); known keys: acceleratorTaint, amiReleaseVersion, capacityReservation, capacityType, desiredSize, detailedMonitoring, generations, instanceTypes, kubernetesVersion, labels, maxSize, metadataHopLimit, minSize, os, taints, update, volumes"},
		{"two-letter typo gets no far-fetched suggestion",
			"nodes: {system: {xy: 1}}\n",
			"invalid cluster configuration (1 problem):\n  - nodes.system.xy: unknown key (line 1); known keys: acceleratorTaint, amiReleaseVersion, capacityReservation, capacityType, desiredSize, detailedMonitoring, generations, instanceTypes, kubernetesVersion, labels, maxSize, metadataHopLimit, minSize, os, taints, update, volumes"},
		{"transposed letters",
			"nmae: x\n",
			"invalid cluster configuration (1 problem):\n  - nmae: unknown key (line 1); did you mean \"name\"?"},
		{"alias bomb",
			aliasBomb(),
			"invalid cluster configuration (1 problem):\n  - (file): stands for more than 1,000,000 values once its aliases are followed; write the values out, or use fewer nested aliases"},
		{"too large",
			"tags: {a: \"" + strings.Repeat("x", MaxConfigBytes) + "\"}\n",
			"invalid cluster configuration (1 problem):\n  - (file): holds more than 1,048,576 bytes; a configuration file may hold at most 1,048,576 bytes"},
		{"not YAML",
			"nodes: [\n",
			"invalid cluster configuration (1 problem):\n  - (file): is not valid YAML: line 1: did not find expected node content"},
	}
	for _, tc := range cases {
		expectRefused(t, tc.name, loadText(tc.yaml), tc.want)
	}
}

// aliasBomb is a few lines whose aliases stand for 10^9 strings.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("x0: &a0 [s, s, s, s, s, s, s, s, s, s]\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&b, "x%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	return b.String()
}

// TestMergeKeysAreSupported: `<<` lays anchored mappings under a mapping's
// own keys, as YAML defines it, so node pools can share settings.
func TestMergeKeysAreSupported(t *testing.T) {
	c, err := Load(strings.NewReader(`nodes:
  general: &pool
    instanceTypes: [m7g.large]
    maxSize: 4
    labels: {team: a}
  batch:
    <<: *pool
    maxSize: 8
  spot:
    <<: [*pool, {capacityType: SPOT, maxSize: 2}]
`))
	if err != nil {
		t.Fatal(err)
	}
	batch, spot := c.Nodes["batch"], c.Nodes["spot"]
	if batch.InstanceTypes[0] != "m7g.large" || batch.MaxSize != 8 || batch.Labels["team"] != "a" {
		t.Errorf("batch = %+v", batch)
	}
	if spot.InstanceTypes[0] != "m7g.large" || spot.MaxSize != 4 || spot.CapacityType != "SPOT" {
		t.Errorf("spot = %+v (the first merged mapping wins)", spot)
	}
}

// TestDuplicateKeyKeepsNothingSilently: the pool with a duplicate key is
// refused rather than reverted to the default pool, and a mapping with a
// key written once is read as written.
func TestSectionHeadingWithOnlyCommentsIsEmpty(t *testing.T) {
	c, err := Load(strings.NewReader("network:\n  subnets:\n    public:\n      # prefixLength: 22\nname: ok\n"))
	if err != nil || c.Name != "ok" || c.Network.Subnets.Public.PrefixLength != Default().Network.Subnets.Public.PrefixLength {
		t.Errorf("a heading with only comments under it: %v, %+v", err, c.Network.Subnets.Public)
	}
}

// TestBoundedEcho: a long value or key is quoted as a prefix and its
// length, never in full.
func TestBoundedEcho(t *testing.T) {
	long := strings.Repeat("é", 300_000) // 600,000 bytes
	p := Problem{Path: "name", Value: long, Rule: "is too long"}
	want := "name: \"" + strings.Repeat("é", 40) + "\"… (600,000 bytes) is too long"
	if got := p.String(); got != want {
		t.Errorf("got %.200s", got)
	}
	badInputs++
	err := loadText("? " + strings.Repeat("k", 100_000) + "\n: 1\n")
	if err == nil || len(err.Error()) > 1000 || !strings.Contains(err.Error(), strings.Repeat("k", 200)+"…: unknown key (line 1)") {
		t.Errorf("a 100,000-byte key echoed as %d bytes: %.300v", len(fmt.Sprint(err)), err)
	} else {
		refused++
	}
	var many strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&many, "unknown%d: 1\n", i)
	}
	badInputs++
	err = loadText(many.String())
	if err == nil || !strings.HasSuffix(err.Error(), "\n  … and 4900 more") || strings.Count(err.Error(), "\n") != 101 {
		t.Errorf("5,000 problems listed as %d lines", strings.Count(fmt.Sprint(err), "\n"))
	} else {
		refused++
	}
}

// TestManyKeysParseInLinearTime: yaml.v3's duplicate check compared every
// key of a mapping with every other (20,000 tags took 1.8 s, 80,000 took
// 66 s). A file near the size cap, 90,000 keys, now loads in well under a
// second; quadratic, it would take over a minute.
func TestManyKeysParseInLinearTime(t *testing.T) {
	var b strings.Builder
	b.WriteString("tags:\n")
	for i := range 90_000 {
		fmt.Fprintf(&b, " k%d: v\n", i)
	}
	if b.Len() > MaxConfigBytes {
		t.Fatalf("the test file is %d bytes, over the cap", b.Len())
	}
	start := time.Now()
	_ = loadText(b.String()) // refused by the tag rules; the time is the point
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("90,000 tags took %v", d)
	}
	t.Logf("90,000 tags: %v", time.Since(start))
}

// TestFleetWithManyKeysIsLinear: merging a cluster file of many keys over
// the shared defaults, and placing a problem for each of many keys, costs
// time in proportion to the keys.
func TestFleetWithManyKeysIsLinear(t *testing.T) {
	var b strings.Builder
	b.WriteString("tags:\n")
	for i := range 40_000 {
		fmt.Fprintf(&b, " k%d: v\n n%d: null\n", i, i)
	}
	dir := writeFleet(t, map[string]string{
		FleetFile:   "defaults:\n  tags: {team: platform}\n",
		"many.yaml": b.String(),
	})
	start := time.Now()
	_, err := LoadFleet(dir)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("80,000 keys in a fleet took %v", d)
	}
	if err == nil || !strings.Contains(err.Error(), "tags.n0: is null (line 3), but _fleet.yaml's defaults set nothing here") {
		t.Errorf("the nulls were not refused: %.300v", err)
	}
	t.Logf("80,000 keys in a fleet: %v", time.Since(start))
}

// TestReadConfigFile covers what can sit at a configuration path besides
// a YAML file: each is refused with a message saying what it is.
func TestReadConfigFile(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	write := func(name, text string) string {
		if err := os.WriteFile(at(name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return at(name)
	}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink(at("missing.yaml"), at("dangling.yaml")))
	must(os.Symlink(at("loop2.yaml"), at("loop1.yaml")))
	must(os.Symlink(at("loop1.yaml"), at("loop2.yaml")))
	must(syscall.Mkfifo(at("fifo.yaml"), 0o644))
	big := write("big.yaml", "")
	must(os.Truncate(big, MaxConfigBytes+1))
	empty := write("empty.yaml", "")
	comments := write("comments.yaml", "# nothing here yet\n---\n")
	header := "invalid cluster configuration (1 problem):\n  - (file): "
	emptyWant := "is empty (no settings, only comments or document markers); write the configuration, or remove the file to use the built-in default"
	cases := []struct{ path, want string }{
		{at("dangling.yaml"), fmt.Sprintf("%q is a symbolic link to %q, which does not exist; point it at a YAML file, or remove it", at("dangling.yaml"), at("missing.yaml"))},
		{at("loop1.yaml"), fmt.Sprintf("%q is a symbolic link that loops back on itself; point it at a YAML file, or remove it", at("loop1.yaml"))},
		{at("fifo.yaml"), fmt.Sprintf("%q is a named pipe (FIFO), not a regular file; configuration is read from regular YAML files only", at("fifo.yaml"))},
		{"/dev/null", `"/dev/null" is a character device, not a regular file; configuration is read from regular YAML files only`},
		{"/dev/zero", `"/dev/zero" is a character device, not a regular file; configuration is read from regular YAML files only`},
		{big, fmt.Sprintf("%q is 1,048,577 bytes; a configuration file may hold at most 1,048,576 bytes", big)},
		{empty, fmt.Sprintf("%q %s", empty, emptyWant)},
		{comments, fmt.Sprintf("%q %s", comments, emptyWant)},
		{at("absent.yaml"), fmt.Sprintf("%q cannot be read: no such file or directory", at("absent.yaml"))},
	}
	for _, tc := range cases {
		done := make(chan error, 1)
		go func() { _, err := LoadFile(tc.path); done <- err }()
		select {
		case err := <-done:
			expectRefused(t, tc.path, err, header+tc.want)
		case <-time.After(10 * time.Second):
			badInputs++
			t.Errorf("%s: loading blocked", tc.path)
		}
	}
}

// TestResolveRefusesAnUnusableConfiguration: what stands at cluster.yaml
// or clusters decides; something there that cannot be read is an error,
// not the built-in default.
func TestResolveRefusesAnUnusableConfiguration(t *testing.T) {
	noEnv := func(string) string { return "" }
	exists := func(names ...string) func(string) bool {
		return func(p string) bool {
			for _, n := range names {
				if n == p {
					return true
				}
			}
			return false
		}
	}
	none := func(string) bool { return false }
	// A dangling cluster.yaml exists (Lstat) but is no file: it is chosen,
	// and reading it then says what it is.
	if got, err := ResolveConfig(noEnv, exists(DefaultConfigFile), none); got != DefaultConfigFile || err != nil {
		t.Errorf("dangling cluster.yaml resolved to %q, %v", got, err)
	}
	_, err := ResolveConfig(noEnv, exists(DefaultClustersDir), none)
	expectRefused(t, "clusters is a file", err, "clusters is not a directory: a fleet is a directory of cluster files; rename or remove it, or point EKSREADY_CONFIG at the configuration to use")
}

// TestFleetStrictness: the same rules in every file of a fleet, each
// problem naming its file; null is allowed only where it removes a shared
// setting.
func TestFleetStrictness(t *testing.T) {
	dir := writeFleet(t, map[string]string{
		FleetFile:      "defaults:\n  tags: {team: platform}\n  tags: {team: other}\n  region: null\n",
		"dup.yaml":     "nodes:\n  system:\n    instanceTypes: [m7g.large]\n    instanceTypes: [m6i.large]\n",
		"two.yaml":     "name: two\n---\nname: three\n",
		"nulls.yaml":   "name: null\nkubernetesVersion: ~\n",
		"unset.yaml":   "tags: null\n",
		"float.yaml":   "nodes: {system: {maxSize: 2.5}}\n",
		"empty.yaml":   "# soon\n",
		"folder.yaml/": "",
	})
	_, err := LoadFleet(dir)
	f := func(name string) string { return filepath.Join(dir, name) }
	want := fmt.Sprintf(`invalid fleet configuration in %s (9 problems in 7 files):
  - %s: defaults.region: is null (line 4); write a value, or remove the key to keep the default
  - %s: defaults.tags: is given twice in one mapping (lines 2 and 3); write each key once
  - %s: nodes.system.instanceTypes: is given twice in one mapping (lines 3 and 4); write each key once
  - %s: (file): is empty (no settings, only comments or document markers); a cluster file states at least one setting (name: empty, for a cluster of only the shared settings), or remove the file
  - %s: nodes.system.maxSize: "2.5" is not a valid whole number (line 1)
  - %s: (file): is a directory, not a cluster file
  - %s: kubernetesVersion: is null (line 2), but _fleet.yaml's defaults set nothing here for it to remove; write a value, or remove the key to keep the default
  - %s: name: is null (line 1), but _fleet.yaml's defaults set nothing here for it to remove; write a value, or remove the key to keep the default
  - %s: (file): holds a second YAML document (the '---' on line 2); a file describes one cluster, in one document`,
		dir, f(FleetFile), f(FleetFile), f("dup.yaml"), f("empty.yaml"), f("float.yaml"), f("folder.yaml"), f("nulls.yaml"), f("nulls.yaml"), f("two.yaml"))
	// Eight bad files; unset.yaml is fine.
	expectRefusedN(t, "fleet", 8, err, want)
	var fp FleetProblems
	if errors.As(err, &fp) {
		for _, p := range fp.Problems {
			if strings.HasSuffix(p.File, "unset.yaml") {
				t.Errorf("null over a shared setting is how a cluster drops it: %v", p)
			}
		}
	}
}

// TestZZBadInputCount reports the tally (it runs last: Go runs tests in
// source order).
func TestZZBadInputCount(t *testing.T) {
	t.Logf("config: %d bad inputs tried, %d refused with the exact message", badInputs, refused)
	if refused != badInputs {
		t.Errorf("%d of %d bad inputs were not refused cleanly", badInputs-refused, badInputs)
	}
}
