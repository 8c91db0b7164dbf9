//! What a fresh control plane holds before anyone uses it: the four system namespaces, each with
//! its `default` ServiceAccount and `kube-root-ca.crt` ConfigMap (written by the serviceaccount and
//! root-ca-cert-publisher controllers), the `kubernetes` Service with the API server's endpoints,
//! the `kube-dns` Service of the cluster DNS, and the default RBAC policy: the ClusterRoles and
//! ClusterRoleBindings the API server's `rbac/bootstrap-roles` post-start hook writes
//! (plugin/pkg/auth/authorizer/rbac/bootstrappolicy: policy.go, controller_policy.go; their
//! testdata/*.yaml list them as a v1.36 server stores them), plus kubeadm's `system:coredns`.

use serde_json::{json, Value};

use super::{resources, ApiServer, Request, Verb};
use crate::sim::{Actor, Trace};

/// The API server's advertised address (the control-plane node's InternalIP) and secure port.
pub const APISERVER_ADDRESS: &str = "172.18.0.2";
pub const APISERVER_PORT: i64 = 6443;

/// The cluster DNS Service's fixed address (kubeadm's default, the tenth of the range).
pub const DNS_SERVICE_IP: &str = "10.96.0.10";

/// A stand-in for the cluster CA certificate that kube-root-ca.crt publishes.
const CA_CERT: &str =
    "-----BEGIN CERTIFICATE-----\npodlab simulated cluster CA\n-----END CERTIFICATE-----\n";

fn create(
    api: &mut ApiServer,
    trace: &mut Trace,
    plural: &str,
    group: &str,
    ns: Option<&str>,
    body: Value,
) {
    let info = resources::by_plural(group, plural).expect("bootstrap resources are served");
    let req = Request::new(Verb::Create, info, "system:apiserver")
        .namespace(ns)
        .body(body);
    let resp = api.handle(&req, 0, trace, &Actor::ApiServer);
    debug_assert!(resp.is_success(), "bootstrap {plural}: {}", resp.body);
}

/// Write the objects of a fresh control plane (not traced: they exist before the story starts).
pub fn control_plane_objects(api: &mut ApiServer) {
    let mut trace = Trace::default();
    let t = &mut trace;
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        create(
            api,
            t,
            "namespaces",
            "",
            None,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
        );
    }
    create(
        api,
        t,
        "services",
        "",
        Some("default"),
        json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {"clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"], "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": APISERVER_PORT}]}
        }),
    );
    create(
        api,
        t,
        "services",
        "",
        Some("kube-system"),
        json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kube-dns", "namespace": "kube-system", "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"}},
            "spec": {"clusterIP": DNS_SERVICE_IP, "clusterIPs": [DNS_SERVICE_IP], "selector": {"k8s-app": "kube-dns"},
                     "ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                               {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                               {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}]}
        }),
    );
    create(
        api,
        t,
        "endpointslices",
        "discovery.k8s.io",
        Some("default"),
        json!({
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"kubernetes.io/service-name": "kubernetes", "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}},
            "addressType": "IPv4",
            "endpoints": [{"addresses": [APISERVER_ADDRESS], "conditions": {"ready": true}}],
            "ports": [{"name": "https", "port": APISERVER_PORT, "protocol": "TCP"}]
        }),
    );
    create(
        api,
        t,
        "endpoints",
        "",
        Some("default"),
        json!({
            "apiVersion": "v1", "kind": "Endpoints",
            "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
            "subsets": [{"addresses": [{"ip": APISERVER_ADDRESS}], "ports": [{"name": "https", "port": APISERVER_PORT, "protocol": "TCP"}]}]
        }),
    );
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        namespace_defaults(api, t, ns);
    }
    rbac_defaults(api, t);
    system_priority_classes(api, t);
}

/// The two classes the `scheduling/bootstrap-system-priority-classes` post-start hook writes
/// (pkg/apis/scheduling: SystemPriorityClasses, values SystemCriticalPriority and + 1000).
pub fn system_priority_classes(api: &mut ApiServer, trace: &mut Trace) {
    let classes = [
        (
            "system-node-critical",
            2_000_001_000i64,
            "Used for system critical pods that must not be moved from their current node.",
        ),
        (
            "system-cluster-critical",
            2_000_000_000,
            "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
        ),
    ];
    for (name, value, description) in classes {
        create(
            api,
            trace,
            "priorityclasses",
            "scheduling.k8s.io",
            None,
            json!({
                "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                "metadata": {"name": name}, "value": value, "description": description
            }),
        );
    }
}

/// The default ClusterRoles and ClusterRoleBindings (the `rbac/bootstrap-roles` post-start hook
/// of pkg/registry/rbac/rest/storage_rbac.go), and kubeadm's CoreDNS role and binding.
pub fn rbac_defaults(api: &mut ApiServer, trace: &mut Trace) {
    let group = "rbac.authorization.k8s.io";
    for role in cluster_roles() {
        create(api, trace, "clusterroles", group, None, role);
    }
    for binding in cluster_role_bindings() {
        create(api, trace, "clusterrolebindings", group, None, binding);
    }
    for role in namespace_roles() {
        let ns = role["metadata"]["namespace"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        create(api, trace, "roles", group, Some(&ns), role);
    }
    for binding in namespace_role_bindings() {
        let ns = binding["metadata"]["namespace"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        create(api, trace, "rolebindings", group, Some(&ns), binding);
    }
}

/// The `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap every namespace gets.
pub fn namespace_defaults(api: &mut ApiServer, trace: &mut Trace, ns: &str) {
    create(
        api,
        trace,
        "serviceaccounts",
        "",
        Some(ns),
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": ns}}),
    );
    create(
        api,
        trace,
        "configmaps",
        "",
        Some(ns),
        json!({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "kube-root-ca.crt", "namespace": ns, "annotations": {"kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."}},
            "data": {"ca.crt": CA_CERT}
        }),
    );
}

// ---- The default RBAC policy ---------------------------------------------------------------

/// The API group of RBAC.
pub const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// The controllers of kube-controller-manager that podlab's controllers stand for, or that a
/// kind in podlab's scope has. With `--use-service-account-credentials` (kubeadm sets it) each
/// runs as the ServiceAccount `kube-system/NAME`, bound to the ClusterRole
/// `system:controller:NAME` (controller_policy.go).
pub const CONTROLLERS: &[&str] = &[
    // The controllers podlab runs, in the order that names the right one first for their requests.
    "deployment-controller",
    "replicaset-controller",
    "endpointslice-controller",
    "endpoint-controller",
    "node-controller",
    "generic-garbage-collector",
    // The controllers of the other kinds in podlab's scope.
    "cronjob-controller",
    "daemon-set-controller",
    "job-controller",
    "namespace-controller",
    "root-ca-cert-publisher",
    "service-account-controller",
    "statefulset-controller",
    "persistent-volume-binder",
    "replication-controller",
];

const GET_LIST_WATCH: &[&str] = &["get", "list", "watch"];
const READ_WRITE: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];
const WRITE: &[&str] = &["create", "delete", "deletecollection", "patch", "update"];
const EVENT_VERBS: &[&str] = &["create", "patch", "update"];

/// A resource rule (`rbacv1helpers.NewRule(verbs...).Groups(...).Resources(...)`); the builder
/// sorts every list, and so are these written.
fn rule(verbs: &[&str], groups: &[&str], resources: &[&str]) -> Value {
    json!({"apiGroups": groups, "resources": resources, "verbs": verbs})
}

/// A resource rule limited to some object names.
fn named_rule(verbs: &[&str], groups: &[&str], resources: &[&str], names: &[&str]) -> Value {
    json!({"apiGroups": groups, "resourceNames": names, "resources": resources, "verbs": verbs})
}

/// A rule on non-resource URLs (`/healthz`).
fn url_rule(verbs: &[&str], urls: &[&str]) -> Value {
    json!({"nonResourceURLs": urls, "verbs": verbs})
}

/// `eventsRule()`: every controller may write events, in both event API groups.
fn events_rule() -> Value {
    rule(EVENT_VERBS, &["", "events.k8s.io"], &["events"])
}

/// The metadata every bootstrap role and binding carries.
fn bootstrap_metadata(name: &str, extra_labels: &[(&str, &str)]) -> Value {
    let mut labels = serde_json::Map::new();
    labels.insert("kubernetes.io/bootstrapping".into(), json!("rbac-defaults"));
    for (k, v) in extra_labels {
        labels.insert((*k).into(), json!(v));
    }
    json!({
        "name": name,
        "labels": labels,
        "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"}
    })
}

fn cluster_role(name: &str, labels: &[(&str, &str)], rules: Vec<Value>) -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": bootstrap_metadata(name, labels),
        "rules": rules
    })
}

/// A ClusterRole whose rules the clusterrole-aggregation controller fills from the roles its
/// selector matches (`admin`, `edit`, `view`).
fn aggregated_role(name: &str, labels: &[(&str, &str)], selects: &str, rules: Vec<Value>) -> Value {
    let mut role = cluster_role(name, labels, rules);
    role["aggregationRule"] = json!({"clusterRoleSelectors": [{"matchLabels": {selects: "true"}}]});
    role
}

/// Rules in the order the aggregation controller builds them: the selected roles sorted by name,
/// each rule once (pkg/controller/clusterroleaggregation).
fn aggregate(roles_by_name: &[Vec<Value>]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for rule in roles_by_name.iter().flatten() {
        if !out.contains(rule) {
            out.push(rule.clone());
        }
    }
    out
}

fn aggregate_to_admin() -> Vec<Value> {
    vec![
        rule(
            &["create"],
            &["authorization.k8s.io"],
            &["localsubjectaccessreviews"],
        ),
        rule(READ_WRITE, &[RBAC_GROUP], &["rolebindings", "roles"]),
    ]
}

fn aggregate_to_edit() -> Vec<Value> {
    let pod_parts = ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy"];
    let mut readable: Vec<&str> = pod_parts.to_vec();
    readable.extend(["secrets", "services/proxy"]);
    let mut pods: Vec<&str> = vec!["pods"];
    pods.extend(pod_parts);
    vec![
        rule(GET_LIST_WATCH, &[""], &readable),
        rule(&["impersonate"], &[""], &["serviceaccounts"]),
        rule(WRITE, &[""], &pods),
        rule(&["create"], &[""], &["pods/eviction"]),
        rule(
            WRITE,
            &[""],
            &[
                "configmaps",
                "events",
                "persistentvolumeclaims",
                "replicationcontrollers",
                "replicationcontrollers/scale",
                "secrets",
                "serviceaccounts",
                "services",
                "services/proxy",
            ],
        ),
        rule(&["create"], &[""], &["serviceaccounts/token"]),
        rule(
            WRITE,
            &["apps"],
            &[
                "daemonsets",
                "deployments",
                "deployments/rollback",
                "deployments/scale",
                "replicasets",
                "replicasets/scale",
                "statefulsets",
                "statefulsets/scale",
            ],
        ),
        rule(WRITE, &["autoscaling"], &["horizontalpodautoscalers"]),
        rule(WRITE, &["batch"], &["cronjobs", "jobs"]),
        rule(
            WRITE,
            &["extensions"],
            &[
                "daemonsets",
                "deployments",
                "deployments/rollback",
                "deployments/scale",
                "ingresses",
                "networkpolicies",
                "replicasets",
                "replicasets/scale",
                "replicationcontrollers/scale",
            ],
        ),
        rule(WRITE, &["policy"], &["poddisruptionbudgets"]),
        rule(
            WRITE,
            &["networking.k8s.io"],
            &["ingresses", "networkpolicies"],
        ),
        rule(READ_WRITE, &["coordination.k8s.io"], &["leases"]),
    ]
}

fn aggregate_to_view() -> Vec<Value> {
    vec![
        rule(
            GET_LIST_WATCH,
            &[""],
            &[
                "configmaps",
                "endpoints",
                "persistentvolumeclaims",
                "persistentvolumeclaims/status",
                "pods",
                "replicationcontrollers",
                "replicationcontrollers/scale",
                "serviceaccounts",
                "services",
                "services/status",
            ],
        ),
        rule(
            GET_LIST_WATCH,
            &[""],
            &[
                "bindings",
                "events",
                "limitranges",
                "namespaces/status",
                "pods/log",
                "pods/status",
                "replicationcontrollers/status",
                "resourcequotas",
                "resourcequotas/status",
            ],
        ),
        rule(GET_LIST_WATCH, &[""], &["namespaces"]),
        rule(GET_LIST_WATCH, &["discovery.k8s.io"], &["endpointslices"]),
        rule(
            GET_LIST_WATCH,
            &["apps"],
            &[
                "controllerrevisions",
                "daemonsets",
                "daemonsets/status",
                "deployments",
                "deployments/scale",
                "deployments/status",
                "replicasets",
                "replicasets/scale",
                "replicasets/status",
                "statefulsets",
                "statefulsets/scale",
                "statefulsets/status",
            ],
        ),
        rule(
            GET_LIST_WATCH,
            &["autoscaling"],
            &[
                "horizontalpodautoscalers",
                "horizontalpodautoscalers/status",
            ],
        ),
        rule(
            GET_LIST_WATCH,
            &["batch"],
            &["cronjobs", "cronjobs/status", "jobs", "jobs/status"],
        ),
        rule(
            GET_LIST_WATCH,
            &["extensions"],
            &[
                "daemonsets",
                "daemonsets/status",
                "deployments",
                "deployments/scale",
                "deployments/status",
                "ingresses",
                "ingresses/status",
                "networkpolicies",
                "replicasets",
                "replicasets/scale",
                "replicasets/status",
                "replicationcontrollers/scale",
            ],
        ),
        rule(
            GET_LIST_WATCH,
            &["policy"],
            &["poddisruptionbudgets", "poddisruptionbudgets/status"],
        ),
        rule(
            GET_LIST_WATCH,
            &["networking.k8s.io"],
            &["ingresses", "ingresses/status", "networkpolicies"],
        ),
    ]
}

/// The rules of `system:node`, which the Node authorizer also applies to every request of a
/// kubelet that it does not decide itself (bootstrappolicy.NodeRules).
pub fn node_rules() -> Vec<Value> {
    vec![
        rule(&["create"], &["authentication.k8s.io"], &["tokenreviews"]),
        rule(
            &["create"],
            &["authorization.k8s.io"],
            &["localsubjectaccessreviews", "subjectaccessreviews"],
        ),
        rule(GET_LIST_WATCH, &[""], &["services"]),
        rule(&["create", "get", "list", "watch"], &[""], &["nodes"]),
        rule(&["patch", "update"], &[""], &["nodes/status"]),
        rule(&["patch", "update"], &[""], &["nodes"]),
        rule(EVENT_VERBS, &[""], &["events"]),
        rule(GET_LIST_WATCH, &[""], &["pods"]),
        rule(&["create", "delete"], &[""], &["pods"]),
        rule(&["patch", "update"], &[""], &["pods/status"]),
        rule(&["create"], &[""], &["pods/eviction"]),
        rule(GET_LIST_WATCH, &[""], &["configmaps", "secrets"]),
        rule(
            &["get"],
            &[""],
            &["persistentvolumeclaims", "persistentvolumes"],
        ),
        rule(&["get"], &[""], &["endpoints"]),
        rule(
            &["create", "get", "list", "watch"],
            &["certificates.k8s.io"],
            &["certificatesigningrequests"],
        ),
        rule(
            &["create", "delete", "get", "patch", "update"],
            &["coordination.k8s.io"],
            &["leases"],
        ),
        rule(&["get"], &["storage.k8s.io"], &["volumeattachments"]),
        rule(&["create"], &[""], &["serviceaccounts/token"]),
        rule(
            &["get", "patch", "update"],
            &[""],
            &["persistentvolumeclaims/status"],
        ),
        rule(GET_LIST_WATCH, &["storage.k8s.io"], &["csidrivers"]),
        rule(
            &["create", "delete", "get", "patch", "update"],
            &["storage.k8s.io"],
            &["csinodes"],
        ),
        rule(GET_LIST_WATCH, &["node.k8s.io"], &["runtimeclasses"]),
    ]
}

fn kube_scheduler_rules() -> Vec<Value> {
    vec![
        events_rule(),
        rule(&["create"], &["coordination.k8s.io"], &["leases"]),
        named_rule(
            &["get", "update"],
            &["coordination.k8s.io"],
            &["leases"],
            &["kube-scheduler"],
        ),
        rule(GET_LIST_WATCH, &[""], &["nodes"]),
        rule(&["delete", "get", "list", "watch"], &[""], &["pods"]),
        rule(&["create"], &[""], &["bindings", "pods/binding"]),
        rule(&["patch", "update"], &[""], &["pods/status"]),
        rule(
            GET_LIST_WATCH,
            &[""],
            &["replicationcontrollers", "services"],
        ),
        rule(GET_LIST_WATCH, &["apps", "extensions"], &["replicasets"]),
        rule(GET_LIST_WATCH, &["apps"], &["statefulsets"]),
        rule(GET_LIST_WATCH, &["policy"], &["poddisruptionbudgets"]),
        rule(
            GET_LIST_WATCH,
            &[""],
            &["persistentvolumeclaims", "persistentvolumes"],
        ),
        rule(&["create"], &["authentication.k8s.io"], &["tokenreviews"]),
        rule(
            &["create"],
            &["authorization.k8s.io"],
            &["subjectaccessreviews"],
        ),
        rule(GET_LIST_WATCH, &["storage.k8s.io"], &["csinodes"]),
        rule(GET_LIST_WATCH, &["storage.k8s.io"], &["volumeattachments"]),
        rule(GET_LIST_WATCH, &[""], &["namespaces"]),
        rule(GET_LIST_WATCH, &["storage.k8s.io"], &["csidrivers"]),
        rule(
            GET_LIST_WATCH,
            &["storage.k8s.io"],
            &["csistoragecapacities"],
        ),
    ]
}

fn kube_controller_manager_rules() -> Vec<Value> {
    vec![
        events_rule(),
        rule(&["create"], &["coordination.k8s.io"], &["leases"]),
        named_rule(
            &["get", "update"],
            &["coordination.k8s.io"],
            &["leases"],
            &["kube-controller-manager"],
        ),
        rule(&["create"], &[""], &["secrets", "serviceaccounts"]),
        rule(&["delete"], &[""], &["secrets"]),
        rule(
            &["get"],
            &[""],
            &["configmaps", "namespaces", "secrets", "serviceaccounts"],
        ),
        rule(&["update"], &[""], &["secrets", "serviceaccounts"]),
        rule(&["create"], &["authentication.k8s.io"], &["tokenreviews"]),
        rule(
            &["create"],
            &["authorization.k8s.io"],
            &["subjectaccessreviews"],
        ),
        rule(&["list", "watch"], &["*"], &["*"]),
        rule(&["create"], &[""], &["serviceaccounts/token"]),
    ]
}

/// The rules of `system:controller:NAME` (controller_policy.go, testdata/controller-roles.yaml).
fn controller_rules(name: &str) -> Vec<Value> {
    let apps = &["apps", "extensions"];
    let mut rules = match name {
        "cronjob-controller" => vec![
            rule(
                &["get", "list", "update", "watch"],
                &["batch"],
                &["cronjobs"],
            ),
            rule(READ_WRITE_NO_COLLECTION, &["batch"], &["jobs"]),
            rule(&["update"], &["batch"], &["cronjobs/status"]),
            rule(&["update"], &["batch"], &["cronjobs/finalizers"]),
            rule(&["delete", "list", "watch"], &[""], &["pods"]),
        ],
        "daemon-set-controller" => vec![
            rule(GET_LIST_WATCH, apps, &["daemonsets"]),
            rule(&["update"], apps, &["daemonsets/status"]),
            rule(&["update"], apps, &["daemonsets/finalizers"]),
            rule(&["list", "watch"], &[""], &["nodes"]),
            rule(
                &["create", "delete", "list", "patch", "watch"],
                &[""],
                &["pods"],
            ),
            rule(&["create"], &[""], &["pods/binding"]),
            rule(
                READ_WRITE_NO_COLLECTION,
                &["apps"],
                &["controllerrevisions"],
            ),
        ],
        "deployment-controller" => vec![
            rule(&["get", "list", "update", "watch"], apps, &["deployments"]),
            rule(&["update"], apps, &["deployments/status"]),
            rule(&["update"], apps, &["deployments/finalizers"]),
            rule(READ_WRITE_NO_COLLECTION, apps, &["replicasets"]),
            rule(&["get", "list", "update", "watch"], &[""], &["pods"]),
        ],
        "endpoint-controller" => vec![
            rule(GET_LIST_WATCH, &[""], &["pods", "services"]),
            rule(
                &["create", "delete", "get", "list", "update", "watch"],
                &[""],
                &["endpoints"],
            ),
            rule(&["create"], &[""], &["endpoints/restricted"]),
        ],
        "endpointslice-controller" => vec![
            rule(GET_LIST_WATCH, &[""], &["nodes", "pods", "services"]),
            rule(&["update"], &[""], &["services/finalizers"]),
            rule(
                &["create", "delete", "get", "list", "update", "watch"],
                &["discovery.k8s.io"],
                &["endpointslices"],
            ),
        ],
        "generic-garbage-collector" => vec![rule(
            &["delete", "get", "list", "patch", "update", "watch"],
            &["*"],
            &["*"],
        )],
        "job-controller" => vec![
            rule(
                &["get", "list", "patch", "update", "watch"],
                &["batch"],
                &["jobs"],
            ),
            rule(&["update"], &["batch"], &["jobs/status"]),
            rule(&["update"], &["batch"], &["jobs/finalizers"]),
            rule(
                &["create", "delete", "list", "patch", "watch"],
                &[""],
                &["pods"],
            ),
        ],
        "namespace-controller" => {
            return vec![
                rule(&["delete", "get", "list", "watch"], &[""], &["namespaces"]),
                rule(
                    &["update"],
                    &[""],
                    &["namespaces/finalize", "namespaces/status"],
                ),
                rule(
                    &["delete", "deletecollection", "get", "list", "watch"],
                    &["*"],
                    &["*"],
                ),
            ]
        }
        "node-controller" => vec![
            rule(
                &["delete", "get", "list", "patch", "update", "watch"],
                &[""],
                &["nodes"],
            ),
            rule(&["patch", "update"], &[""], &["nodes/status"]),
            rule(&["patch", "update"], &[""], &["pods/status"]),
            rule(&["delete", "get", "list", "watch"], &[""], &["pods"]),
        ],
        "replicaset-controller" => vec![
            rule(&["get", "list", "update", "watch"], apps, &["replicasets"]),
            rule(&["update"], apps, &["replicasets/status"]),
            rule(&["update"], apps, &["replicasets/finalizers"]),
            rule(
                &["create", "delete", "list", "patch", "watch"],
                &[""],
                &["pods"],
            ),
        ],
        "root-ca-cert-publisher" => vec![rule(&["create", "update"], &[""], &["configmaps"])],
        "service-account-controller" => vec![rule(&["create"], &[""], &["serviceaccounts"])],
        "persistent-volume-binder" => vec![
            rule(
                &["create", "delete", "get", "list", "update", "watch"],
                &[""],
                &["persistentvolumes"],
            ),
            rule(&["update"], &[""], &["persistentvolumes/status"]),
            rule(
                &["get", "list", "update", "watch"],
                &[""],
                &["persistentvolumeclaims"],
            ),
            rule(&["update"], &[""], &["persistentvolumeclaims/status"]),
            rule(
                &["create", "delete", "get", "list", "watch"],
                &[""],
                &["pods"],
            ),
            rule(GET_LIST_WATCH, &["storage.k8s.io"], &["storageclasses"]),
            rule(&["list", "watch"], &[""], &["nodes"]),
            events_rule(),
            // recyclerClient.WatchPod, after eventsRule() in controller_policy.go.
            rule(&["watch"], &[""], &["events"]),
        ],
        "replication-controller" => vec![
            rule(
                &["get", "list", "update", "watch"],
                &[""],
                &["replicationcontrollers"],
            ),
            rule(&["update"], &[""], &["replicationcontrollers/status"]),
            rule(&["update"], &[""], &["replicationcontrollers/finalizers"]),
            rule(
                &["create", "delete", "list", "patch", "watch"],
                &[""],
                &["pods"],
            ),
        ],
        "statefulset-controller" => vec![
            rule(&["list", "watch"], &[""], &["pods"]),
            rule(GET_LIST_WATCH, &["apps"], &["statefulsets"]),
            rule(&["update"], &["apps"], &["statefulsets/status"]),
            rule(&["update"], &["apps"], &["statefulsets/finalizers"]),
            rule(
                &["create", "delete", "get", "patch", "update"],
                &[""],
                &["pods"],
            ),
            rule(
                READ_WRITE_NO_COLLECTION,
                &["apps"],
                &["controllerrevisions"],
            ),
            rule(
                &["create", "get", "list", "watch"],
                &[""],
                &["persistentvolumeclaims"],
            ),
            rule(&["delete", "update"], &[""], &["persistentvolumeclaims"]),
            rule(&["update"], &[""], &["pods/finalizers"]),
        ],
        _ => Vec::new(),
    };
    if !rules.contains(&events_rule()) {
        rules.push(events_rule());
    }
    rules
}

const READ_WRITE_NO_COLLECTION: &[&str] = &[
    "create", "delete", "get", "list", "patch", "update", "watch",
];

/// Every default ClusterRole, in name order (as `kubectl get clusterroles` lists them).
pub fn cluster_roles() -> Vec<Value> {
    let view = aggregate_to_view();
    let edit = aggregate(&[aggregate_to_edit(), view.clone()]);
    let admin = aggregate(&[edit.clone(), aggregate_to_admin()]);
    let to = |role: &'static str| [(role, "true")];
    let mut roles = vec![
        aggregated_role(
            "admin",
            &[],
            "rbac.authorization.k8s.io/aggregate-to-admin",
            admin,
        ),
        cluster_role(
            "cluster-admin",
            &[],
            vec![rule(&["*"], &["*"], &["*"]), url_rule(&["*"], &["*"])],
        ),
        aggregated_role(
            "edit",
            &to("rbac.authorization.k8s.io/aggregate-to-admin"),
            "rbac.authorization.k8s.io/aggregate-to-edit",
            edit,
        ),
        cluster_role(
            "system:aggregate-to-admin",
            &to("rbac.authorization.k8s.io/aggregate-to-admin"),
            aggregate_to_admin(),
        ),
        cluster_role(
            "system:aggregate-to-edit",
            &to("rbac.authorization.k8s.io/aggregate-to-edit"),
            aggregate_to_edit(),
        ),
        cluster_role(
            "system:aggregate-to-view",
            &to("rbac.authorization.k8s.io/aggregate-to-view"),
            view.clone(),
        ),
        cluster_role(
            "system:basic-user",
            &[],
            vec![
                rule(
                    &["create"],
                    &["authorization.k8s.io"],
                    &["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
                ),
                rule(
                    &["create"],
                    &["authentication.k8s.io"],
                    &["selfsubjectreviews"],
                ),
            ],
        ),
        cluster_role(
            "system:discovery",
            &[],
            vec![url_rule(
                &["get"],
                &[
                    "/api",
                    "/api/*",
                    "/apis",
                    "/apis/*",
                    "/healthz",
                    "/livez",
                    "/openapi",
                    "/openapi/*",
                    "/readyz",
                    "/version",
                    "/version/",
                ],
            )],
        ),
        cluster_role(
            "system:kube-controller-manager",
            &[],
            kube_controller_manager_rules(),
        ),
        cluster_role(
            "system:kube-dns",
            &[],
            vec![rule(&["list", "watch"], &[""], &["endpoints", "services"])],
        ),
        cluster_role("system:kube-scheduler", &[], kube_scheduler_rules()),
        cluster_role(
            "system:monitoring",
            &[],
            vec![url_rule(
                &["get"],
                &[
                    "/healthz",
                    "/healthz/*",
                    "/livez",
                    "/livez/*",
                    "/metrics",
                    "/metrics/slis",
                    "/readyz",
                    "/readyz/*",
                ],
            )],
        ),
        cluster_role("system:node", &[], node_rules()),
        cluster_role(
            "system:node-bootstrapper",
            &[],
            vec![rule(
                &["create", "get", "list", "watch"],
                &["certificates.k8s.io"],
                &["certificatesigningrequests"],
            )],
        ),
        cluster_role(
            "system:node-proxier",
            &[],
            vec![
                rule(&["list", "watch"], &[""], &["endpoints", "services"]),
                rule(GET_LIST_WATCH, &[""], &["nodes"]),
                events_rule(),
                rule(
                    &["list", "watch"],
                    &["discovery.k8s.io"],
                    &["endpointslices"],
                ),
            ],
        ),
        cluster_role(
            "system:public-info-viewer",
            &[],
            vec![url_rule(
                &["get"],
                &["/healthz", "/livez", "/readyz", "/version", "/version/"],
            )],
        ),
        cluster_role(
            "system:service-account-issuer-discovery",
            &[],
            vec![url_rule(
                &["get"],
                &["/.well-known/openid-configuration", "/openid/v1/jwks"],
            )],
        ),
        cluster_role(
            "system:volume-scheduler",
            &[],
            vec![
                rule(
                    &["get", "list", "patch", "update", "watch"],
                    &[""],
                    &["persistentvolumes"],
                ),
                rule(GET_LIST_WATCH, &["storage.k8s.io"], &["storageclasses"]),
                rule(
                    &["get", "list", "patch", "update", "watch"],
                    &[""],
                    &["persistentvolumeclaims"],
                ),
            ],
        ),
        aggregated_role(
            "view",
            &to("rbac.authorization.k8s.io/aggregate-to-edit"),
            "rbac.authorization.k8s.io/aggregate-to-view",
            view,
        ),
    ];
    for name in CONTROLLERS {
        roles.push(cluster_role(
            &format!("system:controller:{name}"),
            &[],
            controller_rules(name),
        ));
    }
    roles.push(coredns_role());
    roles.push(crate::ingress::cluster_role());
    roles
}

/// kubeadm's CoreDNS ClusterRole (cmd/kubeadm/app/phases/addons/dns/manifests.go).
fn coredns_role() -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": "system:coredns"},
        "rules": [
            rule(&["list", "watch"], &[""], &["endpoints", "services", "pods", "namespaces"]),
            rule(&["list", "watch"], &["discovery.k8s.io"], &["endpointslices"]),
        ]
    })
}

/// A binding subject: `User`/`Group` (in the RBAC group) or a `ServiceAccount` of `kube-system`.
fn subject(kind: &str, name: &str) -> Value {
    match kind {
        "ServiceAccount" => json!({"kind": kind, "name": name, "namespace": "kube-system"}),
        _ => json!({"apiGroup": RBAC_GROUP, "kind": kind, "name": name}),
    }
}

fn cluster_role_binding(name: &str, role: &str, subjects: &[(&str, &str)]) -> Value {
    let mut binding = json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": bootstrap_metadata(name, &[]),
        "roleRef": {"apiGroup": RBAC_GROUP, "kind": "ClusterRole", "name": role}
    });
    if !subjects.is_empty() {
        let list: Vec<Value> = subjects.iter().map(|(k, n)| subject(k, n)).collect();
        binding["subjects"] = Value::Array(list);
    }
    binding
}

/// Every default ClusterRoleBinding. `system:node` binds no one: kubelets are authorized by the
/// Node authorizer (with the same rules), not by RBAC.
pub fn cluster_role_bindings() -> Vec<Value> {
    let same = |name: &str, subjects: &[(&str, &str)]| cluster_role_binding(name, name, subjects);
    let mut bindings = vec![
        same("cluster-admin", &[("Group", "system:masters")]),
        same("system:basic-user", &[("Group", "system:authenticated")]),
        same("system:discovery", &[("Group", "system:authenticated")]),
        same(
            "system:kube-controller-manager",
            &[("User", "system:kube-controller-manager")],
        ),
        same("system:kube-dns", &[("ServiceAccount", "kube-dns")]),
        same(
            "system:kube-scheduler",
            &[("User", "system:kube-scheduler")],
        ),
        same("system:monitoring", &[("Group", "system:monitoring")]),
        same("system:node", &[]),
        same("system:node-proxier", &[("User", "system:kube-proxy")]),
        same(
            "system:public-info-viewer",
            &[
                ("Group", "system:authenticated"),
                ("Group", "system:unauthenticated"),
            ],
        ),
        same(
            "system:service-account-issuer-discovery",
            &[("Group", "system:serviceaccounts")],
        ),
        same(
            "system:volume-scheduler",
            &[("User", "system:kube-scheduler")],
        ),
    ];
    for name in CONTROLLERS {
        let role = format!("system:controller:{name}");
        bindings.push(cluster_role_binding(
            &role,
            &role,
            &[("ServiceAccount", name)],
        ));
    }
    let mut coredns = cluster_role_binding(
        "system:coredns",
        "system:coredns",
        &[("ServiceAccount", "coredns")],
    );
    coredns["metadata"] = json!({"name": "system:coredns"});
    bindings.push(coredns);
    bindings.push(crate::ingress::cluster_role_binding());
    bindings
}

/// A bootstrap Role of `namespace` (bootstrappolicy NamespaceRoles).
fn namespace_role(namespace: &str, name: &str, rules: Vec<Value>) -> Value {
    let mut metadata = bootstrap_metadata(name, &[]);
    metadata["namespace"] = json!(namespace);
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": metadata,
        "rules": rules
    })
}

/// The Roles the API server writes in `kube-system` and `kube-public` (leader election, the
/// authentication config map, bootstrap tokens; testdata/namespace-roles.yaml).
pub fn namespace_roles() -> Vec<Value> {
    let leader_locking = || {
        vec![
            rule(
                &["create", "get", "list", "update", "watch"],
                &["coordination.k8s.io"],
                &["leases"],
            ),
            rule(
                &["create", "get", "list", "update", "watch"],
                &["coordination.k8s.io"],
                &["leasecandidates"],
            ),
        ]
    };
    vec![
        namespace_role(
            "kube-public",
            "system:controller:bootstrap-signer",
            vec![
                rule(GET_LIST_WATCH, &[""], &["configmaps"]),
                named_rule(&["update"], &[""], &["configmaps"], &["cluster-info"]),
                events_rule(),
            ],
        ),
        namespace_role(
            "kube-system",
            "extension-apiserver-authentication-reader",
            vec![named_rule(
                GET_LIST_WATCH,
                &[""],
                &["configmaps"],
                &["extension-apiserver-authentication"],
            )],
        ),
        namespace_role(
            "kube-system",
            "system::leader-locking-kube-controller-manager",
            leader_locking(),
        ),
        namespace_role(
            "kube-system",
            "system::leader-locking-kube-scheduler",
            leader_locking(),
        ),
        namespace_role(
            "kube-system",
            "system:controller:bootstrap-signer",
            vec![rule(GET_LIST_WATCH, &[""], &["secrets"])],
        ),
        namespace_role(
            "kube-system",
            "system:controller:cloud-provider",
            vec![rule(
                &["create", "get", "list", "watch"],
                &[""],
                &["configmaps"],
            )],
        ),
        namespace_role(
            "kube-system",
            "system:controller:token-cleaner",
            vec![
                rule(&["delete", "get", "list", "watch"], &[""], &["secrets"]),
                events_rule(),
            ],
        ),
    ]
}

fn namespace_role_binding(
    namespace: &str,
    name: &str,
    role: &str,
    subjects: &[(&str, &str)],
) -> Value {
    let mut binding = cluster_role_binding(name, role, subjects);
    binding["kind"] = json!("RoleBinding");
    binding["metadata"]["namespace"] = json!(namespace);
    binding["roleRef"]["kind"] = json!("Role");
    binding
}

/// The RoleBindings of those Roles (testdata/namespace-role-bindings.yaml).
pub fn namespace_role_bindings() -> Vec<Value> {
    let signer = [("ServiceAccount", "bootstrap-signer")];
    vec![
        namespace_role_binding(
            "kube-public",
            "system:controller:bootstrap-signer",
            "system:controller:bootstrap-signer",
            &signer,
        ),
        namespace_role_binding(
            "kube-system",
            "system::extension-apiserver-authentication-reader",
            "extension-apiserver-authentication-reader",
            &[
                ("User", "system:kube-controller-manager"),
                ("User", "system:kube-scheduler"),
            ],
        ),
        namespace_role_binding(
            "kube-system",
            "system::leader-locking-kube-controller-manager",
            "system::leader-locking-kube-controller-manager",
            &[
                ("User", "system:kube-controller-manager"),
                ("ServiceAccount", "kube-controller-manager"),
                ("ServiceAccount", "leader-election-controller"),
            ],
        ),
        namespace_role_binding(
            "kube-system",
            "system::leader-locking-kube-scheduler",
            "system::leader-locking-kube-scheduler",
            &[
                ("User", "system:kube-scheduler"),
                ("ServiceAccount", "kube-scheduler"),
            ],
        ),
        namespace_role_binding(
            "kube-system",
            "system:controller:bootstrap-signer",
            "system:controller:bootstrap-signer",
            &signer,
        ),
        namespace_role_binding(
            "kube-system",
            "system:controller:cloud-provider",
            "system:controller:cloud-provider",
            &[("ServiceAccount", "cloud-provider")],
        ),
        namespace_role_binding(
            "kube-system",
            "system:controller:token-cleaner",
            "system:controller:token-cleaner",
            &[("ServiceAccount", "token-cleaner")],
        ),
    ]
}

/// kind's default StorageClass `standard` (kind: pkg/cluster/internal/create/actions/
/// installstorage, the rancher.io/local-path provisioner's class), which kind applies once the
/// control plane is up: `kubectl get sc` on a kind cluster shows `standard (default)
/// rancher.io/local-path Delete WaitForFirstConsumer false`. A bare control plane (the shared
/// fidelity cases' `podlab cluster empty`) has no StorageClass, so only the kind-like default
/// cluster should call this.
pub fn kind_default_storage_class(api: &mut ApiServer) {
    let mut trace = Trace::default();
    create(
        api,
        &mut trace,
        "storageclasses",
        "storage.k8s.io",
        None,
        json!({
            "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
            "metadata": {"name": "standard",
                "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
            "provisioner": "rancher.io/local-path",
            "reclaimPolicy": "Delete",
            "volumeBindingMode": "WaitForFirstConsumer",
        }),
    );
}

#[cfg(test)]
mod kind_storage_tests {
    use super::*;

    /// The class is valid and stored (create's debug assertion), and is the default class.
    #[test]
    fn kind_default_storage_class_is_stored() {
        let mut api = ApiServer::new(1);
        control_plane_objects(&mut api);
        kind_default_storage_class(&mut api);
    }
}
