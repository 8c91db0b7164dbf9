//! ImageLocality: prefer nodes that already hold the pod's images (from `status.images`), scaled
//! by image size and by how many nodes have them (weight 1).

use crate::unstructured::JsonPointer;
use serde_json::Value;

use crate::scheduler::framework::{NodeInfo, PodInfo, ScorePlugin};

pub struct ImageLocality;

/// The thresholds of pkg/scheduler/framework/plugins/imagelocality: 23 MB and 1000 MB per container.
const MIN_THRESHOLD: i64 = 23 * 1024 * 1024;
const MAX_CONTAINER_THRESHOLD: i64 = 1000 * 1024 * 1024;

/// Whether a node image entry names `image` (with `docker.io/library/` and `:latest` implied).
fn names_image(entry: &Value, image: &str) -> bool {
    let normal = |s: &str| {
        let s = s
            .strip_prefix("docker.io/library/")
            .or_else(|| s.strip_prefix("docker.io/"))
            .unwrap_or(s);
        if s.contains(':') || s.contains('@') {
            s.to_string()
        } else {
            format!("{s}:latest")
        }
    };
    entry
        .get("names")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .any(|n| normal(n) == normal(image))
}

impl ScorePlugin for ImageLocality {
    fn name(&self) -> &'static str {
        "ImageLocality"
    }

    fn weight(&self) -> i64 {
        1
    }

    fn score(&self, pod: &PodInfo, node: &NodeInfo) -> i64 {
        let images = node
            .node
            .at("/status/images")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let containers = pod
            .at("/spec/containers")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let sum: i64 = containers
            .iter()
            .filter_map(|c| c.get("image").and_then(Value::as_str))
            .filter_map(|img| images.iter().find(|e| names_image(e, img)))
            .map(|e| e.get("sizeBytes").and_then(Value::as_i64).unwrap_or(0))
            .sum();
        let max = MAX_CONTAINER_THRESHOLD * containers.len().max(1) as i64;
        let clamped = sum.clamp(MIN_THRESHOLD, max);
        if max == MIN_THRESHOLD {
            return 0;
        }
        100 * (clamped - MIN_THRESHOLD) / (max - MIN_THRESHOLD)
    }
}
