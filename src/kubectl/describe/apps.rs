//! `kubectl describe deployment|replicaset|replicationcontroller` (describe.go
//! DeploymentDescriber, ReplicaSetDescriber, ReplicationControllerDescriber and the
//! DescribePodTemplate they share).

use jiff::Timestamp;
use serde_json::Value;

use super::events::{describe_events, events_for};
use super::pod::{
    controlled_by, describe_containers, describe_topology_spread_constraints, describe_volumes,
};
use super::writer::{PrefixWriter, LEVEL_0, LEVEL_1};
use super::{
    format_rfc1123z, print_annotations_multiline, print_labels_multiline, print_tolerations,
};
use crate::kubectl::printers::object::{
    as_int, format_label_selector, format_labels, get, int_at, label_selector_string, list_at,
    map_at, str_at, time_at,
};

/// describeDeployment: header, replica counts, strategy, the pod template, conditions, the old
/// and new ReplicaSets (deploymentutil.GetAllReplicaSets over `replica_sets`), then events.
pub fn describe_deployment(
    deployment: &Value,
    replica_sets: &[Value],
    events: &[Value],
    now: Timestamp,
) -> String {
    let mut w = PrefixWriter::new();
    let d = deployment;
    w.write(
        LEVEL_0,
        &format!("Name:\t{}\n", str_at(d, &["metadata", "name"])),
    );
    w.write(
        LEVEL_0,
        &format!("Namespace:\t{}\n", str_at(d, &["metadata", "namespace"])),
    );
    w.write(
        LEVEL_0,
        &format!(
            "CreationTimestamp:\t{}\n",
            format_rfc1123z(str_at(d, &["metadata", "creationTimestamp"]))
        ),
    );
    print_labels_multiline(&mut w, "Labels", map_at(d, &["metadata", "labels"]));
    print_annotations_multiline(
        &mut w,
        "Annotations",
        map_at(d, &["metadata", "annotations"]),
    );
    // labels.Selector.String(): an empty selector prints as "".
    let selector = label_selector_string(get(d, &["spec", "selector"])).unwrap_or_default();
    w.write(LEVEL_0, &format!("Selector:\t{selector}\n"));
    let status = |field: &str| int_at(d, &["status", field]);
    w.write(
        LEVEL_0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            int_at(d, &["spec", "replicas"]),
            status("updatedReplicas"),
            status("replicas"),
            status("availableReplicas"),
            status("unavailableReplicas")
        ),
    );
    w.write(
        LEVEL_0,
        &format!(
            "StrategyType:\t{}\n",
            str_at(d, &["spec", "strategy", "type"])
        ),
    );
    w.write(
        LEVEL_0,
        &format!(
            "MinReadySeconds:\t{}\n",
            int_at(d, &["spec", "minReadySeconds"])
        ),
    );
    if let Some(rolling) = get(d, &["spec", "strategy", "rollingUpdate"]).filter(|r| r.is_object())
    {
        w.write(
            LEVEL_0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                int_or_string(get(rolling, &["maxUnavailable"])),
                int_or_string(get(rolling, &["maxSurge"]))
            ),
        );
    }
    describe_pod_template(get(d, &["spec", "template"]), &mut w);
    describe_conditions(d, &mut w);
    let (old, new) = split_replica_sets(d, replica_sets);
    if !old.is_empty() || new.is_some() {
        w.write(
            LEVEL_0,
            &format!("OldReplicaSets:\t{}\n", replica_sets_by_labels(&old)),
        );
        let new: Vec<&Value> = new.into_iter().collect();
        w.write(
            LEVEL_0,
            &format!("NewReplicaSet:\t{}\n", replica_sets_by_labels(&new)),
        );
    }
    describe_events(&events_for(d, events, true), now, &mut w);
    w.finish()
}

/// describeReplicaSet: `pods` are the pods of the namespace; those the ReplicaSet controls are
/// counted by phase (getPodStatusForController).
pub fn describe_replica_set(
    rs: &Value,
    pods: &[Value],
    events: &[Value],
    now: Timestamp,
) -> String {
    let selector = format_label_selector(get(rs, &["spec", "selector"]));
    describe_replicated(rs, &selector, controlled_by(rs), pods, events, now)
}

/// describeReplicationController (describe.go ReplicationControllerDescriber): a ReplicaSet's
/// description with the RC's map selector (labels.FormatLabels: `k=v,…`, `<none>` when empty)
/// and no `Controlled By:` line. `pods` are the pods of the namespace; those the RC controls
/// are counted by phase (getPodStatusForController).
pub fn describe_replication_controller(
    rc: &Value,
    pods: &[Value],
    events: &[Value],
    now: Timestamp,
) -> String {
    let selector = format_labels(map_at(rc, &["spec", "selector"]));
    describe_replicated(rc, &selector, None, pods, events, now)
}

/// What describeReplicaSet and describeReplicationController both print: name, namespace, the
/// selector as given, labels, annotations, the controller when any, replica and pod counts,
/// the pod template, conditions and events.
fn describe_replicated(
    obj: &Value,
    selector: &str,
    controller: Option<String>,
    pods: &[Value],
    events: &[Value],
    now: Timestamp,
) -> String {
    let mut w = PrefixWriter::new();
    w.write(
        LEVEL_0,
        &format!("Name:\t{}\n", str_at(obj, &["metadata", "name"])),
    );
    w.write(
        LEVEL_0,
        &format!("Namespace:\t{}\n", str_at(obj, &["metadata", "namespace"])),
    );
    w.write(LEVEL_0, &format!("Selector:\t{selector}\n"));
    print_labels_multiline(&mut w, "Labels", map_at(obj, &["metadata", "labels"]));
    print_annotations_multiline(
        &mut w,
        "Annotations",
        map_at(obj, &["metadata", "annotations"]),
    );
    if let Some(controller) = controller {
        w.write(LEVEL_0, &format!("Controlled By:\t{controller}\n"));
    }
    w.write(
        LEVEL_0,
        &format!(
            "Replicas:\t{} current / {} desired\n",
            int_at(obj, &["status", "replicas"]),
            int_at(obj, &["spec", "replicas"])
        ),
    );
    let counts = PodPhaseCounts::of_controlled(obj, pods);
    w.write(
        LEVEL_0,
        &format!(
            "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed\n",
            counts.running, counts.waiting, counts.succeeded, counts.failed
        ),
    );
    describe_pod_template(get(obj, &["spec", "template"]), &mut w);
    describe_conditions(obj, &mut w);
    describe_events(&events_for(obj, events, true), now, &mut w);
    w.finish()
}

/// DescribePodTemplate: the template's labels, annotations, containers and volumes, indented
/// under `Pod Template:`.
pub fn describe_pod_template(template: Option<&Value>, w: &mut PrefixWriter) {
    w.write(LEVEL_0, "Pod Template:\n");
    let Some(template) = template.filter(|t| t.is_object()) else {
        w.write(LEVEL_1, "<unset>");
        return;
    };
    print_labels_multiline(w, "  Labels", map_at(template, &["metadata", "labels"]));
    let annotations = map_at(template, &["metadata", "annotations"]);
    if annotations.is_some_and(|a| !a.is_empty()) {
        print_annotations_multiline(w, "  Annotations", annotations);
    }
    let spec = get(template, &["spec"]).unwrap_or(&Value::Null);
    let service_account = str_at(spec, &["serviceAccountName"]);
    if !service_account.is_empty() {
        w.write(LEVEL_1, &format!("Service Account:\t{service_account}\n"));
    }
    let init = list_at(spec, &["initContainers"]);
    if !init.is_empty() {
        describe_containers("Init Containers", &Value::Null, init, &[], "  ", w);
    }
    let containers = list_at(spec, &["containers"]);
    describe_containers("Containers", &Value::Null, containers, &[], "  ", w);
    describe_volumes(list_at(spec, &["volumes"]), "  ", w);
    describe_topology_spread_constraints(list_at(spec, &["topologySpreadConstraints"]), "  ", w);
    let priority_class = str_at(spec, &["priorityClassName"]);
    if !priority_class.is_empty() {
        w.write(
            LEVEL_1,
            &format!("Priority Class Name:\t{priority_class}\n"),
        );
    }
    print_labels_multiline(w, "  Node-Selectors", map_at(spec, &["nodeSelector"]));
    print_tolerations(w, "  Tolerations", list_at(spec, &["tolerations"]));
    if let Some(group) = get(spec, &["schedulingGroup"]).filter(|g| g.is_object()) {
        super::pod::describe_scheduling_group(group, "  ", w);
    }
}

/// The `Conditions:` table of a Deployment, ReplicaSet or ReplicationController, when it has
/// conditions.
fn describe_conditions(obj: &Value, w: &mut PrefixWriter) {
    let conditions = list_at(obj, &["status", "conditions"]);
    if conditions.is_empty() {
        return;
    }
    w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n");
    w.write(LEVEL_1, "----\t------\t------\n");
    for c in conditions {
        w.write(
            LEVEL_1,
            &format!(
                "{} \t{}\t{}\n",
                str_at(c, &["type"]),
                str_at(c, &["status"]),
                str_at(c, &["reason"])
            ),
        );
    }
}

/// intstr.IntOrString.String(): `25%` or `1`.
fn int_or_string(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(n @ Value::Number(_)) => as_int(n).to_string(),
        _ => "0".to_string(),
    }
}

/// deploymentutil.GetAllReplicaSets: of the ReplicaSets the deployment controls, the new one is
/// the oldest whose template equals the deployment's (ignoring `pod-template-hash`); all the
/// others are old (describe lists every old one, scaled down or not).
pub fn split_replica_sets<'a>(
    deployment: &Value,
    replica_sets: &'a [Value],
) -> (Vec<&'a Value>, Option<&'a Value>) {
    let owned: Vec<&Value> = replica_sets
        .iter()
        .filter(|rs| controlled_by_uid(rs, str_at(deployment, &["metadata", "uid"])))
        .collect();
    let mut by_age = owned.clone();
    by_age.sort_by(|a, b| {
        time_at(a, &["metadata", "creationTimestamp"])
            .cmp(&time_at(b, &["metadata", "creationTimestamp"]))
            .then_with(|| str_at(a, &["metadata", "name"]).cmp(str_at(b, &["metadata", "name"])))
    });
    let template = get(deployment, &["spec", "template"]).unwrap_or(&Value::Null);
    let new = by_age.into_iter().find(|rs| {
        same_template_ignoring_hash(
            get(rs, &["spec", "template"]).unwrap_or(&Value::Null),
            template,
        )
    });
    let new_uid = new.map(|rs| str_at(rs, &["metadata", "uid"]));
    let old = owned
        .into_iter()
        .filter(|rs| Some(str_at(rs, &["metadata", "uid"])) != new_uid)
        .collect();
    (old, new)
}

/// deploymentutil.EqualIgnoreHash: two pod templates equal once the `pod-template-hash` label
/// is left out of both.
pub fn same_template_ignoring_hash(a: &Value, b: &Value) -> bool {
    without_hash(a) == without_hash(b)
}

fn without_hash(template: &Value) -> Value {
    let mut t = template.clone();
    if let Some(labels) = t
        .get_mut("metadata")
        .and_then(|m| m.get_mut("labels"))
        .and_then(Value::as_object_mut)
    {
        labels.remove(POD_TEMPLATE_HASH);
        if labels.is_empty() {
            if let Some(meta) = t.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.remove("labels");
            }
        }
    }
    t
}

/// The label the deployment controller adds to a ReplicaSet's selector, template and pods.
pub const POD_TEMPLATE_HASH: &str = "pod-template-hash";

/// Whether `obj`'s controller owner reference points at `uid`.
pub fn controlled_by_uid(obj: &Value, uid: &str) -> bool {
    !uid.is_empty()
        && list_at(obj, &["metadata", "ownerReferences"])
            .iter()
            .any(|r| r.get("controller") == Some(&Value::Bool(true)) && str_at(r, &["uid"]) == uid)
}

/// printReplicaSetsByLabels: `web-5d4f8 (3/3 replicas created)`, joined by ", ", or `<none>`.
fn replica_sets_by_labels(sets: &[&Value]) -> String {
    if sets.is_empty() {
        return "<none>".to_string();
    }
    sets.iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                str_at(rs, &["metadata", "name"]),
                int_at(rs, &["status", "replicas"]),
                int_at(rs, &["spec", "replicas"])
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// getPodStatusForController's counts: Running, Pending (waiting), Succeeded and Failed pods.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct PodPhaseCounts {
    pub(crate) running: usize,
    pub(crate) waiting: usize,
    pub(crate) succeeded: usize,
    pub(crate) failed: usize,
}

impl PodPhaseCounts {
    /// Counts the pods whose controller is `owner`.
    pub(crate) fn of_controlled(owner: &Value, pods: &[Value]) -> PodPhaseCounts {
        let uid = str_at(owner, &["metadata", "uid"]);
        let mut counts = PodPhaseCounts::default();
        for pod in pods.iter().filter(|p| controlled_by_uid(p, uid)) {
            match str_at(pod, &["status", "phase"]) {
                "Running" => counts.running += 1,
                "Pending" => counts.waiting += 1,
                "Succeeded" => counts.succeeded += 1,
                "Failed" => counts.failed += 1,
                _ => {}
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment() -> Value {
        json!({
            "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default", "uid": "d-1",
                         "creationTimestamp": "2026-11-21T14:00:08Z", "labels": {"app": "web"}},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                     "strategy": {"type": "RollingUpdate",
                                  "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}},
            "status": {"replicas": 3, "updatedReplicas": 3, "unavailableReplicas": 3}
        })
    }

    fn replica_set(name: &str, image: &str, created: &str, replicas: i64) -> Value {
        json!({
            "kind": "ReplicaSet",
            "metadata": {"name": name, "namespace": "default", "uid": format!("uid-{name}"),
                         "creationTimestamp": created,
                         "labels": {"app": "web", "pod-template-hash": "h"},
                         "ownerReferences": [{"kind": "Deployment", "name": "web", "uid": "d-1",
                                              "controller": true}]},
            "spec": {"replicas": replicas,
                     "selector": {"matchLabels": {"app": "web", "pod-template-hash": "h"}},
                     "template": {"metadata": {"labels": {"app": "web", "pod-template-hash": "h"}},
                                  "spec": {"containers": [{"name": "nginx", "image": image}]}}},
            "status": {"replicas": replicas}
        })
    }

    fn now() -> Timestamp {
        "2026-11-21T14:00:18Z".parse().unwrap_or_default()
    }

    #[test]
    fn deployment_header_and_template_read_as_kubectl_prints_them() {
        let sets = [
            replica_set("web-old", "nginx:1.26", "2026-11-21T13:00:00Z", 0),
            replica_set("web-new", "nginx:1.27", "2026-11-21T14:00:08Z", 3),
        ];
        let text = describe_deployment(&deployment(), &sets, &[], now());
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.contains(
            &"Replicas:               3 desired | 3 updated | 3 total | 0 available | 3 unavailable"
        ));
        assert!(lines.contains(&"RollingUpdateStrategy:  25% max unavailable, 25% max surge"));
        assert!(lines.contains(&"CreationTimestamp:      Sat, 21 Nov 2026 14:00:08 +0000"));
        assert!(lines.contains(&"  Containers:"));
        assert!(lines.contains(&"   nginx:"));
        // Without conditions these lines align with the pod template's block.
        let words = |l: &&str| l.split_whitespace().collect::<Vec<_>>().join(" ");
        let normalized: Vec<String> = lines.iter().map(words).collect();
        assert!(normalized.contains(&"OldReplicaSets: web-old (0/0 replicas created)".to_string()));
        assert!(normalized.contains(&"NewReplicaSet: web-new (3/3 replicas created)".to_string()));
        assert_eq!(
            normalized.last().map(String::as_str),
            Some("Events: <none>")
        );
    }

    #[test]
    fn replica_set_counts_only_the_pods_it_controls() {
        let rs = replica_set("web-new", "nginx:1.27", "2026-11-21T14:00:08Z", 3);
        let pod = |phase: &str, owner: &str| {
            json!({"metadata": {"ownerReferences": [{"uid": owner, "controller": true}]},
                   "status": {"phase": phase}})
        };
        let pods = [
            pod("Running", "uid-web-new"),
            pod("Pending", "uid-web-new"),
            pod("Pending", "uid-web-new"),
            pod("Running", "someone-else"),
        ];
        let text = describe_replica_set(&rs, &pods, &[], now());
        assert!(text.contains("Controlled By:  Deployment/web\n"));
        assert!(text.contains("Pods Status:    1 Running / 2 Waiting / 0 Succeeded / 0 Failed\n"));
        assert!(text.contains("Replicas:       3 current / 3 desired\n"));
    }

    #[test]
    fn replication_controller_reads_as_kubectl_prints_it() {
        let rc = json!({
            "kind": "ReplicationController",
            "metadata": {"name": "nginx", "namespace": "default", "uid": "rc-1",
                         "labels": {"app": "nginx"}},
            "spec": {"replicas": 3, "selector": {"app": "nginx"},
                     "template": {"metadata": {"name": "nginx", "labels": {"app": "nginx"}},
                                  "spec": {"containers": [{"name": "nginx", "image": "nginx",
                                           "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}}},
            "status": {"replicas": 3}
        });
        let pod = |phase: &str, owner: &str| {
            json!({"metadata": {"ownerReferences": [{"uid": owner, "controller": true}]},
                   "status": {"phase": phase}})
        };
        let pods = [
            pod("Running", "rc-1"),
            pod("Running", "rc-1"),
            pod("Pending", "rc-1"),
            pod("Running", "someone-else"),
        ];
        // describe.go describeReplicationController through tabwriter (padding 2): no
        // `Controlled By:`, the map selector as labels.FormatLabels prints it.
        let expected = "\
Name:         nginx
Namespace:    default
Selector:     app=nginx
Labels:       app=nginx
Annotations:  <none>
Replicas:     3 current / 3 desired
Pods Status:  2 Running / 1 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=nginx
  Containers:
   nginx:
    Image:         nginx
    Port:          80/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
";
        assert_eq!(
            describe_replication_controller(&rc, &pods, &[], now()),
            expected
        );
        let mut no_selector = rc.clone();
        no_selector["spec"]["selector"] = json!({});
        assert!(
            describe_replication_controller(&no_selector, &[], &[], now())
                .contains("Selector:     <none>\n")
        );
    }

    #[test]
    fn the_new_replica_set_matches_the_template_without_its_hash() {
        let sets = [replica_set(
            "web-a",
            "nginx:1.27",
            "2026-11-21T14:00:08Z",
            3,
        )];
        let (old, new) = split_replica_sets(&deployment(), &sets);
        assert!(old.is_empty());
        assert_eq!(
            new.map(|rs| str_at(rs, &["metadata", "name"])),
            Some("web-a")
        );
        assert_eq!(int_or_string(Some(&json!(1))), "1");
    }
}
