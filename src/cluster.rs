//! A whole cluster: the API server and every component, on one virtual clock.

use serde::Serialize;
use serde_json::Value;

use crate::apiserver::ApiServer;
use crate::client::{core, Ctx};
use crate::controllers::ControllerManager;
use crate::dns::CoreDns;
use crate::kubectl;
use crate::kubelet::heartbeat::KubeletState;
use crate::kubelet::server::DialError;
use crate::kubelet::{Kubelet, NodeConfig};
use crate::proxy::KubeProxy;
use crate::scheduler::Scheduler;
use crate::sim::{Actor, EventQueue, Millis, Rng, Trace, TraceEntry};

/// Which cluster to start with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// A kind-like cluster: a tainted control-plane node and two workers with kubelets.
    Default,
    /// Only what a fresh control plane holds: no nodes.
    Empty,
    /// The API server and kube-scheduler alone, as kube-scheduler's scheduler_perf runs them
    /// (no controller manager, no add-ons; the benchmark's nodes have no kubelets).
    SchedulerPerf,
}

/// What one kubectl command printed (stdout and stderr interleaved) and its exit code.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommandOutput {
    pub text: String,
    pub exit_code: i32,
}

/// The page's picture of the cluster at one etcd revision.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ClusterView {
    pub nodes: Vec<NodeView>,
    pub pods: Vec<PodView>,
    pub services: Vec<ServiceView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct NodeView {
    pub name: String,
    pub ready: bool,
    pub control_plane: bool,
    /// Whether a kubelet registered the node (it publishes its endpoint, port 10250); a Node
    /// applied from YAML has none, and nothing runs its pods.
    pub has_kubelet: bool,
    pub pod_cidr: String,
    pub internal_ip: String,
    /// `key=value:Effect` or `key:Effect`.
    pub taints: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PodView {
    pub namespace: String,
    pub name: String,
    pub phase: String,
    /// The STATUS column of `kubectl get pods`.
    pub status: String,
    /// The READY column, `1/1`.
    pub ready: String,
    pub node: Option<String>,
    pub ip: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ServiceView {
    pub namespace: String,
    pub name: String,
    pub cluster_ip: String,
    /// `80/TCP`.
    pub ports: Vec<String>,
    /// `10.244.1.2:80`, from the Service's EndpointSlices (ready endpoints only).
    pub endpoints: Vec<String>,
}

/// A component of the cluster: woken by the event loop, it reads its watches and reconciles,
/// talking to the others only through the API server.
pub trait Component {
    fn actor(&self) -> Actor;
    fn run(&mut self, ctx: &mut Ctx);

    /// The component as a node's kubelet, if it is one (for the node controls).
    fn as_kubelet(&self) -> Option<&Kubelet> {
        None
    }

    /// The component as a node's kubelet, if it is one, to stop, start, cut off or reconnect.
    fn as_kubelet_mut(&mut self) -> Option<&mut Kubelet> {
        None
    }
}

/// How long a kubectl process takes from its start to its first request (loading its
/// kubeconfig and cached discovery), for commands run under `timeout`.
pub const KUBECTL_STARTUP: Millis = 150;

/// The exit code of a command `timeout` stopped (GNU coreutils).
pub const TIMEOUT_EXIT_CODE: i32 = 124;

/// How long a watching command (`kubectl rollout status` without `--timeout`) may wait, in
/// virtual time: past a Deployment's default progress deadline (600 s).
pub const WAIT_LIMIT: Millis = 15 * 60 * 1000;

/// How long a write takes to reach the watchers (the watch cache fan-out).
pub const WATCH_LATENCY: Millis = 2;

/// The control-plane node of the default, kind-like cluster (as in the fidelity cases'
/// cluster.yaml: 172.18.0.2, pod CIDR 10.244.0.0/24, 2 CPUs and 4Gi): on kind it runs a kubelet
/// and kube-proxy like the workers, and carries the `node-role.kubernetes.io/control-plane`
/// label and NoSchedule taint, so only pods that tolerate it (DaemonSets such as kube-proxy,
/// kindnet or the docs' fluentd-elasticsearch) run there.
pub fn default_control_plane() -> NodeConfig {
    NodeConfig::control_plane("control-plane", "172.18.0.2", "10.244.0.0/24", "2", "4Gi")
}

/// The workers of the default, kind-like cluster (the same as the fidelity cases' cluster.yaml),
/// each with a kubelet and kube-proxy.
pub fn default_workers() -> Vec<NodeConfig> {
    vec![
        NodeConfig::worker(
            "worker-1",
            "172.18.0.3",
            "10.244.1.0/24",
            "zone-a",
            "4",
            "8Gi",
        ),
        NodeConfig::worker(
            "worker-2",
            "172.18.0.4",
            "10.244.2.0/24",
            "zone-b",
            "2",
            "4Gi",
        ),
    ]
}

pub struct Cluster {
    now: Millis,
    api: ApiServer,
    trace: Trace,
    rng: Rng,
    queue: EventQueue,
    components: Vec<Box<dyn Component>>,
    /// kubectl's caches that outlive a command (discovery, OpenAPI documents).
    kubectl: kubectl::session::KubectlState,
    /// The pod network as the endpoint consumers program it (each cluster its own).
    network: crate::network::SharedNetwork,
}

impl Cluster {
    /// Start a cluster; `seed` makes every random choice repeatable.
    pub fn new(preset: Preset, seed: u64) -> Cluster {
        let mut api = ApiServer::new(seed);
        if preset == Preset::SchedulerPerf {
            // scheduler_perf's API server (test/integration/scheduler_perf/util.go).
            api.disable_admission_plugins(&["ServiceAccount", "TaintNodesByCondition", "Priority"]);
        }
        crate::apiserver::bootstrap::control_plane_objects(&mut api);
        let mut components: Vec<Box<dyn Component>> = vec![Box::new(Scheduler::default())];
        if preset != Preset::SchedulerPerf {
            components.extend([
                Box::new(ControllerManager::default()) as Box<dyn Component>,
                Box::new(CoreDns::default()),
                Box::new(crate::network::Fabric::default()),
                Box::new(crate::ingress::IngressController::default()),
            ]);
        }
        let mut cluster = Cluster {
            now: 0,
            api,
            trace: Trace::default(),
            rng: Rng::seeded(seed),
            queue: EventQueue::default(),
            components,
            kubectl: Default::default(),
            network: crate::network::shared(seed),
        };
        cluster.wake_all(0);
        if preset == Preset::Default {
            crate::apiserver::bootstrap::kind_default_storage_class(&mut cluster.api);
            for node in default_workers() {
                cluster.add_node(node);
            }
            cluster.add_node(default_control_plane());
            // Let the nodes register and become Ready, then start the trace afresh.
            cluster.advance(5_000);
            cluster.trace = Trace::default();
        }
        cluster
    }

    /// Add a node with a simulated kubelet and kube-proxy; the kubelet registers the Node object.
    pub fn add_node(&mut self, node: NodeConfig) {
        let name = node.name.clone();
        let kubelet = Kubelet::new(node.clone());
        self.api
            .connect_kubelet(&node.kubelet_address(), kubelet.server());
        self.components.push(Box::new(kubelet));
        self.components.push(Box::new(KubeProxy::new(&name)));
        let (a, b) = (self.components.len() - 2, self.components.len() - 1);
        self.queue.wake(a, self.now);
        self.queue.wake(b, self.now);
    }

    /// A client acting now as the cluster's admin (what `kubectl` does as kubernetes-admin).
    fn admin(&mut self) -> Ctx<'_> {
        Ctx::new(
            self.now,
            Actor::Kubectl,
            &mut self.api,
            &mut self.trace,
            &mut self.rng,
        )
    }

    /// `podlab traffic start ARGS`: steady requests from a pod, which the network fabric sends as
    /// time passes (every component is woken so that the fabric begins its ticks).
    pub fn start_traffic(&mut self, args: &[&str]) -> Result<(), String> {
        crate::network::fabric::start(&self.network, args, self.now)?;
        self.wake_components();
        Ok(())
    }

    /// `podlab traffic stop`: the run under way sends no more requests.
    pub fn stop_traffic(&mut self) {
        crate::network::fabric::stop(&self.network, self.now);
    }

    /// Wake every component now (a `podlab traffic` run starting needs the network fabric to
    /// begin its ticks).
    pub fn wake_components(&mut self) {
        self.wake_all(self.now);
    }

    /// The cluster's pod network (traffic runs and their reports).
    pub fn network(&self) -> &std::cell::RefCell<crate::network::Network> {
        &self.network
    }

    /// Virtual time since the cluster started.
    pub fn now(&self) -> Millis {
        self.now
    }

    /// The API server (for read-only views: kubectl printing, the etcd view).
    pub fn api(&self) -> &ApiServer {
        &self.api
    }

    /// Run one kubectl command line (starting with `kubectl`); `stdin` feeds `-f -`.
    pub fn kubectl(&mut self, line: &str, stdin: Option<&str>) -> CommandOutput {
        self.kubectl_with_files(line, stdin, &|_| None)
    }

    /// Like [`Cluster::kubectl`], reading `-f FILE` through `read_file`.
    pub fn kubectl_with_files(
        &mut self,
        line: &str,
        stdin: Option<&str>,
        read_file: &dyn Fn(&str) -> Option<String>,
    ) -> CommandOutput {
        self.kubectl_until(line, stdin, read_file, None)
    }

    /// Run a command; one that keeps watching (`Outcome::wait_for`) does so until it is done,
    /// its `--timeout` passes, or `deadline` (a `timeout` process limit) stops it.
    fn kubectl_until(
        &mut self,
        line: &str,
        stdin: Option<&str>,
        read_file: &dyn Fn(&str) -> Option<String>,
        deadline: Option<Millis>,
    ) -> CommandOutput {
        let before = self.api.etcd().revision();
        let wiring = kubectl::session::Wiring {
            now: self.now,
            api: &mut self.api,
            trace: &mut self.trace,
            rng: &mut self.rng,
        };
        let outcome = kubectl::session::run(&mut self.kubectl, wiring, line, stdin, read_file);
        if self.api.etcd().revision() != before {
            self.wake_all(self.now + WATCH_LATENCY);
        }
        self.wait_for_deletion(&outcome.wait_for_deletion);
        let mut output = CommandOutput {
            text: outcome.out,
            exit_code: outcome.exit_code,
        };
        if let Some(wait) = outcome.wait_for {
            let (text, exit_code) = self.wait_for(wait, deadline);
            output.text.push_str(&text);
            output.exit_code = exit_code;
        }
        output
    }

    /// Let the cluster run while a command watches one object (`kubectl rollout status`): each
    /// new version goes through `on_change`, which prints and may end the command. Without a
    /// `--timeout` the wait is bounded by [`WAIT_LIMIT`]; a `timeout` deadline ends it with exit
    /// code 124, `--timeout` with kubectl's timeout error.
    fn wait_for(
        &mut self,
        mut wait: kubectl::rollout::WaitFor,
        deadline: Option<Millis>,
    ) -> (String, i32) {
        // A longer --timeout is cut to WAIT_LIMIT: past the progress deadline nothing changes.
        let own_end = self
            .now
            .saturating_add(wait.timeout.unwrap_or(WAIT_LIMIT).min(WAIT_LIMIT));
        let end = deadline.map_or(own_end, |d| d.min(own_end));
        let mut text = String::new();
        loop {
            for ev in self.api.watch(wait.info, wait.resource_version) {
                wait.resource_version = wait.resource_version.max(ev.revision);
                let ns = ev
                    .object
                    .pointer("/metadata/namespace")
                    .and_then(Value::as_str);
                let name = ev.object.pointer("/metadata/name").and_then(Value::as_str);
                if name != Some(wait.name.as_str()) || ns != wait.namespace.as_deref() {
                    continue;
                }
                if ev.kind == "DELETED" {
                    // rollout_status.go aborts rather than watch a re-created object.
                    text.push_str("error: object has been deleted\n");
                    return (text, 1);
                }
                self.trace.push(TraceEntry {
                    at: self.now,
                    from: Actor::ApiServer,
                    to: Actor::Kubectl,
                    action: format!("WATCH {}", ev.kind),
                    object: format!("{}/{}", wait.info.singular, wait.name),
                    detail: "kubectl re-reads the rollout status".to_string(),
                    revision: self.api.etcd().revision(),
                });
                let step = (wait.on_change)(&ev.object, &self.api);
                text.push_str(&step.text);
                if let Some(code) = step.exit_code {
                    return (text, code);
                }
            }
            match self.queue.pop_until(end) {
                Some((at, who)) => self.run_component(at, who),
                None => break,
            }
        }
        self.now = self.now.max(end);
        if deadline.is_some_and(|d| d <= own_end) {
            return (text, TIMEOUT_EXIT_CODE);
        }
        text.push_str(kubectl::rollout::WAIT_TIMEOUT_MESSAGE);
        text.push('\n');
        (text, 1)
    }

    /// Run one `etcdctl` command line against the cluster's etcd directly, as an operator with
    /// the etcd client certificate would on the control-plane node: the API server is not
    /// involved (see [`crate::etcd::etcdctl`]).
    pub fn etcdctl(&mut self, line: &str) -> CommandOutput {
        let out = crate::etcd::etcdctl::run(self.api.etcd_mut(), line);
        let detail = match out.exit_code {
            0 => "read straight from etcd (not through the API server)".to_string(),
            code => format!(
                "exit {code}: {}",
                out.text.lines().next().unwrap_or_default()
            ),
        };
        self.trace.push(TraceEntry {
            at: self.now,
            from: Actor::Etcd,
            to: Actor::Etcd,
            action: line.trim().to_string(),
            object: String::new(),
            detail,
            revision: self.api.etcd().revision(),
        });
        CommandOutput {
            text: out.text,
            exit_code: out.exit_code,
        }
    }

    /// Run a kubectl command as a process that `timeout` stops after `limit` of virtual time
    /// (`timeout N kubectl …`). The process first starts (kubeconfig, cached discovery) before
    /// it sends a request. A command that returns on its own is done at once; a watch
    /// (`kubectl get -w`) lists, then receives every change from the API server as the cluster
    /// runs, printing a row for each, until the limit ends it with timeout's exit code 124.
    pub fn kubectl_for(
        &mut self,
        line: &str,
        stdin: Option<&str>,
        read_file: &dyn Fn(&str) -> Option<String>,
        limit: Millis,
    ) -> CommandOutput {
        let end = self.now + limit;
        self.advance(KUBECTL_STARTUP.min(limit));
        if !kubectl::get::Watch::requested(line) {
            return self.kubectl_until(line, stdin, read_file, Some(end));
        }
        let started = {
            let mut ctx = Ctx::new(
                self.now,
                Actor::Kubectl,
                &mut self.api,
                &mut self.trace,
                &mut self.rng,
            );
            kubectl::get::Watch::start(line, &mut ctx)
        };
        let (mut watch, mut text) = match started {
            Ok(started) => started,
            Err(out) => return out,
        };
        while let Some((at, who)) = self.queue.pop_until(end) {
            self.run_component(at, who);
            text.push_str(&self.deliver_watch(&mut watch));
        }
        self.now = end;
        CommandOutput {
            text,
            exit_code: TIMEOUT_EXIT_CODE,
        }
    }

    /// The API server sends a watching kubectl the changes after its resourceVersion.
    fn deliver_watch(&mut self, watch: &mut kubectl::get::Watch) -> String {
        let mut text = String::new();
        let events = self.api.watch(watch.info, watch.resource_version);
        let path = watch.info.collection_path(None);
        for ev in events {
            let row = watch.on_event(
                ev.kind,
                &ev.object,
                ev.revision,
                crate::sim::wall_clock(self.now),
            );
            if row.is_empty() {
                continue;
            }
            let name = ev
                .object
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            self.trace.push(TraceEntry {
                at: self.now,
                from: Actor::ApiServer,
                to: Actor::Kubectl,
                action: format!("WATCH {}", ev.kind),
                object: format!("{}/{name}", watch.info.singular),
                detail: format!("GET {path}?watch=true: kubectl prints a row"),
                revision: self.api.etcd().revision(),
            });
            text.push_str(&row);
        }
        text
    }

    /// `kubectl delete` waits (`--wait=true`) until the objects are gone; virtual time passes
    /// meanwhile, up to a bound.
    ///
    /// As kubectl's delete (kubectl/pkg/cmd/delete/delete.go `DeleteResult`) remembers, in a
    /// `UIDMap`, the UID of each object its DELETE answered for, and its wait's `IsDeleted`
    /// (kubectl/pkg/cmd/wait/delete.go) counts an object deleted when it is missing or has
    /// another UID, an object recreated under the same name (a StatefulSet's `web-0`) ends the
    /// wait. The UIDs are read here, before any component runs after the command: the objects
    /// are then as the DELETEs left them (still there with a deletionTimestamp, or already gone).
    fn wait_for_deletion(
        &mut self,
        objects: &[(
            &'static crate::apiserver::ResourceInfo,
            Option<String>,
            String,
        )],
    ) {
        const POLL: Millis = 100;
        const LIMIT: Millis = 5 * 60 * 1000;
        // Objects already gone need no wait; one without a UID is waited for by name.
        let deleted_uids: Vec<_> = objects
            .iter()
            .filter_map(|(info, ns, name)| {
                let uid = object_uid(&self.api.read(info, ns.as_deref(), name)?);
                Some((*info, ns.as_deref(), name.as_str(), uid))
            })
            .collect();
        let gone = |c: &Cluster| {
            deleted_uids.iter().all(|(info, ns, name, uid)| {
                c.api
                    .read(info, *ns, name)
                    .is_none_or(|now| uid.is_some() && object_uid(&now) != *uid)
            })
        };
        let mut waited = 0;
        while !gone(self) && waited < LIMIT {
            self.advance(POLL);
            waited += POLL;
        }
    }

    fn wake_all(&mut self, at: Millis) {
        for i in 0..self.components.len() {
            self.queue.wake(i, at);
        }
    }

    /// Process the next scheduled event, moving the clock to it. False when nothing is scheduled.
    pub fn step(&mut self) -> bool {
        match self.queue.pop_until(Millis::MAX) {
            Some((at, who)) => {
                self.run_component(at, who);
                true
            }
            None => false,
        }
    }

    fn run_component(&mut self, at: Millis, who: usize) {
        self.now = self.now.max(at);
        let before = self.api.etcd().revision();
        let Some(component) = self.components.get_mut(who) else {
            return;
        };
        let mut ctx = Ctx::new(
            self.now,
            component.actor(),
            &mut self.api,
            &mut self.trace,
            &mut self.rng,
        );
        ctx.set_network(std::rc::Rc::clone(&self.network));
        component.run(&mut ctx);
        if let Some(next) = ctx.take_wake() {
            self.queue.wake(who, next);
        }
        if self.api.etcd().revision() != before {
            for i in (0..self.components.len()).filter(|&i| i != who) {
                self.queue.wake(i, self.now + WATCH_LATENCY);
            }
        }
    }

    /// Let `ms` of virtual time pass, processing every event that falls due.
    pub fn advance(&mut self, ms: Millis) {
        let until = self.now + ms;
        while let Some((at, who)) = self.queue.pop_until(until) {
            self.run_component(at, who);
        }
        self.now = until;
    }

    /// When the next event is due, if any.
    pub fn next_event_at(&self) -> Option<Millis> {
        self.queue.next_at()
    }

    /// Every step so far.
    pub fn trace(&self) -> &[TraceEntry] {
        self.trace.entries()
    }

    /// The trace with its structured records (the scheduling cycles' tables).
    pub fn trace_log(&self) -> &Trace {
        &self.trace
    }

    /// The etcd revision now.
    pub fn revision(&self) -> i64 {
        self.api.etcd().revision()
    }

    /// The server of node `node`'s kubelet, if a kubelet runs there: what the API server dials
    /// for logs, here read directly by the page's inspector.
    pub fn kubelet_server(&self, node: &str) -> Option<crate::kubelet::server::KubeletServer> {
        self.components
            .iter()
            .filter_map(|c| c.as_kubelet())
            .find(|k| k.node_name() == node)
            .map(|k| k.server())
    }

    /// The cluster as etcd held it at `revision` (any revision not compacted away).
    pub fn view_at(&self, revision: i64) -> ClusterView {
        crate::view::at_revision(self.api.etcd(), revision)
    }
}

/// The service mesh (`podlab mesh enable`): see [`crate::mesh`].
impl Cluster {
    /// Whether the mesh's control plane runs.
    pub fn mesh_enabled(&self) -> bool {
        self.components.iter().any(|c| c.actor() == Actor::Istiod)
    }

    /// Install the mesh as `istioctl install` would (its namespace and RBAC, written by the
    /// admin), then start istiod. Until this is called nothing of the mesh exists. Calling it
    /// again does nothing.
    pub fn enable_mesh(&mut self) {
        if self.mesh_enabled() {
            return;
        }
        self.network.borrow_mut().keep_mesh_history(self.now);
        let mut ctx = self.admin();
        for (group, plural, object) in crate::mesh::install_objects() {
            let info = if group.is_empty() {
                core(plural)
            } else {
                crate::client::grouped(group, plural)
            };
            ctx.create(info, None, object);
        }
        self.components
            .push(Box::new(crate::mesh::Istiod::default()));
        // `istioctl install` returns once istiod is ready: by then it has run its first sync
        // and written each namespace's root-certificate ConfigMap.
        self.run_component(self.now, self.components.len() - 1);
        self.wake_all(self.now + WATCH_LATENCY);
    }
}

/// Node failure, caused on purpose: a node's kubelet stopped and started again, or its network
/// cut and restored (`podlab node stop|start|disconnect|reconnect NAME` and the page's node
/// controls). See [`crate::kubelet::heartbeat`].
impl Cluster {
    /// The component index of the kubelet of `node`.
    fn kubelet_index(&self, node: &str) -> Option<usize> {
        self.components
            .iter()
            .position(|c| c.as_kubelet().is_some_and(|k| k.node_name() == node))
    }

    /// Put the kubelet of `node` in `state`; it acts on it at once. The API server's
    /// connections to it follow: a stopped kubelet's port refuses them, a cut-off node cannot
    /// be routed to.
    pub fn set_kubelet_state(&mut self, node: &str, state: KubeletState) -> Result<(), String> {
        let index = self
            .kubelet_index(node)
            .ok_or_else(|| format!("podlab node: no kubelet runs on node \"{node}\""))?;
        let Some(kubelet) = self
            .components
            .get_mut(index)
            .and_then(|c| c.as_kubelet_mut())
        else {
            return Err(format!("podlab node: no kubelet runs on node \"{node}\""));
        };
        kubelet.set_state(state);
        let address = kubelet.address();
        let why = match state {
            KubeletState::Running => None,
            KubeletState::Stopped => Some(DialError::Refused),
            KubeletState::Disconnected => Some(DialError::NoRouteToHost),
        };
        self.api.set_kubelet_unreachable(&address, why);
        self.queue.wake(index, self.now);
        Ok(())
    }

    /// The state of the kubelet of `node`, if podlab runs one there.
    pub fn kubelet_state(&self, node: &str) -> Option<KubeletState> {
        self.components
            .iter()
            .filter_map(|c| c.as_kubelet())
            .find(|k| k.node_name() == node)
            .map(Kubelet::state)
    }

    /// Every node podlab runs a kubelet on, with the kubelet's state, in the order added.
    pub fn kubelet_states(&self) -> Vec<(String, KubeletState)> {
        self.components
            .iter()
            .filter_map(|c| c.as_kubelet())
            .map(|k| (k.node_name().to_string(), k.state()))
            .collect()
    }

    /// Stop the kubelet process of `node` (its containers keep running).
    pub fn stop_kubelet(&mut self, node: &str) -> Result<(), String> {
        self.set_kubelet_state(node, KubeletState::Stopped)
    }

    /// Start the kubelet of `node` again.
    pub fn start_kubelet(&mut self, node: &str) -> Result<(), String> {
        self.set_kubelet_state(node, KubeletState::Running)
    }

    /// Cut the network of `node`: its kubelet runs on but cannot reach the API server, nor the
    /// API server it.
    pub fn disconnect_node(&mut self, node: &str) -> Result<(), String> {
        self.set_kubelet_state(node, KubeletState::Disconnected)
    }

    /// Restore the network of `node`.
    pub fn reconnect_node(&mut self, node: &str) -> Result<(), String> {
        self.set_kubelet_state(node, KubeletState::Running)
    }

    /// `podlab node VERB NODE` (`stop`, `start`, `disconnect`, `reconnect`), as a scenario or
    /// the page's node controls say it; returns the kubelet's new state.
    pub fn node_directive(&mut self, verb: &str, node: &str) -> Result<KubeletState, String> {
        let state = match verb {
            "stop" => KubeletState::Stopped,
            "start" | "reconnect" => KubeletState::Running,
            "disconnect" => KubeletState::Disconnected,
            _ => return Err(format!("podlab node: unknown action \"{verb}\"")),
        };
        self.set_kubelet_state(node, state)?;
        Ok(state)
    }
}

/// An object's `metadata.uid`, if it has one.
fn object_uid(object: &Value) -> Option<String> {
    object
        .pointer("/metadata/uid")
        .and_then(Value::as_str)
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows of a table below its header, runs of spaces squeezed to one.
    fn rows(text: &str) -> Vec<String> {
        text.lines()
            .skip(1)
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    #[test]
    fn every_node_of_the_default_cluster_runs_a_kubelet() {
        let cluster = Cluster::new(Preset::Default, 1);
        let nodes: Vec<String> = cluster
            .kubelet_states()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(nodes, ["worker-1", "worker-2", "control-plane"]);
        assert_eq!(
            cluster.kubelet_state("control-plane"),
            Some(KubeletState::Running)
        );
    }

    /// kind's control-plane node: Ready, ROLES control-plane (printers.go findNodeRoles), its
    /// kubeadm labels and the NoSchedule taint (markcontrolplane.go).
    #[test]
    fn the_control_plane_node_is_ready_with_its_role_label_and_taint() {
        let mut cluster = Cluster::new(Preset::Default, 1);
        let nodes = cluster.kubectl("kubectl get nodes", None);
        assert_eq!(
            rows(&nodes.text),
            [
                "control-plane Ready control-plane 5s v1.36.2",
                "worker-1 Ready <none> 5s v1.36.2",
                "worker-2 Ready <none> 5s v1.36.2",
            ]
        );
        let describe = cluster.kubectl("kubectl describe node control-plane", None);
        for line in [
            "Taints:             node-role.kubernetes.io/control-plane:NoSchedule\n",
            "                    node-role.kubernetes.io/control-plane=\n",
            "                    node.kubernetes.io/exclude-from-external-load-balancers=\n",
            "  InternalIP:  172.18.0.2\n",
            "PodCIDR:                      10.244.0.0/24\n",
        ] {
            assert!(describe.text.contains(line), "{line}{}", describe.text);
        }
    }

    /// A pod that tolerates the control-plane taint and is bound there runs, with an address
    /// from the node's pod CIDR (10.244.0.0/24).
    #[test]
    fn a_pod_bound_to_the_control_plane_runs() {
        let mut cluster = Cluster::new(Preset::Default, 1);
        let pod = "apiVersion: v1
kind: Pod
metadata:
  name: on-cp
spec:
  nodeSelector:
    node-role.kubernetes.io/control-plane: \"\"
  tolerations:
  - key: node-role.kubernetes.io/control-plane
    operator: Exists
    effect: NoSchedule
  containers:
  - name: c
    image: nginx:1.27
";
        let created = cluster.kubectl("kubectl apply -f -", Some(pod));
        assert_eq!(created.text, "pod/on-cp created\n");
        cluster.advance(15_000);
        let got = cluster.kubectl("kubectl get pod on-cp -o wide", None);
        assert_eq!(
            rows(&got.text),
            ["on-cp 1/1 Running 0 15s 10.244.0.2 control-plane <none> <none>"]
        );
    }
}
