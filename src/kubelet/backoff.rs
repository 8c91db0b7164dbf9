//! client-go's `util/flowcontrol.Backoff` as the kubelet uses it: one entry per key (a container,
//! `pod-uid_image` for pulls), starting at 10 s and doubling to 300 s
//! (`flowcontrol.NewBackOff(backOffPeriod, MaxContainerBackOff)` in pkg/kubelet/kubelet.go), and
//! forgotten when the last update is more than twice the maximum old (so a container that ran for
//! 10 minutes starts again from 10 s).

use std::collections::BTreeMap;

use crate::sim::Millis;

/// The kubelet's initial back-off (`backOffPeriod`).
pub const INITIAL: Millis = 10_000;
/// `MaxContainerBackOff` and `MaxImageBackOff`.
pub const MAX: Millis = 300_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    backoff: Millis,
    last_update: Millis,
}

#[derive(Debug, Clone, Default)]
pub struct Backoff {
    entries: BTreeMap<String, Entry>,
}

impl Backoff {
    fn has_expired(event_time: Millis, last_update: Millis) -> bool {
        event_time.saturating_sub(last_update) > 2 * MAX
    }

    /// The current back-off of `key` (`Backoff.Get`), 0 when it has none.
    pub fn get(&self, key: &str) -> Millis {
        self.entries.get(key).map_or(0, |e| e.backoff)
    }

    /// `IsInBackOffSince`: whether less than the back-off has passed since `event_time` (the
    /// finish time of the container that exited).
    pub fn is_in_backoff_since(&self, key: &str, event_time: Millis, now: Millis) -> bool {
        match self.entries.get(key) {
            Some(e) if !Self::has_expired(event_time, e.last_update) => {
                now.saturating_sub(event_time) < e.backoff
            }
            _ => false,
        }
    }

    /// `IsInBackOffSinceUpdate`: whether less than the back-off has passed since the last update.
    pub fn is_in_backoff_since_update(&self, key: &str, now: Millis) -> bool {
        match self.entries.get(key) {
            Some(e) if !Self::has_expired(now, e.last_update) => {
                now.saturating_sub(e.last_update) < e.backoff
            }
            _ => false,
        }
    }

    /// `Next`: start at the initial back-off, or double it (up to the maximum).
    pub fn next(&mut self, key: &str, event_time: Millis, now: Millis) {
        let backoff = match self.entries.get(key) {
            Some(e) if !Self::has_expired(event_time, e.last_update) => (e.backoff * 2).min(MAX),
            _ => INITIAL,
        };
        self.entries.insert(
            key.to_string(),
            Entry {
                backoff,
                last_update: now,
            },
        );
    }

    /// Forget every key starting with `prefix` (a pod's entries, once it is gone).
    pub fn forget_prefix(&mut self, prefix: &str) {
        self.entries.retain(|k, _| !k.starts_with(prefix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_ten_seconds_to_five_minutes() {
        let mut b = Backoff::default();
        assert!(!b.is_in_backoff_since("c", 0, 0));
        b.next("c", 0, 100);
        assert_eq!(b.get("c"), 10_000);
        assert!(b.is_in_backoff_since("c", 500, 1_000));
        assert!(!b.is_in_backoff_since("c", 500, 10_500));
        for _ in 0..10 {
            b.next("c", 1_000, 1_000);
        }
        assert_eq!(b.get("c"), 300_000);
        b.next("c", 700_000, 700_000);
        assert_eq!(b.get("c"), 10_000, "reset after ten minutes");
    }

    #[test]
    fn since_update_is_what_image_pulls_use() {
        let mut b = Backoff::default();
        b.next("uid_doesnotexist:1.0", 500, 500);
        assert!(b.is_in_backoff_since_update("uid_doesnotexist:1.0", 10_499));
        assert!(!b.is_in_backoff_since_update("uid_doesnotexist:1.0", 10_500));
    }
}
