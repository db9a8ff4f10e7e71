package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index"
)

// TestWildcardBombs sends the queries that took the server down before
// issue 13 to a real index over HTTP: a bare * is every article, answered
// 200 like an empty query; a regular expression matching every word,
// twenty *x* clauses in one query, and six of those at once are each
// refused 400 query_too_expensive, naming the clause and the cap.
func TestWildcardBombs(t *testing.T) {
	ix := tempIndex(t)
	var articles []cari.Article
	for a := range 3 {
		var words []string
		for i := a * 1000; i < (a+1)*1000; i++ {
			words = append(words, fmt.Sprintf("xata%04d", i))
		}
		articles = append(articles, cari.Article{ID: fmt.Sprintf("kata-%d", a), Title: "Daftar kata", Body: strings.Join(words, " ")})
	}
	if _, problems, err := ix.Upsert(context.Background(), articles); err != nil || len(problems) > 0 {
		t.Fatalf("upsert: %v %v", err, problems)
	}
	srv := httptest.NewServer(newTest(ix, Options{}))
	defer srv.Close()
	search := func(q string) (int, errorBody, cari.Result, error) {
		var e errorBody
		var res cari.Result
		resp, err := http.Get(srv.URL + "/api/search?q=" + url.QueryEscape(q))
		if err != nil {
			return 0, e, res, err
		}
		defer resp.Body.Close()
		if resp.StatusCode == 200 {
			err = json.NewDecoder(resp.Body).Decode(&res)
		} else {
			err = json.NewDecoder(resp.Body).Decode(&e)
		}
		return resp.StatusCode, e, res, err
	}
	if status, _, res, err := search("*"); err != nil || status != 200 || res.Total != 3 {
		t.Errorf("*: status %d, %d hits, err %v; want 200 and every article (3)", status, res.Total, err)
	}
	twenty := strings.TrimSpace(strings.Repeat("*x* ", 20))
	refused := func(q string) {
		status, e, _, err := search(q)
		if err != nil || status != 400 || e.Error.Code != "query_too_expensive" ||
			!strings.Contains(e.Error.Message, "body:") || !strings.Contains(e.Error.Message, fmt.Sprint(index.MaxExpansion)) {
			t.Errorf("%.30q: status %d %+v, err %v; want 400 query_too_expensive naming the clause and the cap", q, status, e, err)
		}
	}
	refused("/.*/")
	refused(twenty)
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() { refused(twenty) })
	}
	wg.Wait()
}
