//! Per-kind storage strategies (`pkg/registry/core/*/strategy.go`): how each kind is decoded and
//! defaulted, admitted, prepared for create and update, and validated. Typed kinds go through
//! k8s-openapi structs; kinds without a strategy of their own are stored as decoded.

use k8s_openapi::api::apps::v1::{
    DaemonSet, DaemonSetUpdateStrategy, Deployment, ReplicaSet, RollingUpdateDaemonSet, StatefulSet,
};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{
    ConfigMap, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod,
    ReplicationController, Secret, Service,
};
use k8s_openapi::api::networking::v1::{Ingress, IngressClass};
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::auth::rbac_strategy;
use super::decode::{decode, Decoded};
use super::errors::ApiError;
use super::validation::field::FieldError;
use super::validation::{
    apps, batch, configmap, namespace, networking, node, pod, replication_controller, scheduling,
    service, storage,
};
use super::{admission, defaults, wire};
use crate::sim::Rng;

/// What decoding found: the object as the server understood it, and the unknown fields it dropped.
pub struct DecodedObject {
    pub object: Value,
    pub unknown_fields: Vec<String>,
}

fn typed<T: DeserializeOwned + Serialize>(
    body: &Value,
    kind: &str,
    version: &str,
    default: impl FnOnce(&mut T),
) -> Result<DecodedObject, ApiError> {
    let Decoded {
        mut object,
        unknown_fields,
    } = decode::<T>(body, kind, version).map_err(|e| ApiError::bad_request(e.to_string()))?;
    default(&mut object);
    let object = serde_json::to_value(&object).map_err(|e| ApiError::bad_request(e.to_string()))?;
    Ok(DecodedObject {
        object,
        unknown_fields,
    })
}

fn to_typed<T: DeserializeOwned>(obj: &Value) -> Option<T> {
    serde_json::from_value(obj.clone()).ok()
}

fn from_typed<T: Serialize>(obj: &T, into: &mut Value) {
    if let Ok(v) = serde_json::to_value(obj) {
        // Keep the metadata fields k8s-openapi round-trips unchanged; take everything else.
        *into = v;
    }
}

/// Decode a request body into the kind's type, applying its defaults.
pub fn decode_and_default(
    kind: &str,
    version: &str,
    body: &Value,
) -> Result<DecodedObject, ApiError> {
    match kind {
        "Pod" => typed::<Pod>(body, kind, version, defaults::pod),
        "Service" => typed::<Service>(body, kind, version, defaults::service),
        "Node" => typed::<Node>(body, kind, version, defaults::node),
        "Namespace" => typed::<Namespace>(body, kind, version, |_| {}),
        "ConfigMap" => typed::<ConfigMap>(body, kind, version, |_| {}),
        "Secret" => typed::<Secret>(body, kind, version, defaults::secret),
        "ReplicationController" => {
            typed::<ReplicationController>(body, kind, version, defaults::replication_controller)
                .map(|mut d| {
                    // The template is a pointer to a struct: Go writes its metadata as `{}`.
                    ensure_objects(&mut d.object, &["/spec/template"]);
                    d
                })
        }
        "Deployment" => typed::<Deployment>(body, kind, version, defaults::deployment)
            .map(|d| keep_nil_selector(d, body)),
        "ReplicaSet" => typed::<ReplicaSet>(body, kind, version, defaults::replica_set)
            .map(|d| keep_nil_selector(d, body)),
        "DaemonSet" => typed::<DaemonSet>(body, kind, version, daemon_set_defaults)
            .map(|d| keep_nil_selector(d, body)),
        "Job" => {
            typed::<Job>(body, kind, version, job_defaults).map(|d| keep_nil_selector(d, body))
        }
        "CronJob" => typed::<CronJob>(body, kind, version, defaults::cron_job).map(|mut d| {
            ensure_objects(
                &mut d.object,
                &["/spec/jobTemplate", "/spec/jobTemplate/spec/template"],
            );
            d
        }),
        "Ingress" => typed::<Ingress>(body, kind, version, |_| {}).map(|mut d| {
            drop_unsent_path_types(&mut d.object, body);
            d
        }),
        "IngressClass" => typed::<IngressClass>(body, kind, version, ingress_class_defaults),
        "StatefulSet" => typed::<StatefulSet>(body, kind, version, defaults::stateful_set)
            .map(|d| keep_nil_selector(d, body)),
        "PersistentVolumeClaim" => {
            typed::<PersistentVolumeClaim>(body, kind, version, defaults::persistent_volume_claim)
        }
        "PersistentVolume" => {
            typed::<PersistentVolume>(body, kind, version, defaults::persistent_volume)
        }
        "StorageClass" => typed::<StorageClass>(body, kind, version, storage_class_defaults),
        "PriorityClass" => typed::<PriorityClass>(body, kind, version, priority_class_defaults),
        k if rbac_strategy::is_rbac_kind(k) => {
            let mut object = body.clone();
            rbac_strategy::apply_defaults(k, &mut object);
            Ok(DecodedObject {
                object,
                unknown_fields: Vec::new(),
            })
        }
        _ => Ok(DecodedObject {
            object: body.clone(),
            unknown_fields: Vec::new(),
        }),
    }
}

/// SetDefaults_DaemonSet (pkg/apis/apps/v1/defaults.go): a RollingUpdate strategy with
/// maxUnavailable 1 and maxSurge 0, ten revisions of history; then the pod template's defaults.
pub fn daemon_set_defaults(ds: &mut DaemonSet) {
    let spec = ds.spec.get_or_insert_with(Default::default);
    let strategy = spec
        .update_strategy
        .get_or_insert_with(DaemonSetUpdateStrategy::default);
    let kind = strategy.type_.get_or_insert_with(|| "RollingUpdate".into());
    if kind == "RollingUpdate" {
        let rolling = strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDaemonSet::default);
        rolling.max_unavailable.get_or_insert(IntOrString::Int(1));
        rolling.max_surge.get_or_insert(IntOrString::Int(0));
    }
    spec.revision_history_limit.get_or_insert(10);
    defaults::pod_template(&mut spec.template);
}

/// SetDefaults_Job (pkg/apis/batch/v1/defaults.go): one completion and one pod at a time when
/// neither is set, a backoff limit of 6 (MaxInt32 with a per-index limit), the template's labels
/// as the Job's when it has none, NonIndexed completion, not suspended, and pods replaced once
/// terminating or failed (only failed with a pod failure policy); then the template's defaults.
pub fn job_defaults(job: &mut Job) {
    let template_labels = job
        .spec
        .as_ref()
        .and_then(|s| s.template.metadata.as_ref())
        .and_then(|m| m.labels.clone());
    let spec = job.spec.get_or_insert_with(Default::default);
    if spec.completions.is_none() && spec.parallelism.is_none() {
        spec.completions = Some(1);
    }
    spec.parallelism.get_or_insert(1);
    let backoff = if spec.backoff_limit_per_index.is_some() {
        i32::MAX
    } else {
        6
    };
    spec.backoff_limit.get_or_insert(backoff);
    spec.completion_mode
        .get_or_insert_with(|| "NonIndexed".into());
    spec.suspend.get_or_insert(false);
    let replacement = if spec.pod_failure_policy.is_some() {
        "Failed"
    } else {
        "TerminatingOrFailed"
    };
    spec.pod_replacement_policy
        .get_or_insert_with(|| replacement.into());
    spec.manual_selector.get_or_insert(false);
    defaults::pod_template(&mut spec.template);
    if let Some(labels) = template_labels {
        if job.metadata.labels.as_ref().is_none_or(|l| l.is_empty()) {
            job.metadata.labels = Some(labels);
        }
    }
}

/// SetDefaults_IngressClass (pkg/apis/networking/v1/defaults.go): parameters without a scope
/// are Cluster-scoped.
pub fn ingress_class_defaults(class: &mut IngressClass) {
    if let Some(params) = class.spec.as_mut().and_then(|s| s.parameters.as_mut()) {
        params.scope.get_or_insert_with(|| "Cluster".into());
    }
}

/// An Ingress path sent without `pathType` has a nil one in Go (no default: validation requires
/// it); k8s-openapi, which has the field required, would have made it "".
fn drop_unsent_path_types(object: &mut Value, body: &Value) {
    let rules = object
        .pointer_mut("/spec/rules")
        .and_then(Value::as_array_mut);
    for (i, rule) in rules.into_iter().flatten().enumerate() {
        let paths = rule
            .pointer_mut("/http/paths")
            .and_then(Value::as_array_mut);
        for (j, path) in paths.into_iter().flatten().enumerate() {
            let sent = body.pointer(&format!("/spec/rules/{i}/http/paths/{j}/pathType"));
            if sent.is_none_or(Value::is_null) {
                if let Some(p) = path.as_object_mut() {
                    p.remove("pathType");
                }
            }
        }
    }
}

/// SetDefaults_StorageClass (pkg/apis/storage/v1/defaults.go): reclaim policy Delete, binding
/// mode Immediate.
pub fn storage_class_defaults(sc: &mut StorageClass) {
    sc.reclaim_policy.get_or_insert_with(|| "Delete".into());
    sc.volume_binding_mode
        .get_or_insert_with(|| "Immediate".into());
}

/// SetDefaults_PriorityClass (pkg/apis/scheduling/v1/defaults.go): preemption policy
/// PreemptLowerPriority.
pub fn priority_class_defaults(pc: &mut PriorityClass) {
    pc.preemption_policy
        .get_or_insert_with(|| "PreemptLowerPriority".into());
    // `value` is an int32 without omitempty: Go writes 0 when it was not sent.
    pc.value.get_or_insert(0);
}

/// `metadata: {}` in the templates at `pointers` (Go writes an empty `metav1.ObjectMeta`, its
/// creationTimestamp left out by `omitzero`; k8s-openapi would leave the field out).
fn ensure_objects(obj: &mut Value, pointers: &[&str]) {
    for pointer in pointers {
        if let Some(template) = obj.pointer_mut(pointer).and_then(Value::as_object_mut) {
            template
                .entry("metadata")
                .or_insert_with(|| serde_json::json!({}));
        }
    }
}

/// A workload sent without `spec.selector` has a nil selector in Go (which validation refuses);
/// k8s-openapi would have made it an empty one, which fails differently.
fn keep_nil_selector(mut decoded: DecodedObject, body: &Value) -> DecodedObject {
    let absent = matches!(body.pointer("/spec/selector"), None | Some(Value::Null));
    if absent {
        if let Some(spec) = decoded
            .object
            .get_mut("spec")
            .and_then(Value::as_object_mut)
        {
            spec.remove("selector");
        }
    }
    decoded
}

/// Mutating admission on create; returns what each plugin did, for the trace, or the Forbidden
/// error of a plugin that refused the object. `account_exists(namespace, name)` answers the
/// ServiceAccount plugin's lookup; `storage_classes` are the stored StorageClasses that
/// DefaultStorageClass admission chooses a claim's class from (its lister).
pub fn admit_create(
    kind: &str,
    obj: &mut Value,
    rng: &mut Rng,
    account_exists: &dyn Fn(&str, &str) -> bool,
    disabled: &[&str],
    storage_classes: &[Value],
) -> Result<Vec<String>, ApiError> {
    let mut done = Vec::new();
    let enabled = |plugin: &str| !disabled.contains(&plugin);
    match kind {
        "Pod" => {
            if let Some(mut p) = to_typed::<Pod>(obj) {
                let ns = p.metadata.namespace.clone().unwrap_or_default();
                if enabled("ServiceAccount") {
                    if let Some(message) =
                        admission::missing_service_account(&p, &ns, account_exists)
                    {
                        return Err(ApiError::forbidden(message));
                    }
                    admission::service_account(&mut p, rng);
                    done.push(
                        "ServiceAccount: mounted the kube-api-access token volume".to_string(),
                    );
                }
                if enabled("Priority") {
                    admission::priority(&mut p);
                    done.push("Priority: priority 0".to_string());
                }
                admission::default_toleration_seconds(&mut p);
                done.push("DefaultTolerationSeconds: not-ready/unreachable for 300s".to_string());
                from_typed(&p, obj);
            }
        }
        "PersistentVolumeClaim" if enabled("DefaultStorageClass") => {
            if let Some(class) = admission::set_default_storage_class(obj, storage_classes) {
                done.push(format!("DefaultStorageClass: storageClassName {class}"));
            }
        }
        "Node" if enabled("TaintNodesByCondition") => {
            if let Some(mut n) = to_typed::<Node>(obj) {
                admission::taint_new_node(&mut n);
                done.push(
                    "TaintNodesByCondition: node.kubernetes.io/not-ready:NoSchedule".to_string(),
                );
                from_typed(&n, obj);
            }
        }
        _ => {}
    }
    Ok(done)
}

/// PrepareForCreate: what the strategy resets or sets on a new object.
/// SetDefaults_Job copies the template's labels to a Job that has none. The real server runs it
/// again each time it decodes the stored Job, so every read shows the generated labels; podlab
/// decodes once, so it copies them once the selector has been generated.
fn copy_template_labels_if_unlabelled(obj: &mut Value) {
    let unlabelled = obj
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .is_none_or(|l| l.is_empty());
    let template_labels = obj.pointer("/spec/template/metadata/labels").cloned();
    if let (true, Some(labels @ Value::Object(_))) = (unlabelled, template_labels) {
        if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("labels".into(), labels);
        }
    }
}

pub fn prepare_for_create(kind: &str, obj: &mut Value) {
    match kind {
        "Pod" => {
            let qos = qos_class(obj);
            obj["status"] = serde_json::json!({"phase": "Pending", "qosClass": qos});
            apply_scheduling_gated_condition(obj);
            // The warnings are warnings_on_create's (computed before this runs).
            apply_app_armor_version_skew(obj);
        }
        "Namespace" => {
            obj["status"] = serde_json::json!({"phase": "Active"});
            let name = obj
                .pointer("/metadata/name")
                .cloned()
                .unwrap_or(Value::Null);
            if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
                let labels = meta
                    .entry("labels")
                    .or_insert_with(|| serde_json::json!({}));
                labels["kubernetes.io/metadata.name"] = name;
            }
            obj["spec"] = serde_json::json!({"finalizers": ["kubernetes"]});
        }
        // The Deployment and ReplicaSet strategies clear the status (generation 1 is set with
        // the other server-owned metadata).
        "Deployment" | "ReplicaSet" => obj["status"] = serde_json::json!({}),
        // The RC strategy clears the status; its `replicas` has no omitempty.
        "ReplicationController" => obj["status"] = serde_json::json!({"replicas": 0}),
        // The Job strategy generates the selector from the uid (generateSelectorIfNeeded) and
        // clears the status.
        "Job" => {
            batch::generate_job_selector(obj);
            copy_template_labels_if_unlabelled(obj);
            obj["status"] = serde_json::json!({});
        }
        "CronJob" => obj["status"] = serde_json::json!({}),
        // The Ingress strategy clears the status; its loadBalancer struct is always written.
        "Ingress" => obj["status"] = serde_json::json!({"loadBalancer": {}}),
        // normalizeClusterIPs (pkg/registry/core/service/storage): a create that names only
        // `clusterIP` (a headless `None` included) gets `clusterIPs` from it.
        "Service" => {
            let single = obj
                .pointer("/spec/clusterIP")
                .and_then(Value::as_str)
                .filter(|ip| !ip.is_empty())
                .map(str::to_string);
            let plural_empty = obj
                .pointer("/spec/clusterIPs")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty);
            if let (Some(ip), true) = (single, plural_empty) {
                obj["spec"]["clusterIPs"] = serde_json::json!([ip]);
            }
        }
        // The StatefulSet strategy clears the status (replicas and availableReplicas have no
        // omitempty) and drops maxUnavailable while the MaxUnavailableStatefulSet gate is off.
        "StatefulSet" => {
            obj["status"] = serde_json::json!({"availableReplicas": 0, "replicas": 0});
            if let Some(ru) = obj
                .pointer_mut("/spec/updateStrategy/rollingUpdate")
                .and_then(Value::as_object_mut)
            {
                ru.remove("maxUnavailable");
            }
        }
        // The claim strategy clears the status; decoding it back defaults the phase to Pending.
        "PersistentVolumeClaim" => obj["status"] = serde_json::json!({"phase": "Pending"}),
        // The volume strategy starts every volume Pending (its lastPhaseTransitionTime, set to
        // the creation time by the real strategy, is not modelled).
        "PersistentVolume" => obj["status"] = serde_json::json!({"phase": "Pending"}),
        // DaemonSetStatus has four counters without omitempty: an empty status prints them. The
        // strategy starts the template generation at 1 (at least), which the v1 form carries
        // as the `deprecated.daemonset.template.generation` annotation.
        "DaemonSet" => {
            let generation = template_generation(obj).max(1);
            set_template_generation(obj, generation);
            obj["status"] = serde_json::json!({
                "currentNumberScheduled": 0,
                "desiredNumberScheduled": 0,
                "numberMisscheduled": 0,
                "numberReady": 0,
            })
        }
        _ => {}
    }
    wire::normalize(kind, obj);
}

/// What `applySchedulingGatedCondition` (pkg/registry/core/pod/strategy.go) says of a pod created
/// with scheduling gates.
pub const SCHEDULING_GATED_MESSAGE: &str =
    "Scheduling is blocked due to non-empty scheduling gates";

/// `applySchedulingGatedCondition`: a new pod with `spec.schedulingGates` gets the condition
/// {PodScheduled, False, SchedulingGated} (unless it has a PodScheduled condition already; the
/// status was just cleared, so it has none). `podutil.UpdatePodCondition` stamps
/// `lastTransitionTime` with the time of the request: [`stamp_condition_transitions`] does it
/// once the time is known.
fn apply_scheduling_gated_condition(pod: &mut Value) {
    let gated = pod
        .pointer("/spec/schedulingGates")
        .and_then(Value::as_array)
        .is_some_and(|g| !g.is_empty());
    if !gated {
        return;
    }
    let Some(status) = pod.get_mut("status").and_then(Value::as_object_mut) else {
        return;
    };
    let conditions = status
        .entry("conditions")
        .or_insert_with(|| Value::Array(Vec::new()));
    let Some(list) = conditions.as_array_mut() else {
        return;
    };
    if list
        .iter()
        .any(|c| c.get("type").and_then(Value::as_str) == Some("PodScheduled"))
    {
        return;
    }
    list.push(serde_json::json!({
        "type": "PodScheduled",
        "status": "False",
        "lastProbeTime": null,
        "reason": "SchedulingGated",
        "message": SCHEDULING_GATED_MESSAGE,
    }));
}

/// Sets `lastTransitionTime` (an RFC 3339 `timestamp`) on the status conditions that have none:
/// those PrepareForCreate added (`podutil.UpdatePodCondition` uses `metav1.Now()`).
pub fn stamp_condition_transitions(obj: &mut Value, timestamp: &str) {
    let conditions = obj
        .pointer_mut("/status/conditions")
        .and_then(Value::as_array_mut);
    for c in conditions.into_iter().flatten() {
        if let Some(c) = c.as_object_mut() {
            let unset = c.get("lastTransitionTime").is_none_or(Value::is_null);
            if unset {
                c.insert("lastTransitionTime".into(), Value::String(timestamp.into()));
            }
        }
    }
}

/// `api.DeprecatedAppArmorAnnotationKeyPrefix`: the per-container AppArmor annotation.
const APP_ARMOR_ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

/// The deprecation warning of an AppArmor annotation at `annotations_path` (`metadata` of a pod,
/// `spec.template.metadata` of a template), as pkg/registry/core/pod/strategy.go and
/// pkg/api/pod/warnings.go word it.
fn app_armor_deprecation_warning(annotations_path: &str, key: &str) -> String {
    format!(
        "{annotations_path}.annotations[{key}]: deprecated since v1.30; use the \"appArmorProfile\" field instead"
    )
}

/// `podutil.ApparmorFieldForAnnotation`, kept only when `ValidateAppArmorProfileField` accepts
/// it: `unconfined`, `runtime/default`, or `localhost/<profile>` with a profile that is not
/// empty, not padded with whitespace and at most 4095 bytes.
fn app_armor_field_for_annotation(annotation: &str) -> Option<Value> {
    match annotation {
        "unconfined" => Some(serde_json::json!({"type": "Unconfined"})),
        "runtime/default" => Some(serde_json::json!({"type": "RuntimeDefault"})),
        _ => {
            let profile = annotation.strip_prefix("localhost/")?;
            let valid = !profile.is_empty() && profile.trim() == profile && profile.len() <= 4095;
            valid.then(|| serde_json::json!({"type": "Localhost", "localhostProfile": profile}))
        }
    }
}

/// The containers of a pod spec in `VisitContainers` order: init, regular, ephemeral.
fn containers_mut(spec: &mut Value) -> Vec<&mut Value> {
    let Some(spec) = spec.as_object_mut() else {
        return Vec::new();
    };
    let mut all = Vec::new();
    for (list, containers) in spec.iter_mut() {
        if matches!(
            list.as_str(),
            "initContainers" | "containers" | "ephemeralContainers"
        ) {
            if let Some(c) = containers.as_array_mut() {
                all.push((list.clone(), c));
            }
        }
    }
    let rank = |l: &str| match l {
        "initContainers" => 0,
        "containers" => 1,
        _ => 2,
    };
    all.sort_by_key(|(l, _)| rank(l));
    all.into_iter().flat_map(|(_, c)| c.iter_mut()).collect()
}

/// `applyAppArmorVersionSkew` (pkg/registry/core/pod/strategy.go, PrepareForCreate): for each
/// container without `securityContext.appArmorProfile` whose deprecated annotation is set, the
/// profile the annotation names is copied to the container's field (unless it equals the pod's
/// profile); a warning is returned for each annotation copied or not understood. Windows pods
/// are left alone.
fn apply_app_armor_version_skew(pod: &mut Value) -> Vec<String> {
    let mut warnings = Vec::new();
    if pod.pointer("/spec/os/name").and_then(Value::as_str) == Some("windows") {
        return warnings;
    }
    let annotations = pod
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let pod_profile = pod
        .pointer("/spec/securityContext/appArmorProfile")
        .cloned()
        .filter(|p| !p.is_null());
    let Some(spec) = pod.get_mut("spec") else {
        return warnings;
    };
    for ctr in containers_mut(spec) {
        let name = ctr.get("name").and_then(Value::as_str).unwrap_or_default();
        let key = format!("{APP_ARMOR_ANNOTATION_PREFIX}{name}");
        let Some(annotation) = annotations.get(&key).and_then(Value::as_str) else {
            continue;
        };
        let has_field = ctr
            .pointer("/securityContext/appArmorProfile")
            .is_some_and(|p| !p.is_null());
        if has_field {
            continue;
        }
        let field = app_armor_field_for_annotation(annotation);
        let mut warn = field.is_none();
        if let Some(field) = field.filter(|f| Some(f) != pod_profile.as_ref()) {
            set_container_app_armor(ctr, field);
            warn = true;
        }
        if warn {
            warnings.push(app_armor_deprecation_warning("metadata", &key));
        }
    }
    warnings
}

fn set_container_app_armor(ctr: &mut Value, profile: Value) {
    let Some(ctr) = ctr.as_object_mut() else {
        return;
    };
    let sc = ctr
        .entry("securityContext")
        .or_insert_with(|| serde_json::json!({}));
    if !sc.is_object() {
        *sc = serde_json::json!({});
    }
    sc["appArmorProfile"] = profile;
}

/// The AppArmor part of `GetWarningsForPodTemplate` (pkg/api/pod/warnings.go): a template
/// container without `appArmorProfile` whose annotation is set, unless the annotation names the
/// template's pod-level profile.
fn pod_template_app_armor_warnings(template: Option<&Value>, template_path: &str) -> Vec<String> {
    let Some(template) = template else {
        return Vec::new();
    };
    let pod_profile = template
        .pointer("/spec/securityContext/appArmorProfile")
        .filter(|p| !p.is_null());
    let mut spec = template.get("spec").cloned().unwrap_or(Value::Null);
    let mut warnings = Vec::new();
    for ctr in containers_mut(&mut spec) {
        let name = ctr.get("name").and_then(Value::as_str).unwrap_or_default();
        let key = format!("{APP_ARMOR_ANNOTATION_PREFIX}{name}");
        let annotation = template
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(&key))
            .and_then(Value::as_str);
        let has_field = ctr
            .pointer("/securityContext/appArmorProfile")
            .is_some_and(|p| !p.is_null());
        if let (Some(annotation), false) = (annotation, has_field) {
            let same = pod_profile.is_some()
                && app_armor_field_for_annotation(annotation).as_ref() == pod_profile;
            if !same {
                warnings.push(app_armor_deprecation_warning(
                    &format!("{template_path}.metadata"),
                    &key,
                ));
            }
        }
    }
    warnings
}

/// `appsv1.DeprecatedTemplateGeneration`: a DaemonSet's internal `spec.templateGeneration`.
pub const TEMPLATE_GENERATION_ANNOTATION: &str = "deprecated.daemonset.template.generation";

/// A DaemonSet's template generation, from its annotation (0 without one).
fn template_generation(obj: &Value) -> i64 {
    obj.pointer("/metadata/annotations")
        .and_then(|a| a.get(TEMPLATE_GENERATION_ANNOTATION))
        .and_then(Value::as_str)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn set_template_generation(obj: &mut Value, generation: i64) {
    if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        let annotations = meta
            .entry("annotations")
            .or_insert_with(|| serde_json::json!({}));
        if !annotations.is_object() {
            *annotations = serde_json::json!({});
        }
        annotations[TEMPLATE_GENERATION_ANNOTATION] = Value::String(generation.to_string());
    }
}

/// PrepareForUpdate of the strategies beyond status and generation (which the store handles):
/// a DaemonSet keeps its template generation, moved on by one when the template changes
/// (pkg/registry/apps/daemonset/strategy.go).
pub fn prepare_for_update(kind: &str, subresource: Option<&str>, obj: &mut Value, old: &Value) {
    if kind == "DaemonSet" && subresource.is_none() {
        let changed = obj.pointer("/spec/template") != old.pointer("/spec/template");
        let generation = template_generation(old) + i64::from(changed);
        set_template_generation(obj, generation);
    }
}

/// Whether an update moves `metadata.generation` on: any spec change (PrepareForUpdate of the
/// strategies); for a Deployment an annotation change too, since annotations are copied to its
/// ReplicaSets. Status updates never do.
pub fn bumps_generation(kind: &str, subresource: Option<&str>, new: &Value, old: &Value) -> bool {
    if !has_generation(kind) || subresource == Some("status") {
        return false;
    }
    let annotations = |o: &Value| {
        o.pointer("/metadata/annotations")
            .cloned()
            .filter(|a| a.as_object().is_some_and(|m| !m.is_empty()))
    };
    new.get("spec") != old.get("spec")
        || (kind == "Deployment" && annotations(new) != annotations(old))
}

/// What a status update keeps of the object sent (the status strategies' PrepareForUpdate): the
/// status, and for workloads the metadata but their labels (a Deployment) or nothing else (a
/// ReplicaSet keeps new labels too) — the deployment controller records its revision annotation
/// through UpdateStatus. Other kinds keep only the status.
pub fn merge_status_update(kind: &str, sent: &Value, old: &Value) -> Value {
    let mut merged = old.clone();
    merged["status"] = sent.get("status").cloned().unwrap_or(Value::Null);
    if matches!(kind, "Deployment" | "ReplicaSet" | "ReplicationController") {
        if let Some(meta) = sent.get("metadata").cloned() {
            merged["metadata"] = meta;
            if kind == "Deployment" {
                match old.pointer("/metadata/labels") {
                    Some(labels) => merged["metadata"]["labels"] = labels.clone(),
                    None => {
                        if let Some(m) = merged["metadata"].as_object_mut() {
                            m.remove("labels");
                        }
                    }
                }
            }
        }
    }
    merged
}

/// Whether the kind serves a `scale` subresource (autoscaling/v1 Scale).
pub fn has_scale_subresource(kind: &str) -> bool {
    matches!(kind, "Deployment" | "ReplicaSet" | "StatefulSet")
}

/// The autoscaling/v1 Scale of a workload (scaleFromDeployment / scaleFromReplicaSet in
/// pkg/registry/apps/*/storage): its metadata, `spec.replicas`, `status.replicas` and the
/// selector as a string.
pub fn scale_of(workload: &Value) -> Value {
    let meta = workload.get("metadata").cloned().unwrap_or(Value::Null);
    let mut metadata = serde_json::Map::new();
    for field in [
        "name",
        "namespace",
        "uid",
        "resourceVersion",
        "creationTimestamp",
    ] {
        if let Some(v) = meta.get(field) {
            metadata.insert(field.to_string(), v.clone());
        }
    }
    let replicas = workload
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let mut status = serde_json::json!({"replicas": workload.pointer("/status/replicas").and_then(Value::as_i64).unwrap_or(0)});
    let selector = selector_string(workload.pointer("/spec/selector"));
    if !selector.is_empty() {
        status["selector"] = Value::String(selector);
    }
    let mut spec = serde_json::json!({});
    if replicas != 0 {
        spec["replicas"] = Value::from(replicas);
    }
    serde_json::json!({"kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": metadata, "spec": spec, "status": status})
}

/// `metav1.LabelSelectorAsSelector(sel).String()`: requirements sorted by key, `k=v`,
/// `k in (a,b)`, `k notin (a,b)`, `k`, `!k`.
pub fn selector_string(sel: Option<&Value>) -> String {
    let Some(sel) = sel else { return String::new() };
    let mut reqs: Vec<(String, String)> = Vec::new();
    for (k, v) in sel
        .get("matchLabels")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        reqs.push((k.clone(), format!("{k}={}", v.as_str().unwrap_or_default())));
    }
    for e in sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
        let mut values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        values.sort_unstable();
        values.dedup();
        let text = match e
            .get("operator")
            .and_then(Value::as_str)
            .unwrap_or_default()
        {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.to_string(),
            "DoesNotExist" => format!("!{key}"),
            _ => continue,
        };
        reqs.push((key.to_string(), text));
    }
    reqs.sort_by(|a, b| a.0.cmp(&b.0));
    reqs.into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(",")
}

/// A Scale body as the decoder would take it: metadata and spec objects (absent ones made
/// empty), `spec.replicas` an int32; otherwise the decoder's BadRequest
/// (`Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ...`).
pub fn decode_scale(body: &Value) -> Result<Value, ApiError> {
    let fail = |value: &Value, field: &str, ty: &str| {
        let found = match value {
            Value::Bool(_) => "bool".to_string(),
            Value::Number(n) => format!("number {}", super::decode::go_number_text(n)),
            Value::String(_) => "string".to_string(),
            Value::Array(_) => "array".to_string(),
            _ => "object".to_string(),
        };
        let cause =
            format!("json: cannot unmarshal {found} into Go struct field {field} of type {ty}");
        ApiError::bad_request(super::decode::cannot_be_handled("Scale", "v1", &cause))
    };
    let mut scale = match body {
        Value::Object(_) => body.clone(),
        other => {
            let cause = format!(
                "json: cannot unmarshal {} into Go value of type v1.Scale",
                json_kind(other)
            );
            return Err(ApiError::bad_request(super::decode::cannot_be_handled(
                "Scale", "v1", &cause,
            )));
        }
    };
    for (field, ty) in [("metadata", "v1.ObjectMeta"), ("spec", "v1.ScaleSpec")] {
        match scale.get(field) {
            None | Some(Value::Null) => scale[field] = serde_json::json!({}),
            Some(Value::Object(_)) => {}
            Some(other) => return Err(fail(other, &format!("Scale.{field}"), ty)),
        }
    }
    match scale.pointer("/spec/replicas") {
        None | Some(Value::Null) => {}
        Some(v) if v.as_i64().is_some_and(|r| i32::try_from(r).is_ok()) => {}
        Some(other) => return Err(fail(other, "ScaleSpec.spec.replicas", "int32")),
    }
    Ok(scale)
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The workload with the replicas a Scale asks for (scaleUpdatedObjectInfo: only
/// `spec.replicas` moves; the Scale's resourceVersion is the precondition).
pub fn with_scale(workload: &Value, scale: &Value) -> Value {
    let mut updated = workload.clone();
    let replicas = scale
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    updated["spec"]["replicas"] = Value::from(replicas);
    updated
}

/// Whether the kind counts `metadata.generation` (bumped on every spec change).
pub fn has_generation(kind: &str) -> bool {
    matches!(
        kind,
        "Pod"
            | "Deployment"
            | "ReplicaSet"
            | "ReplicationController"
            | "DaemonSet"
            | "StatefulSet"
            | "Job"
            | "CronJob"
            | "Ingress"
            | "IngressClass"
            | "PriorityClass"
            | "EndpointSlice"
    )
}

/// Whether the kind keeps its status behind a `/status` subresource (so that a main-resource
/// update cannot change status, nor a status update anything else).
pub fn has_status_subresource(kind: &str) -> bool {
    matches!(
        kind,
        "Pod"
            | "Node"
            | "Service"
            | "Namespace"
            | "Deployment"
            | "ReplicaSet"
            | "ReplicationController"
            | "DaemonSet"
            | "StatefulSet"
            | "Job"
            | "CronJob"
            | "PersistentVolume"
            | "PersistentVolumeClaim"
            | "Ingress"
    )
}

/// The strategies' `WarningsOnCreate` podlab models, as kubectl prints them after `Warning: `:
/// a Job or ReplicationController named other than as a DNS label (its pods and hostnames take
/// the name), a StatefulSet keeping all revisions, the deprecated AppArmor annotations of pod
/// templates (the AppArmor part of `GetWarningsForPodTemplate`; its other warnings are not
/// modelled). For a Pod: the warnings `applyAppArmorVersionSkew` adds during PrepareForCreate,
/// so for pods this must be called on the object *before* [`prepare_for_create`] (which syncs
/// the annotations to the fields and so hides what was warned about); the real server's
/// warnings also come in that order.
pub fn warnings_on_create(kind: &str, obj: &Value) -> Vec<String> {
    let mut warnings = Vec::new();
    match kind {
        // The Job and ReplicationController strategies warn alike.
        "Job" | "ReplicationController" => {
            let name = obj
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            let msgs = super::validation::names::is_dns1123_label(name);
            if !msgs.is_empty() {
                warnings.push(format!(
                    "metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [{}]",
                    msgs.join(" ")
                ));
            }
        }
        "Pod" => warnings.extend(apply_app_armor_version_skew(&mut obj.clone())),
        "StatefulSet" => {
            let limit = obj
                .pointer("/spec/revisionHistoryLimit")
                .and_then(Value::as_i64);
            if limit.is_some_and(|l| l < 0) {
                warnings.push(
                    "spec.revisionHistoryLimit: a negative value retains all historical revisions; a value >= 0 is recommended".to_string(),
                );
            }
        }
        _ => {}
    }
    let template = match kind {
        "Deployment"
        | "ReplicaSet"
        | "DaemonSet"
        | "StatefulSet"
        | "Job"
        | "ReplicationController" => Some(("/spec/template", "spec.template")),
        "CronJob" => Some((
            "/spec/jobTemplate/spec/template",
            "spec.jobTemplate.spec.template",
        )),
        _ => None,
    };
    if let Some((pointer, path)) = template {
        let template_warnings = pod_template_app_armor_warnings(obj.pointer(pointer), path);
        // The StatefulSet strategy warns about its template first, the others after the name.
        let at = if kind == "StatefulSet" {
            0
        } else {
            warnings.len()
        };
        warnings.splice(at..at, template_warnings);
    }
    warnings
}

/// ValidateXCreate for the kinds podlab validates.
pub fn validate_create(kind: &str, obj: &Value) -> Vec<FieldError> {
    match kind {
        "Pod" => to_typed::<Pod>(obj)
            .map(|p| pod::validate_pod_create(&p))
            .unwrap_or_default(),
        "Service" => to_typed::<Service>(obj)
            .map(|s| service::validate_service(&s))
            .unwrap_or_default(),
        "Node" => to_typed::<Node>(obj)
            .map(|n| node::validate_node(&n))
            .unwrap_or_default(),
        "Namespace" => to_typed::<Namespace>(obj)
            .map(|n| namespace::validate_namespace(&n))
            .unwrap_or_default(),
        "ConfigMap" => to_typed::<ConfigMap>(obj)
            .map(|c| configmap::validate_config_map(&c))
            .unwrap_or_default(),
        "Deployment" => apps::validate_deployment(obj),
        "ReplicaSet" => apps::validate_replica_set(obj),
        "ReplicationController" => replication_controller::validate_replication_controller(obj),
        "DaemonSet" => apps::validate_daemon_set(obj),
        "Job" => apps::validate_job(obj),
        "StatefulSet" => apps::validate_stateful_set(obj),
        "CronJob" => batch::validate_cron_job(obj),
        "Ingress" => networking::validate_ingress_create(obj),
        "IngressClass" => networking::validate_ingress_class(obj),
        "PersistentVolumeClaim" => to_typed::<PersistentVolumeClaim>(obj)
            .map(|p| storage::validate_pvc(&p))
            .unwrap_or_default(),
        "PersistentVolume" => to_typed::<PersistentVolume>(obj)
            .map(|p| storage::validate_pv(&p))
            .unwrap_or_default(),
        "StorageClass" => to_typed::<StorageClass>(obj)
            .map(|s| storage::validate_storage_class(&s))
            .unwrap_or_default(),
        "PriorityClass" => to_typed::<PriorityClass>(obj)
            .map(|p| scheduling::validate_priority_class(&p))
            .unwrap_or_default(),
        k if rbac_strategy::is_rbac_kind(k) => rbac_strategy::validate_create(k, obj),
        _ => Vec::new(),
    }
}

/// Run a typed update validation on both objects (none when either does not decode).
fn typed_update<T: DeserializeOwned>(
    new: &Value,
    old: &Value,
    validate: fn(&T, &T) -> Vec<FieldError>,
) -> Vec<FieldError> {
    match (to_typed::<T>(new), to_typed::<T>(old)) {
        (Some(n), Some(o)) => validate(&n, &o),
        _ => Vec::new(),
    }
}

/// ValidateXUpdate for the kinds podlab validates.
pub fn validate_update(
    kind: &str,
    new: &Value,
    old: &Value,
    subresource: Option<&str>,
) -> Vec<FieldError> {
    match (kind, subresource) {
        ("Pod", None) => typed_update::<Pod>(new, old, pod::validate_pod_update),
        ("Service", None) => typed_update::<Service>(new, old, service::validate_service_update),
        ("Node", None) => typed_update::<Node>(new, old, node::validate_node_update),
        ("Namespace", None) => {
            typed_update::<Namespace>(new, old, namespace::validate_namespace_update)
        }
        ("ConfigMap", None) => {
            typed_update::<ConfigMap>(new, old, configmap::validate_config_map_update)
        }
        ("Deployment", None | Some("scale")) => apps::validate_deployment_update(new, old),
        ("Deployment", Some("status")) => apps::validate_deployment_status_update(new, old),
        ("ReplicaSet", None | Some("scale")) => apps::validate_replica_set_update(new, old),
        ("ReplicaSet", Some("status")) => apps::validate_replica_set_status_update(new, old),
        ("ReplicationController", None) => {
            replication_controller::validate_replication_controller_update(new, old)
        }
        ("ReplicationController", Some("status")) => {
            replication_controller::validate_replication_controller_status_update(new, old)
        }
        ("DaemonSet", None) => apps::validate_daemon_set_update(new, old),
        ("DaemonSet", Some("status")) => apps::validate_daemon_set_status_update(new, old),
        ("StatefulSet", Some("status")) => apps::validate_stateful_set_status_update(new, old),
        ("Job", None) => apps::validate_job_update(new, old),
        ("CronJob", None) => batch::validate_cron_job_update(new, old),
        ("Ingress", None) => networking::validate_ingress_update(new, old),
        ("IngressClass", None) => networking::validate_ingress_class_update(new, old),
        ("StatefulSet", None | Some("scale")) => apps::validate_stateful_set_update(new, old),
        ("PersistentVolumeClaim", None) => {
            typed_update::<PersistentVolumeClaim>(new, old, storage::validate_pvc_update)
        }
        ("PersistentVolume", None) => {
            typed_update::<PersistentVolume>(new, old, storage::validate_pv_update)
        }
        ("StorageClass", None) => {
            typed_update::<StorageClass>(new, old, storage::validate_storage_class_update)
        }
        ("PriorityClass", None) => {
            typed_update::<PriorityClass>(new, old, scheduling::validate_priority_class_update)
        }
        (k, None) if rbac_strategy::is_rbac_kind(k) => rbac_strategy::validate_update(k, new, old),
        _ => Vec::new(),
    }
}

/// The QoS class of a pod (pkg/apis/core/helper/qos): BestEffort without any requests or limits,
/// Guaranteed when every container limits cpu and memory with requests equal to limits,
/// Burstable otherwise.
pub fn qos_class(pod: &Value) -> &'static str {
    let containers: Vec<&Value> = ["initContainers", "containers"]
        .iter()
        .filter_map(|l| pod.pointer(&format!("/spec/{l}")).and_then(Value::as_array))
        .flatten()
        .collect();
    let mut any = false;
    let mut guaranteed = true;
    for c in containers {
        let requests = c.pointer("/resources/requests").and_then(Value::as_object);
        let limits = c.pointer("/resources/limits").and_then(Value::as_object);
        let has = |m: Option<&serde_json::Map<String, Value>>| {
            m.is_some_and(|m| m.keys().any(|k| k == "cpu" || k == "memory"))
        };
        if has(requests) || has(limits) {
            any = true;
        }
        for res in ["cpu", "memory"] {
            let l = limits.and_then(|m| m.get(res));
            let r = requests.and_then(|m| m.get(res)).or(l);
            if l.is_none() || r != l {
                guaranteed = false;
            }
        }
    }
    match (any, guaranteed) {
        (false, _) => "BestEffort",
        (true, true) => "Guaranteed",
        (true, false) => "Burstable",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scale_bodies_decode_as_the_go_types() {
        let err = decode_scale(&json!({"spec": {"replicas": "3"}})).unwrap_err();
        assert_eq!(
            err.message,
            "Scale in version \"v1\" cannot be handled as a Scale: json: cannot unmarshal string into Go struct field ScaleSpec.spec.replicas of type int32"
        );
        let ok = decode_scale(&json!({"spec": {"replicas": 2}})).unwrap();
        assert_eq!(ok["metadata"], json!({}));
    }

    #[test]
    fn scale_of_a_deployment() {
        let d = json!({
            "metadata": {"name": "hello", "namespace": "default", "uid": "u", "resourceVersion": "7", "creationTimestamp": "t", "labels": {"app": "hello"}},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "hello", "tier": "web"}, "matchExpressions": [{"key": "env", "operator": "In", "values": ["qa", "prod"]}]}},
            "status": {"replicas": 2}
        });
        assert_eq!(
            scale_of(&d),
            json!({
                "kind": "Scale", "apiVersion": "autoscaling/v1",
                "metadata": {"name": "hello", "namespace": "default", "uid": "u", "resourceVersion": "7", "creationTimestamp": "t"},
                "spec": {"replicas": 3},
                "status": {"replicas": 2, "selector": "app=hello,env in (prod,qa),tier=web"}
            })
        );
    }

    #[test]
    fn qos_classes() {
        assert_eq!(
            qos_class(&json!({"spec": {"containers": [{"name": "a"}]}})),
            "BestEffort"
        );
        let burst = json!({"spec": {"containers": [{"resources": {"requests": {"cpu": "8", "memory": "1Gi"}}}]}});
        assert_eq!(qos_class(&burst), "Burstable");
        let g = json!({"spec": {"containers": [{"resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}});
        assert_eq!(qos_class(&g), "Guaranteed");
    }

    #[test]
    fn jobs_and_daemon_sets_get_their_v1_defaults() {
        let body = serde_json::json!({
            "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"},
            "spec": {"template": {"metadata": {"labels": {"app": "pi"}}, "spec": {"restartPolicy": "Never", "containers": [{"name": "pi", "image": "perl:5.34.0"}]}}}
        });
        let job = decode_and_default("Job", "v1", &body)
            .map(|d| d.object)
            .unwrap_or_default();
        assert_eq!(job["spec"]["completions"], 1);
        assert_eq!(job["spec"]["parallelism"], 1);
        assert_eq!(job["spec"]["backoffLimit"], 6);
        assert_eq!(job["spec"]["completionMode"], "NonIndexed");
        assert_eq!(job["spec"]["suspend"], false);
        assert_eq!(job["spec"]["podReplacementPolicy"], "TerminatingOrFailed");
        assert_eq!(job["metadata"]["labels"], serde_json::json!({"app": "pi"}));
        let body = serde_json::json!({
            "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
            "spec": {"selector": {"matchLabels": {"app": "agent"}}, "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {"containers": [{"name": "a", "image": "busybox:1.36"}]}}}
        });
        let ds = decode_and_default("DaemonSet", "v1", &body)
            .map(|d| d.object)
            .unwrap_or_default();
        assert_eq!(
            ds["spec"]["updateStrategy"],
            serde_json::json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}})
        );
        assert_eq!(ds["spec"]["revisionHistoryLimit"], 10);
    }

    #[test]
    fn daemon_sets_count_template_generations_in_their_annotation() {
        let mut ds = serde_json::json!({"metadata": {"name": "agent"}, "spec": {"template": {"metadata": {"labels": {"app": "a"}}}}});
        prepare_for_create("DaemonSet", &mut ds);
        assert_eq!(
            ds["metadata"]["annotations"][TEMPLATE_GENERATION_ANNOTATION],
            "1"
        );
        let old = ds.clone();
        let mut same = ds.clone();
        prepare_for_update("DaemonSet", None, &mut same, &old);
        assert_eq!(
            same["metadata"]["annotations"][TEMPLATE_GENERATION_ANNOTATION],
            "1"
        );
        let mut changed = ds.clone();
        changed["spec"]["template"]["metadata"]["labels"]["tier"] = "web".into();
        if let Some(a) = changed["metadata"]["annotations"].as_object_mut() {
            a.remove(TEMPLATE_GENERATION_ANNOTATION);
        }
        prepare_for_update("DaemonSet", None, &mut changed, &old);
        assert_eq!(
            changed["metadata"]["annotations"][TEMPLATE_GENERATION_ANNOTATION],
            "2"
        );
    }

    #[test]
    fn jobs_named_with_dots_are_warned_about() {
        let job = serde_json::json!({"metadata": {"name": "pi.v1"}});
        assert_eq!(
            warnings_on_create("Job", &job),
            vec!["metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]".to_string()]
        );
        assert!(
            warnings_on_create("Job", &serde_json::json!({"metadata": {"name": "pi"}})).is_empty()
        );
    }

    #[test]
    fn a_job_with_its_uid_gets_the_generated_selector_and_validates() {
        let body = serde_json::json!({
            "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi", "namespace": "default"},
            "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "pi", "image": "perl:5.34.0"}]}}}
        });
        let mut job = decode_and_default("Job", "v1", &body)
            .map(|d| d.object)
            .unwrap_or_default();
        // The real server fills in the uid before PrepareForCreate.
        job["metadata"]["uid"] = "0b6a6c2e-0000-4000-8000-000000000001".into();
        prepare_for_create("Job", &mut job);
        assert_eq!(
            job["spec"]["selector"]["matchLabels"]["batch.kubernetes.io/controller-uid"],
            "0b6a6c2e-0000-4000-8000-000000000001"
        );
        assert_eq!(
            job["spec"]["template"]["metadata"]["labels"]["job-name"],
            "pi"
        );
        assert!(validate_create("Job", &job).is_empty());
    }

    #[test]
    fn gated_pods_get_the_scheduling_gated_condition() {
        let mut pod = json!({"metadata": {"name": "p"}, "spec": {"schedulingGates": [{"name": "example.com/foo"}], "containers": [{"name": "a"}]}});
        prepare_for_create("Pod", &mut pod);
        assert_eq!(
            pod["status"]["conditions"],
            json!([{"type": "PodScheduled", "status": "False", "lastProbeTime": null, "lastTransitionTime": null,
                    "reason": "SchedulingGated", "message": "Scheduling is blocked due to non-empty scheduling gates"}])
        );
        stamp_condition_transitions(&mut pod, "2026-01-01T00:00:00Z");
        assert_eq!(
            pod["status"]["conditions"][0]["lastTransitionTime"],
            "2026-01-01T00:00:00Z"
        );
        let mut free = json!({"metadata": {"name": "p"}, "spec": {"schedulingGates": [], "containers": [{"name": "a"}]}});
        prepare_for_create("Pod", &mut free);
        assert!(free["status"].get("conditions").is_none());
    }

    #[test]
    fn app_armor_annotations_sync_to_fields_as_apply_app_armor_version_skew_does() {
        let key = |c: &str| format!("container.apparmor.security.beta.kubernetes.io/{c}");
        let warning = |c: &str| {
            format!("metadata.annotations[{}]: deprecated since v1.30; use the \"appArmorProfile\" field instead", key(c))
        };
        let mut pod = json!({
            "metadata": {"name": "p", "annotations": {
                key("a"): "runtime/default", key("b"): "localhost/", key("c"): "unconfined", key("d"): "localhost/x"}},
            "spec": {"securityContext": {"appArmorProfile": {"type": "Unconfined"}},
                     "initContainers": [{"name": "d", "securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}}],
                     "containers": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}
        });
        // b's annotation names no valid profile, c's is the pod's profile: b is warned about
        // without a field, c gets neither; d has its field already.
        assert_eq!(
            warnings_on_create("Pod", &pod),
            vec![warning("a"), warning("b")]
        );
        prepare_for_create("Pod", &mut pod);
        let containers = &pod["spec"]["containers"];
        assert_eq!(
            containers[0]["securityContext"]["appArmorProfile"],
            json!({"type": "RuntimeDefault"})
        );
        assert!(containers[1].get("securityContext").is_none());
        assert!(containers[2].get("securityContext").is_none());
        assert_eq!(
            pod["spec"]["initContainers"][0]["securityContext"]["appArmorProfile"],
            json!({"type": "RuntimeDefault"})
        );
    }

    #[test]
    fn pod_templates_with_app_armor_annotations_are_warned_about() {
        let deployment = json!({
            "metadata": {"name": "web"},
            "spec": {"template": {
                "metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/web": "localhost/deny"}},
                "spec": {"containers": [{"name": "web"}]}}}
        });
        assert_eq!(
            warnings_on_create("Deployment", &deployment),
            vec!["spec.template.metadata.annotations[container.apparmor.security.beta.kubernetes.io/web]: deprecated since v1.30; use the \"appArmorProfile\" field instead".to_string()]
        );
    }
}
