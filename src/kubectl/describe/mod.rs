//! kubectl describe. (Being written.)
