//! The event recorder kube-controller-manager's workload controllers use: client-go's legacy
//! `tools/record` (core/v1 Events with `source.component`, `count`, `firstTimestamp` and
//! `lastTimestamp`), whose correlator turns a repeat of the same event about the same object
//! into a PATCH of its count.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::apiserver::{timestamp, PatchType, Request, Verb};
use crate::client::{core, Ctx};
use crate::events::reference;

/// A recorder for one controller (`deployment-controller`, `replicaset-controller`).
#[derive(Debug, Default, Clone)]
pub struct Recorder {
    component: String,
    /// Events already written: key → (namespace, event name, count).
    seen: BTreeMap<String, (String, String, i64)>,
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
            seen: BTreeMap::new(),
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
        let ns = involved["namespace"]
            .as_str()
            .filter(|n| !n.is_empty())
            .unwrap_or("default")
            .to_string();
        // The correlator's key: source, object (without its resourceVersion), type, reason, message.
        let key = format!(
            "{}|{}|{}|{}|{}|{type_}|{reason}|{message}",
            self.component, involved["kind"], ns, involved["name"], involved["uid"]
        );
        if let Some((ns, name, count)) = self.seen.get_mut(&key) {
            *count += 1;
            let patch = json!({"count": *count, "lastTimestamp": timestamp(ctx.now)});
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
        let name = event_name(involved["name"].as_str().unwrap_or_default(), ctx);
        let body = json!({
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": ns},
            "involvedObject": involved,
            "reason": reason,
            "message": message,
            "type": type_,
            "count": 1,
            "firstTimestamp": timestamp(ctx.now),
            "lastTimestamp": timestamp(ctx.now),
            "eventTime": null,
            "reportingComponent": self.component,
            "reportingInstance": "",
            "source": {"component": self.component},
        });
        let resp = ctx.create(core("events"), Some(&ns), body);
        if resp.is_success() {
            self.seen.insert(key, (ns, name, 1));
        }
    }
}
