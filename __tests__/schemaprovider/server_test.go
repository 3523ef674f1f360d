package main

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func helmServer(t *testing.T) *Server {
	t.Helper()
	return serverFor(t, "terraform-provider-helm_v2.17.0")
}

// serverFor is the server a plugin installed under this file name runs.
func serverFor(t *testing.T, executable string) *Server {
	t.Helper()
	data, err := SchemaFor(executable)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := ParseRecorded(data)
	if err != nil {
		t.Fatal(err)
	}
	return NewServer(rec)
}

func attribute(b *tfprotov5.SchemaBlock, name string) *tfprotov5.SchemaAttribute {
	for _, a := range b.Attributes {
		if a.Name == name {
			return a
		}
	}
	return nil
}

func nestedBlock(b *tfprotov5.SchemaBlock, name string) *tfprotov5.SchemaNestedBlock {
	for _, nb := range b.BlockTypes {
		if nb.TypeName == name {
			return nb
		}
	}
	return nil
}

// The served schema is the recorded one: address, types, flags and blocks.
func TestServesTheRecordedHelmSchema(t *testing.T) {
	s := helmServer(t)
	if s.rec.Address != "registry.terraform.io/hashicorp/helm" {
		t.Errorf("address = %q", s.rec.Address)
	}
	resp, err := s.GetProviderSchema(context.Background(), &tfprotov5.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	rel := resp.ResourceSchemas["helm_release"]
	if rel == nil || resp.DataSourceSchemas["helm_template"] == nil {
		t.Fatalf("schema lacks helm_release or helm_template")
	}
	if rel.Version != 1 {
		t.Errorf("helm_release schema version = %d, want 1", rel.Version)
	}
	if a := attribute(rel.Block, "values"); a == nil || !a.Type.Equal(tftypes.List{ElementType: tftypes.String}) || !a.Optional {
		t.Errorf("helm_release.values = %+v, want optional list(string)", a)
	}
	if a := attribute(rel.Block, "chart"); a == nil || !a.Required {
		t.Errorf("helm_release.chart = %+v, want required", a)
	}
	if a := attribute(rel.Block, "status"); a == nil || !a.Computed || a.Optional {
		t.Errorf("helm_release.status = %+v, want computed only", a)
	}
	if nb := nestedBlock(rel.Block, "set"); nb == nil || nb.Nesting != tfprotov5.SchemaNestedBlockNestingModeSet {
		t.Errorf("helm_release.set = %+v, want a set block", nb)
	}
	k8s := nestedBlock(resp.Provider.Block, "kubernetes")
	if k8s == nil || k8s.Nesting != tfprotov5.SchemaNestedBlockNestingModeList || k8s.MaxItems != 1 {
		t.Fatalf("provider kubernetes block = %+v, want a list of at most 1", k8s)
	}
	if exec := nestedBlock(k8s.Block, "exec"); exec == nil || !attribute(exec.Block, "command").Required {
		t.Errorf("provider kubernetes.exec.command is not required")
	}
	meta, err := s.GetMetadata(context.Background(), &tfprotov5.GetMetadataRequest{})
	if err != nil || len(meta.Resources) != 1 || meta.Resources[0].TypeName != "helm_release" || len(meta.DataSources) != 1 {
		t.Errorf("metadata = %+v, %v", meta, err)
	}
}

// What protocol 5 cannot serve, or a file that is not one provider's
// schema, is refused rather than served partly.
func TestParseRecordedRefusesWhatItCannotServe(t *testing.T) {
	for name, c := range map[string]struct{ doc, want string }{
		"nested attribute": {
			`{"format_version":"1.0","provider_schemas":{"p":{"provider":{"block":{}},"resource_schemas":{"r":{"block":{"attributes":{"a":{"nested_type":{"nesting_mode":"single","attributes":{}},"optional":true}}}}}}}}`,
			"r.a has a nested attribute type",
		},
		"two providers": {`{"format_version":"1.0","provider_schemas":{"a":{},"b":{}}}`, "2 providers, want exactly 1"},
		"format":        {`{"format_version":"0.1","provider_schemas":{}}`, `format_version "0.1"`},
		"nesting mode": {
			`{"format_version":"1.0","provider_schemas":{"p":{"provider":{"block":{"block_types":{"b":{"nesting_mode":"tuple","block":{}}}}}}}}`,
			`provider.b: unknown nesting_mode "tuple"`,
		},
	} {
		if _, err := ParseRecorded([]byte(c.doc)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error = %v, want %q", name, err, c.want)
		}
	}
}

func dynamic(t *testing.T, typ tftypes.Type, v tftypes.Value) *tfprotov5.DynamicValue {
	t.Helper()
	dv, err := tfprotov5.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// nullFields is every attribute of typ, null: what Terraform sends for an
// empty configuration.
func nullFields(typ tftypes.Object) map[string]tftypes.Value {
	fields := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		fields[name] = tftypes.NewValue(at, nil)
	}
	return fields
}

// releaseConfig is a helm_release configuration: chart, name, values and
// one set block, every other attribute null.
func releaseConfig(t *testing.T, s *Server) (tftypes.Type, tftypes.Value) {
	t.Helper()
	typ := s.rec.Resources["helm_release"].ValueType().(tftypes.Object)
	fields := nullFields(typ)
	fields["chart"] = tftypes.NewValue(tftypes.String, "metrics-server")
	fields["name"] = tftypes.NewValue(tftypes.String, "metrics-server")
	fields["values"] = tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, "{}")})
	setType := typ.AttributeTypes["set"].(tftypes.Set)
	fields["set"] = tftypes.NewValue(setType, []tftypes.Value{tftypes.NewValue(setType.ElementType, map[string]tftypes.Value{
		"name":  tftypes.NewValue(tftypes.String, "replicas"),
		"type":  tftypes.NewValue(tftypes.String, nil),
		"value": tftypes.NewValue(tftypes.String, "2"),
	})})
	return typ, tftypes.NewValue(typ, fields)
}

func field(t *testing.T, v tftypes.Value, name string) tftypes.Value {
	t.Helper()
	var fields map[string]tftypes.Value
	if err := v.As(&fields); err != nil {
		t.Fatal(err)
	}
	return fields[name]
}

// Plan marks exactly the null computed attributes unknown on create; apply
// makes every value known and keeps what was configured; read returns the
// state; an update keeps the prior computed values.
func TestPlanApplyReadLikeAMock(t *testing.T) {
	s, ctx := helmServer(t), context.Background()
	typ, cfg := releaseConfig(t, s)
	null := dynamic(t, typ, tftypes.NewValue(typ, nil))
	plan, err := s.PlanResourceChange(ctx, &tfprotov5.PlanResourceChangeRequest{
		TypeName: "helm_release", PriorState: null, ProposedNewState: dynamic(t, typ, cfg), Config: dynamic(t, typ, cfg),
	})
	if err != nil || len(plan.Diagnostics) > 0 {
		t.Fatalf("plan: %v %+v", err, plan.Diagnostics)
	}
	planned, err := plan.PlannedState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"id", "manifest", "metadata", "status", "version"} {
		if field(t, planned, name).IsKnown() {
			t.Errorf("planned %s is known, want unknown (computed, not configured)", name)
		}
	}
	for _, name := range []string{"chart", "values", "set"} {
		if !field(t, planned, name).Equal(field(t, cfg, name)) {
			t.Errorf("planned %s = %v, want the configured %v", name, field(t, planned, name), field(t, cfg, name))
		}
	}
	if !field(t, planned, "atomic").IsNull() {
		t.Errorf("planned atomic (optional, not computed) = %v, want null", field(t, planned, "atomic"))
	}

	applied, err := s.ApplyResourceChange(ctx, &tfprotov5.ApplyResourceChangeRequest{
		TypeName: "helm_release", PriorState: null, PlannedState: plan.PlannedState, Config: dynamic(t, typ, cfg),
	})
	if err != nil || len(applied.Diagnostics) > 0 {
		t.Fatalf("apply: %v %+v", err, applied.Diagnostics)
	}
	state, err := applied.NewState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	if !state.IsFullyKnown() {
		t.Errorf("applied state has unknown values: %v", state)
	}
	var id string
	if err := field(t, state, "id").As(&id); err != nil || id != placeholder {
		t.Errorf("applied id = %q, %v", id, err)
	}
	if !field(t, state, "values").Equal(field(t, cfg, "values")) {
		t.Errorf("applied values changed: %v", field(t, state, "values"))
	}

	read, err := s.ReadResource(ctx, &tfprotov5.ReadResourceRequest{TypeName: "helm_release", CurrentState: applied.NewState})
	if err != nil || read.NewState != applied.NewState {
		t.Errorf("read did not return the state: %v", err)
	}

	// Update: Terraform proposes the prior computed values; they stay.
	update, err := s.PlanResourceChange(ctx, &tfprotov5.PlanResourceChangeRequest{
		TypeName: "helm_release", PriorState: applied.NewState, ProposedNewState: applied.NewState, Config: dynamic(t, typ, cfg),
	})
	if err != nil || len(update.Diagnostics) > 0 {
		t.Fatalf("update plan: %v %+v", err, update.Diagnostics)
	}
	if got, _ := update.PlannedState.Unmarshal(typ); !got.Equal(state) {
		t.Errorf("update plan changed the state: %v", got)
	}

	// Destroy: the planned state stays null.
	destroy, err := s.PlanResourceChange(ctx, &tfprotov5.PlanResourceChangeRequest{
		TypeName: "helm_release", PriorState: applied.NewState, ProposedNewState: null, Config: null,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := destroy.PlannedState.Unmarshal(typ); !got.IsNull() {
		t.Errorf("destroy plan = %v, want null", got)
	}
}

// A data source read fills its null computed attributes.
func TestReadDataSourceFillsComputed(t *testing.T) {
	s := helmServer(t)
	typ := s.rec.DataSources["helm_template"].ValueType().(tftypes.Object)
	fields := nullFields(typ)
	fields["chart"] = tftypes.NewValue(tftypes.String, "cilium")
	fields["name"] = tftypes.NewValue(tftypes.String, "cilium")
	resp, err := s.ReadDataSource(context.Background(), &tfprotov5.ReadDataSourceRequest{
		TypeName: "helm_template", Config: dynamic(t, typ, tftypes.NewValue(typ, fields)),
	})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("read: %v %+v", err, resp.Diagnostics)
	}
	state, err := resp.State.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	if field(t, state, "manifest").IsNull() || field(t, state, "manifests").IsNull() {
		t.Errorf("computed manifest(s) left null: %v", state)
	}
	if !field(t, state, "namespace").IsNull() {
		t.Errorf("namespace (optional, not computed) = %v, want null", field(t, state, "namespace"))
	}
}

// Unknown types are errors, never silently accepted.
func TestUnknownTypesAreErrors(t *testing.T) {
	s, ctx := helmServer(t), context.Background()
	r, _ := s.ValidateResourceTypeConfig(ctx, &tfprotov5.ValidateResourceTypeConfigRequest{TypeName: "helm_releese"})
	d, _ := s.ValidateDataSourceConfig(ctx, &tfprotov5.ValidateDataSourceConfigRequest{TypeName: "helm_templat"})
	if len(r.Diagnostics) != 1 || !strings.Contains(r.Diagnostics[0].Summary, `no resource type "helm_releese"`) ||
		len(d.Diagnostics) != 1 || !strings.Contains(d.Diagnostics[0].Summary, `no data source "helm_templat"`) {
		t.Errorf("diagnostics = %+v, %+v", r.Diagnostics, d.Diagnostics)
	}
}

// The same binary serves the tfe provider's recorded schema when installed
// under its name: the resources the bootstrap stack declares, with the
// types and flags of hashicorp/tfe 0.65.2.
func TestServesTheRecordedTfeSchema(t *testing.T) {
	s := serverFor(t, "/mirror/registry.terraform.io/hashicorp/tfe/0.65.2/linux_amd64/terraform-provider-tfe_v0.65.2")
	if s.rec.Address != "registry.terraform.io/hashicorp/tfe" {
		t.Errorf("address = %q", s.rec.Address)
	}
	resp, err := s.GetProviderSchema(context.Background(), &tfprotov5.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.ResourceSchemas) != 53 || len(resp.DataSourceSchemas) != 33 {
		t.Errorf("%d resources and %d data sources, want the recorded 53 and 33", len(resp.ResourceSchemas), len(resp.DataSourceSchemas))
	}
	settings := resp.ResourceSchemas["tfe_workspace_settings"]
	if settings == nil {
		t.Fatal("no tfe_workspace_settings")
	}
	if a := attribute(settings.Block, "remote_state_consumer_ids"); a == nil || !a.Type.Equal(tftypes.Set{ElementType: tftypes.String}) || !a.Optional || !a.Computed {
		t.Errorf("tfe_workspace_settings.remote_state_consumer_ids = %+v, want optional computed set(string)", a)
	}
	if a := attribute(settings.Block, "workspace_id"); a == nil || !a.Required {
		t.Errorf("tfe_workspace_settings.workspace_id = %+v, want required", a)
	}
	ws := resp.ResourceSchemas["tfe_workspace"]
	if a := attribute(ws.Block, "execution_mode"); a == nil || !a.Deprecated {
		t.Errorf("tfe_workspace.execution_mode = %+v, want deprecated (moved to tfe_workspace_settings)", a)
	}
	if a := attribute(resp.ResourceSchemas["tfe_variable"].Block, "value_wo"); a == nil || !a.WriteOnly || !a.Sensitive {
		t.Errorf("tfe_variable.value_wo = %+v, want write-only and sensitive", a)
	}
	if a := attribute(resp.Provider.Block, "hostname"); a == nil || !a.Optional {
		t.Errorf("provider hostname = %+v", a)
	}
}

func TestSchemaForRefusesUnknownNames(t *testing.T) {
	for name, want := range map[string]string{
		"schemaprovider":                        `schemaprovider: installed as "schemaprovider"; install it as terraform-provider-<type>_v<version> to serve that provider's recorded schema`,
		"terraform-provider-helm_v2.16.0":       "schemaprovider: no recorded schema for helm 2.16.0",
		"terraform-provider-kubernetes_v2.37.0": "schemaprovider: no recorded schema for kubernetes 2.37.0",
	} {
		if _, err := SchemaFor(name); err == nil || err.Error() != want {
			t.Errorf("%s: got %v, want %s", name, err, want)
		}
	}
}
