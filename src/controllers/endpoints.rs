//! The Endpoints controller (pkg/controller/endpoint): the deprecated v1 Endpoints object of each
//! selecting Service, with ready addresses and notReadyAddresses.

use serde_json::{json, Value};

use super::endpointslice::{endpoint_hostname, pod_ready, selected_pods};
use crate::client::{core, Ctx, Informer};

use crate::unstructured::str_at;

/// podToEndpointAddressForService (pkg/controller/endpoint/endpoints_controller.go): the pod's
/// IP, node and reference, and its hostname when ShouldSetHostname says so.
fn address(pod: &Value, svc: &Value) -> Value {
    let mut address = json!({
        "ip": str_at(pod, "/status/podIP"),
        "nodeName": str_at(pod, "/spec/nodeName"),
        "targetRef": {"kind": "Pod", "name": str_at(pod, "/metadata/name"), "namespace": str_at(pod, "/metadata/namespace"), "uid": str_at(pod, "/metadata/uid")},
    });
    if let Some(hostname) = endpoint_hostname(pod, svc) {
        address["hostname"] = json!(hostname);
    }
    address
}

/// The subsets of a Service's Endpoints (empty when no pod has an IP).
fn subsets(svc: &Value, pods: &Informer) -> Value {
    let mut ready = Vec::new();
    let mut not_ready = Vec::new();
    let selected = selected_pods(svc, pods);
    for &pod in &selected {
        if str_at(pod, "/status/podIP").is_empty()
            || pod.pointer("/metadata/deletionTimestamp").is_some()
        {
            continue;
        }
        if pod_ready(pod) {
            ready.push(address(pod, svc));
        } else {
            not_ready.push(address(pod, svc));
        }
    }
    if ready.is_empty() && not_ready.is_empty() {
        return Value::Null;
    }
    let ports: Vec<Value> = svc
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| {
            let first = selected.iter().copied().find(|p| !str_at(p, "/status/podIP").is_empty());
            let target = match (p.get("targetPort"), first) {
                (Some(Value::String(name)), Some(pod)) => pod
                    .pointer("/spec/containers")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .flat_map(|c| c.get("ports").and_then(Value::as_array).cloned().unwrap_or_default())
                    .find(|cp| cp.get("name").and_then(Value::as_str) == Some(name.as_str()))
                    .and_then(|cp| cp.get("containerPort").and_then(Value::as_i64)),
                (Some(t), _) => t.as_i64(),
                (None, _) => p.get("port").and_then(Value::as_i64),
            };
            let mut port = json!({"port": target, "protocol": p.get("protocol").cloned().unwrap_or(json!("TCP"))});
            if let Some(n) = p.get("name").and_then(Value::as_str).filter(|n| !n.is_empty()) {
                port["name"] = json!(n);
            }
            port
        })
        .collect();
    let mut subset = json!({"ports": ports});
    if !ready.is_empty() {
        subset["addresses"] = Value::Array(ready);
    }
    if !not_ready.is_empty() {
        subset["notReadyAddresses"] = Value::Array(not_ready);
    }
    json!([subset])
}

/// Sync every Service (a full resync).
pub fn reconcile(services: &Informer, pods: &Informer, endpoints: &Informer, ctx: &mut Ctx) {
    let keys: Vec<String> = services.list().map(crate::client::key_of).collect();
    sync_services(&keys, services, pods, endpoints, ctx);
}

/// `syncService` for each queued Service key (the Services a pod or Service change concerns,
/// see [`super::queue::service_keys_for_pod`]).
pub fn sync_services(
    keys: &[String],
    services: &Informer,
    pods: &Informer,
    endpoints: &Informer,
    ctx: &mut Ctx,
) {
    for key in keys {
        if let Some(svc) = services.get(key) {
            sync_service(svc, pods, endpoints, ctx);
        }
    }
}

/// One Service's Endpoints: created, or updated when its subsets differ.
fn sync_service(svc: &Value, pods: &Informer, endpoints: &Informer, ctx: &mut Ctx) {
    if svc.pointer("/spec/selector").is_none() {
        return;
    }
    let (ns, name) = (
        str_at(svc, "/metadata/namespace"),
        str_at(svc, "/metadata/name"),
    );
    let want = subsets(svc, pods);
    match endpoints.get(&format!("{ns}/{name}")) {
        Some(ep) if ep.get("subsets").cloned().unwrap_or(Value::Null) == want => {}
        Some(ep) => {
            let mut updated = ep.clone();
            updated["subsets"] = want;
            ctx.update(core("endpoints"), updated);
        }
        None => {
            let mut body = json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": name, "namespace": ns}});
            if let Some(labels) = svc.pointer("/metadata/labels") {
                body["metadata"]["labels"] = labels.clone();
            }
            if !want.is_null() {
                body["subsets"] = want;
            }
            ctx.create(core("endpoints"), Some(ns), body);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// podToEndpointAddressForService sets the hostname as the EndpointSlice controller does.
    #[test]
    fn addresses_carry_the_hostname_of_pods_in_the_services_subdomain() {
        let pod = json!({
            "metadata": {"name": "web-0", "namespace": "default", "uid": "u0"},
            "spec": {"hostname": "web-0", "subdomain": "nginx", "nodeName": "kind-worker"},
            "status": {"podIP": "10.244.1.5"},
        });
        let nginx = json!({"metadata": {"name": "nginx", "namespace": "default"}});
        assert_eq!(address(&pod, &nginx)["hostname"], "web-0");
        let other = json!({"metadata": {"name": "other", "namespace": "default"}});
        assert!(address(&pod, &other).get("hostname").is_none());
    }
}
