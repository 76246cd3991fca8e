// Package secret resolves credential references (an environment variable,
// a file, or a key of an age-encrypted secrets file in the state directory)
// into their values. Values are never logged, printed or wrapped into
// errors: errors name the reference only. Resolver decrypts each secrets
// file once per command, in memory (see agefile for the format).
package secret
