package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/duban-bureau/duban/bot"
	"github.com/duban-bureau/duban/bot/web"
	"github.com/duban-bureau/duban/store"
)

// webConfig is the web 台账's settings, shared by serve and shell.
type webConfig struct {
	Web     string        // listen address; "" = off
	WebURL  string        // public base URL put into /ledger links
	LinkTTL time.Duration // how long a link is valid
}

func (c *webConfig) register(fs *flag.FlagSet, env *Env) {
	fs.StringVar(&c.Web, "web", envOr(env, "DUBAN_WEB", ""), "网页台账监听地址（如 :8080），空为关闭 / web ledger listener, off when empty (DUBAN_WEB)")
	fs.StringVar(&c.WebURL, "web-url", envOr(env, "DUBAN_WEB_URL", ""), "网页台账的公开地址，写进 /ledger 链接；默认 http://--web 地址 / public base URL in /ledger links (DUBAN_WEB_URL)")
	fs.DurationVar(&c.LinkTTL, "web-link-ttl", envDuration(env, "DUBAN_WEB_LINK_TTL", web.DefaultTTL), "/ledger 链接有效期 / validity of a /ledger link (DUBAN_WEB_LINK_TTL)")
}

// check validates the settings and fills in the base URL from the listen
// address when --web-url is not given.
func (c *webConfig) check() error {
	// Zero is left to configurations built without flags (Links then uses
	// web.DefaultTTL); a listener given a zero or negative TTL is a mistake.
	if c.LinkTTL < 0 || c.LinkTTL == 0 && c.Web != "" {
		return usagef("--web-link-ttl %v：有效期必须大于 0（例如 24h）", c.LinkTTL)
	}
	if c.Web != "" {
		host, port, err := net.SplitHostPort(c.Web)
		if err != nil {
			return usagef("--web %q 不是监听地址（例如 :8080 或 127.0.0.1:8080）", c.Web)
		}
		if c.WebURL == "" {
			if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
				host = "localhost"
			}
			c.WebURL = "http://" + net.JoinHostPort(host, port)
		}
	}
	if c.WebURL != "" {
		u, err := url.Parse(c.WebURL)
		if err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return usagef("--web-url %q 不是有效的 http(s) 地址（例如 https://duban.example.gov.cn）", c.WebURL)
		}
	}
	return nil
}

// links is what /ledger signs links with; nil (the chat then says the web
// ledger is off) when there is no URL to put in them.
func (c *webConfig) links() bot.LedgerLinks {
	if c.WebURL == "" {
		return nil
	}
	return web.Links{BaseURL: c.WebURL, TTL: c.LinkTTL}
}

// runWeb is `duban web rotate-key`: a new key for the links, so every
// link given out so far stops working.
func runWeb(ctx context.Context, env *Env, args []string) error {
	c, fs := newCommand(env, "web", "rotate-key",
		"网页台账。rotate-key：更换签发 /ledger 链接的密钥，此前发出的所有链接立即失效（需先停止 duban serve）。")
	pos, err := c.parse(fs, args, 1, "rotate-key")
	if err != nil {
		return err
	}
	if pos[0] != "rotate-key" {
		return usagef("未知的子命令 %q：目前只有 duban web rotate-key", pos[0])
	}
	return c.withDB(readWrite, func(db *store.DB) error {
		if err := db.Update(func(tx *store.Tx) error { _, err := tx.RotateWebKey(); return err }); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "已更换网页台账密钥：此前发出的 /ledger 链接全部失效。 / web ledger key rotated: every earlier link is now invalid.")
		return nil
	})
}
