//! The last rule of `ValidatePodUpdate`: once the updatable fields are copied from the old spec
//! ("munged"), the new spec must equal the old one (`apiequality.Semantic.DeepEqual`: nil and
//! empty lists and maps are equal, quantities compare by value). When it does not, the error
//! carries `diff.Diff(oldSpec, mungedSpec)` (k8s.io/apimachinery/pkg/util/diff): a unified diff,
//! 3 lines of context and no file header, of the two internal `core.PodSpec` values written by
//! `json.MarshalIndent(v, "", " ")`, computed by go-difflib (a port of Python's difflib, whose
//! `SequenceMatcher` this module reproduces, "popular" lines included).
//!
//! The internal layout (Go field names, every field written, embedded structs flattened) comes
//! from [`super::internal_schema_data`]; values come from the v1 objects through the v1→internal
//! conversion (host namespace fields move into the pod security context, `serviceAccount` feeds
//! `ServiceAccountName`).

use std::collections::HashMap;
use std::sync::OnceLock;

use k8s_openapi::api::core::v1::PodSpec;
use serde_json::{Map, Value};

use super::field::go_json_string;
use super::internal_schema_data::DATA;
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

/// `None` when the update only touches updatable fields; otherwise the diff text that follows
/// `pod updates may not change fields other than ...\n` in the Forbidden error.
pub fn forbidden_spec_change(new: &PodSpec, old: &PodSpec) -> Option<String> {
    let munged = munge(new, old);
    let old_node = render_pod_spec(old);
    let new_node = render_pod_spec(&munged);
    if semantic_eq(&old_node, &new_node) {
        return None;
    }
    Some(unified_diff(&pretty(&old_node), &pretty(&new_node)))
}

// ---------------------------------------------------------------------------------------------
// The internal layout
// ---------------------------------------------------------------------------------------------

enum IField {
    /// A field: output key, `omitempty`, v1 JSON name (empty when none), Go type.
    Field {
        key: &'static str,
        omit_empty: bool,
        v1: &'static str,
        ty: &'static str,
    },
    /// An embedded struct whose fields are promoted.
    Embedded(&'static str),
}

struct Layout {
    structs: HashMap<&'static str, Vec<IField>>,
    named: HashMap<&'static str, &'static str>,
}

fn layout() -> &'static Layout {
    static LAYOUT: OnceLock<Layout> = OnceLock::new();
    LAYOUT.get_or_init(|| {
        let mut structs = HashMap::new();
        let mut named = HashMap::new();
        for line in DATA.lines() {
            let mut parts = line.split(' ');
            match (parts.next(), parts.next()) {
                (Some("N"), Some(name)) => {
                    if let Some(u) = parts.next() {
                        named.insert(name, u);
                    }
                }
                (Some("S"), Some(name)) => {
                    let fields = parts.filter_map(parse_field).collect();
                    structs.insert(name, fields);
                }
                _ => {}
            }
        }
        Layout { structs, named }
    })
}

fn parse_field(token: &'static str) -> Option<IField> {
    if let Some(ty) = token.strip_prefix("~:") {
        return Some(IField::Embedded(ty));
    }
    let (key, rest) = token.split_once('=')?;
    let (v1, ty) = rest.split_once(':')?;
    let (key, omit_empty) = match key.strip_suffix('?') {
        Some(k) => (k, true),
        None => (key, false),
    };
    Some(IField::Field {
        key,
        omit_empty,
        v1,
        ty,
    })
}

/// A Go value about to be marshaled: kept typed enough for `Semantic.DeepEqual`.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    /// A quantity: its canonical string (what `MarshalJSON` writes) and its exact value.
    Quantity(String, i128),
    /// A slice.
    Arr(Vec<Node>),
    /// A map (keys sorted, as `encoding/json` writes them).
    Map(Vec<(String, Node)>),
    /// A struct, fields in declaration order.
    Obj(Vec<(String, Node)>),
}

impl Node {
    /// What `omitempty` leaves out.
    fn is_empty(&self) -> bool {
        match self {
            Node::Null => true,
            Node::Bool(b) => !b,
            Node::Num(n) => n == "0",
            Node::Str(s) => s.is_empty(),
            Node::Arr(a) => a.is_empty(),
            Node::Map(m) => m.is_empty(),
            Node::Quantity(..) | Node::Obj(_) => false,
        }
    }
}

/// The internal `core.PodSpec` converted from a v1 spec.
fn render_pod_spec(spec: &PodSpec) -> Node {
    let mut v = serde_json::to_value(spec).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        // Convert_v1_PodSpec_To_core_PodSpec.
        let sa_empty = map
            .get("serviceAccountName")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty);
        if sa_empty {
            if let Some(sa) = map.get("serviceAccount").cloned() {
                map.insert("serviceAccountName".into(), sa);
            }
        }
        let mut sc = match map.get("securityContext") {
            Some(Value::Object(o)) => o.clone(),
            _ => Map::new(),
        };
        for key in [
            "hostNetwork",
            "hostPID",
            "hostIPC",
            "shareProcessNamespace",
            "hostUsers",
        ] {
            match map.get(key) {
                Some(value) => sc.insert(key.into(), value.clone()),
                None => sc.remove(key),
            };
        }
        map.insert("securityContext".into(), Value::Object(sc));
    }
    render("core.PodSpec", Some(&v))
}

/// Renders the v1 JSON `v` as the Go value of internal type `ty`.
fn render(ty: &str, v: Option<&Value>) -> Node {
    let v = v.filter(|v| !v.is_null());
    if let Some(elem) = ty.strip_prefix('*') {
        return match v {
            None => Node::Null,
            Some(_) => render(elem, v),
        };
    }
    let l = layout();
    match ty {
        "resource.Quantity" => {
            let text = match v {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => "0".into(),
            };
            return match Quantity::parse(&text) {
                Ok(q) => Node::Quantity(q.canonical(), q.nanos()),
                Err(_) => Node::Str(text),
            };
        }
        "intstr.IntOrString" => {
            return match v {
                Some(Value::String(s)) => Node::Str(s.clone()),
                Some(Value::Number(n)) => Node::Num(n.to_string()),
                _ => Node::Num("0".into()),
            }
        }
        "meta.Time" | "meta.MicroTime" => {
            return match v {
                Some(Value::String(s)) => Node::Str(s.clone()),
                _ => Node::Null,
            }
        }
        "types.UID" | "string" => {
            return Node::Str(v.and_then(Value::as_str).unwrap_or("").to_string())
        }
        "bool" => return Node::Bool(v.and_then(Value::as_bool).unwrap_or(false)),
        "int" | "int32" | "int64" | "uint64" | "float64" => {
            return Node::Num(v.map_or("0".to_string(), |n| n.to_string()));
        }
        _ => {}
    }
    if let Some(u) = l.named.get(ty) {
        return render(u, v);
    }
    if let Some(elem) = ty.strip_prefix("[]") {
        return match v {
            None => Node::Null,
            Some(Value::String(s)) if elem == "byte" => Node::Str(s.clone()),
            Some(Value::Array(items)) => {
                Node::Arr(items.iter().map(|i| render(elem, Some(i))).collect())
            }
            Some(_) => Node::Null,
        };
    }
    if let Some(rest) = ty.strip_prefix("map[") {
        let elem = rest.split_once(']').map_or("string", |(_, e)| e);
        return match v {
            Some(Value::Object(m)) => Node::Map(
                m.iter()
                    .map(|(k, val)| (k.clone(), render(elem, Some(val))))
                    .collect(),
            ),
            _ => Node::Null,
        };
    }
    match l.structs.get(ty) {
        Some(fields) => {
            let empty = Map::new();
            let obj = match v {
                Some(Value::Object(o)) => o,
                _ => &empty,
            };
            let mut out = Vec::new();
            render_fields(fields, obj, &mut out);
            Node::Obj(out)
        }
        None => match v {
            Some(other) => json_node(other),
            None => Node::Null,
        },
    }
}

fn render_fields(fields: &[IField], obj: &Map<String, Value>, out: &mut Vec<(String, Node)>) {
    for f in fields {
        match f {
            IField::Embedded(ty) => {
                if let Some(inner) = layout().structs.get(ty) {
                    render_fields(inner, obj, out);
                }
            }
            IField::Field {
                key,
                omit_empty,
                v1,
                ty,
            } => {
                let child = if v1.is_empty() { None } else { obj.get(*v1) };
                let node = render(ty, child);
                // `omitempty` never drops a struct; times and int-or-strings are structs whose
                // MarshalJSON may still write `null` or `0`.
                let struct_like =
                    matches!(*ty, "meta.Time" | "meta.MicroTime" | "intstr.IntOrString");
                if !(*omit_empty && !struct_like && node.is_empty()) {
                    out.push((key.to_string(), node));
                }
            }
        }
    }
}

/// A JSON value of a type without a layout (`runtime.RawExtension` and the like).
fn json_node(v: &Value) -> Node {
    match v {
        Value::Null => Node::Null,
        Value::Bool(b) => Node::Bool(*b),
        Value::Number(n) => Node::Num(n.to_string()),
        Value::String(s) => Node::Str(s.clone()),
        Value::Array(a) => Node::Arr(a.iter().map(json_node).collect()),
        Value::Object(m) => Node::Map(m.iter().map(|(k, v)| (k.clone(), json_node(v))).collect()),
    }
}

/// `Semantic.DeepEqual`: nil and empty slices and maps are equal, quantities compare by value.
fn semantic_eq(a: &Node, b: &Node) -> bool {
    match (a, b) {
        (Node::Null, Node::Arr(x)) | (Node::Arr(x), Node::Null) => x.is_empty(),
        (Node::Null, Node::Map(x)) | (Node::Map(x), Node::Null) => x.is_empty(),
        (Node::Quantity(_, x), Node::Quantity(_, y)) => x == y,
        (Node::Arr(x), Node::Arr(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| semantic_eq(a, b))
        }
        (Node::Map(x), Node::Map(y)) | (Node::Obj(x), Node::Obj(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && semantic_eq(va, vb))
        }
        _ => a == b,
    }
}

/// `json.MarshalIndent(v, "", " ")`.
fn pretty(node: &Node) -> String {
    let mut out = String::new();
    write_pretty(node, 0, &mut out);
    out
}

fn write_pretty(node: &Node, depth: usize, out: &mut String) {
    let pad = |d: usize| " ".repeat(d);
    match node {
        Node::Null => out.push_str("null"),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Num(n) => out.push_str(n),
        Node::Str(s) | Node::Quantity(s, _) => out.push_str(&go_json_string(s)),
        Node::Arr(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                write_pretty(item, depth + 1, out);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(depth));
            out.push(']');
        }
        Node::Map(fields) | Node::Obj(fields) => {
            if fields.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push_str("{\n");
            for (i, (k, v)) in fields.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                out.push_str(&go_json_string(k));
                out.push_str(": ");
                write_pretty(v, depth + 1, out);
                if i + 1 < fields.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(depth));
            out.push('}');
        }
    }
}

// ---------------------------------------------------------------------------------------------
// go-difflib
// ---------------------------------------------------------------------------------------------

/// `difflib.SplitLines`: lines keep their `\n`, and a `\n` is added to the last one.
fn split_lines(s: &str) -> Vec<String> {
    s.split('\n').map(|l| format!("{l}\n")).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Match {
    a: usize,
    b: usize,
    size: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OpCode {
    tag: u8,
    i1: usize,
    i2: usize,
    j1: usize,
    j2: usize,
}

/// `difflib.SequenceMatcher` over lines, with `autoJunk` (lines occurring more than 1% of the
/// time in `b`, when `b` has at least 200 lines, are "popular" and never start a match).
struct SequenceMatcher<'a> {
    a: &'a [String],
    b: &'a [String],
    b2j: HashMap<&'a str, Vec<usize>>,
}

impl<'a> SequenceMatcher<'a> {
    fn new(a: &'a [String], b: &'a [String]) -> Self {
        let mut b2j: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, line) in b.iter().enumerate() {
            b2j.entry(line.as_str()).or_default().push(i);
        }
        let n = b.len();
        if n >= 200 {
            let ntest = n / 100 + 1;
            b2j.retain(|_, idxs| idxs.len() <= ntest);
        }
        SequenceMatcher { a, b, b2j }
    }

    fn find_longest_match(&self, alo: usize, ahi: usize, blo: usize, bhi: usize) -> Match {
        let (mut besti, mut bestj, mut bestsize) = (alo, blo, 0);
        let mut j2len: HashMap<usize, usize> = HashMap::new();
        for i in alo..ahi {
            let mut new_j2len = HashMap::new();
            if let Some(js) = self.b2j.get(self.a[i].as_str()) {
                for &j in js {
                    if j < blo {
                        continue;
                    }
                    if j >= bhi {
                        break;
                    }
                    let k = j
                        .checked_sub(1)
                        .and_then(|p| j2len.get(&p))
                        .copied()
                        .unwrap_or(0)
                        + 1;
                    new_j2len.insert(j, k);
                    if k > bestsize {
                        besti = i + 1 - k;
                        bestj = j + 1 - k;
                        bestsize = k;
                    }
                }
            }
            j2len = new_j2len;
        }
        // There is no junk besides the popular lines, which may extend a match on both sides.
        while besti > alo && bestj > blo && self.a[besti - 1] == self.b[bestj - 1] {
            besti -= 1;
            bestj -= 1;
            bestsize += 1;
        }
        while besti + bestsize < ahi
            && bestj + bestsize < bhi
            && self.a[besti + bestsize] == self.b[bestj + bestsize]
        {
            bestsize += 1;
        }
        Match {
            a: besti,
            b: bestj,
            size: bestsize,
        }
    }

    fn matching_blocks(&self) -> Vec<Match> {
        let mut matched = Vec::new();
        self.match_blocks(0, self.a.len(), 0, self.b.len(), &mut matched);
        let mut non_adjacent = Vec::new();
        let (mut i1, mut j1, mut k1) = (0, 0, 0);
        for m in matched {
            if i1 + k1 == m.a && j1 + k1 == m.b {
                k1 += m.size;
            } else {
                if k1 > 0 {
                    non_adjacent.push(Match {
                        a: i1,
                        b: j1,
                        size: k1,
                    });
                }
                (i1, j1, k1) = (m.a, m.b, m.size);
            }
        }
        if k1 > 0 {
            non_adjacent.push(Match {
                a: i1,
                b: j1,
                size: k1,
            });
        }
        non_adjacent.push(Match {
            a: self.a.len(),
            b: self.b.len(),
            size: 0,
        });
        non_adjacent
    }

    fn match_blocks(
        &self,
        alo: usize,
        ahi: usize,
        blo: usize,
        bhi: usize,
        matched: &mut Vec<Match>,
    ) {
        let m = self.find_longest_match(alo, ahi, blo, bhi);
        if m.size > 0 {
            if alo < m.a && blo < m.b {
                self.match_blocks(alo, m.a, blo, m.b, matched);
            }
            matched.push(m);
            if m.a + m.size < ahi && m.b + m.size < bhi {
                self.match_blocks(m.a + m.size, ahi, m.b + m.size, bhi, matched);
            }
        }
    }

    fn opcodes(&self) -> Vec<OpCode> {
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        for m in self.matching_blocks() {
            let tag = if i < m.a && j < m.b {
                b'r'
            } else if i < m.a {
                b'd'
            } else if j < m.b {
                b'i'
            } else {
                0
            };
            if tag != 0 {
                out.push(OpCode {
                    tag,
                    i1: i,
                    i2: m.a,
                    j1: j,
                    j2: m.b,
                });
            }
            i = m.a + m.size;
            j = m.b + m.size;
            if m.size > 0 {
                out.push(OpCode {
                    tag: b'e',
                    i1: m.a,
                    i2: i,
                    j1: m.b,
                    j2: j,
                });
            }
        }
        out
    }

    fn grouped_opcodes(&self, n: usize) -> Vec<Vec<OpCode>> {
        let mut codes = self.opcodes();
        if codes.is_empty() {
            codes.push(OpCode {
                tag: b'e',
                i1: 0,
                i2: 1,
                j1: 0,
                j2: 1,
            });
        }
        if let Some(c) = codes.first_mut() {
            if c.tag == b'e' {
                c.i1 = c.i1.max(c.i2.saturating_sub(n));
                c.j1 = c.j1.max(c.j2.saturating_sub(n));
            }
        }
        if let Some(c) = codes.last_mut() {
            if c.tag == b'e' {
                c.i2 = c.i2.min(c.i1 + n);
                c.j2 = c.j2.min(c.j1 + n);
            }
        }
        let nn = n + n;
        let mut groups = Vec::new();
        let mut group = Vec::new();
        for mut c in codes {
            if c.tag == b'e' && c.i2 - c.i1 > nn {
                group.push(OpCode {
                    tag: b'e',
                    i1: c.i1,
                    i2: c.i2.min(c.i1 + n),
                    j1: c.j1,
                    j2: c.j2.min(c.j1 + n),
                });
                groups.push(std::mem::take(&mut group));
                c.i1 = c.i1.max(c.i2.saturating_sub(n));
                c.j1 = c.j1.max(c.j2.saturating_sub(n));
            }
            group.push(c);
        }
        if !matches!(group.as_slice(), [] | [OpCode { tag: b'e', .. }]) {
            groups.push(group);
        }
        groups
    }
}

/// `formatRangeUnified`.
fn format_range(start: usize, stop: usize) -> String {
    let beginning = start + 1;
    match stop - start {
        1 => format!("{beginning}"),
        0 => format!("{},0", beginning - 1),
        length => format!("{beginning},{length}"),
    }
}

/// `difflib.GetUnifiedDiffString` with 3 lines of context and no file names.
pub fn unified_diff(a: &str, b: &str) -> String {
    let (a, b) = (split_lines(a), split_lines(b));
    let matcher = SequenceMatcher::new(&a, &b);
    let mut out = String::new();
    for group in matcher.grouped_opcodes(3) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            format_range(first.i1, last.i2),
            format_range(first.j1, last.j2)
        ));
        for c in &group {
            if c.tag == b'e' {
                for line in &a[c.i1..c.i2] {
                    out.push(' ');
                    out.push_str(line);
                }
                continue;
            }
            if c.tag == b'r' || c.tag == b'd' {
                for line in &a[c.i1..c.i2] {
                    out.push('-');
                    out.push_str(line);
                }
            }
            if c.tag == b'r' || c.tag == b'i' {
                for line in &b[c.j1..c.j2] {
                    out.push('+');
                    out.push_str(line);
                }
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "pod_diff_tests.rs"]
mod tests;
