package eks

import "strings"

// arnParts returns the region and account of an EKS cluster ARN
// (arn:PARTITION:eks:REGION:ACCOUNT:cluster/NAME); ok is false for
// anything else.
func arnParts(arn string) (region, account, name string, ok bool) {
	f := strings.SplitN(arn, ":", 6)
	if len(f) != 6 || f[0] != "arn" || f[2] != "eks" || f[3] == "" || !strings.HasPrefix(f[5], "cluster/") {
		return "", "", "", false
	}
	name = strings.TrimPrefix(f[5], "cluster/")
	if name == "" || strings.Contains(name, "/") {
		return "", "", "", false
	}
	return f[3], f[4], name, true
}

// IsARN reports whether s is an EKS cluster ARN.
func IsARN(s string) bool {
	_, _, _, ok := arnParts(s)
	return ok
}

// RegionOf is the region of an EKS cluster ARN, "" for anything else.
func RegionOf(arn string) string {
	r, _, _, _ := arnParts(arn)
	return r
}
