package access

import "testing"

// The addresses cdktf 0.20.12 gave access entries in the infra stack, as
// the golden files of the release before named entries recorded them
// (__tests__/golden/control-plane-irsa-private/infra.json at dced8cb):
// uniqueID must compute them without cdktf, since the moved blocks name
// addresses no construct has any more.
func TestUniqueIDMatchesCdktf(t *testing.T) {
	for _, c := range []struct {
		path []string
		want string
	}{
		{[]string{"access", "deployer"}, "access_deployer_6FD449F3"},
		{[]string{"access", "entry-1"}, "access_entry-1_AD98FE79"},
		{[]string{"access", "entry-1", "policy"}, "access_entry-1_policy_DF0801BC"},
		{[]string{"access", "entry-2"}, "access_entry-2_4A17D3A9"},
		{[]string{"access", "entry-2", "policy"}, "access_entry-2_policy_0B8FE29A"},
		// A single component keeps its name; Default is left out.
		{[]string{"Default", "ebs-key"}, "ebs-key"},
	} {
		if got := uniqueID(c.path); got != c.want {
			t.Errorf("uniqueID(%q) = %s, want %s", c.path, got, c.want)
		}
	}
}

func TestValidateRefusesUnaddressableGrants(t *testing.T) {
	for _, c := range []struct {
		grants []Grant
		want   string
	}{
		{[]Grant{{Name: "1", Type: "STANDARD"}}, `access: grant name "1" cannot key an entry`},
		{[]Grant{{Name: "ops", Type: "STANDARD"}, {Name: "ops", Type: "STANDARD"}}, `access: two grants named "ops"`},
		{[]Grant{{Name: "ops"}}, `access: grant "ops" has no type`},
	} {
		err := AccessConfig{Grants: c.grants}.Validate()
		if err == nil || err.Error() != c.want {
			t.Errorf("Validate(%v) = %v, want %s", c.grants, err, c.want)
		}
	}
	if err := (AccessConfig{Grants: []Grant{{Name: "ops", Type: "STANDARD"}}}).Validate(); err != nil {
		t.Errorf("a valid grant is refused: %v", err)
	}
}
