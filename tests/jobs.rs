//! Jobs end to end on the default cluster: the Job controller creates the pods, counts them
//! through the job-tracking finalizer and finishes the Job (SuccessCriteriaMet then Complete, or
//! FailureTarget then Failed); the TTL-after-finished controller deletes finished Jobs; the
//! CronJob controller creates Jobs on the virtual clock.

use podlab::{Cluster, Preset};

fn run(c: &mut Cluster, line: &str) -> String {
    let out = c.kubectl(line, None);
    assert_eq!(out.exit_code, 0, "{line}: {}", out.text);
    out.text
}

fn apply(c: &mut Cluster, yaml: &str) -> String {
    let out = c.kubectl("kubectl apply -f -", Some(yaml));
    assert_eq!(out.exit_code, 0, "{}", out.text);
    out.text
}

fn job(name: &str, extra_spec: &str, script: &str, restart: &str) -> String {
    format!(
        "apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
spec:
{extra_spec}  template:
    spec:
      containers:
      - name: main
        image: busybox:1.36
        command: [\"sh\", \"-c\", \"{script}\"]
      restartPolicy: {restart}
"
    )
}

fn field(c: &mut Cluster, what: &str, path: &str) -> String {
    run(c, &format!("kubectl get {what} -o jsonpath={{{path}}}"))
}

#[test]
fn a_job_runs_its_pod_to_completion() {
    let mut c = Cluster::new(Preset::Default, 1);
    apply(
        &mut c,
        &job("pi", "  backoffLimit: 4\n", "echo 3.14", "Never"),
    );
    c.advance(20_000);
    let table = run(&mut c, "kubectl get jobs");
    let row = table.lines().nth(1).unwrap_or_default();
    assert!(row.starts_with("pi     Complete   1/1   "), "{table}");
    let types = field(&mut c, "job pi", ".status.conditions[*].type");
    assert_eq!(types, "SuccessCriteriaMet Complete");
    assert_eq!(
        field(&mut c, "job pi", ".status.conditions[1].reason"),
        "CompletionsReached"
    );
    assert_eq!(
        field(&mut c, "job pi", ".status.conditions[1].message"),
        "Reached expected number of succeeded pods"
    );
    assert_eq!(field(&mut c, "job pi", ".status.succeeded"), "1");
    assert_eq!(field(&mut c, "job pi", ".status.ready"), "0");
    assert_eq!(field(&mut c, "job pi", ".status.terminating"), "0");
    assert!(!field(&mut c, "job pi", ".status.completionTime").is_empty());
    // The pod was counted: its tracking finalizer is gone.
    assert_eq!(field(&mut c, "pods", ".items[0].metadata.finalizers"), "");
    let pod = field(&mut c, "pods", ".items[0].metadata.name");
    assert!(pod.starts_with("pi-") && pod.len() == 8, "{pod}");
    let events = run(
        &mut c,
        "kubectl get events --field-selector involvedObject.kind=Job",
    );
    assert!(
        events.contains(&format!("SuccessfulCreate   job/pi   Created pod: {pod}")),
        "{events}"
    );
    assert!(
        events.contains("Completed          job/pi   Job completed"),
        "{events}"
    );
}

#[test]
fn failures_past_the_backoff_limit_fail_the_job() {
    let mut c = Cluster::new(Preset::Default, 2);
    apply(
        &mut c,
        &job("fails", "  backoffLimit: 1\n", "exit 1", "Never"),
    );
    // Two failures: the second pod comes 10 s after the first failed.
    c.advance(60_000);
    assert_eq!(
        field(&mut c, "job fails", ".status.conditions[*].type"),
        "FailureTarget Failed"
    );
    assert_eq!(
        field(&mut c, "job fails", ".status.conditions[1].reason"),
        "BackoffLimitExceeded"
    );
    assert_eq!(
        field(&mut c, "job fails", ".status.conditions[1].message"),
        "Job has reached the specified backoff limit"
    );
    assert_eq!(field(&mut c, "job fails", ".status.failed"), "2");
    let table = run(&mut c, "kubectl get job fails");
    assert!(table.contains("Failed"), "{table}");
    let events = run(
        &mut c,
        "kubectl get events --field-selector involvedObject.kind=Job",
    );
    assert!(
        events.contains(
            "BackoffLimitExceeded   job/fails   Job has reached the specified backoff limit"
        ),
        "{events}"
    );
}

#[test]
fn an_indexed_job_runs_one_pod_per_index() {
    let mut c = Cluster::new(Preset::Default, 3);
    let spec = "  completions: 3\n  parallelism: 3\n  completionMode: Indexed\n";
    apply(&mut c, &job("idx", spec, "echo done", "Never"));
    c.advance(30_000);
    assert_eq!(field(&mut c, "job idx", ".status.completedIndexes"), "0-2");
    assert_eq!(field(&mut c, "job idx", ".status.succeeded"), "3");
    let hostnames = field(&mut c, "pods", ".items[*].spec.hostname");
    let mut hostnames: Vec<&str> = hostnames.split(' ').collect();
    hostnames.sort_unstable();
    assert_eq!(hostnames, ["idx-0", "idx-1", "idx-2"]);
    let names = field(&mut c, "pods", ".items[*].metadata.name");
    assert!(
        names
            .split(' ')
            .all(|n| n.starts_with("idx-") && n.len() == 11),
        "{names}"
    );
}

#[test]
fn the_active_deadline_fails_a_running_job() {
    let mut c = Cluster::new(Preset::Default, 4);
    let spec = "  activeDeadlineSeconds: 5\n";
    apply(&mut c, &job("slow", spec, "sleep 3600", "Never"));
    c.advance(20_000);
    assert_eq!(
        field(&mut c, "job slow", ".status.conditions[-1:].reason"),
        "DeadlineExceeded"
    );
    assert_eq!(
        field(&mut c, "job slow", ".status.conditions[-1:].message"),
        "Job was active longer than specified deadline"
    );
}

#[test]
fn a_finished_job_with_a_ttl_is_deleted_with_its_pods() {
    let mut c = Cluster::new(Preset::Default, 5);
    apply(
        &mut c,
        &job(
            "short",
            "  ttlSecondsAfterFinished: 10\n",
            "echo hi",
            "Never",
        ),
    );
    c.advance(8_000);
    assert!(run(&mut c, "kubectl get jobs").contains("Complete"));
    c.advance(30_000);
    let out = c.kubectl("kubectl get jobs", None);
    assert_eq!(out.text, "No resources found in default namespace.\n");
    let pods = c.kubectl("kubectl get pods", None);
    assert_eq!(pods.text, "No resources found in default namespace.\n");
}

#[test]
fn an_ignore_rule_does_not_count_the_failure() {
    let mut c = Cluster::new(Preset::Default, 6);
    let spec = "  backoffLimit: 0
  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes:
        containerName: main
        operator: In
        values: [42]
";
    apply(&mut c, &job("policy", spec, "exit 42", "Never"));
    c.advance(20_000);
    assert_eq!(
        field(&mut c, "job policy", ".status.conditions[-1:].reason"),
        "PodFailurePolicy"
    );
    let message = field(&mut c, "job policy", ".status.conditions[-1:].message");
    assert!(
        message.starts_with("Container main for pod default/policy-")
            && message.ends_with(" failed with exit code 42 matching FailJob rule at index 0"),
        "{message}"
    );
}

const HELLO: &str = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: \"* * * * *\"
  successfulJobsHistoryLimit: 2
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: hello
            image: busybox:1.36
            command: [\"sh\", \"-c\", \"echo Hello\"]
          restartPolicy: OnFailure
";

#[test]
fn a_cron_job_starts_a_job_every_minute_and_keeps_the_history_limit() {
    let mut c = Cluster::new(Preset::Default, 7);
    apply(&mut c, HELLO);
    c.advance(250_000);
    // 2026-11-21T14:0N:00Z in minutes since the epoch: 29921160 + N.
    let jobs = field(&mut c, "jobs", ".items[*].metadata.name");
    assert_eq!(jobs, "hello-29921163 hello-29921164");
    assert_eq!(
        field(&mut c, "cronjob hello", ".status.lastScheduleTime"),
        "2026-11-21T14:04:00Z"
    );
    let yaml = run(&mut c, "kubectl get job hello-29921164 -o yaml");
    assert!(
        yaml.contains(
            "    batch.kubernetes.io/cronjob-scheduled-timestamp: \"2026-11-21T14:04:00Z\"\n"
        ),
        "{yaml}"
    );
    let events = run(
        &mut c,
        "kubectl get events --field-selector involvedObject.kind=CronJob",
    );
    for line in [
        "SuccessfulCreate   cronjob/hello   Created job hello-29921161",
        "SawCompletedJob    cronjob/hello   Saw completed job: hello-29921161, condition: Complete",
        "SuccessfulDelete   cronjob/hello   Deleted job hello-29921161",
    ] {
        assert!(events.contains(line), "{line}\n{events}");
    }
}

#[test]
fn forbid_skips_a_run_while_the_last_job_is_active() {
    let mut c = Cluster::new(Preset::Default, 8);
    let yaml = HELLO
        .replace(
            "  successfulJobsHistoryLimit: 2\n",
            "  concurrencyPolicy: Forbid\n",
        )
        .replace("echo Hello", "sleep 90");
    apply(&mut c, &yaml);
    c.advance(130_000);
    // 14:01 started a Job that runs until 14:02:30; 14:02 is skipped.
    let jobs = field(&mut c, "jobs", ".items[*].metadata.name");
    assert_eq!(jobs, "hello-29921161");
    let events = run(
        &mut c,
        "kubectl get events --field-selector involvedObject.kind=CronJob",
    );
    assert!(
        events.contains("JobAlreadyActive   cronjob/hello   Not starting job because prior execution is running and concurrency policy is Forbid"),
        "{events}"
    );
}

#[test]
fn a_suspended_cron_job_starts_nothing() {
    let mut c = Cluster::new(Preset::Default, 9);
    let yaml = HELLO.replace("  successfulJobsHistoryLimit: 2\n", "  suspend: true\n");
    apply(&mut c, &yaml);
    c.advance(130_000);
    let out = c.kubectl("kubectl get jobs", None);
    assert_eq!(out.text, "No resources found in default namespace.\n");
}

#[test]
fn a_suspended_job_waits_and_resumes() {
    let mut c = Cluster::new(Preset::Default, 10);
    apply(
        &mut c,
        &job("later", "  suspend: true\n", "echo hi", "Never"),
    );
    c.advance(10_000);
    let out = c.kubectl("kubectl get pods", None);
    assert_eq!(out.text, "No resources found in default namespace.\n");
    assert_eq!(
        field(&mut c, "job later", ".status.conditions[0].reason"),
        "JobSuspended"
    );
    apply(
        &mut c,
        &job("later", "  suspend: false\n", "echo hi", "Never"),
    );
    c.advance(20_000);
    assert_eq!(
        field(&mut c, "job later", ".status.conditions[*].type"),
        "Suspended SuccessCriteriaMet Complete"
    );
    assert_eq!(
        field(&mut c, "job later", ".status.conditions[0].reason"),
        "JobResumed"
    );
    let events = run(
        &mut c,
        "kubectl get events --field-selector involvedObject.kind=Job",
    );
    assert!(
        events.contains("Suspended          job/later   Job suspended"),
        "{events}"
    );
    assert!(
        events.contains("Resumed            job/later   Job resumed"),
        "{events}"
    );
}

#[test]
fn deleting_a_running_job_takes_its_pods() {
    let mut c = Cluster::new(Preset::Default, 11);
    apply(&mut c, &job("busy", "", "sleep 3600", "Never"));
    c.advance(10_000);
    assert_eq!(field(&mut c, "job busy", ".status.active"), "1");
    let out = c.kubectl("kubectl delete job busy --wait=false", None);
    assert_eq!(out.exit_code, 0, "{}", out.text);
    // The pod's grace period (30 s, sleep ignores SIGTERM), then it is gone: the Job controller
    // removed the tracking finalizer of the orphan.
    c.advance(60_000);
    let pods = c.kubectl("kubectl get pods", None);
    assert_eq!(pods.text, "No resources found in default namespace.\n");
}
