//! The Job controller (pkg/controller/job/job_controller.go): for each Job, create pods from the
//! template up to `parallelism` and the remaining `completions` (NonIndexed, or Indexed with one
//! pod per completion index), count finished pods through the `batch.kubernetes.io/job-tracking`
//! finalizer (a terminated pod's uid goes to `status.uncountedTerminatedPods`, its finalizer is
//! removed, then it moves into `succeeded`/`failed`), back off after pod failures, and finish the
//! Job: `SuccessCriteriaMet` then `Complete`, or `FailureTarget` then `Failed`
//! (BackoffLimitExceeded, DeadlineExceeded, PodFailurePolicy).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::workload::{
    condition, int_at, is_being_deleted, is_controlled_by, millis_of, name_of, namespace_of,
    new_controller_ref, phase, pod_is_active, pod_is_ready, pod_is_terminating, selector_of,
    selects, str_at, uid_of, Retries,
};
use crate::apiserver::{timestamp, PatchType, Request, Verb};
use crate::client::{core, grouped, key_of, Ctx, Informer};
use crate::events::LegacyRecorder as Recorder;
use crate::sim::Millis;

/// `batch.JobTrackingFinalizer`: kept on a Job's pods until the controller counted them.
pub const JOB_TRACKING_FINALIZER: &str = "batch.kubernetes.io/job-tracking";
/// `batch.JobCompletionIndexAnnotation`, also used as the label of an Indexed Job's pods.
pub const COMPLETION_INDEX: &str = "batch.kubernetes.io/job-completion-index";
/// `DefaultJobPodFailureBackOff`: the first delay before replacing a failed pod.
pub const DEFAULT_POD_FAILURE_BACKOFF: Millis = 10_000;
/// `MaxJobPodFailureBackOff`: the delay doubles up to ten minutes.
pub const MAX_POD_FAILURE_BACKOFF: Millis = 600_000;
/// `MaxPodCreateDeletePerSync`.
const MAX_POD_CREATE_DELETE_PER_SYNC: usize = 500;

/// `backoffRecord`: failures since the last success and when the last one finished.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BackoffRecord {
    pub failures_after_last_success: u32,
    pub last_failure: Option<Millis>,
}

impl BackoffRecord {
    /// `newBackoffRecord`: the record moved on by the pods that finished since the last sync.
    pub fn moved_on(self, succeeded: &[Millis], failed: &[Millis]) -> BackoffRecord {
        let last_success = succeeded.iter().copied().max();
        let mut failed = failed.to_vec();
        failed.sort_unstable();
        match last_success {
            None => match failed.last() {
                None => self,
                Some(&last) => BackoffRecord {
                    failures_after_last_success: self.failures_after_last_success
                        + u32::try_from(failed.len()).unwrap_or(u32::MAX),
                    last_failure: Some(last),
                },
            },
            Some(success) => {
                let after: Vec<Millis> = failed.into_iter().filter(|&f| f > success).collect();
                BackoffRecord {
                    failures_after_last_success: u32::try_from(after.len()).unwrap_or(u32::MAX),
                    last_failure: after.last().copied(),
                }
            }
        }
    }

    /// `getRemainingTimeForFailuresCount`: 10 s doubling per failure after the first, at most
    /// ten minutes, counted from the last failure.
    pub fn remaining(&self, now: Millis) -> Millis {
        let Some(last) = self
            .last_failure
            .filter(|_| self.failures_after_last_success > 0)
        else {
            return 0;
        };
        let mut delay = DEFAULT_POD_FAILURE_BACKOFF;
        for _ in 1..self.failures_after_last_success {
            delay = delay.saturating_mul(2);
            if delay >= MAX_POD_FAILURE_BACKOFF {
                delay = MAX_POD_FAILURE_BACKOFF;
                break;
            }
        }
        let elapsed = now.saturating_sub(last);
        delay.saturating_sub(elapsed)
    }
}

/// The Job controller's own state: its recorder, the work queue's retry back-off and the pod
/// failure back-off records (`podBackoffStore`).
#[derive(Debug)]
pub struct JobController {
    recorder: Recorder,
    retry: Retries,
    backoff: BTreeMap<String, BackoffRecord>,
}

impl Default for JobController {
    fn default() -> Self {
        JobController {
            recorder: Recorder::for_controller("job-controller"),
            retry: Retries::default(),
            backoff: BTreeMap::new(),
        }
    }
}

/// A Job condition as `newCondition` makes it.
fn new_condition(type_: &str, reason: &str, message: &str, now: Millis) -> Value {
    json!({
        "type": type_,
        "status": "True",
        "lastProbeTime": timestamp(now),
        "lastTransitionTime": timestamp(now),
        "reason": reason,
        "message": message,
    })
}

/// `IsJobFinished`: a Complete or Failed condition that is True.
pub fn is_job_finished(job: &Value) -> bool {
    let status = job.get("status").unwrap_or(&Value::Null);
    ["Complete", "Failed"]
        .iter()
        .any(|t| condition(status, t).is_some_and(|c| str_at(c, "/status") == "True"))
}

/// When a finished Job finished: its completionTime, or its Failed condition's transition time.
pub fn finish_time(job: &Value) -> Option<Millis> {
    let status = job.get("status")?;
    if let Some(t) = status.get("completionTime").and_then(Value::as_str) {
        return millis_of(t);
    }
    ["Complete", "Failed"].iter().find_map(|t| {
        condition(status, t)
            .filter(|c| str_at(c, "/status") == "True")
            .and_then(|c| millis_of(str_at(c, "/lastTransitionTime")))
    })
}

fn true_condition<'a>(job: &'a Value, type_: &str) -> Option<&'a Value> {
    condition(job.get("status").unwrap_or(&Value::Null), type_)
        .filter(|c| str_at(c, "/status") == "True")
}

fn is_indexed(job: &Value) -> bool {
    str_at(job, "/spec/completionMode") == "Indexed"
}

fn is_suspended(job: &Value) -> bool {
    job.pointer("/spec/suspend").and_then(Value::as_bool) == Some(true)
}

/// `onlyReplaceFailedPods`: podReplacementPolicy Failed, or a pod failure policy.
fn only_replace_failed_pods(job: &Value) -> bool {
    str_at(job, "/spec/podReplacementPolicy") == "Failed"
        || job
            .pointer("/spec/podFailurePolicy")
            .is_some_and(|p| !p.is_null())
}

/// `isPodFailed`: Failed, or (unless only failed pods are replaced) deleted before it succeeded.
pub fn is_pod_failed(pod: &Value, job: &Value) -> bool {
    if phase(pod) == "Failed" {
        return true;
    }
    !only_replace_failed_pods(job) && is_being_deleted(pod) && phase(pod) != "Succeeded"
}

fn has_tracking_finalizer(pod: &Value) -> bool {
    pod.pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|f| f.iter().any(|v| v == JOB_TRACKING_FINALIZER))
}

/// The completion index of an Indexed Job's pod (`getCompletionIndex`), if valid.
pub fn completion_index(pod: &Value) -> Option<i64> {
    pod.pointer("/metadata/annotations")
        .and_then(|a| a.get(COMPLETION_INDEX))
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<i64>().ok())
        .filter(|&i| i >= 0)
}

/// When a pod finished (`getFinishedTime`): the latest container termination, else the Ready
/// condition's transition, else its creation.
fn finished_time(pod: &Value) -> Millis {
    let terminated = pod
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| millis_of(str_at(c, "/state/terminated/finishedAt")))
        .max();
    terminated
        .or_else(|| millis_of(str_at(pod, "/metadata/creationTimestamp")))
        .unwrap_or(0)
}

/// `matchPodFailurePolicy`: the first rule matching a failed pod. Returns the FailJob message if
/// the rule fails the Job, and whether the failure counts towards the backoff limit.
pub fn match_pod_failure_policy(job: &Value, pod: &Value) -> (Option<String>, bool) {
    let rules = job
        .pointer("/spec/podFailurePolicy/rules")
        .and_then(Value::as_array);
    for (index, rule) in rules.into_iter().flatten().enumerate() {
        let action = str_at(rule, "/action");
        let matched = if let Some(req) = rule.get("onExitCodes").filter(|v| !v.is_null()) {
            matching_exit_code(pod, req).map(|(container, code)| {
                format!(
                    "Container {container} for pod {}/{} failed with exit code {code} matching {action} rule at index {index}",
                    namespace_of(pod),
                    name_of(pod)
                )
            })
        } else if let Some(patterns) = rule.get("onPodConditions").and_then(Value::as_array) {
            matching_condition(pod, patterns).map(|type_| {
                format!(
                    "Pod {}/{} has condition {type_} matching {action} rule at index {index}",
                    namespace_of(pod),
                    name_of(pod)
                )
            })
        } else {
            None
        };
        let Some(message) = matched else { continue };
        match action {
            "Ignore" => return (None, false),
            "Count" | "FailIndex" => return (None, true),
            "FailJob" => return (Some(message), true),
            _ => {}
        }
    }
    (None, true)
}

/// `matchOnExitCodes`: a container (then init container) terminated with a non-zero exit code
/// the requirement's operator accepts.
fn matching_exit_code(pod: &Value, req: &Value) -> Option<(String, i64)> {
    let wanted_name = str_at(req, "/containerName");
    let operator = str_at(req, "/operator");
    let values: Vec<i64> = req
        .get("values")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_i64)
        .collect();
    ["/status/containerStatuses", "/status/initContainerStatuses"]
        .iter()
        .flat_map(|p| {
            pod.pointer(p)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .find_map(|c| {
            let code = c.pointer("/state/terminated/exitCode")?.as_i64()?;
            let name = str_at(c, "/name");
            let name_ok = wanted_name.is_empty() || wanted_name == name;
            let in_values = values.contains(&code);
            let op_ok = match operator {
                "In" => in_values,
                "NotIn" => !in_values,
                _ => false,
            };
            (code != 0 && name_ok && op_ok).then(|| (name.to_string(), code))
        })
}

/// `matchOnPodConditions`: the first pod condition of a type and status a pattern names.
fn matching_condition(pod: &Value, patterns: &[Value]) -> Option<String> {
    pod.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| {
            patterns.iter().any(|p| {
                str_at(p, "/type") == str_at(c, "/type")
                    && str_at(p, "/status") == str_at(c, "/status")
            })
        })
        .map(|c| str_at(c, "/type").to_string())
}

/// The pod a Job creates (`GetPodFromTemplate` with the Job's additions): the template's
/// metadata and spec, the tracking finalizer, `generateName: <job>-` (`<job>-<index>-` for an
/// Indexed Job, whose pods also get the completion index as annotation and label, the hostname
/// `<job>-<index>` and the JOB_COMPLETION_INDEX variable).
pub fn pod_from_template(job: &Value, index: Option<i64>) -> Value {
    let template = job
        .pointer("/spec/template")
        .cloned()
        .unwrap_or(Value::Null);
    let mut metadata = json!({
        "namespace": namespace_of(job),
        "ownerReferences": [new_controller_ref(job, "batch/v1", "Job")],
    });
    for field in ["labels", "annotations", "finalizers"] {
        if let Some(v) = template
            .pointer(&format!("/metadata/{field}"))
            .filter(|v| !v.is_null())
        {
            metadata[field] = v.clone();
        }
    }
    let mut finalizers: Vec<Value> = metadata["finalizers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if !finalizers.iter().any(|f| f == JOB_TRACKING_FINALIZER) {
        finalizers.push(json!(JOB_TRACKING_FINALIZER));
    }
    metadata["finalizers"] = Value::Array(finalizers);
    let mut spec = template.get("spec").cloned().unwrap_or_else(|| json!({}));
    match index {
        Some(i) => {
            for field in ["annotations", "labels"] {
                if !metadata[field].is_object() {
                    metadata[field] = json!({});
                }
                metadata[field][COMPLETION_INDEX] = json!(i.to_string());
            }
            metadata["generateName"] = json!(generate_name_with_index(name_of(job), i));
            spec["hostname"] = json!(format!("{}-{i}", name_of(job)));
            add_completion_index_env(&mut spec);
        }
        None => metadata["generateName"] = json!(format!("{}-", name_of(job))),
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec})
}

/// `podGenerateNameWithIndex`: `<job>-<index>-`, the job name cut so that the prefix stays within
/// `names.MaxGeneratedNameLength` (58).
fn generate_name_with_index(job: &str, index: i64) -> String {
    const MAX_GENERATED_NAME_LENGTH: usize = 58;
    let suffix = format!("-{index}-");
    let keep = MAX_GENERATED_NAME_LENGTH.saturating_sub(suffix.len());
    let prefix: String = job.chars().take(keep).collect();
    format!("{prefix}{suffix}")
}

/// `addCompletionIndexEnvVariables`: JOB_COMPLETION_INDEX from the pod's index label, for every
/// container that does not set it.
fn add_completion_index_env(spec: &mut Value) {
    for list in ["initContainers", "containers"] {
        let Some(containers) = spec.get_mut(list).and_then(Value::as_array_mut) else {
            continue;
        };
        for c in containers {
            let has = c.get("env").and_then(Value::as_array).is_some_and(|e| {
                e.iter()
                    .any(|v| str_at(v, "/name") == "JOB_COMPLETION_INDEX")
            });
            if has {
                continue;
            }
            let var = json!({"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {"fieldPath": format!("metadata.labels['{COMPLETION_INDEX}']")}}});
            match c.get_mut("env").and_then(Value::as_array_mut) {
                Some(env) => env.push(var),
                None => c["env"] = json!([var]),
            }
        }
    }
}

/// `orderedIntervals.String`: `0-2,4,6-7`.
pub fn intervals_string(indexes: &BTreeSet<i64>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut run: Option<(i64, i64)> = None;
    for &i in indexes {
        run = match run {
            Some((first, last)) if i == last + 1 => Some((first, i)),
            Some(done) => {
                parts.push(interval(done));
                Some((i, i))
            }
            None => Some((i, i)),
        };
    }
    if let Some(done) = run {
        parts.push(interval(done));
    }
    parts.join(",")
}

fn interval((first, last): (i64, i64)) -> String {
    if first == last {
        first.to_string()
    } else {
        format!("{first}-{last}")
    }
}

/// `parseIndexesFromString`: the indexes below `completions` a completedIndexes string lists.
pub fn parse_intervals(s: &str, completions: i64) -> BTreeSet<i64> {
    let mut out = BTreeSet::new();
    for part in s.split(',').filter(|p| !p.is_empty()) {
        let (first, last) = match part.split_once('-') {
            Some((a, b)) => (a.parse::<i64>(), b.parse::<i64>()),
            None => (part.parse::<i64>(), part.parse::<i64>()),
        };
        if let (Ok(first), Ok(last)) = (first, last) {
            out.extend((first.max(0)..=last.min(completions - 1)).take(100_000));
        }
    }
    out
}

/// What one sync saw and decided (`syncJobCtx`).
struct SyncCtx {
    active: Vec<Value>,
    ready: i64,
    terminating: i64,
    succeeded: i64,
    failed: i64,
    succeeded_indexes: BTreeSet<i64>,
    finished: Option<Value>,
    record: BackoffRecord,
}

impl JobController {
    /// Sync every Job against its pods.
    pub fn reconcile(&mut self, jobs: &Informer, pods: &Informer, ctx: &mut Ctx) {
        let keys: Vec<String> = jobs.list().map(key_of).collect();
        self.sync_keys(&keys, jobs, pods, ctx);
        release_orphan_pods(jobs, pods, ctx);
    }

    /// `processNextWorkItem` for each queued Job key, in order (the Jobs a change concerns:
    /// see the manager's handlers in [`super`]). A key still in its back-off waits; a key whose
    /// Job is gone forgets its back-off and its pod failure back-off.
    pub fn sync_keys(&mut self, keys: &[String], jobs: &Informer, pods: &Informer, ctx: &mut Ctx) {
        for key in keys {
            let Some(job) = jobs.get(key) else {
                continue;
            };
            if let Some(at) = self.retry.waiting_until(key, ctx.now) {
                ctx.wake_at(at);
                continue;
            }
            let ok = self.sync(key, job, pods, ctx).is_ok();
            if let Some(delay) = self.retry.record(key.clone(), ok, ctx.now) {
                ctx.wake_after(delay);
            }
        }
        self.retry.retain(|k| jobs.get(k).is_some());
        self.backoff.retain(|k, _| jobs.get(k).is_some());
    }

    /// `getPodsForJob`: the pods the Job controls (and, with a selector, still selects).
    fn pods_for_job(job: &Value, pods: &Informer) -> Vec<Value> {
        let selector = selector_of(job);
        pods.list()
            .filter(|p| namespace_of(p) == namespace_of(job) && is_controlled_by(p, job))
            .filter(|p| selector.is_none() || selects(selector.as_ref(), p) || is_being_deleted(p))
            .cloned()
            .collect()
    }

    /// `syncJob`.
    fn sync(&mut self, key: &str, job: &Value, pods: &Informer, ctx: &mut Ctx) -> Result<(), ()> {
        if is_job_finished(job) {
            self.backoff.remove(key);
            return Ok(());
        }
        let cached = job;
        let mut job = job.clone();
        if !job.get("status").is_some_and(Value::is_object) {
            job["status"] = json!({});
        }
        if !job["status"]["uncountedTerminatedPods"].is_object() {
            job["status"]["uncountedTerminatedPods"] = json!({});
        }
        let pods = Self::pods_for_job(&job, pods);
        let uncounted_succeeded = uid_list(&job, "succeeded");
        let uncounted_failed = uid_list(&job, "failed");
        let is_new = |p: &&Value, list: &[String]| {
            has_tracking_finalizer(p) && !list.iter().any(|u| u == uid_of(p))
        };
        let new_succeeded: Vec<&Value> = pods
            .iter()
            .filter(|p| phase(p) == "Succeeded" && is_new(p, &uncounted_succeeded))
            .collect();
        let new_failed: Vec<&Value> = pods
            .iter()
            .filter(|p| is_pod_failed(p, &job) && is_new(p, &uncounted_failed))
            .collect();
        let counted_failures = new_failed
            .iter()
            .filter(|p| match_pod_failure_policy(&job, p).1)
            .count() as i64;
        let active: Vec<Value> = pods.iter().filter(|p| pod_is_active(p)).cloned().collect();
        let mut sc = SyncCtx {
            ready: active.iter().filter(|p| pod_is_ready(p)).count() as i64,
            terminating: pods.iter().filter(|p| pod_is_terminating(p)).count() as i64,
            active,
            succeeded: int_at(&job, "/status/succeeded")
                + new_succeeded.len() as i64
                + uncounted_succeeded.len() as i64,
            failed: int_at(&job, "/status/failed")
                + counted_failures
                + uncounted_failed.len() as i64,
            succeeded_indexes: BTreeSet::new(),
            finished: None,
            record: BackoffRecord::default(),
        };
        if job.pointer("/status/startTime").is_none() && !is_suspended(&job) {
            job["status"]["startTime"] = json!(timestamp(ctx.now));
        }
        let succeeded_times: Vec<Millis> = new_succeeded.iter().map(|p| finished_time(p)).collect();
        let failed_times: Vec<Millis> = new_failed.iter().map(|p| finished_time(p)).collect();
        sc.record = self
            .backoff
            .get(key)
            .copied()
            .unwrap_or_default()
            .moved_on(&succeeded_times, &failed_times);
        sc.finished = self.failure_condition(&job, &pods, &sc, ctx);
        if is_indexed(&job) {
            sc.succeeded_indexes = succeeded_indexes(&job, &pods);
            sc.succeeded = sc.succeeded_indexes.len() as i64;
        }
        let mut manage_error = Ok(());
        let mut active_count = sc.active.len() as i64;
        if sc.finished.is_some() {
            let (deleted_ready, deleted) = self.delete_pods(&job, &sc.active.clone(), ctx);
            if deleted != active_count {
                sc.finished = None;
            }
            active_count -= deleted;
            sc.terminating += deleted;
            sc.ready -= deleted_ready;
        } else {
            if !is_being_deleted(&job) {
                let (active, result) = self.manage_job(&job, &mut sc, ctx);
                active_count = active;
                manage_error = result;
            }
            let completions = job.pointer("/spec/completions").and_then(Value::as_i64);
            let complete = match completions {
                None => sc.succeeded > 0 && active_count == 0,
                Some(c) => sc.succeeded >= c && active_count == 0,
            };
            if complete {
                sc.finished = Some(new_condition(
                    "SuccessCriteriaMet",
                    "CompletionsReached",
                    "Reached expected number of succeeded pods",
                    ctx.now,
                ));
            } else if !is_being_deleted(&job) {
                self.suspend_or_resume(&mut job, ctx);
            }
        }
        set_counter(&mut job, "active", active_count);
        job["status"]["ready"] = json!(sc.ready.max(0));
        job["status"]["terminating"] = json!(sc.terminating.max(0));
        let needs_flush = job.get("status") != cached.get("status");
        let tracked = self.track_status(&mut job, &pods, &mut sc, needs_flush, ctx);
        self.backoff.insert(key.to_string(), sc.record);
        tracked.and(manage_error)
    }

    /// The failure scenarios of `syncJob`, in order: a pre-existing SuccessCriteriaMet or
    /// FailureTarget, the pod failure policy, the backoff limit, the active deadline.
    fn failure_condition(
        &self,
        job: &Value,
        pods: &[Value],
        sc: &SyncCtx,
        ctx: &mut Ctx,
    ) -> Option<Value> {
        if let Some(met) = true_condition(job, "SuccessCriteriaMet") {
            return Some(met.clone());
        }
        if let Some(target) = true_condition(job, "FailureTarget") {
            return Some(new_condition(
                "Failed",
                str_at(target, "/reason"),
                str_at(target, "/message"),
                ctx.now,
            ));
        }
        let fail_job = pods
            .iter()
            .filter(|p| is_pod_failed(p, job))
            .find_map(|p| match_pod_failure_policy(job, p).0);
        if let Some(message) = fail_job {
            return Some(new_condition(
                "FailureTarget",
                "PodFailurePolicy",
                &message,
                ctx.now,
            ));
        }
        let backoff_limit = job
            .pointer("/spec/backoffLimit")
            .and_then(Value::as_i64)
            .unwrap_or(6);
        if sc.failed > backoff_limit || past_backoff_limit_on_failure(job, pods, backoff_limit) {
            return Some(new_condition(
                "FailureTarget",
                "BackoffLimitExceeded",
                "Job has reached the specified backoff limit",
                ctx.now,
            ));
        }
        let deadline = job
            .pointer("/spec/activeDeadlineSeconds")
            .and_then(Value::as_i64);
        let started = millis_of(str_at(job, "/status/startTime"));
        if let (Some(seconds), Some(start), false) = (deadline, started, is_suspended(job)) {
            let end = start.saturating_add(u64::try_from(seconds).unwrap_or(0) * 1000);
            if ctx.now >= end {
                return Some(new_condition(
                    "FailureTarget",
                    "DeadlineExceeded",
                    "Job was active longer than specified deadline",
                    ctx.now,
                ));
            }
            ctx.wake_at(end);
        }
        None
    }

    /// `manageJob`: delete the surplus or create the missing pods (after the pod failure
    /// back-off); returns the active count.
    fn manage_job(
        &mut self,
        job: &Value,
        sc: &mut SyncCtx,
        ctx: &mut Ctx,
    ) -> (i64, Result<(), ()>) {
        let mut active = sc.active.len() as i64;
        if is_suspended(job) {
            let victims = sc.active.clone();
            let (ready, removed) = self.delete_pods(job, &victims, ctx);
            sc.terminating += removed;
            sc.ready -= ready;
            return (active - removed, Ok(()));
        }
        let parallelism = int_at(job, "/spec/parallelism");
        let want = match job.pointer("/spec/completions").and_then(Value::as_i64) {
            None if sc.succeeded > 0 => active,
            None => parallelism,
            Some(c) => (c - sc.succeeded).min(parallelism).max(0),
        };
        if active > want {
            let count = usize::try_from(active - want).unwrap_or(0);
            let victims = pods_for_removal(&sc.active, count);
            let (ready, removed) = self.delete_pods(job, &victims, ctx);
            sc.terminating += removed;
            sc.ready -= ready;
            return (active - removed, Ok(()));
        }
        let terminating = if only_replace_failed_pods(job) {
            sc.terminating
        } else {
            0
        };
        let diff = want - terminating - active;
        if diff <= 0 {
            return (active, Ok(()));
        }
        let remaining = sc.record.remaining(ctx.now);
        if remaining > 0 {
            ctx.wake_after(remaining);
            return (0, Ok(()));
        }
        let diff = usize::try_from(diff)
            .unwrap_or(0)
            .min(MAX_POD_CREATE_DELETE_PER_SYNC);
        let indexes: Vec<Option<i64>> = if is_indexed(job) {
            let completions = int_at(job, "/spec/completions");
            first_pending_indexes(&sc.active, &sc.succeeded_indexes, diff, completions)
                .into_iter()
                .map(Some)
                .collect()
        } else {
            vec![None; diff]
        };
        let mut pending = indexes.into_iter();
        let mut remaining_count = pending.len();
        let mut batch = remaining_count.min(1);
        let mut failed = false;
        while batch > 0 {
            let mut batch_failed = false;
            for index in pending.by_ref().take(batch) {
                let resp = ctx.create(
                    core("pods"),
                    Some(namespace_of(job)),
                    pod_from_template(job, index),
                );
                if resp.is_success() {
                    active += 1;
                    let message = format!("Created pod: {}", name_of(&resp.body));
                    self.recorder
                        .object_event(ctx, job, "Normal", "SuccessfulCreate", &message);
                } else {
                    let cause = str_at(&resp.body, "/message").to_string();
                    let message = format!("Error creating: {cause}");
                    self.recorder
                        .object_event(ctx, job, "Warning", "FailedCreate", &message);
                    batch_failed = true;
                }
            }
            remaining_count -= batch;
            if batch_failed {
                failed = true;
                break;
            }
            batch = (2 * batch).min(remaining_count);
        }
        (active, if failed { Err(()) } else { Ok(()) })
    }

    /// The Suspended condition after `manageJob`: True (JobSuspended, "Job suspended") with a
    /// Suspended event and the start time cleared (MutableSchedulingDirectivesForSuspendedJobs,
    /// beta in v1.36), or back to False (JobResumed) with a Resumed event and a new start time.
    fn suspend_or_resume(&mut self, job: &mut Value, ctx: &mut Ctx) {
        let suspended = is_suspended(job);
        let (status, reason, message, event) = if suspended {
            ("True", "JobSuspended", "Job suspended", "Suspended")
        } else {
            ("False", "JobResumed", "Job resumed", "Resumed")
        };
        let mut cond = new_condition("Suspended", reason, message, ctx.now);
        cond["status"] = json!(status);
        if !ensure_condition(job, cond) {
            return;
        }
        self.recorder
            .object_event(ctx, job, "Normal", event, message);
        if suspended {
            remove_field(job, "startTime");
        } else {
            job["status"]["startTime"] = json!(timestamp(ctx.now));
        }
    }

    /// `deleteJobPods`: delete pods (keeping their finalizers), with SuccessfulDelete events.
    /// Returns how many ready pods and how many pods were deleted.
    fn delete_pods(&mut self, job: &Value, victims: &[Value], ctx: &mut Ctx) -> (i64, i64) {
        let (mut ready, mut deleted) = (0, 0);
        for pod in victims {
            let resp = ctx.delete(core("pods"), Some(namespace_of(pod)), name_of(pod), None);
            if resp.is_success() || resp.code == 404 {
                deleted += 1;
                if pod_is_ready(pod) {
                    ready += 1;
                }
            }
            if resp.is_success() {
                let message = format!("Deleted pod: {}", name_of(pod));
                self.recorder
                    .object_event(ctx, job, "Normal", "SuccessfulDelete", &message);
            }
        }
        (ready, deleted)
    }

    /// `trackJobStatusAndRemoveFinalizers` with `flushUncountedAndRemoveFinalizers` and
    /// `enactJobFinished`: record terminated pods as uncounted (and the interim condition), remove
    /// their finalizers, move them into the counters, then add the terminal condition.
    fn track_status(
        &mut self,
        job: &mut Value,
        pods: &[Value],
        sc: &mut SyncCtx,
        needs_flush: bool,
        ctx: &mut Ctx,
    ) -> Result<(), ()> {
        let original = job.clone();
        let indexed = is_indexed(job);
        let completions = int_at(job, "/spec/completions");
        let finished_is_failure = sc
            .finished
            .as_ref()
            .is_some_and(|c| str_at(c, "/type") != "SuccessCriteriaMet");
        let mut to_release: Vec<&Value> = Vec::new();
        let (mut succ, mut fail) = (uid_list(job, "succeeded"), uid_list(job, "failed"));
        for pod in pods.iter().filter(|p| has_tracking_finalizer(p)) {
            let failed = is_pod_failed(pod, job);
            let removable = is_being_deleted(job)
                || sc.finished.is_some()
                || phase(pod) == "Succeeded"
                || failed;
            if !removable {
                continue;
            }
            to_release.push(pod);
            let uid = uid_of(pod).to_string();
            if phase(pod) == "Succeeded" && !fail.contains(&uid) {
                if !indexed && !succ.contains(&uid) {
                    succ.push(uid);
                }
            } else if (failed || finished_is_failure) && !fail.contains(&uid) {
                let in_range = !indexed || completion_index(pod).is_some_and(|i| i < completions);
                if in_range && match_pod_failure_policy(job, pod).1 {
                    fail.push(uid);
                }
            }
        }
        set_uids(job, "succeeded", &succ);
        set_uids(job, "failed", &fail);
        if indexed {
            set_counter(job, "succeeded", sc.succeeded_indexes.len() as i64);
            let s = intervals_string(&sc.succeeded_indexes);
            if s.is_empty() {
                remove_field(job, "completedIndexes");
            } else {
                job["status"]["completedIndexes"] = json!(s);
            }
        }
        if let Some(cond) = sc.finished.clone() {
            match str_at(&cond, "/type") {
                "FailureTarget" => {
                    push_condition(job, cond.clone());
                    sc.finished = Some(new_condition(
                        "Failed",
                        str_at(&cond, "/reason"),
                        str_at(&cond, "/message"),
                        ctx.now,
                    ));
                }
                "SuccessCriteriaMet" => {
                    if true_condition(job, "SuccessCriteriaMet").is_none() {
                        push_condition(job, cond.clone());
                    }
                    sc.finished = Some(new_condition(
                        "Complete",
                        str_at(&cond, "/reason"),
                        str_at(&cond, "/message"),
                        ctx.now,
                    ));
                }
                _ => {}
            }
        }
        if needs_flush || *job != original {
            *job = self.write_status(job, ctx)?;
        }
        let mut released = BTreeSet::new();
        for pod in to_release {
            if remove_tracking_finalizer(pod, ctx) {
                released.insert(uid_of(pod).to_string());
            }
        }
        let before_counting = job.clone();
        count_released(job, &released);
        let finished = self.enact_finished(job, sc, ctx);
        if finished || *job != before_counting {
            *job = self.write_status(job, ctx)?;
            if finished {
                self.record_finished(job, sc, ctx);
            }
        }
        Ok(())
    }

    /// `enactJobFinished`: the terminal condition and completionTime, once nothing is uncounted
    /// or terminating.
    fn enact_finished(&self, job: &mut Value, sc: &SyncCtx, ctx: &mut Ctx) -> bool {
        let Some(cond) = &sc.finished else {
            return false;
        };
        if !uid_list(job, "succeeded").is_empty() || !uid_list(job, "failed").is_empty() {
            return false;
        }
        if sc.terminating > 0 {
            return false;
        }
        ensure_condition(job, cond.clone());
        if str_at(cond, "/type") == "Complete" {
            job["status"]["completionTime"] = json!(timestamp(ctx.now));
        }
        true
    }

    /// `recordJobFinished`: Completed, or the failure's reason and message, as events.
    fn record_finished(&mut self, job: &Value, sc: &SyncCtx, ctx: &mut Ctx) {
        let Some(cond) = &sc.finished else { return };
        if str_at(cond, "/type") == "Complete" {
            let completions = job.pointer("/spec/completions").and_then(Value::as_i64);
            if completions.is_some_and(|c| int_at(job, "/status/succeeded") > c) {
                self.recorder.object_event(
                    ctx,
                    job,
                    "Warning",
                    "TooManySucceededPods",
                    "Too many succeeded pods running after completion count reached",
                );
            }
            self.recorder
                .object_event(ctx, job, "Normal", "Completed", "Job completed");
        } else {
            let (reason, message) = (str_at(cond, "/reason"), str_at(cond, "/message"));
            self.recorder
                .object_event(ctx, job, "Warning", reason, message);
        }
    }

    /// PUT the status; the stored Job comes back.
    fn write_status(&self, job: &Value, ctx: &mut Ctx) -> Result<Value, ()> {
        let resp = ctx.update_status(grouped("batch", "jobs"), job.clone());
        if resp.is_success() {
            Ok(resp.body)
        } else {
            Err(())
        }
    }
}

/// The uids listed in `status.uncountedTerminatedPods.<which>`.
fn uid_list(job: &Value, which: &str) -> Vec<String> {
    job.pointer(&format!("/status/uncountedTerminatedPods/{which}"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

fn set_uids(job: &mut Value, which: &str, uids: &[String]) {
    let slot = &mut job["status"]["uncountedTerminatedPods"];
    if uids.is_empty() {
        if let Some(m) = slot.as_object_mut() {
            m.remove(which);
        }
    } else {
        slot[which] = json!(uids);
    }
}

/// An int32 status counter with `omitempty`.
fn set_counter(job: &mut Value, field: &str, value: i64) {
    if value > 0 {
        job["status"][field] = json!(value);
    } else {
        remove_field(job, field);
    }
}

fn remove_field(job: &mut Value, field: &str) {
    if let Some(m) = job["status"].as_object_mut() {
        m.remove(field);
    }
}

fn push_condition(job: &mut Value, cond: Value) {
    match job["status"]
        .get_mut("conditions")
        .and_then(Value::as_array_mut)
    {
        Some(list) => list.push(cond),
        None => job["status"]["conditions"] = json!([cond]),
    }
}

/// `ensureJobConditionStatus`: replace a condition of the type when its status, reason or
/// message differ, or append it (unless it would be False); whether anything changed.
fn ensure_condition(job: &mut Value, cond: Value) -> bool {
    let type_ = str_at(&cond, "/type").to_string();
    if let Some(list) = job["status"]
        .get_mut("conditions")
        .and_then(Value::as_array_mut)
    {
        if let Some(existing) = list.iter_mut().find(|c| str_at(c, "/type") == type_) {
            let same = ["status", "reason", "message"]
                .iter()
                .all(|f| existing.get(f) == cond.get(f));
            if !same {
                *existing = cond;
            }
            return !same;
        }
    }
    if str_at(&cond, "/status") == "False" {
        return false;
    }
    push_condition(job, cond);
    true
}

/// `cleanUncountedPodsWithoutFinalizers`: uncounted pods whose finalizer is gone move into the
/// counters.
fn count_released(job: &mut Value, released: &BTreeSet<String>) {
    for (which, counter) in [("succeeded", "succeeded"), ("failed", "failed")] {
        let list = uid_list(job, which);
        let (gone, kept): (Vec<String>, Vec<String>) =
            list.into_iter().partition(|u| released.contains(u));
        if gone.is_empty() {
            continue;
        }
        let count = int_at(job, &format!("/status/{counter}")) + gone.len() as i64;
        set_uids(job, which, &kept);
        set_counter(job, counter, count);
    }
}

/// Remove the tracking finalizer (a merge patch of the remaining finalizers, guarded by uid).
fn remove_tracking_finalizer(pod: &Value, ctx: &mut Ctx) -> bool {
    let rest: Vec<Value> = pod
        .pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|f| *f != JOB_TRACKING_FINALIZER)
        .cloned()
        .collect();
    let finalizers = if rest.is_empty() {
        Value::Null
    } else {
        Value::Array(rest)
    };
    let patch = json!({"metadata": {"finalizers": finalizers, "uid": uid_of(pod)}});
    let req = Request::new(Verb::Patch(PatchType::Merge), core("pods"), &ctx.user())
        .namespace(Some(namespace_of(pod)))
        .name(name_of(pod))
        .body(patch);
    let resp = ctx.request(req);
    resp.is_success() || resp.code == 404
}

/// `handleSingleOrphanPod`: a pod keeping the tracking finalizer whose Job is gone (or
/// finished) loses the finalizer, so that a deleted Job's pods can go.
pub fn release_orphan_pods(jobs: &Informer, pods: &Informer, ctx: &mut Ctx) {
    let orphans: Vec<Value> = pods
        .list()
        .filter(|p| has_tracking_finalizer(p))
        .filter(|p| {
            let Some(owner) = super::workload::controller_ref(p) else {
                return true;
            };
            if str_at(owner, "/kind") != "Job" || str_at(owner, "/apiVersion") != "batch/v1" {
                return false;
            }
            let key = format!("{}/{}", namespace_of(p), str_at(owner, "/name"));
            jobs.get(&key)
                .filter(|j| uid_of(j) == str_at(owner, "/uid"))
                .is_none_or(is_job_finished)
        })
        .cloned()
        .collect();
    for pod in &orphans {
        remove_tracking_finalizer(pod, ctx);
    }
}

/// `pastBackoffLimitOnFailure`: with restartPolicy OnFailure, the restarts of running and
/// pending pods reach the backoff limit (any restart when the limit is 0).
fn past_backoff_limit_on_failure(job: &Value, pods: &[Value], limit: i64) -> bool {
    if str_at(job, "/spec/template/spec/restartPolicy") != "OnFailure" {
        return false;
    }
    let restarts: i64 = pods
        .iter()
        .filter(|p| matches!(phase(p), "Running" | "Pending"))
        .flat_map(|p| {
            ["/status/initContainerStatuses", "/status/containerStatuses"]
                .iter()
                .flat_map(|ptr| {
                    p.pointer(ptr)
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                })
                .map(|c| int_at(c, "/restartCount"))
                .collect::<Vec<_>>()
        })
        .sum();
    if limit == 0 {
        restarts > 0
    } else {
        restarts >= limit
    }
}

/// `calculateSucceededIndexes`: the completed indexes in the status and those of succeeded pods.
fn succeeded_indexes(job: &Value, pods: &[Value]) -> BTreeSet<i64> {
    let completions = int_at(job, "/spec/completions");
    let mut set = parse_intervals(str_at(job, "/status/completedIndexes"), completions);
    set.extend(
        pods.iter()
            .filter(|p| phase(p) == "Succeeded")
            .filter_map(completion_index)
            .filter(|&i| i < completions),
    );
    set
}

/// `firstPendingIndexes`: the lowest indexes neither succeeded nor held by an active pod.
fn first_pending_indexes(
    active: &[Value],
    succeeded: &BTreeSet<i64>,
    count: usize,
    completions: i64,
) -> Vec<i64> {
    let held: BTreeSet<i64> = active.iter().filter_map(completion_index).collect();
    (0..completions.max(0))
        .filter(|i| !succeeded.contains(i) && !held.contains(i))
        .take(count)
        .collect()
}

/// `activePodsForRemoval` (simplified to controller.ActivePods order): unscheduled, pending and
/// not-ready pods first.
fn pods_for_removal(active: &[Value], count: usize) -> Vec<Value> {
    let refs: Vec<&Value> = active.iter().collect();
    super::replicaset::pods_to_delete(&refs, &refs, count)
        .into_iter()
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_failure_back_off_doubles_from_ten_seconds_to_ten_minutes() {
        let one = BackoffRecord::default().moved_on(&[], &[1_000]);
        assert_eq!(one.remaining(1_000), 10_000);
        assert_eq!(one.remaining(6_000), 5_000);
        let three = one.moved_on(&[], &[2_000, 3_000]);
        assert_eq!(three.failures_after_last_success, 3);
        assert_eq!(three.remaining(3_000), 40_000);
        let many = BackoffRecord {
            failures_after_last_success: 12,
            last_failure: Some(0),
        };
        assert_eq!(many.remaining(0), MAX_POD_FAILURE_BACKOFF);
        assert_eq!(three.moved_on(&[4_000], &[]).remaining(4_000), 0);
    }

    #[test]
    fn indexed_pods_carry_their_index() {
        let job = json!({
            "metadata": {"name": "sample", "namespace": "default", "uid": "u1"},
            "spec": {"completionMode": "Indexed", "template": {"metadata": {"labels": {"job-name": "sample"}}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}
        });
        let pod = pod_from_template(&job, Some(2));
        assert_eq!(pod["metadata"]["generateName"], "sample-2-");
        assert_eq!(pod["metadata"]["annotations"][COMPLETION_INDEX], "2");
        assert_eq!(pod["metadata"]["labels"][COMPLETION_INDEX], "2");
        assert_eq!(pod["metadata"]["labels"]["job-name"], "sample");
        assert_eq!(pod["spec"]["hostname"], "sample-2");
        assert_eq!(
            pod["spec"]["containers"][0]["env"][0]["valueFrom"]["fieldRef"]["fieldPath"],
            "metadata.labels['batch.kubernetes.io/job-completion-index']"
        );
        assert_eq!(
            pod["metadata"]["finalizers"],
            json!(["batch.kubernetes.io/job-tracking"])
        );
        assert_eq!(pod["metadata"]["ownerReferences"][0]["kind"], "Job");
        let plain = pod_from_template(&job, None);
        assert_eq!(plain["metadata"]["generateName"], "sample-");
    }

    #[test]
    fn completed_indexes_print_as_intervals() {
        let set: BTreeSet<i64> = [0, 1, 2, 4, 6, 7].into_iter().collect();
        assert_eq!(intervals_string(&set), "0-2,4,6-7");
        assert_eq!(parse_intervals("0-2,4,6-7", 7), [0, 1, 2, 4, 6].into());
    }

    #[test]
    fn pod_failure_policy_rules_match_exit_codes_and_conditions() {
        let job = json!({"spec": {"podFailurePolicy": {"rules": [
            {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]},
            {"action": "FailJob", "onExitCodes": {"containerName": "main", "operator": "In", "values": [42]}},
        ]}}});
        let failed = |code: i64, disrupted: bool| {
            json!({"metadata": {"name": "p", "namespace": "default"}, "status": {"phase": "Failed",
                "conditions": [{"type": "DisruptionTarget", "status": if disrupted { "True" } else { "False" }}],
                "containerStatuses": [{"name": "main", "state": {"terminated": {"exitCode": code}}}]}})
        };
        assert_eq!(
            match_pod_failure_policy(&job, &failed(1, true)),
            (None, false)
        );
        assert_eq!(
            match_pod_failure_policy(&job, &failed(42, false)),
            (
                Some("Container main for pod default/p failed with exit code 42 matching FailJob rule at index 1".into()),
                true
            )
        );
        assert_eq!(
            match_pod_failure_policy(&job, &failed(1, false)),
            (None, true)
        );
    }

    #[test]
    fn pending_indexes_skip_succeeded_and_active_ones() {
        let active = vec![json!({"metadata": {"annotations": {COMPLETION_INDEX: "1"}}})];
        let succeeded: BTreeSet<i64> = [0, 3].into_iter().collect();
        assert_eq!(first_pending_indexes(&active, &succeeded, 2, 5), vec![2, 4]);
    }
}
