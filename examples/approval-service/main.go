// Command approval-service is an example access-approval service: an HTTP
// endpoint that receives an access request, asks sodkit's policy engine
// what the grant would add (toxic combinations, and maker-checker conflicts
// between the holder, the requester and the approvers), approves or
// refuses it with the findings as the reason, and records the decision in
// a tamper-evident audit log before it answers.
//
// Usage:
//
//	approval-service [-addr localhost:8080] [-log decisions.log] [-actor approval-service] [-at TIME] [FILE...]
//
// With no FILE it decides on sodkit's embedded demo organisation. See
// README.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/sodkit/sodkit/audit"
	"github.com/sodkit/sodkit/audit/trail"
	"github.com/sodkit/sodkit/bundle"
	"github.com/sodkit/sodkit/demo"
)

func main() {
	srv, err := setup(os.Args[1:], os.Stderr, time.Now)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "approval-service:", err)
		os.Exit(2)
	}
	defer srv.log.Close()
	fmt.Fprintf(os.Stderr, "approval-service: listening on http://%s/access-requests, recording to %s\n", srv.addr, srv.logPath)
	hs := &http.Server{Addr: srv.addr, Handler: srv.service.Handler(), ReadHeaderTimeout: 10 * time.Second}
	if err := hs.ListenAndServe(); err != nil {
		fmt.Fprintln(os.Stderr, "approval-service:", err)
		os.Exit(1)
	}
}

// server is the service wired up from the command line.
type server struct {
	addr    string
	logPath string
	log     *trail.Log
	service *service
}

// setup parses the flags, loads the bundle files (or the demo), opens the
// audit log (verifying what it already holds) and builds the service.
// clock is the wall clock unless -at pins the time.
func setup(args []string, stderr io.Writer, clock func() time.Time) (*server, error) {
	fs := flag.NewFlagSet("approval-service", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "localhost:8080", "address to listen on")
	logPath := fs.String("log", "decisions.log", "the audit log the decisions are appended to (created if missing, verified if not)")
	actor := fs.String("actor", "approval-service", "the service's own identity, recorded as the actor of its decisions")
	at := fs.String("at", "", "decide every request at this fixed RFC 3339 time instead of the wall clock (to try the demo)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return nil, fmt.Errorf("-at: %w", err)
		}
		clock = func() time.Time { return t }
	}
	var b *bundle.Bundle
	var err error
	if fs.NArg() == 0 {
		b, err = demo.Load()
	} else {
		b, err = bundle.LoadFiles(fs.Args()...)
	}
	if err != nil {
		return nil, err
	}
	log, err := trail.Open(*logPath)
	if err != nil {
		return nil, err
	}
	svc, err := newService(b.Index, b.SoD, log, clock, *actor, ruleSetHash(b.Inputs))
	if err != nil {
		log.Close()
		return nil, err
	}
	return &server{addr: *addr, logPath: *logPath, log: log, service: svc}, nil
}

// ruleSetHash identifies the rule set in force for the decision records:
// the SHA-256 of the manifest of the files it was loaded from (each file's
// name and SHA-256, one a line), so a record names exactly the inputs it
// was decided on.
func ruleSetHash(inputs []audit.Input) string {
	var b strings.Builder
	for _, in := range inputs {
		fmt.Fprintf(&b, "%s %s\n", in.Name, in.SHA256)
	}
	return audit.RuleSetHash([]byte(b.String()))
}
