package seeds_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/store"
)

// mustParse parses doc and fails the test on error.
func mustParse(t *testing.T, doc string) (*store.Plan, []*store.Task) {
	t.Helper()
	plan, tasks, err := seeds.Parse([]byte(doc), "test.txt")
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, doc)
	}
	return plan, tasks
}

// summary renders tasks as "ID|Section|Text" lines for exact comparison.
func summary(tasks []*store.Task) string {
	var b strings.Builder
	for _, t := range tasks {
		fmt.Fprintf(&b, "%s|%s|%s\n", t.ID, t.Section, t.Text)
	}
	return b.String()
}

func TestParse_Punctuation(t *testing.T) {
	doc := "2022年某市生态环境工作要点\r\n\r\n" +
		"\u00a0\r\n\u3000\u3000\r\n" +
		"一、总体要求\r\n坚持精准治污。不是任务。\r\n" +
		"三、推进绿色发展\r\n\u00a0\u00a0本节引言,不是任务。\r\n" +
		"（一）推进减污降碳。完成10家企业整治;开展培训！推进“试点。示范”工作？落实《条例；细则》。\r\n" +
		"\u00a0\r\n" +
		"继续开展巡查。\r\n" +
		"（二）推进治理\r\n" +
		"完成5处整治。\r\n" +
		"创建时间：2022-01-05 10:00:00"
	plan, tasks := mustParse(t, doc)
	want := "3.1.1|三、推进绿色发展 / （一）推进减污降碳|完成10家企业整治;\n" +
		"3.1.2|三、推进绿色发展 / （一）推进减污降碳|开展培训！\n" +
		"3.1.3|三、推进绿色发展 / （一）推进减污降碳|推进“试点。示范”工作？\n" +
		"3.1.4|三、推进绿色发展 / （一）推进减污降碳|落实《条例；细则》。\n" +
		"3.1.5|三、推进绿色发展 / （一）推进减污降碳|继续开展巡查。\n" +
		"3.2.1|三、推进绿色发展 / （二）推进治理|完成5处整治。\n"
	if got := summary(tasks); got != want {
		t.Errorf("tasks:\ngot\n%s\nwant\n%s", got, want)
	}
	if plan.Created != "2022-01-05 10:00:00" || plan.Year != 2022 {
		t.Errorf("Created = %q, Year = %d", plan.Created, plan.Year)
	}
	if tasks[5].Target != 5 || tasks[5].Unit != "处" {
		t.Errorf("3.2.1 target = %v%s, want 5处", tasks[5].Target, tasks[5].Unit)
	}
}

func TestParse_Markdown(t *testing.T) {
	doc := "# 2023年某市生态环境工作要点\n\n" +
		"为做好全年工作,提出如下安排。\n\n" +
		"## 一、主要目标\n\n- 空气质量优良天数比例达到85.5%。\n- 水质优良比例保持100％。\n\n" +
		"## 二、深入打好污染防治攻坚战\n\n" +
		"### **(一)精准治气。**\n\n" +
		"1. 完成20家企业**深度**治理。\n" +
		"2. 6月底前完成\n" +
		"臭氧攻坚方案。\n\n" +
		"---\n\n" +
		"**（二）巩固治水。** 推进入河排污口整治。\n" +
		"### 附:重点项目\n" +
		"发布时间:2023-02-01\n"
	plan, tasks := mustParse(t, doc)
	if plan.Title != "2023年某市生态环境工作要点" || plan.Intro != "为做好全年工作,提出如下安排。" {
		t.Errorf("Title = %q, Intro = %q", plan.Title, plan.Intro)
	}
	want := "2.1.1|二、深入打好污染防治攻坚战 / (一)精准治气|完成20家企业深度治理。\n" +
		"2.1.2|二、深入打好污染防治攻坚战 / (一)精准治气|6月底前完成臭氧攻坚方案。\n" +
		"2.2.1|二、深入打好污染防治攻坚战 / （二）巩固治水|推进入河排污口整治。\n"
	if got := summary(tasks); got != want {
		t.Errorf("tasks:\ngot\n%s\nwant\n%s", got, want)
	}
	if got := fmt.Sprint(plan.Indicators); got != "[{空气质量优良天数比例达到85.5%。 85.5 %} {水质优良比例保持100％。 100 %}]" {
		t.Errorf("indicators = %s", got)
	}
	if got := tasks[1].Deadline.String(); got != "2023-06-30" {
		t.Errorf("2.1.2 deadline = %q, want 2023-06-30", got)
	}
	if plan.Created != "2023-02-01" {
		t.Errorf("Created = %q", plan.Created)
	}
}

func TestParse_Hints(t *testing.T) {
	for _, tc := range []struct {
		text     string
		deadline string // FormatDeadline form
		target   string
	}{
		{"6月底前完成方案编制。", "2021-06-30", ""},
		{"9月30日前完成验收。", "2021-09-30", ""},
		{"年底前建成3座污水处理厂。", "2021-12-31", "3座"},
		{"上半年完成排查。", "2021-06-30", ""},
		{"三季度末前完成12项整改。", "2021-09-30", "12项"},
		{"组织开展六五环境日活动。", "2021-06-05", ""},
		{"落实2030年前碳达峰要求。", "持续推进", ""},
		{"2021年底前完成整治。", "2021-12-31", ""},
		{"持续推进整治,6月底前完成验收。", "2021-06-30", ""},
		{"持续开展专项检查。", "持续推进", ""},
		{"常态化开展巡查。", "持续推进", ""},
		{"建立健全长效机制。", "2021-12-31", ""},
		{"巩固截至2020年底的成果。", "2021-12-31", ""},
		{"以8条河流达标为核心制定方案。", "2021-12-31", ""},
		{"落实财务管理4个办法。", "2021-12-31", ""},
		{"开展纪念建党100周年活动。", "2021-12-31", ""},
		{"确保PM2.5浓度达到35。", "2021-12-31", ""},
		{"完成第2个试点,新增造林1.5万亩。", "2021-12-31", "1.5万亩"},
		{"完成16个行政村、79个建制村和5处整治。", "2021-12-31", "16个"},
		{"削减排放量达到2万吨。", "2021-12-31", "2万吨"},
	} {
		doc := "2021年测试工作要点\n三、任务\n(一)标题。" + tc.text
		_, tasks := mustParse(t, doc)
		if len(tasks) != 1 {
			t.Fatalf("%s: %d tasks", tc.text, len(tasks))
		}
		task := tasks[0]
		if got := store.FormatDeadline(task.Deadline, task.Cadence); got != tc.deadline {
			t.Errorf("%s: deadline = %q, want %q", tc.text, got, tc.deadline)
		}
		got := ""
		if task.HasTarget() {
			got = fmt.Sprintf("%g%s", task.Target, task.Unit)
		}
		if got != tc.target {
			t.Errorf("%s: target = %q, want %q", tc.text, got, tc.target)
		}
	}
}

func TestParse_Structure(t *testing.T) {
	t.Run("HeadingOnlySubsection", func(t *testing.T) {
		_, tasks := mustParse(t, "2021年要点\n三、治气\n(一)推进大气治理\n完成10家企业整治。\n开展巡查。")
		want := "3.1.1|三、治气 / (一)推进大气治理|完成10家企业整治。\n3.1.2|三、治气 / (一)推进大气治理|开展巡查。\n"
		if got := summary(tasks); got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("ColonTitle", func(t *testing.T) {
		_, tasks := mustParse(t, "2021年要点\n三、治气\n（一）精准治气：完成10家企业整治；开展巡查。\n(二)08:30开会。")
		want := "3.1.1|三、治气 / （一）精准治气|完成10家企业整治；\n3.1.2|三、治气 / （一）精准治气|开展巡查。\n"
		if got := summary(tasks); got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("HighNumerals", func(t *testing.T) {
		_, tasks := mustParse(t, "2021年要点\n十二、其他\n（十一）第十一项。开展工作。\n二十三、更多\n(二十)标题。任务甲。")
		if got := summary(tasks); got != "12.11.1|十二、其他 / （十一）第十一项|开展工作。\n23.20.1|二十三、更多 / (二十)标题|任务甲。\n" {
			t.Errorf("got\n%s", got)
		}
	})
	t.Run("UnbalancedBrackets", func(t *testing.T) {
		_, tasks := mustParse(t, "2021年要点\n三、治气\n(一)标题。推进(未闭合工作。开展巡查。")
		if len(tasks) != 2 || tasks[1].Text != "开展巡查。" {
			t.Errorf("got\n%s", summary(tasks))
		}
	})
	t.Run("MetadataGlued", func(t *testing.T) {
		plan, tasks := mustParse(t, "2021年要点\n三、治气\n(一)标题。开展巡查。创建时间:2021-03-12 08:29:13")
		if plan.Created != "2021-03-12 08:29:13" || len(tasks) != 1 || tasks[0].Text != "开展巡查。" {
			t.Errorf("Created = %q, tasks\n%s", plan.Created, summary(tasks))
		}
	})
	t.Run("YearFromCreated", func(t *testing.T) {
		plan, _ := mustParse(t, "某市工作要点\n三、治气\n(一)标题。开展巡查。\n创建时间:2024-03-12 08:29:13")
		if plan.Year != 2024 {
			t.Errorf("Year = %d, want 2024", plan.Year)
		}
	})
}

func TestParse_Errors(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"Empty", "", "为空"},
		{"Blank", " \n\u00a0\n\u3000\n", "为空"},
		{"Binary", "\x00\x01\x02PK\x03\x04", "二进制"},
		{"InvalidUTF8", "2021\xc4\xea\xb9\xa4\xd7\xf7\xd2\xaa\xb5\xe3", "UTF-8"},
		{"NoSections", "2021年工作要点\n做好各项工作。", "未找到任何章节"},
		{"NoTitle", "一、总体要求\n(一)标题。任务。", "缺少标题"},
		{"NoYear", "某市工作要点\n三、治气\n(一)标题。开展巡查。", "年度"},
		{"NoTasks", "2021年工作要点\n一、总体要求\n坚持。\n二、主要目标\n达到90%。", "未找到任何任务"},
		{"Duplicate", "2021年工作要点\n三、治气\n(一)标题。甲。\n三、治水\n(一)标题。乙。", "重复"},
		{"OnlyMeta", "创建时间:2021-03-12", "没有标题"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan, tasks, err := seeds.Parse([]byte(tc.doc), "bad.txt")
			if err == nil {
				t.Fatalf("no error; plan %+v, %d tasks", plan, len(tasks))
			}
			if !strings.Contains(err.Error(), tc.want) || !hasHan(err.Error()) {
				t.Errorf("error = %q, want Chinese message containing %q", err, tc.want)
			}
			if plan != nil || tasks != nil {
				t.Errorf("got plan/tasks with an error")
			}
		})
	}
}

// hasHan reports whether s holds a Chinese character: user errors are Chinese.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
