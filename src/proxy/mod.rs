//! kube-proxy in iptables mode (pkg/proxy/iptables/proxier.go): watches Services and EndpointSlices
//! and programs, on its node, a KUBE-SVC-… chain per service port that picks one of the
//! KUBE-SEP-… endpoint chains at random, each DNATing to a ready endpoint.

use std::collections::BTreeMap;

use data_encoding::BASE32;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::client::{core, grouped, Ctx, Informer};
use crate::cluster::Component;
use crate::controllers::endpointslice::{ready_addresses, serves};
use crate::sim::Actor;

/// portProtoHash: the first 16 characters of base32(sha256(name + protocol)).
fn port_proto_hash(service_port_name: &str, protocol: &str) -> String {
    let digest = Sha256::digest(format!("{service_port_name}{protocol}").as_bytes());
    BASE32.encode(&digest)[..16].to_string()
}

/// `KUBE-SVC-…` for `ns/name[:port-name]` and protocol.
pub fn service_chain(service_port_name: &str, protocol: &str) -> String {
    format!(
        "KUBE-SVC-{}",
        port_proto_hash(service_port_name, &protocol.to_lowercase())
    )
}

/// `KUBE-SEP-…` for one endpoint (`10.244.1.2:80`) of a service port.
pub fn endpoint_chain(service_port_name: &str, protocol: &str, endpoint: &str) -> String {
    format!(
        "KUBE-SEP-{}",
        port_proto_hash(
            service_port_name,
            &format!("{}{endpoint}", protocol.to_lowercase())
        )
    )
}

use crate::unstructured::str_at;

/// The rules for one Service: `-A KUBE-SERVICES ...`, the SVC chain and its SEP chains.
pub fn service_rules(svc: &Value, slices: &[&Value]) -> Vec<String> {
    let ns = str_at(svc, "/metadata/namespace");
    let name = str_at(svc, "/metadata/name");
    let cluster_ip = str_at(svc, "/spec/clusterIP");
    if cluster_ip.is_empty() || cluster_ip == "None" {
        return Vec::new();
    }
    let mut rules = Vec::new();
    for port in svc
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let port_name = port.get("name").and_then(Value::as_str).unwrap_or_default();
        let spn = if port_name.is_empty() {
            format!("{ns}/{name}")
        } else {
            format!("{ns}/{name}:{port_name}")
        };
        let protocol = port
            .get("protocol")
            .and_then(Value::as_str)
            .unwrap_or("TCP");
        let number = port.get("port").and_then(Value::as_i64).unwrap_or(0);
        let svc_chain = service_chain(&spn, protocol);
        let proto = protocol.to_lowercase();
        rules.push(format!(
            "-A KUBE-SERVICES -d {cluster_ip}/32 -p {proto} -m comment --comment \"{spn} cluster IP\" -m {proto} --dport {number} -j {svc_chain}"
        ));
        let endpoints: Vec<String> = slices
            .iter()
            .flat_map(|s| {
                let target = s.get("ports").and_then(Value::as_array).and_then(|ps| {
                    ps.iter()
                        .find(|p| str_at(p, "/name") == port_name)
                        .and_then(|p| p.get("port").and_then(Value::as_i64))
                });
                ready_addresses(s).map(move |ip| format!("{ip}:{}", target.unwrap_or(number)))
            })
            .collect();
        if endpoints.is_empty() {
            rules.push(format!(
                "-A KUBE-SERVICES -d {cluster_ip}/32 -p {proto} -m comment --comment \"{spn} has no endpoints\" -m {proto} --dport {number} -j REJECT"
            ));
            continue;
        }
        let n = endpoints.len();
        for (i, ep) in endpoints.iter().enumerate() {
            let sep = endpoint_chain(&spn, protocol, ep);
            let remaining = n - i;
            if remaining > 1 {
                rules.push(format!(
                    "-A {svc_chain} -m comment --comment \"{spn} -> {ep}\" -m statistic --mode random --probability {:.10} -j {sep}",
                    1.0 / remaining as f64
                ));
            } else {
                rules.push(format!(
                    "-A {svc_chain} -m comment --comment \"{spn} -> {ep}\" -j {sep}"
                ));
            }
            rules.push(format!("-A {sep} -p {proto} -m comment --comment \"{spn}\" -m {proto} -j DNAT --to-destination {ep}"));
        }
    }
    rules
}

pub struct KubeProxy {
    node: String,
    services: Informer,
    slices: Informer,
    /// The rules now programmed, per Service.
    pub rules: BTreeMap<String, Vec<String>>,
}

impl KubeProxy {
    pub fn new(node: &str) -> Self {
        KubeProxy {
            node: node.into(),
            services: Informer::new(core("services")),
            slices: Informer::new(grouped("discovery.k8s.io", "endpointslices")),
            rules: BTreeMap::new(),
        }
    }
}

impl Component for KubeProxy {
    fn actor(&self) -> Actor {
        Actor::KubeProxy(self.node.clone())
    }

    /// syncProxyRules: recompute every Service's rules and report the ones that changed.
    fn run(&mut self, ctx: &mut Ctx) {
        let changed = !self.services.sync(ctx).is_empty() | !self.slices.sync(ctx).is_empty();
        if !changed {
            return;
        }
        let mut next = BTreeMap::new();
        for svc in self.services.list() {
            let key = format!(
                "{}/{}",
                str_at(svc, "/metadata/namespace"),
                str_at(svc, "/metadata/name")
            );
            let slices: Vec<&Value> = self.slices.list().filter(|s| serves(s, svc)).collect();
            next.insert(key, service_rules(svc, &slices));
        }
        for (key, rules) in &next {
            if self.rules.get(key) != Some(rules) {
                ctx.note(
                    self.actor(),
                    "iptables-restore",
                    format!("service/{key}"),
                    rules.join("\n"),
                );
            }
        }
        for key in self.rules.keys().filter(|k| !next.contains_key(*k)) {
            ctx.note(
                self.actor(),
                "iptables-restore",
                format!("service/{key}"),
                "rules removed",
            );
        }
        self.rules = next;
        crate::network::publish_proxy_rules(&self.node, ctx.now, &self.rules);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_names_are_sixteen_base32_characters() {
        let c = service_chain("default/nginx", "TCP");
        assert!(c.starts_with("KUBE-SVC-") && c.len() == 25);
        assert_eq!(c, service_chain("default/nginx", "tcp"));
        assert_ne!(
            endpoint_chain("default/nginx", "TCP", "10.244.1.2:80"),
            endpoint_chain("default/nginx", "TCP", "10.244.1.3:80")
        );
    }
}
