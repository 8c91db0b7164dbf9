//! Validation as `pkg/apis/core/validation` (and the apimachinery helpers it builds on) does it:
//! pure functions from objects to `field` error lists, in the order the Go code appends them.
//!
//! - [`field`]: `FieldError` and its message (`ErrorBody`), paths, `ErrorList`.
//! - [`names`]: name and value formats (RFC 1123, qualified names, label values, ports, IPs).
//! - [`quantity`]: `resource.Quantity` parsing, canonical form and comparison.
//! - [`meta`]: object metadata on create and update.
//! - [`pod`], [`service`], [`node`], [`namespace`], [`configmap`]: the kinds' create and update rules.
//! - [`apps`] (workloads and Jobs), [`batch`] (generated Job selectors, CronJobs), [`storage`]
//!   (PV, PVC, StorageClass), [`scheduling`] (PriorityClass): the other kinds' strategies' rules.
//! - [`pod_diff`]: the spec diff a refused pod update prints.
//! - [`go_schema`]: the Go v1 types, for the API server's JSON decoder (`super::decode`).

pub mod apps;
pub mod batch;
pub mod configmap;
pub mod field;
pub mod go_schema;
pub mod go_schema_data;
pub mod internal_schema_data;
pub mod meta;
pub mod names;
pub mod namespace;
pub mod networking;
pub mod node;
pub mod pod;
pub mod pod_diff;
pub mod quantity;
pub mod replication_controller;
pub mod scheduling;
pub mod service;
pub mod storage;
