// Package rancher is kcc-connect's Rancher provider: it logs in to a
// Rancher server's v3 API (local, Active Directory or OpenLDAP users, or an
// API token), lists its clusters (/v3/clusters, all pages), and writes the
// kubeconfig Rancher generates for a cluster (actions.generateKubeconfig):
// its clusters and contexts as Rancher names them, the authorized cluster
// endpoint's too, with the token kept in kcc's store and the user running
// `kcc-connect token` under kcc-cache instead.
package rancher
