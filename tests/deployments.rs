//! Deployments end to end on the default cluster (kubelets run the pods): the Deployment makes a
//! ReplicaSet, the ReplicaSet makes the pods, `kubectl scale` and a template change roll through
//! the controllers, and deleting the Deployment takes its ReplicaSets and pods with it.

use podlab::{Cluster, Preset};

const WEB: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
";

fn run(c: &mut Cluster, line: &str) -> String {
    let out = c.kubectl(line, None);
    assert_eq!(out.exit_code, 0, "{line}: {}", out.text);
    out.text
}

fn deployed(seed: u64) -> Cluster {
    let mut c = Cluster::new(Preset::Default, seed);
    let out = c.kubectl("kubectl apply -f -", Some(WEB));
    assert_eq!(out.text, "deployment.apps/web created\n");
    c.advance(30_000);
    c
}

/// The names of the rows of a table (first column, header skipped).
fn names(table: &str) -> Vec<String> {
    table
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn a_deployment_runs_its_replicas_through_one_replica_set() {
    let mut c = deployed(1);
    let status = run(
        &mut c,
        r"kubectl get deploy web -o 'jsonpath={.status.availableReplicas}/{.status.updatedReplicas}/{.metadata.annotations.deployment\.kubernetes\.io/revision}'",
    );
    assert_eq!(status, "3/3/1");
    let rs = names(&run(&mut c, "kubectl get rs"));
    assert_eq!(rs.len(), 1);
    let hash = rs[0]
        .strip_prefix("web-")
        .expect("named <deployment>-<hash>")
        .to_string();
    assert!((6..=10).contains(&hash.len()), "{hash}");
    let pods = names(&run(&mut c, "kubectl get pods -l app=web"));
    assert_eq!(pods.len(), 3);
    assert!(pods.iter().all(|p| p.starts_with(&format!("web-{hash}-"))));
    let owner = run(&mut c, &format!("kubectl get pod {} -o jsonpath={{.metadata.ownerReferences[0].kind}}/{{.metadata.ownerReferences[0].name}}", pods[0]));
    assert_eq!(owner, format!("ReplicaSet/web-{hash}"));
    let events = run(&mut c, "kubectl get events");
    assert!(
        events.contains(&format!("Scaled up replica set web-{hash} from 0 to 3")),
        "{events}"
    );
    assert!(
        events.contains(&format!("Created pod: {}", pods[0])),
        "{events}"
    );
}

#[test]
fn kubectl_scale_goes_through_the_scale_subresource() {
    let mut c = deployed(2);
    assert_eq!(
        run(&mut c, "kubectl scale deployment web --replicas=1"),
        "deployment.apps/web scaled\n"
    );
    c.advance(60_000);
    assert_eq!(names(&run(&mut c, "kubectl get pods -l app=web")).len(), 1);
    let status = run(&mut c, "kubectl get deploy web -o jsonpath={.spec.replicas}/{.status.replicas}/{.metadata.generation}");
    assert_eq!(status, "1/1/2");
    let events = run(&mut c, "kubectl get events");
    assert!(events.contains("from 3 to 1"), "{events}");
    assert!(events.contains("SuccessfulDelete"), "{events}");
    let failed = c.kubectl(
        "kubectl scale deployment web --replicas=5 --current-replicas=3",
        None,
    );
    assert_eq!(
        (failed.text.as_str(), failed.exit_code),
        ("error: Expected replicas to be 3, was 1\n", 1)
    );
}

#[test]
fn a_template_change_rolls_out_a_new_replica_set() {
    let mut c = deployed(3);
    let old = names(&run(&mut c, "kubectl get rs"));
    let patch = r#"kubectl patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}'"#;
    assert_eq!(run(&mut c, patch), "deployment.apps/web patched\n");
    c.advance(90_000);
    let rs = run(
        &mut c,
        "kubectl get rs -o 'jsonpath={range .items[*]}{.metadata.name}={.spec.replicas} {end}'",
    );
    let rs: Vec<&str> = rs.split_whitespace().collect();
    assert_eq!(rs.len(), 2, "{rs:?}");
    assert!(rs.contains(&format!("{}=0", old[0]).as_str()), "{rs:?}");
    let images = run(
        &mut c,
        "kubectl get pods -o jsonpath={.items[*].spec.containers[0].image}",
    );
    assert_eq!(images, "nginx:1.28 nginx:1.28 nginx:1.28");
    let revision = run(
        &mut c,
        r"kubectl get deploy web -o 'jsonpath={.metadata.annotations.deployment\.kubernetes\.io/revision}'",
    );
    assert_eq!(revision, "2");
}

#[test]
fn deleting_the_deployment_collects_its_replica_sets_and_pods() {
    let mut c = deployed(4);
    run(&mut c, "kubectl delete deployment web");
    c.advance(60_000);
    let out = c.kubectl("kubectl get rs,pods", None);
    assert_eq!(out.text, "No resources found in default namespace.\n");
}

#[test]
fn a_deployment_without_selector_is_refused() {
    let mut c = Cluster::new(Preset::Default, 5);
    let manifest = WEB.replace("  selector:\n    matchLabels:\n      app: web\n", "");
    let out = c.kubectl("kubectl apply -f -", Some(&manifest));
    assert_eq!(out.exit_code, 1);
    assert_eq!(
        out.text,
        "The Deployment \"web\" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`\n"
    );
}

#[test]
fn a_rollout_without_progress_times_out_at_its_deadline() {
    // No nodes: the pods stay Pending, so the rollout makes no progress.
    let mut c = Cluster::new(Preset::Empty, 6);
    let manifest = WEB.replace(
        "  replicas: 3\n",
        "  replicas: 3\n  progressDeadlineSeconds: 30\n",
    );
    assert_eq!(
        c.kubectl("kubectl apply -f -", Some(&manifest)).exit_code,
        0
    );
    let progressing = "kubectl get deploy web -o 'jsonpath={.status.conditions[?(@.type==\"Progressing\")].reason}'";
    c.advance(20_000);
    assert_eq!(run(&mut c, progressing), "ReplicaSetUpdated");
    c.advance(20_000);
    assert_eq!(run(&mut c, progressing), "ProgressDeadlineExceeded");
}
