//! The scheduling framework's vocabulary (pkg/scheduler/framework): a node with the pods it runs
//! and the resources they request, a plugin's Status, and the Filter and Score extension points.

use crate::unstructured::JsonPointer;
use std::any::Any;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::rc::Rc;
use std::sync::Arc;

use serde_json::Value;

use super::plugins::inter_pod_affinity::PodTerms;
use super::plugins::label_selector::Selector;
use crate::apiserver::selectors::labels_of;
use crate::quantity::{parse_milli, parse_units};

/// The non-zero defaults scoring uses for a container that requests nothing
/// (pkg/scheduler/util: DefaultMilliCPURequest = 100m, DefaultMemoryRequest = 200Mi).
pub const DEFAULT_MILLI_CPU_REQUEST: i128 = 100;
pub const DEFAULT_MEMORY_REQUEST: i128 = 200 * 1024 * 1024;

/// CPU in millicores, memory in bytes, and the pod count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resources {
    pub milli_cpu: i128,
    pub memory: i128,
    pub pods: i128,
}

impl Resources {
    fn add(&mut self, other: Resources) {
        self.milli_cpu += other.milli_cpu;
        self.memory += other.memory;
        self.pods += other.pods;
    }

    fn minus(self, other: Resources) -> Resources {
        Resources {
            milli_cpu: self.milli_cpu - other.milli_cpu,
            memory: self.memory - other.memory,
            pods: self.pods - other.pods,
        }
    }
}

fn container_requests(c: &Value, non_zero: bool) -> Resources {
    let requests = c.get("resources").and_then(|r| r.get("requests"));
    let req = |name: &str| requests.and_then(|r| r.get(name)).and_then(Value::as_str);
    let cpu = req("cpu").and_then(parse_milli);
    let mem = req("memory").and_then(parse_units);
    Resources {
        milli_cpu: cpu.unwrap_or(if non_zero {
            DEFAULT_MILLI_CPU_REQUEST
        } else {
            0
        }),
        memory: mem.unwrap_or(if non_zero { DEFAULT_MEMORY_REQUEST } else { 0 }),
        pods: 0,
    }
}

/// What a pod requests: the sum over its containers, or the largest init container if larger
/// (resourcehelper.PodRequests). With `non_zero`, empty requests count as the scoring defaults.
pub fn pod_requests(pod: &Value, non_zero: bool) -> Resources {
    let list = |name: &str| {
        pod.get("spec")
            .and_then(|s| s.get(name))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
    };
    let mut total = Resources::default();
    for c in list("containers") {
        total.add(container_requests(c, non_zero));
    }
    for c in list("initContainers") {
        let r = container_requests(c, non_zero);
        total.milli_cpu = total.milli_cpu.max(r.milli_cpu);
        total.memory = total.memory.max(r.memory);
    }
    total.pods = 1;
    total
}

/// A pod with what the plugins read of it parsed once (framework.PodInfo): its key, namespace,
/// labels, requests and host ports. It dereferences to the pod object for everything else.
#[derive(Debug, Clone, PartialEq)]
pub struct PodInfo {
    pub pod: Value,
    /// `namespace/name`.
    pub key: String,
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    /// metadata.deletionTimestamp is set.
    pub terminating: bool,
    pub requests: Resources,
    /// The requests with the scoring defaults for empty ones.
    pub non_zero_requests: Resources,
    pub has_pod_affinity: bool,
    pub has_required_anti_affinity: bool,
    /// The containers' (hostPort, protocol) pairs, hostPort > 0.
    pub host_ports: Vec<(i64, String)>,
    /// The pod's affinity terms parsed, when it has any.
    affinity: Option<Arc<PodTerms>>,
    /// spec.nodeName ("" when unset).
    pub node_name: String,
    /// spec.nodeSelector (a value that is not a string matches only a node without the label,
    /// as comparing the JSON does), None when unset.
    pub node_selector: Option<Vec<(String, Option<String>)>>,
    /// The required node affinity's nodeSelectorTerms, None when unset.
    pub required_node_terms: Option<Vec<Value>>,
    /// The preferred node affinity terms: (weight, preference).
    pub preferred_node_terms: Vec<(i64, Value)>,
    pub tolerations: Vec<Toleration>,
    /// The images of the init containers, containers and image volumes, normalized
    /// (ImageLocality's normalizedImageName).
    pub images: Vec<String>,
    /// How many init containers and containers the pod has.
    pub container_count: usize,
}

/// The pod's images for ImageLocality: init containers, containers, then image volumes.
fn images_of(pod: &Value) -> Vec<String> {
    let list = |path: &str| pod.at(path).and_then(Value::as_array).into_iter().flatten();
    let containers = list("/spec/initContainers")
        .chain(list("/spec/containers"))
        .filter_map(|c| c.get("image").and_then(Value::as_str));
    let volumes =
        list("/spec/volumes").filter_map(|v| v.at("/image/reference").and_then(Value::as_str));
    containers
        .chain(volumes)
        .map(super::plugins::image_locality::normalized_image_name)
        .collect()
}

/// A pod toleration, parsed (v1.Toleration; "" for an absent field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toleration {
    pub key: String,
    pub operator: String,
    pub value: String,
    pub effect: String,
}

impl Toleration {
    /// ToleratesTaint: the effect (if set) and key (if set) match, and Exists, or Equal (the
    /// default) with the same value.
    pub fn tolerates(&self, key: &str, value: &str, effect: &str) -> bool {
        if !self.effect.is_empty() && self.effect != effect {
            return false;
        }
        if !self.key.is_empty() && self.key != key {
            return false;
        }
        match self.operator.as_str() {
            "Exists" => true,
            "" | "Equal" => self.value == value,
            _ => false,
        }
    }
}

/// A pod's tolerations, parsed.
pub fn tolerations_of(pod: &Value) -> Vec<Toleration> {
    let s = |t: &Value, k: &str| {
        t.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    pod.at("/spec/tolerations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|t| Toleration {
            key: s(t, "key"),
            operator: s(t, "operator"),
            value: s(t, "value"),
            effect: s(t, "effect"),
        })
        .collect()
}

fn node_selector_of(pod: &Value) -> Option<Vec<(String, Option<String>)>> {
    let selector = pod.at("/spec/nodeSelector")?.as_object()?;
    Some(
        selector
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().map(str::to_string)))
            .collect(),
    )
}

fn preferred_node_terms_of(pod: &Value) -> Vec<(i64, Value)> {
    pod.at("/spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let weight = p.get("weight").and_then(Value::as_i64).unwrap_or(0);
            Some((weight, p.get("preference")?.clone()))
        })
        .collect()
}

impl PodInfo {
    pub fn new(pod: Value) -> Self {
        PodInfo {
            key: crate::client::key_of(&pod),
            namespace: pod
                .at("/metadata/namespace")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            labels: labels_of(&pod),
            terminating: pod.at("/metadata/deletionTimestamp").is_some(),
            requests: pod_requests(&pod, false),
            non_zero_requests: pod_requests(&pod, true),
            has_pod_affinity: has_pod_affinity(&pod),
            has_required_anti_affinity: has_required_anti_affinity(&pod),
            host_ports: host_ports(&pod),
            affinity: has_pod_affinity(&pod).then(|| Arc::new(PodTerms::of(&pod))),
            node_name: pod
                .at("/spec/nodeName")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            node_selector: node_selector_of(&pod),
            required_node_terms: pod
                .at("/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")
                .and_then(Value::as_array)
                .cloned(),
            preferred_node_terms: preferred_node_terms_of(&pod),
            tolerations: tolerations_of(&pod),
            images: images_of(&pod),
            container_count: ["/spec/initContainers", "/spec/containers"]
                .iter()
                .filter_map(|p| pod.at(p).and_then(Value::as_array))
                .map(Vec::len)
                .sum(),
            pod,
        }
    }

    /// The pod's affinity terms (none when it has no pod affinity).
    pub fn terms(&self) -> &PodTerms {
        static NONE: std::sync::OnceLock<PodTerms> = std::sync::OnceLock::new();
        match &self.affinity {
            Some(terms) => terms,
            None => NONE.get_or_init(PodTerms::default),
        }
    }
}

impl Deref for PodInfo {
    type Target = Value;

    fn deref(&self) -> &Value {
        &self.pod
    }
}

/// The containers' host ports with their protocols (NodePorts' getContainerPorts).
pub fn host_ports(pod: &Value) -> Vec<(i64, String)> {
    pod.at("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("ports").and_then(Value::as_array))
        .flatten()
        .filter_map(|p| {
            let port = p
                .get("hostPort")
                .and_then(Value::as_i64)
                .filter(|&hp| hp > 0)?;
            let protocol = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
            Some((port, protocol.to_string()))
        })
        .collect()
}

/// A node taint, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taint {
    pub key: String,
    pub value: String,
    pub effect: String,
    /// The taint as stored (for the code that reads it as an object).
    pub object: Value,
}

/// A node and what is already placed on it (framework.NodeInfo), with the node's labels and
/// taints parsed once rather than on every cycle.
#[derive(Debug, Clone)]
pub struct NodeInfo {
    pub name: String,
    pub node: Value,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    /// spec.unschedulable (cordoned).
    pub unschedulable: bool,
    /// Each name in status.images with its image's size (NodeInfo.ImageStates).
    pub images: BTreeMap<String, i64>,
    pub pods: Vec<Arc<PodInfo>>,
    pub allocatable: Resources,
    pub requested: Resources,
    pub non_zero_requested: Resources,
    /// The pods that have pod affinity or anti-affinity terms (NodeInfo.PodsWithAffinity), so
    /// that InterPodAffinity reads only them of the placed pods.
    pub pods_with_affinity: Vec<Arc<PodInfo>>,
    /// The pods that have required pod anti-affinity terms
    /// (NodeInfo.PodsWithRequiredAntiAffinity).
    pub pods_with_required_anti_affinity: Vec<Arc<PodInfo>>,
    /// The affinity terms of `pods_with_affinity`, each distinct set once with how many of the
    /// pods have it (pods of one workload share their terms), so that InterPodAffinity matches
    /// each set once per node rather than once per pod.
    pub affinity_term_sets: Vec<(Arc<PodTerms>, i64)>,
    /// How many of the pods each [`PodSelector`] asked about so far matches, kept up to date as
    /// pods come and go (see [`NodeInfo::count_matching`]).
    match_counts: RefCell<Vec<(PodSelector, i64)>>,
}

/// The namespaces a [`PodSelector`] clause accepts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Namespaces {
    Any,
    Only(BTreeSet<String>),
}

impl Namespaces {
    /// Just the one namespace.
    pub fn one(namespace: &str) -> Self {
        Namespaces::Only(BTreeSet::from([namespace.to_string()]))
    }

    fn contains(&self, namespace: &str) -> bool {
        match self {
            Namespaces::Any => true,
            Namespaces::Only(set) => set.contains(namespace),
        }
    }
}

/// Which placed pods a plugin counts on a node: every clause (namespaces and label selector)
/// must hold, and with `skip_terminating` a pod being deleted does not count
/// (PodTopologySpread's countPodsMatchSelector; InterPodAffinity's terms count every pod).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodSelector {
    clauses: Vec<(Namespaces, Selector)>,
    skip_terminating: bool,
    /// A hash of the above, to tell selectors apart quickly.
    hash: u64,
}

impl PodSelector {
    pub fn new(clauses: Vec<(Namespaces, Selector)>, skip_terminating: bool) -> Self {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        clauses.hash(&mut hasher);
        skip_terminating.hash(&mut hasher);
        PodSelector {
            clauses,
            skip_terminating,
            hash: hasher.finish(),
        }
    }

    pub fn matches(&self, pod: &PodInfo) -> bool {
        !(self.skip_terminating && pod.terminating)
            && self
                .clauses
                .iter()
                .all(|(ns, selector)| ns.contains(&pod.namespace) && selector.matches(&pod.labels))
    }
}

/// How many selectors a node remembers counts for; past that the oldest is forgotten.
const MAX_MATCH_COUNTS: usize = 64;

fn images_on(node: &Value) -> BTreeMap<String, i64> {
    let mut images = BTreeMap::new();
    for image in node
        .at("/status/images")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let size = image.get("sizeBytes").and_then(Value::as_i64).unwrap_or(0);
        let names = image
            .get("names")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for name in names.filter_map(Value::as_str) {
            images.insert(name.to_string(), size);
        }
    }
    images
}

fn taints_of(node: &Value) -> Vec<Taint> {
    let s = |t: &Value, k: &str| {
        t.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    node.at("/spec/taints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|t| Taint {
            key: s(t, "key"),
            value: s(t, "value"),
            effect: s(t, "effect"),
            object: t.clone(),
        })
        .collect()
}

fn affinity_of<'a>(pod: &'a Value, kind: &str) -> Option<&'a Value> {
    pod.get("spec")?
        .get("affinity")?
        .get(kind)
        .filter(|v| !v.is_null())
}

/// Whether the pod has podAffinity or podAntiAffinity (NodeInfo's PodsWithAffinity).
pub fn has_pod_affinity(pod: &Value) -> bool {
    affinity_of(pod, "podAffinity").is_some() || affinity_of(pod, "podAntiAffinity").is_some()
}

/// Whether the pod has required anti-affinity terms (PodsWithRequiredAntiAffinity).
pub fn has_required_anti_affinity(pod: &Value) -> bool {
    affinity_of(pod, "podAntiAffinity")
        .and_then(|a| a.get("requiredDuringSchedulingIgnoredDuringExecution"))
        .and_then(Value::as_array)
        .is_some_and(|terms| !terms.is_empty())
}

impl NodeInfo {
    pub fn new(node: Value, pods: Vec<Value>) -> Self {
        NodeInfo::with_pods(
            node,
            pods.into_iter()
                .map(|p| Arc::new(PodInfo::new(p)))
                .collect(),
        )
    }

    /// A NodeInfo over pods already parsed.
    pub fn with_pods(node: Value, pods: Vec<Arc<PodInfo>>) -> Self {
        let name = node
            .at("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let alloc = |r: &str| {
            node.at("/status/allocatable")
                .and_then(|a| a.get(r))
                .and_then(Value::as_str)
        };
        let allocatable = Resources {
            milli_cpu: alloc("cpu").and_then(parse_milli).unwrap_or(0),
            memory: alloc("memory").and_then(parse_units).unwrap_or(0),
            pods: alloc("pods").and_then(parse_units).unwrap_or(0),
        };
        let mut info = NodeInfo {
            name,
            labels: labels_of(&node),
            taints: taints_of(&node),
            unschedulable: node
                .at("/spec/unschedulable")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            images: images_on(&node),
            node,
            pods: Vec::with_capacity(pods.len()),
            allocatable,
            requested: Resources::default(),
            non_zero_requested: Resources::default(),
            pods_with_affinity: Vec::new(),
            pods_with_required_anti_affinity: Vec::new(),
            affinity_term_sets: Vec::new(),
            match_counts: RefCell::new(Vec::new()),
        };
        for p in pods {
            info.insert_pod(usize::MAX, p);
        }
        info
    }

    fn count(&mut self, pod: &PodInfo, sign: i128) {
        let (mut requested, mut non_zero) = (pod.requests, pod.non_zero_requests);
        if sign < 0 {
            requested = Resources::default().minus(requested);
            non_zero = Resources::default().minus(non_zero);
        }
        self.requested.add(requested);
        self.non_zero_requested.add(non_zero);
        let step = if sign < 0 { -1 } else { 1 };
        for (selector, count) in self.match_counts.get_mut().iter_mut() {
            if selector.matches(pod) {
                *count += step;
            }
        }
        if let Some(terms) = &pod.affinity {
            self.count_term_set(terms, step);
        }
    }

    fn count_term_set(&mut self, terms: &Arc<PodTerms>, step: i64) {
        let sets = &mut self.affinity_term_sets;
        match sets
            .iter()
            .position(|(t, _)| Arc::ptr_eq(t, terms) || **t == **terms)
        {
            Some(at) => {
                if let Some((_, count)) = sets.get_mut(at) {
                    *count += step;
                    if *count <= 0 {
                        sets.remove(at);
                    }
                }
            }
            None if step > 0 => sets.push((Arc::clone(terms), step)),
            None => {}
        }
    }

    /// AddPod: place `pod` at `index` of the node's pods and count its requests.
    pub fn insert_pod(&mut self, index: usize, pod: Arc<PodInfo>) {
        self.count(&pod, 1);
        if pod.has_pod_affinity {
            self.pods_with_affinity.push(Arc::clone(&pod));
        }
        if pod.has_required_anti_affinity {
            self.pods_with_required_anti_affinity.push(Arc::clone(&pod));
        }
        let index = index.min(self.pods.len());
        self.pods.insert(index, pod);
    }

    /// RemovePod: take the pod at `index` off the node and stop counting its requests.
    pub fn remove_pod(&mut self, index: usize) -> Option<Arc<PodInfo>> {
        if index >= self.pods.len() {
            return None;
        }
        let pod = self.pods.remove(index);
        self.count(&pod, -1);
        for list in [
            &mut self.pods_with_affinity,
            &mut self.pods_with_required_anti_affinity,
        ] {
            if let Some(at) = list.iter().position(|p| Arc::ptr_eq(p, &pod)) {
                list.remove(at);
            }
        }
        Some(pod)
    }

    /// How many of the node's pods `selector` matches (what PodTopologySpread and
    /// InterPodAffinity count on every node in every cycle). The count is computed once per
    /// node and selector and then kept up to date by AddPod and RemovePod, so that a cycle
    /// costs the same however many pods are placed.
    pub fn count_matching(&self, selector: &PodSelector) -> i64 {
        let count_now = || self.pods.iter().filter(|p| selector.matches(p)).count() as i64;
        let Ok(mut memo) = self.match_counts.try_borrow_mut() else {
            return count_now();
        };
        let known = memo
            .iter()
            .find(|(s, _)| s.hash == selector.hash && s == selector);
        if let Some((_, count)) = known {
            return *count;
        }
        let count = count_now();
        if memo.len() >= MAX_MATCH_COUNTS {
            memo.remove(0);
        }
        memo.push((selector.clone(), count));
        count
    }
}

/// A plugin's verdict (framework.Code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Success,
    /// The pod does not fit now; preemption might help.
    Unschedulable,
    /// The pod cannot fit on this node whatever is removed from it.
    UnschedulableAndUnresolvable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub code: Code,
    pub plugin: &'static str,
    pub reasons: Vec<String>,
}

impl Status {
    pub fn success(plugin: &'static str) -> Self {
        Status {
            code: Code::Success,
            plugin,
            reasons: Vec::new(),
        }
    }

    pub fn unschedulable(plugin: &'static str, reason: impl Into<String>) -> Self {
        Status {
            code: Code::Unschedulable,
            plugin,
            reasons: vec![reason.into()],
        }
    }

    pub fn unresolvable(plugin: &'static str, reason: impl Into<String>) -> Self {
        Status {
            code: Code::UnschedulableAndUnresolvable,
            plugin,
            reasons: vec![reason.into()],
        }
    }

    pub fn is_success(&self) -> bool {
        self.code == Code::Success
    }
}

/// The read-only listers some plugins read besides the snapshot's nodes and pods (the informer
/// listers the real plugins get from the framework handle): claims, volumes and storage classes
/// for the volume plugins, namespaces for InterPodAffinity's namespaceSelector, and the workload
/// objects whose selectors PodTopologySpread's system default constraints spread by
/// (helper.DefaultSelector); CSINodes and VolumeAttachments for NodeVolumeLimits.
#[derive(Debug, Clone, Default)]
pub struct Listers {
    pub persistent_volume_claims: Vec<Value>,
    pub persistent_volumes: Vec<Value>,
    pub storage_classes: Vec<Value>,
    pub csi_nodes: Vec<Value>,
    pub volume_attachments: Vec<Value>,
    pub namespaces: Vec<Value>,
    pub services: Vec<Value>,
    pub replication_controllers: Vec<Value>,
    pub replica_sets: Vec<Value>,
    pub stateful_sets: Vec<Value>,
}

fn named<'a>(list: &'a [Value], namespace: Option<&str>, name: &str) -> Option<&'a Value> {
    list.iter().find(|o| {
        o.at("/metadata/name").and_then(Value::as_str) == Some(name)
            && namespace
                .is_none_or(|ns| o.at("/metadata/namespace").and_then(Value::as_str) == Some(ns))
    })
}

impl Listers {
    pub fn persistent_volume_claim(&self, namespace: &str, name: &str) -> Option<&Value> {
        named(&self.persistent_volume_claims, Some(namespace), name)
    }

    pub fn persistent_volume(&self, name: &str) -> Option<&Value> {
        named(&self.persistent_volumes, None, name)
    }

    pub fn storage_class(&self, name: &str) -> Option<&Value> {
        named(&self.storage_classes, None, name)
    }

    /// The CSINode of a node (named after it).
    pub fn csi_node(&self, name: &str) -> Option<&Value> {
        named(&self.csi_nodes, None, name)
    }

    /// The labels of a namespace (GetNamespaceLabelsSnapshot: empty when it is not found).
    pub fn namespace_labels(&self, namespace: &str) -> BTreeMap<String, String> {
        named(&self.namespaces, None, namespace)
            .map(labels_of)
            .unwrap_or_default()
    }

    /// The objects of one kind in a namespace (ReplicaSets, Services, ...).
    pub fn in_namespace<'a>(
        list: &'a [Value],
        namespace: &'a str,
    ) -> impl Iterator<Item = &'a Value> + 'a {
        list.iter()
            .filter(move |o| o.at("/metadata/namespace").and_then(Value::as_str) == Some(namespace))
    }
}

/// What one scheduling cycle sees besides the node at hand: every node of the snapshot with its
/// pods (the framework's SharedLister, which PreFilter and PreScore read), and the listers.
/// `listers` is `None` while the scheduler has no informers for those kinds: the plugins that
/// need them then pass every node (they are not modelled rather than wrong).
///
/// For preemption, build a Cycle over the nodes as they would be with the victims removed: the
/// plugins recompute their cluster-wide counts from it (what AddPod/RemovePod do incrementally).
#[derive(Debug, Clone, Copy)]
pub struct Cycle<'a> {
    pub nodes: &'a [NodeInfo],
    pub listers: Option<&'a Listers>,
    /// The cycle's CycleState, where plugins keep what they computed once for the pod (their
    /// PreFilter and PreScore state); None: every call computes afresh.
    state: Option<&'a CycleState>,
}

impl<'a> Cycle<'a> {
    pub fn new(nodes: &'a [NodeInfo], listers: Option<&'a Listers>) -> Self {
        Cycle {
            nodes,
            listers,
            state: None,
        }
    }

    /// A cycle whose plugins keep their per-pod state in `state` (framework.CycleState): one
    /// pod, one snapshot. Do not share a state between cycles over different nodes.
    pub fn with_state(
        nodes: &'a [NodeInfo],
        listers: Option<&'a Listers>,
        state: &'a CycleState,
    ) -> Self {
        Cycle {
            nodes,
            listers,
            state: Some(state),
        }
    }

    /// What `compute` returns, computed once per cycle under `key` when the cycle has a state.
    pub fn memo<T: 'static>(&self, key: &'static str, compute: impl FnOnce() -> T) -> Rc<T> {
        match self.state {
            Some(state) => state.get_or_insert(key, compute),
            None => Rc::new(compute()),
        }
    }
}

/// framework.CycleState: values plugins computed for the pod of the cycle, by key.
#[derive(Default)]
pub struct CycleState {
    entries: RefCell<Vec<(&'static str, Rc<dyn Any>)>>,
}

impl std::fmt::Debug for CycleState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<&str> = self.entries.borrow().iter().map(|(k, _)| *k).collect();
        f.debug_struct("CycleState").field("keys", &keys).finish()
    }
}

impl CycleState {
    fn get_or_insert<T: 'static>(&self, key: &'static str, compute: impl FnOnce() -> T) -> Rc<T> {
        let found = self
            .entries
            .borrow()
            .iter()
            .find(|(k, _)| std::ptr::eq(*k, key) || *k == key)
            .and_then(|(_, v)| Rc::clone(v).downcast::<T>().ok());
        if let Some(value) = found {
            return value;
        }
        let value = Rc::new(compute());
        let stored: Rc<dyn Any> = value.clone();
        self.entries.borrow_mut().push((key, stored));
        value
    }
}

/// The snapshot with one node swapped for a changed copy of it (preemption's node with its
/// victims removed), so that a Cycle over the result sees the same change (what the framework's
/// RemovePod extensions do to the PreFilter state).
pub fn with_node_replaced(nodes: &[NodeInfo], changed: &NodeInfo) -> Vec<NodeInfo> {
    nodes
        .iter()
        .map(|n| {
            if n.name == changed.name {
                changed.clone()
            } else {
                n.clone()
            }
        })
        .collect()
}

/// The PreFilter and Filter extension points: can the pod run on this node?
///
/// `filter` sees one node only; plugins that need the whole cluster (PodTopologySpread,
/// InterPodAffinity, the volume plugins) implement `pre_filter` and `filter_in`, which take the
/// cycle. The defaults keep the node-local plugins as they were.
pub trait FilterPlugin {
    fn name(&self) -> &'static str;
    fn filter(&self, pod: &PodInfo, node: &NodeInfo) -> Status;

    /// PreFilter: a failure here rejects the pod on every node at once; its message becomes the
    /// FitError's PreFilterMsg (`0/N nodes are available: <message>.`).
    fn pre_filter(&self, _pod: &PodInfo, _cycle: &Cycle) -> Status {
        Status::success(self.name())
    }

    /// Filter with the cycle's cluster view; by default the node-local `filter`.
    fn filter_in(&self, pod: &PodInfo, node: &NodeInfo, _cycle: &Cycle) -> Status {
        self.filter(pod, node)
    }
}

/// The PreScore, Score and NormalizeScore extension points: how good is this node, 0..=100 after
/// normalizing.
pub trait ScorePlugin {
    fn name(&self) -> &'static str;
    fn weight(&self) -> i64;
    fn score(&self, pod: &PodInfo, node: &NodeInfo) -> i64;
    /// NormalizeScore; the default leaves the raw scores.
    fn normalize(&self, _scores: &mut [i64]) {}

    /// PreScore and Score over the feasible nodes with the cycle's cluster view: the raw score of
    /// each feasible node, in order. By default `score` node by node.
    fn score_all(&self, pod: &PodInfo, feasible: &[&NodeInfo], _cycle: &Cycle) -> Vec<i64> {
        feasible.iter().map(|n| self.score(pod, n)).collect()
    }

    /// NormalizeScore with the cycle's view; by default `normalize`.
    fn normalize_in(
        &self,
        _pod: &PodInfo,
        _feasible: &[&NodeInfo],
        _cycle: &Cycle,
        scores: &mut [i64],
    ) {
        self.normalize(scores)
    }
}

/// Scale scores to 0..=100 by the largest (helper.DefaultNormalizeScore), optionally reversed.
pub fn default_normalize(scores: &mut [i64], reverse: bool) {
    let max = scores.iter().copied().max().unwrap_or(0);
    if max == 0 {
        if reverse {
            scores.iter_mut().for_each(|s| *s = 100);
        }
        return;
    }
    for s in scores.iter_mut() {
        *s = 100 * *s / max;
        if reverse {
            *s = 100 - *s;
        }
    }
}

/// A PodInfo of a pod object, for the plugins' unit tests.
#[cfg(test)]
pub fn test_pod_info(pod: &Value) -> PodInfo {
    PodInfo::new(pod.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(name: &str, pods: usize) -> NodeInfo {
        let pods = (0..pods)
            .map(|i| json!({"metadata": {"name": format!("p{i}")}}))
            .collect();
        NodeInfo::new(json!({"metadata": {"name": name}}), pods)
    }

    #[test]
    fn with_node_replaced_swaps_only_that_node() {
        let nodes = vec![node("a", 2), node("b", 1)];
        let out = with_node_replaced(&nodes, &node("a", 0));
        assert_eq!(
            out.iter().map(|n| n.pods.len()).collect::<Vec<_>>(),
            vec![0, 1]
        );
    }

    fn labelled(name: &str, ns: &str, app: &str) -> Arc<PodInfo> {
        Arc::new(PodInfo::new(json!({"metadata": {
            "name": name, "namespace": ns, "labels": {"app": app}
        }})))
    }

    fn app_is(app: &str, ns: Namespaces, skip_terminating: bool) -> PodSelector {
        let set = BTreeMap::from([("app".to_string(), app.to_string())]);
        PodSelector::new(vec![(ns, Selector::from_set(&set))], skip_terminating)
    }

    #[test]
    fn match_counts_follow_the_pods_added_and_removed() {
        let mut n = node("a", 0);
        n.insert_pod(0, labelled("w1", "default", "web"));
        let web = app_is("web", Namespaces::one("default"), true);
        let web_anywhere = app_is("web", Namespaces::Any, false);
        assert_eq!(n.count_matching(&web), 1);
        assert_eq!(n.count_matching(&web_anywhere), 1);
        // Remembered counts move with AddPod and RemovePod.
        n.insert_pod(0, labelled("w2", "other", "web"));
        n.insert_pod(0, labelled("d1", "default", "db"));
        assert_eq!(n.count_matching(&web), 1);
        assert_eq!(n.count_matching(&web_anywhere), 2);
        let at = n.pods.iter().position(|p| p.key == "default/w1");
        assert!(n.remove_pod(at.unwrap_or(usize::MAX)).is_some());
        assert_eq!(n.count_matching(&web), 0);
        assert_eq!(n.count_matching(&web_anywhere), 1);
        // A copy of the node keeps counting on its own.
        let mut copy = n.clone();
        copy.insert_pod(0, labelled("w3", "default", "web"));
        assert_eq!(copy.count_matching(&web), 1);
        assert_eq!(n.count_matching(&web), 0);
    }

    #[test]
    fn terminating_pods_count_only_when_asked() {
        let mut n = node("a", 0);
        let pod = json!({"metadata": {"name": "w", "namespace": "default",
            "labels": {"app": "web"}, "deletionTimestamp": "2026-01-01T00:00:00Z"}});
        n.insert_pod(0, Arc::new(PodInfo::new(pod)));
        assert_eq!(n.count_matching(&app_is("web", Namespaces::Any, true)), 0);
        assert_eq!(n.count_matching(&app_is("web", Namespaces::Any, false)), 1);
    }

    #[test]
    fn pods_with_affinity_are_listed_apart() {
        let mut n = node("a", 1);
        let anti = json!({"metadata": {"name": "x", "namespace": "default"}, "spec": {"affinity":
            {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
                {"topologyKey": "kubernetes.io/hostname"}]}}}});
        n.insert_pod(0, Arc::new(PodInfo::new(anti)));
        assert_eq!(n.pods_with_affinity.len(), 1);
        assert_eq!(n.pods_with_required_anti_affinity.len(), 1);
        let at = n.pods.iter().position(|p| p.key == "default/x");
        assert!(n.remove_pod(at.unwrap_or(usize::MAX)).is_some());
        assert!(n.pods_with_affinity.is_empty());
        assert!(n.pods_with_required_anti_affinity.is_empty());
        assert!(n.affinity_term_sets.is_empty());
        assert_eq!(n.pods.len(), 1);
    }

    #[test]
    fn pods_sharing_their_affinity_terms_share_one_term_set() {
        let anti = |name: &str, key: &str| {
            Arc::new(PodInfo::new(
                json!({"metadata": {"name": name, "namespace": "default"},
                "spec": {"affinity": {"podAntiAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": [{"topologyKey": key}]}}}}),
            ))
        };
        let mut n = node("a", 0);
        n.insert_pod(0, anti("x", "kubernetes.io/hostname"));
        n.insert_pod(0, anti("y", "kubernetes.io/hostname"));
        n.insert_pod(0, anti("z", "topology.kubernetes.io/zone"));
        let counts: Vec<i64> = n.affinity_term_sets.iter().map(|(_, c)| *c).collect();
        assert_eq!(counts, [2, 1]);
        let at = n.pods.iter().position(|p| p.key == "default/x");
        assert!(n.remove_pod(at.unwrap_or(usize::MAX)).is_some());
        let counts: Vec<i64> = n.affinity_term_sets.iter().map(|(_, c)| *c).collect();
        assert_eq!(counts, [1, 1]);
        assert_eq!(n.pods_with_affinity.len(), 2);
    }

    #[test]
    fn listers_find_objects_by_namespace_and_name() {
        let listers = Listers {
            persistent_volume_claims: vec![
                json!({"metadata": {"name": "data", "namespace": "default"}}),
            ],
            namespaces: vec![json!({"metadata": {"name": "default", "labels": {"team": "a"}}})],
            ..Listers::default()
        };
        assert!(listers.persistent_volume_claim("default", "data").is_some());
        assert!(listers.persistent_volume_claim("other", "data").is_none());
        assert_eq!(
            listers
                .namespace_labels("default")
                .get("team")
                .map(String::as_str),
            Some("a")
        );
        assert!(listers.namespace_labels("missing").is_empty());
    }
}
