package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/internal/termtext"
)

// Output formats of the listing commands (-o).
const (
	formatTable = "table"
	formatJSON  = "json"
	formatYAML  = "yaml"
)

// addOutputFlag adds -o/--output.
func addOutputFlag(f *pflag.FlagSet, format *string) {
	f.StringVarP(format, "output", "o", formatTable, "output format: table, json or yaml")
}

// checkFormat refuses an unknown -o before any work is done.
func checkFormat(format string) error {
	switch format {
	case formatTable, formatJSON, formatYAML:
		return nil
	}
	return cli.Usagef("unknown output format %q (want table, json or yaml)", format)
}

// printList writes items (a slice) as JSON or YAML, or as a table of rows
// under header. An empty JSON or YAML list is "[]", so scripts can parse it.
func printList(w io.Writer, format string, items any, n int, header []string, rows [][]string) error {
	switch format {
	case formatJSON:
		if n == 0 {
			_, err := fmt.Fprintln(w, "[]")
			return err
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(items); err != nil {
			return err
		}
		_, err := w.Write(escapeJSON(buf.Bytes()))
		return err
	case formatYAML:
		if n == 0 {
			_, err := fmt.Fprintln(w, "[]")
			return err
		}
		enc := yaml.NewEncoder(w)
		enc.SetIndent(2)
		if err := enc.Encode(items); err != nil {
			return err
		}
		return enc.Close()
	}
	// Cells hold what AWS said (cluster names, endpoints): shown, not obeyed.
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = termtext.Clean(c)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// escapeJSON writes the C1 controls and bidi characters that encoding/json
// leaves as they are (it escapes only C0) as \uXXXX: the same JSON to a
// parser, nothing a terminal acts on. They can only be inside strings.
func escapeJSON(b []byte) []byte {
	var out bytes.Buffer
	for _, r := range string(b) {
		if r >= 0x80 && !termtext.Printable(string(r)) {
			fmt.Fprintf(&out, `\u%04x`, r)
			continue
		}
		out.WriteRune(r)
	}
	return out.Bytes()
}

// orDash shows an empty cell as "-", so columns stay aligned for awk.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
