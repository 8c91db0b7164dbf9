//! The node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go,
//! v1.36), `node-controller` in events:
//!
//! - doNoScheduleTaintingPass: a node's conditions map to NoSchedule taints (Ready False →
//!   `node.kubernetes.io/not-ready`, Ready Unknown → `node.kubernetes.io/unreachable`, a pressure
//!   condition True → its `*-pressure` taint, `spec.unschedulable` → `unschedulable`);
//! - monitorNodeHealth, every `--node-monitor-period` (5 s): a node whose kubelet neither posted
//!   status nor renewed its Lease for `--node-monitor-grace-period` (50 s, its v1.36 default in
//!   pkg/controller/nodelifecycle/config/v1alpha1/defaults.go) gets every condition Unknown
//!   (`NodeStatusUnknown`, `Kubelet stopped posting node status.`), the event `NodeNotReady`
//!   (`Node NAME status is now: NodeNotReady`), and its pods marked not ready (MarkPodsNotReady:
//!   Ready False, a Warning `NodeNotReady` `Node is not ready` per pod); then
//!   processTaintBaseEviction puts on the `unreachable` (Unknown) or `not-ready` (False)
//!   NoExecute taint, with its timeAdded, at the tainting queue's rate (0.1 per second and zone),
//!   and takes both off once the node is Ready again.
//!
//! Nodes with no kubelet endpoint (a Node applied from YAML) have no simulated kubelet: podlab
//! treats them as heartbeating and leaves them be.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::queue::changed_keys;
use crate::apiserver::timestamp;
use crate::client::{core, Change, Ctx, Informer};
use crate::events::LegacyRecorder;
use crate::sim::{Actor, Millis};
use crate::unstructured::str_at;

pub const NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const UNREACHABLE: &str = "node.kubernetes.io/unreachable";
const UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

/// `--node-monitor-period` (kube-controller-manager default).
pub const NODE_MONITOR_PERIOD: Millis = 5_000;
/// `--node-monitor-grace-period` (default 50 s since v1.32).
pub const NODE_MONITOR_GRACE_PERIOD: Millis = 50_000;
/// `--node-startup-grace-period`.
pub const NODE_STARTUP_GRACE_PERIOD: Millis = 60_000;
/// `--node-eviction-rate` 0.1: one NoExecute taint per 10 s in a zone.
const TAINT_INTERVAL: Millis = 10_000;
/// `--large-cluster-size-threshold`: in smaller clusters a partially disrupted zone is not
/// tainted at all (ReducedQPSFunc gives 0).
const LARGE_CLUSTER_SIZE_THRESHOLD: usize = 50;
/// `--unhealthy-zone-threshold`.
const UNHEALTHY_ZONE_THRESHOLD: f64 = 0.55;

/// The conditions monitorNodeHealth turns Unknown (NetworkUnavailable is left alone).
const MONITORED_CONDITIONS: [&str; 4] = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

/// nodeConditionToTaintKeyStatusMap: the NoSchedule taint a condition's status calls for.
fn condition_taint(kind: &str, status: &str) -> Option<&'static str> {
    match (kind, status) {
        ("Ready", "False") => Some(NOT_READY),
        ("Ready", "Unknown") => Some(UNREACHABLE),
        ("MemoryPressure", "True") => Some("node.kubernetes.io/memory-pressure"),
        ("DiskPressure", "True") => Some("node.kubernetes.io/disk-pressure"),
        ("NetworkUnavailable", "True") => Some("node.kubernetes.io/network-unavailable"),
        ("PIDPressure", "True") => Some("node.kubernetes.io/pid-pressure"),
        _ => None,
    }
}

/// taintKeyToNodeConditionMap's keys and the unschedulable taint: the NoSchedule taints this
/// pass owns.
fn owned_no_schedule_key(key: &str) -> bool {
    key == UNSCHEDULABLE
        || [
            "Ready",
            "MemoryPressure",
            "DiskPressure",
            "NetworkUnavailable",
            "PIDPressure",
        ]
        .iter()
        .flat_map(|c| ["True", "False", "Unknown"].map(|s| condition_taint(c, s)))
        .flatten()
        .any(|k| k == key)
}

fn conditions(node: &Value) -> impl Iterator<Item = &Value> {
    node.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn condition<'a>(node: &'a Value, kind: &str) -> Option<&'a Value> {
    conditions(node).find(|c| str_at(c, "/type") == kind)
}

/// The status of the node's Ready condition (`""` when it has none).
pub fn ready_status(node: &Value) -> &str {
    condition(node, "Ready").map_or("", |c| str_at(c, "/status"))
}

fn taints(node: &Value) -> Vec<Value> {
    node.pointer("/spec/taints")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn has_taint(node: &Value, key: &str, effect: &str) -> bool {
    taints(node)
        .iter()
        .any(|t| str_at(t, "/key") == key && str_at(t, "/effect") == effect)
}

fn set_taints(node: &mut Value, taints: Vec<Value>) {
    if taints.is_empty() {
        if let Some(spec) = node.get_mut("spec").and_then(Value::as_object_mut) {
            spec.remove("taints");
        }
    } else {
        node["spec"]["taints"] = Value::Array(taints);
    }
}

/// The NoSchedule taints the node's conditions and `spec.unschedulable` call for.
fn wanted_no_schedule(node: &Value) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = conditions(node)
        .filter_map(|c| condition_taint(str_at(c, "/type"), str_at(c, "/status")))
        .collect();
    if node.pointer("/spec/unschedulable").and_then(Value::as_bool) == Some(true) {
        keys.push(UNSCHEDULABLE);
    }
    keys
}

/// doNoScheduleTaintingPass: the node's taints with the condition NoSchedule taints brought in
/// line with its conditions (new ones stamped with `timeAdded`), or None when nothing changes.
fn no_schedule_taints(node: &Value, now: Millis) -> Option<Vec<Value>> {
    let wanted = wanted_no_schedule(node);
    let current = taints(node);
    let owned = |t: &Value| {
        str_at(t, "/effect") == "NoSchedule" && owned_no_schedule_key(str_at(t, "/key"))
    };
    let stale = current
        .iter()
        .any(|t| owned(t) && !wanted.contains(&str_at(t, "/key")));
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|k| !has_taint(node, k, "NoSchedule"))
        .collect();
    if !stale && missing.is_empty() {
        return None;
    }
    let mut result: Vec<Value> = current
        .into_iter()
        .filter(|t| !owned(t) || wanted.contains(&str_at(t, "/key")))
        .collect();
    for key in missing {
        result.push(json!({"key": key, "effect": "NoSchedule", "timeAdded": timestamp(now)}));
    }
    Some(result)
}

/// Whether a kubelet podlab simulates posts this node's status (it published its endpoint).
fn has_kubelet(node: &Value) -> bool {
    node.pointer("/status/daemonEndpoints/kubeletEndpoint/Port")
        .and_then(Value::as_i64)
        .is_some_and(|p| p > 0)
}

/// nodeHealthData: what the controller last saw of a node.
#[derive(Debug, Clone, PartialEq)]
struct NodeHealth {
    probe_timestamp: Millis,
    /// The Ready condition's lastHeartbeatTime when last seen.
    heartbeat: String,
    /// The node lease's renewTime when last seen.
    lease_renew: String,
}

/// What tryUpdateNodeHealth found: the Ready status before and after it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Health {
    observed: String,
    current: String,
}

#[derive(Debug, Default)]
pub struct NodeLifecycleController {
    health: BTreeMap<String, NodeHealth>,
    /// When the next monitorNodeHealth pass runs.
    next_monitor: Millis,
    /// When each zone's tainting queue last put a NoExecute taint on.
    last_taint: BTreeMap<String, Millis>,
    recorder: Option<LegacyRecorder>,
}

fn zone_of(node: &Value) -> String {
    let labels = |k: &str| {
        node.pointer("/metadata/labels")
            .and_then(|l| l.get(k))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    // nodetopology.GetZoneKey: region and zone joined.
    let (region, zone) = (
        labels("topology.kubernetes.io/region"),
        labels("topology.kubernetes.io/zone"),
    );
    if region.is_empty() && zone.is_empty() {
        String::new()
    } else {
        format!("{region}:\x00:{zone}")
    }
}

/// ComputeZoneState: whether no node of the zone is Ready (full disruption), or enough of them
/// are not that the zone is partially disrupted.
fn zone_states(nodes: &[&Value]) -> BTreeMap<String, ZoneState> {
    let mut zones: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for node in nodes {
        let entry = zones.entry(zone_of(node)).or_default();
        entry.0 += 1;
        if ready_status(node) != "True" {
            entry.1 += 1;
        }
    }
    zones
        .into_iter()
        .map(|(zone, (all, not_ready))| {
            let state = if all > 0 && not_ready == all {
                ZoneState::FullDisruption
            } else if not_ready > 2 && not_ready as f64 / all as f64 >= UNHEALTHY_ZONE_THRESHOLD {
                ZoneState::PartialDisruption
            } else {
                ZoneState::Normal
            };
            (zone, state)
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ZoneState {
    Normal,
    PartialDisruption,
    FullDisruption,
}

impl NodeLifecycleController {
    fn recorder(&mut self) -> &mut LegacyRecorder {
        self.recorder
            .get_or_insert_with(|| LegacyRecorder::for_controller("node-controller"))
    }

    /// Run what is due: the NoSchedule pass over the nodes that changed (the node informer's
    /// handlers queue them for doNoScheduleTaintingPass), monitorNodeHealth every 5 s. Returns
    /// when the next monitor pass is due.
    pub fn reconcile(
        &mut self,
        nodes: &Informer,
        node_changes: &[Change],
        pods: &Informer,
        leases: &Informer,
        ctx: &mut Ctx,
    ) -> Millis {
        if !node_changes.is_empty() {
            no_schedule_tainting_pass(nodes, &changed_keys(node_changes), ctx);
        }
        if ctx.now >= self.next_monitor {
            self.monitor_node_health(nodes, pods, leases, ctx);
            self.next_monitor = ctx.now + NODE_MONITOR_PERIOD;
        }
        self.next_monitor
    }

    fn monitor_node_health(
        &mut self,
        nodes: &Informer,
        pods: &Informer,
        leases: &Informer,
        ctx: &mut Ctx,
    ) {
        let all: Vec<Value> = nodes.list().cloned().collect();
        self.health.retain(|name, _| nodes.get(name).is_some());
        let mut after: Vec<Value> = Vec::new();
        for node in &all {
            if !has_kubelet(node) {
                after.push(node.clone());
                continue;
            }
            let lease = leases.get(&format!(
                "kube-node-lease/{}",
                str_at(node, "/metadata/name")
            ));
            let mut node = node.clone();
            let health = self.try_update_node_health(&mut node, lease, ctx);
            if health.current != "True" && health.observed == "True" {
                self.node_not_ready(&node, pods, ctx);
            }
            after.push(node);
        }
        let refs: Vec<&Value> = after.iter().collect();
        let zones = zone_states(&refs);
        let all_disrupted = zones.values().all(|s| *s == ZoneState::FullDisruption);
        for node in after.iter().filter(|n| has_kubelet(n)) {
            let zone_state = zones
                .get(&zone_of(node))
                .copied()
                .unwrap_or(ZoneState::Normal);
            self.process_taint_based_eviction(node, zone_state, all_disrupted, ctx);
        }
    }

    /// tryUpdateNodeHealth: a new heartbeat or lease renewal moves the probe time; past the
    /// grace period every monitored condition turns Unknown and the status is written.
    fn try_update_node_health(
        &mut self,
        node: &mut Value,
        lease: Option<&Value>,
        ctx: &mut Ctx,
    ) -> Health {
        let name = str_at(node, "/metadata/name").to_string();
        let ready = condition(node, "Ready").cloned();
        let observed = ready
            .as_ref()
            .map_or("Unknown", |c| str_at(c, "/status"))
            .to_string();
        let grace = if ready.is_some() {
            NODE_MONITOR_GRACE_PERIOD
        } else {
            NODE_STARTUP_GRACE_PERIOD
        };
        let heartbeat = ready
            .as_ref()
            .map(|c| str_at(c, "/lastHeartbeatTime").to_string())
            .unwrap_or_default();
        let renew = lease
            .map(|l| str_at(l, "/spec/renewTime").to_string())
            .unwrap_or_default();
        let now = ctx.now;
        let health = self
            .health
            .entry(name.clone())
            .or_insert_with(|| NodeHealth {
                probe_timestamp: now,
                heartbeat: heartbeat.clone(),
                lease_renew: renew.clone(),
            });
        if health.heartbeat != heartbeat {
            health.heartbeat = heartbeat;
            health.probe_timestamp = now;
        }
        // RFC 3339 micro times of one format compare as strings.
        if lease.is_some() && renew > health.lease_renew {
            health.lease_renew = renew;
            health.probe_timestamp = now;
        }
        let silent_for = now.saturating_sub(health.probe_timestamp);
        if silent_for <= grace {
            return Health {
                current: observed.clone(),
                observed,
            };
        }
        mark_conditions_unknown(node, now);
        let current = ready_status(node).to_string();
        if ready.as_ref() != condition(node, "Ready") {
            ctx.note(
                Actor::ControllerManager,
                "node-lifecycle: node status Unknown",
                format!("node/{name}"),
                format!(
                    "no status or lease renewal for {}s (grace period {}s): every condition \
                     Unknown",
                    silent_for / 1000,
                    grace / 1000
                ),
            );
            let resp = ctx.update_status(core("nodes"), node.clone());
            if resp.is_success() {
                *node = resp.body;
                if let Some(h) = self.health.get_mut(&name) {
                    h.heartbeat = condition(node, "Ready")
                        .map(|c| str_at(c, "/lastHeartbeatTime").to_string())
                        .unwrap_or_default();
                }
            }
        }
        Health { observed, current }
    }

    /// The node stopped being Ready: RecordNodeStatusChange and MarkPodsNotReady.
    fn node_not_ready(&mut self, node: &Value, pods: &Informer, ctx: &mut Ctx) {
        let name = str_at(node, "/metadata/name").to_string();
        let reference = json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "uid": str_at(node, "/metadata/uid")}});
        self.recorder().object_event(
            ctx,
            &reference,
            "Normal",
            "NodeNotReady",
            &format!("Node {name} status is now: NodeNotReady"),
        );
        let on_node: Vec<Value> = pods
            .list()
            .filter(|p| str_at(p, "/spec/nodeName") == name)
            .cloned()
            .collect();
        for pod in on_node {
            self.mark_pod_not_ready(pod, ctx);
        }
    }

    /// MarkPodsNotReady for one pod: its Ready condition False, then the pod's event.
    fn mark_pod_not_ready(&mut self, mut pod: Value, ctx: &mut Ctx) {
        let Some(list) = pod
            .pointer_mut("/status/conditions")
            .and_then(Value::as_array_mut)
        else {
            return;
        };
        let Some(ready) = list.iter_mut().find(|c| str_at(c, "/type") == "Ready") else {
            return;
        };
        if str_at(ready, "/status") == "False" {
            return;
        }
        // UpdatePodCondition: the status changed, so does the transition time.
        ready["status"] = json!("False");
        ready["lastTransitionTime"] = json!(timestamp(ctx.now));
        let resp = ctx.update_status(core("pods"), pod.clone());
        if resp.code == 404 {
            return;
        }
        self.recorder()
            .object_event(ctx, &pod, "Warning", "NodeNotReady", "Node is not ready");
    }

    /// processTaintBaseEviction with doNoExecuteTaintingPass's rate-limited queue.
    fn process_taint_based_eviction(
        &mut self,
        node: &Value,
        zone_state: ZoneState,
        all_disrupted: bool,
        ctx: &mut Ctx,
    ) {
        let status = ready_status(node);
        let (add, remove) = match status {
            "False" => (NOT_READY, UNREACHABLE),
            "Unknown" => (UNREACHABLE, NOT_READY),
            _ => {
                mark_node_as_reachable(node, ctx);
                return;
            }
        };
        if all_disrupted {
            // Master disruption mode: every node not Ready means the control plane is cut off,
            // not the nodes: no evictions, and the NoExecute taints come off.
            mark_node_as_reachable(node, ctx);
            return;
        }
        if has_taint(node, add, "NoExecute") {
            return;
        }
        // A node tainted with the opposite taint is swapped at once; otherwise it waits its
        // turn in the zone's tainting queue.
        if !has_taint(node, remove, "NoExecute") {
            let zone = zone_of(node);
            let small = zone_state == ZoneState::PartialDisruption
                && self.health.len() <= LARGE_CLUSTER_SIZE_THRESHOLD;
            let limited = self
                .last_taint
                .get(&zone)
                .is_some_and(|at| ctx.now < at + TAINT_INTERVAL);
            if small || limited {
                return;
            }
            self.last_taint.insert(zone, ctx.now);
        }
        swap_no_execute_taint(node, add, remove, ctx);
    }
}

/// Every monitored condition not already Unknown becomes Unknown now (a missing one is added
/// as never updated).
fn mark_conditions_unknown(node: &mut Value, now: Millis) {
    let creation = str_at(node, "/metadata/creationTimestamp").to_string();
    let mut list: Vec<Value> = conditions(node).cloned().collect();
    for kind in MONITORED_CONDITIONS {
        match list.iter_mut().find(|c| str_at(c, "/type") == kind) {
            Some(c) if str_at(c, "/status") != "Unknown" => {
                c["status"] = json!("Unknown");
                c["reason"] = json!("NodeStatusUnknown");
                c["message"] = json!("Kubelet stopped posting node status.");
                c["lastTransitionTime"] = json!(timestamp(now));
            }
            Some(_) => {}
            None => list.push(json!({
                "type": kind,
                "status": "Unknown",
                "reason": "NodeStatusNeverUpdated",
                "message": "Kubelet never posted node status.",
                "lastHeartbeatTime": creation,
                "lastTransitionTime": timestamp(now),
            })),
        }
    }
    node["status"]["conditions"] = Value::Array(list);
}

/// SwapNodeControllerTaint: put `add` (NoExecute, timeAdded now) on and take `remove` off.
fn swap_no_execute_taint(node: &Value, add: &str, remove: &str, ctx: &mut Ctx) {
    let name = str_at(node, "/metadata/name").to_string();
    let mut list: Vec<Value> = taints(node)
        .into_iter()
        .filter(|t| !(str_at(t, "/key") == remove && str_at(t, "/effect") == "NoExecute"))
        .collect();
    list.push(json!({"key": add, "effect": "NoExecute", "timeAdded": timestamp(ctx.now)}));
    ctx.note(
        Actor::ControllerManager,
        format!("node-lifecycle: add {add}:NoExecute"),
        format!("node/{name}"),
        "the node is not Ready: pods that do not tolerate the taint will be evicted",
    );
    let mut updated = node.clone();
    set_taints(&mut updated, list);
    ctx.update(core("nodes"), updated);
}

/// markNodeAsReachable: the node is Ready again, both NoExecute taints come off.
fn mark_node_as_reachable(node: &Value, ctx: &mut Ctx) {
    let no_execute = |t: &Value| {
        str_at(t, "/effect") == "NoExecute" && [UNREACHABLE, NOT_READY].contains(&str_at(t, "/key"))
    };
    let current = taints(node);
    if !current.iter().any(no_execute) {
        return;
    }
    let name = str_at(node, "/metadata/name").to_string();
    ctx.note(
        Actor::ControllerManager,
        "node-lifecycle: remove NoExecute taints",
        format!("node/{name}"),
        "the node is Ready again",
    );
    let mut updated = node.clone();
    set_taints(
        &mut updated,
        current.into_iter().filter(|t| !no_execute(t)).collect(),
    );
    ctx.update(core("nodes"), updated);
}

/// doNoScheduleTaintingPass over the changed nodes still there, in name order.
fn no_schedule_tainting_pass(nodes: &Informer, changed: &BTreeSet<String>, ctx: &mut Ctx) {
    let changes: Vec<(Value, Vec<Value>)> = changed
        .iter()
        .filter_map(|name| nodes.get(name))
        .filter_map(|n| no_schedule_taints(n, ctx.now).map(|t| (n.clone(), t)))
        .collect();
    for (mut node, taints) in changes {
        let name = str_at(&node, "/metadata/name").to_string();
        ctx.note(
            Actor::ControllerManager,
            "node-lifecycle: NoSchedule taints",
            format!("node/{name}"),
            format!(
                "conditions changed: Ready is {}",
                match ready_status(&node) {
                    "" => "unset",
                    s => s,
                }
            ),
        );
        set_taints(&mut node, taints);
        ctx.update(core("nodes"), node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(ready: &str, taints: Value) -> Value {
        json!({
            "metadata": {"name": "worker-2", "labels": {"topology.kubernetes.io/zone": "zone-b"}},
            "spec": {"taints": taints},
            "status": {"conditions": [
                {"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory"},
                {"type": "Ready", "status": ready, "reason": "KubeletReady"}
            ]}
        })
    }

    #[test]
    fn v1_36_default_periods() {
        assert_eq!(NODE_MONITOR_PERIOD, 5_000);
        assert_eq!(NODE_MONITOR_GRACE_PERIOD, 50_000);
    }

    #[test]
    fn an_unknown_ready_condition_calls_for_the_unreachable_no_schedule_taint() {
        let n = node(
            "Unknown",
            json!([{"key": NOT_READY, "effect": "NoSchedule"}]),
        );
        let taints = no_schedule_taints(&n, 1_000).unwrap_or_default();
        assert_eq!(taints.len(), 1);
        assert_eq!(taints[0]["key"], UNREACHABLE);
        assert_eq!(taints[0]["timeAdded"], "2026-11-21T14:00:01Z");
        let ready = node("True", json!([{"key": "custom", "effect": "NoSchedule"}]));
        assert_eq!(no_schedule_taints(&ready, 0), None);
    }

    #[test]
    fn a_silent_node_has_every_condition_unknown_with_the_real_reason() {
        let mut n = node("True", json!([]));
        mark_conditions_unknown(&mut n, 60_000);
        let list: Vec<&Value> = conditions(&n).collect();
        assert_eq!(list.len(), 4);
        let ready = condition(&n, "Ready").cloned().unwrap_or_default();
        assert_eq!(ready["status"], "Unknown");
        assert_eq!(ready["reason"], "NodeStatusUnknown");
        assert_eq!(ready["message"], "Kubelet stopped posting node status.");
        assert_eq!(ready["lastTransitionTime"], "2026-11-21T14:01:00Z");
        let pid = condition(&n, "PIDPressure").cloned().unwrap_or_default();
        assert_eq!(pid["reason"], "NodeStatusNeverUpdated");
        assert_eq!(pid["message"], "Kubelet never posted node status.");
    }

    #[test]
    fn a_zone_with_no_ready_node_is_fully_disrupted() {
        let down = node("Unknown", json!([]));
        let up = json!({"metadata": {"name": "cp"}, "status": {"conditions": [{"type": "Ready", "status": "True"}]}});
        let zones = zone_states(&[&down, &up]);
        assert_eq!(zones.get(":\u{0}:zone-b"), Some(&ZoneState::FullDisruption));
        assert_eq!(zones.get(""), Some(&ZoneState::Normal));
    }
}
