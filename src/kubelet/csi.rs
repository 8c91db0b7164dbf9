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
