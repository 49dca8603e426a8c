//go:build unix

package e2e

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestKillWritersLoop starts many kcc-cache writers at once and SIGKILLs them
// at random moments, round after round. Meanwhile a reader parses the cache
// file over and over: it must always be one whole JSON document (atomic
// writes), and afterwards every identity must still work (no lock left
// stuck by a killed writer).
func TestKillWritersLoop(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, h *harness) {
		const rounds, writers = 12, 12
		user := func(i int) string { return fmt.Sprintf("victim-%s-%02d", h.id, i) }

		ctx, stopReader := context.WithCancel(context.Background())
		var reads, bad int
		var badSample []byte
		var readerDone sync.WaitGroup
		if h.backend == "file" {
			readerDone.Go(func() {
				for ctx.Err() == nil {
					b, err := os.ReadFile(h.cacheFile)
					if err == nil {
						reads++
						if !validJSON(b) {
							bad++
							badSample = b
						}
					}
					time.Sleep(time.Millisecond)
				}
			})
		}

		rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
		var killed atomic.Int32
		for round := range rounds {
			var procs []*exec.Cmd
			for i := range writers {
				// The plugin sleeps a little, so that kills land before,
				// during and after the plugin run and the write.
				env := h.env(execInfo("v1beta1", ""),
					"KUBE_CREDENTIAL_CACHE_USER="+user(i),
					envSleep+"="+(time.Duration(rng.IntN(40))*time.Millisecond).String())
				cmd := exec.Command(kccBin, h.pluginArgs()...)
				cmd.Env, cmd.Dir = env, h.dir
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				procs = append(procs, cmd)
			}
			var wg sync.WaitGroup
			for _, cmd := range procs {
				delay := time.Duration(rng.IntN(120)) * time.Millisecond
				wg.Go(func() {
					time.Sleep(delay)
					if cmd.Process.Signal(syscall.SIGKILL) == nil {
						killed.Add(1)
					}
				})
			}
			wg.Wait()
			for _, cmd := range procs {
				waitBounded(t, cmd, fmt.Sprintf("round %d", round))
			}
		}
		stopReader()
		readerDone.Wait()
		t.Logf("%d SIGKILLs sent, %d reads of the cache file", killed.Load(), reads)
		if bad > 0 {
			t.Fatalf("%d of %d reads of the cache file were not JSON, e.g.:\n%q", bad, reads, badSample)
		}
		if h.backend == "file" {
			b, err := os.ReadFile(h.cacheFile)
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			if err == nil && !validJSON(b) {
				t.Fatalf("cache file after the loop is not JSON:\n%q", b)
			}
		}
		h.list()
		for i := range writers {
			r := h.kcc("v1beta1", "", []string{"KUBE_CREDENTIAL_CACHE_USER=" + user(i), "KUBE_CREDENTIAL_CACHE_LOCK_TIMEOUT=10s"}, h.pluginArgs()...)
			if r.code != 0 || r.stderr != "" {
				t.Errorf("%s after the kill loop:\n%v", user(i), r)
				continue
			}
			if _, err := decodeCredential([]byte(r.stdout), "v1beta1"); err != nil {
				t.Errorf("%s after the kill loop: %v", user(i), err)
			}
		}
	})
}

// waitBounded waits for a started process, killing it if it outlives
// cmdTimeout.
func waitBounded(t *testing.T, cmd *exec.Cmd, what string) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(cmdTimeout):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("%s: a kcc-cache writer did not end within %v", what, cmdTimeout)
	}
}
