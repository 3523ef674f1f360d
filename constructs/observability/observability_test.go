package observability

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/eksready/eksready/constructs/jsonvalue"
)

// The groups the add-on writes to are exactly Fluent Bit's three and the
// agent's performance group, plus Application Signals' when it is on.
func TestLogGroups(t *testing.T) {
	want := []string{
		"/aws/containerinsights/prod/application",
		"/aws/containerinsights/prod/dataplane",
		"/aws/containerinsights/prod/host",
		"/aws/containerinsights/prod/performance",
	}
	if got := LogGroups("prod", false); !slices.Equal(got, want) {
		t.Errorf("got %v", got)
	}
	if got := LogGroups("prod", true); !slices.Equal(got, append(want, "/aws/application-signals/data")) {
		t.Errorf("with Application Signals: %v", got)
	}
}

// The role holds only the documented policy, and the X-Ray one only for
// Application Signals' traces.
func TestPolicies(t *testing.T) {
	if got := Policies("aws-cn", false); !slices.Equal(got, []string{"arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy"}) {
		t.Errorf("got %v", got)
	}
	if got := Policies("aws", true); len(got) != 2 || got[1] != "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess" {
		t.Errorf("with Application Signals: %v", got)
	}
}

// Off, Application Signals is turned off by an agent configuration of
// Container Insights alone; on, the add-on keeps its defaults.
func TestConfigurationValues(t *testing.T) {
	if ConfigurationValues(true) != nil {
		t.Error("with Application Signals the add-on's defaults must stay")
	}
	got := *jsonvalue.String(ConfigurationValues(false))
	if want := `{"agent":{"config":{"logs":{"metrics_collected":{"kubernetes":{"enhanced_container_insights":true}}}}}}`; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

// The scrape configuration respects what a managed collector accepts: an
// interval of at least 30 seconds, no name but kubernetes.default.svc,
// the service account token as its only credential, and it labels the
// cluster.
func TestScrapeConfiguration(t *testing.T) {
	var doc struct {
		Global struct {
			ScrapeInterval string            `json:"scrape_interval"`
			ExternalLabels map[string]string `json:"external_labels"`
		} `json:"global"`
		ScrapeConfigs []struct {
			JobName       string            `json:"job_name"`
			Authorization map[string]string `json:"authorization"`
		} `json:"scrape_configs"`
	}
	if err := json.Unmarshal([]byte(*jsonvalue.String(ScrapeConfiguration(jsii.String("arn:aws:eks:eu-west-1:111122223333:cluster/prod")))), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Global.ScrapeInterval != "30s" || doc.Global.ExternalLabels["clusterArn"] != "arn:aws:eks:eu-west-1:111122223333:cluster/prod" {
		t.Errorf("global: %+v", doc.Global)
	}
	var jobs []string
	for _, j := range doc.ScrapeConfigs {
		jobs = append(jobs, j.JobName)
		if j.Authorization != nil && (j.Authorization["type"] != "Bearer" || j.Authorization["credentials_file"] != "/var/run/secrets/kubernetes.io/serviceaccount/token") {
			t.Errorf("%s authorization %v", j.JobName, j.Authorization)
		}
	}
	if want := []string{"kubernetes-apiservers", "ksh-metrics", "kcm-metrics", "cadvisor", "annotated-pods"}; !slices.Equal(jobs, want) {
		t.Errorf("jobs %v, want %v", jobs, want)
	}
}
