package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestUserAgentCarriesAppID: every request kcc-connect makes to AWS, the
// role profile's AssumeRole included, carries the application id
// kcc-connect/VERSION in its User-Agent, as seen on the wire by a server
// standing in for AWS (AWS_ENDPOINT_URL), so AWS-side logs (CloudTrail's
// userAgent) tell it apart. The SDK writes it app/kcc-connect-VERSION: "/"
// is not a User-Agent token character.
func TestUserAgentCarriesAppID(t *testing.T) {
	dir := isolateAWS(t)
	withVersion(t, "v1.2.3")
	var mu sync.Mutex
	agents := map[string]string{} // "METHOD path" -> User-Agent
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[r.Method+" "+r.URL.Path] = r.Header.Get("User-Agent")
		mu.Unlock()
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/":
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprint(w, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>`+
				`<AccessKeyId>ASIAUSERAGENT</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey><SessionToken>role-session</SessionToken>`+
				`<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/viewer/s</Arn>`+
				`<AssumedRoleId>AROAUSERAGENT:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></AssumeRoleResponse>`)
		case r.URL.Path == "/clusters":
			fmt.Fprint(w, `{"clusters":["demo"]}`)
		case r.URL.Path == "/clusters/demo":
			fmt.Fprint(w, `{"cluster":{"name":"demo","arn":"arn:aws:eks:us-east-1:111122223333:cluster/demo","endpoint":"https://demo.example",`+
				`"status":"ACTIVE","version":"1.32","certificateAuthority":{"data":"Q0E="}}}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	cfg := "[profile base]\naws_access_key_id = AKIDUSERAGENT\naws_secret_access_key = base-secret\n\n" +
		"[profile viewer]\nrole_arn = arn:aws:iam::111122223333:role/viewer\nsource_profile = base\nregion = us-east-1\n"
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ENDPOINT_URL", srv.URL)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")

	code, stdout, stderr := runCmd(t, "discover", "--profile", "viewer", "--no-version-check", "-o", "json")
	if code != 0 || !strings.Contains(stdout, "arn:aws:eks:us-east-1:111122223333:cluster/demo") {
		t.Fatalf("discover: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, req := range []string{"POST /", "GET /clusters", "GET /clusters/demo"} {
		ua, ok := agents[req]
		switch {
		case !ok:
			t.Errorf("no %s request reached the server (saw %v)", req, agents)
		case !strings.Contains(" "+ua+" ", " app/kcc-connect-1.2.3 "):
			t.Errorf("%s: User-Agent %q lacks app/kcc-connect-1.2.3", req, ua)
		}
	}
}
