//! `kubectl describe daemonset|statefulset|job|cronjob` (describe.go DaemonSetDescriber,
//! StatefulSetDescriber, JobDescriber, CronJobDescriber, describeJobTemplate,
//! describeVolumeClaimTemplates, printActiveJobs).

use jiff::Timestamp;
use serde_json::Value;

use super::apps::{describe_pod_template, PodPhaseCounts};
use super::events::{describe_events, events_for};
use super::pod::controlled_by;
use super::writer::{PrefixWriter, LEVEL_0, LEVEL_1};
use super::{
    format_rfc1123z, print_annotations_multiline, print_labels_multiline,
    print_labels_multiline_with_indent,
};
use crate::kubectl::printers::duration::human_duration;
use crate::kubectl::printers::kind_tables::storage_class_of;
use crate::kubectl::printers::object::{
    as_int, format_labels, get, int_at, label_selector_string, list_at, map_at, str_at, time_at,
};
use crate::kubectl::printers::quantity::Quantity;

fn line(w: &mut PrefixWriter, level: usize, text: String) {
    w.write(level, &text);
}

fn name_and_namespace(obj: &Value, w: &mut PrefixWriter) {
    line(
        w,
        LEVEL_0,
        format!("Name:\t{}\n", str_at(obj, &["metadata", "name"])),
    );
    line(
        w,
        LEVEL_0,
        format!("Namespace:\t{}\n", str_at(obj, &["metadata", "namespace"])),
    );
}

fn labels_and_annotations(obj: &Value, w: &mut PrefixWriter) {
    print_labels_multiline(w, "Labels", map_at(obj, &["metadata", "labels"]));
    print_annotations_multiline(w, "Annotations", map_at(obj, &["metadata", "annotations"]));
}

/// LabelSelectorAsSelector(...).String(): the requirements, "" for a missing or empty selector.
fn selector_text(obj: &Value, path: &[&str]) -> String {
    match label_selector_string(get(obj, path)) {
        Some(s) => s,
        None => format!(
            "Failed to get selector: {}",
            "invalid label selector operator"
        ),
    }
}

fn opt<'a>(obj: &'a Value, path: &[&str]) -> Option<&'a Value> {
    get(obj, path).filter(|v| !v.is_null())
}

fn pods_status(w: &mut PrefixWriter, counts: &PodPhaseCounts) {
    line(
        w,
        LEVEL_0,
        format!(
            "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed\n",
            counts.running, counts.waiting, counts.succeeded, counts.failed
        ),
    );
}

/// describeDaemonSet: selector, the template's node selector, the scheduling counts (written
/// without a tab, as describe.go does), the pods the DaemonSet controls by phase, the template.
pub fn describe_daemon_set(ds: &Value, pods: &[Value], events: &[Value], now: Timestamp) -> String {
    let mut w = PrefixWriter::new();
    name_and_namespace(ds, &mut w);
    line(
        &mut w,
        LEVEL_0,
        format!("Selector:\t{}\n", selector_text(ds, &["spec", "selector"])),
    );
    line(
        &mut w,
        LEVEL_0,
        format!(
            "Node-Selector:\t{}\n",
            format_labels(map_at(ds, &["spec", "template", "spec", "nodeSelector"]))
        ),
    );
    labels_and_annotations(ds, &mut w);
    let status = |field: &str| int_at(ds, &["status", field]);
    for (title, field) in [
        (
            "Desired Number of Nodes Scheduled",
            "desiredNumberScheduled",
        ),
        (
            "Current Number of Nodes Scheduled",
            "currentNumberScheduled",
        ),
        (
            "Number of Nodes Scheduled with Up-to-date Pods",
            "updatedNumberScheduled",
        ),
        (
            "Number of Nodes Scheduled with Available Pods",
            "numberAvailable",
        ),
        ("Number of Nodes Misscheduled", "numberMisscheduled"),
    ] {
        line(&mut w, LEVEL_0, format!("{title}: {}\n", status(field)));
    }
    pods_status(&mut w, &PodPhaseCounts::of_controlled(ds, pods));
    describe_pod_template(get(ds, &["spec", "template"]), &mut w);
    describe_events(&events_for(ds, events, true), now, &mut w);
    w.finish()
}

/// describeStatefulSet: replicas, update strategy (partition and maxUnavailable under a
/// rolling update), pods by phase, the template, then the volume claim templates.
pub fn describe_stateful_set(
    sts: &Value,
    pods: &[Value],
    events: &[Value],
    now: Timestamp,
) -> String {
    let mut w = PrefixWriter::new();
    name_and_namespace(sts, &mut w);
    line(
        &mut w,
        LEVEL_0,
        format!(
            "CreationTimestamp:\t{}\n",
            format_rfc1123z(str_at(sts, &["metadata", "creationTimestamp"]))
        ),
    );
    line(
        &mut w,
        LEVEL_0,
        format!("Selector:\t{}\n", selector_text(sts, &["spec", "selector"])),
    );
    labels_and_annotations(sts, &mut w);
    line(
        &mut w,
        LEVEL_0,
        format!(
            "Replicas:\t{} desired | {} total\n",
            int_at(sts, &["spec", "replicas"]),
            int_at(sts, &["status", "replicas"])
        ),
    );
    line(
        &mut w,
        LEVEL_0,
        format!(
            "Update Strategy:\t{}\n",
            str_at(sts, &["spec", "updateStrategy", "type"])
        ),
    );
    if let Some(rolling) = opt(sts, &["spec", "updateStrategy", "rollingUpdate"]) {
        if let Some(partition) = opt(rolling, &["partition"]) {
            line(
                &mut w,
                LEVEL_1,
                format!("Partition:\t{}\n", as_int(partition)),
            );
            if let Some(max) = opt(rolling, &["maxUnavailable"]) {
                line(
                    &mut w,
                    LEVEL_1,
                    format!("MaxUnavailable:\t{}\n", int_or_string(max)),
                );
            }
        }
    }
    pods_status(&mut w, &PodPhaseCounts::of_controlled(sts, pods));
    describe_pod_template(get(sts, &["spec", "template"]), &mut w);
    describe_volume_claim_templates(list_at(sts, &["spec", "volumeClaimTemplates"]), &mut w);
    describe_events(&events_for(sts, events, true), now, &mut w);
    w.finish()
}

fn int_or_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => as_int(other).to_string(),
    }
}

/// Go's `%s` of a string slice: `[a b]`.
pub(crate) fn go_list(items: &[Value]) -> String {
    let words: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
    format!("[{}]", words.join(" "))
}

/// describeVolumeClaimTemplates: each claim's name, class, labels and annotations (as k=v
/// lists), requested storage (`<default>` without one) and access modes.
fn describe_volume_claim_templates(templates: &[Value], w: &mut PrefixWriter) {
    if templates.is_empty() {
        w.write(LEVEL_0, "Volume Claims:\t<none>\n");
        return;
    }
    w.write(LEVEL_0, "Volume Claims:\n");
    for pvc in templates {
        line(
            w,
            LEVEL_1,
            format!("Name:\t{}\n", str_at(pvc, &["metadata", "name"])),
        );
        line(
            w,
            LEVEL_1,
            format!("StorageClass:\t{}\n", storage_class_of(pvc)),
        );
        print_labels_multiline_with_indent(
            w,
            "  ",
            "Labels",
            "\t",
            map_at(pvc, &["metadata", "labels"]),
        );
        print_labels_multiline_with_indent(
            w,
            "  ",
            "Annotations",
            "\t",
            map_at(pvc, &["metadata", "annotations"]),
        );
        let capacity = get(pvc, &["spec", "resources", "requests", "storage"])
            .and_then(Value::as_str)
            .map_or("<default>".to_string(), |q| {
                Quantity::parse(q).map_or_else(|| q.to_string(), |q| q.canonical())
            });
        line(w, LEVEL_1, format!("Capacity:\t{capacity}\n"));
        line(
            w,
            LEVEL_1,
            format!(
                "Access Modes:\t{}\n",
                go_list(list_at(pvc, &["spec", "accessModes"]))
            ),
        );
    }
}

/// capIndexesListOrNone: the completed indexes cut after the first comma past 50 characters.
fn cap_indexes(indexes: &str, soft_limit: usize) -> String {
    if indexes.is_empty() {
        return "<none>".to_string();
    }
    let bytes = indexes.as_bytes();
    let mut ix = soft_limit;
    while ix < bytes.len() && bytes[ix] != b',' {
        ix += 1;
    }
    if ix >= bytes.len() {
        return indexes.to_string();
    }
    format!("{}...", indexes.get(..=ix).unwrap_or(indexes))
}

fn time_line(w: &mut PrefixWriter, title: &str, obj: &Value, path: &[&str]) {
    if let Some(t) = get(obj, path).and_then(Value::as_str) {
        line(w, LEVEL_0, format!("{title}:\t{}\n", format_rfc1123z(t)));
    }
}

/// describeJob: counts and limits that are set, start/completion times and duration, pod
/// statuses (with Ready once the controller reports it), completed indexes of an Indexed job,
/// the template.
pub fn describe_job(job: &Value, events: &[Value], now: Timestamp) -> String {
    let mut w = PrefixWriter::new();
    name_and_namespace(job, &mut w);
    line(
        &mut w,
        LEVEL_0,
        format!("Selector:\t{}\n", selector_text(job, &["spec", "selector"])),
    );
    labels_and_annotations(job, &mut w);
    if let Some(controller) = controlled_by(job) {
        line(&mut w, LEVEL_0, format!("Controlled By:\t{controller}\n"));
    }
    if let Some(p) = opt(job, &["spec", "parallelism"]) {
        line(&mut w, LEVEL_0, format!("Parallelism:\t{}\n", as_int(p)));
    }
    match opt(job, &["spec", "completions"]) {
        Some(c) => line(&mut w, LEVEL_0, format!("Completions:\t{}\n", as_int(c))),
        None => w.write(LEVEL_0, "Completions:\t<unset>\n"),
    }
    let mode = opt(job, &["spec", "completionMode"]).and_then(Value::as_str);
    if let Some(mode) = mode {
        line(&mut w, LEVEL_0, format!("Completion Mode:\t{mode}\n"));
    }
    if let Some(suspend) = opt(job, &["spec", "suspend"]).and_then(Value::as_bool) {
        line(&mut w, LEVEL_0, format!("Suspend:\t{suspend}\n"));
    }
    if let Some(limit) = opt(job, &["spec", "backoffLimit"]) {
        line(
            &mut w,
            LEVEL_0,
            format!("Backoff Limit:\t{}\n", as_int(limit)),
        );
    }
    if let Some(ttl) = opt(job, &["spec", "ttlSecondsAfterFinished"]) {
        line(
            &mut w,
            LEVEL_0,
            format!("TTL Seconds After Finished:\t{}\n", as_int(ttl)),
        );
    }
    time_line(&mut w, "Start Time", job, &["status", "startTime"]);
    time_line(&mut w, "Completed At", job, &["status", "completionTime"]);
    let start = time_at(job, &["status", "startTime"]);
    let done = time_at(job, &["status", "completionTime"]);
    if let (Some(start), Some(done)) = (start, done) {
        line(
            &mut w,
            LEVEL_0,
            format!(
                "Duration:\t{}\n",
                human_duration(done.duration_since(start))
            ),
        );
    }
    if let Some(deadline) = opt(job, &["spec", "activeDeadlineSeconds"]) {
        line(
            &mut w,
            LEVEL_0,
            format!("Active Deadline Seconds:\t{}s\n", as_int(deadline)),
        );
    }
    let status = |f: &str| int_at(job, &["status", f]);
    let statuses = match opt(job, &["status", "ready"]) {
        None => format!(
            "{} Active / {} Succeeded / {} Failed",
            status("active"),
            status("succeeded"),
            status("failed")
        ),
        Some(ready) => format!(
            "{} Active ({} Ready) / {} Succeeded / {} Failed",
            status("active"),
            as_int(ready),
            status("succeeded"),
            status("failed")
        ),
    };
    line(&mut w, LEVEL_0, format!("Pods Statuses:\t{statuses}\n"));
    if mode == Some("Indexed") {
        line(
            &mut w,
            LEVEL_0,
            format!(
                "Completed Indexes:\t{}\n",
                cap_indexes(str_at(job, &["status", "completedIndexes"]), 50)
            ),
        );
    }
    describe_pod_template(get(job, &["spec", "template"]), &mut w);
    describe_events(&events_for(job, events, true), now, &mut w);
    w.finish()
}

fn set_or_unset(w: &mut PrefixWriter, title: &str, value: Option<&Value>, suffix: &str) {
    match value {
        Some(v) => line(w, LEVEL_0, format!("{title}:\t{}{suffix}\n", as_int(v))),
        None => line(w, LEVEL_0, format!("{title}:\t<unset>\n")),
    }
}

/// describeCronJob: schedule and policies (`<unset>` for what is not set), the job template
/// (describeJobTemplate), the last schedule time and the active jobs.
pub fn describe_cron_job(cj: &Value, events: &[Value], now: Timestamp) -> String {
    let mut w = PrefixWriter::new();
    name_and_namespace(cj, &mut w);
    labels_and_annotations(cj, &mut w);
    line(
        &mut w,
        LEVEL_0,
        format!("Schedule:\t{}\n", str_at(cj, &["spec", "schedule"])),
    );
    line(
        &mut w,
        LEVEL_0,
        format!(
            "Concurrency Policy:\t{}\n",
            str_at(cj, &["spec", "concurrencyPolicy"])
        ),
    );
    let suspend = match opt(cj, &["spec", "suspend"]).and_then(Value::as_bool) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    line(&mut w, LEVEL_0, format!("Suspend:\t{suspend}\n"));
    let time_zone = opt(cj, &["spec", "timeZone"])
        .and_then(Value::as_str)
        .unwrap_or("<unset>");
    line(&mut w, LEVEL_0, format!("Time Zone:\t{time_zone}\n"));
    set_or_unset(
        &mut w,
        "Successful Job History Limit",
        opt(cj, &["spec", "successfulJobsHistoryLimit"]),
        "",
    );
    set_or_unset(
        &mut w,
        "Failed Job History Limit",
        opt(cj, &["spec", "failedJobsHistoryLimit"]),
        "",
    );
    set_or_unset(
        &mut w,
        "Starting Deadline Seconds",
        opt(cj, &["spec", "startingDeadlineSeconds"]),
        "s",
    );
    let job_spec = get(cj, &["spec", "jobTemplate", "spec"]).unwrap_or(&Value::Null);
    describe_job_template(job_spec, &mut w);
    match get(cj, &["status", "lastScheduleTime"]).and_then(Value::as_str) {
        Some(t) => line(
            &mut w,
            LEVEL_0,
            format!("Last Schedule Time:\t{}\n", format_rfc1123z(t)),
        ),
        None => w.write(LEVEL_0, "Last Schedule Time:\t<unset>\n"),
    }
    let active: Vec<&str> = list_at(cj, &["status", "active"])
        .iter()
        .map(|j| str_at(j, &["name"]))
        .collect();
    w.write(LEVEL_0, "Active Jobs:\t");
    if active.is_empty() {
        w.write_line("<none>");
    } else {
        w.write(LEVEL_0, &active.join(", "));
        w.write_line("");
    }
    describe_events(&events_for(cj, events, true), now, &mut w);
    w.finish()
}

/// describeJobTemplate: selector, parallelism and completions (`<unset>` when not set), the
/// active deadline, then the pod template.
fn describe_job_template(job_spec: &Value, w: &mut PrefixWriter) {
    match opt(job_spec, &["selector"]) {
        Some(_) => line(
            w,
            LEVEL_0,
            format!("Selector:\t{}\n", selector_text(job_spec, &["selector"])),
        ),
        None => w.write(LEVEL_0, "Selector:\t<unset>\n"),
    }
    set_or_unset(w, "Parallelism", opt(job_spec, &["parallelism"]), "");
    set_or_unset(w, "Completions", opt(job_spec, &["completions"]), "");
    if let Some(deadline) = opt(job_spec, &["activeDeadlineSeconds"]) {
        line(
            w,
            LEVEL_0,
            format!("Active Deadline Seconds:\t{}s\n", as_int(deadline)),
        );
    }
    describe_pod_template(get(job_spec, &["template"]), w);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> Timestamp {
        "2026-11-21T14:03:16Z".parse().unwrap()
    }

    fn template(name: &str, image: &str, labels: Value, restart: &str) -> Value {
        json!({"metadata": {"labels": labels},
               "spec": {"containers": [{"name": name, "image": image,
                            "imagePullPolicy": "IfNotPresent", "terminationMessagePath": "/dev/termination-log",
                            "terminationMessagePolicy": "File", "resources": {}}],
                        "restartPolicy": restart, "dnsPolicy": "ClusterFirst",
                        "terminationGracePeriodSeconds": 30, "schedulerName": "default-scheduler",
                        "securityContext": {}}})
    }

    /// A Job as the API server stores it (SetDefaults_Job, the generated selector and labels).
    #[test]
    fn job_as_stored() {
        let labels = json!({"batch.kubernetes.io/controller-uid": "5c1e",
            "batch.kubernetes.io/job-name": "pi", "controller-uid": "5c1e", "job-name": "pi"});
        let job = json!({
            "kind": "Job",
            "metadata": {"name": "pi", "namespace": "default", "uid": "5c1e",
                         "creationTimestamp": "2026-11-21T14:02:16Z", "labels": labels.clone()},
            "spec": {"parallelism": 1, "completions": 1, "backoffLimit": 6,
                     "completionMode": "NonIndexed", "suspend": false, "manualSelector": false,
                     "podReplacementPolicy": "TerminatingOrFailed",
                     "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "5c1e"}},
                     "template": template("pi", "perl:5.34.0", labels, "Never")},
            "status": {"startTime": "2026-11-21T14:02:16Z", "active": 1, "ready": 0,
                       "terminating": 0, "uncountedTerminatedPods": {}}
        });
        let out = describe_job(&job, &[], now());
        let expected = "Name:             pi
Namespace:        default
Selector:         batch.kubernetes.io/controller-uid=5c1e
Labels:           batch.kubernetes.io/controller-uid=5c1e
                  batch.kubernetes.io/job-name=pi
                  controller-uid=5c1e
                  job-name=pi
Annotations:      <none>
Parallelism:      1
Completions:      1
Completion Mode:  NonIndexed
Suspend:          false
Backoff Limit:    6
Start Time:       Sat, 21 Nov 2026 14:02:16 +0000
Pods Statuses:    1 Active (0 Ready) / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  batch.kubernetes.io/controller-uid=5c1e
           batch.kubernetes.io/job-name=pi
           controller-uid=5c1e
           job-name=pi
  Containers:
   pi:
    Image:         perl:5.34.0
    Port:          <none>
    Host Port:     <none>
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
";
        assert_eq!(out, expected);
    }

    #[test]
    fn cron_job_as_stored() {
        let cj = json!({
            "kind": "CronJob",
            "metadata": {"name": "hello", "namespace": "default", "uid": "c1",
                         "creationTimestamp": "2026-11-21T14:00:00Z"},
            "spec": {"schedule": "* * * * *", "concurrencyPolicy": "Allow", "suspend": false,
                     "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
                     "jobTemplate": {"metadata": {}, "spec": {"template":
                        template("hello", "busybox:1.28", Value::Null, "OnFailure")}}},
            "status": {"active": [{"kind": "Job", "name": "hello-29399642"}],
                       "lastScheduleTime": "2026-11-21T14:02:00Z"}
        });
        let out = describe_cron_job(&cj, &[], now());
        let expected = "Name:                          hello
Namespace:                     default
Labels:                        <none>
Annotations:                   <none>
Schedule:                      * * * * *
Concurrency Policy:            Allow
Suspend:                       False
Time Zone:                     <unset>
Successful Job History Limit:  3
Failed Job History Limit:      1
Starting Deadline Seconds:     <unset>
Selector:                      <unset>
Parallelism:                   <unset>
Completions:                   <unset>
Pod Template:
  Labels:  <none>
  Containers:
   hello:
    Image:           busybox:1.28
    Port:            <none>
    Host Port:       <none>
    Environment:     <none>
    Mounts:          <none>
  Volumes:           <none>
  Node-Selectors:    <none>
  Tolerations:       <none>
Last Schedule Time:  Sat, 21 Nov 2026 14:02:00 +0000
Active Jobs:         hello-29399642
Events:              <none>
";
        assert_eq!(out, expected);
    }

    #[test]
    fn daemon_set_and_stateful_set() {
        let ds = json!({
            "kind": "DaemonSet",
            "metadata": {"name": "fluentd", "namespace": "kube-system", "uid": "d1",
                         "creationTimestamp": "2026-11-21T14:00:00Z"},
            "spec": {"selector": {"matchLabels": {"name": "fluentd"}},
                     "template": template("fluentd", "fluentd:v5", json!({"name": "fluentd"}), "Always"),
                     "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
                     "revisionHistoryLimit": 10},
            "status": {"desiredNumberScheduled": 2, "currentNumberScheduled": 2, "numberReady": 0,
                       "updatedNumberScheduled": 2, "numberAvailable": 0, "numberMisscheduled": 0}
        });
        let pod = json!({"metadata": {"name": "fluentd-x", "ownerReferences": [
            {"uid": "d1", "controller": true, "kind": "DaemonSet", "name": "fluentd"}]},
            "status": {"phase": "Pending"}});
        let out = describe_daemon_set(&ds, &[pod], &[], now());
        assert!(
            out.starts_with(
                "Name:           fluentd
Namespace:      kube-system
Selector:       name=fluentd
Node-Selector:  <none>
Labels:         <none>
Annotations:    <none>
Desired Number of Nodes Scheduled: 2
Current Number of Nodes Scheduled: 2
Number of Nodes Scheduled with Up-to-date Pods: 2
Number of Nodes Scheduled with Available Pods: 0
Number of Nodes Misscheduled: 0
Pods Status:  0 Running / 1 Waiting / 0 Succeeded / 0 Failed
Pod Template:
"
            ),
            "{out}"
        );
        let sts = json!({
            "kind": "StatefulSet",
            "metadata": {"name": "web", "namespace": "default", "uid": "s1",
                         "creationTimestamp": "2026-11-21T14:00:00Z"},
            "spec": {"replicas": 2, "serviceName": "nginx", "podManagementPolicy": "OrderedReady",
                     "selector": {"matchLabels": {"app": "nginx"}},
                     "template": template("nginx", "nginx:1.27", json!({"app": "nginx"}), "Always"),
                     "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
                     "revisionHistoryLimit": 10,
                     "volumeClaimTemplates": [{"metadata": {"name": "www"},
                        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                                 "volumeMode": "Filesystem"}}]},
            "status": {"replicas": 1}
        });
        let out = describe_stateful_set(&sts, &[], &[], now());
        assert!(
            out.starts_with(
                "Name:               web
Namespace:          default
CreationTimestamp:  Sat, 21 Nov 2026 14:00:00 +0000
Selector:           app=nginx
Labels:             <none>
Annotations:        <none>
Replicas:           2 desired | 1 total
Update Strategy:    RollingUpdate
  Partition:        0
Pods Status:        0 Running / 0 Waiting / 0 Succeeded / 0 Failed
"
            ),
            "{out}"
        );
        assert!(
            out.ends_with(
                "Volume Claims:
  Name:          www
  StorageClass:  
  Labels:        <none>
  Annotations:   <none>
  Capacity:      1Gi
  Access Modes:  [ReadWriteOnce]
Events:          <none>
"
            ),
            "{out}"
        );
    }

    #[test]
    fn indexes_are_capped_after_a_comma() {
        assert_eq!(cap_indexes("", 50), "<none>");
        assert_eq!(cap_indexes("1,3-5", 2), "1,3-5");
        assert_eq!(cap_indexes("1,3,5,7", 2), "1,3,...");
    }
}
