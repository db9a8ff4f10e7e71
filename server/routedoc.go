package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// RouteDoc is one route of the API as web/openapi.json describes it, for
// help texts: the router, the document and `cari serve --help` then hold
// one list (a test holds the document equal to the router).
type RouteDoc struct {
	Method, Path string
	// Query are the names of the route's query parameters, in the
	// document's order.
	Query   []string
	Summary string
	// Scope is the scope of key the route needs (x-cari-scope):
	// "public", "search" or "admin".
	Scope string
	// Anonymous tells a route of scope search or admin that takes
	// requests without a key too, on some servers (its security lists
	// the empty requirement): reads, unless the server requires a
	// search key, and /api/stats and /metrics while the server has no
	// admin key.
	Anonymous bool
}

// Target is the route's path with its query parameters, as in
// "/api/suggest?q=&size=".
func (r RouteDoc) Target() string {
	if len(r.Query) == 0 {
		return r.Path
	}
	return r.Path + "?" + strings.Join(r.Query, "=&") + "="
}

// Routes lists the routes of the API in the order of the document.
func Routes() ([]RouteDoc, error) {
	b, err := fs.ReadFile(webFiles, "web/"+openapiFile)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", openapiFile, err)
	}
	// Paths keep the document's order: encoding/json's map loses it, so
	// the paths are read as a sequence of keys.
	var doc struct {
		Paths json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", openapiFile, err)
	}
	dec := json.NewDecoder(bytes.NewReader(doc.Paths))
	if _, err := dec.Token(); err != nil { // {
		return nil, fmt.Errorf("%s: paths: %w", openapiFile, err)
	}
	var routes []RouteDoc
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%s: paths: %w", openapiFile, err)
		}
		path, _ := tok.(string)
		var ops map[string]json.RawMessage
		if err := dec.Decode(&ops); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", openapiFile, path, err)
		}
		var methods []string
		for m := range ops {
			if m != "parameters" {
				methods = append(methods, m)
			}
		}
		sort.Slice(methods, func(i, j int) bool { return methodOrder(methods[i]) < methodOrder(methods[j]) })
		for _, m := range methods {
			var op struct {
				Summary    string `json:"summary"`
				Parameters []struct {
					Name string `json:"name"`
					In   string `json:"in"`
				} `json:"parameters"`
				Security []map[string][]string `json:"security"`
				Scope    string                `json:"x-cari-scope"`
			}
			if err := json.Unmarshal(ops[m], &op); err != nil {
				return nil, fmt.Errorf("%s: %s %s: %w", openapiFile, m, path, err)
			}
			r := RouteDoc{Method: strings.ToUpper(m), Path: path, Summary: op.Summary, Scope: op.Scope}
			for _, req := range op.Security {
				if len(req) == 0 {
					r.Anonymous = true
				}
			}
			for _, p := range op.Parameters {
				if p.In == "query" {
					r.Query = append(r.Query, p.Name)
				}
			}
			routes = append(routes, r)
		}
	}
	return routes, nil
}

func methodOrder(m string) int {
	return strings.Index("get post put patch delete", m)
}
