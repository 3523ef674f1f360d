package resources

import (
	"os"
	"path/filepath"
	"testing"
)

func TestMaterializeIsStableAndComplete(t *testing.T) {
	a, err := materialize()
	if err != nil {
		t.Fatal(err)
	}
	b, err := materialize()
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Errorf("two writes of the same chart went to %s and %s", a, b)
	}
	for _, f := range []string{"Chart.yaml", "values.yaml", filepath.Join("templates", "objects.yaml")} {
		if _, err := os.Stat(filepath.Join(a, f)); err != nil {
			t.Error(err)
		}
	}
}
