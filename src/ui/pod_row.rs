//! One row of the pods table, as `kubectl get pods -A -o wide` prints it (NAMESPACE, NAME, READY,
//! STATUS, IP, NODE). A component of its own, keyed by `namespace/name`, so a new etcd revision
//! re-renders only the rows of the pods it changed.

use yew::prelude::*;

use super::format::or_none;
use crate::cluster::PodView;

#[derive(PartialEq, Properties)]
pub struct PodRowProps {
    pub pod: PodView,
}

#[function_component(PodRow)]
pub fn pod_row(props: &PodRowProps) -> Html {
    let pod = &props.pod;
    html! {
        <tr class="pod-row" data-pod={pod.name.clone()}>
            <td>{ &pod.namespace }</td>
            <td>{ &pod.name }</td>
            <td>{ &pod.ready }</td>
            <td>{ &pod.status }</td>
            <td>{ or_none(pod.ip.as_deref()) }</td>
            <td>{ or_none(pod.node.as_deref()) }</td>
        </tr>
    }
}

/// The key Yew matches a pod's row by across revisions: `namespace/name`, unique in a cluster.
pub fn pod_key(pod: &PodView) -> String {
    format!("{}/{}", pod.namespace, pod.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_pods_key_is_its_namespace_and_name() {
        let pod = PodView {
            namespace: "kube-system".into(),
            name: "coredns-7db6d8ff4d-abcde".into(),
            ..PodView::default()
        };
        assert_eq!(pod_key(&pod), "kube-system/coredns-7db6d8ff4d-abcde");
    }
}
