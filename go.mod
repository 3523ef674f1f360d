module github.com/eksready/eksready

go 1.26

require (
	github.com/aws/aws-sdk-go-v2/service/ec2 v1.344.3
	github.com/aws/aws-sdk-go-v2/service/eks v1.105.6
	github.com/aws/aws-sdk-go-v2/service/guardduty v1.102.0
	github.com/aws/constructs-go/constructs/v10 v10.4.2
	github.com/aws/jsii-runtime-go v1.112.0
	github.com/cdktf/cdktf-provider-aws-go/aws/v19 v19.65.1
	github.com/cdktf/cdktf-provider-helm-go/helm/v10 v10.0.0
	github.com/cdktf/cdktf-provider-tfe-go/tfe/v11 v11.0.0
	github.com/hashicorp/terraform-cdk-go/cdktf v0.20.12
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/Masterminds/semver/v3 v3.3.1 // indirect
	github.com/aws/smithy-go v1.28.9 // indirect
	github.com/fatih/color v1.18.0 // indirect
	github.com/mattn/go-colorable v0.1.13 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	github.com/yuin/goldmark v1.4.13 // indirect
	golang.org/x/lint v0.0.0-20210508222113-6edffad5e616 // indirect
	golang.org/x/mod v0.24.0 // indirect
	golang.org/x/sync v0.14.0 // indirect
	golang.org/x/sys v0.33.0 // indirect
	golang.org/x/text v0.14.0 // indirect
	golang.org/x/tools v0.33.0 // indirect
)

// The Helm and tfe providers' Go bindings are not on the module proxy:
// `make setup` generates them from the npm packages @cdktf/provider-helm and
// @cdktf/provider-tfe with jsii-pacmak.
replace github.com/cdktf/cdktf-provider-helm-go/helm/v10 => ./.gen/helm-bindings/go/helm

replace github.com/cdktf/cdktf-provider-tfe-go/tfe/v11 => ./.gen/tfe-bindings/go/tfe
