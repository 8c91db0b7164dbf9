//! kube-controller-manager: the controllers that act on what podlab models, each a watch → cache
//! → reconcile loop over the API server. They run in one process, as in Kubernetes.

pub mod cronjob;
pub mod cronschedule;
pub mod daemonset;
pub mod deployment;
pub mod endpoints;
pub mod endpointslice;
pub mod garbagecollector;
pub mod job;
pub mod namespace;
pub mod nodelifecycle;
pub mod persistentvolume;
pub mod replicaset;
pub mod replicationcontroller;
pub mod rootcacertpublisher;
pub mod serviceaccount;
pub mod statefulset;
pub mod tainteviction;
pub mod ttlafterfinished;
pub mod workload;

use crate::client::{core, grouped, Ctx, Informer};
use crate::cluster::{Component, WATCH_LATENCY};
use crate::sim::{Actor, Millis};

pub struct ControllerManager {
    nodes: Informer,
    pods: Informer,
    services: Informer,
    slices: Informer,
    endpoints: Informer,
    deployments: Informer,
    replica_sets: Informer,
    jobs: Informer,
    cron_jobs: Informer,
    daemon_sets: Informer,
    controller_revisions: Informer,
    stateful_sets: Informer,
    replication_controllers: Informer,
    claims: Informer,
    volumes: Informer,
    storage_classes: Informer,
    namespaces: Informer,
    service_accounts: Informer,
    root_ca_config_maps: Informer,
    leases: Informer,
    node_lifecycle: nodelifecycle::NodeLifecycleController,
    taint_eviction: tainteviction::TaintEvictionController,
    deployment_controller: deployment::DeploymentController,
    replica_set_controller: replicaset::ReplicaSetController,
    job_controller: job::JobController,
    cron_job_controller: cronjob::CronJobController,
    daemon_set_controller: daemonset::DaemonSetController,
    stateful_set_controller: statefulset::StatefulSetController,
    replication_manager: replicationcontroller::ReplicationManager,
    persistent_volume_controller: persistentvolume::PersistentVolumeController,
    /// Whether a claim, volume or storage class changed since the PersistentVolume controller
    /// last ran.
    storage_changed: bool,
    /// When a workload controller asked to look again without any change (virtual ms).
    next_workload_sync: Millis,
    /// When the namespace controller looks again at a namespace still being emptied.
    next_namespace_sync: Millis,
}

impl Default for ControllerManager {
    fn default() -> Self {
        ControllerManager {
            nodes: Informer::new(core("nodes")),
            pods: Informer::new(core("pods")),
            services: Informer::new(core("services")),
            slices: Informer::new(grouped("discovery.k8s.io", "endpointslices")),
            endpoints: Informer::new(core("endpoints")),
            deployments: Informer::new(grouped("apps", "deployments")),
            replica_sets: Informer::new(grouped("apps", "replicasets")),
            jobs: Informer::new(grouped("batch", "jobs")),
            cron_jobs: Informer::new(grouped("batch", "cronjobs")),
            daemon_sets: Informer::new(grouped("apps", "daemonsets")),
            controller_revisions: Informer::new(grouped("apps", "controllerrevisions")),
            stateful_sets: Informer::new(grouped("apps", "statefulsets")),
            replication_controllers: Informer::new(core("replicationcontrollers")),
            claims: Informer::new(core("persistentvolumeclaims")),
            volumes: Informer::new(core("persistentvolumes")),
            storage_classes: Informer::new(grouped("storage.k8s.io", "storageclasses")),
            namespaces: Informer::new(core("namespaces")),
            service_accounts: Informer::new(core("serviceaccounts")),
            root_ca_config_maps: Informer::filtered(
                core("configmaps"),
                rootcacertpublisher::is_root_ca,
                "",
                "",
            ),
            leases: Informer::new(grouped("coordination.k8s.io", "leases")),
            node_lifecycle: nodelifecycle::NodeLifecycleController::default(),
            taint_eviction: tainteviction::TaintEvictionController::default(),
            deployment_controller: deployment::DeploymentController::default(),
            replica_set_controller: replicaset::ReplicaSetController::default(),
            job_controller: job::JobController::default(),
            cron_job_controller: cronjob::CronJobController::default(),
            daemon_set_controller: daemonset::DaemonSetController::default(),
            stateful_set_controller: statefulset::StatefulSetController::default(),
            replication_manager: replicationcontroller::ReplicationManager::default(),
            persistent_volume_controller: persistentvolume::PersistentVolumeController::default(),
            storage_changed: false,
            next_workload_sync: Millis::MAX,
            next_namespace_sync: Millis::MAX,
        }
    }
}

impl Component for ControllerManager {
    fn actor(&self) -> Actor {
        Actor::ControllerManager
    }

    fn run(&mut self, ctx: &mut Ctx) {
        let node_changes = self.nodes.sync(ctx);
        let pod_changes = self.pods.sync(ctx);
        let service_changes = self.services.sync(ctx);
        self.slices.sync(ctx);
        self.endpoints.sync(ctx);
        let deployment_changes = self.deployments.sync(ctx);
        let replica_set_changes = self.replica_sets.sync(ctx);
        let job_changes = self.jobs.sync(ctx);
        let cron_job_changes = self.cron_jobs.sync(ctx);
        let daemon_set_changes = self.daemon_sets.sync(ctx);
        let revision_changes = self.controller_revisions.sync(ctx);
        let stateful_set_changes = self.stateful_sets.sync(ctx);
        let replication_controller_changes = self.replication_controllers.sync(ctx);
        self.storage_changed |= self.sync_storage_caches(ctx);
        self.sync_namespaces(ctx);
        self.leases.sync(ctx);
        self.sync_node_health(!node_changes.is_empty(), ctx);
        if !pod_changes.is_empty() || !service_changes.is_empty() {
            endpointslice::reconcile(&self.services, &self.pods, &self.slices, ctx);
            endpoints::reconcile(&self.services, &self.pods, &self.endpoints, ctx);
        }
        let workloads_changed = !deployment_changes.is_empty()
            || !replica_set_changes.is_empty()
            || !job_changes.is_empty()
            || !cron_job_changes.is_empty()
            || !daemon_set_changes.is_empty()
            || !revision_changes.is_empty()
            || !stateful_set_changes.is_empty()
            || !replication_controller_changes.is_empty()
            || self.storage_changed
            || !node_changes.is_empty()
            || !pod_changes.is_empty();
        if workloads_changed || ctx.now >= self.next_workload_sync {
            self.sync_workloads(ctx);
        }
        // A run wakes the manager once, at the earliest time asked for: the workload timer is
        // asked for again on every run until it is due.
        if self.next_workload_sync != Millis::MAX {
            ctx.wake_at(self.next_workload_sync);
        }
    }
}

impl ControllerManager {
    /// The node lifecycle controller (its NoSchedule pass on node changes, its health monitor
    /// every 5 s) and the taint eviction controller. The manager watches the nodes and pods it
    /// changes: it looks again once a change comes back through its watch.
    fn sync_node_health(&mut self, nodes_changed: bool, ctx: &mut Ctx) {
        let before = ctx.revision();
        let next_monitor = self.node_lifecycle.reconcile(
            &self.nodes,
            &self.pods,
            &self.leases,
            nodes_changed,
            ctx,
        );
        let next_eviction = self.taint_eviction.reconcile(&self.nodes, &self.pods, ctx);
        if ctx.revision() != before {
            ctx.wake_after(WATCH_LATENCY);
        }
        ctx.wake_at(next_monitor);
        if let Some(at) = next_eviction {
            ctx.wake_at(at);
        }
    }

    /// The namespace, serviceaccount and root-ca-cert-publisher controllers: they act when a
    /// namespace, a ServiceAccount or a kube-root-ca.crt ConfigMap changed, and the namespace
    /// controller again while a terminating namespace still has content.
    fn sync_namespaces(&mut self, ctx: &mut Ctx) {
        let namespace_changes = self.namespaces.sync(ctx);
        let account_changes = self.service_accounts.sync(ctx);
        let config_map_changes = self.root_ca_config_maps.sync(ctx);
        if !account_changes.is_empty()
            || !config_map_changes.is_empty()
            || !namespace_changes.is_empty()
        {
            serviceaccount::reconcile(&self.namespaces, &self.service_accounts, ctx);
            rootcacertpublisher::reconcile(&self.namespaces, &self.root_ca_config_maps, ctx);
        }
        if !namespace_changes.is_empty() || ctx.now >= self.next_namespace_sync {
            self.next_namespace_sync =
                namespace::reconcile(&self.namespaces, ctx).unwrap_or(Millis::MAX);
        }
        if self.next_namespace_sync != Millis::MAX {
            ctx.wake_at(self.next_namespace_sync);
        }
    }

    /// The workload controllers and the garbage collector. A controller sees its own writes
    /// through its watches, so any write wakes the manager again after the watch latency; the
    /// earliest later time a controller asks for (a back-off, a progress deadline) is kept as
    /// the workload timer.
    fn sync_workloads(&mut self, ctx: &mut Ctx) {
        let before = ctx.revision();
        let wake_before = ctx.take_wake();
        self.replica_set_controller
            .reconcile(&self.replica_sets, &self.pods, ctx);
        self.deployment_controller.reconcile(
            &self.deployments,
            &self.replica_sets,
            &self.pods,
            ctx,
        );
        self.job_controller.reconcile(&self.jobs, &self.pods, ctx);
        ttlafterfinished::reconcile(&self.jobs, ctx);
        self.cron_job_controller
            .reconcile(&self.cron_jobs, &self.jobs, ctx);
        let daemon_caches = daemonset::Caches {
            daemon_sets: &self.daemon_sets,
            pods: &self.pods,
            nodes: &self.nodes,
            revisions: &self.controller_revisions,
        };
        self.daemon_set_controller.reconcile(&daemon_caches, ctx);
        self.sync_stateful_workloads(ctx);
        let owners = [
            ("Deployment", &self.deployments),
            ("ReplicaSet", &self.replica_sets),
            ("Job", &self.jobs),
            ("CronJob", &self.cron_jobs),
            ("DaemonSet", &self.daemon_sets),
            ("StatefulSet", &self.stateful_sets),
            ("ReplicationController", &self.replication_controllers),
            ("Pod", &self.pods),
        ];
        let dependents = [
            (grouped("apps", "replicasets"), &self.replica_sets),
            (grouped("batch", "jobs"), &self.jobs),
            (
                grouped("apps", "controllerrevisions"),
                &self.controller_revisions,
            ),
            (core("pods"), &self.pods),
            (core("persistentvolumeclaims"), &self.claims),
        ];
        garbagecollector::reconcile(&owners, &dependents, ctx);
        self.next_workload_sync = ctx.take_wake().unwrap_or(Millis::MAX);
        if let Some(at) = wake_before {
            ctx.wake_at(at);
        }
        if ctx.revision() != before {
            ctx.wake_after(WATCH_LATENCY);
        }
    }

    /// The claims, volumes and storage classes the PersistentVolume controller watches: whether
    /// any changed.
    fn sync_storage_caches(&mut self, ctx: &mut Ctx) -> bool {
        let claims = self.claims.sync(ctx);
        let volumes = self.volumes.sync(ctx);
        let classes = self.storage_classes.sync(ctx);
        !claims.is_empty() || !volumes.is_empty() || !classes.is_empty()
    }

    /// The StatefulSet controller, the ReplicationController manager and the PersistentVolume
    /// controller (with the simulated external provisioner).
    fn sync_stateful_workloads(&mut self, ctx: &mut Ctx) {
        let stateful_caches = statefulset::Caches {
            stateful_sets: &self.stateful_sets,
            pods: &self.pods,
            claims: &self.claims,
            revisions: &self.controller_revisions,
        };
        self.stateful_set_controller
            .reconcile(&stateful_caches, ctx);
        self.replication_manager
            .reconcile(&self.replication_controllers, &self.pods, ctx);
        let volume_caches = persistentvolume::Caches {
            volumes: &self.volumes,
            claims: &self.claims,
            classes: &self.storage_classes,
            pods: &self.pods,
            nodes: &self.nodes,
        };
        self.persistent_volume_controller
            .reconcile(&volume_caches, self.storage_changed, ctx);
        self.storage_changed = false;
    }
}
