package charts

import (
	"math"
	"strconv"
	"strings"
)

// Axis ticks: between minTicks and maxTicks where the range allows it.
const minTicks, maxTicks = 4, 6

// axis is a value range and its ticks.
type axis struct {
	Lo, Hi   float64
	Ticks    []float64
	Step     float64
	Decimals int // decimals the tick labels need
}

// niceAxis picks the smallest step of 1, 2 or 5 times a power of ten that
// gives at most maxTicks ticks over [lo, hi]. A fixed end stays where it is
// (ticks are the step's multiples inside it); a free end is extended to a
// multiple of the step (a nice floor or ceiling). lo < hi, both finite.
func niceAxis(lo, hi float64, fixedLo, fixedHi bool) axis {
	const eps = 1e-9
	span := hi - lo
	e := int(math.Floor(math.Log10(span/maxTicks))) - 1
	var best axis
	for ; e < 400; e++ { // e < 400 only stops a runaway loop
		for _, m := range []float64{1, 2, 5} {
			step := m * math.Pow(10, float64(e))
			first, last := math.Floor(lo/step+eps), math.Ceil(hi/step-eps)
			if fixedLo {
				first = math.Ceil(lo/step - eps)
			}
			if fixedHi {
				last = math.Floor(hi/step + eps)
			}
			n := int(last-first) + 1
			if n > maxTicks {
				continue
			}
			a := axis{Lo: lo, Hi: hi, Step: step, Decimals: max(0, -e)}
			if !fixedLo {
				a.Lo = first * step
			}
			if !fixedHi {
				a.Hi = last * step
			}
			p := math.Pow(10, float64(a.Decimals))
			for k := first; k <= last; k++ {
				v := math.Round(k*step*p) / p
				if v == 0 {
					v = 0 // no -0
				}
				a.Ticks = append(a.Ticks, v)
			}
			if n >= minTicks || best.Ticks == nil && n >= 2 {
				return a
			}
			if best.Ticks == nil {
				best = a
			}
		}
	}
	return best
}

// maxAbs bounds the values used for scaling, so that no range or step
// overflows; labels still show the real value.
const maxAbs = 1e300

func bound(v float64) float64 { return math.Max(-maxAbs, math.Min(maxAbs, v)) }

// dataRange widens [lo, hi] (from the data and the marks, ±Inf when none)
// so that it holds 0 and is not empty.
func dataRange(lo, hi float64) (float64, float64) {
	lo, hi = bound(math.Min(lo, 0)), bound(math.Max(hi, 0))
	if hi <= lo {
		hi = lo + 1
	}
	return lo, hi
}

// axisFor builds the y axis from the data range and the optional fixed
// ends (a fixed end that is NaN, infinite or leaves an empty range is
// ignored).
func axisFor(dlo, dhi float64, fixLo, fixHi *float64) axis {
	lo, hi := dataRange(dlo, dhi)
	fl := fixLo != nil && finite(*fixLo)
	fh := fixHi != nil && finite(*fixHi)
	if fl {
		lo = bound(*fixLo)
		if !fh && hi <= lo {
			hi = lo + math.Max(1, math.Abs(lo))
		}
	}
	if fh {
		hi = bound(*fixHi)
		if !fl && lo >= hi {
			lo = hi - math.Max(1, math.Abs(hi))
		}
	}
	if hi <= lo { // both fixed and nonsense: back to the data
		fl, fh = false, false
		lo, hi = dataRange(dlo, dhi)
	}
	return niceAxis(lo, hi, fl, fh)
}

// pos maps v into [0, 1] along the axis, clamped.
func (a axis) pos(v float64) float64 {
	return math.Max(0, math.Min(1, (bound(v)-a.Lo)/(a.Hi-a.Lo)))
}

// tick formats a tick value with the decimals the step needs and the
// unit; milliseconds from 1000 are shown in seconds.
func (a axis) tick(v float64, unit string) string {
	if a.Decimals > 9 || math.Abs(v) >= 1e12 {
		return withUnit(strconv.FormatFloat(v, 'g', 3, 64), unit)
	}
	if unit == "ms" && math.Abs(v) >= 1000 {
		dec := max(0, int(math.Ceil(-math.Log10(a.Step/1000)-1e-9)))
		return strconv.FormatFloat(v/1000, 'f', dec, 64) + " s"
	}
	return withUnit(strconv.FormatFloat(v, 'f', a.Decimals, 64), unit)
}

// fmtValue formats a measured value: two decimals under 100, one under
// 1000, none above, trailing zeros trimmed; milliseconds are whole, and
// seconds from 1000 ms.
func fmtValue(v float64, unit string) string {
	if !finite(v) {
		return "no data"
	}
	if a := math.Abs(v); a >= 1e12 || a < 1e-9 && a > 0 {
		return withUnit(strconv.FormatFloat(v, 'g', 4, 64), unit)
	}
	if unit == "ms" {
		if math.Abs(v) >= 1000 {
			return trimNum(v/1000, 2) + " s"
		}
		return withUnit(trimNum(v, 0), unit)
	}
	dec := 0
	switch a := math.Abs(v); {
	case a < 100:
		dec = 2
	case a < 1000:
		dec = 1
	}
	return withUnit(trimNum(v, dec), unit)
}

// trimNum rounds v half away from zero to dec decimals and drops trailing
// zeros.
func trimNum(v float64, dec int) string {
	p := math.Pow(10, float64(dec))
	s := strconv.FormatFloat(math.Round(v*p)/p, 'f', dec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// withUnit joins a number and its unit: "%" (and "°") sticks to the
// number, other units follow a space.
func withUnit(num, unit string) string {
	switch unit {
	case "":
		return num
	case "%", "°":
		return num + unit
	}
	return num + " " + unit
}
