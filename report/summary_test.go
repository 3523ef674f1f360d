package report

import (
	"slices"
	"testing"
)

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
