//! Traffic through the simulated network: `kubectl exec` clients (busybox wget and nslookup,
//! curl), the nat table walk on the client's node, the ingress controller's upstreams, and the
//! counts of a `podlab traffic` run.

use podlab::network::http::NGINX_WELCOME;
use podlab::{Cluster, Preset};

const APP: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
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
---
apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: [\"sleep\", \"3600\"]
";

fn cluster() -> Cluster {
    let mut c = Cluster::new(Preset::Default, 7);
    c.kubectl("kubectl apply -f -", Some(APP));
    c.advance(15_000);
    c
}

#[test]
fn wget_gets_nginx_s_welcome_page_through_the_service() {
    let mut c = cluster();
    let out = c.kubectl("kubectl exec client -- wget -qO- http://web/", None);
    assert_eq!(out.exit_code, 0, "{}", out.text);
    assert_eq!(out.text, NGINX_WELCOME);
    // The hops reach the trace when the network fabric next runs.
    c.advance(10);
    let hops_after: Vec<String> = c.trace().iter().map(|e| e.action.clone()).collect();
    assert!(
        hops_after.iter().any(|a| a.starts_with("DNAT ")),
        "a DNAT hop is traced"
    );
}

#[test]
fn wget_of_an_unknown_name_is_a_bad_address() {
    let mut c = cluster();
    let out = c.kubectl("kubectl exec client -- wget -qO- http://nope/", None);
    assert_eq!(
        out.text,
        "wget: bad address 'nope'\ncommand terminated with exit code 1\n"
    );
    assert_eq!(out.exit_code, 1);
}

#[test]
fn busybox_has_no_curl() {
    let mut c = cluster();
    let out = c.kubectl("kubectl exec client -- curl -s http://web/", None);
    assert!(out
        .text
        .contains("exec: \"curl\": executable file not found in $PATH: unknown"));
}

#[test]
fn nslookup_prints_busybox_1_36_s_answer() {
    let mut c = cluster();
    let ip = c
        .kubectl("kubectl get svc web -o jsonpath={.spec.clusterIP}", None)
        .text;
    let out = c.kubectl(
        "kubectl exec client -- nslookup web.default.svc.cluster.local",
        None,
    );
    assert_eq!(
        out.text,
        format!("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: {ip}\n\n\n")
    );
}

#[test]
fn a_traffic_run_counts_answers_by_pod() {
    let mut c = cluster();
    podlab::network::fabric::start(&["--to", "http://web/", "--from", "client"], c.now())
        .unwrap_or_else(|e| panic!("{e}"));
    c.wake_components();
    c.advance(2_000);
    podlab::network::fabric::stop(c.now());
    let report = podlab::network::fabric::report();
    assert!(
        report.contains(": 21 requests, 21 answered, 0 failed"),
        "{report}"
    );
    assert_eq!(report.matches("answered by web-").count(), 2, "{report}");
}

#[test]
fn an_ingress_routes_by_host_and_prefix_to_the_service_upstream() {
    let mut c = cluster();
    let ingress = "apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  ingressClassName: nginx
  rules:
  - host: hello.example
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
";
    let out = c.kubectl("kubectl apply -f -", Some(ingress));
    assert_eq!(out.exit_code, 0, "{}", out.text);
    c.advance(5_000);
    let conf = c
        .trace()
        .iter()
        .rev()
        .find(|e| e.action == "ingress-nginx reload")
        .map(|e| e.detail.clone())
        .unwrap_or_default();
    assert!(
        conf.starts_with("upstream default-web-80 {\n    server 10.244."),
        "{conf}"
    );
    let status = c.kubectl(
        "kubectl get ingress web -o jsonpath={.status.loadBalancer.ingress[0].ip}",
        None,
    );
    assert_eq!(status.text, "172.18.0.2");
}
