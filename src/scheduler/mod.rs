//! kube-scheduler: watches pods and nodes, takes pending pods from its queue one at a time, runs
//! every Filter plugin on every node, scores the nodes that pass, binds the pod to the best one
//! (ties broken at random), and records why when no node fits.

pub mod framework;
pub mod plugins;
pub mod queue;

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::apiserver::timestamp;
use crate::client::{core, key_of, Change, Ctx, Informer};
use crate::cluster::Component;
use crate::events::Recorder;
use crate::sim::Actor;
use framework::{Code, NodeInfo, Status};
use queue::{QueuedPod, SchedulingQueue};

/// ErrNoNodesAvailable.
pub const NO_NODES_AVAILABLE: &str = "no nodes available to schedule pods";

/// How long one scheduling cycle takes in virtual time (filtering and scoring a few nodes).
const CYCLE_MS: u64 = 3;

pub struct Scheduler {
    pods: Informer,
    nodes: Informer,
    queue: SchedulingQueue,
    /// Pods bound by this scheduler that its informer has not yet seen bound (the "assumed" cache).
    assumed: BTreeMap<String, Value>,
    recorder: Recorder,
}

impl Default for Scheduler {
    fn default() -> Self {
        Scheduler {
            pods: Informer::new(core("pods")),
            nodes: Informer::new(core("nodes")),
            queue: SchedulingQueue::default(),
            assumed: BTreeMap::new(),
            recorder: Recorder::new("default-scheduler", "default-scheduler-control-plane"),
        }
    }
}

use crate::unstructured::str_at;

/// A pod this scheduler must place: not bound, not being deleted, and asking for it by name.
fn is_pending_for_us(pod: &Value) -> bool {
    str_at(pod, "/spec/nodeName").is_empty()
        && pod.pointer("/metadata/deletionTimestamp").is_none()
        && matches!(str_at(pod, "/spec/schedulerName"), "" | "default-scheduler")
        && !matches!(str_at(pod, "/status/phase"), "Succeeded" | "Failed")
}

impl Component for Scheduler {
    fn actor(&self) -> Actor {
        Actor::Scheduler
    }

    fn run(&mut self, ctx: &mut Ctx) {
        let node_changes = self.nodes.sync(ctx);
        let pod_changes = self.pods.sync(ctx);
        if node_changes.iter().any(|c| c.kind != "DELETED") {
            self.queue.move_all(ctx.now);
        }
        for change in pod_changes {
            self.on_pod_change(change, ctx);
        }
        self.queue.flush(ctx.now);
        if let Some(pod) = self.queue.pop() {
            self.schedule_one(pod, ctx);
        }
        if self.queue.has_active() {
            ctx.wake_after(CYCLE_MS);
        } else if let Some(at) = self.queue.next_wake(ctx.now) {
            ctx.wake_at(at);
        }
    }
}

impl Scheduler {
    fn on_pod_change(&mut self, change: Change, ctx: &mut Ctx) {
        let key = key_of(&change.new);
        let bound_now = !str_at(&change.new, "/spec/nodeName").is_empty();
        if change.kind == "DELETED" || bound_now {
            self.queue.remove(&key);
            if bound_now {
                self.assumed.remove(&key);
            }
            // A pod leaving a node frees room: pods waiting on resources may fit now.
            let was_bound = change
                .old
                .as_ref()
                .is_some_and(|o| !str_at(o, "/spec/nodeName").is_empty());
            if change.kind == "DELETED" && was_bound {
                self.queue.move_all(ctx.now);
            }
            return;
        }
        if change.kind == "ADDED" && is_pending_for_us(&change.new) {
            let priority = change
                .new
                .pointer("/spec/priority")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            self.queue.add(&key, priority, ctx.now);
        }
    }

    /// The nodes with the pods bound to them (from the informer and the assumed cache).
    fn snapshot(&self) -> Vec<NodeInfo> {
        let mut by_node: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let placed = self
            .pods
            .list()
            .filter(|p| !str_at(p, "/spec/nodeName").is_empty())
            .chain(self.assumed.values());
        for pod in placed {
            if !matches!(str_at(pod, "/status/phase"), "Succeeded" | "Failed") {
                by_node
                    .entry(str_at(pod, "/spec/nodeName").to_string())
                    .or_default()
                    .push(pod.clone());
            }
        }
        self.nodes
            .list()
            .map(|n| {
                NodeInfo::new(
                    n.clone(),
                    by_node
                        .remove(str_at(n, "/metadata/name"))
                        .unwrap_or_default(),
                )
            })
            .collect()
    }

    fn schedule_one(&mut self, mut queued: QueuedPod, ctx: &mut Ctx) {
        let Some(pod) = self.pods.get(&queued.key).cloned() else {
            return;
        };
        if !is_pending_for_us(&pod) {
            return;
        }
        queued.attempts += 1;
        let object = format!("pod/{}", queued.key);
        ctx.note(
            Actor::Scheduler,
            "scheduling cycle",
            object.clone(),
            format!(
                "attempt {} (PrioritySort: priority {})",
                queued.attempts, queued.priority
            ),
        );
        let nodes = self.snapshot();
        if nodes.is_empty() {
            ctx.note(Actor::Scheduler, "no nodes", object, NO_NODES_AVAILABLE);
            self.fail(&pod, NO_NODES_AVAILABLE.to_string(), queued, false, ctx);
            return;
        }
        let verdicts: Vec<(NodeInfo, Status)> = nodes
            .into_iter()
            .map(|n| {
                let status = run_filters(&pod, &n);
                (n, status)
            })
            .collect();
        for (n, s) in &verdicts {
            let detail = if s.is_success() {
                "passed every filter".to_string()
            } else {
                format!("{}: {}", s.plugin, s.reasons.join(", "))
            };
            ctx.note(
                Actor::Scheduler,
                format!("Filter {}", n.name),
                object.clone(),
                detail,
            );
        }
        let total = verdicts.len();
        let (feasible, rejected): (Vec<_>, Vec<_>) =
            verdicts.into_iter().partition(|(_, s)| s.is_success());
        if feasible.is_empty() {
            let statuses: Vec<Status> = rejected.into_iter().map(|(_, s)| s).collect();
            let message = fit_error(total, &statuses);
            self.fail(&pod, message, queued, true, ctx);
            return;
        }
        let feasible: Vec<NodeInfo> = feasible.into_iter().map(|(n, _)| n).collect();
        let scores = score_nodes(&pod, &feasible);
        for (n, (total, parts)) in feasible.iter().zip(&scores) {
            ctx.note(
                Actor::Scheduler,
                format!("Score {}: {total}", n.name),
                object.clone(),
                parts.clone(),
            );
        }
        let chosen = select_host(&feasible, &scores, ctx);
        self.bind(&pod, &chosen, queued, ctx);
    }

    fn bind(&mut self, pod: &Value, node: &str, queued: QueuedPod, ctx: &mut Ctx) {
        let (ns, name) = (
            str_at(pod, "/metadata/namespace").to_string(),
            str_at(pod, "/metadata/name").to_string(),
        );
        let mut assumed = pod.clone();
        assumed["spec"]["nodeName"] = json!(node);
        self.assumed.insert(queued.key.clone(), assumed);
        let binding = json!({
            "apiVersion": "v1", "kind": "Binding",
            "metadata": {"name": name, "namespace": ns, "uid": pod.pointer("/metadata/uid").cloned().unwrap_or(Value::Null)},
            "target": {"apiVersion": "v1", "kind": "Node", "name": node}
        });
        let resp = ctx.create_subresource(core("pods"), Some(&ns), &name, "binding", binding);
        if resp.is_success() {
            let msg = format!("Successfully assigned {ns}/{name} to {node}");
            self.recorder
                .event(ctx, pod, "Normal", "Scheduled", "Binding", &msg);
        } else {
            self.assumed.remove(&queued.key);
            self.queue.requeue_failed(queued, false, ctx.now);
        }
    }

    /// handleSchedulingFailure: the FailedScheduling event, the PodScheduled=False condition, requeue.
    fn fail(
        &mut self,
        pod: &Value,
        message: String,
        queued: QueuedPod,
        by_plugins: bool,
        ctx: &mut Ctx,
    ) {
        self.recorder.event(
            ctx,
            pod,
            "Warning",
            "FailedScheduling",
            "Scheduling",
            &message,
        );
        let already = pod
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|c| {
                str_at(c, "/type") == "PodScheduled"
                    && str_at(c, "/status") == "False"
                    && str_at(c, "/message") == message
            });
        if !already {
            let generation = pod
                .pointer("/metadata/generation")
                .cloned()
                .unwrap_or(json!(1));
            let cond = json!({
                "type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": message,
                "lastProbeTime": null, "lastTransitionTime": timestamp(ctx.now), "observedGeneration": generation,
            });
            let patch = json!({"status": {"conditions": [cond]}});
            ctx.patch_status(
                core("pods"),
                pod.pointer("/metadata/namespace").and_then(Value::as_str),
                str_at(pod, "/metadata/name"),
                patch,
            );
        }
        self.queue.requeue_failed(queued, by_plugins, ctx.now);
    }
}

/// Run the filters in order; the first that rejects the node decides.
fn run_filters(pod: &Value, node: &NodeInfo) -> Status {
    for plugin in plugins::filters() {
        let status = plugin.filter(pod, node);
        if !status.is_success() {
            return status;
        }
    }
    Status::success("")
}

/// FitError.Error(): `0/3 nodes are available: <reason counts, sorted>. <post-filter messages>.`
/// The post-filter part is DynamicResources' and DefaultPreemption's: preemption cannot help on
/// nodes rejected as unresolvable, and finds no victims elsewhere (podlab has no priority classes
/// below the default yet).
pub fn fit_error(total: usize, statuses: &[Status]) -> String {
    let mut histogram: BTreeMap<&str, usize> = BTreeMap::new();
    for s in statuses {
        for r in &s.reasons {
            *histogram.entry(r.as_str()).or_default() += 1;
        }
    }
    let mut reasons: Vec<String> = histogram.iter().map(|(r, n)| format!("{n} {r}")).collect();
    reasons.sort();
    let unresolvable = statuses
        .iter()
        .filter(|s| s.code == Code::UnschedulableAndUnresolvable)
        .count();
    let resolvable = statuses.len() - unresolvable;
    let mut preemption = Vec::new();
    if resolvable > 0 {
        preemption.push(format!(
            "{resolvable} No preemption victims found for incoming pod"
        ));
    }
    if unresolvable > 0 {
        preemption.push(format!(
            "{unresolvable} Preemption is not helpful for scheduling"
        ));
    }
    preemption.sort();
    format!(
        "0/{total} nodes are available: {}. no new claims to deallocate, preemption: 0/{total} nodes are available: {}.",
        reasons.join(", "),
        preemption.join(", ")
    )
}

/// Weighted, normalized scores per feasible node, with a breakdown for the trace.
fn score_nodes(pod: &Value, nodes: &[NodeInfo]) -> Vec<(i64, String)> {
    let mut totals = vec![(0i64, String::new()); nodes.len()];
    for plugin in plugins::scorers() {
        let mut raw: Vec<i64> = nodes.iter().map(|n| plugin.score(pod, n)).collect();
        plugin.normalize(&mut raw);
        for (i, s) in raw.iter().enumerate() {
            totals[i].0 += s * plugin.weight();
            let sep = if totals[i].1.is_empty() { "" } else { ", " };
            totals[i].1 = format!(
                "{}{sep}{} {s}×{}",
                totals[i].1,
                plugin.name(),
                plugin.weight()
            );
        }
    }
    totals
}

/// selectHost: the highest total; among equals, one chosen uniformly at random (reservoir sampling).
fn select_host(nodes: &[NodeInfo], scores: &[(i64, String)], ctx: &mut Ctx) -> String {
    let mut best = 0usize;
    let mut ties = 1u64;
    for i in 1..nodes.len() {
        if scores[i].0 > scores[best].0 {
            best = i;
            ties = 1;
        } else if scores[i].0 == scores[best].0 {
            ties += 1;
            if ctx.rng.below(ties) == 0 {
                best = i;
            }
        }
    }
    nodes[best].name.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_error_reads_like_kube_scheduler() {
        let statuses = vec![
            Status::unresolvable("TaintToleration", plugins::taint_toleration::REASON),
            Status {
                code: Code::UnschedulableAndUnresolvable,
                plugin: "NodeResourcesFit",
                reasons: vec!["Insufficient cpu".into()],
            },
            Status {
                code: Code::UnschedulableAndUnresolvable,
                plugin: "NodeResourcesFit",
                reasons: vec!["Insufficient cpu".into()],
            },
        ];
        assert_eq!(
            fit_error(3, &statuses),
            "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        );
    }
}
