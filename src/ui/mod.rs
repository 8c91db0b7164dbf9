//! The Yew page. (Being written.)

/// Mount the app on the page's body.
pub fn start() {}
