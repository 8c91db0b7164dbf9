//! PriorityClass validation: `ValidatePriorityClass` and `ValidatePriorityClassUpdate` of
//! `pkg/apis/scheduling/validation/validation.go`, with the system classes of
//! `pkg/apis/scheduling/v1/helpers.go` (`IsKnownSystemPriorityClass`).

use k8s_openapi::api::scheduling::v1::PriorityClass;

use super::field::{BadValue, ErrorList, FieldError, Path};
use super::meta::{validate_object_meta, validate_object_meta_update, FIELD_IMMUTABLE_ERROR_MSG};
use super::names::name_is_dns_subdomain;

/// `scheduling.HighestUserDefinablePriority`.
pub const HIGHEST_USER_DEFINABLE_PRIORITY: i32 = 1_000_000_000;
/// `scheduling.SystemPriorityClassPrefix`.
const SYSTEM_PREFIX: &str = "system-";
/// The system priority classes: name, value (SystemCriticalPriority and 1000 more), and neither
/// is the global default.
const SYSTEM_CLASSES: &[(&str, i32)] = &[
    ("system-node-critical", 2_000_001_000),
    ("system-cluster-critical", 2_000_000_000),
];

/// `IsKnownSystemPriorityClass`: `Err` carries its error text.
fn known_system_class(name: &str, value: i32, global_default: bool) -> Result<(), String> {
    let Some((_, expected)) = SYSTEM_CLASSES.iter().find(|(n, _)| *n == name) else {
        return Err(format!("{name} is not a known system priority class"));
    };
    if *expected != value {
        return Err(format!("value of {name} PriorityClass must be {expected}"));
    }
    if global_default {
        return Err(format!(
            "globalDefault of {name} PriorityClass must be false"
        ));
    }
    Ok(())
}

/// `ValidatePreemptionPolicy`.
fn validate_preemption_policy(policy: &str, path: &Path) -> ErrorList {
    match policy {
        "PreemptLowerPriority" | "Never" => Vec::new(),
        "" => vec![FieldError::required(path, "")],
        other => vec![FieldError::not_supported(
            path,
            BadValue::named(other),
            &["PreemptLowerPriority", "Never"],
        )],
    }
}

/// `ValidatePriorityClass`: cluster-scoped metadata; a `system-` name must be a known system
/// class with its value; other classes may not go above one billion.
pub fn validate_priority_class(pc: &PriorityClass) -> ErrorList {
    let mut errs = validate_object_meta(
        &pc.metadata,
        false,
        name_is_dns_subdomain,
        &Path::new("metadata"),
    );
    let name = pc.metadata.name.as_deref().unwrap_or("");
    if name.starts_with(SYSTEM_PREFIX) {
        if let Err(e) = known_system_class(
            name,
            pc.value.unwrap_or(0),
            pc.global_default.unwrap_or(false),
        ) {
            errs.push(FieldError::forbidden(
                &Path::new("metadata").child("name"),
                format!("priority class names with '{SYSTEM_PREFIX}' prefix are reserved for system use only. error: {e}"),
            ));
        }
    } else if pc.value.unwrap_or(0) > HIGHEST_USER_DEFINABLE_PRIORITY {
        errs.push(FieldError::forbidden(
            &Path::new("value"),
            format!(
                "maximum allowed value of a user defined priority is {HIGHEST_USER_DEFINABLE_PRIORITY}"
            ),
        ));
    }
    if let Some(policy) = pc.preemption_policy.as_deref() {
        errs.extend(validate_preemption_policy(
            policy,
            &Path::new("preemptionPolicy"),
        ));
    }
    errs
}

/// `ValidatePriorityClassUpdate`: value and preemption policy may not change.
pub fn validate_priority_class_update(new: &PriorityClass, old: &PriorityClass) -> ErrorList {
    let mut errs =
        validate_object_meta_update(&new.metadata, &old.metadata, &Path::new("metadata"));
    if new.value.unwrap_or(0) != old.value.unwrap_or(0) {
        errs.push(FieldError::forbidden(
            &Path::new("value"),
            "may not be changed in an update.",
        ));
    }
    if new.preemption_policy != old.preemption_policy {
        errs.push(FieldError::invalid(
            &Path::new("preemptionPolicy"),
            new.preemption_policy
                .as_deref()
                .map_or(BadValue::Null, BadValue::named),
            FIELD_IMMUTABLE_ERROR_MSG,
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn class(name: &str, value: i64) -> PriorityClass {
        serde_json::from_value(json!({"metadata": {"name": name, "resourceVersion": "1"}, "value": value, "preemptionPolicy": "PreemptLowerPriority"}))
            .unwrap_or_default()
    }

    fn messages(errs: &ErrorList) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn user_classes_stay_below_a_billion() {
        assert!(validate_priority_class(&class("high-priority", 1_000_000)).is_empty());
        assert_eq!(
            messages(&validate_priority_class(&class("huge", 1_000_000_001))),
            vec![
                "value: Forbidden: maximum allowed value of a user defined priority is 1000000000"
            ]
        );
    }

    #[test]
    fn the_system_prefix_is_reserved() {
        assert_eq!(
            messages(&validate_priority_class(&class("system-mine", 5))),
            vec!["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class"]
        );
        assert!(
            validate_priority_class(&class("system-cluster-critical", 2_000_000_000)).is_empty()
        );
    }

    #[test]
    fn the_value_is_immutable() {
        let old = class("high", 10);
        let new = class("high", 11);
        assert_eq!(
            messages(&validate_priority_class_update(&new, &old)),
            vec!["value: Forbidden: may not be changed in an update."]
        );
    }
}
