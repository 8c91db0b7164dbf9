//! InterPodAffinity (pkg/scheduler/framework/plugins/interpodaffinity): the pod's required pod
//! affinity and anti-affinity, and the required anti-affinity of pods already placed, filter
//! nodes by topology domain; preferred terms (both ways) and existing pods' required affinity
//! (hardPodAffinityWeight 1) score them (weight 2).

use crate::unstructured::JsonPointer;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::label_selector::Selector;
use crate::apiserver::selectors::labels_of;
use crate::scheduler::framework::{
    Cycle, FilterPlugin, Listers, Namespaces, NodeInfo, PodInfo, PodSelector, ScorePlugin, Status,
};
use crate::unstructured::str_at;

pub struct InterPodAffinity;

pub const NAME: &str = "InterPodAffinity";
/// ErrReasonAffinityRulesNotMatch (filtering.go).
pub const REASON_AFFINITY: &str = "node(s) didn't match pod affinity rules";
/// ErrReasonAntiAffinityRulesNotMatch.
pub const REASON_ANTI_AFFINITY: &str = "node(s) didn't match pod anti-affinity rules";
/// ErrReasonExistingAntiAffinityRulesNotMatch.
pub const REASON_EXISTING_ANTI_AFFINITY: &str =
    "node(s) didn't satisfy existing pods anti-affinity rules";

/// HardPodAffinityWeight's default (InterPodAffinityArgs).
const HARD_POD_AFFINITY_WEIGHT: i64 = 1;
const MAX_NODE_SCORE: i64 = 100;

type Labels = BTreeMap<String, String>;
type TopologyCounts = BTreeMap<(String, String), i64>;

/// framework.AffinityTerm: the namespaces (the owning pod's own when neither `namespaces` nor
/// `namespaceSelector` is given), the namespace selector, the pod selector and the topology key.
#[derive(Debug, Clone, PartialEq)]
pub struct AffinityTerm {
    namespaces: BTreeSet<String>,
    namespace_selector: Selector,
    selector: Selector,
    topology_key: String,
}

impl AffinityTerm {
    fn new(owner: &Value, term: &Value) -> Self {
        let mut namespaces: BTreeSet<String> = term
            .get("namespaces")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        let ns_selector = term.get("namespaceSelector").filter(|s| !s.is_null());
        if namespaces.is_empty() && ns_selector.is_none() {
            namespaces.insert(str_at(owner, "/metadata/namespace").to_string());
        }
        AffinityTerm {
            namespaces,
            namespace_selector: Selector::from_label_selector(ns_selector),
            selector: Selector::from_label_selector(term.get("labelSelector")),
            topology_key: str_at(term, "/topologyKey").to_string(),
        }
    }

    /// AffinityTerm.Matches: the pod is in one of the namespaces (or its namespace's labels
    /// match the namespace selector) and its labels match the selector.
    fn matches(&self, pod: &PodInfo, ns_labels: &Labels) -> bool {
        let in_namespace =
            self.namespaces.contains(&pod.namespace) || self.namespace_selector.matches(ns_labels);
        in_namespace && self.selector.matches(&pod.labels)
    }

    /// The clause of [`PodSelector`] that matches the pods `matches` does when every pod is
    /// matched with empty namespace labels (as this plugin matches a term against the existing
    /// pods): the namespace selector then accepts every namespace or none.
    fn clause(&self) -> (Namespaces, Selector) {
        let namespaces = if self.namespace_selector.matches(&Labels::new()) {
            Namespaces::Any
        } else {
            Namespaces::Only(self.namespaces.clone())
        };
        (namespaces, self.selector.clone())
    }

    /// The existing pods `matches` accepts with empty namespace labels.
    fn counted_pods(&self) -> PodSelector {
        PodSelector::new(vec![self.clause()], false)
    }

    /// mergeAffinityTermNamespacesIfNotEmpty: the namespaces the selector picks become explicit
    /// and the selector then selects nothing (an empty selector, all namespaces, is kept).
    fn merge_namespaces(&mut self, listers: Option<&Listers>) {
        if self.namespace_selector.is_empty() {
            return;
        }
        for ns in listers.map(|l| l.namespaces.as_slice()).unwrap_or_default() {
            if self.namespace_selector.matches(&labels_of(ns)) {
                self.namespaces
                    .insert(str_at(ns, "/metadata/name").to_string());
            }
        }
        self.namespace_selector = Selector::Nothing;
    }
}

fn raw_terms<'a>(pod: &'a Value, kind: &str, mode: &str) -> impl Iterator<Item = &'a Value> {
    pod.at(&format!(
        "/spec/affinity/{kind}/{mode}DuringSchedulingIgnoredDuringExecution"
    ))
    .and_then(Value::as_array)
    .into_iter()
    .flatten()
}

/// A pod's affinity terms parsed (framework.PodInfo's RequiredAffinityTerms,
/// RequiredAntiAffinityTerms, PreferredAffinityTerms and PreferredAntiAffinityTerms), kept with
/// each placed pod so that a cycle does not parse every placed pod's terms again.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodTerms {
    pub required_affinity: Vec<AffinityTerm>,
    pub required_anti_affinity: Vec<AffinityTerm>,
    pub preferred_affinity: Vec<(i64, AffinityTerm)>,
    pub preferred_anti_affinity: Vec<(i64, AffinityTerm)>,
}

impl PodTerms {
    pub fn of(pod: &Value) -> Self {
        PodTerms {
            required_affinity: required_terms(pod, "podAffinity"),
            required_anti_affinity: required_terms(pod, "podAntiAffinity"),
            preferred_affinity: preferred_terms(pod, "podAffinity"),
            preferred_anti_affinity: preferred_terms(pod, "podAntiAffinity"),
        }
    }
}

fn required_terms(pod: &Value, kind: &str) -> Vec<AffinityTerm> {
    raw_terms(pod, kind, "required")
        .map(|t| AffinityTerm::new(pod, t))
        .collect()
}

fn preferred_terms(pod: &Value, kind: &str) -> Vec<(i64, AffinityTerm)> {
    raw_terms(pod, kind, "preferred")
        .map(|w| {
            let term = w.get("podAffinityTerm").unwrap_or(&Value::Null);
            let weight = w.get("weight").and_then(Value::as_i64).unwrap_or(0);
            (weight, AffinityTerm::new(pod, term))
        })
        .collect()
}

fn merged(mut terms: Vec<AffinityTerm>, listers: Option<&Listers>) -> Vec<AffinityTerm> {
    terms.iter_mut().for_each(|t| t.merge_namespaces(listers));
    terms
}

fn ns_labels_of(pod: &Value, listers: Option<&Listers>) -> Labels {
    listers
        .map(|l| l.namespace_labels(str_at(pod, "/metadata/namespace")))
        .unwrap_or_default()
}

/// podMatchesAllAffinityTerms: false for no terms.
fn matches_all(terms: &[AffinityTerm], pod: &PodInfo) -> bool {
    !terms.is_empty() && terms.iter().all(|t| t.matches(pod, &Labels::new()))
}

fn count_pair(counts: &mut TopologyCounts, node: &Labels, key: &str, by: i64) {
    if let Some(value) = node.get(key) {
        *counts.entry((key.to_string(), value.clone())).or_insert(0) += by;
    }
}

/// preFilterState: topology pairs counted over every node of the cycle.
struct FilterState {
    affinity_terms: Vec<AffinityTerm>,
    anti_affinity_terms: Vec<AffinityTerm>,
    pod: PodInfo,
    existing_anti: TopologyCounts,
    affinity: TopologyCounts,
    anti_affinity: TopologyCounts,
}

fn filter_state(pod: &PodInfo, cycle: &Cycle) -> FilterState {
    let affinity_terms = merged(required_terms(pod, "podAffinity"), cycle.listers);
    let anti_affinity_terms = merged(required_terms(pod, "podAntiAffinity"), cycle.listers);
    let ns_labels = ns_labels_of(pod, cycle.listers);
    let (mut existing_anti, mut affinity, mut anti_affinity) = (
        TopologyCounts::new(),
        TopologyCounts::new(),
        TopologyCounts::new(),
    );
    // The existing pods matching all the affinity terms, and those matching each anti-affinity
    // term, counted per node (NodeInfo::count_matching) rather than pod by pod.
    let all_affinity = (!affinity_terms.is_empty()).then(|| {
        PodSelector::new(
            affinity_terms.iter().map(AffinityTerm::clause).collect(),
            false,
        )
    });
    let each_anti: Vec<PodSelector> = anti_affinity_terms
        .iter()
        .map(AffinityTerm::counted_pods)
        .collect();
    for n in cycle.nodes {
        let node_labels = &n.labels;
        // Only the pods with affinity terms have any to match, each set of terms once.
        if !n.pods_with_required_anti_affinity.is_empty() {
            for (terms, pods) in &n.affinity_term_sets {
                for t in terms.required_anti_affinity.iter() {
                    if t.matches(pod, &ns_labels) {
                        count_pair(&mut existing_anti, node_labels, &t.topology_key, *pods);
                    }
                }
            }
        }
        if let Some(selector) = &all_affinity {
            let matching = n.count_matching(selector);
            if matching > 0 {
                for t in &affinity_terms {
                    count_pair(&mut affinity, node_labels, &t.topology_key, matching);
                }
            }
        }
        for (t, selector) in anti_affinity_terms.iter().zip(&each_anti) {
            let matching = n.count_matching(selector);
            if matching > 0 {
                count_pair(&mut anti_affinity, node_labels, &t.topology_key, matching);
            }
        }
    }
    FilterState {
        affinity_terms,
        anti_affinity_terms,
        pod: pod.clone(),
        existing_anti,
        affinity,
        anti_affinity,
    }
}

/// satisfyPodAffinity: every term's key on the node and a matching pod in the node's domain;
/// or, when no pod anywhere matches, the pod matching its own terms (the first of a group).
fn satisfies_affinity(state: &FilterState, node: &Labels) -> bool {
    let mut pods_exist = true;
    for t in &state.affinity_terms {
        let Some(value) = node.get(&t.topology_key) else {
            return false;
        };
        let pair = (t.topology_key.clone(), value.clone());
        if state.affinity.get(&pair).copied().unwrap_or(0) <= 0 {
            pods_exist = false;
        }
    }
    pods_exist || (state.affinity.is_empty() && matches_all(&state.affinity_terms, &state.pod))
}

/// satisfyPodAntiAffinity: no pod matching an anti-affinity term in the node's domain.
fn satisfies_anti_affinity(state: &FilterState, node: &Labels) -> bool {
    state.anti_affinity_terms.iter().all(|t| {
        node.get(&t.topology_key).is_none_or(|value| {
            let pair = (t.topology_key.clone(), value.clone());
            state.anti_affinity.get(&pair).copied().unwrap_or(0) <= 0
        })
    })
}

/// satisfyExistingPodsAntiAffinity: no label pair of the node is a domain an existing pod's
/// anti-affinity term closes to this pod.
fn satisfies_existing_anti_affinity(state: &FilterState, node: &Labels) -> bool {
    node.iter().all(|(k, v)| {
        state
            .existing_anti
            .get(&(k.clone(), v.clone()))
            .copied()
            .unwrap_or(0)
            <= 0
    })
}

fn filter_node(pod: &PodInfo, node: &NodeInfo, cycle: &Cycle) -> Status {
    let state = cycle.memo("InterPodAffinity/PreFilter", || filter_state(pod, cycle));
    if state.affinity_terms.is_empty()
        && state.anti_affinity_terms.is_empty()
        && state.existing_anti.is_empty()
    {
        return Status::success(NAME);
    }
    let labels = &node.labels;
    if !satisfies_affinity(&state, labels) {
        return Status::unresolvable(NAME, REASON_AFFINITY);
    }
    if !satisfies_anti_affinity(&state, labels) {
        return Status::unschedulable(NAME, REASON_ANTI_AFFINITY);
    }
    if !satisfies_existing_anti_affinity(&state, labels) {
        return Status::unschedulable(NAME, REASON_EXISTING_ANTI_AFFINITY);
    }
    Status::success(NAME)
}

/// scoreMap: topology key -> value -> summed weight.
type ScoreMap = BTreeMap<String, BTreeMap<String, i64>>;

/// processTerm: add `weight * sign` to the existing pod's node's domain when the term matches.
fn process_term(
    map: &mut ScoreMap,
    term: &AffinityTerm,
    weight: i64,
    target: &PodInfo,
    ns_labels: &Labels,
    node: &Labels,
) {
    if term.matches(target, ns_labels) {
        add_to_domain(map, term, weight, node);
    }
}

/// Add `weight` to the node's domain of the term's topology key (if the node has the key).
fn add_to_domain(map: &mut ScoreMap, term: &AffinityTerm, weight: i64, node: &Labels) {
    if let Some(value) = node.get(&term.topology_key) {
        *map.entry(term.topology_key.clone())
            .or_default()
            .entry(value.clone())
            .or_insert(0) += weight;
    }
}

/// PreScore: the topology score map built from every (relevant) existing pod.
fn score_map(pod: &PodInfo, cycle: &Cycle) -> ScoreMap {
    let mut pref_affinity = preferred_terms(pod, "podAffinity");
    let mut pref_anti = preferred_terms(pod, "podAntiAffinity");
    let has_constraints = !pref_affinity.is_empty() || !pref_anti.is_empty();
    pref_affinity
        .iter_mut()
        .chain(pref_anti.iter_mut())
        .for_each(|(_, t)| t.merge_namespaces(cycle.listers));
    let ns_labels = ns_labels_of(pod, cycle.listers);
    // The pod's preferred terms, each with the existing pods it matches (counted per node): a
    // term adds its weight once per matching pod.
    let own: Vec<(i64, &AffinityTerm, PodSelector)> = pref_affinity
        .iter()
        .map(|(w, t)| (*w, t))
        .chain(pref_anti.iter().map(|(w, t)| (-*w, t)))
        .map(|(w, t)| (w, t, t.counted_pods()))
        .collect();
    let mut map = ScoreMap::new();
    for n in cycle.nodes {
        if !has_constraints && n.pods_with_affinity.is_empty() {
            continue;
        }
        let node = &n.labels;
        if node.is_empty() {
            continue;
        }
        for (w, t, selector) in &own {
            let matching = n.count_matching(selector);
            if matching > 0 {
                add_to_domain(&mut map, t, w * matching, node);
            }
        }
        // Only the pods with affinity terms have any that can match the pod: each set of terms
        // adds its weights once per pod that has it.
        for (terms, pods) in &n.affinity_term_sets {
            for t in &terms.required_affinity {
                let weight = HARD_POD_AFFINITY_WEIGHT * pods;
                process_term(&mut map, t, weight, pod, &ns_labels, node);
            }
            for (w, t) in &terms.preferred_affinity {
                process_term(&mut map, t, w * pods, pod, &ns_labels, node);
            }
            for (w, t) in &terms.preferred_anti_affinity {
                process_term(&mut map, t, -w * pods, pod, &ns_labels, node);
            }
        }
    }
    map
}

/// NormalizeScore: `100 * (s - min) / (max - min)` truncated, 0 for all when every score is
/// equal.
fn normalize_scores(scores: &mut [i64]) {
    let min = scores.iter().copied().min().unwrap_or(0);
    let max = scores.iter().copied().max().unwrap_or(0);
    let diff = max - min;
    for s in scores.iter_mut() {
        *s = if diff > 0 {
            (MAX_NODE_SCORE as f64 * ((*s - min) as f64 / diff as f64)) as i64
        } else {
            0
        };
    }
}

impl FilterPlugin for InterPodAffinity {
    fn name(&self) -> &'static str {
        NAME
    }

    /// Without the cycle the other nodes' pods are unknown: the node passes.
    fn filter(&self, _pod: &PodInfo, _node: &NodeInfo) -> Status {
        Status::success(NAME)
    }

    fn filter_in(&self, pod: &PodInfo, node: &NodeInfo, cycle: &Cycle) -> Status {
        filter_node(pod, node, cycle)
    }
}

impl ScorePlugin for InterPodAffinity {
    fn name(&self) -> &'static str {
        NAME
    }

    fn weight(&self) -> i64 {
        2
    }

    /// Without the cycle nothing is scored.
    fn score(&self, _pod: &PodInfo, _node: &NodeInfo) -> i64 {
        0
    }

    fn score_all(&self, pod: &PodInfo, feasible: &[&NodeInfo], cycle: &Cycle) -> Vec<i64> {
        let map = score_map(pod, cycle);
        if map.is_empty() {
            return vec![0; feasible.len()];
        }
        feasible
            .iter()
            .map(|n| {
                let labels = &n.labels;
                map.iter()
                    .filter_map(|(k, values)| labels.get(k).and_then(|v| values.get(v)))
                    .sum()
            })
            .collect()
    }

    fn normalize_in(&self, _pod: &PodInfo, _f: &[&NodeInfo], _cycle: &Cycle, scores: &mut [i64]) {
        normalize_scores(scores);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::framework::test_pod_info as info;
    use crate::scheduler::framework::Code;
    use serde_json::json;

    const ZONE: &str = "topology.kubernetes.io/zone";
    const HOST: &str = "kubernetes.io/hostname";

    fn node(name: &str, zone: &str) -> Value {
        json!({"metadata": {"name": name, "labels": {HOST: name, ZONE: zone}}})
    }

    fn pod(name: &str, ns: &str, app: &str) -> Value {
        json!({"metadata": {"name": name, "namespace": ns, "labels": {"app": app}}, "spec": {}})
    }

    fn term(app: &str, key: &str) -> Value {
        json!({"labelSelector": {"matchLabels": {"app": app}}, "topologyKey": key})
    }

    fn with(mut p: Value, kind: &str, mode: &str, terms: Value) -> Value {
        p["spec"]["affinity"][kind][format!("{mode}DuringSchedulingIgnoredDuringExecution")] =
            terms;
        p
    }

    /// node-1 (zone a) runs db; node-2 (zone a) and node-3 (zone b) run nothing.
    fn cluster(db: Value) -> Vec<NodeInfo> {
        vec![
            NodeInfo::new(node("node-1", "a"), vec![db]),
            NodeInfo::new(node("node-2", "a"), vec![]),
            NodeInfo::new(node("node-3", "b"), vec![]),
        ]
    }

    #[test]
    fn required_affinity_needs_a_matching_pod_in_the_domain() {
        let nodes = cluster(pod("db", "default", "db"));
        let cycle = Cycle::new(&nodes, None);
        let p = with(
            pod("web", "default", "web"),
            "podAffinity",
            "required",
            json!([term("db", ZONE)]),
        );
        assert!(InterPodAffinity
            .filter_in(&info(&p), &nodes[1], &cycle)
            .is_success());
        let s = InterPodAffinity.filter_in(&info(&p), &nodes[2], &cycle);
        assert_eq!(s.code, Code::UnschedulableAndUnresolvable);
        assert_eq!(s.reasons, vec![REASON_AFFINITY]);
    }

    #[test]
    fn affinity_terms_match_the_pods_namespace_by_default() {
        let nodes = cluster(pod("db", "other", "db"));
        let cycle = Cycle::new(&nodes, None);
        let p = with(
            pod("web", "default", "web"),
            "podAffinity",
            "required",
            json!([term("db", ZONE)]),
        );
        assert!(!InterPodAffinity
            .filter_in(&info(&p), &nodes[0], &cycle)
            .is_success());
        let mut t = term("db", ZONE);
        t["namespaceSelector"] = json!({"matchLabels": {"team": "data"}});
        let p = with(
            pod("web", "default", "web"),
            "podAffinity",
            "required",
            json!([t]),
        );
        let listers = Listers {
            namespaces: vec![json!({"metadata": {"name": "other", "labels": {"team": "data"}}})],
            ..Listers::default()
        };
        let cycle = Cycle::new(&nodes, Some(&listers));
        assert!(InterPodAffinity
            .filter_in(&info(&p), &nodes[0], &cycle)
            .is_success());
    }

    #[test]
    fn several_required_affinity_terms_must_match_the_same_pod() {
        let p = with(
            pod("web", "default", "web"),
            "podAffinity",
            "required",
            json!([term("db", ZONE), {"labelSelector": {"matchLabels": {"tier": "data"}},
                "topologyKey": ZONE}]),
        );
        // db lacks tier=data: no pod matches both terms, and web matches neither itself.
        let nodes = cluster(pod("db", "default", "db"));
        let cycle = Cycle::new(&nodes, None);
        let s = InterPodAffinity.filter_in(&info(&p), &nodes[1], &cycle);
        assert_eq!(s.code, Code::UnschedulableAndUnresolvable);
        let mut db = pod("db", "default", "db");
        db["metadata"]["labels"]["tier"] = json!("data");
        let nodes = cluster(db);
        let cycle = Cycle::new(&nodes, None);
        assert!(InterPodAffinity
            .filter_in(&info(&p), &nodes[1], &cycle)
            .is_success());
        assert!(!InterPodAffinity
            .filter_in(&info(&p), &nodes[2], &cycle)
            .is_success());
    }

    #[test]
    fn preferred_terms_add_their_weight_once_per_matching_pod() {
        let nodes = vec![
            NodeInfo::new(
                node("node-1", "a"),
                vec![pod("db1", "default", "db"), pod("db2", "default", "db")],
            ),
            NodeInfo::new(node("node-2", "b"), vec![pod("db3", "other", "db")]),
        ];
        let cycle = Cycle::new(&nodes, None);
        let p = with(
            pod("web", "default", "web"),
            "podAntiAffinity",
            "preferred",
            json!([{"weight": 10, "podAffinityTerm": term("db", HOST)}]),
        );
        let raw = InterPodAffinity.score_all(&info(&p), &nodes.iter().collect::<Vec<_>>(), &cycle);
        // Two db pods of the pod's namespace on node-1; node-2's is in another namespace.
        assert_eq!(raw, vec![-20, 0]);
    }

    #[test]
    fn existing_pods_with_the_same_terms_each_add_their_weight() {
        let db = |name: &str| {
            with(
                pod(name, "default", "db"),
                "podAntiAffinity",
                "preferred",
                json!([{"weight": 5, "podAffinityTerm": term("web", HOST)}]),
            )
        };
        let nodes = vec![
            NodeInfo::new(node("node-1", "a"), vec![db("db1"), db("db2")]),
            NodeInfo::new(node("node-2", "a"), vec![db("db3")]),
        ];
        let cycle = Cycle::new(&nodes, None);
        let p = pod("web", "default", "web");
        let raw = InterPodAffinity.score_all(&info(&p), &nodes.iter().collect::<Vec<_>>(), &cycle);
        assert_eq!(raw, vec![-10, -5]);
    }

    #[test]
    fn the_first_pod_of_a_self_affine_group_may_go_anywhere() {
        let nodes = cluster(pod("db", "default", "db"));
        let cycle = Cycle::new(&nodes, None);
        let p = with(
            pod("web", "default", "web"),
            "podAffinity",
            "required",
            json!([term("web", ZONE)]),
        );
        assert!(InterPodAffinity
            .filter_in(&info(&p), &nodes[2], &cycle)
            .is_success());
    }

    #[test]
    fn required_anti_affinity_rejects_the_whole_domain() {
        let nodes = cluster(pod("db", "default", "db"));
        let cycle = Cycle::new(&nodes, None);
        let p = with(
            pod("web", "default", "web"),
            "podAntiAffinity",
            "required",
            json!([term("db", ZONE)]),
        );
        let s = InterPodAffinity.filter_in(&info(&p), &nodes[1], &cycle);
        assert_eq!(s.code, Code::Unschedulable);
        assert_eq!(s.reasons, vec![REASON_ANTI_AFFINITY]);
        assert!(InterPodAffinity
            .filter_in(&info(&p), &nodes[2], &cycle)
            .is_success());
    }

    #[test]
    fn an_existing_pods_anti_affinity_keeps_the_pod_out() {
        let db = with(
            pod("db", "default", "db"),
            "podAntiAffinity",
            "required",
            json!([term("web", HOST)]),
        );
        let nodes = cluster(db);
        let cycle = Cycle::new(&nodes, None);
        let p = pod("web", "default", "web");
        let s = InterPodAffinity.filter_in(&info(&p), &nodes[0], &cycle);
        assert_eq!(s.code, Code::Unschedulable);
        assert_eq!(s.reasons, vec![REASON_EXISTING_ANTI_AFFINITY]);
        assert!(InterPodAffinity
            .filter_in(&info(&p), &nodes[1], &cycle)
            .is_success());
    }

    #[test]
    fn preferred_terms_score_by_weight_and_normalize_min_max() {
        let nodes = cluster(pod("db", "default", "db"));
        let cycle = Cycle::new(&nodes, None);
        let p = with(
            pod("web", "default", "web"),
            "podAffinity",
            "preferred",
            json!([{"weight": 80, "podAffinityTerm": term("db", ZONE)}]),
        );
        let mut raw =
            InterPodAffinity.score_all(&info(&p), &nodes.iter().collect::<Vec<_>>(), &cycle);
        // db sits in zone a: nodes 1 and 2 get +80, node-3 0.
        assert_eq!(raw, vec![80, 80, 0]);
        InterPodAffinity.normalize_in(
            &info(&p),
            &nodes.iter().collect::<Vec<_>>(),
            &cycle,
            &mut raw,
        );
        // min 0, max 80: 100 * 80 / 80 = 100.
        assert_eq!(raw, vec![100, 100, 0]);
    }

    #[test]
    fn existing_required_affinity_adds_the_hard_weight_and_preferred_anti_subtracts() {
        let db = with(
            pod("db", "default", "db"),
            "podAffinity",
            "required",
            json!([term("web", HOST)]),
        );
        let nodes = cluster(db);
        let cycle = Cycle::new(&nodes, None);
        let p = with(
            pod("web", "default", "web"),
            "podAntiAffinity",
            "preferred",
            json!([{"weight": 10, "podAffinityTerm": term("db", ZONE)}]),
        );
        let mut raw =
            InterPodAffinity.score_all(&info(&p), &nodes.iter().collect::<Vec<_>>(), &cycle);
        // node-1: +1 (db's required affinity, hostname) - 10 (zone a); node-2: -10; node-3: 0.
        assert_eq!(raw, vec![-9, -10, 0]);
        InterPodAffinity.normalize_in(
            &info(&p),
            &nodes.iter().collect::<Vec<_>>(),
            &cycle,
            &mut raw,
        );
        // min -10, max 0: node-1 100 * 1 / 10 = 10; node-2 0; node-3 100.
        assert_eq!(raw, vec![10, 0, 100]);
    }
}
