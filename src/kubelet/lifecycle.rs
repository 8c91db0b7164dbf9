//! Stopping a pod's containers with their preStop hooks, as killContainer does
//! (pkg/kubelet/kuberuntime/kuberuntime_container.go):
//!
//! 1. the `Killing` event, `Stopping container NAME` (recorded before anything else);
//! 2. if the container has `lifecycle.preStop` and the grace period is above zero, the hook runs
//!    (executePreStopHook): the kubelet waits for it, at most the grace period; a hook that fails
//!    records a `FailedPreStopHook` Warning event, `PreStopHook failed` (the handler's own
//!    message stays in the kubelet's log so that secrets do not leak);
//! 3. StopContainer (SIGTERM) with what is left of the grace period, whole seconds waited
//!    subtracted, but never less than `minimumGracePeriodInSeconds` (2 s,
//!    kuberuntime_manager.go);
//! 4. SIGKILL when that runs out.
//!
//! The containers of a pod stop side by side (killContainersWithSyncResult runs one goroutine
//! each). The handlers are those of pkg/kubelet/lifecycle/handlers.go: `exec` runs the command
//! in the container (through podlab's shell, [`super::process`]), `httpGet` requests the
//! container's own listener (an HTTP status is no failure, only a failed connection is), and
//! `sleep` waits its seconds (the PodLifecycleSleepAction feature).

use std::collections::BTreeMap;

use serde_json::Value;

use super::cri::listener;
use super::process::Program;
use super::{Kubelet, Step};
use crate::client::Ctx;
use crate::sim::Millis;
use crate::unstructured::str_at;

/// minimumGracePeriodInSeconds (pkg/kubelet/kuberuntime/kuberuntime_manager.go).
pub const MINIMUM_GRACE_PERIOD_SECONDS: Millis = 2;

/// How long an `httpGet` hook's request takes against a local listener.
const HTTP_HOOK_MS: Millis = 5;

/// A lifecycle handler (core/v1 LifecycleHandler).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handler {
    Exec(Vec<String>),
    HttpGet { port: i64, path: String },
    Sleep(i64),
}

impl Handler {
    /// The handler at `/lifecycle/<hook>` of a container spec (`preStop`, `postStart`).
    pub fn of(container: &Value, hook: &str) -> Option<Handler> {
        let h = container.pointer(&format!("/lifecycle/{hook}"))?;
        if let Some(cmd) = h.pointer("/exec/command").and_then(Value::as_array) {
            let argv = cmd
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            return Some(Handler::Exec(argv));
        }
        if let Some(get) = h.get("httpGet") {
            return Some(Handler::HttpGet {
                port: resolve_port(container, get.get("port")),
                path: match str_at(get, "/path") {
                    "" => "/".into(),
                    p => p.to_string(),
                },
            });
        }
        h.pointer("/sleep/seconds")
            .and_then(Value::as_i64)
            .map(Handler::Sleep)
    }

    /// How the trace names it (`exec [sleep 5]`, `httpGet :80/shutdown`, `sleep 5s`).
    pub fn describe(&self) -> String {
        match self {
            Handler::Exec(argv) => format!("exec [{}]", argv.join(" ")),
            Handler::HttpGet { port, path } => format!("httpGet :{port}{path}"),
            Handler::Sleep(s) => format!("sleep {s}s"),
        }
    }
}

/// A port number, or a named port of the container's `ports`.
fn resolve_port(container: &Value, port: Option<&Value>) -> i64 {
    match port {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(Value::String(name)) => container
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|p| str_at(p, "/name") == name)
            .and_then(|p| p.get("containerPort").and_then(Value::as_i64))
            .unwrap_or_else(|| name.parse().unwrap_or(0)),
        _ => 0,
    }
}

/// What running a handler came to: how long it takes and whether it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookRun {
    /// None: it never ends by itself (a command that runs for ever).
    pub duration: Option<Millis>,
    pub failed: bool,
    /// For the trace.
    pub detail: String,
    /// The handler runner's failure message (handlers.go Run), for the kubelet's log and the
    /// container's waiting message after a failed postStart hook.
    pub message: String,
}

/// How long an exec'd command runs, as podlab's shell plans it (`sleep 5` five seconds).
pub fn exec_duration(argv: &[String], image: &str) -> Option<Millis> {
    Program::for_container(argv, &[], image, "", 1)
        .exit()
        .map(|(ms, _)| ms)
}

/// One container's way to a stop.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stopping {
    /// The preStop hook runs: it ends at `ends` (None: never), the kubelet waits until then or
    /// `deadline` (the grace period), then SIGTERMs with `grace` seconds less those waited.
    Hook {
        started: Millis,
        ends: Option<Millis>,
        deadline: Millis,
        grace: Millis,
        failed: bool,
    },
    /// A sidecar whose hook is done waits for its turn (terminationOrdering.waitForTurn): until
    /// the app containers and the sidecars declared after it have stopped, or `deadline` (its
    /// grace period). Then SIGTERM with `grace` seconds less those waited.
    Turn {
        started: Millis,
        deadline: Millis,
        grace: Millis,
    },
    /// SIGTERM sent: SIGKILL at `kill_at` if it still runs.
    Term { kill_at: Millis },
}

/// The containers a sidecar waits for before its SIGTERM (newTerminationOrdering): every app
/// container, and the sidecars after it in `initContainers` (sidecars stop in reverse order).
/// Empty for a container that is not a sidecar.
fn stops_after(pod: &Value, name: &str) -> Vec<String> {
    let names = |field: &str| -> Vec<(String, bool)> {
        pod.pointer(&format!("/spec/{field}"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|c| {
                let sidecar = str_at(c, "/restartPolicy") == "Always";
                (str_at(c, "/name").to_string(), sidecar)
            })
            .collect()
    };
    let inits = names("initContainers");
    let Some(position) = inits.iter().position(|(n, sidecar)| n == name && *sidecar) else {
        return Vec::new();
    };
    let later_sidecars = inits[position + 1..]
        .iter()
        .filter(|(_, sidecar)| *sidecar)
        .map(|(n, _)| n.clone());
    names("containers")
        .into_iter()
        .map(|(n, _)| n)
        .chain(later_sidecars)
        .collect()
}

/// Where each container of each stopping pod is (pod key → container → progress).
#[derive(Debug, Default)]
pub(super) struct Hooks {
    stopping: BTreeMap<String, BTreeMap<String, Stopping>>,
}

/// The grace period left after a hook that ran from `started` to `now`: whole seconds waited
/// are subtracted (executePreStopHook returns `int64(Since(start).Seconds())`), at least
/// [`MINIMUM_GRACE_PERIOD_SECONDS`].
pub fn grace_after_hook(grace: Millis, started: Millis, now: Millis) -> Millis {
    let waited = now.saturating_sub(started) / 1000;
    grace
        .saturating_sub(waited)
        .max(MINIMUM_GRACE_PERIOD_SECONDS)
}

impl Kubelet {
    /// killContainersWithSyncResult: move every running container of the pod on its way to a
    /// stop (hook, SIGTERM, SIGKILL); when none runs any more, the pod is Stopped.
    pub(super) fn stop_containers(
        &mut self,
        key: &str,
        pod: &Value,
        kill_at: Millis,
        ctx: &mut Ctx,
    ) {
        for (name, id) in self.running_containers(key, ctx.now) {
            // A hook that ends at once lets SIGTERM follow in the same step.
            for _ in 0..3 {
                if !self.advance_container(key, pod, &name, &id, kill_at, ctx) {
                    break;
                }
            }
        }
        let running = self.running_containers(key, ctx.now);
        if running.is_empty() {
            self.hooks.stopping.remove(key);
            self.set(key, Step::Stopped, ctx.now + 50);
            return;
        }
        let due = running
            .iter()
            .filter_map(|(name, id)| self.next_stop_event(key, name, id, ctx.now))
            .min()
            .unwrap_or(kill_at)
            .max(ctx.now + 1);
        self.set(key, Step::Stopping { kill_at }, due);
    }

    /// When container `name` next needs the kubelet: its hook's end, its exit, its SIGKILL.
    fn next_stop_event(&self, key: &str, name: &str, id: &str, now: Millis) -> Option<Millis> {
        match self.hooks.stopping.get(key)?.get(name)? {
            Stopping::Hook { ends, deadline, .. } => {
                Some(ends.map_or(*deadline, |e| e.min(*deadline)))
            }
            Stopping::Turn { deadline, .. } => Some(*deadline),
            Stopping::Term { kill_at } => {
                let node = self.node.borrow();
                let exit = node.runtime.container(id).and_then(|c| c.exits_at(now));
                Some(exit.map_or(*kill_at, |e| e.min(*kill_at)))
            }
        }
    }

    /// One step of container `name`'s stop; true when it moved on (and may move again).
    fn advance_container(
        &mut self,
        key: &str,
        pod: &Value,
        name: &str,
        id: &str,
        kill_at: Millis,
        ctx: &mut Ctx,
    ) -> bool {
        let state = self
            .hooks
            .stopping
            .get(key)
            .and_then(|c| c.get(name))
            .cloned();
        let grace_ms = kill_at.saturating_sub(ctx.now);
        let next = match state {
            None => self.begin_stop(key, pod, name, id, grace_ms / 1000, ctx),
            Some(Stopping::Turn {
                started,
                deadline,
                grace,
            }) => {
                if ctx.now < deadline && self.waits_for_others(key, pod, name, ctx.now) {
                    return false;
                }
                let left = grace_after_hook(grace, started, ctx.now);
                self.send_sigterm(key, pod, name, id, left, ctx)
            }
            Some(Stopping::Hook {
                started,
                ends,
                deadline,
                grace,
                failed,
            }) => {
                let hook_done = ends.is_some_and(|e| e <= ctx.now);
                if !hook_done && ctx.now < deadline {
                    return false;
                }
                if hook_done && failed {
                    self.recorder.event(
                        ctx,
                        pod,
                        Some(&Self::field_path(pod, name)),
                        "Warning",
                        "FailedPreStopHook",
                        "PreStopHook failed",
                    );
                }
                let left = grace_after_hook(grace, started, ctx.now);
                self.sigterm_in_turn(key, pod, name, id, left, ctx)
            }
            Some(Stopping::Term { kill_at }) => {
                if ctx.now < kill_at {
                    return false;
                }
                self.node.borrow_mut().runtime.kill(id, ctx.now);
                ctx.note(
                    self.cri(),
                    "SIGKILL",
                    format!("pod/{key}"),
                    format!("{name}: grace period over, exit code 137"),
                );
                self.publish_exit(pod, ctx.now, ctx);
                return false;
            }
        };
        self.hooks
            .stopping
            .entry(key.to_string())
            .or_default()
            .insert(name.to_string(), next);
        true
    }

    /// The `Killing` event, then the preStop hook if there is one and time for it, else SIGTERM.
    fn begin_stop(
        &mut self,
        key: &str,
        pod: &Value,
        name: &str,
        id: &str,
        grace: Millis,
        ctx: &mut Ctx,
    ) -> Stopping {
        self.recorder.event(
            ctx,
            pod,
            Some(&Self::field_path(pod, name)),
            "Normal",
            "Killing",
            &format!("Stopping container {name}"),
        );
        let spec = container_spec(pod, name);
        let handler = spec.as_ref().and_then(|c| Handler::of(c, "preStop"));
        match (handler, spec) {
            (Some(handler), Some(spec)) if grace > 0 => {
                let run = self.run_handler(pod, &spec, id, &handler, ctx);
                ctx.note(
                    self.cri(),
                    format!("PreStop hook {name}: {}", handler.describe()),
                    format!("pod/{key}"),
                    format!(
                        "{}; the kubelet waits for it (at most the grace period, {grace}s) before SIGTERM",
                        run.detail
                    ),
                );
                Stopping::Hook {
                    started: ctx.now,
                    ends: run.duration.map(|d| ctx.now.saturating_add(d)),
                    deadline: ctx.now.saturating_add(grace.saturating_mul(1000)),
                    grace,
                    failed: run.failed,
                }
            }
            _ => self.sigterm_in_turn(key, pod, name, id, grace, ctx),
        }
    }

    /// Whether some container sidecar `name` waits for still runs.
    fn waits_for_others(&self, key: &str, pod: &Value, name: &str, now: Millis) -> bool {
        let prerequisites = stops_after(pod, name);
        self.running_containers(key, now)
            .iter()
            .any(|(running, _)| prerequisites.contains(running))
    }

    /// SIGTERM with `grace` seconds, unless the container is a sidecar whose turn has not come:
    /// then it waits (at most `grace`), as killContainer does after the preStop hook.
    fn sigterm_in_turn(
        &mut self,
        key: &str,
        pod: &Value,
        name: &str,
        id: &str,
        grace: Millis,
        ctx: &mut Ctx,
    ) -> Stopping {
        if grace > 0 && self.waits_for_others(key, pod, name, ctx.now) {
            ctx.note(
                self.cri(),
                format!("{name} waits for its turn"),
                format!("pod/{key}"),
                format!(
                    "a sidecar is stopped after the app containers (and the sidecars after it): waiting at most {grace}s"
                ),
            );
            return Stopping::Turn {
                started: ctx.now,
                deadline: ctx.now.saturating_add(grace.saturating_mul(1000)),
                grace,
            };
        }
        let grace = grace.max(MINIMUM_GRACE_PERIOD_SECONDS);
        self.send_sigterm(key, pod, name, id, grace, ctx)
    }

    /// StopContainer: SIGTERM now, SIGKILL after `grace` seconds.
    fn send_sigterm(
        &mut self,
        key: &str,
        pod: &Value,
        name: &str,
        id: &str,
        grace: Millis,
        ctx: &mut Ctx,
    ) -> Stopping {
        ctx.note(
            self.cri(),
            format!("StopContainer {name} (SIGTERM)"),
            format!("pod/{key}"),
            format!("grace period {grace}s"),
        );
        let exits = {
            let mut node = self.node.borrow_mut();
            node.runtime.signal_term(id, ctx.now);
            node.runtime.container(id).and_then(|c| c.exits_at(ctx.now))
        };
        let kill_at = ctx.now.saturating_add(grace.saturating_mul(1000));
        if let Some(at) = exits.filter(|at| *at < kill_at) {
            ctx.note(
                self.cri(),
                "container exits",
                format!("pod/{key}"),
                format!("{name} handles SIGTERM and exits 0"),
            );
            self.publish_exit(pod, at, ctx);
        }
        Stopping::Term { kill_at }
    }

    /// Tell the network when the pod's processes are gone (its listeners close then).
    fn publish_exit(&self, pod: &Value, at: Millis, ctx: &mut Ctx) {
        let ip = str_at(pod, "/status/podIP");
        let name = str_at(pod, "/metadata/name");
        if !ip.is_empty() {
            ctx.with_network(|net| net.processes_exit(ip, name, at));
        }
    }

    /// Run a lifecycle handler in container `id` (handlers.go handlerRunner.Run).
    pub(super) fn run_handler(
        &mut self,
        pod: &Value,
        spec: &Value,
        id: &str,
        handler: &Handler,
        ctx: &mut Ctx,
    ) -> HookRun {
        let image = str_at(spec, "/image");
        match handler {
            Handler::Exec(argv) => {
                let hostname = super::probing::pod_hostname(pod);
                let exec_id = format!("{:016x}", ctx.rng.below(u64::MAX));
                let result = self.node.borrow_mut().runtime.exec_sync(
                    id,
                    argv,
                    &hostname,
                    Vec::new(),
                    ctx.now,
                    &exec_id,
                );
                let (failed, detail, error, output) = match result {
                    Ok(out) if out.exit_code == 0 => (
                        false,
                        "the command exits 0".to_string(),
                        String::new(),
                        String::new(),
                    ),
                    Ok(out) => (
                        true,
                        format!("command terminated with exit code {}", out.exit_code),
                        format!(
                            "command '{}' exited with {}: {}",
                            argv.join(" "),
                            out.exit_code,
                            out.stderr
                        ),
                        format!("{}{}", out.stdout, out.stderr),
                    ),
                    Err(e) => (true, e.clone(), e, String::new()),
                };
                let duration = if failed {
                    Some(0)
                } else {
                    exec_duration(argv, image)
                };
                HookRun {
                    duration,
                    failed,
                    detail,
                    message: exec_hook_failure(argv, spec, pod, &error, &output),
                }
            }
            Handler::HttpGet { port, path } => {
                let ip = str_at(pod, "/status/podIP");
                match listener(image, *port) {
                    Some(_) => HookRun {
                        duration: Some(HTTP_HOOK_MS),
                        failed: false,
                        detail: format!("GET http://{ip}:{port}{path} answered"),
                        message: String::new(),
                    },
                    None => {
                        let error = format!(
                            "Get \"http://{ip}:{port}{path}\": dial tcp {ip}:{port}: connect: connection refused"
                        );
                        HookRun {
                            duration: Some(0),
                            failed: true,
                            message: http_hook_failure(path, spec, pod, &error),
                            detail: error,
                        }
                    }
                }
            }
            Handler::Sleep(seconds) => HookRun {
                duration: Some((*seconds).max(0) as Millis * 1000),
                failed: false,
                detail: format!("sleeps {seconds}s"),
                message: String::new(),
            },
        }
    }
}

/// killContainer for one container of a pod that keeps running (a failed liveness or startup
/// probe, a failed postStart hook), and startContainer's postStart hook.
impl Kubelet {
    /// killContainer with `message` as the `Killing` event's text and `grace` seconds: the
    /// preStop hook first when there is one and `grace` is above zero (its time counted against
    /// the grace period), then SIGTERM (at least [`MINIMUM_GRACE_PERIOD_SECONDS`]), then
    /// SIGKILL; the worker waits in `Step::Killing` and then restarts the container by policy.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn kill_container(
        &mut self,
        key: &str,
        pod: &Value,
        index: usize,
        spec: &Value,
        id: &str,
        message: &str,
        grace: Millis,
        ctx: &mut Ctx,
    ) {
        let name = str_at(spec, "/name").to_string();
        self.recorder.event(
            ctx,
            pod,
            Some(&Self::field_path(pod, &name)),
            "Normal",
            "Killing",
            message,
        );
        if let Some(w) = self.workers.get_mut(key) {
            w.round.acted = true;
        }
        let handler = Handler::of(spec, "preStop").filter(|_| grace > 0);
        let Some(handler) = handler else {
            let kill_at = self.sigterm_one(key, &name, id, message, grace, ctx);
            self.killing(key, pod, index, kill_at, ctx);
            return;
        };
        let run = self.run_handler(pod, spec, id, &handler, ctx);
        ctx.note(
            self.cri(),
            format!("PreStop hook {name}: {}", handler.describe()),
            format!("pod/{key}"),
            format!(
                "{}; the kubelet waits for it (at most the grace period, {grace}s) before SIGTERM",
                run.detail
            ),
        );
        let deadline = ctx.now.saturating_add(grace.saturating_mul(1000));
        let ends = run.duration.map(|d| ctx.now.saturating_add(d));
        self.hooks
            .stopping
            .entry(key.to_string())
            .or_default()
            .insert(
                name,
                Stopping::Hook {
                    started: ctx.now,
                    ends,
                    deadline,
                    grace,
                    failed: run.failed,
                },
            );
        self.killing(key, pod, index, deadline, ctx);
    }

    /// StopContainer for one container: SIGTERM now; when SIGKILL is due.
    fn sigterm_one(
        &mut self,
        key: &str,
        name: &str,
        id: &str,
        why: &str,
        grace: Millis,
        ctx: &mut Ctx,
    ) -> Millis {
        let grace = grace.max(MINIMUM_GRACE_PERIOD_SECONDS);
        ctx.note(
            self.cri(),
            format!("StopContainer {name} (SIGTERM)"),
            format!("pod/{key}"),
            format!("{why}; grace period {grace}s"),
        );
        self.node.borrow_mut().runtime.signal_term(id, ctx.now);
        ctx.now.saturating_add(grace.saturating_mul(1000))
    }

    /// Where a container killed by [`Kubelet::kill_container`] stands with its preStop hook:
    /// `Err(due)` while the hook runs (the worker looks again at `due`), else `Ok(kill_at)`, the
    /// SIGKILL time (after the hook, SIGTERM is sent now with the grace left).
    pub(super) fn pre_stop_before_kill(
        &mut self,
        key: &str,
        pod: &Value,
        name: &str,
        id: &str,
        kill_at: Millis,
        ctx: &mut Ctx,
    ) -> Result<Millis, Millis> {
        let Some(Stopping::Hook {
            started,
            ends,
            deadline,
            grace,
            failed,
        }) = self
            .hooks
            .stopping
            .get(key)
            .and_then(|c| c.get(name))
            .cloned()
        else {
            return Ok(kill_at);
        };
        let hook_done = ends.is_some_and(|e| e <= ctx.now);
        if !hook_done && ctx.now < deadline {
            return Err(ends.map_or(deadline, |e| e.min(deadline)));
        }
        if let Some(c) = self.hooks.stopping.get_mut(key) {
            c.remove(name);
        }
        if hook_done && failed {
            self.recorder.event(
                ctx,
                pod,
                Some(&Self::field_path(pod, name)),
                "Warning",
                "FailedPreStopHook",
                "PreStopHook failed",
            );
        }
        let left = grace_after_hook(grace, started, ctx.now);
        Ok(self.sigterm_one(key, name, id, "after the preStop hook", left, ctx))
    }

    /// startContainer's step 4: the postStart hook runs right after StartContainer and the
    /// worker waits for it (the container is not reported Running until it returns). A failed
    /// hook records `FailedPostStartHook` (`PostStartHook failed`), kills the container
    /// (killContainer with the message `FailedPostStartHook` and the pod's grace period) and
    /// fails the start with `PostStartHookError`. The time the worker goes on, or None when it
    /// is killing the container.
    pub(super) fn post_start(
        &mut self,
        key: &str,
        pod: &Value,
        index: usize,
        spec: &Value,
        id: &str,
        ctx: &mut Ctx,
    ) -> Option<Millis> {
        let Some(handler) = Handler::of(spec, "postStart") else {
            return Some(ctx.now);
        };
        let name = str_at(spec, "/name").to_string();
        let run = self.run_handler(pod, spec, id, &handler, ctx);
        ctx.note(
            self.cri(),
            format!("PostStart hook {name}: {}", handler.describe()),
            format!("pod/{key}"),
            format!("{}; the kubelet waits for it", run.detail),
        );
        if !run.failed {
            return Some(
                run.duration
                    .map_or(Millis::MAX, |d| ctx.now.saturating_add(d)),
            );
        }
        self.recorder.event(
            ctx,
            pod,
            Some(&Self::field_path(pod, &name)),
            "Warning",
            "FailedPostStartHook",
            "PostStartHook failed",
        );
        if let Some(w) = self.workers.get_mut(key) {
            w.reasons
                .insert(name, ("PostStartHookError".to_string(), run.message));
        }
        let grace = kill_grace_seconds(pod, None);
        self.kill_container(key, pod, index, spec, id, "FailedPostStartHook", grace, ctx);
        None
    }
}

/// setTerminationGracePeriod: the pod's deletion grace period, else the probe's
/// terminationGracePeriodSeconds (`probe`), else the pod's terminationGracePeriodSeconds (2 s,
/// minimumGracePeriodInSeconds, when none is set).
pub fn kill_grace_seconds(pod: &Value, probe: Option<&Value>) -> Millis {
    let seconds = |v: Option<&Value>| v.and_then(Value::as_i64).map(|s| s.max(0) as Millis);
    seconds(pod.pointer("/metadata/deletionGracePeriodSeconds"))
        .or_else(|| {
            pod.pointer("/spec/terminationGracePeriodSeconds")?;
            seconds(probe.and_then(|p| p.get("terminationGracePeriodSeconds")))
        })
        .or_else(|| seconds(pod.pointer("/spec/terminationGracePeriodSeconds")))
        .unwrap_or(MINIMUM_GRACE_PERIOD_SECONDS)
}

/// `kubecontainer.GetPodFullName` with the uid, as format.Pod prints a pod.
fn pod_full_name(pod: &Value) -> String {
    format!(
        "{}_{}({})",
        str_at(pod, "/metadata/name"),
        str_at(pod, "/metadata/namespace"),
        str_at(pod, "/metadata/uid")
    )
}

/// handlers.go Run's message for a failed exec hook: `Exec lifecycle hook ([cmd]) for Container
/// "c" in Pod "p_ns(uid)" failed - error: ERR, message: "OUTPUT"`.
fn exec_hook_failure(
    argv: &[String],
    spec: &Value,
    pod: &Value,
    error: &str,
    output: &str,
) -> String {
    format!(
        "Exec lifecycle hook ([{}]) for Container \"{}\" in Pod \"{}\" failed - error: {error}, message: {}",
        argv.join(" "),
        str_at(spec, "/name"),
        pod_full_name(pod),
        crate::apiserver::validation::field::go_quote(output)
    )
}

/// handlers.go Run's message for a failed httpGet hook.
fn http_hook_failure(path: &str, spec: &Value, pod: &Value, error: &str) -> String {
    format!(
        "HTTP lifecycle hook ({path}) for Container \"{}\" in Pod \"{}\" failed - error: {error}",
        str_at(spec, "/name"),
        pod_full_name(pod)
    )
}

/// The spec of the container named `name` (app or init).
fn container_spec(pod: &Value, name: &str) -> Option<Value> {
    ["/spec/containers", "/spec/initContainers"]
        .iter()
        .filter_map(|p| pod.pointer(p).and_then(Value::as_array))
        .flatten()
        .find(|c| str_at(c, "/name") == name)
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_sidecar_stops_after_the_app_containers_and_the_sidecars_after_it() {
        let pod = json!({"spec": {
            "initContainers": [
                {"name": "setup"},
                {"name": "proxy", "restartPolicy": "Always"},
                {"name": "logs", "restartPolicy": "Always"}
            ],
            "containers": [{"name": "app"}, {"name": "worker"}]
        }});
        assert_eq!(stops_after(&pod, "proxy"), ["app", "worker", "logs"]);
        assert_eq!(stops_after(&pod, "logs"), ["app", "worker"]);
        assert!(stops_after(&pod, "app").is_empty());
        assert!(stops_after(&pod, "setup").is_empty());
    }

    #[test]
    fn handlers_are_read_from_the_container_spec() {
        let c = json!({
            "name": "web",
            "ports": [{"name": "http", "containerPort": 8080}],
            "lifecycle": {
                "preStop": {"httpGet": {"port": "http", "path": "/drain"}},
                "postStart": {"exec": {"command": ["sh", "-c", "echo hi"]}}
            }
        });
        assert_eq!(
            Handler::of(&c, "preStop"),
            Some(Handler::HttpGet {
                port: 8080,
                path: "/drain".into()
            })
        );
        assert_eq!(
            Handler::of(&c, "postStart"),
            Some(Handler::Exec(vec![
                "sh".into(),
                "-c".into(),
                "echo hi".into()
            ]))
        );
        let s = json!({"lifecycle": {"preStop": {"sleep": {"seconds": 5}}}});
        assert_eq!(Handler::of(&s, "preStop"), Some(Handler::Sleep(5)));
        assert_eq!(Handler::of(&s, "postStart"), None);
    }

    #[test]
    fn an_exec_sleep_lasts_its_seconds() {
        let argv = ["sleep".to_string(), "5".to_string()];
        let d = exec_duration(&argv, "nginx:1.27").unwrap_or_default();
        assert!((5_000..5_100).contains(&d), "{d}");
    }

    #[test]
    fn the_grace_left_after_a_hook_loses_whole_seconds_and_is_at_least_two() {
        assert_eq!(grace_after_hook(30, 0, 5_000), 25);
        assert_eq!(grace_after_hook(30, 0, 5_999), 25);
        assert_eq!(grace_after_hook(5, 0, 5_000), MINIMUM_GRACE_PERIOD_SECONDS);
    }
}
