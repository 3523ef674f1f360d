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
