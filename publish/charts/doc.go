// Package charts draws the report charts as self-contained SVG: a
// time-series line chart (Line), a horizontal bar chart (Bar) and a tiny
// inline trend (Spark).
//
// The output is standalone SVG 1.1 (xmlns, version, width, height, viewBox)
// that works both as a file referenced from Markdown or <img> and inline in
// HTML mail. It holds no script, no <style> element, no id (so several
// charts can sit inline in one page) and no external reference; text uses
// the reader's system font (system-ui, sans-serif). Every chart draws on a
// white background with dark text, so it reads the same on light and dark
// themes, and carries role="img", an aria-label, a <title> and, for Line,
// a <desc> that states the figures in words.
//
// Output is deterministic: the same input gives the same bytes (no maps, no
// clock, fixed number formatting, coordinates rounded to 0.1). Times are
// shown in UTC. Bad input never panics: empty or all-gap data draws the
// frame with "no data", NaN and infinite values are gaps, more than
// MaxSeries series are cut (the legend says how many), nonsense sizes and
// ranges fall back to the defaults.
package charts
