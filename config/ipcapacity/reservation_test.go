package ipcapacity

import (
	"errors"
	"slices"
	"testing"
)

func TestReservationSize(t *testing.T) {
	tests := []struct{ subnet, prefixes, individual, headroom, want int }{
		{8192, 24, 33, 25, 512},    // 30 blocks → 32 (a /23)
		{8192, 0, 33, 25, 32},      // a need of none still gets 2 blocks
		{8192, 10, 0, 0, 256},      // 10 blocks → 16
		{8192, 424, 133, 25, 7680}, // 530 blocks → 544, but 167 single addresses leave room for 501, 480 in whole /24s a /24 clear of each end
		{8192, 100, 10, 0, 2048},   // 100 blocks → 128, a /21
		{4096, 150, 10, 0, 2560},   // 150 blocks: 256 is more than half a /20, so 160 (10 /24s)
		{64, 1, 0, 25, 32},         // 1.25 blocks → 2
		{64, 4, 0, 0, 32},          // a /26 has 2 blocks between its first and last
		{32, 1, 0, 25, 0},          // a /27 has none
	}
	for _, tc := range tests {
		if got := ReservationSize(tc.subnet, tc.prefixes, tc.individual, tc.headroom); got != tc.want {
			t.Errorf("ReservationSize(%d, %d, %d, %d) = %d, want %d", tc.subnet, tc.prefixes, tc.individual, tc.headroom, got, tc.want)
		}
	}
}

func TestReservationCIDRs(t *testing.T) {
	tests := []struct {
		subnet string
		size   int
		want   []string
	}{
		{"10.0.0.0/19", 512, []string{"10.0.14.0/23"}},
		{"10.0.0.0/19", 4096, []string{"10.0.8.0/21", "10.0.16.0/21"}},
		{"10.0.0.0/19", 7680, []string{"10.0.1.0/24", "10.0.2.0/23", "10.0.4.0/22", "10.0.8.0/21", "10.0.16.0/21", "10.0.24.0/22", "10.0.28.0/23", "10.0.30.0/24"}},
		{"10.0.0.0/19", 7936, []string{"10.0.0.240/28", "10.0.1.0/24", "10.0.2.0/23", "10.0.4.0/22", "10.0.8.0/21", "10.0.16.0/21", "10.0.24.0/22", "10.0.28.0/23", "10.0.30.0/24", "10.0.31.0/25", "10.0.31.128/26", "10.0.31.192/27", "10.0.31.224/28"}},
		{"10.0.0.0/19", 1792, []string{"10.0.9.0/24", "10.0.10.0/23", "10.0.12.0/22"}},
		{"10.0.0.0/19", 2048, []string{"10.0.8.0/21"}},
		{"10.0.32.0/19", 16, []string{"10.0.47.240/28"}},
		{"10.0.0.0/26", 16, []string{"10.0.0.16/28"}},
		{"10.0.0.0/26", 32, []string{"10.0.0.16/28", "10.0.0.32/28"}},
	}
	for _, tc := range tests {
		got, err := ReservationCIDRs(tc.subnet, tc.size)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("ReservationCIDRs(%s, %d) = %v, %v; want %v", tc.subnet, tc.size, got, err, tc.want)
		}
		// Plan accepts what ReservationCIDRs places, and it adds up.
		rep, err := Plan(Input{CNI: CNIConfig{Mode: ModePrefixDelegation}, AZs: []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: tc.subnet, PrefixReservations: got}}}})
		if err != nil || rep.Subnets[0].Reserved != tc.size {
			t.Errorf("Plan with %v in %s: %v", got, tc.subnet, err)
		}
	}
	for _, bad := range []struct {
		subnet string
		size   int
	}{{"10.0.0.0/19", 8192}, {"10.0.0.0/19", 8192 - 16}, {"10.0.0.0/19", 24}, {"10.0.0.0/19", 0}, {"10.0.0.0/27", 16}, {"nope", 16}, {"10.0.0.1/19", 16}} {
		if _, err := ReservationCIDRs(bad.subnet, bad.size); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("ReservationCIDRs(%s, %d) error = %v, want ErrInvalidInput", bad.subnet, bad.size, err)
		}
	}
}

// With a reservation that holds every prefix, single addresses are charged
// packed outside it and the reserved blocks count whole; a reservation too
// small for the prefixes falls back to the worst case.
func TestPlanWithPrefixReservation(t *testing.T) {
	pd := CNIConfig{Mode: ModePrefixDelegation}
	in := Input{
		CNI:        pd,
		AZs:        []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: "10.0.16.0/20", OtherAddresses: 14, PrefixReservations: []string{"10.0.24.0/22"}}}},
		NodeGroups: groups(1, 10, "m5.large"),
	}
	rep, err := Plan(in)
	if rep == nil {
		t.Fatal(err)
	}
	// 10 nodes × 8 prefixes = 80 ≤ 64 reserved? No: a /22 holds 64 blocks,
	// so 80 prefixes overflow it and the worst case applies: (80 + 24) blocks.
	s := rep.Subnets[0]
	if !s.WorstCase || s.Reserved != 1024 || s.Need != 104*16 || !s.Fits {
		t.Errorf("small reservation: %+v", s)
	}
	// A reservation must leave the single addresses room: 3,072 addresses
	// around the midpoint of a /20 leave 1,024 - 5 outside, too few for 10
	// nodes and 1,100 other addresses, though the blocks would add up.
	in.AZs[0].NodeSubnet.OtherAddresses = 1100
	in.AZs[0].NodeSubnet.PrefixReservations = []string{"10.0.18.0/23", "10.0.20.0/22", "10.0.24.0/22", "10.0.28.0/23"}
	rep, _ = Plan(in)
	if s := rep.Subnets[0]; s.Fits || s.WorstCase || s.Need > s.Usable {
		t.Errorf("single addresses crowded out by the reservation still fit: %+v", s)
	}
	in.AZs[0].NodeSubnet.OtherAddresses = 14
	rep, _ = Plan(in)
	if s := rep.Subnets[0]; !s.Fits {
		t.Errorf("small reservation: %+v", s)
	}
	// The upper half of the subnet would hold its broadcast /28.
	in.AZs[0].NodeSubnet.PrefixReservations = []string{"10.0.24.0/21"}
	if _, err := Plan(in); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("a reservation over the last /28: %v", err)
	}
	// Two /22s around the midpoint (128 blocks) hold the 80 prefixes: 80
	// blocks + 10 primaries + 14 others packed in ceil(24/16) = 2 blocks =
	// 82 blocks; the 24 single addresses fit the 2,043 outside it.
	in.AZs[0].NodeSubnet.PrefixReservations = []string{"10.0.20.0/22", "10.0.24.0/22"}
	rep, err = Plan(in)
	if rep == nil {
		t.Fatal(err)
	}
	s = rep.Subnets[0]
	if err != nil || s.WorstCase || s.Reserved != 2048 || s.Need != 82*16 || s.Usable != 254*16 || !s.Fits {
		t.Errorf("reservation holding every prefix: %+v, %v", s, err)
	}
	want := "a: node subnet 10.0.16.0/20 holds 254 free /28 blocks (4,064 addresses) and 1 node group at max scale need 82 blocks (1,312 addresses) (a: 10 × m5.large prefix delegation: 8 /28 prefixes + 1 ENI primary IP = 129 each = 1,290; 14 other addresses; the prefixes fit the 128-block prefix reservation)"
	if got := s.Message(); got != want {
		t.Errorf("message:\n got %s\nwant %s", got, want)
	}
}

// Load balancers and NAT gateways in a public subnet: planned as a subnet
// of their own, which fails when too small.
func TestPlanPublicSubnet(t *testing.T) {
	in := Input{AZs: []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: "10.0.0.0/24"}, PublicSubnet: Subnet{Name: "public", CIDR: "10.0.9.0/28", OtherAddresses: 12}}}}
	_, err := Plan(in)
	var ce *CapacityError
	if !errors.As(err, &ce) || ce.Failures[0].Role != RolePublic {
		t.Fatalf("Plan error = %v, want the public subnet to fail", err)
	}
	want := "a: public subnet 10.0.9.0/28 holds 11 usable addresses but its load balancers and gateways at max scale need 12 (12 other addresses)"
	if ce.Error() != want {
		t.Errorf("message:\n got %s\nwant %s", ce.Error(), want)
	}
}
