package readiness

// AutoModeReason says why an EKS Auto Mode cluster satisfies a rule by
// construction, for the rules it does (they are not checked there), so the
// generated rules page can say so.
func AutoModeReason(id string) (reason string, ok bool) {
	reason, ok = autoModeReasons[id]
	return reason, ok
}
