// Command itlag keeps an organisation's infrastructure as a Git repository
// declares it. See "itlag help".
package main

import (
	"os"

	"github.com/lagrieta/itlag/cmd/itlag/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
