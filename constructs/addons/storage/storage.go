// Package storage creates the cluster's default StorageClass (R4): gp3
// volumes from the EBS CSI driver, every one encrypted with the cluster's
// EBS key.
package storage

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"

	"github.com/eksready/eksready/constructs/addons"
	"github.com/eksready/eksready/constructs/addons/resources"
)

// ClassName is the default StorageClass's name.
const ClassName = "gp3-encrypted"

// DefaultClassAnnotation marks the default StorageClass.
const DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class"

// Provisioners of EBS volumes: the EBS CSI driver (the managed add-on on
// managed node groups) and EKS Auto Mode's built-in block storage, which
// takes the same parameters ("You must create a StorageClass referencing
// ebs.csi.eks.amazonaws.com to use the storage capability of EKS Auto
// Mode", EKS user guide, create-storage-class).
const (
	EBSCSIProvisioner   = "ebs.csi.aws.com"
	AutoModeProvisioner = "ebs.csi.eks.amazonaws.com"
)

// StorageClass is a storage.k8s.io/v1 StorageClass.
type StorageClass struct {
	APIVersion           string             `json:"apiVersion"`
	Kind                 string             `json:"kind"`
	Metadata             Metadata           `json:"metadata"`
	Provisioner          string             `json:"provisioner"`
	Parameters           map[string]*string `json:"parameters"`
	ReclaimPolicy        string             `json:"reclaimPolicy"`
	VolumeBindingMode    string             `json:"volumeBindingMode"`
	AllowVolumeExpansion bool               `json:"allowVolumeExpansion"`
}

// Metadata is an object's name and annotations.
type Metadata struct {
	Name        string            `json:"name"`
	Annotations map[string]string `json:"annotations"`
}

// NewStorageClass builds the default class for a provisioner. Parameters
// are the EBS CSI driver's (kubernetes-sigs/aws-ebs-csi-driver
// docs/parameters.md), which Auto Mode's parameter reference repeats
// (type, encrypted, kmsKeyId, csi.storage.k8s.io/fstype).
func NewStorageClass(ebsKeyArn *string, provisioner string) StorageClass {
	s := func(v string) *string { return &v }
	return StorageClass{
		APIVersion:  "storage.k8s.io/v1",
		Kind:        "StorageClass",
		Metadata:    Metadata{Name: ClassName, Annotations: map[string]string{DefaultClassAnnotation: "true"}},
		Provisioner: provisioner,
		Parameters: map[string]*string{
			"type":                      s("gp3"),
			"encrypted":                 s("true"),
			"kmsKeyId":                  ebsKeyArn,
			"csi.storage.k8s.io/fstype": s("ext4"),
		},
		ReclaimPolicy: "Delete",
		// The volume is created in the zone the pod is scheduled to, not a
		// random one the pod then cannot reach.
		VolumeBindingMode:    "WaitForFirstConsumer",
		AllowVolumeExpansion: true,
	}
}

// New installs the StorageClass through the eksready-resources chart.
//
// No other class is left default: EKS stopped annotating its gp2 class as
// default on clusters created at 1.30 or later (every version eksready
// accepts), and the EBS CSI managed add-on's own defaultStorageClass
// option stays off. Plain Helm cannot patch an object it does not own, so
// an older gp2 default is not touched.
func New(scope constructs.Construct, id string, chart *resources.Chart, ebsKeyArn *string, provisioner string) release.Release {
	return addons.NewRelease(scope, id, addons.ReleaseConfig{
		LocalChart:     chart.Path,
		Name:           "storage-classes",
		Namespace:      "kube-system",
		Values:         resources.Values{Objects: []any{NewStorageClass(ebsKeyArn, provisioner)}},
		TimeoutSeconds: 120,
	})
}
