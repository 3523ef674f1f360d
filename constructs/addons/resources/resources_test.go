package resources

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// embedded is the chart as compiled in: path below chart/ → content.
func embedded(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := fs.WalkDir(chartFiles, "chart", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := chartFiles.ReadFile(p)
		out[strings.TrimPrefix(p, "chart/")] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// onDisk is every file below dir: relative path → content.
func onDisk(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameFiles(t *testing.T, got, want map[string][]byte) {
	t.Helper()
	var names []string
	for n := range got {
		names = append(names, n)
	}
	for n := range want {
		if _, ok := got[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		if !bytes.Equal(got[n], want[n]) {
			_, in := got[n]
			t.Errorf("chart file %s differs from the embedded chart (present: %v)", n, in)
		}
	}
}

// predictablePath is where eksready used to write the chart: a fixed
// folder under the shared temporary directory, named by content hash.
func predictablePath(t *testing.T, tmp string) string {
	files := embedded(t)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, "chart/"+n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b := files[strings.TrimPrefix(n, "chart/")]
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return filepath.Join(tmp, "eksready-resources-chart-"+hex.EncodeToString(h.Sum(nil))[:16])
}

func TestMaterializeWritesAFreshPrivateCopy(t *testing.T) {
	out := t.TempDir()
	a, err := materialize(out)
	if err != nil {
		t.Fatal(err)
	}
	b, err := materialize(out)
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Errorf("two synths shared the chart folder %s", a)
	}
	for _, dir := range []string{a, b} {
		if !filepath.IsAbs(dir) {
			t.Errorf("cdktf needs an absolute asset path, got %s", dir)
		}
		if !strings.HasPrefix(dir, out+string(filepath.Separator)) {
			t.Errorf("chart written outside the output directory: %s", dir)
		}
		info, err := os.Stat(filepath.Dir(dir))
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o700 {
			t.Errorf("chart folder %s has mode %o, want 0700 (owner only)", filepath.Dir(dir), perm)
		}
		sameFiles(t, onDisk(t, dir), embedded(t))
	}
	if err := RemoveSources(out); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(out); len(left) != 0 {
		t.Errorf("RemoveSources left %v", left)
	}
}

// TestMaterializeIgnoresPlantedAndForeignTempPaths: a file planted in the
// old predictable folder is not shipped, and a predictable folder owned by
// another user, or a temporary directory that cannot be written at all,
// does not stop the synth.
func TestMaterializeIgnoresPlantedAndForeignTempPaths(t *testing.T) {
	cases := map[string]func(t *testing.T, tmp string){
		"planted template": func(t *testing.T, tmp string) {
			templates := filepath.Join(predictablePath(t, tmp), "chart", "templates")
			if err := os.MkdirAll(templates, 0o777); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(templates, "planted.yaml"), []byte("apiVersion: v1\nkind: Pod\n"), 0o666); err != nil {
				t.Fatal(err)
			}
		},
		"folder of another user": func(t *testing.T, tmp string) {
			p := predictablePath(t, tmp)
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			// As root (the test machines), chown makes it another user's;
			// the file in its place below blocks even root.
			_ = os.Chown(p, 65534, 65534)
			if err := os.WriteFile(filepath.Join(p, "chart"), []byte("not a folder"), 0o644); err != nil {
				t.Fatal(err)
			}
		},
		"temporary directory unusable": func(t *testing.T, tmp string) {
			file := filepath.Join(tmp, "file")
			if err := os.WriteFile(file, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Setenv("TMPDIR", file)
		},
	}
	for name, plant := range cases {
		t.Run(name, func(t *testing.T) {
			tmp, out := t.TempDir(), t.TempDir()
			t.Setenv("TMPDIR", tmp)
			plant(t, tmp)
			dir, err := materialize(out)
			if err != nil {
				t.Fatalf("materialize: %v", err)
			}
			sameFiles(t, onDisk(t, dir), embedded(t))
		})
	}
}
