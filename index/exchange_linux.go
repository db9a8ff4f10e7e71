package index

import (
	"errors"

	"golang.org/x/sys/unix"
)

// renameExchange swaps a and b in one step.
func renameExchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) {
		// An old kernel, or a file system without exchange.
		return errors.ErrUnsupported
	}
	return err
}
