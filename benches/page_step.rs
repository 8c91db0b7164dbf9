//! `cargo bench --bench page_step`: what the page computes, outside the DOM, when the user steps
//! back one entry on a cluster at scale (issue 8: 100 nodes and 1,000 pods, one step re-rendered
//! in under 16 ms). A settled cluster is built as `?perf=` builds it ([`podlab::scale`]); then,
//! for PODLAB_BENCH_STEPS cursor positions going back from the end, each piece the page's
//! `App` recomputes is timed as the page does it (etcd views only when the revision moves): the
//! cluster view at the revision, etcd's keys, the ownership tree, the pod timeline, the
//! scheduling cycles up to the cursor, the endpoint consumers' views. Prints each piece's median
//! and worst, and the total per step of the pieces computed while the etcd and network panels
//! are closed (as the page opens).

use std::time::Instant;

use podlab::network::consumers::ConsumerViews;
use podlab::scale::{apply_deployments, deployment_shape, grown_cluster, run_until_ready};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Milliseconds `f` took, and its result.
fn timed<R>(f: impl FnOnce() -> R) -> (f64, R) {
    let t = Instant::now();
    let r = f();
    (t.elapsed().as_secs_f64() * 1000.0, r)
}

fn summary(name: &str, times: &mut [f64]) {
    times.sort_by(f64::total_cmp);
    let at = |p: f64| {
        let i = ((times.len() as f64 - 1.0) * p).round().max(0.0) as usize;
        times.get(i).copied().unwrap_or(0.0)
    };
    println!(
        "  {name:<22} {:>4} times  median {:>8.2} ms   p90 {:>8.2} ms   worst {:>8.2} ms",
        times.len(),
        at(0.5),
        at(0.9),
        at(1.0)
    );
}

fn main() {
    let nodes = env_usize("PODLAB_BENCH_NODES", 100).max(2);
    let pods = env_usize("PODLAB_BENCH_PODS", 1_000);
    let steps = env_usize("PODLAB_BENCH_STEPS", 200);
    let (deployments, replicas) = deployment_shape(pods);
    let (build_ms, cluster) = timed(|| {
        let mut c = grown_cluster(nodes, 1);
        if let Err(text) = apply_deployments(&mut c, deployments, replicas) {
            eprintln!("page_step: apply failed: {text}");
            std::process::exit(1);
        }
        run_until_ready(&mut c, deployments * replicas, 5_000_000, |c| c.step());
        c
    });
    let trace = cluster.trace();
    println!(
        "page_step: {nodes} nodes, {pods} pods; cluster built in {build_ms:.0} ms; {} trace entries, revision {}",
        trace.len(),
        cluster.revision()
    );
    let pod = cluster
        .view_at(cluster.revision())
        .pods
        .first()
        .map(|p| format!("{}/{}", p.namespace, p.name))
        .unwrap_or_default();
    let (mut view, mut etcd_keys, mut owners, mut timeline, mut cycles, mut consumers, mut total) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    // Found once, as the page does per change of the trace.
    let pod_steps = podlab::pod_history::kubelet_steps(trace, &pod, trace.len());
    let revision_times = podlab::pod_history::RevisionTimes::of(trace);
    let pod_changes =
        podlab::pod_history::PodChanges::of(cluster.api().etcd(), &format!("/registry/pods/{pod}"));
    let updates = ConsumerViews::update_indices(trace);
    println!(
        "  pod {pod}: {} node-side steps, {} versions in etcd",
        pod_steps.len(),
        pod_changes.len()
    );
    // Kept across steps, as the page keeps them: what each object version derives to.
    let mut cache = podlab::view::ViewCache::default();
    let mut last_revision = -1;
    let mut last_cycles = usize::MAX;
    let log = cluster.trace_log();
    for back in 1..=steps.min(trace.len()) {
        let cursor = trace.len() - back;
        let revision = podlab::sim::trace::revision_after(trace, Some(cursor), cluster.revision());
        let mut step = 0.0;
        if revision != last_revision {
            let etcd = cluster.api().etcd();
            let (t, _) = timed(|| podlab::view::at_revision_cached(etcd, revision, &mut cache));
            view.push(t);
            step += t;
            // Read only while the etcd panel is open: not in the total.
            let (t, _) = timed(|| etcd.range_at("", revision));
            etcd_keys.push(t);
            let (t, _) =
                timed(|| podlab::view::ownership_at_revision_cached(etcd, revision, &mut cache));
            owners.push(t);
            step += t;
            last_revision = revision;
        }
        let (t, _) = timed(|| {
            podlab::pod_history::pod_timeline_from(
                &pod_changes,
                cluster.revision(),
                trace,
                &pod,
                Some(cursor),
                &pod_steps,
                &revision_times,
            )
        });
        timeline.push(t);
        step += t;
        // The page counts the cycles up to the cursor, and lists them only when that changes.
        let (t, _) = timed(|| {
            let shown = log
                .attachments::<podlab::scheduler::cycle::SchedulingCycle>(cursor + 1)
                .count();
            if shown != last_cycles {
                last_cycles = shown;
                podlab::scheduler::cycle::cycles(log, cursor + 1).len()
            } else {
                0
            }
        });
        cycles.push(t);
        step += t;
        // Built only while the network panel is open: not in the total.
        let (t, _) = timed(|| ConsumerViews::after_updates(trace, &updates, cursor + 1));
        consumers.push(t);
        total.push(step);
    }
    println!("  over {} steps back from the end:", total.len());
    summary("cluster view (etcd)", &mut view);
    summary("etcd keys (open)", &mut etcd_keys);
    summary("ownership tree", &mut owners);
    summary("pod timeline", &mut timeline);
    summary("scheduling cycles", &mut cycles);
    summary("consumers (open)", &mut consumers);
    summary("total, panels closed", &mut total);
}
