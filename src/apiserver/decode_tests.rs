//! Decoding tests: the messages of cases 05 and 06, and Go's decoder behaviour on the usual
//! mistakes (wrong types, bad quantities, nulls, unknown fields at every depth).

use super::*;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, Pod, Service};
use serde_json::json;

fn pod_err(body: Value) -> String {
    decode::<Pod>(&body, "Pod", "v1")
        .expect_err("should fail")
        .to_string()
}

#[test]
fn case_05_unknown_fields_in_decoder_order() {
    let body = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "typo"},
        "spec": {"containers": [{"name": "app", "imagee": "nginx", "image": "nginx"}], "restartPolicyy": "Always"}
    });
    let d = decode::<Pod>(&body, "Pod", "v1").unwrap();
    assert_eq!(
        d.unknown_fields,
        vec!["spec.containers[0].imagee", "spec.restartPolicyy"]
    );
    assert_eq!(
        d.object.spec.unwrap().containers[0].image.as_deref(),
        Some("nginx")
    );
    assert_eq!(
        cannot_be_handled("Pod", "v1", &strict_decoding_error(&d.unknown_fields)),
        "Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].imagee\", unknown field \"spec.restartPolicyy\""
    );
    assert_eq!(
        unknown_field_messages(&d.unknown_fields)[0],
        "unknown field \"spec.containers[0].imagee\""
    );
}

#[test]
fn case_06_string_for_an_int32() {
    let body = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "broken"},
        "spec": {"containers": [{"name": "app", "image": "nginx", "ports": [{"containerPort": "eighty"}]}]}});
    assert_eq!(
        pod_err(body),
        "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"
    );
}

#[test]
fn type_errors_name_the_go_types() {
    let e = pod_err(json!({"metadata": {"name": "p", "labels": {"app": 1}}}));
    assert!(e.ends_with("json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"), "{e}");
    let e = pod_err(json!({"spec": {"containers": "nginx"}}));
    assert!(e.ends_with("json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container"), "{e}");
    let e = pod_err(json!({"spec": []}));
    assert!(
        e.ends_with(
            "json: cannot unmarshal array into Go struct field Pod.spec of type v1.PodSpec"
        ),
        "{e}"
    );
    let e = pod_err(json!({"spec": {"restartPolicy": 1}}));
    assert!(e.ends_with("json: cannot unmarshal number into Go struct field PodSpec.spec.restartPolicy of type v1.RestartPolicy"), "{e}");
    let e = pod_err(
        json!({"spec": {"containers": [{"name": "a", "ports": [{"containerPort": 1.5}]}]}}),
    );
    assert!(e.ends_with("json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"), "{e}");
    let e = pod_err(
        json!({"spec": {"containers": [{"name": "a", "ports": [{"containerPort": 99999999999i64}]}]}}),
    );
    assert!(e.ends_with("json: cannot unmarshal number 99999999999 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"), "{e}");
    let e = pod_err(json!({"spec": {"terminationGracePeriodSeconds": "30"}}));
    assert!(e.ends_with("json: cannot unmarshal string into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64"), "{e}");
    let e = pod_err(json!({"spec": {"containers": [{"name": "a", "command": ["sh", 1]}]}}));
    assert!(e.ends_with("json: cannot unmarshal number into Go struct field Container.spec.containers.command of type string"), "{e}");
    let e = pod_err(json!({"metadata": {"creationTimestamp": 5}}));
    assert!(e.ends_with("json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string"), "{e}");
}

#[test]
fn int_or_string_errors_get_the_outer_context() {
    let body =
        json!({"metadata": {"name": "s"}, "spec": {"ports": [{"port": 80, "targetPort": true}]}});
    let e = decode::<Service>(&body, "Service", "v1")
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "Service in version \"v1\" cannot be handled as a Service: json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32"
    );
    let body =
        json!({"metadata": {"name": "s"}, "spec": {"ports": [{"port": 80, "targetPort": "http"}]}});
    assert!(decode::<Service>(&body, "Service", "v1").is_ok());
}

#[test]
fn quantities_are_checked_and_canonicalized() {
    let e = pod_err(
        json!({"spec": {"containers": [{"name": "a", "resources": {"limits": {"cpu": "one"}}}]}}),
    );
    assert_eq!(
        e,
        "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    );
    let body = json!({"spec": {"containers": [{"name": "a", "resources": {"limits": {"cpu": 0.5, "memory": "1024Mi"}}}]}});
    let pod = decode::<Pod>(&body, "Pod", "v1").unwrap().object;
    let limits = pod.spec.unwrap().containers[0]
        .resources
        .clone()
        .unwrap()
        .limits
        .unwrap();
    assert_eq!(limits["cpu"].0, "500m");
    assert_eq!(limits["memory"].0, "1Gi");
}

#[test]
fn unmarshaler_errors_win_over_type_errors_which_win_over_unknown_fields() {
    let e = pod_err(json!({"metadata": {"labels": {"a": 1}, "zzz": 1},
        "spec": {"containers": [{"name": "a", "resources": {"limits": {"cpu": "x"}}}]}}));
    assert!(e.ends_with("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"), "{e}");
    let e = pod_err(json!({"metadata": {"labels": {"a": 1}, "zzz": 1}}));
    assert!(e.ends_with("of type string"), "{e}");
}

#[test]
fn nulls_are_ignored_like_go() {
    let body = json!({"metadata": {"name": "p", "labels": null},
        "spec": {"containers": [{"name": "a", "image": null, "ports": null}], "nodeSelector": {"disk": null}}});
    let d = decode::<Pod>(&body, "Pod", "v1").unwrap();
    assert!(d.unknown_fields.is_empty());
    let spec = d.object.spec.unwrap();
    assert_eq!(spec.containers[0].image, None);
    assert_eq!(spec.node_selector.unwrap()["disk"], "");
}

#[test]
fn unknown_fields_everywhere_but_inside_unknown_ones() {
    let body = json!({"apiVersion": "v1", "kind": "Pod", "extra": {"deep": 1},
        "metadata": {"name": "p", "labelz": {"a": "b"}},
        "spec": {"containers": [{"name": "a", "image": "x", "ports": [{"containerPort": 80, "hostport": 1}]},
                                 {"name": "b", "image": "y", "Image": "z"}]}});
    let d = decode::<Pod>(&body, "Pod", "v1").unwrap();
    assert_eq!(
        d.unknown_fields,
        vec![
            "extra",
            "metadata.labelz",
            "spec.containers[0].ports[0].hostport",
            "spec.containers[1].Image"
        ]
    );
}

#[test]
fn templates_in_deployments() {
    let body = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "d"}},
                 "template": {"metadata": {"labels": {"app": "d"}},
                              "spec": {"containers": [{"name": "a", "imagee": "x"}]}}}});
    let d = decode::<Deployment>(&body, "Deployment", "v1").unwrap();
    assert_eq!(
        d.unknown_fields,
        vec!["spec.template.spec.containers[0].imagee"]
    );
    let body = json!({"spec": {"replicas": "2"}});
    let e = decode::<Deployment>(&body, "Deployment", "v1")
        .unwrap_err()
        .to_string();
    assert!(e.ends_with("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"), "{e}");
}

#[test]
fn base64_in_binary_data() {
    let body = json!({"metadata": {"name": "c"}, "binaryData": {"k": "YWJj!"}});
    let e = decode::<ConfigMap>(&body, "ConfigMap", "v1")
        .unwrap_err()
        .to_string();
    assert_eq!(e, "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: illegal base64 data at input byte 4");
    assert_eq!(go_base64_check("YWJj"), Ok(()));
    assert_eq!(go_base64_check("YWI="), Ok(()));
    assert_eq!(go_base64_check("YQ=="), Ok(()));
    assert_eq!(go_base64_check("abc"), Err(0));
    assert_eq!(go_base64_check("YQ="), Err(3));
    assert_eq!(go_base64_check("YWJjZA==x"), Err(8));
}

#[test]
fn times() {
    assert_eq!(check_rfc3339("2024-05-01T10:00:00Z"), Ok(()));
    assert_eq!(check_rfc3339("2024-05-01T10:00:00.5+02:00"), Ok(()));
    assert_eq!(
        check_rfc3339("yesterday").unwrap_err(),
        "parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\""
    );
    assert_eq!(
        check_rfc3339("2024-13-01T10:00:00Z").unwrap_err(),
        "parsing time \"2024-13-01T10:00:00Z\": month out of range"
    );
}

#[test]
fn go_number_texts() {
    let n = |v: Value| match v {
        Value::Number(n) => go_number_text(&n),
        _ => unreachable!(),
    };
    assert_eq!(n(json!(80)), "80");
    assert_eq!(n(json!(80.0)), "80");
    assert_eq!(n(json!(1.5)), "1.5");
    assert_eq!(n(json!(1e21)), "1e+21");
    assert_eq!(n(json!(1.5e-7)), "1.5e-7");
}

#[test]
fn serde_fallback_messages() {
    assert_eq!(
        serde_message("invalid type: string \"x\", expected i32 at line 1 column 2"),
        "json: cannot unmarshal string into Go value of type int32"
    );
}
