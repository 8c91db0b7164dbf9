//! The pod network as a client inside a container meets it: the resolver (the pod's
//! resolv.conf search path against CoreDNS's records), the client node's iptables nat table as
//! kube-proxy last programmed it (`iptables::walk`), the ingress controller's upstreams, and the
//! pod that answers (or why none did).
//!
//! The endpoint consumers (kube-proxy on each node, CoreDNS, the ingress controller) publish
//! their current views into their cluster's [`Network`] hub as they converge. The hub belongs
//! to the `Cluster` (a [`SharedNetwork`]): components reach it through their `Ctx`
//! (`Ctx::with_network`), and each node's container runtime keeps a handle to it so that a
//! `kubectl exec`'d `wget`/`curl`/`nslookup` reads the views of the cluster it runs in.

pub mod client;
pub mod consumers;
pub mod fabric;
pub mod http;
pub mod iptables;
pub mod sidecar;
pub mod traffic;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use crate::client::Ctx;
use crate::sim::{Millis, Rng};

pub use fabric::Fabric;

/// The cluster DNS Service's address (kube-dns on the tenth address of 10.96.0.0/12).
pub const CLUSTER_DNS: &str = "10.96.0.10";

/// What one pod is, as the network sees it: where it runs and what its containers serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodEntry {
    pub namespace: String,
    pub name: String,
    pub node: String,
    /// `port → image` for each running container whose image listens there.
    pub listening: BTreeMap<i64, String>,
    /// Whether any container of the pod is running at all (its network namespace exists).
    pub sandbox: bool,
}

/// The ingress controller's rendered view: its address, its routing rules and upstreams.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IngressView {
    /// The address it listens on (port 80), published in the Ingresses' status.
    pub address: String,
    /// Routes in the order nginx would try them.
    pub routes: Vec<crate::ingress::Route>,
    /// Upstream name → `ip:port` servers.
    pub upstreams: BTreeMap<String, Vec<String>>,
}

/// The consumer name of istiod's pushes in [`Network::removals`].
pub const ISTIOD: &str = "istiod";

/// One moment an endpoint consumer stopped sending to an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// `kube-proxy@worker-1`, `coredns`, `ingress-nginx`.
    pub consumer: String,
    pub address: String,
    pub at: Millis,
}

/// One hop of a request, to be written to the trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    pub at: Millis,
    /// The component the hop belongs to (`coredns`, `kube-proxy@worker-1`, the answering pod).
    pub by: String,
    pub action: String,
    pub detail: String,
}

/// The cluster's network as the endpoint consumers last programmed it.
#[derive(Debug)]
pub struct Network {
    /// node → its nat rules (iptables-save lines), as its kube-proxy last wrote them.
    pub proxy_rules: BTreeMap<String, Vec<String>>,
    /// FQDN → A records, as CoreDNS serves them.
    pub dns: BTreeMap<String, Vec<String>>,
    /// SRV name → `priority weight port target` records, as CoreDNS serves them.
    pub srv: BTreeMap<String, Vec<String>>,
    pub ingress: IngressView,
    /// pod IP → the pod.
    pub pods: BTreeMap<String, PodEntry>,
    /// node InternalIP → node name.
    pub nodes: BTreeMap<String, String>,
    /// When each consumer stopped sending to an address.
    pub removals: Vec<Removal>,
    /// Hops of requests not yet written to the trace.
    pub pending_hops: Vec<Hop>,
    pub traffic: traffic::Traffic,
    /// pod IP → what the pod holding it did (deleted, stopped listening).
    pub timelines: BTreeMap<String, traffic::PodTimeline>,
    /// pod IP → (the pod, when its processes exit after the kubelet stopped them): from then on
    /// nothing listens there, whatever the pod's status still says.
    pub processes_exit: BTreeMap<String, (String, Millis)>,
    /// `namespace/name` of an opted-in pod → the configuration its mesh sidecar last applied
    /// (empty while the mesh is not enabled).
    pub sidecars: BTreeMap<String, crate::mesh::SidecarConfig>,
    /// Once the mesh is enabled: what the sidecars and kube-proxy programmed, and when, so the
    /// page can show both views at a past step (None before: nothing is kept).
    pub mesh_history: Option<MeshHistory>,
    rng: Rng,
}

/// The endpoint views the mesh panel compares, as they changed over time.
#[derive(Debug, Clone, Default)]
pub struct MeshHistory {
    /// (when, `namespace/name` of the pod, the configuration its sidecar applied; None: gone).
    pub sidecars: Vec<(Millis, String, Option<crate::mesh::SidecarConfig>)>,
    /// (when, node, its kube-proxy's KUBE-SEP rules, which hold the DNAT targets).
    pub proxy: Vec<(Millis, String, Vec<String>)>,
}

/// The KUBE-SEP rules of a node's nat table (the lines the mesh panel reads).
fn endpoint_rules(rules: &[String]) -> Vec<String> {
    rules
        .iter()
        .filter(|r| r.starts_with("-A KUBE-SEP-"))
        .cloned()
        .collect()
}

impl MeshHistory {
    /// The history from now on, starting from the views as they are.
    fn starting_from(net: &Network, at: Millis) -> Self {
        MeshHistory {
            sidecars: net
                .sidecars
                .iter()
                .map(|(pod, c)| (at, pod.clone(), Some(c.clone())))
                .collect(),
            proxy: net
                .proxy_rules
                .iter()
                .map(|(node, rules)| (at, node.clone(), endpoint_rules(rules)))
                .collect(),
        }
    }

    /// Each sidecar's configuration at `at`.
    pub fn sidecars_at(&self, at: Millis) -> BTreeMap<String, crate::mesh::SidecarConfig> {
        let mut out = BTreeMap::new();
        for (_, pod, config) in self.sidecars.iter().take_while(|(w, ..)| *w <= at) {
            match config {
                Some(c) => out.insert(pod.clone(), c.clone()),
                None => out.remove(pod),
            };
        }
        out
    }

    /// Each node's KUBE-SEP rules at `at`.
    pub fn proxy_rules_at(&self, at: Millis) -> BTreeMap<String, Vec<String>> {
        self.proxy
            .iter()
            .take_while(|(w, ..)| *w <= at)
            .map(|(_, node, rules)| (node.clone(), rules.clone()))
            .collect()
    }
}

impl Network {
    pub fn new(seed: u64) -> Self {
        Network {
            proxy_rules: BTreeMap::new(),
            dns: BTreeMap::new(),
            srv: BTreeMap::new(),
            ingress: IngressView::default(),
            pods: BTreeMap::new(),
            nodes: BTreeMap::new(),
            removals: Vec::new(),
            pending_hops: Vec::new(),
            traffic: traffic::Traffic::default(),
            timelines: BTreeMap::new(),
            processes_exit: BTreeMap::new(),
            sidecars: BTreeMap::new(),
            mesh_history: None,
            rng: Rng::seeded(seed ^ 0x006e_6574_776f_726b),
        }
    }

    /// A uniform draw in [0, 1), for the statistic match.
    pub fn draw(&mut self) -> f64 {
        self.rng.below(1_000_000) as f64 / 1_000_000.0
    }

    /// kube-proxy on `node` wrote these rules (all its Services' rules, in order).
    pub fn set_proxy_rules(&mut self, node: &str, at: Millis, rules: Vec<String>) {
        let before = iptables::dnat_destinations(
            self.proxy_rules
                .get(node)
                .map(Vec::as_slice)
                .unwrap_or_default(),
        );
        let after = iptables::dnat_destinations(&rules);
        self.record_removals(&format!("kube-proxy@{node}"), &before, &after, at);
        if let Some(history) = self.mesh_history.as_mut() {
            history
                .proxy
                .push((at, node.to_string(), endpoint_rules(&rules)));
        }
        self.proxy_rules.insert(node.to_string(), rules);
    }

    /// Start keeping the mesh panel's history (when the mesh is enabled, at `at`).
    pub fn keep_mesh_history(&mut self, at: Millis) {
        if self.mesh_history.is_none() {
            self.mesh_history = Some(MeshHistory::starting_from(self, at));
        }
    }

    /// CoreDNS serves these records now.
    pub fn set_dns(&mut self, at: Millis, records: BTreeMap<String, Vec<String>>) {
        let all = |r: &BTreeMap<String, Vec<String>>| -> BTreeSet<String> {
            r.values().flatten().cloned().collect()
        };
        let (before, after) = (all(&self.dns), all(&records));
        self.record_removals("coredns", &before, &after, at);
        self.dns = records;
    }

    /// The ingress controller reloaded with this configuration.
    pub fn set_ingress(&mut self, at: Millis, view: IngressView) {
        let hosts = |v: &IngressView| -> BTreeSet<String> {
            v.upstreams
                .values()
                .flatten()
                .map(|s| s.split(':').next().unwrap_or_default().to_string())
                .collect()
        };
        let (before, after) = (hosts(&self.ingress), hosts(&view));
        self.record_removals("ingress-nginx", &before, &after, at);
        self.ingress = view;
    }

    /// The sidecar of pod `pod` (`namespace/name`) applied `config` (None: it is gone).
    pub fn set_sidecar(
        &mut self,
        pod: &str,
        at: Millis,
        config: Option<crate::mesh::SidecarConfig>,
    ) {
        let before = self
            .sidecars
            .get(pod)
            .map(|c| c.sending_to())
            .unwrap_or_default();
        if let Some(history) = self.mesh_history.as_mut() {
            history.sidecars.push((at, pod.to_string(), config.clone()));
        }
        match config {
            Some(config) => {
                let after = config.sending_to();
                self.record_removals(&format!("istio-proxy@{pod}"), &before, &after, at);
                self.sidecars.insert(pod.to_string(), config);
            }
            None => {
                self.sidecars.remove(pod);
            }
        }
    }

    /// istiod pushed a configuration whose healthy endpoints went from `before` to `after`.
    pub fn istiod_pushed(
        &mut self,
        at: Millis,
        before: &BTreeSet<String>,
        after: &BTreeSet<String>,
    ) {
        self.record_removals(ISTIOD, before, after, at);
    }

    fn record_removals(
        &mut self,
        consumer: &str,
        before: &BTreeSet<String>,
        after: &BTreeSet<String>,
        at: Millis,
    ) {
        for address in before.difference(after) {
            self.removals.push(Removal {
                consumer: consumer.to_string(),
                address: address.clone(),
                at,
            });
        }
    }

    /// The kubelet stopped the containers of pod `name` holding `ip`: its last process exits at
    /// `at` (SIGTERM handled, or SIGKILL), and its listeners close then.
    pub fn processes_exit(&mut self, ip: &str, name: &str, at: Millis) {
        self.processes_exit
            .insert(ip.to_string(), (name.to_string(), at));
        let t = self.timelines.entry(ip.to_string()).or_default();
        if t.name.is_empty() {
            t.name = name.to_string();
        }
        if t.name == name {
            t.stopped_listening_at = Some(t.stopped_listening_at.map_or(at, |s| s.min(at)));
        }
    }

    /// Whether pod `name` at `ip` still has its processes at `now`.
    pub fn processes_run(&self, ip: &str, name: &str, now: Millis) -> bool {
        !self
            .processes_exit
            .get(ip)
            .is_some_and(|(pod, at)| pod == name && *at <= now)
    }

    pub fn hop(&mut self, at: Millis, by: &str, action: String, detail: String) {
        self.pending_hops.push(Hop {
            at,
            by: by.to_string(),
            action,
            detail,
        });
    }
}

/// The network a cluster owns, shared with its nodes' container runtimes.
pub type SharedNetwork = Rc<RefCell<Network>>;

/// A fresh network for a new cluster.
pub fn shared(seed: u64) -> SharedNetwork {
    Rc::new(RefCell::new(Network::new(seed)))
}

/// Run `f` on `net` unless it is already in use (a re-entrant call then does nothing).
pub fn with<T>(net: &RefCell<Network>, f: impl FnOnce(&mut Network) -> T) -> Option<T> {
    let mut guard = net.try_borrow_mut().ok()?;
    Some(f(&mut guard))
}

/// kube-proxy's hook: the rules it programmed on `node` (see [`Network::set_proxy_rules`]).
pub fn publish_proxy_rules(ctx: &Ctx, node: &str, rules: &BTreeMap<String, Vec<String>>) {
    let all: Vec<String> = rules.values().flatten().cloned().collect();
    let at = ctx.now;
    ctx.with_network(|n| n.set_proxy_rules(node, at, all));
}

/// CoreDNS's hook: the A and SRV records it answers from now.
pub fn publish_dns_records(
    ctx: &Ctx,
    records: &BTreeMap<String, Vec<String>>,
    srv: &BTreeMap<String, Vec<String>>,
) {
    let at = ctx.now;
    ctx.with_network(|n| {
        n.set_dns(at, records.clone());
        n.srv = srv.clone();
    });
}

/// Whether `image` ships the network client `program` (busybox has `wget` and `nslookup`,
/// curlimages/curl is Alpine with curl and busybox, the nginx image is Debian with curl, and
/// registry.k8s.io/nginx-slim has curl too: the StatefulSet tutorial runs
/// `kubectl exec web-0 -- curl http://localhost/` in it).
pub fn image_has_client(image: &str, program: &str) -> bool {
    let repository = crate::kubelet::cri::normalize_image(image);
    let repository = repository
        .rsplit_once(':')
        .map_or(repository.as_str(), |(r, _)| r);
    let name = repository.rsplit('/').next().unwrap_or_default();
    match program {
        "wget" | "nslookup" => matches!(name, "busybox" | "alpine" | "curl"),
        "curl" => matches!(name, "curl" | "nginx" | "nginx-slim"),
        _ => false,
    }
}

/// The hook `kubectl exec`'d commands call: run the network client `program` in the pod whose
/// hostname is `hostname` (its namespace gives the search path, its node the nat table), on the
/// network of the cluster the container runs in (none: the client prints nothing).
pub fn run_client_program(
    network: Option<&RefCell<Network>>,
    program: &str,
    args: &[String],
    hostname: &str,
    now: Millis,
) -> client::Ran {
    let Some(network) = network else {
        return client::Ran::default();
    };
    with(network, |net| {
        let from = net
            .pods
            .values()
            .find(|p| p.name == hostname)
            .map(|p| traffic::Client {
                namespace: p.namespace.clone(),
                node: p.node.clone(),
                pod: format!("{}/{}", p.namespace, p.name),
            })
            .unwrap_or(traffic::Client {
                namespace: "default".into(),
                node: String::new(),
                pod: String::new(),
            });
        match program {
            "wget" => client::wget(args, net, &from, now),
            "curl" => client::curl(args, net, &from, now),
            _ => client::nslookup(args, net, &from, now),
        }
    })
    .unwrap_or_default()
}
