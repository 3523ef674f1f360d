package charts

import (
	"strings"
	"testing"
)

func TestEveryChartIsPinnedExactly(t *testing.T) {
	all := []Chart{MetricsServer, AwsLoadBalancerController, ExternalDNS, CertManager, BottlerocketShadow, BottlerocketUpdateOperator, KarpenterCRD, Karpenter}
	for _, v := range ClusterAutoscalerVersions() {
		c, _ := ClusterAutoscaler(v)
		all = append(all, c)
	}
	for _, c := range all {
		if c.Repository == "" || c.Name == "" || c.Version == "" || strings.ContainsAny(c.Version, "^~*<>x ") {
			t.Errorf("%+v is not an exact pin with a repository", c)
		}
	}
	if KarpenterCRD.Version != Karpenter.Version {
		t.Error("karpenter-crd and karpenter must be the same version")
	}
}

func TestClusterAutoscalerMatchesTheKubernetesMinor(t *testing.T) {
	for _, v := range ClusterAutoscalerVersions() {
		c, ok := ClusterAutoscaler(v)
		if !ok || !strings.HasPrefix(c.AppVersion, v+".") {
			t.Errorf("Kubernetes %s gets cluster-autoscaler %s", v, c.AppVersion)
		}
	}
	if _, ok := ClusterAutoscaler("1.20"); ok {
		t.Error("an unpinned version must report false")
	}
}
