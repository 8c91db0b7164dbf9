//! DefaultPreemption, the PostFilter plugin that runs when no node fits a pod
//! (pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go and
//! pkg/scheduler/framework/preemption/preemption.go, Evaluator.Preempt).
//!
//! Everything here is pure: the caller passes the nodes, each node's filter verdict and the filter
//! function itself, and gets back either a candidate (the nominated node and its victims) or the
//! message that kube-scheduler appends to FailedScheduling after `preemption: `.
//!
//! Not modelled: PodDisruptionBudgets (podlab serves none, so no victim ever violates one and
//! every candidate has 0 violations), extenders, the 10%/100 candidate sampling (podlab clusters
//! are small: every potential node is dry-run), pod groups, and lower-priority pods nominated to
//! a node (podlab's filters do not count nominated pods).

use crate::unstructured::JsonPointer;
use serde_json::Value;

use super::framework::{Code, NodeInfo, Status};
use crate::unstructured::str_at;

/// SelectVictimsOnNode's status when the node runs nothing of lower priority.
pub const NO_VICTIMS: &str = "No preemption victims found for incoming pod";
/// The status of every node preemption did not look at (SetAbsentNodesStatus in Preempt).
pub const NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";
/// PodEligibleToPreemptOthers, for a pod with `preemptionPolicy: Never`.
pub const NOT_ELIGIBLE_NEVER: &str = "not eligible due to preemptionPolicy=Never.";
/// PodEligibleToPreemptOthers, while victims of an earlier preemption are still terminating.
pub const NOT_ELIGIBLE_TERMINATING: &str =
    "not eligible due to a terminating pod on the nominated node.";
/// The DisruptionTarget condition's reason on a victim (v1.PodReasonPreemptionByScheduler).
pub const PREEMPTION_BY_SCHEDULER: &str = "PreemptionByScheduler";

/// The node chosen for the preemptor and the pods to remove from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub node: String,
    /// Most important first (higher priority, then earlier start).
    pub victims: Vec<Value>,
    /// Victims whose PodDisruptionBudget would be violated (always 0: podlab has no PDBs).
    pub pdb_violations: usize,
}

/// What the DefaultPreemption PostFilter decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Preemption {
    /// The pod may not preempt (PodEligibleToPreemptOthers); the reason, with its final period.
    NotEligible(String),
    /// No node can be made to fit: FitError.Error() over the dry run's statuses.
    NoCandidate(String),
    /// Remove the victims from `node` and nominate it.
    Nominated(Candidate),
}

impl Preemption {
    /// The PostFilter status message, as DefaultPreemption.PostFilter prefixes it; None when
    /// preemption succeeded (a Success status has no message, so FailedScheduling then ends after
    /// the filters' reasons).
    pub fn message(&self) -> Option<String> {
        match self {
            Preemption::NotEligible(m) | Preemption::NoCandidate(m) => {
                Some(format!("preemption: {m}"))
            }
            Preemption::Nominated(_) => None,
        }
    }
}

/// corev1helpers.PodPriority: spec.priority, 0 when unset.
pub fn pod_priority(pod: &Value) -> i64 {
    pod.at("/spec/priority")
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

/// podTerminatingByPreemption: being deleted, with DisruptionTarget=True for PreemptionByScheduler.
pub fn terminating_by_preemption(pod: &Value) -> bool {
    if pod.at("/metadata/deletionTimestamp").is_none() {
        return false;
    }
    conditions(pod)
        .find(|c| str_at(c, "/type") == "DisruptionTarget")
        .is_some_and(|c| {
            str_at(c, "/status") == "True" && str_at(c, "/reason") == PREEMPTION_BY_SCHEDULER
        })
}

fn conditions(pod: &Value) -> impl Iterator<Item = &Value> {
    pod.at("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// PodEligibleToPreemptOthers: not with preemptionPolicy Never; not while a lower-priority pod
/// preempted earlier still terminates on the pod's nominated node, unless that node is now
/// rejected as unresolvable. `nominated_status` is the filters' verdict on the nominated node.
pub fn eligible_to_preempt(
    pod: &Value,
    nodes: &[NodeInfo],
    nominated_status: Option<&Status>,
) -> Result<(), &'static str> {
    if str_at(pod, "/spec/preemptionPolicy") == "Never" {
        return Err(NOT_ELIGIBLE_NEVER);
    }
    let nominated = str_at(pod, "/status/nominatedNodeName");
    if nominated.is_empty()
        || nominated_status.is_some_and(|s| s.code == Code::UnschedulableAndUnresolvable)
    {
        return Ok(());
    }
    let priority = pod_priority(pod);
    let waiting = nodes
        .iter()
        .filter(|n| n.name == nominated)
        .flat_map(|n| &n.pods)
        .any(|p| pod_priority(p) < priority && terminating_by_preemption(p));
    if waiting {
        Err(NOT_ELIGIBLE_TERMINATING)
    } else {
        Ok(())
    }
}

/// The start time a victim is ordered by (GetPodStartTime): status.startTime, or "now" (later
/// than any recorded time) when the pod has not started.
fn start_time(pod: &Value) -> Option<&str> {
    pod.at("/status/startTime").and_then(Value::as_str)
}

/// moreImportantVictim, as an ordering key: higher priority first, then the older start time.
fn importance_order(a: &Value, b: &Value) -> std::cmp::Ordering {
    pod_priority(b)
        .cmp(&pod_priority(a))
        .then_with(|| match (start_time(a), start_time(b)) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        })
}

fn uid_or_name(pod: &Value) -> (&str, &str, &str) {
    (
        str_at(pod, "/metadata/uid"),
        str_at(pod, "/metadata/namespace"),
        str_at(pod, "/metadata/name"),
    )
}

fn without(node: &NodeInfo, removed: &[Value]) -> NodeInfo {
    let keep = node
        .pods
        .iter()
        .filter(|p| !removed.iter().any(|r| uid_or_name(r) == uid_or_name(p)))
        .cloned()
        .collect();
    NodeInfo::with_pods(node.node.clone(), keep)
}

/// SelectVictimsOnNode: remove every lower-priority pod; if the pod still does not fit, the
/// filters' status says why. Otherwise put the potential victims back one at a time, most
/// important first, keeping each that leaves room (the reprieve); those that do not are victims.
/// With no PDBs, every victim is in the non-violating group, so the order is the importance order.
pub fn select_victims_on_node(
    pod: &Value,
    node: &NodeInfo,
    filter: &dyn Fn(&Value, &NodeInfo) -> Status,
) -> Result<Vec<Value>, Status> {
    let priority = pod_priority(pod);
    let mut potential: Vec<Value> = node
        .pods
        .iter()
        .filter(|p| pod_priority(p) < priority)
        .map(|p| p.pod.clone())
        .collect();
    if potential.is_empty() {
        return Err(Status::unresolvable("DefaultPreemption", NO_VICTIMS));
    }
    let status = filter(pod, &without(node, &potential));
    if !status.is_success() {
        return Err(status);
    }
    potential.sort_by(importance_order);
    let mut victims: Vec<Value> = Vec::new();
    for (i, candidate) in potential.iter().enumerate() {
        // Removed: the victims so far and the potential victims not yet reprieved or condemned.
        let mut removed = victims.clone();
        removed.extend(potential.iter().skip(i + 1).cloned());
        if !filter(pod, &without(node, &removed)).is_success() {
            victims.push(candidate.clone());
        }
    }
    Ok(victims)
}

/// findCandidates + DryRunPreemption: only nodes the filters rejected as Unschedulable (not
/// UnschedulableAndUnresolvable) are tried. Returns the candidates and, for every node, the
/// status preemption leaves on it (absent nodes: "Preemption is not helpful for scheduling").
pub fn find_candidates(
    pod: &Value,
    nodes: &[(NodeInfo, Status)],
    filter: &dyn Fn(&Value, &NodeInfo) -> Status,
) -> (Vec<Candidate>, Vec<Status>) {
    let mut candidates = Vec::new();
    let mut statuses = Vec::new();
    for (node, status) in nodes {
        if status.code != Code::Unschedulable {
            statuses.push(Status::unresolvable("DefaultPreemption", NOT_HELPFUL));
            continue;
        }
        match select_victims_on_node(pod, node, filter) {
            Ok(victims) => candidates.push(Candidate {
                node: node.name.clone(),
                victims,
                pdb_violations: 0,
            }),
            Err(s) => statuses.push(s),
        }
    }
    (candidates, statuses)
}

/// The sum pickOneNodeForPreemption minimises third: each priority offset by MaxInt32+1 so
/// that every victim adds a positive amount (more victims weigh more at equal priorities).
fn offset_priority_sum(victims: &[Value]) -> i128 {
    victims
        .iter()
        .map(|v| i128::from(pod_priority(v)) + i128::from(i32::MAX) + 1)
        .sum()
}

/// GetEarliestPodStartTime over the highest-priority victims (victims are sorted, so those at
/// the front); None is "now", later than every recorded time.
fn earliest_start_of_highest(victims: &[Value]) -> Option<&str> {
    let top = victims.first().map(pod_priority)?;
    victims
        .iter()
        .take_while(|v| pod_priority(v) == top)
        .map(start_time)
        .min_by(|a, b| match (a, b) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        })
        .flatten()
}

/// pickOneNodeForPreemption: a node needing no victims wins at once; otherwise, keeping at each
/// step only the best: fewest PDB violations, lowest highest-victim priority, smallest offset
/// sum of priorities, fewest victims, latest start of the highest-priority victims; then the
/// first left.
pub fn pick_one_node(candidates: &[Candidate]) -> Option<&Candidate> {
    if let Some(free) = candidates.iter().find(|c| c.victims.is_empty()) {
        return Some(free);
    }
    let mut left: Vec<&Candidate> = candidates.iter().collect();
    keep_min(&mut left, |c| c.pdb_violations as i128);
    keep_min(&mut left, |c| {
        c.victims.first().map(pod_priority).unwrap_or(0) as i128
    });
    keep_min(&mut left, |c| offset_priority_sum(&c.victims));
    keep_min(&mut left, |c| c.victims.len() as i128);
    let latest = left
        .iter()
        .map(|c| earliest_start_of_highest(&c.victims))
        .max_by(|a, b| match (a, b) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    if let Some(latest) = latest {
        left.retain(|c| earliest_start_of_highest(&c.victims) == latest);
    }
    left.first().copied()
}

fn keep_min(left: &mut Vec<&Candidate>, key: impl Fn(&Candidate) -> i128) {
    if let Some(min) = left.iter().map(|c| key(c)).min() {
        left.retain(|c| key(c) == min);
    }
}

/// FitError.Error() for `total` nodes with these statuses: `0/N nodes are available: <count
/// reason, sorted>.` (the reasons histogram, sortReasonsHistogram).
pub fn nodes_available_message(total: usize, statuses: &[Status]) -> String {
    let mut histogram: std::collections::BTreeMap<&str, usize> = Default::default();
    for s in statuses {
        for r in &s.reasons {
            *histogram.entry(r.as_str()).or_default() += 1;
        }
    }
    let mut reasons: Vec<String> = histogram.iter().map(|(r, n)| format!("{n} {r}")).collect();
    reasons.sort();
    format!("0/{total} nodes are available: {}.", reasons.join(", "))
}

/// Evaluator.Preempt for `pod`, given every node with the filters' verdict on it.
pub fn preempt(
    pod: &Value,
    verdicts: &[(NodeInfo, Status)],
    filter: &dyn Fn(&Value, &NodeInfo) -> Status,
) -> Preemption {
    let nominated = str_at(pod, "/status/nominatedNodeName");
    let nominated_status = verdicts
        .iter()
        .find(|(n, _)| !nominated.is_empty() && n.name == nominated)
        .map(|(_, s)| s);
    let nodes: Vec<NodeInfo> = verdicts.iter().map(|(n, _)| n.clone()).collect();
    if let Err(reason) = eligible_to_preempt(pod, &nodes, nominated_status) {
        return Preemption::NotEligible(reason.to_string());
    }
    let (candidates, statuses) = find_candidates(pod, verdicts, filter);
    match pick_one_node(&candidates) {
        Some(best) => Preemption::Nominated(best.clone()),
        None => Preemption::NoCandidate(nodes_available_message(verdicts.len(), &statuses)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::framework::pod_requests;
    use serde_json::json;

    fn node(name: &str, cpu: &str, pods: Vec<Value>) -> NodeInfo {
        NodeInfo::new(
            json!({"metadata": {"name": name}, "status": {"allocatable": {"cpu": cpu, "memory": "8Gi", "pods": "110"}}}),
            pods,
        )
    }

    fn pod(name: &str, priority: i64, cpu: &str, started: &str) -> Value {
        json!({
            "metadata": {"name": name, "namespace": "default", "uid": format!("uid-{name}")},
            "spec": {"priority": priority, "containers": [{"name": "c", "resources": {"requests": {"cpu": cpu}}}]},
            "status": {"startTime": started},
        })
    }

    /// A stand-in for NodeResourcesFit on cpu only.
    fn cpu_filter(pod: &Value, node: &NodeInfo) -> Status {
        let want = pod_requests(pod, false).milli_cpu;
        if node.requested.milli_cpu + want > node.allocatable.milli_cpu {
            Status::unschedulable("NodeResourcesFit", "Insufficient cpu")
        } else {
            Status::success("")
        }
    }

    fn verdicts(pod: &Value, nodes: Vec<NodeInfo>) -> Vec<(NodeInfo, Status)> {
        nodes
            .into_iter()
            .map(|n| {
                let s = cpu_filter(pod, &n);
                (n, s)
            })
            .collect()
    }

    #[test]
    fn reprieves_the_most_important_victims_first() {
        let high = pod("high", 1000, "2", "");
        let n = node(
            "w1",
            "4",
            vec![
                pod("a", 10, "1", "2026-01-01T00:00:01Z"),
                pod("b", 20, "1", "2026-01-01T00:00:02Z"),
                pod("c", 10, "2", "2026-01-01T00:00:00Z"),
            ],
        );
        let victims = select_victims_on_node(&high, &n, &cpu_filter).unwrap();
        // b (priority 20) is put back first and fits (1 + 2 <= 4); c (older than a) does not
        // (1 + 2 + 2 > 4) and stays a victim; a then fits (1 + 1 + 2 <= 4).
        let names: Vec<&str> = victims
            .iter()
            .map(|v| str_at(v, "/metadata/name"))
            .collect();
        assert_eq!(names, vec!["c"]);
    }

    #[test]
    fn no_lower_priority_pods_means_no_victims() {
        let p = pod("p", 0, "2", "");
        let n = node("w1", "2", vec![pod("x", 0, "1", "")]);
        let err = select_victims_on_node(&p, &n, &cpu_filter).unwrap_err();
        assert_eq!(err.reasons, vec![NO_VICTIMS.to_string()]);
        assert_eq!(err.code, Code::UnschedulableAndUnresolvable);
    }

    #[test]
    fn the_no_candidate_message_reads_like_kube_scheduler() {
        let p = pod("p", 0, "2", "");
        let mut v = verdicts(
            &p,
            vec![
                node("w1", "2", vec![pod("x", 0, "1", "")]),
                node("w2", "2", vec![pod("y", 0, "1", "")]),
            ],
        );
        v.push((
            node("cp", "8", vec![]),
            Status::unresolvable("TaintToleration", "node(s) had untolerated taint(s)"),
        ));
        let out = preempt(&p, &v, &cpu_filter);
        assert_eq!(
            out.message().as_deref(),
            Some("preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.")
        );
    }

    #[test]
    fn never_policy_is_not_eligible() {
        let mut p = pod("p", 100, "2", "");
        p["spec"]["preemptionPolicy"] = json!("Never");
        let v = verdicts(&p, vec![node("w1", "2", vec![pod("x", 0, "1", "")])]);
        assert_eq!(
            preempt(&p, &v, &cpu_filter).message().as_deref(),
            Some("preemption: not eligible due to preemptionPolicy=Never.")
        );
    }

    #[test]
    fn waits_for_terminating_victims_on_the_nominated_node() {
        let mut p = pod("p", 100, "2", "");
        p["status"]["nominatedNodeName"] = json!("w1");
        let mut victim = pod("x", 0, "2", "");
        victim["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
        victim["status"]["conditions"] = json!([{"type": "DisruptionTarget", "status": "True", "reason": "PreemptionByScheduler"}]);
        let v = verdicts(&p, vec![node("w1", "2", vec![victim])]);
        assert_eq!(
            preempt(&p, &v, &cpu_filter),
            Preemption::NotEligible(NOT_ELIGIBLE_TERMINATING.into())
        );
    }

    #[test]
    fn picks_the_node_with_the_lowest_highest_victim_priority() {
        let p = pod("p", 100, "2", "");
        let v = verdicts(
            &p,
            vec![
                node("w1", "2", vec![pod("x", 50, "2", "")]),
                node(
                    "w2",
                    "2",
                    vec![pod("y", 10, "1", ""), pod("z", 10, "1", "")],
                ),
                node("w3", "2", vec![pod("q", 10, "2", "")]),
            ],
        );
        let Preemption::Nominated(c) = preempt(&p, &v, &cpu_filter) else {
            panic!("expected a candidate");
        };
        // w2 and w3 tie on the highest priority (10); w3's one victim has the smaller offset sum.
        assert_eq!(c.node, "w3");
        assert_eq!(c.victims.len(), 1);
    }

    #[test]
    fn latest_start_time_breaks_the_last_tie() {
        let p = pod("p", 100, "2", "");
        let v = verdicts(
            &p,
            vec![
                node("w1", "2", vec![pod("old", 10, "2", "2026-01-01T00:00:00Z")]),
                node("w2", "2", vec![pod("new", 10, "2", "2026-01-02T00:00:00Z")]),
            ],
        );
        let Preemption::Nominated(c) = preempt(&p, &v, &cpu_filter) else {
            panic!("expected a candidate");
        };
        assert_eq!(c.node, "w2");
    }
}
