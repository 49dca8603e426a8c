package eksauth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

const (
	keyID  = "AKIDEKSAUTHTEST"
	secret = "eksauth/test+secret"
	// signedAt is the frozen clock of the aws CLI runs.
	signedAt = "2025-03-04 05:06:07"
)

var signedTime = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

// cliToken is a token the real `aws eks get-token` made under a frozen clock
// (signedAt), with env added to a clean environment.
func cliToken(t *testing.T, env []string, args ...string) string {
	t.Helper()
	aws := testbin.Require(t, "aws")
	faketime := testbin.Require(t, "faketime")
	cmd := exec.Command(faketime, append([]string{"-f", signedAt, aws, "eks", "get-token"}, args...)...)
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "TZ=UTC",
		"AWS_ACCESS_KEY_ID=" + keyID, "AWS_SECRET_ACCESS_KEY=" + secret,
		"AWS_CONFIG_FILE=/nonexistent", "AWS_SHARED_CREDENTIALS_FILE=/nonexistent",
	}, env...)
	for _, k := range []string{"PYENV_ROOT", "PYENV_VERSION"} {
		if v, ok := os.LookupEnv(k); ok {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("aws eks get-token: %v\n%s", err, stderr.String())
	}
	var cred struct {
		Status struct{ Token string } `json:"status"`
	}
	if err := json.Unmarshal(out, &cred); err != nil || cred.Status.Token == "" {
		t.Fatalf("aws eks get-token printed no token (%v)", err)
	}
	return cred.Status.Token
}

// tokens made once by the real CLI, in parallel (each run takes ~1 s).
var (
	tokensOnce sync.Once
	tokens     map[string]string
)

func cliTokens(t *testing.T) map[string]string {
	t.Helper()
	tokensOnce.Do(func() {
		shapes := map[string][]string{
			"regional":  {"AWS_DEFAULT_REGION=eu-west-1"},
			"global":    nil,
			"session":   {"AWS_DEFAULT_REGION=us-west-2", "AWS_SESSION_TOKEN=sess/tok+en=="},
			"endpoint":  {"AWS_DEFAULT_REGION=eu-west-1", "AWS_ENDPOINT_URL_STS=http://127.0.0.1:5000"},
			"clusterid": {"AWS_DEFAULT_REGION=eu-west-1"},
		}
		var mu sync.Mutex
		var wg sync.WaitGroup
		tokens = map[string]string{}
		for name, env := range shapes {
			args := []string{"--cluster-name", "demo"}
			if name == "clusterid" {
				args = []string{"--cluster-id", "1d2a3c4b-0000-4000-8000-000000000000"}
			}
			wg.Go(func() {
				tok := cliToken(t, env, args...)
				mu.Lock()
				defer mu.Unlock()
				tokens[name] = tok
			})
		}
		wg.Wait()
	})
	if len(tokens) != 5 {
		t.Fatal("the aws CLI did not make every token")
	}
	return tokens
}

func verifier(at time.Time) *Verifier {
	return &Verifier{
		ClusterID: "demo",
		Secret:    Keys(map[string]string{keyID: secret}),
		Now:       func() time.Time { return at },
	}
}

func TestVerifiesTheCLIsTokens(t *testing.T) {
	toks := cliTokens(t)
	for _, tc := range []struct {
		shape, cluster, region, session string
		hosts                           []string
	}{
		{shape: "regional", cluster: "demo", region: "eu-west-1"},
		{shape: "global", cluster: "demo", region: "us-east-1"},
		{shape: "session", cluster: "demo", region: "us-west-2", session: "sess/tok+en=="},
		{shape: "endpoint", cluster: "demo", region: "eu-west-1", hosts: []string{"127.0.0.1:5000"}},
		{shape: "clusterid", cluster: "1d2a3c4b-0000-4000-8000-000000000000", region: "eu-west-1"},
	} {
		t.Run(tc.shape, func(t *testing.T) {
			v := verifier(signedTime.Add(Window))
			v.ClusterID, v.Hosts = tc.cluster, tc.hosts
			id, err := v.Verify(toks[tc.shape])
			if err != nil {
				t.Fatalf("the CLI's token is refused: %v", err)
			}
			want := Identity{AccessKeyID: keyID, Region: tc.region, SignedAt: signedTime, SessionToken: tc.session}
			if id != want {
				t.Errorf("identity %+v, want %+v", id, want)
			}
		})
	}
}

func TestRefuses(t *testing.T) {
	toks := cliTokens(t)
	good := toks["regional"]
	url := decode(t, good)
	for _, tc := range []struct {
		name, token, why string
		v                *Verifier
	}{
		{"wrong key", good, "signature", &Verifier{ClusterID: "demo", Secret: Keys(map[string]string{keyID: "other"}), Now: func() time.Time { return signedTime }}},
		{"unknown key", good, "unknown access key", &Verifier{ClusterID: "demo", Secret: Keys(nil), Now: func() time.Time { return signedTime }}},
		{"other cluster", good, "signature", &Verifier{ClusterID: "prod", Secret: Keys(map[string]string{keyID: secret}), Now: func() time.Time { return signedTime }}},
		{"expired", good, "expired", verifier(signedTime.Add(Window + time.Second))},
		{"future", good, "future", verifier(signedTime.Add(-6 * time.Minute))},
		{"no prefix", strings.TrimPrefix(good, Prefix), "prefix", verifier(signedTime)},
		{"padded", good + "=", "base64", verifier(signedTime)},
		{"changed date", encode(strings.Replace(url, "X-Amz-Date=20250304T050607Z", "X-Amz-Date=20250304T050608Z", 1)), "signature", verifier(signedTime)},
		{"other action", encode(strings.Replace(url, "Action=GetCallerIdentity", "Action=AssumeRole", 1)), "action", verifier(signedTime)},
		{"extra parameter", encode(url + "&Foo=bar"), "not allowed", verifier(signedTime)},
		{"duplicate parameter", encode(url + "&Action=GetCallerIdentity"), "more than once", verifier(signedTime)},
		{"http", encode(strings.Replace(url, "https://", "http://", 1)), "scheme", verifier(signedTime)},
		{"other host", encode(strings.Replace(url, "sts.eu-west-1.amazonaws.com", "sts.eu-west-1.example.com", 1)), "host", verifier(signedTime)},
		{"endpoint not allowed", toks["endpoint"], "scheme", verifier(signedTime)},
		{"unsigned header", encode(strings.Replace(url, "host%3Bx-k8s-aws-id", "host", 1)), "signed headers", verifier(signedTime)},
		{"too long", Prefix + strings.Repeat("A", maxTokenLen), "too long", verifier(signedTime)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.v.Verify(tc.token)
			if err == nil {
				t.Fatal("token accepted")
			}
			if !strings.Contains(err.Error(), tc.why) {
				t.Errorf("error %q does not say %q", err, tc.why)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error shows the secret")
			}
		})
	}
}

func TestMiddleware(t *testing.T) {
	toks := cliTokens(t)
	var refusals []error
	srv := httptest.NewServer(verifier(signedTime).Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("ok"))
	}), func(err error) { refusals = append(refusals, err) }))
	defer srv.Close()
	for _, tc := range []struct {
		auth string
		want int
	}{
		{"Bearer " + toks["regional"], http.StatusOK},
		{"Bearer " + toks["global"] + "x", http.StatusUnauthorized},
		{"", http.StatusUnauthorized},
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/version", nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
		}
	}
	if len(refusals) != 2 {
		t.Errorf("refused callback ran %d times, want 2", len(refusals))
	}
}

func decode(t *testing.T, tok string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(tok, Prefix))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func encode(url string) string { return Prefix + base64.RawURLEncoding.EncodeToString([]byte(url)) }

// TestRefusalShowsNoSecret: a refused token's error, which tests log, never
// quotes the URL: it carries the session token and the signature.
func TestRefusalShowsNoSecret(t *testing.T) {
	const session, signature = "SESSIONTOKENSECRET", "0123456789abcdef0123456789abcdef"
	for _, url := range []string{
		"https://sts.eu-west-1.amazonaws.com/%zz?Action=GetCallerIdentity&X-Amz-Security-Token=" + session + "&X-Amz-Signature=" + signature,
		"https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&X-Amz-Security-Token=" + session + "&X-Amz-Signature=" + signature + "&%zz",
		"https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&X-Amz-Security-Token=" + session + "&X-Amz-Signature=" + signature,
	} {
		_, err := verifier(signedTime).Verify(encode(url))
		if err == nil {
			t.Fatalf("%s: accepted", url)
		}
		if msg := err.Error(); strings.Contains(msg, session) || strings.Contains(msg, signature) {
			t.Errorf("the error shows the session token or the signature: %s", msg)
		}
	}
}
