package main

import (
	"strings"
	"testing"

	"github.com/carisearch/cari/server"
)

// TestServeHelpListsEveryRoute: `cari serve --help` names every route of
// the API, with its query parameters, from the OpenAPI document that the
// server's tests hold equal to its router.
func TestServeHelpListsEveryRoute(t *testing.T) {
	routes, err := server.Routes()
	if err != nil {
		t.Fatal(err)
	}
	if len(routes) < 14 {
		t.Fatalf("%d routes in the document, want every route of the router (14 or more)", len(routes))
	}
	help := runCari(t, "", nil, "serve", "--help").stdout
	for _, r := range routes {
		line := r.Method + " " + r.Target()
		if !strings.Contains(strings.Join(strings.Fields(help), " "), line) {
			t.Errorf("serve --help lacks %s", line)
		}
	}
	// Each route says the key it needs, as the document does.
	flat := strings.Join(strings.Fields(help), " ")
	for _, r := range routes {
		var want string
		switch {
		case r.Scope == "admin" && r.Anonymous:
			want = "admin key (public on a server with none)"
		case r.Scope == "admin":
			want = "admin key"
		case r.Scope == "search":
			want = "search key if --require-search-key"
		case r.Scope == "public":
			if strings.Contains(flat, r.Method+" "+r.Target()+" "+r.Summary+";") {
				t.Errorf("serve --help says %s %s needs a key", r.Method, r.Target())
			}
			continue
		default:
			t.Errorf("%s %s: scope %q in the document", r.Method, r.Path, r.Scope)
			continue
		}
		if !strings.Contains(flat, r.Method+" "+r.Target()+" "+r.Summary+"; "+want) {
			t.Errorf("serve --help does not say %s %s needs %s", r.Method, r.Target(), want)
		}
	}
	for _, want := range []string{"/api/suggest?q=&size=", "/api/articles/{id}/similar?size=", "recent=&exact=&half_life=&cursor=&after="} {
		if !strings.Contains(help, want) {
			t.Errorf("serve --help lacks %s", want)
		}
	}
}
