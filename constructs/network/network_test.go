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

// Network policy enforcement is an add-on setting in every VPC CNI mode,
// IPv6 included, and strict mode (default deny) an env variable of the
// aws-node container; keys as the EKS user guide gives them
// (cni-network-policy-configure).
func TestVpcCniNetworkPolicy(t *testing.T) {
	for _, mode := range []string{ModePrefixDelegation, ModeCustomNetworking, ModeIPv6} {
		for _, strict := range []bool{false, true} {
			cfg := validConfig()
			cfg.Cni = CniConfig{Mode: mode, NetworkPolicy: true, StrictNetworkPolicy: strict}
			n := &Network{cfg: cfg}
			values := n.VpcCniConfigurationValues(nil)
			if values["enableNetworkPolicy"] != "true" {
				t.Errorf("%s: enableNetworkPolicy = %v", mode, values["enableNetworkPolicy"])
			}
			env, _ := values["env"].(map[string]any)
			if got := env["NETWORK_POLICY_ENFORCING_MODE"]; (got == "strict") != strict {
				t.Errorf("%s strict=%v: NETWORK_POLICY_ENFORCING_MODE = %v", mode, strict, got)
			}
		}
		cfg := validConfig()
		cfg.Cni = CniConfig{Mode: mode}
		values := (&Network{cfg: cfg}).VpcCniConfigurationValues(nil)
		if _, on := values["enableNetworkPolicy"]; on {
			t.Errorf("%s: enforcement off must leave enableNetworkPolicy out", mode)
		}
		if env, _ := values["env"].(map[string]any); env["NETWORK_POLICY_ENFORCING_MODE"] != nil {
			t.Errorf("%s: enforcement off must leave the enforcing mode out", mode)
		}
	}
	if v := (&Network{cfg: NetworkConfig{Cni: CniConfig{Mode: ModeCilium, NetworkPolicy: true}}}).VpcCniConfigurationValues(nil); v != nil {
		t.Errorf("cilium has no vpc-cni add-on: %v", v)
	}
}
