// Package guardduty wires GuardDuty Runtime Monitoring for one cluster
// without taking over what GuardDuty or a security team owns: the agent is
// an EKS managed add-on (see stacks), the guardduty-data endpoint is one
// of the network's interface endpoints with the policy GuardDuty gives,
// and the account's detector feature is managed only when asked.
//
// Sources: GuardDuty user guide, how-runtime-monitoring-works-eks,
// gdu-runtime-approaches-agent-deployment-eks-clusters,
// managing-gdu-agent-eks-automatically (the GuardDutyManaged exclusion
// tag), eksrunmon-prereq-deploy-security-agent (the endpoint and its
// policy) and runtime-monitoring-agent-resource-clean-up.
package guardduty

import (
	gdtypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsguarddutydetector"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/guarddutydetectorfeature"
)

// Namespace is where the agent add-on runs its DaemonSet.
const Namespace = "amazon-guardduty"

// EndpointPolicy admits every call through the guardduty-data endpoint
// from principals of the VPC's own account and denies the rest: the
// policy of the GuardDuty user guide's endpoint prerequisite. accountID
// is a plan-time token.
func EndpointPolicy(accountID *string) map[string]any {
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Action": "*", "Resource": "*", "Effect": "Allow", "Principal": "*"},
			{
				"Condition": map[string]any{"StringNotEquals": map[string]any{"aws:PrincipalAccount": accountID}},
				"Action":    "*", "Resource": "*", "Effect": "Deny", "Principal": "*",
			},
		},
	}
}

// AgentManagement are the detector feature's agent-management settings
// eksready writes, each DISABLED: eksready installs the EKS agent itself,
// and GuardDuty would otherwise install a second one (EKS) or deploy
// agents eksready never asked for (ECS on Fargate, EC2). The provider
// reads every additional configuration back, so each is stated (an
// unstated one would show as a change on every plan); the order is the
// API's enumeration order.
func AgentManagement() []gdtypes.FeatureAdditionalConfiguration {
	return []gdtypes.FeatureAdditionalConfiguration{
		gdtypes.FeatureAdditionalConfigurationEksAddonManagement,
		gdtypes.FeatureAdditionalConfigurationEcsFargateAgentManagement,
		gdtypes.FeatureAdditionalConfigurationEc2AgentManagement,
	}
}

// NewDetectorFeature turns Runtime Monitoring on for the account's
// detector in this region (which must exist: the data source fails the
// plan otherwise) with every agent-management setting off. Deleting the
// resource leaves the feature as it is (the provider's delete does
// nothing), so a destroy never switches monitoring off for the account.
func NewDetectorFeature(scope constructs.Construct, id string) guarddutydetectorfeature.GuarddutyDetectorFeature {
	scope = constructs.NewConstruct(scope, jsii.String(id))
	detector := dataawsguarddutydetector.NewDataAwsGuarddutyDetector(scope, jsii.String("detector"), &dataawsguarddutydetector.DataAwsGuarddutyDetectorConfig{})
	var additional []*guarddutydetectorfeature.GuarddutyDetectorFeatureAdditionalConfiguration
	for _, name := range AgentManagement() {
		additional = append(additional, &guarddutydetectorfeature.GuarddutyDetectorFeatureAdditionalConfiguration{
			Name:   jsii.String(string(name)),
			Status: jsii.String(string(gdtypes.FeatureStatusDisabled)),
		})
	}
	return guarddutydetectorfeature.NewGuarddutyDetectorFeature(scope, jsii.String("runtime-monitoring"), &guarddutydetectorfeature.GuarddutyDetectorFeatureConfig{
		DetectorId:              detector.Id(),
		Name:                    jsii.String(string(gdtypes.DetectorFeatureRuntimeMonitoring)),
		Status:                  jsii.String(string(gdtypes.FeatureStatusEnabled)),
		AdditionalConfiguration: additional,
	})
}
