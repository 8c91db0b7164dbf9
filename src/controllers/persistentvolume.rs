//! The PersistentVolume controller (pkg/controller/volume/persistentvolume: pv_controller.go,
//! index.go; component-helpers/storage/volume/pv_helpers.go) and, beside it, the external
//! provisioner a StorageClass names (kind's rancher.io/local-path, simulated as the
//! sig-storage-lib-external-provisioner library behaves).
//!
//! A pending claim is bound to the smallest Available volume that matches it (class, access
//! modes, capacity, volume mode, selector): the volume gets the claimRef and phase Bound, the
//! claim `volumeName`, the `pv.kubernetes.io/bind-completed` and `bound-by-controller`
//! annotations and phase Bound. A claim without a class gets the default StorageClass
//! (RetroactiveDefaultStorageClass). A claim whose class has a provisioner is annotated for it
//! (ExternalProvisioning); a WaitForFirstConsumer class first waits for the scheduler's
//! `volume.kubernetes.io/selected-node`. The provisioner then creates `pvc-<claim uid>`
//! pre-bound to the claim. A volume whose claim is gone is Released, and deleted when its
//! reclaim policy is Delete.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde_json::{json, Value};

use super::workload::{is_being_deleted, name_of, namespace_of, selects, str_at, uid_of};
use crate::client::{core, Ctx, Informer};
use crate::events::LegacyRecorder as Recorder;
use crate::quantity::parse_units;
use crate::sim::{Actor, Millis};

/// `AnnBindCompleted`.
pub const ANN_BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";
/// `AnnBoundByController`.
pub const ANN_BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";
/// `AnnSelectedNode`: the node the scheduler chose for a WaitForFirstConsumer claim.
pub const ANN_SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";
/// `AnnStorageProvisioner` and its beta twin.
pub const ANN_STORAGE_PROVISIONER: &str = "volume.kubernetes.io/storage-provisioner";
const ANN_BETA_STORAGE_PROVISIONER: &str = "volume.beta.kubernetes.io/storage-provisioner";
/// `AnnDynamicallyProvisioned`.
pub const ANN_PROVISIONED_BY: &str = "pv.kubernetes.io/provisioned-by";
/// The beta class annotation (`GetPersistentVolumeClaimClass`).
const ANN_BETA_CLASS: &str = "volume.beta.kubernetes.io/storage-class";
/// The provisioner of classes whose volumes are made by hand.
const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";
/// kind's provisioner, whose volumes are host directories pinned to a node.
const LOCAL_PATH: &str = "rancher.io/local-path";
/// `--pvclaimbinder-sync-period`: every claim and volume is looked at again this often.
const RESYNC: Millis = 15_000;

/// The informers the controller reads.
pub struct Caches<'a> {
    pub volumes: &'a Informer,
    pub claims: &'a Informer,
    pub classes: &'a Informer,
    pub pods: &'a Informer,
    pub nodes: &'a Informer,
}

/// The controller's and the provisioner's recorders, and when the next periodic resync is.
#[derive(Debug)]
pub struct PersistentVolumeController {
    recorder: Recorder,
    provisioner: Recorder,
    next_resync: Millis,
}

impl Default for PersistentVolumeController {
    fn default() -> Self {
        PersistentVolumeController {
            recorder: Recorder::for_controller("persistentvolume-controller"),
            provisioner: Recorder::for_controller(
                "rancher.io/local-path_local-path-provisioner-7dc846544d-8dqwv",
            ),
            next_resync: Millis::MAX,
        }
    }
}

fn annotation<'a>(obj: &'a Value, key: &str) -> Option<&'a str> {
    obj.pointer("/metadata/annotations")
        .and_then(|a| a.get(key))
        .and_then(Value::as_str)
}

/// `GetPersistentVolumeClaimClass`: the beta annotation, else `spec.storageClassName`.
pub fn claim_class(claim: &Value) -> &str {
    annotation(claim, ANN_BETA_CLASS).unwrap_or_else(|| str_at(claim, "/spec/storageClassName"))
}

/// `GetPersistentVolumeClass`.
pub fn volume_class(volume: &Value) -> &str {
    annotation(volume, ANN_BETA_CLASS).unwrap_or_else(|| str_at(volume, "/spec/storageClassName"))
}

/// `PersistentVolumeClaimHasClass`: the annotation or the field is present (even empty).
fn claim_has_class(claim: &Value) -> bool {
    annotation(claim, ANN_BETA_CLASS).is_some()
        || claim
            .pointer("/spec/storageClassName")
            .is_some_and(|c| !c.is_null())
}

fn storage(obj: &Value, pointer: &str) -> i128 {
    obj.pointer(pointer)
        .and_then(Value::as_str)
        .and_then(parse_units)
        .unwrap_or(0)
}

fn access_modes(obj: &Value) -> Vec<&str> {
    obj.pointer("/spec/accessModes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

fn volume_mode(obj: &Value) -> &str {
    match str_at(obj, "/spec/volumeMode") {
        "" => "Filesystem",
        m => m,
    }
}

/// `IsVolumeBoundToClaim`: the claimRef names the claim (and its uid, when it has one).
pub fn is_volume_bound_to_claim(volume: &Value, claim: &Value) -> bool {
    let Some(r) = volume.pointer("/spec/claimRef").filter(|r| !r.is_null()) else {
        return false;
    };
    str_at(r, "/name") == name_of(claim)
        && str_at(r, "/namespace") == namespace_of(claim)
        && (str_at(r, "/uid").is_empty() || str_at(r, "/uid") == uid_of(claim))
}

/// `CheckNodeAffinity`: the volume's required terms admit the node.
fn volume_admits_node(volume: &Value, node: &Value) -> bool {
    crate::scheduler::plugins::volume_binding::volume_admits_node(volume, node)
}

/// `findBestMatchForClaim` / `FindMatchingVolume`: a volume pre-bound to the claim, else the
/// smallest Available volume of the claim's class with its access modes, enough capacity, the
/// same volume mode, labels the claim's selector accepts and a node affinity admitting `node`.
/// Without a node, a WaitForFirstConsumer claim takes only a volume pre-bound to it.
pub fn find_best_match<'a>(
    claim: &Value,
    volumes: &[&'a Value],
    node: Option<&Value>,
    delay_binding: bool,
) -> Option<&'a Value> {
    let requested = storage(claim, "/spec/resources/requests/storage");
    let selector: Option<LabelSelector> = claim
        .pointer("/spec/selector")
        .filter(|s| !s.is_null())
        .and_then(|s| serde_json::from_value(s.clone()).ok());
    let modes = access_modes(claim);
    let mut smallest: Option<(&Value, i128)> = None;
    for &volume in volumes {
        let claim_ref = volume.pointer("/spec/claimRef").filter(|r| !r.is_null());
        let bound_here = is_volume_bound_to_claim(volume, claim);
        if claim_ref.is_some() && !bound_here {
            continue;
        }
        let capacity = storage(volume, "/spec/capacity/storage");
        if capacity < requested
            || volume_mode(volume) != volume_mode(claim)
            || is_being_deleted(volume)
        {
            continue;
        }
        let node_ok = node.is_none_or(|n| volume_admits_node(volume, n));
        if bound_here {
            return node_ok.then_some(volume);
        }
        if node.is_none() && delay_binding {
            continue;
        }
        let selected = selector.as_ref().is_none_or(|s| selects(Some(s), volume));
        if str_at(volume, "/status/phase") != "Available"
            || !selected
            || volume_class(volume) != claim_class(claim)
            || !node_ok
            || !modes.iter().all(|m| access_modes(volume).contains(m))
        {
            continue;
        }
        if smallest.is_none_or(|(_, q)| q > capacity) {
            smallest = Some((volume, capacity));
        }
    }
    smallest.map(|(v, _)| v)
}

/// `GetDefaultClass`: the newest class annotated default (then by name).
fn default_class(classes: &Informer) -> Option<&Value> {
    classes
        .list()
        .filter(|c| {
            [
                "storageclass.kubernetes.io/is-default-class",
                "storageclass.beta.kubernetes.io/is-default-class",
            ]
            .iter()
            .any(|k| annotation(c, k) == Some("true"))
        })
        .max_by(|a, b| {
            str_at(a, "/metadata/creationTimestamp")
                .cmp(str_at(b, "/metadata/creationTimestamp"))
                .then_with(|| name_of(b).cmp(name_of(a)))
        })
}

/// An `ObjectReference` to the claim (`reference.GetReference`).
fn claim_reference(claim: &Value) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "name": name_of(claim),
        "namespace": namespace_of(claim),
        "resourceVersion": str_at(claim, "/metadata/resourceVersion"),
        "uid": uid_of(claim),
    })
}

/// The volume the provisioner creates for the claim: `pvc-<uid>`, pre-bound to it, with the
/// class's reclaim policy; kind's local-path provisioner makes a host directory on the selected
/// node and pins the volume there.
pub fn provisioned_volume(claim: &Value, class: &Value, node: Option<&Value>) -> Value {
    let name = format!("pvc-{}", uid_of(claim));
    let provisioner = str_at(class, "/provisioner");
    let mut annotations = json!({ANN_PROVISIONED_BY: provisioner});
    let reclaim = match str_at(class, "/reclaimPolicy") {
        "" => "Delete",
        p => p,
    };
    let mut spec = json!({
        "accessModes": claim.pointer("/spec/accessModes").cloned().unwrap_or(json!([])),
        "capacity": {"storage": str_at(claim, "/spec/resources/requests/storage")},
        "claimRef": claim_reference(claim),
        "persistentVolumeReclaimPolicy": reclaim,
        "storageClassName": name_of(class),
        "volumeMode": volume_mode(claim),
    });
    if provisioner == LOCAL_PATH {
        spec["hostPath"] = json!({
            "path": format!("/var/local-path-provisioner/{name}_{}_{}", namespace_of(claim), name_of(claim)),
            "type": "DirectoryOrCreate",
        });
        if let Some(node) = node {
            annotations["local.path.provisioner/selected-node"] = json!(name_of(node));
            let hostname = match str_at(node, "/metadata/labels/kubernetes.io~1hostname") {
                "" => name_of(node),
                h => h,
            };
            spec["nodeAffinity"] = json!({"required": {"nodeSelectorTerms": [{"matchExpressions": [
                {"key": "kubernetes.io/hostname", "operator": "In", "values": [hostname]}]}]}});
        }
    } else {
        spec["csi"] = json!({"driver": provisioner, "volumeHandle": name});
    }
    json!({
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name, "annotations": annotations},
        "spec": spec,
    })
}

/// The pods in the claim's namespace that mount it.
fn consumers<'a>(claim: &Value, pods: &'a Informer) -> Vec<&'a Value> {
    pods.list()
        .filter(|p| namespace_of(p) == namespace_of(claim) && !is_being_deleted(p))
        .filter(|p| {
            p.pointer("/spec/volumes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|v| str_at(v, "/persistentVolumeClaim/claimName") == name_of(claim))
        })
        .collect()
}

impl PersistentVolumeController {
    /// Whether the periodic resync is due.
    pub fn resync_due(&self, now: Millis) -> bool {
        now >= self.next_resync
    }

    /// `syncVolume` for every volume, then `syncClaim` for every claim, then the provisioner —
    /// when a claim, volume or class changed (`storage_changed`, the controller's watches) or
    /// the periodic resync is due.
    pub fn reconcile(&mut self, caches: &Caches, storage_changed: bool, ctx: &mut Ctx) {
        if !storage_changed && ctx.now < self.next_resync {
            if self.next_resync != Millis::MAX {
                ctx.wake_at(self.next_resync);
            }
            return;
        }
        let volumes: Vec<Value> = caches.volumes.list().cloned().collect();
        for volume in &volumes {
            self.sync_volume(volume, caches, ctx);
        }
        let claims: Vec<Value> = caches.claims.list().cloned().collect();
        for claim in &claims {
            if is_being_deleted(claim) {
                continue;
            }
            if annotation(claim, ANN_BIND_COMPLETED).is_some() {
                self.sync_bound_claim(claim, caches, ctx);
            } else {
                self.sync_unbound_claim(claim, caches, ctx);
            }
        }
        for claim in &claims {
            self.provision(claim, caches, ctx);
        }
        let pending = claims
            .iter()
            .any(|c| str_at(c, "/status/phase") != "Bound" && !is_being_deleted(c));
        self.next_resync = if pending {
            ctx.now + RESYNC
        } else {
            Millis::MAX
        };
        if pending {
            ctx.wake_at(self.next_resync);
        }
    }

    /// `syncVolume`: Available without a claim, Bound to a claim bound to it, Released (and
    /// reclaimed) once its claim is gone.
    fn sync_volume(&mut self, volume: &Value, caches: &Caches, ctx: &mut Ctx) {
        let Some(claim_ref) = volume.pointer("/spec/claimRef").filter(|r| !r.is_null()) else {
            set_volume_phase(volume, "Available", ctx);
            return;
        };
        if str_at(claim_ref, "/uid").is_empty() {
            set_volume_phase(volume, "Available", ctx);
            return;
        }
        let key = format!(
            "{}/{}",
            str_at(claim_ref, "/namespace"),
            str_at(claim_ref, "/name")
        );
        let claim = caches
            .claims
            .get(&key)
            .filter(|c| uid_of(c) == str_at(claim_ref, "/uid"));
        match claim {
            None => {
                if !matches!(str_at(volume, "/status/phase"), "Released" | "Failed") {
                    set_volume_phase(volume, "Released", ctx);
                }
                self.reclaim(volume, ctx);
            }
            Some(c) if str_at(c, "/spec/volumeName") == name_of(volume) => {
                set_volume_phase(volume, "Bound", ctx);
            }
            Some(_) => {}
        }
    }

    /// `reclaimVolume` for Delete: the provisioner that made the volume deletes it (Retain keeps
    /// it Released).
    fn reclaim(&mut self, volume: &Value, ctx: &mut Ctx) {
        if str_at(volume, "/spec/persistentVolumeReclaimPolicy") != "Delete"
            || annotation(volume, ANN_PROVISIONED_BY).is_none()
            || is_being_deleted(volume)
        {
            return;
        }
        ctx.note(
            Actor::ControllerManager,
            "external-provisioner: delete volume",
            format!("persistentvolume/{}", name_of(volume)),
            "its claim is gone and the reclaim policy is Delete",
        );
        ctx.delete(core("persistentvolumes"), None, name_of(volume), None);
    }

    /// `syncBoundClaim` (the part podlab needs): the claim shows phase Bound.
    fn sync_bound_claim(&mut self, claim: &Value, caches: &Caches, ctx: &mut Ctx) {
        let volume = caches.volumes.get(str_at(claim, "/spec/volumeName"));
        if let Some(volume) = volume.filter(|v| is_volume_bound_to_claim(v, claim)) {
            update_claim_status(claim, "Bound", Some(volume), ctx);
        }
    }

    /// `syncUnboundClaim`.
    fn sync_unbound_claim(&mut self, claim: &Value, caches: &Caches, ctx: &mut Ctx) {
        let volumes: Vec<&Value> = caches.volumes.list().collect();
        let class = caches.classes.get(claim_class(claim));
        let delay =
            class.is_some_and(|c| str_at(c, "/volumeBindingMode") == "WaitForFirstConsumer");
        let wanted = str_at(claim, "/spec/volumeName");
        if !wanted.is_empty() {
            if let Some(volume) = caches.volumes.get(wanted) {
                let free = volume.pointer("/spec/claimRef").is_none_or(Value::is_null);
                if free || is_volume_bound_to_claim(volume, claim) {
                    self.bind(volume, claim, ctx);
                    return;
                }
            }
            update_claim_status(claim, "Pending", None, ctx);
            return;
        }
        let node = Self::selected_node(claim, delay).and_then(|n| caches.nodes.get(n));
        if let Some(volume) = find_best_match(claim, &volumes, node, delay) {
            self.bind(volume, claim, ctx);
            return;
        }
        if !claim_has_class(claim) {
            if let Some(default) = default_class(caches.classes) {
                let mut updated = claim.clone();
                updated["spec"]["storageClassName"] = json!(name_of(default));
                ctx.update(core("persistentvolumeclaims"), updated);
                return;
            }
        }
        let provisioning = annotation(claim, ANN_SELECTED_NODE).is_some();
        if delay && !provisioning {
            self.wait_for_first_consumer(claim, caches, ctx);
        } else if !claim_class(claim).is_empty() {
            self.provision_claim(claim, class, ctx);
            return;
        } else {
            self.recorder.object_event(
                ctx,
                claim,
                "Normal",
                "FailedBinding",
                "no persistent volumes available for this claim and no storage class is set",
            );
        }
        update_claim_status(claim, "Pending", None, ctx);
    }

    /// The node a WaitForFirstConsumer claim goes to: the scheduler's VolumeBinding PreBind
    /// writes it as the `volume.kubernetes.io/selected-node` annotation.
    fn selected_node(claim: &Value, delay: bool) -> Option<&str> {
        if !delay {
            return None;
        }
        annotation(claim, ANN_SELECTED_NODE)
    }

    /// `emitEventForUnboundDelayBindingClaim`.
    fn wait_for_first_consumer(&mut self, claim: &Value, caches: &Caches, ctx: &mut Ctx) {
        let waiting: Vec<&str> = consumers(claim, caches.pods)
            .into_iter()
            .filter(|p| str_at(p, "/spec/nodeName").is_empty())
            .map(name_of)
            .collect();
        let (reason, message) = match waiting.as_slice() {
            [] => (
                "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding".to_string(),
            ),
            [one] => (
                "WaitForPodScheduled",
                format!("waiting for pod {one} to be scheduled"),
            ),
            many => (
                "WaitForPodScheduled",
                format!("waiting for pods {} to be scheduled", many.join(",")),
            ),
        };
        self.recorder
            .object_event(ctx, claim, "Normal", reason, &message);
    }

    /// `provisionClaim` / `provisionClaimOperationExternal`: the provisioner annotations, and
    /// the ExternalProvisioning event.
    fn provision_claim(&mut self, claim: &Value, class: Option<&Value>, ctx: &mut Ctx) {
        let Some(class) = class else {
            let message = format!(
                "storageclass.storage.k8s.io \"{}\" not found",
                claim_class(claim)
            );
            self.recorder
                .object_event(ctx, claim, "Warning", "ProvisioningFailed", &message);
            return;
        };
        let provisioner = str_at(class, "/provisioner");
        if provisioner == NO_PROVISIONER {
            self.recorder.object_event(
                ctx,
                claim,
                "Normal",
                "FailedBinding",
                "no persistent volumes available for this claim and no storage class is set",
            );
            return;
        }
        if annotation(claim, ANN_STORAGE_PROVISIONER) != Some(provisioner) {
            let mut updated = claim.clone();
            if !updated
                .pointer("/metadata/annotations")
                .is_some_and(Value::is_object)
            {
                updated["metadata"]["annotations"] = json!({});
            }
            updated["metadata"]["annotations"][ANN_BETA_STORAGE_PROVISIONER] = json!(provisioner);
            updated["metadata"]["annotations"][ANN_STORAGE_PROVISIONER] = json!(provisioner);
            let resp = ctx.update(core("persistentvolumeclaims"), updated);
            if !resp.is_success() {
                let message = format!("Error saving claim: {}", str_at(&resp.body, "/message"));
                self.recorder
                    .object_event(ctx, claim, "Warning", "ProvisioningFailed", &message);
                return;
            }
        }
        let message = format!(
            "Waiting for a volume to be created either by the external provisioner '{provisioner}' \
             or manually by the system administrator. If volume creation is delayed, please verify \
             that the provisioner is running and correctly registered."
        );
        self.recorder
            .object_event(ctx, claim, "Normal", "ExternalProvisioning", &message);
    }

    /// The simulated external provisioner: a claim annotated for its provisioner (and, for
    /// WaitForFirstConsumer, with a selected node), still unbound and without its volume, gets
    /// `pvc-<uid>` (events Provisioning and ProvisioningSucceeded on the claim).
    fn provision(&mut self, claim: &Value, caches: &Caches, ctx: &mut Ctx) {
        let Some(provisioner) = annotation(claim, ANN_STORAGE_PROVISIONER) else {
            return;
        };
        let Some(class) = caches.classes.get(claim_class(claim)) else {
            return;
        };
        let delay = str_at(class, "/volumeBindingMode") == "WaitForFirstConsumer";
        let node = annotation(claim, ANN_SELECTED_NODE);
        if str_at(class, "/provisioner") != provisioner
            || is_being_deleted(claim)
            || !str_at(claim, "/spec/volumeName").is_empty()
            || (delay && node.is_none())
            || caches
                .volumes
                .get(&format!("pvc-{}", uid_of(claim)))
                .is_some()
        {
            return;
        }
        let node = node.and_then(|n| caches.nodes.get(n));
        let message = format!(
            "External provisioner is provisioning volume for claim \"{}/{}\"",
            namespace_of(claim),
            name_of(claim)
        );
        self.provisioner
            .object_event(ctx, claim, "Normal", "Provisioning", &message);
        let volume = provisioned_volume(claim, class, node);
        let resp = ctx.create(core("persistentvolumes"), None, volume.clone());
        if resp.is_success() || resp.code == 409 {
            let message = format!("Successfully provisioned volume {}", name_of(&volume));
            self.provisioner
                .object_event(ctx, claim, "Normal", "ProvisioningSucceeded", &message);
        } else {
            let message = format!(
                "failed to provision volume with StorageClass \"{}\": {}",
                name_of(class),
                str_at(&resp.body, "/message")
            );
            self.provisioner
                .object_event(ctx, claim, "Warning", "ProvisioningFailed", &message);
        }
    }

    /// `bind`: the volume's claimRef (bound-by-controller when the controller chose it) and
    /// phase Bound, then the claim's volumeName, annotations and phase Bound.
    fn bind(&mut self, volume: &Value, claim: &Value, ctx: &mut Ctx) {
        ctx.note(
            Actor::ControllerManager,
            "persistentvolume-controller: bind",
            format!(
                "persistentvolumeclaim/{}/{}",
                namespace_of(claim),
                name_of(claim)
            ),
            format!("to persistentvolume {}", name_of(volume)),
        );
        let mut volume = volume.clone();
        let already = is_volume_bound_to_claim(&volume, claim);
        let reference_ok = volume
            .pointer("/spec/claimRef")
            .is_some_and(|r| str_at(r, "/uid") == uid_of(claim) && already);
        if !reference_ok || !already {
            volume["spec"]["claimRef"] = claim_reference(claim);
            if !already {
                set_annotation(&mut volume, ANN_BOUND_BY_CONTROLLER, "yes");
            }
            let resp = ctx.update(core("persistentvolumes"), volume.clone());
            if !resp.is_success() {
                return;
            }
            volume = resp.body;
        }
        let Some(volume) = set_volume_phase(&volume, "Bound", ctx) else {
            return;
        };
        let mut claim = claim.clone();
        let mut dirty = false;
        if str_at(&claim, "/spec/volumeName") != name_of(&volume) {
            claim["spec"]["volumeName"] = json!(name_of(&volume));
            if annotation(&claim, ANN_BOUND_BY_CONTROLLER).is_none() {
                set_annotation(&mut claim, ANN_BOUND_BY_CONTROLLER, "yes");
            }
            dirty = true;
        }
        if annotation(&claim, ANN_BIND_COMPLETED).is_none() {
            set_annotation(&mut claim, ANN_BIND_COMPLETED, "yes");
            dirty = true;
        }
        if dirty {
            let resp = ctx.update(core("persistentvolumeclaims"), claim);
            if !resp.is_success() {
                return;
            }
            claim = resp.body;
        }
        update_claim_status(&claim, "Bound", Some(&volume), ctx);
    }
}

fn set_annotation(obj: &mut Value, key: &str, value: &str) {
    if !obj
        .pointer("/metadata/annotations")
        .is_some_and(Value::is_object)
    {
        obj["metadata"]["annotations"] = json!({});
    }
    obj["metadata"]["annotations"][key] = json!(value);
}

/// `updateVolumePhase`: the volume as stored after the change (or unchanged).
fn set_volume_phase(volume: &Value, phase: &str, ctx: &mut Ctx) -> Option<Value> {
    if str_at(volume, "/status/phase") == phase {
        return Some(volume.clone());
    }
    let mut updated = volume.clone();
    if !updated.get("status").is_some_and(Value::is_object) {
        updated["status"] = json!({});
    }
    updated["status"]["phase"] = json!(phase);
    let resp = ctx.update_status(core("persistentvolumes"), updated);
    resp.is_success().then_some(resp.body)
}

/// `updateClaimStatus`: the phase, and the volume's access modes and capacity once bound.
fn update_claim_status(claim: &Value, phase: &str, volume: Option<&Value>, ctx: &mut Ctx) {
    let mut status: BTreeMap<String, Value> = claim
        .get("status")
        .and_then(Value::as_object)
        .map(|m| m.clone().into_iter().collect())
        .unwrap_or_default();
    let old_phase = str_at(claim, "/status/phase").to_string();
    status.insert("phase".into(), json!(phase));
    match volume {
        None => {
            status.remove("accessModes");
            status.remove("capacity");
        }
        Some(v) => {
            if let Some(modes) = v.pointer("/spec/accessModes") {
                status.insert("accessModes".into(), modes.clone());
            }
            if old_phase != phase {
                if let Some(cap) = v.pointer("/spec/capacity") {
                    status.insert("capacity".into(), cap.clone());
                }
            }
        }
    }
    let status = json!(status);
    if claim.get("status") == Some(&status) {
        return;
    }
    let mut updated = claim.clone();
    updated["status"] = status;
    ctx.update_status(core("persistentvolumeclaims"), updated);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pv(name: &str, size: &str, class: &str, modes: Value) -> Value {
        json!({"metadata": {"name": name, "labels": {"type": "local"}},
            "spec": {"capacity": {"storage": size}, "accessModes": modes, "storageClassName": class},
            "status": {"phase": "Available"}})
    }

    fn pvc(size: &str, class: &str) -> Value {
        json!({"metadata": {"name": "data", "namespace": "default", "uid": "c1"},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}},
                "storageClassName": class}})
    }

    #[test]
    fn the_smallest_fitting_volume_of_the_class_is_chosen() {
        let (a, b, c) = (
            pv("big", "10Gi", "manual", json!(["ReadWriteOnce"])),
            pv(
                "small",
                "2Gi",
                "manual",
                json!(["ReadWriteOnce", "ReadOnlyMany"]),
            ),
            pv("tiny", "1Gi", "manual", json!(["ReadWriteOnce"])),
        );
        let other = pv("other-class", "2Gi", "fast", json!(["ReadWriteOnce"]));
        let all = [&a, &b, &c, &other];
        let found = find_best_match(&pvc("2Gi", "manual"), &all, None, false);
        assert_eq!(found.map(name_of), Some("small"));
        assert!(find_best_match(&pvc("20Gi", "manual"), &all, None, false).is_none());
    }

    #[test]
    fn access_modes_and_selectors_must_match() {
        let rox = pv("rox", "5Gi", "manual", json!(["ReadOnlyMany"]));
        assert!(find_best_match(&pvc("1Gi", "manual"), &[&rox], None, false).is_none());
        let mut claim = pvc("1Gi", "manual");
        claim["spec"]["selector"] = json!({"matchLabels": {"type": "remote"}});
        let rwo = pv("rwo", "5Gi", "manual", json!(["ReadWriteOnce"]));
        assert!(find_best_match(&claim, &[&rwo], None, false).is_none());
    }

    #[test]
    fn delay_binding_without_a_node_takes_only_a_pre_bound_volume() {
        let free = pv("free", "5Gi", "standard", json!(["ReadWriteOnce"]));
        let claim = pvc("1Gi", "standard");
        assert!(find_best_match(&claim, &[&free], None, true).is_none());
        let mut pre = free.clone();
        pre["spec"]["claimRef"] = json!({"name": "data", "namespace": "default", "uid": "c1"});
        assert!(find_best_match(&claim, &[&pre], None, true).is_some());
    }

    #[test]
    fn local_path_volumes_are_named_after_the_claim_and_pinned_to_the_node() {
        let class = json!({"metadata": {"name": "standard"}, "provisioner": "rancher.io/local-path",
            "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer"});
        let node = json!({"metadata": {"name": "worker-1", "labels": {"kubernetes.io/hostname": "worker-1"}}});
        let mut claim = pvc("1Gi", "standard");
        claim["metadata"]["name"] = json!("www-web-0");
        let v = provisioned_volume(&claim, &class, Some(&node));
        assert_eq!(v["metadata"]["name"], "pvc-c1");
        assert_eq!(
            v["metadata"]["annotations"][ANN_PROVISIONED_BY],
            "rancher.io/local-path"
        );
        assert_eq!(
            v["spec"]["hostPath"]["path"],
            "/var/local-path-provisioner/pvc-c1_default_www-web-0"
        );
        assert_eq!(v["spec"]["persistentVolumeReclaimPolicy"], "Delete");
        assert_eq!(v["spec"]["claimRef"]["uid"], "c1");
        assert_eq!(
            v["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"][0]
                ["values"],
            json!(["worker-1"])
        );
    }

    #[test]
    fn the_class_comes_from_the_beta_annotation_first() {
        let mut claim = pvc("1Gi", "fast");
        assert_eq!(claim_class(&claim), "fast");
        claim["metadata"]["annotations"] = json!({ANN_BETA_CLASS: "slow"});
        assert_eq!(claim_class(&claim), "slow");
        assert!(claim_has_class(&claim));
        assert!(!claim_has_class(&json!({"spec": {}})));
    }
}
