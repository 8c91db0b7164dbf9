//! Istio's sidecar injection as a mutating admission webhook: which pods get `istio-init` and
//! the `istio-proxy` native sidecar (READY 2/2), that it happens only when a pod is created,
//! how the sidecar starts and stops around the app container, and the API server's answer when
//! a webhook's service does not exist.

use podlab::sim::Actor;
use podlab::{Cluster, Preset};

const CLIENT: &str = "apiVersion: v1
kind: Pod
metadata:
  name: client
  labels:
    sidecar.istio.io/inject: \"true\"
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: [\"sleep\", \"3600\"]
";

fn meshed() -> Cluster {
    let mut c = Cluster::new(Preset::Default, 3);
    c.enable_mesh();
    c
}

fn run(c: &mut Cluster, line: &str, stdin: Option<&str>) -> String {
    let out = c.kubectl(line, stdin);
    assert_eq!(out.exit_code, 0, "{line}: {}", out.text);
    out.text
}

/// The pod's row of `kubectl get pods` (READY and STATUS columns).
fn row(c: &mut Cluster, pod: &str) -> Vec<String> {
    let text = run(c, &format!("kubectl get pod {pod} --no-headers"), None);
    text.split_whitespace().map(str::to_string).collect()
}

fn init_container_names(c: &mut Cluster, pod: &str) -> String {
    run(
        c,
        &format!("kubectl get pod {pod} -o jsonpath={{.spec.initContainers[*].name}}"),
        None,
    )
}

#[test]
fn a_labelled_pod_gets_the_sidecar_and_reads_two_of_two() {
    let mut c = meshed();
    run(&mut c, "kubectl apply -f -", Some(CLIENT));
    assert_eq!(
        init_container_names(&mut c, "client"),
        "istio-init istio-proxy"
    );
    assert_eq!(row(&mut c, "client")[1..3], ["0/2", "Pending"]);
    c.advance(1_000);
    // istio-init runs first, while the proxy waits.
    assert_eq!(row(&mut c, "client")[1..3], ["0/2", "Init:0/2"]);
    c.advance(15_000);
    assert_eq!(row(&mut c, "client")[1..3], ["2/2", "Running"]);
    // istio-init printed the nat rules it installed, and exited.
    let logs = run(&mut c, "kubectl logs client -c istio-init", None);
    assert!(logs.contains("-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001"));
    // The API server called istiod's webhook while admitting the pod.
    let posted = c.trace().iter().any(|e| {
        e.from == Actor::ApiServer
            && e.to == Actor::Istiod
            && e.action
                == "POST https://istiod.istio-system.svc:443/inject?timeout=10s (AdmissionReview)"
    });
    assert!(posted, "no AdmissionReview to istiod in the trace");
    // Its token reached the added containers too (the in-tree plugins ran again).
    let mounts = run(
        &mut c,
        "kubectl get pod client -o jsonpath={.spec.initContainers[1].volumeMounts[*].mountPath}",
        None,
    );
    assert!(mounts.contains("/var/run/secrets/kubernetes.io/serviceaccount"));
    // istiod wrote the namespace's root certificate, which the proxy mounts.
    run(&mut c, "kubectl get configmap istio-ca-root-cert", None);
}

#[test]
fn injection_happens_only_at_creation() {
    let mut c = meshed();
    run(
        &mut c,
        "kubectl run plain --image=busybox:1.36 -- sleep 3600",
        None,
    );
    c.advance(10_000);
    run(
        &mut c,
        "kubectl label pod plain sidecar.istio.io/inject=true",
        None,
    );
    c.advance(10_000);
    assert_eq!(init_container_names(&mut c, "plain"), "");
    assert_eq!(row(&mut c, "plain")[1..3], ["1/1", "Running"]);
    assert!(!c.network().borrow().sidecars.contains_key("default/plain"));
}

#[test]
fn a_namespace_label_injects_every_pod_but_those_opting_out() {
    let mut c = meshed();
    run(&mut c, "kubectl create namespace shop", None);
    run(
        &mut c,
        "kubectl label namespace shop istio-injection=enabled",
        None,
    );
    run(&mut c, "kubectl -n shop run a --image=nginx:1.27", None);
    run(
        &mut c,
        "kubectl -n shop run b --image=nginx:1.27 --labels=sidecar.istio.io/inject=false",
        None,
    );
    assert_eq!(
        init_container_names(&mut c, "a -n shop"),
        "istio-init istio-proxy"
    );
    assert_eq!(init_container_names(&mut c, "b -n shop"), "");
    // Without the mesh no pod is touched, labelled or not.
    let mut plain = Cluster::new(Preset::Default, 3);
    run(&mut plain, "kubectl apply -f -", Some(CLIENT));
    assert_eq!(init_container_names(&mut plain, "client"), "");
}

#[test]
fn the_sidecar_stops_after_the_app_container() {
    let mut c = meshed();
    run(&mut c, "kubectl apply -f -", Some(CLIENT));
    c.advance(16_000);
    run(&mut c, "kubectl delete pod client --wait=false", None);
    c.advance(40_000);
    let stopped_at = |name: &str| {
        c.trace()
            .iter()
            .find(|e| e.action.starts_with(&format!("StopContainer {name} ")))
            .map(|e| e.at)
    };
    let (app, proxy) = (stopped_at("c"), stopped_at("istio-proxy"));
    // The kubelet stops a pod's sidecars once its app containers have exited (KEP-753).
    assert!(
        app.is_some() && proxy.is_some() && app < proxy,
        "app stopped at {app:?}, sidecar at {proxy:?}"
    );
}

#[test]
fn a_webhook_whose_service_is_missing_refuses_the_pod() {
    let mut c = Cluster::new(Preset::Default, 3);
    let config = "apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: demo
webhooks:
- name: demo.example.com
  clientConfig:
    service:
      name: demo
      namespace: default
      path: /mutate
  rules:
  - operations: [\"CREATE\"]
    apiGroups: [\"\"]
    apiVersions: [\"v1\"]
    resources: [\"pods\"]
  sideEffects: None
  admissionReviewVersions: [\"v1\"]
";
    run(&mut c, "kubectl apply -f -", Some(config));
    let out = c.kubectl("kubectl run x --image=nginx", None);
    assert_eq!(out.exit_code, 1);
    assert_eq!(
        out.text,
        "Error from server (InternalError): Internal error occurred: failed calling webhook \"demo.example.com\": failed to call webhook: Post \"https://demo.default.svc:443/mutate?timeout=10s\": service \"demo\" not found\n"
    );
}
