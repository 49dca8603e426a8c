package awserr

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// responseError is the chain the SDK builds for an error answer.
func responseError(status int, requestID string, err error) error {
	return &awshttp.ResponseError{
		ResponseError: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}},
			Err:      err,
		},
		RequestID: requestID,
	}
}

func TestMessage(t *testing.T) {
	denied := &smithy.OperationError{ServiceID: "STS", OperationName: "AssumeRole",
		Err: responseError(403, "c6104cbe", &smithy.GenericAPIError{Code: "AccessDenied", Message: "User: arn:aws:iam::1:user/dev is not authorized"})}
	refused := &smithy.OperationError{ServiceID: "EKS", OperationName: "ListClusters",
		Err: &retry.MaxAttemptsError{Attempt: 3, Err: &smithyhttp.RequestSendError{Err: errors.New(`Get "http://127.0.0.1:1/clusters": dial tcp 127.0.0.1:1: connect: connection refused`)}}}
	undecodable := &smithy.OperationError{ServiceID: "EKS", OperationName: "DescribeCluster",
		Err: responseError(500, "", &smithy.DeserializationError{Err: errors.New("failed to decode response body, EOF")})}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"API error", fmt.Errorf("could not assume role r: %w", denied),
			"could not assume role r: STS AssumeRole: AccessDenied: User: arn:aws:iam::1:user/dev is not authorized (HTTP 403, request id c6104cbe)"},
		{"send failure after retries", fmt.Errorf("profile p: %w", refused),
			`profile p: EKS ListClusters: request send failed: Get "http://127.0.0.1:1/clusters": dial tcp 127.0.0.1:1: connect: connection refused (3 attempts)`},
		{"no API error in the answer", undecodable,
			"EKS DescribeCluster: deserialization failed, failed to decode response body, EOF (HTTP 500)"},
		{"not the SDK's", errors.New("two\nlines"), "two lines"},
		{"escape sequences from the network", &smithy.OperationError{ServiceID: "EKS", OperationName: "DescribeCluster",
			Err: responseError(404, "r-2", &smithy.GenericAPIError{Code: "ResourceNotFoundException", Message: "no \x1b]2;OWNED\x07cluster \x1b[2J\u009b31m\u202edemo"})},
			`EKS DescribeCluster: ResourceNotFoundException: no \x1b]2;OWNED\x07cluster \x1b[2J\u009b31m\u202edemo (HTTP 404, request id r-2)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Message(tc.err); got != tc.want {
				t.Errorf("Message =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// TestCredentialProcessOutputHidden runs a real credential_process whose
// output is not quite valid (an Expiration that is no timestamp): the SDK's
// error quotes the output, keys and all; Message must not.
func TestCredentialProcessOutputHidden(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the command is a POSIX shell one-liner")
	}
	const secret, session = "credproc/secret+key", "credproc-session-token"
	p := processcreds.NewProvider(`printf '{"Version": 1, "AccessKeyId": "AKIDCREDPROC", "SecretAccessKey": "` + secret +
		`", "SessionToken": "` + session + `", "Expiration": 5}'`)
	_, err := p.Retrieve(context.Background())
	if err == nil {
		t.Fatal("the SDK accepted the output")
	}
	if !strings.Contains(err.Error(), secret) {
		t.Fatalf("the SDK no longer quotes the output (%v): this test proves nothing any more", err)
	}
	msg := Message(fmt.Errorf("could not get AWS credentials (profile default): %w", err))
	if strings.Contains(msg, secret) || strings.Contains(msg, session) || strings.Contains(msg, "AKIDCREDPROC") {
		t.Errorf("the message shows the process's output: %s", msg)
	}
	if want := "could not get AWS credentials (profile default): credential_process printed no valid credentials"; !strings.HasPrefix(msg, want) {
		t.Errorf("message %q, want it to start with %q", msg, want)
	}
	var pe *processcreds.ProviderError
	if errors.As(err, &pe) && errors.Unwrap(pe.Err) != nil && !strings.HasSuffix(msg, ": "+errors.Unwrap(pe.Err).Error()) {
		t.Errorf("message %q does not end with what was wrong (%v)", msg, errors.Unwrap(pe.Err))
	}
}

func TestCause(t *testing.T) {
	denied := &smithy.OperationError{ServiceID: "EKS", OperationName: "ListClusters",
		Err: responseError(403, "r-1", &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "not\nallowed"})}
	if got, want := Cause(fmt.Errorf("refresh, %w", denied)), "AccessDeniedException: not allowed (HTTP 403, request id r-1)"; got != want {
		t.Errorf("Cause = %q, want %q", got, want)
	}
	if got, want := Cause(errors.New("plain\nerror")), "plain error"; got != want {
		t.Errorf("Cause = %q, want %q", got, want)
	}
}
