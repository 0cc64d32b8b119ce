package bot

import "unicode/utf8"

// maxRefusalRunes keeps a refusal in one Telegram message (4,096
// characters) even when it quotes a huge argument: /task with a
// 300k-character ID was answered in 74 messages.
const maxRefusalRunes = 3500

// oneMessage shortens a refusal longer than maxRefusalRunes, keeping its
// beginning and its end (where the sentence says what to do).
func oneMessage(s string) string {
	if utf8.RuneCountInString(s) <= maxRefusalRunes {
		return s
	}
	r := []rune(s)
	return string(r[:3000]) + "……" + string(r[len(r)-200:])
}
