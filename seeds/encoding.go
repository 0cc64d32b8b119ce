package seeds

import (
	"errors"

	"github.com/duban-bureau/duban/store/listfile"
)

// Encoding names what DecodeText found, for the preview ("GB18030 编码").
type Encoding = listfile.Encoding

// The encodings a Chinese Windows machine saves text in.
const (
	EncUTF8    = listfile.EncUTF8
	EncUTF8BOM = listfile.EncUTF8BOM
	EncUTF16   = listfile.EncUTF16
	EncGB18030 = listfile.EncGB18030
)

// DecodeText turns a plan saved by Notepad, WPS or Word ("纯文本") into
// UTF-8 without asking (listfile.DecodeText, which list files use too),
// with the refusal said of a plan file.
func DecodeText(data []byte) (string, Encoding, error) {
	text, enc, err := listfile.DecodeText(data)
	switch {
	case err == nil:
		return text, enc, nil
	case errors.Is(err, listfile.ErrBadUTF8):
		return "", "", errors.New("计划文件标明为 UTF-8 编码，但内容不是有效的 UTF-8")
	case errors.Is(err, listfile.ErrBadUTF16):
		return "", "", errors.New("计划文件的 UTF-16 编码有误")
	case errors.Is(err, listfile.ErrBinary):
		return "", "", errNotText
	}
	return "", "", errors.New("无法识别计划文件的编码（应为 UTF-8、GBK/GB18030 或带 BOM 的 UTF-16）")
}

var errNotText = errors.New("计划文件不是文本文件（含有二进制内容），请提供 .docx、.txt 或 .md 文件")
