package seeds_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/duban-bureau/duban/seeds"
	"github.com/duban-bureau/duban/store"
)

// mustParseSeed parses the bundled plan and fails the test on error.
func mustParseSeed(t testing.TB) (*store.Plan, []*store.Task) {
	t.Helper()
	plan, tasks, err := seeds.Parse(seeds.Bundled(), seeds.BundledName)
	if err != nil {
		t.Fatalf("Parse(bundled): %v", err)
	}
	return plan, tasks
}

// byID indexes tasks by ID.
func byID(tasks []*store.Task) map[string]*store.Task {
	m := map[string]*store.Task{}
	for _, t := range tasks {
		m[t.ID] = t
	}
	return m
}

func TestParse_SeedPlan(t *testing.T) {
	plan, tasks := mustParseSeed(t)
	if got, want := plan.Title, "2021年大连市生态环境工作要点"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
	if plan.Year != 2021 {
		t.Errorf("Year = %d, want 2021", plan.Year)
	}
	if got, want := plan.Created, "2021-03-12 08:29:13"; got != want {
		t.Errorf("Created = %q, want %q", got, want)
	}
	if plan.Source != seeds.BundledName {
		t.Errorf("Source = %q, want %q", plan.Source, seeds.BundledName)
	}
	if !strings.HasPrefix(plan.Intro, "2021年是“十四五”开局之年") || !strings.HasSuffix(plan.Intro, "现提出如下工作安排。") {
		t.Errorf("Intro = %q", plan.Intro)
	}
	if plan.ID == "" || !strings.HasPrefix(plan.ID, "2021-") {
		t.Errorf("ID = %q, want a 2021- slug", plan.ID)
	}
	for _, task := range tasks {
		if task.PlanID != plan.ID {
			t.Errorf("%s: PlanID = %q, want %q", task.ID, task.PlanID, plan.ID)
		}
		if task.Status != store.StatusNotStarted {
			t.Errorf("%s: Status = %q, want not_started", task.ID, task.Status)
		}
		if strings.Contains(task.Text, "创建时间") || strings.Contains(task.Text, "2021-03-12") {
			t.Errorf("%s: metadata leaked into task text %q", task.ID, task.Text)
		}
	}
}

func TestParse_SeedOutline(t *testing.T) {
	got, err := seeds.Outline(seeds.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"notasks 一、总体要求",
		"indicators 二、主要目标",
		"tasks 三、加快推动绿色低碳发展",
		"tasks 四、深入打好污染防治攻坚战",
		"tasks 五、系统谋划“十四五”生态环境保护",
		"tasks 六、加快构建现代环境治理体系",
		"tasks 七、全面加强党的建设",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("outline:\ngot  %q\nwant %q", got, want)
	}
}

// TestParse_SeedStructure pins every subsection of the seed and how many
// tasks it holds, in document order.
func TestParse_SeedStructure(t *testing.T) {
	_, tasks := mustParseSeed(t)
	var got []string
	counts := map[string]int{}
	for _, task := range tasks {
		if counts[task.Section] == 0 {
			got = append(got, task.Section)
		}
		counts[task.Section]++
	}
	for i, s := range got {
		got[i] = fmt.Sprintf("%s = %d", s, counts[s])
	}
	want := []string{
		"三、加快推动绿色低碳发展 / (一)全力推进二氧化碳排放达峰行动 = 3",
		"三、加快推动绿色低碳发展 / (二)主动服务“六稳”工作、落实“六保”任务 = 5",
		"三、加快推动绿色低碳发展 / (三)积极推动结构调整与转型升级 = 3",
		"四、深入打好污染防治攻坚战 / (一)精准推进大气污染防治 = 6",
		"四、深入打好污染防治攻坚战 / (二)持续巩固水环境治理成效 = 4",
		"四、深入打好污染防治攻坚战 / (三)深入打好渤海综合治理攻坚战 = 3",
		"四、深入打好污染防治攻坚战 / (四)继续实施土壤污染防治行动 = 6",
		"四、深入打好污染防治攻坚战 / (五)持续加强生态建设 = 4",
		"五、系统谋划“十四五”生态环境保护 / (一)编制实施“十四五”生态环境保护规划 = 3",
		"五、系统谋划“十四五”生态环境保护 / (二)统筹编制生态环境保护专项规划 = 1",
		"五、系统谋划“十四五”生态环境保护 / (三)精准谋划生态环境保护项目 = 2",
		"六、加快构建现代环境治理体系 / (一)健全生态环境治理领导责任体系 = 4",
		"六、加快构建现代环境治理体系 / (二)健全生态环境治理企业责任体系 = 4",
		"六、加快构建现代环境治理体系 / (三)健全生态环境治理全民行动体系 = 6",
		"六、加快构建现代环境治理体系 / (四)健全生态环境治理监管体系 = 11",
		"六、加快构建现代环境治理体系 / (五)健全生态环境治理法律政策体系 = 3",
		"六、加快构建现代环境治理体系 / (六)强化生态环境治理支撑保障 = 6",
		"七、全面加强党的建设 / (一)坚持把党的政治建设放在首位 = 4",
		"七、全面加强党的建设 / (二)坚定不移推进全面从严治党 = 2",
		"七、全面加强党的建设 / (三)推动党建和业务深入融合 = 2",
		"七、全面加强党的建设 / (四)加强生态环境保护铁军建设 = 4",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("structure:\ngot  %q\nwant %q", got, want)
	}
	if len(tasks) != 86 {
		t.Errorf("len(tasks) = %d, want 86", len(tasks))
	}
	for _, task := range tasks {
		if strings.HasPrefix(task.ID, "1.") || strings.HasPrefix(task.ID, "2.") {
			t.Errorf("task %s in 总体要求/主要目标: %q", task.ID, task.Text)
		}
	}
}

func TestParse_SeedTasks(t *testing.T) {
	_, tasks := mustParseSeed(t)
	m := byID(tasks)
	for _, tc := range []struct{ id, text string }{
		{"3.1.1", "加强与能源、产业、交通、农业等专项规划衔接联动,落实2030年前碳排放达峰工作要求,部署开展达峰行动,2030年前二氧化碳排放达峰倒逼能源、产业结构绿色低碳转型和生态环境质量协同改善。"},
		{"3.3.3", "完成11家企业清洁生产审核,推进重点行业和重点领域绿色化改造。"},
		{"4.1.3", "完成85家挥发性有机物重点行业企业深度整治。"},
		{"4.5.3", "持续开展农村环境整治,完成16个行政村的生活污水治理、79个建制村的环境综合整治和5处农村黑臭水体整治任务。"},
		// 六(三): the title paragraph's second sentence, then the unmarked
		// paragraph after a blank line continues the subsection.
		{"6.3.1", "持续抓好信息报送和舆论宣传引导工作,政务“双微”继续保持全国重点城市前列。"},
		{"6.3.2", "组织开展六五环境日系列宣传活动。"},
		{"6.3.6", "建立健全环境信访工作长效机制,持续畅通信访及诉求渠道,妥善处理群众合理诉求。"},
		{"6.4.11", "加强重点高风险移动放射源及废旧放射源安全管理,确保全市辐射环境安全。"},
		{"6.6.6", "继续做好政务督办、政务公开、保密及后勤管理等工作。"},
		// 七(三): a line broken mid-sentence, joined across blank lines.
		{"7.3.1", "深入开展“创新实践年”活动,在生态文明建设、环境监管执法等重点领域和重点工作改革创新上破解难题、取得突破,推动全局系统党风政风和工作效能持续提升。"},
		{"7.3.2", "深入开展“中梗阻”“不作为、不担当”等作风问题专项整治,进一步规范环保行政权力运行,不断优化环保领域营商环境,持续推进干部作风转变。"},
		{"7.4.4", "进一步优化完善干部平时考核方案,实行绩效管理,激励干部担当作为。"},
	} {
		task, ok := m[tc.id]
		if !ok {
			t.Errorf("task %s missing", tc.id)
			continue
		}
		if task.Text != tc.text {
			t.Errorf("%s text:\ngot  %q\nwant %q", tc.id, task.Text, tc.text)
		}
	}
	for _, id := range []string{"3.1.4", "6.3.7", "7.3.3", "7.4.5", "3.0.1", "7.0.1"} {
		if task, ok := m[id]; ok {
			t.Errorf("unexpected task %s: %q", id, task.Text)
		}
	}
}

func TestParse_SeedIndicators(t *testing.T) {
	plan, _ := mustParseSeed(t)
	want := []store.Indicator{
		{Text: "2021年,全市生态环境质量将在“十三五”基础上继续巩固改善、稳中向好。"},
		{Text: "主要目标是全面完成省下达我市的空气质量优良天数、细颗粒物(PM2.5)年均浓度、主要河流水质优良比例、近岸海域水质优良比例等任务指标。"},
		{Text: "向主城区供水的集中式饮用水水源地水质优良比例保持100%。", Target: 100, Unit: "%"},
		{Text: "全市受污染耕地安全利用率和污染地块安全利用率达到92%以上。", Target: 92, Unit: "%"},
		{Text: "氮氧化物、挥发性有机物、化学需氧量、氨氮、重金属、全市单位国内生产总值二氧化碳排放量下降比例满足“十四五”规划时序进度要求。"},
	}
	if !reflect.DeepEqual(plan.Indicators, want) {
		t.Errorf("indicators:\ngot  %+v\nwant %+v", plan.Indicators, want)
	}
}

func TestParse_SeedTargets(t *testing.T) {
	_, tasks := mustParseSeed(t)
	want := map[string]string{"3.3.3": "11家", "4.1.3": "85家", "4.5.3": "16个"}
	for _, task := range tasks {
		got := ""
		if task.HasTarget() {
			got = fmt.Sprintf("%g%s", task.Target, task.Unit)
		}
		if got != want[task.ID] {
			t.Errorf("%s target = %q, want %q (%s)", task.ID, got, want[task.ID], task.Text)
		}
	}
}

func TestParse_SeedDeadlines(t *testing.T) {
	_, tasks := mustParseSeed(t)
	continuous := map[string]bool{
		"3.1.1": true, // 2030年前
		"3.3.1": true, "4.3.3": true, "4.4.5": true, "4.5.3": true, "6.3.1": true,
		"6.3.3": true, "6.4.8": true, "6.6.4": true, "6.6.6": true, // 持续/继续…
	}
	for _, task := range tasks {
		var want string
		switch {
		case task.ID == "6.3.2": // 六五环境日
			want = "2021-06-05"
		case continuous[task.ID]:
			want = "持续推进"
		default:
			want = "2021-12-31"
		}
		if got := store.FormatDeadline(task.Deadline, task.Cadence); got != want {
			t.Errorf("%s deadline = %q, want %q (%s)", task.ID, got, want, task.Text)
		}
		if task.Cadence != "" && task.Cadence != store.CadenceMonthly {
			t.Errorf("%s cadence = %q", task.ID, task.Cadence)
		}
	}
}

func TestParse_SeedStable(t *testing.T) {
	p1, t1 := mustParseSeed(t)
	p2, t2 := mustParseSeed(t)
	if !reflect.DeepEqual(p1, p2) || !reflect.DeepEqual(t1, t2) {
		t.Fatal("re-parsing the seed gave a different result")
	}
	seen := map[string]bool{}
	for _, task := range t1 {
		if seen[task.ID] {
			t.Errorf("duplicate ID %s", task.ID)
		}
		seen[task.ID] = true
	}
	// A trailing edit elsewhere in the document keeps earlier IDs and texts.
	doc := string(seeds.Bundled()) + "\n"
	_, t3, err := seeds.Parse([]byte(strings.Replace(doc, "创建时间:2021-03-12 08:29:13", "", 1)), "edited")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ids(t1), ids(t3)) {
		t.Errorf("IDs changed after removing metadata")
	}
}

func ids(tasks []*store.Task) []string {
	var out []string
	for _, t := range tasks {
		out = append(out, t.ID+" "+t.Text)
	}
	return out
}
