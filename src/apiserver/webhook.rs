//! The MutatingAdmissionWebhook admission plugin
//! (staging/src/k8s.io/apiserver/pkg/admission/plugin/webhook/mutating): after the in-tree
//! mutating plugins, every webhook of every stored MutatingWebhookConfiguration whose rules,
//! namespaceSelector and objectSelector match the request is called in turn (configurations by
//! name, webhooks in their order), and its patch applied to the object. The patched object is
//! defaulted again (dispatcher.go: `o.GetObjectDefaulter().Default`), and because a webhook
//! changed it, the in-tree plugins run once more (admission/reinvocation.go), which is how the
//! ServiceAccount plugin mounts the API token into the containers a webhook added.
//!
//! podlab runs no HTTP servers: a webhook's service is served by the simulated component behind
//! it, and the only one there is istiod's sidecar injector (served while the mesh is installed,
//! though podlab stores no `istiod` Service). Any other webhook fails its call: with `service
//! "NAME" not found` as the real server's service resolver says when the Service is missing.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde_json::Value;

use super::errors::ApiError;
use super::resources::ResourceInfo;
use super::selectors::labels_of;
use super::validation::apps::selector_matches;
use crate::unstructured::str_at;

/// A webhook server podlab simulates: it takes the object under admission and returns it
/// mutated (what the JSON patch of its AdmissionResponse makes of it).
pub type Backend = fn(&Value) -> Value;

/// The simulated server behind `namespace/service` at `path`, if there is one.
pub fn backend(namespace: &str, service: &str, path: &str) -> Option<Backend> {
    use crate::mesh::inject;
    let injector =
        namespace == crate::mesh::NAMESPACE && service == inject::SERVICE && path == inject::PATH;
    injector.then_some(inject::webhook_response as Backend)
}

/// One webhook call made: its name, and whether it changed the object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub webhook: String,
    pub service: String,
    pub patched: bool,
}

fn list<'a>(v: &'a Value, field: &str) -> impl Iterator<Item = &'a str> {
    v.get(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// Whether a rule's list names `value` (or `*`).
fn names(rule: &Value, field: &str, value: &str) -> bool {
    list(rule, field).any(|v| v == "*" || v == value)
}

/// rules.Matcher: some rule covers the operation, group, version and resource.
fn rules_match(webhook: &Value, operation: &str, info: &ResourceInfo) -> bool {
    webhook
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|rule| {
            names(rule, "operations", operation)
                && names(rule, "apiGroups", info.group)
                && names(rule, "apiVersions", info.version)
                && names(rule, "resources", info.plural)
        })
}

/// A selector field of the webhook: unset selects everything (the defaulted `{}`).
fn selects(webhook: &Value, field: &str, labels: &BTreeMap<String, String>) -> bool {
    let selector: LabelSelector = webhook
        .get(field)
        .filter(|s| !s.is_null())
        .and_then(|s| serde_json::from_value(s.clone()).ok())
        .unwrap_or_default();
    selector_matches(&selector, labels)
}

/// `https://SERVICE.NAMESPACE.svc:PORT/PATH?timeout=Ns`, the URL the call is posted to.
fn url(service: &Value, timeout: i64) -> String {
    format!(
        "https://{}.{}.svc:{}{}?timeout={timeout}s",
        str_at(service, "/name"),
        str_at(service, "/namespace"),
        service.get("port").and_then(Value::as_i64).unwrap_or(443),
        str_at(service, "/path")
    )
}

/// Run the mutating webhooks of `configurations` on a CREATE of `obj` (of resource `info`, in a
/// namespace with `namespace_labels`). `service_exists` says whether a Service is stored.
/// Returns the calls made; a failing call with `failurePolicy: Fail` refuses the request.
pub fn admit_create(
    configurations: &[Value],
    info: &ResourceInfo,
    namespace_labels: &BTreeMap<String, String>,
    service_exists: &dyn Fn(&str, &str) -> bool,
    obj: &mut Value,
) -> Result<Vec<Call>, ApiError> {
    let mut sorted: Vec<&Value> = configurations.iter().collect();
    sorted.sort_by_key(|c| str_at(c, "/metadata/name").to_string());
    let mut calls = Vec::new();
    for configuration in sorted {
        let webhooks = configuration.get("webhooks").and_then(Value::as_array);
        for webhook in webhooks.into_iter().flatten() {
            let object_labels = labels_of(obj);
            if !rules_match(webhook, "CREATE", info)
                || !selects(webhook, "namespaceSelector", namespace_labels)
                || !selects(webhook, "objectSelector", &object_labels)
            {
                continue;
            }
            let name = str_at(webhook, "/name").to_string();
            let Some(service) = webhook.pointer("/clientConfig/service") else {
                continue;
            };
            let (ns, svc, path) = (
                str_at(service, "/namespace"),
                str_at(service, "/name"),
                str_at(service, "/path"),
            );
            let timeout = webhook
                .get("timeoutSeconds")
                .and_then(Value::as_i64)
                .unwrap_or(10);
            let Some(server) = backend(ns, svc, path) else {
                if str_at(webhook, "/failurePolicy") == "Ignore" {
                    continue;
                }
                let why = if service_exists(ns, svc) {
                    "podlab simulates no server behind this Service".to_string()
                } else {
                    format!("service \"{svc}\" not found")
                };
                return Err(ApiError::internal(format!(
                    "failed calling webhook \"{name}\": failed to call webhook: Post \"{}\": {why}",
                    url(service, timeout)
                )));
            };
            let patched = server(obj);
            let changed = patched != *obj;
            *obj = patched;
            calls.push(Call {
                webhook: name,
                service: url(service, timeout),
                patched: changed,
            });
        }
    }
    Ok(calls)
}
