package deviceplugins

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config"
)

// The plugin tolerates the charts' own tolerations and each key and
// effect of its pools' taints once, whatever their values.
func TestTolerations(t *testing.T) {
	got := Tolerations(config.AcceleratorNeuron, []config.Taint{
		{Key: "aws.amazon.com/neuron", Value: "inference", Effect: "NO_SCHEDULE"},
		{Key: "team", Value: "ml", Effect: "NO_EXECUTE"},
		{Key: "team", Value: "ai", Effect: "NO_EXECUTE"},
	})
	want := []Toleration{
		{Key: "CriticalAddonsOnly", Operator: "Exists"},
		{Key: "aws.amazon.com/neuron", Operator: "Exists", Effect: "NoSchedule"},
		{Key: "team", Operator: "Exists", Effect: "NoExecute"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

// Each chart gets its values at the keys its templates read: NVIDIA's at
// the top level, the Neuron chart's under devicePlugin with its node
// problem detector off; both select eksready's device-plugin label.
func TestValuesByChart(t *testing.T) {
	nv, _ := json.Marshal(Values(Config{Kind: config.AcceleratorNVIDIA}))
	ne, _ := json.Marshal(Values(Config{Kind: config.AcceleratorNeuron}))
	selector := `"matchExpressions":[{"key":"eksready.io/device-plugin","operator":"In","values":["%s"]}]`
	for _, c := range []struct{ got, want string }{
		{string(nv), `{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{` + strings.Replace(selector, "%s", "nvidia", 1) + `}]}}},"tolerations":[`},
		{string(ne), `{"devicePlugin":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{` + strings.Replace(selector, "%s", "neuron", 1) + `}]}}},"tolerations":[`},
		{string(ne), `"npd":{"enabled":false}`},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("values %s lack %s", c.got, c.want)
		}
	}
	if Component(config.AcceleratorNeuron).Name != catalog.NeuronDevicePlugin.Name || Component(config.AcceleratorNVIDIA).Name != catalog.NvidiaDevicePlugin.Name {
		t.Error("wrong chart for a kind")
	}
}
