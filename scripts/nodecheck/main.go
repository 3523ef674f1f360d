// Command nodecheck prints one line when the Node.js version it is given
// (as `node --version` prints it) is past its end of life, judged against
// the release table in catalog (catalog.NodeReleases) as of its review
// date, never the clock. Set-up runs it on the Node.js it finds; it always
// exits 0, since an old Node.js still works, for now.
package main

import (
	"fmt"
	"os"

	"github.com/eksready/eksready/catalog"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: nodecheck VERSION")
		return
	}
	if msg := catalog.NodeEndOfLife(os.Args[1]); msg != "" {
		fmt.Println("setup: " + msg)
	}
}
