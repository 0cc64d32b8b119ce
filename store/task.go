// Package store holds duban's vocabulary (Plan, Task, Department, Contact,
// HistoryEntry, Message, Date, coded errors) and its persistence in bbolt: the
// buckets and their indexes, the migrations, plans and their archive, the
// outbox and the sent log, handled updates, job state, retention, and the
// rule of who is told (Audience). It holds no display text: its errors are
// coded and rendered at the edge (schedule/lang).
//
// It may import store/vocab only (besides bbolt and golang.org/x/text);
// every other package of ours imports it, and bbolt stays behind its DB
// and Tx types.
package store

import (
	"slices"
	"strings"
	"time"

	"github.com/duban-bureau/duban/store/vocab"
)

// Status is where a task stands. Overdue is not a status: it is derived from
// the deadline and the date (see Task.Overdue).
type Status string

// The statuses of a task. Done is the department's claim, waiting for
// sign-off (待销号); Closed (销号) is a coordinator's confirmation. How one
// moves to another is the table in lifecycle.go.
const (
	StatusNotStarted Status = "not_started"
	StatusInProgress Status = "in_progress"
	StatusBlocked    Status = "blocked"
	StatusDone       Status = "done"
	StatusClosed     Status = "closed"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{StatusNotStarted, StatusInProgress, StatusBlocked, StatusDone, StatusClosed}

// statusZh holds the status words of the list files (vocab.StatusNames).
var statusZh = func() map[Status]string {
	m := map[Status]string{}
	for k, v := range vocab.StatusNames {
		m[Status(k)] = v
	}
	return m
}()

// Zh returns the Chinese word of s in a list file's 状态 column (未开始,
// 推进中, …); what a user reads is the catalogue's (schedule/lang).
func (s Status) Zh() string {
	if l, ok := statusZh[s]; ok {
		return l
	}
	return string(s)
}

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool { _, ok := statusZh[s]; return ok }

// Finished reports whether reminders stop for a task in status s.
func (s Status) Finished() bool { return s == StatusDone || s == StatusClosed }

// ParseStatus accepts a status in English (done) or Chinese (待销号, 已完成); the
// empty string means not started.
func ParseStatus(s string) (Status, bool) {
	if s == "" {
		return StatusNotStarted, true
	}
	if Status(s).Valid() {
		return Status(s), true
	}
	for k, v := range statusZh {
		if v == s {
			return k, true
		}
	}
	if k, ok := vocab.StatusAliases[s]; ok {
		return Status(k), true
	}
	return "", false
}

// Cadence is how often a continuous task (持续推进) reports. Tasks with a
// deadline have no cadence.
type Cadence string

// CadenceMonthly asks for a progress report every month.
const CadenceMonthly Cadence = "monthly"

// Task is one line of the responsibility list.
type Task struct {
	ID      string // stable: "4.1.3" = section 四, subsection (一), 3rd task
	PlanID  string
	Section string // "四、深入打好污染防治攻坚战 / (一)精准推进大气污染防治"
	Text    string

	Lead          string   // 牵头单位 (a department name)
	LeadSuggested bool     // Lead came from keyword suggestion, not confirmed
	CoDepts       []string // 配合单位

	Deadline Date    // zero for continuous work
	Cadence  Cadence // set for continuous work

	Target  float64 // numeric target (完成85家 → 85), 0 if none
	Unit    string  // 家, 个, %, …
	Current float64 // current count against Target

	Status   Status
	Progress int    // percent, 0..100
	Latest   string // 最新进展: the last note

	CreatedAt time.Time
	UpdatedAt time.Time

	// CarriedFrom is the key of the task of an earlier plan this one was
	// carried over from (结转), "" for a task of its own plan.
	CarriedFrom string

	archived bool // read from an archived plan: PutTask refuses it
}

// Key is the task's key in the store, and how buttons and links name it:
// its plan and its ID ("2026/4.1.3"), or the ID alone for a task of no
// plan.
func (t *Task) Key() string {
	if t.PlanID == "" {
		return t.ID
	}
	return t.PlanID + KeySep + t.ID
}

// KeySep separates a plan from a task ID, in keys and in what people type
// (2026/4.1.3); a task ID may not contain it.
const KeySep = "/"

// SplitKey returns the plan and the task ID of a key ("" plan for a task
// of no plan).
func SplitKey(key string) (plan, id string) {
	if i := strings.LastIndex(key, KeySep); i >= 0 {
		return key[:i], key[i+1:]
	}
	return "", key
}

// IDOf is the task ID of a key (4.1.3 of 2026/4.1.3), for
// showing a stored reference to people.
func IDOf(key string) string {
	_, id := SplitKey(key)
	return id
}

// HasTarget reports whether the task carries a numeric target.
func (t *Task) HasTarget() bool { return t.Target > 0 }

// Open reports whether reminders still apply to the task.
func (t *Task) Open() bool { return !t.Status.Finished() }

// Overdue reports whether the deadline has passed on day `on` and the task is
// neither done nor closed.
func (t *Task) Overdue(on Date) bool {
	return t.Open() && !t.Deadline.IsZero() && t.Deadline < on
}

// DaysOverdue is the number of days past the deadline on day `on` (0 if not overdue).
func (t *Task) DaysOverdue(on Date) int {
	if !t.Overdue(on) {
		return 0
	}
	return t.Deadline.DaysUntil(on)
}

// InDept reports whether dept leads or co-owns the task.
func (t *Task) InDept(dept string) bool {
	if t.Lead == dept {
		return true
	}
	for _, d := range t.CoDepts {
		if d == dept {
			return true
		}
	}
	return false
}

// Clone returns a deep copy, so callers can diff before and after.
func (t *Task) Clone() *Task {
	c := *t
	c.CoDepts = append([]string(nil), t.CoDepts...)
	return &c
}

// Light is the 红黄绿灯 traffic light of a task.
type Light string

// Lights: red = overdue or blocked; yellow = due within 7 days or 20+ points
// behind the straight line from plan start to deadline; green otherwise.
const (
	LightRed    Light = "red"
	LightYellow Light = "yellow"
	LightGreen  Light = "green"
)

// Emoji returns the dot used in chat and the digest.
func (l Light) Emoji() string {
	switch l {
	case LightRed:
		return "🔴"
	case LightYellow:
		return "🟡"
	}
	return "🟢"
}

// Plan is one year's work plan, a thing of its own: its title, year,
// issuer, source and state, and the indicators of its 主要目标 section,
// which are kept as plan data, not tasks. Every task belongs to one plan
// (Task.PlanID); task IDs are unique within a plan, so next year's 4.1.3
// is another task than this year's.
type Plan struct {
	ID          string // what people type before a task ID ("2026" in 2026/4.1.3) and the tasks' key prefix: the year, or year-N when another plan has it; never changes
	Fingerprint string // the year and title hashed ("2026-1a2b3c4d"): a re-import of the same plan finds it (PlanID)
	Title       string // 2021年大连市生态环境工作要点
	Year        int
	Issuer      string // the bureau that issued it, when the document says
	Created     string // trailing 创建时间 metadata, verbatim
	Intro       string
	Indicators  []Indicator
	Source      string    // file name or "bundled"
	ImportedAt  time.Time // when it was first stored
	State       PlanState
	Example     bool // the bundled example serve or shell loaded into an empty database
}

// PlanState is whether a plan is worked on.
type PlanState string

// An active plan's tasks are reminded, listed and digested; an archived
// plan's tasks are kept, read by qualified ID and exported with --plan,
// but are in no list, reminder or digest.
const (
	PlanActive   PlanState = "active"
	PlanArchived PlanState = "archived"
)

// Active reports whether the plan's tasks are worked on ("" is active:
// plans stored before plans had states).
func (p *Plan) Active() bool { return p.State != PlanArchived }

// Name is what people call the plan: its ID.
func (p *Plan) Name() string { return p.ID }

// Indicator is a target of the 主要目标 section (e.g. 安全利用率 达到92%以上).
type Indicator struct {
	Text   string
	Target float64
	Unit   string
}

// Department is a unit that owns tasks. Departments are data: added, renamed
// and removed at run time, never hard-coded.
type Department struct {
	Name string
}

// Role is what a Telegram user may do.
type Role string

// Roles, from least to most power. Admins are named on the command line and
// are never stored.
const (
	RoleStranger    Role = ""
	RoleContact     Role = "contact"
	RoleCoordinator Role = "coordinator"
	RoleAdmin       Role = "admin"
	// RoleHead is a department's head (部门负责人): registered with
	// `/invite 部门 head`, hears of overdue reminders nobody answered
	// (the escalation ladder) and may read the department's tasks.
	RoleHead Role = "head"
)

// Contact is a registered Telegram user. Roles are a set: a person is the
// 联络员 of every department in Depts (none, one or several) and, when Role
// is RoleCoordinator, a coordinator too — the 综合处 contact who is also the
// 督办员 keeps getting the department's reminders.
type Contact struct {
	UserID   int64
	ChatID   int64 // private chat with the bot (equals UserID in Telegram)
	Name     string
	Username string
	Dept     string   // the first of Depts ("" for none), kept for one-department callers
	Depts    []string // every department this person is the contact of
	Role     Role     // the strongest role: coordinator, else contact
	// Head is set when Depts are held as the departments' head (负责人),
	// not as their contact; it stays when the head is also made a
	// coordinator, so /coordinator off gives the head back, not a contact.
	Head        bool
	Unreachable bool // the bot got 403 from this chat (blocked)
	JoinedAt    time.Time
	LastSeen    time.Time // the last request from this person (hourly precision)
}

// IsHead reports whether the person's departments are held as their head
// (a head hears only the escalation ladder, not the daily reminders).
func (c *Contact) IsHead() bool { return c.Role == RoleHead || (c.Head && len(c.Departments()) > 0) }

// Departments returns the departments the person is the contact of.
// A Dept set directly (by a caller that knows one department) that is not
// among Depts moves the first department, as it always did.
func (c *Contact) Departments() []string {
	switch {
	case c.Dept == "" || slices.Contains(c.Depts, c.Dept):
		return c.Depts
	case len(c.Depts) == 0:
		return []string{c.Dept}
	}
	return append([]string{c.Dept}, c.Depts[1:]...)
}

// ContactOf reports whether the person is a contact of dept.
func (c *Contact) ContactOf(dept string) bool { return slices.Contains(c.Departments(), dept) }

// SetDepts replaces the departments (keeping Dept the first of them).
func (c *Contact) SetDepts(depts []string) {
	c.Depts = append([]string(nil), depts...)
	c.Dept = ""
	if len(c.Depts) > 0 {
		c.Dept = c.Depts[0]
	}
	if len(c.Depts) == 0 {
		c.Depts = nil
	}
}

// AddDept makes the person a contact of dept too.
func (c *Contact) AddDept(dept string) {
	if dept != "" && !c.ContactOf(dept) {
		c.SetDepts(append(c.Departments(), dept))
	}
}

// RemoveDept takes dept off the person's departments.
func (c *Contact) RemoveDept(dept string) {
	var keep []string
	for _, d := range c.Departments() {
		if d != dept {
			keep = append(keep, d)
		}
	}
	c.SetDepts(keep)
}

// Actor says who made a change and through which message; it is recorded in
// every history entry.
type Actor struct {
	UserID    int64
	Name      string
	ChatID    int64
	MessageID int
	Via       string // "telegram", "cli", "import", "system"
}

// Change is one field of a task that changed.
type Change struct {
	Field string
	Old   string
	New   string
}

// HistoryEntry is one entry of a task's append-only history.
type HistoryEntry struct {
	TaskID  string // the task's ID within its plan (4.1.3)
	PlanID  string // its plan ("" for a task of no plan); Key() names the task in the store
	Seq     uint64
	At      time.Time
	By      Actor
	Kind    string // "progress", "done", "blocked", "note", "assign", "deadline", "close", "reopen", "import", "extend_request", "extend_approved", "extend_rejected", …
	Changes []Change
	Note    string
}

// Key is the store key of the task the entry is about (see Task.Key).
func (u *HistoryEntry) Key() string {
	if u.PlanID == "" {
		return u.TaskID
	}
	return u.PlanID + KeySep + u.TaskID
}

// Invite is a single-use registration link for one department. Only a hash
// of the token is stored.
type Invite struct {
	Hash      [32]byte
	Dept      string
	Role      Role
	CreatedBy int64
	ExpiresAt time.Time
	UsedBy    int64
}

// Extension is a contact's request to move a deadline, waiting for a coordinator.
type Extension struct {
	ID        uint64
	TaskID    string
	NewDate   Date
	Reason    string
	By        Actor
	At        time.Time
	Decided   bool
	Approved  bool
	DecidedBy int64
}
