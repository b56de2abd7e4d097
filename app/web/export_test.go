package web

import "time"

// MessageKeys exposes the translations to the tests.
func MessageKeys() map[string][2]string { return messages }

// RenderStats says how many pages were rendered, how many were served from
// the cache, and the most renders that ran at once.
func (c *Console) RenderStats() (renders, hits, maxInFlight int64) {
	return c.gate.renders.Load(), c.gate.hits.Load(), c.gate.maxInFlight.Load()
}

// HoldRenderSlots takes every render slot, as long-running renders would,
// until release is called.
func (c *Console) HoldRenderSlots() (release func()) {
	for range cap(c.gate.slots) {
		c.gate.slots <- struct{}{}
	}
	return func() {
		for range cap(c.gate.slots) {
			<-c.gate.slots
		}
	}
}

// SetRenderWait changes how long a request waits for a render slot.
func (c *Console) SetRenderWait(d time.Duration) { c.gate.wait = d }
