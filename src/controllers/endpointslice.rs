//! The EndpointSlice controller (pkg/controller/endpointslice, staging/src/k8s.io/endpointslice):
//! for every Service with a selector, one slice `<service>-<random>` listing the selected pods that
//! have an IP and are not terminal, with `ready = serving && !terminating`.

use serde_json::{json, Value};

use super::queue::map_selects;
use crate::client::{grouped, Ctx, Informer};

pub const MANAGED_BY: &str = "endpointslice-controller.k8s.io";

use crate::unstructured::str_at;

/// Whether `slice` holds endpoints of `service`: the same namespace and the
/// `kubernetes.io/service-name` label (how kube-proxy, CoreDNS and the controller pair them).
pub fn serves(slice: &Value, service: &Value) -> bool {
    str_at(slice, "/metadata/namespace") == str_at(service, "/metadata/namespace")
        && str_at(slice, "/metadata/labels/kubernetes.io~1service-name")
            == str_at(service, "/metadata/name")
}

/// The addresses of a slice's endpoints whose `ready` condition is true.
pub fn ready_addresses(slice: &Value) -> impl Iterator<Item = &str> {
    slice
        .get("endpoints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|e| e.pointer("/conditions/ready").and_then(Value::as_bool) == Some(true))
        .filter_map(|e| e.pointer("/addresses/0").and_then(Value::as_str))
}

/// The pods a Service selects in its namespace: every label of its selector, with the same value
/// (a Service's selector is a plain map, `labels.SelectorFromSet`).
pub fn selected_pods<'a>(service: &Value, pods: &'a Informer) -> Vec<&'a Value> {
    let Some(selector) = service.pointer("/spec/selector").and_then(Value::as_object) else {
        return Vec::new();
    };
    let ns = str_at(service, "/metadata/namespace");
    pods.list()
        .filter(|p| str_at(p, "/metadata/namespace") == ns && map_selects(selector, p))
        .collect()
}

/// Whether the pod's Ready condition is True.
pub fn pod_ready(pod: &Value) -> bool {
    pod.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| str_at(c, "/type") == "Ready" && str_at(c, "/status") == "True")
}

/// ShouldSetHostname (staging/src/k8s.io/endpointslice/util/controller_utils.go): the pod's
/// `spec.hostname` names its endpoint when its `spec.subdomain` is the Service's name in the
/// same namespace (a StatefulSet's pods behind their governing Service).
pub fn endpoint_hostname<'a>(pod: &'a Value, service: &Value) -> Option<&'a str> {
    let hostname = str_at(pod, "/spec/hostname");
    (!hostname.is_empty()
        && str_at(pod, "/spec/subdomain") == str_at(service, "/metadata/name")
        && str_at(pod, "/metadata/namespace") == str_at(service, "/metadata/namespace"))
    .then_some(hostname)
}

/// One endpoint (podToEndpoint), or None for pods that cannot have one (no IP yet, or
/// terminal).
fn endpoint(pod: &Value, service: &Value, publish_not_ready: bool) -> Option<Value> {
    let ip = str_at(pod, "/status/podIP");
    if ip.is_empty() || matches!(str_at(pod, "/status/phase"), "Succeeded" | "Failed") {
        return None;
    }
    let serving = pod_ready(pod);
    let terminating = pod.pointer("/metadata/deletionTimestamp").is_some();
    let mut ep = json!({
        "addresses": [ip],
        "conditions": {"ready": publish_not_ready || (serving && !terminating), "serving": serving, "terminating": terminating},
        "nodeName": str_at(pod, "/spec/nodeName"),
        "targetRef": {"kind": "Pod", "name": str_at(pod, "/metadata/name"), "namespace": str_at(pod, "/metadata/namespace"), "uid": str_at(pod, "/metadata/uid")},
    });
    if let Some(hostname) = endpoint_hostname(pod, service) {
        ep["hostname"] = json!(hostname);
    }
    if let Some(zone) = pod.pointer("/metadata/labels/topology.kubernetes.io~1zone") {
        ep["zone"] = zone.clone();
    }
    Some(ep)
}

/// The container port a Service port targets on `pod` (podutil.FindPort): a number as it is, a
/// name looked up among the pod's container ports.
fn target_port(service_port: &Value, pod: &Value) -> Option<i64> {
    match service_port.get("targetPort") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(name)) => pod
            .pointer("/spec/containers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|c| {
                c.get("ports")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            })
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name.as_str()))
            .and_then(|p| p.get("containerPort").and_then(Value::as_i64)),
        _ => service_port.get("port").and_then(Value::as_i64),
    }
}

/// The slice's ports, resolved against a pod of the slice; none for a slice without endpoints
/// (the placeholder slice has `ports: null`).
fn slice_ports(service: &Value, pod: Option<&Value>) -> Value {
    let Some(pod) = pod else { return Value::Null };
    let ports: Vec<Value> = service
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let port = target_port(p, pod)?;
            Some(json!({"name": p.get("name").and_then(Value::as_str).unwrap_or_default(), "port": port, "protocol": p.get("protocol").cloned().unwrap_or(json!("TCP"))}))
        })
        .collect();
    Value::Array(ports)
}

/// Sync every Service (a full resync).
pub fn reconcile(services: &Informer, pods: &Informer, slices: &Informer, ctx: &mut Ctx) {
    let keys: Vec<String> = services.list().map(crate::client::key_of).collect();
    sync_services(&keys, services, pods, slices, ctx);
}

/// `syncService` for each queued Service key (the Services a pod or Service change concerns,
/// see [`super::queue::service_keys_for_pod`]), then the slices of Services gone.
pub fn sync_services(
    keys: &[String],
    services: &Informer,
    pods: &Informer,
    slices: &Informer,
    ctx: &mut Ctx,
) {
    for key in keys {
        if let Some(svc) = services.get(key) {
            sync_service(svc, pods, slices, ctx);
        }
    }
    delete_orphans(services, slices, ctx);
}

/// One Service's slice: created, or updated when its endpoints or ports differ.
fn sync_service(svc: &Value, pods: &Informer, slices: &Informer, ctx: &mut Ctx) {
    if svc.pointer("/spec/selector").is_none() {
        return;
    }
    let name = str_at(svc, "/metadata/name");
    let ns = str_at(svc, "/metadata/namespace");
    let publish = svc
        .pointer("/spec/publishNotReadyAddresses")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let members: Vec<&Value> = selected_pods(svc, pods)
        .into_iter()
        .filter(|p| endpoint(p, svc, publish).is_some())
        .collect();
    let mut endpoints: Vec<Value> = members
        .iter()
        .filter_map(|p| endpoint(p, svc, publish))
        .collect();
    endpoints.sort_by(|a, b| a["addresses"][0].as_str().cmp(&b["addresses"][0].as_str()));
    let existing = slices.list().find(|s| {
        serves(s, svc)
            && s.pointer("/metadata/labels/endpointslice.kubernetes.io~1managed-by")
                .and_then(Value::as_str)
                == Some(MANAGED_BY)
    });
    let ports = slice_ports(svc, members.first().copied());
    match existing {
        Some(slice) => {
            let same_endpoints = slice.get("endpoints").cloned().unwrap_or(json!(null))
                == endpoints_or_null(&endpoints);
            if same_endpoints && slice.get("ports") == Some(&ports) {
                return;
            }
            let mut updated = slice.clone();
            updated["endpoints"] = endpoints_or_null(&endpoints);
            updated["ports"] = ports;
            ctx.update(grouped("discovery.k8s.io", "endpointslices"), updated);
        }
        None => {
            let body = json!({
                "apiVersion": "discovery.k8s.io/v1",
                "kind": "EndpointSlice",
                "metadata": {
                    "generateName": format!("{name}-"),
                    "namespace": ns,
                    "labels": {"kubernetes.io/service-name": name, "endpointslice.kubernetes.io/managed-by": MANAGED_BY},
                    "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": name, "uid": str_at(svc, "/metadata/uid"), "controller": true, "blockOwnerDeletion": true}],
                },
                "addressType": "IPv4",
                "endpoints": endpoints_or_null(&endpoints),
                "ports": ports,
            });
            ctx.create(
                grouped("discovery.k8s.io", "endpointslices"),
                Some(ns),
                body,
            );
        }
    }
}

/// An empty slice has `endpoints: null`, as Go marshals a nil list.
fn endpoints_or_null(endpoints: &[Value]) -> Value {
    if endpoints.is_empty() {
        Value::Null
    } else {
        Value::Array(endpoints.to_vec())
    }
}

/// Slices whose Service is gone (the garbage collector would delete them through ownerReferences).
fn delete_orphans(services: &Informer, slices: &Informer, ctx: &mut Ctx) {
    let orphans: Vec<(String, String)> = slices
        .list()
        .filter(|s| {
            s.pointer("/metadata/labels/endpointslice.kubernetes.io~1managed-by")
                .and_then(Value::as_str)
                == Some(MANAGED_BY)
        })
        .filter(|s| {
            let key = format!(
                "{}/{}",
                str_at(s, "/metadata/namespace"),
                str_at(s, "/metadata/labels/kubernetes.io~1service-name")
            );
            services.get(&key).is_none()
        })
        .map(|s| {
            (
                str_at(s, "/metadata/namespace").to_string(),
                str_at(s, "/metadata/name").to_string(),
            )
        })
        .collect();
    for (ns, name) in orphans {
        ctx.delete(
            grouped("discovery.k8s.io", "endpointslices"),
            Some(&ns),
            &name,
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn web_0(subdomain: &str) -> Value {
        json!({
            "metadata": {"name": "web-0", "namespace": "default", "uid": "u0"},
            "spec": {"hostname": "web-0", "subdomain": subdomain, "nodeName": "kind-worker"},
            "status": {"podIP": "10.244.1.5", "phase": "Running",
                "conditions": [{"type": "Ready", "status": "True"}]},
        })
    }

    /// podToEndpoint: the hostname only when the pod's subdomain is the Service.
    #[test]
    fn a_pod_in_the_services_subdomain_names_its_endpoint() {
        let nginx = json!({"metadata": {"name": "nginx", "namespace": "default"}});
        let ep = endpoint(&web_0("nginx"), &nginx, false).unwrap_or_default();
        assert_eq!(ep["hostname"], "web-0");
        assert_eq!(ep["conditions"]["ready"], true);
        let other = endpoint(&web_0("other"), &nginx, false).unwrap_or_default();
        assert!(other.get("hostname").is_none());
        let elsewhere = json!({"metadata": {"name": "nginx", "namespace": "prod"}});
        assert_eq!(endpoint_hostname(&web_0("nginx"), &elsewhere), None);
    }
}
