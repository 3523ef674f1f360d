package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// A fleet is several clusters described by one repository: a directory
// (clusters/ by default) with one YAML file per cluster, in the same format
// as cluster.yaml, plus an optional _fleet.yaml with what they share.
//
// One file per cluster rather than a list in one file: a change to one
// cluster is a diff of one file (reviewable, ownable through CODEOWNERS),
// two teams editing two clusters never conflict, and every problem names
// the file it is in.

// DefaultClustersDir is read, when it exists and no cluster.yaml does, as
// a fleet.
const DefaultClustersDir = "clusters"

// FleetFile is the file in a clusters directory holding the shared
// settings. Its name cannot be a cluster's: cluster names have no '_'.
const FleetFile = "_fleet.yaml"

// FleetSettings is the shape of _fleet.yaml.
type FleetSettings struct {
	// AllowedRegions lists the regions the fleet's clusters may use; a
	// cluster elsewhere is rejected. Deliberately not overridable per
	// cluster: it is a guardrail, not a default. Default: empty (any region).
	AllowedRegions []string `yaml:"allowedRegions"`

	// Defaults is laid over the built-in defaults and under every cluster
	// file: any cluster.yaml key except name (organization-wide tags, the
	// backend's bucket or organization, node pools...). Mappings merge key by
	// key, so a cluster file states only what differs; a list or a single
	// value in the cluster file replaces the shared one, and null removes
	// it. Default: none.
	Defaults Cluster `yaml:"defaults"`
}

// Repository is what one run synthesizes: one cluster (cluster.yaml or the
// built-in default), or a fleet read from a clusters directory.
type Repository struct {
	// Fleet is true when the clusters came from a directory: their stacks
	// are then named `<cluster>-infra` and `<cluster>-addons` instead of
	// `infra` and `addons`.
	Fleet bool
	// Clusters are the validated clusters, in file name order.
	Clusters []Cluster
	// Files are where each cluster came from ("" for the built-in default).
	Files []string
}

// ResolveConfig decides what to read. An explicit choice wins (the cdktf
// context key, then EKSREADY_CONFIG; either may name a file or a clusters
// directory). Otherwise ./cluster.yaml or ./clusters/, whichever exists;
// both at once is an error, since either could be the one meant, and so is
// a cluster.yaml that is a directory (or a clusters that is not). With
// neither, it returns "" (the built-in default).
func ResolveConfig(getenv func(string) string, exists, isDir func(string) bool) (string, error) {
	explicit, err := explicitPath(getenv)
	if err != nil || explicit != "" {
		return explicit, err
	}
	file, dir := exists(DefaultConfigFile), isDir(DefaultClustersDir)
	switch {
	case file && isDir(DefaultConfigFile):
		// A fleet lives in clusters/; a directory under the single-cluster
		// file's name is a mistake (a mkdir, an unpacked archive), and
		// reading it as a fleet would synthesize something nobody asked for.
		return "", fmt.Errorf("%s is a directory, not a file: a single cluster is configured in the YAML file %s, a fleet in a %s/ directory; rename or remove it, or point %s at the configuration to use", DefaultConfigFile, DefaultConfigFile, DefaultClustersDir, ConfigPathEnv)
	case !file && !dir && exists(DefaultClustersDir):
		return "", fmt.Errorf("%s is not a directory: a fleet is a directory of cluster files; rename or remove it, or point %s at the configuration to use", DefaultClustersDir, ConfigPathEnv)
	case file && dir:
		return "", fmt.Errorf("both %s and %s/ exist: remove one, or point %s at the one to use", DefaultConfigFile, DefaultClustersDir, ConfigPathEnv)
	case dir:
		return DefaultClustersDir, nil
	case file:
		return DefaultConfigFile, nil
	}
	return "", nil
}

// LoadRepository loads what ResolveConfig chose: a clusters directory as a
// fleet, a file (or "" for the built-in default) as a single cluster.
func LoadRepository(path string) (Repository, error) {
	if path != "" {
		if info, err := os.Stat(path); err == nil && info.IsDir() {
			return LoadFleet(path)
		}
	}
	// The cluster comes back with its problems, so the caller can show the
	// capacity figures behind a capacity problem.
	c, err := LoadFile(path)
	return Repository{Clusters: []Cluster{c}, Files: []string{path}}, err
}

// FileProblem is a Problem in one file of a fleet.
type FileProblem struct {
	// File is the file the problem is in, as the directory was named plus
	// the file name.
	File string
	// Problem is what is wrong, where in the file.
	Problem
}

// String renders the problem as `file: path: value rule`.
func (p FileProblem) String() string { return p.File + ": " + p.Problem.String() }

// FleetProblems is every problem found in a fleet's files, reported at
// once. Nothing is synthesized while there is one.
type FleetProblems struct {
	// Dir is the clusters directory.
	Dir string
	// Problems, in any order; Error sorts them.
	Problems []FileProblem
}

// Error lists every problem, one per line, sorted by file and path.
func (ps FleetProblems) Error() string {
	sorted := slices.Clone(ps.Problems)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].File != sorted[j].File {
			return sorted[i].File < sorted[j].File
		}
		return sorted[i].Path < sorted[j].Path
	})
	files := map[string]bool{}
	for _, p := range sorted {
		files[p.File] = true
	}
	noun := "problems"
	if len(sorted) == 1 {
		noun = "problem"
	}
	fileNoun := "files"
	if len(files) == 1 {
		fileNoun = "file"
	}
	return fmt.Sprintf("invalid fleet configuration in %s (%d %s in %d %s):\n%s", ps.Dir, len(sorted), noun, len(files), fileNoun, listProblems(sorted))
}

// fleetLoader gathers the problems of every file of one directory.
type fleetLoader struct {
	dir      string
	problems []FileProblem
	seen     map[string]bool
	ix       keyIndex
}

func (l *fleetLoader) add(file string, ps ...Problem) {
	for _, p := range ps {
		fp := FileProblem{File: file, Problem: p}
		// A shared setting's problem would otherwise repeat once per cluster.
		if key := fp.String(); !l.seen[key] {
			l.seen[key] = true
			l.problems = append(l.problems, fp)
		}
	}
}

// LoadFleet reads every cluster file of dir over the shared settings of
// dir/_fleet.yaml, validates each cluster and the fleet as a whole (unique
// cluster names, no two stacks sharing a state), and returns every problem
// of every file at once as FleetProblems.
func LoadFleet(dir string) (Repository, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return Repository{}, fmt.Errorf("reading clusters directory: %w", err)
	}
	l := &fleetLoader{dir: dir, seen: map[string]bool{}, ix: keyIndex{}}
	fleetPath := filepath.Join(dir, FleetFile)
	settings, defaults, fleetShape := l.loadSettings(fleetPath)

	var clusterFiles []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, "."):
		case e.IsDir() && strings.HasSuffix(name, ".yaml"):
			l.add(filepath.Join(dir, name), Problem{Path: "(file)", Rule: "is a directory, not a cluster file"})
		case e.IsDir() || name == FleetFile:
		case strings.HasSuffix(name, ".yml"):
			l.add(filepath.Join(dir, name), Problem{Path: "(file)", Rule: "is not read: cluster files end in .yaml"})
		case !strings.HasSuffix(name, ".yaml"):
		case strings.HasPrefix(name, "_"):
			l.add(filepath.Join(dir, name), Problem{Path: "(file)", Rule: fmt.Sprintf("is not a cluster file (cluster names cannot contain '_'), and the only shared-settings file is %s", FleetFile)})
		default:
			clusterFiles = append(clusterFiles, name)
		}
	}
	if len(clusterFiles) == 0 {
		l.add(dir, Problem{Path: "(directory)", Rule: "holds no cluster files (<cluster name>.yaml)"})
	}

	repo := Repository{Fleet: true}
	for _, name := range clusterFiles {
		path := filepath.Join(dir, name)
		fc, ok := l.loadCluster(path, strings.TrimSuffix(name, ".yaml"), defaults, fleetShape, fleetPath)
		if !ok {
			continue
		}
		region := fc.cluster.Region
		if len(settings.AllowedRegions) > 0 && regionRe.MatchString(region) && !fc.shape.covers("region") && !slices.Contains(settings.AllowedRegions, region) {
			fc.report(Problem{Path: "region", Value: region, Rule: fmt.Sprintf("is not one of the fleet's allowedRegions (%s, in %s)", strings.Join(settings.AllowedRegions, ", "), fleetPath)})
		}
		// Clusters with problems stay in for the fleet-wide checks, so
		// that one run reports everything.
		repo.Clusters = append(repo.Clusters, fc.cluster)
		repo.Files = append(repo.Files, path)
	}
	l.checkFleetWide(repo)
	l.checkBootstrap(repo)
	if len(l.problems) > 0 {
		return Repository{}, FleetProblems{Dir: dir, Problems: l.problems}
	}
	return repo, nil
}

// loadSettings reads _fleet.yaml when it exists. It returns the settings,
// the YAML of its defaults (nil when none) and its shape problems.
func (l *fleetLoader) loadSettings(path string) (FleetSettings, *yaml.Node, Problems) {
	var settings FleetSettings
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return settings, nil, nil
	}
	root, ps := l.read(path, "write allowedRegions or defaults, or remove the file")
	if root == nil {
		return settings, nil, ps
	}
	var shape collector
	checkShape(root, reflect.TypeOf(settings), "", &shape)
	l.add(path, shape.problems...)
	// Lenient, as in Load: what could not be read is already a problem.
	var lenient struct {
		AllowedRegions []string `yaml:"allowedRegions"`
	}
	decodeInto(root, reflect.ValueOf(&lenient).Elem())
	settings.AllowedRegions = lenient.AllowedRegions
	var v collector
	listed := make(map[string]bool, len(settings.AllowedRegions))
	for i, r := range settings.AllowedRegions {
		path := fmt.Sprintf("allowedRegions[%d]", i)
		switch {
		case regionProblem(r) != "":
			v.add(path, r, "%s", regionProblem(r))
		case listed[r]:
			v.add(path, r, "is listed twice")
		}
		listed[r] = true
	}
	defaults := mappingValue(root, "defaults")
	if defaults != nil && defaults.Kind == yaml.MappingNode && mappingValue(defaults, "name") != nil {
		v.missing("defaults.name", "cannot be shared: every cluster has its own name (its file name, or name: in its file)")
	}
	l.add(path, v.problems...)
	if defaults == nil || defaults.Kind != yaml.MappingNode {
		return settings, nil, shape.problems
	}
	// Without the rejected shared name, so that each cluster still gets
	// its own and the rest of the fleet can be judged.
	withoutName := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for i := 0; i+1 < len(defaults.Content); i += 2 {
		if defaults.Content[i].Value != "name" {
			withoutName.Content = append(withoutName.Content, defaults.Content[i], defaults.Content[i+1])
		}
	}
	return settings, withoutName, shape.problems
}

// fleetCluster is one cluster file being loaded.
type fleetCluster struct {
	l                  *fleetLoader
	path, fleetPath    string
	root, defaults     *yaml.Node
	nameFromFile       bool
	cluster            Cluster
	shape, sharedShape pathSet
}

// report records a problem of the merged cluster against the file that
// set the offending value: the cluster file, or _fleet.yaml when the
// shared defaults wrote more of it.
func (fc *fleetCluster) report(p Problem) {
	if fc.shape.covers(p.Path) || fc.sharedShape.covers(p.Path) {
		return
	}
	// A shared block for another backend type is the cluster's doing when
	// the cluster file chose the type.
	typeMismatch := (p.Path == "backend.s3" || p.Path == "backend.cloud") && fc.l.ix.setIn(fc.root, "backend.type")
	// A value only the shared defaults wrote, or a required one missing
	// under a block only they wrote (`backend: {type: s3}` without a
	// bucket), is theirs.
	if fc.defaults != nil && !typeMismatch && fc.l.ix.matchedIn(fc.defaults, p.Path) > fc.l.ix.matchedIn(fc.root, p.Path) {
		p.Path = "defaults." + p.Path
		fc.l.add(fc.fleetPath, p)
		return
	}
	if p.Path == "name" && fc.nameFromFile {
		p.Rule += " (the name comes from the file name; set name: in the file to choose another)"
	}
	fc.l.add(fc.path, p)
}

// loadCluster lays one cluster file over the shared defaults and the
// built-in ones, then validates the result. It returns false when the
// file could not be read as a cluster at all.
func (l *fleetLoader) loadCluster(path, stem string, defaults *yaml.Node, fleetShape Problems, fleetPath string) (*fleetCluster, bool) {
	root, _ := l.read(path, fmt.Sprintf("a cluster file states at least one setting (name: %s, for a cluster of only the shared settings), or remove the file", stem))
	if root == nil {
		return nil, false
	}
	fc := &fleetCluster{l: l, path: path, fleetPath: fleetPath, root: root, defaults: defaults}
	var shape collector
	// A null here removes what the shared defaults set (the built-in
	// default remains); anywhere else it is a mistake.
	shapeChecker{c: &shape, nullOK: func(p string) bool { return defaults != nil && l.ix.setIn(defaults, p) }}.walk(root, reflect.TypeOf(Cluster{}), "")
	l.add(path, shape.problems...)
	fc.shape = pathsOf(shape.problems)
	if root.Kind != yaml.MappingNode {
		return nil, false
	}
	for _, sp := range fleetShape {
		if rest, ok := strings.CutPrefix(sp.Path, "defaults."); ok {
			fc.sharedShape.add(rest)
		}
	}
	merged := mergeYAML(defaults, root)
	fc.nameFromFile = mappingValue(merged, "name") == nil
	if fc.nameFromFile {
		merged.Content = append(merged.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "name"},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: stem})
	}
	fc.cluster = base()
	// Lenient, as in Load: every value that could not be read has already
	// been reported with its file and line.
	decodeInto(merged, reflect.ValueOf(&fc.cluster).Elem())
	omitUnwrittenNodes(merged, &fc.cluster)
	applyDefaults(&fc.cluster)
	if err := Validate(fc.cluster); err != nil {
		for _, p := range err.(Problems) {
			fc.report(p)
		}
	}
	return fc, true
}

// checkFleetWide finds what no single file shows: two clusters with one
// name (their stacks would collide), and two stacks sharing one state.
func (l *fleetLoader) checkFleetWide(repo Repository) {
	nameOwner := map[string]string{}
	stateOwner := map[string]string{}
	for i, c := range repo.Clusters {
		file := repo.Files[i]
		if first, dup := nameOwner[c.Name]; dup {
			l.add(file, Problem{Path: "name", Value: c.Name, Rule: fmt.Sprintf("is also the name of the cluster in %s; cluster names must be unique in a fleet", first)})
			continue
		}
		nameOwner[c.Name] = file
		for _, kind := range StackKinds {
			loc := c.Backend.StateLocation(kind)
			first, dup := stateOwner[loc]
			if loc == "" || !dup {
				stateOwner[loc] = fmt.Sprintf("the %s stack of cluster %s (%s)", kind, c.Name, file)
				continue
			}
			field, value := "backend.s3.keys."+kind, ""
			if c.Backend.Type == BackendCloud {
				field, value = "backend.cloud.workspaces."+kind, c.Backend.Cloud.Workspaces.For(kind)
			} else {
				value = c.Backend.S3.Keys.For(kind)
			}
			l.add(file, Problem{Path: field, Value: value, Rule: "is also the state of " + first + "; every stack needs a state of its own"})
		}
	}
}

// read reads and parses one file of the fleet, recording its problems;
// the root is nil when the file is unusable as a whole. emptyHint says
// what to do with an empty file.
func (l *fleetLoader) read(path, emptyHint string) (*yaml.Node, Problems) {
	data, p := readConfigFile(path)
	if p != nil {
		p.Value = nil // the file is named with every fleet problem
		l.add(path, *p)
		return nil, Problems{*p}
	}
	root, ps := parseConfig(data)
	for i := range ps {
		if ps[i].Rule == emptyRule {
			ps[i].Rule = emptyPrefix + emptyHint
		}
	}
	l.add(path, ps...)
	return root, ps
}

func resolveYAML(n *yaml.Node) *yaml.Node {
	for n != nil && (n.Kind == yaml.AliasNode || n.Kind == yaml.DocumentNode) {
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		} else if len(n.Content) > 0 {
			n = n.Content[0]
		} else {
			return nil
		}
	}
	return n
}

// mergeYAML lays over on base: mappings merge key by key (recursively),
// anything else in over replaces base. Neither input is modified.
func mergeYAML(base, over *yaml.Node) *yaml.Node {
	base, over = resolveYAML(base), resolveYAML(over)
	if base == nil || base.Kind != yaml.MappingNode || over == nil || over.Kind != yaml.MappingNode {
		if over == nil {
			return base
		}
		return over
	}
	// Indexed by key, so that merging two large mappings (thousands of
	// tags) stays linear. The first of duplicate keys wins; duplicates are
	// problems of their own.
	overAt := make(map[string]*yaml.Node, len(over.Content)/2)
	for i := 0; i+1 < len(over.Content); i += 2 {
		if _, dup := overAt[over.Content[i].Value]; !dup {
			overAt[over.Content[i].Value] = over.Content[i+1]
		}
	}
	out := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: over.Line, Column: over.Column}
	inBase := make(map[string]bool, len(base.Content)/2)
	for i := 0; i+1 < len(base.Content); i += 2 {
		key, val := base.Content[i], base.Content[i+1]
		inBase[key.Value] = true
		if ov := overAt[key.Value]; ov != nil {
			val = mergeYAML(val, ov)
		}
		out.Content = append(out.Content, key, val)
	}
	for i := 0; i+1 < len(over.Content); i += 2 {
		if !inBase[over.Content[i].Value] {
			out.Content = append(out.Content, over.Content[i], over.Content[i+1])
		}
	}
	return out
}

// mappingValue returns the value of key in a mapping node, or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	n = resolveYAML(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// keyIndex finds mapping keys without scanning: a problem path is looked
// up once per YAML level instead of against every key (a file of many
// tags with a problem each would otherwise cost keys × problems).
type keyIndex map[*yaml.Node]map[string]int

// of maps a mapping's keys to the index of their first value.
func (ix keyIndex) of(n *yaml.Node) map[string]int {
	if m, ok := ix[n]; ok {
		return m
	}
	m := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		if _, dup := m[n.Content[i].Value]; !dup {
			m[n.Content[i].Value] = i + 1
		}
	}
	ix[n] = m
	return m
}

// setIn reports whether a YAML tree sets the value at a problem path
// (`backend.s3.bucket`, `nodes.gpu.instanceTypes[1]`): it or a value
// above it is written there.
func (ix keyIndex) setIn(n *yaml.Node, path string) bool {
	return ix.matchedIn(n, path) == len(path)
}

// matchedIn returns how much of a problem path a YAML tree writes: the
// whole path's length when it sets the value or one above it, else the
// length of the longest prefix it has mappings for. Map keys may contain
// dots, so every prefix of the path that ends before a '.' or '[' is
// tried as a key rather than the path split at its dots.
func (ix keyIndex) matchedIn(n *yaml.Node, path string) int {
	n = resolveYAML(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return 0
	}
	keys := ix.of(n)
	if _, ok := keys[path]; ok {
		return len(path)
	}
	best := 0
	for i := 0; i < len(path); i++ {
		if path[i] != '.' && path[i] != '[' {
			continue
		}
		vi, ok := keys[path[:i]]
		if !ok {
			continue
		}
		if path[i] == '[' {
			return len(path)
		}
		val := resolveYAML(n.Content[vi])
		if val == nil || val.Kind != yaml.MappingNode {
			return len(path)
		}
		best = max(best, i+1+ix.matchedIn(val, path[i+1:]))
	}
	return best
}
