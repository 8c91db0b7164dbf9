//! Validation as `pkg/apis/core/validation` does it. (Being written.)
