//! The scheduler's wiring end to end on the default cluster (a tainted control plane, worker-1
//! with 4 CPUs, worker-2 with 2): PreFilter rejections reach FailedScheduling as FitError.Error
//! builds them, hostname anti-affinity spreads replicas, and SchedulingGates hold a pod until its
//! gates are removed.

use podlab::scheduler::cycle::{latest_cycle, CycleOutcome, Verdict};
use podlab::{Cluster, Preset};

fn get(c: &mut Cluster, line: &str) -> String {
    c.kubectl(line, None).text
}

fn apply(c: &mut Cluster, yaml: &str) -> String {
    c.kubectl("kubectl apply -f -", Some(yaml)).text
}

const POD_WITH_CLAIM: &str = "apiVersion: v1
kind: Pod
metadata:
  name: db
spec:
  containers:
  - name: db
    image: postgres
    volumeMounts:
    - name: data
      mountPath: /var/lib/postgresql
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: data
";

/// kube-scheduler's message when PreFilter fails (FitError.Error with PreFilterMsg): the
/// PreFilter message alone, then the PostFilter messages; every node carries the PreFilter's
/// UnschedulableAndUnresolvable status, so preemption finds none helpful.
const MISSING_CLAIM: &str = "0/3 nodes are available: persistentvolumeclaim \"data\" not found. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";

#[test]
fn a_missing_claim_fails_at_pre_filter_and_the_pod_stays_pending() {
    let mut c = Cluster::new(Preset::Default, 3);
    assert_eq!(apply(&mut c, POD_WITH_CLAIM), "pod/db created\n");
    c.advance(3_000);
    assert_eq!(
        get(&mut c, "kubectl get pod db -o jsonpath={.status.phase}"),
        "Pending"
    );
    assert_eq!(
        get(
            &mut c,
            "kubectl get pod db -o jsonpath={.status.conditions[0].message}"
        ),
        MISSING_CLAIM
    );
    let events = get(
        &mut c,
        "kubectl get events --field-selector reason=FailedScheduling -o jsonpath={.items[0].message}",
    );
    assert_eq!(events, MISSING_CLAIM);
    let record = latest_cycle(c.trace_log(), "default/db", c.trace().len()).expect("a cycle");
    assert_eq!(record.nodes.len(), 3);
    for node in &record.nodes {
        let cells = record.filters_of(node);
        let rejected: Vec<_> = cells
            .iter()
            .filter(|f| f.verdict != Verdict::NotRun)
            .collect();
        assert_eq!(rejected.len(), 1, "{node:?}");
        assert_eq!(rejected[0].plugin, "VolumeRestrictions");
        assert_eq!(rejected[0].verdict, Verdict::UnschedulableAndUnresolvable);
        assert_eq!(
            rejected[0].reasons,
            vec!["persistentvolumeclaim \"data\" not found"]
        );
    }
    match &record.outcome {
        CycleOutcome::Unschedulable { message, .. } => assert_eq!(message, MISSING_CLAIM),
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn a_new_claim_requeues_the_pod_and_it_passes_pre_filter() {
    let mut c = Cluster::new(Preset::Default, 3);
    apply(&mut c, POD_WITH_CLAIM);
    c.advance(3_000);
    let volume = "apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-data
spec:
  capacity:
    storage: 1Gi
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  hostPath:
    path: /data
  claimRef:
    namespace: default
    name: data
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  volumeName: pv-data
  resources:
    requests:
      storage: 1Gi
";
    apply(&mut c, volume);
    c.advance(15_000);
    let record = latest_cycle(c.trace_log(), "default/db", c.trace().len()).expect("a cycle");
    // The claim's ADDED event moved the pod out of the unschedulable pool (move_all).
    assert!(record.attempt >= 2, "{record:?}");
    // The claim exists now: PreFilter no longer reports it missing.
    let missing = record.nodes.iter().any(|n| {
        record
            .filters_of(n)
            .iter()
            .any(|f| f.reasons.iter().any(|r| r.contains("not found")))
    });
    assert!(!missing, "{record:?}");
}

fn anti_affine_deployment(replicas: u32) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - topologyKey: kubernetes.io/hostname
            labelSelector:
              matchLabels:
                app: web
      containers:
      - name: web
        image: nginx
"
    )
}

fn nodes_of_web_pods(c: &mut Cluster) -> Vec<String> {
    let out = get(
        c,
        "kubectl get pods -l app=web -o jsonpath={.items[*].spec.nodeName}",
    );
    out.split(' ').map(str::to_string).collect()
}

#[test]
fn hostname_anti_affinity_puts_replicas_on_different_nodes() {
    let mut c = Cluster::new(Preset::Default, 5);
    apply(&mut c, &anti_affine_deployment(2));
    c.advance(10_000);
    let mut nodes = nodes_of_web_pods(&mut c);
    nodes.sort();
    assert_eq!(nodes, vec!["worker-1", "worker-2"]);
}

#[test]
fn a_third_anti_affine_replica_finds_no_node() {
    let mut c = Cluster::new(Preset::Default, 5);
    apply(&mut c, &anti_affine_deployment(3));
    c.advance(10_000);
    let nodes = nodes_of_web_pods(&mut c);
    // jsonpath prints nothing for the pending pod's missing nodeName.
    let placed: Vec<&String> = nodes.iter().filter(|n| !n.is_empty()).collect();
    assert_eq!(placed.len(), 2, "{nodes:?}");
    assert_ne!(placed[0], placed[1]);
    let messages = get(
        &mut c,
        "kubectl get events --field-selector reason=FailedScheduling -o jsonpath={.items[0].message}",
    );
    assert_eq!(
        messages,
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match pod anti-affinity rules. no new claims to deallocate, preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
    );
}

const GATED: &str = "apiVersion: v1
kind: Pod
metadata:
  name: gated
spec:
  schedulingGates:
  - name: example.com/quota
  containers:
  - name: app
    image: nginx
";

#[test]
fn a_gated_pod_waits_until_its_gates_are_removed() {
    let mut c = Cluster::new(Preset::Default, 9);
    assert_eq!(apply(&mut c, GATED), "pod/gated created\n");
    c.advance(5_000);
    assert_eq!(
        get(&mut c, "kubectl get pod gated -o jsonpath={.spec.nodeName}"),
        ""
    );
    // PreEnqueue kept it out of the queue: no cycle, no FailedScheduling.
    assert!(latest_cycle(c.trace_log(), "default/gated", c.trace().len()).is_none());
    assert_eq!(
        get(
            &mut c,
            "kubectl get events --field-selector reason=FailedScheduling -o name"
        ),
        ""
    );
    let out = c.kubectl(
        "kubectl patch pod gated --type=json -p '[{\"op\":\"remove\",\"path\":\"/spec/schedulingGates\"}]'",
        None,
    );
    assert_eq!(out.text, "pod/gated patched\n");
    c.advance(5_000);
    let node = get(&mut c, "kubectl get pod gated -o jsonpath={.spec.nodeName}");
    assert!(node.starts_with("worker-"), "{node:?}");
}

fn bare_pod(name: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: app\n    image: nginx\n")
}

/// numFeasibleNodesToFind: with 150 nodes (at least 100 are looked for: 150 × 49% = 73 is raised
/// to minFeasibleNodesToFind), the search stops at the 100th feasible node, and the next cycle
/// starts where the last one stopped (nextStartNodeIndex). Every tenth node of the benchmark's
/// cluster is tainted (node-00009, node-00019, ...), so 111 nodes are evaluated to find 100 that
/// fit. The record holds the
/// evaluated nodes only.
#[test]
fn the_search_stops_at_enough_feasible_nodes_and_rotates() {
    let mut c = Cluster::new(Preset::Empty, 11);
    let nodes = podlab::scheduler::bench::node_manifests(150);
    c.kubectl("kubectl create -f -", Some(&nodes));
    c.advance(1_000);
    apply(&mut c, &bare_pod("first"));
    c.advance(1_000);
    apply(&mut c, &bare_pod("second"));
    c.advance(1_000);
    let upto = c.trace().len();
    let first = latest_cycle(c.trace_log(), "default/first", upto).expect("a cycle");
    assert_eq!(first.nodes.len(), 111);
    assert_eq!(first.nodes.iter().filter(|n| n.feasible()).count(), 100);
    let names: Vec<&str> = first.nodes.iter().map(|n| n.node.as_str()).collect();
    assert_eq!(names.first(), Some(&"node-00000"));
    assert_eq!(names.last(), Some(&"node-00110"));
    let second = latest_cycle(c.trace_log(), "default/second", upto).expect("a cycle");
    assert_eq!(second.nodes.iter().filter(|n| n.feasible()).count(), 100);
    let names: Vec<&str> = second.nodes.iter().map(|n| n.node.as_str()).collect();
    // 111..149 (35 feasible), then from the start again until 65 more fit.
    assert!(names.contains(&"node-00111") && names.contains(&"node-00149"));
    assert!(names.contains(&"node-00000") && !names.contains(&"node-00110"));
    assert!(matches!(second.outcome, CycleOutcome::Bound { .. }));
}
