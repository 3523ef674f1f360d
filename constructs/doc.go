// Package constructs holds no code: it is the layer of eksready's CDKTF
// constructs, one subpackage per concern (network, cluster, nodes, access,
// identity, kms, ...) and, under addons/, one per in-cluster add-on. This
// comment states the rules every subpackage follows.
//
// A construct owns the resources of one concern and how they are wired
// together. Its constructor is NewX(scope, id, cfg XConfig) *X (New for an
// add-on) with a plain Go configuration type, and it hands other
// constructs what they need as exported named fields, never an embedded
// jsii interface.
//
// A construct may import catalog (versions), config (the configuration
// model's types and what it derives), other constructs and the CDKTF
// bindings; never stacks, report or the command. It reads no cluster.yaml,
// sets no default of a user's setting (config/defaults.go does) and pins
// no version (catalog does). Its input is already validated: it checks
// only its own preconditions, before any jsii call, and a broken one is a
// defect in eksready, never a user's error message. Which construct goes
// in which stack, in what order, is package stacks's decision.
package constructs
