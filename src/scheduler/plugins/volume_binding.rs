//! VolumeBinding (pkg/scheduler/framework/plugins/volumebinding): a pod's claims must exist and
//! not be lost or deleting (PreFilter, podHasPVCs), claims of Immediate binding must already be
//! bound (`pod has unbound immediate PersistentVolumeClaims`), a bound claim's volume must admit
//! the node (`node(s) had volume node affinity conflict`) and a WaitForFirstConsumer claim must
//! find a volume or a provisioner for it.
//!
//! Not modelled: binding itself (Reserve/PreBind: podlab has no PV controller binding here),
//! storage capacity, volume modes, claim selectors and the StorageClass's allowedTopologies.

use crate::unstructured::JsonPointer;
use serde_json::Value;

use super::node_affinity::term_matches;
use crate::quantity::parse_units;
use crate::scheduler::framework::{Code, Cycle, FilterPlugin, Listers, NodeInfo, Status};
use crate::unstructured::str_at;

pub struct VolumeBinding;

pub const NAME: &str = "VolumeBinding";
/// The reason PreFilter gives for a claim of Immediate binding that is not bound.
pub const REASON_UNBOUND_IMMEDIATE: &str = "pod has unbound immediate PersistentVolumeClaims";
/// ErrReasonNodeConflict (binder.go).
pub const REASON_NODE_CONFLICT: &str = "node(s) had volume node affinity conflict";
/// ErrReasonBindConflict.
pub const REASON_BIND_CONFLICT: &str = "node(s) didn't find available persistent volumes to bind";
/// ErrReasonPVNotExist.
pub const REASON_PV_NOT_EXIST: &str =
    "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";

/// The provisioner of classes whose volumes are created by hand (local volumes).
const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";

/// A claim a pod's volume refers to: `persistentVolumeClaim.claimName`, or the claim a generic
/// ephemeral volume gets (`<pod>-<volume>`, ephemeral.VolumeClaimName).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRef {
    pub name: String,
    pub ephemeral: bool,
}

pub fn claim_refs(pod: &Value) -> Vec<ClaimRef> {
    let pod_name = str_at(pod, "/metadata/name");
    pod.at("/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| {
            if let Some(claim) = v.get("persistentVolumeClaim") {
                Some(ClaimRef {
                    name: str_at(claim, "/claimName").to_string(),
                    ephemeral: false,
                })
            } else if v.get("ephemeral").is_some() {
                Some(ClaimRef {
                    name: format!("{pod_name}-{}", str_at(v, "/name")),
                    ephemeral: true,
                })
            } else {
                None
            }
        })
        .collect()
}

/// isPVCFullyBound: a volume name and the bind-completed annotation (podlab also accepts phase
/// Bound, as it has no PV controller writing the annotation).
pub fn is_bound(pvc: &Value) -> bool {
    !str_at(pvc, "/spec/volumeName").is_empty()
        && (pvc
            .at("/metadata/annotations/pv.kubernetes.io~1bind-completed")
            .is_some()
            || str_at(pvc, "/status/phase") == "Bound")
}

/// storagehelpers.GetPersistentVolumeClaimClass: the beta annotation, else the field.
pub fn claim_class(pvc: &Value) -> &str {
    let beta = str_at(
        pvc,
        "/metadata/annotations/volume.beta.kubernetes.io~1storage-class",
    );
    if beta.is_empty() {
        str_at(pvc, "/spec/storageClassName")
    } else {
        beta
    }
}

/// volume.IsDelayBindingMode: the claim's class exists and binds WaitForFirstConsumer.
fn is_delay_binding(pvc: &Value, listers: &Listers) -> bool {
    let class = claim_class(pvc);
    !class.is_empty()
        && listers
            .storage_class(class)
            .is_some_and(|c| str_at(c, "/volumeBindingMode") == "WaitForFirstConsumer")
}

/// podHasPVCs: the first claim that is missing, lost or being deleted.
fn claim_problem(pod: &Value, listers: &Listers) -> Option<String> {
    let ns = str_at(pod, "/metadata/namespace");
    for claim in claim_refs(pod) {
        let name = &claim.name;
        let Some(pvc) = listers.persistent_volume_claim(ns, name) else {
            return Some(if claim.ephemeral {
                format!("waiting for ephemeral volume controller to create the persistentvolumeclaim \"{name}\"")
            } else {
                format!("persistentvolumeclaim \"{name}\" not found")
            });
        };
        if str_at(pvc, "/status/phase") == "Lost" {
            let volume = str_at(pvc, "/spec/volumeName");
            return Some(format!(
                "persistentvolumeclaim \"{name}\" bound to non-existent persistentvolume \"{volume}\""
            ));
        }
        if pvc.at("/metadata/deletionTimestamp").is_some() {
            return Some(format!("persistentvolumeclaim \"{name}\" is being deleted"));
        }
    }
    None
}

/// The pod's claims that exist, in volume order.
fn claims<'a>(pod: &Value, listers: &'a Listers) -> Vec<&'a Value> {
    let ns = str_at(pod, "/metadata/namespace");
    claim_refs(pod)
        .iter()
        .filter_map(|c| listers.persistent_volume_claim(ns, &c.name))
        .collect()
}

/// volume.CheckNodeAffinity: the volume's required node selector terms admit the node.
pub fn volume_admits_node(pv: &Value, node: &Value) -> bool {
    pv.at("/spec/nodeAffinity/required/nodeSelectorTerms")
        .and_then(Value::as_array)
        .is_none_or(|terms| terms.iter().any(|t| term_matches(t, node)))
}

fn storage(v: &Value, pointer: &str) -> i128 {
    v.at(pointer)
        .and_then(Value::as_str)
        .and_then(parse_units)
        .unwrap_or(0)
}

fn access_modes(v: &Value) -> Vec<&str> {
    v.at("/spec/accessModes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// FindMatchingVolume (simplified): an unclaimed volume (or one pre-bound to this claim) of the
/// claim's class, with its access modes and enough capacity, that admits the node.
fn has_matching_volume(pvc: &Value, node: &Value, listers: &Listers) -> bool {
    let wanted = storage(pvc, "/spec/resources/requests/storage");
    let modes = access_modes(pvc);
    listers.persistent_volumes.iter().any(|pv| {
        let claim_ref = pv.at("/spec/claimRef");
        let free = claim_ref.is_none_or(|r| {
            r.is_null()
                || (str_at(r, "/name") == str_at(pvc, "/metadata/name")
                    && str_at(r, "/namespace") == str_at(pvc, "/metadata/namespace"))
        });
        free && str_at(pv, "/spec/storageClassName") == claim_class(pvc)
            && modes.iter().all(|m| access_modes(pv).contains(m))
            && storage(pv, "/spec/capacity/storage") >= wanted
            && volume_admits_node(pv, node)
    })
}

/// checkVolumeProvisions (simplified): the class has a real provisioner.
fn can_provision(pvc: &Value, listers: &Listers) -> bool {
    listers
        .storage_class(claim_class(pvc))
        .is_some_and(|c| !matches!(str_at(c, "/provisioner"), "" | NO_PROVISIONER))
}

/// FindPodVolumes: the conflict reasons for this node, in binder.go's order.
fn node_reasons(pod: &Value, node: &Value, listers: &Listers) -> Vec<&'static str> {
    let (mut bound_ok, mut pvs_found, mut unbound_ok) = (true, true, true);
    for pvc in claims(pod, listers) {
        if is_bound(pvc) {
            if !bound_ok || !pvs_found {
                continue;
            }
            match listers.persistent_volume(str_at(pvc, "/spec/volumeName")) {
                None => pvs_found = false,
                Some(pv) => bound_ok = volume_admits_node(pv, node),
            }
        } else if !has_matching_volume(pvc, node, listers) && !can_provision(pvc, listers) {
            unbound_ok = false;
        }
    }
    let mut reasons = Vec::new();
    if !bound_ok {
        reasons.push(REASON_NODE_CONFLICT);
    }
    if !unbound_ok {
        reasons.push(REASON_BIND_CONFLICT);
    }
    if !pvs_found {
        reasons.push(REASON_PV_NOT_EXIST);
    }
    reasons
}

impl FilterPlugin for VolumeBinding {
    fn name(&self) -> &'static str {
        NAME
    }

    /// Without the listers claims cannot be checked: the node passes.
    fn filter(&self, _pod: &Value, _node: &NodeInfo) -> Status {
        Status::success(NAME)
    }

    fn pre_filter(&self, pod: &Value, cycle: &Cycle) -> Status {
        let Some(listers) = cycle.listers else {
            return Status::success(NAME);
        };
        if let Some(problem) = claim_problem(pod, listers) {
            return Status::unresolvable(NAME, problem);
        }
        let unbound_immediate = claims(pod, listers).into_iter().any(|pvc| {
            !is_bound(pvc)
                && (!is_delay_binding(pvc, listers) || !str_at(pvc, "/spec/volumeName").is_empty())
        });
        if unbound_immediate {
            return Status::unresolvable(NAME, REASON_UNBOUND_IMMEDIATE);
        }
        Status::success(NAME)
    }

    fn filter_in(&self, pod: &Value, node: &NodeInfo, cycle: &Cycle) -> Status {
        let Some(listers) = cycle.listers else {
            return Status::success(NAME);
        };
        let reasons = node_reasons(pod, &node.node, listers);
        if reasons.is_empty() {
            return Status::success(NAME);
        }
        Status {
            code: Code::UnschedulableAndUnresolvable,
            plugin: NAME,
            reasons: reasons.into_iter().map(str::to_string).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod_with_claim(claim: &str) -> Value {
        json!({"metadata": {"name": "app", "namespace": "default"}, "spec": {"volumes": [
            {"name": "data", "persistentVolumeClaim": {"claimName": claim}}]}})
    }

    fn pvc(name: &str, class: &str, volume: &str, phase: &str) -> Value {
        json!({"metadata": {"name": name, "namespace": "default"},
            "spec": {"storageClassName": class, "volumeName": volume, "accessModes": ["ReadWriteOnce"],
                     "resources": {"requests": {"storage": "1Gi"}}},
            "status": {"phase": phase}})
    }

    fn node(name: &str) -> NodeInfo {
        NodeInfo::new(
            json!({"metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}}}),
            vec![],
        )
    }

    fn local_pv(name: &str, host: &str) -> Value {
        json!({"metadata": {"name": name}, "spec": {"storageClassName": "local", "accessModes": ["ReadWriteOnce"],
            "capacity": {"storage": "5Gi"},
            "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                {"key": "kubernetes.io/hostname", "operator": "In", "values": [host]}]}]}}}})
    }

    #[test]
    fn a_missing_claim_fails_pre_filter() {
        let listers = Listers::default();
        let nodes = [node("n1")];
        let s =
            VolumeBinding.pre_filter(&pod_with_claim("data"), &Cycle::new(&nodes, Some(&listers)));
        assert_eq!(s.code, Code::UnschedulableAndUnresolvable);
        assert_eq!(s.reasons, vec!["persistentvolumeclaim \"data\" not found"]);
    }

    #[test]
    fn an_unbound_immediate_claim_fails_pre_filter() {
        let listers = Listers {
            persistent_volume_claims: vec![pvc("data", "standard", "", "Pending")],
            storage_classes: vec![
                json!({"metadata": {"name": "standard"}, "provisioner": "x", "volumeBindingMode": "Immediate"}),
            ],
            ..Listers::default()
        };
        let nodes = [node("n1")];
        let s =
            VolumeBinding.pre_filter(&pod_with_claim("data"), &Cycle::new(&nodes, Some(&listers)));
        assert_eq!(s.reasons, vec![REASON_UNBOUND_IMMEDIATE]);
    }

    #[test]
    fn a_bound_local_volume_pins_the_pod_to_its_node() {
        let listers = Listers {
            persistent_volume_claims: vec![pvc("data", "local", "pv-1", "Bound")],
            persistent_volumes: vec![local_pv("pv-1", "n1")],
            ..Listers::default()
        };
        let nodes = [node("n1"), node("n2")];
        let cycle = Cycle::new(&nodes, Some(&listers));
        let p = pod_with_claim("data");
        assert!(VolumeBinding.pre_filter(&p, &cycle).is_success());
        assert!(VolumeBinding.filter_in(&p, &nodes[0], &cycle).is_success());
        let s = VolumeBinding.filter_in(&p, &nodes[1], &cycle);
        assert_eq!(s.code, Code::UnschedulableAndUnresolvable);
        assert_eq!(s.reasons, vec![REASON_NODE_CONFLICT]);
    }

    #[test]
    fn a_wait_for_first_consumer_claim_needs_a_volume_on_the_node() {
        let listers = Listers {
            persistent_volume_claims: vec![pvc("data", "local", "", "Pending")],
            persistent_volumes: vec![local_pv("pv-1", "n1")],
            storage_classes: vec![
                json!({"metadata": {"name": "local"}, "provisioner": NO_PROVISIONER,
                "volumeBindingMode": "WaitForFirstConsumer"}),
            ],
            ..Listers::default()
        };
        let nodes = [node("n1"), node("n2")];
        let cycle = Cycle::new(&nodes, Some(&listers));
        let p = pod_with_claim("data");
        assert!(VolumeBinding.pre_filter(&p, &cycle).is_success());
        assert!(VolumeBinding.filter_in(&p, &nodes[0], &cycle).is_success());
        assert_eq!(
            VolumeBinding.filter_in(&p, &nodes[1], &cycle).reasons,
            vec![REASON_BIND_CONFLICT]
        );
    }
}
