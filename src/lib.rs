//! podlab: a Kubernetes cluster that runs in the browser.
//!
//! The cluster model is plain Rust: the API server owns the store (`etcd`); every other component
//! (scheduler, controllers, kubelets, kube-proxy, CoreDNS) lists, watches and writes through the API
//! server, driven by a deterministic discrete-event loop on a virtual clock (`sim`). `kubectl` parses
//! commands and prints as kubectl does; `scenario` runs scripts headless; `ui` is the Yew page.

pub mod apiserver;
pub mod client;
pub mod cluster;
pub mod controllers;
pub mod cron;
pub mod dns;
pub mod etcd;
pub mod events;
pub mod examples;
pub mod ingress;
pub mod inspect;
pub mod kubectl;
pub mod kubelet;
pub mod mesh;
pub mod network;
pub mod pod_history;
pub mod proxy;
pub mod quantity;
pub mod scale;
pub mod scenario;
pub mod scheduler;
pub mod sequence;
pub mod sim;
pub mod tours;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod unstructured;
pub mod view;

pub use cluster::{Cluster, Preset};
