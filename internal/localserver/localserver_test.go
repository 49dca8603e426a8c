package localserver

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestWaitReady(t *testing.T) {
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer ok.Close()
	if err := WaitReady("ok", ok.URL, nil, 5*time.Second); err != nil {
		t.Fatalf("WaitReady on a server that answers: %v", err)
	}
	exited := make(chan error, 1)
	exited <- errors.New("exit status 3")
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := WaitReady("gone", url, exited, 5*time.Second); err == nil || !strings.Contains(err.Error(), "gone exited before answering: exit status 3") {
		t.Fatalf("WaitReady after an exit = %v", err)
	}
	if err := WaitReady("silent", url, nil, 200*time.Millisecond); err == nil || !strings.Contains(err.Error(), "silent did not answer") {
		t.Fatalf("WaitReady on nothing = %v", err)
	}
}
