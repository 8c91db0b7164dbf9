//! NodeVolumeLimits (pkg/scheduler/framework/plugins/nodevolumelimits/csi.go, CSILimits): a node
//! takes no more volumes of a CSI driver than its CSINode allows
//! (`spec.drivers[].allocatable.count`). The plugin counts, per driver, the unique volumes
//! (`driver/volumeHandle`) of the pod and of the pods already on the node, plus the node's
//! VolumeAttachments, and rejects the node with `node(s) exceed max volume count`
//! (Unschedulable: removing pods can make room, so preemption may help).
//!
//! What counts as a CSI volume, as in filterAttachableVolumes:
//! - a PVC (or the PVC of a generic ephemeral volume) bound to a PV with `spec.csi`;
//! - a PVC bound to an in-tree PV, or an inline in-tree volume, that CSI migration translates
//!   (AWS EBS, GCE PD, Azure Disk, Cinder, Portworx; isCSIMigrationOn needs the node's CSINode);
//! - an unbound PVC, counted against its StorageClass's provisioner (getCSIDriverInfoFromSC).
//!
//! Inline CSI ephemeral volumes (`volumes[].csi`) are not counted: the real plugin ignores them.
//! The VolumeLimitScaling gate (alpha, off in v1.36) and its "CSI driver is not installed on the
//! node" check are not modelled. v1.36 registers the plugin at PreFilter and Filter only (no
//! Score), between VolumeRestrictions and VolumeBinding in the default plugins.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::apiserver::selectors::labels_of;
use crate::scheduler::framework::{Cycle, FilterPlugin, Listers, NodeInfo, PodInfo, Status};
use crate::unstructured::{str_at, JsonPointer};

pub struct NodeVolumeLimits;

pub const NAME: &str = "NodeVolumeLimits";
/// ErrReasonMaxVolumeCountExceeded.
pub const REASON: &str = "node(s) exceed max volume count";

/// The volume handle prefix of claims counted through their StorageClass (the real plugin's
/// randomVolumeIDPrefix, rand.String(32)): unbound claims never share a handle with a volume.
const UNBOUND_CLAIM_PREFIX: &str = "podlab-unbound-claim";

/// The BetaStorageClassAnnotation GetPersistentVolumeClaimClass reads before the spec field.
const BETA_STORAGE_CLASS: &str = "volume.beta.kubernetes.io/storage-class";

/// Unique volume name (`driver/volumeHandle`, getVolumeUniqueName) → CSI driver name.
type VolumeDrivers = BTreeMap<String, String>;

/// The in-tree volume sources the csi-translation-lib can migrate, with their in-tree plugin and
/// CSI driver names and the field holding the volume's id. Azure File and vSphere are
/// migratable too, but isCSIMigrationOn is false for them, so the plugin never counts them.
const MIGRATED: [(&str, &str, &str, &str); 5] = [
    (
        "awsElasticBlockStore",
        "kubernetes.io/aws-ebs",
        "ebs.csi.aws.com",
        "volumeID",
    ),
    (
        "gcePersistentDisk",
        "kubernetes.io/gce-pd",
        "pd.csi.storage.gke.io",
        "pdName",
    ),
    (
        "azureDisk",
        "kubernetes.io/azure-disk",
        "disk.csi.azure.com",
        "diskURI",
    ),
    (
        "cinder",
        "kubernetes.io/cinder",
        "cinder.csi.openstack.org",
        "volumeID",
    ),
    (
        "portworxVolume",
        "kubernetes.io/portworx-volume",
        "pxd.portworx.com",
        "volumeID",
    ),
];

/// Inline sources IsInlineMigratable accepts (the five above plus Azure File and vSphere).
const INLINE_MIGRATABLE: [&str; 7] = [
    "awsElasticBlockStore",
    "gcePersistentDisk",
    "azureDisk",
    "azureFile",
    "vsphereVolume",
    "cinder",
    "portworxVolume",
];

/// The volumes of a pod (spec.volumes).
fn volumes_of(pod: &Value) -> impl Iterator<Item = &Value> {
    pod.at("/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// PreFilter: the pod has a claim, a generic ephemeral volume or an in-tree volume CSI migration
/// could translate; otherwise the plugin returns Skip and its Filter does not run.
pub fn has_relevant_volumes(pod: &Value) -> bool {
    volumes_of(pod).any(|v| {
        v.get("persistentVolumeClaim").is_some()
            || v.get("ephemeral").is_some()
            || INLINE_MIGRATABLE.iter().any(|k| v.get(*k).is_some())
    })
}

/// getVolumeLimits: driver → allocatable count from the CSINode; a driver without a count (or a
/// node without a CSINode) has no limit.
pub fn volume_limits(csi_node: Option<&Value>) -> BTreeMap<String, i64> {
    csi_node
        .and_then(|n| n.at("/spec/drivers"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|d| {
            let count = d.at("/allocatable/count").and_then(Value::as_i64)?;
            Some((str_at(d, "/name").to_string(), count))
        })
        .collect()
}

/// KubernetesVolumeIDToEBSVolumeID: `aws://zone/vol-1` names the EBS volume `vol-1`.
fn ebs_volume_id(id: &str) -> String {
    match id.strip_prefix("aws://") {
        Some(rest) => rest.rsplit('/').next().unwrap_or_default().to_string(),
        None => id.to_string(),
    }
}

/// The GCE PD volume handle TranslateInTreePVToCSI builds from the PV's zone label (inline
/// volumes and PVs without one get the UNSPECIFIED zone); None when the zones span regions.
fn gce_pd_handle(pd_name: &str, pv_labels: Option<&BTreeMap<String, String>>) -> Option<String> {
    let zones_label = pv_labels
        .and_then(|l| {
            l.get("failure-domain.beta.kubernetes.io/zone")
                .filter(|z| !z.is_empty())
                .or_else(|| l.get("topology.kubernetes.io/zone"))
        })
        .map(String::as_str)
        .unwrap_or_default();
    let zones: Vec<&str> = zones_label.split("__").collect();
    match zones.as_slice() {
        [zone] if !zone.is_empty() => {
            Some(format!("projects/UNSPECIFIED/zones/{zone}/disks/{pd_name}"))
        }
        [first, _, ..] => {
            let region_of = |z: &str| z.rsplit_once('-').map(|(r, _)| r.to_string());
            let region = region_of(first)?;
            if zones.iter().any(|z| region_of(z).as_ref() != Some(&region)) {
                return None;
            }
            Some(format!(
                "projects/UNSPECIFIED/regions/{region}/disks/{pd_name}"
            ))
        }
        _ => Some(format!(
            "projects/UNSPECIFIED/zones/UNSPECIFIED/disks/{pd_name}"
        )),
    }
}

/// The (driver, volume handle) CSI migration translates an in-tree source into, when the node's
/// CSINode exists (isCSIMigrationOn); `source` is a pod volume or a PV's spec.
fn migrated_volume(
    source: &Value,
    pv_labels: Option<&BTreeMap<String, String>>,
    csi_node: Option<&Value>,
) -> Option<(String, String)> {
    csi_node?;
    let (field, _, driver, id_field) = MIGRATED.iter().find(|m| source.get(m.0).is_some())?;
    let id = str_at(source.get(*field)?, &format!("/{id_field}"));
    let handle = match *field {
        "awsElasticBlockStore" => ebs_volume_id(id),
        "gcePersistentDisk" => gce_pd_handle(id, pv_labels)?,
        _ => id.to_string(),
    };
    Some((driver.to_string(), handle))
}

/// GetPersistentVolumeClaimClass: the beta annotation, then spec.storageClassName.
fn claim_class(pvc: &Value) -> &str {
    pvc.at("/metadata/annotations")
        .and_then(|a| a.get(BETA_STORAGE_CLASS))
        .and_then(Value::as_str)
        .unwrap_or_else(|| str_at(pvc, "/spec/storageClassName"))
}

/// getCSIDriverInfoFromSC: an unbound claim counts against its class's provisioner (or the CSI
/// driver a migratable in-tree provisioner moved to), under a handle unique to the claim.
fn driver_from_class(
    pvc: &Value,
    csi_node: Option<&Value>,
    listers: &Listers,
) -> Option<(String, String)> {
    let class = listers.storage_class(claim_class(pvc).trim())?;
    let provisioner = str_at(class, "/provisioner");
    let handle = format!(
        "{UNBOUND_CLAIM_PREFIX}-{}/{}",
        str_at(pvc, "/metadata/namespace"),
        str_at(pvc, "/metadata/name")
    );
    let in_tree = ["kubernetes.io/azure-file", "kubernetes.io/vsphere-volume"];
    if in_tree.contains(&provisioner) {
        return None;
    }
    if let Some(m) = MIGRATED.iter().find(|m| m.1 == provisioner) {
        csi_node?;
        return Some((m.2.to_string(), handle));
    }
    Some((provisioner.to_string(), handle))
}

/// getCSIDriverInfo: the driver and handle of a claim's volume (its PV's spec.csi, or what CSI
/// migration makes of an in-tree PV); through the StorageClass when the claim names no volume
/// or its volume is not found.
fn driver_of_claim(
    pvc: &Value,
    csi_node: Option<&Value>,
    listers: &Listers,
) -> Option<(String, String)> {
    let pv_name = str_at(pvc, "/spec/volumeName");
    let Some(pv) = (!pv_name.is_empty())
        .then(|| listers.persistent_volume(pv_name))
        .flatten()
    else {
        return driver_from_class(pvc, csi_node, listers);
    };
    match pv.at("/spec/csi") {
        Some(csi) => Some((
            str_at(csi, "/driver").to_string(),
            str_at(csi, "/volumeHandle").to_string(),
        )),
        None => migrated_volume(pv.get("spec")?, Some(&labels_of(pv)), csi_node),
    }
}

/// metav1.IsControlledBy: the claim's controller owner reference is the pod.
fn is_controlled_by(pvc: &Value, pod: &Value) -> bool {
    let uid = str_at(pod, "/metadata/uid");
    pvc.at("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|r| r.get("controller") == Some(&Value::Bool(true)) && str_at(r, "/uid") == uid)
}

/// Why a pod's volumes could not be counted; `not_found` marks the missing claim of the pod
/// being scheduled (UnschedulableAndUnresolvable in the real plugin).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountError {
    pub message: String,
    pub not_found: bool,
}

/// The claim a volume uses: (claim name, whether it is a generic ephemeral volume's).
fn claim_of(pod: &Value, volume: &Value) -> Option<(String, bool)> {
    if let Some(claim) = volume.get("persistentVolumeClaim") {
        return Some((str_at(claim, "/claimName").to_string(), false));
    }
    volume.get("ephemeral")?;
    let name = format!(
        "{}-{}",
        str_at(pod, "/metadata/name"),
        str_at(volume, "/name")
    );
    Some((name, true))
}

/// filterAttachableVolumes: add the pod's CSI volumes to `out`. A missing claim is an error for
/// the pod being scheduled and skipped for a pod already on the node.
pub fn attachable_volumes(
    pod: &Value,
    csi_node: Option<&Value>,
    listers: &Listers,
    new_pod: bool,
    out: &mut VolumeDrivers,
) -> Result<(), CountError> {
    let ns = str_at(pod, "/metadata/namespace");
    for volume in volumes_of(pod) {
        let Some((claim_name, ephemeral)) = claim_of(pod, volume) else {
            if let Some((driver, handle)) = migrated_volume(volume, None, csi_node) {
                out.insert(format!("{driver}/{handle}"), driver);
            }
            continue;
        };
        if claim_name.is_empty() {
            return Err(CountError {
                message: "PersistentVolumeClaim had no name".to_string(),
                not_found: false,
            });
        }
        let Some(pvc) = listers.persistent_volume_claim(ns, &claim_name) else {
            if new_pod {
                return Err(CountError {
                    message: format!(
                        "looking up PVC {ns}/{claim_name}: persistentvolumeclaim \"{claim_name}\" not found"
                    ),
                    not_found: true,
                });
            }
            continue;
        };
        if ephemeral && !is_controlled_by(pvc, pod) {
            return Err(CountError {
                message: format!(
                    "PVC {ns}/{claim_name} was not created for pod {ns}/{} (pod is not owner)",
                    str_at(pod, "/metadata/name")
                ),
                not_found: false,
            });
        }
        match driver_of_claim(pvc, csi_node, listers) {
            Some((driver, handle)) if !driver.is_empty() && !handle.is_empty() => {
                out.insert(format!("{driver}/{handle}"), driver);
            }
            _ => {}
        }
    }
    Ok(())
}

/// getNodeVolumeAttachmentInfo: the CSI volumes the node's VolumeAttachments attach (attacher
/// and the handle of the attached PV's spec.csi).
pub fn attached_by_volume_attachments(node_name: &str, listers: &Listers) -> VolumeDrivers {
    let mut out = VolumeDrivers::new();
    for va in &listers.volume_attachments {
        let attacher = str_at(va, "/spec/attacher");
        if str_at(va, "/spec/nodeName") != node_name || attacher.is_empty() {
            continue;
        }
        let Some(pv_name) = va
            .at("/spec/source/persistentVolumeName")
            .and_then(Value::as_str)
        else {
            continue;
        };
        let Some(csi) = listers
            .persistent_volume(pv_name)
            .and_then(|pv| pv.at("/spec/csi"))
        else {
            continue;
        };
        let handle = str_at(csi, "/volumeHandle");
        out.insert(format!("{attacher}/{handle}"), attacher.to_string());
    }
    out
}

/// The status of a count error: a missing claim cannot resolve itself on this node; other
/// errors (fwk.AsStatus in the real plugin, which abort the cycle; VolumeBinding's PreFilter
/// reports them first in practice) are shown as unresolvable with their message.
fn error_status(error: CountError) -> Status {
    Status::unresolvable(NAME, error.message)
}

/// Filter: would the pod's new CSI volumes push any driver on the node past its limit?
pub fn fits(pod: &Value, node: &NodeInfo, listers: &Listers) -> Status {
    if volumes_of(pod).next().is_none() {
        return Status::success(NAME);
    }
    let csi_node = listers.csi_node(&node.name);
    let mut new_volumes = VolumeDrivers::new();
    if let Err(e) = attachable_volumes(pod, csi_node, listers, true, &mut new_volumes) {
        return error_status(e);
    }
    if new_volumes.is_empty() {
        return Status::success(NAME);
    }
    let limits = volume_limits(csi_node);
    if limits.is_empty() {
        return Status::success(NAME);
    }
    let mut attached = VolumeDrivers::new();
    for existing in &node.pods {
        if let Err(e) = attachable_volumes(&existing.pod, csi_node, listers, false, &mut attached) {
            return error_status(e);
        }
    }
    let mut attached_count: BTreeMap<&str, i64> = BTreeMap::new();
    for (unique_name, driver) in &attached {
        // A volume already used on the node is not attached a second time.
        new_volumes.remove(unique_name);
        *attached_count.entry(driver).or_default() += 1;
    }
    let by_attachments = attached_by_volume_attachments(&node.name, listers);
    for (unique_name, driver) in &by_attachments {
        if !attached.contains_key(unique_name) {
            *attached_count.entry(driver).or_default() += 1;
        }
    }
    let mut new_count: BTreeMap<&str, i64> = BTreeMap::new();
    for driver in new_volumes.values() {
        *new_count.entry(driver).or_default() += 1;
    }
    let exceeded = new_count.iter().any(|(driver, count)| {
        limits
            .get(*driver)
            .is_some_and(|limit| attached_count.get(driver).copied().unwrap_or(0) + count > *limit)
    });
    if exceeded {
        return Status::unschedulable(NAME, REASON);
    }
    Status::success(NAME)
}

impl FilterPlugin for NodeVolumeLimits {
    fn name(&self) -> &'static str {
        NAME
    }

    /// Without the listers the volumes are unknown: the node passes.
    fn filter(&self, _pod: &PodInfo, _node: &NodeInfo) -> Status {
        Status::success(NAME)
    }

    /// PreFilter never rejects: it only skips the Filter of pods without relevant volumes.
    fn pre_filter(&self, _pod: &PodInfo, _cycle: &Cycle) -> Status {
        Status::success(NAME)
    }

    fn filter_in(&self, pod: &PodInfo, node: &NodeInfo, cycle: &Cycle) -> Status {
        match cycle.listers {
            Some(listers) if has_relevant_volumes(pod) => fits(pod, node, listers),
            _ => Status::success(NAME),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::framework::{test_pod_info as info, Code};
    use serde_json::{json, Value};

    const DRIVER: &str = "hostpath.csi.k8s.io";

    fn csi_node(name: &str, driver: &str, count: Option<i64>) -> Value {
        let mut d = json!({"name": driver, "nodeID": name});
        if let Some(count) = count {
            d["allocatable"] = json!({"count": count});
        }
        json!({"metadata": {"name": name}, "spec": {"drivers": [d]}})
    }

    fn claim(name: &str, volume: &str) -> Value {
        json!({"metadata": {"name": name, "namespace": "default"},
            "spec": {"volumeName": volume}, "status": {"phase": "Bound"}})
    }

    fn csi_volume(name: &str, handle: &str) -> Value {
        json!({"metadata": {"name": name},
            "spec": {"csi": {"driver": DRIVER, "volumeHandle": handle}}})
    }

    fn pod(name: &str, claims: &[&str]) -> Value {
        let volumes: Vec<Value> = claims
            .iter()
            .map(|c| json!({"name": c, "persistentVolumeClaim": {"claimName": c}}))
            .collect();
        json!({"metadata": {"name": name, "namespace": "default", "uid": format!("uid-{name}")},
            "spec": {"containers": [{"name": "c", "image": "nginx"}], "volumes": volumes}})
    }

    /// Claims c1..c4 bound to volumes with handles h1..h4 of DRIVER.
    fn listers(csi_nodes: Vec<Value>) -> Listers {
        Listers {
            persistent_volume_claims: (1..=4)
                .map(|i| claim(&format!("c{i}"), &format!("pv{i}")))
                .collect(),
            persistent_volumes: (1..=4)
                .map(|i| csi_volume(&format!("pv{i}"), &format!("h{i}")))
                .collect(),
            csi_nodes,
            ..Listers::default()
        }
    }

    fn node(pods: Vec<Value>) -> NodeInfo {
        NodeInfo::new(json!({"metadata": {"name": "worker-1"}}), pods)
    }

    fn run(p: &Value, n: &NodeInfo, l: &Listers) -> Status {
        let nodes = [n.clone()];
        let cycle = Cycle::new(&nodes, Some(l));
        NodeVolumeLimits.filter_in(&info(p), n, &cycle)
    }

    #[test]
    fn a_third_volume_exceeds_a_limit_of_two() {
        let l = listers(vec![csi_node("worker-1", DRIVER, Some(2))]);
        let n = node(vec![pod("a", &["c1", "c2"])]);
        let status = run(&pod("b", &["c3"]), &n, &l);
        assert_eq!(status.code, Code::Unschedulable);
        assert_eq!(status.reasons, vec!["node(s) exceed max volume count"]);
        // Two volumes on an empty node fit; three in one pod do not.
        assert!(run(&pod("b", &["c1", "c2"]), &node(vec![]), &l).is_success());
        let three = run(&pod("b", &["c1", "c2", "c3"]), &node(vec![]), &l);
        assert_eq!(three.reasons, vec![REASON]);
    }

    #[test]
    fn a_driver_without_a_limit_or_a_node_without_csinode_is_unlimited() {
        let n = node(vec![pod("a", &["c1", "c2", "c3"])]);
        let p = pod("b", &["c4"]);
        assert!(run(&p, &n, &listers(vec![])).is_success());
        let no_count = listers(vec![csi_node("worker-1", DRIVER, None)]);
        assert!(run(&p, &n, &no_count).is_success());
        let other_driver = listers(vec![csi_node("worker-1", "other.csi", Some(1))]);
        assert!(run(&p, &n, &other_driver).is_success());
    }

    #[test]
    fn a_volume_shared_with_a_pod_on_the_node_counts_once() {
        let l = listers(vec![csi_node("worker-1", DRIVER, Some(2))]);
        let n = node(vec![pod("a", &["c1", "c2"])]);
        assert!(run(&pod("b", &["c2"]), &n, &l).is_success());
        // Two claims bound to volumes with the same handle are one volume.
        let mut l = l;
        l.persistent_volumes[2] = csi_volume("pv3", "h1");
        assert!(run(&pod("b", &["c3"]), &n, &l).is_success());
    }

    #[test]
    fn volume_attachments_of_the_node_count_too() {
        let mut l = listers(vec![csi_node("worker-1", DRIVER, Some(2))]);
        l.volume_attachments = vec![json!({"metadata": {"name": "va"}, "spec": {
            "attacher": DRIVER, "nodeName": "worker-1",
            "source": {"persistentVolumeName": "pv4"}}})];
        let n = node(vec![pod("a", &["c1"])]);
        assert_eq!(run(&pod("b", &["c2"]), &n, &l).reasons, vec![REASON]);
        assert!(run(&pod("b", &["c1"]), &n, &l).is_success());
    }

    #[test]
    fn unbound_claims_count_against_their_class_provisioner() {
        let mut l = listers(vec![csi_node("worker-1", DRIVER, Some(1))]);
        l.persistent_volume_claims
            .push(json!({"metadata": {"name": "new", "namespace": "default"},
            "spec": {"storageClassName": "fast"}}));
        l.storage_classes = vec![json!({"metadata": {"name": "fast"}, "provisioner": DRIVER})];
        let n = node(vec![pod("a", &["c1"])]);
        assert_eq!(run(&pod("b", &["new"]), &n, &l).reasons, vec![REASON]);
    }

    #[test]
    fn migrated_in_tree_volumes_count_only_with_a_csinode() {
        let ebs = |name: &str, id: &str| {
            json!({"metadata": {"name": name, "namespace": "default", "uid": name},
                "spec": {"volumes": [{"name": "d", "awsElasticBlockStore": {"volumeID": id}}]}})
        };
        let limited = listers(vec![csi_node("worker-1", "ebs.csi.aws.com", Some(1))]);
        let n = node(vec![ebs("a", "aws://us-east-1a/vol-1")]);
        assert_eq!(run(&ebs("b", "vol-2"), &n, &limited).reasons, vec![REASON]);
        assert!(run(&ebs("b", "vol-1"), &n, &limited).is_success());
        assert!(run(&ebs("b", "vol-2"), &n, &listers(vec![])).is_success());
    }

    #[test]
    fn inline_csi_volumes_are_not_counted_and_skip_the_filter() {
        let l = listers(vec![csi_node("worker-1", DRIVER, Some(0))]);
        let p = json!({"metadata": {"name": "b", "namespace": "default"}, "spec": {"volumes": [
            {"name": "d", "csi": {"driver": DRIVER}}, {"name": "e", "emptyDir": {}}]}});
        assert!(!has_relevant_volumes(&p));
        assert!(run(&p, &node(vec![]), &l).is_success());
    }

    #[test]
    fn an_ephemeral_volume_needs_the_claim_owned_by_the_pod() {
        let mut l = listers(vec![csi_node("worker-1", DRIVER, Some(1))]);
        let owned = |uid: &str| {
            json!({"metadata": {"name": "b-scratch", "namespace": "default",
            "ownerReferences": [{"kind": "Pod", "name": "b", "uid": uid, "controller": true}]},
            "spec": {"volumeName": "pv2"}})
        };
        l.persistent_volume_claims.push(owned("uid-b"));
        let p = json!({"metadata": {"name": "b", "namespace": "default", "uid": "uid-b"},
            "spec": {"volumes": [{"name": "scratch", "ephemeral": {"volumeClaimTemplate": {}}}]}});
        let n = node(vec![pod("a", &["c1"])]);
        assert_eq!(run(&p, &n, &l).reasons, vec![REASON]);
        l.persistent_volume_claims.pop();
        l.persistent_volume_claims.push(owned("someone-else"));
        assert_eq!(
            run(&p, &n, &l).reasons,
            vec!["PVC default/b-scratch was not created for pod default/b (pod is not owner)"]
        );
    }

    #[test]
    fn gce_pd_handles_follow_the_volume_zones() {
        let labels =
            |z: &str| BTreeMap::from([("topology.kubernetes.io/zone".to_string(), z.to_string())]);
        assert_eq!(
            gce_pd_handle("d", Some(&labels("us-central1-a"))).as_deref(),
            Some("projects/UNSPECIFIED/zones/us-central1-a/disks/d")
        );
        assert_eq!(
            gce_pd_handle("d", Some(&labels("us-central1-a__us-central1-b"))).as_deref(),
            Some("projects/UNSPECIFIED/regions/us-central1/disks/d")
        );
        assert_eq!(
            gce_pd_handle("d", None).as_deref(),
            Some("projects/UNSPECIFIED/zones/UNSPECIFIED/disks/d")
        );
    }
}
