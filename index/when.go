package index

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/datequery"
)

// Dates in the query (issue 17). A search reads the first phrase of its
// query that says when ("banjir jakarta januari 2020", "pilkada dki
// kemarin"; datequery says which), takes it out of the words, and
// searches the rest within its days: a date filter, as the request's From
// and To. What is left alone:
//
//   - a request with NoDates, a query of more than DatesMaxWords words or
//     a question: those are passages and questions, whose years are
//     words to match ("Siapa presiden Indonesia tahun 1998?");
//   - a phrase whose days hold no article of the index (before the oldest
//     or after the newest): "proklamasi 17 agustus 1945" in an archive
//     from 2015 on is about the day, not from it; the words are matched;
//   - a phrase whose days miss the request's own From and To: the
//     request's filter wins, and the phrase is matched as words. Where
//     they overlap, the search takes the days of both.
//
// A query that is only a date ("januari 2020") lists its days' articles
// newest first, as an empty query lists all of them, unless a sort is
// asked for.
//
// Relative dates count from Request.Now, or else from the newest article's
// day: an archive reads "kemarin" the same tomorrow as today, as recency
// ranking does. An index that took writes since it was opened is live
// (cari serve with writes), and counts from today, or from its newest
// article should that be later.

// DatesMaxWords is the longest query whose dates are read.
const DatesMaxWords = 8

// dateSpan is the days of an index's articles, oldest and newest, as of
// the write generation gen, found at the time at.
type dateSpan struct {
	gen            uint64
	at             time.Time
	oldest, newest time.Time
	ok             bool
}

// dateSpanAge is how long a span found before the last write is kept: a
// live index written to every second finds it again once a minute, not
// before each search (each finding is two sorted searches of the whole
// index). What a minute's writes can change of it, the newest article,
// matters little there: a live index counts relative dates from today.
const dateSpanAge = time.Minute

// dateSpanCache keeps an index's dateSpan until its next write.
type dateSpanCache struct {
	mu   sync.Mutex
	span dateSpan
}

// understandDates applies the date phrase of r's query to r (query, From,
// To and Sort) and says what it read; nil when it read nothing. sortUnset
// is that the request asked for no sort.
func (ix *Index) understandDates(ctx context.Context, r *cari.Request, sortUnset bool) (*cari.UnderstoodDates, error) {
	if r.NoDates || r.Query == "" || len(strings.Fields(r.Query)) > DatesMaxWords || isQuestion(r.Query) || !datequery.Mentions(r.Query) {
		return nil, nil
	}
	span, err := ix.publishedSpan(ctx)
	if err != nil || !span.ok {
		return nil, err // no dated article: no date can filter
	}
	now := r.Now
	if now.IsZero() {
		now = span.newest
		if ix.writeGen.Load() > 0 && time.Now().After(now) {
			now = time.Now()
		}
	}
	rd, ok := datequery.Parse(r.Query, now)
	if !ok {
		return nil, nil
	}
	latest := span.newest
	if now.After(latest) {
		latest = now
	}
	if rd.To.Before(day(span.oldest)) || rd.From.After(latest) {
		return nil, nil
	}
	from, to := rd.From, rd.To
	if !r.From.IsZero() && r.From.After(from) {
		from = r.From
	}
	if !r.To.IsZero() && r.To.Before(to) {
		to = r.To
	}
	if to.Before(from) {
		return nil, nil // the request's own days win
	}
	r.Query, r.From, r.To = rd.Rest, from, to
	if r.Query == "" && sortUnset {
		r.Sort = cari.SortDate
	}
	return &cari.UnderstoodDates{
		Text: rd.Text, Label: datequery.Label(from, to), Kind: string(rd.Kind),
		From: from.Format(time.DateOnly), To: to.Format(time.DateOnly), Query: rd.Rest,
	}, nil
}

// day is t's UTC day at midnight.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// publishedSpan is the publication times of the oldest and newest
// articles: two searches of one hit sorted by date, once a write
// generation, or once dateSpanAge while writes go on.
func (ix *Index) publishedSpan(ctx context.Context) (dateSpan, error) {
	gen := ix.writeGen.Load()
	c := &ix.dateSpans
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.span.ok && (c.span.gen == gen || time.Since(c.span.at) < dateSpanAge) {
		return c.span, nil
	}
	newest, err := ix.newestPublished(ctx)
	if err != nil {
		return dateSpan{}, err
	}
	oldest, err := ix.oldestPublished(ctx)
	if err != nil {
		return dateSpan{}, err
	}
	span := dateSpan{gen: gen, at: time.Now(), oldest: oldest, newest: newest, ok: !newest.IsZero() && !oldest.IsZero()}
	if span.ok {
		c.span = span
	}
	return span, nil
}

// oldestPublished is the publication time of the oldest article.
func (ix *Index) oldestPublished(ctx context.Context) (time.Time, error) {
	return ix.publishedEnd(ctx, FieldPublished, "oldest")
}
