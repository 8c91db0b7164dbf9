//! The TTL-after-finished controller (pkg/controller/ttlafterfinished): a finished Job with
//! `spec.ttlSecondsAfterFinished` is deleted that many seconds after it finished (its
//! completionTime, or its Complete/Failed condition's transition), with background propagation
//! so that the garbage collector deletes its pods afterwards.

use serde_json::Value;

use super::job::{finish_time, is_job_finished};
use super::workload::{is_being_deleted, name_of, namespace_of, uid_of};
use crate::apiserver::{Request, Verb};
use crate::client::{grouped, Ctx, Informer};
use crate::sim::{Actor, Millis};

/// When a Job expires (`timeLeft`'s expiry): its finish time plus the TTL; `None` for a Job
/// without a TTL, not finished, or already being deleted (`needsCleanup`).
pub fn expires_at(job: &Value) -> Option<Millis> {
    let ttl = job
        .pointer("/spec/ttlSecondsAfterFinished")
        .and_then(Value::as_i64)?;
    if is_being_deleted(job) || !is_job_finished(job) {
        return None;
    }
    let finished = finish_time(job)?;
    Some(finished.saturating_add(u64::try_from(ttl).unwrap_or(0).saturating_mul(1000)))
}

/// Delete the expired Jobs; ask to be woken when the next one expires.
pub fn reconcile(jobs: &Informer, ctx: &mut Ctx) {
    let expiring: Vec<(Millis, Value)> = jobs
        .list()
        .filter_map(|j| expires_at(j).map(|at| (at, j.clone())))
        .collect();
    for (at, job) in expiring {
        if at > ctx.now {
            ctx.wake_at(at);
            continue;
        }
        delete_expired(&job, ctx);
    }
}

/// `processJob`: re-read the Job from the API server (the cache may be stale), check it still
/// expired, then delete it with its uid as precondition.
fn delete_expired(job: &Value, ctx: &mut Ctx) {
    let info = grouped("batch", "jobs");
    let req = Request::new(Verb::Get, info, &ctx.user())
        .namespace(Some(namespace_of(job)))
        .name(name_of(job));
    let fresh = ctx.request(req);
    if !fresh.is_success() || uid_of(&fresh.body) != uid_of(job) {
        return;
    }
    if expires_at(&fresh.body).is_none_or(|at| at > ctx.now) {
        return;
    }
    ctx.note(
        Actor::ControllerManager,
        "ttl-after-finished-controller: delete expired Job",
        format!("job/{}/{}", namespace_of(job), name_of(job)),
        "ttlSecondsAfterFinished passed (propagationPolicy: Background)",
    );
    ctx.delete(info, Some(namespace_of(job)), name_of(job), None);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_finished_job_expires_ttl_seconds_after_completion() {
        let job = json!({
            "spec": {"ttlSecondsAfterFinished": 100},
            "status": {"completionTime": "2026-11-21T14:00:10Z", "conditions": [{"type": "Complete", "status": "True", "lastTransitionTime": "2026-11-21T14:00:10Z"}]}
        });
        let done = finish_time(&job).unwrap_or_default();
        assert_eq!(expires_at(&job), Some(done + 100_000));
        let running = json!({"spec": {"ttlSecondsAfterFinished": 100}, "status": {}});
        assert_eq!(expires_at(&running), None);
    }
}
