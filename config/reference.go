package config

import (
	"reflect"

	"github.com/eksready/eksready/catalog"
	"github.com/eksready/eksready/config/ipcapacity"
)

// This file is what the generated configuration reference and JSON Schema
// (tools/docgen) read besides the types and their doc comments: the
// defaults before and after the ones that depend on other fields, and the
// fixed value sets validation checks against. Nothing here is used to load
// a configuration.

// StaticDefault is what every cluster.yaml is laid over: Default() before
// the defaults that depend on other settings. The reference shows a setting
// whose value differs between the two as derived from other settings.
func StaticDefault() Cluster { return base() }

// ElementDefault is what a new map value or list item of type t starts
// from before its YAML is laid over it (DefaultNodePool() for a node pool,
// the zero value for a type without element defaults).
func ElementDefault(t reflect.Type) reflect.Value { return newElement(t) }

// AllowedValues maps every setting that takes one of a fixed set of values,
// by its path as AllKeys writes it, to that set: the very lists validation
// checks against, so the JSON Schema's enums and the loader cannot
// disagree (a test sets every value, and one outside, through the loader).
// A new setting with a fixed set of values: declare the list, validate
// against it, and add it here.
func AllowedValues() map[string][]any {
	return map[string][]any{
		"region":                                              values(Regions()),
		"kubernetesVersion":                                   values(catalog.SupportedKubernetes()),
		"workloadIdentity":                                    values(WorkloadIdentities),
		"network.natGateways":                                 values(NatGatewayLayouts),
		"network.flowLogs.destination":                        values(FlowLogDestinations),
		"network.flowLogs.retentionDays":                      values(LogRetentionDays),
		"network.flowLogs.trafficType":                        values(FlowLogTrafficTypes),
		"network.flowLogs.maxAggregationInterval":             values(FlowLogAggregationIntervals),
		"network.podNetworking.mode":                          values(PodNetworkingModes),
		"controlPlane.logging.types[]":                        values(ControlPlaneLogTypes),
		"controlPlane.logging.retentionDays":                  values(LogRetentionDays),
		"controlPlane.upgradePolicy":                          values(UpgradePolicies),
		"access.entries[].policy":                             values(sortedKeys(AccessPolicies)),
		"access.entries[].type":                               values(AccessEntryTypes),
		"compute.mode":                                        values(ComputeModes),
		"compute.autoMode.builtInNodePools[]":                 values(BuiltInNodePools),
		"compute.autoMode.nodePools.<name>.architectures[]":   values(NodePoolArchitectures),
		"compute.autoMode.nodePools.<name>.capacityTypes[]":   values(NodePoolCapacityTypes),
		"compute.autoMode.nodePools.<name>.instanceSizes[]":   values(ipcapacity.InstanceSizes()),
		"compute.autoMode.ingressScheme":                      values(IngressSchemes),
		"nodes.<name>.capacityType":                           values(NodeCapacityTypes),
		"nodes.<name>.taints[].effect":                        values(TaintEffects),
		"nodes.<name>.os":                                     values(NodeOSes),
		"nodes.<name>.volumes.root.type":                      values(VolumeTypes),
		"nodes.<name>.volumes.data.type":                      values(VolumeTypes),
		"inspector.resourceTypes[]":                           values(InspectorResourceTypes),
		"software.kubernetesAuth":                             values(KubernetesAuthModes),
		"software.autoscaling":                                values(AutoscalingChoices),
		"software.clusterAutoscaler.expander":                 values(Expanders),
		"software.karpenter.nodePools.<name>.architectures[]": values(NodePoolArchitectures),
		"software.karpenter.nodePools.<name>.capacityTypes[]": values(NodePoolCapacityTypes),
		"software.karpenter.nodePools.<name>.instanceSizes[]": values(ipcapacity.InstanceSizes()),
		"software.externalDns.policy":                         values(ExternalDNSPolicies),
		"readiness.waive[].rule":                              values(ReadinessRuleIDs),
		"backend.type":                                        values(BackendTypes),
		"backend.s3.region":                                   values(Regions()),
	}
}

// AllowedKeys maps every map-valued setting whose keys come from a fixed
// set, by its AllKeys path, to that set.
func AllowedKeys() map[string][]string {
	return map[string][]string{
		"managedAddons.versions": ManagedAddonNames,
	}
}

// FleetAllowedValues is AllowedValues for the settings of _fleet.yaml
// other than its defaults (which are cluster settings), by their paths in
// FleetSettings.
func FleetAllowedValues() map[string][]any {
	return map[string][]any{
		"allowedRegions[]": values(Regions()),
	}
}

func values[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
