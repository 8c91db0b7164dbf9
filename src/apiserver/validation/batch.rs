//! batch/v1 beyond `ValidateJobSpec` (which lives with the workloads in [`super::apps`]): the
//! selector the Job strategy generates from the Job's uid (`generateSelector` in
//! `pkg/registry/batch/job/strategy.go`) and its check (`validateGeneratedSelector`),
//! `ValidateJobUpdate`, and CronJobs (`ValidateCronJobCreate`, `ValidateCronJobUpdate` of
//! `pkg/apis/batch/validation/validation.go`) with the schedule parser they call
//! (`github.com/robfig/cron/v3` `ParseStandard`).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde_json::{json, Value};

use super::apps::{selector_json, validate_job_spec_fields};
use super::field::{go_json, BadValue, ErrorList, FieldError, Path};
use super::meta::{
    validate_nonnegative_field, validate_object_meta, validate_object_meta_update,
    FIELD_IMMUTABLE_ERROR_MSG,
};
use super::names::name_is_dns_subdomain;

/// `batch.kubernetes.io/controller-uid`, the label the generated selector selects.
pub const CONTROLLER_UID_LABEL: &str = "batch.kubernetes.io/controller-uid";
/// `batch.kubernetes.io/job-name`.
pub const JOB_NAME_LABEL: &str = "batch.kubernetes.io/job-name";
/// The unprefixed labels still set for compatibility.
pub const LEGACY_CONTROLLER_UID_LABEL: &str = "controller-uid";
pub const LEGACY_JOB_NAME_LABEL: &str = "job-name";

fn str_at<'a>(obj: &'a Value, pointer: &str) -> &'a str {
    obj.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn manual_selector(obj: &Value) -> bool {
    obj.pointer("/spec/manualSelector").and_then(Value::as_bool) == Some(true)
}

/// `generateSelectorIfNeeded` (the Job strategy's PrepareForCreate): unless the selector is
/// manual, the template gets the job-name and controller-uid labels (both spellings) it lacks,
/// and the selector `batch.kubernetes.io/controller-uid: <uid>`. Needs the uid, which the real
/// server fills in before PrepareForCreate; without one nothing is generated.
pub fn generate_job_selector(obj: &mut Value) {
    if manual_selector(obj) {
        return;
    }
    let uid = str_at(obj, "/metadata/uid").to_string();
    if uid.is_empty() {
        return;
    }
    let name = str_at(obj, "/metadata/name").to_string();
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    let template = spec.entry("template").or_insert_with(|| json!({}));
    if !template.get("metadata").is_some_and(Value::is_object) {
        template["metadata"] = json!({});
    }
    let meta = &mut template["metadata"];
    if !meta.get("labels").is_some_and(Value::is_object) {
        meta["labels"] = json!({});
    }
    if let Some(labels) = meta["labels"].as_object_mut() {
        for (key, value) in [
            (LEGACY_JOB_NAME_LABEL, &name),
            (JOB_NAME_LABEL, &name),
            (LEGACY_CONTROLLER_UID_LABEL, &uid),
            (CONTROLLER_UID_LABEL, &uid),
        ] {
            labels
                .entry(key)
                .or_insert_with(|| Value::String(value.clone()));
        }
    }
    let selector = spec.entry("selector").or_insert_with(|| json!({}));
    if !selector.is_object() {
        *selector = json!({});
    }
    if !selector.get("matchLabels").is_some_and(Value::is_object) {
        selector["matchLabels"] = json!({});
    }
    if let Some(m) = selector["matchLabels"].as_object_mut() {
        m.entry(CONTROLLER_UID_LABEL)
            .or_insert_with(|| Value::String(uid.clone()));
    }
}

/// Whether this Job's selector is still to be generated: not manual, none sent, and no uid yet
/// (podlab's create path validates before it assigns the uid).
pub fn selector_pending(obj: &Value) -> bool {
    !manual_selector(obj)
        && obj.pointer("/spec/selector").is_none_or(Value::is_null)
        && str_at(obj, "/metadata/uid").is_empty()
}

fn template_labels(obj: &Value) -> BTreeMap<String, String> {
    obj.pointer("/spec/template/metadata/labels")
        .and_then(|l| serde_json::from_value(l.clone()).ok())
        .unwrap_or_default()
}

/// `ValidateHasLabel` at `spec.template.metadata.labels[key]`.
fn validate_has_label(labels: &BTreeMap<String, String>, key: &str, expected: &str) -> ErrorList {
    let path = Path::new("spec")
        .child("template")
        .child("metadata")
        .child("labels")
        .key(key);
    let detail = format!("must be '{expected}'");
    match labels.get(key) {
        None => vec![FieldError::required(&path, detail)],
        Some(v) if v != expected => {
            let all = serde_json::to_value(labels).unwrap_or(Value::Null);
            vec![FieldError::invalid(
                &path,
                BadValue::Json(go_json(&all)),
                detail,
            )]
        }
        Some(_) => Vec::new(),
    }
}

/// `validateGeneratedSelector`: a generated selector needs the uid, the template the labels it
/// was generated with (the prefixed ones only when `require_prefixed`), and the selector must
/// select them.
pub fn validate_generated_selector(obj: &Value, require_prefixed: bool) -> ErrorList {
    let mut errs = Vec::new();
    if manual_selector(obj) {
        return errs;
    }
    let Some(selector) = obj.pointer("/spec/selector").filter(|s| !s.is_null()) else {
        return errs;
    };
    let uid = str_at(obj, "/metadata/uid");
    let name = str_at(obj, "/metadata/name");
    if uid.is_empty() {
        errs.push(FieldError::required(
            &Path::new("metadata").child("uid"),
            "",
        ));
    }
    let labels = template_labels(obj);
    errs.extend(validate_has_label(
        &labels,
        LEGACY_CONTROLLER_UID_LABEL,
        uid,
    ));
    errs.extend(validate_has_label(&labels, LEGACY_JOB_NAME_LABEL, name));
    let mut expected = BTreeMap::new();
    if require_prefixed {
        errs.extend(validate_has_label(&labels, CONTROLLER_UID_LABEL, uid));
        errs.extend(validate_has_label(&labels, JOB_NAME_LABEL, name));
        expected.insert(CONTROLLER_UID_LABEL.to_string(), uid.to_string());
        expected.insert(JOB_NAME_LABEL.to_string(), name.to_string());
    }
    expected.insert(LEGACY_CONTROLLER_UID_LABEL.to_string(), uid.to_string());
    expected.insert(LEGACY_JOB_NAME_LABEL.to_string(), name.to_string());
    let sel: LabelSelector = serde_json::from_value(selector.clone()).unwrap_or_default();
    if super::apps::selector_converts(&sel) && !super::apps::selector_matches(&sel, &expected) {
        errs.push(FieldError::invalid(
            &Path::new("spec").child("selector"),
            BadValue::Json(selector_json(&sel)),
            "`selector` not auto-generated",
        ));
    }
    errs
}

/// `ValidateImmutableField` for a JSON field: `<path>: Invalid value: <new>: field is immutable`.
fn immutable(new: Option<&Value>, old: Option<&Value>, path: &Path, render: BadValue) -> ErrorList {
    let norm = |v: Option<&Value>| v.filter(|v| !v.is_null()).cloned();
    if norm(new) == norm(old) {
        return Vec::new();
    }
    vec![FieldError::invalid(path, render, FIELD_IMMUTABLE_ERROR_MSG)]
}

/// A JSON value as `ErrorBody` prints it (pointers dereferenced, nil as `null`).
fn bad_value(v: Option<&Value>) -> BadValue {
    match v {
        None | Some(Value::Null) => BadValue::Null,
        Some(Value::String(s)) => BadValue::named(s),
        Some(other) => BadValue::from_json(other),
    }
}

/// `ValidateJobSpecUpdate`'s immutability rules (ValidateJobSpec itself runs with `ValidateJob`):
/// completions (of a NonIndexed Job), the selector, the template (unless the Job was suspended),
/// completion mode, pod failure policy, backoff limit per index, managedBy, success policy.
///
/// The template's error prints the internal `core.PodTemplateSpec`; podlab omits that value.
pub fn validate_job_update_rules(new: &Value, old: &Value) -> ErrorList {
    let spec = Path::new("spec");
    let get = |o: &'_ Value, f: &str| o.pointer(&format!("/spec/{f}")).cloned();
    let mut errs = validate_object_meta_update(
        &super::apps::metadata_of(new),
        &super::apps::metadata_of(old),
        &Path::new("metadata"),
    );
    let indexed = str_at(new, "/spec/completionMode") == "Indexed";
    let (nc, oc) = (get(new, "completions"), get(old, "completions"));
    if !indexed {
        errs.extend(immutable(
            nc.as_ref(),
            oc.as_ref(),
            &spec.child("completions"),
            bad_value(nc.as_ref()),
        ));
    } else if nc != oc && nc.is_some() && nc != get(new, "parallelism") {
        errs.push(FieldError::invalid(
            &spec.child("completions"),
            bad_value(nc.as_ref()),
            "can only be modified in tandem with spec.parallelism",
        ));
    }
    let (ns, os) = (get(new, "selector"), get(old, "selector"));
    let selector_value = match ns.as_ref().filter(|s| !s.is_null()) {
        Some(s) => BadValue::Json(selector_json(
            &serde_json::from_value(s.clone()).unwrap_or_default(),
        )),
        None => BadValue::Null,
    };
    errs.extend(immutable(
        ns.as_ref(),
        os.as_ref(),
        &spec.child("selector"),
        selector_value,
    ));
    let suspended = old.pointer("/spec/suspend").and_then(Value::as_bool) == Some(true);
    if !suspended {
        errs.extend(immutable(
            get(new, "template").as_ref(),
            get(old, "template").as_ref(),
            &spec.child("template"),
            BadValue::Omitted,
        ));
    }
    for field in [
        "completionMode",
        "podFailurePolicy",
        "backoffLimitPerIndex",
        "managedBy",
        "successPolicy",
    ] {
        let (n, o) = (get(new, field), get(old, field));
        errs.extend(immutable(
            n.as_ref(),
            o.as_ref(),
            &spec.child(field),
            bad_value(n.as_ref()),
        ));
    }
    errs
}

/// Whether the old Job's template carried both prefixed labels (`RequirePrefixedLabels` on
/// update).
pub fn had_prefixed_labels(old: &Value) -> bool {
    let labels = template_labels(old);
    labels.contains_key(JOB_NAME_LABEL) && labels.contains_key(CONTROLLER_UID_LABEL)
}

// ---- CronJob ---------------------------------------------------------------------------------

/// `cron.ParseStandard`'s verdict on a schedule (crate::cron, the parser the controller uses too).
pub fn parse_cron_schedule(schedule: &str) -> Result<(), String> {
    crate::cron::parse_standard(schedule).map(|_| ())
}

/// `validateScheduleFormat`: the parser's error, and TZ in the schedule refused.
fn validate_schedule(
    schedule: &str,
    allow_tz: bool,
    has_time_zone: bool,
    path: &Path,
) -> ErrorList {
    let mut errs = Vec::new();
    if let Err(e) = parse_cron_schedule(schedule) {
        errs.push(FieldError::invalid(path, schedule, e));
    }
    if schedule.contains("TZ") {
        if allow_tz && has_time_zone {
            errs.push(FieldError::invalid(
                path,
                schedule,
                "cannot use both timeZone field and TZ or CRON_TZ in schedule",
            ));
        } else if !allow_tz {
            errs.push(FieldError::invalid(
                path,
                schedule,
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            ));
        }
    }
    errs
}

/// `validateTimeZone`.
fn validate_time_zone(zone: &str, path: &Path) -> ErrorList {
    let invalid = |msg: String| vec![FieldError::invalid(path, zone, msg)];
    if zone.is_empty() {
        return invalid("timeZone must be nil or non-empty string".into());
    }
    let part_ok = |p: &str| {
        !matches!(p, "." | "..")
            && !p.starts_with('-')
            && (1..=14).contains(&p.len())
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'+'))
    };
    if !zone.split('/').all(part_ok) {
        return invalid(format!("unknown time zone {zone}"));
    }
    let mut errs = Vec::new();
    if zone.eq_ignore_ascii_case("Local") {
        errs.extend(invalid(
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
                .into(),
        ));
    }
    if let Err(e) = crate::cron::load_location(zone) {
        errs.extend(invalid(e));
    }
    errs
}

/// `ValidateJobTemplateSpec`: the job spec's own rules, and no selector of its own.
fn validate_job_template(obj: &Value, path: &Path) -> ErrorList {
    let spec = obj
        .pointer("/spec/jobTemplate/spec")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let wrapped = json!({ "spec": spec });
    let spec_path = path.child("spec");
    let mut errs = validate_job_spec_fields(&wrapped, &spec_path);
    if let Some(sel) = wrapped.pointer("/spec/selector").filter(|s| !s.is_null()) {
        let sel: LabelSelector = serde_json::from_value(sel.clone()).unwrap_or_default();
        errs.push(FieldError::invalid(
            &spec_path.child("selector"),
            BadValue::Json(selector_json(&sel)),
            "`selector` will be auto-generated",
        ));
    }
    if wrapped
        .pointer("/spec/manualSelector")
        .and_then(Value::as_bool)
        == Some(true)
    {
        errs.push(FieldError::not_supported(
            &spec_path.child("manualSelector"),
            true,
            &["nil", "false"],
        ));
    }
    errs
}

/// `validateCronJobSpec` (`old` on update).
fn validate_cron_job_spec(obj: &Value, old: Option<&Value>) -> ErrorList {
    let path = Path::new("spec");
    let mut errs = Vec::new();
    let schedule = str_at(obj, "/spec/schedule");
    let zone = obj.pointer("/spec/timeZone").and_then(Value::as_str);
    if schedule.is_empty() {
        errs.push(FieldError::required(&path.child("schedule"), ""));
    } else {
        let allow_tz = old.is_some_and(|o| str_at(o, "/spec/schedule").contains("TZ"));
        errs.extend(validate_schedule(
            schedule,
            allow_tz,
            zone.is_some(),
            &path.child("schedule"),
        ));
    }
    if let Some(d) = obj
        .pointer("/spec/startingDeadlineSeconds")
        .and_then(Value::as_i64)
    {
        errs.extend(validate_nonnegative_field(
            d,
            &path.child("startingDeadlineSeconds"),
        ));
    }
    let old_zone = old.map(|o| o.pointer("/spec/timeZone").and_then(Value::as_str));
    if old_zone != Some(zone) {
        if let Some(z) = zone {
            errs.extend(validate_time_zone(z, &path.child("timeZone")));
        }
    }
    let policy_path = path.child("concurrencyPolicy");
    match str_at(obj, "/spec/concurrencyPolicy") {
        "Allow" | "Forbid" | "Replace" => {}
        "" => errs.push(FieldError::required(&policy_path, "")),
        other => errs.push(FieldError::not_supported(
            &policy_path,
            BadValue::named(other),
            &["Allow", "Forbid", "Replace"],
        )),
    }
    errs.extend(validate_job_template(obj, &path.child("jobTemplate")));
    for field in ["successfulJobsHistoryLimit", "failedJobsHistoryLimit"] {
        if let Some(v) = obj
            .pointer(&format!("/spec/{field}"))
            .and_then(Value::as_i64)
        {
            errs.extend(validate_nonnegative_field(v, &path.child(field)));
        }
    }
    errs
}

/// `ValidateCronJobCreate`: metadata, the spec, and a name short enough for the Jobs it makes
/// (52 characters: 63 less the `-<timestamp>` suffix).
pub fn validate_cron_job(obj: &Value) -> ErrorList {
    let meta = super::apps::metadata_of(obj);
    let mut errs = validate_object_meta(&meta, true, name_is_dns_subdomain, &Path::new("metadata"));
    errs.extend(validate_cron_job_spec(obj, None));
    let name = meta.name.as_deref().unwrap_or("");
    if name.len() > 52 {
        errs.push(FieldError::invalid(
            &Path::new("metadata").child("name"),
            name,
            "must be no more than 52 characters",
        ));
    }
    errs
}

/// `ValidateCronJobUpdate`: metadata and the spec (no name length limit).
pub fn validate_cron_job_update(new: &Value, old: &Value) -> ErrorList {
    let mut errs = validate_object_meta_update(
        &super::apps::metadata_of(new),
        &super::apps::metadata_of(old),
        &Path::new("metadata"),
    );
    errs.extend(validate_cron_job_spec(new, Some(old)));
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(errs: &ErrorList) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn cron_schedules_fail_as_robfig_cron_says() {
        assert_eq!(parse_cron_schedule("* * * * *"), Ok(()));
        assert_eq!(parse_cron_schedule("*/5 1-3 1,15 jan-mar MON"), Ok(()));
        assert_eq!(parse_cron_schedule("@hourly"), Ok(()));
        assert_eq!(parse_cron_schedule("@every 1h30m"), Ok(()));
        assert_eq!(
            parse_cron_schedule("hello"),
            Err("expected exactly 5 fields, found 1: [hello]".into())
        );
        assert_eq!(
            parse_cron_schedule("60 * * * *"),
            Err("end of range (60) above maximum (59): 60".into())
        );
        assert_eq!(
            parse_cron_schedule("x * * * *"),
            Err("failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax".into())
        );
        assert_eq!(
            parse_cron_schedule("* * 0 * *"),
            Err("beginning of range (0) below minimum (1): 0".into())
        );
        assert_eq!(
            parse_cron_schedule("@fortnightly"),
            Err("unrecognized descriptor: @fortnightly".into())
        );
    }

    fn cron_job(schedule: &str) -> Value {
        json!({
            "metadata": {"name": "hello", "namespace": "default"},
            "spec": {
                "schedule": schedule, "concurrencyPolicy": "Allow", "suspend": false,
                "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
                "jobTemplate": {"spec": {"template": {"spec": {
                    "restartPolicy": "OnFailure", "dnsPolicy": "ClusterFirst",
                    "terminationGracePeriodSeconds": 30, "schedulerName": "default-scheduler",
                    "securityContext": {},
                    "containers": [{"name": "hello", "image": "busybox:1.28", "imagePullPolicy": "IfNotPresent", "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}]
                }}}}
            }
        })
    }

    #[test]
    fn cron_jobs_check_schedule_name_and_template() {
        assert_eq!(
            messages(&validate_cron_job(&cron_job("* * * * *"))),
            Vec::<String>::new()
        );
        assert_eq!(
            messages(&validate_cron_job(&cron_job("every minute"))),
            vec!["spec.schedule: Invalid value: \"every minute\": expected exactly 5 fields, found 2: [every minute]"]
        );
        let mut long = cron_job("@daily");
        long["metadata"]["name"] = json!("a".repeat(53));
        long["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] = json!("Always");
        assert_eq!(
            messages(&validate_cron_job(&long)),
            vec![
                "spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"".to_string(),
                format!("metadata.name: Invalid value: \"{}\": must be no more than 52 characters", "a".repeat(53)),
            ]
        );
        let mut tz = cron_job("CRON_TZ=UTC 0 * * * *");
        tz["spec"]["timeZone"] = json!("Mars/Olympus");
        assert_eq!(
            messages(&validate_cron_job(&tz)),
            vec![
                "spec.schedule: Invalid value: \"CRON_TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
                "spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus",
            ]
        );
    }

    #[test]
    fn a_generated_selector_selects_the_uid_labels() {
        let mut job = json!({
            "metadata": {"name": "pi", "uid": "u-1"},
            "spec": {"manualSelector": false, "template": {"metadata": {"labels": {"app": "pi"}}}}
        });
        generate_job_selector(&mut job);
        assert_eq!(
            job["spec"]["selector"],
            json!({"matchLabels": {"batch.kubernetes.io/controller-uid": "u-1"}})
        );
        assert_eq!(
            job["spec"]["template"]["metadata"]["labels"],
            json!({"app": "pi", "batch.kubernetes.io/controller-uid": "u-1", "batch.kubernetes.io/job-name": "pi", "controller-uid": "u-1", "job-name": "pi"})
        );
        assert!(validate_generated_selector(&job, true).is_empty());
        job["spec"]["template"]["metadata"]["labels"]["job-name"] = json!("other");
        assert_eq!(
            messages(&validate_generated_selector(&job, true)),
            vec!["spec.template.metadata.labels[job-name]: Invalid value: {\"app\":\"pi\",\"batch.kubernetes.io/controller-uid\":\"u-1\",\"batch.kubernetes.io/job-name\":\"pi\",\"controller-uid\":\"u-1\",\"job-name\":\"other\"}: must be 'pi'"]
        );
    }
}
