package cli

import (
	"bufio"
	"context"
	"fmt"
)

// readAnswer reads the operator's answer to a question just printed: one
// line of standard input, or "" when ctx ends first (a signal, the
// timeout). It ends the question's line on standard output.
func readAnswer(ctx context.Context, e *env) string {
	answer := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		answer <- line
	}()
	var line string
	select {
	case line = <-answer:
	case <-ctx.Done():
	}
	fmt.Fprintln(e.stdout)
	return line
}
