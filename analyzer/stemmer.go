package analyzer

import (
	"fmt"
	"strings"

	"github.com/carisearch/cari/analyzer/lexicon"
)

// Stemmer reduces an Indonesian word to its root by confix stripping in the
// tradition of Nazief & Adriani and its Enhanced Confix Stripping
// refinements: particles (-lah, -kah, -tah, -pun), possessives (-ku, -mu,
// -nya) and derivational suffixes (-i, -kan, -an) come off the end, up to
// three prefixes (di-, ke-, se-, te(r)-, be(r)-, me(N)-, pe(N)-, pe(r)-)
// come off the front, and the meN-/peN- rules restore the consonant the
// prefix swallowed (menulis → tulis, memukul → pukul, menyerang → serang,
// mengirim → kirim).
//
// Affix stripping alone cannot tell menanti (nanti) from menanam (tanam),
// so every candidate is checked against a root lexicon and the search
// backtracks over the alternatives until one ends in a known root. A word
// with no analysis ending in a root loses only a prefix whose form is
// unambiguous (see unambiguousStem), or is left as it is: most such words
// are names, and a name is safer left whole than cut into a wrong root.
//
// A Stemmer is safe for concurrent use. Stems are cached.
type Stemmer struct {
	roots     map[string]struct{}
	protected map[string]struct{}
	cache     *stemCache
}

// StemmerOptions configures NewStemmer. The zero value gives the stemmer of
// the analyzer "id": the embedded lexicon and protected list, a default cache.
type StemmerOptions struct {
	// Lexicons are word list files whose words are added to the roots
	// (one word a line, or a hunspell .dic file).
	Lexicons []string
	// Protected are word list files whose words are never stemmed.
	Protected []string
	// CacheSize bounds the stem cache; 0 means DefaultCacheSize and a
	// negative size disables caching.
	CacheSize int
}

// NewStemmer builds a stemmer from the embedded lists and the files in opts.
func NewStemmer(opts StemmerOptions) (*Stemmer, error) {
	roots := append([]string(nil), lexicon.Roots()...)
	for _, path := range opts.Lexicons {
		words, err := lexicon.LoadWordList(path)
		if err != nil {
			return nil, fmt.Errorf("lexicon: %w", err)
		}
		roots = append(roots, words...)
	}
	protected := append([]string(nil), lexicon.Protected()...)
	for _, path := range opts.Protected {
		words, err := lexicon.LoadWordList(path)
		if err != nil {
			return nil, fmt.Errorf("protected words: %w", err)
		}
		protected = append(protected, words...)
	}
	return NewStemmerFromWords(roots, protected, opts.CacheSize), nil
}

// NewStemmerFromWords builds a stemmer from word lists in memory, with no
// embedded words; tests and tools use it to see the rules on their own.
func NewStemmerFromWords(roots, protected []string, cacheSize int) *Stemmer {
	s := &Stemmer{
		roots:     make(map[string]struct{}, len(roots)),
		protected: make(map[string]struct{}, len(protected)),
	}
	for _, w := range roots {
		s.roots[w] = struct{}{}
	}
	for _, w := range protected {
		s.protected[w] = struct{}{}
	}
	switch {
	case cacheSize == 0:
		s.cache = newStemCache(DefaultCacheSize)
	case cacheSize > 0:
		s.cache = newStemCache(cacheSize)
	}
	return s
}

// maxWordBytes bounds the words the stemmer analyzes; longer tokens (no
// Indonesian word is this long) are returned as they are.
const maxWordBytes = 64

// Stem returns the root of a lower-case word. Words with characters other
// than ASCII letters and hyphens (numbers, foreign scripts) are returned as
// they are, and so are words longer than 64 bytes. Words separated by
// spaces are stemmed one by one.
func (s *Stemmer) Stem(word string) string {
	if len(word) <= 3 || len(word) > maxWordBytes && strings.IndexByte(word, ' ') < 0 {
		return word
	}
	if stem, ok := s.cache.get(word); ok {
		return stem
	}
	stem := s.stemUncached(word)
	s.cache.put(word, stem)
	return stem
}

// IsRoot reports whether word is in the stemmer's root lexicon.
func (s *Stemmer) IsRoot(word string) bool {
	_, ok := s.roots[word]
	return ok
}

// IsProtected reports whether word is on the protected list.
func (s *Stemmer) IsProtected(word string) bool {
	_, ok := s.protected[word]
	return ok
}

// Derivation returns the other root that an affix analysis reads word as,
// looking past word's own entry in the lexicon: for a root list being
// curated, the entries that look derived. Some are lexicalized words that
// belong in it (berangkat, whose meaning is not that of angkat), others
// are derived forms that do not (kecepatan) and take words from their
// root. The strict confixes are tried, then the rare affixes; the loose
// confixes (me-...-an, ber-...-i) are left out, as on the shipped lexicon
// the one entry they add is a loanword misread (separasi as se-paras-i).
func (s *Stemmer) Derivation(word string) (string, bool) {
	if root, ok := s.analyze(word, true); ok && root != word {
		return root, true
	}
	if root, ok := s.analyzeRare(word); ok && root != word {
		return root, true
	}
	return "", false
}

func (s *Stemmer) stemUncached(word string) string {
	if _, ok := s.protected[word]; ok {
		return word
	}
	if _, ok := s.roots[word]; ok {
		return word
	}
	if strings.IndexByte(word, ' ') >= 0 {
		fields := strings.Fields(word)
		for i, f := range fields {
			fields[i] = s.Stem(f)
		}
		return strings.Join(fields, " ")
	}
	if strings.IndexByte(word, '-') >= 0 {
		return s.stemHyphenated(word)
	}
	for i := 0; i < len(word); i++ {
		if c := word[i]; c < 'a' || c > 'z' {
			return word
		}
	}
	if root, ok := s.analyze(word, true); ok {
		return root
	}
	if root, ok := s.analyze(word, false); ok {
		return root
	}
	if root, ok := s.analyzeRare(word); ok {
		return root
	}
	if stem, ok := unambiguousStem(word); ok {
		return stem
	}
	return word
}

// unambiguousStem stems a word whose root is not in the lexicon, using only
// the prefixes whose form leaves no doubt about the root's first letter:
// meng-/peng- before g, h, k, q, x (mengqasar → qasar), men-/pen- before
// c, d, j, z, s and tr (mentranskripsi), mem-/pem- before b, f, v and
// pr, pl (memproduksi), meny-/peny- before a vowel (s restored), and ber-,
// ter- before a consonant (terhenyak → henyak). di-, ke-, se- and me- before
// l, r, w, y are left alone: they open too many names (Dimas, Kevin,
// Setiawan, Melanie). The root must keep five letters.
//
// Branchy because each affix rule here is a condition, in the order the
// rules are tried.
func unambiguousStem(word string) (string, bool) {
	w := word
	if p := trailing(w, particles); p != "" {
		w = w[:len(w)-len(p)]
	}
	if p := trailing(w, "nya"); p != "" {
		w = w[:len(w)-len(p)]
	}
	w = strings.TrimSuffix(w, "kan")
	var rest string
	switch {
	case hasAnyPrefix(w, "meng", "peng") && strings.IndexByte("ghkqx", at(w, 4)) >= 0:
		rest = w[4:]
	case hasAnyPrefix(w, "meny", "peny") && isVowel(at(w, 4)):
		rest = "s" + w[4:]
	case hasAnyPrefix(w, "men", "pen") && (strings.IndexByte("cdjzs", at(w, 3)) >= 0 || strings.HasPrefix(w[3:], "tr")):
		rest = w[3:]
	case hasAnyPrefix(w, "mem", "pem") && (strings.IndexByte("bfv", at(w, 3)) >= 0 || hasAnyPrefix(w[3:], "pr", "pl")):
		rest = w[3:]
	case hasAnyPrefix(w, "ber", "ter") && at(w, 3) != 'r' && at(w, 3) != 0 && !isVowel(at(w, 3)):
		rest = w[3:]
	}
	if len(rest) < 5 {
		return "", false
	}
	return rest, true
}

func hasAnyPrefix(w string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// analyzeRare tries the affixes that are no longer productive or come
// with loanwords, and only when the ordinary analyses found nothing: the
// loan suffixes -isasi, -isme and -is (finalisasi → final, idealisme →
// ideal), the infixes -el-, -em-, -er- and -in- (gemetar → getar, kinerja
// → kerja) and the reduplicated first syllable (lelembut → lembut, rerata
// → rata). Each must end in a known root.
func (s *Stemmer) analyzeRare(word string) (string, bool) {
	for _, cand := range suffixCandidates(word) {
		if root, ok := s.rareRoot(cand.base); ok {
			return root, true
		}
		// memodernisasi, kesinambungan: the rare form under a prefix.
		if root, ok := s.stripPrefixes(cand.base, cand.derivational, 0, prefixNone, false, s.rareRoot); ok {
			return root, true
		}
	}
	return "", false
}

// rareRoot returns the root w is formed from by a loan suffix, an infix
// or a reduplicated first syllable, if that root is known.
func (s *Stemmer) rareRoot(w string) (string, bool) {
	for _, loan := range []string{"isasi", "isme", "is"} {
		if base, ok := strings.CutSuffix(w, loan); ok && s.isRoot(base) {
			return base, true
		}
	}
	if len(w) < 5 || isVowel(w[0]) {
		return "", false
	}
	switch infix := w[1:3]; {
	case infix == "el" || infix == "em" || infix == "er" || infix == "in":
		if root := w[:1] + w[3:]; s.isRoot(root) {
			return root, true
		}
	}
	if w[1] == 'e' && w[2] == w[0] && s.isRoot(w[2:]) {
		return w[2:], true
	}
	return "", false
}

// knownRoot is the ordinary test at the end of an analysis: w is a root.
func (s *Stemmer) knownRoot(w string) (string, bool) {
	return w, s.isRoot(w)
}

// stemHyphenated stems reduplications (negara-negara, bersama-sama,
// memanggil-manggil, tolong-menolong) to one root and any other compound
// part by part. Of a reduplication the first half is stemmed: it carries
// the affixes the rules know (memanggil-manggil → memanggil → panggil),
// where the second half may keep a nasalized form (manggil).
func (s *Stemmer) stemHyphenated(word string) string {
	parts := mergeClitic(strings.Split(word, "-"))
	if len(parts) == 1 {
		return s.Stem(parts[0])
	}
	if len(parts) == 2 && reduplicationBase(parts[0], parts[1]) != "" {
		return s.Stem(parts[0])
	}
	stems := make([]string, 0, len(parts))
	for _, part := range parts {
		if part != "" {
			stems = append(stems, s.Stem(part))
		}
	}
	if len(stems) == 2 && stems[0] == stems[1] {
		return stems[0]
	}
	return strings.Join(stems, "-")
}

// mergeClitic joins a particle or possessive written after a hyphen
// (Allah-lah, malaikat-malaikat-nya) to the part before it.
func mergeClitic(parts []string) []string {
	if n := len(parts); n >= 2 && isClitic(parts[n-1]) {
		parts[n-2] += parts[n-1]
		parts = parts[:n-1]
	}
	return parts
}

// suffixCandidate is a word with some suffixes taken off; derivational
// names the derivational suffix removed, if any, for the confix rules.
type suffixCandidate struct {
	base         string
	derivational string
}

// The inflectional endings, in the order they are tried.
const (
	particles   = "lah kah tah pun"
	possessives = "nya ku mu"
)

// suffixCandidates lists the ways to read word's ending, the most stripped
// first, then restoring the derivational suffix, the possessive and the
// particle in turn (the order of Enhanced Confix Stripping's backtracking).
// A -kan ending is also read as -an after a root ending in k (masuk-an).
func suffixCandidates(word string) []suffixCandidate {
	cands := make([]suffixCandidate, 0, 6)
	inflected := []string{word}
	w := word
	if p := trailing(w, particles); p != "" {
		w = w[:len(w)-len(p)]
		inflected = append(inflected, w)
	}
	if p := trailing(w, possessives); p != "" {
		w = w[:len(w)-len(p)]
		inflected = append(inflected, w)
	}
	switch {
	case strings.HasSuffix(w, "kan") && len(w) > 5:
		cands = append(cands, suffixCandidate{w[:len(w)-3], "kan"}, suffixCandidate{w[:len(w)-2], "an"})
	case strings.HasSuffix(w, "an") && len(w) > 4:
		cands = append(cands, suffixCandidate{w[:len(w)-2], "an"})
	case strings.HasSuffix(w, "i") && len(w) > 3:
		cands = append(cands, suffixCandidate{w[:len(w)-1], "i"})
	}
	for i := len(inflected) - 1; i >= 0; i-- {
		cands = append(cands, suffixCandidate{base: inflected[i]})
	}
	return cands
}

// trailing returns the first of suffixes that ends word and leaves at least
// three letters before it.
func trailing(word string, suffixes string) string {
	for _, s := range strings.Fields(suffixes) {
		if len(word) >= len(s)+3 && strings.HasSuffix(word, s) {
			return s
		}
	}
	return ""
}

// analyze tries every suffix reading of word and every prefix chain on
// each, and returns the longest root found: the reading that strips the
// least (pemeran is pe-peran, not pe-per-an; dinilai is di-nilai, not
// di-nila-i). Where a prefix and suffix pair is one Indonesian takes off
// prefix first (me-...-i, di-...-i, pe-...-i, ter-...-i, be-...-an,
// be-...-lah), a root found by removing only prefixes wins outright
// (memberi is mem-beri, not mem-ber-i).
//
// With strict set, prefix and suffix pairs that Indonesian does not
// combine around a root (me-...-an, di-...-an, ber-...-i, ...) are not
// tried.
func (s *Stemmer) analyze(word string, strict bool) (string, bool) {
	if prefixFirst(word) {
		if root, ok := s.stripPrefixes(word, "", 0, prefixNone, strict, s.knownRoot); ok {
			return root, true
		}
	}
	best := ""
	for _, cand := range suffixCandidates(word) {
		if len(cand.base) < 3 {
			continue
		}
		root := ""
		if cand.base != word && s.isRoot(cand.base) {
			root = cand.base
		} else if r, ok := s.stripPrefixes(cand.base, cand.derivational, 0, prefixNone, strict, s.knownRoot); ok {
			root = r
		}
		if len(root) > len(best) {
			best = root
		}
	}
	return best, best != ""
}

// prefixFirst reports the confixes whose prefix comes off before the suffix.
func prefixFirst(w string) bool {
	switch {
	case strings.HasSuffix(w, "i"):
		return strings.HasPrefix(w, "me") || strings.HasPrefix(w, "di") || strings.HasPrefix(w, "pe") || strings.HasPrefix(w, "ter")
	case strings.HasSuffix(w, "kan"):
		// ber-...-kan is no confix of precedence: berikan is beri-kan.
		return false
	case strings.HasSuffix(w, "an"), strings.HasSuffix(w, "lah"):
		return strings.HasPrefix(w, "be")
	}
	return false
}

func (s *Stemmer) isRoot(w string) bool {
	if len(w) < 3 {
		return false
	}
	_, ok := s.roots[w]
	return ok
}

// prefixKind identifies a prefix regardless of its allomorph (mem-, men-,
// meng-, meny- and me- are all meN-).
type prefixKind uint8

const (
	prefixNone prefixKind = iota
	prefixDi
	prefixKe
	prefixSe
	prefixBer
	prefixTer
	prefixMe
	prefixPe // peN- and pe(r)-
	prefixKu // the proclitics ku- and kau- (kupukul, kauambil)
)

// maxPrefixes is the most prefixes a word stacks (di-per-ke-..., me-per-...).
const maxPrefixes = 3

// disallowedConfix reports the prefix and suffix pairs that do not occur
// together around a root, so that reading them as affixes is a mistake
// (memakan is not me-mak-an; dimakan is not di-mak-an).
func disallowedConfix(prefix prefixKind, suffix string) bool {
	switch suffix {
	case "i":
		return prefix == prefixBer || prefix == prefixKe || prefix == prefixSe
	case "kan":
		return prefix == prefixKe || prefix == prefixSe
	case "an":
		return prefix == prefixDi || prefix == prefixMe || prefix == prefixTer
	}
	return false
}

type prefixReading struct {
	kind prefixKind
	rest string
}

// stripPrefixes removes one prefix from w in every way the rules allow and
// looks for a root: first among the direct remainders (fewer prefixes is
// the likelier reading), then by stripping further prefixes from each.
func (s *Stemmer) stripPrefixes(w, suffix string, depth int, previous prefixKind, strict bool, match func(string) (string, bool)) (string, bool) {
	if depth == maxPrefixes {
		return "", false
	}
	readings := prefixReadings(w, depth)
	usable := readings[:0]
	for _, r := range readings {
		if r.kind == previous || len(r.rest) < 2 {
			continue
		}
		if strict && depth == 0 && disallowedConfix(r.kind, suffix) {
			continue
		}
		usable = append(usable, r)
	}
	for _, r := range usable {
		if root, ok := match(r.rest); ok {
			return root, true
		}
	}
	for _, r := range usable {
		if root, ok := s.stripPrefixes(r.rest, suffix, depth+1, r.kind, strict, match); ok {
			return root, true
		}
	}
	return "", false
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'i' || c == 'u' || c == 'e' || c == 'o'
}

// at returns w[i], or 0 past the end, so rules can look ahead freely.
func at(w string, i int) byte {
	if i < len(w) {
		return w[i]
	}
	return 0
}

// prefixReadings lists, in order of preference, the ways w can start with a
// prefix and what remains once it is removed, consonant restored.
func prefixReadings(w string, depth int) []prefixReading {
	var out []prefixReading
	add := func(kind prefixKind, rest string) {
		out = append(out, prefixReading{kind, rest})
	}
	if len(w) < 4 {
		return nil
	}
	switch {
	case strings.HasPrefix(w, "di"):
		if depth == 0 {
			add(prefixDi, w[2:])
		}
	case strings.HasPrefix(w, "ke"):
		add(prefixKe, w[2:])
	case strings.HasPrefix(w, "se"):
		add(prefixSe, w[2:])
	case strings.HasPrefix(w, "be"):
		berReadings(w, add)
	case strings.HasPrefix(w, "te"):
		terReadings(w, add)
	case strings.HasPrefix(w, "me"):
		meNReadings(w, add)
	case strings.HasPrefix(w, "pe"):
		peReadings(w, add)
	case depth == 0 && strings.HasPrefix(w, "kau"):
		add(prefixKu, w[3:])
	case depth == 0 && strings.HasPrefix(w, "ku"):
		add(prefixKu, w[2:])
	}
	return out
}

// berReadings: ber- before a vowel may have eaten an r (berambut is
// be-rambut), be- before a consonant cluster with -er- (bekerja,
// beserta), and bel- only in belajar.
func berReadings(w string, add func(prefixKind, string)) {
	c2, c3 := at(w, 2), at(w, 3)
	switch {
	case c2 == 'r' && isVowel(c3):
		add(prefixBer, w[3:])
		add(prefixBer, w[2:])
	case c2 == 'r':
		add(prefixBer, w[3:])
	case w == "belajar" || strings.HasPrefix(w, "belajar"):
		add(prefixBer, w[3:])
	case !isVowel(c2) && at(w, 3) == 'e' && at(w, 4) == 'r':
		add(prefixBer, w[2:])
	}
}

// terReadings mirrors ber-: ter- before a vowel may be te- before an r
// (terasa can be te-rasa).
func terReadings(w string, add func(prefixKind, string)) {
	c2, c3 := at(w, 2), at(w, 3)
	switch {
	case c2 == 'r' && isVowel(c3):
		add(prefixTer, w[3:])
		add(prefixTer, w[2:])
	case c2 == 'r':
		add(prefixTer, w[3:])
	case !isVowel(c2) && at(w, 3) == 'e' && at(w, 4) == 'r':
		add(prefixTer, w[2:])
	}
}

// meNReadings applies the meN- allomorph rules.
func meNReadings(w string, add func(prefixKind, string)) {
	c2 := at(w, 2)
	switch c2 {
	case 'l', 'r', 'w', 'y':
		if isVowel(at(w, 3)) {
			add(prefixMe, w[2:])
		}
	case 'm':
		nasalReadings(prefixMe, w, 3, 'p', "bfv", add)
	case 'n':
		switch at(w, 3) {
		case 'g':
			ngReadings(prefixMe, w, 4, add)
		case 'y':
			nyReadings(prefixMe, w, 4, add)
		default:
			nasalReadings(prefixMe, w, 3, 't', "cdjzst", add)
		}
	}
}

// peReadings applies the peN- allomorph rules and those of pe(r)-.
func peReadings(w string, add func(prefixKind, string)) {
	c2, c3 := at(w, 2), at(w, 3)
	switch {
	case c2 == 'r' && isVowel(c3):
		add(prefixPe, w[3:])
		add(prefixPe, w[2:])
	case c2 == 'r':
		add(prefixPe, w[3:])
	case c2 == 'w' || c2 == 'y':
		if isVowel(c3) {
			add(prefixPe, w[2:])
		}
	case c2 == 'l':
		// pelaku, pelari; pelajar is pel-ajar.
		add(prefixPe, w[2:])
		if isVowel(c3) {
			add(prefixPe, w[3:])
		}
	case c2 == 'm':
		nasalReadings(prefixPe, w, 3, 'p', "bfv", add)
	case c2 == 'n':
		switch c3 {
		case 'g':
			ngReadings(prefixPe, w, 4, add)
		case 'y':
			nyReadings(prefixPe, w, 4, add)
		default:
			nasalReadings(prefixPe, w, 3, 't', "cdjzst", add)
		}
	case !isVowel(c2) && c2 != 0:
		// pekerja, peserta; petani, pedagang, pejabat.
		add(prefixPe, w[2:])
	}
}

// nasalReadings handles mem-/pem- (restoring p) and men-/pen- (restoring
// t). Before a vowel the nasal may be the root's own (memakan, menanti) or
// stand for the dropped consonant (memukul, menulis); the root's own is
// tried first. Before the consonants in keep the prefix simply comes off.
func nasalReadings(kind prefixKind, w string, n int, dropped byte, keep string, add func(prefixKind, string)) {
	c := at(w, n)
	switch {
	case isVowel(c):
		add(kind, w[n-1:])
		add(kind, string(dropped)+w[n:])
	case c != 0 && strings.IndexByte(keep, c) >= 0:
		add(kind, w[n:])
	case c == 'p' && dropped == 'p':
		// memper-, mempunyai: the p is the next prefix's or the root's.
		add(kind, w[n:])
	}
}

// ngReadings handles meng-/peng-: before a vowel the root may start with
// the vowel or with a dropped k (mengambil, mengirim); before a one-syllable
// root the prefix is menge-/penge- (mengebom); before g, h, k, q and x it
// simply comes off.
func ngReadings(kind prefixKind, w string, n int, add func(prefixKind, string)) {
	c := at(w, n)
	switch {
	case isVowel(c):
		add(kind, w[n:])
		add(kind, "k"+w[n:])
		if c == 'e' && len(w) > n+1 && !isVowel(w[n+1]) {
			add(kind, w[n+1:])
		}
		// The root itself may begin with ng- (menganga is me-nganga).
		add(kind, w[n-2:])
	case c == 'g' || c == 'h' || c == 'k' || c == 'q' || c == 'x':
		add(kind, w[n:])
	case c == 'l' && kind == prefixPe:
		// penglihatan, pengluaran: an old peng- before l.
		add(kind, w[n:])
	}
}

// nyReadings handles meny-/peny-: the root starts with a dropped s
// (menyerang) or is itself a ny- word (menyanyi).
func nyReadings(kind prefixKind, w string, n int, add func(prefixKind, string)) {
	if isVowel(at(w, n)) {
		add(kind, "s"+w[n:])
		add(kind, w[n-2:])
	}
}
