package connect

import "github.com/IvMisticos/kube-credential-cache/pkg/connect/kubeconfig"

// splitChanges assigns each change to the file kubectl's ModifyConfig
// writes it to (client-go tools/clientcmd/config.go): a cluster, user or
// context to the first file that defines one of its name, each kind on its
// own, else to the default file (kubeconfigfile.Default); current-context
// to the default file, unless the files already make it current.
func splitChanges(files []*kubeconfig.File, def int, ch kubeconfig.Changes) []kubeconfig.Changes {
	out := make([]kubeconfig.Changes, len(files))
	for _, c := range ch.Clusters {
		i := holder(files, def, (*kubeconfig.File).HasCluster, c.Name)
		out[i].Clusters = append(out[i].Clusters, c)
	}
	for _, u := range ch.Users {
		i := holder(files, def, (*kubeconfig.File).HasUser, u.Name)
		out[i].Users = append(out[i].Users, u)
	}
	for _, c := range ch.Contexts {
		i := holder(files, def, (*kubeconfig.File).HasContext, c.Name)
		out[i].Contexts = append(out[i].Contexts, c)
	}
	if ch.CurrentContext != "" && currentContext(files) != ch.CurrentContext {
		out[def].CurrentContext = ch.CurrentContext
	}
	return out
}

// holder is the first file that has name, else def.
func holder(files []*kubeconfig.File, def int, has func(*kubeconfig.File, string) bool, name string) int {
	for i, f := range files {
		if has(f, name) {
			return i
		}
	}
	return def
}

// currentContext is the current-context kubectl reads from the files: the
// first one set.
func currentContext(files []*kubeconfig.File) string {
	for _, f := range files {
		if c := f.CurrentContext(); c != "" {
			return c
		}
	}
	return ""
}

func isEmpty(c kubeconfig.Changes) bool {
	return len(c.Clusters) == 0 && len(c.Users) == 0 && len(c.Contexts) == 0 && c.CurrentContext == ""
}
