// Package secrets seals values at rest with the server key (AES-256-GCM), generates credentials, and hashes
// client secrets for checking. The server key comes from ROLLCALL_SECRET_KEY (base64 of 32 bytes; every
// server process of one database must share it) or, on a single machine, from a file in the data directory
// created on first start with mode 0600. Secrets and the key never reach a log.
package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the length of the server key in bytes.
const KeySize = 32

// Sealer encrypts and decrypts values with the server key.
type Sealer struct{ aead cipher.AEAD }

// String never prints key material.
func (s *Sealer) String() string { return "secrets.Sealer{key:***}" }

// NewSealer returns a sealer over a 32-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("server key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// LoadKey returns the server key: from env (base64, standard or URL alphabet) when set, else from
// dataDir/server.key, which is created with a random key if missing.
func LoadKey(env, dataDir string) ([]byte, error) {
	if env != "" {
		k, err := decodeKey(env)
		if err != nil {
			return nil, fmt.Errorf("ROLLCALL_SECRET_KEY: %w (generate one with: head -c32 /dev/urandom | base64)", err)
		}
		return k, nil
	}
	path := filepath.Join(dataDir, "server.key")
	if b, err := os.ReadFile(path); err == nil {
		k, err := decodeKey(strings.TrimSpace(string(b)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return k, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, err
	}
	k := make([]byte, KeySize)
	rand.Read(k)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) { // another process won the race: use its key
			return LoadKey("", dataDir)
		}
		return nil, err
	}
	defer f.Close()
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(k) + "\n"); err != nil {
		return nil, err
	}
	return k, f.Sync()
}

func decodeKey(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil {
			if len(k) != KeySize {
				return nil, fmt.Errorf("want %d bytes, got %d", KeySize, len(k))
			}
			return k, nil
		}
	}
	return nil, errors.New("not valid base64")
}

// Seal encrypts plaintext; aad binds the ciphertext to its place (e.g. "connection:ID"), so a sealed value
// copied to another row does not open.
func (s *Sealer) Seal(plaintext []byte, aad string) []byte {
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, plaintext, []byte(aad))
}

// Open decrypts a value sealed with the same key and aad.
func (s *Sealer) Open(sealed []byte, aad string) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("sealed value too short")
	}
	pt, err := s.aead.Open(nil, sealed[:n], sealed[n:], []byte(aad))
	if err != nil {
		return nil, errors.New("sealed value does not open with this server key (was ROLLCALL_SECRET_KEY changed?)")
	}
	return pt, nil
}

// alphabet of generated secrets: letters and digits only, so they survive copy, paste, URLs and forms.
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// NewSecret returns a random secret of n characters (n >= 32 for client secrets): about 5.95 bits each.
func NewSecret(n int) string {
	b := make([]byte, n)
	max := byte(len(alphabet) * (256 / len(alphabet)))
	for i := 0; i < n; {
		var r [1]byte
		rand.Read(r[:])
		if r[0] >= max {
			continue // reject to keep the distribution uniform
		}
		b[i] = alphabet[int(r[0])%len(alphabet)]
		i++
	}
	return string(b)
}

// HashSecret returns the hex SHA-256 of a generated secret. A fast hash is right here: generated secrets
// carry ~190 bits of entropy, so they cannot be guessed from the hash; passwords use a slow KDF instead.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// SecretMatches compares a presented secret with a stored hash in constant time.
func SecretMatches(secret, hash string) bool {
	if hash == "" {
		return false
	}
	got := HashSecret(secret)
	return subtle.ConstantTimeCompare([]byte(got), []byte(hash)) == 1
}
