// Command cari indexes Indonesian news articles and searches them, from
// the command line or over HTTP. See `cari help` and README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := interruptible()
	code := run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// interruptible returns a context that the first SIGINT or SIGTERM
// cancels: commands stop cleanly, keeping what they committed. After it
// the signals act as they do by default, so a second one ends a process
// stuck where no context reaches (opening a named pipe nobody writes).
func interruptible() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}
