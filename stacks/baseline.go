package stacks

import (
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/constructs/guardduty"
	"github.com/eksready/eksready/constructs/kms"
	"github.com/eksready/eksready/constructs/managedaddons"
	"github.com/eksready/eksready/constructs/observability"
)

// BaselineInfra is the AWS side of the production baseline beyond the
// article, created in infra.
type BaselineInfra struct {
	// Observability is the CloudWatch agent's role and its log groups (nil
	// when observability is off).
	Observability *observability.Observability
	// Prometheus is the managed Prometheus workspace and scraper (nil
	// unless enabled).
	Prometheus *observability.Prometheus
	// RuntimeMonitoringReady are what the GuardDuty agent waits for: its
	// endpoint and, when eksready manages it, the detector feature.
	RuntimeMonitoringReady []cdktf.ITerraformDependable
}

// newBaselineInfra creates the baseline's AWS resources: the log groups
// and role of the CloudWatch add-on, the Prometheus workspace and scraper,
// GuardDuty's detector feature. The guardduty-data endpoint is one of the
// network's interface endpoints.
func newBaselineInfra(stack cdktf.TerraformStack, cfg config.Cluster, in *Infra, logsKey *kms.Key) {
	b := &BaselineInfra{}
	in.Baseline = b
	if o := cfg.Observability; o.On() {
		b.Observability = observability.New(stack, "observability", observability.Config{
			Cluster:            in.Cluster.Identity,
			ClusterName:        cfg.Name,
			Partition:          *in.Account.Partition,
			LogsKeyArn:         logsKey.Arn,
			RetentionDays:      o.RetentionDays,
			ApplicationSignals: o.ApplicationSignals.On(),
		})
	}
	if cfg.Observability.Prometheus.On() {
		b.Prometheus = observability.NewPrometheus(stack, "prometheus", observability.PrometheusConfig{
			ClusterName:     cfg.Name,
			ClusterArn:      in.Cluster.Resource.Arn(),
			SubnetIds:       in.Network.PrivateSubnetIds,
			SecurityGroupID: in.Cluster.Resource.VpcConfig().ClusterSecurityGroupId(),
		})
	}
	r := cfg.RuntimeMonitoring
	if e, ok := in.Network.Endpoints[config.GuardDutyDataEndpoint]; ok && r.EndpointOn() {
		b.RuntimeMonitoringReady = append(b.RuntimeMonitoringReady, e)
	}
	if r.DetectorFeatureOn() {
		b.RuntimeMonitoringReady = append(b.RuntimeMonitoringReady, guardduty.NewDetectorFeature(stack, "guardduty"))
	}
}

// Addons are the baseline's managed add-ons, all installed after the
// nodes (their pods need somewhere to run), with their roles and what
// they wait for.
func (b *BaselineInfra) Addons(cfg config.Cluster) []managedaddons.Addon {
	version := func(name string) string { return cfg.ManagedAddons.Versions[name] }
	var out []managedaddons.Addon
	if o := b.Observability; o != nil {
		out = append(out, managedaddons.Addon{
			Name: config.CloudWatchObservabilityAddon, Version: version(config.CloudWatchObservabilityAddon), Phase: managedaddons.AfterNodes,
			Role:                o.Role,
			ConfigurationValues: observability.ConfigurationValues(cfg.Observability.ApplicationSignals.On()),
			Prerequisites:       o.Prerequisites(),
		})
	}
	if cfg.RuntimeMonitoring.On() {
		// The agent needs no AWS permissions of its own (EKS user guide,
		// add-ons-guard-duty); GuardDuty authenticates it by the node.
		out = append(out, managedaddons.Addon{
			Name: config.GuardDutyAgentAddon, Version: version(config.GuardDutyAgentAddon), Phase: managedaddons.AfterNodes,
			Prerequisites: b.RuntimeMonitoringReady,
		})
	}
	if cfg.SecretsStore.On() {
		// No role: the AWS provider fetches each secret with the role of the
		// pod that mounts it (Pod Identity or IRSA).
		out = append(out, managedaddons.Addon{Name: config.SecretsStoreAddon, Version: version(config.SecretsStoreAddon), Phase: managedaddons.AfterNodes})
	}
	return out
}
