package identity

import (
	"strings"
	"testing"
)

func TestRoleNamePrefixFitsIAM(t *testing.T) {
	cases := map[[2]string]string{
		{"eksready-", "ebs-csi"}:                       "eksready-ebs-csi-",
		{strings.Repeat("a", 32) + "-", "ebs-csi"}:     strings.Repeat("a", 29) + "-ebs-csi-",
		{"prod-eu-west-payments-platform-", "cluster"}: "prod-eu-west-payments-platfor-cluster-",
		{"abcdefghijklmnopqrstuvwxyz-abcdef-", "cas"}:  "abcdefghijklmnopqrstuvwxyz-abcdef-cas-",
	}
	for in, want := range cases {
		got := RoleNamePrefix(in[0], in[1])
		if got != want || len(got) > maxNamePrefix {
			t.Errorf("RoleNamePrefix(%q, %q) = %q (%d), want %q", in[0], in[1], got, len(got), want)
		}
	}
}

func TestTrustPolicies(t *testing.T) {
	pod := TrustPolicy(ServiceAccountRoleConfig{Cluster: Cluster{Mode: PodIdentity}, Namespace: "kube-system", ServiceAccount: "x"})
	st := pod["Statement"].([]map[string]any)[0]
	if st["Principal"].(map[string]any)["Service"] != "pods.eks.amazonaws.com" {
		t.Errorf("pod identity trust %v", st)
	}
	arn, host := "arn:aws:iam::1:oidc-provider/x", "oidc.eks.eu-west-1.amazonaws.com/id/X"
	irsa := TrustPolicy(ServiceAccountRoleConfig{Cluster: Cluster{Mode: IRSA, OIDCProviderArn: &arn, OIDCIssuerHost: &host}, Namespace: "kube-system", ServiceAccount: "aws-node"})
	cond := irsa["Statement"].([]map[string]any)[0]["Condition"].(map[string]any)["StringEquals"].(map[string]any)
	if cond[host+":sub"] != "system:serviceaccount:kube-system:aws-node" || cond[host+":aud"] != "sts.amazonaws.com" {
		t.Errorf("IRSA trust conditions %v", cond)
	}
}

func TestValidateRejectsWiringDefects(t *testing.T) {
	err := ServiceAccountRoleConfig{Cluster: Cluster{Mode: IRSA}, Namespace: "ns", ServiceAccount: "sa", RoleName: "r"}.Validate()
	if err == nil || !strings.Contains(err.Error(), "IRSA needs the cluster's OIDC provider") || !strings.Contains(err.Error(), "a role needs a policy") {
		t.Errorf("got %v", err)
	}
}
