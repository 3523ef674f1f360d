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
// with "[/28]", or "[/28!]" when planned for worst-case fragmentation, and
// explained in footnotes. A nil report renders the header
// only.
func RenderTable(r *Report) string {
	header := []string{"AZ", "SUBNET", "USABLE", "NEED AT MAX", "HEADROOM %", "STATUS"}
	rightAligned := []bool{false, false, true, true, true, false}
	rows := [][]string{header}
	blocks, worst := false, false
	var subnets []SubnetReport
	if r != nil {
		subnets = r.Subnets
	}
	for _, s := range subnets {
		label := fmt.Sprintf("%s (%s)", s.Label(), s.Name)
		switch {
		case s.PrefixBlocks && s.WorstCase:
			label += " [/28!]"
			blocks, worst = true, true
		case s.PrefixBlocks:
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
	var b strings.Builder
	b.WriteString(RenderColumns(rows[0], rightAligned, rows[1:]))
	if blocks {
		b.WriteString("[/28] prefix delegation: usable and need count whole /28 blocks of 16 addresses\n")
	}
	if worst {
		b.WriteString("[/28!] no prefix reservation holds every prefix: each single address is charged a whole /28 block (worst-case fragmentation)\n")
	}
	return b.String()
}

// RenderColumns renders a plain-text table: the header, then each row,
// columns padded to their widest cell (right-aligned where rightAligned
// says so) and two spaces apart, trailing spaces trimmed.
func RenderColumns(header []string, rightAligned []bool, rows [][]string) string {
	all := append([][]string{header}, rows...)
	widths := make([]int, len(header))
	for _, row := range all {
		for i, cell := range row {
			widths[i] = max(widths[i], len([]rune(cell)))
		}
	}
	var b strings.Builder
	for _, row := range all {
		var line strings.Builder
		for i, cell := range row {
			if i > 0 {
				line.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[i]-len([]rune(cell)))
			if i < len(rightAligned) && rightAligned[i] {
				line.WriteString(pad + cell)
			} else {
				line.WriteString(cell + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// Comma formats an integer with thousands separators, e.g. 1234 ->
// "1,234", the way every figure of the plan is printed.
func Comma(n int) string { return comma(n) }

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
