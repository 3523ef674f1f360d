package apptest

import (
	"regexp"
	"testing"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/report"
)

// everyStack calls fn for every synthesized stack of every fixture and
// fleet, with the configuration of its cluster.
func everyStack(t *testing.T, fn func(name string, cfg config.Cluster, st report.Stack)) {
	t.Helper()
	for _, f := range synthAll(t) {
		for _, s := range f.Stacks {
			fn(f.Name+"/"+s, f.Config, f.Stack(t, s))
		}
	}
	for _, f := range synthFleets(t) {
		for _, c := range f.Fleet.Clusters {
			for _, kind := range config.StackKinds {
				s := c.Name + "-" + kind
				fn(f.Name+"/"+s, c, f.Stack(t, s))
			}
		}
	}
}

// TestEveryAwsProviderTagsWhatItCreates: every AWS provider, in every
// stack, carries the default tags infra's does (eksready:cluster,
// managed-by and the user's tags), so nothing eksready creates in AWS is
// untagged, whichever stack creates it (with Cilium, addons creates the
// CoreDNS and EBS CSI add-ons).
func TestEveryAwsProviderTagsWhatItCreates(t *testing.T) {
	everyStack(t, func(name string, cfg config.Cluster, st report.Stack) {
		for i, p := range st.Provider["aws"] {
			want := map[string]string{"eksready:cluster": cfg.Name, "managed-by": "eksready"}
			for k, v := range cfg.Tags {
				want[k] = v
			}
			blocks, _ := p["default_tags"].([]any)
			if len(blocks) != 1 {
				t.Errorf("%s: aws provider %d has %d default_tags blocks, want 1", name, i, len(blocks))
				continue
			}
			tags, _ := get(blocks[0], "tags").(map[string]any)
			for k, v := range want {
				if tags[k] != v {
					t.Errorf("%s: aws provider %d default tag %s = %v, want %q", name, i, k, tags[k], v)
				}
			}
		}
	})
}

// wholeObject is what depends_on may name: a resource, data source or
// module, never one of its attributes.
var wholeObject = regexp.MustCompile(`^(data\.[a-z0-9_]+\.[A-Za-z0-9_-]+|[a-z0-9_]+\.[A-Za-z0-9_-]+|module\.[A-Za-z0-9_-]+)$`)

// TestDependsOnNamesWholeObjects: Terraform refuses depends_on entries
// that name an attribute, such as an output of infra's remote state (what
// a cross-stack dependency becomes). The terraform checks catch it too;
// this names the entry without running terraform.
func TestDependsOnNamesWholeObjects(t *testing.T) {
	everyStack(t, func(name string, _ config.Cluster, st report.Stack) {
		for _, kinds := range []map[string]map[string]map[string]any{st.Resource, st.Data} {
			for typ, byName := range kinds {
				for id, r := range byName {
					for _, dep := range toStrings(r["depends_on"]) {
						if !wholeObject.MatchString(dep) {
							t.Errorf("%s: %s.%s depends on %q, which is not a whole resource, data source or module", name, typ, id, dep)
						}
					}
				}
			}
		}
	})
}
