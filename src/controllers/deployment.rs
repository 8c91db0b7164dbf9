//! The Deployment controller (pkg/controller/deployment: deployment_controller.go, sync.go,
//! rolling.go, recreate.go, progress.go and util/deployment_util.go). For each Deployment it
//! claims the ReplicaSets its selector matches, finds the new ReplicaSet (the one whose template
//! equals the Deployment's, ignoring `pod-template-hash`) or creates it as
//! `<deployment>-<pod-template-hash>`, scales new and old ReplicaSets as the strategy allows
//! (RollingUpdate within maxSurge / maxUnavailable, Recreate all old ones down first; a change of
//! `spec.replicas` alone is a scaling event, spread proportionally), and writes the status with
//! the Available and Progressing conditions. Scaling is recorded as `ScalingReplicaSet` events.

use serde_json::{json, Map, Value};

use super::workload::{
    condition, controller_ref, int_at, is_being_deleted, is_controlled_by, is_empty_selector,
    millis_of, name_of, namespace_of, new_controller_ref, remove_condition, scaled_value,
    selector_of, selects, set_condition, str_at, template_without_hash, uid_of, Retries,
    POD_TEMPLATE_HASH,
};
use crate::apiserver::{timestamp, PatchType, Request, Verb};
use crate::client::{grouped, key_of, Ctx, Informer};
use crate::events::LegacyRecorder as Recorder;
use crate::sim::{Actor, Millis};

pub const REVISION: &str = "deployment.kubernetes.io/revision";
pub const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
pub const DESIRED_REPLICAS: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
const ROLLBACK_TO: &str = "deprecated.deployment.rollback.to";
/// `maxRevHistoryLengthInChars`.
const MAX_REVISION_HISTORY_CHARS: usize = 2000;

// Condition reasons (util/deployment_util.go).
const NEW_RS_REASON: &str = "NewReplicaSetCreated";
const FOUND_NEW_RS_REASON: &str = "FoundNewReplicaSet";
const NEW_RS_AVAILABLE_REASON: &str = "NewReplicaSetAvailable";
const RS_UPDATED_REASON: &str = "ReplicaSetUpdated";
const TIMED_OUT_REASON: &str = "ProgressDeadlineExceeded";
const PAUSED_REASON: &str = "DeploymentPaused";
const RESUMED_REASON: &str = "DeploymentResumed";
const FAILED_RS_CREATE_REASON: &str = "ReplicaSetCreateError";
const MINIMUM_REPLICAS_AVAILABLE: &str = "MinimumReplicasAvailable";
const MINIMUM_REPLICAS_UNAVAILABLE: &str = "MinimumReplicasUnavailable";

type Synced<T> = Result<T, ()>;

// ---------------------------------------------------------------------------------------------
// Pure helpers (util/deployment_util.go)

fn replicas(obj: &Value) -> i64 {
    int_at(obj, "/spec/replicas")
}

fn annotation<'a>(obj: &'a Value, key: &str) -> Option<&'a str> {
    obj.pointer("/metadata/annotations")
        .and_then(|a| a.get(key))
        .and_then(Value::as_str)
}

fn is_rolling_update(d: &Value) -> bool {
    str_at(d, "/spec/strategy/type") == "RollingUpdate"
}

/// `ResolveFenceposts`: maxSurge rounded up, maxUnavailable rounded down, and 1 unavailable when
/// both come to 0.
pub fn resolve_fenceposts(d: &Value) -> (i64, i64) {
    let desired = replicas(d);
    let surge = scaled_value(
        d.pointer("/spec/strategy/rollingUpdate/maxSurge"),
        desired,
        true,
    );
    let unavailable = scaled_value(
        d.pointer("/spec/strategy/rollingUpdate/maxUnavailable"),
        desired,
        false,
    );
    if surge == 0 && unavailable == 0 {
        return (0, 1);
    }
    (surge, unavailable)
}

/// `MaxSurge`: 0 unless RollingUpdate.
pub fn max_surge(d: &Value) -> i64 {
    if !is_rolling_update(d) {
        return 0;
    }
    resolve_fenceposts(d).0
}

/// `MaxUnavailable`: 0 unless RollingUpdate with replicas; never above the replicas.
pub fn max_unavailable(d: &Value) -> i64 {
    if !is_rolling_update(d) || replicas(d) == 0 {
        return 0;
    }
    resolve_fenceposts(d).1.min(replicas(d))
}

/// `FilterActiveReplicaSets`: those with replicas wanted.
fn active(rss: &[Value]) -> Vec<&Value> {
    rss.iter().filter(|rs| replicas(rs) > 0).collect()
}

/// Sum of `spec.replicas` (GetReplicaCountForReplicaSets).
fn spec_replicas(rss: &[&Value]) -> i64 {
    rss.iter().map(|rs| replicas(rs)).sum()
}

/// Sum of a status counter (GetActualReplicaCountForReplicaSets and friends).
fn status_sum(rss: &[&Value], field: &str) -> i64 {
    rss.iter()
        .map(|rs| int_at(rs, &format!("/status/{field}")))
        .sum()
}

/// `GetTerminatingReplicaCountForReplicaSets`: unknown (None) when a ReplicaSet does not say.
fn terminating_sum(rss: &[&Value]) -> Option<i64> {
    rss.iter()
        .map(|rs| {
            rs.pointer("/status/terminatingReplicas")
                .and_then(Value::as_i64)
        })
        .sum()
}

/// A ReplicaSet's revision annotation (0 when absent or not a number).
pub fn revision(rs: &Value) -> i64 {
    annotation(rs, REVISION)
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

/// ReplicaSets ordered by creation time, then name (ReplicaSetsByCreationTimestamp).
fn by_creation(rss: &mut [Value]) {
    rss.sort_by(|a, b| {
        str_at(a, "/metadata/creationTimestamp")
            .cmp(str_at(b, "/metadata/creationTimestamp"))
            .then_with(|| name_of(a).cmp(name_of(b)))
    });
}

/// `FindNewReplicaSet`: the oldest ReplicaSet whose template equals the Deployment's.
pub fn find_new_replica_set(d: &Value, rss: &[Value]) -> Option<usize> {
    let want = template_without_hash(d.pointer("/spec/template").unwrap_or(&Value::Null));
    let mut order: Vec<usize> = (0..rss.len()).collect();
    order.sort_by(|&a, &b| {
        str_at(&rss[a], "/metadata/creationTimestamp")
            .cmp(str_at(&rss[b], "/metadata/creationTimestamp"))
            .then_with(|| name_of(&rss[a]).cmp(name_of(&rss[b])))
    });
    order.into_iter().find(|&i| {
        template_without_hash(rss[i].pointer("/spec/template").unwrap_or(&Value::Null)) == want
    })
}

/// `NewRSNewReplicas`: how far the new ReplicaSet may grow now.
pub fn new_rs_new_replicas(d: &Value, all: &[&Value], new_rs: &Value) -> i64 {
    if !is_rolling_update(d) {
        return replicas(d);
    }
    let current = spec_replicas(all);
    let max_total = replicas(d).saturating_add(max_surge(d));
    if current >= max_total {
        return replicas(new_rs);
    }
    let scale_up = (max_total - current).min(replicas(d) - replicas(new_rs));
    replicas(new_rs) + scale_up
}

/// `SetReplicasAnnotations`: desired and max replicas as strings; whether anything changed.
fn set_replicas_annotations(rs: &mut Value, desired: i64, max: i64) -> bool {
    let mut changed = false;
    for (key, value) in [(DESIRED_REPLICAS, desired), (MAX_REPLICAS, max)] {
        if annotation(rs, key) != Some(value.to_string().as_str()) {
            if let Some(annotations) = annotations_mut(rs) {
                annotations.insert(key.into(), Value::String(value.to_string()));
                changed = true;
            }
        }
    }
    changed
}

fn annotations_mut(obj: &mut Value) -> Option<&mut Map<String, Value>> {
    let meta = obj
        .as_object_mut()?
        .entry("metadata")
        .or_insert_with(|| json!({}));
    let annotations = meta
        .as_object_mut()?
        .entry("annotations")
        .or_insert_with(|| json!({}));
    if !annotations.is_object() {
        *annotations = json!({});
    }
    annotations.as_object_mut()
}

/// `ReplicasAnnotationsNeedUpdate`.
fn replicas_annotations_need_update(rs: &Value, desired: i64, max: i64) -> bool {
    annotation(rs, DESIRED_REPLICAS) != Some(desired.to_string().as_str())
        || annotation(rs, MAX_REPLICAS) != Some(max.to_string().as_str())
}

/// `SetNewReplicaSetAnnotations`: copy the Deployment's annotations (but kubectl's and the
/// controller's own), move the revision up to `new_revision` keeping the old one in the
/// revision history, and on creation record desired and max replicas.
pub fn set_new_rs_annotations(d: &Value, rs: &mut Value, new_revision: i64, exists: bool) -> bool {
    let mut changed = false;
    let skip = [
        LAST_APPLIED,
        REVISION,
        REVISION_HISTORY,
        DESIRED_REPLICAS,
        MAX_REPLICAS,
        ROLLBACK_TO,
    ];
    let from_deployment: Vec<(String, Value)> = d
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let Some(annotations) = annotations_mut(rs) else {
        return false;
    };
    for (k, v) in from_deployment {
        if annotations.get(&k) != Some(&v) {
            annotations.insert(k, v);
            changed = true;
        }
    }
    let old_revision = annotations
        .get(REVISION)
        .and_then(Value::as_str)
        .map(str::to_string);
    let old_number = match old_revision.as_deref() {
        None | Some("") => 0,
        Some(r) => match r.parse::<i64>() {
            Ok(n) => n,
            Err(_) => return false,
        },
    };
    if old_number < new_revision {
        annotations.insert(REVISION.into(), Value::String(new_revision.to_string()));
        changed = true;
        if let Some(old) = old_revision.filter(|o| !o.is_empty()) {
            let history = annotations
                .get(REVISION_HISTORY)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let updated = append_revision_history(&history, &old);
            if let Some(h) = updated {
                annotations.insert(REVISION_HISTORY.into(), Value::String(h));
            }
        }
    }
    if !exists
        && set_replicas_annotations(rs, replicas(d), replicas(d).saturating_add(max_surge(d)))
    {
        changed = true;
    }
    changed
}

/// The revision history after a rollback to this ReplicaSet, trimmed from the front to fit
/// `maxRevHistoryLengthInChars`; `None` when even the old revision alone would not fit.
fn append_revision_history(history: &str, old: &str) -> Option<String> {
    if history.is_empty() {
        return Some(old.to_string());
    }
    let mut entries: Vec<&str> = history.split(',').collect();
    let mut total = history.len() + old.len() + 1;
    let mut start = 0;
    while total > MAX_REVISION_HISTORY_CHARS && start < entries.len() {
        total -= entries[start].len() + 1;
        start += 1;
    }
    if total > MAX_REVISION_HISTORY_CHARS {
        return None;
    }
    let mut kept: Vec<&str> = entries.split_off(start);
    kept.push(old);
    Some(kept.join(","))
}

/// `NewDeploymentCondition` at `now`.
fn new_condition(type_: &str, status: &str, reason: &str, message: String, now: Millis) -> Value {
    let t = timestamp(now);
    json!({"type": type_, "status": status, "lastUpdateTime": t, "lastTransitionTime": t, "reason": reason, "message": message})
}

/// `calculateStatus`: the counters from the ReplicaSets, the conditions carried over, and the
/// Available condition from the available replicas against `replicas - maxUnavailable`.
pub fn calculate_status(all: &[&Value], new_rs: Option<&Value>, d: &Value, now: Millis) -> Value {
    let available = status_sum(all, "availableReplicas");
    let total = spec_replicas(all);
    let unavailable = (total - available).max(0);
    let mut status = json!({
        "observedGeneration": int_at(d, "/metadata/generation"),
        "replicas": status_sum(all, "replicas"),
        "updatedReplicas": new_rs.map_or(0, |rs| int_at(rs, "/status/replicas")),
        "readyReplicas": status_sum(all, "readyReplicas"),
        "availableReplicas": available,
        "unavailableReplicas": unavailable,
    });
    if let Some(t) = terminating_sum(all) {
        status["terminatingReplicas"] = json!(t);
    }
    if let Some(c) = d.pointer("/status/collisionCount") {
        status["collisionCount"] = c.clone();
    }
    if let Some(conds) = d
        .pointer("/status/conditions")
        .filter(|c| c.as_array().is_some_and(|a| !a.is_empty()))
    {
        status["conditions"] = conds.clone();
    }
    let cond = if available >= replicas(d) - max_unavailable(d) {
        new_condition(
            "Available",
            "True",
            MINIMUM_REPLICAS_AVAILABLE,
            "Deployment has minimum availability.".into(),
            now,
        )
    } else {
        new_condition(
            "Available",
            "False",
            MINIMUM_REPLICAS_UNAVAILABLE,
            "Deployment does not have minimum availability.".into(),
            now,
        )
    };
    set_condition(&mut status, cond);
    status
}

/// `HasProgressDeadline`: set, and not MaxInt32.
fn has_progress_deadline(d: &Value) -> bool {
    d.pointer("/spec/progressDeadlineSeconds")
        .and_then(Value::as_i64)
        .is_some_and(|s| s != i64::from(i32::MAX))
}

fn status_int(status: &Value, field: &str) -> i64 {
    status.get(field).and_then(Value::as_i64).unwrap_or(0)
}

/// `DeploymentComplete`: every replica updated and available, the latest generation observed.
pub fn deployment_complete(d: &Value, status: &Value) -> bool {
    let want = replicas(d);
    status_int(status, "updatedReplicas") == want
        && status_int(status, "replicas") == want
        && status_int(status, "availableReplicas") == want
        && status_int(status, "observedGeneration") >= int_at(d, "/metadata/generation")
}

/// `DeploymentProgressing`: more updated, ready or available replicas, or fewer old ones.
fn deployment_progressing(d: &Value, new: &Value) -> bool {
    let old = d.get("status").cloned().unwrap_or(Value::Null);
    let old_old = status_int(&old, "replicas") - status_int(&old, "updatedReplicas");
    let new_old = status_int(new, "replicas") - status_int(new, "updatedReplicas");
    status_int(new, "updatedReplicas") > status_int(&old, "updatedReplicas")
        || new_old < old_old
        || status_int(new, "readyReplicas") > status_int(&old, "readyReplicas")
        || status_int(new, "availableReplicas") > status_int(&old, "availableReplicas")
}

/// When the progress deadline of the Progressing condition runs out (its lastUpdateTime plus
/// `progressDeadlineSeconds`), if it is being estimated.
fn progress_deadline(d: &Value, status: &Value) -> Option<Millis> {
    if !has_progress_deadline(d) {
        return None;
    }
    let cond = condition(status, "Progressing")?;
    if matches!(
        str_at(cond, "/reason"),
        NEW_RS_AVAILABLE_REASON | TIMED_OUT_REASON
    ) {
        return None;
    }
    let from = millis_of(str_at(cond, "/lastUpdateTime"))?;
    Some(from + (int_at(d, "/spec/progressDeadlineSeconds").max(0) as u64) * 1000)
}

/// `DeploymentTimedOut`.
fn deployment_timed_out(d: &Value, status: &Value, now: Millis) -> bool {
    let Some(cond) = condition(status, "Progressing").filter(|_| has_progress_deadline(d)) else {
        return false;
    };
    match str_at(cond, "/reason") {
        NEW_RS_AVAILABLE_REASON => false,
        TIMED_OUT_REASON => true,
        _ => progress_deadline(d, status).is_some_and(|deadline| deadline < now),
    }
}

/// `GetReplicaSetProportion`: this ReplicaSet's share of a proportional scale.
fn replica_set_proportion(rs: &Value, d: &Value, to_add: i64, added: i64) -> i64 {
    if replicas(rs) == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = replica_set_fraction(rs, d);
    let allowed = to_add - added;
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

/// `getReplicaSetFraction`: the ReplicaSet's size scaled from the max-replicas it was sized for
/// to the Deployment's new maximum, minus its size.
fn replica_set_fraction(rs: &Value, d: &Value) -> i64 {
    if replicas(d) == 0 {
        return -replicas(rs);
    }
    let max_now = replicas(d).saturating_add(max_surge(d));
    let mut before = annotation(rs, MAX_REPLICAS)
        .and_then(|m| m.parse::<i64>().ok())
        .unwrap_or(0);
    if before == 0 {
        before = int_at(d, "/status/replicas");
        if before == 0 {
            return 0;
        }
    }
    let size = replicas(rs).saturating_mul(max_now) as f64 / before as f64;
    size.round() as i64 - replicas(rs)
}

// ---------------------------------------------------------------------------------------------
// The controller

/// The Deployment controller: its recorder and the workqueue's per-Deployment back-off.
#[derive(Debug)]
pub struct DeploymentController {
    recorder: Recorder,
    retry: Retries,
}

impl Default for DeploymentController {
    fn default() -> Self {
        DeploymentController {
            recorder: Recorder::for_controller("deployment-controller"),
            retry: Retries::default(),
        }
    }
}

/// One `syncDeployment`: the Deployment as last written, its ReplicaSets, the pods.
struct Sync<'r> {
    recorder: &'r mut Recorder,
    d: Value,
    /// The ReplicaSets this Deployment controls.
    rss: Vec<Value>,
    /// Every ReplicaSet of the namespace (to tell a hash collision from our own ReplicaSet).
    namespace_rss: Vec<Value>,
    /// The pods cache (the pods of the Deployment's namespace are looked at only by Recreate's
    /// `oldPodsRunning`).
    pods: &'r Informer,
}

impl DeploymentController {
    /// Sync every Deployment (a full resync).
    pub fn reconcile(
        &mut self,
        deployments: &Informer,
        replica_sets: &Informer,
        pods: &Informer,
        ctx: &mut Ctx,
    ) {
        let keys: Vec<String> = deployments.list().map(key_of).collect();
        self.sync_keys(&keys, deployments, replica_sets, pods, ctx);
    }

    /// `processNextWorkItem` for each queued key, in order: the Deployments a change concerns
    /// (see [`super::queue`]). A key still in its back-off waits; a key whose Deployment is
    /// gone forgets its back-off.
    pub fn sync_keys(
        &mut self,
        keys: &[String],
        deployments: &Informer,
        replica_sets: &Informer,
        pods: &Informer,
        ctx: &mut Ctx,
    ) {
        for key in keys {
            let Some(d) = deployments.get(key) else {
                continue;
            };
            if let Some(at) = self.retry.waiting_until(key, ctx.now) {
                ctx.wake_at(at);
                continue;
            }
            let ns = namespace_of(d);
            let mut sync = Sync {
                recorder: &mut self.recorder,
                d: d.clone(),
                rss: Vec::new(),
                namespace_rss: replica_sets
                    .list()
                    .filter(|rs| namespace_of(rs) == ns)
                    .cloned()
                    .collect(),
                pods,
            };
            let ok = sync.run(ctx).is_ok();
            if let Some(delay) = self.retry.record(key.clone(), ok, ctx.now) {
                ctx.wake_after(delay);
            }
        }
        self.retry.retain(|k| deployments.get(k).is_some());
    }
}

fn deployments() -> &'static crate::apiserver::ResourceInfo {
    grouped("apps", "deployments")
}

fn replicasets() -> &'static crate::apiserver::ResourceInfo {
    grouped("apps", "replicasets")
}

impl Sync<'_> {
    fn object(&self) -> String {
        format!("deployment/{}/{}", namespace_of(&self.d), name_of(&self.d))
    }

    /// `syncDeployment`.
    fn run(&mut self, ctx: &mut Ctx) -> Synced<()> {
        let selector = selector_of(&self.d);
        if is_empty_selector(selector.as_ref()) {
            let d = self.d.clone();
            self.recorder.object_event(
                ctx,
                &d,
                "Warning",
                "SelectingAll",
                "This deployment is selecting all pods. A non-empty selector is required.",
            );
            if int_at(&self.d, "/status/observedGeneration")
                < int_at(&self.d, "/metadata/generation")
            {
                self.d["status"]["observedGeneration"] =
                    json!(int_at(&self.d, "/metadata/generation"));
                self.write_status(ctx)?;
            }
            return Ok(());
        }
        self.claim_replica_sets(ctx);
        if is_being_deleted(&self.d) {
            return self.sync_status_only(ctx);
        }
        self.check_paused_conditions(ctx)?;
        if self.d.pointer("/spec/paused").and_then(Value::as_bool) == Some(true) {
            return self.sync(ctx);
        }
        if self.is_scaling_event(ctx)? {
            return self.sync(ctx);
        }
        match str_at(&self.d, "/spec/strategy/type") {
            "Recreate" => self.rollout_recreate(ctx),
            "RollingUpdate" => self.rollout_rolling(ctx),
            _ => Ok(()),
        }
    }

    /// `getReplicaSetsForDeployment` with ClaimReplicaSets: adopt orphans the selector matches,
    /// release controlled ones it no longer does.
    fn claim_replica_sets(&mut self, ctx: &mut Ctx) {
        let selector = selector_of(&self.d);
        let mut owned = Vec::new();
        for rs in self.namespace_rss.clone() {
            let matches = selects(selector.as_ref(), &rs);
            if is_controlled_by(&rs, &self.d) {
                if matches || is_being_deleted(&rs) {
                    owned.push(rs);
                } else if !is_being_deleted(&self.d) {
                    self.patch_owner_references(&rs, false, ctx);
                }
            } else if controller_ref(&rs).is_none()
                && matches
                && !is_being_deleted(&self.d)
                && !is_being_deleted(&rs)
            {
                if let Some(adopted) = self.patch_owner_references(&rs, true, ctx) {
                    owned.push(adopted);
                }
            }
        }
        by_creation(&mut owned);
        self.rss = owned;
    }

    /// Adopt (add our controller reference) or release (remove it) with a merge patch.
    fn patch_owner_references(&self, rs: &Value, adopt: bool, ctx: &mut Ctx) -> Option<Value> {
        let mut refs: Vec<Value> = rs
            .pointer("/metadata/ownerReferences")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|r| str_at(r, "/uid") != uid_of(&self.d))
            .cloned()
            .collect();
        if adopt {
            refs.push(new_controller_ref(&self.d, "apps/v1", "Deployment"));
        }
        let refs = if refs.is_empty() {
            Value::Null
        } else {
            Value::Array(refs)
        };
        let patch = json!({"metadata": {"ownerReferences": refs, "uid": uid_of(rs)}});
        let req = Request::new(Verb::Patch(PatchType::Merge), replicasets(), &ctx.user())
            .namespace(Some(namespace_of(rs)))
            .name(name_of(rs))
            .body(patch);
        let resp = ctx.request(req);
        resp.is_success().then_some(resp.body)
    }

    fn write_status(&mut self, ctx: &mut Ctx) -> Synced<()> {
        let resp = ctx.update_status(deployments(), self.d.clone());
        if !resp.is_success() {
            return Err(());
        }
        self.d = resp.body;
        Ok(())
    }

    fn replace_rs(&mut self, rs: &Value) {
        match self.rss.iter_mut().find(|r| uid_of(r) == uid_of(rs)) {
            Some(slot) => *slot = rs.clone(),
            None => self.rss.push(rs.clone()),
        }
        match self
            .namespace_rss
            .iter_mut()
            .find(|r| uid_of(r) == uid_of(rs))
        {
            Some(slot) => *slot = rs.clone(),
            None => self.namespace_rss.push(rs.clone()),
        }
    }

    /// `getAllReplicaSetsAndSyncRevision`: the new ReplicaSet (created when asked and missing)
    /// and the old ones.
    fn new_and_old(&mut self, create: bool, ctx: &mut Ctx) -> Synced<(Option<Value>, Vec<Value>)> {
        let new_index = find_new_replica_set(&self.d, &self.rss);
        let new_uid = new_index.map(|i| uid_of(&self.rss[i]).to_string());
        let old: Vec<Value> = self
            .rss
            .iter()
            .filter(|rs| Some(uid_of(rs).to_string()) != new_uid)
            .cloned()
            .collect();
        let new_rs = self.new_replica_set(new_index, &old, create, ctx)?;
        Ok((new_rs, old))
    }

    /// `getNewReplicaSet`.
    fn new_replica_set(
        &mut self,
        existing: Option<usize>,
        old: &[Value],
        create: bool,
        ctx: &mut Ctx,
    ) -> Synced<Option<Value>> {
        let max_old = old.iter().map(revision).max().unwrap_or(0);
        let new_revision = max_old + 1;
        if let Some(i) = existing {
            let mut rs = self.rss[i].clone();
            let annotations_changed = set_new_rs_annotations(&self.d, &mut rs, new_revision, true);
            let min_ready = int_at(&self.d, "/spec/minReadySeconds");
            if annotations_changed || int_at(&rs, "/spec/minReadySeconds") != min_ready {
                rs["spec"]["minReadySeconds"] = json!(min_ready);
                let resp = ctx.update(replicasets(), rs);
                if !resp.is_success() {
                    return Err(());
                }
                self.replace_rs(&resp.body);
                return Ok(Some(resp.body));
            }
            let rs_revision = annotation(&rs, REVISION).unwrap_or_default().to_string();
            let mut needs_update = set_deployment_revision(&mut self.d, &rs_revision);
            if has_progress_deadline(&self.d)
                && condition(self.d.get("status").unwrap_or(&Value::Null), "Progressing").is_none()
            {
                let msg = format!("Found new replica set \"{}\"", name_of(&rs));
                set_condition(
                    &mut self.d["status"],
                    new_condition("Progressing", "True", FOUND_NEW_RS_REASON, msg, ctx.now),
                );
                needs_update = true;
            }
            if needs_update {
                self.write_status(ctx)?;
            }
            return Ok(Some(rs));
        }
        if !create {
            return Ok(None);
        }
        self.create_new_replica_set(old, new_revision, ctx)
            .map(Some)
    }

    /// The create half of `getNewReplicaSet`: `<deployment>-<hash>` with the hash in its labels,
    /// selector and template, sized by NewRSNewReplicas.
    fn create_new_replica_set(
        &mut self,
        old: &[Value],
        new_revision: i64,
        ctx: &mut Ctx,
    ) -> Synced<Value> {
        let d = self.d.clone();
        let collision_count = d.pointer("/status/collisionCount").and_then(Value::as_i64);
        let template = d
            .pointer("/spec/template")
            .cloned()
            .unwrap_or_else(|| json!({}));
        let hash = super::workload::compute_hash(&template, collision_count);
        let mut rs_template = template;
        if !rs_template.get("metadata").is_some_and(Value::is_object) {
            rs_template["metadata"] = json!({});
        }
        if !rs_template["metadata"]
            .get("labels")
            .is_some_and(Value::is_object)
        {
            rs_template["metadata"]["labels"] = json!({});
        }
        rs_template["metadata"]["labels"][POD_TEMPLATE_HASH] = json!(hash);
        let mut selector = d
            .pointer("/spec/selector")
            .cloned()
            .unwrap_or_else(|| json!({}));
        if !selector.get("matchLabels").is_some_and(Value::is_object) {
            selector["matchLabels"] = json!({});
        }
        selector["matchLabels"][POD_TEMPLATE_HASH] = json!(hash);
        let name = format!("{}-{hash}", name_of(&d));
        let mut rs = json!({
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": name,
                "namespace": namespace_of(&d),
                "ownerReferences": [new_controller_ref(&d, "apps/v1", "Deployment")],
                "labels": rs_template["metadata"]["labels"].clone(),
            },
            "spec": {"replicas": 0, "selector": selector, "template": rs_template},
        });
        let min_ready = int_at(&d, "/spec/minReadySeconds");
        if min_ready != 0 {
            rs["spec"]["minReadySeconds"] = json!(min_ready);
        }
        let mut all: Vec<&Value> = old.iter().collect();
        all.push(&rs);
        let count = new_rs_new_replicas(&d, &all, &rs);
        rs["spec"]["replicas"] = json!(count);
        set_new_rs_annotations(&d, &mut rs, new_revision, false);
        ctx.note(
            Actor::ControllerManager,
            "deployment-controller: new ReplicaSet",
            self.object(),
            format!("{name} (pod-template-hash {hash}), {count} replicas"),
        );
        let resp = ctx.create(replicasets(), Some(namespace_of(&d)), rs);
        let (created, already_existed) = if resp.is_success() {
            (resp.body, false)
        } else if resp.code == 409 {
            match self
                .namespace_rss
                .iter()
                .find(|r| name_of(r) == name)
                .cloned()
            {
                Some(existing)
                    if is_controlled_by(&existing, &d)
                        && template_without_hash(
                            existing.pointer("/spec/template").unwrap_or(&Value::Null),
                        ) == template_without_hash(
                            d.pointer("/spec/template").unwrap_or(&Value::Null),
                        ) =>
                {
                    (existing, true)
                }
                _ => {
                    // A hash collision: count it, so that the next hash differs.
                    self.d["status"]["collisionCount"] = json!(collision_count.unwrap_or(0) + 1);
                    let _ = self.write_status(ctx);
                    return Err(());
                }
            }
        } else {
            let msg = format!(
                "Failed to create new replica set \"{name}\": {}",
                str_at(&resp.body, "/message")
            );
            if has_progress_deadline(&self.d) {
                set_condition(
                    &mut self.d["status"],
                    new_condition(
                        "Progressing",
                        "False",
                        FAILED_RS_CREATE_REASON,
                        msg.clone(),
                        ctx.now,
                    ),
                );
                let _ = self.write_status(ctx);
            }
            let d = self.d.clone();
            self.recorder
                .object_event(ctx, &d, "Warning", FAILED_RS_CREATE_REASON, &msg);
            return Err(());
        };
        self.replace_rs(&created);
        if !already_existed && count > 0 {
            let d = self.d.clone();
            self.recorder.object_event(
                ctx,
                &d,
                "Normal",
                "ScalingReplicaSet",
                &format!(
                    "Scaled up replica set {} from 0 to {count}",
                    name_of(&created)
                ),
            );
        }
        let mut needs_update = set_deployment_revision(&mut self.d, &new_revision.to_string());
        if !already_existed && has_progress_deadline(&self.d) {
            let msg = format!("Created new replica set \"{}\"", name_of(&created));
            set_condition(
                &mut self.d["status"],
                new_condition("Progressing", "True", NEW_RS_REASON, msg, ctx.now),
            );
            needs_update = true;
        }
        if needs_update {
            self.write_status(ctx)?;
        }
        Ok(created)
    }

    /// `checkPausedConditions`: a paused Deployment's Progressing condition is Unknown.
    fn check_paused_conditions(&mut self, ctx: &mut Ctx) -> Synced<()> {
        if !has_progress_deadline(&self.d) {
            return Ok(());
        }
        let status = self.d.get("status").cloned().unwrap_or(Value::Null);
        let cond = condition(&status, "Progressing");
        if cond.is_some_and(|c| str_at(c, "/reason") == TIMED_OUT_REASON) {
            return Ok(());
        }
        let paused_cond = cond.is_some_and(|c| str_at(c, "/reason") == PAUSED_REASON);
        let paused = self.d.pointer("/spec/paused").and_then(Value::as_bool) == Some(true);
        let new = if paused && !paused_cond {
            new_condition(
                "Progressing",
                "Unknown",
                PAUSED_REASON,
                "Deployment is paused".into(),
                ctx.now,
            )
        } else if !paused && paused_cond {
            new_condition(
                "Progressing",
                "Unknown",
                RESUMED_REASON,
                "Deployment is resumed".into(),
                ctx.now,
            )
        } else {
            return Ok(());
        };
        set_condition(&mut self.d["status"], new);
        self.write_status(ctx)
    }

    /// `isScalingEvent`: an active ReplicaSet was sized for another replica count.
    fn is_scaling_event(&mut self, ctx: &mut Ctx) -> Synced<bool> {
        let (new_rs, old) = self.new_and_old(false, ctx)?;
        let mut all = old;
        all.extend(new_rs);
        let want = replicas(&self.d);
        Ok(active(&all).iter().any(|rs| {
            annotation(rs, DESIRED_REPLICAS)
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|desired| desired != want)
        }))
    }

    /// `sync`: scaling events and paused Deployments.
    fn sync(&mut self, ctx: &mut Ctx) -> Synced<()> {
        let (new_rs, old) = self.new_and_old(false, ctx)?;
        self.scale(new_rs.as_ref(), &old, ctx)?;
        let (new_rs, old) = self.current(new_rs.as_ref(), &old);
        if self.d.pointer("/spec/paused").and_then(Value::as_bool) == Some(true) {
            self.cleanup(&old, ctx);
        }
        self.sync_deployment_status(new_rs.as_ref(), &old, ctx)
    }

    /// The ReplicaSets as last written (after scaling).
    fn current(&self, new_rs: Option<&Value>, old: &[Value]) -> (Option<Value>, Vec<Value>) {
        let fresh = |rs: &Value| {
            self.rss
                .iter()
                .find(|r| uid_of(r) == uid_of(rs))
                .cloned()
                .unwrap_or_else(|| rs.clone())
        };
        (new_rs.map(fresh), old.iter().map(fresh).collect())
    }

    /// `scale`: one active ReplicaSet takes the whole count; a saturated new one leaves the old
    /// ones at 0; otherwise the change is spread in proportion.
    fn scale(&mut self, new_rs: Option<&Value>, old: &[Value], ctx: &mut Ctx) -> Synced<()> {
        let want = replicas(&self.d);
        if let Some(rs) = find_active_or_latest(new_rs, old) {
            if replicas(&rs) == want {
                return Ok(());
            }
            self.scale_replica_set(&rs, want, ctx)?;
            return Ok(());
        }
        if new_rs.is_some_and(|rs| is_saturated(&self.d, rs)) {
            for rs in old.iter().filter(|rs| replicas(rs) > 0) {
                self.scale_replica_set(rs, 0, ctx)?;
            }
            return Ok(());
        }
        if !is_rolling_update(&self.d) {
            return Ok(());
        }
        let mut all: Vec<Value> = old
            .iter()
            .chain(new_rs)
            .filter(|rs| replicas(rs) > 0)
            .cloned()
            .collect();
        let allowed = if want > 0 {
            want.saturating_add(max_surge(&self.d))
        } else {
            0
        };
        let to_add = allowed - all.iter().map(replicas).sum::<i64>();
        // Larger first; among equals, newer first when growing and older first when shrinking.
        all.sort_by(|a, b| {
            let by_size = replicas(b).cmp(&replicas(a));
            let by_age = str_at(a, "/metadata/creationTimestamp")
                .cmp(str_at(b, "/metadata/creationTimestamp"));
            by_size.then(if to_add > 0 { by_age.reverse() } else { by_age })
        });
        let mut added = 0;
        let mut sizes: Vec<i64> = Vec::new();
        for rs in &all {
            if to_add != 0 {
                let p = replica_set_proportion(rs, &self.d, to_add, added);
                sizes.push(replicas(rs) + p);
                added += p;
            } else {
                sizes.push(replicas(rs));
            }
        }
        for (i, rs) in all.iter().enumerate() {
            let mut size = sizes[i];
            if i == 0 && to_add != 0 {
                size = (size + to_add - added).max(0);
            }
            self.scale_replica_set(rs, size, ctx)?;
        }
        Ok(())
    }

    /// `scaleReplicaSetAndRecordEvent` / `scaleReplicaSet`: write the size and the replicas
    /// annotations; a size change is a `ScalingReplicaSet` event. Whether the size changed.
    fn scale_replica_set(&mut self, rs: &Value, new_scale: i64, ctx: &mut Ctx) -> Synced<bool> {
        let old_scale = replicas(rs);
        let desired = replicas(&self.d);
        let max = desired.saturating_add(max_surge(&self.d));
        let size_changed = old_scale != new_scale;
        if !size_changed && !replicas_annotations_need_update(rs, desired, max) {
            return Ok(false);
        }
        let mut updated = rs.clone();
        updated["spec"]["replicas"] = json!(new_scale);
        set_replicas_annotations(&mut updated, desired, max);
        let resp = ctx.update(replicasets(), updated);
        if !resp.is_success() {
            return Err(());
        }
        self.replace_rs(&resp.body);
        if size_changed {
            let direction = if old_scale < new_scale { "up" } else { "down" };
            let message = format!(
                "Scaled {direction} replica set {} from {old_scale} to {new_scale}",
                name_of(rs)
            );
            let d = self.d.clone();
            self.recorder
                .object_event(ctx, &d, "Normal", "ScalingReplicaSet", &message);
        }
        Ok(size_changed)
    }

    /// `rolloutRolling`: grow the new ReplicaSet, else shrink old ones, then the status.
    fn rollout_rolling(&mut self, ctx: &mut Ctx) -> Synced<()> {
        let (new_rs, old) = self.new_and_old(true, ctx)?;
        let Some(new_rs) = new_rs else { return Ok(()) };
        if self.reconcile_new_replica_set(&new_rs, &old, ctx)? {
            let (new_rs, old) = self.current(Some(&new_rs), &old);
            return self.sync_rollout_status(new_rs.as_ref(), &old, ctx);
        }
        let (new_rs, old) = self.current(Some(&new_rs), &old);
        let new_rs = new_rs.unwrap_or_default();
        if self.reconcile_old_replica_sets(&new_rs, &old, ctx)? {
            let (new_rs, old) = self.current(Some(&new_rs), &old);
            return self.sync_rollout_status(new_rs.as_ref(), &old, ctx);
        }
        let status = self.d.get("status").cloned().unwrap_or(Value::Null);
        if deployment_complete(&self.d, &status) {
            self.cleanup(&old, ctx);
        }
        self.sync_rollout_status(Some(&new_rs), &old, ctx)
    }

    /// `reconcileNewReplicaSet`.
    fn reconcile_new_replica_set(
        &mut self,
        new_rs: &Value,
        old: &[Value],
        ctx: &mut Ctx,
    ) -> Synced<bool> {
        let want = replicas(&self.d);
        if replicas(new_rs) == want {
            return Ok(false);
        }
        if replicas(new_rs) > want {
            return self.scale_replica_set(new_rs, want, ctx);
        }
        let mut all: Vec<&Value> = old.iter().collect();
        all.push(new_rs);
        let count = new_rs_new_replicas(&self.d, &all, new_rs);
        self.scale_replica_set(new_rs, count, ctx)
    }

    /// `reconcileOldReplicaSets`: shrink old ReplicaSets as far as availability allows, the
    /// unhealthy replicas first.
    fn reconcile_old_replica_sets(
        &mut self,
        new_rs: &Value,
        old: &[Value],
        ctx: &mut Ctx,
    ) -> Synced<bool> {
        let old_active: Vec<Value> = old.iter().filter(|rs| replicas(rs) > 0).cloned().collect();
        let old_count: i64 = old_active.iter().map(replicas).sum();
        if old_count == 0 {
            return Ok(false);
        }
        let all_count = old_count + replicas(new_rs);
        let min_available = replicas(&self.d) - max_unavailable(&self.d);
        let new_unavailable = replicas(new_rs) - int_at(new_rs, "/status/availableReplicas");
        let max_scaled_down = all_count - min_available - new_unavailable;
        if max_scaled_down <= 0 {
            return Ok(false);
        }
        let (old_after_cleanup, cleaned) =
            self.cleanup_unhealthy_replicas(old_active, max_scaled_down, ctx)?;
        let scaled = self.scale_down_old_for_rolling_update(new_rs, old_after_cleanup, ctx)?;
        Ok(cleaned + scaled > 0)
    }

    /// `cleanupUnhealthyReplicas`: scale old ReplicaSets down by their unavailable replicas.
    fn cleanup_unhealthy_replicas(
        &mut self,
        mut old: Vec<Value>,
        max_cleanup: i64,
        ctx: &mut Ctx,
    ) -> Synced<(Vec<Value>, i64)> {
        by_creation(&mut old);
        let mut total = 0;
        for slot in old.iter_mut() {
            if total >= max_cleanup {
                break;
            }
            let (size, available) = (replicas(slot), int_at(slot, "/status/availableReplicas"));
            if size == 0 || size == available {
                continue;
            }
            let down = (max_cleanup - total).min(size - available);
            let rs = slot.clone();
            self.scale_replica_set(&rs, size - down, ctx)?;
            total += down;
            if let Some(fresh) = self.rss.iter().find(|r| uid_of(r) == uid_of(&rs)) {
                *slot = fresh.clone();
            }
        }
        Ok((old, total))
    }

    /// `scaleDownOldReplicaSetsForRollingUpdate`: as many as keep `replicas - maxUnavailable`
    /// available, oldest first.
    fn scale_down_old_for_rolling_update(
        &mut self,
        new_rs: &Value,
        mut old: Vec<Value>,
        ctx: &mut Ctx,
    ) -> Synced<i64> {
        let min_available = replicas(&self.d) - max_unavailable(&self.d);
        let all: Vec<&Value> = old.iter().chain(std::iter::once(new_rs)).collect();
        let available = status_sum(&all, "availableReplicas");
        if available <= min_available {
            return Ok(0);
        }
        by_creation(&mut old);
        let to_scale_down = available - min_available;
        let mut total = 0;
        for rs in &old {
            if total >= to_scale_down {
                break;
            }
            if replicas(rs) == 0 {
                continue;
            }
            let down = replicas(rs).min(to_scale_down - total);
            self.scale_replica_set(rs, replicas(rs) - down, ctx)?;
            total += down;
        }
        Ok(total)
    }

    /// `rolloutRecreate`: all old ReplicaSets to 0, wait for their pods to go, then the new one
    /// at full size.
    fn rollout_recreate(&mut self, ctx: &mut Ctx) -> Synced<()> {
        let (mut new_rs, mut old) = self.new_and_old(false, ctx)?;
        let mut scaled_down = false;
        for rs in old
            .iter()
            .filter(|rs| replicas(rs) > 0)
            .cloned()
            .collect::<Vec<_>>()
        {
            scaled_down |= self.scale_replica_set(&rs, 0, ctx)?;
        }
        if scaled_down {
            let (new_rs, old) = self.current(new_rs.as_ref(), &old);
            return self.sync_rollout_status(new_rs.as_ref(), &old, ctx);
        }
        if self.old_pods_running(new_rs.as_ref(), &old) {
            return self.sync_rollout_status(new_rs.as_ref(), &old, ctx);
        }
        if new_rs.is_none() {
            (new_rs, old) = self.new_and_old(true, ctx)?;
        }
        if let Some(rs) = new_rs.clone() {
            self.scale_replica_set(&rs, replicas(&self.d), ctx)?;
        }
        let status = self.d.get("status").cloned().unwrap_or(Value::Null);
        if deployment_complete(&self.d, &status) {
            self.cleanup(&old, ctx);
        }
        let (new_rs, old) = self.current(new_rs.as_ref(), &old);
        self.sync_rollout_status(new_rs.as_ref(), &old, ctx)
    }

    /// `oldPodsRunning`: old ReplicaSets report replicas, or pods of theirs are not terminal.
    fn old_pods_running(&self, new_rs: Option<&Value>, old: &[Value]) -> bool {
        if status_sum(&old.iter().collect::<Vec<_>>(), "replicas") > 0 {
            return true;
        }
        let ns = namespace_of(&self.d);
        self.pods.list().filter(|p| namespace_of(p) == ns).any(|p| {
            let owner = controller_ref(p)
                .map(|r| str_at(r, "/uid"))
                .unwrap_or_default();
            let of_old = self.rss.iter().any(|rs| uid_of(rs) == owner)
                && new_rs.is_none_or(|n| uid_of(n) != owner);
            of_old && !matches!(str_at(p, "/status/phase"), "Succeeded" | "Failed")
        })
    }

    /// `cleanupDeployment`: delete the oldest fully scaled-down ReplicaSets beyond
    /// `revisionHistoryLimit`.
    fn cleanup(&mut self, old: &[Value], ctx: &mut Ctx) {
        let Some(limit) = self
            .d
            .pointer("/spec/revisionHistoryLimit")
            .and_then(Value::as_i64)
        else {
            return;
        };
        let mut cleanable: Vec<&Value> = old.iter().filter(|rs| !is_being_deleted(rs)).collect();
        let diff = cleanable.len() as i64 - limit;
        if diff <= 0 {
            return;
        }
        cleanable.sort_by(|a, b| {
            revision(a)
                .cmp(&revision(b))
                .then_with(|| name_of(a).cmp(name_of(b)))
        });
        for rs in cleanable.into_iter().take(diff as usize) {
            let idle = int_at(rs, "/status/replicas") == 0
                && replicas(rs) == 0
                && int_at(rs, "/metadata/generation") <= int_at(rs, "/status/observedGeneration");
            if idle {
                ctx.delete(replicasets(), Some(namespace_of(rs)), name_of(rs), None);
            }
        }
    }

    fn all_replica_sets<'a>(new_rs: Option<&'a Value>, old: &'a [Value]) -> Vec<&'a Value> {
        old.iter().chain(new_rs).collect()
    }

    /// `syncStatusOnly`.
    fn sync_status_only(&mut self, ctx: &mut Ctx) -> Synced<()> {
        let (new_rs, old) = self.new_and_old(false, ctx)?;
        self.sync_deployment_status(new_rs.as_ref(), &old, ctx)
    }

    /// `syncDeploymentStatus`: write the calculated status if it differs.
    fn sync_deployment_status(
        &mut self,
        new_rs: Option<&Value>,
        old: &[Value],
        ctx: &mut Ctx,
    ) -> Synced<()> {
        let all = Self::all_replica_sets(new_rs, old);
        let status = calculate_status(&all, new_rs, &self.d, ctx.now);
        self.store_status_if_changed(status, ctx)
    }

    fn store_status_if_changed(&mut self, status: Value, ctx: &mut Ctx) -> Synced<()> {
        let stored = stored_status(status);
        if self.d.get("status") == Some(&stored) {
            return Ok(());
        }
        self.d["status"] = stored;
        self.write_status(ctx)
    }

    /// `syncRolloutStatus`: the status, with the Progressing condition estimated against the
    /// progress deadline and the ReplicaSets' ReplicaFailure carried over.
    fn sync_rollout_status(
        &mut self,
        new_rs: Option<&Value>,
        old: &[Value],
        ctx: &mut Ctx,
    ) -> Synced<()> {
        let all = Self::all_replica_sets(new_rs, old);
        let mut status = calculate_status(&all, new_rs, &self.d, ctx.now);
        if !has_progress_deadline(&self.d) {
            remove_condition(&mut status, "Progressing");
        }
        let current = self
            .d
            .get("status")
            .and_then(|s| condition(s, "Progressing"))
            .cloned();
        let complete_before = status_int(&status, "replicas")
            == status_int(&status, "updatedReplicas")
            && current
                .as_ref()
                .is_some_and(|c| str_at(c, "/reason") == NEW_RS_AVAILABLE_REASON);
        if has_progress_deadline(&self.d) && !complete_before {
            let subject = match new_rs {
                Some(rs) => format!("ReplicaSet \"{}\"", name_of(rs)),
                None => format!("Deployment \"{}\"", name_of(&self.d)),
            };
            if deployment_complete(&self.d, &status) {
                let msg = format!("{subject} has successfully progressed.");
                set_condition(
                    &mut status,
                    new_condition("Progressing", "True", NEW_RS_AVAILABLE_REASON, msg, ctx.now),
                );
            } else if deployment_progressing(&self.d, &status) {
                let msg = format!("{subject} is progressing.");
                let mut cond =
                    new_condition("Progressing", "True", RS_UPDATED_REASON, msg, ctx.now);
                if let Some(c) = current.as_ref() {
                    if str_at(c, "/status") == "True" {
                        cond["lastTransitionTime"] =
                            c.get("lastTransitionTime").cloned().unwrap_or(Value::Null);
                    }
                    remove_condition(&mut status, "Progressing");
                }
                set_condition(&mut status, cond);
            } else if deployment_timed_out(&self.d, &status, ctx.now) {
                let msg = format!("{subject} has timed out progressing.");
                set_condition(
                    &mut status,
                    new_condition("Progressing", "False", TIMED_OUT_REASON, msg, ctx.now),
                );
            }
        }
        match replica_failure(&all, new_rs) {
            Some(cond) => set_condition(&mut status, cond),
            None => remove_condition(&mut status, "ReplicaFailure"),
        }
        let stored = stored_status(status);
        if self.d.get("status") == Some(&stored) {
            // requeueStuckDeployment: look again when the progress deadline passes.
            if !deployment_complete(&self.d, &stored) {
                if let Some(deadline) = progress_deadline(&self.d, &stored) {
                    ctx.wake_at(deadline + 1000);
                }
            }
            return Ok(());
        }
        self.d["status"] = stored;
        self.write_status(ctx)
    }
}

/// `SetDeploymentRevision`: whether the annotation changed.
fn set_deployment_revision(d: &mut Value, revision: &str) -> bool {
    if annotation(d, REVISION) == Some(revision) {
        return false;
    }
    match annotations_mut(d) {
        Some(annotations) => {
            annotations.insert(REVISION.into(), Value::String(revision.into()));
            true
        }
        None => false,
    }
}

/// `FindActiveOrLatest`: the only active ReplicaSet, or the newest when none is active.
fn find_active_or_latest(new_rs: Option<&Value>, old: &[Value]) -> Option<Value> {
    if new_rs.is_none() && old.is_empty() {
        return None;
    }
    let mut newest_first: Vec<Value> = old.to_vec();
    by_creation(&mut newest_first);
    newest_first.reverse();
    let all: Vec<&Value> = newest_first
        .iter()
        .chain(new_rs)
        .filter(|rs| replicas(rs) > 0)
        .collect();
    match all.as_slice() {
        [] => new_rs.cloned().or_else(|| newest_first.first().cloned()),
        [one] => Some((*one).clone()),
        _ => None,
    }
}

/// `IsSaturated`: the new ReplicaSet is sized for, annotated with and has available all the
/// Deployment's replicas.
fn is_saturated(d: &Value, rs: &Value) -> bool {
    let Some(desired) = annotation(rs, DESIRED_REPLICAS).and_then(|v| v.parse::<i64>().ok()) else {
        return false;
    };
    replicas(rs) == replicas(d)
        && desired == replicas(d)
        && int_at(rs, "/status/availableReplicas") == replicas(d)
}

/// `getReplicaFailures`: the new ReplicaSet's ReplicaFailure, else an old one's.
fn replica_failure(all: &[&Value], new_rs: Option<&Value>) -> Option<Value> {
    let failure = |rs: &Value| {
        let c = rs
            .get("status")
            .and_then(|s| condition(s, "ReplicaFailure"))?;
        Some(json!({
            "type": "ReplicaFailure",
            "status": c.get("status").cloned().unwrap_or(Value::Null),
            "lastUpdateTime": c.get("lastTransitionTime").cloned().unwrap_or(Value::Null),
            "lastTransitionTime": c.get("lastTransitionTime").cloned().unwrap_or(Value::Null),
            "reason": c.get("reason").cloned().unwrap_or(Value::Null),
            "message": c.get("message").cloned().unwrap_or(Value::Null),
        }))
    };
    new_rs.and_then(failure).or_else(|| {
        all.iter()
            .filter(|rs| new_rs.is_none_or(|n| uid_of(n) != uid_of(rs)))
            .find_map(|rs| failure(rs))
    })
}

/// The status as Go stores it (zero counters are `omitempty`).
fn stored_status(mut status: Value) -> Value {
    if let Some(m) = status.as_object_mut() {
        m.retain(|k, v| {
            !(matches!(
                k.as_str(),
                "observedGeneration"
                    | "replicas"
                    | "updatedReplicas"
                    | "readyReplicas"
                    | "availableReplicas"
                    | "unavailableReplicas"
            ) && v == &json!(0))
        });
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(replicas: i64) -> Value {
        json!({
            "metadata": {"name": "hello", "namespace": "default", "uid": "d1", "generation": 1,
                         "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}", "team": "a"}},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": "hello"}},
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                "revisionHistoryLimit": 10,
                "progressDeadlineSeconds": 600,
                "template": {"metadata": {"labels": {"app": "hello"}}, "spec": {"containers": [{"name": "hello", "image": "nginx:1.27"}]}}
            },
            "status": {}
        })
    }

    #[test]
    fn fenceposts_of_the_default_strategy() {
        assert_eq!(resolve_fenceposts(&deployment(3)), (1, 0));
        assert_eq!(max_unavailable(&deployment(3)), 0);
        assert_eq!(max_surge(&deployment(1)), 1);
        assert_eq!(resolve_fenceposts(&deployment(4)), (1, 1));
    }

    #[test]
    fn a_new_replica_set_starts_at_full_size_without_old_ones() {
        let d = deployment(3);
        let rs = json!({"spec": {"replicas": 0}});
        assert_eq!(new_rs_new_replicas(&d, &[&rs], &rs), 3);
        // With three old pods the surge allows one more.
        let old = json!({"spec": {"replicas": 3}});
        assert_eq!(new_rs_new_replicas(&d, &[&old, &rs], &rs), 1);
    }

    #[test]
    fn new_replica_set_annotations_as_in_a_real_cluster() {
        let d = deployment(3);
        let mut rs = json!({"metadata": {}});
        assert!(set_new_rs_annotations(&d, &mut rs, 1, false));
        assert_eq!(
            rs["metadata"]["annotations"],
            json!({"deployment.kubernetes.io/desired-replicas": "3", "deployment.kubernetes.io/max-replicas": "4", "deployment.kubernetes.io/revision": "1", "team": "a"})
        );
        assert!(!set_new_rs_annotations(&d, &mut rs, 1, true));
        // A rollback to this ReplicaSet keeps its old revision in the history.
        assert!(set_new_rs_annotations(&d, &mut rs, 3, true));
        assert_eq!(rs["metadata"]["annotations"][REVISION_HISTORY], "1");
        assert_eq!(rs["metadata"]["annotations"][REVISION], "3");
    }

    #[test]
    fn status_before_any_pod_exists() {
        let d = deployment(3);
        let rs = json!({"metadata": {"name": "hello-6b986df65f"}, "spec": {"replicas": 3}, "status": {"replicas": 0}});
        let status = stored_status(calculate_status(&[&rs], Some(&rs), &d, 3000));
        assert_eq!(status["observedGeneration"], 1);
        assert_eq!(status["unavailableReplicas"], 3);
        assert!(status.get("updatedReplicas").is_none());
        let available = condition(&status, "Available").unwrap();
        assert_eq!(available["status"], "False");
        assert_eq!(available["reason"], "MinimumReplicasUnavailable");
        assert_eq!(
            available["message"],
            "Deployment does not have minimum availability."
        );
    }

    #[test]
    fn the_single_active_replica_set_takes_a_scaling_event() {
        let rs = json!({"metadata": {"name": "a", "uid": "1"}, "spec": {"replicas": 3}});
        assert_eq!(find_active_or_latest(Some(&rs), &[]), Some(rs.clone()));
        let old = json!({"metadata": {"name": "b", "uid": "2", "creationTimestamp": "2026-11-21T14:00:00Z"}, "spec": {"replicas": 2}});
        assert_eq!(find_active_or_latest(Some(&rs), &[old]), None);
    }

    #[test]
    fn proportions_follow_the_max_replicas_annotation() {
        // 10 replicas (max 13) split 7/3 scaled to 20 (max 25): the 7 grows by 6.
        let mut d = deployment(20);
        d["status"]["replicas"] = json!(10);
        let rs =
            json!({"metadata": {"annotations": {MAX_REPLICAS: "13"}}, "spec": {"replicas": 7}});
        assert_eq!(replica_set_proportion(&rs, &d, 12, 0), 6);
    }

    #[test]
    fn complete_only_when_all_replicas_are_updated_and_available() {
        let d = deployment(1);
        assert!(deployment_complete(
            &d,
            &json!({"updatedReplicas": 1, "replicas": 1, "availableReplicas": 1, "observedGeneration": 1})
        ));
        assert!(!deployment_complete(
            &d,
            &json!({"updatedReplicas": 1, "replicas": 1, "observedGeneration": 1})
        ));
    }
}
