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
	for _, want := range []string{"/api/suggest?q=&size=", "/api/articles/{id}/similar?size=", "recent=&exact=&half_life=&cursor=&after="} {
		if !strings.Contains(help, want) {
			t.Errorf("serve --help lacks %s", want)
		}
	}
}
