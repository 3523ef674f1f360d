package apptest

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eksready/eksready/config"
	"github.com/eksready/eksready/report"
)

// addonsTarget is one synthesized addons stack and the infra stack whose
// state it reads.
type addonsTarget struct {
	Name          string
	Infra, Addons string
	Config        config.Cluster
}

// allAddonsStacks lists every addons stack of every fixture and fleet.
func allAddonsStacks(t *testing.T) []addonsTarget {
	t.Helper()
	var out []addonsTarget
	for _, f := range synthAll(t) {
		out = append(out, addonsTarget{f.Name, f.StackPath("infra"), f.StackPath("addons"), f.Config})
	}
	for _, f := range synthFleets(t) {
		for _, c := range f.Fleet.Clusters {
			out = append(out, addonsTarget{f.Name + "/" + c.Name + "-addons", f.StackPath(c.Name + "-infra"), f.StackPath(c.Name + "-addons"), c})
		}
	}
	return out
}

// TestTerraformValidatesAndPlansAddons runs, for every addons stack of every
// fixture and fleet, the real terraform with the schema provider standing in
// for hashicorp/helm 2.17.0 (its recorded schema) and a mocked AWS
// provider: `terraform test` planning the whole stack with infra's remote
// state overridden by plausible outputs, so the Helm provider block and
// every expression is evaluated. This is what Terraform checks (names,
// types, references, depends_on, the provider block's shape, expressions)
// against the real schema; the Helm provider's own run-time checks (charts,
// values, the cluster) are not covered. It runs in the batch
// (terraform_batch_test.go).
func TestTerraformValidatesAndPlansAddons(t *testing.T) {
	ran, passed := 0, 0
	for _, c := range mockChecks(t) {
		if c.Kind != "addons" {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			ran++
			requireMockCheck(t, c)
			if !t.Failed() {
				passed++
			}
		})
	}
	t.Logf("%d of %d addons stacks validated and planned", passed, ran)
}

// TestTerraformRefusesBrokenAddonsStacks shows the check above catches the
// defects it exists for, on deliberately broken copies of the
// everything-on fixture's addons stack (ten releases ordered by
// depends_on; no AWS provider, whose 600 MB binary would make each
// terraform command seconds slower): each broken copy must fail with
// Terraform's own diagnostic.
func TestTerraformRefusesBrokenAddonsStacks(t *testing.T) {
	env := terraformEnv(t)
	var target addonsTarget
	for _, a := range allAddonsStacks(t) {
		if a.Name == "everything-on" {
			target = a
		}
	}
	if target.Name == "" {
		t.Fatal("no everything-on fixture")
	}
	mocks, err := os.ReadFile(filepath.Join("terraform", "mocks.tftest.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	run := "\nrun \"plan\" {\n  command = plan\n" + string(remoteStateOverrides(t, target)) + "}\n"
	dir := stackCopy(t, target.Addons, map[string][]byte{"addons.tftest.hcl": append(mocks, run...)})
	terraform(t, dir, env, "init")
	original, err := os.ReadFile(filepath.Join(dir, "cdk.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	remoteState := "data.terraform_remote_state.cross-stack-reference-input-infra"
	cases := []struct {
		name    string
		command string
		break_  func(st map[string]any)
		want    []string
	}{
		{
			name:    "depends_on an attribute of infra's remote state",
			command: "validate",
			break_: func(st map[string]any) {
				rel := dig(st, "resource", "helm_release", "metrics-server")
				rel["depends_on"] = []any{remoteState + ".outputs.whatever"}
			},
			want: []string{"Invalid depends_on reference", "References in depends_on must be to a whole object"},
		},
		{
			name:    "misspelt helm_release attribute",
			command: "validate",
			break_: func(st map[string]any) {
				rel := dig(st, "resource", "helm_release", "metrics-server")
				rel["namespce"] = rel["namespace"]
				delete(rel, "namespace")
			},
			want: []string{"Extraneous JSON object property", `No argument or block type is named "namespce"`},
		},
		{
			name:    "values as a string instead of a list",
			command: "validate",
			break_: func(st map[string]any) {
				rel := dig(st, "resource", "helm_release", "metrics-server")
				rel["values"] = rel["values"].([]any)[0]
			},
			want: []string{"Incorrect attribute value type", `helm_release.metrics-server`, "list of string required"},
		},
		{
			name:    "provider block attribute that does not exist",
			command: "validate",
			break_: func(st map[string]any) {
				k8s := st["provider"].(map[string]any)["helm"].([]any)[0].(map[string]any)["kubernetes"].(map[string]any)
				k8s["cluster_ca"] = k8s["cluster_ca_certificate"]
				delete(k8s, "cluster_ca_certificate")
			},
			want: []string{"Extraneous JSON object property", `provider.helm[0].kubernetes`, `No argument or block type is named "cluster_ca"`},
		},
		{
			// Only a plan evaluates the provider block: validate passes.
			name:    "provider block reads an output infra does not have",
			command: "test",
			break_: func(st map[string]any) {
				k8s := st["provider"].(map[string]any)["helm"].([]any)[0].(map[string]any)["kubernetes"].(map[string]any)
				k8s["host"] = "${" + remoteState + ".outputs.no-such-output}"
			},
			want: []string{"Unsupported attribute", `does not have an attribute named "no-such-output"`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var st map[string]any
			if err := json.Unmarshal(original, &st); err != nil {
				t.Fatal(err)
			}
			c.break_(st)
			broken, err := json.MarshalIndent(st, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "cdk.tf.json"), broken, 0o644); err != nil {
				t.Fatal(err)
			}
			out := terraformFails(t, dir, env, c.command)
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("terraform %s output lacks %q:\n%s", c.command, w, out)
				}
			}
		})
	}
}

// dig walks nested JSON objects.
func dig(v map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		v = v[k].(map[string]any)
	}
	return v
}

// outputRef is an infra output's value: `${<type>.<name>.<attribute path>}`.
var outputRef = regexp.MustCompile(`^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)((?:\.|\[).*)?\}$`)

// remoteStateOverrides is an override_data block per terraform_remote_state
// data source in the addons stack, giving it a plausible value for every
// output the infra stack declares.
func remoteStateOverrides(t *testing.T, a addonsTarget) []byte {
	t.Helper()
	infra, err := report.ReadStack(a.Infra)
	if err != nil {
		t.Fatal(err)
	}
	addons, err := report.ReadStack(a.Addons)
	if err != nil {
		t.Fatal(err)
	}
	names := slices.Sorted(maps.Keys(infra.Output))
	var b strings.Builder
	for _, rs := range slices.Sorted(maps.Keys(addons.Data["terraform_remote_state"])) {
		fmt.Fprintf(&b, "\noverride_data {\n  target = data.terraform_remote_state.%s\n  values = {\n    outputs = {\n", rs)
		for _, name := range names {
			v, err := plausibleOutputValue(a.Config, infra.Output[name]["value"])
			if err != nil {
				// Not fatal: terraform still runs and reports what it finds.
				t.Errorf("infra output %s: %v", name, err)
				continue
			}
			fmt.Fprintf(&b, "      %q = %s\n", name, v)
		}
		b.WriteString("    }\n  }\n}\n")
	}
	return []byte(b.String())
}

// plausibleOutputValue is an output's value as an HCL expression: a
// literal as it is, a resource attribute reference as plausibleOutput
// gives it, a list of either as a list.
func plausibleOutputValue(cfg config.Cluster, value any) (string, error) {
	switch v := value.(type) {
	case string:
		if !strings.HasPrefix(v, "${") {
			return fmt.Sprintf("%q", v), nil
		}
		p, err := plausibleOutput(cfg, v)
		return fmt.Sprintf("%q", p), err
	case []any:
		var items []string
		for _, e := range v {
			item, err := plausibleOutputValue(cfg, e)
			if err != nil {
				return "", err
			}
			items = append(items, item)
		}
		return "[" + strings.Join(items, ", ") + "]", nil
	}
	return "", fmt.Errorf("%v is neither a string nor a list", value)
}

// plausibleOutput is a value of the kind a real apply of infra would give
// an output, from the resource type and attribute it reads. An output of a
// new kind is an error until it gets a plausible value here: a random
// string would hide expressions that depend on the value's form.
func plausibleOutput(cfg config.Cluster, value string) (string, error) {
	m := outputRef.FindStringSubmatch(value)
	if m == nil || m[3] == "" {
		return "", fmt.Errorf("%q is not a resource attribute reference", value)
	}
	typ, logical, attr := m[1], m[2], m[3]
	short := cfg.Name + "-" + strings.SplitN(logical, "_", 2)[0]
	const account = "111122223333"
	switch typ + attr {
	case "aws_eks_cluster.endpoint":
		return "https://0123456789ABCDEF0123456789ABCDEF.gr7." + cfg.Region + ".eks.amazonaws.com", nil
	case "aws_eks_cluster.certificate_authority[0].data":
		ca, err := mockCA()
		return base64.StdEncoding.EncodeToString(ca), err
	case "aws_eks_cluster.name":
		return cfg.Name, nil
	case "aws_eks_cluster.arn":
		return "arn:aws:eks:" + cfg.Region + ":" + account + ":cluster/" + cfg.Name, nil
	case "aws_eks_cluster.identity[0].oidc[0].issuer":
		return "https://oidc.eks." + cfg.Region + ".amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF", nil
	case "aws_iam_openid_connect_provider.arn":
		return "arn:aws:iam::" + account + ":oidc-provider/oidc.eks." + cfg.Region + ".amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF", nil
	case "aws_iam_role.arn":
		return "arn:aws:iam::" + account + ":role/" + short, nil
	case "aws_iam_role.name", "aws_sqs_queue.name":
		return short, nil
	case "aws_kms_key.arn":
		return "arn:aws:kms:" + cfg.Region + ":" + account + ":key/1234abcd-12ab-34cd-56ef-1234567890ab", nil
	case "aws_vpc.id":
		return awsID("vpc", logical), nil
	case "aws_subnet.id":
		return awsID("subnet", logical), nil
	case "aws_eks_cluster.vpc_config[0].cluster_security_group_id":
		return awsID("sg", logical), nil
	}
	return "", fmt.Errorf("reads %s%s: give it a plausible value in plausibleOutput", typ, attr)
}

// awsID is an EC2-style ID (vpc-, subnet-, sg- and 17 hex digits),
// distinct per resource so lists of them stay distinct.
func awsID(prefix, logical string) string {
	sum := sha256.Sum256([]byte(logical))
	return prefix + "-" + hex.EncodeToString(sum[:])[:17]
}

// mockCA is a PEM self-signed CA certificate, like the one EKS returns
// (base64-encoded) as certificate_authority.data. Ed25519 signatures are
// deterministic, so it is the same on every run.
func mockCA() ([]byte, error) {
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "kubernetes"},
		NotBefore:             time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(nil, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}
