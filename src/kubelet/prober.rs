//! Container probes (pkg/kubelet/prober): one worker per container and probe type
//! (worker.go), ticking every `periodSeconds` from when the kubelet got the pod, skipping the
//! container's first `initialDelaySeconds`, counting consecutive results against
//! `successThreshold`/`failureThreshold` before the result changes (doProbe). Startup gates the
//! other two; readiness sets the container's `ready`; a liveness or startup failure makes the
//! pod worker kill and restart the container (kuberuntime_manager.go computePodActions).
//! The probes themselves (prober.go runProbe): exec through the container's interpreter and
//! file system, httpGet/tcpSocket/grpc against what the image listens on
//! ([`super::cri::listener`]).

use serde_json::Value;

use super::cri::{listener, Listener};
use crate::sim::Millis;
use crate::unstructured::str_at;

/// The three probe types, in the order prober_manager.go AddPod starts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProbeKind {
    Startup,
    Liveness,
    Readiness,
}

impl ProbeKind {
    /// `probeType.String()`: how events name it (`Liveness probe failed: …`).
    pub fn label(self) -> &'static str {
        match self {
            ProbeKind::Startup => "Startup",
            ProbeKind::Liveness => "Liveness",
            ProbeKind::Readiness => "Readiness",
        }
    }

    fn field(self) -> &'static str {
        match self {
            ProbeKind::Startup => "startupProbe",
            ProbeKind::Liveness => "livenessProbe",
            ProbeKind::Readiness => "readinessProbe",
        }
    }

    /// The result a new container starts with (newWorker's initialValue): readiness Failure,
    /// liveness Success, startup Unknown.
    fn initial(self) -> Option<bool> {
        match self {
            ProbeKind::Startup => None,
            ProbeKind::Liveness => Some(true),
            ProbeKind::Readiness => Some(false),
        }
    }
}

/// What a probe does (v1.ProbeHandler).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Exec(Vec<String>),
    Http {
        scheme: String,
        host: String,
        port: Value,
        path: String,
    },
    Tcp {
        host: String,
        port: Value,
    },
    Grpc {
        port: i64,
    },
    None,
}

/// A probe with the API server's defaults (SetDefaults_Probe: timeoutSeconds 1, periodSeconds
/// 10, successThreshold 1, failureThreshold 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeSpec {
    pub action: Action,
    pub initial_delay_seconds: i64,
    pub timeout_seconds: i64,
    pub period: Millis,
    pub success_threshold: u32,
    pub failure_threshold: u32,
    /// The probe's own terminationGracePeriodSeconds (liveness and startup only).
    pub termination_grace_seconds: Option<i64>,
}

fn int_at(v: &Value, key: &str, default: i64) -> i64 {
    v.get(key).and_then(Value::as_i64).unwrap_or(default)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

impl ProbeSpec {
    pub fn parse(probe: &Value) -> ProbeSpec {
        let action = if let Some(exec) = probe.get("exec") {
            Action::Exec(strings(exec.get("command")))
        } else if let Some(http) = probe.get("httpGet") {
            let path = match str_at(http, "/path") {
                "" => "/".to_string(),
                p if p.starts_with('/') => p.to_string(),
                p => format!("/{p}"),
            };
            Action::Http {
                scheme: match str_at(http, "/scheme") {
                    "" => "http".into(),
                    s => s.to_ascii_lowercase(),
                },
                host: str_at(http, "/host").to_string(),
                port: http.get("port").cloned().unwrap_or(Value::Null),
                path,
            }
        } else if let Some(tcp) = probe.get("tcpSocket") {
            Action::Tcp {
                host: str_at(tcp, "/host").to_string(),
                port: tcp.get("port").cloned().unwrap_or(Value::Null),
            }
        } else if let Some(grpc) = probe.get("grpc") {
            Action::Grpc {
                port: int_at(grpc, "port", 0),
            }
        } else {
            Action::None
        };
        ProbeSpec {
            action,
            initial_delay_seconds: int_at(probe, "initialDelaySeconds", 0),
            timeout_seconds: int_at(probe, "timeoutSeconds", 1).max(1),
            period: (int_at(probe, "periodSeconds", 10).max(1) as Millis).saturating_mul(1000),
            success_threshold: int_at(probe, "successThreshold", 1).clamp(1, 1_000) as u32,
            failure_threshold: int_at(probe, "failureThreshold", 3).clamp(1, 1_000) as u32,
            termination_grace_seconds: probe
                .get("terminationGracePeriodSeconds")
                .and_then(Value::as_i64),
        }
    }
}

/// The container as the probe worker sees it in the pod's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub container_id: String,
    /// When it started running, or None when it is not running.
    pub running_since: Option<Millis>,
    /// Whether the container counts as started (its startup probe succeeded, or it has none).
    pub started: bool,
}

/// What a probe run found (probe.Result with its output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure(String),
    /// The probe could not run (prober.go: "%s probe errored and resulted in %s state: %s").
    Error(String),
}

/// One probe worker (worker.go).
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeWorker {
    pub kind: ProbeKind,
    pub container: String,
    pub spec: ProbeSpec,
    /// The next tick of the worker's ticker.
    pub next_at: Millis,
    /// A run asked for at once (manualTriggerCh), e.g. when the status found a container not
    /// ready yet.
    pub triggered: bool,
    container_id: Option<String>,
    on_hold: bool,
    last: Option<bool>,
    run: u32,
    /// The results manager's entry for the current container (None: Unknown or unset).
    pub result: Option<bool>,
}

/// What one doProbe asks of the kubelet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Nothing ran, or the result did not move.
    None,
    /// The probe ran and the result is unchanged (an Unhealthy event may still be due).
    Ran,
    /// The result changed: readiness rewrites the status, liveness/startup resync the pod.
    Changed,
}

impl ProbeWorker {
    /// A worker for `kind` of `container`, started at `now` (its first tick runs at once).
    pub fn new(kind: ProbeKind, container: &str, probe: &Value, now: Millis) -> Self {
        ProbeWorker {
            kind,
            container: container.to_string(),
            spec: ProbeSpec::parse(probe),
            next_at: now,
            triggered: false,
            container_id: None,
            on_hold: false,
            last: None,
            run: 0,
            result: None,
        }
    }

    /// The probe workers of a pod (AddPod): startup, liveness and readiness of each app
    /// container and of each restartable init container.
    pub fn for_pod(pod: &Value, now: Millis) -> Vec<ProbeWorker> {
        let containers = super::status::all_containers_of(pod);
        let mut out = Vec::new();
        for (init, c) in &containers {
            if *init && str_at(c, "/restartPolicy") != "Always" {
                continue;
            }
            for kind in [
                ProbeKind::Startup,
                ProbeKind::Readiness,
                ProbeKind::Liveness,
            ] {
                if let Some(p) = c.get(kind.field()).filter(|p| p.is_object()) {
                    out.push(ProbeWorker::new(kind, str_at(c, "/name"), p, now));
                }
            }
        }
        out
    }

    /// The result for the container with `id` (the results manager's Get).
    pub fn result_for(&self, id: &str) -> Option<bool> {
        (self.container_id.as_deref() == Some(id))
            .then_some(self.result)
            .flatten()
    }

    /// doProbe, up to running the probe: whether to run it now for `target`. Resets the
    /// worker for a new container (its result to the initial value, probing resumed).
    pub fn should_probe(&mut self, target: Option<&Target>, now: Millis) -> bool {
        let Some(target) = target else {
            return false;
        };
        if self.container_id.as_deref() != Some(target.container_id.as_str()) {
            self.container_id = Some(target.container_id.clone());
            self.result = self.kind.initial();
            self.on_hold = false;
            self.last = None;
            self.run = 0;
        }
        if self.on_hold {
            return false;
        }
        let Some(since) = target.running_since else {
            if self.container_id.is_some() {
                self.result = Some(false);
            }
            return false;
        };
        let running_secs = (now.saturating_sub(since) / 1000) as i64;
        if running_secs < self.spec.initial_delay_seconds {
            return false;
        }
        // Startup runs until the container has started; the other two only after.
        !matches!(
            (target.started, self.kind),
            (true, ProbeKind::Startup) | (false, ProbeKind::Liveness | ProbeKind::Readiness)
        )
    }

    /// doProbe after the probe ran: count the run, and move the result once a threshold is
    /// reached; a liveness or startup result holds the worker until a new container.
    pub fn record(&mut self, success: bool) -> Effect {
        if self.last == Some(success) {
            self.run = self.run.saturating_add(1);
        } else {
            self.last = Some(success);
            self.run = 1;
        }
        let threshold = if success {
            self.spec.success_threshold
        } else {
            self.spec.failure_threshold
        };
        if self.run < threshold {
            return Effect::Ran;
        }
        let before = self.result;
        self.result = Some(success);
        if (self.kind == ProbeKind::Liveness && !success) || self.kind == ProbeKind::Startup {
            self.on_hold = true;
            self.run = 0;
        }
        if before == self.result {
            Effect::Ran
        } else {
            Effect::Changed
        }
    }

    /// Move the ticker past `now`.
    pub fn advance(&mut self, now: Millis) {
        self.triggered = false;
        while self.next_at <= now {
            self.next_at = self.next_at.saturating_add(self.spec.period);
        }
    }
}

/// `probe.ResolveContainerPort`: a number, or the name of one of the container's ports.
pub fn resolve_port(port: &Value, container: &Value) -> Result<i64, String> {
    if let Some(n) = port.as_i64() {
        if (1..=65535).contains(&n) {
            return Ok(n);
        }
        return Err(format!("invalid port number: {n}"));
    }
    let name = port.as_str().unwrap_or_default();
    if let Ok(n) = name.parse::<i64>() {
        return resolve_port(&Value::from(n), container);
    }
    container
        .get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|p| str_at(p, "/name") == name)
        .and_then(|p| p.get("containerPort").and_then(Value::as_i64))
        .ok_or_else(|| {
            format!(
                "couldn't find port: {port} in {}",
                str_at(container, "/name")
            )
        })
}

/// The path nginx and httpd answer 200 on (their default site); others are 404.
fn serves_path(image: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default();
    if super::cri::normalize_image(image).contains("/proxyv2:") {
        // Envoy's health endpoint behind pilot-agent.
        return path == "/healthz/ready";
    }
    matches!(path, "/" | "/index.html")
}

/// httpGet, tcpSocket and grpc probes against a container of `image` at `pod_ip` (the
/// dial and HTTP errors of pkg/probe/http, tcp and grpc). Exec probes run elsewhere.
/// How long agnhost's `liveness` server answers `/healthz` with 200 before it answers 500
/// (test/images/agnhost/liveness/server.go, the docs' http-liveness example).
const AGNHOST_LIVENESS_HEALTHY_MS: Millis = 10_000;

/// An httpGet probe of `/healthz` on agnhost's `liveness` server: 200 for its first 10 seconds,
/// then 500. None for any other probe.
pub fn agnhost_liveness(
    action: &Action,
    container: &Value,
    running_for: Millis,
) -> Option<Outcome> {
    let image = container
        .get("image")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let first_arg = container
        .pointer("/args/0")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let is_agnhost = super::cri::normalize_image(image).contains("/agnhost:");
    let probes_healthz = matches!(action, Action::Http { path, .. } if path == "/healthz");
    if !(is_agnhost && first_arg == "liveness" && probes_healthz) {
        return None;
    }
    Some(if running_for > AGNHOST_LIVENESS_HEALTHY_MS {
        Outcome::Failure("HTTP probe failed with statuscode: 500".into())
    } else {
        Outcome::Success
    })
}

pub fn network_probe(action: &Action, container: &Value, image: &str, pod_ip: &str) -> Outcome {
    match action {
        Action::Http {
            scheme,
            host,
            port,
            path,
        } => {
            let port = match resolve_port(port, container) {
                Ok(p) => p,
                Err(e) => return Outcome::Error(e),
            };
            let host = if host.is_empty() { pod_ip } else { host };
            let url = format!("{scheme}://{host}:{port}{path}");
            match listener(image, port) {
                Some(Listener::Http) if serves_path(image, path) => Outcome::Success,
                Some(Listener::Http) => {
                    Outcome::Failure("HTTP probe failed with statuscode: 404".into())
                }
                Some(_) => Outcome::Failure(format!("Get \"{url}\": EOF")),
                None => Outcome::Failure(format!(
                    "Get \"{url}\": dial tcp {host}:{port}: connect: connection refused"
                )),
            }
        }
        Action::Tcp { host, port } => {
            let port = match resolve_port(port, container) {
                Ok(p) => p,
                Err(e) => return Outcome::Error(e),
            };
            let host = if host.is_empty() { pod_ip } else { host };
            match listener(image, port) {
                Some(_) => Outcome::Success,
                None => Outcome::Failure(format!(
                    "dial tcp {host}:{port}: connect: connection refused"
                )),
            }
        }
        Action::Grpc { port } => {
            let addr = format!("{pod_ip}:{port}");
            match listener(image, *port) {
                Some(Listener::Grpc) => Outcome::Success,
                Some(_) => Outcome::Failure(
                    "error: this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health"
                        .to_string(),
                ),
                None => Outcome::Failure(format!(
                    "timeout: failed to connect service \"{addr}\" within 1s: context deadline exceeded"
                )),
            }
        }
        Action::Exec(_) => Outcome::Error("exec probes run in the container".into()),
        Action::None => Outcome::Error("missing probe handler".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn target(id: &str, since: Option<Millis>, started: bool) -> Target {
        Target {
            container_id: id.into(),
            running_since: since,
            started,
        }
    }

    #[test]
    fn defaults_follow_set_defaults_probe() {
        let s = ProbeSpec::parse(&json!({"exec": {"command": ["cat", "/tmp/healthy"]}}));
        assert_eq!(s.period, 10_000);
        assert_eq!(s.timeout_seconds, 1);
        assert_eq!((s.success_threshold, s.failure_threshold), (1, 3));
        assert_eq!(
            s.action,
            Action::Exec(vec!["cat".into(), "/tmp/healthy".into()])
        );
    }

    #[test]
    fn liveness_fails_after_three_failures_and_holds() {
        let probe = json!({"exec": {"command": ["true"]}, "periodSeconds": 5});
        let mut w = ProbeWorker::new(ProbeKind::Liveness, "liveness", &probe, 0);
        let t = target("a", Some(0), true);
        assert!(w.should_probe(Some(&t), 5_000));
        assert_eq!(w.result_for("a"), Some(true), "liveness starts as Success");
        assert_eq!(w.record(false), Effect::Ran);
        assert_eq!(w.record(false), Effect::Ran);
        assert_eq!(w.record(false), Effect::Changed);
        assert_eq!(w.result_for("a"), Some(false));
        assert!(
            !w.should_probe(Some(&t), 20_000),
            "on hold until a new container"
        );
        let next = target("b", Some(30_000), true);
        assert!(
            w.should_probe(Some(&next), 30_000),
            "a new container is probed again"
        );
        assert_eq!(w.result_for("b"), Some(true));
    }

    #[test]
    fn initial_delay_and_startup_gate() {
        let probe = json!({"httpGet": {"port": 80}, "initialDelaySeconds": 5});
        let mut r = ProbeWorker::new(ProbeKind::Readiness, "web", &probe, 0);
        assert!(!r.should_probe(Some(&target("a", Some(1_000), true)), 5_999));
        assert_eq!(
            r.result_for("a"),
            Some(false),
            "readiness starts as Failure"
        );
        assert!(r.should_probe(Some(&target("a", Some(1_000), true)), 6_000));
        assert!(!r.should_probe(Some(&target("a", Some(1_000), false)), 9_000));
    }

    #[test]
    fn network_probes_answer_as_the_image_listens() {
        let c = json!({"name": "web", "ports": [{"name": "http", "containerPort": 80}]});
        let http = |port: Value, path: &str| Action::Http {
            scheme: "http".into(),
            host: String::new(),
            port,
            path: path.into(),
        };
        assert_eq!(
            network_probe(&http(json!("http"), "/"), &c, "nginx:1.27", "10.244.1.5"),
            Outcome::Success
        );
        assert_eq!(
            network_probe(&http(json!(8080), "/healthz"), &c, "nginx", "10.244.1.5"),
            Outcome::Failure("Get \"http://10.244.1.5:8080/healthz\": dial tcp 10.244.1.5:8080: connect: connection refused".into())
        );
        assert_eq!(
            network_probe(&http(json!(80), "/healthz"), &c, "nginx", "10.244.1.5"),
            Outcome::Failure("HTTP probe failed with statuscode: 404".into())
        );
        let tcp = Action::Tcp {
            host: String::new(),
            port: json!(6379),
        };
        assert_eq!(
            network_probe(&tcp, &c, "redis", "10.0.0.1"),
            Outcome::Success
        );
        assert_eq!(
            network_probe(&tcp, &c, "busybox", "10.0.0.1"),
            Outcome::Failure("dial tcp 10.0.0.1:6379: connect: connection refused".into())
        );
        let grpc = Action::Grpc { port: 2379 };
        assert_eq!(
            network_probe(&grpc, &c, "registry.k8s.io/etcd:3.5.1-0", "10.0.0.1"),
            Outcome::Success
        );
    }
}
