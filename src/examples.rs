//! Manifests the page, the tests and the documentation share, and the scenarios a share link
//! carries.
//!
//! The page's examples menu lists [`EXAMPLES`]: working objects first, then the failures podlab
//! shows as Kubernetes v1.36 does (recorded in /work/shared/fidelity/cases).
//!
//! A share link is the page's address with `#s=` and the base64url (RFC 4648 §5, no padding) of a
//! small JSON [`Scenario`]: the editor's text, every command that changed the cluster in order,
//! and the step on screen. No server is involved: the page replays the scenario on its own
//! deterministic cluster, so the same moves give the same trace.

use serde::{Deserialize, Serialize};

/// The page's first manifest: an nginx Pod and a Service selecting it, the smallest thing that
/// travels through every component (API server, etcd, scheduler, kubelet, CNI, EndpointSlice,
/// kube-proxy, CoreDNS).
pub const NGINX_POD_AND_SERVICE: &str = "apiVersion: v1
kind: Pod
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports:
    - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  selector:
    app: nginx
  ports:
  - port: 80
    targetPort: 80
";

/// One nginx Pod and nothing else: API server, etcd, scheduler, kubelet, CNI.
pub const NGINX_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports:
    - containerPort: 80
";

/// A Deployment of three nginx replicas behind a Service: the Deployment controller creates a
/// ReplicaSet, the ReplicaSet controller its Pods (fidelity case 11-deployment), and the
/// EndpointSlice controller lists each ready Pod for the Service.
pub const DEPLOYMENT_AND_SERVICE: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
  labels:
    app: hello
spec:
  replicas: 3
  selector:
    matchLabels:
      app: hello
  template:
    metadata:
      labels:
        app: hello
    spec:
      containers:
      - name: hello
        image: nginx:1.27
        ports:
        - containerPort: 80
        resources:
          requests:
            cpu: 100m
            memory: 64Mi
---
apiVersion: v1
kind: Service
metadata:
  name: hello
spec:
  selector:
    app: hello
  ports:
  - port: 80
    targetPort: 80
";

/// A Pod asking for 8 CPUs, more than any node has (fidelity case 08-unschedulable-cpu): it stays
/// Pending and the scheduler's FailedScheduling event says why for every node.
pub const UNSCHEDULABLE_CPU: &str = "apiVersion: v1
kind: Pod
metadata:
  name: big
spec:
  containers:
  - name: app
    image: busybox
    command: [\"sleep\", \"3600\"]
    resources:
      requests:
        cpu: \"8\"
        memory: 1Gi
";

/// A Pod whose image tag does not exist (fidelity case k04-image-missing): the kubelet's pull
/// fails, the container waits in ErrImagePull, then ImagePullBackOff.
///
/// Not in [`EXAMPLES`] yet: the page's default cluster reaches a registry that has every tag
/// (`kubelet::cri::Runtime::pull` fails only on nodes without a registry), so this Pod would run.
pub const IMAGE_PULL_ERROR: &str = "apiVersion: v1
kind: Pod
metadata:
  name: ghost
spec:
  containers:
  - name: app
    image: nginx:0.0.0-does-not-exist
";

/// A container that exits 1 under restartPolicy Always (fidelity case k02-crashloop): the kubelet
/// restarts it with a growing back-off, and its state reads CrashLoopBackOff.
pub const CRASH_LOOP: &str = "apiVersion: v1
kind: Pod
metadata:
  name: crasher
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"echo starting; exit 1\"]
";

/// A Pod the API server refuses (as in fidelity case 03-invalid-name): its name is not an RFC 1123
/// subdomain and its container port is outside 1-65535 (ValidateObjectMeta and validateContainerPorts
/// in pkg/apis/core/validation/validation.go). Nothing is stored; Apply marks both lines.
pub const INVALID_MANIFEST: &str = "apiVersion: v1
kind: Pod
metadata:
  name: My_Pod
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 70000
";

/// A rolling update with readiness probes (the issue's "done when"): a Deployment of three nginx
/// replicas whose readinessProbe gates each new pod, behind a Service. Once it runs, `kubectl set
/// image` starts a RollingUpdate (maxSurge 25% → 1, maxUnavailable 25% → 0): the new ReplicaSet
/// scales up one pod at a time and the old one down as each new pod turns Ready, the Service's
/// endpoints following; `kubectl rollout status` prints each wait as kubectl does.
pub const DEPLOYMENT_ROLLING_UPDATE: &str = "# Run, then at the prompt:
#   kubectl set image deployment/web nginx=nginx:1.28
#   kubectl rollout status deployment/web
#   kubectl get deploy,rs,pods
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
        readinessProbe:
          httpGet:
            path: /
            port: 80
          initialDelaySeconds: 5
          periodSeconds: 5
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
";

/// Traffic to a Pod behind a Service (issue 6): an nginx Deployment, its Service and a busybox
/// client pod. Once it runs, `kubectl exec client -- wget -qO- http://web` resolves `web`
/// through the client's search path at CoreDNS, is DNATed by the client node's kube-proxy rules
/// to one nginx pod, and prints nginx's welcome page; each hop is a step of the trace.
pub const SERVICE_TRAFFIC: &str = "# Run, then at the prompt:
#   kubectl exec client -- wget -qO- http://web
#   kubectl exec client -- nslookup web
#   kubectl get endpointslices -l kubernetes.io/service-name=web
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers:
  - name: client
    image: busybox:1.36
    command: [\"sleep\", \"3600\"]
";

/// One entry of the page's examples menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// Stable name, used as the menu option's value (`pod-and-service`).
    pub id: &'static str,
    /// What the menu shows.
    pub title: &'static str,
    pub yaml: &'static str,
}

/// The examples menu, in order. The page starts with [`DEFAULT_EXAMPLE`].
pub const EXAMPLES: &[Example] = &[
    Example {
        id: "pod",
        title: "Pod alone",
        yaml: NGINX_POD,
    },
    Example {
        id: "pod-and-service",
        title: "Pod behind a Service",
        yaml: NGINX_POD_AND_SERVICE,
    },
    Example {
        id: "deployment-and-service",
        title: "Deployment behind a Service",
        yaml: DEPLOYMENT_AND_SERVICE,
    },
    Example {
        id: "deployment-rolling-update",
        title: "Deployment rolling update",
        yaml: DEPLOYMENT_ROLLING_UPDATE,
    },
    Example {
        id: "service-traffic",
        title: "Pod behind a Service: send traffic",
        yaml: SERVICE_TRAFFIC,
    },
    Example {
        id: "unschedulable-cpu",
        title: "Unschedulable (too much CPU)",
        yaml: UNSCHEDULABLE_CPU,
    },
    Example {
        id: "crash-loop",
        title: "Crash loop",
        yaml: CRASH_LOOP,
    },
    Example {
        id: "invalid-manifest",
        title: "Invalid manifest",
        yaml: INVALID_MANIFEST,
    },
];

/// The id of the example the page starts with.
pub const DEFAULT_EXAMPLE: &str = "pod-and-service";

/// The example called `id`.
pub fn example(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

/// The example whose text is exactly `text` (an untouched example, nothing the user typed).
pub fn example_with_text(text: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.yaml == text)
}

/// A share link's fragment key: `#s=…`.
pub const SHARE_KEY: &str = "s";

/// The format version a link carries; a link of another version is refused, not misread.
pub const SHARE_VERSION: u32 = 1;

/// Longest fragment a link may carry (characters); a longer one is refused before decoding.
pub const MAX_FRAGMENT_CHARS: usize = 256 * 1024;

/// Most moves a scenario may replay, and most steps all its advances may add up to: a link can
/// never make the page work for ever.
pub const MAX_MOVES: usize = 1_000;
pub const MAX_ADVANCE_STEPS: usize = 20_000;

/// One thing the user did that changed the cluster, in the order done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    /// `kubectl apply -f -` of this text; `None`: of the scenario's `yaml`.
    Apply(Option<String>),
    /// A line typed at the prompt, as typed (`get pods -o wide`).
    Kubectl(String),
    /// Step (or Play) revealed this many new trace entries, running the cluster.
    Advance(usize),
    /// Run: everything that happens in the next 60 s of virtual time.
    Run,
}

/// What a share link carries.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Scenario {
    /// [`SHARE_VERSION`].
    pub v: u32,
    /// The editor's text.
    pub yaml: String,
    /// Every move since the cluster started, in order.
    #[serde(default)]
    pub moves: Vec<Move>,
    /// How many trace entries had been shown.
    #[serde(default)]
    pub revealed: usize,
    /// The entry on screen (an index into the trace); `None` before the first.
    #[serde(default)]
    pub cursor: Option<usize>,
    /// The guided tour under way and its step, if one was. Added within version 1: a link
    /// without it (made before tours were shared) opens no tour, and a page that does not know
    /// the field ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tour: Option<TourAt>,
}

/// Where a guided tour ([`crate::tours::TOURS`]) stands: its id and the step on screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TourAt {
    pub id: String,
    pub step: usize,
}

/// Why a link's scenario could not be read: one line the page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    TooLong(usize),
    NotBase64,
    NotJson(String),
    Version(u32),
    TooMuchWork,
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let why = match self {
            ShareError::TooLong(n) => {
                format!("it is {n} characters long, more than {MAX_FRAGMENT_CHARS}")
            }
            ShareError::NotBase64 => "it is not base64url text".to_string(),
            ShareError::NotJson(e) => format!("its content is not a podlab scenario ({e})"),
            ShareError::Version(v) => format!("it was made by another version of podlab ({v})"),
            ShareError::TooMuchWork => {
                format!("it asks for more than {MAX_MOVES} moves or {MAX_ADVANCE_STEPS} steps")
            }
        };
        write!(
            f,
            "This link's scenario could not be read: {why}. Showing the default instead."
        )
    }
}

impl Scenario {
    /// The fragment (without `#`) that carries this scenario: `s=eyJ2Ijox…`.
    pub fn to_fragment(&self) -> String {
        let json = serde_json::to_string(&Scenario {
            v: SHARE_VERSION,
            ..self.clone()
        })
        .unwrap_or_default();
        format!(
            "{SHARE_KEY}={}",
            data_encoding::BASE64URL_NOPAD.encode(json.as_bytes())
        )
    }

    /// The scenario a page address's fragment carries: `None` when it has no `s=` part (the page
    /// starts as usual), else the scenario or why it cannot be used. Accepts the fragment with or
    /// without its `#`, and other `&`-separated parts beside `s=`.
    pub fn from_fragment(fragment: &str) -> Option<Result<Scenario, ShareError>> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        let value = fragment
            .split('&')
            .find_map(|part| part.strip_prefix(SHARE_KEY)?.strip_prefix('='))?;
        Some(decode(value))
    }

    /// How many steps the scenario's advances add up to (saturating).
    pub fn advance_steps(&self) -> usize {
        self.moves
            .iter()
            .map(|m| match m {
                Move::Advance(n) => *n,
                _ => 0,
            })
            .fold(0usize, usize::saturating_add)
    }
}

fn decode(value: &str) -> Result<Scenario, ShareError> {
    let count = value.chars().count();
    if count > MAX_FRAGMENT_CHARS {
        return Err(ShareError::TooLong(count));
    }
    // Some mail and chat programs append '=' padding or break a long link: accept both.
    let cleaned: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .collect();
    let bytes = data_encoding::BASE64URL_NOPAD
        .decode(cleaned.as_bytes())
        .map_err(|_| ShareError::NotBase64)?;
    let scenario: Scenario =
        serde_json::from_slice(&bytes).map_err(|e| ShareError::NotJson(e.to_string()))?;
    if scenario.v != SHARE_VERSION {
        return Err(ShareError::Version(scenario.v));
    }
    if scenario.moves.len() > MAX_MOVES || scenario.advance_steps() > MAX_ADVANCE_STEPS {
        return Err(ShareError::TooMuchWork);
    }
    Ok(scenario)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{Cluster, Preset};

    /// The default cluster after `yaml` is applied and `ms` of virtual time have passed.
    fn applied(yaml: &str, ms: crate::sim::Millis) -> (Cluster, crate::cluster::CommandOutput) {
        let mut cluster = Cluster::new(Preset::Default, 1);
        let output = cluster.kubectl("kubectl apply -f -", Some(yaml));
        let deadline = cluster.now() + ms;
        while cluster.next_event_at().is_some_and(|at| at <= deadline) {
            if !cluster.step() {
                break;
            }
        }
        (cluster, output)
    }

    fn get(cluster: &mut Cluster, line: &str) -> String {
        cluster.kubectl(line, None).text
    }

    #[test]
    fn every_example_has_a_unique_id_and_the_default_exists() {
        for (i, e) in EXAMPLES.iter().enumerate() {
            assert!(
                EXAMPLES.iter().skip(i + 1).all(|o| o.id != e.id),
                "{}",
                e.id
            );
            assert_eq!(example_with_text(e.yaml).map(|x| x.id), Some(e.id));
        }
        assert_eq!(
            example(DEFAULT_EXAMPLE).map(|e| e.yaml),
            Some(NGINX_POD_AND_SERVICE)
        );
        assert_eq!(example_with_text("kind: Pod\n"), None);
    }

    #[test]
    fn the_working_examples_are_created() {
        let (_, out) = applied(NGINX_POD, 0);
        assert_eq!(out.text, "pod/nginx created\n");
        let (mut cluster, out) = applied(DEPLOYMENT_AND_SERVICE, 20_000);
        assert_eq!(
            out.text,
            "deployment.apps/hello created\nservice/hello created\n"
        );
        let pods = get(&mut cluster, "kubectl get pods -l app=hello --no-headers");
        assert_eq!(pods.matches("Running").count(), 3, "{pods}");
    }

    /// The rolling update example runs to completion: Ready behind its Service, then `kubectl
    /// set image` rolls it out one pod at a time, as `kubectl rollout status` reports.
    #[test]
    fn the_rolling_update_example_rolls_out() {
        let (mut cluster, out) = applied(DEPLOYMENT_ROLLING_UPDATE, 30_000);
        assert_eq!(
            out.text,
            "deployment.apps/web created\nservice/web created\n"
        );
        let deploy = get(&mut cluster, "kubectl get deploy web --no-headers");
        let fields: Vec<&str> = deploy.split_whitespace().collect();
        assert_eq!(
            fields.get(..4),
            Some(&["web", "3/3", "3", "3"][..]),
            "{deploy}"
        );
        let set = get(
            &mut cluster,
            "kubectl set image deployment/web nginx=nginx:1.28",
        );
        assert_eq!(set, "deployment.apps/web image updated\n");
        let status = get(&mut cluster, "kubectl rollout status deployment/web");
        let lines: Vec<&str> = status.lines().collect();
        // Run at once, kubectl sees the Deployment before its controller has (observedGeneration
        // behind generation), then each step of the rollout (DeploymentStatusViewer.Status).
        assert_eq!(
            lines.first().copied(),
            Some("Waiting for deployment spec update to be observed..."),
            "{status}"
        );
        for updated in 1..=2 {
            let line = format!(
                "Waiting for deployment \"web\" rollout to finish: {updated} out of 3 new replicas have been updated..."
            );
            assert!(lines.contains(&line.as_str()), "{status}");
        }
        assert!(
            status.contains("Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination..."),
            "{status}"
        );
        assert_eq!(
            lines.last().copied(),
            Some("deployment \"web\" successfully rolled out"),
            "{status}"
        );
        // The last old pod was still terminating when the rollout counted as done.
        cluster.advance(40_000);
        let images = get(
            &mut cluster,
            "kubectl get pods -l app=web -o jsonpath={.items[*].spec.containers[0].image}",
        );
        assert_eq!(images, "nginx:1.28 nginx:1.28 nginx:1.28", "{images}");
        let rs = get(&mut cluster, "kubectl get rs --no-headers");
        let desired: Vec<&str> = rs
            .lines()
            .filter_map(|l| l.split_whitespace().nth(1))
            .collect();
        let mut sorted = desired.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, vec!["0", "3"], "{rs}");
    }

    /// The traffic example's command gets nginx's welcome page through the Service.
    #[test]
    fn the_service_traffic_example_answers_wget() {
        let (mut cluster, out) = applied(SERVICE_TRAFFIC, 20_000);
        assert_eq!(
            out.text,
            "deployment.apps/web created\nservice/web created\npod/client created\n"
        );
        let command = SERVICE_TRAFFIC
            .lines()
            .find_map(|l| l.strip_prefix("#   kubectl exec"))
            .map(|rest| format!("kubectl exec{rest}"));
        assert_eq!(
            command.as_deref(),
            Some("kubectl exec client -- wget -qO- http://web")
        );
        let page = get(&mut cluster, "kubectl exec client -- wget -qO- http://web");
        assert_eq!(page, crate::network::http::NGINX_WELCOME);
    }

    #[test]
    fn too_much_cpu_stays_pending_with_failed_scheduling() {
        let (mut cluster, out) = applied(UNSCHEDULABLE_CPU, 5_000);
        assert_eq!(out.text, "pod/big created\n");
        let pods = get(&mut cluster, "kubectl get pods");
        assert!(pods.contains("big    0/1     Pending"), "{pods}");
        let events = get(
            &mut cluster,
            "kubectl get events --field-selector reason=FailedScheduling",
        );
        assert!(events.contains("Insufficient cpu"), "{events}");
    }

    #[test]
    #[ignore = "the default cluster's registry has every tag (kubelet::cri::Runtime::pull)"]
    fn a_missing_tag_cannot_be_pulled() {
        let (mut cluster, _) = applied(IMAGE_PULL_ERROR, 30_000);
        let reason = get(
            &mut cluster,
            "kubectl get pod ghost -o jsonpath={.status.containerStatuses[0].state.waiting.reason}",
        );
        assert!(
            reason == "ErrImagePull" || reason == "ImagePullBackOff",
            "{reason}"
        );
    }

    #[test]
    fn exit_1_crash_loops() {
        // As fidelity case k02-crashloop recorded it a minute after the apply.
        let (mut cluster, _) = applied(CRASH_LOOP, 55_000);
        let last = get(
            &mut cluster,
            "kubectl get pod crasher -o jsonpath='{.status.containerStatuses[0].restartCount} \
             {.status.containerStatuses[0].lastState.terminated.exitCode} \
             {.status.containerStatuses[0].lastState.terminated.reason}'",
        );
        assert_eq!(last, "3 1 Error");
        let backoff = get(
            &mut cluster,
            "kubectl get events --field-selector reason=BackOff -o name",
        );
        assert!(!backoff.is_empty(), "the kubelet backs off");
        let logs = get(&mut cluster, "kubectl logs crasher");
        assert_eq!(logs, "starting\n");
    }

    #[test]
    fn the_invalid_manifest_is_refused_for_its_name_and_port() {
        let (_, out) = applied(INVALID_MANIFEST, 0);
        assert_ne!(out.exit_code, 0);
        assert!(
            out.text.contains(
                "metadata.name: Invalid value: \"My_Pod\": a lowercase RFC 1123 subdomain"
            ),
            "{}",
            out.text
        );
        assert!(
            out.text.contains(
                "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"
            ),
            "{}",
            out.text
        );
    }

    fn scenario() -> Scenario {
        Scenario {
            v: SHARE_VERSION,
            yaml: NGINX_POD_AND_SERVICE.to_string(),
            moves: vec![
                Move::Apply(None),
                Move::Advance(7),
                Move::Kubectl("get pods -o wide".to_string()),
                Move::Apply(Some("kind: [".to_string())),
                Move::Run,
            ],
            revealed: 40,
            cursor: Some(12),
            tour: None,
        }
    }

    #[test]
    fn a_scenario_survives_the_fragment_round_trip() {
        let s = scenario();
        let fragment = s.to_fragment();
        assert!(fragment.starts_with("s="));
        assert!(fragment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_=".contains(c)));
        assert_eq!(Scenario::from_fragment(&fragment), Some(Ok(s.clone())));
        assert_eq!(
            Scenario::from_fragment(&format!("#x=1&{fragment}")),
            Some(Ok(s))
        );
    }

    #[test]
    fn the_json_is_small_and_readable() {
        let json = r#"{"v":1,"yaml":"a: b\n","moves":[{"apply":null},{"advance":3},{"kubectl":"get pods"},"run"],"revealed":4,"cursor":2}"#;
        let fragment = format!(
            "s={}",
            data_encoding::BASE64URL_NOPAD.encode(json.as_bytes())
        );
        let s = Scenario::from_fragment(&fragment).and_then(Result::ok);
        assert_eq!(
            s.map(|s| (s.moves, s.cursor)),
            Some((
                vec![
                    Move::Apply(None),
                    Move::Advance(3),
                    Move::Kubectl("get pods".into()),
                    Move::Run
                ],
                Some(2)
            ))
        );
    }

    #[test]
    fn a_tour_and_its_step_survive_the_round_trip() {
        let s = Scenario {
            tour: Some(TourAt {
                id: "rollout".into(),
                step: 6,
            }),
            ..scenario()
        };
        let fragment = s.to_fragment();
        assert_eq!(Scenario::from_fragment(&fragment), Some(Ok(s)));
        let json = data_encoding::BASE64URL_NOPAD
            .decode(fragment.trim_start_matches("s=").as_bytes())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        assert!(
            json.ends_with(r#","tour":{"id":"rollout","step":6}}"#),
            "{json}"
        );
    }

    /// Links made before tours were shared carry no `tour`: they still open, with no tour; and a
    /// link without a tour does not grow the field.
    #[test]
    fn a_link_from_before_tours_were_shared_still_opens() {
        let old =
            r#"{"v":1,"yaml":"a: b\n","moves":[{"apply":null},"run"],"revealed":4,"cursor":2}"#;
        let fragment = format!(
            "s={}",
            data_encoding::BASE64URL_NOPAD.encode(old.as_bytes())
        );
        let s = Scenario::from_fragment(&fragment).and_then(Result::ok);
        assert_eq!(
            s.as_ref().map(|s| (s.cursor, s.tour.clone())),
            Some((Some(2), None))
        );
        let again = s.map(|s| s.to_fragment()).unwrap_or_default();
        assert_eq!(again, fragment);
    }

    #[test]
    fn no_share_key_means_no_scenario() {
        assert_eq!(Scenario::from_fragment(""), None);
        assert_eq!(Scenario::from_fragment("#"), None);
        assert_eq!(Scenario::from_fragment("#section-2"), None);
        assert_eq!(Scenario::from_fragment("#sx=abc"), None);
    }

    #[test]
    fn malformed_fragments_say_why_in_one_line() {
        let bad = |f: &str| match Scenario::from_fragment(f) {
            Some(Err(e)) => e,
            other => panic!("{f}: {other:?}"),
        };
        assert_eq!(bad("#s=%%%"), ShareError::NotBase64);
        assert_eq!(
            bad("#s=YQ"),
            ShareError::NotJson("expected value at line 1 column 1".into())
        );
        let json = |j: &str| format!("s={}", data_encoding::BASE64URL_NOPAD.encode(j.as_bytes()));
        assert_eq!(bad(&json(r#"{"v":2,"yaml":""}"#)), ShareError::Version(2));
        assert!(matches!(bad(&json(r#"{"v":1}"#)), ShareError::NotJson(_)));
        assert_eq!(
            bad(&json(
                r#"{"v":1,"yaml":"","moves":[{"advance":18446744073709551615},{"advance":9}]}"#
            )),
            ShareError::TooMuchWork
        );
        assert!(matches!(
            bad(&"s=".repeat(MAX_FRAGMENT_CHARS)),
            ShareError::TooLong(_)
        ));
        let message = bad("#s=%%%").to_string();
        assert_eq!(
            message,
            "This link's scenario could not be read: it is not base64url text. Showing the default instead."
        );
        assert!(!message.contains('\n'));
    }

    #[test]
    fn padding_and_line_breaks_in_a_pasted_link_are_tolerated() {
        let s = scenario();
        let fragment = s.to_fragment();
        let (head, tail) = fragment.split_at(fragment.len() / 2);
        let mangled = format!("{head}\n {tail}==");
        assert_eq!(Scenario::from_fragment(&mangled), Some(Ok(s)));
    }
}
