// Package observability gives a cluster its metrics and logs the AWS-managed
// way: the amazon-cloudwatch-observability EKS add-on (CloudWatch agent and
// Fluent Bit: Container Insights) with a role of its own, and the log
// groups it writes to, created by eksready first so that none is
// unencrypted or kept forever; optionally an Amazon Managed Service for
// Prometheus workspace with an agentless scraper (prometheus.go).
//
// Sources: EKS user guide, workloads-add-ons-available-eks
// (amazon-cloudwatch-observability: service account
// amazon-cloudwatch/cloudwatch-agent, CloudWatchAgentServerPolicy, and
// AWSXrayWriteOnlyAccess for the traces of Application Signals);
// CloudWatch user guide, Container-Insights-setup-EKS-addon (Pod Identity
// from add-on v3.1.0 with CloudWatchAgentServerPolicy only);
// aws-observability/helm-charts, the add-on's chart, at tags
// amazon-cloudwatch-observability-3.1.0 to -6.4.0: values.yaml (Fluent
// Bit writes /aws/containerinsights/${CLUSTER_NAME}/{application,
// dataplane,host} with auto_create_group true; agent.config replaces the
// default agent configuration, whose application_signals sections turn
// Application Signals on) and templates/_helpers.tpl
// (manager.modify-auto-monitor-config: without application_signals in
// the agent configuration, automatic instrumentation is off).
package observability

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/constructs/identity"
)

// Namespace and ServiceAccount are the add-on's agent service account,
// which its role is bound to.
const (
	Namespace      = "amazon-cloudwatch"
	ServiceAccount = "cloudwatch-agent"
)

// ApplicationSignalsLogGroup is where the agent sends Application Signals'
// metrics (embedded metric format): one group per account and region,
// named by AWS (CloudWatchLambdaApplicationSignalsExecutionRolePolicy
// grants exactly it).
const ApplicationSignalsLogGroup = "/aws/application-signals/data"

// ContainerInsightsLogGroups are the groups the add-on writes a cluster's
// logs and performance events to: Fluent Bit's application, dataplane and
// host logs, and the agent's performance log events (embedded metric
// format, from which CloudWatch extracts Container Insights metrics).
func ContainerInsightsLogGroups(cluster string) []string {
	var out []string
	for _, kind := range []string{"application", "dataplane", "host", "performance"} {
		out = append(out, "/aws/containerinsights/"+cluster+"/"+kind)
	}
	return out
}

// LogGroups are every group the add-on writes to with this configuration.
func LogGroups(cluster string, applicationSignals bool) []string {
	groups := ContainerInsightsLogGroups(cluster)
	if applicationSignals {
		groups = append(groups, ApplicationSignalsLogGroup)
	}
	return groups
}

// Config is what the observability resources are built from.
type Config struct {
	// Cluster is the cluster the agent's role belongs to.
	Cluster identity.Cluster
	// ClusterName is the cluster's name as written (log group names).
	ClusterName string
	// Partition is the account's partition (a plan-time token).
	Partition string
	// LogsKeyArn encrypts every log group; its policy must admit
	// CloudWatch Logs for LogGroups (see stacks).
	LogsKeyArn *string
	// RetentionDays is every log group's retention.
	RetentionDays int
	// ApplicationSignals keeps the add-on's Application Signals on.
	ApplicationSignals bool
}

// Observability is the add-on's role and its log groups.
type Observability struct {
	// Role is the agent's IAM role, bound by the add-on.
	Role *identity.ServiceAccountRole
	// LogGroups are the groups created before the add-on.
	LogGroups []cloudwatchloggroup.CloudwatchLogGroup
	cfg       Config
}

// Policies are the AWS managed policies the agent's role holds: the one
// the add-on's Pod Identity instructions attach and, only for Application
// Signals' traces, the X-Ray write policy its IRSA instructions add.
func Policies(partition string, applicationSignals bool) []string {
	out := []string{fmt.Sprintf("arn:%s:iam::aws:policy/CloudWatchAgentServerPolicy", partition)}
	if applicationSignals {
		out = append(out, fmt.Sprintf("arn:%s:iam::aws:policy/AWSXrayWriteOnlyAccess", partition))
	}
	return out
}

// New creates the log groups and the agent's role.
func New(scope constructs.Construct, id string, cfg Config) *Observability {
	scope = constructs.NewConstruct(scope, jsii.String(id))
	o := &Observability{cfg: cfg}
	for i, name := range LogGroups(cfg.ClusterName, cfg.ApplicationSignals) {
		o.LogGroups = append(o.LogGroups, cloudwatchloggroup.NewCloudwatchLogGroup(scope, jsii.String(fmt.Sprintf("log-group-%d", i)), &cloudwatchloggroup.CloudwatchLogGroupConfig{
			Name:            jsii.String(name),
			RetentionInDays: jsii.Number(cfg.RetentionDays),
			KmsKeyId:        cfg.LogsKeyArn,
		}))
	}
	o.Role = identity.NewServiceAccountRole(scope, "identity", identity.ServiceAccountRoleConfig{
		Cluster:           cfg.Cluster,
		Namespace:         Namespace,
		ServiceAccount:    ServiceAccount,
		RoleName:          "cw-agent",
		ManagedPolicyArns: Policies(cfg.Partition, cfg.ApplicationSignals),
		ManagedAddon:      true,
	})
	return o
}

// Prerequisites are what the add-on must wait for: its log groups.
func (o *Observability) Prerequisites() []cdktf.ITerraformDependable {
	out := make([]cdktf.ITerraformDependable, len(o.LogGroups))
	for i, g := range o.LogGroups {
		out[i] = g
	}
	return out
}

// ConfigurationValues is the add-on's configuration: with Application
// Signals off, an agent configuration of Container Insights alone
// (agent.config, read by every chart from 3.1.0 to 6.4.0), which also
// keeps the operator from instrumenting workloads; nil keeps the add-on's
// defaults, Application Signals included.
func ConfigurationValues(applicationSignals bool) map[string]any {
	if applicationSignals {
		return nil
	}
	return map[string]any{
		"agent": map[string]any{
			"config": map[string]any{
				"logs": map[string]any{
					"metrics_collected": map[string]any{
						"kubernetes": map[string]any{"enhanced_container_insights": true},
					},
				},
			},
		},
	}
}
