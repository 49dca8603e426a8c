package termtext

import "testing"

func TestClean(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain text, ünïcödé and 日本", "plain text, ünïcödé and 日本"},
		{"", ""},
		{"red \x1b[31mALERT\x1b[0m", `red \x1b[31mALERT\x1b[0m`},
		{"title \x1b]0;pwned\x07", `title \x1b]0;pwned\x07`},
		{"over\rwrite", `over\x0dwrite`},
		{"two\nlines\ttab", `two\x0alines\x09tab`},
		{"del\x7f", `del\x7f`},
		{"c1 \u009b31m", `c1 \u009b31m`},
		{"bidi \u202eevil\u202c", `bidi \u202eevil\u202c`},
		{"isolate \u2066x\u2069", `isolate \u2066x\u2069`},
		{"line\u2028sep", `line\u2028sep`},
		{"bad utf8 \xff\xfe", `bad utf8 \xff\xfe`},
	} {
		got := Clean(tt.in)
		if got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if !Printable(got) {
			t.Errorf("Clean(%q) = %q is not printable", tt.in, got)
		}
		if Printable(tt.in) != (tt.in == tt.want) {
			t.Errorf("Printable(%q) = %v", tt.in, Printable(tt.in))
		}
	}
}
