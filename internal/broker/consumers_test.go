package broker

import "testing"

// nats-server takes BackOff[0] as the lease when a BackOff is set; the
// table must not silently shorten the AckWait it declares.
func TestConsumerLeases(t *testing.T) {
	t.Parallel()
	for _, c := range Consumers {
		t.Run(c.Stage, func(t *testing.T) {
			if len(c.BackOff) > 0 && c.BackOff[0] != c.AckWait {
				t.Errorf("BackOff[0] = %s, AckWait = %s: the server would use %s as the lease", c.BackOff[0], c.AckWait, c.BackOff[0])
			}
			if c.MaxDeliver <= len(c.BackOff) {
				t.Errorf("MaxDeliver %d must exceed len(BackOff) %d", c.MaxDeliver, len(c.BackOff))
			}
			if c.MaxAckPending <= 0 || c.Concurrency <= 0 {
				t.Errorf("MaxAckPending %d, Concurrency %d", c.MaxAckPending, c.Concurrency)
			}
		})
	}
}
