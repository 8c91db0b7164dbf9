//! `kubectl rollout status|history|undo|restart deployment/NAME` (staging/src/k8s.io/kubectl/pkg/
//! cmd/rollout and the deployment viewers of pkg/polymorphichelpers: rollout_status.go,
//! history.go, rollback.go, objectrestarter.go).

use serde_json::{json, Map, Value};

use super::args::Args;
use super::describe::apps::{
    controlled_by_uid, describe_pod_template, same_template_ignoring_hash, split_replica_sets,
    POD_TEMPLATE_HASH,
};
use super::describe::writer::PrefixWriter;
use super::errors::status_message;
use super::printers::object::label_selector_string;
use super::{namespace_flag, object_name, resolve, str_at, Env};
use crate::apiserver::resources::{by_plural, ResourceInfo};
use crate::apiserver::{ApiServer, PatchType, Verb};
use crate::sim::Millis;

/// The annotation that numbers a Deployment's revisions on its ReplicaSets.
const REVISION: &str = "deployment.kubernetes.io/revision";
/// `kubectl.kubernetes.io/restartedAt`, set on the pod template by `rollout restart`.
const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";
/// The annotation `rollout history` shows as CHANGE-CAUSE.
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
/// rollback.go annotationsToSkip: the Deployment keeps its own values of these on undo.
const ANNOTATIONS_TO_SKIP: [&str; 6] = [
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION,
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];
/// What `rollout` without a known subcommand answers.
const SUBCOMMANDS: [&str; 6] = ["status", "history", "undo", "restart", "pause", "resume"];

/// A command that keeps watching one object after its first answer (watchtools.UntilWithSync in
/// `rollout status`): the cluster runs on, and each new version of the object goes through
/// `on_change` until it says the command is done. The cluster bounds the wait.
#[derive(Debug, Clone)]
pub struct WaitFor {
    pub info: &'static ResourceInfo,
    pub namespace: Option<String>,
    pub name: String,
    /// The last resourceVersion the command has seen: the watch starts after it.
    pub resource_version: i64,
    /// What kubectl prints for a new version of the object (it may read other objects through
    /// the API server), and whether it stops there.
    pub on_change: fn(&Value, &ApiServer) -> WaitStep,
    /// `--timeout` in virtual milliseconds, if set (0 or absent: wait until done).
    pub timeout: Option<Millis>,
}

/// One turn of a [`WaitFor`]: text printed, and the exit code once the command is done.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitStep {
    pub text: String,
    pub exit_code: Option<i32>,
}

/// What a timed-out wait prints (wait.ErrWaitTimeout).
pub const WAIT_TIMEOUT_MESSAGE: &str = "error: timed out waiting for the condition";

/// `kubectl rollout SUBCOMMAND ...`.
pub fn rollout(args: &Args, env: &mut Env) {
    let sub = args.positional.get(1).map(String::as_str).unwrap_or("");
    if !SUBCOMMANDS.contains(&sub) {
        env.out.fail(format!(
            "error: unknown command \"{sub}\" for \"kubectl rollout\""
        ));
        return;
    }
    let deployments = match targets(args, env, sub) {
        Ok(t) => t,
        Err(e) => {
            env.out.fail(e);
            return;
        }
    };
    if sub == "status" && deployments.len() != 1 {
        env.out.fail(format!(
            "error: rollout status is only supported on individual resources and resource collections - {} resources were found",
            deployments.len()
        ));
        return;
    }
    for deployment in &deployments {
        let result = match sub {
            "status" => status(args, deployment, env),
            "history" => history(args, deployment, env),
            "undo" => undo(args, deployment, env),
            "pause" => set_paused(args, deployment, true, env),
            "resume" => set_paused(args, deployment, false, env),
            _ => restart(args, deployment, env),
        };
        if let Err(e) = result {
            env.out.fail(e);
            return;
        }
    }
}

/// The Deployments named (`deployment/web`, `deployment web`) or, for a type alone, all of the
/// namespace's, as the resource builder finds them. Only Deployments are modelled.
fn targets(args: &Args, env: &mut Env, sub: &str) -> Result<Vec<Value>, String> {
    let words = args.positional.get(2..).unwrap_or_default();
    let Some((first, rest)) = words.split_first() else {
        return Err("error: required resource not specified".into());
    };
    let ns = namespace_flag(args);
    let pairs: Vec<(String, Option<String>)> = if words.iter().any(|w| w.contains('/')) {
        words
            .iter()
            .map(|w| match w.split_once('/') {
                Some((kind, name)) => Ok((kind.to_string(), Some(name.to_string()))),
                None => Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".to_string()),
            })
            .collect::<Result<_, _>>()?
    } else if rest.is_empty() {
        vec![(first.clone(), None)]
    } else {
        rest.iter()
            .map(|n| (first.clone(), Some(n.clone())))
            .collect()
    };
    let mut found = Vec::new();
    for (kind, name) in pairs {
        let info = rolled_out(&kind, sub)?;
        match name {
            Some(name) => {
                let resp = env.send(env.request(Verb::Get, info, Some(&ns)).name(&name));
                if !resp.is_success() {
                    return Err(status_message(&resp.body, None));
                }
                found.push(resp.body);
            }
            None => {
                let resp = env.send(env.request(Verb::List, info, Some(&ns)));
                if !resp.is_success() {
                    return Err(status_message(&resp.body, None));
                }
                let items = resp.body.get("items").and_then(Value::as_array);
                found.extend(items.into_iter().flatten().cloned());
            }
        }
    }
    Ok(found)
}

/// The resource a kubectl name means, if podlab models `rollout SUB` for it: every subcommand
/// for Deployments, `status` also for DaemonSets and StatefulSets.
fn rolled_out(kind: &str, sub: &str) -> Result<&'static ResourceInfo, String> {
    let info = resolve(kind)?;
    let status_only = matches!(info.kind, "DaemonSet" | "StatefulSet");
    if info.kind != "Deployment" && !(status_only && sub == "status") {
        return Err(format!(
            "error: no rollout support for {} in podlab (only deployments; status also for daemonsets and statefulsets)",
            info.plural
        ));
    }
    Ok(info)
}

/// `rollout status`: prints the status at once, then (unless `--watch=false`) watches.
fn status(args: &Args, deployment: &Value, env: &mut Env) -> Result<(), String> {
    let revision = match args.flag("revision") {
        Some(r) => r
            .parse::<i64>()
            .map_err(|_| format!("error: invalid argument \"{r}\" for \"--revision\" flag"))?,
        None => 0,
    };
    // Only the Deployment viewer reads --revision (the DaemonSet and StatefulSet viewers ignore it).
    let is_deployment = !matches!(str_at(deployment, "/kind"), "DaemonSet" | "StatefulSet");
    if revision > 0 && is_deployment {
        let running = revision_of(deployment);
        if running != revision {
            return Err(format!(
                "error: desired revision ({revision}) is different from the running revision ({running})"
            ));
        }
    }
    let step = status_step(deployment);
    env.out.out.push_str(&step.text);
    if let Some(code) = step.exit_code {
        env.out.exit_code = code;
        return Ok(());
    }
    if !args.bool_flag("watch", true) {
        return Ok(());
    }
    let timeout = args
        .flag("timeout")
        .and_then(super::cli::parse_go_duration)
        .filter(|ms| *ms > 0.0)
        .map(|ms| ms as Millis);
    let plural = match str_at(deployment, "/kind") {
        "DaemonSet" => "daemonsets",
        "StatefulSet" => "statefulsets",
        _ => "deployments",
    };
    let Some(info) = by_plural("apps", plural) else {
        return Ok(());
    };
    env.out.wait_for = Some(WaitFor {
        info,
        namespace: Some(str_at(deployment, "/metadata/namespace").to_string()),
        name: str_at(deployment, "/metadata/name").to_string(),
        resource_version: str_at(deployment, "/metadata/resourceVersion")
            .parse()
            .unwrap_or(0),
        on_change: watched_status_step,
        timeout,
    });
    Ok(())
}

/// [`status_step`] for a version the watch delivered (the watch is on the Deployment alone:
/// rollout_status.go lists and watches it by name, nothing else).
fn watched_status_step(deployment: &Value, _api: &ApiServer) -> WaitStep {
    status_step(deployment)
}

/// What `rollout status` prints for one version of the Deployment (DeploymentStatusViewer.Status
/// in staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go): its message alone.
/// v1.36's viewer reads only the Deployment; it says nothing of the pods (a pod stuck in
/// ImagePullBackOff leaves "N out of M new replicas have been updated..." as it is; the
/// proposal to surface pod warnings, kubernetes/kubernetes#140240, was closed unmerged).
pub fn status_step(d: &Value) -> WaitStep {
    let status = match str_at(d, "/kind") {
        "DaemonSet" => daemon_set_status(d),
        "StatefulSet" => stateful_set_status(d),
        _ => deployment_status(d),
    };
    match status {
        Ok((text, false)) => WaitStep {
            text,
            exit_code: None,
        },
        Ok((text, true)) => WaitStep {
            text,
            exit_code: Some(0),
        },
        Err(e) => WaitStep {
            text: format!("{e}\n"),
            exit_code: Some(1),
        },
    }
}

/// DeploymentStatusViewer.Status: the message and whether the rollout is done, or the error of a
/// rollout past its progress deadline.
pub fn deployment_status(d: &Value) -> Result<(String, bool), String> {
    let name = str_at(d, "/metadata/name");
    let int = |p: &str| d.pointer(p).and_then(Value::as_i64).unwrap_or(0);
    if int("/metadata/generation") > int("/status/observedGeneration") {
        return Ok((
            "Waiting for deployment spec update to be observed...\n".into(),
            false,
        ));
    }
    let progressing = d
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| str_at(c, "/type") == "Progressing"));
    if progressing.is_some_and(|c| str_at(c, "/reason") == "ProgressDeadlineExceeded") {
        return Err(format!(
            "error: deployment \"{name}\" exceeded its progress deadline"
        ));
    }
    let desired = d.pointer("/spec/replicas").and_then(Value::as_i64);
    let updated = int("/status/updatedReplicas");
    let replicas = int("/status/replicas");
    let available = int("/status/availableReplicas");
    let waiting = |what: String| {
        Ok((
            format!("Waiting for deployment \"{name}\" rollout to finish: {what}...\n"),
            false,
        ))
    };
    if let Some(desired) = desired.filter(|d| updated < *d) {
        return waiting(format!(
            "{updated} out of {desired} new replicas have been updated"
        ));
    }
    if replicas > updated {
        return waiting(format!(
            "{} old replicas are pending termination",
            replicas - updated
        ));
    }
    if available < updated {
        return waiting(format!(
            "{available} of {updated} updated replicas are available"
        ));
    }
    Ok((
        format!("deployment \"{name}\" successfully rolled out\n"),
        true,
    ))
}

/// The error of the DaemonSet and StatefulSet viewers for another update strategy (both name
/// the StatefulSet constant, `RollingUpdate`).
fn rolling_update_only(obj: &Value) -> Result<(), String> {
    match str_at(obj, "/spec/updateStrategy/type") {
        "" | "RollingUpdate" => Ok(()),
        _ => Err("error: rollout status is only available for RollingUpdate strategy type".into()),
    }
}

/// DaemonSetStatusViewer.Status: updated pods, then available ones, against the desired count.
pub fn daemon_set_status(ds: &Value) -> Result<(String, bool), String> {
    rolling_update_only(ds)?;
    let name = str_at(ds, "/metadata/name");
    let int = |p: &str| ds.pointer(p).and_then(Value::as_i64).unwrap_or(0);
    if int("/metadata/generation") > int("/status/observedGeneration") {
        return Ok((
            "Waiting for daemon set spec update to be observed...\n".into(),
            false,
        ));
    }
    let desired = int("/status/desiredNumberScheduled");
    let updated = int("/status/updatedNumberScheduled");
    let available = int("/status/numberAvailable");
    if updated < desired {
        return Ok((
            format!("Waiting for daemon set \"{name}\" rollout to finish: {updated} out of {desired} new pods have been updated...\n"),
            false,
        ));
    }
    if available < desired {
        return Ok((
            format!("Waiting for daemon set \"{name}\" rollout to finish: {available} of {desired} updated pods are available...\n"),
            false,
        ));
    }
    Ok((
        format!("daemon set \"{name}\" successfully rolled out\n"),
        true,
    ))
}

/// StatefulSetStatusViewer.Status: ready pods, then the partition of a rolling update, then the
/// update revision against the current one.
pub fn stateful_set_status(sts: &Value) -> Result<(String, bool), String> {
    rolling_update_only(sts)?;
    let int = |p: &str| sts.pointer(p).and_then(Value::as_i64);
    let observed = int("/status/observedGeneration").unwrap_or(0);
    if observed == 0 || int("/metadata/generation").unwrap_or(0) > observed {
        return Ok((
            "Waiting for statefulset spec update to be observed...\n".into(),
            false,
        ));
    }
    let replicas = int("/spec/replicas");
    let ready = int("/status/readyReplicas").unwrap_or(0);
    let updated = int("/status/updatedReplicas").unwrap_or(0);
    if let Some(replicas) = replicas.filter(|r| ready < *r) {
        return Ok((
            format!("Waiting for {} pods to be ready...\n", replicas - ready),
            false,
        ));
    }
    if sts
        .pointer("/spec/updateStrategy/rollingUpdate")
        .is_some_and(|r| !r.is_null())
    {
        let partition = int("/spec/updateStrategy/rollingUpdate/partition");
        if let (Some(replicas), Some(partition)) = (replicas, partition) {
            if updated < replicas - partition {
                return Ok((
                    format!("Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...\n", replicas - partition),
                    false,
                ));
            }
        }
        return Ok((
            format!("partitioned roll out complete: {updated} new pods have been updated...\n"),
            true,
        ));
    }
    let update_revision = str_at(sts, "/status/updateRevision");
    let current_revision = str_at(sts, "/status/currentRevision");
    if update_revision != current_revision {
        return Ok((
            format!("waiting for statefulset rolling update to complete {updated} pods at revision {update_revision}...\n"),
            false,
        ));
    }
    let current = int("/status/currentReplicas").unwrap_or(0);
    Ok((
        format!("statefulset rolling update complete {current} pods at revision {current_revision}...\n"),
        true,
    ))
}

/// deploymentutil.Revision: the revision annotation as a number (0 when unset or malformed).
fn revision_of(obj: &Value) -> i64 {
    obj.pointer("/metadata/annotations")
        .and_then(|a| a.get(REVISION))
        .and_then(Value::as_str)
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

/// The ReplicaSets of the deployment's namespace its selector matches.
fn replica_sets(deployment: &Value, env: &mut Env) -> Result<Vec<Value>, String> {
    let Some(info) = by_plural("apps", "replicasets") else {
        return Ok(Vec::new());
    };
    let ns = str_at(deployment, "/metadata/namespace").to_string();
    let mut req = env.request(Verb::List, info, Some(&ns));
    req.label_selector = label_selector_string(deployment.pointer("/spec/selector"));
    let resp = env.send(req);
    if !resp.is_success() {
        return Err(status_message(&resp.body, None));
    }
    Ok(resp
        .body
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default())
}

/// The revisions of the deployment's ReplicaSets, ascending: (revision, ReplicaSet).
fn revisions(deployment: &Value, sets: &[Value]) -> Vec<(i64, Value)> {
    let uid = str_at(deployment, "/metadata/uid");
    let mut found: Vec<(i64, Value)> = sets
        .iter()
        .filter(|rs| controlled_by_uid(rs, uid))
        .filter_map(|rs| {
            let text = rs
                .pointer("/metadata/annotations")?
                .get(REVISION)?
                .as_str()?;
            Some((text.parse::<i64>().ok()?, rs.clone()))
        })
        .collect();
    found.sort_by_key(|(r, _)| *r);
    found.dedup_by_key(|(r, _)| *r);
    found
}

/// `rollout history` (DeploymentHistoryViewer.ViewHistory, printed by a name printer whose
/// operation is the history).
fn history(args: &Args, deployment: &Value, env: &mut Env) -> Result<(), String> {
    let sets = replica_sets(deployment, env)?;
    let history = revisions(deployment, &sets);
    let label = object_name_of(deployment);
    let revision = args
        .flag("revision")
        .map(|r| {
            r.parse::<i64>()
                .map_err(|_| format!("error: invalid argument \"{r}\" for \"--revision\" flag"))
        })
        .transpose()?
        .unwrap_or(0);
    if revision > 0 {
        let (_, rs) = history
            .iter()
            .find(|(r, _)| *r == revision)
            .ok_or("error: unable to find the specified revision")?;
        let template = template_with_change_cause(rs);
        let mut w = PrefixWriter::new();
        describe_pod_template(Some(&template), &mut w);
        env.out
            .out
            .push_str(&format!("{label} with revision #{revision}\n{}\n", w.raw()));
        return Ok(());
    }
    if history.is_empty() {
        env.out
            .out
            .push_str(&format!("{label} \nNo rollout history found.\n"));
        return Ok(());
    }
    env.out
        .out
        .push_str(&format!("{label} \n{}\n", history_table(&history)));
    Ok(())
}

/// The REVISION / CHANGE-CAUSE table (a tabwriter with padding 2).
fn history_table(history: &[(i64, Value)]) -> String {
    let rows: Vec<(String, String)> = history
        .iter()
        .map(|(r, rs)| {
            let cause = rs
                .pointer("/metadata/annotations")
                .and_then(|a| a.get(CHANGE_CAUSE))
                .and_then(Value::as_str)
                .filter(|c| !c.is_empty())
                .unwrap_or("<none>");
            (r.to_string(), cause.to_string())
        })
        .collect();
    let width = rows
        .iter()
        .map(|(r, _)| r.chars().count())
        .chain(std::iter::once("REVISION".len()))
        .max()
        .unwrap_or(0)
        + 2;
    let mut out = format!("{:<width$}CHANGE-CAUSE\n", "REVISION");
    for (r, cause) in rows {
        out.push_str(&format!("{r:<width$}{cause}\n"));
    }
    out
}

/// The ReplicaSet's template, with its change-cause annotation copied in (history.go).
fn template_with_change_cause(rs: &Value) -> Value {
    let mut template = rs.pointer("/spec/template").cloned().unwrap_or(json!({}));
    let cause = rs
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(CHANGE_CAUSE))
        .and_then(Value::as_str)
        .unwrap_or("");
    if !cause.is_empty() {
        if let Some(meta) = template.as_object_mut() {
            let metadata = meta.entry("metadata").or_insert_with(|| json!({}));
            if let Some(m) = metadata.as_object_mut() {
                let annotations = m.entry("annotations").or_insert_with(|| json!({}));
                if let Some(a) = annotations.as_object_mut() {
                    a.insert(CHANGE_CAUSE.into(), json!(cause));
                }
            }
        }
    }
    template
}

/// `deployment.apps/web`.
fn object_name_of(deployment: &Value) -> String {
    match by_plural("apps", "deployments") {
        Some(info) => object_name(info, str_at(deployment, "/metadata/name")),
        None => format!("deployment.apps/{}", str_at(deployment, "/metadata/name")),
    }
}

/// deploymentRevision: the ReplicaSet of `to_revision`, or (0) of the revision before the latest.
fn rollback_target(deployment: &Value, sets: &[Value], to_revision: i64) -> Result<Value, String> {
    let (old, new) = split_replica_sets(deployment, sets);
    let all: Vec<&Value> = old.into_iter().chain(new).collect();
    let numbered: Vec<(i64, &Value)> = all
        .into_iter()
        .filter_map(|rs| {
            let text = rs
                .pointer("/metadata/annotations")?
                .get(REVISION)?
                .as_str()?;
            Some((text.parse::<i64>().ok()?, rs))
        })
        .collect();
    if to_revision > 0 {
        return numbered
            .iter()
            .find(|(r, _)| *r == to_revision)
            .map(|(_, rs)| (*rs).clone())
            .ok_or(format!(
                "error: unable to find specified revision {to_revision} in history"
            ));
    }
    let mut sorted = numbered;
    sorted.sort_by_key(|(r, _)| std::cmp::Reverse(*r));
    sorted.get(1).map(|(_, rs)| (*rs).clone()).ok_or(format!(
        "error: no rollout history found for deployment \"{}\"",
        str_at(deployment, "/metadata/name")
    ))
}

/// `rollout undo [--to-revision=N]` (DeploymentRollbacker.Rollback): a JSON patch puts the
/// chosen revision's template and annotations back.
fn undo(args: &Args, deployment: &Value, env: &mut Env) -> Result<(), String> {
    let to_revision = match args.flag("to-revision") {
        Some(r) => r
            .parse::<i64>()
            .map_err(|_| format!("error: invalid argument \"{r}\" for \"--to-revision\" flag"))?,
        None => 0,
    };
    if deployment.pointer("/spec/paused") == Some(&Value::Bool(true)) {
        return Err("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again".into());
    }
    let sets = replica_sets(deployment, env)?;
    let target = rollback_target(deployment, &sets, to_revision)?;
    let label = object_name_of(deployment);
    let template = target
        .pointer("/spec/template")
        .cloned()
        .unwrap_or(json!({}));
    let current = deployment.pointer("/spec/template").unwrap_or(&Value::Null);
    if same_template_ignoring_hash(&template, current) {
        let revision = if to_revision > 0 {
            to_revision
        } else {
            revision_of(&target)
        };
        env.out.print(format!(
            "{label} skipped rollback (current template already matches revision {revision})"
        ));
        return Ok(());
    }
    let patch = json!([
        {"op": "replace", "path": "/spec/template", "value": without_hash_label(template)},
        {"op": "replace", "path": "/metadata/annotations", "value": rollback_annotations(deployment, &target)},
    ]);
    // DeploymentRollbacker sends no fieldManager: the server names the manager from kubectl's
    // user agent (`kubectl`).
    send_patch(deployment, PatchType::Json, patch, None, env).map_err(|e| {
        format!(
            "error: failed restoring revision {}: {e}",
            revision_of(&target)
        )
    })?;
    env.out.print(format!("{label} rolled back"));
    Ok(())
}

fn without_hash_label(mut template: Value) -> Value {
    if let Some(labels) = template
        .pointer_mut("/metadata/labels")
        .and_then(Value::as_object_mut)
    {
        labels.remove(POD_TEMPLATE_HASH);
    }
    template
}

/// The deployment's own skipped annotations, then the ReplicaSet's other ones.
fn rollback_annotations(deployment: &Value, rs: &Value) -> Value {
    let mut out = Map::new();
    let empty = Map::new();
    let of = |v: &Value| {
        v.pointer("/metadata/annotations")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_else(|| empty.clone())
    };
    for (k, v) in of(deployment) {
        if ANNOTATIONS_TO_SKIP.contains(&k.as_str()) {
            out.insert(k, v);
        }
    }
    for (k, v) in of(rs) {
        if !ANNOTATIONS_TO_SKIP.contains(&k.as_str()) {
            out.insert(k, v);
        }
    }
    Value::Object(out)
}

/// `rollout restart` (objectrestarter.go): the template gets `kubectl.kubernetes.io/restartedAt`
/// (time.RFC3339), sent as a strategic merge patch.
fn restart(args: &Args, deployment: &Value, env: &mut Env) -> Result<(), String> {
    if deployment.pointer("/spec/paused") == Some(&Value::Bool(true)) {
        return Err(format!(
            "error: deployments.apps \"{}\" can't restart paused deployment (run rollout resume first)",
            str_at(deployment, "/metadata/name")
        ));
    }
    let now = env.now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let patch = json!({"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: now}}}}});
    send_patch(
        deployment,
        PatchType::Strategic,
        patch,
        Some(field_manager(args)),
        env,
    )
    .map_err(|e| format!("error: failed to patch: {e}"))?;
    env.out
        .print(format!("{} restarted", object_name_of(deployment)));
    Ok(())
}

/// `rollout pause|resume` (objectpauser.go, objectresumer.go): a strategic merge patch of
/// `spec.paused`, refused when there is nothing to change.
fn set_paused(args: &Args, deployment: &Value, paused: bool, env: &mut Env) -> Result<(), String> {
    let is_paused = deployment.pointer("/spec/paused") == Some(&Value::Bool(true));
    let name = str_at(deployment, "/metadata/name");
    if is_paused == paused {
        let state = if paused {
            "is already paused"
        } else {
            "is not paused"
        };
        return Err(format!("error: deployments.apps \"{name}\" {state}"));
    }
    // The resumed object's `paused: false` is omitted, so the computed patch removes the field.
    let value = if paused { json!(true) } else { Value::Null };
    let patch = json!({"spec": {"paused": value}});
    send_patch(
        deployment,
        PatchType::Strategic,
        patch,
        Some(field_manager(args)),
        env,
    )
    .map_err(|e| format!("error: failed to patch: {e}"))?;
    let done = if paused { "paused" } else { "resumed" };
    env.out
        .print(format!("{} {done}", object_name_of(deployment)));
    Ok(())
}

/// `--field-manager` of rollout restart, pause and resume (AddFieldManagerFlagVar, default
/// `kubectl-rollout`), sent as the patch's `fieldManager`.
fn field_manager(args: &Args) -> String {
    args.flag("field-manager")
        .filter(|m| !m.is_empty())
        .unwrap_or("kubectl-rollout")
        .to_string()
}

fn send_patch(
    deployment: &Value,
    kind: PatchType,
    patch: Value,
    manager: Option<String>,
    env: &mut Env,
) -> Result<(), String> {
    let info = by_plural("apps", "deployments").ok_or("the server could not find deployments")?;
    let ns = str_at(deployment, "/metadata/namespace").to_string();
    let mut req = env
        .request(Verb::Patch(kind), info, Some(&ns))
        .name(str_at(deployment, "/metadata/name"))
        .body(patch);
    req.field_manager = manager;
    let resp = env.send(req);
    if resp.is_success() {
        Ok(())
    } else {
        // The Go error's text: the Status message, without kubectl's "Error from server" prefix.
        Err(str_at(&resp.body, "/message").to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(generation: i64, status: Value) -> Value {
        json!({
            "metadata": {"name": "web", "namespace": "default", "uid": "d-1",
                         "generation": generation, "annotations": {REVISION: "2"}},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "nginx", "image": "nginx:1.28"}]}}},
            "status": status
        })
    }

    fn text(d: &Value) -> String {
        status_step(d).text
    }

    #[test]
    fn status_messages_are_rollout_status_go_s() {
        assert_eq!(
            text(&deployment(2, json!({"observedGeneration": 1}))),
            "Waiting for deployment spec update to be observed...\n"
        );
        assert_eq!(
            text(&deployment(1, json!({"observedGeneration": 1, "updatedReplicas": 1}))),
            "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...\n"
        );
        let old_pending = json!({"observedGeneration": 1, "updatedReplicas": 3, "replicas": 4});
        assert_eq!(
            text(&deployment(1, old_pending)),
            "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...\n"
        );
        let unavailable = json!({"observedGeneration": 1, "updatedReplicas": 3, "replicas": 3});
        assert_eq!(
            text(&deployment(1, unavailable)),
            "Waiting for deployment \"web\" rollout to finish: 0 of 3 updated replicas are available...\n"
        );
        let done = json!({"observedGeneration": 1, "updatedReplicas": 3, "replicas": 3,
                          "availableReplicas": 3});
        let step = status_step(&deployment(1, done));
        assert_eq!(step.text, "deployment \"web\" successfully rolled out\n");
        assert_eq!(step.exit_code, Some(0));
        let stalled = json!({"observedGeneration": 1, "conditions": [
            {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]});
        let step = status_step(&deployment(1, stalled));
        assert_eq!(
            step.text,
            "error: deployment \"web\" exceeded its progress deadline\n"
        );
        assert_eq!(step.exit_code, Some(1));
    }

    #[test]
    fn a_waiting_message_says_nothing_of_the_pods() {
        // deployment.md's stuck rollout: one new pod in ImagePullBackOff, and the watch prints
        // the viewer's message only.
        let d = deployment(
            1,
            json!({"observedGeneration": 1, "updatedReplicas": 1, "replicas": 4}),
        );
        assert_eq!(
            status_step(&d),
            WaitStep {
                text: "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...\n".to_string(),
                exit_code: None,
            }
        );
    }

    fn rs(name: &str, revision: &str, image: &str) -> Value {
        json!({
            "metadata": {"name": name, "uid": name, "creationTimestamp": "2026-11-21T14:00:00Z",
                         "annotations": {REVISION: revision, "team": "a"},
                         "ownerReferences": [{"uid": "d-1", "controller": true}]},
            "spec": {"replicas": 0,
                     "template": {"metadata": {"labels": {"app": "web", POD_TEMPLATE_HASH: name}},
                                  "spec": {"containers": [{"name": "nginx", "image": image}]}}}
        })
    }

    #[test]
    fn undo_goes_to_the_revision_before_the_latest() {
        let d = deployment(1, json!({}));
        let sets = [
            rs("a", "1", "nginx:1.26"),
            rs("c", "3", "nginx:1.28"),
            rs("b", "2", "nginx:1.27"),
        ];
        let target = rollback_target(&d, &sets, 0).unwrap_or_default();
        assert_eq!(str_at(&target, "/metadata/name"), "b");
        let target = rollback_target(&d, &sets, 1).unwrap_or_default();
        assert_eq!(str_at(&target, "/metadata/name"), "a");
        assert_eq!(
            rollback_target(&d, &sets, 7),
            Err("error: unable to find specified revision 7 in history".to_string())
        );
        assert_eq!(
            rollback_target(&d, &sets[..1], 0),
            Err("error: no rollout history found for deployment \"web\"".to_string())
        );
        // The deployment keeps its own revision; the ReplicaSet's other annotations come back.
        assert_eq!(
            rollback_annotations(&d, &sets[0]),
            json!({REVISION: "2", "team": "a"})
        );
    }

    #[test]
    fn history_is_a_revision_and_change_cause_table() {
        let mut second = rs("b", "2", "nginx:1.27");
        second["metadata"]["annotations"][CHANGE_CAUSE] = json!("kubectl set image");
        let history = [(1, rs("a", "1", "nginx:1.26")), (2, second)];
        assert_eq!(
            history_table(&history),
            "REVISION  CHANGE-CAUSE\n1         <none>\n2         kubectl set image\n"
        );
    }

    #[test]
    fn daemon_set_and_stateful_set_status_read_as_their_viewers_print() {
        let ds = |generation: i64, observed: i64, updated: i64, available: i64| {
            serde_json::json!({"kind": "DaemonSet", "metadata": {"name": "fluentd", "generation": generation},
                "spec": {"updateStrategy": {"type": "RollingUpdate"}},
                "status": {"observedGeneration": observed, "desiredNumberScheduled": 3,
                    "updatedNumberScheduled": updated, "numberAvailable": available}})
        };
        let text = |v: &Value| status_step(v).text;
        assert_eq!(
            text(&ds(2, 1, 3, 3)),
            "Waiting for daemon set spec update to be observed...\n"
        );
        assert_eq!(
            text(&ds(2, 2, 1, 3)),
            "Waiting for daemon set \"fluentd\" rollout to finish: 1 out of 3 new pods have been updated...\n"
        );
        assert_eq!(
            text(&ds(2, 2, 3, 2)),
            "Waiting for daemon set \"fluentd\" rollout to finish: 2 of 3 updated pods are available...\n"
        );
        assert_eq!(status_step(&ds(2, 2, 3, 3)).exit_code, Some(0));
        let mut on_delete = ds(1, 1, 3, 3);
        on_delete["spec"]["updateStrategy"]["type"] = "OnDelete".into();
        assert_eq!(
            status_step(&on_delete),
            WaitStep {
                text: "error: rollout status is only available for RollingUpdate strategy type\n"
                    .into(),
                exit_code: Some(1)
            }
        );
        // The API server defaults a StatefulSet's rollingUpdate.partition to 0, so a finished one
        // reads as a partitioned roll out.
        let sts = serde_json::json!({"kind": "StatefulSet", "metadata": {"name": "web", "generation": 1},
            "spec": {"replicas": 2, "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}},
            "status": {"observedGeneration": 1, "readyReplicas": 2, "updatedReplicas": 2}});
        assert_eq!(
            text(&sts),
            "partitioned roll out complete: 2 new pods have been updated...\n"
        );
        let mut starting = sts.clone();
        starting["status"]["readyReplicas"] = 1.into();
        assert_eq!(text(&starting), "Waiting for 1 pods to be ready...\n");
    }
}
