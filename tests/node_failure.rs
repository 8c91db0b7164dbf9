//! Node failure end to end: a node's kubelet stopped or its network cut (`podlab node ...`), the
//! node lifecycle controller marking it NotReady after the 50 s grace period
//! (--node-monitor-grace-period), the taint eviction controller deleting its pods after their
//! tolerationSeconds, and the API server unable to reach the kubelet for `kubectl logs`/`exec`.

use podlab::client::core;
use podlab::kubelet::heartbeat::KubeletState;
use podlab::{Cluster, Preset};
use serde_json::Value;

/// A default cluster with a pod on worker-2 (pinned by nodeName) whose container runs on.
fn cluster_with_pod_on_worker_2(tolerations: &str) -> Cluster {
    let mut c = Cluster::new(Preset::Default, 1);
    let manifest = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: worker-2\n{tolerations}  containers:\n  - name: web\n    image: nginx:1.27\n"
    );
    let out = c.kubectl("kubectl apply -f -", Some(&manifest));
    assert_eq!(out.text, "pod/web created\n");
    c.advance(20_000);
    c
}

fn node(c: &Cluster, name: &str) -> Value {
    c.api()
        .read(core("nodes"), None, name)
        .expect("the node exists")
}

fn pod(c: &Cluster, name: &str) -> Option<Value> {
    c.api().read(core("pods"), Some("default"), name)
}

fn condition<'a>(node: &'a Value, kind: &str) -> &'a Value {
    node.pointer("/status/conditions")
        .and_then(Value::as_array)
        .and_then(|list| list.iter().find(|c| c["type"] == kind))
        .unwrap_or(&Value::Null)
}

fn taints(node: &Value) -> Vec<String> {
    node.pointer("/spec/taints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|t| {
            format!(
                "{}:{}",
                t["key"].as_str().unwrap_or(""),
                t["effect"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn being_deleted(c: &Cluster, name: &str) -> bool {
    pod(c, name).is_some_and(|p| p.pointer("/metadata/deletionTimestamp").is_some())
}

#[test]
fn a_stopped_kubelet_makes_its_node_not_ready_after_the_grace_period() {
    let mut c = cluster_with_pod_on_worker_2("");
    c.stop_kubelet("worker-2").expect("worker-2 runs a kubelet");
    assert_eq!(c.kubelet_state("worker-2"), Some(KubeletState::Stopped));
    c.advance(35_000);
    assert_eq!(condition(&node(&c, "worker-2"), "Ready")["status"], "True");
    c.advance(30_000);
    let worker_2 = node(&c, "worker-2");
    for kind in ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"] {
        let cond = condition(&worker_2, kind);
        assert_eq!(cond["status"], "Unknown", "{kind}");
        assert_eq!(cond["reason"], "NodeStatusUnknown", "{kind}");
        assert_eq!(
            cond["message"], "Kubelet stopped posting node status.",
            "{kind}"
        );
    }
    // Both taints (which lands first depends on the controller's two tainting workers).
    let mut added = taints(&worker_2);
    added.sort();
    assert_eq!(
        added,
        [
            "node.kubernetes.io/unreachable:NoExecute",
            "node.kubernetes.io/unreachable:NoSchedule"
        ]
    );
    assert_eq!(condition(&node(&c, "worker-1"), "Ready")["status"], "True");
    let out = c.kubectl("kubectl get nodes worker-2", None);
    assert!(out.text.contains("worker-2   NotReady"), "{}", out.text);
    // The pod is marked not ready (MarkPodsNotReady) but its container status is left alone.
    let web = pod(&c, "web").expect("not evicted yet");
    assert_eq!(condition(&web, "Ready")["status"], "False");
}

#[test]
fn pods_are_evicted_after_their_toleration_seconds() {
    let mut c = cluster_with_pod_on_worker_2("");
    c.stop_kubelet("worker-2").expect("worker-2 runs a kubelet");
    // NotReady and tainted 50-55 s on; the DefaultTolerationSeconds admission plugin gave the
    // pod 300 s of toleration for node.kubernetes.io/unreachable:NoExecute.
    c.advance(300_000);
    assert!(!being_deleted(&c, "web"), "still tolerated");
    c.advance(70_000);
    assert!(being_deleted(&c, "web"), "evicted after 300 s");
    let out = c.kubectl("kubectl get pod web", None);
    assert!(out.text.contains("Terminating"), "{}", out.text);
}

#[test]
fn a_pod_tolerating_unreachable_forever_stays() {
    let forever = "  tolerations:\n  - key: node.kubernetes.io/unreachable\n    operator: Exists\n    effect: NoExecute\n";
    let mut c = cluster_with_pod_on_worker_2(forever);
    c.disconnect_node("worker-2")
        .expect("worker-2 runs a kubelet");
    c.advance(60_000);
    assert_eq!(
        condition(&node(&c, "worker-2"), "Ready")["status"],
        "Unknown"
    );
    c.advance(900_000);
    assert!(pod(&c, "web").is_some() && !being_deleted(&c, "web"));
}

#[test]
fn a_kubelet_started_again_makes_its_node_ready_and_untainted() {
    let mut c = cluster_with_pod_on_worker_2("");
    c.stop_kubelet("worker-2").expect("worker-2 runs a kubelet");
    c.advance(70_000);
    assert_eq!(taints(&node(&c, "worker-2")).len(), 2);
    c.start_kubelet("worker-2")
        .expect("worker-2 runs a kubelet");
    c.advance(20_000);
    let worker_2 = node(&c, "worker-2");
    let ready = condition(&worker_2, "Ready");
    assert_eq!(ready["status"], "True");
    assert_eq!(ready["reason"], "KubeletReady");
    assert_eq!(ready["message"], "kubelet is posting ready status");
    assert_eq!(taints(&worker_2), Vec::<String>::new());
    assert!(!being_deleted(&c, "web"));
}

#[test]
fn the_api_server_cannot_reach_a_cut_off_or_stopped_kubelet() {
    let mut c = cluster_with_pod_on_worker_2("");
    assert_eq!(c.kubectl("kubectl logs web", None).exit_code, 0);
    c.disconnect_node("worker-2")
        .expect("worker-2 runs a kubelet");
    let out = c.kubectl("kubectl logs web", None);
    assert_eq!(
        (out.text.as_str(), out.exit_code),
        (
            "Error from server: Get \"https://172.18.0.4:10250/containerLogs/default/web/web\": dial tcp 172.18.0.4:10250: connect: no route to host\n",
            1
        )
    );
    let out = c.kubectl("kubectl exec web -- ls", None);
    assert_eq!(
        (out.text.as_str(), out.exit_code),
        (
            "Error from server: error dialing backend: dial tcp 172.18.0.4:10250: connect: no route to host\n",
            1
        )
    );
    c.reconnect_node("worker-2")
        .expect("worker-2 runs a kubelet");
    assert_eq!(c.kubectl("kubectl logs web", None).exit_code, 0);
    c.stop_kubelet("worker-2").expect("worker-2 runs a kubelet");
    let out = c.kubectl("kubectl logs web", None);
    assert_eq!(
        out.text,
        "Error from server: Get \"https://172.18.0.4:10250/containerLogs/default/web/web\": dial tcp 172.18.0.4:10250: connect: connection refused\n"
    );
}

#[test]
fn a_cut_off_kubelet_keeps_its_containers_and_a_node_without_kubelet_is_refused() {
    let mut c = cluster_with_pod_on_worker_2("");
    c.disconnect_node("worker-2")
        .expect("worker-2 runs a kubelet");
    c.advance(60_000);
    c.reconnect_node("worker-2")
        .expect("worker-2 runs a kubelet");
    c.advance(15_000);
    let out = c.kubectl("kubectl get pod web", None);
    assert!(out.text.contains("1/1     Running   0"), "{}", out.text);
    // A Node applied from YAML has no kubelet behind it.
    let bare = "apiVersion: v1\nkind: Node\nmetadata:\n  name: bare\n";
    assert_eq!(c.kubectl("kubectl apply -f -", Some(bare)).exit_code, 0);
    assert_eq!(
        c.node_directive("stop", "bare"),
        Err("podlab node: no kubelet runs on node \"bare\"".to_string())
    );
    assert_eq!(
        c.kubelet_states(),
        [
            ("worker-1".to_string(), KubeletState::Running),
            ("worker-2".to_string(), KubeletState::Running),
            ("control-plane".to_string(), KubeletState::Running)
        ]
    );
}
