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

// FuzzNames puts an arbitrary user name and command, written as JSON strings
// (valid YAML double-quoted scalars), into a block or (flow) a JSON
// kubeconfig. Such inputs are always in scope, so Inject must accept them,
// except a relative command path, which it must refuse as such; and the
// contract must hold: this probes the quoting of the values Inject writes.
// Run: go test ./pkg/injector -run '^$' -fuzz '^FuzzNames$'
func FuzzNames(f *testing.F) {
	for _, flow := range []bool{false, true} {
		f.Add("prod", "aws", flow)
		f.Add("arn:aws:eks:us-east-1:1:cluster/a b", `C:\Program Files\aws.exe`, flow)
		f.Add("yes", "on", flow)
		f.Add("line\nbreak\u2028", "#!'\"{[,", flow)
		f.Add("wrapped", "bin/kcc-cache", flow)
		f.Add("relative", "./aws", flow)
	}
	f.Fuzz(func(t *testing.T, name, command string, flow bool) {
		if command == "" {
			return // an exec without command is refused by design
		}
		// JSON encoding turns invalid UTF-8 into U+FFFD: judge the values
		// Inject will read, not the raw bytes.
		name, command = strings.ToValidUTF8(name, "\ufffd"), strings.ToValidUTF8(command, "\ufffd")
		n, c := jsonYAML(name), jsonYAML(command)
		x := "kind: Config\nusers:\n- name: " + n + "\n  user:\n    exec:\n      command: " + c + "\n      args: [x]\n"
		if flow {
			x = `{"kind": "Config", "users": [{"name": ` + n + `, "user": {"exec": {"command": ` + c + `}}}]}`
		}
		err := checkContract(t, []byte(x))
		// The command as the file holds it: JSON turns each invalid UTF-8
		// byte into U+FFFD. A wrapped user is left alone, whatever its path.
		var written string
		if uerr := json.Unmarshal([]byte(c), &written); uerr != nil {
			t.Fatalf("jsonYAML(%q) = %s, not a JSON string: %v", command, c, uerr)
		}
		relative := isRelativePath(written) && !IsCacheCommand(written)
		switch {
		case relative && (err == nil || !strings.Contains(err.Error(), "relative path")):
			t.Fatalf("relative command %q not refused as such: %v", command, err)
		case !relative && err != nil:
			t.Fatalf("Inject refused %q: %v", x, err)
		}
	})
}
