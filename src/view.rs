//! The page's picture of the cluster at one etcd revision: read straight from the store's history,
//! so that the view drawn beside any trace entry is the cluster as it was at that step.

use std::rc::Rc;

use serde_json::Value;

use crate::apiserver::resources::{by_plural, ResourceInfo};
use crate::cluster::{ClusterView, NodeView, PodView, ServiceView};
use crate::controllers::endpointslice::{ready_addresses, serves};
use crate::etcd::{Etcd, KeyValue};
use crate::kubectl::printers::human::{pod_ready, pod_status};

use crate::unstructured::str_at;

/// The objects of one resource at `revision`, with their keys and mod revisions.
fn versions<'a>(etcd: &'a Etcd, info: Option<&ResourceInfo>, revision: i64) -> Vec<&'a KeyValue> {
    let Some(info) = info else { return Vec::new() };
    etcd.range_at_refs(&info.etcd_range(None), revision)
        .unwrap_or_default()
}

/// What the page derives from each version of an object, kept by etcd key and mod revision.
/// A version never changes once written (its mod revision names it), so stepping between two
/// revisions of a large cluster derives only the objects written in between, not the 1,000
/// pods' STATUS columns again.
#[derive(Debug, Default)]
pub struct ViewCache {
    nodes: Derived<NodeView>,
    pods: Derived<PodView>,
    owned: Derived<Rc<OwnedFacts>>,
    /// The last view given out, with the mod revisions of the objects it was read from.
    last_view: Option<(Vec<i64>, Rc<ClusterView>)>,
    /// The last ownership forest given out, likewise.
    last_forest: Option<(Vec<i64>, Rc<Vec<OwnedObject>>)>,
}

/// The mod revisions of `versions`, in order: two reads with the same ones read the same
/// objects (a revision is one write of one key).
fn fingerprint<'a>(versions: impl IntoIterator<Item = &'a KeyValue>) -> Vec<i64> {
    versions.into_iter().map(|kv| kv.mod_revision).collect()
}

/// Per key, the derived value of each version seen (few per key: a pod is written a handful
/// of times in its life).
#[derive(Debug)]
struct Derived<T> {
    by_key: std::collections::HashMap<String, Vec<(i64, T)>>,
    count: usize,
}

impl<T> Default for Derived<T> {
    fn default() -> Self {
        Derived {
            by_key: std::collections::HashMap::new(),
            count: 0,
        }
    }
}

/// Past this many versions kept, a [`Derived`] starts afresh rather than grow without end.
const CACHE_LIMIT: usize = 100_000;

impl<T: Clone> Derived<T> {
    /// `derive(kv.value)`, computed once per version.
    fn of(&mut self, kv: &KeyValue, derive: impl FnOnce(&Value) -> T) -> T {
        if let Some(found) = self
            .by_key
            .get(kv.key.as_str())
            .and_then(|vs| vs.iter().find(|(rev, _)| *rev == kv.mod_revision))
        {
            return found.1.clone();
        }
        if self.count >= CACHE_LIMIT {
            *self = Derived::default();
        }
        let value = derive(&kv.value);
        self.count += 1;
        self.by_key
            .entry(kv.key.clone())
            .or_default()
            .push((kv.mod_revision, value.clone()));
        value
    }
}

fn node_view(node: &Value) -> NodeView {
    let conditions = node
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let taints = node
        .pointer("/spec/taints")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    NodeView {
        name: str_at(node, "/metadata/name").into(),
        ready: conditions
            .iter()
            .any(|c| str_at(c, "/type") == "Ready" && str_at(c, "/status") == "True"),
        control_plane: node
            .pointer("/metadata/labels/node-role.kubernetes.io~1control-plane")
            .is_some(),
        has_kubelet: node
            .pointer("/status/daemonEndpoints/kubeletEndpoint/Port")
            .and_then(Value::as_i64)
            .unwrap_or(0)
            > 0,
        pod_cidr: str_at(node, "/spec/podCIDR").into(),
        internal_ip: node
            .pointer("/status/addresses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|a| str_at(a, "/type") == "InternalIP")
            .map(|a| str_at(a, "/address").to_string())
            .unwrap_or_default(),
        taints: taints
            .iter()
            .map(|t| match str_at(t, "/value") {
                "" => format!("{}:{}", str_at(t, "/key"), str_at(t, "/effect")),
                v => format!("{}={v}:{}", str_at(t, "/key"), str_at(t, "/effect")),
            })
            .collect(),
    }
}

fn pod_view(pod: &Value) -> PodView {
    let opt = |p: &str| Some(str_at(pod, p).to_string()).filter(|s| !s.is_empty());
    PodView {
        namespace: str_at(pod, "/metadata/namespace").into(),
        name: str_at(pod, "/metadata/name").into(),
        phase: str_at(pod, "/status/phase").into(),
        status: pod_status(pod),
        ready: pod_ready(pod),
        node: opt("/spec/nodeName"),
        ip: opt("/status/podIP"),
    }
}

fn service_view(svc: &Value, slices: &[&Value]) -> ServiceView {
    let (ns, name) = (
        str_at(svc, "/metadata/namespace"),
        str_at(svc, "/metadata/name"),
    );
    let endpoints = slices
        .iter()
        .filter(|s| serves(s, svc))
        .flat_map(|s| {
            let port = s.pointer("/ports/0/port").and_then(Value::as_i64);
            ready_addresses(s).map(move |ip| port.map_or(ip.to_string(), |p| format!("{ip}:{p}")))
        })
        .collect();
    ServiceView {
        namespace: ns.into(),
        name: name.into(),
        cluster_ip: str_at(svc, "/spec/clusterIP").into(),
        ports: svc
            .pointer("/spec/ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| {
                format!(
                    "{}/{}",
                    p.get("port").and_then(Value::as_i64).unwrap_or(0),
                    str_at(p, "/protocol")
                )
            })
            .collect(),
        endpoints,
    }
}

/// The view at `revision` (a revision past the newest shows the cluster now).
pub fn at_revision(etcd: &Etcd, revision: i64) -> ClusterView {
    at_revision_cached(etcd, revision, &mut ViewCache::default())
}

/// [`at_revision`], deriving each node and pod version at most once over the life of `cache`
/// (which must only ever see one store).
pub fn at_revision_cached(etcd: &Etcd, revision: i64, cache: &mut ViewCache) -> ClusterView {
    (*shared_view_at(etcd, revision, cache)).clone()
}

/// [`at_revision_cached`], shared: a revision whose nodes, pods, Services and EndpointSlices are
/// those of the last view given out (most revisions of a settled cluster only renew leases), or
/// that reads to an equal view, gets that same view back, so the page's panels see an
/// unchanged pointer and skip comparing 1,000 pods.
pub fn shared_view_at(etcd: &Etcd, revision: i64, cache: &mut ViewCache) -> Rc<ClusterView> {
    let revision = revision.min(etcd.revision());
    let slices = versions(
        etcd,
        by_plural("discovery.k8s.io", "endpointslices"),
        revision,
    );
    let nodes = versions(etcd, by_plural("", "nodes"), revision);
    let pods = versions(etcd, by_plural("", "pods"), revision);
    let services = versions(etcd, by_plural("", "services"), revision);
    let read = fingerprint(
        [&slices, &nodes, &pods, &services]
            .into_iter()
            .flatten()
            .copied(),
    );
    if let Some((last, view)) = &cache.last_view {
        if *last == read {
            return Rc::clone(view);
        }
    }
    let slice_values: Vec<&Value> = slices.iter().map(|kv| &kv.value).collect();
    let view = ClusterView {
        nodes: nodes
            .into_iter()
            .map(|kv| cache.nodes.of(kv, node_view))
            .collect(),
        pods: pods
            .into_iter()
            .map(|kv| cache.pods.of(kv, pod_view))
            .collect(),
        services: services
            .into_iter()
            .map(|kv| service_view(&kv.value, &slice_values))
            .collect(),
    };
    let view = match cache.last_view.take() {
        Some((_, last)) if *last == view => last,
        _ => Rc::new(view),
    };
    cache.last_view = Some((read, Rc::clone(&view)));
    view
}

/// One object of the ownership tree (the garbage collector's graph, read from
/// metadata.ownerReferences): its kind and name, kubectl's status columns for it, and the
/// objects it owns.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct OwnedObject {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// `(column, value)` pairs from `kubectl get <kind>`: READY, STATUS, UP-TO-DATE, ...
    pub columns: Vec<(String, String)>,
    pub dependents: Vec<OwnedObject>,
}

/// The kinds shown, as (resource group, plural, kind): workloads, then what they own.
const OWNERSHIP_KINDS: [(&str, &str, &str); 8] = [
    ("batch", "cronjobs", "CronJob"),
    ("apps", "deployments", "Deployment"),
    ("apps", "statefulsets", "StatefulSet"),
    ("apps", "daemonsets", "DaemonSet"),
    ("apps", "replicasets", "ReplicaSet"),
    ("batch", "jobs", "Job"),
    ("", "pods", "Pod"),
    ("", "persistentvolumeclaims", "PersistentVolumeClaim"),
];

/// The columns of kubectl's tables the tree shows (not the ages and durations, which depend on
/// the clock, nor NAME).
const OWNERSHIP_COLUMNS: [&str; 10] = [
    "READY",
    "STATUS",
    "UP-TO-DATE",
    "AVAILABLE",
    "DESIRED",
    "CURRENT",
    "COMPLETIONS",
    "ACTIVE",
    "SUSPEND",
    "VOLUME",
];

/// kubectl's status columns for one object of `plural`.
fn status_columns(plural: &str, obj: &Value) -> Vec<(String, String)> {
    let now = jiff::Timestamp::UNIX_EPOCH;
    let opts = crate::kubectl::printers::human::TableOptions::default();
    let Some((headers, rows)) =
        crate::kubectl::printers::human::table_for(plural, std::slice::from_ref(obj), now, &opts)
    else {
        return Vec::new();
    };
    let row = rows.into_iter().next().unwrap_or_default();
    headers
        .into_iter()
        .zip(row)
        .filter(|(h, _)| OWNERSHIP_COLUMNS.contains(&h.as_str()))
        .collect()
}

fn owner_uids(obj: &Value) -> Vec<&str> {
    obj.pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r.get("uid").and_then(Value::as_str))
        .collect()
}

/// What the ownership forest reads of one object: who it is, who owns it, and its status
/// columns. Derived once per object version ([`ViewCache`]), so a new forest is built from these
/// rather than from the objects' JSON.
#[derive(Debug, Clone, PartialEq, Default)]
struct OwnedFacts {
    kind: &'static str,
    uid: String,
    owners: Vec<String>,
    namespace: String,
    name: String,
    columns: Vec<(String, String)>,
}

impl OwnedFacts {
    fn of(plural: &str, obj: &Value) -> OwnedFacts {
        let mut owners: Vec<String> = owner_uids(obj).into_iter().map(String::from).collect();
        owners.dedup();
        OwnedFacts {
            kind: OWNERSHIP_KINDS
                .iter()
                .find(|(_, p, _)| *p == plural)
                .map_or("", |(_, _, k)| k),
            uid: str_at(obj, "/metadata/uid").into(),
            owners,
            namespace: str_at(obj, "/metadata/namespace").into(),
            name: str_at(obj, "/metadata/name").into(),
            columns: status_columns(plural, obj),
        }
    }

    /// Pods and claims are never roots: nothing shows for one that nothing owns.
    fn may_be_root(&self) -> bool {
        !matches!(self.kind, "Pod" | "PersistentVolumeClaim")
    }
}

/// The ownership forest of `objects` (each `(plural, object)`): every object that owns something
/// or is a workload whose owner is not among them is a root; dependents hang under the objects
/// their ownerReferences name (by uid), sorted by kind order then name. Pods and claims that
/// nothing owns are left out. Cycles cannot loop: an object is placed once.
pub fn ownership_forest(objects: &[(&str, &Value)]) -> Vec<OwnedObject> {
    let facts: Vec<Rc<OwnedFacts>> = objects
        .iter()
        .map(|(plural, o)| Rc::new(OwnedFacts::of(plural, o)))
        .collect();
    forest_of(&facts)
}

/// [`ownership_forest`] of objects whose facts are already known.
fn forest_of(objects: &[Rc<OwnedFacts>]) -> Vec<OwnedObject> {
    let uids: std::collections::HashSet<&str> = objects
        .iter()
        .map(|o| o.uid.as_str())
        .filter(|u| !u.is_empty())
        .collect();
    // Each owner's dependents, in the order of `objects`: built once, so the tree is linear in
    // the objects rather than a scan of them all under every object (1,000 pods took 0.7 s).
    let mut dependents_of: std::collections::HashMap<&str, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, o) in objects.iter().enumerate() {
        for owner in &o.owners {
            dependents_of.entry(owner.as_str()).or_default().push(i);
        }
    }
    let forest = Forest {
        objects,
        dependents_of,
    };
    let mut placed = std::collections::HashSet::new();
    objects
        .iter()
        .enumerate()
        .filter(|(_, o)| o.may_be_root() && !o.owners.iter().any(|u| uids.contains(u.as_str())))
        .map(|(i, _)| forest.build(i, &mut placed))
        .collect()
}

/// The objects of an ownership forest and, per owner uid, the indices of its dependents.
struct Forest<'a> {
    objects: &'a [Rc<OwnedFacts>],
    dependents_of: std::collections::HashMap<&'a str, Vec<usize>>,
}

impl<'a> Forest<'a> {
    /// The tree under `objects[index]`.
    fn build(&self, index: usize, placed: &mut std::collections::HashSet<&'a str>) -> OwnedObject {
        let Some(obj) = self.objects.get(index) else {
            return OwnedObject::default();
        };
        placed.insert(obj.uid.as_str());
        let children: &[usize] = if obj.uid.is_empty() {
            &[]
        } else {
            self.dependents_of
                .get(obj.uid.as_str())
                .map_or(&[], Vec::as_slice)
        };
        let mut dependents = Vec::new();
        for &child in children {
            let placed_already = self
                .objects
                .get(child)
                .is_none_or(|o| placed.contains(o.uid.as_str()));
            if !placed_already {
                dependents.push(self.build(child, placed));
            }
        }
        OwnedObject {
            kind: obj.kind.to_string(),
            namespace: obj.namespace.clone(),
            name: obj.name.clone(),
            columns: obj.columns.clone(),
            dependents,
        }
    }
}

/// The ownership forest as etcd held the cluster at `revision`.
pub fn ownership_at_revision(etcd: &Etcd, revision: i64) -> Vec<OwnedObject> {
    ownership_at_revision_cached(etcd, revision, &mut ViewCache::default())
}

/// [`ownership_at_revision`], deriving each object version's status columns at most once over
/// the life of `cache` (which must only ever see one store).
pub fn ownership_at_revision_cached(
    etcd: &Etcd,
    revision: i64,
    cache: &mut ViewCache,
) -> Vec<OwnedObject> {
    (*shared_ownership_at(etcd, revision, cache)).clone()
}

/// [`ownership_at_revision_cached`], shared as [`shared_view_at`] shares views: a revision that
/// wrote none of the workloads, pods or claims gets the last forest back.
pub fn shared_ownership_at(
    etcd: &Etcd,
    revision: i64,
    cache: &mut ViewCache,
) -> Rc<Vec<OwnedObject>> {
    let revision = revision.min(etcd.revision());
    let versions: Vec<(&str, &KeyValue)> = OWNERSHIP_KINDS
        .iter()
        .flat_map(|(group, plural, _)| {
            versions(etcd, by_plural(group, plural), revision)
                .into_iter()
                .map(move |kv| (*plural, kv))
        })
        .collect();
    let read = fingerprint(versions.iter().map(|(_, kv)| *kv));
    if let Some((last, forest)) = &cache.last_forest {
        if *last == read {
            return Rc::clone(forest);
        }
    }
    let facts: Vec<Rc<OwnedFacts>> = versions
        .iter()
        .map(|(plural, kv)| cache.owned.of(kv, |o| Rc::new(OwnedFacts::of(plural, o))))
        .collect();
    let forest = forest_of(&facts);
    let forest = match cache.last_forest.take() {
        Some((_, last)) if *last == forest => last,
        _ => Rc::new(forest),
    };
    cache.last_forest = Some((read, Rc::clone(&forest)));
    forest
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(kind: &str, name: &str, uid: &str, owner: Option<&str>, extra: Value) -> Value {
        let mut o = json!({"kind": kind, "metadata": {"name": name, "namespace": "default",
            "uid": uid, "creationTimestamp": "2026-01-01T00:00:00Z"}});
        if let Some(owner) = owner {
            o["metadata"]["ownerReferences"] = json!([{"uid": owner, "controller": true}]);
        }
        if let (Some(o), Some(extra)) = (o.as_object_mut(), extra.as_object()) {
            o.extend(extra.clone());
        }
        o
    }

    #[test]
    fn a_deployment_owns_its_replica_sets_which_own_their_pods() {
        let objects = [
            (
                "deployments",
                obj(
                    "Deployment",
                    "web",
                    "d1",
                    None,
                    json!({"spec": {"replicas": 2}, "status": {"readyReplicas": 1, "updatedReplicas": 2, "availableReplicas": 1}}),
                ),
            ),
            (
                "replicasets",
                obj(
                    "ReplicaSet",
                    "web-7d9c",
                    "r1",
                    Some("d1"),
                    json!({"spec": {"replicas": 2}, "status": {"replicas": 2, "readyReplicas": 1}}),
                ),
            ),
            (
                "pods",
                obj(
                    "Pod",
                    "web-7d9c-a",
                    "p1",
                    Some("r1"),
                    json!({"spec": {"containers": [{"name": "c"}]}, "status": {"phase": "Running",
                        "containerStatuses": [{"name": "c", "ready": true, "restartCount": 0, "state": {"running": {}}}]}}),
                ),
            ),
            ("pods", obj("Pod", "lonely", "p2", None, json!({}))),
        ];
        let refs: Vec<(&str, &Value)> = objects.iter().map(|(p, o)| (*p, o)).collect();
        let forest = ownership_forest(&refs);
        assert_eq!(forest.len(), 1);
        let deployment = &forest[0];
        assert_eq!(
            (deployment.kind.as_str(), deployment.name.as_str()),
            ("Deployment", "web")
        );
        assert_eq!(
            deployment.columns,
            vec![
                ("READY".to_string(), "1/2".to_string()),
                ("UP-TO-DATE".to_string(), "2".to_string()),
                ("AVAILABLE".to_string(), "1".to_string()),
            ]
        );
        let rs = &deployment.dependents[0];
        assert_eq!(rs.kind, "ReplicaSet");
        assert_eq!(
            rs.columns,
            vec![
                ("DESIRED".to_string(), "2".to_string()),
                ("CURRENT".to_string(), "2".to_string()),
                ("READY".to_string(), "1".to_string()),
            ]
        );
        let pod = &rs.dependents[0];
        assert_eq!(pod.name, "web-7d9c-a");
        assert_eq!(
            pod.columns,
            vec![
                ("READY".to_string(), "1/1".to_string()),
                ("STATUS".to_string(), "Running".to_string()),
            ]
        );
    }

    #[test]
    fn an_ownership_cycle_places_each_object_once() {
        let objects = [
            ("jobs", obj("Job", "a", "u1", Some("u2"), json!({}))),
            ("jobs", obj("Job", "b", "u2", Some("u1"), json!({}))),
        ];
        // Both are owned by something present: no root, and no endless recursion.
        let refs: Vec<(&str, &Value)> = objects.iter().map(|(p, o)| (*p, o)).collect();
        assert!(ownership_forest(&refs).is_empty());
    }

    fn pod(name: &str, phase: &str) -> Value {
        json!({"kind": "Pod", "metadata": {"name": name, "namespace": "default", "uid": name},
            "spec": {"containers": [{"name": "c"}]}, "status": {"phase": phase}})
    }

    #[test]
    fn a_cached_view_at_any_revision_is_the_view_read_afresh() {
        let mut etcd = Etcd::new();
        let key = |name: &str| format!("/registry/pods/default/{name}");
        etcd.create(&key("a"), pod("a", "Pending")).unwrap();
        etcd.create(&key("b"), pod("b", "Pending")).unwrap();
        etcd.update(&key("a"), pod("a", "Running"), None).unwrap();
        etcd.delete(&key("b"), None).unwrap();
        let mut cache = ViewCache::default();
        // Forwards, back and forwards again, through the one cache.
        for revision in (1..=etcd.revision()).chain((1..=etcd.revision()).rev()) {
            let cached = at_revision_cached(&etcd, revision, &mut cache);
            assert_eq!(cached, at_revision(&etcd, revision), "revision {revision}");
            let tree = ownership_at_revision_cached(&etcd, revision, &mut cache);
            assert_eq!(tree, ownership_at_revision(&etcd, revision));
        }
        let mut phases = |revision| {
            at_revision_cached(&etcd, revision, &mut cache)
                .pods
                .iter()
                .map(|p| format!("{} {}", p.name, p.status))
                .collect::<Vec<_>>()
        };
        assert_eq!(phases(3), ["a Pending", "b Pending"]);
        assert_eq!(phases(5), ["a Running"]);
    }

    #[test]
    fn a_revision_that_wrote_no_pod_node_or_service_shares_the_last_view() {
        let mut etcd = Etcd::new();
        etcd.create("/registry/pods/default/a", pod("a", "Running"))
            .unwrap();
        let mut cache = ViewCache::default();
        let before = shared_view_at(&etcd, etcd.revision(), &mut cache);
        let forest_before = shared_ownership_at(&etcd, etcd.revision(), &mut cache);
        // A node's lease renewed: nothing the view shows was written.
        let lease = json!({"kind": "Lease", "metadata": {"name": "worker"}});
        etcd.create("/registry/leases/kube-node-lease/worker", lease)
            .unwrap();
        let after = shared_view_at(&etcd, etcd.revision(), &mut cache);
        assert!(Rc::ptr_eq(&before, &after));
        let forest_after = shared_ownership_at(&etcd, etcd.revision(), &mut cache);
        assert!(Rc::ptr_eq(&forest_before, &forest_after));
        // A pod written again with the same row: an equal view, still the same pointer.
        etcd.update("/registry/pods/default/a", pod("a", "Running"), None)
            .unwrap();
        assert!(Rc::ptr_eq(
            &before,
            &shared_view_at(&etcd, etcd.revision(), &mut cache)
        ));
        // A pod whose row changed: a new view.
        etcd.update("/registry/pods/default/a", pod("a", "Failed"), None)
            .unwrap();
        let failed = shared_view_at(&etcd, etcd.revision(), &mut cache);
        assert!(!Rc::ptr_eq(&before, &failed));
        assert_eq!(failed.pods[0].phase, "Failed");
    }
}
