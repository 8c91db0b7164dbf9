//! The taint eviction controller (pkg/controller/tainteviction/taint_eviction.go, v1.36),
//! `taint-eviction-controller` in events: a pod on a node with a NoExecute taint it does not
//! tolerate is deleted at once; one that tolerates every such taint for a while
//! (`tolerationSeconds`, 300 s for not-ready/unreachable from the DefaultTolerationSeconds
//! admission plugin) is deleted when the shortest of those times has passed; one that tolerates
//! them forever stays. Deleting, it records `TaintManagerEviction` `Marking for deletion Pod
//! NS/NAME`, adds the condition DisruptionTarget (`DeletionByTaintManager`, `Taint manager:
//! deleting due to NoExecute taint`) and deletes the pod with its default grace period; a
//! deletion cancelled because the taints went records `Cancelling deletion of Pod NS/NAME`.
//!
//! The controller reacts to a node whose NoExecute taints changed (handleNodeUpdate) and to a
//! pod new on a node or whose tolerations changed (handlePodUpdate), as its informers' update
//! filters (NodeUpdated, PodUpdated) do: it works from the informers' change lists, not by
//! comparing every node and pod on every run.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::queue::changed_keys;
use crate::apiserver::timestamp;
use crate::client::{core, key_of, Change, Ctx, Informer};
use crate::events::LegacyRecorder;
use crate::scheduler::plugins::taint_toleration::tolerates;
use crate::sim::{Actor, Millis};
use crate::unstructured::str_at;

/// The controller's name (cmd/kube-controller-manager/names: TaintEvictionController).
pub const CONTROLLER_NAME: &str = "taint-eviction-controller";

fn no_execute_taints(node: &Value) -> Vec<Value> {
    node.pointer("/spec/taints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|t| str_at(t, "/effect") == "NoExecute")
        .cloned()
        .collect()
}

/// What decides a pod's eviction: its node and tolerations.
fn pod_fingerprint(pod: &Value) -> (String, Value) {
    (
        str_at(pod, "/spec/nodeName").to_string(),
        pod.pointer("/spec/tolerations")
            .cloned()
            .unwrap_or(Value::Null),
    )
}

/// What the pod's tolerations make of the node's NoExecute taints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A taint is not tolerated: delete now.
    EvictNow,
    /// Every taint is tolerated, the shortest for this long.
    EvictAfter(Millis),
    /// Every taint is tolerated forever.
    Stay,
}

/// GetMatchingTolerations and getMinTolerationTime.
pub fn verdict(pod: &Value, taints: &[Value]) -> Verdict {
    if !taints.iter().all(|t| tolerates(pod, t)) {
        return Verdict::EvictNow;
    }
    let tolerations: Vec<&Value> = pod
        .pointer("/spec/tolerations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|tol| {
            let one = json!({"spec": {"tolerations": [tol]}});
            taints.iter().any(|t| tolerates(&one, t))
        })
        .collect();
    if tolerations.is_empty() {
        return Verdict::EvictNow;
    }
    let mut shortest: Option<i64> = None;
    for t in tolerations {
        if let Some(secs) = t.get("tolerationSeconds").and_then(Value::as_i64) {
            if secs <= 0 {
                return Verdict::EvictNow;
            }
            shortest = Some(shortest.map_or(secs, |s| s.min(secs)));
        }
    }
    match shortest {
        Some(secs) => Verdict::EvictAfter((secs as Millis).saturating_mul(1000)),
        None => Verdict::Stay,
    }
}

/// A deletion waiting in the timed worker queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Work {
    created_at: Millis,
    fire_at: Millis,
}

#[derive(Debug, Default)]
pub struct TaintEvictionController {
    /// Each node's NoExecute taints as last seen (taintedNodes, with untainted nodes too).
    taints: BTreeMap<String, Vec<Value>>,
    /// Each pod's node and tolerations as last seen.
    pods: BTreeMap<String, (String, Value)>,
    /// The timed worker queue, by pod key.
    work: BTreeMap<String, Work>,
    recorder: Option<LegacyRecorder>,
}

impl TaintEvictionController {
    /// React to the informers' node and pod changes (the NodeUpdated and PodUpdated handlers),
    /// then delete the pods whose time has come. Returns when the next scheduled deletion is
    /// due. Only the nodes and pods the changes name are looked at, in key order.
    pub fn reconcile(
        &mut self,
        nodes: &Informer,
        node_changes: &[Change],
        pods: &Informer,
        pod_changes: &[Change],
        ctx: &mut Ctx,
    ) -> Option<Millis> {
        let mut changed_nodes = Vec::new();
        for name in changed_keys(node_changes) {
            let Some(node) = nodes.get(&name) else {
                self.taints.remove(&name);
                continue;
            };
            let now_taints = no_execute_taints(node);
            if self.taints.get(&name) != Some(&now_taints) {
                self.taints.insert(name.clone(), now_taints);
                changed_nodes.push(name);
            }
        }
        for name in changed_nodes {
            self.handle_node_update(&name, pods, ctx);
        }
        self.handle_pod_updates(&changed_keys(pod_changes), pods, ctx);
        self.fire_due_work(ctx);
        self.work.values().map(|w| w.fire_at).min()
    }

    fn recorder(&mut self) -> &mut LegacyRecorder {
        self.recorder
            .get_or_insert_with(|| LegacyRecorder::for_controller(CONTROLLER_NAME))
    }

    fn pod_event(&mut self, key: &str, message_verb: &str, ctx: &mut Ctx) {
        let (ns, name) = key.split_once('/').unwrap_or(("", key));
        let reference =
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns}});
        self.recorder().object_event(
            ctx,
            &reference,
            "Normal",
            "TaintManagerEviction",
            &format!("{message_verb} Pod {key}"),
        );
    }

    fn cancel_with_event(&mut self, key: &str, ctx: &mut Ctx) {
        if self.work.remove(key).is_some() {
            ctx.note(
                Actor::ControllerManager,
                "taint-eviction: cancel deletion",
                format!("pod/{key}"),
                "the node's NoExecute taints are gone or tolerated",
            );
            self.pod_event(key, "Cancelling deletion of", ctx);
        }
    }

    fn handle_node_update(&mut self, node: &str, pods: &Informer, ctx: &mut Ctx) {
        let taints = self.taints.get(node).cloned().unwrap_or_default();
        let on_node: Vec<Value> = pods
            .list()
            .filter(|p| str_at(p, "/spec/nodeName") == node)
            .cloned()
            .collect();
        for pod in on_node {
            let key = key_of(&pod);
            if taints.is_empty() {
                self.cancel_with_event(&key, ctx);
            } else {
                self.process_pod_on_node(&pod, &taints, ctx);
            }
        }
    }

    /// handlePodUpdate for the changed pods new on a node, moved, or with new tolerations; a
    /// pod gone cancels its deletion.
    fn handle_pod_updates(&mut self, changed: &BTreeSet<String>, pods: &Informer, ctx: &mut Ctx) {
        for key in changed {
            if pods.get(key).is_none() && self.pods.remove(key).is_some() {
                self.cancel_with_event(key, ctx);
            }
        }
        for key in changed {
            let Some(pod) = pods.get(key) else { continue };
            let fingerprint = pod_fingerprint(pod);
            if self.pods.get(key) == Some(&fingerprint) {
                continue;
            }
            self.pods.insert(key.clone(), fingerprint);
            let taints = self
                .taints
                .get(str_at(pod, "/spec/nodeName"))
                .cloned()
                .unwrap_or_default();
            if !taints.is_empty() {
                self.process_pod_on_node(pod, &taints, ctx);
            }
        }
    }

    /// processPodOnNode: schedule (or keep, or cancel) the pod's deletion.
    fn process_pod_on_node(&mut self, pod: &Value, taints: &[Value], ctx: &mut Ctx) {
        let key = key_of(pod);
        let now = ctx.now;
        match verdict(pod, taints) {
            Verdict::EvictNow => {
                self.cancel_with_event(&key, ctx);
                self.work.insert(
                    key,
                    Work {
                        created_at: now,
                        fire_at: now,
                    },
                );
            }
            Verdict::Stay => self.cancel_with_event(&key, ctx),
            Verdict::EvictAfter(wait) => {
                let mut created_at = now;
                if let Some(w) = self.work.get(&key).copied() {
                    created_at = w.created_at;
                    if created_at + wait < now + wait {
                        return;
                    }
                    self.cancel_with_event(&key, ctx);
                }
                ctx.note(
                    Actor::ControllerManager,
                    "taint-eviction: schedule deletion",
                    format!("pod/{key}"),
                    format!("tolerates the NoExecute taint for {}s", wait / 1000),
                );
                self.work.insert(
                    key,
                    Work {
                        created_at,
                        fire_at: created_at + wait,
                    },
                );
            }
        }
    }

    /// deletePodHandler: the event, the DisruptionTarget condition, the deletion.
    fn fire_due_work(&mut self, ctx: &mut Ctx) {
        let due: Vec<String> = self
            .work
            .iter()
            .filter(|(_, w)| w.fire_at <= ctx.now)
            .map(|(k, _)| k.clone())
            .collect();
        for key in due {
            self.work.remove(&key);
            self.pod_event(&key, "Marking for deletion", ctx);
            add_condition_and_delete_pod(&key, ctx);
        }
    }
}

/// addConditionAndDeletePod.
fn add_condition_and_delete_pod(key: &str, ctx: &mut Ctx) {
    let (ns, name) = key.split_once('/').unwrap_or(("", key));
    let get =
        crate::apiserver::Request::new(crate::apiserver::Verb::Get, core("pods"), &ctx.user())
            .namespace(Some(ns))
            .name(name);
    let resp = ctx.request(get);
    if !resp.is_success() {
        return;
    }
    let mut pod = resp.body;
    let has_target = pod
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| str_at(c, "/type") == "DisruptionTarget" && str_at(c, "/status") == "True");
    if !has_target {
        let generation = pod
            .pointer("/metadata/generation")
            .cloned()
            .unwrap_or(json!(1));
        let condition = json!({
            "type": "DisruptionTarget",
            "status": "True",
            "lastProbeTime": null,
            "lastTransitionTime": timestamp(ctx.now),
            "reason": "DeletionByTaintManager",
            "message": "Taint manager: deleting due to NoExecute taint",
            "observedGeneration": generation,
        });
        match pod
            .pointer_mut("/status/conditions")
            .and_then(Value::as_array_mut)
        {
            Some(list) => list.push(condition),
            None => pod["status"]["conditions"] = json!([condition]),
        }
        ctx.update_status(core("pods"), pod);
    }
    ctx.note(
        Actor::ControllerManager,
        "taint-eviction: delete pod",
        format!("pod/{key}"),
        "Taint manager: deleting due to NoExecute taint",
    );
    ctx.delete(core("pods"), Some(ns), name, None);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(tolerations: Value) -> Value {
        json!({"metadata": {"name": "web", "namespace": "default"}, "spec": {"nodeName": "worker-2", "tolerations": tolerations}})
    }

    fn unreachable() -> Vec<Value> {
        vec![json!({"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"})]
    }

    #[test]
    fn default_tolerations_delay_the_eviction_by_300_seconds() {
        let p = pod(json!([
            {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
            {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
        ]));
        assert_eq!(verdict(&p, &unreachable()), Verdict::EvictAfter(300_000));
    }

    #[test]
    fn untolerated_or_forever_tolerated_taints() {
        assert_eq!(verdict(&pod(json!([])), &unreachable()), Verdict::EvictNow);
        let forever = pod(json!([{"operator": "Exists"}]));
        assert_eq!(verdict(&forever, &unreachable()), Verdict::Stay);
        let zero = pod(json!([{"operator": "Exists", "tolerationSeconds": 0}]));
        assert_eq!(verdict(&zero, &unreachable()), Verdict::EvictNow);
    }
}
