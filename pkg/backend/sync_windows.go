package backend

// Windows cannot open a directory for Sync, and rename there is already
// durable once MoveFileEx returns.
func syncDir(string) {}

// Chmod on Windows only toggles the read-only bit; never treat it as fatal.
func isUnsupported(error) bool { return true }
