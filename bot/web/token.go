package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"
	"unicode/utf8"
)

// tokenVersion is the first byte of every token, so the format can change
// without old links being misread.
const tokenVersion = 1

// macDomain separates these MACs from any other use of the key.
const macDomain = "duban web ledger link\x00"

// Errors of Verify. A forged or altered token is ErrInvalid, never
// ErrExpired: the expiry is only believed once the signature holds.
var (
	ErrInvalid = errors.New("invalid ledger link")
	ErrExpired = errors.New("expired ledger link")
)

// Sign returns a link token for scope (a department name, "" for the whole
// ledger) valid until exp: version, expiry and scope, followed by their
// HMAC-SHA256 under key, in URL-safe base64.
func Sign(key []byte, scope string, exp time.Time) string {
	payload := make([]byte, 9, 9+len(scope)+sha256.Size)
	payload[0] = tokenVersion
	binary.BigEndian.PutUint64(payload[1:], uint64(exp.Unix()))
	payload = append(payload, scope...)
	return base64.RawURLEncoding.EncodeToString(append(payload, mac(key, payload)...))
}

// Verify checks token against key at now and returns its scope and expiry.
func Verify(key []byte, token string, now time.Time) (scope string, exp time.Time, err error) {
	if len(key) == 0 || len(token) > 2048 {
		return "", time.Time{}, ErrInvalid
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(b) < 9+sha256.Size || b[0] != tokenVersion {
		return "", time.Time{}, ErrInvalid
	}
	payload, sum := b[:len(b)-sha256.Size], b[len(b)-sha256.Size:]
	if !hmac.Equal(sum, mac(key, payload)) {
		return "", time.Time{}, ErrInvalid
	}
	exp = time.Unix(int64(binary.BigEndian.Uint64(payload[1:9])), 0)
	scope = string(payload[9:])
	if !utf8.ValidString(scope) {
		return "", time.Time{}, ErrInvalid
	}
	if !now.Before(exp) {
		return scope, exp, ErrExpired
	}
	return scope, exp, nil
}

func mac(key, payload []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(macDomain))
	h.Write(payload)
	return h.Sum(nil)
}
