package clusterautoscaler

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/eksready/eksready/catalog"
)

func TestNodeGroupTagsMatchTheChartsAutoDiscovery(t *testing.T) {
	tags := NodeGroupTags("prod")
	if tags["k8s.io/cluster-autoscaler/enabled"] != "true" || tags["k8s.io/cluster-autoscaler/prod"] != "owned" || len(tags) != 2 {
		t.Errorf("tags = %v", tags)
	}
}

func TestPolicyWritesOnlyOnTaggedGroups(t *testing.T) {
	doc, _ := json.Marshal(Policy("prod"))
	s := string(doc)
	for _, want := range []string{`"aws:ResourceTag/k8s.io/cluster-autoscaler/prod":"owned"`, `"aws:ResourceTag/k8s.io/cluster-autoscaler/enabled":"true"`} {
		if !strings.Contains(s, want) {
			t.Errorf("policy lacks condition %s", want)
		}
	}
}

// Where no chart ships the Kubernetes minor's autoscaler, the catalog's
// image tag replaces the chart's; otherwise the chart's own image runs.
func TestImageTagFollowsTheCatalog(t *testing.T) {
	for _, v := range catalog.SupportedKubernetes() {
		chart, _ := catalog.ClusterAutoscaler.For(v)
		b, _ := json.Marshal(NewValues(Config{KubernetesVersion: v}, chart))
		has := strings.Contains(string(b), `"image":{"tag":"`+chart.ImageTag+`"}`)
		if (chart.ImageTag != "") != has || (chart.ImageTag == "" && strings.Contains(string(b), `"image"`)) {
			t.Errorf("Kubernetes %s: values %s for %+v", v, b, chart)
		}
	}
}
