//! The pod status the kubelet reports (pkg/kubelet/kubelet_pods.go generateAPIPodStatus,
//! convertToAPIContainerStatuses and getPhase; pkg/kubelet/status/generate.go for the
//! conditions): computed from the runtime's containers, what the kubelet remembers across
//! restarts (restart counts, the last termination) and its reason cache (why a container could
//! not start: CrashLoopBackOff, ErrImagePull, ImagePullBackOff).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::cri::{ContainerState, Runtime};
use crate::apiserver::timestamp;
use crate::sim::Millis;

/// What the kubelet remembers about one container of a pod.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContainerRecord {
    /// The runtime id of the newest container created for it.
    pub current: Option<String>,
    pub restart_count: i64,
    /// `lastState.terminated` of the container before the current one (kept when the container
    /// garbage collector has removed that container).
    pub last_terminated: Option<Value>,
}

/// The kubelet's view of a pod that the status is generated from.
pub struct PodView<'a> {
    pub pod: &'a Value,
    pub records: &'a BTreeMap<String, ContainerRecord>,
    /// The reason cache: container name → (reason, message) of its last failed start.
    pub reasons: &'a BTreeMap<String, (String, String)>,
    pub ip: Option<&'a str>,
    /// Whether the pod's sandbox is up (PodReadyToStartContainers).
    pub sandbox_ready: bool,
    pub started_at: Millis,
    pub host_ip: &'a str,
    /// The pod's probe workers: startup gates `started`, readiness `ready`.
    pub probes: &'a [super::prober::ProbeWorker],
}

/// Whether the init container `spec` is a sidecar (`restartPolicy: Always`).
pub fn is_sidecar(spec: &Value) -> bool {
    str_at(spec, "/restartPolicy") == "Always"
}

/// prober_manager.go UpdatePodStatus for a running container: started once its startup probe
/// succeeded (at once without one); ready once started and its readiness probe succeeded (at
/// once without one).
fn started_and_ready(view: &PodView, name: &str, id: &str) -> (bool, bool) {
    use super::prober::ProbeKind;
    let worker = |kind: ProbeKind| {
        view.probes
            .iter()
            .find(|p| p.container == name && p.kind == kind)
    };
    let started = worker(ProbeKind::Startup).is_none_or(|p| p.result_for(id) == Some(true));
    let ready =
        started && worker(ProbeKind::Readiness).is_none_or(|p| p.result_for(id) == Some(true));
    (started, ready)
}

use crate::unstructured::str_at;

/// The pod's init containers, in order.
pub fn init_containers_of(pod: &Value) -> Vec<Value> {
    pod.pointer("/spec/initContainers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// Init containers then app containers: the order the kubelet starts them in, with whether
/// each is an init container.
pub fn all_containers_of(pod: &Value) -> Vec<(bool, Value)> {
    let init = init_containers_of(pod).into_iter().map(|c| (true, c));
    init.chain(containers_of(pod).into_iter().map(|c| (false, c)))
        .collect()
}

/// Whether an init container that exited with `exit_code` runs again: only after a failure,
/// and not under restartPolicy Never.
pub fn should_restart_init(pod: &Value, exit_code: i32) -> bool {
    exit_code != 0
        && should_restart(pod, exit_code)
        && str_at(pod, "/spec/restartPolicy") != "Never"
}

pub fn containers_of(pod: &Value) -> Vec<Value> {
    pod.pointer("/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// `ShouldContainerBeRestarted` (pkg/kubelet/container/helpers.go) for a container that exited
/// with `exit_code`: never once the pod is being deleted; by the pod's restartPolicy otherwise.
pub fn should_restart(pod: &Value, exit_code: i32) -> bool {
    if pod
        .pointer("/metadata/deletionTimestamp")
        .is_some_and(|d| !d.is_null())
    {
        return false;
    }
    match str_at(pod, "/spec/restartPolicy") {
        "Never" => false,
        "OnFailure" => exit_code != 0,
        _ => true,
    }
}

/// The `terminated` state of an exited container, as the API shows it.
pub fn terminated(id: &str, state: &ContainerState) -> Option<Value> {
    let ContainerState::Exited {
        started_at,
        finished_at,
        exit_code,
        reason,
        message,
    } = state
    else {
        return None;
    };
    let mut ended = json!({
        "containerID": format!("containerd://{id}"),
        "exitCode": exit_code,
        "finishedAt": timestamp(*finished_at),
        "reason": reason,
        "startedAt": timestamp(*started_at),
    });
    if !message.is_empty() {
        ended["message"] = json!(message);
    }
    Some(ended)
}

/// One entry of `status.containerStatuses` (or `initContainerStatuses` when `init`);
/// `default_waiting` is why a container not created yet waits (`ContainerCreating`, or
/// `PodInitializing` in a pod with init containers).
fn container_status(
    view: &PodView,
    spec: &Value,
    rt: &Runtime,
    now: Millis,
    init: bool,
    default_waiting: &str,
) -> Value {
    let name = str_at(spec, "/name").to_string();
    let record = view.records.get(&name).cloned().unwrap_or_default();
    let runtime_container = record.current.as_deref().and_then(|id| rt.container(id));
    let image = str_at(spec, "/image");
    let image_info = runtime_container.and_then(|_| rt.image(image));
    let last_state = record
        .last_terminated
        .clone()
        .map_or(json!({}), |t| json!({"terminated": t}));
    let mut s = json!({
        "image": image_info.map_or(image.to_string(), |i| i.reference.clone()),
        "imageID": image_info.map(|i| i.digest_ref.clone()).unwrap_or_default(),
        "lastState": last_state,
        "name": name,
        "ready": false,
        "restartCount": record.restart_count,
        "started": false,
    });
    let cached_reason = view.reasons.get(&name);
    let waiting = |reason: &str, message: &str| {
        if message.is_empty() {
            json!({"waiting": {"reason": reason}})
        } else {
            json!({"waiting": {"message": message, "reason": reason}})
        }
    };
    match runtime_container.map(|c| (c.id.as_str(), c.state(now))) {
        Some((id, ContainerState::Running { started_at })) => {
            s["containerID"] = json!(format!("containerd://{id}"));
            s["state"] = json!({"running": {"startedAt": timestamp(started_at)}});
            // An init container is ready once it has completed, not while it runs; a sidecar
            // as an app container is.
            let (started, ready) = started_and_ready(view, &name, id);
            s["ready"] = json!((!init || is_sidecar(spec)) && ready);
            s["started"] = json!(started);
        }
        Some((id, state @ ContainerState::Exited { exit_code, .. })) => {
            s["containerID"] = json!(format!("containerd://{id}"));
            let ended = terminated(id, &state).unwrap_or_default();
            let restarts = if init {
                should_restart_init(view.pod, exit_code)
            } else {
                should_restart(view.pod, exit_code)
            };
            if init && exit_code == 0 {
                s["ready"] = json!(true);
            }
            match cached_reason {
                // A container that will be restarted is Waiting, with the reason it is not yet.
                Some((reason, message)) if restarts => {
                    s["lastState"] = json!({"terminated": ended});
                    s["state"] = waiting(reason, message);
                }
                _ => s["state"] = json!({"terminated": ended}),
            }
        }
        _ => {
            s["state"] = match cached_reason {
                Some((reason, message)) => waiting(reason, message),
                None => waiting(default_waiting, ""),
            };
        }
    }
    s
}

/// getPhase: Pending while a container waits to start for the first time; Running while one
/// runs (or, under restartPolicy Always, or OnFailure after a failure, all are restarting);
/// Succeeded or Failed once all have terminated for good.
pub fn phase(pod: &Value, statuses: &[Value], init_statuses: &[Value]) -> &'static str {
    let (mut pending_init, mut failed_init) = (0, 0);
    let init_specs = init_containers_of(pod);
    for (i, s) in init_statuses.iter().enumerate() {
        let exit = |p: &str| s.pointer(p).and_then(Value::as_i64);
        if init_specs.get(i).is_some_and(is_sidecar) {
            // A sidecar is initialized once it has started (getPhase: restartable init
            // containers count as pending only until then).
            if s.get("started") != Some(&json!(true))
                && s.pointer("/lastState/terminated").is_none()
            {
                pending_init += 1;
            }
            continue;
        }
        if s.pointer("/state/running").is_some() {
            pending_init += 1;
        } else if s.pointer("/state/terminated").is_some() {
            failed_init += usize::from(exit("/state/terminated/exitCode") != Some(0));
        } else if s.pointer("/lastState/terminated").is_some() {
            failed_init += usize::from(exit("/lastState/terminated/exitCode") != Some(0));
        } else {
            pending_init += 1;
        }
    }
    if failed_init > 0 && str_at(pod, "/spec/restartPolicy") == "Never" {
        return "Failed";
    }
    if pending_init > 0 {
        return "Pending";
    }
    let (mut running, mut waiting, mut stopped, mut succeeded, mut unknown) = (0, 0, 0, 0, 0);
    for s in statuses {
        if s.pointer("/state/running").is_some() {
            running += 1;
        } else if let Some(t) = s.pointer("/state/terminated") {
            stopped += 1;
            if t.get("exitCode").and_then(Value::as_i64) == Some(0) {
                succeeded += 1;
            }
        } else if s.pointer("/state/waiting").is_some() {
            if s.pointer("/lastState/terminated").is_some() {
                stopped += 1;
            } else {
                waiting += 1;
            }
        } else {
            unknown += 1;
        }
    }
    let policy = str_at(pod, "/spec/restartPolicy");
    if waiting > 0 {
        "Pending"
    } else if running > 0 && unknown == 0 {
        "Running"
    } else if running == 0 && stopped > 0 && unknown == 0 {
        if policy == "Always" || policy.is_empty() {
            "Running"
        } else if stopped == succeeded {
            "Succeeded"
        } else if policy == "Never" {
            "Failed"
        } else {
            "Running"
        }
    } else {
        "Pending"
    }
}

fn condition(
    kind: &str,
    ok: bool,
    since: Value,
    generation: &Value,
    reason: Option<(&str, String)>,
) -> Value {
    let mut c = json!({"type": kind, "status": if ok { "True" } else { "False" }, "lastProbeTime": null, "lastTransitionTime": since, "observedGeneration": generation});
    if let (false, Some((r, m))) = (ok, reason) {
        c["reason"] = json!(r);
        if !m.is_empty() {
            c["message"] = json!(m);
        }
    }
    c
}

/// Why Ready and ContainersReady are False (GenerateContainersReadyCondition): a terminal
/// pod is PodCompleted or PodFailed; otherwise the unready containers are listed.
fn not_ready_reason(phase: &str, not_ready: &[String]) -> (&'static str, String) {
    match phase {
        "Succeeded" => ("PodCompleted", String::new()),
        "Failed" => ("PodFailed", String::new()),
        _ => (
            "ContainersNotReady",
            format!("containers with unready status: [{}]", not_ready.join(" ")),
        ),
    }
}

/// The status the kubelet writes for the pod.
pub fn pod_status(view: &PodView, rt: &Runtime, now: Millis) -> Value {
    let pod = view.pod;
    let old = pod.get("status").cloned().unwrap_or(json!({}));
    let generation = pod
        .pointer("/metadata/generation")
        .cloned()
        .unwrap_or(json!(1));
    let inits = init_containers_of(pod);
    let default_waiting = if inits.is_empty() {
        "ContainerCreating"
    } else {
        "PodInitializing"
    };
    let init_statuses: Vec<Value> = inits
        .iter()
        .map(|c| container_status(view, c, rt, now, true, default_waiting))
        .collect();
    let statuses: Vec<Value> = containers_of(pod)
        .iter()
        .map(|c| container_status(view, c, rt, now, false, default_waiting))
        .collect();
    // A sidecar is initialized once started, another init container once it has completed.
    let incomplete: Vec<String> = init_statuses
        .iter()
        .zip(&inits)
        .filter(|(s, spec)| {
            let field = if is_sidecar(spec) { "started" } else { "ready" };
            s.get(field) != Some(&json!(true))
        })
        .map(|(s, _)| str_at(s, "/name").to_string())
        .collect();
    // GeneratePodInitializedCondition: every init container has completed (a terminal pod
    // keeps the condition it had).
    let initialized = incomplete.is_empty();
    // Sidecars count in the pod's readiness as app containers do.
    let sidecar_statuses = init_statuses
        .iter()
        .zip(&inits)
        .filter(|(_, spec)| is_sidecar(spec))
        .map(|(s, _)| s);
    let not_ready: Vec<String> = sidecar_statuses
        .chain(statuses.iter())
        .filter(|s| s.get("ready") != Some(&json!(true)))
        .map(|s| str_at(s, "/name").to_string())
        .collect();
    let phase = phase(pod, &statuses, &init_statuses);
    let keep_time = |kind: &str, ok: bool| -> Value {
        old.get("conditions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|c| str_at(c, "/type") == kind && (str_at(c, "/status") == "True") == ok)
            .and_then(|c| c.get("lastTransitionTime").cloned())
            .unwrap_or_else(|| json!(timestamp(now)))
    };
    let terminal = matches!(phase, "Succeeded" | "Failed");
    let ready = not_ready.is_empty() && !statuses.is_empty() && !terminal;
    let sandbox = view.sandbox_ready;
    let why = not_ready_reason(phase, &not_ready);
    let mut conditions = vec![
        condition(
            "PodReadyToStartContainers",
            sandbox,
            keep_time("PodReadyToStartContainers", sandbox),
            &generation,
            None,
        ),
        condition(
            "Initialized",
            initialized,
            keep_time("Initialized", initialized),
            &generation,
            Some((
                "ContainersNotInitialized",
                format!(
                    "containers with incomplete status: [{}]",
                    incomplete.join(" ")
                ),
            )),
        ),
        condition(
            "Ready",
            ready,
            keep_time("Ready", ready),
            &generation,
            Some((why.0, why.1.clone())),
        ),
        condition(
            "ContainersReady",
            ready,
            keep_time("ContainersReady", ready),
            &generation,
            Some(why),
        ),
    ];
    // Conditions the kubelet does not own (PodScheduled) stay, after its own.
    let owned = [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
    ];
    conditions.extend(
        old.get("conditions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|c| !owned.contains(&str_at(c, "/type")))
            .cloned(),
    );
    let mut status = json!({
        "conditions": conditions,
        "containerStatuses": statuses,
        "hostIP": view.host_ip,
        "hostIPs": [{"ip": view.host_ip}],
        "observedGeneration": generation,
        "phase": phase,
        "qosClass": old.get("qosClass").cloned().unwrap_or(json!("BestEffort")),
        "startTime": old.get("startTime").cloned().unwrap_or_else(|| json!(timestamp(view.started_at.min(now)))),
    });
    if !init_statuses.is_empty() {
        status["initContainerStatuses"] = json!(init_statuses);
    }
    if let Some(ip) = view.ip {
        status["podIP"] = json!(ip);
        status["podIPs"] = json!([{"ip": ip}]);
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(policy: &str) -> Value {
        json!({"metadata": {"name": "p"}, "spec": {"restartPolicy": policy, "containers": [{"name": "app"}]}})
    }

    #[test]
    fn phases_follow_get_phase() {
        let waiting = json!([{"state": {"waiting": {"reason": "ContainerCreating"}}}]);
        let failed = json!([{"state": {"terminated": {"exitCode": 1}}}]);
        let crash_loop = json!([{"state": {"waiting": {"reason": "CrashLoopBackOff"}}, "lastState": {"terminated": {"exitCode": 1}}}]);
        let done = json!([{"state": {"terminated": {"exitCode": 0}}}]);
        let as_vec = |v: Value| v.as_array().cloned().unwrap_or_default();
        assert_eq!(phase(&pod("Always"), &as_vec(waiting), &[]), "Pending");
        assert_eq!(
            phase(&pod("Always"), &as_vec(failed.clone()), &[]),
            "Running",
            "case k02: Status Running"
        );
        assert_eq!(phase(&pod("Always"), &as_vec(crash_loop), &[]), "Running");
        assert_eq!(phase(&pod("Never"), &as_vec(failed.clone()), &[]), "Failed");
        assert_eq!(phase(&pod("OnFailure"), &as_vec(failed), &[]), "Running");
        assert_eq!(
            phase(&pod("Never"), &as_vec(done.clone()), &[]),
            "Succeeded"
        );
        assert_eq!(phase(&pod("OnFailure"), &as_vec(done), &[]), "Succeeded");
    }

    #[test]
    fn restart_policy() {
        assert!(should_restart(&pod("Always"), 0));
        assert!(!should_restart(&pod("OnFailure"), 0));
        assert!(should_restart(&pod("OnFailure"), 2));
        assert!(!should_restart(&pod("Never"), 2));
        let mut deleting = pod("Always");
        deleting["metadata"]["deletionTimestamp"] = json!("2026-11-21T14:00:00Z");
        assert!(!should_restart(&deleting, 1));
    }
}
