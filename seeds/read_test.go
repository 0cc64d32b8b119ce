package seeds_test

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/seeds/docx/docxtest"
)

const smallPlan = "2022年某市生态环境工作要点\r\n一、重点任务\r\n（一）精准治气。完成10家企业整治（市生态环境局牵头，市工信局参与）。开展巡查。\r\n"

func TestReadPlanFile_Encodings(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(smallPlan))
	u16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(smallPlan))
	u16be, _ := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(smallPlan))
	for _, tc := range []struct {
		name string
		data []byte
		note string
	}{
		{"UTF8", []byte(smallPlan), ""},
		{"UTF8BOM", append([]byte{0xEF, 0xBB, 0xBF}, smallPlan...), "UTF-8 (BOM)"},
		{"GBK", gbk, "GB18030"},
		{"UTF16LE", u16le, "UTF-16"},
		{"UTF16BE", u16be, "UTF-16"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := seeds.ReadPlanFile("plan.txt", tc.data, seeds.FileOptions{})
			if err != nil {
				t.Fatalf("ReadPlanFile: %v", err)
			}
			if len(f.Tasks) != 2 || f.Tasks[0].Text != "完成10家企业整治（市生态环境局牵头，市工信局参与）。" {
				t.Fatalf("tasks:\n%s", summary(f.Tasks))
			}
			if f.Tasks[0].Lead != "市生态环境局" || f.Tasks[0].LeadSuggested || strings.Join(f.Tasks[0].CoDepts, "、") != "市工信局" {
				t.Errorf("owners = %q %v %q", f.Tasks[0].Lead, f.Tasks[0].LeadSuggested, f.Tasks[0].CoDepts)
			}
			if got := strings.Join(f.Notes, ";"); !strings.Contains(got, tc.note) || tc.note == "" && got != "" {
				t.Errorf("notes = %q, want mention of %q", got, tc.note)
			}
		})
	}
}

func TestReadPlanFile_Refusals(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"plan.pdf", []byte("%PDF-1.4"), "不支持 .pdf"},
		{"plan", []byte("x"), "无法识别文件类型"},
		{"plan.txt", []byte("\x89PNG\r\n\x1a\n\x00\x00"), "二进制"},
		{"plan.docx", []byte("not a zip"), ".docx"},
		{"plan.txt", []byte("某市工作要点\n一、重点任务\n（一）治气。开展巡查。"), "--year"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := seeds.ReadPlanFile(tc.name, tc.data, seeds.FileOptions{Soffice: "-"})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !hasHan(err.Error()) {
				t.Fatalf("err = %v, want a Chinese sentence containing %q", err, tc.want)
			}
		})
	}
	t.Run("DocWithoutSoffice", func(t *testing.T) {
		_, err := seeds.ReadPlanFile("plan.doc", []byte{0xD0, 0xCF, 0x11, 0xE0}, seeds.FileOptions{Soffice: "-"})
		if err == nil || !strings.Contains(err.Error(), "另存为 .docx") {
			t.Fatalf("err = %v, want one line asking for .docx", err)
		}
	})
	t.Run("RenamedFiles", func(t *testing.T) {
		d := &docxtest.Doc{}
		d.P("2021年某局工作要点", 0).NumP(1, 0, "重点任务", 0).NumP(1, 1, "治气。开展巡查。", 0)
		if f, err := seeds.ReadPlanFile("plan.txt", d.Bytes(), seeds.FileOptions{}); err != nil || len(f.Tasks) != 1 {
			t.Errorf("a .docx named .txt: err %v", err)
		}
		ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 64)...)
		if _, err := seeds.ReadPlanFile("plan.docx", ole, seeds.FileOptions{Soffice: "-"}); err == nil || !strings.Contains(err.Error(), "另存为 .docx") {
			t.Errorf("an old .doc named .docx: err %v, want the save-as line", err)
		}
	})
	t.Run("YearOverride", func(t *testing.T) {
		f, err := seeds.ReadPlanFile("plan.txt", []byte("某市工作要点\n一、重点任务\n（一）治气。开展巡查。6月底前完成整治。"), seeds.FileOptions{Year: 2030})
		if err != nil {
			t.Fatal(err)
		}
		if f.Plan.Year != 2030 || f.Tasks[1].Deadline.String() != "2030-06-30" {
			t.Errorf("year %d, deadline %s", f.Plan.Year, f.Tasks[1].Deadline)
		}
	})
}

func TestReadPlanFile_DocxNumbering(t *testing.T) {
	d := &docxtest.Doc{}
	d.P("2023年某区教育局工作要点", 3)
	d.NumP(1, 0, "总体要求", 0)
	d.P("坚持立德树人。", 2)
	d.NumP(1, 0, "重点任务", 2)
	d.NumP(1, 1, "推进教育均衡。新建幼儿园5所\n（区教育局负责）。", 2)
	d.NumP(1, 2, "培训教师300名。", 1)
	d.NumP(1, 2, "建立督导制度。（区督导室牵头）", 3)
	f, err := seeds.ReadPlanFile("要点.docx", d.Bytes(), seeds.FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := render(f.Plan, f.Tasks, nil)
	want := "plan: 2023年某区教育局工作要点 | 2023\n" +
		"## 二、重点任务 / （一）推进教育均衡\n" +
		"2.1.1 | 2023-12-31 | 5所 | 区教育局 |  | 新建幼儿园5所（区教育局负责）。\n" +
		"2.1.2 | 2023-12-31 | 300名 |  |  | 培训教师300名。\n" +
		"2.1.3 | 2023-12-31 |  | 区督导室 |  | 建立督导制度。（区督导室牵头）\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestReadPlanFile_DocxTaskTable(t *testing.T) {
	d := &docxtest.Doc{}
	d.P("2019年某市优化营商环境重点任务分解表", 4)
	d.Table([][]docxtest.Cell{
		{{Text: "序号"}, {Text: "工作任务"}, {Text: "牵头单位"}, {Text: "责任单位"}, {Text: "完成时限"}},
		{{Text: "一、简政放权", Span: 5}},
		{{Text: "1"}, {Text: "压减企业开办时间至3个工作日"}, {Text: "市市场监管局", Merge: "restart"}, {Text: "市公安局、市税务局"}, {Text: "2019年6月底前"}},
		{{Text: "2"}, {Text: "推行“一网通办”"}, {Merge: "continue"}, {Text: "市政务服务中心"}, {Text: "长期坚持"}},
		{{Text: "3"}, {Text: "建立企业服务专员制度，服务企业不少于100家"}, {Text: "市发展改革委、市工信局"}, {Text: ""}, {Text: "2019年上半年"}},
	})
	f, err := seeds.ReadPlanFile("分解表.docx", d.Bytes(), seeds.FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind != "list" || len(f.Rows) != 3 {
		t.Fatalf("kind %q, %d rows", f.Kind, len(f.Rows))
	}
	if f.Plan.ID == "" || f.Plan.Year != 2019 || f.Tasks[0].PlanID != f.Plan.ID {
		t.Errorf("plan %+v, task plan %q: the plan must be storable", f.Plan, f.Tasks[0].PlanID)
	}
	got := render(nil, f.Tasks, f.Skipped)
	want := "## 一、简政放权\n" +
		"1 | 2019-06-30 |  | 市市场监管局 | 市公安局、市税务局 | 压减企业开办时间至3个工作日\n" +
		"2 | 持续推进 |  | 市市场监管局 | 市政务服务中心 | 推行“一网通办”\n" +
		"3 | 2019-06-30 | 100家 | 市发展改革委 | 市工信局 | 建立企业服务专员制度，服务企业不少于100家\n" +
		"skipped: 2 | 表1的分类标题行 | 一、简政放权\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
