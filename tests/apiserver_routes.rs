//! The API server's request path as a user sees it in the trace: `kubectl exec`'s POST with the
//! PodExecOptions as query parameters (exec.go, url.Values.Encode sorts the keys), proxied to
//! the node's kubelet.

use podlab::kubelet::NodeConfig;
use podlab::sim::Actor;
use podlab::{Cluster, Preset};

/// A cluster with one worker whose runtime can run busybox, and a running pod `shell`.
fn running_shell() -> Cluster {
    let mut c = Cluster::new(Preset::Empty, 1);
    let mut node = NodeConfig::worker("real-worker", "10.200.0.1", "10.244.5.0/24", "", "2", "4Gi");
    node.zone = None;
    node.can_pull = false;
    node.images = vec!["busybox:1.36".into()];
    c.add_node(node);
    c.advance(100);
    let pod = "apiVersion: v1
kind: Pod
metadata:
  name: shell
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"sleep 3600\"]
";
    c.kubectl("kubectl apply -f -", Some(pod));
    c.advance(10_000);
    c
}

/// The actions kubectl sent to the API server, in order.
fn kubectl_requests(c: &Cluster) -> Vec<String> {
    c.trace()
        .iter()
        .filter(|e| e.from == Actor::Kubectl && e.to == Actor::ApiServer)
        .map(|e| e.action.clone())
        .collect()
}

#[test]
fn exec_is_posted_with_the_exec_options_as_the_query() {
    let mut c = running_shell();
    let out = c.kubectl("kubectl exec shell -c c -- ls -l", None);
    assert_eq!(out.exit_code, 0, "{}", out.text);
    let requests = kubectl_requests(&c);
    assert!(
        requests.contains(
            &"POST /api/v1/namespaces/default/pods/shell/exec?command=ls&command=-l&container=c&stderr=true&stdout=true"
                .to_string()
        ),
        "{requests:#?}"
    );
    let proxied = c.trace().iter().any(|e| {
        e.from == Actor::ApiServer
            && e.action.starts_with(
                "POST https://10.200.0.1:10250/exec/default/shell/c?command=ls&command=-l",
            )
    });
    assert!(proxied);
}

#[test]
fn exec_into_a_missing_pod_is_not_found() {
    let mut c = running_shell();
    let out = c.kubectl("kubectl exec nope -- ls", None);
    assert_eq!(
        (out.text.as_str(), out.exit_code),
        ("Error from server (NotFound): pods \"nope\" not found\n", 1)
    );
}

/// `kubectl logs --timestamps` (logs.go sends PodLogOptions.timestamps): the API server passes
/// `timestamps=true` on to the kubelet's containerLogs, which starts each line with the time the
/// runtime logged it in RFC3339NanoFixed and a space.
#[test]
fn logs_with_timestamps_are_asked_of_the_kubelet() {
    let mut c = running_shell();
    let hello = "apiVersion: v1
kind: Pod
metadata:
  name: hello
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"echo hello; sleep 3600\"]
";
    c.kubectl("kubectl apply -f -", Some(hello));
    c.advance(6_000);
    let out = c.kubectl("kubectl logs hello --timestamps", None);
    assert_eq!(out.exit_code, 0, "{}", out.text);
    let (stamp, line) = out.text.split_once(' ').unwrap_or_default();
    assert_eq!(line, "hello\n");
    assert_eq!(
        stamp.len(),
        "2026-11-21T14:00:05.000000000Z".len(),
        "{stamp}"
    );
    assert!(stamp.ends_with('Z') && stamp.as_bytes().get(10) == Some(&b'T'));
    let asked = c.trace().iter().any(|e| {
        e.from == Actor::ApiServer
            && e.action
                == "GET https://10.200.0.1:10250/containerLogs/default/hello/app?timestamps=true"
    });
    assert!(asked);
    let plain = c.kubectl("kubectl logs hello", None);
    assert_eq!(plain.text, "hello\n");
}

/// A pod nominated by preemption and then bound: pods/binding clears
/// `status.nominatedNodeName` (ClearingNominatedNodeNameAfterBinding, on since v1.35).
#[test]
fn binding_clears_the_nominated_node_name() {
    let pod = |name: &str, cpu: &str, class: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n{class}  containers:\n  - name: app\n    image: busybox\n    command: [\"sleep\", \"3600\"]\n    resources:\n      requests:\n        cpu: {cpu}\n"
        )
    };
    let mut c = Cluster::new(Preset::Default, 7);
    c.kubectl("kubectl apply -f -", Some(&pod("low-1", "3500m", "")));
    c.advance(5_000);
    c.kubectl("kubectl apply -f -", Some(&pod("low-2", "1500m", "")));
    c.advance(5_000);
    let critical = pod(
        "critical",
        "1",
        "  priorityClassName: system-cluster-critical\n",
    );
    c.kubectl("kubectl apply -f -", Some(&critical));
    c.advance(500);
    let nominated = "kubectl get pod critical -o jsonpath={.status.nominatedNodeName}";
    assert_eq!(c.kubectl(nominated, None).text, "worker-2");
    c.advance(60_000);
    let node = c.kubectl(
        "kubectl get pod critical -o jsonpath={.spec.nodeName}",
        None,
    );
    assert_eq!(node.text, "worker-2");
    assert_eq!(c.kubectl(nominated, None).text, "");
}
