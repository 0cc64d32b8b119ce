package store

import (
	"encoding/binary"
	"errors"
	"math"
	"time"
)

// Task records are stored in a compact binary form rather than JSON: a
// department's 5,000 tasks must list in a few milliseconds, and decoding
// JSON costs several microseconds a record. The first byte is the format
// version; fields follow in a fixed order (strings and lists length-
// prefixed with uvarints, numbers as varints or IEEE bits, times as Unix
// nanoseconds). Append new fields at the end and bump the version.
const taskFormat = 2 // 2: CarriedFrom at the end

var errShortRecord = errors.New("task record truncated")

type encoder struct{ b []byte }

func (e *encoder) str(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) strs(ss []string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

func (e *encoder) int(v int64)     { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) float(f float64) { e.b = binary.AppendUvarint(e.b, math.Float64bits(f)) }
func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.int(0)
		return
	}
	e.int(t.UnixNano())
}
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

type decoder struct {
	b      []byte
	err    error
	intern map[string]string // repeated values (section, department, status) share one string
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errShortRecord
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) str() string {
	n := d.uvarint()
	if d.err != nil || uint64(len(d.b)) < n {
		d.err = errShortRecord
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// raw reads a string's bytes without copying them (valid while the
// transaction is).
func (d *decoder) raw() []byte {
	n := d.uvarint()
	if d.err != nil || uint64(len(d.b)) < n {
		d.err = errShortRecord
		return nil
	}
	b := d.b[:n]
	d.b = d.b[n:]
	return b
}

// istr reads a string that repeats across records, allocating it once per
// transaction (a map lookup by string(bytes) does not allocate).
func (d *decoder) istr() string {
	n := d.uvarint()
	if d.err != nil || uint64(len(d.b)) < n {
		d.err = errShortRecord
		return ""
	}
	raw := d.b[:n]
	d.b = d.b[n:]
	if d.intern == nil {
		return string(raw)
	}
	if s, ok := d.intern[string(raw)]; ok {
		return s
	}
	s := string(raw)
	d.intern[s] = s
	return s
}

func (d *decoder) strs() []string {
	n := d.uvarint()
	if n == 0 || d.err != nil || n > uint64(len(d.b)) {
		if n > uint64(len(d.b)) {
			d.err = errShortRecord
		}
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.istr()
	}
	return out
}

func (d *decoder) int() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errShortRecord
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) float() float64 { return math.Float64frombits(d.uvarint()) }

func (d *decoder) time() time.Time {
	if v := d.int(); v != 0 {
		return time.Unix(0, v)
	}
	return time.Time{}
}

func (d *decoder) bool() bool {
	if d.err != nil || len(d.b) == 0 {
		d.err = errShortRecord
		return false
	}
	v := d.b[0] == 1
	d.b = d.b[1:]
	return v
}
