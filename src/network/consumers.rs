//! What each endpoint consumer had programmed at a step of the trace: kube-proxy's nat rules on
//! every node (per Service, as each `iptables-restore` wrote them), CoreDNS's records, and the
//! upstreams of ingress-nginx's last reload. Read back from the consumers' own trace entries, so
//! any step can be shown, as the page's network panel does.

use std::collections::BTreeMap;

use crate::sim::{Actor, TraceEntry};

/// The consumers' views after some prefix of the trace.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConsumerViews {
    /// node → `namespace/name` of a Service → the rules kube-proxy wrote for it there.
    pub iptables: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// DNS name → the resource records CoreDNS answers with.
    pub dns: BTreeMap<String, Vec<String>>,
    /// The nginx.conf upstreams ingress-nginx last loaded (None before its first reload).
    pub nginx: Option<String>,
}

/// The object of a consumer's entry without its `service/` prefix.
fn service_of(entry: &TraceEntry) -> &str {
    entry
        .object
        .strip_prefix("service/")
        .unwrap_or(&entry.object)
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

impl ConsumerViews {
    /// Apply one trace entry (entries that are not a consumer's update change nothing).
    pub fn apply(&mut self, entry: &TraceEntry) {
        match (&entry.from, entry.action.as_str()) {
            (Actor::KubeProxy(node), "iptables-restore") => {
                let services = self.iptables.entry(node.clone()).or_default();
                let service = service_of(entry).to_string();
                if entry.detail == "rules removed" {
                    services.remove(&service);
                } else {
                    services.insert(service, lines(&entry.detail));
                }
            }
            (Actor::CoreDns, "DNS records") => {
                let name = service_of(entry).to_string();
                if entry.detail.is_empty() || entry.detail == "records removed" {
                    self.dns.remove(&name);
                } else {
                    self.dns.insert(name, lines(&entry.detail));
                }
            }
            (Actor::IngressController, "ingress-nginx reload") => {
                self.nginx = Some(entry.detail.clone());
            }
            _ => {}
        }
    }

    /// The views once `entries` have happened.
    pub fn after(entries: &[TraceEntry]) -> Self {
        let mut views = ConsumerViews::default();
        for e in entries {
            views.apply(e);
        }
        views
    }

    /// Whether an entry is a consumer's update (one [`ConsumerViews::apply`] reads).
    pub fn is_update(entry: &TraceEntry) -> bool {
        matches!(
            (&entry.from, entry.action.as_str()),
            (Actor::KubeProxy(_), "iptables-restore")
                | (Actor::CoreDns, "DNS records")
                | (Actor::IngressController, "ingress-nginx reload")
        )
    }

    /// The indices of the consumers' updates in `entries`, found once so that the views at any
    /// step are built from them alone ([`ConsumerViews::after_updates`]).
    pub fn update_indices(entries: &[TraceEntry]) -> Vec<usize> {
        entries
            .iter()
            .enumerate()
            .filter(|(_, e)| Self::is_update(e))
            .map(|(i, _)| i)
            .collect()
    }

    /// The views once the first `upto` entries have happened, from their updates' indices.
    pub fn after_updates(entries: &[TraceEntry], updates: &[usize], upto: usize) -> Self {
        let mut views = ConsumerViews::default();
        for e in updates
            .iter()
            .take_while(|&&i| i < upto)
            .filter_map(|&i| entries.get(i))
        {
            views.apply(e);
        }
        views
    }

    /// One node's rules, every Service's in turn, as lines.
    pub fn node_rules(&self, node: &str) -> Vec<String> {
        self.iptables
            .get(node)
            .into_iter()
            .flat_map(|services| services.values().flatten().cloned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(from: Actor, action: &str, object: &str, detail: &str) -> TraceEntry {
        TraceEntry {
            at: 0,
            from: from.clone(),
            to: from,
            action: action.into(),
            object: object.into(),
            detail: detail.into(),
            revision: 0,
        }
    }

    #[test]
    fn each_consumers_last_update_up_to_the_step_is_its_view() {
        let w1 = || Actor::KubeProxy("worker-1".into());
        let trace = [
            entry(
                w1(),
                "iptables-restore",
                "service/default/web",
                "-A KUBE-SVC-X\n-A KUBE-SEP-A",
            ),
            entry(
                Actor::CoreDns,
                "DNS records",
                "service/web.default.svc.cluster.local",
                "web.default.svc.cluster.local. 5 IN A 10.96.0.20",
            ),
            entry(
                Actor::IngressController,
                "ingress-nginx reload",
                "ingress-nginx/nginx.conf",
                "upstream default-web-80 {\n}",
            ),
            entry(
                w1(),
                "iptables-restore",
                "service/default/web",
                "-A KUBE-SVC-X",
            ),
            entry(
                w1(),
                "iptables-restore",
                "service/default/web",
                "rules removed",
            ),
            entry(
                Actor::CoreDns,
                "DNS records",
                "service/web.default.svc.cluster.local",
                "records removed",
            ),
        ];
        let at = |n: usize| ConsumerViews::after(&trace[..n]);
        assert!(at(0).iptables.is_empty() && at(0).nginx.is_none());
        assert_eq!(
            at(1).node_rules("worker-1"),
            ["-A KUBE-SVC-X", "-A KUBE-SEP-A"]
        );
        assert_eq!(at(2).dns.len(), 1);
        assert!(at(3)
            .nginx
            .as_deref()
            .is_some_and(|n| n.starts_with("upstream")));
        // The endpoint went away: its KUBE-SEP chain with it.
        assert_eq!(at(4).node_rules("worker-1"), ["-A KUBE-SVC-X"]);
        assert!(at(5).node_rules("worker-1").is_empty());
        assert!(at(6).dns.is_empty());
        assert!(at(6).node_rules("worker-2").is_empty());
        let updates = ConsumerViews::update_indices(&trace);
        assert_eq!(updates, [0, 1, 2, 3, 4, 5]);
        for n in 0..=trace.len() {
            assert_eq!(ConsumerViews::after_updates(&trace, &updates, n), at(n));
        }
    }
}
