//! The kubelet's two heartbeats (KEP-589, pkg/kubelet/kubelet.go and kubelet_node_status.go):
//!
//! - the node Lease `kube-node-lease/<node>` (coordination.k8s.io/v1), renewed every 10 s, a
//!   quarter of its 40 s `leaseDurationSeconds` (`nodeLeaseRenewIntervalFraction` 0.25,
//!   `NodeLeaseDurationSeconds` 40), with `holderIdentity` the node's name and an owner reference
//!   to the Node (component-helpers/apimachinery/lease/controller.go newLease);
//! - the node status, computed every `nodeStatusUpdateFrequency` (10 s) but PATCHed only when it
//!   changed or `nodeStatusReportFrequency` (5 min) passed since the last report
//!   (tryUpdateNodeStatus); every posted condition then carries that `lastHeartbeatTime`, and a
//!   condition whose status changed a new `lastTransitionTime` (nodestatus/setters.go).
//!
//! Also the kubelet's state that `podlab node stop|start|disconnect|reconnect` sets
//! ([`KubeletState`], set through `Cluster::set_kubelet_state`).

use serde_json::{json, Value};

use crate::apiserver::micro_timestamp;
use crate::apiserver::timestamp;
use crate::sim::Millis;

/// `NodeLeaseDurationSeconds` (kubelet config default).
pub const LEASE_DURATION_SECONDS: i64 = 40;
/// The lease renew interval: `leaseDuration * nodeLeaseRenewIntervalFraction` (0.25).
pub const LEASE_RENEW_INTERVAL: Millis = 10_000;
/// `nodeStatusUpdateFrequency` (kubelet config default).
pub const NODE_STATUS_UPDATE_FREQUENCY: Millis = 10_000;
/// `nodeStatusReportFrequency` (kubelet config default).
pub const NODE_STATUS_REPORT_FREQUENCY: Millis = 5 * 60_000;
/// `v1.NamespaceNodeLease`.
pub const NODE_LEASE_NAMESPACE: &str = "kube-node-lease";

/// Whether the kubelet process runs and can reach the API server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KubeletState {
    #[default]
    Running,
    /// The process is stopped: no heartbeats, no pod work (the containers run on).
    Stopped,
    /// The node's network is cut: the kubelet runs, but nothing it sends reaches the API server.
    Disconnected,
}

impl KubeletState {
    /// How the page and the trace name the state.
    pub fn label(self) -> &'static str {
        match self {
            KubeletState::Running => "running",
            KubeletState::Stopped => "stopped",
            KubeletState::Disconnected => "disconnected",
        }
    }
}

/// The Lease the kubelet creates the first time (newLease): owned by its Node.
pub fn new_lease(node: &str, node_uid: &str, now: Millis) -> Value {
    let mut lease = json!({
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": node, "namespace": NODE_LEASE_NAMESPACE},
        "spec": {
            "holderIdentity": node,
            "leaseDurationSeconds": LEASE_DURATION_SECONDS,
            "renewTime": micro_timestamp(now),
        }
    });
    if !node_uid.is_empty() {
        lease["metadata"]["ownerReferences"] =
            json!([{"apiVersion": "v1", "kind": "Node", "name": node, "uid": node_uid}]);
    }
    lease
}

/// The lease with its `renewTime` moved to now (the lease controller's renew).
pub fn renewed(mut lease: Value, now: Millis) -> Value {
    lease["spec"]["renewTime"] = json!(micro_timestamp(now));
    lease
}

fn conditions(status: &Value) -> Vec<Value> {
    status
        .get("conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn field<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or_default()
}

/// The conditions to post: the kubelet's (`desired`, without times) stamped with `now` as
/// heartbeat; each keeps the `lastTransitionTime` it had in `posted` unless its status changed.
pub fn stamp_conditions(posted: &Value, desired: &Value, now: Millis) -> Vec<Value> {
    let old = conditions(posted);
    conditions(desired)
        .into_iter()
        .map(|mut c| {
            let before = old.iter().find(|o| field(o, "type") == field(&c, "type"));
            let transition = match before {
                Some(o) if field(o, "status") == field(&c, "status") => o
                    .get("lastTransitionTime")
                    .cloned()
                    .unwrap_or_else(|| json!(timestamp(now))),
                _ => json!(timestamp(now)),
            };
            c["lastHeartbeatTime"] = json!(timestamp(now));
            c["lastTransitionTime"] = transition;
            c
        })
        .collect()
}

/// nodeStatusHasChanged: a field the kubelet sets differs from what the API server holds,
/// beyond the conditions' heartbeat times.
pub fn status_changed(posted: &Value, new: &Value) -> bool {
    let strip = |conditions: Option<&Value>| {
        let mut list = conditions.cloned().unwrap_or(Value::Null);
        if let Some(list) = list.as_array_mut() {
            for c in list {
                if let Some(c) = c.as_object_mut() {
                    c.remove("lastHeartbeatTime");
                }
            }
        }
        list
    };
    let Some(fields) = new.as_object() else {
        return false;
    };
    fields.iter().any(|(key, value)| match key.as_str() {
        "conditions" => strip(posted.get(key)) != strip(Some(value)),
        _ => posted.get(key) != Some(value),
    })
}

/// When the kubelet next renews its lease and reconsiders its node status.
#[derive(Debug, Clone, PartialEq)]
pub struct Heartbeat {
    pub next_lease: Millis,
    pub next_status: Millis,
    /// When the status was last PATCHed in full.
    pub last_report: Millis,
    /// The lease as last written (the lease controller's `latestLease`).
    pub lease: Option<Value>,
}

impl Heartbeat {
    /// The heartbeats of a kubelet that registered its node at `now`.
    pub fn starting(now: Millis) -> Self {
        Heartbeat {
            next_lease: now,
            next_status: now + NODE_STATUS_UPDATE_FREQUENCY,
            last_report: now,
            lease: None,
        }
    }

    /// The earlier of the two heartbeats.
    pub fn due(&self) -> Millis {
        self.next_lease.min(self.next_status)
    }

    /// Whether a status that did not change must be posted anyway.
    pub fn report_due(&self, now: Millis) -> bool {
        now >= self.last_report + NODE_STATUS_REPORT_FREQUENCY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lease_is_renewed_at_a_quarter_of_its_duration() {
        assert_eq!(
            LEASE_RENEW_INTERVAL,
            (LEASE_DURATION_SECONDS as Millis) * 1000 / 4
        );
        let lease = new_lease("worker-1", "u1", 1500);
        assert_eq!(lease["spec"]["holderIdentity"], "worker-1");
        assert_eq!(lease["spec"]["leaseDurationSeconds"], 40);
        assert_eq!(lease["metadata"]["namespace"], "kube-node-lease");
        assert_eq!(lease["metadata"]["ownerReferences"][0]["kind"], "Node");
        assert_eq!(
            renewed(lease, 11_500)["spec"]["renewTime"],
            "2026-11-21T14:00:11.500000Z"
        );
    }

    #[test]
    fn a_condition_keeps_its_transition_time_until_its_status_changes() {
        let posted = json!({"conditions": [
            {"type": "Ready", "status": "Unknown", "lastTransitionTime": "2026-11-21T14:00:00Z"},
            {"type": "DiskPressure", "status": "False", "lastTransitionTime": "2026-11-21T14:00:00Z"}
        ]});
        let desired = json!({"conditions": [
            {"type": "DiskPressure", "status": "False"},
            {"type": "Ready", "status": "True"}
        ]});
        let stamped = stamp_conditions(&posted, &desired, 60_000);
        assert_eq!(stamped[0]["lastTransitionTime"], "2026-11-21T14:00:00Z");
        assert_eq!(stamped[1]["lastTransitionTime"], "2026-11-21T14:01:00Z");
        assert_eq!(stamped[1]["lastHeartbeatTime"], "2026-11-21T14:01:00Z");
    }

    #[test]
    fn only_heartbeat_times_do_not_count_as_a_change() {
        let a =
            json!({"conditions": [{"type": "Ready", "status": "True", "lastHeartbeatTime": "x"}]});
        let b =
            json!({"conditions": [{"type": "Ready", "status": "True", "lastHeartbeatTime": "y"}]});
        assert!(!status_changed(&a, &b));
        let c = json!({"conditions": [{"type": "Ready", "status": "Unknown"}]});
        assert!(status_changed(&a, &c));
    }
}
