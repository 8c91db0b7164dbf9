//! Mutating admission plugins that a default v1.36 API server runs on what podlab serves
//! (plugin/pkg/admission/...): ServiceAccount, Priority, DefaultTolerationSeconds,
//! TaintNodesByCondition, and PodTopologyLabels on pod bindings.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ConfigMapProjection, DownwardAPIProjection, DownwardAPIVolumeFile, KeyToPath, Node,
    ObjectFieldSelector, Pod, ProjectedVolumeSource, ServiceAccountTokenProjection, Taint,
    Toleration, Volume, VolumeMount, VolumeProjection,
};
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

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
    // Run again (after a webhook added containers), the plugin reuses the volume it added.
    let existing = spec
        .volumes
        .iter()
        .flatten()
        .find(|v| v.name.starts_with("kube-api-access-"))
        .map(|v| v.name.clone());
    let reused = existing.is_some();
    let name = existing.unwrap_or_else(|| format!("kube-api-access-{}", rng.name_suffix(5)));
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
    if mounted && !reused {
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

/// The priority classes every cluster has: the API server's post-start hook
/// (`scheduling/bootstrap-system-priority-classes`, pkg/registry/scheduling/rest) creates them,
/// and their storage refuses to delete them (pkg/apis/scheduling: SystemPriorityClasses).
pub const SYSTEM_NODE_CRITICAL: (&str, i32) = ("system-node-critical", 2_000_001_000);
pub const SYSTEM_CLUSTER_CRITICAL: (&str, i32) = ("system-cluster-critical", 2_000_000_000);

/// The preemption policy of a pod whose class says none, or that has no class.
const PREEMPT_LOWER_PRIORITY: &str = "PreemptLowerPriority";

/// The two system classes as the post-start hook stores them (pkg/apis/scheduling/helpers.go
/// systemPriorityClasses; PreemptLowerPriority by SetDefaults_PriorityClass).
pub fn system_priority_classes() -> Vec<PriorityClass> {
    [
        (
            SYSTEM_NODE_CRITICAL,
            "Used for system critical pods that must not be moved from their current node.",
        ),
        (
            SYSTEM_CLUSTER_CRITICAL,
            "Used for system critical pods that must run in the cluster, but can be moved to \
             another node if necessary.",
        ),
    ]
    .into_iter()
    .map(|((name, value), description)| PriorityClass {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            ..Default::default()
        },
        value: Some(value),
        global_default: Some(false),
        preemption_policy: Some(PREEMPT_LOWER_PRIORITY.into()),
        description: Some(description.to_string()),
    })
    .collect()
}

/// The class named `name` among the stored ones; the system classes are found even where the
/// store lacks them (podlab's bootstrap does not create them; a real cluster always has them).
fn find_class(classes: &[PriorityClass], name: &str) -> Option<PriorityClass> {
    classes
        .iter()
        .find(|c| c.metadata.name.as_deref() == Some(name))
        .cloned()
        .or_else(|| {
            system_priority_classes()
                .into_iter()
                .find(|c| c.metadata.name.as_deref() == Some(name))
        })
}

/// getDefaultPriorityClass: the globalDefault class; if a race left several, the lowest value.
fn default_class(classes: &[PriorityClass]) -> Option<&PriorityClass> {
    classes
        .iter()
        .filter(|c| c.global_default == Some(true))
        .min_by_key(|c| c.value.unwrap_or(0))
}

/// `pods "web" is forbidden: <cause>` (admission.NewForbidden on a pod create).
fn pod_forbidden(pod: &Pod, cause: &str) -> String {
    match pod.metadata.name.as_deref().unwrap_or_default() {
        "" => format!("pods is forbidden: {cause}"),
        name => format!("pods \"{name}\" is forbidden: {cause}"),
    }
}

/// Priority admission on a pod create (plugin/pkg/admission/priority/admission.go, admitPod):
/// spec.priorityClassName resolves to spec.priority and spec.preemptionPolicy from the stored
/// PriorityClass (`classes`: every scheduling.k8s.io/v1 PriorityClass); without a name, the
/// globalDefault class (whose name is then set on the pod), else priority 0 and
/// PreemptLowerPriority. A pod may carry neither a priority nor a policy that differs from what
/// the class gives. Returns what was done, for the trace, or the Forbidden message.
pub fn admit_priority(pod: &mut Pod, classes: &[PriorityClass]) -> Result<String, String> {
    let spec = pod.spec.get_or_insert_with(Default::default);
    let named = spec.priority_class_name.clone().unwrap_or_default();
    let class = if named.is_empty() {
        default_class(classes).cloned()
    } else {
        match find_class(classes, &named) {
            Some(c) => Some(c),
            None => {
                let cause = format!("no PriorityClass with name {named} was found");
                return Err(pod_forbidden(pod, &cause));
            }
        }
    };
    let (class_name, priority, policy) = match &class {
        Some(c) => (
            c.metadata.name.clone().unwrap_or_default(),
            c.value.unwrap_or(0),
            c.preemption_policy.clone(),
        ),
        None => (String::new(), 0, Some(PREEMPT_LOWER_PRIORITY.to_string())),
    };
    if let Some(given) = spec.priority.filter(|p| *p != priority) {
        let cause = format!(
            "the integer value of priority ({given}) must not be provided in pod spec; \
             priority admission controller computed {priority} from the given PriorityClass name"
        );
        return Err(pod_forbidden(pod, &cause));
    }
    if let (Some(given), Some(computed)) = (&spec.preemption_policy, &policy) {
        if given != computed {
            let cause = format!(
                "the string value of PreemptionPolicy ({given}) must not be provided in pod \
                 spec; priority admission controller computed {computed} from the given \
                 PriorityClass name"
            );
            return Err(pod_forbidden(pod, &cause));
        }
    }
    if !class_name.is_empty() {
        spec.priority_class_name = Some(class_name.clone());
    }
    spec.priority = Some(priority);
    if policy.is_some() {
        spec.preemption_policy = policy;
    }
    Ok(match class_name.as_str() {
        "" => format!("Priority: priority {priority}"),
        name => format!("Priority: priority {priority} from PriorityClass {name}"),
    })
}

/// Priority admission where the API server does not pass the stored classes: only the system
/// classes resolve, and any other name (or a refused pod) falls back to priority 0 and
/// PreemptLowerPriority, as podlab did before PriorityClasses were stored.
pub fn priority(pod: &mut Pod) {
    if admit_priority(pod, &[]).is_err() {
        let spec = pod.spec.get_or_insert_with(Default::default);
        spec.priority.get_or_insert(0);
        spec.preemption_policy
            .get_or_insert_with(|| PREEMPT_LOWER_PRIORITY.into());
    }
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

/// `storageclass.kubernetes.io/is-default-class` (pkg/volume/util/storageclass.go).
pub const IS_DEFAULT_CLASS_ANNOTATION: &str = "storageclass.kubernetes.io/is-default-class";
/// Its beta spelling, still honoured.
const BETA_IS_DEFAULT_CLASS_ANNOTATION: &str = "storageclass.beta.kubernetes.io/is-default-class";

/// IsDefaultAnnotation: either annotation is exactly "true".
fn is_default_class(class: &serde_json::Value) -> bool {
    [
        IS_DEFAULT_CLASS_ANNOTATION,
        BETA_IS_DEFAULT_CLASS_ANNOTATION,
    ]
    .iter()
    .any(|k| {
        class
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(*k))
            .and_then(serde_json::Value::as_str)
            == Some("true")
    })
}

/// GetDefaultClass (pkg/volume/util/storageclass.go): among the classes annotated default, the
/// newest by creationTimestamp, then the first by name.
pub fn default_storage_class(classes: &[serde_json::Value]) -> Option<&serde_json::Value> {
    let field = |c: &serde_json::Value, p: &str| {
        c.pointer(p)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    classes
        .iter()
        .filter(|c| is_default_class(c))
        .min_by(|a, b| {
            field(b, "/metadata/creationTimestamp")
                .cmp(&field(a, "/metadata/creationTimestamp"))
                .then_with(|| field(a, "/metadata/name").cmp(&field(b, "/metadata/name")))
        })
}

/// DefaultStorageClass admission on a claim create (plugin/pkg/admission/storage/storageclass/
/// setdefault): a claim that asks for no class (neither `spec.storageClassName`, not even "",
/// nor the beta `volume.beta.kubernetes.io/storage-class` annotation) gets the default class's
/// name. Returns the class set, for the trace; None when the claim keeps what it has.
pub fn set_default_storage_class(
    claim: &mut serde_json::Value,
    classes: &[serde_json::Value],
) -> Option<String> {
    let has_class = claim
        .pointer("/metadata/annotations/volume.beta.kubernetes.io~1storage-class")
        .is_some()
        || claim
            .pointer("/spec/storageClassName")
            .is_some_and(|c| !c.is_null());
    if has_class {
        return None;
    }
    let name = default_storage_class(classes)?
        .pointer("/metadata/name")
        .and_then(serde_json::Value::as_str)?
        .to_string();
    let spec = claim.get_mut("spec")?.as_object_mut()?;
    spec.insert(
        "storageClassName".into(),
        serde_json::Value::from(name.clone()),
    );
    Some(name)
}

#[cfg(test)]
mod default_storage_class_tests {
    use super::*;
    use serde_json::json;

    fn class(name: &str, created: &str, default: bool) -> serde_json::Value {
        let annotations = if default {
            json!({IS_DEFAULT_CLASS_ANNOTATION: "true"})
        } else {
            json!({})
        };
        json!({"metadata": {"name": name, "creationTimestamp": created, "annotations": annotations}})
    }

    #[test]
    fn a_claim_without_a_class_gets_the_newest_default() {
        let classes = [
            class("standard", "2026-01-01T00:00:00Z", true),
            class("fast", "2026-02-01T00:00:00Z", true),
            class("slow", "2026-03-01T00:00:00Z", false),
        ];
        let mut claim =
            json!({"metadata": {"name": "www"}, "spec": {"accessModes": ["ReadWriteOnce"]}});
        assert_eq!(
            set_default_storage_class(&mut claim, &classes).as_deref(),
            Some("fast")
        );
        assert_eq!(claim["spec"]["storageClassName"], "fast");
    }

    #[test]
    fn an_empty_class_or_the_beta_annotation_is_a_choice() {
        let classes = [class("standard", "2026-01-01T00:00:00Z", true)];
        let mut empty = json!({"metadata": {"name": "a"}, "spec": {"storageClassName": ""}});
        assert_eq!(set_default_storage_class(&mut empty, &classes), None);
        assert_eq!(empty["spec"]["storageClassName"], "");
        let mut beta = json!({"metadata": {"name": "b", "annotations":
            {"volume.beta.kubernetes.io/storage-class": "x"}}, "spec": {}});
        assert_eq!(set_default_storage_class(&mut beta, &classes), None);
        let mut none = json!({"metadata": {"name": "c"}, "spec": {}});
        assert_eq!(set_default_storage_class(&mut none, &[]), None);
    }

    #[test]
    fn equal_times_choose_the_first_name() {
        let classes = [
            class("b", "2026-01-01T00:00:00Z", true),
            class("a", "2026-01-01T00:00:00Z", true),
        ];
        let chosen = default_storage_class(&classes).map(|c| c["metadata"]["name"].clone());
        assert_eq!(chosen, Some(json!("a")));
    }
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

    fn class(name: &str, value: i32, global: bool, policy: Option<&str>) -> PriorityClass {
        PriorityClass {
            metadata: ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            value: Some(value),
            global_default: Some(global),
            preemption_policy: policy.map(str::to_string),
            description: None,
        }
    }

    fn named(name: &str, class: Option<&str>) -> Pod {
        let mut p = pod();
        p.metadata.name = Some(name.into());
        if let Some(spec) = p.spec.as_mut() {
            spec.priority_class_name = class.map(str::to_string);
        }
        p
    }

    #[test]
    fn a_class_name_resolves_to_its_value_and_policy() {
        let classes = [class("high", 1000, false, Some("Never"))];
        let mut p = named("x", Some("high"));
        assert!(admit_priority(&mut p, &classes).is_ok());
        let spec = p.spec.unwrap();
        assert_eq!(spec.priority, Some(1000));
        assert_eq!(spec.preemption_policy.as_deref(), Some("Never"));
    }

    #[test]
    fn the_system_classes_always_resolve() {
        let mut p = named("x", Some("system-node-critical"));
        assert!(admit_priority(&mut p, &[]).is_ok());
        assert_eq!(p.spec.unwrap().priority, Some(2_000_001_000));
        let mut p = named("x", Some("system-cluster-critical"));
        priority(&mut p);
        assert_eq!(p.spec.unwrap().priority, Some(2_000_000_000));
    }

    #[test]
    fn without_a_name_the_global_default_or_zero() {
        let mut p = named("x", None);
        assert_eq!(
            admit_priority(&mut p, &[]).as_deref(),
            Ok("Priority: priority 0")
        );
        let spec = p.spec.clone().unwrap();
        assert_eq!(spec.priority, Some(0));
        assert_eq!(spec.priority_class_name, None);
        assert_eq!(
            spec.preemption_policy.as_deref(),
            Some("PreemptLowerPriority")
        );
        let classes = [
            class("a", 10, true, Some("PreemptLowerPriority")),
            class("b", 5, true, Some("PreemptLowerPriority")),
        ];
        let mut p = named("x", None);
        assert!(admit_priority(&mut p, &classes).is_ok());
        let spec = p.spec.unwrap();
        assert_eq!(
            (spec.priority, spec.priority_class_name.as_deref()),
            (Some(5), Some("b"))
        );
    }

    #[test]
    fn unknown_classes_and_given_priorities_are_forbidden() {
        let mut p = named("x", Some("foo"));
        assert_eq!(
            admit_priority(&mut p, &[]),
            Err("pods \"x\" is forbidden: no PriorityClass with name foo was found".into())
        );
        let mut p = named("x", None);
        if let Some(spec) = p.spec.as_mut() {
            spec.priority = Some(7);
        }
        assert_eq!(
            admit_priority(&mut p, &[]),
            Err(
                "pods \"x\" is forbidden: the integer value of priority (7) must not be \
                 provided in pod spec; priority admission controller computed 0 from the given \
                 PriorityClass name"
                    .into()
            )
        );
    }
}
