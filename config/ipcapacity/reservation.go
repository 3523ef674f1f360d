package ipcapacity

import (
	"fmt"
	"net/netip"
	"strings"
)

// DefaultReservationHeadroomPercent is the room a prefix reservation sized
// from the plan leaves above the prefixes the subnet needs at max scale,
// before rounding up to a CIDR block: node pools grow, and a reservation
// cannot be enlarged in place once addresses outside it are in use.
const DefaultReservationHeadroomPercent = 25

// ReservationSize is the number of addresses a prefix reservation should
// hold in a subnet of subnetSize addresses whose prefix delegation needs
// prefixes /28 blocks at max scale: the need plus headroomPercent, rounded
// up to a power of two (a CIDR block) of at least one /28 and at most half
// the subnet, so the other half keeps room for node and interface
// addresses. A need above half the subnet gets half; the planner then
// charges the overflow at the worst case. Subnets smaller than a /26 have
// no /28 to spare between their first and last and get 0 (no reservation).
func ReservationSize(subnetSize, prefixes, headroomPercent int) int {
	if subnetSize < 4*ipsPerPrefix {
		return 0
	}
	want := ceilDiv(prefixes*(100+max(headroomPercent, 0)), 100) * ipsPerPrefix
	size := ipsPerPrefix
	for size < want && size < subnetSize/2 {
		size *= 2
	}
	return size
}

// ReservationCIDRs places a prefix reservation of size addresses (a power
// of two from 16 to half the subnet) in the subnet: from the subnet's
// midpoint up as one block when it is at most a quarter of the subnet, or
// as two halves either side of the midpoint when it is half. Either way the
// blocks are aligned and never touch the subnet's first /28 (network,
// router, DNS and reserved addresses) or last /28 (broadcast), which no
// prefix can use.
func ReservationCIDRs(subnetCIDR string, size int) ([]string, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(subnetCIDR))
	if err != nil || !p.Addr().Is4() || p.Masked() != p {
		return nil, fmt.Errorf("%w: subnet %q is not an IPv4 CIDR block", ErrInvalidInput, subnetCIDR)
	}
	subnetSize := 1 << (32 - p.Bits())
	if subnetSize < 4*ipsPerPrefix || size < ipsPerPrefix || size&(size-1) != 0 || size > subnetSize/2 {
		return nil, fmt.Errorf("%w: a prefix reservation of %d addresses in %s must be a power of two from 16 to half the subnet, in a subnet of /26 or larger", ErrInvalidInput, size, p)
	}
	mid := subnetSize / 2
	block := func(offset, n int) string {
		return netip.PrefixFrom(addrAt(p, offset), 32-log2(n)).String()
	}
	if mid+size <= subnetSize-ipsPerPrefix {
		return []string{block(mid, size)}, nil
	}
	return []string{block(mid-size/2, size/2), block(mid, size/2)}, nil
}

func log2(n int) int {
	k := 0
	for n > 1 {
		n >>= 1
		k++
	}
	return k
}
