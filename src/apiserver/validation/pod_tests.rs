//! Pod validation tests: messages from the recorded transcripts (cases 03 and 04) and from the
//! expectations of `pkg/apis/core/validation/validation_test.go`.

use super::*;
use serde_json::json;

/// A pod as the server validates it: after defaulting (what `SetDefaults_Pod` and friends fill in).
fn defaulted(mut pod: serde_json::Value) -> Pod {
    let spec = pod["spec"].as_object_mut().expect("spec");
    spec.entry("restartPolicy").or_insert(json!("Always"));
    spec.entry("dnsPolicy").or_insert(json!("ClusterFirst"));
    spec.entry("terminationGracePeriodSeconds")
        .or_insert(json!(30));
    spec.entry("schedulerName")
        .or_insert(json!("default-scheduler"));
    spec.entry("securityContext").or_insert(json!({}));
    spec.entry("serviceAccountName").or_insert(json!("default"));
    for list in ["containers", "initContainers"] {
        if let Some(cs) = spec.get_mut(list).and_then(|c| c.as_array_mut()) {
            for c in cs {
                let c = c.as_object_mut().expect("container");
                c.entry("imagePullPolicy").or_insert(json!("IfNotPresent"));
                c.entry("terminationMessagePath")
                    .or_insert(json!("/dev/termination-log"));
                c.entry("terminationMessagePolicy").or_insert(json!("File"));
                if let Some(ports) = c.get_mut("ports").and_then(|p| p.as_array_mut()) {
                    for p in ports {
                        p.as_object_mut()
                            .expect("port")
                            .entry("protocol")
                            .or_insert(json!("TCP"));
                    }
                }
            }
        }
    }
    let meta = pod["metadata"].as_object_mut().expect("metadata");
    meta.entry("namespace").or_insert(json!("default"));
    serde_json::from_value(pod).expect("pod")
}

fn pod_with(container: serde_json::Value) -> Pod {
    defaulted(json!({"metadata": {"name": "p"}, "spec": {"containers": [container]}}))
}

fn messages(errs: &ErrorList) -> Vec<String> {
    errs.iter().map(|e| e.to_string()).collect()
}

#[test]
fn valid_pod_has_no_errors() {
    let pod = pod_with(json!({"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]}));
    assert_eq!(messages(&validate_pod_create(&pod)), Vec::<String>::new());
}

#[test]
fn case_03_invalid_pod_and_container_names() {
    let pod = defaulted(json!({
        "metadata": {"name": "My_Pod"},
        "spec": {"containers": [{"name": "Web_Server", "image": "nginx"}]}
    }));
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec![
            "metadata.name: Invalid value: \"My_Pod\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".to_string(),
            "spec.containers[0].name: Invalid value: \"Web_Server\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')".to_string(),
        ]
    );
}

#[test]
fn case_04_missing_image_and_no_containers() {
    let pod = pod_with(json!({"name": "app"}));
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec!["spec.containers[0].image: Required value"]
    );
    let pod = defaulted(json!({"metadata": {"name": "nocontainers"}, "spec": {"containers": []}}));
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec!["spec.containers: Required value"]
    );
}

#[test]
fn pull_policy_and_restart_policy_supported_values() {
    let pod = pod_with(json!({"name": "a", "image": "x", "imagePullPolicy": "Foo"}));
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec!["spec.containers[0].imagePullPolicy: Unsupported value: \"Foo\": supported values: \"Always\", \"IfNotPresent\", \"Never\""]
    );
    let mut pod = pod_with(json!({"name": "a", "image": "x"}));
    pod.spec.as_mut().unwrap().restart_policy = Some("Sometimes".into());
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec!["spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""]
    );
    let mut pod = pod_with(json!({"name": "a", "image": "x"}));
    pod.spec.as_mut().unwrap().dns_policy = Some("Bad".into());
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec!["spec.dnsPolicy: Unsupported value: \"Bad\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\""]
    );
}

#[test]
fn container_ports() {
    let pod = pod_with(json!({"name": "a", "image": "x", "ports": [
        {"containerPort": 0},
        {"containerPort": 70000, "protocol": "tcp"},
        {"containerPort": 80, "name": "http"},
        {"containerPort": 81, "name": "http"},
        {"containerPort": 82, "name": "HTTP"},
    ]}));
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec![
            "spec.containers[0].ports[0].containerPort: Required value",
            "spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
            "spec.containers[0].ports[1].protocol: Unsupported value: \"tcp\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            "spec.containers[0].ports[3].name: Duplicate value: \"http\"",
            "spec.containers[0].ports[4].name: Invalid value: \"HTTP\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "spec.containers[0].ports[4].name: Invalid value: \"HTTP\": must contain at least one letter (a-z)",
        ]
    );
}

#[test]
fn duplicate_container_names_and_host_ports() {
    let pod = defaulted(json!({"metadata": {"name": "p"}, "spec": {"containers": [
        {"name": "a", "image": "x", "ports": [{"containerPort": 80, "hostPort": 8080}]},
        {"name": "a", "image": "y", "ports": [{"containerPort": 81, "hostPort": 8080}]},
    ]}}));
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec![
            "spec.containers[1].name: Duplicate value: \"a\"",
            "spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP//8080\"",
        ]
    );
}

#[test]
fn env_names_use_the_relaxed_rule() {
    let pod = pod_with(json!({"name": "a", "image": "x", "env": [
        {"name": "1ok"}, {"name": "A=B"}, {"name": ""},
    ]}));
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec![
            "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
            "spec.containers[0].env[2].name: Required value",
        ]
    );
}

#[test]
fn env_value_from_field_ref() {
    let pod = pod_with(json!({"name": "a", "image": "x", "env": [
        {"name": "N", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.bogus"}}},
        {"name": "M", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.phase"}}},
    ]}));
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec![
            "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: \"spec.bogus\": error converting fieldPath: field label not supported: spec.bogus",
            "spec.containers[0].env[1].valueFrom.fieldRef.fieldPath: Unsupported value: \"status.phase\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\"",
        ]
    );
}

#[test]
fn volume_mounts_need_a_volume() {
    let pod = pod_with(json!({"name": "a", "image": "x", "volumeMounts": [
        {"name": "data", "mountPath": "/data"},
        {"name": "data", "mountPath": "/data"},
    ]}));
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec![
            "spec.containers[0].volumeMounts[0].name: Not found: \"data\"",
            "spec.containers[0].volumeMounts[1].name: Not found: \"data\"",
            "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique",
        ]
    );
}

#[test]
fn volumes_need_a_source_and_a_name() {
    let mut pod = pod_with(
        json!({"name": "a", "image": "x", "volumeMounts": [{"name": "cache", "mountPath": "/c"}]}),
    );
    pod.spec.as_mut().unwrap().volumes = Some(vec![
        serde_json::from_value(json!({"name": "cache", "emptyDir": {}})).unwrap(),
        serde_json::from_value(json!({"name": "Bad_Name"})).unwrap(),
        serde_json::from_value(
            json!({"name": "cache", "hostPath": {"path": "/x", "type": "Nope"}}),
        )
        .unwrap(),
        serde_json::from_value(json!({"name": "two", "emptyDir": {}, "configMap": {"name": "c"}}))
            .unwrap(),
    ]);
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec![
            "spec.volumes[1]: Required value: must specify a volume type".to_string(),
            "spec.volumes[1].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')".to_string(),
            "spec.volumes[2].hostPath.type: Unsupported value: \"Nope\": supported values: \"\", \"BlockDevice\", \"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\"".to_string(),
            "spec.volumes[2].name: Duplicate value: \"cache\"".to_string(),
            "spec.volumes[3].configMap: Forbidden: may not specify more than 1 volume type".to_string(),
        ]
    );
}

#[test]
fn requests_must_not_exceed_limits() {
    let pod = pod_with(json!({"name": "a", "image": "x", "resources": {
        "limits": {"cpu": "1", "memory": "128Mi"},
        "requests": {"cpu": "2", "memory": "1Gi"}
    }}));
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec![
            "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1",
            "spec.containers[0].resources.requests: Invalid value: \"1Gi\": must be less than or equal to memory limit of 128Mi",
        ]
    );
}

#[test]
fn resource_names_and_values() {
    let pod = pod_with(json!({"name": "a", "image": "x", "resources": {
        "limits": {"cpu": "-1", "gpu": "1", "example.com/dongle": "1500m"}
    }}));
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec![
            "spec.containers[0].resources.limits[cpu]: Invalid value: \"-1\": must be greater than or equal to 0",
            "spec.containers[0].resources.limits[example.com/dongle]: Invalid value: \"1500m\": must be an integer",
            "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource type or fully qualified",
            "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource for containers",
        ]
    );
}

#[test]
fn probes() {
    let pod = pod_with(json!({"name": "a", "image": "x",
        "livenessProbe": {"httpGet": {"path": "/", "port": 0, "scheme": "HTTP"}, "successThreshold": 2,
                          "timeoutSeconds": 1, "periodSeconds": 10, "failureThreshold": 3},
        "readinessProbe": {"successThreshold": 1, "timeoutSeconds": 1, "periodSeconds": 10, "failureThreshold": 3}
    }));
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec![
            "spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive",
            "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
            "spec.containers[0].readinessProbe: Required value: must specify a handler type",
        ]
    );
}

#[test]
fn termination_grace_period_is_required() {
    let mut pod = pod_with(json!({"name": "a", "image": "x"}));
    pod.spec.as_mut().unwrap().termination_grace_period_seconds = None;
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec!["spec.terminationGracePeriodSeconds: Required value"]
    );
}

#[test]
fn node_selector_labels() {
    let mut pod = pod_with(json!({"name": "a", "image": "x"}));
    pod.spec.as_mut().unwrap().node_selector = Some(BTreeMap::from([(
        "disk".to_string(),
        "fast ssd".to_string(),
    )]));
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec!["spec.nodeSelector: Invalid value: \"fast ssd\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]
    );
}

#[test]
fn tolerations() {
    let mut pod = pod_with(json!({"name": "a", "image": "x"}));
    pod.spec.as_mut().unwrap().tolerations = Some(serde_json::from_value(json!([
        {"key": "k", "operator": "Foo", "value": "v"},
        {"operator": "Equal", "value": "v"},
        {"key": "k", "operator": "Exists", "value": "v", "effect": "NoSchedule", "tolerationSeconds": 5},
        {"key": "k", "operator": "Exists", "effect": "Sometimes"},
    ])).unwrap());
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec![
            "spec.tolerations[0].operator: Unsupported value: \"Foo\": supported values: \"Equal\", \"Exists\"",
            "spec.tolerations[1].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            "spec.tolerations[2].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
            "spec.tolerations[2].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
            "spec.tolerations[3].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
        ]
    );
}

#[test]
fn image_whitespace_is_refused() {
    let pod = pod_with(json!({"name": "a", "image": " nginx"}));
    assert_eq!(
        messages(&validate_pod_create(&pod)),
        vec!["spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace"]
    );
}

#[test]
fn update_allows_image_changes_only() {
    let mut old = pod_with(json!({"name": "a", "image": "nginx:1.0"}));
    old.metadata.resource_version = Some("1".into());
    old.metadata.uid = Some("u".into());
    let mut new = old.clone();
    new.spec.as_mut().unwrap().containers[0].image = Some("nginx:2.0".into());
    assert_eq!(
        messages(&validate_pod_update(&new, &old)),
        Vec::<String>::new()
    );

    new.spec.as_mut().unwrap().containers[0].args = Some(vec!["-v".into()]);
    let errs = validate_pod_update(&new, &old);
    assert_eq!(errs.len(), 1);
    let msg = errs[0].to_string();
    assert!(msg.starts_with("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"), "{msg}");
    assert_eq!(errs[0].kind.cause_reason(), "FieldValueForbidden");
}

#[test]
fn update_may_not_add_containers_or_remove_tolerations() {
    let mut old = pod_with(json!({"name": "a", "image": "x"}));
    old.metadata.resource_version = Some("1".into());
    let mut new = old.clone();
    new.spec
        .as_mut()
        .unwrap()
        .containers
        .push(old.spec.as_ref().unwrap().containers[0].clone());
    new.spec.as_mut().unwrap().containers[1].name = "b".into();
    assert_eq!(
        messages(&validate_pod_update(&new, &old)),
        vec!["spec.containers: Forbidden: pod updates may not add or remove containers"]
    );
    old.spec.as_mut().unwrap().tolerations =
        Some(serde_json::from_value(json!([{"key": "k", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}])).unwrap());
    let mut new = old.clone();
    new.spec.as_mut().unwrap().tolerations.as_mut().unwrap()[0].toleration_seconds = Some(60);
    assert_eq!(
        messages(&validate_pod_update(&new, &old)),
        Vec::<String>::new()
    );
    new.spec.as_mut().unwrap().tolerations = Some(Vec::new());
    assert_eq!(
        messages(&validate_pod_update(&new, &old)),
        vec!["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"]
    );
}

#[test]
fn warning_for_dotted_pod_names() {
    let pod = defaulted(
        json!({"metadata": {"name": "my.pod"}, "spec": {"containers": [{"name": "a", "image": "x"}]}}),
    );
    assert_eq!(
        pod_create_warnings(&pod),
        vec!["metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]"]
    );
}

/// The pod of case 01 as the server stored it (after defaulting and admission).
fn case_01_pod() -> Pod {
    serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "nginx", "namespace": "default", "resourceVersion": "268", "generation": 1,
                     "uid": "aa358aca-7596-4dd0-8126-dd13f5688efd", "creationTimestamp": "2026-11-21T14:03:13Z"},
        "spec": {
            "containers": [{"image": "nginx:1.27", "imagePullPolicy": "IfNotPresent", "name": "nginx",
                "ports": [{"containerPort": 80, "protocol": "TCP"}], "resources": {},
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                                  "name": "kube-api-access-nz95l", "readOnly": true}]}],
            "dnsPolicy": "ClusterFirst", "enableServiceLinks": true, "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0, "restartPolicy": "Always", "schedulerName": "default-scheduler", "securityContext": {},
            "serviceAccount": "default", "serviceAccountName": "default", "terminationGracePeriodSeconds": 30,
            "tolerations": [
                {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
                {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}],
            "volumes": [{"name": "kube-api-access-nz95l", "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
            ]}}]
        }
    }))
    .expect("pod")
}

#[test]
fn case_01_stored_pod_is_valid_and_updatable() {
    let pod = case_01_pod();
    assert_eq!(messages(&validate_pod_create(&pod)), Vec::<String>::new());
    let mut new = pod.clone();
    new.spec.as_mut().unwrap().containers[0].image = Some("nginx:1.28".into());
    assert_eq!(
        messages(&validate_pod_update(&new, &pod)),
        Vec::<String>::new()
    );
}

#[test]
fn case_01_port_change_is_refused_with_a_diff() {
    let pod = case_01_pod();
    let mut new = pod.clone();
    new.spec.as_mut().unwrap().containers[0]
        .ports
        .as_mut()
        .unwrap()[0]
        .container_port = 8080;
    let errs = validate_pod_update(&new, &pod);
    assert_eq!(errs.len(), 1);
    let detail = &errs[0].detail;
    let (first, diff) = detail.split_once('\n').unwrap();
    assert_eq!(first, pod_update_forbidden_prefix());
    assert!(
        diff.contains("-     \"ContainerPort\": 80,\n+     \"ContainerPort\": 8080,\n"),
        "{diff}"
    );
    assert!(diff.starts_with("@@ -"), "{diff}");
}

#[test]
fn projected_sources_may_not_repeat_a_path() {
    let pod = defaulted(json!({
        "metadata": {"name": "p"},
        "spec": {
            "containers": [{"name": "c", "image": "busybox"}],
            "volumes": [{"name": "v", "projected": {"defaultMode": 420, "sources": [
                {"secret": {"name": "s", "items": [{"key": "k", "path": "a"}]}},
                {"configMap": {"name": "cm", "items": [{"key": "k", "path": "a"}]}},
                {"configMap": {"name": "", "items": [{"key": "k", "path": "b"}]}}
            ]}}]
        }
    }));
    let msgs = messages(&validate_pod_create(&pod));
    assert!(
        msgs.contains(
            &"spec.volumes[0].projected: Invalid value: \"cm\": conflicting duplicate paths"
                .to_string()
        ),
        "{msgs:?}"
    );
    assert!(
        msgs.contains(
            &"spec.volumes[0].projected.sources[2].configMap.name: Required value".to_string()
        ),
        "{msgs:?}"
    );
    assert!(
        !msgs.iter().any(|m| m.contains("\"s\": conflicting")),
        "{msgs:?}"
    );
}
