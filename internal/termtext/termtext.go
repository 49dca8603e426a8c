// Package termtext makes text that came from the network (AWS error
// messages, cluster names and endpoints, a release feed's fields, a
// fetched defaults file) safe to print on a terminal: no escape sequence,
// carriage return or bidi override in it reaches the terminal as such.
package termtext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean is s with every control character (C0, DEL, C1), every bidi
// formatting character and every byte that is not UTF-8 written as a
// visible escape (\x1b, \u202e), so the text stays readable and one line,
// and a terminal shows exactly what was sent instead of obeying it.
func Clean(s string) string {
	if printable(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafe(r) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// Printable reports whether Clean would leave s as it is.
func Printable(s string) bool { return printable(s) }

func printable(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafe(r) {
			return false
		}
		i += size
	}
	return true
}

// unsafe is a rune a terminal may act on rather than show: a control
// character, or one that reorders the text around it (Trojan Source).
func unsafe(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029'
}
