//! The last rule of `ValidatePodUpdate`: once the updatable fields are copied from the old spec
//! ("munged"), the new spec must equal the old one (`apiequality.Semantic.DeepEqual`: nil and empty
//! lists and maps are equal, quantities compare by value). When it does not, the error carries
//! `diff.Diff(oldSpec, mungedSpec)`: a unified diff (3 lines of context, no file header) of the two
//! specs written by `json.MarshalIndent(v, "", " ")` (k8s.io/apimachinery/pkg/util/diff).

use k8s_openapi::api::core::v1::PodSpec;
use serde_json::Value;

use super::quantity::Quantity;

/// Copies the fields a pod update may change from `old` into a copy of `new` (`mungedPodSpec`).
fn munge(new: &PodSpec, old: &PodSpec) -> PodSpec {
    let mut m = new.clone();
    for (c, o) in m.containers.iter_mut().zip(&old.containers) {
        c.image = o.image.clone();
    }
    if let (Some(ms), Some(os)) = (m.init_containers.as_mut(), old.init_containers.as_ref()) {
        for (c, o) in ms.iter_mut().zip(os) {
            c.image = o.image.clone();
        }
    }
    m.active_deadline_seconds = old.active_deadline_seconds;
    m.scheduling_gates = old.scheduling_gates.clone();
    m.tolerations = old.tolerations.clone();
    if old.termination_grace_period_seconds.is_some_and(|g| g < 0)
        && m.termination_grace_period_seconds == Some(1)
    {
        m.termination_grace_period_seconds = old.termination_grace_period_seconds;
    }
    m
}

/// Map-typed fields of the pod spec tree: an empty map equals an absent one.
const MAP_FIELDS: [&str; 12] = [
    "nodeSelector",
    "limits",
    "requests",
    "overhead",
    "volumeAttributes",
    "options",
    "matchLabels",
    "labels",
    "annotations",
    "attributes",
    "data",
    "userAnnotations",
];

/// Quantity-typed fields (and maps of quantities): compared by value.
const QUANTITY_FIELDS: [&str; 5] = ["limits", "requests", "overhead", "sizeLimit", "divisor"];

/// Normalizes a serialized spec for semantic comparison: nulls and empty lists dropped, empty maps
/// dropped, quantities in canonical form.
fn normalize(v: &Value, key: Option<&str>) -> Option<Value> {
    match v {
        Value::Null => None,
        Value::Array(items) if items.is_empty() => None,
        Value::Array(items) => Some(Value::Array(
            items
                .iter()
                .map(|i| normalize(i, None).unwrap_or(Value::Null))
                .collect(),
        )),
        Value::Object(map) => {
            if map.is_empty() && key.is_some_and(|k| MAP_FIELDS.contains(&k)) {
                return None;
            }
            let quantities = key.is_some_and(|k| QUANTITY_FIELDS.contains(&k));
            let mut out = serde_json::Map::new();
            for (k, child) in map {
                let normalized = if quantities {
                    Some(canonical_quantity(child))
                } else {
                    normalize(child, Some(k))
                };
                if let Some(n) = normalized {
                    out.insert(k.clone(), n);
                }
            }
            if out.is_empty() && key.is_some_and(|k| MAP_FIELDS.contains(&k)) {
                None
            } else {
                Some(Value::Object(out))
            }
        }
        Value::String(_) if key.is_some_and(|k| QUANTITY_FIELDS.contains(&k)) => {
            Some(canonical_quantity(v))
        }
        other => Some(other.clone()),
    }
}

fn canonical_quantity(v: &Value) -> Value {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => return other.clone(),
    };
    match Quantity::parse(&text) {
        Ok(q) => Value::String(format!("{}n", q.nanos())),
        Err(_) => Value::String(text),
    }
}

fn spec_value(spec: &PodSpec) -> Value {
    serde_json::to_value(spec)
        .ok()
        .and_then(|v| normalize(&v, None))
        .unwrap_or(Value::Null)
}

/// `None` when the update only touches updatable fields; otherwise the diff text that follows
/// `pod updates may not change fields other than ...` in the Forbidden error.
pub fn forbidden_spec_change(new: &PodSpec, old: &PodSpec) -> Option<String> {
    let munged = munge(new, old);
    let (a, b) = (spec_value(old), spec_value(&munged));
    if a == b {
        return None;
    }
    Some(unified_diff(&pretty(old), &pretty(&munged)))
}

/// The spec as `json.MarshalIndent(spec, "", " ")` writes it.
fn pretty(spec: &PodSpec) -> String {
    let value = serde_json::to_value(spec).unwrap_or(Value::Null);
    let mut out = String::new();
    write_indented(&value, 0, &mut out);
    out
}

fn write_indented(v: &Value, depth: usize, out: &mut String) {
    let pad = |d: usize| " ".repeat(d);
    match v {
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                write_indented(item, depth + 1, out);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(depth));
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            let n = map.len();
            for (i, (k, child)) in map.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                out.push_str(&super::field::go_json_string(k));
                out.push_str(": ");
                write_indented(child, depth + 1, out);
                if i + 1 < n {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(depth));
            out.push('}');
        }
        other => out.push_str(&super::field::go_json(other)),
    }
}

/// A unified diff with 3 lines of context and no file header, as `difflib.GetUnifiedDiffString`
/// writes it (`@@ -a,b +c,d @@` hunks).
pub fn unified_diff(a: &str, b: &str) -> String {
    let a_lines = split_lines(a);
    let b_lines = split_lines(b);
    let ops = diff_ops(&a_lines, &b_lines);
    let mut out = String::new();
    for hunk in group_hunks(&ops, 3) {
        let (a_start, a_end, b_start, b_end) = hunk_bounds(&hunk);
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(a_start, a_end),
            range(b_start, b_end)
        ));
        for op in &hunk {
            match op {
                Op::Equal(i, _) => out.push_str(&format!(" {}", a_lines[*i])),
                Op::Delete(i) => out.push_str(&format!("-{}", a_lines[*i])),
                Op::Insert(j) => out.push_str(&format!("+{}", b_lines[*j])),
            }
        }
    }
    out
}

/// `difflib.SplitLines`: lines keep their `\n`, and a `\n` is added to the last one.
fn split_lines(s: &str) -> Vec<String> {
    let mut lines: Vec<String> = s.split('\n').map(|l| format!("{l}\n")).collect();
    if lines.is_empty() {
        lines.push("\n".into());
    }
    lines
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Equal(usize, usize),
    Delete(usize),
    Insert(usize),
}

/// A line diff by longest common subsequence.
fn diff_ops(a: &[String], b: &[String]) -> Vec<Op> {
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::new();
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push(Op::Equal(i, j));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            ops.push(Op::Insert(j));
            j += 1;
        } else {
            ops.push(Op::Delete(i));
            i += 1;
        }
    }
    // difflib emits deletions before insertions within a change.
    let mut out = Vec::with_capacity(ops.len());
    let mut k = 0;
    while k < ops.len() {
        if matches!(ops[k], Op::Equal(..)) {
            out.push(ops[k]);
            k += 1;
            continue;
        }
        let start = k;
        while k < ops.len() && !matches!(ops[k], Op::Equal(..)) {
            k += 1;
        }
        out.extend(ops[start..k].iter().filter(|o| matches!(o, Op::Delete(_))));
        out.extend(ops[start..k].iter().filter(|o| matches!(o, Op::Insert(_))));
    }
    out
}

/// Groups operations into hunks with `context` equal lines around each change.
fn group_hunks(ops: &[Op], context: usize) -> Vec<Vec<Op>> {
    let changes: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, o)| !matches!(o, Op::Equal(..)))
        .map(|(i, _)| i)
        .collect();
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &c in &changes {
        let start = c.saturating_sub(context);
        let end = (c + context + 1).min(ops.len());
        match hunks.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => hunks.push((start, end)),
        }
    }
    hunks.into_iter().map(|(s, e)| ops[s..e].to_vec()).collect()
}

fn hunk_bounds(hunk: &[Op]) -> (usize, usize, usize, usize) {
    let mut a = (usize::MAX, 0);
    let mut b = (usize::MAX, 0);
    for op in hunk {
        match op {
            Op::Equal(i, j) => {
                a = (a.0.min(*i), a.1.max(i + 1));
                b = (b.0.min(*j), b.1.max(j + 1));
            }
            Op::Delete(i) => a = (a.0.min(*i), a.1.max(i + 1)),
            Op::Insert(j) => b = (b.0.min(*j), b.1.max(j + 1)),
        }
    }
    if a.0 == usize::MAX {
        a = (first_position(hunk, true), first_position(hunk, true));
    }
    if b.0 == usize::MAX {
        b = (first_position(hunk, false), first_position(hunk, false));
    }
    (a.0, a.1, b.0, b.1)
}

/// Where an empty side of a hunk sits (the line before which the other side's lines go).
fn first_position(hunk: &[Op], side_a: bool) -> usize {
    match hunk.first() {
        Some(Op::Delete(i)) if !side_a => *i,
        Some(Op::Insert(j)) if side_a => *j,
        _ => 0,
    }
}

/// `formatRangeUnified`.
fn range(start: usize, stop: usize) -> String {
    let beginning = start + 1;
    let length = stop - start;
    match length {
        1 => format!("{beginning}"),
        0 => format!("{},0", beginning - 1),
        _ => format!("{beginning},{length}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unified_diff_has_hunks_with_context() {
        let a = "{\n \"a\": 1,\n \"b\": 2,\n \"c\": 3,\n \"d\": 4,\n \"e\": 5\n}";
        let b = "{\n \"a\": 1,\n \"b\": 2,\n \"c\": 30,\n \"d\": 4,\n \"e\": 5\n}";
        assert_eq!(
            unified_diff(a, b),
            "@@ -1,7 +1,7 @@\n {\n  \"a\": 1,\n  \"b\": 2,\n- \"c\": 3,\n+ \"c\": 30,\n  \"d\": 4,\n  \"e\": 5\n }\n"
        );
    }

    #[test]
    fn image_changes_are_allowed() {
        let old: PodSpec = serde_json::from_value(serde_json::json!({
            "containers": [{"name": "a", "image": "nginx:1.0"}]
        }))
        .unwrap();
        let mut new = old.clone();
        new.containers[0].image = Some("nginx:2.0".into());
        assert_eq!(forbidden_spec_change(&new, &old), None);
        new.containers[0].args = Some(vec!["x".into()]);
        assert!(forbidden_spec_change(&new, &old).is_some());
    }

    #[test]
    fn empty_maps_and_equal_quantities_are_no_change() {
        let old: PodSpec = serde_json::from_value(serde_json::json!({
            "containers": [{"name": "a", "image": "x", "resources": {"limits": {"cpu": "0.5"}}}]
        }))
        .unwrap();
        let new: PodSpec = serde_json::from_value(serde_json::json!({
            "nodeSelector": {},
            "containers": [{"name": "a", "image": "x", "resources": {"limits": {"cpu": "500m"}}}]
        }))
        .unwrap();
        assert_eq!(forbidden_spec_change(&new, &old), None);
    }
}
