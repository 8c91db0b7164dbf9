//! VolumeRestrictions (pkg/scheduler/framework/plugins/volumerestrictions): PreFilter looks up
//! every claim the pod names (a missing one rejects the pod everywhere:
//! `persistentvolumeclaim "x" not found`, before VolumeBinding's PreFilter runs) and counts the
//! placed pods already using its ReadWriteOncePod claims; Filter refuses disks another pod on the
//! node mounts (GCE PD, AWS EBS, iSCSI, RBD) and, while a ReadWriteOncePod claim is in use,
//! every node.

use crate::unstructured::JsonPointer;
use serde_json::Value;

use crate::scheduler::framework::{Cycle, FilterPlugin, NodeInfo, PodInfo, Status};
use crate::unstructured::str_at;

pub struct VolumeRestrictions;

pub const NAME: &str = "VolumeRestrictions";
/// ErrReasonDiskConflict.
pub const REASON_DISK_CONFLICT: &str = "node(s) had no available disk";
/// ErrReasonReadWriteOncePodConflict.
pub const REASON_READ_WRITE_ONCE_POD_CONFLICT: &str =
    "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";

fn volumes(pod: &Value) -> &[Value] {
    pod.at("/spec/volumes")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// The volume kinds isVolumeConflict compares; a volume of another kind never conflicts.
const CONFLICTING_KINDS: [&str; 4] = ["gcePersistentDisk", "awsElasticBlockStore", "iscsi", "rbd"];

fn may_conflict(volume: &Value) -> bool {
    CONFLICTING_KINDS.iter().any(|k| volume.get(k).is_some())
}

fn claim_names(pod: &Value) -> Vec<String> {
    volumes(pod)
        .iter()
        .filter_map(|v| v.get("persistentVolumeClaim"))
        .map(|c| str_at(c, "/claimName").to_string())
        .collect()
}

fn read_only(v: &Value) -> bool {
    v.get("readOnly").and_then(Value::as_bool).unwrap_or(false)
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// isVolumeConflict: the same disk mounted by both pods where that disk allows only one writer.
fn is_volume_conflict(volume: &Value, existing_pod: &Value) -> bool {
    volumes(existing_pod).iter().any(|ev| {
        let both = |k: &str| volume.get(k).zip(ev.get(k));
        if let Some((a, b)) = both("gcePersistentDisk") {
            if str_at(a, "/pdName") == str_at(b, "/pdName") && !(read_only(a) && read_only(b)) {
                return true;
            }
        }
        if let Some((a, b)) = both("awsElasticBlockStore") {
            if str_at(a, "/volumeID") == str_at(b, "/volumeID") {
                return true;
            }
        }
        if let Some((a, b)) = both("iscsi") {
            if str_at(a, "/iqn") == str_at(b, "/iqn") && !(read_only(a) && read_only(b)) {
                return true;
            }
        }
        if let Some((a, b)) = both("rbd") {
            let (ma, mb) = (strings(a, "monitors"), strings(b, "monitors"));
            let overlap = ma.iter().any(|m| mb.contains(m));
            if overlap
                && str_at(a, "/pool") == str_at(b, "/pool")
                && str_at(a, "/image") == str_at(b, "/image")
                && !(read_only(a) && read_only(b))
            {
                return true;
            }
        }
        false
    })
}

/// The pod's ReadWriteOncePod claims that a placed pod already uses (calPreFilterState), or the
/// message of the first claim that does not exist.
fn read_write_once_pod_conflicts(pod: &Value, cycle: &Cycle) -> Result<usize, String> {
    let Some(listers) = cycle.listers else {
        return Ok(0);
    };
    let ns = str_at(pod, "/metadata/namespace");
    let mut conflicts = 0;
    for name in claim_names(pod) {
        let Some(pvc) = listers.persistent_volume_claim(ns, &name) else {
            return Err(format!("persistentvolumeclaim \"{name}\" not found"));
        };
        let rwop = pvc
            .at("/spec/accessModes")
            .and_then(Value::as_array)
            .is_some_and(|m| m.iter().any(|m| m.as_str() == Some("ReadWriteOncePod")));
        let in_use = cycle
            .nodes
            .iter()
            .flat_map(|n| &n.pods)
            .any(|p| str_at(p, "/metadata/namespace") == ns && claim_names(p).contains(&name));
        if rwop && in_use {
            conflicts += 1;
        }
    }
    Ok(conflicts)
}

impl FilterPlugin for VolumeRestrictions {
    fn name(&self) -> &'static str {
        NAME
    }

    fn filter(&self, pod: &PodInfo, node: &NodeInfo) -> Status {
        let conflict = volumes(pod)
            .iter()
            .filter(|v| may_conflict(v))
            .any(|v| node.pods.iter().any(|p| is_volume_conflict(v, p)));
        if conflict {
            Status::unschedulable(NAME, REASON_DISK_CONFLICT)
        } else {
            Status::success(NAME)
        }
    }

    fn pre_filter(&self, pod: &PodInfo, cycle: &Cycle) -> Status {
        match read_write_once_pod_conflicts(pod, cycle) {
            Err(message) => Status::unresolvable(NAME, message),
            Ok(_) => Status::success(NAME),
        }
    }

    fn filter_in(&self, pod: &PodInfo, node: &NodeInfo, cycle: &Cycle) -> Status {
        let disks = self.filter(pod, node);
        if !disks.is_success() {
            return disks;
        }
        let conflicts = cycle.memo("VolumeRestrictions/PreFilter", || {
            read_write_once_pod_conflicts(pod, cycle)
        });
        match *conflicts {
            Ok(n) if n > 0 => Status::unschedulable(NAME, REASON_READ_WRITE_ONCE_POD_CONFLICT),
            _ => Status::success(NAME),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::framework::test_pod_info as info;
    use crate::scheduler::framework::{Code, Listers};
    use serde_json::json;

    fn pod(name: &str, volume: Value) -> Value {
        json!({"metadata": {"name": name, "namespace": "default"}, "spec": {"volumes": [volume]}})
    }

    fn node(pods: Vec<Value>) -> NodeInfo {
        NodeInfo::new(json!({"metadata": {"name": "n1"}}), pods)
    }

    #[test]
    fn the_same_writable_gce_disk_conflicts() {
        let disk = json!({"name": "d", "gcePersistentDisk": {"pdName": "disk-1"}});
        let n = node(vec![pod("old", disk.clone())]);
        let s = VolumeRestrictions.filter(&info(&pod("new", disk)), &n);
        assert_eq!(s.reasons, vec![REASON_DISK_CONFLICT]);
        let ro = json!({"name": "d", "gcePersistentDisk": {"pdName": "disk-1", "readOnly": true}});
        let n = node(vec![pod("old", ro.clone())]);
        assert!(VolumeRestrictions
            .filter(&info(&pod("new", ro)), &n)
            .is_success());
    }

    #[test]
    fn a_read_write_once_pod_claim_in_use_rejects_every_node() {
        let claim = json!({"name": "d", "persistentVolumeClaim": {"claimName": "data"}});
        let listers = Listers {
            persistent_volume_claims: vec![
                json!({"metadata": {"name": "data", "namespace": "default"},
                "spec": {"accessModes": ["ReadWriteOncePod"]}}),
            ],
            ..Listers::default()
        };
        let nodes = [
            node(vec![pod("old", claim.clone())]),
            NodeInfo::new(json!({"metadata": {"name": "n2"}}), vec![]),
        ];
        let cycle = Cycle::new(&nodes, Some(&listers));
        let p = pod("new", claim);
        assert!(VolumeRestrictions
            .pre_filter(&info(&p), &cycle)
            .is_success());
        let s = VolumeRestrictions.filter_in(&info(&p), &nodes[1], &cycle);
        assert_eq!(s.code, Code::Unschedulable);
        assert_eq!(s.reasons, vec![REASON_READ_WRITE_ONCE_POD_CONFLICT]);
    }

    #[test]
    fn a_missing_claim_is_unresolvable_at_pre_filter() {
        let listers = Listers::default();
        let nodes = [node(vec![])];
        let p = pod(
            "new",
            json!({"name": "d", "persistentVolumeClaim": {"claimName": "x"}}),
        );
        let s = VolumeRestrictions.pre_filter(&info(&p), &Cycle::new(&nodes, Some(&listers)));
        assert_eq!(s.code, Code::UnschedulableAndUnresolvable);
        assert_eq!(s.reasons, vec!["persistentvolumeclaim \"x\" not found"]);
    }
}
