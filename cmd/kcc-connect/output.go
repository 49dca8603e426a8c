package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
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
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(items)
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
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// orDash shows an empty cell as "-", so columns stay aligned for awk.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
