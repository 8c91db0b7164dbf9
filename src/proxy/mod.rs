//! kube-proxy in iptables mode (pkg/proxy/iptables/proxier.go): watches Services and EndpointSlices
//! and programs, on its node, a KUBE-SVC-… chain per service port that picks one of the
//! KUBE-SEP-… endpoint chains at random, each DNATing to a ready endpoint.
//!
//! Its syncs are paced as the proxier's BoundedFrequencyRunner paces them
//! (pkg/proxy/runner/bounded_frequency_runner.go, built in NewProxier with
//! `minSyncPeriod, syncPeriod, proxyutil.FullSyncPeriod`): a change asks for a run, which
//! happens at once unless the last run was less than `minSyncPeriod` ago (then it waits for the
//! end of that window; further changes meanwhile join the same run). Each node also takes its
//! own time from the EndpointSlice write to the rules being in its kernel (the watch reaching
//! it, syncProxyRules, iptables-restore): a per-node delay drawn from the cluster's seeded
//! random source when the proxy starts, so that for a moment nodes disagree.

use std::collections::BTreeMap;

use data_encoding::BASE32;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::client::{core, grouped, Ctx, Informer};
use crate::cluster::Component;
use crate::controllers::endpointslice::{ready_addresses, serves};
use crate::sim::{Actor, Millis};

/// `iptables.minSyncPeriod`'s default for kube-proxy v1.36 (pkg/proxy/apis/config/v1alpha1/
/// defaults.go SetDefaults_KubeProxyConfiguration: 1 s).
pub const MIN_SYNC_PERIOD: Millis = 1_000;

/// `iptables.syncPeriod`'s default (30 s): the runner's retry interval after a failed sync
/// (podlab's syncs do not fail).
pub const SYNC_PERIOD: Millis = 30_000;

/// proxyutil.FullSyncPeriod (pkg/proxy/util/utils.go, 1 h): the runner's longest interval, when
/// a full resync runs even without a change (it rewrites the same rules, so podlab skips it).
pub const FULL_SYNC_PERIOD: Millis = 3_600_000;

/// The least and most a node takes from a watch event to its rules being in the kernel.
pub const NODE_DELAY_RANGE: (Millis, Millis) = (100, 1_100);

/// When the runner runs next: at once (after the node's delay) unless the last run was less
/// than [`MIN_SYNC_PERIOD`] ago, then at the end of that window.
pub fn next_sync_at(requested_at: Millis, last_sync: Option<Millis>, node_delay: Millis) -> Millis {
    let earliest = last_sync.map_or(0, |t| t.saturating_add(MIN_SYNC_PERIOD));
    requested_at.saturating_add(node_delay).max(earliest)
}

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
    /// This node's delay from a watch event to its rules in the kernel (drawn at first run).
    node_delay: Option<Millis>,
    /// When the first change not yet synced arrived (a queued `Run()`).
    requested_at: Option<Millis>,
    /// When syncProxyRules last ran.
    last_sync: Option<Millis>,
}

impl KubeProxy {
    pub fn new(node: &str) -> Self {
        KubeProxy {
            node: node.into(),
            services: Informer::new(core("services")),
            slices: Informer::new(grouped("discovery.k8s.io", "endpointslices")),
            rules: BTreeMap::new(),
            node_delay: None,
            requested_at: None,
            last_sync: None,
        }
    }

    /// This node's delay, drawn once from the cluster's random source.
    fn node_delay(&mut self, ctx: &mut Ctx) -> Millis {
        let (low, high) = NODE_DELAY_RANGE;
        *self
            .node_delay
            .get_or_insert_with(|| low + ctx.rng.below(high - low))
    }

    /// syncProxyRules: recompute every Service's rules, trace the ones that changed, and
    /// program them on the node.
    fn sync_proxy_rules(&mut self, ctx: &mut Ctx, requested_at: Millis) {
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
        let changed: Vec<&String> = next
            .iter()
            .filter(|(k, r)| self.rules.get(*k) != Some(*r))
            .map(|(k, _)| k)
            .chain(self.rules.keys().filter(|k| !next.contains_key(*k)))
            .collect();
        ctx.note(
            self.actor(),
            "syncProxyRules",
            format!("node/{}", self.node),
            format!(
                "{}: changes seen at {}, rules in the kernel at {} ({} ms later: this node's delay {} ms, minSyncPeriod {} ms since the last sync); {} service(s) changed",
                self.actor().label(),
                crate::network::traffic::seconds(requested_at),
                crate::network::traffic::seconds(ctx.now),
                ctx.now.saturating_sub(requested_at),
                self.node_delay.unwrap_or_default(),
                MIN_SYNC_PERIOD,
                changed.len()
            ),
        );
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
        self.last_sync = Some(ctx.now);
        crate::network::publish_proxy_rules(ctx, &self.node, &self.rules);
    }
}

impl Component for KubeProxy {
    fn actor(&self) -> Actor {
        Actor::KubeProxy(self.node.clone())
    }

    /// The informers feed the runner; it runs syncProxyRules when [`next_sync_at`] says.
    fn run(&mut self, ctx: &mut Ctx) {
        let changed = !self.services.sync(ctx).is_empty() | !self.slices.sync(ctx).is_empty();
        if changed && self.requested_at.is_none() {
            self.requested_at = Some(ctx.now);
        }
        let Some(requested_at) = self.requested_at else {
            return;
        };
        let delay = self.node_delay(ctx);
        let due = next_sync_at(requested_at, self.last_sync, delay);
        if ctx.now < due {
            ctx.wake_at(due);
            return;
        }
        self.requested_at = None;
        self.sync_proxy_rules(ctx, requested_at);
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

    #[test]
    fn a_change_syncs_after_the_node_delay_but_not_within_min_sync_period() {
        // Long after the last sync: the node's own delay only.
        assert_eq!(next_sync_at(10_000, Some(2_000), 300), 10_300);
        assert_eq!(next_sync_at(10_000, None, 300), 10_300);
        // 200 ms after a sync: wait for the end of the 1 s window.
        assert_eq!(next_sync_at(10_000, Some(9_800), 100), 10_800);
        assert_eq!(MIN_SYNC_PERIOD, 1_000);
        assert_eq!(SYNC_PERIOD, 30_000);
    }
}
