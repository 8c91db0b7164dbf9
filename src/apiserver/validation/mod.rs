//! Validation as `pkg/apis/core/validation` (and the apimachinery helpers it builds on) does it:
//! pure functions from objects to `field` error lists, in the order the Go code appends them.

pub mod configmap;
pub mod field;
pub mod go_schema;
pub mod go_schema_data;
pub mod internal_schema_data;
pub mod meta;
pub mod names;
pub mod namespace;
pub mod node;
pub mod pod;
pub mod pod_diff;
pub mod quantity;
pub mod service;
