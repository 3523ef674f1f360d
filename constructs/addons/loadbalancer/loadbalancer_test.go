package loadbalancer

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestValuesNeedNoInstanceMetadata(t *testing.T) {
	vpc, name := "vpc-1", "prod"
	v := NewValues(Config{ClusterName: &name, Region: "eu-west-1", VpcID: &vpc})
	if v.Region != "eu-west-1" || *v.VpcID != "vpc-1" || *v.ClusterName != "prod" || v.ServiceAccount.Name != ServiceAccount || v.ReplicaCount != 2 {
		t.Errorf("values = %+v", v)
	}
}

func TestPolicyUsesThePartition(t *testing.T) {
	b, _ := json.Marshal(Policy("aws-cn"))
	if strings.Contains(string(b), "arn:aws:") || !strings.Contains(string(b), "arn:aws-cn:elasticloadbalancing") {
		t.Error("policy ARNs must use the given partition")
	}
}

// TestWebhookCertificateSurvivesUpgrades: the rendered values keep the
// webhook's TLS Secret across `helm upgrade` (chart 3.x defaults
// keepTLSSecret to false) and never switch the chart to cert-manager.
func TestWebhookCertificateSurvivesUpgrades(t *testing.T) {
	name := "prod"
	b, err := json.Marshal(NewValues(Config{ClusterName: &name, Region: "eu-west-1"}))
	if err != nil {
		t.Fatal(err)
	}
	var rendered map[string]any
	if err := json.Unmarshal(b, &rendered); err != nil {
		t.Fatal(err)
	}
	if rendered["keepTLSSecret"] != true {
		t.Errorf("keepTLSSecret = %v, want true: %s", rendered["keepTLSSecret"], b)
	}
	if _, set := rendered["enableCertManager"]; set {
		t.Errorf("enableCertManager is set: %s", b)
	}
}
