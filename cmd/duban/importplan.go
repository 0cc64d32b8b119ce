package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/seeds/intake"
	"github.com/duban-bureau/duban/store"
	"github.com/duban-bureau/duban/store/listfile"
)

// writeDecomposed writes the tasks a file was decomposed into as the
// responsibility-list XLSX (import --dry-run -o FILE.xlsx), so a coordinator
// checks the split in Excel before importing. path "" writes nothing.
func writeDecomposed(path string, l *intake.Import) error {
	if path == "" {
		return nil
	}
	if f, err := listfile.FormatOf(path); err != nil || f != listfile.XLSX {
		return usagef("-o 应为 .xlsx 文件：%s", path)
	}
	data, err := l.Workbook()
	if err != nil {
		return fmt.Errorf("写入 %s: %w", path, err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("写入 %s: %w", path, err)
	}
	return nil
}

// describeSkipped lists every paragraph of a plan document that gave no
// task, with the reason, and the readings to check (issue 10: nothing is
// dropped silently).
func describeSkipped(w *strings.Builder, l *intake.Import) {
	if l.Kind != intake.KindPlan {
		return
	}
	if l.Named > 0 {
		fmt.Fprintf(w, "文中写明牵头单位的任务：%d 项（已确认）\n", l.Named)
	}
	for _, n := range l.Notes {
		fmt.Fprintf(w, "注意：%s\n", n)
	}
	if len(l.Skipped) == 0 {
		return
	}
	fmt.Fprintf(w, "未拆为任务的段落（%d 段）：\n", len(l.Skipped))
	for _, s := range l.Skipped {
		fmt.Fprintf(w, "  第%d行 [%s] %s\n", s.Line, s.Reason, s.Text)
	}
}

// importDepts replaces the department list and keyword map with a bureau's
// own file (duban depts import FILE); see seeds.ApplyDeptFile.
func importDepts(env *Env, db *store.DB, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("读取 %s: %w", path, err)
	}
	text, _, err := seeds.DecodeText(data)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var res seeds.DeptFileResult
	if err := db.Update(func(tx *store.Tx) error {
		res, err = seeds.ApplyDeptFile(tx, text)
		return err
	}); err != nil {
		return fmt.Errorf("导入单位文件 %s 失败，未做任何修改：%w", path, err)
	}
	fmt.Fprintf(env.Stdout, "已导入单位文件：新增 %d 个单位，移除 %d 个未使用的单位，关键词 %d 个\n", len(res.Added), len(res.Removed), res.Keywords)
	if len(res.Kept) > 0 {
		fmt.Fprintf(env.Stdout, "仍有任务的单位未移除：%s\n", strings.Join(res.Kept, "、"))
	}
	return nil
}
