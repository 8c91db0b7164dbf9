//! The scheduling framework's vocabulary (pkg/scheduler/framework): a node with the pods it runs
//! and the resources they request, a plugin's Status, and the Filter and Score extension points.

use serde_json::Value;

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
}

fn container_requests(c: &Value, non_zero: bool) -> Resources {
    let req = |name: &str| {
        c.pointer(&format!("/resources/requests/{name}"))
            .and_then(Value::as_str)
    };
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
        pod.pointer(&format!("/spec/{name}"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let mut total = Resources::default();
    for c in list("containers") {
        total.add(container_requests(&c, non_zero));
    }
    for c in list("initContainers") {
        let r = container_requests(&c, non_zero);
        total.milli_cpu = total.milli_cpu.max(r.milli_cpu);
        total.memory = total.memory.max(r.memory);
    }
    total.pods = 1;
    total
}

/// A node and what is already placed on it (framework.NodeInfo).
#[derive(Debug, Clone)]
pub struct NodeInfo {
    pub name: String,
    pub node: Value,
    pub pods: Vec<Value>,
    pub allocatable: Resources,
    pub requested: Resources,
    pub non_zero_requested: Resources,
}

impl NodeInfo {
    pub fn new(node: Value, pods: Vec<Value>) -> Self {
        let name = node
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let alloc = |r: &str| {
            node.pointer(&format!("/status/allocatable/{r}"))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let allocatable = Resources {
            milli_cpu: alloc("cpu").as_deref().and_then(parse_milli).unwrap_or(0),
            memory: alloc("memory")
                .as_deref()
                .and_then(parse_units)
                .unwrap_or(0),
            pods: alloc("pods").as_deref().and_then(parse_units).unwrap_or(0),
        };
        let mut requested = Resources::default();
        let mut non_zero_requested = Resources::default();
        for p in &pods {
            requested.add(pod_requests(p, false));
            non_zero_requested.add(pod_requests(p, true));
        }
        NodeInfo {
            name,
            node,
            pods,
            allocatable,
            requested,
            non_zero_requested,
        }
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

/// The Filter extension point: can the pod run on this node?
pub trait FilterPlugin {
    fn name(&self) -> &'static str;
    fn filter(&self, pod: &Value, node: &NodeInfo) -> Status;
}

/// The Score extension point: how good is this node, 0..=100 after normalizing.
pub trait ScorePlugin {
    fn name(&self) -> &'static str;
    fn weight(&self) -> i64;
    fn score(&self, pod: &Value, node: &NodeInfo) -> i64;
    /// NormalizeScore; the default leaves the raw scores.
    fn normalize(&self, _scores: &mut [i64]) {}
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
