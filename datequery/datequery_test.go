package datequery

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"
)

func date(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestQueriesTable reads every query of testdata/dates/queries.tsv, the
// table of issue 17, as the table says it is meant.
func TestQueriesTable(t *testing.T) {
	f, err := os.Open("../testdata/dates/queries.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n, dates, words := 0, 0, 0
	header := true
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if header {
			header = false
			continue
		}
		c := strings.Split(text, "\t")
		if len(c) != 7 {
			t.Fatalf("line %d: %d columns, want 7", line, len(c))
		}
		n++
		q, now, rest, from, to, kind, label := c[0], date(t, c[1]), c[2], c[3], c[4], c[5], c[6]
		got, ok := Parse(q, now)
		if from == "-" {
			words++
			if ok {
				t.Errorf("line %d: %q read as %s–%s (%q), want words", line, q, got.From.Format(time.DateOnly), got.To.Format(time.DateOnly), got.Text)
			}
			if rest != q {
				t.Errorf("line %d: the rest of a query with no date is the query", line)
			}
			continue
		}
		dates++
		if !ok {
			t.Errorf("line %d: %q: no date read, want %s–%s", line, q, from, to)
			continue
		}
		if g := got.From.Format(time.DateOnly) + " " + got.To.Format(time.DateOnly); g != from+" "+to {
			t.Errorf("line %d: %q: range %s, want %s %s", line, q, g, from, to)
		}
		if got.Rest != rest {
			t.Errorf("line %d: %q: rest %q, want %q", line, q, got.Rest, rest)
		}
		if string(got.Kind) != kind {
			t.Errorf("line %d: %q: kind %s, want %s", line, q, got.Kind, kind)
		}
		if got.Label() != label {
			t.Errorf("line %d: %q: label %q, want %q", line, q, got.Label(), label)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 50 || words < 10 {
		t.Errorf("the table has %d queries, %d of them not dates; want 50, at least 10", n, words)
	}
	t.Logf("%d queries: %d dates, %d words", n, dates, words)
}

func TestParse(t *testing.T) {
	now := date(t, "2024-06-12") // a Wednesday
	for _, c := range []struct {
		q, text, rest, from, to string
	}{
		{"gempa palu 2018", "2018", "gempa palu", "2018-01-01", "2018-12-31"},
		{"gempa 2018, palu", "2018,", "gempa palu", "2018-01-01", "2018-12-31"},
		{"thn 2015 banjir", "thn 2015", "banjir", "2015-01-01", "2015-12-31"},
		{"JAN 2020", "JAN 2020", "", "2020-01-01", "2020-01-31"},
		{"pebruari 2020", "pebruari 2020", "", "2020-02-01", "2020-02-29"},
		{"bulan januari tahun 2020 banjir", "bulan januari tahun 2020", "banjir", "2020-01-01", "2020-01-31"},
		{"tgl 17 agustus 2020", "tgl 17 agustus 2020", "", "2020-08-17", "2020-08-17"},
		{"29/2/2020", "29/2/2020", "", "2020-02-29", "2020-02-29"},
		{"seminggu lalu", "seminggu lalu", "", "2024-06-03", "2024-06-09"},
		{"2 hari yang lalu", "2 hari yang lalu", "", "2024-06-10", "2024-06-10"},
		{"tiga bulan lalu", "tiga bulan lalu", "", "2024-03-01", "2024-03-31"},
		{"30 hari terakhir", "30 hari terakhir", "", "2024-05-14", "2024-06-12"},
		{"setahun terakhir", "setahun terakhir", "", "2023-06-13", "2024-06-12"},
		{"pekan kemarin", "pekan kemarin", "", "2024-06-03", "2024-06-09"},
		{"bulan juni", "bulan juni", "", "2024-06-01", "2024-06-30"},
		{"juni lalu", "juni lalu", "", "2023-06-01", "2023-06-30"},
		{"mei lalu", "mei lalu", "", "2024-05-01", "2024-05-31"},
		{"bulan juli", "bulan juli", "", "2023-07-01", "2023-07-31"},
		{"awal bulan ini", "awal bulan ini", "", "2024-06-01", "2024-06-10"},
		{"akhir bulan lalu", "akhir bulan lalu", "", "2024-05-21", "2024-05-31"},
		{"awal tahun ini", "awal tahun ini", "", "2024-01-01", "2024-03-31"},
		{"akhir februari 2024", "akhir februari 2024", "", "2024-02-21", "2024-02-29"},
		{"uu ite 2008 dan demo 2019", "2019", "uu ite 2008 dan demo", "2019-01-01", "2019-12-31"},
		{"banjir 2020 dan 2021", "2020", "banjir dan 2021", "2020-01-01", "2020-12-31"},
		{"2024", "2024", "", "2024-01-01", "2024-12-31"},
		{"pilpres 2014 2019", "2014 2019", "pilpres", "2014-01-01", "2019-12-31"},
		{"dari 2014 hingga 2019", "dari 2014 hingga 2019", "", "2014-01-01", "2019-12-31"},
		{"tahun 2014 sampai tahun 2019 korupsi", "tahun 2014 sampai tahun 2019", "korupsi", "2014-01-01", "2019-12-31"},
		{"periode 2019–2024", "2019–2024", "periode", "2019-01-01", "2024-12-31"},
		{"banjir 2020 2019", "2020", "banjir 2019", "2020-01-01", "2020-12-31"},
		{"gempa palu 2018 korban", "2018", "gempa palu korban", "2018-01-01", "2018-12-31"},
		{"sidang kabinet pekan lalu", "pekan lalu", "sidang kabinet", "2024-06-03", "2024-06-09"},
		{"evakuasi 2000 warga 2019", "2019", "evakuasi 2000 warga", "2019-01-01", "2019-12-31"},
		{"banjir semenjak bulan lalu", "semenjak bulan lalu", "banjir", "2024-05-01", "2024-06-12"},
		{"gempa setelah 17 agustus 2023", "setelah 17 agustus 2023", "gempa", "2023-08-17", "2024-06-12"},
		{"harga sebelum 2020 dan sejak 2021", "sejak 2021", "harga sebelum 2020 dan", "2021-01-01", "2024-06-12"},
	} {
		got, ok := Parse(c.q, now)
		if !ok {
			t.Errorf("%q: no date, want %s–%s", c.q, c.from, c.to)
			continue
		}
		if got.Text != c.text || got.Rest != c.rest || got.From.Format(time.DateOnly) != c.from || got.To.Format(time.DateOnly) != c.to {
			t.Errorf("%q: %q / %q %s–%s, want %q / %q %s–%s", c.q, got.Text, got.Rest, got.From.Format(time.DateOnly), got.To.Format(time.DateOnly), c.text, c.rest, c.from, c.to)
		}
	}
	for _, q := range []string{
		"", "banjir jakarta", "pasal 27", "uu 19 2019", "uu no. 19 tahun 2016", "perpres 82 2018", "pp 71/2019",
		"timnas u-23", "covid-19", "g20", "nomor 1998", "no 2019", "1000 rumah", "2.000 orang", "1899", "2101",
		"2025", "bulan depan", "bulan purnama", "minggu pagi", "hari minggu", "31 februari", "30/2/2020",
		"17 agustus", "akhir pekan", "tahun baru", "lalu lintas", "bulan lalu lintas", "rp 2000", "pukul 2000",
		"2020 orang", "kemar", "31 februari 2020", "tahun ajaran 2023/2024", "2020-2019", "2025-2026", "hingga maret 2021", "jelang 2024", "sampai kemarin", "s.d. 2020", "13/13/2020", "awal desember 2024", "akhir tahun ini",
	} {
		if got, ok := Parse(q, now); ok {
			t.Errorf("%q read as %q %s–%s, want no date", q, got.Text, got.From.Format(time.DateOnly), got.To.Format(time.DateOnly))
		}
	}
}

// TestParseWithoutNow reads absolute dates alone when there is no now.
func TestParseWithoutNow(t *testing.T) {
	if got, ok := Parse("banjir 2099", time.Time{}); !ok || got.From.Year() != 2099 {
		t.Errorf("2099 without a now: %+v %v", got, ok)
	}
	for _, q := range []string{"kemarin", "minggu lalu", "bulan januari", "tahun ini", "sejak 2019"} {
		if got, ok := Parse(q, time.Time{}); ok {
			t.Errorf("%q without a now read as %+v", q, got)
		}
	}
}

func TestNowTakesTheUTCDay(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	got, ok := Parse("hari ini", time.Date(2024, 6, 12, 23, 30, 0, 0, time.UTC).In(wib))
	if !ok || got.From.Format(time.DateOnly) != "2024-06-12" || got.From.Location() != time.UTC {
		t.Errorf("hari ini: %+v", got)
	}
}

func TestLabel(t *testing.T) {
	for _, c := range []struct{ from, to, want string }{
		{"2020-01-01", "2020-12-31", "2020"},
		{"2020-02-01", "2020-02-29", "Februari 2020"},
		{"2020-02-01", "2020-02-28", "1–28 Februari 2020"},
		{"2020-02-03", "2020-02-03", "3 Februari 2020"},
		{"2025-12-29", "2026-01-04", "29 Desember 2025 – 4 Januari 2026"},
		{"2019-01-01", "2023-12-31", "2019–2023"},
		{"2020-01-01", "2020-03-31", "Januari–Maret 2020"},
		{"2019-10-01", "2020-03-31", "Oktober 2019 – Maret 2020"},
	} {
		if got := Label(date(t, c.from), date(t, c.to)); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.from, c.to, got, c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"banjir jakarta januari 2020", "gempa palu 2018", "pilkada dki kemarin", "demo mahasiswa minggu lalu",
		"harga bbm tahun lalu", "17 agustus 1945", "17/8/2020", "2020-08-17", "awal 2020", "akhir tahun ini",
		"uu 19 2019", "pasal 27", "timnas u-23", "2 tahun yang lalu", "sepekan terakhir", "bulan januari lalu",
		"31/2/2020", "  ", "pada pada 2020", "awal akhir 2020", "uu", "tahun tahun 2020",
	} {
		f.Add(s, int64(1718150400))
	}
	f.Fuzz(func(t *testing.T, q string, unix int64) {
		now := time.Time{}
		if unix != 0 {
			now = time.Unix(unix%(200*365*86400), 0) // within 1970 ± 200 years
		}
		got, ok := Parse(q, now)
		words := strings.Fields(q)
		if !ok {
			return
		}
		if !Mentions(q) {
			t.Fatalf("%q: read as %q, yet Mentions says it holds no date", q, got.Text)
		}
		if got.To.Before(got.From) {
			t.Fatalf("%q: from %s after to %s", q, got.From, got.To)
		}
		if !now.IsZero() {
			y, m, d := now.UTC().Date()
			if got.From.After(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
				t.Fatalf("%q: from %s after now %s", q, got.From, now)
			}
		}
		if got.Text == "" {
			t.Fatalf("%q: a reading with no text", q)
		}
		// Text and Rest are the words of q: Text a run of them, Rest the
		// others in their order.
		text, rest := strings.Fields(got.Text), strings.Fields(got.Rest)
		if len(text)+len(rest) != len(words) {
			t.Fatalf("%q: %q + %q are not its words", q, got.Text, got.Rest)
		}
		for i := 0; i+len(text) <= len(words); i++ {
			if strings.Join(words[i:i+len(text)], " ") == strings.Join(text, " ") &&
				strings.Join(append(append([]string(nil), words[:i]...), words[i+len(text):]...), " ") == strings.Join(rest, " ") {
				return
			}
		}
		t.Fatalf("%q: %q + %q are not its words", q, got.Text, got.Rest)
	})
}
