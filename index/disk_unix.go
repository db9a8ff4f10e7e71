//go:build unix

package index

import "golang.org/x/sys/unix"

// freeBytes is the space on path's filesystem that an unprivileged
// process may still write.
func freeBytes(path string) (uint64, bool) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return 0, false
	}
	return uint64(st.Bavail) * uint64(st.Bsize), true
}
