//! The kubelet end to end, natively: containers that print, exit and restart with back-off;
//! `kubectl logs` through the API server to the node's kubelet; `kubectl get -w` under
//! `timeout`; image pulls that fail.

use podlab::kubelet::NodeConfig;
use podlab::{Cluster, Preset};

fn real_worker() -> Cluster {
    let mut c = Cluster::new(Preset::Empty, 1);
    let mut node = NodeConfig::worker("real-worker", "10.200.0.1", "10.244.5.0/24", "", "2", "4Gi");
    node.zone = None;
    node.can_pull = false;
    node.images = vec!["busybox:1.36".into(), "nginx:1.27".into()];
    c.add_node(node);
    c.advance(100);
    c
}

fn pod(name: &str, script: &str, policy: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  restartPolicy: {policy}\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"{script}\"]\n"
    )
}

#[test]
fn logs_come_from_the_kubelet_of_the_pods_node() {
    let mut c = real_worker();
    c.kubectl(
        "kubectl apply -f -",
        Some(&pod(
            "hello",
            "echo hello; echo world; sleep 3600",
            "Always",
        )),
    );
    c.advance(6_000);
    let out = c.kubectl("kubectl logs hello", None);
    assert_eq!((out.text.as_str(), out.exit_code), ("hello\nworld\n", 0));
    let out = c.kubectl("kubectl logs hello --tail=1", None);
    assert_eq!(out.text, "world\n");
    let out = c.kubectl("kubectl logs hello -p", None);
    assert_eq!(
        (out.text.as_str(), out.exit_code),
        ("Error from server (BadRequest): previous terminated container \"app\" in pod \"hello\" not found\n", 1)
    );
    let out = c.kubectl("kubectl logs hello -c nope", None);
    assert_eq!(
        out.text,
        "error: container nope is not valid for pod hello out of: app\n"
    );
    let out = c.kubectl("kubectl logs nothere", None);
    assert_eq!(
        out.text,
        "Error from server (NotFound): pods \"nothere\" not found\n"
    );
    let out = c.kubectl("kubectl logs", None);
    assert!(out
        .text
        .starts_with("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'."));
    let proxied = c.trace().iter().any(|e| {
        e.action
            .starts_with("GET https://10.200.0.1:10250/containerLogs/default/hello/app")
    });
    assert!(proxied, "the API server asks the kubelet");
}

#[test]
fn a_pod_still_waiting_has_no_logs_yet() {
    let mut c = real_worker();
    c.kubectl(
        "kubectl apply -f -",
        Some(&pod("ghost", "echo hi", "Always").replace("busybox:1.36", "doesnotexist:1.0")),
    );
    c.advance(20_000);
    let out = c.kubectl("kubectl logs ghost", None);
    assert_eq!(
        out.text,
        "Error from server (BadRequest): container \"app\" in pod \"ghost\" is waiting to start: trying and failing to pull image\n"
    );
}

#[test]
fn restart_policies_decide_the_phase() {
    let mut c = real_worker();
    c.kubectl(
        "kubectl apply -f -",
        Some(&pod("once", "echo done", "Never")),
    );
    c.kubectl("kubectl apply -f -", Some(&pod("fails", "exit 3", "Never")));
    c.kubectl(
        "kubectl apply -f -",
        Some(&pod("retry", "exit 3", "OnFailure")),
    );
    c.advance(30_000);
    let out = c.kubectl("kubectl get pods", None);
    let lines: Vec<Vec<&str>> = out
        .text
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    let status = |name: &str| {
        lines
            .iter()
            .find(|l| l.first() == Some(&name))
            .map(|l| l[2].to_string())
            .unwrap_or_default()
    };
    assert_eq!(status("once"), "Completed");
    assert_eq!(status("fails"), "Error");
    assert!(
        ["Error", "CrashLoopBackOff"].contains(&status("retry").as_str()),
        "{}",
        out.text
    );
    let phases = c.kubectl(
        "kubectl get pods -o jsonpath={.items[*].status.phase}",
        None,
    );
    assert_eq!(phases.text, "Failed Succeeded Running");
    let out = c.kubectl("kubectl logs once", None);
    assert_eq!(out.text, "done\n");
}

#[test]
fn crash_loop_backs_off_ten_then_twenty_seconds() {
    let mut c = real_worker();
    c.kubectl(
        "kubectl apply -f -",
        Some(&pod("crasher", "echo starting; exit 1", "Always")),
    );
    let out = c.kubectl_for("kubectl get pods -w", None, &|_| None, 60_000);
    assert_eq!(out.exit_code, 124);
    let statuses: Vec<String> = out
        .text
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().nth(2).unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        statuses,
        [
            "ContainerCreating",
            "ContainerCreating",
            "Running",
            "Error",
            "Running",
            "Error",
            "CrashLoopBackOff",
            "Running",
            "Error",
            "CrashLoopBackOff",
            "Running",
            "Error"
        ]
    );
    let events = c.kubectl(
        "kubectl get events --field-selector reason=BackOff -o jsonpath={.items[*].count}",
        None,
    );
    assert_eq!(events.text, "3");
    let previous = c.kubectl("kubectl logs crasher --previous", None);
    assert!(
        previous
            .text
            .starts_with("unable to retrieve container logs for containerd://"),
        "{}",
        previous.text
    );
    assert_eq!(previous.exit_code, 0);
    let current = c.kubectl("kubectl logs crasher", None);
    assert_eq!(current.text, "starting\n");
}

#[test]
fn a_watch_not_under_timeout_prints_the_list() {
    let mut c = real_worker();
    let out = c.kubectl("kubectl get pods -w", None);
    assert_eq!((out.text.as_str(), out.exit_code), ("", 0));
    c.kubectl(
        "kubectl apply -f -",
        Some(&pod("hello", "sleep 3600", "Always")),
    );
    c.advance(5_000);
    let out = c.kubectl("kubectl get pods -w", None);
    assert!(
        out.text
            .starts_with("NAME    READY   STATUS    RESTARTS   AGE\nhello   1/1     Running   0"),
        "{}",
        out.text
    );
}

#[test]
fn logs_of_a_pod_without_a_node_are_empty_and_a_node_without_a_kubelet_refuses() {
    let mut c = Cluster::new(Preset::Empty, 1);
    c.kubectl(
        "kubectl apply -f -",
        Some(&pod("lonely", "echo hi", "Always")),
    );
    c.advance(1_000);
    let out = c.kubectl("kubectl logs lonely", None);
    assert_eq!((out.text.as_str(), out.exit_code), ("", 0));
    let node = "apiVersion: v1\nkind: Node\nmetadata:\n  name: static\nstatus:\n  addresses:\n  - type: InternalIP\n    address: 10.200.0.9\n";
    c.kubectl("kubectl apply -f -", Some(node));
    c.kubectl(
        "kubectl apply -f -",
        Some(&pod("bound", "echo hi", "Always").replace("spec:\n", "spec:\n  nodeName: static\n")),
    );
    let out = c.kubectl("kubectl logs bound", None);
    assert_eq!(
        out.text,
        "Error from server: Get \"https://10.200.0.9:10250/containerLogs/default/bound/app\": dial tcp 10.200.0.9:10250: connect: connection refused\n"
    );
}

#[test]
fn init_containers_run_to_completion_first() {
    let mut c = real_worker();
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: init\nspec:\n  initContainers:\n  - name: setup\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"echo preparing; sleep 5\"]\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"sleep 3600\"]\n";
    c.kubectl("kubectl apply -f -", Some(manifest));
    let out = c.kubectl_for("kubectl get pods -w", None, &|_| None, 10_000);
    let statuses: Vec<&str> = out
        .text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    assert_eq!(statuses.first(), Some(&"Init:0/1"));
    assert_eq!(
        statuses[statuses.len() - 2..],
        ["PodInitializing", "Running"]
    );
    let out = c.kubectl("kubectl logs init -c setup", None);
    assert_eq!(out.text, "preparing\n");
    let events = c.kubectl(
        "kubectl get events -o jsonpath={.items[*].involvedObject.fieldPath}",
        None,
    );
    assert!(
        events.text.contains("spec.initContainers{setup}"),
        "{}",
        events.text
    );
}

#[test]
fn a_running_cluster_settles() {
    let mut c = Cluster::new(Preset::Default, 1);
    c.kubectl(
        "kubectl apply -f -",
        Some(&pod("sleeper", "sleep 3600", "Always")),
    );
    c.kubectl(
        "kubectl apply -f -",
        Some(&pod("done", "echo bye", "Never")),
    );
    c.advance(60_000);
    // As on a real cluster, the kubelets' heartbeats (their Lease every 10 s, node status every
    // 5 min) and the node lifecycle controller's 5 s monitor always have something scheduled;
    // nothing else writes until the PLEG sees the sleeper exit, an hour on.
    let settled = c.revision();
    let next = c.next_event_at().unwrap_or(u64::MAX);
    assert!(next <= 60_000 + 10_000, "heartbeats go on: {next}");
    c.advance(3_400_000);
    let writes = c
        .api()
        .etcd()
        .changes_since("/registry/", settled)
        .expect("the watch history is kept");
    assert!(!writes.is_empty(), "the leases are renewed");
    let other: Vec<&str> = writes
        .iter()
        .map(|e| e.kv.key.as_str())
        .filter(|k| {
            !k.starts_with("/registry/leases/kube-node-lease/")
                && !k.starts_with("/registry/minions/")
        })
        .collect();
    assert_eq!(other, Vec::<&str>::new(), "only heartbeats were written");
    let pod_work: Vec<&str> = c
        .trace()
        .iter()
        .filter(|e| e.revision > settled && e.object.starts_with("pod/"))
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(pod_work, Vec::<&str>::new(), "no pod work");
}
