//! CoreDNS with the kubernetes plugin (coredns/plugin/kubernetes): watches Services and their
//! EndpointSlices (kind's Corefile says `pods insecure`, which watches no pods), and answers
//!
//! - `<service>.<namespace>.svc.cluster.local`: A records with the cluster IP, or for a headless
//!   Service the addresses of its ready endpoints;
//! - `<endpoint>.<service>.<namespace>.svc.cluster.local` for each ready endpoint of a headless
//!   Service, named by the endpoint's hostname (the slice carries it for a pod with `hostname`
//!   and a `subdomain` equal to the Service's name, as a StatefulSet's `web-0`), else by its
//!   dashed IP (`10-244-1-5`),
//!   as endpointHostname does;
//! - SRV records `_<port>._<proto>.<service>.<namespace>.svc.cluster.local` for each named port:
//!   one pointing at the Service name for a ClusterIP Service, one per ready endpoint for a
//!   headless one, weights shared out of 100 as the backend's SRV does (priority 0, weight
//!   ⌊100 / n⌋).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::client::{core, grouped, Ctx, Informer};
use crate::cluster::Component;
use crate::controllers::endpointslice::serves;
use crate::sim::Actor;

pub const CLUSTER_DOMAIN: &str = "cluster.local";

use crate::unstructured::str_at;

/// The TTL the kubernetes plugin answers with (its `ttl` option's default).
pub const TTL_SECONDS: u32 = 5;

pub struct CoreDns {
    services: Informer,
    slices: Informer,
    /// name → addresses.
    pub records: BTreeMap<String, Vec<String>>,
    /// `_port._proto.service…` → SRV data (`priority weight port target`).
    pub srv: BTreeMap<String, Vec<String>>,
}

impl Default for CoreDns {
    fn default() -> Self {
        CoreDns {
            services: Informer::new(core("services")),
            slices: Informer::new(grouped("discovery.k8s.io", "endpointslices")),
            records: BTreeMap::new(),
            srv: BTreeMap::new(),
        }
    }
}

/// One ready endpoint of a Service: its address, its DNS label and its ports by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadyEndpoint {
    pub address: String,
    pub label: String,
    pub ports: BTreeMap<String, i64>,
}

/// `10.244.1.5` → `10-244-1-5` (endpointHostname for an endpoint without a hostname).
pub fn dashed(ip: &str) -> String {
    ip.replace(['.', ':'], "-")
}

/// The fully qualified name of a Service.
pub fn service_fqdn(svc: &Value) -> String {
    format!(
        "{}.{}.svc.{CLUSTER_DOMAIN}",
        str_at(svc, "/metadata/name"),
        str_at(svc, "/metadata/namespace")
    )
}

/// The SRV weight of each of `n` records of one priority (the backend's SRV: no record sets a
/// weight, so each gets ⌊100 / n⌋).
pub fn srv_weight(n: usize) -> usize {
    100 / n.max(1)
}

impl CoreDns {
    /// The ready endpoints of a Service, from its slices.
    fn ready_endpoints(&self, svc: &Value) -> Vec<ReadyEndpoint> {
        let mut out = Vec::new();
        for slice in self.slices.list().filter(|s| serves(s, svc)) {
            let ports: BTreeMap<String, i64> = slice
                .get("ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| Some((str_at(p, "/name").to_string(), p.get("port")?.as_i64()?)))
                .collect();
            for e in slice
                .get("endpoints")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|e| e.pointer("/conditions/ready").and_then(Value::as_bool) == Some(true))
            {
                let Some(address) = e.pointer("/addresses/0").and_then(Value::as_str) else {
                    continue;
                };
                out.push(ReadyEndpoint {
                    address: address.to_string(),
                    label: Self::endpoint_label(e, address),
                    ports: ports.clone(),
                });
            }
        }
        out.sort_by(|a, b| a.label.cmp(&b.label));
        out
    }

    /// endpointHostname (coredns plugin/kubernetes/kubernetes.go): the endpoint's hostname (which
    /// the EndpointSlice controller sets for a pod whose subdomain is the Service), else the
    /// dashed address.
    fn endpoint_label(endpoint: &Value, address: &str) -> String {
        match str_at(endpoint, "/hostname") {
            "" => dashed(address),
            own => own.to_string(),
        }
    }

    /// The A records and SRV records of one Service.
    fn service_records(
        &self,
        svc: &Value,
        a: &mut BTreeMap<String, Vec<String>>,
        srv: &mut BTreeMap<String, Vec<String>>,
    ) {
        let fqdn = service_fqdn(svc);
        let named_ports = svc
            .pointer("/spec/ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|p| !str_at(p, "/name").is_empty());
        match str_at(svc, "/spec/clusterIP") {
            "" => {
                a.insert(fqdn, Vec::new());
            }
            "None" => {
                let endpoints = self.ready_endpoints(svc);
                a.insert(
                    fqdn.clone(),
                    endpoints.iter().map(|e| e.address.clone()).collect(),
                );
                for e in &endpoints {
                    a.entry(format!("{}.{fqdn}", e.label))
                        .or_default()
                        .push(e.address.clone());
                }
                for p in named_ports {
                    let name = str_at(p, "/name");
                    let with_port: Vec<&ReadyEndpoint> = endpoints
                        .iter()
                        .filter(|e| e.ports.contains_key(name))
                        .collect();
                    let weight = srv_weight(with_port.len());
                    let data = with_port
                        .iter()
                        .map(|e| {
                            let port = e.ports.get(name).copied().unwrap_or_default();
                            format!("0 {weight} {port} {}.{fqdn}", e.label)
                        })
                        .collect();
                    srv.insert(srv_name(p, &fqdn), data);
                }
            }
            ip => {
                a.insert(fqdn.clone(), vec![ip.to_string()]);
                for p in named_ports {
                    let port = p.get("port").and_then(Value::as_i64).unwrap_or_default();
                    srv.insert(srv_name(p, &fqdn), vec![format!("0 100 {port} {fqdn}")]);
                }
            }
        }
    }

    /// Resolve a name as a pod's resolver would ask CoreDNS.
    pub fn resolve(&self, name: &str) -> Option<&Vec<String>> {
        self.records.get(name.trim_end_matches('.'))
    }
}

/// `_http._tcp.nginx.default.svc.cluster.local` for port `http` (TCP) of the Service.
fn srv_name(port: &Value, fqdn: &str) -> String {
    let protocol = match str_at(port, "/protocol") {
        "" => "tcp".to_string(),
        p => p.to_lowercase(),
    };
    format!("_{}._{protocol}.{fqdn}", str_at(port, "/name"))
}

impl Component for CoreDns {
    fn actor(&self) -> Actor {
        Actor::CoreDns
    }

    fn run(&mut self, ctx: &mut Ctx) {
        let changed = !self.services.sync(ctx).is_empty() | !self.slices.sync(ctx).is_empty();
        if !changed {
            return;
        }
        let (mut next, mut srv) = (BTreeMap::new(), BTreeMap::new());
        for svc in self.services.list() {
            self.service_records(svc, &mut next, &mut srv);
        }
        for (name, addrs) in &next {
            if self.records.get(name) != Some(addrs) {
                let rr: Vec<String> = addrs
                    .iter()
                    .map(|a| format!("{name}. {TTL_SECONDS} IN A {a}"))
                    .collect();
                ctx.note(
                    Actor::CoreDns,
                    "DNS records",
                    format!("service/{name}"),
                    rr.join("\n"),
                );
            }
        }
        for (name, data) in &srv {
            if self.srv.get(name) != Some(data) {
                let rr: Vec<String> = data
                    .iter()
                    .map(|d| format!("{name}. {TTL_SECONDS} IN SRV {d}."))
                    .collect();
                ctx.note(
                    Actor::CoreDns,
                    "DNS records",
                    format!("service/{name}"),
                    rr.join("\n"),
                );
            }
        }
        let gone: Vec<&String> = self
            .records
            .keys()
            .filter(|n| !next.contains_key(*n))
            .chain(self.srv.keys().filter(|n| !srv.contains_key(*n)))
            .collect();
        for name in gone {
            ctx.note(
                Actor::CoreDns,
                "DNS records",
                format!("service/{name}"),
                "records removed",
            );
        }
        self.records = next;
        self.srv = srv;
        crate::network::publish_dns_records(ctx, &self.records, &self.srv);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn endpoints_without_a_hostname_are_named_by_their_dashed_address() {
        assert_eq!(dashed("10.244.1.5"), "10-244-1-5");
        let plain = json!({"addresses": ["10.244.1.5"]});
        assert_eq!(CoreDns::endpoint_label(&plain, "10.244.1.5"), "10-244-1-5");
        let named = json!({"addresses": ["10.244.1.5"], "hostname": "web-0"});
        assert_eq!(CoreDns::endpoint_label(&named, "10.244.1.5"), "web-0");
    }

    #[test]
    fn srv_weights_share_100_between_the_records() {
        assert_eq!(srv_weight(1), 100);
        assert_eq!(srv_weight(2), 50);
        assert_eq!(srv_weight(3), 33);
    }

    #[test]
    fn srv_names_join_port_protocol_and_service() {
        let p = json!({"name": "http", "port": 80});
        assert_eq!(
            srv_name(&p, "nginx.default.svc.cluster.local"),
            "_http._tcp.nginx.default.svc.cluster.local"
        );
        let udp = json!({"name": "dns", "port": 53, "protocol": "UDP"});
        assert_eq!(
            srv_name(&udp, "x.y.svc.cluster.local"),
            "_dns._udp.x.y.svc.cluster.local"
        );
    }
}
