package main

import (
	"strings"
	"testing"
	"time"
)

func TestHalfLifeFlag(t *testing.T) {
	const day = 24 * time.Hour
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"14", 14 * day, true},
		{" 7 ", 7 * day, true},
		{"336h", 14 * day, true},
		{"36h", 36 * time.Hour, true},
		{"36500", 36500 * day, true},
		{"0", 0, false},
		{"-3", 0, false},
		{"36501", 0, false},
		{"-1h", 0, false},
		{"0s", 0, false},
		{"seminggu", 0, false},
		{"", 0, false},
	} {
		var d time.Duration
		err := halfLife{&d}.Set(tc.in)
		if (err == nil) != tc.ok || tc.ok && d != tc.want {
			t.Errorf("Set(%q) = %v, %v; want %v (ok %v)", tc.in, d, err, tc.want, tc.ok)
		}
	}
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{{14 * day, "14"}, {36 * time.Hour, "36h0m0s"}} {
		d := tc.d
		if got := (halfLife{&d}).String(); got != tc.want {
			t.Errorf("String(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
	// Through the command: days are accepted, and a bad value names the flag.
	if r := runCari(t, "", nil, "search", "--index", t.TempDir(), "--recent", "--half-life", "0", "banjir"); r.code == 0 || !strings.Contains(r.stderr, "half-life") || !strings.Contains(r.stderr, "days") {
		t.Errorf("--half-life 0: %+v", r)
	}
}
