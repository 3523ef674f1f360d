package config

import (
	"strings"
	"testing"
)

// hostileCases are configurations AWS or Terraform would refuse only at
// plan or apply time, or that would silently become something else: every
// one must be refused by validation, before anything is written, with
// exactly these problems (field path, value, rule). One case is one bad
// input.
var hostileCases = []struct {
	name string
	yaml string
	want []string
}{
	{"node size near int64 max", "nodes: {system: {maxSize: 9223372036854775807}}", []string{
		`nodes.system.maxSize: 9223372036854775807 is more nodes per zone than the 100000 an EKS cluster can hold`,
	}},
	{"node size 2^56 through the capacity check", "nodes: {system: {minSize: 72057594037927936, maxSize: 72057594037927936}}", []string{
		`nodes.system.minSize: 72057594037927936 is more nodes per zone than the 100000 an EKS cluster can hold`,
		`nodes.system.maxSize: 72057594037927936 is more nodes per zone than the 100000 an EKS cluster can hold`,
	}},
	{"desired size above any cluster", "nodes: {system: {desiredSize: 200000, maxSize: 3}}", []string{
		`nodes.system.desiredSize: 200000 is more nodes per zone than the 100000 an EKS cluster can hold`,
	}},
	{"gp3 size", "nodes: {system: {volumes: {data: {sizeGiB: 20000}}}}", []string{
		`nodes.system.volumes.data.sizeGiB: 20000 must be between 1 and 16384 for gp3`,
	}},
	{"io2 size", "nodes: {system: {volumes: {data: {type: io2, sizeGiB: 2, iops: 100}}}}", []string{
		`nodes.system.volumes.data.sizeGiB: 2 must be between 4 and 65536 for io2`,
	}},
	{"gp3 iops per GiB", "nodes: {system: {volumes: {data: {sizeGiB: 20, iops: 16000}}}}", []string{
		`nodes.system.volumes.data.iops: 16000 exceeds the 500 IOPS per GiB gp3 allows (at most 10000 for 20 GiB)`,
	}},
	{"gp3 throughput per IOPS", "nodes: {system: {volumes: {data: {throughputMiBs: 1000}}}}", []string{
		`nodes.system.volumes.data.throughputMiBs: 1000 exceeds the 0.25 MiB/s per IOPS gp3 allows (at most 750 with 3000 IOPS)`,
	}},
	{"io2 iops per GiB", "nodes: {system: {volumes: {data: {type: io2, sizeGiB: 20, iops: 50000}}}}", []string{
		`nodes.system.volumes.data.iops: 50000 exceeds the 1000 IOPS per GiB io2 allows (at most 20000 for 20 GiB)`,
	}},
	{"control-plane log retention", "controlPlane: {logging: {retentionDays: 2}}", []string{
		`controlPlane.logging.retentionDays: 2 is not a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)`,
	}},
	{"flow-log retention", "network: {flowLogs: {retentionDays: 10}}", []string{
		`network.flowLogs.retentionDays: 10 is not a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)`,
	}},
	{"max unavailable", "nodes: {system: {update: {maxUnavailable: 101}}}", []string{
		`nodes.system.update.maxUnavailable: 101 must be between 1 and 100`,
	}},
	{"max unavailable percent", "nodes: {system: {update: {maxUnavailablePercent: 101}}}", []string{
		`nodes.system.update.maxUnavailablePercent: 101 must be between 1 and 100`,
	}},
	{"hop limit", "nodes: {system: {metadataHopLimit: 65}}", []string{
		`nodes.system.metadataHopLimit: 65 must be between 1 and 64`,
	}},
	{"key deletion window", "controlPlane: {keyDeletionWindowDays: 31}", []string{
		`controlPlane.keyDeletionWindowDays: 31 must be between 7 and 30 (the range KMS allows)`,
	}},
	{"cilium mask", "network: {podNetworking: {mode: cilium, cilium: {clusterPoolMaskSize: 40}}}", []string{
		`network.podNetworking.cilium.clusterPoolMaskSize: 40 must be between 16 and 28`,
	}},
	{"karpenter cpu limit", "software: {autoscaling: karpenter, karpenter: {nodePools: {general: {cpuLimit: 9223372036854775807}}}}", []string{
		`software.karpenter.nodePools.general.cpuLimit: 9223372036854775807 is more vCPUs than an EKS cluster can hold (100000 nodes of at most 896 vCPUs: 89600000)`,
	}},
	{"karpenter memory limit", "software: {autoscaling: karpenter, karpenter: {nodePools: {general: {memoryLimitGiB: 72057594037927936}}}}", []string{
		`software.karpenter.nodePools.general.memoryLimitGiB: 72057594037927936 is more memory than an EKS cluster can hold (100000 nodes of at most 32768 GiB: 3276800000)`,
	}},
	{"karpenter root volume", "software: {karpenter: {rootVolumeGiB: 20000}}", []string{
		`software.karpenter.rootVolumeGiB: 20000 must be between 4 and 16384`,
	}},
	{"warm IP target", "network: {podNetworking: {vpcCni: {warmIpTarget: 100000}}}", []string{
		`network.podNetworking.vpcCni.warmIpTarget: 100000 is more than the 1536 addresses the largest EC2 instance type (c8a.48xlarge) can hold`,
	}},
	{"too many tags", "tags: {t0: v, t1: v, t2: v, t3: v, t4: v, t5: v, t6: v, t7: v, t8: v, t9: v, t10: v, t11: v, t12: v, t13: v, t14: v, t15: v, t16: v, t17: v, t18: v, t19: v, t20: v, t21: v, t22: v, t23: v, t24: v, t25: v, t26: v, t27: v, t28: v, t29: v, t30: v, t31: v, t32: v, t33: v, t34: v, t35: v, t36: v, t37: v, t38: v, t39: v, t40: v, t41: v, t42: v, t43: v, t44: v}", []string{
		`tags: has 45 tags; AWS allows 50 on a resource and eksready sets up to 6 itself, so at most 44 are left`,
	}},
	{"aws: tag key", "tags: {'aws:owner': x}", []string{
		`tags.aws:owner: tag keys starting with "aws:" are reserved by AWS`,
	}},
	{"AWS: tag key any case", "tags: {'AwS:owner': x}", []string{
		`tags.AwS:owner: tag keys starting with "aws:" are reserved by AWS`,
	}},
	{"tag characters", "tags: {'team#1': x, team: '<platform>'}", []string{
		`tags.team: "<platform>" is not a valid tag value: letters, digits, spaces and + - = . _ : / @ only`,
		`tags.team#1: tag keys may hold only letters, digits, spaces and + - = . _ : / @`,
	}},
	{"tag key length in characters", "tags: {'ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé': x}", []string{
		// The path is echoed bounded (maxEchoedPath bytes), the key cut there.
		`tags.` + strings.Repeat("é", 97) + `…: tag keys are at most 128 characters`,
	}},
	{"tag value length", "tags: {team: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'}", []string{
		`tags.team: is longer than the 256 characters a tag value may have`,
	}},
	{"tag Name", "tags: {Name: x}", []string{
		`tags.Name: is a key eksready sets on some resources (Name, and keys starting with eksready:, kubernetes.io/, k8s.io/, karpenter.sh/, karpenter.k8s.aws/), where it would silently replace this tag`,
	}},
	{"tag kubernetes.io/", "tags: {'kubernetes.io/cluster/other': owned}", []string{
		`tags.kubernetes.io/cluster/other: is a key eksready sets on some resources (Name, and keys starting with eksready:, kubernetes.io/, k8s.io/, karpenter.sh/, karpenter.k8s.aws/), where it would silently replace this tag`,
	}},
	{"tag eksready:", "tags: {'eksready:pool': x}", []string{
		`tags.eksready:pool: is a key eksready sets on some resources (Name, and keys starting with eksready:, kubernetes.io/, k8s.io/, karpenter.sh/, karpenter.k8s.aws/), where it would silently replace this tag`,
	}},
	{"tag empty key", "tags: {'': x}", []string{
		`tags: has an empty key; AWS tag keys are 1 to 128 characters`,
	}},
	{"pool name with a dot", "nodes: {web.frontend: {}}", []string{
		`nodes.web.frontend: "web.frontend" is not a valid pool name: it names EKS node groups and a Kubernetes label value (letters, digits, '-' and '_', starting and ending with a letter or digit, at most 40 characters here)`,
	}},
	{"pool name with a leading hyphen", "nodes: {-web: {}}", []string{
		`nodes.-web: "-web" is not a valid pool name: it names EKS node groups and a Kubernetes label value (letters, digits, '-' and '_', starting and ending with a letter or digit, at most 40 characters here)`,
	}},
	{"cluster name starting with a digit", "name: 1abc", []string{
		`name: "1abc" must be lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen`,
	}},
	{"mac2.metal", "nodes: {system: {instanceTypes: [mac2.metal]}}", []string{
		`nodes.system.instanceTypes[0]: "mac2.metal" is a Mac instance type, which runs on dedicated hosts only and cannot join an EKS node group`,
	}},
	{"mac1.metal", "nodes: {system: {instanceTypes: [mac1.metal]}}", []string{
		`nodes.system.instanceTypes[0]: "mac1.metal" is a Mac instance type, which runs on dedicated hosts only and cannot join an EKS node group`,
	}},
	{"GPU on the system pool", "nodes: {system: {instanceTypes: [g5.xlarge]}}", []string{
		`nodes.system.instanceTypes: ["g5.xlarge"] are accelerated; the system pool runs CoreDNS and the cluster's controllers, which do not tolerate an accelerator's taint: keep it on general-purpose types and add an accelerated pool`,
	}},
	{"AMD GPU", "nodes: {gpu: {instanceTypes: [g4ad.xlarge]}}", []string{
		`nodes.gpu.instanceTypes[0]: "g4ad.xlarge" is an accelerated instance type no EKS AMI can drive: its AMD Radeon Pro V520 GPUs have no driver in any EKS-optimized AMI (the accelerated AMIs ship NVIDIA and Neuron drivers only)`,
	}},
	{"FPGA", "nodes: {fpga: {os: al2023, instanceTypes: [f2.6xlarge]}}", []string{
		`nodes.fpga.instanceTypes[0]: "f2.6xlarge" is an accelerated instance type no EKS AMI can drive: its FPGAs have no driver or runtime in any EKS-optimized AMI`,
	}},
	{"Inferentia on the system pool", "nodes: {system: {instanceTypes: [inf2.xlarge]}}", []string{
		`nodes.system.instanceTypes: ["inf2.xlarge"] are accelerated; the system pool runs CoreDNS and the cluster's controllers, which do not tolerate an accelerator's taint: keep it on general-purpose types and add an accelerated pool`,
	}},
	{"Graviton GPU with Graviton CPU", "nodes: {gpu: {instanceTypes: [g5g.xlarge, m7g.large]}}", []string{
		`nodes.gpu.instanceTypes: ["g5g.xlarge", "m7g.large"] mixes instance types that need different AMI types (no accelerator: m7g.large; NVIDIA GPU: g5g.xlarge); every type of a pool runs one AMI type, so make one pool per accelerator`,
	}},
	{"too few pods (no prefix delegation)", "network: {podNetworking: {mode: custom-networking, customNetworking: {prefixDelegation: false}}}\nnodes: {system: {instanceTypes: [t3.nano]}}", []string{
		`nodes.system.instanceTypes: ["t3.nano"] allow 3 pods per node, no room beside the 4 DaemonSet pods every node runs (aws-node, kube-proxy, eks-pod-identity-agent, ebs-csi-node); choose a larger instance type`,
	}},
	{"too few pods (Xen type)", "nodes: {system: {instanceTypes: [t2.nano]}}", []string{
		`nodes.system.instanceTypes: ["t2.nano"] allow 4 pods per node, no room beside the 4 DaemonSet pods every node runs (aws-node, kube-proxy, eks-pod-identity-agent, ebs-csi-node); choose a larger instance type`,
	}},
	{"non-existent region", "region: eu-west-9", []string{
		`region: "eu-west-9" is not a region where Amazon EKS runs (like eu-west-1; eksready knows the regions AWS published by 2026-11-30)`,
	}},
	{"isolated partition region", "region: us-iso-east-1", []string{
		`region: "us-iso-east-1" is in an isolated or sovereign partition, which eksready does not support (partitions: aws, aws-cn, aws-us-gov)`,
	}},
	{"zone beyond f", "network: {availabilityZones: [eu-west-1a, eu-west-1g]}", []string{
		`network.availabilityZones[1]: "eu-west-1g" is not an availability zone of region eu-west-1 (like eu-west-1a; no region has zones beyond f, and Local and Wavelength Zones cannot host EKS)`,
	}},
	{"backend region", "backend: {type: s3, s3: {bucket: state, region: eu-west-9}}", []string{
		`backend.s3.region: "eu-west-9" is not a region where Amazon EKS runs (like eu-west-1; eksready knows the regions AWS published by 2026-11-30)`,
	}},
	{"private public-access CIDR", "controlPlane: {endpoint: {publicAccessCidrs: ['10.0.0.0/8']}}", []string{
		`controlPlane.endpoint.publicAccessCidrs[0]: "10.0.0.0/8" is a private (RFC 1918) range, not a public range: EKS accepts only public addresses here (list the public addresses your traffic leaves from; clients inside the VPC use the private endpoint)`,
	}},
	{"RFC 1918 /24", "controlPlane: {endpoint: {publicAccessCidrs: ['192.168.1.0/24']}}", []string{
		`controlPlane.endpoint.publicAccessCidrs[0]: "192.168.1.0/24" is a private (RFC 1918) range, not a public range: EKS accepts only public addresses here (list the public addresses your traffic leaves from; clients inside the VPC use the private endpoint)`,
	}},
	{"CGNAT", "controlPlane: {endpoint: {publicAccessCidrs: ['100.64.0.0/10']}}", []string{
		`controlPlane.endpoint.publicAccessCidrs[0]: "100.64.0.0/10" is carrier-grade NAT shared address space (RFC 6598), not a public range: EKS accepts only public addresses here (list the public addresses your traffic leaves from; clients inside the VPC use the private endpoint)`,
	}},
	{"loopback", "controlPlane: {endpoint: {publicAccessCidrs: ['127.0.0.1/32']}}", []string{
		`controlPlane.endpoint.publicAccessCidrs[0]: "127.0.0.1/32" is a loopback range, not a public range: EKS accepts only public addresses here (list the public addresses your traffic leaves from; clients inside the VPC use the private endpoint)`,
	}},
	{"this network", "controlPlane: {endpoint: {publicAccessCidrs: ['0.0.0.0/8']}}", []string{
		`controlPlane.endpoint.publicAccessCidrs[0]: "0.0.0.0/8" is the "this network" range 0.0.0.0/8, not a public range: EKS accepts only public addresses here (list the public addresses your traffic leaves from; clients inside the VPC use the private endpoint)`,
	}},
	{"41 public CIDRs", "controlPlane: {endpoint: {publicAccessCidrs: ['11.1.1.0/24', '12.1.1.0/24', '13.1.1.0/24', '14.1.1.0/24', '15.1.1.0/24', '16.1.1.0/24', '17.1.1.0/24', '18.1.1.0/24', '19.1.1.0/24', '20.1.1.0/24', '21.1.1.0/24', '22.1.1.0/24', '23.1.1.0/24', '24.1.1.0/24', '25.1.1.0/24', '26.1.1.0/24', '27.1.1.0/24', '28.1.1.0/24', '29.1.1.0/24', '30.1.1.0/24', '31.1.1.0/24', '32.1.1.0/24', '33.1.1.0/24', '34.1.1.0/24', '35.1.1.0/24', '36.1.1.0/24', '37.1.1.0/24', '38.1.1.0/24', '39.1.1.0/24', '40.1.1.0/24', '41.1.1.0/24', '42.1.1.0/24', '43.1.1.0/24', '44.1.1.0/24', '45.1.1.0/24', '46.1.1.0/24', '47.1.1.0/24', '48.1.1.0/24', '49.1.1.0/24', '50.1.1.0/24', '51.1.1.0/24']}}", []string{
		`controlPlane.endpoint.publicAccessCidrs: lists 41 CIDR blocks; EKS allows at most 40 (a fixed quota)`,
	}},
	{"duplicate public CIDR", "controlPlane: {endpoint: {publicAccessCidrs: ['203.0.113.0/24', '203.0.113.0/24']}}", []string{
		`controlPlane.endpoint.publicAccessCidrs[1]: "203.0.113.0/24" is listed twice`,
	}},
	{"bucket xn--", "backend: {type: s3, s3: {bucket: xn--state}}", []string{
		`backend.s3.bucket: "xn--state" is not a valid S3 bucket name: the prefix "xn--" is reserved by S3`,
	}},
	{"bucket -s3alias", "backend: {type: s3, s3: {bucket: state-s3alias}}", []string{
		`backend.s3.bucket: "state-s3alias" is not a valid S3 bucket name: the suffix "-s3alias" is reserved by S3`,
	}},
	{"bucket sthree-", "backend: {type: s3, s3: {bucket: sthree-state}}", []string{
		`backend.s3.bucket: "sthree-state" is not a valid S3 bucket name: the prefix "sthree-" is reserved by S3`,
	}},
	{"bucket amzn-s3-demo-", "backend: {type: s3, s3: {bucket: amzn-s3-demo-state}}", []string{
		`backend.s3.bucket: "amzn-s3-demo-state" is not a valid S3 bucket name: the prefix "amzn-s3-demo-" is reserved by S3`,
	}},
	{"bucket --ol-s3", "backend: {type: s3, s3: {bucket: state--ol-s3}}", []string{
		`backend.s3.bucket: "state--ol-s3" is not a valid S3 bucket name: the suffix "--ol-s3" is reserved by S3`,
	}},
	{"bucket .mrap", "backend: {type: s3, s3: {bucket: state.mrap}}", []string{
		`backend.s3.bucket: "state.mrap" is not a valid S3 bucket name: the suffix ".mrap" is reserved by S3`,
	}},
	{"bucket --x-s3", "backend: {type: s3, s3: {bucket: state--x-s3}}", []string{
		`backend.s3.bucket: "state--x-s3" is not a valid S3 bucket name: the suffix "--x-s3" is reserved by S3`,
	}},
	{"bucket adjacent dots", "backend: {type: s3, s3: {bucket: my..state}}", []string{
		`backend.s3.bucket: "my..state" is not a valid S3 bucket name: it has two adjacent dots`,
	}},
	{"flow-log bucket xn--", "network: {flowLogs: {destination: s3, s3BucketArn: 'arn:aws:s3:::xn--logs'}}", []string{
		`network.flowLogs.s3BucketArn: "arn:aws:s3:::xn--logs" names bucket "xn--logs", which is not a valid S3 bucket name: the prefix "xn--" is reserved by S3`,
	}},
	{"flow-log bucket in another partition", "network: {flowLogs: {destination: s3, s3BucketArn: 'arn:aws-cn:s3:::logs'}}", []string{
		`network.flowLogs.s3BucketArn: "arn:aws-cn:s3:::logs" is in partition aws-cn but region eu-west-1 is in partition aws (ARNs never cross partitions)`,
	}},
	{"access entry in another partition", "region: cn-north-1\naccess: {entries: [{principalArn: 'arn:aws:iam::111122223333:role/sre', policy: view}]}", []string{
		`access.entries[0].principalArn: "arn:aws:iam::111122223333:role/sre" is in partition aws but region cn-north-1 is in partition aws-cn (ARNs never cross partitions)`,
	}},
	{"deployer in another partition", "access: {deployerRoleArn: 'arn:aws-us-gov:iam::111122223333:role/deployer'}", []string{
		`access.deployerRoleArn: "arn:aws-us-gov:iam::111122223333:role/deployer" is in partition aws-us-gov but region eu-west-1 is in partition aws (ARNs never cross partitions)`,
	}},
	{"backend role in another partition", "backend: {type: s3, s3: {bucket: state, roleArn: 'arn:aws-cn:iam::111122223333:role/state'}}", []string{
		`backend.s3.roleArn: "arn:aws-cn:iam::111122223333:role/state" is in partition aws-cn but region eu-west-1 is in partition aws (ARNs never cross partitions)`,
	}},
	{"existing VPC, IPv6, no IPv6 ranges", "network: {podNetworking: {mode: ipv6}, existingVpc: {vpcId: vpc-0a1b2c3d4e5f60718, privateSubnets: [{id: subnet-0bbbbbbbbbbbbbbb1, zone: eu-west-1a, cidr: 10.50.32.0/20}, {id: subnet-0bbbbbbbbbbbbbbb2, zone: eu-west-1b, cidr: 10.50.48.0/20, ipv6Cidr: '2001:db8:0:2::/64'}]}}", []string{
		`network.existingVpc.privateSubnets[0].ipv6Cidr: is required with podNetworking.mode ipv6: an IPv6 cluster's nodes and pods take IPv6 addresses from the private subnets, so each must have an IPv6 range (a /64)`,
	}},
	{"IPv6 range without IPv6 mode", "network: {existingVpc: {vpcId: vpc-0a1b2c3d4e5f60718, privateSubnets: [{id: subnet-0bbbbbbbbbbbbbbb1, zone: eu-west-1a, cidr: 10.50.32.0/20, ipv6Cidr: '2001:db8:0:1::/64'}, {id: subnet-0bbbbbbbbbbbbbbb2, zone: eu-west-1b, cidr: 10.50.48.0/20}]}}", []string{
		`network.existingVpc.privateSubnets[0].ipv6Cidr: "2001:db8:0:1::/64" is only used on privateSubnets with podNetworking.mode ipv6 (mode is prefix-delegation)`,
	}},
	{"IPv6 range not a /64", "network: {podNetworking: {mode: ipv6}, existingVpc: {vpcId: vpc-0a1b2c3d4e5f60718, privateSubnets: [{id: subnet-0bbbbbbbbbbbbbbb1, zone: eu-west-1a, cidr: 10.50.32.0/20, ipv6Cidr: '2001:db8::/56'}, {id: subnet-0bbbbbbbbbbbbbbb2, zone: eu-west-1b, cidr: 10.50.48.0/20, ipv6Cidr: '10.0.0.0/16'}]}}", []string{
		`network.existingVpc.privateSubnets[0].ipv6Cidr: "2001:db8::/56" is not an IPv6 /64 with its host bits clear (AWS subnets take a /64)`,
		`network.existingVpc.privateSubnets[1].ipv6Cidr: "10.0.0.0/16" is not an IPv6 /64 with its host bits clear (AWS subnets take a /64)`,
	}},
	{"Karpenter with an empty system pool", "nodes: {system: {minSize: 0}}\nsoftware: {autoscaling: karpenter, karpenter: {nodePools: {general: {}}}}", []string{
		`nodes.system.minSize: 0 leaves the system pool without nodes, and Karpenter runs on the system pool: nothing could start it, so nothing would ever scale (keep minSize at 1 or more)`,
	}},
	{"node label key longer than EKS allows", "nodes: {system: {labels: {'example.com/kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk': x}}}", []string{
		"nodes.system.labels.example.com/kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk: is longer than the 63 characters EKS allows a node group label key (prefix included)",
	}},
	{"empty node label value", "nodes: {system: {labels: {team: ''}}}", []string{
		"nodes.system.labels.team: has an empty value; EKS node group labels need a value of 1 to 63 characters",
	}},
	{"51 taints", "nodes: {system: {taints: [{key: t0, effect: NO_SCHEDULE}, {key: t1, effect: NO_SCHEDULE}, {key: t2, effect: NO_SCHEDULE}, {key: t3, effect: NO_SCHEDULE}, {key: t4, effect: NO_SCHEDULE}, {key: t5, effect: NO_SCHEDULE}, {key: t6, effect: NO_SCHEDULE}, {key: t7, effect: NO_SCHEDULE}, {key: t8, effect: NO_SCHEDULE}, {key: t9, effect: NO_SCHEDULE}, {key: t10, effect: NO_SCHEDULE}, {key: t11, effect: NO_SCHEDULE}, {key: t12, effect: NO_SCHEDULE}, {key: t13, effect: NO_SCHEDULE}, {key: t14, effect: NO_SCHEDULE}, {key: t15, effect: NO_SCHEDULE}, {key: t16, effect: NO_SCHEDULE}, {key: t17, effect: NO_SCHEDULE}, {key: t18, effect: NO_SCHEDULE}, {key: t19, effect: NO_SCHEDULE}, {key: t20, effect: NO_SCHEDULE}, {key: t21, effect: NO_SCHEDULE}, {key: t22, effect: NO_SCHEDULE}, {key: t23, effect: NO_SCHEDULE}, {key: t24, effect: NO_SCHEDULE}, {key: t25, effect: NO_SCHEDULE}, {key: t26, effect: NO_SCHEDULE}, {key: t27, effect: NO_SCHEDULE}, {key: t28, effect: NO_SCHEDULE}, {key: t29, effect: NO_SCHEDULE}, {key: t30, effect: NO_SCHEDULE}, {key: t31, effect: NO_SCHEDULE}, {key: t32, effect: NO_SCHEDULE}, {key: t33, effect: NO_SCHEDULE}, {key: t34, effect: NO_SCHEDULE}, {key: t35, effect: NO_SCHEDULE}, {key: t36, effect: NO_SCHEDULE}, {key: t37, effect: NO_SCHEDULE}, {key: t38, effect: NO_SCHEDULE}, {key: t39, effect: NO_SCHEDULE}, {key: t40, effect: NO_SCHEDULE}, {key: t41, effect: NO_SCHEDULE}, {key: t42, effect: NO_SCHEDULE}, {key: t43, effect: NO_SCHEDULE}, {key: t44, effect: NO_SCHEDULE}, {key: t45, effect: NO_SCHEDULE}, {key: t46, effect: NO_SCHEDULE}, {key: t47, effect: NO_SCHEDULE}, {key: t48, effect: NO_SCHEDULE}, {key: t49, effect: NO_SCHEDULE}, {key: t50, effect: NO_SCHEDULE}]}}", []string{
		"nodes.system.taints: lists 51 taints; EKS allows 50 on a node group and eksready adds 0",
	}},
	{"taint key longer than EKS allows", "nodes: {system: {taints: [{key: 'example.com/kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk', effect: NO_SCHEDULE}]}}", []string{
		`nodes.system.taints[0].key: "example.com/kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk" is longer than the 63 characters EKS allows a taint key`,
	}},
	{"state key in another partition", "backend: {type: s3, s3: {bucket: state, kmsKeyId: 'arn:aws-cn:kms:cn-north-1:111122223333:alias/state'}}", []string{
		`backend.s3.kmsKeyId: "arn:aws-cn:kms:cn-north-1:111122223333:alias/state" is in partition aws-cn but region eu-west-1 is in partition aws (ARNs never cross partitions)`,
	}},
	{"waiver of no rule", "readiness: {waive: [{rule: BP-NOT-A-RULE, reason: tracked in PLAT-9}]}", []string{
		`readiness.waive[0].rule: "BP-NOT-A-RULE" is no readiness rule; the rule IDs are in docs/readiness.md and in every synth's report`,
	}},
	{"waiver of a misspelt rule", "readiness: {waive: [{rule: BP-PUBLIC-ENDPIONT, reason: tracked in PLAT-9}, {rule: R6-ONE-AUTOSCALERS, reason: tracked in PLAT-10}]}", []string{
		`readiness.waive[0].rule: "BP-PUBLIC-ENDPIONT" is no readiness rule; did you mean "BP-PUBLIC-ENDPOINT"?`,
		`readiness.waive[1].rule: "R6-ONE-AUTOSCALERS" is no readiness rule; did you mean "R6-ONE-AUTOSCALER"?`,
	}},
}

func TestHostileInputsAreRefused(t *testing.T) {
	for _, tc := range hostileCases {
		t.Run(tc.name, func(t *testing.T) {
			assertSameProblems(t, problemsOf(t, tc.yaml), tc.want)
		})
	}
	t.Logf("%d bad inputs tried, each refused with its exact problems", len(hostileCases))
}

// The near misses of hostileCases are valid and must stay accepted: a
// bound must not refuse what AWS allows.
func TestNearMissesAreAccepted(t *testing.T) {
	ipv6Vpc := "network: {podNetworking: {mode: ipv6}, existingVpc: {vpcId: vpc-0a1b2c3d4e5f60718, privateSubnets: [{id: subnet-0bbbbbbbbbbbbbbb1, zone: eu-west-1a, cidr: 10.50.32.0/20, ipv6Cidr: '2001:db8:0:1::/64'}, {id: subnet-0bbbbbbbbbbbbbbb2, zone: eu-west-1b, cidr: 10.50.48.0/20, ipv6Cidr: '2001:db8:0:2::/64'}]}}"
	for name, y := range map[string]string{
		"one-letter cluster name":           "name: a",
		"unicode tag within 128 characters": "tags: {'" + strings.Repeat("é", 128) + "': 'Zürich office', 'cost center': 'a+b=c @ d/e:f_g.h-i'}",
		"44 user tags":                      "tags: {" + tagList(44) + "}",
		"public documentation ranges":       "controlPlane: {endpoint: {publicAccessCidrs: ['203.0.113.0/24', '198.51.100.7/32']}}",
		"gp3 baseline IOPS on a small root": "nodes: {system: {volumes: {root: {sizeGiB: 4, iops: 3000, throughputMiBs: 125}}}}",
		"gp3 at its ratios":                 "nodes: {system: {volumes: {data: {sizeGiB: 32, iops: 16000, throughputMiBs: 1000}}}}",
		"io2 at its largest":                "nodes: {system: {volumes: {data: {type: io2, sizeGiB: 65536, iops: 256000}}}}",
		"maxSize above the default quota":   "nodes: {system: {maxSize: 5000}}\nnetwork: {podNetworking: {mode: cilium}}",
		"China region with its ARNs":        "region: cn-north-1\naccess: {entries: [{principalArn: 'arn:aws-cn:iam::111122223333:role/sre', policy: view}]}",
		"GovCloud region":                   "region: us-gov-east-1",
		"pool name with an underscore":      "nodes: {batch_jobs: {}}",
		"Graviton pool":                     "nodes: {system: {instanceTypes: [m7g.large, c7g.large]}}",
		"existing IPv6 VPC with its ranges": ipv6Vpc,
		"zone f of us-east-1":               "region: us-east-1\nnetwork: {availabilityZones: [us-east-1a, us-east-1f]}",
	} {
		if _, err := Load(strings.NewReader(y)); err != nil {
			t.Errorf("%s: refused:\n%v", name, err)
		}
	}
}

// tagList writes n distinct valid tags as YAML flow-mapping entries.
func tagList(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = "k" + strings.Repeat("x", i) + ": v"
	}
	return strings.Join(parts, ", ")
}

// Valid but surprising sizes are warned about, with the reason: above the
// default node-group quota, more node groups than the default quota, and
// a managed pool nothing will ever scale under Karpenter.
func TestSizeWarnings(t *testing.T) {
	cases := map[string]struct {
		yaml string
		want []string
	}{
		"above the nodes-per-group quota": {"nodes: {system: {maxSize: 500}}\nnetwork: {podNetworking: {mode: ipv6}}", []string{
			`nodes.system.maxSize: 500 is above the 450 nodes per managed node group EKS allows by default: raise the service quota first (sizes are per zone: 3 zones make 1500 nodes at most)`,
		}},
		"more node groups than the quota": {"nodes: {a: {generations: ['1', '2']}, b: {generations: ['1', '2']}, c: {generations: ['1', '2']}, d: {generations: ['1', '2']}, e: {}, f: {}}", []string{
			`nodes: make 33 managed node groups (pools × zones × generations), above the 30 per cluster EKS allows by default: raise the service quota first`,
		}},
		"an empty managed pool under Karpenter": {"nodes: {batch: {minSize: 0}}\nsoftware: {autoscaling: karpenter, karpenter: {nodePools: {general: {}}}}", []string{
			`nodes.batch.minSize: 0 with desiredSize 0 leaves the pool empty, and nothing scales it: Karpenter launches its own nodes and never grows a managed node group (remove the pool, or give it a size)`,
		}},
	}
	for name, tc := range cases {
		c, err := Load(strings.NewReader(tc.yaml + "\ncontrolPlane: {endpoint: {publicAccessCidrs: ['203.0.113.0/24']}}"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got []string
		for _, w := range Warnings(c) {
			got = append(got, w.String())
		}
		t.Run(name, func(t *testing.T) { assertSameProblems(t, got, tc.want) })
	}
}
