package server

import (
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carisearch/cari"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromePath finds a Chromium to drive. CI installs one (.ci/run), so
// there a missing browser is a failure; elsewhere the test skips.
func chromePath(t *testing.T) string {
	for _, name := range []string{os.Getenv("CARI_CHROME"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no Chromium on PATH; .ci/run should have installed it")
	}
	t.Skip("no Chromium on PATH (install chromium, or set CARI_CHROME)")
	return ""
}

// startBrowser starts a headless Chromium for the test, stopped when it
// ends, and returns its context, bounded to a minute.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	chrome := chromePath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

// axeScript is axe-core's axe.min.js, from the file $CARI_AXE_JS names:
// fetched by .ci/run, never kept in the repository. CI must have it;
// elsewhere it may be missing, "", and the accessibility checks skip.
func axeScript(t *testing.T) string {
	t.Helper()
	path := os.Getenv("CARI_AXE_JS")
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CARI_AXE_JS is not set; .ci/run should have fetched axe-core")
		}
		return ""
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	return string(data)
}

// axeViolation is one rule axe-core found broken, with the elements that
// break it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// checkAccessibility runs axe-core on the page the browser shows, in a
// subtest that fails on every serious or critical violation, naming
// them, and logs lesser ones; without axe-core it skips.
func checkAccessibility(t *testing.T, ctx context.Context, axe, name string) {
	t.Helper()
	t.Run("axe "+name, func(t *testing.T) {
		if axe == "" {
			t.Skip("CARI_AXE_JS is not set (the path of axe-core's axe.min.js; .ci/run fetches it)")
		}
		runAxe(t, ctx, axe, name)
	})
}

func runAxe(t *testing.T, ctx context.Context, axe, name string) {
	t.Helper()
	// The script is evaluated by the DevTools protocol, which runs even
	// where the page's own scripts are disabled.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axe+"\n;0")); err != nil {
		t.Fatalf("%s: loading axe-core: %v", name, err)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](
		`axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe.run: %v", name, err)
	}
	for _, v := range violations {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, fmt.Sprint(n.Target...))
		}
		msg := fmt.Sprintf("%s: axe %s (%s): %s, at %s", name, v.ID, v.Impact, v.Help, strings.Join(targets, ", "))
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
}

// browserTab runs a test's actions in the browser, failing the test on
// the first that fails.
type browserTab struct {
	t   *testing.T
	ctx context.Context
}

func (b browserTab) steps(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

func (b browserTab) read(a chromedp.Action[string]) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		b.t.Fatalf("browser: %v", err)
	}
	return v
}

func (b browserTab) eval(js string) int {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](js))
	if err != nil {
		b.t.Fatalf("browser: %s: %v", js, err)
	}
	return v
}

// TestSearchPageInBrowser loads the search page in headless Chromium over
// the sample articles and does what a reader does, checked on what the
// page shows: search by typing, follow a source facet, page forward and
// back, read it on a phone, and meet a search with no results.
func TestSearchPageInBrowser(t *testing.T) {
	ctx := startBrowser(t)
	axe := axeScript(t)
	start := time.Now()
	srv := httptest.NewServer(New(sampleIndex(t), Options{Logger: quietLogger()}))
	defer srv.Close()

	tab := browserTab{t, ctx}
	steps, read, eval := tab.steps, tab.read, tab.eval
	// settled waits until the page has drawn the answer to a search whose
	// URL satisfies the JavaScript condition cond (on location.search).
	settled := func(cond string) {
		t.Helper()
		js := `(() => { const s = location.search; return (` + cond + `) && !document.getElementById('results').hasAttribute('aria-busy') && document.getElementById('summary').textContent !== ''; })()`
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Fatalf("browser: waiting for %s: %v (at %s)", cond, err, read(chromedp.Location()))
		}
	}
	firstHit := func() string { return read(chromedp.Text(`#results li.hit h2`)) }
	// summaryTotal is N in the summary's "… dari N hasil".
	summaryTotal := func() int {
		t.Helper()
		summary := read(chromedp.Text(`#summary`))
		m := regexp.MustCompile(`dari ([0-9.]+) hasil`).FindStringSubmatch(summary)
		if m == nil {
			t.Fatalf("summary %q gives no total", summary)
		}
		n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ".", ""))
		return n
	}
	shots := t.TempDir()
	screenshot := func(name string) {
		t.Helper()
		// Quality 100 asks for PNG.
		data, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("browser: screenshot: %v", err)
		}
		path := filepath.Join(shots, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if cfg, err := png.DecodeConfig(f); err != nil || cfg.Width == 0 || cfg.Height == 0 {
			t.Fatalf("screenshot %s (%d bytes) is not a PNG image: %v %+v", path, len(data), err, cfg)
		}
		// CARI_SCREENSHOTS=DIR keeps a copy, for people to look at.
		if dir := os.Getenv("CARI_SCREENSHOTS"); dir != "" {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Error(err)
			}
		}
	}

	// Type a query and send it with Enter, as a reader does (form.submit()
	// would skip the page's own handler).
	steps(
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`#q`),
		chromedp.SendKeys(`#q`, "multipolar"+kb.Enter),
		chromedp.WaitVisible(`#results li.hit h2 mark`),
	)
	settled(`s.includes('q=multipolar')`)
	if title := firstHit(); !strings.Contains(title, "Moskow") {
		t.Errorf("first hit %q, want the Moscow conference article", title)
	}
	if title := read(chromedp.InnerHTML(`#results li.hit h2`)); !strings.Contains(strings.ToLower(title), "<mark>multipolar</mark>") {
		t.Errorf("title %q lacks the marked word", title)
	}
	if snippet := read(chromedp.InnerHTML(`#results li.hit .snippet`)); !strings.Contains(snippet, "<mark>multipolar</mark>") {
		t.Errorf("snippet %q lacks the marked word", snippet)
	}
	if n := summaryTotal(); n != 2 {
		t.Errorf("summary shows %d results, want 2", n)
	}

	// One h1, and after the search form a link that skips the facets:
	// the keyboard reaches the results next.
	if n := eval(`document.querySelectorAll('h1').length`); n != 1 {
		t.Errorf("the page has %d h1 elements, want 1", n)
	}
	steps(chromedp.Focus(`#search button`), chromedp.KeyEvent(kb.Tab))
	if eval(`document.activeElement.classList.contains('skip') ? 1 : 0`) != 1 {
		t.Errorf("the Tab after the search button goes to %q, not the skip link", read(chromedp.Evaluate[string](`document.activeElement.outerHTML.slice(0, 80)`)))
	}
	steps(chromedp.KeyEvent(kb.Enter))
	if eval(`document.activeElement.id === 'hasil' ? 1 : 0`) != 1 {
		t.Errorf("the skip link leaves the focus on %q, not the results", read(chromedp.Evaluate[string](`document.activeElement.outerHTML.slice(0, 80)`)))
	}

	// Related articles open under a hit: another article, not itself.
	steps(chromedp.Click(`#results li.hit .related-toggle`))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll('#results li.hit:first-child .related li a').length > 0`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("browser: related articles never appeared: %v", err)
	}
	if related := read(chromedp.Text(`#results li.hit:first-child .related li a`)); related == "" || strings.Contains(related, "Moskow") {
		t.Errorf("first related article %q: want another article than the hit itself", related)
	}

	// Typing offers completions from /api/suggest in the box's list.
	eval(`(document.getElementById('q').select(), 1)`)
	steps(chromedp.SendKeys(`#q`, "multip"))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`[...document.querySelectorAll('#completions option')].some(o => o.value.toLowerCase().startsWith('multipolar'))`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("browser: no completion multipolar… for multip: %v", err)
	}

	// A source facet narrows the hits to that source, and the summary
	// counts as many as the facet said. The second source is taken, so
	// the count differs from the total.
	// The reader selects the old query and types over it.
	eval(`(document.getElementById('q').select(), 1)`)
	steps(chromedp.SendKeys(`#q`, "kerja sama"+kb.Enter))
	settled(`s.includes('q=kerja+sama')`)
	total := summaryTotal()
	const facet = `#facets .facet:first-child li:nth-child(2)`
	source := strings.TrimSpace(read(chromedp.Text(facet + ` label`)))
	count, err := strconv.Atoi(strings.ReplaceAll(read(chromedp.Text(facet+` .count`)), ".", ""))
	if err != nil || count == 0 || count >= total {
		t.Fatalf("facet %q count %d (%v), total %d", source, count, err, total)
	}
	steps(chromedp.Click(facet + ` input`))
	settled(`s.includes('source=')`)
	if n := summaryTotal(); n != count {
		t.Errorf("after choosing source %q (%d) the summary counts %d results", source, count, n)
	}
	if chip := read(chromedp.Text(`#filters .chip`)); !strings.Contains(chip, source) {
		t.Errorf("filter chip %q does not name %q", chip, source)
	}
	if others := eval(`[...document.querySelectorAll('#results li.hit .meta button')].filter(b => b.textContent !== ` + jsString(source) + `).length`); others != 0 {
		t.Errorf("%d hits from sources other than %q", others, source)
	}
	// The other sources are still offered, with their counts, to be
	// chosen beside it.
	if n := eval(`document.querySelectorAll('#facets .sources li').length`); n < 2 {
		t.Errorf("with %q chosen the source facet offers %d sources", source, n)
	}

	// Page 2 shows other hits; the back button brings page 1 again.
	steps(chromedp.Navigate(srv.URL + "/?q=indonesia"))
	settled(`s === '?q=indonesia'`)
	// The script drew the server's answer again, once, and asked the
	// API for nothing; the hits are its own (each with its related
	// articles button).
	if n := eval(`performance.getEntriesByType('resource').filter(e => e.name.includes('/api/search')).length`); n != 0 {
		t.Errorf("the page loaded with its results asked /api/search %d times", n)
	}
	if n := eval(`document.querySelectorAll('#results li.hit').length`); n != 10 {
		t.Errorf("%d hits on the page, want 10", n)
	}
	if n := eval(`document.querySelectorAll('#results li.hit .related-toggle').length`); n != 10 {
		t.Errorf("%d hits with the script's related articles button, want 10", n)
	}
	if n := summaryTotal(); n <= 10 {
		t.Fatalf("%d results for indonesia; the test needs more than a page", n)
	}
	page1 := firstHit()
	steps(chromedp.Click(`#next`))
	settled(`s.includes('page=2')`)
	if page2 := firstHit(); page2 == page1 {
		t.Errorf("page 2 starts with the same hit as page 1: %q", page2)
	}
	if pageno := read(chromedp.Text(`#pageno`)); !strings.HasPrefix(pageno, "Halaman 2") {
		t.Errorf("pager says %q on page 2", pageno)
	}
	steps(chromedp.NavigateBack())
	settled(`!s.includes('page=')`)
	if again := firstHit(); again != page1 {
		t.Errorf("back on page 1 the first hit is %q, want %q", again, page1)
	}
	if pageno := read(chromedp.Text(`#pageno`)); !strings.HasPrefix(pageno, "Halaman 1") {
		t.Errorf("pager says %q after going back", pageno)
	}
	screenshot("hasil.png")
	checkAccessibility(t, ctx, axe, "results with JavaScript")

	// "Relevan & baru" asks for recency: the URL says so, and the newest
	// article, which matches "ekonomi" about as well as the best match,
	// comes first.
	steps(chromedp.Navigate(srv.URL + "/?q=ekonomi"))
	settled(`s === '?q=ekonomi'`)
	plainFirst := firstHit()
	steps(chromedp.SetValue(`#sort`, "recent"), chromedp.Evaluate[chromedp.Void](`document.getElementById('sort').dispatchEvent(new Event('change'))`))
	settled(`s.includes('recent=true')`)
	if v := read(chromedp.Value(`#sort`)); v != "recent" {
		t.Errorf("sort shows %q after choosing recency", v)
	}
	if recentFirst := firstHit(); recentFirst == plainFirst {
		t.Errorf("with recency the first hit is still %q", recentFirst)
	}

	// Narrowed to a year, the page offers that year's months; choosing one
	// narrows the results to its count.
	steps(chromedp.Navigate(srv.URL + "/?q=indonesia&from=2023-01-01&to=2023-12-31"))
	settled(`s.includes('from=2023-01-01')`)
	monthButton := eval(`(() => { const h = [...document.querySelectorAll('#facets .facet h3')].find(h => h.textContent === 'Bulan'); return h ? h.parentElement.querySelectorAll('li').length : 0 })()`)
	if monthButton == 0 {
		t.Fatalf("no month facet after choosing a year")
	}
	monthCount := eval(`(() => { const h = [...document.querySelectorAll('#facets .facet h3')].find(h => h.textContent === 'Bulan'); const li = h.parentElement.querySelector('li'); li.querySelector('button').click(); return Number(li.querySelector('.count').textContent.replace(/\./g, '')) })()`)
	settled(`/from=2023-\d\d-01/.test(s) && !s.includes('from=2023-01-01&to=2023-12-31')`)
	if n := summaryTotal(); n != monthCount {
		t.Errorf("after choosing a month (%d) the summary counts %d results", monthCount, n)
	}
	if chip := read(chromedp.Text(`#filters .chip`)); !strings.Contains(chip, "Bulan: ") {
		t.Errorf("filter chip %q does not name the month", chip)
	}

	// On a phone-sized screen nothing is wider than the screen.
	steps(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait))
	for _, target := range []string{"/?q=indonesia", "/?q=kerja+sama&source=" + url.QueryEscape(source) + "&page=1", "/?q=xyzzyplugh"} {
		steps(chromedp.Navigate(srv.URL + target))
		settled(`true`)
		// A mobile browser widens its layout viewport to fit content that
		// is too wide, so innerWidth is checked against the screen too.
		if over := eval(`document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
			t.Errorf("%s: on a 390 px screen the page scrolls sideways by %d px", target, over)
		}
		if w := eval(`window.innerWidth`); w != 390 {
			t.Errorf("%s: on a 390 px screen the page is %d px wide", target, w)
		}
	}
	steps(chromedp.Navigate(srv.URL + "/?q=indonesia"))
	settled(`true`)
	screenshot("ponsel.png")
	steps(chromedp.EmulateViewport(1280, 900))

	// A search with no results says so and suggests what to try.
	steps(chromedp.Navigate(srv.URL + "/?q=multipolar&source=warta-harian.com"))
	settled(`s.includes('source=')`)
	if visible := eval(`document.getElementById('empty').hidden ? 0 : 1`); visible != 1 {
		t.Fatal("no empty state for a search with no results")
	}
	tips := read(chromedp.Text(`#empty`))
	for _, want := range []string{"Periksa ejaan", "kata lain", "Hapus saringan"} {
		if !strings.Contains(tips, want) {
			t.Errorf("empty state %q lacks %q", tips, want)
		}
	}
	checkAccessibility(t, ctx, axe, "no results with JavaScript")
	steps(chromedp.Click(`#clear-filters`))
	settled(`!s.includes('source=')`)
	if n := summaryTotal(); n != 2 {
		t.Errorf("after clearing the filters %d results, want 2", n)
	}
	if visible := eval(`document.getElementById('empty').hidden ? 0 : 1`); visible != 0 {
		t.Error("the empty state stays with results on the page")
	}

	// A misspelt word still finds the article, and the page offers the
	// spelling the index knows.
	steps(chromedp.Navigate(srv.URL + "/?q=multipolr"))
	settled(`s === '?q=multipolr'`)
	if title := firstHit(); !strings.Contains(title, "Moskow") {
		t.Errorf("misspelt query: first hit %q, want the Moscow article", title)
	}
	if suggest := read(chromedp.Text(`#suggest`)); !strings.Contains(suggest, "Mungkin maksud Anda: multipolar") {
		t.Errorf("suggestion %q, want multipolar", suggest)
	}
	steps(chromedp.Click(`#suggest a`))
	settled(`s === '?q=multipolar'`)
	if visible := eval(`document.getElementById('suggest').hidden ? 0 : 1`); visible != 0 {
		t.Error("a suggestion is shown for a correctly spelt query")
	}
	// A year in the query is a date filter, shown as a chip; the chip
	// takes it off, and the year is searched as a word.
	steps(
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`#q`),
		chromedp.SendKeys(`#q`, "ekonomi 2023"+kb.Enter),
	)
	settled(`s.includes('q=ekonomi+2023')`)
	if chip := read(chromedp.Text(`#filters .chip`)); chip != "2023 ×" {
		t.Errorf("date chip %q, want 2023 ×", chip)
	}
	dated := summaryTotal()
	steps(chromedp.Click(`#filters .chip`))
	settled(`s.includes('dates=false')`)
	if n := eval(`document.querySelectorAll('#filters .chip').length`); n != 0 {
		t.Errorf("%d chips after the date chip was taken off", n)
	}
	if n := summaryTotal(); n <= dated {
		t.Errorf("ekonomi 2023 as words finds %d, as a date %d: want more as words", n, dated)
	}
	steps(chromedp.Navigate(srv.URL + "/?q=banjir+2023"))
	settled(`s.includes('q=banjir+2023')`)
	if got, want := read(chromedp.Text(`#summary`)), "Tidak ada berita yang cocok dengan “banjir” pada 2023."; got != want {
		t.Errorf("banjir 2023: summary %q, want %q", got, want)
	}

	// A bad request is told in Indonesian; the API's English message is
	// only the box's tooltip.
	steps(chromedp.Navigate(srv.URL + "/?q=banjir&from=2019-02-30"))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!document.getElementById('error').hidden`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("browser: no error shown for from=2019-02-30: %v", err)
	}
	if msg := read(chromedp.Text(`#error`)); !strings.HasPrefix(msg, "Kueri tidak dapat diproses.") || strings.Contains(msg, "exist") || strings.Contains(msg, "format") {
		t.Errorf("error box %q, want the Indonesian message alone", msg)
	}
	if tip := read(chromedp.Evaluate[string](`document.getElementById('error').title`)); !strings.Contains(tip, "does not exist") {
		t.Errorf("error box tooltip %q, want the API's message", tip)
	}
	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// scripts turns the JavaScript of the pages in the browser's tab off, as
// a reader's setting would, or on again.
func scripts(on bool) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tab *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return chromedp.Void{}, err
	}
}

// TestSearchPageWithoutJavaScript does in a browser whose JavaScript is
// off what a reader does: the server's page alone must search (typing
// and submitting the form), narrow to sources with the check boxes,
// sort, page forward and tell a bad parameter, with the same results
// as the API.
func TestSearchPageWithoutJavaScript(t *testing.T) {
	ctx := startBrowser(t)
	axe := axeScript(t)
	srv := httptest.NewServer(New(sampleIndex(t), Options{Logger: quietLogger()}))
	defer srv.Close()

	tab := browserTab{t, ctx}
	steps, read, eval := tab.steps, tab.read, tab.eval
	// arrived waits until the browser shows a page whose location.search
	// (s) satisfies cond: a form sent or a link followed loads a page,
	// and while it does the old page's context goes, so each try is
	// a fresh evaluation and a failed one is tried again.
	arrived := func(cond string) {
		t.Helper()
		js := `(() => { const s = location.search; return document.readyState === 'complete' && (` + cond + `); })()`
		deadline := time.Now().Add(10 * time.Second)
		for {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("browser: waiting for %s: %v (at %s)", cond, err, read(chromedp.Location()))
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	// shown are the ids of the hits on the page, in order.
	shown := func() []string {
		t.Helper()
		ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#results li.hit')].map(li => li.dataset.id)`))
		if err != nil {
			t.Fatalf("browser: %v", err)
		}
		return ids
	}
	// api are the ids of /api/search's hits for the page's parameters.
	api := func() []string {
		t.Helper()
		res := apiSearch(t, srv.URL, strings.TrimPrefix(read(chromedp.Evaluate[string](`location.search`)), "?"))
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		return ids
	}
	sameAsAPI := func(what string) {
		t.Helper()
		if got, want := shown(), api(); strings.Join(got, " ") != strings.Join(want, " ") || len(got) == 0 {
			t.Errorf("%s: the page shows %v, the API answers %v", what, got, want)
		}
	}
	summaryTotal := func() int {
		t.Helper()
		summary := read(chromedp.Text(`#summary`))
		m := regexp.MustCompile(`dari ([0-9.]+) hasil`).FindStringSubmatch(summary)
		if m == nil {
			t.Fatalf("summary %q gives no total", summary)
		}
		n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ".", ""))
		return n
	}

	steps(scripts(false), chromedp.Navigate(srv.URL+"/"))
	// Had the script run, the pager would be its buttons.
	if n := eval(`document.querySelectorAll('#pager button, #results .related-toggle').length`); n != 0 {
		t.Fatalf("the page's script ran (%d of its buttons)", n)
	}
	if body := read(chromedp.Text(`body`)); strings.Contains(body, "JavaScript") {
		t.Errorf("the page without JavaScript asks for it: %q", body)
	}
	if n := eval(`document.querySelectorAll('h1').length`); n != 1 {
		t.Errorf("the page has %d h1 elements, want 1", n)
	}
	sameAsAPI("the front page")

	// Type a query and send the form with Enter: the browser asks the
	// server for /?q=…, which draws the results.
	steps(chromedp.SendKeys(`#q`, "kerja sama"+kb.Enter))
	arrived(`s.includes('q=kerja+sama')`)
	sameAsAPI("kerja sama")
	if v := read(chromedp.Value(`#q`)); v != "kerja sama" {
		t.Errorf("the search box holds %q after the search", v)
	}
	total := summaryTotal()

	// Tick a source and apply: its articles only, as many as it counted;
	// the other sources stay, with the counts they would add.
	const second = `#facets .sources li:nth-child(2)`
	source := strings.TrimSpace(read(chromedp.Text(second + ` label`)))
	count, _ := strconv.Atoi(strings.ReplaceAll(read(chromedp.Text(second+` .count`)), ".", ""))
	if count == 0 || count >= total {
		t.Fatalf("source %q counts %d of %d", source, count, total)
	}
	steps(chromedp.Click(second+` input`), chromedp.Click(`#facets .sources button[type=submit]`))
	arrived(`s.includes('source=')`)
	sameAsAPI("one source")
	if n := summaryTotal(); n != count {
		t.Errorf("after choosing %q (%d) the summary counts %d", source, count, n)
	}
	if others := eval(`[...document.querySelectorAll('#results li.hit .meta .source')].filter(a => a.textContent !== ` + jsString(source) + `).length`); others != 0 {
		t.Errorf("%d hits from sources other than %q", others, source)
	}
	if chip := read(chromedp.Text(`#filters .chip`)); !strings.Contains(chip, source) {
		t.Errorf("filter chip %q does not name %q", chip, source)
	}
	// A second source beside it: the hits of both.
	const third = `#facets .sources li:nth-child(3)`
	third3 := strings.TrimSpace(read(chromedp.Text(third + ` label`)))
	count3, _ := strconv.Atoi(strings.ReplaceAll(read(chromedp.Text(third+` .count`)), ".", ""))
	if third3 == source {
		t.Fatalf("the chosen source %q moved in the facet", source)
	}
	steps(chromedp.Click(third+` input`), chromedp.Click(`#facets .sources button[type=submit]`))
	arrived(`(s.match(/source=/g) || []).length === 2`)
	sameAsAPI("two sources")
	if n := summaryTotal(); n != count+count3 {
		t.Errorf("with %q (%d) and %q (%d) the summary counts %d", source, count, third3, count3, n)
	}
	// The chip takes a filter off again.
	steps(chromedp.Click(`#filters .chip`))
	arrived(`(s.match(/source=/g) || []).length === 1`)
	sameAsAPI("a source taken off")

	// Page forward with the pager's link.
	steps(chromedp.Navigate(srv.URL + "/?q=indonesia"))
	page1 := shown()
	steps(chromedp.Click(`#next`))
	arrived(`s.includes('page=2')`)
	sameAsAPI("page 2")
	if page2 := shown(); len(page2) == 0 || page2[0] == page1[0] {
		t.Errorf("page 2 shows %v after page 1's %v", page2, page1)
	}
	if pageno := read(chromedp.Text(`#pageno`)); !strings.HasPrefix(pageno, "Halaman 2") {
		t.Errorf("pager says %q on page 2", pageno)
	}
	// axe-core needs JavaScript, and the page's timers, to run: turned
	// on once the page is drawn, they do not run app.js, whose turn came
	// while the page loaded.
	accessible := func(name string) {
		t.Helper()
		steps(scripts(true))
		checkAccessibility(t, ctx, axe, name)
		if n := eval(`document.querySelectorAll('#pager button, #results .related-toggle').length`); n != 0 {
			t.Fatalf("%s: the page's script ran once JavaScript was on again", name)
		}
		steps(scripts(false))
	}
	accessible("results without JavaScript")

	// The sort box sent with the form: "Relevan & baru" is recent=true.
	steps(chromedp.SetValue(`#sort`, "recent"), chromedp.Click(`#search button[type=submit]`))
	arrived(`s.includes('recent=true')`)
	sameAsAPI("recent")
	if v := read(chromedp.Value(`#sort`)); v != "recent" {
		t.Errorf("sort shows %q after choosing recency", v)
	}

	// A misspelt word: the suggestion is a link to the corrected search.
	steps(chromedp.Navigate(srv.URL + "/?q=multipolr"))
	if suggest := read(chromedp.Text(`#suggest`)); !strings.Contains(suggest, "Mungkin maksud Anda: multipolar") {
		t.Errorf("suggestion %q, want multipolar", suggest)
	}
	steps(chromedp.Click(`#suggest a`))
	arrived(`s === '?q=multipolar'`)
	sameAsAPI("the suggestion")

	// With JavaScript on, the script draws the same page again: the same
	// text in the results and the facets, so nothing flashes or moves
	// but what only the script offers (related articles; the sources
	// apply as they are ticked).
	// (The time a search took is left out: each page load searches.)
	const drawn = `['summary', 'suggest', 'filters', 'results', 'pager', 'facets'].map(id => {
		const e = document.getElementById(id);
		const text = e.closest('[hidden]') ? '' : e.innerText.replace(/Artikel terkait|Terapkan|\([0-9.,]+ md\)/g, '').replace(/\s+/g, ' ').trim();
		return id + ': ' + text;
	}).join('\n')`
	for _, target := range []string{"/?q=kerja+sama&source=kabarnusantara.id&page=2&size=3", "/?q=multipolr", "/?q=indonesia&from=2023-01-01&to=2023-12-31"} {
		steps(scripts(false), chromedp.Navigate(srv.URL+target))
		server := read(chromedp.Evaluate[string](drawn))
		steps(scripts(true), chromedp.Navigate(srv.URL+target))
		if n := eval(`document.querySelectorAll('#results .related-toggle').length`); n == 0 {
			t.Fatalf("%s: the script did not run", target)
		}
		if script := read(chromedp.Evaluate[string](drawn)); script != server {
			t.Errorf("%s: the script draws\n%s\nwhere the server drew\n%s", target, script, server)
		}
	}
	steps(scripts(false))

	// A bad parameter is told in Indonesian.
	steps(chromedp.Navigate(srv.URL + "/?q=banjir&from=2019-02-30"))
	if msg := read(chromedp.Text(`#error`)); !strings.HasPrefix(msg, "Kueri tidak dapat diproses.") {
		t.Errorf("error box %q, want the Indonesian message", msg)
	}
	accessible("an error without JavaScript")
}

// apiSearch is /api/search's answer to the query string raw.
func apiSearch(t *testing.T, base, raw string) cari.Result {
	t.Helper()
	resp, err := http.Get(base + "/api/search?" + raw)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res cari.Result
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/api/search?%s: status %d, %v", raw, resp.StatusCode, err)
	}
	return res
}

// TestSearchPageWithoutKey: on a server that requires a search key the
// page still loads, and says in Indonesian that its searches are refused
// (it sends no key) rather than failing silently.
func TestSearchPageWithoutKey(t *testing.T) {
	chrome := chromePath(t)
	h := keyedServer(t, &fake{}, Options{Logger: quietLogger(), RequireSearchKey: true})
	srv := httptest.NewServer(h)
	defer srv.Close()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 30*time.Second)
	defer cancelTimeout()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?q=multipolar"), chromedp.WaitVisible(`#error`)); err != nil {
		t.Fatalf("browser: %v", err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Text(`#error`))
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if !strings.Contains(msg, "kunci API") {
		t.Errorf("the page says %q, not that the server wants a key", msg)
	}
}

// A story told twice shows once, with "+1 sumber lain" folded under it,
// whether the server drew the page or the script drew a search typed
// into it.
func TestStoryOthersInBrowser(t *testing.T) {
	ctx := startBrowser(t)
	ix := tempIndex(t)
	release := "Perum Bulog menyalurkan beras cadangan pemerintah ke pasar induk Cipinang untuk menahan kenaikan harga beras medium. " +
		"Direktur Utama Bulog mengatakan stok beras di gudang mencapai dua juta ton dan cukup hingga panen raya."
	day := time.Date(2024, 2, 5, 9, 0, 0, 0, time.UTC)
	if _, _, err := ix.Upsert(context.Background(), []cari.Article{
		{ID: "antara-1", Title: "Bulog Salurkan Beras", Body: release, Source: "antaranews.com", URL: "https://antaranews.com/1", Published: day},
		{ID: "detik-1", Title: "Bulog Guyur Cipinang", Body: release, Source: "detik.com", URL: "https://detik.com/1", Published: day},
	}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(ix, Options{Logger: quietLogger()}))
	defer srv.Close()
	tab := browserTab{t, ctx}
	others := func() (hits int, summary string) {
		hits = tab.eval(`document.querySelectorAll('#results li.hit').length`)
		summary = tab.read(chromedp.Text(`#results details.others summary`))
		return hits, summary
	}
	tab.steps(chromedp.Navigate(srv.URL+"/?q=beras"), chromedp.WaitVisible(`#results details.others`))
	if hits, summary := others(); hits != 1 || summary != "+1 sumber lain" {
		t.Errorf("the server's page: %d hits, %q; want one hit and \"+1 sumber lain\"", hits, summary)
	}
	tab.steps(
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`#q`),
		chromedp.SendKeys(`#q`, "bulog"+kb.Enter),
		chromedp.WaitVisible(`#results details.others`),
	)
	if hits, summary := others(); hits != 1 || summary != "+1 sumber lain" {
		t.Errorf("the script's page: %d hits, %q; want one hit and \"+1 sumber lain\"", hits, summary)
	}
}
