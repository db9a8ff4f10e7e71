//go:build !linux

package index

import "errors"

// renameExchange has no atomic form here; exchange falls back.
func renameExchange(a, b string) error { return errors.ErrUnsupported }
