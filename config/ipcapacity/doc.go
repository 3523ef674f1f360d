// Package ipcapacity plans VPC IP address capacity for EKS clusters that use
// the Amazon VPC CNI, so that synthesis can fail when a cluster cannot fit its
// subnets at the maximum scale it declares.
//
// With the VPC CNI every pod takes a VPC address, and every instance type caps
// the number of ENIs and of IPv4 addresses per ENI. The package therefore has
// two halves:
//
//   - Max pods per node (MaxPods), computed exactly as AWS does. The formulas
//     and the vCPU ceiling come from awslabs/amazon-eks-ami
//     templates/al2/runtime/max-pods-calculator.sh, and the ENI-mode values
//     equal awslabs/amazon-eks-ami templates/shared/runtime/eni-max-pods.txt.
//     The per-type ENI limits are embedded from eni-limits.csv (EC2
//     DescribeInstanceTypes data for the default network card).
//
//   - Subnet capacity at maximum scale (Plan), which adds up, per availability
//     zone, the addresses every node group would hold if each of its nodes
//     were the most address-hungry of its instance types and ran its maximum
//     pod count, plus the CNI warm pool, and compares that with the addresses
//     the subnet can hand out.
//
// # Address model
//
// The model is deliberately conservative: it over-estimates need, because a
// plan that passes here and then runs out of addresses in production is far
// more expensive than a plan that asks for a bigger subnet.
//
//   - AWS reserves 5 addresses in every subnet (the network address, the VPC
//     router, DNS, one for future use, and the broadcast address), so a subnet
//     of size N has N-5 usable addresses.
//   - A node holds its own primary IPv4 address (the primary address of its
//     primary ENI), and every further attached ENI holds a primary address too.
//   - Secondary-IP mode (ENI mode, the VPC CNI default): with WARM_ENI_TARGET
//     (the default, 1) ipamd fills every ENI it attaches with all of its
//     secondary addresses and keeps WARM_ENI_TARGET ENIs' worth of free
//     addresses, so a node at its max pod count holds every address of every
//     ENI it needs plus the warm ENIs, up to the instance's ENI limit. When
//     WARM_IP_TARGET or MINIMUM_IP_TARGET is set they replace WARM_ENI_TARGET
//     and ipamd holds max(pod IPs + WARM_IP_TARGET, MINIMUM_IP_TARGET)
//     secondary addresses plus one primary per attached ENI.
//   - Prefix delegation: each pod-carrying slot of an ENI holds a /28 prefix,
//     16 addresses taken from the subnet as one aligned block. ipamd keeps
//     WARM_PREFIX_TARGET (default 1) spare prefixes, or, when WARM_IP_TARGET or
//     MINIMUM_IP_TARGET is set, enough prefixes for max(pod IPs +
//     WARM_IP_TARGET, MINIMUM_IP_TARGET) addresses; a new ENI is attached only
//     when the existing ENIs have no free prefix slot
//     (aws/amazon-vpc-cni-k8s docs/prefix-and-ip-target.md).
//   - Pods per node exclude the two host-network pods (aws-node and
//     kube-proxy) that the "+2" in AWS's formulas accounts for: they use the
//     node's own address.
//
// # Prefix fragmentation
//
// A /28 prefix must be a free, aligned block of 16 addresses. The first /28 of
// every subnet holds four AWS-reserved addresses and the last /28 holds the
// broadcast address, so neither can ever be a prefix; a subnet of N addresses
// has at most N/16-2 prefix blocks. Individual addresses (node and ENI
// primaries, load balancers, endpoints) also land inside /28 blocks and make
// them unusable for prefixes, and nothing but a subnet CIDR reservation of
// type "prefix" (recommended by AWS for prefix delegation) keeps EC2 from
// scattering them one per block. Plan therefore counts need in whole /28
// blocks and charges individual addresses two ways: packed (ceil(n/16)
// blocks) when the subnet's prefix reservations hold every prefix it needs,
// since they then only need room outside the reservations; otherwise one
// whole block each, the worst case, which is how subnets of an existing VPC
// are planned. ReservationSize and ReservationCIDRs size and place such a
// reservation for a subnet the caller creates.
//
// # Dynamic pools
//
// Karpenter and EKS Auto Mode NodePools have no node count, only a vCPU
// limit and requirements on instance labels. BoundDynamicPool turns them
// into a NodeGroup: every type the requirements admit, and
// ceil(limit / vCPUs of the smallest admitted type) nodes in every zone,
// since such a provisioner may put all its nodes in one zone.
package ipcapacity
