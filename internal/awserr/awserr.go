// Package awserr turns the AWS SDK's errors into the one readable line a
// command prints: "STS AssumeRole: AccessDenied: ... (HTTP 403, request id
// ...)" instead of "operation error STS: AssumeRole, https response error
// StatusCode: 403, RequestID: ..., api error AccessDenied: ...", without
// what credential_process printed, which the SDK quotes whole (keys
// included) when it is not valid JSON, and with control characters made
// visible (internal/termtext).
package awserr

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/IvMisticos/kube-credential-cache/internal/termtext"
)

// Message is err's text on one line, with each AWS SDK error in it
// rewritten (see the package comment). The wrapping context of err (its
// "could not ...: " prefixes) is kept as it is.
func Message(err error) string {
	s := err.Error()
	for _, r := range rewrites(err) {
		s = strings.Replace(s, r.old, r.new, 1)
	}
	// aws.CredentialsCache's wrapping says nothing the caller's does not.
	s = strings.Replace(s, refreshFailed, "", 1)
	return oneLine(s)
}

// Cause is Message for a caller that names the operation itself: for an
// error of an AWS operation, only its cause and notes ("AccessDenied: ...
// (HTTP 403, request id x)"), without the operation or what wraps it.
func Cause(err error) string {
	var op *smithy.OperationError
	if errors.As(err, &op) {
		return oneLine(cause(op))
	}
	return Message(err)
}

// oneLine is s on one line with nothing a terminal would act on: AWS's
// messages (and what else an error quotes) come from the network.
func oneLine(s string) string { return termtext.Clean(strings.Join(strings.Fields(s), " ")) }

const refreshFailed = "failed to refresh cached credentials, "

type rewrite struct{ old, new string }

// rewrites are the texts of the SDK errors in err's chain and what to show
// instead. The chain is followed through every wrapped error, so that an
// operation error inside a credential provider's error inside ours is
// found.
func rewrites(err error) []rewrite {
	var out []rewrite
	var pe *processcreds.ProviderError
	if errors.As(err, &pe) {
		out = append(out, rewrite{pe.Error(), processMessage(pe)})
	}
	var op *smithy.OperationError
	if errors.As(err, &op) {
		out = append(out, rewrite{op.Error(), operation(op)})
	}
	return out
}

// parseFailed starts processcreds' error for output that is no credentials
// JSON: "parse failed of process output: OUTPUT, error: ERR".
const parseFailed = "parse failed of process output: "

// processMessage is a credential_process error without the process's
// output.
func processMessage(pe *processcreds.ProviderError) string {
	msg := pe.Err.Error()
	if !strings.HasPrefix(msg, parseFailed) {
		return "credential_process: " + msg
	}
	cause := "not valid JSON"
	if inner := errors.Unwrap(pe.Err); inner != nil {
		cause = inner.Error()
	} else if i := strings.LastIndex(msg, ", error: "); i >= 0 {
		cause = msg[i+len(", error: "):]
	}
	return "credential_process printed no valid credentials (output not shown: it may hold keys): " + cause
}

// operation is "SERVICE OPERATION: CAUSE".
func operation(op *smithy.OperationError) string {
	return op.Service() + " " + op.Operation() + ": " + cause(op)
}

// cause is what went wrong in op and the notes that help to look into it:
// "CODE: MESSAGE (HTTP n, request id x, n attempts)".
func cause(op *smithy.OperationError) string {
	var api smithy.APIError
	var send *smithyhttp.RequestSendError
	var resp *awshttp.ResponseError
	var max *retry.MaxAttemptsError
	hasResp := errors.As(op.Err, &resp) && resp.ResponseError != nil && resp.Response != nil
	var msg string
	switch {
	case errors.As(op.Err, &api):
		msg = api.ErrorCode()
		if m := api.ErrorMessage(); m != "" {
			msg += ": " + m
		}
	case errors.As(op.Err, &send):
		msg = "request send failed: " + fmt.Sprint(send.Err)
	case hasResp:
		msg = fmt.Sprint(resp.Err)
	case errors.As(op.Err, &max):
		msg = fmt.Sprint(max.Err)
	default:
		msg = op.Err.Error()
	}
	var notes []string
	if hasResp {
		if code := resp.HTTPStatusCode(); code != 0 {
			notes = append(notes, fmt.Sprintf("HTTP %d", code))
		}
		if resp.RequestID != "" {
			notes = append(notes, "request id "+resp.RequestID)
		}
	}
	if errors.As(op.Err, &max) {
		notes = append(notes, fmt.Sprintf("%d attempts", max.Attempt))
	}
	if len(notes) > 0 {
		msg += " (" + strings.Join(notes, ", ") + ")"
	}
	return msg
}
