//! StatefulSets, PersistentVolumes and ReplicationControllers end to end on the default cluster:
//! the documentation's web StatefulSet (pods web-0, web-1 created in order with their claims
//! www-web-N), dynamic provisioning by the StorageClass's provisioner and binding, scaling up
//! and down from the highest ordinal, a rolling update, Parallel management, and a
//! ReplicationController keeping its replicas.

use podlab::{Cluster, Preset};

fn run(c: &mut Cluster, line: &str) -> String {
    let out = c.kubectl(line, None);
    assert_eq!(out.exit_code, 0, "{line}: {}", out.text);
    out.text
}

fn apply(c: &mut Cluster, yaml: &str) {
    let out = c.kubectl("kubectl apply -f -", Some(yaml));
    assert_eq!(out.exit_code, 0, "{}", out.text);
}

fn jsonpath(c: &mut Cluster, what: &str, path: &str) -> String {
    run(c, &format!("kubectl get {what} -o jsonpath={{{path}}}"))
}

/// A jsonpath template of several expressions (`{.a} {.b}`).
fn template(c: &mut Cluster, what: &str, template: &str) -> String {
    run(c, &format!("kubectl get {what} -o jsonpath='{template}'"))
}

fn web(extra_spec: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
{extra_spec}  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.21
        ports:
        - containerPort: 80
          name: web
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ \"ReadWriteOnce\" ]
      resources:
        requests:
          storage: 1Gi
"
    )
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

#[test]
fn ordered_ready_creates_one_pod_at_a_time_with_its_claim() {
    let mut c = Cluster::new(Preset::Default, 1);
    apply(&mut c, &web(""));
    c.advance(200);
    // web-1 waits for web-0 to be Running and Ready.
    assert_eq!(jsonpath(&mut c, "pods", ".items[*].metadata.name"), "web-0");
    c.advance(30_000);
    let pods = jsonpath(&mut c, "pods", ".items[*].metadata.name");
    assert_eq!(words(&pods), ["web-0", "web-1"]);
    let labels = template(
        &mut c,
        "pod web-1",
        "{.metadata.labels.statefulset\\.kubernetes\\.io/pod-name}",
    );
    assert_eq!(labels, "web-1");
    assert_eq!(
        template(
            &mut c,
            "pod web-1",
            "{.metadata.labels.apps\\.kubernetes\\.io/pod-index}"
        ),
        "1"
    );
    assert_eq!(
        template(&mut c, "pod web-1", "{.spec.hostname} {.spec.subdomain}"),
        "web-1 nginx"
    );
    assert_eq!(
        jsonpath(
            &mut c,
            "pod web-1",
            ".spec.volumes[0].persistentVolumeClaim.claimName"
        ),
        "www-web-1"
    );
    let revision = jsonpath(&mut c, "sts web", ".status.updateRevision");
    assert!(revision.starts_with("web-"), "{revision}");
    assert_eq!(
        jsonpath(
            &mut c,
            "pod web-0",
            ".metadata.labels.controller-revision-hash"
        ),
        revision
    );
    let status = template(&mut c, "sts web", "{.status.replicas} {.status.readyReplicas} {.status.currentReplicas} {.status.updatedReplicas} {.status.availableReplicas} {.status.collisionCount} {.status.observedGeneration}");
    assert_eq!(status, "2 2 2 2 2 0 1");
    let events = run(
        &mut c,
        "kubectl get events --field-selector involvedObject.kind=StatefulSet",
    );
    assert!(
        events.contains("SuccessfulCreate   statefulset/web   create Claim www-web-0 Pod web-0 in StatefulSet web success"),
        "{events}"
    );
    assert!(
        events.contains(
            "SuccessfulCreate   statefulset/web   create Pod web-1 in StatefulSet web successful"
        ),
        "{events}"
    );
}

#[test]
fn claims_are_provisioned_and_bound() {
    let mut c = Cluster::new(Preset::Default, 1);
    apply(&mut c, &web(""));
    c.advance(30_000);
    let phases = jsonpath(&mut c, "pvc", ".items[*].status.phase");
    assert_eq!(
        phases,
        "Bound Bound",
        "{}",
        run(&mut c, "kubectl get events")
    );
    let uid = jsonpath(&mut c, "pvc www-web-0", ".metadata.uid");
    assert_eq!(
        jsonpath(&mut c, "pvc www-web-0", ".spec.volumeName"),
        format!("pvc-{uid}")
    );
    let annotations = jsonpath(&mut c, "pvc www-web-0", ".metadata.annotations");
    for key in [
        "pv.kubernetes.io/bind-completed",
        "pv.kubernetes.io/bound-by-controller",
        "volume.kubernetes.io/selected-node",
        "volume.kubernetes.io/storage-provisioner",
    ] {
        assert!(annotations.contains(key), "{annotations}");
    }
    let pv = format!("pv pvc-{uid}");
    assert_eq!(
        template(
            &mut c,
            &pv,
            "{.status.phase} {.spec.claimRef.name} {.spec.persistentVolumeReclaimPolicy}"
        ),
        "Bound www-web-0 Delete"
    );
    let node = jsonpath(&mut c, "pod web-0", ".spec.nodeName");
    assert_eq!(
        jsonpath(
            &mut c,
            &pv,
            ".spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]"
        ),
        node
    );
    let events = run(
        &mut c,
        "kubectl get events --field-selector involvedObject.name=www-web-0",
    );
    for reason in [
        "ExternalProvisioning",
        "Provisioning",
        "ProvisioningSucceeded",
    ] {
        assert!(events.contains(reason), "{events}");
    }
    assert!(
        events.contains(&format!("Successfully provisioned volume pvc-{uid}")),
        "{events}"
    );
}

#[test]
fn scaling_adds_the_next_ordinal_and_removes_the_highest() {
    let mut c = Cluster::new(Preset::Default, 1);
    apply(&mut c, &web(""));
    c.advance(30_000);
    run(&mut c, "kubectl scale sts web --replicas=3");
    c.advance(30_000);
    let pods = jsonpath(&mut c, "pods", ".items[*].metadata.name");
    assert_eq!(words(&pods), ["web-0", "web-1", "web-2"]);
    run(&mut c, "kubectl scale sts web --replicas=1");
    c.advance(120_000);
    assert_eq!(jsonpath(&mut c, "pods", ".items[*].metadata.name"), "web-0");
    // Retain/Retain: the claims stay.
    let claims = jsonpath(&mut c, "pvc", ".items[*].metadata.name");
    assert_eq!(words(&claims), ["www-web-0", "www-web-1", "www-web-2"]);
    let events = run(
        &mut c,
        "kubectl get events --field-selector involvedObject.kind=StatefulSet",
    );
    let deletes: Vec<&str> = events
        .lines()
        .filter(|l| l.contains("SuccessfulDelete"))
        .collect();
    assert_eq!(deletes.len(), 2, "{events}");
    assert!(deletes[0].ends_with("delete Pod web-2 in StatefulSet web successful"));
    assert!(deletes[1].ends_with("delete Pod web-1 in StatefulSet web successful"));
}

#[test]
fn a_rolling_update_replaces_pods_from_the_highest_ordinal() {
    let mut c = Cluster::new(Preset::Default, 1);
    apply(&mut c, &web(""));
    c.advance(30_000);
    let old = jsonpath(&mut c, "sts web", ".status.currentRevision");
    apply(
        &mut c,
        &web("").replace("nginx-slim:0.21", "nginx-slim:0.24"),
    );
    // web-1 goes first; web-0 only once web-1 is back Running and Ready (each pod takes its
    // grace period to terminate in podlab's kubelet).
    c.advance(10_000);
    assert!(!template(&mut c, "pod web-1", "{.metadata.deletionTimestamp}").is_empty());
    assert_eq!(
        template(&mut c, "pod web-0", "{.metadata.deletionTimestamp}"),
        ""
    );
    c.advance(150_000);
    let status = template(&mut c, "sts web", "{.status.currentRevision} {.status.updateRevision} {.status.updatedReplicas} {.status.currentReplicas}");
    let parts = words(&status);
    assert_eq!(parts.len(), 4, "{status}");
    assert_ne!(parts[1], old);
    assert_eq!(parts[0], parts[1], "{status}");
    assert_eq!(&parts[2..], ["2", "2"]);
    let images = jsonpath(&mut c, "pods", ".items[*].spec.containers[0].image");
    assert_eq!(
        images,
        "registry.k8s.io/nginx-slim:0.24 registry.k8s.io/nginx-slim:0.24"
    );
    let revisions = jsonpath(&mut c, "controllerrevisions", ".items[*].revision");
    let mut revisions = words(&revisions);
    revisions.sort();
    assert_eq!(revisions, ["1", "2"]);
}

#[test]
fn parallel_creates_every_pod_at_once() {
    let mut c = Cluster::new(Preset::Default, 1);
    apply(&mut c, &web("  podManagementPolicy: Parallel\n"));
    c.advance(200);
    let pods = jsonpath(&mut c, "pods", ".items[*].metadata.name");
    assert_eq!(words(&pods), ["web-0", "web-1"]);
}

#[test]
fn deleting_the_set_deletes_its_pods_and_keeps_retained_claims() {
    let mut c = Cluster::new(Preset::Default, 1);
    apply(&mut c, &web(""));
    c.advance(30_000);
    run(&mut c, "kubectl delete sts web");
    c.advance(60_000);
    assert_eq!(jsonpath(&mut c, "pods", ".items[*].metadata.name"), "");
    assert_eq!(
        jsonpath(&mut c, "controllerrevisions", ".items[*].metadata.name"),
        ""
    );
    let claims = jsonpath(&mut c, "pvc", ".items[*].metadata.name");
    assert_eq!(words(&claims), ["www-web-0", "www-web-1"]);
}

/// kubectl delete's wait (kubectl/pkg/cmd/wait/delete.go `IsDeleted` with delete.go's
/// `UIDMap`) ends when the deleted pod is gone or has another UID: the StatefulSet recreating
/// web-0 under the same name does not keep it waiting for its 5-minute bound.
#[test]
fn a_deleted_pod_returns_promptly_and_comes_back_with_a_new_uid() {
    let mut c = Cluster::new(Preset::Default, 1);
    apply(&mut c, &web(""));
    c.advance(30_000);
    let old_uid = jsonpath(&mut c, "pod web-0", ".metadata.uid");
    let before = c.now();
    assert_eq!(
        run(&mut c, "kubectl delete pod web-0"),
        "pod \"web-0\" deleted from default namespace\n"
    );
    let waited = c.now() - before;
    assert!(waited < 60_000, "kubectl delete waited {waited} ms");
    c.advance(30_000);
    assert_eq!(
        template(&mut c, "pod web-0", "{.metadata.name} {.status.phase}"),
        "web-0 Running"
    );
    let new_uid = jsonpath(&mut c, "pod web-0", ".metadata.uid");
    assert!(!new_uid.is_empty());
    assert_ne!(new_uid, old_uid);
}

#[test]
fn a_static_volume_binds_to_a_matching_claim() {
    let mut c = Cluster::new(Preset::Default, 1);
    apply(
        &mut c,
        "apiVersion: v1
kind: PersistentVolume
metadata:
  name: task-pv-volume
  labels:
    type: local
spec:
  storageClassName: manual
  capacity:
    storage: 10Gi
  accessModes:
    - ReadWriteOnce
  hostPath:
    path: \"/mnt/data\"
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: task-pv-claim
spec:
  storageClassName: manual
  accessModes:
    - ReadWriteOnce
  resources:
    requests:
      storage: 3Gi
",
    );
    c.advance(5_000);
    assert_eq!(
        template(
            &mut c,
            "pv task-pv-volume",
            "{.status.phase} {.spec.claimRef.name}"
        ),
        "Bound task-pv-claim"
    );
    assert_eq!(
        template(
            &mut c,
            "pvc task-pv-claim",
            "{.status.phase} {.spec.volumeName} {.status.capacity.storage}"
        ),
        "Bound task-pv-volume 10Gi"
    );
    run(&mut c, "kubectl delete pvc task-pv-claim");
    c.advance(5_000);
    assert_eq!(
        jsonpath(&mut c, "pv task-pv-volume", ".status.phase"),
        "Released"
    );
}

#[test]
fn a_replication_controller_keeps_its_replicas() {
    let mut c = Cluster::new(Preset::Default, 1);
    apply(
        &mut c,
        "apiVersion: v1
kind: ReplicationController
metadata:
  name: nginx
spec:
  replicas: 3
  selector:
    app: nginx
  template:
    metadata:
      name: nginx
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
",
    );
    c.advance(30_000);
    let names = jsonpath(&mut c, "pods", ".items[*].metadata.name");
    assert_eq!(
        names.split(' ').filter(|n| n.starts_with("nginx-")).count(),
        3,
        "{names}"
    );
    assert_eq!(
        jsonpath(&mut c, "pods", ".items[0].metadata.ownerReferences[0].kind"),
        "ReplicationController"
    );
    assert_eq!(
        template(
            &mut c,
            "rc nginx",
            "{.status.replicas} {.status.readyReplicas} {.status.availableReplicas}"
        ),
        "3 3 3"
    );
    let events = run(
        &mut c,
        "kubectl get events --field-selector involvedObject.kind=ReplicationController",
    );
    assert!(
        events.contains("SuccessfulCreate   replicationcontroller/nginx   Created pod: nginx-"),
        "{events}"
    );
    run(&mut c, "kubectl delete rc nginx");
    c.advance(60_000);
    assert_eq!(jsonpath(&mut c, "pods", ".items[*].metadata.name"), "");
}

/// VolumeBinding's PreBind (binder.go BindPodVolumes): the scheduler, not the PV controller,
/// writes the claim's selected-node annotation, and binds the pod only once the claim is bound.
#[test]
fn the_scheduler_selects_the_node_and_binds_the_pod_after_its_claim() {
    let mut c = Cluster::new(Preset::Default, 1);
    apply(&mut c, &web(""));
    c.advance(30_000);
    let node = jsonpath(&mut c, "pod web-0", ".spec.nodeName");
    let writes: Vec<_> = c
        .trace()
        .iter()
        .filter(|e| e.action.starts_with("VolumeBinding: PreBind"))
        .filter(|e| e.object == "persistentvolumeclaim/default/www-web-0")
        .collect();
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert_eq!(writes[0].from, podlab::sim::Actor::Scheduler);
    assert_eq!(
        writes[0].detail,
        format!("volume.kubernetes.io/selected-node={node}")
    );
    let bound_at = c
        .trace()
        .iter()
        .position(|e| {
            e.action == "persistentvolume-controller: bind"
                && e.object == "persistentvolumeclaim/default/www-web-0"
        })
        .expect("the claim is bound");
    let pod_bound_at = c
        .trace()
        .iter()
        .position(|e| e.action.ends_with("/pods/web-0/binding"))
        .expect("the pod is bound");
    assert!(
        bound_at < pod_bound_at,
        "claim bound at {bound_at}, pod at {pod_bound_at}"
    );
    assert!(!c.trace().iter().any(|e| e.action.contains("stand-in")));
}

/// Reserve's static binding: a WaitForFirstConsumer claim and a local volume on one worker; the
/// scheduler puts the pod on that worker and pre-binds the volume (its claimRef), and the PV
/// controller completes the binding.
#[test]
fn a_local_volume_is_pre_bound_by_the_scheduler_on_its_node() {
    let mut c = Cluster::new(Preset::Default, 1);
    apply(
        &mut c,
        "apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local-storage
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: local-pv
spec:
  capacity:
    storage: 5Gi
  accessModes: [ReadWriteOnce]
  storageClassName: local-storage
  local:
    path: /mnt/disks/ssd1
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - key: kubernetes.io/hostname
          operator: In
          values: [worker-2]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  storageClassName: local-storage
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: app
    image: nginx
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: data
",
    );
    c.advance(20_000);
    assert_eq!(
        template(&mut c, "pvc data", "{.status.phase} {.spec.volumeName}"),
        "Bound local-pv"
    );
    assert_eq!(jsonpath(&mut c, "pod app", ".spec.nodeName"), "worker-2");
    assert!(c
        .trace()
        .iter()
        .any(|e| e.action == "VolumeBinding: PreBind" && e.object == "persistentvolume/local-pv"));
}

/// The kind-like cluster has kind's default class, and DefaultStorageClass admission gives it to
/// a claim that names none (the web StatefulSet's template names none); a bare control plane
/// has no class, and an empty class is a choice admission keeps.
#[test]
fn claims_without_a_class_get_the_default_class() {
    let mut c = Cluster::new(Preset::Default, 1);
    let classes = run(&mut c, "kubectl get sc");
    assert!(
        classes.contains("standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false"),
        "{classes}"
    );
    apply(&mut c, &web(""));
    c.advance(1_000);
    assert_eq!(
        jsonpath(&mut c, "pvc www-web-0", ".spec.storageClassName"),
        "standard"
    );
    apply(&mut c, &claim("none", "  storageClassName: \"\"\n"));
    assert_eq!(jsonpath(&mut c, "pvc none", ".spec.storageClassName"), "");
    let mut empty = Cluster::new(Preset::Empty, 1);
    apply(&mut empty, &claim("plain", ""));
    assert_eq!(
        run(&mut empty, "kubectl get pvc plain -o jsonpath={.spec}"),
        "{\"accessModes\":[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"1Gi\"}},\"volumeMode\":\"Filesystem\"}"
    );
}

fn claim(name: &str, class_line: &str) -> String {
    format!(
        "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {name}
spec:
{class_line}  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
"
    )
}

/// A pod already on a node (spec.nodeName) whose claim is not bound: the kubelet's volume
/// manager cannot process the claim (getPVCExtractPV "PVC is not bound"), WaitForAttachAndMount
/// returns the populator's error at once and SyncPod records FailedMount; no container starts.
/// Once a volume binds the claim, the pod's next sync mounts it under the volume's name.
#[test]
fn the_kubelet_waits_for_an_unbound_claim() {
    let mut c = Cluster::new(Preset::Default, 1);
    apply(&mut c, &claim("data", "  storageClassName: \"\"\n"));
    apply(
        &mut c,
        "apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  nodeName: worker-1
  containers:
  - name: app
    image: nginx
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: data
",
    );
    c.advance(30_000);
    let pods = run(&mut c, "kubectl get pod app");
    assert!(pods.contains("0/1     ContainerCreating"), "{pods}");
    let events = run(
        &mut c,
        "kubectl get events --field-selector reason=FailedMount -o jsonpath={.items[0].message}",
    );
    assert_eq!(
        events,
        "Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC default/data: PVC is not bound"
    );
    apply(
        &mut c,
        "apiVersion: v1
kind: PersistentVolume
metadata:
  name: data-pv
spec:
  storageClassName: \"\"
  capacity:
    storage: 2Gi
  accessModes: [ReadWriteOnce]
  hostPath:
    path: /mnt/data
",
    );
    c.advance(30_000);
    assert_eq!(jsonpath(&mut c, "pod app", ".status.phase"), "Running");
    let uid = jsonpath(&mut c, "pod app", ".metadata.uid");
    let mount = format!(
        "MountVolume.SetUp succeeded for volume \"data-pv\" (UniqueName: \"kubernetes.io/host-path/{uid}-data-pv\")"
    );
    assert!(
        c.trace().iter().any(|e| e.detail == mount),
        "no mount {mount}"
    );
}
