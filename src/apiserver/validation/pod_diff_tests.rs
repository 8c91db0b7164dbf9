//! Tests of the pod update diff: the internal layout, semantic equality and go-difflib's output.

use super::*;
use serde_json::json;

fn spec(v: serde_json::Value) -> PodSpec {
    serde_json::from_value(v).unwrap()
}

#[test]
fn unified_diff_has_hunks_with_context() {
    let a = "{\n \"a\": 1,\n \"b\": 2,\n \"c\": 3,\n \"d\": 4,\n \"e\": 5\n}";
    let b = "{\n \"a\": 1,\n \"b\": 2,\n \"c\": 30,\n \"d\": 4,\n \"e\": 5\n}";
    assert_eq!(
        unified_diff(a, b),
        "@@ -1,7 +1,7 @@\n {\n  \"a\": 1,\n  \"b\": 2,\n- \"c\": 3,\n+ \"c\": 30,\n  \"d\": 4,\n  \"e\": 5\n }\n"
    );
}

#[test]
fn distant_changes_make_separate_hunks() {
    let a: Vec<String> = (0..20).map(|i| format!("l{i}")).collect();
    let mut b = a.clone();
    b[2] = "x".into();
    b[17] = "y".into();
    let d = unified_diff(&a.join("\n"), &b.join("\n"));
    assert_eq!(
        d,
        "@@ -1,6 +1,6 @@\n l0\n l1\n-l2\n+x\n l3\n l4\n l5\n@@ -15,6 +15,6 @@\n l14\n l15\n l16\n-l17\n+y\n l18\n l19\n"
    );
}

#[test]
fn insertions_and_deletions_use_empty_ranges() {
    assert_eq!(
        unified_diff("a\nb", "a\nx\nb"),
        "@@ -1,2 +1,3 @@\n a\n+x\n b\n"
    );
    assert_eq!(
        unified_diff("a\nb\nc", "a\nc"),
        "@@ -1,3 +1,2 @@\n a\n-b\n c\n"
    );
}

#[test]
fn internal_layout_uses_go_names_and_writes_every_field() {
    let s = spec(json!({"containers": [{"name": "a", "image": "x"}],
        "volumes": [{"name": "v", "emptyDir": {}}], "hostNetwork": true, "serviceAccount": "sa"}));
    let text = pretty(&render_pod_spec(&s));
    assert!(text.starts_with("{\n \"Volumes\": [\n  {\n   \"Name\": \"v\",\n   \"HostPath\": null,\n   \"EmptyDir\": {\n    \"Medium\": \"\",\n    \"SizeLimit\": null\n   },"), "{text}");
    assert!(
        text.contains("\n \"ServiceAccountName\": \"sa\",\n"),
        "{text}"
    );
    assert!(
        text.contains("\n \"SecurityContext\": {\n  \"HostNetwork\": true,\n  \"HostPID\": false,"),
        "{text}"
    );
    assert!(text.contains("\"Resources\": {\n    \"Limits\": null,\n    \"Requests\": null,\n    \"Claims\": null\n   },"), "{text}");
    assert!(!text.contains("DeprecatedServiceAccount"));
}

#[test]
fn semantic_equality_ignores_nil_versus_empty() {
    let a =
        spec(json!({"containers": [{"name": "a", "image": "x", "ports": []}], "nodeSelector": {}}));
    let b = spec(json!({"containers": [{"name": "a", "image": "x"}]}));
    assert!(semantic_eq(&render_pod_spec(&a), &render_pod_spec(&b)));
    let c = spec(
        json!({"containers": [{"name": "a", "image": "x", "resources": {"limits": {"cpu": "0.5"}}}]}),
    );
    let d = spec(
        json!({"containers": [{"name": "a", "image": "x", "resources": {"limits": {"cpu": "500m"}}}]}),
    );
    assert!(semantic_eq(&render_pod_spec(&c), &render_pod_spec(&d)));
}

#[test]
fn forbidden_change_reports_the_diff() {
    let old = spec(
        json!({"containers": [{"name": "a", "image": "nginx:1.0", "env": [{"name": "A", "value": "1"}]}]}),
    );
    let mut new = old.clone();
    new.containers[0].image = Some("nginx:2.0".into());
    assert_eq!(forbidden_spec_change(&new, &old), None);
    new.containers[0].env.as_mut().unwrap()[0].value = Some("2".into());
    let diff = forbidden_spec_change(&new, &old).unwrap();
    assert!(
        diff.contains("-     \"Value\": \"1\",\n+     \"Value\": \"2\",\n"),
        "{diff}"
    );
    assert!(diff.starts_with("@@ -"), "{diff}");
    assert!(
        !diff.contains("nginx:2.0"),
        "images are munged back: {diff}"
    );
}
