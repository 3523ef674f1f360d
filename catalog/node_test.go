package catalog

import (
	"strings"
	"testing"
	"time"
)

func TestNodeReleasesAreOrderedAndDated(t *testing.T) {
	for i, r := range NodeReleases {
		if _, err := time.Parse(time.DateOnly, r.EndOfLife); err != nil {
			t.Errorf("Node.js %d: %v", r.Major, err)
		}
		if i > 0 && NodeReleases[i-1].Major+1 != r.Major {
			t.Errorf("Node.js %d follows %d: every line is listed, in order", r.Major, NodeReleases[i-1].Major)
		}
	}
	if _, err := time.Parse(time.DateOnly, NodeReviewed); err != nil {
		t.Error(err)
	}
}

// On the review of 2026-12-05: 20 (this machine's Debian-packaged line)
// ended on 2026-04-30; 22 and 24 are supported; 27 is not released.
func TestNodeEndOfLifeOnTheReviewDate(t *testing.T) {
	want := "Node.js v20.20.2 is past its end of life (line 20 ended 2026-04-30, " + NodeScheduleSource + ", reviewed 2026-12-05); use Node.js 22 or 24 (see the README's prerequisites)"
	if got := NodeEndOfLife("v20.20.2\n"); got != want {
		t.Errorf("20:\n got %q\nwant %q", got, want)
	}
	for _, v := range []string{"v22.23.5", "v24.22.3", "v26.1.0", "v27.0.0", "not a version"} {
		if got := NodeEndOfLife(v); got != "" {
			t.Errorf("%s: %q, want nothing", v, got)
		}
	}
	for _, v := range []string{"v16.20.2", "v18.20.4", "v25.0.0"} {
		if got := NodeEndOfLife(v); !strings.Contains(got, "Node.js "+v+" is ") || strings.Contains(got, "\n") {
			t.Errorf("%s: %q, want one line saying it is past its end of life", v, got)
		}
	}
}
