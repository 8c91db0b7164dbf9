//! One pod's two endpoint views of a Service side by side, for the page: what its mesh sidecar
//! holds (its last EDS push) and what kube-proxy on its node programmed (the DNAT targets of the
//! Service's chains), from the cluster network as it is now or, through the history it keeps
//! once the mesh is enabled, as it was at a past step.

use serde::Serialize;

use super::{render_endpoints, SidecarConfig};
use crate::network::Network;
use crate::sim::Millis;

/// One row of the sidecar's table (`istioctl proxy-config endpoints` columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SidecarRow {
    pub endpoint: String,
    pub status: String,
    pub cluster: String,
}

/// A pod's sidecar view beside its node's kube-proxy view, for one Service.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct MeshComparison {
    /// `namespace/name` of the pod.
    pub pod: String,
    pub node: String,
    /// `namespace/name` of the Service.
    pub service: String,
    /// The push the sidecar last applied (None: the pod has no sidecar).
    pub push: Option<u64>,
    pub sidecar: Vec<SidecarRow>,
    /// `ip:port` DNAT targets in kube-proxy's rules for the Service on the pod's node.
    pub kube_proxy: Vec<String>,
}

/// The DNAT targets of the Service `namespace/name` in a node's nat rules: the KUBE-SEP rules
/// whose comment is the service port name (`namespace/name` or `namespace/name:port`).
pub fn kube_proxy_endpoints(rules: &[String], service: &str) -> Vec<String> {
    let mut out: Vec<String> = rules
        .iter()
        .filter(|r| r.starts_with("-A KUBE-SEP-"))
        .filter(|r| {
            r.split("--comment \"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .is_some_and(|c| c == service || c.starts_with(&format!("{service}:")))
        })
        .filter_map(|r| r.split("--to-destination ").nth(1))
        .map(|d| d.split_whitespace().next().unwrap_or_default().to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The comparison for pod `pod` (`namespace/name`) and Service `service` (`namespace/name`),
/// from the views as they are now.
pub fn compare(net: &Network, pod: &str, service: &str) -> MeshComparison {
    let node = node_of(net, pod);
    let rules = net.proxy_rules.get(&node).map(Vec::as_slice);
    compare_views(pod, &node, service, net.sidecars.get(pod), rules)
}

/// The same comparison as the views were at virtual time `at`, from the network's mesh history
/// (the live views when no history is kept).
pub fn compare_at(net: &Network, pod: &str, service: &str, at: Millis) -> MeshComparison {
    let Some(history) = net.mesh_history.as_ref() else {
        return compare(net, pod, service);
    };
    let node = node_of(net, pod);
    let sidecars = history.sidecars_at(at);
    let rules = history.proxy_rules_at(at);
    compare_views(
        pod,
        &node,
        service,
        sidecars.get(pod),
        rules.get(&node).map(Vec::as_slice),
    )
}

/// The node the pod `namespace/name` runs on, as the network knows it.
fn node_of(net: &Network, pod: &str) -> String {
    net.pods
        .values()
        .find(|p| format!("{}/{}", p.namespace, p.name) == pod)
        .map(|p| p.node.clone())
        .unwrap_or_default()
}

fn compare_views(
    pod: &str,
    node: &str,
    service: &str,
    config: Option<&SidecarConfig>,
    rules: Option<&[String]>,
) -> MeshComparison {
    let (namespace, name) = service.split_once('/').unwrap_or(("default", service));
    let suffix = format!("||{name}.{namespace}.svc.{}", crate::dns::CLUSTER_DOMAIN);
    let sidecar = config
        .into_iter()
        .flat_map(|c| c.clusters.iter())
        .filter(|(cluster, _)| cluster.ends_with(&suffix))
        .flat_map(|(cluster, endpoints)| {
            endpoints.iter().map(move |e| SidecarRow {
                endpoint: e.address.clone(),
                status: e.health.envoy_status().to_string(),
                cluster: cluster.clone(),
            })
        })
        .collect();
    let kube_proxy = rules
        .map(|rules| kube_proxy_endpoints(rules, service))
        .unwrap_or_default();
    MeshComparison {
        pod: pod.to_string(),
        node: node.to_string(),
        service: service.to_string(),
        push: config.map(|c| c.version),
        sidecar,
        kube_proxy,
    }
}

/// The sidecar's whole table as text, as `istioctl proxy-config endpoints POD` lays it out.
pub fn sidecar_text(net: &Network, pod: &str) -> Option<String> {
    net.sidecars.get(pod).map(|c| render_endpoints(c, ""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mesh::{Health, LbEndpoint, SidecarConfig};
    use crate::network::PodEntry;

    #[test]
    fn kube_proxy_endpoints_are_the_services_dnat_targets() {
        let rules = vec![
            "-A KUBE-SVC-X -m comment --comment \"default/web -> 10.244.1.3:80\" -j KUBE-SEP-A".to_string(),
            "-A KUBE-SEP-A -p tcp -m comment --comment \"default/web\" -m tcp -j DNAT --to-destination 10.244.1.3:80".to_string(),
            "-A KUBE-SEP-B -p tcp -m comment --comment \"default/web:http\" -m tcp -j DNAT --to-destination 10.244.2.3:80".to_string(),
            "-A KUBE-SEP-C -p tcp -m comment --comment \"default/webby\" -m tcp -j DNAT --to-destination 10.244.2.9:80".to_string(),
        ];
        assert_eq!(
            kube_proxy_endpoints(&rules, "default/web"),
            ["10.244.1.3:80", "10.244.2.3:80"]
        );
    }

    /// A network where pod default/client (10.244.1.2) runs on worker-1.
    fn network_with_client_on_worker_1() -> Network {
        let mut net = Network::new(1);
        net.pods.insert(
            "10.244.1.2".into(),
            PodEntry {
                namespace: "default".into(),
                name: "client".into(),
                node: "worker-1".into(),
                listening: Default::default(),
                sandbox: true,
            },
        );
        net
    }

    #[test]
    fn the_comparison_puts_the_sidecar_beside_its_nodes_kube_proxy() {
        let mut net = network_with_client_on_worker_1();
        let cluster = "outbound|80||web.default.svc.cluster.local".to_string();
        net.sidecars.insert(
            "default/client".into(),
            SidecarConfig {
                version: 4,
                listeners: Default::default(),
                clusters: [(
                    cluster.clone(),
                    vec![LbEndpoint {
                        address: "10.244.2.3:80".into(),
                        health: Health::Healthy,
                    }],
                )]
                .into(),
            },
        );
        net.proxy_rules.insert(
            "worker-1".into(),
            vec!["-A KUBE-SEP-A -p tcp -m comment --comment \"default/web\" -m tcp -j DNAT --to-destination 10.244.1.3:80".into()],
        );
        let c = compare(&net, "default/client", "default/web");
        assert_eq!(c.node, "worker-1");
        assert_eq!(c.push, Some(4));
        assert_eq!(
            c.sidecar,
            [SidecarRow {
                endpoint: "10.244.2.3:80".into(),
                status: "HEALTHY".into(),
                cluster
            }]
        );
        assert_eq!(c.kube_proxy, ["10.244.1.3:80"]);
        assert_eq!(compare(&net, "default/other", "default/web").push, None);
    }
    #[test]
    fn at_a_past_step_both_views_are_those_of_that_time() {
        let mut net = network_with_client_on_worker_1();
        net.keep_mesh_history(0);
        let cluster = "outbound|80||web.default.svc.cluster.local".to_string();
        let config = |version: u64, ips: &[&str]| SidecarConfig {
            version,
            listeners: Default::default(),
            clusters: [(
                cluster.clone(),
                ips.iter()
                    .map(|ip| LbEndpoint {
                        address: format!("{ip}:80"),
                        health: Health::Healthy,
                    })
                    .collect(),
            )]
            .into(),
        };
        let sep = |ip: &str| {
            format!("-A KUBE-SEP-{ip} -p tcp -m comment --comment \"default/web\" -m tcp -j DNAT --to-destination {ip}:80")
        };
        net.set_proxy_rules(
            "worker-1",
            1_000,
            vec![sep("10.244.1.3"), sep("10.244.2.3")],
        );
        net.set_sidecar(
            "default/client",
            1_100,
            Some(config(1, &["10.244.1.3", "10.244.2.3"])),
        );
        // The pod on worker-2 is deleted: kube-proxy drops it at 5 s, the sidecar at 5.3 s.
        net.set_proxy_rules("worker-1", 5_000, vec![sep("10.244.1.3")]);
        net.set_sidecar("default/client", 5_300, Some(config(2, &["10.244.1.3"])));
        let at = |t| compare_at(&net, "default/client", "default/web", t);
        assert_eq!(at(500).push, None);
        assert!(at(500).kube_proxy.is_empty());
        assert_eq!(at(2_000).push, Some(1));
        assert_eq!(at(2_000).sidecar.len(), 2);
        // Between the two updates the views disagree.
        let between = at(5_100);
        assert_eq!(between.kube_proxy, ["10.244.1.3:80"]);
        assert_eq!(between.sidecar.len(), 2);
        assert_eq!(at(6_000).sidecar.len(), 1);
        assert_eq!(at(6_000), compare(&net, "default/client", "default/web"));
    }
}
