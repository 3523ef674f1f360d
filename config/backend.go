package config

// Backend is where Terraform keeps state.
type Backend struct {
	// Type is "local": state files next to each synthesized stack, at paths
	// that are the same on every machine. Default: "local".
	Type string `yaml:"type"`
}
