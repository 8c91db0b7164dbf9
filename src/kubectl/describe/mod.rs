//! `kubectl describe` (staging/src/k8s.io/kubectl/pkg/describe/describe.go) for pods, services,
//! nodes and endpoints, as pure functions over the objects the API server returns.

pub mod apps;
pub mod cluster_kinds;
pub mod core_kinds;
pub mod events;
pub mod node;
pub mod pod;
pub mod service;
pub mod storage;
pub mod workloads;
pub mod writer;

use jiff::Timestamp;
use serde_json::{Map, Value};

use crate::kubectl::printers::duration::parse_time;
use crate::kubectl::printers::human::canonical_resource;
use crate::kubectl::printers::object::{int_at, str_at};
use writer::{PrefixWriter, LEVEL_0};

/// The other objects a describer reads besides the described one. Pass whole lists: each
/// describer picks what it needs as kubectl's queries would (events about the object, the
/// service's EndpointSlices, the node's pods and lease).
#[derive(Clone, Copy, Debug, Default)]
pub struct Related<'a> {
    /// core/v1 Events (any namespace).
    pub events: &'a [Value],
    /// discovery.k8s.io/v1 EndpointSlices, for `describe service`.
    pub endpoint_slices: &'a [Value],
    /// Pods, for `describe node` (Non-terminated Pods, Allocated resources).
    pub pods: &'a [Value],
    /// coordination.k8s.io/v1 Leases, for `describe node` (kube-node-lease/<node>).
    pub leases: &'a [Value],
    /// apps/v1 ReplicaSets, for `describe deployment` (OldReplicaSets, NewReplicaSet).
    pub replica_sets: &'a [Value],
    /// core/v1 Secrets of the namespace, for `describe serviceaccount` (tokens, missing ones).
    pub secrets: &'a [Value],
    /// core/v1 ResourceQuotas and LimitRanges, for `describe namespace`.
    pub resource_quotas: &'a [Value],
    pub limit_ranges: &'a [Value],
    /// core/v1 Services of the namespace, for `describe ingress` (its backends).
    pub services: &'a [Value],
    /// resource.k8s.io/v1 ResourceSlices, for `describe node` (its node-local slices).
    pub resource_slices: &'a [Value],
}

/// The lists behind a [`Related`], owned: what `kubectl describe` fetched for one object.
#[derive(Clone, Debug, Default)]
pub struct RelatedLists {
    pub endpoint_slices: Vec<Value>,
    pub pods: Vec<Value>,
    pub leases: Vec<Value>,
    pub replica_sets: Vec<Value>,
    pub secrets: Vec<Value>,
    pub resource_quotas: Vec<Value>,
    pub limit_ranges: Vec<Value>,
    pub services: Vec<Value>,
    pub resource_slices: Vec<Value>,
}

impl RelatedLists {
    /// These lists with the object's events.
    pub fn with_events<'a>(&'a self, events: &'a [Value]) -> Related<'a> {
        Related {
            events,
            endpoint_slices: &self.endpoint_slices,
            pods: &self.pods,
            leases: &self.leases,
            replica_sets: &self.replica_sets,
            secrets: &self.secrets,
            resource_quotas: &self.resource_quotas,
            limit_ranges: &self.limit_ranges,
            services: &self.services,
            resource_slices: &self.resource_slices,
        }
    }
}

/// What `kubectl describe <resource> <name>` prints for `obj`, given the events (describe picks
/// those about `obj` itself), or `None` for a resource without a describer here. Services,
/// nodes need more objects: see `describe_with`.
pub fn describe(resource: &str, obj: &Value, events: &[Value], now: Timestamp) -> Option<String> {
    let related = Related {
        events,
        ..Related::default()
    };
    describe_with(resource, obj, &related, now)
}

/// `describe` with the related objects of services (EndpointSlices) and nodes (pods, leases).
pub fn describe_with(
    resource: &str,
    obj: &Value,
    related: &Related,
    now: Timestamp,
) -> Option<String> {
    Some(match canonical_resource(resource)? {
        "pods" => pod::describe_pod(obj, related.events, now),
        "services" => service::describe_service(obj, related.endpoint_slices, related.events, now),
        "endpoints" => service::describe_endpoints(obj, related.events, now),
        "nodes" => node::describe_node_with_resource_slices(
            obj,
            related.pods,
            related.leases,
            related.resource_slices,
            related.events,
            now,
        ),
        "deployments" => apps::describe_deployment(obj, related.replica_sets, related.events, now),
        "replicasets" => apps::describe_replica_set(obj, related.pods, related.events, now),
        "replicationcontrollers" => {
            apps::describe_replication_controller(obj, related.pods, related.events, now)
        }
        "namespaces" => {
            core_kinds::describe_namespace(obj, related.resource_quotas, related.limit_ranges)
        }
        "configmaps" => core_kinds::describe_config_map(obj, related.events, now),
        "secrets" => core_kinds::describe_secret(obj),
        "serviceaccounts" => {
            core_kinds::describe_service_account(obj, related.secrets, related.events, now)
        }
        "daemonsets" => workloads::describe_daemon_set(obj, related.pods, related.events, now),
        "statefulsets" => workloads::describe_stateful_set(obj, related.pods, related.events, now),
        "jobs" => workloads::describe_job(obj, related.events, now),
        "cronjobs" => workloads::describe_cron_job(obj, related.events, now),
        "persistentvolumes" => storage::describe_persistent_volume(obj, related.events, now),
        "persistentvolumeclaims" => {
            storage::describe_persistent_volume_claim(obj, related.pods, related.events, now)
        }
        "storageclasses" => storage::describe_storage_class(obj, related.events, now),
        "ingresses" => cluster_kinds::describe_ingress(
            obj,
            related.services,
            related.endpoint_slices,
            related.events,
            now,
        ),
        "ingressclasses" => cluster_kinds::describe_ingress_class(obj, related.events, now),
        "priorityclasses" => cluster_kinds::describe_priority_class(obj, related.events, now),
        "roles" | "clusterroles" => cluster_kinds::describe_role(obj),
        "rolebindings" | "clusterrolebindings" => cluster_kinds::describe_role_binding(obj),
        _ => return None,
    })
}

/// The annotation describe never shows (describe.go skipAnnotations).
const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Annotation values longer than this are cut (describe.go maxAnnotationLen).
const MAX_ANNOTATION_LEN: usize = 140;

/// time.RFC1123Z in UTC, e.g. `Sat, 21 Nov 2026 14:56:41 +0000`.
pub fn format_rfc1123z(rfc3339: &str) -> String {
    match parse_time(rfc3339) {
        Some(t) => t.strftime("%a, %d %b %Y %H:%M:%S %z").to_string(),
        None => rfc3339.to_string(),
    }
}

fn sorted_string_map(map: Option<&Map<String, Value>>, skip: &[&str]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = map
        .into_iter()
        .flatten()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
        .collect();
    pairs.sort();
    pairs
}

/// printLabelsMultiline: `Title:\tk=v` then `\tk2=v2` lines, or `<none>`.
pub fn print_labels_multiline(
    w: &mut PrefixWriter,
    title: &str,
    labels: Option<&Map<String, Value>>,
) {
    print_labels_multiline_with_indent(w, "", title, "\t", labels);
}

/// printLabelsMultilineWithIndent.
pub fn print_labels_multiline_with_indent(
    w: &mut PrefixWriter,
    initial_indent: &str,
    title: &str,
    inner_indent: &str,
    labels: Option<&Map<String, Value>>,
) {
    w.write(LEVEL_0, &format!("{initial_indent}{title}:{inner_indent}"));
    let pairs = sorted_string_map(labels, &[]);
    if pairs.is_empty() {
        w.write_line("<none>");
        return;
    }
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, initial_indent);
            w.write(LEVEL_0, inner_indent);
        }
        w.write(LEVEL_0, &format!("{k}={v}\n"));
    }
}

/// Cuts `s` to `max` bytes (at a character boundary) and marks the cut with `...`.
fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

/// printAnnotationsMultiline: sorted, without last-applied-configuration; long or multi-line
/// values go on their own lines, cut at 140 characters.
pub fn print_annotations_multiline(
    w: &mut PrefixWriter,
    title: &str,
    annotations: Option<&Map<String, Value>>,
) {
    w.write(LEVEL_0, &format!("{title}:\t"));
    let pairs = sorted_string_map(annotations, &[LAST_APPLIED_ANNOTATION]);
    if pairs.is_empty() {
        w.write_line("<none>");
        return;
    }
    let indent = "\t";
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, indent);
        }
        let value = value.strip_suffix('\n').unwrap_or(value);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.write(LEVEL_0, &format!("{key}:\n"));
            for line in value.split('\n') {
                w.write(
                    LEVEL_0,
                    &format!("{indent}  {}\n", shorten(line, MAX_ANNOTATION_LEN - 2)),
                );
            }
        } else {
            w.write(LEVEL_0, &format!("{key}: {value}\n"));
        }
    }
}

/// printTolerationsMultilineWithIndent: sorted by key, `key=value:Effect op=Exists for 300s`.
pub fn print_tolerations(w: &mut PrefixWriter, title: &str, tolerations: &[Value]) {
    w.write(LEVEL_0, &format!("{title}:\t"));
    if tolerations.is_empty() {
        w.write_line("<none>");
        return;
    }
    let mut sorted: Vec<&Value> = tolerations.iter().collect();
    sorted.sort_by(|a, b| str_at(a, &["key"]).cmp(str_at(b, &["key"])));
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, "\t");
        }
        let key = str_at(t, &["key"]);
        let value = str_at(t, &["value"]);
        let effect = str_at(t, &["effect"]);
        let mut line = key.to_string();
        if !value.is_empty() {
            line.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            line.push_str(&format!(":{effect}"));
        }
        if str_at(t, &["operator"]) == "Exists" && value.is_empty() {
            if !key.is_empty() || !effect.is_empty() {
                line.push_str(" op=Exists");
            } else {
                line.push_str("op=Exists");
            }
        }
        if t.get("tolerationSeconds").is_some_and(Value::is_number) {
            line.push_str(&format!(" for {}s", int_at(t, &["tolerationSeconds"])));
        }
        w.write(LEVEL_0, &format!("{line}\n"));
    }
}
