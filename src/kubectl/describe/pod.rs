//! `kubectl describe pod` (describe.go describePod and the describeContainer*/describeVolumes
//! helpers it calls).

use jiff::Timestamp;
use serde_json::{Map, Value};

use super::events::{describe_events, events_for};
use super::writer::{PrefixWriter, LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3};
use super::{
    format_rfc1123z, print_annotations_multiline, print_labels_multiline, print_tolerations,
};
use crate::kubectl::printers::duration::translate_timestamp_since;
use crate::kubectl::printers::object::{
    as_int, bool_at, format_label_selector, get, int_at, list_at, map_at, str_at, string_pairs,
};
use crate::kubectl::printers::quantity::{ceil_div, parse_nanos};

/// describePod: the pod's description followed by its events.
pub fn describe_pod(pod: &Value, events: &[Value], now: Timestamp) -> String {
    let mut w = PrefixWriter::new();
    describe_header(pod, now, &mut w);
    let spec = get(pod, &["spec"]).unwrap_or(&Value::Null);
    let init_containers = list_at(spec, &["initContainers"]);
    if !init_containers.is_empty() {
        let statuses = list_at(pod, &["status", "initContainerStatuses"]);
        describe_containers(
            "Init Containers",
            pod,
            init_containers,
            statuses,
            "",
            &mut w,
        );
    }
    let statuses = list_at(pod, &["status", "containerStatuses"]);
    describe_containers(
        "Containers",
        pod,
        list_at(spec, &["containers"]),
        statuses,
        "",
        &mut w,
    );
    let ephemeral = list_at(spec, &["ephemeralContainers"]);
    if !ephemeral.is_empty() {
        let statuses = list_at(pod, &["status", "ephemeralContainerStatuses"]);
        describe_containers("Ephemeral Containers", pod, ephemeral, statuses, "", &mut w);
    }
    describe_readiness_gates(pod, &mut w);
    describe_conditions(pod, &mut w);
    describe_volumes(list_at(spec, &["volumes"]), "", &mut w);
    w.write(LEVEL_0, &format!("QoS Class:\t{}\n", qos_class(pod)));
    print_labels_multiline(&mut w, "Node-Selectors", map_at(spec, &["nodeSelector"]));
    print_tolerations(&mut w, "Tolerations", list_at(spec, &["tolerations"]));
    describe_topology_spread_constraints(list_at(spec, &["topologySpreadConstraints"]), "", &mut w);
    if let Some(group) = get(spec, &["schedulingGroup"]).filter(|g| g.is_object()) {
        describe_scheduling_group(group, "", &mut w);
    }
    let events = events_for(pod, events, false);
    describe_events(&events, now, &mut w);
    w.finish()
}

/// describeSchedulingGroup (v1.36): the pod group a pod is scheduled with
/// (spec.schedulingGroup.podGroupName).
pub(crate) fn describe_scheduling_group(group: &Value, space: &str, w: &mut PrefixWriter) {
    w.write(LEVEL_0, &format!("{space}SchedulingGroup:\n"));
    w.write(
        LEVEL_1,
        &format!("PodGroupName:\t{}\n", str_at(group, &["podGroupName"])),
    );
}

/// Name down to NominatedNodeName.
fn describe_header(pod: &Value, now: Timestamp, w: &mut PrefixWriter) {
    let meta = |field: &str| str_at(pod, &["metadata", field]);
    let spec = |field: &str| str_at(pod, &["spec", field]);
    let status = |field: &str| str_at(pod, &["status", field]);
    w.write(LEVEL_0, &format!("Name:\t{}\n", meta("name")));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", meta("namespace")));
    if let Some(priority) = get(pod, &["spec", "priority"]).filter(|p| p.is_number()) {
        w.write(LEVEL_0, &format!("Priority:\t{}\n", as_int(priority)));
    }
    if !spec("priorityClassName").is_empty() {
        w.write(
            LEVEL_0,
            &format!("Priority Class Name:\t{}\n", spec("priorityClassName")),
        );
    }
    if !spec("runtimeClassName").is_empty() {
        w.write(
            LEVEL_0,
            &format!("Runtime Class Name:\t{}\n", spec("runtimeClassName")),
        );
    }
    if !spec("serviceAccountName").is_empty() {
        w.write(
            LEVEL_0,
            &format!("Service Account:\t{}\n", spec("serviceAccountName")),
        );
    }
    if spec("nodeName").is_empty() {
        w.write(LEVEL_0, "Node:\t<none>\n");
    } else {
        w.write(
            LEVEL_0,
            &format!("Node:\t{}/{}\n", spec("nodeName"), status("hostIP")),
        );
    }
    if let Some(start) = get(pod, &["status", "startTime"]).and_then(Value::as_str) {
        w.write(
            LEVEL_0,
            &format!("Start Time:\t{}\n", format_rfc1123z(start)),
        );
    }
    print_labels_multiline(w, "Labels", map_at(pod, &["metadata", "labels"]));
    print_annotations_multiline(w, "Annotations", map_at(pod, &["metadata", "annotations"]));
    let phase = status("phase");
    let deletion = get(pod, &["metadata", "deletionTimestamp"]).and_then(Value::as_str);
    match deletion {
        Some(deleted) if phase != "Failed" && phase != "Succeeded" => {
            w.write(
                LEVEL_0,
                &format!(
                    "Status:\tTerminating (lasts {})\n",
                    translate_timestamp_since(Some(deleted), now)
                ),
            );
            w.write(
                LEVEL_0,
                &format!(
                    "Termination Grace Period:\t{}s\n",
                    int_at(pod, &["metadata", "deletionGracePeriodSeconds"])
                ),
            );
        }
        _ => w.write(LEVEL_0, &format!("Status:\t{phase}\n")),
    }
    if !status("reason").is_empty() {
        w.write(LEVEL_0, &format!("Reason:\t{}\n", status("reason")));
    }
    if !status("message").is_empty() {
        w.write(LEVEL_0, &format!("Message:\t{}\n", status("message")));
    }
    if let Some(profile) = get(pod, &["spec", "securityContext", "seccompProfile"]) {
        describe_seccomp(profile, LEVEL_0, LEVEL_0, w);
    }
    w.write(LEVEL_0, &format!("IP:\t{}\n", status("podIP")));
    describe_pod_ips(pod, w);
    if let Some(controller) = controlled_by(pod) {
        w.write(LEVEL_0, &format!("Controlled By:\t{controller}\n"));
    }
    if !status("nominatedNodeName").is_empty() {
        w.write(
            LEVEL_0,
            &format!("NominatedNodeName:\t{}\n", status("nominatedNodeName")),
        );
    }
    if let Some(resources) = get(pod, &["spec", "resources"]).filter(|r| r.is_object()) {
        w.write(LEVEL_0, "Resources:\n");
        describe_resources(resources, LEVEL_1, w);
    }
}

fn describe_seccomp(profile: &Value, level: usize, localhost_level: usize, w: &mut PrefixWriter) {
    let kind = str_at(profile, &["type"]);
    w.write(level, &format!("SeccompProfile:\t{kind}\n"));
    if kind == "Localhost" {
        w.write(
            localhost_level,
            &format!(
                "LocalhostProfile:\t{}\n",
                str_at(profile, &["localhostProfile"])
            ),
        );
    }
}

/// describePodIPs.
fn describe_pod_ips(pod: &Value, w: &mut PrefixWriter) {
    let ips = list_at(pod, &["status", "podIPs"]);
    if ips.is_empty() {
        w.write(LEVEL_0, "IPs:\t<none>\n");
        return;
    }
    w.write(LEVEL_0, "IPs:\n");
    for ip in ips {
        w.write(LEVEL_1, &format!("IP:\t{}\n", str_at(ip, &["ip"])));
    }
}

/// printController: `Kind/name` of the controlling owner reference.
pub(crate) fn controlled_by(obj: &Value) -> Option<String> {
    list_at(obj, &["metadata", "ownerReferences"])
        .iter()
        .find(|r| bool_at(r, &["controller"]))
        .map(|r| format!("{}/{}", str_at(r, &["kind"]), str_at(r, &["name"])))
}

/// describeContainers: `space` indents the label (`"  "` in a pod template, where the container
/// names get one extra space).
pub(crate) fn describe_containers(
    label: &str,
    pod: &Value,
    containers: &[Value],
    statuses: &[Value],
    space: &str,
    w: &mut PrefixWriter,
) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.write(LEVEL_0, &format!("{space}{label}:{none}\n"));
    for container in containers {
        let name = str_at(container, &["name"]);
        // A map keyed by name in Go: the last status of that name wins.
        let status = statuses.iter().rev().find(|s| str_at(s, &["name"]) == name);
        describe_container_basic_info(container, status, name_indent(space), w);
        describe_container_command(container, w);
        if let Some(status) = status {
            describe_container_state(status, w);
        }
        if let Some(resources) = get(container, &["resources"]) {
            describe_resources(resources, LEVEL_2, w);
        }
        describe_container_probes(container, w);
        if !list_at(container, &["envFrom"]).is_empty() {
            describe_container_env_from(container, w);
        }
        describe_container_env_vars(pod, container, w);
        describe_container_volumes(container, w);
    }
}

/// describe.go's nameIndent: one space before a name when the section is indented.
fn name_indent(space: &str) -> &'static str {
    if space.is_empty() {
        ""
    } else {
        " "
    }
}

fn describe_container_basic_info(
    container: &Value,
    status: Option<&Value>,
    name_indent: &str,
    w: &mut PrefixWriter,
) {
    w.write(
        LEVEL_1,
        &format!("{name_indent}{}:\n", str_at(container, &["name"])),
    );
    if let Some(status) = status {
        w.write(
            LEVEL_2,
            &format!("Container ID:\t{}\n", str_at(status, &["containerID"])),
        );
    }
    w.write(
        LEVEL_2,
        &format!("Image:\t{}\n", str_at(container, &["image"])),
    );
    if let Some(status) = status {
        w.write(
            LEVEL_2,
            &format!("Image ID:\t{}\n", str_at(status, &["imageID"])),
        );
    }
    let ports = list_at(container, &["ports"]);
    let port_string = container_ports(ports, "containerPort");
    if port_string.contains(',') {
        w.write(LEVEL_2, &format!("Ports:\t{port_string}\n"));
    } else {
        w.write(LEVEL_2, &format!("Port:\t{}\n", or_none(&port_string)));
    }
    let host_port_string = container_ports(ports, "hostPort");
    if host_port_string.contains(',') {
        w.write(LEVEL_2, &format!("Host Ports:\t{host_port_string}\n"));
    } else {
        w.write(
            LEVEL_2,
            &format!("Host Port:\t{}\n", or_none(&host_port_string)),
        );
    }
    if let Some(profile) = get(container, &["securityContext", "seccompProfile"]) {
        describe_seccomp(profile, LEVEL_2, LEVEL_3, w);
    }
}

fn or_none(s: &str) -> String {
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s.to_string()
    }
}

/// describeContainerPorts / describeContainerHostPorts: `80/TCP`, `8080/TCP (http)`, joined by
/// ", ".
fn container_ports(ports: &[Value], field: &str) -> String {
    ports
        .iter()
        .map(|p| {
            let mut s = format!("{}/{}", int_at(p, &[field]), str_at(p, &["protocol"]));
            let name = str_at(p, &["name"]);
            if !name.is_empty() {
                s = format!("{s} ({name})");
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn string_list(v: &Value, key: &str) -> Vec<String> {
    list_at(v, &[key])
        .iter()
        .map(|s| s.as_str().unwrap_or("").to_string())
        .collect()
}

/// describeContainerCommand: each command and argument on its own line (split at newlines).
fn describe_container_command(container: &Value, w: &mut PrefixWriter) {
    for (key, title) in [("command", "Command"), ("args", "Args")] {
        let items = string_list(container, key);
        if items.is_empty() {
            continue;
        }
        w.write(LEVEL_2, &format!("{title}:\n"));
        for item in &items {
            for line in item.split('\n') {
                w.write(LEVEL_3, &format!("{line}\n"));
            }
        }
    }
}

/// describeResources: Limits then Requests, resource names sorted.
fn describe_resources(resources: &Value, level: usize, w: &mut PrefixWriter) {
    for (key, title) in [("limits", "Limits"), ("requests", "Requests")] {
        let pairs = string_pairs(map_at(resources, &[key]));
        if pairs.is_empty() {
            continue;
        }
        w.write(level, &format!("{title}:\n"));
        for (name, quantity) in pairs {
            w.write(level + 1, &format!("{name}:\t{quantity}\n"));
        }
    }
}

/// describeContainerState: State, Last State (when terminated), Ready, Restart Count.
fn describe_container_state(status: &Value, w: &mut PrefixWriter) {
    let empty = Value::Null;
    describe_state("State", get(status, &["state"]).unwrap_or(&empty), w);
    if let Some(last) = get(status, &["lastState"]) {
        if get(last, &["terminated"]).is_some_and(Value::is_object) {
            describe_state("Last State", last, w);
        }
    }
    let ready = if bool_at(status, &["ready"]) {
        "True"
    } else {
        "False"
    };
    w.write(LEVEL_2, &format!("Ready:\t{ready}\n"));
    w.write(
        LEVEL_2,
        &format!("Restart Count:\t{}\n", int_at(status, &["restartCount"])),
    );
}

/// Formats an RFC 3339 field as RFC 1123Z; Go's zero time when unset.
fn time_field(v: &Value, field: &str) -> String {
    match get(v, &[field]).and_then(Value::as_str) {
        Some(s) => format_rfc1123z(s),
        None => "Mon, 01 Jan 0001 00:00:00 +0000".to_string(),
    }
}

/// describeStatus.
fn describe_state(name: &str, state: &Value, w: &mut PrefixWriter) {
    let part = |key: &str| get(state, &[key]).filter(|v| v.is_object());
    if let Some(running) = part("running") {
        w.write(LEVEL_2, &format!("{name}:\tRunning\n"));
        w.write(
            LEVEL_3,
            &format!("Started:\t{}\n", time_field(running, "startedAt")),
        );
    } else if let Some(waiting) = part("waiting") {
        w.write(LEVEL_2, &format!("{name}:\tWaiting\n"));
        let reason = str_at(waiting, &["reason"]);
        if !reason.is_empty() {
            w.write(LEVEL_3, &format!("Reason:\t{reason}\n"));
        }
    } else if let Some(terminated) = part("terminated") {
        w.write(LEVEL_2, &format!("{name}:\tTerminated\n"));
        let reason = str_at(terminated, &["reason"]);
        if !reason.is_empty() {
            w.write(LEVEL_3, &format!("Reason:\t{reason}\n"));
        }
        let message = str_at(terminated, &["message"]);
        if !message.is_empty() {
            w.write(LEVEL_3, &format!("Message:\t{message}\n"));
        }
        w.write(
            LEVEL_3,
            &format!("Exit Code:\t{}\n", int_at(terminated, &["exitCode"])),
        );
        let signal = int_at(terminated, &["signal"]);
        if signal > 0 {
            w.write(LEVEL_3, &format!("Signal:\t{signal}\n"));
        }
        w.write(
            LEVEL_3,
            &format!("Started:\t{}\n", time_field(terminated, "startedAt")),
        );
        w.write(
            LEVEL_3,
            &format!("Finished:\t{}\n", time_field(terminated, "finishedAt")),
        );
    } else {
        w.write(LEVEL_2, &format!("{name}:\tWaiting\n"));
    }
}

fn describe_container_probes(container: &Value, w: &mut PrefixWriter) {
    for (key, title) in [
        ("livenessProbe", "Liveness"),
        ("readinessProbe", "Readiness"),
        ("startupProbe", "Startup"),
    ] {
        if let Some(probe) = get(container, &[key]).filter(|p| p.is_object()) {
            w.write(LEVEL_2, &format!("{title}:\t{}\n", describe_probe(probe)));
        }
    }
}

/// An IntOrString as Go prints it.
fn int_or_string(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(n @ Value::Number(_)) => as_int(n).to_string(),
        _ => "0".to_string(),
    }
}

/// DescribeProbe: `tcp-socket :80 delay=0s timeout=1s period=2s #success=1 #failure=3`.
pub(crate) fn describe_probe(probe: &Value) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        int_at(probe, &["initialDelaySeconds"]),
        int_at(probe, &["timeoutSeconds"]),
        int_at(probe, &["periodSeconds"]),
        int_at(probe, &["successThreshold"]),
        int_at(probe, &["failureThreshold"]),
    );
    let part = |key: &str| get(probe, &[key]).filter(|v| v.is_object());
    if let Some(exec) = part("exec") {
        return format!("exec [{}] {attrs}", string_list(exec, "command").join(" "));
    }
    if let Some(http) = part("httpGet") {
        let scheme = str_at(http, &["scheme"]).to_lowercase();
        let port = int_or_string(get(http, &["port"]));
        let host = str_at(http, &["host"]);
        let host_port = if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let mut path = str_at(http, &["path"]).to_string();
        if !path.is_empty() && !path.starts_with('/') {
            path = format!("/{path}");
        }
        let url = if scheme.is_empty() {
            format!("//{host_port}{path}")
        } else {
            format!("{scheme}://{host_port}{path}")
        };
        return format!("http-get {url} {attrs}");
    }
    if let Some(tcp) = part("tcpSocket") {
        return format!(
            "tcp-socket {}:{} {attrs}",
            str_at(tcp, &["host"]),
            int_or_string(get(tcp, &["port"]))
        );
    }
    if let Some(grpc) = part("grpc") {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            int_at(grpc, &["port"]),
            str_at(grpc, &["service"])
        );
    }
    format!("unknown {attrs}")
}

/// describeContainerEnvFrom.
fn describe_container_env_from(container: &Value, w: &mut PrefixWriter) {
    w.write(LEVEL_2, "Environment Variables from:\n");
    for source in list_at(container, &["envFrom"]) {
        let (from, reference) = if let Some(r) = get(source, &["configMapRef"]) {
            ("ConfigMap", r)
        } else if let Some(r) = get(source, &["secretRef"]) {
            ("Secret", r)
        } else {
            ("", &Value::Null)
        };
        let name = str_at(reference, &["name"]);
        let optional = bool_at(reference, &["optional"]);
        let prefix = str_at(source, &["prefix"]);
        if prefix.is_empty() {
            w.write(LEVEL_3, &format!("{name}\t{from}\tOptional: {optional}\n"));
        } else {
            w.write(
                LEVEL_3,
                &format!("{name}\t{from} with prefix '{prefix}'\tOptional: {optional}\n"),
            );
        }
    }
}

/// describeContainerEnvVars.
fn describe_container_env_vars(pod: &Value, container: &Value, w: &mut PrefixWriter) {
    let env = list_at(container, &["env"]);
    let none = if env.is_empty() { "\t<none>" } else { "" };
    w.write(LEVEL_2, &format!("Environment:{none}\n"));
    for e in env {
        let name = str_at(e, &["name"]);
        let Some(value_from) = get(e, &["valueFrom"]).filter(|v| v.is_object()) else {
            for (i, line) in str_at(e, &["value"]).split('\n').enumerate() {
                if i == 0 {
                    w.write(LEVEL_3, &format!("{name}:\t{line}\n"));
                } else {
                    w.write(LEVEL_3, &format!("\t{line}\n"));
                }
            }
            continue;
        };
        let part = |key: &str| get(value_from, &[key]).filter(|v| v.is_object());
        if let Some(field_ref) = part("fieldRef") {
            let path = str_at(field_ref, &["fieldPath"]);
            w.write(
                LEVEL_3,
                &format!(
                    "{name}:\t{} ({}:{path})\n",
                    resolve_field_ref(pod, path),
                    str_at(field_ref, &["apiVersion"])
                ),
            );
        } else if let Some(resource_ref) = part("resourceFieldRef") {
            let resource = str_at(resource_ref, &["resource"]);
            let mut value = container_resource_value(container, resource_ref);
            if value == "0" && (resource == "limits.cpu" || resource == "limits.memory") {
                value = "node allocatable".to_string();
            }
            w.write(LEVEL_3, &format!("{name}:\t{value} ({resource})\n"));
        } else if let Some(secret) = part("secretKeyRef") {
            w.write(
                LEVEL_3,
                &format!(
                    "{name}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    str_at(secret, &["key"]),
                    str_at(secret, &["name"]),
                    bool_at(secret, &["optional"])
                ),
            );
        } else if let Some(cm) = part("configMapKeyRef") {
            w.write(
                LEVEL_3,
                &format!(
                    "{name}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    str_at(cm, &["key"]),
                    str_at(cm, &["name"]),
                    bool_at(cm, &["optional"])
                ),
            );
        }
    }
}

/// EnvValueRetriever: the downward API value of a fieldRef.
fn resolve_field_ref(pod: &Value, path: &str) -> String {
    let quoted_key = |prefix: &str| -> Option<String> {
        let rest = path.strip_prefix(prefix)?.strip_suffix("']")?;
        Some(rest.to_string())
    };
    if let Some(key) = quoted_key("metadata.labels['") {
        return str_at(pod, &["metadata", "labels", &key]).to_string();
    }
    if let Some(key) = quoted_key("metadata.annotations['") {
        return str_at(pod, &["metadata", "annotations", &key]).to_string();
    }
    let field = |p: &[&str]| str_at(pod, p).to_string();
    match path {
        "metadata.name" => field(&["metadata", "name"]),
        "metadata.namespace" => field(&["metadata", "namespace"]),
        "metadata.uid" => field(&["metadata", "uid"]),
        "spec.nodeName" => field(&["spec", "nodeName"]),
        "spec.serviceAccountName" => field(&["spec", "serviceAccountName"]),
        "status.hostIP" => field(&["status", "hostIP"]),
        "status.podIP" => field(&["status", "podIP"]),
        "status.hostIPs" | "status.podIPs" => {
            let key = if path == "status.podIPs" {
                "podIPs"
            } else {
                "hostIPs"
            };
            list_at(pod, &["status", key])
                .iter()
                .map(|ip| str_at(ip, &["ip"]).to_string())
                .collect::<Vec<_>>()
                .join(",")
        }
        "metadata.labels" | "metadata.annotations" => {
            let key = path.trim_start_matches("metadata.");
            string_pairs(map_at(pod, &["metadata", key]))
                .iter()
                .map(|(k, v)| format!("{k}=\"{v}\""))
                .collect::<Vec<_>>()
                .join("\n")
        }
        _ => String::new(),
    }
}

/// ExtractContainerResourceValue: the container's request or limit divided by the divisor,
/// rounded up.
fn container_resource_value(container: &Value, resource_ref: &Value) -> String {
    let resource = str_at(resource_ref, &["resource"]);
    let Some((kind, name)) = resource.split_once('.') else {
        return String::new();
    };
    if !matches!(kind, "limits" | "requests") {
        return String::new();
    }
    let divisor = get(resource_ref, &["divisor"])
        .and_then(Value::as_str)
        .and_then(parse_nanos)
        .filter(|d| *d != 0)
        .unwrap_or(1_000_000_000);
    let value = str_at(container, &["resources", kind, name]);
    let nanos = parse_nanos(value).unwrap_or(0);
    ceil_div(nanos, divisor).to_string()
}

/// describeContainerVolumes: mounts sorted by path, then devices.
fn describe_container_volumes(container: &Value, w: &mut PrefixWriter) {
    let mut mounts: Vec<&Value> = list_at(container, &["volumeMounts"]).iter().collect();
    let none = if mounts.is_empty() { "\t<none>" } else { "" };
    w.write(LEVEL_2, &format!("Mounts:{none}\n"));
    mounts.sort_by(|a, b| str_at(a, &["mountPath"]).cmp(str_at(b, &["mountPath"])));
    for mount in mounts {
        let mut flags = vec![if bool_at(mount, &["readOnly"]) {
            "ro".to_string()
        } else {
            "rw".to_string()
        }];
        let sub_path = str_at(mount, &["subPath"]);
        if !sub_path.is_empty() {
            flags.push(format!("path={}", go_quote(sub_path)));
        }
        w.write(
            LEVEL_3,
            &format!(
                "{} from {} ({})\n",
                str_at(mount, &["mountPath"]),
                str_at(mount, &["name"]),
                flags.join(",")
            ),
        );
    }
    let mut devices: Vec<&Value> = list_at(container, &["volumeDevices"]).iter().collect();
    if !devices.is_empty() {
        // describe.go reuses the mounts' "<none>" here.
        w.write(LEVEL_2, &format!("Devices:{none}\n"));
        devices.sort_by(|a, b| str_at(a, &["devicePath"]).cmp(str_at(b, &["devicePath"])));
        for device in devices {
            w.write(
                LEVEL_3,
                &format!(
                    "{} from {}\n",
                    str_at(device, &["devicePath"]),
                    str_at(device, &["name"])
                ),
            );
        }
    }
}

/// Go's %q for a plain string.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn describe_readiness_gates(pod: &Value, w: &mut PrefixWriter) {
    let gates = list_at(pod, &["spec", "readinessGates"]);
    if gates.is_empty() {
        return;
    }
    w.write(LEVEL_0, "Readiness Gates:\n  Type\tStatus\n");
    let conditions = list_at(pod, &["status", "conditions"]);
    for gate in gates {
        let wanted = str_at(gate, &["conditionType"]);
        let status = conditions
            .iter()
            .find(|c| str_at(c, &["type"]) == wanted)
            .map_or("<none>", |c| str_at(c, &["status"]));
        w.write(LEVEL_1, &format!("{wanted} \t{status} \n"));
    }
}

fn describe_conditions(pod: &Value, w: &mut PrefixWriter) {
    let conditions = list_at(pod, &["status", "conditions"]);
    if conditions.is_empty() {
        return;
    }
    w.write(LEVEL_0, "Conditions:\n  Type\tStatus\n");
    for c in conditions {
        w.write(
            LEVEL_1,
            &format!("{} \t{} \n", str_at(c, &["type"]), str_at(c, &["status"])),
        );
    }
}

/// describeTopologySpreadConstraints.
pub(crate) fn describe_topology_spread_constraints(
    constraints: &[Value],
    space: &str,
    w: &mut PrefixWriter,
) {
    if constraints.is_empty() {
        return;
    }
    let mut sorted: Vec<&Value> = constraints.iter().collect();
    sorted.sort_by(|a, b| str_at(a, &["topologyKey"]).cmp(str_at(b, &["topologyKey"])));
    w.write(LEVEL_0, &format!("{space}Topology Spread Constraints:\t"));
    for (i, tsc) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, &format!("{space}\t"));
        }
        let mut line = format!(
            "{}:{} when max skew {} is exceeded",
            str_at(tsc, &["topologyKey"]),
            str_at(tsc, &["whenUnsatisfiable"]),
            int_at(tsc, &["maxSkew"])
        );
        if let Some(selector) = get(tsc, &["labelSelector"]).filter(|s| s.is_object()) {
            line.push_str(&format!(
                " for selector {}",
                format_label_selector(Some(selector))
            ));
        }
        w.write(LEVEL_0, &format!("{line}\n"));
    }
}

/// describeVolumes.
pub(crate) fn describe_volumes(volumes: &[Value], space: &str, w: &mut PrefixWriter) {
    if volumes.is_empty() {
        w.write(LEVEL_0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.write(LEVEL_0, &format!("{space}Volumes:\n"));
    let indent = name_indent(space);
    for volume in volumes {
        w.write(
            LEVEL_1,
            &format!("{indent}{}:\n", str_at(volume, &["name"])),
        );
        describe_volume_source(volume, w);
    }
}

fn optional(v: &Value) -> bool {
    bool_at(v, &["optional"])
}

pub(crate) fn describe_volume_source(volume: &Value, w: &mut PrefixWriter) {
    let source = |key: &str| get(volume, &[key]).filter(|v| v.is_object());
    if let Some(host_path) = source("hostPath") {
        let kind = get(host_path, &["type"])
            .and_then(Value::as_str)
            .unwrap_or("<none>");
        w.write(
            LEVEL_2,
            &format!(
                "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{kind}\n",
                str_at(host_path, &["path"])
            ),
        );
    } else if let Some(empty_dir) = source("emptyDir") {
        let size = get(empty_dir, &["sizeLimit"])
            .and_then(Value::as_str)
            .filter(|s| parse_nanos(s).is_some_and(|n| n > 0))
            .unwrap_or("<unset>");
        w.write(
            LEVEL_2,
            &format!(
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n",
                str_at(empty_dir, &["medium"])
            ),
        );
    } else if let Some(secret) = source("secret") {
        w.write(
            LEVEL_2,
            &format!(
                "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                str_at(secret, &["secretName"]),
                optional(secret)
            ),
        );
    } else if let Some(cm) = source("configMap") {
        w.write(
            LEVEL_2,
            &format!(
                "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                str_at(cm, &["name"]),
                optional(cm)
            ),
        );
    } else if let Some(claim) = source("persistentVolumeClaim") {
        w.write(
            LEVEL_2,
            &format!(
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                str_at(claim, &["claimName"]),
                bool_at(claim, &["readOnly"])
            ),
        );
    } else if let Some(downward) = source("downwardAPI") {
        w.write(
            LEVEL_2,
            "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n",
        );
        for item in list_at(downward, &["items"]) {
            let path = str_at(item, &["path"]);
            if let Some(field) = get(item, &["fieldRef"]).filter(|v| v.is_object()) {
                w.write(
                    LEVEL_3,
                    &format!("{} -> {path}\n", str_at(field, &["fieldPath"])),
                );
            }
            if let Some(res) = get(item, &["resourceFieldRef"]).filter(|v| v.is_object()) {
                w.write(
                    LEVEL_3,
                    &format!("{} -> {path}\n", str_at(res, &["resource"])),
                );
            }
        }
    } else if let Some(projected) = source("projected") {
        describe_projected(projected, w);
    } else if let Some(image) = source("image") {
        w.write(
            LEVEL_2,
            &format!(
                "Type:\tImage (a container image or OCI artifact)\n    Reference:\t{}\n    PullPolicy:\t{}\n",
                str_at(image, &["reference"]),
                str_at(image, &["pullPolicy"])
            ),
        );
    } else {
        w.write(LEVEL_1, "<unknown>\n");
    }
}

/// printProjectedVolumeSource: the kube-api-access-* volume shows as TokenExpirationSeconds,
/// ConfigMapName/Optional and DownwardAPI lines.
fn describe_projected(projected: &Value, w: &mut PrefixWriter) {
    w.write(
        LEVEL_2,
        "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
    );
    for source in list_at(projected, &["sources"]) {
        let part = |key: &str| get(source, &[key]).filter(|v| v.is_object());
        if let Some(secret) = part("secret") {
            w.write(
                LEVEL_2,
                &format!(
                    "SecretName:\t{}\n    Optional:\t{}\n",
                    str_at(secret, &["name"]),
                    optional(secret)
                ),
            );
        } else if part("downwardAPI").is_some() {
            w.write(LEVEL_2, "DownwardAPI:\ttrue\n");
        } else if let Some(cm) = part("configMap") {
            w.write(
                LEVEL_2,
                &format!(
                    "ConfigMapName:\t{}\n    Optional:\t{}\n",
                    str_at(cm, &["name"]),
                    optional(cm)
                ),
            );
        } else if let Some(token) = part("serviceAccountToken") {
            w.write(
                LEVEL_2,
                &format!(
                    "TokenExpirationSeconds:\t{}\n",
                    int_at(token, &["expirationSeconds"])
                ),
            );
        }
    }
}

/// qos.GetPodQOS: status.qosClass, else computed from the containers' requests and limits.
pub(crate) fn qos_class(pod: &Value) -> String {
    let stored = str_at(pod, &["status", "qosClass"]);
    if !stored.is_empty() {
        return stored.to_string();
    }
    compute_qos(pod).to_string()
}

/// Adds the positive cpu and memory quantities of `list` into `sum`.
fn add_qos_resources(sum: &mut Map<String, Value>, list: Option<&Map<String, Value>>) {
    for (name, quantity) in list.into_iter().flatten() {
        if name != "cpu" && name != "memory" {
            continue;
        }
        let nanos = quantity.as_str().and_then(parse_nanos).unwrap_or(0);
        if nanos > 0 {
            let prev = sum
                .get(name)
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<i128>().ok());
            let total = prev.unwrap_or(0) + nanos;
            sum.insert(name.clone(), Value::String(total.to_string()));
        }
    }
}

fn has_cpu_and_memory_limits(limits: Option<&Map<String, Value>>) -> bool {
    let positive = |name: &str| {
        limits
            .and_then(|l| l.get(name))
            .and_then(Value::as_str)
            .and_then(parse_nanos)
            .is_some_and(|n| n > 0)
    };
    positive("cpu") && positive("memory")
}

/// ComputePodQOS.
fn compute_qos(pod: &Value) -> &'static str {
    let mut requests = Map::new();
    let mut limits = Map::new();
    let mut guaranteed = true;
    if let Some(resources) = get(pod, &["spec", "resources"]).filter(|r| r.is_object()) {
        add_qos_resources(&mut requests, map_at(resources, &["requests"]));
        if let Some(l) = map_at(resources, &["limits"]) {
            add_qos_resources(&mut limits, Some(l));
            guaranteed &= has_cpu_and_memory_limits(Some(l));
        }
    } else {
        let containers = list_at(pod, &["spec", "containers"])
            .iter()
            .chain(list_at(pod, &["spec", "initContainers"]));
        for c in containers {
            add_qos_resources(&mut requests, map_at(c, &["resources", "requests"]));
            let l = map_at(c, &["resources", "limits"]);
            add_qos_resources(&mut limits, l);
            guaranteed &= has_cpu_and_memory_limits(l);
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed {
        guaranteed = requests
            .iter()
            .all(|(name, req)| limits.get(name) == Some(req));
    }
    if guaranteed && requests.len() == limits.len() {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The pod of case 01 as `kubectl get pod nginx -o json` would show it.
    const CASE_01_POD: &str = r#"{"apiVersion": "v1", "kind": "Pod", "metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"annotations\":{},\"name\":\"nginx\",\"namespace\":\"default\"},\"spec\":{\"containers\":[{\"image\":\"nginx:1.27\",\"name\":\"nginx\",\"ports\":[{\"containerPort\":80}]}]}}\n"}, "creationTimestamp": "2026-11-21T14:03:13Z", "generation": 1, "name": "nginx", "namespace": "default", "resourceVersion": "268", "uid": "aa358aca-7596-4dd0-8126-dd13f5688efd"}, "spec": {"containers": [{"image": "nginx:1.27", "imagePullPolicy": "IfNotPresent", "name": "nginx", "ports": [{"containerPort": 80, "protocol": "TCP"}], "resources": {}, "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File", "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-nz95l", "readOnly": true}]}], "dnsPolicy": "ClusterFirst", "enableServiceLinks": true, "preemptionPolicy": "PreemptLowerPriority", "priority": 0, "restartPolicy": "Always", "schedulerName": "default-scheduler", "securityContext": {}, "serviceAccount": "default", "serviceAccountName": "default", "terminationGracePeriodSeconds": 30, "tolerations": [{"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300}, {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}], "volumes": [{"name": "kube-api-access-nz95l", "projected": {"defaultMode": 420, "sources": [{"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}, {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}}, {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}]}}]}, "status": {"conditions": [{"lastProbeTime": null, "lastTransitionTime": "2026-11-21T14:03:13Z", "message": "no nodes available to schedule pods", "observedGeneration": 1, "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}], "phase": "Pending", "qosClass": "BestEffort"}}"#;

    fn at(t: &str) -> Timestamp {
        t.parse().unwrap()
    }

    /// An event as the scheduler writes it (events.k8s.io/v1, read back as core/v1).
    fn scheduler_event(
        pod: &Value,
        name: &str,
        event_time: &str,
        kind: &str,
        reason: &str,
        message: &str,
    ) -> Value {
        json!({
            "metadata": {"name": name, "namespace": "default"},
            "involvedObject": {"kind": "Pod", "name": str_at(pod, &["metadata", "name"]),
                               "namespace": "default", "uid": str_at(pod, &["metadata", "uid"])},
            "reason": reason, "message": message, "type": kind,
            "eventTime": event_time,
            "reportingComponent": "default-scheduler",
            "reportingInstance": "default-scheduler-control-plane",
            "source": {}
        })
    }

    /// An event as the kubelet writes it (core/v1 with counts).
    fn kubelet_event(
        pod: &Value,
        name: &str,
        (first, last, count): (&str, &str, i64),
        (kind, reason, message): (&str, &str, &str),
        container: &str,
    ) -> Value {
        json!({
            "metadata": {"name": name, "namespace": "default"},
            "involvedObject": {"kind": "Pod", "name": str_at(pod, &["metadata", "name"]),
                               "namespace": "default", "uid": str_at(pod, &["metadata", "uid"]),
                               "fieldPath": format!("spec.containers{{{container}}}")},
            "reason": reason, "message": message, "type": kind, "count": count,
            "firstTimestamp": first, "lastTimestamp": last,
            "source": {"component": "kubelet", "host": "real-worker"},
            "reportingComponent": "kubelet", "reportingInstance": "real-worker"
        })
    }

    #[test]
    fn pending_pod_without_nodes_as_in_case_01() {
        let pod: Value = serde_json::from_str(CASE_01_POD).unwrap();
        let events = [
            scheduler_event(
                &pod,
                "nginx.1",
                "2026-11-21T14:03:13.000000Z",
                "Warning",
                "FailedScheduling",
                "no nodes available to schedule pods",
            ),
            scheduler_event(
                &pod,
                "nginx.2",
                "2026-11-21T14:03:14.000000Z",
                "Warning",
                "FailedScheduling",
                "no nodes available to schedule pods",
            ),
        ];
        let got = describe_pod(&pod, &events, at("2026-11-21T14:03:16Z"));
        let want = "Name:             nginx
Namespace:        default
Priority:         0
Service Account:  default
Node:             <none>
Labels:           <none>
Annotations:      <none>
Status:           Pending
IP:               
IPs:              <none>
Containers:
  nginx:
    Image:        nginx:1.27
    Port:         80/TCP
    Host Port:    0/TCP
    Environment:  <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-nz95l (ro)
Conditions:
  Type           Status
  PodScheduled   False 
Volumes:
  kube-api-access-nz95l:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    Optional:                false
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason            Age   From               Message
  ----     ------            ----  ----               -------
  Warning  FailedScheduling  3s    default-scheduler  no nodes available to schedule pods
  Warning  FailedScheduling  2s    default-scheduler  no nodes available to schedule pods
";
        assert_eq!(got, want);
    }

    /// describePod ends with describeSchedulingGroup when spec.schedulingGroup is set (v1.36):
    /// `SchedulingGroup:` (no tab: it ends the block above) then `PodGroupName:`, aligned with
    /// the `Events:` line that follows.
    #[test]
    fn scheduling_group_after_tolerations() {
        let pod = case_01_pod_with(|p| {
            p["spec"]["schedulingGroup"] = json!({"podGroupName": "gang-1"});
        });
        let got = describe_pod(&pod, &[], at("2026-11-21T14:03:16Z"));
        assert!(
            got.ends_with(
                "node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n\
                 SchedulingGroup:\n  PodGroupName:  gang-1\nEvents:          <none>\n"
            ),
            "{got}"
        );
    }

    fn case_01_pod_with(edit: impl FnOnce(&mut Value)) -> Value {
        let mut pod: Value = serde_json::from_str(CASE_01_POD).unwrap();
        edit(&mut pod);
        pod
    }

    #[test]
    fn bound_pod_with_requests_as_in_case_08() {
        let pod = case_01_pod_with(|p| {
            p["metadata"]["name"] = json!("big");
            p["metadata"]["annotations"] = json!({});
            p["spec"]["containers"] = json!([{
                "name": "app", "image": "busybox", "command": ["sleep", "3600"],
                "resources": {"requests": {"cpu": "8", "memory": "1Gi"}},
                "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                                  "name": "kube-api-access-qc28t", "readOnly": true}]
            }]);
            p["spec"]["volumes"][0]["name"] = json!("kube-api-access-qc28t");
            p["status"]["qosClass"] = json!("Burstable");
        });
        let events = [scheduler_event(&pod, "big.1", "2026-11-21T14:03:13.000000Z", "Warning", "FailedScheduling",
            "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")];
        let got = describe_pod(&pod, &events, at("2026-11-21T14:03:16Z"));
        let containers = got
            .split("Containers:\n")
            .nth(1)
            .unwrap()
            .split("Conditions:")
            .next()
            .unwrap();
        assert_eq!(
            containers,
            "  app:
    Image:      busybox
    Port:       <none>
    Host Port:  <none>
    Command:
      sleep
      3600
    Requests:
      cpu:        8
      memory:     1Gi
    Environment:  <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-qc28t (ro)
"
        );
        assert!(got.contains("\nQoS Class:                   Burstable\n"));
        assert!(got.ends_with("Events:
  Type     Reason            Age   From               Message
  ----     ------            ----  ----               -------
  Warning  FailedScheduling  3s    default-scheduler  0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.
"));
    }

    #[test]
    fn node_and_selectors_as_in_cases_07_and_09() {
        let pod = case_01_pod_with(|p| {
            p["spec"]["nodeName"] = json!("worker-1");
            p["metadata"]["labels"] = json!({"topology.kubernetes.io/zone": "zone-a"});
            p["spec"]["nodeSelector"] = json!({"node-role.kubernetes.io/control-plane": ""});
        });
        let got = describe_pod(&pod, &[], at("2026-11-21T14:03:16Z"));
        assert!(got.contains(
            "\nNode:             worker-1/\nLabels:           topology.kubernetes.io/zone=zone-a\n"
        ));
        assert!(
            got.contains("\nNode-Selectors:              node-role.kubernetes.io/control-plane=\n")
        );
        assert!(got.ends_with("\nEvents:                      <none>\n"));
    }

    fn running_pod(
        name: &str,
        container: &str,
        command: Value,
        container_status: Value,
        ready: bool,
    ) -> Value {
        let status = if ready { "True" } else { "False" };
        case_01_pod_with(|p| {
            p["metadata"]["name"] = json!(name);
            p["metadata"]["annotations"] = json!({});
            p["spec"]["nodeName"] = json!("real-worker");
            p["spec"]["containers"] = json!([{
                "name": container, "image": "busybox:1.36", "command": command,
                "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                                  "name": "kube-api-access-nm6dt", "readOnly": true}]
            }]);
            p["spec"]["volumes"][0]["name"] = json!("kube-api-access-nm6dt");
            p["status"] = json!({
                "phase": "Running", "hostIP": "10.200.0.1", "hostIPs": [{"ip": "10.200.0.1"}],
                "podIP": "10.244.5.2", "podIPs": [{"ip": "10.244.5.2"}],
                "startTime": "2026-11-21T14:56:41Z", "qosClass": "BestEffort",
                "conditions": [
                    {"type": "PodReadyToStartContainers", "status": "True"},
                    {"type": "Initialized", "status": "True"},
                    {"type": "Ready", "status": status},
                    {"type": "ContainersReady", "status": status},
                    {"type": "PodScheduled", "status": "True"}
                ],
                "containerStatuses": [container_status]
            });
        })
    }

    #[test]
    fn running_pod_as_in_case_k01() {
        let pod = running_pod(
            "hello",
            "hello",
            json!(["sh", "-c", "echo hello; sleep 3600"]),
            json!({
                "name": "hello", "ready": true, "restartCount": 0, "started": true,
                "containerID": "containerd://cd075fa59c7c082e0fb57a76ec4b3196183b0c526f97fa6e61ec41ab659b9c39",
                "image": "docker.io/library/busybox:1.36",
                "imageID": "docker.io/library/busybox@sha256:9bb98427aa94834f170ed6661e83f4f64f5fbe67076abbbcb5b1b657a414f6bc",
                "state": {"running": {"startedAt": "2026-11-21T14:56:42Z"}}
            }),
            true,
        );
        let t = "2026-11-21T14:56:41Z";
        let events = [
            scheduler_event(&pod, "hello.1", "2026-11-21T14:56:41.000000Z", "Normal", "Scheduled", "Successfully assigned default/hello to real-worker"),
            kubelet_event(&pod, "hello.2", (t, t, 1), ("Normal", "Pulled", "Container image \"busybox:1.36\" already present on machine and can be accessed by the pod"), "hello"),
            kubelet_event(&pod, "hello.3", (t, t, 1), ("Normal", "Created", "Container created"), "hello"),
            kubelet_event(&pod, "hello.4", (t, t, 1), ("Normal", "Started", "Container started"), "hello"),
        ];
        let got = describe_pod(&pod, &events, at("2026-11-21T14:56:47Z"));
        let want = "Name:             hello
Namespace:        default
Priority:         0
Service Account:  default
Node:             real-worker/10.200.0.1
Start Time:       Sat, 21 Nov 2026 14:56:41 +0000
Labels:           <none>
Annotations:      <none>
Status:           Running
IP:               10.244.5.2
IPs:
  IP:  10.244.5.2
Containers:
  hello:
    Container ID:  containerd://cd075fa59c7c082e0fb57a76ec4b3196183b0c526f97fa6e61ec41ab659b9c39
    Image:         busybox:1.36
    Image ID:      docker.io/library/busybox@sha256:9bb98427aa94834f170ed6661e83f4f64f5fbe67076abbbcb5b1b657a414f6bc
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      echo hello; sleep 3600
    State:          Running
      Started:      Sat, 21 Nov 2026 14:56:42 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-nm6dt (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  kube-api-access-nm6dt:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    Optional:                false
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age   From               Message
  ----    ------     ----  ----               -------
  Normal  Scheduled  6s    default-scheduler  Successfully assigned default/hello to real-worker
  Normal  Pulled     6s    kubelet            spec.containers{hello}: Container image \"busybox:1.36\" already present on machine and can be accessed by the pod
  Normal  Created    6s    kubelet            spec.containers{hello}: Container created
  Normal  Started    6s    kubelet            spec.containers{hello}: Container started
";
        assert_eq!(got, want);
    }

    #[test]
    fn crash_looping_pod_as_in_case_k02() {
        let pod = running_pod(
            "crasher",
            "app",
            json!(["sh", "-c", "echo starting; exit 1"]),
            json!({
                "name": "app", "ready": false, "restartCount": 3, "started": false,
                "containerID": "containerd://fdbf32eb2cea497837a5ae25db355939769b98b3e8a2f46d00398fcd0991264a",
                "image": "docker.io/library/busybox:1.36",
                "imageID": "docker.io/library/busybox@sha256:9bb98427aa94834f170ed6661e83f4f64f5fbe67076abbbcb5b1b657a414f6bc",
                "state": {"terminated": {"exitCode": 1, "reason": "Error",
                    "startedAt": "2026-11-21T14:58:00Z", "finishedAt": "2026-11-21T14:58:00Z"}},
                "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                    "startedAt": "2026-11-21T14:57:36Z", "finishedAt": "2026-11-21T14:57:36Z"}}
            }),
            false,
        );
        let first = "2026-11-21T14:57:22Z";
        let events = [
            scheduler_event(&pod, "crasher.1", "2026-11-21T14:57:22.000000Z", "Normal", "Scheduled", "Successfully assigned default/crasher to real-worker"),
            kubelet_event(&pod, "crasher.2", (first, "2026-11-21T14:58:00Z", 4), ("Normal", "Pulled", "Container image \"busybox:1.36\" already present on machine and can be accessed by the pod"), "app"),
            kubelet_event(&pod, "crasher.3", (first, "2026-11-21T14:58:00Z", 4), ("Normal", "Created", "Container created"), "app"),
            kubelet_event(&pod, "crasher.4", (first, "2026-11-21T14:58:00Z", 4), ("Normal", "Started", "Container started"), "app"),
            kubelet_event(&pod, "crasher.5", ("2026-11-21T14:57:23Z", "2026-11-21T14:58:01Z", 3), ("Warning", "BackOff", "Back-off restarting failed container app in pod crasher_default(f825b550-59bf-4a80-903c-5be6408dbf33)"), "app"),
        ];
        let got = describe_pod(&pod, &events, at("2026-11-21T14:58:22Z"));
        let containers = got
            .split("Containers:\n")
            .nth(1)
            .unwrap()
            .split("Conditions:")
            .next()
            .unwrap();
        assert_eq!(containers, "  app:
    Container ID:  containerd://fdbf32eb2cea497837a5ae25db355939769b98b3e8a2f46d00398fcd0991264a
    Image:         busybox:1.36
    Image ID:      docker.io/library/busybox@sha256:9bb98427aa94834f170ed6661e83f4f64f5fbe67076abbbcb5b1b657a414f6bc
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      echo starting; exit 1
    State:          Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Sat, 21 Nov 2026 14:58:00 +0000
      Finished:     Sat, 21 Nov 2026 14:58:00 +0000
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Sat, 21 Nov 2026 14:57:36 +0000
      Finished:     Sat, 21 Nov 2026 14:57:36 +0000
    Ready:          False
    Restart Count:  3
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-nm6dt (ro)
");
        let events_block = got.split("Events:\n").nth(1).unwrap();
        assert_eq!(events_block, "  Type     Reason     Age                From               Message
  ----     ------     ----               ----               -------
  Normal   Scheduled  60s                default-scheduler  Successfully assigned default/crasher to real-worker
  Normal   Pulled     22s (x4 over 60s)  kubelet            spec.containers{app}: Container image \"busybox:1.36\" already present on machine and can be accessed by the pod
  Normal   Created    22s (x4 over 60s)  kubelet            spec.containers{app}: Container created
  Normal   Started    22s (x4 over 60s)  kubelet            spec.containers{app}: Container started
  Warning  BackOff    21s (x3 over 59s)  kubelet            spec.containers{app}: Back-off restarting failed container app in pod crasher_default(f825b550-59bf-4a80-903c-5be6408dbf33)
");
    }

    #[test]
    fn terminating_pod_labels_annotations_env() {
        let pod = case_01_pod_with(|p| {
            p["metadata"]["deletionTimestamp"] = json!("2026-11-21T14:03:14Z");
            p["metadata"]["deletionGracePeriodSeconds"] = json!(30);
            p["metadata"]["labels"] = json!({"app": "web", "tier": "frontend"});
            p["metadata"]["annotations"]["note"] = json!("hello");
            p["metadata"]["ownerReferences"] =
                json!([{"kind": "ReplicaSet", "name": "hello-6b986df65f", "controller": true}]);
            p["spec"]["containers"][0]["env"] = json!([
                {"name": "A", "value": "1"},
                {"name": "POD", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                {"name": "S", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}
            ]);
            p["spec"]["containers"][0]["readinessProbe"] = json!({"tcpSocket": {"port": 80},
                "initialDelaySeconds": 0, "timeoutSeconds": 1, "periodSeconds": 2, "successThreshold": 1, "failureThreshold": 3});
        });
        let got = describe_pod(&pod, &[], at("2026-11-21T14:03:16Z"));
        assert!(got.contains("\nLabels:                    app=web\n                           tier=frontend\nAnnotations:               note: hello\nStatus:                    Terminating (lasts 2s)\nTermination Grace Period:  30s\nIP:                        \n"), "{got}");
        assert!(
            got.contains("\nControlled By:             ReplicaSet/hello-6b986df65f\n"),
            "{got}"
        );
        assert!(got.contains("    Readiness:  tcp-socket :80 delay=0s timeout=1s period=2s #success=1 #failure=3\n    Environment:\n      A:    1\n      POD:  nginx (v1:metadata.name)\n      S:    <set to the key 'k' in secret 's'>  Optional: false\n"), "{got}");
    }
}
