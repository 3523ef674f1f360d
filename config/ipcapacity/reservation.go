package ipcapacity

import (
	"fmt"
	"net/netip"
	"strings"
)

// DefaultReservationHeadroomPercent is the room a prefix reservation sized
// from the plan leaves above the prefixes the subnet needs at max scale
// (and outside it, above the single addresses): node pools grow, and a
// reservation cannot be enlarged in place once addresses around it are in
// use.
const DefaultReservationHeadroomPercent = 25

// ReservationSize is the number of addresses a prefix reservation should
// hold in a subnet of subnetSize addresses that needs prefixes /28 blocks
// and individual single addresses at max scale: the prefixes plus
// headroomPercent, rounded up to a power of two when that fits in half the
// subnet, else to whole /24s (16 blocks), so that ReservationCIDRs needs
// few blocks.
// It never takes the room the single addresses (plus headroomPercent) need
// outside it, nor the subnet's first and last /28; when that leaves less
// than the prefixes need, the planner charges the overflow at the worst
// case. 0 means no reservation fits.
func ReservationSize(subnetSize, prefixes, individual, headroomPercent int) int {
	headroomPercent = max(headroomPercent, 0)
	want := ceilDiv(max(prefixes, 1)*(100+headroomPercent), 100)
	outside := ReservedPerSubnet + ceilDiv(individual*(100+headroomPercent), 100)
	room := min(subnetSize/ipsPerPrefix-2, (subnetSize-outside)/ipsPerPrefix)
	// A power of two is one CIDR block, or two around the midpoint.
	pow := 1
	for pow < want {
		pow *= 2
	}
	if pow <= room && pow <= subnetSize/2/ipsPerPrefix {
		return pow * ipsPerPrefix
	}
	// Otherwise whole /24s (16 blocks), a /24 clear of each end, to keep
	// the CIDR count low.
	blocks := ceilDiv(want, ipsPerPrefix) * ipsPerPrefix
	if blocks > room && room > ipsPerPrefix {
		room -= room % ipsPerPrefix
		if subnetSize >= 4*256 {
			room = min(room, (subnetSize-2*256)/ipsPerPrefix)
		}
	}
	return max(min(blocks, room), 0) * ipsPerPrefix
}

// ReservationCIDRs places a prefix reservation of size addresses (a
// multiple of 16) in the subnet as aligned CIDR blocks covering one
// contiguous range around the subnet's midpoint: a power of two that fits
// below the midpoint is the one block just below it, a larger power of two
// two blocks either side of it, and any other size the fewest blocks from
// a /24 boundary below the midpoint upwards. The range never touches the
// subnet's first /28 (network, router, DNS and reserved addresses) or last
// /28 (broadcast), which no prefix can use.
func ReservationCIDRs(subnetCIDR string, size int) ([]string, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(subnetCIDR))
	if err != nil || !p.Addr().Is4() || p.Masked() != p {
		return nil, fmt.Errorf("%w: subnet %q is not an IPv4 CIDR block", ErrInvalidInput, subnetCIDR)
	}
	subnetSize := 1 << (32 - p.Bits())
	if size < ipsPerPrefix || size%ipsPerPrefix != 0 || size > subnetSize-2*ipsPerPrefix {
		return nil, fmt.Errorf("%w: a prefix reservation of %d addresses in %s must be a multiple of 16 that leaves the subnet's first and last /28", ErrInvalidInput, size, p)
	}
	mid := subnetSize / 2
	var below int
	switch {
	case size&(size-1) == 0 && size <= mid-ipsPerPrefix:
		below = size
	case size&(size-1) == 0 && size/2 <= mid-ipsPerPrefix:
		below = size / 2
	default:
		unit := ipsPerPrefix
		if mid >= 2*256 {
			unit = 256
		}
		// Round the start down to the unit, as long as what remains above
		// the midpoint still stops short of the last /28.
		below = min(size, max((mid-ipsPerPrefix)/unit*unit, size-(mid-ipsPerPrefix)))
	}
	start, end := mid-below, mid+size-below
	var out []string
	for start < end {
		// The largest block aligned at start that fits before end.
		n := ipsPerPrefix
		for start%(2*n) == 0 && start+2*n <= end {
			n *= 2
		}
		out = append(out, netip.PrefixFrom(addrAt(p, start), 32-log2(n)).String())
		start += n
	}
	return out, nil
}

func log2(n int) int {
	k := 0
	for n > 1 {
		n >>= 1
		k++
	}
	return k
}
