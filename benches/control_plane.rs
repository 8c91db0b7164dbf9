//! `cargo bench --bench control_plane`: the whole control plane at scale, natively. A Default
//! cluster grown to PODLAB_BENCH_NODES nodes with kubelets (default 100), then
//! PODLAB_BENCH_DEPLOYMENTS Deployments (default 10) of PODLAB_BENCH_REPLICAS replicas each
//! (default 100), each behind its own Service, run until every Deployment reports all its
//! replicas ready. Reports the wall time per simulated event (`Cluster::step`), events per second
//! and the slowest events (the page re-renders after each one: issue 8 wants under 16 ms).

use std::time::Instant;

use podlab::scale::{
    apply_deployments, grown_cluster, ready_endpoints, ready_replicas, run_until_ready,
};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn main() {
    let nodes = env_usize("PODLAB_BENCH_NODES", 100).max(2);
    let deployments = env_usize("PODLAB_BENCH_DEPLOYMENTS", 10);
    let replicas = env_usize("PODLAB_BENCH_REPLICAS", 100);
    let pods = deployments * replicas;
    let max_steps = env_usize("PODLAB_BENCH_MAX_STEPS", 5_000_000);

    let setup = Instant::now();
    let mut c = grown_cluster(nodes, 1);
    let setup_ms = setup.elapsed().as_secs_f64() * 1000.0;

    let create = Instant::now();
    if let Err(text) = apply_deployments(&mut c, deployments, replicas) {
        eprintln!("control_plane: apply failed: {text}");
        std::process::exit(1);
    }
    let create_ms = create.elapsed().as_secs_f64() * 1000.0;

    let start_virtual = c.now();
    let run = Instant::now();
    let mut step_times: Vec<f64> = Vec::new();
    let steps = run_until_ready(&mut c, pods, max_steps, |c| {
        let t = Instant::now();
        let stepped = c.step();
        step_times.push(t.elapsed().as_secs_f64() * 1000.0);
        stepped
    });
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
