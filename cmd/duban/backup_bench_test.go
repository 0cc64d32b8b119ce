package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

// BenchmarkBackup_WriteStall reads /backup at 200 KB/s (curl
// --limit-rate 200k) from a 4 MB database while a chat user's writes keep
// growing the file, and reports the longest single write (max-stall-ms).
// Before the snapshot was copied to a temporary file, the read
// transaction lived as long as the download and every write that needed
// a remap waited for it to end.
func BenchmarkBackup_WriteStall(b *testing.B) {
	fake := telegramtest.NewServer()
	defer fake.Close()
	s := newTestServer(&testing.T{}, fake)
	defer s.db.Close()
	s.cfg.BackupToken = "bench"
	pad := strings.Repeat("x", 60<<10)
	for i := 0; i < 64; i++ {
		s.db.Update(func(tx *store.Tx) error { return tx.SetSetting("pad"+strconv.Itoa(i), pad) })
	}
	srv := httptest.NewServer(s.opsHandler())
	defer srv.Close()
	var worst time.Duration
	for n := 0; n < b.N; n++ {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/backup", nil)
		req.Header.Set("Authorization", "Bearer bench")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("/backup: %v %v", err, resp)
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			buf := make([]byte, 20<<10)
			for {
				if _, err := io.ReadFull(resp.Body, buf); err != nil {
					return
				}
				time.Sleep(100 * time.Millisecond) // 200 KB/s
			}
		}()
		for i := 0; ; i++ {
			select {
			case <-done:
				resp.Body.Close()
				goto next
			default:
			}
			t0 := time.Now()
			s.db.Update(func(tx *store.Tx) error { return tx.SetSetting("grow"+strconv.Itoa(n)+"-"+strconv.Itoa(i), pad) })
			worst = max(worst, time.Since(t0))
			time.Sleep(20 * time.Millisecond)
		}
	next:
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "max-stall-ms")
}
