// Package diagram draws the architecture diagram of a desired state as a
// standalone SVG document, for the operations handbook.
//
// The diagram shows only what the state declares, in up to three bands:
// Internet (domains and their registrar, DNS zones and their provider, the
// website: the zones' A/AAAA/CNAME records at @ and www and the http
// monitors' targets), the office (dynamic-DNS names, the NASes behind them
// or local, backup jobs and their destinations, each marked on-site or
// offsite with its media) and monitoring (monitors grouped by kind, alert
// routes with their severities, e-mail recipients and webhook reference).
// A band or column the state leaves out is not drawn; an empty state gives
// a small document saying nothing is declared.
//
// The output is SVG 1.1 with xmlns, width, height and viewBox sized to the
// content, role="img", a <title> and a <desc>; it holds no script, no
// <style>, no foreignObject and no external reference, and uses the
// generic sans-serif font. Every text is XML-escaped; a text too long for
// its box is cut with "…" and the box's <title> child keeps it whole.
// Targets and repositories that are URLs are shown without userinfo,
// query values or fragment; credentials appear only as references.
//
// Output is deterministic: maps are walked in sorted order, coordinates
// are integers, and no clock is read.
package diagram
