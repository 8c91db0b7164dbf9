//! Properties of the store and the API server's concurrency, over many random operation
//! sequences (seeded, so a failure names the seed that reproduces it): revisions only grow, a
//! watch replays every change in order, and a write from a stale read is refused with 409 Conflict
//! without losing the newer write.

use podlab::apiserver::{resources, ApiServer, Request, Verb};
use podlab::etcd::{Etcd, EventType, TxnError};
use podlab::sim::{Actor, Rng, Trace};
use serde_json::{json, Value};

const SEEDS: u64 = 200;
const OPS: usize = 60;

#[test]
fn revisions_grow_and_watches_replay_every_change_in_order() {
    for seed in 0..SEEDS {
        let mut rng = Rng::seeded(seed);
        let mut db = Etcd::new();
        let mut last = db.revision();
        // The model: what each key should hold, from the operations that succeeded.
        let mut model = std::collections::BTreeMap::new();
        for step in 0..OPS {
            let key = format!("/registry/things/k{}", rng.below(6));
            let value = json!(step);
            let expected = if rng.below(3) == 0 {
                Some(rng.below(last as u64 + 1) as i64)
            } else {
                None
            };
            let result = match rng.below(3) {
                0 => db.create(&key, value.clone()).map(|kv| kv.mod_revision),
                1 => db
                    .update(&key, value.clone(), expected)
                    .map(|kv| kv.mod_revision),
                _ => db.delete(&key, expected).map(|kv| kv.mod_revision),
            };
            match result {
                Ok(rev) => {
                    assert!(rev > last, "seed {seed}: revision {rev} after {last}");
                    last = rev;
                    if db.get(&key).is_some() {
                        model.insert(key.clone(), value);
                    } else {
                        model.remove(&key);
                    }
                }
                Err(TxnError::RevisionMismatch { current }) => {
                    assert_eq!(
                        Some(current),
                        db.get(&key).map(|kv| kv.mod_revision),
                        "seed {seed}"
                    );
                }
                Err(_) => {}
            }
            assert_eq!(
                db.revision(),
                last,
                "seed {seed}: a refused write moved the revision"
            );
        }
        // Live state equals the model.
        let live: Vec<(String, Value)> = db
            .range("/registry/things/")
            .into_iter()
            .map(|kv| (kv.key.clone(), kv.value.clone()))
            .collect();
        let want: Vec<(String, Value)> = model.into_iter().collect();
        assert_eq!(live, want, "seed {seed}");
        // Replaying the watch from the start rebuilds the same state, in revision order.
        let events = db
            .changes_since("/registry/things/", 0)
            .expect("nothing compacted");
        assert!(
            events
                .windows(2)
                .all(|w| w[0].kv.mod_revision < w[1].kv.mod_revision),
            "seed {seed}"
        );
        let mut replay = std::collections::BTreeMap::new();
        for e in events {
            match e.kind {
                EventType::Put => replay.insert(e.kv.key.clone(), e.kv.value.clone()),
                EventType::Delete => replay.remove(&e.kv.key),
            };
        }
        assert_eq!(replay.into_iter().collect::<Vec<_>>(), want, "seed {seed}");
    }
}

#[test]
fn history_reads_agree_with_what_was_live() {
    for seed in 0..SEEDS {
        let mut rng = Rng::seeded(1000 + seed);
        let mut db = Etcd::new();
        let mut snapshots = Vec::new();
        for step in 0..OPS {
            let key = format!("/k{}", rng.below(4));
            let _ = if rng.below(4) == 0 {
                db.delete(&key, None).map(|_| ())
            } else {
                db.update(&key, json!(step), None)
                    .or_else(|_| db.create(&key, json!(step)))
                    .map(|_| ())
            };
            let now: Vec<_> = db.range("/").into_iter().cloned().collect();
            snapshots.push((db.revision(), now));
        }
        for (rev, state) in &snapshots {
            assert_eq!(
                &db.range_at("/", *rev).expect("not compacted"),
                state,
                "seed {seed} rev {rev}"
            );
        }
    }
}

fn configmap(name: &str, value: &str, rv: Option<&str>) -> Value {
    let mut cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "default"}, "data": {"v": value}});
    if let Some(rv) = rv {
        cm["metadata"]["resourceVersion"] = json!(rv);
    }
    cm
}

#[test]
fn optimistic_concurrency_refuses_stale_writes_and_loses_nothing() {
    let cms = resources::by_plural("", "configmaps").expect("served");
    for seed in 0..50 {
        let mut api = ApiServer::new(seed);
        podlab::apiserver::bootstrap::control_plane_objects(&mut api);
        let mut trace = Trace::default();
        let who = Actor::ControllerManager;
        let send = |api: &mut ApiServer, trace: &mut Trace, verb: Verb, body: Option<Value>| {
            let mut req = Request::new(verb, cms, "kubernetes-admin").namespace(Some("default"));
            if verb != Verb::Create {
                req = req.name("c");
            }
            if let Some(b) = body {
                req = req.body(b);
            }
            api.handle(&req, 0, trace, &who)
        };
        let created = send(
            &mut api,
            &mut trace,
            Verb::Create,
            Some(configmap("c", "0", None)),
        );
        assert_eq!(created.code, 201);
        let mut rng = Rng::seeded(seed);
        let mut current = created.body["metadata"]["resourceVersion"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let mut value = "0".to_string();
        for i in 1..30 {
            // Two writers read the same version; only the first write wins.
            let read = current.clone();
            let first = send(
                &mut api,
                &mut trace,
                Verb::Update,
                Some(configmap("c", &format!("a{i}"), Some(&read))),
            );
            assert_eq!(first.code, 200, "seed {seed}");
            let second = send(
                &mut api,
                &mut trace,
                Verb::Update,
                Some(configmap("c", &format!("b{i}"), Some(&read))),
            );
            assert_eq!(second.code, 409, "seed {seed}: {}", second.body);
            assert_eq!(second.body["reason"], "Conflict");
            assert_eq!(
                second.body["message"],
                "Operation cannot be fulfilled on configmaps \"c\": the object has been modified; please apply your changes to the latest version and try again"
            );
            current = first.body["metadata"]["resourceVersion"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            value = format!("a{i}");
            if rng.below(2) == 0 {
                let got = send(&mut api, &mut trace, Verb::Get, None);
                assert_eq!(got.body["data"]["v"], json!(value.clone()), "seed {seed}");
            }
        }
        let got = send(&mut api, &mut trace, Verb::Get, None);
        assert_eq!(
            got.body["data"]["v"],
            json!(value),
            "seed {seed}: the winning write is kept"
        );
        assert_eq!(got.body["metadata"]["resourceVersion"], json!(current));
    }
}
