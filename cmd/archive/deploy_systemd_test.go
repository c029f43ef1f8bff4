package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// unitFile is a systemd unit: each section's keys, a key's values in
// order (keys such as SystemCallFilter may repeat).
type unitFile map[string]map[string][]string

func parseUnit(t *testing.T, text string) unitFile {
	t.Helper()
	u := unitFile{}
	section := ""
	for i, line := range strings.Split(text, "\n") {
		l := strings.TrimSpace(line)
		switch {
		case l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";"):
		case strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]"):
			section = l[1 : len(l)-1]
			u[section] = map[string][]string{}
		case strings.HasSuffix(l, `\`):
			t.Fatalf("archive.service:%d: continued lines are not read by this test; keep each setting on one line", i+1)
		default:
			k, v, ok := strings.Cut(l, "=")
			if !ok || section == "" {
				t.Fatalf("archive.service:%d: %q is not KEY=value in a section", i+1, l)
			}
			u[section][strings.TrimSpace(k)] = append(u[section][strings.TrimSpace(k)], strings.TrimSpace(v))
		}
	}
	return u
}

// last is a key's effective value: a later assignment wins.
func (u unitFile) last(section, key string) (string, bool) {
	vs := u[section][key]
	if len(vs) == 0 {
		return "", false
	}
	return vs[len(vs)-1], true
}

// TestServiceUnit checks archive.service: the hardening the README
// promises, a stop timeout longer than the archive's stop limit, the
// index as the only writable folder, and an ExecStart whose every flag
// is one the archive's own flag parser accepts.
func TestServiceUnit(t *testing.T) {
	u := parseUnit(t, readDeployFile(t, "archive.service"))
	want := map[string]string{
		"DynamicUser":             "yes",
		"ProtectSystem":           "strict",
		"NoNewPrivileges":         "yes",
		"PrivateTmp":              "yes",
		"ProtectHome":             "yes",
		"CapabilityBoundingSet":   "",
		"MemoryDenyWriteExecute":  "yes",
		"LockPersonality":         "yes",
		"RestrictSUIDSGID":        "yes",
		"RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
		"Restart":                 "on-failure",
		"Type":                    "exec",
	}
	for k, v := range want {
		if got, ok := u.last("Service", k); !ok || got != v {
			t.Errorf("%s=%q (set: %v), want %q", k, got, ok, v)
		}
	}
	if !contains(u["Service"]["SystemCallFilter"], "@system-service") {
		t.Errorf("SystemCallFilter=%v, want @system-service", u["Service"]["SystemCallFilter"])
	}
	stop, _ := u.last("Service", "TimeoutStopSec")
	if d, err := time.ParseDuration(stop); err != nil || d <= stopLimit {
		t.Errorf("TimeoutStopSec=%s (%v): want longer than the archive's stop limit %v, so systemd does not kill it mid-shutdown", stop, err, stopLimit)
	}
	state, _ := u.last("Service", "StateDirectory")
	if state == "" || strings.ContainsAny(state, " /") {
		t.Fatalf("StateDirectory=%q, want one folder name for the index", state)
	}
	indexDir := "/var/lib/" + state
	if rw := u["Service"]["ReadWritePaths"]; len(rw) > 0 && (len(rw) != 1 || rw[0] != indexDir) {
		t.Errorf("ReadWritePaths=%v, want the index folder %s only", rw, indexDir)
	}

	exe, _ := u.last("Service", "ExecStart")
	words := shellWords(exe)
	if len(words) < 2 || !filepath.IsAbs(words[0]) {
		t.Fatalf("ExecStart=%q: want an absolute path and the archive's flags", exe)
	}
	var stderr bytes.Buffer
	cfg, err := parseFlags(words[1:], &stderr)
	if err != nil {
		msg, _, _ := strings.Cut(stderr.String(), "\n") // the usage that follows is noise here
		t.Fatalf("ExecStart's flags %q are not the archive's: %v %s", words[1:], err, msg)
	}
	if len(cfg.args) > 0 || cfg.reindex {
		t.Errorf("ExecStart runs %q, want the server", cfg.args)
	}
	if cfg.indexDir != indexDir {
		t.Errorf("-index %s, want the StateDirectory %s: nowhere else may it write", cfg.indexDir, indexDir)
	}
	if host, _, err := net.SplitHostPort(cfg.addr); err != nil || !(net.ParseIP(host) != nil && net.ParseIP(host).IsLoopback()) {
		t.Errorf("-addr %s: behind the proxy on the same machine the archive listens on loopback only", cfg.addr)
	}
	if cfg.baseURL == "" || len(cfg.trustedProxies) == 0 {
		t.Errorf("ExecStart sets -base-url %q and -trusted-proxies %v; both are needed behind a proxy", cfg.baseURL, cfg.trustedProxies)
	}

	t.Run("systemd-analyze verify", func(t *testing.T) {
		analyze, err := exec.LookPath("systemd-analyze")
		if err != nil {
			t.Skip("systemd-analyze is not installed; the unit's keys were checked by this test only")
		}
		// verify insists that ExecStart's program exists: this test's own
		// binary stands in for the archive.
		self, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		unit := filepath.Join(t.TempDir(), "archive.service")
		text := strings.Replace(readDeployFile(t, "archive.service"), "ExecStart="+words[0]+" ", "ExecStart="+self+" ", 1)
		if err := os.WriteFile(unit, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// verify exits 0 on unknown keys and bad values, printing them:
		// any output is a failure.
		out, err := exec.CommandContext(ctx, analyze, "verify", "--man=no", unit).CombinedOutput()
		if err != nil || len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("systemd-analyze verify: %v\n%s", err, out)
		}
	})
}
