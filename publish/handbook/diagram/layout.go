package diagram

// Sizes, in user units (pixels at 100 %).
const (
	margin   = 20  // around everything
	titleH   = 44  // the diagram's title line
	bandPad  = 14  // inside a band, left and right
	bandGap  = 16  // between bands
	bandTop  = 52  // band title and column heads, above the first box
	bandBot  = 14  // below the tallest column
	colW     = 256 // a column's (and its boxes') width
	colGap   = 52  // between columns, where the edges run
	boxGap   = 12  // between boxes of a column
	boxPad   = 10  // inside a box, left and right
	nameBase = 19  // from a box's top to its name's baseline
	lineH    = 15  // between detail lines
	boxBot   = 11  // below the last line
	minW     = 460 // the narrowest diagram
	nameSize = 13.0
	lineSize = 11.0
)

// rect is a box's place.
type rect struct{ x, y, w, h int }

// placed is a box with its place.
type placed struct {
	b *box
	r rect
}

// head is a column's heading and where it goes.
type head struct {
	x, y int
	text string
}

// bandPlace is a band laid out.
type bandPlace struct {
	title string
	r     rect
	heads []head
	boxes []placed
}

// layout is the model laid out: the document's size, the bands, and
// every box's place by id (for the edges).
type layout struct {
	w, h  int
	bands []bandPlace
	at    map[string]rect
}

// boxHeight is the height of b: its name, tag and lines.
func boxHeight(b *box) int {
	n := len(b.lines)
	if b.tag != "" {
		n++
	}
	return nameBase + n*lineH + boxBot
}

// place lays m out: bands one under the other, columns left to right,
// each column's boxes stacked and centred on the band's tallest column.
func place(m model) layout {
	l := layout{at: map[string]rect{}}
	widest := 0
	for _, b := range m.bands {
		widest = max(widest, len(b.cols))
	}
	l.w = max(minW, 2*margin+2*bandPad+widest*colW+max(0, widest-1)*colGap)
	y := margin + titleH
	for _, b := range m.bands {
		bp := bandPlace{title: b.title}
		tallest := 0
		heights := make([]int, len(b.cols))
		for i, c := range b.cols {
			for j, bx := range c.boxes {
				if j > 0 {
					heights[i] += boxGap
				}
				heights[i] += boxHeight(bx)
			}
			tallest = max(tallest, heights[i])
		}
		for i, c := range b.cols {
			x := margin + bandPad + i*(colW+colGap)
			bp.heads = append(bp.heads, head{x: x, y: y + 44, text: c.head})
			by := y + bandTop + (tallest-heights[i])/2
			for _, bx := range c.boxes {
				r := rect{x: x, y: by, w: colW, h: boxHeight(bx)}
				bp.boxes = append(bp.boxes, placed{bx, r})
				l.at[bx.id] = r
				by += r.h + boxGap
			}
		}
		bp.r = rect{x: margin, y: y, w: l.w - 2*margin, h: bandTop + tallest + bandBot}
		l.bands = append(l.bands, bp)
		y += bp.r.h + bandGap
	}
	l.h = y - bandGap + margin
	if len(m.bands) == 0 {
		l.h = margin + titleH + 24 + margin
	}
	return l
}
