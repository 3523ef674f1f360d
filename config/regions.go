package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Partitions eksready supports, with the regions where Amazon EKS runs in
// each. aws-sdk-go-v2 keeps its partition and endpoint metadata in internal
// packages (internal/endpoints/awsrulesfn), which cannot be imported, so the
// list is kept here from the same AWS-published endpoint model: botocore
// 1.43.11, data/endpoints.json, service "eks", FIPS and deprecated entries
// left out (read 2026-11-30). The ISO partitions and the European Sovereign
// Cloud (aws-eusc) are not offered: eksready's add-ons come from public
// chart repositories those partitions cannot reach, and no fixture proves
// them. A new region is one line here.
var eksRegions = map[string][]string{
	"aws": {
		"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
		"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
		"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
		"eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
		"il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2",
		"us-west-1", "us-west-2",
	},
	"aws-cn":     {"cn-north-1", "cn-northwest-1"},
	"aws-us-gov": {"us-gov-east-1", "us-gov-west-1"},
}

// Partitions lists the partitions eksready supports, in a stable order.
var Partitions = []string{"aws", "aws-cn", "aws-us-gov"}

// Regions lists every region eksready accepts, partition by partition in
// the order of Partitions.
func Regions() []string {
	var out []string
	for _, p := range Partitions {
		out = append(out, eksRegions[p]...)
	}
	return out
}

// PartitionOf returns the partition of a region eksready supports, or ""
// for any other string.
func PartitionOf(region string) string {
	for _, p := range Partitions {
		if slices.Contains(eksRegions[p], region) {
			return p
		}
	}
	return ""
}

// otherPartitionRe matches region names of partitions eksready does not
// offer (ISO, ISO-B/E/F, European Sovereign Cloud), so the message can say
// so rather than "not a region".
var otherPartitionRe = regexp.MustCompile(`^(us-iso[a-z]?|eu-isoe|eusc-[a-z]+)-[a-z]+-[0-9]+$`)

// regionProblem returns the rule a region name breaks, or "".
func regionProblem(region string) string {
	switch {
	case PartitionOf(region) != "":
		return ""
	case otherPartitionRe.MatchString(region):
		return "is in an isolated or sovereign partition, which eksready does not support (partitions: " + strings.Join(Partitions, ", ") + ")"
	case regionRe.MatchString(region):
		return "is not a region where Amazon EKS runs (like eu-west-1; eksready knows the regions AWS published by 2026-11-30)"
	}
	return "is not an AWS region name (like eu-west-1)"
}

// arnPartitionRe captures an ARN's partition.
var arnPartitionRe = regexp.MustCompile(`^arn:([a-z-]+):`)

// checkArnPartition reports an ARN whose partition differs from the
// region's: IAM, S3 and KMS refuse a principal or resource of another
// partition, and only at apply time.
func checkArnPartition(path, arn, region string, v *collector) {
	want := PartitionOf(region)
	m := arnPartitionRe.FindStringSubmatch(arn)
	if want == "" || m == nil || m[1] == want {
		return
	}
	v.add(path, arn, "is in partition %s but region %s is in partition %s (ARNs never cross partitions)", m[1], region, want)
}

// autoModeRegions are the regions where EKS Auto Mode is confirmed: those
// with an EKS Auto Mode AMI account in the EKS user guide ("Update
// organization controls for EKS Auto Mode", EKS Auto Mode AMI accounts;
// awsdocs/amazon-eks-user-guide latest/ug/automode/auto-controls.adoc,
// with ap-east-2 and ap-southeast-6 added by pull request #1179 of
// 2025-11-25; read 2026-11-30). Auto Mode launches nodes only from those
// AMIs, so a region without an account has no Auto Mode. The table names
// no region of aws-cn or aws-us-gov, and no other source read confirms
// Auto Mode, its cluster policies (AmazonEKSComputePolicy and the others)
// or the AmazonEKSAutoNodePolicy access policy there: Auto Mode is refused
// in those partitions until one does. A new region is one line here.
var autoModeRegions = []string{
	"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
	"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
	"eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
	"il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2",
	"us-west-1", "us-west-2",
}

// autoModeRegionProblem returns why EKS Auto Mode cannot be used in a
// region eksready supports, or "" where it can.
func autoModeRegionProblem(region string) string {
	if slices.Contains(autoModeRegions, region) {
		return ""
	}
	if p := PartitionOf(region); p != "aws" {
		return fmt.Sprintf("is not available in region %s: EKS Auto Mode, its IAM policies (AmazonEKSComputePolicy and the others) and the AmazonEKSAutoNodePolicy access policy cannot be confirmed in partition %s (the EKS user guide lists Auto Mode AMIs for commercial regions only); use %s", region, p, ComputeManagedNodeGroups)
	}
	return fmt.Sprintf("is not available in region %s: the EKS user guide lists no EKS Auto Mode AMI account there (auto-controls, read 2026-11-30); use %s, or a region with Auto Mode", region, ComputeManagedNodeGroups)
}
