package eks

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/eks"

	"github.com/IvMisticos/kube-credential-cache/internal/awserr"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
)

// scan is one Discover call: the results of its goroutines, behind a lock.
type scan struct {
	p   *Provider
	sel connect.Selection
	sem chan struct{} // bounds the requests in flight

	mu       sync.Mutex
	clusters []connect.Cluster
	warnings []connect.Warning
	fatal    []error
	progress connect.Progress
}

// Discover lists and describes the clusters of every (profile, region) pair
// of sel, concurrently. A profile without credentials or a region that
// refuses is one warning; an unknown profile fails the whole call, since
// the user named something that does not exist.
func (p *Provider) Discover(ctx context.Context, sel connect.Selection) ([]connect.Cluster, []connect.Warning, error) {
	profiles, err := p.selectProfiles(sel)
	if err != nil {
		return nil, nil, err
	}
	s := &scan{p: p, sel: sel, sem: make(chan struct{}, p.opts.Concurrency)}
	var wg sync.WaitGroup
	for _, profile := range profiles {
		wg.Go(func() { s.profile(ctx, profile) })
	}
	wg.Wait()
	if len(s.fatal) > 0 {
		return nil, nil, errors.Join(s.fatal...)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	connect.Sort(s.clusters)
	sort.SliceStable(s.warnings, func(i, j int) bool {
		a, b := s.warnings[i], s.warnings[j]
		if a.Profile != b.Profile {
			return a.Profile < b.Profile
		}
		return a.Region < b.Region
	})
	return s.clusters, s.warnings, nil
}

// selectProfiles is the named profiles plus, with AllProfiles, every
// profile of the shared files; none means the default chain ("").
func (p *Provider) selectProfiles(sel connect.Selection) ([]string, error) {
	names := append([]string(nil), sel.Profiles...)
	if sel.AllProfiles {
		all, err := p.profiles()
		if err != nil {
			return nil, fmt.Errorf("could not list the AWS profiles: %w", err)
		}
		if len(all) == 0 {
			return nil, errors.New("--all-profiles: the AWS config and credentials files define no profile")
		}
		names = append(names, all...)
	}
	if len(names) == 0 {
		return []string{""}, nil
	}
	return dedupe(names), nil
}

func (s *scan) profile(ctx context.Context, profile string) {
	hint := ""
	if len(s.sel.Regions) > 0 {
		hint = s.sel.Regions[0]
	}
	cfg, err := s.p.loadConfig(ctx, profile, hint)
	if err != nil {
		if errors.Is(err, ErrUnknownProfile) && !s.sel.AllProfiles {
			s.fail(err)
		} else {
			s.warn(profile, "", err)
		}
		return
	}
	// Credentials once per profile: a profile without any fails as one
	// warning instead of one per region, and a role is assumed once.
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		s.warn(profile, "", fmt.Errorf("no usable credentials: %s", short(err)))
		return
	}
	regions, err := s.regions(ctx, cfg)
	if err != nil {
		s.warn(profile, "", err)
		return
	}
	s.addTotal(len(regions))
	var wg sync.WaitGroup
	for _, r := range regions {
		rc := cfg.Copy()
		rc.Region = r
		wg.Go(func() {
			if err := s.region(ctx, profile, rc); err != nil {
				s.warn(profile, r, err)
			}
			s.done()
		})
	}
	wg.Wait()
}

// regions are the selected regions, the enabled regions of the account
// (AllRegions), or the profile's own region.
func (s *scan) regions(ctx context.Context, cfg aws.Config) ([]string, error) {
	switch {
	case s.sel.AllRegions:
		return s.enabledRegions(ctx, cfg)
	case len(s.sel.Regions) > 0:
		return dedupe(s.sel.Regions), nil
	case cfg.Region != "":
		return []string{cfg.Region}, nil
	}
	return nil, errors.New("no region: pass --region or set one in the profile (region = ...)")
}

// enabledRegions asks EC2 which regions the account can use. Unlike the
// SDK's static partition list, this leaves out the opt-in regions the
// account has not enabled (every call there would fail) and includes new
// regions as soon as AWS adds them.
func (s *scan) enabledRegions(ctx context.Context, cfg aws.Config) ([]string, error) {
	c := cfg.Copy()
	if c.Region == "" {
		c.Region = "us-east-1"
	}
	var out *ec2.DescribeRegionsOutput
	err := s.call(func() (err error) {
		out, err = s.p.newRegionAPI(c).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("could not list the enabled regions: %s", short(err))
	}
	var names []string
	for _, r := range out.Regions {
		if r.RegionName != nil && (r.OptInStatus == nil || *r.OptInStatus != "not-opted-in") {
			names = append(names, *r.RegionName)
		}
	}
	sort.Strings(names)
	return names, nil
}

// region lists every page of clusters of one region and describes each.
func (s *scan) region(ctx context.Context, profile string, cfg aws.Config) error {
	api := s.p.newClusterAPI(cfg)
	var names []string
	in := &eks.ListClustersInput{}
	for {
		var out *eks.ListClustersOutput
		err := s.call(func() (err error) {
			out, err = api.ListClusters(ctx, in)
			return err
		})
		if err != nil {
			return fmt.Errorf("ListClusters: %s", short(err))
		}
		names = append(names, out.Clusters...)
		if out.NextToken == nil || *out.NextToken == "" {
			break
		}
		in = &eks.ListClustersInput{NextToken: out.NextToken}
	}
	found := make([]connect.Cluster, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() {
			found[i], errs[i] = s.p.describe(ctx, api, s.call, profile, cfg.Region, name)
		})
	}
	wg.Wait()
	for i := range found {
		if errs[i] != nil {
			s.warn(profile, cfg.Region, errs[i])
			continue
		}
		s.add(found[i])
	}
	return nil
}

// Describe reads one cluster again with the profile that found it.
func (p *Provider) Describe(ctx context.Context, c connect.Cluster) (connect.Cluster, error) {
	region := c.Region
	if region == "" {
		region = RegionOf(c.ID)
	}
	cfg, err := p.loadConfig(ctx, c.Profile, region)
	if err != nil {
		return connect.Cluster{}, err
	}
	direct := func(f func() error) error { return f() }
	got, err := p.describe(ctx, p.newClusterAPI(cfg), direct, c.Profile, region, c.Name)
	if err != nil {
		return connect.Cluster{}, err
	}
	got.RoleARN = c.RoleARN
	return got, nil
}

func (p *Provider) describe(ctx context.Context, api clusterAPI, call func(func() error) error, profile, region, name string) (connect.Cluster, error) {
	var out *eks.DescribeClusterOutput
	err := call(func() (err error) {
		out, err = api.DescribeCluster(ctx, &eks.DescribeClusterInput{Name: aws.String(name)})
		return err
	})
	if err != nil {
		return connect.Cluster{}, fmt.Errorf("DescribeCluster %s: %s", name, short(err))
	}
	c := out.Cluster
	if c == nil {
		return connect.Cluster{}, fmt.Errorf("DescribeCluster %s: empty answer", name)
	}
	got := connect.Cluster{
		ID:       aws.ToString(c.Arn),
		Provider: p.Name(),
		Name:     aws.ToString(c.Name),
		Region:   region,
		Profile:  profile,
		Endpoint: aws.ToString(c.Endpoint),
		Version:  aws.ToString(c.Version),
		Status:   string(c.Status),
	}
	if c.CertificateAuthority != nil {
		got.CertificateAuthority = aws.ToString(c.CertificateAuthority.Data)
	}
	if r, account, _, ok := arnParts(got.ID); ok {
		got.Account = account
		if r != region {
			return connect.Cluster{}, fmt.Errorf("DescribeCluster %s: ARN %s is not in region %s", name, got.ID, region)
		}
	}
	if got.Name == "" {
		got.Name = name
	}
	return got, nil
}

// call runs one request within the concurrency bound.
func (s *scan) call(f func() error) error {
	s.sem <- struct{}{}
	defer func() { <-s.sem }()
	return f()
}

func (s *scan) warn(profile, region string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.warnings = append(s.warnings, connect.Warning{Profile: profile, Region: region, Err: err})
}

func (s *scan) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fatal = append(s.fatal, err)
}

func (s *scan) add(c connect.Cluster) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clusters = append(s.clusters, c)
	s.progress.Clusters++
}

func (s *scan) addTotal(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.progress.Total += n
	s.report()
}

func (s *scan) done() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.progress.Done++
	s.report()
}

// report runs under s.mu, so Progress calls never overlap.
func (s *scan) report() {
	if s.p.opts.Progress != nil {
		s.p.opts.Progress(s.progress)
	}
}

// short is an SDK error as one readable line for a warning that already
// names the operation: "Code: message (HTTP n, request id x)", and never
// what a credential_process printed.
func short(err error) string {
	return awserr.Cause(err)
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
