package apptest

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestEmulatorRoundTrips proves the emulator's corrections and exclusions
// one attribute at a time, outside the whole stacks: it applies one
// resource of each kind whose read-back moto_server.py corrects
// (emulator/roundtrip.tf.json, with the values eksready writes) and
// requires the next plan to be empty, so a correction that stops working
// fails here with the attribute named. Every emulatorIgnored exclusion
// must have its resource type in that file and be shown necessary:
// planned without it, the resource differs in exactly that attribute.
func TestEmulatorRoundTrips(t *testing.T) {
	skipWhenShort(t, "runs the emulator")
	path, err := filepath.Abs(filepath.Join("emulator", "roundtrip.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	t.Parallel()
	e := startEmulator(t, path)
	t.Log(emulatorGapsReport(e))
	s := newEmulatedStack(t, e, path)
	s.terraform(t, "apply", "-auto-approve")
	if changes := s.Plan(t); len(changes) > 0 {
		for _, c := range s.Explain(t, changes) {
			t.Errorf("moto does not read this back as AWS does: %s", c)
		}
	}

	res, _ := readJSON(t, path)["resource"].(map[string]any)
	for _, typ := range slices.Sorted(maps.Keys(emulatorIgnored)) {
		if _, ok := res[typ]; !ok {
			t.Errorf("emulatorIgnored has %s, which emulator/roundtrip.tf.json does not create: add one to prove its exclusions", typ)
		}
	}
	if len(emulatorIgnored) > 0 {
		s.withoutExclusions(t)
		got := map[string][]string{}
		for _, c := range s.Explain(t, s.Plan(t)) {
			got[c.Type] = append(got[c.Type], c.Attributes...)
		}
		for typ, attrs := range emulatorIgnored {
			for _, a := range attrs {
				if !slices.ContainsFunc(got[typ], func(p string) bool { return underPath(p, a.Name) }) {
					t.Errorf("exclusion %s.%s is not needed: without it the plan does not change it (%v)", typ, a.Name, got[typ])
				}
			}
			for _, p := range got[typ] {
				if !slices.ContainsFunc(attrs, func(a ignoredAttribute) bool { return underPath(p, a.Name) }) {
					t.Errorf("%s.%s differs without the exclusions but none covers it", typ, p)
				}
			}
		}
	}
	s.terraform(t, "destroy", "-auto-approve", "-refresh=false")
}

// TestEmulatorExclusionsFollowTheCase: an exclusion applies to a literal
// the change leaves alone, and is suspended for an attribute the new
// configuration changes and for one whose value is an expression; before
// the first apply (a create) all are written; the stack's own
// ignore_changes stay.
func TestEmulatorExclusionsFollowTheCase(t *testing.T) {
	exclusions := map[string][]ignoredAttribute{
		"aws_eks_node_group": {{"update_config[0].max_unavailable_percentage", "test"}, {"launch_template[0].version", "test"}},
	}
	nodeGroup := func(unavailable int) map[string]any {
		return map[string]any{"resource": map[string]any{"aws_eks_node_group": map[string]any{"pool": map[string]any{
			"update_config":   map[string]any{"max_unavailable_percentage": float64(unavailable)},
			"launch_template": map[string]any{"version": "${aws_launch_template.t.latest_version}"},
			"lifecycle":       map[string]any{"ignore_changes": []any{"scaling_config[0].desired_size"}},
		}}}}
	}
	applied := nodeGroup(33)

	override, ignored, suspended := emulatorLifecycle(nodeGroup(33), applied, exclusions)
	if got := ignored["aws_eks_node_group.pool"]; !slices.Equal(got, []string{"update_config[0].max_unavailable_percentage"}) {
		t.Errorf("unchanged literal: exclusions in force %v", got)
	}
	if got := strings.Join(suspended, "; "); got != "aws_eks_node_group.pool: launch_template[0].version" {
		t.Errorf("an expression's exclusion must be suspended: %q", got)
	}
	if got := get(override, "aws_eks_node_group", "pool", "lifecycle", "ignore_changes"); len(got.([]any)) != 2 || got.([]any)[0] != "scaling_config[0].desired_size" {
		t.Errorf("the stack's own ignore_changes must stay first: %v", got)
	}

	_, ignored, suspended = emulatorLifecycle(nodeGroup(50), applied, exclusions)
	if len(ignored) != 0 || len(suspended) != 2 {
		t.Errorf("a changed attribute keeps its exclusion: in force %v, suspended %v", ignored, suspended)
	}
	_, ignored, _ = emulatorLifecycle(nodeGroup(50), nil, exclusions)
	if len(ignored["aws_eks_node_group.pool"]) != 2 {
		t.Errorf("before any apply (a create, which ignore_changes does not touch) every exclusion is written: %v", ignored)
	}
	if !underPath("update_config.max_unavailable_percentage", "update_config[0].max_unavailable_percentage") || underPath("update_config.max_unavailable", "update_config[0].max_unavailable_percentage") {
		t.Error("underPath must match changedPaths' form against Terraform's, and only that attribute")
	}
}
