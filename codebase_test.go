package main

// Checks of the code's shape that keep it changeable by someone new to it:
// functions short enough to read as a procedure, a doc comment on every
// package saying what it owns, and the layers' imports pointing only down.
// They parse the Go sources (go/parser); nothing here starts jsii.

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// maxFunctionLines is the longest function, from `func` to its closing
// brace, that config/, constructs/ and stacks/ may hold: longer ones are
// split into named steps, so the top function reads as the procedure.
const maxFunctionLines = 100

// shortFunctionTrees are where maxFunctionLines applies: the configuration
// model and the code that turns it into resources, where a change lands
// most often. Test files are not held to it: a table-driven test is a
// list of cases, read one case at a time.
var shortFunctionTrees = []string{"config", "constructs", "stacks"}

// longDeclarativeFunctions are the functions allowed over
// maxFunctionLines, by file and name, and why. Only declarative documents
// belong here: a function that builds one literal value from a few named
// parts, with no branch or loop, reads top to bottom like the JSON it
// renders, and splitting it would scatter one policy's statements.
// checkFunctionLengths holds every entry to that (and to still being
// long), so the list cannot grow into a place for procedures.
var longDeclarativeFunctions = map[string]string{
	"constructs/addons/karpenter/policy.go ControllerPolicy": "Karpenter's controller IAM policy document, statement by statement as Karpenter's reference policy lists them",
	"constructs/addons/loadbalancer/policy.go Policy":        "the AWS Load Balancer Controller's IAM policy document, statement by statement as its project publishes it",
}

func TestFunctionsStayShort(t *testing.T) {
	for _, p := range checkFunctionLengths(t, ".", shortFunctionTrees, longDeclarativeFunctions) {
		t.Error(p)
	}
}

// TestFunctionLengthCheck shows the check failing on broken copies: a
// function one line too long, an allow-listed function with a branch, and
// an allow-list entry that no longer names a long function.
func TestFunctionLengthCheck(t *testing.T) {
	body := func(lines int) string { // a func of exactly lines lines
		return "func f() {\n" + strings.Repeat("\t_ = 0\n", lines-2) + "}\n"
	}
	declarative := func(lines int, branch bool) string {
		s := "func doc() map[string]any {\n\tx := 1\n"
		if branch {
			s += "\tif x > 0 {\n\t\tx = 2\n\t}\n"
			lines -= 3
		}
		return s + "\treturn map[string]any{\n" + strings.Repeat("\t\t\"k\": x,\n", lines-5) + "\t}\n}\n"
	}
	for _, c := range []struct {
		name  string
		file  string
		allow map[string]string
		want  []string
	}{
		{"100 lines pass", body(100), nil, nil},
		{"101 lines fail", body(101), nil, []string{"tree/a.go:3: f is 101 lines, over 100: split it into named steps"}},
		{"a long declarative document on the list passes", declarative(130, false), map[string]string{"tree/a.go doc": "a policy"}, nil},
		{"a long declarative document not on the list fails", declarative(130, false), nil, []string{"tree/a.go:3: doc is 130 lines, over 100: split it into named steps"}},
		{"a listed function with a branch fails", declarative(130, true), map[string]string{"tree/a.go doc": "a policy"},
			[]string{"tree/a.go:3: doc is allowed 130 lines as a declarative document but has an if statement: split it into named steps"}},
		{"a listed function that got short fails", body(20), map[string]string{"tree/a.go f": "a policy"},
			[]string{"tree/a.go f is on the list of long declarative functions but is 20 lines: take it off the list"}},
		{"a listed function that is gone fails", body(20), map[string]string{"tree/a.go gone": "a policy"},
			[]string{"tree/a.go gone is on the list of long declarative functions but does not exist: take it off the list"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeGo(t, filepath.Join(root, "tree", "a.go"), "package tree\n\n"+c.file)
			// Test files are exempt.
			writeGo(t, filepath.Join(root, "tree", "a_test.go"), "package tree\n\n"+strings.Replace(body(150), "func f", "func g", 1))
			got := checkFunctionLengths(t, root, []string{"tree"}, c.allow)
			if !slices.Equal(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

// checkFunctionLengths lists every function of the non-test Go files
// under root's trees longer than maxFunctionLines and not allowed, every
// allowed one that is not a declarative document, and every allow-list
// entry that names no long function.
func checkFunctionLengths(t *testing.T, root string, trees []string, allow map[string]string) []string {
	t.Helper()
	var problems []string
	seen := map[string]bool{}
	for _, file := range goFiles(t, root, trees) {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, filepath.Join(root, file), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			start := fset.Position(fd.Pos()).Line
			lines := fset.Position(fd.End()).Line - start + 1
			key := file + " " + fd.Name.Name
			if _, listed := allow[key]; listed {
				seen[key] = true
				switch {
				case lines <= maxFunctionLines:
					problems = append(problems, fmt.Sprintf("%s is on the list of long declarative functions but is %d lines: take it off the list", key, lines))
				case procedural(fd) != "":
					problems = append(problems, fmt.Sprintf("%s:%d: %s is allowed %d lines as a declarative document but has %s: split it into named steps", file, start, fd.Name.Name, lines, procedural(fd)))
				}
				continue
			}
			if lines > maxFunctionLines {
				problems = append(problems, fmt.Sprintf("%s:%d: %s is %d lines, over %d: split it into named steps", file, start, fd.Name.Name, lines, maxFunctionLines))
			}
		}
	}
	for _, key := range slices.Sorted(maps.Keys(allow)) {
		if !seen[key] {
			problems = append(problems, fmt.Sprintf("%s is on the list of long declarative functions but does not exist: take it off the list", key))
		}
	}
	return problems
}

// procedural names the first thing that makes fd more than a declarative
// document ("" when it is one): a branch or loop anywhere, or a body that
// does not end by returning one composite literal.
func procedural(fd *ast.FuncDecl) string {
	found := ""
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if found != "" {
			return false
		}
		switch n.(type) {
		case *ast.IfStmt:
			found = "an if statement"
		case *ast.ForStmt, *ast.RangeStmt:
			found = "a loop"
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			found = "a switch"
		case *ast.GoStmt, *ast.DeferStmt:
			found = "a go or defer statement"
		}
		return true
	})
	if found != "" {
		return found
	}
	stmts := fd.Body.List
	if len(stmts) > 0 {
		if ret, ok := stmts[len(stmts)-1].(*ast.ReturnStmt); ok && len(ret.Results) == 1 {
			if _, ok := ret.Results[0].(*ast.CompositeLit); ok {
				return ""
			}
		}
	}
	return "no final return of one literal"
}

// TestPackagesHaveDocComments requires a doc comment on every package of
// the module, starting "Package <name>" (or "Command" for a program), so
// that `go doc` says what each one owns; the name catches a comment left
// behind by a rename.
func TestPackagesHaveDocComments(t *testing.T) {
	for _, p := range checkPackageDocs(t, ".") {
		t.Error(p)
	}
}

// TestPackageDocCheck shows the check failing on broken copies.
func TestPackageDocCheck(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"documented", map[string]string{"a/a.go": "// Package a owns a.\npackage a\n", "a/b.go": "package a\n"}, nil},
		{"a command", map[string]string{"cmd/main.go": "// Command cmd runs.\npackage main\n"}, nil},
		{"in a test file of a test-only package", map[string]string{"t/t_test.go": "// Package t tests.\npackage t\n"}, nil},
		{"missing", map[string]string{"a/a.go": "package a\n"}, []string{"a: package a has no doc comment; say what it owns"}},
		{"left behind by a rename", map[string]string{"a/a.go": "// Package old owns a.\npackage a\n"},
			[]string{`a: package a's doc comment starts "Package old owns a.", not "Package a"`}},
		{"on an external test package only", map[string]string{"a/a.go": "package a\n", "a/x_test.go": "// Package a_test.\npackage a_test\n"},
			[]string{"a: package a has no doc comment; say what it owns"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			for name, src := range c.files {
				writeGo(t, filepath.Join(root, name), src)
			}
			if got := checkPackageDocs(t, root); !slices.Equal(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

// checkPackageDocs lists the packages under root without a proper doc
// comment. External test packages (name_test) need none.
func checkPackageDocs(t *testing.T, root string) []string {
	t.Helper()
	type pkg struct{ name, doc string }
	pkgs := map[string]*pkg{}
	for _, file := range goFiles(t, root, []string{"."}) {
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(root, file), nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		name := f.Name.Name
		if strings.HasSuffix(name, "_test") {
			continue
		}
		dir := path.Dir(file)
		p := pkgs[dir]
		if p == nil {
			p = &pkg{name: name}
			pkgs[dir] = p
		}
		if f.Doc != nil && p.doc == "" {
			p.doc = strings.TrimSpace(f.Doc.Text())
		}
	}
	var problems []string
	for _, dir := range slices.Sorted(maps.Keys(pkgs)) {
		p := pkgs[dir]
		want := "Package " + p.name
		if p.name == "main" {
			want = "Command "
		}
		switch first, _, _ := strings.Cut(p.doc, "\n"); {
		case p.doc == "":
			problems = append(problems, fmt.Sprintf("%s: package %s has no doc comment; say what it owns", dir, p.name))
		case p.name == "main" && !strings.HasPrefix(p.doc, want):
			problems = append(problems, fmt.Sprintf("%s: command's doc comment starts %q, not %q", dir, first, want))
		case p.name != "main" && !strings.HasPrefix(p.doc+" ", want+" "):
			problems = append(problems, fmt.Sprintf("%s: package %s's doc comment starts %q, not %q", dir, p.name, first, want))
		}
	}
	return problems
}

// layers are the module's layers and what each may import of the module
// (a pattern ending in "/..." covers a folder and everything under it),
// as their package doc comments state: imports point down, never up.
// __tests__, tools and scripts are outside the product and may import
// any of it; nothing in the product imports them, since no layer lists
// them.
var layers = []layer{
	{".", []string{"catalog", "config/...", "report/...", "stacks"}, false},
	{"stacks", []string{"catalog", "config/...", "constructs/...", "report"}, false},
	{"constructs", []string{"catalog", "config/...", "constructs/..."}, false},
	{"report", []string{"catalog", "config/...", "report/..."}, true},
	{"config", []string{"catalog", "config/..."}, true},
	{"catalog", nil, true},
}

// layer is one layer's folder and the rules of its imports.
type layer struct {
	dir       string
	mayImport []string
	// pureGo layers import none of jsii, cdktf or the provider bindings.
	pureGo bool
}

// jsiiModules are the module paths a pure-Go layer may not import.
var jsiiModules = []string{"github.com/aws/jsii-runtime-go", "github.com/aws/constructs-go/", "github.com/hashicorp/terraform-cdk-go/", "github.com/cdktf/"}

func TestLayersImportDownward(t *testing.T) {
	for _, p := range checkLayers(t, ".", "github.com/eksready/eksready") {
		t.Error(p)
	}
}

// TestLayerCheck shows the check failing on broken copies.
func TestLayerCheck(t *testing.T) {
	const module = "example.com/m"
	imp := func(pkg, path string) string { return "package " + pkg + "\n\nimport _ \"" + path + "\"\n" }
	for _, c := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"downward", map[string]string{"stacks/s.go": imp("stacks", module+"/constructs/network"), "config/c.go": imp("config", module+"/catalog")}, nil},
		{"config imports constructs", map[string]string{"config/c.go": imp("config", module+"/constructs/network")},
			[]string{"config/c.go imports example.com/m/constructs/network: config may import only catalog, config/..."}},
		{"a construct imports stacks", map[string]string{"constructs/x/x.go": imp("x", module+"/stacks")},
			[]string{"constructs/x/x.go imports example.com/m/stacks: constructs may import only catalog, config/..., constructs/..."}},
		{"a test of catalog imports config", map[string]string{"catalog/c_test.go": imp("catalog", module+"/config")},
			[]string{"catalog/c_test.go imports example.com/m/config: catalog may import nothing of the module"}},
		{"stacks imports the readiness rules", map[string]string{"stacks/s.go": imp("stacks", module+"/report/readiness")},
			[]string{"stacks/s.go imports example.com/m/report/readiness: stacks may import only catalog, config/..., constructs/..., report"}},
		{"report imports jsii", map[string]string{"report/r.go": imp("report", "github.com/aws/jsii-runtime-go")},
			[]string{"report/r.go imports github.com/aws/jsii-runtime-go: report is pure Go, without jsii, cdktf or provider bindings"}},
		{"the product imports tools", map[string]string{"config/c.go": imp("config", module+"/tools/docgen")},
			[]string{"config/c.go imports example.com/m/tools/docgen: config may import only catalog, config/..."}},
		{"tools import anything", map[string]string{"tools/x/x.go": imp("main", module+"/stacks")}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			for name, src := range c.files {
				writeGo(t, filepath.Join(root, name), src)
			}
			if got := checkLayers(t, root, module); !slices.Equal(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

// checkLayers lists every import, in any Go file of a layer (tests
// included), that the layer may not make.
func checkLayers(t *testing.T, root, module string) []string {
	t.Helper()
	var problems []string
	for _, file := range goFiles(t, root, []string{"."}) {
		dir := path.Dir(file)
		i := slices.IndexFunc(layers, func(l layer) bool {
			return l.dir == "." && dir == "." || l.dir != "." && (dir == l.dir || strings.HasPrefix(dir, l.dir+"/"))
		})
		if i < 0 {
			continue
		}
		layer := layers[i]
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(root, file), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, spec := range f.Imports {
			imported, _ := strconv.Unquote(spec.Path.Value)
			if layer.pureGo && slices.ContainsFunc(jsiiModules, func(m string) bool { return strings.HasPrefix(imported, m) }) {
				problems = append(problems, fmt.Sprintf("%s imports %s: %s is pure Go, without jsii, cdktf or provider bindings", file, imported, layer.dir))
				continue
			}
			rel, ok := strings.CutPrefix(imported, module+"/")
			if !ok || slices.ContainsFunc(layer.mayImport, func(pattern string) bool { return matchPackage(pattern, rel) }) {
				continue
			}
			rule := "nothing of the module"
			if len(layer.mayImport) > 0 {
				rule = "only " + strings.Join(layer.mayImport, ", ")
			}
			problems = append(problems, fmt.Sprintf("%s imports %s: %s may import %s", file, imported, layerName(layer.dir), rule))
		}
	}
	return problems
}

func layerName(dir string) string {
	if dir == "." {
		return "the command"
	}
	return dir
}

// matchPackage reports whether the module-relative package path matches
// pattern: the same path, or with pattern "dir/...", dir or below it.
func matchPackage(pattern, pkg string) bool {
	if dir, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == dir || strings.HasPrefix(pkg, dir+"/")
	}
	return pkg == pattern
}

// goFiles lists the Go files under root's trees, as slash-separated paths
// relative to root, skipping what is not the module's own source: hidden
// folders (.gen holds generated bindings), node_modules, testdata and
// synth output.
func goFiles(t *testing.T, root string, trees []string) []string {
	t.Helper()
	var files []string
	for _, tree := range trees {
		err := filepath.WalkDir(filepath.Join(root, tree), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				if p != filepath.Join(root, tree) && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "testdata" || name == "cdktf.out") {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(name, ".go") {
				rel, err := filepath.Rel(root, p)
				if err != nil {
					return err
				}
				files = append(files, filepath.ToSlash(rel))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(files)
	return files
}

func writeGo(t *testing.T, file, src string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}
