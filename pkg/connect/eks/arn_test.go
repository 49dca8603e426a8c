package eks

import "testing"

func TestARNParts(t *testing.T) {
	tests := []struct {
		arn                   string
		region, account, name string
		ok                    bool
	}{
		{"arn:aws:eks:us-east-1:123456789012:cluster/demo", "us-east-1", "123456789012", "demo", true},
		{"arn:aws-cn:eks:cn-north-1:1:cluster/a-b", "cn-north-1", "1", "a-b", true},
		{"arn:aws:eks:us-east-1:1:nodegroup/demo/x", "", "", "", false},
		{"arn:aws:iam::1:role/x", "", "", "", false},
		{"demo", "", "", "", false},
		{"arn:aws:eks:us-east-1:1:cluster/", "", "", "", false},
	}
	for _, tt := range tests {
		r, a, n, ok := arnParts(tt.arn)
		if r != tt.region || a != tt.account || n != tt.name || ok != tt.ok {
			t.Errorf("arnParts(%q) = %q %q %q %v", tt.arn, r, a, n, ok)
		}
	}
}
