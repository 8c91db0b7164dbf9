//! `kubectl describe node` (describe.go NodeDescriber.Describe, describeNode,
//! describeNodeLease, describeNodeResource; pod totals as component-helpers' PodRequests and
//! PodLimits aggregate them).

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde_json::Value;

use super::events::describe_events;
use super::writer::{PrefixWriter, LEVEL_0, LEVEL_1};
use super::{format_rfc1123z, print_annotations_multiline, print_labels_multiline};
use crate::kubectl::printers::duration::translate_timestamp_since;
use crate::kubectl::printers::human::node_roles;
use crate::kubectl::printers::object::{bool_at, get, list_at, map_at, str_at, string_pairs};
use crate::kubectl::printers::quantity::Quantity;

/// Go's zero time.Time in RFC 1123Z.
const ZERO_TIME: &str = "Mon, 01 Jan 0001 00:00:00 +0000";

type ResourceList = BTreeMap<String, Quantity>;

/// describeNode: `pods` are all pods (those bound to the node and not terminal are shown),
/// `leases` the Lease objects (the one named after the node in kube-node-lease is shown).
pub fn describe_node(
    node: &Value,
    pods: &[Value],
    leases: &[Value],
    events: &[Value],
    now: Timestamp,
) -> String {
    describe_node_with_resource_slices(node, pods, leases, &[], events, now)
}

/// describeNode with the cluster's ResourceSlices: those whose spec.nodeName is the node (what
/// NodeDescriber lists with the spec.nodeName field selector) make the v1.36
/// `Node-Local ResourceSlices` section after Allocatable.
pub fn describe_node_with_resource_slices(
    node: &Value,
    pods: &[Value],
    leases: &[Value],
    resource_slices: &[Value],
    events: &[Value],
    now: Timestamp,
) -> String {
    let mut w = PrefixWriter::new();
    let name = str_at(node, &["metadata", "name"]);
    w.write(LEVEL_0, &format!("Name:\t{name}\n"));
    w.write(LEVEL_0, &format!("Roles:\t{}\n", node_roles(node)));
    print_labels_multiline(&mut w, "Labels", map_at(node, &["metadata", "labels"]));
    print_annotations_multiline(
        &mut w,
        "Annotations",
        map_at(node, &["metadata", "annotations"]),
    );
    w.write(
        LEVEL_0,
        &format!(
            "CreationTimestamp:\t{}\n",
            time_or_zero(node, &["metadata", "creationTimestamp"])
        ),
    );
    print_taints(&mut w, list_at(node, &["spec", "taints"]));
    w.write(
        LEVEL_0,
        &format!(
            "Unschedulable:\t{}\n",
            bool_at(node, &["spec", "unschedulable"])
        ),
    );
    describe_lease(name, leases, &mut w);
    describe_conditions(node, &mut w);
    w.write(LEVEL_0, "Addresses:\n");
    for address in list_at(node, &["status", "addresses"]) {
        w.write(
            LEVEL_1,
            &format!(
                "{}:\t{}\n",
                str_at(address, &["type"]),
                str_at(address, &["address"])
            ),
        );
    }
    for (key, title) in [("capacity", "Capacity"), ("allocatable", "Allocatable")] {
        let list = string_pairs(map_at(node, &["status", key]));
        if list.is_empty() {
            continue;
        }
        w.write(LEVEL_0, &format!("{title}:\n"));
        for (resource, value) in list {
            let shown = Quantity::parse(&value).map_or(value.clone(), |q| q.canonical());
            w.write(LEVEL_0, &format!("  {resource}:\t{shown}\n"));
        }
    }
    let local_slices: Vec<&Value> = resource_slices
        .iter()
        .filter(|slice| str_at(slice, &["spec", "nodeName"]) == name)
        .collect();
    describe_node_resource_slices(&local_slices, &mut w);
    describe_system_info(node, &mut w);
    let pod_cidr = str_at(node, &["spec", "podCIDR"]);
    if !pod_cidr.is_empty() {
        w.write(LEVEL_0, &format!("PodCIDR:\t{pod_cidr}\n"));
    }
    let cidrs: Vec<&str> = list_at(node, &["spec", "podCIDRs"])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if !cidrs.is_empty() {
        w.write(LEVEL_0, &format!("PodCIDRs:\t{}\n", cidrs.join(",")));
    }
    let provider = str_at(node, &["spec", "providerID"]);
    if !provider.is_empty() {
        w.write(LEVEL_0, &format!("ProviderID:\t{provider}\n"));
    }
    let node_pods = non_terminated_pods(name, pods);
    describe_node_resource(&node_pods, node, now, &mut w);
    let node_events = node_events(node, events);
    describe_events(&node_events, now, &mut w);
    w.finish()
}

/// describeNodeResourceSlices: the slices aggregated by `driver/pool` (sorted), their slice and
/// device counts, at most 10 pools then `...and N more pools`; nothing without slices.
fn describe_node_resource_slices(slices: &[&Value], w: &mut PrefixWriter) {
    const MAX_POOLS_TO_SHOW: usize = 10;
    // driver/pool -> (driver, pool, slices, devices)
    let mut pools: BTreeMap<String, (String, String, usize, usize)> = BTreeMap::new();
    for slice in slices {
        let driver = str_at(slice, &["spec", "driver"]);
        let pool = str_at(slice, &["spec", "pool", "name"]);
        let entry = pools
            .entry(format!("{driver}/{pool}"))
            .or_insert_with(|| (driver.to_string(), pool.to_string(), 0, 0));
        entry.2 += 1;
        entry.3 += list_at(slice, &["spec", "devices"]).len();
    }
    if pools.is_empty() {
        return;
    }
    w.write(LEVEL_0, "Node-Local ResourceSlices:\n");
    w.write(LEVEL_1, "Driver\tPool\tSlices\tDevices\n");
    w.write(LEVEL_1, "------\t----\t------\t-------\n");
    let total = pools.len();
    for (shown, (driver, pool, slice_count, device_count)) in pools.values().enumerate() {
        if shown >= MAX_POOLS_TO_SHOW {
            w.write(
                LEVEL_1,
                &format!("...and {} more pools\n", total - MAX_POOLS_TO_SHOW),
            );
            break;
        }
        w.write(
            LEVEL_1,
            &format!("{driver}\t{pool}\t{slice_count}\t{device_count}\n"),
        );
    }
}

fn time_or_zero(v: &Value, path: &[&str]) -> String {
    match get(v, path).and_then(Value::as_str) {
        Some(t) => format_rfc1123z(t),
        None => ZERO_TIME.to_string(),
    }
}

/// Taint.ToString: `key=value:Effect`, shortened when parts are empty.
fn taint_string(taint: &Value) -> String {
    let key = str_at(taint, &["key"]);
    let value = str_at(taint, &["value"]);
    let effect = str_at(taint, &["effect"]);
    match (value.is_empty(), effect.is_empty()) {
        (true, true) => key.to_string(),
        (false, true) => format!("{key}={value}:"),
        (true, false) => format!("{key}:{effect}"),
        (false, false) => format!("{key}={value}:{effect}"),
    }
}

/// printNodeTaintsMultiline: sorted by effect then key.
fn print_taints(w: &mut PrefixWriter, taints: &[Value]) {
    w.write(LEVEL_0, "Taints:\t");
    if taints.is_empty() {
        w.write_line("<none>");
        return;
    }
    let mut sorted: Vec<&Value> = taints.iter().collect();
    sorted.sort_by_key(|t| format!("{},{}", str_at(t, &["effect"]), str_at(t, &["key"])));
    for (i, taint) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, "\t");
        }
        w.write(LEVEL_0, &format!("{}\n", taint_string(taint)));
    }
}

/// describeNodeLease, or the API error when the node has no lease.
fn describe_lease(name: &str, leases: &[Value], w: &mut PrefixWriter) {
    let lease = leases.iter().find(|l| {
        str_at(l, &["metadata", "name"]) == name
            && str_at(l, &["metadata", "namespace"]) == "kube-node-lease"
    });
    let Some(lease) = lease else {
        w.write(
            LEVEL_0,
            &format!(
                "Lease:\tFailed to get lease: leases.coordination.k8s.io \"{name}\" not found\n"
            ),
        );
        return;
    };
    w.write(LEVEL_0, "Lease:\n");
    let field = |key: &str, time: bool| match get(lease, &["spec", key]).and_then(Value::as_str) {
        Some(v) if time => format_rfc1123z(v),
        Some(v) => v.to_string(),
        None => "<unset>".to_string(),
    };
    w.write(
        LEVEL_1,
        &format!("HolderIdentity:\t{}\n", field("holderIdentity", false)),
    );
    w.write(
        LEVEL_1,
        &format!("AcquireTime:\t{}\n", field("acquireTime", true)),
    );
    w.write(
        LEVEL_1,
        &format!("RenewTime:\t{}\n", field("renewTime", true)),
    );
}

fn describe_conditions(node: &Value, w: &mut PrefixWriter) {
    let conditions = list_at(node, &["status", "conditions"]);
    if conditions.is_empty() {
        return;
    }
    w.write(
        LEVEL_0,
        "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
    );
    w.write(
        LEVEL_1,
        "----\t------\t-----------------\t------------------\t------\t-------\n",
    );
    for c in conditions {
        w.write(
            LEVEL_1,
            &format!(
                "{} \t{} \t{} \t{} \t{} \t{}\n",
                str_at(c, &["type"]),
                str_at(c, &["status"]),
                time_or_zero(c, &["lastHeartbeatTime"]),
                time_or_zero(c, &["lastTransitionTime"]),
                str_at(c, &["reason"]),
                str_at(c, &["message"])
            ),
        );
    }
}

fn describe_system_info(node: &Value, w: &mut PrefixWriter) {
    let info = |field: &str| str_at(node, &["status", "nodeInfo", field]);
    w.write(LEVEL_0, "System Info:\n");
    for (title, field) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
    ] {
        w.write(LEVEL_0, &format!("  {title}:\t{}\n", info(field)));
    }
}

/// The pods the describer lists: on this node, not Succeeded or Failed, in API order.
fn non_terminated_pods<'a>(node_name: &str, pods: &'a [Value]) -> Vec<&'a Value> {
    let mut found: Vec<&Value> = pods
        .iter()
        .filter(|p| {
            let phase = str_at(p, &["status", "phase"]);
            str_at(p, &["spec", "nodeName"]) == node_name
                && phase != "Succeeded"
                && phase != "Failed"
        })
        .collect();
    found.sort_by(|a, b| {
        let key = |p: &Value| {
            (
                str_at(p, &["metadata", "namespace"]).to_string(),
                str_at(p, &["metadata", "name"]).to_string(),
            )
        };
        key(a).cmp(&key(b))
    });
    found
}

/// Events about the node: searchEvents by the node's uid, then by its name as uid (the kubelet
/// uses the name), merged.
fn node_events<'a>(node: &Value, events: &'a [Value]) -> Vec<&'a Value> {
    let name = str_at(node, &["metadata", "name"]);
    let uid = str_at(node, &["metadata", "uid"]);
    let about = |e: &&Value, wanted_uid: &str| {
        let involved = |f: &str| str_at(e, &["involvedObject", f]);
        involved("name") == name
            && involved("kind") == "Node"
            && (involved("uid") == wanted_uid || (wanted_uid == uid && involved("uid").is_empty()))
    };
    let mut by_uid: Vec<&Value> = events.iter().filter(|e| about(e, uid)).collect();
    let mut by_name: Vec<&Value> = if uid == name {
        Vec::new()
    } else {
        events.iter().filter(|e| about(e, name)).collect()
    };
    let by_metadata_name = |a: &&Value, b: &&Value| {
        str_at(a, &["metadata", "name"]).cmp(str_at(b, &["metadata", "name"]))
    };
    by_uid.sort_by(by_metadata_name);
    by_name.sort_by(by_metadata_name);
    by_uid.extend(by_name);
    by_uid
}

fn resource_list(map: Option<&serde_json::Map<String, Value>>) -> ResourceList {
    map.into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), Quantity::parse(v.as_str()?)?)))
        .collect()
}

/// addResourceList.
fn add_resources(list: &mut ResourceList, new: &ResourceList) {
    for (name, q) in new {
        let sum = match list.get(name) {
            Some(existing) => *existing + *q,
            None => *q,
        };
        list.insert(name.clone(), sum);
    }
}

/// maxResourceList.
fn max_resources(list: &mut ResourceList, new: &ResourceList) {
    for (name, q) in new {
        if list
            .get(name)
            .is_none_or(|existing| q.nanos > existing.nanos)
        {
            list.insert(name.clone(), *q);
        }
    }
}

/// PodRequests / PodLimits (`kind` is "requests" or "limits"): app containers and sidecars
/// summed, at least the largest init container (with the sidecars started before it), plus the
/// pod overhead; pod-level resources replace the cpu and memory totals.
fn pod_resources(pod: &Value, kind: &str) -> ResourceList {
    let mut total = ResourceList::new();
    for c in list_at(pod, &["spec", "containers"]) {
        add_resources(&mut total, &resource_list(map_at(c, &["resources", kind])));
    }
    let mut sidecars = ResourceList::new();
    let mut init_max = ResourceList::new();
    for c in list_at(pod, &["spec", "initContainers"]) {
        let own = resource_list(map_at(c, &["resources", kind]));
        let effective = if str_at(c, &["restartPolicy"]) == "Always" {
            add_resources(&mut total, &own);
            add_resources(&mut sidecars, &own);
            sidecars.clone()
        } else {
            let mut tmp = own;
            add_resources(&mut tmp, &sidecars);
            tmp
        };
        max_resources(&mut init_max, &effective);
    }
    max_resources(&mut total, &init_max);
    let pod_level = resource_list(map_at(pod, &["spec", "resources", kind]));
    for name in ["cpu", "memory"] {
        if let Some(q) = pod_level.get(name) {
            total.insert(name.to_string(), *q);
        }
    }
    let overhead = resource_list(map_at(pod, &["spec", "overhead"]));
    if kind == "requests" || !total.is_empty() {
        add_resources(&mut total, &overhead);
    }
    total
}

fn get_or_zero(list: &ResourceList, name: &str) -> Quantity {
    list.get(name).copied().unwrap_or_else(Quantity::zero)
}

/// int64(float64(a) / float64(b) * 100), 0 when b is 0.
fn percent(a: i128, b: i128) -> i64 {
    if b == 0 {
        return 0;
    }
    (a as f64 / b as f64 * 100.0) as i64
}

/// describeNodeResource: the pods table and the Allocated resources totals.
fn describe_node_resource(pods: &[&Value], node: &Value, now: Timestamp, w: &mut PrefixWriter) {
    w.write(
        LEVEL_0,
        &format!("Non-terminated Pods:\t({} in total)\n", pods.len()),
    );
    w.write(
        LEVEL_1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.write(
        LEVEL_1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let mut allocatable = resource_list(map_at(node, &["status", "allocatable"]));
    if allocatable.is_empty() {
        allocatable = resource_list(map_at(node, &["status", "capacity"]));
    }
    let alloc_cpu = get_or_zero(&allocatable, "cpu").milli_value();
    let alloc_mem = get_or_zero(&allocatable, "memory").value();
    let mut total_requests = ResourceList::new();
    let mut total_limits = ResourceList::new();
    for pod in pods {
        let requests = pod_resources(pod, "requests");
        let limits = pod_resources(pod, "limits");
        let (cpu_req, cpu_lim) = (get_or_zero(&requests, "cpu"), get_or_zero(&limits, "cpu"));
        let (mem_req, mem_lim) = (
            get_or_zero(&requests, "memory"),
            get_or_zero(&limits, "memory"),
        );
        w.write(
            LEVEL_1,
            &format!(
                "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n",
                str_at(pod, &["metadata", "namespace"]),
                str_at(pod, &["metadata", "name"]),
                cpu_req.canonical(),
                percent(cpu_req.milli_value(), alloc_cpu),
                cpu_lim.canonical(),
                percent(cpu_lim.milli_value(), alloc_cpu),
                mem_req.canonical(),
                percent(mem_req.value(), alloc_mem),
                mem_lim.canonical(),
                percent(mem_lim.value(), alloc_mem),
                translate_timestamp_since(
                    get(pod, &["metadata", "creationTimestamp"]).and_then(Value::as_str),
                    now
                )
            ),
        );
        add_resources(&mut total_requests, &requests);
        add_resources(&mut total_limits, &limits);
    }
    w.write(
        LEVEL_0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.write(LEVEL_1, "Resource\tRequests\tLimits\n");
    w.write(LEVEL_1, "--------\t--------\t------\n");
    let alloc_storage = get_or_zero(&allocatable, "ephemeral-storage").value();
    for (name, alloc, milli) in [
        ("cpu", alloc_cpu, true),
        ("memory", alloc_mem, false),
        ("ephemeral-storage", alloc_storage, false),
    ] {
        let req = get_or_zero(&total_requests, name);
        let lim = get_or_zero(&total_limits, name);
        let amount = |q: &Quantity| if milli { q.milli_value() } else { q.value() };
        w.write(
            LEVEL_1,
            &format!(
                "{name}\t{} ({}%)\t{} ({}%)\n",
                req.canonical(),
                percent(amount(&req), alloc),
                lim.canonical(),
                percent(amount(&lim), alloc)
            ),
        );
    }
    describe_extended_resources(&allocatable, &total_requests, &total_limits, w);
}

/// Hugepages (with percentages) then other non-standard resources of the node.
fn describe_extended_resources(
    allocatable: &ResourceList,
    requests: &ResourceList,
    limits: &ResourceList,
    w: &mut PrefixWriter,
) {
    let standard = |name: &str| {
        matches!(
            name,
            "cpu" | "memory" | "ephemeral-storage" | "storage" | "pods"
        ) || name.starts_with("requests.")
            || name.starts_with("limits.")
    };
    for (name, alloc) in allocatable
        .iter()
        .filter(|(n, _)| n.starts_with("hugepages-"))
    {
        let req = get_or_zero(requests, name);
        let lim = get_or_zero(limits, name);
        w.write(
            LEVEL_1,
            &format!(
                "{name}\t{} ({}%)\t{} ({}%)\n",
                req.canonical(),
                percent(req.value(), alloc.value()),
                lim.canonical(),
                percent(lim.value(), alloc.value())
            ),
        );
    }
    for name in allocatable
        .keys()
        .filter(|n| !n.starts_with("hugepages-") && !standard(n))
    {
        w.write(
            LEVEL_1,
            &format!(
                "{name}\t{}\t{}\n",
                get_or_zero(requests, name).canonical(),
                get_or_zero(limits, name).canonical()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn worker() -> Value {
        json!({
            "kind": "Node", "apiVersion": "v1",
            "metadata": {"name": "worker-1", "uid": "n-1", "creationTimestamp": "2026-11-21T14:03:00Z",
                         "labels": {"kubernetes.io/hostname": "worker-1", "topology.kubernetes.io/zone": "zone-a"}},
            "spec": {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"],
                     "taints": [{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}]},
            "status": {
                "capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"},
                "allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"},
                "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                "message": "kubelet is posting ready status",
                                "lastHeartbeatTime": "2026-11-21T14:03:00Z",
                                "lastTransitionTime": "2026-11-21T14:03:00Z"}],
                "addresses": [{"type": "InternalIP", "address": "172.18.0.3"},
                              {"type": "Hostname", "address": "worker-1"}],
                "nodeInfo": {"kubeletVersion": "v1.36.2", "containerRuntimeVersion": "containerd://2.1.0",
                             "operatingSystem": "linux", "architecture": "amd64",
                             "osImage": "Debian GNU/Linux 12 (bookworm)", "kernelVersion": "6.1.0",
                             "machineID": "", "systemUUID": "", "bootID": ""}
            }
        })
    }

    fn pod(name: &str, cpu: &str, memory: &str) -> Value {
        json!({
            "metadata": {"name": name, "namespace": "default", "creationTimestamp": "2026-11-21T14:03:10Z"},
            "spec": {"nodeName": "worker-1",
                     "containers": [{"name": "app", "resources": {"requests": {"cpu": cpu, "memory": memory}}}]},
            "status": {"phase": "Pending"}
        })
    }

    #[test]
    fn node_with_pods_and_no_lease() {
        let now: Timestamp = "2026-11-21T14:03:16Z".parse().unwrap();
        let pods = [pod("a", "100m", "64Mi"), pod("b", "100m", "64Mi")];
        let got = describe_node(&worker(), &pods, &[], &[], now);
        let want = "Name:               worker-1
Roles:              <none>
Labels:             kubernetes.io/hostname=worker-1
                    topology.kubernetes.io/zone=zone-a
Annotations:        <none>
CreationTimestamp:  Sat, 21 Nov 2026 14:03:00 +0000
Taints:             node.kubernetes.io/not-ready:NoSchedule
Unschedulable:      false
Lease:              Failed to get lease: leases.coordination.k8s.io \"worker-1\" not found
Conditions:
  Type    Status  LastHeartbeatTime                 LastTransitionTime                Reason         Message
  ----    ------  -----------------                 ------------------                ------         -------
  Ready   True    Sat, 21 Nov 2026 14:03:00 +0000   Sat, 21 Nov 2026 14:03:00 +0000   KubeletReady   kubelet is posting ready status
Addresses:
  InternalIP:  172.18.0.3
  Hostname:    worker-1
Capacity:
  cpu:     4
  memory:  8Gi
  pods:    110
Allocatable:
  cpu:     4
  memory:  8Gi
  pods:    110
System Info:
  Machine ID:                 
  System UUID:                
  Boot ID:                    
  Kernel Version:             6.1.0
  OS Image:                   Debian GNU/Linux 12 (bookworm)
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  containerd://2.1.0
  Kubelet Version:            v1.36.2
PodCIDR:                      10.244.1.0/24
PodCIDRs:                     10.244.1.0/24
Non-terminated Pods:          (2 in total)
  Namespace                   Name    CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----    ------------  ----------  ---------------  -------------  ---
  default                     a       100m (2%)     0 (0%)      64Mi (0%)        0 (0%)         6s
  default                     b       100m (2%)     0 (0%)      64Mi (0%)        0 (0%)         6s
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests    Limits
  --------           --------    ------
  cpu                200m (5%)   0 (0%)
  memory             128Mi (1%)  0 (0%)
  ephemeral-storage  0 (0%)      0 (0%)
Events:              <none>
";
        assert_eq!(got, want);
    }

    /// v1.36 describeNode: the node's own ResourceSlices (spec.nodeName) aggregated by driver and
    /// pool after Allocatable; another node's slice is left out.
    #[test]
    fn node_local_resource_slices() {
        let now: Timestamp = "2026-11-21T14:03:16Z".parse().unwrap();
        let slice = |name: &str, node: &str, devices: usize| {
            let list: Vec<Value> = (0..devices)
                .map(|i| json!({"name": format!("gpu-{i}")}))
                .collect();
            json!({"metadata": {"name": name},
                   "spec": {"driver": "gpu.example.com", "nodeName": node,
                            "pool": {"name": node, "generation": 1, "resourceSliceCount": 2},
                            "devices": list}})
        };
        let slices = [
            slice("a", "worker-1", 2),
            slice("b", "worker-1", 1),
            slice("c", "worker-2", 4),
        ];
        let got = describe_node_with_resource_slices(&worker(), &[], &[], &slices, &[], now);
        let want = "  pods:    110\nNode-Local ResourceSlices:\n  Driver           Pool      Slices  Devices\n  ------           ----      ------  -------\n  gpu.example.com  worker-1  2       3\nSystem Info:\n";
        assert!(got.contains(want), "{got}");
        let without = describe_node(&worker(), &[], &[], &[], now);
        assert!(!without.contains("Node-Local ResourceSlices"), "{without}");
    }

    #[test]
    fn init_containers_and_sidecars_in_pod_totals() {
        let p = json!({"spec": {
        "containers": [{"resources": {"requests": {"cpu": "100m"}}}],
        "initContainers": [
            {"restartPolicy": "Always", "resources": {"requests": {"cpu": "50m"}}},
            {"resources": {"requests": {"cpu": "500m"}}}
        ]}});
        assert_eq!(pod_resources(&p, "requests")["cpu"].canonical(), "550m");
    }
}
