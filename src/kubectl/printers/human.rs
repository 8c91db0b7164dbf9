//! The rows of `kubectl get`'s tables (pkg/printers/internalversion/printers.go: the column
//! definitions in AddHandlers and the print* functions; the API server builds these tables and
//! kubectl adds NAMESPACE first for `-A` and LABELS last for `--show-labels`).

use jiff::Timestamp;
use serde_json::Value;

use super::duration::{human_duration, translate_timestamp_since};
use super::object::{
    as_int, bool_at, format_label_selector, format_labels, get, int_at, label_selector_string,
    list_at, map_at, str_at, time_at,
};

/// Which optional columns a table gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// `-o wide`: the columns of priority 1.
    pub wide: bool,
    /// `--show-labels`: a LABELS column at the end.
    pub show_labels: bool,
    /// `-A` / `--all-namespaces`: a NAMESPACE column first.
    pub with_namespace: bool,
}

/// A column: its header and whether only `-o wide` shows it.
pub(super) struct Column {
    name: &'static str,
    wide_only: bool,
}

pub(super) const fn col(name: &'static str) -> Column {
    Column {
        name,
        wide_only: false,
    }
}

pub(super) const fn wide(name: &'static str) -> Column {
    Column {
        name,
        wide_only: true,
    }
}

/// A resource's columns and its row printer (which returns the cells of all columns, wide ones
/// included).
struct Printer {
    columns: &'static [Column],
    row: RowFn,
}

/// Prints one object's cells: (object, now, wide).
pub(super) type RowFn = fn(&Value, Timestamp, bool) -> Vec<String>;

const POD_COLUMNS: &[Column] = &[
    col("Name"),
    col("Ready"),
    col("Status"),
    col("Restarts"),
    col("Age"),
    wide("IP"),
    wide("Node"),
    wide("Nominated Node"),
    wide("Readiness Gates"),
];
const NODE_COLUMNS: &[Column] = &[
    col("Name"),
    col("Status"),
    col("Roles"),
    col("Age"),
    col("Version"),
    wide("Internal-IP"),
    wide("External-IP"),
    wide("OS-Image"),
    wide("Kernel-Version"),
    wide("Container-Runtime"),
];
const SERVICE_COLUMNS: &[Column] = &[
    col("Name"),
    col("Type"),
    col("Cluster-IP"),
    col("External-IP"),
    col("Port(s)"),
    col("Age"),
    wide("Selector"),
];
const ENDPOINTS_COLUMNS: &[Column] = &[col("Name"), col("Endpoints"), col("Age")];
const ENDPOINT_SLICE_COLUMNS: &[Column] = &[
    col("Name"),
    col("AddressType"),
    col("Ports"),
    col("Endpoints"),
    col("Age"),
];
const EVENT_COLUMNS: &[Column] = &[
    col("Last Seen"),
    col("Type"),
    col("Reason"),
    col("Object"),
    wide("Subobject"),
    wide("Source"),
    col("Message"),
    wide("First Seen"),
    wide("Count"),
    wide("Name"),
];
const NAMESPACE_COLUMNS: &[Column] = &[col("Name"), col("Status"), col("Age")];
/// serviceAccountColumnDefinitions: NAME and AGE only (v1.36 dropped the SECRETS count).
const SERVICE_ACCOUNT_COLUMNS: &[Column] = &[col("Name"), col("Age")];
const CONFIG_MAP_COLUMNS: &[Column] = &[col("Name"), col("Data"), col("Age")];
const SECRET_COLUMNS: &[Column] = &[col("Name"), col("Type"), col("Data"), col("Age")];
const DEPLOYMENT_COLUMNS: &[Column] = &[
    col("Name"),
    col("Ready"),
    col("Up-to-date"),
    col("Available"),
    col("Age"),
    wide("Containers"),
    wide("Images"),
    wide("Selector"),
];
const REPLICA_SET_COLUMNS: &[Column] = &[
    col("Name"),
    col("Desired"),
    col("Current"),
    col("Ready"),
    col("Age"),
    wide("Containers"),
    wide("Images"),
    wide("Selector"),
];

/// The canonical plural of a resource name or alias kubectl accepts (`po`, `pod`, `svc`, ...).
pub fn canonical_resource(resource: &str) -> Option<&'static str> {
    let r = resource.to_ascii_lowercase();
    let r = r.split('.').next().unwrap_or("");
    Some(match r {
        "pods" | "pod" | "po" => "pods",
        "nodes" | "node" | "no" => "nodes",
        "services" | "service" | "svc" => "services",
        "endpoints" | "endpoint" | "ep" => "endpoints",
        "endpointslices" | "endpointslice" => "endpointslices",
        "events" | "event" | "ev" => "events",
        "namespaces" | "namespace" | "ns" => "namespaces",
        "serviceaccounts" | "serviceaccount" | "sa" => "serviceaccounts",
        "configmaps" | "configmap" | "cm" => "configmaps",
        "secrets" | "secret" => "secrets",
        "deployments" | "deployment" | "deploy" => "deployments",
        "replicasets" | "replicaset" | "rs" => "replicasets",
        other => return super::kind_tables::canonical_resource(other),
    })
}

fn printer_for(resource: &str) -> Option<Printer> {
    let (columns, row): (&'static [Column], RowFn) = match canonical_resource(resource)? {
        "pods" => (POD_COLUMNS, pod_row),
        "nodes" => (NODE_COLUMNS, node_row),
        "services" => (SERVICE_COLUMNS, service_row),
        "endpoints" => (ENDPOINTS_COLUMNS, endpoints_row),
        "endpointslices" => (ENDPOINT_SLICE_COLUMNS, endpoint_slice_row),
        "events" => (EVENT_COLUMNS, event_row),
        "namespaces" => (NAMESPACE_COLUMNS, namespace_row),
        "serviceaccounts" => (SERVICE_ACCOUNT_COLUMNS, service_account_row),
        "configmaps" => (CONFIG_MAP_COLUMNS, config_map_row),
        "secrets" => (SECRET_COLUMNS, secret_row),
        "deployments" => (DEPLOYMENT_COLUMNS, deployment_row),
        "replicasets" => (REPLICA_SET_COLUMNS, replica_set_row),
        other => {
            super::workload_tables::printer(other).or_else(|| super::kind_tables::printer(other))?
        }
    };
    Some(Printer { columns, row })
}

/// The headers and rows of `kubectl get <resource>` for `objects`, or `None` for a resource this
/// module has no printer for. Headers are upper-cased as the table printer does.
pub fn table_for(
    resource: &str,
    objects: &[Value],
    now: Timestamp,
    opts: &TableOptions,
) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let printer = printer_for(resource)?;
    let shown: Vec<bool> = printer
        .columns
        .iter()
        .map(|c| opts.wide || !c.wide_only)
        .collect();
    let mut headers: Vec<String> = Vec::new();
    if opts.with_namespace {
        headers.push("NAMESPACE".to_string());
    }
    headers.extend(
        printer
            .columns
            .iter()
            .zip(&shown)
            .filter(|(_, &s)| s)
            .map(|(c, _)| c.name.to_uppercase()),
    );
    if opts.show_labels {
        headers.push("LABELS".to_string());
    }
    let rows = objects
        .iter()
        .map(|obj| {
            let mut row = Vec::new();
            if opts.with_namespace {
                row.push(str_at(obj, &["metadata", "namespace"]).to_string());
            }
            let cells = (printer.row)(obj, now, opts.wide);
            row.extend(
                cells
                    .into_iter()
                    .zip(&shown)
                    .filter(|(_, &s)| s)
                    .map(|(c, _)| c),
            );
            if opts.show_labels {
                row.push(format_labels(map_at(obj, &["metadata", "labels"])));
            }
            row
        })
        .collect();
    Some((headers, rows))
}

pub(super) fn name(obj: &Value) -> String {
    str_at(obj, &["metadata", "name"]).to_string()
}

pub(super) fn age(obj: &Value, now: Timestamp) -> String {
    translate_timestamp_since(
        get(obj, &["metadata", "creationTimestamp"]).and_then(Value::as_str),
        now,
    )
}

pub(super) fn or_none(s: &str) -> String {
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s.to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Pods

/// What printPod computes for a pod: READY, STATUS and the restart count with its last time.
struct PodSummary {
    ready: usize,
    total: usize,
    reason: String,
    restarts: i64,
    last_restart: Option<Timestamp>,
}

/// An init container with `restartPolicy: Always` (a sidecar): podutil.IsRestartableInitContainer.
fn is_restartable_init_container(pod: &Value, name: &str) -> bool {
    list_at(pod, &["spec", "initContainers"])
        .iter()
        .find(|c| str_at(c, &["name"]) == name)
        .is_some_and(|c| str_at(c, &["restartPolicy"]) == "Always")
}

fn condition_is_true(pod: &Value, condition_type: &str) -> bool {
    list_at(pod, &["status", "conditions"])
        .iter()
        .any(|c| str_at(c, &["type"]) == condition_type && str_at(c, &["status"]) == "True")
}

fn later(current: Option<Timestamp>, candidate: Option<Timestamp>) -> Option<Timestamp> {
    match (current, candidate) {
        (Some(a), Some(b)) if b > a => Some(b),
        (None, b) => b,
        (a, _) => a,
    }
}

fn last_termination_finish(status: &Value) -> Option<Timestamp> {
    time_at(status, &["lastState", "terminated", "finishedAt"])
}

/// The reason printPod shows for a terminated container: its reason, else Signal:N, else
/// ExitCode:N.
fn terminated_reason(terminated: &Value, prefix: &str) -> String {
    let reason = str_at(terminated, &["reason"]);
    if !reason.is_empty() {
        return format!("{prefix}{reason}");
    }
    let signal = int_at(terminated, &["signal"]);
    if signal != 0 {
        return format!("{prefix}Signal:{signal}");
    }
    format!("{prefix}ExitCode:{}", int_at(terminated, &["exitCode"]))
}

/// printPod's READY, STATUS and RESTARTS logic (pkg/printers/internalversion/printers.go).
fn summarize_pod(pod: &Value) -> PodSummary {
    let init_specs = list_at(pod, &["spec", "initContainers"]);
    let mut total = list_at(pod, &["spec", "containers"]).len();
    total += init_specs
        .iter()
        .filter(|c| str_at(c, &["restartPolicy"]) == "Always")
        .count();
    let phase = str_at(pod, &["status", "phase"]);
    let status_reason = str_at(pod, &["status", "reason"]);
    let mut reason = if status_reason.is_empty() {
        phase.to_string()
    } else {
        status_reason.to_string()
    };
    let gated = list_at(pod, &["status", "conditions"]).iter().any(|c| {
        str_at(c, &["type"]) == "PodScheduled" && str_at(c, &["reason"]) == "SchedulingGated"
    });
    if gated {
        reason = "SchedulingGated".to_string();
    }

    let mut ready = 0;
    let mut restarts = 0;
    let mut sidecar_restarts = 0;
    let mut last_restart = None;
    let mut last_sidecar_restart = None;
    let mut initializing = false;
    for (i, status) in list_at(pod, &["status", "initContainerStatuses"])
        .iter()
        .enumerate()
    {
        let container_name = str_at(status, &["name"]);
        let restart_count = int_at(status, &["restartCount"]);
        restarts += restart_count;
        last_restart = later(last_restart, last_termination_finish(status));
        let restartable = is_restartable_init_container(pod, container_name);
        if restartable {
            sidecar_restarts += restart_count;
            last_sidecar_restart = later(last_sidecar_restart, last_termination_finish(status));
        }
        let terminated = get(status, &["state", "terminated"]).filter(|t| t.is_object());
        let waiting_reason = str_at(status, &["state", "waiting", "reason"]);
        if terminated.is_some_and(|t| int_at(t, &["exitCode"]) == 0) {
            continue;
        }
        if restartable && bool_at(status, &["started"]) {
            if bool_at(status, &["ready"]) {
                ready += 1;
            }
            continue;
        }
        if let Some(t) = terminated {
            reason = terminated_reason(t, "Init:");
        } else if !waiting_reason.is_empty() && waiting_reason != "PodInitializing" {
            reason = format!("Init:{waiting_reason}");
        } else {
            reason = format!("Init:{i}/{}", init_specs.len());
        }
        initializing = true;
        break;
    }

    if !initializing || condition_is_true(pod, "Initialized") {
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        let mut has_running = false;
        let mut error_reason = String::new();
        for status in list_at(pod, &["status", "containerStatuses"]).iter().rev() {
            restarts += int_at(status, &["restartCount"]);
            last_restart = later(last_restart, last_termination_finish(status));
            let waiting_reason = str_at(status, &["state", "waiting", "reason"]);
            let terminated = get(status, &["state", "terminated"]).filter(|t| t.is_object());
            let running = get(status, &["state", "running"]).is_some_and(Value::is_object);
            if !waiting_reason.is_empty() {
                reason = waiting_reason.to_string();
            } else if let Some(t) = terminated {
                reason = terminated_reason(t, "");
                if int_at(t, &["exitCode"]) != 0 {
                    error_reason = reason.clone();
                }
            } else if bool_at(status, &["ready"]) && running {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" {
            if has_running && condition_is_true(pod, "Ready") {
                reason = "Running".to_string();
            } else if !error_reason.is_empty() {
                reason = error_reason;
            } else if has_running {
                reason = "NotReady".to_string();
            }
        }
    }

    let deleting = get(pod, &["metadata", "deletionTimestamp"]).is_some_and(|d| !d.is_null());
    if deleting && status_reason == "NodeLost" {
        reason = "Unknown".to_string();
    } else if deleting && phase != "Failed" && phase != "Succeeded" {
        reason = "Terminating".to_string();
    }
    PodSummary {
        ready,
        total,
        reason,
        restarts,
        last_restart,
    }
}

/// The STATUS column of a pod (printPod): phase or status.reason, refined by init and app
/// container states, `Terminating` while being deleted.
pub fn pod_status(pod: &Value) -> String {
    summarize_pod(pod).reason
}

/// The READY column of a pod: ready containers / containers (sidecars included), e.g. "0/1".
pub fn pod_ready(pod: &Value) -> String {
    let s = summarize_pod(pod);
    format!("{}/{}", s.ready, s.total)
}

/// The RESTARTS column of a pod: the count, and `(5m ago)` after the last container restart.
pub fn pod_restarts(pod: &Value, now: Timestamp) -> String {
    restarts_cell(&summarize_pod(pod), now)
}

fn restarts_cell(s: &PodSummary, now: Timestamp) -> String {
    match s.last_restart {
        Some(t) if s.restarts != 0 => {
            format!(
                "{} ({} ago)",
                s.restarts,
                human_duration(now.duration_since(t))
            )
        }
        _ => s.restarts.to_string(),
    }
}

fn pod_row(pod: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let s = summarize_pod(pod);
    let pod_ip = list_at(pod, &["status", "podIPs"])
        .first()
        .map_or("", |ip| str_at(ip, &["ip"]));
    let gates = list_at(pod, &["spec", "readinessGates"]);
    let readiness_gates = if gates.is_empty() {
        "<none>".to_string()
    } else {
        let conditions = list_at(pod, &["status", "conditions"]);
        let true_count = gates
            .iter()
            .filter(|gate| {
                let wanted = str_at(gate, &["conditionType"]);
                conditions
                    .iter()
                    .find(|c| str_at(c, &["type"]) == wanted)
                    .is_some_and(|c| str_at(c, &["status"]) == "True")
            })
            .count();
        format!("{true_count}/{}", gates.len())
    };
    vec![
        name(pod),
        format!("{}/{}", s.ready, s.total),
        s.reason.clone(),
        restarts_cell(&s, now),
        age(pod, now),
        or_none(pod_ip),
        or_none(str_at(pod, &["spec", "nodeName"])),
        or_none(str_at(pod, &["status", "nominatedNodeName"])),
        readiness_gates,
    ]
}

// ---------------------------------------------------------------------------------------------
// Nodes

/// printNode's STATUS: Ready / NotReady (Unknown without a Ready condition), plus
/// SchedulingDisabled when cordoned.
pub fn node_status(node: &Value) -> String {
    let mut status = Vec::new();
    if let Some(ready) = list_at(node, &["status", "conditions"])
        .iter()
        .rev()
        .find(|c| str_at(c, &["type"]) == "Ready")
    {
        status.push(if str_at(ready, &["status"]) == "True" {
            "Ready"
        } else {
            "NotReady"
        });
    } else {
        status.push("Unknown");
    }
    if bool_at(node, &["spec", "unschedulable"]) {
        status.push("SchedulingDisabled");
    }
    status.join(",")
}

/// findNodeRoles: `node-role.kubernetes.io/<role>` labels and the `kubernetes.io/role` value,
/// sorted; `<none>` when there are none.
pub fn node_roles(node: &Value) -> String {
    let mut roles: Vec<String> = Vec::new();
    if let Some(labels) = map_at(node, &["metadata", "labels"]) {
        for (k, v) in labels {
            if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
                if !role.is_empty() {
                    roles.push(role.to_string());
                }
            } else if k == "kubernetes.io/role" {
                if let Some(v) = v.as_str().filter(|v| !v.is_empty()) {
                    roles.push(v.to_string());
                }
            }
        }
    }
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.join(",")
    }
}

fn node_address(node: &Value, kind: &str) -> String {
    list_at(node, &["status", "addresses"])
        .iter()
        .find(|a| str_at(a, &["type"]) == kind)
        .map_or("<none>".to_string(), |a| {
            str_at(a, &["address"]).to_string()
        })
}

fn or_unknown(s: &str) -> String {
    if s.is_empty() {
        "<unknown>".to_string()
    } else {
        s.to_string()
    }
}

fn node_row(node: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let info = |field: &str| str_at(node, &["status", "nodeInfo", field]);
    let mut kernel = or_unknown(info("kernelVersion"));
    if !info("architecture").is_empty() {
        kernel = format!("{kernel} ({})", info("architecture"));
    }
    vec![
        name(node),
        node_status(node),
        node_roles(node),
        age(node, now),
        info("kubeletVersion").to_string(),
        node_address(node, "InternalIP"),
        node_address(node, "ExternalIP"),
        or_unknown(info("osImage")),
        kernel,
        or_unknown(info("containerRuntimeVersion")),
    ]
}

// ---------------------------------------------------------------------------------------------
// Services and endpoints

const LOAD_BALANCER_WIDTH: usize = 16;

/// loadBalancerStatusStringer: the ingress IPs or hostnames, sorted and de-duplicated, cut to 16
/// characters unless wide.
fn load_balancer_ips(svc: &Value, wide: bool) -> String {
    let mut ips: Vec<&str> = list_at(svc, &["status", "loadBalancer", "ingress"])
        .iter()
        .filter_map(|i| {
            let ip = str_at(i, &["ip"]);
            let host = str_at(i, &["hostname"]);
            if !ip.is_empty() {
                Some(ip)
            } else if !host.is_empty() {
                Some(host)
            } else {
                None
            }
        })
        .collect();
    ips.sort_unstable();
    ips.dedup();
    let joined = ips.join(",");
    if !wide && joined.len() > LOAD_BALANCER_WIDTH {
        let cut: String = joined.chars().take(LOAD_BALANCER_WIDTH - 3).collect();
        return format!("{cut}...");
    }
    joined
}

/// getServiceExternalIP.
fn service_external_ip(svc: &Value, wide: bool) -> String {
    let external: Vec<&str> = list_at(svc, &["spec", "externalIPs"])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    match str_at(svc, &["spec", "type"]) {
        "ClusterIP" | "NodePort" => {
            if external.is_empty() {
                "<none>".to_string()
            } else {
                external.join(",")
            }
        }
        "LoadBalancer" => {
            let lb = load_balancer_ips(svc, wide);
            if !external.is_empty() {
                let mut all: Vec<&str> = Vec::new();
                if !lb.is_empty() {
                    all.extend(lb.split(','));
                }
                all.extend(external);
                return all.join(",");
            }
            if lb.is_empty() {
                "<pending>".to_string()
            } else {
                lb
            }
        }
        "ExternalName" => str_at(svc, &["spec", "externalName"]).to_string(),
        _ => "<unknown>".to_string(),
    }
}

/// makePortString: `80/TCP`, or `80:30080/TCP` with a node port, comma separated.
pub fn service_ports(svc: &Value) -> String {
    list_at(svc, &["spec", "ports"])
        .iter()
        .map(|p| {
            let port = int_at(p, &["port"]);
            let protocol = str_at(p, &["protocol"]);
            let node_port = int_at(p, &["nodePort"]);
            if node_port > 0 {
                format!("{port}:{node_port}/{protocol}")
            } else {
                format!("{port}/{protocol}")
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn service_row(svc: &Value, now: Timestamp, wide: bool) -> Vec<String> {
    let cluster_ip = list_at(svc, &["spec", "clusterIPs"])
        .first()
        .and_then(Value::as_str)
        .unwrap_or("<none>");
    let ports = service_ports(svc);
    vec![
        name(svc),
        str_at(svc, &["spec", "type"]).to_string(),
        cluster_ip.to_string(),
        service_external_ip(svc, wide),
        or_none(&ports),
        age(svc, now),
        format_labels(map_at(svc, &["spec", "selector"])),
    ]
}

/// net.JoinHostPort: IPv6 addresses go in brackets.
fn join_host_port(host: &str, port: i64) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// formatEndpoints: up to three `ip:port` pairs, then ` + N more...`; `<none>` without subsets.
pub fn format_endpoints(endpoints: &Value) -> String {
    let subsets = list_at(endpoints, &["subsets"]);
    if subsets.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    for subset in subsets {
        let addresses = list_at(subset, &["addresses"]);
        let ports = list_at(subset, &["ports"]);
        if ports.is_empty() {
            count += addresses.len();
            for a in addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(str_at(a, &["ip"]).to_string());
            }
            continue;
        }
        for port in ports {
            count += addresses.len();
            for a in addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(join_host_port(str_at(a, &["ip"]), int_at(port, &["port"])));
            }
        }
    }
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", count.saturating_sub(MAX))
    } else {
        joined
    }
}

fn endpoints_row(endpoints: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![
        name(endpoints),
        format_endpoints(endpoints),
        age(endpoints, now),
    ]
}

/// listWithMoreString: up to three items, ` + N more...`, `<unset>` when empty.
pub(super) fn list_with_more(items: Vec<String>, total: usize) -> String {
    const MAX: usize = 3;
    let more = total > MAX;
    let joined = items.into_iter().take(MAX).collect::<Vec<_>>().join(",");
    if more {
        return format!("{joined} + {} more...", total - MAX);
    }
    if joined.is_empty() {
        "<unset>".to_string()
    } else {
        joined
    }
}

fn endpoint_slice_row(slice: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let ports: Vec<String> = list_at(slice, &["ports"])
        .iter()
        .map(|p| match get(p, &["port"]).filter(|v| !v.is_null()) {
            Some(port) => as_int(port).to_string(),
            None => match get(p, &["name"]).and_then(Value::as_str) {
                Some(n) => n.to_string(),
                None => "*".to_string(),
            },
        })
        .collect();
    let port_count = ports.len();
    let addresses: Vec<String> = list_at(slice, &["endpoints"])
        .iter()
        .flat_map(|e| list_at(e, &["addresses"]).iter())
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect();
    let address_count = addresses.len();
    vec![
        name(slice),
        str_at(slice, &["addressType"]).to_string(),
        list_with_more(ports, port_count),
        list_with_more(addresses, address_count),
        age(slice, now),
    ]
}

// ---------------------------------------------------------------------------------------------
// Events

fn micro_time_since(v: &Value, path: &[&str], now: Timestamp) -> String {
    translate_timestamp_since(get(v, path).and_then(Value::as_str), now)
}

fn is_set(v: &Value, path: &[&str]) -> bool {
    get(v, path)
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty())
}

/// formatEventSource: source.component (or reportingController), then `, host` (or
/// reportingInstance) when there is one.
pub fn event_source(event: &Value) -> String {
    let first_non_empty = |a: &str, b: &str| -> String {
        if a.is_empty() {
            b.to_string()
        } else {
            a.to_string()
        }
    };
    let component = first_non_empty(
        str_at(event, &["source", "component"]),
        str_at(event, &["reportingComponent"]),
    );
    let instance = first_non_empty(
        str_at(event, &["source", "host"]),
        str_at(event, &["reportingInstance"]),
    );
    if instance.is_empty() {
        component
    } else {
        format!("{component}, {instance}")
    }
}

fn event_row(event: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let first_seen = if is_set(event, &["firstTimestamp"]) {
        micro_time_since(event, &["firstTimestamp"], now)
    } else {
        micro_time_since(event, &["eventTime"], now)
    };
    let mut last_seen = if is_set(event, &["lastTimestamp"]) {
        micro_time_since(event, &["lastTimestamp"], now)
    } else {
        first_seen.clone()
    };
    let mut count = int_at(event, &["count"]);
    if get(event, &["series"]).is_some_and(Value::is_object) {
        last_seen = micro_time_since(event, &["series", "lastObservedTime"], now);
        count = int_at(event, &["series", "count"]);
    } else if count == 0 {
        count = 1;
    }
    let kind = str_at(event, &["involvedObject", "kind"]).to_lowercase();
    let object_name = str_at(event, &["involvedObject", "name"]);
    let target = if object_name.is_empty() {
        kind
    } else {
        format!("{kind}/{object_name}")
    };
    vec![
        last_seen,
        str_at(event, &["type"]).to_string(),
        str_at(event, &["reason"]).to_string(),
        target,
        str_at(event, &["involvedObject", "fieldPath"]).to_string(),
        event_source(event),
        str_at(event, &["message"]).trim().to_string(),
        first_seen,
        count.to_string(),
        name(event),
    ]
}

// ---------------------------------------------------------------------------------------------
// Namespaces, service accounts, config maps, secrets

fn namespace_row(ns: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![
        name(ns),
        str_at(ns, &["status", "phase"]).to_string(),
        age(ns, now),
    ]
}

/// printServiceAccount (v1.36): the name and the age; the secrets are no longer counted.
fn service_account_row(sa: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![name(sa), age(sa, now)]
}

fn map_len(v: &Value, key: &str) -> usize {
    map_at(v, &[key]).map_or(0, |m| m.len())
}

fn config_map_row(cm: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let data = map_len(cm, "data") + map_len(cm, "binaryData");
    vec![name(cm), data.to_string(), age(cm, now)]
}

fn secret_row(secret: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![
        name(secret),
        str_at(secret, &["type"]).to_string(),
        map_len(secret, "data").to_string(),
        age(secret, now),
    ]
}

// ---------------------------------------------------------------------------------------------
// Workloads

/// layoutContainerCells: container names and images, comma separated.
pub(super) fn container_cells(template_spec: &Value) -> (String, String) {
    let containers = list_at(template_spec, &["containers"]);
    let names: Vec<&str> = containers.iter().map(|c| str_at(c, &["name"])).collect();
    let images: Vec<&str> = containers.iter().map(|c| str_at(c, &["image"])).collect();
    (names.join(","), images.join(","))
}

pub(super) fn template_spec(obj: &Value) -> &Value {
    get(obj, &["spec", "template", "spec"]).unwrap_or(&Value::Null)
}

fn deployment_row(d: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let (names, images) = container_cells(template_spec(d));
    let selector =
        label_selector_string(get(d, &["spec", "selector"])).unwrap_or_else(|| "<invalid>".into());
    vec![
        name(d),
        format!(
            "{}/{}",
            int_at(d, &["status", "readyReplicas"]),
            int_at(d, &["spec", "replicas"])
        ),
        int_at(d, &["status", "updatedReplicas"]).to_string(),
        int_at(d, &["status", "availableReplicas"]).to_string(),
        age(d, now),
        names,
        images,
        selector,
    ]
}

fn replica_set_row(rs: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let (names, images) = container_cells(template_spec(rs));
    vec![
        name(rs),
        int_at(rs, &["spec", "replicas"]).to_string(),
        int_at(rs, &["status", "replicas"]).to_string(),
        int_at(rs, &["status", "readyReplicas"]).to_string(),
        age(rs, now),
        names,
        images,
        format_label_selector(get(rs, &["spec", "selector"])),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::printers::table::render;
    use serde_json::json;

    fn now() -> Timestamp {
        "2026-11-21T14:03:16Z".parse().unwrap()
    }

    fn created(seconds_ago: i64) -> String {
        (now() - jiff::SignedDuration::from_secs(seconds_ago)).to_string()
    }

    fn pending_pod(name: &str, node: Option<&str>, labels: Value) -> Value {
        let mut spec = json!({"containers": [{"name": "app", "image": "nginx"}]});
        if let Some(node) = node {
            spec["nodeName"] = json!(node);
        }
        json!({
            "metadata": {"name": name, "namespace": "default", "labels": labels,
                          "creationTimestamp": created(3)},
            "spec": spec,
            "status": {"phase": "Pending", "qosClass": "BestEffort"}
        })
    }

    fn print(resource: &str, objects: &[Value], opts: TableOptions) -> String {
        let (headers, rows) = table_for(resource, objects, now(), &opts).unwrap();
        render(&headers, &rows)
    }

    #[test]
    fn pods_as_in_case_01() {
        let pods = [pending_pod("nginx", None, Value::Null)];
        assert_eq!(
            print("pods", &pods, TableOptions::default()),
            "NAME    READY   STATUS    RESTARTS   AGE\nnginx   0/1     Pending   0          3s\n"
        );
    }

    #[test]
    fn pods_show_labels_as_in_case_02() {
        let pods = [pending_pod(
            "web",
            None,
            json!({"app": "web", "tier": "frontend"}),
        )];
        let opts = TableOptions {
            show_labels: true,
            ..Default::default()
        };
        assert_eq!(
            print("pods", &pods, opts),
            "NAME   READY   STATUS    RESTARTS   AGE   LABELS\n\
             web    0/1     Pending   0          3s    app=web,tier=frontend\n"
        );
    }

    #[test]
    fn pods_wide_as_in_case_12() {
        let pods = [
            pending_pod("bound", Some("worker-1"), Value::Null),
            pending_pod("unbound", None, Value::Null),
        ];
        let opts = TableOptions {
            wide: true,
            ..Default::default()
        };
        assert_eq!(
            print("po", &pods, opts),
            "NAME      READY   STATUS    RESTARTS   AGE   IP       NODE       NOMINATED NODE   READINESS GATES\n\
             bound     0/1     Pending   0          3s    <none>   worker-1   <none>           <none>\n\
             unbound   0/1     Pending   0          3s    <none>   <none>     <none>           <none>\n"
        );
    }

    #[test]
    fn all_namespaces_adds_namespace_first() {
        let pods = [pending_pod("nginx", None, Value::Null)];
        let opts = TableOptions {
            with_namespace: true,
            ..Default::default()
        };
        assert_eq!(
            print("pods", &pods, opts),
            "NAMESPACE   NAME    READY   STATUS    RESTARTS   AGE\n\
             default     nginx   0/1     Pending   0          3s\n"
        );
    }

    #[test]
    fn terminating_pod_as_in_case_12() {
        let mut pod = pending_pod("bound", Some("worker-1"), Value::Null);
        pod["metadata"]["deletionTimestamp"] = json!(created(0));
        assert_eq!(pod_status(&pod), "Terminating");
        pod["status"]["reason"] = json!("NodeLost");
        assert_eq!(pod_status(&pod), "Unknown");
    }

    fn pod_with_status(container_statuses: Value) -> Value {
        json!({
            "metadata": {"name": "crasher", "creationTimestamp": created(60)},
            "spec": {"containers": [{"name": "app", "image": "busybox:1.36"}]},
            "status": {"phase": "Running", "containerStatuses": container_statuses}
        })
    }

    #[test]
    fn crash_loop_as_in_case_k02() {
        let pod = pod_with_status(json!([{
            "name": "app", "ready": false, "restartCount": 3,
            "state": {"waiting": {"reason": "CrashLoopBackOff"}},
            "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": created(46)}}
        }]));
        assert_eq!(pod_status(&pod), "CrashLoopBackOff");
        assert_eq!(pod_ready(&pod), "0/1");
        assert_eq!(pod_restarts(&pod, now()), "3 (46s ago)");
        let pod = pod_with_status(json!([{
            "name": "app", "ready": false, "restartCount": 3,
            "state": {"terminated": {"exitCode": 1, "reason": "Error"}},
            "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": created(46)}}
        }]));
        assert_eq!(
            print("pods", &[pod], TableOptions::default()),
            "NAME      READY   STATUS   RESTARTS      AGE\ncrasher   0/1     Error    3 (46s ago)   60s\n"
        );
    }

    #[test]
    fn running_and_waiting_containers() {
        let running = pod_with_status(json!([{
            "name": "app", "ready": true, "restartCount": 0, "state": {"running": {"startedAt": created(5)}}
        }]));
        assert_eq!(pod_status(&running), "Running");
        assert_eq!(pod_ready(&running), "1/1");
        assert_eq!(pod_restarts(&running, now()), "0");
        let pulling = pod_with_status(json!([{
            "name": "app", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "ImagePullBackOff"}}
        }]));
        assert_eq!(pod_status(&pulling), "ImagePullBackOff");
        let signalled = pod_with_status(json!([{
            "name": "app", "ready": false, "restartCount": 0,
            "state": {"terminated": {"exitCode": 137, "signal": 9}}
        }]));
        assert_eq!(pod_status(&signalled), "Signal:9");
        let exited = pod_with_status(json!([{
            "name": "app", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 2}}
        }]));
        assert_eq!(pod_status(&exited), "ExitCode:2");
    }

    #[test]
    fn completed_container_beside_a_running_one() {
        let mut pod = pod_with_status(json!([
            {"name": "a", "ready": true, "state": {"running": {}}},
            {"name": "b", "ready": false, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}
        ]));
        assert_eq!(pod_status(&pod), "NotReady");
        pod["status"]["conditions"] = json!([{"type": "Ready", "status": "True"}]);
        assert_eq!(pod_status(&pod), "Running");
    }

    #[test]
    fn init_containers() {
        let mut pod = json!({
            "metadata": {"name": "p"},
            "spec": {"initContainers": [{"name": "i1"}, {"name": "i2"}],
                     "containers": [{"name": "app"}]},
            "status": {"phase": "Pending", "initContainerStatuses": [
                {"name": "i1", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
                {"name": "i2", "state": {"running": {}}}
            ]}
        });
        assert_eq!(pod_status(&pod), "Init:1/2");
        pod["status"]["initContainerStatuses"][1]["state"] =
            json!({"waiting": {"reason": "CrashLoopBackOff"}});
        assert_eq!(pod_status(&pod), "Init:CrashLoopBackOff");
        pod["status"]["initContainerStatuses"][1]["state"] = json!({"terminated": {"exitCode": 3}});
        assert_eq!(pod_status(&pod), "Init:ExitCode:3");
        // A sidecar counts towards READY.
        let sidecar = json!({
            "metadata": {"name": "p"},
            "spec": {"initContainers": [{"name": "s", "restartPolicy": "Always"}],
                     "containers": [{"name": "app"}]},
            "status": {"phase": "Running",
                       "initContainerStatuses": [{"name": "s", "started": true, "ready": true, "state": {"running": {}}}],
                       "containerStatuses": [{"name": "app", "ready": true, "state": {"running": {}}}]}
        });
        assert_eq!(pod_ready(&sidecar), "2/2");
        assert_eq!(pod_status(&sidecar), "Running");
    }

    fn node(name: &str, labels: Value, ip: &str) -> Value {
        json!({
            "metadata": {"name": name, "labels": labels, "creationTimestamp": created(8)},
            "spec": {},
            "status": {
                "conditions": [{"type": "Ready", "status": "True"}],
                "addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}],
                "nodeInfo": {"kubeletVersion": "v1.36.2", "containerRuntimeVersion": "containerd://2.1.0",
                             "osImage": "Debian GNU/Linux 12 (bookworm)", "kernelVersion": "6.1.0",
                             "architecture": "amd64"}
            }
        })
    }

    #[test]
    fn nodes_as_in_case_07() {
        let nodes = [
            node(
                "control-plane",
                json!({"node-role.kubernetes.io/control-plane": ""}),
                "172.18.0.2",
            ),
            node(
                "worker-1",
                json!({"kubernetes.io/hostname": "worker-1"}),
                "172.18.0.3",
            ),
            node("worker-2", json!({}), "172.18.0.4"),
        ];
        assert_eq!(
            print("nodes", &nodes, TableOptions::default()),
            "NAME            STATUS   ROLES           AGE   VERSION\n\
             control-plane   Ready    control-plane   8s    v1.36.2\n\
             worker-1        Ready    <none>          8s    v1.36.2\n\
             worker-2        Ready    <none>          8s    v1.36.2\n"
        );
        let wide = TableOptions {
            wide: true,
            ..Default::default()
        };
        assert_eq!(
            print("nodes", &nodes[1..2], wide),
            "NAME       STATUS   ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION   CONTAINER-RUNTIME\n\
             worker-1   Ready    <none>   8s    v1.36.2   172.18.0.3    <none>        Debian GNU/Linux 12 (bookworm)   6.1.0 (amd64)    containerd://2.1.0\n"
        );
        let mut cordoned = nodes[1].clone();
        cordoned["spec"]["unschedulable"] = json!(true);
        cordoned["status"]["conditions"][0]["status"] = json!("Unknown");
        assert_eq!(node_status(&cordoned), "NotReady,SchedulingDisabled");
    }

    #[test]
    fn services_endpoints_and_slices_as_in_case_10() {
        let svc = json!({
            "metadata": {"name": "web", "creationTimestamp": created(3)},
            "spec": {"type": "ClusterIP", "clusterIP": "10.103.177.61", "clusterIPs": ["10.103.177.61"],
                     "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"}],
                     "selector": {"app": "web"}}
        });
        assert_eq!(
            print("svc", &[svc], TableOptions::default()),
            "NAME   TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE\n\
             web    ClusterIP   10.103.177.61   <none>        80/TCP    3s\n"
        );
        let empty_slice = json!({
            "metadata": {"name": "web-l562b", "creationTimestamp": created(4)},
            "addressType": "IPv4", "endpoints": null, "ports": null
        });
        assert_eq!(
            print("endpointslices", &[empty_slice], TableOptions::default()),
            "NAME        ADDRESSTYPE   PORTS     ENDPOINTS   AGE\n\
             web-l562b   IPv4          <unset>   <unset>     4s\n"
        );
        let endpoints = json!({
            "metadata": {"name": "web", "creationTimestamp": created(7)},
            "subsets": [{"addresses": [{"ip": "10.244.1.5"}], "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}]
        });
        assert_eq!(
            print("endpoints", &[endpoints], TableOptions::default()),
            "NAME   ENDPOINTS         AGE\nweb    10.244.1.5:8080   7s\n"
        );
        let slice = json!({
            "metadata": {"name": "web-k5rpk", "creationTimestamp": created(20)},
            "addressType": "IPv4",
            "endpoints": [{"addresses": ["10.244.5.2"]}, {"addresses": ["10.244.5.3"]},
                          {"addresses": ["10.244.5.4"]}, {"addresses": ["10.244.5.5"]}],
            "ports": [{"name": "http", "port": 80, "protocol": "TCP"}]
        });
        let (_, rows) =
            table_for("endpointslices", &[slice], now(), &TableOptions::default()).unwrap();
        assert_eq!(rows[0][2], "80");
        assert_eq!(rows[0][3], "10.244.5.2,10.244.5.3,10.244.5.4 + 1 more...");
    }

    #[test]
    fn node_port_and_load_balancer_services() {
        let svc = json!({"metadata": {"name": "lb"}, "spec": {"type": "LoadBalancer",
            "clusterIPs": ["10.96.0.10"], "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}]}});
        let (_, rows) = table_for("services", &[svc], now(), &TableOptions::default()).unwrap();
        assert_eq!(rows[0][3], "<pending>");
        assert_eq!(rows[0][4], "80:30080/TCP");
        assert_eq!(rows[0][5], "<unknown>");
    }

    #[test]
    fn events_as_in_case_08() {
        let event = json!({
            "metadata": {"name": "big.1879", "namespace": "default"},
            "involvedObject": {"kind": "Pod", "name": "big", "namespace": "default"},
            "reason": "FailedScheduling", "type": "Warning",
            "message": "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
            "eventTime": "2026-11-21T14:03:12.876543Z",
            "reportingComponent": "default-scheduler",
            "source": {"component": "default-scheduler"}
        });
        assert_eq!(
            print("events", &[event], TableOptions::default()),
            "LAST SEEN   TYPE      REASON             OBJECT    MESSAGE\n\
             3s          Warning   FailedScheduling   pod/big   0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.\n"
        );
    }

    #[test]
    fn deployments_and_replica_sets_as_in_case_11() {
        let template = json!({"metadata": {"labels": {"app": "hello"}},
            "spec": {"containers": [{"name": "hello", "image": "nginx:1.27"}]}});
        let deployment = json!({
            "metadata": {"name": "hello", "creationTimestamp": created(3)},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "hello"}}, "template": template},
            "status": {"replicas": 3, "updatedReplicas": 3, "unavailableReplicas": 3}
        });
        assert_eq!(
            print("deployments", &[deployment], TableOptions::default()),
            "NAME    READY   UP-TO-DATE   AVAILABLE   AGE\nhello   0/3     3            0           3s\n"
        );
        let rs = json!({
            "metadata": {"name": "hello-6b986df65f", "creationTimestamp": created(7)},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "hello", "pod-template-hash": "6b986df65f"}},
                     "template": template},
            "status": {"replicas": 1}
        });
        let wide = TableOptions {
            wide: true,
            ..Default::default()
        };
        assert_eq!(
            print("rs", &[rs], wide),
            "NAME               DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES       SELECTOR\n\
             hello-6b986df65f   1         1         0       7s    hello        nginx:1.27   app=hello,pod-template-hash=6b986df65f\n"
        );
    }

    #[test]
    fn namespaces_service_accounts_config_maps() {
        let ns = json!({"metadata": {"name": "default", "creationTimestamp": created(3)}, "status": {"phase": "Active"}});
        assert_eq!(
            print("ns", &[ns], TableOptions::default()),
            "NAME      STATUS   AGE\ndefault   Active   3s\n"
        );
        // v1.36 printServiceAccount: NAME and AGE, whatever secrets the account lists.
        let sa = json!({"metadata": {"name": "default", "creationTimestamp": created(3)},
                        "secrets": [{"name": "default-token"}]});
        assert_eq!(
            print("sa", &[sa], TableOptions::default()),
            "NAME      AGE\ndefault   3s\n"
        );
        let cm = json!({"metadata": {"name": "kube-root-ca.crt", "creationTimestamp": created(3)},
                        "data": {"ca.crt": "x"}});
        assert_eq!(
            print("configmaps", &[cm], TableOptions::default()),
            "NAME               DATA   AGE\nkube-root-ca.crt   1      3s\n"
        );
        assert!(table_for("widgets", &[], now(), &TableOptions::default()).is_none());
    }
}
