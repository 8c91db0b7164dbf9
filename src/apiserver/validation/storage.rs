//! Volume kinds: PersistentVolumeClaim and PersistentVolume (`ValidatePersistentVolumeClaim`,
//! `ValidatePersistentVolumeClaimSpec`, `ValidatePersistentVolume` and their updates in
//! `pkg/apis/core/validation/validation.go`) and StorageClass (`ValidateStorageClass` and
//! `ValidateStorageClassUpdate` in `pkg/apis/storage/validation/validation.go`).
//!
//! The spec-immutability errors of PV and PVC updates end in a `diff.Diff` of the internal specs;
//! podlab prints only their first line.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeSpec,
};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as K8sQuantity;
use serde_json::Value;

use super::field::{go_json, BadValue, ErrorList, FieldError, Path};
use super::meta::{validate_object_meta, validate_object_meta_update, FIELD_IMMUTABLE_ERROR_MSG};
use super::names::{is_dns1123_subdomain, is_qualified_name, name_is_dns_subdomain};
use super::pod::validate_label_selector;
use super::quantity::Quantity;

/// `supportedAccessModes`, as `sets.List` sorts them.
const ACCESS_MODES: &[&str] = &[
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];
/// `supportedReclaimPolicy`, sorted.
const RECLAIM_POLICIES: &[&str] = &["Delete", "Recycle", "Retain"];
/// `supportedVolumeModes`, sorted.
const VOLUME_MODES: &[&str] = &["Block", "Filesystem"];
/// `isNotPositiveErrorMsg`.
const NOT_POSITIVE: &str = "must be greater than zero";

/// The PersistentVolumeSource fields in the order `ValidatePersistentVolumeSpec` checks them:
/// (JSON name, the name its "more than 1 volume type" error uses).
const PV_SOURCES: &[(&str, &str)] = &[
    ("hostPath", "hostPath"),
    ("gcePersistentDisk", "gcePersistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"),
    ("glusterfs", "glusterfs"),
    ("flocker", "flocker"),
    ("nfs", "nfs"),
    ("rbd", "rbd"),
    ("quobyte", "quobyte"),
    ("cephfs", "cephFS"),
    ("iscsi", "iscsi"),
    ("cinder", "cinder"),
    ("fc", "fc"),
    ("flexVolume", ""),
    ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"),
    ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"),
    ("azureDisk", "azureDisk"),
    ("scaleIO", "scaleIO"),
    ("local", "local"),
    ("storageos", "storageos"),
    ("csi", "csi"),
];

/// `ValidateClassName` (a DNS subdomain) at `path`.
fn validate_class_name(name: &str, path: &Path) -> ErrorList {
    is_dns1123_subdomain(name)
        .into_iter()
        .map(|m| FieldError::invalid(path, name, m))
        .collect()
}

/// The access mode checks PV and PVC specs share: each supported, ReadWriteOncePod alone.
fn validate_access_modes(modes: &[String], path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let (mut once_pod, mut other) = (false, false);
    for mode in modes {
        if !ACCESS_MODES.contains(&mode.as_str()) {
            errs.push(FieldError::not_supported(
                path,
                BadValue::named(mode),
                ACCESS_MODES,
            ));
        } else if mode == "ReadWriteOncePod" {
            once_pod = true;
        } else {
            other = true;
        }
    }
    if once_pod && other {
        errs.push(FieldError::forbidden(
            path,
            "may not use ReadWriteOncePod with other access modes",
        ));
    }
    errs
}

/// A quantity's `String()` and whether it is above zero (unparsable ones never reach here: the
/// decoder refuses them).
fn positive(q: &K8sQuantity) -> (String, bool) {
    match Quantity::parse(&q.0) {
        Ok(parsed) => (
            parsed.canonical(),
            !parsed.is_zero() && !parsed.is_negative(),
        ),
        Err(_) => (q.0.clone(), true),
    }
}

/// `ValidatePersistentVolumeClaimSpec`: access modes, selector, a positive storage request,
/// storage class name, volume mode, data sources.
pub fn validate_pvc_spec(spec: &PersistentVolumeClaimSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let modes = spec.access_modes.clone().unwrap_or_default();
    if modes.is_empty() {
        errs.push(FieldError::required(
            &path.child("accessModes"),
            "at least 1 access mode is required",
        ));
    }
    errs.extend(validate_label_selector(
        spec.selector.as_ref(),
        &path.child("selector"),
    ));
    errs.extend(validate_access_modes(&modes, &path.child("accessModes")));
    let storage_path = path.child("resources").key("storage");
    let storage = spec
        .resources
        .as_ref()
        .and_then(|r| r.requests.as_ref())
        .and_then(|r| r.get("storage"));
    match storage {
        None => errs.push(FieldError::required(&storage_path, "")),
        Some(q) => {
            let (text, ok) = positive(q);
            if !ok {
                errs.push(FieldError::invalid(&storage_path, text, NOT_POSITIVE));
            }
        }
    }
    if let Some(class) = spec.storage_class_name.as_deref().filter(|c| !c.is_empty()) {
        errs.extend(validate_class_name(class, &path.child("storageClassName")));
    }
    if let Some(mode) = spec.volume_mode.as_deref() {
        if !VOLUME_MODES.contains(&mode) {
            errs.push(FieldError::not_supported(
                &path.child("volumeMode"),
                BadValue::named(mode),
                VOLUME_MODES,
            ));
        }
    }
    if let Some(ds) = spec.data_source.as_ref() {
        let p = path.child("dataSource");
        errs.extend(validate_data_source(
            &ds.name,
            &ds.kind,
            ds.api_group.as_deref(),
            &p,
        ));
    }
    if let Some(ds) = spec.data_source_ref.as_ref() {
        let p = path.child("dataSourceRef");
        errs.extend(validate_data_source(
            &ds.name,
            &ds.kind,
            ds.api_group.as_deref(),
            &p,
        ));
    }
    errs
}

/// `validateDataSource` / `validateDataSourceRef`: name and kind required, a PVC in the core group.
fn validate_data_source(name: &str, kind: &str, group: Option<&str>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    }
    if kind.is_empty() {
        errs.push(FieldError::required(&path.child("kind"), ""));
    }
    let group = group.unwrap_or("");
    if group.is_empty() && kind != "PersistentVolumeClaim" {
        errs.push(FieldError::invalid(
            path,
            kind,
            "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
        ));
    }
    if !group.is_empty() {
        for m in is_dns1123_subdomain(group) {
            errs.push(FieldError::invalid(&path.child("apiGroup"), group, m));
        }
    }
    errs
}

/// `ValidatePersistentVolumeClaim`: namespaced metadata with a DNS subdomain name, then the spec.
pub fn validate_pvc(pvc: &PersistentVolumeClaim) -> ErrorList {
    let mut errs = validate_object_meta(
        &pvc.metadata,
        true,
        name_is_dns_subdomain,
        &Path::new("metadata"),
    );
    errs.extend(validate_pvc_spec(
        &pvc.spec.clone().unwrap_or_default(),
        &Path::new("spec"),
    ));
    errs
}

fn storage_request(spec: Option<&PersistentVolumeClaimSpec>) -> Option<Quantity> {
    spec.and_then(|s| s.resources.as_ref())
        .and_then(|r| r.requests.as_ref())
        .and_then(|r| r.get("storage"))
        .and_then(|q| Quantity::parse(&q.0).ok())
}

/// `volume.beta.kubernetes.io/storage-class` (`core.BetaStorageClassAnnotation`).
const BETA_STORAGE_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

fn beta_class(pvc: &PersistentVolumeClaim) -> Option<&str> {
    pvc.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(BETA_STORAGE_CLASS_ANNOTATION))
        .map(String::as_str)
}

/// `validateStorageClassUpgradeFromAnnotation`: a claim whose class was only in the beta
/// annotation may name the same class in `spec.storageClassName` (the new annotation, if any,
/// unchanged).
fn class_upgrade_from_annotation(
    new: &PersistentVolumeClaim,
    old: &PersistentVolumeClaim,
    new_class: Option<&str>,
    old_class: Option<&str>,
) -> bool {
    let Some(old_annotation) = beta_class(old) else {
        return false;
    };
    old_class.is_none()
        && new_class == Some(old_annotation)
        && beta_class(new).is_none_or(|a| a == old_annotation)
}

/// `validateStorageClassUpgradeFromNil`: a claim created without a class may be given one later
/// (the PV controller's retroactive default class), unless its beta annotation names another.
fn class_upgrade_from_nil(
    old: &PersistentVolumeClaim,
    new_class: Option<&str>,
    old_class: Option<&str>,
) -> bool {
    match (new_class, old_class) {
        (Some(new_class), None) => beta_class(old).is_none_or(|a| a == new_class),
        _ => false,
    }
}

/// The storage class part of `ValidatePersistentVolumeClaimUpdate`: an allowed upgrade (from the
/// beta annotation, or from no class) makes the class compare equal in the spec comparison that
/// follows; otherwise the beta annotation is immutable (`ValidateImmutableAnnotation`).
fn reconcile_class_upgrade(
    new: &PersistentVolumeClaim,
    old: &PersistentVolumeClaim,
    new_spec: &mut PersistentVolumeClaimSpec,
    old_spec: &PersistentVolumeClaimSpec,
) -> ErrorList {
    let new_class = new
        .spec
        .as_ref()
        .and_then(|s| s.storage_class_name.as_deref());
    let old_class = old
        .spec
        .as_ref()
        .and_then(|s| s.storage_class_name.as_deref());
    if class_upgrade_from_annotation(new, old, new_class, old_class) {
        new_spec.storage_class_name = None;
        return Vec::new();
    }
    let mut errs = Vec::new();
    let (new_annotation, old_annotation) = (beta_class(new), beta_class(old));
    if new_annotation.unwrap_or_default() != old_annotation.unwrap_or_default() {
        errs.push(FieldError::invalid(
            &Path::new("metadata")
                .child("annotations")
                .child(BETA_STORAGE_CLASS_ANNOTATION),
            BadValue::Str(new_annotation.unwrap_or_default().to_string()),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    if class_upgrade_from_nil(old, new_class, old_class) {
        new_spec.storage_class_name = old_spec.storage_class_name.clone();
    }
    errs
}

/// `ValidatePersistentVolumeClaimUpdate`: the spec is immutable but for `volumeName` once and
/// `resources.requests` of a bound claim, and a class given to a claim that had none; storage
/// never shrinks; `volumeMode` is immutable.
pub fn validate_pvc_update(new: &PersistentVolumeClaim, old: &PersistentVolumeClaim) -> ErrorList {
    let mut errs =
        validate_object_meta_update(&new.metadata, &old.metadata, &Path::new("metadata"));
    errs.extend(validate_pvc(new));
    let mut new_spec = new.spec.clone().unwrap_or_default();
    let mut old_spec = old.spec.clone().unwrap_or_default();
    if old_spec.volume_name.as_deref().is_none_or(str::is_empty) {
        old_spec.volume_name = new_spec.volume_name.clone();
    }
    errs.extend(reconcile_class_upgrade(new, old, &mut new_spec, &old_spec));
    let bound = new.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound");
    if bound {
        let old_storage = old_spec
            .resources
            .as_ref()
            .and_then(|r| r.requests.as_ref())
            .and_then(|r| r.get("storage"))
            .cloned();
        if let Some(requests) = new_spec
            .resources
            .as_mut()
            .and_then(|r| r.requests.as_mut())
        {
            match old_storage {
                Some(q) => requests.insert("storage".into(), q),
                None => requests.remove("storage"),
            };
        }
        new_spec.volume_attributes_class_name = old_spec.volume_attributes_class_name.clone();
    }
    if serde_json::to_value(&new_spec).ok() != serde_json::to_value(&old_spec).ok() {
        errs.push(FieldError::forbidden(
            &Path::new("spec"),
            "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
        ));
    }
    let (new_size, old_size) = (
        storage_request(new.spec.as_ref()),
        storage_request(old.spec.as_ref()),
    );
    // RecoverVolumeExpansionFailure (GA): a claim may shrink back, but not to its capacity.
    let capacity = old
        .status
        .as_ref()
        .and_then(|s| s.capacity.as_ref())
        .and_then(|c| c.get("storage"))
        .and_then(|q| Quantity::parse(&q.0).ok());
    let shrinks = match (new_size, old_size) {
        (Some(n), Some(o)) => {
            n.cmp_value(&o).is_lt()
                && capacity
                    .as_ref()
                    .map_or(n.is_zero() || n.is_negative(), |c| n.cmp_value(c).is_le())
        }
        _ => false,
    };
    if shrinks {
        errs.push(FieldError::forbidden(
            &Path::new("spec")
                .child("resources")
                .child("requests")
                .child("storage"),
            "field can not be less than status.capacity",
        ));
    }
    let (nm, om) = (
        new.spec.as_ref().and_then(|s| s.volume_mode.clone()),
        old.spec.as_ref().and_then(|s| s.volume_mode.clone()),
    );
    if nm != om {
        errs.push(FieldError::invalid(
            &Path::new("volumeMode"),
            nm.map_or(BadValue::Null, |m| BadValue::named(&m)),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    errs
}

/// The PV spec as JSON, to see which volume sources are set.
fn spec_json(spec: &PersistentVolumeSpec) -> Value {
    serde_json::to_value(spec).unwrap_or(Value::Null)
}

/// `ValidatePersistentVolumeSpec` (not inline): access modes, a capacity of storage only and
/// positive, the reclaim policy, exactly one volume source (hostPath and local need a path, nfs
/// a server and an absolute path, local a node affinity), class name, volume mode.
pub fn validate_pv_spec(spec: &PersistentVolumeSpec, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let modes = spec.access_modes.clone().unwrap_or_default();
    if modes.is_empty() {
        errs.push(FieldError::required(&path.child("accessModes"), ""));
    }
    errs.extend(validate_access_modes(&modes, &path.child("accessModes")));
    let capacity = spec.capacity.clone().unwrap_or_default();
    let cap_path = path.child("capacity");
    if capacity.is_empty() {
        errs.push(FieldError::required(&cap_path, ""));
    }
    if !capacity.contains_key("storage") || capacity.len() > 1 {
        errs.push(FieldError::not_supported(
            &cap_path,
            BadValue::Json(capacity_json(&capacity)),
            &["storage"],
        ));
    }
    for (name, q) in &capacity {
        let (text, ok) = positive(q);
        if !ok {
            errs.push(FieldError::invalid(&cap_path.key(name), text, NOT_POSITIVE));
        }
    }
    if let Some(policy) = spec
        .persistent_volume_reclaim_policy
        .as_deref()
        .filter(|p| !p.is_empty())
    {
        if !RECLAIM_POLICIES.contains(&policy) {
            errs.push(FieldError::not_supported(
                &path.child("persistentVolumeReclaimPolicy"),
                BadValue::named(policy),
                RECLAIM_POLICIES,
            ));
        }
    }
    errs.extend(validate_pv_source(spec, path));
    if let Some(class) = spec.storage_class_name.as_deref().filter(|c| !c.is_empty()) {
        errs.extend(validate_class_name(class, &path.child("storageClassName")));
    }
    if let Some(mode) = spec.volume_mode.as_deref() {
        if !VOLUME_MODES.contains(&mode) {
            errs.push(FieldError::not_supported(
                &path.child("volumeMode"),
                BadValue::named(mode),
                VOLUME_MODES,
            ));
        }
    }
    errs
}

/// A capacity as `json.Marshal(core.ResourceList)` prints it (quantities as strings).
fn capacity_json(capacity: &BTreeMap<String, K8sQuantity>) -> String {
    if capacity.is_empty() {
        return "null".into();
    }
    let map: serde_json::Map<String, Value> = capacity
        .iter()
        .map(|(k, q)| (k.clone(), Value::String(positive(q).0)))
        .collect();
    go_json(&Value::Object(map))
}

/// The volume source part of `ValidatePersistentVolumeSpec`: one source, checked.
fn validate_pv_source(spec: &PersistentVolumeSpec, path: &Path) -> ErrorList {
    let json = spec_json(spec);
    let mut errs = Vec::new();
    let mut count = 0;
    for (field, forbidden_name) in PV_SOURCES {
        let Some(source) = json.get(*field).filter(|v| !v.is_null()) else {
            continue;
        };
        // FlexVolume is counted without the "more than 1" check.
        if count > 0 && !forbidden_name.is_empty() {
            errs.push(FieldError::forbidden(
                &path.child(forbidden_name),
                "may not specify more than 1 volume type",
            ));
            continue;
        }
        count += 1;
        errs.extend(validate_pv_source_fields(field, source, &path.child(field)));
    }
    if count == 0 {
        errs.push(FieldError::required(path, "must specify a volume type"));
    }
    let has_affinity = spec
        .node_affinity
        .as_ref()
        .is_some_and(|a| a.required.is_some());
    if json.get("local").is_some_and(|v| !v.is_null()) && !has_affinity {
        errs.push(FieldError::required(
            &path.child("nodeAffinity"),
            "Local volume requires node affinity",
        ));
    }
    errs
}

/// The checks of the sources tutorials use: hostPath and local need a path, nfs a server and an
/// absolute path, csi a driver and a volume handle.
fn validate_pv_source_fields(field: &str, source: &Value, path: &Path) -> ErrorList {
    let text = |k: &str| source.get(k).and_then(Value::as_str).unwrap_or("");
    let mut errs = Vec::new();
    match field {
        "hostPath" | "local" => {
            if text("path").is_empty() {
                errs.push(FieldError::required(&path.child("path"), ""));
            } else if text("path").split('/').any(|s| s == "..") {
                errs.push(FieldError::invalid(
                    &path.child("path"),
                    text("path"),
                    "must not contain '..'",
                ));
            }
        }
        "nfs" => {
            if text("server").is_empty() {
                errs.push(FieldError::required(&path.child("server"), ""));
            }
            if text("path").is_empty() {
                errs.push(FieldError::required(&path.child("path"), ""));
            }
            if !text("path").starts_with('/') {
                errs.push(FieldError::invalid(
                    &path.child("path"),
                    text("path"),
                    "must be an absolute path",
                ));
            }
        }
        "csi" => {
            if text("driver").is_empty() {
                errs.push(FieldError::required(&path.child("driver"), ""));
            }
            if text("volumeHandle").is_empty() {
                errs.push(FieldError::required(&path.child("volumeHandle"), ""));
            }
        }
        _ => {}
    }
    errs
}

/// `ValidatePersistentVolume`: cluster-scoped metadata with a DNS subdomain name, then the spec.
pub fn validate_pv(pv: &PersistentVolume) -> ErrorList {
    let mut errs = validate_object_meta(
        &pv.metadata,
        false,
        name_is_dns_subdomain,
        &Path::new("metadata"),
    );
    errs.extend(validate_pv_spec(
        &pv.spec.clone().unwrap_or_default(),
        &Path::new("spec"),
    ));
    errs
}

/// The PersistentVolumeSource of a spec: the volume source fields only.
fn pv_source(spec: Option<&PersistentVolumeSpec>) -> Value {
    let json = spec.map(spec_json).unwrap_or(Value::Null);
    let map: serde_json::Map<String, Value> = PV_SOURCES
        .iter()
        .filter_map(|(f, _)| json.get(*f).map(|v| (f.to_string(), v.clone())))
        .collect();
    Value::Object(map)
}

/// `ValidatePersistentVolumeUpdate`: the new volume valid, its source and volume mode unchanged.
pub fn validate_pv_update(new: &PersistentVolume, old: &PersistentVolume) -> ErrorList {
    let mut errs = validate_pv(new);
    if pv_source(new.spec.as_ref()) != pv_source(old.spec.as_ref()) {
        errs.push(FieldError::forbidden(
            &Path::new("spec").child("persistentvolumesource"),
            "spec.persistentvolumesource is immutable after creation",
        ));
    }
    let (nm, om) = (
        new.spec.as_ref().and_then(|s| s.volume_mode.clone()),
        old.spec.as_ref().and_then(|s| s.volume_mode.clone()),
    );
    if nm != om {
        errs.push(FieldError::invalid(
            &Path::new("volumeMode"),
            nm.map_or(BadValue::Null, |m| BadValue::named(&m)),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    errs
}

// ---- StorageClass (pkg/apis/storage/validation/validation.go) ------------------------------------

/// `supportedVolumeBindingModes`, sorted.
const BINDING_MODES: &[&str] = &["Immediate", "WaitForFirstConsumer"];

/// `ValidateStorageClass`: metadata (a class name), the provisioner (a qualified name, compared in
/// lower case), parameters, reclaim policy and binding mode.
pub fn validate_storage_class(sc: &StorageClass) -> ErrorList {
    let mut errs = validate_object_meta(
        &sc.metadata,
        false,
        name_is_dns_subdomain,
        &Path::new("metadata"),
    );
    let provisioner_path = Path::new("provisioner");
    if sc.provisioner.is_empty() {
        errs.push(FieldError::required(&provisioner_path, ""));
    } else {
        let lower = sc.provisioner.to_lowercase();
        for m in is_qualified_name(&lower) {
            errs.push(FieldError::invalid(&provisioner_path, lower.as_str(), m));
        }
    }
    for k in sc.parameters.iter().flatten().map(|(k, _)| k) {
        if k.is_empty() {
            errs.push(FieldError::invalid(
                &Path::new("parameters"),
                k.as_str(),
                "field can not be empty.",
            ));
        }
    }
    if let Some(policy) = sc.reclaim_policy.as_deref().filter(|p| !p.is_empty()) {
        if !RECLAIM_POLICIES.contains(&policy) {
            errs.push(FieldError::not_supported(
                &Path::new("reclaimPolicy"),
                BadValue::named(policy),
                RECLAIM_POLICIES,
            ));
        }
    }
    match sc.volume_binding_mode.as_deref() {
        None => errs.push(FieldError::required(&Path::new("volumeBindingMode"), "")),
        Some(mode) if !BINDING_MODES.contains(&mode) => errs.push(FieldError::not_supported(
            &Path::new("volumeBindingMode"),
            BadValue::named(mode),
            BINDING_MODES,
        )),
        Some(_) => {}
    }
    errs
}

/// `ValidateStorageClassUpdate`: parameters, provisioner, reclaim policy and binding mode are
/// immutable.
pub fn validate_storage_class_update(new: &StorageClass, old: &StorageClass) -> ErrorList {
    let mut errs =
        validate_object_meta_update(&new.metadata, &old.metadata, &Path::new("metadata"));
    let params = |sc: &StorageClass| sc.parameters.clone().filter(|p| !p.is_empty());
    if params(new) != params(old) {
        let value = serde_json::to_value(params(new)).unwrap_or(Value::Null);
        errs.push(FieldError::invalid(
            &Path::new("parameters"),
            BadValue::Json(go_json(&value)),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    if new.provisioner != old.provisioner {
        errs.push(FieldError::invalid(
            &Path::new("provisioner"),
            new.provisioner.as_str(),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    for (field, n, o) in [
        ("reclaimPolicy", &new.reclaim_policy, &old.reclaim_policy),
        (
            "volumeBindingMode",
            &new.volume_binding_mode,
            &old.volume_binding_mode,
        ),
    ] {
        if n != o {
            errs.push(FieldError::invalid(
                &Path::new(field),
                n.as_deref().map_or(BadValue::Null, BadValue::named),
                FIELD_IMMUTABLE_ERROR_MSG,
            ));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn messages(errs: &ErrorList) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    fn pvc(spec: Value) -> PersistentVolumeClaim {
        serde_json::from_value(
            json!({"metadata": {"name": "claim", "namespace": "default"}, "spec": spec}),
        )
        .unwrap_or_default()
    }

    #[test]
    fn a_claim_needs_access_modes_and_a_storage_request() {
        assert_eq!(
            messages(&validate_pvc(&pvc(json!({})))),
            vec![
                "spec.accessModes: Required value: at least 1 access mode is required",
                "spec.resources[storage]: Required value",
            ]
        );
        let ok = pvc(
            json!({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "3Gi"}}, "volumeMode": "Filesystem"}),
        );
        assert!(validate_pvc(&ok).is_empty());
        let bad = pvc(
            json!({"accessModes": ["ReadWriteSometimes"], "resources": {"requests": {"storage": "0"}}}),
        );
        assert_eq!(
            messages(&validate_pvc(&bad)),
            vec![
                "spec.accessModes: Unsupported value: \"ReadWriteSometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"",
                "spec.resources[storage]: Invalid value: \"0\": must be greater than zero",
            ]
        );
    }

    fn with_class(mut claim: PersistentVolumeClaim, class: Option<&str>) -> PersistentVolumeClaim {
        if let Some(spec) = claim.spec.as_mut() {
            spec.storage_class_name = class.map(str::to_string);
        }
        claim
    }

    fn annotated(mut claim: PersistentVolumeClaim, class: &str) -> PersistentVolumeClaim {
        claim.metadata.annotations = Some(BTreeMap::from([(
            BETA_STORAGE_CLASS_ANNOTATION.to_string(),
            class.to_string(),
        )]));
        claim
    }

    /// validateStorageClassUpgradeFromNil: a class may be set where none was (the retroactive
    /// default class), not changed, not removed, nor set against the beta annotation.
    #[test]
    fn a_class_can_be_given_to_a_claim_without_one() {
        let base = pvc(
            json!({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}),
        );
        let mut old = with_class(base.clone(), None);
        old.metadata.resource_version = Some("1".into());
        let set = with_class(old.clone(), Some("standard"));
        assert!(validate_pvc_update(&set, &old).is_empty());
        let immutable = "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims";
        let standard = with_class(old.clone(), Some("standard"));
        let changed = with_class(old.clone(), Some("fast"));
        assert_eq!(
            messages(&validate_pvc_update(&changed, &standard)),
            vec![immutable]
        );
        let removed = with_class(old.clone(), None);
        assert_eq!(
            messages(&validate_pvc_update(&removed, &standard)),
            vec![immutable]
        );
        let beta = annotated(old.clone(), "slow");
        let against = with_class(beta.clone(), Some("standard"));
        assert_eq!(
            messages(&validate_pvc_update(&against, &beta)),
            vec![immutable]
        );
        let upgrade = with_class(beta.clone(), Some("slow"));
        assert!(validate_pvc_update(&upgrade, &beta).is_empty());
        let reannotated = annotated(old.clone(), "fast");
        assert_eq!(
            messages(&validate_pvc_update(&reannotated, &beta)),
            vec!["metadata.annotations.volume.beta.kubernetes.io/storage-class: Invalid value: \"fast\": field is immutable"]
        );
    }

    #[test]
    fn a_volume_needs_capacity_and_one_source() {
        let pv: PersistentVolume = serde_json::from_value(json!({
            "metadata": {"name": "pv"},
            "spec": {"accessModes": ["ReadWriteOnce"]}
        }))
        .unwrap_or_default();
        assert_eq!(
            messages(&validate_pv(&pv)),
            vec![
                "spec.capacity: Required value",
                "spec.capacity: Unsupported value: null: supported values: \"storage\"",
                "spec: Required value: must specify a volume type",
            ]
        );
        let pv: PersistentVolume = serde_json::from_value(json!({
            "metadata": {"name": "pv"},
            "spec": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"},
                     "hostPath": {"path": "/mnt/data"}, "nfs": {"server": "x", "path": "/a"}}
        }))
        .unwrap_or_default();
        assert_eq!(
            messages(&validate_pv(&pv)),
            vec!["spec.nfs: Forbidden: may not specify more than 1 volume type"]
        );
    }

    #[test]
    fn storage_classes_need_a_provisioner_and_keep_it() {
        let sc: StorageClass = serde_json::from_value(json!({
            "metadata": {"name": "fast"}, "provisioner": "", "volumeBindingMode": "Later"
        }))
        .unwrap_or_default();
        assert_eq!(
            messages(&validate_storage_class(&sc)),
            vec![
                "provisioner: Required value",
                "volumeBindingMode: Unsupported value: \"Later\": supported values: \"Immediate\", \"WaitForFirstConsumer\"",
            ]
        );
        let old: StorageClass = serde_json::from_value(json!({
            "metadata": {"name": "fast", "resourceVersion": "1"}, "provisioner": "a.io/x", "volumeBindingMode": "Immediate"
        }))
        .unwrap_or_default();
        let mut new = old.clone();
        new.provisioner = "b.io/y".into();
        assert_eq!(
            messages(&validate_storage_class_update(&new, &old)),
            vec!["provisioner: Invalid value: \"b.io/y\": field is immutable"]
        );
    }
}
