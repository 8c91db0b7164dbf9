//! VolumeBinding (pkg/scheduler/framework/plugins/volumebinding): a pod's claims must exist and
//! not be lost or deleting (PreFilter, podHasPVCs), claims of Immediate binding must already be
//! bound (`pod has unbound immediate PersistentVolumeClaims`), a bound claim's volume must admit
//! the node (`node(s) had volume node affinity conflict`) and a WaitForFirstConsumer claim must
//! find a volume or a provisioner for it.
//!
//! Reserve and PreBind (AssumePodVolumes, BindPodVolumes): once a node is chosen, each unbound
//! WaitForFirstConsumer claim is either pre-bound to a matching volume on that node (the
//! volume's claimRef) or handed to its provisioner with the `volume.kubernetes.io/selected-node`
//! annotation; the pod is bound only when the PV controller has bound every claim, and after
//! `bindTimeoutSeconds` (600) the binding cycle fails with `running PreBind plugin
//! "VolumeBinding": binding volumes: context deadline exceeded`.
//!
//! Not modelled: storage capacity, volume modes, claim selectors and the StorageClass's
//! allowedTopologies.

use crate::unstructured::JsonPointer;
use serde_json::{json, Value};

use super::node_affinity::term_matches;
use crate::client::{core, Ctx};
use crate::quantity::parse_units;
use crate::scheduler::framework::{Code, Cycle, FilterPlugin, Listers, NodeInfo, PodInfo, Status};
use crate::sim::{Actor, Millis};
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
/// `volume.AnnSelectedNode`: the node the scheduler chose for a delayed-binding claim.
pub const ANN_SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";
/// `volume.AnnBoundByController`, set on a volume the scheduler pre-binds.
const ANN_BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";
/// VolumeBindingArgs.bindTimeoutSeconds' default (pkg/scheduler/apis/config/v1/defaults.go).
pub const BIND_TIMEOUT: Millis = 600_000;
/// What PreBind's poll reports when `bindTimeout` passes (wait.PollUntilContextTimeout returns
/// ctx.Err(); BindPodVolumes wraps it; RunPreBindPlugins wraps that).
pub const BIND_TIMEOUT_MESSAGE: &str =
    "running PreBind plugin \"VolumeBinding\": binding volumes: context deadline exceeded";

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

/// The claim's `volume.kubernetes.io/selected-node`, if set.
pub fn selected_node(pvc: &Value) -> Option<&str> {
    pvc.at("/metadata/annotations")
        .and_then(|a| a.get(ANN_SELECTED_NODE))
        .and_then(Value::as_str)
}

fn has_matching_volume(pvc: &Value, node: &Value, listers: &Listers) -> bool {
    matching_volume(pvc, node, listers).is_some()
}

/// FindMatchingVolume (simplified): the smallest unclaimed volume (or one pre-bound to this
/// claim) of the claim's class, with its access modes and enough capacity, that admits the node.
fn matching_volume<'a>(pvc: &Value, node: &Value, listers: &'a Listers) -> Option<&'a Value> {
    let wanted = storage(pvc, "/spec/resources/requests/storage");
    let modes = access_modes(pvc);
    let fits = |pv: &&Value| {
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
    };
    listers
        .persistent_volumes
        .iter()
        .filter(fits)
        .min_by_key(|pv| storage(pv, "/spec/capacity/storage"))
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
        } else if let Some(selected) = selected_node(pvc) {
            // FindPodVolumes' fast path: a claim already given to a node fits only that node.
            if selected != str_at(node, "/metadata/name") || !can_provision(pvc, listers) {
                unbound_ok = false;
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

/// What Reserve (AssumePodVolumes) decided for one unbound WaitForFirstConsumer claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimBinding {
    /// A static binding: the matching volume gets the claim as its claimRef.
    Static { claim: String, volume: String },
    /// A dynamic provision: the claim gets the selected-node annotation.
    Provision { claim: String },
}

/// Reserve: the API writes the pod's unbound delayed-binding claims need on `node`, in volume
/// order. Claims already bound, already given to a node, or of Immediate binding need none.
pub fn reserve(pod: &Value, node: &Value, listers: &Listers) -> Vec<ClaimBinding> {
    claims(pod, listers)
        .into_iter()
        .filter(|pvc| {
            !is_bound(pvc)
                && str_at(pvc, "/spec/volumeName").is_empty()
                && is_delay_binding(pvc, listers)
                && selected_node(pvc).is_none()
        })
        .map(|pvc| {
            let claim = str_at(pvc, "/metadata/name").to_string();
            match matching_volume(pvc, node, listers) {
                Some(pv) => ClaimBinding::Static {
                    claim,
                    volume: str_at(pv, "/metadata/name").to_string(),
                },
                None => ClaimBinding::Provision { claim },
            }
        })
        .collect()
}

/// checkBindings: `Ok(true)` once every claim of the pod is fully bound to a volume that admits
/// the node, `Ok(false)` while the PV controller or the provisioner is still at work, and the
/// error that ends the wait (the provisioner gave the claim back, the volume sits elsewhere).
pub fn check_bindings(pod: &Value, node: &Value, listers: &Listers) -> Result<bool, String> {
    let node_name = str_at(node, "/metadata/name");
    let mut all_bound = true;
    for pvc in claims(pod, listers) {
        let name = str_at(pvc, "/metadata/name");
        let volume = str_at(pvc, "/spec/volumeName");
        if is_delay_binding(pvc, listers)
            && !is_bound(pvc)
            && volume.is_empty()
            && selected_node(pvc).is_some_and(|n| n != node_name)
        {
            return Err(format!("provisioning failed for PVC \"{name}\""));
        }
        if let Some(pv) = listers.persistent_volume(volume) {
            if !volume_admits_node(pv, node) {
                return Err(format!(
                    "pv \"{volume}\" node affinity doesn't match node \"{node_name}\": no matching NodeSelectorTerms"
                ));
            }
        }
        all_bound &= is_bound(pvc);
    }
    Ok(all_bound)
}

/// Where PreBind stands for a pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreBind {
    /// Every claim is bound: go on and bind the pod.
    Done,
    /// Claims are being provisioned or bound since `since`: bind later.
    Waiting { since: Millis },
    /// The binding cycle fails with this message (the pod is scheduled again).
    Failed(String),
}

/// Reserve and PreBind for a pod going to `node`: writes what [`reserve`] decided through the
/// API server (first call only, `waiting_since` None), then reports whether the claims are all
/// bound ([`check_bindings`]), or the wait has outlasted [`BIND_TIMEOUT`].
pub fn pre_bind(
    pod: &Value,
    node: &Value,
    listers: &Listers,
    waiting_since: Option<Millis>,
    ctx: &mut Ctx,
) -> PreBind {
    let since = match waiting_since {
        Some(since) => since,
        None => {
            if let Err(message) = write_bindings(pod, node, listers, ctx) {
                return PreBind::Failed(format!("running PreBind plugin \"{NAME}\": {message}"));
            }
            if claims(pod, listers).iter().all(|c| is_bound(c)) {
                return PreBind::Done;
            }
            ctx.now
        }
    };
    match check_bindings(pod, node, listers) {
        Ok(true) => PreBind::Done,
        Err(message) => PreBind::Failed(format!(
            "running PreBind plugin \"{NAME}\": binding volumes: {message}"
        )),
        _ if ctx.now.saturating_sub(since) >= BIND_TIMEOUT => {
            PreBind::Failed(BIND_TIMEOUT_MESSAGE.to_string())
        }
        _ => {
            note_waiting(pod, listers, ctx);
            PreBind::Waiting { since }
        }
    }
}

/// bindAPIUpdate: the volumes' claimRefs and the claims' selected-node annotations.
fn write_bindings(
    pod: &Value,
    node: &Value,
    listers: &Listers,
    ctx: &mut Ctx,
) -> Result<(), String> {
    let ns = str_at(pod, "/metadata/namespace");
    let node_name = str_at(node, "/metadata/name");
    for binding in reserve(pod, node, listers) {
        let (updated, info, object, detail) = match &binding {
            ClaimBinding::Static { claim, volume } => {
                let (Some(pv), Some(pvc)) = (
                    listers.persistent_volume(volume),
                    listers.persistent_volume_claim(ns, claim),
                ) else {
                    continue;
                };
                (
                    volume_bound_to(pv, pvc),
                    core("persistentvolumes"),
                    format!("persistentvolume/{volume}"),
                    format!("claimRef {ns}/{claim}"),
                )
            }
            ClaimBinding::Provision { claim } => {
                let Some(pvc) = listers.persistent_volume_claim(ns, claim) else {
                    continue;
                };
                (
                    with_selected_node(pvc, node_name),
                    core("persistentvolumeclaims"),
                    format!("persistentvolumeclaim/{ns}/{claim}"),
                    format!("{ANN_SELECTED_NODE}={node_name}"),
                )
            }
        };
        ctx.note(Actor::Scheduler, "VolumeBinding: PreBind", object, detail);
        let resp = ctx.update(info, updated);
        if !resp.is_success() {
            return Err(str_at(&resp.body, "/message").to_string());
        }
    }
    Ok(())
}

/// The trace line for a pod whose binding waits on its claims.
fn note_waiting(pod: &Value, listers: &Listers, ctx: &mut Ctx) {
    let unbound: Vec<&str> = claims(pod, listers)
        .into_iter()
        .filter(|c| !is_bound(c))
        .map(|c| str_at(c, "/metadata/name"))
        .collect();
    ctx.note(
        Actor::Scheduler,
        "VolumeBinding: PreBind",
        format!(
            "pod/{}/{}",
            str_at(pod, "/metadata/namespace"),
            str_at(pod, "/metadata/name")
        ),
        format!(
            "waiting for the PV controller to bind persistentvolumeclaims [{}]; the pod is bound after",
            unbound.join(" ")
        ),
    );
}

/// The claim with `volume.kubernetes.io/selected-node` set.
pub fn with_selected_node(pvc: &Value, node: &str) -> Value {
    let mut updated = pvc.clone();
    if !updated
        .at("/metadata/annotations")
        .is_some_and(Value::is_object)
    {
        updated["metadata"]["annotations"] = json!({});
    }
    updated["metadata"]["annotations"][ANN_SELECTED_NODE] = json!(node);
    updated
}

/// GetBindVolumeToClaim: the volume with the claim as its claimRef and bound-by-controller.
pub fn volume_bound_to(pv: &Value, pvc: &Value) -> Value {
    let mut updated = pv.clone();
    updated["spec"]["claimRef"] = json!({
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "name": str_at(pvc, "/metadata/name"),
        "namespace": str_at(pvc, "/metadata/namespace"),
        "resourceVersion": str_at(pvc, "/metadata/resourceVersion"),
        "uid": str_at(pvc, "/metadata/uid"),
    });
    if !updated
        .at("/metadata/annotations")
        .is_some_and(Value::is_object)
    {
        updated["metadata"]["annotations"] = json!({});
    }
    updated["metadata"]["annotations"][ANN_BOUND_BY_CONTROLLER] = json!("yes");
    updated
}

impl FilterPlugin for VolumeBinding {
    fn name(&self) -> &'static str {
        NAME
    }

    /// Without the listers claims cannot be checked: the node passes.
    fn filter(&self, _pod: &PodInfo, _node: &NodeInfo) -> Status {
        Status::success(NAME)
    }

    fn pre_filter(&self, pod: &PodInfo, cycle: &Cycle) -> Status {
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

    fn filter_in(&self, pod: &PodInfo, node: &NodeInfo, cycle: &Cycle) -> Status {
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
    use crate::scheduler::framework::test_pod_info as info;
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
        let s = VolumeBinding.pre_filter(
            &info(&pod_with_claim("data")),
            &Cycle::new(&nodes, Some(&listers)),
        );
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
        let s = VolumeBinding.pre_filter(
            &info(&pod_with_claim("data")),
            &Cycle::new(&nodes, Some(&listers)),
        );
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
        assert!(VolumeBinding.pre_filter(&info(&p), &cycle).is_success());
        assert!(VolumeBinding
            .filter_in(&info(&p), &nodes[0], &cycle)
            .is_success());
        let s = VolumeBinding.filter_in(&info(&p), &nodes[1], &cycle);
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
        assert!(VolumeBinding.pre_filter(&info(&p), &cycle).is_success());
        assert!(VolumeBinding
            .filter_in(&info(&p), &nodes[0], &cycle)
            .is_success());
        assert_eq!(
            VolumeBinding
                .filter_in(&info(&p), &nodes[1], &cycle)
                .reasons,
            vec![REASON_BIND_CONFLICT]
        );
    }

    fn wffc_listers(claim: Value, volumes: Vec<Value>, provisioner: &str) -> Listers {
        Listers {
            persistent_volume_claims: vec![claim],
            persistent_volumes: volumes,
            storage_classes: vec![
                json!({"metadata": {"name": "local"}, "provisioner": provisioner,
                "volumeBindingMode": "WaitForFirstConsumer"}),
            ],
            ..Listers::default()
        }
    }

    #[test]
    fn reserve_pre_binds_a_matching_volume_or_provisions() {
        let p = pod_with_claim("data");
        let with_volume = wffc_listers(
            pvc("data", "local", "", "Pending"),
            vec![local_pv("pv-1", "n1")],
            NO_PROVISIONER,
        );
        assert_eq!(
            reserve(&p, &node("n1").node, &with_volume),
            vec![ClaimBinding::Static {
                claim: "data".into(),
                volume: "pv-1".into()
            }]
        );
        let dynamic = wffc_listers(
            pvc("data", "local", "", "Pending"),
            vec![],
            "rancher.io/local-path",
        );
        assert_eq!(
            reserve(&p, &node("n2").node, &dynamic),
            vec![ClaimBinding::Provision {
                claim: "data".into()
            }]
        );
        let selected = with_selected_node(&pvc("data", "local", "", "Pending"), "n2");
        let given = wffc_listers(selected, vec![], "rancher.io/local-path");
        assert!(reserve(&p, &node("n2").node, &given).is_empty());
    }

    #[test]
    fn a_claim_given_to_a_node_fits_only_that_node() {
        let selected = with_selected_node(&pvc("data", "local", "", "Pending"), "n2");
        let listers = wffc_listers(selected, vec![], "rancher.io/local-path");
        let nodes = [node("n1"), node("n2")];
        let cycle = Cycle::new(&nodes, Some(&listers));
        let p = pod_with_claim("data");
        assert_eq!(
            VolumeBinding
                .filter_in(&info(&p), &nodes[0], &cycle)
                .reasons,
            vec![REASON_BIND_CONFLICT]
        );
        assert!(VolumeBinding
            .filter_in(&info(&p), &nodes[1], &cycle)
            .is_success());
    }

    #[test]
    fn check_bindings_waits_for_the_pv_controller_then_succeeds() {
        let p = pod_with_claim("data");
        let n2 = node("n2").node;
        let pending = with_selected_node(&pvc("data", "local", "", "Pending"), "n2");
        let listers = wffc_listers(pending, vec![], "rancher.io/local-path");
        assert_eq!(check_bindings(&p, &n2, &listers), Ok(false));
        let mut bound = with_selected_node(&pvc("data", "local", "pvc-1", "Bound"), "n2");
        bound["metadata"]["annotations"]["pv.kubernetes.io/bind-completed"] = json!("yes");
        let mut pv = local_pv("pvc-1", "n2");
        pv["spec"]["storageClassName"] = json!("local");
        let listers = wffc_listers(bound, vec![pv], "rancher.io/local-path");
        assert_eq!(check_bindings(&p, &n2, &listers), Ok(true));
        assert_eq!(
            check_bindings(&p, &node("n1").node, &listers),
            Err("pv \"pvc-1\" node affinity doesn't match node \"n1\": no matching NodeSelectorTerms".into())
        );
    }

    #[test]
    fn a_claim_handed_back_by_the_provisioner_fails_the_binding() {
        let p = pod_with_claim("data");
        let moved = with_selected_node(&pvc("data", "local", "", "Pending"), "n1");
        let listers = wffc_listers(moved, vec![], "rancher.io/local-path");
        assert_eq!(
            check_bindings(&p, &node("n2").node, &listers),
            Err("provisioning failed for PVC \"data\"".into())
        );
        assert_eq!(
            BIND_TIMEOUT_MESSAGE,
            "running PreBind plugin \"VolumeBinding\": binding volumes: context deadline exceeded"
        );
    }
}
