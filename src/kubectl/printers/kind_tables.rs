//! `kubectl get` rows for the cluster kinds beyond the core ones: networking (Ingress,
//! IngressClass, NetworkPolicy, ServiceCIDR, IPAddress), storage (PersistentVolume,
//! PersistentVolumeClaim, StorageClass, VolumeAttributesClass, CSI kinds, VolumeAttachment),
//! scheduling (PriorityClass, RuntimeClass), RBAC bindings, Leases, quotas, admission and flow
//! control configuration, certificates and DRA kinds (pkg/printers/internalversion/printers.go:
//! the column definitions in AddHandlers and the matching print* functions).
//!
//! Kinds printers.go has no handler for (Roles, ClusterRoles, LimitRanges,
//! CustomResourceDefinitions, ...) get the API server's default table (NAME, CREATED AT), which
//! `get_flags::table_for` prints.

use jiff::Timestamp;
use serde_json::Value;

use super::duration::human_duration;
use super::human::{age, col, name, wide, Column, RowFn};
use super::object::{as_int, format_label_selector, get, int_at, list_at, map_at, str_at};
use super::quantity::Quantity;

/// The canonical plural for the names and short names kubectl's discovery gives these kinds
/// (the name passed is already lower-case, without a group suffix).
pub(super) fn canonical_resource(r: &str) -> Option<&'static str> {
    Some(match r {
        "daemonsets" | "daemonset" | "ds" => "daemonsets",
        "statefulsets" | "statefulset" | "sts" => "statefulsets",
        "jobs" | "job" => "jobs",
        "cronjobs" | "cronjob" | "cj" => "cronjobs",
        "controllerrevisions" | "controllerrevision" => "controllerrevisions",
        "replicationcontrollers" | "replicationcontroller" | "rc" => "replicationcontrollers",
        "podtemplates" | "podtemplate" => "podtemplates",
        "poddisruptionbudgets" | "poddisruptionbudget" | "pdb" => "poddisruptionbudgets",
        "horizontalpodautoscalers" | "horizontalpodautoscaler" | "hpa" => {
            "horizontalpodautoscalers"
        }
        "ingresses" | "ingress" | "ing" => "ingresses",
        "ingressclasses" | "ingressclass" => "ingressclasses",
        "networkpolicies" | "networkpolicy" | "netpol" => "networkpolicies",
        "servicecidrs" | "servicecidr" => "servicecidrs",
        "ipaddresses" | "ipaddress" => "ipaddresses",
        "persistentvolumes" | "persistentvolume" | "pv" => "persistentvolumes",
        "persistentvolumeclaims" | "persistentvolumeclaim" | "pvc" => "persistentvolumeclaims",
        "storageclasses" | "storageclass" | "sc" => "storageclasses",
        "volumeattributesclasses" | "volumeattributesclass" | "vac" => "volumeattributesclasses",
        "csidrivers" | "csidriver" => "csidrivers",
        "csinodes" | "csinode" => "csinodes",
        "csistoragecapacities" | "csistoragecapacity" => "csistoragecapacities",
        "volumeattachments" | "volumeattachment" => "volumeattachments",
        "priorityclasses" | "priorityclass" | "pc" => "priorityclasses",
        "runtimeclasses" | "runtimeclass" => "runtimeclasses",
        "roles" | "role" => "roles",
        "clusterroles" | "clusterrole" => "clusterroles",
        "rolebindings" | "rolebinding" => "rolebindings",
        "clusterrolebindings" | "clusterrolebinding" => "clusterrolebindings",
        "leases" | "lease" => "leases",
        "componentstatuses" | "componentstatus" | "cs" => "componentstatuses",
        "resourcequotas" | "resourcequota" | "quota" => "resourcequotas",
        "limitranges" | "limitrange" | "limits" => "limitranges",
        "certificatesigningrequests" | "certificatesigningrequest" | "csr" => {
            "certificatesigningrequests"
        }
        "mutatingwebhookconfigurations" | "mutatingwebhookconfiguration" => {
            "mutatingwebhookconfigurations"
        }
        "validatingwebhookconfigurations" | "validatingwebhookconfiguration" => {
            "validatingwebhookconfigurations"
        }
        "validatingadmissionpolicies" | "validatingadmissionpolicy" => {
            "validatingadmissionpolicies"
        }
        "validatingadmissionpolicybindings" | "validatingadmissionpolicybinding" => {
            "validatingadmissionpolicybindings"
        }
        "mutatingadmissionpolicies" | "mutatingadmissionpolicy" => "mutatingadmissionpolicies",
        "mutatingadmissionpolicybindings" | "mutatingadmissionpolicybinding" => {
            "mutatingadmissionpolicybindings"
        }
        "flowschemas" | "flowschema" => "flowschemas",
        "prioritylevelconfigurations" | "prioritylevelconfiguration" => {
            "prioritylevelconfigurations"
        }
        "deviceclasses" | "deviceclass" => "deviceclasses",
        "resourceclaims" | "resourceclaim" => "resourceclaims",
        "resourceclaimtemplates" | "resourceclaimtemplate" => "resourceclaimtemplates",
        "resourceslices" | "resourceslice" => "resourceslices",
        _ => return None,
    })
}

const INGRESS_COLUMNS: &[Column] = &[
    col("Name"),
    col("Class"),
    col("Hosts"),
    col("Address"),
    col("Ports"),
    col("Age"),
];
const INGRESS_CLASS_COLUMNS: &[Column] = &[
    col("Name"),
    col("Controller"),
    col("Parameters"),
    col("Age"),
];
const NETWORK_POLICY_COLUMNS: &[Column] = &[col("Name"), col("Pod-Selector"), col("Age")];
const SERVICE_CIDR_COLUMNS: &[Column] = &[col("Name"), col("CIDRs"), col("Age")];
const IP_ADDRESS_COLUMNS: &[Column] = &[col("Name"), col("ParentRef")];
const PERSISTENT_VOLUME_COLUMNS: &[Column] = &[
    col("Name"),
    col("Capacity"),
    col("Access Modes"),
    col("Reclaim Policy"),
    col("Status"),
    col("Claim"),
    col("StorageClass"),
    col("VolumeAttributesClass"),
    col("Reason"),
    col("Age"),
    wide("VolumeMode"),
];
const PERSISTENT_VOLUME_CLAIM_COLUMNS: &[Column] = &[
    col("Name"),
    col("Status"),
    col("Volume"),
    col("Capacity"),
    col("Access Modes"),
    col("StorageClass"),
    col("VolumeAttributesClass"),
    col("Age"),
    wide("VolumeMode"),
];
const STORAGE_CLASS_COLUMNS: &[Column] = &[
    col("Name"),
    col("Provisioner"),
    col("ReclaimPolicy"),
    col("VolumeBindingMode"),
    col("AllowVolumeExpansion"),
    col("Age"),
];
const VOLUME_ATTRIBUTES_CLASS_COLUMNS: &[Column] = &[col("Name"), col("DriverName"), col("Age")];
const CSI_DRIVER_COLUMNS: &[Column] = &[
    col("Name"),
    col("AttachRequired"),
    col("PodInfoOnMount"),
    col("StorageCapacity"),
    col("TokenRequests"),
    col("RequiresRepublish"),
    col("Modes"),
    col("Age"),
];
const CSI_NODE_COLUMNS: &[Column] = &[col("Name"), col("Drivers"), col("Age")];
const CSI_STORAGE_CAPACITY_COLUMNS: &[Column] =
    &[col("Name"), col("StorageClassName"), col("Capacity")];
const VOLUME_ATTACHMENT_COLUMNS: &[Column] = &[
    col("Name"),
    col("Attacher"),
    col("PV"),
    col("Node"),
    col("Attached"),
    col("Age"),
];
/// PreemptionPolicy has priority 0: every `get priorityclasses` shows it (the server always
/// fills the cells printPriorityClass adds for wide output).
const PRIORITY_CLASS_COLUMNS: &[Column] = &[
    col("Name"),
    col("Value"),
    col("Global-Default"),
    col("Age"),
    col("PreemptionPolicy"),
];
const RUNTIME_CLASS_COLUMNS: &[Column] = &[col("Name"), col("Handler"), col("Age")];
const ROLE_BINDING_COLUMNS: &[Column] = &[
    col("Name"),
    col("Role"),
    col("Age"),
    wide("Users"),
    wide("Groups"),
    wide("ServiceAccounts"),
];
const LEASE_COLUMNS: &[Column] = &[col("Name"), col("Holder"), col("Age")];
const COMPONENT_STATUS_COLUMNS: &[Column] =
    &[col("Name"), col("Status"), col("Message"), col("Error")];
const RESOURCE_QUOTA_COLUMNS: &[Column] = &[col("Name"), col("Request"), col("Limit"), col("Age")];
const CSR_COLUMNS: &[Column] = &[
    col("Name"),
    col("Age"),
    col("SignerName"),
    col("Requestor"),
    col("RequestedDuration"),
    col("Condition"),
];
const WEBHOOK_COLUMNS: &[Column] = &[col("Name"), col("Webhooks"), col("Age")];
const VALIDATING_POLICY_COLUMNS: &[Column] = &[
    col("Name"),
    col("Validations"),
    col("ParamKind"),
    col("Age"),
];
const MUTATING_POLICY_COLUMNS: &[Column] =
    &[col("Name"), col("Mutations"), col("ParamKind"), col("Age")];
const POLICY_BINDING_COLUMNS: &[Column] =
    &[col("Name"), col("PolicyName"), col("ParamRef"), col("Age")];
const FLOW_SCHEMA_COLUMNS: &[Column] = &[
    col("Name"),
    col("PriorityLevel"),
    col("MatchingPrecedence"),
    col("DistinguisherMethod"),
    col("Age"),
    col("MissingPL"),
];
const PRIORITY_LEVEL_COLUMNS: &[Column] = &[
    col("Name"),
    col("Type"),
    col("NominalConcurrencyShares"),
    col("Queues"),
    col("HandSize"),
    col("QueueLengthLimit"),
    col("Age"),
];
const NAME_AGE_COLUMNS: &[Column] = &[col("Name"), col("Age")];
const RESOURCE_CLAIM_COLUMNS: &[Column] = &[col("Name"), col("State"), col("Age")];
const RESOURCE_SLICE_COLUMNS: &[Column] = &[
    col("Name"),
    col("Node"),
    col("Driver"),
    col("Pool"),
    col("Age"),
];

/// The columns and row printer of a resource here (canonical plural), if printers.go has one.
pub(super) fn printer(resource: &str) -> Option<(&'static [Column], RowFn)> {
    Some(match resource {
        "ingresses" => (INGRESS_COLUMNS, ingress_row),
        "ingressclasses" => (INGRESS_CLASS_COLUMNS, ingress_class_row),
        "networkpolicies" => (NETWORK_POLICY_COLUMNS, network_policy_row),
        "servicecidrs" => (SERVICE_CIDR_COLUMNS, service_cidr_row),
        "ipaddresses" => (IP_ADDRESS_COLUMNS, ip_address_row),
        "persistentvolumes" => (PERSISTENT_VOLUME_COLUMNS, persistent_volume_row),
        "persistentvolumeclaims" => (PERSISTENT_VOLUME_CLAIM_COLUMNS, persistent_volume_claim_row),
        "storageclasses" => (STORAGE_CLASS_COLUMNS, storage_class_row),
        "volumeattributesclasses" => (VOLUME_ATTRIBUTES_CLASS_COLUMNS, volume_attributes_row),
        "csidrivers" => (CSI_DRIVER_COLUMNS, csi_driver_row),
        "csinodes" => (CSI_NODE_COLUMNS, csi_node_row),
        "csistoragecapacities" => (CSI_STORAGE_CAPACITY_COLUMNS, csi_storage_capacity_row),
        "volumeattachments" => (VOLUME_ATTACHMENT_COLUMNS, volume_attachment_row),
        "priorityclasses" => (PRIORITY_CLASS_COLUMNS, priority_class_row),
        "runtimeclasses" => (RUNTIME_CLASS_COLUMNS, runtime_class_row),
        "rolebindings" | "clusterrolebindings" => (ROLE_BINDING_COLUMNS, role_binding_row),
        "leases" => (LEASE_COLUMNS, lease_row),
        "componentstatuses" => (COMPONENT_STATUS_COLUMNS, component_status_row),
        "resourcequotas" => (RESOURCE_QUOTA_COLUMNS, resource_quota_row),
        "certificatesigningrequests" => (CSR_COLUMNS, csr_row),
        "mutatingwebhookconfigurations" | "validatingwebhookconfigurations" => {
            (WEBHOOK_COLUMNS, webhook_configuration_row)
        }
        "validatingadmissionpolicies" => (VALIDATING_POLICY_COLUMNS, validating_policy_row),
        "mutatingadmissionpolicies" => (MUTATING_POLICY_COLUMNS, mutating_policy_row),
        "validatingadmissionpolicybindings" | "mutatingadmissionpolicybindings" => {
            (POLICY_BINDING_COLUMNS, policy_binding_row)
        }
        "flowschemas" => (FLOW_SCHEMA_COLUMNS, flow_schema_row),
        "prioritylevelconfigurations" => (PRIORITY_LEVEL_COLUMNS, priority_level_row),
        "deviceclasses" | "resourceclaimtemplates" => (NAME_AGE_COLUMNS, name_age_row),
        "resourceclaims" => (RESOURCE_CLAIM_COLUMNS, resource_claim_row),
        "resourceslices" => (RESOURCE_SLICE_COLUMNS, resource_slice_row),
        _ => return None,
    })
}

/// A Go bool cell as kubectl prints it (`%v`): true / false.
fn bool_cell(obj: &Value, path: &[&str], default: bool) -> String {
    get(obj, path)
        .and_then(Value::as_bool)
        .unwrap_or(default)
        .to_string()
}

fn opt_str<'a>(obj: &'a Value, path: &[&str]) -> Option<&'a str> {
    get(obj, path).and_then(Value::as_str)
}

/// Quantity.String() of the quantity at `path` ("0" when unset).
fn quantity_at(obj: &Value, path: &[&str]) -> String {
    let text = opt_str(obj, path).unwrap_or("0");
    Quantity::parse(text).map_or_else(|| text.to_string(), |q| q.canonical())
}

// ---------------------------------------------------------------------------------------------
// Networking

/// formatHosts: the first three rule hosts, ` + N more...` (N counting every rule past three),
/// `*` without hosts.
fn format_hosts(rules: &[Value]) -> String {
    const MAX: usize = 3;
    let mut list: Vec<&str> = Vec::new();
    let mut more = false;
    for rule in rules {
        if list.len() == MAX {
            more = true;
        }
        let host = str_at(rule, &["host"]);
        if !more && !host.is_empty() {
            list.push(host);
        }
    }
    if list.is_empty() {
        return "*".to_string();
    }
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", rules.len().saturating_sub(MAX))
    } else {
        joined
    }
}

/// ingressLoadBalancerStatusStringer: IPs or hostnames, sorted, unique, cut to 16 bytes unless
/// wide.
fn ingress_addresses(ing: &Value, wide: bool) -> String {
    let mut items: Vec<&str> = list_at(ing, &["status", "loadBalancer", "ingress"])
        .iter()
        .filter_map(|i| {
            let ip = str_at(i, &["ip"]);
            let host = str_at(i, &["hostname"]);
            [ip, host].into_iter().find(|s| !s.is_empty())
        })
        .collect();
    items.sort_unstable();
    items.dedup();
    let joined = items.join(",");
    if !wide && joined.len() > 16 {
        let cut: String = joined.chars().take(13).collect();
        return format!("{cut}...");
    }
    joined
}

/// printIngress: class (`<none>`), hosts, load-balancer addresses, `80` or `80, 443` with TLS.
fn ingress_row(ing: &Value, now: Timestamp, wide: bool) -> Vec<String> {
    let ports = if list_at(ing, &["spec", "tls"]).is_empty() {
        "80"
    } else {
        "80, 443"
    };
    vec![
        name(ing),
        opt_str(ing, &["spec", "ingressClassName"])
            .unwrap_or("<none>")
            .to_string(),
        format_hosts(list_at(ing, &["spec", "rules"])),
        ingress_addresses(ing, wide),
        ports.to_string(),
        age(ing, now),
    ]
}

/// networkingutil.HasDefaultAnnotation: `ingressclass.kubernetes.io/is-default-class` is "true".
pub fn is_default_ingress_class(class: &Value) -> bool {
    opt_str(
        class,
        &[
            "metadata",
            "annotations",
            "ingressclass.kubernetes.io/is-default-class",
        ],
    ) == Some("true")
}

/// printIngressClass: ` (default)` after the default class's name; PARAMETERS as `Kind.apiGroup/name` (`<none>` without parameters).
fn ingress_class_row(class: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let parameters = match get(class, &["spec", "parameters"]).filter(|p| p.is_object()) {
        None => "<none>".to_string(),
        Some(p) => {
            let mut text = str_at(p, &["kind"]).to_string();
            if let Some(group) = opt_str(p, &["apiGroup"]) {
                text = format!("{text}.{group}");
            }
            format!("{text}/{}", str_at(p, &["name"]))
        }
    };
    let mut shown = name(class);
    if is_default_ingress_class(class) {
        shown.push_str(" (default)");
    }
    vec![
        shown,
        str_at(class, &["spec", "controller"]).to_string(),
        parameters,
        age(class, now),
    ]
}

fn network_policy_row(np: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    // FormatLabelSelector(&spec.podSelector): an empty selector prints as <none>.
    let selector = get(np, &["spec", "podSelector"]).unwrap_or(&Value::Null);
    let selector = if selector.is_null() {
        "<none>".to_string()
    } else {
        format_label_selector(Some(selector))
    };
    vec![name(np), selector, age(np, now)]
}

fn service_cidr_row(cidr: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let cidrs: Vec<&str> = list_at(cidr, &["spec", "cidrs"])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    vec![name(cidr), cidrs.join(","), age(cidr, now)]
}

/// printIPAddress: PARENTREF as `resource.group[/namespace]/name` lower-cased.
fn ip_address_row(ip: &Value, _now: Timestamp, _wide: bool) -> Vec<String> {
    let parent = match get(ip, &["spec", "parentRef"]).filter(|p| p.is_object()) {
        None => "<none>".to_string(),
        Some(p) => {
            let resource = str_at(p, &["resource"]);
            let group = str_at(p, &["group"]);
            let mut text = if group.is_empty() {
                resource.to_lowercase()
            } else {
                format!("{resource}.{group}").to_lowercase()
            };
            let namespace = str_at(p, &["namespace"]);
            if !namespace.is_empty() {
                text = format!("{text}/{namespace}");
            }
            format!("{text}/{}", str_at(p, &["name"]))
        }
    };
    vec![name(ip), parent]
}

// ---------------------------------------------------------------------------------------------
// Storage

/// helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, comma separated.
pub fn access_modes(modes: &[Value]) -> String {
    let has = |mode: &str| modes.iter().any(|m| m.as_str() == Some(mode));
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(mode, _)| has(mode))
    .map(|(_, short)| *short)
    .collect::<Vec<_>>()
    .join(",")
}

const BETA_STORAGE_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

/// helper.GetPersistentVolumeClass / GetPersistentVolumeClaimClass: the beta annotation, else
/// spec.storageClassName.
pub fn storage_class_of(obj: &Value) -> String {
    if let Some(class) = opt_str(
        obj,
        &["metadata", "annotations", BETA_STORAGE_CLASS_ANNOTATION],
    ) {
        return class.to_string();
    }
    str_at(obj, &["spec", "storageClassName"]).to_string()
}

fn or_unset(obj: &Value, path: &[&str]) -> String {
    opt_str(obj, path).unwrap_or("<unset>").to_string()
}

fn deleting(obj: &Value) -> bool {
    get(obj, &["metadata", "deletionTimestamp"]).is_some_and(|d| !d.is_null())
}

/// printPersistentVolume: capacity, access modes, reclaim policy, phase (Terminating while
/// deleted), `namespace/name` of the claim, class, attributes class (`<unset>`), reason.
fn persistent_volume_row(pv: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let claim = match get(pv, &["spec", "claimRef"]).filter(|c| c.is_object()) {
        Some(c) => format!("{}/{}", str_at(c, &["namespace"]), str_at(c, &["name"])),
        None => String::new(),
    };
    let phase = if deleting(pv) {
        "Terminating"
    } else {
        str_at(pv, &["status", "phase"])
    };
    vec![
        name(pv),
        quantity_at(pv, &["spec", "capacity", "storage"]),
        access_modes(list_at(pv, &["spec", "accessModes"])),
        str_at(pv, &["spec", "persistentVolumeReclaimPolicy"]).to_string(),
        phase.to_string(),
        claim,
        storage_class_of(pv),
        or_unset(pv, &["spec", "volumeAttributesClassName"]),
        str_at(pv, &["status", "reason"]).to_string(),
        age(pv, now),
        or_unset(pv, &["spec", "volumeMode"]),
    ]
}

/// printPersistentVolumeClaim: capacity and access modes from the status once bound to a
/// volume (empty before).
fn persistent_volume_claim_row(pvc: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let phase = if deleting(pvc) {
        "Terminating"
    } else {
        str_at(pvc, &["status", "phase"])
    };
    let volume = str_at(pvc, &["spec", "volumeName"]);
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            quantity_at(pvc, &["status", "capacity", "storage"]),
            access_modes(list_at(pvc, &["status", "accessModes"])),
        )
    };
    vec![
        name(pvc),
        phase.to_string(),
        volume.to_string(),
        capacity,
        modes,
        storage_class_of(pvc),
        or_unset(pvc, &["spec", "volumeAttributesClassName"]),
        age(pvc, now),
        or_unset(pvc, &["spec", "volumeMode"]),
    ]
}

/// storageutil.IsDefaultAnnotation: the GA or beta is-default-class annotation is "true".
pub fn is_default_storage_class(sc: &Value) -> bool {
    [
        "storageclass.kubernetes.io/is-default-class",
        "storageclass.beta.kubernetes.io/is-default-class",
    ]
    .iter()
    .any(|key| opt_str(sc, &["metadata", "annotations", key]) == Some("true"))
}

/// printStorageClass: ` (default)` after the default class's name; Delete, Immediate and
/// false when the fields are unset.
fn storage_class_row(sc: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let mut shown = name(sc);
    if is_default_storage_class(sc) {
        shown.push_str(" (default)");
    }
    vec![
        shown,
        str_at(sc, &["provisioner"]).to_string(),
        opt_str(sc, &["reclaimPolicy"])
            .unwrap_or("Delete")
            .to_string(),
        opt_str(sc, &["volumeBindingMode"])
            .unwrap_or("Immediate")
            .to_string(),
        bool_cell(sc, &["allowVolumeExpansion"], false),
        age(sc, now),
    ]
}

/// printVolumeAttributesClass: the plain name (no default marker), the driver, the age.
fn volume_attributes_row(vac: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![
        name(vac),
        str_at(vac, &["driverName"]).to_string(),
        age(vac, now),
    ]
}

fn csi_driver_row(driver: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let modes: Vec<&str> = list_at(driver, &["spec", "volumeLifecycleModes"])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let modes = if modes.is_empty() {
        "<none>".to_string()
    } else {
        modes.join(",")
    };
    let tokens = match get(driver, &["spec", "tokenRequests"]).and_then(Value::as_array) {
        None => "<unset>".to_string(),
        Some(requests) => requests
            .iter()
            .map(|t| str_at(t, &["audience"]))
            .collect::<Vec<_>>()
            .join(","),
    };
    vec![
        name(driver),
        bool_cell(driver, &["spec", "attachRequired"], true),
        bool_cell(driver, &["spec", "podInfoOnMount"], false),
        bool_cell(driver, &["spec", "storageCapacity"], false),
        tokens,
        bool_cell(driver, &["spec", "requiresRepublish"], false),
        modes,
        age(driver, now),
    ]
}

fn csi_node_row(node: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![
        name(node),
        list_at(node, &["spec", "drivers"]).len().to_string(),
        age(node, now),
    ]
}

fn csi_storage_capacity_row(cap: &Value, _now: Timestamp, _wide: bool) -> Vec<String> {
    let capacity = if opt_str(cap, &["capacity"]).is_some() {
        quantity_at(cap, &["capacity"])
    } else {
        "<unset>".to_string()
    };
    vec![
        name(cap),
        str_at(cap, &["storageClassName"]).to_string(),
        capacity,
    ]
}

fn volume_attachment_row(va: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![
        name(va),
        str_at(va, &["spec", "attacher"]).to_string(),
        str_at(va, &["spec", "source", "persistentVolumeName"]).to_string(),
        str_at(va, &["spec", "nodeName"]).to_string(),
        bool_cell(va, &["status", "attached"], false),
        age(va, now),
    ]
}

// ---------------------------------------------------------------------------------------------
// Scheduling, RBAC, coordination

fn priority_class_row(pc: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![
        name(pc),
        int_at(pc, &["value"]).to_string(),
        bool_cell(pc, &["globalDefault"], false),
        age(pc, now),
        str_at(pc, &["preemptionPolicy"]).to_string(),
    ]
}

fn runtime_class_row(rc: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![name(rc), str_at(rc, &["handler"]).to_string(), age(rc, now)]
}

/// rbac.SubjectsStrings: users, groups and `namespace/name` service accounts, each joined by
/// ", ".
fn subjects(binding: &Value) -> [String; 3] {
    let mut users: Vec<String> = Vec::new();
    let mut groups: Vec<String> = Vec::new();
    let mut accounts: Vec<String> = Vec::new();
    for s in list_at(binding, &["subjects"]) {
        let subject_name = str_at(s, &["name"]).to_string();
        match str_at(s, &["kind"]) {
            "ServiceAccount" => {
                accounts.push(format!("{}/{subject_name}", str_at(s, &["namespace"])))
            }
            "User" => users.push(subject_name),
            "Group" => groups.push(subject_name),
            _ => {}
        }
    }
    [users.join(", "), groups.join(", "), accounts.join(", ")]
}

/// printRoleBinding / printClusterRoleBinding: ROLE as `Kind/name`.
fn role_binding_row(binding: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let [users, groups, accounts] = subjects(binding);
    vec![
        name(binding),
        format!(
            "{}/{}",
            str_at(binding, &["roleRef", "kind"]),
            str_at(binding, &["roleRef", "name"])
        ),
        age(binding, now),
        users,
        groups,
        accounts,
    ]
}

fn lease_row(lease: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![
        name(lease),
        str_at(lease, &["spec", "holderIdentity"]).to_string(),
        age(lease, now),
    ]
}

fn component_status_row(cs: &Value, _now: Timestamp, _wide: bool) -> Vec<String> {
    let healthy = list_at(cs, &["conditions"])
        .iter()
        .find(|c| str_at(c, &["type"]) == "Healthy");
    let (status, message, error) = match healthy {
        None => ("Unknown", "", ""),
        Some(c) => (
            if str_at(c, &["status"]) == "True" {
                "Healthy"
            } else {
                "Unhealthy"
            },
            str_at(c, &["message"]),
            str_at(c, &["error"]),
        ),
    };
    vec![
        name(cs),
        status.to_string(),
        message.to_string(),
        error.to_string(),
    ]
}

/// printResourceQuota: `resource: used/hard` for each hard limit in name order; `limits.*` go
/// to LIMIT, the rest to REQUEST.
fn resource_quota_row(quota: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let mut requests: Vec<String> = Vec::new();
    let mut limits: Vec<String> = Vec::new();
    if let Some(hard) = map_at(quota, &["status", "hard"]) {
        for resource in hard.keys() {
            let text = format!(
                "{resource}: {}/{}",
                quantity_at(quota, &["status", "used", resource]),
                quantity_at(quota, &["status", "hard", resource])
            );
            if resource.starts_with("limits.") {
                limits.push(text);
            } else {
                requests.push(text);
            }
        }
    }
    vec![
        name(quota),
        requests.join(", "),
        limits.join(", "),
        age(quota, now),
    ]
}

// ---------------------------------------------------------------------------------------------
// Certificates, admission, flow control, DRA

/// extractCSRStatus: Denied / Approved / Pending, then `,Failed` and `,Issued`.
fn csr_condition(csr: &Value) -> String {
    let has = |t: &str| {
        list_at(csr, &["status", "conditions"])
            .iter()
            .any(|c| str_at(c, &["type"]) == t)
    };
    let mut status = if has("Denied") {
        "Denied".to_string()
    } else if has("Approved") {
        "Approved".to_string()
    } else {
        "Pending".to_string()
    };
    if has("Failed") {
        status.push_str(",Failed");
    }
    if !str_at(csr, &["status", "certificate"]).is_empty() {
        status.push_str(",Issued");
    }
    status
}

fn csr_row(csr: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let signer = str_at(csr, &["spec", "signerName"]);
    let duration = match get(csr, &["spec", "expirationSeconds"]).filter(|v| !v.is_null()) {
        Some(v) => human_duration(jiff::SignedDuration::from_secs(as_int(v))),
        None => "<none>".to_string(),
    };
    vec![
        name(csr),
        age(csr, now),
        if signer.is_empty() { "<none>" } else { signer }.to_string(),
        str_at(csr, &["spec", "username"]).to_string(),
        duration,
        csr_condition(csr),
    ]
}

fn webhook_configuration_row(config: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![
        name(config),
        list_at(config, &["webhooks"]).len().to_string(),
        age(config, now),
    ]
}

fn param_kind(policy: &Value) -> String {
    match get(policy, &["spec", "paramKind"]).filter(|p| p.is_object()) {
        Some(p) => format!("{}/{}", str_at(p, &["apiVersion"]), str_at(p, &["kind"])),
        None => "<unset>".to_string(),
    }
}

fn validating_policy_row(policy: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![
        name(policy),
        list_at(policy, &["spec", "validations"]).len().to_string(),
        param_kind(policy),
        age(policy, now),
    ]
}

fn mutating_policy_row(policy: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![
        name(policy),
        list_at(policy, &["spec", "mutations"]).len().to_string(),
        param_kind(policy),
        age(policy, now),
    ]
}

/// printValidatingAdmissionPolicyBinding's PARAMREF: `namespace/name`, `*/name`, the selector,
/// or `<unset>`.
fn policy_binding_row(binding: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let param = match get(binding, &["spec", "paramRef"]).filter(|p| p.is_object()) {
        None => "<unset>".to_string(),
        Some(p) => {
            let ref_name = str_at(p, &["name"]);
            let namespace = str_at(p, &["namespace"]);
            if !ref_name.is_empty() && !namespace.is_empty() {
                format!("{namespace}/{ref_name}")
            } else if !ref_name.is_empty() {
                format!("*/{ref_name}")
            } else if let Some(selector) = get(p, &["selector"]).filter(|s| !s.is_null()) {
                super::object::label_selector_string(Some(selector)).unwrap_or_default()
            } else {
                "<unset>".to_string()
            }
        }
    };
    vec![
        name(binding),
        str_at(binding, &["spec", "policyName"]).to_string(),
        param,
        age(binding, now),
    ]
}

fn flow_schema_row(fs: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let missing = list_at(fs, &["status", "conditions"])
        .iter()
        .find(|c| str_at(c, &["type"]) == "Dangling")
        .map_or("?", |c| str_at(c, &["status"]));
    vec![
        name(fs),
        str_at(fs, &["spec", "priorityLevelConfiguration", "name"]).to_string(),
        int_at(fs, &["spec", "matchingPrecedence"]).to_string(),
        opt_str(fs, &["spec", "distinguisherMethod", "type"])
            .unwrap_or("<none>")
            .to_string(),
        age(fs, now),
        missing.to_string(),
    ]
}

fn priority_level_row(pl: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let limited = get(pl, &["spec", "limited"]).filter(|l| l.is_object());
    let number = |v: Option<&Value>| v.map_or("<none>".to_string(), |v| as_int(v).to_string());
    let queuing = limited
        .and_then(|l| get(l, &["limitResponse", "queuing"]))
        .filter(|q| q.is_object());
    let shares = limited.map(|l| get(l, &["nominalConcurrencyShares"]).unwrap_or(&Value::Null));
    vec![
        name(pl),
        str_at(pl, &["spec", "type"]).to_string(),
        number(shares),
        number(queuing.map(|q| get(q, &["queues"]).unwrap_or(&Value::Null))),
        number(queuing.map(|q| get(q, &["handSize"]).unwrap_or(&Value::Null))),
        number(queuing.map(|q| get(q, &["queueLengthLimit"]).unwrap_or(&Value::Null))),
        age(pl, now),
    ]
}

fn name_age_row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![name(obj), age(obj, now)]
}

/// resourceClaimState: deleted, pending / allocated, reserved.
fn resource_claim_row(claim: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let mut states: Vec<&str> = Vec::new();
    if deleting(claim) {
        states.push("deleted");
    }
    let allocated = get(claim, &["status", "allocation"]).is_some_and(|a| !a.is_null());
    if !allocated {
        if !deleting(claim) {
            states.push("pending");
        }
    } else {
        states.push("allocated");
        if !list_at(claim, &["status", "reservedFor"]).is_empty() {
            states.push("reserved");
        }
    }
    vec![name(claim), states.join(","), age(claim, now)]
}

fn resource_slice_row(slice: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![
        name(slice),
        str_at(slice, &["spec", "nodeName"]).to_string(),
        str_at(slice, &["spec", "driver"]).to_string(),
        str_at(slice, &["spec", "pool", "name"]).to_string(),
        age(slice, now),
    ]
}

#[cfg(test)]
mod tests {
    use super::super::human::{table_for, TableOptions};
    use super::*;
    use crate::kubectl::printers::table::render;
    use serde_json::json;

    fn now() -> Timestamp {
        "2026-11-21T14:03:16Z".parse().unwrap()
    }

    fn ago(seconds: i64) -> String {
        (now() - jiff::SignedDuration::from_secs(seconds)).to_string()
    }

    fn print(resource: &str, objects: &[Value], wide: bool) -> String {
        let opts = TableOptions {
            wide,
            ..Default::default()
        };
        let (headers, rows) = table_for(resource, objects, now(), &opts).unwrap();
        render(&headers, &rows)
    }

    #[test]
    fn ingresses() {
        let ing = json!({
            "metadata": {"name": "minimal-ingress", "creationTimestamp": ago(8)},
            "spec": {"ingressClassName": "nginx-example", "rules": [{"http": {"paths": [
                {"path": "/testpath", "pathType": "Prefix",
                 "backend": {"service": {"name": "test", "port": {"number": 80}}}}]}}]},
            "status": {"loadBalancer": {}}
        });
        assert_eq!(
            print("ingress", &[ing], false),
            "NAME              CLASS           HOSTS   ADDRESS   PORTS   AGE\n\
             minimal-ingress   nginx-example   *                 80      8s\n"
        );
        let tls = json!({
            "metadata": {"name": "tls", "creationTimestamp": ago(8)},
            "spec": {"tls": [{"hosts": ["a.example.com"], "secretName": "s"}],
                     "rules": [{"host": "a.example.com"}, {"host": "b.example.com"},
                               {"host": "c.example.com"}, {"host": "d.example.com"}]},
            "status": {"loadBalancer": {"ingress": [{"ip": "192.168.49.2"}]}}
        });
        let (_, rows) = table_for("ing", &[tls], now(), &TableOptions::default()).unwrap();
        assert_eq!(rows[0][1], "<none>");
        assert_eq!(
            rows[0][2],
            "a.example.com,b.example.com,c.example.com + 1 more..."
        );
        assert_eq!(rows[0][3], "192.168.49.2");
        assert_eq!(rows[0][4], "80, 443");
    }

    #[test]
    fn ingress_classes() {
        let class = json!({"metadata": {"name": "nginx", "creationTimestamp": ago(60)},
            "spec": {"controller": "k8s.io/ingress-nginx",
                     "parameters": {"apiGroup": "k8s.example.com", "kind": "IngressParameters",
                                    "name": "external-lb"}}});
        assert_eq!(
            print("ingressclasses", &[class], false),
            "NAME    CONTROLLER             PARAMETERS                                      AGE\n\
             nginx   k8s.io/ingress-nginx   IngressParameters.k8s.example.com/external-lb   60s\n"
        );
    }

    /// printIngressClass marks the class annotated ingressclass.kubernetes.io/is-default-class.
    #[test]
    fn default_ingress_class_is_marked() {
        let class = json!({"metadata": {"name": "nginx", "creationTimestamp": ago(60),
            "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"}},
            "spec": {"controller": "k8s.io/ingress-nginx"}});
        assert_eq!(
            print("ingressclass", &[class], false),
            "NAME              CONTROLLER             PARAMETERS   AGE\n\
             nginx (default)   k8s.io/ingress-nginx   <none>       60s\n"
        );
    }

    /// printVolumeAttributesClass prints the name alone, even for an annotated default class.
    #[test]
    fn volume_attributes_classes_have_no_default_marker() {
        let vac = json!({"metadata": {"name": "silver", "creationTimestamp": ago(5),
            "annotations": {"storage.kubernetes.io/is-default-class": "true"}},
            "driverName": "pd.csi.storage.gke.io"});
        assert_eq!(
            print("vac", &[vac], false),
            "NAME     DRIVERNAME              AGE\n\
             silver   pd.csi.storage.gke.io   5s\n"
        );
    }

    /// A PersistentVolume as stored (SetDefaults_PersistentVolume: Retain for a static volume,
    /// volumeMode Filesystem, phase Pending until the controller marks it Available).
    #[test]
    fn persistent_volumes() {
        let pv = json!({
            "metadata": {"name": "task-pv-volume", "creationTimestamp": ago(4)},
            "spec": {"capacity": {"storage": "10Gi"}, "accessModes": ["ReadWriteOnce"],
                     "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "manual",
                     "volumeMode": "Filesystem", "hostPath": {"path": "/mnt/data", "type": ""}},
            "status": {"phase": "Available"}
        });
        assert_eq!(
            print("pv", std::slice::from_ref(&pv), false),
            "NAME             CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS      CLAIM   STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE\n\
             task-pv-volume   10Gi       RWO            Retain           Available           manual         <unset>                          4s\n"
        );
        let mut bound = pv;
        bound["spec"]["claimRef"] = json!({"kind": "PersistentVolumeClaim", "namespace": "default",
                                           "name": "task-pv-claim"});
        bound["status"]["phase"] = json!("Bound");
        assert_eq!(
            print("persistentvolumes", &[bound], true),
            "NAME             CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM                   STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE   VOLUMEMODE\n\
             task-pv-volume   10Gi       RWO            Retain           Bound    default/task-pv-claim   manual         <unset>                          4s    Filesystem\n"
        );
    }

    #[test]
    fn persistent_volume_claims() {
        let pvc = json!({
            "metadata": {"name": "task-pv-claim", "creationTimestamp": ago(3)},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "3Gi"}},
                     "storageClassName": "manual", "volumeMode": "Filesystem"},
            "status": {"phase": "Pending"}
        });
        assert_eq!(
            print("pvc", std::slice::from_ref(&pvc), false),
            "NAME            STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n\
             task-pv-claim   Pending                                      manual         <unset>                 3s\n"
        );
        let mut bound = pvc;
        bound["spec"]["volumeName"] = json!("task-pv-volume");
        bound["status"] = json!({"phase": "Bound", "accessModes": ["ReadWriteOnce", "ReadWriteMany"],
                                 "capacity": {"storage": "10Gi"}});
        let (_, rows) = table_for(
            "persistentvolumeclaims",
            &[bound],
            now(),
            &TableOptions::default(),
        )
        .unwrap();
        assert_eq!(
            rows[0][1..5],
            ["Bound", "task-pv-volume", "10Gi", "RWO,RWX"]
        );
    }

    #[test]
    fn storage_classes() {
        let standard = json!({
            "metadata": {"name": "standard", "creationTimestamp": ago(120),
                "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
            "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete",
            "volumeBindingMode": "WaitForFirstConsumer"
        });
        let fast = json!({
            "metadata": {"name": "fast", "creationTimestamp": ago(120)},
            "provisioner": "kubernetes.io/no-provisioner", "reclaimPolicy": "Retain",
            "volumeBindingMode": "Immediate", "allowVolumeExpansion": true
        });
        assert_eq!(
            print("sc", &[standard, fast], false),
            "NAME                 PROVISIONER                    RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\n\
             standard (default)   rancher.io/local-path          Delete          WaitForFirstConsumer   false                  2m\n\
             fast                 kubernetes.io/no-provisioner   Retain          Immediate              true                   2m\n"
        );
    }

    /// PriorityClasses as the API server stores them (preemptionPolicy defaulted to
    /// PreemptLowerPriority, globalDefault false).
    #[test]
    fn priority_classes() {
        let pc = json!({"metadata": {"name": "high-priority", "creationTimestamp": ago(30)},
            "value": 1000000, "globalDefault": false, "preemptionPolicy": "PreemptLowerPriority",
            "description": "x"});
        let system = json!({"metadata": {"name": "system-cluster-critical", "creationTimestamp": ago(30)},
            "value": 2000000000, "preemptionPolicy": "PreemptLowerPriority"});
        assert_eq!(
            print("priorityclasses", &[pc, system], false),
            "NAME                      VALUE        GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY\n\
             high-priority             1000000      false            30s   PreemptLowerPriority\n\
             system-cluster-critical   2000000000   false            30s   PreemptLowerPriority\n"
        );
    }

    #[test]
    fn role_bindings() {
        let rb = json!({"metadata": {"name": "read-pods", "creationTimestamp": ago(6)},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "pod-reader"},
            "subjects": [{"kind": "User", "name": "jane", "apiGroup": "rbac.authorization.k8s.io"},
                         {"kind": "ServiceAccount", "name": "robot", "namespace": "default"},
                         {"kind": "User", "name": "bob"}]});
        assert_eq!(
            print("rolebindings", std::slice::from_ref(&rb), false),
            "NAME        ROLE              AGE\nread-pods   Role/pod-reader   6s\n"
        );
        assert_eq!(
            print("rolebinding", &[rb], true),
            "NAME        ROLE              AGE   USERS       GROUPS   SERVICEACCOUNTS\n\
             read-pods   Role/pod-reader   6s    jane, bob            default/robot\n"
        );
        let crb = json!({"metadata": {"name": "cluster-admin", "creationTimestamp": ago(6)},
            "roleRef": {"kind": "ClusterRole", "name": "cluster-admin"},
            "subjects": [{"kind": "Group", "name": "system:masters"}]});
        assert_eq!(
            print("clusterrolebindings", &[crb], false),
            "NAME            ROLE                        AGE\ncluster-admin   ClusterRole/cluster-admin   6s\n"
        );
    }

    #[test]
    fn roles_have_no_printer() {
        assert!(table_for("roles", &[], now(), &TableOptions::default()).is_none());
        assert!(table_for("clusterrole", &[], now(), &TableOptions::default()).is_none());
    }

    #[test]
    fn leases_and_quotas() {
        let lease = json!({"metadata": {"name": "worker-1", "creationTimestamp": ago(9)},
            "spec": {"holderIdentity": "worker-1", "leaseDurationSeconds": 40}});
        assert_eq!(
            print("leases", &[lease], false),
            "NAME       HOLDER     AGE\nworker-1   worker-1   9s\n"
        );
        let quota = json!({"metadata": {"name": "compute", "creationTimestamp": ago(9)},
            "status": {"hard": {"limits.cpu": "2", "pods": "10", "requests.cpu": "1"},
                       "used": {"pods": "1", "requests.cpu": "500m"}}});
        let (headers, rows) =
            table_for("quota", &[quota], now(), &TableOptions::default()).unwrap();
        assert_eq!(headers, ["NAME", "REQUEST", "LIMIT", "AGE"]);
        assert_eq!(
            rows[0],
            [
                "compute",
                "pods: 1/10, requests.cpu: 500m/1",
                "limits.cpu: 0/2",
                "9s"
            ]
        );
    }

    #[test]
    fn csrs_and_policies() {
        let csr = json!({"metadata": {"name": "myuser", "creationTimestamp": ago(2)},
            "spec": {"signerName": "kubernetes.io/kube-apiserver-client", "username": "admin",
                     "expirationSeconds": 86400},
            "status": {"conditions": [{"type": "Approved", "status": "True"}], "certificate": "x"}});
        let (_, rows) = table_for("csr", &[csr], now(), &TableOptions::default()).unwrap();
        assert_eq!(
            rows[0],
            [
                "myuser",
                "2s",
                "kubernetes.io/kube-apiserver-client",
                "admin",
                "24h",
                "Approved,Issued"
            ]
        );
        let binding = json!({"metadata": {"name": "b"}, "spec": {"policyName": "p",
            "paramRef": {"name": "cfg"}}});
        let (_, rows) = table_for(
            "validatingadmissionpolicybindings",
            &[binding],
            now(),
            &TableOptions::default(),
        )
        .unwrap();
        assert_eq!(rows[0][2], "*/cfg");
    }
}
