//! The page at scale: `index.html?perf=NODESxPODS` (e.g. `?perf=100x1000`) starts the page on
//! a Default cluster grown to NODES nodes with PODS nginx replicas (Deployments of 100 behind
//! Services) already running and ready ([`crate::scale`]), the whole trace revealed, so that
//! scripts/bench-page.py can time what issue 8 asks: stepping one event re-renders in under a
//! frame, and a long trace scrolls smoothly. Building it blocks the page until it is settled.

use crate::scale::{apply_deployments, deployment_shape, grown_cluster, run_until_ready};

use super::state::{Lab, SEED};

/// At most this many events are run to settle the cluster.
const MAX_EVENTS: usize = 5_000_000;

/// The (nodes, pods) `?perf=NODESxPODS` asks for, if it does and both are numbers.
pub fn requested(query: &str) -> Option<(usize, usize)> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let value = query.split('&').find_map(|p| p.strip_prefix("perf="))?;
    let (nodes, pods) = value.split_once('x')?;
    Some((nodes.trim().parse().ok()?, pods.trim().parse().ok()?))
}

/// The page on a settled cluster of `nodes` nodes running `pods` replicas; the editor holds the
/// first Deployment and its Service.
pub fn lab(nodes: usize, pods: usize) -> Lab {
    let (deployments, replicas) = deployment_shape(pods);
    let mut cluster = grown_cluster(nodes, SEED);
    let applied = apply_deployments(&mut cluster, deployments, replicas);
    run_until_ready(&mut cluster, deployments * replicas, MAX_EVENTS, |c| {
        c.step()
    });
    let mut lab = Lab::new(
        cluster,
        crate::scale::deployment_behind_service(0, replicas),
    );
    if let Err(text) = applied {
        lab.act(super::state::Action::Notice(Some(text)));
    }
    lab
}
