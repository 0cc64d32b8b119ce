package seeds_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/store"
)

func TestParseDeptFile(t *testing.T) {
	depts, m, err := seeds.ParseDeptFile("\ufeff# 某市教育局\r\n办公室\r\n基础教育科: 幼儿园, 义务教育、中小学\r\n督导室：督导\r\n办公室\r\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(depts, ","); got != "办公室,基础教育科,督导室" {
		t.Errorf("depts = %s", got)
	}
	if d, ok := m.Suggest("新建幼儿园5所"); !ok || d != "基础教育科" {
		t.Errorf("Suggest = %q %v", d, ok)
	}
	for _, bad := range []string{"", "# only a comment\n", "：关键词\n", "甲: 词\n乙: 词\n"} {
		if _, _, err := seeds.ParseDeptFile(bad); err == nil {
			t.Errorf("ParseDeptFile(%q): no error", bad)
		}
	}
}

func TestApplyDeptFile_NoDalianGuesses(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "d.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *store.Tx) error {
		for _, d := range seeds.Departments() {
			if err := tx.AddDepartment(d); err != nil {
				return err
			}
		}
		res, err := seeds.ApplyDeptFile(tx, "办公室\n基础教育科: 幼儿园\n")
		if err != nil {
			return err
		}
		if strings.Join(res.Added, ",") != "基础教育科" || len(res.Removed) != len(seeds.Departments())-1 {
			t.Errorf("result %+v", res)
		}
		tasks := []*store.Task{
			{ID: "1.1.1", Text: "新建幼儿园5所。"},
			{ID: "1.1.2", Text: "开展大气污染防治。"}, // a Dalian keyword: 大气
			{ID: "1.1.3", Text: "做好宣传。", Lead: "宣传科"},
		}
		seeds.OwnersFor(tx.Setting(seeds.OwnersSetting)).SuggestKnown(tasks, tx.DepartmentNames())
		if tasks[0].Lead != "基础教育科" || !tasks[0].LeadSuggested {
			t.Errorf("1.1.1 lead %q", tasks[0].Lead)
		}
		if tasks[1].Lead != "" {
			t.Errorf("1.1.2 got a guessed lead %q; want none", tasks[1].Lead)
		}
		if tasks[2].Lead != "宣传科" || tasks[2].LeadSuggested {
			t.Errorf("named lead changed: %q", tasks[2].Lead)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
