//! PodTopologySpread (pkg/scheduler/framework/plugins/podtopologyspread): a pod's
//! `topologySpreadConstraints` with `whenUnsatisfiable: DoNotSchedule` filter nodes by skew;
//! `ScheduleAnyway` ones, or the system default constraints for a pod of a Service, ReplicaSet,
//! StatefulSet or ReplicationController, score them (weight 2).

use crate::unstructured::JsonPointer;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::label_selector::Selector;
use super::node_affinity::required_matches_info;
use super::taint_toleration::tolerates_taint;
use crate::apiserver::selectors::labels_of;
use crate::scheduler::framework::{
    Cycle, FilterPlugin, Listers, Namespaces, NodeInfo, PodInfo, PodSelector, ScorePlugin, Status,
};
use crate::unstructured::str_at;

pub struct PodTopologySpread;

pub const NAME: &str = "PodTopologySpread";
/// ErrReasonConstraintsNotMatch (plugin.go).
pub const REASON_CONSTRAINTS_NOT_MATCH: &str =
    "node(s) didn't match pod topology spread constraints";
/// ErrReasonNodeLabelNotMatch (plugin.go).
pub const REASON_NODE_LABEL_NOT_MATCH: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";

const HOSTNAME: &str = "kubernetes.io/hostname";
const ZONE: &str = "topology.kubernetes.io/zone";
const MAX_NODE_SCORE: i64 = 100;

/// systemDefaultConstraints (plugin.go): hostname maxSkew 3, zone maxSkew 5, both ScheduleAnyway.
const SYSTEM_DEFAULTS: [(&str, i64); 2] = [(HOSTNAME, 3), (ZONE, 5)];

/// topologySpreadConstraint (common.go): a constraint with its selector parsed and its
/// defaults applied (minDomains 1, nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore).
#[derive(Debug, Clone)]
struct Constraint {
    max_skew: i64,
    topology_key: String,
    selector: Selector,
    min_domains: i64,
    honor_node_affinity: bool,
    honor_taints: bool,
}

impl Constraint {
    /// matchNodeInclusionPolicies: whether the node's pods count for this constraint.
    fn includes(&self, pod: &PodInfo, node: &NodeInfo) -> bool {
        if self.honor_node_affinity && !required_matches_info(pod, node) {
            return false;
        }
        if self.honor_taints && has_untolerated_hard_taint(pod, node) {
            return false;
        }
        true
    }
}

/// FindMatchingUntoleratedTaint with DoNotScheduleTaintsFilterFunc (NoSchedule, NoExecute).
fn has_untolerated_hard_taint(pod: &PodInfo, node: &NodeInfo) -> bool {
    node.taints.iter().any(|t| {
        matches!(t.effect.as_str(), "NoSchedule" | "NoExecute") && !tolerates_taint(pod, t)
    })
}

fn pod_constraints(pod: &Value) -> Vec<Value> {
    pod.at("/spec/topologySpreadConstraints")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// filterTopologySpreadConstraints: the pod's constraints for one `whenUnsatisfiable` action,
/// with matchLabelKeys merged into the selector.
fn filter_constraints(pod: &Value, action: &str) -> Vec<Constraint> {
    let pod_labels = labels_of(pod);
    pod_constraints(pod)
        .iter()
        .filter(|c| str_at(c, "/whenUnsatisfiable") == action)
        .map(|c| {
            let mut selector = Selector::from_label_selector(c.get("labelSelector"));
            let match_labels: BTreeMap<String, String> = c
                .get("matchLabelKeys")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .filter_map(|k| pod_labels.get(k).map(|v| (k.to_string(), v.clone())))
                .collect();
            if !match_labels.is_empty() {
                let mut merged = Selector::from_set(&match_labels);
                if let Some(reqs) = selector.requirements() {
                    merged.add(reqs.to_vec());
                }
                selector = merged;
            }
            Constraint {
                max_skew: c.get("maxSkew").and_then(Value::as_i64).unwrap_or(1),
                topology_key: str_at(c, "/topologyKey").to_string(),
                selector,
                min_domains: c.get("minDomains").and_then(Value::as_i64).unwrap_or(1),
                honor_node_affinity: str_at(c, "/nodeAffinityPolicy") != "Ignore",
                honor_taints: str_at(c, "/nodeTaintsPolicy") == "Honor",
            }
        })
        .collect()
}

fn controller_of(pod: &Value) -> Option<&Value> {
    pod.at("/metadata/ownerReferences")
        .and_then(Value::as_array)?
        .iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
}

/// helper.DefaultSelector: the merged selectors of the Services selecting the pod, plus its
/// controlling ReplicationController's, ReplicaSet's or StatefulSet's selector.
fn default_selector(pod: &Value, listers: &Listers) -> Selector {
    let ns = str_at(pod, "/metadata/namespace");
    let pod_labels = labels_of(pod);
    let mut set: BTreeMap<String, String> = BTreeMap::new();
    for svc in Listers::in_namespace(&listers.services, ns) {
        let Some(sel) = svc.at("/spec/selector").and_then(Value::as_object) else {
            continue;
        };
        let sel: BTreeMap<String, String> = sel
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect();
        if Selector::from_set(&sel).matches(&pod_labels) {
            set.extend(sel);
        }
    }
    let mut selector = Selector::from_set(&set);
    let Some(owner) = controller_of(pod) else {
        return selector;
    };
    let name = str_at(owner, "/name");
    let find = |list: &[Value]| {
        Listers::in_namespace(list, ns)
            .find(|o| str_at(o, "/metadata/name") == name)
            .cloned()
    };
    match (str_at(owner, "/apiVersion"), str_at(owner, "/kind")) {
        ("v1", "ReplicationController") => {
            if let Some(rc) = find(&listers.replication_controllers) {
                if let Some(sel) = rc.at("/spec/selector").and_then(Value::as_object) {
                    for (k, v) in sel {
                        set.insert(k.clone(), v.as_str().unwrap_or_default().to_string());
                    }
                }
                selector = Selector::from_set(&set);
            }
        }
        ("apps/v1", "ReplicaSet") | ("apps/v1", "StatefulSet") => {
            let list = if str_at(owner, "/kind") == "ReplicaSet" {
                &listers.replica_sets
            } else {
                &listers.stateful_sets
            };
            if let Some(obj) = find(list) {
                let other = Selector::from_label_selector(obj.at("/spec/selector"));
                if let Some(reqs) = other.requirements() {
                    selector.add(reqs.to_vec());
                }
            }
        }
        _ => {}
    }
    selector
}

/// buildDefaultConstraints: the system defaults (ScheduleAnyway only) with the default selector.
fn default_constraints(pod: &Value, action: &str, listers: Option<&Listers>) -> Vec<Constraint> {
    let Some(listers) = listers else {
        return Vec::new();
    };
    if action != "ScheduleAnyway" {
        return Vec::new();
    }
    let selector = default_selector(pod, listers);
    if selector.is_empty() {
        return Vec::new();
    }
    SYSTEM_DEFAULTS
        .iter()
        .map(|(key, skew)| Constraint {
            max_skew: *skew,
            topology_key: key.to_string(),
            selector: selector.clone(),
            min_domains: 1,
            honor_node_affinity: true,
            honor_taints: false,
        })
        .collect()
}

/// getConstraints / initPreScoreState: the pod's own constraints for the action, else the
/// defaults.
fn constraints(pod: &Value, action: &str, listers: Option<&Listers>) -> Vec<Constraint> {
    if pod_constraints(pod).is_empty() {
        default_constraints(pod, action, listers)
    } else {
        filter_constraints(pod, action)
    }
}

fn has_all_keys(labels: &BTreeMap<String, String>, constraints: &[Constraint]) -> bool {
    constraints
        .iter()
        .all(|c| labels.contains_key(&c.topology_key))
}

/// countPodsMatchSelector's pods for each constraint: of the namespace, not terminating, that
/// the constraint's selector matches (counted per node by [`NodeInfo::count_matching`]).
fn counted_pods(constraints: &[Constraint], namespace: &str) -> Vec<PodSelector> {
    constraints
        .iter()
        .map(|c| PodSelector::new(vec![(Namespaces::one(namespace), c.selector.clone())], true))
        .collect()
}

/// calPreFilterState: per constraint, the matching pods per topology value over the nodes that
/// have every topology key and pass the inclusion policies.
fn domain_counts(
    pod: &PodInfo,
    constraints: &[Constraint],
    nodes: &[NodeInfo],
) -> Vec<BTreeMap<String, i64>> {
    let counted = counted_pods(constraints, &pod.namespace);
    let mut counts = vec![BTreeMap::new(); constraints.len()];
    for n in nodes {
        if !has_all_keys(&n.labels, constraints) {
            continue;
        }
        let labels = &n.labels;
        for ((c, selector), domains) in constraints.iter().zip(&counted).zip(counts.iter_mut()) {
            if !c.includes(pod, n) {
                continue;
            }
            let value = labels.get(&c.topology_key).cloned().unwrap_or_default();
            *domains.entry(value).or_insert(0) += n.count_matching(selector);
        }
    }
    counts
}

/// PreFilter state (preFilterState): the DoNotSchedule constraints, their domain counts and
/// each constraint's global minimum (what the real state keeps as TpKeyToCriticalPaths), so
/// that Filter does not look for the minimum again on every node.
struct FilterState {
    constraints: Vec<Constraint>,
    counts: Vec<BTreeMap<String, i64>>,
    global_min: Vec<i64>,
}

/// minMatchNum: the fewest matching pods in any domain, 0 while fewer than minDomains domains
/// exist.
fn global_min(c: &Constraint, domains: &BTreeMap<String, i64>) -> i64 {
    if (domains.len() as i64) < c.min_domains {
        return 0;
    }
    domains
        .values()
        .copied()
        .min()
        .unwrap_or(i64::from(i32::MAX))
}

fn filter_state(pod: &PodInfo, all: &[NodeInfo]) -> FilterState {
    let constraints = filter_constraints(pod, "DoNotSchedule");
    let counts = if constraints.is_empty() {
        Vec::new()
    } else {
        domain_counts(pod, &constraints, all)
    };
    let global_min = constraints
        .iter()
        .zip(&counts)
        .map(|(c, domains)| global_min(c, domains))
        .collect();
    FilterState {
        constraints,
        counts,
        global_min,
    }
}

/// The Filter verdict for one node: `matchNum + selfMatch - globalMin <= maxSkew` for every
/// DoNotSchedule constraint, the global minimum being 0 while fewer than minDomains domains exist.
fn filter_node(pod: &PodInfo, node: &NodeInfo, state: &FilterState) -> Status {
    if state.constraints.is_empty() {
        return Status::success(NAME);
    }
    let node_labels = &node.labels;
    let pod_labels = &pod.labels;
    let constraints = state.constraints.iter().zip(&state.counts);
    for ((c, domains), &min) in constraints.zip(&state.global_min) {
        let Some(value) = node_labels.get(&c.topology_key) else {
            return Status::unresolvable(NAME, REASON_NODE_LABEL_NOT_MATCH);
        };
        let self_match = i64::from(c.selector.matches(pod_labels));
        let match_num = domains.get(value).copied().unwrap_or(0);
        if match_num + self_match - min > c.max_skew {
            return Status::unschedulable(NAME, REASON_CONSTRAINTS_NOT_MATCH);
        }
    }
    Status::success(NAME)
}

/// preScoreState: the soft constraints, the feasible nodes ignored for lacking a key, the pod
/// counts per topology value and each constraint's weight ln(domains + 2).
struct ScoreState {
    constraints: Vec<Constraint>,
    /// The pods each constraint counts.
    counted: Vec<PodSelector>,
    ignored: BTreeSet<String>,
    counts: Vec<BTreeMap<String, i64>>,
    weights: Vec<f64>,
}

/// PreScore (initPreScoreState plus the count over all nodes).
fn score_state(pod: &PodInfo, feasible: &[&NodeInfo], cycle: &Cycle) -> ScoreState {
    let constraints = constraints(pod, "ScheduleAnyway", cycle.listers);
    if constraints.is_empty() {
        return ScoreState {
            constraints,
            counted: Vec::new(),
            ignored: BTreeSet::new(),
            counts: Vec::new(),
            weights: Vec::new(),
        };
    }
    // Only the pod's own constraints require every key; system defaults spread by hostname
    // even where a node has no zone label.
    let require_all = !pod_constraints(pod).is_empty();
    let mut ignored = BTreeSet::new();
    let mut counts = vec![BTreeMap::new(); constraints.len()];
    for n in feasible {
        if require_all && !has_all_keys(&n.labels, &constraints) {
            ignored.insert(n.name.clone());
            continue;
        }
        let labels = &n.labels;
        for (i, c) in constraints.iter().enumerate() {
            if c.topology_key != HOSTNAME {
                let value = labels.get(&c.topology_key).cloned().unwrap_or_default();
                counts[i].entry(value).or_insert(0i64);
            }
        }
    }
    let weights = constraints
        .iter()
        .zip(&counts)
        .map(|(c, domains)| {
            let size = if c.topology_key == HOSTNAME {
                feasible.len().saturating_sub(ignored.len())
            } else {
                domains.len()
            };
            ((size + 2) as f64).ln()
        })
        .collect();
    let counted = counted_pods(&constraints, &pod.namespace);
    for n in cycle.nodes {
        if require_all && !has_all_keys(&n.labels, &constraints) {
            continue;
        }
        let labels = &n.labels;
        for ((c, selector), domains) in constraints.iter().zip(&counted).zip(counts.iter_mut()) {
            if !c.includes(pod, n) {
                continue;
            }
            let value = labels.get(&c.topology_key).cloned().unwrap_or_default();
            if let Some(count) = domains.get_mut(&value) {
                *count += n.count_matching(selector);
            }
        }
    }
    ScoreState {
        constraints,
        counted,
        ignored,
        counts,
        weights,
    }
}

/// Score: sum over the constraints whose key the node has of `count * weight + (maxSkew - 1)`,
/// rounded; the hostname constraint counts the node's own pods.
fn score_node(node: &NodeInfo, state: &ScoreState) -> i64 {
    if state.ignored.contains(&node.name) {
        return 0;
    }
    let labels = &node.labels;
    let mut score = 0f64;
    for (i, c) in state.constraints.iter().enumerate() {
        let Some(value) = labels.get(&c.topology_key) else {
            continue;
        };
        let count = if c.topology_key == HOSTNAME {
            state
                .counted
                .get(i)
                .map_or(0, |selector| node.count_matching(selector))
        } else {
            state.counts[i].get(value).copied().unwrap_or(0)
        };
        let weight = state.weights.get(i).copied().unwrap_or(0.0);
        score += count as f64 * weight + (c.max_skew - 1) as f64;
    }
    score.round() as i64
}

/// NormalizeScore: ignored nodes 0; otherwise `100 * (max + min - s) / max` (fewer matching
/// pods is better), or 100 for all when the largest score is 0.
fn normalize_scores(feasible: &[&NodeInfo], ignored: &BTreeSet<String>, scores: &mut [i64]) {
    let counted = || {
        feasible
            .iter()
            .zip(scores.iter())
            .filter(|(n, _)| !ignored.contains(&n.name))
            .map(|(_, s)| *s)
    };
    let min = counted().min().unwrap_or(i64::MAX);
    let max = counted().max().unwrap_or(0).max(0);
    for (n, s) in feasible.iter().zip(scores.iter_mut()) {
        *s = if ignored.contains(&n.name) {
            0
        } else if max == 0 {
            MAX_NODE_SCORE
        } else {
            MAX_NODE_SCORE.saturating_mul(max.saturating_add(min).saturating_sub(*s)) / max
        };
    }
}

impl FilterPlugin for PodTopologySpread {
    fn name(&self) -> &'static str {
        NAME
    }

    /// Without the cycle's other nodes the skew cannot be known: the node passes.
    fn filter(&self, _pod: &PodInfo, _node: &NodeInfo) -> Status {
        Status::success(NAME)
    }

    fn filter_in(&self, pod: &PodInfo, node: &NodeInfo, cycle: &Cycle) -> Status {
        let state = cycle.memo("PodTopologySpread/PreFilter", || {
            filter_state(pod, cycle.nodes)
        });
        filter_node(pod, node, &state)
    }
}

impl ScorePlugin for PodTopologySpread {
    fn name(&self) -> &'static str {
        NAME
    }

    fn weight(&self) -> i64 {
        2
    }

    /// Without the cycle no constraint is scored (the plugin skips).
    fn score(&self, _pod: &PodInfo, _node: &NodeInfo) -> i64 {
        0
    }

    fn score_all(&self, pod: &PodInfo, feasible: &[&NodeInfo], cycle: &Cycle) -> Vec<i64> {
        if cycle.nodes.is_empty() {
            return vec![0; feasible.len()];
        }
        let state = cycle.memo("PodTopologySpread/PreScore", || {
            score_state(pod, feasible, cycle)
        });
        if state.constraints.is_empty() {
            return vec![0; feasible.len()];
        }
        feasible.iter().map(|n| score_node(n, &state)).collect()
    }

    /// A skipped plugin (no soft constraints) adds nothing: its zeros stay.
    fn normalize_in(
        &self,
        pod: &PodInfo,
        feasible: &[&NodeInfo],
        cycle: &Cycle,
        scores: &mut [i64],
    ) {
        if cycle.nodes.is_empty() {
            return;
        }
        let state = cycle.memo("PodTopologySpread/PreScore", || {
            score_state(pod, feasible, cycle)
        });
        if state.constraints.is_empty() {
            return;
        }
        normalize_scores(feasible, &state.ignored, scores);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::framework::test_pod_info as info;
    use serde_json::json;

    fn node(name: &str, zone: Option<&str>) -> Value {
        let mut labels = json!({"kubernetes.io/hostname": name});
        if let Some(z) = zone {
            labels[ZONE] = json!(z);
        }
        json!({"metadata": {"name": name, "labels": labels}, "status": {"allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"}}})
    }

    fn pod(name: &str, app: &str) -> Value {
        json!({"metadata": {"name": name, "namespace": "default", "labels": {"app": app}}, "spec": {"containers": [{"name": "c"}]}})
    }

    fn spread(mut p: Value, key: &str, skew: i64, when: &str) -> Value {
        p["spec"]["topologySpreadConstraints"] = json!([{
            "maxSkew": skew, "topologyKey": key, "whenUnsatisfiable": when,
            "labelSelector": {"matchLabels": {"app": "web"}}
        }]);
        p
    }

    fn web_pods(n: usize) -> Vec<Value> {
        (0..n).map(|i| pod(&format!("w{i}"), "web")).collect()
    }

    /// zone a: node-1 (2 web pods), zone b: node-2 (0 web pods).
    fn two_zones() -> Vec<NodeInfo> {
        vec![
            NodeInfo::new(node("node-1", Some("a")), web_pods(2)),
            NodeInfo::new(node("node-2", Some("b")), vec![]),
        ]
    }

    #[test]
    fn skew_over_max_is_unschedulable() {
        let nodes = two_zones();
        let cycle = Cycle::new(&nodes, None);
        let p = spread(pod("new", "web"), ZONE, 1, "DoNotSchedule");
        // node-1: 2 + 1 (self) - 0 (min) = 3 > 1.
        let s = PodTopologySpread.filter_in(&info(&p), &nodes[0], &cycle);
        assert_eq!(s.code, crate::scheduler::framework::Code::Unschedulable);
        assert_eq!(s.reasons, vec![REASON_CONSTRAINTS_NOT_MATCH]);
        // node-2: 0 + 1 - 0 = 1 <= 1.
        assert!(PodTopologySpread
            .filter_in(&info(&p), &nodes[1], &cycle)
            .is_success());
    }

    #[test]
    fn terminating_pods_and_other_namespaces_do_not_count() {
        let mut pods = web_pods(1);
        pods.push(pod("gone", "web"));
        pods[1]["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
        pods.push(pod("elsewhere", "web"));
        pods[2]["metadata"]["namespace"] = json!("other");
        let nodes = vec![
            NodeInfo::new(node("node-1", Some("a")), pods),
            NodeInfo::new(node("node-2", Some("b")), vec![]),
        ];
        let cycle = Cycle::new(&nodes, None);
        // Only w0 counts: node-1 gives 1 + 1 - 0 = 2 <= 2.
        let p = spread(pod("new", "web"), ZONE, 2, "DoNotSchedule");
        assert!(PodTopologySpread
            .filter_in(&info(&p), &nodes[0], &cycle)
            .is_success());
        let p = spread(pod("new", "web"), ZONE, 1, "DoNotSchedule");
        assert!(!PodTopologySpread
            .filter_in(&info(&p), &nodes[0], &cycle)
            .is_success());
    }

    #[test]
    fn node_without_the_key_is_unresolvable() {
        let nodes = vec![NodeInfo::new(node("bare", None), vec![])];
        let cycle = Cycle::new(&nodes, None);
        let p = spread(pod("new", "web"), ZONE, 1, "DoNotSchedule");
        let s = PodTopologySpread.filter_in(&info(&p), &nodes[0], &cycle);
        assert_eq!(
            s.code,
            crate::scheduler::framework::Code::UnschedulableAndUnresolvable
        );
        assert_eq!(s.reasons, vec![REASON_NODE_LABEL_NOT_MATCH]);
    }

    #[test]
    fn min_domains_above_the_domain_count_makes_the_minimum_zero() {
        // Both zones hold 1 web pod: min 1, so node-1 gives 1 + 1 - 1 = 1 <= 1; with minDomains 3
        // (only 2 domains) the minimum is 0 and 1 + 1 - 0 = 2 > 1.
        let nodes = vec![
            NodeInfo::new(node("node-1", Some("a")), web_pods(1)),
            NodeInfo::new(node("node-2", Some("b")), web_pods(1)),
        ];
        let cycle = Cycle::new(&nodes, None);
        let mut p = spread(pod("new", "web"), ZONE, 1, "DoNotSchedule");
        assert!(PodTopologySpread
            .filter_in(&info(&p), &nodes[0], &cycle)
            .is_success());
        p["spec"]["topologySpreadConstraints"][0]["minDomains"] = json!(3);
        assert!(!PodTopologySpread
            .filter_in(&info(&p), &nodes[0], &cycle)
            .is_success());
    }

    #[test]
    fn node_affinity_policy_honor_leaves_out_nodes_the_pod_cannot_use() {
        // node-1 (zone a, 2 pods) is excluded by the pod's nodeSelector, so only zone b counts:
        // min 0, node-2 gives 0 + 1 - 0 = 1.
        let nodes = two_zones();
        let cycle = Cycle::new(&nodes, None);
        let mut p = spread(pod("new", "web"), ZONE, 1, "DoNotSchedule");
        p["spec"]["nodeSelector"] = json!({ZONE: "b"});
        assert!(PodTopologySpread
            .filter_in(&info(&p), &nodes[1], &cycle)
            .is_success());
    }

    #[test]
    fn schedule_anyway_scores_the_emptier_zone_higher() {
        let nodes = two_zones();
        let cycle = Cycle::new(&nodes, None);
        let p = spread(pod("new", "web"), ZONE, 1, "ScheduleAnyway");
        let mut raw =
            PodTopologySpread.score_all(&info(&p), &nodes.iter().collect::<Vec<_>>(), &cycle);
        // 2 zones: weight ln(4) = 1.386; node-1: 2 * 1.386 + 0 = 2.77 -> 3; node-2: 0.
        assert_eq!(raw, vec![3, 0]);
        PodTopologySpread.normalize_in(
            &info(&p),
            &nodes.iter().collect::<Vec<_>>(),
            &cycle,
            &mut raw,
        );
        // max 3, min 0: node-1 100 * (3 + 0 - 3) / 3 = 0; node-2 100 * 3 / 3 = 100.
        assert_eq!(raw, vec![0, 100]);
    }

    #[test]
    fn system_defaults_apply_to_a_replica_set_pod() {
        let mut p = pod("new", "web");
        p["metadata"]["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "controller": true}]);
        let listers = Listers {
            replica_sets: vec![json!({"metadata": {"name": "rs", "namespace": "default"},
                "spec": {"selector": {"matchLabels": {"app": "web"}}}})],
            ..Listers::default()
        };
        let nodes = two_zones();
        let cycle = Cycle::new(&nodes, Some(&listers));
        let mut raw =
            PodTopologySpread.score_all(&info(&p), &nodes.iter().collect::<Vec<_>>(), &cycle);
        // hostname (maxSkew 3): weight ln(2 + 2) = 1.386; zone (maxSkew 5): ln(4) = 1.386.
        // node-1: (2 * 1.386 + 2) + (2 * 1.386 + 4) = 11.55 -> 12; node-2: 2 + 4 = 6.
        assert_eq!(raw, vec![12, 6]);
        PodTopologySpread.normalize_in(
            &info(&p),
            &nodes.iter().collect::<Vec<_>>(),
            &cycle,
            &mut raw,
        );
        // max 12, min 6: node-1 100 * 6 / 12 = 50; node-2 100 * 12 / 12 = 100.
        assert_eq!(raw, vec![50, 100]);
    }

    #[test]
    fn a_bare_pod_has_no_default_constraints() {
        let nodes = two_zones();
        let listers = Listers::default();
        let cycle = Cycle::new(&nodes, Some(&listers));
        let p = pod("new", "web");
        let mut raw =
            PodTopologySpread.score_all(&info(&p), &nodes.iter().collect::<Vec<_>>(), &cycle);
        PodTopologySpread.normalize_in(
            &info(&p),
            &nodes.iter().collect::<Vec<_>>(),
            &cycle,
            &mut raw,
        );
        assert_eq!(raw, vec![0, 0]);
    }
}
