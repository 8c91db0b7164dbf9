//! The Kubernetes documentation's pod examples (kubernetes/website content/en/examples), each
//! checked against what its page says happens, with the page's timings.

use podlab::{Cluster, Preset};

fn cluster() -> Cluster {
    let mut c = Cluster::new(Preset::Default, 1);
    c.advance(1_000);
    c
}

fn apply(c: &mut Cluster, manifest: &str) {
    let out = c.kubectl("kubectl apply -f -", Some(manifest));
    assert_eq!(out.exit_code, 0, "{}", out.text);
}

/// NAME READY STATUS RESTARTS (the count only) of `kubectl get pod NAME`.
fn row(c: &mut Cluster, name: &str, namespace: &str) -> String {
    let out = c.kubectl(
        &format!("kubectl get pod {name} -n {namespace} --no-headers"),
        None,
    );
    out.text
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ")
}

fn describe(c: &mut Cluster, name: &str, namespace: &str) -> String {
    c.kubectl(&format!("kubectl describe pod {name} -n {namespace}"), None)
        .text
}

/// pods/probe/exec-liveness.yaml ("Configure Liveness, Readiness and Startup Probes").
const EXEC_LIVENESS: &str = "apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
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

#[test]
fn exec_liveness_fails_after_35_seconds_and_restarts() {
    let mut c = cluster();
    apply(&mut c, EXEC_LIVENESS);
    c.advance(20_000);
    assert!(!describe(&mut c, "liveness-exec", "default").contains("Unhealthy"));
    // "Within 30 seconds, view the Pod events": no failure yet. "After 35 seconds": Unhealthy.
    c.advance(18_000);
    let events = describe(&mut c, "liveness-exec", "default");
    assert!(
        events.contains(
            "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"
        ),
        "{events}"
    );
    c.advance(10_000);
    let events = describe(&mut c, "liveness-exec", "default");
    let unhealthy = events.find("Unhealthy").unwrap_or(usize::MAX);
    let killing = events
        .find("Container liveness failed liveness probe, will be restarted")
        .unwrap_or(0);
    assert!(unhealthy < killing, "{events}");
    // "Wait another 30 seconds, and verify that the container has been restarted".
    c.advance(40_000);
    assert_eq!(
        row(&mut c, "liveness-exec", "default"),
        "liveness-exec 1/1 Running 1"
    );
}

/// pods/probe/http-liveness.yaml: agnhost's liveness server answers 200 for 10 seconds, then 500.
const HTTP_LIVENESS: &str = "apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-http
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/e2e-test-images/agnhost:2.40
    args:
    - liveness
    livenessProbe:
      httpGet:
        path: /healthz
        port: 8080
        httpHeaders:
        - name: Custom-Header
          value: Awesome
      initialDelaySeconds: 3
      periodSeconds: 3
";

#[test]
fn http_liveness_fails_with_500_after_10_seconds_and_restarts() {
    let mut c = cluster();
    apply(&mut c, HTTP_LIVENESS);
    c.advance(10_000);
    assert!(!describe(&mut c, "liveness-http", "default").contains("Unhealthy"));
    c.advance(15_000);
    let events = describe(&mut c, "liveness-http", "default");
    assert!(
        events.contains("Liveness probe failed: HTTP probe failed with statuscode: 500"),
        "{events}"
    );
    assert!(
        events.contains("Container liveness failed liveness probe, will be restarted"),
        "{events}"
    );
    assert_eq!(
        row(&mut c, "liveness-http", "default"),
        "liveness-http 1/1 Running 1"
    );
}

/// pods/probe/tcp-liveness-readiness.yaml: goproxy listens on 8080; ready after 15 seconds.
const TCP_LIVENESS_READINESS: &str = "apiVersion: v1
kind: Pod
metadata:
  name: goproxy
  labels:
    app: goproxy
spec:
  containers:
  - name: goproxy
    image: registry.k8s.io/goproxy:0.1
    ports:
    - containerPort: 8080
    readinessProbe:
      tcpSocket:
        port: 8080
      initialDelaySeconds: 15
      periodSeconds: 10
    livenessProbe:
      tcpSocket:
        port: 8080
      initialDelaySeconds: 15
      periodSeconds: 10
";

#[test]
fn tcp_readiness_makes_goproxy_ready_after_its_initial_delay() {
    let mut c = cluster();
    apply(&mut c, TCP_LIVENESS_READINESS);
    c.advance(10_000);
    assert_eq!(row(&mut c, "goproxy", "default"), "goproxy 0/1 Running 0");
    c.advance(15_000);
    assert_eq!(row(&mut c, "goproxy", "default"), "goproxy 1/1 Running 0");
    c.advance(30_000);
    assert_eq!(row(&mut c, "goproxy", "default"), "goproxy 1/1 Running 0");
}

/// An exec probe whose command outlasts timeoutSeconds fails as the CRI's ExecSync times out.
#[test]
fn an_exec_probe_slower_than_its_timeout_fails() {
    let mut c = cluster();
    apply(
        &mut c,
        "apiVersion: v1
kind: Pod
metadata:
  name: slow-probe
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [\"sleep\", \"3600\"]
    livenessProbe:
      exec:
        command: [\"sh\", \"-c\", \"sleep 5\"]
      periodSeconds: 5
      timeoutSeconds: 2
",
    );
    c.advance(30_000);
    let events = describe(&mut c, "slow-probe", "default");
    assert!(
        events.contains(
            "Liveness probe failed: command timed out: \"sh -c sleep 5\" timed out after 2s"
        ),
        "{events}"
    );
}

/// pods/resource/memory-request-limit-2.yaml ("Assign Memory Resources to Containers and
/// Pods"): stress allocates 250M over its 100Mi limit and is OOM-killed, again and again.
const MEMORY_DEMO_2: &str = "apiVersion: v1
kind: Pod
metadata:
  name: memory-demo-2
  namespace: mem-example
spec:
  containers:
  - name: memory-demo-2-ctr
    image: polinux/stress
    resources:
      requests:
        memory: \"50Mi\"
      limits:
        memory: \"100Mi\"
    command: [\"stress\"]
    args: [\"--vm\", \"1\", \"--vm-bytes\", \"250M\", \"--vm-hang\", \"1\"]
";

#[test]
fn memory_over_its_limit_is_oom_killed_and_restarted() {
    let mut c = cluster();
    c.kubectl("kubectl create namespace mem-example", None);
    apply(&mut c, MEMORY_DEMO_2);
    c.advance(5_000);
    let got = row(&mut c, "memory-demo-2", "mem-example");
    assert!(got.starts_with("memory-demo-2 0/1 OOMKilled"), "{got}");
    let text = describe(&mut c, "memory-demo-2", "mem-example");
    assert!(text.contains("Reason:       OOMKilled"), "{text}");
    assert!(text.contains("Exit Code:    137"), "{text}");
    let logs = c.kubectl("kubectl logs memory-demo-2 -n mem-example", None);
    assert_eq!(
        logs.text,
        "stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n"
    );
    // The back-off: 10 s after the second kill, 20 s after the third.
    c.advance(40_000);
    let got = row(&mut c, "memory-demo-2", "mem-example");
    assert!(got.ends_with(" 3"), "{got}");
}

/// A limit above what stress allocates: memory-request-limit.yaml's memory-demo runs.
#[test]
fn memory_within_its_limit_runs() {
    let mut c = cluster();
    apply(
        &mut c,
        "apiVersion: v1
kind: Pod
metadata:
  name: memory-demo
spec:
  containers:
  - name: memory-demo-ctr
    image: polinux/stress
    resources:
      requests:
        memory: \"100Mi\"
      limits:
        memory: \"200Mi\"
    command: [\"stress\"]
    args: [\"--vm\", \"1\", \"--vm-bytes\", \"150M\", \"--vm-hang\", \"1\"]
",
    );
    c.advance(20_000);
    assert_eq!(
        row(&mut c, "memory-demo", "default"),
        "memory-demo 1/1 Running 0"
    );
}

/// debug/termination.yaml ("Determine the Reason for Pod Failure"): the message written to
/// /dev/termination-log shows in the container's last state.
#[test]
fn the_termination_message_is_what_the_container_wrote() {
    let mut c = cluster();
    apply(
        &mut c,
        "apiVersion: v1
kind: Pod
metadata:
  name: termination-demo
spec:
  containers:
  - name: termination-demo-container
    image: debian
    command: [\"/bin/sh\"]
    args: [\"-c\", \"sleep 10 && echo Sleep expired > /dev/termination-log\"]
",
    );
    c.advance(15_000);
    let out = c.kubectl(
        "kubectl get pod termination-demo -o jsonpath={.status.containerStatuses[0].lastState.terminated.message}",
        None,
    );
    assert_eq!(out.text, "Sleep expired\n");
}

/// terminationMessagePolicy FallbackToLogsOnError: a failed container that wrote no message
/// gets its logs' tail.
#[test]
fn fallback_to_logs_on_error_takes_the_logs() {
    let mut c = cluster();
    apply(
        &mut c,
        "apiVersion: v1
kind: Pod
metadata:
  name: fallback
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: busybox:1.36
    terminationMessagePolicy: FallbackToLogsOnError
    command: [\"sh\", \"-c\", \"echo starting; echo something broke; exit 3\"]
",
    );
    c.advance(10_000);
    let out = c.kubectl(
        "kubectl get pod fallback -o jsonpath={.status.containerStatuses[0].state.terminated.message}",
        None,
    );
    assert_eq!(out.text, "starting\nsomething broke\n");
    assert_eq!(row(&mut c, "fallback", "default"), "fallback 0/1 Error 0");
}

/// pods/commands.yaml ("Define a Command and Arguments for a Container"): the command prints
/// and the pod completes.
#[test]
fn commands_example_prints_its_environment_and_completes() {
    let mut c = cluster();
    apply(
        &mut c,
        "apiVersion: v1
kind: Pod
metadata:
  name: command-demo
  labels:
    purpose: demonstrate-command
spec:
  containers:
  - name: command-demo-container
    image: debian
    command: [\"printenv\"]
    args: [\"HOSTNAME\", \"KUBERNETES_PORT\"]
  restartPolicy: OnFailure
",
    );
    c.advance(15_000);
    let logs = c.kubectl("kubectl logs command-demo", None);
    assert_eq!(logs.text, "command-demo\ntcp://10.96.0.1:443\n");
    assert_eq!(
        row(&mut c, "command-demo", "default"),
        "command-demo 0/1 Completed 0"
    );
}

/// The busybox pod that exits 1 (k02-crashloop): restarted at once, then after 10 s, 20 s.
#[test]
fn a_busybox_pod_that_exits_1_crash_loops_with_the_real_back_off() {
    let mut c = cluster();
    apply(
        &mut c,
        "apiVersion: v1
kind: Pod
metadata:
  name: crash
spec:
  containers:
  - name: crash
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"echo boom; exit 1\"]
",
    );
    c.advance(5_000);
    assert_eq!(row(&mut c, "crash", "default"), "crash 0/1 Error 1");
    c.advance(15_000);
    assert_eq!(row(&mut c, "crash", "default"), "crash 0/1 Error 2");
    // CrashLoopBackOff shows only briefly before each restart; most of the back-off reads Error.
    c.advance(25_000);
    assert_eq!(row(&mut c, "crash", "default"), "crash 0/1 Error 3");
    let text = describe(&mut c, "crash", "default");
    assert!(
        text.contains("Back-off restarting failed container crash in pod crash_default("),
        "{text}"
    );
}

/// pods/lifecycle-events.yaml ("Attach Handlers to Container Lifecycle Events"): the
/// postStart handler writes /usr/share/message.
#[test]
fn the_post_start_handler_writes_its_message() {
    let mut c = cluster();
    apply(
        &mut c,
        "apiVersion: v1
kind: Pod
metadata:
  name: lifecycle-demo
spec:
  containers:
  - name: lifecycle-demo-container
    image: nginx
    lifecycle:
      postStart:
        exec:
          command: [\"/bin/sh\", \"-c\", \"echo Hello from the postStart handler > /usr/share/message\"]
      preStop:
        exec:
          command: [\"/bin/sh\",\"-c\",\"nginx -s quit; while killall -0 nginx; do sleep 1; done\"]
",
    );
    c.advance(20_000);
    assert_eq!(
        row(&mut c, "lifecycle-demo", "default"),
        "lifecycle-demo 1/1 Running 0"
    );
    let out = c.kubectl(
        "kubectl exec lifecycle-demo -- cat /usr/share/message",
        None,
    );
    assert_eq!(out.text, "Hello from the postStart handler\n");
}

/// The init containers page's myapp-pod: its init containers wait (Init:0/2) while the
/// Services they look up do not exist, and complete one after the other once they do.
#[test]
fn init_containers_wait_for_their_services_then_the_app_runs() {
    let mut c = cluster();
    apply(
        &mut c,
        "apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app.kubernetes.io/name: MyApp
spec:
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', \"until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done\"]
  - name: init-mydb
    image: busybox:1.28
    command: ['sh', '-c', \"until nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for mydb; sleep 2; done\"]
",
    );
    c.advance(30_000);
    assert_eq!(
        row(&mut c, "myapp-pod", "default"),
        "myapp-pod 0/1 Init:0/2 0"
    );
    let logs = c.kubectl("kubectl logs myapp-pod -c init-myservice", None);
    assert!(logs.text.contains("waiting for myservice"), "{}", logs.text);
    // "Create the mydb and myservice services": the first init container then completes.
    apply(&mut c, &service("myservice", 9376));
    c.advance(5_000);
    assert_eq!(
        row(&mut c, "myapp-pod", "default"),
        "myapp-pod 0/1 Init:1/2 0"
    );
    apply(&mut c, &service("mydb", 9377));
    c.advance(10_000);
    assert_eq!(
        row(&mut c, "myapp-pod", "default"),
        "myapp-pod 1/1 Running 0"
    );
    let logs = c.kubectl("kubectl logs myapp-pod", None);
    assert!(
        logs.text.ends_with("The app is running!\n"),
        "{}",
        logs.text
    );
}

/// The init containers page's Services: `myservice` on 80 → 9376, `mydb` on 80 → 9377.
fn service(name: &str, target_port: u16) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  ports:\n  - protocol: TCP\n    port: 80\n    targetPort: {target_port}\n"
    )
}

/// pods/init-containers.yaml's init-demo: the install init container runs first, then nginx.
#[test]
fn init_demo_runs_its_init_container_before_nginx() {
    let mut c = cluster();
    apply(
        &mut c,
        "apiVersion: v1
kind: Pod
metadata:
  name: init-demo
spec:
  containers:
  - name: nginx
    image: nginx
    ports:
    - containerPort: 80
    volumeMounts:
    - name: workdir
      mountPath: /usr/share/nginx/html
  initContainers:
  - name: install
    image: busybox:1.28
    command: [\"sh\", \"-c\", \"echo '<html>hello</html>' > /work-dir/index.html\"]
    volumeMounts:
    - name: workdir
      mountPath: \"/work-dir\"
  dnsPolicy: Default
  volumes:
  - name: workdir
    emptyDir: {}
",
    );
    c.advance(20_000);
    assert_eq!(
        row(&mut c, "init-demo", "default"),
        "init-demo 1/1 Running 0"
    );
    let text = describe(&mut c, "init-demo", "default");
    let install = text.find("spec.initContainers{install}: Container started");
    let nginx = text.find("spec.containers{nginx}: Container started");
    assert!(install.is_some() && install < nginx, "{text}");
}

/// pods/pod-with-scheduling-gates.yaml and pod-without-scheduling-gates.yaml ("Pod Scheduling
/// Readiness"): SchedulingGated until the gates are removed, then scheduled and running.
#[test]
fn scheduling_gates_hold_the_pod_until_removed() {
    let mut c = cluster();
    let gated = "apiVersion: v1
kind: Pod
metadata:
  name: test-pod
spec:
  schedulingGates:
  - name: example.com/foo
  - name: example.com/bar
  containers:
  - name: pause
    image: registry.k8s.io/pause:3.6
";
    apply(&mut c, gated);
    c.advance(3_000);
    assert_eq!(
        row(&mut c, "test-pod", "default"),
        "test-pod 0/1 SchedulingGated 0"
    );
    let gates = c.kubectl(
        "kubectl get pod test-pod -o jsonpath='{.spec.schedulingGates}'",
        None,
    );
    assert_eq!(
        gates.text,
        "[{\"name\":\"example.com/foo\"},{\"name\":\"example.com/bar\"}]"
    );
    let ungated = "apiVersion: v1
kind: Pod
metadata:
  name: test-pod
spec:
  containers:
  - name: pause
    image: registry.k8s.io/pause:3.6
";
    apply(&mut c, ungated);
    c.advance(5_000);
    assert_eq!(row(&mut c, "test-pod", "default"), "test-pod 1/1 Running 0");
}
