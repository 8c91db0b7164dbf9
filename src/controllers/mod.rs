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
pub mod queue;
pub mod replicaset;
pub mod replicationcontroller;
pub mod rootcacertpublisher;
pub mod serviceaccount;
pub mod statefulset;
pub mod tainteviction;
pub mod ttlafterfinished;
pub mod workload;

use crate::client::{core, grouped, Change, Ctx, Informer};
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
    garbage_collector: garbagecollector::GarbageCollector,
    /// Whether a claim, volume or storage class changed since the PersistentVolume controller
    /// last ran.
    storage_changed: bool,
    /// When the ReplicaSet controller asked to look again without any change (a back-off, a
    /// minReadySeconds wait; virtual ms): it resyncs every ReplicaSet then.
    replica_set_resync: Millis,
    /// When the Deployment controller asked to look again (a back-off, a progress deadline).
    deployment_resync: Millis,
    /// When the Job controller asked to look again (a back-off, an active deadline).
    job_resync: Millis,
    /// When the DaemonSet controller asked to look again.
    daemon_set_resync: Millis,
    /// When the ReplicationController manager asked to look again.
    replication_resync: Millis,
    /// When one of the other workload controllers asked to look again.
    workload_resync: Millis,
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
            garbage_collector: garbagecollector::GarbageCollector::default(),
            storage_changed: false,
            replica_set_resync: Millis::MAX,
            deployment_resync: Millis::MAX,
            job_resync: Millis::MAX,
            daemon_set_resync: Millis::MAX,
            replication_resync: Millis::MAX,
            workload_resync: Millis::MAX,
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
        let claim_changes = self.sync_storage_caches(ctx);
        self.sync_namespaces(ctx);
        self.leases.sync(ctx);
        self.sync_node_health(&node_changes, &pod_changes, ctx);
        if !pod_changes.is_empty() || !service_changes.is_empty() {
            let keys = self.services_concerned(&pod_changes, &service_changes);
            endpointslice::sync_services(&keys, &self.services, &self.pods, &self.slices, ctx);
            endpoints::sync_services(&keys, &self.services, &self.pods, &self.endpoints, ctx);
        }
        let others_changed = !job_changes.is_empty()
            || !cron_job_changes.is_empty()
            || !daemon_set_changes.is_empty()
            || !revision_changes.is_empty()
            || !stateful_set_changes.is_empty()
            || !replication_controller_changes.is_empty()
            || !deployment_changes.is_empty()
            || !replica_set_changes.is_empty()
            || self.storage_changed
            || !node_changes.is_empty()
            || !pod_changes.is_empty();
        let changes = WorkloadChanges {
            pods: &pod_changes,
            replica_sets: &replica_set_changes,
            deployments: &deployment_changes,
            replication_controllers: &replication_controller_changes,
            nodes: &node_changes,
            jobs: &job_changes,
            cron_jobs: &cron_job_changes,
            daemon_sets: &daemon_set_changes,
            stateful_sets: &stateful_set_changes,
            revisions: &revision_changes,
            claims: &claim_changes,
            others: others_changed,
        };
        self.sync_workloads(&changes, ctx);
        // A run wakes the manager once, at the earliest time asked for: the resync timers are
        // asked for again on every run until they are due.
        let next_resync = self
            .replica_set_resync
            .min(self.deployment_resync)
            .min(self.job_resync)
            .min(self.daemon_set_resync)
            .min(self.replication_resync)
            .min(self.workload_resync);
        if next_resync != Millis::MAX {
            ctx.wake_at(next_resync);
        }
    }
}

/// The changes since the last run that the workload controllers' handlers look at.
struct WorkloadChanges<'a> {
    pods: &'a [Change],
    replica_sets: &'a [Change],
    deployments: &'a [Change],
    replication_controllers: &'a [Change],
    nodes: &'a [Change],
    jobs: &'a [Change],
    cron_jobs: &'a [Change],
    daemon_sets: &'a [Change],
    stateful_sets: &'a [Change],
    revisions: &'a [Change],
    claims: &'a [Change],
    /// Whether anything the other workload controllers watch changed: they (Job, CronJob,
    /// DaemonSet, StatefulSet, the PersistentVolume controller, the garbage collector) still
    /// look at every object when it did (the collector only at the dependents concerned).
    others: bool,
}

/// The earlier of two wake-up times.
fn earliest(a: Option<Millis>, b: Option<Millis>) -> Option<Millis> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A controller's resync timer after a pass: the earliest time the pass asked to look again
/// (a full pass replaces the timer; a pass over some keys can only bring it forward, since
/// the keys it did not look at may still be waiting).
fn next_resync(timer: Millis, full: bool, ctx: &mut Ctx) -> Millis {
    let asked = ctx.take_wake().unwrap_or(Millis::MAX);
    if full {
        asked
    } else {
        timer.min(asked)
    }
}

impl ControllerManager {
    /// The Services whose endpoints the changes concern, in key order: each changed Service,
    /// and those selecting a changed pod before or after its change (the EndpointSlice and
    /// Endpoints controllers' onServiceUpdate and onPodUpdate handlers).
    fn services_concerned(
        &self,
        pod_changes: &[Change],
        service_changes: &[Change],
    ) -> Vec<String> {
        let mut queue = queue::WorkQueue::default();
        queue.enqueue_all(queue::changed_keys(service_changes));
        for change in pod_changes {
            queue.enqueue_all(queue::service_keys_for_pod(change, self.services.list()));
        }
        queue.drain()
    }

    /// The node lifecycle controller (its NoSchedule pass on node changes, its health monitor
    /// every 5 s) and the taint eviction controller, both fed the informers' change lists. The
    /// manager watches the nodes and pods it changes: it looks again once a change comes back
    /// through its watch.
    fn sync_node_health(&mut self, node_changes: &[Change], pod_changes: &[Change], ctx: &mut Ctx) {
        let before = ctx.revision();
        let next_monitor =
            self.node_lifecycle
                .reconcile(&self.nodes, node_changes, &self.pods, &self.leases, ctx);
        let next_eviction =
            self.taint_eviction
                .reconcile(&self.nodes, node_changes, &self.pods, pod_changes, ctx);
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

    /// The workload controllers and the garbage collector, in kube-controller-manager's order.
    /// The ReplicaSet, Deployment, Job, DaemonSet and ReplicationController controllers sync
    /// only the keys the changes concern (see [`queue`]), and every object when their resync
    /// timer is due; the others look at everything when anything they watch changed. A
    /// controller sees its own writes through its watches, so any write wakes the manager
    /// again after the watch latency.
    fn sync_workloads(&mut self, changes: &WorkloadChanges, ctx: &mut Ctx) {
        let before = ctx.revision();
        let wake_before = ctx.take_wake();
        self.sync_replica_sets(changes, ctx);
        self.sync_deployments(changes, ctx);
        let resync_due = ctx.now >= self.workload_resync;
        let others = changes.others || resync_due;
        let mut others_wake = None;
        self.sync_jobs(changes, others, ctx);
        if others {
            ttlafterfinished::reconcile(&self.jobs, ctx);
            self.cron_job_controller
                .reconcile(&self.cron_jobs, &self.jobs, ctx);
            others_wake = earliest(others_wake, ctx.take_wake());
        }
        self.sync_daemon_sets(changes, ctx);
        if others {
            let stateful_caches = statefulset::Caches {
                stateful_sets: &self.stateful_sets,
                pods: &self.pods,
                claims: &self.claims,
                revisions: &self.controller_revisions,
            };
            self.stateful_set_controller
                .reconcile(&stateful_caches, ctx);
            others_wake = earliest(others_wake, ctx.take_wake());
        }
        self.sync_replication_controllers(changes, ctx);
        if others {
            self.sync_volumes_and_garbage(changes, resync_due, ctx);
            others_wake = earliest(others_wake, ctx.take_wake());
            self.workload_resync = others_wake.unwrap_or(Millis::MAX);
        }
        if let Some(at) = wake_before {
            ctx.wake_at(at);
        }
        if ctx.revision() != before {
            ctx.wake_after(WATCH_LATENCY);
        }
    }

    /// The ReplicaSet controller over the ReplicaSets that changed and the owners of the pods
    /// that changed (`addPod`/`updatePod`/`deletePod`; an orphan pod concerns every ReplicaSet
    /// of its namespace, which `getPodReplicaSets` narrows by selector).
    fn sync_replica_sets(&mut self, changes: &WorkloadChanges, ctx: &mut Ctx) {
        let full = ctx.now >= self.replica_set_resync;
        let keys = if full {
            self.replica_sets
                .list()
                .map(crate::client::key_of)
                .collect()
        } else {
            owners_concerned(
                changes.replica_sets,
                changes.pods,
                "ReplicaSet",
                &self.replica_sets,
            )
        };
        if !keys.is_empty() {
            self.replica_set_controller
                .sync_keys(&keys, &self.replica_sets, &self.pods, ctx);
        }
        self.replica_set_resync = next_resync(self.replica_set_resync, full, ctx);
    }

    /// The Deployment controller over the Deployments that changed, the owners of the
    /// ReplicaSets that changed (`addReplicaSet`/`updateReplicaSet`/`deleteReplicaSet`; an
    /// orphan concerns every Deployment of its namespace) and the Deployments of the pods that
    /// changed (through their ReplicaSets: `deletePod`, for Recreate's oldPodsRunning).
    fn sync_deployments(&mut self, changes: &WorkloadChanges, ctx: &mut Ctx) {
        let full = ctx.now >= self.deployment_resync;
        let keys = if full {
            self.deployments.list().map(crate::client::key_of).collect()
        } else {
            let mut queue = queue::WorkQueue::default();
            queue.enqueue_all(owners_concerned(
                changes.deployments,
                changes.replica_sets,
                "Deployment",
                &self.deployments,
            ));
            for change in changes.pods {
                for rs in queue::owner_keys(change, "ReplicaSet") {
                    let owner = self.replica_sets.get(&rs);
                    if let Some(key) = owner.and_then(|rs| queue::controller_key(rs, "Deployment"))
                    {
                        queue.enqueue(key);
                    }
                }
            }
            queue.drain()
        };
        if !keys.is_empty() {
            self.deployment_controller.sync_keys(
                &keys,
                &self.deployments,
                &self.replica_sets,
                &self.pods,
                ctx,
            );
        }
        self.deployment_resync = next_resync(self.deployment_resync, full, ctx);
    }

    /// The Job controller over the Jobs that changed and the owners of the pods that changed
    /// (an orphan concerns every Job of its namespace); the pods keeping a Job's tracking
    /// finalizer after their Job went are released whenever the other controllers look
    /// (`others`).
    fn sync_jobs(&mut self, changes: &WorkloadChanges, others: bool, ctx: &mut Ctx) {
        let full = ctx.now >= self.job_resync;
        let keys = if full {
            self.jobs.list().map(crate::client::key_of).collect()
        } else {
            owners_concerned(changes.jobs, changes.pods, "Job", &self.jobs)
        };
        if !keys.is_empty() {
            self.job_controller
                .sync_keys(&keys, &self.jobs, &self.pods, ctx);
        }
        if full || others {
            job::release_orphan_pods(&self.jobs, &self.pods, ctx);
        }
        self.job_resync = next_resync(self.job_resync, full, ctx);
    }

    /// The DaemonSet controller over the DaemonSets that changed, the owners of the pods and
    /// ControllerRevisions that changed (an orphan concerns every DaemonSet of its namespace),
    /// and every DaemonSet when a node changed (`addNode`/`updateNode` look at each DaemonSet
    /// that should run there).
    fn sync_daemon_sets(&mut self, changes: &WorkloadChanges, ctx: &mut Ctx) {
        let full = ctx.now >= self.daemon_set_resync || !changes.nodes.is_empty();
        let keys = if full {
            self.daemon_sets.list().map(crate::client::key_of).collect()
        } else {
            let mut queue = queue::WorkQueue::default();
            queue.enqueue_all(owners_concerned(
                changes.daemon_sets,
                changes.pods,
                "DaemonSet",
                &self.daemon_sets,
            ));
            queue.enqueue_all(owners_concerned(
                &[],
                changes.revisions,
                "DaemonSet",
                &self.daemon_sets,
            ));
            queue.drain()
        };
        if !keys.is_empty() {
            let daemon_caches = daemonset::Caches {
                daemon_sets: &self.daemon_sets,
                pods: &self.pods,
                nodes: &self.nodes,
                revisions: &self.controller_revisions,
            };
            self.daemon_set_controller
                .sync_keys(&keys, &daemon_caches, ctx);
        }
        let timer_due = ctx.now >= self.daemon_set_resync;
        self.daemon_set_resync = next_resync(self.daemon_set_resync, timer_due, ctx);
    }

    /// The ReplicationController manager, keyed as the ReplicaSet controller is.
    fn sync_replication_controllers(&mut self, changes: &WorkloadChanges, ctx: &mut Ctx) {
        let full = ctx.now >= self.replication_resync;
        let keys = if full {
            self.replication_controllers
                .list()
                .map(crate::client::key_of)
                .collect()
        } else {
            owners_concerned(
                changes.replication_controllers,
                changes.pods,
                "ReplicationController",
                &self.replication_controllers,
            )
        };
        if !keys.is_empty() {
            self.replication_manager.sync_keys(
                &keys,
                &self.replication_controllers,
                &self.pods,
                ctx,
            );
        }
        self.replication_resync = next_resync(self.replication_resync, full, ctx);
    }

    /// The PersistentVolume controller (with the simulated external provisioner) and the
    /// garbage collector (over the dependents the changes concern, or all of them on a resync).
    fn sync_volumes_and_garbage(&mut self, changes: &WorkloadChanges, full: bool, ctx: &mut Ctx) {
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
        let dependent = |info, informer, changes| garbagecollector::Dependents {
            info,
            informer,
            changes,
        };
        let dependents = [
            dependent(
                grouped("apps", "replicasets"),
                &self.replica_sets,
                changes.replica_sets,
            ),
            dependent(grouped("batch", "jobs"), &self.jobs, changes.jobs),
            dependent(
                grouped("apps", "controllerrevisions"),
                &self.controller_revisions,
                changes.revisions,
            ),
            dependent(core("pods"), &self.pods, changes.pods),
            dependent(core("persistentvolumeclaims"), &self.claims, changes.claims),
        ];
        let deleted_owners = garbagecollector::deleted_uids(&[
            changes.deployments,
            changes.replica_sets,
            changes.jobs,
            changes.cron_jobs,
            changes.daemon_sets,
            changes.stateful_sets,
            changes.replication_controllers,
            changes.pods,
        ]);
        self.garbage_collector
            .sync(&owners, &dependents, &deleted_owners, full, ctx);
    }

    /// The claims, volumes and storage classes the PersistentVolume controller watches: whether
    /// any changed (kept until the controller runs); the claims' changes (the garbage collector
    /// looks at them).
    fn sync_storage_caches(&mut self, ctx: &mut Ctx) -> Vec<Change> {
        let claims = self.claims.sync(ctx);
        let volumes = self.volumes.sync(ctx);
        let classes = self.storage_classes.sync(ctx);
        self.storage_changed |= !claims.is_empty() || !volumes.is_empty() || !classes.is_empty();
        claims
    }
}

/// The keys of the `kind` controllers the changes concern: each changed controller object, and
/// the controllers of each changed dependent (old and new controller references); a dependent
/// left an orphan concerns every controller of its namespace, whose sync decides whether to
/// adopt it.
fn owners_concerned(
    owner_changes: &[Change],
    dependent_changes: &[Change],
    kind: &str,
    owners: &Informer,
) -> Vec<String> {
    let mut queue = queue::WorkQueue::default();
    queue.enqueue_all(queue::changed_keys(owner_changes));
    for change in dependent_changes {
        queue.enqueue_all(queue::owner_keys(change, kind));
        if queue::concerns_orphan(change) {
            queue.enqueue_all(queue::keys_in_namespace(owners, &change.new));
        }
    }
    queue.drain()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod_of(rs: &str) -> serde_json::Value {
        json!({"metadata": {"name": format!("{rs}-x"), "namespace": "default", "ownerReferences": [
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs, "uid": "u", "controller": true}
        ]}})
    }

    fn modified(old: serde_json::Value, new: serde_json::Value) -> Change {
        Change {
            kind: "MODIFIED",
            old: Some(old),
            new,
        }
    }

    /// A ReplicaSet is synced when it changed or when a pod it controls (or controlled)
    /// changed; nothing else is looked at.
    #[test]
    fn replica_sets_concerned_are_the_changed_ones_and_the_owners_of_changed_pods() {
        let replica_sets = Informer::new(grouped("apps", "replicasets"));
        let rs_change = modified(
            json!({"metadata": {"name": "web-2", "namespace": "default"}}),
            json!({"metadata": {"name": "web-2", "namespace": "default"}}),
        );
        let pod_change = modified(pod_of("web-1"), pod_of("web-3"));
        let keys = owners_concerned(&[rs_change], &[pod_change], "ReplicaSet", &replica_sets);
        assert_eq!(
            keys,
            vec!["default/web-1", "default/web-2", "default/web-3"]
        );
        let none: Vec<String> = owners_concerned(&[], &[], "ReplicaSet", &replica_sets);
        assert!(none.is_empty());
    }

    #[test]
    fn the_earliest_wake_wins() {
        assert_eq!(earliest(Some(5), Some(3)), Some(3));
        assert_eq!(earliest(None, Some(3)), Some(3));
        assert_eq!(earliest(Some(5), None), Some(5));
        assert_eq!(earliest(None, None), None);
    }
}
