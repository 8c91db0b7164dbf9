//! The storage strategy of the RBAC kinds (Role, ClusterRole, RoleBinding, ClusterRoleBinding):
//! their v1 defaults (pkg/apis/rbac/v1/defaults.go) and validation
//! (pkg/apis/rbac/validation/validation.go). Names are path segments, not DNS names: a role may
//! be called `system:controller:node-controller`.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::Value;

use crate::apiserver::bootstrap::RBAC_GROUP;
use crate::apiserver::validation::field::{go_json_string, BadValue, ErrorList, FieldError, Path};
use crate::apiserver::validation::meta::{validate_object_meta, validate_object_meta_update};
use crate::apiserver::validation::names::name_is_dns_subdomain;

/// The kinds this strategy covers.
pub fn is_rbac_kind(kind: &str) -> bool {
    matches!(
        kind,
        "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding"
    )
}

/// SetDefaults_RoleBinding / SetDefaults_ClusterRoleBinding (roleRef.apiGroup) and
/// SetDefaults_Subject (apiGroup of User and Group subjects).
pub fn apply_defaults(kind: &str, obj: &mut Value) {
    if !matches!(kind, "RoleBinding" | "ClusterRoleBinding") {
        return;
    }
    if let Some(role_ref) = obj.get_mut("roleRef").and_then(Value::as_object_mut) {
        let empty = role_ref
            .get("apiGroup")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .is_empty();
        if empty {
            role_ref.insert("apiGroup".into(), Value::String(RBAC_GROUP.into()));
        }
    }
    let subjects = obj.get_mut("subjects").and_then(Value::as_array_mut);
    for subject in subjects
        .into_iter()
        .flatten()
        .filter_map(Value::as_object_mut)
    {
        let kind = subject
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let empty = subject
            .get("apiGroup")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .is_empty();
        if empty && matches!(kind, "User" | "Group") {
            subject.insert("apiGroup".into(), Value::String(RBAC_GROUP.into()));
        }
    }
}

/// path.IsValidPathSegmentName, the names of roles and bindings (minimalNameRequirements).
pub fn path_segment_name(name: &str, _prefix: bool) -> Vec<String> {
    if name == "." || name == ".." {
        return vec![format!("may not be '{name}'")];
    }
    ["/", "%"]
        .iter()
        .filter(|bad| name.contains(**bad))
        .map(|bad| format!("may not contain '{bad}'"))
        .collect()
}

fn metadata(obj: &Value) -> ObjectMeta {
    obj.get("metadata")
        .and_then(|m| serde_json::from_value(m.clone()).ok())
        .unwrap_or_default()
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn count(v: &Value, key: &str) -> usize {
    v.get(key).and_then(Value::as_array).map_or(0, Vec::len)
}

fn string_list(v: &Value, key: &str) -> BadValue {
    let items: Option<Vec<String>> = v.get(key).and_then(Value::as_array).map(|a| {
        a.iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    });
    BadValue::string_list(items.as_deref())
}

/// validatePolicyRule.
fn validate_rule(rule: &Value, namespaced: bool, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    if count(rule, "verbs") == 0 {
        errs.push(FieldError::required(
            &path.child("verbs"),
            "verbs must contain at least one value",
        ));
    }
    if count(rule, "nonResourceURLs") > 0 {
        let urls = path.child("nonResourceURLs");
        if namespaced {
            errs.push(FieldError::invalid(
                &urls,
                string_list(rule, "nonResourceURLs"),
                "namespaced rules cannot apply to non-resource URLs",
            ));
        }
        if count(rule, "apiGroups") > 0
            || count(rule, "resources") > 0
            || count(rule, "resourceNames") > 0
        {
            errs.push(FieldError::invalid(
                &urls,
                string_list(rule, "nonResourceURLs"),
                "rules cannot apply to both regular resources and non-resource URLs",
            ));
        }
        return errs;
    }
    if count(rule, "apiGroups") == 0 {
        errs.push(FieldError::required(
            &path.child("apiGroups"),
            "resource rules must supply at least one api group",
        ));
    }
    if count(rule, "resources") == 0 {
        errs.push(FieldError::required(
            &path.child("resources"),
            "resource rules must supply at least one resource",
        ));
    }
    if count(rule, "resourceNames") > 0 && count(rule, "resources") > 1 {
        errs.push(FieldError::required(
            &path.child("resourceNames"),
            "resource names cannot apply to multiple resources",
        ));
    }
    errs
}

/// ValidateRole / ValidateClusterRole.
fn validate_role(obj: &Value, namespaced: bool) -> ErrorList {
    let mut errs = validate_object_meta(
        &metadata(obj),
        namespaced,
        path_segment_name,
        &Path::new("metadata"),
    );
    let rules = obj.get("rules").and_then(Value::as_array);
    for (i, rule) in rules.into_iter().flatten().enumerate() {
        errs.extend(validate_rule(
            rule,
            namespaced,
            &Path::new("rules").index(i),
        ));
    }
    errs
}

/// validateRoleBindingSubject.
fn validate_subject(subject: &Value, namespaced: bool, path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let name = text(subject, "name");
    let group = text(subject, "apiGroup");
    if name.is_empty() {
        errs.push(FieldError::required(&path.child("name"), ""));
    }
    match text(subject, "kind") {
        "ServiceAccount" => {
            if !name.is_empty() {
                for msg in name_is_dns_subdomain(name, false) {
                    errs.push(FieldError::invalid(&path.child("name"), name, msg));
                }
            }
            if !group.is_empty() {
                errs.push(FieldError::not_supported(
                    &path.child("apiGroup"),
                    group,
                    &[""],
                ));
            }
            if !namespaced && text(subject, "namespace").is_empty() {
                errs.push(FieldError::required(&path.child("namespace"), ""));
            }
        }
        kind @ ("User" | "Group") => {
            if name.is_empty() {
                let what = if kind == "User" { "user" } else { "group" };
                errs.push(FieldError::invalid(
                    &path.child("name"),
                    name,
                    format!("{what} name cannot be empty"),
                ));
            }
            if group != RBAC_GROUP {
                errs.push(FieldError::not_supported(
                    &path.child("apiGroup"),
                    group,
                    &[RBAC_GROUP],
                ));
            }
        }
        other => errs.push(FieldError::not_supported(
            &path.child("kind"),
            other,
            &["ServiceAccount", "User", "Group"],
        )),
    }
    errs
}

/// ValidateRoleBinding / ValidateClusterRoleBinding.
fn validate_binding(obj: &Value, namespaced: bool) -> ErrorList {
    let mut errs = validate_object_meta(
        &metadata(obj),
        namespaced,
        path_segment_name,
        &Path::new("metadata"),
    );
    let role_ref = obj.get("roleRef").cloned().unwrap_or(Value::Null);
    let ref_path = Path::new("roleRef");
    let group = text(&role_ref, "apiGroup");
    if group != RBAC_GROUP {
        errs.push(FieldError::not_supported(
            &ref_path.child("apiGroup"),
            group,
            &[RBAC_GROUP],
        ));
    }
    let kinds: &[&str] = if namespaced {
        &["Role", "ClusterRole"]
    } else {
        &["ClusterRole"]
    };
    let kind = text(&role_ref, "kind");
    if !kinds.contains(&kind) {
        errs.push(FieldError::not_supported(
            &ref_path.child("kind"),
            kind,
            kinds,
        ));
    }
    let name = text(&role_ref, "name");
    if name.is_empty() {
        errs.push(FieldError::required(&ref_path.child("name"), ""));
    }
    for msg in path_segment_name(name, false)
        .into_iter()
        .filter(|_| !name.is_empty())
    {
        errs.push(FieldError::invalid(&ref_path.child("name"), name, msg));
    }
    let subjects = obj.get("subjects").and_then(Value::as_array);
    for (i, subject) in subjects.into_iter().flatten().enumerate() {
        errs.extend(validate_subject(
            subject,
            namespaced,
            &Path::new("subjects").index(i),
        ));
    }
    errs
}

/// The validation of a new object of an RBAC kind (empty for other kinds).
pub fn validate_create(kind: &str, obj: &Value) -> ErrorList {
    match kind {
        "Role" => validate_role(obj, true),
        "ClusterRole" => validate_role(obj, false),
        "RoleBinding" => validate_binding(obj, true),
        "ClusterRoleBinding" => validate_binding(obj, false),
        _ => Vec::new(),
    }
}

/// The internal `rbac.RoleRef` as the error prints it (json.Marshal of a struct without tags).
fn role_ref_value(role_ref: &Value) -> BadValue {
    BadValue::Json(format!(
        "{{\"APIGroup\":{},\"Kind\":{},\"Name\":{}}}",
        go_json_string(text(role_ref, "apiGroup")),
        go_json_string(text(role_ref, "kind")),
        go_json_string(text(role_ref, "name"))
    ))
}

/// The validation of an update: the object's own rules, its metadata update, and for bindings an
/// unchanged roleRef (`cannot change roleRef`: delete and recreate the binding instead).
pub fn validate_update(kind: &str, new: &Value, old: &Value) -> ErrorList {
    if !is_rbac_kind(kind) {
        return Vec::new();
    }
    let mut errs = validate_create(kind, new);
    errs.extend(validate_object_meta_update(
        &metadata(new),
        &metadata(old),
        &Path::new("metadata"),
    ));
    if kind.ends_with("Binding") {
        let (new_ref, old_ref) = (new.get("roleRef"), old.get("roleRef"));
        if new_ref != old_ref {
            let shown = role_ref_value(new_ref.unwrap_or(&Value::Null));
            errs.push(FieldError::invalid(
                &Path::new("roleRef"),
                shown,
                "cannot change roleRef",
            ));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn bodies(errs: &ErrorList) -> Vec<String> {
        errs.iter()
            .map(|e| format!("{}: {}", e.field, e.body()))
            .collect()
    }

    #[test]
    fn names_are_path_segments() {
        assert!(path_segment_name("system:controller:node-controller", false).is_empty());
        assert_eq!(path_segment_name("..", false), vec!["may not be '..'"]);
        assert_eq!(
            path_segment_name("a/b%c", false),
            vec!["may not contain '/'", "may not contain '%'"]
        );
    }

    #[test]
    fn rules_need_verbs_groups_and_resources() {
        let role = json!({"metadata": {"name": "r", "namespace": "default"}, "rules": [{"resources": ["pods"]}]});
        assert_eq!(
            bodies(&validate_create("Role", &role)),
            vec![
                "rules[0].verbs: Required value: verbs must contain at least one value",
                "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
            ]
        );
        let urls = json!({"metadata": {"name": "r", "namespace": "default"}, "rules": [{"verbs": ["get"], "nonResourceURLs": ["/healthz"]}]});
        assert_eq!(
            bodies(&validate_create("Role", &urls)),
            vec!["rules[0].nonResourceURLs: Invalid value: [\"/healthz\"]: namespaced rules cannot apply to non-resource URLs"]
        );
    }

    #[test]
    fn bindings_defaults_and_subjects() {
        let mut binding = json!({
            "metadata": {"name": "read-pods", "namespace": "default"},
            "roleRef": {"kind": "Role", "name": "pod-reader"},
            "subjects": [{"kind": "User", "name": "jane"}, {"kind": "Robot", "name": "r2"}]
        });
        apply_defaults("RoleBinding", &mut binding);
        assert_eq!(binding["roleRef"]["apiGroup"], "rbac.authorization.k8s.io");
        assert_eq!(
            binding["subjects"][0]["apiGroup"],
            "rbac.authorization.k8s.io"
        );
        assert_eq!(
            bodies(&validate_create("RoleBinding", &binding)),
            vec!["subjects[1].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\""]
        );
        let mut cluster = binding.clone();
        cluster["metadata"] = json!({"name": "read-pods"});
        cluster["subjects"] = json!([{"kind": "ServiceAccount", "name": "builder"}]);
        assert_eq!(
            bodies(&validate_create("ClusterRoleBinding", &cluster)),
            vec![
                "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
                "subjects[0].namespace: Required value",
            ]
        );
    }

    #[test]
    fn role_ref_is_immutable() {
        let old = json!({"metadata": {"name": "b", "namespace": "default", "resourceVersion": "5"},
                         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "a"}});
        let mut new = old.clone();
        new["roleRef"]["name"] = json!("b");
        assert_eq!(
            bodies(&validate_update("RoleBinding", &new, &old)),
            vec!["roleRef: Invalid value: {\"APIGroup\":\"rbac.authorization.k8s.io\",\"Kind\":\"Role\",\"Name\":\"b\"}: cannot change roleRef"]
        );
    }
}
