//! The controllers' work queue and the event handlers that fill it, as client-go's workqueue
//! (staging/src/k8s.io/client-go/util/workqueue/queue.go: a key added twice before it is
//! processed is processed once) and the controllers' `addPod`/`updatePod`/`deletePod` handlers:
//! a pod's change concerns the controllers its old and new controller references name
//! (pkg/controller/replicaset/replica_set.go `updatePod`, `getPodReplicaSets` for orphans) and
//! the Services whose selectors match its old or new labels
//! (pkg/controller/endpointslice/endpointslice_controller.go `onPodUpdate` →
//! `endpointsliceutil.GetPodServiceMemberships`). A controller then syncs only the keys queued,
//! not every object on every change.
//!
//! Keys are `namespace/name` (client-go's `MetaNamespaceKeyFunc`, [`crate::client::key_of`]);
//! the queue hands them out in key order, the order in which the informers list objects, so a
//! controller that syncs the queued keys acts in the order a full pass over the cache would.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::client::{Change, Informer};
use crate::unstructured::str_at;

/// A deduplicating set of object keys waiting to be synced.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WorkQueue {
    keys: BTreeSet<String>,
}

impl WorkQueue {
    /// Queue `key`; a key already waiting is not queued twice.
    pub fn enqueue(&mut self, key: impl Into<String>) {
        self.keys.insert(key.into());
    }

    /// Queue every key.
    pub fn enqueue_all<I: IntoIterator<Item = String>>(&mut self, keys: I) {
        self.keys.extend(keys);
    }

    /// The next key to sync (the smallest), removed from the queue.
    pub fn pop(&mut self) -> Option<String> {
        self.keys.pop_first()
    }

    /// Every queued key in order, leaving the queue empty.
    pub fn drain(&mut self) -> Vec<String> {
        std::mem::take(&mut self.keys).into_iter().collect()
    }

    pub fn contains(&self, key: &str) -> bool {
        self.keys.contains(key)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The namespace of an object (empty for cluster-scoped ones).
fn namespace(obj: &Value) -> &str {
    str_at(obj, "/metadata/namespace")
}

/// `namespace/name`, or `name` without a namespace (the informers' cache key).
pub fn key_in(namespace: &str, name: &str) -> String {
    if namespace.is_empty() {
        name.to_string()
    } else {
        format!("{namespace}/{name}")
    }
}

/// The object's controller reference of `kind`, as a key in the object's namespace
/// (`metav1.GetControllerOf` filtered by kind, as `resolveControllerRef` does).
pub fn controller_key(obj: &Value, kind: &str) -> Option<String> {
    obj.pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)?
        .iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
        .filter(|r| str_at(r, "/kind") == kind)
        .map(|r| key_in(namespace(obj), str_at(r, "/name")))
}

/// Whether the object has no controller reference at all (an orphan a controller may adopt).
pub fn is_orphan(obj: &Value) -> bool {
    !obj.pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
}

/// The object before and after the change (the old one absent for an addition; for a deletion
/// both are the last state known).
pub fn states(change: &Change) -> impl Iterator<Item = &Value> {
    change.old.iter().chain(std::iter::once(&change.new))
}

/// The keys of the `kind` controllers a change concerns: the controller named by the object's
/// old and new controller references (`updatePod`: "the ControllerRef was changed; sync the old
/// controller too").
pub fn owner_keys(change: &Change, kind: &str) -> Vec<String> {
    let mut keys: Vec<String> = states(change)
        .filter_map(|o| controller_key(o, kind))
        .collect();
    keys.dedup();
    keys
}

/// Whether the change leaves (or left) the object an orphan: its controllers must then look
/// whether one of them selects it (`getPodReplicaSets`, `getReplicaSetsForDeployment`).
pub fn concerns_orphan(change: &Change) -> bool {
    states(change).any(is_orphan)
}

/// The keys of the objects in `owners` in the object's namespace (the candidates that might
/// adopt an orphan; the controller's sync decides with the selector).
pub fn keys_in_namespace(owners: &Informer, obj: &Value) -> Vec<String> {
    let ns = namespace(obj);
    owners
        .list()
        .filter(|o| namespace(o) == ns)
        .map(crate::client::key_of)
        .collect()
}

/// Whether the object's labels hold every key of a plain selector map with the same value (a
/// Service's `spec.selector`, `labels.SelectorFromSet`; an empty map selects everything),
/// without building label maps.
pub fn map_selects(selector: &serde_json::Map<String, Value>, obj: &Value) -> bool {
    let labels = obj.pointer("/metadata/labels").and_then(Value::as_object);
    selector.iter().all(|(k, v)| {
        labels
            .and_then(|l| l.get(k))
            .is_some_and(|l| l.as_str().unwrap_or_default() == v.as_str().unwrap_or_default())
    })
}

/// `GetPodServiceMemberships` over the pod's old and new states: the keys of the Services of
/// its namespace whose selector matches either set of labels (Services without a selector
/// have no managed endpoints).
pub fn service_keys_for_pod<'a>(
    change: &Change,
    services: impl Iterator<Item = &'a Value>,
) -> Vec<String> {
    let ns = namespace(&change.new);
    services
        .filter(|s| namespace(s) == ns)
        .filter(|s| {
            s.pointer("/spec/selector")
                .and_then(Value::as_object)
                .is_some_and(|sel| states(change).any(|p| map_selects(sel, p)))
        })
        .map(crate::client::key_of)
        .collect()
}

/// The keys of the objects the changes are about, in order, each once.
pub fn changed_keys(changes: &[Change]) -> BTreeSet<String> {
    changes
        .iter()
        .map(|c| crate::client::key_of(&c.new))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(labels: Value, owner: Option<&str>) -> Value {
        let mut p =
            json!({"metadata": {"name": "web-abc", "namespace": "default", "labels": labels}});
        if let Some(rs) = owner {
            p["metadata"]["ownerReferences"] = json!([
                {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs, "uid": "u", "controller": true}
            ]);
        }
        p
    }

    fn change(old: Option<Value>, new: Value) -> Change {
        Change {
            kind: if old.is_some() { "MODIFIED" } else { "ADDED" },
            old,
            new,
        }
    }

    #[test]
    fn a_key_queued_twice_is_synced_once_in_key_order() {
        let mut q = WorkQueue::default();
        q.enqueue("default/web");
        q.enqueue("default/api");
        q.enqueue("default/web");
        assert_eq!(q.len(), 2);
        assert_eq!(q.pop().as_deref(), Some("default/api"));
        assert_eq!(q.pop().as_deref(), Some("default/web"));
        assert_eq!(q.pop(), None);
    }

    #[test]
    fn a_service_selector_needs_every_label_and_an_empty_one_selects_all() {
        let p = pod(json!({"app": "web", "tier": "front"}), None);
        let sel = |v: Value| v.as_object().cloned().unwrap_or_default();
        assert!(map_selects(&sel(json!({"app": "web"})), &p));
        assert!(!map_selects(&sel(json!({"app": "web", "env": "prod"})), &p));
        assert!(!map_selects(&sel(json!({"app": "api"})), &p));
        assert!(map_selects(&sel(json!({})), &p));
    }

    #[test]
    fn a_pod_whose_controller_changed_concerns_both_owners() {
        let old = pod(json!({"app": "web"}), Some("web-1"));
        let new = pod(json!({"app": "web"}), Some("web-2"));
        let c = change(Some(old), new);
        assert_eq!(
            owner_keys(&c, "ReplicaSet"),
            vec!["default/web-1", "default/web-2"]
        );
        assert!(owner_keys(&c, "Job").is_empty());
        assert!(!concerns_orphan(&c));
    }

    #[test]
    fn a_relabelled_pod_concerns_the_services_of_its_old_and_new_labels() {
        let svc = |name: &str, app: &str| json!({"metadata": {"name": name, "namespace": "default"}, "spec": {"selector": {"app": app}}});
        let services = [
            svc("api", "api"),
            svc("db", "db"),
            json!({"metadata": {"name": "external", "namespace": "default"}, "spec": {}}),
            svc("web", "web"),
        ];
        let c = change(
            Some(pod(json!({"app": "web"}), None)),
            pod(json!({"app": "api"}), None),
        );
        assert_eq!(
            service_keys_for_pod(&c, services.iter()),
            vec!["default/api", "default/web"]
        );
        assert!(concerns_orphan(&c));
    }
}
