//! What the Deployment and ReplicaSet controllers share (pkg/controller/controller_utils.go,
//! pkg/api/v1/pod, pkg/controller/deployment/util): reading objects, controller references, label
//! selectors, pod predicates, the pod-template-hash, and int-or-percent arithmetic. Pure
//! functions over the JSON objects the informers cache.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde_json::{json, Value};

use crate::apiserver::selectors::labels_of;
use crate::apiserver::validation::apps::selector_matches;
use crate::sim::{wall_clock, Millis};

/// `pod-template-hash`: the label a Deployment adds to its ReplicaSets, their selectors and pods
/// (apps.DefaultDeploymentUniqueLabelKey).
pub const POD_TEMPLATE_HASH: &str = "pod-template-hash";

pub use crate::unstructured::str_at;

/// A work queue's per-key retry back-off (workqueue's ItemExponentialFailureRateLimiter:
/// 5 ms doubling on each failure, at most 1000 s; forgotten on success).
#[derive(Debug, Clone, Default)]
pub struct Retries(BTreeMap<String, (u32, Millis)>);

impl Retries {
    /// When `key` may be synced again, if it is still backing off at `now`.
    pub fn waiting_until(&self, key: &str, now: Millis) -> Option<Millis> {
        self.0.get(key).map(|&(_, at)| at).filter(|&at| at > now)
    }

    /// Record the outcome of a sync; after a failure, the delay before the next try.
    pub fn record(&mut self, key: String, ok: bool, now: Millis) -> Option<Millis> {
        if ok {
            self.0.remove(&key);
            return None;
        }
        let failures = self.0.get(&key).map_or(0, |r| r.0) + 1;
        let delay = (5u64 << failures.min(20)).min(1_000_000);
        self.0.insert(key, (failures, now + delay));
        Some(delay)
    }

    /// Forget the keys of objects that are gone.
    pub fn retain(&mut self, live: impl Fn(&str) -> bool) {
        self.0.retain(|k, _| live(k));
    }
}

pub fn int_at(v: &Value, pointer: &str) -> i64 {
    v.pointer(pointer).and_then(Value::as_i64).unwrap_or(0)
}

pub fn name_of(v: &Value) -> &str {
    str_at(v, "/metadata/name")
}

pub fn namespace_of(v: &Value) -> &str {
    str_at(v, "/metadata/namespace")
}

pub fn uid_of(v: &Value) -> &str {
    str_at(v, "/metadata/uid")
}

pub fn is_being_deleted(v: &Value) -> bool {
    v.pointer("/metadata/deletionTimestamp")
        .is_some_and(|t| !t.is_null())
}

/// The object's controller reference (the owner reference with `controller: true`).
pub fn controller_ref(obj: &Value) -> Option<&Value> {
    obj.pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
}

/// Whether `owner` is the controller of `obj` (same uid, as metav1.IsControlledBy).
pub fn is_controlled_by(obj: &Value, owner: &Value) -> bool {
    controller_ref(obj)
        .is_some_and(|r| str_at(r, "/uid") == uid_of(owner) && !uid_of(owner).is_empty())
}

/// `metav1.NewControllerRef(owner, gvk)`: controller and blockOwnerDeletion set.
pub fn new_controller_ref(owner: &Value, api_version: &str, kind: &str) -> Value {
    json!({
        "apiVersion": api_version,
        "kind": kind,
        "name": name_of(owner),
        "uid": uid_of(owner),
        "controller": true,
        "blockOwnerDeletion": true,
    })
}

/// `spec.selector`, typed; `None` when absent.
pub fn selector_of(obj: &Value) -> Option<LabelSelector> {
    obj.pointer("/spec/selector")
        .filter(|s| !s.is_null())
        .and_then(|s| serde_json::from_value(s.clone()).ok())
}

/// Whether a selector selects nothing at all or everything: an absent selector selects nothing
/// (labels.Nothing()), an empty one everything.
pub fn selects(selector: Option<&LabelSelector>, obj: &Value) -> bool {
    selector.is_some_and(|s| selector_matches(s, &labels_of(obj)))
}

/// Whether the selector is `{}` (it would select every pod).
pub fn is_empty_selector(selector: Option<&LabelSelector>) -> bool {
    selector.is_some_and(|s| {
        s.match_labels.as_ref().is_none_or(BTreeMap::is_empty)
            && s.match_expressions.as_ref().is_none_or(Vec::is_empty)
    })
}

/// The pod's phase.
pub fn phase(pod: &Value) -> &str {
    str_at(pod, "/status/phase")
}

/// `controller.IsPodActive`: not Succeeded, not Failed, not being deleted.
pub fn pod_is_active(pod: &Value) -> bool {
    !matches!(phase(pod), "Succeeded" | "Failed") && !is_being_deleted(pod)
}

/// `controller.IsPodTerminating`: being deleted, and not yet terminal.
pub fn pod_is_terminating(pod: &Value) -> bool {
    !matches!(phase(pod), "Succeeded" | "Failed") && is_being_deleted(pod)
}

fn ready_condition(pod: &Value) -> Option<&Value> {
    pod.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| str_at(c, "/type") == "Ready")
}

/// `podutil.IsPodReady`: the Ready condition is True.
pub fn pod_is_ready(pod: &Value) -> bool {
    ready_condition(pod).is_some_and(|c| str_at(c, "/status") == "True")
}

/// Virtual time of an RFC 3339 timestamp (before the epoch counts as 0).
pub fn millis_of(timestamp: &str) -> Option<Millis> {
    let t: jiff::Timestamp = timestamp.parse().ok()?;
    let since = t.duration_since(wall_clock(0)).as_millis();
    Some(u64::try_from(since).unwrap_or(0))
}

/// When the pod's Ready condition last changed, if it is ready.
pub fn pod_ready_since(pod: &Value) -> Option<Millis> {
    ready_condition(pod)
        .filter(|c| str_at(c, "/status") == "True")
        .and_then(|c| millis_of(str_at(c, "/lastTransitionTime")))
}

/// `podutil.IsPodAvailable`: ready for at least `min_ready_seconds` (at once when 0).
pub fn pod_is_available(pod: &Value, min_ready_seconds: i64, now: Millis) -> bool {
    if !pod_is_ready(pod) {
        return false;
    }
    if min_ready_seconds <= 0 {
        return true;
    }
    pod_ready_since(pod).is_some_and(|since| since + (min_ready_seconds as u64) * 1000 <= now)
}

/// `rand.SafeEncodeString`: each byte mapped into the alphabet without vowels, so that a hash
/// cannot spell words.
pub fn safe_encode(s: &str) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    s.bytes()
        .map(|b| ALPHABET[usize::from(b) % ALPHABET.len()] as char)
        .collect()
}

/// FNV-1a, 32 bits.
fn fnv32a(bytes: impl IntoIterator<Item = u8>) -> u32 {
    bytes.into_iter().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// `controller.ComputeHash`: FNV-32a of the pod template (podlab hashes its JSON; Kubernetes
/// hashes Go's printed form of the struct), then the collision count as eight little-endian
/// bytes if there is one, the decimal value through [`safe_encode`].
pub fn compute_hash(template: &Value, collision_count: Option<i64>) -> String {
    let mut bytes = serde_json::to_vec(template).unwrap_or_default();
    if let Some(c) = collision_count {
        let mut extra = [0u8; 8];
        extra[..4].copy_from_slice(&(c as u32).to_le_bytes());
        bytes.extend_from_slice(&extra);
    }
    safe_encode(&fnv32a(bytes).to_string())
}

/// A pod template without the pod-template-hash label (for `EqualIgnoreHash`); an emptied label
/// map compares equal to none, as Semantic.DeepEqual has it.
pub fn template_without_hash(template: &Value) -> Value {
    let mut t = template.clone();
    if let Some(meta) = t.get_mut("metadata").and_then(Value::as_object_mut) {
        if let Some(labels) = meta.get_mut("labels").and_then(Value::as_object_mut) {
            labels.remove(POD_TEMPLATE_HASH);
        }
        if meta
            .get("labels")
            .and_then(Value::as_object)
            .is_some_and(|l| l.is_empty())
        {
            meta.remove("labels");
        }
    }
    t
}

/// `intstr.GetScaledValueFromIntOrPercent`: an integer as is, `N%` of `total` rounded up or down.
pub fn scaled_value(v: Option<&Value>, total: i64, round_up: bool) -> i64 {
    match v {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(Value::String(s)) => {
            let Some(pct) = s.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) else {
                return 0;
            };
            let product = pct.saturating_mul(total);
            let scaled = if round_up {
                product.saturating_add(99).div_euclid(100)
            } else {
                product.div_euclid(100)
            };
            scaled.clamp(i64::from(i32::MIN), i64::from(i32::MAX))
        }
        _ => 0,
    }
}

/// The condition of `type_` in a status's conditions.
pub fn condition<'a>(status: &'a Value, type_: &str) -> Option<&'a Value> {
    status
        .get("conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| str_at(c, "/type") == type_)
}

/// Remove the condition of `type_` (RemoveDeploymentCondition / RemoveCondition).
pub fn remove_condition(status: &mut Value, type_: &str) {
    if let Some(conds) = status.get_mut("conditions").and_then(Value::as_array_mut) {
        conds.retain(|c| str_at(c, "/type") != type_);
        if conds.is_empty() {
            if let Some(m) = status.as_object_mut() {
                m.remove("conditions");
            }
        }
    }
}

/// SetDeploymentCondition / SetCondition: nothing when status and reason are the same; the
/// transition time kept when only the reason changes; the new condition goes last.
pub fn set_condition(status: &mut Value, mut cond: Value) {
    let type_ = str_at(&cond, "/type").to_string();
    if let Some(current) = condition(status, &type_) {
        if current.get("status") == cond.get("status")
            && current.get("reason") == cond.get("reason")
        {
            return;
        }
        if current.get("status") == cond.get("status") {
            cond["lastTransitionTime"] = current
                .get("lastTransitionTime")
                .cloned()
                .unwrap_or(Value::Null);
        }
    }
    if !status.is_object() {
        *status = json!({});
    }
    remove_condition(status, &type_);
    match status.get_mut("conditions").and_then(Value::as_array_mut) {
        Some(conds) => conds.push(cond),
        None => status["conditions"] = json!([cond]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_encoding_maps_digits_as_kubernetes_does() {
        // "6b986df65f" (case 11's hash) is the encoding of 2654289219.
        assert_eq!(safe_encode("2654289219"), "6b986df65f");
    }

    #[test]
    fn hashes_have_the_pod_template_hash_shape() {
        let h = compute_hash(&json!({"metadata": {"labels": {"app": "hello"}}}), None);
        assert!((6..=10).contains(&h.len()), "{h}");
        assert!(h.bytes().all(|c| b"bcdf456789".contains(&c)));
        assert_ne!(
            h,
            compute_hash(&json!({"metadata": {"labels": {"app": "hello"}}}), Some(1))
        );
    }

    #[test]
    fn fnv32a_matches_the_reference_vectors() {
        assert_eq!(fnv32a(*b""), 0x811c_9dc5);
        assert_eq!(fnv32a(*b"a"), 0xe40c_292c);
        assert_eq!(fnv32a(*b"foobar"), 0xbf9c_f968);
    }

    #[test]
    fn percentages_round_as_intstr_does() {
        assert_eq!(scaled_value(Some(&json!("25%")), 3, true), 1);
        assert_eq!(scaled_value(Some(&json!("25%")), 3, false), 0);
        assert_eq!(scaled_value(Some(&json!("25%")), 4, false), 1);
        assert_eq!(scaled_value(Some(&json!(2)), 3, false), 2);
    }

    #[test]
    fn conditions_keep_transition_time_when_only_the_reason_changes() {
        let mut status = json!({});
        set_condition(
            &mut status,
            json!({"type": "Progressing", "status": "True", "reason": "A", "lastTransitionTime": "t1"}),
        );
        set_condition(
            &mut status,
            json!({"type": "Available", "status": "False", "reason": "B", "lastTransitionTime": "t1"}),
        );
        set_condition(
            &mut status,
            json!({"type": "Progressing", "status": "True", "reason": "C", "lastTransitionTime": "t2"}),
        );
        let types: Vec<&str> = status["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| str_at(c, "/type"))
            .collect();
        assert_eq!(types, ["Available", "Progressing"]);
        assert_eq!(
            condition(&status, "Progressing").unwrap()["lastTransitionTime"],
            "t1"
        );
    }

    #[test]
    fn hash_label_is_ignored_when_comparing_templates() {
        let a =
            json!({"metadata": {"labels": {"app": "x", "pod-template-hash": "abc"}}, "spec": {}});
        let b = json!({"metadata": {"labels": {"app": "x"}}, "spec": {}});
        assert_eq!(template_without_hash(&a), template_without_hash(&b));
    }
}
