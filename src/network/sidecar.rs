//! A request through the sending pod's mesh sidecar (see [`crate::mesh`]): the pod's outbound
//! connection to a Service address is redirected to its Envoy, whose listener for that address
//! routes to the Service's cluster; Envoy picks a healthy endpoint of the cluster's load
//! assignment (its last EDS view, which may lag) and connects to the pod itself, so the node's
//! kube-proxy rules play no part. A failed connection is retried on another host (the default
//! retry policy: 2 retries on `connect-failure`, avoiding the previous hosts); when every try
//! failed, or the cluster has no healthy endpoint, Envoy answers 503 itself.

use super::http::Response;
use super::traffic::{Client, Failure};
use super::Network;
use crate::sim::Millis;

/// Envoy's body for a cluster without a healthy host.
pub const NO_HEALTHY_UPSTREAM: &str = "no healthy upstream";

/// Envoy's body when the connection to the upstream failed (after the retries).
pub const CONNECT_FAILURE: &str =
    "upstream connect error or disconnect/reset before headers. reset reason: connection failure";

/// What answers when Envoy answers itself.
fn envoy_503(body: &str) -> (String, Response) {
    (
        "istio-proxy".into(),
        Response {
            status: 503,
            body: body.to_string(),
        },
    )
}

impl Network {
    /// The cluster the sending pod's sidecar routes `ip:port` to, if the pod has a sidecar and
    /// a listener for that address (otherwise the connection passes through to the node).
    pub fn sidecar_cluster(&self, client: &Client, ip: &str, port: i64) -> Option<String> {
        self.sidecars
            .get(&client.pod)?
            .cluster_for(ip, port)
            .map(str::to_string)
    }

    /// Envoy's router: pick a healthy endpoint, connect, retry another on a connect failure.
    pub fn through_sidecar(
        &mut self,
        client: &Client,
        cluster: &str,
        ip: &str,
        port: i64,
        path: &str,
        now: Millis,
    ) -> Result<(String, Response), Failure> {
        let by = format!("istio-proxy@{}", client.pod);
        let (hosts, version) = self
            .sidecars
            .get(&client.pod)
            .map(|c| (c.healthy(cluster), c.version))
            .unwrap_or_default();
        if hosts.is_empty() {
            self.hop(
                now,
                &by,
                format!("{cluster} has no healthy endpoint"),
                format!("503 {NO_HEALTHY_UPSTREAM} (EDS push {version})"),
            );
            return Ok(envoy_503(NO_HEALTHY_UPSTREAM));
        }
        // LEAST_REQUEST with one request at a time is a uniform pick; each retry takes a host
        // not tried yet (previous_hosts).
        let first = (self.draw() * hosts.len() as f64) as usize;
        let tries = hosts.len().min(1 + crate::mesh::DEFAULT_RETRIES);
        for attempt in 0..tries {
            let host = hosts
                .get((first + attempt) % hosts.len())
                .cloned()
                .unwrap_or_default();
            let action = if attempt == 0 {
                format!("{ip}:{port} -> {cluster} -> {host}")
            } else {
                format!("retry (connect-failure) {cluster} -> {host}")
            };
            self.hop(
                now,
                &by,
                action,
                format!(
                    "the sidecar's EDS view (push {version}) has {} healthy endpoint(s); kube-proxy's rules are not used",
                    hosts.len()
                ),
            );
            let (to_ip, to_port) = host
                .rsplit_once(':')
                .map_or((host.clone(), port), |(i, p)| {
                    (i.to_string(), p.parse().unwrap_or(port))
                });
            if let Ok(answer) = self.reach(&to_ip, to_port, path, now) {
                return Ok(answer);
            }
        }
        Ok(envoy_503(CONNECT_FAILURE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mesh::{Health, LbEndpoint, SidecarConfig};
    use crate::network::PodEntry;

    fn client() -> Client {
        Client {
            namespace: "default".into(),
            node: "worker-1".into(),
            pod: "default/client".into(),
        }
    }

    const CLUSTER: &str = "outbound|80||web.default.svc.cluster.local";

    fn mesh_net(endpoints: &[&str]) -> Network {
        let mut net = Network::new(7);
        let config = SidecarConfig {
            version: 3,
            listeners: [("10.96.0.20:80".to_string(), CLUSTER.to_string())].into(),
            clusters: [(
                CLUSTER.to_string(),
                endpoints
                    .iter()
                    .map(|a| LbEndpoint {
                        address: a.to_string(),
                        health: Health::Healthy,
                    })
                    .collect(),
            )]
            .into(),
        };
        net.sidecars.insert("default/client".into(), config);
        net
    }

    fn nginx(net: &mut Network, ip: &str, name: &str) {
        net.pods.insert(
            ip.into(),
            PodEntry {
                namespace: "default".into(),
                name: name.into(),
                node: "worker-2".into(),
                listening: [(80, "nginx:1.27".to_string())].into(),
                sandbox: true,
            },
        );
    }

    #[test]
    fn a_meshed_pod_routes_a_service_address_through_its_sidecar() {
        let mut net = mesh_net(&["10.244.2.3:80"]);
        nginx(&mut net, "10.244.2.3", "web-a");
        assert_eq!(
            net.sidecar_cluster(&client(), "10.96.0.20", 80).as_deref(),
            Some(CLUSTER)
        );
        let other = Client {
            pod: "default/other".into(),
            ..client()
        };
        assert_eq!(net.sidecar_cluster(&other, "10.96.0.20", 80), None);
        let answer = net.through_sidecar(&client(), CLUSTER, "10.96.0.20", 80, "/", 0);
        assert_eq!(
            answer.map(|(pod, r)| (pod, r.status)),
            Ok(("web-a".into(), 200))
        );
        assert!(net.pending_hops[0].by == "istio-proxy@default/client");
    }

    #[test]
    fn a_refused_connection_is_retried_on_another_host() {
        let mut net = mesh_net(&["10.244.1.3:80", "10.244.2.3:80"]);
        nginx(&mut net, "10.244.2.3", "web-b");
        // 10.244.1.3 is gone (no pod holds it): whichever is picked first, web-b answers.
        for _ in 0..5 {
            let answer = net.through_sidecar(&client(), CLUSTER, "10.96.0.20", 80, "/", 0);
            assert_eq!(answer.map(|(pod, _)| pod), Ok("web-b".to_string()));
        }
    }

    #[test]
    fn without_a_healthy_endpoint_envoy_answers_503() {
        let mut net = mesh_net(&[]);
        let answer = net.through_sidecar(&client(), CLUSTER, "10.96.0.20", 80, "/", 0);
        assert_eq!(
            answer.map(|(_, r)| (r.status, r.body)),
            Ok((503, NO_HEALTHY_UPSTREAM.to_string()))
        );
        let mut net = mesh_net(&["10.244.1.3:80"]);
        let answer = net.through_sidecar(&client(), CLUSTER, "10.96.0.20", 80, "/", 0);
        assert_eq!(answer.map(|(_, r)| r.body), Ok(CONNECT_FAILURE.to_string()));
    }
}
