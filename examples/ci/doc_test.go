// Package ci_test holds the tests of the CI and service examples in this
// directory: the GitHub workflows (github/) and the systemd units
// (systemd/). There is no Go code here besides the tests; what they guard
// is what a user copies.
package ci_test
