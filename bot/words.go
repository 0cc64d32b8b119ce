package bot

import "github.com/duban-bureau/duban/schedule/lang"

// Lang is the language of replies: "zh" (default) or "en". The catalogue
// itself lives in schedule/lang, shared with reminders, the digest and the
// command line.
type Lang = lang.Lang
