package store

import "bytes"

// Action is something a user does to a task that the lifecycle rules:
// the 交办 → 承办 → 反馈 → 审核 → 办结销号 (or 退回重办) loop.
type Action string

// The actions of the lifecycle. Extend, Target, Assign and Deadline do not
// move the status but are still refused on a closed task.
const (
	ActProgress Action = "progress" // 更新进度
	ActNote     Action = "note"     // 记录进展
	ActDone     Action = "done"     // 报完成 → 待销号
	ActBlocked  Action = "blocked"  // 报告困难
	ActExtend   Action = "extend"   // 申请延期
	ActClose    Action = "close"    // 销号
	ActReturn   Action = "return"   // 退回重办
	ActReopen   Action = "reopen"   // 重新打开
	ActTarget   Action = "target"   // 改目标值
	ActAssign   Action = "assign"   // 指定单位
	ActDeadline Action = "deadline" // 改时限
)

// Actions lists every action in table order.
var Actions = []Action{ActProgress, ActNote, ActDone, ActBlocked, ActExtend, ActClose, ActReturn, ActReopen, ActTarget, ActAssign, ActDeadline}

// Refusal reasons: the chat turns each into a sentence (catalogue key
// "refuse_<reason>").
const (
	RefuseRole      = "role"      // the role may not do this at all
	RefuseClosed    = "closed"    // 已销号: only a coordinator's reopen changes it
	RefuseInReview  = "review"    // 待销号: the claim waits for a coordinator
	RefuseNotReview = "notreview" // 退回 only applies to a task waiting for sign-off
	RefuseOpen      = "open"      // reopen only applies to a done or closed task
)

// Move is one cell of the lifecycle table.
type Move struct {
	To      Status // the new status ("" with Refuse set)
	Refuse  string // why not, "" when allowed
	Confirm bool   // allowed, but ask first (销号 of a task never reported done)
}

// same marks "the status does not change".
const same Status = "="

// lifecycle is THE transition table: action × status → move, per role
// class. A contact may act only on their department's tasks (checked
// elsewhere); coordinators and admins share one column.
var lifecycle = map[Action]map[Status][2]Move{
	// action: status: {contact, coordinator}
	ActProgress: {
		StatusNotStarted: {{To: StatusInProgress}, {To: StatusInProgress}},
		StatusInProgress: {{To: same}, {To: same}},
		StatusBlocked:    {{To: StatusInProgress}, {To: StatusInProgress}},
		StatusDone:       {{Refuse: RefuseInReview}, {Refuse: RefuseInReview}},
		StatusClosed:     {{Refuse: RefuseClosed}, {Refuse: RefuseClosed}},
	},
	ActNote: {
		StatusNotStarted: {{To: StatusInProgress}, {To: StatusInProgress}},
		StatusInProgress: {{To: same}, {To: same}},
		StatusBlocked:    {{To: same}, {To: same}},
		StatusDone:       {{To: same}, {To: same}},
		StatusClosed:     {{Refuse: RefuseClosed}, {Refuse: RefuseClosed}},
	},
	ActDone: {
		StatusNotStarted: {{To: StatusDone}, {To: StatusDone}},
		StatusInProgress: {{To: StatusDone}, {To: StatusDone}},
		StatusBlocked:    {{To: StatusDone}, {To: StatusDone}},
		StatusDone:       {{Refuse: RefuseInReview}, {Refuse: RefuseInReview}},
		StatusClosed:     {{Refuse: RefuseClosed}, {Refuse: RefuseClosed}},
	},
	ActBlocked: {
		StatusNotStarted: {{To: StatusBlocked}, {To: StatusBlocked}},
		StatusInProgress: {{To: StatusBlocked}, {To: StatusBlocked}},
		StatusBlocked:    {{To: StatusBlocked}, {To: StatusBlocked}},
		StatusDone:       {{Refuse: RefuseInReview}, {Refuse: RefuseInReview}},
		StatusClosed:     {{Refuse: RefuseClosed}, {Refuse: RefuseClosed}},
	},
	ActExtend: {
		StatusNotStarted: {{To: same}, {To: same}},
		StatusInProgress: {{To: same}, {To: same}},
		StatusBlocked:    {{To: same}, {To: same}},
		StatusDone:       {{Refuse: RefuseInReview}, {Refuse: RefuseInReview}},
		StatusClosed:     {{Refuse: RefuseClosed}, {Refuse: RefuseClosed}},
	},
	ActClose: {
		StatusNotStarted: {{Refuse: RefuseRole}, {To: StatusClosed, Confirm: true}},
		StatusInProgress: {{Refuse: RefuseRole}, {To: StatusClosed, Confirm: true}},
		StatusBlocked:    {{Refuse: RefuseRole}, {To: StatusClosed, Confirm: true}},
		StatusDone:       {{Refuse: RefuseRole}, {To: StatusClosed}},
		StatusClosed:     {{Refuse: RefuseRole}, {Refuse: RefuseClosed}},
	},
	ActReturn: {
		StatusNotStarted: {{Refuse: RefuseRole}, {Refuse: RefuseNotReview}},
		StatusInProgress: {{Refuse: RefuseRole}, {Refuse: RefuseNotReview}},
		StatusBlocked:    {{Refuse: RefuseRole}, {Refuse: RefuseNotReview}},
		StatusDone:       {{Refuse: RefuseRole}, {To: StatusInProgress}},
		StatusClosed:     {{Refuse: RefuseRole}, {Refuse: RefuseNotReview}},
	},
	ActReopen: {
		StatusNotStarted: {{Refuse: RefuseRole}, {Refuse: RefuseOpen}},
		StatusInProgress: {{Refuse: RefuseRole}, {Refuse: RefuseOpen}},
		StatusBlocked:    {{Refuse: RefuseRole}, {Refuse: RefuseOpen}},
		StatusDone:       {{Refuse: RefuseRole}, {To: StatusInProgress}},
		StatusClosed:     {{Refuse: RefuseRole}, {To: StatusInProgress}},
	},
	ActTarget:   coordinatorOnly(),
	ActAssign:   coordinatorOnly(),
	ActDeadline: coordinatorOnly(),
}

// coordinatorOnly is the row of a coordinator's edit that leaves the status
// alone and is refused on a closed task.
func coordinatorOnly() map[Status][2]Move {
	row := map[Status][2]Move{}
	for _, s := range Statuses {
		row[s] = [2]Move{{Refuse: RefuseRole}, {To: same}}
	}
	row[StatusClosed] = [2]Move{{Refuse: RefuseRole}, {Refuse: RefuseClosed}}
	return row
}

// Transition looks up what action a does to a task in status from when a
// user of role r does it. A refused move has Refuse set; an allowed one has
// To set to the new status (from itself when the status stays).
func Transition(from Status, a Action, r Role) Move {
	if from == "" {
		from = StatusNotStarted
	}
	col := 1
	switch r {
	case RoleContact:
		col = 0
	case RoleCoordinator, RoleAdmin:
	default:
		return Move{Refuse: RefuseRole}
	}
	row, ok := lifecycle[a]
	if !ok {
		return Move{Refuse: RefuseRole}
	}
	cell, ok := row[from]
	m := cell[col]
	if !ok || (m.To == "" && m.Refuse == "") {
		return Move{Refuse: RefuseRole}
	}
	if m.To == same {
		m.To = from
	}
	return m
}

// TasksInStatus returns the tasks in status s in ID order, reading only
// the open tasks (for not started, in progress, blocked) or only the
// finished ones (待销号, closed) through the schedule's indexes — the
// coordinators' /blocked and /pending lists, and the digest's 受阻 section.
func (tx *Tx) TasksInStatus(s Status) ([]*Task, error) {
	var all []*Task
	if s.Finished() {
		tasks := tx.tx.Bucket(bktTasks)
		c := tx.tx.Bucket(bktIdxFinished).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			i := bytes.IndexByte(k, 0)
			if i < 0 {
				continue
			}
			v := tasks.Get(k[i+1:])
			if v == nil {
				continue
			}
			t, err := tx.decodeTask(v)
			if err != nil {
				return nil, err
			}
			all = append(all, t)
		}
		SortTasks(all)
	} else {
		var err error
		if all, err = tx.OpenTasks(nil); err != nil {
			return nil, err
		}
	}
	out := all[:0]
	for _, t := range all {
		if t.Status == s || s == StatusNotStarted && t.Status == "" {
			out = append(out, t)
		}
	}
	return out, nil
}
