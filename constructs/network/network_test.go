package network

import (
	"testing"
)

func validConfig() NetworkConfig {
	return NetworkConfig{
		ClusterName: "c", Region: "eu-west-1", VpcCidr: "10.0.0.0/16", NatGateways: NatPerAz,
		Zones: []Zone{{Public: "10.0.96.0/22", Private: "10.0.0.0/19"}, {Public: "10.0.100.0/22", Private: "10.0.32.0/19"}},
		Cni:   CniConfig{Mode: ModePrefixDelegation},
	}
}

// TestCheckRejectsMalformedConfig keeps construct input errors out of jsii:
// they are reported before any resource exists.
func TestCheckRejectsMalformedConfig(t *testing.T) {
	if err := validConfig().check(); err != nil {
		t.Fatalf("valid config rejected: %v", err)
	}
	cases := map[string]func(*NetworkConfig){
		"one zone":               func(c *NetworkConfig) { c.Zones = c.Zones[:1] },
		"missing private CIDR":   func(c *NetworkConfig) { c.Zones[1].Private = "" },
		"secondary without pods": func(c *NetworkConfig) { c.SecondaryCidr = "100.64.0.0/16" },
		"bad NAT layout":         func(c *NetworkConfig) { c.NatGateways = "none" },
		"unknown mode":           func(c *NetworkConfig) { c.Cni.Mode = "calico" },
		"IPv6 flag without mode": func(c *NetworkConfig) { c.IPv6 = true },
		"existing without IDs":   func(c *NetworkConfig) { c.ExistingVpcId = "vpc-1" },
		"flow log destination":   func(c *NetworkConfig) { c.FlowLogs = &FlowLogsConfig{Destination: "kinesis"} },
	}
	for name, mutate := range cases {
		c := validConfig()
		c.Zones = append([]Zone(nil), c.Zones...)
		mutate(&c)
		if err := c.check(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
