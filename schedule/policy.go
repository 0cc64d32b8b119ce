package schedule

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// TimeOfDay is a wall-clock time in the bureau's zone (09:00). Reminders are
// days, not instants; the time of day is the one place policy meets the clock.
type TimeOfDay struct {
	Hour, Minute int
}

// ParseTimeOfDay reads "9:00" or "09:00".
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	hs, ms, ok := strings.Cut(strings.TrimSpace(s), ":")
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if !ok || err1 != nil || err2 != nil || len(ms) != 2 || h < 0 || h > 23 || m < 0 || m > 59 {
		return TimeOfDay{}, errors.New(say("", "pol_time_format", s))
	}
	return TimeOfDay{Hour: h, Minute: m}, nil
}

// String formats t as 09:00.
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour, t.Minute) }

// Policy is the reminder policy as data, so a bureau can
// tune it with a JSON file instead of a rebuild. Offsets are calendar days;
// the Calendar moves each fire day onto a working day.
type Policy struct {
	At TimeOfDay // time of day every reminder fires (09:00)

	Before        []int // days before the deadline: fire on the working day on or before D-n
	Overdue       []int // days after the deadline: fire on the working day on or after D+n
	OverdueEvery  int   // after the last Overdue offset, repeat every n days (0 = stop)
	EscalateAfter int   // coordinators hear of a task at D+n (one message per day)

	MonthlyAsk       int // continuous tasks: ask on the n-th working day of each month
	MonthlySecondAsk int // ask again on this working day if nothing came since (0 = never)

	DigestWeekday time.Weekday // weekly digest day (next working day when it is off)
	DigestAt      TimeOfDay

	Grace         time.Duration // a message sent later than DueAt+Grace is marked 补发
	CatchUpWindow time.Duration // messages older than this before now are folded into one summary

	Budget Budget // how much the schedule may say to one contact (noise budget)
	Ladder Ladder // who hears of an overdue reminder nobody answered
	Lights Lights // 红黄绿灯 thresholds by 序时进度

	// DigestLines caps each digest list (overdue, due soon, …); the rest
	// is counted and the full list goes out as the XLSX 台账.
	DigestLines int
}

// Budget is the noise budget: a contact who is nagged mutes the bot. The
// schedule's messages to one contact (one combined message a day) are
// capped per day and per ISO week; a before-deadline reminder for a task
// updated in the last QuietAfterUpdate working days is not sent (the
// contact is clearly on it). Overdue and due-today reminders always go,
// and count against the budget.
type Budget struct {
	PerDay           int        // messages a day (0 = no cap)
	PerWeek          int        // messages a week, Monday to Sunday (0 = no cap)
	Quiet            QuietHours // late (补发) messages wait until the quiet hours end
	QuietAfterUpdate int        // working days; 0 = remind even right after an update
	MaxButtonTasks   int        // a combined reminder has buttons for this many tasks; more point to /my
}

// QuietHours is a nightly window [From, To) when the schedule sends
// nothing; From == To means none. It may wrap midnight (20:00–08:00).
type QuietHours struct {
	From, To TimeOfDay
}

// Ladder is the escalation ladder (DingTalk DING, 督办 practice): an
// overdue task whose reminders were neither acknowledged (收到) nor
// answered with an update climbs from the contact to the department head
// after HeadAfter working days, then to the coordinators after
// CoordinatorsAfter more, each step one numbered 催办单 per recipient and
// day. 0 switches a step off.
type Ladder struct {
	HeadAfter         int
	CoordinatorsAfter int
}

// Lights are the 红黄绿灯 thresholds: yellow when progress is YellowBehind
// to RedBehind points behind the straight line from plan start to the
// deadline (序时进度) or the deadline is within DueSoonDays, red beyond
// RedBehind, overdue or blocked.
type Lights struct {
	YellowBehind int
	RedBehind    int
	DueSoonDays  int
}

// DefaultLights are the thresholds most 督办 rules use: 10 and 30 points.
func DefaultLights() Lights { return Lights{YellowBehind: 10, RedBehind: 30, DueSoonDays: 7} }

// DefaultBudget is small on purpose: one message a day, three a week.
func DefaultBudget() Budget {
	return Budget{PerDay: 1, PerWeek: 3, Quiet: QuietHours{From: TimeOfDay{Hour: 20}, To: TimeOfDay{Hour: 8}},
		QuietAfterUpdate: 3, MaxButtonTasks: 8}
}

// In reports whether t's time of day falls in the quiet hours.
func (q QuietHours) In(t time.Time) bool {
	if q.From == q.To {
		return false
	}
	m := t.Hour()*60 + t.Minute()
	from, to := q.From.Hour*60+q.From.Minute, q.To.Hour*60+q.To.Minute
	if from < to {
		return m >= from && m < to
	}
	return m >= from || m < to
}

// String formats q as 20:00-08:00 ("" when none).
func (q QuietHours) String() string {
	if q.From == q.To {
		return ""
	}
	return q.From.String() + "-" + q.To.String()
}

// ParseQuietHours reads "20:00-08:00"; "" means none.
func ParseQuietHours(s string) (QuietHours, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return QuietHours{}, nil
	}
	a, b, ok := strings.Cut(strings.NewReplacer("–", "-", "—", "-", "~", "-", "～", "-").Replace(s), "-")
	if !ok {
		return QuietHours{}, errors.New(say("", "pol_quiet_format", s))
	}
	from, err := ParseTimeOfDay(a)
	if err != nil {
		return QuietHours{}, err
	}
	to, err := ParseTimeOfDay(b)
	if err != nil {
		return QuietHours{}, err
	}
	return QuietHours{From: from, To: to}, nil
}

// DefaultPolicy returns the default reminder policy (README 提醒策略).
func DefaultPolicy() Policy {
	return Policy{
		At:               TimeOfDay{Hour: 9},
		Before:           []int{30, 14, 7, 3, 1, 0},
		Overdue:          []int{1, 3, 7},
		OverdueEvery:     7,
		EscalateAfter:    1,
		MonthlyAsk:       1,
		MonthlySecondAsk: 3,
		DigestWeekday:    time.Monday,
		DigestAt:         TimeOfDay{Hour: 9},
		Grace:            time.Hour,
		CatchUpWindow:    7 * 24 * time.Hour,
		Budget:           DefaultBudget(),
		Ladder:           Ladder{HeadAfter: 3, CoordinatorsAfter: 2},
		Lights:           DefaultLights(),
		DigestLines:      20,
	}
}

// policyFile is the JSON form of a Policy. Every field is optional: a file
// that names only "before_days" keeps the defaults for the rest.
type policyFile struct {
	Time             *string `json:"time"`
	BeforeDays       *[]int  `json:"before_days"`
	OverdueDays      *[]int  `json:"overdue_days"`
	OverdueEveryDays *int    `json:"overdue_every_days"`
	EscalateAfter    *int    `json:"escalate_after_days"`
	MonthlyAsk       *int    `json:"monthly_ask_workday"`
	MonthlySecondAsk *int    `json:"monthly_second_ask_workday"`
	DigestWeekday    *string `json:"digest_weekday"`
	DigestTime       *string `json:"digest_time"`
	GraceMinutes     *int    `json:"grace_minutes"`
	CatchUpDays      *int    `json:"catch_up_days"`

	MaxPerDay        *int    `json:"max_messages_per_day"`
	MaxPerWeek       *int    `json:"max_messages_per_week"`
	QuietHours       *string `json:"quiet_hours"`
	QuietAfterUpdate *int    `json:"no_reminder_after_update_workdays"`
	MaxButtonTasks   *int    `json:"max_button_tasks"`
	HeadAfter        *int    `json:"escalate_head_after_workdays"`
	CoordsAfter      *int    `json:"escalate_coordinators_after_workdays"`
	YellowBehind     *int    `json:"light_yellow_behind_points"`
	RedBehind        *int    `json:"light_red_behind_points"`
	DueSoonDays      *int    `json:"light_due_soon_days"`
	DigestLines      *int    `json:"digest_section_lines"`
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday,
	"saturday": time.Saturday,
	"周日":       time.Sunday, "周一": time.Monday, "周二": time.Tuesday, "周三": time.Wednesday,
	"周四": time.Thursday, "周五": time.Friday, "周六": time.Saturday,
	"星期日": time.Sunday, "星期天": time.Sunday, "星期一": time.Monday, "星期二": time.Tuesday,
	"星期三": time.Wednesday, "星期四": time.Thursday, "星期五": time.Friday, "星期六": time.Saturday,
}

// The ranges of grace_minutes (a week) and catch_up_days (a year).
const (
	maxGraceMinutes = 7 * 24 * 60
	maxCatchUpDays  = 366
)

// LoadPolicy reads a JSON policy, e.g.
//
//	{"time": "09:00", "before_days": [30, 14, 7, 3, 1, 0], "overdue_days": [1, 3, 7],
//	 "overdue_every_days": 7, "escalate_after_days": 1, "monthly_ask_workday": 1,
//	 "monthly_second_ask_workday": 3, "digest_weekday": "monday", "digest_time": "09:00",
//	 "grace_minutes": 60, "catch_up_days": 7,
//	 "max_messages_per_day": 1, "max_messages_per_week": 3, "quiet_hours": "20:00-08:00",
//	 "no_reminder_after_update_workdays": 3, "max_button_tasks": 8,
//	 "escalate_head_after_workdays": 3, "escalate_coordinators_after_workdays": 2,
//	 "light_yellow_behind_points": 10, "light_red_behind_points": 30, "light_due_soon_days": 7,
//	 "digest_section_lines": 20}
//
// Missing fields keep DefaultPolicy's values; unknown fields are an error,
// so a typo does not silently keep a default. Errors are in Chinese because
// the operator reads them at start.
func LoadPolicy(r io.Reader) (Policy, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Policy{}, fmt.Errorf("%s: %w", say("", "pol_read"), err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f policyFile
	if err := dec.Decode(&f); err != nil {
		return Policy{}, fmt.Errorf("%s: %w", say("", "pol_json"), err)
	}
	if dec.More() {
		return Policy{}, errors.New(say("", "pol_json_more"))
	}
	// Range-check before multiplying into a time.Duration, which
	// overflows (1,000,000 days wrapped into "至少为 1").
	if f.GraceMinutes != nil && (*f.GraceMinutes < 0 || *f.GraceMinutes > maxGraceMinutes) {
		return Policy{}, errors.New(say("", "pol_bad_grace", maxGraceMinutes))
	}
	if f.CatchUpDays != nil && (*f.CatchUpDays < 1 || *f.CatchUpDays > maxCatchUpDays) {
		return Policy{}, errors.New(say("", "pol_bad_catch_up", maxCatchUpDays))
	}
	p := DefaultPolicy()
	if f.Time != nil {
		if p.At, err = ParseTimeOfDay(*f.Time); err != nil {
			return Policy{}, fmt.Errorf("%s: %w", say("", "pol_field_time"), err)
		}
	}
	if f.DigestTime != nil {
		if p.DigestAt, err = ParseTimeOfDay(*f.DigestTime); err != nil {
			return Policy{}, fmt.Errorf("%s: %w", say("", "pol_field_digest_time"), err)
		}
	}
	if f.DigestWeekday != nil {
		wd, ok := weekdays[strings.ToLower(strings.TrimSpace(*f.DigestWeekday))]
		if !ok {
			return Policy{}, errors.New(say("", "pol_weekday", *f.DigestWeekday))
		}
		p.DigestWeekday = wd
	}
	set := func(dst *int, src *int) {
		if src != nil {
			*dst = *src
		}
	}
	if f.BeforeDays != nil {
		p.Before = append([]int(nil), (*f.BeforeDays)...)
	}
	if f.OverdueDays != nil {
		p.Overdue = append([]int(nil), (*f.OverdueDays)...)
	}
	set(&p.OverdueEvery, f.OverdueEveryDays)
	set(&p.EscalateAfter, f.EscalateAfter)
	set(&p.MonthlyAsk, f.MonthlyAsk)
	set(&p.MonthlySecondAsk, f.MonthlySecondAsk)
	if f.QuietHours != nil {
		if p.Budget.Quiet, err = ParseQuietHours(*f.QuietHours); err != nil {
			return Policy{}, fmt.Errorf("%s: %w", say("", "pol_field_quiet_hours"), err)
		}
	}
	set(&p.Budget.PerDay, f.MaxPerDay)
	set(&p.Budget.PerWeek, f.MaxPerWeek)
	set(&p.Budget.QuietAfterUpdate, f.QuietAfterUpdate)
	set(&p.Budget.MaxButtonTasks, f.MaxButtonTasks)
	set(&p.Ladder.HeadAfter, f.HeadAfter)
	set(&p.Ladder.CoordinatorsAfter, f.CoordsAfter)
	set(&p.Lights.YellowBehind, f.YellowBehind)
	set(&p.Lights.RedBehind, f.RedBehind)
	set(&p.Lights.DueSoonDays, f.DueSoonDays)
	set(&p.DigestLines, f.DigestLines)
	if f.GraceMinutes != nil {
		p.Grace = time.Duration(*f.GraceMinutes) * time.Minute
	}
	if f.CatchUpDays != nil {
		p.CatchUpWindow = time.Duration(*f.CatchUpDays) * 24 * time.Hour
	}
	if err := p.Validate(); err != nil {
		return Policy{}, err
	}
	return p, nil
}

// Validate reports the first setting that would make the schedule
// meaningless (negative offsets, a second ask before the first, …).
func (p Policy) Validate() error {
	var errs []string
	for _, n := range p.Before {
		if n < 0 || n > 366 {
			errs = append(errs, say("", "pol_before_days", n))
		}
	}
	for _, n := range p.Overdue {
		if n < 1 || n > 366 {
			errs = append(errs, say("", "pol_overdue_days", n))
		}
	}
	if p.OverdueEvery < 0 {
		errs = append(errs, say("", "pol_overdue_every_days"))
	}
	if p.EscalateAfter < 0 {
		errs = append(errs, say("", "pol_escalate_after_days"))
	}
	if p.MonthlyAsk < 1 || p.MonthlyAsk > 20 {
		errs = append(errs, say("", "pol_monthly_ask_workday"))
	}
	if p.MonthlySecondAsk != 0 && (p.MonthlySecondAsk <= p.MonthlyAsk || p.MonthlySecondAsk > 22) {
		errs = append(errs, say("", "pol_second_ask"))
	}
	if p.Grace < 0 || p.Grace > maxGraceMinutes*time.Minute {
		errs = append(errs, say("", "pol_grace", maxGraceMinutes))
	}
	if p.CatchUpWindow < 24*time.Hour || p.CatchUpWindow > maxCatchUpDays*24*time.Hour {
		errs = append(errs, say("", "pol_catch_up", maxCatchUpDays))
	}
	b := p.Budget
	if b.PerDay < 0 || b.PerWeek < 0 {
		errs = append(errs, say("", "pol_max_negative"))
	}
	if b.PerDay > 0 && b.PerWeek > 0 && b.PerWeek < b.PerDay {
		errs = append(errs, say("", "pol_max_week_day"))
	}
	if b.Quiet.In(At(0, p.At, time.UTC)) {
		errs = append(errs, say("", "pol_quiet_at", p.At.String(), b.Quiet.String()))
	}
	if b.QuietAfterUpdate < 0 || b.QuietAfterUpdate > 60 {
		errs = append(errs, say("", "pol_no_reminder_after_update_workdays"))
	}
	if b.MaxButtonTasks < 1 || b.MaxButtonTasks > 30 {
		errs = append(errs, say("", "pol_max_button_tasks"))
	}
	if p.Ladder.HeadAfter < 0 || p.Ladder.CoordinatorsAfter < 0 || p.Ladder.HeadAfter > 60 || p.Ladder.CoordinatorsAfter > 60 {
		errs = append(errs, say("", "pol_ladder"))
	}
	l := p.Lights
	if l.YellowBehind < 1 || l.RedBehind <= l.YellowBehind || l.RedBehind > 100 {
		errs = append(errs, say("", "pol_lights"))
	}
	if l.DueSoonDays < 0 {
		errs = append(errs, say("", "pol_light_due_soon_days"))
	}
	if p.DigestLines < 1 || p.DigestLines > 200 {
		errs = append(errs, say("", "pol_digest_section_lines"))
	}
	if len(errs) > 0 {
		return errors.New(say("", "pol_bad", strings.Join(errs, "；")))
	}
	return nil
}

// offsets returns the distinct values of xs, sorted ascending.
func offsets(xs []int) []int {
	seen := map[int]bool{}
	var out []int
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Ints(out)
	return out
}
