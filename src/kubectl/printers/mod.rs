//! kubectl's printers: `-o yaml`, `-o json`, `-o jsonpath`, and the human-readable tables of
//! `kubectl get`, as pure functions over the objects the API server returns.

pub mod duration;
pub mod gofmt;
pub mod human;
pub mod json;
pub mod jsonpath;
pub mod object;
pub mod quantity;
pub mod table;
pub mod tabwriter;
pub mod yaml;
