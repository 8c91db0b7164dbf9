//! The scheduler benchmark (in the spirit of kube-scheduler's scheduler_perf): a cluster of `nodes`
//! Node objects with no kubelets behind them (scheduler_perf's fake nodes), then `pods` pods of
//! mixed shapes, run until every pod is bound. The same function runs natively
//! (`cargo bench --bench scheduler`) and in wasm (a browser test calls it), so that the two can be
//! compared.
//!
//! The pod shapes, one in ten each: small, medium and large requests, no requests at all, a zone
//! nodeSelector, required node affinity, a toleration of the tainted nodes, a ScheduleAnyway
//! topology spread over zones, a preferred hostname anti-affinity, and a DoNotSchedule hostname
//! spread. Every tenth node is tainted `dedicated=infra:NoSchedule`; nodes are in three zones.

use crate::cluster::{Cluster, Preset};
use crate::unstructured::str_at;

/// What one run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchResult {
    pub pods: usize,
    pub nodes: usize,
    /// Pods bound when the run ended (all of them unless the run gave up).
    pub bound: usize,
    /// Wall time to create the nodes (not part of the throughput).
    pub setup_ms: f64,
    /// Wall time `kubectl create` took to send the pods through the API server (not part of
    /// the throughput: scheduler_perf, too, counts the pods scheduled per second).
    pub create_ms: f64,
    /// Wall time from the pods' creation until every pod was bound.
    pub schedule_ms: f64,
    /// Virtual (simulated) time the same phase took.
    pub virtual_ms: u64,
    /// `bound / schedule_ms`, per second.
    pub pods_per_second: f64,
    /// A digest of where every pod went ([`placement_digest`]), so that two builds can be
    /// checked to place every pod on the same node.
    pub placements: u64,
}

/// A wall clock in milliseconds: `Instant` natively, `Date.now()` in the browser (where
/// `std::time::Instant` is not available).
fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::OnceLock;
        use std::time::Instant;
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
    }
}

const ZONES: [&str; 3] = ["zone-a", "zone-b", "zone-c"];

/// The nodes as one YAML stream: 8 CPUs, 32Gi, 110 pods each, Ready, hostname and zone labels.
pub fn node_manifests(nodes: usize) -> String {
    let mut out = String::new();
    for i in 0..nodes {
        let name = format!("node-{i:05}");
        let zone = ZONES[i % ZONES.len()];
        let taints = if i % 10 == 9 {
            "  taints:\n  - key: dedicated\n    value: infra\n    effect: NoSchedule\n"
        } else {
            ""
        };
        out.push_str(&format!(
            "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n  labels:\n    kubernetes.io/hostname: {name}\n    kubernetes.io/os: linux\n    topology.kubernetes.io/zone: {zone}\nspec:\n{taints}  podCIDR: 10.{}.{}.0/24\nstatus:\n  capacity: {{cpu: \"8\", memory: 32Gi, pods: \"110\"}}\n  allocatable: {{cpu: \"8\", memory: 32Gi, pods: \"110\"}}\n  conditions:\n  - type: Ready\n    status: \"True\"\n    reason: KubeletReady\n    message: kubelet is posting ready status\n",
            100 + i / 256,
            i % 256
        ));
    }
    out
}

/// The spec lines after `containers` that give pod `i` its shape.
fn shape(i: usize) -> (&'static str, String) {
    let group = format!("g{}", i % 7);
    match i % 10 {
        0 => ("100m", String::new()),
        1 => ("250m", String::new()),
        2 => ("500m", String::new()),
        3 => ("", String::new()),
        4 => (
            "100m",
            format!(
                "  nodeSelector:\n    topology.kubernetes.io/zone: {}\n",
                ZONES[i % 3]
            ),
        ),
        5 => (
            "200m",
            "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n        - matchExpressions:\n          - key: topology.kubernetes.io/zone\n            operator: In\n            values: [zone-a, zone-b]\n".to_string(),
        ),
        6 => (
            "100m",
            "  tolerations:\n  - key: dedicated\n    operator: Equal\n    value: infra\n    effect: NoSchedule\n".to_string(),
        ),
        7 => (
            "100m",
            format!("  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: topology.kubernetes.io/zone\n    whenUnsatisfiable: ScheduleAnyway\n    labelSelector:\n      matchLabels:\n        group: {group}\n"),
        ),
        8 => (
            "100m",
            format!("  affinity:\n    podAntiAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: 10\n        podAffinityTerm:\n          topologyKey: kubernetes.io/hostname\n          labelSelector:\n            matchLabels:\n              group: {group}\n"),
        ),
        _ => (
            "100m",
            format!("  topologySpreadConstraints:\n  - maxSkew: 5\n    topologyKey: kubernetes.io/hostname\n    whenUnsatisfiable: DoNotSchedule\n    labelSelector:\n      matchLabels:\n        group: {group}\n"),
        ),
    }
}

/// The pods as one YAML stream (`bench-00000`, ...), in the default namespace.
pub fn pod_manifests(pods: usize, seed: u64) -> String {
    let mut out = String::new();
    for i in 0..pods {
        let (cpu, extra) = shape(i);
        let memory = 64 << ((i as u64 + seed) % 4);
        let resources = if cpu.is_empty() {
            String::new()
        } else {
            format!(
                "    resources:\n      requests:\n        cpu: {cpu}\n        memory: {memory}Mi\n"
            )
        };
        out.push_str(&format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: bench-{i:05}\n  labels:\n    group: g{}\nspec:\n  containers:\n  - name: app\n    image: registry.k8s.io/pause:3.10\n{resources}{extra}",
            i % 7
        ));
    }
    out
}

/// How many pods are bound to a node, read from the store.
fn bound_pods(cluster: &Cluster) -> usize {
    cluster
        .api()
        .etcd()
        .range("/registry/pods/")
        .into_iter()
        .filter(|kv| !str_at(&kv.value, "/spec/nodeName").is_empty())
        .count()
}

/// FNV-1a over every pod's `name=nodeName` line, in the store's (key) order: equal digests mean
/// the same placement of every pod.
pub fn placement_digest(cluster: &Cluster) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for kv in cluster.api().etcd().range("/registry/pods/") {
        let line = format!(
            "{}={}\n",
            str_at(&kv.value, "/metadata/name"),
            str_at(&kv.value, "/spec/nodeName")
        );
        for byte in line.bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// Virtual time between checks of how many pods are bound.
const CHECK_EVERY_MS: u64 = 1_000;

/// Build the cluster, create the pods, and run until every pod is bound (or until the virtual
/// clock shows no progress for a minute, when some pods cannot be placed).
pub fn scheduler_benchmark(pods: usize, nodes: usize, seed: u64) -> BenchResult {
    let started = now_ms();
    let mut cluster = Cluster::new(Preset::SchedulerPerf, seed);
    if nodes > 0 {
        cluster.kubectl("kubectl create -f -", Some(&node_manifests(nodes)));
    }
    cluster.advance(CHECK_EVERY_MS);
    let setup_ms = now_ms() - started;

    let manifests = pod_manifests(pods, seed);
    let created = now_ms();
    let virtual_begin = cluster.now();
    if pods > 0 {
        let out = cluster.kubectl("kubectl create -f -", Some(&manifests));
        debug_assert!(
            out.exit_code == 0,
            "{}",
            out.text.lines().last().unwrap_or_default()
        );
    }
    let begin = now_ms();
    let create_ms = begin - created;
    let mut bound = bound_pods(&cluster);
    let mut stalled_ms = 0;
    while bound < pods && stalled_ms < 60_000 {
        cluster.advance(CHECK_EVERY_MS);
        let now = bound_pods(&cluster);
        stalled_ms = if now == bound {
            stalled_ms + CHECK_EVERY_MS
        } else {
            0
        };
        bound = now;
    }
    let schedule_ms = now_ms() - begin;
    BenchResult {
        pods,
        nodes,
        bound,
        setup_ms,
        create_ms,
        schedule_ms,
        virtual_ms: cluster.now() - virtual_begin,
        pods_per_second: if schedule_ms > 0.0 {
            bound as f64 * 1000.0 / schedule_ms
        } else {
            0.0
        },
        placements: placement_digest(&cluster),
    }
}

/// The most pods and nodes a URL may ask for (so a mistyped link cannot hang the tab for hours).
const MAX_PODS: usize = 100_000;
const MAX_NODES: usize = 20_000;

/// The benchmark a page address (`?bench=PODSxNODES`, src/ui/bench_page.rs)'s query asks for: the pod count and the node counts.
pub fn requested(query: &str) -> Option<Result<(usize, Vec<usize>), String>> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let value = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("bench="))?;
    Some(parse(value))
}

fn parse(value: &str) -> Result<(usize, Vec<usize>), String> {
    let usage = || format!("bench={value}: expected PODSxNODES[,NODES...], e.g. bench=10000x1000");
    let (pods, nodes) = value.split_once('x').ok_or_else(usage)?;
    let pods: usize = pods.parse().map_err(|_| usage())?;
    let nodes = nodes
        .split(',')
        .map(|n| n.parse::<usize>().map_err(|_| usage()))
        .collect::<Result<Vec<_>, _>>()?;
    if pods > MAX_PODS || nodes.iter().any(|&n| n > MAX_NODES) {
        return Err(format!(
            "bench={value}: at most {MAX_PODS} pods and {MAX_NODES} nodes"
        ));
    }
    Ok((pods, nodes))
}

/// One run in one line (`where`: native or wasm), as benches/scheduler.rs and the browser's
/// `?bench=` page print it.
pub fn result_line(r: &BenchResult, target: &str) -> String {
    format!(
        "scheduler ({target}): {} pods onto {} nodes: {} bound in {:.0} ms wall ({} ms virtual), {:.0} pods/s; nodes set up in {:.0} ms, pods created in {:.0} ms",
        r.pods, r.nodes, r.bound, r.schedule_ms, r.virtual_ms, r.pods_per_second, r.setup_ms, r.create_ms
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_run_binds_every_pod() {
        let r = scheduler_benchmark(40, 12, 1);
        assert_eq!(r.bound, 40, "{r:?}");
        assert!(r.pods_per_second > 0.0);
    }

    #[test]
    fn the_query_names_pods_and_nodes() {
        assert_eq!(requested("?embed=map"), None);
        assert_eq!(requested("?bench=200x100"), Some(Ok((200, vec![100]))));
        assert_eq!(
            requested("embed=x&bench=10000x1000,5000"),
            Some(Ok((10_000, vec![1_000, 5_000])))
        );
        assert!(matches!(requested("?bench=lots"), Some(Err(_))));
        assert!(matches!(requested("?bench=1000000x10"), Some(Err(_))));
    }

    #[test]
    fn the_feasible_node_count_follows_schedule_one() {
        use crate::scheduler::num_feasible_nodes_to_find as n;
        assert_eq!(n(50), 50);
        assert_eq!(n(100), 100);
        // 1000 nodes: 50 - 8 = 42%.
        assert_eq!(n(1000), 420);
        // 5000 nodes: 50 - 40 = 10%.
        assert_eq!(n(5000), 500);
        // 6000 nodes: 50 - 48 = 2%, raised to 5%.
        assert_eq!(n(6000), 300);
        // 150 nodes: 49% is 73, raised to 100.
        assert_eq!(n(150), 100);
    }
}
