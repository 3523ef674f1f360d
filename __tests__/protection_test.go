package apptest

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
)

// writeUnprotectOverride lets `terraform test` clean up after its mocked
// apply: the test destroys what it applied at the end, and
// lifecycle.prevent_destroy (deletion protection, on by default) would
// refuse. An override file beside the stack turns it off for each
// protected resource; Terraform merges a lifecycle block of an override
// argument by argument, so the stack's other lifecycle settings stay.
func writeUnprotectOverride(t *testing.T, dir string, stack []byte) {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(stack, &doc); err != nil {
		t.Fatal(err)
	}
	override := map[string]any{}
	res, _ := doc["resource"].(map[string]any)
	for typ, byName := range res {
		for name, r := range byName.(map[string]any) {
			if get(r, "lifecycle", "prevent_destroy") != true {
				continue
			}
			if override[typ] == nil {
				override[typ] = map[string]any{}
			}
			override[typ].(map[string]any)[name] = map[string]any{"lifecycle": map[string]any{"prevent_destroy": false}}
		}
	}
	if len(override) > 0 {
		writeJSON(t, filepath.Join(dir, "protection_override.tf.json"), map[string]any{"resource": override})
	}
}

// TestDeletionProtection: by default the cluster, the created VPC and every
// KMS key carry lifecycle.prevent_destroy, and nothing else does;
// `deletionProtection: false` removes it everywhere. (That a plan
// replacing a protected resource then fails is shown against the emulator
// in TestDestructiveChanges.)
func TestDeletionProtection(t *testing.T) {
	protectedTypes := func(stackPath string) map[string]int {
		out := map[string]int{}
		res, _ := readJSON(t, stackPath)["resource"].(map[string]any)
		for typ, byName := range res {
			for _, r := range byName.(map[string]any) {
				if get(r, "lifecycle", "prevent_destroy") == true {
					out[typ]++
				}
			}
		}
		return out
	}
	got := protectedTypes(fixtureNamed(t, defaultFixture).StackPath("infra"))
	want := map[string]int{"aws_eks_cluster": 1, "aws_vpc": 1, "aws_kms_key": 3}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("protected by default: %v, want %v", got, want)
	}
	// An existing VPC is the user's: eksready neither creates nor protects it.
	if got := protectedTypes(fixtureNamed(t, "network-byo-vpc").StackPath("infra")); got["aws_vpc"] != 0 || got["aws_eks_cluster"] != 1 {
		t.Errorf("protected with an existing VPC: %v", got)
	}
	if got := protectedTypes(synthVariant(t, "unprotected", "", unprotected)); len(got) != 0 {
		t.Errorf("deletionProtection: false still protects %v", got)
	}
}
