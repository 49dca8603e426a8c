// Package aks is kcc-connect's AKS provider: it lists the managed clusters
// of every subscription an Azure identity sees (Azure SDK for Go:
// armsubscriptions, armcontainerservice, azidentity), in the cloud
// --environment names (AZURE_ENVIRONMENT_FILEPATH for Azure Stack and
// private clouds), and writes each cluster's server and CA as its
// listClusterUserCredential (or admin) kubeconfig has them. Entra ID
// clusters' users run kcc-aks get-token (or Azure kubelogin) behind
// kcc-cache; a local account's user is its own client certificate.
package aks
