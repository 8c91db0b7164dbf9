//! kube-controller-manager: the controllers that act on what podlab models, each a watch → cache
//! → reconcile loop over the API server. They run in one process, as in Kubernetes.

pub mod endpoints;
pub mod endpointslice;
pub mod nodelifecycle;

use crate::client::{core, grouped, Ctx, Informer};
use crate::cluster::Component;
use crate::sim::Actor;

pub struct ControllerManager {
    nodes: Informer,
    pods: Informer,
    services: Informer,
    slices: Informer,
    endpoints: Informer,
}

impl Default for ControllerManager {
    fn default() -> Self {
        ControllerManager {
            nodes: Informer::new(core("nodes")),
            pods: Informer::new(core("pods")),
            services: Informer::new(core("services")),
            slices: Informer::new(grouped("discovery.k8s.io", "endpointslices")),
            endpoints: Informer::new(core("endpoints")),
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
        if !node_changes.is_empty() {
            nodelifecycle::reconcile(&self.nodes, ctx);
        }
        if !pod_changes.is_empty() || !service_changes.is_empty() {
            endpointslice::reconcile(&self.services, &self.pods, &self.slices, ctx);
            endpoints::reconcile(&self.services, &self.pods, &self.endpoints, ctx);
        }
    }
}
