// Command floor is the benchmark's floor for any Go credential helper: it
// reads the credential file and prints it, nothing else.
package main

import "os"

func main() {
	b, err := os.ReadFile(os.Args[1])
	if err != nil {
		os.Exit(1)
	}
	os.Stdout.Write(b)
}
