// Package datequery reads the dates people type into a news search:
// "banjir jakarta januari 2020", "gempa palu 2018", "pilkada dki
// kemarin", "demo mahasiswa minggu lalu", "harga bbm tahun lalu". Parse
// finds the first phrase of a query that says when, and returns it as a
// range of days together with the query's other words, which are still
// to be matched.
//
// What is read, with "now" the day relative dates count from:
//
//	year            2018, tahun 2018, thn 2018
//	range           2019-2023, 2019 - 2023, (dari) 2014 hingga/sampai
//	                2019, 2014 2019: the years from one to the other
//	month           januari 2020, jan 2020, bulan januari tahun 2020
//	day             17 agustus 1945, tanggal 17 agustus 2020, 17/8/2020,
//	                17-08-2020, 2020-08-17
//	part            awal 2020 (January to March), pertengahan 2019 (April
//	                to September), akhir 2019 (October to December); awal,
//	                pertengahan and akhir of a month are its days 1-10,
//	                11-20 and 21 to the end; of "tahun ini", "bulan lalu" …
//	relative        hari ini, kemarin; minggu/pekan/bulan/tahun ini (from
//	                the start of it to now); minggu/pekan/bulan/tahun lalu
//	                or kemarin (the calendar week, from Monday, month or
//	                year before); N hari/minggu/bulan/tahun (yang) lalu,
//	                with N a number, a number word (dua … sepuluh) or se-
//	                (sehari, sepekan, sebulan, setahun); N hari/minggu/
//	                bulan/tahun terakhir (the last N of them, up to now);
//	                bulan januari (the latest January up to now), januari
//	                lalu (the latest January before this month)
//	since           sejak, semenjak, setelah, sesudah or pasca before any
//	                of the above: from its first day up to now
//
// What is left alone, as words: a day and month without a year ("kerusuhan
// 22 mei", "aksi 212" names an event more often than it dates an article),
// a month alone ("tragedi mei"), a number that is not a plausible year
// (outside 1900-2100, or after now's year: "visi indonesia 2045"), a number
// after a word that numbers a law or a thing ("uu 19 2019", "uu no 11
// tahun 2020", "pasal 27", "perpres 2020", "rp 2000", "nomor 1998"), a
// number before a unit ("2000 orang", "1000 rumah"), numbers inside
// words ("u-23", "covid-19", "g20", "2.000"), and a date that ends a span
// ("sebelum 2020", "hingga maret 2021", "jelang 2024").
//
// Parse holds no state: the same query and now give the same reading.
package datequery

import (
	"strconv"
	"strings"
	"time"

	"github.com/carisearch/cari/analyzer/lexicon"
)

// Kind is what sort of phrase a reading was.
type Kind string

// Kinds of readings.
const (
	KindYear     Kind = "year"     // 2018, tahun 2018
	KindMonth    Kind = "month"    // januari 2020
	KindDay      Kind = "day"      // 17 agustus 1945, 17/8/2020
	KindPart     Kind = "part"     // awal 2020, akhir januari 2020
	KindRelative Kind = "relative" // kemarin, minggu lalu, bulan januari: counted from now
	KindSince    Kind = "since"    // sejak 2019: from the date up to now
	KindRange    Kind = "range"    // 2019-2023, 2014 hingga 2019: years
)

// Year bounds: a four-digit number outside them is no year.
const (
	MinYear = 1900
	MaxYear = 2100
)

// Reading is a query's date phrase and what is left of the query.
type Reading struct {
	// Text is the phrase read as a date, its words as typed.
	Text string
	// Rest is the query without the phrase: the other words, as typed,
	// in their order, one space apart.
	Rest string
	// From and To are the first and last day of the range, at midnight
	// UTC; From is never after To.
	From, To time.Time
	Kind     Kind
}

// Label says the range in Indonesian, for a chip: "2018", "2019–2023",
// "Januari 2020", "Januari–Maret 2020", "17 Agustus 1945", "1–7 Desember
// 2026", "28 Desember 2025 – 3 Januari 2026".
func (r Reading) Label() string { return Label(r.From, r.To) }

// Label says the days from to to in Indonesian (see Reading.Label).
func Label(from, to time.Time) string {
	fy, fm, fd := from.Date()
	ty, tm, _ := to.Date()
	wholeMonths := fd == 1 && to.AddDate(0, 0, 1).Day() == 1
	switch {
	case wholeMonths && fm == time.January && tm == time.December:
		if fy == ty {
			return strconv.Itoa(fy)
		}
		return strconv.Itoa(fy) + "–" + strconv.Itoa(ty)
	case wholeMonths && fy == ty && fm == tm:
		return monthName(fm) + " " + strconv.Itoa(fy)
	case wholeMonths && fy == ty:
		return monthName(fm) + "–" + monthName(tm) + " " + strconv.Itoa(fy)
	case wholeMonths:
		return monthName(fm) + " " + strconv.Itoa(fy) + " – " + monthName(tm) + " " + strconv.Itoa(ty)
	case from.Equal(to):
		return day(from)
	case fy == ty && fm == tm:
		return strconv.Itoa(fd) + "–" + day(to)
	case fy == ty:
		return strconv.Itoa(fd) + " " + monthName(fm) + " – " + day(to)
	}
	return day(from) + " – " + day(to)
}

func day(t time.Time) string {
	return strconv.Itoa(t.Day()) + " " + monthName(t.Month()) + " " + strconv.Itoa(t.Year())
}

func monthName(m time.Month) string {
	return [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
		"Agustus", "September", "Oktober", "November", "Desember"}[m-1]
}

// Parse reads the first date phrase of q. now is the day relative dates
// count from; its time of day and zone are dropped (its UTC date is
// taken). A zero now reads only absolute dates (years, months, days and
// their parts), and lets any year up to MaxYear be one; otherwise a range
// that starts after now is no date.
func Parse(q string, now time.Time) (Reading, bool) {
	words := strings.Fields(q)
	if len(words) == 0 {
		return Reading{}, false
	}
	p := parser{words: words, norm: make([]string, len(words)), blocked: make([]bool, len(words))}
	if !now.IsZero() {
		y, m, d := now.UTC().Date()
		p.now = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	for i, w := range words {
		p.norm[i] = strings.ToLower(strings.TrimRight(w, ",.;!"))
	}
	p.block()
	for i := 0; i < len(words); i++ {
		if p.blocked[i] {
			continue
		}
		m, ok := p.at(i)
		if !ok {
			continue
		}
		if m.none || m.to.Before(m.from) || !p.now.IsZero() && m.from.After(p.now) {
			// A date that cannot be, or is yet to come ("akhir tahun
			// ini" in June, "desember 2024" in June 2024): its words
			// stay words, none of them read again on its own.
			i += m.n - 1
			continue
		}
		start := i
		if start > 0 && (p.norm[start-1] == "pada" || m.kind == KindRange && p.norm[start-1] == "dari") {
			start-- // "banjir pada januari 2020": pada goes with the date
		}
		if start > 0 {
			switch w := p.norm[start-1]; {
			case endsSpan(w):
				// "sebelum 2020", "hingga 2020": no range of its own
				// days; the words stay words.
				i += m.n - 1
				continue
			case startsSpan(w):
				if p.now.IsZero() {
					i += m.n - 1
					continue
				}
				start--
				m.to, m.kind = p.now, KindSince // "sejak 2019": up to now
			}
		}
		rest := append(append([]string(nil), words[:start]...), words[i+m.n:]...)
		return Reading{
			Text: strings.Join(words[start:i+m.n], " "),
			Rest: strings.Join(rest, " "),
			From: m.from, To: m.to, Kind: m.kind,
		}, true
	}
	return Reading{}, false
}

// startsSpan reports whether w, before a date, makes it the start of a
// range up to now.
func startsSpan(w string) bool {
	switch w {
	case "sejak", "semenjak", "setelah", "sesudah", "pasca":
		return true
	}
	return false
}

// endsSpan reports whether w, before a date, makes it the end of a range,
// which is left as words.
func endsSpan(w string) bool {
	switch w {
	case "sebelum", "hingga", "sampai", "jelang", "menjelang", "s.d", "s/d":
		return true
	}
	return false
}

// Mentions reports whether q holds a date phrase for some now: Parse(q,
// now) reads nothing, whatever now is, where it does not. It costs what a
// Parse costs, and lets a caller skip finding out its now.
func Mentions(q string) bool {
	_, ok := Parse(q, time.Date(MaxYear, time.December, 31, 0, 0, 0, 0, time.UTC))
	return ok
}

type parser struct {
	words   []string // as typed
	norm    []string // lower case, without trailing punctuation
	blocked []bool   // numbers that are not dates, and the words that say so
	now     time.Time
}

// match is a phrase found at a position: its length in words and range.
// none is a phrase of a date that has no days ("akhir tahun ini" in June).
type match struct {
	n        int
	from, to time.Time
	kind     Kind
	none     bool
}

// numbering reports whether w numbers a law or a thing: the numbers that
// follow it (with tahun, nomor or / between) are its number, not a date. Up to
// lawNameWords words may stand between ("uu ite nomor 19 tahun 2016",
// "uu cipta kerja 2020").
func numbering(w string) bool {
	switch w {
	case "uu", "undang-undang", "ruu", "perpu", "perppu", "pp", "perpres", "keppres",
		"kepres", "inpres", "perda", "pergub", "perwali", "perbup", "permen",
		"kepmen", "permendagri", "permenkes", "permendikbud", "perma", "perkap",
		"perpol", "pojk", "tap", "sk", "se", "kuhp", "kuhap", "nomor", "no", "nomer",
		"pasal", "ayat":
		return true
	}
	return false
}

const lawNameWords = 2

// countsNext reports whether the one number after w counts or names
// something: "rp 2000", "halaman 1999", "pukul 2000".
func countsNext(w string) bool {
	switch w {
	case "rp", "usd", "us$", "idr", "sebanyak", "sejumlah", "halaman", "hal", "km",
		"kilometer", "pukul", "jam", "kode", "skor", "juz", "surah", "rt", "rw",
		"blok", "lantai", "kamar", "ruang", "gang", "tipe", "seri", "versi", "kelas",
		"angkatan", "jl", "jalan", "dolar":
		return true
	}
	return false
}

// isCountUnit reports whether w, after a number, counts it: "2000 orang".
func isCountUnit(w string) bool {
	switch w {
	case "orang", "jiwa", "warga", "rumah", "unit", "ton", "kg", "km", "meter", "m",
		"liter", "hektare", "hektar", "ha", "ekor", "personel", "pasukan", "buah",
		"kk", "rupiah", "dolar", "triliun", "miliar", "juta", "ribu", "mw", "kwh",
		"mdpl", "m3", "barel", "porsi", "paket", "lembar", "batang", "pohon",
		"persen", "%", "tps":
		return true
	}
	return false
}

// block marks the numbers that are not dates.
func (p *parser) block() {
	n := len(p.norm)
	for i, w := range p.norm {
		switch {
		case numbering(w):
			// the number within lawNameWords words, and what chains on
			j := i + 1
			for k := 0; k < lawNameWords && j < n && !isNumberish(p.norm[j]) && !numbering(p.norm[j]) && !p.dateWord(p.norm[j]); k++ {
				j++
			}
			if j < n && isNumberish(p.norm[j]) {
				for ; j < n && (isNumberish(p.norm[j]) || joinsLaw(p.norm[j])); j++ {
					p.blocked[j] = true
				}
			}
		case countsNext(w):
			if i+1 < n && isNumberish(p.norm[i+1]) {
				p.blocked[i+1] = true
			}
		case isCountUnit(w):
			if i > 0 && isNumberish(p.norm[i-1]) {
				p.blocked[i-1] = true
			}
		}
	}
}

// joinsLaw reports whether w stands between the numbers of a law: "nomor
// 11 tahun 2020", "19/2016".
func joinsLaw(w string) bool {
	switch w {
	case "tahun", "thn", "th", "no", "nomor", "nomer", "/":
		return true
	}
	return false
}

// dateWord reports whether w starts a date phrase on its own (a month,
// a relative word), which a law's name never holds.
func (p *parser) dateWord(w string) bool {
	if _, ok := lexicon.Month(w); ok {
		return true
	}
	return w == "kemarin" || w == "lalu" || w == "ini"
}

func isNumberish(w string) bool {
	digit := false
	for _, r := range w {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r == '/' || r == '-' || r == '.':
		default:
			return false
		}
	}
	return digit
}

// word is the normalized word at i, or "" past the end or where blocked.
func (p *parser) word(i int) string {
	if i < 0 || i >= len(p.norm) || p.blocked[i] {
		return ""
	}
	return p.norm[i]
}

// at reads the date phrase that starts at i, the longest there is.
func (p *parser) at(i int) (match, bool) {
	for _, f := range []func(int) (match, bool){p.part, p.absolute, p.relative} {
		if m, ok := f(i); ok {
			return m, true
		}
	}
	return match{}, false
}

// absolute reads a day, a month or a year at i.
func (p *parser) absolute(i int) (match, bool) {
	j := i
	if w := p.word(j); w == "tanggal" || w == "tgl" {
		j++
	}
	// 17/8/2020, 17-08-2020, 2020-08-17
	if t, ok := numericDate(p.word(j)); ok {
		return match{n: j + 1 - i, from: t, to: t, kind: KindDay}, true
	}
	// 17 agustus [tahun] 1945
	if d, ok := dayNumber(p.word(j)); ok {
		if m, ok := lexicon.Month(p.word(j + 1)); ok {
			if y, n, ok := p.year(j + 2); ok {
				t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
				if t.Day() != d { // 31 februari 2020: not februari 2020 either
					return match{n: j + 2 + n - i, none: true}, true
				}
				return match{n: j + 2 + n - i, from: t, to: t, kind: KindDay}, true
			}
		}
		return match{}, false
	}
	if j != i {
		return match{}, false // tanggal alone
	}
	// [bulan] januari [tahun] 2020
	if p.word(j) == "bulan" {
		j++
	}
	if m, ok := lexicon.Month(p.word(j)); ok {
		if y, n, ok := p.year(j + 1); ok {
			from := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
			return match{n: j + 1 + n - i, from: from, to: from.AddDate(0, 1, -1), kind: KindMonth}, true
		}
		return match{}, false
	}
	if j != i {
		return match{}, false
	}
	// 2019-2023
	if y1, y2, ok := yearSpan(p.word(i)); ok {
		return match{n: 1, from: time.Date(y1, 1, 1, 0, 0, 0, 0, time.UTC), to: time.Date(y2, 12, 31, 0, 0, 0, 0, time.UTC), kind: KindRange}, true
	}
	// [tahun] 2018, and [tahun] 2018 [hingga] [tahun] 2020
	if y, n, ok := p.year(i); ok {
		m := match{n: n, from: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), to: time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC), kind: KindYear}
		j := i + n
		if w := p.word(j); w == "-" || w == "–" || w == "hingga" || w == "sampai" || w == "s.d" || w == "s/d" {
			j++
		}
		if y2, n2, ok := p.year(j); ok && y2 > y {
			m.n, m.to, m.kind = j+n2-i, time.Date(y2, 12, 31, 0, 0, 0, 0, time.UTC), KindRange
		}
		return m, true
	}
	return match{}, false
}

// yearSpan reads "2019-2023": two years, the first the earlier.
func yearSpan(w string) (from, to int, ok bool) {
	a, b, found := strings.Cut(w, "-")
	if !found {
		a, b, found = strings.Cut(w, "–")
	}
	if !found {
		return 0, 0, false
	}
	from, ok1 := yearNumber(a)
	to, ok2 := yearNumber(b)
	return from, to, ok1 && ok2 && from < to
}

// year reads "[tahun] 2018" at i: the year and the words it took.
func (p *parser) year(i int) (y, n int, ok bool) {
	switch p.word(i) {
	case "tahun", "thn", "th":
		if y, ok := yearNumber(p.word(i + 1)); ok {
			return y, 2, true
		}
		return 0, 0, false
	}
	if y, ok := yearNumber(p.word(i)); ok {
		return y, 1, true
	}
	return 0, 0, false
}

func yearNumber(w string) (int, bool) {
	if len(w) != 4 || !allDigits(w) {
		return 0, false
	}
	y, _ := strconv.Atoi(w)
	return y, y >= MinYear && y <= MaxYear
}

func dayNumber(w string) (int, bool) {
	if len(w) < 1 || len(w) > 2 || !allDigits(w) {
		return 0, false
	}
	d, _ := strconv.Atoi(w)
	return d, d >= 1 && d <= 31
}

func allDigits(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return w != ""
}

// numericDate reads 17/8/2020, 17-08-2020 or 2020-08-17.
func numericDate(w string) (time.Time, bool) {
	sep := "/"
	if !strings.Contains(w, "/") {
		sep = "-"
	}
	parts := strings.Split(w, sep)
	if len(parts) != 3 {
		return time.Time{}, false
	}
	for _, s := range parts {
		if !allDigits(s) {
			return time.Time{}, false
		}
	}
	d, m, y := parts[0], parts[1], parts[2]
	if len(d) == 4 && sep == "-" {
		y, d = d, y // ISO: 2020-08-17
	}
	yy, ok := yearNumber(y)
	if !ok || len(d) > 2 || len(m) > 2 {
		return time.Time{}, false
	}
	dd, _ := strconv.Atoi(d)
	mm, _ := strconv.Atoi(m)
	if mm < 1 || mm > 12 || dd < 1 {
		return time.Time{}, false
	}
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Day() != dd {
		return time.Time{}, false
	}
	return t, true
}

// part reads "awal 2020", "akhir januari 2020", "pertengahan tahun lalu".
func (p *parser) part(i int) (match, bool) {
	var which int
	switch p.word(i) {
	case "awal":
		which = 0
	case "pertengahan", "medio":
		which = 1
	case "akhir":
		which = 2
	default:
		return match{}, false
	}
	j := i + 1
	var m match
	var ok, year bool
	switch w, next := p.word(j), p.word(j+1); {
	case (w == "tahun" || w == "bulan") && (next == "ini" || next == "lalu" || next == "kemarin"):
		m, ok = p.relative(j)
		year = w == "tahun"
	default:
		m, ok = p.absolute(j)
		year = m.kind == KindYear
		ok = ok && m.kind != KindDay
	}
	if !ok {
		return match{}, false
	}
	return cut(m, which, year)
}

// cut takes the first, middle or last part of a year (a quarter at each
// end) or a month (ten days at each end).
func cut(m match, which int, year bool) (match, bool) {
	out := match{n: m.n + 1, kind: KindPart}
	if m.kind == KindRelative {
		out.kind = KindRelative
	}
	y, mo, _ := m.from.Date()
	if year {
		starts := [...]time.Month{time.January, time.April, time.October}
		ends := [...]time.Month{time.March, time.September, time.December}
		out.from = time.Date(y, starts[which], 1, 0, 0, 0, 0, time.UTC)
		out.to = time.Date(y, ends[which]+1, 0, 0, 0, 0, 0, time.UTC)
	} else {
		starts := [...]int{1, 11, 21}
		out.from = time.Date(y, mo, starts[which], 0, 0, 0, 0, time.UTC)
		out.to = time.Date(y, mo, starts[which]+9, 0, 0, 0, 0, time.UTC)
		if which == 2 {
			out.to = time.Date(y, mo+1, 0, 0, 0, 0, 0, time.UTC)
		}
	}
	if out.to.After(m.to) {
		out.to = m.to // this year or month goes only up to now
	}
	out.none = m.none || out.to.Before(out.from)
	return out, true
}

// numberWord reads a count written out.
func numberWord(w string) (int, bool) {
	switch w {
	case "satu":
		return 1, true
	case "dua":
		return 2, true
	case "tiga":
		return 3, true
	case "empat":
		return 4, true
	case "lima":
		return 5, true
	case "enam":
		return 6, true
	case "tujuh":
		return 7, true
	case "delapan":
		return 8, true
	case "sembilan":
		return 9, true
	case "sepuluh":
		return 10, true
	case "sebelas":
		return 11, true
	case "selusin":
		return 12, true
	}
	return 0, false
}

// seUnit reads "sehari", "sepekan" …: one of a unit, in one word.
func seUnit(w string) (string, bool) {
	switch w {
	case "sehari":
		return "hari", true
	case "seminggu":
		return "minggu", true
	case "sepekan":
		return "pekan", true
	case "sebulan":
		return "bulan", true
	case "setahun":
		return "tahun", true
	}
	return "", false
}

// relative reads dates counted from now.
func (p *parser) relative(i int) (match, bool) {
	if p.now.IsZero() {
		return match{}, false
	}
	now := p.now
	w, next := p.word(i), p.word(i+1)
	rel := func(n int, from, to time.Time) (match, bool) {
		return match{n: n, from: from, to: to, kind: KindRelative}, true
	}
	ago := func(k int) bool { // lalu, yang lalu, kemarin after k words
		switch p.word(i + k) {
		case "lalu":
			return p.word(i+k+1) != "lintas"
		case "kemarin":
			return true
		}
		return false
	}
	agoLen := func(k int) int {
		if p.word(i+k) == "yang" && p.word(i+k+1) == "lalu" {
			return k + 2
		}
		if ago(k) {
			return k + 1
		}
		return 0
	}
	switch {
	case w == "hari" && next == "ini":
		return rel(2, now, now)
	case w == "kemarin":
		if next == "lusa" {
			return rel(2, now.AddDate(0, 0, -2), now.AddDate(0, 0, -2))
		}
		return rel(1, now.AddDate(0, 0, -1), now.AddDate(0, 0, -1))
	case isUnit(w) && w != "hari" && next == "ini":
		from, _ := unitRange(now, w, 0)
		return rel(2, from, now)
	case isUnit(w) && w != "hari" && (ago(1) || next == "yang" && p.word(i+2) == "lalu"):
		from, to := unitRange(now, w, 1)
		return rel(agoLen(1), from, to)
	case w == "bulan" || isMonth(w) && agoLen(1) > 0:
		// bulan januari, januari lalu, bulan januari lalu
		j := i
		if w == "bulan" {
			j++
		}
		m, ok := lexicon.Month(p.word(j))
		if !ok {
			return match{}, false
		}
		k := j - i + 1
		back := 0
		if n := agoLen(k); n > 0 {
			k, back = n, 1
		} else if j == i {
			return match{}, false // a month alone
		}
		y := now.Year()
		if m > now.Month() || back == 1 && m == now.Month() {
			y--
		}
		from := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
		return rel(k, from, from.AddDate(0, 1, -1))
	}
	// N unit (yang) lalu, N unit terakhir, sepekan lalu
	n, unit, k := 0, "", 0
	if u, ok := seUnit(w); ok {
		n, unit, k = 1, u, 1
	} else if c, ok := count(w); ok && isUnit(next) {
		n, unit, k = c, next, 2
	} else {
		return match{}, false
	}
	if p.word(i+k) == "terakhir" {
		return rel(k+1, back(now, unit, n).AddDate(0, 0, 1), now)
	}
	if l := agoLen(k); l > 0 {
		from, to := unitRange(now, unit, n)
		return rel(l, from, to)
	}
	return match{}, false
}

func isMonth(w string) bool {
	_, ok := lexicon.Month(w)
	return ok
}

// count reads a count of units: 2, dua.
func count(w string) (int, bool) {
	if n, ok := numberWord(w); ok {
		return n, true
	}
	if len(w) > 3 || !allDigits(w) {
		return 0, false
	}
	n, _ := strconv.Atoi(w)
	return n, n >= 1 && n <= 100
}

func isUnit(w string) bool {
	switch w {
	case "hari", "minggu", "pekan", "bulan", "tahun":
		return true
	}
	return false
}

// unitRange is the calendar day, week (from Monday), month or year that
// is n of them before now's.
func unitRange(now time.Time, unit string, n int) (from, to time.Time) {
	y, m, _ := now.Date()
	switch unit {
	case "hari":
		d := now.AddDate(0, 0, -n)
		return d, d
	case "minggu", "pekan":
		monday := now.AddDate(0, 0, -((int(now.Weekday())+6)%7)-7*n)
		return monday, monday.AddDate(0, 0, 6)
	case "bulan":
		from = time.Date(y, m-time.Month(n), 1, 0, 0, 0, 0, time.UTC)
		return from, from.AddDate(0, 1, -1)
	}
	return time.Date(y-n, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y-n, 12, 31, 0, 0, 0, 0, time.UTC)
}

// back is now less n units.
func back(now time.Time, unit string, n int) time.Time {
	switch unit {
	case "hari":
		return now.AddDate(0, 0, -n)
	case "minggu", "pekan":
		return now.AddDate(0, 0, -7*n)
	case "bulan":
		return now.AddDate(0, -n, 0)
	}
	return now.AddDate(-n, 0, 0)
}
