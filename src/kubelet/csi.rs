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
        "persistentVolumeClaim",
    ]
    .into_iter()
    .find(|k| volume.get(*k).is_some())
    .unwrap_or("emptyDir");
    let plugin = match kind {
        "configMap" => "kubernetes.io/configmap",
        "emptyDir" => "kubernetes.io/empty-dir",
        "hostPath" => "kubernetes.io/host-path",
        "downwardAPI" => "kubernetes.io/downward-api",
        "persistentVolumeClaim" => "kubernetes.io/csi",
        "secret" => "kubernetes.io/secret",
        _ => "kubernetes.io/projected",
    };
    (plugin.to_string(), None)
}

/// The mounts of every volume of `pod`, in order.
pub fn mounts(pod: &Value) -> Vec<Mount> {
    let volumes = pod
        .pointer("/spec/volumes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    volumes
        .iter()
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
