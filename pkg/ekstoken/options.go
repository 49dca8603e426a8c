package ekstoken

// DefaultSessionName is the role session name `aws eks get-token --role-arn`
// uses.
const DefaultSessionName = "EKSGetTokenAuth"

// Options say which token to make: `aws eks get-token`'s options, plus the
// session name and external id its users ask for. kcc-eks reads them from
// its command line (the fields are contract.EKS's).
type Options struct {
	ClusterName string
	// ClusterID replaces ClusterName for EKS local clusters on Outposts.
	ClusterID   string
	Region      string
	Profile     string
	RoleARN     string
	SessionName string // for RoleARN; DefaultSessionName when empty
	ExternalID  string // for RoleARN
}

// ClusterIdentifier is the value of the signed x-k8s-aws-id header.
func (o Options) ClusterIdentifier() string {
	if o.ClusterID != "" {
		return o.ClusterID
	}
	return o.ClusterName
}

// sessionName is the role session name for RoleARN.
func (o Options) sessionName() string {
	if o.SessionName == "" {
		return DefaultSessionName
	}
	return o.SessionName
}
