//! ConfigMap validation: `ValidateConfigMap` and `ValidateConfigMapUpdate` of
//! `pkg/apis/core/validation/validation.go`: config keys, no key in both `data` and `binaryData`,
//! at most 1 MiB of values, and immutability once `immutable: true`.

use k8s_openapi::api::core::v1::ConfigMap;

use super::field::{ErrorList, FieldError, Path};
use super::meta::{validate_object_meta, validate_object_meta_update};
use super::names::{is_config_map_key, name_is_dns_subdomain};

/// `core.MaxSecretSize`, the limit for config maps too.
pub const MAX_CONFIG_MAP_SIZE: i64 = 1024 * 1024;

/// `ValidateConfigMap`. The size error is reported on `field.NewPath("")`, which Go renders `[]`.
pub fn validate_config_map(cm: &ConfigMap) -> ErrorList {
    let mut errs = validate_object_meta(
        &cm.metadata,
        true,
        name_is_dns_subdomain,
        &Path::new("metadata"),
    );
    let mut total: i64 = 0;
    let data_path = Path::new("data");
    for (key, value) in cm.data.iter().flatten() {
        for msg in is_config_map_key(key) {
            errs.push(FieldError::invalid(&data_path.key(key), key.as_str(), msg));
        }
        if cm.binary_data.as_ref().is_some_and(|b| b.contains_key(key)) {
            errs.push(FieldError::invalid(
                &data_path.key(key),
                key.as_str(),
                "duplicate of key present in binaryData",
            ));
        }
        total += value.len() as i64;
    }
    let binary_path = Path::new("binaryData");
    for (key, value) in cm.binary_data.iter().flatten() {
        for msg in is_config_map_key(key) {
            errs.push(FieldError::invalid(
                &binary_path.key(key),
                key.as_str(),
                msg,
            ));
        }
        total += value.0.len() as i64;
    }
    if total > MAX_CONFIG_MAP_SIZE {
        errs.push(FieldError::too_long(&Path::new(""), MAX_CONFIG_MAP_SIZE));
    }
    errs
}

/// `ValidateConfigMapUpdate`.
pub fn validate_config_map_update(new: &ConfigMap, old: &ConfigMap) -> ErrorList {
    let mut errs =
        validate_object_meta_update(&new.metadata, &old.metadata, &Path::new("metadata"));
    if old.immutable == Some(true) {
        const MSG: &str = "field is immutable when `immutable` is set";
        if new.immutable != Some(true) {
            errs.push(FieldError::forbidden(&Path::new("immutable"), MSG));
        }
        let empty = Default::default();
        if new.data.as_ref().unwrap_or(&empty) != old.data.as_ref().unwrap_or(&empty) {
            errs.push(FieldError::forbidden(&Path::new("data"), MSG));
        }
        let (nb, ob) = (
            new.binary_data.clone().unwrap_or_default(),
            old.binary_data.clone().unwrap_or_default(),
        );
        if nb != ob {
            errs.push(FieldError::forbidden(&Path::new("binaryData"), MSG));
        }
    }
    errs.extend(validate_config_map(new));
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cm(v: serde_json::Value) -> ConfigMap {
        serde_json::from_value(v).unwrap()
    }

    fn messages(errs: &ErrorList) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn keys_and_duplicates() {
        let c = cm(json!({"metadata": {"name": "c", "namespace": "default"},
            "data": {"game.properties": "x", "bad/key": "y", "dup": "z"},
            "binaryData": {"dup": "aGk="}}));
        assert_eq!(
            messages(&validate_config_map(&c)),
            vec![
                "data[bad/key]: Invalid value: \"bad/key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
                "data[dup]: Invalid value: \"dup\": duplicate of key present in binaryData",
            ]
        );
    }

    #[test]
    fn size_limit_reports_on_the_empty_path() {
        let c = cm(
            json!({"metadata": {"name": "c", "namespace": "default"}, "data": {"big": "x".repeat(1024 * 1024 + 1)}}),
        );
        assert_eq!(
            messages(&validate_config_map(&c)),
            vec!["[]: Too long: may not be more than 1048576 bytes"]
        );
    }

    #[test]
    fn immutable_config_maps() {
        let old = cm(
            json!({"metadata": {"name": "c", "namespace": "default", "resourceVersion": "1"},
            "data": {"a": "1"}, "immutable": true}),
        );
        let mut new = old.clone();
        new.data = Some([("a".to_string(), "2".to_string())].into());
        assert_eq!(
            messages(&validate_config_map_update(&new, &old)),
            vec!["data: Forbidden: field is immutable when `immutable` is set"]
        );
    }
}
