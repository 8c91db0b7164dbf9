//! The kubelet of one node: registers its Node, watches the pods bound to it, and drives each one
//! through the real sequence: volumes (csi), sandbox (cri) with its network (cni), image pulls,
//! containers created and started, status reported back; on deletion, containers stopped within
//! the grace period, the sandbox torn down, and the pod deleted for good.

pub mod cni;
pub mod cri;
pub mod csi;

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::apiserver::timestamp;
use crate::client::{core, key_of, Ctx, Informer};
use crate::cluster::Component;
use crate::events::legacy_event;
use crate::sim::{Actor, Millis};
use cni::HostLocal;
use cri::{ContainerState, Runtime};

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
        }
    }
}

/// Where a pod is in its life on this node.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stage {
    /// Mount volumes next.
    Volumes,
    /// Create the sandbox and its network next.
    Sandbox,
    /// Pull the image of container `i` next.
    Pull(usize),
    /// Waiting for a pull of container `i` to finish.
    Pulling(usize),
    /// Create and start container `i`.
    Start(usize),
    Running,
    /// Image pull failed for container `i`; retry after a back-off.
    PullBackOff(usize),
    /// Stop containers (SIGTERM) and wait until they exit or the grace period ends.
    Stopping { kill_at: Millis },
    /// Everything stopped: tear down the sandbox and delete the pod.
    Stopped,
    Gone,
}

struct PodWorker {
    uid: String,
    stage: Stage,
    due: Millis,
    /// container name → runtime container id
    containers: BTreeMap<String, String>,
    ip: Option<String>,
    started_at: Millis,
    pull_started: Millis,
    pull_failures: u32,
    /// Whether SIGTERM was sent (the Killing events recorded).
    signalled: bool,
}

pub struct Kubelet {
    cfg: NodeConfig,
    registered: bool,
    pods: Informer,
    workers: BTreeMap<String, PodWorker>,
    runtime: Option<Runtime>,
    ipam: HostLocal,
}

fn on_node(pod: &Value, node: &str) -> bool {
    pod.pointer("/spec/nodeName").and_then(Value::as_str) == Some(node)
}

fn str_at<'a>(v: &'a Value, p: &str) -> &'a str {
    v.pointer(p).and_then(Value::as_str).unwrap_or_default()
}

fn containers_of(pod: &Value) -> Vec<Value> {
    pod.pointer("/spec/containers").and_then(Value::as_array).cloned().unwrap_or_default()
}

impl Kubelet {
    pub fn new(cfg: NodeConfig) -> Self {
        let selector = format!("&fieldSelector=spec.nodeName={}", cfg.name);
        Kubelet {
            pods: Informer::filtered(core("pods"), on_node, &cfg.name, &selector),
            ipam: HostLocal::new(&cfg.pod_cidr),
            registered: false,
            workers: BTreeMap::new(),
            runtime: None,
            cfg,
        }
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
        let images: Vec<Value> = self
            .runtime
            .iter()
            .flat_map(|r| r.images())
            .map(|i| json!({"names": [i.digest_ref, i.reference], "sizeBytes": i.size_bytes}))
            .collect();
        let resources = json!({"cpu": self.cfg.cpu, "memory": self.cfg.memory, "pods": "110", "ephemeral-storage": "100Gi", "hugepages-1Gi": "0", "hugepages-2Mi": "0"});
        json!({
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": self.cfg.name, "labels": labels, "annotations": {"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
            "spec": {"podCIDR": self.cfg.pod_cidr, "podCIDRs": [self.cfg.pod_cidr]},
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
                "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                "nodeInfo": {"architecture": "amd64", "bootID": "", "containerRuntimeVersion": "containerd://2.1.0", "kernelVersion": "6.1.0", "kubeProxyVersion": "", "kubeletVersion": "v1.36.2", "machineID": "", "operatingSystem": "linux", "osImage": "Debian GNU/Linux 12 (bookworm)", "systemUUID": ""},
                "images": images,
            }
        })
    }

    fn register(&mut self, ctx: &mut Ctx) {
        if self.runtime.is_none() {
            self.runtime = Some(Runtime::new(&self.cfg.images, self.cfg.can_pull, ctx.rng));
        }
        ctx.note(Actor::Kubelet(self.cfg.name.clone()), "register node", format!("node/{}", self.cfg.name), "kubelet starts and registers its Node");
        let resp = ctx.create(core("nodes"), None, self.node_object());
        self.registered = resp.is_success() || resp.code == 409;
        if !self.registered {
            ctx.wake_after(2_000);
        }
    }

    fn name(&self) -> String {
        self.cfg.name.clone()
    }

    fn on_pod_changes(&mut self, ctx: &mut Ctx) {
        for change in self.pods.sync(ctx) {
            let key = key_of(&change.new);
            match change.kind {
                "ADDED" if !self.workers.contains_key(&key) => {
                    let uid = str_at(&change.new, "/metadata/uid").to_string();
                    ctx.note(Actor::Kubelet(self.name()), "SyncPod", format!("pod/{key}"), "a pod was bound to this node: start it");
                    self.workers.insert(
                        key.clone(),
                        PodWorker { uid, stage: Stage::Volumes, due: ctx.now, containers: BTreeMap::new(), ip: None, started_at: ctx.now, pull_started: ctx.now, pull_failures: 0, signalled: false },
                    );
                }
                "DELETED" => {
                    if let Some(w) = self.workers.get_mut(&key) {
                        if w.stage != Stage::Gone {
                            w.stage = Stage::Stopped;
                            w.due = ctx.now;
                        }
                    }
                }
                _ => {
                    let deleting = change.new.pointer("/metadata/deletionTimestamp").is_some();
                    if let Some(w) = self.workers.get_mut(&key) {
                        if deleting && !matches!(w.stage, Stage::Stopping { .. } | Stage::Stopped | Stage::Gone) {
                            let grace = change.new.pointer("/metadata/deletionGracePeriodSeconds").and_then(Value::as_i64).unwrap_or(30);
                            w.stage = Stage::Stopping { kill_at: ctx.now + grace.max(0) as Millis * 1000 };
                            w.due = ctx.now;
                        }
                    }
                }
            }
        }
    }

    /// Advance every pod whose next step is due; return the earliest next step.
    fn sync_workers(&mut self, ctx: &mut Ctx) -> Option<Millis> {
        let keys: Vec<String> = self.workers.keys().cloned().collect();
        for key in keys {
            // A few steps may fall due at once; bound the loop so a bug cannot spin forever.
            for _ in 0..16 {
                let due = self.workers.get(&key).is_some_and(|w| w.due <= ctx.now && w.stage != Stage::Gone && w.stage != Stage::Running);
                if !due {
                    break;
                }
                self.step(&key, ctx);
            }
        }
        self.workers.retain(|_, w| w.stage != Stage::Gone);
        self.workers.values().filter(|w| w.stage != Stage::Running).map(|w| w.due).min()
    }

    fn step(&mut self, key: &str, ctx: &mut Ctx) {
        let Some(pod) = self.pods.get(key).cloned() else {
            // The pod object is gone: clean up what is left on the node.
            self.teardown(key, ctx);
            return;
        };
        let Some(stage) = self.workers.get(key).map(|w| w.stage.clone()) else { return };
        let me = Actor::Kubelet(self.name());
        let object = format!("pod/{key}");
        match stage {
            Stage::Volumes => {
                for m in csi::mounts(&pod) {
                    match &m.by_csi_driver {
                        Some(driver) => ctx.note(Actor::Csi(self.name()), format!("NodePublishVolume ({driver})"), object.clone(), m.message),
                        None => ctx.note(me.clone(), "volume manager", object.clone(), m.message),
                    }
                }
                self.report_status(&pod, ctx);
                self.set(key, Stage::Sandbox, ctx.now + 150);
            }
            Stage::Sandbox => self.create_sandbox(key, &pod, ctx),
            Stage::Pull(i) => self.pull(key, &pod, i, ctx),
            Stage::Pulling(i) => {
                let c = containers_of(&pod).get(i).cloned().unwrap_or_default();
                let image = str_at(&c, "/image").to_string();
                let size = self.runtime.as_ref().and_then(|r| r.image(&image)).map_or(0, |i| i.size_bytes);
                let took = self.workers.get(key).map_or(0, |w| ctx.now - w.pull_started.min(ctx.now));
                let secs = format_seconds(took);
                let msg = format!("Successfully pulled image \"{image}\" in {secs} ({secs} including waiting). Image size: {size} bytes.");
                legacy_event(ctx, &self.name(), &pod, Some(&format!("spec.containers{{{}}}", str_at(&c, "/name"))), "Normal", "Pulled", &msg);
                self.set(key, Stage::Start(i), ctx.now + 20);
            }
            Stage::Start(i) => self.start_container(key, &pod, i, ctx),
            Stage::PullBackOff(i) => self.set(key, Stage::Pull(i), ctx.now),
            Stage::Stopping { kill_at } => self.stop(key, &pod, kill_at, ctx),
            Stage::Stopped => self.finish_termination(key, &pod, ctx),
            Stage::Running | Stage::Gone => {}
        }
    }

    fn set(&mut self, key: &str, stage: Stage, due: Millis) {
        if let Some(w) = self.workers.get_mut(key) {
            w.stage = stage;
            w.due = due;
        }
    }

    fn create_sandbox(&mut self, key: &str, pod: &Value, ctx: &mut Ctx) {
        let (node, object) = (self.name(), format!("pod/{key}"));
        let uid = str_at(pod, "/metadata/uid").to_string();
        ctx.note(Actor::Kubelet(node.clone()), "RunPodSandbox", object.clone(), "CRI: create the pod sandbox (pause container, network namespace)");
        let Some(ip) = self.ipam.add(&uid) else {
            ctx.note(Actor::Cni(node.clone()), "ADD failed", object, "host-local: no IP addresses available in range set");
            self.set(key, Stage::Sandbox, ctx.now + 5_000);
            return;
        };
        ctx.note_from(Actor::Cri(node.clone()), Actor::Cni(node.clone()), "CNI ADD", object.clone(), format!("bridge + host-local IPAM for {}", self.cfg.pod_cidr));
        ctx.note_from(Actor::Cni(node.clone()), Actor::Cri(node.clone()), format!("IP {ip}"), object.clone(), format!("{ip}/24 from podCIDR {}", self.cfg.pod_cidr));
        if let Some(rt) = self.runtime.as_mut() {
            rt.run_pod_sandbox(&uid, ip.clone(), ctx.rng);
        }
        ctx.note_from(Actor::Cri(node), Actor::Kubelet(self.cfg.name.clone()), "sandbox ready", object, format!("pod IP {ip}"));
        if let Some(w) = self.workers.get_mut(key) {
            w.ip = Some(ip);
        }
        self.report_status(pod, ctx);
        self.set(key, Stage::Pull(0), ctx.now + 100);
    }

    fn pull(&mut self, key: &str, pod: &Value, i: usize, ctx: &mut Ctx) {
        let Some(c) = containers_of(pod).get(i).cloned() else {
            self.set(key, Stage::Running, ctx.now);
            return;
        };
        let (name, image) = (str_at(&c, "/name").to_string(), str_at(&c, "/image").to_string());
        let field_path = format!("spec.containers{{{name}}}");
        let policy = str_at(&c, "/imagePullPolicy").to_string();
        let Some(rt) = self.runtime.as_mut() else { return };
        let present = rt.image(&image).is_some();
        if present && policy != "Always" {
            let msg = format!("Container image \"{image}\" already present on machine and can be accessed by the pod");
            legacy_event(ctx, &self.cfg.name, pod, Some(&field_path), "Normal", "Pulled", &msg);
            self.set(key, Stage::Start(i), ctx.now + 20);
            return;
        }
        if policy == "Never" {
            let msg = format!("Container image \"{image}\" is not present with pull policy of Never");
            legacy_event(ctx, &self.cfg.name, pod, Some(&field_path), "Warning", "ErrImageNeverPull", &msg);
            self.set(key, Stage::PullBackOff(i), ctx.now + 10_000);
            return;
        }
        legacy_event(ctx, &self.cfg.name, pod, Some(&field_path), "Normal", "Pulling", &format!("Pulling image \"{image}\""));
        ctx.note(Actor::Cri(self.cfg.name.clone()), "PullImage", format!("pod/{key}"), image.clone());
        let result = match self.runtime.as_mut() {
            Some(rt) => rt.pull(&image, ctx.rng),
            None => return,
        };
        match result {
            Ok((_, ms)) => {
                if let Some(w) = self.workers.get_mut(key) {
                    w.pull_started = ctx.now;
                }
                self.set(key, Stage::Pulling(i), ctx.now + ms);
            }
            Err(e) => {
                let msg = format!("Failed to pull image \"{image}\": {e}");
                legacy_event(ctx, &self.cfg.name, pod, Some(&field_path), "Warning", "Failed", &msg);
                legacy_event(ctx, &self.cfg.name, pod, Some(&field_path), "Warning", "Failed", "Error: ErrImagePull");
                let failures = self.workers.get_mut(key).map_or(1, |w| {
                    w.pull_failures += 1;
                    w.pull_failures
                });
                let backoff = (10_000u64 << (failures - 1).min(5)).min(300_000);
                self.set(key, Stage::PullBackOff(i), ctx.now + backoff);
            }
        }
    }

    fn start_container(&mut self, key: &str, pod: &Value, i: usize, ctx: &mut Ctx) {
        let Some(c) = containers_of(pod).get(i).cloned() else { return };
        let (name, image) = (str_at(&c, "/name").to_string(), str_at(&c, "/image").to_string());
        let field_path = format!("spec.containers{{{name}}}");
        let node = self.name();
        let Some(rt) = self.runtime.as_mut() else { return };
        let id = rt.create_container(&name, &image, ctx.rng);
        ctx.note(Actor::Cri(node.clone()), "CreateContainer", format!("pod/{key}"), format!("{name} ({image})"));
        legacy_event(ctx, &node, pod, Some(&field_path), "Normal", "Created", "Container created");
        if let Some(rt) = self.runtime.as_mut() {
            rt.start_container(&id, ctx.now);
        }
        ctx.note(Actor::Cri(node.clone()), "StartContainer", format!("pod/{key}"), format!("{name}: containerd://{id}"));
        legacy_event(ctx, &node, pod, Some(&field_path), "Normal", "Started", "Container started");
        if let Some(w) = self.workers.get_mut(key) {
            w.containers.insert(name, id);
        }
        if i + 1 < containers_of(pod).len() {
            self.set(key, Stage::Pull(i + 1), ctx.now + 20);
        } else {
            self.set(key, Stage::Running, ctx.now);
            self.report_status(pod, ctx);
        }
    }

    /// Whether a container's main process exits on SIGTERM: `sh` as PID 1 ignores it; servers
    /// such as nginx shut down.
    fn handles_sigterm(container: &Value) -> bool {
        let cmd = container.pointer("/command/0").and_then(Value::as_str).unwrap_or_default();
        !(cmd == "sh" || cmd == "/bin/sh" || cmd == "sleep")
    }

    /// killContainersWithSyncResult: SIGTERM every running container (the Killing events), then
    /// on later calls reap those that exited and SIGKILL the rest once the grace period is over.
    fn stop(&mut self, key: &str, pod: &Value, kill_at: Millis, ctx: &mut Ctx) {
        let node = self.name();
        let object = format!("pod/{key}");
        let running: Vec<(String, String)> = self
            .workers
            .get(key)
            .map(|w| w.containers.iter().map(|(n, id)| (n.clone(), id.clone())).collect())
            .unwrap_or_default();
        let signalled = self.workers.get(key).is_some_and(|w| w.signalled);
        let mut still_running = false;
        for (name, id) in running {
            let c = containers_of(pod).into_iter().find(|c| str_at(c, "/name") == name).unwrap_or_default();
            let Some(rt) = self.runtime.as_mut() else { return };
            if !matches!(rt.containers.get(&id).map(|c| &c.state), Some(ContainerState::Running { .. })) {
                continue;
            }
            if !signalled {
                let grace = kill_at.saturating_sub(ctx.now) / 1000;
                ctx.note(Actor::Cri(node.clone()), format!("StopContainer {name} (SIGTERM)"), object.clone(), format!("grace period {grace}s"));
                let field_path = format!("spec.containers{{{name}}}");
                legacy_event(ctx, &node, pod, Some(&field_path), "Normal", "Killing", &format!("Stopping container {name}"));
                still_running = true;
            } else if ctx.now >= kill_at {
                rt.stop_container(&id, ctx.now, 137, "Error");
                ctx.note(Actor::Cri(node.clone()), "SIGKILL", object.clone(), format!("{name}: grace period over, exit code 137"));
            } else if Self::handles_sigterm(&c) {
                rt.stop_container(&id, ctx.now, 0, "Completed");
                ctx.note(Actor::Cri(node.clone()), "container exited", object.clone(), format!("{name} exited 0 after SIGTERM"));
            } else {
                still_running = true;
            }
        }
        if !signalled {
            if let Some(w) = self.workers.get_mut(key) {
                w.signalled = true;
            }
            // Processes that handle SIGTERM take a moment to shut down.
            self.set(key, Stage::Stopping { kill_at }, (ctx.now + 100).min(kill_at));
        } else if still_running {
            self.set(key, Stage::Stopping { kill_at }, kill_at);
        } else {
            self.set(key, Stage::Stopped, ctx.now + 50);
        }
    }

    /// First call after a deletionTimestamp: the Killing events, then wait for the processes.
    fn finish_termination(&mut self, key: &str, pod: &Value, ctx: &mut Ctx) {
        let node = self.name();
        let uid = str_at(pod, "/metadata/uid").to_string();
        if let Some(rt) = self.runtime.as_mut() {
            rt.remove_pod_sandbox(&uid);
        }
        ctx.note(Actor::Kubelet(node.clone()), "StopPodSandbox", format!("pod/{key}"), "CRI: stop the sandbox");
        if let Some(ip) = self.ipam.del(&uid) {
            ctx.note_from(Actor::Cri(node.clone()), Actor::Cni(node.clone()), "CNI DEL", format!("pod/{key}"), format!("release {ip}"));
        }
        self.report_status(pod, ctx);
        let ns = str_at(pod, "/metadata/namespace").to_string();
        let name = str_at(pod, "/metadata/name").to_string();
        ctx.delete(core("pods"), Some(&ns), &name, Some(0));
        self.set(key, Stage::Gone, ctx.now);
    }

    fn teardown(&mut self, key: &str, ctx: &mut Ctx) {
        if let Some(w) = self.workers.get(key) {
            let uid = w.uid.clone();
            if let Some(rt) = self.runtime.as_mut() {
                rt.remove_pod_sandbox(&uid);
            }
            if let Some(ip) = self.ipam.del(&uid) {
                ctx.note_from(Actor::Cri(self.name()), Actor::Cni(self.name()), "CNI DEL", format!("pod/{key}"), format!("release {ip}"));
            }
        }
        self.set(key, Stage::Gone, ctx.now);
    }

    /// The status manager: compute the pod's status from the runtime and write it if it changed.
    fn report_status(&mut self, pod: &Value, ctx: &mut Ctx) {
        let key = key_of(pod);
        let Some(w) = self.workers.get(&key) else { return };
        let Some(rt) = self.runtime.as_ref() else { return };
        let status = pod_status(pod, w, rt, &self.cfg, ctx.now);
        let mut updated = pod.clone();
        updated["status"] = status;
        if updated.get("status") == pod.get("status") {
            return;
        }
        ctx.update_status(core("pods"), updated);
    }
}

/// `1.234s`, as Go prints a duration of whole milliseconds.
fn format_seconds(ms: Millis) -> String {
    let s = format!("{}.{:03}", ms / 1000, ms % 1000);
    format!("{}s", s.trim_end_matches('0').trim_end_matches('.'))
}

fn condition(kind: &str, ok: bool, now_or_kept: Value, generation: &Value, reason: Option<(&str, String)>) -> Value {
    let mut c = json!({"type": kind, "status": if ok { "True" } else { "False" }, "lastProbeTime": null, "lastTransitionTime": now_or_kept, "observedGeneration": generation});
    if let (false, Some((r, m))) = (ok, reason) {
        c["reason"] = json!(r);
        c["message"] = json!(m);
    }
    c
}

/// The status the kubelet reports (pkg/kubelet/kubelet_pods.go generateAPIPodStatus).
fn pod_status(pod: &Value, w: &PodWorker, rt: &Runtime, cfg: &NodeConfig, now: Millis) -> Value {
    let old = pod.get("status").cloned().unwrap_or(json!({}));
    let generation = pod.pointer("/metadata/generation").cloned().unwrap_or(json!(1));
    let mut statuses = Vec::new();
    let mut not_ready = Vec::new();
    let mut all_exited = true;
    let mut all_succeeded = true;
    for c in containers_of(pod) {
        let name = str_at(&c, "/name").to_string();
        let image = str_at(&c, "/image").to_string();
        let runtime_c = w.containers.get(&name).and_then(|id| rt.containers.get(id));
        let image_info = rt.image(&image);
        let mut s = json!({
            "image": image_info.map(|i| i.reference.clone()).unwrap_or(image.clone()),
            "imageID": image_info.map(|i| i.digest_ref.clone()).unwrap_or_default(),
            "lastState": {},
            "name": name,
            "ready": false,
            "restartCount": 0,
            "started": false,
        });
        match runtime_c.map(|rc| (&rc.id, &rc.state)) {
            Some((id, ContainerState::Running { started_at })) => {
                s["containerID"] = json!(format!("containerd://{id}"));
                s["state"] = json!({"running": {"startedAt": timestamp(*started_at)}});
                s["ready"] = json!(true);
                s["started"] = json!(true);
                all_exited = false;
                all_succeeded = false;
            }
            Some((id, ContainerState::Exited { started_at, finished_at, exit_code, reason })) => {
                s["containerID"] = json!(format!("containerd://{id}"));
                s["state"] = json!({"terminated": {"containerID": format!("containerd://{id}"), "exitCode": exit_code, "reason": reason, "startedAt": timestamp(*started_at), "finishedAt": timestamp(*finished_at)}});
                not_ready.push(name.clone());
                all_succeeded &= *exit_code == 0;
            }
            _ => {
                let reason = match &w.stage {
                    Stage::PullBackOff(_) => "ImagePullBackOff",
                    _ => "ContainerCreating",
                };
                s["state"] = json!({"waiting": {"reason": reason}});
                not_ready.push(name.clone());
                all_exited = false;
                all_succeeded = false;
            }
        }
        statuses.push(s);
    }
    let keep_time = |kind: &str, ok: bool| -> Value {
        old.get("conditions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|c| str_at(c, "/type") == kind && (str_at(c, "/status") == "True") == ok)
            .and_then(|c| c.get("lastTransitionTime").cloned())
            .unwrap_or_else(|| json!(timestamp(now)))
    };
    let sandbox = w.ip.is_some() && !matches!(w.stage, Stage::Stopped | Stage::Gone);
    let ready = not_ready.is_empty() && !statuses.is_empty();
    let unready_msg = format!("containers with unready status: [{}]", not_ready.join(" "));
    let mut conditions = vec![
        condition("PodReadyToStartContainers", sandbox, keep_time("PodReadyToStartContainers", sandbox), &generation, None),
        condition("Initialized", true, keep_time("Initialized", true), &generation, None),
        condition("Ready", ready, keep_time("Ready", ready), &generation, Some(("ContainersNotReady", unready_msg.clone()))),
        condition("ContainersReady", ready, keep_time("ContainersReady", ready), &generation, Some(("ContainersNotReady", unready_msg))),
    ];
    // Conditions the kubelet does not own (PodScheduled) stay, after its own.
    let owned = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"];
    conditions.extend(old.get("conditions").and_then(Value::as_array).into_iter().flatten().filter(|c| !owned.contains(&str_at(c, "/type"))).cloned());
    let phase = if all_exited && !statuses.is_empty() {
        if all_succeeded { "Succeeded" } else { "Failed" }
    } else if statuses.iter().any(|s| s.pointer("/state/running").is_some()) {
        "Running"
    } else {
        "Pending"
    };
    let mut status = json!({
        "conditions": conditions,
        "containerStatuses": statuses,
        "hostIP": cfg.internal_ip,
        "hostIPs": [{"ip": cfg.internal_ip}],
        "observedGeneration": generation,
        "phase": phase,
        "qosClass": old.get("qosClass").cloned().unwrap_or(json!("BestEffort")),
        "startTime": old.get("startTime").cloned().unwrap_or_else(|| json!(timestamp(w.started_at.min(now)))),
    });
    if let Some(ip) = &w.ip {
        status["podIP"] = json!(ip);
        status["podIPs"] = json!([{"ip": ip}]);
    }
    status
}

impl Component for Kubelet {
    fn actor(&self) -> Actor {
        Actor::Kubelet(self.cfg.name.clone())
    }

    fn run(&mut self, ctx: &mut Ctx) {
        if !self.registered {
            self.register(ctx);
            if !self.registered {
                return;
            }
        }
        self.on_pod_changes(ctx);
        if let Some(next) = self.sync_workers(ctx) {
            ctx.wake_at(next);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_print_as_go_durations() {
        assert_eq!(format_seconds(1234), "1.234s");
        assert_eq!(format_seconds(1500), "1.5s");
        assert_eq!(format_seconds(2000), "2s");
    }
}
