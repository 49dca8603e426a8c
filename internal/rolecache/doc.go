// Package rolecache keeps AssumeRole sessions between runs in the AWS CLI's
// cache (~/.aws/cli/cache, one JSON file per session named by botocore's
// cache key), so that a role profile's session, and its MFA prompt, serves
// kcc-eks, kcc-connect and the AWS CLI alike until it is about to expire.
package rolecache
