// Package ekstoken makes EKS bearer tokens the way `aws eks get-token` does:
// `k8s-aws-v1.` + unpadded base64url of a presigned STS GetCallerIdentity
// URL that signs the x-k8s-aws-id header, with the query in botocore's order
// and the endpoint botocore would pick, so that for the same credentials,
// region, cluster and second the token is byte for byte the CLI's.
//
// Credentials come from aws-sdk-go-v2's default chain (env, shared files,
// profiles with source_profile/role_arn, credential_process, SSO, web
// identity, container and instance roles), with the instance-metadata wait
// bounded, and optionally one more AssumeRole (--role-arn).
package ekstoken
