package main

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	build := func(version string, settings ...string) *debug.BuildInfo {
		info := &debug.BuildInfo{GoVersion: "go1.99", Main: debug.Module{Version: version}}
		for i := 0; i+1 < len(settings); i += 2 {
			info.Settings = append(info.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return info
	}
	for _, tc := range []struct {
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{build("v1.2.0"), true, "v1.2.0 go1.99"},
		{build("(devel)", "vcs.revision", "0123456789abcdef0123", "vcs.modified", "false"), true, "devel 0123456789ab go1.99"},
		{build("(devel)", "vcs.revision", "0123456789abcdef0123", "vcs.modified", "true"), true, "devel 0123456789ab+dirty go1.99"},
		{build(""), true, "devel go1.99"},
		{nil, false, "(unknown build)"},
	} {
		if got := version(tc.info, tc.ok); got != tc.want {
			t.Errorf("version(%+v) = %q, want %q", tc.info, got, tc.want)
		}
	}
	r := runCari(t, "", nil, "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "cari ") || !strings.Contains(r.stdout, runtime.Version()) {
		t.Errorf("cari --version: %+v", r)
	}
}
