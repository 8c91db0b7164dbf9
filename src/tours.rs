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

use crate::cluster::{Cluster, CommandOutput};
use crate::examples::{example, Move, Scenario, TourAt, SHARE_VERSION};
use crate::network::fabric;
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
    /// Text the entry's detail must contain (`"ready":true`), `""` for any.
    pub detail_has: &'static str,
    /// The entry must be about the same object as the previous step's (the Pod a step before
    /// found, when its name is generated).
    pub same_object: bool,
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
            detail_has: "",
            same_object: false,
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

    /// The same, for entries whose detail contains `text`.
    pub const fn detail(self, text: &'static str) -> Match {
        Match {
            detail_has: text,
            ..self
        }
    }

    /// The same, for entries about the object the previous step's entry was about.
    pub const fn same_object(self) -> Match {
        Match {
            same_object: true,
            ..self
        }
    }

    /// Whether `entry` is one this step stands for; `previous` is the object of the entry the
    /// step before found, if any.
    pub fn matches(&self, entry: &TraceEntry, previous: Option<&str>) -> bool {
        (self.from.is_empty() || entry.from.kind() == self.from)
            && (self.to.is_empty() || entry.to.kind() == self.to)
            && entry.action.starts_with(self.action)
            && entry.action.contains(self.action_has)
            && entry.object.starts_with(self.object)
            && entry.detail.contains(self.detail_has)
            && (!self.same_object || previous == Some(entry.object.as_str()))
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
    /// What is done next, in order: lines typed at the prompt and runs of [`RUN_MS`].
    pub then: &'static [Then],
    pub steps: &'static [TourStep],
}

/// One thing a tour does after applying its example, as the page's prompt and Run button would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// A line typed at the prompt: a kubectl command or a `podlab traffic` directive.
    Type(&'static str),
    /// Run: everything that happens in the next [`RUN_MS`].
    Run,
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
    then: &[Then::Type("kubectl delete pod nginx"), Then::Run],
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

/// "What happens during a Deployment rollout": three nginx replicas with a readiness probe behind
/// a Service, then `kubectl set image` (the rolling update of
/// [`crate::examples::DEPLOYMENT_ROLLING_UPDATE`]; the Deployment controller's rolloutRolling in
/// pkg/controller/deployment/rolling.go).
pub const ROLLOUT: Tour = Tour {
    id: "rollout",
    title: "What happens during a Deployment rollout",
    example: "deployment-rolling-update",
    then: &[
        Then::Type("kubectl set image deployment/web nginx=nginx:1.28"),
        Then::Run,
    ],
    steps: &[
        TourStep {
            title: "kubectl changes the Pod template",
            text: "The Deployment web runs three nginx:1.27 Pods behind its Service, each with a \
                   readiness probe. kubectl set image sends a PATCH that changes only the \
                   container's image in spec.template. A change to the Pod template is what starts \
                   a rollout: changing the number of replicas would not.",
            doc: doc(
                "Deployments: updating a Deployment",
                "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#updating-a-deployment",
            ),
            matcher: Match::new(
                "kubectl",
                "kube-apiserver",
                "PATCH /apis/apps/v1/namespaces/default/deployments/web",
            ),
        },
        TourStep {
            title: "A new ReplicaSet for the new template",
            text: "The Deployment controller in kube-controller-manager hashes the new Pod template \
                   and finds no ReplicaSet with that pod-template-hash. It creates one named after \
                   the Deployment and the hash. Its Pods carry the hash as a label, so the old and \
                   the new ReplicaSet never count each other's Pods.",
            doc: doc(
                "Deployments: pod-template-hash label",
                "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#pod-template-hash-label",
            ),
            matcher: Match::new(
                "kube-controller-manager",
                "kube-controller-manager",
                "deployment-controller: new ReplicaSet",
            ),
        },
        TourStep {
            title: "maxSurge: one Pod more than asked",
            text: "The strategy is RollingUpdate with the defaults maxSurge 25% and maxUnavailable \
                   25%: for 3 replicas, 1 Pod more (rounded up) and none unavailable (rounded \
                   down). So the new ReplicaSet starts at 1 replica while the old one keeps its 3, \
                   and the ReplicaSet controller creates the first new Pod.",
            doc: doc(
                "Deployments: max surge",
                "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-surge",
            ),
            matcher: Match::new(
                "kube-controller-manager",
                "kube-controller-manager",
                "replicaset-controller: too few replicas",
            ),
        },
        TourStep {
            title: "The new Pod is scheduled",
            text: "The new Pod takes the path of any Pod: the scheduler filters and scores the \
                   nodes and binds it to the best one. Only its template differs from the old \
                   Pods': it names nginx:1.28.",
            doc: doc(
                "Kubernetes Scheduler",
                "https://kubernetes.io/docs/concepts/scheduling-eviction/kube-scheduler/",
            ),
            matcher: Match::new("kube-scheduler", "kube-apiserver", "POST ")
                .having("/binding")
                .on("pod/default/web-"),
        },
        TourStep {
            title: "Listed, but not ready",
            text: "As soon as the kubelet reports the new Pod's IP, the EndpointSlice controller \
                   adds its address to the Service's EndpointSlice with the condition ready: false. \
                   No traffic goes to it yet.",
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
            title: "nginx:1.28 starts",
            text: "The image nginx:1.28 is not on the node yet, so the kubelet pulls it, then \
                   creates and starts the container. The Pod is Running, but not Ready: its \
                   readiness probe has not passed yet.",
            doc: doc(
                "Pod Lifecycle: Pod conditions",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-conditions",
            ),
            matcher: Match::new("kubelet", "containerd", "StartContainer").on("pod/default/web-"),
        },
        TourStep {
            title: "The readiness probe",
            text: "The kubelet probes the container as its readinessProbe says: an HTTP GET of / on \
                   port 80 of the Pod's IP, every periodSeconds (5 s) once initialDelaySeconds (5 s) \
                   have passed. nginx answers 200, so the probe succeeds.",
            doc: doc(
                "Configure Liveness, Readiness and Startup Probes",
                "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-readiness-probes",
            ),
            matcher: Match::new("kubelet", "kubelet", "probe").same_object(),
        },
        TourStep {
            title: "The Pod is Ready",
            text: "The kubelet marks the container ready and sets the Pod's Ready condition to \
                   True in its status. Only now does the new Pod count as available for the \
                   Deployment.",
            doc: doc(
                "Pod Lifecycle: Pod conditions",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-conditions",
            ),
            matcher: Match::new("kubelet", "kube-apiserver", "PUT ")
                .having("/status")
                .same_object(),
        },
        TourStep {
            title: "The Service may use it",
            text: "The EndpointSlice controller sets the new address's condition to ready: true. \
                   Each kube-proxy adds it to its node's rules a little later, and the new Pod \
                   starts receiving requests beside the old ones.",
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
            title: "The old ReplicaSet is scaled down",
            text: "The Deployment controller now counts 4 available Pods for 3 wanted. With \
                   maxUnavailable 0 it had to wait for this moment: it lowers the old ReplicaSet's \
                   replicas from 3 to 2.",
            doc: doc(
                "Deployments: max unavailable",
                "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-unavailable",
            ),
            matcher: Match::new("kube-apiserver", "etcd", "txn: update /registry/replicasets/"),
        },
        TourStep {
            title: "An old Pod is deleted",
            text: "The ReplicaSet controller sees 3 Pods for the old ReplicaSet's 2 replicas and \
                   deletes one. As with kubectl delete, this only sets the Pod's \
                   deletionTimestamp: the Pod terminates gracefully.",
            doc: doc(
                "Pod Lifecycle: termination of Pods",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination",
            ),
            matcher: Match::new(
                "kube-controller-manager",
                "kube-controller-manager",
                "replicaset-controller: too many replicas",
            ),
        },
        TourStep {
            title: "The old endpoint is terminating",
            text: "The EndpointSlice controller marks the old Pod's address ready: false and \
                   terminating: true. New connections stop going to it once each kube-proxy has \
                   caught up.",
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
            title: "The next new Pod",
            text: "In the same pass the Deployment controller raised the new ReplicaSet to 2 \
                   replicas, and the ReplicaSet controller creates a second new Pod. The rollout \
                   goes on like this, one Pod at a time: a new Pod becomes ready, then an old one \
                   goes.",
            doc: doc(
                "Deployments: rolling update",
                "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment",
            ),
            matcher: Match::new(
                "kube-controller-manager",
                "kube-controller-manager",
                "replicaset-controller: too few replicas",
            ),
        },
        TourStep {
            title: "SIGTERM for the old Pod",
            text: "On the old Pod's node the kubelet asks the runtime to stop nginx: SIGTERM, \
                   within the 30-second grace period. nginx exits at once.",
            doc: doc(
                "Pod Lifecycle: termination of Pods",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination",
            ),
            matcher: Match::new("kubelet", "containerd", "StopContainer").on("pod/default/web-"),
        },
        TourStep {
            title: "The old Pod is gone",
            text: "With its container and sandbox stopped, the kubelet deletes the Pod object for \
                   good. The EndpointSlice controller then removes its address.",
            doc: doc(
                "Pod Lifecycle: termination of Pods",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination",
            ),
            matcher: Match::new(
                "kubelet",
                "kube-apiserver",
                "DELETE /api/v1/namespaces/default/pods/web-",
            ),
        },
        TourStep {
            title: "The last old Pod",
            text: "Two rounds later the new ReplicaSet has its 3 ready Pods, and the old \
                   ReplicaSet is scaled to 0: its last Pod is deleted the same way. The old \
                   ReplicaSet itself stays, empty, so that kubectl rollout undo can scale it up \
                   again.",
            doc: doc(
                "Deployments: rolling back a Deployment",
                "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-back-a-deployment",
            ),
            matcher: Match::new(
                "kube-controller-manager",
                "kube-controller-manager",
                "replicaset-controller: too many replicas",
            )
            .detail("need 0"),
        },
        TourStep {
            title: "The rollout is complete",
            text: "Every replica runs the new template and is available, so the Deployment \
                   controller sets the reason of its Progressing condition to \
                   NewReplicaSetAvailable. That is what kubectl rollout status waits for before it \
                   prints that the deployment successfully rolled out.",
            doc: doc(
                "Deployments: complete Deployment",
                "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#complete-deployment",
            ),
            matcher: Match::new(
                "kube-controller-manager",
                "kube-apiserver",
                "PUT /apis/apps/v1/namespaces/default/deployments/web/status",
            )
            .detail("NewReplicaSetAvailable"),
        },
    ],
};

/// "The shutdown race": steady requests from a client Pod to two nginx Pods behind a Service
/// while one of them is deleted (the first part of tests/scenarios/shutdown-race.sh). The
/// EndpointSlice update and the kubelet's SIGTERM start together; kube-proxy on the client's
/// node rewrites its rules only after its own delay, and the requests sent in between fail.
pub const SHUTDOWN_RACE: Tour = Tour {
    id: "shutdown-race",
    title: "The shutdown race",
    example: "service-traffic",
    then: &[
        Then::Type("podlab traffic start --to http://web/ --every 100ms --from client"),
        Then::Type("sleep 2"),
        Then::Type("kubectl delete pod -l app=web --field-selector spec.nodeName=worker-1"),
        Then::Type("sleep 3"),
        Then::Type("podlab traffic stop"),
        Then::Type("podlab traffic report"),
        Then::Run,
    ],
    steps: &[
        TourStep {
            title: "Requests through the Service",
            text: "Two nginx Pods run behind the Service web, and podlab traffic start makes the \
                   client Pod send GET http://web/ every 100 ms. CoreDNS resolves web to the \
                   Service's cluster IP, and the iptables rules kube-proxy wrote on the client's \
                   node pick one Pod at random and rewrite the destination (DNAT).",
            doc: doc(
                "Virtual IPs and Service Proxies",
                "https://kubernetes.io/docs/reference/networking/virtual-ips/",
            ),
            matcher: Match::new("kube-proxy", "kube-proxy", "DNAT "),
        },
        TourStep {
            title: "Answered",
            text: "The Pod chosen answers 200 OK. Each Pod gets about half of the requests.",
            doc: doc(
                "Service",
                "https://kubernetes.io/docs/concepts/services-networking/service/",
            ),
            matcher: Match::new("network", "network", "HTTP 200 OK").on("pod/default/web-"),
        },
        TourStep {
            title: "kubectl deletes a Pod",
            text: "Two seconds later, while the requests keep coming, kubectl delete finds the web \
                   Pod on worker-1 by its label and node. It sends a DELETE for that Pod and waits \
                   until the Pod object is gone",
            doc: doc(
                "Pod Lifecycle: termination of Pods",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination",
            ),
            matcher: Match::new(
                "kubectl",
                "kube-apiserver",
                "DELETE /api/v1/namespaces/default/pods/web-",
            ),
        },
        TourStep {
            title: "deletionTimestamp is set",
            text: "The API server sets the Pod's deletionTimestamp, with a grace period of 30 \
                   seconds, and writes it back to etcd. Every component watching Pods learns of it \
                   at about the same moment, and each reacts on its own.",
            doc: doc(
                "Pod Lifecycle: termination of Pods",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination",
            ),
            matcher: Match::new("kube-apiserver", "etcd", "txn: update /registry/pods/default/web-")
                .having("deletionTimestamp"),
        },
        TourStep {
            title: "The endpoint is marked terminating",
            text: "The EndpointSlice controller marks the Pod's endpoint ready: false and \
                   terminating: true. That is only data in the API: no packet goes elsewhere until \
                   kube-proxy on each node has rewritten that node's rules.",
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
            title: "Meanwhile, SIGTERM",
            text: "In parallel, the kubelet on the Pod's node sees the deletion. The container has \
                   no preStop hook, so the runtime sends SIGTERM straight away: nothing makes the \
                   kubelet wait until the Service no longer sends traffic to the Pod.",
            doc: doc(
                "Pod Lifecycle: termination of Pods",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination",
            ),
            matcher: Match::new("kubelet", "containerd", "StopContainer").on("pod/default/web-"),
        },
        TourStep {
            title: "nginx stops listening",
            text: "nginx handles SIGTERM and exits about 50 ms later. From now on nothing listens on \
                   port 80 of the Pod's IP, yet the rules on the client's node still list it.",
            doc: doc(
                "Pod Lifecycle: container states",
                "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-states",
            ),
            matcher: Match::new("kubelet", "containerd", "container exits").on("pod/default/web-"),
        },
        TourStep {
            title: "Connection refused",
            text: "kube-proxy's rules on the client's node still send some requests to the old \
                   Pod's IP. The sandbox still holds that IP but no process listens, so the \
                   connection is reset and wget reports Connection refused.",
            doc: doc(
                "Virtual IPs and Service Proxies",
                "https://kubernetes.io/docs/reference/networking/virtual-ips/",
            ),
            matcher: Match::new("network", "network", "RST from"),
        },
        TourStep {
            title: "The IP is released",
            text: "The kubelet stops the Pod's sandbox, and the CNI plugin gives its IP back to the \
                   node's pool. The kubelet then deletes the Pod object, and the EndpointSlice \
                   controller drops the address.",
            doc: doc(
                "Network Plugins",
                "https://kubernetes.io/docs/concepts/extend-kubernetes/compute-storage-net/network-plugins/",
            ),
            matcher: Match::new("containerd", "cni", "CNI DEL").on("pod/default/web-"),
        },
        TourStep {
            title: "No route to host",
            text: "The rules on the client's node have still not changed. The next requests sent to \
                   the old IP reach no one, since no Pod holds that address any more, and wget \
                   reports No route to host.",
            doc: doc(
                "Virtual IPs and Service Proxies",
                "https://kubernetes.io/docs/reference/networking/virtual-ips/",
            ),
            matcher: Match::new("network", "network", "").having("unreachable"),
        },
        TourStep {
            title: "kube-proxy catches up",
            text: "Only now does kube-proxy on the client's node rewrite its rules without the old \
                   Pod, about 300 ms after the EndpointSlice changed: it batches changes and syncs \
                   at most once per minSyncPeriod. From here on, requests go to the remaining Pod.",
            doc: doc(
                "Virtual IPs and Service Proxies",
                "https://kubernetes.io/docs/reference/networking/virtual-ips/",
            ),
            matcher: Match::new("kube-proxy", "kube-proxy", "syncProxyRules"),
        },
        TourStep {
            title: "The other node, later still",
            text: "kube-proxy on the other node applies the same change later, almost a second \
                   after the deletion. A client on that node would have been exposed even \
                   longer.",
            doc: doc(
                "Virtual IPs and Service Proxies",
                "https://kubernetes.io/docs/reference/networking/virtual-ips/",
            ),
            matcher: Match::new("kube-proxy", "kube-proxy", "syncProxyRules"),
        },
        TourStep {
            title: "The fix: a preStop sleep",
            text: "Requests are answered again, and podlab traffic report in the console counts the \
                   ones that failed. The usual fix is a preStop hook that sleeps a few seconds \
                   (lifecycle: preStop: sleep: seconds: 5): the kubelet runs it before SIGTERM, so \
                   nginx keeps serving until every kube-proxy has dropped the Pod. Add it with \
                   kubectl patch, delete a Pod again and compare the reports.",
            doc: doc(
                "Container Lifecycle Hooks: hook handler implementations",
                "https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#hook-handler-implementations",
            ),
            matcher: Match::new("network", "network", "HTTP 200 OK"),
        },
    ],
};

/// Every tour, in the menu's order.
pub const TOURS: &[Tour] = &[CREATE_POD, DELETE_POD, ROLLOUT, SHUTDOWN_RACE];

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
        moves.extend(self.then.iter().map(|then| match then {
            Then::Type(line) => Move::Kubectl((*line).to_string()),
            Then::Run => Move::Run,
        }));
        Scenario {
            v: SHARE_VERSION,
            yaml: yaml.to_string(),
            moves,
            revealed: usize::MAX,
            cursor: None,
            tour: Some(TourAt {
                id: self.id.to_string(),
                step: 0,
            }),
        }
    }
}

/// The tour and step a share link names: `None` for a tour this page does not have; a step past
/// the tour's last is its last.
pub fn resume(at: &TourAt) -> Option<(&'static Tour, usize)> {
    let tour = tour(&at.id)?;
    Some((tour, at.step.min(tour.steps.len().saturating_sub(1))))
}

/// For each step of `tour`, the index of its entry in `trace`: the first entry after the previous
/// step's that the step's [`Match`] accepts. A step that finds none gets `None`, and the next step
/// searches on from the last entry found.
pub fn locate(tour: &Tour, trace: &[TraceEntry]) -> Vec<Option<usize>> {
    let mut from = 0;
    let mut previous: Option<&str> = None;
    tour.steps
        .iter()
        .map(|step| {
            let found = trace
                .get(from..)
                .unwrap_or_default()
                .iter()
                .position(|entry| step.matcher.matches(entry, previous))
                .map(|offset| from + offset);
            if let Some(entry) = found.and_then(|index| trace.get(index)) {
                from = found.map_or(from, |index| index + 1);
                previous = Some(entry.object.as_str());
            }
            found
        })
        .collect()
}

/// Play `tour`'s scenario on `cluster` as the page replays it: apply the example, run
/// [`RUN_MS`], then each line typed or run of [`Tour::then`].
pub fn play(tour: &Tour, cluster: &mut Cluster) {
    let yaml = example(tour.example).map(|e| e.yaml).unwrap_or_default();
    cluster.kubectl("kubectl apply -f -", Some(yaml));
    run(cluster);
    for then in tour.then {
        match then {
            Then::Type(line) => {
                if script_line(cluster, line).is_none() {
                    cluster.kubectl(line, None);
                }
            }
            Then::Run => run(cluster),
        }
    }
}

/// The longest `sleep` the page's prompt accepts: as far as one Run looks ahead.
pub const MAX_SLEEP_MS: Millis = RUN_MS;

/// A line typed at the page's prompt that is not a kubectl command but a step of a scenario script
/// (`scenario::run_cluster`): `sleep SECONDS` lets virtual time pass, `podlab traffic
/// start|stop|report ...` sends steady requests from a pod (the network fabric sends them as time
/// passes) and reports them, `podlab mesh enable` starts the service mesh and `istioctl
/// proxy-config endpoints POD` shows a sidecar's endpoints. `None` when `line` is none of these.
pub fn script_line(cluster: &mut Cluster, line: &str) -> Option<CommandOutput> {
    let words: Vec<&str> = line.split_whitespace().collect();
    Some(match words.as_slice() {
        ["sleep", intervals @ ..] => sleep(cluster, intervals),
        ["podlab", "traffic", "start", rest @ ..] => match cluster.start_traffic(rest) {
            Ok(()) => printed(String::new()),
            Err(why) => failed(why),
        },
        ["podlab", "traffic", "stop"] => {
            cluster.stop_traffic();
            printed(String::new())
        }
        ["podlab", "traffic", "report"] => printed(fabric::report(cluster.network())),
        ["podlab", "mesh", "enable"] => {
            // The mesh's control plane starts (crate::mesh), as in scenario scripts.
            cluster.enable_mesh();
            printed(String::new())
        }
        ["istioctl", "proxy-config" | "pc", "endpoints" | "endpoint" | "ep", rest @ ..] => {
            crate::mesh::istioctl::proxy_config_endpoints(cluster.network(), rest)
        }
        ["istioctl", ..] => failed(
            "istioctl: podlab simulates only `istioctl proxy-config endpoints POD[.NAMESPACE]`"
                .to_string(),
        ),
        _ => return None,
    })
}

/// `sleep SECONDS...`: the intervals added up, as coreutils' sleep does (its messages for a
/// missing or bad interval), at most [`MAX_SLEEP_MS`] in all.
fn sleep(cluster: &mut Cluster, intervals: &[&str]) -> CommandOutput {
    if intervals.is_empty() {
        return failed(
            "sleep: missing operand\nTry 'sleep --help' for more information.".to_string(),
        );
    }
    let mut total = 0.0;
    for interval in intervals {
        match interval_seconds(interval) {
            Some(seconds) => total += seconds * 1000.0,
            None => return failed(format!("sleep: invalid time interval '{interval}'")),
        }
    }
    let ms = total.round();
    if ms > MAX_SLEEP_MS as f64 {
        return failed(format!(
            "sleep: the page lets at most {} seconds pass at a time",
            MAX_SLEEP_MS / 1000
        ));
    }
    cluster.advance(ms as Millis);
    printed(String::new())
}

/// One of sleep's intervals in seconds: a number, with an optional unit s, m, h or d.
fn interval_seconds(interval: &str) -> Option<f64> {
    let (number, unit) = match interval.char_indices().last()? {
        (at, 's') => (interval.get(..at)?, 1.0),
        (at, 'm') => (interval.get(..at)?, 60.0),
        (at, 'h') => (interval.get(..at)?, 3600.0),
        (at, 'd') => (interval.get(..at)?, 86400.0),
        _ => (interval, 1.0),
    };
    let seconds = number.parse::<f64>().ok()? * unit;
    (seconds.is_finite() && seconds >= 0.0).then_some(seconds)
}

fn printed(text: String) -> CommandOutput {
    CommandOutput { text, exit_code: 0 }
}

fn failed(text: String) -> CommandOutput {
    CommandOutput { text, exit_code: 1 }
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
    #[ignore = "prints a tour's trace: TOUR=id cargo test --lib tours::tests::dump -- --ignored --nocapture"]
    fn dump() {
        let id = std::env::var("TOUR").unwrap_or_default();
        let Some(tour) = tour(&id) else { return };
        let cluster = played(tour);
        for (i, e) in cluster.trace().iter().enumerate() {
            println!(
                "{i:5} {:7} {:28} {:28} {} | {} | {}",
                e.at,
                format!("{:?}", e.from),
                format!("{:?}", e.to),
                e.action,
                e.object,
                e.detail.chars().take(6000).collect::<String>()
            );
        }
        println!("{}", fabric::report(cluster.network()));
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
        let race = SHUTDOWN_RACE.scenario();
        assert_eq!(race.moves.get(3), Some(&Move::Kubectl("sleep 2".into())));
        assert_eq!(race.moves.last(), Some(&Move::Run));
    }

    #[test]
    fn a_shared_tour_resumes_at_its_step() {
        let at = |id: &str, step| TourAt {
            id: id.to_string(),
            step,
        };
        assert_eq!(
            ROLLOUT.scenario().tour.as_ref().and_then(resume),
            Some((&ROLLOUT, 0))
        );
        assert_eq!(resume(&at("shutdown-race", 4)), Some((&SHUTDOWN_RACE, 4)));
        let last = DELETE_POD.steps.len() - 1;
        assert_eq!(resume(&at("delete-pod", 999)), Some((&DELETE_POD, last)));
        assert_eq!(resume(&at("no-such-tour", 0)), None);
    }

    #[test]
    fn every_tour_has_a_unique_id() {
        for (i, t) in TOURS.iter().enumerate() {
            assert!(TOURS.iter().skip(i + 1).all(|o| o.id != t.id), "{}", t.id);
            assert!(!t.steps.is_empty(), "{}", t.id);
        }
    }

    /// The rollout surges one new Pod, waits for its readiness probe, then scales the old
    /// ReplicaSet down, until the Deployment reports NewReplicaSetAvailable.
    #[test]
    fn the_rollout_tour_follows_the_real_trace() {
        let indexes = assert_every_step_found_in_order(&ROLLOUT);
        let cluster = played(&ROLLOUT);
        let entry = |step: usize| cluster.trace()[indexes[step]].clone();
        // "web-588864c6b8 (pod-template-hash 588864c6b8), 1 replicas"
        let new_rs = entry(1)
            .detail
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();
        assert!(
            entry(1).detail.contains("pod-template-hash"),
            "{}",
            entry(1).detail
        );
        assert!(
            entry(1).detail.ends_with(", 1 replicas"),
            "{}",
            entry(1).detail
        );
        assert_eq!(entry(2).object, format!("replicaset/default/{new_rs}"));
        // The new pod's own probe, its own Ready status, then the EndpointSlice lists it ready.
        let new_pod = entry(3).object;
        assert!(
            new_pod.starts_with(&format!("pod/default/{new_rs}-")),
            "{new_pod}"
        );
        assert_eq!(entry(5).object, new_pod);
        assert_eq!(entry(6).object, new_pod);
        assert!(
            entry(7).detail.contains("\"ready\":true"),
            "{}",
            entry(7).detail
        );
        // Only then is the old ReplicaSet scaled down, and one of its pods deleted.
        assert!(!entry(9).action.contains(&new_rs), "{}", entry(9).action);
        assert!(entry(9).at >= entry(6).at);
        assert!(
            entry(10).detail.starts_with("need 2, have 3"),
            "{}",
            entry(10).detail
        );
        assert!(
            entry(11).detail.contains("\"terminating\":true"),
            "{}",
            entry(11).detail
        );
        assert!(entry(12).object.contains(&new_rs), "{}", entry(12).object);
        assert!(!entry(13).object.contains(&new_rs), "{}", entry(13).object);
        assert!(
            entry(16).detail.contains("\"updatedReplicas\":3"),
            "{}",
            entry(16).detail
        );
    }

    /// Requests reach the deleted pod after its server exited and fail, until kube-proxy on the
    /// client's node has rewritten its rules.
    #[test]
    fn the_shutdown_race_tour_follows_the_real_trace() {
        let indexes = assert_every_step_found_in_order(&SHUTDOWN_RACE);
        let cluster = played(&SHUTDOWN_RACE);
        let entry = |step: usize| cluster.trace()[indexes[step]].clone();
        let deleted = entry(2).object;
        assert!(entry(3).action.contains("deletionTimestamp"));
        assert_eq!(entry(5).object, deleted);
        assert_eq!(entry(6).object, deleted);
        // The EndpointSlice and the SIGTERM happen in the same instant.
        assert_eq!(entry(4).at, entry(5).at);
        assert_eq!(
            entry(7).object,
            deleted,
            "the refused request hit the deleted pod"
        );
        assert!(entry(7).at > entry(6).at && entry(7).at < entry(10).at);
        assert!(entry(9).at < entry(10).at);
        // The rules that lagged are the client's node's: the node whose kube-proxy DNATed.
        assert_eq!(entry(10).from, entry(0).from);
        assert_ne!(entry(11).from, entry(0).from);
        let report = fabric::report(cluster.network());
        assert!(report.contains("Connection refused: 1"), "{report}");
        assert!(report.contains("No route to host"), "{report}");
        assert!(!entry(12)
            .object
            .contains(deleted.trim_start_matches("pod/")));
    }

    #[test]
    fn script_lines_sleep_and_send_traffic() {
        let mut cluster = Cluster::new(Preset::Default, SEED);
        let start = cluster.now();
        let slept = script_line(&mut cluster, "sleep 1.5");
        assert_eq!(slept.map(|o| o.exit_code), Some(0));
        assert_eq!(cluster.now(), start + 1_500);
        let bad = script_line(&mut cluster, "sleep soon");
        assert_eq!(
            bad.map(|o| o.text),
            Some("sleep: invalid time interval 'soon'".to_string())
        );
        assert_eq!(
            script_line(&mut cluster, "sleep 61").map(|o| o.exit_code),
            Some(1)
        );
        assert_eq!(cluster.now(), start + 1_500);
        assert_eq!(
            script_line(&mut cluster, "podlab traffic report").map(|o| o.text),
            Some("no traffic was sent\n".to_string())
        );
        assert_eq!(
            script_line(&mut cluster, "sleep").map(|o| o.text),
            Some("sleep: missing operand\nTry 'sleep --help' for more information.".to_string())
        );
        script_line(&mut cluster, "sleep 1 500e-3");
        assert_eq!(cluster.now(), start + 3_000);
        script_line(&mut cluster, "sleep 0.5s");
        assert_eq!(cluster.now(), start + 3_500);
        assert_eq!(script_line(&mut cluster, "kubectl get pods"), None);
        assert_eq!(script_line(&mut cluster, "podlab node stop worker-1"), None);
    }
}
