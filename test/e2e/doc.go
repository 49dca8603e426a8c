// Package e2e holds the end-to-end tests of kcc-cache (issue 3, "Must show").
//
// The tests build cmd/kcc-cache once, write a kubeconfig per test whose exec
// user runs kcc-cache in front of a test plugin, and run the real kubectl from
// PATH against an in-test TLS API server. The test plugin is this test binary
// re-executed with KCC_E2E_PLUGIN=1 (see plugin_test.go); it counts its runs in
// a file, so every test asserts how often the plugin really ran.
//
// Every test runs with the file backend, and with the keyring backend too when
// KCC_E2E_BACKENDS lists it (e.g. KCC_E2E_BACKENDS=file,keyring inside a
// dbus-run-session with an unlocked gnome-keyring).
//
//	go test ./test/e2e/...
package e2e
