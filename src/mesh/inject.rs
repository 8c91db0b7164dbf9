//! Istio's sidecar injector: the mutating admission webhook istiod serves at `/inject`, and the
//! MutatingWebhookConfiguration `istioctl install` registers for it.
//!
//! What a pod gets is what the default `sidecar` template renders
//! (manifests/charts/istio-control/istio-discovery/files/injection-template.yaml) on a v1.36
//! cluster, where istiod's `ENABLE_NATIVE_SIDECARS=auto` finds kubelets of 1.33 or newer
//! (pkg/kube/inject/webhook.go DetectNativeSidecar) and injects `istio-proxy` as a native
//! sidecar: an init container with `restartPolicy: Always`, after `istio-init` (which writes the
//! pod's iptables redirect and exits). So READY counts it (2/2 for one app container), the kubelet
//! starts it before the app containers, and stops it after them.
//!
//! Left out of the template: the rewrite of the app's HTTP probes to pilot-agent
//! (`rewriteAppHTTPProbe`), the `PROXY_CONFIG` and OpenTelemetry variables, and every optional
//! annotation-driven branch (interception mode, custom images, user volumes, resources).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::NAMESPACE;
use crate::dns::CLUSTER_DOMAIN;
use crate::unstructured::str_at;

/// The Istio release whose proxy image the injector names (podlab's choice of a recent one).
pub const ISTIO_VERSION: &str = "1.31.0";

/// The MutatingWebhookConfiguration of the default revision.
pub const WEBHOOK_CONFIGURATION: &str = "istio-sidecar-injector";

/// Where the webhook is served: the `istiod` Service in istio-system, path `/inject`, port 443.
pub const SERVICE: &str = "istiod";
pub const PATH: &str = "/inject";

/// The annotation that marks a pod injected, and lists what was added
/// (pkg/kube/inject/webhook.go getInjectionStatus; `sidecar.istio.io/status`).
pub const STATUS_ANNOTATION: &str = "sidecar.istio.io/status";

/// The ConfigMap istiod writes into every namespace with the mesh's root certificate
/// (pilot/pkg/serviceregistry/kube/controller/namespacecontroller.go, `istio-ca-root-cert`), which
/// the injected `istiod-ca-cert` volume mounts.
pub const ROOT_CERT_CONFIG_MAP: &str = "istio-ca-root-cert";

/// Namespaces the injector never touches (pkg/kube/inject/initializer.go IgnoredNamespaces);
/// istiod's namespace controller skips them too, except kube-system.
pub const IGNORED_NAMESPACES: [&str; 4] = [
    "kube-system",
    "kube-public",
    "kube-node-lease",
    "local-path-storage",
];

/// `docker.io/istio/proxyv2:TAG`, the image of both injected containers.
pub fn proxy_image() -> String {
    format!("docker.io/istio/proxyv2:{ISTIO_VERSION}")
}

/// Whether a pod has been through the injector (it carries the status annotation).
pub fn is_injected(pod: &Value) -> bool {
    pod.pointer("/metadata/annotations")
        .and_then(|a| a.get(STATUS_ANNOTATION))
        .is_some()
}

/// One webhook of the configuration: the shared core (`core` in templates/mutatingwebhook.yaml)
/// with its prefix and selectors.
fn webhook(prefix: &str, namespace_selector: Value, object_selector: Value) -> Value {
    json!({
        "name": format!("{prefix}sidecar-injector.istio.io"),
        "clientConfig": {"service": {"name": SERVICE, "namespace": NAMESPACE, "path": PATH, "port": 443}},
        "sideEffects": "None",
        "rules": [{"operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"]}],
        "failurePolicy": "Fail",
        "reinvocationPolicy": "Never",
        "admissionReviewVersions": ["v1"],
        "namespaceSelector": namespace_selector,
        "objectSelector": object_selector,
    })
}

fn expression(key: &str, operator: &str, values: &[&str]) -> Value {
    if values.is_empty() {
        json!({"key": key, "operator": operator})
    } else {
        json!({"key": key, "operator": operator, "values": values})
    }
}

fn expressions(list: Vec<Value>) -> Value {
    json!({ "matchExpressions": list })
}

/// The MutatingWebhookConfiguration of the default revision, with its four webhooks: a
/// namespace or a pod choosing the `default` revision (`istio.io/rev`), a namespace labelled
/// `istio-injection=enabled`, and a pod labelled `sidecar.istio.io/inject: "true"` in an
/// unlabelled namespace.
pub fn webhook_configuration() -> Value {
    let not_disabled = || expression("sidecar.istio.io/inject", "NotIn", &["false"]);
    json!({
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "MutatingWebhookConfiguration",
        "metadata": {
            "name": WEBHOOK_CONFIGURATION,
            "labels": {"app": "sidecar-injector", "istio.io/rev": "default", "app.kubernetes.io/name": "istiod"}
        },
        "webhooks": [
            webhook(
                "rev.namespace.",
                expressions(vec![
                    expression("istio.io/rev", "In", &["default"]),
                    expression("istio-injection", "DoesNotExist", &[]),
                ]),
                expressions(vec![not_disabled()]),
            ),
            webhook(
                "rev.object.",
                expressions(vec![
                    expression("istio.io/rev", "DoesNotExist", &[]),
                    expression("istio-injection", "DoesNotExist", &[]),
                ]),
                expressions(vec![not_disabled(), expression("istio.io/rev", "In", &["default"])]),
            ),
            webhook(
                "namespace.",
                expressions(vec![expression("istio-injection", "In", &["enabled"])]),
                expressions(vec![not_disabled()]),
            ),
            webhook(
                "object.",
                expressions(vec![
                    expression("istio-injection", "DoesNotExist", &[]),
                    expression("istio.io/rev", "DoesNotExist", &[]),
                ]),
                expressions(vec![
                    expression("sidecar.istio.io/inject", "In", &["true"]),
                    expression("istio.io/rev", "DoesNotExist", &[]),
                ]),
            ),
        ]
    })
}

/// The root-certificate ConfigMap istiod keeps in `namespace`.
pub fn root_cert_config_map(namespace: &str) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": ROOT_CERT_CONFIG_MAP, "namespace": namespace, "labels": {"istio.io/config": "true"}},
        "data": {"root-cert.pem": "-----BEGIN CERTIFICATE-----\n(podlab: the mesh's self-signed root)\n-----END CERTIFICATE-----\n"}
    })
}

/// injectRequired (pkg/kube/inject/inject.go), past the webhook's selectors: never for a
/// host-network pod, an ignored namespace or an injected pod, nor when the pod says `false`.
pub fn injection_required(pod: &Value) -> bool {
    let label = str_at(pod, "/metadata/labels/sidecar.istio.io~1inject");
    let annotation = str_at(pod, "/metadata/annotations/sidecar.istio.io~1inject");
    let namespace = str_at(pod, "/metadata/namespace");
    !(pod.pointer("/spec/hostNetwork") == Some(&Value::Bool(true))
        || IGNORED_NAMESPACES.contains(&namespace)
        || is_injected(pod)
        || label == "false"
        || annotation == "false")
}

/// The workload a pod belongs to (GetDeployMetaFromPod): a ReplicaSet's pod belongs to the
/// Deployment named by the ReplicaSet less its pod-template-hash; another controller's pod to
/// that controller; a pod alone to itself (its generateName less the trailing dash when it has
/// no name yet). Returns (kind, apiVersion, name).
fn workload_of(pod: &Value) -> (String, String, String) {
    let controller = pod
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|o| o.get("controller") == Some(&Value::Bool(true)));
    if let Some(owner) = controller {
        let name = str_at(owner, "/name");
        let hash = str_at(pod, "/metadata/labels/pod-template-hash");
        if str_at(owner, "/kind") == "ReplicaSet" && !hash.is_empty() {
            if let Some(deployment) = name.strip_suffix(&format!("-{hash}")) {
                return ("Deployment".into(), "apps/v1".into(), deployment.into());
            }
        }
        return (
            str_at(owner, "/kind").into(),
            str_at(owner, "/apiVersion").into(),
            name.into(),
        );
    }
    let name = match str_at(pod, "/metadata/name") {
        "" => str_at(pod, "/metadata/generateName")
            .trim_end_matches('-')
            .to_string(),
        name => name.to_string(),
    };
    ("Pod".into(), "v1".into(), name)
}

/// The names of the pod's own containers (all but an `istio-proxy` of its own).
fn app_containers(pod: &Value) -> Vec<String> {
    pod.pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| str_at(c, "/name").to_string())
        .filter(|n| n != "istio-proxy")
        .collect()
}

/// The sidecar's resources (values.yaml `global.proxy.resources`), on both injected containers.
fn proxy_resources() -> Value {
    json!({"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "2", "memory": "1Gi"}})
}

/// `istio-init`: installs the pod's iptables redirect (outbound to 15001, inbound to 15006,
/// excluding the proxy's own user 1337) and exits.
fn istio_init() -> Value {
    json!({
        "name": "istio-init",
        "image": proxy_image(),
        "args": [
            "istio-iptables", "-p", "15001", "-z", "15006", "-u", "1337", "-m", "REDIRECT",
            "-i", "*", "-x", "", "-b", "*", "-d", "15090,15021,15020", "--log_output_level=default:info"
        ],
        "resources": proxy_resources(),
        "securityContext": {
            "allowPrivilegeEscalation": false,
            "privileged": false,
            "capabilities": {"add": ["NET_ADMIN", "NET_RAW"], "drop": ["ALL"]},
            "readOnlyRootFilesystem": false,
            "runAsGroup": 0,
            "runAsNonRoot": false,
            "runAsUser": 0
        }
    })
}

fn field_env(name: &str, path: &str) -> Value {
    json!({"name": name, "valueFrom": {"fieldRef": {"fieldPath": path}}})
}

fn resource_env(name: &str, resource: &str) -> Value {
    json!({"name": name, "valueFrom": {"resourceFieldRef": {"resource": resource, "divisor": "1"}}})
}

/// A ContainerPort as Go's encoding/json writes it: the struct's field order (name, hostPort,
/// containerPort, protocol, hostIP), empty fields left out.
fn go_container_port_json(port: &Value) -> String {
    let fields: Vec<String> = ["name", "hostPort", "containerPort", "protocol", "hostIP"]
        .iter()
        .filter_map(|f| port.get(*f).map(|v| format!("\"{f}\":{v}")))
        .collect();
    format!("{{{}}}", fields.join(","))
}

/// The `ISTIO_META_POD_PORTS` value: every app container's ports, one JSON object a line.
fn pod_ports(pod: &Value) -> String {
    let ports: Vec<String> = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|c| {
            c.get("ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .map(go_container_port_json)
        .collect();
    if ports.is_empty() {
        "[\n]".to_string()
    } else {
        format!("[\n{}\n]", ports.join("\n,"))
    }
}

/// `istio-proxy`: pilot-agent and Envoy, as a native sidecar. Ready once Envoy answers
/// `/healthz/ready` on 15021; its preStop asks pilot-agent to start draining.
fn istio_proxy(pod: &Value, workload: &(String, String, String)) -> Value {
    let namespace = str_at(pod, "/metadata/namespace");
    let (kind, api_version, name) = workload;
    let mut env = vec![
        json!({"name": "PILOT_CERT_PROVIDER", "value": "istiod"}),
        json!({"name": "CA_ADDR", "value": format!("istiod.{NAMESPACE}.svc:15012")}),
        field_env("POD_NAME", "metadata.name"),
        field_env("POD_NAMESPACE", "metadata.namespace"),
        field_env("INSTANCE_IP", "status.podIP"),
        field_env("SERVICE_ACCOUNT", "spec.serviceAccountName"),
        field_env("HOST_IP", "status.hostIP"),
        resource_env("ISTIO_CPU_LIMIT", "limits.cpu"),
        json!({"name": "ISTIO_META_POD_PORTS", "value": pod_ports(pod)}),
        json!({"name": "ISTIO_META_APP_CONTAINERS", "value": app_containers(pod).join(",")}),
        resource_env("GOMEMLIMIT", "limits.memory"),
        json!({"name": "ISTIO_META_CLUSTER_ID", "value": "Kubernetes"}),
        field_env("ISTIO_META_NODE_NAME", "spec.nodeName"),
        json!({"name": "ISTIO_META_INTERCEPTION_MODE", "value": "REDIRECT"}),
        json!({"name": "ISTIO_META_WORKLOAD_NAME", "value": name}),
    ];
    if kind != "Pod" {
        env.push(json!({
            "name": "ISTIO_META_OWNER",
            "value": format!("kubernetes://apis/{api_version}/namespaces/{namespace}/{}s/{name}", kind.to_lowercase())
        }));
    }
    env.push(json!({"name": "ISTIO_META_MESH_ID", "value": CLUSTER_DOMAIN}));
    env.push(json!({"name": "TRUST_DOMAIN", "value": CLUSTER_DOMAIN}));
    let health = json!({"path": "/healthz/ready", "port": 15021});
    json!({
        "name": "istio-proxy",
        "image": proxy_image(),
        "restartPolicy": "Always",
        "ports": [{"containerPort": 15090, "protocol": "TCP", "name": "http-envoy-prom"}],
        "args": [
            "proxy", "sidecar", "--domain", format!("$(POD_NAMESPACE).svc.{CLUSTER_DOMAIN}"),
            "--proxyLogLevel=warning", "--proxyComponentLogLevel=misc:error", "--log_output_level=default:info"
        ],
        "lifecycle": {"preStop": {"exec": {"command": [
            "pilot-agent", "request", "--debug-port=15020", "POST", "drain"
        ]}}},
        "env": env,
        "startupProbe": {"httpGet": health, "initialDelaySeconds": 0, "periodSeconds": 1, "timeoutSeconds": 3, "failureThreshold": 600},
        "readinessProbe": {"httpGet": health, "initialDelaySeconds": 0, "periodSeconds": 15, "timeoutSeconds": 3, "failureThreshold": 4},
        "securityContext": {
            "allowPrivilegeEscalation": false,
            "capabilities": {"drop": ["ALL"]},
            "privileged": false,
            "readOnlyRootFilesystem": true,
            "runAsNonRoot": true,
            "runAsUser": 1337,
            "runAsGroup": 1337
        },
        "resources": proxy_resources(),
        "volumeMounts": [
            {"name": "workload-socket", "mountPath": "/var/run/secrets/workload-spiffe-uds"},
            {"name": "credential-socket", "mountPath": "/var/run/secrets/credential-uds"},
            {"name": "workload-certs", "mountPath": "/var/run/secrets/workload-spiffe-credentials"},
            {"name": "istiod-ca-cert", "mountPath": "/var/run/secrets/istio"},
            {"name": "istio-ca-crl", "mountPath": "/var/run/secrets/istio/crl"},
            {"name": "istio-data", "mountPath": "/var/lib/istio/data"},
            {"name": "istio-envoy", "mountPath": "/etc/istio/proxy"},
            {"name": "istio-token", "mountPath": "/var/run/secrets/tokens"},
            {"name": "istio-podinfo", "mountPath": "/etc/istio/pod"}
        ]
    })
}

/// The template's volumes, in its order.
fn volumes() -> Vec<Value> {
    vec![
        json!({"name": "workload-socket", "emptyDir": {}}),
        json!({"name": "credential-socket", "emptyDir": {}}),
        json!({"name": "workload-certs", "emptyDir": {}}),
        json!({"name": "istio-envoy", "emptyDir": {"medium": "Memory"}}),
        json!({"name": "istio-data", "emptyDir": {}}),
        json!({"name": "istio-podinfo", "downwardAPI": {"items": [
            {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
            {"path": "annotations", "fieldRef": {"fieldPath": "metadata.annotations"}}
        ]}}),
        json!({"name": "istio-token", "projected": {"sources": [
            {"serviceAccountToken": {"path": "istio-token", "expirationSeconds": 43200, "audience": "istio-ca"}}
        ]}}),
        json!({"name": "istiod-ca-cert", "configMap": {"name": ROOT_CERT_CONFIG_MAP}}),
        json!({"name": "istio-ca-crl", "configMap": {"name": "istio-ca-crl", "optional": true}}),
    ]
}

/// getInjectionStatus: the names the template added, as Go's json.Marshal writes them (an
/// empty list is `null`).
fn injection_status(init: &[&Value], volumes: &[Value]) -> String {
    let names = |list: &[&Value]| -> Value {
        if list.is_empty() {
            Value::Null
        } else {
            Value::from(
                list.iter()
                    .map(|c| str_at(c, "/name").to_string())
                    .collect::<Vec<_>>(),
            )
        }
    };
    let volume_refs: Vec<&Value> = volumes.iter().collect();
    format!(
        "{{\"initContainers\":{},\"containers\":null,\"volumes\":{},\"imagePullSecrets\":null,\"revision\":\"default\"}}",
        names(init),
        names(&volume_refs)
    )
}

fn string_map(obj: &mut Value, field: &str) -> Option<serde_json::Map<String, Value>> {
    let meta = obj.get_mut("metadata")?.as_object_mut()?;
    let entry = meta
        .entry(field.to_string())
        .or_insert_with(|| Value::Object(Default::default()));
    if !entry.is_object() {
        *entry = Value::Object(Default::default());
    }
    entry.as_object().cloned()
}

/// The webhook's answer to an AdmissionReview of a pod: injected when injection is required,
/// else unchanged (an empty patch).
pub fn webhook_response(pod: &Value) -> Value {
    if injection_required(pod) {
        inject(pod)
    } else {
        pod.clone()
    }
}

/// What the injector returns for `pod`: the pod with the template applied (the webhook answers
/// with the JSON patch between the two). The labels, annotations, init containers and volumes
/// the template adds are appended; the pod's own are kept.
pub fn inject(pod: &Value) -> Value {
    let mut out = pod.clone();
    let workload = workload_of(pod);
    let apps = app_containers(pod);
    let labels_in = crate::apiserver::selectors::labels_of(pod);
    let label_or = |keys: &[&str], fallback: &str| -> String {
        keys.iter()
            .find_map(|k| labels_in.get(*k).filter(|v| !v.is_empty()).cloned())
            .unwrap_or_else(|| fallback.to_string())
    };
    let mut added_labels: BTreeMap<&str, String> = BTreeMap::new();
    added_labels.insert(
        "security.istio.io/tlsMode",
        label_or(&["security.istio.io/tlsMode"], "istio"),
    );
    added_labels.insert(
        "service.istio.io/canonical-name",
        label_or(
            &[
                "service.istio.io/canonical-name",
                "app.kubernetes.io/name",
                "app",
            ],
            &workload.2,
        ),
    );
    added_labels.insert(
        "service.istio.io/canonical-revision",
        label_or(
            &[
                "service.istio.io/canonical-revision",
                "app.kubernetes.io/version",
                "version",
            ],
            "latest",
        ),
    );
    if let Some(mut labels) = string_map(&mut out, "labels") {
        for (k, v) in added_labels {
            labels.insert(k.to_string(), Value::from(v));
        }
        out["metadata"]["labels"] = Value::Object(labels);
    }
    let init = istio_init();
    let proxy = istio_proxy(pod, &workload);
    let volumes = volumes();
    if let Some(mut annotations) = string_map(&mut out, "annotations") {
        annotations.insert("istio.io/rev".into(), Value::from("default"));
        if let Some(first) = apps.first() {
            for key in [
                "kubectl.kubernetes.io/default-logs-container",
                "kubectl.kubernetes.io/default-container",
            ] {
                annotations
                    .entry(key.to_string())
                    .or_insert_with(|| Value::from(first.clone()));
            }
        }
        annotations.insert(
            STATUS_ANNOTATION.into(),
            Value::from(injection_status(&[&init, &proxy], &volumes)),
        );
        out["metadata"]["annotations"] = Value::Object(annotations);
    }
    if let Some(spec) = out.get_mut("spec").and_then(Value::as_object_mut) {
        let mut inits = spec
            .get("initContainers")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        inits.extend([init, proxy]);
        spec.insert("initContainers".into(), Value::from(inits));
        let mut all = spec
            .get("volumes")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        all.extend(volumes);
        spec.insert("volumes".into(), Value::from(all));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(labels: Value) -> Value {
        json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default", "labels": labels},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}
        })
    }

    #[test]
    fn the_proxy_is_a_native_sidecar_after_istio_init() {
        let out = inject(&pod(
            json!({"app": "web", "sidecar.istio.io/inject": "true"}),
        ));
        let inits: Vec<&str> = out["spec"]["initContainers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| str_at(c, "/name"))
            .collect();
        assert_eq!(inits, ["istio-init", "istio-proxy"]);
        assert_eq!(
            str_at(&out, "/spec/initContainers/1/restartPolicy"),
            "Always"
        );
        assert_eq!(str_at(&out, "/spec/initContainers/0/restartPolicy"), "");
        // The app containers are untouched.
        assert_eq!(
            out["spec"]["containers"],
            pod(json!({}))["spec"]["containers"]
        );
        assert_eq!(
            str_at(&out, "/metadata/labels/service.istio.io~1canonical-name"),
            "web"
        );
        assert_eq!(
            str_at(
                &out,
                "/metadata/annotations/kubectl.kubernetes.io~1default-container"
            ),
            "nginx"
        );
        assert_eq!(
            str_at(&out, "/metadata/annotations/sidecar.istio.io~1status"),
            "{\"initContainers\":[\"istio-init\",\"istio-proxy\"],\"containers\":null,\"volumes\":[\"workload-socket\",\"credential-socket\",\"workload-certs\",\"istio-envoy\",\"istio-data\",\"istio-podinfo\",\"istio-token\",\"istiod-ca-cert\",\"istio-ca-crl\"],\"imagePullSecrets\":null,\"revision\":\"default\"}"
        );
        assert!(is_injected(&out));
        assert!(!injection_required(&out), "never injected twice");
    }

    #[test]
    fn a_deployments_pod_names_its_deployment() {
        let mut p = pod(json!({"pod-template-hash": "5d8f9c7b6d"}));
        p["metadata"]["ownerReferences"] = json!([
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-5d8f9c7b6d", "uid": "u", "controller": true}
        ]);
        let out = inject(&p);
        let env = out["spec"]["initContainers"][1]["env"].as_array().unwrap();
        let value = |n: &str| {
            env.iter()
                .find(|e| str_at(e, "/name") == n)
                .map(|e| str_at(e, "/value").to_string())
        };
        assert_eq!(value("ISTIO_META_WORKLOAD_NAME").as_deref(), Some("web"));
        assert_eq!(
            value("ISTIO_META_OWNER").as_deref(),
            Some("kubernetes://apis/apps/v1/namespaces/default/deployments/web")
        );
        assert_eq!(
            str_at(&out, "/metadata/labels/service.istio.io~1canonical-name"),
            "web"
        );
    }

    #[test]
    fn opting_out_host_network_and_system_namespaces_are_not_injected() {
        assert!(injection_required(&pod(json!({}))));
        assert!(!injection_required(&pod(
            json!({"sidecar.istio.io/inject": "false"})
        )));
        let mut host = pod(json!({}));
        host["spec"]["hostNetwork"] = json!(true);
        assert!(!injection_required(&host));
        let mut system = pod(json!({}));
        system["metadata"]["namespace"] = json!("kube-system");
        assert!(!injection_required(&system));
    }
}
