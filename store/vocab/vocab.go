// Package vocab holds the Chinese words duban reads in list files, plan
// documents and commands, and writes into list files: status names, the
// 完成时限 phrases, the names of roles a department may not take. They are
// input vocabulary and file format, not display text: what a user reads is
// in the catalogue (schedule/lang). store parses with them; vocab imports
// nothing, so the store's own code holds no Chinese.
package vocab

// StatusNames are the status words of a list file's 状态 column, keyed by
// store.Status (the workflow order is store.Statuses).
var StatusNames = map[string]string{
	"not_started": "未开始",
	"in_progress": "推进中",
	"blocked":     "受阻",
	"done":        "待销号",
	"closed":      "已销号",
}

// StatusAliases are other words people write for a status.
var StatusAliases = map[string]string{
	"完成": "done", "已完成": "done",
	"销号": "closed", "已关闭": "closed",
	"进行中": "in_progress",
}

// Continuous are the 完成时限 words of continuous work; the first is the
// one a list file is written with.
var Continuous = []string{"持续推进", "持续", "长期", "长期坚持", "常态化", "持续开展", "每月"}

// YearEnd, FirstHalf and SecondHalf are 完成时限 words for the plan year's
// 12-31, 06-30 and 12-31.
var (
	YearEnd    = []string{"年底前", "年底", "年内", "全年", "年末", "年末前", "12月底前", "本年度", "年度内"}
	FirstHalf  = []string{"上半年", "上半年底", "上半年前", "年中"}
	SecondHalf = []string{"下半年"}
)

// Patterns of written dates (regular expressions): 2021年6月30日,
// 6月底前, 三季度末, 2030年前.
const (
	DatePattern     = `^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]?(?:前)?$`
	MonthEndPattern = `^(?:(\d{4})年)?([0-9一二三四五六七八九十]{1,3})月(?:份)?(?:底|末)?(?:前|以前|之前)?$`
	QuarterPattern  = `^(?:第)?([1-4一二三四])季度(?:末|底)?(?:前)?$`
	YearEndPattern  = `^(\d{4})年(?:底|末)?(?:前|以前|之前)?$`
)

// Digits are the Chinese numerals a month or quarter is written with; Ten
// starts 十一 and 十二.
var Digits = map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9, '十': 10}

// Ten is 十.
const Ten = '十'

// RoleNames are words a department may not be called: a contact "of
// 督办员" would read as a coordinator in every list and notice.
var RoleNames = []string{
	"督办员", "督办", "督办人员", "联络员", "管理员", "系统管理员",
	"协调员", "陌生人", "访客", "游客", "机器人", "系统",
	"admin", "administrator", "coordinator", "contact", "stranger",
	"root", "superuser", "owner", "bot", "system", "moderator",
}

// SuggestedEndings mark a suggested lead in a list file's 牵头单位 cell
// (大气处（建议）), so no department name may end with them.
var SuggestedEndings = []string{"建议)", "建议）"}

// Year follows the year in a plan's title (2026年…工作要点); ListTitle
// names a plan made for the tasks of a database from before plans
// (2026年责任清单).
const (
	Year      = "年"
	ListTitle = "责任清单"
)
