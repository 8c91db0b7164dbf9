//! kube-scheduler: watches pods and nodes, takes pending pods from its queue one at a time, runs
//! every Filter plugin on every node, scores the nodes that pass, binds the pod to the best one
//! (ties broken at random), and records why when no node fits.

pub mod cycle;
pub mod framework;
pub mod plugins;
pub mod preemption;
pub mod queue;
pub mod table;

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::apiserver::timestamp;
use crate::client::{core, key_of, Change, Ctx, Informer};
use crate::cluster::Component;
use crate::events::Recorder;
use crate::sim::Actor;
use cycle::{
    CycleOutcome, FilterVerdict, NodeRecord, PluginScore, PreemptionOutcome, SchedulingCycle,
    CYCLE_ACTION,
};
use framework::{NodeInfo, Status};
use preemption::{Candidate, Preemption};
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

    /// Pods waiting for a node they were nominated to by preemption (status.nominatedNodeName,
    /// not bound yet), other than `key`: the scheduler's nominator.
    fn nominated_pods(&self, key: &str) -> Vec<Value> {
        self.pods
            .list()
            .filter(|p| {
                !str_at(p, "/status/nominatedNodeName").is_empty()
                    && is_pending_for_us(p)
                    && key_of(p) != key
            })
            .cloned()
            .collect()
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
        let mut record = SchedulingCycle {
            pod: queued.key.clone(),
            attempt: queued.attempts,
            at: ctx.now,
            priority: queued.priority,
            nodes: Vec::new(),
            outcome: CycleOutcome::Bound {
                node: String::new(),
            },
        };
        let nodes = self.snapshot();
        if nodes.is_empty() {
            ctx.note(Actor::Scheduler, "no nodes", object, NO_NODES_AVAILABLE);
            record.outcome = CycleOutcome::Unschedulable {
                message: NO_NODES_AVAILABLE.to_string(),
                preemption: None,
            };
            write_record(&record, ctx);
            self.fail(
                &pod,
                NO_NODES_AVAILABLE.to_string(),
                queued,
                false,
                None,
                ctx,
            );
            return;
        }
        let nominated = self.nominated_pods(&queued.key);
        let verdicts: Vec<(NodeInfo, Status)> = nodes
            .into_iter()
            .map(|n| {
                let (status, filters) = filters_with_nominated(&pod, &n, &nominated);
                record.nodes.push(NodeRecord {
                    node: n.name.clone(),
                    filters,
                    scores: Vec::new(),
                    total: None,
                });
                (n, status)
            })
            .collect();
        note_filter_verdicts(&verdicts, &object, ctx);
        if verdicts.iter().all(|(_, s)| !s.is_success()) {
            self.post_filter(&pod, verdicts, &nominated, record, queued, ctx);
            return;
        }
        let feasible: Vec<NodeInfo> = verdicts
            .into_iter()
            .filter(|(_, s)| s.is_success())
            .map(|(n, _)| n)
            .collect();
        let scores = score_nodes(&pod, &feasible);
        for (n, (total, parts)) in feasible.iter().zip(&scores) {
            ctx.note(
                Actor::Scheduler,
                format!("Score {}: {total}", n.name),
                object.clone(),
                score_breakdown(parts),
            );
            if let Some(row) = record.nodes.iter_mut().find(|r| r.node == n.name) {
                row.scores = parts.clone();
                row.total = Some(*total);
            }
        }
        let chosen = select_host(&feasible, &scores, ctx);
        record.outcome = CycleOutcome::Bound {
            node: chosen.clone(),
        };
        write_record(&record, ctx);
        self.bind(&pod, &chosen, queued, ctx);
    }

    /// The PostFilter extension point once every node rejected the pod: DynamicResources (no
    /// claims to deallocate) then DefaultPreemption; then handleSchedulingFailure.
    fn post_filter(
        &mut self,
        pod: &Value,
        verdicts: Vec<(NodeInfo, Status)>,
        nominated: &[Value],
        mut record: SchedulingCycle,
        queued: QueuedPod,
        ctx: &mut Ctx,
    ) {
        let filter = |p: &Value, n: &NodeInfo| filters_with_nominated(p, n, nominated).0;
        let outcome = preemption::preempt(pod, &verdicts, &filter);
        let statuses: Vec<Status> = verdicts.into_iter().map(|(_, s)| s).collect();
        let message = fit_error(statuses.len(), &statuses, outcome.message().as_deref());
        let object = format!("pod/{}", queued.key);
        let (nominate, preemption) = match outcome {
            Preemption::NotEligible(reason) => (None, PreemptionOutcome::NotEligible { reason }),
            Preemption::NoCandidate(message) => (
                Some(String::new()),
                PreemptionOutcome::NoCandidate { message },
            ),
            Preemption::Nominated(candidate) => {
                ctx.note(
                    Actor::Scheduler,
                    format!("DefaultPreemption: nominate {}", candidate.node),
                    object,
                    format!("victims: {}", victim_keys(&candidate).join(", ")),
                );
                self.preempt_victims(pod, &candidate, ctx);
                clear_lower_nominations(pod, &candidate.node, nominated, ctx);
                let victims = victim_keys(&candidate);
                (
                    Some(candidate.node.clone()),
                    PreemptionOutcome::Nominated {
                        node: candidate.node,
                        victims,
                    },
                )
            }
        };
        record.outcome = CycleOutcome::Unschedulable {
            message: message.clone(),
            preemption: Some(preemption),
        };
        write_record(&record, ctx);
        self.fail(pod, message, queued, true, nominate.as_deref(), ctx);
    }

    /// prepareCandidate: for each victim, the DisruptionTarget condition (PodDisruptionConditions),
    /// a delete with the pod's own grace period, and the `Preempted` event on the victim
    /// (`Preempted by pod <preemptor uid> on node <node>`, action Preempting).
    fn preempt_victims(&mut self, preemptor: &Value, candidate: &Candidate, ctx: &mut Ctx) {
        let scheduler_name = match str_at(preemptor, "/spec/schedulerName") {
            "" => "default-scheduler",
            name => name,
        };
        for victim in &candidate.victims {
            let ns = victim
                .pointer("/metadata/namespace")
                .and_then(Value::as_str);
            let name = str_at(victim, "/metadata/name");
            let generation = victim
                .pointer("/metadata/generation")
                .cloned()
                .unwrap_or(json!(1));
            let cond = json!({
                "type": "DisruptionTarget", "status": "True",
                "reason": preemption::PREEMPTION_BY_SCHEDULER,
                "message": format!("{scheduler_name}: preempting to accommodate a higher priority pod"),
                "lastProbeTime": null, "lastTransitionTime": timestamp(ctx.now),
                "observedGeneration": generation,
            });
            let patch = json!({"status": {"conditions": [cond]}});
            if !ctx.patch_status(core("pods"), ns, name, patch).is_success() {
                continue;
            }
            let deleted = ctx.delete(core("pods"), ns, name, None);
            if deleted.is_success() || deleted.code == 404 {
                let msg = format!(
                    "Preempted by pod {} on node {}",
                    str_at(preemptor, "/metadata/uid"),
                    candidate.node
                );
                self.recorder
                    .event(ctx, victim, "Normal", "Preempted", "Preempting", &msg);
            }
        }
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
        nominate: Option<&str>,
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
        let nominated_now = str_at(pod, "/status/nominatedNodeName");
        let nominate = nominate.filter(|n| *n != nominated_now);
        if !already || nominate.is_some() {
            let generation = pod
                .pointer("/metadata/generation")
                .cloned()
                .unwrap_or(json!(1));
            let cond = json!({
                "type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": message,
                "lastProbeTime": null, "lastTransitionTime": timestamp(ctx.now), "observedGeneration": generation,
            });
            let mut patch = json!({"status": {"conditions": [cond]}});
            match nominate {
                Some("") => patch["status"]["nominatedNodeName"] = Value::Null,
                Some(node) => patch["status"]["nominatedNodeName"] = json!(node),
                None => {}
            }
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

/// prepareCandidate's last step: pods of lower priority nominated to the node may no longer fit
/// there, so their nomination is cleared (util.ClearNominatedNodeName).
fn clear_lower_nominations(preemptor: &Value, node: &str, nominated: &[Value], ctx: &mut Ctx) {
    let priority = preemption::pod_priority(preemptor);
    for p in nominated {
        if str_at(p, "/status/nominatedNodeName") == node && preemption::pod_priority(p) < priority
        {
            let patch = json!({"status": {"nominatedNodeName": null}});
            ctx.patch_status(
                core("pods"),
                p.pointer("/metadata/namespace").and_then(Value::as_str),
                str_at(p, "/metadata/name"),
                patch,
            );
        }
    }
}

/// RunFilterPluginsWithNominatedPods: first with the pods of equal or higher priority nominated
/// to the node added to it (so that the room preemption made is kept for them), then, if that
/// passed and some were added, again without them; the last run decides.
fn filters_with_nominated(
    pod: &Value,
    node: &NodeInfo,
    nominated: &[Value],
) -> (Status, Vec<FilterVerdict>) {
    let priority = preemption::pod_priority(pod);
    let added: Vec<Value> = nominated
        .iter()
        .filter(|p| {
            str_at(p, "/status/nominatedNodeName") == node.name
                && preemption::pod_priority(p) >= priority
        })
        .cloned()
        .collect();
    if added.is_empty() {
        return run_filters_recorded(pod, node);
    }
    let mut pods = node.pods.clone();
    pods.extend(added);
    let with = run_filters_recorded(pod, &NodeInfo::new(node.node.clone(), pods));
    if !with.0.is_success() {
        return with;
    }
    run_filters_recorded(pod, node)
}

/// RunFilterPlugins with each plugin's verdict for the cycle record: the plugins after the first
/// rejection do not run.
fn run_filters_recorded(pod: &Value, node: &NodeInfo) -> (Status, Vec<FilterVerdict>) {
    let mut verdicts = Vec::new();
    let mut rejection: Option<Status> = None;
    for plugin in plugins::filters() {
        if rejection.is_some() {
            verdicts.push(FilterVerdict::not_run(plugin.name()));
            continue;
        }
        let status = plugin.filter(pod, node);
        verdicts.push(FilterVerdict::ran(plugin.name(), &status));
        if !status.is_success() {
            rejection = Some(status);
        }
    }
    (rejection.unwrap_or_else(|| Status::success("")), verdicts)
}

fn note_filter_verdicts(verdicts: &[(NodeInfo, Status)], object: &str, ctx: &mut Ctx) {
    for (n, s) in verdicts {
        let detail = if s.is_success() {
            "passed every filter".to_string()
        } else {
            format!("{}: {}", s.plugin, s.reasons.join(", "))
        };
        ctx.note(
            Actor::Scheduler,
            format!("Filter {}", n.name),
            object.to_string(),
            detail,
        );
    }
}

/// The cycle's record, as the detail of its own trace entry (see cycle::latest_cycle).
fn write_record(record: &SchedulingCycle, ctx: &mut Ctx) {
    ctx.note(
        Actor::Scheduler,
        CYCLE_ACTION,
        record.object(),
        record.to_detail(),
    );
}

fn victim_keys(candidate: &Candidate) -> Vec<String> {
    candidate.victims.iter().map(key_of).collect()
}

/// What DynamicResources' PostFilter says of a pod that has no claims to deallocate.
pub const NO_CLAIMS_TO_DEALLOCATE: &str = "no new claims to deallocate";

/// FitError.Error(): `0/3 nodes are available: <reason counts, sorted>.`, then the PostFilter
/// plugins' messages joined by ", " (RunPostFilterPlugins): DynamicResources' and
/// DefaultPreemption's, with one final period (the v1.36 transcripts never show two, though
/// DefaultPreemption's own FitError and PodEligibleToPreemptOthers' reasons end with one). `preemption` is DefaultPreemption's message (`preemption: ...`), None when
/// it nominated a node: a successful PostFilter ends the extension point with an empty message,
/// so the FailedScheduling message is then the filters' part alone.
pub fn fit_error(total: usize, statuses: &[Status], preemption: Option<&str>) -> String {
    let filters = preemption::nodes_available_message(total, statuses);
    match preemption {
        Some(p) => format!(
            "{filters} {NO_CLAIMS_TO_DEALLOCATE}, {}.",
            p.trim_end_matches('.')
        ),
        None => filters,
    }
}

/// Weighted, normalized scores per feasible node, with each plugin's part.
fn score_nodes(pod: &Value, nodes: &[NodeInfo]) -> Vec<(i64, Vec<PluginScore>)> {
    let mut totals = vec![(0i64, Vec::new()); nodes.len()];
    for plugin in plugins::scorers() {
        let raw: Vec<i64> = nodes.iter().map(|n| plugin.score(pod, n)).collect();
        let mut normalized = raw.clone();
        plugin.normalize(&mut normalized);
        for (i, (r, s)) in raw.iter().zip(&normalized).enumerate() {
            if let Some(total) = totals.get_mut(i) {
                total.0 += s * plugin.weight();
                total.1.push(PluginScore {
                    plugin: plugin.name().to_string(),
                    raw: *r,
                    normalized: *s,
                    weight: plugin.weight(),
                });
            }
        }
    }
    totals
}

/// `NodeResourcesFit 80×1, ...` for the trace.
fn score_breakdown(parts: &[PluginScore]) -> String {
    parts
        .iter()
        .map(|p| format!("{} {}×{}", p.plugin, p.normalized, p.weight))
        .collect::<Vec<_>>()
        .join(", ")
}

/// selectHost: the highest total; among equals, one chosen uniformly at random (reservoir sampling).
fn select_host(nodes: &[NodeInfo], scores: &[(i64, Vec<PluginScore>)], ctx: &mut Ctx) -> String {
    let mut best = 0usize;
    let mut ties = 1u64;
    for (i, score) in scores.iter().enumerate().skip(1) {
        let best_total = scores.get(best).map_or(i64::MIN, |s| s.0);
        if score.0 > best_total {
            best = i;
            ties = 1;
        } else if score.0 == best_total {
            ties += 1;
            if ctx.rng.below(ties) == 0 {
                best = i;
            }
        }
    }
    nodes.get(best).map(|n| n.name.clone()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use framework::Code;

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
            fit_error(
                3,
                &statuses,
                Some("preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")
            ),
            "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        );
    }
}
