//! A large cluster for measuring podlab at scale: the Default cluster grown to N nodes with
//! kubelets, then Deployments of nginx pods, each behind its own Service, run until every replica
//! is ready and in its Service's EndpointSlice. The control-plane benchmark
//! (benches/control_plane.rs) times the events that takes; the page's `?perf=NODESxPODS`
//! (ui::perf_page) starts on the settled cluster to time re-rendering (issue 8: 100 nodes and
//! 1,000 pods, one step in under a frame).

use serde_json::Value;

use crate::client::grouped;
use crate::kubelet::NodeConfig;
use crate::{Cluster, Preset};

/// Replicas per Deployment: pods are spread over Deployments of at most this many.
pub const REPLICAS_PER_DEPLOYMENT: usize = 100;

/// Workers beyond the Default cluster's two, numbered from 3, in three zones.
pub fn extra_worker(i: usize) -> NodeConfig {
    let zone = ["zone-a", "zone-b", "zone-c"][i % 3];
    NodeConfig::worker(
        &format!("worker-{i}"),
        &format!("172.18.{}.{}", 1 + i / 250, i % 250),
        &format!("10.{}.{}.0/24", 244 + i / 256, i % 256),
        zone,
        "4",
        "8Gi",
    )
}

/// Deployment `web-INDEX` of nginx pods and the Service in front of it.
pub fn deployment_behind_service(index: usize, replicas: usize) -> String {
    let name = format!("web-{index}");
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector:\n    app: {name}\n  ports:\n  - port: 80\n    targetPort: 80\n"
    )
}

/// The Default cluster grown to `nodes` nodes (at least its own two), after 10 virtual seconds
/// for the new kubelets to register.
pub fn grown_cluster(nodes: usize, seed: u64) -> Cluster {
    let mut cluster = Cluster::new(Preset::Default, seed);
    for i in 3..=nodes.max(2) {
        cluster.add_node(extra_worker(i));
    }
    cluster.advance(10_000);
    cluster
}

/// `pods` replicas as Deployments of at most [`REPLICAS_PER_DEPLOYMENT`]: (deployments,
/// replicas each). 1,000 pods are 10 × 100.
pub fn deployment_shape(pods: usize) -> (usize, usize) {
    let deployments = pods.div_ceil(REPLICAS_PER_DEPLOYMENT).max(1);
    (deployments, pods / deployments)
}

/// Apply `deployments` Deployments of `replicas` each, with their Services; the first error
/// kubectl printed, if any.
pub fn apply_deployments(
    cluster: &mut Cluster,
    deployments: usize,
    replicas: usize,
) -> Result<(), String> {
    for i in 0..deployments {
        let out = cluster.kubectl(
            "kubectl apply -f -",
            Some(&deployment_behind_service(i, replicas)),
        );
        if out.exit_code != 0 {
            return Err(out.text);
        }
    }
    Ok(())
}

/// Ready replicas over all Deployments of the default namespace.
pub fn ready_replicas(cluster: &Cluster) -> usize {
    cluster
        .api()
        .read_all(grouped("apps", "deployments"), Some("default"))
        .iter()
        .filter_map(|d| d.pointer("/status/readyReplicas").and_then(Value::as_u64))
        .sum::<u64>() as usize
}

/// Endpoints marked ready over all EndpointSlices of the default namespace.
pub fn ready_endpoints(cluster: &Cluster) -> usize {
    cluster
        .api()
        .read_all(
            grouped("discovery.k8s.io", "endpointslices"),
            Some("default"),
        )
        .iter()
        .filter_map(|s| s.get("endpoints").and_then(Value::as_array))
        .flatten()
        .filter(|e| e.pointer("/conditions/ready").and_then(Value::as_bool) == Some(true))
        .count()
}

/// Whether every one of `pods` replicas is ready and a ready endpoint.
pub fn all_ready(cluster: &Cluster, pods: usize) -> bool {
    ready_replicas(cluster) >= pods && ready_endpoints(cluster) >= pods
}

/// Run `cluster` one event at a time through `step` (which calls [`Cluster::step`], timing it
/// if it likes) until `pods` replicas are ready endpoints, no event is left, or `max_steps` events
/// have run; the number of events run. Readiness is checked every 500 events (it reads every
/// Deployment and slice).
pub fn run_until_ready(
    cluster: &mut Cluster,
    pods: usize,
    max_steps: usize,
    mut step: impl FnMut(&mut Cluster) -> bool,
) -> usize {
    let mut steps = 0;
    while steps < max_steps && step(cluster) {
        steps += 1;
        if steps.is_multiple_of(500) && all_ready(cluster, pods) {
            break;
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pods_are_spread_over_deployments_of_at_most_a_hundred() {
        assert_eq!(deployment_shape(1_000), (10, 100));
        assert_eq!(deployment_shape(40), (1, 40));
        assert_eq!(deployment_shape(250), (3, 83));
    }

    #[test]
    fn extra_workers_have_distinct_addresses_and_pod_cidrs() {
        let a = extra_worker(3);
        let b = extra_worker(259);
        assert_ne!(a.internal_ip, b.internal_ip);
        assert_ne!(a.pod_cidr, b.pod_cidr);
        assert_eq!(a.pod_cidr, "10.244.3.0/24");
        assert_eq!(b.pod_cidr, "10.245.3.0/24");
    }

    #[test]
    fn a_small_grown_cluster_gets_every_replica_ready() {
        let mut cluster = grown_cluster(4, 1);
        apply_deployments(&mut cluster, 2, 3).expect("apply");
        run_until_ready(&mut cluster, 6, 200_000, Cluster::step);
        assert!(
            all_ready(&cluster, 6),
            "replicas {}",
            ready_replicas(&cluster)
        );
    }
}
