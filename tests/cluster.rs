//! The default cluster end to end, natively: a Pod and a Service go through every component.

use podlab::sim::Actor;
use podlab::{Cluster, Preset};

const NGINX: &str = podlab::examples::NGINX_POD_AND_SERVICE;

fn applied(seed: u64) -> Cluster {
    let mut c = Cluster::new(Preset::Default, seed);
    let out = c.kubectl("kubectl apply -f -", Some(NGINX));
    assert_eq!(out.text, "pod/nginx created\nservice/nginx created\n");
    assert_eq!(out.exit_code, 0);
    c.advance(30_000);
    c
}

#[test]
fn the_pod_runs_with_an_ip_from_its_nodes_cidr_and_backs_the_service() {
    let c = applied(1);
    let view = c.view_at(c.revision());
    let pod = view
        .pods
        .iter()
        .find(|p| p.name == "nginx")
        .expect("the pod exists");
    assert_eq!(
        (pod.phase.as_str(), pod.status.as_str(), pod.ready.as_str()),
        ("Running", "Running", "1/1")
    );
    let node = view
        .nodes
        .iter()
        .find(|n| Some(&n.name) == pod.node.as_ref())
        .expect("bound to a node");
    assert!(
        !node.control_plane,
        "the tainted control-plane node takes no pods"
    );
    let ip = pod.ip.clone().expect("the pod has an IP");
    let prefix = node.pod_cidr.trim_end_matches("0/24");
    assert!(ip.starts_with(prefix), "{ip} is in {}", node.pod_cidr);
    let svc = view
        .services
        .iter()
        .find(|s| s.name == "nginx")
        .expect("the service exists");
    assert_eq!(svc.endpoints, vec![format!("{ip}:80")]);
    assert!(svc.cluster_ip.starts_with("10."));
}

#[test]
fn every_component_takes_part() {
    let c = applied(1);
    let kinds: std::collections::BTreeSet<&str> = c
        .trace()
        .iter()
        .flat_map(|e| [e.from.kind(), e.to.kind()])
        .collect();
    for k in [
        "kubectl",
        "kube-apiserver",
        "etcd",
        "kube-scheduler",
        "kube-controller-manager",
        "kubelet",
        "containerd",
        "cni",
        "kube-proxy",
        "coredns",
    ] {
        assert!(
            kinds.contains(k),
            "{k} is missing from the trace: {kinds:?}"
        );
    }
    // The order of the story: stored, then scheduled, then started, then published.
    let pos = |pred: &dyn Fn(&podlab::sim::TraceEntry) -> bool| {
        c.trace().iter().position(pred).expect("step present")
    };
    let stored =
        pos(&|e| e.to == Actor::Etcd && e.action.contains("create /registry/pods/default/nginx"));
    let bound = pos(&|e| e.action.contains("/pods/nginx/binding"));
    let ip = pos(&|e| matches!(e.from, Actor::Cni(_)) && e.action.starts_with("IP "));
    let started = pos(&|e| e.action == "StartContainer");
    let proxied = pos(&|e| matches!(e.from, Actor::KubeProxy(_)) && e.detail.contains("DNAT"));
    assert!(stored < bound && bound < ip && ip < started && started < proxied);
}

#[test]
fn the_same_seed_replays_the_same_trace() {
    let (a, b) = (applied(7), applied(7));
    assert_eq!(a.trace(), b.trace());
    assert_ne!(
        applied(8).view_at(i64::MAX).services,
        a.view_at(i64::MAX).services,
        "another seed draws another cluster IP"
    );
}

#[test]
fn deletion_runs_in_reverse_and_empties_the_endpoints() {
    let mut c = applied(1);
    let out = c.kubectl("kubectl delete pod nginx", None);
    assert_eq!(out.text, "pod \"nginx\" deleted from default namespace\n");
    let view = c.view_at(c.revision());
    assert!(view.pods.iter().all(|p| p.name != "nginx"));
    assert!(view
        .services
        .iter()
        .find(|s| s.name == "nginx")
        .is_some_and(|s| s.endpoints.is_empty()));
    let events = c.kubectl("kubectl get events --field-selector reason=Killing", None);
    assert!(
        events.text.contains("Stopping container nginx"),
        "{}",
        events.text
    );
}

#[test]
fn the_view_at_an_early_revision_shows_the_pod_pending() {
    let c = applied(1);
    let created = c
        .trace()
        .iter()
        .find(|e| e.to == Actor::Etcd && e.action.contains("create /registry/pods/"))
        .expect("created");
    let early = c.view_at(created.revision);
    let pod = early
        .pods
        .iter()
        .find(|p| p.name == "nginx")
        .expect("stored");
    assert_eq!((pod.phase.as_str(), pod.node.as_deref()), ("Pending", None));
}
