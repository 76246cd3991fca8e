package textdiff

import "strings"

// splitLines splits s into lines, each keeping its "\n"; only the last may
// lack it. An empty s has no lines.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// Edit operations.
const (
	opEqual  = ' '
	opDelete = '-'
	opInsert = '+'
)

// edit is one line of an edit script. a and b are the positions in the old
// and new lines when the edit is reached: the line itself for an equal
// line, the deleted line (a) or the inserted line (b), the next line on the
// other side.
type edit struct {
	op   byte
	a, b int
}

// diffLines returns a shortest edit script turning a into b; deletions come
// before insertions within each changed run.
func diffLines(a, b []string) []edit {
	ids := make(map[string]int, len(a)+len(b))
	intern := func(lines []string) []int {
		out := make([]int, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = len(ids)
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	d := &differ{a: intern(a), b: intern(b), del: make([]bool, len(a)), ins: make([]bool, len(b))}
	d.diff(0, len(a), 0, len(b))

	script := make([]edit, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && d.del[i]:
			script = append(script, edit{opDelete, i, j})
			i++
		case j < len(b) && d.ins[j]:
			script = append(script, edit{opInsert, i, j})
			j++
		default:
			script = append(script, edit{opEqual, i, j})
			i++
			j++
		}
	}
	return script
}

// differ marks which lines of a are deleted and which of b inserted.
type differ struct {
	a, b     []int
	del, ins []bool
}

// diff marks the edits turning a[aLo:aHi] into b[bLo:bHi].
func (d *differ) diff(aLo, aHi, bLo, bHi int) {
	for aLo < aHi && bLo < bHi && d.a[aLo] == d.b[bLo] {
		aLo++
		bLo++
	}
	for aLo < aHi && bLo < bHi && d.a[aHi-1] == d.b[bHi-1] {
		aHi--
		bHi--
	}
	if aLo < aHi && bLo < bHi {
		x, y, ok := d.bisect(aLo, aHi, bLo, bHi)
		// A split at a corner would not make the problem smaller.
		if ok && x >= aLo && x <= aHi && y >= bLo && y <= bHi &&
			!(x == aLo && y == bLo) && !(x == aHi && y == bHi) {
			d.diff(aLo, x, bLo, y)
			d.diff(x, aHi, y, bHi)
			return
		}
	}
	for i := aLo; i < aHi; i++ {
		d.del[i] = true
	}
	for j := bLo; j < bHi; j++ {
		d.ins[j] = true
	}
}

// bisect finds the middle of a shortest edit path through a[aLo:aHi] and
// b[bLo:bHi] by running Myers' search from both ends until the paths meet,
// and returns where they meet. ok is false when they never do (the two
// have nothing in common).
func (d *differ) bisect(aLo, aHi, bLo, bHi int) (x, y int, ok bool) {
	a, b := d.a[aLo:aHi], d.b[bLo:bHi]
	n, m := len(a), len(b)
	maxD := (n + m + 1) / 2
	off := maxD
	vlen := 2*maxD + 2
	v1 := make([]int, vlen) // forward: furthest x on each diagonal
	v2 := make([]int, vlen) // reverse: furthest x from the end
	for i := range v1 {
		v1[i], v2[i] = -1, -1
	}
	v1[off+1], v2[off+1] = 0, 0
	delta := n - m
	front := delta%2 != 0 // the forward path meets the reverse one
	var k1start, k1end, k2start, k2end int
	for dd := 0; dd < maxD; dd++ {
		for k1 := -dd + k1start; k1 <= dd-k1end; k1 += 2 {
			k1o := off + k1
			var x1 int
			if k1 == -dd || (k1 != dd && v1[k1o-1] < v1[k1o+1]) {
				x1 = v1[k1o+1]
			} else {
				x1 = v1[k1o-1] + 1
			}
			y1 := x1 - k1
			for x1 < n && y1 < m && a[x1] == b[y1] {
				x1++
				y1++
			}
			v1[k1o] = x1
			switch {
			case x1 > n:
				k1end += 2 // ran off the right
			case y1 > m:
				k1start += 2 // ran off the bottom
			case front:
				k2o := off + delta - k1
				if k2o >= 0 && k2o < vlen && v2[k2o] != -1 && x1 >= n-v2[k2o] {
					return aLo + x1, bLo + y1, true
				}
			}
		}
		for k2 := -dd + k2start; k2 <= dd-k2end; k2 += 2 {
			k2o := off + k2
			var x2 int
			if k2 == -dd || (k2 != dd && v2[k2o-1] < v2[k2o+1]) {
				x2 = v2[k2o+1]
			} else {
				x2 = v2[k2o-1] + 1
			}
			y2 := x2 - k2
			for x2 < n && y2 < m && a[n-x2-1] == b[m-y2-1] {
				x2++
				y2++
			}
			v2[k2o] = x2
			switch {
			case x2 > n:
				k2end += 2
			case y2 > m:
				k2start += 2
			case !front:
				k1o := off + delta - k2
				if k1o >= 0 && k1o < vlen && v1[k1o] != -1 {
					x1 := v1[k1o]
					y1 := off + x1 - k1o
					if x1 >= n-x2 {
						return aLo + x1, bLo + y1, true
					}
				}
			}
		}
	}
	return 0, 0, false
}
