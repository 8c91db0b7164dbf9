//! One pod worker's SyncPod round (pkg/kubelet/kubelet.go SyncPod and
//! kuberuntime/kuberuntime_manager.go SyncPod/computePodActions): write the status, mount the
//! volumes, create the sandbox, then go through the containers in order: leave running ones,
//! restart exited ones the restartPolicy restarts (unless in back-off: CrashLoopBackOff), make
//! sure the image is there (images/image_manager.go EnsureImageExists), create and start. The
//! round ends with a requeue (pod_workers.go completeWork): at once when something started (the
//! PLEG relists after a sync that acted), at the end of a back-off, or after the worker's error
//! back-off.

use serde_json::Value;

use super::cri::ContainerState;
use super::process::{Program, Setup};
use super::status::{
    all_containers_of, init_containers_of, is_sidecar, should_restart, should_restart_init,
    terminated,
};
use super::{csi, jitter, str_at, Kubelet, Round, Step};
use crate::client::Ctx;
use crate::sim::{Actor, Millis};

/// The pod worker's back-off after a failed sync (`backOffPeriod`).
const WORKER_BACKOFF: Millis = 10_000;
/// The longest a failed sync waits before it is retried (`resyncInterval`).
const RESYNC_INTERVAL: Millis = 60_000;
/// Mounting the pod's volumes (WaitForAttachAndMount).
const VOLUMES_MS: Millis = 100;
/// RunPodSandbox, until it returns: the pause container and the CNI ADD.
const SANDBOX_MS: Millis = 300;
/// Between one container operation and the next (events and CRI calls).
const STEP_MS: Millis = 20;

/// A Go `time.Duration` as `%v` prints whole seconds: `10s`, `1m20s`, `5m0s`.
pub fn go_duration(ms: Millis) -> String {
    let secs = ms / 1000;
    match (secs / 3600, secs % 3600 / 60, secs % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, m, s) => format!("{h}h{m}m{s}s"),
    }
}

/// A duration of whole milliseconds as Go's `time.Duration.String` prints it: `353ms`,
/// `1.5s`, `2s`, `1m2.5s` (the pull time of the Pulled event, truncated to the millisecond).
fn format_seconds(ms: Millis) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let fraction = format!(".{:03}", ms % 1000);
    let fraction = fraction.trim_end_matches('0').trim_end_matches('.');
    let secs = ms / 1000;
    match (secs / 3600, secs % 3600 / 60, secs % 60) {
        (0, 0, s) => format!("{s}{fraction}s"),
        (0, m, s) => format!("{m}m{s}{fraction}s"),
        (h, m, s) => format!("{h}h{m}m{s}{fraction}s"),
    }
}

/// `kubecontainer.GetPodFullName` with the uid, as events print a pod: `crasher_default(uid)`.
fn pod_full_name(pod: &Value) -> String {
    format!(
        "{}_{}({})",
        str_at(pod, "/metadata/name"),
        str_at(pod, "/metadata/namespace"),
        str_at(pod, "/metadata/uid")
    )
}

/// The image pull policy: as defaulted by the API server, else its defaulting rule.
fn pull_policy(container: &Value) -> String {
    match str_at(container, "/imagePullPolicy") {
        "" => {
            let image = str_at(container, "/image");
            let tag = image
                .rsplit('/')
                .next()
                .and_then(|last| last.split_once(':'))
                .map(|(_, t)| t);
            if tag.is_none_or(|t| t == "latest") && !image.contains('@') {
                "Always".into()
            } else {
                "IfNotPresent".into()
            }
        }
        p => p.to_string(),
    }
}

fn strings_at(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

impl Kubelet {
    /// The event's fieldPath for a container of the pod (`spec.containers{app}`, or
    /// `spec.initContainers{setup}`).
    pub(super) fn field_path(pod: &Value, name: &str) -> String {
        let init = init_containers_of(pod)
            .iter()
            .any(|c| str_at(c, "/name") == name);
        let list = if init { "initContainers" } else { "containers" };
        format!("spec.{list}{{{name}}}")
    }

    fn uid_of(&self, key: &str) -> String {
        self.workers
            .get(key)
            .map(|w| w.uid.clone())
            .unwrap_or_default()
    }

    /// SyncPod: the status first (generated from the runtime and the reason cache), then act.
    pub(super) fn sync_pod(&mut self, key: &str, pod: &Value, ctx: &mut Ctx) {
        let status = self.report_status(key, pod, ctx);
        let running: Vec<String> = self
            .running_containers(key, ctx.now)
            .into_iter()
            .map(|(_, id)| id)
            .collect();
        let Some(w) = self.workers.get_mut(key) else {
            return;
        };
        w.seen_running = running.into_iter().collect();
        w.round = Round::default();
        let phase = str_at(&status, "/phase").to_string();
        ctx.note(
            Actor::Kubelet(self.cfg.name.clone()),
            "SyncPod",
            format!("pod/{key}"),
            format!("status: phase {phase}; start what should run"),
        );
        if w.terminal {
            w.step = Step::Idle;
            w.due = Millis::MAX;
            return;
        }
        if phase == "Succeeded" || phase == "Failed" {
            self.terminate_finished_pod(key, pod, ctx);
            return;
        }
        if !w.volumes_ready {
            self.fetch_references(pod, ctx);
            let claim_mounts = match Self::claim_mounts(pod, ctx) {
                Ok(mounts) => mounts,
                Err(error) => {
                    // SyncPod returns WaitForAttachAndMount's error: FailedMount, and the pod
                    // worker retries after its back-off; no container starts.
                    let message = format!("Unable to attach or mount volumes: {error}");
                    self.recorder
                        .event(ctx, pod, None, "Warning", "FailedMount", &message);
                    let wait = jitter(ctx, WORKER_BACKOFF);
                    self.set(key, Step::Idle, ctx.now + wait);
                    return;
                }
            };
            let failed = csi::failed_mounts(pod, &self.env_inputs(pod));
            if !failed.is_empty() {
                for message in &failed {
                    self.recorder
                        .event(ctx, pod, None, "Warning", "FailedMount", message);
                }
                let failures = self.workers.get(key).map_or(1, |w| w.mount_failures + 1);
                if let Some(w) = self.workers.get_mut(key) {
                    w.mount_failures = failures;
                }
                self.set(key, Step::Idle, ctx.now + csi::mount_backoff(failures));
                return;
            }
            let Some(w) = self.workers.get_mut(key) else {
                return;
            };
            w.volumes_ready = true;
            w.mount_failures = 0;
            let node = self.name();
            for m in csi::mounts(pod).into_iter().chain(claim_mounts) {
                match &m.by_csi_driver {
                    Some(driver) => ctx.note(
                        Actor::Csi(node.clone()),
                        format!("NodePublishVolume ({driver})"),
                        format!("pod/{key}"),
                        m.message,
                    ),
                    None => ctx.note(
                        Actor::Kubelet(node.clone()),
                        "volume manager",
                        format!("pod/{key}"),
                        m.message,
                    ),
                }
            }
            self.set(key, Step::Sandbox, ctx.now + VOLUMES_MS + SANDBOX_MS);
        } else if !w.sandbox_ready {
            self.set(key, Step::Sandbox, ctx.now);
        } else {
            self.set(key, Step::Containers(0), ctx.now);
        }
    }

    /// A pod whose containers have all terminated for good (Succeeded or Failed): its sandbox is
    /// stopped and its IP released; the status keeps the IP.
    fn terminate_finished_pod(&mut self, key: &str, pod: &Value, ctx: &mut Ctx) {
        let uid = self.uid_of(key);
        let node = self.name();
        ctx.note(
            Actor::Kubelet(node.clone()),
            "StopPodSandbox",
            format!("pod/{key}"),
            "the pod has finished: stop its sandbox",
        );
        if let Some(ip) = self.ipam.del(&uid) {
            ctx.note_from(
                Actor::Cri(node.clone()),
                Actor::Cni(node),
                "CNI DEL",
                format!("pod/{key}"),
                format!("release {ip}"),
            );
        }
        if let Some(w) = self.workers.get_mut(key) {
            w.sandbox_ready = false;
            w.terminal = true;
        }
        let pod = self.current_pod(key).unwrap_or_else(|| pod.clone());
        self.report_status(key, &pod, ctx);
        self.set(key, Step::Idle, Millis::MAX);
    }

    /// RunPodSandbox returns: the pause container runs in a network namespace that the CNI
    /// plugin gave the pod's IP.
    pub(super) fn create_sandbox(&mut self, key: &str, pod: &Value, ctx: &mut Ctx) {
        let (node, object) = (self.name(), format!("pod/{key}"));
        let uid = str_at(pod, "/metadata/uid").to_string();
        ctx.note(
            Actor::Kubelet(node.clone()),
            "RunPodSandbox",
            object.clone(),
            "CRI: create the pod sandbox (pause container, network namespace)",
        );
        let Some(ip) = self.ipam.add(&uid) else {
            ctx.note(
                Actor::Cni(node.clone()),
                "ADD failed",
                object,
                "host-local: no IP addresses available in range set",
            );
            self.set(key, Step::Sandbox, ctx.now + 5_000);
            return;
        };
        ctx.note_from(
            Actor::Cri(node.clone()),
            Actor::Cni(node.clone()),
            "CNI ADD",
            object.clone(),
            format!("bridge + host-local IPAM for {}", self.cfg.pod_cidr),
        );
        ctx.note_from(
            Actor::Cni(node.clone()),
            Actor::Cri(node.clone()),
            format!("IP {ip}"),
            object.clone(),
            format!("{ip}/24 from podCIDR {}", self.cfg.pod_cidr),
        );
        self.node
            .borrow_mut()
            .runtime
            .run_pod_sandbox(&uid, ip.clone(), ctx.rng);
        ctx.note_from(
            Actor::Cri(node),
            Actor::Kubelet(self.cfg.name.clone()),
            "sandbox ready",
            object,
            format!("pod IP {ip}"),
        );
        if let Some(w) = self.workers.get_mut(key) {
            w.ip = Some(ip);
            w.sandbox_ready = true;
            w.round.acted = true;
        }
        // The PLEG sees the new sandbox: the pod's IP is reported before its containers start.
        self.report_status(key, pod, ctx);
        self.set(key, Step::Containers(0), ctx.now + STEP_MS);
    }

    /// Go through containers `i..` of init containers then app containers (computePodActions):
    /// init containers run one at a time, each to a successful end, before any app container;
    /// the first container to start sets the next step; when none is left, the round ends.
    pub(super) fn containers_from(&mut self, key: &str, pod: &Value, i: usize, ctx: &mut Ctx) {
        for (index, (init, spec)) in all_containers_of(pod).iter().enumerate().skip(i) {
            let name = str_at(spec, "/name").to_string();
            let current = self
                .workers
                .get(key)
                .and_then(|w| w.records.get(&name))
                .and_then(|r| r.current.clone());
            let state = current.as_deref().and_then(|id| {
                self.node
                    .borrow()
                    .runtime
                    .container(id)
                    .map(|c| c.state(ctx.now))
            });
            let sidecar = *init && is_sidecar(spec);
            if let (Some(ContainerState::Running { .. }), Some(id)) = (&state, current.as_deref()) {
                if let Some(kind) = self.failed_probe(key, &name, id) {
                    let id = id.to_string();
                    self.kill_for_probe(key, pod, index, spec, &id, kind, ctx);
                    return;
                }
            }
            // Whether to start it; else whether the containers after it wait for it.
            let (start, blocks) = match state {
                Some(ContainerState::Running { .. }) if sidecar => {
                    // A sidecar holds the next containers back until it has started.
                    let started = current
                        .as_deref()
                        .and_then(|id| {
                            self.probe_target(key, &name, ctx.now)
                                .filter(|t| t.container_id == id)
                        })
                        .is_some_and(|t| t.started);
                    (false, !started)
                }
                Some(ContainerState::Exited { finished_at, .. }) if sidecar => {
                    let deleting = pod
                        .pointer("/metadata/deletionTimestamp")
                        .is_some_and(|d| !d.is_null());
                    let start =
                        !deleting && !self.in_crash_backoff(key, pod, &name, finished_at, ctx);
                    (start, false)
                }
                Some(ContainerState::Running { .. } | ContainerState::Created) => (false, *init),
                Some(ContainerState::Exited {
                    exit_code,
                    finished_at,
                    ..
                }) => {
                    let restarts = if *init {
                        should_restart_init(pod, exit_code)
                    } else {
                        should_restart(pod, exit_code)
                    };
                    let done = *init && exit_code == 0;
                    let start = !done
                        && restarts
                        && !self.in_crash_backoff(key, pod, &name, finished_at, ctx);
                    (start, *init && !done)
                }
                None => (true, *init),
            };
            if start && self.ensure_image(key, pod, index, spec, ctx) {
                return;
            }
            if blocks || (start && sidecar) {
                break;
            }
        }
        self.end_round(key, ctx);
    }

    /// doBackOff (kuberuntime_manager.go): an exited container is not restarted before its
    /// back-off has passed since it finished: a BackOff event, CrashLoopBackOff in the reason
    /// cache, and a retry when the back-off ends. Otherwise the back-off grows for next time.
    fn in_crash_backoff(
        &mut self,
        key: &str,
        pod: &Value,
        name: &str,
        finished_at: Millis,
        ctx: &mut Ctx,
    ) -> bool {
        let backoff_key = format!("{}_{name}", self.uid_of(key));
        if !self
            .crash_backoff
            .is_in_backoff_since(&backoff_key, finished_at, ctx.now)
        {
            self.crash_backoff.next(&backoff_key, finished_at, ctx.now);
            return false;
        }
        let full = pod_full_name(pod);
        let message = format!("Back-off restarting failed container {name} in pod {full}");
        self.recorder.event(
            ctx,
            pod,
            Some(&Self::field_path(pod, name)),
            "Warning",
            "BackOff",
            &message,
        );
        let delay = self.crash_backoff.get(&backoff_key);
        let reason_message = format!(
            "back-off {} restarting failed container={name} pod={full}",
            go_duration(delay)
        );
        ctx.note(
            Actor::Kubelet(self.name()),
            "CrashLoopBackOff",
            format!("pod/{key}"),
            reason_message.clone(),
        );
        if let Some(w) = self.workers.get_mut(key) {
            w.reasons.insert(
                name.to_string(),
                ("CrashLoopBackOff".into(), reason_message),
            );
            let at = finished_at + delay;
            w.round.retry_at = Some(w.round.retry_at.map_or(at, |r| r.min(at)));
        }
        true
    }

    /// A container could not start for a reason that is not a back-off: record it in the reason
    /// cache and retry after the worker's back-off period.
    fn start_failed(&mut self, key: &str, name: &str, reason: &str, message: String, ctx: &Ctx) {
        if let Some(w) = self.workers.get_mut(key) {
            w.reasons
                .insert(name.to_string(), (reason.to_string(), message));
            let at = ctx.now + WORKER_BACKOFF;
            w.round.retry_at = Some(w.round.retry_at.map_or(at, |r| r.min(at)));
        }
    }

    /// EnsureImageExists; true when the worker moved on to pull or start this container.
    fn ensure_image(
        &mut self,
        key: &str,
        pod: &Value,
        i: usize,
        spec: &Value,
        ctx: &mut Ctx,
    ) -> bool {
        let (name, image) = (
            str_at(spec, "/name").to_string(),
            str_at(spec, "/image").to_string(),
        );
        let field_path = Self::field_path(pod, &name);
        let policy = pull_policy(spec);
        let present = self.node.borrow().runtime.image(&image).is_some();
        let found = if present {
            "present"
        } else {
            "not on the node"
        };
        ctx.note(
            self.cri(),
            "ImageStatus",
            format!("pod/{key}"),
            format!("{image}: {found} (imagePullPolicy {policy})"),
        );
        if present && policy != "Always" {
            let msg = format!("Container image \"{image}\" already present on machine and can be accessed by the pod");
            self.recorder
                .event(ctx, pod, Some(&field_path), "Normal", "Pulled", &msg);
            self.set(key, Step::Start(i), ctx.now + STEP_MS);
            return true;
        }
        if policy == "Never" {
            let msg =
                format!("Container image \"{image}\" is not present with pull policy of Never");
            self.recorder.event(
                ctx,
                pod,
                Some(&field_path),
                "Warning",
                "ErrImageNeverPull",
                &msg,
            );
            self.recorder.event(
                ctx,
                pod,
                Some(&field_path),
                "Warning",
                "Failed",
                "Error: ErrImageNeverPull",
            );
            self.start_failed(key, &name, "ErrImageNeverPull", msg, ctx);
            return false;
        }
        let backoff_key = format!("{}_{image}", self.uid_of(key));
        if self
            .image_backoff
            .is_in_backoff_since_update(&backoff_key, ctx.now)
        {
            let msg = format!("Back-off pulling image \"{image}\"");
            ctx.note(
                Actor::Kubelet(self.name()),
                "ImagePullBackOff",
                format!("pod/{key}"),
                format!(
                    "no pull before {}s have passed since the last failure",
                    self.image_backoff.get(&backoff_key) / 1000
                ),
            );
            self.recorder
                .event(ctx, pod, Some(&field_path), "Normal", "BackOff", &msg);
            self.recorder.event(
                ctx,
                pod,
                Some(&field_path),
                "Warning",
                "Failed",
                "Error: ImagePullBackOff",
            );
            let detail = match self.pull_errors.get(&backoff_key) {
                Some(previous) => format!("{msg}: {previous}"),
                None => msg,
            };
            self.start_failed(key, &name, "ImagePullBackOff", detail, ctx);
            return false;
        }
        self.recorder.event(
            ctx,
            pod,
            Some(&field_path),
            "Normal",
            "Pulling",
            &format!("Pulling image \"{image}\""),
        );
        ctx.note(self.cri(), "PullImage", format!("pod/{key}"), image.clone());
        let result = self.node.borrow_mut().runtime.pull(&image);
        match result {
            Ok((_, ms)) => {
                self.set(key, Step::Pulling(i), ctx.now + ms);
                if let Some(w) = self.workers.get_mut(key) {
                    w.round.pull_started = ctx.now;
                }
                true
            }
            Err(e) => {
                // The CRI's gRPC status wraps containerd's error.
                let err = format!("rpc error: code = Unknown desc = {e}");
                self.recorder.event(
                    ctx,
                    pod,
                    Some(&field_path),
                    "Warning",
                    "Failed",
                    &format!("Failed to pull image \"{image}\": {err}"),
                );
                self.image_backoff.next(&backoff_key, ctx.now, ctx.now);
                self.pull_errors.insert(backoff_key, err.clone());
                self.recorder.event(
                    ctx,
                    pod,
                    Some(&field_path),
                    "Warning",
                    "Failed",
                    "Error: ErrImagePull",
                );
                self.start_failed(key, &name, "ErrImagePull", err, ctx);
                false
            }
        }
    }

    /// The pull finished: the Pulled event, then create and start.
    pub(super) fn pulled(&mut self, key: &str, pod: &Value, i: usize, ctx: &mut Ctx) {
        let spec = all_containers_of(pod)
            .get(i)
            .map(|(_, c)| c.clone())
            .unwrap_or_default();
        let image = str_at(&spec, "/image").to_string();
        let size = self
            .node
            .borrow()
            .runtime
            .image(&image)
            .map_or(0, |i| i.size_bytes);
        let took = self
            .workers
            .get(key)
            .map_or(0, |w| ctx.now.saturating_sub(w.round.pull_started));
        let secs = format_seconds(took);
        let msg = format!("Successfully pulled image \"{image}\" in {secs} ({secs} including waiting). Image size: {size} bytes.");
        self.recorder.event(
            ctx,
            pod,
            Some(&Self::field_path(pod, str_at(&spec, "/name"))),
            "Normal",
            "Pulled",
            &msg,
        );
        self.set(key, Step::Start(i), ctx.now + STEP_MS);
    }

    /// CreateContainer and StartContainer; the container's restart count is one more than the
    /// instance it replaces, whose end becomes `lastState`.
    pub(super) fn start_container(&mut self, key: &str, pod: &Value, i: usize, ctx: &mut Ctx) {
        let Some(spec) = all_containers_of(pod).get(i).map(|(_, c)| c.clone()) else {
            self.end_round(key, ctx);
            return;
        };
        let (name, image) = (
            str_at(&spec, "/name").to_string(),
            str_at(&spec, "/image").to_string(),
        );
        let field_path = Self::field_path(pod, &name);
        let node = self.name();
        let uid = self.uid_of(key);
        let hostname = super::probing::pod_hostname(pod);
        let cpus = self.cfg.cpu.parse::<u32>().unwrap_or(2);
        self.services.sync(ctx);
        self.fetch_references(pod, ctx);
        let inputs = self.env_inputs(pod);
        // generateContainerConfig: the environment first; a missing reference fails the start.
        if let Err(e) = super::env::make_environment(pod, &spec, &inputs) {
            self.recorder.event(
                ctx,
                pod,
                Some(&field_path),
                "Warning",
                "Failed",
                &format!("Error: {e}"),
            );
            self.start_failed(key, &name, "CreateContainerConfigError", e, ctx);
            self.set(key, Step::Containers(i + 1), ctx.now);
            if init_containers_of(pod).len() > i {
                self.end_round(key, ctx);
            }
            return;
        }
        let setup = Setup {
            hostname: hostname.clone(),
            cpus,
            vars: super::env::runtime_env(pod, &spec, &inputs),
            files: super::csi::container_files(pod, &spec, &inputs, &hostname),
        };
        let program = Program::with_setup(
            &strings_at(&spec, "command"),
            &strings_at(&spec, "args"),
            &image,
            &setup,
        )
        .limited_by(&spec);
        let argv = program.argv.join(" ");
        let record = self
            .workers
            .get(key)
            .and_then(|w| w.records.get(&name))
            .cloned()
            .unwrap_or_default();
        let previous = record.current.as_deref().and_then(|id| {
            let node = self.node.borrow();
            let c = node.runtime.container(id)?;
            terminated(id, &c.state(ctx.now))
        });
        let restart_count = if record.current.is_some() {
            record.restart_count + 1
        } else {
            record.restart_count
        };
        let id = self.node.borrow_mut().runtime.create_container(
            &uid,
            &name,
            &image,
            program,
            restart_count,
            ctx.now,
            ctx.rng,
        );
        ctx.note(
            Actor::Cri(node.clone()),
            "CreateContainer",
            format!("pod/{key}"),
            format!("{name} ({image}): {argv}"),
        );
        self.recorder.event(
            ctx,
            pod,
            Some(&field_path),
            "Normal",
            "Created",
            "Container created",
        );
        self.node.borrow_mut().runtime.start_container(&id, ctx.now);
        ctx.note(
            Actor::Cri(node.clone()),
            "StartContainer",
            format!("pod/{key}"),
            format!("{name}: containerd://{id}"),
        );
        self.recorder.event(
            ctx,
            pod,
            Some(&field_path),
            "Normal",
            "Started",
            "Container started",
        );
        if let Some(w) = self.workers.get_mut(key) {
            let r = w.records.entry(name.clone()).or_default();
            r.current = Some(id.clone());
            r.restart_count = restart_count;
            if previous.is_some() {
                r.last_terminated = previous;
            }
            w.reasons.remove(&name);
            w.round.acted = true;
        }
        // The postStart hook holds the worker; then it looks at the same container again: an init
        // container that now runs holds the rest back.
        if let Some(at) = self.post_start(key, pod, i, &spec, &id, ctx) {
            self.set(key, Step::Containers(i), at);
        }
    }

    /// completeWork: after a round that started something the PLEG relists at once (and the
    /// next sync reports it); after a failure the pod is retried when its back-off ends (at most
    /// a resync interval away), with jitter; otherwise it waits for the PLEG.
    fn end_round(&mut self, key: &str, ctx: &mut Ctx) {
        let Some(round) = self
            .workers
            .get_mut(key)
            .map(|w| std::mem::take(&mut w.round))
        else {
            return;
        };
        if round.acted {
            self.set(key, Step::Sync, ctx.now + 1);
            return;
        }
        match round.retry_at {
            Some(at) => {
                let wait = at.saturating_sub(ctx.now).min(RESYNC_INTERVAL);
                let wait = jitter(ctx, wait);
                self.set(key, Step::Idle, ctx.now + wait);
            }
            None => self.set(key, Step::Idle, Millis::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_as_go_prints_them() {
        assert_eq!(go_duration(10_000), "10s");
        assert_eq!(go_duration(80_000), "1m20s");
        assert_eq!(go_duration(300_000), "5m0s");
        assert_eq!(format_seconds(353), "353ms");
        assert_eq!(format_seconds(0), "0s");
        assert_eq!(format_seconds(62_500), "1m2.5s");
        assert_eq!(format_seconds(1234), "1.234s");
        assert_eq!(format_seconds(1500), "1.5s");
        assert_eq!(format_seconds(2000), "2s");
        assert_eq!(crate::kubelet::backoff::INITIAL, 10_000);
    }

    #[test]
    fn pull_policy_defaults() {
        assert_eq!(pull_policy(&json!({"image": "nginx"})), "Always");
        assert_eq!(pull_policy(&json!({"image": "nginx:latest"})), "Always");
        assert_eq!(
            pull_policy(&json!({"image": "localhost:5000/app"})),
            "Always"
        );
        assert_eq!(
            pull_policy(&json!({"image": "doesnotexist:1.0"})),
            "IfNotPresent"
        );
        assert_eq!(
            pull_policy(&json!({"image": "x", "imagePullPolicy": "Never"})),
            "Never"
        );
    }
}
