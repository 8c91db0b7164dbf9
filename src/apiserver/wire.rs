//! What Go's encoding/json writes that a Rust serializer would leave out. Go marshals struct-typed
//! fields even when empty (`resources: {}`), and a zero `metav1.Time` as `null`
//! (`lastProbeTime: null`); clients see these in every `-o yaml`, so the server stores them so.

use serde_json::{Map, Value};

/// Add the always-present fields of `kind` to `obj` as Go's encoder would write them.
pub fn normalize(kind: &str, obj: &mut Value) {
    match kind {
        "Pod" => pod(obj),
        "Node" => node(obj),
        "Deployment" => deployment(obj),
        "ReplicaSet" => replica_set(obj),
        "Service" => {
            ensure_object(obj, "status");
            if let Some(status) = obj.get_mut("status") {
                ensure_object(status, "loadBalancer");
            }
        }
        _ => {}
    }
}

fn pod(obj: &mut Value) {
    if let Some(spec) = obj.get_mut("spec") {
        pod_spec(spec);
    }
    ensure_object(obj, "status");
    for cond in obj
        .pointer_mut("/status/conditions")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(m) = cond.as_object_mut() {
            m.entry("lastProbeTime").or_insert(Value::Null);
            m.entry("lastTransitionTime").or_insert(Value::Null);
        }
    }
}

/// A pod spec's containers always carry `resources` (a struct).
fn pod_spec(spec: &mut Value) {
    for list in ["initContainers", "containers"] {
        for c in spec
            .get_mut(list)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            ensure_object(c, "resources");
        }
    }
}

/// A pod template inside a workload: `metadata: {}` and `spec` always (structs; an unset
/// creationTimestamp is left out since apimachinery's `omitzero`), containers' `resources: {}`.
fn pod_template(spec: &mut Value) {
    ensure_object(spec, "template");
    if let Some(template) = spec.get_mut("template") {
        ensure_object(template, "metadata");
        ensure_object(template, "spec");
        if let Some(pod) = template.get_mut("spec") {
            pod_spec(pod);
        }
    }
}

/// Drop the listed fields where they hold Go's zero value (`omitempty` integers and booleans).
fn drop_zero(obj: &mut Value, fields: &[&str]) {
    if let Some(m) = obj.as_object_mut() {
        m.retain(|k, v| {
            !(fields.contains(&k.as_str()) && (v == &Value::from(0) || v == &Value::Bool(false)))
        });
    }
}

/// Conditions' times are `metav1.Time` structs: `null` when unset.
fn condition_times(status: &mut Value, fields: &[&str]) {
    for cond in status
        .get_mut("conditions")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(m) = cond.as_object_mut() {
            for f in fields {
                m.entry(*f).or_insert(Value::Null);
            }
        }
    }
}

/// apps/v1 Deployment: `spec.strategy` and `status` are structs; the status counters are
/// `omitempty` (`terminatingReplicas` is a pointer, so 0 stays).
fn deployment(obj: &mut Value) {
    ensure_object(obj, "spec");
    if let Some(spec) = obj.get_mut("spec") {
        ensure_object(spec, "strategy");
        drop_zero(spec, &["minReadySeconds", "paused"]);
        pod_template(spec);
    }
    ensure_object(obj, "status");
    if let Some(status) = obj.get_mut("status") {
        drop_zero(
            status,
            &[
                "observedGeneration",
                "replicas",
                "updatedReplicas",
                "readyReplicas",
                "availableReplicas",
                "unavailableReplicas",
            ],
        );
        condition_times(status, &["lastUpdateTime", "lastTransitionTime"]);
    }
}

/// apps/v1 ReplicaSet: `status.replicas` is always written; the other counters are `omitempty`.
fn replica_set(obj: &mut Value) {
    ensure_object(obj, "spec");
    if let Some(spec) = obj.get_mut("spec") {
        drop_zero(spec, &["minReadySeconds"]);
        pod_template(spec);
    }
    ensure_object(obj, "status");
    if let Some(status) = obj.get_mut("status").and_then(Value::as_object_mut) {
        status.entry("replicas").or_insert(Value::from(0));
    }
    if let Some(status) = obj.get_mut("status") {
        drop_zero(
            status,
            &[
                "fullyLabeledReplicas",
                "readyReplicas",
                "availableReplicas",
                "observedGeneration",
            ],
        );
        condition_times(status, &["lastTransitionTime"]);
    }
}

fn node(obj: &mut Value) {
    for cond in obj
        .pointer_mut("/status/conditions")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(m) = cond.as_object_mut() {
            m.entry("lastHeartbeatTime").or_insert(Value::Null);
            m.entry("lastTransitionTime").or_insert(Value::Null);
        }
    }
}

fn ensure_object(obj: &mut Value, key: &str) {
    if let Some(m) = obj.as_object_mut() {
        if !m.get(key).is_some_and(Value::is_object) {
            m.insert(key.to_string(), Value::Object(Map::new()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pods_get_go_empty_structs() {
        let mut pod = json!({"spec": {"containers": [{"name": "a"}]}, "status": {"conditions": [{"type": "PodScheduled"}]}});
        normalize("Pod", &mut pod);
        assert_eq!(pod["spec"]["containers"][0]["resources"], json!({}));
        assert_eq!(pod["status"]["conditions"][0]["lastProbeTime"], Value::Null);
        assert!(pod["status"]["conditions"][0]
            .as_object()
            .unwrap()
            .contains_key("lastProbeTime"));
    }

    #[test]
    fn workloads_get_go_structs_and_lose_zero_counters() {
        let mut d = json!({"spec": {"template": {"spec": {"containers": [{"name": "a"}]}}, "minReadySeconds": 0}, "status": {"replicas": 0, "terminatingReplicas": 0}});
        normalize("Deployment", &mut d);
        assert_eq!(d["spec"]["strategy"], json!({}));
        assert_eq!(d["spec"]["template"]["metadata"], json!({}));
        assert_eq!(
            d["spec"]["template"]["spec"]["containers"][0]["resources"],
            json!({})
        );
        assert!(d["spec"].get("minReadySeconds").is_none());
        assert_eq!(d["status"], json!({"terminatingReplicas": 0}));
        let mut rs = json!({"spec": {"template": {}}, "status": {"readyReplicas": 0}});
        normalize("ReplicaSet", &mut rs);
        assert_eq!(rs["status"], json!({"replicas": 0}));
    }
}
