//! VolumeZone (pkg/scheduler/framework/plugins/volumezone): a pod whose bound volumes carry zone
//! or region labels only fits nodes in one of those zones/regions
//! (`node(s) had no available volume zone`). PreFilter rejects a bound claim whose volume does
//! not exist (`persistentvolume "x" not found`).

use crate::unstructured::JsonPointer;
use std::collections::BTreeSet;

use serde_json::Value;

use super::volume_binding::is_bound;
use crate::apiserver::selectors::labels_of;
use crate::scheduler::framework::{Cycle, FilterPlugin, Listers, NodeInfo, PodInfo, Status};
use crate::unstructured::str_at;

pub struct VolumeZone;

pub const NAME: &str = "VolumeZone";
/// ErrReasonConflict.
pub const REASON: &str = "node(s) had no available volume zone";

/// topologyLabels: the beta and GA zone and region labels.
const TOPOLOGY_LABELS: [&str; 4] = [
    "failure-domain.beta.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region",
    "topology.kubernetes.io/zone",
    "topology.kubernetes.io/region",
];

/// translateToGALabel.
fn ga_label(key: &str) -> &str {
    match key {
        "failure-domain.beta.kubernetes.io/zone" => "topology.kubernetes.io/zone",
        "failure-domain.beta.kubernetes.io/region" => "topology.kubernetes.io/region",
        other => other,
    }
}

/// getPVbyPod: the (label, allowed values) pairs of the pod's bound volumes, values split at
/// `__` (LabelZonesToSet); Err for a bound claim whose volume is missing.
fn volume_topologies(
    pod: &Value,
    listers: &Listers,
) -> Result<Vec<(String, BTreeSet<String>)>, String> {
    let ns = str_at(pod, "/metadata/namespace");
    let mut out = Vec::new();
    let claims = pod
        .at("/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.get("persistentVolumeClaim"));
    for claim in claims {
        let Some(pvc) = listers.persistent_volume_claim(ns, str_at(claim, "/claimName")) else {
            continue;
        };
        if !is_bound(pvc) {
            continue;
        }
        let pv_name = str_at(pvc, "/spec/volumeName");
        let Some(pv) = listers.persistent_volume(pv_name) else {
            return Err(format!("persistentvolume \"{pv_name}\" not found"));
        };
        let labels = labels_of(pv);
        for key in TOPOLOGY_LABELS {
            if let Some(value) = labels.get(key) {
                let values = value.split("__").map(str::to_string).collect();
                out.push((key.to_string(), values));
            }
        }
    }
    Ok(out)
}

impl FilterPlugin for VolumeZone {
    fn name(&self) -> &'static str {
        NAME
    }

    /// Without the listers the volumes are unknown: the node passes.
    fn filter(&self, _pod: &PodInfo, _node: &NodeInfo) -> Status {
        Status::success(NAME)
    }

    fn pre_filter(&self, pod: &PodInfo, cycle: &Cycle) -> Status {
        match cycle.listers.map(|l| volume_topologies(pod, l)) {
            Some(Err(message)) => Status::unresolvable(NAME, message),
            _ => Status::success(NAME),
        }
    }

    fn filter_in(&self, pod: &PodInfo, node: &NodeInfo, cycle: &Cycle) -> Status {
        let Some(Ok(topologies)) = cycle.listers.map(|l| volume_topologies(pod, l)) else {
            return Status::success(NAME);
        };
        if topologies.is_empty() {
            return Status::success(NAME);
        }
        let labels = labels_of(&node.node);
        if !TOPOLOGY_LABELS.iter().any(|k| labels.contains_key(*k)) {
            return Status::success(NAME);
        }
        for (key, values) in &topologies {
            let value = labels.get(key).or_else(|| labels.get(ga_label(key)));
            if !value.is_some_and(|v| values.contains(v)) {
                return Status::unresolvable(NAME, REASON);
            }
        }
        Status::success(NAME)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::framework::test_pod_info as info;
    use serde_json::json;

    #[test]
    fn a_zonal_volume_keeps_the_pod_in_its_zones() {
        let listers = Listers {
            persistent_volume_claims: vec![
                json!({"metadata": {"name": "data", "namespace": "default"},
                "spec": {"volumeName": "pv-1"}, "status": {"phase": "Bound"}}),
            ],
            persistent_volumes: vec![json!({"metadata": {"name": "pv-1",
                "labels": {"failure-domain.beta.kubernetes.io/zone": "a__b"}}})],
            ..Listers::default()
        };
        let zone = |name: &str, z: &str| {
            NodeInfo::new(
                json!({"metadata": {"name": name, "labels": {"topology.kubernetes.io/zone": z}}}),
                vec![],
            )
        };
        let nodes = [zone("n1", "b"), zone("n2", "c")];
        let cycle = Cycle::new(&nodes, Some(&listers));
        let p = json!({"metadata": {"name": "app", "namespace": "default"}, "spec": {"volumes": [
            {"name": "d", "persistentVolumeClaim": {"claimName": "data"}}]}});
        assert!(VolumeZone.pre_filter(&info(&p), &cycle).is_success());
        assert!(VolumeZone
            .filter_in(&info(&p), &nodes[0], &cycle)
            .is_success());
        assert_eq!(
            VolumeZone.filter_in(&info(&p), &nodes[1], &cycle).reasons,
            vec![REASON]
        );
    }
}
