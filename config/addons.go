package config

// Software is the in-cluster software that the `addons` stack installs.
type Software struct {
	// MetricsServer installs metrics-server (resource metrics for
	// `kubectl top` and the Horizontal Pod Autoscaler). Default: enabled.
	MetricsServer Toggle `yaml:"metricsServer"`
}

// Toggle switches one piece of software on or off.
type Toggle struct {
	// Enabled installs the software when true.
	Enabled *bool `yaml:"enabled"`
}

// On reports whether the toggle is enabled (unset counts as off: defaults
// have already been applied by the time anything asks).
func (t Toggle) On() bool { return t.Enabled != nil && *t.Enabled }
