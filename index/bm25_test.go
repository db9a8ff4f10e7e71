package index

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/carisearch/cari"
)

// explainAvgBody runs a term search on body with cari's statistics and
// returns the average field length BM25 used, read from bleve's Explain.
func explainAvgBody(t *testing.T, ix *Index) string {
	t.Helper()
	q := query.NewMatchQuery("banjir")
	q.SetField(FieldBody)
	req := bleve.NewSearchRequest(q)
	req.Explain = true
	stats, err := ix.bm25Stats(map[string]bool{FieldBody: true})
	if err != nil {
		t.Fatal(err)
	}
	req.PreSearchData = map[string]interface{}{search.BM25PreSearchDataKey: stats}
	res, err := ix.bleve.Search(req)
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("search: %v, %d hits", err, len(res.Hits))
	}
	expl := res.Hits[0].Expl.String()
	i := strings.Index(expl, "avgFieldLength=")
	if i < 0 {
		t.Fatalf("no avgFieldLength in %s", expl)
	}
	return strings.TrimRight(strings.Fields(expl[i+len("avgFieldLength="):])[0], `),"`)
}

// TestBM25UsesTrueAverageLength checks that searches carry the true mean
// token count of the body field, kept right through inserts, updates and
// deletes, where bleve on its own would use vocabulary size / documents.
func TestBM25UsesTrueAverageLength(t *testing.T) {
	ctx := context.Background()
	ix, err := CreateTemp(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// Bodies of 4, 8 and 12 tokens, all words distinct and no stop words.
	words := func(prefix string, n int) string {
		parts := []string{"banjir"}
		for i := 1; i < n; i++ {
			parts = append(parts, fmt.Sprintf("%s%c%c", prefix, 'a'+i%26, 'a'+i/26))
		}
		return strings.Join(parts, " ")
	}
	articles := []cari.Article{{ID: "a", Body: words("zq", 4)}, {ID: "b", Body: words("zx", 8)}, {ID: "c", Body: words("zw", 12)}}
	if _, _, err := ix.Upsert(ctx, articles); err != nil {
		t.Fatal(err)
	}
	want := func(total, docs float64) string { return fmt.Sprintf("%f", math.Ceil(total/docs)) }
	if got := explainAvgBody(t, ix); got != want(24, 3) {
		t.Errorf("after insert: avgFieldLength %s, want %s", got, want(24, 3))
	}
	if _, _, err := ix.Upsert(ctx, []cari.Article{{ID: "c", Body: words("zw", 30)}}); err != nil {
		t.Fatal(err)
	}
	if got := explainAvgBody(t, ix); got != want(42, 3) {
		t.Errorf("after update: avgFieldLength %s, want %s", got, want(42, 3))
	}
	if err := ix.Delete(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if got := explainAvgBody(t, ix); got != want(34, 2) {
		t.Errorf("after delete: avgFieldLength %s, want %s", got, want(34, 2))
	}
	st, err := ix.Stats()
	if err != nil || st.AvgTokens[FieldBody] != 17 {
		t.Errorf("stats avg body tokens %v, want 17 (%v)", st.AvgTokens, err)
	}
	// A field the index does not have must not break a search.
	if _, err := ix.Search(ctx, cari.Request{Query: "nosuchfield:banjir"}); err != nil {
		t.Errorf("search on an unknown field: %v", err)
	}
}

// TestTotalsDroppedUntilRecount: replacing an article stored before
// lengths were kept leaves the totals unknown until the recount that
// follows the batch, so the batch drops them; an index whose process died
// before the recount counts them again when opened, instead of keeping
// totals that still include the old article's length.
func TestTotalsDroppedUntilRecount(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Create(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	other := cari.Article{ID: "b", Title: "Gempa", Body: "gempa mengguncang kota pada malam hari"}
	if _, _, err := ix.Upsert(ctx, []cari.Article{other}); err != nil {
		t.Fatal(err)
	}
	// An article as stored before lengths were kept: no lens field.
	old := cari.Article{ID: "a", Title: "Banjir", Body: "banjir merendam rumah warga di desa"}
	oldDocs, _, _, err := ix.analyzeArticles(ctx, []*cari.Article{&old}, []string{checksum(&old)})
	if err != nil {
		t.Fatal(err)
	}
	oldDocs[0].Fields = slices.DeleteFunc(oldDocs[0].Fields, func(f document.Field) bool { return f.Name() == fieldLens })
	oldBatch := ix.bleve.NewBatch()
	if err := oldBatch.IndexAdvanced(oldDocs[0]); err != nil {
		t.Fatal(err)
	}
	if err := ix.bleve.Batch(oldBatch); err != nil {
		t.Fatal(err)
	}
	if err := ix.recountTokenTotals(ctx); err != nil {
		t.Fatal(err)
	}
	// The batch Flush writes to replace it; the process dies before the
	// recount that would follow.
	existing, err := ix.storedState(ctx, []string{old.ID})
	if err != nil || existing[old.ID].counted {
		t.Fatalf("the old article has lengths stored: %+v, %v", existing, err)
	}
	updated := cari.Article{ID: "a", Title: "Banjir Besar", Body: "banjir besar merendam ratusan rumah warga di tiga desa"}
	docs, lens, _, err := ix.analyzeArticles(ctx, []*cari.Article{&updated}, []string{checksum(&updated)})
	if err != nil {
		t.Fatal(err)
	}
	totals := ix.totals[0]
	totals.add(lens[0], 1)
	batch := ix.bleve.NewBatch()
	if err := batch.IndexAdvanced(docs[0]); err != nil {
		t.Fatal(err)
	}
	saveTotals(batch, totals, !existing[old.ID].counted)
	if err := ix.bleve.Batch(batch); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	want := ix.countTokens(&updated)
	want.add(ix.countTokens(&other), 1)
	if ix.totals[0] != want {
		t.Errorf("token totals after reopening %v, want %v", ix.totals[0], want)
	}
}

// The size an analyzed field reports, counted once at analysis, is the
// size bleve's own field would report by walking its terms again, and its
// length leaves out the written forms kept beside stems.
func TestAnalyzedFieldSizeIsBleves(t *testing.T) {
	ix, err := Create(filepath.Join(t.TempDir(), "idx"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	a := cari.Article{ID: "a", Title: "Menyelaraskan kemitraan", Body: "Negara-negara menyerang. Kemitraan pertahanan diselaraskan, kerja sama diperluas."}
	doc := document.NewDocument(a.ID)
	if err := ix.mapping().MapDocument(doc, articleFields(&a, "sum")); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range doc.Fields {
		if f.Name() != FieldTitle && f.Name() != FieldBody {
			continue
		}
		f.Analyze()
		af := analyzedOf(f)
		want := f.Size()
		if diff := af.Size() - want; diff < -64 || diff > 64 {
			t.Errorf("%s: size %d, bleve counts %d", f.Name(), af.Size(), want)
		}
		exact := 0
		for term, freq := range f.AnalyzedTokenFrequencies() {
			if strings.HasPrefix(term, "=") {
				exact += freq.Frequency()
			}
		}
		if exact == 0 || af.AnalyzedLength() != f.AnalyzedLength()-exact {
			t.Errorf("%s: length %d of %d tokens, %d of them written forms", f.Name(), af.AnalyzedLength(), f.AnalyzedLength(), exact)
		}
		checked++
	}
	if checked != 2 {
		t.Fatalf("checked %d text fields, want 2", checked)
	}
}
