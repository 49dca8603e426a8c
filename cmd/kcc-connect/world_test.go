package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"

	"github.com/IvMisticos/kube-credential-cache/internal/motoserver"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
)

// The accounts of the world: dev is moto's default account, reached with
// static keys; prod is another account, reached by assuming a role there
// from dev (role_arn + source_profile).
const (
	devAccount  = motoserver.DefaultAccount
	prodAccount = "222222222222"
	prodRole    = "arn:aws:iam::222222222222:role/admin"
	devKeyID    = "AKIDKCCCONNECTDEV"
	devSecret   = "kcc-connect-dev-secret"
)

var worldRegions = []string{"us-east-1", "eu-west-1", "ap-southeast-2"}

// world is a moto_server with EKS clusters in two accounts and three
// regions: more than 100 in one region (ListClusters pages), the name
// "demo" in four places, and AWS config files whose profiles reach them.
type world struct {
	endpoint string
	dir      string
	// clusters as created, one per (profile, cluster): what discover must
	// list, with moto's endpoint and CA data.
	clusters []connect.Cluster
}

// newWorld builds the world; the clusters are created concurrently, as
// moto takes a while for 111 of them on a loaded machine.
func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{endpoint: motoserver.Start(t), dir: t.TempDir()}
	w.writeAWSFiles(t)
	type spec struct {
		profile, region, name string
	}
	var specs []spec
	for i := range 105 {
		specs = append(specs, spec{"dev", "us-east-1", fmt.Sprintf("app-%03d", i)})
	}
	specs = append(specs,
		spec{"dev", "us-east-1", "demo"},
		spec{"dev", "eu-west-1", "demo"},
		spec{"prod", "us-east-1", "demo"},
		spec{"prod", "eu-west-1", "demo"},
		spec{"prod", "eu-west-1", "api"},
		spec{"prod", "ap-southeast-2", "web"},
	)
	dev := motoserver.Config(w.endpoint, "us-east-1", devKeyID, devSecret, "")
	prod := motoserver.AssumeRole(t, dev, prodRole)
	account := map[string]string{"dev": devAccount, "prod": prodAccount}
	cfgs := map[string]aws.Config{"dev": dev, "prod": prod}

	w.clusters = make([]connect.Cluster, len(specs))
	errs := make([]error, len(specs))
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, s := range specs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			cfg := cfgs[s.profile].Copy()
			cfg.Region = s.region
			var c *ekstypes.Cluster
			c, errs[i] = createCluster(cfg, account[s.profile], s.name)
			if errs[i] == nil {
				w.clusters[i] = connect.Cluster{
					ID: aws.ToString(c.Arn), Provider: "eks", Name: s.name,
					Account: account[s.profile], Region: s.region, Profile: s.profile,
					Endpoint: aws.ToString(c.Endpoint), Version: aws.ToString(c.Version),
					Status: string(c.Status), CertificateAuthority: aws.ToString(c.CertificateAuthority.Data),
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	connect.Sort(w.clusters)
	return w
}

func createCluster(cfg aws.Config, account, name string) (*ekstypes.Cluster, error) {
	out, err := eks.NewFromConfig(cfg).CreateCluster(context.Background(), &eks.CreateClusterInput{
		Name:               aws.String(name),
		RoleArn:            aws.String("arn:aws:iam::" + account + ":role/eks-cluster"),
		ResourcesVpcConfig: &ekstypes.VpcConfigRequest{SubnetIds: []string{"subnet-1", "subnet-2"}},
	})
	if err != nil {
		return nil, fmt.Errorf("moto: create cluster %s in %s: %w", name, cfg.Region, err)
	}
	return out.Cluster, nil
}

// writeAWSFiles writes the shared config and credentials files: dev and
// prod, and a broken profile whose credentials cannot be had.
func (w *world) writeAWSFiles(t *testing.T) {
	t.Helper()
	config := `# profiles of the kcc-connect tests
[profile dev]
region = us-east-1

[profile prod]
role_arn = ` + prodRole + `
source_profile = dev
region = eu-west-1

[profile broken]
region = us-east-1
credential_process = /bin/false
`
	creds := "[dev]\naws_access_key_id = " + devKeyID + "\naws_secret_access_key = " + devSecret + "\n"
	for name, text := range map[string]string{"config": config, "credentials": creds} {
		if err := os.WriteFile(filepath.Join(w.dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// env is the environment of a kcc-connect (or aws, kubectl) in the world:
// only the world's files and moto, nothing of the machine's own AWS setup.
func (w *world) env(extra ...string) []string {
	env := []string{
		"HOME=" + w.dir,
		"AWS_CONFIG_FILE=" + filepath.Join(w.dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(w.dir, "credentials"),
		"AWS_ENDPOINT_URL=" + w.endpoint,
		"AWS_EC2_METADATA_DISABLED=true",
		"KUBECONFIG=",
	}
	return append(env, extra...)
}

// of is the clusters of the world that the profiles see in the regions.
func (w *world) of(profiles, regions []string) []connect.Cluster {
	var out []connect.Cluster
	for _, c := range w.clusters {
		if contains(profiles, c.Profile) && contains(regions, c.Region) {
			out = append(out, c)
		}
	}
	return out
}

// find is the world's cluster of that profile, region and name.
func (w *world) find(t *testing.T, profile, region, name string) connect.Cluster {
	t.Helper()
	for _, c := range w.clusters {
		if c.Profile == profile && c.Region == region && c.Name == name {
			return c
		}
	}
	t.Fatalf("no cluster %s in %s for %s", name, region, profile)
	return connect.Cluster{}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
