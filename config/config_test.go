package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/eksready/eksready/catalog"
	"gopkg.in/yaml.v3"
)

func TestDefaultIsValid(t *testing.T) {
	if err := Validate(Default()); err != nil {
		t.Fatalf("the built-in configuration must be valid:\n%v", err)
	}
}

func TestDefaults(t *testing.T) {
	c := Default()
	checks := []struct {
		field string
		got   any
		want  any
	}{
		{"name", c.Name, "eksready"},
		{"kubernetesVersion", c.KubernetesVersion, catalog.DefaultKubernetes},
		{"network.availabilityZoneCount", c.Network.AvailabilityZoneCount, 3},
		{"controlPlane.logging.types", strings.Join(c.ControlPlane.Logging.Types, ","), "api,audit,authenticator,controllerManager,scheduler"},
		{"controlPlane.upgradePolicy", c.ControlPlane.UpgradePolicy, "STANDARD"},
		{"workloadIdentity", c.WorkloadIdentity, "pod-identity"},
		{"nodes.system.minSize", c.Nodes[SystemPool].MinSize, 1},
		{"nodes.system.desiredSize", *c.Nodes[SystemPool].DesiredSize, 1},
		{"software.metricsServer", c.Software.MetricsServer.On(), true},
		{"managedAddons.nodeMonitoringAgent", c.ManagedAddons.NodeMonitoringAgent.On(), true},
		{"nodes.system.update.forceUpdateVersion", c.Nodes[SystemPool].Update.ForceUpdateVersion, false},
		{"backend.type", c.Backend.Type, "local"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s defaults to %v, want %v", ch.field, ch.got, ch.want)
		}
	}
}

func TestLoadLaysYAMLOverDefaults(t *testing.T) {
	c, err := Load(strings.NewReader(`
name: prod
nodes:
  system:
    maxSize: 6
  batch:
    instanceTypes: [c6i.xlarge, c6a.xlarge]
    capacityType: SPOT
    minSize: 0
    maxSize: 10
`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "prod" || c.Region != "eu-west-1" {
		t.Errorf("name/region = %s/%s, want prod/eu-west-1", c.Name, c.Region)
	}
	sys := c.Nodes[SystemPool]
	if sys.MaxSize != 6 || sys.MinSize != 1 || sys.InstanceTypes[0] != "m6i.large" {
		t.Errorf("system pool did not keep its defaults under the override: %+v", sys)
	}
	batch := c.Nodes["batch"]
	if batch.CapacityType != "SPOT" || batch.MinSize != 0 || *batch.DesiredSize != 0 {
		t.Errorf("batch pool = %+v", batch)
	}
	if !c.Software.MetricsServer.On() {
		t.Error("an untouched toggle lost its default")
	}
}

func TestLoadEmptyFileIsRefused(t *testing.T) {
	// Only the absence of any configuration means the built-in default.
	for _, text := range []string{"", "# nothing\n", "---\n", "# a\n---\n# b\n", "~\n", "null\n", "\n\n   \n"} {
		_, err := Load(strings.NewReader(text))
		expectRefused(t, fmt.Sprintf("%q", text), err, "invalid cluster configuration (1 problem):\n  - (file): is empty (no settings, only comments or document markers); write the configuration, or remove the file to use the built-in default")
	}
}

// problemsOf loads YAML and returns the problem messages, failing the test
// when loading succeeds.
func problemsOf(t *testing.T, yamlText string) []string {
	t.Helper()
	_, err := Load(strings.NewReader(yamlText))
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want Problems, got %v", err)
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func TestStrictKeysReportEveryPathAtOnce(t *testing.T) {
	got := problemsOf(t, `
nmae: x
controlPlane:
  endpoint:
    publicAcess: true
nodes:
  system:
    maxSise: 3
    minSize: many
`)
	want := []string{
		`nmae: unknown key (line 2); did you mean "name"?`,
		`controlPlane.endpoint.publicAcess: unknown key (line 5); did you mean "publicAccess"?`,
		`nodes.system.maxSise: unknown key (line 8); did you mean "maxSize"?`,
		`nodes.system.minSize: "many" is not a valid whole number (line 9)`,
	}
	assertSameProblems(t, got, want)
}

func TestWrongShapes(t *testing.T) {
	got := problemsOf(t, `
tags: [a, b]
nodes:
  system:
    instanceTypes: m6i.large
controlPlane:
  zonalShift: maybe
`)
	want := []string{
		`tags: "" must be a mapping (line 2)`,
		`nodes.system.instanceTypes: "m6i.large" must be a list (line 5)`,
		`controlPlane.zonalShift: "maybe" is not a valid boolean (true or false) (line 7)`,
	}
	assertSameProblems(t, got, want)
}

func TestInvalidYAML(t *testing.T) {
	got := problemsOf(t, "name: [unclosed\n")
	if len(got) != 1 || !strings.HasPrefix(got[0], "(file): is not valid YAML") {
		t.Errorf("got %q", got)
	}
}

func TestValidationRules(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want []string
	}{
		{"max below min", "nodes: {system: {minSize: 2, maxSize: 0}}", []string{
			"nodes.system.maxSize: 0 must be at least 1 (EKS managed node groups need a maximum of one or more)",
			"nodes.system.maxSize: 0 is below minSize 2",
			"nodes.system.desiredSize: 2 must be between minSize 2 and maxSize 0",
		}},
		{"desired out of range", "nodes: {system: {minSize: 1, maxSize: 3, desiredSize: 5}}", []string{
			"nodes.system.desiredSize: 5 must be between minSize 1 and maxSize 3",
		}},
		{"bad pool name and instance types", "nodes: {'bad name!': {instanceTypes: [m6i.large, m6i.large, m9z.huge]}}", []string{
			`nodes.bad name!: "bad name!" is not a valid pool name: it names EKS node groups and a Kubernetes label value (letters, digits, '-' and '_', starting and ending with a letter or digit, at most 40 characters here)`,
			`nodes.bad name!.instanceTypes[1]: "m6i.large" is listed twice`,
			`nodes.bad name!.instanceTypes[2]: "m9z.huge" is not an EC2 instance type`,
		}},
		{"empty instance types and capacity", "nodes: {system: {instanceTypes: [], capacityType: RESERVED}}", []string{
			`nodes.system.instanceTypes: [] must list at least one instance type`,
			`nodes.system.capacityType: "RESERVED" must be ON_DEMAND, SPOT or CAPACITY_BLOCK`,
		}},
		{"cluster identity", "name: Prod_Cluster\nregion: europe\nkubernetesVersion: latest\nworkloadIdentity: kiam", []string{
			`name: "Prod_Cluster" must be lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen`,
			`region: "europe" is not an AWS region name (like eu-west-1)`,
			`kubernetesVersion: "latest" is not supported: eksready's version catalog (reviewed ` + catalog.Reviewed + `) knows no EKS release of it (supported: ` + strings.Join(catalog.SupportedKubernetes(), ", ") + `)`,
			`workloadIdentity: "kiam" must be pod-identity or irsa`,
		}},
		{"long name", "name: " + strings.Repeat("a", 33), []string{
			`name: "` + strings.Repeat("a", 33) + `" is 33 characters long; at most 32 are allowed`,
		}},
		{"tags", "tags: {managed-by: me, 'aws:x': y}", []string{
			`tags.aws:x: tag keys starting with "aws:" are reserved by AWS`,
			`tags.managed-by: "me" overrides a tag eksready sets on every resource (eksready:cluster, managed-by)`,
		}},
		{"vpc cidr host bits", "network: {vpcCidr: 10.0.0.1/16, availabilityZoneCount: 1}", []string{
			`network.vpcCidr: "10.0.0.1/16" has host bits set; the network address is 10.0.0.0/16`,
			`network.availabilityZoneCount: 1 must be between 2 and 6 (EKS needs subnets in at least two zones)`,
		}},
		{"vpc cidr size", "network: {vpcCidr: 10.0.0.0/26}", []string{
			`network.vpcCidr: "10.0.0.0/26" must be between /16 and /24 (AWS allows /16 to /28; below /24 leaves no room for a cluster)`,
		}},
		{"public endpoint without allow-list", "controlPlane: {endpoint: {publicAccess: true, publicAccessCidrs: []}}", []string{
			`controlPlane.endpoint.publicAccessCidrs: [] must list at least one CIDR when publicAccess is true (or set publicAccess: false)`,
		}},
		{"control plane values", "controlPlane: {endpoint: {publicAccessCidrs: [1.2.3.4/8]}, logging: {types: [api, api, kubelet], retentionDays: 45}, upgradePolicy: LTS, keyDeletionWindowDays: 3}", []string{
			`controlPlane.endpoint.publicAccessCidrs[0]: "1.2.3.4/8" is not an IPv4 CIDR block with its host bits clear`,
			`controlPlane.logging.types[1]: "api" is listed twice`,
			`controlPlane.logging.types[2]: "kubelet" is not a control-plane log type (known: api, audit, authenticator, controllerManager, scheduler)`,
			`controlPlane.logging.retentionDays: 45 is not a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)`,
			`controlPlane.upgradePolicy: "LTS" must be STANDARD or EXTENDED`,
			`controlPlane.keyDeletionWindowDays: 3 must be between 7 and 30 (the range KMS allows)`,
		}},
		{"access entries", `
access:
  deployerRoleArn: arn:aws:iam::123456789012:user/ci
  entries:
    - {principalArn: "arn:aws:iam::12345:role/admins", policy: cluster-admin}
    - {principalArn: "arn:aws:iam::123456789012:role/devs", policy: owner, namespaces: [Team_A]}
    - {principalArn: "arn:aws:iam::123456789012:role/devs", policy: cluster-admin, namespaces: [team-a]}
`, []string{
			`access.deployerRoleArn: "arn:aws:iam::123456789012:user/ci" is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)`,
			`access.entries[0].principalArn: "arn:aws:iam::12345:role/admins" is not an IAM role or user ARN (arn:aws:iam::<12-digit account>:role/<name> or :user/<name>)`,
			`access.entries[1].policy: "owner" is not an access policy (known: admin, cluster-admin, edit, view); a STANDARD entry needs a policy, kubernetesGroups, or both`,
			`access.entries[1].namespaces[0]: "Team_A" is not a valid Kubernetes namespace name`,
			`access.entries[2].principalArn: "arn:aws:iam::123456789012:role/devs" already has an access entry (access.entries[1]); EKS allows one entry per principal`,
			`access.entries[2].namespaces: ["team-a"] cannot be set with policy cluster-admin, which EKS grants cluster-wide only`,
		}},
		{"access entry names", `
access:
  deployerRoleArn: arn:aws:iam::123456789012:role/ci
  entries:
    - {principalArn: "arn:aws:iam::123456789012:role/team/ops", policy: view}
    - {principalArn: "arn:aws:iam::210987654321:role/ops", policy: view}
    - {name: deployer, principalArn: "arn:aws:iam::123456789012:role/release", policy: view}
    - {name: 2nd-team, principalArn: "arn:aws:iam::123456789012:role/second", policy: view}
    - {principalArn: "arn:aws:iam::123456789012:role/__", policy: view}
    - {name: Ops_Readers, principalArn: "arn:aws:iam::123456789012:user/reader", policy: view}
`, []string{
			`access.entries[1].name: "ops" is already the name of access.entries[0] (derived from principalArn "arn:aws:iam::210987654321:role/ops"; set name to tell them apart); entries are keyed by name`,
			`access.entries[2].name: "deployer" is already the name of the deployer's entry; entries are keyed by name`,
			`access.entries[3].name: "2nd-team" is not an access entry name (lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 characters)`,
			`access.entries[4].name: "" is required here: no name can be derived from principalArn "arn:aws:iam::123456789012:role/__" (set one: lowercase letters, digits and '-', starting with a letter)`,
			`access.entries[5].name: "Ops_Readers" is not an access entry name (lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 characters)`,
		}},
		{"access entry types and groups", `
access:
  entries:
    - {principalArn: "arn:aws:iam::123456789012:role/platform", kubernetesGroups: [platform-admins, "", system:masters, platform-admins]}
    - {principalArn: "arn:aws:iam::123456789012:role/readers", namespaces: [default]}
    - {principalArn: "arn:aws:iam::123456789012:role/self-managed-nodes", type: EC2_LINUX, policy: view, kubernetesGroups: [nodes]}
    - {principalArn: "arn:aws:iam::123456789012:user/fargate", type: FARGATE_LINUX}
    - {principalArn: "arn:aws:iam::123456789012:role/auto", type: EC2}
`, []string{
			`access.entries[0].kubernetesGroups[1]: "" is empty; a Kubernetes group name is what a RoleBinding's subject names`,
			`access.entries[0].kubernetesGroups[2]: "system:masters" is a Kubernetes system group (the system: prefix is reserved for Kubernetes); grant cluster-wide rights with policy instead`,
			`access.entries[0].kubernetesGroups[3]: "platform-admins" is listed twice`,
			`access.entries[1].policy: "" is not an access policy (known: admin, cluster-admin, edit, view); a STANDARD entry needs a policy, kubernetesGroups, or both`,
			`access.entries[1].namespaces: ["default"] only scope a policy, and the entry has none`,
			`access.entries[2].policy: "view" cannot be set with type EC2_LINUX: EKS grants node permissions itself`,
			`access.entries[2].kubernetesGroups: ["nodes"] cannot be set with type EC2_LINUX: EKS grants node permissions itself`,
			`access.entries[3].principalArn: "arn:aws:iam::123456789012:user/fargate" is an IAM user; an access entry of type FARGATE_LINUX takes an IAM role of nodes`,
			`access.entries[4].type: "EC2" is not an access entry type eksready creates (STANDARD, EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX, HYBRID_LINUX)`,
		}},
		{"managed add-on versions", "managedAddons: {versions: {coredns: latest, istio: v1.0.0-eksbuild.1}}", []string{
			`managedAddons.versions.coredns: "latest" is not an EKS add-on version (like v1.19.5-eksbuild.1)`,
			`managedAddons.versions.istio: is not a managed add-on eksready installs (known: vpc-cni, eks-pod-identity-agent, kube-proxy, coredns, aws-ebs-csi-driver, snapshot-controller, eks-node-monitoring-agent, amazon-cloudwatch-observability, aws-guardduty-agent, aws-secrets-store-csi-driver-provider)`,
		}},
		{"additional managed add-ons", "managedAddons: {additional: [{name: coredns}, {name: Bad_Name}, {name: metrics-server, version: '1.0'}, {name: metrics-server}]}", []string{
			`managedAddons.additional[0].name: "coredns" is installed by eksready already; pin its version under managedAddons.versions instead`,
			`managedAddons.additional[1].name: "Bad_Name" is not an EKS add-on name (lowercase letters, digits and hyphens)`,
			`managedAddons.additional[2].version: "1.0" is not an EKS add-on version (like v1.19.5-eksbuild.1)`,
			`managedAddons.additional[3].name: "metrics-server" is listed twice`,
		}},
		{"backend", "backend: {type: consul}", []string{
			`backend.type: "consul" is not supported (supported: local, s3, cloud)`,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assertSameProblems(t, problemsOf(t, tc.yaml), tc.want)
		})
	}
}

func TestProblemsErrorListsAllSortedByPath(t *testing.T) {
	err := Problems{
		{Path: "nodes.system.maxSize", Value: 0, Rule: "is below minSize 2"},
		{Path: "name", Rule: "is required"},
	}.Error()
	want := "invalid cluster configuration (2 problems):\n  - name: is required\n  - nodes.system.maxSize: 0 is below minSize 2"
	if err != want {
		t.Errorf("got\n%s\nwant\n%s", err, want)
	}
}

func TestWarnings(t *testing.T) {
	// The open endpoint and extended support are the readiness report's
	// (BP-PUBLIC-ENDPOINT, BP-UPGRADE-POLICY), printed once, there.
	c := Default()
	c.ControlPlane.UpgradePolicy = "EXTENDED"
	if got := Warnings(c); len(got) != 0 {
		t.Errorf("warnings = %v, want none: the readiness report has these", got)
	}
	c.KubernetesVersion = catalog.SupportedKubernetes()[0] // past standard support on the review date
	if got := Warnings(c); len(got) != 1 || got[0].Path != "kubernetesVersion" {
		t.Errorf("a version past standard support does not warn: %v", got)
	}
}

// TestExampleConfigurationIsValidAndComplete keeps the documented example
// honest: it must load, and it must mention every key of the model.
func TestExampleConfigurationIsValidAndComplete(t *testing.T) {
	path := filepath.Join("..", "cluster.example.yaml")
	if _, err := LoadFile(path); err != nil {
		t.Fatalf("%s does not load:\n%v", path, err)
	}
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range AllKeys() {
		leaf := key[strings.LastIndex(key, ".")+1:]
		if !strings.Contains(string(text), leaf+":") {
			t.Errorf("%s does not document %s", path, key)
		}
	}
}

func assertSameProblems(t *testing.T, got, want []string) {
	t.Helper()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("problems differ\n got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestShapeAndValueProblemsTogether(t *testing.T) {
	got := problemsOf(t, "nmae: x\nregion: mars\nnodes: {system: {minSize: lots, maxSize: 0}}\n")
	want := []string{
		`nmae: unknown key (line 1); did you mean "name"?`,
		`region: "mars" is not an AWS region name (like eu-west-1)`,
		`nodes.system.minSize: "lots" is not a valid whole number (line 3)`,
		// minSize could not be read, so only rules on other fields speak.
		`nodes.system.maxSize: 0 must be at least 1 (EKS managed node groups need a maximum of one or more)`,
		`nodes.system.maxSize: 0 is below minSize 1`,
		`nodes.system.desiredSize: 1 must be between minSize 1 and maxSize 0`,
	}
	assertSameProblems(t, got, want)
}

func TestDefaultVersionIsTheCatalogs(t *testing.T) {
	if c := Default(); c.KubernetesVersion != catalog.DefaultKubernetes {
		t.Errorf("default version %s, want the catalog's %s", c.KubernetesVersion, catalog.DefaultKubernetes)
	}
}

// A version in extended support synthesizes, with a warning; the catalog's
// tests pin which versions these are on its review date (1.33 here).
func TestExtendedSupportVersionWarns(t *testing.T) {
	var extended []catalog.KubernetesRelease
	for _, r := range catalog.KubernetesReleases {
		if r.Supported() && !r.InStandardSupport() {
			extended = append(extended, r)
		}
	}
	if len(extended) == 0 {
		t.Fatal("the catalog has no version in extended support to test with")
	}
	for _, r := range extended {
		c := Default()
		c.KubernetesVersion = r.Version
		c.ControlPlane.Endpoint.PublicAccessCidrs = []string{"198.51.100.0/24"}
		if err := Validate(c); err != nil {
			t.Errorf("%s: %v", r.Version, err)
		}
		got := Warnings(c)
		want := `kubernetesVersion: "` + r.Version + `" left standard support on ` + r.EndOfStandardSupport + `: EKS will upgrade the cluster soon after it is created (upgrade policy STANDARD)`
		if len(got) != 1 || got[0].String() != want {
			t.Errorf("warnings for %s = %v, want %s", r.Version, got, want)
		}
	}
}

// retiredAndUnknown are the newest version past extended support (1.31 on
// the 2026-11-30 review) and the minor after the newest the catalog knows
// (1.37); catalog's own tests pin both.
func retiredAndUnknown(t *testing.T) (catalog.KubernetesRelease, string) {
	t.Helper()
	var retired catalog.KubernetesRelease
	for _, r := range catalog.KubernetesReleases {
		if !r.Supported() {
			retired = r
		}
	}
	newest := catalog.KubernetesReleases[len(catalog.KubernetesReleases)-1].Version
	major, minor, _ := strings.Cut(newest, ".")
	n, err := strconv.Atoi(minor)
	if retired.Version == "" || err != nil {
		t.Fatalf("catalog has no retired version or %q is not a minor", newest)
	}
	return retired, major + "." + strconv.Itoa(n+1)
}

func TestRetiredAndUnknownVersionsAreRefused(t *testing.T) {
	retired, unknown := retiredAndUnknown(t)
	supported := strings.Join(catalog.SupportedKubernetes(), ", ")
	assertSameProblems(t, problemsOf(t, "kubernetesVersion: '"+retired.Version+"'"), []string{
		`kubernetesVersion: "` + retired.Version + `" is not supported: it left EKS extended support on ` + retired.EndOfExtendedSupport + ` and EKS creates no cluster on it (supported: ` + supported + `)`,
	})
	assertSameProblems(t, problemsOf(t, "kubernetesVersion: '"+unknown+"'"), []string{
		`kubernetesVersion: "` + unknown + `" is not supported: eksready's version catalog (reviewed ` + catalog.Reviewed + `) knows no EKS release of it (supported: ` + supported + `)`,
	})
}

func TestReadinessWaivers(t *testing.T) {
	got := problemsOf(t, "readiness: {waive: [{rule: BP-PUBLIC-ENDPOINT}, {rule: bogus, reason: because we must}, {rule: BP-PUBLIC-ENDPOINT, reason: tracked in PLAT-1}], minCapacityHeadroomPercent: 95}")
	want := []string{
		`readiness.waive[0].reason: "" must say why the finding is acceptable (at least 10 characters): a waiver without a reason is not reviewable`,
		`readiness.waive[1].rule: "bogus" is not a readiness rule ID (like R4-SECRETS-ENCRYPTION or BP-PUBLIC-ENDPOINT)`,
		`readiness.waive[2].rule: "BP-PUBLIC-ENDPOINT" is waived twice`,
		`readiness.minCapacityHeadroomPercent: 95 must be between 0 and 90`,
	}
	assertSameProblems(t, got, want)
}

// The node monitoring agent can be turned off and pinned like the other
// managed add-ons eksready installs, but not listed again as an extra one;
// forceUpdateVersion is per pool and keeps the pool's other update defaults.
func TestNodeHealthKeys(t *testing.T) {
	c := mustLoad(t, "managedAddons: {nodeMonitoringAgent: {enabled: false}, versions: {eks-node-monitoring-agent: v1.4.0-eksbuild.1}}\nnodes: {system: {update: {forceUpdateVersion: true}}}")
	if c.ManagedAddons.NodeMonitoringAgent.On() || c.ManagedAddons.Versions[NodeMonitoringAgentAddon] != "v1.4.0-eksbuild.1" {
		t.Errorf("managedAddons = %+v", c.ManagedAddons)
	}
	if u := c.Nodes[SystemPool].Update; !u.ForceUpdateVersion || u.MaxUnavailablePercent != 33 {
		t.Errorf("update = %+v", u)
	}
	assertSameProblems(t, problemsOf(t, "managedAddons: {additional: [{name: eks-node-monitoring-agent}]}"), []string{
		`managedAddons.additional[0].name: "eks-node-monitoring-agent" is installed by eksready already; pin its version under managedAddons.versions instead`,
	})
}

// A newcomer copies cluster.example.yaml to cluster.yaml: that must change
// nothing. Every value it states is the default, and examples of other
// values are commented out. Compared as YAML, where an empty list or map
// and an absent one mean the same.
func TestExampleConfigurationIsTheDefault(t *testing.T) {
	loaded, err := LoadFile(filepath.Join("..", "cluster.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := yaml.Marshal(loaded)
	if err != nil {
		t.Fatal(err)
	}
	want, err := yaml.Marshal(Default())
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("cluster.example.yaml differs from the default at line %d of its YAML form:\n got: %s\nwant: %s", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("cluster.example.yaml differs from the default in length")
	}
}
