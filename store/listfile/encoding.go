package listfile

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// Encoding names what DecodeText found, for a preview ("GB18030/GBK").
type Encoding string

// The encodings a Chinese Windows machine saves text in.
const (
	EncUTF8    Encoding = "UTF-8"
	EncUTF8BOM Encoding = "UTF-8 (BOM)"
	EncUTF16   Encoding = "UTF-16"
	EncGB18030 Encoding = "GB18030/GBK"
)

// Why DecodeText refused a file; callers say it in their own sentence
// (a list's CSV, a plan's text).
var (
	ErrBadUTF8         = errors.New("marked UTF-8 (BOM) but not valid UTF-8")
	ErrBadUTF16        = errors.New("invalid UTF-16")
	ErrUnknownEncoding = errors.New("neither UTF-8, GB18030/GBK nor UTF-16 with a BOM")
	ErrBinary          = errors.New("binary content, not text")
)

// DecodeText turns text saved by Notepad, WPS, Word ("纯文本") or Excel
// ("CSV", "CSV UTF-8", "Unicode 文本") into UTF-8 without asking: UTF-8
// with or without a BOM, UTF-16 with a BOM (LE or BE), and otherwise
// GB18030 (a superset of GBK and GB2312). Line endings are left as they
// are. Binary content (a picture sent by mistake) is refused rather than
// read into nonsense: NUL and control characters other than tab, line
// breaks and form feeds, and DEL.
func DecodeText(data []byte) (string, Encoding, error) {
	var (
		text string
		enc  Encoding
	)
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		if !utf8.Valid(data[len(bomUTF8):]) {
			return "", "", ErrBadUTF8
		}
		text, enc = string(data[len(bomUTF8):]), EncUTF8BOM
	case bytes.HasPrefix(data, bomUTF16LE), bytes.HasPrefix(data, bomUTF16BE):
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", "", ErrBadUTF16
		}
		text, enc = string(b), EncUTF16
	case utf8.Valid(data):
		text, enc = string(data), EncUTF8
	default:
		if bytes.IndexByte(data, 0) >= 0 {
			return "", "", ErrBinary
		}
		b, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(b, utf8.RuneError) {
			return "", "", ErrUnknownEncoding
		}
		text, enc = string(b), EncGB18030
	}
	line := 1
	for _, r := range text {
		if r == '\n' {
			line++
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' && r != '\v' || r == 0x7F {
			return "", "", &ControlError{Line: line, Rune: r}
		}
	}
	return text, enc, nil
}

// ControlError is ErrBinary (errors.Is) for text that decoded but holds a
// control character: the line (counted in the file, from 1) and the
// character, so a refusal can say where, as for any other bad cell.
type ControlError struct {
	Line int
	Rune rune
}

func (e *ControlError) Error() string {
	return fmt.Sprintf("control character U+%04X on line %d: %v", e.Rune, e.Line, ErrBinary)
}

// Is makes errors.Is(err, ErrBinary) hold.
func (e *ControlError) Is(target error) bool { return target == ErrBinary }
