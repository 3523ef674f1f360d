package main

// The hand-written parts of docs/configuration.md: how to read it, what the
// JSON Schema checks and what only the loader does. Everything about a
// single setting comes from the code.

const configurationIntro = `
# Configuration reference

Every key of ` + "`cluster.yaml`" + `, of a fleet's cluster files and of a fleet's
` + "`_fleet.yaml`" + `: its type, its default, the values it accepts and what it
does. This page is generated from the ` + "`config`" + ` package: descriptions are
the doc comments of its types, defaults come from the built-in
configuration, and allowed values from the very lists validation checks
against. [` + "`cluster.example.yaml`" + `](../cluster.example.yaml) writes every key
with its default.

## Reading this page

- ` + "`nodes.<name>.minSize`" + ` stands for the key in every entry of a mapping of
  names (here, each node pool); ` + "`access.entries[].policy`" + ` for the key in
  every item of a list.
- **Default** is what a file that leaves the key out gets. Some defaults
  depend on other settings: the page then gives the built-in
  configuration's value and says so, and a "With" line gives the default a
  key takes when another key is changed (found by loading such a file, not
  restated by hand).
- A mapping in a file is laid over the default one key by key; a list or a
  single value replaces the default. A new entry in a mapping of names (a
  node pool, a NodePool) starts from the defaults listed under it, so it
  states only what differs.
- An unknown or misspelt key, a key given twice, a value of the wrong type
  and a null are errors. The loader reports every problem at once, each with
  its path and line, and nothing is written until the file is valid.

## Editor support: the JSON Schema

` + "`docs/schema/`" + ` holds JSON Schemas generated with this page:

| schema | describes |
|---|---|
| [` + "`cluster.schema.json`" + `](schema/cluster.schema.json) | ` + "`cluster.yaml`" + ` (and ` + "`cluster.example.yaml`" + `) |
| [` + "`fleet-cluster.schema.json`" + `](schema/fleet-cluster.schema.json) | each cluster file of a fleet (` + "`clusters/<name>.yaml`" + `) |
| [` + "`fleet.schema.json`" + `](schema/fleet.schema.json) | a fleet's shared settings (` + "`clusters/_fleet.yaml`" + `) |

Editors that use yaml-language-server (Red Hat's YAML extension for VS
Code, and the YAML language server in Neovim, Helix, Zed and others)
complete keys and values, show these descriptions on hover and mark
mistakes as you type. ` + "`cluster.example.yaml`" + ` starts with the line that
points it at the schema; keep it when you copy the file to
` + "`cluster.yaml`" + ` in the same directory:

` + "```yaml" + `
# yaml-language-server: $schema=docs/schema/cluster.schema.json
` + "```" + `

The path is relative to the YAML file. In a fleet, start each cluster file
in ` + "`clusters/`" + ` with
` + "`# yaml-language-server: $schema=../docs/schema/fleet-cluster.schema.json`" + `
and ` + "`_fleet.yaml`" + ` with
` + "`# yaml-language-server: $schema=../docs/schema/fleet.schema.json`" + `.

The schemas are JSON Schema draft-07: the newest draft every release of
yaml-language-server validates with (drafts 2019-09 and 2020-12 arrived in
its 1.20.0), and nothing here needs a newer one.

## What the schema checks, and what only the loader checks

The schema checks each value on its own: that its key exists (no unknown
or misspelt keys), that it has the right type (mapping, list, string, whole
number, boolean), and that a value with a fixed set of choices is one of
them. Those choices are the lists the loader checks against (regions,
Kubernetes versions, modes, readiness rule IDs, managed add-on names, …),
and a test sets every one of them, and a value outside them, through both,
so the two cannot disagree.

Everything else only the loader checks, on every synth:

- **Rules across settings.** A key that applies only with another's value
  (` + "`compute.autoMode`" + ` only with ` + "`compute.mode: auto-mode`" + `, ` + "`backend.s3`" + ` only
  with ` + "`backend.type: s3`" + `, ` + "`network.podNetworking.customNetworking`" + ` only in
  its mode, node-group settings not in Auto Mode), values required by
  another (` + "`backend.s3.bucket`" + ` with type s3, a NodePool with Karpenter),
  ` + "`minSize`" + ` ≤ ` + "`desiredSize`" + ` ≤ ` + "`maxSize`" + `, and settings that contradict each other.
  The schema has no rule that depends on another key's value.
- **Formats and ranges.** CIDR blocks (their sizes, host bits and
  overlaps), ARNs (and their partition against the region), names
  (cluster, pool, NodePool, bucket, workspace), IDs (VPC, subnet, hosted
  zone), durations, instance types, the region's availability zones, and
  numeric ranges (volume sizes, IOPS and throughput, retention windows,
  hop limits, limits).
- **Capacity.** The IP capacity plan at every pool's maximum size (subnet
  sizes, prefixes, pods per node), and room for pods beside the DaemonSets
  every node runs.
- **AWS limits and quotas.** Tags per resource and the characters tags
  take, reserved tag keys, labels and taints on node groups, node group name
  lengths, public endpoint CIDRs, nodes per cluster.
- **The version catalog.** Whether software has a release pinned for the
  cluster's Kubernetes version.
- **The file itself.** An explicit null, a second YAML document in the
  file, a file over 1 MB, aliases that expand too far.

Where the two differ on purpose:

- The schema follows YAML 1.2 and JSON's types: a text setting must be a
  string and a switch ` + "`true`" + ` or ` + "`false`" + `. The loader, like the YAML library
  it uses, also reads an unquoted number as its text (a Kubernetes version
  written without quotes, ` + "`generations: [1]`" + `) and the YAML 1.1 words
  ` + "`yes`" + `, ` + "`no`" + `, ` + "`on`" + ` and ` + "`off`" + ` as booleans. Quote versions and generations, as
  ` + "`cluster.example.yaml`" + ` does, and write ` + "`true`" + ` and ` + "`false`" + `: the editor
  flags the rest.
- A section heading with nothing under it (` + "`public:`" + ` followed only by
  comments, as in ` + "`cluster.example.yaml`" + `) is an empty mapping to the loader.
  In JSON it is null, so the schema accepts null for every mapping; an
  explicit ` + "`null`" + ` or ` + "`~`" + ` there is still refused by the loader.
- A whole number written with a decimal point (` + "`7.0`" + `) passes the schema
  (JSON Schema counts it as an integer) and is refused by the loader.

## Fleets

A fleet is a directory (` + "`clusters/`" + `) of cluster files, one per cluster, with
an optional ` + "`_fleet.yaml`" + ` of shared settings ([below](#fleet-settings-_fleetyaml)).

- A cluster file has the format of ` + "`cluster.yaml`" + `, and
  ` + "`fleet-cluster.schema.json`" + ` is ` + "`cluster.schema.json`" + ` with one difference: any
  key may be null. In a cluster file, null removes what ` + "`_fleet.yaml`" + `'s
  defaults set for the key, and the built-in default applies again. The
  schema cannot see ` + "`_fleet.yaml`" + `, so it accepts null anywhere; the loader
  refuses a null where the shared defaults set nothing.
- A cluster file's ` + "`name`" + ` defaults to its file name.
- ` + "`fleet.schema.json`" + ` describes ` + "`_fleet.yaml`" + `: ` + "`allowedRegions`" + `, and ` + "`defaults`" + `,
  which takes every cluster setting but ` + "`name`" + ` (every cluster has its own;
  the schema and the loader both refuse a shared one).
- A cluster file's mappings merge with the shared defaults key by key; a
  list or single value replaces the shared one. The schema checks each file
  on its own: the merged cluster, and the fleet as a whole (unique names, no
  two stacks sharing a state, ` + "`allowedRegions`" + `), only the loader.

## Anchors, aliases and merge keys

The loader and yaml-language-server both follow aliases (` + "`*name`" + `) and
expand merge keys (` + "`<<: *anchor`" + `, ` + "`<<: [*a, *b]`" + `) before they check a
mapping, so a merged mapping is checked as if its keys were written out.
Which value wins when a key is both written and merged the loader decides
as YAML's merge key type defines it: the key written in the mapping, then
the merged mappings in order. A key written twice in the mapping itself is
still an error. The loader also refuses a merge key whose value is not a
mapping or a list of mappings, and a file whose aliases stand for more than
1,000,000 values.
`

const fleetIntro = `
## Fleet settings (` + "`_fleet.yaml`" + `)

The shared settings of a fleet's clusters, in ` + "`clusters/_fleet.yaml`" + `.
`

const configurationOutro = `
## Changing this page

This page, the schemas in ` + "`docs/schema/`" + ` and [the readiness rules](readiness.md)
are written by ` + "`make docs`" + ` (` + "`go run ./tools/docgen`" + `); ` + "`go test ./tools/docgen`" + `
fails while any of them is stale. For a new setting to appear here and in
the schema, correctly:

1. Add the field with its ` + "`yaml`" + ` tag and a doc comment. The comment is the
   description; it starts with the Go field name, which becomes the key.
2. Give it its default in ` + "`config/defaults.go`" + ` (in ` + "`base()`" + `, or in
   ` + "`applyDefaults`" + ` when it depends on other settings; a new node-pool-like
   element type gets its defaults through ` + "`elementDefaults`" + `). The page and the
   schema read the default from there; a literal default in the comment
   must agree with it (a test checks).
3. If it takes one of a fixed set of values, declare the list, validate
   against it, and add it to ` + "`config.AllowedValues`" + ` (keys of a mapping:
   ` + "`config.AllowedKeys`" + `).
4. Add it to ` + "`cluster.example.yaml`" + `, then run ` + "`make docs`" + `.
`
