package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// halfLife is --half-life: a number of days, as the API's half_life
// takes it ("14"), or a Go duration ("336h"), which the flag first took.
type halfLife struct{ d *time.Duration }

// maxHalfLifeDays is the API's bound on half_life.
const maxHalfLifeDays = 36500

func (h halfLife) String() string {
	if h.d == nil {
		return ""
	}
	if *h.d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(*h.d/(24*time.Hour)), 10)
	}
	return h.d.String()
}

func (h halfLife) Set(s string) error {
	s = strings.TrimSpace(s)
	if days, err := strconv.Atoi(s); err == nil {
		if days < 1 || days > maxHalfLifeDays {
			return fmt.Errorf("a number of days from 1 to %d, not %d", maxHalfLifeDays, days)
		}
		*h.d = time.Duration(days) * 24 * time.Hour
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("a number of days (14) or a duration (336h), not %q", s)
	}
	if d <= 0 || d > maxHalfLifeDays*24*time.Hour {
		return fmt.Errorf("a positive duration of at most %d days, not %s", maxHalfLifeDays, d)
	}
	*h.d = d
	return nil
}

func (halfLife) Type() string { return "days" }
