//! What Go's encoding/json writes that a Rust serializer would leave out. Go marshals struct-typed
//! fields even when empty (`resources: {}`), and a zero `metav1.Time` as `null`
//! (`lastProbeTime: null`); clients see these in every `-o yaml`, so the server stores them so.

use serde_json::{Map, Value};

/// Add the always-present fields of `kind` to `obj` as Go's encoder would write them.
pub fn normalize(kind: &str, obj: &mut Value) {
    match kind {
        "Pod" => pod(obj),
        "Node" => node(obj),
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
        for list in ["initContainers", "containers"] {
            for c in spec.get_mut(list).and_then(Value::as_array_mut).into_iter().flatten() {
                ensure_object(c, "resources");
            }
        }
    }
    ensure_object(obj, "status");
    for cond in obj.pointer_mut("/status/conditions").and_then(Value::as_array_mut).into_iter().flatten() {
        if let Some(m) = cond.as_object_mut() {
            m.entry("lastProbeTime").or_insert(Value::Null);
            m.entry("lastTransitionTime").or_insert(Value::Null);
        }
    }
}

fn node(obj: &mut Value) {
    for cond in obj.pointer_mut("/status/conditions").and_then(Value::as_array_mut).into_iter().flatten() {
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
        assert!(pod["status"]["conditions"][0].as_object().unwrap().contains_key("lastProbeTime"));
    }
}
