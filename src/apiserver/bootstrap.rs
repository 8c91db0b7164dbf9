//! What a fresh control plane holds before anyone uses it: the four system namespaces, each with
//! its `default` ServiceAccount and `kube-root-ca.crt` ConfigMap (written by the serviceaccount and
//! root-ca-cert-publisher controllers), the `kubernetes` Service with the API server's endpoints,
//! and the `kube-dns` Service of the cluster DNS.

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
