//! Event recording, as `k8s.io/client-go/tools/events` does it for the scheduler and controllers
//! (events.k8s.io/v1: an identical event about the same object, at the same resourceVersion,
//! becomes a series with a count) and as the legacy `tools/record` does it for the kubelet
//! (core/v1: `count`, `firstTimestamp`, `lastTimestamp`). Events are stored as core/v1 Events, the
//! form `kubectl describe` and `kubectl get events` read.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::apiserver::{micro_timestamp, timestamp, PatchType, Request, Verb};
use crate::client::{core, Ctx};
use crate::sim::Millis;

/// What an event is about: the object reference client-go takes from the object.
pub fn reference(obj: &Value, field_path: Option<&str>) -> Value {
    let mut r = json!({
        "apiVersion": obj.get("apiVersion").cloned().unwrap_or(json!("v1")),
        "kind": obj.get("kind").cloned().unwrap_or(Value::Null),
        "name": obj.pointer("/metadata/name").cloned().unwrap_or(Value::Null),
        "namespace": obj.pointer("/metadata/namespace").cloned().unwrap_or(Value::Null),
        "uid": obj.pointer("/metadata/uid").cloned().unwrap_or(Value::Null),
        "resourceVersion": obj.pointer("/metadata/resourceVersion").cloned().unwrap_or(Value::Null),
    });
    if let Some(fp) = field_path {
        r["fieldPath"] = json!(fp);
    }
    r
}

/// An event's name: the object's name and the time in nanoseconds, in hex (`nginx.187a3b...`).
/// Events in the same virtual millisecond get distinct, increasing nanoseconds (from the etcd
/// revision), so that their names sort in the order they happened, as real ones do.
fn event_name(obj_name: &str, ctx: &mut Ctx) -> String {
    let nanos =
        crate::sim::wall_clock(ctx.now).as_nanosecond() + (ctx.revision() % 1_000_000) as i128;
    format!("{obj_name}.{nanos:x}")
}

/// A recorder for one reporting controller (`default-scheduler`, `endpointslice-controller`).
#[derive(Debug, Default, Clone)]
pub struct Recorder {
    controller: String,
    instance: String,
    /// Isomorphic-event cache: key → (event name, namespace, series count).
    cache: BTreeMap<String, (String, String, i64)>,
}

impl Recorder {
    pub fn new(controller: &str, instance: &str) -> Self {
        Recorder {
            controller: controller.into(),
            instance: instance.into(),
            cache: BTreeMap::new(),
        }
    }

    /// Record `reason`/`note` about `regarding` (events.k8s.io semantics).
    pub fn event(
        &mut self,
        ctx: &mut Ctx,
        regarding: &Value,
        type_: &str,
        reason: &str,
        action: &str,
        note: &str,
    ) {
        let ref_ = reference(regarding, None);
        let ns = ref_["namespace"].as_str().unwrap_or("default").to_string();
        let key = format!(
            "{type_}|{action}|{reason}|{}|{ref_}|{note}",
            self.controller
        );
        if let Some((name, ns, count)) = self.cache.get_mut(&key) {
            *count += 1;
            let patch = json!({"series": {"count": *count, "lastObservedTime": micro_timestamp(ctx.now)}, "count": *count});
            let req = Request::new(
                Verb::Patch(PatchType::Strategic),
                core("events"),
                &ctx.user(),
            )
            .namespace(Some(ns.as_str()))
            .name(name)
            .body(patch);
            ctx.request(req);
            return;
        }
        let name = event_name(ref_["name"].as_str().unwrap_or_default(), ctx);
        let body = json!({
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": ns},
            "involvedObject": ref_,
            "reason": reason,
            "message": note,
            "type": type_,
            "action": action,
            "eventTime": micro_timestamp(ctx.now),
            "firstTimestamp": null,
            "lastTimestamp": null,
            "reportingComponent": self.controller,
            "reportingInstance": self.instance,
            "source": {},
        });
        ctx.create(core("events"), Some(&ns), body);
        self.cache.insert(key, (name, ns, 1));
    }
}

/// client-go's EventCorrelator defaults (tools/record/events_cache.go).
const AGGREGATE_MAX_EVENTS: usize = 10;
const AGGREGATE_INTERVAL_MS: Millis = 600_000;
const SPAM_BURST: f64 = 25.0;
/// One new event every five minutes per source and object.
const SPAM_REFILL_MS: f64 = 300_000.0;
/// The correlator's caches are LRUs of this many entries (`maxLruCacheEntries`); podlab forgets
/// a whole cache when it is full.
const CACHE_ENTRIES: usize = 4096;

/// What the event logger remembers of an event it sent (eventLog).
#[derive(Debug, Clone)]
struct Observation {
    count: i64,
    first_timestamp: Millis,
    name: String,
}

/// client-go's legacy `tools/record` recorder (core/v1 events with `source.component`, used by
/// the kubelet and by kube-controller-manager's workload controllers), with its EventCorrelator: an event identical to one sent before
/// (same source, object and fieldPath, type, reason and message) is not created again: the
/// existing Event's `count`, `lastTimestamp` and `message` are patched (eventLogger); more than
/// ten events about an object that differ only by message within ten minutes are combined into
/// one `(combined from similar events): …` event (EventAggregator); and each source may send 25
/// events about an object at once, then one every five minutes (EventSourceObjectSpamFilter).
#[derive(Debug, Clone, Default)]
pub struct LegacyRecorder {
    /// `source.component` (`kubelet`, `deployment-controller`).
    component: String,
    /// `source.host`: the kubelet's node; empty for controllers.
    host: String,
    /// eventLogger: event key → what was sent under it.
    observed: BTreeMap<String, Observation>,
    /// EventAggregator: aggregate key → (messages seen, when the last one was).
    similar: BTreeMap<String, (BTreeSet<String>, Millis)>,
    /// Spam filter token buckets: source and object → (tokens, when last refilled).
    buckets: BTreeMap<String, (f64, Millis)>,
}

impl LegacyRecorder {
    /// The recorder of the kubelet on `host`.
    pub fn new(host: &str) -> Self {
        LegacyRecorder {
            component: "kubelet".into(),
            host: host.to_string(),
            ..Default::default()
        }
    }

    /// The recorder of a controller (`deployment-controller`), which names no host.
    pub fn for_controller(component: &str) -> Self {
        LegacyRecorder {
            component: component.to_string(),
            ..Default::default()
        }
    }

    /// `Eventf(object, type, reason, message)` about a whole object (no fieldPath).
    pub fn object_event(
        &mut self,
        ctx: &mut Ctx,
        regarding: &Value,
        type_: &str,
        reason: &str,
        message: &str,
    ) {
        self.event(ctx, regarding, None, type_, reason, message);
    }

    /// Record `reason`/`message` about `regarding` (a container of it when `field_path` is set).
    pub fn event(
        &mut self,
        ctx: &mut Ctx,
        regarding: &Value,
        field_path: Option<&str>,
        type_: &str,
        reason: &str,
        message: &str,
    ) {
        self.forget_when_full();
        let ref_ = reference(regarding, field_path);
        let object_key = ["kind", "namespace", "name", "uid", "apiVersion"]
            .map(|f| ref_[f].as_str().unwrap_or_default().to_string())
            .join("");
        let source = format!("{}{}", self.component, self.host);
        let event_key = format!(
            "{source}{object_key}{}{type_}{reason}{message}",
            ref_["fieldPath"].as_str().unwrap_or_default()
        );
        // The reporting controller and instance are part of the aggregate key; a combined event
        // is a fresh Event that copies neither (EventAggregate).
        let (reporting, instance) = (self.component.clone(), self.host.clone());
        let aggregate_key = format!("{source}{object_key}{type_}{reason}{reporting}{instance}");
        let (key, message, reporting, instance) =
            match self.aggregate(&aggregate_key, message, ctx.now) {
                true => (
                    aggregate_key,
                    format!("(combined from similar events): {message}"),
                    String::new(),
                    String::new(),
                ),
                false => (event_key, message.to_string(), reporting, instance),
            };
        let previous = self.observed.get(&key).cloned();
        let (name, first, count) = match previous {
            Some(o) if o.count > 0 => (o.name, o.first_timestamp, o.count + 1),
            _ => (
                event_name(ref_["name"].as_str().unwrap_or_default(), ctx),
                ctx.now,
                1,
            ),
        };
        self.observed.insert(
            key,
            Observation {
                count,
                first_timestamp: first,
                name: name.clone(),
            },
        );
        if !self.take_token(&format!("{source}{object_key}{type_}"), ctx.now) {
            return;
        }
        let ns = ref_["namespace"].as_str().unwrap_or("default").to_string();
        if count > 1 {
            let patch =
                json!({"count": count, "lastTimestamp": timestamp(ctx.now), "message": message});
            let req = Request::new(
                Verb::Patch(PatchType::Strategic),
                core("events"),
                &ctx.user(),
            )
            .namespace(Some(&ns))
            .name(&name)
            .body(patch);
            if ctx.request(req).is_success() {
                return;
            }
        }
        let body = json!({
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": ns},
            "involvedObject": ref_,
            "reason": reason,
            "message": message,
            "type": type_,
            "count": count,
            "firstTimestamp": timestamp(first),
            "lastTimestamp": timestamp(ctx.now),
            "eventTime": null,
            "reportingComponent": reporting,
            "reportingInstance": instance,
            "source": self.source(),
        });
        ctx.create(core("events"), Some(&ns), body);
    }

    /// `source`: the component, and the host for a kubelet.
    fn source(&self) -> Value {
        if self.host.is_empty() {
            json!({"component": self.component})
        } else {
            json!({"component": self.component, "host": self.host})
        }
    }

    fn forget_when_full(&mut self) {
        if self.observed.len() >= CACHE_ENTRIES {
            self.observed.clear();
        }
        if self.similar.len() >= CACHE_ENTRIES {
            self.similar.clear();
        }
        if self.buckets.len() >= CACHE_ENTRIES {
            self.buckets.clear();
        }
    }

    /// EventAggregate: whether this event is one too many of its kind (differing only by
    /// message) and must be combined.
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
    use crate::apiserver::ApiServer;
    use crate::sim::{Actor, Rng, Trace};

    fn events_of(api: &ApiServer) -> Vec<Value> {
        api.read_all(core("events"), Some("default"))
    }

    #[test]
    fn identical_events_become_one_with_a_count() {
        let mut api = ApiServer::new(1);
        crate::apiserver::bootstrap::control_plane_objects(&mut api);
        let (mut trace, mut rng) = (Trace::default(), Rng::seeded(1));
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "crasher", "namespace": "default", "uid": "u1"}});
        let mut recorder = LegacyRecorder::new("real-worker");
        let msg = "Back-off restarting failed container app in pod crasher_default(u1)";
        for at in [1_000, 15_000, 39_000] {
            let mut ctx = Ctx::new(
                at,
                Actor::Kubelet("real-worker".into()),
                &mut api,
                &mut trace,
                &mut rng,
            );
            recorder.event(
                &mut ctx,
                &pod,
                Some("spec.containers{app}"),
                "Warning",
                "BackOff",
                msg,
            );
        }
        let events = events_of(&api);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0]["count"], 3);
        assert_eq!(events[0]["firstTimestamp"], "2026-11-21T14:00:01Z");
        assert_eq!(events[0]["lastTimestamp"], "2026-11-21T14:00:39Z");
        assert_eq!(events[0]["message"], msg);
    }

    #[test]
    fn a_burst_of_25_then_one_every_five_minutes() {
        let mut recorder = LegacyRecorder::new("n");
        let taken = (0..30).filter(|_| recorder.take_token("k", 0)).count();
        assert_eq!(taken, 25);
        assert!(!recorder.take_token("k", 299_000));
        assert!(recorder.take_token("k", 300_000));
    }

    #[test]
    fn ten_different_messages_are_combined() {
        let mut recorder = LegacyRecorder::new("n");
        let combined: Vec<bool> = (0..11)
            .map(|i| recorder.aggregate("k", &format!("m{i}"), 0))
            .collect();
        assert_eq!(combined.iter().filter(|c| **c).count(), 2);
        assert!(!combined[8] && combined[9]);
    }
}
