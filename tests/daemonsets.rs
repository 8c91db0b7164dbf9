//! DaemonSets end to end on the default cluster: one pod per node that should run it, pinned by
//! a `matchFields metadata.name` node affinity, with the daemon tolerations; a ControllerRevision
//! `<ds>-<hash>`; the status counts; a node added later gets its pod.

use podlab::kubelet::NodeConfig;
use podlab::{Cluster, Preset};

fn run(c: &mut Cluster, line: &str) -> String {
    let out = c.kubectl(line, None);
    assert_eq!(out.exit_code, 0, "{line}: {}", out.text);
    out.text
}

fn apply(c: &mut Cluster, yaml: &str) {
    let out = c.kubectl("kubectl apply -f -", Some(yaml));
    assert_eq!(out.exit_code, 0, "{}", out.text);
}

fn daemon_set(extra_pod_spec: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      name: agent
  template:
    metadata:
      labels:
        name: agent
    spec:
{extra_pod_spec}      containers:
      - name: agent
        image: busybox:1.36
        command: [\"sh\", \"-c\", \"sleep 3600\"]
"
    )
}

fn jsonpath(c: &mut Cluster, what: &str, path: &str) -> String {
    run(c, &format!("kubectl get {what} -o jsonpath={{{path}}}"))
}

fn sorted_words(s: &str) -> Vec<String> {
    let mut v: Vec<String> = s.split_whitespace().map(str::to_string).collect();
    v.sort();
    v
}

#[test]
fn a_daemon_set_runs_one_pod_on_each_schedulable_node() {
    let mut c = Cluster::new(Preset::Default, 1);
    apply(&mut c, &daemon_set(""));
    c.advance(30_000);
    // The control plane's NoSchedule taint is not among the daemon tolerations.
    let table = run(&mut c, "kubectl get ds");
    assert_eq!(
        table
            .lines()
            .nth(1)
            .map(|l| l.split_whitespace().take(6).collect::<Vec<_>>()),
        Some(vec!["agent", "2", "2", "2", "2", "2"]),
        "{table}"
    );
    let nodes = jsonpath(&mut c, "pods", ".items[*].spec.nodeName");
    assert_eq!(sorted_words(&nodes), ["worker-1", "worker-2"]);
    let names = jsonpath(&mut c, "pods", ".items[*].metadata.name");
    assert!(
        names
            .split(' ')
            .all(|n| n.starts_with("agent-") && n.len() == 11),
        "{names}"
    );
    let pinned = jsonpath(
        &mut c,
        "pods",
        ".items[*].spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key",
    );
    assert_eq!(pinned, "metadata.name metadata.name");
    let tolerations = jsonpath(&mut c, "pods", ".items[0].spec.tolerations[*].key");
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
        "node.kubernetes.io/disk-pressure",
        "node.kubernetes.io/memory-pressure",
        "node.kubernetes.io/pid-pressure",
        "node.kubernetes.io/unschedulable",
    ] {
        assert!(tolerations.contains(key), "{tolerations}");
    }
    let revisions = run(&mut c, "kubectl get controllerrevisions");
    let revision = revisions.lines().nth(1).unwrap_or_default();
    assert!(revision.starts_with("agent-"), "{revisions}");
    assert!(
        revision.contains("daemonset.apps/agent   1   "),
        "{revisions}"
    );
    let hash = revision
        .split_whitespace()
        .next()
        .and_then(|n| n.strip_prefix("agent-"))
        .unwrap_or_default()
        .to_string();
    let labels = jsonpath(
        &mut c,
        "pods",
        ".items[*].metadata.labels.controller-revision-hash",
    );
    assert_eq!(labels, format!("{hash} {hash}"));
    assert_eq!(
        jsonpath(&mut c, "ds agent", ".status.observedGeneration"),
        "1"
    );
    let events = run(
        &mut c,
        "kubectl get events --field-selector involvedObject.kind=DaemonSet",
    );
    assert!(
        events.contains("SuccessfulCreate   daemonset/agent   Created pod: agent-"),
        "{events}"
    );
}

#[test]
fn a_toleration_brings_the_control_plane_in() {
    let mut c = Cluster::new(Preset::Default, 2);
    let toleration = "      tolerations:
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
";
    apply(&mut c, &daemon_set(toleration));
    c.advance(30_000);
    assert_eq!(
        jsonpath(&mut c, "ds agent", ".status.desiredNumberScheduled"),
        "3"
    );
    assert_eq!(
        jsonpath(&mut c, "ds agent", ".status.currentNumberScheduled"),
        "3"
    );
}

#[test]
fn a_node_selector_limits_the_nodes() {
    let mut c = Cluster::new(Preset::Default, 3);
    let selector = "      nodeSelector:\n        kubernetes.io/hostname: worker-2\n";
    apply(&mut c, &daemon_set(selector));
    c.advance(30_000);
    assert_eq!(
        jsonpath(&mut c, "ds agent", ".status.desiredNumberScheduled"),
        "1"
    );
    assert_eq!(
        jsonpath(&mut c, "pods", ".items[*].spec.nodeName"),
        "worker-2"
    );
}

#[test]
fn a_node_added_later_gets_its_pod() {
    let mut c = Cluster::new(Preset::Default, 4);
    apply(&mut c, &daemon_set(""));
    c.advance(30_000);
    let node = NodeConfig::worker(
        "worker-3",
        "172.18.0.5",
        "10.244.3.0/24",
        "zone-c",
        "2",
        "4Gi",
    );
    c.add_node(node);
    c.advance(30_000);
    assert_eq!(
        jsonpath(&mut c, "ds agent", ".status.desiredNumberScheduled"),
        "3"
    );
    assert_eq!(jsonpath(&mut c, "ds agent", ".status.numberReady"), "3");
    let nodes = jsonpath(&mut c, "pods", ".items[*].spec.nodeName");
    assert_eq!(sorted_words(&nodes), ["worker-1", "worker-2", "worker-3"]);
}
