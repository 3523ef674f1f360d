package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The production baseline beyond the article: metrics and logs, network
// policies, runtime threat detection, secrets without static credentials
// (pod security needs no setting: every namespace eksready creates is
// labelled). Each part is an EKS managed add-on where AWS offers one.

// EKS managed add-ons of the baseline (EKS user guide,
// workloads-add-ons-available-eks).
const (
	// CloudWatchObservabilityAddon installs the CloudWatch agent and Fluent
	// Bit (Container Insights) in namespace amazon-cloudwatch.
	CloudWatchObservabilityAddon = "amazon-cloudwatch-observability"
	// GuardDutyAgentAddon is GuardDuty's runtime monitoring security agent.
	GuardDutyAgentAddon = "aws-guardduty-agent"
	// SecretsStoreAddon is the Secrets Store CSI driver with the AWS
	// provider (ASCP), an EKS add-on since November 2025.
	SecretsStoreAddon = "aws-secrets-store-csi-driver-provider"
)

// Observability is Container Insights through the CloudWatch observability
// add-on and, optionally, Amazon Managed Service for Prometheus.
type Observability struct {
	// Enabled installs the amazon-cloudwatch-observability add-on (CloudWatch
	// agent and Fluent Bit) with its own IAM role, after eksready created
	// the log groups it writes to, encrypted and with RetentionDays.
	// Default: true, except with network.podNetworking.mode cilium, where
	// the control plane cannot reach the add-on's admission webhook.
	Enabled *bool `yaml:"enabled"`

	// RetentionDays keeps the Container Insights log groups' events (and
	// Application Signals' when on); a value CloudWatch Logs accepts.
	// Default: 30.
	RetentionDays int `yaml:"retentionDays"`

	// ApplicationSignals keeps CloudWatch Application Signals on (the
	// add-on's own default): the operator instruments Java, Python, .NET
	// and Node.js workloads and each request they serve or make is billed
	// as a signal. Default: disabled (Container Insights only).
	ApplicationSignals Toggle `yaml:"applicationSignals"`

	// Prometheus creates an Amazon Managed Service for Prometheus workspace
	// and an AWS managed (agentless) scraper of this cluster. Default:
	// disabled.
	Prometheus Toggle `yaml:"prometheus"`
}

// On reports whether the CloudWatch observability add-on is installed.
func (o Observability) On() bool { return o.Enabled != nil && *o.Enabled }

// DefaultObservabilityRetentionDays keeps Container Insights logs a month:
// application logs are read during incidents, within weeks.
const DefaultObservabilityRetentionDays = 30

// NetworkPolicies configures Kubernetes NetworkPolicy enforcement.
type NetworkPolicies struct {
	// Enabled turns enforcement on: the VPC CNI's network policy agent
	// (vpc-cni enableNetworkPolicy), or in Auto Mode the network policy
	// controller (ConfigMap kube-system/amazon-vpc-cni). Cilium enforces
	// NetworkPolicies itself and cannot be turned off here. Default: true.
	Enabled *bool `yaml:"enabled"`

	// Default is what a pod that no NetworkPolicy selects may do:
	// defaultAllow (everything, Kubernetes' behaviour) or defaultDeny
	// (nothing until a policy admits it: the VPC CNI's strict mode, or
	// DefaultDeny on eksready's Auto Mode NodeClass). With defaultDeny
	// eksready admits all traffic of its own namespaces and kube-system,
	// and your namespaces need policies for DNS, the API server, Pod
	// Identity and everything else they reach. Default: defaultAllow.
	Default string `yaml:"default"`
}

// NetworkPolicy cluster defaults.
const (
	NetworkPolicyDefaultAllow = "defaultAllow"
	NetworkPolicyDefaultDeny  = "defaultDeny"
)

// On reports whether NetworkPolicies are enforced.
func (p NetworkPolicies) On() bool { return p.Enabled != nil && *p.Enabled }

// DefaultDeny reports whether pods without a NetworkPolicy are cut off.
func (p NetworkPolicies) DefaultDeny() bool {
	return p.On() && p.Default == NetworkPolicyDefaultDeny
}

// RuntimeMonitoring is GuardDuty Runtime Monitoring for the cluster.
//
// The detector and its Runtime Monitoring feature are account- and
// region-wide and often belong to a security team (or a GuardDuty
// delegated administrator). GuardDuty's automated agent configuration may
// install the agent add-on and a guardduty-data endpoint itself. eksready
// therefore installs only what is this cluster's, and owns nothing twice.
type RuntimeMonitoring struct {
	// Enabled installs the GuardDuty security agent (the aws-guardduty-agent
	// add-on) and tags the cluster GuardDutyManaged=false, so GuardDuty's
	// automated agent configuration leaves the agent to eksready. Runtime
	// Monitoring must be on for the account (by you, your security team,
	// or detectorFeature). Default: false.
	Enabled *bool `yaml:"enabled"`

	// Endpoint creates the guardduty-data interface endpoint the agent
	// sends runtime events through, with private DNS and a policy that
	// admits only this account. Only with enabled. Default: true in a VPC
	// eksready creates, false with network.existingVpc (which may have one).
	Endpoint *bool `yaml:"endpoint"`

	// DetectorFeature also turns the account's Runtime Monitoring feature
	// on, on the region's existing detector, with GuardDuty's automated
	// agent management off for EKS, ECS on Fargate and EC2: eksready then
	// decides those account-wide settings in this region. Destroying the
	// stack leaves the feature on. Only with enabled. Default: false.
	DetectorFeature *bool `yaml:"detectorFeature"`
}

// On reports whether eksready installs the GuardDuty agent.
func (r RuntimeMonitoring) On() bool { return r.Enabled != nil && *r.Enabled }

// EndpointOn reports whether eksready creates the guardduty-data endpoint.
func (r RuntimeMonitoring) EndpointOn() bool {
	return r.On() && r.Endpoint != nil && *r.Endpoint
}

// DetectorFeatureOn reports whether eksready manages the detector feature.
func (r RuntimeMonitoring) DetectorFeatureOn() bool {
	return r.On() && r.DetectorFeature != nil && *r.DetectorFeature
}

// GuardDutyDataEndpoint is the endpoint service the GuardDuty agent sends
// runtime events to (GuardDuty user guide, eksrunmon-prereq-deploy-security-agent).
const GuardDutyDataEndpoint = "guardduty-data"

// GuardDutyManagedTag is the cluster tag GuardDuty's automated agent
// configuration reads: false excludes the cluster, so GuardDuty neither
// installs nor updates the agent there (GuardDuty user guide,
// managing-gdu-agent-eks-automatically).
const GuardDutyManagedTag = "GuardDutyManaged"

// ampUnavailable are EKS regions without Amazon Managed Service for
// Prometheus: botocore 1.43.11 data/endpoints.json, service "aps" (read
// 2026-12-05), lists no endpoint in aws-cn and none in ap-southeast-6,
// while it lists every other region eksready accepts, GovCloud included.
var ampUnavailable = []string{"ap-southeast-6", "cn-north-1", "cn-northwest-1"}

// observabilityPodIdentityFloor is the first amazon-cloudwatch-observability
// version that takes an EKS Pod Identity association ("If you use version
// 3.1.0 or later of the add-on, you can use EKS Pod Identity", CloudWatch
// user guide, Container-Insights-setup-EKS-addon).
var observabilityPodIdentityFloor = [3]int{3, 1, 0}

func validateBaseline(c Cluster, v *collector) {
	o := c.Observability
	switch {
	case o.On() && !APIServerReachesPods(c):
		v.add("observability.enabled", true, "cannot be used with network.podNetworking.mode cilium: the add-on's operator serves admission webhooks from a pod, which the EKS control plane cannot reach on Cilium's overlay network (every pod creation would wait for them)")
	case !o.On() && o.ApplicationSignals.On():
		v.add("observability.applicationSignals.enabled", true, "only applies with observability.enabled: Application Signals is part of the CloudWatch observability add-on")
	}
	if !slices.Contains(LogRetentionDays, o.RetentionDays) {
		v.add("observability.retentionDays", o.RetentionDays, "is not a retention CloudWatch Logs accepts (%s)", joinInts(LogRetentionDays))
	}
	if o.Prometheus.On() && slices.Contains(ampUnavailable, c.Region) {
		v.add("observability.prometheus.enabled", true, "is not available in %s: Amazon Managed Service for Prometheus has no endpoint there (AWS endpoint model, botocore 1.43.11)", c.Region)
	}
	if ver, ok := c.ManagedAddons.Versions[CloudWatchObservabilityAddon]; ok && c.WorkloadIdentity == "pod-identity" {
		if n, parsed := addonSemver(ver); parsed && semverLess(n, observabilityPodIdentityFloor) {
			v.add("managedAddons.versions."+CloudWatchObservabilityAddon, ver, "takes no EKS Pod Identity association (the add-on supports Pod Identity from v3.1.0); pin v3.1.0 or later, or set workloadIdentity: irsa")
		}
	}

	p := c.Network.Policies
	if !slices.Contains([]string{NetworkPolicyDefaultAllow, NetworkPolicyDefaultDeny}, p.Default) {
		v.add("network.policies.default", p.Default, "must be %s or %s", NetworkPolicyDefaultAllow, NetworkPolicyDefaultDeny)
	}
	switch {
	case c.Network.PodNetworking.Mode == PodNetworkingCilium && !p.On():
		v.add("network.policies.enabled", false, "cannot be used with network.podNetworking.mode cilium: Cilium enforces NetworkPolicies itself, and eksready does not turn that off")
	case c.Network.PodNetworking.Mode == PodNetworkingCilium && p.Default == NetworkPolicyDefaultDeny:
		v.add("network.policies.default", p.Default, "is not supported with network.podNetworking.mode cilium: eksready leaves Cilium's policy enforcement mode at its default (pods no policy selects are not isolated)")
	case !p.On() && p.Default == NetworkPolicyDefaultDeny:
		v.add("network.policies.default", p.Default, "needs network.policies.enabled: true (nothing denies traffic while NetworkPolicies are not enforced)")
	case p.DefaultDeny() && c.AutoModeOn() && len(c.Compute.AutoMode.BuiltInNodePools) > 0:
		v.add("network.policies.default", p.Default, "cannot apply to Auto Mode's built-in node pools: they use AWS's default NodeClass, whose networkPolicy is DefaultAllow and cannot be changed; set compute.autoMode.builtInNodePools: [] and define your NodePools (they use eksready's NodeClass)")
	}

	r := c.RuntimeMonitoring
	if !r.On() {
		if r.Endpoint != nil {
			v.add("runtimeMonitoring.endpoint", *r.Endpoint, "only applies with runtimeMonitoring.enabled: true")
		}
		if r.DetectorFeature != nil && *r.DetectorFeature {
			v.add("runtimeMonitoring.detectorFeature", true, "only applies with runtimeMonitoring.enabled: true (eksready turns the feature on only for an agent it installs)")
		}
	} else {
		if _, ok := c.Tags[GuardDutyManagedTag]; ok {
			v.add("tags."+GuardDutyManagedTag, c.Tags[GuardDutyManagedTag], "is set by eksready on the cluster (false) when runtimeMonitoring.enabled: the agent then has one owner, eksready, and GuardDuty's automated agent configuration leaves it alone")
		}
		if r.EndpointOn() && c.Network.Endpoints.On() && slices.Contains(c.Network.Endpoints.Services, GuardDutyDataEndpoint) {
			v.add("network.endpoints.services", c.Network.Endpoints.Services, "list %s, which runtimeMonitoring.endpoint creates too (with its access policy); two endpoints with private DNS for one service fail at apply: remove it from the list", GuardDutyDataEndpoint)
		}
	}
}

// baselineAddonProblem is why a managed add-on of the baseline cannot be
// listed under managedAddons.additional ("" for other add-ons): each needs
// more than the add-on (a role, log groups created first, an endpoint),
// and there a second owner (GuardDuty's automated agent configuration)
// could install the same add-on.
func baselineAddonProblem(name string) string {
	switch name {
	case CloudWatchObservabilityAddon:
		return "is installed by observability.enabled, with its own IAM role and the log groups it writes to created first; set that instead"
	case GuardDutyAgentAddon:
		return "is installed by runtimeMonitoring.enabled, with the guardduty-data endpoint and the cluster tag that keeps GuardDuty's automated agent configuration from installing it a second time; set that instead"
	case SecretsStoreAddon:
		return "is installed by secretsStore.enabled; set that instead"
	}
	return ""
}

// addonSemver reads the major, minor and patch of "v3.1.0-eksbuild.1".
func addonSemver(version string) ([3]int, bool) {
	var out [3]int
	core, _, _ := strings.Cut(strings.TrimPrefix(version, "v"), "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return out, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return out, false
		}
		out[i] = n
	}
	return out, true
}

func semverLess(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// BaselineSummary describes the production baseline of a configuration for
// the synth summary, one line per part.
func BaselineSummary(c Cluster) []string {
	onOff := map[bool]string{true: "on", false: "off"}
	o := c.Observability
	obs := "observability: off (no Container Insights; readiness warns)"
	if o.On() {
		groups := "4 log groups"
		if o.ApplicationSignals.On() {
			groups = "4 log groups and /aws/application-signals/data"
		}
		obs = fmt.Sprintf("observability: Container Insights (CloudWatch observability add-on), %s encrypted with the logs key, kept %d days; Application Signals %s", groups, o.RetentionDays, onOff[o.ApplicationSignals.On()])
	}
	prom := "Amazon Managed Service for Prometheus: off"
	if o.Prometheus.On() {
		prom = "Amazon Managed Service for Prometheus: a workspace and an agentless scraper of this cluster"
	}
	p := c.Network.Policies
	pol := "network policies: not enforced (readiness warns)"
	switch {
	case c.Network.PodNetworking.Mode == PodNetworkingCilium:
		pol = "network policies: enforced by Cilium, " + p.Default
	case p.On() && c.AutoModeOn():
		pol = "network policies: enforced by Auto Mode's network policy controller, " + p.Default
	case p.On():
		pol = "network policies: enforced by the VPC CNI's network policy agent, " + p.Default
	}
	r := c.RuntimeMonitoring
	rm := "runtime monitoring: eksready installs no GuardDuty agent (readiness info: waive it where GuardDuty's automated agent configuration covers the cluster)"
	if r.On() {
		rm = fmt.Sprintf("runtime monitoring: GuardDuty agent add-on (cluster tagged %s=false), guardduty-data endpoint %s, detector feature managed by eksready %s", GuardDutyManagedTag, onOff[r.EndpointOn()], onOff[r.DetectorFeatureOn()])
	}
	return []string{obs, prom, pol, rm, "Secrets Store CSI driver with the AWS provider: " + onOff[c.SecretsStore.On()]}
}
