// Package fixes has the allocations that the suggested fix moves before
// the lock, and those it must leave where they are.
package fixes

import (
	"runtime"
	"sync"
)

type T struct{ a, b int }

type Cache struct {
	mu    sync.Mutex
	m     map[string]int
	buf   []byte
	items []*T
	t     *T
	n     int
	index map[string]int
}

const size = 16

// regMu guards the count of live handles.
var (
	regMu sync.Mutex
	live  int
)

var (
	global = 4
	index  = map[string]int{}
)

// Decl moves as a whole.
func (c *Cache) Decl() {
	c.mu.Lock()
	defer c.mu.Unlock()
	buf := make([]byte, size) // want `^make\(\[\]byte, size\) while holding Cache.mu`
	copy(buf, c.buf)
	c.buf = buf
}

// VarDecl reads a parameter.
func (c *Cache) VarDecl(n int) map[string]int {
	c.mu.Lock()
	var m = make(map[string]int, n) // want `make\(map\[string\]int, n\)`
	for k, v := range c.m {
		m[k] = v
	}
	c.mu.Unlock()
	return m
}

// Field reads a value computed before the lock.
func (c *Cache) Field(keys []string) {
	n := len(keys)
	c.mu.Lock()
	c.m = make(map[string]int, n) // want `make\(map\[string\]int, n\)`
	c.mu.Unlock()
}

// Literal is a composite literal of constants.
func (c *Cache) Literal() {
	c.mu.Lock()
	c.t = &T{a: 1, b: size} // want `^&T\{…\} while holding Cache.mu`
	c.mu.Unlock()
}

// Slice is a literal of literals with a parameter in it.
func (c *Cache) Slice(x int) {
	c.mu.Lock()
	c.items = []*T{{a: x}, {b: -x}} // want `^\[\]\*T\{…\} while holding Cache.mu`
	c.mu.Unlock()
}

// Helper takes the lock through a helper.
func (c *Cache) Helper() {
	c.lock()
	c.m = make(map[string]int) // want `make\(map\[string\]int\)`
	c.mu.Unlock()
}

func (c *Cache) lock() { c.mu.Lock() }

// Shadowed: buf is read under the lock before the declaration that
// shadows it, so the new value goes to a new variable.
func (c *Cache) Shadowed(in []byte) {
	buf := in
	{
		c.mu.Lock()
		c.buf = buf
		buf := make([]byte, size) // want `1 other allocation in this section`
		c.buf = append(c.buf, buf...)
		c.mu.Unlock()
	}
}

// Taken: the field's name is a package-level variable's.
func (c *Cache) Taken() {
	c.mu.Lock()
	c.index = make(map[string]int) // want `make\(map\[string\]int\)`
	c.mu.Unlock()
}

// Case allocates in a case clause.
func (c *Cache) Case(mode int) {
	switch mode {
	case 1:
		c.mu.Lock()
		c.m = map[string]int{"a": 1} // want `while holding Cache.mu`
		c.mu.Unlock()
	}
}

// No fix: the size is read under the lock.
func (c *Cache) ReadsField() {
	c.mu.Lock()
	c.buf = make([]byte, c.n) // want `make\(\[\]byte, c.n\)`
	c.mu.Unlock()
}

// No fix: the size is assigned inside the section.
func (c *Cache) AssignedInside() {
	n := 1
	c.mu.Lock()
	n = c.n
	c.buf = make([]byte, n) // want `make\(\[\]byte, n\)`
	c.mu.Unlock()
}

// No fix: a package-level variable may be what the lock guards.
func (c *Cache) Global() {
	c.mu.Lock()
	c.buf = make([]byte, global) // want `make\(\[\]byte, global\)`
	c.mu.Unlock()
}

// No fix: one allocation per iteration.
func (c *Cache) Loop() {
	c.mu.Lock()
	for i := 0; i < 3; i++ {
		c.t = &T{a: 1} // want `^&T\{…\} while holding Cache.mu`
	}
	c.mu.Unlock()
}

// No fix: the allocation is in a callee.
func (c *Cache) Call() {
	c.mu.Lock()
	c.buf = newBuf() // want `allocation through newBuf`
	c.mu.Unlock()
}

func newBuf() []byte { return make([]byte, size) }

// No fix: a closure may change n.
func (c *Cache) Closure() {
	n := 4
	grow := func() { n *= 2 }
	c.mu.Lock()
	grow()
	c.buf = make([]byte, n) // want `make\(\[\]byte, n\)`
	c.mu.Unlock()
}

// No fix: n is changed through a pointer.
func (c *Cache) Pointer() {
	n := 4
	p := &n
	c.mu.Lock()
	*p = c.n
	c.buf = make([]byte, n) // want `make\(\[\]byte, n\)`
	c.mu.Unlock()
}

// No fix: n is captured from the enclosing function.
func (c *Cache) Captured(n int) {
	func() {
		c.mu.Lock()
		c.buf = make([]byte, n) // want `make\(\[\]byte, n\)`
		c.mu.Unlock()
	}()
}

// No fix: the allocation is in a condition.
func (c *Cache) Cond() {
	c.mu.Lock()
	if m := make(map[string]int); c.n > 0 { // want `make\(map\[string\]int\)`
		c.m = m
	}
	c.mu.Unlock()
}

// No fix: the allocation is in another block than the lock.
func (c *Cache) Nested(ok bool) {
	c.mu.Lock()
	if ok {
		c.m = make(map[string]int) // want `make\(map\[string\]int\)`
	}
	c.mu.Unlock()
}

// TwoLocks allocates under two shared locks: one diagnostic per section,
// and one fix, on the outer one, that moves the allocation before both.
func (c *Cache) TwoLocks() {
	regMu.Lock()
	c.mu.Lock()
	c.m = make(map[string]int) // want `while holding fixes.regMu \(locked at fixes.go:\d+\)` `while holding Cache.mu`
	c.mu.Unlock()
	regMu.Unlock()
}

type Handle struct{ c *Cache }

func (h *Handle) finalize() {
	h.c.mu.Lock()
	h.c.n--
	h.c.mu.Unlock()
	regMu.Lock()
	live--
	regMu.Unlock()
}

func Open(c *Cache) *Handle {
	h := &Handle{c: c}
	runtime.SetFinalizer(h, (*Handle).finalize)
	return h
}
