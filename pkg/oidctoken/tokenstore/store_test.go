package tokenstore

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/filestore"
	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

func TestStoreRoundTripAndClean(t *testing.T) {
	file := filestore.NewFile(filepath.Join(t.TempDir(), "cache.json"))
	// The file store drops records past their expiry by the real clock.
	now := time.Now().UTC().Truncate(time.Second)
	s := Store{Backend: file, Now: func() time.Time { return now }}
	a := Identity{IssuerURL: "https://i.example/", ClientID: "a"}
	b := Identity{IssuerURL: "https://i.example/", ClientID: "b"}

	if _, ok, err := s.Load(a); ok || err != nil {
		t.Fatalf("empty store: found %v, err %v", ok, err)
	}
	ta := Tokens{IDToken: "id-a", RefreshToken: "rt-a", Expiry: now.Add(time.Hour)}
	if err := s.Save(a, ta); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(b, Tokens{IDToken: "id-b", Expiry: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	// kcc-cache's entry in the same store stays through clean.
	if err := file.Put(record.Record{Key: "0000000000000000000000000000000000000000000000000000000000000000", Label: "user @ server", Expires: now.Add(time.Hour), Value: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Load(a)
	if err != nil || !ok || got.IDToken != ta.IDToken || got.RefreshToken != ta.RefreshToken || !got.Expiry.Equal(ta.Expiry) {
		t.Fatalf("Load(a) = %+v, %v, %v; want %+v", got, ok, err, ta)
	}
	recs, _ := file.List()
	for _, r := range recs {
		if r.Key == a.Key() && !r.Expires.Equal(now.Add(RefreshRetention)) {
			t.Errorf("a record with a refresh token expires %s, want %s (kept for the refresh token)", r.Expires, now.Add(RefreshRetention))
		}
		if r.Key == b.Key() && !r.Expires.Equal(now.Add(time.Hour)) {
			t.Errorf("a record without a refresh token expires %s, want the id_token's expiry", r.Expires)
		}
	}
	n, err := s.Clean()
	if err != nil || n != 2 {
		t.Fatalf("Clean = %d, %v; want 2", n, err)
	}
	recs, _ = file.List()
	if len(recs) != 1 || recs[0].Label != "user @ server" {
		t.Errorf("after clean: %+v; want only kcc-cache's entry", recs)
	}
}
