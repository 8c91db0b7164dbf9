//! `istioctl proxy-config endpoints POD[.NAMESPACE] [--cluster NAME] [-n NAMESPACE]` (also `pc`,
//! `endpoint`, `ep`): the endpoint table of a pod's sidecar, as istioctl prints it from the
//! Envoy admin `clusters` page. podlab's sidecars hold only the outbound clusters of the
//! Services (a real Envoy also lists its inbound, agent, prometheus and xDS clusters), so the
//! table matches a real one when `--cluster` names an outbound cluster.

use std::cell::RefCell;

use super::render_endpoints;
use crate::cluster::CommandOutput;
use crate::network::Network;

/// The pod and namespace of a target `name[.namespace]`, `-n` giving the default namespace.
fn target(name: &str, namespace: Option<&str>) -> (String, String) {
    match name.split_once('.') {
        Some((pod, ns)) => (pod.to_string(), ns.to_string()),
        None => (name.to_string(), namespace.unwrap_or("default").to_string()),
    }
}

fn error(text: String) -> CommandOutput {
    CommandOutput {
        text: format!("Error: {text}\n"),
        exit_code: 1,
    }
}

/// Run `istioctl proxy-config endpoints` with the words after `endpoints`.
pub fn proxy_config_endpoints(network: &RefCell<Network>, words: &[&str]) -> CommandOutput {
    let mut pod = None;
    let mut namespace = None;
    let mut cluster = String::new();
    // The scenario hands the words as the shell line has them: drop a value's quotes.
    let unquoted: Vec<&str> = words
        .iter()
        .map(|w| w.trim_matches(|c| c == '"' || c == '\''))
        .collect();
    let mut it = unquoted.iter();
    while let Some(word) = it.next() {
        match *word {
            "--cluster" => cluster = it.next().unwrap_or(&"").to_string(),
            "-n" | "--namespace" => namespace = it.next().copied(),
            w if w.starts_with("--cluster=") => {
                cluster = w.trim_start_matches("--cluster=").to_string()
            }
            w if w.starts_with("--namespace=") => {
                namespace = Some(w.trim_start_matches("--namespace="))
            }
            w if !w.starts_with('-') && pod.is_none() => pod = Some(w),
            _ => {}
        }
    }
    let Some(pod) = pod else {
        return error("one pod name must be specified".into());
    };
    let (name, ns) = target(pod, namespace);
    let Ok(net) = network.try_borrow() else {
        return error("the cluster network is busy".into());
    };
    let key = format!("{ns}/{name}");
    match net.sidecars.get(&key) {
        Some(config) => CommandOutput {
            text: render_endpoints(config, &cluster),
            exit_code: 0,
        },
        None if net.pods.values().any(|p| p.namespace == ns && p.name == name) => error(format!(
            "failed to execute command on Envoy: error execing into {name}/{ns} istio-proxy container: container istio-proxy is not valid for pod {name}"
        )),
        None => error(format!("pods \"{name}\" not found")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mesh::{Health, LbEndpoint, SidecarConfig};
    use crate::network::PodEntry;

    fn net() -> RefCell<Network> {
        let mut n = Network::new(1);
        n.pods.insert(
            "10.244.1.5".into(),
            PodEntry {
                namespace: "default".into(),
                name: "plain".into(),
                node: "worker-1".into(),
                listening: Default::default(),
                sandbox: true,
            },
        );
        let endpoints = |list: &[&str]| -> Vec<LbEndpoint> {
            list.iter()
                .map(|a| LbEndpoint {
                    address: a.to_string(),
                    health: Health::Healthy,
                })
                .collect()
        };
        n.sidecars.insert(
            "default/client".into(),
            SidecarConfig {
                version: 2,
                listeners: Default::default(),
                clusters: [
                    (
                        "outbound|80||web.default.svc.cluster.local".to_string(),
                        endpoints(&["10.244.2.3:80", "10.244.1.3:80"]),
                    ),
                    (
                        "outbound|53||kube-dns.kube-system.svc.cluster.local".to_string(),
                        endpoints(&["10.244.0.2:53"]),
                    ),
                ]
                .into(),
            },
        );
        RefCell::new(n)
    }

    #[test]
    fn the_table_is_sorted_by_address_and_filtered_by_cluster() {
        let out = proxy_config_endpoints(
            &net(),
            &[
                "client.default",
                "--cluster",
                "'outbound|80||web.default.svc.cluster.local'",
            ],
        );
        assert_eq!(out.exit_code, 0);
        assert_eq!(
            out.text,
            "ENDPOINT          STATUS      OUTLIER CHECK     CLUSTER\n\
             10.244.1.3:80     HEALTHY     OK                outbound|80||web.default.svc.cluster.local\n\
             10.244.2.3:80     HEALTHY     OK                outbound|80||web.default.svc.cluster.local\n"
        );
        let all = proxy_config_endpoints(&net(), &["client"]);
        assert!(all
            .text
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("10.244.0.2:53 ")));
    }

    #[test]
    fn a_pod_without_a_sidecar_cannot_be_asked() {
        let out = proxy_config_endpoints(&net(), &["plain"]);
        assert_eq!(out.exit_code, 1);
        assert_eq!(out.text, "Error: failed to execute command on Envoy: error execing into plain/default istio-proxy container: container istio-proxy is not valid for pod plain\n");
    }
}
