package store

import (
	"encoding/json"
	"time"
)

// The stored forms of plans, extension requests and outbox messages. The
// domain structs carry no encoding, so renaming one of their fields never
// changes the file. Each record's JSON names are the field names these
// records were first written with (the JSON of the domain struct, without
// tags), so files written before the records existed read unchanged; the
// bytes are pinned by TestRecords_Bytes.

type planRecord struct {
	ID         string            `json:"ID"`
	Title      string            `json:"Title"`
	Year       int               `json:"Year"`
	Created    string            `json:"Created"`
	Intro      string            `json:"Intro"`
	Indicators []indicatorRecord `json:"Indicators"`
	Source     string            `json:"Source"`
	Print      string            `json:"fingerprint,omitempty"`
	Issuer     string            `json:"issuer,omitempty"`
	ImportedAt time.Time         `json:"imported,omitzero"`
	State      string            `json:"state,omitempty"`
	Example    bool              `json:"example,omitempty"`
}

type indicatorRecord struct {
	Text   string  `json:"Text"`
	Target float64 `json:"Target"`
	Unit   string  `json:"Unit"`
}

func encodePlan(p *Plan) ([]byte, error) {
	r := planRecord{ID: p.ID, Title: p.Title, Year: p.Year, Created: p.Created, Intro: p.Intro, Source: p.Source,
		Print: p.Fingerprint, Issuer: p.Issuer, ImportedAt: p.ImportedAt, State: string(p.State), Example: p.Example}
	if p.Indicators != nil {
		r.Indicators = make([]indicatorRecord, len(p.Indicators))
		for i, in := range p.Indicators {
			r.Indicators[i] = indicatorRecord{Text: in.Text, Target: in.Target, Unit: in.Unit}
		}
	}
	return json.Marshal(r)
}

func decodePlan(v []byte) (*Plan, error) {
	var r planRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, err
	}
	p := &Plan{ID: r.ID, Title: r.Title, Year: r.Year, Created: r.Created, Intro: r.Intro, Source: r.Source,
		Fingerprint: r.Print, Issuer: r.Issuer, ImportedAt: r.ImportedAt, State: PlanState(r.State), Example: r.Example}
	if r.Indicators != nil {
		p.Indicators = make([]Indicator, len(r.Indicators))
		for i, in := range r.Indicators {
			p.Indicators[i] = Indicator{Text: in.Text, Target: in.Target, Unit: in.Unit}
		}
	}
	return p, nil
}

type extensionRecord struct {
	ID        uint64      `json:"ID"`
	TaskID    string      `json:"TaskID"`
	NewDate   int32       `json:"NewDate"` // Date
	Reason    string      `json:"Reason"`
	By        actorRecord `json:"By"`
	At        time.Time   `json:"At"`
	Decided   bool        `json:"Decided"`
	Approved  bool        `json:"Approved"`
	DecidedBy int64       `json:"DecidedBy"`
}

type actorRecord struct {
	UserID    int64  `json:"UserID"`
	Name      string `json:"Name"`
	ChatID    int64  `json:"ChatID"`
	MessageID int    `json:"MessageID"`
	Via       string `json:"Via"`
}

func encodeExtension(e *Extension) ([]byte, error) {
	return json.Marshal(extensionRecord{ID: e.ID, TaskID: e.TaskID, NewDate: int32(e.NewDate), Reason: e.Reason,
		By: actorRecord{UserID: e.By.UserID, Name: e.By.Name, ChatID: e.By.ChatID, MessageID: e.By.MessageID, Via: e.By.Via},
		At: e.At, Decided: e.Decided, Approved: e.Approved, DecidedBy: e.DecidedBy})
}

func decodeExtension(v []byte) (*Extension, error) {
	var r extensionRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, err
	}
	return &Extension{ID: r.ID, TaskID: r.TaskID, NewDate: Date(r.NewDate), Reason: r.Reason,
		By: Actor{UserID: r.By.UserID, Name: r.By.Name, ChatID: r.By.ChatID, MessageID: r.By.MessageID, Via: r.By.Via},
		At: r.At, Decided: r.Decided, Approved: r.Approved, DecidedBy: r.DecidedBy}, nil
}

type messageRecord struct {
	Key        string           `json:"Key"`
	ChatID     int64            `json:"ChatID"`
	Kind       string           `json:"Kind"`
	TaskID     string           `json:"TaskID"`
	Text       string           `json:"Text"`
	Buttons    [][]buttonRecord `json:"Buttons"`
	ReplyTo    int              `json:"ReplyTo"`
	ForceReply bool             `json:"ForceReply"`
	EditID     int              `json:"EditID"`
	Document   *documentRecord  `json:"Document"`
	CatchUp    bool             `json:"CatchUp"`
	DueAt      time.Time        `json:"DueAt"`
	NotBefore  time.Time        `json:"NotBefore"`
	State      string           `json:"State"`
	Attempts   int              `json:"Attempts"`
	LastError  string           `json:"LastError"`
	SentAt     time.Time        `json:"SentAt"`
	SentID     int              `json:"SentID"`
	Created    time.Time        `json:"Created"`
}

type buttonRecord struct {
	Text string `json:"Text"`
	Data string `json:"Data"`
}

type documentRecord struct {
	Name string `json:"Name"`
	Data []byte `json:"Data"`
}

func encodeMessage(m *Message) ([]byte, error) {
	r := messageRecord{Key: m.Key, ChatID: m.ChatID, Kind: string(m.Kind), TaskID: m.TaskID, Text: m.Text,
		ReplyTo: m.ReplyTo, ForceReply: m.ForceReply, EditID: m.EditID, CatchUp: m.CatchUp, DueAt: m.DueAt,
		NotBefore: m.NotBefore, State: string(m.State), Attempts: m.Attempts, LastError: m.LastError,
		SentAt: m.SentAt, SentID: m.SentID, Created: m.Created}
	if m.Buttons != nil {
		r.Buttons = make([][]buttonRecord, len(m.Buttons))
		for i, row := range m.Buttons {
			if row != nil {
				r.Buttons[i] = make([]buttonRecord, len(row))
			}
			for j, b := range row {
				r.Buttons[i][j] = buttonRecord{Text: b.Text, Data: b.Data}
			}
		}
	}
	if m.Document != nil {
		r.Document = &documentRecord{Name: m.Document.Name, Data: m.Document.Data}
	}
	return json.Marshal(r)
}

func decodeMessage(v []byte) (*Message, error) {
	var r messageRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, err
	}
	m := &Message{Key: r.Key, ChatID: r.ChatID, Kind: MessageKind(r.Kind), TaskID: r.TaskID, Text: r.Text,
		ReplyTo: r.ReplyTo, ForceReply: r.ForceReply, EditID: r.EditID, CatchUp: r.CatchUp, DueAt: r.DueAt,
		NotBefore: r.NotBefore, State: MessageState(r.State), Attempts: r.Attempts, LastError: r.LastError,
		SentAt: r.SentAt, SentID: r.SentID, Created: r.Created}
	if r.Buttons != nil {
		m.Buttons = make([][]Button, len(r.Buttons))
		for i, row := range r.Buttons {
			if row != nil {
				m.Buttons[i] = make([]Button, len(row))
			}
			for j, b := range row {
				m.Buttons[i][j] = Button{Text: b.Text, Data: b.Data}
			}
		}
	}
	if r.Document != nil {
		m.Document = &Document{Name: r.Document.Name, Data: r.Document.Data}
	}
	return m, nil
}
