// k6 with golive's output built in: the same k6 (go.k6.io/k6 at the version go.mod pins), plus
// `--out golive=FILE`, which writes only the samples golive reads (output.go). Built by
// scripts/install-go-tools.mjs into .tools/bin/k6.
package main

import "go.k6.io/k6/cmd"

func main() {
	cmd.Execute()
}
