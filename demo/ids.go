package demo

import (
	"encoding/hex"
	"math/rand/v2"
)

// Kinds of records, mixed into sourcedIds so that counters of different kinds never collide.
const (
	kindOrg uint64 = iota + 1
	kindSession
	kindCourse
	kindClass
	kindUser
	kindRole
	kindEnrollment
)

// ids hands out sourcedIds. A sourcedId is a function of (seed, kind, counter) only, formatted like a random
// (version 4) UUID: the same generation run with the same seed numbers its records in the same order and so
// gets the same sourcedIds, and different seeds give unrelated ones. Within one seed the ids are unique: the
// first 64 bits are a bijective mix of (kind, counter) and appear whole in the string.
type ids struct {
	seed uint64
	next [kindEnrollment + 1]uint64
}

func newIDs(seed int64) *ids { return &ids{seed: uint64(seed)} }

// new returns the next sourcedId of the kind.
func (g *ids) new(kind uint64) string {
	n := g.next[kind]
	g.next[kind]++
	return uuidFrom(g.seed, kind, n)
}

// mix64 is the splitmix64 finalizer: a bijection on uint64 with good avalanche.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

func uuidFrom(seed, kind, n uint64) string {
	hi := mix64(seed ^ mix64(kind<<48|n))
	lo := mix64(hi + 0x9e3779b97f4a7c15)
	// Layout of a version 4 UUID: hi fills bytes 0-5 and 10-11 whole; lo fills the rest around the version
	// nibble (byte 6) and the variant bits (byte 8).
	var b [16]byte
	for i := range 6 {
		b[i] = byte(hi >> (56 - 8*i))
	}
	b[10], b[11] = byte(hi>>8), byte(hi)
	b[6] = 0x40 | byte(lo>>56)&0x0f
	b[7] = byte(lo >> 48)
	b[8] = 0x80 | byte(lo>>40)&0x3f
	b[9] = byte(lo >> 32)
	for i := range 4 {
		b[12+i] = byte(lo >> (24 - 8*i))
	}
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:36], b[10:16])
	return string(s[:])
}

// rng is the generator's source of pseudo-random choices: math/rand/v2 over PCG, seeded from the run's seed and
// a stream number, so that each school draws from its own independent, reproducible stream.
type rng struct{ *rand.Rand }

func newRNG(seed int64, stream uint64) rng {
	return rng{rand.New(rand.NewPCG(uint64(seed), mix64(stream+1)))}
}

// chance reports true with probability p.
func (r rng) chance(p float64) bool { return r.Float64() < p }

// pick returns a random element of xs.
func pick[T any](r rng, xs []T) T { return xs[r.IntN(len(xs))] }

// between returns a random integer in [lo, hi].
func (r rng) between(lo, hi int) int { return lo + r.IntN(hi-lo+1) }
