//! The ownership tree the page shows (podlab::view::ownership_at_revision), on the default
//! cluster: a Deployment owns its ReplicaSet, which owns its pods, each with kubectl's columns.

use podlab::{Cluster, Preset};

#[test]
fn a_deployment_shows_its_replica_set_and_pods() {
    let mut c = Cluster::new(Preset::Default, 1);
    let out = c.kubectl(
        "kubectl create deployment web --image=nginx:1.27 --replicas=2",
        None,
    );
    assert_eq!(out.exit_code, 0, "{}", out.text);
    c.advance(30_000);
    let forest = podlab::view::ownership_at_revision(c.api().etcd(), c.revision());
    let deployment = forest
        .iter()
        .find(|o| o.kind == "Deployment" && o.name == "web")
        .expect("the Deployment is a root");
    assert!(deployment
        .columns
        .contains(&("READY".to_string(), "2/2".to_string())));
    let [rs] = deployment.dependents.as_slice() else {
        panic!("one ReplicaSet: {:?}", deployment.dependents);
    };
    assert_eq!(rs.kind, "ReplicaSet");
    assert!(rs.name.starts_with("web-"));
    assert_eq!(rs.dependents.len(), 2);
    for pod in &rs.dependents {
        assert_eq!(pod.kind, "Pod");
        assert!(pod.name.starts_with(&rs.name));
        assert_eq!(
            pod.columns,
            vec![
                ("READY".to_string(), "1/1".to_string()),
                ("STATUS".to_string(), "Running".to_string()),
            ]
        );
    }
    // An earlier revision shows the tree as it was: before the apply, no Deployment.
    let before = podlab::view::ownership_at_revision(c.api().etcd(), 1);
    assert!(before.iter().all(|o| o.name != "web"));
}
