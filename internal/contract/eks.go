package contract

// kcc-eks's flags (given as --name value). kcc-eks also takes them the way
// eks-auth and Go's flag package do (-name, -name=value) and --role for
// --role-arn; the builder writes only the form above.
const (
	EKSClusterName = "cluster-name"
	// EKSClusterID replaces EKSClusterName for EKS local clusters on
	// Outposts.
	EKSClusterID   = "cluster-id"
	EKSRegion      = "region"
	EKSProfile     = "profile"
	EKSRoleARN     = "role-arn"
	EKSSessionName = "session-name"
	EKSExternalID  = "external-id"
	// EKSOutput is accepted for `aws eks get-token` compatibility, with
	// the value json only.
	EKSOutput = "output"
)

// EKS is a kcc-eks command line: the cluster the token is for and the
// identity that signs it. An empty field is left out (kcc-eks's default).
type EKS struct {
	ClusterName string
	ClusterID   string
	Region      string
	Profile     string
	RoleARN     string
	SessionName string // with RoleARN; default EKSGetTokenAuth
	ExternalID  string // with RoleARN
}

// Command is kcc-eks.
func (EKS) Command() string { return EKSCommand }

// Args is kcc-eks's arguments for e, in a fixed order: the cluster, the
// region, the role and its session parameters, the profile.
func (e EKS) Args() []string {
	var args []string
	for _, f := range []struct{ name, value string }{
		{EKSClusterName, e.ClusterName},
		{EKSClusterID, e.ClusterID},
		{EKSRegion, e.Region},
		{EKSRoleARN, e.RoleARN},
		{EKSSessionName, e.SessionName},
		{EKSExternalID, e.ExternalID},
		{EKSProfile, e.Profile},
	} {
		args = appendFlag(args, f.name, f.value)
	}
	return args
}
