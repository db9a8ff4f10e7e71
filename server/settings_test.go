package server

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/carisearch/cari"
)

// TestSettingsSynonyms: PUT /api/settings/synonyms with the admin key
// replaces the stored list and searches use it at once; any other key is
// refused before the body is read; a list that does not parse is a 400
// naming its line, and the list before stays in force; GET gives back what
// was put, so that putting it again changes nothing.
func TestSettingsSynonyms(t *testing.T) {
	ix := tempIndex(t)
	ctx := context.Background()
	if _, _, err := ix.Upsert(ctx, []cari.Article{
		{ID: "darat", Title: "Komunitas sepeda", Body: "Para pesepeda menggelar kopi darat di Bandung setiap bulan."},
		{ID: "panen", Title: "Panen raya", Body: "Petani menyambut panen raya di lumbung padi."},
	}); err != nil {
		t.Fatal(err)
	}
	h := keyedServer(t, ix, Options{})
	admin, search := "Authorization: Bearer "+adminKey, "Authorization: Bearer "+searchKey
	plain := "Content-Type: text/plain; charset=utf-8"
	kopdarFinds := func() uint64 {
		t.Helper()
		w := call(t, h, "GET", "/api/search?q=kopdar", "")
		var res cari.Result
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
			t.Fatalf("search: %d %s", w.Code, w.Body)
		}
		return res.Total
	}
	const list = "# kopi darat, in short\nkopdar => kopi darat\nngopi, minum kopi\n"
	for _, tc := range []struct {
		name, method, body string
		header             []string
		status             int
		// the answer holds this; kopdar then finds this many; GET then
		// gives the stored list
		answer string
		kopdar uint64
		stored string
	}{
		{name: "nothing stored", method: "GET", header: []string{admin}, status: 200},
		{name: "no key", method: "PUT", body: list, header: []string{plain}, status: 401, answer: `"unauthorized"`},
		{name: "search key", method: "PUT", body: list, header: []string{search, plain}, status: 403, answer: `"forbidden_scope"`},
		{name: "admin key", method: "PUT", body: list, header: []string{admin, plain}, status: 200,
			answer: `{"groups":2,"bytes":` + strconv.Itoa(len(list)) + `}`, kopdar: 1, stored: list},
		{name: "read back", method: "GET", header: []string{admin}, status: 200, answer: list, kopdar: 1, stored: list},
		{name: "read with a search key", method: "GET", header: []string{search}, status: 403, answer: `"forbidden_scope"`, kopdar: 1, stored: list},
		{name: "stop words", method: "PUT", body: "ngopi, minum kopi\nyang, dan\n", header: []string{admin, plain}, status: 400,
			answer: `"request body:2: \"yang\" is only stop words and can never match"`, kopdar: 1, stored: list},
		{name: "two arrows", method: "PUT", body: "kopdar => kopi => darat\n", header: []string{admin, plain}, status: 400,
			answer: `"request body:1: more than one \"=>\""`, kopdar: 1, stored: list},
		{name: "one form", method: "PUT", body: "\n\n\nkopdar\n", header: []string{admin}, status: 400,
			answer: `"request body:4: a group needs at least two forms`, kopdar: 1, stored: list},
		{name: "cleared", method: "PUT", body: "", header: []string{admin}, status: 200, answer: `{"groups":0,"bytes":0}`},
	} {
		w := call(t, h, tc.method, "/api/settings/synonyms", tc.body, tc.header...)
		if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.answer) {
			t.Errorf("%s: %d %s, want %d with %s", tc.name, w.Code, w.Body, tc.status, tc.answer)
		}
		if n := kopdarFinds(); n != tc.kopdar {
			t.Errorf("%s: kopdar finds %d, want %d", tc.name, n, tc.kopdar)
		}
		if got := call(t, h, "GET", "/api/settings/synonyms", "", admin).Body.String(); got != tc.stored {
			t.Errorf("%s: GET gives %q, want %q", tc.name, got, tc.stored)
		}
	}
	// Round trip: what GET gives, put again, is the same list.
	call(t, h, "PUT", "/api/settings/synonyms", list, admin)
	got := call(t, h, "GET", "/api/settings/synonyms", "", admin).Body.String()
	if w := call(t, h, "PUT", "/api/settings/synonyms", got, admin); w.Code != 200 {
		t.Fatalf("PUT of GET: %d %s", w.Code, w.Body)
	}
	if again := call(t, h, "GET", "/api/settings/synonyms", "", admin).Body.String(); again != list || kopdarFinds() != 1 {
		t.Errorf("PUT(GET()) gives %q and kopdar finds %d, want %q and 1", again, kopdarFinds(), list)
	}
}
