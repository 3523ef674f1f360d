// Package externaldns installs external-dns for Route 53, allowed to
// change only the hosted zones the configuration names.
package externaldns

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/constructs/addons"
	"github.com/eksready/eksready/constructs/addons/baseline"
	"github.com/eksready/eksready/constructs/identity"
)

// Namespace and ServiceAccount name external-dns's service account.
const (
	Namespace      = "external-dns"
	ServiceAccount = "external-dns"
)

// PodSecurity is the Pod Security Standards level external-dns's pod
// meets: runAsNonRoot, seccompProfile RuntimeDefault, no privilege
// escalation, every capability dropped, read-only root file system, no
// host namespace or hostPath (charts/external-dns/values.yaml and
// templates/deployment.yaml at external-dns-helm-chart-1.21.1).
const PodSecurity = baseline.Restricted

// Policy allows reading and changing records in the configured zones only;
// listing zones cannot be scoped. Source: kubernetes-sigs/external-dns
// docs/tutorials/aws.md at v0.21.0 (the pinned app version), whose policy
// gives route53:ListTagsForResources (the batch call provider/aws/aws.go
// makes), not the singular ListTagsForResource, on the zones.
func Policy(partition string, zoneIDs []string) map[string]any {
	zones := make([]string, len(zoneIDs))
	for i, id := range zoneIDs {
		zones[i] = "arn:" + partition + ":route53:::hostedzone/" + id
	}
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "ChangeConfiguredZones", "Effect": "Allow", "Action": []string{"route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResources"}, "Resource": zones},
			{"Sid": "ListZones", "Effect": "Allow", "Action": []string{"route53:ListHostedZones"}, "Resource": "*"},
		},
	}
}

// Values are the chart values eksready sets; keys checked against
// kubernetes-sigs/external-dns charts/external-dns/values.yaml (provider
// became an object in 1.15: provider.name).
type Values struct {
	Provider struct {
		Name string `json:"name"`
	} `json:"provider"`
	DomainFilters []string `json:"domainFilters"`
	// TxtOwnerID marks the records this cluster owns, so two clusters
	// sharing a zone never delete each other's.
	TxtOwnerID string   `json:"txtOwnerId"`
	Policy     string   `json:"policy"`
	Sources    []string `json:"sources"`
	// ExtraArgs restrict it to the configured zones.
	ExtraArgs      []string            `json:"extraArgs"`
	Env            []map[string]string `json:"env"`
	ServiceAccount struct {
		Create      bool               `json:"create"`
		Name        string             `json:"name"`
		Annotations map[string]*string `json:"annotations"`
	} `json:"serviceAccount"`
}

// Config is what the release is built from.
type Config struct {
	// KubernetesVersion picks the chart.
	KubernetesVersion string
	ClusterName       string
	Region            string
	ZoneIDs           []string
	DomainFilters     []string
	Policy            string
	IdentityMode      identity.Mode
	RoleArn           *string
	DependsOn         []cdktf.ITerraformDependable
}

// NewValues builds the chart values.
func NewValues(cfg Config) Values {
	v := Values{DomainFilters: append([]string{}, cfg.DomainFilters...), TxtOwnerID: cfg.ClusterName, Policy: cfg.Policy, Sources: []string{"service", "ingress"}}
	v.Provider.Name = "aws"
	for _, z := range cfg.ZoneIDs {
		v.ExtraArgs = append(v.ExtraArgs, "--zone-id-filter="+z)
	}
	// The AWS SDK needs a region even for Route 53.
	v.Env = []map[string]string{{"name": "AWS_DEFAULT_REGION", "value": cfg.Region}}
	v.ServiceAccount.Create = true
	v.ServiceAccount.Name = ServiceAccount
	v.ServiceAccount.Annotations = addons.ServiceAccountAnnotations(cfg.IdentityMode, cfg.RoleArn)
	return v
}

// New installs external-dns.
func New(scope constructs.Construct, id string, cfg Config) release.Release {
	return addons.NewRelease(scope, id, addons.ReleaseConfig{
		Chart:          addons.Pin(catalog.ExternalDNS, cfg.KubernetesVersion),
		Name:           "external-dns",
		Namespace:      Namespace,
		Values:         NewValues(cfg),
		TimeoutSeconds: 300,
		DependsOn:      cfg.DependsOn,
	})
}
