// Package history keeps the hourly history of every number an
// observation measures — NAS metrics per volume, pending updates, days
// left before each renewal, DMARC results, findings by severity — so that
// reports can draw trends, growth and forecasts. One row per key and hour
// (count, sum, least, greatest, last), written as readings come: a year of
// a NAS's fifteen numbers is some 130,000 rows.
package history
