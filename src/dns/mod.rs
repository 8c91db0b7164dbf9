//! CoreDNS with the kubernetes plugin: watches Services and answers
//! `<service>.<namespace>.svc.cluster.local` with the cluster IP (A records), and for headless
//! Services with the ready endpoints' addresses.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::client::{core, grouped, Ctx, Informer};
use crate::cluster::Component;
use crate::controllers::endpointslice::{ready_addresses, serves};
use crate::sim::Actor;

pub const CLUSTER_DOMAIN: &str = "cluster.local";

use crate::unstructured::str_at;

pub struct CoreDns {
    services: Informer,
    slices: Informer,
    /// name → addresses.
    pub records: BTreeMap<String, Vec<String>>,
}

impl Default for CoreDns {
    fn default() -> Self {
        CoreDns {
            services: Informer::new(core("services")),
            slices: Informer::new(grouped("discovery.k8s.io", "endpointslices")),
            records: BTreeMap::new(),
        }
    }
}

impl CoreDns {
    /// The A records of one Service.
    fn addresses(&self, svc: &Value) -> Vec<String> {
        match str_at(svc, "/spec/clusterIP") {
            "" => Vec::new(),
            "None" => self
                .slices
                .list()
                .filter(|s| serves(s, svc))
                .flat_map(ready_addresses)
                .map(str::to_string)
                .collect(),
            ip => vec![ip.to_string()],
        }
    }

    /// Resolve a name as a pod's resolver would ask CoreDNS.
    pub fn resolve(&self, name: &str) -> Option<&Vec<String>> {
        self.records.get(name.trim_end_matches('.'))
    }
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
        let mut next = BTreeMap::new();
        for svc in self.services.list() {
            let fqdn = format!(
                "{}.{}.svc.{CLUSTER_DOMAIN}",
                str_at(svc, "/metadata/name"),
                str_at(svc, "/metadata/namespace")
            );
            next.insert(fqdn, self.addresses(svc));
        }
        for (name, addrs) in &next {
            if self.records.get(name) != Some(addrs) {
                let rr: Vec<String> = addrs
                    .iter()
                    .map(|a| format!("{name}. 5 IN A {a}"))
                    .collect();
                ctx.note(
                    Actor::CoreDns,
                    "DNS records",
                    format!("service/{name}"),
                    rr.join("\n"),
                );
            }
        }
        self.records = next;
        crate::network::publish_dns_records(ctx.now, &self.records);
    }
}
