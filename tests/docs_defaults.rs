//! The Kubernetes documentation's example manifests (kubernetes/website content/en/examples)
//! through podlab's API server: the defaults a real v1.36 server applies
//! (pkg/apis/core/v1/defaults.go), the warnings it returns and the strategies' PrepareForCreate.

use podlab::{Cluster, Preset};

/// application/nginx-app.yaml's Service.
const NGINX_LB_SERVICE: &str = "apiVersion: v1
kind: Service
metadata:
  name: my-nginx-svc
  labels:
    app: nginx
spec:
  type: LoadBalancer
  ports:
  - port: 80
  selector:
    app: nginx
";

fn get(c: &mut Cluster, line: &str) -> String {
    c.kubectl(line, None).text
}

#[test]
fn a_load_balancer_service_gets_its_defaults() {
    let mut c = Cluster::new(Preset::Default, 1);
    let out = c.kubectl("kubectl apply -f -", Some(NGINX_LB_SERVICE));
    assert_eq!(out.text, "service/my-nginx-svc created\n");
    let got = get(
        &mut c,
        "kubectl get svc my-nginx-svc -o jsonpath={.spec.allocateLoadBalancerNodePorts}/{.spec.externalTrafficPolicy}/{.spec.internalTrafficPolicy}/{.spec.sessionAffinity}/{.spec.ports[0].protocol}/{.spec.ports[0].targetPort}",
    );
    assert_eq!(got, "true/Cluster/Cluster/None/TCP/80");
}

#[test]
fn a_client_ip_affinity_gets_the_three_hour_timeout() {
    let mut c = Cluster::new(Preset::Default, 1);
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  sessionAffinity: ClientIP\n  ports:\n  - port: 80\n    targetPort: 0\n";
    let out = c.kubectl("kubectl apply -f -", Some(svc));
    assert_eq!(out.text, "service/s created\n");
    let got = get(
        &mut c,
        "kubectl get svc s -o jsonpath={.spec.sessionAffinityConfig.clientIP.timeoutSeconds}/{.spec.ports[0].targetPort}/{.spec.allocateLoadBalancerNodePorts}/{.spec.externalTrafficPolicy}",
    );
    assert_eq!(got, "10800/80//");
}

/// pods/inject/dapi-volume.yaml (in block YAML), with a projected downward API source added.
const DAPI_VOLUME_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: kubernetes-downwardapi-volume-example
  labels:
    zone: us-est-coast
  annotations:
    build: two
spec:
  containers:
  - name: client-container
    image: registry.k8s.io/busybox:1.27.2
    command: [sh, -c, sleep 3600]
    volumeMounts:
    - name: podinfo
      mountPath: /etc/podinfo
    - name: projected
      mountPath: /etc/projected
  volumes:
  - name: podinfo
    downwardAPI:
      items:
      - path: labels
        fieldRef:
          fieldPath: metadata.labels
      - path: annotations
        fieldRef:
          fieldPath: metadata.annotations
  - name: projected
    projected:
      sources:
      - downwardAPI:
          items:
          - path: name
            fieldRef:
              fieldPath: metadata.name
  - name: scratch
";

#[test]
fn downward_api_volumes_get_their_field_ref_api_version_and_default_mode() {
    let mut c = Cluster::new(Preset::Default, 1);
    let out = c.kubectl("kubectl apply -f -", Some(DAPI_VOLUME_POD));
    assert_eq!(
        out.text,
        "pod/kubernetes-downwardapi-volume-example created\n"
    );
    let got = get(
        &mut c,
        "kubectl get pod kubernetes-downwardapi-volume-example -o jsonpath={.spec.volumes[0].downwardAPI.defaultMode}/{.spec.volumes[0].downwardAPI.items[1].fieldRef.apiVersion}/{.spec.volumes[1].projected.defaultMode}/{.spec.volumes[1].projected.sources[0].downwardAPI.items[0].fieldRef.apiVersion}/{.spec.volumes[2].emptyDir}",
    );
    assert_eq!(got, "420/v1/420/v1/{}");
}

/// controllers/replication.yaml without its selector (which the v1 defaults copy from the
/// template's labels, like the RC's own labels).
const NGINX_RC: &str = "apiVersion: v1
kind: ReplicationController
metadata:
  name: nginx
spec:
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
";

#[test]
fn a_replication_controller_gets_its_v1_defaults() {
    let mut c = Cluster::new(Preset::Default, 1);
    let out = c.kubectl("kubectl apply -f -", Some(NGINX_RC));
    assert_eq!(out.text, "replicationcontroller/nginx created\n");
    let got = get(
        &mut c,
        "kubectl get rc nginx -o jsonpath={.metadata.labels.app}/{.spec.selector.app}/{.spec.replicas}/{.spec.template.spec.restartPolicy}/{.spec.template.spec.containers[0].ports[0].protocol}/{.metadata.generation}",
    );
    assert_eq!(got, "nginx/nginx/1/Always/TCP/1");
}

#[test]
fn a_replication_controller_must_select_its_template() {
    let mut c = Cluster::new(Preset::Default, 1);
    let rc = NGINX_RC.replace(
        "spec:\n  template:",
        "spec:\n  selector:\n    app: web\n  template:",
    );
    let out = c.kubectl("kubectl create -f -", Some(&rc));
    assert_eq!(
        out.text,
        "The ReplicationController \"nginx\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"nginx\"}: `selector` does not match template `labels`\n"
    );
}

/// pods/security/hello-apparmor.yaml as it stood before v1.30: the deprecated annotation.
const HELLO_APPARMOR: &str = "apiVersion: v1
kind: Pod
metadata:
  name: hello-apparmor
  annotations:
    container.apparmor.security.beta.kubernetes.io/hello: localhost/k8s-apparmor-example-deny-write
spec:
  containers:
  - name: hello
    image: busybox:1.28
    command: [sh, -c, \"echo 'Hello AppArmor!' && sleep 1h\"]
";

const APPARMOR_WARNING: &str = "metadata.annotations[container.apparmor.security.beta.kubernetes.io/hello]: deprecated since v1.30; use the \"appArmorProfile\" field instead";

#[test]
fn the_app_armor_annotation_is_copied_to_the_field_with_a_warning() {
    use podlab::apiserver::registry;
    let body: serde_json::Value = yaml_serde::from_str(HELLO_APPARMOR).unwrap();
    let mut pod = registry::decode_and_default("Pod", "v1", &body)
        .map(|d| d.object)
        .unwrap();
    // The warnings are taken before PrepareForCreate syncs the annotation to the field.
    assert_eq!(
        registry::warnings_on_create("Pod", &pod),
        vec![APPARMOR_WARNING.to_string()]
    );
    registry::prepare_for_create("Pod", &mut pod);
    assert!(registry::warnings_on_create("Pod", &pod).is_empty());

    let mut c = Cluster::new(Preset::Default, 1);
    let out = c.kubectl("kubectl apply -f -", Some(HELLO_APPARMOR));
    assert!(
        out.text.ends_with("pod/hello-apparmor created\n"),
        "{}",
        out.text
    );
    let got = get(
        &mut c,
        "kubectl get pod hello-apparmor -o jsonpath={.spec.containers[0].securityContext.appArmorProfile}",
    );
    assert_eq!(
        got,
        r#"{"localhostProfile":"k8s-apparmor-example-deny-write","type":"Localhost"}"#
    );
}

const GATED_POD: &str = "apiVersion: v1
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

#[test]
fn a_gated_pod_is_scheduling_gated_and_its_gates_can_only_be_removed() {
    let mut c = Cluster::new(Preset::Default, 1);
    let out = c.kubectl("kubectl apply -f -", Some(GATED_POD));
    assert_eq!(out.text, "pod/test-pod created\n");
    let got = get(
        &mut c,
        "kubectl get pod test-pod -o jsonpath={.status.conditions[0].type}/{.status.conditions[0].status}/{.status.conditions[0].reason}/{.status.conditions[0].message}",
    );
    assert_eq!(
        got,
        "PodScheduled/False/SchedulingGated/Scheduling is blocked due to non-empty scheduling gates"
    );
    let table = get(&mut c, "kubectl get pod test-pod");
    assert!(table.contains(" SchedulingGated "), "{table}");

    let added = GATED_POD.replace(
        "  - name: example.com/bar\n",
        "  - name: example.com/bar\n  - name: example.com/baz\n",
    );
    let out = c.kubectl("kubectl apply -f -", Some(&added));
    assert!(
        out.text.contains("spec.schedulingGates[2].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/baz'"),
        "{}",
        out.text
    );
    let removed = GATED_POD.replace("  - name: example.com/bar\n", "");
    let out = c.kubectl("kubectl apply -f -", Some(&removed));
    assert_eq!(out.text, "pod/test-pod configured\n");
}
