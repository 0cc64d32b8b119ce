package bot

import (
	"context"
	"errors"
	"github.com/duban-bureau/duban/schedule/outbox"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/duban-bureau/duban/schedule"
	"github.com/duban-bureau/duban/seeds/intake"
	"github.com/duban-bureau/duban/store"
)

// Telegram is what handlers need from the transport besides sending, which
// goes through the outbox: answering a button at once, and fetching a file.
type Telegram interface {
	AnswerCallback(ctx context.Context, id, text string) error
	Download(ctx context.Context, fileID string) ([]byte, error)
}

// App holds the chat handlers and what they share. It has no clock of its
// own: a request's instant is its transaction's (store.DB.Now), so tests
// pin the database's clock.
type App struct {
	DB       *store.DB
	TG       Telegram
	Admins   store.Admins
	Lang     Lang
	Loc      *time.Location
	BotName  string // username without @, for /cmd@bot and invite links
	Logger   *slog.Logger
	Wake     func() // nudges the outbox sender after a commit
	Reporter Reporter
	BotID    int64 // the bot's own user ID, to recognise replies to it

	// Observe, when set, sees every handled update (metrics).
	Observe func(Result, time.Duration)

	// OnRoleChange, when set, learns after the commit that a user's role
	// changed (registration, /coordinator), so their command menu follows.
	OnRoleChange func(chatID int64, role store.Role)

	// AfterScan, when set, runs after a command that read much of the
	// store (/digest, /stats, /export): serve uses it to give the memory
	// back, so a year-end digest does not stay resident.
	AfterScan func()

	// MaxImportBytes bounds a document sent for import.
	MaxImportBytes int64

	// Ledger, when set, makes the web 台账 links /ledger answers with.
	Ledger LedgerLinks
	// OnDocument, when set, runs once a document's update is marked in
	// progress, before it is fetched (the crash tests end the process here).
	OnDocument func()
}

// Reporter is what the chat needs from the schedule: texts that the digest
// and reminders share with the cron jobs.
type Reporter interface {
	// Digest builds the 督办周报 text at now.
	Digest(tx *store.Tx, now time.Time) (string, error)
	// Stats builds the per-department table of the digest alone.
	Stats(tx *store.Tx, now time.Time) (string, error)
	// Nudge builds the reminder messages for one task now (/remind).
	Nudge(tx *store.Tx, t *store.Task, now time.Time) ([]*store.Message, error)
}

// Result is what a handled request came to, for the log and metrics.
type Result struct {
	Command string
	Outcome string // "ok", "denied", "refused", "invalid", "not_found", "error", "duplicate", "ignored"
	// Retry is set when nothing of the request was stored because the
	// database refused the write (a full disk): the update must not be
	// confirmed to Telegram, so it comes again and applies once writes work.
	Retry bool
}

// Handle applies one request in one transaction: the change, its history
// entry, the replies (into the outbox) and the update's handled mark commit
// together, so a crash either loses nothing or applied everything once.
func (a *App) Handle(ctx context.Context, r Request) Result {
	return a.HandleAll(ctx, []Request{r})[0]
}

// applied is what one request came to inside its transaction.
type applied struct {
	res    Result
	toast  string
	sent   int
	roles  []roleChange
	dup    bool
	failed error // an internal error: nothing of this request may commit
}

// HandleAll applies requests in order in one transaction (a chat's
// messages that arrived together: one commit instead of one each). If that
// transaction fails, each request is handled alone, so one bad request
// costs only itself.
func (a *App) HandleAll(ctx context.Context, rs []Request) []Result {
	docs := make([][]byte, len(rs))
	for i, r := range rs {
		if r.DocumentID != "" && !r.Group {
			crashed := a.beginAttempt(r)
			defer a.endAttempt(r)
			if crashed {
				rs = slices.Clone(rs)
				rs[i].crashed = true // see poison.go
				continue
			}
			if a.OnDocument != nil {
				a.OnDocument()
			}
			docs[i] = a.fetchDocument(ctx, r)
		}
	}
	out := make([]applied, len(rs))
	err := a.DB.Batch(func(tx *store.Tx) error {
		for i, r := range rs {
			out[i] = a.apply(tx, r, docs[i])
			if out[i].failed != nil {
				return out[i].failed
			}
		}
		return nil
	})
	if err != nil && len(rs) > 1 && !errors.Is(err, store.ErrWrite) {
		results := make([]Result, len(rs))
		for i, r := range rs {
			results[i] = a.Handle(ctx, r)
		}
		return results
	}
	results := make([]Result, len(rs))
	for i, r := range rs {
		results[i] = a.settle(ctx, r, out[i], err)
	}
	return results
}

// apply handles one request inside tx. A failing function makes bbolt
// re-run its whole batch one by one, so a duplicate is a flag, not an error.
func (a *App) apply(tx *store.Tx, r Request, doc []byte) applied {
	out := applied{res: Result{Command: commandOf(r, a.BotName), Outcome: "ok"}}
	if out.dup = r.UpdateID != 0 && tx.SeenUpdate(r.UpdateID); out.dup {
		out.res.Outcome = "duplicate"
		return out
	}
	c := &call{App: a, tx: tx, r: r, doc: doc, now: tx.Now().In(a.loc())}
	var err error
	if c.role, c.me, err = a.roleOf(tx, r.UserID); err != nil {
		out.failed = err
		return out
	}
	err = c.dispatch()
	if c.readErr != nil {
		err = c.readErr
	}
	if err != nil && store.ErrorCode(err) == store.EINTERNAL {
		out.failed = err
		return out
	}
	if err == nil && c.refused {
		out.res.Outcome = "refused"
	}
	if err != nil {
		// Error messages are plain text (they quote what the user typed,
		// and button toasts show them as is): escape here.
		c.reply(esc(oneMessage(c.Lang.Refusal(err))))
		out.res.Outcome = outcomeOf(err)
	}
	if r.UpdateID != 0 {
		if err := tx.MarkUpdate(r.UpdateID); err != nil {
			out.failed = err
			return out
		}
	}
	if err := c.flush(); err != nil {
		out.failed = err
		return out
	}
	out.toast, out.sent, out.roles = c.toast, len(c.out)+c.enqueued, c.roles
	return out
}

// settle does what follows the commit of one request (or its failure):
// answer its button, apologise for an internal error, wake the sender, and
// pass on role changes.
func (a *App) settle(ctx context.Context, r Request, out applied, err error) Result {
	res := out.res
	if res.Command == "" {
		res.Command = commandOf(r, a.BotName)
	}
	if err != nil && errors.Is(err, store.ErrWrite) {
		// The disk refused the commit: nothing was applied, and the
		// update is left unconfirmed, so Telegram brings it again. The
		// episode is logged once (store.DB.OnWriteState), and an apology
		// could not be stored anyway.
		res.Outcome, res.Retry = "error", true
		a.log().Debug("handle update: not stored, will be re-delivered", "update", r.UpdateID, "err", err)
		out.toast, out.sent = a.Lang.T("internal_error"), 0
		err = nil
	}
	if err != nil {
		res.Outcome = "error"
		a.log().Error("handle update", "update", r.UpdateID, "user", r.UserID, "command", res.Command, "err", err)
		out.toast = a.Lang.T("internal_error")
		// The apology is best effort: the update is not marked handled, so
		// a re-delivery may still apply it.
		if err := a.DB.Update(func(tx *store.Tx) error {
			_, err := tx.Enqueue(&store.Message{Key: store.MessageKey("err", r.UpdateID, r.MessageID), ChatID: r.ChatID,
				Kind: store.KindReply, Text: a.Lang.T("internal_error"), ReplyTo: r.MessageID})
			return err
		}); err != nil {
			a.log().Warn("queue apology", "update", r.UpdateID, "err", err)
		}
		out.sent = 1
	}
	if r.CallbackID != "" && a.TG != nil {
		// Telegram's client spins until the callback is answered: answer
		// whatever happened, with the handler's own word when it has one.
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		if err := a.TG.AnswerCallback(actx, r.CallbackID, out.toast); err != nil {
			a.log().Warn("answer callback", "update", r.UpdateID, "err", err)
		}
		cancel()
	}
	if out.sent > 0 && a.Wake != nil {
		a.Wake()
	}
	if err == nil && !res.Retry && !out.dup && a.OnRoleChange != nil {
		for _, rc := range out.roles {
			a.OnRoleChange(rc.chat, rc.role)
		}
	}
	return res
}

func outcomeOf(err error) string {
	switch store.ErrorCode(err) {
	case store.EFORBIDDEN:
		return "denied"
	case store.ENOTFOUND:
		return "not_found"
	case store.EINVALID, store.ECONFLICT:
		return "invalid"
	}
	return "error"
}

func commandOf(r Request, botName string) string {
	switch {
	case r.CallbackData != "":
		// Callback data comes back from the client as sent, so anyone can
		// forge it: the label is one of the buttons duban makes, or unknown.
		if a, _, ok := schedule.ParseCallback(r.CallbackData); ok && buttons[a] != nil {
			return buttons[a].label()
		}
		return "button:unknown"
	case r.DocumentID != "":
		return "document"
	case r.MemberStatus != "":
		if !memberStatuses[r.MemberStatus] {
			return "member:other"
		}
		return "member:" + r.MemberStatus
	case r.MigrateTo != 0:
		return "migrate"
	}
	if name, _, ok := Command(r.Text, botName); ok {
		if row, known := commands[name]; known {
			return row.label()
		}
		return "unknown"
	}
	if r.ReplyToID != 0 {
		return "reply"
	}
	return "text"
}

// memberStatuses bound the command label of metrics and logs (as the
// table's rows do for commands and buttons): a forged value cannot create
// a new label.
var memberStatuses = map[string]bool{"creator": true, "administrator": true, "member": true, "restricted": true, "left": true, "kicked": true}

func (a *App) log() *slog.Logger {
	if a.Logger != nil {
		return a.Logger
	}
	return slog.Default()
}

func (a *App) loc() *time.Location {
	if a.Loc != nil {
		return a.Loc
	}
	return time.Local
}

// roleOf returns the user's role and registration (nil for strangers and
// unregistered admins). A registration that does not read is an internal
// error, not a stranger.
func (a *App) roleOf(tx *store.Tx, userID int64) (store.Role, *store.Contact, error) {
	c, err := tx.Contact(userID)
	if store.ErrorCode(err) == store.ENOTFOUND {
		c, err = nil, nil
	}
	if err != nil {
		return store.RoleStranger, nil, store.Errorf(store.EINTERNAL, "read contact %d: %v", userID, err)
	}
	switch {
	case a.Admins.Has(userID):
		return store.RoleAdmin, c, nil
	case c != nil:
		return c.Role, c, nil
	}
	return store.RoleStranger, nil, nil
}

// maxImportBytes is the largest document the chat downloads.
func (a *App) maxImportBytes() int64 {
	if a.MaxImportBytes > 0 {
		return a.MaxImportBytes
	}
	return 10 << 20
}

// fetchDocument downloads a sent document for import. Only what
// importDocument would accept is fetched: strangers' and contacts' files,
// files of another type and oversized ones are refused before getFile, and
// a re-delivered update is not fetched again.
func (a *App) fetchDocument(ctx context.Context, r Request) []byte {
	if a.TG == nil || r.DocumentSize > a.maxImportBytes() || !intake.Importable(r.DocumentName) {
		return nil
	}
	var role store.Role
	seen := false
	if err := a.DB.View(func(tx *store.Tx) (err error) {
		role, _, err = a.roleOf(tx, r.UserID)
		seen = r.UpdateID != 0 && tx.SeenUpdate(r.UpdateID) // a re-delivery: apply says duplicate
		return err
	}); err != nil {
		return nil // apply meets the same error and fails the update
	}
	if seen || !documentRow.allows(role) {
		return nil
	}
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	b, err := a.TG.Download(dctx, r.DocumentID)
	if err != nil {
		a.log().Warn("download document", "update", r.UpdateID, "err", err)
		return nil
	}
	return b
}

// call is one request being handled inside its transaction.
type call struct {
	*App
	tx    *store.Tx
	r     Request
	role  store.Role
	me    *store.Contact
	now   time.Time
	doc   []byte
	out   []*store.Message
	toast string // short answer shown on a pressed button
	roles []roleChange

	notices     map[int64][]string // lines for departments' contacts, one message per chat (tellDept)
	noticeOrder []int64
	readAs      string // how a progress figure or note was read, added to the reply
	// enqueued counts messages put into the outbox directly (not through
	// out), such as the notices of outbox.GroupLost, so the sender is
	// woken for them too.
	enqueued int
	// refused is set when a button was refused on its toast (no role,
	// unknown or forged data), so metrics count it as refused, not ok.
	refused bool
	// readErr is a read or write that failed where the caller cannot
	// return it (a card, a list line, a prompt's bookkeeping; see keep):
	// the request fails as an internal error.
	readErr error
	plan    *schedule.Starts // schedule.PlanStarts, read once per request
}

// planStart is the newest plan's start (schedule.PlanStarts, read once
// per request: a list asks for every line), with a failed read kept in
// readErr.
func (c *call) planStart() store.Date { return c.starts().Newest }

// planStartOf is the start of t's own plan: its light grows from there.
func (c *call) planStartOf(t *store.Task) store.Date { return c.starts().Of(t) }

func (c *call) starts() *schedule.Starts {
	if c.plan == nil {
		s, err := schedule.PlanStarts(c.tx)
		c.keep("read plans", err)
		c.plan = &s
	}
	return c.plan
}

// keep records an error where the caller cannot return it: the first one
// fails the request as an internal error (nothing of it commits).
func (c *call) keep(what string, err error) {
	if err != nil && c.readErr == nil {
		c.readErr = store.Errorf(store.EINTERNAL, "%s: %v", what, err)
	}
}

// taskIfAny is the task id names, or nil when there is none (a word that
// only might be an ID); a task that does not read fails the request.
func (c *call) taskIfAny(id string) *store.Task {
	t, err := c.tx.Task(id)
	if store.ErrorCode(err) == store.ENOTFOUND {
		return nil
	}
	if err != nil {
		c.keep("read task "+id, err)
		return nil
	}
	return t
}

// planYear is PlanYear with this year as the fallback, from planStart.
func (c *call) planYear() int {
	if ps := c.planStart(); !ps.IsZero() {
		return ps.Year()
	}
	return c.now.Year()
}

// roleChange is a user whose role this request changed.
type roleChange struct {
	chat int64
	role store.Role
}

// actor is who the history records for this request.
func (c *call) actor() store.Actor {
	return store.Actor{UserID: c.r.UserID, Name: c.r.Name, ChatID: c.r.ChatID, MessageID: c.r.MessageID, Via: "telegram"}
}

// reply queues a message to the request's chat.
func (c *call) reply(text string) *store.Message {
	m := &store.Message{ChatID: c.r.ChatID, Kind: store.KindReply, Text: text}
	if c.r.Group && c.r.MessageID != 0 && c.r.CallbackID == "" {
		m.ReplyTo = c.r.MessageID
	}
	c.out = append(c.out, m)
	return m
}

// send queues a message to another chat.
func (c *call) send(chatID int64, kind store.MessageKind, text string) *store.Message {
	m := &store.Message{ChatID: chatID, Kind: kind, Text: text}
	c.out = append(c.out, m)
	return m
}

// replyKey is the outbox key of the i-th message a request queues: the
// update, chat and message it answers, and for a request without an
// update (the shell) the instant.
func replyKey(r Request, i int, now time.Time) string {
	if r.UpdateID == 0 {
		return store.MessageKey("r", r.UpdateID, r.ChatID, r.MessageID, i, strconv.FormatInt(now.UnixNano(), 36))
	}
	return store.MessageKey("r", r.UpdateID, r.ChatID, r.MessageID, i)
}

// flush writes the queued messages into the outbox with keys derived from the
// update, so handling the same update twice cannot enqueue twice.
func (c *call) flush() error {
	for i, m := range c.out {
		if m.Key == "" {
			m.Key = replyKey(c.r, i, c.now)
		}
		if _, err := outbox.Enqueue(c.tx, m); err != nil {
			return err
		}
	}
	return nil
}
