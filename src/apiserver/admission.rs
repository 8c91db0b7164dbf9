//! Mutating admission plugins that a default v1.36 API server runs on what podlab serves
//! (plugin/pkg/admission/...): ServiceAccount, Priority, DefaultTolerationSeconds,
//! TaintNodesByCondition, and PodTopologyLabels on pod bindings.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ConfigMapProjection, DownwardAPIProjection, DownwardAPIVolumeFile, KeyToPath, Node,
    ObjectFieldSelector, Pod, ProjectedVolumeSource, ServiceAccountTokenProjection, Taint,
    Toleration, Volume, VolumeMount, VolumeProjection,
};

use crate::sim::Rng;

/// Where the ServiceAccount admission plugin mounts the API credentials.
pub const SERVICE_ACCOUNT_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The token lifetime the plugin asks for: one hour plus seven seconds (3607), so that kubelets
/// can tell its tokens from others.
pub const TOKEN_EXPIRATION_SECONDS: i64 = 3607;

/// ServiceAccount admission: name the default account and project its token, the cluster CA and
/// the namespace into every container at /var/run/secrets/kubernetes.io/serviceaccount.
pub fn service_account(pod: &mut Pod, rng: &mut Rng) {
    let spec = pod.spec.get_or_insert_with(Default::default);
    if spec
        .service_account_name
        .as_deref()
        .unwrap_or_default()
        .is_empty()
    {
        spec.service_account_name = Some("default".into());
    }
    spec.service_account = spec.service_account_name.clone();
    if spec.automount_service_account_token == Some(false) {
        return;
    }
    let name = format!("kube-api-access-{}", rng.name_suffix(5));
    let mount = VolumeMount {
        name: name.clone(),
        mount_path: SERVICE_ACCOUNT_MOUNT_PATH.into(),
        read_only: Some(true),
        ..Default::default()
    };
    let mut mounted = false;
    for c in spec
        .init_containers
        .iter_mut()
        .flatten()
        .chain(spec.containers.iter_mut())
    {
        let mounts = c.volume_mounts.get_or_insert_with(Vec::new);
        if !mounts
            .iter()
            .any(|m| m.mount_path == SERVICE_ACCOUNT_MOUNT_PATH)
        {
            mounts.push(mount.clone());
            mounted = true;
        }
    }
    if mounted {
        spec.volumes
            .get_or_insert_with(Vec::new)
            .push(token_volume(name));
    }
}

/// The account a pod without serviceAccountName runs as (DefaultServiceAccountName).
pub const DEFAULT_ACCOUNT: &str = "default";

/// The ServiceAccount plugin's refusal when the pod's account does not exist
/// (plugin/pkg/admission/serviceaccount/admission.go, Admit: `admission.NewForbidden(a,
/// fmt.Errorf("error looking up service account %s/%s: %w", ...))` around the lister's NotFound
/// for the `serviceaccount` resource). `None` when the account exists or the pod is a mirror pod.
///
/// For the `default` account, getServiceAccount retries the live lookup ten times, 100–200 ms
/// apart, because the serviceaccount controller creates (and recreates) it within milliseconds:
/// podlab's controller always runs, so a missing `default` account is one the controller is about
/// to write, and the pod is admitted as it would be after those retries.
pub fn missing_service_account(
    pod: &Pod,
    namespace: &str,
    account_exists: &dyn Fn(&str, &str) -> bool,
) -> Option<String> {
    let mirror = pod
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key("kubernetes.io/config.mirror"));
    if mirror {
        return None;
    }
    let account = pod
        .spec
        .as_ref()
        .and_then(|s| s.service_account_name.as_deref())
        .filter(|n| !n.is_empty())
        .unwrap_or("default");
    if account == DEFAULT_ACCOUNT || account_exists(namespace, account) {
        return None;
    }
    let name = pod.metadata.name.as_deref().unwrap_or_default();
    let cause = format!(
        "error looking up service account {namespace}/{account}: serviceaccount \"{account}\" not found"
    );
    Some(if name.is_empty() {
        format!("pods is forbidden: {cause}")
    } else {
        format!("pods \"{name}\" is forbidden: {cause}")
    })
}

fn token_volume(name: String) -> Volume {
    Volume {
        name,
        projected: Some(ProjectedVolumeSource {
            default_mode: Some(0o644),
            sources: Some(vec![
                VolumeProjection {
                    service_account_token: Some(ServiceAccountTokenProjection {
                        expiration_seconds: Some(TOKEN_EXPIRATION_SECONDS),
                        path: "token".into(),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                VolumeProjection {
                    config_map: Some(ConfigMapProjection {
                        name: "kube-root-ca.crt".into(),
                        items: Some(vec![KeyToPath {
                            key: "ca.crt".into(),
                            path: "ca.crt".into(),
                            mode: None,
                        }]),
                        optional: None,
                    }),
                    ..Default::default()
                },
                VolumeProjection {
                    downward_api: Some(DownwardAPIProjection {
                        items: Some(vec![DownwardAPIVolumeFile {
                            path: "namespace".into(),
                            field_ref: Some(ObjectFieldSelector {
                                api_version: Some("v1".into()),
                                field_path: "metadata.namespace".into(),
                            }),
                            ..Default::default()
                        }]),
                    }),
                    ..Default::default()
                },
            ]),
        }),
        ..Default::default()
    }
}

/// Priority admission: without a priorityClassName (and no global default class) a pod gets
/// priority 0 and the PreemptLowerPriority policy.
pub fn priority(pod: &mut Pod) {
    let spec = pod.spec.get_or_insert_with(Default::default);
    spec.priority.get_or_insert(0);
    spec.preemption_policy
        .get_or_insert_with(|| "PreemptLowerPriority".into());
}

/// DefaultTolerationSeconds: tolerate `not-ready` and `unreachable` NoExecute taints for 300 s,
/// unless the pod already tolerates them.
pub fn default_toleration_seconds(pod: &mut Pod) {
    let spec = pod.spec.get_or_insert_with(Default::default);
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        let tolerated = tolerations.iter().any(|t| {
            let key_matches =
                t.key.as_deref() == Some(key) || t.key.as_deref().unwrap_or_default().is_empty();
            let effect_matches = t
                .effect
                .as_deref()
                .is_none_or(|e| e.is_empty() || e == "NoExecute");
            key_matches
                && effect_matches
                && (t.operator.as_deref() == Some("Exists") || t.key.as_deref() == Some(key))
        });
        if !tolerated {
            tolerations.push(Toleration {
                key: Some(key.into()),
                operator: Some("Exists".into()),
                effect: Some("NoExecute".into()),
                toleration_seconds: Some(300),
                value: None,
            });
        }
    }
}

/// TaintNodesByCondition: every new Node starts tainted `node.kubernetes.io/not-ready:NoSchedule`
/// until the node lifecycle controller sees it Ready.
pub fn taint_new_node(node: &mut Node) {
    let spec = node.spec.get_or_insert_with(Default::default);
    let taints = spec.taints.get_or_insert_with(Vec::new);
    if !taints
        .iter()
        .any(|t| t.key == "node.kubernetes.io/not-ready" && t.effect == "NoSchedule")
    {
        taints.push(Taint {
            key: "node.kubernetes.io/not-ready".into(),
            effect: "NoSchedule".into(),
            value: None,
            time_added: None,
        });
    }
}

/// PodTopologyLabels (on by default since v1.35): a binding copies the node's topology labels
/// (`topology.kubernetes.io/zone` and `/region`) onto the pod.
pub fn topology_labels(node_labels: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    node_labels
        .iter()
        .filter(|(k, _)| {
            k.as_str() == "topology.kubernetes.io/zone"
                || k.as_str() == "topology.kubernetes.io/region"
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Container, PodSpec};

    fn pod() -> Pod {
        Pod {
            spec: Some(PodSpec {
                containers: vec![Container {
                    name: "c".into(),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn service_account_projects_its_token() {
        let mut p = pod();
        service_account(&mut p, &mut Rng::seeded(1));
        let spec = p.spec.unwrap();
        assert_eq!(spec.service_account_name.as_deref(), Some("default"));
        let vol = &spec.volumes.unwrap()[0];
        assert!(vol.name.starts_with("kube-api-access-") && vol.name.len() == 21);
        let mount = &spec.containers[0].volume_mounts.as_ref().unwrap()[0];
        assert_eq!(
            (mount.mount_path.as_str(), mount.read_only),
            (SERVICE_ACCOUNT_MOUNT_PATH, Some(true))
        );
    }

    #[test]
    fn default_tolerations_are_added_once() {
        let mut p = pod();
        default_toleration_seconds(&mut p);
        default_toleration_seconds(&mut p);
        assert_eq!(p.spec.unwrap().tolerations.unwrap().len(), 2);
    }

    #[test]
    fn a_missing_service_account_is_refused_with_the_plugin_message() {
        let mut p = pod();
        p.metadata.name = Some("web".into());
        let none = |_: &str, _: &str| false;
        // The default account is waited for (the plugin's retries), never refused.
        assert_eq!(missing_service_account(&p, "team", &none), None);
        if let Some(spec) = p.spec.as_mut() {
            spec.service_account_name = Some("robot".into());
        }
        assert_eq!(
            missing_service_account(&p, "team", &none).as_deref(),
            Some(
                "pods \"web\" is forbidden: error looking up service account team/robot: \
                 serviceaccount \"robot\" not found"
            )
        );
        let robot = |_: &str, name: &str| name == "robot";
        assert_eq!(missing_service_account(&p, "team", &robot), None);
    }
}
