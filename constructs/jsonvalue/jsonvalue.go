// Package jsonvalue renders Go values (IAM policies, add-on configuration,
// Helm values) as JSON strings for Terraform attributes.
//
// Rendering in Go, rather than through cdktf's jsonencode, puts the
// document itself in the synthesized stack, a plain JSON string with its
// keys sorted, which reviewers read in a diff, instead of a jsonencode()
// expression. Tokens (ARNs, IDs known only at plan time) survive as
// strings inside the JSON and become Terraform interpolations such as
// "${aws_iam_role.x.arn}". A value that is not a string at plan time (a
// map built by zipmap()) cannot live inside a string: use jsonencode.
package jsonvalue

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/aws/jsii-runtime-go"
)

// String renders v as compact JSON. It panics only for values that cannot
// be JSON (channels, functions): a defect in eksready, never user input.
func String(v any) *string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(normalize(v)); err != nil {
		panic(fmt.Sprintf("jsonvalue: %v", err))
	}
	return jsii.String(string(bytes.TrimRight(buf.Bytes(), "\n")))
}

// normalize dereferences *string leaves (tokens come as *string) so they
// encode as strings, not as objects.
func normalize(v any) any {
	switch t := v.(type) {
	case *string:
		if t == nil {
			return nil
		}
		return *t
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = normalize(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = normalize(x)
		}
		return out
	case []map[string]any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = normalize(x)
		}
		return out
	default:
		return v
	}
}
