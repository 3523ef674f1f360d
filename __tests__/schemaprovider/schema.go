package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Recorded is one provider's schema as `terraform providers schema -json`
// prints it, converted to the plugin protocol's types.
type Recorded struct {
	// Address is the provider's source address
	// ("registry.terraform.io/hashicorp/helm").
	Address string
	// Provider is the provider block's schema.
	Provider *tfprotov5.Schema
	// Resources are the managed resource types' schemas.
	Resources map[string]*tfprotov5.Schema
	// DataSources are the data source types' schemas.
	DataSources map[string]*tfprotov5.Schema
}

// The JSON shapes of `terraform providers schema -json` (format 1.0), as
// far as a protocol 5 provider can have them.
type jsonSchemas struct {
	FormatVersion   string                        `json:"format_version"`
	ProviderSchemas map[string]jsonProviderSchema `json:"provider_schemas"`
}

type jsonProviderSchema struct {
	Provider          jsonSchema            `json:"provider"`
	ResourceSchemas   map[string]jsonSchema `json:"resource_schemas"`
	DataSourceSchemas map[string]jsonSchema `json:"data_source_schemas"`
}

type jsonSchema struct {
	Version int64     `json:"version"`
	Block   jsonBlock `json:"block"`
}

type jsonBlock struct {
	Attributes      map[string]jsonAttribute `json:"attributes"`
	BlockTypes      map[string]jsonBlockType `json:"block_types"`
	Description     string                   `json:"description"`
	DescriptionKind string                   `json:"description_kind"`
	Deprecated      bool                     `json:"deprecated"`
}

type jsonAttribute struct {
	Type            json.RawMessage `json:"type"`
	NestedType      json.RawMessage `json:"nested_type"`
	Description     string          `json:"description"`
	DescriptionKind string          `json:"description_kind"`
	Required        bool            `json:"required"`
	Optional        bool            `json:"optional"`
	Computed        bool            `json:"computed"`
	Sensitive       bool            `json:"sensitive"`
	Deprecated      bool            `json:"deprecated"`
	WriteOnly       bool            `json:"write_only"`
}

type jsonBlockType struct {
	NestingMode string    `json:"nesting_mode"`
	Block       jsonBlock `json:"block"`
	MinItems    int64     `json:"min_items"`
	MaxItems    int64     `json:"max_items"`
}

var nestingModes = map[string]tfprotov5.SchemaNestedBlockNestingMode{
	"single": tfprotov5.SchemaNestedBlockNestingModeSingle,
	"list":   tfprotov5.SchemaNestedBlockNestingModeList,
	"set":    tfprotov5.SchemaNestedBlockNestingModeSet,
	"map":    tfprotov5.SchemaNestedBlockNestingModeMap,
	"group":  tfprotov5.SchemaNestedBlockNestingModeGroup,
}

// ParseRecorded reads the output of `terraform providers schema -json`
// holding exactly one provider. Anything protocol 5 cannot express (nested
// attribute types, which only protocol 6 providers have) is an error rather
// than something silently dropped, so the served schema is the recorded one.
func ParseRecorded(data []byte) (*Recorded, error) {
	var doc jsonSchemas
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("provider schema: %w", err)
	}
	if doc.FormatVersion != "1.0" {
		return nil, fmt.Errorf("provider schema: format_version %q, want \"1.0\"", doc.FormatVersion)
	}
	if len(doc.ProviderSchemas) != 1 {
		return nil, fmt.Errorf("provider schema: %d providers, want exactly 1", len(doc.ProviderSchemas))
	}
	r := &Recorded{Resources: map[string]*tfprotov5.Schema{}, DataSources: map[string]*tfprotov5.Schema{}}
	for addr, ps := range doc.ProviderSchemas {
		r.Address = addr
		var err error
		if r.Provider, err = ps.Provider.convert("provider"); err != nil {
			return nil, err
		}
		for name, s := range ps.ResourceSchemas {
			if r.Resources[name], err = s.convert(name); err != nil {
				return nil, err
			}
		}
		for name, s := range ps.DataSourceSchemas {
			if r.DataSources[name], err = s.convert("data." + name); err != nil {
				return nil, err
			}
		}
	}
	return r, nil
}

func (s jsonSchema) convert(path string) (*tfprotov5.Schema, error) {
	b, err := s.Block.convert(path)
	if err != nil {
		return nil, err
	}
	return &tfprotov5.Schema{Version: s.Version, Block: b}, nil
}

func (b jsonBlock) convert(path string) (*tfprotov5.SchemaBlock, error) {
	out := &tfprotov5.SchemaBlock{
		Description:     b.Description,
		DescriptionKind: descriptionKind(b.DescriptionKind),
		Deprecated:      b.Deprecated,
	}
	for _, name := range slices.Sorted(maps.Keys(b.Attributes)) {
		a := b.Attributes[name]
		if len(a.NestedType) > 0 {
			return nil, fmt.Errorf("provider schema: %s.%s has a nested attribute type, which plugin protocol 5 cannot serve", path, name)
		}
		typ, err := tftypes.ParseJSONType(a.Type)
		if err != nil {
			return nil, fmt.Errorf("provider schema: %s.%s: type %s: %w", path, name, a.Type, err)
		}
		out.Attributes = append(out.Attributes, &tfprotov5.SchemaAttribute{
			Name:            name,
			Type:            typ,
			Description:     a.Description,
			DescriptionKind: descriptionKind(a.DescriptionKind),
			Required:        a.Required,
			Optional:        a.Optional,
			Computed:        a.Computed,
			Sensitive:       a.Sensitive,
			Deprecated:      a.Deprecated,
			WriteOnly:       a.WriteOnly,
		})
	}
	for _, name := range slices.Sorted(maps.Keys(b.BlockTypes)) {
		bt := b.BlockTypes[name]
		mode, ok := nestingModes[bt.NestingMode]
		if !ok {
			return nil, fmt.Errorf("provider schema: %s.%s: unknown nesting_mode %q", path, name, bt.NestingMode)
		}
		nested, err := bt.Block.convert(path + "." + name)
		if err != nil {
			return nil, err
		}
		out.BlockTypes = append(out.BlockTypes, &tfprotov5.SchemaNestedBlock{
			TypeName: name,
			Block:    nested,
			Nesting:  mode,
			MinItems: bt.MinItems,
			MaxItems: bt.MaxItems,
		})
	}
	return out, nil
}

func descriptionKind(s string) tfprotov5.StringKind {
	if s == "markdown" {
		return tfprotov5.StringKindMarkdown
	}
	return tfprotov5.StringKindPlain
}
