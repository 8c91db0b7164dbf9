//! The kubelet's side of the probes: the probe workers tick (prober/worker.go run and
//! doProbe), run their probe in the node's runtime (prober.go runProbe: exec through the CRI's
//! ExecSync, the network probes against what the container listens on), record `Unhealthy`
//! events, write the status when readiness moves (status_manager SetContainerReadiness), and
//! ask the pod worker to sync when a liveness or startup probe fails; the sync then kills the
//! container (kuberuntime_manager.go computePodActions, killContainer) and restarts it.

use serde_json::Value;

use super::cri::ContainerState;
use super::prober::{network_probe, Action, Effect, Outcome, ProbeKind, Target};
use super::status::all_containers_of;
use super::{str_at, Kubelet, Step};
use crate::client::Ctx;
use crate::sim::{Actor, Millis};

/// The pod's hostname (what the container's `hostname` prints).
pub(super) fn pod_hostname(pod: &Value) -> String {
    match str_at(pod, "/spec/hostname") {
        "" => str_at(pod, "/metadata/name").to_string(),
        h => h.to_string(),
    }
}

/// The spec of the container named `name` (app or init).
fn container_spec(pod: &Value, name: &str) -> Option<(bool, Value)> {
    all_containers_of(pod)
        .into_iter()
        .find(|(_, c)| str_at(c, "/name") == name)
}

impl Kubelet {
    /// The container a probe worker looks at, as the status shows it.
    pub(super) fn probe_target(&self, key: &str, container: &str, now: Millis) -> Option<Target> {
        let w = self.workers.get(key)?;
        let id = w.records.get(container)?.current.clone()?;
        let node = self.node.borrow();
        let running_since = match node.runtime.container(&id)?.state(now) {
            ContainerState::Running { started_at } => Some(started_at),
            _ => None,
        };
        let startup = w
            .probes
            .iter()
            .find(|p| p.container == container && p.kind == ProbeKind::Startup);
        let started =
            running_since.is_some() && startup.is_none_or(|p| p.result_for(&id) == Some(true));
        Some(Target {
            container_id: id,
            running_since,
            started,
        })
    }

    /// Whether the pod's probes should run: it runs and is not being deleted.
    fn probing(&self, key: &str, pod: &Value) -> bool {
        let deleting = pod
            .pointer("/metadata/deletionTimestamp")
            .is_some_and(|d| !d.is_null());
        self.workers.get(key).is_some_and(|w| {
            !w.terminal
                && w.sandbox_ready
                && !matches!(w.step, Step::Stopping { .. } | Step::Stopped | Step::Gone)
        }) && !deleting
    }

    /// The container of startup worker `i` has started: the status update that follows finds its
    /// readiness probe not run yet and triggers an immediate run (prober_manager.go
    /// UpdatePodStatus, `manualTriggerCh`), rather than leaving it to the next tick.
    fn trigger_readiness_after_startup(&mut self, key: &str, i: usize) {
        let Some(w) = self.workers.get_mut(key) else {
            return;
        };
        let Some(container) = w.probes.get(i).map(|p| p.container.clone()) else {
            return;
        };
        for p in w.probes.iter_mut() {
            if p.kind == ProbeKind::Readiness && p.container == container && p.result != Some(true)
            {
                p.triggered = true;
            }
        }
    }

    /// Run every probe whose tick has come; return the next tick of any pod still probed.
    pub(super) fn run_probes(&mut self, ctx: &mut Ctx) -> Option<Millis> {
        let keys: Vec<String> = self
            .workers
            .iter()
            .filter(|(_, w)| !w.probes.is_empty())
            .map(|(k, _)| k.clone())
            .collect();
        let mut next: Option<Millis> = None;
        for key in keys {
            let Some(pod) = self.current_pod(&key) else {
                continue;
            };
            if !self.probing(&key, &pod) {
                continue;
            }
            let count = self.workers.get(&key).map_or(0, |w| w.probes.len());
            let (mut readiness_moved, mut resync) = (false, false);
            for i in 0..count {
                let due = self
                    .workers
                    .get(&key)
                    .and_then(|w| w.probes.get(i))
                    .is_some_and(|p| p.next_at <= ctx.now || p.triggered);
                if !due {
                    continue;
                }
                let Some((kind, moved)) = self.probe_once(&key, &pod, i, ctx) else {
                    continue;
                };
                match kind {
                    ProbeKind::Readiness => readiness_moved |= moved,
                    ProbeKind::Startup => {
                        readiness_moved |= moved;
                        resync |= moved;
                        if moved {
                            self.trigger_readiness_after_startup(&key, i);
                        }
                    }
                    ProbeKind::Liveness => resync |= moved,
                }
            }
            if readiness_moved {
                self.report_status(&key, &pod, ctx);
            }
            if resync {
                if let Some(w) = self.workers.get_mut(&key) {
                    if w.step == Step::Idle {
                        w.step = Step::Sync;
                        w.due = ctx.now;
                    }
                }
            }
            let own_next = self
                .workers
                .get(&key)
                .and_then(|w| w.probes.iter().map(|p| p.next_at).min());
            next = match (next, own_next) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        next
    }

    /// One doProbe of probe worker `i`: returns its kind and whether its result moved.
    fn probe_once(
        &mut self,
        key: &str,
        pod: &Value,
        i: usize,
        ctx: &mut Ctx,
    ) -> Option<(ProbeKind, bool)> {
        let (container, kind) = {
            let p = self.workers.get(key)?.probes.get(i)?;
            (p.container.clone(), p.kind)
        };
        let target = self.probe_target(key, &container, ctx.now);
        let id = target.as_ref().map(|t| t.container_id.clone());
        let (before, run) = {
            let p = self.workers.get_mut(key)?.probes.get_mut(i)?;
            let before = id.as_deref().and_then(|id| p.result_for(id));
            let run = p.should_probe(target.as_ref(), ctx.now);
            (before, run)
        };
        let mut moved = false;
        if run {
            let outcome = self.run_probe(key, pod, &container, i, ctx);
            let field_path = Self::field_path(pod, &container);
            let p = self.workers.get_mut(key)?.probes.get_mut(i)?;
            match outcome {
                Outcome::Success => {
                    moved = p.record(true) == Effect::Changed;
                }
                Outcome::Failure(output) => {
                    moved = p.record(false) == Effect::Changed;
                    let message = format!("{} probe failed: {output}", kind.label());
                    self.recorder.event(
                        ctx,
                        pod,
                        Some(&field_path),
                        "Warning",
                        "Unhealthy",
                        &message,
                    );
                }
                Outcome::Error(err) => {
                    let message = format!(
                        "{} probe errored and resulted in unknown state: {err}",
                        kind.label()
                    );
                    self.recorder.event(
                        ctx,
                        pod,
                        Some(&field_path),
                        "Warning",
                        "Unhealthy",
                        &message,
                    );
                }
            }
        }
        let p = self.workers.get_mut(key)?.probes.get_mut(i)?;
        let after = id.as_deref().and_then(|id| p.result_for(id));
        p.advance(ctx.now);
        Some((kind, moved || before != after))
    }

    /// runProbe: exec through the runtime (the container's own environment and files), the
    /// others against the pod's IP.
    fn run_probe(
        &mut self,
        key: &str,
        pod: &Value,
        container: &str,
        i: usize,
        ctx: &mut Ctx,
    ) -> Outcome {
        let Some((spec, id, ip)) = self.workers.get(key).and_then(|w| {
            let spec = w.probes.get(i)?.spec.clone();
            let id = w.records.get(container)?.current.clone()?;
            Some((spec, id, w.ip.clone().unwrap_or_default()))
        }) else {
            return Outcome::Error("container not found".into());
        };
        let Some((_, container_spec)) = container_spec(pod, container) else {
            return Outcome::Error("container not found".into());
        };
        let image = str_at(&container_spec, "/image").to_string();
        let node = self.name();
        match &spec.action {
            Action::Exec(command) => {
                let exec_id = ctx.rng.hex(64);
                let vars = super::env::runtime_env(pod, &container_spec, &self.env_inputs(pod));
                ctx.note(
                    Actor::Kubelet(node.clone()),
                    "ExecSync (probe)",
                    format!("pod/{key}"),
                    format!("{container}: {}", command.join(" ")),
                );
                if let Some(timed_out) = exec_timeout(command, &image, spec.timeout_seconds) {
                    return Outcome::Failure(timed_out);
                }
                let result = self.node.borrow_mut().runtime.exec_sync(
                    &id,
                    command,
                    &pod_hostname(pod),
                    vars,
                    ctx.now,
                    &exec_id,
                );
                match result {
                    Ok(out) if out.exit_code == 0 => Outcome::Success,
                    Ok(out) => Outcome::Failure(format!("{}{}", out.stdout, out.stderr)),
                    Err(e) => Outcome::Error(format!("rpc error: code = Unknown desc = {e}")),
                }
            }
            action => {
                ctx.note(
                    Actor::Kubelet(node),
                    "probe",
                    format!("pod/{key}"),
                    format!("{container}: {action:?} at {ip}"),
                );
                let running_for = match self.node.borrow().runtime.container(&id) {
                    Some(c) => match c.state(ctx.now) {
                        super::cri::ContainerState::Running { started_at } => {
                            ctx.now.saturating_sub(started_at)
                        }
                        _ => 0,
                    },
                    None => 0,
                };
                if let Some(answer) =
                    super::prober::agnhost_liveness(action, &container_spec, running_for)
                {
                    return answer;
                }
                network_probe(action, &container_spec, &image, &ip)
            }
        }
    }

    /// Whether the running container `name` (runtime id `id`) failed its liveness or startup
    /// probe; the kind that failed.
    pub(super) fn failed_probe(&self, key: &str, name: &str, id: &str) -> Option<ProbeKind> {
        let w = self.workers.get(key)?;
        [ProbeKind::Liveness, ProbeKind::Startup]
            .into_iter()
            .find(|kind| {
                w.probes.iter().any(|p| {
                    p.container == name && p.kind == *kind && p.result_for(id) == Some(false)
                })
            })
    }

    /// computePodActions for a container that failed its liveness or startup probe, then
    /// killContainer: the Killing event with the reason, SIGTERM, and SIGKILL when the grace
    /// period (the probe's terminationGracePeriodSeconds, else the pod's) ends.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn kill_for_probe(
        &mut self,
        key: &str,
        pod: &Value,
        index: usize,
        spec: &Value,
        id: &str,
        kind: ProbeKind,
        ctx: &mut Ctx,
    ) {
        let name = str_at(spec, "/name").to_string();
        let init = all_containers_of(pod)
            .get(index)
            .is_some_and(|(init, _)| *init);
        let what = if kind == ProbeKind::Liveness {
            "liveness"
        } else {
            "startup"
        };
        let message = if init {
            format!("Init container {name} failed {what} probe")
        } else {
            let restart = match str_at(spec, "/restartPolicy") {
                "" => str_at(pod, "/spec/restartPolicy") != "Never",
                policy => policy != "Never",
            };
            let base = format!("Container {name} failed {what} probe");
            if restart {
                format!("{base}, will be restarted")
            } else {
                base
            }
        };
        let field = if kind == ProbeKind::Liveness {
            "livenessProbe"
        } else {
            "startupProbe"
        };
        let grace = super::lifecycle::kill_grace_seconds(pod, spec.get(field));
        // killContainer: the preStop hook runs and the grace period applies as for any kill.
        self.kill_container(key, pod, index, spec, id, &message, grace, ctx);
    }

    /// Wait for a killed container's preStop hook, then for it to exit after SIGTERM; SIGKILL it
    /// when the grace period is over,
    /// then go on with the containers from it (it is restarted by its restart policy).
    pub(super) fn killing(
        &mut self,
        key: &str,
        pod: &Value,
        index: usize,
        kill_at: Millis,
        ctx: &mut Ctx,
    ) {
        let name = all_containers_of(pod)
            .get(index)
            .map(|(_, c)| str_at(c, "/name").to_string())
            .unwrap_or_default();
        let id = self
            .workers
            .get(key)
            .and_then(|w| w.records.get(&name))
            .and_then(|r| r.current.clone());
        let kill_at = match id.as_deref() {
            Some(id) => match self.pre_stop_before_kill(key, pod, &name, id, kill_at, ctx) {
                Ok(kill_at) => kill_at,
                Err(due) => {
                    self.set(key, Step::Killing { index, kill_at }, due.max(ctx.now + 1));
                    return;
                }
            },
            None => kill_at,
        };
        let exits_at = id.as_deref().and_then(|id| {
            let node = self.node.borrow();
            let c = node.runtime.container(id)?;
            matches!(c.state(ctx.now), ContainerState::Running { .. })
                .then(|| c.exits_at(ctx.now).unwrap_or(Millis::MAX))
        });
        match (exits_at, id) {
            (Some(_), Some(id)) if ctx.now >= kill_at => {
                self.node.borrow_mut().runtime.kill(&id, ctx.now);
                ctx.note(
                    self.cri(),
                    "SIGKILL",
                    format!("pod/{key}"),
                    format!("{name}: grace period over, exit code 137"),
                );
                self.set(key, Step::Containers(index), ctx.now);
            }
            (Some(exit), Some(_)) => {
                let due = exit.min(kill_at).max(ctx.now + 1);
                self.set(key, Step::Killing { index, kill_at }, due);
            }
            _ => self.set(key, Step::Containers(index), ctx.now),
        }
    }
}

/// An exec probe's command that runs past `timeoutSeconds`: the CRI's ExecSync gives up
/// (cri-client remote_runtime.go: `ErrCommandTimedOut` wrapped as `command timed out: "CMD"
/// timed out after 1s`), and the exec prober counts it a failure with that text.
fn exec_timeout(command: &[String], image: &str, timeout_seconds: i64) -> Option<String> {
    let limit = timeout_seconds.max(1).saturating_mul(1_000);
    let runs = super::process::Program::exec_duration(command, image);
    // A command podlab cannot plan (an unknown program) is taken to answer in time.
    let past_limit = runs.is_some_and(|ms| i64::try_from(ms).unwrap_or(i64::MAX) > limit);
    past_limit.then(|| {
        format!(
            "command timed out: {:?} timed out after {timeout_seconds}s",
            command.join(" ")
        )
    })
}
