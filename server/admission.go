package server

// Admission control. Past what the cores can run, another search in
// flight only makes every search slower: at 32 and 64 connections on two
// cores, p99 reached 0.5–1.1 s against a p50 of 20–44 ms, and writes
// starved. So each kind of request has its own bound on those in
// flight (searches: the cores; writes: one, as they are serialized
// anyway) and a queue; a request that finds the queue full, or
// waits in it past its time, is answered 503 with Retry-After at once,
// which a client or a load balancer can act on. Writes having their own
// share, searches cannot starve them.

import (
	"context"
	"net/http"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"
)

// Admission bounds one kind of request.
type Admission struct {
	// InFlight is how many run at once; 0 takes the default.
	InFlight int
	// Queue is how many more may wait for a turn; 0 takes the default,
	// and a negative Queue lets none wait.
	Queue int
	// Wait is the longest a request waits in the queue; 0 takes the
	// default.
	Wait time.Duration
}

// The defaults: searches as many as the cores at once, 32 times as many
// waiting up to 250 ms (a search takes 1–10 ms in process); writes one
// at a time, eight waiting up to 30 s (a batch of a thousand articles
// takes seconds). A short queue refused nine in ten searches of 64
// clients that never pause (wrk), and answering the refusals took the
// cores from the searches and the writes: 720 searches/s served, 10
// batches written in 20 s. At 32 times, they wait their turn instead:
// 995/s, p99 146 ms against 1.1 s without admission control, and 109
// batches beside the searches against 37 (scripts/load/run.sh).
func (a Admission) withDefaults(inFlight, queuePer int, wait time.Duration) Admission {
	if a.InFlight <= 0 {
		a.InFlight = inFlight
	}
	if a.Queue == 0 {
		a.Queue = queuePer * a.InFlight
	}
	if a.Queue < 0 {
		a.Queue = 0
	}
	if a.Wait <= 0 {
		a.Wait = wait
	}
	return a
}

func searchAdmission(a Admission) Admission {
	return a.withDefaults(runtime.GOMAXPROCS(0), 32, 250*time.Millisecond)
}

func writeAdmission(a Admission) Admission {
	return a.withDefaults(1, 8, 30*time.Second)
}

// gate admits requests of one kind (Admission).
type gate struct {
	kind    string // for the refusal and the metric
	limits  Admission
	slots   chan struct{}
	waiting atomic.Int64
	refused func() // counts a refusal
}

func newGate(kind string, limits Admission, refused func()) *gate {
	return &gate{kind: kind, limits: limits, slots: make(chan struct{}, limits.InFlight), refused: refused}
}

// enter waits for a turn; it returns false when the request is refused
// or its client left.
func (g *gate) enter(ctx context.Context) bool {
	select {
	case g.slots <- struct{}{}:
		return true
	default:
	}
	if g.waiting.Add(1) > int64(g.limits.Queue) {
		g.waiting.Add(-1)
		return false
	}
	defer g.waiting.Add(-1)
	timer := time.NewTimer(g.limits.Wait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
		return true
	case <-timer.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (g *gate) leave() { <-g.slots }

// admit runs next when g gives the request a turn, and answers 503 with
// Retry-After otherwise.
func (g *gate) admit(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !g.enter(r.Context()) {
			status, code, message := g.refusal(w, r)
			writeError(w, status, code, message)
			return
		}
		defer g.leave()
		next(w, r)
	}
}

// refusal is the status, code and message of a request g did not admit,
// with its Retry-After header set; the search page tells the same code
// in its own words.
func (g *gate) refusal(w http.ResponseWriter, r *http.Request) (status int, code, message string) {
	if r.Context().Err() != nil {
		return clientClosedRequest, "canceled", "request canceled"
	}
	g.refused()
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(g.limits.Wait/time.Second))))
	return http.StatusServiceUnavailable, "overloaded", "too many " + g.kind + " requests at once; retry after a moment"
}
