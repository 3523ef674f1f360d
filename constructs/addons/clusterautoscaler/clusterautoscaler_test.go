package clusterautoscaler

import (
	"encoding/json"
	"strings"
	"testing"
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
