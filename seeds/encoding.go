package seeds

import (
	"bytes"
	"errors"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// Encoding names what DecodeText found, for the preview ("GB18030 编码").
type Encoding string

// The encodings a Chinese Windows machine saves text in.
const (
	EncUTF8    Encoding = "UTF-8"
	EncUTF8BOM Encoding = "UTF-8 (BOM)"
	EncUTF16   Encoding = "UTF-16"
	EncGB18030 Encoding = "GB18030/GBK"
)

// DecodeText turns a plan saved by Notepad, WPS or Word ("纯文本") into
// UTF-8 without asking: UTF-8 with or without BOM, UTF-16 with a BOM (LE or
// BE), and otherwise GB18030 (a superset of GBK and GB2312). CRLF is left to
// the paragraph splitter. Binary junk (a picture sent by mistake) is refused
// with one sentence rather than parsed into nonsense.
func DecodeText(data []byte) (string, Encoding, error) {
	var (
		text string
		enc  Encoding
	)
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		if !utf8.Valid(data[3:]) {
			return "", "", errors.New("计划文件标明为 UTF-8 编码，但内容不是有效的 UTF-8")
		}
		text, enc = string(data[3:]), EncUTF8BOM
	case bytes.HasPrefix(data, bomUTF16LE), bytes.HasPrefix(data, bomUTF16BE):
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", "", errors.New("计划文件的 UTF-16 编码有误")
		}
		text, enc = string(b), EncUTF16
	case utf8.Valid(data):
		text, enc = string(data), EncUTF8
	default:
		if bytes.IndexByte(data, 0) >= 0 {
			return "", "", errNotText
		}
		b, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(b, utf8.RuneError) {
			return "", "", errors.New("无法识别计划文件的编码（应为 UTF-8、GBK/GB18030 或带 BOM 的 UTF-16）")
		}
		text, enc = string(b), EncGB18030
	}
	for _, r := range text {
		if r == 0 || (r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' && r != '\v') {
			return "", "", errNotText
		}
	}
	return text, enc, nil
}

var errNotText = errors.New("计划文件不是文本文件（含有二进制内容），请提供 .docx、.txt 或 .md 文件")
