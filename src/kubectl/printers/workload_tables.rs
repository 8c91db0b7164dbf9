//! `kubectl get` rows for the workload kinds beyond Deployments and ReplicaSets: DaemonSets,
//! StatefulSets, Jobs, CronJobs, ControllerRevisions, ReplicationControllers, PodTemplates,
//! PodDisruptionBudgets and HorizontalPodAutoscalers (pkg/printers/internalversion/printers.go:
//! the column definitions in AddHandlers and printDaemonSet, printStatefulSet, printJob,
//! printCronJob, printControllerRevision, printReplicationController, printPodTemplate,
//! printPodDisruptionBudget, printHorizontalPodAutoscaler).
//!
//! The API server builds each row with every cell (its table convertor asks for the wide
//! columns); kubectl hides the columns of priority 1 unless `-o wide`.

use jiff::Timestamp;
use serde_json::Value;

use super::duration::{human_duration, translate_timestamp_since};
use super::human::{age, col, container_cells, name, template_spec, wide, Column, RowFn};
use super::object::{
    as_int, format_label_selector, format_labels, get, int_at, list_at, map_at, str_at, time_at,
};

const DAEMON_SET_COLUMNS: &[Column] = &[
    col("Name"),
    col("Desired"),
    col("Current"),
    col("Ready"),
    col("Up-to-date"),
    col("Available"),
    col("Node Selector"),
    col("Age"),
    wide("Containers"),
    wide("Images"),
    wide("Selector"),
];
const STATEFUL_SET_COLUMNS: &[Column] = &[
    col("Name"),
    col("Ready"),
    col("Age"),
    wide("Containers"),
    wide("Images"),
];
const JOB_COLUMNS: &[Column] = &[
    col("Name"),
    col("Status"),
    col("Completions"),
    col("Duration"),
    col("Age"),
    wide("Containers"),
    wide("Images"),
    wide("Selector"),
];
const CRON_JOB_COLUMNS: &[Column] = &[
    col("Name"),
    col("Schedule"),
    col("Timezone"),
    col("Suspend"),
    col("Active"),
    col("Last Schedule"),
    col("Age"),
    wide("Containers"),
    wide("Images"),
    wide("Selector"),
];
const CONTROLLER_REVISION_COLUMNS: &[Column] =
    &[col("Name"), col("Controller"), col("Revision"), col("Age")];
const REPLICATION_CONTROLLER_COLUMNS: &[Column] = &[
    col("Name"),
    col("Desired"),
    col("Current"),
    col("Ready"),
    col("Age"),
    wide("Containers"),
    wide("Images"),
    wide("Selector"),
];
const POD_TEMPLATE_COLUMNS: &[Column] = &[
    col("Name"),
    col("Containers"),
    col("Images"),
    col("Pod Labels"),
];
const POD_DISRUPTION_BUDGET_COLUMNS: &[Column] = &[
    col("Name"),
    col("Min Available"),
    col("Max Unavailable"),
    col("Allowed Disruptions"),
    col("Age"),
];
const HPA_COLUMNS: &[Column] = &[
    col("Name"),
    col("Reference"),
    col("Targets"),
    col("MinPods"),
    col("MaxPods"),
    col("Replicas"),
    col("Age"),
];

/// The columns and row printer of a workload resource (canonical plural), if it is one here.
pub(super) fn printer(resource: &str) -> Option<(&'static [Column], RowFn)> {
    Some(match resource {
        "daemonsets" => (DAEMON_SET_COLUMNS, daemon_set_row),
        "statefulsets" => (STATEFUL_SET_COLUMNS, stateful_set_row),
        "jobs" => (JOB_COLUMNS, job_row),
        "cronjobs" => (CRON_JOB_COLUMNS, cron_job_row),
        "controllerrevisions" => (CONTROLLER_REVISION_COLUMNS, controller_revision_row),
        "replicationcontrollers" => (REPLICATION_CONTROLLER_COLUMNS, replication_controller_row),
        "podtemplates" => (POD_TEMPLATE_COLUMNS, pod_template_row),
        "poddisruptionbudgets" => (POD_DISRUPTION_BUDGET_COLUMNS, pod_disruption_budget_row),
        "horizontalpodautoscalers" => (HPA_COLUMNS, hpa_row),
        _ => return None,
    })
}

/// printDaemonSet: the scheduled/ready/updated/available counts and the template's node
/// selector (labels.FormatLabels, `<none>` when empty).
fn daemon_set_row(ds: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let (names, images) = container_cells(template_spec(ds));
    let status = |field: &str| int_at(ds, &["status", field]).to_string();
    vec![
        name(ds),
        status("desiredNumberScheduled"),
        status("currentNumberScheduled"),
        status("numberReady"),
        status("updatedNumberScheduled"),
        status("numberAvailable"),
        format_labels(map_at(ds, &["spec", "template", "spec", "nodeSelector"])),
        age(ds, now),
        names,
        images,
        format_label_selector(get(ds, &["spec", "selector"])),
    ]
}

/// printStatefulSet: READY as readyReplicas/replicas.
fn stateful_set_row(sts: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let (names, images) = container_cells(template_spec(sts));
    vec![
        name(sts),
        format!(
            "{}/{}",
            int_at(sts, &["status", "readyReplicas"]),
            int_at(sts, &["spec", "replicas"])
        ),
        age(sts, now),
        names,
        images,
    ]
}

/// hasJobCondition: the first condition of the type decides (status True).
fn has_condition(obj: &Value, condition_type: &str) -> bool {
    list_at(obj, &["status", "conditions"])
        .iter()
        .find(|c| str_at(c, &["type"]) == condition_type)
        .is_some_and(|c| str_at(c, &["status"]) == "True")
}

fn is_set(obj: &Value, path: &[&str]) -> bool {
    get(obj, path).is_some_and(|v| !v.is_null())
}

/// printJob's STATUS: Complete, Failed, Terminating, Suspended, FailureTarget,
/// SuccessCriteriaMet, else Running.
pub fn job_status(job: &Value) -> &'static str {
    if has_condition(job, "Complete") {
        "Complete"
    } else if has_condition(job, "Failed") {
        "Failed"
    } else if is_set(job, &["metadata", "deletionTimestamp"]) {
        "Terminating"
    } else if has_condition(job, "Suspended") {
        "Suspended"
    } else if has_condition(job, "FailureTarget") {
        "FailureTarget"
    } else if has_condition(job, "SuccessCriteriaMet") {
        "SuccessCriteriaMet"
    } else {
        "Running"
    }
}

/// printJob's COMPLETIONS: succeeded/completions, or `N/1 of P` for a work queue with
/// parallelism above 1, else `N/1`.
pub fn job_completions(job: &Value) -> String {
    let succeeded = int_at(job, &["status", "succeeded"]);
    if is_set(job, &["spec", "completions"]) {
        return format!("{succeeded}/{}", int_at(job, &["spec", "completions"]));
    }
    let parallelism = int_at(job, &["spec", "parallelism"]);
    if parallelism > 1 {
        format!("{succeeded}/1 of {parallelism}")
    } else {
        format!("{succeeded}/1")
    }
}

/// printJob's DURATION: completion - start, or the time since the start while running; empty
/// before the job starts.
pub fn job_duration(job: &Value, now: Timestamp) -> String {
    let Some(start) = time_at(job, &["status", "startTime"]) else {
        return String::new();
    };
    match time_at(job, &["status", "completionTime"]) {
        Some(done) => human_duration(done.duration_since(start)),
        None => human_duration(now.duration_since(start)),
    }
}

fn job_row(job: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let (names, images) = container_cells(template_spec(job));
    vec![
        name(job),
        job_status(job).to_string(),
        job_completions(job),
        job_duration(job, now),
        age(job, now),
        names,
        images,
        format_label_selector(get(job, &["spec", "selector"])),
    ]
}

/// printBoolPtr: True, False, or `<unset>` for a nil pointer.
pub(super) fn bool_ptr(obj: &Value, path: &[&str]) -> String {
    match get(obj, path).and_then(Value::as_bool) {
        Some(true) => "True".to_string(),
        Some(false) => "False".to_string(),
        None => "<unset>".to_string(),
    }
}

/// printCronJob: schedule, time zone (`<none>`), suspend (printBoolPtr), the active jobs, the
/// time since the last schedule (`<none>`); wide adds the job template's containers, images and
/// selector.
fn cron_job_row(cj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let job_spec = get(cj, &["spec", "jobTemplate", "spec"]).unwrap_or(&Value::Null);
    let (names, images) = container_cells(template_spec_of_job_spec(job_spec));
    let last_schedule = match get(cj, &["status", "lastScheduleTime"]).and_then(Value::as_str) {
        Some(t) => translate_timestamp_since(Some(t), now),
        None => "<none>".to_string(),
    };
    let time_zone = get(cj, &["spec", "timeZone"])
        .and_then(Value::as_str)
        .unwrap_or("<none>");
    vec![
        name(cj),
        str_at(cj, &["spec", "schedule"]).to_string(),
        time_zone.to_string(),
        bool_ptr(cj, &["spec", "suspend"]),
        list_at(cj, &["status", "active"]).len().to_string(),
        last_schedule,
        age(cj, now),
        names,
        images,
        format_label_selector(get(job_spec, &["selector"])),
    ]
}

fn template_spec_of_job_spec(job_spec: &Value) -> &Value {
    get(job_spec, &["template", "spec"]).unwrap_or(&Value::Null)
}

/// The controller owner reference (metav1.GetControllerOf).
pub(super) fn controller_of(obj: &Value) -> Option<&Value> {
    list_at(obj, &["metadata", "ownerReferences"])
        .iter()
        .find(|r| get(r, &["controller"]).and_then(Value::as_bool) == Some(true))
}

/// printControllerRevision's CONTROLLER: `kind.group/name` lower-cased (formatResourceName of
/// the owner's GroupKind), `<none>` without a controller.
fn controller_name(obj: &Value) -> String {
    let Some(owner) = controller_of(obj) else {
        return "<none>".to_string();
    };
    let api_version = str_at(owner, &["apiVersion"]);
    let group = api_version
        .rsplit_once('/')
        .map_or("", |(group, _version)| group);
    let kind = str_at(owner, &["kind"]);
    let owner_name = str_at(owner, &["name"]);
    if kind.is_empty() && group.is_empty() {
        return owner_name.to_string();
    }
    let group_kind = if group.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}.{group}")
    };
    format!("{}/{owner_name}", group_kind.to_lowercase())
}

fn controller_revision_row(cr: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![
        name(cr),
        controller_name(cr),
        int_at(cr, &["revision"]).to_string(),
        age(cr, now),
    ]
}

fn replication_controller_row(rc: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let (names, images) = container_cells(template_spec(rc));
    vec![
        name(rc),
        int_at(rc, &["spec", "replicas"]).to_string(),
        int_at(rc, &["status", "replicas"]).to_string(),
        int_at(rc, &["status", "readyReplicas"]).to_string(),
        age(rc, now),
        names,
        images,
        format_labels(map_at(rc, &["spec", "selector"])),
    ]
}

fn pod_template_row(pt: &Value, _now: Timestamp, _wide: bool) -> Vec<String> {
    let spec = get(pt, &["template", "spec"]).unwrap_or(&Value::Null);
    let (names, images) = container_cells(spec);
    vec![
        name(pt),
        names,
        images,
        format_labels(map_at(pt, &["template", "metadata", "labels"])),
    ]
}

/// intstr.IntOrString.String(): the number or the string.
pub(super) fn int_or_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => as_int(other).to_string(),
    }
}

/// printPodDisruptionBudget: minAvailable / maxUnavailable (`N/A` when unset).
fn pod_disruption_budget_row(pdb: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let bound = |field: &str| {
        get(pdb, &["spec", field])
            .filter(|v| !v.is_null())
            .map_or("N/A".to_string(), int_or_string)
    };
    vec![
        name(pdb),
        bound("minAvailable"),
        bound("maxUnavailable"),
        int_at(pdb, &["status", "disruptionsAllowed"]).to_string(),
        age(pdb, now),
    ]
}

/// formatHPAMetrics for the autoscaling/v2 metric sources: at most two targets, then
/// ` + N more...`; `<none>` without metrics.
fn hpa_metrics(hpa: &Value) -> String {
    let specs = list_at(hpa, &["spec", "metrics"]);
    if specs.is_empty() {
        return "<none>".to_string();
    }
    let statuses = list_at(hpa, &["status", "currentMetrics"]);
    const MAX: usize = 2;
    let list: Vec<String> = specs
        .iter()
        .enumerate()
        .map(|(i, spec)| hpa_metric(spec, statuses.get(i)))
        .collect();
    let count = list.len();
    let shown = list.into_iter().take(MAX).collect::<Vec<_>>().join(", ");
    if count > MAX {
        format!("{shown} + {} more...", count - MAX)
    } else {
        shown
    }
}

fn quantity_text(v: Option<&Value>) -> String {
    let s = v.and_then(Value::as_str).unwrap_or("0");
    super::quantity::Quantity::parse(s).map_or_else(|| s.to_string(), |q| q.canonical())
}

/// One metric of formatHPAMetrics: `current/target`, `(avg)` for average values, a resource's
/// name first, `<unknown>` without a current value, `<auto>` without a utilization target.
fn hpa_metric(spec: &Value, status: Option<&Value>) -> String {
    let kind = str_at(spec, &["type"]);
    let (source_field, status_field) = match kind {
        "External" => ("external", "external"),
        "Pods" => ("pods", "pods"),
        "Object" => ("object", "object"),
        "Resource" => ("resource", "resource"),
        "ContainerResource" => ("containerResource", "containerResource"),
        _ => return "<unknown type>".to_string(),
    };
    let source = get(spec, &[source_field]).unwrap_or(&Value::Null);
    let current = status
        .and_then(|s| get(s, &[status_field]))
        .filter(|c| !c.is_null());
    let target = get(source, &["target"]).unwrap_or(&Value::Null);
    let current_field = |field: &str| {
        current
            .and_then(|c| get(c, &["current", field]))
            .filter(|v| !v.is_null())
    };
    let has_average_value = is_set(target, &["averageValue"]);
    match kind {
        "Pods" => format!(
            "{}/{}",
            current.map_or("<unknown>".to_string(), |_| quantity_text(current_field(
                "averageValue"
            ))),
            quantity_text(get(target, &["averageValue"]))
        ),
        "External" | "Object" if has_average_value => format!(
            "{}/{} (avg)",
            current_field("averageValue")
                .map_or("<unknown>".to_string(), |v| quantity_text(Some(v))),
            quantity_text(get(target, &["averageValue"]))
        ),
        "External" | "Object" => format!(
            "{}/{}",
            current.map_or("<unknown>".to_string(), |_| quantity_text(current_field(
                "value"
            ))),
            quantity_text(get(target, &["value"]))
        ),
        _ => {
            let resource = str_at(source, &["name"]);
            if has_average_value {
                let now = current.map_or("<unknown>".to_string(), |_| {
                    quantity_text(current_field("averageValue"))
                });
                format!(
                    "{resource}: {now}/{}",
                    quantity_text(get(target, &["averageValue"]))
                )
            } else {
                let now = current_field("averageUtilization")
                    .map_or("<unknown>".to_string(), |v| format!("{}%", as_int(v)));
                let goal = get(target, &["averageUtilization"])
                    .filter(|v| !v.is_null())
                    .map_or("<auto>".to_string(), |v| format!("{}%", as_int(v)));
                format!("{resource}: {now}/{goal}")
            }
        }
    }
}

/// printHorizontalPodAutoscaler: `Kind/name` reference, metrics, min (`<unset>`), max and
/// current replicas.
fn hpa_row(hpa: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let min = get(hpa, &["spec", "minReplicas"])
        .filter(|v| !v.is_null())
        .map_or("<unset>".to_string(), |v| as_int(v).to_string());
    vec![
        name(hpa),
        format!(
            "{}/{}",
            str_at(hpa, &["spec", "scaleTargetRef", "kind"]),
            str_at(hpa, &["spec", "scaleTargetRef", "name"])
        ),
        hpa_metrics(hpa),
        min,
        int_at(hpa, &["spec", "maxReplicas"]).to_string(),
        int_at(hpa, &["status", "currentReplicas"]).to_string(),
        age(hpa, now),
    ]
}

#[cfg(test)]
mod tests {
    use super::super::human::{table_for, TableOptions};
    use super::*;
    use crate::kubectl::printers::table::render;
    use serde_json::json;

    fn now() -> Timestamp {
        "2026-11-21T14:03:16Z".parse().unwrap()
    }

    fn ago(seconds: i64) -> String {
        (now() - jiff::SignedDuration::from_secs(seconds)).to_string()
    }

    fn print(resource: &str, objects: &[Value], wide: bool) -> String {
        let opts = TableOptions {
            wide,
            ..Default::default()
        };
        let (headers, rows) = table_for(resource, objects, now(), &opts).unwrap();
        render(&headers, &rows)
    }

    fn template() -> Value {
        json!({"metadata": {"labels": {"app": "web"}},
               "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}],
                        "restartPolicy": "Always"}})
    }

    /// A DaemonSet as the API server stores it (SetDefaults_DaemonSet: RollingUpdate,
    /// revisionHistoryLimit 10) after the controller placed pods on two nodes.
    #[test]
    fn daemon_sets() {
        let ds = json!({
            "metadata": {"name": "fluentd", "namespace": "kube-system", "creationTimestamp": ago(90)},
            "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": template(),
                     "updateStrategy": {"type": "RollingUpdate",
                        "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
                     "revisionHistoryLimit": 10},
            "status": {"desiredNumberScheduled": 2, "currentNumberScheduled": 2, "numberReady": 1,
                       "updatedNumberScheduled": 2, "numberAvailable": 1, "numberMisscheduled": 0}
        });
        assert_eq!(
            print("ds", std::slice::from_ref(&ds), false),
            "NAME      DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\n\
             fluentd   2         2         1       2            1           <none>          90s\n"
        );
        assert_eq!(
            print("daemonsets", &[ds], true),
            "NAME      DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE   CONTAINERS   IMAGES       SELECTOR\n\
             fluentd   2         2         1       2            1           <none>          90s   nginx        nginx:1.27   app=web\n"
        );
    }

    #[test]
    fn stateful_sets() {
        let sts = json!({
            "metadata": {"name": "web", "creationTimestamp": ago(20)},
            "spec": {"replicas": 3, "serviceName": "nginx", "podManagementPolicy": "OrderedReady",
                     "selector": {"matchLabels": {"app": "web"}}, "template": template(),
                     "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
                     "revisionHistoryLimit": 10},
            "status": {"replicas": 2, "readyReplicas": 1}
        });
        assert_eq!(
            print("sts", std::slice::from_ref(&sts), false),
            "NAME   READY   AGE\nweb    1/3     20s\n"
        );
        assert_eq!(
            print("statefulsets", &[sts], true),
            "NAME   READY   AGE   CONTAINERS   IMAGES\nweb    1/3     20s   nginx        nginx:1.27\n"
        );
    }

    /// A Job as stored with SetDefaults_Job (completions and parallelism 1, backoffLimit 6).
    fn job(status: Value) -> Value {
        json!({
            "metadata": {"name": "pi", "creationTimestamp": ago(45)},
            "spec": {"completions": 1, "parallelism": 1, "backoffLimit": 6,
                     "completionMode": "NonIndexed", "suspend": false,
                     "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "5c1e"}},
                     "template": {"metadata": {"labels": {"job-name": "pi"}},
                                  "spec": {"containers": [{"name": "pi", "image": "perl:5.34.0"}],
                                           "restartPolicy": "Never"}}},
            "status": status
        })
    }

    #[test]
    fn jobs_running_and_complete() {
        let running = job(json!({"startTime": ago(45), "active": 1}));
        assert_eq!(
            print("jobs", &[running], false),
            "NAME   STATUS    COMPLETIONS   DURATION   AGE\npi     Running   0/1           45s        45s\n"
        );
        let complete = job(
            json!({"startTime": ago(45), "completionTime": ago(10), "succeeded": 1,
            "conditions": [{"type": "SuccessCriteriaMet", "status": "True"},
                           {"type": "Complete", "status": "True"}]}),
        );
        assert_eq!(
            print("job", &[complete], true),
            "NAME   STATUS     COMPLETIONS   DURATION   AGE   CONTAINERS   IMAGES        SELECTOR\n\
             pi     Complete   1/1           35s        45s   pi           perl:5.34.0   batch.kubernetes.io/controller-uid=5c1e\n"
        );
    }

    #[test]
    fn job_status_and_completions_rules() {
        let mut j = job(json!({}));
        assert_eq!(job_duration(&j, now()), "");
        j["spec"]["completions"] = Value::Null;
        j["spec"]["parallelism"] = json!(3);
        assert_eq!(job_completions(&j), "0/1 of 3");
        j["status"]["conditions"] = json!([{"type": "Failed", "status": "True"}]);
        assert_eq!(job_status(&j), "Failed");
        j["status"]["conditions"] = json!([{"type": "Suspended", "status": "True"}]);
        assert_eq!(job_status(&j), "Suspended");
        j["metadata"]["deletionTimestamp"] = json!(ago(1));
        assert_eq!(job_status(&j), "Terminating");
    }

    /// A CronJob as stored (SetDefaults_CronJob: concurrencyPolicy Allow, suspend false,
    /// history limits 3 and 1).
    #[test]
    fn cron_jobs() {
        let cj = json!({
            "metadata": {"name": "hello", "creationTimestamp": ago(300)},
            "spec": {"schedule": "* * * * *", "concurrencyPolicy": "Allow", "suspend": false,
                     "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
                     "jobTemplate": {"spec": {"template": {"spec": {
                        "containers": [{"name": "hello", "image": "busybox:1.28"}],
                        "restartPolicy": "OnFailure"}}}}},
            "status": {}
        });
        assert_eq!(
            print("cronjobs", std::slice::from_ref(&cj), false),
            "NAME    SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n\
             hello   * * * * *   <none>     False     0        <none>          5m\n"
        );
        let mut scheduled = cj.clone();
        scheduled["spec"]["timeZone"] = json!("Etc/UTC");
        scheduled["status"] =
            json!({"active": [{"name": "hello-29"}], "lastScheduleTime": ago(16)});
        assert_eq!(
            print("cj", &[scheduled], true),
            "NAME    SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE   CONTAINERS   IMAGES         SELECTOR\n\
             hello   * * * * *   Etc/UTC    False     1        16s             5m    hello        busybox:1.28   <none>\n"
        );
    }

    #[test]
    fn controller_revisions_name_their_owner_by_group_kind() {
        let cr = json!({
            "metadata": {"name": "web-7d9c8b", "creationTimestamp": ago(20),
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web",
                                     "uid": "1", "controller": true, "blockOwnerDeletion": true}]},
            "revision": 1
        });
        assert_eq!(
            print("controllerrevisions", &[cr], false),
            "NAME         CONTROLLER             REVISION   AGE\nweb-7d9c8b   statefulset.apps/web   1          20s\n"
        );
        let orphan = json!({"metadata": {"name": "x"}, "revision": 2});
        assert_eq!(controller_name(&orphan), "<none>");
    }

    #[test]
    fn pod_disruption_budgets_and_autoscalers() {
        let pdb = json!({"metadata": {"name": "zk", "creationTimestamp": ago(5)},
            "spec": {"minAvailable": "50%"}, "status": {"disruptionsAllowed": 1}});
        assert_eq!(
            print("pdb", &[pdb], false),
            "NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nzk     50%             N/A               1                     5s\n"
        );
        let hpa = json!({"metadata": {"name": "php", "creationTimestamp": ago(5)},
            "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "php", "apiVersion": "apps/v1"},
                     "minReplicas": 1, "maxReplicas": 10,
                     "metrics": [{"type": "Resource", "resource": {"name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": 50}}}]},
            "status": {"currentReplicas": 1}});
        assert_eq!(
            print("hpa", &[hpa], false),
            "NAME   REFERENCE        TARGETS              MINPODS   MAXPODS   REPLICAS   AGE\n\
             php    Deployment/php   cpu: <unknown>/50%   1         10        1          5s\n"
        );
    }
}
