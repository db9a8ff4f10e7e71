package server

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/carisearch/cari"
	"github.com/carisearch/cari/index"
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

// TestSearchPageInBrowser loads the search page in headless Chromium over
// the sample articles, searches, and follows a source facet: what a reader
// does, checked on what the page shows.
func TestSearchPageInBrowser(t *testing.T) {
	chrome := chromePath(t)
	ix, err := index.CreateInMemory(index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.IngestFS(context.Background(), cari.SampleArticles, cari.SampleDir, nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(ix, Options{Logger: quietLogger()}))
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()

	steps := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("browser: %v", err)
		}
	}
	read := func(a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Fatalf("browser: %v", err)
		}
		return v
	}

	steps(
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`#q`),
		// Typed and sent with Enter, as a reader does (form.submit()
		// would skip the page's own handler).
		chromedp.SendKeys(`#q`, "multipolar"+kb.Enter),
		chromedp.WaitVisible(`#results li.hit h2 mark`),
	)
	if title := read(chromedp.Text(`#results li.hit h2`)); !strings.Contains(title, "Moskow") {
		t.Errorf("first hit %q, want the Moscow conference article", title)
	}
	if snippet := read(chromedp.InnerHTML(`#results li.hit .snippet`)); !strings.Contains(snippet, "<mark>multipolar</mark>") {
		t.Errorf("snippet %q lacks the marked word", snippet)
	}
	if summary := read(chromedp.Text(`#summary`)); !strings.Contains(summary, "dari 2 hasil") {
		t.Errorf("summary %q, want 2 results", summary)
	}
	// The URL carries the search, so it can be shared and reloaded.
	if location := read(chromedp.Location()); !strings.Contains(location, "q=multipolar") {
		t.Errorf("location %q does not carry the query", location)
	}

	// Choosing a source facet narrows the hits to that source.
	steps(
		chromedp.Navigate(srv.URL+"/?q=kerja+sama"),
		chromedp.WaitVisible(`#facets .facet button`),
	)
	source := read(chromedp.Text(`#facets .facet button`))
	steps(
		chromedp.Click(`#facets .facet button`),
		chromedp.WaitVisible(`#filters .chip`),
		chromedp.Sleep(300*time.Millisecond),
	)
	others, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll('#results li.hit .meta button')].filter(b => b.textContent !== `+jsString(source)+`).length`))
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#results li.hit').length`))
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if shown == 0 || others != 0 {
		t.Errorf("after choosing source %q the page shows %d hits, %d from other sources", source, shown, others)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
