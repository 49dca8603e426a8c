package versioncheck

import (
	"strconv"
	"strings"
)

// version is a parsed semantic version; pre is the pre-release part.
type version struct {
	nums [3]int
	pre  string
}

// parse reads "v1.2.3", "1.2.3", "1.2.3-rc.1+build"; ok is false for
// anything else ("dev", a commit hash).
func parse(s string) (version, bool) {
	s = strings.TrimPrefix(s, "v")
	if i := strings.IndexByte(s, '+'); i >= 0 {
		s = s[:i]
	}
	var v version
	if i := strings.IndexByte(s, '-'); i >= 0 {
		s, v.pre = s[:i], s[i+1:]
		if v.pre == "" {
			return version{}, false
		}
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return version{}, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || (len(p) > 1 && p[0] == '0') || strings.HasPrefix(p, "+") {
			return version{}, false
		}
		v.nums[i] = n
	}
	return v, true
}

// Newer reports whether latest is a higher version than current. Either not
// being a version (a "dev" build) means no: a notice must never be wrong.
func Newer(latest, current string) bool {
	l, ok1 := parse(latest)
	c, ok2 := parse(current)
	if !ok1 || !ok2 {
		return false
	}
	return compare(l, c) > 0
}

func compare(a, b version) int {
	for i := range a.nums {
		if a.nums[i] != b.nums[i] {
			if a.nums[i] > b.nums[i] {
				return 1
			}
			return -1
		}
	}
	// A release is newer than its pre-releases (1.2.0 > 1.2.0-rc.1).
	switch {
	case a.pre == b.pre:
		return 0
	case a.pre == "":
		return 1
	case b.pre == "":
		return -1
	}
	return comparePre(a.pre, b.pre)
}

// comparePre orders pre-release identifiers as semver does: numeric ones
// numerically and below alphanumeric ones, then by length.
func comparePre(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, y := as[i], bs[i]
		xn, xerr := strconv.Atoi(x)
		yn, yerr := strconv.Atoi(y)
		switch {
		case xerr == nil && yerr == nil:
			if xn != yn {
				if xn > yn {
					return 1
				}
				return -1
			}
		case xerr == nil:
			return -1
		case yerr == nil:
			return 1
		case x != y:
			if x > y {
				return 1
			}
			return -1
		}
	}
	switch {
	case len(as) > len(bs):
		return 1
	case len(as) < len(bs):
		return -1
	}
	return 0
}
