//! The StatefulSet controller (pkg/controller/statefulset: stateful_set.go,
//! stateful_set_control.go, stateful_set_utils.go, stateful_pod_control.go): pods named
//! `<set>-<ordinal>` with a stable identity (the `statefulset.kubernetes.io/pod-name` and
//! `apps.kubernetes.io/pod-index` labels, `hostname` and `subdomain` from serviceName), a claim
//! `<template>-<set>-<ordinal>` per volumeClaimTemplate created before the pod, ControllerRevisions
//! `<set>-<hash>` whose name is the pods' `controller-revision-hash`; OrderedReady creates one pod
//! at a time (each waiting for the previous to be Running and Ready) and removes from the highest
//! ordinal, Parallel acts on all at once; RollingUpdate replaces pods from the highest ordinal
//! down to the partition, OnDelete waits for the user; the status counts created, ready,
//! available, current and updated pods.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde_json::{json, Value};

use super::workload::{
    controller_ref, int_at, is_being_deleted, is_controlled_by, name_of, namespace_of,
    new_controller_ref, phase, pod_is_available, pod_is_ready, safe_encode, selector_of, selects,
    str_at, uid_of, Retries,
};
use crate::apiserver::selectors::labels_of;
use crate::apiserver::{PatchType, Request, Verb};
use crate::client::{core, grouped, Ctx, Informer};
use crate::events::LegacyRecorder as Recorder;
use crate::sim::Actor;

/// `apps.StatefulSetPodNameLabel`.
pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
/// `apps.PodIndexLabel`.
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";
/// `apps.StatefulSetRevisionLabel`: the pod's revision, the ControllerRevision's name.
pub const REVISION_LABEL: &str = "controller-revision-hash";
/// `history.ControllerRevisionHashLabel`: the hash a ControllerRevision carries.
const REVISION_HASH_LABEL: &str = "controller.kubernetes.io/hash";
/// `MaxBatchSize` of slowStartBatch.
const MAX_BATCH: usize = 500;

/// The informers the controller reads.
pub struct Caches<'a> {
    pub stateful_sets: &'a Informer,
    pub pods: &'a Informer,
    pub claims: &'a Informer,
    pub revisions: &'a Informer,
}

/// The controller's recorder and per-set retry back-off.
#[derive(Debug)]
pub struct StatefulSetController {
    recorder: Recorder,
    retry: Retries,
}

impl Default for StatefulSetController {
    fn default() -> Self {
        StatefulSetController {
            recorder: Recorder::for_controller("statefulset-controller"),
            retry: Retries::default(),
        }
    }
}

/// `getParentNameAndOrdinal`: `(.*)-([0-9]+)$`; the ordinal is `None` when the name has no such
/// suffix or it does not fit in 32 bits.
pub fn parent_and_ordinal(name: &str) -> (Option<&str>, Option<i64>) {
    let Some(dash) = name.rfind('-') else {
        return (None, None);
    };
    let (parent, digits) = (&name[..dash], &name[dash + 1..]);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return (None, None);
    }
    let ordinal = digits.parse::<i32>().ok().map(i64::from);
    (Some(parent), ordinal)
}

fn ordinal_of(pod: &Value) -> Option<i64> {
    parent_and_ordinal(name_of(pod)).1
}

/// `isMemberOf`: the pod's name is `<set>-<digits>`.
fn is_member_of(set: &Value, pod: &Value) -> bool {
    parent_and_ordinal(name_of(pod)).0 == Some(name_of(set))
}

/// `spec.replicas` (defaulted to 1 by the API server).
fn replicas_of(set: &Value) -> i64 {
    set.pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1)
        .max(0)
}

/// `getStartOrdinal`: `spec.ordinals.start`, else 0.
fn start_ordinal(set: &Value) -> i64 {
    int_at(set, "/spec/ordinals/start")
}

/// `podInOrdinalRange`.
fn in_ordinal_range(pod: &Value, set: &Value) -> bool {
    let start = start_ordinal(set);
    ordinal_of(pod).is_some_and(|o| o >= start && o < start + replicas_of(set))
}

/// `getPersistentVolumeClaimName`: `<template>-<set>-<ordinal>`.
pub fn claim_name(set: &Value, template: &Value, ordinal: i64) -> String {
    format!("{}-{}-{ordinal}", name_of(template), name_of(set))
}

fn claim_templates(set: &Value) -> Vec<Value> {
    set.pointer("/spec/volumeClaimTemplates")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// `getPersistentVolumeClaims`: the claims of the pod at `ordinal`, each its template renamed,
/// in the set's namespace, labelled with the template's labels and the selector's matchLabels.
pub fn claims_for(set: &Value, ordinal: i64) -> Vec<Value> {
    let match_labels = set
        .pointer("/spec/selector/matchLabels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    claim_templates(set)
        .iter()
        .map(|template| {
            let mut claim = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim"});
            let mut metadata = template
                .get("metadata")
                .filter(|m| m.is_object())
                .cloned()
                .unwrap_or_else(|| json!({}));
            metadata["name"] = json!(claim_name(set, template, ordinal));
            metadata["namespace"] = json!(namespace_of(set));
            if !metadata.get("labels").is_some_and(Value::is_object) {
                metadata["labels"] = json!({});
            }
            for (k, v) in &match_labels {
                metadata["labels"][k] = v.clone();
            }
            if metadata["labels"].as_object().is_some_and(|l| l.is_empty()) {
                if let Some(m) = metadata.as_object_mut() {
                    m.remove("labels");
                }
            }
            claim["metadata"] = metadata;
            claim["spec"] = template.get("spec").cloned().unwrap_or_else(|| json!({}));
            claim
        })
        .collect()
}

/// `newStatefulSetPod` (`GetPodFromTemplate`, `initIdentity`, `updateStorage`) with the
/// revision label (`setPodRevision`).
pub fn new_pod(set: &Value, ordinal: i64, revision: &str) -> Value {
    let template = set
        .pointer("/spec/template")
        .cloned()
        .unwrap_or(Value::Null);
    let name = format!("{}-{ordinal}", name_of(set));
    let mut labels = template
        .pointer("/metadata/labels")
        .filter(|l| l.is_object())
        .cloned()
        .unwrap_or_else(|| json!({}));
    labels[POD_NAME_LABEL] = json!(name);
    labels[POD_INDEX_LABEL] = json!(ordinal.to_string());
    labels[REVISION_LABEL] = json!(revision);
    let mut metadata = json!({
        "name": name,
        "namespace": namespace_of(set),
        "labels": labels,
        "ownerReferences": [new_controller_ref(set, "apps/v1", "StatefulSet")],
    });
    for field in ["annotations", "finalizers"] {
        if let Some(v) = template
            .pointer(&format!("/metadata/{field}"))
            .filter(|v| !v.is_null())
        {
            metadata[field] = v.clone();
        }
    }
    let mut spec = template.get("spec").cloned().unwrap_or_else(|| json!({}));
    spec["hostname"] = json!(name);
    let service = str_at(set, "/spec/serviceName");
    if !service.is_empty() {
        spec["subdomain"] = json!(service);
    }
    spec["volumes"] = json!(pod_volumes(set, &spec, ordinal));
    if spec["volumes"].as_array().is_some_and(Vec::is_empty) {
        if let Some(m) = spec.as_object_mut() {
            m.remove("volumes");
        }
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec})
}

/// `updateStorage`: a persistentVolumeClaim volume per claim template (Kubernetes walks a map;
/// podlab keeps the templates' order), then the template's other volumes.
fn pod_volumes(set: &Value, spec: &Value, ordinal: i64) -> Vec<Value> {
    let templates = claim_templates(set);
    let mut volumes: Vec<Value> = templates
        .iter()
        .map(|t| {
            json!({"name": name_of(t), "persistentVolumeClaim": {"claimName": claim_name(set, t, ordinal)}})
        })
        .collect();
    let existing = spec
        .get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    volumes.extend(
        existing
            .filter(|v| !templates.iter().any(|t| name_of(t) == str_at(v, "/name")))
            .cloned(),
    );
    volumes
}

/// `identityMatches`.
fn identity_matches(set: &Value, pod: &Value) -> bool {
    let (parent, ordinal) = parent_and_ordinal(name_of(pod));
    ordinal.is_some()
        && parent == Some(name_of(set))
        && namespace_of(pod) == namespace_of(set)
        && labels_of(pod).get(POD_NAME_LABEL).map(String::as_str) == Some(name_of(pod))
}

/// `isCreated`: the pod has a phase.
fn is_created(pod: &Value) -> bool {
    !phase(pod).is_empty()
}

/// `isRunningAndReady`.
fn is_running_and_ready(pod: &Value) -> bool {
    phase(pod) == "Running" && pod_is_ready(pod)
}

/// `isUnavailable`: not available for minReadySeconds, or terminating.
fn is_unavailable(pod: &Value, min_ready: i64, now: u64) -> bool {
    !pod_is_available(pod, min_ready, now) || is_being_deleted(pod)
}

fn pod_revision(pod: &Value) -> &str {
    str_at(pod, "/metadata/labels/controller-revision-hash")
}

/// FNV-1 (not 1a), 32 bits, as `fnv.New32` computes it.
fn fnv32(bytes: impl IntoIterator<Item = u8>) -> u32 {
    bytes.into_iter().fold(0x811c_9dc5u32, |h, b| {
        h.wrapping_mul(0x0100_0193) ^ u32::from(b)
    })
}

/// `getPatch`: the revision's data, the template under `$patch: replace`.
pub fn revision_data(set: &Value) -> Value {
    let mut template = set.pointer("/spec/template").cloned().unwrap_or(json!({}));
    if template.is_object() {
        template["$patch"] = json!("replace");
    }
    json!({"spec": {"template": template}})
}

/// `history.HashControllerRevision`: FNV-32 of the data then the collision count in decimal,
/// the sum in decimal through `rand.SafeEncodeString`.
pub fn revision_hash(data: &Value, collision_count: i64) -> String {
    let mut bytes = serde_json::to_vec(data).unwrap_or_default();
    bytes.extend_from_slice(collision_count.to_string().as_bytes());
    safe_encode(&fnv32(bytes).to_string())
}

/// `newRevision` (history.NewControllerRevision): `<set>-<hash>`, the template's labels plus
/// the hash, the set's annotations, the controller reference.
pub fn new_revision(set: &Value, revision: i64, collision_count: i64) -> Value {
    let data = revision_data(set);
    let hash = revision_hash(&data, collision_count);
    let mut labels = set
        .pointer("/spec/template/metadata/labels")
        .filter(|l| l.is_object())
        .cloned()
        .unwrap_or_else(|| json!({}));
    labels[REVISION_HASH_LABEL] = json!(hash);
    let mut metadata = json!({
        "name": format!("{}-{hash}", name_of(set)),
        "namespace": namespace_of(set),
        "labels": labels,
        "ownerReferences": [new_controller_ref(set, "apps/v1", "StatefulSet")],
    });
    if let Some(a) = set
        .pointer("/metadata/annotations")
        .filter(|a| a.as_object().is_some_and(|m| !m.is_empty()))
    {
        metadata["annotations"] = a.clone();
    }
    json!({
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": metadata,
        "data": data,
        "revision": revision,
    })
}

/// `ApplyRevision`: the set with the revision's template.
fn apply_revision(set: &Value, revision: &Value) -> Value {
    let mut out = set.clone();
    if let Some(mut template) = revision.pointer("/data/spec/template").cloned() {
        if let Some(m) = template.as_object_mut() {
            m.remove("$patch");
        }
        out["spec"]["template"] = template;
    }
    out
}

/// `newVersionedStatefulSetPod`: ordinals below the partition (or, without a rollingUpdate
/// block, below the current replicas) get the current revision, the others the update one.
fn new_versioned_pod(
    current_set: &Value,
    update_set: &Value,
    current: &str,
    update: &str,
    ordinal: i64,
) -> Value {
    let start = start_ordinal(current_set);
    let rolling = current_set.pointer("/spec/updateStrategy/rollingUpdate");
    let is_rolling = str_at(current_set, "/spec/updateStrategy/type") == "RollingUpdate";
    let below_current = rolling.is_none()
        && is_rolling
        && ordinal < start + int_at(current_set, "/status/currentReplicas");
    let below_partition = rolling.is_some_and(|r| !r.is_null())
        && ordinal < start + int_at(current_set, "/spec/updateStrategy/rollingUpdate/partition");
    if below_current || below_partition {
        new_pod(current_set, ordinal, current)
    } else {
        new_pod(update_set, ordinal, update)
    }
}

/// The counters of `computeReplicaStatus`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReplicaCounts {
    pub replicas: i64,
    pub ready: i64,
    pub available: i64,
    pub current: i64,
    pub updated: i64,
}

/// `updateStatus`/`computeReplicaStatus` over the pods.
pub fn count_replicas<'a>(
    pods: impl IntoIterator<Item = &'a Value>,
    min_ready: i64,
    current: &str,
    update: &str,
    now: u64,
) -> ReplicaCounts {
    let mut c = ReplicaCounts::default();
    for pod in pods {
        if is_created(pod) {
            c.replicas += 1;
        }
        if is_running_and_ready(pod) {
            c.ready += 1;
            if pod_is_available(pod, min_ready, now) {
                c.available += 1;
            }
        }
        if is_created(pod) && !is_being_deleted(pod) {
            if pod_revision(pod) == current {
                c.current += 1;
            }
            if pod_revision(pod) == update {
                c.updated += 1;
            }
        }
    }
    c
}

/// The retention policy `(whenDeleted, whenScaled)`, Retain by default.
fn retention_policy(set: &Value) -> (String, String) {
    let read = |field: &str| {
        let v = str_at(
            set,
            &format!("/spec/persistentVolumeClaimRetentionPolicy/{field}"),
        );
        if v.is_empty() {
            "Retain".to_string()
        } else {
            v.to_string()
        }
    };
    (read("whenDeleted"), read("whenScaled"))
}

fn refers_to(reference: &Value, obj: &Value, api_version: &str, kind: &str) -> bool {
    str_at(reference, "/apiVersion") == api_version
        && str_at(reference, "/kind") == kind
        && str_at(reference, "/name") == name_of(obj)
}

/// `updateClaimOwnerRefForSetAndPod`: the claim's owner references as the retention policy wants
/// them: the set's controller reference for whenDeleted Delete (while the pod is in range), the
/// pod's for whenScaled Delete once the pod is scaled away.
pub fn claim_owner_refs(claim: &Value, set: &Value, pod: &Value) -> Vec<Value> {
    let mut refs: Vec<Value> = claim
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let (when_deleted, when_scaled) = retention_policy(set);
    let retain_all = when_deleted == "Retain" && when_scaled == "Retain";
    let unexpected_controller = !retain_all
        && refs.iter().any(|r| {
            if refers_to(r, set, "apps/v1", "StatefulSet") {
                str_at(r, "/uid") != uid_of(set)
            } else if refers_to(r, pod, "v1", "Pod") {
                str_at(r, "/uid") != uid_of(pod)
            } else {
                r.get("controller").and_then(Value::as_bool) == Some(true)
            }
        });
    refs.retain(|r| {
        !refers_to(r, set, "apps/v1", "StatefulSet") && !refers_to(r, pod, "v1", "Pod")
    });
    if unexpected_controller {
        return refs;
    }
    let scaled_down = !in_ordinal_range(pod, set);
    let mut add = |owner: &Value, api_version: &str, kind: &str| {
        if !refs.iter().any(|r| str_at(r, "/uid") == uid_of(owner)) {
            refs.push(new_controller_ref(owner, api_version, kind));
        }
    };
    match (when_scaled.as_str(), when_deleted.as_str()) {
        ("Retain", "Delete") => add(set, "apps/v1", "StatefulSet"),
        ("Delete", "Retain") if scaled_down => add(pod, "v1", "Pod"),
        ("Delete", "Delete") if scaled_down => add(pod, "v1", "Pod"),
        ("Delete", "Delete") => add(set, "apps/v1", "StatefulSet"),
        _ => {}
    }
    refs
}

/// The status as the API stores it: the omitempty fields left out when zero or empty.
fn stored_status(status: Value) -> Value {
    let mut status = status;
    if let Some(m) = status.as_object_mut() {
        m.retain(|k, v| {
            let omit_empty = matches!(
                k.as_str(),
                "observedGeneration"
                    | "readyReplicas"
                    | "currentReplicas"
                    | "updatedReplicas"
                    | "currentRevision"
                    | "updateRevision"
            );
            !(omit_empty && (v == &json!(0) || v == &json!("")))
        });
    }
    status
}

/// `inconsistentStatus`: whether the computed status differs from the stored one.
fn inconsistent_status(set: &Value, status: &Value) -> bool {
    let old = set.get("status").unwrap_or(&Value::Null);
    let num = |v: &Value, f: &str| v.get(f).and_then(Value::as_i64).unwrap_or(0);
    let text = |v: &Value, f: &str| str_at(v, &format!("/{f}")).to_string();
    num(status, "observedGeneration") > num(old, "observedGeneration")
        || [
            "replicas",
            "currentReplicas",
            "readyReplicas",
            "updatedReplicas",
            "availableReplicas",
        ]
        .iter()
        .any(|f| num(status, f) != num(old, f))
        || ["currentRevision", "updateRevision"]
            .iter()
            .any(|f| text(status, f) != text(old, f))
}

/// Whether a sync stopped early (monotonic wait) or failed.
type Step = Result<bool, ()>;

impl StatefulSetController {
    /// Sync every StatefulSet.
    pub fn reconcile(&mut self, caches: &Caches, ctx: &mut Ctx) {
        let all: Vec<Value> = caches.stateful_sets.list().cloned().collect();
        for set in &all {
            let key = format!("{}/{}", namespace_of(set), name_of(set));
            if let Some(at) = self.retry.waiting_until(&key, ctx.now) {
                ctx.wake_at(at);
                continue;
            }
            let ok = self.sync(set, caches, ctx).is_ok();
            if let Some(delay) = self.retry.record(key, ok, ctx.now) {
                ctx.wake_after(delay);
            }
        }
        self.retry.retain(|k| {
            all.iter()
                .any(|s| format!("{}/{}", namespace_of(s), name_of(s)) == k)
        });
    }

    /// `sync`: claim the pods, then `UpdateStatefulSet`.
    fn sync(&mut self, set: &Value, caches: &Caches, ctx: &mut Ctx) -> Result<(), ()> {
        let Some(selector) = selector_of(set) else {
            return Ok(());
        };
        let pods = claim_pods(set, &selector, caches.pods, ctx);
        let mut revisions: Vec<Value> = caches
            .revisions
            .list()
            .filter(|r| namespace_of(r) == namespace_of(set) && is_controlled_by(r, set))
            .cloned()
            .collect();
        revisions.sort_by_key(|r| int_at(r, "/revision"));
        let (current, update, collision) = self.revisions(set, &revisions, ctx)?;
        let result =
            self.update_stateful_set(set, &current, &update, collision, &pods, caches, ctx);
        truncate_history(set, &pods, &revisions, &current, &update, ctx);
        let min_ready = int_at(set, "/spec/minReadySeconds");
        if let Ok(status) = &result {
            if min_ready > 0 && status.get("readyReplicas") != status.get("availableReplicas") {
                ctx.wake_after(u64::try_from(min_ready).unwrap_or(0) * 1000);
            }
        }
        result.map(|_| ())
    }

    /// `getStatefulSetRevisions`: the update revision (an equal existing one, renumbered if it
    /// is not the latest, else a new one, bumping the collision count on a name clash) and the
    /// current one (`status.currentRevision`, else the update revision).
    fn revisions(
        &mut self,
        set: &Value,
        revisions: &[Value],
        ctx: &mut Ctx,
    ) -> Result<(Value, Value, i64), ()> {
        let mut collision = int_at(set, "/status/collisionCount");
        let next = revisions.last().map_or(1, |r| int_at(r, "/revision") + 1);
        let data = revision_data(set);
        let info = grouped("apps", "controllerrevisions");
        let equal: Vec<&Value> = revisions
            .iter()
            .filter(|r| r.get("data") == Some(&data))
            .collect();
        let update = match (equal.last(), revisions.last()) {
            (Some(eq), Some(latest)) if name_of(eq) == name_of(latest) => (*eq).clone(),
            (Some(eq), _) => {
                let mut renumbered = (*eq).clone();
                renumbered["revision"] = json!(next);
                let resp = ctx.update(info, renumbered);
                if !resp.is_success() {
                    return Err(());
                }
                resp.body
            }
            (None, _) => loop {
                let revision = new_revision(set, next, collision);
                let resp = ctx.create(info, Some(namespace_of(set)), revision.clone());
                if resp.is_success() {
                    break resp.body;
                }
                if resp.code != 409 {
                    return Err(());
                }
                let req = Request::new(Verb::Get, info, &ctx.user())
                    .namespace(Some(namespace_of(set)))
                    .name(name_of(&revision));
                let existing = ctx.request(req);
                if existing.is_success() && existing.body.get("data") == Some(&data) {
                    break existing.body;
                }
                collision += 1;
                if collision > 100 {
                    return Err(());
                }
            },
        };
        let current_name = str_at(set, "/status/currentRevision");
        let current = revisions
            .iter()
            .find(|r| !current_name.is_empty() && name_of(r) == current_name)
            .cloned()
            .unwrap_or_else(|| update.clone());
        Ok((current, update, collision))
    }

    /// `updateStatefulSet` then `updateStatefulSetStatus`; the status written.
    #[allow(clippy::too_many_arguments)]
    fn update_stateful_set(
        &mut self,
        set: &Value,
        current: &Value,
        update: &Value,
        collision: i64,
        pods: &[Value],
        caches: &Caches,
        ctx: &mut Ctx,
    ) -> Result<Value, ()> {
        let current_set = apply_revision(set, current);
        let update_set = apply_revision(set, update);
        let (current_name, update_name) =
            (name_of(current).to_string(), name_of(update).to_string());
        let min_ready = int_at(set, "/spec/minReadySeconds");
        let start = start_ordinal(set);
        let count = usize::try_from(replicas_of(set)).unwrap_or(0);
        let mut replicas: Vec<Option<Value>> = vec![None; count];
        let mut condemned: Vec<Value> = Vec::new();
        for pod in pods {
            match ordinal_of(pod) {
                Some(o) if in_ordinal_range(pod, set) => {
                    if let Some(slot) = usize::try_from(o - start)
                        .ok()
                        .and_then(|i| replicas.get_mut(i))
                    {
                        *slot = Some(pod.clone());
                    }
                }
                Some(_) => condemned.push(pod.clone()),
                None => {}
            }
        }
        let mut replicas: Vec<Value> = replicas
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                p.unwrap_or_else(|| {
                    new_versioned_pod(
                        &current_set,
                        &update_set,
                        &current_name,
                        &update_name,
                        start + i as i64,
                    )
                })
            })
            .collect();
        condemned.sort_by_key(|p| std::cmp::Reverse(ordinal_of(p)));
        let first_unavailable = replicas
            .iter()
            .chain(condemned.iter().rev())
            .find(|p| is_unavailable(p, min_ready, ctx.now))
            .map(|p| name_of(p).to_string());
        let base_status = json!({
            "observedGeneration": int_at(set, "/metadata/generation"),
            "currentRevision": current_name,
            "updateRevision": update_name,
            "collisionCount": collision,
        });
        let monotonic = str_at(set, "/spec/podManagementPolicy") != "Parallel";
        let mut outcome: Step = Ok(false);
        let mut rolled = 0;
        if !is_being_deleted(set) {
            outcome =
                self.process_replicas(set, &update_set, monotonic, &mut replicas, caches, ctx);
            if outcome == Ok(false) {
                outcome = self.fix_condemned_claims(&update_set, &condemned, ctx);
            }
            if outcome == Ok(false) {
                outcome = self.process_condemned(
                    set,
                    first_unavailable.as_deref(),
                    monotonic,
                    &condemned,
                    ctx,
                );
            }
            if outcome == Ok(false) && str_at(set, "/spec/updateStrategy/type") != "OnDelete" {
                let done = self.rolling_update(set, &replicas, &update_name, ctx);
                rolled = i64::from(done.as_ref().is_ok_and(|d| *d));
                outcome = done.map(|_| true);
            }
        }
        let pods_now: Vec<&Value> = if is_being_deleted(set) {
            pods.iter().collect()
        } else {
            replicas.iter().chain(condemned.iter()).collect()
        };
        let c = count_replicas(pods_now, min_ready, &current_name, &update_name, ctx.now);
        let mut status = base_status;
        status["replicas"] = json!(c.replicas);
        status["readyReplicas"] = json!(c.ready);
        status["availableReplicas"] = json!(c.available);
        status["currentReplicas"] = json!(c.current - rolled);
        status["updatedReplicas"] = json!(c.updated);
        complete_rolling_update(set, &mut status);
        if let Some(conds) = set.pointer("/status/conditions").filter(|c| !c.is_null()) {
            status["conditions"] = conds.clone();
        }
        let status = stored_status(status);
        let written = if inconsistent_status(set, &status) {
            let mut copy = set.clone();
            copy["status"] = status.clone();
            ctx.update_status(grouped("apps", "statefulsets"), copy)
                .is_success()
        } else {
            true
        };
        match (outcome, written) {
            (Ok(_), true) => Ok(status),
            _ => Err(()),
        }
    }

    /// The loop over `replicas` with `processReplica`: one at a time and stopping at the first
    /// that is not yet Running and Ready (OrderedReady), or all in slow-start batches
    /// (Parallel). Created pods replace their placeholder so the status counts them.
    fn process_replicas(
        &mut self,
        set: &Value,
        update_set: &Value,
        monotonic: bool,
        replicas: &mut [Value],
        caches: &Caches,
        ctx: &mut Ctx,
    ) -> Step {
        let now = ctx.now;
        let min_ready = int_at(set, "/spec/minReadySeconds");
        let mut batch = 1usize;
        let mut in_batch = 0usize;
        let mut batch_failed = false;
        for i in 0..replicas.len() {
            let Some(pod) = replicas.get(i).cloned() else {
                break;
            };
            if matches!(phase(&pod), "Failed" | "Succeeded") {
                if !is_being_deleted(&pod) && self.delete_pod(set, &pod, ctx).is_err() {
                    return Err(());
                }
                if monotonic {
                    return Ok(true);
                }
                continue;
            }
            if !is_created(&pod) {
                if self.create_pod(set, &pod, caches, ctx).is_err() {
                    if monotonic {
                        return Err(());
                    }
                    batch_failed = true;
                }
                if monotonic {
                    return Ok(true);
                }
                in_batch += 1;
                if in_batch == batch {
                    if batch_failed {
                        return Err(());
                    }
                    in_batch = 0;
                    batch = (2 * batch).min(MAX_BATCH);
                }
                continue;
            }
            if phase(&pod) == "Pending" && self.create_claims(set, &pod, caches, ctx).is_err() {
                return Err(());
            }
            if monotonic
                && (is_being_deleted(&pod)
                    || !is_running_and_ready(&pod)
                    || !pod_is_available(&pod, min_ready, now))
            {
                return Ok(true);
            }
            if !identity_matches(set, &pod) {
                self.update_identity(update_set, &pod, ctx);
            }
        }
        if batch_failed {
            return Err(());
        }
        Ok(false)
    }

    /// `CreateStatefulPod`: the claims first, then the pod; the claims' owner references for
    /// the retention policy once the pod exists.
    fn create_pod(
        &mut self,
        set: &Value,
        pod: &Value,
        caches: &Caches,
        ctx: &mut Ctx,
    ) -> Result<(), ()> {
        if let Err(cause) = self.create_claims(set, pod, caches, ctx) {
            self.pod_event(ctx, set, "create", pod, Some(&cause));
            return Err(());
        }
        ctx.note(
            Actor::ControllerManager,
            "statefulset-controller: create pod",
            format!("statefulset/{}/{}", namespace_of(set), name_of(set)),
            format!(
                "creating {} (ordinal {})",
                name_of(pod),
                ordinal_of(pod).unwrap_or(-1)
            ),
        );
        let resp = ctx.create(core("pods"), Some(namespace_of(set)), pod.clone());
        if resp.code == 409 {
            return Err(());
        }
        if !resp.is_success() {
            let cause = str_at(&resp.body, "/message").to_string();
            self.pod_event(ctx, set, "create", pod, Some(&cause));
            return Err(());
        }
        update_claims_for_retention(set, &resp.body, ctx);
        self.pod_event(ctx, set, "create", &resp.body, None);
        Ok(())
    }

    /// `createPersistentVolumeClaims`: each missing claim created, with its event; a claim being
    /// deleted is an error.
    fn create_claims(
        &mut self,
        set: &Value,
        pod: &Value,
        caches: &Caches,
        ctx: &mut Ctx,
    ) -> Result<(), String> {
        let Some(ordinal) = ordinal_of(pod) else {
            return Ok(());
        };
        let mut errors = Vec::new();
        for claim in claims_for(set, ordinal) {
            let key = format!("{}/{}", namespace_of(&claim), name_of(&claim));
            match caches.claims.get(&key) {
                Some(existing) => {
                    if is_being_deleted(existing) {
                        errors.push(format!("pvc {} is being deleted", name_of(&claim)));
                    }
                }
                None => {
                    let resp = ctx.create(
                        core("persistentvolumeclaims"),
                        Some(namespace_of(set)),
                        claim.clone(),
                    );
                    if resp.is_success() {
                        self.claim_event(ctx, set, pod, &claim, None);
                    } else if resp.code != 409 {
                        let cause = str_at(&resp.body, "/message").to_string();
                        self.claim_event(ctx, set, pod, &claim, Some(&cause));
                        errors.push(format!("failed to create PVC {}: {cause}", name_of(&claim)));
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join(", "))
        }
    }

    /// `UpdateStatefulPod` for the identity: the pod-name and pod-index labels restored.
    fn update_identity(&mut self, set: &Value, pod: &Value, ctx: &mut Ctx) {
        let mut updated = pod.clone();
        let ordinal = ordinal_of(pod).unwrap_or(0);
        if !updated
            .pointer("/metadata/labels")
            .is_some_and(Value::is_object)
        {
            updated["metadata"]["labels"] = json!({});
        }
        updated["metadata"]["labels"][POD_NAME_LABEL] = json!(name_of(pod));
        updated["metadata"]["labels"][POD_INDEX_LABEL] = json!(ordinal.to_string());
        let resp = ctx.update(core("pods"), updated);
        let cause = (!resp.is_success()).then(|| str_at(&resp.body, "/message").to_string());
        self.pod_event(ctx, set, "update", pod, cause.as_deref());
    }

    /// The condemned pods' claims brought in line with the retention policy (the `fixPodClaim`
    /// loop): whenScaled Delete gives a scaled-away pod's claims the pod as owner, so the
    /// garbage collector deletes them with it.
    fn fix_condemned_claims(
        &mut self,
        update_set: &Value,
        condemned: &[Value],
        ctx: &mut Ctx,
    ) -> Step {
        for pod in condemned {
            update_claims_for_retention(update_set, pod, ctx);
        }
        Ok(false)
    }

    /// `processCondemned` over the pods beyond the replicas, highest ordinal first: OrderedReady
    /// deletes one and waits for it to go, and deletes only a Running and Ready pod unless it
    /// is the first unhealthy one.
    fn process_condemned(
        &mut self,
        set: &Value,
        first_unavailable: Option<&str>,
        monotonic: bool,
        condemned: &[Value],
        ctx: &mut Ctx,
    ) -> Step {
        let min_ready = int_at(set, "/spec/minReadySeconds");
        for pod in condemned {
            if is_being_deleted(pod) {
                if monotonic {
                    return Ok(true);
                }
                continue;
            }
            let unhealthy =
                !is_running_and_ready(pod) || !pod_is_available(pod, min_ready, ctx.now);
            if monotonic && unhealthy && first_unavailable != Some(name_of(pod)) {
                return Ok(true);
            }
            self.delete_pod(set, pod, ctx)?;
            if monotonic {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The legacy RollingUpdate (MaxUnavailableStatefulSet is off by default in v1.36): from the
    /// highest ordinal down to the partition, delete the first pod of an old revision (true),
    /// or stop at the first unavailable one.
    fn rolling_update(
        &mut self,
        set: &Value,
        replicas: &[Value],
        update: &str,
        ctx: &mut Ctx,
    ) -> Result<bool, ()> {
        let partition =
            usize::try_from(int_at(set, "/spec/updateStrategy/rollingUpdate/partition"))
                .unwrap_or(0);
        let min_ready = int_at(set, "/spec/minReadySeconds");
        for pod in replicas.iter().skip(partition).rev() {
            if pod_revision(pod) != update && !is_being_deleted(pod) {
                self.delete_pod(set, pod, ctx)?;
                return Ok(true);
            }
            if is_unavailable(pod, min_ready, ctx.now) {
                return Ok(false);
            }
        }
        Ok(false)
    }

    /// `DeleteStatefulPod`: a pod already gone counts as deleted.
    fn delete_pod(&mut self, set: &Value, pod: &Value, ctx: &mut Ctx) -> Result<(), ()> {
        ctx.note(
            Actor::ControllerManager,
            "statefulset-controller: delete pod",
            format!("statefulset/{}/{}", namespace_of(set), name_of(set)),
            format!("deleting {}", name_of(pod)),
        );
        let resp = ctx.delete(core("pods"), Some(namespace_of(pod)), name_of(pod), None);
        if resp.is_success() || resp.code == 404 {
            self.pod_event(ctx, set, "delete", pod, None);
            return Ok(());
        }
        let cause = str_at(&resp.body, "/message").to_string();
        self.pod_event(ctx, set, "delete", pod, Some(&cause));
        Err(())
    }

    /// `recordPodEvent`: `Successful<Verb>` "<verb> Pod <pod> in StatefulSet <set> successful",
    /// or `Failed<Verb>` "<verb> Pod <pod> in StatefulSet <set> failed error: <cause>".
    fn pod_event(
        &mut self,
        ctx: &mut Ctx,
        set: &Value,
        verb: &str,
        pod: &Value,
        error: Option<&str>,
    ) {
        let title = title_case(verb);
        match error {
            None => self.recorder.object_event(
                ctx,
                set,
                "Normal",
                &format!("Successful{title}"),
                &format!(
                    "{verb} Pod {} in StatefulSet {} successful",
                    name_of(pod),
                    name_of(set)
                ),
            ),
            Some(cause) => self.recorder.object_event(
                ctx,
                set,
                "Warning",
                &format!("Failed{title}"),
                &format!(
                    "{verb} Pod {} in StatefulSet {} failed error: {cause}",
                    name_of(pod),
                    name_of(set)
                ),
            ),
        }
    }

    /// `recordClaimEvent`: "create Claim <claim> Pod <pod> in StatefulSet <set> success", or
    /// "create Claim <claim> for Pod <pod> in StatefulSet <set> failed error: <cause>".
    fn claim_event(
        &mut self,
        ctx: &mut Ctx,
        set: &Value,
        pod: &Value,
        claim: &Value,
        error: Option<&str>,
    ) {
        match error {
            None => self.recorder.object_event(
                ctx,
                set,
                "Normal",
                "SuccessfulCreate",
                &format!(
                    "create Claim {} Pod {} in StatefulSet {} success",
                    name_of(claim),
                    name_of(pod),
                    name_of(set)
                ),
            ),
            Some(cause) => self.recorder.object_event(
                ctx,
                set,
                "Warning",
                "FailedCreate",
                &format!(
                    "create Claim {} for Pod {} in StatefulSet {} failed error: {cause}",
                    name_of(claim),
                    name_of(pod),
                    name_of(set)
                ),
            ),
        }
    }
}

fn title_case(verb: &str) -> String {
    let mut chars = verb.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `completeRollingUpdate`: once every replica is updated and ready, the update revision becomes
/// the current one.
fn complete_rolling_update(set: &Value, status: &mut Value) {
    let want = replicas_of(set);
    let n = |f: &str| status.get(f).and_then(Value::as_i64).unwrap_or(0);
    if str_at(set, "/spec/updateStrategy/type") == "RollingUpdate"
        && n("updatedReplicas") == want
        && n("readyReplicas") == want
        && n("replicas") == want
    {
        status["currentReplicas"] = json!(n("updatedReplicas"));
        status["currentRevision"] = status.get("updateRevision").cloned().unwrap_or(Value::Null);
    }
}

/// `UpdatePodClaimForRetentionPolicy`: each existing claim of the pod given the owner references
/// the policy wants (read live, as the claims may have just been created).
fn update_claims_for_retention(set: &Value, pod: &Value, ctx: &mut Ctx) {
    let Some(ordinal) = ordinal_of(pod) else {
        return;
    };
    let info = core("persistentvolumeclaims");
    for wanted in claims_for(set, ordinal) {
        let req = Request::new(Verb::Get, info, &ctx.user())
            .namespace(Some(namespace_of(set)))
            .name(name_of(&wanted));
        let resp = ctx.request(req);
        if !resp.is_success() {
            continue;
        }
        let claim = resp.body;
        let refs = claim_owner_refs(&claim, set, pod);
        let current = claim
            .pointer("/metadata/ownerReferences")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if refs == current {
            continue;
        }
        let mut updated = claim;
        if refs.is_empty() {
            if let Some(m) = updated["metadata"].as_object_mut() {
                m.remove("ownerReferences");
            }
        } else {
            updated["metadata"]["ownerReferences"] = json!(refs);
        }
        ctx.update(info, updated);
    }
}

/// `getPodsForStatefulSet` (ClaimPods with isMemberOf): the set's pods; matching orphans are
/// adopted, controlled pods it no longer selects released.
fn claim_pods(set: &Value, selector: &LabelSelector, pods: &Informer, ctx: &mut Ctx) -> Vec<Value> {
    let candidates: Vec<Value> = pods
        .list()
        .filter(|p| namespace_of(p) == namespace_of(set))
        .cloned()
        .collect();
    let mut owned = Vec::new();
    for pod in candidates {
        let matches = selects(Some(selector), &pod) && is_member_of(set, &pod);
        if is_controlled_by(&pod, set) {
            if matches || is_being_deleted(&pod) {
                owned.push(pod);
            } else if !is_being_deleted(set) {
                patch_owner_refs(&pod, without_owner(&pod, set), ctx);
            }
        } else if controller_ref(&pod).is_none()
            && matches
            && !is_being_deleted(set)
            && !is_being_deleted(&pod)
        {
            let mut refs = without_owner(&pod, set);
            refs.push(new_controller_ref(set, "apps/v1", "StatefulSet"));
            if patch_owner_refs(&pod, refs, ctx) {
                owned.push(pod);
            }
        }
    }
    owned
}

fn without_owner(obj: &Value, owner: &Value) -> Vec<Value> {
    obj.pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|r| str_at(r, "/uid") != uid_of(owner))
        .cloned()
        .collect()
}

/// A merge patch of the pod's owner references, guarded by its uid.
fn patch_owner_refs(pod: &Value, refs: Vec<Value>, ctx: &mut Ctx) -> bool {
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
    ctx.request(req).is_success()
}

/// `truncateHistory`: the revisions no pod, nor the current or update revision, uses, beyond
/// revisionHistoryLimit (10 by default), oldest first.
fn truncate_history(
    set: &Value,
    pods: &[Value],
    revisions: &[Value],
    current: &Value,
    update: &Value,
    ctx: &mut Ctx,
) {
    let mut live: BTreeMap<&str, ()> = BTreeMap::new();
    live.insert(name_of(current), ());
    live.insert(name_of(update), ());
    for pod in pods {
        live.insert(pod_revision(pod), ());
    }
    let history: Vec<&Value> = revisions
        .iter()
        .filter(|r| !live.contains_key(name_of(r)))
        .collect();
    let limit = set
        .pointer("/spec/revisionHistoryLimit")
        .and_then(Value::as_i64)
        .unwrap_or(10);
    let excess = usize::try_from(history.len() as i64 - limit).unwrap_or(0);
    if limit < 0 {
        return;
    }
    for revision in history.into_iter().take(excess) {
        ctx.delete(
            grouped("apps", "controllerrevisions"),
            Some(namespace_of(revision)),
            name_of(revision),
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn web() -> Value {
        json!({
            "apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "web", "namespace": "default", "uid": "set-uid", "generation": 1},
            "spec": {
                "serviceName": "nginx", "replicas": 2,
                "selector": {"matchLabels": {"app": "nginx"}},
                "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
                "template": {"metadata": {"labels": {"app": "nginx"}}, "spec": {"containers": [
                    {"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.21",
                     "volumeMounts": [{"name": "www", "mountPath": "/usr/share/nginx/html"}]}]}},
                "volumeClaimTemplates": [{"metadata": {"name": "www"}, "spec": {
                    "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]
            }
        })
    }

    #[test]
    fn ordinals_come_from_the_last_dash_and_digits() {
        assert_eq!(parent_and_ordinal("web-0"), (Some("web"), Some(0)));
        assert_eq!(parent_and_ordinal("my-web-12"), (Some("my-web"), Some(12)));
        assert_eq!(parent_and_ordinal("web"), (None, None));
        assert_eq!(parent_and_ordinal("web-x1"), (None, None));
        assert_eq!(parent_and_ordinal("web-99999999999"), (Some("web"), None));
    }

    #[test]
    fn a_pod_has_its_identity_labels_hostname_and_claim_volume() {
        let pod = new_pod(&web(), 1, "web-abc");
        assert_eq!(pod["metadata"]["name"], "web-1");
        let labels = &pod["metadata"]["labels"];
        assert_eq!(labels["statefulset.kubernetes.io/pod-name"], "web-1");
        assert_eq!(labels["apps.kubernetes.io/pod-index"], "1");
        assert_eq!(labels["controller-revision-hash"], "web-abc");
        assert_eq!(pod["spec"]["hostname"], "web-1");
        assert_eq!(pod["spec"]["subdomain"], "nginx");
        assert_eq!(
            pod["spec"]["volumes"],
            json!([{"name": "www", "persistentVolumeClaim": {"claimName": "www-web-1"}}])
        );
        assert_eq!(pod["metadata"]["ownerReferences"][0]["kind"], "StatefulSet");
    }

    #[test]
    fn claims_are_named_and_labelled_from_the_template_and_selector() {
        let claims = claims_for(&web(), 0);
        assert_eq!(claims.len(), 1);
        assert_eq!(claims[0]["metadata"]["name"], "www-web-0");
        assert_eq!(claims[0]["metadata"]["labels"], json!({"app": "nginx"}));
        assert_eq!(claims[0]["spec"]["resources"]["requests"]["storage"], "1Gi");
        assert!(claims[0]["metadata"].get("ownerReferences").is_none());
    }

    #[test]
    fn retention_policies_choose_the_claims_owners() {
        let set = web();
        let pod = json!({"metadata": {"name": "web-0", "namespace": "default", "uid": "pod-uid"}});
        let condemned = json!({"metadata": {"name": "web-5", "namespace": "default", "uid": "p5"}});
        let claim = json!({"metadata": {"name": "www-web-0"}});
        assert!(claim_owner_refs(&claim, &set, &pod).is_empty());
        let mut deleting = set.clone();
        deleting["spec"]["persistentVolumeClaimRetentionPolicy"] =
            json!({"whenDeleted": "Delete", "whenScaled": "Delete"});
        let refs = claim_owner_refs(&claim, &deleting, &pod);
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0]["kind"], "StatefulSet");
        let refs = claim_owner_refs(&claim, &deleting, &condemned);
        assert_eq!(refs[0]["kind"], "Pod");
        assert_eq!(refs[0]["uid"], "p5");
    }

    #[test]
    fn revisions_are_named_after_the_set_and_hash() {
        let r = new_revision(&web(), 1, 0);
        let name = name_of(&r).to_string();
        let hash = str_at(&r, "/metadata/labels/controller.kubernetes.io~1hash");
        assert_eq!(name, format!("web-{hash}"));
        assert_eq!(r["data"]["spec"]["template"]["$patch"], "replace");
        assert_eq!(r["metadata"]["labels"]["app"], "nginx");
        assert_ne!(revision_hash(&r["data"], 1), hash);
    }

    #[test]
    fn fnv32_matches_the_reference_vectors() {
        assert_eq!(fnv32(*b""), 0x811c_9dc5);
        assert_eq!(fnv32(*b"a"), 0x050c_5d7e);
        assert_eq!(fnv32(*b"foobar"), 0x31f0_b262);
    }

    #[test]
    fn status_counts_created_ready_current_and_updated_pods() {
        let mut a = new_pod(&web(), 0, "web-old");
        a["status"] =
            json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]});
        let mut b = new_pod(&web(), 1, "web-new");
        b["status"] = json!({"phase": "Pending"});
        let unborn = new_pod(&web(), 2, "web-new");
        let c = count_replicas([&a, &b, &unborn], 0, "web-old", "web-new", 0);
        assert_eq!(
            c,
            ReplicaCounts {
                replicas: 2,
                ready: 1,
                available: 1,
                current: 1,
                updated: 1
            }
        );
    }

    #[test]
    fn stored_status_keeps_replicas_available_and_collision_count() {
        let s = stored_status(
            json!({"observedGeneration": 1, "replicas": 0, "readyReplicas": 0,
            "currentReplicas": 0, "updatedReplicas": 0, "availableReplicas": 0,
            "currentRevision": "web-x", "updateRevision": "web-x", "collisionCount": 0}),
        );
        assert_eq!(
            s,
            json!({"observedGeneration": 1, "replicas": 0, "availableReplicas": 0,
                "currentRevision": "web-x", "updateRevision": "web-x", "collisionCount": 0})
        );
    }

    #[test]
    fn events_title_the_verb() {
        assert_eq!(title_case("create"), "Create");
        assert_eq!(title_case("delete"), "Delete");
    }
}
