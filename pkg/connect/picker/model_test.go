package picker

import (
	"strings"
	"testing"
)

func press(m *model, input string) outcome {
	out := going
	for _, k := range decode([]byte(input)) {
		if out = m.press(k.k, k.r); out != going {
			return out
		}
	}
	return out
}

func TestModel(t *testing.T) {
	labels := []string{"demo us-east-1", "demo eu-west-1", "prod us-east-1", "Staging eu-west-1"}
	tests := []struct {
		name   string
		keys   string
		want   outcome
		choice string
	}{
		{"enter picks the first", "\r", picked, "demo us-east-1"},
		{"down arrow", "\x1b[B\r", picked, "demo eu-west-1"},
		{"down then up", "\x1b[B\x1b[B\x1b[A\r", picked, "demo eu-west-1"},
		{"ctrl-n and ctrl-p", "\x0e\x0e\x10\r", picked, "demo eu-west-1"},
		{"down stops at the end", strings.Repeat("\x1b[B", 9) + "\r", picked, "Staging eu-west-1"},
		{"filter by words, any case", "STAG west\r", picked, "Staging eu-west-1"},
		{"filter then move", "east\x1b[B\r", picked, "prod us-east-1"},
		{"backspace widens", "prodx\x7f\r", picked, "prod us-east-1"},
		{"ctrl-u clears", "zzz\x15\x1b[B\r", picked, "demo eu-west-1"},
		{"no match: enter does nothing", "zzz\r", going, ""},
		{"escape cancels", "\x1b", cancelled, ""},
		{"ctrl-c cancels", "de\x03", cancelled, ""},
		{"other escape sequences are ignored", "\x1b[C\x1b[1;5D\x1bOP\r", picked, "demo us-east-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newModel(labels, 2)
			got := press(m, tt.keys)
			if got != tt.want {
				t.Fatalf("outcome %v, want %v", got, tt.want)
			}
			if got == picked && labels[m.choice()] != tt.choice {
				t.Errorf("picked %q, want %q", labels[m.choice()], tt.choice)
			}
		})
	}
}

func TestViewScrollsAndClips(t *testing.T) {
	labels := []string{"a-one", "a-two", "a-three", "a-four"}
	m := newModel(labels, 2)
	press(m, "\x1b[B\x1b[B")
	v := m.view(6)
	if len(v) != 4 || v[0] != "> " || !strings.HasPrefix(v[1], "  a-t") || !strings.HasPrefix(v[2], "▸ a-t") || !strings.Contains(v[3], "4/4") {
		t.Errorf("view = %q", v)
	}
	for _, l := range v[1:3] {
		if len([]rune(l)) > 5 {
			t.Errorf("line %q is wider than the terminal", l)
		}
	}
}
