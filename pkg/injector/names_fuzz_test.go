package injector

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// jsonYAML encodes s as JSON and escapes what JSON leaves raw but YAML
// forbids (DEL, C1 controls, BOM, U+FFFE, U+FFFF), so the text is both.
func jsonYAML(s string) string {
	j, _ := json.Marshal(s)
	return strings.NewReplacer(replacements()...).Replace(string(j))
}

func replacements() []string {
	var r []string
	for c := rune(0x7f); c <= 0x9f; c++ {
		r = append(r, string(c), fmt.Sprintf(`\u%04x`, c))
	}
	for _, c := range []rune{0xfeff, 0xfffe, 0xffff} {
		r = append(r, string(c), fmt.Sprintf(`\u%04x`, c))
	}
	return r
}

// FuzzNames puts arbitrary user names and commands, written as JSON strings
// (valid YAML double-quoted scalars), into block and flow kubeconfigs. Such
// inputs are always in scope, so Inject must accept them, and the contract
// must hold: this probes the quoting of the values Inject writes.
// Run: go test ./pkg/injector -fuzz FuzzNames
func FuzzNames(f *testing.F) {
	f.Add("prod", "aws")
	f.Add("arn:aws:eks:us-east-1:1:cluster/a b", `C:\Program Files\aws.exe`)
	f.Add("yes", "on")
	f.Add("line\nbreak\u2028", "#!'\"{[,")
	f.Fuzz(func(t *testing.T, name, command string) {
		if command == "" {
			return // an exec without command is refused by design
		}
		n, c := jsonYAML(name), jsonYAML(command)
		for _, x := range []string{
			"kind: Config\nusers:\n- name: " + string(n) + "\n  user:\n    exec:\n      command: " + string(c) + "\n      args: [x]\n",
			`{"kind": "Config", "users": [{"name": ` + string(n) + `, "user": {"exec": {"command": ` + string(c) + `}}}]}`,
		} {
			if !checkProperty(t, []byte(x)) {
				_, err := Inject([]byte(x), Options{})
				if IsCacheCommand(command) {
					continue // already wrapped: nothing to check
				}
				if isRelativePath(command) {
					if err == nil || !strings.Contains(err.Error(), "relative path") {
						t.Fatalf("relative command %q not refused as such: %v", command, err)
					}
					continue // refused by design
				}
				t.Fatalf("Inject refused %q: %v", x, err)
			}
		}
	})
}
