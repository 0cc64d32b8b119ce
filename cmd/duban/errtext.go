package main

import "github.com/duban-bureau/duban/bot"

// userText is an error as the command line prints it: refusals of the
// store's validation layer in Chinese sentences, the rest as they are.
func userText(err error) string { return bot.Lang("zh").ErrorText(err) }
