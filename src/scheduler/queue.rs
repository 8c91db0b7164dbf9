//! The scheduling queue (pkg/scheduler/backend/queue): activeQ, ordered by priority then by when
//! the pod was queued; backoffQ, for pods waiting out a backoff of 1 s doubling to 10 s; and the
//! unschedulable pool, where pods rejected by plugins wait for a cluster event that might help, or
//! for 5 minutes at the most.

use crate::sim::Millis;

pub const INITIAL_BACKOFF: Millis = 1_000;
pub const MAX_BACKOFF: Millis = 10_000;
/// podMaxInUnschedulablePodsDuration.
pub const MAX_IN_UNSCHEDULABLE: Millis = 5 * 60 * 1_000;
/// How often the unschedulable pool is checked for pods that waited too long.
pub const UNSCHEDULABLE_FLUSH_PERIOD: Millis = 30_000;
/// backoffQ is flushed by a loop that runs once a second (flushBackoffQCompleted), so a pod whose
/// backoff ended waits for the next tick. The ticks' phase is the scheduler's start time; podlab
/// fixes it at half a second.
pub const BACKOFF_FLUSH_PERIOD: Millis = 1_000;
const BACKOFF_FLUSH_PHASE: Millis = 500;

/// The first backoff flush tick at or after `at`.
pub fn next_backoff_flush(at: Millis) -> Millis {
    let since = at.saturating_sub(BACKOFF_FLUSH_PHASE);
    BACKOFF_FLUSH_PHASE + since.div_ceil(BACKOFF_FLUSH_PERIOD) * BACKOFF_FLUSH_PERIOD
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedPod {
    /// `namespace/name`.
    pub key: String,
    pub priority: i64,
    /// When the pod was last put in a queue.
    pub queued_at: Millis,
    /// Scheduling attempts so far.
    pub attempts: u32,
    /// When the last attempt failed, for the backoff.
    pub failed_at: Millis,
}

impl QueuedPod {
    /// calculateBackoffDuration: 1 s, doubled for each further attempt, at most 10 s.
    pub fn backoff_until(&self) -> Millis {
        let mut d = INITIAL_BACKOFF;
        for _ in 1..self.attempts {
            d = (d * 2).min(MAX_BACKOFF);
        }
        self.failed_at + d
    }
}

#[derive(Debug, Clone, Default)]
pub struct SchedulingQueue {
    active: Vec<QueuedPod>,
    backoff: Vec<QueuedPod>,
    unschedulable: Vec<QueuedPod>,
}

impl SchedulingQueue {
    fn contains(&self, key: &str) -> bool {
        self.active
            .iter()
            .chain(&self.backoff)
            .chain(&self.unschedulable)
            .any(|p| p.key == key)
    }

    /// A new pending pod goes straight to activeQ.
    pub fn add(&mut self, key: &str, priority: i64, now: Millis) {
        if !self.contains(key) {
            self.active.push(QueuedPod {
                key: key.into(),
                priority,
                queued_at: now,
                attempts: 0,
                failed_at: now,
            });
        }
    }

    /// The pod was bound or deleted: forget it.
    pub fn remove(&mut self, key: &str) {
        for q in [&mut self.active, &mut self.backoff, &mut self.unschedulable] {
            q.retain(|p| p.key != key);
        }
    }

    /// Pop the head of activeQ: highest priority first, then the longest waiting (PrioritySort).
    pub fn pop(&mut self) -> Option<QueuedPod> {
        let best = (0..self.active.len())
            .min_by_key(|&i| (-self.active[i].priority, self.active[i].queued_at, i))?;
        Some(self.active.remove(best))
    }

    pub fn has_active(&self) -> bool {
        !self.active.is_empty()
    }

    /// A failed attempt. Rejected by plugins: wait in the unschedulable pool for an event.
    /// Failed with an error and no plugin to blame (as "no nodes available"): back off and retry.
    pub fn requeue_failed(&mut self, mut pod: QueuedPod, rejected_by_plugins: bool, now: Millis) {
        pod.failed_at = now;
        pod.queued_at = now;
        if rejected_by_plugins {
            self.unschedulable.push(pod);
        } else {
            self.backoff.push(pod);
        }
    }

    /// A cluster event that may make pods schedulable (a node added or changed, a pod removed):
    /// every unschedulable pod moves to backoffQ, or to activeQ if its backoff is over.
    pub fn move_all(&mut self, now: Millis) {
        for mut pod in std::mem::take(&mut self.unschedulable) {
            pod.queued_at = now;
            if pod.backoff_until() <= now {
                self.active.push(pod);
            } else {
                self.backoff.push(pod);
            }
        }
    }

    /// On a flush tick, move pods whose backoff ended to activeQ; and pods that waited too long
    /// in the unschedulable pool back to the queues.
    pub fn flush(&mut self, now: Millis) {
        let tick = next_backoff_flush(now) == now;
        let (done, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.backoff)
            .into_iter()
            .partition(|p| tick && p.backoff_until() <= now);
        self.backoff = waiting;
        self.active.extend(done);
        let (stale, fresh): (Vec<_>, Vec<_>) = std::mem::take(&mut self.unschedulable)
            .into_iter()
            .partition(|p| now >= p.queued_at + MAX_IN_UNSCHEDULABLE);
        self.unschedulable = fresh;
        self.active.extend(stale);
    }

    /// When the queue next needs attention: the flush tick after the earliest end of a backoff,
    /// or the next check of the unschedulable pool.
    pub fn next_wake(&self, now: Millis) -> Option<Millis> {
        let backoff = self
            .backoff
            .iter()
            .map(|p| next_backoff_flush(p.backoff_until()))
            .min();
        let flush = (!self.unschedulable.is_empty()).then(|| now + UNSCHEDULABLE_FLUSH_PERIOD);
        backoff.into_iter().chain(flush).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_ten_seconds() {
        let mut p = QueuedPod {
            key: "a".into(),
            priority: 0,
            queued_at: 0,
            attempts: 1,
            failed_at: 0,
        };
        assert_eq!(p.backoff_until(), 1_000);
        p.attempts = 2;
        assert_eq!(p.backoff_until(), 2_000);
        p.attempts = 10;
        assert_eq!(p.backoff_until(), 10_000);
    }

    #[test]
    fn backoff_ends_on_a_flush_tick() {
        assert_eq!(next_backoff_flush(0), 500);
        assert_eq!(next_backoff_flush(500), 500);
        assert_eq!(next_backoff_flush(1002), 1500);
        let mut q = SchedulingQueue::default();
        q.add("a", 0, 0);
        let mut p = q.pop().unwrap();
        p.attempts = 1;
        q.requeue_failed(p, false, 2);
        assert_eq!(q.next_wake(2), Some(1500));
        q.flush(1200);
        assert!(!q.has_active());
        q.flush(1500);
        assert!(q.has_active());
    }

    #[test]
    fn higher_priority_first_then_fifo() {
        let mut q = SchedulingQueue::default();
        q.add("low", 0, 1);
        q.add("high", 10, 2);
        q.add("low2", 0, 3);
        assert_eq!(q.pop().unwrap().key, "high");
        assert_eq!(q.pop().unwrap().key, "low");
    }

    #[test]
    fn unschedulable_pods_wait_for_an_event() {
        let mut q = SchedulingQueue::default();
        q.add("a", 0, 0);
        let mut p = q.pop().unwrap();
        p.attempts = 1;
        q.requeue_failed(p, true, 0);
        q.flush(5_000);
        assert!(!q.has_active());
        q.move_all(5_000);
        assert!(q.has_active());
    }
}
