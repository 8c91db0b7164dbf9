//! One object of the ownership tree and, nested under it, what it owns: a recursive component
//! keyed by kind/namespace/name, so a new etcd revision re-renders only the branches whose
//! objects changed (the ReplicaSet and the pod it touched), not every `<li>` of a Deployment's
//! thousand pods.

use std::collections::HashSet;
use std::rc::Rc;

use yew::prelude::*;

use crate::view::OwnedObject;

/// An [`OwnedObject`] as the tree draws it: its status columns joined into one label, and its
/// dependents behind `Rc`s so each branch is handed to its component without copying it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OwnedBranch {
    /// Unique among its siblings: `Kind/namespace/name`.
    pub key: String,
    pub kind: String,
    pub name: String,
    /// `READY 1/1  STATUS Running`: the columns `kubectl get` prints for it.
    pub columns: String,
    pub dependents: Vec<Rc<OwnedBranch>>,
}

/// The branches of an ownership forest (or of one object's dependents), each keyed uniquely
/// among its siblings. The forest places every object once, so kind/namespace/name are already
/// unique; a repeat would get a `#n` suffix rather than a duplicate key, which Yew refuses.
pub fn branches(objects: &[OwnedObject]) -> Vec<Rc<OwnedBranch>> {
    let mut seen = HashSet::new();
    objects
        .iter()
        .map(|object| {
            let base = format!("{}/{}/{}", object.kind, object.namespace, object.name);
            let mut key = base.clone();
            let mut repeat = 1;
            while !seen.insert(key.clone()) {
                repeat += 1;
                key = format!("{base}#{repeat}");
            }
            Rc::new(OwnedBranch {
                key,
                kind: object.kind.clone(),
                name: object.name.clone(),
                columns: columns_label(object),
                dependents: branches(&object.dependents),
            })
        })
        .collect()
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
    pub branch: Rc<OwnedBranch>,
}

/// An object, its status, and the objects it owns.
#[function_component(OwnedItem)]
pub fn owned_item(props: &OwnedItemProps) -> Html {
    let object = &props.branch;
    html! {
        <li class="owned" data-kind={object.kind.clone()} data-name={object.name.clone()}>
            <span class="owned-name">{ format!("{}/{}", object.kind.to_lowercase(), object.name) }</span>
            { " " }
            <span class="owned-status">{ &object.columns }</span>
            if !object.dependents.is_empty() {
                <ul>{ for object.dependents.iter().map(owned_items) }</ul>
            }
        </li>
    }
}

/// A branch as a keyed list item.
pub fn owned_items(branch: &Rc<OwnedBranch>) -> Html {
    html! { <OwnedItem key={branch.key.clone()} branch={Rc::clone(branch)} /> }
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
    fn a_deployment_branch_keeps_its_replicasets_and_pods() {
        let pod = object(
            "Pod",
            "web-5d9c7b-abcde",
            &[("READY", "1/1"), ("STATUS", "Running")],
            vec![],
        );
        let rs = object("ReplicaSet", "web-5d9c7b", &[("READY", "1")], vec![pod]);
        let deployment = object(
            "Deployment",
            "web",
            &[("READY", "1/1"), ("UP-TO-DATE", "1"), ("AVAILABLE", "1")],
            vec![rs],
        );
        let forest = branches(&[deployment]);
        let root = &forest[0];
        assert_eq!(root.key, "Deployment/default/web");
        assert_eq!(root.columns, "READY 1/1  UP-TO-DATE 1  AVAILABLE 1");
        let rs = &root.dependents[0];
        assert_eq!(rs.key, "ReplicaSet/default/web-5d9c7b");
        assert_eq!(rs.dependents[0].columns, "READY 1/1  STATUS Running");
        assert!(rs.dependents[0].dependents.is_empty());
    }

    #[wasm_bindgen_test]
    fn siblings_keys_are_unique() {
        let twice = [
            object("Pod", "p", &[], vec![]),
            object("Pod", "p", &[], vec![]),
        ];
        let keys: Vec<String> = branches(&twice).iter().map(|b| b.key.clone()).collect();
        assert_eq!(keys, ["Pod/default/p", "Pod/default/p#2"]);
    }

    #[wasm_bindgen_test]
    fn equal_branches_compare_equal_so_yew_skips_them() {
        let rs = || {
            object(
                "ReplicaSet",
                "web-1",
                &[("READY", "3")],
                vec![object("Pod", "a", &[], vec![])],
            )
        };
        assert_eq!(branches(&[rs()]), branches(&[rs()]));
        let changed = object("ReplicaSet", "web-1", &[("READY", "2")], vec![]);
        assert_ne!(branches(&[rs()]), branches(&[changed]));
    }
}
