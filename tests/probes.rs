//! Probes end to end, as the Kubernetes docs' examples show them (tasks/configure-pod-container/
//! configure-liveness-readiness-startup-probes.md), and native sidecars.

use podlab::kubelet::NodeConfig;
use podlab::{Cluster, Preset};

fn cluster() -> Cluster {
    let mut c = Cluster::new(Preset::Empty, 1);
    let mut node = NodeConfig::worker("worker", "10.200.0.1", "10.244.5.0/24", "", "2", "4Gi");
    node.zone = None;
    node.can_pull = false;
    node.images = vec!["busybox:1.36".into(), "nginx:1.27".into()];
    c.add_node(node);
    c.advance(100);
    c
}

const EXEC_LIVENESS: &str = "apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: busybox:1.36
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
    livenessProbe:
      exec:
        command:
        - cat
        - /tmp/healthy
      initialDelaySeconds: 5
      periodSeconds: 5
";

fn row(c: &mut Cluster, name: &str) -> String {
    let out = c.kubectl(&format!("kubectl get pod {name} --no-headers"), None);
    out.text
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn exec_liveness_restarts_the_container_as_the_docs_show() {
    let mut c = cluster();
    c.kubectl("kubectl apply -f -", Some(EXEC_LIVENESS));
    c.advance(20_000);
    assert_eq!(row(&mut c, "liveness-exec"), "liveness-exec 1/1 Running 0");
    let events = c.kubectl(
        "kubectl get events --field-selector involvedObject.name=liveness-exec",
        None,
    );
    assert!(!events.text.contains("Unhealthy"), "{}", events.text);
    c.advance(28_000);
    let describe = c.kubectl("kubectl describe pod liveness-exec", None).text;
    assert!(
        describe.contains(
            "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"
        ),
        "{describe}"
    );
    assert!(
        describe.contains("Container liveness failed liveness probe, will be restarted"),
        "{describe}"
    );
    c.advance(30_000);
    assert_eq!(row(&mut c, "liveness-exec"), "liveness-exec 1/1 Running 1");
}

#[test]
fn nginx_with_an_http_readiness_probe_becomes_ready() {
    let mut c = cluster();
    let pod = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports:
    - containerPort: 80
    readinessProbe:
      httpGet:
        path: /
        port: 80
      initialDelaySeconds: 5
      periodSeconds: 5
";
    c.kubectl("kubectl apply -f -", Some(pod));
    c.advance(3_000);
    assert_eq!(row(&mut c, "web"), "web 0/1 Running 0");
    c.advance(10_000);
    assert_eq!(row(&mut c, "web"), "web 1/1 Running 0");
}

#[test]
fn a_failing_readiness_probe_keeps_the_pod_unready() {
    let mut c = cluster();
    let pod = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    readinessProbe:
      tcpSocket:
        port: 8080
";
    c.kubectl("kubectl apply -f -", Some(pod));
    c.advance(40_000);
    assert_eq!(row(&mut c, "web"), "web 0/1 Running 0");
    let describe = c.kubectl("kubectl describe pod web", None).text;
    assert!(
        describe.contains("Readiness probe failed: dial tcp 10.244.5."),
        "{describe}"
    );
}

#[test]
fn a_native_sidecar_runs_beside_the_app() {
    let mut c = cluster();
    let pod = "apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  initContainers:
  - name: logshipper
    image: busybox:1.36
    restartPolicy: Always
    command: ['sh', '-c', 'tail -F /opt/logs.txt']
  containers:
  - name: myapp
    image: busybox:1.36
    command: ['sh', '-c', 'while true; do echo logging >> /opt/logs.txt; sleep 1; done']
";
    c.kubectl("kubectl apply -f -", Some(pod));
    c.advance(10_000);
    assert_eq!(row(&mut c, "app"), "app 2/2 Running 0");
}
