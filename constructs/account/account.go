// Package account resolves, at plan time, which AWS account, partition and
// region the infra stack deploys into, so that ARNs in policies are never
// hard-coded and the same synthesized stack works in any account.
package account

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawspartition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsregion"
)

// Account holds the plan-time identity of the deployment target.
type Account struct {
	// Caller is the identity running Terraform.
	Caller dataawscalleridentity.DataAwsCallerIdentity
	// AccountId is the 12-digit account ID.
	AccountId *string
	// Partition is "aws", "aws-cn" or "aws-us-gov".
	Partition *string
	// Region is the provider's region name.
	Region *string
	// DnsSuffix is the partition's DNS suffix ("amazonaws.com").
	DnsSuffix *string
}

// NewAccount declares the data sources once per stack.
func NewAccount(scope constructs.Construct, id string) *Account {
	scope = constructs.NewConstruct(scope, jsii.String(id))
	caller := dataawscalleridentity.NewDataAwsCallerIdentity(scope, jsii.String("caller"), &dataawscalleridentity.DataAwsCallerIdentityConfig{})
	partition := dataawspartition.NewDataAwsPartition(scope, jsii.String("partition"), &dataawspartition.DataAwsPartitionConfig{})
	region := dataawsregion.NewDataAwsRegion(scope, jsii.String("region"), &dataawsregion.DataAwsRegionConfig{})
	return &Account{
		Caller:    caller,
		AccountId: caller.AccountId(),
		Partition: partition.Partition(),
		Region:    region.Name(),
		DnsSuffix: partition.DnsSuffix(),
	}
}

// Arn builds an ARN in this partition and account: Arn("iam", "", "root").
func (a *Account) Arn(service, region, resource string) *string {
	return jsii.String(fmt.Sprintf("arn:%s:%s:%s:%s:%s", *a.Partition, service, region, *a.AccountId, resource))
}

// RootArn is the account's root principal, which administers every key
// eksready creates so the account can never lock itself out.
func (a *Account) RootArn() *string { return a.Arn("iam", "", "root") }

// ServicePrincipal is a service's principal in this partition
// ("logs.<region>.amazonaws.com" style names take the DNS suffix).
func (a *Account) ServicePrincipal(service string) *string {
	return jsii.String(fmt.Sprintf("%s.%s", service, *a.DnsSuffix))
}
