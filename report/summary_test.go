package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestCountSaysOneInTheSingular(t *testing.T) {
	for n, want := range map[int]string{0: "0 warnings", 1: "1 warning", 2: "2 warnings"} {
		if got := Count(n, "warning"); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
	if got := Count(3, "info"); got != "3 info" {
		t.Errorf("info = %q", got)
	}
	if got := Count(2, "process"); got != "2 processes" {
		t.Errorf("process = %q", got)
	}
}

func TestSummaryCountsInTheSingular(t *testing.T) {
	var out bytes.Buffer
	Summary{Outdir: "cdktf.out", Stacks: []StackSummary{{Name: "addons", Path: "cdktf.out/stacks/addons/cdk.tf.json", Resources: map[string]int{"helm_release": 1}, DataSources: map[string]int{"aws_eks_cluster_auth": 1}}}}.Write(&out)
	for _, want := range []string{"eksready: wrote 1 stack to cdktf.out\n", "): 1 resource, 1 data source\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}

func TestPutFirstMovesOneStackToTheFront(t *testing.T) {
	names := func(s Summary) []string {
		var out []string
		for _, st := range s.Stacks {
			out = append(out, st.Name)
		}
		return out
	}
	s := Summary{Stacks: []StackSummary{{Name: "a-infra"}, {Name: "bootstrap"}, {Name: "c-infra"}, {Name: "a-addons"}}}
	s.PutFirst("bootstrap")
	if got, want := names(s), []string{"bootstrap", "a-infra", "c-infra", "a-addons"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	s.PutFirst("no-such-stack")
	if got, want := names(s), []string{"bootstrap", "a-infra", "c-infra", "a-addons"}; !slices.Equal(got, want) {
		t.Errorf("order %v after a missing stack, want %v unchanged", got, want)
	}
}
