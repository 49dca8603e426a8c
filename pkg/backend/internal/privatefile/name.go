package privatefile

// ValidName accepts the names a file of ours may have under a cache key
// (an entry, an item hint): letters, digits, '-' and '_' (the cache's keys
// are hex), never a dot or a separator.
func ValidName(key string) bool {
	if key == "" || len(key) > 128 {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
