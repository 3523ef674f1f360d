package main

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
)

// The JSON Schema draft the schemas declare. Draft-07 is the newest every
// release of yaml-language-server (the YAML support of VS Code, Neovim,
// Helix and others) validates with; 2019-09 and 2020-12 arrived only in its
// 1.20.0. Nothing here needs a newer draft.
const schemaDraft = "http://json-schema.org/draft-07/schema#"

// schemaFile renders the JSON Schema of one file format. With nullable,
// every key may also be null: in a fleet's cluster file a null drops what
// _fleet.yaml's defaults set, and only the loader can see _fleet.yaml.
func schemaFile(title, description string, settings []*setting, nullable bool) []byte {
	root := object(settings, nullable)
	root.set("$schema", schemaDraft).move("$schema", 0)
	root.set("title", title).move("title", 1)
	root.set("description", description).move("description", 2)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		panic(err) // only strings, numbers, booleans, lists and ordered objects
	}
	return b.Bytes()
}

// object is the schema of a mapping with exactly the given keys.
func object(settings []*setting, nullable bool) *jsonObject {
	props := &jsonObject{}
	for _, s := range settings {
		props.set(s.Key, property(s, nullable))
	}
	return (&jsonObject{}).set("type", "object").set("properties", props).set("additionalProperties", false)
}

// property is the schema of one key.
func property(s *setting, nullable bool) *jsonObject {
	var p *jsonObject
	switch {
	case s.Shared || s.Type.Kind() == reflect.Struct:
		p = object(s.Children, nullable)
	case s.Type.Kind() == reflect.Map:
		p = (&jsonObject{}).set("type", "object")
		if s.KeyEnum != nil {
			p.set("propertyNames", (&jsonObject{}).set("enum", s.KeyEnum))
		}
		p.set("additionalProperties", element(s, nullable))
	case s.Type.Kind() == reflect.Slice:
		p = (&jsonObject{}).set("type", "array").set("items", element(s, false))
	default:
		p = scalar(s.Type, s.Enum)
	}
	if s.Type.Kind() == reflect.Struct || s.Type.Kind() == reflect.Map {
		// A section heading with nothing under it (`subnets:` followed only
		// by comments) is the empty mapping to the loader; JSON has no
		// difference between it and null.
		allowNull(p)
	}
	if nullable {
		allowNull(p)
	}
	desc := s.Doc
	if d := defaultText(s); d != "" && !strings.Contains(desc, "Default: ") {
		desc += "\n\nDefault: " + d + "."
	}
	for _, c := range conditionTexts(s) {
		desc += "\n\n" + c + "."
	}
	p.set("description", desc).move("description", 0)
	if def, ok := schemaDefault(s); ok {
		p.set("default", def)
	}
	return p
}

// element is the schema of each value of a map or item of a list.
func element(s *setting, nullable bool) *jsonObject {
	if s.Children != nil {
		return object(s.Children, nullable)
	}
	e := scalar(s.Type.Elem(), s.Enum)
	if nullable {
		allowNull(e)
	}
	return e
}

// scalar is the schema of a value without keys of its own: a single value,
// or a list or mapping of them (enum applies to the single values).
func scalar(t reflect.Type, enum []any) *jsonObject {
	t = deref(t)
	switch t.Kind() {
	case reflect.Slice:
		return (&jsonObject{}).set("type", "array").set("items", scalar(t.Elem(), enum))
	case reflect.Map:
		return (&jsonObject{}).set("type", "object").set("additionalProperties", scalar(t.Elem(), enum))
	}
	p := (&jsonObject{}).set("type", jsonType(t))
	if enum != nil {
		p.set("enum", enum)
	}
	return p
}

// allowNull adds null to a schema's types (and enum).
func allowNull(p *jsonObject) {
	switch t := p.get("type").(type) {
	case string:
		p.set("type", []string{t, "null"})
	case []string:
		if !slices.Contains(t, "null") {
			p.set("type", append(slices.Clone(t), "null"))
		}
	}
	if e, ok := p.get("enum").([]any); ok && !slices.Contains(e, nil) {
		p.set("enum", append(slices.Clone(e), nil))
	}
}

// schemaDefault is the value an editor may offer for a key: the built-in
// one, when it neither derives from nor depends on other settings.
func schemaDefault(s *setting) (any, bool) {
	if !s.leaf() || s.Derived || s.Conditions != nil || !set(s.Resolved) && (s.Fresh || isNilable(s.Field.Type)) {
		return nil, false
	}
	v := plain(s.Resolved)
	return v, v != nil
}

func isNilable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return true
	}
	return false
}

func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return "string"
}

// jsonObject is a JSON object that keeps its members in the order they were
// set, so a schema lists keys as the types declare them.
type jsonObject struct {
	keys   []string
	values map[string]any
}

func (o *jsonObject) set(k string, v any) *jsonObject {
	if o.values == nil {
		o.values = map[string]any{}
	}
	if _, ok := o.values[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.values[k] = v
	return o
}

func (o *jsonObject) get(k string) any { return o.values[k] }

// move puts member k at index i.
func (o *jsonObject) move(k string, i int) *jsonObject {
	for j, key := range o.keys {
		if key == k {
			o.keys = append(o.keys[:j], o.keys[j+1:]...)
			break
		}
	}
	o.keys = append(o.keys[:i], append([]string{k}, o.keys[i:]...)...)
	return o
}

// MarshalJSON writes the members in order.
func (o *jsonObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		for j, v := range []any{k, o.values[k]} {
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(v); err != nil {
				return nil, err
			}
			b.Truncate(b.Len() - 1) // Encode's newline
			if j == 0 {
				b.WriteByte(':')
			}
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
