package jsonvalue

import "testing"

func TestStringIsSortedCompactAndKeepsTokens(t *testing.T) {
	arn := "${TfToken[TOKEN.7]}"
	got := *String(map[string]any{
		"b":         1,
		"a":         []map[string]any{{"z": &arn, "y": "x&y<z>"}},
		"Condition": map[string]any{arn + ":sub": "system:serviceaccount:kube-system:aws-node"},
	})
	want := `{"Condition":{"${TfToken[TOKEN.7]}:sub":"system:serviceaccount:kube-system:aws-node"},"a":[{"y":"x&y<z>","z":"${TfToken[TOKEN.7]}"}],"b":1}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
