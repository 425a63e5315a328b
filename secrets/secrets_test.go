package secrets

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealOpen(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	s, err := NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed := s.Seal([]byte("s3cret"), "connection:A")
	if bytes.Contains(sealed, []byte("s3cret")) {
		t.Fatal("sealed value contains the plaintext")
	}
	if again := s.Seal([]byte("s3cret"), "connection:A"); bytes.Equal(sealed, again) {
		t.Error("two seals of one value are equal: the nonce is not random")
	}
	got, err := s.Open(sealed, "connection:A")
	if err != nil || string(got) != "s3cret" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	tests := []struct {
		name   string
		sealed []byte
		aad    string
		key    []byte
	}{
		{"other place", sealed, "connection:B", key},
		{"other key", sealed, "connection:A", bytes.Repeat([]byte{8}, KeySize)},
		{"tampered", append(append([]byte{}, sealed[:len(sealed)-1]...), sealed[len(sealed)-1]^1), "connection:A", key},
		{"truncated", sealed[:5], "connection:A", key},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, _ := NewSealer(tt.key)
			if _, err := o.Open(tt.sealed, tt.aad); err == nil {
				t.Error("opened")
			}
		})
	}
	if strings.Contains(s.String(), "\x07") {
		t.Error("String prints key material")
	}
	if _, err := NewSealer([]byte("short")); err == nil {
		t.Error("a short key was accepted")
	}
}

func TestLoadKey(t *testing.T) {
	dir := t.TempDir()
	k1, err := LoadKey("", dir)
	if err != nil || len(k1) != KeySize {
		t.Fatalf("first load: %v, %d bytes", err, len(k1))
	}
	info, err := os.Stat(filepath.Join(dir, "server.key"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("server.key: %v, mode %v, want 0600", err, info.Mode())
	}
	k2, err := LoadKey("", dir)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatal("second load returned another key: restarts would lose every sealed secret")
	}
	env := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, KeySize))
	k3, err := LoadKey(env, dir)
	if err != nil || !bytes.Equal(k3, bytes.Repeat([]byte{1}, KeySize)) {
		t.Fatalf("environment key: %v", err)
	}
	for _, bad := range []string{"not base64!", base64.StdEncoding.EncodeToString([]byte("16 bytes only..."))} {
		if _, err := LoadKey(bad, dir); err == nil || !strings.Contains(err.Error(), "ROLLCALL_SECRET_KEY") {
			t.Errorf("LoadKey(%q) error = %v, want one naming ROLLCALL_SECRET_KEY", bad, err)
		}
	}
}

func TestNewSecretAndHash(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		s := NewSecret(40)
		if len(s) != 40 || strings.Trim(s, alphabet) != "" {
			t.Fatalf("secret %q: want 40 letters and digits", s)
		}
		if seen[s] {
			t.Fatal("repeated secret")
		}
		seen[s] = true
	}
	s := NewSecret(32)
	h := HashSecret(s)
	if !SecretMatches(s, h) || SecretMatches(s+"x", h) || SecretMatches(s, "") || strings.Contains(h, s) {
		t.Error("hash comparison wrong")
	}
}
