//! ReplicationController (core/v1) validation: `ValidateReplicationController`,
//! `ValidateReplicationControllerUpdate` and `ValidateReplicationControllerStatusUpdate` of
//! `pkg/apis/core/validation/validation.go`, as the strategy of
//! `pkg/registry/core/replicationcontroller/strategy.go` runs them.
//!
//! An RC's selector is a plain label map (`spec.selector`), not a LabelSelector: empty means
//! "required", and it must be a subset of the template's labels.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::PodTemplateSpec;
use serde_json::Value;

use super::apps::{labels_json, metadata_of, validate_pod_template_spec};
use super::field::{BadValue, ErrorList, FieldError, Path};
use super::meta::{validate_nonnegative_field, validate_object_meta, validate_object_meta_update};
use super::names::name_is_dns_subdomain;

fn int_at(obj: &Value, pointer: &str) -> Option<i64> {
    obj.pointer(pointer).and_then(Value::as_i64)
}

/// `spec.selector` as a label map (absent, null or malformed: empty).
fn selector_map(obj: &Value) -> BTreeMap<String, String> {
    obj.pointer("/spec/selector")
        .and_then(|s| serde_json::from_value(s.clone()).ok())
        .unwrap_or_default()
}

/// `ValidateReplicationController`: metadata (a DNS subdomain name, namespaced), then the spec.
pub fn validate_replication_controller(obj: &Value) -> ErrorList {
    let mut errs = validate_object_meta(
        &metadata_of(obj),
        true,
        name_is_dns_subdomain,
        &Path::new("metadata"),
    );
    errs.extend(validate_replication_controller_spec(obj));
    errs
}

/// The strategy's `ValidateUpdate`: `ValidateReplicationControllerUpdate` (metadata update, then
/// the new spec). Unlike a ReplicaSet's, the selector may change.
pub fn validate_replication_controller_update(new: &Value, old: &Value) -> ErrorList {
    let mut errs =
        validate_object_meta_update(&metadata_of(new), &metadata_of(old), &Path::new("metadata"));
    errs.extend(validate_replication_controller_spec(new));
    errs
}

/// `ValidateReplicationControllerSpec`: minReadySeconds and replicas not negative (replicas
/// required; the v1 default makes it 1), a non-empty selector, then the template.
fn validate_replication_controller_spec(obj: &Value) -> ErrorList {
    let path = Path::new("spec");
    let mut errs = validate_nonnegative_field(
        int_at(obj, "/spec/minReadySeconds").unwrap_or(0),
        &path.child("minReadySeconds"),
    );
    let selector = selector_map(obj);
    if selector.is_empty() {
        errs.push(FieldError::required(&path.child("selector"), ""));
    }
    match int_at(obj, "/spec/replicas") {
        None => errs.push(FieldError::required(&path.child("replicas"), "")),
        Some(n) => errs.extend(validate_nonnegative_field(n, &path.child("replicas"))),
    }
    let template = match obj.pointer("/spec/template") {
        None | Some(Value::Null) => None,
        Some(t) => Some(serde_json::from_value(t.clone()).unwrap_or_default()),
    };
    errs.extend(validate_template_for_rc(
        template.as_ref(),
        &selector,
        &path.child("template"),
    ));
    errs
}

/// `ValidatePodTemplateSpecForRC`: required; the selector (when not empty) must match the
/// template's labels; a valid template; restart Always; no active deadline.
fn validate_template_for_rc(
    template: Option<&PodTemplateSpec>,
    selector: &BTreeMap<String, String>,
    path: &Path,
) -> ErrorList {
    let Some(template) = template else {
        return vec![FieldError::required(path, "")];
    };
    let mut errs = Vec::new();
    let labels = template.metadata.as_ref().and_then(|m| m.labels.as_ref());
    let matches = selector
        .iter()
        .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v));
    if !selector.is_empty() && !matches {
        errs.push(FieldError::invalid(
            &path.child("metadata").child("labels"),
            labels_json(labels),
            "`selector` does not match template `labels`",
        ));
    }
    errs.extend(validate_pod_template_spec(template, path));
    let spec = template.spec.clone().unwrap_or_default();
    let restart = spec.restart_policy.as_deref().unwrap_or("");
    if restart != "Always" {
        errs.push(FieldError::not_supported(
            &path.child("spec").child("restartPolicy"),
            BadValue::named(restart),
            &["Always"],
        ));
    }
    if spec.active_deadline_seconds.is_some() {
        errs.push(FieldError::forbidden(
            &path.child("spec").child("activeDeadlineSeconds"),
            "activeDeadlineSeconds in ReplicationController is not Supported",
        ));
    }
    errs
}

/// `ValidateReplicationControllerStatusUpdate`: metadata, and the status counters (not negative,
/// none above `replicas`, available not above ready) — the same rules, field for field, as
/// `ValidateReplicaSetStatusUpdate`.
pub fn validate_replication_controller_status_update(new: &Value, old: &Value) -> ErrorList {
    super::apps::validate_replica_set_status_update(new, old)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rc(spec: Value) -> Value {
        json!({"metadata": {"name": "nginx", "namespace": "default"}, "spec": spec})
    }

    fn template() -> Value {
        json!({
            "metadata": {"labels": {"app": "nginx"}},
            "spec": {"restartPolicy": "Always", "dnsPolicy": "ClusterFirst", "terminationGracePeriodSeconds": 30,
                     "containers": [{"name": "nginx", "image": "nginx", "imagePullPolicy": "Always",
                                     "terminationMessagePolicy": "File"}]}
        })
    }

    #[test]
    fn a_defaulted_controller_is_valid() {
        let obj = rc(json!({"replicas": 3, "selector": {"app": "nginx"}, "template": template()}));
        assert!(validate_replication_controller(&obj).is_empty());
    }

    #[test]
    fn selector_replicas_and_template_are_checked() {
        let obj = rc(json!({"selector": {}}));
        let msgs: Vec<String> = validate_replication_controller(&obj)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            msgs,
            [
                "spec.selector: Required value",
                "spec.replicas: Required value",
                "spec.template: Required value"
            ]
        );
        let obj = rc(json!({"replicas": 1, "selector": {"app": "web"}, "template": template()}));
        let msgs: Vec<String> = validate_replication_controller(&obj)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            msgs,
            ["spec.template.metadata.labels: Invalid value: {\"app\":\"nginx\"}: `selector` does not match template `labels`"]
        );
    }
}
