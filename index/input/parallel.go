package input

import (
	"context"
	"runtime"
	"sync"
)

// decodeChunk is how many records a decode worker takes at once: enough
// to make the hand-over cheap beside the work, few enough to keep every
// core busy on a short file.
const decodeChunk = 64

// chunk is a run of consecutive inputs and, once done is closed, their
// results.
type chunk[In, Out any] struct {
	in   []In
	out  []Out
	done chan struct{}
}

// orderedMap runs work over what produce emits on every core and hands
// the results to deliver in the order produce emitted them, from the
// calling goroutine, so that deliver needs no locking and reports (skipped
// records, warnings about repeated ids) come out in input order. produce
// runs in a goroutine of its own. The first error of produce or deliver
// stops the rest and is returned; an error of deliver first, since it
// comes from later in the pipeline and explains why produce was stopped.
//
// Long because the producer, the workers and the in-order delivery share
// their channels and one shutdown, whose order is the point of the
// function.
func orderedMap[In, Out any](ctx context.Context, produce func(ctx context.Context, emit func(In) error) error, work func(In) Out, deliver func(Out) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *chunk[In, Out], workers)
	order := make(chan *chunk[In, Out], 2*workers)

	var produceErr error
	produced := make(chan struct{})
	go func() {
		defer close(produced)
		// A chunk goes to the workers before it is queued for delivery,
		// so every chunk delivery waits for is sure to be worked on.
		defer close(order)
		defer close(jobs)
		cur := &chunk[In, Out]{in: make([]In, 0, decodeChunk)}
		flush := func() error {
			c := cur
			cur = &chunk[In, Out]{in: make([]In, 0, decodeChunk)}
			c.done = make(chan struct{})
			select {
			case jobs <- c:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case order <- c:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		produceErr = produce(ctx, func(x In) error {
			cur.in = append(cur.in, x)
			if len(cur.in) == decodeChunk {
				return flush()
			}
			return nil
		})
		if produceErr == nil && len(cur.in) > 0 {
			produceErr = flush()
		}
	}()

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				c.out = make([]Out, len(c.in))
				for i, x := range c.in {
					c.out[i] = work(x)
				}
				close(c.done)
			}
		}()
	}

	var deliverErr error
	for c := range order {
		<-c.done
		if deliverErr != nil {
			continue // drain, so that produce and the workers end
		}
		for _, r := range c.out {
			if deliverErr = deliver(r); deliverErr != nil {
				cancel()
				break
			}
		}
	}
	<-produced
	wg.Wait()
	if deliverErr != nil {
		return deliverErr
	}
	return produceErr
}
