//! The event recorder kube-controller-manager's workload controllers use: client-go's legacy
//! `tools/record` (core/v1 Events with `source.component`, `count`, `firstTimestamp` and
//! `lastTimestamp`) and its EventCorrelator (tools/record/events_cache.go):
//!
//! - EventAggregator: once ten events about an object share source, type and reason but differ
//!   in message within ten minutes, further ones become one `(combined from similar events): …`
//!   event;
//! - eventLogger: an event seen before under the same key is not created again; the Event's
//!   `count`, `lastTimestamp` and `message` are patched;
//! - EventSourceObjectSpamFilter: 25 events per source and object at once, then one per five
//!   minutes; the rest are dropped.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::apiserver::{timestamp, PatchType, Request, Verb};
use crate::client::{core, Ctx};
use crate::events::reference;
use crate::sim::Millis;

/// `defaultAggregateMaxEvents` and `defaultAggregateIntervalInSeconds`.
const AGGREGATE_MAX_EVENTS: usize = 10;
const AGGREGATE_INTERVAL_MS: Millis = 600_000;
/// `defaultSpamBurst` and `defaultSpamQPS` (1/300 per second).
const SPAM_BURST: f64 = 25.0;
const SPAM_REFILL_MS: f64 = 300_000.0;

/// What the eventLogger remembers of an event it sent.
#[derive(Debug, Clone)]
struct Observation {
    namespace: String,
    name: String,
    first: Millis,
    count: i64,
}

/// A recorder for one controller (`deployment-controller`, `replicaset-controller`).
#[derive(Debug, Default, Clone)]
pub struct Recorder {
    component: String,
    /// eventLogger: event key → what was sent.
    observed: BTreeMap<String, Observation>,
    /// EventAggregator: aggregate key → (distinct messages, when the last came).
    similar: BTreeMap<String, (BTreeSet<String>, Millis)>,
    /// Spam filter: source and object → (tokens, when last refilled).
    buckets: BTreeMap<String, (f64, Millis)>,
}

/// An event's name: the object's name and the time in nanoseconds, in hex; events of the same
/// virtual millisecond get increasing nanoseconds (from the etcd revision) so names sort in order.
fn event_name(object_name: &str, ctx: &Ctx) -> String {
    let nanos =
        crate::sim::wall_clock(ctx.now).as_nanosecond() + (ctx.revision() % 1_000_000) as i128;
    format!("{object_name}.{nanos:x}")
}

impl Recorder {
    pub fn new(component: &str) -> Self {
        Recorder {
            component: component.into(),
            ..Default::default()
        }
    }

    /// `Eventf(object, type, reason, message)`.
    pub fn event(
        &mut self,
        ctx: &mut Ctx,
        regarding: &Value,
        type_: &str,
        reason: &str,
        message: &str,
    ) {
        let involved = reference(regarding, None);
        let object: String = ["kind", "namespace", "name", "uid", "apiVersion"]
            .map(|f| involved[f].as_str().unwrap_or_default().to_string())
            .concat();
        let event_key = format!("{}{object}{type_}{reason}{message}", self.component);
        let aggregate_key = format!(
            "{}{object}{type_}{reason}{}",
            self.component, self.component
        );
        let combined = self.aggregate(&aggregate_key, message, ctx.now);
        let (key, message, reporting) = if combined {
            let text = format!("(combined from similar events): {message}");
            (aggregate_key, text, String::new())
        } else {
            (event_key, message.to_string(), self.component.clone())
        };
        let ns = involved["namespace"]
            .as_str()
            .filter(|n| !n.is_empty())
            .unwrap_or("default");
        let previous = self.observed.get(&key).cloned();
        let observation = match previous {
            Some(o) => Observation {
                count: o.count + 1,
                ..o
            },
            None => Observation {
                namespace: ns.to_string(),
                name: event_name(involved["name"].as_str().unwrap_or_default(), ctx),
                first: ctx.now,
                count: 1,
            },
        };
        self.observed.insert(key, observation.clone());
        if !self.take_token(&format!("{}{object}{type_}", self.component), ctx.now) {
            return;
        }
        if observation.count > 1 {
            let patch = json!({"count": observation.count, "lastTimestamp": timestamp(ctx.now), "message": message});
            let req = Request::new(
                Verb::Patch(PatchType::Strategic),
                core("events"),
                &ctx.user(),
            )
            .namespace(Some(&observation.namespace))
            .name(&observation.name)
            .body(patch);
            if ctx.request(req).is_success() {
                return;
            }
        }
        let body = json!({
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": observation.name, "namespace": observation.namespace},
            "involvedObject": involved,
            "reason": reason,
            "message": message,
            "type": type_,
            "count": observation.count,
            "firstTimestamp": timestamp(observation.first),
            "lastTimestamp": timestamp(ctx.now),
            "eventTime": null,
            "reportingComponent": reporting,
            "reportingInstance": "",
            "source": {"component": self.component},
        });
        ctx.create(core("events"), Some(&observation.namespace), body);
    }

    /// `EventAggregate`: whether this event is one too many of its kind and must be combined.
    fn aggregate(&mut self, key: &str, message: &str, now: Millis) -> bool {
        let record = self
            .similar
            .entry(key.to_string())
            .or_insert_with(|| (BTreeSet::new(), now));
        if now.saturating_sub(record.1) > AGGREGATE_INTERVAL_MS {
            record.0.clear();
        }
        record.0.insert(message.to_string());
        record.1 = now;
        if record.0.len() < AGGREGATE_MAX_EVENTS {
            return false;
        }
        if let Some(any) = record.0.iter().next().cloned() {
            record.0.remove(&any);
        }
        true
    }

    /// The spam filter's token bucket for one source and object.
    fn take_token(&mut self, key: &str, now: Millis) -> bool {
        let (tokens, last) = self
            .buckets
            .entry(key.to_string())
            .or_insert((SPAM_BURST, now));
        *tokens = (*tokens + now.saturating_sub(*last) as f64 / SPAM_REFILL_MS).min(SPAM_BURST);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tenth_distinct_message_is_combined() {
        let mut r = Recorder::new("replicaset-controller");
        let combined: Vec<bool> = (0..12)
            .map(|i| r.aggregate("k", &format!("Created pod: p{i}"), 0))
            .collect();
        assert_eq!(combined.iter().filter(|c| !**c).count(), 9);
        assert!(combined[9] && combined[11]);
        // Ten minutes later the record starts afresh.
        assert!(!r.aggregate("k", "Created pod: q", 700_000));
    }

    #[test]
    fn the_spam_filter_allows_a_burst_of_25() {
        let mut r = Recorder::new("replicaset-controller");
        let allowed = (0..30).filter(|_| r.take_token("k", 0)).count();
        assert_eq!(allowed, 25);
        assert!(r.take_token("k", 300_000));
    }
}
