//! Deployment, ReplicaSet and Scale validation: `ValidateDeployment`, `ValidateDeploymentUpdate`,
//! `ValidateDeploymentStatusUpdate`, `ValidateReplicaSet` (and its update variants) of
//! `pkg/apis/apps/validation/validation.go`, with the selector immutability the strategies of
//! `pkg/registry/apps/{deployment,replicaset}/strategy.go` add on update, and `ValidateScale` of
//! `pkg/apis/autoscaling/validation`.
//!
//! The functions take the stored JSON: a selector that is absent (Go's nil pointer) and an empty
//! one (`{}`) fail differently, and k8s-openapi would turn the first into the second.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    PersistentVolumeClaim, PersistentVolumeClaimVolumeSource, PodSpec, PodTemplateSpec, Volume,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use serde_json::Value;

use super::field::{go_json, BadValue, ErrorList, FieldError, Path};
use super::meta::{
    validate_annotations, validate_labels, validate_nonnegative_field, validate_object_meta,
    validate_object_meta_update, FIELD_IMMUTABLE_ERROR_MSG,
};
use super::names::{
    is_dns1123_label, is_qualified_name, is_valid_label_value, is_valid_percent, name_is_dns_label,
    name_is_dns_subdomain,
};
use super::pod::{validate_label_selector, validate_pod_spec, PodOptions};

pub(super) fn metadata_of(obj: &Value) -> ObjectMeta {
    obj.get("metadata")
        .and_then(|m| serde_json::from_value(m.clone()).ok())
        .unwrap_or_default()
}

fn int_at(obj: &Value, pointer: &str) -> Option<i64> {
    obj.pointer(pointer).and_then(Value::as_i64)
}

/// `spec.selector` as Go decodes it: `None` for an absent or null selector (a nil pointer).
fn selector_of(obj: &Value) -> Option<LabelSelector> {
    match obj.pointer("/spec/selector") {
        None | Some(Value::Null) => None,
        Some(v) => Some(serde_json::from_value(v.clone()).unwrap_or_default()),
    }
}

/// A label selector as `json.Marshal(*metav1.LabelSelector)` prints it (empty lists and maps
/// left out, as their `omitempty` tags say).
pub fn selector_json(sel: &LabelSelector) -> String {
    let mut v = serde_json::to_value(sel).unwrap_or(Value::Null);
    if let Some(m) = v.as_object_mut() {
        m.retain(|_, f| match f {
            Value::Object(o) => !o.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Null => false,
            _ => true,
        });
    }
    go_json(&v)
}

/// `metav1.LabelSelectorAsSelector` succeeds: every key, value and operator is one a
/// `labels.Requirement` accepts.
pub(super) fn selector_converts(sel: &LabelSelector) -> bool {
    let label_ok =
        |k: &str, v: &str| is_qualified_name(k).is_empty() && is_valid_label_value(v).is_empty();
    let labels_ok = sel
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| label_ok(k, v));
    let exprs_ok = sel.match_expressions.iter().flatten().all(|e| {
        let values = e.values.as_deref().unwrap_or_default();
        let shape_ok = match e.operator.as_str() {
            "In" | "NotIn" => !values.is_empty(),
            "Exists" | "DoesNotExist" => values.is_empty(),
            _ => false,
        };
        shape_ok
            && is_qualified_name(&e.key).is_empty()
            && values.iter().all(|v| is_valid_label_value(v).is_empty())
    });
    labels_ok && exprs_ok
}

/// Whether a (convertible) selector matches a set of labels, as `labels.Selector.Matches`.
pub fn selector_matches(sel: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    let labels_match = sel
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v));
    let exprs_match = sel.match_expressions.iter().flatten().all(|e| {
        let values = e.values.as_deref().unwrap_or_default();
        let value = labels.get(&e.key);
        match e.operator.as_str() {
            "In" => value.is_some_and(|v| values.contains(v)),
            "NotIn" => value.is_none_or(|v| !values.contains(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        }
    });
    labels_match && exprs_match
}

fn is_empty_selector(sel: &LabelSelector) -> bool {
    sel.match_labels.as_ref().is_none_or(BTreeMap::is_empty)
        && sel.match_expressions.as_ref().is_none_or(Vec::is_empty)
}

/// A map of labels as `json.Marshal(map[string]string)` prints it (`null` for a nil map).
pub(super) fn labels_json(labels: Option<&BTreeMap<String, String>>) -> BadValue {
    match labels {
        None => BadValue::Json("null".into()),
        Some(l) => BadValue::Json(go_json(&serde_json::to_value(l).unwrap_or(Value::Null))),
    }
}

/// The selector checks every workload spec starts with: required, well-formed, not empty.
fn validate_selector(sel: Option<&LabelSelector>, path: &Path) -> ErrorList {
    let Some(sel) = sel else {
        return vec![FieldError::required(path, "")];
    };
    let mut errs = validate_label_selector(Some(sel), path);
    if is_empty_selector(sel) {
        // ReplicaSets say "deployment" too (ValidateReplicaSetSpec copies the message).
        errs.push(FieldError::invalid(
            path,
            BadValue::Json(selector_json(sel)),
            "empty selector is invalid for deployment",
        ));
    }
    errs
}

/// `ValidatePodTemplateSpec` (core): labels and annotations at `<path>.labels`, then the pod spec
/// as a template's (not a pod's) spec, and no ephemeral containers.
pub(super) fn validate_pod_template_spec(template: &PodTemplateSpec, path: &Path) -> ErrorList {
    let meta = template.metadata.clone().unwrap_or_default();
    let spec: PodSpec = template.spec.clone().unwrap_or_default();
    let mut errs = validate_labels(meta.labels.as_ref(), &path.child("labels"));
    errs.extend(validate_annotations(
        meta.annotations.as_ref(),
        &path.child("annotations"),
    ));
    errs.extend(validate_pod_spec(
        &spec,
        None,
        &path.child("spec"),
        PodOptions {
            resource_is_pod: false,
        },
    ));
    if spec
        .ephemeral_containers
        .as_ref()
        .is_some_and(|e| !e.is_empty())
    {
        errs.push(FieldError::forbidden(
            &path.child("spec").child("ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
        ));
    }
    errs
}

/// `ValidatePodTemplateSpecForReplicaSet`: the selector must select the template's labels, the
/// template must be valid, restart always, and no active deadline.
fn validate_template_for_replica_set(
    template: &PodTemplateSpec,
    selector: Option<&LabelSelector>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let labels = template.metadata.as_ref().and_then(|m| m.labels.as_ref());
    // A nil selector converts to labels.Nothing(), which is not empty and matches nothing.
    let selects = match selector {
        None => Some(false),
        Some(sel) if is_empty_selector(sel) => None,
        Some(sel) => Some(selector_matches(sel, labels.unwrap_or(&BTreeMap::new()))),
    };
    if selects == Some(false) {
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
            "activeDeadlineSeconds in ReplicaSet is not Supported",
        ));
    }
    errs
}

/// The selector and template part of both specs (`LabelSelectorAsSelector`, then the template).
fn validate_selector_and_template(obj: &Value, spec_path: &Path) -> ErrorList {
    let selector = selector_of(obj);
    let mut errs = validate_selector(selector.as_ref(), &spec_path.child("selector"));
    if let Some(sel) = selector.as_ref().filter(|s| !selector_converts(s)) {
        errs.push(FieldError::invalid(
            &spec_path.child("selector"),
            BadValue::Json(selector_json(sel)),
            "invalid label selector",
        ));
        return errs;
    }
    let template: PodTemplateSpec = obj
        .pointer("/spec/template")
        .and_then(|t| serde_json::from_value(t.clone()).ok())
        .unwrap_or_default();
    errs.extend(validate_template_for_replica_set(
        &template,
        selector.as_ref(),
        &spec_path.child("template"),
    ));
    errs
}

/// An int-or-percent as `json.Marshal(intstr.IntOrString)` prints it.
fn int_or_string_value(v: &Value) -> BadValue {
    BadValue::Json(go_json(v))
}

/// `getIntOrPercentValue`: the number of an int, or of a valid percent; 0 otherwise.
fn int_or_percent_value(v: Option<&Value>) -> i64 {
    match v {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(Value::String(s)) if is_valid_percent(s).is_empty() => {
            s.trim_end_matches('%').parse().unwrap_or(0)
        }
        _ => 0,
    }
}

/// `ValidatePositiveIntOrPercent`.
fn validate_positive_int_or_percent(v: Option<&Value>, path: &Path) -> ErrorList {
    match v {
        Some(Value::String(s)) => is_valid_percent(s)
            .into_iter()
            .map(|m| FieldError::invalid(path, int_or_string_value(&Value::String(s.clone())), m))
            .collect(),
        Some(Value::Number(n)) => validate_nonnegative_field(n.as_i64().unwrap_or(0), path),
        // An unset int-or-string is the integer 0.
        _ => Vec::new(),
    }
}

/// `IsNotMoreThan100Percent`.
fn validate_not_more_than_100_percent(v: Option<&Value>, path: &Path) -> ErrorList {
    match v {
        Some(Value::String(s))
            if is_valid_percent(s).is_empty() && int_or_percent_value(v) > 100 =>
        {
            vec![FieldError::invalid(
                path,
                int_or_string_value(&Value::String(s.clone())),
                "must not be greater than 100%",
            )]
        }
        _ => Vec::new(),
    }
}

/// `ValidateRollingUpdateDeployment`.
fn validate_rolling_update(ru: &Value, path: &Path) -> ErrorList {
    let (unavailable, surge) = (ru.get("maxUnavailable"), ru.get("maxSurge"));
    let mut errs = validate_positive_int_or_percent(unavailable, &path.child("maxUnavailable"));
    errs.extend(validate_positive_int_or_percent(
        surge,
        &path.child("maxSurge"),
    ));
    if int_or_percent_value(unavailable) == 0 && int_or_percent_value(surge) == 0 {
        errs.push(FieldError::invalid(
            &path.child("maxUnavailable"),
            int_or_string_value(unavailable.unwrap_or(&Value::from(0))),
            "may not be 0 when `maxSurge` is 0",
        ));
    }
    errs.extend(validate_not_more_than_100_percent(
        unavailable,
        &path.child("maxUnavailable"),
    ));
    errs
}

/// The internal `apps.DeploymentStrategy` (and `apps.DaemonSetUpdateStrategy`, of the same
/// shape) as `json.Marshal` prints it: the internal types have no JSON tags, so the Go field
/// names show.
fn internal_strategy_json(strategy: &Value) -> String {
    let t = strategy.get("type").and_then(Value::as_str).unwrap_or("");
    let ru = match strategy.get("rollingUpdate") {
        Some(ru) if ru.is_object() => format!(
            "{{\"MaxUnavailable\":{},\"MaxSurge\":{}}}",
            go_json(ru.get("maxUnavailable").unwrap_or(&Value::from(0))),
            go_json(ru.get("maxSurge").unwrap_or(&Value::from(0)))
        ),
        _ => "null".into(),
    };
    format!(
        "{{\"Type\":{},\"RollingUpdate\":{ru}}}",
        super::field::go_json_string(t)
    )
}

/// `ValidateDeploymentStrategy`.
fn validate_strategy(strategy: &Value, path: &Path) -> ErrorList {
    let rolling = strategy.get("rollingUpdate").filter(|r| !r.is_null());
    match strategy.get("type").and_then(Value::as_str).unwrap_or("") {
        "Recreate" => match rolling {
            Some(_) => vec![FieldError::forbidden(
                &path.child("rollingUpdate"),
                "may not be specified when strategy `type` is 'Recreate'",
            )],
            None => Vec::new(),
        },
        "RollingUpdate" => match rolling {
            Some(ru) => validate_rolling_update(ru, &path.child("rollingUpdate")),
            None => vec![FieldError::required(
                &path.child("rollingUpdate"),
                "this should be defaulted and never be nil",
            )],
        },
        _ => vec![FieldError::not_supported(
            path,
            BadValue::Json(internal_strategy_json(strategy)),
            &["Recreate", "RollingUpdate"],
        )],
    }
}

/// `ValidateDeploymentSpec`.
fn validate_deployment_spec(obj: &Value) -> ErrorList {
    let path = Path::new("spec");
    let mut errs = validate_nonnegative_field(
        int_at(obj, "/spec/replicas").unwrap_or(0),
        &path.child("replicas"),
    );
    errs.extend(validate_selector_and_template(obj, &path));
    let strategy = obj
        .pointer("/spec/strategy")
        .cloned()
        .unwrap_or(Value::Null);
    errs.extend(validate_strategy(&strategy, &path.child("strategy")));
    let min_ready = int_at(obj, "/spec/minReadySeconds").unwrap_or(0);
    errs.extend(validate_nonnegative_field(
        min_ready,
        &path.child("minReadySeconds"),
    ));
    if let Some(limit) = int_at(obj, "/spec/revisionHistoryLimit") {
        errs.extend(validate_nonnegative_field(
            limit,
            &path.child("revisionHistoryLimit"),
        ));
    }
    if let Some(deadline) = int_at(obj, "/spec/progressDeadlineSeconds") {
        let p = path.child("progressDeadlineSeconds");
        errs.extend(validate_nonnegative_field(deadline, &p));
        if deadline <= min_ready {
            errs.push(FieldError::invalid(
                &p,
                deadline,
                "must be greater than minReadySeconds",
            ));
        }
    }
    errs
}

/// `ValidateReplicaSetSpec`.
fn validate_replica_set_spec(obj: &Value) -> ErrorList {
    let path = Path::new("spec");
    let mut errs = validate_nonnegative_field(
        int_at(obj, "/spec/replicas").unwrap_or(0),
        &path.child("replicas"),
    );
    errs.extend(validate_nonnegative_field(
        int_at(obj, "/spec/minReadySeconds").unwrap_or(0),
        &path.child("minReadySeconds"),
    ));
    errs.extend(validate_selector_and_template(obj, &path));
    errs
}

/// `ValidateImmutableField(new.Spec.Selector, old.Spec.Selector, spec.selector)`.
fn validate_selector_unchanged(new: &Value, old: &Value) -> ErrorList {
    let (n, o) = (selector_of(new), selector_of(old));
    if n == o {
        return Vec::new();
    }
    let value = match n.as_ref() {
        Some(sel) => BadValue::Json(selector_json(sel)),
        None => BadValue::Null,
    };
    vec![FieldError::invalid(
        &Path::new("spec").child("selector"),
        value,
        FIELD_IMMUTABLE_ERROR_MSG,
    )]
}

/// `ValidateDeployment`: metadata (a DNS subdomain name), then the spec.
pub fn validate_deployment(obj: &Value) -> ErrorList {
    let mut errs = validate_object_meta(
        &metadata_of(obj),
        true,
        name_is_dns_subdomain,
        &Path::new("metadata"),
    );
    errs.extend(validate_deployment_spec(obj));
    errs
}

/// The Deployment strategy's `ValidateUpdate`: `ValidateDeploymentUpdate`, then the selector
/// may not change (apps/v1).
pub fn validate_deployment_update(new: &Value, old: &Value) -> ErrorList {
    let mut errs =
        validate_object_meta_update(&metadata_of(new), &metadata_of(old), &Path::new("metadata"));
    errs.extend(validate_deployment_spec(new));
    errs.extend(validate_selector_unchanged(new, old));
    errs
}

/// `ValidateDeploymentStatusUpdate`.
pub fn validate_deployment_status_update(new: &Value, old: &Value) -> ErrorList {
    let mut errs =
        validate_object_meta_update(&metadata_of(new), &metadata_of(old), &Path::new("metadata"));
    let path = Path::new("status");
    let get = |f: &str| int_at(new, &format!("/status/{f}")).unwrap_or(0);
    for f in [
        "observedGeneration",
        "replicas",
        "updatedReplicas",
        "readyReplicas",
        "availableReplicas",
        "unavailableReplicas",
    ] {
        errs.extend(validate_nonnegative_field(get(f), &path.child(f)));
    }
    if let Some(c) = int_at(new, "/status/collisionCount") {
        errs.extend(validate_nonnegative_field(c, &path.child("collisionCount")));
    }
    let msg = "cannot be greater than status.replicas";
    for f in ["updatedReplicas", "readyReplicas", "availableReplicas"] {
        if get(f) > get("replicas") {
            errs.push(FieldError::invalid(&path.child(f), get(f), msg));
        }
    }
    if get("availableReplicas") > get("readyReplicas") {
        errs.push(FieldError::invalid(
            &path.child("availableReplicas"),
            get("availableReplicas"),
            "cannot be greater than readyReplicas",
        ));
    }
    let (n, o) = (
        int_at(new, "/status/collisionCount"),
        int_at(old, "/status/collisionCount"),
    );
    if o.is_some_and(|o| n.is_none_or(|n| n < o)) {
        errs.push(FieldError::invalid(
            &path.child("collisionCount"),
            n.unwrap_or(0),
            "cannot be decremented",
        ));
    }
    errs
}

/// `ValidateReplicaSet`.
pub fn validate_replica_set(obj: &Value) -> ErrorList {
    let mut errs = validate_object_meta(
        &metadata_of(obj),
        true,
        name_is_dns_subdomain,
        &Path::new("metadata"),
    );
    errs.extend(validate_replica_set_spec(obj));
    errs
}

/// The ReplicaSet strategy's `ValidateUpdate`: `ValidateReplicaSet` and
/// `ValidateReplicaSetUpdate`, then the immutable selector; the spec errors both report are
/// listed once.
pub fn validate_replica_set_update(new: &Value, old: &Value) -> ErrorList {
    let mut errs = validate_replica_set(new);
    errs.extend(validate_object_meta_update(
        &metadata_of(new),
        &metadata_of(old),
        &Path::new("metadata"),
    ));
    errs.extend(validate_replica_set_spec(new));
    errs.extend(validate_selector_unchanged(new, old));
    super::field::dedup(&errs)
}

/// `ValidateReplicaSetStatusUpdate`.
pub fn validate_replica_set_status_update(new: &Value, old: &Value) -> ErrorList {
    let mut errs =
        validate_object_meta_update(&metadata_of(new), &metadata_of(old), &Path::new("metadata"));
    let path = Path::new("status");
    let get = |f: &str| int_at(new, &format!("/status/{f}")).unwrap_or(0);
    for f in [
        "replicas",
        "fullyLabeledReplicas",
        "readyReplicas",
        "availableReplicas",
        "observedGeneration",
    ] {
        errs.extend(validate_nonnegative_field(get(f), &path.child(f)));
    }
    let msg = "cannot be greater than status.replicas";
    for f in ["fullyLabeledReplicas", "readyReplicas", "availableReplicas"] {
        if get(f) > get("replicas") {
            errs.push(FieldError::invalid(&path.child(f), get(f), msg));
        }
    }
    if get("availableReplicas") > get("readyReplicas") {
        errs.push(FieldError::invalid(
            &path.child("availableReplicas"),
            get("availableReplicas"),
            "cannot be greater than readyReplicas",
        ));
    }
    errs
}

/// `ValidateScale` (autoscaling): metadata, and replicas not negative.
pub fn validate_scale(scale: &Value) -> ErrorList {
    let mut errs = validate_object_meta(
        &metadata_of(scale),
        true,
        name_is_dns_subdomain,
        &Path::new("metadata"),
    );
    let replicas = int_at(scale, "/spec/replicas").unwrap_or(0);
    errs.extend(validate_nonnegative_field(
        replicas,
        &Path::new("spec").child("replicas"),
    ));
    errs
}

// ---- DaemonSet ------------------------------------------------------------------------------

/// `ValidateRollingUpdateDaemonSet`: both fields an int or percent, neither over 100%, and
/// exactly one of them non-zero.
fn validate_rolling_update_daemon_set(ru: &Value, path: &Path) -> ErrorList {
    let (unavailable, surge) = (ru.get("maxUnavailable"), ru.get("maxSurge"));
    let mut errs = validate_positive_int_or_percent(unavailable, &path.child("maxUnavailable"));
    errs.extend(validate_positive_int_or_percent(
        surge,
        &path.child("maxSurge"),
    ));
    errs.extend(validate_not_more_than_100_percent(
        unavailable,
        &path.child("maxUnavailable"),
    ));
    errs.extend(validate_not_more_than_100_percent(
        surge,
        &path.child("maxSurge"),
    ));
    let has_unavailable = int_or_percent_value(unavailable) != 0;
    let has_surge = int_or_percent_value(surge) != 0;
    if has_unavailable && has_surge {
        errs.push(FieldError::invalid(
            &path.child("maxSurge"),
            int_or_string_value(surge.unwrap_or(&Value::from(0))),
            "may not be set when maxUnavailable is non-zero",
        ));
    } else if !has_unavailable && !has_surge {
        errs.push(FieldError::required(
            &path.child("maxUnavailable"),
            "cannot be 0 when maxSurge is 0",
        ));
    }
    errs
}

/// `ValidateDaemonSetUpdateStrategy`.
fn validate_daemon_set_update_strategy(strategy: &Value, path: &Path) -> ErrorList {
    let rolling = strategy.get("rollingUpdate").filter(|r| !r.is_null());
    match strategy.get("type").and_then(Value::as_str).unwrap_or("") {
        "OnDelete" => Vec::new(),
        "RollingUpdate" => match rolling {
            Some(ru) => validate_rolling_update_daemon_set(ru, &path.child("rollingUpdate")),
            None => vec![FieldError::required(&path.child("rollingUpdate"), "")],
        },
        _ => vec![FieldError::not_supported(
            path,
            BadValue::Json(internal_strategy_json(strategy)),
            &["RollingUpdate", "OnDelete"],
        )],
    }
}

/// `ValidateDaemonSetSpec`: unlike a Deployment's, a nil selector is not "Required": it selects
/// nothing, so the template's labels do not match it.
fn validate_daemon_set_spec(obj: &Value) -> ErrorList {
    let path = Path::new("spec");
    let selector = selector_of(obj);
    let mut errs = validate_label_selector(selector.as_ref(), &path.child("selector"));
    let template: PodTemplateSpec = obj
        .pointer("/spec/template")
        .and_then(|t| serde_json::from_value(t.clone()).ok())
        .unwrap_or_default();
    let labels = template.metadata.as_ref().and_then(|m| m.labels.as_ref());
    let matches = match selector.as_ref() {
        None => Some(false),
        Some(sel) if !selector_converts(sel) => None,
        Some(sel) => Some(selector_matches(sel, labels.unwrap_or(&BTreeMap::new()))),
    };
    let template_path = path.child("template");
    if matches == Some(false) {
        errs.push(FieldError::invalid(
            &template_path.child("metadata").child("labels"),
            labels_json(labels),
            "`selector` does not match template `labels`",
        ));
    }
    if let Some(sel) = selector.as_ref().filter(|s| is_empty_selector(s)) {
        errs.push(FieldError::invalid(
            &path.child("selector"),
            BadValue::Json(selector_json(sel)),
            "empty selector is invalid for daemonset",
        ));
    }
    errs.extend(validate_pod_template_spec(&template, &template_path));
    let spec = template.spec.clone().unwrap_or_default();
    let restart = spec.restart_policy.as_deref().unwrap_or("");
    if restart != "Always" {
        errs.push(FieldError::not_supported(
            &template_path.child("spec").child("restartPolicy"),
            BadValue::named(restart),
            &["Always"],
        ));
    }
    if spec.active_deadline_seconds.is_some() {
        errs.push(FieldError::forbidden(
            &template_path.child("spec").child("activeDeadlineSeconds"),
            "activeDeadlineSeconds in DaemonSet is not Supported",
        ));
    }
    errs.extend(validate_nonnegative_field(
        int_at(obj, "/spec/minReadySeconds").unwrap_or(0),
        &path.child("minReadySeconds"),
    ));
    let strategy = obj
        .pointer("/spec/updateStrategy")
        .cloned()
        .unwrap_or(Value::Null);
    errs.extend(validate_daemon_set_update_strategy(
        &strategy,
        &path.child("updateStrategy"),
    ));
    if let Some(limit) = int_at(obj, "/spec/revisionHistoryLimit") {
        errs.extend(validate_nonnegative_field(
            limit,
            &path.child("revisionHistoryLimit"),
        ));
    }
    errs
}

/// `ValidateDaemonSet`: metadata (a DNS subdomain name), then the spec.
pub fn validate_daemon_set(obj: &Value) -> ErrorList {
    let mut errs = validate_object_meta(
        &metadata_of(obj),
        true,
        name_is_dns_subdomain,
        &Path::new("metadata"),
    );
    errs.extend(validate_daemon_set_spec(obj));
    errs
}

/// The DaemonSet strategy's `ValidateUpdate`: `ValidateDaemonSetUpdate`, then the selector may not
/// change (apps/v1).
pub fn validate_daemon_set_update(new: &Value, old: &Value) -> ErrorList {
    let mut errs =
        validate_object_meta_update(&metadata_of(new), &metadata_of(old), &Path::new("metadata"));
    // ValidateDaemonSetSpecUpdate: the selector is immutable (its templateGeneration rules
    // cannot fail once PrepareForUpdate has set it), before the spec itself.
    errs.extend(validate_selector_unchanged(new, old));
    errs.extend(validate_daemon_set_spec(new));
    errs
}

/// `ValidateDaemonSetStatusUpdate`: nonnegative counters, and a collision count that never goes
/// down.
pub fn validate_daemon_set_status_update(new: &Value, old: &Value) -> ErrorList {
    let mut errs =
        validate_object_meta_update(&metadata_of(new), &metadata_of(old), &Path::new("metadata"));
    let path = Path::new("status");
    for f in [
        "currentNumberScheduled",
        "numberMisscheduled",
        "desiredNumberScheduled",
        "numberReady",
        "observedGeneration",
        "updatedNumberScheduled",
        "numberAvailable",
        "numberUnavailable",
    ] {
        let v = int_at(new, &format!("/status/{f}")).unwrap_or(0);
        errs.extend(validate_nonnegative_field(v, &path.child(f)));
    }
    let (n, o) = (
        int_at(new, "/status/collisionCount"),
        int_at(old, "/status/collisionCount"),
    );
    if let Some(c) = n {
        errs.extend(validate_nonnegative_field(c, &path.child("collisionCount")));
    }
    if o.is_some_and(|o| n.is_none_or(|n| n < o)) {
        errs.push(FieldError::invalid(
            &path.child("collisionCount"),
            n.unwrap_or(0),
            "cannot be decremented",
        ));
    }
    errs
}

/// `ValidateStatefulSetStatusUpdate`: nonnegative counters, ready/current/updated/available
/// replicas not above replicas, available not above ready, then metadata, and a collision count
/// that never goes down.
pub fn validate_stateful_set_status_update(new: &Value, old: &Value) -> ErrorList {
    let mut errs = Vec::new();
    let path = Path::new("status");
    let get = |f: &str| int_at(new, &format!("/status/{f}")).unwrap_or(0);
    for f in [
        "replicas",
        "readyReplicas",
        "currentReplicas",
        "updatedReplicas",
        "availableReplicas",
    ] {
        errs.extend(validate_nonnegative_field(get(f), &path.child(f)));
    }
    if let Some(g) = int_at(new, "/status/observedGeneration") {
        errs.extend(validate_nonnegative_field(
            g,
            &path.child("observedGeneration"),
        ));
    }
    if let Some(c) = int_at(new, "/status/collisionCount") {
        errs.extend(validate_nonnegative_field(c, &path.child("collisionCount")));
    }
    let msg = "cannot be greater than status.replicas";
    for f in [
        "readyReplicas",
        "currentReplicas",
        "updatedReplicas",
        "availableReplicas",
    ] {
        if get(f) > get("replicas") {
            errs.push(FieldError::invalid(&path.child(f), get(f), msg));
        }
    }
    if get("availableReplicas") > get("readyReplicas") {
        errs.push(FieldError::invalid(
            &path.child("availableReplicas"),
            get("availableReplicas"),
            "cannot be greater than status.readyReplicas",
        ));
    }
    errs.extend(validate_object_meta_update(
        &metadata_of(new),
        &metadata_of(old),
        &Path::new("metadata"),
    ));
    let (n, o) = (
        int_at(new, "/status/collisionCount"),
        int_at(old, "/status/collisionCount"),
    );
    if o.is_some_and(|o| n.is_none_or(|n| n < o)) {
        errs.push(FieldError::invalid(
            &path.child("collisionCount"),
            n.unwrap_or(0),
            "cannot be decremented",
        ));
    }
    errs
}

// ---- StatefulSet ----------------------------------------------------------------------------

/// The spec fields a StatefulSet update may change (ValidateStatefulSetUpdate).
const STATEFUL_SET_MUTABLE: &[&str] = &[
    "replicas",
    "template",
    "updateStrategy",
    "minReadySeconds",
    "ordinals",
    "revisionHistoryLimit",
    "persistentVolumeClaimRetentionPolicy",
];

/// The error of a StatefulSet update touching anything else.
pub const STATEFUL_SET_FORBIDDEN_UPDATE: &str = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/// What `ValidateStatefulSetSpec` may skip (`StatefulSetValidationOptions`).
#[derive(Clone, Copy, Default)]
struct StatefulSetOptions {
    allow_invalid_service_name: bool,
    skip_volume_claim_templates: bool,
    skip_pod_template: bool,
}

/// The internal `apps.RollingUpdateStatefulSetStrategy` as `json.Marshal` prints it.
fn internal_sts_rolling_json(ru: &Value) -> String {
    let unavailable = ru
        .get("maxUnavailable")
        .filter(|v| !v.is_null())
        .map_or("null".to_string(), go_json);
    format!(
        "{{\"Partition\":{},\"MaxUnavailable\":{unavailable}}}",
        ru.get("partition").and_then(Value::as_i64).unwrap_or(0)
    )
}

/// The pod management policy and update strategy checks of `ValidateStatefulSetSpec`.
fn validate_sts_policies(obj: &Value, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    match obj
        .pointer("/spec/podManagementPolicy")
        .and_then(Value::as_str)
    {
        None | Some("") => errs.push(FieldError::required(&path.child("podManagementPolicy"), "")),
        Some("OrderedReady" | "Parallel") => {}
        Some(other) => errs.push(FieldError::invalid(
            &path.child("podManagementPolicy"),
            BadValue::named(other),
            "must be 'OrderedReady' or 'Parallel'",
        )),
    }
    let strategy = obj
        .pointer("/spec/updateStrategy")
        .cloned()
        .unwrap_or(Value::Null);
    let rolling = strategy.get("rollingUpdate").filter(|r| !r.is_null());
    let strategy_path = path.child("updateStrategy");
    match strategy.get("type").and_then(Value::as_str).unwrap_or("") {
        "" => errs.push(FieldError::required(&strategy_path, "")),
        "OnDelete" => {
            if let Some(ru) = rolling {
                errs.push(FieldError::invalid(
                    &strategy_path.child("rollingUpdate"),
                    BadValue::Json(internal_sts_rolling_json(ru)),
                    "only allowed for updateStrategy 'RollingUpdate'",
                ));
            }
        }
        "RollingUpdate" => {
            if let Some(ru) = rolling {
                errs.extend(validate_sts_rolling_update(
                    ru,
                    &strategy_path.child("rollingUpdate"),
                ));
            }
        }
        other => {
            let ru = rolling.map_or("null".to_string(), internal_sts_rolling_json);
            errs.push(FieldError::invalid(
                &strategy_path,
                BadValue::Json(format!(
                    "{{\"Type\":{},\"RollingUpdate\":{ru}}}",
                    super::field::go_json_string(other)
                )),
                "must be 'RollingUpdate' or 'OnDelete'",
            ));
        }
    }
    for field in ["whenDeleted", "whenScaled"] {
        let pointer = format!("/spec/persistentVolumeClaimRetentionPolicy/{field}");
        if obj
            .pointer("/spec/persistentVolumeClaimRetentionPolicy")
            .is_none()
        {
            break;
        }
        let value = obj.pointer(&pointer).and_then(Value::as_str).unwrap_or("");
        if !matches!(value, "Retain" | "Delete") {
            errs.push(FieldError::not_supported(
                &path
                    .child("persistentVolumeClaimRetentionPolicy")
                    .child(field),
                BadValue::named(value),
                &["Retain", "Delete"],
            ));
        }
    }
    errs
}

/// `validateRollingUpdateStatefulSet`: a nonnegative partition; maxUnavailable an int or percent,
/// not 0 and not above 100%.
fn validate_sts_rolling_update(ru: &Value, path: &Path) -> ErrorList {
    let mut errs = validate_nonnegative_field(
        ru.get("partition").and_then(Value::as_i64).unwrap_or(0),
        &path.child("partition"),
    );
    if let Some(unavailable) = ru.get("maxUnavailable").filter(|v| !v.is_null()) {
        let p = path.child("maxUnavailable");
        errs.extend(validate_positive_int_or_percent(Some(unavailable), &p));
        if int_or_percent_value(Some(unavailable)) == 0 {
            errs.push(FieldError::invalid(
                &p,
                int_or_string_value(unavailable),
                "cannot be 0",
            ));
        }
        errs.extend(validate_not_more_than_100_percent(Some(unavailable), &p));
    }
    errs
}

/// The template a StatefulSet's pods get, as validation sees it: hostname and subdomain cleared
/// (the controller sets them), and a PVC volume for each claim template (replacing a volume of
/// the same name).
fn sts_template_to_validate(obj: &Value, claims: &[PersistentVolumeClaim]) -> PodTemplateSpec {
    let mut template: PodTemplateSpec = obj
        .pointer("/spec/template")
        .and_then(|t| serde_json::from_value(t.clone()).ok())
        .unwrap_or_default();
    let spec = template.spec.get_or_insert_with(Default::default);
    spec.hostname = None;
    spec.subdomain = None;
    if !claims.is_empty() {
        let names: Vec<String> = claims
            .iter()
            .map(|c| c.metadata.name.clone().unwrap_or_default())
            .collect();
        let mut volumes: Vec<Volume> = names
            .iter()
            .map(|n| Volume {
                name: n.clone(),
                persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                    claim_name: n.clone(),
                    read_only: None,
                }),
                ..Default::default()
            })
            .collect();
        volumes.extend(
            spec.volumes
                .take()
                .unwrap_or_default()
                .into_iter()
                .filter(|v| !names.contains(&v.name)),
        );
        spec.volumes = Some(volumes);
    }
    template
}

/// `ValidateStatefulSetSpec`.
fn validate_stateful_set_spec(obj: &Value, opts: StatefulSetOptions) -> ErrorList {
    let path = Path::new("spec");
    let mut errs = validate_sts_policies(obj, &path);
    let claims: Vec<PersistentVolumeClaim> = obj
        .pointer("/spec/volumeClaimTemplates")
        .and_then(|c| serde_json::from_value(c.clone()).ok())
        .unwrap_or_default();
    if !opts.skip_volume_claim_templates {
        for (i, claim) in claims.iter().enumerate() {
            errs.extend(super::storage::validate_pvc_spec(
                &claim.spec.clone().unwrap_or_default(),
                &path.child("volumeClaimTemplates").index(i).child("spec"),
            ));
        }
    }
    errs.extend(validate_nonnegative_field(
        int_at(obj, "/spec/replicas").unwrap_or(0),
        &path.child("replicas"),
    ));
    errs.extend(validate_nonnegative_field(
        int_at(obj, "/spec/minReadySeconds").unwrap_or(0),
        &path.child("minReadySeconds"),
    ));
    if let Some(start) = obj.pointer("/spec/ordinals").filter(|o| o.is_object()) {
        errs.extend(validate_nonnegative_field(
            start.get("start").and_then(Value::as_i64).unwrap_or(0),
            &path.child("ordinals.start"),
        ));
    }
    let service = obj
        .pointer("/spec/serviceName")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !opts.allow_invalid_service_name && !service.is_empty() {
        for m in is_dns1123_label(service) {
            errs.push(FieldError::invalid(&path.child("serviceName"), service, m));
        }
    }
    let selector = selector_of(obj);
    match selector.as_ref() {
        None => errs.push(FieldError::required(&path.child("selector"), "")),
        Some(sel) => {
            errs.extend(validate_label_selector(Some(sel), &path.child("selector")));
            if is_empty_selector(sel) {
                errs.push(FieldError::invalid(
                    &path.child("selector"),
                    BadValue::Json(selector_json(sel)),
                    "empty selector is invalid for statefulset",
                ));
            }
        }
    }
    let template_path = path.child("template");
    match selector.as_ref() {
        Some(sel) if !selector_converts(sel) => errs.push(FieldError::invalid(
            &path.child("selector"),
            BadValue::Json(selector_json(sel)),
            "",
        )),
        _ => {
            let template = sts_template_to_validate(obj, &claims);
            let labels = template.metadata.as_ref().and_then(|m| m.labels.as_ref());
            // A nil selector is labels.Nothing(): not empty, and it matches nothing.
            let mismatch = match selector.as_ref() {
                None => true,
                Some(sel) if is_empty_selector(sel) => false,
                Some(sel) => !selector_matches(sel, labels.unwrap_or(&BTreeMap::new())),
            };
            if mismatch {
                errs.push(FieldError::invalid(
                    &template_path.child("metadata").child("labels"),
                    labels_json(labels),
                    "`selector` does not match template `labels`",
                ));
            }
            if !opts.skip_pod_template {
                errs.extend(validate_pod_template_spec(&template, &template_path));
            }
        }
    }
    let restart = obj
        .pointer("/spec/template/spec/restartPolicy")
        .and_then(Value::as_str)
        .unwrap_or("");
    if restart != "Always" {
        errs.push(FieldError::not_supported(
            &template_path.child("spec").child("restartPolicy"),
            BadValue::named(restart),
            &["Always"],
        ));
    }
    if obj
        .pointer("/spec/template/spec/activeDeadlineSeconds")
        .is_some_and(|v| !v.is_null())
    {
        errs.push(FieldError::forbidden(
            &template_path.child("spec").child("activeDeadlineSeconds"),
            "activeDeadlineSeconds in StatefulSet is not Supported",
        ));
    }
    errs
}

/// `ValidateStatefulSet`: metadata (a DNS label name: pods are named after the set), then the spec.
pub fn validate_stateful_set(obj: &Value) -> ErrorList {
    let mut errs = validate_object_meta(
        &metadata_of(obj),
        true,
        name_is_dns_label,
        &Path::new("metadata"),
    );
    errs.extend(validate_stateful_set_spec(
        obj,
        StatefulSetOptions::default(),
    ));
    errs
}

/// `ValidateStatefulSetUpdate`: metadata, the new spec (the service name and claim templates as
/// they were, the template skipped when the old spec was already invalid), and no change outside
/// the mutable fields.
pub fn validate_stateful_set_update(new: &Value, old: &Value) -> ErrorList {
    let mut errs =
        validate_object_meta_update(&metadata_of(new), &metadata_of(old), &Path::new("metadata"));
    let mut opts = StatefulSetOptions {
        allow_invalid_service_name: true,
        skip_volume_claim_templates: true,
        skip_pod_template: false,
    };
    opts.skip_pod_template = !validate_stateful_set_spec(old, opts).is_empty();
    errs.extend(validate_stateful_set_spec(new, opts));
    let frozen = |obj: &Value| {
        let mut spec = obj.get("spec").cloned().unwrap_or(Value::Null);
        if let Some(m) = spec.as_object_mut() {
            m.retain(|k, v| !STATEFUL_SET_MUTABLE.contains(&k.as_str()) && !v.is_null());
        }
        spec
    };
    if frozen(new) != frozen(old) {
        errs.push(FieldError::forbidden(
            &Path::new("spec"),
            STATEFUL_SET_FORBIDDEN_UPDATE,
        ));
    }
    errs
}

// ---- Job (pkg/apis/batch/validation/validation.go) ---------------------------------------------

/// The nonnegative counters of validateJobSpec, in its order.
const JOB_COUNTERS: &[&str] = &[
    "parallelism",
    "completions",
    "activeDeadlineSeconds",
    "backoffLimit",
    "ttlSecondsAfterFinished",
    "backoffLimitPerIndex",
];

/// validateJobSpec: the counters, the completion mode and what it allows, the pod replacement
/// policy, the template, and a restart policy of OnFailure or Never.
pub(super) fn validate_job_spec_fields(obj: &Value, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for field in JOB_COUNTERS {
        if let Some(v) = int_at(obj, &format!("/spec/{field}")) {
            errs.extend(validate_nonnegative_field(v, &path.child(field)));
        }
    }
    let per_index = int_at(obj, "/spec/backoffLimitPerIndex");
    let max_failed = int_at(obj, "/spec/maxFailedIndexes");
    if let Some(v) = max_failed {
        errs.extend(validate_nonnegative_field(
            v,
            &path.child("maxFailedIndexes"),
        ));
        if per_index.is_none() {
            errs.push(FieldError::required(
                &path.child("backoffLimitPerIndex"),
                "when maxFailedIndexes is specified",
            ));
        }
    }
    let mode = obj.pointer("/spec/completionMode").and_then(Value::as_str);
    if let Some(m) = mode.filter(|m| !matches!(*m, "NonIndexed" | "Indexed")) {
        errs.push(FieldError::not_supported(
            &path.child("completionMode"),
            BadValue::named(m),
            &["NonIndexed", "Indexed"],
        ));
    }
    if mode == Some("Indexed") && int_at(obj, "/spec/completions").is_none() {
        errs.push(FieldError::required(
            &path.child("completions"),
            "when completion mode is Indexed",
        ));
    }
    if matches!(mode, None | Some("NonIndexed")) {
        for (field, v) in [
            ("backoffLimitPerIndex", per_index),
            ("maxFailedIndexes", max_failed),
        ] {
            if let Some(v) = v {
                errs.push(FieldError::invalid(
                    &path.child(field),
                    v,
                    "requires indexed completion mode",
                ));
            }
        }
    }
    let failure_policy = obj
        .pointer("/spec/podFailurePolicy")
        .is_some_and(|p| !p.is_null());
    if let Some(policy) = obj
        .pointer("/spec/podReplacementPolicy")
        .and_then(Value::as_str)
    {
        let allowed: &[&str] = if failure_policy {
            &["Failed"]
        } else {
            &["Failed", "TerminatingOrFailed"]
        };
        if !allowed.contains(&policy) {
            errs.push(FieldError::not_supported(
                &path.child("podReplacementPolicy"),
                BadValue::named(policy),
                allowed,
            ));
        }
    }
    let template: PodTemplateSpec = obj
        .pointer("/spec/template")
        .and_then(|t| serde_json::from_value(t.clone()).ok())
        .unwrap_or_default();
    let template_path = path.child("template");
    errs.extend(validate_pod_template_spec(&template, &template_path));
    let restart_path = template_path.child("spec").child("restartPolicy");
    let restart = template
        .spec
        .as_ref()
        .and_then(|s| s.restart_policy.as_deref())
        .unwrap_or("");
    match restart {
        "" | "Always" => errs.push(FieldError::required(
            &restart_path,
            "valid values: \"OnFailure\", \"Never\"",
        )),
        "OnFailure" if failure_policy => errs.push(FieldError::invalid(
            &restart_path,
            BadValue::named(restart),
            "only \"Never\" is supported when podFailurePolicy is specified",
        )),
        "OnFailure" | "Never" => {}
        other => errs.push(FieldError::not_supported(
            &restart_path,
            BadValue::named(other),
            &["OnFailure", "Never"],
        )),
    }
    errs
}

/// ValidateJobSpec's selector part: required, well-formed, and selecting the template's labels
/// (a missing selector is `labels.Nothing()`, which selects nothing).
fn validate_job_selector(obj: &Value, path: &Path) -> ErrorList {
    let selector = selector_of(obj);
    let mut errs = match selector.as_ref() {
        None => vec![FieldError::required(&path.child("selector"), "")],
        Some(sel) => validate_label_selector(Some(sel), &path.child("selector")),
    };
    let labels = obj
        .pointer("/spec/template/metadata/labels")
        .and_then(|l| serde_json::from_value::<BTreeMap<String, String>>(l.clone()).ok());
    let mismatch = match selector.as_ref() {
        None => true,
        Some(sel) => {
            selector_converts(sel)
                && !selector_matches(sel, labels.as_ref().unwrap_or(&BTreeMap::new()))
        }
    };
    if mismatch {
        errs.push(FieldError::invalid(
            &path.child("template").child("metadata").child("labels"),
            labels_json(labels.as_ref()),
            "`selector` does not match template `labels`",
        ));
    }
    errs
}

/// `ValidateJob`: metadata (a DNS subdomain, as ReplicationControllers), the generated selector
/// (`require_prefixed`: the `batch.kubernetes.io/` labels too), the spec and its selector, and an
/// Indexed Job's longest pod hostname. A selector still to be generated (`selector_pending`:
/// podlab assigns the uid after validating a create, so it generates none) is not checked.
pub fn validate_job_with(obj: &Value, require_prefixed: bool, selector_pending: bool) -> ErrorList {
    let meta = metadata_of(obj);
    let mut errs = validate_object_meta(&meta, true, name_is_dns_subdomain, &Path::new("metadata"));
    errs.extend(super::batch::validate_generated_selector(
        obj,
        require_prefixed,
    ));
    let path = Path::new("spec");
    errs.extend(validate_job_spec_fields(obj, &path));
    if !selector_pending {
        errs.extend(validate_job_selector(obj, &path));
    }
    let completions = int_at(obj, "/spec/completions").unwrap_or(0);
    let indexed = obj.pointer("/spec/completionMode").and_then(Value::as_str) == Some("Indexed");
    if indexed && completions > 0 {
        let name = meta.name.unwrap_or_default();
        let hostname = format!("{name}-{}", completions - 1);
        if !is_dns1123_label(&hostname).is_empty() {
            errs.push(FieldError::invalid(
                &Path::new("metadata").child("name"),
                name.as_str(),
                format!("will not able to create pod with invalid DNS label: {hostname}"),
            ));
        }
    }
    errs
}

/// `ValidateJob` on create (the prefixed labels required).
pub fn validate_job(obj: &Value) -> ErrorList {
    validate_job_with(obj, true, super::batch::selector_pending(obj))
}

/// The Job strategy's `ValidateUpdate`: `ValidateJob` (the prefixed labels required only when
/// the old template had them), then `ValidateJobUpdate`'s immutability rules; repeats removed.
pub fn validate_job_update(new: &Value, old: &Value) -> ErrorList {
    // A Job stored without the generated selector (see `validate_job_with`) keeps none.
    let never_generated = super::batch::selector_pending(old)
        || (old.pointer("/spec/selector").is_none_or(Value::is_null)
            && new.pointer("/spec/selector").is_none_or(Value::is_null)
            && new.pointer("/spec/manualSelector").and_then(Value::as_bool) != Some(true));
    let mut errs = validate_job_with(new, super::batch::had_prefixed_labels(old), never_generated);
    errs.extend(super::batch::validate_job_update_rules(new, old));
    super::field::dedup(&errs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment() -> Value {
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "hello", "namespace": "default", "labels": {"app": "hello"}},
            "spec": {
                "replicas": 3,
                "selector": {"matchLabels": {"app": "hello"}},
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                "revisionHistoryLimit": 10,
                "progressDeadlineSeconds": 600,
                "template": {
                    "metadata": {"labels": {"app": "hello"}},
                    "spec": {
                        "containers": [{"name": "hello", "image": "nginx:1.27", "imagePullPolicy": "IfNotPresent", "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}],
                        "restartPolicy": "Always",
                        "dnsPolicy": "ClusterFirst",
                        "terminationGracePeriodSeconds": 30,
                        "schedulerName": "default-scheduler",
                        "securityContext": {}
                    }
                }
            }
        })
    }

    fn messages(errs: &ErrorList) -> Vec<String> {
        super::super::field::dedup(errs)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn the_case_11_deployment_is_valid() {
        assert_eq!(
            messages(&validate_deployment(&deployment())),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_missing_selector_is_required_and_selects_nothing() {
        let mut d = deployment();
        d["spec"].as_object_mut().unwrap().remove("selector");
        assert_eq!(
            messages(&validate_deployment(&d)),
            vec![
                "spec.selector: Required value".to_string(),
                "spec.template.metadata.labels: Invalid value: {\"app\":\"hello\"}: `selector` does not match template `labels`".to_string(),
            ]
        );
    }

    #[test]
    fn an_empty_selector_is_invalid() {
        let mut d = deployment();
        d["spec"]["selector"] = json!({});
        assert_eq!(
            messages(&validate_deployment(&d)),
            vec![
                "spec.selector: Invalid value: {}: empty selector is invalid for deployment"
                    .to_string()
            ]
        );
    }

    #[test]
    fn selector_must_match_the_template() {
        let mut d = deployment();
        d["spec"]["selector"] = json!({"matchLabels": {"app": "other"}});
        assert_eq!(
            messages(&validate_deployment(&d)),
            vec!["spec.template.metadata.labels: Invalid value: {\"app\":\"hello\"}: `selector` does not match template `labels`".to_string()]
        );
    }

    #[test]
    fn negative_replicas_and_bad_strategy() {
        let mut d = deployment();
        d["spec"]["replicas"] = json!(-1);
        d["spec"]["strategy"]["rollingUpdate"] = json!({"maxSurge": 0, "maxUnavailable": "120%"});
        assert_eq!(
            messages(&validate_deployment(&d)),
            vec![
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0".to_string(),
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"120%\": must not be greater than 100%".to_string(),
            ]
        );
        d["spec"]["replicas"] = json!(1);
        d["spec"]["strategy"]["rollingUpdate"] = json!({"maxSurge": 0, "maxUnavailable": 0});
        assert_eq!(
            messages(&validate_deployment(&d)),
            vec!["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0".to_string()]
        );
    }

    #[test]
    fn restart_policy_must_be_always() {
        let mut d = deployment();
        d["spec"]["template"]["spec"]["restartPolicy"] = json!("OnFailure");
        assert_eq!(
            messages(&validate_deployment(&d)),
            vec!["spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"".to_string()]
        );
    }

    #[test]
    fn progress_deadline_beyond_min_ready() {
        let mut d = deployment();
        d["spec"]["minReadySeconds"] = json!(10);
        d["spec"]["progressDeadlineSeconds"] = json!(5);
        assert_eq!(
            messages(&validate_deployment(&d)),
            vec!["spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds".to_string()]
        );
    }

    #[test]
    fn selector_is_immutable() {
        let old = {
            let mut d = deployment();
            d["metadata"]["resourceVersion"] = json!("5");
            d
        };
        let mut new = old.clone();
        new["spec"]["selector"] = json!({"matchLabels": {"app": "hello", "tier": "web"}});
        new["spec"]["template"]["metadata"]["labels"]["tier"] = json!("web");
        assert_eq!(
            messages(&validate_deployment_update(&new, &old)),
            vec!["spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"hello\",\"tier\":\"web\"}}: field is immutable".to_string()]
        );
    }

    #[test]
    fn scale_replicas_not_negative() {
        let scale = json!({"metadata": {"name": "hello", "namespace": "default"}, "spec": {"replicas": -2}});
        assert_eq!(
            messages(&validate_scale(&scale)),
            vec![
                "spec.replicas: Invalid value: -2: must be greater than or equal to 0".to_string()
            ]
        );
    }

    fn daemon_set() -> Value {
        let mut ds = deployment();
        ds["kind"] = json!("DaemonSet");
        if let Some(spec) = ds["spec"].as_object_mut() {
            spec.remove("replicas");
            spec.remove("strategy");
            spec.remove("progressDeadlineSeconds");
            spec.insert(
                "updateStrategy".into(),
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}),
            );
        }
        ds
    }

    #[test]
    fn a_defaulted_daemon_set_is_valid() {
        assert!(validate_daemon_set(&daemon_set()).is_empty());
    }

    #[test]
    fn daemon_set_selector_template_and_strategy_errors() {
        let mut ds = daemon_set();
        ds["spec"]["selector"] = json!({});
        ds["spec"]["template"]["spec"]["activeDeadlineSeconds"] = json!(5);
        ds["spec"]["updateStrategy"]["rollingUpdate"] = json!({"maxUnavailable": 1, "maxSurge": 1});
        assert_eq!(
            messages(&validate_daemon_set(&ds)),
            vec![
                "spec.selector: Invalid value: {}: empty selector is invalid for daemonset".to_string(),
                "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported".to_string(),
                "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero".to_string(),
            ]
        );
        let mut ds = daemon_set();
        if let Some(spec) = ds["spec"].as_object_mut() {
            spec.remove("selector");
        }
        ds["spec"]["updateStrategy"] = json!({"type": "Blue"});
        assert_eq!(
            messages(&validate_daemon_set(&ds)),
            vec![
                "spec.template.metadata.labels: Invalid value: {\"app\":\"hello\"}: `selector` does not match template `labels`".to_string(),
                "spec.updateStrategy: Unsupported value: {\"Type\":\"Blue\",\"RollingUpdate\":null}: supported values: \"RollingUpdate\", \"OnDelete\"".to_string(),
            ]
        );
    }

    fn job() -> Value {
        let mut job = deployment();
        job["apiVersion"] = json!("batch/v1");
        job["kind"] = json!("Job");
        job["spec"] = json!({
            "backoffLimit": 6, "completions": 1, "parallelism": 1, "completionMode": "NonIndexed",
            "template": job["spec"]["template"].clone(),
        });
        job["spec"]["template"]["spec"]["restartPolicy"] = json!("Never");
        job
    }

    #[test]
    fn a_job_needs_restart_on_failure_or_never() {
        assert!(validate_job(&job()).is_empty());
        let mut always = job();
        always["spec"]["template"]["spec"]["restartPolicy"] = json!("Always");
        assert_eq!(
            messages(&validate_job(&always)),
            vec!["spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"".to_string()]
        );
    }

    #[test]
    fn job_counters_and_completion_mode() {
        let mut j = job();
        j["spec"]["backoffLimit"] = json!(-1);
        j["spec"]["completionMode"] = json!("Sometimes");
        assert_eq!(
            messages(&validate_job(&j)),
            vec![
                "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0".to_string(),
                "spec.completionMode: Unsupported value: \"Sometimes\": supported values: \"NonIndexed\", \"Indexed\"".to_string(),
            ]
        );
        let mut manual = job();
        manual["spec"]["manualSelector"] = json!(true);
        assert_eq!(
            messages(&validate_job(&manual)),
            vec![
                "spec.selector: Required value".to_string(),
                "spec.template.metadata.labels: Invalid value: {\"app\":\"hello\"}: `selector` does not match template `labels`".to_string(),
            ]
        );
    }

    fn stateful_set() -> Value {
        let mut sts = deployment();
        sts["kind"] = json!("StatefulSet");
        sts["spec"] = json!({
            "replicas": 2, "serviceName": "nginx", "podManagementPolicy": "OrderedReady",
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": {"app": "hello"}},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
            "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
            "template": sts["spec"]["template"].clone(),
            "volumeClaimTemplates": [{"metadata": {"name": "www"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}, "volumeMode": "Filesystem"}}],
        });
        sts["spec"]["template"]["spec"]["containers"][0]["volumeMounts"] =
            json!([{"name": "www", "mountPath": "/usr/share/nginx/html"}]);
        sts
    }

    #[test]
    fn a_stateful_set_mounts_its_claim_templates() {
        assert_eq!(
            messages(&validate_stateful_set(&stateful_set())),
            Vec::<String>::new()
        );
    }

    #[test]
    fn stateful_set_names_are_dns_labels_and_claims_need_storage() {
        let mut sts = stateful_set();
        sts["metadata"]["name"] = json!("web.v1");
        sts["spec"]["volumeClaimTemplates"][0]["spec"]["resources"] = json!({});
        sts["spec"]["podManagementPolicy"] = json!("AllAtOnce");
        assert_eq!(
            messages(&validate_stateful_set(&sts)),
            vec![
                "metadata.name: Invalid value: \"web.v1\": must not contain dots".to_string(),
                "spec.podManagementPolicy: Invalid value: \"AllAtOnce\": must be 'OrderedReady' or 'Parallel'".to_string(),
                "spec.volumeClaimTemplates[0].spec.resources[storage]: Required value".to_string(),
            ]
        );
    }

    #[test]
    fn stateful_set_updates_touch_only_the_mutable_fields() {
        let mut old = stateful_set();
        old["metadata"]["resourceVersion"] = json!("5");
        let mut new = old.clone();
        new["spec"]["replicas"] = json!(5);
        new["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.28");
        assert!(validate_stateful_set_update(&new, &old).is_empty());
        new["spec"]["serviceName"] = json!("other");
        assert_eq!(
            messages(&validate_stateful_set_update(&new, &old)),
            vec![format!("spec: Forbidden: {STATEFUL_SET_FORBIDDEN_UPDATE}")]
        );
    }
}
