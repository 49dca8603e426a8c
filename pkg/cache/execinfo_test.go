package cache

import (
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

func TestParseExecInfo(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		want    ExecInfo
		wantErr string
	}{
		{name: "unset", raw: "", want: ExecInfo{APIVersion: execcred.APIVersionV1beta1}},
		{name: "v1beta1", raw: `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false}}`, want: ExecInfo{APIVersion: execcred.APIVersionV1beta1}},
		{name: "v1 interactive", raw: `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":true}}`, want: ExecInfo{APIVersion: execcred.APIVersionV1, Interactive: true}},
		{name: "cluster info", raw: `{"apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":{"server":"https://1.2.3.4","certificate-authority-data":"LS0t","config":{"x":1}}}}`, want: ExecInfo{APIVersion: execcred.APIVersionV1, Server: "https://1.2.3.4"}},
		{name: "v1alpha1", raw: `{"apiVersion":"client.authentication.k8s.io/v1alpha1"}`, wantErr: "unsupported apiVersion"},
		{name: "garbage", raw: `{"apiVersion":`, wantErr: "not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseExecInfo(tt.raw)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestPolicy(t *testing.T) {
	now := mustTime(t, "2026-11-23T12:00:00Z")
	p := Policy{RefreshMargin: 30 * time.Second, DefaultTTL: time.Hour, NoExpiryThreshold: 24 * time.Hour}
	tests := []struct {
		name     string
		reported string
		want     string
		fresh    bool
	}{
		{"future expiry kept", "2026-11-23T12:14:00Z", "2026-11-23T12:14:00Z", true},
		{"inside margin", "2026-11-23T12:00:20Z", "2026-11-23T12:00:20Z", false},
		{"just expired stays expired", "2026-11-23T11:00:00Z", "2026-11-23T11:00:00Z", false},
		{"zero expiry gets default TTL", "", "2026-11-23T13:00:00Z", true},
		{"ancient expiry gets default TTL", "2026-11-20T00:00:00Z", "2026-11-23T13:00:00Z", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var reported = zeroOr(t, tt.reported)
			got := p.Expiry(reported, now)
			if !got.Equal(mustTime(t, tt.want)) {
				t.Errorf("Expiry = %s, want %s", got, tt.want)
			}
			if f := p.Fresh(got, now); f != tt.fresh {
				t.Errorf("Fresh = %v, want %v", f, tt.fresh)
			}
		})
	}
}
