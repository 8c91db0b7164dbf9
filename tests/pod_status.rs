//! `kubectl get pods` READY and STATUS for each state a learner meets, as kubectl's printPod
//! computes them (pkg/printers/internalversion/printers.go): the pod is brought into the state
//! by the cluster itself, never written by hand.

use podlab::{Cluster, Preset};

fn cluster() -> Cluster {
    let mut c = Cluster::new(Preset::Default, 3);
    c.advance(1_000);
    c
}

fn pod(name: &str, extra_spec: &str, containers: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n{extra_spec}  containers:\n{containers}")
}

fn container(name: &str, image: &str, script: &str) -> String {
    format!("  - name: {name}\n    image: {image}\n    command: [\"sh\", \"-c\", \"{script}\"]\n")
}

fn apply(c: &mut Cluster, manifest: &str) {
    let out = c.kubectl("kubectl apply -f -", Some(manifest));
    assert_eq!(out.exit_code, 0, "{}", out.text);
}

/// READY and STATUS of the pod.
fn ready_status(c: &mut Cluster, name: &str) -> String {
    let out = c.kubectl(&format!("kubectl get pod {name} --no-headers"), None);
    out.text
        .split_whitespace()
        .skip(1)
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Advance in 100 ms steps until STATUS reads `wanted` (within `limit_ms`); READY STATUS then.
fn wait_for(c: &mut Cluster, name: &str, wanted: &str, limit_ms: u64) -> String {
    let mut waited = 0;
    loop {
        let got = ready_status(c, name);
        if got.ends_with(&format!(" {wanted}")) || waited >= limit_ms {
            return got;
        }
        c.advance(100);
        waited += 100;
    }
}

/// The READY and STATUS rows `kubectl get pod NAME -w` prints for `limit_ms` (brief states,
/// such as CrashLoopBackOff just before a restart, show in a watch).
fn watched(c: &mut Cluster, name: &str, limit_ms: u64) -> Vec<String> {
    let out = c.kubectl_for(
        &format!("kubectl get pod {name} -w --no-headers"),
        None,
        &|_| None,
        limit_ms,
    );
    out.text
        .lines()
        .map(|l| {
            l.split_whitespace()
                .skip(1)
                .take(2)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn pending_without_nodes_and_scheduling_gated() {
    let mut c = Cluster::new(Preset::Empty, 1);
    apply(
        &mut c,
        &pod(
            "lonely",
            "",
            &container("app", "busybox:1.36", "sleep 3600"),
        ),
    );
    c.advance(5_000);
    assert_eq!(ready_status(&mut c, "lonely"), "0/1 Pending");
    let mut c = cluster();
    let gated = "  schedulingGates:\n  - name: example.com/foo\n";
    apply(
        &mut c,
        &pod(
            "gated",
            gated,
            &container("app", "busybox:1.36", "sleep 3600"),
        ),
    );
    c.advance(5_000);
    assert_eq!(ready_status(&mut c, "gated"), "0/1 SchedulingGated");
}

#[test]
fn container_creating_then_running() {
    let mut c = cluster();
    apply(
        &mut c,
        &pod("web", "", "  - name: web\n    image: nginx:1.27\n"),
    );
    assert_eq!(
        wait_for(&mut c, "web", "ContainerCreating", 5_000),
        "0/1 ContainerCreating"
    );
    assert_eq!(wait_for(&mut c, "web", "Running", 60_000), "1/1 Running");
}

#[test]
fn init_containers_count_and_pod_initializing() {
    let mut c = cluster();
    let inits = format!(
        "  initContainers:\n{}{}",
        container("first", "busybox:1.36", "sleep 2"),
        container("second", "busybox:1.36", "sleep 3600")
    );
    apply(
        &mut c,
        &pod(
            "waits",
            &inits,
            &container("app", "busybox:1.36", "sleep 3600"),
        ),
    );
    assert_eq!(
        wait_for(&mut c, "waits", "Init:0/2", 10_000),
        "0/1 Init:0/2"
    );
    assert_eq!(
        wait_for(&mut c, "waits", "Init:1/2", 10_000),
        "0/1 Init:1/2"
    );

    let inits = format!(
        "  initContainers:\n{}",
        container("quick", "busybox:1.36", "true")
    );
    apply(
        &mut c,
        &pod(
            "initializing",
            &inits,
            "  - name: web\n    image: nginx:1.27\n",
        ),
    );
    assert_eq!(
        wait_for(&mut c, "initializing", "PodInitializing", 20_000),
        "0/1 PodInitializing"
    );
}

#[test]
fn a_failing_init_container_is_init_error_then_init_crash_loop() {
    let mut c = cluster();
    let inits = format!(
        "  initContainers:\n{}",
        container("fails", "busybox:1.36", "exit 1")
    );
    let never = format!("  restartPolicy: Never\n{inits}");
    apply(
        &mut c,
        &pod(
            "init-never",
            &never,
            &container("app", "busybox:1.36", "sleep 3600"),
        ),
    );
    assert_eq!(
        wait_for(&mut c, "init-never", "Init:Error", 20_000),
        "0/1 Init:Error"
    );
    apply(
        &mut c,
        &pod(
            "init-loop",
            &inits,
            &container("app", "busybox:1.36", "sleep 3600"),
        ),
    );
    assert_eq!(
        wait_for(&mut c, "init-loop", "Init:Error", 20_000),
        "0/1 Init:Error"
    );
    let rows = watched(&mut c, "init-loop", 40_000);
    assert!(
        rows.contains(&"0/1 Init:CrashLoopBackOff".to_string()),
        "{rows:?}"
    );
}

#[test]
fn a_missing_image_is_err_image_pull_then_image_pull_back_off() {
    // A node that pulls nothing (as the k04 transcript's node cannot reach the image).
    let mut c = Cluster::new(Preset::Empty, 1);
    let mut node = podlab::kubelet::NodeConfig::worker(
        "worker",
        "10.200.0.1",
        "10.244.5.0/24",
        "",
        "2",
        "4Gi",
    );
    node.can_pull = false;
    node.images = vec!["busybox:1.36".into()];
    c.add_node(node);
    c.advance(2_000);
    apply(
        &mut c,
        &pod(
            "missing",
            "",
            "  - name: app\n    image: doesnotexist:1.0\n",
        ),
    );
    assert_eq!(
        wait_for(&mut c, "missing", "ErrImagePull", 20_000),
        "0/1 ErrImagePull"
    );
    assert_eq!(
        wait_for(&mut c, "missing", "ImagePullBackOff", 30_000),
        "0/1 ImagePullBackOff"
    );
}

#[test]
fn exits_are_completed_error_crash_loop_and_oom_killed() {
    let mut c = cluster();
    let never = "  restartPolicy: Never\n";
    apply(
        &mut c,
        &pod("done", never, &container("app", "busybox:1.36", "true")),
    );
    apply(
        &mut c,
        &pod("failed", never, &container("app", "busybox:1.36", "exit 2")),
    );
    apply(
        &mut c,
        &pod("crash", "", &container("app", "busybox:1.36", "exit 1")),
    );
    assert_eq!(
        wait_for(&mut c, "done", "Completed", 20_000),
        "0/1 Completed"
    );
    assert_eq!(wait_for(&mut c, "failed", "Error", 20_000), "0/1 Error");
    let rows = watched(&mut c, "crash", 30_000);
    assert!(
        rows.contains(&"0/1 CrashLoopBackOff".to_string()),
        "{rows:?}"
    );
    apply(
        &mut c,
        &pod(
            "oom",
            "",
            "  - name: app\n    image: polinux/stress\n    resources:\n      limits:\n        memory: 100Mi\n    command: [\"stress\"]\n    args: [\"--vm\", \"1\", \"--vm-bytes\", \"250M\"]\n",
        ),
    );
    assert_eq!(
        wait_for(&mut c, "oom", "OOMKilled", 20_000),
        "0/1 OOMKilled"
    );
}

#[test]
fn one_container_completed_beside_one_running_is_not_ready() {
    let mut c = cluster();
    let containers = format!(
        "{}{}",
        container("once", "busybox:1.36", "true"),
        container("server", "busybox:1.36", "sleep 3600")
    );
    apply(
        &mut c,
        &pod("half", "  restartPolicy: OnFailure\n", &containers),
    );
    assert_eq!(wait_for(&mut c, "half", "NotReady", 20_000), "1/2 NotReady");
}

#[test]
fn a_deleted_pod_is_terminating_during_its_grace_period() {
    let mut c = cluster();
    apply(
        &mut c,
        &pod("slow", "", &container("app", "busybox:1.36", "sleep 3600")),
    );
    assert_eq!(wait_for(&mut c, "slow", "Running", 20_000), "1/1 Running");
    let out = c.kubectl("kubectl delete pod slow --wait=false", None);
    assert_eq!(out.text, "pod \"slow\" deleted from default namespace\n");
    c.advance(5_000);
    assert_eq!(ready_status(&mut c, "slow"), "1/1 Terminating");
}
