package storage

import "testing"

func TestStorageClassParameters(t *testing.T) {
	key := "arn:aws:kms:eu-west-1:111122223333:key/x"
	for _, provisioner := range []string{EBSCSIProvisioner, AutoModeProvisioner} {
		sc := NewStorageClass(&key, provisioner)
		if *sc.Parameters["kmsKeyId"] != key || *sc.Parameters["encrypted"] != "true" || *sc.Parameters["type"] != "gp3" {
			t.Errorf("parameters = %v", sc.Parameters)
		}
		if sc.Provisioner != provisioner || sc.VolumeBindingMode != "WaitForFirstConsumer" || !sc.AllowVolumeExpansion || sc.Metadata.Annotations[DefaultClassAnnotation] != "true" {
			t.Errorf("class = %+v", sc)
		}
	}
}
