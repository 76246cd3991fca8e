package stats

import (
	"math"
	"slices"
	"time"
)

// Percentile is the p-th percentile (0 ≤ p ≤ 100) of xs, by linear
// interpolation between the closest ranks: the values are sorted
// ascending as s[0..n-1], h = (n-1)·p/100, and the result is
// s[⌊h⌋] + (h-⌊h⌋)·(s[⌊h⌋+1] - s[⌊h⌋]). This is numpy.percentile's default
// ("linear"), R's type 7 and Excel's PERCENTILE.INC. So p=0 is the minimum,
// p=100 the maximum, p=50 the median (the mean of the two middle values
// for an even count), and a single value is every percentile of itself.
// Ties need no rule: equal values interpolate to themselves.
//
// The result is always between two observed values (or is one of them).
// It is not the nearest-rank percentile (⌈p·n/100⌉-th value), which only
// returns observed values; for large samples the two agree closely.
//
// NaNs in xs are ignored. The result is NaN when no value is left, or when
// p is NaN or outside [0, 100]. ±Inf values sort as usual; interpolating
// between -Inf and +Inf gives NaN. xs is not modified.
func Percentile(xs []float64, p float64) float64 {
	if math.IsNaN(p) || p < 0 || p > 100 {
		return math.NaN()
	}
	s := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			s = append(s, x)
		}
	}
	if len(s) == 0 {
		return math.NaN()
	}
	slices.Sort(s)
	h := float64(len(s)-1) * p / 100
	i := int(math.Floor(h))
	f := h - float64(i)
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	return lerp(s[i], s[i+1], f)
}

// lerp interpolates a ≤ b at fraction f, staying within [a, b] despite
// rounding, and without overflowing b-a for huge finite values.
func lerp(a, b, f float64) float64 {
	if f == 0 || a == b {
		return a
	}
	v := a + (b-a)*f
	if math.IsInf(v, 0) || math.IsNaN(v) {
		v = (1-f)*a + f*b
	}
	return math.Max(a, math.Min(b, v))
}

// PercentileDuration is Percentile over durations (the median time to
// recover is PercentileDuration(ds, 50)), rounded to the nearest
// nanosecond. It returns 0 and false when ds is empty or p is NaN or
// outside [0, 100]. ds is not modified.
func PercentileDuration(ds []time.Duration, p float64) (time.Duration, bool) {
	xs := make([]float64, len(ds))
	for i, d := range ds {
		xs[i] = float64(d)
	}
	v := Percentile(xs, p)
	if math.IsNaN(v) {
		return 0, false
	}
	// float64 holds durations to about 2^53 ns (104 days) exactly; beyond
	// that the result is within a few hundred ns, still between two inputs.
	if v >= math.MaxInt64 {
		return time.Duration(math.MaxInt64), true
	}
	if v <= math.MinInt64 {
		return time.Duration(math.MinInt64), true
	}
	return time.Duration(math.Round(v)), true
}

// Mean is the arithmetic mean of xs. NaNs are ignored; the result is NaN
// when no value is left. A +Inf among finite values gives +Inf; +Inf with
// -Inf gives NaN.
func Mean(xs []float64) float64 {
	var sum float64
	n := 0
	for _, x := range xs {
		if math.IsNaN(x) {
			continue
		}
		sum += x
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	if math.IsInf(sum, 0) {
		// The sum of large finite values may overflow; a running mean
		// does not.
		m := 0.0
		k := 0
		for _, x := range xs {
			if math.IsNaN(x) {
				continue
			}
			k++
			m += (x - m) / float64(k)
		}
		return m
	}
	return sum / float64(n)
}

// MeanDuration is the arithmetic mean of ds, truncated toward zero to the
// nanosecond (the mean of 1ns and 2ns is 1ns). It returns 0 and false when
// ds is empty. It does not overflow, however long or many the durations.
func MeanDuration(ds []time.Duration) (time.Duration, bool) {
	n := int64(len(ds))
	if n == 0 {
		return 0, false
	}
	// Σ(d/n) + Σ(d%n)/n: each term fits in int64; |Σ(d%n)| < n².
	var q, r int64
	for _, d := range ds {
		q += int64(d) / n
		r += int64(d) % n
	}
	q, r = q+r/n, r%n // the mean is exactly q + r/n, with |r| < n
	switch {
	case q > 0 && r < 0:
		q-- // q - |r|/n, toward zero
	case q < 0 && r > 0:
		q++
	}
	return time.Duration(q), true
}

// Rate is ok/total as a fraction from 0 to 1: the count-based availability
// (good checks / all checks) or a success rate. It returns 0 and false when
// total ≤ 0 or ok is outside [0, total], which cannot describe a rate.
func Rate(ok, total int) (float64, bool) {
	if total <= 0 || ok < 0 || ok > total {
		return 0, false
	}
	return float64(ok) / float64(total), true
}
