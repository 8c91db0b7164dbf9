//! Guided tours: "What happens when you create a Pod", "…when you delete it", and a Deployment's
//! rolling update, told step by step over the cluster's real trace.
//!
//! A tour is an example manifest plus the commands typed after it (a [`Scenario`] the page replays
//! on its own seeded cluster) and a list of [`TourStep`]s. Each step is not tied to a fixed trace
//! position: it carries a [`Match`] (who acts, towards whom, what action, on which object) and
//! [`locate`] finds, for each step in turn, the first trace entry after the previous step's that
//! matches. So the tour follows whatever the simulation really did; the tests below run every
//! tour on a real [`Cluster`] and check that each step finds its entry, in order.
//!
//! The explanations follow the Kubernetes v1.36 documentation page each step links to.

use crate::cluster::Cluster;
use crate::examples::{example, Move, Scenario, SHARE_VERSION};
use crate::sim::{Millis, TraceEntry};

/// How far a tour's Run looks ahead: the page's Run (`ui::state::LOOKAHEAD_MS`), so that the
/// page's replay and [`play`] make the same trace.
pub const RUN_MS: Millis = 60_000;

/// The page's bound on events processed per Run (`ui::state::MAX_EVENTS_PER_SEARCH`).
const MAX_EVENTS_PER_RUN: usize = 100_000;

/// The page's seed (`ui::state::SEED`): a tour replayed on the page makes this trace.
pub const SEED: u64 = 1;

/// Which trace entries a step stands for. Every field that is not empty must hold; actors are
/// compared by [`crate::sim::Actor::kind`] (`kubelet`, not `kubelet@worker-1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// The acting component's kind, `""` for any.
    pub from: &'static str,
    /// The component told, `""` for any.
    pub to: &'static str,
    /// How the action starts (`POST /api/v1/namespaces/default/pods`).
    pub action: &'static str,
    /// Text the action must contain besides (`/binding`).
    pub action_has: &'static str,
    /// How the entry's object starts (`pod/default/nginx`).
    pub object: &'static str,
}

impl Match {
    /// A match on who acts, towards whom, and how the action starts.
    pub const fn new(from: &'static str, to: &'static str, action: &'static str) -> Match {
        Match {
            from,
            to,
            action,
            action_has: "",
            object: "",
        }
    }

    /// The same, for entries about objects whose name starts with `object`.
    pub const fn on(self, object: &'static str) -> Match {
        Match { object, ..self }
    }

    /// The same, for actions that also contain `text`.
    pub const fn having(self, text: &'static str) -> Match {
        Match {
            action_has: text,
            ..self
        }
    }

    /// Whether `entry` is one this step stands for.
    pub fn matches(&self, entry: &TraceEntry) -> bool {
        (self.from.is_empty() || entry.from.kind() == self.from)
            && (self.to.is_empty() || entry.to.kind() == self.to)
            && entry.action.starts_with(self.action)
            && entry.action.contains(self.action_has)
            && entry.object.starts_with(self.object)
    }
}

/// A page of the Kubernetes documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocLink {
    /// What the link says.
    pub title: &'static str,
    pub url: &'static str,
}

/// One step of a tour: a title, 2–4 plain sentences, the documentation page for the concept, and
/// the trace entry it explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TourStep {
    pub title: &'static str,
    pub text: &'static str,
    pub doc: DocLink,
    pub matcher: Match,
}

/// A guided tour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tour {
    /// Stable name (`create-pod`).
    pub id: &'static str,
    /// What the tours menu shows.
    pub title: &'static str,
    /// The example (an id of [`crate::examples::EXAMPLES`]) applied first; the cluster then runs
    /// for [`RUN_MS`].
    pub example: &'static str,
    /// Commands typed at the prompt next, each followed by a run of [`RUN_MS`].
    pub then: &'static [&'static str],
    pub steps: &'static [TourStep],
}

const fn doc(title: &'static str, url: &'static str) -> DocLink {
    DocLink { title, url }
}

/// "What happens when you create a Pod": the nginx Pod behind a Service, from kubectl's POST to
/// kube-proxy's rules.
pub const CREATE_POD: Tour = Tour {
    id: "create-pod",
    title: "What happens when you create a Pod",
    example: "pod-and-service",
    then: &[],
    steps: &[
        TourStep {
            title: "kubectl sends the Pod to the API server",
            text: "kubectl apply read your manifest and asked the API server for a Pod named nginx; \
                   the answer was 404 Not Found, so it now sends the whole object in a POST request. \
                   kubectl never talks to a node or to etcd: every component, kubectl included, \
                   only talks to the kube-apiserver.",
            doc: doc(
                "The Kubernetes API",
                "https://kubernetes.io/docs/concepts/overview/kubernetes-api/",
            ),
            matcher: Match::new("kubectl", "kube-apiserver", "POST /api/v1/namespaces/default/pods")
                .on("pod/default/nginx"),
        },
        TourStep {
            title: "Authentication, authorization, admission",
            text: "Before storing anything the API server checks who is asking (a client \
                   certificate in the system:masters group), whether that user may create Pods, \
                   and then runs the admission controllers. The ServiceAccount admission plugin \
                   changes the Pod: it sets serviceAccountName to default and adds a projected \
                   kube-api-access volume holding a token. Then the Pod is validated.",
            doc: doc(
                "Admission control in Kubernetes",
                "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/",
            ),
            matcher: Match::new("kube-apiserver", "kube-apiserver", "mutating admission")
                .on("pod/default/nginx"),
        },
        TourStep {
            title: "The Pod is stored in etcd",
            text: "The API server writes the Pod to etcd under the key /registry/pods/default/nginx \
                   and answers kubectl 201 Created. The Pod now exists, but only as data: it has no \
                   node and no IP, and no container runs anywhere. Everything that follows happens \
                   because other components watch the API server.",
            doc: doc(
                "Kubernetes components: etcd",
                "https://kubernetes.io/docs/concepts/overview/components/#etcd",
            ),
            matcher: Match::new("kube-apiserver", "etcd", "txn: create /registry/pods/default/nginx"),
        },
        TourStep {
            title: "The scheduler hears of a new Pod",
            text: "The kube-scheduler keeps a watch open on Pods. The API server streams it an \
                   ADDED event for a Pod whose spec.nodeName is empty, so the scheduler puts the \
                   Pod in its scheduling queue.",
            doc: doc(
                "API concepts: efficient detection of changes (watch)",
                "https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes",
            ),
            matcher: Match::new("kube-apiserver", "kube-scheduler", "WATCH ADDED")
                .on("pod/default/nginx"),
        },
        TourStep {
            title: "Filtering and scoring the nodes",
            text: "In one scheduling cycle the scheduler runs its filter plugins on every node: \
                   the control-plane node is filtered out by its NoSchedule taint, which the Pod \
                   does not tolerate. The nodes that pass are scored by the score plugins, and the \
                   node with the highest total wins.",
            doc: doc(
                "Kubernetes Scheduler",
                "https://kubernetes.io/docs/concepts/scheduling-eviction/kube-scheduler/",
            ),
            matcher: Match::new("kube-scheduler", "kube-scheduler", "SchedulingCycle")
                .on("pod/default/nginx"),
        },
        TourStep {
            title: "Binding the Pod to a node",
            text: "The scheduler does not start anything itself. It posts a Binding to the Pod's \
                   binding subresource; the API server sets spec.nodeName to the chosen node and \
                   writes the Pod back to etcd. The scheduler also records a Scheduled event.",
            doc: doc(
                "Scheduling Framework: the binding cycle",
                "https://kubernetes.io/docs/concepts/scheduling-eviction/scheduling-framework/",
            ),
            matcher: Match::new("kube-scheduler", "kube-apiserver", "POST ")
                .having("/binding")
                .on("pod/default/nginx"),
        },
        TourStep {
            title: "The node's kubelet receives the Pod",
            text: "Each kubelet watches only the Pods bound to its own node (a field selector on \
                   spec.nodeName). The kubelet of the chosen node now receives this Pod and starts \
                   syncing it: it reports the Pod as Pending and mounts its volumes, the service \
                   account token among them.",
            doc: doc(
                "Kubernetes components: kubelet",
                "https://kubernetes.io/docs/concepts/overview/components/#kubelet",
            ),
            matcher: Match::new("kube-apiserver", "kubelet", "WATCH ADDED").on("pod/default/nginx"),
        },
        TourStep {
            title: "A sandbox through the CRI",
            text: "The kubelet asks the container runtime, containerd, through the Container \
                   Runtime Interface (CRI) to run a Pod sandbox. The sandbox is a pause container \
                   holding the Linux namespaces that the Pod's containers will share, its network \
                   namespace first.",
            doc: doc(
                "Container Runtime Interface (CRI)",
                "https://kubernetes.io/docs/concepts/architecture/cri/",
            ),
            matcher: Match::new("kubelet", "", "RunPodSandbox").on("pod/default/nginx"),
        },
        TourStep {
            title: "The CNI plugin gives the Pod an IP",
            text: "While it sets up the sandbox, containerd calls the CNI plugin with ADD. The \
                   plugin connects the Pod's network namespace to the node's network, and its IPAM \
                   picks a free address in the node's Pod range (spec.podCIDR).",
            doc: doc(
                "Network Plugins",
                "https://kubernetes.io/docs/concepts/extend-kubernetes/compute-storage-net/network-plugins/",
            ),
            matcher: Match::new("containerd", "cni", "CNI ADD").on("pod/default/nginx"),
        },
        TourStep {
            title: "The Pod's IP is reported",
            text: "The kubelet writes the new address to the Pod's status (status.podIP and \
                   status.podIPs) through the API server. The Pod is still Pending: its container \
                   has not started yet.",
            doc: doc(
                "Pod Lifecycle",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/",
            ),
            matcher: Match::new("kubelet", "kube-apiserver", "")
                .having("/status")
                .on("pod/default/nginx"),
        },
        TourStep {
            title: "Pulling the image",
            text: "The image nginx:1.27 is not on the node yet, and its imagePullPolicy is \
                   IfNotPresent (the default for a tag other than latest), so the kubelet asks \
                   the runtime to pull it. The Pulling and Pulled events record this.",
            doc: doc("Images", "https://kubernetes.io/docs/concepts/containers/images/"),
            matcher: Match::new("kubelet", "containerd", "PullImage").on("pod/default/nginx"),
        },
        TourStep {
            title: "Starting the container",
            text: "The kubelet asks the runtime to create the nginx container inside the Pod's \
                   sandbox and to start it (the Created and Started events). The nginx process \
                   runs in the network namespace the sandbox set up, with the Pod's IP.",
            doc: doc(
                "Pod Lifecycle: container states",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-states",
            ),
            matcher: Match::new("kubelet", "containerd", "StartContainer").on("pod/default/nginx"),
        },
        TourStep {
            title: "Running and Ready",
            text: "The kubelet reports phase Running. The container has no readiness probe, so \
                   it counts as ready as soon as it has started, and the Pod's Ready condition \
                   becomes True. With a readinessProbe, the kubelet would set Ready only once the \
                   probe succeeded.",
            doc: doc(
                "Pod Lifecycle: Pod conditions",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-conditions",
            ),
            matcher: Match::new("kubelet", "kube-apiserver", "")
                .having("/status")
                .on("pod/default/nginx"),
        },
        TourStep {
            title: "The Service's endpoints",
            text: "The EndpointSlice controller in kube-controller-manager watches Pods and \
                   Services. The Pod matches the Service's selector app: nginx and is now ready, so \
                   the controller marks its address ready in the Service's EndpointSlice (the \
                   Endpoints controller updates the older Endpoints object the same way).",
            doc: doc(
                "EndpointSlices",
                "https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/",
            ),
            matcher: Match::new(
                "kube-controller-manager",
                "kube-apiserver",
                "PUT /apis/discovery.k8s.io/v1/namespaces/default/endpointslices/",
            ),
        },
        TourStep {
            title: "CoreDNS",
            text: "CoreDNS watches Services and EndpointSlices too. It has answered \
                   nginx.default.svc.cluster.local with the Service's cluster IP since the Service \
                   was created; EndpointSlices change its answers only for headless Services, \
                   whose names resolve to the ready Pods' own IPs.",
            doc: doc(
                "DNS for Services and Pods",
                "https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/",
            ),
            matcher: Match::new("kube-apiserver", "coredns", "WATCH MODIFIED").on("endpointslice/"),
        },
        TourStep {
            title: "kube-proxy programs the node",
            text: "kube-proxy on every node watches Services and EndpointSlices. In iptables mode \
                   it rewrites the node's rules so that a connection to the Service's cluster IP \
                   and port is sent (DNAT) to a ready Pod. Each node applies the change on its own, \
                   a little after the EndpointSlice changed: from now on the Service reaches the \
                   Pod from any node.",
            doc: doc(
                "Virtual IPs and Service Proxies",
                "https://kubernetes.io/docs/reference/networking/virtual-ips/",
            ),
            matcher: Match::new("kube-proxy", "kube-proxy", "syncProxyRules"),
        },
    ],
};

/// "What happens when you delete a Pod": the same Pod, running, then `kubectl delete pod nginx`.
pub const DELETE_POD: Tour = Tour {
    id: "delete-pod",
    title: "What happens when you delete a Pod",
    example: "pod-and-service",
    then: &["kubectl delete pod nginx"],
    steps: &[
        TourStep {
            title: "kubectl asks for the Pod's deletion",
            text: "The nginx Pod is running behind its Service. kubectl delete sends a DELETE \
                   request for it. A Pod is not removed at once: it is deleted gracefully, with its \
                   termination grace period (spec.terminationGracePeriodSeconds, 30 seconds by \
                   default).",
            doc: doc(
                "Pod Lifecycle: termination of Pods",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination",
            ),
            matcher: Match::new(
                "kubectl",
                "kube-apiserver",
                "DELETE /api/v1/namespaces/default/pods/nginx",
            ),
        },
        TourStep {
            title: "Marked for deletion, not deleted",
            text: "The API server only sets metadata.deletionTimestamp and \
                   metadata.deletionGracePeriodSeconds and writes the Pod back to etcd. kubectl \
                   prints pod \"nginx\" deleted from default namespace, yet the Pod still exists \
                   and its container still runs: kubectl get pods shows it as Terminating.",
            doc: doc(
                "Pod Lifecycle: termination of Pods",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination",
            ),
            matcher: Match::new("kube-apiserver", "etcd", "txn: update /registry/pods/default/nginx")
                .having("deletionTimestamp"),
        },
        TourStep {
            title: "The endpoint is marked terminating",
            text: "The EndpointSlice controller sees the deletionTimestamp. It keeps the Pod's \
                   address in the Service's EndpointSlice but with the conditions ready: false and \
                   terminating: true, so that Services stop choosing it for new connections.",
            doc: doc(
                "EndpointSlices: conditions",
                "https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#conditions",
            ),
            matcher: Match::new(
                "kube-controller-manager",
                "kube-apiserver",
                "PUT /apis/discovery.k8s.io/v1/namespaces/default/endpointslices/",
            ),
        },
        TourStep {
            title: "The kubelet sees the deletion",
            text: "At the same time, the kubelet on the Pod's node receives the modified Pod \
                   through its watch. It starts stopping the Pod's containers, each within the \
                   grace period, and records a Killing event.",
            doc: doc(
                "Pod Lifecycle: termination of Pods",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination",
            ),
            matcher: Match::new("kube-apiserver", "kubelet", "WATCH MODIFIED")
                .on("pod/default/nginx"),
        },
        TourStep {
            title: "The stop signal",
            text: "The container has no preStop hook, so the kubelet asks the runtime to stop it \
                   straight away. The runtime sends the main process its stop signal (SIGTERM unless \
                   the image names another) and would send SIGKILL if it still ran when the grace \
                   period ran out.",
            doc: doc(
                "Container Lifecycle Hooks",
                "https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/",
            ),
            matcher: Match::new("kubelet", "containerd", "StopContainer").on("pod/default/nginx"),
        },
        TourStep {
            title: "The container exits",
            text: "nginx shuts down and its process exits well within the grace period. The \
                   kubelet reports the container as terminated in the Pod's status.",
            doc: doc(
                "Pod Lifecycle: container states",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-states",
            ),
            matcher: Match::new("kubelet", "kube-apiserver", "")
                .having("/status")
                .on("pod/default/nginx"),
        },
        TourStep {
            title: "The sandbox is stopped",
            text: "With every container stopped, the kubelet asks the runtime through the CRI to \
                   stop and remove the Pod sandbox. That is the pause container that held the \
                   Pod's namespaces, its network namespace among them.",
            doc: doc(
                "Container Runtime Interface (CRI)",
                "https://kubernetes.io/docs/concepts/architecture/cri/",
            ),
            matcher: Match::new("kubelet", "", "StopPodSandbox").on("pod/default/nginx"),
        },
        TourStep {
            title: "The CNI plugin frees the IP",
            text: "While the sandbox goes, containerd calls the CNI plugin with DEL. The plugin \
                   removes the Pod's network interface and gives its IP back to the node's pool, \
                   where a later Pod may get it.",
            doc: doc(
                "Network Plugins",
                "https://kubernetes.io/docs/concepts/extend-kubernetes/compute-storage-net/network-plugins/",
            ),
            matcher: Match::new("containerd", "cni", "CNI DEL").on("pod/default/nginx"),
        },
        TourStep {
            title: "The kubelet removes the Pod object",
            text: "Only now, with nothing of the Pod left running, does the kubelet send its own \
                   DELETE, with a grace period of 0. That tells the API server to remove the object \
                   for good.",
            doc: doc(
                "Pod Lifecycle: termination of Pods",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination",
            ),
            matcher: Match::new(
                "kubelet",
                "kube-apiserver",
                "DELETE /api/v1/namespaces/default/pods/nginx",
            ),
        },
        TourStep {
            title: "Gone from etcd",
            text: "The API server deletes the key /registry/pods/default/nginx from etcd, and \
                   every component watching Pods receives a DELETED event. kubectl get pods no \
                   longer lists the Pod.",
            doc: doc(
                "Kubernetes components: etcd",
                "https://kubernetes.io/docs/concepts/overview/components/#etcd",
            ),
            matcher: Match::new("kube-apiserver", "etcd", "txn: delete /registry/pods/default/nginx"),
        },
        TourStep {
            title: "The endpoint is removed",
            text: "The EndpointSlice controller drops the Pod's address from the Service's \
                   EndpointSlice. The Service now has no endpoints: once kube-proxy has \
                   caught up, a connection to its cluster IP is rejected",
            doc: doc(
                "EndpointSlices",
                "https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/",
            ),
            matcher: Match::new(
                "kube-controller-manager",
                "kube-apiserver",
                "PUT /apis/discovery.k8s.io/v1/namespaces/default/endpointslices/",
            ),
        },
        TourStep {
            title: "kube-proxy catches up",
            text: "kube-proxy on each node rewrites its rules so that the Service no longer sends \
                   connections to the Pod, a few hundred milliseconds after the EndpointSlice \
                   changed and after the container was already told to stop. A connection sent in \
                   between could reach a Pod that is shutting down: that is the shutdown race, and \
                   why Pods behind a Service often wait in a preStop hook.",
            doc: doc(
                "Virtual IPs and Service Proxies",
                "https://kubernetes.io/docs/reference/networking/virtual-ips/",
            ),
            matcher: Match::new("kube-proxy", "kube-proxy", "syncProxyRules"),
        },
    ],
};

/// Every tour, in the menu's order.
pub const TOURS: &[Tour] = &[CREATE_POD, DELETE_POD];

/// The tour called `id`.
pub fn tour(id: &str) -> Option<&'static Tour> {
    TOURS.iter().find(|t| t.id == id)
}

impl Tour {
    /// The scenario the page replays to start the tour: the example applied, the cluster run,
    /// each further command typed and the cluster run again; every entry revealed.
    pub fn scenario(&self) -> Scenario {
        let yaml = example(self.example).map(|e| e.yaml).unwrap_or_default();
        let mut moves = vec![Move::Apply(None), Move::Run];
        for command in self.then {
            moves.push(Move::Kubectl((*command).to_string()));
            moves.push(Move::Run);
        }
        Scenario {
            v: SHARE_VERSION,
            yaml: yaml.to_string(),
            moves,
            revealed: usize::MAX,
            cursor: None,
        }
    }
}

/// For each step of `tour`, the index of its entry in `trace`: the first entry after the previous
/// step's that the step's [`Match`] accepts. A step that finds none gets `None`, and the next step
/// searches on from the last entry found.
pub fn locate(tour: &Tour, trace: &[TraceEntry]) -> Vec<Option<usize>> {
    let mut from = 0;
    tour.steps
        .iter()
        .map(|step| {
            let found = trace
                .get(from..)
                .unwrap_or_default()
                .iter()
                .position(|entry| step.matcher.matches(entry))
                .map(|offset| from + offset);
            if let Some(index) = found {
                from = index + 1;
            }
            found
        })
        .collect()
}

/// Play `tour`'s scenario on `cluster` as the page replays it: apply the example, run
/// [`RUN_MS`], then each command followed by another run.
pub fn play(tour: &Tour, cluster: &mut Cluster) {
    let yaml = example(tour.example).map(|e| e.yaml).unwrap_or_default();
    cluster.kubectl("kubectl apply -f -", Some(yaml));
    run(cluster);
    for command in tour.then {
        cluster.kubectl(command, None);
        run(cluster);
    }
}

/// Process every event due within [`RUN_MS`] from now, as the page's Run does.
fn run(cluster: &mut Cluster) {
    let deadline = cluster.now().saturating_add(RUN_MS);
    for _ in 0..MAX_EVENTS_PER_RUN {
        match cluster.next_event_at() {
            Some(at) if at <= deadline => {
                if !cluster.step() {
                    break;
                }
            }
            _ => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Preset;
    use crate::sim::Actor;

    fn played(tour: &Tour) -> Cluster {
        let mut cluster = Cluster::new(Preset::Default, SEED);
        play(tour, &mut cluster);
        cluster
    }

    /// Every step of `tour` finds its entry in the real trace, each after the one before.
    fn assert_every_step_found_in_order(tour: &Tour) -> Vec<usize> {
        let cluster = played(tour);
        let found = locate(tour, cluster.trace());
        let mut indexes = Vec::new();
        for (step, index) in tour.steps.iter().zip(&found) {
            let Some(index) = index else {
                panic!("{}: step {:?} found no entry", tour.id, step.title);
            };
            indexes.push(*index);
        }
        assert!(
            indexes.windows(2).all(|w| w[0] < w[1]),
            "{}: in order: {indexes:?}",
            tour.id
        );
        indexes
    }

    #[test]
    fn the_create_tour_follows_the_real_trace() {
        let indexes = assert_every_step_found_in_order(&CREATE_POD);
        let cluster = played(&CREATE_POD);
        let entry = |step: usize| cluster.trace()[indexes[step]].clone();
        assert_eq!(entry(0).from, Actor::Kubectl);
        assert_eq!(entry(2).action, "txn: create /registry/pods/default/nginx");
        assert!(entry(5).action.ends_with("/pods/nginx/binding"));
        // The kubelet acting is the one of the node the scheduler bound the pod to.
        let bound = entry(4).detail.clone();
        let Actor::Kubelet(node) = entry(7).from else {
            panic!("RunPodSandbox is the kubelet's: {:?}", entry(7));
        };
        assert!(bound.contains(&format!("bound to {node}")), "{bound}");
        // The IP is reported after CNI ADD gave it; Running only after the container started.
        assert!(indexes[9] > indexes[8] && indexes[12] > indexes[11]);
        assert!(
            entry(12).detail.contains("\"phase\":\"Running\""),
            "{}",
            entry(12).detail
        );
        assert!(
            entry(13).detail.contains("\"ready\":true"),
            "{}",
            entry(13).detail
        );
    }

    #[test]
    fn the_delete_tour_follows_the_real_trace() {
        let indexes = assert_every_step_found_in_order(&DELETE_POD);
        let cluster = played(&DELETE_POD);
        let entry = |step: usize| cluster.trace()[indexes[step]].clone();
        assert!(
            entry(2).detail.contains("\"terminating\":true"),
            "{}",
            entry(2).detail
        );
        assert_eq!(entry(9).action, "txn: delete /registry/pods/default/nginx");
        // kube-proxy rewrote its rules only after the container was told to stop.
        assert!(entry(11).at > entry(4).at);
    }

    #[test]
    fn every_step_is_short_and_links_the_documentation() {
        for tour in TOURS {
            assert!(example(tour.example).is_some(), "{}", tour.id);
            for step in tour.steps {
                assert!(step.doc.url.starts_with("https://kubernetes.io/docs/"));
                let sentences = step.text.matches(". ").count() + 1;
                assert!(
                    (2..=5).contains(&sentences),
                    "{}: {}",
                    step.title,
                    step.text
                );
            }
        }
    }

    #[test]
    fn a_step_that_finds_nothing_does_not_stop_the_next() {
        let cluster = played(&CREATE_POD);
        let mut steps = CREATE_POD.steps.to_vec();
        steps.insert(
            1,
            TourStep {
                matcher: Match::new("etcd", "", "no such action"),
                ..steps[0]
            },
        );
        let tour = Tour {
            steps: Box::leak(steps.into_boxed_slice()),
            ..CREATE_POD
        };
        let found = locate(&tour, cluster.trace());
        assert_eq!(found[1], None);
        assert!(found[2].is_some() && found[2] > found[0]);
        assert_eq!(locate(&CREATE_POD, &[]), vec![None; CREATE_POD.steps.len()]);
    }

    #[test]
    fn the_scenario_is_the_moves_play_makes() {
        let scenario = DELETE_POD.scenario();
        assert_eq!(
            scenario.moves,
            vec![
                Move::Apply(None),
                Move::Run,
                Move::Kubectl("kubectl delete pod nginx".into()),
                Move::Run
            ]
        );
        assert_eq!(scenario.yaml, crate::examples::NGINX_POD_AND_SERVICE);
        assert_eq!(tour("create-pod"), Some(&CREATE_POD));
    }
}
