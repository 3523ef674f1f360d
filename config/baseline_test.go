package config

import (
	"strings"
	"testing"
)

// The baseline's defaults: Container Insights and NetworkPolicy enforcement
// on, the opt-in parts off, and the settings that depend on other fields
// following them.
func TestBaselineDefaults(t *testing.T) {
	c := Default()
	if !c.Observability.On() || c.Observability.RetentionDays != 30 || c.Observability.ApplicationSignals.On() || c.Observability.Prometheus.On() {
		t.Errorf("observability defaults: %+v", c.Observability)
	}
	if !c.Network.Policies.On() || c.Network.Policies.Default != NetworkPolicyDefaultAllow || c.Network.Policies.DefaultDeny() {
		t.Errorf("network policy defaults: %+v", c.Network.Policies)
	}
	if c.RuntimeMonitoring.On() || c.RuntimeMonitoring.Endpoint != nil || c.RuntimeMonitoring.DetectorFeatureOn() || c.SecretsStore.On() {
		t.Errorf("opt-in parts must be off: %+v, secrets %v", c.RuntimeMonitoring, c.SecretsStore.On())
	}
	// Cilium's overlay hides the add-on's webhooks from the control plane.
	if c := mustLoad(t, "network: {podNetworking: {mode: cilium}}"); c.Observability.On() {
		t.Error("observability must default off with Cilium")
	}
	// The endpoint follows the VPC: on in eksready's, off in an existing one.
	if c := mustLoad(t, "runtimeMonitoring: {enabled: true}"); !c.RuntimeMonitoring.EndpointOn() {
		t.Error("the guardduty-data endpoint must default on in a VPC eksready creates")
	}
	existing := `
network:
  existingVpc:
    vpcId: vpc-0123456789abcdef0
    privateSubnets:
      - {id: subnet-0123456789abcdef0, zone: eu-west-1a, cidr: 10.1.0.0/19}
      - {id: subnet-0123456789abcdef1, zone: eu-west-1b, cidr: 10.1.32.0/19}
runtimeMonitoring: {enabled: true}
`
	if c := mustLoad(t, existing); !c.RuntimeMonitoring.On() || c.RuntimeMonitoring.EndpointOn() {
		t.Errorf("with an existing VPC the endpoint must default off: %+v", c.RuntimeMonitoring)
	}
}

func TestBaselineValidation(t *testing.T) {
	cases := []struct{ name, yaml string }{
		{"observability with cilium", "network: {podNetworking: {mode: cilium}}\nobservability: {enabled: true}"},
		{"application signals without the add-on", "observability: {enabled: false, applicationSignals: {enabled: true}}"},
		{"retention", "observability: {retentionDays: 31}"},
		{"prometheus in china", "region: cn-north-1\nobservability: {prometheus: {enabled: true}}"},
		{"prometheus where AMP has no endpoint", "region: ap-southeast-6\nobservability: {prometheus: {enabled: true}}"},
		{"add-on pinned before Pod Identity support", "managedAddons: {versions: {amazon-cloudwatch-observability: v3.0.0-eksbuild.1}}"},
		{"unknown network policy default", "network: {policies: {default: deny}}"},
		{"deny without enforcement", "network: {policies: {enabled: false, default: defaultDeny}}"},
		{"cilium enforcement off", "network: {podNetworking: {mode: cilium}, policies: {enabled: false}}"},
		{"cilium default deny", "network: {podNetworking: {mode: cilium}, policies: {default: defaultDeny}}"},
		{"auto mode built-in pools deny", "compute: {mode: auto-mode}\nnetwork: {policies: {default: defaultDeny}}"},
		{"runtime settings without the agent", "runtimeMonitoring: {endpoint: true, detectorFeature: true}"},
		{"GuardDutyManaged tag with the agent", "tags: {GuardDutyManaged: 'true'}\nruntimeMonitoring: {enabled: true}"},
		{"two guardduty-data endpoints", "network: {endpoints: {services: [s3, guardduty-data]}}\nruntimeMonitoring: {enabled: true}"},
		{"baseline add-ons under additional", "managedAddons: {additional: [{name: amazon-cloudwatch-observability}, {name: aws-guardduty-agent}, {name: aws-secrets-store-csi-driver-provider}]}"},
	}
	want := map[string][]string{
		"observability with cilium": {
			`observability.enabled: true cannot be used with network.podNetworking.mode cilium: the add-on's operator serves admission webhooks from a pod, which the EKS control plane cannot reach on Cilium's overlay network (every pod creation would wait for them)`,
		},
		"application signals without the add-on": {
			`observability.applicationSignals.enabled: true only applies with observability.enabled: Application Signals is part of the CloudWatch observability add-on`,
		},
		"retention": {
			`observability.retentionDays: 31 is not a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)`,
		},
		"prometheus in china": {
			`observability.prometheus.enabled: true is not available in cn-north-1: Amazon Managed Service for Prometheus has no endpoint there (AWS endpoint model, botocore 1.43.11)`,
		},
		"prometheus where AMP has no endpoint": {
			`observability.prometheus.enabled: true is not available in ap-southeast-6: Amazon Managed Service for Prometheus has no endpoint there (AWS endpoint model, botocore 1.43.11)`,
		},
		"add-on pinned before Pod Identity support": {
			`managedAddons.versions.amazon-cloudwatch-observability: "v3.0.0-eksbuild.1" takes no EKS Pod Identity association (the add-on supports Pod Identity from v3.1.0); pin v3.1.0 or later, or set workloadIdentity: irsa`,
		},
		"unknown network policy default": {
			`network.policies.default: "deny" must be defaultAllow or defaultDeny`,
		},
		"deny without enforcement": {
			`network.policies.default: "defaultDeny" needs network.policies.enabled: true (nothing denies traffic while NetworkPolicies are not enforced)`,
		},
		"cilium enforcement off": {
			`network.policies.enabled: false cannot be used with network.podNetworking.mode cilium: Cilium enforces NetworkPolicies itself, and eksready does not turn that off`,
		},
		"cilium default deny": {
			`network.policies.default: "defaultDeny" is not supported with network.podNetworking.mode cilium: eksready leaves Cilium's policy enforcement mode at its default (pods no policy selects are not isolated)`,
		},
		"auto mode built-in pools deny": {
			`network.policies.default: "defaultDeny" cannot apply to Auto Mode's built-in node pools: they use AWS's default NodeClass, whose networkPolicy is DefaultAllow and cannot be changed; set compute.autoMode.builtInNodePools: [] and define your NodePools (they use eksready's NodeClass)`,
		},
		"runtime settings without the agent": {
			`runtimeMonitoring.endpoint: true only applies with runtimeMonitoring.enabled: true`,
			`runtimeMonitoring.detectorFeature: true only applies with runtimeMonitoring.enabled: true (eksready turns the feature on only for an agent it installs)`,
		},
		"GuardDutyManaged tag with the agent": {
			`tags.GuardDutyManaged: "true" is set by eksready on the cluster (false) when runtimeMonitoring.enabled: the agent then has one owner, eksready, and GuardDuty's automated agent configuration leaves it alone`,
		},
		"two guardduty-data endpoints": {
			`network.endpoints.services: ["s3", "guardduty-data"] list guardduty-data, which runtimeMonitoring.endpoint creates too (with its access policy); two endpoints with private DNS for one service fail at apply: remove it from the list`,
		},
		"baseline add-ons under additional": {
			`managedAddons.additional[0].name: "amazon-cloudwatch-observability" is installed by observability.enabled, with its own IAM role and the log groups it writes to created first; set that instead`,
			`managedAddons.additional[1].name: "aws-guardduty-agent" is installed by runtimeMonitoring.enabled, with the guardduty-data endpoint and the cluster tag that keeps GuardDuty's automated agent configuration from installing it a second time; set that instead`,
			`managedAddons.additional[2].name: "aws-secrets-store-csi-driver-provider" is installed by secretsStore.enabled; set that instead`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assertSameProblems(t, problemsOf(t, tc.yaml), want[tc.name])
		})
	}
}

// What the baseline accepts: the add-on pinned at the first version with
// Pod Identity, or earlier with IRSA; defaultDeny with eksready's own
// Auto Mode NodePools; Prometheus in GovCloud.
func TestBaselineAccepts(t *testing.T) {
	for _, y := range []string{
		"managedAddons: {versions: {amazon-cloudwatch-observability: v3.1.0-eksbuild.1}}",
		"workloadIdentity: irsa\nmanagedAddons: {versions: {amazon-cloudwatch-observability: v2.1.0-eksbuild.1}}",
		"compute: {mode: auto-mode, autoMode: {builtInNodePools: [], nodePools: {general: {}}}}\nnetwork: {policies: {default: defaultDeny}}",
		"region: us-gov-west-1\nobservability: {prometheus: {enabled: true}}",
		"network: {podNetworking: {mode: ipv6}, policies: {default: defaultDeny}}",
	} {
		mustLoad(t, y)
	}
}

// The guardduty-data endpoint takes an address in every private subnet,
// and the capacity plan counts it.
func TestGuardDutyEndpointIsPlanned(t *testing.T) {
	other := func(c Cluster) int {
		l, err := SubnetLayout(c.Network)
		if err != nil {
			t.Fatal(err)
		}
		in, err := capacityInput(c, l)
		if err != nil {
			t.Fatal(err)
		}
		return in.AZs[0].NodeSubnet.OtherAddresses
	}
	if got := other(mustLoad(t, "runtimeMonitoring: {enabled: true}")) - other(Default()); got != 1 {
		t.Errorf("the endpoint adds %d addresses to zone 1's private subnet, want 1", got)
	}
	if got := other(mustLoad(t, "runtimeMonitoring: {enabled: true, endpoint: false}")) - other(Default()); got != 0 {
		t.Errorf("without the endpoint: %d more addresses, want 0", got)
	}
}

func TestBaselineSummary(t *testing.T) {
	got := strings.Join(BaselineSummary(Default()), "\n")
	want := strings.Join([]string{
		"observability: Container Insights (CloudWatch observability add-on), 4 log groups encrypted with the logs key, kept 30 days; Application Signals off",
		"Amazon Managed Service for Prometheus: off",
		"network policies: enforced by the VPC CNI's network policy agent, defaultAllow",
		"runtime monitoring: eksready installs no GuardDuty agent (readiness info: waive it where GuardDuty's automated agent configuration covers the cluster)",
		"Secrets Store CSI driver with the AWS provider: off",
	}, "\n")
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	cilium := BaselineSummary(mustLoad(t, "network: {podNetworking: {mode: cilium}}"))
	if cilium[0] != "observability: off (no Container Insights; readiness warns)" || cilium[2] != "network policies: enforced by Cilium, defaultAllow" {
		t.Errorf("cilium summary: %q", cilium)
	}
}
