package guardduty

import (
	"slices"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/eksready/eksready/constructs/jsonvalue"
)

// The endpoint policy is the GuardDuty user guide's: allow, then deny any
// principal outside the VPC's account.
func TestEndpointPolicy(t *testing.T) {
	got := *jsonvalue.String(EndpointPolicy(jsii.String("111122223333")))
	want := `{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"},{"Action":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}},"Effect":"Deny","Principal":"*","Resource":"*"}],"Version":"2012-10-17"}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// Every agent-management setting GuardDuty reads back is stated, in the
// API's order, so the provider never sees a difference.
func TestAgentManagement(t *testing.T) {
	var names []string
	for _, n := range AgentManagement() {
		names = append(names, string(n))
	}
	if want := []string{"EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT"}; !slices.Equal(names, want) {
		t.Errorf("got %v", names)
	}
}
