package apptest

// The emulated AWS the change-safety tests (emulated_test.go) apply to:
// moto's server, started per test on 127.0.0.1 at a free port and stopped
// by its PID, and the copy of a synthesized infra stack pointed at it. Every
// gap between moto 5.2.1 and AWS is handled in the test harness, never in
// the product, each narrowly and with the reason: where moto drops or
// invents a value, emulator/moto_server.py corrects it (its PATCHES, proven
// by TestEmulatorRoundTrips); what moto does not implement at all is left
// out of the copy (emulatorLeftOut). emulatorIgnored and emulatorStripped
// are for gaps that cannot be corrected that way, scoped to one attribute
// each; there are none today.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// emulatorLeftOut are resource and data source types moto 5.2.1 does not
// implement (its EKS backend has clusters and node groups only): they are
// removed from the emulated copy, with every depends_on naming them, and
// listed in the test output.
var emulatorLeftOut = map[string]string{
	"aws_eks_addon":                     "moto implements no EKS add-ons",
	"aws_eks_access_entry":              "moto implements no EKS access entries",
	"aws_eks_access_policy_association": "moto implements no EKS access policy associations",
	"aws_eks_pod_identity_association":  "moto implements no EKS Pod Identity associations",
	"data.aws_eks_addon_version":        "moto implements no DescribeAddonVersions",
	"aws_autoscaling_group_tag":         "moto creates no Auto Scaling group for an EKS node group (it only names one), so there is no group to tag with the scale-from-zero node template",
	"aws_prometheus_scraper":            "moto implements no Amazon Managed Service for Prometheus scrapers (managed collectors)",
}

// emulatorLeftOutWhen leaves out single resources of types moto does
// implement, when they point at something moto never creates.
var emulatorLeftOutWhen = []struct {
	Type, Refers, Why string
}{
	{"aws_ec2_tag", "cluster_security_group_id", "moto creates no EKS cluster security group to tag"},
}

// emulatorIgnored are attributes moto would accept on create but not read
// back as AWS does, so that every plan would show a diff AWS would not: by
// resource type, each an attribute path in Terraform's syntax
// (`update_config[0].max_unavailable`, never a whole block where one
// attribute is the gap), added to that resource's ignore_changes in the
// emulated copy only. Each entry must be shown necessary by
// TestEmulatorRoundTrips (without it, a one-resource apply/plan differs in
// exactly that attribute), and it is never applied to an attribute the
// case under test changes (see emulatorLifecycle). Empty: every such gap
// found so far is corrected in emulator/moto_server.py instead, so the
// destructive-change and upgrade plans see every attribute.
var emulatorIgnored = map[string][]ignoredAttribute{}

// ignoredAttribute is one attribute path and why the harness handles it.
type ignoredAttribute struct{ Name, Why string }

// emulatorStripped are arguments that would have to be removed from the
// emulated copy because moto cannot complete them and the provider would
// wait until its timeout. Empty: moto's IPv6 subnet association, DNS64 and
// the reservation description are corrected in emulator/moto_server.py, so
// the network-ipv6 run is IPv6 end to end.
var emulatorStripped = map[string][]ignoredAttribute{}

// emulatorServices are the AWS provider endpoints pointed at moto: every
// service an infra stack uses, so nothing can reach real AWS.
var emulatorServices = []string{
	"amp", "autoscaling", "ec2", "ecr", "eks", "elb", "elbv2", "events", "guardduty",
	"iam", "inspector2", "kms", "logs", "route53", "s3", "sqs", "ssm", "sts",
}

// emulator is one running moto server.
type emulator struct {
	URL string
	// Patches are the corrections moto_server.py made to moto, as it
	// printed them at start-up.
	Patches []string
	cmd     *exec.Cmd
	// control writes control lines to the server; replies carries its
	// answers (emulator/moto_server.py).
	control io.Writer
	replies chan string
}

// PublishParameter publishes a new version of a public SSM parameter, as
// AWS does with each AMI release: moto refuses client writes under /aws/,
// so it goes through the emulator's backend.
func (e *emulator) PublishParameter(t *testing.T, region, name, value string) {
	t.Helper()
	if _, err := fmt.Fprintf(e.control, "ssm %s %s %s\n", region, name, value); err != nil {
		t.Fatal(err)
	}
	select {
	case reply := <-e.replies:
		if reply != "ok" {
			t.Fatalf("publishing %s: %s", name, reply)
		}
	case <-time.After(time.Minute):
		t.Fatalf("publishing %s: no answer from the emulator", name)
	}
}

// emulatorSeeds is what exists in AWS before eksready runs and the stacks
// read: public SSM parameters, S3 buckets the user owns (flow logs), and
// the account's GuardDuty detector (the regions whose detector feature a
// stack manages).
type emulatorSeeds struct {
	SSM       []ssmSeed    `json:"ssm"`
	Buckets   []bucketSeed `json:"buckets"`
	Detectors []string     `json:"detectors"`
}

// bucketSeed is an S3 bucket a stack writes to but does not create.
type bucketSeed struct {
	Region string `json:"region"`
	Name   string `json:"name"`
}

// ssmSeed is a public SSM parameter the stacks read.
type ssmSeed struct {
	Region string `json:"region"`
	Name   string `json:"name"`
	Value  string `json:"value"`
}

// startEmulator starts moto on 127.0.0.1 at a free port, with the public
// SSM parameters of every given stack seeded, and stops it (by its PID)
// when the test ends.
func startEmulator(t *testing.T, stackPaths ...string) *emulator {
	t.Helper()
	skipWhenShort(t, "runs the emulator")
	if _, err := exec.LookPath("python3"); err != nil {
		t.Fatalf("python3 with moto is required for the emulated tests: %v", err)
	}
	var seeds emulatorSeeds
	for _, p := range stackPaths {
		one := seedsOf(t, p)
		seeds.SSM = append(seeds.SSM, one.SSM...)
		seeds.Buckets = append(seeds.Buckets, one.Buckets...)
		seeds.Detectors = append(seeds.Detectors, one.Detectors...)
	}
	dir := t.TempDir()
	seedFile := filepath.Join(dir, "seeds.json")
	raw, _ := json.Marshal(seeds)
	if err := os.WriteFile(seedFile, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	script, _ := filepath.Abs(filepath.Join("emulator", "moto_server.py"))
	cmd := exec.Command("python3", script, fmt.Sprint(port), seedFile)
	cmd.Env = append(os.Environ(), "MOTO_IAM_LOAD_MANAGED_POLICIES=true")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	control, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	ready := make(chan bool, 1)
	var patches []string
	replies := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			if p, ok := strings.CutPrefix(s.Text(), "patched: "); ok {
				patches = append(patches, p)
			}
			if s.Text() == "ready" {
				ready <- true
				for s.Scan() {
					replies <- s.Text()
				}
				return
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("moto did not start:\n%s", stderr.String())
		}
	case <-time.After(2 * time.Minute):
		t.Fatalf("moto did not start within 2 minutes:\n%s", stderr.String())
	}
	return &emulator{URL: fmt.Sprintf("http://127.0.0.1:%d", port), Patches: patches, cmd: cmd, control: control, replies: replies}
}

// seedsOf is what a stack reads that exists before eksready runs: a
// plausible value for every public SSM parameter (the AMI release versions
// node groups follow), the buckets its flow logs write to, and a GuardDuty
// detector where it manages the detector's Runtime Monitoring feature.
func seedsOf(t *testing.T, stackPath string) emulatorSeeds {
	t.Helper()
	doc, region := readJSON(t, stackPath), stackRegion(t, stackPath)
	var seeds emulatorSeeds
	params, _ := get(doc, "data", "aws_ssm_parameter").(map[string]any)
	for _, p := range params {
		name, _ := p.(map[string]any)["name"].(string)
		seeds.SSM = append(seeds.SSM, ssmSeed{Region: region, Name: name, Value: "1.50.0-e0000000"})
	}
	if detectors, _ := get(doc, "data", "aws_guardduty_detector").(map[string]any); len(detectors) > 0 {
		seeds.Detectors = append(seeds.Detectors, region)
	}
	logs, _ := get(doc, "resource", "aws_flow_log").(map[string]any)
	for _, l := range logs {
		arn, _ := l.(map[string]any)["log_destination"].(string)
		if rest, ok := strings.CutPrefix(arn, "arn:aws:s3:::"); ok {
			seeds.Buckets = append(seeds.Buckets, bucketSeed{Region: region, Name: strings.SplitN(rest, "/", 2)[0]})
		}
	}
	return seeds
}

// inventory lists what the emulator holds in a region, by kind
// (emulator/inventory.py, through the AWS APIs).
func (e *emulator) inventory(t *testing.T, region string) map[string][]string {
	t.Helper()
	script, _ := filepath.Abs(filepath.Join("emulator", "inventory.py"))
	out, err := exec.Command("python3", script, e.URL, region).Output()
	if err != nil {
		t.Fatalf("listing the emulator's resources: %v", err)
	}
	var inv map[string][]string
	if err := json.Unmarshal(out, &inv); err != nil {
		t.Fatal(err)
	}
	return inv
}

// leftBehind is what the emulator holds now and did not hold before.
func leftBehind(before, after map[string][]string) []string {
	var out []string
	for kind, ids := range after {
		for _, id := range ids {
			if !slices.Contains(before[kind], id) {
				out = append(out, kind+" "+id)
			}
		}
	}
	sort.Strings(out)
	return out
}

// stackRegion is the region of a synthesized stack's AWS provider.
func stackRegion(t *testing.T, stackPath string) string {
	t.Helper()
	ps, _ := get(readJSON(t, stackPath), "provider", "aws").([]any)
	if len(ps) == 0 {
		t.Fatalf("%s has no aws provider", stackPath)
	}
	region, _ := ps[0].(map[string]any)["region"].(string)
	return region
}

// emulatedStack is a copy of a synthesized infra stack in its own
// directory, pointed at an emulator.
type emulatedStack struct {
	Dir string
	// Total is the number of resources the synthesized stack declares.
	Total int
	// LeftOut are the addresses removed from the copy (emulatorLeftOut).
	LeftOut []string
	// Suspended are the emulatorIgnored exclusions the current
	// configuration does not get, because it changes those attributes
	// (see emulatorLifecycle); "address: attribute" each.
	Suspended []string
	env       []string
	url       string
	// current is the configuration in Dir; applied is the configuration
	// of the last successful apply (nil before it and after a destroy).
	current, applied map[string]any
	// ignored is what the copy's ignore_changes holds for the emulator,
	// by resource address.
	ignored map[string][]string
	// noExclusions leaves emulatorIgnored out (TestEmulatorRoundTrips).
	noExclusions bool
	// Keep are emulatorLeftOut types this copy keeps because the emulator
	// serves them on request (EKS access entries, see moto_server.py).
	Keep []string
}

// newEmulatedStack copies stackPath into a new directory pointed at e and
// runs terraform init there.
func newEmulatedStack(t *testing.T, e *emulator, stackPath string) *emulatedStack {
	t.Helper()
	s := &emulatedStack{Dir: filepath.Join(t.TempDir(), "cdktf.out", "stacks", "infra"), env: emulatedEnv(t)}
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s.Resynth(t, e, stackPath)
	s.terraform(t, "init")
	return s
}

// emulatedEnv is the tests' terraform environment with a fake identity, so
// nothing could sign a request for a real account.
func emulatedEnv(t *testing.T) []string {
	env := terraformEnv(t)
	return append(env,
		"AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing", "AWS_SESSION_TOKEN=",
		"AWS_PROFILE=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
	)
}

// Resynth replaces the copy's configuration with another synth (keeping
// the state), as a user does by changing cluster.yaml and deploying again.
// What the new configuration changes is all a test declares: the harness
// compares it with the configuration last applied and suspends every
// emulator exclusion on an attribute it changes.
func (s *emulatedStack) Resynth(t *testing.T, e *emulator, stackPath string) {
	t.Helper()
	doc := readJSON(t, stackPath)
	s.Total, s.LeftOut = countResources(doc), pruneForEmulator(doc, s.Keep...)
	// State stays in the stack's folder, whatever backend the fixture has.
	doc["terraform"].(map[string]any)["backend"] = map[string]any{"local": map[string]any{"path": "terraform.tfstate"}}
	writeJSON(t, filepath.Join(s.Dir, "cdk.tf.json"), doc)
	s.current, s.url = doc, e.URL
	s.writeOverride(t)
}

// writeOverride points the copy's AWS provider at the emulator and adds
// the emulator's exclusions that apply to the current configuration.
func (s *emulatedStack) writeOverride(t *testing.T) {
	t.Helper()
	endpoints := map[string]any{}
	for _, svc := range emulatorServices {
		endpoints[svc] = s.url
	}
	override := map[string]any{
		"provider": map[string]any{"aws": []any{map[string]any{
			"access_key":                  "testing",
			"secret_key":                  "testing",
			"skip_credentials_validation": true,
			"skip_metadata_api_check":     true,
			"skip_region_validation":      true,
			"skip_requesting_account_id":  false,
			"s3_use_path_style":           true,
			"endpoints":                   []any{endpoints},
		}}},
	}
	exclusions := emulatorIgnored
	if s.noExclusions {
		exclusions = nil
	}
	lifecycle, ignored, suspended := emulatorLifecycle(s.current, s.applied, exclusions)
	if len(lifecycle) > 0 {
		override["resource"] = lifecycle
	}
	s.ignored, s.Suspended = ignored, suspended
	for _, x := range suspended {
		t.Logf("emulator exclusion suspended, this configuration changes it: %s", x)
	}
	writeJSON(t, filepath.Join(s.Dir, "override.tf.json"), override)
}

func (s *emulatedStack) terraform(t *testing.T, args ...string) string {
	t.Helper()
	if len(args) > 0 && (args[0] == "apply" || args[0] == "destroy") {
		// The provider's waiters (KMS policy propagation, VPC, SQS) sleep
		// rather than work: more of them overlap.
		// Before any positional argument (a saved plan's file name).
		args = append([]string{args[0], "-parallelism=30"}, args[1:]...)
	}
	out := terraform(t, s.Dir, s.env, args...)
	switch args[0] {
	case "apply":
		// What is applied now is the baseline the next change is
		// compared with, and exclusions suspended for it return.
		s.applied = s.current
		s.writeOverride(t)
	case "destroy":
		s.applied = nil
		s.writeOverride(t)
	}
	return out
}

// run runs terraform and returns its output and exit code without failing.
func (s *emulatedStack) run(args ...string) (string, int) {
	cmd := exec.Command("terraform", append(args, "-no-color")...)
	cmd.Dir, cmd.Env = s.Dir, s.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); ok {
		return out.String(), exit.ExitCode()
	} else if err != nil {
		return out.String() + err.Error(), -1
	}
	return out.String(), 0
}

// Plan runs `plan -detailed-exitcode` and returns the changes it found
// with the attributes each changes (none for an empty plan); a failing
// plan fails the test.
func (s *emulatedStack) Plan(t *testing.T, args ...string) []resourceChange {
	t.Helper()
	return s.Explain(t, s.PlanActions(t, args...))
}

// ApplySavedPlan applies the plan the last Plan or PlanActions saved:
// exactly the changes the test just checked, as a reviewed plan is
// applied, without refreshing and planning a second time.
func (s *emulatedStack) ApplySavedPlan(t *testing.T) {
	t.Helper()
	s.terraform(t, "apply", "tfplan")
}

// PlanActions is Plan without the attributes: each changed resource's
// address, type and actions, from the plan's own machine-readable output.
// Explain adds the attributes when they are wanted; reading them costs a
// `terraform show -json`, which starts the AWS provider again.
func (s *emulatedStack) PlanActions(t *testing.T, args ...string) []resourceChange {
	t.Helper()
	out, code := s.run(append([]string{"plan", "-detailed-exitcode", "-out=tfplan", "-json"}, args...)...)
	switch code {
	case 0:
		return nil
	case 2:
		return plannedChanges(t, out)
	}
	t.Fatalf("terraform plan failed in %s:\n%s", s.Dir, uiText(out))
	return nil
}

// plannedChanges reads the managed resources' planned changes from
// `terraform plan -json` output.
func plannedChanges(t *testing.T, out string) []resourceChange {
	t.Helper()
	var changes []resourceChange
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Type   string `json:"type"`
			Change struct {
				Resource struct {
					Addr string `json:"addr"`
					Type string `json:"resource_type"`
				} `json:"resource"`
				Action string `json:"action"`
			} `json:"change"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil || msg.Type != "planned_change" {
			continue
		}
		c := msg.Change
		// A moved block that changes nothing else is a "move" here and a
		// no-op with a previous address in `terraform show -json`.
		actions := map[string][]string{"create": {"create"}, "update": {"update"}, "delete": {"delete"}, "replace": {"delete", "create"}, "move": {"no-op"}}[c.Action]
		if actions == nil || strings.HasPrefix(c.Resource.Addr, "data.") || strings.Contains(c.Resource.Addr, ".data.") {
			continue
		}
		changes = append(changes, resourceChange{Address: c.Resource.Addr, Type: c.Resource.Type, Actions: actions})
	}
	if len(changes) == 0 {
		t.Fatalf("the plan reported changes, but none to a managed resource:\n%s", uiText(out))
	}
	return changes
}

// uiText is the messages and diagnostics of terraform's -json output.
func uiText(out string) string {
	var b strings.Builder
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Message    string `json:"@message"`
			Diagnostic struct {
				Detail string `json:"detail"`
			} `json:"diagnostic"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil {
			b.WriteString(line + "\n")
			continue
		}
		b.WriteString(msg.Message + "\n")
		if msg.Diagnostic.Detail != "" {
			b.WriteString("  " + msg.Diagnostic.Detail + "\n")
		}
	}
	return b.String()
}

// Explain returns the changes of the last plan with the attributes each
// changes (those forcing a replacement marked), from `terraform show
// -json` of the saved plan; nothing when there are none.
func (s *emulatedStack) Explain(t *testing.T, changes []resourceChange) []resourceChange {
	t.Helper()
	if len(changes) == 0 {
		return nil
	}
	return s.changes(t)
}

// withoutExclusions writes the copy's override with no emulator exclusion
// at all, to show what each would hide.
func (s *emulatedStack) withoutExclusions(t *testing.T) {
	t.Helper()
	s.noExclusions = true
	s.writeOverride(t)
}

// StateCount is how many managed resources the state holds.
func (s *emulatedStack) StateCount(t *testing.T) int {
	out, code := s.run("state", "list")
	if code != 0 {
		if strings.Contains(out, "No state file") {
			return 0
		}
		t.Fatalf("terraform state list: %s", out)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line != "" && !strings.HasPrefix(line, "data.") {
			n++
		}
	}
	return n
}

// resourceChange is one resource a plan changes: its actions and the
// attributes that differ (those forcing a replacement marked).
type resourceChange struct {
	Address    string
	Type       string
	Actions    []string
	Attributes []string
	Replace    []string
	// PreviousAddress is where a moved block moves the object from.
	PreviousAddress string
}

// Action is "create", "update", "delete" or "replace", or "move" for an
// object a moved block renames and nothing else changes.
func (c resourceChange) Action() string {
	if len(c.Actions) == 2 {
		return "replace"
	}
	if c.Actions[0] == "no-op" {
		return "move"
	}
	return c.Actions[0]
}

func (c resourceChange) String() string {
	s := c.Action() + " " + c.Address
	if c.PreviousAddress != "" {
		s += " (from " + c.PreviousAddress + ")"
	}
	if len(c.Attributes) > 0 {
		s += " (" + strings.Join(c.Attributes, ", ") + ")"
	}
	if len(c.Replace) > 0 {
		s += " forced by " + strings.Join(c.Replace, ", ")
	}
	return s
}

func (s *emulatedStack) changes(t *testing.T) []resourceChange {
	t.Helper()
	var plan struct {
		ResourceChanges []struct {
			Address         string `json:"address"`
			PreviousAddress string `json:"previous_address"`
			Type            string `json:"type"`
			Mode            string `json:"mode"`
			Change          struct {
				Actions      []string `json:"actions"`
				Before       any      `json:"before"`
				After        any      `json:"after"`
				AfterUnknown any      `json:"after_unknown"`
				ReplacePaths [][]any  `json:"replace_paths"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(s.terraform(t, "show", "-json", "tfplan")), &plan); err != nil {
		t.Fatal(err)
	}
	var out []resourceChange
	for _, rc := range plan.ResourceChanges {
		a := rc.Change.Actions
		if rc.Mode != "managed" || len(a) == 0 || (a[0] == "no-op" && rc.PreviousAddress == "") || a[0] == "read" {
			continue
		}
		c := resourceChange{Address: rc.Address, Type: rc.Type, Actions: a, PreviousAddress: rc.PreviousAddress}
		if a[0] == "update" || len(a) == 2 {
			for _, p := range changedPaths(rc.Change.Before, rc.Change.After, rc.Change.AfterUnknown, "") {
				// A replacement's new object does not inherit the
				// emulator's ignore_changes: moto's missing read-back of
				// these shows there, and is not part of the change.
				if !slices.ContainsFunc(s.ignored[rc.Address], func(i string) bool {
					return underPath(p, i)
				}) {
					c.Attributes = append(c.Attributes, p)
				}
			}
		}
		for _, p := range rc.Change.ReplacePaths {
			c.Replace = append(c.Replace, pathString(p))
		}
		out = append(out, c)
	}
	return out
}

// underPath reports whether the changed path p (`a.b[0].c`, as
// changedPaths writes it) is the attribute path i (`a[0].b`, Terraform's
// syntax, where a single nested block may be indexed or not) or inside it.
func underPath(p, i string) bool {
	norm := func(x string) string { return strings.ReplaceAll(strings.ReplaceAll(x, "[0]", ""), ".", "/") }
	p, i = norm(p), norm(i)
	return p == i || strings.HasPrefix(p, i+"/") || strings.HasPrefix(p, i+"[")
}

// changedPaths lists the attribute paths whose planned value differs from
// the prior one. A computed value that only becomes unknown because the
// resource is replaced is not a change of its own, so unknowns count only
// where the prior value was set by the configuration's side (see caller).
func changedPaths(before, after, unknown any, path string) []string {
	if u, ok := unknown.(bool); ok && u {
		return nil
	}
	switch b := before.(type) {
	case map[string]any:
		a, _ := after.(map[string]any)
		u, _ := unknown.(map[string]any)
		keys := map[string]bool{}
		for k := range b {
			keys[k] = true
		}
		for k := range a {
			keys[k] = true
		}
		var out []string
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			out = append(out, changedPaths(b[k], a[k], u[k], join(path, k))...)
		}
		return out
	case []any:
		a, _ := after.([]any)
		u, _ := unknown.([]any)
		if len(a) != len(b) {
			return []string{path}
		}
		var out []string
		for i := range b {
			var ui any
			if i < len(u) {
				ui = u[i]
			}
			out = append(out, changedPaths(b[i], a[i], ui, fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	}
	if fmt.Sprint(before) != fmt.Sprint(after) && !(isEmpty(before) && isEmpty(after)) {
		return []string{path}
	}
	return nil
}

// isEmpty: the provider reads back unset arguments as null, "" or [],
// which Terraform treats as no change.
func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func pathString(p []any) string {
	s := ""
	for _, e := range p {
		if n, ok := e.(float64); ok {
			s += fmt.Sprintf("[%d]", int(n))
		} else {
			s = join(s, fmt.Sprint(e))
		}
	}
	return s
}

// countResources is how many resources a synthesized stack declares.
func countResources(doc map[string]any) int {
	n := 0
	res, _ := doc["resource"].(map[string]any)
	for _, byName := range res {
		n += len(byName.(map[string]any))
	}
	return n
}

// pruneForEmulator removes what moto does not implement (emulatorLeftOut,
// but the types in keep) and strips emulatorStripped arguments; it returns
// the removed addresses. Whatever depends on a removed resource only
// through depends_on keeps existing; an output that reads one is removed,
// and so is a moved block naming one.
func pruneForEmulator(doc map[string]any, keep ...string) []string {
	var removed []string
	for _, block := range []string{"resource", "data"} {
		byType, _ := doc[block].(map[string]any)
		for typ, byName := range byType {
			key, prefix := typ, ""
			if block == "data" {
				key, prefix = "data."+typ, "data."
			}
			if _, ok := emulatorLeftOut[key]; ok && !slices.Contains(keep, key) {
				for name := range byName.(map[string]any) {
					removed = append(removed, prefix+typ+"."+name)
				}
				delete(byType, typ)
				continue
			}
			for _, when := range emulatorLeftOutWhen {
				if when.Type != key {
					continue
				}
				for name, r := range byName.(map[string]any) {
					if raw, _ := json.Marshal(r); strings.Contains(string(raw), when.Refers) {
						removed = append(removed, prefix+typ+"."+name)
						delete(byName.(map[string]any), name)
					}
				}
				if len(byName.(map[string]any)) == 0 {
					delete(byType, typ)
				}
			}
		}
	}
	sort.Strings(removed)
	gone := map[string]bool{}
	for _, a := range removed {
		gone[a] = true
	}
	refersToGone := func(v any) bool {
		raw, _ := json.Marshal(v)
		for _, m := range addressRe.FindAllString(string(raw), -1) {
			if gone[m] {
				return true
			}
		}
		return false
	}
	for _, block := range []string{"resource", "data"} {
		byType, _ := doc[block].(map[string]any)
		for typ, byName := range byType {
			for name, r := range byName.(map[string]any) {
				body := r.(map[string]any)
				if deps, ok := body["depends_on"].([]any); ok {
					var kept []any
					for _, d := range deps {
						if !gone[d.(string)] {
							kept = append(kept, d)
						}
					}
					body["depends_on"] = kept
					if len(kept) == 0 {
						delete(body, "depends_on")
					}
				}
				for _, a := range emulatorStripped[typ] {
					delete(body, a.Name)
				}
				if typ == "aws_flow_log" {
					// moto looks for a bucket named "<bucket>/<prefix>" when
					// the destination ARN has a key prefix; the prefix is
					// only a key name in AWS, so the emulated copy drops it.
					if arn, ok := body["log_destination"].(string); ok && strings.HasPrefix(arn, "arn:aws:s3:::") {
						body["log_destination"] = strings.SplitN(arn, "/", 2)[0]
					}
				}
				if refersToGone(body) {
					panic(fmt.Sprintf("%s.%s reads a resource moto lacks; extend pruneForEmulator", typ, name))
				}
			}
		}
	}
	outputs, _ := doc["output"].(map[string]any)
	for name, o := range outputs {
		if refersToGone(o) {
			delete(outputs, name)
		}
	}
	// A moved block's target must be in the configuration.
	if moved, ok := doc["moved"].([]any); ok {
		var kept []any
		for _, m := range moved {
			if to, _ := m.(map[string]any)["to"].(string); !gone[to] {
				kept = append(kept, m)
			}
		}
		doc["moved"] = kept
		if len(kept) == 0 {
			delete(doc, "moved")
		}
	}
	return removed
}

// addressRe matches resource and data source addresses in expressions.
var addressRe = regexp.MustCompile(`(?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+`)

// emulatorLifecycle is the override adding the exclusions to each
// resource's ignore_changes (an override replaces the list, so the stack's
// own entries are kept), and the exclusions in force by address. An
// exclusion is suspended, and listed, where the case under test may change
// the attribute: when a configuration was applied before (applied is not
// nil) and the resource's configured value at that path differs from the
// applied one, or is an expression (its value can change while its text
// stays the same). Exclusions then only ever hide moto's own read-back of
// a literal the change leaves alone.
func emulatorLifecycle(doc, applied map[string]any, exclusions map[string][]ignoredAttribute) (override map[string]any, ignored map[string][]string, suspended []string) {
	override, ignored = map[string]any{}, map[string][]string{}
	res, _ := doc["resource"].(map[string]any)
	for _, typ := range slices.Sorted(maps.Keys(exclusions)) {
		byName, _ := res[typ].(map[string]any)
		for _, name := range slices.Sorted(maps.Keys(byName)) {
			r := byName[name].(map[string]any)
			var ignore []any
			if lc, ok := r["lifecycle"].(map[string]any); ok {
				ignore, _ = lc["ignore_changes"].([]any)
			}
			address := typ + "." + name
			var added []string
			for _, a := range exclusions[typ] {
				if applied != nil && caseMayChange(r, get(applied, "resource", typ, name), a.Name) {
					suspended = append(suspended, address+": "+a.Name)
					continue
				}
				ignore = append(ignore, a.Name)
				added = append(added, a.Name)
			}
			if len(added) == 0 {
				continue
			}
			ignored[address] = added
			if override[typ] == nil {
				override[typ] = map[string]any{}
			}
			override[typ].(map[string]any)[name] = map[string]any{"lifecycle": map[string]any{"ignore_changes": ignore}}
		}
	}
	return override, ignored, suspended
}

// caseMayChange reports whether a resource's configuration (now) may set
// the attribute at path to something other than what the applied
// configuration (before, nil for a new resource) set.
func caseMayChange(now, before any, path string) bool {
	a, _ := attributeAt(now, path)
	b, _ := attributeAt(before, path)
	if raw, _ := json.Marshal(a); strings.Contains(string(raw), "${") {
		return true
	}
	return !reflect.DeepEqual(a, b)
}

// attributePathRe splits an attribute path into names and list indexes.
var attributePathRe = regexp.MustCompile(`([A-Za-z0-9_-]+)|\[(\d+)\]`)

// attributeAt is the configured value at a Terraform attribute path
// (`update_config[0].max_unavailable`) in a synthesized resource, where a
// nested block is a JSON object or a list of them.
func attributeAt(v any, path string) (any, bool) {
	for _, m := range attributePathRe.FindAllStringSubmatch(path, -1) {
		if m[2] != "" {
			i, _ := strconv.Atoi(m[2])
			switch x := v.(type) {
			case []any:
				if i >= len(x) {
					return nil, false
				}
				v = x[i]
			case map[string]any:
				if i != 0 {
					return nil, false
				}
			default:
				return nil, false
			}
			continue
		}
		if list, ok := v.([]any); ok && len(list) == 1 {
			v = list[0]
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[m[1]]; !ok {
			return nil, false
		}
	}
	return v, true
}

// emulatorGapsReport describes every gap handled, for the test output.
func emulatorGapsReport(e *emulator) string {
	var b strings.Builder
	b.WriteString("emulator gaps handled in the test harness (not in the product):\n")
	for _, p := range e.Patches {
		fmt.Fprintf(&b, "  corrected in moto: %s\n", p)
	}
	for _, k := range slices.Sorted(maps.Keys(emulatorLeftOut)) {
		fmt.Fprintf(&b, "  left out %s: %s\n", k, emulatorLeftOut[k])
	}
	for _, w := range emulatorLeftOutWhen {
		fmt.Fprintf(&b, "  left out %s reading %s: %s\n", w.Type, w.Refers, w.Why)
	}
	b.WriteString("  rewritten aws_flow_log.log_destination: an S3 key prefix is dropped (moto takes bucket/prefix for the bucket name)\n")
	b.WriteString("  served by the emulator, not moto: EKS access entries and policy associations (for a copy that keeps them), and EKS version updates, applied at once (emulator/moto_server.py)\n")
	for _, g := range []struct {
		verb string
		m    map[string][]ignoredAttribute
	}{{"ignore_changes", emulatorIgnored}, {"stripped", emulatorStripped}} {
		for _, typ := range slices.Sorted(maps.Keys(g.m)) {
			for _, a := range g.m[typ] {
				fmt.Fprintf(&b, "  %s %s.%s: %s\n", g.verb, typ, a.Name, a.Why)
			}
		}
	}
	return b.String()
}

func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}
