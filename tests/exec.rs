//! `kubectl exec` end to end, natively: kubectl → API server (`POST pods/NAME/exec`, authorized
//! as `create` on `pods/exec`) → the node's kubelet → the runtime's exec in the container, whose
//! file system changes persist between execs.

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

const SHELL: &str = "apiVersion: v1
kind: Pod
metadata:
  name: shell
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"sleep 3600\"]
    env:
    - name: GREETING
      value: hello
";

fn running_shell() -> Cluster {
    let mut c = real_worker();
    c.kubectl("kubectl apply -f -", Some(SHELL));
    c.advance(10_000);
    c
}

fn run(c: &mut Cluster, line: &str) -> (String, i32) {
    let out = c.kubectl(line, None);
    (out.text, out.exit_code)
}

#[test]
fn output_and_exit_codes() {
    let mut c = running_shell();
    assert_eq!(
        run(&mut c, "kubectl exec shell -- echo hi"),
        ("hi\n".into(), 0)
    );
    assert_eq!(
        run(&mut c, "kubectl exec shell -- hostname"),
        ("shell\n".into(), 0)
    );
    assert_eq!(
        run(&mut c, "kubectl exec shell -- printenv GREETING"),
        ("hello\n".into(), 0)
    );
    assert_eq!(
        run(&mut c, "kubectl exec shell -- sh -c \"echo bye; exit 3\""),
        ("bye\ncommand terminated with exit code 3\n".into(), 3)
    );
}

#[test]
fn files_persist_between_execs() {
    let mut c = running_shell();
    assert_eq!(
        run(&mut c, "kubectl exec shell -- touch /tmp/healthy"),
        (String::new(), 0)
    );
    assert_eq!(
        run(&mut c, "kubectl exec shell -- ls /tmp"),
        ("healthy\n".into(), 0)
    );
    assert_eq!(
        run(&mut c, "kubectl exec shell -- rm /tmp/healthy"),
        (String::new(), 0)
    );
    assert_eq!(
        run(&mut c, "kubectl exec shell -- cat /tmp/healthy"),
        (
            "cat: can't open '/tmp/healthy': No such file or directory\ncommand terminated with exit code 1\n"
                .into(),
            1
        )
    );
}

#[test]
fn kubectl_and_server_errors() {
    let mut c = running_shell();
    assert_eq!(
        run(&mut c, "kubectl exec shell"),
        (
            "error: you must specify at least one command for the container\n".into(),
            1
        )
    );
    assert_eq!(
        run(&mut c, "kubectl exec missing -- ls"),
        (
            "Error from server (NotFound): pods \"missing\" not found\n".into(),
            1
        )
    );
    assert_eq!(
        run(&mut c, "kubectl exec shell -c nope -- ls"),
        (
            "Error from server (BadRequest): container nope is not valid for pod shell\n".into(),
            1
        )
    );
    let (text, code) = run(&mut c, "kubectl exec shell -- foo");
    assert_eq!(code, 1);
    assert!(
        text.starts_with("error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"")
            && text.ends_with("\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"foo\": executable file not found in $PATH: unknown\n"),
        "{text}"
    );
    let (text, _) = run(&mut c, "kubectl exec shell date");
    assert!(text.starts_with("kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\n"));
}

#[test]
fn a_completed_pod_cannot_be_entered() {
    let mut c = real_worker();
    let done = SHELL
        .replace("name: shell", "name: done")
        .replace("sleep 3600", "exit 0")
        .replace("spec:\n", "spec:\n  restartPolicy: Never\n");
    c.kubectl("kubectl apply -f -", Some(&done));
    c.advance(10_000);
    assert_eq!(
        run(&mut c, "kubectl exec done -- ls"),
        (
            "error: cannot exec into a container in a completed pod; current phase is Succeeded\n"
                .into(),
            1
        )
    );
}

#[test]
fn exec_needs_create_on_pods_exec() {
    let mut c = running_shell();
    let reader = "apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-reader
  namespace: default
rules:
- apiGroups: [\"\"]
  resources: [\"pods\"]
  verbs: [\"get\", \"list\", \"watch\"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
  namespace: default
subjects:
- kind: User
  name: jane
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: Role
  name: pod-reader
  apiGroup: rbac.authorization.k8s.io
";
    c.kubectl("kubectl apply -f -", Some(reader));
    assert_eq!(
        run(&mut c, "kubectl exec shell --as=jane -- ls"),
        (
            "Error from server (Forbidden): pods \"shell\" is forbidden: User \"jane\" cannot create resource \"pods/exec\" in API group \"\" in the namespace \"default\"\n".into(),
            1
        )
    );
}
