//! DefaultPreemption end to end on the default cluster (a tainted control plane, worker-1 with 4
//! CPUs, worker-2 with 2): a system-cluster-critical pod that fits nowhere preempts the
//! lower-priority pod whose node pickOneNodeForPreemption prefers, and runs once it is gone; the
//! scheduler's cycle records tell the story for the page.

use podlab::scheduler::cycle::{cycles, latest_cycle, CycleOutcome, PreemptionOutcome, Verdict};
use podlab::{Cluster, Preset};

fn pod(name: &str, cpu: &str, class: Option<&str>) -> String {
    let class = class
        .map(|c| format!("  priorityClassName: {c}\n"))
        .unwrap_or_default();
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n{class}  containers:\n  - name: app\n    image: busybox\n    command: [\"sleep\", \"3600\"]\n    resources:\n      requests:\n        cpu: {cpu}\n"
    )
}

fn get(c: &mut Cluster, line: &str) -> String {
    c.kubectl(line, None).text
}

/// low-1 fills worker-1, low-2 (started later) fills worker-2; then the critical pod arrives.
fn preempting_cluster() -> Cluster {
    let mut c = Cluster::new(Preset::Default, 7);
    let out = c.kubectl("kubectl apply -f -", Some(&pod("low-1", "3500m", None)));
    assert_eq!(out.text, "pod/low-1 created\n");
    c.advance(5_000);
    c.kubectl("kubectl apply -f -", Some(&pod("low-2", "1500m", None)));
    c.advance(5_000);
    let critical = pod("critical", "1", Some("system-cluster-critical"));
    assert_eq!(
        c.kubectl("kubectl apply -f -", Some(&critical)).text,
        "pod/critical created\n"
    );
    c.advance(500);
    c
}

#[test]
fn the_critical_pod_gets_the_system_class_priority() {
    let mut c = preempting_cluster();
    assert_eq!(
        get(
            &mut c,
            "kubectl get pod critical -o jsonpath={.spec.priority}/{.spec.preemptionPolicy}"
        ),
        "2000000000/PreemptLowerPriority"
    );
}

#[test]
fn the_victim_on_the_preferred_node_is_preempted_and_the_pod_nominated() {
    let mut c = preempting_cluster();
    // Both workers need one victim of priority 0: the latest start time decides (low-2).
    assert_eq!(
        get(
            &mut c,
            "kubectl get pod critical -o jsonpath={.status.nominatedNodeName}"
        ),
        "worker-2"
    );
    let uid = get(
        &mut c,
        "kubectl get pod critical -o jsonpath={.metadata.uid}",
    );
    let events = get(
        &mut c,
        "kubectl get events --field-selector reason=Preempted -o jsonpath={.items[*].message}",
    );
    assert_eq!(events, format!("Preempted by pod {uid} on node worker-2"));
    // A successful PostFilter adds nothing to FailedScheduling: the filters' reasons alone.
    let failed = get(
        &mut c,
        "kubectl get events --field-selector reason=FailedScheduling -o jsonpath={.items[*].message}",
    );
    assert_eq!(
        failed,
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu."
    );
    let condition = get(
        &mut c,
        "kubectl get pod low-2 -o jsonpath='{.status.conditions[?(@.type==\"DisruptionTarget\")].message}'",
    );
    assert_eq!(
        condition,
        "default-scheduler: preempting to accommodate a higher priority pod"
    );
}

#[test]
fn the_pod_is_bound_once_the_victim_is_gone() {
    let mut c = preempting_cluster();
    c.advance(60_000);
    assert_eq!(
        get(
            &mut c,
            "kubectl get pod critical -o jsonpath={.spec.nodeName}"
        ),
        "worker-2"
    );
    let names = get(
        &mut c,
        "kubectl get pods -o jsonpath={.items[*].metadata.name}",
    );
    assert_eq!(names, "critical low-1");
}

#[test]
fn the_cycle_records_show_the_preemption_then_the_binding() {
    let mut c = preempting_cluster();
    c.advance(60_000);
    let trace = c.trace_log();
    let all: Vec<_> = cycles(trace, trace.len())
        .into_iter()
        .filter(|r| r.pod == "default/critical")
        .collect();
    let first = all.first().expect("a first cycle");
    assert_eq!(first.priority, 2_000_000_000);
    let CycleOutcome::Unschedulable {
        preemption: Some(PreemptionOutcome::Nominated { node, victims }),
        ..
    } = &first.outcome
    else {
        panic!("the first cycle nominates: {:?}", first.outcome);
    };
    assert_eq!(
        (node.as_str(), victims.clone()),
        ("worker-2", vec!["default/low-2".to_string()])
    );
    let control_plane = first
        .nodes
        .iter()
        .find(|n| n.node == "control-plane")
        .expect("a row per node");
    let cells = first.filters_of(control_plane);
    let taint = cells
        .iter()
        .find(|f| f.plugin == "TaintToleration")
        .expect("TaintToleration ran");
    assert_eq!(taint.verdict, Verdict::UnschedulableAndUnresolvable);
    let last = latest_cycle(c.trace_log(), "default/critical", trace.len()).expect("a last cycle");
    assert_eq!(
        last.outcome,
        CycleOutcome::Bound {
            node: "worker-2".into()
        }
    );
    let row = last
        .nodes
        .iter()
        .find(|n| n.node == "worker-2")
        .expect("row");
    assert!(row.feasible() && row.total.is_some() && !row.scores.is_empty());
}
