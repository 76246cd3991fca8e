package diagram

import "slices"

// laneGap is the distance between two vertical lanes in one gap.
const laneGap = 8

// leg is one edge with its ends in place.
type leg struct {
	x1, y1, x2, y2 int
	group          string // edges of a group share one vertical lane
}

// route turns the edges whose ends are both drawn into SVG path data,
// orthogonal: right from the source's middle, up or down in a vertical lane
// in the gap after the source's column, right into the target's middle.
// Edges into a target that several edges reach share a lane (they meet
// there), as do the edges out of one source; groups whose vertical spans
// overlap get lanes of their own, so a lane never carries two groups. An
// edge alone at both ends between boxes side by side at about the same
// height is one straight line.
func route(edges []edge, at map[string]rect) []string {
	in, out := map[string]int{}, map[string]int{}
	var ok []edge
	for _, e := range edges {
		from, ok1 := at[e.from]
		to, ok2 := at[e.to]
		if ok1 && ok2 && to.x > from.x {
			ok = append(ok, e)
			in[e.to]++
			out[e.from]++
		}
	}
	legs := make([]leg, len(ok))
	for i, e := range ok {
		from, to := at[e.from], at[e.to]
		l := leg{x1: from.x + from.w, y1: from.y + from.h/2, x2: to.x - 1, y2: to.y + to.h/2, group: "from:" + e.from}
		if in[e.to] > 1 {
			l.group = "to:" + e.to
		}
		if top, bot := max(from.y, to.y), min(from.y+from.h, to.y+to.h); in[e.to] == 1 && out[e.from] == 1 &&
			bot-top >= 24 && abs(l.y1-l.y2) < 24 {
			l.y1, l.y2 = (top+bot)/2, (top+bot)/2
		}
		legs[i] = l
	}
	lane, lanes := assignLanes(legs)
	paths := make([]string, len(legs))
	for i, l := range legs {
		d := "M" + itoa(l.x1) + "," + itoa(l.y1)
		if l.y1 != l.y2 {
			n := lanes[l.x1]
			mx := l.x1 + colGap/2 + lane[l.x1][l.group]*laneGap - (n-1)*laneGap/2
			d += " H" + itoa(mx) + " V" + itoa(l.y2)
		}
		paths[i] = d + " H" + itoa(l.x2)
	}
	return paths
}

// span is the vertical extent of one group of legs in one gap.
type span struct {
	group    string
	top, bot int
}

// assignLanes gives each group in each gap (keyed by the gap's left x) the
// lowest lane that no overlapping group holds, in order of the groups'
// tops; it returns the lanes and how many each gap uses.
func assignLanes(legs []leg) (map[int]map[string]int, map[int]int) {
	spans := map[int][]span{}
	for _, l := range legs {
		if l.y1 == l.y2 {
			continue
		}
		top, bot := min(l.y1, l.y2), max(l.y1, l.y2)
		ss := spans[l.x1]
		if i := slices.IndexFunc(ss, func(s span) bool { return s.group == l.group }); i >= 0 {
			ss[i].top, ss[i].bot = min(ss[i].top, top), max(ss[i].bot, bot)
		} else {
			spans[l.x1] = append(ss, span{l.group, top, bot})
		}
	}
	lane, lanes := map[int]map[string]int{}, map[int]int{}
	for x, ss := range spans {
		slices.SortStableFunc(ss, func(a, b span) int { return a.top - b.top })
		lane[x] = map[string]int{}
		var ends []int // per lane, the bottom of its last group
		for _, s := range ss {
			k := slices.IndexFunc(ends, func(bot int) bool { return bot+laneGap <= s.top })
			if k < 0 {
				k = len(ends)
				ends = append(ends, 0)
			}
			ends[k] = s.bot
			lane[x][s.group] = k
		}
		lanes[x] = len(ends)
	}
	return lane, lanes
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
