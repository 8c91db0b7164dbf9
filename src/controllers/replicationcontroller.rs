//! The ReplicationController manager (pkg/controller/replication): the ReplicaSet controller run
//! over ReplicationControllers, as Kubernetes does by converting them to ReplicaSets
//! (conversion.go) — the plain label-map selector becomes `matchLabels`, pods are created with a
//! `v1`/`ReplicationController` controller reference, events come from `replication-controller`
//! (`SuccessfulCreate` "Created pod: …"), and the status has no terminatingReplicas
//! (`EnableStatusTerminatingReplicas: false`).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde_json::Value;

use super::replicaset::{Flavour, ReplicaSetController};
use crate::client::{core, Ctx, Informer};

/// `convertRCtoRS` for the selector: the label map as matchLabels; none when absent (the API
/// server defaults it to the template's labels).
pub fn selector(rc: &Value) -> Option<LabelSelector> {
    let labels = rc.pointer("/spec/selector").and_then(Value::as_object)?;
    let match_labels: BTreeMap<String, String> = labels
        .iter()
        .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
        .collect();
    Some(LabelSelector {
        match_labels: Some(match_labels),
        match_expressions: None,
    })
}

/// The ReplicationController flavour of the ReplicaSet controller.
pub const REPLICATION_CONTROLLERS: Flavour = Flavour {
    resource: || core("replicationcontrollers"),
    api_version: "v1",
    kind: "ReplicationController",
    component: "replication-controller",
    singular: "replicationcontroller",
    selector,
    terminating_replicas: false,
};

/// `ReplicationManager`: the ReplicaSet controller's base over ReplicationControllers.
#[derive(Debug)]
pub struct ReplicationManager(ReplicaSetController);

impl Default for ReplicationManager {
    fn default() -> Self {
        ReplicationManager(ReplicaSetController::with_flavour(REPLICATION_CONTROLLERS))
    }
}

impl ReplicationManager {
    /// Sync every ReplicationController against the pods.
    pub fn reconcile(&mut self, controllers: &Informer, pods: &Informer, ctx: &mut Ctx) {
        self.0.reconcile(controllers, pods, ctx);
    }

    /// Sync the queued ReplicationController keys (see [`ReplicaSetController::sync_keys`]).
    pub fn sync_keys(
        &mut self,
        keys: &[String],
        controllers: &Informer,
        pods: &Informer,
        ctx: &mut Ctx,
    ) {
        self.0.sync_keys(keys, controllers, pods, ctx);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controllers::replicaset::pod_from_template_of;
    use serde_json::json;

    fn rc() -> Value {
        json!({
            "apiVersion": "v1", "kind": "ReplicationController",
            "metadata": {"name": "nginx", "namespace": "default", "uid": "rc-uid"},
            "spec": {"replicas": 3, "selector": {"app": "nginx"},
                "template": {"metadata": {"labels": {"app": "nginx"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}
        })
    }

    #[test]
    fn the_label_map_selector_becomes_match_labels() {
        let s = selector(&rc()).unwrap();
        assert_eq!(
            s.match_labels,
            Some(BTreeMap::from([("app".to_string(), "nginx".to_string())]))
        );
        assert!(selector(&json!({"spec": {}})).is_none());
    }

    #[test]
    fn pods_are_owned_by_the_replication_controller() {
        let pod = pod_from_template_of(&rc(), &REPLICATION_CONTROLLERS);
        assert_eq!(pod["metadata"]["generateName"], "nginx-");
        assert_eq!(
            pod["metadata"]["ownerReferences"][0],
            json!({"apiVersion": "v1", "kind": "ReplicationController", "name": "nginx",
                "uid": "rc-uid", "controller": true, "blockOwnerDeletion": true})
        );
    }
}
