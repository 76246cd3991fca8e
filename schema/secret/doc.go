// Package secret resolves credential references (an environment variable or
// a file) into their values. Values are never logged, printed or wrapped into
// errors: errors name the reference only.
package secret
