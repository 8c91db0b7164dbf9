//! ImageLocality (pkg/scheduler/framework/plugins/imagelocality): prefer nodes that already hold
//! the pod's images (the node's `status.images`), each image counting its size scaled by the
//! share of nodes that have it (scaledImageScore, against the "node heating problem"), the sum
//! clamped between 23 MB and 1000 MB per container and mapped onto 0..=100 (weight 1).
//!
//! Images are matched by name exactly as the node reports them, after normalizedImageName adds
//! `:latest` to an untagged name: `nginx` in a pod does not match `docker.io/library/nginx:latest`
//! on a node (the source's own TODO says so).

use std::collections::BTreeMap;

use crate::scheduler::framework::{Cycle, NodeInfo, PodInfo, ScorePlugin};

pub struct ImageLocality;

/// minThreshold and maxContainerThreshold (image_locality.go): 23 MB and 1000 MB per container.
const MIN_THRESHOLD: i64 = 23 * 1024 * 1024;
const MAX_CONTAINER_THRESHOLD: i64 = 1000 * 1024 * 1024;
const MAX_NODE_SCORE: i64 = 100;

/// normalizedImageName: `:latest` added when the name has no tag after its last `/`.
pub fn normalized_image_name(name: &str) -> String {
    let colon = name.rfind(':').map_or(-1, |i| i as i64);
    let slash = name.rfind('/').map_or(-1, |i| i as i64);
    if colon <= slash {
        format!("{name}:latest")
    } else {
        name.to_string()
    }
}

/// calculatePriority: the clamped sum mapped onto 0..=MaxNodeScore.
fn calculate_priority(sum: i64, containers: usize) -> i64 {
    let max = MAX_CONTAINER_THRESHOLD * containers as i64;
    let sum = if sum < MIN_THRESHOLD {
        MIN_THRESHOLD
    } else {
        sum.min(max)
    };
    if max <= MIN_THRESHOLD {
        return 0;
    }
    MAX_NODE_SCORE * (sum - MIN_THRESHOLD) / (max - MIN_THRESHOLD)
}

/// ImageStateSummary.NumNodes for the pod's images: how many nodes of the snapshot hold each.
fn nodes_with(images: &[String], nodes: &[NodeInfo]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for image in images {
        let n = nodes
            .iter()
            .filter(|n| n.images.contains_key(image))
            .count();
        counts.insert(image.clone(), n);
    }
    counts
}

/// sumImageScores over init containers, containers and image volumes, then calculatePriority.
fn score_node(
    pod: &PodInfo,
    node: &NodeInfo,
    spread: &BTreeMap<String, usize>,
    total: usize,
) -> i64 {
    let sum: i64 = pod
        .images
        .iter()
        .filter_map(|image| {
            let size = *node.images.get(image)?;
            let share = spread.get(image).copied().unwrap_or(0) as f64 / total.max(1) as f64;
            Some((size as f64 * share) as i64)
        })
        .sum();
    calculate_priority(sum, pod.container_count)
}

impl ScorePlugin for ImageLocality {
    fn name(&self) -> &'static str {
        "ImageLocality"
    }

    fn weight(&self) -> i64 {
        1
    }

    /// Without the snapshot the node is the only one known.
    fn score(&self, pod: &PodInfo, node: &NodeInfo) -> i64 {
        let spread = pod.images.iter().map(|i| (i.clone(), 1)).collect();
        score_node(pod, node, &spread, 1)
    }

    fn score_all(&self, pod: &PodInfo, feasible: &[&NodeInfo], cycle: &Cycle) -> Vec<i64> {
        if pod
            .images
            .iter()
            .all(|i| feasible.iter().all(|n| !n.images.contains_key(i)))
        {
            return vec![calculate_priority(0, pod.container_count); feasible.len()];
        }
        let spread = nodes_with(&pod.images, cycle.nodes);
        let total = cycle.nodes.len();
        feasible
            .iter()
            .map(|n| score_node(pod, n, &spread, total))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(name: &str, images: &[(&str, i64)]) -> NodeInfo {
        let images: Vec<_> = images
            .iter()
            .map(|(n, size)| json!({"names": [n], "sizeBytes": size}))
            .collect();
        NodeInfo::new(
            json!({"metadata": {"name": name}, "status": {"images": images}}),
            vec![],
        )
    }

    #[test]
    fn untagged_names_get_latest() {
        assert_eq!(normalized_image_name("nginx"), "nginx:latest");
        assert_eq!(normalized_image_name("nginx:1.27"), "nginx:1.27");
        assert_eq!(
            normalized_image_name("localhost:5000/app"),
            "localhost:5000/app:latest"
        );
    }

    #[test]
    fn the_score_is_scaled_by_how_many_nodes_hold_the_image() {
        const MB: i64 = 1024 * 1024;
        let nodes = vec![
            node("a", &[("docker.io/library/nginx:1.27", 500 * MB)]),
            node("b", &[]),
        ];
        let pod = PodInfo::new(json!({"metadata": {"name": "p"}, "spec": {"containers": [
            {"name": "c", "image": "docker.io/library/nginx:1.27"}
        ]}}));
        let cycle = Cycle::new(&nodes, None);
        let feasible: Vec<&NodeInfo> = nodes.iter().collect();
        // 500 MB on one node of two: 250 MB, (250 - 23) * 100 / (1000 - 23) = 23.
        assert_eq!(
            ImageLocality.score_all(&pod, &feasible, &cycle),
            vec![23, 0]
        );
        // The short name does not match what the node reports.
        let short = PodInfo::new(json!({"metadata": {"name": "p"}, "spec": {"containers": [
            {"name": "c", "image": "nginx:1.27"}
        ]}}));
        assert_eq!(
            ImageLocality.score_all(&short, &feasible, &cycle),
            vec![0, 0]
        );
    }
}
