package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// -trusted-proxies takes CIDRs from the flag or the environment; a bad
// one is a usage error (exit 2) whose message names the flag or the
// variable and quotes the entry.
func TestTrustedProxiesFlag(t *testing.T) {
	tests := []struct {
		args     []string
		env      string
		want     string // the prefixes parsed, as fmt prints them
		wantErrs []string
	}{
		{nil, "", "[]", nil},
		{[]string{"-trusted-proxies", "127.0.0.1/32,10.0.0.0/8"}, "", "[127.0.0.1/32 10.0.0.0/8]", nil},
		{[]string{"-trusted-proxies", "::1, 2001:db8::/32"}, "", "[::1/128 2001:db8::/32]", nil},
		{nil, "192.168.0.0/16", "[192.168.0.0/16]", nil},
		{[]string{"-trusted-proxies", "10.0.0.0/8"}, "192.168.0.0/16", "[10.0.0.0/8]", nil},
		{[]string{"-trusted-proxies", "10.0.0.0/33"}, "", "", []string{"-trusted-proxies", `"10.0.0.0/33" is not a CIDR`}},
		{[]string{"-trusted-proxies", "nginx"}, "", "", []string{"-trusted-proxies", `"nginx"`}},
		{nil, "10.0.0.0/8,proxy.local", "", []string{"$ARCHIVE_TRUSTED_PROXIES", `"proxy.local"`}},
	}
	for _, tt := range tests {
		t.Setenv("ARCHIVE_TRUSTED_PROXIES", tt.env)
		var stderr bytes.Buffer
		cfg, err := parseFlags(tt.args, &stderr)
		if tt.wantErrs != nil {
			msg := stderr.String()
			if err != nil {
				msg += err.Error()
			}
			if exitStatus(err) != 2 {
				t.Errorf("%v, $ARCHIVE_TRUSTED_PROXIES=%q: err %v, want exit 2", tt.args, tt.env, err)
			}
			for _, w := range tt.wantErrs {
				if !strings.Contains(msg, w) {
					t.Errorf("%v, $ARCHIVE_TRUSTED_PROXIES=%q: message %q does not name %s", tt.args, tt.env, msg, w)
				}
			}
			continue
		}
		if err != nil {
			t.Errorf("%v, $ARCHIVE_TRUSTED_PROXIES=%q: %v\n%s", tt.args, tt.env, err, stderr.String())
			continue
		}
		if got := fmt.Sprint(cfg.trustedProxies); got != tt.want {
			t.Errorf("%v, $ARCHIVE_TRUSTED_PROXIES=%q: trusted proxies %s, want %s", tt.args, tt.env, got, tt.want)
		}
	}
}
