//! Namespace validation: `ValidateNamespace` and `ValidateNamespaceUpdate` of
//! `pkg/apis/core/validation/validation.go`. Namespace names are RFC 1123 labels.

use k8s_openapi::api::core::v1::Namespace;

use super::field::{ErrorList, FieldError, Path};
use super::meta::{validate_object_meta, validate_object_meta_update};
use super::names::{is_qualified_name, name_is_dns_label};

/// `ValidateNamespace`: metadata (not namespaced) and `spec.finalizers` names. Finalizer errors
/// carry the list's path, without an index, as in Go.
pub fn validate_namespace(ns: &Namespace) -> ErrorList {
    let mut errs = validate_object_meta(
        &ns.metadata,
        false,
        name_is_dns_label,
        &Path::new("metadata"),
    );
    let path = Path::new("spec").child("finalizers");
    for f in ns.spec.iter().flat_map(|s| s.finalizers.iter().flatten()) {
        for msg in is_qualified_name(f) {
            errs.push(FieldError::invalid(&path, f.as_str(), msg));
        }
        if !f.contains('/') && !matches!(f.as_str(), "kubernetes" | "orphan" | "foregroundDeletion")
        {
            errs.push(FieldError::invalid(
                &path,
                f.as_str(),
                "name is neither a standard finalizer name nor is it fully qualified",
            ));
        }
    }
    errs
}

/// `ValidateNamespaceUpdate`: only the metadata update rules.
pub fn validate_namespace_update(new: &Namespace, old: &Namespace) -> ErrorList {
    validate_object_meta_update(&new.metadata, &old.metadata, &Path::new("metadata"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn namespace_names_are_labels() {
        let ns: Namespace =
            serde_json::from_value(json!({"metadata": {"name": "team.a"}})).unwrap();
        let errs: Vec<String> = validate_namespace(&ns)
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            errs,
            vec!["metadata.name: Invalid value: \"team.a\": must not contain dots"]
        );
        let ns: Namespace = serde_json::from_value(
            json!({"metadata": {"name": "dev"}, "spec": {"finalizers": ["kubernetes"]}}),
        )
        .unwrap();
        assert!(validate_namespace(&ns).is_empty());
    }

    #[test]
    fn unqualified_finalizers() {
        let ns: Namespace = serde_json::from_value(
            json!({"metadata": {"name": "dev"}, "spec": {"finalizers": ["mine"]}}),
        )
        .unwrap();
        let errs: Vec<String> = validate_namespace(&ns)
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            errs,
            vec!["spec.finalizers: Invalid value: \"mine\": name is neither a standard finalizer name nor is it fully qualified"]
        );
    }
}
