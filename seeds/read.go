package seeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/duban-bureau/duban/seeds/docx"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
)

// FileOptions tune ReadPlanFile.
type FileOptions struct {
	// Year overrides the plan year the document names (--year N).
	Year int
	// Soffice is the LibreOffice binary for .doc/.wps; "" looks up soffice
	// (then libreoffice) on PATH. "-" disables conversion.
	Soffice string
	// Timeout bounds a conversion; 0 means 60 s.
	Timeout time.Duration
}

// File is what a plan file held.
type File struct {
	// Kind is "plan" (a document decomposed by Parse) or "list" (a
	// 任务分解表 table in a Word file, read as a responsibility list).
	Kind  string
	Plan  *store.Plan
	Tasks []*store.Task
	// Rows are the list rows (Kind "list"), the same type store/listfile
	// produces for CSV and XLSX lists, so the import treats them alike.
	Rows []listfile.Row
	// Skipped lists every paragraph that gave no task, and why.
	Skipped []Skipped
	// Notes explain readings the user should check: the encoding found,
	// targets read from a range (lower bound kept), tables left out.
	Notes []string
	// Named counts tasks whose owners the text itself names (confirmed).
	Named int
}

// oleMagic starts the old binary Office formats (.doc, .wps, .xls).
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// MaxPlanSize bounds a plan file; Telegram's download limit is 20 MB.
const MaxPlanSize = 32 << 20

// ReadPlanFile is the one entry point for a plan file sent in chat or named
// on the command line. It picks the reader by extension: .txt/.md (any
// encoding a Chinese Windows machine writes, see DecodeText), .docx
// (paragraphs and automatic numbering; a 任务分解表 table becomes a list),
// .doc/.wps (converted with LibreOffice when it is installed, else one line
// asking for .docx). Owners are not suggested here: callers apply their own
// database's keyword map to tasks with no named lead.
func ReadPlanFile(name string, data []byte, opt FileOptions) (*File, error) {
	if len(data) > MaxPlanSize {
		return nil, fmt.Errorf("计划文件过大（超过 %d MB）", MaxPlanSize>>20)
	}
	base := filepath.Base(name)
	ext := strings.ToLower(filepath.Ext(name))
	// Trust the bytes over the name: a .txt that is a zip is a renamed
	// .docx, a .docx that starts like an OLE file is an old .doc.
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")) && ext != ".docx" && ext != ".docm":
		if _, err := docx.Read(data); err == nil {
			ext = ".docx"
		}
	case bytes.HasPrefix(data, oleMagic) && (ext == ".docx" || ext == ".txt"):
		ext = ".doc"
	}
	switch ext {
	case ".txt", ".md", ".markdown", ".text":
		text, enc, err := DecodeText(data)
		if err != nil {
			return nil, err
		}
		f, err := readText(text, base, opt)
		if err != nil {
			return nil, err
		}
		if enc != EncUTF8 {
			f.Notes = append([]string{"文件编码：" + string(enc) + "（已自动识别）"}, f.Notes...)
		}
		return f, nil
	case ".docx", ".docm":
		return readDocx(data, base, opt)
	case ".doc", ".wps", ".rtf", ".odt":
		conv, err := convert(data, ext, opt)
		if err != nil {
			return nil, err
		}
		return readDocx(conv, base, opt)
	case "":
		return nil, fmt.Errorf("无法识别文件类型“%s”：计划请用 .docx、.txt 或 .md 文件", base)
	default:
		return nil, fmt.Errorf("不支持 %s 文件：计划请用 .docx、.txt 或 .md 文件，责任清单请用 .xlsx 或 .csv", ext)
	}
}

// readText parses decoded plan text.
func readText(text, source string, opt FileOptions) (*File, error) {
	if len(strings.TrimFunc(text, isSpace)) == 0 {
		return nil, errors.New("计划文件为空")
	}
	if before, tables, ok := flatTables(text); ok && strings.TrimFunc(before, isSpace) != "" {
		if f, err := readTaskTables(tables, before, source, opt); err == nil && len(f.Tasks) > 0 {
			attach := false
			for i, para := range paragraphs(before) {
				reason := introReason(para.text)
				switch {
				case i == 0:
					reason = "标题"
				case isSignatureReason(para.text):
					attach = false
				case attach || isAttachment(para.text):
					attach, reason = true, "附件"
				}
				f.Skipped = append(f.Skipped, Skipped{Line: para.line, Text: shorten(para.text), Reason: reason})
			}
			return f, nil
		}
	}
	p, err := parseText(text, source, Options{Year: opt.Year})
	if err != nil {
		return nil, err
	}
	f := &File{Kind: "plan", Plan: p.plan, Tasks: p.tasks, Skipped: p.skipped}
	for _, id := range p.ranges {
		f.Notes = append(f.Notes, "任务 "+id+" 的目标为区间，取下限作为目标值")
	}
	for _, t := range p.tasks {
		if t.Lead != "" {
			f.Named++
		}
	}
	return f, nil
}

// readDocx reads a Word document: a 任务分解表 table makes it a list;
// otherwise its paragraphs are a plan.
func readDocx(data []byte, source string, opt FileOptions) (*File, error) {
	blocks, err := docx.Read(data)
	if err != nil {
		return nil, err
	}
	var lines []string
	var tables [][][]string
	var notes []string
	for _, b := range blocks {
		switch {
		case b.Table != nil && isTaskTable(b.Table):
			tables = append(tables, b.Table)
		case b.Table != nil:
			if len(b.Table) > 0 {
				notes = append(notes, fmt.Sprintf("文中表格（%d 行，首行“%s”）不是任务分解表，未拆分为任务", len(b.Table), shorten(strings.Join(b.Table[0], " "))))
			}
		default:
			lines = append(lines, b.Text)
		}
	}
	text := strings.Join(lines, "\n")
	if len(tables) > 0 {
		return readTaskTables(tables, text, source, opt)
	}
	if len(strings.TrimFunc(text, isSpace)) == 0 {
		return nil, errors.New("Word 文件中没有正文文字")
	}
	if strings.ContainsRune(text, 0) {
		return nil, errNotText
	}
	f, err := readText(text, source, opt)
	if err != nil {
		return nil, err
	}
	f.Notes = append(f.Notes, notes...)
	return f, nil
}

// convert turns an old binary Word/WPS file into .docx with LibreOffice in
// a temporary directory, bounded in time.
func convert(data []byte, ext string, opt FileOptions) ([]byte, error) {
	bin := opt.Soffice
	if bin == "" {
		for _, name := range []string{"soffice", "libreoffice"} {
			if p, err := exec.LookPath(name); err == nil {
				bin = p
				break
			}
		}
	}
	if bin == "" || bin == "-" {
		return nil, fmt.Errorf("不支持旧版 %s 文件：请在 Word/WPS 中另存为 .docx 后再上传", ext)
	}
	timeout := opt.Timeout
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	dir, err := os.MkdirTemp("", "duban-convert-")
	if err != nil {
		return nil, fmt.Errorf("转换 %s 文件失败：%w", ext, err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "plan"+ext)
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, fmt.Errorf("转换 %s 文件失败：%w", ext, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--headless", "--norestore", "--convert-to", "docx", "--outdir", dir, in)
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("转换 %s 文件超时（%s），请另存为 .docx 后再上传", ext, timeout)
		}
		return nil, fmt.Errorf("无法转换 %s 文件，请在 Word/WPS 中另存为 .docx 后再上传", ext)
	}
	out, err := os.ReadFile(filepath.Join(dir, "plan.docx"))
	if err != nil {
		return nil, fmt.Errorf("无法转换 %s 文件，请在 Word/WPS 中另存为 .docx 后再上传", ext)
	}
	return out, nil
}

// isSignatureReason reports whether a line is part of a signature block.
func isSignatureReason(s string) bool {
	_, ok := signature(s)
	return ok
}
