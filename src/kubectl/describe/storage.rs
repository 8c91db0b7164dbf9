//! `kubectl describe pv|pvc|storageclass` (describe.go describePersistentVolume,
//! printVolumeNodeAffinity, describePersistentVolumeClaim, printPersistentVolumeClaim,
//! printPodsMultiline, describeStorageClass, printAllowedTopologies).

use jiff::Timestamp;
use serde_json::Value;

use super::events::{describe_events, events_for};
use super::pod::describe_volume_source;
use super::workloads::go_list;
use super::writer::{PrefixWriter, LEVEL_0, LEVEL_1, LEVEL_2};
use super::{format_rfc1123z, print_annotations_multiline, print_labels_multiline};
use crate::kubectl::printers::duration::translate_timestamp_since;
use crate::kubectl::printers::kind_tables::{
    access_modes, is_default_storage_class, storage_class_of,
};
use crate::kubectl::printers::object::{format_labels, get, list_at, map_at, str_at};
use crate::kubectl::printers::quantity::Quantity;

fn line(w: &mut PrefixWriter, level: usize, text: String) {
    w.write(level, &text);
}

fn quantity(obj: &Value, path: &[&str]) -> String {
    let text = get(obj, path).and_then(Value::as_str).unwrap_or("0");
    Quantity::parse(text).map_or_else(|| text.to_string(), |q| q.canonical())
}

/// `Status:` of a PV or PVC: the phase, or `Terminating (lasts 5s)` once deleted.
fn status_line(obj: &Value, now: Timestamp, w: &mut PrefixWriter) {
    match get(obj, &["metadata", "deletionTimestamp"]).and_then(Value::as_str) {
        Some(t) => line(
            w,
            LEVEL_0,
            format!(
                "Status:\tTerminating (lasts {})\n",
                translate_timestamp_since(Some(t), now)
            ),
        ),
        None => line(
            w,
            LEVEL_0,
            format!("Status:\t{}\n", str_at(obj, &["status", "phase"])),
        ),
    }
}

fn finalizers(obj: &Value, w: &mut PrefixWriter) {
    line(
        w,
        LEVEL_0,
        format!(
            "Finalizers:\t{}\n",
            go_list(list_at(obj, &["metadata", "finalizers"]))
        ),
    );
}

/// describePersistentVolume.
pub fn describe_persistent_volume(pv: &Value, events: &[Value], now: Timestamp) -> String {
    let mut w = PrefixWriter::new();
    line(
        &mut w,
        LEVEL_0,
        format!("Name:\t{}\n", str_at(pv, &["metadata", "name"])),
    );
    print_labels_multiline(&mut w, "Labels", map_at(pv, &["metadata", "labels"]));
    print_annotations_multiline(
        &mut w,
        "Annotations",
        map_at(pv, &["metadata", "annotations"]),
    );
    finalizers(pv, &mut w);
    line(
        &mut w,
        LEVEL_0,
        format!("StorageClass:\t{}\n", storage_class_of(pv)),
    );
    status_line(pv, now, &mut w);
    let claim = match get(pv, &["spec", "claimRef"]).filter(|c| c.is_object()) {
        Some(c) => format!("{}/{}", str_at(c, &["namespace"]), str_at(c, &["name"])),
        None => String::new(),
    };
    line(&mut w, LEVEL_0, format!("Claim:\t{claim}\n"));
    line(
        &mut w,
        LEVEL_0,
        format!(
            "Reclaim Policy:\t{}\n",
            str_at(pv, &["spec", "persistentVolumeReclaimPolicy"])
        ),
    );
    line(
        &mut w,
        LEVEL_0,
        format!(
            "Access Modes:\t{}\n",
            access_modes(list_at(pv, &["spec", "accessModes"]))
        ),
    );
    if let Some(mode) = get(pv, &["spec", "volumeMode"]).and_then(Value::as_str) {
        line(&mut w, LEVEL_0, format!("VolumeMode:\t{mode}\n"));
    }
    line(
        &mut w,
        LEVEL_0,
        format!(
            "Capacity:\t{}\n",
            quantity(pv, &["spec", "capacity", "storage"])
        ),
    );
    print_volume_node_affinity(get(pv, &["spec", "nodeAffinity"]), &mut w);
    line(
        &mut w,
        LEVEL_0,
        format!("Message:\t{}\n", str_at(pv, &["status", "message"])),
    );
    w.write(LEVEL_0, "Source:\n");
    describe_pv_source(get(pv, &["spec"]).unwrap_or(&Value::Null), &mut w);
    describe_events(&events_for(pv, events, true), now, &mut w);
    w.finish()
}

/// The `Source:` of a PersistentVolume: the persistent volume source printers podlab's volumes
/// can use (hostPath, nfs, local, csi), `<unknown>` otherwise.
fn describe_pv_source(spec: &Value, w: &mut PrefixWriter) {
    let source = |key: &str| get(spec, &[key]).filter(|v| v.is_object());
    if let Some(host_path) = source("hostPath") {
        describe_volume_source(&serde_json::json!({ "hostPath": host_path }), w);
    } else if let Some(nfs) = source("nfs") {
        line(
            w,
            LEVEL_2,
            format!(
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                str_at(nfs, &["server"]),
                str_at(nfs, &["path"]),
                get(nfs, &["readOnly"]).and_then(Value::as_bool).unwrap_or(false)
            ),
        );
    } else if let Some(local) = source("local") {
        line(
            w,
            LEVEL_2,
            format!(
                "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t{}\n",
                str_at(local, &["path"])
            ),
        );
    } else if let Some(csi) = source("csi") {
        line(
            w,
            LEVEL_2,
            format!(
                "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    VolumeHandle:\t{}\n    ReadOnly:\t{}\n",
                str_at(csi, &["driver"]),
                str_at(csi, &["fsType"]),
                str_at(csi, &["volumeHandle"]),
                get(csi, &["readOnly"]).and_then(Value::as_bool).unwrap_or(false)
            ),
        );
        print_csi_attributes(map_at(csi, &["volumeAttributes"]), w);
    } else {
        w.write(LEVEL_1, "<unknown>\n");
    }
}

/// printCSIPersistentVolumeAttributesMultiline: `VolumeAttributes:` then `k=v` lines.
fn print_csi_attributes(attributes: Option<&serde_json::Map<String, Value>>, w: &mut PrefixWriter) {
    w.write(LEVEL_2, "VolumeAttributes:\t");
    let mut pairs: Vec<(&String, &str)> = attributes
        .into_iter()
        .flatten()
        .map(|(k, v)| (k, v.as_str().unwrap_or("")))
        .collect();
    if pairs.is_empty() {
        w.write_line("<none>");
        return;
    }
    pairs.sort();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_2, "");
            w.write(LEVEL_2, "\t");
        }
        let text = format!("{k}={v}");
        let shown: String = text.chars().take(140).collect();
        if shown.len() < text.len() {
            line(w, LEVEL_2, format!("{shown}...\n"));
        } else {
            line(w, LEVEL_2, format!("{text}\n"));
        }
    }
}

/// printVolumeNodeAffinity: `<none>`, or the required terms as `key op [values]`.
fn print_volume_node_affinity(affinity: Option<&Value>, w: &mut PrefixWriter) {
    w.write(LEVEL_0, "Node Affinity:\t");
    let required = affinity
        .and_then(|a| get(a, &["required"]))
        .filter(|r| r.is_object());
    let Some(required) = required else {
        w.write_line("<none>");
        return;
    };
    w.write_line("");
    w.write(LEVEL_1, "Required Terms:\t");
    let terms = list_at(required, &["nodeSelectorTerms"]);
    if terms.is_empty() {
        w.write_line("<none>");
        return;
    }
    w.write_line("");
    for (i, term) in terms.iter().enumerate() {
        line(w, LEVEL_2, format!("Term {i}:\t"));
        let requirements = list_at(term, &["matchExpressions"]);
        if requirements.is_empty() {
            w.write_line("<none>");
            continue;
        }
        for (j, req) in requirements.iter().enumerate() {
            if j != 0 {
                w.write(LEVEL_2, "\t");
            }
            let mut expr = format!(
                "{} {}",
                str_at(req, &["key"]),
                str_at(req, &["operator"]).to_lowercase()
            );
            let values: Vec<&str> = list_at(req, &["values"])
                .iter()
                .filter_map(Value::as_str)
                .collect();
            if !values.is_empty() {
                expr = format!("{expr} [{}]", values.join(", "));
            }
            line(w, LEVEL_0, format!("{expr}\n"));
        }
    }
}

/// getPodsForPVC: the namespace's pods with a volume from this claim (once per such volume),
/// then the pods owning the claim (an ephemeral volume's), each once.
fn pods_for_claim<'a>(pvc: &Value, pods: &'a [Value]) -> Vec<&'a Value> {
    let claim = str_at(pvc, &["metadata", "name"]);
    let namespace = str_at(pvc, &["metadata", "namespace"]);
    let in_namespace = |p: &&Value| str_at(p, &["metadata", "namespace"]) == namespace;
    let mut found: Vec<&Value> = Vec::new();
    for pod in pods.iter().filter(in_namespace) {
        for volume in list_at(pod, &["spec", "volumes"]) {
            if str_at(volume, &["persistentVolumeClaim", "claimName"]) == claim
                && get(volume, &["persistentVolumeClaim"]).is_some_and(Value::is_object)
            {
                found.push(pod);
            }
        }
    }
    for owner in list_at(pvc, &["metadata", "ownerReferences"]) {
        if str_at(owner, &["kind"]) != "Pod" {
            continue;
        }
        let uid = str_at(owner, &["uid"]);
        let Some(pod) = pods
            .iter()
            .filter(in_namespace)
            .find(|p| str_at(p, &["metadata", "uid"]) == uid)
        else {
            continue;
        };
        if !found.iter().any(|f| str_at(f, &["metadata", "uid"]) == uid) {
            found.push(pod);
        }
    }
    found
}

/// describePersistentVolumeClaim: the claim, the pods using it, its conditions, events.
pub fn describe_persistent_volume_claim(
    pvc: &Value,
    pods: &[Value],
    events: &[Value],
    now: Timestamp,
) -> String {
    let mut w = PrefixWriter::new();
    print_persistent_volume_claim(pvc, now, &mut w);
    let mut users: Vec<&str> = pods_for_claim(pvc, pods)
        .iter()
        .map(|p| str_at(p, &["metadata", "name"]))
        .collect();
    users.sort_unstable();
    w.write(LEVEL_0, "Used By:\t");
    if users.is_empty() {
        w.write_line("<none>");
    }
    for (i, user) in users.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, "\t");
        }
        line(&mut w, LEVEL_0, format!("{user}\n"));
    }
    let conditions = list_at(pvc, &["status", "conditions"]);
    if !conditions.is_empty() {
        w.write(LEVEL_0, "Conditions:\n");
        w.write(
            LEVEL_1,
            "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(
            LEVEL_1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in conditions {
            line(
                &mut w,
                LEVEL_1,
                format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    str_at(c, &["type"]),
                    str_at(c, &["status"]),
                    go_time(c, "lastProbeTime"),
                    go_time(c, "lastTransitionTime"),
                    str_at(c, &["reason"]),
                    str_at(c, &["message"])
                ),
            );
        }
    }
    describe_events(&events_for(pvc, events, true), now, &mut w);
    w.finish()
}

/// A condition time as RFC 1123Z; Go's zero time when unset.
fn go_time(condition: &Value, field: &str) -> String {
    match get(condition, &[field]).and_then(Value::as_str) {
        Some(t) => format_rfc1123z(t),
        None => "Mon, 01 Jan 0001 00:00:00 +0000".to_string(),
    }
}

/// printPersistentVolumeClaim for a whole claim.
fn print_persistent_volume_claim(pvc: &Value, now: Timestamp, w: &mut PrefixWriter) {
    line(
        w,
        LEVEL_0,
        format!("Name:\t{}\n", str_at(pvc, &["metadata", "name"])),
    );
    line(
        w,
        LEVEL_0,
        format!("Namespace:\t{}\n", str_at(pvc, &["metadata", "namespace"])),
    );
    line(
        w,
        LEVEL_0,
        format!("StorageClass:\t{}\n", storage_class_of(pvc)),
    );
    status_line(pvc, now, w);
    let volume = str_at(pvc, &["spec", "volumeName"]);
    line(w, LEVEL_0, format!("Volume:\t{volume}\n"));
    print_labels_multiline(w, "Labels", map_at(pvc, &["metadata", "labels"]));
    print_annotations_multiline(w, "Annotations", map_at(pvc, &["metadata", "annotations"]));
    finalizers(pvc, w);
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            quantity(pvc, &["status", "capacity", "storage"]),
            access_modes(list_at(pvc, &["status", "accessModes"])),
        )
    };
    line(w, LEVEL_0, format!("Capacity:\t{capacity}\n"));
    line(w, LEVEL_0, format!("Access Modes:\t{modes}\n"));
    if let Some(mode) = get(pvc, &["spec", "volumeMode"]).and_then(Value::as_str) {
        line(w, LEVEL_0, format!("VolumeMode:\t{mode}\n"));
    }
    if let Some(source) = get(pvc, &["spec", "dataSource"]).filter(|s| s.is_object()) {
        w.write(LEVEL_0, "DataSource:\n");
        if let Some(group) = get(source, &["apiGroup"]).and_then(Value::as_str) {
            line(w, LEVEL_1, format!("APIGroup:\t{group}\n"));
        }
        line(
            w,
            LEVEL_1,
            format!("Kind:\t{}\n", str_at(source, &["kind"])),
        );
        line(
            w,
            LEVEL_1,
            format!("Name:\t{}\n", str_at(source, &["name"])),
        );
    }
}

/// describeStorageClass: IsDefaultClass Yes/No, annotations and parameters as k=v lists,
/// AllowVolumeExpansion (`<unset>`), mount options, then the policies that are set.
pub fn describe_storage_class(sc: &Value, events: &[Value], now: Timestamp) -> String {
    let mut w = PrefixWriter::new();
    line(
        &mut w,
        LEVEL_0,
        format!("Name:\t{}\n", str_at(sc, &["metadata", "name"])),
    );
    let default = if is_default_storage_class(sc) {
        "Yes"
    } else {
        "No"
    };
    line(&mut w, LEVEL_0, format!("IsDefaultClass:\t{default}\n"));
    line(
        &mut w,
        LEVEL_0,
        format!(
            "Annotations:\t{}\n",
            format_labels(map_at(sc, &["metadata", "annotations"]))
        ),
    );
    line(
        &mut w,
        LEVEL_0,
        format!("Provisioner:\t{}\n", str_at(sc, &["provisioner"])),
    );
    line(
        &mut w,
        LEVEL_0,
        format!(
            "Parameters:\t{}\n",
            format_labels(map_at(sc, &["parameters"]))
        ),
    );
    let expansion = match get(sc, &["allowVolumeExpansion"]).and_then(Value::as_bool) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    line(
        &mut w,
        LEVEL_0,
        format!("AllowVolumeExpansion:\t{expansion}\n"),
    );
    let options = list_at(sc, &["mountOptions"]);
    if options.is_empty() {
        w.write(LEVEL_0, "MountOptions:\t<none>\n");
    } else {
        w.write(LEVEL_0, "MountOptions:\n");
        for option in options {
            line(
                &mut w,
                LEVEL_1,
                format!("{}\n", option.as_str().unwrap_or("")),
            );
        }
    }
    if let Some(policy) = get(sc, &["reclaimPolicy"]).and_then(Value::as_str) {
        line(&mut w, LEVEL_0, format!("ReclaimPolicy:\t{policy}\n"));
    }
    if let Some(mode) = get(sc, &["volumeBindingMode"]).and_then(Value::as_str) {
        line(&mut w, LEVEL_0, format!("VolumeBindingMode:\t{mode}\n"));
    }
    if let Some(topologies) = get(sc, &["allowedTopologies"]).and_then(Value::as_array) {
        print_allowed_topologies(topologies, &mut w);
    }
    describe_events(&events_for(sc, events, true), now, &mut w);
    w.finish()
}

/// printAllowedTopologies: each term's `key in [values]`.
fn print_allowed_topologies(topologies: &[Value], w: &mut PrefixWriter) {
    w.write(LEVEL_0, "AllowedTopologies:\t");
    if topologies.is_empty() {
        w.write_line("<none>");
        return;
    }
    w.write_line("");
    for (i, term) in topologies.iter().enumerate() {
        line(w, LEVEL_1, format!("Term {i}:\t"));
        let requirements = list_at(term, &["matchLabelExpressions"]);
        if requirements.is_empty() {
            w.write_line("<none>");
            continue;
        }
        for (j, req) in requirements.iter().enumerate() {
            if j != 0 {
                w.write(LEVEL_1, "\t");
            }
            let values: Vec<&str> = list_at(req, &["values"])
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let mut expr = format!("{} in", str_at(req, &["key"]));
            if !values.is_empty() {
                expr = format!("{expr} [{}]", values.join(", "));
            }
            line(w, LEVEL_0, format!("{expr}\n"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> Timestamp {
        "2026-11-21T14:03:16Z".parse().unwrap()
    }

    /// A hostPath PV as stored (Retain, Filesystem, type "" from SetDefaults_HostPathVolumeSource,
    /// the pv-protection finalizer) bound to a claim.
    #[test]
    fn persistent_volume() {
        let pv = json!({
            "kind": "PersistentVolume",
            "metadata": {"name": "task-pv-volume", "labels": {"type": "local"},
                         "finalizers": ["kubernetes.io/pv-protection"],
                         "creationTimestamp": "2026-11-21T14:00:00Z"},
            "spec": {"capacity": {"storage": "10Gi"}, "accessModes": ["ReadWriteOnce"],
                     "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "manual",
                     "volumeMode": "Filesystem", "hostPath": {"path": "/mnt/data", "type": ""},
                     "claimRef": {"kind": "PersistentVolumeClaim", "namespace": "default", "name": "task-pv-claim"}},
            "status": {"phase": "Bound"}
        });
        let expected = "Name:            task-pv-volume
Labels:          type=local
Annotations:     <none>
Finalizers:      [kubernetes.io/pv-protection]
StorageClass:    manual
Status:          Bound
Claim:           default/task-pv-claim
Reclaim Policy:  Retain
Access Modes:    RWO
VolumeMode:      Filesystem
Capacity:        10Gi
Node Affinity:   <none>
Message:         
Source:
    Type:          HostPath (bare host directory volume)
    Path:          /mnt/data
    HostPathType:  
Events:            <none>
";
        assert_eq!(describe_persistent_volume(&pv, &[], now()), expected);
    }

    #[test]
    fn persistent_volume_claim_used_by_a_pod() {
        let pvc = json!({
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "task-pv-claim", "namespace": "default",
                         "finalizers": ["kubernetes.io/pvc-protection"]},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "3Gi"}},
                     "storageClassName": "manual", "volumeMode": "Filesystem", "volumeName": "task-pv-volume"},
            "status": {"phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"}}
        });
        let pod = json!({"metadata": {"name": "task-pv-pod", "namespace": "default"},
            "spec": {"volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": "task-pv-claim"}}]}});
        let expected = "Name:          task-pv-claim
Namespace:     default
StorageClass:  manual
Status:        Bound
Volume:        task-pv-volume
Labels:        <none>
Annotations:   <none>
Finalizers:    [kubernetes.io/pvc-protection]
Capacity:      10Gi
Access Modes:  RWO
VolumeMode:    Filesystem
Used By:       task-pv-pod
Events:        <none>
";
        assert_eq!(
            describe_persistent_volume_claim(&pvc, &[pod], &[], now()),
            expected
        );
    }

    #[test]
    fn storage_class() {
        let sc = json!({
            "kind": "StorageClass",
            "metadata": {"name": "standard",
                "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
            "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete",
            "volumeBindingMode": "WaitForFirstConsumer"
        });
        let expected = "Name:                  standard
IsDefaultClass:        Yes
Annotations:           storageclass.kubernetes.io/is-default-class=true
Provisioner:           rancher.io/local-path
Parameters:            <none>
AllowVolumeExpansion:  <unset>
MountOptions:          <none>
ReclaimPolicy:         Delete
VolumeBindingMode:     WaitForFirstConsumer
Events:                <none>
";
        assert_eq!(describe_storage_class(&sc, &[], now()), expected);
    }

    #[test]
    fn node_affinity_terms() {
        let mut w = PrefixWriter::new();
        let affinity = json!({"required": {"nodeSelectorTerms": [{"matchExpressions": [
            {"key": "kubernetes.io/hostname", "operator": "In", "values": ["worker-1", "worker-2"]}]}]}});
        print_volume_node_affinity(Some(&affinity), &mut w);
        assert_eq!(
            w.finish(),
            "Node Affinity:     \n  Required Terms:  \n    Term 0:        kubernetes.io/hostname in [worker-1, worker-2]\n"
        );
    }
}
