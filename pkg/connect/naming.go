package connect

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/template"

	"github.com/IvMisticos/kube-credential-cache/pkg/connect/kubeconfig"
)

// UserName is the users[] name of a cluster: its ID, "@", the profile
// (nothing for the default credential chain, which is whatever the
// environment holds when kubectl runs, not the profile named "default")
// and, with a role, "+" and the role ARN. "%", "@" and "+" in the ID and the
// profile are escaped (%25, %40, %2B; an EKS ARN has none), so two
// identities never share a user, nor a KUBE_CREDENTIAL_CACHE_USER; and the
// name never equals the bare ARN that `aws eks update-kubeconfig` gives its
// own user, so neither tool overwrites the other's.
func UserName(c Cluster) string {
	name := nameEscaper.Replace(c.ID) + "@" + nameEscaper.Replace(c.Profile)
	if c.RoleARN != "" {
		name += "+" + c.RoleARN
	}
	return name
}

var nameEscaper = strings.NewReplacer("%", "%25", "@", "%40", "+", "%2B")

func profileName(p string) string {
	if p == "" {
		return "default"
	}
	return p
}

// NameOptions choose context names.
type NameOptions struct {
	// Alias names the context of the one selected cluster.
	Alias string
	// ContextTemplate is a text/template over the Cluster fields, e.g.
	// "{{.Name}}-{{.Region}}".
	ContextTemplate string
}

// contextNames picks each entry's context name, given the contexts the
// kubeconfig already has:
//
//   - a context that already joins the entry's cluster and user keeps its
//     name (so the same use twice changes nothing);
//   - --alias, or --context-template, when given (an error if the name is
//     taken by another cluster or user, or given to two clusters);
//   - else the cluster's name when no other selected cluster has that name
//     and the file has no context of that name;
//   - else the name qualified with what tells the same-named clusters
//     apart, "NAME@REGION", "NAME@ACCOUNT", "NAME@ACCOUNT:REGION", and with
//     the profile (and role) when one cluster is reached twice:
//     "NAME@ACCOUNT:REGION/PROFILE+ROLE-NAME" (a cluster without account,
//     region or profile, from an oidc list: "NAME@ID"); failing all, a
//     "-2", "-3"... suffix.
func contextNames(entries []Entry, existing []kubeconfig.Context, opts NameOptions) error {
	if opts.Alias != "" && len(entries) != 1 {
		return fmt.Errorf("--alias names one cluster's context, but %d clusters are selected", len(entries))
	}
	owner := map[string]kubeconfig.Context{}
	for _, c := range existing {
		if _, ok := owner[c.Name]; !ok {
			owner[c.Name] = c
		}
	}
	taken := func(name string, e Entry) bool {
		c, ok := owner[name]
		return ok && (c.Cluster != e.ClusterName || c.User != e.UserName)
	}
	var tmpl *template.Template
	if opts.ContextTemplate != "" {
		var err error
		tmpl, err = template.New("context").Option("missingkey=error").Parse(opts.ContextTemplate)
		if err != nil {
			return fmt.Errorf("--context-template: %w", err)
		}
	}
	explicit := opts.Alias != "" || tmpl != nil
	assigned := map[string]int{} // name -> entry index
	for i := range entries {
		e := &entries[i]
		var name string
		switch {
		case opts.Alias != "":
			name = opts.Alias
		case tmpl != nil:
			var b bytes.Buffer
			if err := tmpl.Execute(&b, e.Cluster); err != nil {
				return fmt.Errorf("--context-template: %w", err)
			}
			name = b.String()
		default:
			name = reuse(existing, *e)
		}
		if name == "" && explicit {
			return errors.New("the context name is empty")
		}
		if name == "" {
			continue
		}
		if explicit && taken(name, *e) {
			return fmt.Errorf("context %q already exists for cluster %q, user %q; choose another name", name, owner[name].Cluster, owner[name].User)
		}
		if j, dup := assigned[name]; dup {
			return fmt.Errorf("context %q would name both %s and %s; use a template that tells them apart", name, entries[j].Cluster.ID, e.Cluster.ID)
		}
		e.ContextName = name
		assigned[name] = i
	}
	// The default rule, for the entries still without a name.
	groups := map[string][]Cluster{}
	for _, e := range entries {
		groups[e.Cluster.Name] = append(groups[e.Cluster.Name], e.Cluster)
	}
	for i := range entries {
		e := &entries[i]
		if e.ContextName != "" {
			continue
		}
		free := func(name string) bool {
			_, dup := assigned[name]
			return !dup && !taken(name, *e)
		}
		cands := candidates(e.Cluster, groups[e.Cluster.Name])
		for _, cand := range cands {
			if free(cand) {
				e.ContextName = cand
				break
			}
		}
		last := cands[len(cands)-1]
		for n := 2; e.ContextName == ""; n++ {
			if cand := last + "-" + strconv.Itoa(n); free(cand) {
				e.ContextName = cand
			}
		}
		assigned[e.ContextName] = i
	}
	return nil
}

// reuse is the name of an existing context joining e's cluster and user.
func reuse(existing []kubeconfig.Context, e Entry) string {
	for _, c := range existing {
		if c.Cluster == e.ClusterName && c.User == e.UserName {
			return c.Name
		}
	}
	return ""
}

// candidates are the context names to try for c, among the selected
// clusters of the same name, most readable first. The last one is the most
// qualified; numbered variants of it follow when all are taken.
func candidates(c Cluster, group []Cluster) []string {
	if c.Context != "" {
		// The provider's own tool's name (gcloud's), unique per cluster.
		return []string{c.Context}
	}
	var out []string
	if len(group) == 1 {
		out = append(out, c.Name)
	}
	if c.Account == "" && c.Region == "" && c.Profile == "" && c.RoleARN == "" {
		// A cluster list's (oidc): its ID, unique in the list, is what
		// tells clusters of one name apart.
		return append(out, c.Name+"@"+c.ID)
	}
	varies := func(field func(Cluster) string, among func(Cluster) bool) bool {
		for _, o := range group {
			if among(o) && field(o) != field(c) {
				return true
			}
		}
		return false
	}
	all := func(Cluster) bool { return true }
	same := func(o Cluster) bool { return o.ID == c.ID }
	account := func(x Cluster) string { return x.Account }
	region := func(x Cluster) string { return x.Region }
	identity := func(x Cluster) string { return x.Profile + "+" + x.RoleARN }
	out = append(out,
		// The identity matters only between entries of the same cluster.
		qualified(c, varies(account, all), varies(region, all), varies(identity, same)),
		qualified(c, false, true, false),
		qualified(c, true, true, false),
	)
	return dedupe(append(out, qualified(c, true, true, true)))
}

// qualified is NAME@[ACCOUNT][:REGION][/PROFILE[+ROLE-NAME]].
func qualified(c Cluster, account, region, identity bool) string {
	var where []string
	if account && c.Account != "" {
		where = append(where, c.Account)
	}
	if region && c.Region != "" {
		where = append(where, c.Region)
	}
	q := strings.Join(where, ":")
	if identity {
		id := profileName(c.Profile)
		if c.RoleARN != "" {
			id += "+" + c.RoleARN[strings.LastIndex(c.RoleARN, "/")+1:]
		}
		if q != "" {
			q += "/"
		}
		q += id
	}
	if q == "" {
		return c.Name
	}
	return c.Name + "@" + q
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
