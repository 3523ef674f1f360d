package stacks

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawseksclusterauth"
	awsprovider "github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	helmprovider "github.com/cdktf/cdktf-provider-helm-go/helm/v10/provider"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/eksready/eksready/config"
)

// Addons is the `addons` stack: software inside the cluster, through Helm.
type Addons struct {
	// Stack is the Terraform stack.
	Stack cdktf.TerraformStack
	// Cni is the Cilium release in podNetworking mode cilium (nil
	// otherwise); every other release depends on it, since no pod gets an
	// address before it runs.
	Cni release.Release
}

// NewAddons builds the `addons` stack. Everything it knows of the cluster
// comes from `infra`'s outputs, so it plans only once `infra` is applied.
func NewAddons(scope constructs.Construct, name string, cfg config.Cluster, infra *Infra) *Addons {
	stack := cdktf.NewTerraformStack(scope, jsii.String(name))
	configureBackend(stack, name, cfg.Backend)
	requireProviders(stack, "aws", "helm")
	// The AWS provider here only reads: it mints the short-lived token the
	// Helm provider authenticates with.
	awsprovider.NewAwsProvider(stack, jsii.String("aws"), &awsprovider.AwsProviderConfig{
		Region: jsii.String(cfg.Region),
	})
	cl := infra.Cluster.Resource
	auth := dataawseksclusterauth.NewDataAwsEksClusterAuth(stack, jsii.String("cluster-auth"), &dataawseksclusterauth.DataAwsEksClusterAuthConfig{
		Name: cl.Name(),
	})
	helmprovider.NewHelmProvider(stack, jsii.String("helm"), &helmprovider.HelmProviderConfig{
		Kubernetes: &helmprovider.HelmProviderKubernetes{
			Host:                 cl.Endpoint(),
			ClusterCaCertificate: cdktf.Fn_Base64decode(cl.CertificateAuthority().Get(jsii.Number(0)).Data()),
			Token:                auth.Token(),
		},
	})
	a := &Addons{Stack: stack, Cni: newCilium(stack, cfg)}
	if cfg.Software.MetricsServer.On() {
		release.NewRelease(stack, jsii.String("metrics-server"), &release.ReleaseConfig{
			Name:       jsii.String("metrics-server"),
			Repository: jsii.String("https://kubernetes-sigs.github.io/metrics-server/"),
			Chart:      jsii.String("metrics-server"),
			Version:    jsii.String("3.12.2"),
			Namespace:  jsii.String("kube-system"),
			Values:     metricsServerValues(cfg),
			DependsOn:  a.AfterCni(),
		})
	}
	return a
}

// AfterCni is the depends_on list that orders a release after the CNI
// release (empty when the VPC CNI managed add-on provides networking).
func (a *Addons) AfterCni() *[]cdktf.ITerraformDependable {
	if a.Cni == nil {
		return nil
	}
	return &[]cdktf.ITerraformDependable{a.Cni}
}

// metricsServerValues moves metrics-server to the host network when the
// API server cannot reach pod addresses: it serves an aggregated API the
// API server must call. Its port leaves 10250 to the kubelet on the host
// (charts/metrics-server values.yaml: hostNetwork.enabled, "required if you
// use alternate overlay networking for pods"; containerPort, which the
// deployment template passes as --secure-port).
func metricsServerValues(cfg config.Cluster) *[]*string {
	if config.APIServerReachesPods(cfg) {
		return nil
	}
	return &[]*string{jsii.String("containerPort: 4443\nhostNetwork:\n  enabled: true\n")}
}
