//! The CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go, utils.go): on the
//! virtual clock, each CronJob creates a Job named `<cronjob>-<scheduled time in minutes since
//! the epoch>` at each time of its schedule, honouring suspend, startingDeadlineSeconds and the
//! concurrency policy (Allow, Forbid, Replace); it keeps `status.active`, `lastScheduleTime` and
//! `lastSuccessfulTime`, and deletes finished Jobs beyond the history limits.

use serde_json::{json, Value};

use super::cronschedule::{parse, Schedule};
use super::job::is_job_finished;
use super::workload::{
    condition, is_being_deleted, is_controlled_by, millis_of, name_of, namespace_of,
    new_controller_ref, str_at, uid_of, Retries,
};
use crate::apiserver::{timestamp, Request, Verb};
use crate::client::{grouped, Ctx, Informer};
use crate::events::LegacyRecorder as Recorder;
use crate::sim::{wall_clock, Millis};

/// `batchv1.CronJobScheduledTimestampAnnotation`.
pub const SCHEDULED_TIMESTAMP: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";
/// `nextScheduleDelta`: the controller looks again this long after the next scheduled time.
const NEXT_SCHEDULE_DELTA: Millis = 100;

/// The CronJob controller's recorder and retry back-off.
#[derive(Debug)]
pub struct CronJobController {
    recorder: Recorder,
    retry: Retries,
}

impl Default for CronJobController {
    fn default() -> Self {
        CronJobController {
            recorder: Recorder::for_controller("cronjob-controller"),
            retry: Retries::default(),
        }
    }
}

/// Seconds since the Unix epoch of a virtual time.
fn unix_seconds(at: Millis) -> i64 {
    wall_clock(at).as_second()
}

/// Virtual time of seconds since the Unix epoch (0 before the cluster started).
fn virtual_millis(second: i64) -> Millis {
    let start = unix_seconds(0);
    u64::try_from(second.saturating_sub(start))
        .unwrap_or(0)
        .saturating_mul(1000)
}

/// `getJobName`: `<cronjob>-<scheduled time / 60>`.
pub fn job_name(cron_job: &str, scheduled_second: i64) -> String {
    format!("{cron_job}-{}", scheduled_second.div_euclid(60))
}

/// `getJobFromTemplate2`: the Job template's labels and annotations, the scheduled timestamp
/// annotation (RFC 3339), the deterministic name, the controller reference and the Job spec.
pub fn job_from_template(cj: &Value, scheduled_second: i64) -> Value {
    let template = cj.pointer("/spec/jobTemplate").unwrap_or(&Value::Null);
    let mut annotations = template
        .pointer("/metadata/annotations")
        .filter(|a| a.is_object())
        .cloned()
        .unwrap_or_else(|| json!({}));
    annotations[SCHEDULED_TIMESTAMP] = json!(timestamp(virtual_millis(scheduled_second)));
    let mut metadata = json!({
        "name": job_name(name_of(cj), scheduled_second),
        "namespace": namespace_of(cj),
        "annotations": annotations,
        "ownerReferences": [new_controller_ref(cj, "batch/v1", "CronJob")],
    });
    if let Some(labels) = template
        .pointer("/metadata/labels")
        .filter(|l| l.is_object())
    {
        metadata["labels"] = labels.clone();
    }
    json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": metadata,
        "spec": template.get("spec").cloned().unwrap_or_else(|| json!({})),
    })
}

/// `mostRecentScheduleTime`: the latest scheduled time not after `now` since the last schedule
/// (or creation, or the starting deadline), if any; `Err` for a schedule that never fires.
fn most_recent_schedule(
    cj: &Value,
    now: i64,
    schedule: &Schedule,
    with_deadline: bool,
) -> Result<(i64, Option<i64>), ()> {
    let created = millis_of(str_at(cj, "/metadata/creationTimestamp")).unwrap_or(0);
    let mut earliest = millis_of(str_at(cj, "/status/lastScheduleTime"))
        .map(unix_seconds)
        .unwrap_or_else(|| unix_seconds(created));
    if with_deadline {
        if let Some(deadline) = cj
            .pointer("/spec/startingDeadlineSeconds")
            .and_then(Value::as_i64)
        {
            earliest = earliest.max(now - deadline);
        }
    }
    let Some(t1) = schedule.next(earliest) else {
        return Err(());
    };
    if now < t1 {
        return Ok((earliest, None));
    }
    let mut latest = t1;
    let mut steps = 0;
    while let Some(t) = schedule.next(latest).filter(|&t| t <= now) {
        latest = t;
        steps += 1;
        if steps > 100_000 {
            break;
        }
    }
    Ok((earliest, Some(latest)))
}

/// `nextScheduleTimeDuration` as a virtual time: the schedule's next time after the most recent
/// one (or after now), plus 100 ms.
fn next_sync_at(cj: &Value, now: Millis, schedule: &Schedule) -> Option<Millis> {
    let now_s = unix_seconds(now);
    let from = match most_recent_schedule(cj, now_s, schedule, false) {
        Ok((_, Some(recent))) => recent,
        Ok((earliest, None)) => earliest,
        Err(()) => now_s,
    };
    schedule
        .next(from)
        .map(|t| virtual_millis(t) + NEXT_SCHEDULE_DELTA)
}

/// The ObjectReference kept in `status.active` (`getRef`).
fn job_reference(job: &Value) -> Value {
    json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "name": name_of(job),
        "namespace": namespace_of(job),
        "resourceVersion": str_at(job, "/metadata/resourceVersion"),
        "uid": uid_of(job),
    })
}

fn active_refs(cj: &Value) -> Vec<Value> {
    cj.pointer("/status/active")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn set_active(cj: &mut Value, refs: Vec<Value>) {
    if refs.is_empty() {
        if let Some(m) = cj["status"].as_object_mut() {
            m.remove("active");
        }
    } else {
        cj["status"]["active"] = Value::Array(refs);
    }
}

fn remove_from_active(cj: &mut Value, uid: &str) {
    let refs = active_refs(cj)
        .into_iter()
        .filter(|r| str_at(r, "/uid") != uid)
        .collect();
    set_active(cj, refs);
}

/// The type of a finished Job's terminal condition (`FinishedCondition`).
fn finished_type(job: &Value) -> Option<&'static str> {
    let status = job.get("status")?;
    ["Complete", "Failed"]
        .into_iter()
        .find(|t| condition(status, t).is_some_and(|c| str_at(c, "/status") == "True"))
}

impl CronJobController {
    /// Sync every CronJob against the Jobs it controls.
    pub fn reconcile(&mut self, cron_jobs: &Informer, jobs: &Informer, ctx: &mut Ctx) {
        let all: Vec<Value> = cron_jobs.list().cloned().collect();
        for cj in &all {
            let key = format!("{}/{}", namespace_of(cj), name_of(cj));
            if let Some(at) = self.retry.waiting_until(&key, ctx.now) {
                ctx.wake_at(at);
                continue;
            }
            let children: Vec<Value> = jobs
                .list()
                .filter(|j| namespace_of(j) == namespace_of(cj) && is_controlled_by(j, cj))
                .cloned()
                .collect();
            let ok = self.sync(cj, &children, ctx).is_ok();
            if let Some(delay) = self.retry.record(key, ok, ctx.now) {
                ctx.wake_after(delay);
            }
        }
        self.retry.retain(|k| {
            all.iter()
                .any(|cj| format!("{}/{}", namespace_of(cj), name_of(cj)) == k)
        });
    }

    /// `sync`: clean up finished Jobs, then `syncCronJob`, then one status update.
    fn sync(&mut self, cj: &Value, jobs: &[Value], ctx: &mut Ctx) -> Result<(), ()> {
        let mut copy = cj.clone();
        if !copy.get("status").is_some_and(Value::is_object) {
            copy["status"] = json!({});
        }
        let cleaned = self.cleanup_finished_jobs(&mut copy, jobs, ctx);
        let (synced, result) = self.sync_cron_job(&mut copy, jobs, ctx);
        if cleaned || synced {
            let resp = ctx.update_status(grouped("batch", "cronjobs"), copy);
            if !resp.is_success() {
                return Err(());
            }
        }
        result
    }

    /// `syncCronJob`: account for finished and missing Jobs, then start the Job of the most
    /// recent unmet scheduled time if the policies allow it. Returns whether the status changed.
    fn sync_cron_job(
        &mut self,
        cj: &mut Value,
        jobs: &[Value],
        ctx: &mut Ctx,
    ) -> (bool, Result<(), ()>) {
        let mut changed = false;
        let active = active_refs(cj);
        for job in jobs {
            let found = active.iter().any(|r| str_at(r, "/uid") == uid_of(job));
            if !found && !is_job_finished(job) {
                let message = format!(
                    "Saw a job that the controller did not create or forgot: {}",
                    name_of(job)
                );
                self.recorder
                    .object_event(ctx, cj, "Warning", "UnexpectedJob", &message);
            } else if let Some(kind) = finished_type(job) {
                if found {
                    remove_from_active(cj, uid_of(job));
                    let message = format!("Saw completed job: {}, condition: {kind}", name_of(job));
                    self.recorder
                        .object_event(ctx, cj, "Normal", "SawCompletedJob", &message);
                    changed = true;
                }
                if kind == "Complete" {
                    changed |= self.note_success(cj, job);
                }
            }
        }
        for reference in active_refs(cj) {
            if jobs.iter().any(|j| uid_of(j) == str_at(&reference, "/uid")) {
                continue;
            }
            let req = Request::new(Verb::Get, grouped("batch", "jobs"), &ctx.user())
                .namespace(Some(str_at(&reference, "/namespace")))
                .name(str_at(&reference, "/name"));
            if ctx.request(req).code == 404 {
                let message = format!("Active job went missing: {}", str_at(&reference, "/name"));
                self.recorder
                    .object_event(ctx, cj, "Normal", "MissingJob", &message);
                remove_from_active(cj, str_at(&reference, "/uid"));
                changed = true;
            }
        }
        if is_being_deleted(cj)
            || cj.pointer("/spec/suspend").and_then(Value::as_bool) == Some(true)
        {
            return (changed, Ok(()));
        }
        let schedule_text = str_at(cj, "/spec/schedule").to_string();
        let Some(schedule) = parse(&schedule_text) else {
            let message = format!("unparseable schedule: \"{schedule_text}\" : cannot be read");
            self.recorder
                .object_event(ctx, cj, "Warning", "UnparseableSchedule", &message);
            return (changed, Ok(()));
        };
        let started = self.start_due_job(cj, &schedule, ctx);
        if let Some(at) = next_sync_at(cj, ctx.now, &schedule) {
            ctx.wake_at(at);
        }
        match started {
            Ok(true) => (true, Ok(())),
            Ok(false) => (changed, Ok(())),
            Err(()) => (changed, Err(())),
        }
    }

    /// `lastSuccessfulTime` moves to a later completionTime.
    fn note_success(&self, cj: &mut Value, job: &Value) -> bool {
        let Some(done) = job
            .pointer("/status/completionTime")
            .and_then(Value::as_str)
        else {
            return false;
        };
        let last = millis_of(str_at(cj, "/status/lastSuccessfulTime"));
        if last.is_none_or(|l| millis_of(done).is_some_and(|d| d > l)) {
            cj["status"]["lastSuccessfulTime"] = json!(done);
            return true;
        }
        false
    }

    /// The scheduling half of `syncCronJob`: Ok(true) when a Job was started.
    fn start_due_job(
        &mut self,
        cj: &mut Value,
        schedule: &Schedule,
        ctx: &mut Ctx,
    ) -> Result<bool, ()> {
        let now = unix_seconds(ctx.now);
        let Ok((_, Some(scheduled))) = most_recent_schedule(cj, now, schedule, true) else {
            return Ok(false);
        };
        if let Some(deadline) = cj
            .pointer("/spec/startingDeadlineSeconds")
            .and_then(Value::as_i64)
        {
            if scheduled + deadline < now {
                let when =
                    wall_clock(virtual_millis(scheduled)).strftime("%a, %d %b %Y %H:%M:%S +0000");
                let message = format!("Missed scheduled time to start a job: {when}");
                self.recorder
                    .object_event(ctx, cj, "Warning", "MissSchedule", &message);
                return Ok(false);
            }
        }
        let name = job_name(name_of(cj), scheduled);
        let already = active_refs(cj).iter().any(|r| str_at(r, "/name") == name)
            || millis_of(str_at(cj, "/status/lastScheduleTime")).map(unix_seconds)
                == Some(scheduled);
        if already {
            return Ok(false);
        }
        let policy = str_at(cj, "/spec/concurrencyPolicy");
        if policy == "Forbid" && !active_refs(cj).is_empty() {
            self.recorder.object_event(
                ctx,
                cj,
                "Normal",
                "JobAlreadyActive",
                "Not starting job because prior execution is running and concurrency policy is Forbid",
            );
            return Ok(false);
        }
        if policy == "Replace" {
            for reference in active_refs(cj) {
                let job = json!({"metadata": {"name": str_at(&reference, "/name"), "namespace": str_at(&reference, "/namespace"), "uid": str_at(&reference, "/uid")}});
                if !self.delete_job(cj, &job, ctx) {
                    return Err(());
                }
            }
        }
        let resp = ctx.create(
            grouped("batch", "jobs"),
            Some(namespace_of(cj)),
            job_from_template(cj, scheduled),
        );
        let job = if resp.is_success() {
            let message = format!("Created job {}", name_of(&resp.body));
            self.recorder
                .object_event(ctx, cj, "Normal", "SuccessfulCreate", &message);
            resp.body
        } else if resp.code == 409 {
            let req = Request::new(Verb::Get, grouped("batch", "jobs"), &ctx.user())
                .namespace(Some(namespace_of(cj)))
                .name(&name);
            let existing = ctx.request(req);
            if !existing.is_success() {
                return Err(());
            }
            if !is_controlled_by(&existing.body, cj)
                || active_refs(cj)
                    .iter()
                    .any(|r| str_at(r, "/uid") == uid_of(&existing.body))
            {
                return Ok(false);
            }
            existing.body
        } else {
            let message = format!("Error creating job: {}", str_at(&resp.body, "/message"));
            self.recorder
                .object_event(ctx, cj, "Warning", "FailedCreate", &message);
            return Err(());
        };
        let mut refs = active_refs(cj);
        refs.push(job_reference(&job));
        set_active(cj, refs);
        cj["status"]["lastScheduleTime"] = json!(timestamp(virtual_millis(scheduled)));
        Ok(true)
    }

    /// `cleanupFinishedJobs`: keep at most the history limits of succeeded and failed Jobs,
    /// deleting the ones that started first.
    fn cleanup_finished_jobs(&mut self, cj: &mut Value, jobs: &[Value], ctx: &mut Ctx) -> bool {
        let mut changed = false;
        for (kind, limit_field) in [
            ("Complete", "/spec/successfulJobsHistoryLimit"),
            ("Failed", "/spec/failedJobsHistoryLimit"),
        ] {
            let Some(limit) = cj.pointer(limit_field).and_then(Value::as_i64) else {
                continue;
            };
            let mut finished: Vec<&Value> = jobs
                .iter()
                .filter(|j| finished_type(j) == Some(kind))
                .collect();
            let excess = usize::try_from(finished.len() as i64 - limit).unwrap_or(0);
            if excess == 0 {
                continue;
            }
            finished.sort_by(|a, b| by_start_time(a, b));
            for job in finished.into_iter().take(excess) {
                changed |= self.delete_job(cj, job, ctx);
            }
        }
        changed
    }

    /// `deleteJob`: delete the Job (background propagation) and its active reference.
    fn delete_job(&mut self, cj: &mut Value, job: &Value, ctx: &mut Ctx) -> bool {
        let resp = ctx.delete(
            grouped("batch", "jobs"),
            Some(namespace_of(job)),
            name_of(job),
            None,
        );
        if !resp.is_success() {
            let message = format!("Deleted job: {}", str_at(&resp.body, "/message"));
            self.recorder
                .object_event(ctx, cj, "Warning", "FailedDelete", &message);
            return false;
        }
        remove_from_active(cj, uid_of(job));
        let message = format!("Deleted job {}", name_of(job));
        self.recorder
            .object_event(ctx, cj, "Normal", "SuccessfulDelete", &message);
        true
    }
}

/// `byJobStartTime`: Jobs without a start time last, then by start time, then by name.
fn by_start_time(a: &Value, b: &Value) -> std::cmp::Ordering {
    let start = |j: &Value| millis_of(str_at(j, "/status/startTime"));
    match (start(a), start(b)) {
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (Some(_), None) => std::cmp::Ordering::Less,
        (x, y) if x == y => name_of(a).cmp(name_of(b)),
        (x, y) => x.cmp(&y),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_names_count_minutes_since_the_epoch() {
        // 2025-02-20T13:20:00Z is 29 000 000 minutes after the epoch.
        assert_eq!(job_name("hello", 1_740_000_000), "hello-29000000");
    }

    #[test]
    fn jobs_come_from_the_template_with_the_scheduled_time() {
        let cj = json!({
            "metadata": {"name": "hello", "namespace": "default", "uid": "u1"},
            "spec": {"jobTemplate": {"metadata": {"labels": {"app": "hi"}}, "spec": {"backoffLimit": 2}}}
        });
        let at = unix_seconds(60_000);
        let job = job_from_template(&cj, at);
        assert_eq!(job["metadata"]["name"], format!("hello-{}", at / 60));
        assert_eq!(job["metadata"]["labels"]["app"], "hi");
        assert_eq!(
            job["metadata"]["annotations"][SCHEDULED_TIMESTAMP],
            "2026-11-21T14:01:00Z"
        );
        assert_eq!(job["metadata"]["ownerReferences"][0]["kind"], "CronJob");
        assert_eq!(job["spec"]["backoffLimit"], 2);
    }

    #[test]
    fn the_most_recent_unmet_time_and_the_next_wake_up() {
        let cj = json!({"metadata": {"creationTimestamp": "2026-11-21T14:00:05Z"}, "status": {}});
        let every_minute = parse("* * * * *").expect("parses");
        let now = unix_seconds(61_000);
        let (_, recent) = most_recent_schedule(&cj, now, &every_minute, true).unwrap_or_default();
        assert_eq!(recent, Some(unix_seconds(60_000)));
        assert_eq!(next_sync_at(&cj, 61_000, &every_minute), Some(120_100));
        let before = most_recent_schedule(&cj, unix_seconds(30_000), &every_minute, true);
        assert_eq!(before.map(|r| r.1), Ok(None));
    }
}
