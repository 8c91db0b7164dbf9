//! Node validation: `ValidateNode` and `ValidateNodeUpdate` of
//! `pkg/apis/core/validation/validation.go` (v1.36). Taint errors are reported under
//! `metadata.taints[i]`: the Go code builds that path from the metadata path, and podlab keeps it.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Node, Taint};

use super::field::{go_json_string, BadValue, ErrorList, FieldError, Path};
use super::meta::{validate_label_name, validate_object_meta, validate_object_meta_update};
use super::names::{
    is_valid_cidr_for_legacy_field, is_valid_label_value, name_is_dns_subdomain, parse_cidr_sloppy,
};
use super::pod::validate_taint_effect;
use super::quantity::Quantity;

/// `ValidateNode`.
pub fn validate_node(node: &Node) -> ErrorList {
    let meta_path = Path::new("metadata");
    let mut errs = validate_object_meta(&node.metadata, false, name_is_dns_subdomain, &meta_path);
    let taints = taints(node);
    if !taints.is_empty() {
        errs.extend(validate_node_taints(taints, &meta_path.child("taints")));
    }
    errs.extend(validate_node_resources(node));
    let cidrs = pod_cidrs(node);
    if !cidrs.is_empty() {
        let path = Path::new("spec").child("podCIDRs");
        for (i, cidr) in cidrs.iter().enumerate() {
            for msg in is_valid_cidr_for_legacy_field(cidr) {
                errs.push(FieldError::invalid(&path.index(i), cidr.as_str(), msg));
            }
        }
        if cidrs.len() > 1 {
            let v6 = cidrs
                .iter()
                .filter(|c| parse_cidr_sloppy(c).is_some_and(|(ip, _)| ip.is_ipv6()))
                .count();
            if cidrs.len() > 2 || v6 != 1 {
                errs.push(FieldError::invalid(
                    &path,
                    BadValue::string_list(Some(&cidrs)),
                    "may specify no more than one CIDR for each IP family",
                ));
            }
        }
    }
    errs
}

fn taints(node: &Node) -> &[Taint] {
    node.spec
        .as_ref()
        .and_then(|s| s.taints.as_deref())
        .unwrap_or_default()
}

/// The node's pod CIDRs as the internal type holds them (`podCIDRs`, or `[podCIDR]`).
fn pod_cidrs(node: &Node) -> Vec<String> {
    let Some(spec) = node.spec.as_ref() else {
        return Vec::new();
    };
    match (&spec.pod_cidrs, &spec.pod_cidr) {
        (Some(list), _) if !list.is_empty() => list.clone(),
        (_, Some(one)) if !one.is_empty() => vec![one.clone()],
        _ => Vec::new(),
    }
}

/// `validateNodeTaints`.
pub fn validate_node_taints(taints: &[Taint], path: &Path) -> ErrorList {
    let mut errs = Vec::new();
    let mut unique: BTreeSet<(String, String)> = BTreeSet::new();
    for (i, t) in taints.iter().enumerate() {
        let p = path.index(i);
        errs.extend(validate_label_name(&t.key, &p.child("key")));
        let value = t.value.as_deref().unwrap_or("");
        let msgs = is_valid_label_value(value);
        if !msgs.is_empty() {
            errs.push(FieldError::invalid(
                &p.child("value"),
                value,
                msgs.join(";"),
            ));
        }
        errs.extend(validate_taint_effect(&t.effect, false, &p.child("effect")));
        if !unique.insert((t.effect.clone(), t.key.clone())) {
            // The value is an internal core.Taint: Go field names, no omitempty.
            let time_added = t
                .time_added
                .as_ref()
                .and_then(|ta| serde_json::to_value(ta).ok())
                .map_or("null".to_string(), |v| super::field::go_json(&v));
            let json = format!(
                "{{\"Key\":{},\"Value\":{},\"Effect\":{},\"TimeAdded\":{}}}",
                go_json_string(&t.key),
                go_json_string(value),
                go_json_string(&t.effect),
                time_added
            );
            let mut e = FieldError::duplicate(&p, BadValue::Json(json));
            e.detail = "taints must be unique by key and effect pair".into();
            errs.push(e);
        }
    }
    errs
}

/// `ValidateNodeResources`: capacity and allocatable quantities (`status.capacity.cpu`, ...).
fn validate_node_resources(node: &Node) -> ErrorList {
    let mut errs = Vec::new();
    let Some(status) = node.status.as_ref() else {
        return errs;
    };
    for (field, list) in [
        ("capacity", &status.capacity),
        ("allocatable", &status.allocatable),
    ] {
        for (k, v) in list.iter().flatten() {
            let Ok(q) = Quantity::parse(&v.0) else {
                continue;
            };
            let p = Path::new("status").child(field).child(k);
            if q.is_negative() {
                errs.push(FieldError::invalid(
                    &p,
                    q.canonical(),
                    super::meta::IS_NEGATIVE_ERROR_MSG,
                ));
            }
        }
    }
    errs
}

/// `ValidateNodeUpdate`.
pub fn validate_node_update(node: &Node, old: &Node) -> ErrorList {
    let meta_path = Path::new("metadata");
    let mut errs = validate_object_meta_update(&node.metadata, &old.metadata, &meta_path);
    errs.extend(validate_node_resources(node));
    let mut seen = BTreeSet::new();
    for (i, a) in node
        .status
        .iter()
        .flat_map(|s| s.addresses.iter().flatten())
        .enumerate()
    {
        if !seen.insert((a.type_.clone(), a.address.clone())) {
            let json = format!(
                "{{\"Type\":{},\"Address\":{}}}",
                go_json_string(&a.type_),
                go_json_string(&a.address)
            );
            errs.push(FieldError::duplicate(
                &Path::new("status").child("addresses").index(i),
                BadValue::Json(json),
            ));
        }
    }
    let (old_cidrs, new_cidrs) = (pod_cidrs(old), pod_cidrs(node));
    if !old_cidrs.is_empty() {
        const MSG: &str = "node updates may not change podCIDR except from \"\" to valid";
        let path = Path::new("spec").child("podCIDRs");
        if old_cidrs.len() != new_cidrs.len() {
            errs.push(FieldError::forbidden(&path, MSG));
        } else {
            for (o, n) in old_cidrs.iter().zip(&new_cidrs) {
                if o != n {
                    errs.push(FieldError::forbidden(&path, MSG));
                }
            }
        }
    }
    let provider = |n: &Node| {
        n.spec
            .as_ref()
            .and_then(|s| s.provider_id.clone())
            .unwrap_or_default()
    };
    if !provider(old).is_empty() && provider(old) != provider(node) {
        errs.push(FieldError::forbidden(
            &Path::new("spec").child("providerID"),
            "node updates may not change providerID except from \"\" to valid",
        ));
    }
    let taints = taints(node);
    if !taints.is_empty() {
        errs.extend(validate_node_taints(taints, &meta_path.child("taints")));
    }
    let external = |n: &Node| {
        n.spec
            .as_ref()
            .and_then(|s| s.external_id.clone())
            .unwrap_or_default()
    };
    if external(node) != external(old) {
        errs.push(FieldError::forbidden(
            &Path::new("spec").child("externalID"),
            "may not be updated",
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(spec: serde_json::Value) -> Node {
        serde_json::from_value(json!({"metadata": {"name": "worker-1"}, "spec": spec})).unwrap()
    }

    fn messages(errs: &ErrorList) -> Vec<String> {
        errs.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn valid_node() {
        let n = node(
            json!({"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"],
            "taints": [{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}]}),
        );
        assert_eq!(messages(&validate_node(&n)), Vec::<String>::new());
    }

    #[test]
    fn namespace_is_forbidden_and_cidrs_checked() {
        let mut n = node(json!({"podCIDRs": ["10.244.1.0/33"]}));
        n.metadata.namespace = Some("default".into());
        assert_eq!(
            messages(&validate_node(&n)),
            vec![
                "metadata.namespace: Forbidden: not allowed on this type",
                "spec.podCIDRs[0]: Invalid value: \"10.244.1.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
            ]
        );
    }

    #[test]
    fn taints() {
        let n = node(json!({"taints": [
            {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"},
            {"key": "dedicated", "value": "x", "effect": "NoSchedule"},
            {"key": "k", "effect": ""},
            {"key": "k2", "effect": "Never"},
        ]}));
        assert_eq!(
            messages(&validate_node(&n)),
            vec![
                "metadata.taints[1]: Duplicate value: {\"Key\":\"dedicated\",\"Value\":\"x\",\"Effect\":\"NoSchedule\",\"TimeAdded\":null}: taints must be unique by key and effect pair",
                "metadata.taints[2].effect: Required value",
                "metadata.taints[3].effect: Unsupported value: \"Never\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
            ]
        );
    }

    #[test]
    fn pod_cidr_cannot_change() {
        let mut old = node(json!({"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"]}));
        old.metadata.resource_version = Some("1".into());
        let mut new = old.clone();
        new.spec.as_mut().unwrap().pod_cidrs = Some(vec!["10.244.2.0/24".into()]);
        assert_eq!(
            messages(&validate_node_update(&new, &old)),
            vec!["spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to valid"]
        );
    }
}
