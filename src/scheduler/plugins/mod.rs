//! The default plugins of kube-scheduler v1.36 (pkg/scheduler/apis/config/v1/default_plugins.go)
//! that act on the objects podlab models, in their default order and with their default weights.

pub mod balanced_allocation;
pub mod image_locality;
pub mod inter_pod_affinity;
pub mod label_selector;
pub mod node_affinity;
pub mod node_name;
pub mod node_ports;
pub mod node_resources_fit;
pub mod node_unschedulable;
pub mod node_volume_limits;
pub mod pod_topology_spread;
pub mod scheduling_gates;
pub mod taint_toleration;
pub mod volume_binding;
pub mod volume_restrictions;
pub mod volume_zone;

use serde_json::Value;

use super::framework::{Cycle, FilterPlugin, NodeInfo, PodInfo, ScorePlugin, Status};

/// Filter plugins, in the order the framework runs them (a node fails at the first that rejects
/// it); PreFilter runs in the same order.
pub fn filters() -> Vec<Box<dyn FilterPlugin>> {
    vec![
        Box::new(node_unschedulable::NodeUnschedulable),
        Box::new(node_name::NodeName),
        Box::new(taint_toleration::TaintToleration),
        Box::new(node_affinity::NodeAffinity),
        Box::new(node_ports::NodePorts),
        Box::new(node_resources_fit::NodeResourcesFit),
        Box::new(volume_restrictions::VolumeRestrictions),
        Box::new(node_volume_limits::NodeVolumeLimits),
        Box::new(volume_binding::VolumeBinding),
        Box::new(volume_zone::VolumeZone),
        Box::new(pod_topology_spread::PodTopologySpread),
        Box::new(inter_pod_affinity::InterPodAffinity),
    ]
}

/// Score plugins with their default weights, in the default order.
pub fn scorers() -> Vec<Box<dyn ScorePlugin>> {
    vec![
        Box::new(taint_toleration::TaintToleration),
        Box::new(node_affinity::NodeAffinity),
        Box::new(node_resources_fit::NodeResourcesFit),
        Box::new(pod_topology_spread::PodTopologySpread),
        Box::new(inter_pod_affinity::InterPodAffinity),
        Box::new(balanced_allocation::BalancedAllocation),
        Box::new(image_locality::ImageLocality),
    ]
}

/// RunPreFilterPlugins: the first plugin that rejects the pod (for every node at once), or
/// success. The rejection's reasons, joined by ", ", are the FitError's PreFilterMsg.
pub fn run_pre_filters(pod: &Value, cycle: &Cycle) -> Status {
    run_pre_filters_of(&PodInfo::new(pod.clone()), cycle)
}

/// RunPreFilterPlugins for a pod already parsed.
pub fn run_pre_filters_of(pod: &PodInfo, cycle: &Cycle) -> Status {
    for plugin in filters() {
        let status = plugin.pre_filter(pod, cycle);
        if !status.is_success() {
            return status;
        }
    }
    Status::success("")
}

/// RunFilterPlugins with the cycle's cluster view: the first plugin that rejects the node.
pub fn run_filters(pod: &Value, node: &NodeInfo, cycle: &Cycle) -> Status {
    let pod = &PodInfo::new(pod.clone());
    for plugin in filters() {
        let status = plugin.filter_in(pod, node, cycle);
        if !status.is_success() {
            return status;
        }
    }
    Status::success("")
}

/// One plugin's normalized score for one node, with its weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginScore {
    pub plugin: &'static str,
    pub score: i64,
    pub weight: i64,
}

/// RunScorePlugins: for each feasible node (in order), every score plugin's normalized score.
/// The node's total is the sum of `score * weight`.
pub fn run_scores(pod: &Value, feasible: &[NodeInfo], cycle: &Cycle) -> Vec<Vec<PluginScore>> {
    let pod = &PodInfo::new(pod.clone());
    let feasible: Vec<&NodeInfo> = feasible.iter().collect();
    let feasible = feasible.as_slice();
    let mut out = vec![Vec::new(); feasible.len()];
    for plugin in scorers() {
        let mut scores = plugin.score_all(pod, feasible, cycle);
        plugin.normalize_in(pod, feasible, cycle, &mut scores);
        for (row, score) in out.iter_mut().zip(scores) {
            row.push(PluginScore {
                plugin: plugin.name(),
                score,
                weight: plugin.weight(),
            });
        }
    }
    out
}
