//! `cargo bench --bench scheduler`: pods per second of podlab's scheduler, end to end through the
//! API server (see podlab::scheduler::bench). Sizes: PODLAB_BENCH_PODS (default 10000) and
//! PODLAB_BENCH_NODES (default "1000,5000", a comma-separated list); PODLAB_BENCH_REPS
//! repetitions of each (default 3). CI runs a smoke: PODLAB_BENCH_PODS=200 PODLAB_BENCH_NODES=100.

use podlab::scheduler::bench::{result_line, scheduler_benchmark, BenchResult};

fn env_list(name: &str, default: &str) -> Vec<usize> {
    std::env::var(name)
        .unwrap_or_else(|_| default.to_string())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// With PODLAB_BENCH_DIGEST set, each run also prints the digest of its placements (to check
/// that a change to the scheduler placed every pod on the same node).
fn report(r: &BenchResult, rep: usize) {
    println!("{} (run {rep})", result_line(r, "native"));
    if std::env::var_os("PODLAB_BENCH_DIGEST").is_some() {
        println!(
            "scheduler: placements digest {:016x} (run {rep})",
            r.placements
        );
    }
}

fn main() {
    let pods = env_list("PODLAB_BENCH_PODS", "10000")
        .first()
        .copied()
        .unwrap_or(10_000);
    let reps = env_list("PODLAB_BENCH_REPS", "3")
        .first()
        .copied()
        .unwrap_or(3);
    let mut failed = false;
    for nodes in env_list("PODLAB_BENCH_NODES", "1000,5000") {
        let mut rates = Vec::new();
        for rep in 1..=reps.max(1) {
            let r = scheduler_benchmark(pods, nodes, rep as u64);
            report(&r, rep);
            failed |= r.bound != r.pods;
            rates.push(r.pods_per_second);
        }
        rates.sort_by(f64::total_cmp);
        let median = rates.get(rates.len() / 2).copied().unwrap_or(0.0);
        println!("scheduler: {pods} pods onto {nodes} nodes: median {median:.0} pods/s");
    }
    if failed {
        eprintln!("scheduler: some pods were not bound");
        std::process::exit(1);
    }
}
