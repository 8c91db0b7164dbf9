//! containerd as the kubelet sees it through the CRI: images on the node, pulls from a registry,
//! pod sandboxes, and containers whose main process ([`Program`]) prints, runs and exits on its
//! own, so that a container's state and logs at any instant follow from when it started.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::process::{self, ExecContext, ExecOutput, LogLine, Program};
use crate::sim::{Millis, Rng};

/// How many lines of a container's output the node keeps (the kubelet rotates container logs
/// at `containerLogMaxSize`, 10Mi by default; podlab keeps a line count instead).
pub const MAX_LOG_LINES: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// `docker.io/library/nginx:1.27`
    pub reference: String,
    /// `docker.io/library/nginx@sha256:…`
    pub digest_ref: String,
    pub size_bytes: i64,
}

/// The fully qualified reference of an image name (`nginx` → `docker.io/library/nginx:latest`).
pub fn normalize_image(image: &str) -> String {
    let (name, tag) = match image.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n.to_string(), format!(":{t}")),
        _ if image.contains('@') => (image.to_string(), String::new()),
        _ => (image.to_string(), ":latest".to_string()),
    };
    let first = name.split('/').next().unwrap_or_default();
    let qualified = if !name.contains('/') {
        format!("docker.io/library/{name}")
    } else if first.contains('.') || first.contains(':') || first == "localhost" {
        name
    } else {
        format!("docker.io/{name}")
    };
    format!("{qualified}{tag}")
}

/// A plausible compressed size for well-known images, so pulls take a believable time.
fn image_size(reference: &str) -> i64 {
    match reference
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .split(':')
        .next()
        .unwrap_or_default()
    {
        "busybox" => 2_156_000,
        "nginx" => 72_950_000,
        "alpine" => 3_640_000,
        "redis" => 45_000_000,
        "postgres" => 158_000_000,
        "httpd" => 58_000_000,
        "proxyv2" => 96_000_000,
        _ => 30_000_000,
    }
}

/// The digest of an image: the same image has the same digest on every node. The one the
/// fidelity transcripts show is kept; others are derived from the reference.
fn image_digest(reference: &str) -> String {
    match reference {
        "docker.io/library/busybox:1.36" => {
            "9bb98427aa94834f170ed6661e83f4f64f5fbe67076abbbcb5b1b657a414f6bc".into()
        }
        _ => Sha256::digest(format!("podlab image {reference}").as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    }
}

/// A container's state as the CRI reports it (ContainerStatus).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerState {
    Created,
    Running {
        started_at: Millis,
    },
    Exited {
        started_at: Millis,
        finished_at: Millis,
        exit_code: i32,
        reason: String,
        /// The termination message the kubelet read (empty when none).
        message: String,
    },
}

/// How a stopped process ended.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ending {
    at: Millis,
    exit_code: i32,
}

#[derive(Debug, Clone)]
pub struct Container {
    pub id: String,
    pub name: String,
    pub pod_uid: String,
    pub image: String,
    pub program: Program,
    pub created_at: Millis,
    /// The `io.kubernetes.container.restartCount` label the kubelet puts on it.
    pub restart_count: i64,
    started_at: Option<Millis>,
    /// When a signal ended the process (before it would have exited on its own).
    killed: Option<Ending>,
    /// The container's writable file system as exec'd commands change it (path → content;
    /// a path ending in `/` is a directory).
    pub files: BTreeMap<String, String>,
    /// How many of the main process's file changes have been replayed on `files`.
    changes_applied: usize,
}

/// The reason containerd gives for an exit: `Completed` for 0, else `Error`.
fn exit_reason(code: i32) -> &'static str {
    if code == 0 {
        "Completed"
    } else {
        "Error"
    }
}

/// At most `max` bytes of `text` (on a character boundary): its start, or its end when
/// `keep_end` (a ring buffer keeps the newest bytes).
fn truncate_to(text: &str, max: usize, keep_end: bool) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    if keep_end {
        let mut start = text.len() - max;
        while !text.is_char_boundary(start) {
            start += 1;
        }
        text.get(start..).unwrap_or_default().to_string()
    } else {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.get(..end).unwrap_or_default().to_string()
    }
}

/// The TCP ports the images podlab knows listen on, and whether they speak HTTP or gRPC there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listener {
    Http,
    Tcp,
    Grpc,
}

/// What listens on `port` in a container of `image` (nginx and httpd serve HTTP on 80, redis
/// takes TCP on 6379, etcd answers gRPC health checks on 2379 and 2381).
pub fn listener(image: &str, port: i64) -> Option<Listener> {
    let repository = normalize_image(image);
    let name = repository
        .rsplit('/')
        .next()
        .and_then(|n| n.split(':').next())
        .unwrap_or_default()
        .to_string();
    match (name.as_str(), port) {
        ("nginx" | "httpd" | "echoserver" | "agnhost", 80) => Some(Listener::Http),
        ("agnhost" | "echoserver", 8080) => Some(Listener::Http),
        ("redis", 6379) => Some(Listener::Tcp),
        // The docs' tcp-liveness-readiness example: registry.k8s.io/goproxy serves on 8080.
        ("goproxy", 8080) => Some(Listener::Tcp),
        ("etcd", 2379 | 2381) => Some(Listener::Grpc),
        ("postgres", 5432) => Some(Listener::Tcp),
        ("mysql", 3306) => Some(Listener::Tcp),
        // Istio's sidecar: Envoy's readiness (15021) and metrics (15090), pilot-agent's status
        // port (15020).
        ("proxyv2", 15020 | 15021 | 15090) => Some(Listener::Http),
        _ => None,
    }
}

impl Container {
    /// Replay the main process's file changes due by `now` on the container's files.
    pub fn catch_up_files(&mut self, hostname: &str, now: Millis) {
        let Some(started) = self.started_at else {
            return;
        };
        if self.files.is_empty() {
            self.files = process::initial_files(hostname);
        }
        let until = self.finished_at().map_or(now, |end| end.min(now));
        let changes = self.program.file_changes();
        for (after, argv) in changes.iter().skip(self.changes_applied) {
            if started.saturating_add(*after) > until {
                break;
            }
            let mut ctx = ExecContext {
                hostname,
                image: &self.image,
                vars: Vec::new(),
                files: &mut self.files,
                now,
                network: None,
            };
            let _ = process::exec_in_container(argv, &mut ctx);
            self.changes_applied += 1;
        }
    }

    /// The process's own exit, if it has one, as an absolute time.
    fn natural_end(&self) -> Option<Ending> {
        let started = self.started_at?;
        self.program.exit().map(|(after, exit_code)| Ending {
            at: started.saturating_add(after),
            exit_code,
        })
    }

    fn ending(&self) -> Option<Ending> {
        match (self.natural_end(), self.killed.clone()) {
            (Some(n), Some(k)) => Some(if n.at <= k.at { n } else { k }),
            (n, k) => n.or(k),
        }
    }

    /// The state at `now`.
    pub fn state(&self, now: Millis) -> ContainerState {
        let Some(started_at) = self.started_at else {
            return ContainerState::Created;
        };
        match self.ending() {
            Some(end) if end.at <= now => ContainerState::Exited {
                started_at,
                finished_at: end.at,
                exit_code: end.exit_code,
                reason: self.exit_reason_of(&end).into(),
                message: self.termination_message(&end),
            },
            _ => ContainerState::Running { started_at },
        }
    }

    /// containerd's reason: `OOMKilled` when the kernel killed the process for its memory
    /// limit, else by exit code.
    fn exit_reason_of(&self, end: &Ending) -> &'static str {
        let natural = self.natural_end().is_some_and(|n| n.at == end.at);
        if natural && self.program.oom_killed {
            "OOMKilled"
        } else {
            exit_reason(end.exit_code)
        }
    }

    /// The termination message (kuberuntime_container.go getTerminationMessage): the file at
    /// terminationMessagePath as the process left it (at most 4 KiB); with
    /// FallbackToLogsOnError, a failed container without one gives its logs' last 80 lines
    /// (at most 2 KiB, the newest kept).
    fn termination_message(&self, end: &Ending) -> String {
        let spec = &self.program.termination;
        let mut files = self.files.clone();
        let started = self.started_at.unwrap_or(end.at);
        let changes = self.program.file_changes();
        for (after, argv) in changes.iter().skip(self.changes_applied) {
            if started.saturating_add(*after) > end.at {
                break;
            }
            let mut ctx = ExecContext {
                hostname: "",
                image: &self.image,
                vars: Vec::new(),
                files: &mut files,
                now: end.at,
                network: None,
            };
            let _ = process::exec_in_container(argv, &mut ctx);
        }
        let written = files.get(&spec.path).cloned().unwrap_or_default();
        let message = truncate_to(&written, process::MAX_TERMINATION_MESSAGE_BYTES, false);
        if !message.is_empty() || !spec.fallback_to_logs_on_error || end.exit_code == 0 {
            return message;
        }
        let lines = self.logs(end.at);
        let first = lines
            .len()
            .saturating_sub(process::MAX_TERMINATION_LOG_LINES);
        let tail: String = lines
            .get(first..)
            .unwrap_or_default()
            .iter()
            .map(|l| format!("{}\n", l.text))
            .collect();
        truncate_to(&tail, process::MAX_TERMINATION_LOG_BYTES, true)
    }

    /// When the process ends (or ended), by itself or by a signal; None while it runs for ever.
    pub fn finished_at(&self) -> Option<Millis> {
        self.ending().map(|e| e.at)
    }

    /// When the process will exit, if it is running and will end by itself or by a signal.
    pub fn exits_at(&self, now: Millis) -> Option<Millis> {
        matches!(self.state(now), ContainerState::Running { .. })
            .then(|| self.ending().map(|e| e.at))
            .flatten()
    }

    /// The lines the process has printed by `now` (the container's log file).
    pub fn logs(&self, now: Millis) -> Vec<LogLine> {
        let Some(started) = self.started_at else {
            return Vec::new();
        };
        let until = self.ending().map_or(now, |e| e.at.min(now));
        self.program
            .output(until.saturating_sub(started), started, MAX_LOG_LINES)
    }
}

#[derive(Debug, Clone)]
pub struct Sandbox {
    pub id: String,
    pub ip: String,
}

/// The container runtime of one node.
#[derive(Debug, Clone)]
pub struct Runtime {
    images: BTreeMap<String, Image>,
    /// Whether a registry is reachable (the default cluster) or only local images exist.
    pub can_pull: bool,
    pub sandboxes: BTreeMap<String, Sandbox>,
    pub containers: BTreeMap<String, Container>,
    /// The cluster network an exec'd `wget`/`curl`/`nslookup` goes through.
    pub network: Option<crate::network::SharedNetwork>,
}

impl Runtime {
    pub fn new(preloaded: &[String], can_pull: bool) -> Self {
        let mut rt = Runtime {
            images: BTreeMap::new(),
            can_pull,
            sandboxes: BTreeMap::new(),
            containers: BTreeMap::new(),
            network: None,
        };
        for img in preloaded {
            rt.store(img);
        }
        rt
    }

    fn store(&mut self, image: &str) -> Image {
        let reference = normalize_image(image);
        let repo = reference
            .rsplit_once(':')
            .map(|(r, _)| r.to_string())
            .unwrap_or(reference.clone());
        let img = Image {
            digest_ref: format!("{repo}@sha256:{}", image_digest(&reference)),
            size_bytes: image_size(&reference),
            reference: reference.clone(),
        };
        self.images.insert(reference, img.clone());
        img
    }

    pub fn image(&self, image: &str) -> Option<&Image> {
        self.images.get(&normalize_image(image))
    }

    /// The images on the node, for the Node's `status.images`.
    pub fn images(&self) -> impl Iterator<Item = &Image> {
        self.images.values()
    }

    /// PullImage: how long the pull takes, or the registry's error.
    pub fn pull(&mut self, image: &str) -> Result<(Image, Millis), String> {
        let reference = normalize_image(image);
        if !self.can_pull {
            let (repo, tag) = reference
                .rsplit_once(':')
                .unwrap_or((reference.as_str(), "latest"));
            let (host, path) = repo.split_once('/').unwrap_or(("docker.io", repo));
            let registry = if host == "docker.io" {
                "registry-1.docker.io"
            } else {
                host
            };
            return Err(format!(
                "failed to pull and unpack image \"{reference}\": failed to resolve reference \"{reference}\": failed to do request: Head \"https://{registry}/v2/{path}/manifests/{tag}\": dial tcp: lookup {registry}: no such host"
            ));
        }
        let img = self.store(image);
        // About 40 MB/s plus the registry round trips.
        let ms = 300 + (img.size_bytes / 40_000) as Millis;
        Ok((img, ms))
    }

    pub fn run_pod_sandbox(&mut self, pod_uid: &str, ip: String, rng: &mut Rng) -> String {
        let id = rng.hex(32);
        self.sandboxes
            .insert(pod_uid.to_string(), Sandbox { id: id.clone(), ip });
        id
    }

    /// StopPodSandbox and RemovePodSandbox: the sandbox and every container of the pod go.
    pub fn remove_pod_sandbox(&mut self, pod_uid: &str) -> Option<Sandbox> {
        self.containers.retain(|_, c| c.pod_uid != pod_uid);
        self.sandboxes.remove(pod_uid)
    }

    /// CreateContainer: a container of pod `pod_uid` that will run `program`.
    #[allow(clippy::too_many_arguments)]
    pub fn create_container(
        &mut self,
        pod_uid: &str,
        name: &str,
        image: &str,
        program: Program,
        restart_count: i64,
        now: Millis,
        rng: &mut Rng,
    ) -> String {
        let id = rng.hex(32);
        let container = Container {
            id: id.clone(),
            name: name.into(),
            pod_uid: pod_uid.into(),
            image: image.into(),
            created_at: now,
            restart_count,
            started_at: None,
            killed: None,
            files: program.files.clone(),
            program,
            changes_applied: 0,
        };
        self.containers.insert(id.clone(), container);
        id
    }

    pub fn start_container(&mut self, id: &str, now: Millis) {
        if let Some(c) = self.containers.get_mut(id) {
            c.started_at = Some(now);
        }
    }

    /// StopContainer's SIGTERM: a process that handles it exits 0 shortly; others ignore it.
    pub fn signal_term(&mut self, id: &str, now: Millis) {
        if let Some(c) = self.containers.get_mut(id) {
            if c.program.stops_on_sigterm && matches!(c.state(now), ContainerState::Running { .. })
            {
                c.killed = Some(Ending {
                    at: now + 50,
                    exit_code: 0,
                });
            }
        }
    }

    /// SIGKILL at the end of the grace period: exit code 137 (128 + 9).
    pub fn kill(&mut self, id: &str, now: Millis) {
        if let Some(c) = self.containers.get_mut(id) {
            if matches!(c.state(now), ContainerState::Running { .. }) {
                c.killed = Some(Ending {
                    at: now,
                    exit_code: 137,
                });
            }
        }
    }

    /// ExecSync / Exec: run `argv` in the running container `id` (its file system changes
    /// persist). `Err` is containerd's wording when the process cannot start (`exec_id` names
    /// the exec process).
    pub fn exec_sync(
        &mut self,
        id: &str,
        argv: &[String],
        hostname: &str,
        vars: Vec<(String, String)>,
        now: Millis,
        exec_id: &str,
    ) -> Result<ExecOutput, String> {
        let Some(c) = self.containers.get_mut(id) else {
            return Err(format!("container \"{id}\" not found"));
        };
        if !matches!(c.state(now), ContainerState::Running { .. }) {
            return Err(format!("container {id} is not running"));
        }
        c.catch_up_files(hostname, now);
        // The runtime starts an exec'd process with the container's environment.
        let vars = if c.program.vars.is_empty() {
            vars
        } else {
            c.program.vars.clone()
        };
        let mut ctx = ExecContext {
            hostname,
            image: &c.image,
            vars,
            files: &mut c.files,
            now,
            network: self.network.as_deref(),
        };
        process::exec_in_container(argv, &mut ctx).map_err(|e| {
            format!(
                "failed to exec in container: failed to start exec \"{exec_id}\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"{}\": executable file not found in $PATH: unknown",
                e.program
            )
        })
    }

    /// Run the condition of a container's network-waiting loop ([`process::Poll`]) in it, with
    /// the cluster network as it is now; once the loop is over the script exits 0 at `now`.
    /// True when it ended.
    pub fn poll_condition(&mut self, id: &str, hostname: &str, now: Millis) -> bool {
        let network = self.network.clone();
        let Some(c) = self.containers.get_mut(id) else {
            return false;
        };
        let Some(poll) = c.program.poll.clone() else {
            return false;
        };
        if !matches!(c.state(now), ContainerState::Running { .. }) {
            return false;
        }
        c.catch_up_files(hostname, now);
        let mut ctx = ExecContext {
            hostname,
            image: &c.image,
            vars: c.program.vars.clone(),
            files: &mut c.files,
            now,
            network: network.as_deref(),
        };
        let ended = process::exec_in_container(&poll.argv, &mut ctx)
            .is_ok_and(|out| poll.ends(poll.exit_code(&out)));
        if ended {
            c.killed = Some(Ending {
                at: now,
                exit_code: 0,
            });
        }
        ended
    }

    /// RemoveContainer (container garbage collection).
    pub fn remove_container(&mut self, id: &str) {
        self.containers.remove(id);
    }

    /// ContainerStatus: a container the runtime still has.
    pub fn container(&self, id: &str) -> Option<&Container> {
        self.containers.get(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names_are_qualified_as_containerd_does() {
        assert_eq!(normalize_image("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(
            normalize_image("nginx:1.27"),
            "docker.io/library/nginx:1.27"
        );
        assert_eq!(
            normalize_image("bitnami/redis:7"),
            "docker.io/bitnami/redis:7"
        );
        assert_eq!(
            normalize_image("registry.k8s.io/pause:3.10"),
            "registry.k8s.io/pause:3.10"
        );
        assert_eq!(
            normalize_image("localhost:5000/app"),
            "localhost:5000/app:latest"
        );
    }

    #[test]
    fn offline_nodes_cannot_pull() {
        let mut rt = Runtime::new(&["busybox:1.36".into()], false);
        assert_eq!(
            rt.image("docker.io/library/busybox:1.36").map(|i| i.digest_ref.as_str()),
            Some("docker.io/library/busybox@sha256:9bb98427aa94834f170ed6661e83f4f64f5fbe67076abbbcb5b1b657a414f6bc")
        );
        let err = rt.pull("doesnotexist:1.0").unwrap_err();
        assert!(
            err.starts_with(
                "failed to pull and unpack image \"docker.io/library/doesnotexist:1.0\""
            ),
            "{err}"
        );
    }

    #[test]
    fn a_container_exits_when_its_program_ends() {
        let mut rng = Rng::seeded(1);
        let mut rt = Runtime::new(&[], true);
        let script = [
            "sh".to_string(),
            "-c".to_string(),
            "echo starting; exit 1".to_string(),
        ];
        let program = Program::for_container(&script, &[], "busybox:1.36", "crasher", 2);
        let id = rt.create_container("uid", "app", "busybox:1.36", program, 0, 100, &mut rng);
        assert_eq!(rt.containers[&id].state(100), ContainerState::Created);
        rt.start_container(&id, 200);
        assert_eq!(
            rt.containers[&id].state(200),
            ContainerState::Running { started_at: 200 }
        );
        assert_eq!(rt.containers[&id].exits_at(200), Some(222));
        let exited = ContainerState::Exited {
            started_at: 200,
            finished_at: 222,
            exit_code: 1,
            reason: "Error".into(),
            message: String::new(),
        };
        assert_eq!(rt.containers[&id].state(5_000), exited);
        assert_eq!(rt.containers[&id].logs(5_000)[0].text, "starting");
    }

    #[test]
    fn signals() {
        let mut rng = Rng::seeded(1);
        let mut rt = Runtime::new(&[], true);
        let nginx = Program::for_container(&[], &[], "nginx:1.27", "web", 2);
        let sleeper =
            Program::for_container(&["sleep".into(), "3600".into()], &[], "busybox", "s", 2);
        let web = rt.create_container("u", "web", "nginx:1.27", nginx, 0, 0, &mut rng);
        let sleep = rt.create_container("u", "s", "busybox", sleeper, 0, 0, &mut rng);
        rt.start_container(&web, 0);
        rt.start_container(&sleep, 0);
        rt.signal_term(&web, 1_000);
        rt.signal_term(&sleep, 1_000);
        assert!(matches!(
            rt.containers[&web].state(1_050),
            ContainerState::Exited { exit_code: 0, .. }
        ));
        assert!(matches!(
            rt.containers[&sleep].state(20_000),
            ContainerState::Running { .. }
        ));
        rt.kill(&sleep, 31_000);
        assert!(matches!(
            rt.containers[&sleep].state(31_000),
            ContainerState::Exited { exit_code: 137, .. }
        ));
    }
}
