//! `kubectl describe namespace|configmap|secret|serviceaccount` (describe.go NamespaceDescriber,
//! ConfigMapDescriber, SecretDescriber, ServiceAccountDescriber).

use jiff::Timestamp;
use serde_json::Value;

use super::events::{describe_events, events_for};
use super::writer::{PrefixWriter, LEVEL_0, LEVEL_1};
use super::{format_rfc1123z, print_annotations_multiline, print_labels_multiline};
use crate::kubectl::printers::object::{list_at, map_at, str_at};
use crate::kubectl::printers::quantity::Quantity;

/// describeNamespace: name, labels, annotations, phase, conditions, then the namespace's
/// ResourceQuotas (DescribeResourceQuotas) and LimitRanges (DescribeLimitRanges).
pub fn describe_namespace(ns: &Value, quotas: &[Value], limit_ranges: &[Value]) -> String {
    let mut w = PrefixWriter::new();
    w.write(
        LEVEL_0,
        &format!("Name:\t{}\n", str_at(ns, &["metadata", "name"])),
    );
    print_labels_multiline(&mut w, "Labels", map_at(ns, &["metadata", "labels"]));
    print_annotations_multiline(
        &mut w,
        "Annotations",
        map_at(ns, &["metadata", "annotations"]),
    );
    w.write(
        LEVEL_0,
        &format!("Status:\t{}\n", str_at(ns, &["status", "phase"])),
    );
    let conditions = list_at(ns, &["status", "conditions"]);
    if !conditions.is_empty() {
        w.write(LEVEL_0, "Conditions:\n");
        w.write(
            LEVEL_1,
            "Type\tStatus\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(
            LEVEL_1,
            "----\t------\t------------------\t------\t-------\n",
        );
        for c in conditions {
            w.write(
                LEVEL_1,
                &format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    str_at(c, &["type"]),
                    str_at(c, &["status"]),
                    format_rfc1123z(str_at(c, &["lastTransitionTime"])),
                    str_at(c, &["reason"]),
                    str_at(c, &["message"])
                ),
            );
        }
    }
    w.write(LEVEL_0, "\n");
    describe_resource_quotas(quotas, &mut w);
    w.write(LEVEL_0, "\n");
    describe_limit_ranges(limit_ranges, &mut w);
    w.finish()
}

/// DescribeResourceQuotas: each quota (by name) with its hard resources (sorted) and their use.
fn describe_resource_quotas(quotas: &[Value], w: &mut PrefixWriter) {
    if quotas.is_empty() {
        w.write(LEVEL_0, "No resource quota.\n");
        return;
    }
    let mut sorted: Vec<&Value> = quotas.iter().collect();
    sorted.sort_by(|a, b| str_at(a, &["metadata", "name"]).cmp(str_at(b, &["metadata", "name"])));
    w.write(LEVEL_0, "Resource Quotas\n");
    for q in sorted {
        w.write(
            LEVEL_1,
            &format!("Name:\t{}\n", str_at(q, &["metadata", "name"])),
        );
        let mut scopes: Vec<&str> = list_at(q, &["spec", "scopes"])
            .iter()
            .filter_map(Value::as_str)
            .collect();
        if !scopes.is_empty() {
            scopes.sort_unstable();
            w.write(LEVEL_1, &format!("Scopes:\t{}\n", scopes.join(", ")));
            for scope in scopes {
                if let Some(help) = quota_scope_help(scope) {
                    w.write(LEVEL_1, &format!("* {help}\n"));
                }
            }
        }
        w.write(LEVEL_1, "Resource\tUsed\tHard\n");
        w.write(LEVEL_1, "--------\t---\t---\n");
        for (resource, hard) in map_at(q, &["status", "hard"]).into_iter().flatten() {
            let used = canonical_quantity(str_at(q, &["status", "used", resource]));
            let hard = canonical_quantity(hard.as_str().unwrap_or(""));
            w.write(LEVEL_1, &format!("{resource}\t{used}\t{hard}\n"));
        }
    }
}

/// Quantity.String() of a stored quantity: canonical form, "0" for a missing one.
fn canonical_quantity(text: &str) -> String {
    if text.is_empty() {
        return "0".to_string();
    }
    Quantity::parse(text).map_or_else(|| text.to_string(), |q| q.canonical())
}

/// helpTextForResourceQuotaScope.
fn quota_scope_help(scope: &str) -> Option<&'static str> {
    Some(match scope {
        "Terminating" => "Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.",
        "NotTerminating" => "Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.",
        "BestEffort" => "Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.",
        "NotBestEffort" => "Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.",
        _ => return None,
    })
}

/// DescribeLimitRanges: one row per limit type and resource, `-` where a bound is unset. (Go
/// ranges over a map here, in random order; podlab sorts the resources.)
fn describe_limit_ranges(limit_ranges: &[Value], w: &mut PrefixWriter) {
    if limit_ranges.is_empty() {
        w.write(LEVEL_0, "No LimitRange resource.\n");
        return;
    }
    w.write(LEVEL_0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n");
    w.write(
        LEVEL_0,
        " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n",
    );
    const FIELDS: [&str; 5] = [
        "min",
        "max",
        "defaultRequest",
        "default",
        "maxLimitRequestRatio",
    ];
    for range in limit_ranges {
        for item in list_at(range, &["spec", "limits"]) {
            let mut resources: Vec<&String> = FIELDS
                .iter()
                .filter_map(|f| map_at(item, &[f]))
                .flat_map(|m| m.keys())
                .collect();
            resources.sort();
            resources.dedup();
            for resource in resources {
                let cell = |field: &str| {
                    let v = str_at(item, &[field, resource]);
                    if v.is_empty() {
                        "-".to_string()
                    } else {
                        canonical_quantity(v)
                    }
                };
                w.write(
                    LEVEL_0,
                    &format!(
                        " {}\t{resource}\t{}\t{}\t{}\t{}\t{}\n",
                        str_at(item, &["type"]),
                        cell("min"),
                        cell("max"),
                        cell("defaultRequest"),
                        cell("default"),
                        cell("maxLimitRequestRatio")
                    ),
                );
            }
        }
    }
}

/// describeConfigMap: the Data values in full (keys sorted, each followed by a blank line), the
/// BinaryData sizes, then events.
pub fn describe_config_map(cm: &Value, events: &[Value], now: Timestamp) -> String {
    let mut w = PrefixWriter::new();
    describe_name_header(cm, &mut w);
    w.write(LEVEL_0, "\nData\n====\n");
    for (key, value) in map_at(cm, &["data"]).into_iter().flatten() {
        w.write(LEVEL_0, &format!("{key}:\n----\n"));
        w.write(LEVEL_0, &format!("{}\n", value.as_str().unwrap_or("")));
        w.write(LEVEL_0, "\n");
    }
    w.write(LEVEL_0, "\nBinaryData\n====\n");
    for (key, value) in map_at(cm, &["binaryData"]).into_iter().flatten() {
        let size = base64_decoded_len(value.as_str().unwrap_or(""));
        w.write(LEVEL_0, &format!("{key}: {size} bytes\n"));
    }
    w.write(LEVEL_0, "\n");
    describe_events(&events_for(cm, events, true), now, &mut w);
    w.finish()
}

/// describeSecret: the type, then each key's size (a service account token's `token` in full).
pub fn describe_secret(secret: &Value) -> String {
    let mut w = PrefixWriter::new();
    describe_name_header(secret, &mut w);
    let kind = str_at(secret, &["type"]);
    w.write(LEVEL_0, &format!("\nType:\t{kind}\n"));
    w.write(LEVEL_0, "\nData\n====\n");
    for (key, value) in map_at(secret, &["data"]).into_iter().flatten() {
        let encoded = value.as_str().unwrap_or("");
        if key == "token" && kind == "kubernetes.io/service-account-token" {
            let token = decode_base64(encoded).unwrap_or_default();
            w.write(
                LEVEL_0,
                &format!("{key}:\t{}\n", String::from_utf8_lossy(&token)),
            );
        } else {
            w.write(
                LEVEL_0,
                &format!("{key}:\t{} bytes\n", base64_decoded_len(encoded)),
            );
        }
    }
    w.finish()
}

/// describeServiceAccount (v1.36): only the image pull secrets are listed (the Mountable
/// secrets and Tokens sections are gone), then events. `_secrets` (the namespace's Secrets)
/// is no longer read.
pub fn describe_service_account(
    sa: &Value,
    _secrets: &[Value],
    events: &[Value],
    now: Timestamp,
) -> String {
    const PULL_HEADER: &str = "Image pull secrets:";
    const EMPTY_HEADER: &str = "                   ";
    let mut w = PrefixWriter::new();
    describe_name_header(sa, &mut w);
    let pull_secrets = list_at(sa, &["imagePullSecrets"]);
    if pull_secrets.is_empty() {
        w.write(LEVEL_0, &format!("{PULL_HEADER}\t<none>\n"));
    }
    let mut prefix = PULL_HEADER;
    for secret in pull_secrets {
        w.write(
            LEVEL_0,
            &format!("{prefix}\t{}\n", str_at(secret, &["name"])),
        );
        prefix = EMPTY_HEADER;
    }
    describe_events(&events_for(sa, events, true), now, &mut w);
    w.finish()
}

/// Name, Namespace, Labels and Annotations.
fn describe_name_header(obj: &Value, w: &mut PrefixWriter) {
    w.write(
        LEVEL_0,
        &format!("Name:\t{}\n", str_at(obj, &["metadata", "name"])),
    );
    w.write(
        LEVEL_0,
        &format!("Namespace:\t{}\n", str_at(obj, &["metadata", "namespace"])),
    );
    print_labels_multiline(w, "Labels", map_at(obj, &["metadata", "labels"]));
    print_annotations_multiline(w, "Annotations", map_at(obj, &["metadata", "annotations"]));
}

/// The number of bytes standard base64 `s` decodes to.
fn base64_decoded_len(s: &str) -> usize {
    let digits = s.bytes().filter(|b| !b.is_ascii_whitespace()).count();
    let padding = s.bytes().rev().take_while(|b| *b == b'=').count();
    (digits / 4 * 3 + (digits % 4).saturating_sub(1)).saturating_sub(padding)
}

/// Standard base64 (padded or not) to bytes; `None` for anything else.
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buffer = 0u32;
    let mut bits = 0;
    for b in s.bytes().filter(|b| !b.is_ascii_whitespace() && *b != b'=') {
        let value = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_namespace_reads_as_kubectl_prints_default() {
        let ns = json!({"metadata": {"name": "default",
                                     "labels": {"kubernetes.io/metadata.name": "default"}},
                        "status": {"phase": "Active"}});
        assert_eq!(
            describe_namespace(&ns, &[], &[]),
            "Name:         default\nLabels:       kubernetes.io/metadata.name=default\nAnnotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n"
        );
    }

    #[test]
    fn a_secret_lists_sizes_not_values() {
        let secret = json!({"metadata": {"name": "db", "namespace": "default"},
                            "type": "Opaque", "data": {"password": "czNjcmV0", "user": "YWRtaW4="}});
        let text = describe_secret(&secret);
        assert!(text
            .contains("\nType:  Opaque\n\nData\n====\npassword:  6 bytes\nuser:      5 bytes\n"));
    }

    #[test]
    fn the_default_service_account_has_no_secrets() {
        let sa = json!({"metadata": {"name": "default", "namespace": "default"}});
        let now = Timestamp::UNIX_EPOCH;
        assert_eq!(
            describe_service_account(&sa, &[], &[], now),
            "Name:                default\nNamespace:           default\nLabels:              <none>\nAnnotations:         <none>\nImage pull secrets:  <none>\nEvents:              <none>\n"
        );
    }

    /// v1.36 describeServiceAccount lists the image pull secrets only: listed `secrets` and
    /// token Secrets are not shown.
    #[test]
    fn service_account_shows_image_pull_secrets_only() {
        let sa = json!({"metadata": {"name": "build", "namespace": "default"},
                        "secrets": [{"name": "gone"}],
                        "imagePullSecrets": [{"name": "regcred"}, {"name": "mirror"}]});
        let token = json!({"metadata": {"name": "build-token", "namespace": "default",
            "annotations": {"kubernetes.io/service-account.name": "build"}},
            "type": "kubernetes.io/service-account-token"});
        assert_eq!(
            describe_service_account(&sa, &[token], &[], Timestamp::UNIX_EPOCH),
            "Name:                build\nNamespace:           default\nLabels:              <none>\nAnnotations:         <none>\nImage pull secrets:  regcred\n                     mirror\nEvents:              <none>\n"
        );
    }

    /// DescribeResourceQuotas and describeLimitRangeSpec print Quantity.String() (canonical).
    #[test]
    fn quota_and_limit_quantities_are_canonical() {
        let quota = json!({"metadata": {"name": "q"},
            "status": {"hard": {"cpu": "1000m", "memory": "1024Mi"}, "used": {"cpu": "500m"}}});
        let limits = json!({"metadata": {"name": "l"},
            "spec": {"limits": [{"type": "Container", "default": {"cpu": "1000m"}}]}});
        let ns = json!({"metadata": {"name": "default"}, "status": {"phase": "Active"}});
        let text = describe_namespace(&ns, &[quota], &[limits]);
        assert!(
            text.contains("  cpu       500m  1\n  memory    0     1Gi\n"),
            "{text}"
        );
        assert!(
            text.contains(" Container  cpu       -    -    -                1              -\n"),
            "{text}"
        );
    }

    #[test]
    fn base64_sizes_and_values() {
        assert_eq!(base64_decoded_len("YWRtaW4="), 5);
        assert_eq!(base64_decoded_len("czNjcmV0"), 6);
        assert_eq!(base64_decoded_len("YQ"), 1);
        assert_eq!(decode_base64("YWRtaW4="), Some(b"admin".to_vec()));
        assert_eq!(decode_base64("!"), None);
    }
}
