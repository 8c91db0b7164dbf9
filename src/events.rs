//! Event recording, as `k8s.io/client-go/tools/events` does it for the scheduler and controllers
//! (events.k8s.io/v1: an identical event about the same object, at the same resourceVersion,
//! becomes a series with a count) and as the legacy `tools/record` does it for the kubelet
//! (core/v1: `count`, `firstTimestamp`, `lastTimestamp`). Events are stored as core/v1 Events, the
//! form `kubectl describe` and `kubectl get events` read.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::apiserver::{micro_timestamp, timestamp, PatchType, Request, Verb};
use crate::client::{core, Ctx};

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
    let nanos = crate::sim::wall_clock(ctx.now).as_nanosecond() + (ctx.revision() % 1_000_000) as i128;
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
        Recorder { controller: controller.into(), instance: instance.into(), cache: BTreeMap::new() }
    }

    /// Record `reason`/`note` about `regarding` (events.k8s.io semantics).
    pub fn event(&mut self, ctx: &mut Ctx, regarding: &Value, type_: &str, reason: &str, action: &str, note: &str) {
        let ref_ = reference(regarding, None);
        let ns = ref_["namespace"].as_str().unwrap_or("default").to_string();
        let key = format!("{type_}|{action}|{reason}|{}|{ref_}|{note}", self.controller);
        if let Some((name, ns, count)) = self.cache.get_mut(&key) {
            *count += 1;
            let patch = json!({"series": {"count": *count, "lastObservedTime": micro_timestamp(ctx.now)}, "count": *count});
            let req = Request::new(Verb::Patch(PatchType::Strategic), core("events"), &ctx.user())
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

/// The kubelet's legacy recorder (core/v1 events with `source.component: kubelet`).
pub fn legacy_event(ctx: &mut Ctx, node: &str, regarding: &Value, field_path: Option<&str>, type_: &str, reason: &str, message: &str) {
    let ref_ = reference(regarding, field_path);
    let ns = ref_["namespace"].as_str().unwrap_or("default").to_string();
    let body = json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": event_name(ref_["name"].as_str().unwrap_or_default(), ctx), "namespace": ns},
        "involvedObject": ref_,
        "reason": reason,
        "message": message,
        "type": type_,
        "count": 1,
        "firstTimestamp": timestamp(ctx.now),
        "lastTimestamp": timestamp(ctx.now),
        "eventTime": null,
        "reportingComponent": "kubelet",
        "reportingInstance": node,
        "source": {"component": "kubelet", "host": node},
    });
    ctx.create(core("events"), Some(&ns), body);
}
