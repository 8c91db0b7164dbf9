//! One line of the ownership tree: an object, indented under its owner. The tree is drawn as a
//! flat list of lines (ARIA `treeitem`s with their `aria-level`), so that it can render only the
//! lines in view ([`super::windowed`]) and, keyed by the object's path in the tree, re-render
//! only the lines whose objects changed (the ReplicaSet and the pod a revision touched), not
//! every line of a Deployment's thousand pods.

use std::collections::HashSet;
use std::rc::Rc;

use yew::prelude::*;

use crate::view::OwnedObject;

/// An [`OwnedObject`] as the tree draws it on its line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OwnedLine {
    /// Unique in the tree: the `Kind/namespace/name` of the object and of its owners.
    pub key: String,
    /// 0 for a root, 1 for what a root owns, and so on.
    pub depth: usize,
    pub kind: String,
    pub name: String,
    /// `READY 1/1  STATUS Running`: the columns `kubectl get` prints for it.
    pub columns: String,
}

/// The lines of an ownership forest, depth first: each object, then what it owns.
pub fn lines(objects: &[OwnedObject]) -> Vec<Rc<OwnedLine>> {
    let mut out = Vec::new();
    push_lines(objects, "", 0, &mut out);
    out
}

/// Push the lines of `objects`, owned by the object whose key is `owner`, at `depth`. The
/// forest places every object once, so kind/namespace/name are already unique among siblings; a
/// repeat gets a `#n` suffix rather than a duplicate key, which Yew refuses.
fn push_lines(objects: &[OwnedObject], owner: &str, depth: usize, out: &mut Vec<Rc<OwnedLine>>) {
    let mut seen = HashSet::new();
    for object in objects {
        let base = format!("{}/{}/{}", object.kind, object.namespace, object.name);
        let mut own = base.clone();
        let mut repeat = 1;
        while !seen.insert(own.clone()) {
            repeat += 1;
            own = format!("{base}#{repeat}");
        }
        let key = if owner.is_empty() {
            own
        } else {
            format!("{owner} > {own}")
        };
        out.push(Rc::new(OwnedLine {
            key: key.clone(),
            depth,
            kind: object.kind.clone(),
            name: object.name.clone(),
            columns: columns_label(object),
        }));
        push_lines(&object.dependents, &key, depth + 1, out);
    }
}

/// The status columns as one label: `READY 1/1  STATUS Running`.
fn columns_label(object: &OwnedObject) -> String {
    object
        .columns
        .iter()
        .map(|(column, value)| format!("{column} {value}"))
        .collect::<Vec<_>>()
        .join("  ")
}

#[derive(PartialEq, Properties)]
pub struct OwnedItemProps {
    pub line: Rc<OwnedLine>,
}

/// An object and its status, indented by its depth in the tree.
#[function_component(OwnedItem)]
pub fn owned_item(props: &OwnedItemProps) -> Html {
    let line = &props.line;
    html! {
        <li class="owned" role="treeitem" aria-level={(line.depth + 1).to_string()}
            data-kind={line.kind.clone()} data-name={line.name.clone()}
            style={format!("--depth: {}", line.depth)}>
            <span class="owned-name">{ format!("{}/{}", line.kind.to_lowercase(), line.name) }</span>
            { " " }
            <span class="owned-status">{ &line.columns }</span>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn object(
        kind: &str,
        name: &str,
        columns: &[(&str, &str)],
        dependents: Vec<OwnedObject>,
    ) -> OwnedObject {
        OwnedObject {
            kind: kind.into(),
            namespace: "default".into(),
            name: name.into(),
            columns: columns
                .iter()
                .map(|(c, v)| (c.to_string(), v.to_string()))
                .collect(),
            dependents,
        }
    }

    #[wasm_bindgen_test]
    fn a_deployment_is_followed_by_its_replicasets_and_their_pods_indented() {
        let pod = |name| {
            object(
                "Pod",
                name,
                &[("READY", "1/1"), ("STATUS", "Running")],
                vec![],
            )
        };
        let rs = object(
            "ReplicaSet",
            "web-5d9c7b",
            &[("READY", "2")],
            vec![pod("web-5d9c7b-abcde"), pod("web-5d9c7b-fghij")],
        );
        let deployment = object(
            "Deployment",
            "web",
            &[("READY", "2/2"), ("UP-TO-DATE", "2"), ("AVAILABLE", "2")],
            vec![rs],
        );
        let lines = lines(&[deployment, object("Job", "pi", &[], vec![])]);
        let drawn: Vec<(usize, &str, &str)> = lines
            .iter()
            .map(|l| (l.depth, l.name.as_str(), l.columns.as_str()))
            .collect();
        assert_eq!(
            drawn,
            [
                (0, "web", "READY 2/2  UP-TO-DATE 2  AVAILABLE 2"),
                (1, "web-5d9c7b", "READY 2"),
                (2, "web-5d9c7b-abcde", "READY 1/1  STATUS Running"),
                (2, "web-5d9c7b-fghij", "READY 1/1  STATUS Running"),
                (0, "pi", ""),
            ]
        );
        assert_eq!(
            lines[2].key,
            "Deployment/default/web > ReplicaSet/default/web-5d9c7b > Pod/default/web-5d9c7b-abcde"
        );
    }

    #[wasm_bindgen_test]
    fn every_key_is_unique() {
        let twice = [
            object("Pod", "p", &[], vec![]),
            object("Pod", "p", &[], vec![]),
        ];
        let keys: Vec<String> = lines(&twice).iter().map(|l| l.key.clone()).collect();
        assert_eq!(keys, ["Pod/default/p", "Pod/default/p#2"]);
    }

    #[wasm_bindgen_test]
    fn a_line_changes_only_when_its_own_object_does() {
        let rs = |ready, pod_status| {
            object(
                "ReplicaSet",
                "web-1",
                &[("READY", ready)],
                vec![object("Pod", "a", &[("STATUS", pod_status)], vec![])],
            )
        };
        let before = lines(&[rs("1", "Running")]);
        let after = lines(&[rs("1", "Terminating")]);
        assert_eq!(
            before[0], after[0],
            "the ReplicaSet's line is equal: Yew skips it"
        );
        assert_ne!(before[1], after[1]);
    }
}
