//! `kubectl annotate` (staging/src/k8s.io/kubectl/pkg/cmd/annotate/annotate.go): the same flow as
//! `kubectl label` (see [`super::label`]) on `metadata.annotations`, with annotate's own parsing
//! (`KEY=VALUE` values may contain `=`), overwrite check (`--overwrite is false but found the
//! following declared annotation(s): …`), field manager `kubectl-annotate`, and message
//! `pod/web annotated`.

use super::args::Args;
use super::label::{update, Which};
use super::Env;

/// `kubectl annotate`.
pub fn annotate(args: &Args, env: &mut Env) {
    update(Which::Annotate, args, env);
}
