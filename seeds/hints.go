package seeds

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// reCount finds a count: a number followed by a measure word. Years, months
// and days (2021年, 6月, 30日) are not counts because 年/月/日 are not in the
// list; neither are 周年 or 度 (建党100周年, 2020度公报). Longer units come
// first so 万吨 wins over 吨 and 平方公里 over 公里.
var reCount = regexp.MustCompile(`(\d+(?:\.\d+)?)\s*(万吨|万亩|万名|万人|亿元|万元|平方公里|公里|km|KM|吨|亩|%|％|家|个|处|条|项|座|台|所|辆|套|户|艘|场次|人次|次|名|人)`)

// countVerbs are the verbs that make a count a target: the count must follow
// one of them in the same clause (since the last comma). This keeps context
// numbers out — "以8条国考河流水质达标为核心" and "落实财务管理4个办法" name
// things, they are not amounts to complete.
var countVerbs = []string{
	"完成", "达到", "保持", "建成", "建设", "新建", "新增", "实现", "整治", "治理",
	"改造", "创建", "淘汰", "关停", "取缔", "削减", "减少", "降低", "下降", "提高",
	"提升", "不低于", "不少于", "超过", "高于", "低于", "控制在", "开展", "检查",
	"核查", "审核", "排查", "修复", "覆盖", "培训", "达",
	// Talent and funding plans (issue 10): 引进100名, 资助200名, 安排5亿元.
	"建立", "引进", "培养", "选拔", "资助", "遴选", "安排", "扶持", "选派", "评选", "认定", "筹集", "服务", "投入", "设立", "支持", "举办", "增长",
}

// verbReach bounds how far before a count its verb may stand (in bytes: 30
// Chinese characters), which also keeps long comma-free text linear.
const verbReach = 90

// target finds a numeric target in a task or indicator sentence:
// `完成85家…` → 85 家, `完成16个行政村…` → 16 个, `达到92%以上` → 92 %.
// A count is a number (not part of a Latin token like PM2.5, not after 第)
// followed by a measure word of reCount, with a verb of countVerbs earlier in
// its clause and at most 30 characters before it. When a sentence has
// several counts (完成16个行政村…、79个建制村…和5处…) the first one is taken: it is the headline figure, and progress
// against it (/progress 40/85) needs a single number. ％ is reported as %.
func target(s string) (float64, string) {
	if strings.IndexAny(s, "0123456789") < 0 {
		return 0, ""
	}
	for _, m := range countMatches(s) {
		before := s[:m[0]]
		if r, _ := utf8.DecodeLastRuneInString(before); r == '第' || r == '.' || r < utf8.RuneSelf && isAlnum(r) {
			continue
		}
		clause := before[max(0, len(before)-verbReach):]
		if i := strings.LastIndexAny(clause, ",，；;"); i >= 0 {
			clause = clause[i:]
		}
		if !containsAny(clause, countVerbs) {
			continue
		}
		v, err := strconv.ParseFloat(s[m[2]:m[3]], 64)
		if err != nil || v <= 0 {
			continue
		}
		unit := s[m[4]:m[5]]
		switch unit {
		case "％":
			unit = "%"
		case "KM":
			unit = "km"
		}
		return v, unit
	}
	return 0, ""
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

var (
	// reDayHint: 6月底前, 6月30日前, 六月底, 9月末 — a month alone (每年5月)
	// is not a deadline, so 底/末/日 or 前 is required.
	reDayHint = regexp.MustCompile(`(?:(\d{4})年)?([0-9]{1,2}|十[一二]?|[一二三四五六七八九])月(?:份)?(?:(底|末)(?:前|以前|之前)?|(\d{1,2})[日号](?:前|以前|之前)?|前|以前|之前)`)
	// rePeriodHint: 年底前, 年内, 上半年, 三季度末, 第一季度 … (forms store.ParseDeadline knows).
	rePeriodHint = regexp.MustCompile(`(?:第?[1-4一二三四]季度(?:末|底)?前?|上半年|下半年|年底前?|年末前?|年内|年度内)`)
	// reEnvDay: 六五环境日 / 6·5环境日 / 世界环境日 is June 5.
	reEnvDay = regexp.MustCompile(`(?:六五|6[·.]?5|世界)环境日`)
)

// continuousStarts mark ongoing work when a sentence opens with them
// (持续开展…, 继续做好…): no single deadline, a monthly progress report instead.
var continuousStarts = []string{"持续", "继续", "常态化", "长效", "坚持", "不断"}

// reUnitAt is reCount's unit part, anchored: countMatches runs it only
// where a number ends, so a long sentence costs one pass, not a regexp
// scan from every position.
var reUnitAt = regexp.MustCompile(`^\s*(` + reCount.String()[strings.Index(reCount.String(), "(万吨")+1:])

// countMatches returns what reCount.FindAllStringSubmatchIndex would, for
// numbers starting a run of digits (a match inside a run is preceded by a
// digit and target rejects it anyway).
func countMatches(s string) [][]int {
	var out [][]int
	for i := 0; i < len(s); {
		if !isDigitAt(s, i) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigitAt(s, j) {
			j++
		}
		end := j
		if j+1 < len(s) && s[j] == '.' && isDigitAt(s, j+1) {
			end = j + 1
			for end < len(s) && isDigitAt(s, end) {
				end++
			}
		}
		if loc := reUnitAt.FindStringSubmatchIndex(s[end:]); loc != nil {
			out = append(out, []int{i, end + loc[1], i, end, end + loc[2], end + loc[3]})
			i = end + loc[1]
			continue
		}
		i = j
	}
	return out
}
