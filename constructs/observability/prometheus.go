package observability

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/prometheusscraper"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/prometheusworkspace"

	"github.com/eksready/eksready/constructs/jsonvalue"
)

// PrometheusConfig is what the workspace and its scraper are built from.
type PrometheusConfig struct {
	// ClusterName names the workspace (alias) and the scraper.
	ClusterName string
	// ClusterArn is the scraped cluster (a token: the scraper waits for it).
	ClusterArn *string
	// SubnetIds are where the scraper's network interfaces go: the
	// cluster's node subnets, at least two zones.
	SubnetIds []*string
	// SecurityGroupID is the EKS cluster security group, which admits
	// traffic between everything that carries it (nodes, control plane and
	// now the scraper).
	SecurityGroupID *string
}

// Prometheus is the workspace and the scraper filling it.
type Prometheus struct {
	Workspace prometheusworkspace.PrometheusWorkspace
	Scraper   prometheusscraper.PrometheusScraper
}

// ScrapeInterval is the collector's scrape interval: 30 seconds, the
// shortest an AWS managed collector accepts (AMP user guide,
// AMP-collector-how-to, "Scrape interval").
const ScrapeInterval = "30s"

// ScrapeConfiguration is the scraper's Prometheus configuration (JSON,
// which is YAML). Jobs follow the AMP user guide's sample configuration
// (AMP-collector-how-to): the API server, kube-scheduler and
// kube-controller-manager metrics EKS exposes (metrics.eks.amazonaws.com),
// container metrics from each kubelet's cAdvisor through the API server
// proxy, and pods that opt in with the prometheus.io/scrape annotation
// (path and port from prometheus.io/path and prometheus.io/port), rather
// than the sample's every pod, which would scrape every container port.
// The only name a managed collector resolves is kubernetes.default.svc,
// and its only credential is the service account token file.
func ScrapeConfiguration(clusterArn *string) map[string]any {
	bearer := map[string]any{"type": "Bearer", "credentials_file": "/var/run/secrets/kubernetes.io/serviceaccount/token"}
	apiServer := []map[string]any{{
		"action":        "keep",
		"source_labels": []string{"__meta_kubernetes_namespace", "__meta_kubernetes_service_name", "__meta_kubernetes_endpoint_port_name"},
		"regex":         "default;kubernetes;https",
	}}
	controlPlane := func(job, path string) map[string]any {
		return map[string]any{
			"job_name":              job,
			"scheme":                "https",
			"authorization":         bearer,
			"metrics_path":          path,
			"kubernetes_sd_configs": []map[string]any{{"role": "endpoints"}},
			"relabel_configs":       apiServer,
		}
	}
	return map[string]any{
		"global": map[string]any{
			"scrape_interval": ScrapeInterval,
			"external_labels": map[string]any{"clusterArn": clusterArn},
		},
		"scrape_configs": []map[string]any{
			controlPlane("kubernetes-apiservers", "/metrics"),
			controlPlane("ksh-metrics", "/apis/metrics.eks.amazonaws.com/v1/ksh/container/metrics"),
			controlPlane("kcm-metrics", "/apis/metrics.eks.amazonaws.com/v1/kcm/container/metrics"),
			{
				"job_name":              "cadvisor",
				"scheme":                "https",
				"authorization":         bearer,
				"kubernetes_sd_configs": []map[string]any{{"role": "node"}},
				"relabel_configs": []map[string]any{
					{"action": "labelmap", "regex": "__meta_kubernetes_node_label_(.+)"},
					{"replacement": "kubernetes.default.svc:443", "target_label": "__address__"},
					{"source_labels": []string{"__meta_kubernetes_node_name"}, "regex": "(.+)", "target_label": "__metrics_path__", "replacement": "/api/v1/nodes/$1/proxy/metrics/cadvisor"},
				},
			},
			{
				"job_name":              "annotated-pods",
				"kubernetes_sd_configs": []map[string]any{{"role": "pod"}},
				"relabel_configs": []map[string]any{
					{"action": "keep", "source_labels": []string{"__meta_kubernetes_pod_annotation_prometheus_io_scrape"}, "regex": "true"},
					{"action": "replace", "source_labels": []string{"__meta_kubernetes_pod_annotation_prometheus_io_path"}, "regex": "(.+)", "target_label": "__metrics_path__"},
					{"action": "replace", "source_labels": []string{"__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"}, "regex": `([^:]+)(?::\d+)?;(\d+)`, "replacement": "$1:$2", "target_label": "__address__"},
					{"action": "replace", "source_labels": []string{"__meta_kubernetes_namespace"}, "target_label": "namespace"},
					{"action": "replace", "source_labels": []string{"__meta_kubernetes_pod_name"}, "target_label": "pod"},
				},
			},
		},
	}
}

// NewPrometheus creates the workspace and a scraper of the cluster that
// writes to it. The scraper needs no access entry from eksready: on a
// cluster with authentication mode API, Amazon Managed Service for
// Prometheus creates the scraper's access entry and its access policy
// itself (AMP user guide, AMP-collector-how-to, "Configure Amazon EKS for
// scraper access with access entries"), so a second entry for the same
// principal would fail. Its prerequisites hold for every eksready
// cluster: private endpoint access on, DNS on in the VPC.
func NewPrometheus(scope constructs.Construct, id string, cfg PrometheusConfig) *Prometheus {
	scope = constructs.NewConstruct(scope, jsii.String(id))
	p := &Prometheus{}
	p.Workspace = prometheusworkspace.NewPrometheusWorkspace(scope, jsii.String("workspace"), &prometheusworkspace.PrometheusWorkspaceConfig{
		Alias: jsii.String(cfg.ClusterName),
	})
	p.Scraper = prometheusscraper.NewPrometheusScraper(scope, jsii.String("scraper"), &prometheusscraper.PrometheusScraperConfig{
		Alias: jsii.String(cfg.ClusterName),
		Source: []*prometheusscraper.PrometheusScraperSource{{
			Eks: []*prometheusscraper.PrometheusScraperSourceEks{{
				ClusterArn:       cfg.ClusterArn,
				SubnetIds:        &cfg.SubnetIds,
				SecurityGroupIds: &[]*string{cfg.SecurityGroupID},
			}},
		}},
		Destination: []*prometheusscraper.PrometheusScraperDestination{{
			Amp: []*prometheusscraper.PrometheusScraperDestinationAmp{{WorkspaceArn: p.Workspace.Arn()}},
		}},
		ScrapeConfiguration: jsonvalue.String(ScrapeConfiguration(cfg.ClusterArn)),
	})
	return p
}
