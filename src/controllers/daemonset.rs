//! The DaemonSet controller (pkg/controller/daemon/daemon_controller.go, update.go,
//! util/daemonset_util.go): one pod per node that should run it (node selector, required node
//! affinity and taints against the template plus the daemon tolerations), each pod pinned to its
//! node by a required node affinity `matchFields metadata.name In [node]` (the scheduler binds
//! it); ControllerRevisions `<ds>-<hash>` hold the template history, pods carry the
//! `controller-revision-hash` and `pod-template-generation` labels; RollingUpdate replaces old
//! pods within maxUnavailable (no surge); the status counts desired, current, ready, available,
//! updated and misscheduled pods.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::workload::{
    compute_hash, int_at, is_being_deleted, is_controlled_by, is_empty_selector, name_of,
    namespace_of, new_controller_ref, phase, pod_is_available, pod_is_ready, scaled_value,
    selector_of, selects, str_at, uid_of, Retries,
};
use crate::apiserver::selectors::labels_of;
use crate::client::{core, grouped, key_of, Ctx, Informer};
use crate::events::LegacyRecorder as Recorder;
use crate::sim::Millis;

/// `apps.DefaultDaemonSetUniqueLabelKey` (= ControllerRevisionHashLabelKey).
pub const CONTROLLER_REVISION_HASH: &str = "controller-revision-hash";
/// `extensions.DaemonSetTemplateGenerationKey`.
pub const POD_TEMPLATE_GENERATION: &str = "pod-template-generation";
/// The annotation the API server keeps the template generation in.
const TEMPLATE_GENERATION_ANNOTATION: &str = "deprecated.daemonset.template.generation";
/// `BurstReplicas`.
const BURST_REPLICAS: usize = 250;
/// failedPodsBackoff: 1 s doubling up to 15 minutes.
const FAILED_POD_BACKOFF_INITIAL: Millis = 1_000;
const FAILED_POD_BACKOFF_MAX: Millis = 15 * 60 * 1_000;

/// The DaemonSet controller's recorder, retry back-off and failed-pod back-off per node.
#[derive(Debug)]
pub struct DaemonSetController {
    recorder: Recorder,
    retry: Retries,
    failed_pods: BTreeMap<String, (Millis, Millis)>,
}

impl Default for DaemonSetController {
    fn default() -> Self {
        DaemonSetController {
            recorder: Recorder::for_controller("daemonset-controller"),
            retry: Retries::default(),
            failed_pods: BTreeMap::new(),
        }
    }
}

/// The informers the controller reads.
pub struct Caches<'a> {
    pub daemon_sets: &'a Informer,
    pub pods: &'a Informer,
    pub nodes: &'a Informer,
    pub revisions: &'a Informer,
}

/// `AddOrUpdateDaemonPodTolerations`: not-ready and unreachable (NoExecute), disk-pressure,
/// memory-pressure, pid-pressure and unschedulable (NoSchedule), and network-unavailable
/// (NoSchedule) for host-network pods.
pub fn add_daemon_tolerations(spec: &mut Value) {
    let mut wanted = vec![
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    if spec.get("hostNetwork").and_then(Value::as_bool) == Some(true) {
        wanted.push(("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    if !spec.get("tolerations").is_some_and(Value::is_array) {
        spec["tolerations"] = json!([]);
    }
    let Some(list) = spec.get_mut("tolerations").and_then(Value::as_array_mut) else {
        return;
    };
    for (key, effect) in wanted {
        let toleration = json!({"key": key, "operator": "Exists", "effect": effect});
        // AddOrUpdateTolerationInPodSpec: an equal toleration is not added twice.
        if !list.iter().any(|t| {
            str_at(t, "/key") == key
                && str_at(t, "/effect") == effect
                && str_at(t, "/operator") == "Exists"
                && str_at(t, "/value").is_empty()
        }) {
            list.push(toleration);
        }
    }
}

/// `ReplaceDaemonSetPodNodeNameNodeAffinity`: the required node affinity becomes the single
/// term `matchFields metadata.name In [node]`; preferred terms and other affinities stay.
pub fn pin_to_node(spec: &mut Value, node: &str) {
    let term =
        json!({"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]});
    if !spec.get("affinity").is_some_and(Value::is_object) {
        spec["affinity"] = json!({});
    }
    let affinity = &mut spec["affinity"];
    if !affinity.get("nodeAffinity").is_some_and(Value::is_object) {
        affinity["nodeAffinity"] = json!({});
    }
    let required = &mut affinity["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"];
    if required.is_object() {
        required["nodeSelectorTerms"] = json!([term]);
    } else {
        *required = json!({"nodeSelectorTerms": [term]});
    }
}

/// `util.GetTargetNodeName`: the node a daemon pod is bound to, or pinned to by its affinity.
pub fn target_node(pod: &Value) -> Option<String> {
    let bound = str_at(pod, "/spec/nodeName");
    if !bound.is_empty() {
        return Some(bound.to_string());
    }
    pod.pointer("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|t| t.get("matchFields").and_then(Value::as_array).into_iter().flatten())
        .find(|f| str_at(f, "/key") == "metadata.name" && str_at(f, "/operator") == "In")
        .and_then(|f| f.pointer("/values/0").and_then(Value::as_str))
        .map(str::to_string)
}

/// A NodeSelectorTerm against a node (matchExpressions on labels, matchFields on the name).
fn term_matches(term: &Value, node: &Value) -> bool {
    let labels = labels_of(node);
    let exprs_ok = term
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .all(|e| requirement_holds(e, labels.get(str_at(e, "/key")).map(String::as_str)));
    let fields_ok = term
        .get("matchFields")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .all(|f| str_at(f, "/key") == "metadata.name" && requirement_holds(f, Some(name_of(node))));
    let empty = term
        .get("matchExpressions")
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty)
        && term
            .get("matchFields")
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty);
    !empty && exprs_ok && fields_ok
}

fn requirement_holds(req: &Value, have: Option<&str>) -> bool {
    let values: Vec<&str> = req
        .get("values")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let number = |s: Option<&str>| s.and_then(|v| v.parse::<i64>().ok());
    match str_at(req, "/operator") {
        "In" => have.is_some_and(|h| values.contains(&h)),
        "NotIn" => have.is_none_or(|h| !values.contains(&h)),
        "Exists" => have.is_some(),
        "DoesNotExist" => have.is_none(),
        "Gt" => {
            matches!((number(have), number(values.first().copied())), (Some(h), Some(v)) if h > v)
        }
        "Lt" => {
            matches!((number(have), number(values.first().copied())), (Some(h), Some(v)) if h < v)
        }
        _ => false,
    }
}

/// `nodeaffinity.GetRequiredNodeAffinity(pod).Match(node)`: nodeSelector and required terms.
fn fits_node_affinity(spec: &Value, node: &Value) -> bool {
    let labels = labels_of(node);
    let selector_ok = spec
        .get("nodeSelector")
        .and_then(Value::as_object)
        .is_none_or(|sel| {
            sel.iter()
                .all(|(k, v)| labels.get(k).map(String::as_str) == v.as_str())
        });
    let terms = spec
        .pointer("/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")
        .and_then(Value::as_array);
    selector_ok && terms.is_none_or(|t| t.iter().any(|term| term_matches(term, node)))
}

/// Whether a toleration in `spec` tolerates the taint (`ToleratesTaint`).
fn tolerated(spec: &Value, taint: &Value) -> bool {
    spec.get("tolerations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|t| {
            let effect_ok =
                str_at(t, "/effect").is_empty() || str_at(t, "/effect") == str_at(taint, "/effect");
            let key_ok = str_at(t, "/key").is_empty() || str_at(t, "/key") == str_at(taint, "/key");
            let value_ok = match str_at(t, "/operator") {
                "Exists" => true,
                "" | "Equal" => str_at(t, "/value") == str_at(taint, "/value"),
                _ => false,
            };
            effect_ok && key_ok && value_ok
        })
}

/// `NodeShouldRunDaemonPod`: (shouldRun, shouldContinueRunning) for the template on a node.
pub fn node_should_run(ds: &Value, node: &Value) -> (bool, bool) {
    let mut spec = ds
        .pointer("/spec/template/spec")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let wanted_node = str_at(&spec, "/nodeName");
    if !wanted_node.is_empty() && wanted_node != name_of(node) {
        return (false, false);
    }
    add_daemon_tolerations(&mut spec);
    if !fits_node_affinity(&spec, node) {
        return (false, false);
    }
    let taints: Vec<&Value> = node
        .pointer("/spec/taints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    let untolerated = |effects: &[&str]| {
        taints
            .iter()
            .any(|t| effects.contains(&str_at(t, "/effect")) && !tolerated(&spec, t))
    };
    if untolerated(&["NoSchedule", "NoExecute"]) {
        return (false, !untolerated(&["NoExecute"]));
    }
    (true, true)
}

/// `util.GetTemplateGeneration`: the deprecated template generation annotation.
fn template_generation(ds: &Value) -> Option<String> {
    ds.pointer("/metadata/annotations")
        .and_then(|a| a.get(TEMPLATE_GENERATION_ANNOTATION))
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// `util.IsPodUpdated`: the pod has the current hash or template generation.
fn is_pod_updated(pod: &Value, hash: &str, generation: Option<&str>) -> bool {
    let labels = labels_of(pod);
    let hash_ok =
        !hash.is_empty() && labels.get(CONTROLLER_REVISION_HASH).map(String::as_str) == Some(hash);
    let generation_ok = generation
        .is_some_and(|g| labels.get(POD_TEMPLATE_GENERATION).map(String::as_str) == Some(g));
    hash_ok || generation_ok
}

/// A daemon pod for `node` (`CreatePodTemplate`, the node affinity, `GetPodFromTemplate`).
pub fn pod_for_node(ds: &Value, node: &str, hash: &str) -> Value {
    let template = ds.pointer("/spec/template").cloned().unwrap_or(Value::Null);
    let mut labels = template
        .pointer("/metadata/labels")
        .filter(|l| l.is_object())
        .cloned()
        .unwrap_or_else(|| json!({}));
    if let Some(generation) = template_generation(ds) {
        labels[POD_TEMPLATE_GENERATION] = json!(generation);
    }
    if !hash.is_empty() {
        labels[CONTROLLER_REVISION_HASH] = json!(hash);
    }
    let mut metadata = json!({
        "generateName": format!("{}-", name_of(ds)),
        "namespace": namespace_of(ds),
        "labels": labels,
        "ownerReferences": [new_controller_ref(ds, "apps/v1", "DaemonSet")],
    });
    for field in ["annotations", "finalizers"] {
        if let Some(v) = template
            .pointer(&format!("/metadata/{field}"))
            .filter(|v| !v.is_null())
        {
            metadata[field] = v.clone();
        }
    }
    let mut spec = template.get("spec").cloned().unwrap_or_else(|| json!({}));
    add_daemon_tolerations(&mut spec);
    pin_to_node(&mut spec, node);
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec})
}

/// `getPatch`: the revision data, a patch replacing the whole template.
fn revision_data(ds: &Value) -> Value {
    let mut template = ds.pointer("/spec/template").cloned().unwrap_or(json!({}));
    if template.is_object() {
        template["$patch"] = json!("replace");
    }
    json!({"spec": {"template": template}})
}

/// `podByCreationTimestampAndPhase`: scheduled first, then oldest, then by name.
fn by_creation_and_phase(a: &&Value, b: &&Value) -> std::cmp::Ordering {
    let scheduled = |p: &Value| !str_at(p, "/spec/nodeName").is_empty();
    scheduled(b)
        .cmp(&scheduled(a))
        .then_with(|| {
            str_at(a, "/metadata/creationTimestamp").cmp(str_at(b, "/metadata/creationTimestamp"))
        })
        .then_with(|| name_of(a).cmp(name_of(b)))
}

impl DaemonSetController {
    /// Sync every DaemonSet against the nodes and its pods.
    pub fn reconcile(&mut self, caches: &Caches, ctx: &mut Ctx) {
        let keys: Vec<String> = caches.daemon_sets.list().map(key_of).collect();
        self.sync_keys(&keys, caches, ctx);
    }

    /// `processNextWorkItem` for each queued DaemonSet key, in order (the DaemonSets a change
    /// concerns: see the manager's handlers in [`super`]). A key still in its back-off waits; a
    /// key whose DaemonSet is gone forgets its back-off.
    pub fn sync_keys(&mut self, keys: &[String], caches: &Caches, ctx: &mut Ctx) {
        for key in keys {
            let Some(ds) = caches.daemon_sets.get(key) else {
                continue;
            };
            if let Some(at) = self.retry.waiting_until(key, ctx.now) {
                ctx.wake_at(at);
                continue;
            }
            let ok = self.sync(ds, caches, ctx).is_ok();
            if let Some(delay) = self.retry.record(key.clone(), ok, ctx.now) {
                ctx.wake_after(delay);
            }
        }
        self.retry.retain(|k| caches.daemon_sets.get(k).is_some());
    }

    /// `syncDaemonSet`.
    fn sync(&mut self, ds: &Value, caches: &Caches, ctx: &mut Ctx) -> Result<(), ()> {
        if is_empty_selector(selector_of(ds).as_ref()) {
            self.recorder.object_event(
                ctx,
                ds,
                "Warning",
                "SelectingAll",
                "This daemon set is selecting all pods. A non-empty selector is required.",
            );
            return Ok(());
        }
        if is_being_deleted(ds) {
            return Ok(());
        }
        let nodes: Vec<Value> = caches.nodes.list().cloned().collect();
        let (hash, old) = self.construct_history(ds, caches.revisions, ctx)?;
        let pods = daemon_pods(ds, caches.pods);
        let managed = self.manage(ds, &nodes, &pods, &hash, ctx);
        let rolled = if managed.is_ok() && is_rolling_update(ds) {
            self.rolling_update(ds, &nodes, &pods, &hash, ctx)
        } else {
            Ok(())
        };
        cleanup_history(ds, &old, &pods, ctx);
        let status = self.update_status(ds, &nodes, &pods, &hash, ctx);
        managed.and(rolled).and(status)
    }

    /// `constructHistory`: the current revision's hash (creating the revision, or moving its
    /// number on), and the old revisions.
    fn construct_history(
        &mut self,
        ds: &Value,
        revisions: &Informer,
        ctx: &mut Ctx,
    ) -> Result<(String, Vec<Value>), ()> {
        let data = revision_data(ds);
        let (current, old): (Vec<Value>, Vec<Value>) = revisions
            .list()
            .filter(|r| namespace_of(r) == namespace_of(ds) && is_controlled_by(r, ds))
            .cloned()
            .partition(|r| r.get("data") == Some(&data));
        let next_revision = old
            .iter()
            .map(|r| int_at(r, "/revision"))
            .max()
            .unwrap_or(0)
            + 1;
        let info = grouped("apps", "controllerrevisions");
        let Some(cur) = current.into_iter().max_by_key(|r| int_at(r, "/revision")) else {
            let collision = ds.pointer("/status/collisionCount").and_then(Value::as_i64);
            let hash = compute_hash(
                ds.pointer("/spec/template").unwrap_or(&Value::Null),
                collision,
            );
            let mut labels = ds
                .pointer("/spec/template/metadata/labels")
                .filter(|l| l.is_object())
                .cloned()
                .unwrap_or_else(|| json!({}));
            labels[CONTROLLER_REVISION_HASH] = json!(hash);
            let mut metadata = json!({
                "name": format!("{}-{hash}", name_of(ds)),
                "namespace": namespace_of(ds),
                "labels": labels,
                "ownerReferences": [new_controller_ref(ds, "apps/v1", "DaemonSet")],
            });
            if let Some(a) = ds
                .pointer("/metadata/annotations")
                .filter(|a| a.is_object())
            {
                metadata["annotations"] = a.clone();
            }
            let revision = json!({
                "apiVersion": "apps/v1",
                "kind": "ControllerRevision",
                "metadata": metadata,
                "data": data,
                "revision": next_revision,
            });
            let resp = ctx.create(info, Some(namespace_of(ds)), revision);
            if resp.is_success() || resp.code == 409 {
                return Ok((hash, old));
            }
            return Err(());
        };
        if int_at(&cur, "/revision") < next_revision {
            let mut updated = cur.clone();
            updated["revision"] = json!(next_revision);
            ctx.update(info, updated);
        }
        let hash = str_at(&cur, "/metadata/labels/controller-revision-hash").to_string();
        Ok((hash, old))
    }

    /// `manage`: which nodes need a daemon pod and which pods must go; then `syncNodes`.
    fn manage(
        &mut self,
        ds: &Value,
        nodes: &[Value],
        pods: &BTreeMap<String, Vec<Value>>,
        hash: &str,
        ctx: &mut Ctx,
    ) -> Result<(), ()> {
        let mut need: Vec<String> = Vec::new();
        let mut delete: Vec<String> = Vec::new();
        for node in nodes {
            let (n, d) = self.pods_should_be_on_node(ds, node, pods, ctx);
            need.extend(n);
            delete.extend(d);
        }
        // getUnscheduledPodsWithoutNode: pods pinned to nodes that no longer exist.
        for (node, on_node) in pods {
            if nodes.iter().any(|n| name_of(n) == node) {
                continue;
            }
            delete.extend(
                on_node
                    .iter()
                    .filter(|p| str_at(p, "/spec/nodeName").is_empty() && !is_being_deleted(p))
                    .map(|p| name_of(p).to_string()),
            );
        }
        self.sync_nodes(ds, &delete, &need, hash, ctx)
    }

    /// `podsShouldBeOnNode`.
    fn pods_should_be_on_node(
        &mut self,
        ds: &Value,
        node: &Value,
        pods: &BTreeMap<String, Vec<Value>>,
        ctx: &mut Ctx,
    ) -> (Vec<String>, Vec<String>) {
        let (should_run, should_continue) = node_should_run(ds, node);
        let node_name = name_of(node);
        let on_node = pods.get(node_name);
        let mut need = Vec::new();
        let mut delete = Vec::new();
        if should_run && on_node.is_none() {
            need.push(node_name.to_string());
        } else if should_continue {
            let mut running: Vec<&Value> = Vec::new();
            for pod in on_node
                .into_iter()
                .flatten()
                .filter(|p| !is_being_deleted(p))
            {
                match phase(pod) {
                    "Failed" => {
                        let key = format!("{}/{}/{node_name}", namespace_of(ds), name_of(ds));
                        if let Some(until) = self.failed_pod_backoff(&key, ctx.now) {
                            ctx.wake_at(until);
                            continue;
                        }
                        let message = format!(
                            "Found failed daemon pod {}/{} on node {node_name}, will try to kill it",
                            namespace_of(pod),
                            name_of(pod)
                        );
                        self.recorder
                            .object_event(ctx, ds, "Warning", "FailedDaemonPod", &message);
                        delete.push(name_of(pod).to_string());
                    }
                    "Succeeded" => {
                        let message = format!(
                            "Found succeeded daemon pod {}/{} on node {node_name}, will try to delete it",
                            namespace_of(pod),
                            name_of(pod)
                        );
                        self.recorder.object_event(
                            ctx,
                            ds,
                            "Normal",
                            "SucceededDaemonPod",
                            &message,
                        );
                        delete.push(name_of(pod).to_string());
                    }
                    _ => running.push(pod),
                }
            }
            if running.len() > 1 {
                running.sort_by(by_creation_and_phase);
                delete.extend(running.iter().skip(1).map(|p| name_of(p).to_string()));
            }
        } else if let Some(list) = on_node {
            delete.extend(
                list.iter()
                    .filter(|p| !is_being_deleted(p))
                    .map(|p| name_of(p).to_string()),
            );
        }
        (need, delete)
    }

    /// The failed-pods back-off: `None` when a failed pod on this node may be deleted now (and
    /// the delay moves on), else when it may.
    fn failed_pod_backoff(&mut self, key: &str, now: Millis) -> Option<Millis> {
        match self.failed_pods.get(key).copied() {
            Some((delay, since)) if now < since + delay => Some(since + delay),
            Some((delay, _)) => {
                let next = (delay * 2).min(FAILED_POD_BACKOFF_MAX);
                self.failed_pods.insert(key.to_string(), (next, now));
                None
            }
            None => {
                self.failed_pods
                    .insert(key.to_string(), (FAILED_POD_BACKOFF_INITIAL, now));
                None
            }
        }
    }

    /// `syncNodes`: create the missing pods in slow-start batches, delete the listed ones.
    fn sync_nodes(
        &mut self,
        ds: &Value,
        delete: &[String],
        need: &[String],
        hash: &str,
        ctx: &mut Ctx,
    ) -> Result<(), ()> {
        let mut failed = false;
        let need = &need[..need.len().min(BURST_REPLICAS)];
        let mut pos = 0;
        let mut batch = need.len().min(1);
        while pos < need.len() {
            let mut batch_failed = false;
            for node in need.iter().skip(pos).take(batch) {
                let resp = ctx.create(
                    core("pods"),
                    Some(namespace_of(ds)),
                    pod_for_node(ds, node, hash),
                );
                if resp.is_success() {
                    let message = format!("Created pod: {}", name_of(&resp.body));
                    self.recorder
                        .object_event(ctx, ds, "Normal", "SuccessfulCreate", &message);
                } else {
                    let message = format!("Error creating: {}", str_at(&resp.body, "/message"));
                    self.recorder
                        .object_event(ctx, ds, "Warning", "FailedCreate", &message);
                    batch_failed = true;
                }
            }
            pos += batch;
            if batch_failed {
                failed = true;
                break;
            }
            batch = (2 * batch).min(need.len() - pos);
        }
        for name in delete.iter().take(BURST_REPLICAS) {
            let resp = ctx.delete(core("pods"), Some(namespace_of(ds)), name, None);
            if resp.is_success() {
                let message = format!("Deleted pod: {name}");
                self.recorder
                    .object_event(ctx, ds, "Normal", "SuccessfulDelete", &message);
            } else if resp.code != 404 {
                let message = format!("Error deleting: {}", str_at(&resp.body, "/message"));
                self.recorder
                    .object_event(ctx, ds, "Warning", "FailedDelete", &message);
                failed = true;
            }
        }
        if failed {
            Err(())
        } else {
            Ok(())
        }
    }

    /// `rollingUpdate` without surge: delete the old pods [`pods_to_replace`] picks; `manage`
    /// recreates them from the current template.
    fn rolling_update(
        &mut self,
        ds: &Value,
        nodes: &[Value],
        pods: &BTreeMap<String, Vec<Value>>,
        hash: &str,
        ctx: &mut Ctx,
    ) -> Result<(), ()> {
        let replace = pods_to_replace(ds, nodes, pods, hash, ctx.now);
        self.sync_nodes(ds, &replace, &[], hash, ctx)
    }

    /// `updateDaemonSetStatus` and `storeDaemonSetStatus`.
    fn update_status(
        &mut self,
        ds: &Value,
        nodes: &[Value],
        pods: &BTreeMap<String, Vec<Value>>,
        hash: &str,
        ctx: &mut Ctx,
    ) -> Result<(), ()> {
        let generation = template_generation(ds);
        let min_ready = int_at(ds, "/spec/minReadySeconds");
        let (mut desired, mut current, mut misscheduled) = (0, 0, 0);
        let (mut ready, mut updated, mut available) = (0, 0, 0);
        for node in nodes {
            let (should_run, _) = node_should_run(ds, node);
            let on_node = pods.get(name_of(node)).filter(|l| !l.is_empty());
            match (should_run, on_node) {
                (true, None) => desired += 1,
                (true, Some(list)) => {
                    desired += 1;
                    current += 1;
                    let mut sorted: Vec<&Value> = list.iter().collect();
                    sorted.sort_by(by_creation_and_phase);
                    let Some(pod) = sorted.first() else { continue };
                    if pod_is_ready(pod) {
                        ready += 1;
                        if pod_is_available(pod, min_ready, ctx.now) {
                            available += 1;
                        }
                    }
                    if is_pod_updated(pod, hash, generation.as_deref()) {
                        updated += 1;
                    }
                }
                (false, Some(_)) => misscheduled += 1,
                (false, None) => {}
            }
        }
        let mut status = ds
            .get("status")
            .filter(|s| s.is_object())
            .cloned()
            .unwrap_or_else(|| json!({}));
        status["desiredNumberScheduled"] = json!(desired);
        status["currentNumberScheduled"] = json!(current);
        status["numberMisscheduled"] = json!(misscheduled);
        status["numberReady"] = json!(ready);
        let generation_now = int_at(ds, "/metadata/generation");
        if int_at(ds, "/status/observedGeneration") < generation_now {
            status["observedGeneration"] = json!(generation_now);
        }
        for (field, value) in [
            ("updatedNumberScheduled", updated),
            ("numberAvailable", available),
            ("numberUnavailable", desired - available),
        ] {
            if value > 0 {
                status[field] = json!(value);
            } else if let Some(m) = status.as_object_mut() {
                m.remove(field);
            }
        }
        if min_ready > 0 && ready != available {
            ctx.wake_after(u64::try_from(min_ready).unwrap_or(0) * 1000);
        }
        if ds.get("status") == Some(&status) {
            return Ok(());
        }
        let mut copy = ds.clone();
        copy["status"] = status;
        let resp = ctx.update_status(grouped("apps", "daemonsets"), copy);
        if resp.is_success() {
            Ok(())
        } else {
            Err(())
        }
    }
}

/// The old pods a rolling update without surge deletes: every unavailable old pod, then
/// available old pods while fewer than maxUnavailable daemon pods are unavailable (a node with
/// no pod, two pods, or an unavailable new pod counts as unavailable).
pub fn pods_to_replace(
    ds: &Value,
    nodes: &[Value],
    pods: &BTreeMap<String, Vec<Value>>,
    hash: &str,
    now: Millis,
) -> Vec<String> {
    let desired = nodes.iter().filter(|n| node_should_run(ds, n).0).count() as i64;
    let max_unavailable = max_unavailable(ds, desired);
    let generation = template_generation(ds);
    let min_ready = int_at(ds, "/spec/minReadySeconds");
    let mut unavailable = 0;
    let mut replace: Vec<String> = Vec::new();
    let mut candidates: Vec<String> = Vec::new();
    let no_pods = Vec::new();
    // Every node that should run a daemon pod, so that a node whose pod was just deleted (and
    // not yet recreated) counts as unavailable.
    let wanted = nodes.iter().filter(|n| node_should_run(ds, n).0);
    for on_node in wanted.map(|n| pods.get(name_of(n)).unwrap_or(&no_pods)) {
        let live: Vec<&Value> = on_node.iter().filter(|p| !is_being_deleted(p)).collect();
        let (new, old): (Vec<&Value>, Vec<&Value>) = live
            .into_iter()
            .partition(|p| is_pod_updated(p, hash, generation.as_deref()));
        match (new.as_slice(), old.as_slice()) {
            ([], [old]) => {
                if !pod_is_available(old, min_ready, now) {
                    replace.push(name_of(old).to_string());
                    unavailable += 1;
                } else if unavailable < max_unavailable {
                    candidates.push(name_of(old).to_string());
                }
            }
            ([new], []) => {
                if !pod_is_available(new, min_ready, now) {
                    unavailable += 1;
                }
            }
            _ => unavailable += 1,
        }
    }
    let room = usize::try_from(max_unavailable - unavailable)
        .unwrap_or(0)
        .min(candidates.len());
    replace.extend(candidates.into_iter().take(room));
    replace
}

/// `getNodesToDaemonPods`: the DaemonSet's pods (controlled and selected) by target node.
fn daemon_pods(ds: &Value, pods: &Informer) -> BTreeMap<String, Vec<Value>> {
    let selector = selector_of(ds);
    let mut by_node: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for pod in pods.list().filter(|p| {
        namespace_of(p) == namespace_of(ds)
            && is_controlled_by(p, ds)
            && (selects(selector.as_ref(), p) || is_being_deleted(p))
    }) {
        if is_being_deleted(pod) && matches!(phase(pod), "Succeeded" | "Failed") {
            continue;
        }
        if let Some(node) = target_node(pod) {
            by_node.entry(node).or_default().push(pod.clone());
        }
    }
    by_node
}

fn is_rolling_update(ds: &Value) -> bool {
    matches!(
        str_at(ds, "/spec/updateStrategy/type"),
        "RollingUpdate" | ""
    )
}

/// `util.UnavailableCount` with `updatedDesiredNodeCounts`' rule: maxUnavailable of the desired
/// count rounded up; 0 with no surge becomes 1.
fn max_unavailable(ds: &Value, desired: i64) -> i64 {
    let value = ds.pointer("/spec/updateStrategy/rollingUpdate/maxUnavailable");
    let n = scaled_value(value.or(Some(&json!(1))), desired, true);
    if n == 0 {
        1
    } else {
        n
    }
}

/// `cleanupHistory`: delete the oldest old revisions beyond revisionHistoryLimit (10 by
/// default) that no live pod uses.
fn cleanup_history(ds: &Value, old: &[Value], pods: &BTreeMap<String, Vec<Value>>, ctx: &mut Ctx) {
    let keep = ds
        .pointer("/spec/revisionHistoryLimit")
        .and_then(Value::as_i64)
        .unwrap_or(10);
    let mut to_kill = old.len() as i64 - keep;
    if to_kill <= 0 {
        return;
    }
    let live: Vec<String> = pods
        .values()
        .flatten()
        .filter_map(|p| labels_of(p).get(CONTROLLER_REVISION_HASH).cloned())
        .collect();
    let mut sorted: Vec<&Value> = old.iter().collect();
    sorted.sort_by_key(|r| int_at(r, "/revision"));
    for revision in sorted {
        if to_kill <= 0 {
            break;
        }
        let hash = str_at(revision, "/metadata/labels/controller-revision-hash");
        if live.iter().any(|h| h == hash) {
            continue;
        }
        ctx.delete(
            grouped("apps", "controllerrevisions"),
            Some(namespace_of(revision)),
            name_of(revision),
            None,
        );
        to_kill -= 1;
    }
    let _ = uid_of;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, taints: Value) -> Value {
        json!({"metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}}, "spec": {"taints": taints}})
    }

    fn ds() -> Value {
        json!({
            "metadata": {"name": "fluentd", "namespace": "kube-system", "uid": "u1", "annotations": {"deprecated.daemonset.template.generation": "1"}},
            "spec": {"selector": {"matchLabels": {"name": "fluentd"}}, "template": {"metadata": {"labels": {"name": "fluentd"}}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}
        })
    }

    #[test]
    fn daemon_pods_get_the_default_tolerations_and_are_pinned_to_their_node() {
        let pod = pod_for_node(&ds(), "worker-1", "6d4b9f7c8");
        let keys: Vec<String> = pod["spec"]["tolerations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| format!("{}:{}", str_at(t, "/key"), str_at(t, "/effect")))
            .collect();
        assert_eq!(
            keys,
            [
                "node.kubernetes.io/not-ready:NoExecute",
                "node.kubernetes.io/unreachable:NoExecute",
                "node.kubernetes.io/disk-pressure:NoSchedule",
                "node.kubernetes.io/memory-pressure:NoSchedule",
                "node.kubernetes.io/pid-pressure:NoSchedule",
                "node.kubernetes.io/unschedulable:NoSchedule",
            ]
        );
        assert_eq!(
            pod["spec"]["affinity"]["nodeAffinity"]
                ["requiredDuringSchedulingIgnoredDuringExecution"],
            json!({"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["worker-1"]}]}]})
        );
        assert_eq!(pod["spec"].get("nodeName"), None);
        assert_eq!(pod["metadata"]["generateName"], "fluentd-");
        assert_eq!(
            pod["metadata"]["labels"]["controller-revision-hash"],
            "6d4b9f7c8"
        );
        assert_eq!(pod["metadata"]["labels"]["pod-template-generation"], "1");
        assert_eq!(target_node(&pod).as_deref(), Some("worker-1"));
    }

    #[test]
    fn tainted_nodes_need_a_toleration() {
        let control_plane = node(
            "control-plane",
            json!([{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]),
        );
        assert_eq!(node_should_run(&ds(), &control_plane), (false, true));
        let mut tolerant = ds();
        tolerant["spec"]["template"]["spec"]["tolerations"] = json!([{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"}]);
        assert_eq!(node_should_run(&tolerant, &control_plane), (true, true));
        let not_ready = node(
            "w",
            json!([{"key": "node.kubernetes.io/not-ready", "effect": "NoExecute"}]),
        );
        assert_eq!(node_should_run(&ds(), &not_ready), (true, true));
        let evicting = node("w", json!([{"key": "dedicated", "effect": "NoExecute"}]));
        assert_eq!(node_should_run(&ds(), &evicting), (false, false));
    }

    #[test]
    fn node_selectors_and_match_fields_choose_nodes() {
        let mut picky = ds();
        picky["spec"]["template"]["spec"]["nodeSelector"] = json!({"kubernetes.io/hostname": "a"});
        assert!(node_should_run(&picky, &node("a", json!([]))).0);
        assert!(!node_should_run(&picky, &node("b", json!([]))).0);
        let term =
            json!({"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["a"]}]});
        assert!(term_matches(&term, &node("a", json!([]))));
        assert!(!term_matches(&term, &node("b", json!([]))));
    }

    fn daemon_pod(name: &str, node: &str, hash: &str, ready: bool) -> Value {
        json!({
            "metadata": {"name": name, "labels": {"controller-revision-hash": hash, "pod-template-generation": "1"}},
            "spec": {"nodeName": node},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]}
        })
    }

    #[test]
    fn a_rolling_update_replaces_one_available_old_pod_at_a_time() {
        let mut d = ds();
        d["metadata"]["annotations"]["deprecated.daemonset.template.generation"] = json!("2");
        let nodes = [
            node("a", json!([])),
            node("b", json!([])),
            node("c", json!([])),
        ];
        let mut pods: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for n in ["a", "b", "c"] {
            pods.insert(
                n.into(),
                vec![daemon_pod(&format!("old-{n}"), n, "h1", true)],
            );
        }
        assert_eq!(pods_to_replace(&d, &nodes, &pods, "h2", 0), ["old-a"]);
        // a's new pod is not ready yet: nothing more is replaced.
        pods.insert("a".into(), vec![daemon_pod("new-a", "a", "h2", false)]);
        assert!(pods_to_replace(&d, &nodes, &pods, "h2", 0).is_empty());
        // Once it is ready, the next old pod goes; an old pod that is not ready goes at once.
        pods.insert("a".into(), vec![daemon_pod("new-a", "a", "h2", true)]);
        pods.insert("c".into(), vec![daemon_pod("old-c", "c", "h1", false)]);
        assert_eq!(pods_to_replace(&d, &nodes, &pods, "h2", 0), ["old-c"]);
        pods.insert("c".into(), vec![daemon_pod("old-c", "c", "h1", true)]);
        assert_eq!(pods_to_replace(&d, &nodes, &pods, "h2", 0), ["old-b"]);
        // A node whose old pod is gone and whose new one is not created yet is unavailable too.
        pods.remove("b");
        assert!(pods_to_replace(&d, &nodes, &pods, "h2", 0).is_empty());
    }

    #[test]
    fn max_unavailable_rounds_up_and_is_at_least_one() {
        let mut d = ds();
        assert_eq!(max_unavailable(&d, 3), 1);
        d["spec"]["updateStrategy"] =
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "50%"}});
        assert_eq!(max_unavailable(&d, 3), 2);
        d["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"] = json!(0);
        assert_eq!(max_unavailable(&d, 3), 1);
    }
}
