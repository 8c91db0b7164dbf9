//! kubectl: parses command lines, talks to the API server as kubectl does, prints as kubectl prints.

pub mod describe;
pub mod printers;
