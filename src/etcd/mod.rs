//! etcd as the API server uses it: a revisioned key/value store. Every write bumps the cluster-wide
//! revision (which the API server reports as `metadata.resourceVersion`); every key remembers the
//! revision that created it, the one that last changed it, and how often it changed; every change
//! is kept in a history that watches read from and that can be compacted. [`etcdctl`] reads it as
//! an operator would.

pub mod etcdctl;

use std::collections::BTreeMap;

use serde_json::Value;

/// One key as `etcdctl get -w json` would show it (the value is kept as JSON, where real etcd
/// keeps the API server's protobuf encoding).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyValue {
    pub key: String,
    pub value: Value,
    pub create_revision: i64,
    pub mod_revision: i64,
    pub version: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Put,
    Delete,
}

/// A change, as an etcd watch delivers it.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchEvent {
    pub kind: EventType,
    /// The key after the change (for a delete: the key as it was, with the delete's revision).
    pub kv: KeyValue,
    pub prev: Option<KeyValue>,
}

/// Why a write was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxnError {
    /// The key exists (create) or does not (update, delete).
    KeyExists,
    KeyNotFound,
    /// The key changed since the revision the caller read (optimistic concurrency).
    RevisionMismatch {
        current: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The revision asked for was compacted away.
    Compacted { compact_revision: i64 },
    /// The revision asked for is in the future.
    FutureRevision { current: i64 },
}

#[derive(Debug, Clone)]
pub struct Etcd {
    revision: i64,
    compact_revision: i64,
    live: BTreeMap<String, KeyValue>,
    history: Vec<WatchEvent>,
}

impl Default for Etcd {
    fn default() -> Self {
        Self::new()
    }
}

impl Etcd {
    /// A fresh store. etcd's first revision is 1.
    pub fn new() -> Self {
        Etcd {
            revision: 1,
            compact_revision: 0,
            live: BTreeMap::new(),
            history: Vec::new(),
        }
    }

    pub fn revision(&self) -> i64 {
        self.revision
    }

    pub fn compact_revision(&self) -> i64 {
        self.compact_revision
    }

    pub fn get(&self, key: &str) -> Option<&KeyValue> {
        self.live.get(key)
    }

    /// Every live key under `prefix`, in key order (as a range request returns them).
    pub fn range(&self, prefix: &str) -> Vec<&KeyValue> {
        self.live
            .range(prefix.to_string()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(_, v)| v)
            .collect()
    }

    /// Create `key`; fails if it exists (the API server's create is such a transaction).
    pub fn create(&mut self, key: &str, value: Value) -> Result<KeyValue, TxnError> {
        if self.live.contains_key(key) {
            return Err(TxnError::KeyExists);
        }
        Ok(self.put(key, value))
    }

    /// Replace `key` if it was last modified at `expected_mod_revision` (or unconditionally with `None`).
    pub fn update(
        &mut self,
        key: &str,
        value: Value,
        expected_mod_revision: Option<i64>,
    ) -> Result<KeyValue, TxnError> {
        let current = self.live.get(key).ok_or(TxnError::KeyNotFound)?;
        if let Some(expected) = expected_mod_revision {
            if current.mod_revision != expected {
                return Err(TxnError::RevisionMismatch {
                    current: current.mod_revision,
                });
            }
        }
        Ok(self.put(key, value))
    }

    /// Delete `key` if it was last modified at `expected_mod_revision` (or unconditionally).
    pub fn delete(
        &mut self,
        key: &str,
        expected_mod_revision: Option<i64>,
    ) -> Result<KeyValue, TxnError> {
        let current = self.live.get(key).ok_or(TxnError::KeyNotFound)?;
        if let Some(expected) = expected_mod_revision {
            if current.mod_revision != expected {
                return Err(TxnError::RevisionMismatch {
                    current: current.mod_revision,
                });
            }
        }
        let prev = self.live.remove(key).expect("checked above");
        self.revision += 1;
        let mut gone = prev.clone();
        gone.mod_revision = self.revision;
        self.history.push(WatchEvent {
            kind: EventType::Delete,
            kv: gone.clone(),
            prev: Some(prev),
        });
        Ok(gone)
    }

    fn put(&mut self, key: &str, value: Value) -> KeyValue {
        self.revision += 1;
        let prev = self.live.get(key).cloned();
        let kv = KeyValue {
            key: key.to_string(),
            value,
            create_revision: prev.as_ref().map_or(self.revision, |p| p.create_revision),
            mod_revision: self.revision,
            version: prev.as_ref().map_or(1, |p| p.version + 1),
        };
        self.live.insert(key.to_string(), kv.clone());
        self.history.push(WatchEvent {
            kind: EventType::Put,
            kv: kv.clone(),
            prev,
        });
        kv
    }

    /// Changes to keys under `prefix` after revision `after`, oldest first (a watch from `after + 1`).
    ///
    /// This is what the API server serves the components' watches from. A real kube-apiserver
    /// serves them from its watch cache, which etcd compaction does not cut, so neither does
    /// [`Etcd::compact`] here: only reads at a revision ([`Etcd::range_at`]) see compaction.
    pub fn changes_since(&self, prefix: &str, after: i64) -> Result<Vec<&WatchEvent>, ReadError> {
        let start = self.history.partition_point(|e| e.kv.mod_revision <= after);
        Ok(self.history[start..]
            .iter()
            .filter(|e| e.kv.key.starts_with(prefix))
            .collect())
    }

    /// The keys under `prefix` as they were at `revision` (`etcdctl get --rev`).
    pub fn range_at(&self, prefix: &str, revision: i64) -> Result<Vec<KeyValue>, ReadError> {
        self.range_at_refs(prefix, revision)
            .map(|kvs| kvs.into_iter().cloned().collect())
    }

    /// [`Etcd::range_at`] without copying the values: the page reads whole revisions of a large
    /// cluster at every step back, where copying every object cost more than reading it.
    pub fn range_at_refs(&self, prefix: &str, revision: i64) -> Result<Vec<&KeyValue>, ReadError> {
        if revision > self.revision {
            return Err(ReadError::FutureRevision {
                current: self.revision,
            });
        }
        if revision < self.compact_revision {
            return Err(ReadError::Compacted {
                compact_revision: self.compact_revision,
            });
        }
        // Start from what is live now and undo every change made after `revision`.
        let mut state: BTreeMap<&str, &KeyValue> = self
            .range(prefix)
            .into_iter()
            .map(|kv| (kv.key.as_str(), kv))
            .collect();
        for e in self
            .history
            .iter()
            .rev()
            .take_while(|e| e.kv.mod_revision > revision)
        {
            if !e.kv.key.starts_with(prefix) {
                continue;
            }
            match &e.prev {
                Some(p) => state.insert(p.key.as_str(), p),
                None => state.remove(e.kv.key.as_str()),
            };
        }
        Ok(state.into_values().collect())
    }

    /// Forget history up to `revision` (`etcdctl compaction`): reads at an older revision fail from
    /// then on; live keys are kept. (The events stay for [`Etcd::changes_since`], the stand-in for
    /// the API server's watch cache.)
    pub fn compact(&mut self, revision: i64) {
        let revision = revision.min(self.revision);
        if revision <= self.compact_revision {
            return;
        }
        self.compact_revision = revision;
    }

    /// The changes etcd still keeps: those after the compacted revision.
    pub fn history_since_compaction(&self) -> impl Iterator<Item = &WatchEvent> {
        let start = self
            .history
            .partition_point(|e| e.kv.mod_revision <= self.compact_revision);
        self.history[start..].iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn revisions_count_every_write() {
        let mut db = Etcd::new();
        let a = db.create("/registry/pods/default/a", json!(1)).unwrap();
        assert_eq!((a.create_revision, a.mod_revision, a.version), (2, 2, 1));
        let a2 = db
            .update("/registry/pods/default/a", json!(2), Some(2))
            .unwrap();
        assert_eq!((a2.create_revision, a2.mod_revision, a2.version), (2, 3, 2));
        assert_eq!(db.revision(), 3);
    }

    #[test]
    fn stale_update_conflicts() {
        let mut db = Etcd::new();
        db.create("/k", json!(1)).unwrap();
        db.update("/k", json!(2), None).unwrap();
        assert_eq!(
            db.update("/k", json!(3), Some(2)),
            Err(TxnError::RevisionMismatch { current: 3 })
        );
        assert_eq!(db.create("/k", json!(0)), Err(TxnError::KeyExists));
    }

    #[test]
    fn watch_sees_changes_in_order() {
        let mut db = Etcd::new();
        db.create("/registry/pods/default/a", json!(1)).unwrap();
        db.create("/registry/nodes/n", json!(1)).unwrap();
        db.delete("/registry/pods/default/a", None).unwrap();
        let seen: Vec<_> = db
            .changes_since("/registry/pods/", 1)
            .unwrap()
            .iter()
            .map(|e| (e.kind, e.kv.mod_revision))
            .collect();
        assert_eq!(seen, vec![(EventType::Put, 2), (EventType::Delete, 4)]);
    }

    #[test]
    fn reads_at_an_old_revision_and_compaction() {
        let mut db = Etcd::new();
        db.create("/a", json!("one")).unwrap();
        db.update("/a", json!("two"), None).unwrap();
        db.create("/b", json!("b")).unwrap();
        let at2 = db.range_at("/", 2).unwrap();
        assert_eq!(at2.len(), 1);
        assert_eq!(at2[0].value, json!("one"));
        db.compact(3);
        assert_eq!(
            db.range_at("/", 2),
            Err(ReadError::Compacted {
                compact_revision: 3
            })
        );
        assert_eq!(db.range_at("/", 4).unwrap().len(), 2);
    }
}
