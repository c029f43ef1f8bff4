package gen

import (
	"crypto/sha512"
	"encoding/binary"
	"math/big"
)

// pyRand is CPython's Mersenne Twister (random.Random) as far as the
// vocabulary needs it: string seeding (version 2) and choice. Matching it
// draw for draw gives the same 200,000 words, in the same Zipf ranks, as
// the Python reference generator, so the shared query set (which names
// words by rank) means the same thing against both corpora.
type pyRand struct {
	mt  [624]uint32
	idx int
}

// newPyRand seeds like random.Random(s) for a str s.
func newPyRand(s string) *pyRand {
	b := []byte(s)
	sum := sha512.Sum512(b)
	n := new(big.Int).SetBytes(append(b, sum[:]...))
	// CPython feeds the absolute value to init_by_array as 32-bit words,
	// least significant first.
	be := n.Bytes()
	words := (len(be) + 3) / 4
	if words == 0 {
		words = 1
	}
	key := make([]uint32, words)
	for i := range key {
		var w [4]byte
		for j := 0; j < 4; j++ {
			k := len(be) - 1 - (4*i + j)
			if k >= 0 {
				w[j] = be[k]
			}
		}
		key[i] = binary.LittleEndian.Uint32(w[:])
	}
	r := &pyRand{}
	r.initByArray(key)
	return r
}

func (r *pyRand) initGenrand(s uint32) {
	r.mt[0] = s
	for i := 1; i < 624; i++ {
		r.mt[i] = 1812433253*(r.mt[i-1]^(r.mt[i-1]>>30)) + uint32(i)
	}
	r.idx = 624
}

func (r *pyRand) initByArray(key []uint32) {
	r.initGenrand(19650218)
	i, j := 1, 0
	k := max(624, len(key))
	for ; k > 0; k-- {
		r.mt[i] = (r.mt[i] ^ ((r.mt[i-1] ^ (r.mt[i-1] >> 30)) * 1664525)) + key[j] + uint32(j)
		i++
		j++
		if i >= 624 {
			r.mt[0] = r.mt[623]
			i = 1
		}
		if j >= len(key) {
			j = 0
		}
	}
	for k = 623; k > 0; k-- {
		r.mt[i] = (r.mt[i] ^ ((r.mt[i-1] ^ (r.mt[i-1] >> 30)) * 1566083941)) - uint32(i)
		i++
		if i >= 624 {
			r.mt[0] = r.mt[623]
			i = 1
		}
	}
	r.mt[0] = 0x80000000
}

func (r *pyRand) uint32() uint32 {
	const upper, lower = 0x80000000, 0x7fffffff
	mag := [2]uint32{0, 0x9908b0df}
	if r.idx >= 624 {
		var kk int
		for kk = 0; kk < 624-397; kk++ {
			y := (r.mt[kk] & upper) | (r.mt[kk+1] & lower)
			r.mt[kk] = r.mt[kk+397] ^ (y >> 1) ^ mag[y&1]
		}
		for ; kk < 623; kk++ {
			y := (r.mt[kk] & upper) | (r.mt[kk+1] & lower)
			r.mt[kk] = r.mt[kk+(397-624)] ^ (y >> 1) ^ mag[y&1]
		}
		y := (r.mt[623] & upper) | (r.mt[0] & lower)
		r.mt[623] = r.mt[396] ^ (y >> 1) ^ mag[y&1]
		r.idx = 0
	}
	y := r.mt[r.idx]
	r.idx++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// below is random.Random._randbelow(n) for n < 2**32: rejection sampling
// on the top bit_length(n) bits.
func (r *pyRand) below(n int) int {
	k := 0
	for v := n; v > 0; v >>= 1 {
		k++
	}
	for {
		v := int(r.uint32() >> (32 - k))
		if v < n {
			return v
		}
	}
}

func (r *pyRand) choice(s []string) string { return s[r.below(len(s))] }
