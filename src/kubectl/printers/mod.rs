//! kubectl's printers. (Being written.)
