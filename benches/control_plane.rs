//! `cargo bench --bench control_plane`: the whole control plane at scale, natively. A Default
//! cluster grown to PODLAB_BENCH_NODES nodes with kubelets (default 100), then
//! PODLAB_BENCH_DEPLOYMENTS Deployments (default 10) of PODLAB_BENCH_REPLICAS replicas each
//! (default 100), each behind its own Service, run until every Deployment reports all its
//! replicas ready. Reports the wall time per simulated event (`Cluster::step`), events per second
//! and the slowest events (the page re-renders after each one: issue 8 wants under 16 ms).

use std::time::Instant;

use podlab::client::grouped;
use podlab::kubelet::NodeConfig;
use podlab::{Cluster, Preset};
use serde_json::Value;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Workers beyond the Default cluster's two, numbered from 3.
fn extra_worker(i: usize) -> NodeConfig {
    let zone = ["zone-a", "zone-b", "zone-c"][i % 3];
    NodeConfig::worker(
        &format!("worker-{i}"),
        &format!("172.18.{}.{}", 1 + i / 250, i % 250),
        &format!("10.244.{i}.0/24"),
        zone,
        "4",
        "8Gi",
    )
}

/// One Deployment and the Service in front of it.
fn manifests(index: usize, replicas: usize) -> String {
    let name = format!("web-{index}");
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector:\n    app: {name}\n  ports:\n  - port: 80\n    targetPort: 80\n"
    )
}

/// Ready replicas over all Deployments.
fn ready_replicas(c: &Cluster) -> usize {
    c.api()
        .read_all(grouped("apps", "deployments"), Some("default"))
        .iter()
        .filter_map(|d| d.pointer("/status/readyReplicas").and_then(Value::as_u64))
        .sum::<u64>() as usize
}

/// Whether every pod is in a selected Service's EndpointSlice as ready.
fn ready_endpoints(c: &Cluster) -> usize {
    c.api()
        .read_all(
            grouped("discovery.k8s.io", "endpointslices"),
            Some("default"),
        )
        .iter()
        .flat_map(|s| {
            s.get("endpoints")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .filter(|e| e.pointer("/conditions/ready").and_then(Value::as_bool) == Some(true))
        .count()
}

fn main() {
    let nodes = env_usize("PODLAB_BENCH_NODES", 100).max(2);
    let deployments = env_usize("PODLAB_BENCH_DEPLOYMENTS", 10);
    let replicas = env_usize("PODLAB_BENCH_REPLICAS", 100);
    let pods = deployments * replicas;
    let max_steps = env_usize("PODLAB_BENCH_MAX_STEPS", 5_000_000);

    let setup = Instant::now();
    let mut c = Cluster::new(Preset::Default, 1);
    for i in 3..=nodes {
        c.add_node(extra_worker(i));
    }
    c.advance(10_000);
    let setup_ms = setup.elapsed().as_secs_f64() * 1000.0;

    let create = Instant::now();
    for i in 0..deployments {
        let out = c.kubectl("kubectl apply -f -", Some(&manifests(i, replicas)));
        if out.exit_code != 0 {
            eprintln!("control_plane: apply failed: {}", out.text);
            std::process::exit(1);
        }
    }
    let create_ms = create.elapsed().as_secs_f64() * 1000.0;

    let start_virtual = c.now();
    let run = Instant::now();
    let mut steps = 0usize;
    let mut step_times: Vec<f64> = Vec::new();
    while steps < max_steps {
        let t = Instant::now();
        if !c.step() {
            break;
        }
        step_times.push(t.elapsed().as_secs_f64() * 1000.0);
        steps += 1;
        if steps.is_multiple_of(500) && ready_replicas(&c) >= pods && ready_endpoints(&c) >= pods {
            break;
        }
    }
    let run_ms = run.elapsed().as_secs_f64() * 1000.0;
    let ready = ready_replicas(&c);
    let endpoints = ready_endpoints(&c);
    step_times.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        let i = ((step_times.len() as f64 - 1.0) * p).round().max(0.0) as usize;
        step_times.get(i).copied().unwrap_or(0.0)
    };
    let over_16 = step_times.iter().filter(|&&t| t > 16.0).count();
    println!(
        "control_plane: {nodes} nodes, {deployments} x {replicas} pods behind {deployments} Services"
    );
    println!("  setup {setup_ms:.0} ms, kubectl apply {create_ms:.0} ms");
    println!(
        "  {steps} events in {run_ms:.0} ms wall ({} s virtual): {:.1} us/event, {:.0} events/s",
        (c.now() - start_virtual) / 1000,
        run_ms * 1000.0 / steps.max(1) as f64,
        steps as f64 * 1000.0 / run_ms.max(1e-9)
    );
    println!(
        "  event wall time: median {:.3} ms, p99 {:.3} ms, max {:.3} ms, {over_16} over 16 ms",
        pct(0.5),
        pct(0.99),
        pct(1.0)
    );
    println!("  ready replicas {ready}/{pods}, ready endpoints {endpoints}/{pods}");
    if ready < pods || endpoints < pods {
        eprintln!("control_plane: not every pod became ready");
        std::process::exit(1);
    }
}
