//! An ingress controller (ingress-nginx, controller `k8s.io/ingress-nginx`): it watches
//! Ingresses, IngressClasses, Services and EndpointSlices and renders the nginx configuration
//! it would reload with — one upstream per Service port, named `namespace-service-port` as
//! ingress-nginx names them (internal/ingress/controller/controller.go upstreamName), holding
//! the Service's ready endpoints (the controller sends to pods directly, not through
//! kube-proxy). Reloads are rate-limited (`--sync-rate-limit`, 0.3 per second by default). It
//! listens on port 80 of the control-plane node (kind's ingress-nginx runs there with hostPort
//! 80) and writes that address into each Ingress's `status.loadBalancer`.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::client::{core, grouped, Ctx, Informer};
use crate::cluster::Component;
use crate::controllers::endpointslice::serves;
use crate::network::IngressView;
use crate::sim::{Actor, Millis};
use crate::unstructured::str_at;

/// The user the controller's ServiceAccount token authenticates as (deploy/static/provider/kind:
/// ServiceAccount `ingress-nginx` in namespace `ingress-nginx`).
pub const SERVICE_ACCOUNT_USER: &str = "system:serviceaccount:ingress-nginx:ingress-nginx";

/// `proxy-next-upstream-tries` (internal/ingress/defaults: ProxyNextUpstream "error timeout",
/// ProxyNextUpstreamTries 3): a GET whose connection fails is tried on the next server.
pub const PROXY_NEXT_UPSTREAM_TRIES: usize = 3;

/// The controller name IngressClasses select it by.
pub const CONTROLLER: &str = "k8s.io/ingress-nginx";

/// The shortest time between two reloads: 1 / `--sync-rate-limit` (0.3).
pub const MIN_RELOAD_INTERVAL: Millis = 3_334;

/// One `location`: requests for `host` (empty: any host) under `path` go to `upstream`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub host: String,
    pub path: String,
    /// `Exact`, `Prefix` or `ImplementationSpecific` (ingress-nginx treats it as a prefix).
    pub path_type: String,
    pub upstream: String,
}

/// Whether `path` matches `route` (networking/v1 HTTPIngressPath): Exact compares the whole
/// path; Prefix compares element by element split on `/`, so `/foo` matches `/foo` and
/// `/foo/bar` but not `/foobar`, and `/` matches everything.
pub fn path_matches(route: &Route, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or("/");
    if route.path_type == "Exact" {
        return path == route.path;
    }
    let elements = |p: &str| -> Vec<String> {
        p.split('/')
            .filter(|e| !e.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (want, got) = (elements(&route.path), elements(path));
    want.len() <= got.len() && want.iter().zip(&got).all(|(a, b)| a == b)
}

/// Whether a rule's host matches the request's: exactly, or a `*.example.com` wildcard
/// matching exactly one more label; a rule without host matches any.
fn host_matches(rule: &str, host: &str) -> bool {
    let host = host.split(':').next().unwrap_or_default();
    if rule.is_empty() || rule == host {
        return true;
    }
    match rule.strip_prefix("*.") {
        Some(suffix) => host
            .split_once('.')
            .is_some_and(|(first, rest)| !first.is_empty() && rest == suffix),
        None => false,
    }
}

/// The route a request takes: rules naming the host win over rules without one; among
/// matching paths the longest wins, Exact before Prefix at equal length.
pub fn match_route<'a>(routes: &'a [Route], host: &str, path: &str) -> Option<&'a Route> {
    let candidates = |named: bool| {
        routes
            .iter()
            .filter(move |r| r.host.is_empty() != named)
            .filter(|r| host_matches(&r.host, host) && path_matches(r, path))
            .max_by_key(|r| (r.path.len(), r.path_type == "Exact"))
    };
    candidates(true).or_else(|| candidates(false))
}

/// `namespace-service-port` (the port's number, or its name when the backend names it).
pub fn upstream_name(namespace: &str, backend: &Value) -> String {
    let service = str_at(backend, "/service/name");
    let port = backend
        .pointer("/service/port/number")
        .and_then(Value::as_i64)
        .map(|n| n.to_string())
        .unwrap_or_else(|| str_at(backend, "/service/port/name").to_string());
    format!("{namespace}-{service}-{port}")
}

/// The routes of one Ingress, in its rules' order; the default backend routes `/` for any host.
pub fn routes_of(ingress: &Value) -> Vec<Route> {
    let ns = str_at(ingress, "/metadata/namespace");
    let mut routes = Vec::new();
    for rule in ingress
        .pointer("/spec/rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let host = str_at(rule, "/host");
        for p in rule
            .pointer("/http/paths")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(backend) = p.get("backend") else {
                continue;
            };
            routes.push(Route {
                host: host.to_string(),
                path: match str_at(p, "/path") {
                    "" => "/".to_string(),
                    path => path.to_string(),
                },
                path_type: str_at(p, "/pathType").to_string(),
                upstream: upstream_name(ns, backend),
            });
        }
    }
    if let Some(backend) = ingress.pointer("/spec/defaultBackend") {
        routes.push(Route {
            host: String::new(),
            path: "/".into(),
            path_type: "Prefix".into(),
            upstream: upstream_name(ns, backend),
        });
    }
    routes
}

/// The servers of an upstream: the ready endpoints of the Service's slices, at the target port
/// of the Service port the backend names.
pub fn upstream_servers(service: &Value, backend: &Value, slices: &[&Value]) -> Vec<String> {
    let wanted_number = backend
        .pointer("/service/port/number")
        .and_then(Value::as_i64);
    let wanted_name = str_at(backend, "/service/port/name");
    let Some(port) = service
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|p| {
            wanted_number.is_some_and(|n| p.get("port").and_then(Value::as_i64) == Some(n))
                || (!wanted_name.is_empty() && str_at(p, "/name") == wanted_name)
        })
    else {
        return Vec::new();
    };
    let port_name = str_at(port, "/name");
    let mut servers = Vec::new();
    for s in slices {
        let Some(target) = s
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|p| str_at(p, "/name") == port_name)
            .and_then(|p| p.get("port").and_then(Value::as_i64))
        else {
            continue;
        };
        for e in s
            .get("endpoints")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if e.pointer("/conditions/ready").and_then(Value::as_bool) != Some(true) {
                continue;
            }
            if let Some(ip) = e.pointer("/addresses/0").and_then(Value::as_str) {
                servers.push(format!("{ip}:{target}"));
            }
        }
    }
    servers.sort();
    servers
}

/// The nginx configuration text: the upstreams, then one server block per host.
pub fn render(view: &IngressView) -> String {
    let mut out = String::new();
    for (name, servers) in &view.upstreams {
        out.push_str(&format!("upstream {name} {{\n"));
        if servers.is_empty() {
            out.push_str("    # no ready endpoints: requests get 503\n");
        }
        for s in servers {
            out.push_str(&format!("    server {s};\n"));
        }
        out.push_str("}\n");
    }
    let mut hosts: BTreeMap<&str, Vec<&Route>> = BTreeMap::new();
    for r in &view.routes {
        hosts.entry(r.host.as_str()).or_default().push(r);
    }
    for (host, routes) in hosts {
        let name = if host.is_empty() { "_" } else { host };
        out.push_str(&format!(
            "server {{\n    listen 80;\n    server_name {name};\n"
        ));
        for r in routes {
            let modifier = if r.path_type == "Exact" { "= " } else { "" };
            out.push_str(&format!(
                "    location {modifier}{} {{\n        proxy_pass http://{};\n    }}\n",
                r.path, r.upstream
            ));
        }
        out.push_str("}\n");
    }
    out
}

/// A policy rule of the controller's ClusterRole.
fn rbac_rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> Value {
    json!({"apiGroups": groups, "resources": resources, "verbs": verbs})
}

/// The labels ingress-nginx's manifests put on its objects.
fn rbac_labels() -> Value {
    json!({
        "app.kubernetes.io/instance": "ingress-nginx",
        "app.kubernetes.io/name": "ingress-nginx",
        "app.kubernetes.io/part-of": "ingress-nginx"
    })
}

/// The `ingress-nginx` ClusterRole of ingress-nginx's static manifests
/// (deploy/static/provider/kind/deploy.yaml): what the controller lists and watches, the
/// events it records and the Ingress status it writes.
pub fn cluster_role() -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": "ingress-nginx", "labels": rbac_labels()},
        "rules": [
            rbac_rule(&[""], &["configmaps", "endpoints", "nodes", "pods", "secrets", "namespaces"], &["list", "watch"]),
            rbac_rule(&["coordination.k8s.io"], &["leases"], &["list", "watch"]),
            rbac_rule(&[""], &["nodes"], &["get"]),
            rbac_rule(&[""], &["services"], &["get", "list", "watch"]),
            rbac_rule(&["networking.k8s.io"], &["ingresses"], &["get", "list", "watch"]),
            rbac_rule(&[""], &["events"], &["create", "patch"]),
            rbac_rule(&["networking.k8s.io"], &["ingresses/status"], &["update"]),
            rbac_rule(&["networking.k8s.io"], &["ingressclasses"], &["get", "list", "watch"]),
            rbac_rule(&["discovery.k8s.io"], &["endpointslices"], &["list", "watch", "get"]),
        ]
    })
}

/// The `ingress-nginx` ClusterRoleBinding: the role to the controller's ServiceAccount.
pub fn cluster_role_binding() -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": {"name": "ingress-nginx", "labels": rbac_labels()},
        "roleRef": {
            "apiGroup": "rbac.authorization.k8s.io",
            "kind": "ClusterRole",
            "name": "ingress-nginx"
        },
        "subjects": [{"kind": "ServiceAccount", "name": "ingress-nginx", "namespace": "ingress-nginx"}]
    })
}

pub struct IngressController {
    ingresses: Informer,
    classes: Informer,
    services: Informer,
    slices: Informer,
    nodes: Informer,
    /// The configuration nginx runs with.
    pub loaded: IngressView,
    last_reload: Option<Millis>,
    dirty: bool,
}

impl Default for IngressController {
    fn default() -> Self {
        IngressController {
            ingresses: Informer::new(grouped("networking.k8s.io", "ingresses")),
            classes: Informer::new(grouped("networking.k8s.io", "ingressclasses")),
            services: Informer::new(core("services")),
            slices: Informer::new(grouped("discovery.k8s.io", "endpointslices")),
            nodes: Informer::new(core("nodes")),
            loaded: IngressView::default(),
            last_reload: None,
            dirty: false,
        }
    }
}

impl IngressController {
    /// Whether this controller handles `ingress`: its class is one of ours, or it names none
    /// and our class is the default (`ingressclass.kubernetes.io/is-default-class`).
    fn handles(&self, ingress: &Value) -> bool {
        let ours = |c: &&Value| str_at(c, "/spec/controller") == CONTROLLER;
        match str_at(ingress, "/spec/ingressClassName") {
            "" => self.classes.list().filter(ours).any(|c| {
                str_at(
                    c,
                    "/metadata/annotations/ingressclass.kubernetes.io~1is-default-class",
                ) == "true"
            }),
            name => self
                .classes
                .list()
                .filter(ours)
                .any(|c| str_at(c, "/metadata/name") == name),
        }
    }

    /// The address nginx listens on: the control-plane node's InternalIP.
    fn address(&self) -> String {
        let internal_ip = |n: &Value| -> Option<String> {
            n.pointer("/status/addresses")?
                .as_array()?
                .iter()
                .find(|a| str_at(a, "/type") == "InternalIP")
                .map(|a| str_at(a, "/address").to_string())
        };
        let control_plane = self.nodes.list().find(|n| {
            n.pointer("/metadata/labels/node-role.kubernetes.io~1control-plane")
                .is_some()
        });
        control_plane
            .or_else(|| self.nodes.list().next())
            .and_then(internal_ip)
            .unwrap_or_default()
    }

    /// The configuration the current objects call for.
    fn desired(&self) -> IngressView {
        let mut view = IngressView {
            address: self.address(),
            ..IngressView::default()
        };
        for ing in self.ingresses.list().filter(|i| self.handles(i)) {
            let ns = str_at(ing, "/metadata/namespace");
            view.routes.extend(routes_of(ing));
            let backends = ing
                .pointer("/spec/rules")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .flat_map(|r| {
                    r.pointer("/http/paths")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                })
                .filter_map(|p| p.get("backend"))
                .chain(ing.pointer("/spec/defaultBackend"));
            for backend in backends {
                let name = upstream_name(ns, backend);
                let service = self.services.list().find(|s| {
                    str_at(s, "/metadata/namespace") == ns
                        && str_at(s, "/metadata/name") == str_at(backend, "/service/name")
                });
                let servers = service.map_or(Vec::new(), |svc| {
                    let slices: Vec<&Value> =
                        self.slices.list().filter(|s| serves(s, svc)).collect();
                    upstream_servers(svc, backend, &slices)
                });
                view.upstreams.insert(name, servers);
            }
        }
        view
    }

    /// Write the address into the status of each handled Ingress that lacks it.
    fn publish_status(&self, ctx: &mut Ctx) {
        let address = self.loaded.address.clone();
        if address.is_empty() {
            return;
        }
        let want = json!([{"ip": address}]);
        let stale: Vec<Value> = self
            .ingresses
            .list()
            .filter(|i| self.handles(i))
            .filter(|i| i.pointer("/status/loadBalancer/ingress") != Some(&want))
            .cloned()
            .collect();
        for mut ing in stale {
            ing["status"] = json!({"loadBalancer": {"ingress": want.clone()}});
            ctx.update_status(grouped("networking.k8s.io", "ingresses"), ing);
        }
    }
}

impl Component for IngressController {
    fn actor(&self) -> Actor {
        Actor::IngressController
    }

    fn run(&mut self, ctx: &mut Ctx) {
        let changed = !self.ingresses.sync(ctx).is_empty()
            | !self.classes.sync(ctx).is_empty()
            | !self.services.sync(ctx).is_empty()
            | !self.slices.sync(ctx).is_empty()
            | !self.nodes.sync(ctx).is_empty();
        self.dirty |= changed;
        if !self.dirty {
            return;
        }
        let due = self
            .last_reload
            .map_or(0, |t| t.saturating_add(MIN_RELOAD_INTERVAL));
        if ctx.now < due {
            ctx.wake_at(due);
            return;
        }
        self.dirty = false;
        let next = self.desired();
        if next != self.loaded {
            self.last_reload = Some(ctx.now);
            ctx.note(
                Actor::IngressController,
                "ingress-nginx reload",
                "ingress-nginx/nginx.conf",
                render(&next),
            );
            self.loaded = next;
            let view = self.loaded.clone();
            let now = ctx.now;
            ctx.with_network(|net| net.set_ingress(now, view));
        }
        self.publish_status(ctx);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(path: &str, path_type: &str, upstream: &str) -> Route {
        Route {
            host: "foo.example".into(),
            path: path.into(),
            path_type: path_type.into(),
            upstream: upstream.into(),
        }
    }

    #[test]
    fn prefix_matches_whole_path_elements() {
        let r = route("/foo", "Prefix", "u");
        assert!(
            path_matches(&r, "/foo") && path_matches(&r, "/foo/") && path_matches(&r, "/foo/bar")
        );
        assert!(!path_matches(&r, "/foobar"));
        assert!(path_matches(&route("/", "Prefix", "u"), "/anything"));
        let e = route("/foo", "Exact", "u");
        assert!(path_matches(&e, "/foo") && !path_matches(&e, "/foo/"));
    }

    #[test]
    fn the_longest_path_wins_and_exact_beats_prefix() {
        let routes = vec![
            route("/", "Prefix", "root"),
            route("/aaa", "Prefix", "a"),
            route("/aaa", "Exact", "exact"),
        ];
        assert_eq!(
            match_route(&routes, "foo.example", "/aaa").map(|r| r.upstream.as_str()),
            Some("exact")
        );
        assert_eq!(
            match_route(&routes, "foo.example", "/aaa/b").map(|r| r.upstream.as_str()),
            Some("a")
        );
        assert_eq!(
            match_route(&routes, "foo.example", "/b").map(|r| r.upstream.as_str()),
            Some("root")
        );
        assert_eq!(match_route(&routes, "other.example", "/"), None);
        assert!(
            host_matches("*.example", "foo.example") && !host_matches("*.example", "a.b.example")
        );
    }

    #[test]
    fn upstreams_are_named_namespace_service_port() {
        let view = IngressView {
            address: "172.18.0.2".into(),
            routes: vec![route("/", "Prefix", "default-web-80")],
            upstreams: [(
                "default-web-80".to_string(),
                vec!["10.244.1.2:80".to_string(), "10.244.2.2:80".to_string()],
            )]
            .into(),
        };
        assert!(render(&view).starts_with(
            "upstream default-web-80 {\n    server 10.244.1.2:80;\n    server 10.244.2.2:80;\n}\n"
        ));
        let backend = json!({"service": {"name": "web", "port": {"number": 80}}});
        assert_eq!(upstream_name("default", &backend), "default-web-80");
    }
}
