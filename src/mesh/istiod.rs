//! istiod, the mesh's control plane, as one component: its informers feed the debouncer; a push
//! recomputes the sidecars' configuration and sends it to every opted-in pod's sidecar, which
//! applies it after its own delay and publishes it to the cluster network (where the pod's
//! outbound requests use it).

use std::collections::BTreeMap;

use serde_json::Value;

use super::inject::{root_cert_config_map, IGNORED_NAMESPACES, ROOT_CERT_CONFIG_MAP};
use super::{build_config, classify, opted_in, Debounce, SidecarConfig, Tick, SIDECAR_DELAY_RANGE};
use crate::client::{core, grouped, Ctx, Informer};
use crate::cluster::Component;
use crate::controllers::endpointslice::serves;
use crate::network::traffic::seconds;
use crate::sim::{Actor, Millis};
use crate::unstructured::str_at;

/// One opted-in pod's sidecar, as istiod tracks its xDS stream.
#[derive(Debug, Clone, Default)]
struct Sidecar {
    /// Its own delay from a push to the view applied (drawn once).
    delay: Millis,
    /// Pushes sent and not yet applied, oldest first: (when applied, the configuration).
    in_flight: Vec<(Millis, SidecarConfig)>,
    /// The version last applied.
    applied: Option<u64>,
}

pub struct Istiod {
    services: Informer,
    slices: Informer,
    pods: Informer,
    namespaces: Informer,
    /// Only the `istio-ca-root-cert` ConfigMaps (`fieldSelector=metadata.name=…`).
    root_certs: Informer,
    debounce: Debounce,
    /// The configuration of the last push.
    pushed: SidecarConfig,
    /// `namespace/name` of each opted-in pod with an IP → its sidecar.
    sidecars: BTreeMap<String, Sidecar>,
}

impl Default for Istiod {
    fn default() -> Self {
        Istiod {
            services: Informer::new(core("services")),
            slices: Informer::new(grouped("discovery.k8s.io", "endpointslices")),
            pods: Informer::new(core("pods")),
            namespaces: Informer::new(core("namespaces")),
            root_certs: Informer::filtered(
                core("configmaps"),
                |cm, name| str_at(cm, "/metadata/name") == name,
                ROOT_CERT_CONFIG_MAP,
                &format!("&fieldSelector=metadata.name={ROOT_CERT_CONFIG_MAP}"),
            ),
            debounce: Debounce::default(),
            pushed: SidecarConfig::default(),
            sidecars: BTreeMap::new(),
        }
    }
}

/// `namespace/name`.
fn pod_key(pod: &Value) -> String {
    format!(
        "{}/{}",
        str_at(pod, "/metadata/namespace"),
        str_at(pod, "/metadata/name")
    )
}

impl Istiod {
    /// The opted-in pods whose sidecar runs: they have an IP and are not terminal.
    fn meshed_pods(&self) -> Vec<String> {
        self.pods
            .list()
            .filter(|p| opted_in(p) && !str_at(p, "/status/podIP").is_empty())
            .filter(|p| !matches!(str_at(p, "/status/phase"), "Succeeded" | "Failed"))
            .map(pod_key)
            .collect()
    }

    /// The namespace controller (pilot/pkg/serviceregistry/kube/controller/namespacecontroller.go):
    /// every namespace but the ignored system ones (kube-system is kept) gets the
    /// `istio-ca-root-cert` ConfigMap that injected pods mount; one deleted is written again.
    fn publish_root_certs(&mut self, ctx: &mut Ctx) {
        let missing: Vec<String> = self
            .namespaces
            .list()
            .filter(|ns| str_at(ns, "/status/phase") != "Terminating")
            .map(|ns| str_at(ns, "/metadata/name").to_string())
            .filter(|ns| ns == "kube-system" || !IGNORED_NAMESPACES.contains(&ns.as_str()))
            .filter(|ns| {
                self.root_certs
                    .get(&format!("{ns}/{ROOT_CERT_CONFIG_MAP}"))
                    .is_none()
            })
            .collect();
        for ns in missing {
            ctx.create(core("configmaps"), Some(&ns), root_cert_config_map(&ns));
        }
    }

    /// What istiod made of every endpoint, for the push's trace entry.
    fn classification(&self) -> String {
        let mut out = String::new();
        for svc in self.services.list() {
            let slices: Vec<&Value> = self.slices.list().filter(|s| serves(s, svc)).collect();
            for c in classify(svc, &slices) {
                let sent = if c.sent {
                    "sent"
                } else {
                    "not sent (filterIstioEndpoint)"
                };
                out.push_str(&format!(
                    "{} {} {:?}: {sent}\n",
                    c.cluster, c.address, c.health
                ));
            }
        }
        out
    }

    /// Start and stop tracking sidecars as opted-in pods come and go; a new sidecar's first
    /// request for its configuration is answered with the last push.
    fn track_sidecars(&mut self, ctx: &mut Ctx) {
        let meshed = self.meshed_pods();
        let gone: Vec<String> = self
            .sidecars
            .keys()
            .filter(|k| !meshed.contains(k))
            .cloned()
            .collect();
        for key in gone {
            self.sidecars.remove(&key);
            let now = ctx.now;
            ctx.with_network(|net| net.set_sidecar(&key, now, None));
        }
        for key in meshed {
            if self.sidecars.contains_key(&key) {
                continue;
            }
            let (low, high) = SIDECAR_DELAY_RANGE;
            let delay = low + ctx.rng.below(high - low);
            let mut sidecar = Sidecar {
                delay,
                ..Sidecar::default()
            };
            if self.pushed.version > 0 {
                sidecar
                    .in_flight
                    .push((ctx.now.saturating_add(delay), self.pushed.clone()));
            }
            self.sidecars.insert(key, sidecar);
        }
    }

    /// A push: the configuration now, to every sidecar.
    fn push(&mut self, ctx: &mut Ctx, since: Millis) {
        let services: Vec<&Value> = self.services.list().collect();
        let slices: Vec<&Value> = self.slices.list().collect();
        let next = build_config(&services, &slices, self.pushed.version + 1);
        if next.listeners == self.pushed.listeners && next.clusters == self.pushed.clusters {
            return;
        }
        ctx.note(
            Actor::Istiod,
            "Push EDS",
            format!("push/{}", next.version),
            format!(
                "istiod: first change at {}, pushed at {} (PILOT_DEBOUNCE_AFTER {} ms of quiet, PILOT_DEBOUNCE_MAX {} ms) to {} sidecar(s)\n{}",
                seconds(since),
                seconds(ctx.now),
                super::DEBOUNCE_AFTER,
                super::DEBOUNCE_MAX,
                self.sidecars.len(),
                self.classification()
            ),
        );
        let old = self.pushed.sending_to();
        let now = ctx.now;
        ctx.with_network(|net| net.istiod_pushed(now, &old, &next.sending_to()));
        for sidecar in self.sidecars.values_mut() {
            sidecar
                .in_flight
                .push((now.saturating_add(sidecar.delay), next.clone()));
        }
        self.pushed = next;
    }

    /// Each sidecar applies the pushes that reached it by now.
    fn deliver(&mut self, ctx: &mut Ctx) {
        let now = ctx.now;
        for (key, sidecar) in self.sidecars.iter_mut() {
            let due: Vec<SidecarConfig> = sidecar
                .in_flight
                .iter()
                .filter(|(at, _)| *at <= now)
                .map(|(_, c)| c.clone())
                .collect();
            sidecar.in_flight.retain(|(at, _)| *at > now);
            let Some(config) = due.into_iter().last() else {
                continue;
            };
            sidecar.applied = Some(config.version);
            ctx.note(
                Actor::Istiod,
                "EDS applied",
                format!("istio-proxy@{key}"),
                format!(
                    "istio-proxy@{key} applied push {} at {} (this sidecar's delay from a push: {} ms)\n{}",
                    config.version,
                    seconds(now),
                    sidecar.delay,
                    super::render_endpoints(&config, "")
                ),
            );
            ctx.with_network(|net| net.set_sidecar(key, now, Some(config)));
        }
    }

    /// When something is due next: a debounce timer or a push reaching a sidecar.
    fn next_due(&self) -> Option<Millis> {
        self.sidecars
            .values()
            .flat_map(|s| s.in_flight.iter().map(|(at, _)| *at))
            .min()
    }

    /// The version each sidecar last applied (for the views).
    pub fn applied_versions(&self) -> BTreeMap<String, Option<u64>> {
        self.sidecars
            .iter()
            .map(|(k, s)| (k.clone(), s.applied))
            .collect()
    }
}

impl Component for Istiod {
    fn actor(&self) -> Actor {
        Actor::Istiod
    }

    fn run(&mut self, ctx: &mut Ctx) {
        let changed = !self.services.sync(ctx).is_empty()
            | !self.slices.sync(ctx).is_empty()
            | !self.pods.sync(ctx).is_empty();
        let namespaces_changed =
            !self.namespaces.sync(ctx).is_empty() | !self.root_certs.sync(ctx).is_empty();
        if namespaces_changed {
            self.publish_root_certs(ctx);
        }
        if changed {
            self.debounce.event(ctx.now);
            self.track_sidecars(ctx);
        }
        match self.debounce.tick(ctx.now) {
            Tick::Push { since } => self.push(ctx, since),
            Tick::WaitUntil(at) => ctx.wake_at(at),
            Tick::Idle => {}
        }
        self.deliver(ctx);
        if let Some(at) = self.next_due() {
            ctx.wake_at(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::cluster::{Cluster, Preset};

    const OBJECTS: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: nginx
    image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: client
  labels:
    sidecar.istio.io/inject: \"true\"
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: [\"sleep\", \"3600\"]
";

    fn cluster(mesh: bool) -> Cluster {
        let mut c = Cluster::new(Preset::Default, 3);
        if mesh {
            c.enable_mesh();
        }
        let out = c.kubectl("kubectl apply -f -", Some(OBJECTS));
        assert_eq!(out.exit_code, 0, "{}", out.text);
        c.advance(15_000);
        c
    }

    #[test]
    fn istiod_pushes_the_opted_in_pod_its_services_endpoints() {
        let c = cluster(true);
        assert!(c.mesh_enabled());
        let net = c.network().borrow();
        let config = net
            .sidecars
            .get("default/client")
            .expect("the client has a sidecar");
        let web = config.healthy("outbound|80||web.default.svc.cluster.local");
        assert_eq!(web.len(), 1);
        assert!(web[0].starts_with("10.244.") && web[0].ends_with(":80"));
        // Only the opted-in pod has one.
        assert_eq!(net.sidecars.len(), 1);
        drop(net);
        assert!(c
            .trace()
            .iter()
            .any(|e| e.from == crate::sim::Actor::Istiod && e.action == "Push EDS"));
    }

    #[test]
    fn without_the_mesh_nothing_of_it_runs() {
        let c = cluster(false);
        assert!(!c.mesh_enabled());
        assert!(c.network().borrow().sidecars.is_empty());
        assert!(c
            .trace()
            .iter()
            .all(|e| e.from != crate::sim::Actor::Istiod && e.to != crate::sim::Actor::Istiod));
    }
}
