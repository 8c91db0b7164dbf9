//! The kubelet's volume manager: mounts each of a pod's volumes before its containers start.
//! In-tree kinds (projected, configMap, secret, emptyDir, hostPath, downwardAPI) are set up by the
//! kubelet itself; `csi` volumes go to the node's CSI driver (NodePublishVolume).

use serde_json::Value;

/// One mount the volume manager performs: who does it, and the kubelet's log line for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub by_csi_driver: Option<String>,
    pub message: String,
}

/// The in-tree plugin or CSI driver of a pod volume.
fn plugin_of(volume: &Value) -> (String, Option<String>) {
    if let Some(driver) = volume.pointer("/csi/driver").and_then(Value::as_str) {
        return ("kubernetes.io/csi".into(), Some(driver.to_string()));
    }
    let kind = [
        "projected",
        "configMap",
        "secret",
        "emptyDir",
        "hostPath",
        "downwardAPI",
    ]
    .into_iter()
    .find(|k| volume.get(*k).is_some())
    .unwrap_or("emptyDir");
    let plugin = match kind {
        "configMap" => "kubernetes.io/configmap",
        "emptyDir" => "kubernetes.io/empty-dir",
        "hostPath" => "kubernetes.io/host-path",
        "downwardAPI" => "kubernetes.io/downward-api",
        "secret" => "kubernetes.io/secret",
        _ => "kubernetes.io/projected",
    };
    (plugin.to_string(), None)
}

/// The mounts of every volume of `pod` but its claims (see [`claim_mount`]), in order.
pub fn mounts(pod: &Value) -> Vec<Mount> {
    let volumes = pod
        .pointer("/spec/volumes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    volumes
        .iter()
        .filter(|v| v.get("persistentVolumeClaim").is_none())
        .map(|v| {
            let name = v.get("name").and_then(Value::as_str).unwrap_or_default();
            let (plugin, driver) = plugin_of(v);
            Mount {
                message: format!("MountVolume.SetUp succeeded for volume \"{name}\" (UniqueName: \"{plugin}/{name}\")"),
                by_csi_driver: driver,
            }
        })
        .collect()
}

/// The longest wait between two attempts to mount a volume (the operation executor's
/// exponential back-off: 500ms, doubling, up to 2m2s).
const MAX_MOUNT_BACKOFF: crate::sim::Millis = 122_000;

/// How long after the `failures`-th failed attempt in a row the volume is mounted again.
pub fn mount_backoff(failures: u32) -> crate::sim::Millis {
    let doublings = failures.saturating_sub(1).min(20);
    (500u64 << doublings).min(MAX_MOUNT_BACKOFF)
}

/// The configMap and secret volumes whose object does not exist (and that are not optional),
/// with the FailedMount event's text (operation_generator.go GenerateError
/// "MountVolume.SetUp failed" around the plugin's NotFound).
pub fn failed_mounts(pod: &Value, inputs: &super::env::EnvInputs) -> Vec<String> {
    let mut out = Vec::new();
    for v in pod
        .pointer("/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (source, secret, name_field, kind) = match (v.get("configMap"), v.get("secret")) {
            (Some(cm), _) => (cm, false, "name", "configmap"),
            (None, Some(s)) => (s, true, "secretName", "secret"),
            _ => continue,
        };
        let name = source
            .get(name_field)
            .and_then(Value::as_str)
            .unwrap_or_default();
        let optional = source.get("optional").and_then(Value::as_bool) == Some(true);
        if optional || super::env::source_data(inputs, secret, name).is_some() {
            continue;
        }
        let volume = v.get("name").and_then(Value::as_str).unwrap_or_default();
        out.push(format!(
            "MountVolume.SetUp failed for volume \"{volume}\" : {}",
            super::env::not_found(kind, name)
        ));
    }
    out
}

/// The files a container starts with: `/etc/hostname` and the root directories, plus a file
/// per key of each ConfigMap or Secret volume it mounts (under the mount path; `items` choose
/// keys and paths; `subPath` mounts one key as the file itself).
pub fn container_files(
    pod: &Value,
    container: &Value,
    inputs: &super::env::EnvInputs,
    hostname: &str,
) -> std::collections::BTreeMap<String, String> {
    let mut files = super::process::initial_files(hostname);
    let volumes: Vec<Value> = pod
        .pointer("/spec/volumes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for m in container
        .get("volumeMounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = m.get("name").and_then(Value::as_str).unwrap_or_default();
        let path = m
            .get("mountPath")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let path = path.trim_end_matches('/');
        let Some(volume) = volumes
            .iter()
            .find(|v| v.get("name").and_then(Value::as_str) == Some(name))
        else {
            continue;
        };
        if let Some(projected) = volume.get("projected") {
            files.insert(format!("{path}/"), String::new());
            for (key, content) in projected_files(pod, projected, inputs) {
                files.insert(format!("{path}/{key}"), content);
            }
            continue;
        }
        let (source, secret, name_field) = match (volume.get("configMap"), volume.get("secret")) {
            (Some(cm), _) => (cm, false, "name"),
            (None, Some(s)) => (s, true, "secretName"),
            _ => {
                files.insert(format!("{path}/"), String::new());
                continue;
            }
        };
        let object = source
            .get(name_field)
            .and_then(Value::as_str)
            .unwrap_or_default();
        let data = super::env::source_data(inputs, secret, object).unwrap_or_default();
        let entries = super::env::volume_files(&data, source.get("items"));
        let sub_path = m.get("subPath").and_then(Value::as_str).unwrap_or_default();
        if !sub_path.is_empty() {
            if let Some((_, content)) = entries.iter().find(|(k, _)| k == sub_path) {
                files.insert(path.to_string(), content.clone());
            }
            continue;
        }
        files.insert(format!("{path}/"), String::new());
        for (key, content) in entries {
            files.insert(format!("{path}/{key}"), content);
        }
    }
    files
}

/// The files of a projected volume (pkg/volume/projected): its configMap and secret sources'
/// keys, and its downwardAPI items' metadata fields (the kube-api-access volume's `namespace`,
/// which `$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)` reads). The service
/// account token podlab does not mint is left out.
fn projected_files(
    pod: &Value,
    projected: &Value,
    inputs: &super::env::EnvInputs,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for source in projected
        .get("sources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(items) = source
            .pointer("/downwardAPI/items")
            .and_then(Value::as_array)
        {
            for item in items {
                let field = item
                    .pointer("/fieldRef/fieldPath")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let value = match field {
                    "metadata.namespace" => pod.pointer("/metadata/namespace"),
                    "metadata.name" => pod.pointer("/metadata/name"),
                    "metadata.uid" => pod.pointer("/metadata/uid"),
                    _ => None,
                };
                let path = item.get("path").and_then(Value::as_str).unwrap_or_default();
                if let (Some(value), false) = (value.and_then(Value::as_str), path.is_empty()) {
                    out.push((path.to_string(), value.to_string()));
                }
            }
        }
        let (object, secret) = match (source.get("configMap"), source.get("secret")) {
            (Some(cm), _) => (cm, false),
            (None, Some(s)) => (s, true),
            _ => continue,
        };
        let name = object
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let data = super::env::source_data(inputs, secret, name).unwrap_or_default();
        out.extend(super::env::volume_files(&data, object.get("items")));
    }
    out
}

/// podAttachAndMountTimeout (pkg/kubelet/volumemanager/volume_manager.go): how long a pod's sync
/// waits for its volumes before it gives up and is retried.
pub const POD_ATTACH_AND_MOUNT_TIMEOUT: crate::sim::Millis = 2 * 60_000 + 3_000;

/// Why the desired-state-of-world populator cannot process a claim volume yet
/// (desired_state_of_world_populator.go getPVCExtractPV); None when the claim is bound to a
/// volume. A missing claim is the API server's NotFound behind "failed to fetch PVC from API
/// server".
pub fn claim_problem(claim: Option<&Value>, claim_name: &str) -> Option<String> {
    let Some(claim) = claim else {
        return Some(format!(
            "failed to fetch PVC from API server: persistentvolumeclaims \"{claim_name}\" not found"
        ));
    };
    if claim.pointer("/metadata/deletionTimestamp").is_some() {
        return Some("PVC is being deleted".into());
    }
    let bound = claim.pointer("/status/phase").and_then(Value::as_str) == Some("Bound");
    let volume = claim
        .pointer("/spec/volumeName")
        .and_then(Value::as_str)
        .unwrap_or_default();
    (!bound || volume.is_empty()).then(|| "PVC is not bound".into())
}

/// The error WaitForAttachAndMount returns when podAttachAndMountTimeout passes (names sorted as
/// the volume manager sorts them, Go's `%v` of a slice). The kubelet records no event for it: a
/// timeout is `wait.Interrupted`, so only `Unable to attach or mount volumes: <error>` for other
/// errors becomes a FailedMount event; the pod's sync is simply retried.
pub fn attach_and_mount_timeout(
    unmounted: &[&str],
    unattached: &[&str],
    not_processed: &[&str],
) -> String {
    attach_and_mount_error(
        unmounted,
        unattached,
        not_processed,
        "context deadline exceeded",
    )
}

/// The error WaitForAttachAndMount returns (volume_manager.go): the volumes not mounted, those
/// of attachable plugins not attached, those the desired-state populator could not add, then
/// `cause` (`%w`). When the populator recorded errors for the pod (AddErrorToPod), the poll
/// (verifyVolumesMountedFunc, every 300ms) pops them at once and `cause` is them, sorted and
/// joined by "; ": no waiting for the timeout, and not `wait.Interrupted`, so the kubelet
/// records FailedMount `Unable to attach or mount volumes: <error>` (kubelet.go SyncPod).
pub fn attach_and_mount_error(
    unmounted: &[&str],
    unattached: &[&str],
    not_processed: &[&str],
    cause: &str,
) -> String {
    let list = |names: &[&str]| {
        let mut names = names.to_vec();
        names.sort_unstable();
        format!("[{}]", names.join(" "))
    };
    format!(
        "unmounted volumes={}, unattached volumes={}, failed to process volumes={}: {cause}",
        list(unmounted),
        list(unattached),
        list(not_processed)
    )
}

/// The names of the volumes some container mounts or uses as a device (GetPodVolumeNames); the
/// populator skips the others ("Skipping unused volume").
fn used_volume_names(pod: &Value) -> std::collections::BTreeSet<&str> {
    [
        "/spec/initContainers",
        "/spec/containers",
        "/spec/ephemeralContainers",
    ]
    .into_iter()
    .filter_map(|p| pod.pointer(p).and_then(Value::as_array))
    .flatten()
    .flat_map(|c| {
        ["volumeMounts", "volumeDevices"]
            .into_iter()
            .filter_map(|k| c.get(k).and_then(Value::as_array))
            .flatten()
    })
    .filter_map(|m| m.get("name").and_then(Value::as_str))
    .collect()
}

/// The pod's claim volumes that a container uses: (volume name, claim name), in spec order.
pub fn used_claims(pod: &Value) -> Vec<(String, String)> {
    let used = used_volume_names(pod);
    pod.pointer("/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| {
            let name = v.get("name").and_then(Value::as_str)?;
            let claim = v.pointer("/persistentVolumeClaim/claimName")?.as_str()?;
            used.contains(name)
                .then(|| (name.to_string(), claim.to_string()))
        })
        .collect()
}

/// Why getPVSpec cannot use the claim's volume (desired_state_of_world_populator.go): the PV
/// missing, not bound back (no claimRef), or bound to another claim; None when it is the claim's.
pub fn volume_problem(pv: Option<&Value>, pv_name: &str, claim_uid: &str) -> Option<String> {
    let Some(pv) = pv else {
        return Some(format!(
            "failed to fetch PV {pv_name} from API server: persistentvolumes \"{pv_name}\" not found"
        ));
    };
    let Some(claim_ref) = pv.pointer("/spec/claimRef").filter(|r| !r.is_null()) else {
        return Some(format!("found PV object {pv_name} but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim"));
    };
    let uid = claim_ref
        .get("uid")
        .and_then(Value::as_str)
        .unwrap_or_default();
    (uid != claim_uid).then(|| {
        format!("found PV object {pv_name} but its pv.Spec.ClaimRef.UID {uid} does not point to claim.UID {claim_uid}")
    })
}

impl super::Kubelet {
    /// One GET through the API server as the node (the Node authorizer lets a node read the
    /// claims of its pods and their volumes); None when it fails.
    fn get_object(
        ctx: &mut crate::client::Ctx,
        resource: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Option<Value> {
        let get = crate::apiserver::Request::new(
            crate::apiserver::Verb::Get,
            crate::client::core(resource),
            &ctx.user(),
        )
        .namespace(namespace)
        .name(name);
        let resp = ctx.request(get);
        resp.is_success().then_some(resp.body)
    }

    /// The desired-state-of-world populator's pass over the pod's claims (createVolumeSpec):
    /// each used claim and its PersistentVolume read from the API server (getPVCExtractPV,
    /// getPVSpec). Ok: the claims' mounts, named by their volumes ([`claim_mount`]); Err: the
    /// error WaitForAttachAndMount returns for the claims that could not be processed.
    pub(super) fn claim_mounts(
        pod: &Value,
        ctx: &mut crate::client::Ctx,
    ) -> Result<Vec<Mount>, String> {
        let ns = pod
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let pod_uid = pod
            .pointer("/metadata/uid")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let (mut mounts, mut failed, mut errors) = (Vec::new(), Vec::new(), Vec::new());
        for (volume, claim_name) in used_claims(pod) {
            let claim = Self::get_object(ctx, "persistentvolumeclaims", Some(ns), &claim_name);
            let problem = claim_problem(claim.as_ref(), &claim_name).or_else(|| {
                let claim = claim.as_ref()?;
                let text = |p: &str| claim.pointer(p).and_then(Value::as_str).unwrap_or_default();
                let pv_name = text("/spec/volumeName");
                let pv = Self::get_object(ctx, "persistentvolumes", None, pv_name);
                match volume_problem(pv.as_ref(), pv_name, text("/metadata/uid")) {
                    None => {
                        mounts.extend(pv.map(|pv| claim_mount(pod_uid, &pv)));
                        None
                    }
                    problem => problem,
                }
            });
            if let Some(problem) = problem {
                errors.push(format!("error processing PVC {ns}/{claim_name}: {problem}"));
                failed.push(volume);
            }
        }
        if failed.is_empty() {
            return Ok(mounts);
        }
        errors.sort_unstable();
        errors.dedup();
        let failed: Vec<&str> = failed.iter().map(String::as_str).collect();
        Err(attach_and_mount_error(
            &failed,
            &[],
            &failed,
            &errors.join("; "),
        ))
    }
}

/// The mount of a bound claim's volume: the volume manager names it by the PersistentVolume
/// (the outer spec name stays the pod's volume). Non-attachable plugins (hostPath, as kind's
/// local-path provisioner makes, and local) get the per-pod unique name
/// `<plugin>/<pod uid>-<pv name>` (GetUniqueVolumeNameFromSpecWithPod); CSI volumes are published
/// by their driver and named `kubernetes.io/csi/<driver>^<volumeHandle>`.
pub fn claim_mount(pod_uid: &str, pv: &Value) -> Mount {
    let pv_name = pv
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let text = |p: &str| pv.pointer(p).and_then(Value::as_str).unwrap_or_default();
    let (unique, driver) = if pv.pointer("/spec/csi").is_some() {
        let driver = text("/spec/csi/driver");
        (
            format!(
                "kubernetes.io/csi/{driver}^{}",
                text("/spec/csi/volumeHandle")
            ),
            Some(driver.to_string()),
        )
    } else if pv.pointer("/spec/local").is_some() {
        (
            format!("kubernetes.io/local-volume/{pod_uid}-{pv_name}"),
            None,
        )
    } else {
        (format!("kubernetes.io/host-path/{pod_uid}-{pv_name}"), None)
    };
    Mount {
        message: format!(
            "MountVolume.SetUp succeeded for volume \"{pv_name}\" (UniqueName: \"{unique}\")"
        ),
        by_csi_driver: driver,
    }
}

#[cfg(test)]
mod claim_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_unbound_claim_is_not_processed() {
        let pending = json!({"spec": {}, "status": {"phase": "Pending"}});
        assert_eq!(
            claim_problem(Some(&pending), "www-web-0").as_deref(),
            Some("PVC is not bound")
        );
        assert_eq!(
            claim_problem(None, "www-web-0").as_deref(),
            Some("failed to fetch PVC from API server: persistentvolumeclaims \"www-web-0\" not found")
        );
        let bound = json!({"spec": {"volumeName": "pvc-1"}, "status": {"phase": "Bound"}});
        assert_eq!(claim_problem(Some(&bound), "www-web-0"), None);
    }

    #[test]
    fn the_timeout_lists_the_volumes_as_go_prints_slices() {
        assert_eq!(
            attach_and_mount_timeout(&["www"], &["www", "kube-api-access-abcde"], &["www"]),
            "unmounted volumes=[www], unattached volumes=[kube-api-access-abcde www], failed to process volumes=[www]: context deadline exceeded"
        );
        assert_eq!(POD_ATTACH_AND_MOUNT_TIMEOUT, 123_000);
    }

    /// The populator's error surfaces at once, with the claim's problem as the cause.
    #[test]
    fn a_populator_error_is_the_cause() {
        assert_eq!(
            attach_and_mount_error(
                &["www"],
                &[],
                &["www"],
                "error processing PVC default/www-web-0: PVC is not bound"
            ),
            "unmounted volumes=[www], unattached volumes=[], failed to process volumes=[www]: error processing PVC default/www-web-0: PVC is not bound"
        );
    }

    #[test]
    fn only_claims_a_container_uses_are_processed() {
        let pod = json!({"spec": {
        "containers": [{"name": "c", "volumeMounts": [{"name": "www", "mountPath": "/w"}]}],
        "volumes": [
            {"name": "www", "persistentVolumeClaim": {"claimName": "www-web-0"}},
            {"name": "spare", "persistentVolumeClaim": {"claimName": "spare"}},
            {"name": "tmp", "emptyDir": {}},
        ]}});
        assert_eq!(
            used_claims(&pod),
            vec![("www".to_string(), "www-web-0".to_string())]
        );
        assert_eq!(mounts(&pod).len(), 1);
    }

    #[test]
    fn a_volume_must_be_bound_back_to_the_claim() {
        assert_eq!(
            volume_problem(None, "pvc-1", "c1").as_deref(),
            Some("failed to fetch PV pvc-1 from API server: persistentvolumes \"pvc-1\" not found")
        );
        let unbound = json!({"spec": {}});
        assert_eq!(
            volume_problem(Some(&unbound), "pvc-1", "c1").as_deref(),
            Some("found PV object pvc-1 but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim")
        );
        let other = json!({"spec": {"claimRef": {"uid": "c2"}}});
        assert_eq!(
            volume_problem(Some(&other), "pvc-1", "c1").as_deref(),
            Some("found PV object pvc-1 but its pv.Spec.ClaimRef.UID c2 does not point to claim.UID c1")
        );
        let ours = json!({"spec": {"claimRef": {"uid": "c1"}}});
        assert_eq!(volume_problem(Some(&ours), "pvc-1", "c1"), None);
    }

    #[test]
    fn a_local_path_volume_mounts_under_the_pod_and_volume_names() {
        let pv = json!({"metadata": {"name": "pvc-1"}, "spec": {"hostPath": {"path": "/var/local-path-provisioner/pvc-1_default_www-web-0"}}});
        assert_eq!(
            claim_mount("uid-9", &pv).message,
            "MountVolume.SetUp succeeded for volume \"pvc-1\" (UniqueName: \"kubernetes.io/host-path/uid-9-pvc-1\")"
        );
        let csi = json!({"metadata": {"name": "pvc-2"}, "spec": {"csi": {"driver": "ebs.csi.aws.com", "volumeHandle": "vol-1"}}});
        let m = claim_mount("uid-9", &csi);
        assert_eq!(m.by_csi_driver.as_deref(), Some("ebs.csi.aws.com"));
        assert!(m
            .message
            .ends_with("(UniqueName: \"kubernetes.io/csi/ebs.csi.aws.com^vol-1\")"));
    }
}
