package history

import (
	"fmt"
	"strings"
	"time"
)

// DefaultLimit is how many entries a history keeps unless told otherwise
// (kconnect's figure).
const DefaultLimit = 100

// Upsert records e as used at now and moves it to the front. An entry with
// the same key (cluster, profile, role, kubeconfig) is updated in place and
// keeps its id and, unless e names one, its alias. An alias held by another
// entry moves to this one: the newest `use --alias` wins, as a kubeconfig
// context name does. It returns the stored entry.
func (f *File) Upsert(e Entry, now time.Time) Entry {
	e.LastUsed = now.UTC()
	e.ID = ""
	for i, old := range f.Entries {
		if old.key() == e.key() {
			e.ID = old.ID
			if e.Alias == "" {
				e.Alias = old.Alias
			}
			f.Entries = append(f.Entries[:i], f.Entries[i+1:]...)
			break
		}
	}
	if e.ID == "" {
		e.ID = f.newID(e.key())
	}
	if e.Alias != "" {
		for i := range f.Entries {
			if f.Entries[i].Alias == e.Alias {
				f.Entries[i].Alias = ""
			}
		}
	}
	f.Entries = append([]Entry{e}, f.Entries...)
	return e
}

// newID is the key's digest cut to idLength hex digits, longer while it
// clashes with an id already taken (or with an alias, which `to` would
// otherwise have to choose between).
func (f *File) newID(key string) string {
	d := digest(key)
	for n := idLength; n < len(d); n += 2 {
		if !f.taken(d[:n]) {
			return d[:n]
		}
	}
	return d
}

func (f *File) taken(s string) bool {
	for _, e := range f.Entries {
		if e.ID == s || e.Alias == s {
			return true
		}
	}
	return false
}

// Trim keeps the newest limit entries (DefaultLimit when limit is 0) and
// forgets current or previous when they fall out.
func (f *File) Trim(limit int) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	if len(f.Entries) > limit {
		f.Entries = f.Entries[:limit]
	}
	if _, ok := f.index(f.Current); !ok {
		f.Current = ""
	}
	if _, ok := f.index(f.Previous); !ok {
		f.Previous = ""
	}
}

// MakeCurrent notes that id's context was made the current one; the entry
// that was current becomes the previous one, so `to -` twice goes back and
// forth like `cd -`.
func (f *File) MakeCurrent(id string) {
	if f.Current == id {
		return
	}
	f.Previous, f.Current = f.Current, id
}

// Find resolves a reference: "-" (the previous entry), an id, an alias, or
// a prefix of at least 4 digits that only one id starts with.
func (f *File) Find(ref string) (Entry, error) {
	if ref == "-" {
		if f.Previous == "" {
			return Entry{}, fmt.Errorf("no previous entry: `kcc-connect to -` goes back to the entry made current before the last one: %w", ErrNotFound)
		}
		ref = f.Previous
	}
	if i, ok := f.index(ref); ok {
		return f.Entries[i], nil
	}
	for _, e := range f.Entries {
		if e.Alias == ref {
			return e, nil
		}
	}
	if len(ref) >= 4 {
		var found []Entry
		for _, e := range f.Entries {
			if strings.HasPrefix(e.ID, ref) {
				found = append(found, e)
			}
		}
		if len(found) == 1 {
			return found[0], nil
		}
		if len(found) > 1 {
			return Entry{}, fmt.Errorf("%q is the start of %d history ids; give more digits", ref, len(found))
		}
	}
	return Entry{}, fmt.Errorf("%q is neither an id nor an alias in the history (see kcc-connect history): %w", ref, ErrNotFound)
}

// SetAlias gives the entry ref names the alias. An alias held by another
// entry is an error here (unlike Upsert): the user asked for this one by
// hand and should choose, with `alias rm`, which entry loses it.
func (f *File) SetAlias(alias, ref string) (Entry, error) {
	if err := ValidateAlias(alias); err != nil {
		return Entry{}, err
	}
	e, err := f.Find(ref)
	if err != nil {
		return Entry{}, err
	}
	for _, o := range f.Entries {
		if o.ID == alias && o.ID != e.ID {
			return Entry{}, fmt.Errorf("alias %s is the id of another entry; choose another name", alias)
		}
		if o.Alias == alias && o.ID != e.ID {
			return Entry{}, fmt.Errorf("alias %s already names entry %s; remove it first with `kcc-connect alias rm %s`", alias, o.ID, alias)
		}
	}
	i, _ := f.index(e.ID)
	f.Entries[i].Alias = alias
	return f.Entries[i], nil
}

// RemoveAlias takes the alias off the entry that has it.
func (f *File) RemoveAlias(alias string) (Entry, error) {
	for i, e := range f.Entries {
		if e.Alias == alias {
			f.Entries[i].Alias = ""
			return e, nil
		}
	}
	return Entry{}, fmt.Errorf("no entry has the alias %q (see kcc-connect alias ls): %w", alias, ErrNotFound)
}

// Aliased lists the entries that have an alias, in history order.
func (f *File) Aliased() []Entry {
	var out []Entry
	for _, e := range f.Entries {
		if e.Alias != "" {
			out = append(out, e)
		}
	}
	return out
}

func (f *File) index(id string) (int, bool) {
	if id == "" {
		return 0, false
	}
	for i, e := range f.Entries {
		if e.ID == id {
			return i, true
		}
	}
	return 0, false
}
