package server

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"
	"os"
	"strings"
)

// Scope is what a key may do.
type Scope string

// The scopes of a key file.
const (
	// ScopeAdmin may do everything: writes, snapshots, /api/stats,
	// /metrics, and every read.
	ScopeAdmin Scope = "admin"
	// ScopeSearch may read: search, articles, similar articles,
	// completions, analysis.
	ScopeSearch Scope = "search"
)

// Limits of a key file.
const (
	// MinKeyBytes is the shortest key a key file may hold: a key that
	// a person can type or guess protects nothing.
	MinKeyBytes = 16
	// MaxKeysFileBytes bounds a key file, which is read whole.
	MaxKeysFileBytes = 1 << 20
)

// Keys is a set of API keys, each with its scope. The keys themselves
// are not kept, only their SHA-256 digests: a request's key is hashed
// once and compared with every digest in constant time, so neither the
// time an answer takes nor a key's length tells which key, if any,
// came near; and a memory dump or a stray %v shows no key.
type Keys struct {
	entries []keyEntry
}

type keyEntry struct {
	digest [sha256.Size]byte
	scope  Scope
	// where names the key in errors ("keys.txt:3"), never by its text.
	where string
}

// Count is the number of keys of a scope.
func (k *Keys) Count(scope Scope) int {
	if k == nil {
		return 0
	}
	n := 0
	for _, e := range k.entries {
		if e.scope == scope {
			n++
		}
	}
	return n
}

// Len is the number of keys.
func (k *Keys) Len() int {
	if k == nil {
		return 0
	}
	return len(k.entries)
}

// scopeOf returns the scope of key, or false for a key not in the set.
// It compares the key's digest with every key's, whichever matches, so
// that the time taken depends on the number of keys only.
func (k *Keys) scopeOf(key string) (Scope, bool) {
	if k == nil || key == "" {
		return "", false
	}
	d := sha256.Sum256([]byte(key))
	var found Scope
	ok := 0
	for _, e := range k.entries {
		if subtle.ConstantTimeCompare(d[:], e.digest[:]) == 1 {
			found, ok = e.scope, 1
		}
	}
	return found, ok == 1
}

// add puts one key in the set; where names it in errors.
func (k *Keys) add(scope Scope, key, where string) error {
	d := sha256.Sum256([]byte(key))
	for _, e := range k.entries {
		if e.digest == d {
			return fmt.Errorf("%s: the same key as %s", where, e.where)
		}
	}
	k.entries = append(k.entries, keyEntry{digest: d, scope: scope, where: where})
	return nil
}

// with returns the set and one key more (none for an empty key); where
// names it in errors. The set itself is not changed: a server may hold it.
func (k *Keys) with(scope Scope, key, where string) (*Keys, error) {
	out := &Keys{}
	if k != nil {
		out.entries = append(out.entries, k.entries...)
	}
	if key == "" {
		return out, nil
	}
	if err := out.add(scope, key, where); err != nil {
		return nil, err
	}
	return out, nil
}

// ReadKeysFile reads a key file (see ParseKeys).
func ReadKeysFile(name string) (*Keys, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("keys file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxKeysFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("keys file %s: %w", name, err)
	}
	if len(data) > MaxKeysFileBytes {
		return nil, fmt.Errorf("keys file %s is larger than %d bytes", name, MaxKeysFileBytes)
	}
	return ParseKeys(name, data)
}

// ParseKeys reads a key file, name being its name for errors: one key a
// line, as
//
//	SCOPE KEY  # an optional comment
//
// where SCOPE is admin or search and KEY is MinKeyBytes or more of
// printable ASCII (! to ~) not starting with #. Blank lines and lines
// starting with # are skipped. An error names the file and the line and
// never repeats the key: the message may reach a log or a terminal that
// others read.
func ParseKeys(name string, data []byte) (*Keys, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a BOM from Windows editors
	keys := &Keys{}
	for i, line := range strings.Split(string(data), "\n") {
		where := fmt.Sprintf("%s:%d", name, i+1)
		fields := strings.FieldsFunc(strings.TrimSuffix(line, "\r"), func(r rune) bool {
			return r == ' ' || r == '\t' || r == '\v' || r == '\f'
		})
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		scope := Scope(fields[0])
		if scope != ScopeAdmin && scope != ScopeSearch {
			// The first word may be a key put first by mistake: it is
			// shown only when it is too short to be one and made of
			// characters that print as they are.
			if len(fields[0]) < MinKeyBytes && plainWord(fields[0]) {
				return nil, fmt.Errorf("%s: unknown scope %q; want admin or search", where, fields[0])
			}
			return nil, fmt.Errorf("%s: the line does not start with a scope (admin or search); a line is SCOPE KEY", where)
		}
		if len(fields) < 2 || strings.HasPrefix(fields[1], "#") {
			return nil, fmt.Errorf("%s: no key after the scope %s", where, scope)
		}
		key := fields[1]
		if len(fields) > 2 && !strings.HasPrefix(fields[2], "#") {
			return nil, fmt.Errorf("%s: more than a key after the scope (keys hold no white space); a line is SCOPE KEY, then nothing or a # comment", where)
		}
		for j := 0; j < len(key); j++ {
			if key[j] < '!' || key[j] > '~' {
				return nil, fmt.Errorf("%s: the key has a byte outside printable ASCII (! to ~), which an Authorization header cannot carry", where)
			}
		}
		if len(key) < MinKeyBytes {
			return nil, fmt.Errorf("%s: the key is %d bytes long; use %d or more, such as 24 random bytes in base64 (head -c 24 /dev/urandom | base64)", where, len(key), MinKeyBytes)
		}
		if err := keys.add(scope, key, where); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// plainWord reports whether s is made of letters, digits, - and _ only.
func plainWord(s string) bool {
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
