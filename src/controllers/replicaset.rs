//! The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): for each ReplicaSet,
//! claim the pods its selector matches, create the missing ones from the template in slow-start
//! batches (1, 2, 4, ...) or delete the surplus (pods earliest in their startup first), then
//! write the status counted from the pods it saw.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde_json::{json, Value};

use super::workload::{
    controller_ref, int_at, is_being_deleted, is_controlled_by, name_of, namespace_of,
    new_controller_ref, phase, pod_is_active, pod_is_available, pod_is_ready, pod_is_terminating,
    pod_ready_since, selector_of, selects, str_at, uid_of, Retries,
};
use crate::apiserver::selectors::labels_of;
use crate::apiserver::{PatchType, Request, ResourceInfo, Verb};
use crate::client::{core, grouped, key_of, Ctx, Informer};
use crate::events::LegacyRecorder as Recorder;
use crate::sim::{Actor, Millis};

/// `BurstReplicas`: at most this many creations or deletions per sync.
const BURST_REPLICAS: usize = 500;
/// `controller.SlowStartInitialBatchSize`.
const SLOW_START_INITIAL_BATCH: usize = 1;

/// What the controller runs over: ReplicaSets, or ReplicationControllers through the same logic
/// (`NewBaseController`'s group-version-kind, event source and features, as
/// pkg/controller/replication wraps this controller).
#[derive(Debug, Clone, Copy)]
pub struct Flavour {
    /// Where the objects are served.
    pub resource: fn() -> &'static ResourceInfo,
    pub api_version: &'static str,
    pub kind: &'static str,
    /// The event source component (`replicaset-controller`, `replication-controller`).
    pub component: &'static str,
    /// The object prefix in trace notes (`replicaset`).
    pub singular: &'static str,
    /// The selector as a LabelSelector (a ReplicationController's is a plain label map).
    pub selector: fn(&Value) -> Option<LabelSelector>,
    /// `EnableStatusTerminatingReplicas`: whether the status counts terminating pods.
    pub terminating_replicas: bool,
}

/// The ReplicaSet flavour.
pub const REPLICA_SETS: Flavour = Flavour {
    resource: || grouped("apps", "replicasets"),
    api_version: "apps/v1",
    kind: "ReplicaSet",
    component: "replicaset-controller",
    singular: "replicaset",
    selector: selector_of,
    terminating_replicas: true,
};

/// The controller's own state: its recorder, and the per-ReplicaSet retry back-off of the
/// workqueue's rate limiter (5 ms doubling, at most 1000 s).
#[derive(Debug)]
pub struct ReplicaSetController {
    flavour: Flavour,
    recorder: Recorder,
    retry: Retries,
}

impl Default for ReplicaSetController {
    fn default() -> Self {
        ReplicaSetController::with_flavour(REPLICA_SETS)
    }
}

/// `ActivePodsWithRanks.Less` (controller_utils.go): which of two pods to delete first when
/// scaling down. Unassigned before assigned; Pending before Unknown before Running; not ready
/// before ready; more pods of the same owner family on the node first; ready more recently
/// first; more restarts first; newer first.
fn delete_first(a: &Value, b: &Value, rank: impl Fn(&Value) -> usize) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let node = |p: &Value| str_at(p, "/spec/nodeName").to_string();
    let (na, nb) = (node(a), node(b));
    if na != nb && (na.is_empty() || nb.is_empty()) {
        return if na.is_empty() {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    let phase_rank = |p: &Value| match phase(p) {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    };
    let by_phase = phase_rank(a).cmp(&phase_rank(b));
    if by_phase != Ordering::Equal {
        return by_phase;
    }
    if pod_is_ready(a) != pod_is_ready(b) {
        return if pod_is_ready(a) {
            Ordering::Greater
        } else {
            Ordering::Less
        };
    }
    let deletion_cost = |p: &Value| {
        str_at(
            p,
            "/metadata/annotations/controller.kubernetes.io~1pod-deletion-cost",
        )
        .parse::<i32>()
        .unwrap_or(0)
    };
    let by_cost = deletion_cost(a).cmp(&deletion_cost(b));
    if by_cost != Ordering::Equal {
        return by_cost;
    }
    let by_rank = rank(b).cmp(&rank(a));
    if by_rank != Ordering::Equal {
        return by_rank;
    }
    if pod_is_ready(a) && pod_is_ready(b) {
        let by_ready = pod_ready_since(b).cmp(&pod_ready_since(a));
        if by_ready != Ordering::Equal {
            return by_ready;
        }
    }
    let restarts = |p: &Value| {
        p.pointer("/status/containerStatuses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|c| int_at(c, "/restartCount"))
            .max()
            .unwrap_or(0)
    };
    let by_restarts = restarts(b).cmp(&restarts(a));
    if by_restarts != Ordering::Equal {
        return by_restarts;
    }
    str_at(b, "/metadata/creationTimestamp").cmp(str_at(a, "/metadata/creationTimestamp"))
}

/// `getPodsToDelete`: the first `diff` pods once ranked, where a pod's rank is the number of
/// active related pods (of the same Deployment's ReplicaSets) on its node.
pub fn pods_to_delete<'a>(
    candidates: &[&'a Value],
    related: &[&Value],
    diff: usize,
) -> Vec<&'a Value> {
    let mut on_node: BTreeMap<&str, usize> = BTreeMap::new();
    for p in related.iter().filter(|p| pod_is_active(p)) {
        *on_node.entry(str_at(p, "/spec/nodeName")).or_default() += 1;
    }
    let rank = |p: &Value| {
        on_node
            .get(str_at(p, "/spec/nodeName"))
            .copied()
            .unwrap_or(0)
    };
    let mut ranked = candidates.to_vec();
    if diff < ranked.len() {
        ranked.sort_by(|a, b| delete_first(a, b, rank));
    }
    ranked.truncate(diff);
    ranked
}

/// `slowStartBatch`: batch sizes 1, 2, 4, ... up to what remains.
pub fn slow_start_batches(count: usize) -> Vec<usize> {
    let mut batches = Vec::new();
    let (mut remaining, mut size) = (count, SLOW_START_INITIAL_BATCH.min(count));
    while size > 0 {
        batches.push(size);
        remaining -= size;
        size = (2 * size).min(remaining);
    }
    batches
}

/// `calculateStatus`: counts of the active pods (those with all the template's labels, ready,
/// available), the terminating ones, and the ReplicaFailure condition after a failed sync.
pub fn calculate_status(
    rs: &Value,
    active: &[&Value],
    terminating: usize,
    manage_error: Option<(&str, &str)>,
    now: Millis,
) -> Value {
    let mut status = rs
        .get("status")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({}));
    let template_labels = labels_of(rs.pointer("/spec/template").unwrap_or(&Value::Null));
    let min_ready = int_at(rs, "/spec/minReadySeconds");
    let fully_labeled = active
        .iter()
        .filter(|p| {
            let labels = labels_of(p);
            template_labels
                .iter()
                .all(|(k, v)| labels.get(k) == Some(v))
        })
        .count();
    let ready = active.iter().filter(|p| pod_is_ready(p)).count();
    let available = active
        .iter()
        .filter(|p| pod_is_available(p, min_ready, now))
        .count();
    let has_failure = super::workload::condition(&status, "ReplicaFailure").is_some();
    match manage_error {
        Some((reason, message)) if !has_failure => super::workload::set_condition(
            &mut status,
            json!({"type": "ReplicaFailure", "status": "True", "reason": reason, "message": message, "lastTransitionTime": crate::apiserver::timestamp(now)}),
        ),
        None if has_failure => super::workload::remove_condition(&mut status, "ReplicaFailure"),
        _ => {}
    }
    status["replicas"] = json!(active.len());
    status["fullyLabeledReplicas"] = json!(fully_labeled);
    status["readyReplicas"] = json!(ready);
    status["availableReplicas"] = json!(available);
    status["terminatingReplicas"] = json!(terminating);
    status
}

/// `calculateStatus` for the flavour: without `EnableStatusTerminatingReplicas` the
/// terminating count is not part of the status.
fn flavour_status(
    flavour: &Flavour,
    rs: &Value,
    active: &[&Value],
    terminating: usize,
    manage_error: Option<(&str, &str)>,
    now: Millis,
) -> Value {
    let mut status = calculate_status(rs, active, terminating, manage_error, now);
    if !flavour.terminating_replicas {
        if let Some(m) = status.as_object_mut() {
            m.remove("terminatingReplicas");
        }
    }
    status
}

/// The status as stored (zero counters left out), with observedGeneration.
fn stored_status(mut status: Value, generation: i64) -> Value {
    status["observedGeneration"] = json!(generation);
    if let Some(m) = status.as_object_mut() {
        m.retain(|k, v| {
            !(matches!(
                k.as_str(),
                "fullyLabeledReplicas"
                    | "readyReplicas"
                    | "availableReplicas"
                    | "observedGeneration"
            ) && v == &json!(0))
        });
    }
    status
}

/// The pod a ReplicaSet creates from its template (`GetPodFromTemplate`): the template's labels,
/// annotations and finalizers, `generateName: <rs>-`, the controller reference, the spec.
pub fn pod_from_template(rs: &Value) -> Value {
    pod_from_template_of(rs, &REPLICA_SETS)
}

/// [`pod_from_template`] for an owner of the flavour's kind.
pub fn pod_from_template_of(rs: &Value, flavour: &Flavour) -> Value {
    let template = rs.pointer("/spec/template").cloned().unwrap_or(Value::Null);
    let mut metadata = json!({
        "generateName": format!("{}-", name_of(rs)),
        "namespace": namespace_of(rs),
        "ownerReferences": [new_controller_ref(rs, flavour.api_version, flavour.kind)],
    });
    for field in ["labels", "annotations", "finalizers"] {
        if let Some(v) = template
            .pointer(&format!("/metadata/{field}"))
            .filter(|v| !v.is_null())
        {
            metadata[field] = v.clone();
        }
    }
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": template.get("spec").cloned().unwrap_or_else(|| json!({})),
    })
}

impl ReplicaSetController {
    /// The controller for the flavour's kind.
    pub fn with_flavour(flavour: Flavour) -> Self {
        ReplicaSetController {
            flavour,
            recorder: Recorder::for_controller(flavour.component),
            retry: Retries::default(),
        }
    }

    /// Sync every ReplicaSet against the pods (a full resync).
    pub fn reconcile(&mut self, replica_sets: &Informer, pods: &Informer, ctx: &mut Ctx) {
        let keys: Vec<String> = replica_sets.list().map(key_of).collect();
        self.sync_keys(&keys, replica_sets, pods, ctx);
    }

    /// `processNextWorkItem` for each queued key, in order: the ReplicaSets a change concerns
    /// (see [`super::queue`]). A key still in its back-off waits; a key whose ReplicaSet is gone
    /// forgets its back-off.
    pub fn sync_keys(
        &mut self,
        keys: &[String],
        replica_sets: &Informer,
        pods: &Informer,
        ctx: &mut Ctx,
    ) {
        let all: Vec<&Value> = replica_sets.list().collect();
        for key in keys {
            let Some(rs) = replica_sets.get(key) else {
                continue;
            };
            if let Some(at) = self.retry.waiting_until(key, ctx.now) {
                ctx.wake_at(at);
                continue;
            }
            let ok = self.sync(rs, &all, pods, ctx).is_ok();
            if let Some(delay) = self.retry.record(key.clone(), ok, ctx.now) {
                ctx.wake_after(delay);
            }
        }
        self.retry.retain(|k| replica_sets.get(k).is_some());
    }

    /// `syncReplicaSet`.
    fn sync(
        &mut self,
        rs: &Value,
        all: &[&Value],
        pods: &Informer,
        ctx: &mut Ctx,
    ) -> Result<(), ()> {
        let Some(selector) = (self.flavour.selector)(rs) else {
            return Ok(());
        };
        let ns = namespace_of(rs);
        let in_namespace: Vec<&Value> = pods.list().filter(|p| namespace_of(p) == ns).collect();
        let owned = self.claim_pods(rs, &selector, &in_namespace, ctx);
        let active: Vec<&Value> = owned.iter().copied().filter(|p| pod_is_active(p)).collect();
        let terminating = owned.iter().filter(|p| pod_is_terminating(p)).count();
        let mut manage_error = None;
        if !is_being_deleted(rs) {
            let related = related_pods(rs, all, &in_namespace);
            manage_error = self.manage_replicas(rs, &active, &related, ctx);
        }
        let status = flavour_status(
            &self.flavour,
            rs,
            &active,
            terminating,
            manage_error.as_ref().map(|(r, m)| (*r, m.as_str())),
            ctx.now,
        );
        let status = stored_status(status, int_at(rs, "/metadata/generation"));
        if let Some(at) = next_available_at(rs, &active, ctx.now) {
            ctx.wake_at(at);
        }
        if rs.get("status") != Some(&status) {
            let mut updated = rs.clone();
            updated["status"] = status;
            let resp = ctx.update_status((self.flavour.resource)(), updated);
            if !resp.is_success() {
                return Err(());
            }
        }
        match manage_error {
            Some(_) => Err(()),
            None => Ok(()),
        }
    }

    /// `claimPods` (ControllerRefManager): the pods this ReplicaSet controls and still selects;
    /// orphans it selects are adopted (a PATCH adding the controller reference), pods it controls
    /// but no longer selects are released.
    fn claim_pods<'a>(
        &mut self,
        rs: &Value,
        selector: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector,
        pods: &[&'a Value],
        ctx: &mut Ctx,
    ) -> Vec<&'a Value> {
        let mut owned = Vec::new();
        for &pod in pods {
            // Pods another controller controls are not looked at (ClaimObject ignores them).
            let controlled = is_controlled_by(pod, rs);
            if !controlled && controller_ref(pod).is_some() {
                continue;
            }
            let matches = selects(Some(selector), pod);
            if controlled {
                if matches || is_being_deleted(pod) {
                    owned.push(pod);
                } else if !is_being_deleted(rs) {
                    release(rs, pod, ctx);
                }
            } else if controller_ref(pod).is_none()
                && matches
                && pod_is_active(pod)
                && !is_being_deleted(rs)
                && adopt(rs, &self.flavour, pod, ctx)
            {
                owned.push(pod);
            }
        }
        owned
    }

    /// `manageReplicas`: create or delete pods towards `spec.replicas`; the failure, if any, as
    /// the ReplicaFailure reason and message.
    fn manage_replicas(
        &mut self,
        rs: &Value,
        active: &[&Value],
        related: &[&Value],
        ctx: &mut Ctx,
    ) -> Option<(&'static str, String)> {
        let want = usize::try_from(int_at(rs, "/spec/replicas")).unwrap_or(0);
        let have = active.len();
        let object = format!(
            "{}/{}/{}",
            self.flavour.singular,
            namespace_of(rs),
            name_of(rs)
        );
        if have < want {
            let diff = (want - have).min(BURST_REPLICAS);
            ctx.note(
                Actor::ControllerManager,
                format!("{}: too few replicas", self.flavour.component),
                object,
                format!("need {want}, have {have}, creating {diff}"),
            );
            return self.create_pods(rs, diff, ctx).map(|m| ("FailedCreate", m));
        }
        if have > want {
            let diff = (have - want).min(BURST_REPLICAS);
            ctx.note(
                Actor::ControllerManager,
                format!("{}: too many replicas", self.flavour.component),
                object,
                format!("need {want}, have {have}, deleting {diff}"),
            );
            let victims: Vec<Value> = pods_to_delete(active, related, diff)
                .into_iter()
                .cloned()
                .collect();
            return self
                .delete_pods(rs, &victims, ctx)
                .map(|m| ("FailedDelete", m));
        }
        None
    }

    /// Create `count` pods in slow-start batches; stop after a batch with a failure.
    fn create_pods(&mut self, rs: &Value, count: usize, ctx: &mut Ctx) -> Option<String> {
        for batch in slow_start_batches(count) {
            let mut error = None;
            for _ in 0..batch {
                let resp = ctx.create(
                    core("pods"),
                    Some(namespace_of(rs)),
                    pod_from_template_of(rs, &self.flavour),
                );
                if resp.is_success() {
                    let message = format!("Created pod: {}", name_of(&resp.body));
                    self.recorder
                        .object_event(ctx, rs, "Normal", "SuccessfulCreate", &message);
                } else {
                    let cause = str_at(&resp.body, "/message").to_string();
                    self.recorder.object_event(
                        ctx,
                        rs,
                        "Warning",
                        "FailedCreate",
                        &format!("Error creating: {cause}"),
                    );
                    error = Some(cause);
                }
            }
            if error.is_some() {
                return error;
            }
        }
        None
    }

    fn delete_pods(&mut self, rs: &Value, victims: &[Value], ctx: &mut Ctx) -> Option<String> {
        let mut error = None;
        for pod in victims {
            let resp = ctx.delete(core("pods"), Some(namespace_of(pod)), name_of(pod), None);
            if resp.is_success() {
                self.recorder.object_event(
                    ctx,
                    rs,
                    "Normal",
                    "SuccessfulDelete",
                    &format!("Deleted pod: {}", name_of(pod)),
                );
            } else if resp.code != 404 {
                let cause = str_at(&resp.body, "/message").to_string();
                self.recorder.object_event(
                    ctx,
                    rs,
                    "Warning",
                    "FailedDelete",
                    &format!("Error deleting: {cause}"),
                );
                error = Some(cause);
            }
        }
        error
    }
}

/// When the first of the active pods that are ready but not yet available for
/// `minReadySeconds` becomes available, plus the second `updatePod` adds
/// (`enqueueRSAfter(rs, minReadySeconds + 1s)`): the status is counted again then.
fn next_available_at(rs: &Value, active: &[&Value], now: Millis) -> Option<Millis> {
    let min_ready = u64::try_from(int_at(rs, "/spec/minReadySeconds")).unwrap_or(0);
    if min_ready == 0 {
        return None;
    }
    active
        .iter()
        .filter_map(|p| pod_ready_since(p))
        .map(|since| since.saturating_add(min_ready.saturating_mul(1000)))
        .filter(|&available_at| available_at > now)
        .map(|at| at.saturating_add(1000))
        .min()
}

/// `getIndirectlyRelatedPods`: the pods of every ReplicaSet controlled by the same owner (or only
/// this ReplicaSet's, without an owner).
fn related_pods<'a>(rs: &Value, all: &[&Value], pods: &[&'a Value]) -> Vec<&'a Value> {
    let siblings: Vec<&Value> = match controller_ref(rs) {
        Some(owner) => all
            .iter()
            .copied()
            .filter(|other| {
                namespace_of(other) == namespace_of(rs)
                    && controller_ref(other)
                        .is_some_and(|r| str_at(r, "/uid") == str_at(owner, "/uid"))
            })
            .collect(),
        None => vec![rs],
    };
    pods.iter()
        .copied()
        .filter(|p| siblings.iter().any(|s| is_controlled_by(p, s)))
        .collect()
}

/// Adopt an orphan: a merge patch of its owner references, guarded by its uid.
fn adopt(rs: &Value, flavour: &Flavour, pod: &Value, ctx: &mut Ctx) -> bool {
    let mut refs: Vec<Value> = pod
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    refs.push(new_controller_ref(rs, flavour.api_version, flavour.kind));
    let patch = json!({"metadata": {"ownerReferences": refs, "uid": uid_of(pod)}});
    let req = Request::new(Verb::Patch(PatchType::Merge), core("pods"), &ctx.user())
        .namespace(Some(namespace_of(pod)))
        .name(name_of(pod))
        .body(patch);
    ctx.request(req).is_success()
}

/// Release a pod the ReplicaSet no longer selects: drop its reference to the ReplicaSet.
fn release(rs: &Value, pod: &Value, ctx: &mut Ctx) {
    let refs: Vec<Value> = pod
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|r| str_at(r, "/uid") != uid_of(rs))
        .cloned()
        .collect();
    let refs = if refs.is_empty() {
        Value::Null
    } else {
        Value::Array(refs)
    };
    let patch = json!({"metadata": {"ownerReferences": refs, "uid": uid_of(pod)}});
    let req = Request::new(Verb::Patch(PatchType::Merge), core("pods"), &ctx.user())
        .namespace(Some(namespace_of(pod)))
        .name(name_of(pod))
        .body(patch);
    ctx.request(req);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, node: &str, phase: &str, ready: bool) -> Value {
        json!({
            "metadata": {"name": name, "namespace": "default", "creationTimestamp": "2026-11-21T14:00:11Z", "labels": {"app": "hello"}},
            "spec": {"nodeName": node},
            "status": {"phase": phase, "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]}
        })
    }

    #[test]
    fn slow_start_doubles_the_batch() {
        assert_eq!(slow_start_batches(3), vec![1, 2]);
        assert_eq!(slow_start_batches(10), vec![1, 2, 4, 3]);
        assert_eq!(slow_start_batches(0), Vec::<usize>::new());
    }

    #[test]
    fn unscheduled_then_pending_then_doubled_up_pods_go_first() {
        let a = pod("a", "worker-2", "Pending", false);
        let b = pod("b", "worker-1", "Pending", false);
        let c = pod("c", "worker-1", "Pending", false);
        let d = pod("d", "", "Pending", false);
        let e = pod("e", "worker-2", "Running", true);
        let f = pod("f", "worker-1", "Pending", false);
        let all = [&a, &b, &c, &d, &e, &f];
        let names: Vec<&str> = pods_to_delete(&all, &all, 3)
            .iter()
            .map(|p| name_of(p))
            .collect();
        // d is unassigned; the Running e goes last; worker-1 holds three pods (rank 3) against
        // worker-2's two, so b and c go before a.
        assert_eq!(names, ["d", "b", "c"]);
    }

    #[test]
    fn status_counts_active_ready_and_terminating_pods() {
        let rs = json!({"spec": {"replicas": 3, "template": {"metadata": {"labels": {"app": "hello"}}}}, "status": {"replicas": 0}});
        let (a, b) = (
            pod("a", "w", "Running", true),
            pod("b", "w", "Pending", false),
        );
        let status = stored_status(calculate_status(&rs, &[&a, &b], 1, None, 0), 1);
        assert_eq!(
            status,
            json!({"replicas": 2, "fullyLabeledReplicas": 2, "readyReplicas": 1, "availableReplicas": 1, "terminatingReplicas": 1, "observedGeneration": 1})
        );
    }

    #[test]
    fn pods_come_from_the_template_with_a_controller_reference() {
        let rs = json!({
            "metadata": {"name": "hello-6b986df65f", "namespace": "default", "uid": "u1"},
            "spec": {"template": {"metadata": {"labels": {"app": "hello", "pod-template-hash": "6b986df65f"}}, "spec": {"containers": [{"name": "hello", "image": "nginx:1.27"}]}}}
        });
        let pod = pod_from_template(&rs);
        assert_eq!(pod["metadata"]["generateName"], "hello-6b986df65f-");
        assert_eq!(pod["metadata"]["labels"]["pod-template-hash"], "6b986df65f");
        assert_eq!(
            pod["metadata"]["ownerReferences"][0],
            json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "hello-6b986df65f", "uid": "u1", "controller": true, "blockOwnerDeletion": true})
        );
        assert_eq!(pod["spec"]["containers"][0]["image"], "nginx:1.27");
    }
}
