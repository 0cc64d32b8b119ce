package schedule_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/schedule"
)

func TestLoadPolicy(t *testing.T) {
	t.Run("EmptyIsDefault", func(t *testing.T) {
		p, err := schedule.LoadPolicy(strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		if want := schedule.DefaultPolicy(); !reflect.DeepEqual(p, want) {
			t.Errorf("LoadPolicy({}) = %+v, want %+v", p, want)
		}
	})
	t.Run("Full", func(t *testing.T) {
		p, err := schedule.LoadPolicy(strings.NewReader(`{"time": "8:30", "before_days": [10, 1], "overdue_days": [2],
			"overdue_every_days": 14, "escalate_after_days": 3, "monthly_ask_workday": 2, "monthly_second_ask_workday": 5,
			"digest_weekday": "周五", "digest_time": "16:00", "grace_minutes": 30, "catch_up_days": 3}`))
		if err != nil {
			t.Fatal(err)
		}
		want := schedule.Policy{
			At: schedule.TimeOfDay{Hour: 8, Minute: 30}, Before: []int{10, 1}, Overdue: []int{2}, OverdueEvery: 14,
			EscalateAfter: 3, MonthlyAsk: 2, MonthlySecondAsk: 5, DigestWeekday: time.Friday,
			DigestAt: schedule.TimeOfDay{Hour: 16}, Grace: 30 * time.Minute, CatchUpWindow: 3 * 24 * time.Hour,
		}
		def := schedule.DefaultPolicy() // the fields this file does not name keep their defaults
		want.Budget, want.Ladder, want.Lights, want.DigestLines = def.Budget, def.Ladder, def.Lights, def.DigestLines
		if !reflect.DeepEqual(p, want) {
			t.Errorf("LoadPolicy = %+v, want %+v", p, want)
		}
	})
	for _, tc := range []struct{ name, in, want string }{
		{"NotJSON", `{`, "不是有效的 JSON"},
		{"UnknownField", `{"befor_days": [1]}`, "不是有效的 JSON"},
		{"BadTime", `{"time": "25:00"}`, "时间格式"},
		{"BadTimeFormat", `{"time": "9"}`, "时间格式"},
		{"BadWeekday", `{"digest_weekday": "someday"}`, "无法识别的星期"},
		{"NegativeBefore", `{"before_days": [-1]}`, "before_days"},
		{"ZeroOverdue", `{"overdue_days": [0]}`, "overdue_days"},
		{"SecondAskFirst", `{"monthly_ask_workday": 3, "monthly_second_ask_workday": 2}`, "monthly_second_ask_workday"},
		{"CatchUpZero", `{"catch_up_days": 0}`, "catch_up_days"},
		// 1,000,000 days overflowed time.Duration and was refused as "至少为 1";
		// a huge grace wrapped negative ("不能为负数"); a second JSON value
		// after the first was ignored without a word.
		{"CatchUpHuge", `{"catch_up_days": 1000000}`, "catch_up_days 应在 1–366 之间"},
		{"GraceHuge", `{"grace_minutes": 9223372036854775807}`, "grace_minutes 应在 0–10080 之间"},
		{"TrailingJSON", `{"time": "09:00"} {"catch_up_days": 0}`, "不是有效的 JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := schedule.LoadPolicy(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("LoadPolicy(%s) error = %v, want one containing %q", tc.in, err, tc.want)
			}
		})
	}
}

func TestDefaultPolicy(t *testing.T) {
	p := schedule.DefaultPolicy()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.At.String() != "09:00" || !reflect.DeepEqual(p.Before, []int{30, 14, 7, 3, 1, 0}) ||
		!reflect.DeepEqual(p.Overdue, []int{1, 3, 7}) || p.OverdueEvery != 7 || p.DigestWeekday != time.Monday {
		t.Errorf("DefaultPolicy() = %+v, not the documented default", p)
	}
}
