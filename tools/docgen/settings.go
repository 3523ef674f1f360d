package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/eksready/eksready/config"
)

// setting is one key of a configuration file, with everything the
// reference says about it.
type setting struct {
	// Path is the key's place, written as config.AllKeys writes it:
	// `nodes.<name>.minSize`, `access.entries[].policy`.
	Path string
	// Key is the YAML key.
	Key string
	// Field is the Go struct field the key decodes into.
	Field reflect.StructField
	// Type is the field's type without pointers.
	Type reflect.Type
	// Doc is the field's doc comment as Markdown paragraphs.
	Doc string
	// Static and Resolved are the built-in value before and after the
	// defaults that depend on other settings (config.StaticDefault and
	// config.Default), pointers kept; invalid when the enclosing value is
	// absent.
	Static, Resolved reflect.Value
	// Derived is true for a value the built-in configuration fills from
	// other settings (Static and Resolved differ).
	Derived bool
	// Conditions are the defaults it takes when another setting is changed
	// from the built-in configuration.
	Conditions []condition
	// Enum lists the values validation accepts: for the setting itself, or
	// for each item of a list or value of a map.
	Enum []any
	// KeyEnum lists the keys a map-valued setting accepts.
	KeyEnum []string
	// Children are the keys below: a struct's fields, or those of each map
	// value or list item that is a struct.
	Children []*setting
	// Shared is true for a setting holding a whole cluster configuration
	// (_fleet.yaml's defaults), whose keys are listed with cluster.yaml's.
	Shared bool
	// Fresh is true inside a list item or map value that starts from
	// nothing (no config.ElementDefault): a zero value there is no default
	// but a key to fill in.
	Fresh bool
}

// condition is a default that depends on another setting: with Selector
// set to When, the setting defaults to Value.
type condition struct {
	Selector string
	When     any
	Value    any
}

// leaf reports whether the setting has no keys below it.
func (s *setting) leaf() bool { return s.Children == nil && !s.Shared }

// walk calls f for s and every setting below it, depth first.
func walk(settings []*setting, f func(*setting)) {
	for _, s := range settings {
		f(s)
		if !s.Shared {
			walk(s.Children, f)
		}
	}
}

// builder reads the settings of one configuration file format from its Go
// types.
type builder struct {
	docs *docIndex
	// allowed and keys are the fixed value sets by path (config.AllowedValues).
	allowed map[string][]any
	keys    map[string][]string
	used    map[string]bool
	// cluster is the cluster configuration's settings, reused where a type
	// embeds a whole cluster configuration (_fleet.yaml's defaults).
	cluster []*setting
}

var clusterType = reflect.TypeFor[config.Cluster]()

// clusterSettings reads every cluster.yaml key.
func clusterSettings(docs *docIndex) ([]*setting, error) {
	b := &builder{docs: docs, allowed: config.AllowedValues(), keys: config.AllowedKeys(), used: map[string]bool{}}
	static, resolved := config.StaticDefault(), config.Default()
	settings, err := b.fields(clusterType, reflect.ValueOf(static), reflect.ValueOf(resolved), "", false)
	if err != nil {
		return nil, err
	}
	if err := b.allUsed(); err != nil {
		return nil, err
	}
	if err := addConditions(settings); err != nil {
		return nil, err
	}
	return settings, checkDocDefaults(settings)
}

// fleetSettings reads every _fleet.yaml key; its defaults are the cluster
// settings but the name, which every cluster has of its own (config.LoadFleet
// refuses a shared one).
func fleetSettings(docs *docIndex, cluster []*setting) ([]*setting, error) {
	shared := slices.DeleteFunc(slices.Clone(cluster), func(s *setting) bool { return s.Key == "name" })
	b := &builder{docs: docs, allowed: config.FleetAllowedValues(), used: map[string]bool{}, cluster: shared}
	var zero config.FleetSettings
	settings, err := b.fields(reflect.TypeOf(zero), reflect.ValueOf(zero), reflect.ValueOf(zero), "", false)
	if err != nil {
		return nil, err
	}
	if err := b.allUsed(); err != nil {
		return nil, err
	}
	return settings, checkDocDefaults(settings)
}

// fields reads the settings of a struct type's fields, with the built-in
// values static and resolved (invalid when absent).
func (b *builder) fields(t reflect.Type, static, resolved reflect.Value, path string, fresh bool) ([]*setting, error) {
	var out []*setting
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		key := yamlKey(f)
		if key == "" {
			continue
		}
		doc, err := b.docs.field(t, f)
		if err != nil {
			return nil, err
		}
		s := &setting{Path: join(path, key), Key: key, Field: f, Type: deref(f.Type), Doc: doc, Static: fieldOf(static, i), Resolved: fieldOf(resolved, i), Fresh: fresh}
		if err := b.fill(s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// fill reads what is below a setting and its value sets.
func (b *builder) fill(s *setting) error {
	var err error
	switch {
	case s.Type == clusterType && b.cluster != nil:
		s.Children, s.Shared = b.cluster, true
	case s.Type.Kind() == reflect.Struct:
		s.Children, err = b.fields(s.Type, derefValue(s.Static), derefValue(s.Resolved), s.Path, s.Fresh)
	case s.Type.Kind() == reflect.Map:
		s.KeyEnum = b.keyEnum(s.Path)
		if elem := deref(s.Type.Elem()); elem.Kind() == reflect.Struct {
			static, resolved := elementValues(s.Type.Elem(), derefValue(s.Static), derefValue(s.Resolved))
			s.Children, err = b.fields(elem, static, resolved, s.Path+".<name>", static.IsZero())
		} else {
			s.Enum = b.enum(s.Path + ".<name>")
		}
	case s.Type.Kind() == reflect.Slice:
		if elem := deref(s.Type.Elem()); elem.Kind() == reflect.Struct {
			def := derefValue(config.ElementDefault(s.Type.Elem()))
			s.Children, err = b.fields(elem, def, def, s.Path+"[]", !def.IsValid() || def.IsZero())
		} else {
			s.Enum = b.enum(s.Path + "[]")
		}
	default:
		s.Enum = b.enum(s.Path)
	}
	if s.leaf() {
		s.Derived = !reflect.DeepEqual(plain(s.Static), plain(s.Resolved))
	}
	return err
}

func (b *builder) enum(path string) []any {
	if v, ok := b.allowed[path]; ok {
		b.used[path] = true
		return v
	}
	return nil
}

func (b *builder) keyEnum(path string) []string {
	if v, ok := b.keys[path]; ok {
		b.used[path] = true
		return v
	}
	return nil
}

// allUsed refuses a value set registered under a path that names no
// setting: it would silently check nothing.
func (b *builder) allUsed() error {
	var unused []string
	for p := range b.allowed {
		if !b.used[p] {
			unused = append(unused, p)
		}
	}
	for p := range b.keys {
		if !b.used[p] {
			unused = append(unused, p)
		}
	}
	if len(unused) > 0 {
		sort.Strings(unused)
		return fmt.Errorf("config.AllowedValues/AllowedKeys name paths that are no setting (write them as config.AllKeys does): %s", strings.Join(unused, ", "))
	}
	return nil
}

// elementValues are the built-in values a map's struct values are
// described by: those a new entry starts from (config.ElementDefault) and,
// when the built-in map has an entry that starts from them too (the system
// node pool), that entry once resolved, so the defaults it derives from
// other settings show.
func elementValues(elemType reflect.Type, static, resolved reflect.Value) (reflect.Value, reflect.Value) {
	def := config.ElementDefault(elemType)
	if !static.IsValid() || static.Len() == 0 || !resolved.IsValid() || resolved.IsNil() {
		return derefValue(def), derefValue(def)
	}
	k := sortedMapKeys(static)[0]
	if r := resolved.MapIndex(k); r.IsValid() && reflect.DeepEqual(plain(static.MapIndex(k)), plain(def)) {
		return derefValue(def), derefValue(r)
	}
	return derefValue(def), derefValue(def)
}

// docIndex holds the doc comments of struct fields, read from the source of
// the packages declaring them.
type docIndex struct {
	root, module string
	// fields maps "pkgpath.Type" to its fields' doc comments by field name.
	fields map[string]map[string]string
	// defined maps "pkgpath.Type" to the type it is defined from, for
	// `type AutoModeNodePool KarpenterNodePool`.
	defined map[string]string
	loaded  map[string]bool
}

// newDocIndex reads doc comments from the module rooted at root.
func newDocIndex(root string) (*docIndex, error) {
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	m := regexp.MustCompile(`(?m)^module\s+(\S+)`).FindSubmatch(gomod)
	if m == nil {
		return nil, fmt.Errorf("%s: no module line", filepath.Join(root, "go.mod"))
	}
	return &docIndex{root: root, module: string(m[1]), fields: map[string]map[string]string{}, defined: map[string]string{}, loaded: map[string]bool{}}, nil
}

// field returns a struct field's doc comment as Markdown.
func (d *docIndex) field(t reflect.Type, f reflect.StructField) (string, error) {
	if err := d.load(t.PkgPath()); err != nil {
		return "", err
	}
	name := t.PkgPath() + "." + t.Name()
	for name != "" {
		if doc := d.fields[name][f.Name]; doc != "" {
			return markdown(doc, f.Name, t), nil
		}
		name = d.defined[name]
	}
	return "", fmt.Errorf("%s.%s (yaml key %q) has no doc comment: the configuration reference and the JSON Schema's description are generated from it", t.Name(), f.Name, yamlKey(f))
}

// load parses the non-test Go files of a package of the module.
func (d *docIndex) load(pkg string) error {
	if d.loaded[pkg] {
		return nil
	}
	d.loaded[pkg] = true
	rel, ok := strings.CutPrefix(pkg, d.module)
	if !ok {
		return fmt.Errorf("type from package %s, outside module %s: its doc comments cannot be read", pkg, d.module)
	}
	dir := filepath.Join(d.root, filepath.FromSlash(strings.TrimPrefix(rel, "/")))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.ParseComments)
		if err != nil {
			return err
		}
		for _, decl := range file.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				name := pkg + "." + ts.Name.Name
				switch st := ts.Type.(type) {
				case *ast.StructType:
					docs := map[string]string{}
					for _, fl := range st.Fields.List {
						text := fl.Doc.Text()
						if text == "" {
							text = fl.Comment.Text()
						}
						for _, n := range fl.Names {
							docs[n.Name] = text
						}
					}
					d.fields[name] = docs
				case *ast.Ident:
					d.defined[name] = pkg + "." + st.Name
				}
			}
		}
	}
	return nil
}

// camelCase matches an identifier of two or more capitalised words, which
// no English word in a comment is.
var camelCase = regexp.MustCompile(`\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b`)

// markdown turns a field's doc comment into Markdown paragraphs for a
// reader of YAML: the leading Go field name, and any other field of the same
// struct named in CamelCase, become their YAML keys.
func markdown(doc, fieldName string, t reflect.Type) string {
	keyOf := map[string]string{}
	for i := 0; i < t.NumField(); i++ {
		if k := yamlKey(t.Field(i)); k != "" {
			keyOf[t.Field(i).Name] = k
		}
	}
	var paras []string
	for _, p := range strings.Split(strings.TrimSpace(doc), "\n\n") {
		p = strings.Join(strings.Fields(p), " ")
		if rest, ok := strings.CutPrefix(p, fieldName+" "); ok {
			p = "`" + keyOf[fieldName] + "` " + rest
		}
		p = camelCase.ReplaceAllStringFunc(p, func(w string) string {
			// Its own name mid-sentence is usually the thing, not the key
			// ("NodePools are NodePools of your own").
			if k, ok := keyOf[w]; ok && w != fieldName {
				return "`" + k + "`"
			}
			return w
		})
		paras = append(paras, p)
	}
	return strings.Join(paras, "\n\n")
}

// yamlKey is a field's YAML key, or "" for a field YAML skips.
func yamlKey(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" {
		return ""
	}
	return name
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// derefValue follows pointers; a nil one gives the invalid value.
func derefValue(v reflect.Value) reflect.Value {
	for v.IsValid() && v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

// fieldOf is a struct value's field i, or the invalid value when the
// struct is absent.
func fieldOf(v reflect.Value, i int) reflect.Value {
	if !v.IsValid() {
		return v
	}
	return v.Field(i)
}

func sortedMapKeys(m reflect.Value) []reflect.Value {
	keys := m.MapKeys()
	sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
	return keys
}

// plain is a configuration value as the YAML that would write it: nil for
// an absent value, maps by YAML key for structs, and the basic kind for
// named types, so two values compare and print as a reader sees them.
func plain(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return plain(v.Elem())
	case reflect.Struct:
		m := map[string]any{}
		for i := 0; i < v.NumField(); i++ {
			if k := yamlKey(v.Type().Field(i)); k != "" {
				m[k] = plain(v.Field(i))
			}
		}
		return m
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		m := map[string]any{}
		for _, k := range v.MapKeys() {
			m[fmt.Sprint(k)] = plain(v.MapIndex(k))
		}
		return m
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = plain(v.Index(i))
		}
		return out
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int(v.Uint())
	case reflect.Float32, reflect.Float64:
		return v.Float()
	}
	return v.Interface()
}

// set reports whether a value is there: a non-nil pointer, map or list, or
// a scalar other than its zero value.
func set(v reflect.Value) bool {
	if !v.IsValid() {
		return false
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice:
		return !v.IsNil()
	}
	return !v.IsZero()
}

// literal matches a value written in a doc comment the way YAML writes it:
// a double-quoted string, a flow list, a boolean or a whole number.
var literal = regexp.MustCompile(`^(?:"(?:[^"\\]|\\.)*"|\[[^\]]*\]|true|false|-?[0-9]+)`)

// checkDocDefaults keeps doc comments honest about defaults: where a
// comment's "Default:" sentence starts with a literal value, one of the
// values it names must be the setting's actual default (built-in, derived
// or conditional), or generation fails. A sentence that is nothing but the
// value is dropped, since the reference states the default itself.
func checkDocDefaults(settings []*setting) error {
	var errs []string
	walk(settings, func(s *setting) {
		start := strings.LastIndex(s.Doc, "Default: ")
		// A section's "Default:" describes the keys below it, which are
		// checked one by one.
		if !s.leaf() || start < 0 || (start > 0 && !strings.ContainsAny(s.Doc[max(0, start-2):start], ".\n")) {
			return
		}
		sentence := s.Doc[start+len("Default: "):]
		end := strings.Index(sentence, ". ")
		if end < 0 {
			end = len(strings.TrimSuffix(sentence, "."))
		}
		sentence = sentence[:end]
		if !literal.MatchString(sentence) {
			return
		}
		known := []any{plain(s.Resolved), plain(s.Static)}
		for _, c := range s.Conditions {
			known = append(known, c.Value)
		}
		if !s.Resolved.IsValid() {
			// Under a block the built-in configuration leaves out
			// (backend.s3), a key the block leaves out is its zero value.
			known = append(known, plain(reflect.Zero(s.Field.Type)))
		}
		if !slices.ContainsFunc(literals(sentence), func(v any) bool { return containsValue(known, v) }) {
			errs = append(errs, fmt.Sprintf("%s: its doc comment says %q, but the default is %s", s.Path, "Default: "+sentence, defaultText(s)))
			return
		}
		if literal.FindString(sentence) == sentence && strings.TrimSuffix(s.Doc[start:], ".") == "Default: "+sentence {
			s.Doc = strings.TrimSpace(s.Doc[:start])
		}
	})
	// A closing "Default: none." says what the reference says already.
	walk(settings, func(s *setting) {
		for _, none := range []string{"Default: none.", "Default: unset."} {
			if before, ok := strings.CutSuffix(s.Doc, " "+none); ok && defaultText(s) == "none" {
				s.Doc = before
			}
		}
	})
	if len(errs) > 0 {
		return fmt.Errorf("doc comments disagree with the defaults in config/defaults.go (fix the comment, or the default):\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// literals are the values a "Default:" sentence names.
func literals(sentence string) []any {
	var out []any
	for rest := sentence; rest != ""; {
		if m := literal.FindString(rest); m != "" {
			var v any
			if yaml.Unmarshal([]byte(m), &v) == nil {
				out = append(out, v)
			}
			rest = rest[len(m):]
			continue
		}
		// Skip to the next word (or quote, or bracket).
		i := strings.IndexAny(rest[1:], " \"[(")
		if i < 0 {
			break
		}
		rest = strings.TrimLeft(rest[i+1:], " (")
	}
	return out
}

func containsValue(xs []any, v any) bool {
	for _, x := range xs {
		if reflect.DeepEqual(x, v) {
			return true
		}
	}
	return false
}
