package main

import "os"

// crashPoint ends the process at once, like a power cut, when the
// DUBAN_CRASH_AT environment variable names this point. It exists for the
// crash tests, which must stop duban between receiving an update and
// handling it, a window too short to hit with a signal. Nothing is flushed
// or closed: os.Exit runs no deferred functions.
func crashPoint(name string) {
	if v := os.Getenv("DUBAN_CRASH_AT"); v != "" && v == name {
		os.Exit(86)
	}
}
