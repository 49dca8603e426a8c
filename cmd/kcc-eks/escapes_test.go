package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// What STS says reaches the terminal only as text: a C1 control (CSI) or a
// bidi override in its message is shown as an escape, not obeyed. (XML
// cannot carry C0 controls such as ESC; it can carry these.)
func TestSTSMessageControlsAreShownNotObeyed(t *testing.T) {
	t.Parallel()
	sts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>`+
			"<Message>denied \u009b2J\u009b31mRED \u202eexe.txt</Message></Error><RequestId>r-1</RequestId></ErrorResponse>")
	}))
	t.Cleanup(sts.Close)
	env := append(home(t, "", ""), "AWS_ACCESS_KEY_ID="+keyID, "AWS_SECRET_ACCESS_KEY="+secretKey, "AWS_SESSION_TOKEN="+sessionToken,
		"AWS_ENDPOINT_URL="+sts.URL, "AWS_EC2_METADATA_DISABLED=true")
	r := kccEKS(t, env, "", "--cluster-name", "demo", "--region", "eu-west-1", "--role-arn", "arn:aws:iam::123456789012:role/x")
	wantOneLineError(t, r, 1, "AccessDenied", secretKey, sessionToken)
	if !strings.Contains(r.stderr, `denied \u009b2J\u009b31mRED \u202eexe.txt`) || strings.ContainsAny(r.stderr, "\u009b\u202e") {
		t.Errorf("stderr %q", r.stderr)
	}
}
