//! The page's picture of the cluster at one etcd revision: read straight from the store's history,
//! so that the view drawn beside any trace entry is the cluster as it was at that step.

use serde_json::Value;

use crate::apiserver::resources::{by_plural, ResourceInfo};
use crate::cluster::{ClusterView, NodeView, PodView, ServiceView};
use crate::controllers::endpointslice::{ready_addresses, serves};
use crate::etcd::Etcd;
use crate::kubectl::printers::human::{pod_ready, pod_status};

use crate::unstructured::str_at;

fn objects(etcd: &Etcd, info: Option<&ResourceInfo>, revision: i64) -> Vec<Value> {
    let Some(info) = info else { return Vec::new() };
    etcd.range_at(&info.etcd_range(None), revision)
        .unwrap_or_default()
        .into_iter()
        .map(|kv| kv.value)
        .collect()
}

fn node_view(node: &Value) -> NodeView {
    let conditions = node
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let taints = node
        .pointer("/spec/taints")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    NodeView {
        name: str_at(node, "/metadata/name").into(),
        ready: conditions
            .iter()
            .any(|c| str_at(c, "/type") == "Ready" && str_at(c, "/status") == "True"),
        control_plane: node
            .pointer("/metadata/labels/node-role.kubernetes.io~1control-plane")
            .is_some(),
        has_kubelet: node
            .pointer("/status/daemonEndpoints/kubeletEndpoint/Port")
            .and_then(Value::as_i64)
            .unwrap_or(0)
            > 0,
        pod_cidr: str_at(node, "/spec/podCIDR").into(),
        internal_ip: node
            .pointer("/status/addresses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|a| str_at(a, "/type") == "InternalIP")
            .map(|a| str_at(a, "/address").to_string())
            .unwrap_or_default(),
        taints: taints
            .iter()
            .map(|t| match str_at(t, "/value") {
                "" => format!("{}:{}", str_at(t, "/key"), str_at(t, "/effect")),
                v => format!("{}={v}:{}", str_at(t, "/key"), str_at(t, "/effect")),
            })
            .collect(),
    }
}

fn pod_view(pod: &Value) -> PodView {
    let opt = |p: &str| Some(str_at(pod, p).to_string()).filter(|s| !s.is_empty());
    PodView {
        namespace: str_at(pod, "/metadata/namespace").into(),
        name: str_at(pod, "/metadata/name").into(),
        phase: str_at(pod, "/status/phase").into(),
        status: pod_status(pod),
        ready: pod_ready(pod),
        node: opt("/spec/nodeName"),
        ip: opt("/status/podIP"),
    }
}

fn service_view(svc: &Value, slices: &[Value]) -> ServiceView {
    let (ns, name) = (
        str_at(svc, "/metadata/namespace"),
        str_at(svc, "/metadata/name"),
    );
    let endpoints = slices
        .iter()
        .filter(|s| serves(s, svc))
        .flat_map(|s| {
            let port = s.pointer("/ports/0/port").and_then(Value::as_i64);
            ready_addresses(s).map(move |ip| port.map_or(ip.to_string(), |p| format!("{ip}:{p}")))
        })
        .collect();
    ServiceView {
        namespace: ns.into(),
        name: name.into(),
        cluster_ip: str_at(svc, "/spec/clusterIP").into(),
        ports: svc
            .pointer("/spec/ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| {
                format!(
                    "{}/{}",
                    p.get("port").and_then(Value::as_i64).unwrap_or(0),
                    str_at(p, "/protocol")
                )
            })
            .collect(),
        endpoints,
    }
}

/// The view at `revision` (a revision past the newest shows the cluster now).
pub fn at_revision(etcd: &Etcd, revision: i64) -> ClusterView {
    let revision = revision.min(etcd.revision());
    let slices = objects(
        etcd,
        by_plural("discovery.k8s.io", "endpointslices"),
        revision,
    );
    ClusterView {
        nodes: objects(etcd, by_plural("", "nodes"), revision)
            .iter()
            .map(node_view)
            .collect(),
        pods: objects(etcd, by_plural("", "pods"), revision)
            .iter()
            .map(pod_view)
            .collect(),
        services: objects(etcd, by_plural("", "services"), revision)
            .iter()
            .map(|s| service_view(s, &slices))
            .collect(),
    }
}
