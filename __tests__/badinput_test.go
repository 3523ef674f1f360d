package apptest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// badRun is one careless or hostile input to the program: the files of a
// repository, the environment, and the exact message it must fail with.
type badRun struct {
	name string
	// setup prepares the repository dir and returns extra environment.
	setup func(t *testing.T, dir string) []string
	want  string
}

// otherUserCase runs the program as uid 65534: the tests run as root
// here, who may write anywhere. Elsewhere notWritableCase takes its place:
// the same refusal, of a repository made read-only. Over a previous
// cdktf.out both fail with cannotWritePrevious.
const (
	otherUserCase       = "output directory of another user"
	notWritableCase     = "output directory not writable"
	cannotCreate        = "eksready: cannot create the output directory cdktf.out: cdktf.out: permission denied\n"
	cannotWritePrevious = "eksready: cannot write the output directory cdktf.out: permission denied (the previous output, if any, is unchanged)\n"
)

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func clusterYAML(text string) func(*testing.T, string) []string {
	return func(t *testing.T, dir string) []string {
		writeFile(t, filepath.Join(dir, "cluster.yaml"), text)
		return nil
	}
}

const oneProblem = "eksready: invalid cluster configuration (1 problem):\n  - "

// snapshot is every file and link under dir: path → content or target.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			out[rel] = "-> " + target
		case d.IsDir():
			out[rel+"/"] = ""
		case d.Type().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[rel] = string(b)
		default:
			out[rel] = d.Type().String()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func diffSnapshots(before, after map[string]string) []string {
	var out []string
	for p, v := range after {
		if w, ok := before[p]; !ok {
			out = append(out, "added "+p)
		} else if v != w {
			out = append(out, "changed "+p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			out = append(out, "removed "+p)
		}
	}
	sort.Strings(out)
	return out
}

// previousOutput writes a stand-in for an earlier synth's cdktf.out.
func previousOutput(t *testing.T, dir string) {
	for name, text := range map[string]string{
		"manifest.json":                    `{"version":"previous"}`,
		"stacks/infra/cdk.tf.json":         `{"previous":"infra"}`,
		"stacks/addons/cdk.tf.json":        `{"previous":"addons"}`,
		"stacks/infra/.terraform/x":        "init state",
		"readiness.sarif":                  "{}",
		"stacks/infra/.terraform.lock.hcl": "# lock",
	} {
		writeFile(t, filepath.Join(dir, "cdktf.out", name), text)
	}
}

// TestBadInputsAreRefusedAndWriteNothing runs the program on each bad
// input twice, once in a fresh repository and once over a previous
// cdktf.out: it must exit 1 with exactly the expected message and no
// stack trace, create nothing, and leave the previous output
// byte-identical. Every case fails before jsii starts.
func TestBadInputsAreRefusedAndWriteNothing(t *testing.T) {
	bin := programBinary(t)
	cases := []badRun{
		{"duplicate key in a node pool", clusterYAML("nodes:\n  system:\n    instanceTypes: [m7g.large]\n    instanceTypes: [m6i.large]\n"),
			oneProblem + "nodes.system.instanceTypes: is given twice in one mapping (lines 3 and 4); write each key once\n"},
		{"explicit nulls", clusterYAML("name: null\nregion: null\n"),
			"eksready: invalid cluster configuration (2 problems):\n  - name: is null (line 1); write a value, or remove the key to keep the default\n  - region: is null (line 2); write a value, or remove the key to keep the default\n"},
		{"float for a whole number", clusterYAML("nodes: {system: {maxSize: 7.5}}\n"),
			oneProblem + "nodes.system.maxSize: \"7.5\" is not a valid whole number (line 1)\n"},
		{"second document", clusterYAML("region: eu-west-1\n---\nregion: us-east-1\n"),
			oneProblem + "(file): \"cluster.yaml\" holds a second YAML document (the '---' on line 2); a file describes one cluster, in one document\n"},
		{"empty cluster.yaml", clusterYAML(""),
			oneProblem + "(file): \"cluster.yaml\" is empty (no settings, only comments or document markers); write the configuration, or remove the file to use the built-in default\n"},
		{"only comments and ---", clusterYAML("# to do\n---\n"),
			oneProblem + "(file): \"cluster.yaml\" is empty (no settings, only comments or document markers); write the configuration, or remove the file to use the built-in default\n"},
		{"dangling symlink", func(t *testing.T, dir string) []string {
			if err := os.Symlink("gone.yaml", filepath.Join(dir, "cluster.yaml")); err != nil {
				t.Fatal(err)
			}
			return nil
		}, oneProblem + "(file): \"cluster.yaml\" is a symbolic link to \"gone.yaml\", which does not exist; point it at a YAML file, or remove it\n"},
		{"symlink loop", func(t *testing.T, dir string) []string {
			if err := os.Symlink("cluster.yaml", filepath.Join(dir, "cluster.yaml")); err != nil {
				t.Fatal(err)
			}
			return nil
		}, oneProblem + "(file): \"cluster.yaml\" is a symbolic link that loops back on itself; point it at a YAML file, or remove it\n"},
		{"EKSREADY_CONFIG=/dev/null", func(*testing.T, string) []string { return []string{"EKSREADY_CONFIG=/dev/null"} },
			oneProblem + "(file): \"/dev/null\" is a character device, not a regular file; configuration is read from regular YAML files only\n"},
		{"EKSREADY_CONFIG=/dev/zero", func(*testing.T, string) []string { return []string{"EKSREADY_CONFIG=/dev/zero"} },
			oneProblem + "(file): \"/dev/zero\" is a character device, not a regular file; configuration is read from regular YAML files only\n"},
		{"FIFO", func(t *testing.T, dir string) []string {
			if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o644); err != nil {
				t.Fatal(err)
			}
			return []string{"EKSREADY_CONFIG=pipe.yaml"}
		}, oneProblem + "(file): \"pipe.yaml\" is a named pipe (FIFO), not a regular file; configuration is read from regular YAML files only\n"},
		{"50 MB name", func(t *testing.T, dir string) []string {
			f, err := os.Create(filepath.Join(dir, "cluster.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.WriteString("name: "); err != nil {
				t.Fatal(err)
			}
			if _, err := f.Write(bytes.Repeat([]byte("a"), 50<<20)); err != nil {
				t.Fatal(err)
			}
			return nil
		}, oneProblem + "(file): \"cluster.yaml\" is 52,428,806 bytes; a configuration file may hold at most 1,048,576 bytes\n"},
		{"merge key with a scalar", clusterYAML("nodes:\n  system:\n    <<: 3\n"),
			oneProblem + "nodes.system.<<: is a YAML merge key, which takes a mapping or a list of mappings (line 3)\n"},
		{"directory named like a cluster file", func(t *testing.T, dir string) []string {
			writeFile(t, filepath.Join(dir, "clusters", "dev.yaml"), "region: eu-west-1\n")
			if err := os.Mkdir(filepath.Join(dir, "clusters", "prod.yaml"), 0o755); err != nil {
				t.Fatal(err)
			}
			return nil
		}, "eksready: invalid fleet configuration in clusters (1 problem in 1 file):\n  - clusters/prod.yaml: (file): is a directory, not a cluster file\n"},
		{"duplicate key in a fleet file", func(t *testing.T, dir string) []string {
			writeFile(t, filepath.Join(dir, "clusters", "prod.yaml"), "region: eu-central-1\nregion: eu-west-1\n")
			return nil
		}, "eksready: invalid fleet configuration in clusters (1 problem in 1 file):\n  - clusters/prod.yaml: region: is given twice in one mapping (lines 1 and 2); write each key once\n"},
		{"multi-document fleet file", func(t *testing.T, dir string) []string {
			writeFile(t, filepath.Join(dir, "clusters", "prod.yaml"), "region: eu-west-1\n---\nname: staging\n")
			return nil
		}, "eksready: invalid fleet configuration in clusters (1 problem in 1 file):\n  - clusters/prod.yaml: (file): holds a second YAML document (the '---' on line 2); a file describes one cluster, in one document\n"},
		{"cluster.yaml is a directory", func(t *testing.T, dir string) []string {
			// A valid cluster file inside, as a fleet would have: it must not
			// be read as one.
			writeFile(t, filepath.Join(dir, "cluster.yaml", "dev.yaml"), "region: eu-west-1\n")
			return nil
		}, "eksready: cluster.yaml is a directory, not a file: a single cluster is configured in the YAML file cluster.yaml, a fleet in a clusters/ directory; rename or remove it, or point EKSREADY_CONFIG at the configuration to use\n"},
		{"clusters is a file", func(t *testing.T, dir string) []string {
			writeFile(t, filepath.Join(dir, "clusters"), "dev\n")
			return nil
		}, "eksready: clusters is not a directory: a fleet is a directory of cluster files; rename or remove it, or point EKSREADY_CONFIG at the configuration to use\n"},
		{"CDKTF_OUTDIR names a file", func(t *testing.T, dir string) []string {
			writeFile(t, filepath.Join(dir, "out.json"), "{}")
			return []string{"CDKTF_OUTDIR=out.json"}
		}, "eksready: the output directory out.json is a file, not a directory; remove it or set CDKTF_OUTDIR to a directory\n"},
		{"output directory cannot be created", func(t *testing.T, dir string) []string {
			writeFile(t, filepath.Join(dir, "build"), "a file")
			return []string{"CDKTF_OUTDIR=build/cdktf.out"}
		}, "eksready: the output directory build/cdktf.out cannot be used: build/cdktf.out: not a directory\n"},
	}
	if os.Geteuid() == 0 {
		cases = append(cases, badRun{name: otherUserCase, setup: func(*testing.T, string) []string { return nil }, want: cannotCreate})
	} else {
		// Root writes anywhere; elsewhere, a read-only repository.
		cases = append(cases, badRun{name: notWritableCase, setup: func(t *testing.T, dir string) []string {
			for _, d := range []string{filepath.Join(dir, "cdktf.out"), dir} {
				if _, err := os.Stat(d); err == nil {
					if err := os.Chmod(d, 0o555); err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { os.Chmod(d, 0o755) })
				}
			}
			return nil
		}, want: cannotCreate})
	}
	refused := 0
	for _, tc := range cases {
		for _, withPrevious := range []bool{false, true} {
			name := tc.name
			if withPrevious {
				name += " over a previous cdktf.out"
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				if withPrevious {
					previousOutput(t, dir)
				}
				env := tc.setup(t, dir)
				before := snapshot(t, dir)
				cmd := exec.Command(bin)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), env...)
				want := tc.want
				if tc.name == otherUserCase {
					cmd = asOtherUser(t, cmd, bin)
				}
				if (tc.name == otherUserCase || tc.name == notWritableCase) && withPrevious {
					// The previous output is root's too, or read-only.
					want = cannotWritePrevious
				}
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				start := time.Now()
				err := cmd.Run()
				var exit *exec.ExitError
				if !errors.As(err, &exit) || exit.ExitCode() != 1 {
					t.Fatalf("exit: %v, want status 1\n%s%s", err, stdout.String(), stderr.String())
				}
				ok := true
				if stderr.String() != want {
					t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), want)
					ok = false
				}
				if s := stdout.String() + stderr.String(); strings.Contains(s, "goroutine") || strings.Contains(s, "panic") {
					t.Errorf("a stack trace:\n%s", s)
					ok = false
				}
				if d := diffSnapshots(before, snapshot(t, dir)); len(d) > 0 {
					t.Errorf("the repository changed: %v", d)
					ok = false
				}
				if time.Since(start) > 20*time.Second {
					t.Errorf("took %v: it must fail before jsii starts", time.Since(start))
				}
				if ok {
					refused++
				}
			})
		}
	}
	t.Logf("program: %d bad inputs (each run twice), %d of %d runs refused cleanly", len(cases), refused, 2*len(cases))
}

// chartFiles is the eksready-resources chart as it is in the source tree.
func chartFiles(t *testing.T) map[string]string {
	t.Helper()
	files := snapshot(t, filepath.Join("..", "constructs", "addons", "resources", "chart"))
	for k := range files {
		if strings.HasSuffix(k, "/") {
			delete(files, k)
		}
	}
	return files
}

// TestSynthLeavesOnlyItsOwnOutput runs the program once (one jsii
// process), switching a repository from one cluster to a fleet, with a
// file planted where eksready used to build its chart in the shared
// temporary directory (and that folder owned by another user): the new
// cdktf.out holds only the fleet's stacks and reports, Terraform's working
// state of a stack that remains is kept, and each addons stack's chart is
// exactly the chart in the source tree.
func TestSynthLeavesOnlyItsOwnOutput(t *testing.T) {
	bin := programThatSynthesizes(t)
	dir, tmp := t.TempDir(), t.TempDir()
	previousOutput(t, dir)
	writeFile(t, filepath.Join(dir, "cdktf.out", "stacks", "dev-infra", ".terraform", "providers"), "kept")
	writeFile(t, filepath.Join(dir, "cdktf.out", "stacks", "dev-infra", "cdk.tf.json"), "{}")
	// The folder eksready used to build its chart in: the shared
	// temporary directory, named by the chart's content hash. Planted and
	// owned by another user.
	chart := chartFiles(t)
	names := make([]string, 0, len(chart))
	for n := range chart {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "chart/%s\x00%d\x00", n, len(chart[n]))
		h.Write([]byte(chart[n]))
	}
	planted := filepath.Join(tmp, "eksready-resources-chart-"+hex.EncodeToString(h.Sum(nil))[:16])
	writeFile(t, filepath.Join(planted, "chart", "templates", "planted.yaml"), "kind: Pod\n")
	giveToAnotherUser(t, planted)
	fixture, err := filepath.Abs(filepath.Join("fixtures", "fleet"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "EKSREADY_CONFIG="+fixture, "TMPDIR="+tmp)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("fleet synth: %v\n%s", err, out)
	}
	got := snapshot(t, filepath.Join(dir, "cdktf.out"))
	fleet := fleetNamed(t, "fleet")
	var top []string
	for p := range got {
		if !strings.Contains(strings.TrimSuffix(p, "/"), "/") && p != "./" {
			top = append(top, p)
		}
	}
	sort.Strings(top)
	want := []string{"manifest.json"}
	clusters := map[string]bool{}
	for _, s := range fleet.Stacks {
		clusters[strings.TrimSuffix(strings.TrimSuffix(s, "-infra"), "-addons")] = true
	}
	for c := range clusters {
		want = append(want, "readiness-"+c+".sarif")
	}
	want = append(want, "stacks/")
	sort.Strings(want)
	if strings.Join(top, " ") != strings.Join(want, " ") {
		t.Errorf("cdktf.out holds %v, want %v", top, want)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "cdktf.out", "stacks"))
	var stacks []string
	for _, e := range entries {
		stacks = append(stacks, e.Name())
	}
	wantStacks := append([]string(nil), fleet.Stacks...)
	sort.Strings(wantStacks)
	if strings.Join(stacks, " ") != strings.Join(wantStacks, " ") {
		t.Errorf("stacks: %v, want only %v", stacks, wantStacks)
	}
	if got["stacks/dev-infra/.terraform/providers"] != "kept" {
		t.Error("terraform's working state of a stack that is still synthesized was lost")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("beside cdktf.out: %v", entries)
	}
	for _, s := range fleet.Stacks {
		if !strings.HasSuffix(s, "-addons") {
			continue
		}
		assets, _ := filepath.Glob(filepath.Join(dir, "cdktf.out", "stacks", s, "assets", "*", "*"))
		if len(assets) != 1 {
			t.Fatalf("%s: chart assets %v", s, assets)
		}
		shipped := snapshot(t, assets[0])
		for k := range shipped {
			if strings.HasSuffix(k, "/") {
				delete(shipped, k)
			}
		}
		if d := diffSnapshots(chart, shipped); len(d) > 0 {
			t.Errorf("%s ships a chart that differs from the source tree: %v", s, d)
		}
	}
	for p := range got {
		if strings.Contains(p, "eksready-resources-chart") {
			t.Errorf("chart source left in the output: %s", p)
		}
	}
}

// TestCdktfListIsQuiet runs `npx cdktf list` (one CLI run, one jsii
// process) over an output directory holding a stale single-cluster
// synth: the CLI prints its list of the fleet's stacks without the synth
// summary, and deletes the stale stacks itself without failing (it removes
// the folders of vanished stacks after the app exits, so the app leaves
// them as empty folders when the CLI runs it).
func TestCdktfListIsQuiet(t *testing.T) {
	outParent := t.TempDir()
	previousOutput(t, outParent)
	outdir := filepath.Join(outParent, "cdktf.out")
	cmd := cdktfOnFleet(t, "list", outdir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("cdktf list: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	fleet := fleetNamed(t, "fleet")
	for _, s := range fleet.Stacks {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("the list lacks %s:\n%s", s, stdout.String())
		}
	}
	for _, summary := range []string{"IP capacity", "eksready: wrote", "production-readiness"} {
		if strings.Contains(stdout.String(), summary) {
			t.Errorf("cdktf list printed the synth summary (%q):\n%s", summary, stdout.String())
		}
	}
	for _, stale := range []string{"stacks/infra", "stacks/addons", "readiness.sarif"} {
		if _, err := os.Stat(filepath.Join(outdir, stale)); err == nil {
			t.Errorf("%s is still in the output", stale)
		}
	}
}

// asOtherUser makes cmd run as uid and gid 65534 (nobody), on a copy of
// the program it can execute, in a repository it can read but not write.
func asOtherUser(t *testing.T, cmd *exec.Cmd, bin string) *exec.Cmd {
	t.Helper()
	shared := filepath.Join(t.TempDir(), "bin")
	if err := os.Mkdir(shared, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(shared, "eksready")
	if err := os.WriteFile(copyPath, data, 0o755); err != nil {
		t.Fatal(err)
	}
	// t.TempDir's folders are owner-only; open the way down to both.
	for _, d := range []string{shared, cmd.Dir} {
		for p := d; p != os.TempDir() && p != "/" && p != "."; p = filepath.Dir(p) {
			_ = os.Chmod(p, 0o755)
		}
	}
	other := exec.Command(copyPath)
	other.Dir, other.Env = cmd.Dir, cmd.Env
	other.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	return other
}

// giveToAnotherUser makes uid and gid 65534 own dir, and checks that they
// do. Only root can: elsewhere the folder stays the test's own, which the
// log says, since the case then proves less than its name.
func giveToAnotherUser(t *testing.T, dir string) {
	t.Helper()
	err := os.Chown(dir, 65534, 65534)
	if os.Geteuid() != 0 {
		t.Logf("not root (%v): %s stays this user's, so the other-owner part of the case is not exercised", err, dir)
		return
	}
	if err != nil {
		t.Fatalf("giving %s to another user: %v", dir, err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st, ok := info.Sys().(*syscall.Stat_t); !ok || st.Uid != 65534 || st.Gid != 65534 {
		t.Fatalf("%s is not owned by uid 65534 after chown: %+v", dir, info.Sys())
	}
}
