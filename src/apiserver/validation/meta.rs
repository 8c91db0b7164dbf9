//! Object metadata checks: `ValidateObjectMeta` / `ValidateObjectMetaUpdate` of
//! `k8s.io/apimachinery/pkg/api/validation/objectmeta.go`, the label checks of
//! `pkg/apis/meta/v1/validation`, and the finalizer-name rule that `pkg/apis/core/validation` adds.
//!
//! Go walks label and annotation maps in random order; podlab walks them sorted (k8s-openapi keeps
//! them in a `BTreeMap`), which is one of the orders the real server can print.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference, Time};

use super::field::{go_json_string, BadValue, ErrorList, FieldError, Path};
use super::names::{is_qualified_name, is_valid_label_value, name_is_dns_label, NameFn};

/// `apimachineryvalidation.FieldImmutableErrorMsg`.
pub const FIELD_IMMUTABLE_ERROR_MSG: &str = "field is immutable";
/// `apimachineryvalidation.IsNegativeErrorMsg`.
pub const IS_NEGATIVE_ERROR_MSG: &str = "must be greater than or equal to 0";
/// `TotalAnnotationSizeLimitB`: 256 KiB of keys and values together.
pub const TOTAL_ANNOTATION_SIZE_LIMIT_B: i64 = 256 * 1024;

/// `ValidateNonnegativeField`.
pub fn validate_nonnegative_field(value: i64, path: &Path) -> ErrorList {
    if value < 0 {
        vec![FieldError::invalid(path, value, IS_NEGATIVE_ERROR_MSG)]
    } else {
        Vec::new()
    }
}

/// `ValidateLabelName`: a label key (also used for toleration and taint keys).
pub fn validate_label_name(name: &str, path: &Path) -> ErrorList {
    is_qualified_name(name)
        .into_iter()
        .map(|msg| FieldError::invalid(path, name, msg))
        .collect()
}

/// `ValidateLabels`: every key is a qualified name, every value a label value. Errors carry the
/// map's own path (`metadata.labels`), not the key.
pub fn validate_labels(labels: Option<&BTreeMap<String, String>>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for (k, v) in labels.into_iter().flatten() {
        errs.extend(validate_label_name(k, path));
        for msg in is_valid_label_value(v) {
            errs.push(FieldError::invalid(path, v.as_str(), msg));
        }
    }
    errs
}

/// `ValidateAnnotations`: keys are qualified names (case-insensitively) and the total size of keys
/// and values is at most 256 KiB.
pub fn validate_annotations(
    annotations: Option<&BTreeMap<String, String>>,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let mut total: i64 = 0;
    for (k, v) in annotations.into_iter().flatten() {
        for msg in is_qualified_name(&k.to_lowercase()) {
            errs.push(FieldError::invalid(path, k.as_str(), msg));
        }
        total += (k.len() + v.len()) as i64;
    }
    if total > TOTAL_ANNOTATION_SIZE_LIMIT_B {
        errs.push(FieldError::too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT_B));
    }
    errs
}

/// An OwnerReference as `json.Marshal` writes it (field order of the Go struct, omitempty pointers).
fn owner_reference_json(r: &OwnerReference) -> String {
    let mut parts = vec![
        format!("\"apiVersion\":{}", go_json_string(&r.api_version)),
        format!("\"kind\":{}", go_json_string(&r.kind)),
        format!("\"name\":{}", go_json_string(&r.name)),
        format!("\"uid\":{}", go_json_string(&r.uid)),
    ];
    if let Some(c) = r.controller {
        parts.push(format!("\"controller\":{c}"));
    }
    if let Some(b) = r.block_owner_deletion {
        parts.push(format!("\"blockOwnerDeletion\":{b}"));
    }
    format!("{{{}}}", parts.join(","))
}

/// `schema.FromAPIVersionAndKind`: (group, version), empty when the apiVersion does not parse.
fn group_version(api_version: &str) -> (String, String) {
    let parts: Vec<&str> = api_version.split('/').collect();
    match parts.as_slice() {
        [version] => (String::new(), version.to_string()),
        [group, version] => (group.to_string(), version.to_string()),
        _ => (String::new(), String::new()),
    }
}

/// `validateOwnerReference`: errors are reported on `ownerReferences` itself, without an index.
fn validate_owner_reference(r: &OwnerReference, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let (group, version) = group_version(&r.api_version);
    if version.is_empty() {
        errs.push(FieldError::invalid(
            &path.child("apiVersion"),
            r.api_version.as_str(),
            "version must not be empty",
        ));
    }
    if r.kind.is_empty() {
        errs.push(FieldError::invalid(
            &path.child("kind"),
            r.kind.as_str(),
            "must not be empty",
        ));
    }
    if r.name.is_empty() {
        errs.push(FieldError::invalid(
            &path.child("name"),
            r.name.as_str(),
            "must not be empty",
        ));
    }
    if r.uid.is_empty() {
        errs.push(FieldError::invalid(
            &path.child("uid"),
            r.uid.as_str(),
            "must not be empty",
        ));
    }
    if group.is_empty() && version == "v1" && r.kind == "Event" {
        errs.push(FieldError::invalid(
            path,
            BadValue::Json(owner_reference_json(r)),
            "/v1, Kind=Event is disallowed from being an owner",
        ));
    }
    errs
}

/// `ValidateOwnerReferences`: each reference, and at most one controller.
pub fn validate_owner_references(refs: Option<&[OwnerReference]>, path: &Path) -> ErrorList {
    let refs = refs.unwrap_or_default();
    let mut errs = Vec::new();
    let mut first_controller: Option<String> = None;
    for r in refs {
        errs.extend(validate_owner_reference(r, path));
        if r.controller == Some(true) {
            let this = format!("{}/{}", r.kind, r.name);
            match &first_controller {
                Some(first) => {
                    let list: Vec<String> = refs.iter().map(owner_reference_json).collect();
                    errs.push(FieldError::invalid(
                        path,
                        BadValue::Json(format!("[{}]", list.join(","))),
                        format!(
                            "Only one reference can have Controller set to true. Found \"true\" in references for {first} and {this}"
                        ),
                    ));
                }
                None => first_controller = Some(this),
            }
        }
    }
    errs
}

/// `ValidateFinalizers` (apimachinery): qualified names, and not both `orphan` and
/// `foregroundDeletion`. Errors carry the list's path, without an index.
pub fn validate_finalizers(finalizers: Option<&[String]>, path: &Path) -> ErrorList {
    let finalizers = finalizers.unwrap_or_default();
    let mut errs = Vec::new();
    for f in finalizers {
        for msg in is_qualified_name(f) {
            errs.push(FieldError::invalid(path, f.as_str(), msg));
        }
    }
    let has = |name: &str| finalizers.iter().any(|f| f == name);
    if has("orphan") && has("foregroundDeletion") {
        errs.push(FieldError::invalid(
            path,
            BadValue::string_list(Some(finalizers)),
            "finalizer orphan and foregroundDeletion cannot be both set",
        ));
    }
    errs
}

/// `validateKubeFinalizerName` (core): an unqualified finalizer must be one of the standard ones.
fn validate_kube_finalizer_names(finalizers: Option<&[String]>, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for (i, f) in finalizers.unwrap_or_default().iter().enumerate() {
        if !f.contains('/') && !matches!(f.as_str(), "kubernetes" | "orphan" | "foregroundDeletion")
        {
            errs.push(FieldError::invalid(
                &path.index(i),
                f.as_str(),
                "name is neither a standard finalizer name nor is it fully qualified",
            ));
        }
    }
    errs
}

/// `ValidateManagedFields`: operations and fields types.
fn validate_managed_fields(meta: &ObjectMeta, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    for (i, entry) in meta.managed_fields.iter().flatten().enumerate() {
        let p = path.index(i);
        let op = entry.operation.as_deref().unwrap_or("");
        if op != "Apply" && op != "Update" {
            errs.push(FieldError::invalid(
                &p.child("operation"),
                op,
                "must be `Apply` or `Update`",
            ));
        }
        let ft = entry.fields_type.as_deref().unwrap_or("");
        if !ft.is_empty() && ft != "FieldsV1" {
            errs.push(FieldError::invalid(
                &p.child("fieldsType"),
                ft,
                "must be `FieldsV1`",
            ));
        }
    }
    errs
}

/// The checks create and update share (`validateObjectMetaAccessorWithOptsCommon` minus the
/// namespace part, which only create does).
fn validate_common(meta: &ObjectMeta, path: &Path, with_generation: bool) -> ErrorList {
    let mut errs = Vec::new();
    if with_generation {
        errs.extend(validate_nonnegative_field(
            meta.generation.unwrap_or(0),
            &path.child("generation"),
        ));
    }
    errs.extend(validate_labels(meta.labels.as_ref(), &path.child("labels")));
    errs.extend(validate_annotations(
        meta.annotations.as_ref(),
        &path.child("annotations"),
    ));
    errs.extend(validate_owner_references(
        meta.owner_references.as_deref(),
        &path.child("ownerReferences"),
    ));
    errs
}

/// `ValidateObjectMeta` as `pkg/apis/core/validation` calls it on create: generateName and name
/// through the kind's name function, namespace (required for namespaced kinds, forbidden
/// otherwise), generation, labels, annotations, owner references, finalizers, managed fields, and
/// finally the core rule on unqualified finalizer names.
pub fn validate_object_meta(
    meta: &ObjectMeta,
    requires_namespace: bool,
    name_fn: NameFn,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    let generate_name = meta.generate_name.as_deref().unwrap_or("");
    if !generate_name.is_empty() {
        for msg in name_fn(generate_name, true) {
            errs.push(FieldError::invalid(
                &path.child("generateName"),
                generate_name,
                msg,
            ));
        }
    }
    let name = meta.name.as_deref().unwrap_or("");
    if name.is_empty() {
        errs.push(FieldError::required(
            &path.child("name"),
            "name or generateName is required",
        ));
    } else {
        for msg in name_fn(name, false) {
            errs.push(FieldError::invalid(&path.child("name"), name, msg));
        }
    }
    let namespace = meta.namespace.as_deref().unwrap_or("");
    if requires_namespace {
        if namespace.is_empty() {
            errs.push(FieldError::required(&path.child("namespace"), ""));
        } else {
            for msg in name_is_dns_label(namespace, false) {
                errs.push(FieldError::invalid(
                    &path.child("namespace"),
                    namespace,
                    msg,
                ));
            }
        }
    } else if !namespace.is_empty() {
        errs.push(FieldError::forbidden(
            &path.child("namespace"),
            "not allowed on this type",
        ));
    }
    errs.extend(validate_common(meta, path, true));
    errs.extend(validate_finalizers(
        meta.finalizers.as_deref(),
        &path.child("finalizers"),
    ));
    errs.extend(validate_managed_fields(meta, &path.child("managedFields")));
    errs.extend(validate_kube_finalizer_names(
        meta.finalizers.as_deref(),
        &path.child("finalizers"),
    ));
    errs
}

/// A `metav1.Time` as `json.Marshal` prints it (`"2024-05-01T10:00:00Z"`), `null` when unset.
fn time_value(t: Option<&Time>) -> BadValue {
    match t.and_then(|t| serde_json::to_value(t).ok()) {
        Some(serde_json::Value::String(s)) => BadValue::Json(go_json_string(&s)),
        _ => BadValue::Null,
    }
}

/// `ValidateObjectMetaUpdate` (core): no new finalizers while deleting, a resourceVersion, no
/// decremented generation, immutable name/namespace/uid/creationTimestamp/deletionTimestamp/
/// deletionGracePeriodSeconds, then labels, annotations, owner references and finalizer names.
pub fn validate_object_meta_update(new: &ObjectMeta, old: &ObjectMeta, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if old.deletion_timestamp.is_some() {
        let old_set: std::collections::BTreeSet<&String> =
            old.finalizers.iter().flatten().collect();
        let extra: std::collections::BTreeSet<&String> = new
            .finalizers
            .iter()
            .flatten()
            .filter(|f| !old_set.contains(f))
            .collect();
        if !extra.is_empty() {
            let quoted: Vec<String> = extra.iter().map(|f| super::field::go_quote(f)).collect();
            errs.push(FieldError::forbidden(
                &path.child("finalizers"),
                format!(
                    "no new finalizers can be added if the object is being deleted, found new finalizers []string{{{}}}",
                    quoted.join(", ")
                ),
            ));
        }
    }
    let rv = new.resource_version.as_deref().unwrap_or("");
    if rv.is_empty() {
        errs.push(FieldError::invalid(
            &path.child("resourceVersion"),
            rv,
            "must be specified for an update",
        ));
    }
    let (new_gen, old_gen) = (new.generation.unwrap_or(0), old.generation.unwrap_or(0));
    if new_gen < old_gen {
        errs.push(FieldError::invalid(
            &path.child("generation"),
            new_gen,
            "must not be decremented",
        ));
    }
    let immutable_str =
        |field: &str, n: &Option<String>, o: &Option<String>, errs: &mut ErrorList| {
            let (n, o) = (n.as_deref().unwrap_or(""), o.as_deref().unwrap_or(""));
            if n != o {
                errs.push(FieldError::invalid(
                    &path.child(field),
                    n,
                    FIELD_IMMUTABLE_ERROR_MSG,
                ));
            }
        };
    immutable_str("name", &new.name, &old.name, &mut errs);
    immutable_str("namespace", &new.namespace, &old.namespace, &mut errs);
    let (new_uid, old_uid) = (
        new.uid.as_deref().unwrap_or(""),
        old.uid.as_deref().unwrap_or(""),
    );
    if new_uid != old_uid {
        // types.UID is a named string type: ErrorBody prints it through json.Marshal.
        errs.push(FieldError::invalid(
            &path.child("uid"),
            BadValue::Json(go_json_string(new_uid)),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    let same_time = |a: Option<&Time>, b: Option<&Time>| a.map(|t| t.0) == b.map(|t| t.0);
    if !same_time(
        new.creation_timestamp.as_ref(),
        old.creation_timestamp.as_ref(),
    ) {
        errs.push(FieldError::invalid(
            &path.child("creationTimestamp"),
            time_value(new.creation_timestamp.as_ref()),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    if !same_time(
        new.deletion_timestamp.as_ref(),
        old.deletion_timestamp.as_ref(),
    ) {
        errs.push(FieldError::invalid(
            &path.child("deletionTimestamp"),
            time_value(new.deletion_timestamp.as_ref()),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    if new.deletion_grace_period_seconds != old.deletion_grace_period_seconds {
        let value = new
            .deletion_grace_period_seconds
            .map_or(BadValue::Null, BadValue::Int);
        errs.push(FieldError::invalid(
            &path.child("deletionGracePeriodSeconds"),
            value,
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    errs.extend(validate_common(new, path, false));
    errs.extend(validate_managed_fields(new, &path.child("managedFields")));
    errs.extend(validate_kube_finalizer_names(
        new.finalizers.as_deref(),
        &path.child("finalizers"),
    ));
    errs
}

#[cfg(test)]
mod tests {
    use super::super::names::{name_is_dns1035_label, name_is_dns_subdomain};
    use super::*;

    fn meta(name: &str, ns: Option<&str>) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.into()),
            namespace: ns.map(Into::into),
            ..Default::default()
        }
    }

    fn msgs(errs: &ErrorList) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn invalid_pod_name_case_03() {
        let errs = validate_object_meta(
            &meta("My_Pod", Some("default")),
            true,
            name_is_dns_subdomain,
            &Path::new("metadata"),
        );
        assert_eq!(msgs(&errs), vec!["metadata.name: Invalid value: \"My_Pod\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]);
    }

    #[test]
    fn name_required_and_namespace_rules() {
        let m = ObjectMeta {
            namespace: Some("default".into()),
            ..Default::default()
        };
        let errs = validate_object_meta(&m, true, name_is_dns_subdomain, &Path::new("metadata"));
        assert_eq!(
            msgs(&errs),
            vec!["metadata.name: Required value: name or generateName is required"]
        );
        let errs = validate_object_meta(
            &meta("n1", None),
            true,
            name_is_dns_subdomain,
            &Path::new("metadata"),
        );
        assert_eq!(msgs(&errs), vec!["metadata.namespace: Required value"]);
        let errs = validate_object_meta(
            &meta("n1", Some("x")),
            false,
            name_is_dns_subdomain,
            &Path::new("metadata"),
        );
        assert_eq!(
            msgs(&errs),
            vec!["metadata.namespace: Forbidden: not allowed on this type"]
        );
    }

    #[test]
    fn generate_name_is_checked_as_a_prefix() {
        let m = ObjectMeta {
            generate_name: Some("Web-".into()),
            name: Some("web-abcde".into()),
            namespace: Some("default".into()),
            ..Default::default()
        };
        let errs = validate_object_meta(&m, true, name_is_dns1035_label, &Path::new("metadata"));
        assert_eq!(errs.len(), 1);
        assert!(errs[0]
            .to_string()
            .starts_with("metadata.generateName: Invalid value: \"Web-\": a DNS-1035 label"));
    }

    #[test]
    fn labels_report_on_the_map() {
        let mut m = meta("p", Some("default"));
        m.labels = Some(BTreeMap::from([(
            "app".to_string(),
            "bad value".to_string(),
        )]));
        let errs = validate_object_meta(&m, true, name_is_dns_subdomain, &Path::new("metadata"));
        assert_eq!(msgs(&errs), vec!["metadata.labels: Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]);
    }

    #[test]
    fn owner_references_and_finalizers() {
        let mut m = meta("p", Some("default"));
        m.owner_references = Some(vec![OwnerReference {
            api_version: "v1".into(),
            kind: "Event".into(),
            name: "e".into(),
            uid: String::new(),
            ..Default::default()
        }]);
        m.finalizers = Some(vec!["custom".into()]);
        let errs = validate_object_meta(&m, true, name_is_dns_subdomain, &Path::new("metadata"));
        assert_eq!(
            msgs(&errs),
            vec![
                "metadata.ownerReferences.uid: Invalid value: \"\": must not be empty".to_string(),
                "metadata.ownerReferences: Invalid value: {\"apiVersion\":\"v1\",\"kind\":\"Event\",\"name\":\"e\",\"uid\":\"\"}: /v1, Kind=Event is disallowed from being an owner".to_string(),
                "metadata.finalizers[0]: Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified".to_string(),
            ]
        );
    }

    #[test]
    fn update_keeps_identity_fields() {
        let mut old = meta("a", Some("default"));
        old.uid = Some("u1".into());
        old.resource_version = Some("5".into());
        let mut new = meta("b", Some("default"));
        new.uid = Some("u2".into());
        new.resource_version = Some("5".into());
        let errs = validate_object_meta_update(&new, &old, &Path::new("metadata"));
        assert_eq!(
            msgs(&errs),
            vec![
                "metadata.name: Invalid value: \"b\": field is immutable".to_string(),
                "metadata.uid: Invalid value: \"u2\": field is immutable".to_string(),
            ]
        );
        new.resource_version = None;
        new.name = Some("a".into());
        new.uid = Some("u1".into());
        let errs = validate_object_meta_update(&new, &old, &Path::new("metadata"));
        assert_eq!(
            msgs(&errs),
            vec!["metadata.resourceVersion: Invalid value: \"\": must be specified for an update"]
        );
    }
}
