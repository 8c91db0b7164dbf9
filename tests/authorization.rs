//! Authorization end to end: every component's requests pass the same authorizer as the user's
//! (system:masters, Node, RBAC), so none may be refused while the cluster does its work; a user
//! without bindings is refused, with the step and its reason in the trace.

use podlab::sim::{Actor, TraceEntry};
use podlab::{Cluster, Preset};

const WORKLOAD: &str = "apiVersion: apps/v1
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
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
";

fn refusals(trace: &[TraceEntry]) -> Vec<String> {
    trace
        .iter()
        .filter(|e| e.action.starts_with("403"))
        .map(|e| {
            format!(
                "{} -> {}: {} {}",
                e.from.label(),
                e.to.label(),
                e.object,
                e.detail
            )
        })
        .collect()
}

fn run(c: &mut Cluster, line: &str) -> String {
    let out = c.kubectl(line, None);
    assert_eq!(out.exit_code, 0, "{line}: {}", out.text);
    out.text
}

#[test]
fn no_component_is_ever_refused() {
    let mut c = Cluster::new(Preset::Default, 7);
    let out = c.kubectl("kubectl apply -f -", Some(WORKLOAD));
    assert_eq!(out.exit_code, 0, "{}", out.text);
    c.advance(30_000);
    run(&mut c, "kubectl scale deployment web --replicas=1");
    c.advance(30_000);
    run(&mut c, "kubectl set image deployment/web nginx=nginx:1.28");
    c.advance(30_000);
    run(&mut c, "kubectl delete deployment web");
    c.advance(60_000);
    let refused = refusals(c.trace());
    assert!(refused.is_empty(), "refused requests: {refused:#?}");
    let authorized_by_rbac = c.trace().iter().any(|e| {
        e.action == "authorization"
            && e.detail
                .contains("ClusterRole \"system:controller:replicaset-controller\"")
    });
    let controller_requests = c.trace().iter().any(|e| e.from == Actor::ControllerManager);
    assert!(controller_requests, "the controllers did their work");
    // Only requests kubectl sends show their stages; a component's pass silently.
    assert!(
        !authorized_by_rbac,
        "a component's authorization is not traced as a stage"
    );
}

#[test]
fn a_refused_user_sees_the_servers_message_and_the_trace_says_why() {
    let mut c = Cluster::new(Preset::Default, 1);
    let out = c.kubectl("kubectl get pod nginx --as=jane", None);
    assert_eq!(
        out.text,
        "Error from server (Forbidden): pods \"nginx\" is forbidden: User \"jane\" cannot get resource \"pods\" in API group \"\" in the namespace \"default\"\n"
    );
    assert_eq!(out.exit_code, 1);
    let stages: Vec<&TraceEntry> = c
        .trace()
        .iter()
        .filter(|e| e.from == Actor::ApiServer)
        .collect();
    // The last of each stage: kubectl's discovery requests (`GET /api`) pass the filters first.
    let stage = |name: &str| {
        stages
            .iter()
            .rev()
            .find(|e| e.action == name)
            .map(|e| e.detail.clone())
    };
    assert_eq!(
        stage("impersonation").as_deref(),
        Some("\"kubernetes-admin\" may impersonate user \"jane\" (group \"system:masters\"); the request goes on as user \"jane\", groups [system:authenticated]")
    );
    assert_eq!(
        stage("authorization").as_deref(),
        Some("get pods \"nginx\" in namespace \"default\": denied: no authorizer allowed it (no RBAC rule matched)")
    );
    assert_eq!(
        refusals(c.trace()).len(),
        1,
        "the 403 answer is in the trace"
    );
}
