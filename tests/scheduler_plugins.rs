//! The scheduler's plugins end to end through the cycle API (plugins::run_pre_filters,
//! run_filters, run_scores): PreFilter rejections, the v1.36 filter reasons of PodTopologySpread,
//! InterPodAffinity and the volume plugins, and the scores of the spread and affinity plugins.

use podlab::scheduler::framework::{Code, Cycle, Listers, NodeInfo};
use podlab::scheduler::plugins::{run_filters, run_pre_filters, run_scores, scheduling_gates};
use serde_json::{json, Value};

const ZONE: &str = "topology.kubernetes.io/zone";
const HOST: &str = "kubernetes.io/hostname";

fn node(name: &str, zone: &str) -> Value {
    json!({
        "metadata": {"name": name, "labels": {HOST: name, ZONE: zone}},
        "status": {"allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"}}
    })
}

fn pod(name: &str, app: &str) -> Value {
    json!({
        "metadata": {"name": name, "namespace": "default", "labels": {"app": app}},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]}
    })
}

fn owned_by_rs(mut p: Value) -> Value {
    p["metadata"]["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "controller": true}]);
    p
}

/// worker-1 (zone a) runs two web replicas, worker-2 (zone a) one, worker-3 (zone b) none.
fn cluster() -> Vec<NodeInfo> {
    vec![
        NodeInfo::new(
            node("worker-1", "a"),
            vec![owned_by_rs(pod("w1", "web")), owned_by_rs(pod("w2", "web"))],
        ),
        NodeInfo::new(node("worker-2", "a"), vec![owned_by_rs(pod("w3", "web"))]),
        NodeInfo::new(node("worker-3", "b"), vec![]),
    ]
}

fn web_replica_set() -> Listers {
    Listers {
        replica_sets: vec![
            json!({"metadata": {"name": "web-1", "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": "web"}}}}),
        ],
        ..Listers::default()
    }
}

fn totals(p: &Value, nodes: &[NodeInfo], cycle: &Cycle) -> Vec<(i64, i64)> {
    run_scores(p, nodes, cycle)
        .iter()
        .map(|row| {
            let spread = row
                .iter()
                .find(|s| s.plugin == "PodTopologySpread")
                .map(|s| s.score);
            let total = row.iter().map(|s| s.score * s.weight).sum();
            (total, spread.unwrap_or(-1))
        })
        .collect()
}

#[test]
fn a_replica_spreads_to_the_emptiest_node_and_zone() {
    let nodes = cluster();
    let listers = web_replica_set();
    let cycle = Cycle::new(&nodes, Some(&listers));
    let p = owned_by_rs(pod("w4", "web"));
    assert!(run_pre_filters(&p, &cycle).is_success());
    assert!(nodes
        .iter()
        .all(|n| run_filters(&p, n, &cycle).is_success()));
    let scores = totals(&p, &nodes, &cycle);
    // System defaults, weights ln(3 + 2) = 1.609 (hostname) and ln(2 + 2) = 1.386 (zone):
    // worker-1: 2 * 1.609 + 2 + 3 * 1.386 + 4 = 13.38 -> 13; worker-2: 1.609 + 2 + 4.159 + 4
    // = 11.77 -> 12; worker-3: 0 + 2 + 0 + 4 = 6. Normalized 100 * (13 + 6 - s) / 13:
    // 46, 53, 100.
    let spread: Vec<i64> = scores.iter().map(|(_, s)| *s).collect();
    assert_eq!(spread, vec![46, 53, 100]);
    let best = scores.iter().map(|(t, _)| *t).max();
    assert_eq!(best, Some(scores[2].0));
}

#[test]
fn hard_spread_and_anti_affinity_reasons_read_like_kube_scheduler() {
    let nodes = cluster();
    let cycle = Cycle::new(&nodes, None);
    let mut p = pod("w4", "web");
    p["spec"]["topologySpreadConstraints"] = json!([{"maxSkew": 1, "topologyKey": ZONE,
        "whenUnsatisfiable": "DoNotSchedule", "labelSelector": {"matchLabels": {"app": "web"}}}]);
    let reasons: Vec<String> = nodes
        .iter()
        .map(|n| run_filters(&p, n, &cycle).reasons.join(","))
        .collect();
    // Zone a holds 3, zone b 0: 3 + 1 - 0 > 1 in zone a; 0 + 1 - 0 = 1 in zone b.
    assert_eq!(
        reasons,
        vec![
            "node(s) didn't match pod topology spread constraints",
            "node(s) didn't match pod topology spread constraints",
            ""
        ]
    );

    let mut p = pod("w4", "web");
    p["spec"]["affinity"] = json!({"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": HOST}]}});
    let statuses: Vec<_> = nodes.iter().map(|n| run_filters(&p, n, &cycle)).collect();
    assert_eq!(statuses[0].plugin, "InterPodAffinity");
    assert_eq!(statuses[0].code, Code::Unschedulable);
    assert_eq!(
        statuses[0].reasons,
        vec!["node(s) didn't match pod anti-affinity rules"]
    );
    assert!(statuses[2].is_success());
}

#[test]
fn a_missing_claim_rejects_the_pod_at_pre_filter() {
    let nodes = cluster();
    let listers = Listers::default();
    let cycle = Cycle::new(&nodes, Some(&listers));
    let mut p = pod("db", "db");
    p["spec"]["volumes"] =
        json!([{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}]);
    let s = run_pre_filters(&p, &cycle);
    // VolumeRestrictions' PreFilter runs before VolumeBinding's and reports it first.
    assert_eq!(s.plugin, "VolumeRestrictions");
    assert_eq!(s.code, Code::UnschedulableAndUnresolvable);
    assert_eq!(s.reasons, vec!["persistentvolumeclaim \"data\" not found"]);
}

#[test]
fn a_bare_pod_gets_nothing_from_the_spread_and_affinity_scores() {
    // The new plugins add nothing for a pod without constraints, so ties stay ties.
    let nodes = cluster();
    let listers = Listers::default();
    let cycle = Cycle::new(&nodes, Some(&listers));
    let p = pod("solo", "solo");
    for row in run_scores(&p, &nodes, &cycle) {
        for s in row {
            if matches!(s.plugin, "PodTopologySpread" | "InterPodAffinity") {
                assert_eq!(s.score, 0, "{}", s.plugin);
            }
        }
    }
}

#[test]
fn scheduling_gates_hold_a_pod() {
    let mut p = pod("gated", "web");
    p["spec"]["schedulingGates"] = json!([{"name": "example.com/wait"}]);
    assert!(scheduling_gates::is_gated(&p));
    assert!(!scheduling_gates::is_gated(&pod("open", "web")));
}
