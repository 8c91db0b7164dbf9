//! `kubectl api-versions` (staging/src/k8s.io/kubectl/pkg/cmd/apiresources/apiversions.go): every
//! group/version the server serves (fresh from discovery), sorted, one per line.

use super::args::Args;
use super::Env;
use crate::apiserver::discovery::group_versions;

/// `kubectl api-versions`.
pub fn api_versions(args: &Args, env: &mut Env) {
    let extra = args.positional.get(1..).unwrap_or_default();
    if !extra.is_empty() {
        return env.out.fail(format!(
            "error: unexpected arguments: [{}]\nSee 'kubectl api-versions -h' for help and examples",
            extra.join(" ")
        ));
    }
    let mut versions = group_versions();
    versions.sort();
    for v in versions {
        env.out.print(v);
    }
}
