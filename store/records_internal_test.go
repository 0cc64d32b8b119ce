package store

import (
	"reflect"
	"testing"
	"time"
)

// TestRecords_Bytes writes a plan, an extension request and an outbox
// message through the store, pins the bytes each record is stored as (the
// JSON the domain structs were stored as before they had records: files
// written then read unchanged), and reads each back.
func TestRecords_Bytes(t *testing.T) {
	db := openInternal(t)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	p := &Plan{ID: "p2026", Title: "2026年工作要点", Year: 2026, Created: "2026-01-05", Intro: "总体要求",
		Indicators: []Indicator{{Text: "安全利用率达到92%以上", Target: 92, Unit: "%"}}, Source: "bundled"}
	e := &Extension{ID: 3, TaskID: "4.1.3", NewDate: NewDate(2026, 7, 31), Reason: "资金未到位",
		By: Actor{UserID: 7, Name: "甲", ChatID: 7, MessageID: 12, Via: "telegram"}, At: at, Decided: true, Approved: true, DecidedBy: 9}
	m := &Message{Key: "before7|4.1.3|2026-06-30|7", ChatID: 7, Kind: "reminder", TaskID: "4.1.3", Text: "<b>提醒</b>",
		Buttons: [][]Button{{{Text: "完成", Data: "d:4.1.3"}}, nil}, ReplyTo: 5, ForceReply: true, EditID: 6,
		Document: &Document{Name: "a.xlsx", Data: []byte{1, 2}}, CatchUp: true, DueAt: at, NotBefore: at.Add(time.Minute),
		Attempts: 2, LastError: "429", Created: at}
	err := db.Update(func(tx *Tx) error {
		if err := tx.PutPlan(p); err != nil {
			return err
		}
		if err := tx.PutExtension(e); err != nil {
			return err
		}
		if _, err := tx.Enqueue(m); err != nil {
			return err
		}
		m.State, m.SentAt, m.SentID = MessageSent, at.Add(2*time.Minute), 99
		return tx.UpdateMessage(m)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		bkt, key  []byte
		want      string
		roundtrip func(tx *Tx) (any, any, error)
	}{
		{"plan", bktPlans, []byte("p2026"),
			`{"ID":"p2026","Title":"2026年工作要点","Year":2026,"Created":"2026-01-05","Intro":"总体要求","Indicators":[{"Text":"安全利用率达到92%以上","Target":92,"Unit":"%"}],"Source":"bundled","imported":"2026-03-02T09:00:00Z","state":"active"}`,
			func(tx *Tx) (any, any, error) {
				ps, err := tx.Plans()
				if len(ps) != 1 {
					return nil, p, err
				}
				return ps[0], p, err
			}},
		{"extension", bktExtensions, u64(3),
			`{"ID":3,"TaskID":"4.1.3","NewDate":20260731,"Reason":"资金未到位","By":{"UserID":7,"Name":"甲","ChatID":7,"MessageID":12,"Via":"telegram"},"At":"2026-03-02T09:00:00+08:00","Decided":true,"Approved":true,"DecidedBy":9}`,
			func(tx *Tx) (any, any, error) {
				got, err := tx.Extension(3)
				if err != nil {
					return nil, nil, err
				}
				if !got.At.Equal(e.At) {
					t.Errorf("extension At = %v, want %v", got.At, e.At)
				}
				want := *e
				want.At = got.At
				return got, &want, nil
			}},
		{"message", bktOutbox, []byte(m.Key),
			`{"Key":"before7|4.1.3|2026-06-30|7","ChatID":7,"Kind":"reminder","TaskID":"4.1.3","Text":"\u003cb\u003e提醒\u003c/b\u003e","Buttons":[[{"Text":"完成","Data":"d:4.1.3"}],null],"ReplyTo":5,"ForceReply":true,"EditID":6,"Document":{"Name":"a.xlsx","Data":"AQI="},"CatchUp":true,"DueAt":"2026-03-02T09:00:00+08:00","NotBefore":"2026-03-02T09:01:00+08:00","State":"sent","Attempts":2,"LastError":"429","SentAt":"2026-03-02T09:02:00+08:00","SentID":99,"Created":"2026-03-02T09:00:00+08:00"}`,
			func(tx *Tx) (any, any, error) {
				got, err := tx.Message(m.Key)
				if err != nil {
					return nil, nil, err
				}
				for _, p := range [][2]time.Time{{got.DueAt, m.DueAt}, {got.NotBefore, m.NotBefore}, {got.SentAt, m.SentAt}, {got.Created, m.Created}} {
					if !p[0].Equal(p[1]) {
						t.Errorf("message time %v, want %v", p[0], p[1])
					}
				}
				want := *m
				want.DueAt, want.NotBefore, want.SentAt, want.Created = got.DueAt, got.NotBefore, got.SentAt, got.Created
				return got, &want, nil
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			db.View(func(tx *Tx) error {
				if got := string(tx.tx.Bucket(c.bkt).Get(c.key)); got != c.want {
					t.Errorf("stored bytes\n got %s\nwant %s", got, c.want)
				}
				got, want, err := c.roundtrip(tx)
				if err != nil || !reflect.DeepEqual(got, want) {
					t.Errorf("read back %+v, %v; want %+v", got, err, want)
				}
				return nil
			})
		})
	}
}
