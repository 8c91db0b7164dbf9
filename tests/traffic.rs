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
    c.start_traffic(&["--to", "http://web/", "--from", "client"])
        .unwrap_or_else(|e| panic!("{e}"));
    c.advance(2_000);
    c.stop_traffic();
    let report = podlab::network::fabric::report(c.network());
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

/// Send steady traffic, delete the pod on worker-1, and return the report.
fn race(c: &mut Cluster) -> String {
    c.start_traffic(&[
        "--to",
        "http://web/",
        "--every",
        "100ms",
        "--from",
        "client",
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    c.advance(2_000);
    c.kubectl(
        "kubectl delete pod -l app=web --field-selector spec.nodeName=worker-1 --wait=false",
        None,
    );
    c.advance(8_000);
    c.stop_traffic();
    podlab::network::fabric::report(c.network())
}

fn failed_count(report: &str) -> usize {
    report
        .lines()
        .next()
        .and_then(|l| l.rsplit(", ").next())
        .and_then(|l| l.strip_suffix(" failed"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX)
}

#[test]
fn without_pre_stop_requests_fail_until_the_client_node_s_kube_proxy_catches_up() {
    let mut c = cluster();
    let report = race(&mut c);
    assert!(failed_count(&report) > 0, "{report}");
    assert!(
        report.contains("wget: can't connect to remote host"),
        "{report}"
    );
}

#[test]
fn a_pre_stop_sleep_keeps_the_pod_serving_until_every_kube_proxy_dropped_it() {
    let mut c = cluster();
    let patch = r#"kubectl patch deployment web --type=json -p '[{"op":"add","path":"/spec/template/spec/containers/0/lifecycle","value":{"preStop":{"sleep":{"seconds":5}}}}]'"#;
    assert_eq!(c.kubectl(patch, None).exit_code, 0);
    c.advance(30_000);
    let report = race(&mut c);
    assert_eq!(failed_count(&report), 0, "{report}");
    // SIGTERM comes 5 s after the Killing event, not at once.
    let at = |action: &str| {
        c.trace()
            .iter()
            .rev()
            .find(|e| e.action.starts_with(action))
            .map(|e| e.at)
            .unwrap_or_default()
    };
    let hook = at("PreStop hook nginx: sleep 5s");
    let term = at("StopContainer nginx (SIGTERM)");
    assert!(
        hook > 0 && term >= hook + 5_000,
        "hook {hook}, SIGTERM {term}"
    );
}

#[test]
fn each_node_s_kube_proxy_syncs_after_its_own_delay() {
    let mut c = cluster();
    race(&mut c);
    let syncs: Vec<(String, u64)> = c
        .trace()
        .iter()
        .filter(|e| e.action == "syncProxyRules")
        .map(|e| (e.object.clone(), e.at))
        .collect();
    let last = |node: &str| {
        syncs
            .iter()
            .rev()
            .find(|(o, _)| o == node)
            .map(|(_, at)| *at)
    };
    let (one, two) = (last("node/worker-1"), last("node/worker-2"));
    assert!(one.is_some() && two.is_some(), "{syncs:?}");
    assert_ne!(one, two, "the nodes converge at different times");
}

#[test]
fn a_failing_pre_stop_exec_records_failed_pre_stop_hook() {
    let mut c = cluster();
    let pod = "apiVersion: v1
kind: Pod
metadata:
  name: hooked
spec:
  containers:
  - name: web
    image: nginx:1.27
    lifecycle:
      preStop:
        exec:
          command: [\"/no/such/drain\"]
";
    assert_eq!(c.kubectl("kubectl apply -f -", Some(pod)).exit_code, 0);
    c.advance(10_000);
    c.kubectl("kubectl delete pod hooked --wait=false", None);
    c.advance(5_000);
    let events = c.kubectl(
        "kubectl get events --field-selector involvedObject.name=hooked -o custom-columns=REASON:.reason,MESSAGE:.message",
        None,
    );
    let row = |reason: &str, message: &str| {
        events
            .text
            .lines()
            .position(|l| l.starts_with(reason) && l.ends_with(message))
    };
    let killing = row("Killing ", "Stopping container web");
    let failed = row("FailedPreStopHook ", "PreStopHook failed");
    assert!(
        killing.is_some() && failed.is_some() && killing < failed,
        "{}",
        events.text
    );
}

#[test]
fn two_clusters_on_one_thread_each_have_working_traffic() {
    // Each cluster owns its network: building a second one leaves the first one's intact.
    let mut first = cluster();
    let mut second = cluster();
    for c in [&mut first, &mut second] {
        let out = c.kubectl("kubectl exec client -- wget -qO- http://web/", None);
        assert_eq!(out.exit_code, 0, "{}", out.text);
        assert_eq!(out.text, NGINX_WELCOME);
    }
    // A third, empty cluster has no Service called web: its name does not resolve, whatever
    // the others' CoreDNS serves.
    let mut third = Cluster::new(Preset::Default, 9);
    third.kubectl(
        "kubectl run client --image=busybox:1.36 -- sleep 3600",
        None,
    );
    third.advance(15_000);
    let out = third.kubectl("kubectl exec client -- wget -qO- http://web/", None);
    assert_eq!(
        out.text,
        "wget: bad address 'web'\ncommand terminated with exit code 1\n"
    );
    let out = first.kubectl("kubectl exec client -- wget -qO- http://web/", None);
    assert_eq!(out.text, NGINX_WELCOME);
}

/// The events of pod `name`, oldest first, as `REASON MESSAGE` rows.
fn events_of(c: &mut Cluster, name: &str) -> String {
    c.kubectl(
        &format!("kubectl get events --field-selector involvedObject.name={name} -o custom-columns=REASON:.reason,MESSAGE:.message"),
        None,
    )
    .text
}

fn row_of(events: &str, reason: &str, message: &str) -> Option<usize> {
    events
        .lines()
        .position(|l| l.starts_with(&format!("{reason} ")) && l.ends_with(message))
}

#[test]
fn a_failing_post_start_hook_kills_the_container() {
    let mut c = cluster();
    let pod = "apiVersion: v1
kind: Pod
metadata:
  name: poststart
spec:
  containers:
  - name: web
    image: nginx:1.27
    lifecycle:
      postStart:
        exec:
          command: [\"/no/such/setup\"]
";
    assert_eq!(c.kubectl("kubectl apply -f -", Some(pod)).exit_code, 0);
    c.advance(10_000);
    let events = events_of(&mut c, "poststart");
    let started = row_of(&events, "Started", "Container started");
    let failed = row_of(&events, "FailedPostStartHook", "PostStartHook failed");
    let killing = row_of(&events, "Killing", "FailedPostStartHook");
    assert!(
        started.is_some() && failed.is_some() && killing.is_some(),
        "{events}"
    );
    assert!(started < failed && failed < killing, "{events}");
}

#[test]
fn a_post_start_hook_holds_the_container_back_until_it_returns() {
    let mut c = cluster();
    let pod = "apiVersion: v1
kind: Pod
metadata:
  name: slowstart
spec:
  containers:
  - name: web
    image: nginx:1.27
    lifecycle:
      postStart:
        exec:
          command: [\"sleep\", \"20\"]
";
    assert_eq!(c.kubectl("kubectl apply -f -", Some(pod)).exit_code, 0);
    c.advance(10_000);
    let phase = |c: &mut Cluster| {
        c.kubectl(
            "kubectl get pod slowstart -o jsonpath={.status.containerStatuses[0].ready}",
            None,
        )
        .text
    };
    assert_ne!(phase(&mut c), "true", "not ready while the hook runs");
    c.advance(20_000);
    assert_eq!(phase(&mut c), "true");
    let events = events_of(&mut c, "slowstart");
    assert_eq!(
        row_of(&events, "FailedPostStartHook", "PostStartHook failed"),
        None
    );
}

#[test]
fn a_liveness_kill_runs_the_pre_stop_hook_first() {
    let mut c = cluster();
    let pod = "apiVersion: v1
kind: Pod
metadata:
  name: unhealthy
spec:
  containers:
  - name: web
    image: nginx:1.27
    livenessProbe:
      httpGet:
        path: /
        port: 8080
      periodSeconds: 1
      failureThreshold: 1
    lifecycle:
      preStop:
        exec:
          command: [\"/no/such/drain\"]
";
    assert_eq!(c.kubectl("kubectl apply -f -", Some(pod)).exit_code, 0);
    c.advance(15_000);
    let events = events_of(&mut c, "unhealthy");
    let killing = row_of(
        &events,
        "Killing",
        "Container web failed liveness probe, will be restarted",
    );
    let failed = row_of(&events, "FailedPreStopHook", "PreStopHook failed");
    assert!(
        killing.is_some() && failed.is_some() && killing < failed,
        "{events}"
    );
    let hook_traced = c
        .trace()
        .iter()
        .any(|e| e.action.starts_with("PreStop hook web"));
    assert!(hook_traced);
}

const HEADLESS: &str = "apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector:
    app: nginx
  ports:
  - name: http
    port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - name: http
          containerPort: 80
";

#[test]
fn coredns_answers_for_a_headless_service_s_pods_and_ports() {
    let mut c = cluster();
    assert_eq!(c.kubectl("kubectl apply -f -", Some(HEADLESS)).exit_code, 0);
    c.advance(40_000);
    let ip = |c: &mut Cluster, pod: &str| {
        c.kubectl(
            &format!("kubectl get pod {pod} -o jsonpath={{.status.podIP}}"),
            None,
        )
        .text
    };
    let (ip0, ip1) = (ip(&mut c, "web-0"), ip(&mut c, "web-1"));
    assert!(!ip0.is_empty() && !ip1.is_empty());
    let out = c.kubectl(
        "kubectl exec client -- nslookup web-0.nginx.default.svc.cluster.local",
        None,
    );
    assert_eq!(
        out.text,
        format!("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb-0.nginx.default.svc.cluster.local\nAddress: {ip0}\n\n\n")
    );
    let out = c.kubectl(
        "kubectl exec client -- nslookup nginx.default.svc.cluster.local",
        None,
    );
    assert!(
        out.text.contains(&format!("Address: {ip0}\n")),
        "{}",
        out.text
    );
    assert!(
        out.text.contains(&format!("Address: {ip1}\n")),
        "{}",
        out.text
    );
    let out = c.kubectl(
        "kubectl exec client -- nslookup -type=srv _http._tcp.nginx.default.svc.cluster.local",
        None,
    );
    assert_eq!(
        out.text,
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n_http._tcp.nginx.default.svc.cluster.local\tservice = 0 50 80 web-0.nginx.default.svc.cluster.local\n_http._tcp.nginx.default.svc.cluster.local\tservice = 0 50 80 web-1.nginx.default.svc.cluster.local\n\n"
    );
    let out = c.kubectl("kubectl exec client -- wget -qO- http://web-1.nginx/", None);
    assert_eq!(out.text, NGINX_WELCOME);
}
