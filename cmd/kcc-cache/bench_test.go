package main

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
)

// BenchmarkHit is the whole in-process cost of a cache hit: configuration,
// store choice, key, lookup, served marker and output. The process start
// around it is measured by bench/hit.sh.
func BenchmarkHit(b *testing.B) {
	dir := b.TempDir()
	b.Setenv("KUBE_CREDENTIAL_CACHE_FILE", dir+"/cache.json")
	b.Setenv("KUBE_CREDENTIAL_CACHE_BACKEND", "file")
	b.Setenv("KCC_MAIN_TEST_PLUGIN", "1")
	args := []string{os.Args[0]}
	if code := run(context.Background(), args, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
		b.Fatalf("priming call exited %d", code)
	}
	b.ResetTimer()
	for b.Loop() {
		if code := run(context.Background(), args, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
