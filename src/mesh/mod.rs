//! A service mesh, as a model: an Istio-like control plane (`istiod`, [`Istiod`]) that watches
//! Services, EndpointSlices and Pods through the API server and pushes each opted-in pod's
//! sidecar (an Envoy, `istio-proxy`) its endpoint view (EDS: one cluster load assignment per
//! Service port, `outbound|80||web.default.svc.cluster.local`). A request from an opted-in pod to
//! a Service address is caught by its sidecar, which picks an endpoint of that view and connects
//! to the pod directly: the node's kube-proxy rules are not used.
//!
//! What is modelled from Istio's sources:
//! - the debounce of pushes (pilot/pkg/xds/discovery.go `debounce`, with
//!   pilot/pkg/features: `PILOT_DEBOUNCE_AFTER` 100ms, "the delay added to config/registry
//!   events for debouncing", and `PILOT_DEBOUNCE_MAX` 10s, "the maximum amount of time to wait
//!   for events while debouncing"; EDS updates are debounced too, `PILOT_ENABLE_EDS_DEBOUNCE`);
//! - the health of an endpoint from its slice conditions
//!   (pilot/pkg/serviceregistry/kube/controller/endpointslice.go `endpointHealthStatus`) and which
//!   endpoints go into a load assignment (pilot/pkg/xds/endpoints/endpoint_builder.go
//!   `filterIstioEndpoint`);
//! - the default route retry policy of a sidecar (pilot/pkg/networking/core/route/retry:
//!   2 retries on `connect-failure,refused-stream,unavailable,cancelled,
//!   retriable-status-codes`, avoiding the previous hosts).
//!
//! The sidecar injector is in [`inject`]: a mutating admission webhook adding `istio-init` and
//! the `istio-proxy` native sidecar to a pod as it is created. What is not modelled: mTLS, the
//! inbound side of a server pod's sidecar, and every Istio resource (VirtualService,
//! DestinationRule, Sidecar). The delay from a push to
//! a sidecar having applied it is podlab's own figure ([`SIDECAR_DELAY_RANGE`]), drawn per
//! sidecar from the cluster's seeded random source.

pub mod compare;
pub mod inject;
pub mod istioctl;
pub mod istiod;

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::dns::CLUSTER_DOMAIN;
use crate::sim::Millis;
use crate::unstructured::str_at;

pub use istiod::Istiod;

/// The pod label that opts a pod in (`sidecar.istio.io/inject: "true"`).
pub const INJECT_LABEL: &str = "sidecar.istio.io/inject";

/// The namespace Istio's control plane is installed in.
pub const NAMESPACE: &str = "istio-system";

/// The user istiod's ServiceAccount token authenticates as.
pub const SERVICE_ACCOUNT_USER: &str = "system:serviceaccount:istio-system:istiod";

/// The name of the ClusterRole (and its binding) of the istio-discovery chart
/// (manifests/charts/istio-control/istio-discovery/templates/clusterrole.yaml:
/// `istiod-clusterrole-{{ .Values.global.istioNamespace }}`).
pub const CLUSTER_ROLE: &str = "istiod-clusterrole-istio-system";

/// `PILOT_DEBOUNCE_AFTER` (default 100ms): a push waits until no event came for this long.
pub const DEBOUNCE_AFTER: Millis = 100;

/// `PILOT_DEBOUNCE_MAX` (default 10s): events arriving without a break push after this long.
pub const DEBOUNCE_MAX: Millis = 10_000;

/// The least and most a sidecar takes from istiod's push to the new view being in its Envoy
/// (the push queue, the xDS stream, Envoy applying it). podlab's own figures: Istio documents no
/// number for it.
pub const SIDECAR_DELAY_RANGE: (Millis, Millis) = (20, 220);

/// The number of retries of the default retry policy (`DefaultPolicy`: 2).
pub const DEFAULT_RETRIES: usize = 2;

/// The Service label that makes its endpoints draining rather than dropped while they terminate
/// (`PILOT_PERSISTENT_SESSION_LABEL`, default `istio.io/persistent-session`).
pub const PERSISTENT_SESSION_LABEL: &str = "istio.io/persistent-session";

/// What an endpoint is to istiod (model.HealthStatus), from its EndpointSlice conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Health {
    Healthy,
    Unhealthy,
    Draining,
    Terminating,
}

impl Health {
    /// The Envoy `HealthStatus` the load assignment carries, as `istioctl proxy-config
    /// endpoints` prints it (a terminating endpoint is never sent, see [`sent_in_eds`]).
    pub fn envoy_status(self) -> &'static str {
        match self {
            Health::Healthy => "HEALTHY",
            Health::Unhealthy => "UNHEALTHY",
            Health::Draining => "DRAINING",
            Health::Terminating => "TERMINATING",
        }
    }
}

/// endpointHealthStatus: `ready` unset or true is healthy; not ready but still serving while
/// terminating is draining when the Service keeps persistent sessions; terminating otherwise
/// (an unset `terminating` counts as true there); anything else is unhealthy.
pub fn endpoint_health(endpoint: &Value, service: &Value) -> Health {
    let condition = |name: &str| {
        endpoint
            .pointer(&format!("/conditions/{name}"))
            .and_then(Value::as_bool)
    };
    if condition("ready") != Some(false) {
        return Health::Healthy;
    }
    let serving = condition("serving") != Some(false);
    let terminating = condition("terminating") != Some(false);
    if supports_draining(service) && serving && terminating {
        return Health::Draining;
    }
    if terminating {
        return Health::Terminating;
    }
    Health::Unhealthy
}

/// Service.SupportsDrainingEndpoints: the Service carries the persistent-session label.
fn supports_draining(service: &Value) -> bool {
    !str_at(
        service,
        &format!(
            "/metadata/labels/{}",
            PERSISTENT_SESSION_LABEL.replace('/', "~1")
        ),
    )
    .is_empty()
}

/// filterIstioEndpoint: a terminating endpoint is never sent; an unhealthy one only when the
/// Service asks for unhealthy endpoints (SupportsUnhealthyEndpoints: it sets
/// `spec.trafficDistribution`); a draining one only to persistent-session Services.
pub fn sent_in_eds(health: Health, service: &Value) -> bool {
    match health {
        Health::Healthy => true,
        Health::Unhealthy => service.pointer("/spec/trafficDistribution").is_some(),
        Health::Draining => supports_draining(service),
        Health::Terminating => false,
    }
}

/// `name.namespace.svc.cluster.local`.
pub fn service_fqdn(service: &Value) -> String {
    format!(
        "{}.{}.svc.{CLUSTER_DOMAIN}",
        str_at(service, "/metadata/name"),
        str_at(service, "/metadata/namespace")
    )
}

/// The outbound cluster of a Service port: `outbound|PORT||FQDN` (no subset).
pub fn cluster_name(port: i64, fqdn: &str) -> String {
    format!("outbound|{port}||{fqdn}")
}

/// One endpoint of a load assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LbEndpoint {
    /// `10.244.1.3:80`.
    pub address: String,
    pub health: Health,
}

impl LbEndpoint {
    /// The pod IP without the port.
    pub fn ip(&self) -> &str {
        self.address
            .rsplit_once(':')
            .map_or(self.address.as_str(), |(ip, _)| ip)
    }
}

/// What one sidecar's Envoy holds: the outbound listeners by Service address, and each cluster's
/// load assignment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SidecarConfig {
    /// The push it came from (istiod counts its pushes from 1).
    pub version: u64,
    /// `clusterIP:port` → the cluster it routes to.
    pub listeners: BTreeMap<String, String>,
    /// cluster name → its endpoints, as sent (see [`sent_in_eds`]).
    pub clusters: BTreeMap<String, Vec<LbEndpoint>>,
}

impl SidecarConfig {
    /// The cluster a connection to `ip:port` is routed to, if a listener matches.
    pub fn cluster_for(&self, ip: &str, port: i64) -> Option<&str> {
        self.listeners
            .get(&format!("{ip}:{port}"))
            .map(String::as_str)
    }

    /// The endpoints Envoy's load balancer picks from: the healthy ones (a draining host only
    /// keeps the sessions pinned to it, an unhealthy one is skipped).
    pub fn healthy(&self, cluster: &str) -> Vec<String> {
        self.clusters
            .get(cluster)
            .into_iter()
            .flatten()
            .filter(|e| e.health == Health::Healthy)
            .map(|e| e.address.clone())
            .collect()
    }

    /// Every pod IP the sidecar would send new requests to.
    pub fn sending_to(&self) -> std::collections::BTreeSet<String> {
        self.clusters
            .values()
            .flatten()
            .filter(|e| e.health == Health::Healthy)
            .map(|e| e.ip().to_string())
            .collect()
    }
}

/// One endpoint as istiod classified it, sent or not (for the trace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    pub cluster: String,
    pub address: String,
    pub health: Health,
    pub sent: bool,
}

/// The target port of the slice port named as the Service port is.
fn target_port(slice: &Value, port_name: &str) -> Option<i64> {
    slice
        .get("ports")
        .and_then(Value::as_array)?
        .iter()
        .find(|p| str_at(p, "/name") == port_name)
        .and_then(|p| p.get("port").and_then(Value::as_i64))
}

/// Every endpoint of one Service, per port, as istiod classifies it.
pub fn classify(service: &Value, slices: &[&Value]) -> Vec<Classified> {
    let fqdn = service_fqdn(service);
    let mut out = Vec::new();
    for port in service
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let number = port.get("port").and_then(Value::as_i64).unwrap_or(0);
        let cluster = cluster_name(number, &fqdn);
        let port_name = str_at(port, "/name");
        for slice in slices {
            let Some(target) = target_port(slice, port_name) else {
                continue;
            };
            for e in slice
                .get("endpoints")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(ip) = e.pointer("/addresses/0").and_then(Value::as_str) else {
                    continue;
                };
                let health = endpoint_health(e, service);
                out.push(Classified {
                    cluster: cluster.clone(),
                    address: format!("{ip}:{target}"),
                    health,
                    sent: sent_in_eds(health, service),
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.cluster, &a.address).cmp(&(&b.cluster, &b.address)));
    out
}

/// The configuration every sidecar gets (no Sidecar resource scopes it): a listener and a
/// cluster for each port of each Service with a cluster IP.
pub fn build_config(services: &[&Value], slices: &[&Value], version: u64) -> SidecarConfig {
    let mut config = SidecarConfig {
        version,
        ..SidecarConfig::default()
    };
    for svc in services {
        let cluster_ip = str_at(svc, "/spec/clusterIP");
        if cluster_ip.is_empty() || cluster_ip == "None" {
            continue;
        }
        let fqdn = service_fqdn(svc);
        for port in svc
            .pointer("/spec/ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let number = port.get("port").and_then(Value::as_i64).unwrap_or(0);
            let cluster = cluster_name(number, &fqdn);
            config
                .listeners
                .insert(format!("{cluster_ip}:{number}"), cluster.clone());
            config.clusters.insert(cluster, Vec::new());
        }
        let own: Vec<&Value> = slices
            .iter()
            .copied()
            .filter(|s| crate::controllers::endpointslice::serves(s, svc))
            .collect();
        for c in classify(svc, &own).into_iter().filter(|c| c.sent) {
            config
                .clusters
                .entry(c.cluster)
                .or_default()
                .push(LbEndpoint {
                    address: c.address,
                    health: c.health,
                });
        }
    }
    config
}

/// The table of `istioctl proxy-config endpoints POD [--cluster NAME]` (istioctl/pkg/writer/
/// envoy/clusters PrintEndpointsSummary: a tabwriter with padding 5, columns ENDPOINT, STATUS,
/// OUTLIER CHECK, CLUSTER), for the cluster named `filter` (case-insensitively; all when empty).
pub fn render_endpoints(config: &SidecarConfig, filter: &str) -> String {
    let mut hosts: Vec<(&str, i64, &str, &LbEndpoint)> = config
        .clusters
        .iter()
        .filter(|(c, _)| filter.is_empty() || c.eq_ignore_ascii_case(filter))
        .flat_map(|(c, endpoints)| {
            endpoints.iter().map(move |e| {
                let port = e
                    .address
                    .rsplit_once(':')
                    .and_then(|(_, p)| p.parse().ok())
                    .unwrap_or(0);
                (e.ip(), port, c.as_str(), e)
            })
        })
        .collect();
    // retrieveSortedEndpointClusterSlice: by address (as text), then port, then cluster.
    hosts.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    let mut rows = vec![[
        "ENDPOINT".to_string(),
        "STATUS".to_string(),
        "OUTLIER CHECK".to_string(),
        "CLUSTER".to_string(),
    ]];
    for (_, _, cluster, e) in hosts {
        rows.push([
            e.address.clone(),
            e.health.envoy_status().to_string(),
            "OK".to_string(),
            cluster.to_string(),
        ]);
    }
    let width = |i: usize| rows.iter().map(|r| r[i].len()).max().unwrap_or(0);
    let widths = [width(0), width(1), width(2)];
    let mut out = String::new();
    for r in &rows {
        out.push_str(&format!(
            "{:w0$}     {:w1$}     {:w2$}     {}\n",
            r[0],
            r[1],
            r[2],
            r[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        ));
    }
    out
}

/// Whether `pod` has a sidecar: the injector added one when it was created (a label set later
/// changes nothing, as injection happens only at admission).
pub fn opted_in(pod: &Value) -> bool {
    inject::is_injected(pod)
}

/// The push scheduler: pilot/pkg/xds/discovery.go `debounce`. The first event starts a window
/// and a timer of [`DEBOUNCE_AFTER`]; when the timer fires, istiod pushes if no event came for
/// [`DEBOUNCE_AFTER`] or the window is [`DEBOUNCE_MAX`] old, and otherwise re-arms the timer for
/// what is left of the quiet time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Debounce {
    start: Option<Millis>,
    last_event: Millis,
    timer: Millis,
}

/// What the debouncer says when asked at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tick {
    /// Nothing waits.
    Idle,
    /// Ask again then.
    WaitUntil(Millis),
    /// Push now; `since` is when the window started.
    Push { since: Millis },
}

impl Debounce {
    /// An event (a Service, EndpointSlice or Pod changed) arrived at `now`.
    pub fn event(&mut self, now: Millis) {
        self.last_event = now;
        if self.start.is_none() {
            self.start = Some(now);
            self.timer = now.saturating_add(DEBOUNCE_AFTER);
        }
    }

    /// The timer's verdict at `now`.
    pub fn tick(&mut self, now: Millis) -> Tick {
        let Some(start) = self.start else {
            return Tick::Idle;
        };
        if now < self.timer {
            return Tick::WaitUntil(self.timer);
        }
        let quiet = now.saturating_sub(self.last_event);
        if now.saturating_sub(start) >= DEBOUNCE_MAX || quiet >= DEBOUNCE_AFTER {
            self.start = None;
            return Tick::Push { since: start };
        }
        self.timer = now.saturating_add(DEBOUNCE_AFTER - quiet);
        Tick::WaitUntil(self.timer)
    }
}

/// A policy rule of istiod's ClusterRole.
fn rbac_rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> Value {
    json!({"apiGroups": groups, "resources": resources, "verbs": verbs})
}

/// istiod's ClusterRole, cut to what podlab's istiod reads (the chart's role also covers Istio's
/// own resources, webhooks and certificates).
pub fn cluster_role() -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": CLUSTER_ROLE, "labels": {"app": "istiod", "release": "istio"}},
        "rules": [
            rbac_rule(&[""], &["pods", "nodes", "services", "namespaces", "endpoints"], &["get", "list", "watch"]),
            rbac_rule(&["discovery.k8s.io"], &["endpointslices"], &["get", "list", "watch"]),
            rbac_rule(&[""], &["configmaps"], &["create", "get", "list", "watch", "update"]),
        ]
    })
}

/// The binding of [`cluster_role`] to istiod's ServiceAccount.
pub fn cluster_role_binding() -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": {"name": CLUSTER_ROLE, "labels": {"app": "istiod", "release": "istio"}},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": CLUSTER_ROLE},
        "subjects": [{"kind": "ServiceAccount", "name": "istiod", "namespace": NAMESPACE}]
    })
}

/// What `istioctl install` leaves that podlab's istiod needs: its namespace, its ClusterRole
/// and binding, and the sidecar injector's MutatingWebhookConfiguration (istiod itself runs as
/// a simulated component, not as a pod).
pub fn install_objects() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "",
            "namespaces",
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}}),
        ),
        ("rbac.authorization.k8s.io", "clusterroles", cluster_role()),
        (
            "rbac.authorization.k8s.io",
            "clusterrolebindings",
            cluster_role_binding(),
        ),
        (
            "admissionregistration.k8s.io",
            "mutatingwebhookconfigurations",
            inject::webhook_configuration(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service() -> Value {
        json!({
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"clusterIP": "10.96.0.20", "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}]}
        })
    }

    fn endpoint(ip: &str, ready: bool, serving: bool, terminating: bool) -> Value {
        json!({"addresses": [ip], "conditions": {"ready": ready, "serving": serving, "terminating": terminating}})
    }

    fn slice(endpoints: Vec<Value>) -> Value {
        json!({
            "metadata": {"name": "web-abcde", "namespace": "default", "labels": {"kubernetes.io/service-name": "web"}},
            "ports": [{"name": "", "port": 80, "protocol": "TCP"}],
            "endpoints": endpoints
        })
    }

    #[test]
    fn health_follows_istios_endpoint_health_status() {
        let svc = service();
        assert_eq!(
            endpoint_health(&endpoint("a", true, true, false), &svc),
            Health::Healthy
        );
        // Ready unset counts as ready.
        assert_eq!(
            endpoint_health(&json!({"conditions": {}}), &svc),
            Health::Healthy
        );
        // A deleted pod still serving during its preStop hook: terminating, never sent.
        let terminating = endpoint("a", false, true, true);
        assert_eq!(endpoint_health(&terminating, &svc), Health::Terminating);
        assert!(!sent_in_eds(Health::Terminating, &svc));
        // A pod failing its readiness probe: unhealthy, not sent by default.
        let unready = endpoint("a", false, false, false);
        assert_eq!(endpoint_health(&unready, &svc), Health::Unhealthy);
        assert!(!sent_in_eds(Health::Unhealthy, &svc));
        // Persistent sessions keep a terminating, serving endpoint as DRAINING.
        let mut sticky = svc.clone();
        sticky["metadata"]["labels"] = json!({PERSISTENT_SESSION_LABEL: "cookie"});
        assert_eq!(endpoint_health(&terminating, &sticky), Health::Draining);
        assert!(sent_in_eds(Health::Draining, &sticky));
        assert_eq!(Health::Draining.envoy_status(), "DRAINING");
    }

    #[test]
    fn the_config_holds_one_cluster_per_service_port_with_its_sent_endpoints() {
        let svc = service();
        let s = slice(vec![
            endpoint("10.244.1.3", true, true, false),
            endpoint("10.244.2.3", false, true, true),
        ]);
        let config = build_config(&[&svc], &[&s], 1);
        let cluster = "outbound|80||web.default.svc.cluster.local";
        assert_eq!(config.cluster_for("10.96.0.20", 80), Some(cluster));
        assert_eq!(config.cluster_for("10.96.0.20", 81), None);
        assert_eq!(config.healthy(cluster), ["10.244.1.3:80"]);
        assert_eq!(
            render_endpoints(&config, cluster),
            "ENDPOINT          STATUS      OUTLIER CHECK     CLUSTER\n\
             10.244.1.3:80     HEALTHY     OK                outbound|80||web.default.svc.cluster.local\n"
        );
        let all = classify(&svc, &[&s]);
        assert_eq!(all.len(), 2);
        assert!(all[1].health == Health::Terminating && !all[1].sent);
    }

    #[test]
    fn debounce_waits_for_100ms_of_quiet_up_to_10s() {
        let mut d = Debounce::default();
        assert_eq!(d.tick(0), Tick::Idle);
        d.event(1_000);
        assert_eq!(d.tick(1_050), Tick::WaitUntil(1_100));
        d.event(1_080);
        // The timer fires at 1100, 20 ms after the last event: wait the 80 ms left.
        assert_eq!(d.tick(1_100), Tick::WaitUntil(1_180));
        assert_eq!(d.tick(1_180), Tick::Push { since: 1_000 });
        assert_eq!(d.tick(1_200), Tick::Idle);
        // Events every 50 ms never leave 100 ms of quiet: the push comes at DEBOUNCE_MAX.
        let mut d = Debounce::default();
        let mut now = 0;
        d.event(now);
        let pushed = loop {
            now += 50;
            d.event(now);
            if let Tick::Push { since } = d.tick(now) {
                break (now, since);
            }
        };
        assert_eq!(pushed, (DEBOUNCE_MAX, 0));
    }

    #[test]
    fn a_sidecar_is_what_the_injector_added_not_the_label() {
        // Labelled, but created before the mesh (or never admitted through the webhook).
        let labelled = json!({"metadata": {"labels": {"sidecar.istio.io/inject": "true"}}});
        assert!(!opted_in(&labelled));
        let injected = json!({"metadata": {"annotations": {inject::STATUS_ANNOTATION: "{}"}}});
        assert!(opted_in(&injected));
    }
}
