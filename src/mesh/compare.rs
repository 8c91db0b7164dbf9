//! One pod's two endpoint views of a Service side by side, for the page: what its mesh sidecar
//! holds (its last EDS push) and what kube-proxy on its node programmed (the DNAT targets of the
//! Service's chains). They come from the cluster network as it is now (the live views, not those
//! at a past step).

use serde::Serialize;

use super::render_endpoints;
use crate::network::Network;

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

/// The comparison for pod `pod` (`namespace/name`) and Service `service` (`namespace/name`).
pub fn compare(net: &Network, pod: &str, service: &str) -> MeshComparison {
    let node = net
        .pods
        .values()
        .find(|p| format!("{}/{}", p.namespace, p.name) == pod)
        .map(|p| p.node.clone())
        .unwrap_or_default();
    let (namespace, name) = service.split_once('/').unwrap_or(("default", service));
    let suffix = format!("||{name}.{namespace}.svc.{}", crate::dns::CLUSTER_DOMAIN);
    let config = net.sidecars.get(pod);
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
    let kube_proxy = net
        .proxy_rules
        .get(&node)
        .map(|rules| kube_proxy_endpoints(rules, service))
        .unwrap_or_default();
    MeshComparison {
        pod: pod.to_string(),
        node,
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

    #[test]
    fn the_comparison_puts_the_sidecar_beside_its_nodes_kube_proxy() {
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
}
