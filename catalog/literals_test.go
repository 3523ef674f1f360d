package catalog

import (
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// kubernetesMinor matches a Kubernetes minor version standing on its own
// inside a string ("1.36", "aws-k8s-1.36/x86_64"), not a part of a longer
// version ("v1.19.5-eksbuild.1") or of an address ("10.1.10.0/24").
// The minors 1.20 to 1.49 are Kubernetes's; "1.10" is Terraform's.
var kubernetesMinor = regexp.MustCompile(`(^|[^0-9A-Za-z.])v?1\.[2-4][0-9]($|[^0-9.])`)

// chartVersionLiterals are every version the catalog pins, as a whole
// token inside a string ("1.0.0", not the "1.0.0-eksbuild.1" of an EKS
// add-on version).
func chartVersionLiterals() []*regexp.Regexp {
	seen := map[string]bool{}
	var out []*regexp.Regexp
	for _, c := range Components() {
		for _, p := range c.Pins {
			for _, v := range []string{p.Version, p.AppVersion, p.ImageTag} {
				v = strings.TrimPrefix(v, "v")
				if v == "" || seen[v] {
					continue
				}
				seen[v] = true
				out = append(out, regexp.MustCompile(`(^|[^0-9A-Za-z.])v?`+regexp.QuoteMeta(v)+`($|[^0-9A-Za-z.-])`))
			}
		}
	}
	return out
}

// Version facts live in this package only: every other Go file, tests
// included, reads them from here, so staying current is a change to one
// package. Comments may cite versions (sources, tags); string literals may
// not hold a Kubernetes minor or a pinned chart or app version. YAML
// fixtures are configuration, not Go, and may name any version.
func TestNoVersionLiteralOutsideTheCatalog(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	charts := chartVersionLiterals()
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			switch {
			case rel == ".":
				return nil
			case rel == "catalog", rel == "node_modules", rel == "cdktf.out", strings.HasPrefix(d.Name(), "."):
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		files++
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		var s scanner.Scanner
		s.Init(fset.AddFile(path, -1, len(src)), src, nil, 0)
		for {
			pos, tok, lit := s.Scan()
			if tok == token.EOF {
				break
			}
			if tok != token.STRING {
				continue
			}
			text, err := strconv.Unquote(lit)
			if err != nil {
				text = lit
			}
			where := fset.Position(pos)
			if kubernetesMinor.MatchString(text) {
				t.Errorf("%s:%d: Kubernetes version in %s; read it from package catalog", rel, where.Line, lit)
			}
			for _, re := range charts {
				if re.MatchString(text) {
					t.Errorf("%s:%d: chart version in %s; read it from package catalog", rel, where.Line, lit)
					break
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("scanned %d Go files; the walk missed the project", files)
	}
}
