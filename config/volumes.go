package config

// VolumeEncryption configures the customer-managed KMS key that encrypts
// every EBS volume of the cluster: node root and data volumes, and the
// persistent volumes of the default StorageClass.
type VolumeEncryption struct {
	// CreateAutoscalingServiceLinkedRole creates AWSServiceRoleForAutoScaling.
	// The key policy names that role, and KMS rejects a policy naming a role
	// that does not exist; AWS creates it with an account's first Auto
	// Scaling group, so only a brand-new account needs this. Creating it
	// where it exists fails. Default: false.
	CreateAutoscalingServiceLinkedRole bool `yaml:"createAutoscalingServiceLinkedRole"`
}
