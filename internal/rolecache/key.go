package rolecache

import (
	"crypto/sha1"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Params are the AssumeRole arguments botocore puts in the cache key: those
// the profile (or --role-arn) sets, and nothing it generates. An empty
// field, or a zero DurationSeconds, is left out of the key as botocore
// leaves out an argument it does not send.
type Params struct {
	RoleARN         string
	RoleSessionName string // only when configured, not a generated one
	ExternalID      string
	MFASerial       string
	SourceIdentity  string
	DurationSeconds int32
	// CallerKeyID is the access key id that calls AssumeRole, for sessions
	// the CLI never caches (kcc-eks --role-arn): the same role asked for
	// with another profile's credentials must not get this one's session.
	// Empty for profile roles, whose key is botocore's.
	CallerKeyID string
}

// Key is botocore's cache key (BaseAssumeRoleCredentialFetcher.
// _create_cache_key): the hex SHA-1 of json.dumps(args, sort_keys=True) of
// the call's arguments, with Python's default separators and ASCII escapes,
// so that kcc-eks, kcc-connect and the AWS CLI find each other's sessions.
func Key(p Params) string {
	args := map[string]string{}
	put := func(name, v string) {
		if v != "" {
			args[name] = pyString(v)
		}
	}
	put("RoleArn", p.RoleARN)
	put("RoleSessionName", p.RoleSessionName)
	put("ExternalId", p.ExternalID)
	put("SerialNumber", p.MFASerial)
	put("SourceIdentity", p.SourceIdentity)
	put("kcc:CallerAccessKeyId", p.CallerKeyID)
	if p.DurationSeconds != 0 {
		args["DurationSeconds"] = strconv.Itoa(int(p.DurationSeconds))
	}
	names := make([]string, 0, len(args))
	for name := range args {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteByte('{')
	for i, name := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pyString(name))
		b.WriteString(": ")
		b.WriteString(args[name])
	}
	b.WriteByte('}')
	sum := sha1.Sum([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// pyString is a JSON string as Python's json.dumps writes it with
// ensure_ascii: short escapes for the usual controls, \u00XX for the other
// controls and \uXXXX (UTF-16, lower-case hex) for anything not ASCII.
func pyString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || r > 0x7e:
			for _, u := range utf16.Encode([]rune{r}) {
				b.WriteString(`\u`)
				h := strconv.FormatUint(uint64(u), 16)
				b.WriteString(strings.Repeat("0", 4-len(h)) + h)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
