//! Pod validation: `ValidatePodCreate`, `ValidatePodSpec` and `ValidatePodUpdate` of
//! `pkg/apis/core/validation/validation.go` (v1.36), over the v1 types of k8s-openapi.
//!
//! The input is the pod after defaulting, as in the real server. Checks run, and errors are
//! appended, in the order of the Go code, because the order shows in `kubectl`'s message. The
//! feature gates are those on by default in v1.36 (relaxed env var names and DNS searches, zero
//! sleep actions, container restart rules, pod-level resources); privileged containers are allowed.
//! Go walks maps in random order; podlab walks them sorted.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{
    Affinity, Container, ContainerPort, EnvFromSource, EnvVar, HTTPGetAction, KeyToPath, Lifecycle,
    LifecycleHandler, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, ObjectFieldSelector,
    Pod, PodAffinityTerm, PodDNSConfig, PodSecurityContext, PodSpec, Probe, ResourceFieldSelector,
    ResourceRequirements, SecurityContext, Toleration, TopologySpreadConstraint, Volume,
    VolumeMount,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as WireQuantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::field::{go_json_string, go_quote, BadValue, ErrorList, FieldError, Path};
use super::meta::{
    validate_label_name, validate_labels, validate_nonnegative_field, validate_object_meta,
    validate_object_meta_update,
};
use super::names::{
    inclusive_range_error, is_c_identifier, is_config_map_key, is_dns1123_label,
    is_dns1123_subdomain, is_http_header_name, is_qualified_name, is_relaxed_env_var_name,
    is_valid_group_id, is_valid_ip_for_legacy_field, is_valid_label_value, is_valid_port_name,
    is_valid_port_num, is_valid_user_id, matches_dns1123_subdomain, name_is_dns_label,
    name_is_dns_subdomain,
};
use super::quantity::Quantity;

const FILE_MODE_ERROR_MSG: &str = "must be a number between 0 and 0777 (octal), both inclusive";
const IS_NOT_INTEGER_ERROR_MSG: &str = "must be an integer";
const IS_NOT_POSITIVE_ERROR_MSG: &str = "must be greater than zero";
const MAX_INT32: i64 = 2147483647;

/// The allowed changes of a pod update, as `updatablePodSpecFields` lists them.
pub const UPDATABLE_POD_SPEC_FIELDS: [&str; 5] = [
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
];

/// The start of the Forbidden detail when a pod update changes anything else.
pub fn pod_update_forbidden_prefix() -> String {
    format!(
        "pod updates may not change fields other than {}",
        UPDATABLE_POD_SPEC_FIELDS.join(",")
    )
}

/// Where a pod spec sits: a Pod itself (`ResourceIsPod`), or a template in another object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PodOptions {
    pub resource_is_pod: bool,
}

fn s(o: &Option<String>) -> &str {
    o.as_deref().unwrap_or("")
}

fn named(v: &str) -> BadValue {
    BadValue::named(v)
}

/// A quantity as `json.Marshal(resource.Quantity)` prints it: its canonical string, quoted.
fn quantity_json(q: &Quantity) -> BadValue {
    BadValue::Json(go_json_string(&q.canonical()))
}

// ---------------------------------------------------------------------------------------------
// ValidatePodCreate / ValidatePodUpdate
// ---------------------------------------------------------------------------------------------

/// `ValidatePodCreate`: metadata, pod-specific annotations, the spec, then the create-only rules.
pub fn validate_pod_create(pod: &Pod) -> ErrorList {
    let spec = pod.spec.clone().unwrap_or_default();
    let mut errs = validate_pod_metadata_and_spec(&pod.metadata, &spec);
    let spec_path = Path::new("spec");
    if spec
        .ephemeral_containers
        .as_ref()
        .is_some_and(|e| !e.is_empty())
    {
        errs.push(FieldError::forbidden(
            &spec_path.child("ephemeralContainers"),
            "cannot be set on create",
        ));
    }
    if !s(&spec.node_name).is_empty()
        && spec
            .scheduling_gates
            .as_ref()
            .is_some_and(|g| !g.is_empty())
    {
        errs.push(FieldError::forbidden(
            &spec_path.child("nodeName"),
            "cannot be set until all schedulingGates have been cleared",
        ));
    }
    errs.extend(validate_seccomp_annotations_and_fields(
        &pod.metadata,
        &spec,
        &spec_path,
    ));
    errs
}

/// `validatePodMetadataAndSpec`.
fn validate_pod_metadata_and_spec(meta: &ObjectMeta, spec: &PodSpec) -> ErrorList {
    let meta_path = Path::new("metadata");
    let spec_path = Path::new("spec");
    let mut errs = validate_object_meta(meta, true, name_is_dns_subdomain, &meta_path);
    errs.extend(validate_pod_specific_annotations(
        meta.annotations.as_ref(),
        spec,
        &meta_path.child("annotations"),
    ));
    errs.extend(validate_pod_spec(
        spec,
        Some(meta),
        &spec_path,
        PodOptions {
            resource_is_pod: true,
        },
    ));
    if s(&spec.service_account_name).is_empty() {
        for (vi, volume) in spec.volumes.iter().flatten().enumerate() {
            let path = spec_path.child("volumes").index(vi).child("projected");
            for (si, source) in volume
                .projected
                .iter()
                .flat_map(|p| p.sources.iter().flatten())
                .enumerate()
            {
                if source.service_account_token.is_some() {
                    errs.push(FieldError::forbidden(
                        &path.child("sources").index(si).child("serviceAccountToken"),
                        "must not be specified when serviceAccountName is not set",
                    ));
                }
            }
        }
    }
    errs.extend(validate_containers_only_for_pod(
        &spec.containers,
        &spec_path.child("containers"),
    ));
    errs.extend(validate_containers_only_for_pod(
        spec.init_containers.as_deref().unwrap_or_default(),
        &spec_path.child("initContainers"),
    ));
    errs
}

/// `validateContainersOnlyForPod`: no whitespace around an image name.
fn validate_containers_only_for_pod(containers: &[Container], path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for (i, c) in containers.iter().enumerate() {
        let image = s(&c.image);
        if image.len() != image.trim().len() {
            errs.push(FieldError::invalid(
                &path.index(i).child("image"),
                image,
                "must not have leading or trailing whitespace",
            ));
        }
    }
    errs
}

const MIRROR_POD_ANNOTATION: &str = "kubernetes.io/config.mirror";
const POD_DELETION_COST_ANNOTATION: &str = "controller.kubernetes.io/pod-deletion-cost";
const SECCOMP_POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";
const APPARMOR_CONTAINER_ANNOTATION_PREFIX: &str =
    "container.apparmor.security.beta.kubernetes.io/";

/// `ValidatePodSpecificAnnotations`.
fn validate_pod_specific_annotations(
    annotations: Option<&BTreeMap<String, String>>,
    spec: &PodSpec,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let Some(annotations) = annotations else {
        return errs;
    };
    if let Some(value) = annotations.get(MIRROR_POD_ANNOTATION) {
        if s(&spec.node_name).is_empty() {
            errs.push(FieldError::invalid(
                &path.key(MIRROR_POD_ANNOTATION),
                value.as_str(),
                "must set spec.nodeName if mirror pod annotation is set",
            ));
        }
    }
    if let Some(cost) = annotations.get(POD_DELETION_COST_ANNOTATION) {
        if !is_valid_deletion_cost(cost) {
            errs.push(FieldError::invalid(
                &path.key(POD_DELETION_COST_ANNOTATION),
                cost.as_str(),
                "must be a 32bit integer",
            ));
        }
    }
    if let Some(p) = annotations.get(SECCOMP_POD_ANNOTATION) {
        errs.extend(validate_seccomp_profile_annotation(
            p,
            &path.child(SECCOMP_POD_ANNOTATION),
        ));
    }
    for (k, p) in annotations {
        if k.starts_with(SECCOMP_CONTAINER_ANNOTATION_PREFIX) {
            errs.extend(validate_seccomp_profile_annotation(p, &path.child(k)));
        }
    }
    for (k, p) in annotations {
        let Some(container) = k.strip_prefix(APPARMOR_CONTAINER_ANNOTATION_PREFIX) else {
            continue;
        };
        if !pod_spec_has_container(spec, container) {
            errs.push(FieldError::invalid(
                &path.key(k),
                container,
                "container not found",
            ));
        }
        let ok = p.is_empty()
            || p == "runtime/default"
            || p == "unconfined"
            || p.starts_with("localhost/");
        if !ok {
            errs.push(FieldError::invalid(
                &path.key(k),
                p.as_str(),
                format!("invalid AppArmor profile name: {}", go_quote(p)),
            ));
        }
    }
    errs
}

/// `helper.GetDeletionCostFromPodAnnotations`: a canonical int32.
fn is_valid_deletion_cost(value: &str) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let first_ok = digits.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && !(digits.len() > 1 && digits.starts_with('0'));
    first_ok && value.parse::<i32>().is_ok()
}

fn pod_spec_has_container(spec: &PodSpec, name: &str) -> bool {
    spec.init_containers
        .iter()
        .flatten()
        .chain(spec.containers.iter())
        .any(|c| c.name == name)
        || spec
            .ephemeral_containers
            .iter()
            .flatten()
            .any(|c| c.name == name)
}

/// `ValidateSeccompProfile` for the deprecated annotations.
fn validate_seccomp_profile_annotation(p: &str, path: &Path) -> ErrorList {
    if matches!(p, "runtime/default" | "docker/default" | "unconfined") {
        return Vec::new();
    }
    if let Some(rest) = p.strip_prefix("localhost/") {
        return validate_local_descending_path(rest, path);
    }
    vec![FieldError::invalid(
        path,
        p,
        "must be a valid seccomp profile",
    )]
}

/// `validateSeccompAnnotationsAndFields`: when both an annotation and a field are set, they agree.
fn validate_seccomp_annotations_and_fields(
    meta: &ObjectMeta,
    spec: &PodSpec,
    spec_path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let Some(annotations) = meta.annotations.as_ref() else {
        return errs;
    };
    let check = |annotation: &str,
                 profile: &k8s_openapi::api::core::v1::SeccompProfile,
                 path: &Path| {
        let ok = match profile.type_.as_str() {
            "Unconfined" => annotation == "unconfined",
            "RuntimeDefault" => annotation == "runtime/default" || annotation == "docker/default",
            "Localhost" => match annotation.strip_prefix("localhost/") {
                None => {
                    return Some(FieldError::forbidden(
                        &path.child("type"),
                        "seccomp type in annotation and field must match",
                    ))
                }
                Some(rest) => {
                    if profile.localhost_profile.as_deref() != Some(rest) {
                        return Some(FieldError::forbidden(
                            &path.child("localhostProfile"),
                            "seccomp profile in annotation and field must match",
                        ));
                    }
                    true
                }
            },
            _ => true,
        };
        (!ok).then(|| {
            FieldError::forbidden(
                &path.child("type"),
                "seccomp type in annotation and field must match",
            )
        })
    };
    if let Some(profile) = spec
        .security_context
        .as_ref()
        .and_then(|sc| sc.seccomp_profile.as_ref())
    {
        if let Some(a) = annotations.get(SECCOMP_POD_ANNOTATION) {
            errs.extend(check(
                a,
                profile,
                &spec_path.child("securityContext").child("seccompProfile"),
            ));
        }
    }
    for (c, cpath) in containers_with_paths(spec, spec_path) {
        let Some(profile) = c
            .security_context
            .as_ref()
            .and_then(|sc| sc.seccomp_profile.as_ref())
        else {
            continue;
        };
        if let Some(a) =
            annotations.get(&format!("{SECCOMP_CONTAINER_ANNOTATION_PREFIX}{}", c.name))
        {
            errs.extend(check(
                a,
                profile,
                &cpath.child("securityContext").child("seccompProfile"),
            ));
        }
    }
    errs
}

/// `VisitContainersWithPath` over init and regular containers (ephemeral ones are added by the
/// ephemeralcontainers subresource, which podlab does not serve).
fn containers_with_paths<'a>(spec: &'a PodSpec, spec_path: &Path) -> Vec<(&'a Container, Path)> {
    let mut out = Vec::new();
    for (i, c) in spec.init_containers.iter().flatten().enumerate() {
        out.push((c, spec_path.child("initContainers").index(i)));
    }
    for (i, c) in spec.containers.iter().enumerate() {
        out.push((c, spec_path.child("containers").index(i)));
    }
    out
}

/// `ValidatePodUpdate`: metadata update rules, the whole new pod, annotation changes, then the
/// few spec changes a pod allows; anything else is refused with the list of updatable fields
/// followed by a diff of the specs (see [`super::pod_diff`]).
pub fn validate_pod_update(new: &Pod, old: &Pod) -> ErrorList {
    let meta_path = Path::new("metadata");
    let new_spec = new.spec.clone().unwrap_or_default();
    let old_spec = old.spec.clone().unwrap_or_default();
    let mut errs = validate_object_meta_update(&new.metadata, &old.metadata, &meta_path);
    errs.extend(validate_pod_metadata_and_spec(&new.metadata, &new_spec));
    errs.extend(validate_pod_specific_annotation_updates(
        new,
        old,
        &new_spec,
        &meta_path.child("annotations"),
    ));
    let spec_path = Path::new("spec");

    let (container_errs, stop) = validate_container_updates(
        &new_spec.containers,
        &old_spec.containers,
        &spec_path.child("containers"),
    );
    errs.extend(container_errs);
    if stop {
        return errs;
    }
    let (init_errs, stop) = validate_container_updates(
        new_spec.init_containers.as_deref().unwrap_or_default(),
        old_spec.init_containers.as_deref().unwrap_or_default(),
        &spec_path.child("initContainers"),
    );
    errs.extend(init_errs);
    if stop {
        return errs;
    }

    let ads_path = spec_path.child("activeDeadlineSeconds");
    match (
        new_spec.active_deadline_seconds,
        old_spec.active_deadline_seconds,
    ) {
        (Some(n), old_ads) => {
            if !(0..=MAX_INT32).contains(&n) {
                errs.push(FieldError::invalid(
                    &ads_path,
                    n,
                    inclusive_range_error(0, MAX_INT32),
                ));
                return errs;
            }
            if old_ads.is_some_and(|o| o < n) {
                errs.push(FieldError::invalid(
                    &ads_path,
                    n,
                    "must be less than or equal to previous value",
                ));
                return errs;
            }
        }
        (None, Some(_)) => {
            errs.push(FieldError::invalid(
                &ads_path,
                BadValue::Null,
                "must not update from a positive integer to nil value",
            ));
        }
        (None, None) => {}
    }

    errs.extend(validate_only_added_tolerations(
        new_spec.tolerations.as_deref().unwrap_or_default(),
        old_spec.tolerations.as_deref().unwrap_or_default(),
        &spec_path.child("tolerations"),
    ));
    errs.extend(validate_only_deleted_scheduling_gates(
        &new_spec,
        &old_spec,
        &spec_path.child("schedulingGates"),
    ));

    if let Some(diff) = super::pod_diff::forbidden_spec_change(&new_spec, &old_spec) {
        errs.push(FieldError::forbidden(
            &spec_path,
            format!("{}\n{}", pod_update_forbidden_prefix(), diff),
        ));
    }
    errs
}

/// `ValidatePodSpecificAnnotationUpdates`: AppArmor and mirror annotations may not change; then
/// the pod-specific annotation checks of the new pod, again.
fn validate_pod_specific_annotation_updates(
    new: &Pod,
    old: &Pod,
    new_spec: &PodSpec,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let empty = BTreeMap::new();
    let new_a = new.metadata.annotations.as_ref().unwrap_or(&empty);
    let old_a = old.metadata.annotations.as_ref().unwrap_or(&empty);
    for (k, old_v) in old_a {
        if new_a.get(k) == Some(old_v) {
            continue;
        }
        if k.starts_with(APPARMOR_CONTAINER_ANNOTATION_PREFIX) {
            errs.push(FieldError::forbidden(
                &path.key(k),
                "may not remove or update AppArmor annotations",
            ));
        }
        if k == MIRROR_POD_ANNOTATION {
            errs.push(FieldError::forbidden(
                &path.key(k),
                "may not remove or update mirror pod annotation",
            ));
        }
    }
    for k in new_a.keys() {
        if old_a.contains_key(k) {
            continue;
        }
        if k.starts_with(APPARMOR_CONTAINER_ANNOTATION_PREFIX) {
            errs.push(FieldError::forbidden(
                &path.key(k),
                "may not add AppArmor annotations",
            ));
        }
        if k == MIRROR_POD_ANNOTATION {
            errs.push(FieldError::forbidden(
                &path.key(k),
                "may not add mirror pod annotation",
            ));
        }
    }
    errs.extend(validate_pod_specific_annotations(
        Some(new_a),
        new_spec,
        path,
    ));
    errs
}

/// `ValidateContainerUpdates`: same number of containers, each with an image.
fn validate_container_updates(
    new: &[Container],
    old: &[Container],
    path: &Path,
) -> (ErrorList, bool) {
    if new.len() != old.len() {
        return (
            vec![FieldError::forbidden(
                path,
                "pod updates may not add or remove containers",
            )],
            true,
        );
    }
    let mut errs = Vec::new();
    for (i, c) in new.iter().enumerate() {
        let image = s(&c.image);
        if image.is_empty() {
            errs.push(FieldError::required(&path.index(i).child("image"), ""));
        }
        if image.trim().len() != image.len() {
            errs.push(FieldError::invalid(
                &path.index(i).child("image"),
                image,
                "must not have leading or trailing whitespace",
            ));
        }
    }
    (errs, false)
}

/// `validateOnlyAddedTolerations`: existing tolerations stay (their tolerationSeconds may change).
fn validate_only_added_tolerations(
    new: &[Toleration],
    old: &[Toleration],
    path: &Path,
) -> ErrorList {
    for o in old {
        let found = new.iter().any(|n| {
            let mut o = o.clone();
            o.toleration_seconds = n.toleration_seconds;
            normalize_toleration(&o) == normalize_toleration(n)
        });
        if !found {
            return vec![FieldError::forbidden(
                path,
                "existing toleration can not be modified except its tolerationSeconds",
            )];
        }
    }
    validate_tolerations(new, path)
}

fn normalize_toleration(t: &Toleration) -> (String, String, String, String, Option<i64>) {
    (
        s(&t.key).to_string(),
        s(&t.operator).to_string(),
        s(&t.value).to_string(),
        s(&t.effect).to_string(),
        t.toleration_seconds,
    )
}

/// `validateOnlyDeletedSchedulingGates`.
fn validate_only_deleted_scheduling_gates(new: &PodSpec, old: &PodSpec, path: &Path) -> ErrorList {
    let new_gates = new.scheduling_gates.as_deref().unwrap_or_default();
    if new_gates.is_empty() {
        return Vec::new();
    }
    let old_names: BTreeSet<&str> = old
        .scheduling_gates
        .iter()
        .flatten()
        .map(|g| g.name.as_str())
        .collect();
    let mut additional: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, g) in new_gates.iter().enumerate() {
        additional.insert(g.name.as_str(), i);
    }
    additional
        .into_iter()
        .filter(|(name, _)| !old_names.contains(name))
        .map(|(name, i)| {
            FieldError::forbidden(
                &path.index(i).child("name"),
                format!("only deletion is allowed, but found new scheduling gate '{name}'"),
            )
        })
        .collect()
}

/// `WarningsOnCreate` of the pod strategy: a name that is a subdomain but not a DNS label.
pub fn pod_create_warnings(pod: &Pod) -> Vec<String> {
    let name = s(&pod.metadata.name);
    let msgs = is_dns1123_label(name);
    if msgs.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [{}]",
        msgs.join(" ")
    )]
}

// ---------------------------------------------------------------------------------------------
// ValidatePodSpec
// ---------------------------------------------------------------------------------------------

/// The volumes that validated, by name, and whether each is claim-backed (for volumeDevices).
type VolumeMap = BTreeMap<String, bool>;

/// `ValidatePodSpec`.
pub fn validate_pod_spec(
    spec: &PodSpec,
    meta: Option<&ObjectMeta>,
    path: &Path,
    opts: PodOptions,
) -> ErrorList {
    let mut errs = Vec::new();
    if spec.termination_grace_period_seconds.is_none() {
        errs.push(FieldError::required(
            &path.child("terminationGracePeriodSeconds"),
            "",
        ));
    }
    let grace = spec.termination_grace_period_seconds;
    let host_users = spec.host_users.unwrap_or(true);
    let restart_policy = s(&spec.restart_policy);

    let (volumes, vol_errs) = validate_volumes(
        spec.volumes.as_deref().unwrap_or_default(),
        meta,
        &path.child("volumes"),
        opts,
    );
    errs.extend(vol_errs);
    let claim_names: BTreeSet<String> = spec
        .resource_claims
        .iter()
        .flatten()
        .map(|c| c.name.clone())
        .filter(|n| !n.is_empty())
        .collect();
    errs.extend(validate_pod_resource_claims(
        spec,
        &path.child("resourceClaims"),
    ));
    let ctx = ContainerContext {
        volumes: &volumes,
        claim_names: &claim_names,
        restart_policy,
        host_users,
        grace,
        os: os_name(spec),
    };
    errs.extend(validate_containers(
        &spec.containers,
        &ctx,
        &path.child("containers"),
    ));
    errs.extend(validate_init_containers(
        spec.init_containers.as_deref().unwrap_or_default(),
        &spec.containers,
        &ctx,
        &path.child("initContainers"),
    ));
    if let Some(resources) = spec.resources.as_ref() {
        errs.extend(validate_pod_resources(spec, resources, &claim_names, path));
    }
    errs.extend(validate_pod_host_network_deps(spec, path, opts));
    errs.extend(validate_restart_policy(
        restart_policy,
        &path.child("restartPolicy"),
    ));
    errs.extend(validate_dns_policy(
        s(&spec.dns_policy),
        &path.child("dnsPolicy"),
    ));
    errs.extend(validate_labels(
        spec.node_selector.as_ref(),
        &path.child("nodeSelector"),
    ));
    errs.extend(validate_pod_spec_security_context(
        spec,
        &path.child("securityContext"),
    ));
    errs.extend(validate_affinity(
        spec.affinity.as_ref(),
        &path.child("affinity"),
    ));
    errs.extend(validate_pod_dns_config(
        spec.dns_config.as_ref(),
        s(&spec.dns_policy),
        &path.child("dnsConfig"),
    ));
    for (i, gate) in spec.readiness_gates.iter().flatten().enumerate() {
        errs.extend(validate_qualified_name(
            &gate.condition_type,
            &path.child("readinessGates").index(i).child("conditionType"),
        ));
    }
    errs.extend(validate_scheduling_gates(
        spec,
        &path.child("schedulingGates"),
    ));
    errs.extend(validate_topology_spread_constraints(
        spec.topology_spread_constraints
            .as_deref()
            .unwrap_or_default(),
        &path.child("topologySpreadConstraints"),
    ));
    errs.extend(validate_host_users(spec, path));
    let sa = s(&spec.service_account_name);
    if !sa.is_empty() {
        for msg in name_is_dns_subdomain(sa, false) {
            errs.push(FieldError::invalid(
                &path.child("serviceAccountName"),
                sa,
                msg,
            ));
        }
    }
    let node_name = s(&spec.node_name);
    if !node_name.is_empty() {
        for msg in name_is_dns_subdomain(node_name, false) {
            errs.push(FieldError::invalid(&path.child("nodeName"), node_name, msg));
        }
    }
    if let Some(ads) = spec.active_deadline_seconds {
        if !(1..=MAX_INT32).contains(&ads) {
            errs.push(FieldError::invalid(
                &path.child("activeDeadlineSeconds"),
                ads,
                inclusive_range_error(1, MAX_INT32),
            ));
        }
    }
    if !s(&spec.hostname).is_empty() {
        errs.extend(validate_dns1123_label(
            s(&spec.hostname),
            &path.child("hostname"),
        ));
    }
    if !s(&spec.subdomain).is_empty() {
        errs.extend(validate_dns1123_label(
            s(&spec.subdomain),
            &path.child("subdomain"),
        ));
    }
    let tolerations = spec.tolerations.as_deref().unwrap_or_default();
    if !tolerations.is_empty() {
        errs.extend(validate_tolerations(
            tolerations,
            &path.child("tolerations"),
        ));
    }
    for (i, alias) in spec.host_aliases.iter().flatten().enumerate() {
        let p = path.child("hostAliases").index(i);
        for msg in is_valid_ip_for_legacy_field(&alias.ip) {
            errs.push(FieldError::invalid(&p.child("ip"), alias.ip.as_str(), msg));
        }
        for (j, h) in alias.hostnames.iter().flatten().enumerate() {
            errs.extend(validate_dns1123_subdomain(
                h,
                &p.child("hostnames").index(j),
            ));
        }
    }
    let pc = s(&spec.priority_class_name);
    if !pc.is_empty() {
        for msg in name_is_dns_subdomain(pc, false) {
            errs.push(FieldError::invalid(
                &path.child("priorityClassName"),
                pc,
                msg,
            ));
        }
    }
    if let Some(rc) = spec.runtime_class_name.as_deref() {
        for msg in name_is_dns_subdomain(rc, false) {
            errs.push(FieldError::invalid(
                &path.child("runtimeClassName"),
                rc,
                msg,
            ));
        }
    }
    if let Some(pp) = spec.preemption_policy.as_deref() {
        let p = path.child("preemptionPolicy");
        match pp {
            "PreemptLowerPriority" | "Never" => {}
            "" => errs.push(FieldError::required(&p, "")),
            other => errs.push(FieldError::not_supported(
                &p,
                named(other),
                &["PreemptLowerPriority", "Never"],
            )),
        }
    }
    if let Some(overhead) = spec.overhead.as_ref() {
        let req = ResourceRequirements {
            limits: Some(overhead.clone()),
            ..Default::default()
        };
        errs.extend(validate_resource_requirements(
            &req,
            &claim_names,
            &path.child("overhead"),
            ResourceScope::Container,
        ));
    }
    if let Some(os) = spec.os.as_ref() {
        let p = path.child("os");
        if os.name.is_empty() {
            errs.push(FieldError::required(&p.child("name"), ""));
        } else if os.name != "linux" && os.name != "windows" {
            errs.push(FieldError::not_supported(
                &p,
                named(&os.name),
                &["linux", "windows"],
            ));
        } else if os.name == "linux" {
            errs.extend(validate_linux(spec, path));
        }
    }
    if let Some(group) = spec.scheduling_group.as_ref() {
        let p = path.child("schedulingGroup").child("podGroupName");
        match group.pod_group_name.as_deref() {
            None => errs.push(FieldError::invalid(
                &p,
                BadValue::Null,
                "must specify one of: `podGroupName`",
            )),
            Some(name) => {
                for msg in name_is_dns_subdomain(name, false) {
                    errs.push(FieldError::invalid(&p, name, msg));
                }
            }
        }
    }
    errs.extend(validate_file_key_ref_volumes(spec, path));
    errs
}

fn os_name(spec: &PodSpec) -> Option<&str> {
    spec.os.as_ref().map(|o| o.name.as_str())
}

fn validate_dns1123_label(value: &str, path: &Path) -> ErrorList {
    is_dns1123_label(value)
        .into_iter()
        .map(|m| FieldError::invalid(path, value, m))
        .collect()
}

fn validate_dns1123_subdomain(value: &str, path: &Path) -> ErrorList {
    is_dns1123_subdomain(value)
        .into_iter()
        .map(|m| FieldError::invalid(path, value, m))
        .collect()
}

fn validate_qualified_name(value: &str, path: &Path) -> ErrorList {
    is_qualified_name(value)
        .into_iter()
        .map(|m| FieldError::invalid(path, value, m))
        .collect()
}

/// `validateRestartPolicy`.
fn validate_restart_policy(policy: &str, path: &Path) -> ErrorList {
    match policy {
        "Always" | "OnFailure" | "Never" => Vec::new(),
        "" => vec![FieldError::required(path, "")],
        other => vec![FieldError::not_supported(
            path,
            named(other),
            &["Always", "OnFailure", "Never"],
        )],
    }
}

/// `validateDNSPolicy`.
fn validate_dns_policy(policy: &str, path: &Path) -> ErrorList {
    match policy {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => Vec::new(),
        "" => vec![FieldError::required(path, "")],
        other => vec![FieldError::not_supported(
            path,
            named(other),
            &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        )],
    }
}

/// `validatePodHostNetworkDeps`: with hostNetwork, hostPort must equal containerPort.
fn validate_pod_host_network_deps(spec: &PodSpec, path: &Path, opts: PodOptions) -> ErrorList {
    let mut errs = Vec::new();
    if !spec.host_network.unwrap_or(false) {
        return errs;
    }
    for (i, c) in spec.containers.iter().enumerate() {
        for (j, port) in c.ports.iter().flatten().enumerate() {
            let hp = port.host_port.unwrap_or(0);
            if (opts.resource_is_pod || hp != 0) && hp != port.container_port {
                errs.push(FieldError::invalid(
                    &path
                        .child("containers")
                        .index(i)
                        .child("ports")
                        .index(j)
                        .child("hostPort"),
                    hp,
                    "must match `containerPort` when `hostNetwork` is true",
                ));
            }
        }
    }
    errs
}

/// `validateHostUsers`: with `hostUsers: false`, no host namespaces or volume devices.
fn validate_host_users(spec: &PodSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if spec.host_users != Some(false) {
        return errs;
    }
    if spec.host_network.unwrap_or(false) {
        errs.push(FieldError::forbidden(
            &path.child("hostNetwork"),
            "when `hostUsers` is false",
        ));
    }
    if spec.host_pid.unwrap_or(false) {
        errs.push(FieldError::forbidden(
            &path.child("HostPID"),
            "when `hostUsers` is false",
        ));
    }
    if spec.host_ipc.unwrap_or(false) {
        errs.push(FieldError::forbidden(
            &path.child("HostIPC"),
            "when `hostUsers` is false",
        ));
    }
    for (c, cpath) in containers_with_paths(spec, path) {
        if c.volume_devices.as_ref().is_some_and(|d| !d.is_empty()) {
            errs.push(FieldError::forbidden(
                &cpath.child("volumeDevices"),
                "when `hostUsers` is false",
            ));
        }
    }
    errs
}

/// `validateLinux`: no Windows options on a Linux pod.
fn validate_linux(spec: &PodSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if spec
        .security_context
        .as_ref()
        .is_some_and(|sc| sc.windows_options.is_some())
    {
        errs.push(FieldError::forbidden(
            &path.child("securityContext").child("windowsOptions"),
            "windows options cannot be set for a linux pod",
        ));
    }
    for (c, cpath) in containers_with_paths(spec, path) {
        if c.security_context
            .as_ref()
            .is_some_and(|sc| sc.windows_options.is_some())
        {
            errs.push(FieldError::forbidden(
                &cpath.child("securityContext").child("windowsOptions"),
                "windows options cannot be set for a linux pod",
            ));
        }
    }
    errs
}

/// `validateFileKeyRefVolumes`: a fileKeyRef names an emptyDir volume of the pod.
fn validate_file_key_ref_volumes(spec: &PodSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let volumes: BTreeMap<&str, &Volume> = spec
        .volumes
        .iter()
        .flatten()
        .map(|v| (v.name.as_str(), v))
        .collect();
    for (c, cpath) in containers_with_paths(spec, path) {
        for (j, env) in c.env.iter().flatten().enumerate() {
            let Some(fkr) = env
                .value_from
                .as_ref()
                .and_then(|f| f.file_key_ref.as_ref())
            else {
                continue;
            };
            let p = cpath
                .child("env")
                .index(j)
                .child("valueFrom")
                .child("fileKeyRef")
                .child("volumeName");
            match volumes.get(fkr.volume_name.as_str()) {
                None => errs.push(FieldError::not_found(&p, fkr.volume_name.as_str())),
                Some(v) if v.empty_dir.is_none() => errs.push(FieldError::invalid(
                    &p,
                    fkr.volume_name.as_str(),
                    "referenced volume must be of type emptyDir",
                )),
                _ => {}
            }
        }
    }
    errs
}

fn validate_scheduling_gates(spec: &PodSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, gate) in spec.scheduling_gates.iter().flatten().enumerate() {
        errs.extend(validate_qualified_name(&gate.name, &path.index(i)));
        if !seen.insert(gate.name.clone()) {
            errs.push(FieldError::duplicate(&path.index(i), gate.name.as_str()));
        }
    }
    errs
}

/// `validatePodResourceClaims`.
fn validate_pod_resource_claims(spec: &PodSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let mut names = BTreeSet::new();
    for (i, claim) in spec.resource_claims.iter().flatten().enumerate() {
        let p = path.index(i);
        if claim.name.is_empty() {
            errs.push(FieldError::required(&p.child("name"), ""));
        } else if names.contains(&claim.name) {
            errs.push(FieldError::duplicate(&p.child("name"), claim.name.as_str()));
        } else {
            errs.extend(validate_dns1123_label(&claim.name, &p.child("name")));
            names.insert(claim.name.clone());
        }
        let claim_json = serde_json::to_value(claim)
            .map(|v| BadValue::from_json(&v))
            .unwrap_or(BadValue::Null);
        match (&claim.resource_claim_name, &claim.resource_claim_template_name) {
            (Some(_), Some(_)) => errs.push(FieldError::invalid(
                &p,
                claim_json,
                "at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified",
            )),
            (None, None) => errs.push(FieldError::invalid(
                &p,
                claim_json,
                "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`",
            )),
            _ => {}
        }
        for (field, value) in [
            ("resourceClaimName", &claim.resource_claim_name),
            (
                "resourceClaimTemplateName",
                &claim.resource_claim_template_name,
            ),
        ] {
            if let Some(v) = value {
                for msg in name_is_dns_subdomain(v, false) {
                    errs.push(FieldError::invalid(&p.child(field), v.as_str(), msg));
                }
            }
        }
    }
    errs
}

// ---------------------------------------------------------------------------------------------
// Volumes
// ---------------------------------------------------------------------------------------------

/// Counts volume sources as `validateVolumeSource` does: the first one is validated, any later
/// one is refused.
struct SourceCounter<'a> {
    count: usize,
    path: &'a Path,
    errs: ErrorList,
}

impl SourceCounter<'_> {
    fn source(&mut self, present: bool, name: &str, validate: impl FnOnce() -> ErrorList) {
        if !present {
            return;
        }
        if self.count > 0 {
            self.errs.push(FieldError::forbidden(
                &self.path.child(name),
                "may not specify more than 1 volume type",
            ));
        } else {
            self.count += 1;
            self.errs.extend(validate());
        }
    }
}

fn required_if_empty(value: &str, path: &Path) -> ErrorList {
    if value.is_empty() {
        vec![FieldError::required(path, "")]
    } else {
        Vec::new()
    }
}

fn validate_file_mode(mode: Option<i32>, path: &Path) -> ErrorList {
    match mode {
        Some(m) if !(0..=0o777).contains(&m) => {
            vec![FieldError::invalid(path, m, FILE_MODE_ERROR_MSG)]
        }
        _ => Vec::new(),
    }
}

/// `validateVolumeSource`, in the Go order of the source types.
fn validate_volume_source(v: &Volume, path: &Path, opts: PodOptions) -> ErrorList {
    let mut c = SourceCounter {
        count: 0,
        path,
        errs: Vec::new(),
    };
    c.source(v.empty_dir.is_some(), "emptyDir", || {
        let negative = v
            .empty_dir
            .as_ref()
            .and_then(|e| e.size_limit.as_ref())
            .and_then(|q| Quantity::parse(&q.0).ok())
            .is_some_and(|q| q.is_negative());
        if negative {
            vec![FieldError::forbidden(
                &path.child("emptyDir").child("sizeLimit"),
                "SizeLimit field must be a valid resource quantity",
            )]
        } else {
            Vec::new()
        }
    });
    c.source(v.host_path.is_some(), "hostPath", || {
        let hp = v
            .host_path
            .as_ref()
            .map(|h| (h.path.clone(), h.type_.clone()))
            .unwrap_or_default();
        let p = path.child("hostPath");
        if hp.0.is_empty() {
            return vec![FieldError::required(&p.child("path"), "")];
        }
        let mut errs = validate_path_no_backsteps(&hp.0, &p.child("path"));
        if let Some(t) = hp.1.as_deref() {
            const TYPES: [&str; 8] = [
                "",
                "BlockDevice",
                "CharDevice",
                "Directory",
                "DirectoryOrCreate",
                "File",
                "FileOrCreate",
                "Socket",
            ];
            if !TYPES.contains(&t) {
                errs.push(FieldError::not_supported(
                    &p.child("type"),
                    named(t),
                    &TYPES,
                ));
            }
        }
        errs
    });
    c.source(v.git_repo.is_some(), "gitRepo", || {
        let g = v.git_repo.clone().unwrap_or_default();
        let p = path.child("gitRepo");
        let mut errs = required_if_empty(&g.repository, &p.child("repository"));
        errs.extend(validate_local_descending_path(
            s(&g.directory),
            &p.child("directory"),
        ));
        errs
    });
    c.source(v.gce_persistent_disk.is_some(), "gcePersistentDisk", || {
        let d = v.gce_persistent_disk.clone().unwrap_or_default();
        let p = path.child("persistentDisk");
        let mut errs = required_if_empty(&d.pd_name, &p.child("pdName"));
        let part = d.partition.unwrap_or(0);
        if !(0..=255).contains(&part) {
            errs.push(FieldError::invalid(
                &p.child("partition"),
                part,
                inclusive_range_error(1, 255),
            ));
        }
        errs
    });
    c.source(
        v.aws_elastic_block_store.is_some(),
        "awsElasticBlockStore",
        || {
            let d = v.aws_elastic_block_store.clone().unwrap_or_default();
            let p = path.child("awsElasticBlockStore");
            let mut errs = required_if_empty(&d.volume_id, &p.child("volumeID"));
            let part = d.partition.unwrap_or(0);
            if !(0..=255).contains(&part) {
                errs.push(FieldError::invalid(
                    &p.child("partition"),
                    part,
                    inclusive_range_error(1, 255),
                ));
            }
            errs
        },
    );
    c.source(v.secret.is_some(), "secret", || {
        let sv = v.secret.clone().unwrap_or_default();
        let p = path.child("secret");
        let mut errs = required_if_empty(s(&sv.secret_name), &p.child("secretName"));
        errs.extend(validate_file_mode(sv.default_mode, &p.child("defaultMode")));
        for (i, kp) in sv.items.iter().flatten().enumerate() {
            errs.extend(validate_key_to_path(kp, &p.child("items").index(i)));
        }
        errs
    });
    c.source(v.nfs.is_some(), "nfs", || {
        let n = v.nfs.clone().unwrap_or_default();
        let p = path.child("nfs");
        let mut errs = required_if_empty(&n.server, &p.child("server"));
        errs.extend(required_if_empty(&n.path, &p.child("path")));
        if !n.path.starts_with('/') {
            errs.push(FieldError::invalid(
                &p.child("path"),
                n.path.as_str(),
                "must be an absolute path",
            ));
        }
        errs
    });
    c.source(v.iscsi.is_some(), "iscsi", || {
        let d = v.iscsi.clone().unwrap_or_default();
        let p = path.child("iscsi");
        let mut errs = required_if_empty(&d.target_portal, &p.child("targetPortal"));
        errs.extend(required_if_empty(&d.iqn, &p.child("iqn")));
        if !(0..=255).contains(&d.lun) {
            errs.push(FieldError::invalid(
                &p.child("lun"),
                d.lun,
                inclusive_range_error(0, 255),
            ));
        }
        errs
    });
    c.source(v.glusterfs.is_some(), "glusterfs", || {
        let g = v.glusterfs.clone().unwrap_or_default();
        let p = path.child("glusterfs");
        let mut errs = required_if_empty(&g.endpoints, &p.child("endpoints"));
        errs.extend(required_if_empty(&g.path, &p.child("path")));
        errs
    });
    c.source(v.flocker.is_some(), "flocker", || {
        let f = v.flocker.clone().unwrap_or_default();
        let p = path.child("flocker");
        let (name, uuid) = (s(&f.dataset_name), s(&f.dataset_uuid));
        let mut errs = Vec::new();
        if name.is_empty() && uuid.is_empty() {
            errs.push(FieldError::required(
                &p,
                "one of datasetName and datasetUUID is required",
            ));
        }
        if !name.is_empty() && !uuid.is_empty() {
            errs.push(FieldError::invalid(
                &p,
                "resource",
                "datasetName and datasetUUID can not be specified simultaneously",
            ));
        }
        if name.contains('/') {
            errs.push(FieldError::invalid(
                &p.child("datasetName"),
                name,
                "must not contain '/'",
            ));
        }
        errs
    });
    c.source(
        v.persistent_volume_claim.is_some(),
        "persistentVolumeClaim",
        || {
            let claim = v.persistent_volume_claim.clone().unwrap_or_default();
            required_if_empty(
                &claim.claim_name,
                &path.child("persistentVolumeClaim").child("claimName"),
            )
        },
    );
    c.source(v.rbd.is_some(), "rbd", || {
        let r = v.rbd.clone().unwrap_or_default();
        let p = path.child("rbd");
        let mut errs = Vec::new();
        if r.monitors.is_empty() {
            errs.push(FieldError::required(&p.child("monitors"), ""));
        }
        errs.extend(required_if_empty(&r.image, &p.child("image")));
        errs
    });
    c.source(v.cinder.is_some(), "cinder", || {
        let d = v.cinder.clone().unwrap_or_default();
        let p = path.child("cinder");
        let mut errs = required_if_empty(&d.volume_id, &p.child("volumeID"));
        if let Some(r) = d.secret_ref.as_ref() {
            errs.extend(required_if_empty(
                &r.name,
                &p.child("secretRef").child("name"),
            ));
        }
        errs
    });
    c.source(v.cephfs.is_some(), "cephFS", || {
        let d = v.cephfs.clone().unwrap_or_default();
        if d.monitors.is_empty() {
            vec![FieldError::required(
                &path.child("cephfs").child("monitors"),
                "",
            )]
        } else {
            Vec::new()
        }
    });
    c.source(v.quobyte.is_some(), "quobyte", || {
        let q = v.quobyte.clone().unwrap_or_default();
        let p = path.child("quobyte");
        let mut errs = Vec::new();
        if q.registry.is_empty() {
            errs.push(FieldError::required(
                &p.child("registry"),
                "must be a host:port pair or multiple pairs separated by commas",
            ));
        }
        errs.extend(required_if_empty(&q.volume, &p.child("volume")));
        errs
    });
    c.source(v.downward_api.is_some(), "downwarAPI", || {
        let d = v.downward_api.clone().unwrap_or_default();
        let p = path.child("downwardAPI");
        let mut errs = validate_file_mode(d.default_mode, &p.child("defaultMode"));
        for file in d.items.iter().flatten() {
            errs.extend(validate_downward_api_volume_file(file, &p));
        }
        errs
    });
    c.source(v.fc.is_some(), "fc", || {
        let f = v.fc.clone().unwrap_or_default();
        let p = path.child("fc");
        let wwns = f.target_wwns.unwrap_or_default();
        let wwids = f.wwids.unwrap_or_default();
        let mut errs = Vec::new();
        if wwns.is_empty() && wwids.is_empty() {
            errs.push(FieldError::required(
                &p.child("targetWWNs"),
                "must specify either targetWWNs or wwids, but not both",
            ));
        }
        if !wwns.is_empty() && !wwids.is_empty() {
            errs.push(FieldError::invalid(
                &p.child("targetWWNs"),
                BadValue::string_list(Some(&wwns)),
                "targetWWNs and wwids can not be specified simultaneously",
            ));
        }
        if !wwns.is_empty() {
            match f.lun {
                None => errs.push(FieldError::required(
                    &p.child("lun"),
                    "lun is required if targetWWNs is specified",
                )),
                Some(l) if !(0..=255).contains(&l) => errs.push(FieldError::invalid(
                    &p.child("lun"),
                    l,
                    inclusive_range_error(0, 255),
                )),
                _ => {}
            }
        }
        errs
    });
    c.source(v.flex_volume.is_some(), "flexVolume", || {
        let f = v.flex_volume.clone().unwrap_or_default();
        let p = path.child("flexVolume");
        let mut errs = required_if_empty(&f.driver, &p.child("driver"));
        for k in f.options.iter().flat_map(|o| o.keys()) {
            let ns = k.split_once('/').map_or(k.as_str(), |(ns, _)| ns);
            let normalized = format!(".{}", ns.to_lowercase());
            if normalized.ends_with(".kubernetes.io") || normalized.ends_with(".k8s.io") {
                errs.push(FieldError::invalid(
                    &p.child("options").key(k),
                    k.as_str(),
                    "kubernetes.io and k8s.io namespaces are reserved",
                ));
            }
        }
        errs
    });
    c.source(v.config_map.is_some(), "configMap", || {
        let cm = v.config_map.clone().unwrap_or_default();
        let p = path.child("configMap");
        let mut errs = required_if_empty(&cm.name, &p.child("name"));
        errs.extend(validate_file_mode(cm.default_mode, &p.child("defaultMode")));
        for (i, kp) in cm.items.iter().flatten().enumerate() {
            errs.extend(validate_key_to_path(kp, &p.child("items").index(i)));
        }
        errs
    });
    c.source(v.azure_file.is_some(), "azureFile", || {
        let a = v.azure_file.clone().unwrap_or_default();
        let p = path.child("azureFile");
        let mut errs = required_if_empty(&a.secret_name, &p.child("secretName"));
        errs.extend(required_if_empty(&a.share_name, &p.child("shareName")));
        errs
    });
    c.source(v.vsphere_volume.is_some(), "vsphereVolume", || {
        let d = v.vsphere_volume.clone().unwrap_or_default();
        required_if_empty(
            &d.volume_path,
            &path.child("vsphereVolume").child("volumePath"),
        )
    });
    c.source(
        v.photon_persistent_disk.is_some(),
        "photonPersistentDisk",
        || {
            let d = v.photon_persistent_disk.clone().unwrap_or_default();
            required_if_empty(&d.pd_id, &path.child("photonPersistentDisk").child("pdID"))
        },
    );
    c.source(v.portworx_volume.is_some(), "portworxVolume", || {
        let d = v.portworx_volume.clone().unwrap_or_default();
        required_if_empty(
            &d.volume_id,
            &path.child("portworxVolume").child("volumeID"),
        )
    });
    c.source(v.azure_disk.is_some(), "azureDisk", || {
        let d = v.azure_disk.clone().unwrap_or_default();
        let p = path.child("azureDisk");
        let mut errs = required_if_empty(&d.disk_name, &p.child("diskName"));
        errs.extend(required_if_empty(&d.disk_uri, &p.child("diskURI")));
        errs
    });
    c.source(v.storageos.is_some(), "storageos", || {
        let d = v.storageos.clone().unwrap_or_default();
        let p = path.child("storageos");
        let name = s(&d.volume_name);
        let mut errs = if name.is_empty() {
            vec![FieldError::required(&p.child("volumeName"), "")]
        } else {
            validate_dns1123_label(name, &p.child("volumeName"))
        };
        if !s(&d.volume_namespace).is_empty() {
            errs.extend(validate_dns1123_label(
                s(&d.volume_namespace),
                &p.child("volumeNamespace"),
            ));
        }
        errs
    });
    c.source(v.projected.is_some(), "projected", || {
        let pr = v.projected.clone().unwrap_or_default();
        validate_projected_volume_source(&pr, &path.child("projected"))
    });
    c.source(v.scale_io.is_some(), "scaleIO", || {
        let d = v.scale_io.clone().unwrap_or_default();
        let p = path.child("scaleIO");
        let mut errs = required_if_empty(&d.gateway, &p.child("gateway"));
        errs.extend(required_if_empty(&d.system, &p.child("system")));
        errs.extend(required_if_empty(s(&d.volume_name), &p.child("volumeName")));
        errs
    });
    c.source(v.csi.is_some(), "csi", || {
        let d = v.csi.clone().unwrap_or_default();
        let p = path.child("csi");
        let mut errs = validate_csi_driver_name(&d.driver, &p.child("driver"));
        if let Some(r) = d.node_publish_secret_ref.as_ref() {
            if r.name.is_empty() {
                errs.push(FieldError::required(
                    &p.child("nodePublishSecretRef").child("name"),
                    "",
                ));
            } else {
                for msg in name_is_dns_subdomain(&r.name, false) {
                    errs.push(FieldError::invalid(&p.child("name"), r.name.as_str(), msg));
                }
            }
        }
        errs
    });
    c.source(v.ephemeral.is_some(), "ephemeral", || {
        let e = v.ephemeral.clone().unwrap_or_default();
        let p = path.child("ephemeral");
        match e.volume_claim_template.as_ref() {
            None => vec![FieldError::required(&p.child("volumeClaimTemplate"), "")],
            Some(t) => {
                let sp = p.child("volumeClaimTemplate").child("spec");
                let mut errs = Vec::new();
                if t.spec.access_modes.as_ref().is_none_or(|m| m.is_empty()) {
                    errs.push(FieldError::required(
                        &sp.child("accessModes"),
                        "at least 1 access mode is required",
                    ));
                }
                let storage = t
                    .spec
                    .resources
                    .as_ref()
                    .and_then(|r| r.requests.as_ref())
                    .and_then(|r| r.get("storage"));
                if storage.is_none() {
                    errs.push(FieldError::required(
                        &sp.child("resources").key("storage"),
                        "",
                    ));
                }
                errs
            }
        }
    });
    c.source(v.image.is_some(), "image", || {
        let img = v.image.clone().unwrap_or_default();
        let p = path.child("image");
        let mut errs = Vec::new();
        if opts.resource_is_pod && s(&img.reference).is_empty() {
            errs.push(FieldError::required(&p.child("reference"), ""));
        }
        errs.extend(validate_pull_policy(
            s(&img.pull_policy),
            &p.child("pullPolicy"),
        ));
        errs
    });
    let mut errs = c.errs;
    if c.count == 0 {
        errs.push(FieldError::required(path, "must specify a volume type"));
    }
    errs
}

/// `ValidateCSIDriverName`.
fn validate_csi_driver_name(driver: &str, path: &Path) -> ErrorList {
    if driver.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    let mut errs = Vec::new();
    if driver.len() > 63 {
        errs.push(FieldError::too_long(path, 63));
    }
    for msg in is_dns1123_subdomain(&driver.to_lowercase()) {
        errs.push(FieldError::invalid(path, driver, msg));
    }
    errs
}

/// A secret or configMap projection: its name is required, each item a valid key-to-path, and
/// no path may repeat one of another source (`conflicting duplicate paths`, reported on the
/// projected volume).
fn validate_projected_items(
    name: &str,
    items: Option<&[KeyToPath]>,
    p: &Path,
    volume_path: &Path,
    all_paths: &mut BTreeSet<String>,
) -> ErrorList {
    let mut errs = required_if_empty(name, &p.child("name"));
    for (j, kp) in items.into_iter().flatten().enumerate() {
        errs.extend(validate_key_to_path(kp, &p.child("items").index(j)));
        if !kp.path.is_empty() && !all_paths.insert(kp.path.clone()) {
            errs.push(FieldError::invalid(
                volume_path,
                name,
                "conflicting duplicate paths",
            ));
        }
    }
    errs
}

/// `validateProjectedVolumeSource` and `validateProjectionSources`.
fn validate_projected_volume_source(
    pr: &k8s_openapi::api::core::v1::ProjectedVolumeSource,
    path: &Path,
) -> ErrorList {
    let mut errs = validate_file_mode(pr.default_mode, &path.child("defaultMode"));
    let mut all_paths: BTreeSet<String> = BTreeSet::new();
    for (i, source) in pr.sources.iter().flatten().enumerate() {
        let mut num = 0;
        let src_path = path.child("sources").index(i);
        if let Some(sec) = source.secret.as_ref() {
            num += 1;
            let p = src_path.child("secret");
            errs.extend(validate_projected_items(
                &sec.name,
                sec.items.as_deref(),
                &p,
                path,
                &mut all_paths,
            ));
        }
        if let Some(cm) = source.config_map.as_ref() {
            num += 1;
            let p = src_path.child("configMap");
            errs.extend(validate_projected_items(
                &cm.name,
                cm.items.as_deref(),
                &p,
                path,
                &mut all_paths,
            ));
        }
        if let Some(d) = source.downward_api.as_ref() {
            num += 1;
            let p = src_path.child("downwardAPI");
            for file in d.items.iter().flatten() {
                errs.extend(validate_downward_api_volume_file(file, &p));
                if !file.path.is_empty() && !all_paths.insert(file.path.clone()) {
                    errs.push(FieldError::invalid(
                        path,
                        file.path.as_str(),
                        "conflicting duplicate paths",
                    ));
                }
            }
        }
        if let Some(t) = source.service_account_token.as_ref() {
            num += 1;
            let p = src_path.child("serviceAccountToken");
            let exp = t.expiration_seconds.unwrap_or(0);
            if exp < 600 {
                errs.push(FieldError::invalid(
                    &p.child("expirationSeconds"),
                    exp,
                    "may not specify a duration less than 10 minutes",
                ));
            }
            if exp > 1i64 << 32 {
                errs.push(FieldError::invalid(
                    &p.child("expirationSeconds"),
                    exp,
                    "may not specify a duration larger than 2^32 seconds",
                ));
            }
            if t.path.is_empty() {
                errs.push(FieldError::required(&path.child("path"), ""));
            } else {
                errs.extend(validate_local_non_reserved_path(
                    &t.path,
                    &path.child("path"),
                ));
            }
        }
        if source.cluster_trust_bundle.is_some() {
            num += 1;
        }
        if source.pod_certificate.is_some() {
            num += 1;
        }
        if num > 1 {
            errs.push(FieldError::forbidden(
                &src_path,
                "may not specify more than 1 volume type per source",
            ));
        }
    }
    errs
}

/// `validateKeyToPath`.
fn validate_key_to_path(kp: &KeyToPath, path: &Path) -> ErrorList {
    let mut errs = required_if_empty(&kp.key, &path.child("key"));
    errs.extend(required_if_empty(&kp.path, &path.child("path")));
    errs.extend(validate_local_non_reserved_path(
        &kp.path,
        &path.child("path"),
    ));
    errs.extend(validate_file_mode(kp.mode, &path.child("mode")));
    errs
}

const VOLUME_DOWNWARD_API_FIELDS: [&str; 5] = [
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
];
const ENV_DOWNWARD_API_FIELDS: [&str; 9] = [
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];
const CONTAINER_RESOURCE_FIELDS: [&str; 6] = [
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
];

/// `validateDownwardAPIVolumeFile`: errors sit on the downwardAPI path, not the item's.
fn validate_downward_api_volume_file(
    file: &k8s_openapi::api::core::v1::DownwardAPIVolumeFile,
    path: &Path,
) -> ErrorList {
    let mut errs = required_if_empty(&file.path, &path.child("path"));
    errs.extend(validate_local_non_reserved_path(
        &file.path,
        &path.child("path"),
    ));
    if let Some(fr) = file.field_ref.as_ref() {
        errs.extend(validate_object_field_selector(
            fr,
            &VOLUME_DOWNWARD_API_FIELDS,
            &path.child("fieldRef"),
        ));
        if file.resource_field_ref.is_some() {
            errs.push(FieldError::invalid(
                path,
                "resource",
                "fieldRef and resourceFieldRef can not be specified simultaneously",
            ));
        }
    } else if let Some(rf) = file.resource_field_ref.as_ref() {
        errs.extend(validate_container_resource_field_selector(
            rf,
            &path.child("resourceFieldRef"),
            true,
        ));
    } else {
        errs.push(FieldError::required(
            path,
            "one of fieldRef and resourceFieldRef is required",
        ));
    }
    errs.extend(validate_file_mode(file.mode, &path.child("mode")));
    errs
}

/// `fieldpath.SplitMaybeSubscriptedPath`: `metadata.labels['app']` → (`metadata.labels`, `app`).
fn split_subscripted_path(fp: &str) -> Option<(&str, &str)> {
    let inner = fp.strip_suffix("']")?;
    let (path, sub) = inner.split_once("['")?;
    (!path.is_empty()).then_some((path, sub))
}

/// `validateObjectFieldSelector`.
fn validate_object_field_selector(
    fs: &ObjectFieldSelector,
    expressions: &[&str],
    path: &Path,
) -> ErrorList {
    let api_version = s(&fs.api_version);
    if api_version.is_empty() {
        return vec![FieldError::required(&path.child("apiVersion"), "")];
    }
    if fs.field_path.is_empty() {
        return vec![FieldError::required(&path.child("fieldPath"), "")];
    }
    let converted = convert_downward_api_field_label(api_version, &fs.field_path);
    let internal = match converted {
        Ok(p) => p,
        Err(e) => {
            return vec![FieldError::invalid(
                &path.child("fieldPath"),
                fs.field_path.as_str(),
                format!("error converting fieldPath: {e}"),
            )]
        }
    };
    if let Some((p, sub)) = split_subscripted_path(&internal) {
        return match p {
            "metadata.annotations" => validate_qualified_name(&sub.to_lowercase(), path),
            "metadata.labels" => validate_qualified_name(sub, path),
            other => vec![FieldError::invalid(
                path,
                other,
                "does not support subscript",
            )],
        };
    }
    if !expressions.contains(&internal.as_str()) {
        return vec![FieldError::not_supported(
            &path.child("fieldPath"),
            internal.as_str(),
            expressions,
        )];
    }
    Vec::new()
}

/// `ConvertDownwardAPIFieldLabel` for v1 pods.
fn convert_downward_api_field_label(version: &str, label: &str) -> Result<String, String> {
    if version != "v1" {
        return Err(format!("unsupported pod version: {version}"));
    }
    if let Some((p, _)) = split_subscripted_path(label) {
        return match p {
            "metadata.annotations" | "metadata.labels" => Ok(label.to_string()),
            _ => Err(format!("field label does not support subscript: {label}")),
        };
    }
    match label {
        "metadata.annotations"
        | "metadata.labels"
        | "metadata.name"
        | "metadata.namespace"
        | "metadata.uid"
        | "spec.nodeName"
        | "spec.restartPolicy"
        | "spec.serviceAccountName"
        | "spec.schedulerName"
        | "status.phase"
        | "status.hostIP"
        | "status.hostIPs"
        | "status.podIP"
        | "status.podIPs" => Ok(label.to_string()),
        "spec.host" => Ok("spec.nodeName".to_string()),
        _ => Err(format!("field label not supported: {label}")),
    }
}

/// `validateContainerResourceFieldSelector` (+ `validateContainerResourceDivisor`).
fn validate_container_resource_field_selector(
    fs: &ResourceFieldSelector,
    path: &Path,
    volume: bool,
) -> ErrorList {
    let mut errs = Vec::new();
    if volume && s(&fs.container_name).is_empty() {
        errs.push(FieldError::required(&path.child("containerName"), ""));
    } else if fs.resource.is_empty() {
        errs.push(FieldError::required(&path.child("resource"), ""));
    } else if !CONTAINER_RESOURCE_FIELDS.contains(&fs.resource.as_str())
        && !fs.resource.starts_with("requests.hugepages-")
        && !fs.resource.starts_with("limits.hugepages-")
    {
        errs.push(FieldError::not_supported(
            &path.child("resource"),
            fs.resource.as_str(),
            &CONTAINER_RESOURCE_FIELDS,
        ));
    }
    let divisor = fs
        .divisor
        .as_ref()
        .and_then(|d| Quantity::parse(&d.0).ok())
        .filter(|d| !d.is_zero());
    if let Some(d) = divisor {
        let d = d.canonical();
        let memory_like = [
            "1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei",
        ];
        let r = fs.resource.as_str();
        let bad = |msg: &str| FieldError::invalid(&path.child("divisor"), r, msg);
        match r {
            "limits.cpu" | "requests.cpu" if d != "1m" && d != "1" => {
                errs.push(bad("only divisor's values 1m and 1 are supported with the cpu resource"))
            }
            "limits.memory" | "requests.memory" if !memory_like.contains(&d.as_str()) => errs.push(bad(
                "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource",
            )),
            "limits.ephemeral-storage" | "requests.ephemeral-storage" if !memory_like.contains(&d.as_str()) => errs.push(bad(
                "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the local ephemeral storage resource",
            )),
            _ => {}
        }
        if (r.starts_with("requests.hugepages-") || r.starts_with("limits.hugepages-"))
            && !memory_like.contains(&d.as_str())
        {
            errs.push(bad(
                "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the hugepages resource",
            ));
        }
    }
    errs
}

/// `validateLocalDescendingPath`: relative, without `..` elements.
fn validate_local_descending_path(target: &str, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if target.starts_with('/') {
        errs.push(FieldError::invalid(path, target, "must be a relative path"));
    }
    errs.extend(validate_path_no_backsteps(target, path));
    errs
}

/// `validatePathNoBacksteps`.
fn validate_path_no_backsteps(target: &str, path: &Path) -> ErrorList {
    if target.split('/').any(|part| part == "..") {
        vec![FieldError::invalid(path, target, "must not contain '..'")]
    } else {
        Vec::new()
    }
}

/// `ValidateLocalNonReservedPath`.
fn validate_local_non_reserved_path(target: &str, path: &Path) -> ErrorList {
    let mut errs = validate_local_descending_path(target, path);
    if target.starts_with("..") && !target.starts_with("../") {
        errs.push(FieldError::invalid(
            path,
            target,
            "must not start with '..'",
        ));
    }
    errs
}

/// `ValidateVolumes`: each source, then its name; a volume with errors is not usable by mounts.
fn validate_volumes(
    volumes: &[Volume],
    _meta: Option<&ObjectMeta>,
    path: &Path,
    opts: PodOptions,
) -> (VolumeMap, ErrorList) {
    let mut errs = Vec::new();
    let mut map = VolumeMap::new();
    let mut names = BTreeSet::new();
    for (i, v) in volumes.iter().enumerate() {
        let idx = path.index(i);
        let name_path = idx.child("name");
        let mut el = validate_volume_source(v, &idx, opts);
        if v.name.is_empty() {
            el.push(FieldError::required(&name_path, ""));
        } else {
            el.extend(validate_dns1123_label(&v.name, &name_path));
        }
        if names.contains(&v.name) {
            el.push(FieldError::duplicate(&name_path, v.name.as_str()));
        }
        if el.is_empty() {
            names.insert(v.name.clone());
            map.insert(
                v.name.clone(),
                v.persistent_volume_claim.is_some() || v.ephemeral.is_some(),
            );
        } else {
            errs.extend(el);
        }
    }
    (map, errs)
}

// ---------------------------------------------------------------------------------------------
// Containers
// ---------------------------------------------------------------------------------------------

struct ContainerContext<'a> {
    volumes: &'a VolumeMap,
    claim_names: &'a BTreeSet<String>,
    restart_policy: &'a str,
    host_users: bool,
    grace: Option<i64>,
    os: Option<&'a str>,
}

/// `validateContainers`.
fn validate_containers(
    containers: &[Container],
    ctx: &ContainerContext<'_>,
    path: &Path,
) -> ErrorList {
    if containers.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    let mut errs = Vec::new();
    let mut names = BTreeSet::new();
    for (i, c) in containers.iter().enumerate() {
        let p = path.index(i);
        errs.extend(validate_container_common(c, ctx, &p));
        if !names.insert(c.name.clone()) {
            errs.push(FieldError::duplicate(&p.child("name"), c.name.as_str()));
        }
        if let Some(l) = c.lifecycle.as_ref() {
            errs.extend(validate_lifecycle(l, ctx, &p.child("lifecycle")));
        }
        errs.extend(validate_liveness_probe(
            c.liveness_probe.as_ref(),
            ctx.grace,
            &p.child("livenessProbe"),
        ));
        errs.extend(validate_readiness_probe(
            c.readiness_probe.as_ref(),
            ctx.grace,
            &p.child("readinessProbe"),
        ));
        errs.extend(validate_liveness_probe(
            c.startup_probe.as_ref(),
            ctx.grace,
            &p.child("startupProbe"),
        ));
        errs.extend(validate_container_restart_policy(c, &p));
    }
    errs.extend(check_host_port_conflicts(
        containers.iter().enumerate(),
        path,
    ));
    errs
}

/// `validateInitContainers`.
fn validate_init_containers(
    containers: &[Container],
    regular: &[Container],
    ctx: &ContainerContext<'_>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let mut names: BTreeSet<String> = regular.iter().map(|c| c.name.clone()).collect();
    for (i, c) in containers.iter().enumerate() {
        let p = path.index(i);
        errs.extend(validate_container_common(c, ctx, &p));
        let policy = c.restart_policy.as_deref();
        let rules = c.restart_policy_rules.as_deref().unwrap_or_default();
        match policy {
            None => {
                if !rules.is_empty() {
                    errs.push(FieldError::required(
                        &p.child("restartPolicy"),
                        "must specify restartPolicy when restart rules are used",
                    ));
                }
            }
            Some("Always") => {
                if !rules.is_empty() {
                    errs.push(FieldError::forbidden(
                        &p.child("restartPolicyRules"),
                        "restartPolicyRules are not allowed for init containers with restart policy Always",
                    ));
                }
            }
            Some(_) => errs.extend(validate_container_restart_policy(c, &p)),
        }
        let restart_always = policy == Some("Always");
        if names.contains(&c.name) {
            errs.push(FieldError::duplicate(&p.child("name"), c.name.as_str()));
        } else if !c.name.is_empty() {
            names.insert(c.name.clone());
        }
        errs.extend(check_host_port_conflicts(std::iter::once((i, c)), path));
        if restart_always {
            if let Some(l) = c.lifecycle.as_ref() {
                errs.extend(validate_lifecycle(l, ctx, &p.child("lifecycle")));
            }
            errs.extend(validate_liveness_probe(
                c.liveness_probe.as_ref(),
                ctx.grace,
                &p.child("livenessProbe"),
            ));
            errs.extend(validate_readiness_probe(
                c.readiness_probe.as_ref(),
                ctx.grace,
                &p.child("readinessProbe"),
            ));
            errs.extend(validate_liveness_probe(
                c.startup_probe.as_ref(),
                ctx.grace,
                &p.child("startupProbe"),
            ));
        } else {
            const MSG: &str = "may not be set for init containers without restartPolicy=Always";
            if c.lifecycle.is_some() {
                errs.push(FieldError::forbidden(&p.child("lifecycle"), MSG));
            }
            if c.liveness_probe.is_some() {
                errs.push(FieldError::forbidden(&p.child("livenessProbe"), MSG));
            }
            if c.readiness_probe.is_some() {
                errs.push(FieldError::forbidden(&p.child("readinessProbe"), MSG));
            }
            if c.startup_probe.is_some() {
                errs.push(FieldError::forbidden(&p.child("startupProbe"), MSG));
            }
            for (j, rp) in c.resize_policy.iter().flatten().enumerate() {
                if rp.restart_policy == "RestartContainer" {
                    errs.push(FieldError::invalid(
                        &p.child("resizePolicy").index(j).child("restartPolicy"),
                        named(&rp.restart_policy),
                        "must not be set to 'RestartContainer' for non-sidecar initContainers",
                    ));
                }
            }
        }
    }
    errs
}

/// `validateContainerRestartPolicy` (ContainerRestartRules is on by default in v1.36).
fn validate_container_restart_policy(c: &Container, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let rules = c.restart_policy_rules.as_deref().unwrap_or_default();
    let policy_path = path.child("restartPolicy");
    match c.restart_policy.as_deref() {
        None => {
            if rules.is_empty() {
                return errs;
            }
            errs.push(FieldError::required(
                &policy_path,
                "must specify restartPolicy when restart rules are used",
            ));
        }
        Some("Always" | "Never" | "OnFailure") => {}
        Some(other) => errs.push(FieldError::not_supported(
            &policy_path,
            named(other),
            &["Always", "Never", "OnFailure"],
        )),
    }
    if rules.len() > 20 {
        errs.push(FieldError::too_many(
            &path.child("restartPolicyRules"),
            rules.len() as i64,
            20,
        ));
    }
    for (i, rule) in rules.iter().enumerate() {
        let rp = path.child("restartPolicyRules").index(i);
        if rule.action != "Restart" {
            errs.push(FieldError::not_supported(
                &rp.child("action"),
                named(&rule.action),
                &["Restart"],
            ));
        }
        match rule.exit_codes.as_ref() {
            Some(ec) => {
                if ec.operator != "In" && ec.operator != "NotIn" {
                    errs.push(FieldError::not_supported(
                        &rp.child("exitCodes").child("operator"),
                        named(&ec.operator),
                        &["In", "NotIn"],
                    ));
                }
                let n = ec.values.as_ref().map_or(0, Vec::len);
                if n > 255 {
                    errs.push(FieldError::too_many(
                        &rp.child("exitCodes").child("values"),
                        n as i64,
                        255,
                    ));
                }
            }
            None => errs.push(FieldError::required(
                &rp.child("exitCodes"),
                "must be specified",
            )),
        }
    }
    errs
}

/// `validateContainerCommon`: name, image, termination message policy, ports, env, envFrom,
/// volume mounts and devices, pull policy, resources, resize policy, security context.
fn validate_container_common(c: &Container, ctx: &ContainerContext<'_>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let name_path = path.child("name");
    if c.name.is_empty() {
        errs.push(FieldError::required(&name_path, ""));
    } else {
        errs.extend(validate_dns1123_label(&c.name, &name_path));
    }
    if s(&c.image).is_empty() {
        errs.push(FieldError::required(&path.child("image"), ""));
    }
    let tmp = path.child("terminationMessagePolicy");
    match s(&c.termination_message_policy) {
        "File" | "FallbackToLogsOnError" => {}
        "" => errs.push(FieldError::required(&tmp, "")),
        other => errs.push(FieldError::not_supported(
            &tmp,
            named(other),
            &["File", "FallbackToLogsOnError"],
        )),
    }
    let mounts = c.volume_mounts.as_deref().unwrap_or_default();
    let devices = c.volume_devices.as_deref().unwrap_or_default();
    errs.extend(validate_container_ports(
        c.ports.as_deref().unwrap_or_default(),
        &path.child("ports"),
    ));
    errs.extend(validate_env(
        c.env.as_deref().unwrap_or_default(),
        &path.child("env"),
    ));
    errs.extend(validate_env_from(
        c.env_from.as_deref().unwrap_or_default(),
        &path.child("envFrom"),
    ));
    errs.extend(validate_volume_mounts(
        mounts,
        devices,
        ctx.volumes,
        c,
        &path.child("volumeMounts"),
    ));
    errs.extend(validate_volume_devices(
        devices,
        mounts,
        ctx.volumes,
        &path.child("volumeDevices"),
    ));
    errs.extend(validate_pull_policy(
        s(&c.image_pull_policy),
        &path.child("imagePullPolicy"),
    ));
    let resources = c.resources.clone().unwrap_or_default();
    errs.extend(validate_resource_requirements(
        &resources,
        ctx.claim_names,
        &path.child("resources"),
        ResourceScope::Container,
    ));
    errs.extend(validate_resize_policy(
        c,
        ctx.restart_policy,
        &path.child("resizePolicy"),
    ));
    errs.extend(validate_security_context(
        c.security_context.as_ref(),
        &path.child("securityContext"),
        ctx.host_users,
    ));
    errs
}

/// `validatePullPolicy`.
fn validate_pull_policy(policy: &str, path: &Path) -> ErrorList {
    match policy {
        "Always" | "IfNotPresent" | "Never" => Vec::new(),
        "" => vec![FieldError::required(path, "")],
        other => vec![FieldError::not_supported(
            path,
            named(other),
            &["Always", "IfNotPresent", "Never"],
        )],
    }
}

/// `validateContainerPorts`.
fn validate_container_ports(ports: &[ContainerPort], path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let mut names = BTreeSet::new();
    for (i, port) in ports.iter().enumerate() {
        let p = path.index(i);
        let name = s(&port.name);
        if !name.is_empty() {
            let msgs = is_valid_port_name(name);
            if !msgs.is_empty() {
                for msg in msgs {
                    errs.push(FieldError::invalid(&p.child("name"), name, msg));
                }
            } else if !names.insert(name.to_string()) {
                errs.push(FieldError::duplicate(&p.child("name"), name));
            }
        }
        if port.container_port == 0 {
            errs.push(FieldError::required(&p.child("containerPort"), ""));
        } else {
            for msg in is_valid_port_num(i64::from(port.container_port)) {
                errs.push(FieldError::invalid(
                    &p.child("containerPort"),
                    port.container_port,
                    msg,
                ));
            }
        }
        let hp = port.host_port.unwrap_or(0);
        if hp != 0 {
            for msg in is_valid_port_num(i64::from(hp)) {
                errs.push(FieldError::invalid(&p.child("hostPort"), hp, msg));
            }
        }
        match s(&port.protocol) {
            "" => errs.push(FieldError::required(&p.child("protocol"), "")),
            "TCP" | "UDP" | "SCTP" => {}
            other => errs.push(FieldError::not_supported(
                &p.child("protocol"),
                named(other),
                &["SCTP", "TCP", "UDP"],
            )),
        }
    }
    errs
}

/// `AccumulateUniqueHostPorts` over the given containers.
fn check_host_port_conflicts<'a>(
    containers: impl Iterator<Item = (usize, &'a Container)>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let mut seen = BTreeSet::new();
    for (ci, c) in containers {
        for (pi, port) in c.ports.iter().flatten().enumerate() {
            let hp = port.host_port.unwrap_or(0);
            if hp == 0 {
                continue;
            }
            let key = format!("{}/{}/{}", s(&port.protocol), s(&port.host_ip), hp);
            if !seen.insert(key.clone()) {
                errs.push(FieldError::duplicate(
                    &path.index(ci).child("ports").index(pi).child("hostPort"),
                    key,
                ));
            }
        }
    }
    errs
}

/// `ValidateEnv` with the relaxed name rule.
fn validate_env(vars: &[EnvVar], path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for (i, ev) in vars.iter().enumerate() {
        let p = path.index(i);
        if ev.name.is_empty() {
            errs.push(FieldError::required(&p.child("name"), ""));
        } else {
            for msg in is_relaxed_env_var_name(&ev.name) {
                errs.push(FieldError::invalid(&p.child("name"), ev.name.as_str(), msg));
            }
        }
        errs.extend(validate_env_var_value_from(ev, &p.child("valueFrom")));
    }
    errs
}

/// `validateEnvVarValueFrom`.
fn validate_env_var_value_from(ev: &EnvVar, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let Some(vf) = ev.value_from.as_ref() else {
        return errs;
    };
    let mut num = 0;
    if let Some(fr) = vf.field_ref.as_ref() {
        num += 1;
        errs.extend(validate_object_field_selector(
            fr,
            &ENV_DOWNWARD_API_FIELDS,
            &path.child("fieldRef"),
        ));
    }
    if let Some(rf) = vf.resource_field_ref.as_ref() {
        num += 1;
        errs.extend(validate_container_resource_field_selector(
            rf,
            &path.child("resourceFieldRef"),
            false,
        ));
    }
    if let Some(cm) = vf.config_map_key_ref.as_ref() {
        num += 1;
        errs.extend(validate_key_selector(
            &cm.name,
            &cm.key,
            &path.child("configMapKeyRef"),
        ));
    }
    if let Some(sk) = vf.secret_key_ref.as_ref() {
        num += 1;
        errs.extend(validate_key_selector(
            &sk.name,
            &sk.key,
            &path.child("secretKeyRef"),
        ));
    }
    if let Some(fk) = vf.file_key_ref.as_ref() {
        num += 1;
        let p = path.child("fileKeyRef");
        if fk.key.is_empty() {
            errs.push(FieldError::required(&p.child("key"), ""));
        } else {
            for msg in is_relaxed_env_var_name(&fk.key) {
                errs.push(FieldError::invalid(&p.child("key"), fk.key.as_str(), msg));
            }
        }
        if fk.volume_name.is_empty() {
            errs.push(FieldError::required(&p.child("volumeName"), ""));
        } else {
            errs.extend(validate_dns1123_label(
                &fk.volume_name,
                &p.child("volumeName"),
            ));
        }
        if fk.path.is_empty() {
            errs.push(FieldError::required(&p.child("path"), ""));
        } else {
            errs.extend(validate_path_no_backsteps(&fk.path, &p.child("path")));
        }
    }
    if num == 0 {
        errs.push(FieldError::invalid(
            path,
            "",
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef`",
        ));
    } else if !s(&ev.value).is_empty() {
        errs.push(FieldError::invalid(
            path,
            "",
            "may not be specified when `value` is not empty",
        ));
    } else if num > 1 {
        errs.push(FieldError::invalid(
            path,
            "",
            "may not have more than one field specified at a time",
        ));
    }
    errs
}

/// `validateConfigMapKeySelector` / `validateSecretKeySelector`.
fn validate_key_selector(name: &str, key: &str, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for msg in name_is_dns_subdomain(name, false) {
        errs.push(FieldError::invalid(&path.child("name"), name, msg));
    }
    if key.is_empty() {
        errs.push(FieldError::required(&path.child("key"), ""));
    } else {
        for msg in is_config_map_key(key) {
            errs.push(FieldError::invalid(&path.child("key"), key, msg));
        }
    }
    errs
}

/// `ValidateEnvFrom`.
fn validate_env_from(vars: &[EnvFromSource], path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for (i, ev) in vars.iter().enumerate() {
        let p = path.index(i);
        let prefix = s(&ev.prefix);
        if !prefix.is_empty() {
            for msg in is_relaxed_env_var_name(prefix) {
                errs.push(FieldError::invalid(&p.child("prefix"), prefix, msg));
            }
        }
        let mut num = 0;
        for (present, name, child) in [
            (
                ev.config_map_ref.is_some(),
                ev.config_map_ref.as_ref().map(|r| r.name.as_str()),
                "configMapRef",
            ),
            (
                ev.secret_ref.is_some(),
                ev.secret_ref.as_ref().map(|r| r.name.as_str()),
                "secretRef",
            ),
        ] {
            if !present {
                continue;
            }
            num += 1;
            let name = name.unwrap_or("");
            let np = p.child(child).child("name");
            if name.is_empty() {
                errs.push(FieldError::required(&np, ""));
            } else {
                for msg in name_is_dns_subdomain(name, true) {
                    errs.push(FieldError::invalid(&np, name, msg));
                }
            }
        }
        if num == 0 {
            errs.push(FieldError::invalid(
                path,
                "",
                "must specify one of: `configMapRef` or `secretRef`",
            ));
        } else if num > 1 {
            errs.push(FieldError::invalid(
                path,
                "",
                "may not have more than one field specified at a time",
            ));
        }
    }
    errs
}

/// `ValidateVolumeMounts`. Note that `subPath`, `subPathExpr`, `mountPropagation` and
/// `recursiveReadOnly` errors carry the list's path without the index, as in Go.
fn validate_volume_mounts(
    mounts: &[VolumeMount],
    devices: &[k8s_openapi::api::core::v1::VolumeDevice],
    volumes: &VolumeMap,
    container: &Container,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let mut mount_points = BTreeSet::new();
    for (i, m) in mounts.iter().enumerate() {
        let p = path.index(i);
        if m.name.is_empty() {
            errs.push(FieldError::required(&p.child("name"), ""));
        }
        if !volumes.contains_key(&m.name) {
            errs.push(FieldError::not_found(&p.child("name"), m.name.as_str()));
        }
        if m.mount_path.is_empty() {
            errs.push(FieldError::required(&p.child("mountPath"), ""));
        }
        if !mount_points.insert(m.mount_path.clone()) {
            errs.push(FieldError::invalid(
                &p.child("mountPath"),
                m.mount_path.as_str(),
                "must be unique",
            ));
        }
        if devices.iter().any(|d| d.name == m.name) {
            errs.push(FieldError::invalid(
                &p.child("name"),
                m.name.as_str(),
                "must not already exist in volumeDevices",
            ));
        }
        if devices.iter().any(|d| d.device_path == m.mount_path) {
            errs.push(FieldError::invalid(
                &p.child("mountPath"),
                m.mount_path.as_str(),
                "must not already exist as a path in volumeDevices",
            ));
        }
        let sub_path = s(&m.sub_path);
        if !sub_path.is_empty() {
            errs.extend(validate_local_descending_path(
                sub_path,
                &path.child("subPath"),
            ));
        }
        let expr = s(&m.sub_path_expr);
        if !expr.is_empty() {
            if !sub_path.is_empty() {
                errs.push(FieldError::invalid(
                    &p.child("subPathExpr"),
                    expr,
                    "subPathExpr and subPath are mutually exclusive",
                ));
            }
            errs.extend(validate_local_descending_path(
                expr,
                &path.child("subPathExpr"),
            ));
        }
        if let Some(mp) = m.mount_propagation.as_deref() {
            let pp = path.child("mountPropagation");
            const MODES: [&str; 3] = ["Bidirectional", "HostToContainer", "None"];
            if !MODES.contains(&mp) {
                errs.push(FieldError::not_supported(&pp, named(mp), &MODES));
            }
            let privileged = container
                .security_context
                .as_ref()
                .and_then(|sc| sc.privileged)
                .unwrap_or(false);
            if mp == "Bidirectional" && !privileged {
                errs.push(FieldError::forbidden(
                    &pp,
                    "Bidirectional mount propagation is available only to privileged containers",
                ));
            }
        }
        if let Some(rro) = m.recursive_read_only.as_deref() {
            let rp = path.child("recursiveReadOnly");
            match rro {
                "Disabled" => {}
                "Enabled" | "IfPossible" => {
                    if !m.read_only.unwrap_or(false) {
                        errs.push(FieldError::forbidden(
                            &rp,
                            "may only be specified when readOnly is true",
                        ));
                    }
                    if m.mount_propagation
                        .as_deref()
                        .is_some_and(|mp| mp != "None")
                    {
                        errs.push(FieldError::forbidden(
                            &rp,
                            "may only be specified when mountPropagation is None or not specified",
                        ));
                    }
                }
                other => errs.push(FieldError::not_supported(
                    &rp,
                    named(other),
                    &["Disabled", "Enabled", "IfPossible"],
                )),
            }
        }
    }
    errs
}

/// `ValidateVolumeDevices`.
fn validate_volume_devices(
    devices: &[k8s_openapi::api::core::v1::VolumeDevice],
    mounts: &[VolumeMount],
    volumes: &VolumeMap,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let mut paths = BTreeSet::new();
    let mut names = BTreeSet::new();
    for (i, d) in devices.iter().enumerate() {
        let p = path.index(i);
        let matched = volumes.get(&d.name);
        if d.name.is_empty() {
            errs.push(FieldError::required(&p.child("name"), ""));
        }
        if names.contains(&d.name) {
            errs.push(FieldError::invalid(
                &p.child("name"),
                d.name.as_str(),
                "must be unique",
            ));
        }
        match matched {
            Some(false) => errs.push(FieldError::invalid(
                &p.child("name"),
                d.name.as_str(),
                "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode",
            )),
            None => errs.push(FieldError::not_found(&p.child("name"), d.name.as_str())),
            Some(true) => {}
        }
        if d.device_path.is_empty() {
            errs.push(FieldError::required(&p.child("devicePath"), ""));
        }
        if paths.contains(&d.device_path) {
            errs.push(FieldError::invalid(
                &p.child("devicePath"),
                d.device_path.as_str(),
                "must be unique",
            ));
        }
        if !d.device_path.is_empty() && d.device_path.split('/').any(|x| x == "..") {
            errs.push(FieldError::invalid(
                &p.child("devicePath"),
                d.device_path.as_str(),
                "can not contain backsteps ('..')",
            ));
        } else {
            paths.insert(d.device_path.clone());
        }
        if mounts.iter().any(|m| m.name == d.name) {
            errs.push(FieldError::invalid(
                &p.child("name"),
                d.name.as_str(),
                "must not already exist in volumeMounts",
            ));
        }
        if mounts.iter().any(|m| m.mount_path == d.device_path) {
            errs.push(FieldError::invalid(
                &p.child("devicePath"),
                d.device_path.as_str(),
                "must not already exist as a path in volumeMounts",
            ));
        }
        if !d.name.is_empty() {
            names.insert(d.name.clone());
        }
    }
    errs
}

/// `validateResizePolicy`.
fn validate_resize_policy(c: &Container, pod_restart_policy: &str, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, p) in c.resize_policy.iter().flatten().enumerate() {
        if !seen.insert(p.resource_name.clone()) {
            errs.push(FieldError::duplicate(
                &path.index(i),
                named(&p.resource_name),
            ));
        }
        match p.resource_name.as_str() {
            "cpu" | "memory" => {}
            "" => errs.push(FieldError::required(path, "")),
            other => errs.push(FieldError::not_supported(
                path,
                named(other),
                &["cpu", "memory"],
            )),
        }
        match p.restart_policy.as_str() {
            "NotRequired" | "RestartContainer" => {}
            "" => errs.push(FieldError::required(path, "")),
            other => errs.push(FieldError::not_supported(
                path,
                named(other),
                &["NotRequired", "RestartContainer"],
            )),
        }
        if pod_restart_policy == "Never" && p.restart_policy != "NotRequired" {
            errs.push(FieldError::invalid(
                path,
                named(&p.restart_policy),
                "must be 'NotRequired' when pod `restartPolicy` is 'Never'",
            ));
        }
    }
    errs
}

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

/// Which resource-name rule applies: container resources or pod-level resources.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ResourceScope {
    Container,
    Pod,
}

fn is_native_resource(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

fn is_huge_page_resource(name: &str) -> bool {
    name.starts_with("hugepages-")
}

fn is_extended_resource(name: &str) -> bool {
    if is_native_resource(name) || name.starts_with("requests.") {
        return false;
    }
    is_qualified_name(&format!("requests.{name}")).is_empty()
}

fn is_overcommit_allowed(name: &str) -> bool {
    is_native_resource(name) && !is_huge_page_resource(name)
}

fn is_integer_resource(name: &str) -> bool {
    matches!(
        name,
        "pods"
            | "resourcequotas"
            | "services"
            | "replicationcontrollers"
            | "secrets"
            | "configmaps"
            | "persistentvolumeclaims"
            | "services.nodeports"
            | "services.loadbalancers"
    ) || is_extended_resource(name)
}

fn is_standard_resource(name: &str) -> bool {
    matches!(
        name,
        "cpu"
            | "memory"
            | "ephemeral-storage"
            | "requests.cpu"
            | "requests.memory"
            | "requests.ephemeral-storage"
            | "limits.cpu"
            | "limits.memory"
            | "limits.ephemeral-storage"
            | "pods"
            | "resourcequotas"
            | "services"
            | "replicationcontrollers"
            | "secrets"
            | "configmaps"
            | "persistentvolumeclaims"
            | "storage"
            | "requests.storage"
            | "services.nodeports"
            | "services.loadbalancers"
    ) || name.starts_with("hugepages-")
        || name.starts_with("requests.hugepages-")
}

/// `validateResourceName`.
fn validate_resource_name(name: &str, path: &Path) -> ErrorList {
    let errs: ErrorList = is_qualified_name(name)
        .into_iter()
        .map(|m| FieldError::invalid(path, named(name), m))
        .collect();
    if !errs.is_empty() {
        return errs;
    }
    if !name.contains('/') && !is_standard_resource(name) {
        return vec![FieldError::invalid(
            path,
            named(name),
            "must be a standard resource type or fully qualified",
        )];
    }
    errs
}

/// `validateContainerResourceName` / `validatePodResourceName`.
fn validate_scoped_resource_name(name: &str, path: &Path, scope: ResourceScope) -> ErrorList {
    let mut errs = validate_resource_name(name, path);
    match scope {
        ResourceScope::Container => {
            if !name.contains('/') {
                let standard = matches!(name, "cpu" | "memory" | "ephemeral-storage")
                    || is_huge_page_resource(name);
                if !standard {
                    errs.push(FieldError::invalid(
                        path,
                        named(name),
                        "must be a standard resource for containers",
                    ));
                }
            } else if !is_native_resource(name) && !is_extended_resource(name) {
                errs.push(FieldError::invalid(
                    path,
                    named(name),
                    "doesn't follow extended resource name standard",
                ));
            }
        }
        ResourceScope::Pod => {
            if errs.is_empty() && !matches!(name, "cpu" | "memory") && !is_huge_page_resource(name)
            {
                errs.push(FieldError::not_supported(
                    path,
                    named(name),
                    &["cpu", "memory"],
                ));
            }
        }
    }
    errs
}

/// `ValidateResourceQuantityValue`: not negative, and whole for integer resources.
fn validate_resource_quantity_value(name: &str, q: &Quantity, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if q.is_negative() {
        errs.push(FieldError::invalid(
            path,
            q.canonical(),
            super::meta::IS_NEGATIVE_ERROR_MSG,
        ));
    }
    if is_integer_resource(name) && q.milli_value() % 1000 != 0 {
        errs.push(FieldError::invalid(
            path,
            quantity_json(q),
            IS_NOT_INTEGER_ERROR_MSG,
        ));
    }
    errs
}

fn parse_list(list: Option<&BTreeMap<String, WireQuantity>>) -> Vec<(String, Quantity)> {
    list.into_iter()
        .flatten()
        .filter_map(|(k, v)| Quantity::parse(&v.0).ok().map(|q| (k.clone(), q)))
        .collect()
}

/// `validateResourceRequirements`.
fn validate_resource_requirements(
    req: &ResourceRequirements,
    claim_names: &BTreeSet<String>,
    path: &Path,
    scope: ResourceScope,
) -> ErrorList {
    let mut errs = Vec::new();
    let lim_path = path.child("limits");
    let req_path = path.child("requests");
    let limits = parse_list(req.limits.as_ref());
    let requests = parse_list(req.requests.as_ref());
    let (mut lim_cpu_mem, mut req_cpu_mem, mut lim_huge, mut req_huge) =
        (false, false, false, false);
    for (name, q) in &limits {
        let p = lim_path.key(name);
        errs.extend(validate_scoped_resource_name(name, &p, scope));
        errs.extend(validate_resource_quantity_value(name, q, &p));
        if is_huge_page_resource(name) {
            lim_huge = true;
            errs.extend(validate_huge_page_value(name, q, &p));
        }
        if name == "cpu" || name == "memory" {
            lim_cpu_mem = true;
        }
    }
    for (name, q) in &requests {
        let p = req_path.key(name);
        errs.extend(validate_scoped_resource_name(name, &p, scope));
        errs.extend(validate_resource_quantity_value(name, q, &p));
        match limits.iter().find(|(n, _)| n == name) {
            Some((_, limit)) => {
                let ord = q.cmp_value(limit);
                if ord != std::cmp::Ordering::Equal && !is_overcommit_allowed(name) {
                    errs.push(FieldError::invalid(
                        &req_path,
                        q.canonical(),
                        format!("must be equal to {name} limit of {}", limit.canonical()),
                    ));
                } else if ord == std::cmp::Ordering::Greater {
                    errs.push(FieldError::invalid(
                        &req_path,
                        q.canonical(),
                        format!(
                            "must be less than or equal to {name} limit of {}",
                            limit.canonical()
                        ),
                    ));
                }
            }
            None => {
                if !is_overcommit_allowed(name) {
                    errs.push(FieldError::required(
                        &lim_path,
                        "Limit must be set for non overcommitable resources",
                    ));
                }
            }
        }
        if is_huge_page_resource(name) {
            req_huge = true;
            errs.extend(validate_huge_page_value(name, q, &p));
        }
        if name == "cpu" || name == "memory" {
            req_cpu_mem = true;
        }
    }
    if !lim_cpu_mem && !req_cpu_mem && (req_huge || lim_huge) {
        errs.push(FieldError::forbidden(
            path,
            "HugePages require cpu or memory",
        ));
    }
    errs.extend(validate_resource_claim_names(
        req,
        claim_names,
        &path.child("claims"),
    ));
    errs
}

/// `validateResourceQuantityHugePageValue`: a whole number of pages.
fn validate_huge_page_value(name: &str, q: &Quantity, path: &Path) -> ErrorList {
    let Some(size) = name
        .strip_prefix("hugepages-")
        .and_then(|s| Quantity::parse(s).ok())
    else {
        return Vec::new();
    };
    if size.nanos() <= 0 || q.nanos() % size.nanos() != 0 {
        return vec![FieldError::invalid(
            path,
            q.canonical(),
            format!(
                "{} is not positive integer multiple of {name}",
                q.canonical()
            ),
        )];
    }
    Vec::new()
}

/// `validateResourceClaimNames`.
fn validate_resource_claim_names(
    req: &ResourceRequirements,
    pod_claims: &BTreeSet<String>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let mut names: BTreeSet<String> = BTreeSet::new();
    for (i, claim) in req.claims.iter().flatten().enumerate() {
        let p = path.index(i);
        let name = claim.name.as_str();
        if name.is_empty() {
            errs.push(FieldError::required(&p, ""));
            continue;
        }
        if names.contains(name) {
            errs.push(FieldError::duplicate(&p, name));
        } else {
            let request = s(&claim.request);
            let mut key = name.to_string();
            if !request.is_empty() {
                errs.extend(validate_dns1123_label(request, &p.child("request")));
                key = format!("{name}/{request}");
            }
            if names.contains(&key) {
                errs.push(FieldError::duplicate(&p, key.as_str()));
            } else if request.is_empty() {
                for existing in &names {
                    if existing.split_once('/').is_some_and(|(n, _)| n == name) {
                        errs.push(FieldError::duplicate(&p, name));
                    }
                }
            }
            names.insert(key);
        }
        if !pod_claims.contains(name) {
            let mut e = FieldError::not_found(&p, name);
            e.detail = if pod_claims.is_empty() {
                "must be one of the names in pod.spec.resourceClaims which is empty".into()
            } else {
                let list: Vec<&str> = pod_claims.iter().map(String::as_str).collect();
                format!(
                    "must be one of the names in pod.spec.resourceClaims: {}",
                    list.join(", ")
                )
            };
            errs.push(e);
        }
    }
    errs
}

/// `validatePodResources` (PodLevelResources is on by default in v1.36).
fn validate_pod_resources(
    spec: &PodSpec,
    resources: &ResourceRequirements,
    claims: &BTreeSet<String>,
    path: &Path,
) -> ErrorList {
    let rpath = path.child("resources");
    if os_name(spec) == Some("windows") {
        return vec![FieldError::forbidden(
            &rpath,
            "may not be set for a windows pod",
        )];
    }
    let mut errs = Vec::new();
    if resources.claims.is_some() {
        errs.push(FieldError::forbidden(
            &rpath.child("claims"),
            "claims may not be set for Resources at pod-level",
        ));
    }
    errs.extend(validate_resource_requirements(
        resources,
        claims,
        &rpath,
        ResourceScope::Pod,
    ));
    let pod_requests = parse_list(resources.requests.as_ref());
    for (name, pod_q) in &pod_requests {
        let sum: i128 = spec
            .containers
            .iter()
            .filter_map(|c| c.resources.as_ref())
            .flat_map(|r| parse_list(r.requests.as_ref()))
            .filter(|(n, _)| n == name)
            .map(|(_, q)| q.nanos())
            .sum();
        if sum > pod_q.nanos() {
            let total = super::quantity::Quantity::parse(&format!("{}n", sum))
                .map(|q| q.canonical())
                .unwrap_or_default();
            errs.push(FieldError::invalid(
                &rpath.child("requests").key(name),
                pod_q.canonical(),
                format!("must be greater than or equal to aggregate container requests of {total}"),
            ));
        }
    }
    let pod_limits = parse_list(resources.limits.as_ref());
    for (i, c) in spec.containers.iter().enumerate() {
        for (name, q) in parse_list(c.resources.as_ref().and_then(|r| r.limits.as_ref())) {
            if let Some((_, pod_limit)) = pod_limits.iter().find(|(n, _)| *n == name) {
                if q.cmp_value(pod_limit) == std::cmp::Ordering::Greater {
                    errs.push(FieldError::invalid(
                        &rpath
                            .child("containers")
                            .index(i)
                            .key(&name)
                            .child("limits"),
                        q.canonical(),
                        format!(
                            "must be less than or equal to pod limits of {}",
                            pod_limit.canonical()
                        ),
                    ));
                }
            }
        }
    }
    errs
}

// ---------------------------------------------------------------------------------------------
// Probes and lifecycle
// ---------------------------------------------------------------------------------------------

/// Liveness and startup probes: a valid probe with `successThreshold: 1`.
fn validate_liveness_probe(probe: Option<&Probe>, grace: Option<i64>, path: &Path) -> ErrorList {
    let Some(probe) = probe else {
        return Vec::new();
    };
    let mut errs = validate_probe(probe, grace, path);
    let st = probe.success_threshold.unwrap_or(0);
    if st != 1 {
        errs.push(FieldError::invalid(
            &path.child("successThreshold"),
            st,
            "must be 1",
        ));
    }
    errs
}

/// Readiness probes: a valid probe without `terminationGracePeriodSeconds`.
fn validate_readiness_probe(probe: Option<&Probe>, grace: Option<i64>, path: &Path) -> ErrorList {
    let Some(probe) = probe else {
        return Vec::new();
    };
    let mut errs = validate_probe(probe, grace, path);
    if let Some(t) = probe.termination_grace_period_seconds {
        errs.push(FieldError::invalid(
            &path.child("terminationGracePeriodSeconds"),
            t,
            "must not be set for readinessProbes",
        ));
    }
    errs
}

/// `validateProbe`.
fn validate_probe(probe: &Probe, grace: Option<i64>, path: &Path) -> ErrorList {
    let handler = Handler {
        exec: probe
            .exec
            .as_ref()
            .map(|e| e.command.as_deref().unwrap_or_default()),
        http_get: probe.http_get.as_ref(),
        tcp_socket: probe.tcp_socket.as_ref().map(|t| &t.port),
        grpc: probe.grpc.as_ref().map(|g| g.port),
        sleep: None,
    };
    let mut errs = validate_handler(&handler, grace, path);
    for (field, value) in [
        ("initialDelaySeconds", probe.initial_delay_seconds),
        ("timeoutSeconds", probe.timeout_seconds),
        ("periodSeconds", probe.period_seconds),
        ("successThreshold", probe.success_threshold),
        ("failureThreshold", probe.failure_threshold),
    ] {
        errs.extend(validate_nonnegative_field(
            i64::from(value.unwrap_or(0)),
            &path.child(field),
        ));
    }
    if let Some(t) = probe.termination_grace_period_seconds {
        if t <= 0 {
            errs.push(FieldError::invalid(
                &path.child("terminationGracePeriodSeconds"),
                t,
                "must be greater than 0",
            ));
        }
    }
    errs
}

struct Handler<'a> {
    exec: Option<&'a [String]>,
    http_get: Option<&'a HTTPGetAction>,
    tcp_socket: Option<&'a IntOrString>,
    grpc: Option<i32>,
    sleep: Option<i64>,
}

/// `validateHandler`: exactly one handler type.
fn validate_handler(h: &Handler<'_>, grace: Option<i64>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let mut num = 0;
    let mut one = |present: bool, name: &str, errs: &mut ErrorList, f: &dyn Fn() -> ErrorList| {
        if !present {
            return;
        }
        if num > 0 {
            errs.push(FieldError::forbidden(
                &path.child(name),
                "may not specify more than 1 handler type",
            ));
        } else {
            num += 1;
            errs.extend(f());
        }
    };
    one(h.exec.is_some(), "exec", &mut errs, &|| {
        if h.exec.unwrap_or_default().is_empty() {
            vec![FieldError::required(
                &path.child("exec").child("command"),
                "",
            )]
        } else {
            Vec::new()
        }
    });
    one(
        h.http_get.is_some(),
        "httpGet",
        &mut errs,
        &|| match h.http_get {
            Some(http) => validate_http_get_action(http, &path.child("httpGet")),
            None => Vec::new(),
        },
    );
    one(
        h.tcp_socket.is_some(),
        "tcpSocket",
        &mut errs,
        &|| match h.tcp_socket {
            Some(port) => validate_port_num_or_name(port, &path.child("tcpSocket").child("port")),
            None => Vec::new(),
        },
    );
    one(h.grpc.is_some(), "grpc", &mut errs, &|| {
        let port = h.grpc.unwrap_or(0);
        validate_port_num_or_name(&IntOrString::Int(port), &path.child("grpc").child("port"))
    });
    one(h.sleep.is_some(), "sleep", &mut errs, &|| {
        let seconds = h.sleep.unwrap_or(0);
        match grace {
            Some(g) if seconds < 0 || seconds > g => vec![FieldError::invalid(
                &path.child("sleep"),
                seconds,
                format!("must be non-negative and less than terminationGracePeriodSeconds ({g})"),
            )],
            _ => Vec::new(),
        }
    });
    if num == 0 {
        errs.push(FieldError::required(path, "must specify a handler type"));
    }
    errs
}

/// `validateHTTPGetAction`.
fn validate_http_get_action(http: &HTTPGetAction, path: &Path) -> ErrorList {
    let mut errs = required_if_empty(s(&http.path), &path.child("path"));
    errs.extend(validate_port_num_or_name(&http.port, &path.child("port")));
    let scheme = s(&http.scheme);
    if scheme != "HTTP" && scheme != "HTTPS" {
        errs.push(FieldError::not_supported(
            &path.child("scheme"),
            named(scheme),
            &["HTTP", "HTTPS"],
        ));
    }
    for header in http.http_headers.iter().flatten() {
        for msg in is_http_header_name(&header.name) {
            errs.push(FieldError::invalid(
                &path.child("httpHeaders"),
                header.name.as_str(),
                msg,
            ));
        }
    }
    errs
}

/// `ValidatePortNumOrName`.
pub fn validate_port_num_or_name(port: &IntOrString, path: &Path) -> ErrorList {
    match port {
        IntOrString::Int(i) => is_valid_port_num(i64::from(*i))
            .into_iter()
            .map(|m| FieldError::invalid(path, *i, m))
            .collect(),
        IntOrString::String(name) => is_valid_port_name(name)
            .into_iter()
            .map(|m| FieldError::invalid(path, name.as_str(), m))
            .collect(),
    }
}

fn lifecycle_handler(h: &LifecycleHandler) -> Handler<'_> {
    Handler {
        exec: h
            .exec
            .as_ref()
            .map(|e| e.command.as_deref().unwrap_or_default()),
        http_get: h.http_get.as_ref(),
        tcp_socket: h.tcp_socket.as_ref().map(|t| &t.port),
        grpc: None,
        sleep: h.sleep.as_ref().map(|s| s.seconds),
    }
}

/// `validateLifecycle`.
fn validate_lifecycle(l: &Lifecycle, ctx: &ContainerContext<'_>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if let Some(h) = l.post_start.as_ref() {
        errs.extend(validate_handler(
            &lifecycle_handler(h),
            ctx.grace,
            &path.child("postStart"),
        ));
    }
    if let Some(h) = l.pre_stop.as_ref() {
        errs.extend(validate_handler(
            &lifecycle_handler(h),
            ctx.grace,
            &path.child("preStop"),
        ));
    }
    if let Some(sig) = l.stop_signal.as_deref() {
        let p = path.child("stopSignal");
        match ctx.os {
            None => errs.push(FieldError::forbidden(
                &p,
                "may not be set for containers with empty `spec.os.name`",
            )),
            Some("windows") if sig != "SIGKILL" && sig != "SIGTERM" => errs.push(
                FieldError::not_supported(&p, named(sig), &["SIGKILL", "SIGTERM"]),
            ),
            _ => {}
        }
    }
    errs
}

// ---------------------------------------------------------------------------------------------
// Security contexts
// ---------------------------------------------------------------------------------------------

/// `ValidateSecurityContext` (containers).
fn validate_security_context(
    sc: Option<&SecurityContext>,
    path: &Path,
    host_users: bool,
) -> ErrorList {
    let mut errs = Vec::new();
    let Some(sc) = sc else { return errs };
    if let Some(uid) = sc.run_as_user {
        for msg in is_valid_user_id(uid) {
            errs.push(FieldError::invalid(&path.child("runAsUser"), uid, msg));
        }
    }
    if let Some(gid) = sc.run_as_group {
        for msg in is_valid_group_id(gid) {
            errs.push(FieldError::invalid(&path.child("runAsGroup"), gid, msg));
        }
    }
    if let Some(pm) = sc.proc_mount.as_deref() {
        if pm != "Default" && pm != "Unmasked" {
            errs.push(FieldError::not_supported(
                &path.child("procMount"),
                named(pm),
                &["Default", "Unmasked"],
            ));
        }
        if host_users && pm == "Unmasked" {
            errs.push(FieldError::invalid(
                &path.child("procMount"),
                named(pm),
                "`hostUsers` must be false to use `Unmasked`",
            ));
        }
    }
    errs.extend(validate_seccomp_profile_field(
        sc.seccomp_profile.as_ref(),
        &path.child("seccompProfile"),
    ));
    if sc.allow_privilege_escalation == Some(false) {
        let sc_json = serde_json::to_value(sc)
            .map(|v| BadValue::from_json(&v))
            .unwrap_or(BadValue::Null);
        if sc.privileged == Some(true) {
            errs.push(FieldError::invalid(
                path,
                sc_json.clone(),
                "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
            ));
        }
        for cap in sc.capabilities.iter().flat_map(|c| c.add.iter().flatten()) {
            if cap == "CAP_SYS_ADMIN" {
                errs.push(FieldError::invalid(
                    path,
                    sc_json.clone(),
                    "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
                ));
            }
        }
    }
    errs.extend(validate_app_armor_profile(
        sc.app_armor_profile.as_ref(),
        &path.child("appArmorProfile"),
    ));
    errs
}

/// `validateSeccompProfileField`.
fn validate_seccomp_profile_field(
    sp: Option<&k8s_openapi::api::core::v1::SeccompProfile>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let Some(sp) = sp else { return errs };
    let tp = path.child("type");
    match sp.type_.as_str() {
        "Localhost" | "RuntimeDefault" | "Unconfined" => {}
        "" => errs.push(FieldError::required(
            &tp,
            "type is required when seccompProfile is set",
        )),
        other => errs.push(FieldError::not_supported(
            &tp,
            named(other),
            &["Localhost", "RuntimeDefault", "Unconfined"],
        )),
    }
    if sp.type_ == "Localhost" {
        match sp.localhost_profile.as_deref() {
            None => errs.push(FieldError::required(
                &path.child("localhostProfile"),
                "must be set when seccomp type is Localhost",
            )),
            Some(p) => errs.extend(validate_local_descending_path(
                p,
                &path.child("localhostProfile"),
            )),
        }
    } else if let Some(lp) = sp.localhost_profile.as_deref() {
        // The internal SeccompProfile has no json tags: its fields print by their Go names.
        let value = format!(
            "{{\"Type\":{},\"LocalhostProfile\":{}}}",
            go_json_string(&sp.type_),
            go_json_string(lp)
        );
        errs.push(FieldError::invalid(
            &path.child("localhostProfile"),
            BadValue::Json(value),
            "can only be set when seccomp type is Localhost",
        ));
    }
    errs
}

/// `ValidateAppArmorProfileField`.
fn validate_app_armor_profile(
    p: Option<&k8s_openapi::api::core::v1::AppArmorProfile>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let Some(p) = p else { return errs };
    let lp_path = path.child("localhostProfile");
    match p.type_.as_str() {
        "Localhost" => match p.localhost_profile.as_deref() {
            None => errs.push(FieldError::required(
                &lp_path,
                "must be set when AppArmor type is Localhost",
            )),
            Some(lp) => {
                if lp.trim() != lp {
                    errs.push(FieldError::invalid(
                        &lp_path,
                        lp,
                        "must not be padded with whitespace",
                    ));
                } else if lp.is_empty() {
                    errs.push(FieldError::required(
                        &lp_path,
                        "must be set when AppArmor type is Localhost",
                    ));
                }
                if lp.len() > 4095 {
                    errs.push(FieldError::too_long(&lp_path, 4095));
                }
            }
        },
        "RuntimeDefault" | "Unconfined" => {
            if let Some(lp) = p.localhost_profile.as_deref() {
                errs.push(FieldError::invalid(
                    &lp_path,
                    BadValue::Json(go_json_string(lp)),
                    "can only be set when AppArmor type is Localhost",
                ));
            }
        }
        "" => errs.push(FieldError::required(
            &path.child("type"),
            "type is required when appArmorProfile is set",
        )),
        other => errs.push(FieldError::not_supported(
            &path.child("type"),
            named(other),
            &["Localhost", "RuntimeDefault", "Unconfined"],
        )),
    }
    errs
}

const SYSCTL_REGEX: &str =
    "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$";

/// `IsValidSysctlName`: dot- or slash-separated segments of `[a-z0-9]([-_a-z0-9]*[a-z0-9])?`.
fn is_valid_sysctl_name(name: &str) -> bool {
    name.len() <= 253
        && !name.is_empty()
        && name.split(['.', '/']).all(|seg| {
            let b = seg.as_bytes();
            match (b.first(), b.last()) {
                (Some(f), Some(l)) => {
                    (f.is_ascii_lowercase() || f.is_ascii_digit())
                        && (l.is_ascii_lowercase() || l.is_ascii_digit())
                        && b.iter().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'_'
                        })
                }
                _ => false,
            }
        })
}

/// `validatePodSpecSecurityContext`.
fn validate_pod_spec_security_context(spec: &PodSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let sc = spec.security_context.clone().unwrap_or_default();
    let sc: &PodSecurityContext = &sc;
    if let Some(g) = sc.fs_group {
        for msg in is_valid_group_id(g) {
            errs.push(FieldError::invalid(&path.child("fsGroup"), g, msg));
        }
    }
    if let Some(u) = sc.run_as_user {
        for msg in is_valid_user_id(u) {
            errs.push(FieldError::invalid(&path.child("runAsUser"), u, msg));
        }
    }
    if let Some(g) = sc.run_as_group {
        for msg in is_valid_group_id(g) {
            errs.push(FieldError::invalid(&path.child("runAsGroup"), g, msg));
        }
    }
    for (i, g) in sc.supplemental_groups.iter().flatten().enumerate() {
        for msg in is_valid_group_id(*g) {
            errs.push(FieldError::invalid(
                &path.child("supplementalGroups").index(i),
                *g,
                msg,
            ));
        }
    }
    if spec.share_process_namespace == Some(true) && spec.host_pid.unwrap_or(false) {
        errs.push(FieldError::invalid(
            &path.child("shareProcessNamespace"),
            true,
            "ShareProcessNamespace and HostPID cannot both be enabled",
        ));
    }
    let sysctls = sc.sysctls.as_deref().unwrap_or_default();
    if !sysctls.is_empty() {
        let sp = path.child("sysctls");
        let mut names = BTreeSet::new();
        for (i, sysctl) in sysctls.iter().enumerate() {
            let np = sp.index(i).child("name");
            if sysctl.name.is_empty() {
                errs.push(FieldError::required(&np, ""));
            } else if !is_valid_sysctl_name(&sysctl.name) {
                errs.push(FieldError::invalid(
                    &np,
                    sysctl.name.as_str(),
                    format!("must have at most 253 characters and match regex {SYSCTL_REGEX}"),
                ));
            } else if names.contains(&sysctl.name) {
                errs.push(FieldError::duplicate(&np, sysctl.name.as_str()));
            }
            let n = sysctl.name.as_str();
            if spec.host_network.unwrap_or(false) && n.starts_with("net.") {
                errs.push(FieldError::invalid(
                    &np,
                    n,
                    "may not be specified when 'hostNetwork' is true",
                ));
            } else if spec.host_ipc.unwrap_or(false)
                && (n == "kernel.sem"
                    || n.starts_with("kernel.shm")
                    || n.starts_with("kernel.msg")
                    || n.starts_with("fs.mqueue."))
            {
                errs.push(FieldError::invalid(
                    &np,
                    n,
                    "may not be specified when 'hostIPC' is true",
                ));
            }
            names.insert(sysctl.name.clone());
        }
    }
    if let Some(p) = sc.fs_group_change_policy.as_deref() {
        if p != "OnRootMismatch" && p != "Always" {
            errs.push(FieldError::not_supported(
                &path.child("fsGroupChangePolicy"),
                named(p),
                &["Always", "OnRootMismatch"],
            ));
        }
    }
    errs.extend(validate_seccomp_profile_field(
        sc.seccomp_profile.as_ref(),
        &path.child("seccompProfile"),
    ));
    errs.extend(validate_app_armor_profile(
        sc.app_armor_profile.as_ref(),
        &path.child("appArmorProfile"),
    ));
    if let Some(p) = sc.supplemental_groups_policy.as_deref() {
        if p != "Merge" && p != "Strict" {
            errs.push(FieldError::not_supported(
                &path.child("supplementalGroupsPolicy"),
                named(p),
                &["Merge", "Strict"],
            ));
        }
    }
    if let Some(p) = sc.se_linux_change_policy.as_deref() {
        if p != "MountOption" && p != "Recursive" {
            errs.push(FieldError::not_supported(
                &path.child("seLinuxChangePolicy"),
                named(p),
                &["MountOption", "Recursive"],
            ));
        }
    }
    errs
}

// ---------------------------------------------------------------------------------------------
// Scheduling: tolerations, affinity, topology spread, DNS
// ---------------------------------------------------------------------------------------------

/// `ValidateTolerations`.
pub fn validate_tolerations(tolerations: &[Toleration], path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for (i, t) in tolerations.iter().enumerate() {
        let p = path.index(i);
        let (key, op, value, effect) = (s(&t.key), s(&t.operator), s(&t.value), s(&t.effect));
        if !key.is_empty() {
            errs.extend(validate_label_name(key, &p.child("key")));
        }
        if key.is_empty() && op != "Exists" {
            errs.push(FieldError::invalid(
                &p.child("operator"),
                named(op),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        if t.toleration_seconds.is_some() && effect != "NoExecute" {
            errs.push(FieldError::invalid(
                &p.child("effect"),
                named(effect),
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
        match op {
            "Equal" | "" => {
                let msgs = is_valid_label_value(value);
                if !msgs.is_empty() {
                    errs.push(FieldError::invalid(
                        &p.child("operator"),
                        value,
                        msgs.join(";"),
                    ));
                }
            }
            "Exists" => {
                if !value.is_empty() {
                    errs.push(FieldError::invalid(
                        &p.child("operator"),
                        value,
                        "value must be empty when `operator` is 'Exists'",
                    ));
                }
            }
            "Lt" | "Gt" => {
                errs.push(FieldError::not_supported(
                    &p.child("operator"),
                    named(op),
                    &["Equal", "Exists", "Lt", "Gt"],
                ));
            }
            other => errs.push(FieldError::not_supported(
                &p.child("operator"),
                named(other),
                &["Equal", "Exists"],
            )),
        }
        if !effect.is_empty() {
            errs.extend(validate_taint_effect(effect, true, &p.child("effect")));
        }
    }
    errs
}

/// `validateTaintEffect`.
pub fn validate_taint_effect(effect: &str, allow_empty: bool, path: &Path) -> ErrorList {
    if !allow_empty && effect.is_empty() {
        return vec![FieldError::required(path, "")];
    }
    match effect {
        "NoSchedule" | "PreferNoSchedule" | "NoExecute" => Vec::new(),
        other => vec![FieldError::not_supported(
            path,
            named(other),
            &["NoSchedule", "PreferNoSchedule", "NoExecute"],
        )],
    }
}

/// `ValidateLabelSelector` (metav1).
pub fn validate_label_selector(sel: Option<&LabelSelector>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let Some(sel) = sel else { return errs };
    errs.extend(validate_labels(
        sel.match_labels.as_ref(),
        &path.child("matchLabels"),
    ));
    for (i, expr) in sel.match_expressions.iter().flatten().enumerate() {
        let p = path.child("matchExpressions").index(i);
        let n = expr.values.as_ref().map_or(0, Vec::len);
        match expr.operator.as_str() {
            "In" | "NotIn" => {
                if n == 0 {
                    errs.push(FieldError::required(
                        &p.child("values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    ));
                }
            }
            "Exists" | "DoesNotExist" => {
                if n > 0 {
                    errs.push(FieldError::forbidden(
                        &p.child("values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ));
                }
            }
            other => errs.push(FieldError::invalid(
                &p.child("operator"),
                named(other),
                "not a valid selector operator",
            )),
        }
        errs.extend(validate_label_name(&expr.key, &p.child("key")));
        for (j, v) in expr.values.iter().flatten().enumerate() {
            for msg in is_valid_label_value(v) {
                errs.push(FieldError::invalid(
                    &p.child("values").index(j),
                    v.as_str(),
                    msg,
                ));
            }
        }
    }
    errs
}

/// `validateAffinity`.
fn validate_affinity(affinity: Option<&Affinity>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let Some(a) = affinity else { return errs };
    if let Some(na) = a.node_affinity.as_ref() {
        let p = path.child("nodeAffinity");
        if let Some(req) = na
            .required_during_scheduling_ignored_during_execution
            .as_ref()
        {
            errs.extend(validate_node_selector(
                req,
                &p.child("requiredDuringSchedulingIgnoredDuringExecution"),
            ));
        }
        for (i, term) in na
            .preferred_during_scheduling_ignored_during_execution
            .iter()
            .flatten()
            .enumerate()
        {
            let tp = p
                .child("preferredDuringSchedulingIgnoredDuringExecution")
                .index(i);
            if term.weight <= 0 || term.weight > 100 {
                errs.push(FieldError::invalid(
                    &tp.child("weight"),
                    term.weight,
                    "must be in the range 1-100",
                ));
            }
            errs.extend(validate_node_selector_term(
                &term.preference,
                true,
                &tp.child("preference"),
            ));
        }
    }
    for (child, pa) in [
        (
            "podAffinity",
            a.pod_affinity.as_ref().map(|p| {
                (
                    &p.required_during_scheduling_ignored_during_execution,
                    &p.preferred_during_scheduling_ignored_during_execution,
                )
            }),
        ),
        (
            "podAntiAffinity",
            a.pod_anti_affinity.as_ref().map(|p| {
                (
                    &p.required_during_scheduling_ignored_during_execution,
                    &p.preferred_during_scheduling_ignored_during_execution,
                )
            }),
        ),
    ] {
        let Some((required, preferred)) = pa else {
            continue;
        };
        let p = path.child(child);
        for (i, term) in required.iter().flatten().enumerate() {
            errs.extend(validate_pod_affinity_term(
                term,
                &p.child("requiredDuringSchedulingIgnoredDuringExecution")
                    .index(i),
            ));
        }
        for (i, wt) in preferred.iter().flatten().enumerate() {
            let wp = p
                .child("preferredDuringSchedulingIgnoredDuringExecution")
                .index(i);
            if wt.weight <= 0 || wt.weight > 100 {
                errs.push(FieldError::invalid(
                    &wp.child("weight"),
                    wt.weight,
                    "must be in the range 1-100",
                ));
            }
            errs.extend(validate_pod_affinity_term(
                &wt.pod_affinity_term,
                &wp.child("podAffinityTerm"),
            ));
        }
    }
    errs
}

/// `ValidateNodeSelector`.
fn validate_node_selector(sel: &NodeSelector, path: &Path) -> ErrorList {
    let tp = path.child("nodeSelectorTerms");
    if sel.node_selector_terms.is_empty() {
        return vec![FieldError::required(
            &tp,
            "must have at least one node selector term",
        )];
    }
    sel.node_selector_terms
        .iter()
        .enumerate()
        .flat_map(|(i, t)| validate_node_selector_term(t, false, &tp.index(i)))
        .collect()
}

/// `ValidateNodeSelectorTerm`.
fn validate_node_selector_term(
    term: &NodeSelectorTerm,
    allow_invalid_values: bool,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    for (j, req) in term.match_expressions.iter().flatten().enumerate() {
        errs.extend(validate_node_selector_requirement(
            req,
            allow_invalid_values,
            &path.child("matchExpressions").index(j),
        ));
    }
    for (j, req) in term.match_fields.iter().flatten().enumerate() {
        let p = path.child("matchFields").index(j);
        let n = req.values.as_ref().map_or(0, Vec::len);
        match req.operator.as_str() {
            "In" | "NotIn" => {
                if n != 1 {
                    errs.push(FieldError::required(
                        &p.child("values"),
                        "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                    ));
                }
            }
            other => errs.push(FieldError::invalid(
                &p.child("operator"),
                named(other),
                "not a valid selector operator",
            )),
        }
        if req.key != "metadata.name" {
            errs.push(FieldError::invalid(
                &p.child("key"),
                req.key.as_str(),
                "not a valid field selector key",
            ));
        } else {
            for (k, v) in req.values.iter().flatten().enumerate() {
                for msg in name_is_dns_subdomain(v, false) {
                    errs.push(FieldError::invalid(
                        &p.child("values").index(k),
                        v.as_str(),
                        msg,
                    ));
                }
            }
        }
    }
    errs
}

/// `ValidateNodeSelectorRequirement`.
fn validate_node_selector_requirement(
    rq: &NodeSelectorRequirement,
    allow_invalid_values: bool,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let n = rq.values.as_ref().map_or(0, Vec::len);
    match rq.operator.as_str() {
        "In" | "NotIn" => {
            if n == 0 {
                errs.push(FieldError::required(
                    &path.child("values"),
                    "must be specified when `operator` is 'In' or 'NotIn'",
                ));
            }
        }
        "Exists" | "DoesNotExist" => {
            if n > 0 {
                errs.push(FieldError::forbidden(
                    &path.child("values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                ));
            }
        }
        "Gt" | "Lt" => {
            if n != 1 {
                errs.push(FieldError::required(
                    &path.child("values"),
                    "must be specified single value when `operator` is 'Lt' or 'Gt'",
                ));
            }
        }
        other => errs.push(FieldError::invalid(
            &path.child("operator"),
            named(other),
            "not a valid selector operator",
        )),
    }
    errs.extend(validate_label_name(&rq.key, &path.child("key")));
    if !allow_invalid_values {
        for (i, v) in rq.values.iter().flatten().enumerate() {
            for msg in is_valid_label_value(v) {
                errs.push(FieldError::invalid(
                    &path.child("values").index(i),
                    v.as_str(),
                    msg,
                ));
            }
        }
    }
    errs
}

/// `validatePodAffinityTerm`.
fn validate_pod_affinity_term(term: &PodAffinityTerm, path: &Path) -> ErrorList {
    let mut errs =
        validate_label_selector(term.label_selector.as_ref(), &path.child("labelSelector"));
    errs.extend(validate_label_selector(
        term.namespace_selector.as_ref(),
        &path.child("namespaceSelector"),
    ));
    for ns in term.namespaces.iter().flatten() {
        for msg in name_is_dns_label(ns, false) {
            errs.push(FieldError::invalid(
                &path.child("namespace"),
                ns.as_str(),
                msg,
            ));
        }
    }
    errs.extend(validate_match_label_keys_and_mismatch_label_keys(
        path,
        term.match_label_keys.as_deref().unwrap_or_default(),
        term.mismatch_label_keys.as_deref().unwrap_or_default(),
        term.label_selector.as_ref(),
    ));
    if term.topology_key.is_empty() {
        errs.push(FieldError::required(
            &path.child("topologyKey"),
            "can not be empty",
        ));
    }
    errs.extend(validate_label_name(
        &term.topology_key,
        &path.child("topologyKey"),
    ));
    errs
}

/// `ValidateMatchLabelKeysAndMismatchLabelKeys`.
fn validate_match_label_keys_and_mismatch_label_keys(
    path: &Path,
    match_keys: &[String],
    mismatch_keys: &[String],
    selector: Option<&LabelSelector>,
) -> ErrorList {
    let mut errs = Vec::new();
    for (child, keys) in [
        ("matchLabelKeys", match_keys),
        ("mismatchLabelKeys", mismatch_keys),
    ] {
        if keys.is_empty() {
            continue;
        }
        let p = path.child(child);
        if selector.is_none() {
            errs.push(FieldError::forbidden(
                &p,
                "must not be specified when labelSelector is not set",
            ));
            continue;
        }
        for (i, k) in keys.iter().enumerate() {
            errs.extend(validate_label_name(k, &p.index(i)));
        }
    }
    if let Some(sel) = selector {
        let mut selector_keys: BTreeSet<&str> = sel
            .match_labels
            .iter()
            .flat_map(|m| m.keys().map(String::as_str))
            .collect();
        for expr in sel.match_expressions.iter().flatten() {
            if let Some(i) = match_keys.iter().rposition(|k| *k == expr.key) {
                if selector_keys.contains(expr.key.as_str()) {
                    errs.push(FieldError::invalid(
                        &path.index(i),
                        expr.key.as_str(),
                        "exists in both matchLabelKeys and labelSelector",
                    ));
                }
            }
            selector_keys.insert(expr.key.as_str());
        }
    }
    for (i, k) in match_keys.iter().enumerate() {
        if mismatch_keys.contains(k) {
            errs.push(FieldError::invalid(
                &path.child("matchLabelKeys").index(i),
                k.as_str(),
                "exists in both matchLabelKeys and mismatchLabelKeys",
            ));
        }
    }
    errs
}

/// `validateTopologySpreadConstraints`.
fn validate_topology_spread_constraints(
    constraints: &[TopologySpreadConstraint],
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    for (i, c) in constraints.iter().enumerate() {
        let p = path.index(i);
        if c.max_skew <= 0 {
            errs.push(FieldError::invalid(
                &p.child("maxSkew"),
                i64::from(c.max_skew),
                IS_NOT_POSITIVE_ERROR_MSG,
            ));
        }
        if c.topology_key.is_empty() {
            errs.push(FieldError::required(
                &p.child("topologyKey"),
                "can not be empty",
            ));
        }
        if c.when_unsatisfiable != "DoNotSchedule" && c.when_unsatisfiable != "ScheduleAnyway" {
            errs.push(FieldError::not_supported(
                &p.child("whenUnsatisfiable"),
                named(&c.when_unsatisfiable),
                &["DoNotSchedule", "ScheduleAnyway"],
            ));
        }
        if constraints[i + 1..].iter().any(|o| {
            o.topology_key == c.topology_key && o.when_unsatisfiable == c.when_unsatisfiable
        }) {
            errs.push(FieldError::duplicate(
                &p.child("{topologyKey, whenUnsatisfiable}"),
                format!("{{{}, {}}}", c.topology_key, c.when_unsatisfiable),
            ));
        }
        if let Some(md) = c.min_domains {
            let mp = p.child("minDomains");
            if md <= 0 {
                errs.push(FieldError::invalid(
                    &mp,
                    i64::from(md),
                    IS_NOT_POSITIVE_ERROR_MSG,
                ));
            }
            if c.when_unsatisfiable != "DoNotSchedule" {
                errs.push(FieldError::invalid(
                    &mp,
                    md,
                    format!(
                        "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {}",
                        c.when_unsatisfiable
                    ),
                ));
            }
        }
        for (child, policy) in [
            ("nodeAffinityPolicy", &c.node_affinity_policy),
            ("nodeTaintsPolicy", &c.node_taints_policy),
        ] {
            if let Some(v) = policy.as_deref() {
                if v != "Honor" && v != "Ignore" {
                    errs.push(FieldError::not_supported(
                        &p.child(child),
                        named(v),
                        &["Honor", "Ignore"],
                    ));
                }
            }
        }
        errs.extend(validate_match_label_keys_and_mismatch_label_keys(
            &p,
            c.match_label_keys.as_deref().unwrap_or_default(),
            &[],
            c.label_selector.as_ref(),
        ));
        errs.extend(validate_label_selector(
            c.label_selector.as_ref(),
            &p.child("labelSelector"),
        ));
    }
    errs
}

/// `validatePodDNSConfig` (RelaxedDNSSearchValidation is GA in v1.36).
fn validate_pod_dns_config(config: Option<&PodDNSConfig>, policy: &str, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if policy == "None" {
        let Some(c) = config else {
            return vec![FieldError::required(
                path,
                "must provide `dnsConfig` when `dnsPolicy` is None",
            )];
        };
        if c.nameservers.as_ref().is_none_or(|n| n.is_empty()) {
            return vec![FieldError::required(
                &path.child("nameservers"),
                "must provide at least one DNS nameserver when `dnsPolicy` is None",
            )];
        }
    }
    let Some(c) = config else { return errs };
    let nameservers = c.nameservers.as_deref().unwrap_or_default();
    if nameservers.len() > 3 {
        errs.push(FieldError::invalid(
            &path.child("nameservers"),
            BadValue::string_list(Some(nameservers)),
            "must not have more than 3 nameservers",
        ));
    }
    for (i, ns) in nameservers.iter().enumerate() {
        for msg in is_valid_ip_for_legacy_field(ns) {
            errs.push(FieldError::invalid(
                &path.child("nameservers").index(i),
                ns.as_str(),
                msg,
            ));
        }
    }
    let searches = c.searches.as_deref().unwrap_or_default();
    if searches.len() > 32 {
        errs.push(FieldError::invalid(
            &path.child("searches"),
            BadValue::string_list(Some(searches)),
            "must not have more than 32 search paths",
        ));
    }
    if searches.join(" ").len() > 2048 {
        errs.push(FieldError::invalid(
            &path.child("searches"),
            BadValue::string_list(Some(searches)),
            "must not have more than 2048 characters (including spaces) in the search list",
        ));
    }
    for (i, search) in searches.iter().enumerate() {
        if search == "." {
            continue;
        }
        let trimmed = search.strip_suffix('.').unwrap_or(search);
        for msg in is_dns1123_subdomain_with_underscore(trimmed) {
            errs.push(FieldError::invalid(
                &path.child("searches").index(i),
                trimmed,
                msg,
            ));
        }
    }
    for (i, opt) in c.options.iter().flatten().enumerate() {
        if s(&opt.name).is_empty() {
            errs.push(FieldError::required(
                &path.child("options").index(i),
                "must not be empty",
            ));
        }
    }
    errs
}

/// `IsDNS1123SubdomainWithUnderscore`.
fn is_dns1123_subdomain_with_underscore(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(super::names::max_len_error(253));
    }
    let label_ok = |l: &str| {
        let l = l.strip_prefix('_').unwrap_or(l);
        let b = l.as_bytes();
        match (b.first(), b.last()) {
            (Some(f), Some(e)) => {
                (f.is_ascii_lowercase() || f.is_ascii_digit())
                    && (e.is_ascii_lowercase() || e.is_ascii_digit())
                    && b.iter().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'_'
                    })
            }
            _ => false,
        }
    };
    if value.is_empty() || !value.split('.').all(label_ok) {
        errs.push(super::names::regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character",
            "_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*",
            &["example.com"],
        ));
    }
    errs
}

/// Whether `value` is accepted where a C identifier is required (kept for template callers).
pub fn is_valid_c_identifier(value: &str) -> bool {
    is_c_identifier(value).is_empty()
}

/// Whether `value` is an RFC 1123 subdomain (kept for callers outside validation).
pub fn is_subdomain(value: &str) -> bool {
    matches_dns1123_subdomain(value)
}

#[cfg(test)]
#[path = "pod_tests.rs"]
mod tests;
