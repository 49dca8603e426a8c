package eks

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
)

// regionList answers DescribeRegions like EC2 with the default filter (the
// regions the account may use), plus one not opted in, which EC2 leaves out
// unless asked for all; it must be left out either way.
type regionList struct{ asked *ec2.DescribeRegionsInput }

func (r *regionList) DescribeRegions(_ context.Context, in *ec2.DescribeRegionsInput, _ ...func(*ec2.Options)) (*ec2.DescribeRegionsOutput, error) {
	r.asked = in
	region := func(name, status string) ec2types.Region {
		return ec2types.Region{RegionName: aws.String(name), OptInStatus: aws.String(status)}
	}
	return &ec2.DescribeRegionsOutput{Regions: []ec2types.Region{
		region("us-east-1", "opt-in-not-required"),
		region("af-south-1", "opted-in"),
		region("ap-east-1", "not-opted-in"),
		{RegionName: aws.String("eu-west-1")},
	}}, nil
}

func TestEnabledRegions(t *testing.T) {
	fake := &regionList{}
	p := New(Options{})
	p.newRegionAPI = func(aws.Config) regionAPI { return fake }
	s := &scan{p: p, sel: connect.Selection{AllRegions: true}, sem: make(chan struct{}, 1)}
	got, err := s.regions(context.Background(), aws.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"af-south-1", "eu-west-1", "us-east-1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("regions %q, want %q", got, want)
	}
	if fake.asked.AllRegions != nil && *fake.asked.AllRegions {
		t.Errorf("asked for all regions, opted-in or not")
	}
}
