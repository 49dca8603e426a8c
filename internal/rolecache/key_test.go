package rolecache

import "testing"

// TestKeyMatchesBotocore: the keys are those botocore 1.43's
// _create_cache_key gives for the same arguments (computed with it), so
// both find the same file.
func TestKeyMatchesBotocore(t *testing.T) {
	const admin = "arn:aws:iam::123456789012:role/admin"
	for _, tc := range []struct {
		p    Params
		want string
	}{
		{Params{RoleARN: admin}, "85df843ebbf3964c64e26d66d796d302b1a7a5ff"},
		{Params{RoleARN: admin, ExternalID: "ex1"}, "eeb0b12c4c3e32faa08c5954c8668e7f3454241f"},
		{Params{RoleARN: admin, MFASerial: "arn:aws:iam::123456789012:mfa/alice", DurationSeconds: 1800}, "b3372e73dc00c7f23b367e8f4f7b1e1693afd229"},
		{Params{RoleARN: admin, RoleSessionName: "EKSGetTokenAuth", ExternalID: "é\"\\\n\x01<&>😀"}, "1cf33cc9318e7ad7a79707c2e290ef3ed72cef8f"},
		{Params{RoleARN: "arn:aws:iam::1:role/a", SourceIdentity: "alice"}, "ab4505a1c4d995349880a03acd313e262f753c98"},
	} {
		if got := Key(tc.p); got != tc.want {
			t.Errorf("Key(%+v) = %s, want %s", tc.p, got, tc.want)
		}
	}
}

// TestKeyChangesWithEachParam: a session of another role, session name,
// external id, MFA device, source identity or duration has another key.
func TestKeyChangesWithEachParam(t *testing.T) {
	base := Params{RoleARN: "arn:aws:iam::1:role/a", RoleSessionName: "s", ExternalID: "e", MFASerial: "m", SourceIdentity: "i", DurationSeconds: 3600}
	for name, change := range map[string]func(*Params){
		"role":            func(p *Params) { p.RoleARN += "x" },
		"session name":    func(p *Params) { p.RoleSessionName += "x" },
		"external id":     func(p *Params) { p.ExternalID += "x" },
		"MFA serial":      func(p *Params) { p.MFASerial += "x" },
		"source identity": func(p *Params) { p.SourceIdentity += "x" },
		"caller key id":   func(p *Params) { p.CallerKeyID += "x" },
		"duration":        func(p *Params) { p.DurationSeconds++ },
	} {
		p := base
		change(&p)
		if Key(p) == Key(base) {
			t.Errorf("another %s has the same key", name)
		}
	}
}
