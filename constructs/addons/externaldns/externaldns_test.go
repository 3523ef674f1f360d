package externaldns

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestPolicyChangesOnlyTheZones(t *testing.T) {
	b, _ := json.Marshal(Policy("aws", []string{"Z1", "Z2"}))
	if !strings.Contains(string(b), `"Action":["route53:ChangeResourceRecordSets","route53:ListResourceRecordSets","route53:ListTagsForResources"],"Effect":"Allow","Resource":["arn:aws:route53:::hostedzone/Z1","arn:aws:route53:::hostedzone/Z2"]`) ||
		!strings.Contains(string(b), `"Action":["route53:ListHostedZones"],"Effect":"Allow","Resource":"*"`) {
		t.Errorf("policy = %s", b)
	}
}

func TestValuesFilterZonesAndOwnRecords(t *testing.T) {
	v := NewValues(Config{ClusterName: "prod", Region: "eu-west-1", ZoneIDs: []string{"Z1"}, Policy: "sync"})
	if v.Provider.Name != "aws" || v.TxtOwnerID != "prod" || v.ExtraArgs[0] != "--zone-id-filter=Z1" || v.DomainFilters == nil {
		t.Errorf("values = %+v", v)
	}
}
