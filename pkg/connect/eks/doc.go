// Package eks is the EKS provider of package connect: it lists and describes
// the clusters of every (profile, region) pair of a selection, concurrently,
// and writes users that get their token from kcc-eks (or aws eks get-token).
//
// AWS clients are built with config.LoadDefaultConfig, so the standard
// settings apply (AWS_ENDPOINT_URL* points them at an emulator such as
// moto_server, AWS_CONFIG_FILE names the shared config, and so on).
package eks
