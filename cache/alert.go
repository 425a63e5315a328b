package cache

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/rollcall/rollcall/settings"
)

// alert tells someone that a refresh failed: the OnFailure hook, then the CacheAlertWebhook setting (a JSON
// POST of the Failure, {"event":"cache.refresh.failed", ...}). Problems delivering it are logged, not returned.
func (c *Cache) alert(ctx context.Context, f Failure) {
	if c.opt.OnFailure != nil {
		c.opt.OnFailure(ctx, f)
	}
	set, err := settings.Load(ctx, c.db.Client)
	if err != nil || set.CacheAlertWebhook == "" {
		return
	}
	if err := c.postAlert(ctx, set.CacheAlertWebhook, f); err != nil {
		c.opt.Logger.Error("cache: alert webhook failed", "url", set.CacheAlertWebhook, "error", err)
	}
}

func (c *Cache) postAlert(ctx context.Context, url string, f Failure) error {
	body, err := json.Marshal(struct {
		Event string `json:"event"`
		Failure
	}{"cache.refresh.failed", f})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.opt.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("webhook answered %s", resp.Status)
	}
	return nil
}
