//! NodeVolumeLimits end to end on the default cluster (a tainted control plane and two workers):
//! each worker's CSINode allows one volume of the driver, two pods with one CSI volume each fill
//! both workers, and a third is rejected with `node(s) exceed max volume count` in the
//! FailedScheduling message as kube-scheduler's FitError.Error builds it.

use podlab::{Cluster, Preset};

const DRIVER: &str = "hostpath.csi.k8s.io";

fn get(c: &mut Cluster, line: &str) -> String {
    c.kubectl(line, None).text
}

fn apply(c: &mut Cluster, yaml: &str) -> String {
    c.kubectl("kubectl apply -f -", Some(yaml)).text
}

fn csi_node(node: &str, count: u32) -> String {
    format!(
        "apiVersion: storage.k8s.io/v1
kind: CSINode
metadata:
  name: {node}
spec:
  drivers:
  - name: {DRIVER}
    nodeID: {node}
    allocatable:
      count: {count}
"
    )
}

/// A CSI volume `pv-i` pre-bound to the claim `data-i`, and that claim.
fn volume_and_claim(i: u32) -> String {
    format!(
        "apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-{i}
spec:
  capacity:
    storage: 1Gi
  accessModes: [ReadWriteOnce]
  storageClassName: csi
  csi:
    driver: {DRIVER}
    volumeHandle: vol-{i}
  claimRef:
    namespace: default
    name: data-{i}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data-{i}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: csi
  volumeName: pv-{i}
  resources:
    requests:
      storage: 1Gi
"
    )
}

fn pod_with_claim(i: u32) -> String {
    format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: app-{i}
spec:
  containers:
  - name: app
    image: nginx
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: data-{i}
"
    )
}

/// The taint rejects the control plane (UnschedulableAndUnresolvable); the volume limit rejects
/// both workers with Unschedulable, so preemption looks at them but finds no lower-priority pod.
const EXCEEDED: &str = "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) exceed max volume count. no new claims to deallocate, preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.";

#[test]
fn a_third_csi_volume_finds_no_worker_with_room() {
    let mut c = Cluster::new(Preset::Default, 3);
    for node in ["worker-1", "worker-2"] {
        let out = apply(&mut c, &csi_node(node, 1));
        assert_eq!(out, format!("csinode.storage.k8s.io/{node} created\n"));
    }
    for i in 1..=3 {
        apply(&mut c, &volume_and_claim(i));
    }
    c.advance(5_000);
    for i in 1..=2 {
        apply(&mut c, &pod_with_claim(i));
        c.advance(5_000);
    }
    let mut nodes: Vec<String> = (1..=2)
        .map(|i| {
            get(
                &mut c,
                &format!("kubectl get pod app-{i} -o jsonpath={{.spec.nodeName}}"),
            )
        })
        .collect();
    nodes.sort();
    assert_eq!(nodes, vec!["worker-1", "worker-2"]);

    apply(&mut c, &pod_with_claim(3));
    c.advance(5_000);
    assert_eq!(
        get(&mut c, "kubectl get pod app-3 -o jsonpath={.status.phase}"),
        "Pending"
    );
    assert_eq!(
        get(
            &mut c,
            "kubectl get pod app-3 -o jsonpath={.status.conditions[0].message}"
        ),
        EXCEEDED
    );
    let events = get(
        &mut c,
        "kubectl get events --field-selector reason=FailedScheduling,involvedObject.name=app-3 -o jsonpath={.items[0].message}",
    );
    assert_eq!(events, EXCEEDED);
}

#[test]
fn a_raised_limit_lets_the_pending_pod_in() {
    let mut c = Cluster::new(Preset::Default, 3);
    apply(&mut c, &csi_node("worker-1", 1));
    apply(&mut c, &csi_node("worker-2", 1));
    for i in 1..=3 {
        apply(&mut c, &volume_and_claim(i));
    }
    c.advance(5_000);
    for i in 1..=3 {
        apply(&mut c, &pod_with_claim(i));
        c.advance(5_000);
    }
    let pending = "kubectl get pod app-3 -o jsonpath={.spec.nodeName}";
    assert_eq!(get(&mut c, pending), "");
    // A CSINode update is one of the plugin's events (EventsToRegister): the pod is retried.
    apply(&mut c, &csi_node("worker-2", 2));
    c.advance(15_000);
    assert_eq!(get(&mut c, pending), "worker-2");
}
