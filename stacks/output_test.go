package stacks

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tree lists every file under dir with its content, and every folder.
func tree(t *testing.T, dir string) string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out = append(out, rel+"/")
			return nil
		}
		b, err := os.ReadFile(p)
		out = append(out, rel+"="+string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// synthInto stands in for a synth: the new output's files.
func synthInto(t *testing.T, o *Output, stacks ...string) {
	write(t, filepath.Join(o.Dir, "manifest.json"), "new")
	for _, s := range stacks {
		write(t, filepath.Join(o.Dir, "stacks", s, "cdk.tf.json"), "new "+s)
	}
}

func TestOutputReplacesThePreviousOne(t *testing.T) {
	for _, underCLI := range []bool{false, true} {
		parent := t.TempDir()
		final := filepath.Join(parent, "cdktf.out")
		write(t, filepath.Join(final, "stacks", "infra", "cdk.tf.json"), "old")
		write(t, filepath.Join(final, "stacks", "dev-infra", "cdk.tf.json"), "old")
		write(t, filepath.Join(final, "stacks", "dev-infra", ".terraform", "modules"), "init")
		write(t, filepath.Join(final, "stacks", "dev-infra", ".terraform.lock.hcl"), "lock")
		write(t, filepath.Join(final, "readiness.sarif"), "old")
		o, err := NewOutput(final, underCLI)
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(final, "notes.txt"), "the user's")
		if info, err := os.Stat(o.Dir); err != nil || info.Mode().Perm() != 0o700 || filepath.Dir(o.Dir) != final {
			t.Fatalf("the synth's directory %s: %v, %v", o.Dir, info.Mode(), err)
		}
		synthInto(t, o, "dev-infra", "dev-addons")
		if err := o.Commit(); err != nil {
			t.Fatal(err)
		}
		want := "manifest.json=new notes.txt=the user's stacks/ stacks/dev-addons/ stacks/dev-addons/cdk.tf.json=new dev-addons stacks/dev-infra/ stacks/dev-infra/.terraform.lock.hcl=lock stacks/dev-infra/.terraform/ stacks/dev-infra/.terraform/modules=init stacks/dev-infra/cdk.tf.json=new dev-infra"
		if underCLI {
			// The CLI deletes the vanished stack's folder itself.
			want = strings.Replace(want, "stacks/dev-infra/cdk.tf.json=new dev-infra", "stacks/dev-infra/cdk.tf.json=new dev-infra stacks/infra/", 1)
		}
		if got := tree(t, final); got != want {
			t.Errorf("under the CLI %v:\n got %s\nwant %s", underCLI, got, want)
		}
		if entries, _ := os.ReadDir(parent); len(entries) != 1 {
			t.Errorf("left beside the output: %v", entries)
		}
		if info, _ := os.Stat(final); info.Mode().Perm() != 0o755 {
			t.Errorf("output mode %v", info.Mode())
		}
	}
}

func TestOutputFirstSynthAndDiscard(t *testing.T) {
	parent := t.TempDir()
	final := filepath.Join(parent, "deep", "cdktf.out")
	o, err := NewOutput(final, false)
	if err != nil {
		t.Fatal(err)
	}
	o.Discard()
	if _, err := os.Stat(final); !os.IsNotExist(err) {
		t.Error("a discarded first synth left its output directory")
	}
	o, err = NewOutput(final, false)
	if err != nil {
		t.Fatal(err)
	}
	synthInto(t, o, "infra")
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, final); got != "manifest.json=new stacks/ stacks/infra/ stacks/infra/cdk.tf.json=new infra" {
		t.Errorf("first synth: %s", got)
	}
	before := tree(t, final)
	o, err = NewOutput(final, false)
	if err != nil {
		t.Fatal(err)
	}
	synthInto(t, o, "addons")
	o.Discard()
	if got := tree(t, final); got != before {
		t.Errorf("a discarded synth changed the output: %s", got)
	}
	if entries, _ := os.ReadDir(filepath.Dir(final)); len(entries) != 1 {
		t.Errorf("left beside the output: %v", entries)
	}
}

func TestOutputFollowsASymlink(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "elsewhere", "out")
	write(t, filepath.Join(target, "old"), "x")
	link := filepath.Join(parent, "cdktf.out")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	o, err := NewOutput(link, false)
	if err != nil {
		t.Fatal(err)
	}
	synthInto(t, o)
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, link+"/"); got != "manifest.json=new old=x" {
		t.Errorf("through the link: %s", got)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced")
	}
}

func TestOutputRefusals(t *testing.T) {
	parent := t.TempDir()
	file := filepath.Join(parent, "out.json")
	write(t, file, "{}")
	if _, err := NewOutput(file, false); err == nil || err.Error() != "the output directory "+file+" is a file, not a directory; remove it or set CDKTF_OUTDIR to a directory" {
		t.Errorf("a file: %v", err)
	}
	loop := filepath.Join(parent, "loop")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	if _, err := NewOutput(loop, false); err == nil || !strings.HasPrefix(err.Error(), "the output directory "+loop+" is a symbolic link that cannot be followed") {
		t.Errorf("a link loop: %v", err)
	}
}
