//! kube-scheduler: watches pods and nodes, takes pending pods from its queue one at a time, runs
//! every Filter plugin on every node, scores the nodes that pass, binds the pod to the best one
//! (ties broken at random), and records why when no node fits.

pub mod bench;
pub mod cycle;
pub mod framework;
pub mod plugins;
pub mod preemption;
pub mod queue;
pub mod table;

use crate::unstructured::JsonPointer;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{json, Value};

use crate::apiserver::timestamp;
use crate::client::{core, grouped, key_of, Change, Ctx, Informer};
use crate::cluster::Component;
use crate::events::Recorder;
use crate::sim::Actor;
use cycle::{
    CycleOutcome, NodeRecord, PreemptionOutcome, Rejection, SchedulingCycle, Score, CYCLE_ACTION,
};
use framework::{Cycle, CycleState, FilterPlugin, Listers, NodeInfo, PodInfo, ScorePlugin, Status};
use plugins::scheduling_gates::is_gated;
use preemption::{Candidate, Preemption};
use queue::{QueuedPod, SchedulingQueue};

/// ErrNoNodesAvailable.
pub const NO_NODES_AVAILABLE: &str = "no nodes available to schedule pods";

/// How long one scheduling cycle takes in virtual time (filtering and scoring a few nodes).
const CYCLE_MS: u64 = 3;

/// minFeasibleNodesToFind (schedule_one.go): below this many nodes every node is filtered, and
/// at least this many feasible nodes are looked for.
pub const MIN_FEASIBLE_NODES_TO_FIND: usize = 100;
/// minFeasibleNodesPercentageToFind (schedule_one.go).
pub const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND: usize = 5;

/// numFeasibleNodesToFind with the default percentageOfNodesToScore (0, adaptive): every node
/// below 100; otherwise `50 - nodes/125` percent (at least 5%) of the nodes, at least 100.
pub fn num_feasible_nodes_to_find(num_all_nodes: usize) -> usize {
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND {
        return num_all_nodes;
    }
    let percentage = 50usize
        .saturating_sub(num_all_nodes / 125)
        .max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
    (num_all_nodes * percentage / 100).max(MIN_FEASIBLE_NODES_TO_FIND)
}

/// The informers behind the plugins' listers (the framework handle's SharedInformerFactory):
/// claims, volumes and classes for the volume plugins, namespaces for InterPodAffinity, and the
/// workloads PodTopologySpread's default constraints select by.
struct ListerInformers {
    claims: Informer,
    volumes: Informer,
    classes: Informer,
    csi_nodes: Informer,
    volume_attachments: Informer,
    namespaces: Informer,
    services: Informer,
    replication_controllers: Informer,
    replica_sets: Informer,
    stateful_sets: Informer,
}

impl Default for ListerInformers {
    fn default() -> Self {
        ListerInformers {
            claims: Informer::new(core("persistentvolumeclaims")),
            volumes: Informer::new(core("persistentvolumes")),
            classes: Informer::new(grouped("storage.k8s.io", "storageclasses")),
            csi_nodes: Informer::new(grouped("storage.k8s.io", "csinodes")),
            volume_attachments: Informer::new(grouped("storage.k8s.io", "volumeattachments")),
            namespaces: Informer::new(core("namespaces")),
            services: Informer::new(core("services")),
            replication_controllers: Informer::new(core("replicationcontrollers")),
            replica_sets: Informer::new(grouped("apps", "replicasets")),
            stateful_sets: Informer::new(grouped("apps", "statefulsets")),
        }
    }
}

/// What one sync of the lister informers saw.
struct ListerChanges {
    /// Anything changed: the listers must be refilled.
    any: bool,
    /// A claim, volume, storage class, CSINode or VolumeAttachment changed (the events that may
    /// make a pod waiting on volumes schedulable).
    storage: bool,
}

impl ListerInformers {
    fn sync(&mut self, ctx: &mut Ctx) -> ListerChanges {
        let storage = [
            &mut self.claims,
            &mut self.volumes,
            &mut self.classes,
            &mut self.csi_nodes,
            &mut self.volume_attachments,
        ]
        .into_iter()
        .fold(false, |seen, i| !i.sync(ctx).is_empty() | seen);
        let others = [
            &mut self.namespaces,
            &mut self.services,
            &mut self.replication_controllers,
            &mut self.replica_sets,
            &mut self.stateful_sets,
        ]
        .into_iter()
        .fold(false, |seen, i| !i.sync(ctx).is_empty() | seen);
        ListerChanges {
            any: storage || others,
            storage,
        }
    }

    fn listers(&self) -> Listers {
        let all = |i: &Informer| i.list().cloned().collect::<Vec<_>>();
        Listers {
            persistent_volume_claims: all(&self.claims),
            persistent_volumes: all(&self.volumes),
            storage_classes: all(&self.classes),
            csi_nodes: all(&self.csi_nodes),
            volume_attachments: all(&self.volume_attachments),
            namespaces: all(&self.namespaces),
            services: all(&self.services),
            replication_controllers: all(&self.replication_controllers),
            replica_sets: all(&self.replica_sets),
            stateful_sets: all(&self.stateful_sets),
        }
    }
}

/// Whether a placed pod takes room on its node: bound (or assumed) and not finished.
fn occupies_node(pod: &Value) -> bool {
    !str_at(pod, "/spec/nodeName").is_empty()
        && !matches!(str_at(pod, "/status/phase"), "Succeeded" | "Failed")
}

/// The scheduler's cache (pkg/scheduler/backend/cache): a NodeInfo per node, kept up to date
/// from the pod and node watch events and the assumed pods, rather than rebuilt every cycle. The
/// nodes are kept sorted by name (the snapshot's order) and each node's pods by `namespace/name`.
#[derive(Default)]
struct NodeCache {
    nodes: Vec<NodeInfo>,
    /// Pods bound to a node the cache does not hold (yet), by node name.
    orphans: BTreeMap<String, Vec<Arc<PodInfo>>>,
    /// The node each counted pod is on, by pod key.
    placed: BTreeMap<String, String>,
}

impl NodeCache {
    fn position(&self, name: &str) -> Result<usize, usize> {
        self.nodes.binary_search_by(|n| n.name.as_str().cmp(name))
    }

    /// A node added or updated (its allocatable may have changed).
    fn set_node(&mut self, node: Value) {
        let name = str_at(&node, "/metadata/name").to_string();
        match self.position(&name) {
            Ok(i) => {
                if let Some(info) = self.nodes.get_mut(i) {
                    let pods = std::mem::take(&mut info.pods);
                    *info = NodeInfo::with_pods(node, pods);
                }
            }
            Err(i) => {
                let pods = self.orphans.remove(&name).unwrap_or_default();
                self.nodes.insert(i, NodeInfo::with_pods(node, pods));
            }
        }
    }

    /// A node deleted: its pods wait (as the real cache keeps them) until they are gone too.
    fn remove_node(&mut self, name: &str) {
        if let Ok(i) = self.position(name) {
            let info = self.nodes.remove(i);
            if !info.pods.is_empty() {
                self.orphans.insert(info.name, info.pods);
            }
        }
    }

    fn pods_of(&mut self, node: &str) -> Option<&mut Vec<Arc<PodInfo>>> {
        match self.position(node) {
            Ok(i) => self.nodes.get_mut(i).map(|n| &mut n.pods),
            Err(_) => self.orphans.get_mut(node),
        }
    }

    /// Forget the pod wherever it is counted.
    fn remove_pod(&mut self, key: &str) {
        let Some(node) = self.placed.remove(key) else {
            return;
        };
        match self.position(&node) {
            Ok(i) => {
                if let Some(info) = self.nodes.get_mut(i) {
                    if let Some(at) = info.pods.iter().position(|p| p.key == key) {
                        info.remove_pod(at);
                    }
                }
            }
            Err(_) => {
                if let Some(pods) = self.orphans.get_mut(&node) {
                    pods.retain(|p| p.key != key);
                }
            }
        }
    }

    /// The pod as it is now: counted on its node if it occupies one, forgotten otherwise.
    fn set_pod(&mut self, key: &str, pod: Value) {
        self.remove_pod(key);
        if !occupies_node(&pod) {
            return;
        }
        let node = str_at(&pod, "/spec/nodeName").to_string();
        let index = {
            let pods = match self.pods_of(&node) {
                Some(pods) => pods,
                None => self.orphans.entry(node.clone()).or_default(),
            };
            pods.partition_point(|p| p.key.as_str() < key)
        };
        let pod = Arc::new(PodInfo::new(pod));
        match self.position(&node) {
            Ok(i) => {
                if let Some(info) = self.nodes.get_mut(i) {
                    info.insert_pod(index, pod);
                }
            }
            Err(_) => {
                if let Some(pods) = self.orphans.get_mut(&node) {
                    pods.insert(index.min(pods.len()), pod);
                }
            }
        }
        self.placed.insert(key.to_string(), node);
    }
}

pub struct Scheduler {
    pods: Informer,
    nodes: Informer,
    lister_informers: ListerInformers,
    listers: Listers,
    queue: SchedulingQueue,
    /// Pods bound by this scheduler that its informer has not yet seen bound (the "assumed" cache).
    assumed: BTreeMap<String, Value>,
    cache: NodeCache,
    /// Pending pods nominated to a node by preemption, by key (the nominator).
    nominated: BTreeMap<String, Value>,
    /// nextStartNodeIndex: where the next cycle starts its search through the nodes.
    next_start_node_index: usize,
    filters: Vec<Box<dyn FilterPlugin>>,
    scorers: Vec<Box<dyn ScorePlugin>>,
    recorder: Recorder,
}

impl Default for Scheduler {
    fn default() -> Self {
        Scheduler {
            pods: Informer::new(core("pods")),
            nodes: Informer::new(core("nodes")),
            lister_informers: ListerInformers::default(),
            listers: Listers::default(),
            queue: SchedulingQueue::default(),
            assumed: BTreeMap::new(),
            cache: NodeCache::default(),
            nominated: BTreeMap::new(),
            next_start_node_index: 0,
            filters: plugins::filters(),
            scorers: plugins::scorers(),
            recorder: Recorder::new("default-scheduler", "default-scheduler-control-plane"),
        }
    }
}

use crate::unstructured::str_at;

/// A pod this scheduler must place: not bound, not being deleted, and asking for it by name.
fn is_pending_for_us(pod: &Value) -> bool {
    str_at(pod, "/spec/nodeName").is_empty()
        && pod.at("/metadata/deletionTimestamp").is_none()
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
        let lister_changes = self.lister_informers.sync(ctx);
        if lister_changes.any {
            self.listers = self.lister_informers.listers();
        }
        for change in &node_changes {
            if change.kind == "DELETED" {
                self.cache
                    .remove_node(str_at(&change.new, "/metadata/name"));
            } else {
                self.cache.set_node(change.new.clone());
            }
        }
        if node_changes.iter().any(|c| c.kind != "DELETED") || lister_changes.storage {
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

/// What the scheduling cycle decided, before the scheduler acts on it.
enum Decision {
    Bind(String),
    /// handleSchedulingFailure with this message; `by_plugins` is false for errors (no nodes).
    Fail {
        message: String,
        by_plugins: bool,
        nominate: Option<String>,
        /// DefaultPreemption's candidate, and the nominated pods whose nomination to its node
        /// may need clearing.
        preempted: Option<(Candidate, Vec<Value>)>,
    },
}

/// What findNodesThatPassFilters found: indexes into the snapshot.
struct FilterSearch {
    /// Feasible nodes, in the order they were found.
    feasible: Vec<usize>,
    /// Every evaluated node with its status, in the order evaluated.
    evaluated: Vec<(usize, Status)>,
}

impl Scheduler {
    fn on_pod_change(&mut self, change: Change, ctx: &mut Ctx) {
        let key = key_of(&change.new);
        let bound_now = !str_at(&change.new, "/spec/nodeName").is_empty();
        let nominated = change.kind != "DELETED"
            && !str_at(&change.new, "/status/nominatedNodeName").is_empty()
            && is_pending_for_us(&change.new);
        if nominated {
            self.nominated.insert(key.clone(), change.new.clone());
        } else {
            self.nominated.remove(&key);
        }
        if change.kind == "DELETED" {
            self.cache.remove_pod(&key);
            self.assumed.remove(&key);
        } else if bound_now || !self.assumed.contains_key(&key) {
            self.cache.set_pod(&key, change.new.clone());
        }
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
        if !is_pending_for_us(&change.new) || is_gated(&change.new) {
            return;
        }
        // PreEnqueue (SchedulingGates): a gated pod is not queued; the update that removes its
        // last gate queues it.
        let ungated = change
            .old
            .as_ref()
            .is_some_and(|o| is_gated(o) && !is_gated(&change.new));
        if change.kind == "ADDED" || ungated {
            let priority = change
                .new
                .at("/spec/priority")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            self.queue.add(&key, priority, ctx.now);
        }
    }

    /// Pods waiting for a node they were nominated to by preemption (status.nominatedNodeName,
    /// not bound yet), other than `key`: the scheduler's nominator.
    fn nominated_pods(&self, key: &str) -> Vec<Value> {
        self.nominated
            .iter()
            .filter(|(k, _)| k.as_str() != key)
            .map(|(_, p)| p.clone())
            .collect()
    }

    fn schedule_one(&mut self, mut queued: QueuedPod, ctx: &mut Ctx) {
        let Some(pod) = self.pods.get(&queued.key).cloned() else {
            return;
        };
        if !is_pending_for_us(&pod) || is_gated(&pod) {
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
        let pod = PodInfo::new(pod);
        let mut record = SchedulingCycle {
            pod: queued.key.clone(),
            attempt: queued.attempts,
            at: ctx.now,
            priority: queued.priority,
            filter_plugins: self.filters.iter().map(|p| p.name()).collect(),
            score_plugins: self
                .scorers
                .iter()
                .map(|p| (p.name(), p.weight()))
                .collect(),
            nodes: Vec::new(),
            rows_dropped: 0,
            feasible: 0,
            evaluated: 0,
            outcome: CycleOutcome::Bound {
                node: String::new(),
            },
        };
        let decision = self.decide(&pod, &mut record, ctx);
        record.count_rows();
        match decision {
            Decision::Bind(node) => {
                write_record(record, ctx);
                self.bind(&pod, &node, queued, ctx);
            }
            Decision::Fail {
                message,
                by_plugins,
                nominate,
                preempted,
            } => {
                if let Some((candidate, nominated)) = preempted {
                    self.preempt_victims(&pod, &candidate, ctx);
                    clear_lower_nominations(&pod, &candidate.node, &nominated, ctx);
                }
                write_record(record, ctx);
                self.fail(&pod, message, queued, by_plugins, nominate.as_deref(), ctx);
            }
        }
    }

    /// schedulePod and, on a FitError, the PostFilter plugins: everything the cycle decides,
    /// written into `record`.
    fn decide(&mut self, pod: &PodInfo, record: &mut SchedulingCycle, ctx: &mut Ctx) -> Decision {
        let object = record.object();
        if self.cache.nodes.is_empty() {
            ctx.note(Actor::Scheduler, "no nodes", object, NO_NODES_AVAILABLE);
            record.outcome = CycleOutcome::Unschedulable {
                message: NO_NODES_AVAILABLE.to_string(),
                preemption: None,
            };
            return Decision::Fail {
                message: NO_NODES_AVAILABLE.to_string(),
                by_plugins: false,
                nominate: None,
                preempted: None,
            };
        }
        let nominated = self.nominated_pods(&record.pod);
        let state = CycleState::default();
        let cycle = Cycle::with_state(&self.cache.nodes, Some(&self.listers), &state);
        let pre = plugins::run_pre_filters_of(pod, &cycle);
        if !pre.is_success() {
            return self.pre_filter_failed(pod, pre, &nominated, record, ctx);
        }
        let total = cycle.nodes.len();
        let start = self.next_start_node_index % total;
        let search = find_nodes_that_pass_filters(pod, &cycle, &self.filters, &nominated, start);
        // processedNodes: every node looked at, feasible or not.
        self.next_start_node_index = (start + search.evaluated.len()) % total;
        let mut rows = search.evaluated;
        rows.sort_by_key(|(i, _)| *i);
        note_filter_verdicts(cycle.nodes, &rows, &object, ctx);
        let mut statuses = Vec::with_capacity(rows.len());
        record.nodes = Vec::with_capacity(rows.len());
        for (i, status) in rows {
            if let Some(node) = cycle.nodes.get(i) {
                let rejection = (!status.is_success())
                    .then(|| Rejection::new(&record.filter_plugins, &status, false));
                record.nodes.push(NodeRecord::new(&node.name, rejection));
                statuses.push((node, status));
            }
        }
        if search.feasible.is_empty() {
            let verdicts: Vec<(NodeInfo, Status)> =
                statuses.into_iter().map(|(n, s)| (n.clone(), s)).collect();
            return self.post_filter(pod, None, verdicts, &nominated, record, ctx);
        }
        let feasible: Vec<&NodeInfo> = search
            .feasible
            .iter()
            .filter_map(|&i| cycle.nodes.get(i))
            .collect();
        let scores = score_nodes(pod, &feasible, &cycle, &self.scorers);
        note_scores(&feasible, &scores, record, &object, ctx);
        for (n, (total, parts)) in feasible.iter().zip(scores.iter()) {
            // The record's rows are in the snapshot's order, which is by name.
            let row = record
                .nodes
                .binary_search_by(|r| r.node.as_str().cmp(n.name.as_str()))
                .ok()
                .and_then(|at| record.nodes.get_mut(at));
            if let Some(row) = row {
                row.scores = parts.clone();
                row.total = Some(*total);
            }
        }
        let chosen = select_host(&feasible, &scores, ctx);
        record.outcome = CycleOutcome::Bound {
            node: chosen.clone(),
        };
        Decision::Bind(chosen)
    }

    /// A PreFilter plugin rejected the pod: every node gets its status (SetAbsentNodesStatus)
    /// and the FitError carries its message as PreFilterMsg; PostFilter still runs.
    fn pre_filter_failed(
        &self,
        pod: &Value,
        status: Status,
        nominated: &[Value],
        record: &mut SchedulingCycle,
        ctx: &mut Ctx,
    ) -> Decision {
        let object = record.object();
        let message = status.reasons.join(", ");
        ctx.note(
            Actor::Scheduler,
            format!("PreFilter {}", status.plugin),
            object,
            message.clone(),
        );
        let rejection = Rejection::new(&record.filter_plugins, &status, true);
        record.nodes = self
            .cache
            .nodes
            .iter()
            .map(|n| NodeRecord::new(&n.name, Some(rejection.clone())))
            .collect();
        let all: Vec<(NodeInfo, Status)> = self
            .cache
            .nodes
            .iter()
            .map(|n| (n.clone(), status.clone()))
            .collect();
        self.post_filter(pod, Some(&message), all, nominated, record, ctx)
    }

    /// The PostFilter extension point once every node rejected the pod: DynamicResources (no
    /// claims to deallocate) then DefaultPreemption; then handleSchedulingFailure.
    fn post_filter(
        &self,
        pod: &Value,
        pre_filter_msg: Option<&str>,
        verdicts: Vec<(NodeInfo, Status)>,
        nominated: &[Value],
        record: &mut SchedulingCycle,
        ctx: &mut Ctx,
    ) -> Decision {
        let (nodes, listers, filters) = (&self.cache.nodes, &self.listers, &self.filters);
        let filter = |p: &Value, n: &NodeInfo| {
            let changed = framework::with_node_replaced(nodes, n);
            let cycle = Cycle::new(&changed, Some(listers));
            let p = &PodInfo::new(p.clone());
            let pre = plugins::run_pre_filters_of(p, &cycle);
            if !pre.is_success() {
                return pre;
            }
            filters_with_nominated(p, n, nominated, &cycle, filters)
        };
        let outcome = preemption::preempt(pod, &verdicts, &filter);
        let message = match pre_filter_msg {
            Some(msg) => fit_error_pre_filter(nodes.len(), msg, outcome.message().as_deref()),
            None => {
                let statuses: Vec<Status> = verdicts.into_iter().map(|(_, s)| s).collect();
                fit_error(nodes.len(), &statuses, outcome.message().as_deref())
            }
        };
        let object = record.object();
        let (nominate, preemption, chosen) = match outcome {
            Preemption::NotEligible(reason) => {
                (None, PreemptionOutcome::NotEligible { reason }, None)
            }
            Preemption::NoCandidate(message) => (
                Some(String::new()),
                PreemptionOutcome::NoCandidate { message },
                None,
            ),
            Preemption::Nominated(candidate) => {
                ctx.note(
                    Actor::Scheduler,
                    format!("DefaultPreemption: nominate {}", candidate.node),
                    object,
                    format!("victims: {}", victim_keys(&candidate).join(", ")),
                );
                let victims = victim_keys(&candidate);
                (
                    Some(candidate.node.clone()),
                    PreemptionOutcome::Nominated {
                        node: candidate.node.clone(),
                        victims,
                    },
                    Some((candidate, nominated.to_vec())),
                )
            }
        };
        record.outcome = CycleOutcome::Unschedulable {
            message: message.clone(),
            preemption: Some(preemption),
        };
        Decision::Fail {
            message,
            by_plugins: true,
            nominate,
            preempted: chosen,
        }
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
            let ns = victim.at("/metadata/namespace").and_then(Value::as_str);
            let name = str_at(victim, "/metadata/name");
            let generation = victim
                .at("/metadata/generation")
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
    /// The binding cycle: Reserve and PreBind (VolumeBinding: the pod's delayed-binding claims
    /// are given to the node and must be bound before the pod is), then Bind. The real binding
    /// cycle waits in a goroutine; here a pod whose claims are not bound yet stays assumed (the
    /// wait's start kept in its assumed copy) and goes back to the queue, to be bound once a
    /// storage event shows its claims bound, or failed after the bind timeout.
    fn bind(&mut self, pod: &Value, node: &str, queued: QueuedPod, ctx: &mut Ctx) {
        const WAITING_SINCE: &str = "podlabVolumeBindingSince";
        let (ns, name) = (
            str_at(pod, "/metadata/namespace").to_string(),
            str_at(pod, "/metadata/name").to_string(),
        );
        let waiting_since = self
            .assumed
            .get(&queued.key)
            .filter(|a| str_at(a, "/spec/nodeName") == node)
            .and_then(|a| a.get(WAITING_SINCE))
            .and_then(Value::as_u64);
        let node_object = match self.cache.position(node) {
            Ok(i) => self.cache.nodes.get(i).map(|n| n.node.clone()),
            Err(_) => None,
        }
        .unwrap_or_else(|| json!({"metadata": {"name": node}}));
        let mut assumed = pod.clone();
        assumed["spec"]["nodeName"] = json!(node);
        use plugins::volume_binding::{pre_bind, PreBind};
        match pre_bind(pod, &node_object, &self.listers, waiting_since, ctx) {
            PreBind::Done => {}
            PreBind::Waiting { since } => {
                assumed[WAITING_SINCE] = json!(since);
                self.assumed.insert(queued.key.clone(), assumed);
                self.queue.requeue_failed(queued, true, ctx.now);
                return;
            }
            PreBind::Failed(message) => {
                self.assumed.remove(&queued.key);
                self.fail(pod, message, queued, false, None, ctx);
                return;
            }
        }
        self.assumed.insert(queued.key.clone(), assumed);
        let binding = json!({
            "apiVersion": "v1", "kind": "Binding",
            "metadata": {"name": name, "namespace": ns, "uid": pod.at("/metadata/uid").cloned().unwrap_or(Value::Null)},
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
        // handleSchedulingFailure: Unschedulable only for a rejected status; a PreBind plugin's
        // error (RunPreBindPlugins wraps it as "running PreBind plugin %q: %w", a plain Error
        // status) is a SchedulerError. The FailedScheduling event has the same message.
        let reason = if message.starts_with("running PreBind plugin ") {
            "SchedulerError"
        } else {
            "Unschedulable"
        };
        let already = pod
            .at("/status/conditions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|c| {
                str_at(c, "/type") == "PodScheduled"
                    && str_at(c, "/status") == "False"
                    && str_at(c, "/reason") == reason
                    && str_at(c, "/message") == message
            });
        let nominated_now = str_at(pod, "/status/nominatedNodeName");
        let nominate = nominate.filter(|n| *n != nominated_now);
        if !already || nominate.is_some() {
            let generation = pod.at("/metadata/generation").cloned().unwrap_or(json!(1));
            let cond = json!({
                "type": "PodScheduled", "status": "False", "reason": reason, "message": message,
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
                pod.at("/metadata/namespace").and_then(Value::as_str),
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
                p.at("/metadata/namespace").and_then(Value::as_str),
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
    pod: &PodInfo,
    node: &NodeInfo,
    nominated: &[Value],
    cycle: &Cycle,
    filters: &[Box<dyn FilterPlugin>],
) -> Status {
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
        return run_filters(pod, node, cycle, filters);
    }
    let mut pods = node.pods.clone();
    pods.extend(added.into_iter().map(|p| Arc::new(PodInfo::new(p))));
    let with_nominated = NodeInfo::with_pods(node.node.clone(), pods);
    let nodes = framework::with_node_replaced(cycle.nodes, &with_nominated);
    let changed = Cycle::new(&nodes, cycle.listers);
    let with = run_filters(pod, &with_nominated, &changed, filters);
    if !with.is_success() {
        return with;
    }
    run_filters(pod, node, cycle, filters)
}

/// RunFilterPlugins: the plugins in order, stopping at the first rejection (whose status says
/// which plugin it was; the cycle record needs nothing more).
fn run_filters(
    pod: &PodInfo,
    node: &NodeInfo,
    cycle: &Cycle,
    filters: &[Box<dyn FilterPlugin>],
) -> Status {
    for plugin in filters {
        let status = plugin.filter_in(pod, node, cycle);
        if !status.is_success() {
            return status;
        }
    }
    Status::success("")
}

/// findNodesThatPassFilters: the nodes are searched from `start`, wrapping around, and the search
/// stops once numFeasibleNodesToFind nodes passed (every node is searched below 100 nodes, or
/// when too few fit).
fn find_nodes_that_pass_filters(
    pod: &PodInfo,
    cycle: &Cycle,
    filters: &[Box<dyn FilterPlugin>],
    nominated: &[Value],
    start: usize,
) -> FilterSearch {
    let total = cycle.nodes.len();
    let wanted = num_feasible_nodes_to_find(total);
    let mut search = FilterSearch {
        feasible: Vec::new(),
        evaluated: Vec::new(),
    };
    for offset in 0..total {
        if search.feasible.len() >= wanted {
            break;
        }
        let index = (start + offset) % total;
        let Some(node) = cycle.nodes.get(index) else {
            continue;
        };
        let status = filters_with_nominated(pod, node, nominated, cycle, filters);
        if status.is_success() {
            search.feasible.push(index);
        }
        search.evaluated.push((index, status));
    }
    search
}

/// Above this many evaluated nodes, the trace gets one line for the filters rather than one per
/// node (the cycle record still has every evaluated node).
const MAX_NODES_NOTED: usize = MIN_FEASIBLE_NODES_TO_FIND;

fn note_filter_verdicts(nodes: &[NodeInfo], rows: &[(usize, Status)], object: &str, ctx: &mut Ctx) {
    if rows.len() > MAX_NODES_NOTED {
        let feasible = rows.iter().filter(|(_, s)| s.is_success()).count();
        ctx.note(
            Actor::Scheduler,
            "Filter",
            object.to_string(),
            format!(
                "{feasible} feasible of {} nodes evaluated ({} nodes in all)",
                rows.len(),
                nodes.len()
            ),
        );
        return;
    }
    for (i, s) in rows {
        let name = nodes.get(*i).map(|n| n.name.as_str()).unwrap_or_default();
        let detail = if s.is_success() {
            "passed every filter".to_string()
        } else {
            format!("{}: {}", s.plugin, s.reasons.join(", "))
        };
        ctx.note(
            Actor::Scheduler,
            format!("Filter {name}"),
            object.to_string(),
            detail,
        );
    }
}

/// The Score lines of the trace: one per scored node (with each plugin's part), or one for all
/// of them above [`MAX_NODES_NOTED`] nodes (the cycle record still has every node's scores).
fn note_scores(
    feasible: &[&NodeInfo],
    scores: &[(i64, Vec<Score>)],
    record: &SchedulingCycle,
    object: &str,
    ctx: &mut Ctx,
) {
    if feasible.len() > MAX_NODES_NOTED {
        let best = scores.iter().map(|(t, _)| *t).max().unwrap_or(0);
        ctx.note(
            Actor::Scheduler,
            "Score",
            object.to_string(),
            format!(
                "{} feasible nodes scored; the highest total is {best}",
                feasible.len()
            ),
        );
        return;
    }
    for (n, (total, parts)) in feasible.iter().zip(scores) {
        ctx.note(
            Actor::Scheduler,
            format!("Score {}: {total}", n.name),
            object.to_string(),
            score_breakdown(&record.score_plugins, parts),
        );
    }
}

/// The cycle's record, attached to its own trace entry (see cycle::latest_cycle), with the
/// outcome in one sentence as the entry's text.
fn write_record(record: SchedulingCycle, ctx: &mut Ctx) {
    let summary = table::summary(&record);
    ctx.note_with(
        Actor::Scheduler,
        CYCLE_ACTION,
        record.object(),
        summary,
        std::sync::Arc::new(record),
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

/// FitError.Error() when a PreFilter plugin rejected the pod: `0/N nodes are available: <its
/// message>.` (PreFilterMsg; the per-node reasons are left out), then the PostFilter messages as
/// in [`fit_error`].
pub fn fit_error_pre_filter(
    total: usize,
    pre_filter_msg: &str,
    preemption: Option<&str>,
) -> String {
    let filters = format!("0/{total} nodes are available: {pre_filter_msg}.");
    match preemption {
        Some(p) => format!(
            "{filters} {NO_CLAIMS_TO_DEALLOCATE}, {}.",
            p.trim_end_matches('.')
        ),
        None => filters,
    }
}

/// Weighted, normalized scores per feasible node, with each plugin's part in the scorers' order
/// (PreScore, Score and NormalizeScore with the cycle's view).
fn score_nodes(
    pod: &PodInfo,
    nodes: &[&NodeInfo],
    cycle: &Cycle,
    scorers: &[Box<dyn ScorePlugin>],
) -> Vec<(i64, Vec<Score>)> {
    let mut totals = vec![(0i64, Vec::with_capacity(scorers.len())); nodes.len()];
    for plugin in scorers {
        let raw: Vec<i64> = plugin.score_all(pod, nodes, cycle);
        let mut normalized = raw.clone();
        plugin.normalize_in(pod, nodes, cycle, &mut normalized);
        for (total, (r, s)) in totals.iter_mut().zip(raw.iter().zip(&normalized)) {
            total.0 += s * plugin.weight();
            total.1.push(Score {
                raw: *r,
                normalized: *s,
            });
        }
    }
    totals
}

/// `NodeResourcesFit 80×1, ...` for the trace.
fn score_breakdown(plugins: &[(&'static str, i64)], parts: &[Score]) -> String {
    plugins
        .iter()
        .zip(parts)
        .map(|((name, weight), p)| format!("{name} {}×{weight}", p.normalized))
        .collect::<Vec<_>>()
        .join(", ")
}

/// selectHost: the highest total; among equals, one chosen uniformly at random (reservoir sampling).
fn select_host(nodes: &[&NodeInfo], scores: &[(i64, Vec<Score>)], ctx: &mut Ctx) -> String {
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
