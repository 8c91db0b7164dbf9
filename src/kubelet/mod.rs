//! The kubelet of one node: registers its Node, watches the pods bound to it, and runs a pod
//! worker for each (pkg/kubelet/pod_workers.go): every sync writes the pod's status, then acts
//! (kuberuntime_manager.go SyncPod): volumes (csi), the sandbox (cri) with its network (cni),
//! then each container that should run: restart back-off, image (images/image_manager.go),
//! create and start. The PLEG relists the runtime every second and wakes the worker when a
//! container exits; a failed start is retried when its back-off ends. On deletion, containers
//! are stopped within the grace period, the sandbox torn down, and the pod deleted for good.
//! A container garbage collector runs every minute; the kubelet's server (port 10250) serves
//! container logs to the API server.

pub mod backoff;
pub mod cni;
pub mod cri;
pub mod csi;
pub mod env;
pub mod heartbeat;
pub mod lifecycle;
pub mod prober;
mod probing;
pub mod process;
pub mod server;
pub mod status;
mod sync;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use serde_json::{json, Value};

use crate::apiserver::{Request, Verb};
use crate::client::{core, grouped, key_of, Ctx, Informer};
use crate::cluster::Component;
use crate::events::LegacyRecorder;
use crate::sim::{Actor, Millis};
use backoff::Backoff;
use cni::HostLocal;
use cri::{ContainerState, Runtime};
use heartbeat::{Heartbeat, KubeletState};
use prober::ProbeWorker;
use server::{KubeletServer, NodeState, KUBELET_PORT};
use status::{ContainerRecord, PodView};

/// The generic PLEG's relist period (`plegRelistPeriod`).
const RELIST_PERIOD: Millis = 1_000;
/// How often the container garbage collector runs (`ContainerGCPeriod`).
const CONTAINER_GC_PERIOD: Millis = 60_000;
/// Dead containers kept per container of a pod (`--maximum-dead-containers-per-container`).
const MAX_DEAD_PER_CONTAINER: usize = 1;

/// kubeadm's `LabelNodeRoleControlPlane`, also the key of its control-plane taint.
pub const CONTROL_PLANE_ROLE_LABEL: &str = "node-role.kubernetes.io/control-plane";
/// kubeadm's `LabelExcludeFromExternalLB` (cmd/kubeadm/app/constants/constants.go).
pub const EXCLUDE_FROM_EXTERNAL_LB_LABEL: &str =
    "node.kubernetes.io/exclude-from-external-load-balancers";

/// How a node is set up.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeConfig {
    pub name: String,
    pub internal_ip: String,
    pub pod_cidr: String,
    pub zone: Option<String>,
    pub cpu: String,
    pub memory: String,
    /// Images already on the node.
    pub images: Vec<String>,
    /// Whether the node reaches a registry (otherwise only `images` exist there).
    pub can_pull: bool,
    /// Labels beyond the kubelet's own (`kubernetes.io/hostname`, os, arch, zone), present from
    /// registration on: the role labels kubeadm's mark-control-plane phase adds
    /// (cmd/kubeadm/app/phases/markcontrolplane/markcontrolplane.go labelsToAdd).
    pub extra_labels: BTreeMap<String, String>,
    /// The Node's `spec.taints` at registration (kubelet `--register-with-taints`, or the taints
    /// kubeadm's mark-control-plane phase puts on a control-plane node).
    pub taints: Vec<Value>,
}

impl NodeConfig {
    /// A worker of the default cluster: any image can be pulled.
    pub fn worker(name: &str, ip: &str, cidr: &str, zone: &str, cpu: &str, memory: &str) -> Self {
        NodeConfig {
            name: name.into(),
            internal_ip: ip.into(),
            pod_cidr: cidr.into(),
            zone: Some(zone.into()),
            cpu: cpu.into(),
            memory: memory.into(),
            images: Vec::new(),
            can_pull: true,
            extra_labels: BTreeMap::new(),
            taints: Vec::new(),
        }
    }

    /// The control-plane node of a kubeadm (kind) cluster: a kubelet like a worker's, no zone,
    /// the labels `node-role.kubernetes.io/control-plane` and
    /// `node.kubernetes.io/exclude-from-external-load-balancers` (both empty) and the taint
    /// `node-role.kubernetes.io/control-plane:NoSchedule` (kubeadm's markControlPlaneNode, with
    /// the default control-plane taint of cmd/kubeadm/app/constants ControlPlaneTaint).
    pub fn control_plane(name: &str, ip: &str, cidr: &str, cpu: &str, memory: &str) -> Self {
        let mut cfg = NodeConfig::worker(name, ip, cidr, "", cpu, memory);
        cfg.zone = None;
        cfg.extra_labels = [CONTROL_PLANE_ROLE_LABEL, EXCLUDE_FROM_EXTERNAL_LB_LABEL]
            .into_iter()
            .map(|label| (label.to_string(), String::new()))
            .collect();
        cfg.taints = vec![json!({"key": CONTROL_PLANE_ROLE_LABEL, "effect": "NoSchedule"})];
        cfg
    }

    /// Where the kubelet's server listens: the InternalIP and port 10250.
    pub fn kubelet_address(&self) -> String {
        format!("{}:{KUBELET_PORT}", self.internal_ip)
    }
}

/// What a pod worker does next.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// Waiting for the PLEG or the work queue (`due`, MAX when nothing is queued).
    Idle,
    /// SyncPod: write the status, then act.
    Sync,
    /// Create the sandbox and its network.
    Sandbox,
    /// Go on with container `i` of the spec (and those after it).
    Containers(usize),
    /// The image of container `i` is being pulled.
    Pulling(usize),
    /// Create and start container `i`.
    Start(usize),
    /// Container `i` failed its liveness or startup probe: it was sent SIGTERM and is killed
    /// at `kill_at` if it still runs, then restarted (or not) by the restart policy.
    Killing {
        index: usize,
        kill_at: Millis,
    },
    /// Stop containers (SIGTERM) and wait until they exit or the grace period ends.
    Stopping {
        kill_at: Millis,
    },
    /// Everything stopped: tear down the sandbox and delete the pod.
    Stopped,
    Gone,
}

/// What one SyncPod round did, for the requeue decision (pod_workers.go completeWork).
#[derive(Debug, Clone, Default)]
struct Round {
    /// A container or the sandbox was started: the PLEG relists at once (postSync).
    acted: bool,
    /// A start failed: retry at this time at the latest (back-off expiry or the worker
    /// back-off period), before jitter.
    retry_at: Option<Millis>,
    /// When the pull under way started.
    pull_started: Millis,
}

struct PodWorker {
    uid: String,
    step: Step,
    due: Millis,
    ip: Option<String>,
    volumes_ready: bool,
    sandbox_ready: bool,
    started_at: Millis,
    records: BTreeMap<String, ContainerRecord>,
    /// The reason cache (pkg/kubelet/reason_cache.go): why a container's last start failed.
    reasons: BTreeMap<String, (String, String)>,
    /// The containers the PLEG saw running at the last relist.
    seen_running: BTreeSet<String>,
    round: Round,
    /// The pod reached Succeeded or Failed: nothing runs any more.
    terminal: bool,
    /// The pod's probe workers (prober_manager.go AddPod).
    probes: Vec<ProbeWorker>,
    /// How many mounts in a row failed (the operation executor's exponential back-off).
    mount_failures: u32,
}

impl PodWorker {
    fn new(uid: &str, now: Millis) -> Self {
        PodWorker {
            uid: uid.to_string(),
            step: Step::Sync,
            due: now,
            ip: None,
            volumes_ready: false,
            sandbox_ready: false,
            started_at: now,
            records: BTreeMap::new(),
            reasons: BTreeMap::new(),
            seen_running: BTreeSet::new(),
            round: Round::default(),
            terminal: false,
            probes: Vec::new(),
            mount_failures: 0,
        }
    }
}

pub struct Kubelet {
    cfg: NodeConfig,
    registered: bool,
    /// When the kubelet started: the PLEG relists and the garbage collector run from then.
    started_at: Option<Millis>,
    pods: Informer,
    /// The pods as this kubelet last wrote them (newer than the informer until the watch
    /// delivers the write).
    written: BTreeMap<String, Value>,
    workers: BTreeMap<String, PodWorker>,
    node: Rc<RefCell<NodeState>>,
    ipam: HostLocal,
    /// Container restart back-off, keyed per container (`kl.backOff`).
    crash_backoff: Backoff,
    /// Image pull back-off, keyed `podUID_image` (`imageBackOff`).
    image_backoff: Backoff,
    /// The last pull error per back-off key, for the ImagePullBackOff message.
    pull_errors: BTreeMap<String, String>,
    recorder: LegacyRecorder,
    /// The service informer (the kubelet's serviceLister, for the service environment).
    services: Informer,
    /// The ConfigMaps and Secrets the kubelet's pods refer to, as last read from the API server
    /// (`configmap/NS/NAME`, `secret/NS/NAME`); a missing key was not found.
    objects: BTreeMap<String, Value>,
    /// Whether the kubelet runs and reaches the API server (set by `podlab node ...` through
    /// [`Kubelet::set_state`]).
    state: KubeletState,
    /// The state the kubelet was in at its last run (to notice a restart or a reconnection).
    last_state: KubeletState,
    /// The node lease and node status heartbeats.
    heartbeat: Heartbeat,
    /// The Node's uid, for the lease's owner reference.
    node_uid: String,
    /// Each stopping container's preStop hook and SIGTERM (see [`lifecycle`]).
    hooks: lifecycle::Hooks,
}

fn on_node(pod: &Value, node: &str) -> bool {
    pod.pointer("/spec/nodeName").and_then(Value::as_str) == Some(node)
}

use crate::unstructured::str_at;

fn resource_version(v: &Value) -> i64 {
    str_at(v, "/metadata/resourceVersion").parse().unwrap_or(0)
}

/// `wait.Jitter(d, 0.5)`: up to half again, at random (pod_workers.go
/// workerBackOffPeriodJitterFactor).
fn jitter(ctx: &mut Ctx, d: Millis) -> Millis {
    d + ctx.rng.below(d / 2 + 1)
}

impl Kubelet {
    pub fn new(cfg: NodeConfig) -> Self {
        let selector = format!("&fieldSelector=spec.nodeName={}", cfg.name);
        let node = NodeState {
            runtime: Runtime::new(&cfg.images, cfg.can_pull),
            pods: BTreeMap::new(),
        };
        Kubelet {
            pods: Informer::filtered(core("pods"), on_node, &cfg.name, &selector),
            ipam: HostLocal::new(&cfg.pod_cidr),
            registered: false,
            started_at: None,
            written: BTreeMap::new(),
            workers: BTreeMap::new(),
            node: Rc::new(RefCell::new(node)),
            crash_backoff: Backoff::default(),
            image_backoff: Backoff::default(),
            pull_errors: BTreeMap::new(),
            recorder: LegacyRecorder::new(&cfg.name),
            services: Informer::new(core("services")),
            objects: BTreeMap::new(),
            state: KubeletState::Running,
            last_state: KubeletState::Running,
            heartbeat: Heartbeat::starting(0),
            node_uid: String::new(),
            hooks: lifecycle::Hooks::default(),
            cfg,
        }
    }

    /// The kubelet's server, for the API server to reach at [`NodeConfig::kubelet_address`].
    pub fn server(&self) -> KubeletServer {
        KubeletServer::new(&self.cfg.name, Rc::clone(&self.node))
    }

    fn node_object(&self) -> Value {
        let mut labels = json!({
            "beta.kubernetes.io/arch": "amd64",
            "beta.kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64",
            "kubernetes.io/hostname": self.cfg.name,
            "kubernetes.io/os": "linux",
        });
        if let Some(z) = &self.cfg.zone {
            labels["topology.kubernetes.io/zone"] = json!(z);
        }
        for (key, value) in &self.cfg.extra_labels {
            labels[key.as_str()] = json!(value);
        }
        let images: Vec<Value> = self
            .node
            .borrow()
            .runtime
            .images()
            .map(|i| json!({"names": [i.digest_ref, i.reference], "sizeBytes": i.size_bytes}))
            .collect();
        let resources = json!({"cpu": self.cfg.cpu, "memory": self.cfg.memory, "pods": "110", "ephemeral-storage": "100Gi", "hugepages-1Gi": "0", "hugepages-2Mi": "0"});
        json!({
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": self.cfg.name, "labels": labels, "annotations": {"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
            "spec": self.node_spec(),
            "status": {
                "capacity": resources,
                "allocatable": resources,
                "conditions": [
                    {"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory", "message": "kubelet has sufficient memory available"},
                    {"type": "DiskPressure", "status": "False", "reason": "KubeletHasNoDiskPressure", "message": "kubelet has no disk pressure"},
                    {"type": "PIDPressure", "status": "False", "reason": "KubeletHasSufficientPID", "message": "kubelet has sufficient PID available"},
                    {"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"},
                ],
                "addresses": [{"type": "InternalIP", "address": self.cfg.internal_ip}, {"type": "Hostname", "address": self.cfg.name}],
                "daemonEndpoints": {"kubeletEndpoint": {"Port": KUBELET_PORT}},
                "nodeInfo": {"architecture": "amd64", "bootID": "", "containerRuntimeVersion": "containerd://2.1.0", "kernelVersion": "6.1.0", "kubeProxyVersion": "", "kubeletVersion": "v1.36.2", "machineID": "", "operatingSystem": "linux", "osImage": "Debian GNU/Linux 12 (bookworm)", "systemUUID": ""},
                "images": images,
            }
        })
    }

    /// The Node's spec at registration: its pod CIDR and, if any, its registration taints
    /// (kubelet_node_status.go initialNode: `Spec.Taints` from `--register-with-taints`).
    fn node_spec(&self) -> Value {
        let mut spec = json!({"podCIDR": self.cfg.pod_cidr, "podCIDRs": [self.cfg.pod_cidr]});
        if !self.cfg.taints.is_empty() {
            spec["taints"] = Value::Array(self.cfg.taints.clone());
        }
        spec
    }

    fn register(&mut self, ctx: &mut Ctx) {
        self.started_at.get_or_insert(ctx.now);
        ctx.note(
            Actor::Kubelet(self.cfg.name.clone()),
            "register node",
            format!("node/{}", self.cfg.name),
            "kubelet starts and registers its Node",
        );
        let mut node = self.node_object();
        let conditions = heartbeat::stamp_conditions(&Value::Null, &node["status"], ctx.now);
        node["status"]["conditions"] = Value::Array(conditions);
        let resp = ctx.create(core("nodes"), None, node);
        self.registered = resp.is_success() || resp.code == 409;
        self.node_uid = str_at(&resp.body, "/metadata/uid").to_string();
        self.heartbeat = Heartbeat::starting(ctx.now);
        if !self.registered {
            ctx.wake_after(2_000);
        }
    }

    fn name(&self) -> String {
        self.cfg.name.clone()
    }

    /// The configMap/secret managers' Get (watch_based_manager.go): read each ConfigMap and
    /// Secret the pod refers to from the API server (the Node authorizer lets a kubelet read
    /// those of its pods) and remember what was found.
    fn fetch_references(&mut self, pod: &Value, ctx: &mut Ctx) {
        let ns = str_at(pod, "/metadata/namespace").to_string();
        for (secret, name) in env::references(pod).into_keys() {
            let (resource, kind) = if secret {
                ("secrets", "secret")
            } else {
                ("configmaps", "configmap")
            };
            let get = Request::new(Verb::Get, core(resource), &ctx.user())
                .namespace(Some(&ns))
                .name(&name);
            let resp = ctx.request(get);
            let key = format!("{kind}/{ns}/{name}");
            if resp.is_success() {
                self.objects.insert(key, resp.body);
            } else {
                self.objects.remove(&key);
            }
        }
    }

    /// What the pod's environment and volumes are made from, as far as the kubelet knows.
    fn env_inputs(&self, pod: &Value) -> env::EnvInputs {
        let ns = str_at(pod, "/metadata/namespace");
        let mut inputs = env::EnvInputs {
            services: self.services.list().cloned().collect(),
            host_ip: self.cfg.internal_ip.clone(),
            node_cpu: self.cfg.cpu.clone(),
            node_memory: self.cfg.memory.clone(),
            ..env::EnvInputs::default()
        };
        let key = format!("{}/{}", ns, str_at(pod, "/metadata/name"));
        inputs.pod_ip = self
            .workers
            .get(&key)
            .and_then(|w| w.ip.clone())
            .unwrap_or_default();
        for (k, v) in &self.objects {
            if let Some(name) = k.strip_prefix(&format!("configmap/{ns}/")) {
                inputs.config_maps.insert(name.to_string(), v.clone());
            } else if let Some(name) = k.strip_prefix(&format!("secret/{ns}/")) {
                inputs.secrets.insert(name.to_string(), v.clone());
            }
        }
        inputs
    }

    fn me(&self) -> Actor {
        Actor::Kubelet(self.cfg.name.clone())
    }

    fn cri(&self) -> Actor {
        Actor::Cri(self.cfg.name.clone())
    }

    /// The pod as last seen: the informer's copy, or this kubelet's own later write.
    fn current_pod(&self, key: &str) -> Option<Value> {
        let cached = self.pods.get(key)?;
        match self.written.get(key) {
            Some(w) if resource_version(w) > resource_version(cached) => Some(w.clone()),
            _ => Some(cached.clone()),
        }
    }

    fn on_pod_changes(&mut self, ctx: &mut Ctx) {
        for change in self.pods.sync(ctx) {
            let key = key_of(&change.new);
            match change.kind {
                "ADDED" if !self.workers.contains_key(&key) => {
                    let uid = str_at(&change.new, "/metadata/uid").to_string();
                    ctx.note(
                        self.me(),
                        "SyncPod",
                        format!("pod/{key}"),
                        "a pod was bound to this node: start it",
                    );
                    let mut worker = PodWorker::new(&uid, ctx.now);
                    worker.probes = ProbeWorker::for_pod(&change.new, ctx.now);
                    self.workers.insert(key.clone(), worker);
                }
                "DELETED" => {
                    if let Some(w) = self.workers.get_mut(&key) {
                        if w.step != Step::Gone {
                            w.step = Step::Stopped;
                            w.due = ctx.now;
                        }
                    }
                }
                _ => {
                    let deleting = change.new.pointer("/metadata/deletionTimestamp").is_some();
                    if let Some(w) = self.workers.get_mut(&key) {
                        if deleting
                            && !matches!(w.step, Step::Stopping { .. } | Step::Stopped | Step::Gone)
                        {
                            let grace = change
                                .new
                                .pointer("/metadata/deletionGracePeriodSeconds")
                                .and_then(Value::as_i64)
                                .unwrap_or(30);
                            w.step = Step::Stopping {
                                kill_at: ctx
                                    .now
                                    .saturating_add((grace.max(0) as Millis).saturating_mul(1000)),
                            };
                            w.due = ctx.now;
                        }
                    }
                }
            }
        }
    }

    /// Containers whose script waits in a loop on the cluster network (an init container's
    /// `until nslookup myservice…`) run its condition again at each relist; one whose loop is
    /// over exits, which this relist then sees. The next relist, while any still waits.
    fn poll_waiting_loops(&mut self, ctx: &mut Ctx) -> Option<Millis> {
        let mut waiting = false;
        let running: Vec<(String, String)> = self
            .workers
            .iter()
            .flat_map(|(key, w)| {
                w.seen_running
                    .iter()
                    .map(move |id| (key.clone(), id.clone()))
            })
            .collect();
        for (key, id) in running {
            let hostname = key.rsplit('/').next().unwrap_or_default().to_string();
            let mut node = self.node.borrow_mut();
            let polled = node
                .runtime
                .container(&id)
                .is_some_and(|c| c.program.poll.is_some() && c.exits_at(ctx.now).is_none());
            if !polled {
                continue;
            }
            if node.runtime.poll_condition(&id, &hostname, ctx.now) {
                drop(node);
                ctx.note(
                    self.cri(),
                    "exec (loop condition)",
                    format!("pod/{key}"),
                    "the condition the script waited on holds: its loop ends and it exits 0",
                );
            } else {
                waiting = true;
            }
        }
        waiting.then(|| self.relist_tick(ctx.now.saturating_add(1)))
    }

    /// The first PLEG relist at or after `at`.
    fn relist_tick(&self, at: Millis) -> Millis {
        let start = self.started_at.unwrap_or(0);
        let since = at.saturating_sub(start);
        start + since.div_ceil(RELIST_PERIOD) * RELIST_PERIOD
    }

    /// The generic PLEG: at each relist, a container that was running and has exited wakes its
    /// pod worker. Returns when the next such relist is due.
    fn relist(&mut self, ctx: &mut Ctx) -> Option<Millis> {
        let mut next: Option<Millis> = self.poll_waiting_loops(ctx);
        let keys: Vec<String> = self.workers.keys().cloned().collect();
        for key in keys {
            let exits: Vec<Millis> = {
                let node = self.node.borrow();
                let Some(w) = self.workers.get(&key) else {
                    continue;
                };
                w.seen_running
                    .iter()
                    .map(|id| {
                        node.runtime
                            .container(id)
                            .map_or(ctx.now, |c| c.finished_at().unwrap_or(Millis::MAX))
                    })
                    .filter(|at| *at != Millis::MAX)
                    .collect()
            };
            let Some(first_exit) = exits.into_iter().min() else {
                continue;
            };
            let tick = self.relist_tick(first_exit);
            let Some(w) = self.workers.get_mut(&key) else {
                continue;
            };
            if tick <= ctx.now {
                if w.step == Step::Idle {
                    ctx.note(
                        Actor::Kubelet(self.cfg.name.clone()),
                        "PLEG: ContainerDied",
                        format!("pod/{key}"),
                        "relist: a container exited; sync the pod",
                    );
                    w.step = Step::Sync;
                    w.due = ctx.now;
                }
            } else {
                next = Some(next.map_or(tick, |n| n.min(tick)));
            }
        }
        next
    }

    /// The next run of the container garbage collector, if there are dead containers to remove.
    fn next_gc(&self, now: Millis) -> Option<Millis> {
        let node = self.node.borrow();
        let mut dead: BTreeMap<(String, String), usize> = BTreeMap::new();
        for c in node.runtime.containers.values() {
            if matches!(c.state(now), ContainerState::Exited { .. }) {
                *dead.entry((c.pod_uid.clone(), c.name.clone())).or_default() += 1;
            }
        }
        if dead.values().all(|n| *n <= MAX_DEAD_PER_CONTAINER) {
            return None;
        }
        let start = self.started_at.unwrap_or(0);
        Some(start + now.saturating_sub(start).div_ceil(CONTAINER_GC_PERIOD) * CONTAINER_GC_PERIOD)
    }

    /// containerGC.GarbageCollect (kuberuntime_gc.go evictContainers): of each container of a
    /// pod, keep the newest dead instance and remove the older ones.
    fn collect_garbage(&mut self, ctx: &mut Ctx) {
        let mut removed = Vec::new();
        {
            let mut node = self.node.borrow_mut();
            let mut dead: BTreeMap<(String, String), Vec<(Millis, String)>> = BTreeMap::new();
            for c in node.runtime.containers.values() {
                if matches!(c.state(ctx.now), ContainerState::Exited { .. }) {
                    dead.entry((c.pod_uid.clone(), c.name.clone()))
                        .or_default()
                        .push((c.created_at, c.id.clone()));
                }
            }
            for ((_, name), mut list) in dead {
                list.sort();
                let evict = list.len().saturating_sub(MAX_DEAD_PER_CONTAINER);
                for (_, id) in list.into_iter().take(evict) {
                    node.runtime.remove_container(&id);
                    removed.push((name.clone(), id));
                }
            }
        }
        for (name, id) in removed {
            ctx.note(
                self.cri(),
                "RemoveContainer",
                format!("container/{name}"),
                format!("container garbage collection: containerd://{id} (older dead instance)"),
            );
        }
    }

    /// Advance every pod whose next step is due; return the earliest next step.
    fn sync_workers(&mut self, ctx: &mut Ctx) -> Option<Millis> {
        let keys: Vec<String> = self.workers.keys().cloned().collect();
        for key in keys {
            // A few steps may fall due at once; bound the loop so a bug cannot spin forever.
            for _ in 0..32 {
                let due = self.workers.get(&key).is_some_and(|w| {
                    w.due <= ctx.now && !matches!(w.step, Step::Gone | Step::Idle)
                });
                let requeued = self
                    .workers
                    .get(&key)
                    .is_some_and(|w| w.step == Step::Idle && w.due <= ctx.now);
                if requeued {
                    if let Some(w) = self.workers.get_mut(&key) {
                        w.step = Step::Sync;
                    }
                } else if !due {
                    break;
                }
                self.step(&key, ctx);
            }
        }
        let gone: Vec<String> = self
            .workers
            .iter()
            .filter(|(_, w)| w.step == Step::Gone)
            .map(|(k, _)| k.clone())
            .collect();
        for key in gone {
            if let Some(w) = self.workers.remove(&key) {
                self.crash_backoff.forget_prefix(&format!("{}_", w.uid));
                self.image_backoff.forget_prefix(&format!("{}_", w.uid));
                self.pull_errors
                    .retain(|k, _| !k.starts_with(&format!("{}_", w.uid)));
            }
            self.written.remove(&key);
            self.node.borrow_mut().pods.remove(&key);
        }
        self.workers
            .values()
            .filter(|w| w.step != Step::Gone && w.due != Millis::MAX)
            .map(|w| w.due)
            .min()
    }

    fn step(&mut self, key: &str, ctx: &mut Ctx) {
        let Some(pod) = self.current_pod(key) else {
            // The pod object is gone: clean up what is left on the node.
            self.teardown(key, ctx);
            return;
        };
        let Some(step) = self.workers.get(key).map(|w| w.step.clone()) else {
            return;
        };
        match step {
            Step::Sync => self.sync_pod(key, &pod, ctx),
            Step::Sandbox => self.create_sandbox(key, &pod, ctx),
            Step::Containers(i) => self.containers_from(key, &pod, i, ctx),
            Step::Pulling(i) => self.pulled(key, &pod, i, ctx),
            Step::Start(i) => self.start_container(key, &pod, i, ctx),
            Step::Killing { index, kill_at } => self.killing(key, &pod, index, kill_at, ctx),
            Step::Stopping { kill_at } => self.stop_containers(key, &pod, kill_at, ctx),
            Step::Stopped => self.finish_termination(key, &pod, ctx),
            Step::Idle | Step::Gone => {}
        }
    }

    fn set(&mut self, key: &str, step: Step, due: Millis) {
        if let Some(w) = self.workers.get_mut(key) {
            w.step = step;
            w.due = due;
        }
    }

    /// The runtime ids of the pod's containers that are running now.
    fn running_containers(&self, key: &str, now: Millis) -> Vec<(String, String)> {
        let node = self.node.borrow();
        let Some(w) = self.workers.get(key) else {
            return Vec::new();
        };
        w.records
            .iter()
            .filter_map(|(name, r)| {
                let id = r.current.clone()?;
                let running = matches!(
                    node.runtime.container(&id)?.state(now),
                    ContainerState::Running { .. }
                );
                running.then(|| (name.clone(), id))
            })
            .collect()
    }

    /// Everything has stopped: remove the sandbox, report the final status, delete the pod.
    fn finish_termination(&mut self, key: &str, pod: &Value, ctx: &mut Ctx) {
        let node = self.name();
        let uid = str_at(pod, "/metadata/uid").to_string();
        self.report_status(key, pod, ctx);
        ctx.note(
            self.me(),
            "StopPodSandbox",
            format!("pod/{key}"),
            "CRI: stop and remove the sandbox",
        );
        self.node.borrow_mut().runtime.remove_pod_sandbox(&uid);
        if let Some(ip) = self.ipam.del(&uid) {
            ctx.note_from(
                Actor::Cri(node.clone()),
                Actor::Cni(node),
                "CNI DEL",
                format!("pod/{key}"),
                format!("release {ip}"),
            );
        }
        let ns = str_at(pod, "/metadata/namespace").to_string();
        let name = str_at(pod, "/metadata/name").to_string();
        ctx.delete(core("pods"), Some(&ns), &name, Some(0));
        self.set(key, Step::Gone, ctx.now);
    }

    fn teardown(&mut self, key: &str, ctx: &mut Ctx) {
        if let Some(w) = self.workers.get(key) {
            let uid = w.uid.clone();
            self.node.borrow_mut().runtime.remove_pod_sandbox(&uid);
            if let Some(ip) = self.ipam.del(&uid) {
                ctx.note_from(
                    self.cri(),
                    Actor::Cni(self.name()),
                    "CNI DEL",
                    format!("pod/{key}"),
                    format!("release {ip}"),
                );
            }
        }
        self.set(key, Step::Gone, ctx.now);
    }

    /// The status manager: compute the pod's status and write it if it changed.
    fn report_status(&mut self, key: &str, pod: &Value, ctx: &mut Ctx) -> Value {
        let Some(w) = self.workers.get(key) else {
            return Value::Null;
        };
        let status = {
            let node = self.node.borrow();
            let view = PodView {
                pod,
                records: &w.records,
                reasons: &w.reasons,
                ip: w.ip.as_deref(),
                sandbox_ready: w.sandbox_ready,
                started_at: w.started_at,
                host_ip: &self.cfg.internal_ip,
                probes: &w.probes,
            };
            status::pod_status(&view, &node.runtime, ctx.now)
        };
        let mut updated = pod.clone();
        updated["status"] = status.clone();
        self.node
            .borrow_mut()
            .pods
            .insert(key.to_string(), updated.clone());
        if updated.get("status") == pod.get("status") {
            return status;
        }
        let mut resp = ctx.update_status(core("pods"), updated);
        if resp.code == 409 {
            // The pod changed meanwhile (a label, an annotation): write onto the latest one.
            let (ns, name) = (
                str_at(pod, "/metadata/namespace"),
                str_at(pod, "/metadata/name"),
            );
            let get = Request::new(Verb::Get, core("pods"), &ctx.user())
                .namespace(Some(ns))
                .name(name);
            let latest = ctx.request(get);
            if latest.is_success() {
                let mut retry = latest.body;
                retry["status"] = status.clone();
                resp = ctx.update_status(core("pods"), retry);
            }
        }
        if resp.is_success() {
            self.written.insert(key.to_string(), resp.body);
        }
        status
    }
}

impl Component for Kubelet {
    fn actor(&self) -> Actor {
        Actor::Kubelet(self.cfg.name.clone())
    }

    fn as_kubelet(&self) -> Option<&Kubelet> {
        Some(self)
    }

    fn as_kubelet_mut(&mut self) -> Option<&mut Kubelet> {
        Some(self)
    }

    fn run(&mut self, ctx: &mut Ctx) {
        // The runtime's exec'd network clients reach this cluster's network.
        if let Some(network) = ctx.network() {
            self.node.borrow_mut().runtime.network = Some(std::rc::Rc::clone(network));
        }
        if !self.powered(ctx) {
            return;
        }
        if !self.registered {
            self.register(ctx);
            if !self.registered {
                return;
            }
        }
        self.on_pod_changes(ctx);
        let gc_due = self.next_gc(ctx.now);
        if gc_due.is_some_and(|at| at <= ctx.now) {
            self.collect_garbage(ctx);
        }
        self.relist(ctx);
        self.run_probes(ctx);
        let next_step = self.sync_workers(ctx);
        let next_relist = self.relist(ctx);
        let next_gc = self.next_gc(ctx.now).filter(|at| *at > ctx.now);
        let next_probe = self.run_probes(ctx);
        let next_beat = self.beat(ctx);
        if let Some(next) = [next_step, next_relist, next_gc, next_probe, next_beat]
            .into_iter()
            .flatten()
            .min()
        {
            ctx.wake_at(next);
        }
    }
}

/// The heartbeats and the on/off switch (see [`heartbeat`]).
impl Kubelet {
    /// Whether the kubelet runs and reaches the API server.
    pub fn state(&self) -> KubeletState {
        self.state
    }

    /// Stop or start the kubelet, or cut or restore its node's network
    /// (`podlab node stop|start|disconnect|reconnect`); it acts on it at its next run.
    pub fn set_state(&mut self, state: KubeletState) {
        self.state = state;
    }

    /// The node's name.
    pub fn node_name(&self) -> &str {
        &self.cfg.name
    }

    /// Where the kubelet's server listens (`IP:10250`).
    pub fn address(&self) -> String {
        self.cfg.kubelet_address()
    }

    /// Whether the kubelet does its work this run. A stopped kubelet does nothing; a cut-off one
    /// tries its heartbeats, which fail. Coming back, it re-syncs: every pod worker syncs again
    /// and both heartbeats are sent at once.
    fn powered(&mut self, ctx: &mut Ctx) -> bool {
        let state = self.state;
        let before = std::mem::replace(&mut self.last_state, state);
        if state != before {
            self.note_state_change(before, state, ctx);
        }
        match state {
            KubeletState::Running => true,
            KubeletState::Stopped => false,
            KubeletState::Disconnected => {
                self.fail_heartbeats(ctx);
                false
            }
        }
    }

    fn note_state_change(&mut self, before: KubeletState, state: KubeletState, ctx: &mut Ctx) {
        let (action, detail) = match (before, state) {
            (_, KubeletState::Stopped) => (
                "kubelet stops",
                "no more heartbeats or pod work; the containers run on",
            ),
            (_, KubeletState::Disconnected) => (
                "network cut",
                "the kubelet runs on, but its requests do not reach the API server",
            ),
            (KubeletState::Stopped, _) => (
                "kubelet starts",
                "relist pods and the runtime, sync every pod, post status and renew the lease",
            ),
            _ => (
                "network restored",
                "sync every pod, post status and renew the lease",
            ),
        };
        ctx.note(self.me(), action, format!("node/{}", self.cfg.name), detail);
        if state == KubeletState::Running {
            for w in self.workers.values_mut() {
                if w.step == Step::Idle {
                    w.step = Step::Sync;
                    w.due = ctx.now;
                }
            }
            self.heartbeat.next_lease = ctx.now;
            self.heartbeat.next_status = ctx.now;
            self.heartbeat.lease = None;
        }
    }

    /// A cut-off kubelet's heartbeats time out; it tries again at the usual periods.
    fn fail_heartbeats(&mut self, ctx: &mut Ctx) {
        let object = format!("node/{}", self.cfg.name);
        if ctx.now >= self.heartbeat.next_lease {
            ctx.note(
                self.me(),
                "renew lease: failed",
                object.clone(),
                "the request does not reach the API server (network cut)",
            );
            self.heartbeat.next_lease = ctx.now + heartbeat::LEASE_RENEW_INTERVAL;
        }
        if ctx.now >= self.heartbeat.next_status {
            ctx.note(
                self.me(),
                "update node status: failed",
                object,
                "the request does not reach the API server (network cut)",
            );
            self.heartbeat.next_status = ctx.now + heartbeat::NODE_STATUS_UPDATE_FREQUENCY;
        }
        ctx.wake_at(self.heartbeat.due());
    }

    /// Send the heartbeats that are due; return when the next one is.
    fn beat(&mut self, ctx: &mut Ctx) -> Option<Millis> {
        if ctx.now >= self.heartbeat.next_lease {
            self.renew_lease(ctx);
            self.heartbeat.next_lease = ctx.now + heartbeat::LEASE_RENEW_INTERVAL;
        }
        if ctx.now >= self.heartbeat.next_status {
            self.update_node_status(ctx);
            self.heartbeat.next_status = ctx.now + heartbeat::NODE_STATUS_UPDATE_FREQUENCY;
        }
        Some(self.heartbeat.due())
    }

    fn get(&self, ctx: &mut Ctx, request: Request) -> Option<Value> {
        let resp = ctx.request(request);
        resp.is_success().then_some(resp.body)
    }

    /// The lease controller's sync: update the lease last written with a new renewTime, or
    /// read it (and create it, owned by the Node, if it does not exist).
    fn renew_lease(&mut self, ctx: &mut Ctx) {
        let leases = grouped("coordination.k8s.io", "leases");
        let name = self.name();
        let latest = match self.heartbeat.lease.take() {
            Some(lease) => Some(lease),
            None => {
                let get = Request::new(Verb::Get, leases, &ctx.user())
                    .namespace(Some(heartbeat::NODE_LEASE_NAMESPACE))
                    .name(&name);
                self.get(ctx, get)
            }
        };
        let resp = match latest {
            Some(lease) => ctx.update(leases, heartbeat::renewed(lease, ctx.now)),
            None => {
                if self.node_uid.is_empty() {
                    let get = Request::new(Verb::Get, core("nodes"), &ctx.user()).name(&name);
                    if let Some(node) = self.get(ctx, get) {
                        self.node_uid = str_at(&node, "/metadata/uid").to_string();
                    }
                }
                let lease = heartbeat::new_lease(&name, &self.node_uid, ctx.now);
                ctx.create(leases, Some(heartbeat::NODE_LEASE_NAMESPACE), lease)
            }
        };
        self.heartbeat.lease = resp.is_success().then_some(resp.body);
    }

    /// tryUpdateNodeStatus: read the Node, compute its status, and PATCH it when something
    /// changed or the report period passed.
    fn update_node_status(&mut self, ctx: &mut Ctx) {
        let name = self.name();
        let get = Request::new(Verb::Get, core("nodes"), &ctx.user()).name(&name);
        let Some(node) = self.get(ctx, get) else {
            return;
        };
        let posted = node.get("status").cloned().unwrap_or(Value::Null);
        let mut status = self.node_object()["status"].take();
        let conditions = heartbeat::stamp_conditions(&posted, &status, ctx.now);
        status["conditions"] = Value::Array(conditions);
        let changed = heartbeat::status_changed(&posted, &status);
        if !changed && !self.heartbeat.report_due(ctx.now) {
            return;
        }
        let why = if changed {
            "the node status changed"
        } else {
            "nodeStatusReportFrequency (5m) passed"
        };
        ctx.note(
            self.me(),
            "update node status",
            format!("node/{name}"),
            format!("{why}: PATCH with every condition's lastHeartbeatTime"),
        );
        self.heartbeat.last_report = ctx.now;
        ctx.patch_status(core("nodes"), None, &name, json!({"status": status}));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// kubeadm's control-plane node: its role labels (markcontrolplane.go labelsToAdd, both
    /// empty) beside the kubelet's own, no zone, and the NoSchedule taint.
    #[test]
    fn a_control_plane_kubelet_registers_its_role_labels_and_taint() {
        let cfg =
            NodeConfig::control_plane("control-plane", "172.18.0.2", "10.244.0.0/24", "2", "4Gi");
        let node = Kubelet::new(cfg).node_object();
        assert_eq!(
            node["metadata"]["labels"],
            json!({
                "beta.kubernetes.io/arch": "amd64",
                "beta.kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/hostname": "control-plane",
                "kubernetes.io/os": "linux",
                "node-role.kubernetes.io/control-plane": "",
                "node.kubernetes.io/exclude-from-external-load-balancers": "",
            })
        );
        assert_eq!(
            node["spec"],
            json!({
                "podCIDR": "10.244.0.0/24",
                "podCIDRs": ["10.244.0.0/24"],
                "taints": [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}],
            })
        );
    }

    /// A worker registers no taints: its spec holds only the pod CIDR.
    #[test]
    fn a_worker_registers_no_taints() {
        let cfg = NodeConfig::worker(
            "worker-1",
            "172.18.0.3",
            "10.244.1.0/24",
            "zone-a",
            "4",
            "8Gi",
        );
        let node = Kubelet::new(cfg).node_object();
        assert_eq!(
            node["spec"],
            json!({"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"]})
        );
        assert_eq!(
            node["metadata"]["labels"]["topology.kubernetes.io/zone"],
            json!("zone-a")
        );
    }
}
