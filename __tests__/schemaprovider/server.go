package main

import (
	"context"
	"fmt"
	"maps"
	"math/big"
	"slices"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// placeholder is what apply and data source reads put in computed string
// attributes: visibly not a real provider's value.
const placeholder = "schemaprovider-placeholder"

// Server is a protocol 5 provider that serves a recorded schema and
// answers every call like a mock (see the package documentation).
type Server struct {
	rec *Recorded
}

// NewServer serves rec.
func NewServer(rec *Recorded) *Server { return &Server{rec: rec} }

var _ tfprotov5.ProviderServer = (*Server)(nil)

func errorDiag(format string, args ...any) []*tfprotov5.Diagnostic {
	return []*tfprotov5.Diagnostic{{
		Severity: tfprotov5.DiagnosticSeverityError,
		Summary:  "schemaprovider: " + fmt.Sprintf(format, args...),
	}}
}

// GetMetadata lists the recorded resource and data source types.
func (s *Server) GetMetadata(context.Context, *tfprotov5.GetMetadataRequest) (*tfprotov5.GetMetadataResponse, error) {
	resp := &tfprotov5.GetMetadataResponse{}
	for _, name := range slices.Sorted(maps.Keys(s.rec.Resources)) {
		resp.Resources = append(resp.Resources, tfprotov5.ResourceMetadata{TypeName: name})
	}
	for _, name := range slices.Sorted(maps.Keys(s.rec.DataSources)) {
		resp.DataSources = append(resp.DataSources, tfprotov5.DataSourceMetadata{TypeName: name})
	}
	return resp, nil
}

// GetProviderSchema returns the recorded schema.
func (s *Server) GetProviderSchema(context.Context, *tfprotov5.GetProviderSchemaRequest) (*tfprotov5.GetProviderSchemaResponse, error) {
	return &tfprotov5.GetProviderSchemaResponse{
		Provider:          s.rec.Provider,
		ResourceSchemas:   s.rec.Resources,
		DataSourceSchemas: s.rec.DataSources,
	}, nil
}

// GetResourceIdentitySchemas returns none: the recorded provider predates
// resource identities.
func (s *Server) GetResourceIdentitySchemas(context.Context, *tfprotov5.GetResourceIdentitySchemasRequest) (*tfprotov5.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov5.GetResourceIdentitySchemasResponse{}, nil
}

// PrepareProviderConfig accepts the configuration unchanged; Terraform has
// already checked it against the schema.
func (s *Server) PrepareProviderConfig(_ context.Context, req *tfprotov5.PrepareProviderConfigRequest) (*tfprotov5.PrepareProviderConfigResponse, error) {
	return &tfprotov5.PrepareProviderConfigResponse{PreparedConfig: req.Config}, nil
}

// ConfigureProvider accepts any configuration: nothing is contacted.
func (s *Server) ConfigureProvider(context.Context, *tfprotov5.ConfigureProviderRequest) (*tfprotov5.ConfigureProviderResponse, error) {
	return &tfprotov5.ConfigureProviderResponse{}, nil
}

// StopProvider has nothing to stop.
func (s *Server) StopProvider(context.Context, *tfprotov5.StopProviderRequest) (*tfprotov5.StopProviderResponse, error) {
	return &tfprotov5.StopProviderResponse{}, nil
}

// ValidateResourceTypeConfig accepts any configuration of a known type.
func (s *Server) ValidateResourceTypeConfig(_ context.Context, req *tfprotov5.ValidateResourceTypeConfigRequest) (*tfprotov5.ValidateResourceTypeConfigResponse, error) {
	if _, err := s.resource(req.TypeName); err != nil {
		return &tfprotov5.ValidateResourceTypeConfigResponse{Diagnostics: errorDiag("%v", err)}, nil
	}
	return &tfprotov5.ValidateResourceTypeConfigResponse{}, nil
}

// UpgradeResourceState decodes the stored JSON state with the current
// schema: the recorded provider is the only version there is.
func (s *Server) UpgradeResourceState(_ context.Context, req *tfprotov5.UpgradeResourceStateRequest) (*tfprotov5.UpgradeResourceStateResponse, error) {
	schema, err := s.resource(req.TypeName)
	if err != nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errorDiag("%v", err)}, nil
	}
	typ := schema.ValueType()
	val, err := req.RawState.UnmarshalWithOpts(typ, tfprotov5.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errorDiag("reading %s state: %v", req.TypeName, err)}, nil
	}
	dv, err := tfprotov5.NewDynamicValue(typ, val)
	if err != nil {
		return nil, err
	}
	return &tfprotov5.UpgradeResourceStateResponse{UpgradedState: &dv}, nil
}

// ReadResource returns the state as it is: there is nothing to refresh from.
func (s *Server) ReadResource(_ context.Context, req *tfprotov5.ReadResourceRequest) (*tfprotov5.ReadResourceResponse, error) {
	return &tfprotov5.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
}

// PlanResourceChange returns the proposed state. On create, every computed
// attribute the configuration leaves null becomes unknown, as a real
// provider's plan would show it "(known after apply)"; on update the
// proposed state already carries the prior computed values.
func (s *Server) PlanResourceChange(_ context.Context, req *tfprotov5.PlanResourceChangeRequest) (*tfprotov5.PlanResourceChangeResponse, error) {
	schema, err := s.resource(req.TypeName)
	if err != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errorDiag("%v", err)}, nil
	}
	typ := schema.ValueType()
	prior, err := req.PriorState.Unmarshal(typ)
	if err != nil {
		return nil, err
	}
	proposed, err := req.ProposedNewState.Unmarshal(typ)
	if err != nil {
		return nil, err
	}
	if prior.IsNull() && !proposed.IsNull() {
		unknown := func(t tftypes.Type) tftypes.Value { return tftypes.NewValue(t, tftypes.UnknownValue) }
		if proposed, err = fillComputed(schema.Block, proposed, unknown); err != nil {
			return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errorDiag("planning %s: %v", req.TypeName, err)}, nil
		}
	}
	dv, err := tfprotov5.NewDynamicValue(typ, proposed)
	if err != nil {
		return nil, err
	}
	return &tfprotov5.PlanResourceChangeResponse{PlannedState: &dv, PlannedPrivate: req.PriorPrivate}, nil
}

// ApplyResourceChange turns the plan's unknown values into placeholders (a
// destroy returns the null planned state).
func (s *Server) ApplyResourceChange(_ context.Context, req *tfprotov5.ApplyResourceChangeRequest) (*tfprotov5.ApplyResourceChangeResponse, error) {
	schema, err := s.resource(req.TypeName)
	if err != nil {
		return &tfprotov5.ApplyResourceChangeResponse{Diagnostics: errorDiag("%v", err)}, nil
	}
	typ := schema.ValueType()
	planned, err := req.PlannedState.Unmarshal(typ)
	if err != nil {
		return nil, err
	}
	applied, err := tftypes.Transform(planned, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.IsKnown() {
			return known(v.Type()), nil
		}
		return v, nil
	})
	if err != nil {
		return &tfprotov5.ApplyResourceChangeResponse{Diagnostics: errorDiag("applying %s: %v", req.TypeName, err)}, nil
	}
	dv, err := tfprotov5.NewDynamicValue(typ, applied)
	if err != nil {
		return nil, err
	}
	return &tfprotov5.ApplyResourceChangeResponse{NewState: &dv, Private: req.PlannedPrivate}, nil
}

// ImportResourceState refuses: there is nothing to import from.
func (s *Server) ImportResourceState(_ context.Context, req *tfprotov5.ImportResourceStateRequest) (*tfprotov5.ImportResourceStateResponse, error) {
	return &tfprotov5.ImportResourceStateResponse{Diagnostics: errorDiag("cannot import %s: a schema-only provider has nothing to import from", req.TypeName)}, nil
}

// MoveResourceState refuses: the recorded provider declares no moves.
func (s *Server) MoveResourceState(_ context.Context, req *tfprotov5.MoveResourceStateRequest) (*tfprotov5.MoveResourceStateResponse, error) {
	return &tfprotov5.MoveResourceStateResponse{Diagnostics: errorDiag("cannot move state into %s", req.TargetTypeName)}, nil
}

// UpgradeResourceIdentity refuses: the recorded provider has no identities.
func (s *Server) UpgradeResourceIdentity(_ context.Context, req *tfprotov5.UpgradeResourceIdentityRequest) (*tfprotov5.UpgradeResourceIdentityResponse, error) {
	return &tfprotov5.UpgradeResourceIdentityResponse{Diagnostics: errorDiag("%s has no resource identity", req.TypeName)}, nil
}

// ValidateDataSourceConfig accepts any configuration of a known type.
func (s *Server) ValidateDataSourceConfig(_ context.Context, req *tfprotov5.ValidateDataSourceConfigRequest) (*tfprotov5.ValidateDataSourceConfigResponse, error) {
	if _, err := s.dataSource(req.TypeName); err != nil {
		return &tfprotov5.ValidateDataSourceConfigResponse{Diagnostics: errorDiag("%v", err)}, nil
	}
	return &tfprotov5.ValidateDataSourceConfigResponse{}, nil
}

// ReadDataSource returns the configuration with placeholders in the
// computed attributes it leaves null.
func (s *Server) ReadDataSource(_ context.Context, req *tfprotov5.ReadDataSourceRequest) (*tfprotov5.ReadDataSourceResponse, error) {
	schema, err := s.dataSource(req.TypeName)
	if err != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiag("%v", err)}, nil
	}
	typ := schema.ValueType()
	cfg, err := req.Config.Unmarshal(typ)
	if err != nil {
		return nil, err
	}
	state, err := fillComputed(schema.Block, cfg, known)
	if err != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiag("reading data.%s: %v", req.TypeName, err)}, nil
	}
	dv, err := tfprotov5.NewDynamicValue(typ, state)
	if err != nil {
		return nil, err
	}
	return &tfprotov5.ReadDataSourceResponse{State: &dv}, nil
}

// CallFunction refuses: the recorded provider has no functions.
func (s *Server) CallFunction(_ context.Context, req *tfprotov5.CallFunctionRequest) (*tfprotov5.CallFunctionResponse, error) {
	return &tfprotov5.CallFunctionResponse{Error: &tfprotov5.FunctionError{Text: "schemaprovider: no function " + req.Name}}, nil
}

// GetFunctions returns none.
func (s *Server) GetFunctions(context.Context, *tfprotov5.GetFunctionsRequest) (*tfprotov5.GetFunctionsResponse, error) {
	return &tfprotov5.GetFunctionsResponse{}, nil
}

// ValidateEphemeralResourceConfig refuses: the recorded provider has no
// ephemeral resources.
func (s *Server) ValidateEphemeralResourceConfig(_ context.Context, req *tfprotov5.ValidateEphemeralResourceConfigRequest) (*tfprotov5.ValidateEphemeralResourceConfigResponse, error) {
	return &tfprotov5.ValidateEphemeralResourceConfigResponse{Diagnostics: errorDiag("no ephemeral resource %s", req.TypeName)}, nil
}

// OpenEphemeralResource refuses, as above.
func (s *Server) OpenEphemeralResource(_ context.Context, req *tfprotov5.OpenEphemeralResourceRequest) (*tfprotov5.OpenEphemeralResourceResponse, error) {
	return &tfprotov5.OpenEphemeralResourceResponse{Diagnostics: errorDiag("no ephemeral resource %s", req.TypeName)}, nil
}

// RenewEphemeralResource refuses, as above.
func (s *Server) RenewEphemeralResource(_ context.Context, req *tfprotov5.RenewEphemeralResourceRequest) (*tfprotov5.RenewEphemeralResourceResponse, error) {
	return &tfprotov5.RenewEphemeralResourceResponse{Diagnostics: errorDiag("no ephemeral resource %s", req.TypeName)}, nil
}

// CloseEphemeralResource refuses, as above.
func (s *Server) CloseEphemeralResource(_ context.Context, req *tfprotov5.CloseEphemeralResourceRequest) (*tfprotov5.CloseEphemeralResourceResponse, error) {
	return &tfprotov5.CloseEphemeralResourceResponse{Diagnostics: errorDiag("no ephemeral resource %s", req.TypeName)}, nil
}

func (s *Server) resource(name string) (*tfprotov5.Schema, error) {
	if sc, ok := s.rec.Resources[name]; ok {
		return sc, nil
	}
	return nil, fmt.Errorf("%s has no resource type %q", s.rec.Address, name)
}

func (s *Server) dataSource(name string) (*tfprotov5.Schema, error) {
	if sc, ok := s.rec.DataSources[name]; ok {
		return sc, nil
	}
	return nil, fmt.Errorf("%s has no data source %q", s.rec.Address, name)
}

// fillComputed replaces the null computed attributes of an object shaped
// by b (and of its nested blocks) with fill(type).
func fillComputed(b *tfprotov5.SchemaBlock, v tftypes.Value, fill func(tftypes.Type) tftypes.Value) (tftypes.Value, error) {
	if v.IsNull() || !v.IsKnown() {
		return v, nil
	}
	var fields map[string]tftypes.Value
	if err := v.As(&fields); err != nil {
		return v, err
	}
	for _, a := range b.Attributes {
		if a.Computed && fields[a.Name].IsNull() {
			fields[a.Name] = fill(a.Type)
		}
	}
	for _, nb := range b.BlockTypes {
		cur, err := fillNested(nb, fields[nb.TypeName], fill)
		if err != nil {
			return v, fmt.Errorf("%s: %w", nb.TypeName, err)
		}
		fields[nb.TypeName] = cur
	}
	return tftypes.NewValue(v.Type(), fields), nil
}

func fillNested(nb *tfprotov5.SchemaNestedBlock, v tftypes.Value, fill func(tftypes.Type) tftypes.Value) (tftypes.Value, error) {
	if v.IsNull() || !v.IsKnown() {
		return v, nil
	}
	switch nb.Nesting {
	case tfprotov5.SchemaNestedBlockNestingModeSingle, tfprotov5.SchemaNestedBlockNestingModeGroup:
		return fillComputed(nb.Block, v, fill)
	case tfprotov5.SchemaNestedBlockNestingModeList, tfprotov5.SchemaNestedBlockNestingModeSet:
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return v, err
		}
		for i := range elems {
			var err error
			if elems[i], err = fillComputed(nb.Block, elems[i], fill); err != nil {
				return v, err
			}
		}
		return tftypes.NewValue(v.Type(), elems), nil
	case tfprotov5.SchemaNestedBlockNestingModeMap:
		var elems map[string]tftypes.Value
		if err := v.As(&elems); err != nil {
			return v, err
		}
		for k := range elems {
			var err error
			if elems[k], err = fillComputed(nb.Block, elems[k], fill); err != nil {
				return v, err
			}
		}
		return tftypes.NewValue(v.Type(), elems), nil
	}
	return v, fmt.Errorf("nesting mode %s", nb.Nesting)
}

// known is a placeholder value of type t: a marker string, zero, false, an
// empty collection, or an object of placeholders.
func known(t tftypes.Type) tftypes.Value {
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, placeholder)
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, new(big.Float))
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, false)
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}):
		return tftypes.NewValue(t, []tftypes.Value{})
	case t.Is(tftypes.Map{}):
		return tftypes.NewValue(t, map[string]tftypes.Value{})
	case t.Is(tftypes.Object{}):
		fields := map[string]tftypes.Value{}
		for name, at := range t.(tftypes.Object).AttributeTypes {
			fields[name] = known(at)
		}
		return tftypes.NewValue(t, fields)
	case t.Is(tftypes.Tuple{}):
		var elems []tftypes.Value
		for _, et := range t.(tftypes.Tuple).ElementTypes {
			elems = append(elems, known(et))
		}
		return tftypes.NewValue(t, elems)
	}
	// DynamicPseudoType: a value needs a concrete type; null is known.
	return tftypes.NewValue(t, nil)
}
