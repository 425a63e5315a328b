package provision

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2Params are the argon2id cost parameters of password hashes.
type Argon2Params struct {
	MemoryKiB uint32 // m
	Time      uint32 // t, passes
	Threads   uint8  // p, lanes
}

// PasswordParams are the parameters new hashes use: OWASP's recommended minimum for argon2id (19 MiB,
// 2 passes, 1 lane), about 30-60 ms on one core of a small server. Hashes with other parameters still
// verify, and are rehashed with these at the next successful sign-in.
var PasswordParams = Argon2Params{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
	// maxPasswordBytes bounds the work one attempt can cause.
	maxPasswordBytes = 1024
)

// kdfSlots bounds how many hashes run at once, so a burst of sign-in attempts cannot exhaust memory
// (each takes MemoryKiB): the others wait their turn.
var kdfSlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

func kdf(password, salt []byte, p Argon2Params, n uint32) []byte {
	kdfSlots <- struct{}{}
	defer func() { <-kdfSlots }()
	return argon2.IDKey(password, salt, p.Time, p.MemoryKiB, p.Threads, n)
}

var b64 = base64.RawStdEncoding

// HashPassword returns the argon2id hash of password in the PHC string format
// $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH (unpadded standard base64), with a random 16-byte salt.
func HashPassword(password string) string {
	salt := make([]byte, saltLen)
	rand.Read(salt)
	p := PasswordParams
	key := kdf([]byte(password), salt, p, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// VerifyPassword reports whether password matches the PHC-format argon2id hash, comparing in constant
// time. An error means the stored hash is malformed, not that the password is wrong.
func VerifyPassword(password, phc string) (bool, error) {
	p, salt, want, err := parsePHC(phc)
	if err != nil {
		return false, err
	}
	if len(password) > maxPasswordBytes {
		dummyVerify()
		return false, nil
	}
	got := kdf([]byte(password), salt, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// needsRehash reports whether a valid hash was made with other parameters than PasswordParams.
func needsRehash(phc string) bool {
	p, salt, key, err := parsePHC(phc)
	return err == nil && (p != PasswordParams || len(salt) != saltLen || len(key) != keyLen)
}

// dummyVerify does the work of one verification with the current parameters, for attempts on usernames
// that do not exist: the answer then takes as long as for a wrong password.
func dummyVerify() {
	kdf([]byte("rollcall: no such account"), make([]byte, saltLen), PasswordParams, keyLen)
}

var errBadHash = errors.New("stored password hash is not a supported argon2id PHC string")

func parsePHC(phc string) (p Argon2Params, salt, key []byte, err error) {
	parts := strings.Split(phc, "$")
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, errBadHash
	}
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		n, perr := strconv.ParseUint(v, 10, 32)
		if !ok || perr != nil {
			return p, nil, nil, errBadHash
		}
		switch k {
		case "m":
			p.MemoryKiB = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > 255 {
				return p, nil, nil, errBadHash
			}
			p.Threads = uint8(n)
		default:
			return p, nil, nil, errBadHash
		}
	}
	// Refuse parameters that would let a tampered row make one check arbitrarily expensive.
	if p.Time < 1 || p.Time > 10 || p.Threads < 1 || p.Threads > 16 || p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > 256*1024 {
		return p, nil, nil, errBadHash
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, errBadHash
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, errBadHash
	}
	return p, salt, key, nil
}
