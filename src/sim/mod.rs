//! The simulation kernel: a virtual clock, a deterministic event queue, a seeded random source and
//! the trace every component writes to. Nothing here knows about Kubernetes.

pub mod rng;
pub mod trace;

use std::cmp::Reverse;
use std::collections::BinaryHeap;

pub use rng::Rng;
pub use trace::{Actor, Attachment, Trace, TraceEntry};

/// Virtual time, in milliseconds since the cluster started.
pub type Millis = u64;

/// The wall-clock instant of virtual time 0. Fixed so that runs are reproducible.
pub const EPOCH: &str = "2026-11-21T14:00:00Z";

/// Wall-clock time of a virtual instant.
pub fn wall_clock(at: Millis) -> jiff::Timestamp {
    let epoch: jiff::Timestamp = EPOCH.parse().expect("EPOCH is a valid RFC 3339 timestamp");
    epoch + jiff::SignedDuration::from_millis(at as i64)
}

/// A timer: wake component `who` at virtual time `at`. Ordered by time, then by insertion, so
/// that two timers at the same instant always fire in the same order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Timer {
    at: Millis,
    seq: u64,
    who: usize,
}

/// The discrete-event queue: which component wakes next, and when.
#[derive(Debug, Default, Clone)]
pub struct EventQueue {
    heap: BinaryHeap<Reverse<Timer>>,
    seq: u64,
}

impl EventQueue {
    /// Wake component `who` at `at`, unless it already has a wake-up at or before then.
    pub fn wake(&mut self, who: usize, at: Millis) {
        if self
            .heap
            .iter()
            .any(|Reverse(t)| t.who == who && t.at <= at)
        {
            return;
        }
        self.seq += 1;
        self.heap.push(Reverse(Timer {
            at,
            seq: self.seq,
            who,
        }));
    }

    /// When the next timer fires.
    pub fn next_at(&self) -> Option<Millis> {
        self.heap.peek().map(|Reverse(t)| t.at)
    }

    /// Take the next timer if it fires at or before `until`.
    pub fn pop_until(&mut self, until: Millis) -> Option<(Millis, usize)> {
        match self.heap.peek() {
            Some(Reverse(t)) if t.at <= until => {
                let Reverse(t) = self.heap.pop()?;
                Some((t.at, t.who))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timers_fire_in_time_then_insertion_order() {
        let mut q = EventQueue::default();
        q.wake(2, 10);
        q.wake(1, 5);
        q.wake(3, 10);
        assert_eq!(q.pop_until(100), Some((5, 1)));
        assert_eq!(q.pop_until(100), Some((10, 2)));
        assert_eq!(q.pop_until(9), None);
        assert_eq!(q.pop_until(10), Some((10, 3)));
    }

    #[test]
    fn an_earlier_wake_absorbs_a_later_one() {
        let mut q = EventQueue::default();
        q.wake(1, 5);
        q.wake(1, 8);
        assert_eq!(q.pop_until(100), Some((5, 1)));
        assert_eq!(q.pop_until(100), None);
    }

    #[test]
    fn wall_clock_starts_at_the_epoch() {
        assert_eq!(wall_clock(1500).to_string(), "2026-11-21T14:00:01.5Z");
    }
}
