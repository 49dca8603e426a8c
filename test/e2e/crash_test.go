//go:build unix

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestKillWritersLoop starts many kcc-cache writers at once and SIGKILLs them
// at random moments, round after round. Meanwhile a reader reads every entry
// file over and over: each must always be whole (atomic writes), and
// afterwards every identity must still work (no lock left stuck by a killed
// writer) and no entry of a writer that finished may be missing.
func TestKillWritersLoop(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, h *harness) {
		const rounds, writers = 10, 12
		user := func(i int) string { return fmt.Sprintf("victim-%s-%02d", h.id, i) }

		ctx, stopReader := context.WithCancel(context.Background())
		var reads, bad int
		var badSample []byte
		var readerDone sync.WaitGroup
		if h.backend == "file" {
			readerDone.Go(func() {
				for ctx.Err() == nil {
					ents, _ := os.ReadDir(h.entriesDir())
					for _, de := range ents {
						if strings.HasPrefix(de.Name(), ".") {
							continue // writers' temp files, the prune stamp
						}
						b, err := os.ReadFile(filepath.Join(h.entriesDir(), de.Name()))
						if err == nil {
							reads++
							if !wholeEntry(b) {
								bad++
								badSample = b
							}
						}
					}
					time.Sleep(time.Millisecond)
				}
			})
		}

		rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
		var signaled, finished int
		lived := map[string]bool{} // users of writers that finished
		// Kills land anywhere in a writer's life: the window is how long the
		// writers that were left alive took in the round before.
		window := 200 * time.Millisecond
		for round := range rounds {
			started := time.Now()
			procs := make([]*exec.Cmd, writers)
			stderrs := make([]bytes.Buffer, writers)
			took := make([]time.Duration, writers)
			var waited sync.WaitGroup
			for i := range writers {
				// The plugin sleeps a little, so that kills land before,
				// during and after the plugin run and the write.
				env := h.env(execInfo("v1beta1", ""),
					"KUBE_CREDENTIAL_CACHE_USER="+user(i),
					envSleep+"="+(time.Duration(rng.IntN(40))*time.Millisecond).String())
				cmd := exec.Command(kccBin, h.pluginArgs()...)
				cmd.Env, cmd.Dir, cmd.Stderr = env, h.dir, &stderrs[i]
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				procs[i] = cmd
				waited.Go(func() {
					_ = cmd.Wait()
					took[i] = time.Since(started)
				})
			}
			// Every other writer is a victim, killed at a random moment; the
			// others live, so that every round writes while others die.
			for i := 0; i < writers; i += 2 {
				delay := time.Duration(rng.Int64N(int64(window)))
				time.AfterFunc(delay, func() { _ = procs[i].Process.Signal(syscall.SIGKILL) })
			}
			if !waitTimeout(&waited, cmdTimeout) {
				for _, cmd := range procs {
					_ = cmd.Process.Kill()
				}
				waited.Wait()
				t.Fatalf("round %d: writers did not end within %v", round, cmdTimeout)
			}
			var longest time.Duration
			for i, cmd := range procs {
				ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
				switch {
				case ws.Signaled():
					signaled++
				case cmd.ProcessState.Success():
					finished++
					lived[user(i)] = true
				default:
					t.Errorf("round %d: writer %d exited %v:\n%s", round, i, cmd.ProcessState, stderrs[i].String())
				}
				if i%2 == 1 {
					longest = max(longest, took[i])
				}
			}
			window = max(longest, 20*time.Millisecond)
		}
		stopReader()
		readerDone.Wait()
		t.Logf("%d writers killed, %d finished, %d reads of the cache file", signaled, finished, reads)
		if signaled == 0 {
			t.Fatal("no writer was killed while running: the test did not test a crash")
		}
		if finished == 0 {
			t.Fatal("no writer finished: the test did not test writes")
		}
		if h.backend == "file" && reads == 0 {
			t.Fatal("the cache file never existed while the writers ran")
		}
		if bad > 0 {
			t.Fatalf("%d of %d reads of entry files were not whole entries, e.g. %d bytes", bad, reads, len(badSample))
		}
		if h.backend == "file" {
			for _, f := range h.entryFiles() {
				b, err := os.ReadFile(f)
				if err != nil || !wholeEntry(b) {
					t.Fatalf("entry file %s after the loop is not whole: %v", f, err)
				}
			}
		}
		entries, _ := h.list()
		listed := map[string]bool{}
		for _, e := range entries {
			listed[e.User] = true
		}
		for u := range lived {
			if !listed[u] {
				t.Errorf("the entry of %s, whose writer finished, is missing", u)
			}
		}
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

// waitTimeout waits for wg at most d and reports whether it ended.
func waitTimeout(wg *sync.WaitGroup, d time.Duration) bool {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}
