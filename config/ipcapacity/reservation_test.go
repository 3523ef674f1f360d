package ipcapacity

import (
	"errors"
	"slices"
	"testing"
)

func TestReservationSize(t *testing.T) {
	tests := []struct{ subnet, prefixes, headroom, want int }{
		{8192, 24, 25, 512},   // 30 blocks → 32 blocks
		{8192, 0, 25, 16},     // at least one /28
		{8192, 400, 25, 4096}, // 500 blocks → 512, capped at half the subnet
		{8192, 100, 0, 2048},  // 100 blocks → 128
		{4096, 128, 0, 2048},  // exactly 128 blocks
		{64, 1, 25, 32},       // 1.25 blocks → 2
		{32, 1, 25, 0},        // a /27 cannot
	}
	for _, tc := range tests {
		if got := ReservationSize(tc.subnet, tc.prefixes, tc.headroom); got != tc.want {
			t.Errorf("ReservationSize(%d, %d, %d) = %d, want %d", tc.subnet, tc.prefixes, tc.headroom, got, tc.want)
		}
	}
}

func TestReservationCIDRs(t *testing.T) {
	tests := []struct {
		subnet string
		size   int
		want   []string
	}{
		{"10.0.0.0/19", 512, []string{"10.0.16.0/23"}},
		{"10.0.0.0/19", 2048, []string{"10.0.16.0/21"}},
		{"10.0.0.0/19", 4096, []string{"10.0.8.0/21", "10.0.16.0/21"}},
		{"10.0.32.0/19", 16, []string{"10.0.48.0/28"}},
		{"10.0.0.0/26", 16, []string{"10.0.0.32/28"}},
		{"10.0.0.0/26", 32, []string{"10.0.0.16/28", "10.0.0.32/28"}},
	}
	for _, tc := range tests {
		got, err := ReservationCIDRs(tc.subnet, tc.size)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("ReservationCIDRs(%s, %d) = %v, %v; want %v", tc.subnet, tc.size, got, err, tc.want)
		}
		// Plan accepts what ReservationCIDRs places.
		if _, err := Plan(Input{CNI: CNIConfig{Mode: ModePrefixDelegation}, AZs: []AZ{{Name: "a", NodeSubnet: Subnet{CIDR: tc.subnet, PrefixReservations: got}}}}); err != nil {
			t.Errorf("Plan rejects %v in %s: %v", got, tc.subnet, err)
		}
	}
	for _, bad := range []struct {
		subnet string
		size   int
	}{{"10.0.0.0/19", 8192}, {"10.0.0.0/19", 24}, {"10.0.0.0/19", 8}, {"10.0.0.0/27", 16}, {"nope", 16}, {"10.0.0.1/19", 16}} {
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
	// The upper half of the subnet would hold its broadcast /28.
	in.AZs[0].NodeSubnet.PrefixReservations = []string{"10.0.24.0/21"}
	if _, err := Plan(in); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("a reservation over the last /28: %v", err)
	}
	// Two /22s around the midpoint (128 blocks) hold the 80 prefixes: 128
	// reserved blocks + 10 primaries + 14 others packed in ceil(24/16) = 2
	// blocks = 130 blocks.
	in.AZs[0].NodeSubnet.PrefixReservations = []string{"10.0.20.0/22", "10.0.24.0/22"}
	rep, err = Plan(in)
	if rep == nil {
		t.Fatal(err)
	}
	s = rep.Subnets[0]
	if err != nil || s.WorstCase || s.Reserved != 2048 || s.Need != 130*16 || s.Usable != 254*16 || !s.Fits {
		t.Errorf("reservation holding every prefix: %+v, %v", s, err)
	}
	want := "a: node subnet 10.0.16.0/20 holds 254 free /28 blocks (4,064 addresses) and 1 node group at max scale need 130 blocks (2,080 addresses) (a: 10 × m5.large prefix delegation: 8 /28 prefixes + 1 ENI primary IP = 129 each = 1,290; 14 other addresses; prefix reservation 10.0.20.0/22 + 10.0.24.0/22 holds 128 blocks)"
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
