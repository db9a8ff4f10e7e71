package server

// The search page, rendered on the server.
//
// GET /?q=… takes /api/search's parameters, read by the same parseSearch,
// and asks the same Backend, so the page shows what the API answers and a
// bad parameter is the same bad_query, told in Indonesian with a 400.
// The page is whole without JavaScript: links for the year, month and
// topic facets, the filters and the pages; a form of check boxes for the
// sources, which may be several at once (the API counts each source as
// the same search without the chosen ones, so a reader sees what adding
// one would bring).
//
// app.js, when it runs, takes over from what the server drew: the page
// carries the API's answer as a JSON data block, which the script draws
// again in place (the same text, so nothing moves) rather than asking the
// API a second time, and from there it searches as the reader types. The
// URL stays the only state, in both.
//
// Titles and snippets are the index's HTML, escaped text with <mark>
// around the matched words; markedHTML keeps the marks and escapes all
// else again, as app.js's marked does in the browser, so an article that
// carries markup in its title or body cannot put it on the page.

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carisearch/cari"
)

// pageFile, in web/, is the search page's template.
const pageFile = "index.html"

// sortRecent is the sort box's choice of relevance with newer articles
// weighed more: in the API's terms recent=true, not a sort.
const sortRecent = "recent"

func parsePage(web fs.FS) (*template.Template, error) {
	t, err := template.ParseFS(web, pageFile)
	if err != nil {
		return nil, fmt.Errorf("search page template: %w", err)
	}
	return t, nil
}

// pageState is what the page's URL says, as app.js's readState reads it:
// the parameters that links and forms carry from one search to the next.
type pageState struct {
	Query    string
	Sort     string // the sort box's choice: relevance, recent, date, or empty
	Page     int
	Sources  []string
	Tags     []string
	From, To string
	Size     string
	// NoDates is dates=false: the query's date words are matched as
	// words (the understood date's chip was removed).
	NoDates bool
}

func readPageState(v url.Values, req cari.Request) pageState {
	st := pageState{
		Query:   v.Get("q"),
		Sort:    v.Get("sort"),
		Page:    max(1, req.Page),
		Sources: req.Sources,
		Tags:    req.Tags,
		From:    strings.TrimSpace(v.Get("from")),
		To:      strings.TrimSpace(v.Get("to")),
		Size:    strings.TrimSpace(v.Get("size")),
		NoDates: req.NoDates,
	}
	if req.Recent {
		st.Sort = sortRecent
	}
	return st
}

func (st pageState) filtered() bool {
	return len(st.Sources) > 0 || len(st.Tags) > 0 || st.From != "" || st.To != ""
}

// field is one parameter of a URL or a form.
type field struct{ Name, Value string }

// fields are st's parameters in app.js's order (params), so a link
// drawn here and one drawn by the script are the same address.
func (st pageState) fields() []field {
	var out []field
	add := func(name, value string) {
		if value != "" {
			out = append(out, field{name, value})
		}
	}
	add("q", st.Query)
	if st.Sort == sortRecent {
		add("recent", "true")
	} else {
		add("sort", st.Sort)
	}
	if st.Page > 1 {
		add("page", strconv.Itoa(st.Page))
	}
	for _, s := range st.Sources {
		add("source", s)
	}
	for _, t := range st.Tags {
		add("tag", t)
	}
	add("from", st.From)
	add("to", st.To)
	add("size", st.Size)
	if st.NoDates {
		add("dates", "false")
	}
	return out
}

// url is the page's address for st; the state with no parameter is "/".
func (st pageState) url() string {
	var b strings.Builder
	for i, f := range st.fields() {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(f.Name) + "=" + url.QueryEscape(f.Value))
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

// change is st with what f changes, back on the first page, as app.js's
// go starts every new search.
func (st pageState) change(f func(*pageState)) string {
	c := st
	c.Sources = append([]string(nil), st.Sources...)
	c.Tags = append([]string(nil), st.Tags...)
	c.Page = 1
	f(&c)
	return c.url()
}

// without is st's fields but those named, for the hidden fields of a
// form whose own controls set them.
func (st pageState) without(names ...string) []field {
	var out []field
	for _, f := range st.fields() {
		skip := false
		for _, n := range names {
			skip = skip || f.Name == n
		}
		if !skip {
			out = append(out, f)
		}
	}
	return out
}

// pageView is what the template draws.
type pageView struct {
	Title string
	Query string
	Sort  string // the sort box's selected choice
	// SearchFields carry the filters to a new query, as the script's
	// search keeps them.
	SearchFields []field
	// Error is the Indonesian message of a failed search, ErrorDetail
	// the API's own, for the tooltip.
	Error, ErrorDetail string
	Summary            string
	Hits               []hitView
	Suggestion         *link
	Chips              []link
	Empty              *emptyView
	Sources            *sourceFacet
	Facets             []facetGroup
	Pager              *pagerView
	// Initial is the answer app.js starts from, in a JSON data block.
	Initial initialAnswer
}

// initialAnswer is the API's answer to the page's search, status and
// body, for app.js.
type initialAnswer struct {
	Status int `json:"status"`
	Body   any `json:"body"`
}

type link struct{ Label, URL string }

type hitView struct {
	ID        string
	URL       string // empty unless http(s)
	Title     template.HTML
	Source    string
	SourceURL string // the search with this source alone
	Date      string // in Indonesian
	Published string
	Tags      []string
	Snippet   template.HTML
	// Others are the other articles of its story (Hit.Others).
	Others []otherView
}

type otherView struct {
	Title  template.HTML
	URL    string // empty unless http(s)
	Source string
	Date   string
}

type emptyView struct {
	Query    bool // tips about the words
	Syntax   bool // the query uses operators worth loosening
	Fewer    bool // the query has many words
	ClearURL string
}

type sourceFacet struct {
	Values []facetValue
	// Fields are the hidden fields of its form: the state but the
	// sources, which the check boxes set, and the page.
	Fields []field
}

type facetGroup struct {
	Name   string
	Values []facetValue
}

type facetValue struct {
	Value, Label, URL, Count string
	On                       bool
}

type pagerView struct {
	Prev, Next string // empty when there is no such page
	Label      string
}

// pageSize is how many hits the page shows without a size of its own:
// app.js's PAGE_SIZE, and the API's default.
const pageSize = cari.DefaultSize

// page serves the search page, with the results of the search its URL
// describes.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	// Titles and snippets are inserted as HTML; the policy keeps anything
	// but our own script from running should one ever carry more.
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

	v, _ := url.ParseQuery(r.URL.RawQuery) // parseSearch reports a malformed one
	if v.Get("sort") == sortRecent {
		// The sort box of a page without JavaScript sends its choice
		// as sort=recent; the address of that search is recent=true.
		v.Del("sort")
		v.Set("recent", "true")
		http.Redirect(w, r, "/?"+v.Encode(), http.StatusSeeOther)
		return
	}
	req, err := parseSearch(r.URL.RawQuery)
	st := readPageState(v, req)
	view := pageView{Title: "cari · mesin pencari berita", Query: st.Query, SearchFields: st.without("q", "sort", "recent", "page", "dates")}
	if st.Query != "" {
		view.Title = st.Query + " · cari"
	}
	view.Sort = st.Sort
	if view.Sort == "" {
		view.Sort = "date"
		if strings.TrimSpace(st.Query) != "" {
			view.Sort = "relevance"
		}
	}
	view.Chips = filterChips(st)
	status := http.StatusOK
	var res *cari.Result
	switch {
	case s.opts.RequireSearchKey && !s.keyMayRead(r):
		// A page is a read like /api/search; a browser that follows a
		// link sends no key, so such a server's page tells it needs one.
		status = http.StatusUnauthorized
		w.Header().Set("WWW-Authenticate", `Bearer realm="cari"`)
		view.fail(status, "unauthorized", "missing or wrong key; send \"Authorization: Bearer KEY\" with a search or admin key")
	case err != nil:
		status = http.StatusBadRequest
		view.fail(status, "bad_query", err.Error())
	default:
		res, status = s.pageSearch(w, r, req, &view)
	}
	if res != nil {
		view.draw(st, res)
	}

	var buf bytes.Buffer
	if err := s.pageTemplate.Execute(&buf, view); err != nil {
		s.log.Error("search page", "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "internal error")
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// pageSearch runs the page's search as /api/search runs it, admitted by
// the same gate: the result, or the error drawn into view.
func (s *Server) pageSearch(w http.ResponseWriter, r *http.Request, req cari.Request, view *pageView) (*cari.Result, int) {
	if req.Size == 0 {
		req.Size = pageSize
	}
	if !s.searches.enter(r.Context()) {
		status, code, message := s.searches.refusal(w, r)
		view.fail(status, code, message)
		return nil, status
	}
	defer s.searches.leave()
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
	defer cancel()
	res, err := s.b.Search(ctx, req)
	if err != nil {
		status, code, message := s.failure(r, ctx, err, "bad_query")
		view.fail(status, code, message)
		return nil, status
	}
	view.Initial = initialAnswer{Status: http.StatusOK, Body: res}
	return res, http.StatusOK
}

// fail draws an error: the page's words for the code, the API's message
// for the tooltip, and for app.js the API's answer.
func (v *pageView) fail(status int, code, message string) {
	v.Error, v.ErrorDetail = pageErrorText(code, status), message
	var body errorBody
	body.Error.Code, body.Error.Message = code, message
	v.Initial = initialAnswer{Status: status, Body: body}
}

// pageErrorText says in Indonesian what went wrong, by the API's error
// code; app.js's errorText holds the same words (a test keeps them so).
func pageErrorText(code string, status int) string {
	switch code {
	case "bad_query":
		return "Kueri tidak dapat diproses. Periksa tanda kutip, tanda kurung, tanggal, dan saringannya."
	case "query_too_expensive":
		return "Kueri terlalu luas: kata dengan * atau ~ cocok dengan terlalu banyak kata. Persempit kuerinya."
	case "timeout":
		return "Pencarian memakan waktu terlalu lama. Coba kueri yang lebih sempit."
	case "overloaded", "unavailable":
		return "Server sedang sibuk. Coba lagi sebentar lagi."
	case "unauthorized":
		return "Server ini hanya menjawab pencarian yang membawa kunci API; halaman ini untuk server publik."
	}
	return fmt.Sprintf("Terjadi kesalahan (%d).", status)
}

// draw fills the view with a result, in app.js's words (draw).
func (v *pageView) draw(st pageState, res *cari.Result) {
	size := max(1, res.Size)
	switch {
	case res.Total > 0:
		first := uint64(res.Page-1)*uint64(size) + 1
		last := first + uint64(len(res.Hits)) - 1
		prefix := ""
		if st.Query == "" {
			prefix = "Berita terbaru: "
		}
		about := ""
		if !res.TotalExact {
			about = "sekitar " // a sample's estimate (cari.Result.TotalExact)
		}
		v.Summary = prefix + formatCount(first) + "–" + formatCount(last) + " dari " + about + formatCount(res.Total) +
			" hasil (" + formatMS(res.TookMS) + " md)"
	case res.Understood != nil && res.Understood.Dates != nil:
		// The date read out of the query: what was not found, and when.
		d := res.Understood.Dates
		v.Summary = "Tidak ada berita pada " + d.Label + "."
		if d.Query != "" {
			v.Summary = "Tidak ada berita yang cocok dengan “" + d.Query + "” pada " + d.Label + "."
		}
	case st.Query != "" && st.filtered():
		v.Summary = "Tidak ada berita yang cocok dengan “" + st.Query + "” pada saringan yang aktif."
	case st.Query != "":
		v.Summary = "Tidak ada berita yang cocok dengan “" + st.Query + "”."
	case st.filtered():
		v.Summary = "Tidak ada berita yang cocok dengan saringan yang aktif."
	default:
		v.Summary = "Belum ada berita."
	}
	for _, h := range res.Hits {
		v.Hits = append(v.Hits, hitFor(st, h))
	}
	if u := res.Understood; u != nil && u.Dates != nil {
		// The date read out of the query, as a filter: removing it
		// searches the same query with its date words as words.
		v.Chips = append(v.Chips, link{Label: u.Dates.Label, URL: st.change(func(c *pageState) { c.NoDates = true })})
		if u.Dates.Query == "" && st.Sort == "" {
			v.Sort = "date" // a date alone lists its days, newest first
		}
	}
	if res.Suggestion != "" {
		v.Suggestion = &link{Label: res.Suggestion, URL: st.change(func(c *pageState) { c.Query = res.Suggestion })}
	}
	if res.Total == 0 && (st.Query != "" || st.filtered()) {
		v.Empty = emptyFor(st)
	}
	v.facets(st, res.Facets)
	lastPage := max(1, min(int(math.Ceil(float64(res.Total)/float64(size))), cari.MaxResultDepth/size))
	if !(res.Total <= uint64(size) && res.Page == 1) {
		p := &pagerView{Label: "Halaman " + formatCount(uint64(res.Page)) + " dari " + formatCount(uint64(lastPage))}
		at := func(n int) string {
			c := st
			c.Page = n
			return c.url()
		}
		if res.Page > 1 {
			p.Prev = at(res.Page - 1)
		}
		if res.Page < lastPage {
			p.Next = at(res.Page + 1)
		}
		v.Pager = p
	}
}

func hitFor(st pageState, h cari.Hit) hitView {
	title := h.Title
	if title == "" {
		title = html.EscapeString(h.ID)
	}
	hv := hitView{ID: h.ID, Title: markedHTML(title), Source: h.Source, Published: h.Published,
		Date: formatDate(h.Published), Tags: h.Tags, Snippet: markedHTML(h.Snippet)}
	if isWebURL(h.URL) {
		hv.URL = h.URL
	}
	for _, o := range h.Others {
		ov := otherView{Title: markedHTML(cmp.Or(o.Title, html.EscapeString(o.ID))), Source: o.Source, Date: formatDate(o.Published)}
		if isWebURL(o.URL) {
			ov.URL = o.URL
		}
		hv.Others = append(hv.Others, ov)
	}
	if h.Source != "" {
		hv.SourceURL = st.change(func(c *pageState) { c.Sources = []string{h.Source} })
	}
	return hv
}

func emptyFor(st pageState) *emptyView {
	e := &emptyView{Query: st.Query != ""}
	if e.Query {
		e.Syntax = usesSyntax(st.Query)
		e.Fewer = !e.Syntax && len(strings.Fields(st.Query)) > 3
	}
	if st.filtered() {
		e.ClearURL = st.change(func(c *pageState) { c.Sources, c.Tags, c.From, c.To = nil, nil, "", "" })
	}
	return e
}

// usesSyntax tells a query with operators, worth loosening when it finds
// nothing: app.js's /["+:*?~]|(^|\s)-/ in drawEmpty.
func usesSyntax(q string) bool {
	if strings.ContainsAny(q, `"+:*?~`) {
		return true
	}
	for _, w := range strings.Fields(q) {
		if strings.HasPrefix(w, "-") {
			return true
		}
	}
	return false
}

// facets draws the facets as app.js's drawFacets does: sources, years,
// the months of a chosen year or month, topics.
func (v *pageView) facets(st pageState, f map[string][]cari.Facet) {
	if src := f["source"]; len(src) > 0 {
		sf := &sourceFacet{Fields: st.without("source", "page")}
		for _, x := range src {
			sf.Values = append(sf.Values, facetValue{Value: x.Value, Label: x.Value, Count: formatCount(uint64(x.Count)), On: slices.Contains(st.Sources, x.Value)})
		}
		v.Sources = sf
	}
	group := func(name string, values []cari.Facet, label func(string) string, on func(string) bool, toggle func(*pageState, string)) {
		if len(values) == 0 {
			return
		}
		g := facetGroup{Name: name}
		for _, x := range values {
			value := x.Value
			g.Values = append(g.Values, facetValue{Value: value, Label: label(value), Count: formatCount(uint64(x.Count)),
				On: on(value), URL: st.change(func(c *pageState) { toggle(c, value) })})
		}
		v.Facets = append(v.Facets, g)
	}
	same := func(s string) string { return s }
	isYear := func(y string) bool { return st.From == y+"-01-01" && st.To == y+"-12-31" }
	group("Tahun", f["published"], same, isYear, func(c *pageState, y string) {
		if isYear(y) {
			c.From, c.To = "", ""
		} else {
			c.From, c.To = y+"-01-01", y+"-12-31"
		}
	})
	if len(st.From) >= 4 && len(st.To) >= 4 && st.From[:4] == st.To[:4] {
		isMonth := func(m string) bool { from, to := monthRange(m); return st.From == from && st.To == to }
		group("Bulan", f[cari.FacetMonth], monthLabel, isMonth, func(c *pageState, m string) {
			if isMonth(m) {
				c.From, c.To = m[:4]+"-01-01", m[:4]+"-12-31"
			} else {
				c.From, c.To = monthRange(m)
			}
		})
	}
	group("Topik", f["tags"], same, func(t string) bool { return slices.Contains(st.Tags, t) }, func(c *pageState, t string) {
		c.Tags = toggle(c.Tags, t)
	})
}

// filterChips are the active filters, each a link to the search without
// it (app.js's drawFilters).
func filterChips(st pageState) []link {
	var out []link
	for _, s := range st.Sources {
		out = append(out, link{"Sumber: " + s, st.change(func(c *pageState) { c.Sources = toggle(c.Sources, s) })})
	}
	for _, t := range st.Tags {
		out = append(out, link{"Topik: " + t, st.change(func(c *pageState) { c.Tags = toggle(c.Tags, t) })})
	}
	if st.From != "" || st.To != "" {
		label := "Tanggal: " + orEllipsis(st.From) + " s.d. " + orEllipsis(st.To)
		if len(st.From) >= 7 {
			y, m := st.From[:4], st.From[:7]
			from, to := monthRange(m)
			switch {
			case st.From == y+"-01-01" && st.To == y+"-12-31":
				label = "Tahun: " + y
			case st.From == from && st.To == to:
				label = "Bulan: " + monthLabel(m)
			}
		}
		out = append(out, link{label, st.change(func(c *pageState) { c.From, c.To = "", "" })})
	}
	return out
}

func orEllipsis(s string) string {
	if s == "" {
		return "…"
	}
	return s
}

// markedHTML keeps, of the index's HTML, the text and the <mark> around
// matched words, and nothing else, as app.js's marked does: the text is
// unescaped and escaped again, any other tag is dropped (its text kept),
// and the marks are balanced.
func markedHTML(s string) template.HTML {
	var b strings.Builder
	text := func(t string) { b.WriteString(html.EscapeString(html.UnescapeString(t))) }
	open := false
	for s != "" {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			text(s)
			break
		}
		text(s[:i])
		s = s[i:]
		j := strings.IndexByte(s, '>')
		if j < 0 {
			text(s)
			break
		}
		switch strings.ToLower(s[:j+1]) {
		case "<mark>":
			if !open {
				b.WriteString("<mark>")
				open = true
			}
		case "</mark>":
			if open {
				b.WriteString("</mark>")
				open = false
			}
		}
		s = s[j+1:]
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String())
}

func isWebURL(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// monthName is a month's name in Indonesian, as the browser's id-ID
// writes it.
func monthName(m time.Month) string {
	return [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
		"Agustus", "September", "Oktober", "November", "Desember"}[m-1]
}

// formatDate writes a YYYY-MM-DD date as "21 November 2022", or as it
// is when it is no such date.
func formatDate(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return strconv.Itoa(t.Day()) + " " + monthName(t.Month()) + " " + strconv.Itoa(t.Year())
}

// monthLabel writes a YYYY-MM month as "Agustus 2023".
func monthLabel(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return monthName(t.Month()) + " " + strconv.Itoa(t.Year())
}

// monthRange is the first and last day of a YYYY-MM month.
func monthRange(m string) (from, to string) {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m + "-01", m + "-31"
	}
	return t.Format(time.DateOnly), t.AddDate(0, 1, -1).Format(time.DateOnly)
}

// formatCount writes n with Indonesian digit grouping: 12.345.
func formatCount(n uint64) string {
	s := strconv.FormatUint(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// formatMS writes milliseconds to a tenth, in Indonesian: 1.234,5.
func formatMS(ms float64) string {
	tenths := uint64(math.Round(math.Max(ms, 0) * 10))
	s := formatCount(tenths / 10)
	if d := tenths % 10; d != 0 {
		s += "," + strconv.FormatUint(d, 10)
	}
	return s
}

func toggle(list []string, v string) []string {
	if !slices.Contains(list, v) {
		return append(list, v)
	}
	var out []string
	for _, x := range list {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}
