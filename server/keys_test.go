package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The keys of the tests: 16 bytes or more, as a key file wants them.
const (
	adminKey  = "admin-kunci-0123456789"
	searchKey = "cari-kunci-0123456789"
	otherKey  = "kunci-lain-0123456789"
)

// mustKeys parses a key file of the tests.
func mustKeys(t testing.TB, text string) *Keys {
	t.Helper()
	k, err := ParseKeys("keys.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// keyedServer is a server with an admin and a search key.
func keyedServer(t testing.TB, b Backend, opts Options) *Server {
	t.Helper()
	h := newTest(b, opts)
	if err := h.SetKeys(mustKeys(t, "admin "+adminKey+"\nsearch "+searchKey+"\n")); err != nil {
		t.Fatal(err)
	}
	return h
}

// longFields are the words of a key file that could be keys: no error
// may repeat one.
func longFields(data string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(data, func(r rune) bool { return strings.ContainsRune(" \t\v\f\r\n", r) }) {
		if len(f) >= MinKeyBytes && !strings.Contains(f, `"`) && !strings.HasPrefix(f, "keys.txt:") {
			out = append(out, f)
		}
	}
	return out
}

func TestParseKeys(t *testing.T) {
	const k16 = "0123456789abcdef"
	for _, tc := range []struct {
		name          string
		file          string
		admin, search int
		err           string
	}{
		{name: "empty", file: ""},
		{name: "comments and blank lines", file: "# kunci cari\n\n   \n\t# lagi\n"},
		{name: "one of each", file: "admin " + adminKey + "\nsearch " + searchKey + "\n", admin: 1, search: 1},
		{name: "comments after keys", file: "admin " + adminKey + " # the ingest job\nsearch\t" + searchKey + "\t#\n", admin: 1, search: 1},
		{name: "no final newline, CRLF, BOM, indented", file: "\xef\xbb\xbf  search " + searchKey + "\r\nsearch " + otherKey, search: 2},
		{name: "a # inside a key", file: "search abc#defghijklmnop\n", search: 1},
		{name: "shortest key", file: "admin " + k16, admin: 1},
		{name: "unknown scope", file: "admin " + adminKey + "\n\nwirte " + otherKey + "\n",
			err: `keys.txt:3: unknown scope "wirte"; want admin or search`},
		{name: "scopes are lower case", file: "Admin " + adminKey,
			err: `keys.txt:1: unknown scope "Admin"; want admin or search`},
		{name: "key first", file: adminKey + " admin",
			err: `keys.txt:1: the line does not start with a scope (admin or search); a line is SCOPE KEY`},
		{name: "scope alone", file: "search\n", err: `keys.txt:1: no key after the scope search`},
		{name: "scope and comment", file: "admin # todo\n", err: `keys.txt:1: no key after the scope admin`},
		{name: "white space in a key", file: "search kunci dengan spasi 0123456789",
			err: `keys.txt:1: more than a key after the scope (keys hold no white space); a line is SCOPE KEY, then nothing or a # comment`},
		{name: "short key", file: "# x\nadmin rahasia\n",
			err: `keys.txt:2: the key is 7 bytes long; use 16 or more, such as 24 random bytes in base64 (head -c 24 /dev/urandom | base64)`},
		{name: "control byte", file: "admin kunci\x00-0123456789",
			err: `keys.txt:1: the key has a byte outside printable ASCII (! to ~), which an Authorization header cannot carry`},
		{name: "non-ASCII", file: "admin kunci-rahasia-ñ-0123",
			err: `keys.txt:1: the key has a byte outside printable ASCII (! to ~), which an Authorization header cannot carry`},
		{name: "no-break space", file: "admin kunci-rahasia\u00a0-0123",
			err: `keys.txt:1: the key has a byte outside printable ASCII (! to ~), which an Authorization header cannot carry`},
		{name: "duplicate", file: "admin " + adminKey + "\n# again:\nsearch " + adminKey + "\n",
			err: `keys.txt:3: the same key as keys.txt:1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ParseKeys("keys.txt", []byte(tc.file))
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %s", err, tc.err)
				}
				for _, f := range longFields(tc.file) {
					if strings.Contains(err.Error(), f) {
						t.Errorf("the error shows %q", f)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a, s := k.Count(ScopeAdmin), k.Count(ScopeSearch); a != tc.admin || s != tc.search {
				t.Errorf("%d admin and %d search keys, want %d and %d", a, s, tc.admin, tc.search)
			}
		})
	}
}

func TestReadKeysFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "keys.txt")
	if err := os.WriteFile(name, []byte("search "+searchKey+"\nadmin x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadKeysFile(name); err == nil || !strings.HasPrefix(err.Error(), name+":2: the key is 1 bytes long") {
		t.Errorf("error %v, want one naming %s:2", err, name)
	}
	if _, err := ReadKeysFile(filepath.Join(dir, "tidak-ada")); err == nil || !strings.Contains(err.Error(), "tidak-ada") {
		t.Errorf("missing file: %v", err)
	}
	big := filepath.Join(dir, "big.txt")
	if err := os.WriteFile(big, []byte(strings.Repeat("#\n", MaxKeysFileBytes)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadKeysFile(big); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("huge file: %v", err)
	}
}

// FuzzParseKeys: whatever a key file holds, the parser does not panic, an
// error names the file and line and repeats no word that could be a key,
// and a file it takes has every key it shows, with its scope.
func FuzzParseKeys(f *testing.F) {
	for _, seed := range []string{
		"",
		"# kunci\n\nadmin " + adminKey + " # ingest\nsearch " + searchKey + "\n",
		"\xef\xbb\xbfsearch " + searchKey + "\r\n",
		"wirte " + adminKey,
		adminKey + " admin",
		"admin",
		"admin " + adminKey + " " + otherKey,
		"admin pendek",
		"admin kunci\x00-0123456789",
		"admin " + adminKey + "\nsearch " + adminKey,
		"search abc#defghijklmnop\n\t admin\t" + otherKey + "\t#",
		"admin #" + adminKey,
	} {
		f.Add([]byte(seed))
	}
	line := regexp.MustCompile(`^keys\.txt:[0-9]+: `)
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := ParseKeys("keys.txt", data)
		if err != nil {
			msg := err.Error()
			if !line.MatchString(msg) {
				t.Fatalf("error %q names no file and line", msg)
			}
			for _, w := range longFields(string(data)) {
				if strings.Contains(msg, w) {
					t.Fatalf("error %q shows %q", msg, w)
				}
			}
			return
		}
		n := 0
		text := strings.TrimPrefix(string(data), "\xef\xbb\xbf")
		for _, l := range strings.Split(text, "\n") {
			fields := strings.FieldsFunc(l, func(r rune) bool { return strings.ContainsRune(" \t\v\f\r", r) })
			if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
				continue
			}
			n++
			if scope, ok := keys.scopeOf(fields[1]); !ok || string(scope) != fields[0] {
				t.Fatalf("line %q: key has scope %q (%v)", l, scope, ok)
			}
		}
		if n != keys.Len() {
			t.Fatalf("%d key lines, %d keys", n, keys.Len())
		}
	})
}

// TestKeysAndScopes sends each kind of route with each kind of key to
// servers configured each way.
func TestKeysAndScopes(t *testing.T) {
	const token = "token-lama-0123456789"
	auth := func(key string) string { return "Authorization: Bearer " + key }
	open := newTest(&fake{}, Options{})
	keyed := keyedServer(t, &fake{}, Options{SnapshotDir: t.TempDir()})
	required := keyedServer(t, &fake{}, Options{RequireSearchKey: true})
	withToken := newTest(&fake{}, Options{Token: token})
	if err := withToken.SetKeys(mustKeys(t, "search "+searchKey)); err != nil {
		t.Fatal(err)
	}
	searchOnly := newTest(&fake{}, Options{})
	if err := searchOnly.SetKeys(mustKeys(t, "search "+searchKey)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name           string
		h              http.Handler
		method, target string
		body, header   string
		status         int
		code           string
	}{
		// No key at all: reads and operations public, no writes.
		{name: "no keys: search", h: open, method: "GET", target: "/api/search?q=x", status: 200},
		{name: "no keys: stats public", h: open, method: "GET", target: "/api/stats", status: 200},
		{name: "no keys: metrics public", h: open, method: "GET", target: "/metrics", status: 200},
		{name: "no keys: writes disabled", h: open, method: "POST", target: "/api/articles", body: "[]", header: auth(adminKey), status: 403, code: "writes_disabled"},
		{name: "no keys: snapshots disabled", h: open, method: "POST", target: "/api/snapshots", header: auth(adminKey), status: 403, code: "writes_disabled"},

		// Keys, reads public.
		{name: "public read without a key", h: keyed, method: "GET", target: "/api/search?q=x", status: 200},
		{name: "public read with a wrong key", h: keyed, method: "GET", target: "/api/search?q=x", header: auth("salah"), status: 200},
		{name: "public read with a search key", h: keyed, method: "GET", target: "/api/suggest?q=x", header: auth(searchKey), status: 200},
		{name: "stats without a key", h: keyed, method: "GET", target: "/api/stats", status: 401, code: "unauthorized"},
		{name: "stats with a wrong key", h: keyed, method: "GET", target: "/api/stats", header: auth("salah"), status: 401, code: "unauthorized"},
		{name: "stats with a search key", h: keyed, method: "GET", target: "/api/stats", header: auth(searchKey), status: 403, code: "forbidden_scope"},
		{name: "stats with the admin key", h: keyed, method: "GET", target: "/api/stats", header: auth(adminKey), status: 200},
		{name: "metrics without a key", h: keyed, method: "GET", target: "/metrics", status: 401, code: "unauthorized"},
		{name: "metrics with a search key", h: keyed, method: "GET", target: "/metrics", header: auth(searchKey), status: 403, code: "forbidden_scope"},
		{name: "metrics with the admin key", h: keyed, method: "GET", target: "/metrics", header: auth(adminKey), status: 200},
		{name: "write without a key", h: keyed, method: "POST", target: "/api/articles", body: "[]", status: 401, code: "unauthorized"},
		{name: "write with a search key", h: keyed, method: "POST", target: "/api/articles", body: "[]", header: auth(searchKey), status: 403, code: "forbidden_scope"},
		{name: "write with the admin key", h: keyed, method: "POST", target: "/api/articles", body: "[]", header: auth(adminKey), status: 200},
		{name: "write with the admin key as Basic", h: keyed, method: "POST", target: "/api/articles", body: "[]", header: "Authorization: Basic " + adminKey, status: 401, code: "unauthorized"},
		{name: "write with the admin key's prefix", h: keyed, method: "POST", target: "/api/articles", body: "[]", header: auth(adminKey[:len(adminKey)-1]), status: 401, code: "unauthorized"},
		{name: "write with the admin key and more", h: keyed, method: "POST", target: "/api/articles", body: "[]", header: auth(adminKey + "x"), status: 401, code: "unauthorized"},
		{name: "delete with a search key", h: keyed, method: "DELETE", target: "/api/articles/ada", header: auth(searchKey), status: 403, code: "forbidden_scope"},
		{name: "delete with the admin key", h: keyed, method: "DELETE", target: "/api/articles/ada", header: auth(adminKey), status: 204},
		{name: "snapshot with a search key", h: keyed, method: "POST", target: "/api/snapshots", header: auth(searchKey), status: 403, code: "forbidden_scope"},
		{name: "snapshot with the admin key", h: keyed, method: "POST", target: "/api/snapshots", header: auth(adminKey), status: 201},
		{name: "healthz", h: keyed, method: "GET", target: "/healthz", status: 200},
		{name: "readyz", h: keyed, method: "GET", target: "/readyz", status: 200},

		// --require-search-key.
		{name: "required: search without a key", h: required, method: "GET", target: "/api/search?q=x", status: 401, code: "unauthorized"},
		{name: "required: search with a wrong key", h: required, method: "GET", target: "/api/search?q=x", header: auth("salah"), status: 401, code: "unauthorized"},
		{name: "required: search with a search key", h: required, method: "GET", target: "/api/search?q=x", header: auth(searchKey), status: 200},
		{name: "required: search with the admin key", h: required, method: "GET", target: "/api/search?q=x", header: auth(adminKey), status: 200},
		{name: "required: article without a key", h: required, method: "GET", target: "/api/articles/ada", status: 401, code: "unauthorized"},
		{name: "required: article", h: required, method: "GET", target: "/api/articles/ada", header: auth(searchKey), status: 200},
		{name: "required: similar without a key", h: required, method: "GET", target: "/api/articles/ada/similar", status: 401, code: "unauthorized"},
		{name: "required: similar", h: required, method: "GET", target: "/api/articles/ada/similar", header: auth(searchKey), status: 200},
		{name: "required: suggest without a key", h: required, method: "GET", target: "/api/suggest?q=x", status: 401, code: "unauthorized"},
		{name: "required: analyze without a key", h: required, method: "GET", target: "/api/analyze?text=x", status: 401, code: "unauthorized"},
		{name: "required: analyze", h: required, method: "GET", target: "/api/analyze?text=x", header: auth(searchKey), status: 200},
		{name: "required: stats with a search key", h: required, method: "GET", target: "/api/stats", header: auth(searchKey), status: 403, code: "forbidden_scope"},
		{name: "required: the page says it needs a key", h: required, method: "GET", target: "/", status: 401, code: "unauthorized"},
		{name: "required: the page with a key", h: required, method: "GET", target: "/", header: auth(searchKey), status: 200},
		{name: "required: its script", h: required, method: "GET", target: "/static/app.js", status: 200},
		{name: "required: the document", h: required, method: "GET", target: "/api/openapi.json", status: 200},
		{name: "required: healthz", h: required, method: "GET", target: "/healthz", status: 200},

		// The token is an admin key beside a key file.
		{name: "token: write", h: withToken, method: "POST", target: "/api/articles", body: "[]", header: auth(token), status: 200},
		{name: "token: stats", h: withToken, method: "GET", target: "/api/stats", header: auth(token), status: 200},
		{name: "token: write with the file's search key", h: withToken, method: "POST", target: "/api/articles", body: "[]", header: auth(searchKey), status: 403, code: "forbidden_scope"},

		// Search keys and no admin key: no writes, operations public.
		{name: "search keys only: write", h: searchOnly, method: "POST", target: "/api/articles", body: "[]", header: auth(searchKey), status: 403, code: "writes_disabled"},
		{name: "search keys only: stats", h: searchOnly, method: "GET", target: "/api/stats", status: 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var header []string
			if tc.header != "" {
				header = append(header, tc.header)
			}
			w := call(t, tc.h, tc.method, tc.target, tc.body, header...)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			if tc.code == "" {
				return
			}
			if code := errorCode(t, w); code != tc.code {
				t.Errorf("code %q, want %q", code, tc.code)
			}
			switch tc.code {
			case "unauthorized":
				if got := w.Header().Get("WWW-Authenticate"); got != `Bearer realm="cari"` {
					t.Errorf("WWW-Authenticate %q", got)
				}
			case "forbidden_scope":
				if got := w.Header().Get("WWW-Authenticate"); !strings.Contains(got, `error="insufficient_scope", scope="admin"`) {
					t.Errorf("WWW-Authenticate %q", got)
				}
				if !strings.Contains(w.Body.String(), "needs a key of scope admin") {
					t.Errorf("the message does not name the scope needed: %s", w.Body)
				}
			}
		})
	}
}

// TestRoutesEnforceDocumentedScope walks the route table: the scope that
// web/openapi.json gives each operation (x-cari-scope, and whether its
// security lets a key be left out) is the route's, and the server, asked
// with no key, a wrong one, a search and an admin key, under every
// configuration, refuses exactly what that scope says.
func TestRoutesEnforceDocumentedScope(t *testing.T) {
	doc, _ := loadSpec(t)
	configs := []struct {
		name             string
		keys             string
		require, noAdmin bool
	}{
		{name: "no keys", noAdmin: true},
		{name: "keys", keys: "admin " + adminKey + "\nsearch " + searchKey},
		{name: "keys, search key required", keys: "admin " + adminKey + "\nsearch " + searchKey, require: true},
		{name: "search keys only", keys: "search " + searchKey, noAdmin: true},
	}
	creds := []struct{ name, header string }{
		{"no key", ""},
		{"wrong key", "Authorization: Bearer salah-salah-0123456789"},
		{"search key", "Authorization: Bearer " + searchKey},
		{"admin key", "Authorization: Bearer " + adminKey},
	}
	for _, rt := range newTest(&fake{}, Options{}).routes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		path = strings.TrimSuffix(path, "{$}")
		if path == "" {
			path = "/"
		}
		op := doc.Paths.Value(path).GetOperation(method)
		if op == nil {
			t.Errorf("%s: not in the document", rt.pattern)
			continue
		}
		scope, _ := op.Extensions["x-cari-scope"].(string)
		anonymous, keyed := false, false
		if op.Security != nil {
			for _, req := range *op.Security {
				if len(req) == 0 {
					anonymous = true
				} else {
					keyed = true
				}
			}
		}
		var documented access
		switch {
		case scope == "public" && !keyed:
			documented = accessPublic
		case scope == "search" && anonymous && keyed:
			documented = accessRead
		case scope == "admin" && anonymous && keyed:
			documented = accessMonitor
		case scope == "admin" && !anonymous && keyed:
			documented = accessWrite
		default:
			t.Errorf("%s: x-cari-scope %q with security %v says no access the server knows", rt.pattern, scope, op.Security)
			continue
		}
		if documented != rt.access && !(documented == accessRead && rt.access == accessPage) {
			t.Errorf("%s: the document says access %d, the route table %d", rt.pattern, documented, rt.access)
		}

		target := strings.NewReplacer("{id}", "ada", "{file}", "app.js", "{$}", "").Replace(strings.TrimPrefix(rt.pattern, method+" "))
		for _, c := range configs {
			h := newTest(&fake{}, Options{RequireSearchKey: c.require, SnapshotDir: t.TempDir()})
			if c.keys != "" {
				if err := h.SetKeys(mustKeys(t, c.keys)); err != nil {
					t.Fatal(err)
				}
			}
			for _, cred := range creds {
				// What the documented scope lets through, and the
				// refusal otherwise.
				want := ""
				switch documented {
				case accessRead:
					if c.require && (cred.name == "no key" || cred.name == "wrong key") {
						want = "unauthorized"
					}
				case accessMonitor, accessWrite:
					switch {
					case c.noAdmin && documented == accessWrite:
						want = "writes_disabled"
					case c.noAdmin:
					case cred.name == "no key" || cred.name == "wrong key":
						want = "unauthorized"
					case cred.name == "search key":
						want = "forbidden_scope"
					}
				}
				var header []string
				if cred.header != "" {
					header = append(header, cred.header)
				}
				w := call(t, h, method, target, "[]", header...)
				got := ""
				if w.Code == 401 || w.Code == 403 {
					got = errorCode(t, w)
				}
				if got != want {
					t.Errorf("%s, %s, %s: status %d %q, want %q", rt.pattern, c.name, cred.name, w.Code, got, want)
				}
			}
		}
	}
}

// TestSetKeys: a new set takes effect at once and whole; a set the
// server cannot take leaves the keys in use.
func TestSetKeys(t *testing.T) {
	const token = "token-lama-0123456789"
	h := keyedServer(t, &fake{}, Options{Token: token, RequireSearchKey: true})
	status := func(key string) int {
		t.Helper()
		return call(t, h, "GET", "/api/stats", "", "Authorization: Bearer "+key).Code
	}
	if status(adminKey) != 200 || status(token) != 200 {
		t.Fatal("the admin key and the token do not work")
	}
	if err := h.SetKeys(mustKeys(t, "admin "+otherKey)); err != nil {
		t.Fatal(err)
	}
	if status(adminKey) != 401 || status(otherKey) != 200 || status(token) != 200 {
		t.Errorf("after the swap: old key %d, new key %d, token %d; want 401, 200, 200", status(adminKey), status(otherKey), status(token))
	}
	if err := h.SetKeys(mustKeys(t, "search "+token)); err == nil || !strings.Contains(err.Error(), "the token: the same key as keys.txt:1") {
		t.Errorf("a file holding the token: %v", err)
	}
	if status(otherKey) != 200 {
		t.Error("a refused set changed the keys")
	}

	lone := newTest(&fake{}, Options{RequireSearchKey: true})
	if err := lone.SetKeys(mustKeys(t, "search "+searchKey)); err != nil {
		t.Fatal(err)
	}
	if err := lone.SetKeys(mustKeys(t, "# emptied\n")); err == nil {
		t.Error("a server that requires a search key took an empty set")
	}
	if w := call(t, lone, "GET", "/api/search", "", "Authorization: Bearer "+searchKey); w.Code != 200 {
		t.Errorf("after a refused set: status %d", w.Code)
	}
}

// TestKeysAreNotLogged: the request log and the errors' bodies show no
// key, whether it was right, of the wrong scope or wrong.
func TestKeysAreNotLogged(t *testing.T) {
	log, readLog := lockedLog(&slog.HandlerOptions{Level: slog.LevelDebug})
	h := New(&fake{statsErr: os.ErrPermission}, Options{Logger: log, RequireSearchKey: true})
	if err := h.SetKeys(mustKeys(t, "admin "+adminKey+"\nsearch "+searchKey)); err != nil {
		t.Fatal(err)
	}
	var bodies strings.Builder
	for _, r := range []struct{ method, target, key string }{
		{"GET", "/api/search?q=x", searchKey},
		{"GET", "/api/stats", adminKey}, // fails in the backend, which is logged
		{"GET", "/api/stats", searchKey},
		{"POST", "/api/articles", otherKey},
		{"POST", "/api/articles", adminKey},
	} {
		w := call(t, h, r.method, r.target, "[]", "Authorization: Bearer "+r.key)
		bodies.WriteString(w.Body.String())
	}
	logged := readLog()
	if !strings.Contains(logged, "status=500") || !strings.Contains(logged, "status=403") {
		t.Fatalf("the log lacks the requests: %s", logged)
	}
	for _, key := range []string{adminKey, searchKey, otherKey} {
		if strings.Contains(logged, key) {
			t.Errorf("the log shows %q: %s", key, logged)
		}
		if strings.Contains(bodies.String(), key) {
			t.Errorf("an answer shows %q: %s", key, bodies.String())
		}
	}
	if strings.Contains(logged, "Bearer") || strings.Contains(logged, "Authorization") {
		t.Errorf("the log shows the Authorization header: %s", logged)
	}
	// Nor does the key set print one, whatever verb a log line uses.
	k := mustKeys(t, "admin "+adminKey)
	for _, s := range []string{fmt.Sprintf("%v", k), fmt.Sprintf("%+v", k), fmt.Sprintf("%#v", k), fmt.Sprintf("%s", k)} {
		if strings.Contains(s, adminKey) {
			t.Errorf("the key set prints its key: %s", s)
		}
	}
}
