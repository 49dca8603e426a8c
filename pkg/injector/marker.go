package injector

import (
	"fmt"
	"strconv"
	"strings"
)

// A form records what an args or env field was before Inject made it a list,
// when that cannot be seen afterwards. The zero form means "was a list".
type form string

const (
	formList   form = ""
	formAbsent form = "absent"
	formEmpty  form = "empty" // "args:" with no value
)

// nullTokens are the spellings of null Restore can put back verbatim.
var nullTokens = map[string]bool{"null": true, "Null": true, "NULL": true, "~": true}

// marker is the value of the MarkerEnv entry, e.g. "args=absent,env=null".
// After a native switch (--native-eks, --native-oidc) it also holds was:
// the source text of the command and args items the native plugin
// replaced, e.g. "was=aws --region us-east-1 eks ...", which Restore writes
// back verbatim.
type marker struct {
	args, env form
	was       []string
}

func (m marker) needed() bool { return m.args != formList || m.env != formList || m.was != nil }

func (m marker) String() string {
	var parts []string
	if m.args != formList {
		parts = append(parts, "args="+string(m.args))
	}
	if m.env != formList {
		parts = append(parts, "env="+string(m.env))
	}
	if m.was != nil {
		words := make([]string, len(m.was))
		for i, w := range m.was {
			words[i] = escapeWord(w)
		}
		parts = append(parts, "was="+strings.Join(words, " "))
	}
	return strings.Join(parts, ",")
}

func parseMarker(s string) (marker, error) {
	var m marker
	for _, part := range strings.Split(s, ",") {
		k, v, _ := strings.Cut(part, "=")
		if k == "was" {
			was, err := parseWas(v)
			if err != nil {
				return m, fmt.Errorf("%s: %w", MarkerEnv, err)
			}
			m.was = was
			continue
		}
		f := form(v)
		if f != formAbsent && f != formEmpty && !nullTokens[v] {
			return m, fmt.Errorf("%s=%q: unknown form %q", MarkerEnv, s, v)
		}
		switch k {
		case "args":
			m.args = f
		case "env":
			m.env = f
		default:
			return m, fmt.Errorf("%s=%q: unknown field %q", MarkerEnv, s, k)
		}
	}
	return m, nil
}

// escapeWord writes one source text as a word of was: %XX for the bytes
// that would split it (space, comma), for %, and for anything but printable
// ASCII, so the marker stays one readable line.
func escapeWord(w string) string {
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c <= ' ' || c >= 0x7f || c == '%' || c == ',' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// parseWas reads was back. Inject writes at least the command and one
// argument; anything else was not written by Inject and is refused.
func parseWas(v string) ([]string, error) {
	words := strings.Split(v, " ")
	if len(words) < 2 {
		return nil, fmt.Errorf("was=%q: need the command and its arguments", printable(v))
	}
	for i, w := range words {
		var b strings.Builder
		for j := 0; j < len(w); j++ {
			if w[j] != '%' {
				b.WriteByte(w[j])
				continue
			}
			n, err := strconv.ParseUint(w[j+1:min(j+3, len(w))], 16, 8)
			if err != nil || j+3 > len(w) {
				return nil, fmt.Errorf("word %d of was: bad %%-escape", i+1)
			}
			b.WriteByte(byte(n))
			j += 2
		}
		if b.Len() == 0 {
			return nil, fmt.Errorf("word %d of was is empty", i+1)
		}
		words[i] = b.String()
	}
	return words, nil
}
