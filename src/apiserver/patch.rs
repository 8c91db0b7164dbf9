//! Patches, as the API server applies them: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and
//! strategic merge patch (`k8s.io/apimachinery/pkg/util/strategicpatch`), where lists of structs
//! merge element by element on their `patchMergeKey` (containers by name, ports by containerPort),
//! and the three-way patch `kubectl apply` computes from last-applied, new and live configuration.

use serde_json::{Map, Value};

/// The `patchMergeKey` of a list field, from the struct tags of `k8s.io/api`. `parent` is the field
/// that holds the list's owner, which tells a container's `ports` from a Service's.
pub fn merge_key(parent: Option<&str>, field: &str) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets"
        | "resourceClaims" => "name",
        "ports"
            if matches!(
                parent,
                Some("containers" | "initContainers" | "ephemeralContainers")
            ) =>
        {
            "containerPort"
        }
        "ports" if parent == Some("spec") => "port",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "conditions" => "type",
        "hostAliases" => "ip",
        "ownerReferences" => "uid",
        "taints" => "key",
        _ => return None,
    })
}

/// RFC 7386: objects merge recursively, `null` deletes, everything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(t) = target else { return };
    for (k, v) in patch {
        if v.is_null() {
            t.remove(k);
        } else {
            merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
        }
    }
}

/// Apply a strategic merge patch to `target`.
pub fn strategic_merge(target: &mut Value, patch: &Value) {
    strategic_merge_at(target, patch, None);
}

fn strategic_merge_at(target: &mut Value, patch: &Value, parent: Option<&str>) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(t) = target else { return };
    for (k, v) in patch {
        if k.starts_with("$setElementOrder/") || k == "$retainKeys" || k == "$patch" {
            continue;
        }
        match v {
            Value::Null => {
                t.remove(k);
            }
            Value::Array(items) => match merge_key(parent, k) {
                Some(key) => {
                    let list = t.entry(k.clone()).or_insert_with(|| Value::Array(vec![]));
                    if !list.is_array() {
                        *list = Value::Array(vec![]);
                    }
                    if let Value::Array(list) = list {
                        merge_list(list, items, key, k);
                    }
                }
                None => {
                    t.insert(k.clone(), v.clone());
                }
            },
            Value::Object(_) => {
                strategic_merge_at(t.entry(k.clone()).or_insert(Value::Null), v, Some(k))
            }
            _ => {
                t.insert(k.clone(), v.clone());
            }
        }
    }
}

fn merge_list(list: &mut Vec<Value>, items: &[Value], key: &str, field: &str) {
    for item in items {
        let id = item.get(key);
        let pos = id.and_then(|id| list.iter().position(|e| e.get(key) == Some(id)));
        let delete = item.get("$patch").and_then(Value::as_str) == Some("delete");
        match (pos, delete) {
            (Some(i), true) => {
                list.remove(i);
            }
            (None, true) => {}
            (Some(i), false) => strategic_merge_at(&mut list[i], item, Some(field)),
            (None, false) => {
                let mut fresh = Value::Null;
                strategic_merge_at(&mut fresh, item, Some(field));
                list.push(fresh);
            }
        }
    }
}

/// RFC 6902 JSON patch. The error text is the server's for a failed operation.
pub fn json_patch(target: &mut Value, ops: &Value) -> Result<(), String> {
    let ops = ops
        .as_array()
        .ok_or("json: cannot unmarshal object into Go value of type jsonpatch.Patch")?;
    for op in ops {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or_default();
        let path = op.get("path").and_then(Value::as_str).unwrap_or_default();
        match kind {
            "add" => add_at(
                target,
                path,
                op.get("value").cloned().unwrap_or(Value::Null),
            )?,
            "replace" => {
                let slot = target.pointer_mut(path).ok_or_else(|| {
                    format!("replace operation does not apply: doc is missing key: {path}")
                })?;
                *slot = op.get("value").cloned().unwrap_or(Value::Null);
            }
            "remove" => {
                remove_at(target, path)?;
            }
            "move" | "copy" => {
                let from = op.get("from").and_then(Value::as_str).unwrap_or_default();
                let value = target.pointer(from).cloned().ok_or_else(|| {
                    format!("{kind} operation does not apply: doc is missing from path: {from}")
                })?;
                if kind == "move" {
                    remove_at(target, from)?;
                }
                add_at(target, path, value)?;
            }
            "test" => {
                if target.pointer(path) != op.get("value") {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(())
}

fn split_pointer(path: &str) -> (String, String) {
    let (parent, last) = path.rsplit_once('/').unwrap_or(("", path));
    (
        parent.to_string(),
        last.replace("~1", "/").replace("~0", "~"),
    )
}

fn add_at(target: &mut Value, path: &str, value: Value) -> Result<(), String> {
    if path.is_empty() {
        *target = value;
        return Ok(());
    }
    let (parent, last) = split_pointer(path);
    let missing =
        || format!("add operation does not apply: doc is missing path: \"{path}\": missing value");
    match target.pointer_mut(&parent).ok_or_else(missing)? {
        Value::Object(m) => {
            m.insert(last, value);
            Ok(())
        }
        Value::Array(a) if last == "-" => {
            a.push(value);
            Ok(())
        }
        Value::Array(a) => match last.parse::<usize>() {
            Ok(i) if i <= a.len() => {
                a.insert(i, value);
                Ok(())
            }
            _ => Err(format!(
                "add operation does not apply: doc is missing path: \"{path}\": invalid index"
            )),
        },
        _ => Err(missing()),
    }
}

fn remove_at(target: &mut Value, path: &str) -> Result<Value, String> {
    let (parent, last) = split_pointer(path);
    let missing = || format!("remove operation does not apply: doc is missing path: \"{path}\"");
    match target.pointer_mut(&parent).ok_or_else(missing)? {
        Value::Object(m) => m.remove(&last).ok_or_else(missing),
        Value::Array(a) => match last.parse::<usize>() {
            Ok(i) if i < a.len() => Ok(a.remove(i)),
            _ => Err(missing()),
        },
        _ => Err(missing()),
    }
}

/// The patch `kubectl apply` sends (strategicpatch.CreateThreeWayMergePatch): fields the user
/// removed since the last apply are deleted; fields whose new value differs from the live object are
/// set; fields the user never configured (defaults, status) are left alone. `{}` means unchanged.
pub fn three_way(original: &Value, modified: &Value, current: &Value) -> Value {
    let mut patch = deletions(original, modified, None);
    let delta = additions(current, modified, None);
    strategic_merge(&mut patch, &delta);
    // Merging `delta` may have dropped the delete markers of `deletions` for lists; re-add them.
    merge_deletion_markers(&mut patch, &deletions(original, modified, None));
    patch
}

fn merge_deletion_markers(patch: &mut Value, dels: &Value) {
    let (Value::Object(p), Value::Object(d)) = (patch, dels) else {
        return;
    };
    for (k, v) in d {
        match (p.get_mut(k), v) {
            (None, _) => {
                p.insert(k.clone(), v.clone());
            }
            (Some(Value::Array(pa)), Value::Array(da)) => {
                for item in da {
                    if !pa.contains(item) {
                        pa.push(item.clone());
                    }
                }
            }
            (Some(pv @ Value::Object(_)), Value::Object(_)) => merge_deletion_markers(pv, v),
            _ => {}
        }
    }
}

/// Fields present in `original` and absent from `modified`, as deletions.
fn deletions(original: &Value, modified: &Value, parent: Option<&str>) -> Value {
    let mut out = Map::new();
    let (Value::Object(o), Value::Object(m)) = (original, modified) else {
        return Value::Object(out);
    };
    for (k, ov) in o {
        match m.get(k) {
            None => {
                out.insert(k.clone(), Value::Null);
            }
            Some(mv) => match (ov, mv) {
                (Value::Object(_), Value::Object(_)) => {
                    let d = deletions(ov, mv, Some(k));
                    if d.as_object().is_some_and(|d| !d.is_empty()) {
                        out.insert(k.clone(), d);
                    }
                }
                (Value::Array(oa), Value::Array(ma)) => {
                    if let Some(key) = merge_key(parent, k) {
                        let gone: Vec<Value> = oa
                            .iter()
                            .filter(|oe| !ma.iter().any(|me| me.get(key) == oe.get(key)))
                            .filter_map(|oe| {
                                oe.get(key)
                                    .map(|id| serde_json::json!({key: id, "$patch": "delete"}))
                            })
                            .collect();
                        if !gone.is_empty() {
                            out.insert(k.clone(), Value::Array(gone));
                        }
                    }
                }
                _ => {}
            },
        }
    }
    Value::Object(out)
}

/// Fields of `modified` that `current` lacks or holds with another value.
fn additions(current: &Value, modified: &Value, parent: Option<&str>) -> Value {
    let mut out = Map::new();
    let Value::Object(m) = modified else {
        return Value::Object(out);
    };
    let empty = Map::new();
    let c = current.as_object().unwrap_or(&empty);
    for (k, mv) in m {
        let Some(cv) = c.get(k) else {
            out.insert(k.clone(), mv.clone());
            continue;
        };
        match (cv, mv) {
            (Value::Object(_), Value::Object(_)) => {
                let d = additions(cv, mv, Some(k));
                if d.as_object().is_some_and(|d| !d.is_empty()) {
                    out.insert(k.clone(), d);
                }
            }
            (Value::Array(ca), Value::Array(ma)) => match merge_key(parent, k) {
                Some(key) => {
                    let changed: Vec<Value> = ma
                        .iter()
                        .filter_map(|me| {
                            let ce = ca.iter().find(|ce| ce.get(key) == me.get(key));
                            match ce {
                                None => Some(me.clone()),
                                Some(ce) => {
                                    let mut d = additions(ce, me, Some(k));
                                    let Value::Object(dm) = &mut d else {
                                        return None;
                                    };
                                    if dm.is_empty() {
                                        return None;
                                    }
                                    dm.insert(
                                        key.to_string(),
                                        me.get(key).cloned().unwrap_or(Value::Null),
                                    );
                                    Some(d)
                                }
                            }
                        })
                        .collect();
                    if !changed.is_empty() {
                        out.insert(k.clone(), Value::Array(changed));
                    }
                }
                None if ca != ma => {
                    out.insert(k.clone(), mv.clone());
                }
                None => {}
            },
            _ if cv != mv => {
                out.insert(k.clone(), mv.clone());
            }
            _ => {}
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strategic_merge_merges_containers_by_name() {
        let mut pod = json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}});
        strategic_merge(
            &mut pod,
            &json!({"spec": {"containers": [{"name": "b", "image": "z"}]}}),
        );
        assert_eq!(pod["spec"]["containers"][1]["image"], "z");
        assert_eq!(pod["spec"]["containers"][0]["image"], "x");
        strategic_merge(
            &mut pod,
            &json!({"spec": {"containers": [{"name": "a", "$patch": "delete"}]}}),
        );
        assert_eq!(pod["spec"]["containers"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn merge_patch_deletes_with_null() {
        let mut obj = json!({"metadata": {"labels": {"a": "1", "b": "2"}}});
        merge_patch(
            &mut obj,
            &json!({"metadata": {"labels": {"a": null, "c": "3"}}}),
        );
        assert_eq!(obj, json!({"metadata": {"labels": {"b": "2", "c": "3"}}}));
    }

    #[test]
    fn json_patch_operations() {
        let mut obj = json!({"spec": {"replicas": 1, "list": [1, 2]}});
        json_patch(
            &mut obj,
            &json!([{"op": "replace", "path": "/spec/replicas", "value": 3}, {"op": "add", "path": "/spec/list/-", "value": 3}, {"op": "remove", "path": "/spec/list/0"}]),
        )
        .unwrap();
        assert_eq!(obj, json!({"spec": {"replicas": 3, "list": [2, 3]}}));
        assert!(json_patch(
            &mut obj,
            &json!([{"op": "replace", "path": "/nope", "value": 1}])
        )
        .is_err());
    }

    #[test]
    fn three_way_ignores_defaults_and_sees_changes() {
        let original = json!({"metadata": {"name": "web", "labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx"}]}});
        let live = json!({"metadata": {"name": "web", "labels": {"app": "web"}, "uid": "u"}, "spec": {"containers": [{"name": "web", "image": "nginx", "imagePullPolicy": "Always"}], "dnsPolicy": "ClusterFirst"}});
        assert_eq!(three_way(&original, &original, &live), json!({}));
        let modified = json!({"metadata": {"name": "web", "labels": {"tier": "frontend"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}});
        let patch = three_way(&original, &modified, &live);
        assert_eq!(
            patch["metadata"]["labels"],
            json!({"app": null, "tier": "frontend"})
        );
        assert_eq!(
            patch["spec"]["containers"],
            json!([{"name": "web", "image": "nginx:1.27"}])
        );
    }
}
