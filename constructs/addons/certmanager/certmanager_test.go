package certmanager

import (
	"encoding/json"
	"testing"
)

func TestValuesInstallAndKeepCRDsWithHA(t *testing.T) {
	b, _ := json.Marshal(NewValues())
	var v map[string]any
	_ = json.Unmarshal(b, &v)
	crds := v["crds"].(map[string]any)
	if crds["enabled"] != true || crds["keep"] != true {
		t.Errorf("crds = %v", crds)
	}
	if v["replicaCount"] != float64(2) || v["webhook"].(map[string]any)["replicaCount"] != float64(2) {
		t.Errorf("values = %s", b)
	}
	if _, deprecated := v["installCRDs"]; deprecated {
		t.Error("installCRDs is deprecated")
	}
}
