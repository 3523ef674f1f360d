package addons

import (
	"testing"

	"github.com/eksready/eksready/constructs/identity"
)

func TestServiceAccountAnnotationsOnlyForIRSA(t *testing.T) {
	arn := "arn:aws:iam::111122223333:role/x"
	if got := ServiceAccountAnnotations(identity.IRSA, &arn); *got["eks.amazonaws.com/role-arn"] != arn {
		t.Errorf("IRSA annotations = %v", got)
	}
	if got := ServiceAccountAnnotations(identity.PodIdentity, &arn); len(got) != 0 {
		t.Errorf("Pod Identity needs no annotation, got %v", got)
	}
}

func TestSystemPoolSelector(t *testing.T) {
	if SystemPoolSelector()[PoolLabel] != SystemPool {
		t.Error("controllers must select the system pool")
	}
}
