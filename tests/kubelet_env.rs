//! The environment and files the kubelet gives a container, as the docs' examples print them
//! (tasks/configure-pod-container/configure-pod-configmap.md, inject-data-application).

use podlab::kubelet::NodeConfig;
use podlab::{Cluster, Preset};

fn cluster() -> Cluster {
    let mut c = Cluster::new(Preset::Empty, 1);
    let mut node = NodeConfig::worker("worker", "10.200.0.1", "10.244.5.0/24", "", "2", "4Gi");
    node.zone = None;
    node.can_pull = false;
    node.images = vec!["busybox:1.36".into()];
    c.add_node(node);
    c.advance(100);
    c
}

const CONFIG: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: special-config
data:
  SPECIAL_LEVEL: very
  SPECIAL_TYPE: charm
";

#[test]
fn env_from_a_config_map_is_printed_by_the_container() {
    let mut c = cluster();
    c.kubectl("kubectl apply -f -", Some(CONFIG));
    let pod = "apiVersion: v1
kind: Pod
metadata:
  name: dapi-test-pod
spec:
  containers:
  - name: test-container
    image: busybox:1.36
    command: [ \"/bin/sh\", \"-c\", \"printenv SPECIAL_LEVEL SPECIAL_TYPE; ls /etc/config; sleep 3600\" ]
    envFrom:
    - configMapRef:
        name: special-config
    volumeMounts:
    - name: config-volume
      mountPath: /etc/config
  volumes:
  - name: config-volume
    configMap:
      name: special-config
";
    c.kubectl("kubectl apply -f -", Some(pod));
    c.advance(5_000);
    let logs = c.kubectl("kubectl logs dapi-test-pod", None);
    assert_eq!(logs.text, "very\ncharm\nSPECIAL_LEVEL\nSPECIAL_TYPE\n");
    let exec = c.kubectl("kubectl exec dapi-test-pod -- printenv SPECIAL_TYPE", None);
    assert_eq!(exec.text, "charm\n");
    let exec = c.kubectl(
        "kubectl exec dapi-test-pod -- cat /etc/config/SPECIAL_LEVEL",
        None,
    );
    assert_eq!(exec.text, "very");
}

#[test]
fn missing_config_maps_fail_mounts_and_container_configs() {
    let mut c = cluster();
    let volume = "apiVersion: v1
kind: Pod
metadata:
  name: vol
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: ['sleep', '3600']
    volumeMounts:
    - name: config
      mountPath: /config
  volumes:
  - name: config
    configMap:
      name: game-demo
";
    let env = "apiVersion: v1
kind: Pod
metadata:
  name: env
spec:
  containers:
  - name: c
    image: busybox:1.36
    command: ['sleep', '3600']
    env:
    - name: X
      valueFrom:
        configMapKeyRef:
          name: x
          key: k
";
    c.kubectl("kubectl apply -f -", Some(volume));
    c.kubectl("kubectl apply -f -", Some(env));
    c.advance(15_000);
    let pods = c.kubectl("kubectl get pods --no-headers", None).text;
    assert!(
        pods.contains("env   0/1   CreateContainerConfigError"),
        "{pods}"
    );
    assert!(pods.contains("vol   0/1   ContainerCreating"), "{pods}");
    let describe = c.kubectl("kubectl describe pod vol", None).text;
    assert!(
        describe.contains(
            "MountVolume.SetUp failed for volume \"config\" : configmap \"game-demo\" not found"
        ),
        "{describe}"
    );
    let describe = c.kubectl("kubectl describe pod env", None).text;
    assert!(
        describe.contains("Error: configmap \"x\" not found"),
        "{describe}"
    );
    c.kubectl(
        "kubectl create configmap game-demo --from-literal=a=b",
        None,
    );
    c.advance(130_000);
    let pods = c.kubectl("kubectl get pod vol --no-headers", None).text;
    assert!(pods.contains("1/1"), "{pods}");
}
