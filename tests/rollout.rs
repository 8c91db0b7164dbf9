//! `kubectl rollout status` keeps watching while virtual time passes (Outcome::wait_for, handled
//! by the Cluster): until the rollout is done, until `--timeout`, or until a `timeout` process
//! limit stops it with exit code 124.

use podlab::cluster::{Cluster, Preset};

fn cluster_with_deployment() -> Cluster {
    let mut c = Cluster::new(Preset::Default, 3);
    let out = c.kubectl(
        "kubectl create deployment web --image=nginx:1.27 --replicas=2",
        None,
    );
    assert_eq!(out.text, "deployment.apps/web created\n");
    c
}

#[test]
fn rollout_status_waits_until_the_rollout_is_done() {
    let mut c = cluster_with_deployment();
    let before = c.now();
    let out = c.kubectl("kubectl rollout status deployment/web", None);
    assert_eq!(out.exit_code, 0);
    assert!(out
        .text
        .starts_with("Waiting for deployment spec update to be observed...\n"));
    assert!(out
        .text
        .ends_with("deployment \"web\" successfully rolled out\n"));
    assert!(c.now() > before, "virtual time passed while it watched");
    // Done already: one line, at once.
    let again = c.kubectl("kubectl rollout status deployment/web", None);
    assert_eq!(again.text, "deployment \"web\" successfully rolled out\n");
}

#[test]
fn a_timeout_process_limit_stops_the_watch_with_124() {
    let mut c = cluster_with_deployment();
    let out = c.kubectl_for(
        "kubectl rollout status deployment/web",
        None,
        &|_| None,
        300,
    );
    assert_eq!(out.exit_code, 124);
    assert!(!out.text.contains("successfully rolled out"));
}

#[test]
fn the_timeout_flag_ends_the_wait_with_kubectl_s_error() {
    let mut c = cluster_with_deployment();
    let out = c.kubectl(
        "kubectl rollout status deployment/web --timeout=100ms",
        None,
    );
    assert_eq!(out.exit_code, 1);
    assert!(out
        .text
        .ends_with("error: timed out waiting for the condition\n"));
}
