package main

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/duban-bureau/duban/bot/telegramtest"
	"github.com/duban-bureau/duban/store"
)

// smallDisk mounts a tmpfs of size bytes for the test, or skips it where
// mounting is not allowed (not root, no CAP_SYS_ADMIN).
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "disk")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs here (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// fill writes a file until the disk is full and returns its path.
func fill(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("filling the disk: %v", err)
			}
			break
		}
	}
	// The last partial pages too.
	for _, n := range []int{4096, 512, 64, 1} {
		for {
			if _, err := f.Write(buf[:n]); err != nil {
				break
			}
		}
	}
	return path
}

func healthz(t *testing.T, addr string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServe_FullDisk runs duban on a small tmpfs and fills it. Before,
// /progress updates on the full disk were confirmed to Telegram and lost,
// with /healthz healthy. Now the update is not confirmed (Telegram keeps
// it), /healthz turns 503 and says the writes fail, the log says so once;
// when space returns the update is applied once and answered, and the log
// says writes work again.
func TestServe_FullDisk(t *testing.T) {
	t.Parallel()
	disk := smallDisk(t, "3m")
	fake := telegramtest.NewServer()
	defer fake.Close()
	admin := telegramtest.User{ID: 1, FirstName: "管理员"}
	db := filepath.Join(disk, "duban.db")
	addr := freePort(t)
	p := serve(t, fake, db, nil, "--http", addr)
	waitFake(t, fake, p, 30*time.Second, "the long poll", func(s *telegramtest.Server) bool { return s.Polling() })
	n := fake.SentCount(1)
	fake.SendText(admin, telegramtest.Chat{}, "/task 4.1.3")
	waitFake(t, fake, p, 30*time.Second, "the first answer", func(s *telegramtest.Server) bool { return s.SentCount(1) > n })

	filler := fill(t, disk)
	id := fake.SendText(admin, telegramtest.Chat{}, "/progress 4.1.3 60%")
	p.waitLog("database writes are failing", 1, 30*time.Second)
	// The poller asks again from the failed update: it stays unconfirmed
	// through several polls.
	polls := len(fake.Calls("getUpdates"))
	waitFake(t, fake, p, 30*time.Second, "two more polls", func(s *telegramtest.Server) bool { return len(s.Calls("getUpdates")) >= polls+2 })
	if fake.Confirmed(id) {
		t.Fatalf("the update was confirmed to Telegram while the disk was full\nlogs:\n%s", p.logs())
	}
	if code, body := healthz(t, addr); code != http.StatusServiceUnavailable || !strings.Contains(body, "writes failing") {
		t.Errorf("/healthz on a full disk: %d %s, want 503 saying writes fail", code, body)
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	waitFake(t, fake, p, 60*time.Second, "the /progress answer after space returned", func(s *telegramtest.Server) bool {
		return repliesTo(s, 1, "60%") >= 1 && s.Confirmed(id)
	})
	p.waitLog("database writes work again", 1, 30*time.Second)
	if code, body := healthz(t, addr); code != http.StatusOK {
		t.Errorf("/healthz after space returned: %d %s, want 200", code, body)
	}
	p.stop(30 * time.Second)
	if got := strings.Count(p.logs(), "database writes are failing"); got != 1 {
		t.Errorf("the failure was logged %d times, want once per episode\nlogs:\n%s", got, p.logs())
	}
	if got := repliesTo(fake, 1, "60%"); got != 1 {
		t.Errorf("%d answers to /progress, want 1", got)
	}
	if testing.Verbose() {
		t.Log(p.logs())
	}
	d := openDB(t, db)
	d.View(func(tx *store.Tx) error { progressOnce(t, tx); return nil })
}

// TestWebhook_FullDisk: in webhook mode an update that could not be stored
// is answered 500, so Telegram sends it again; once there is space the
// same update is answered 200 and applied once.
func TestWebhook_FullDisk(t *testing.T) {
	t.Parallel()
	disk := smallDisk(t, "3m")
	fake := telegramtest.NewServer()
	defer fake.Close()
	db := filepath.Join(disk, "duban.db")
	addr, secret := freePort(t), "full_disk-secret"
	p := serve(t, fake, db, nil, "--webhook-url", "https://duban.example.test/hook", "--webhook-listen", addr, "--webhook-secret", secret)
	waitFake(t, fake, p, 30*time.Second, "setWebhook", func(s *telegramtest.Server) bool { return len(s.Calls("setWebhook")) >= 1 })
	post := func() int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/hook", bytes.NewReader(updateJSON(t, 42, "/progress 4.1.3 60%")))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("POST: %v\nlogs:\n%s", err, p.logs())
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	filler := fill(t, disk)
	if code := post(); code < 500 {
		t.Fatalf("update on a full disk answered %d, want 5xx so Telegram re-delivers\nlogs:\n%s", code, p.logs())
	}
	os.Remove(filler)
	if code := post(); code != http.StatusOK {
		t.Fatalf("re-delivery after space returned answered %d, want 200\nlogs:\n%s", code, p.logs())
	}
	if code := post(); code != http.StatusOK {
		t.Fatalf("a second re-delivery answered %d, want 200 (a duplicate)", code)
	}
	waitFake(t, fake, p, 30*time.Second, "the /progress answer", func(s *telegramtest.Server) bool { return repliesTo(s, 1, "60%") >= 1 })
	p.stop(30 * time.Second)
	if got := repliesTo(fake, 1, "60%"); got != 1 {
		t.Errorf("%d answers to /progress, want 1", got)
	}
	d := openDB(t, db)
	d.View(func(tx *store.Tx) error { progressOnce(t, tx); return nil })
}
