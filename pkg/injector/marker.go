package injector

import (
	"fmt"
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
type marker struct{ args, env form }

func (m marker) needed() bool { return m.args != formList || m.env != formList }

func (m marker) String() string {
	var parts []string
	if m.args != formList {
		parts = append(parts, "args="+string(m.args))
	}
	if m.env != formList {
		parts = append(parts, "env="+string(m.env))
	}
	return strings.Join(parts, ",")
}

func parseMarker(s string) (marker, error) {
	var m marker
	for _, part := range strings.Split(s, ",") {
		k, v, _ := strings.Cut(part, "=")
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
