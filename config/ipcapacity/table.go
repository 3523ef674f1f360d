package ipcapacity

import (
	"fmt"
	"strconv"
	"strings"
)

// RenderTable renders the report as a plain-text table with the columns AZ,
// SUBNET, USABLE, NEED AT MAX, HEADROOM % and STATUS, one row per subnet in
// report order. The output depends only on the report, so it can be compared
// in tests and diffed between runs. Rows counted in /28 blocks are marked
// with "[/28]" and explained in a footnote. A nil report renders the header
// only.
func RenderTable(r *Report) string {
	header := []string{"AZ", "SUBNET", "USABLE", "NEED AT MAX", "HEADROOM %", "STATUS"}
	rightAligned := []bool{false, false, true, true, true, false}
	rows := [][]string{header}
	blocks := false
	var subnets []SubnetReport
	if r != nil {
		subnets = r.Subnets
	}
	for _, s := range subnets {
		label := fmt.Sprintf("%s (%s)", s.Label(), s.Name)
		if s.PrefixBlocks {
			label += " [/28]"
			blocks = true
		}
		status := "OK"
		if !s.Fits {
			status = "FAIL"
		}
		rows = append(rows, []string{
			s.AZ, label, comma(s.Usable), comma(s.Need),
			strconv.FormatFloat(s.HeadroomPercent, 'f', 1, 64), status,
		})
	}
	widths := make([]int, len(header))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], len([]rune(cell)))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			if i > 0 {
				line.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[i]-len([]rune(cell)))
			if rightAligned[i] {
				line.WriteString(pad + cell)
			} else {
				line.WriteString(cell + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	if blocks {
		b.WriteString("[/28] prefix delegation: usable and need count whole /28 blocks of 16 addresses\n")
	}
	return b.String()
}

// comma formats an integer with thousands separators, e.g. 1234 -> "1,234",
// because the figures are read by people sizing subnets.
func comma(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
