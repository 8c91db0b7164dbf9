//! `kubectl explain RESOURCE[.FIELD...] [--recursive] [--api-version=G/V]`: the documentation of a
//! kind and its fields, rendered as kubectl's OpenAPI v3 `plaintext` template does
//! (staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl and funcs.go):
//!
//! - `GROUP:`/`KIND:`/`VERSION:` header lines (GROUP only for a named group), then either the
//!   kind's or the field's `DESCRIPTION:` (the field's own text, then that of the type it refers
//!   to, word-wrapped at 76 columns by go-wordwrap and indented by 4) and its `FIELDS:`, each
//!   `name\t<type>` (` -required-` when required), its description wrapped at 76 and indented
//!   by 4, then a blank line; a field path shows `FIELD: name <type>` first;
//! - `--recursive` lists the field names only, two spaces deeper per level, not descending into a
//!   type already being listed on the way there;
//! - types read as kubectl guesses them: `string`, `[]Container`, `map[string]string`, `Object`,
//!   and the name of the referred type (`PodSpec`, `Quantity`, `IntOrString`).
//!
//! The text comes from the API's OpenAPI schema as the k8s-openapi crate carries it for v1.36
//! (generated into `explain_schema.txt` by `explain_schema.py`). That source drops the `enum`
//! lists of the server's document, so kubectl's `ENUM:` lines and `enum:` hints are not shown.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::args::Args;
use super::Env;
use crate::apiserver::resources::{self, ResourceInfo};

/// The generated documentation (see the module comment).
const SCHEMA_TEXT: &str = include_str!("explain_schema.txt");

/// A type of the schema: its description, type, required fields and properties.
#[derive(Debug, Default)]
struct Schema {
    description: String,
    /// `object`, `string`, or empty when the schema names no type (IntOrString, Quantity).
    ty: &'static str,
    required: Vec<&'static str>,
    /// (group, version, kind) for the kinds the API serves.
    gvk: Option<(&'static str, &'static str, &'static str)>,
    fields: BTreeMap<&'static str, Field>,
}

/// A property: its type expression and description.
#[derive(Debug, Default)]
struct Field {
    ty: &'static str,
    description: String,
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The schemas, parsed once.
fn schemas() -> &'static BTreeMap<&'static str, Schema> {
    static SCHEMAS: OnceLock<BTreeMap<&'static str, Schema>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        let mut out: BTreeMap<&'static str, Schema> = BTreeMap::new();
        let mut current: Option<&'static str> = None;
        for line in SCHEMA_TEXT.lines() {
            let parts: Vec<&'static str> = line.split('\t').collect();
            match parts.as_slice() {
                ["T", name, required, ty, gvk, description] => {
                    let gvk = match gvk.split('/').collect::<Vec<_>>().as_slice() {
                        [g, v, k] => Some((*g, *v, *k)),
                        _ => None,
                    };
                    let required = required.split(',').filter(|r| !r.is_empty()).collect();
                    let schema = Schema {
                        description: unescape(description),
                        ty,
                        required,
                        gvk,
                        fields: BTreeMap::new(),
                    };
                    out.insert(name, schema);
                    current = Some(name);
                }
                ["F", name, ty, description] => {
                    if let Some(schema) = current.and_then(|c| out.get_mut(c)) {
                        schema.fields.insert(
                            name,
                            Field {
                                ty,
                                description: unescape(description),
                            },
                        );
                    }
                }
                _ => {}
            }
        }
        out
    })
}

/// A node of the walk: a type expression with the description the document gives it there.
#[derive(Debug, Clone, Copy)]
struct Node<'a> {
    ty: &'a str,
    description: Option<&'a str>,
}

/// The element of `[]X`, the value of `map[string]X`, the name of `@X`.
enum Shape<'a> {
    Array(&'a str),
    Map(&'a str),
    Ref(&'a str),
    Primitive(&'a str),
}

fn shape(ty: &str) -> Shape<'_> {
    if let Some(inner) = ty.strip_prefix("[]") {
        Shape::Array(inner)
    } else if let Some(inner) = ty.strip_prefix("map[string]") {
        Shape::Map(inner)
    } else if let Some(name) = ty.strip_prefix('@') {
        Shape::Ref(name)
    } else {
        Shape::Primitive(ty)
    }
}

/// The template's `typeGuess`.
fn type_guess(ty: &str) -> String {
    match shape(ty) {
        Shape::Array(inner) => format!("[]{}", type_guess(inner)),
        Shape::Map(inner) => format!("map[string]{}", type_guess(inner)),
        Shape::Ref(name) => match schemas().get(name).map(|s| s.ty) {
            Some(t) if !t.is_empty() && t != "object" => t.to_string(),
            _ => name.rsplit('.').next().unwrap_or(name).to_string(),
        },
        Shape::Primitive("object" | "") => "Object".into(),
        Shape::Primitive(t) => t.to_string(),
    }
}

/// The template's `description`: the node's own text, then that of what it refers to (through
/// array items and map values), each followed by a newline.
fn description(node: Node) -> String {
    let mut out = String::new();
    if let Some(d) = node.description.filter(|d| !d.is_empty()) {
        out.push_str(d);
        out.push('\n');
    }
    match shape(node.ty) {
        Shape::Array(inner) | Shape::Map(inner) => out.push_str(&description(Node {
            ty: inner,
            description: None,
        })),
        Shape::Ref(name) => {
            if let Some(d) = schemas()
                .get(name)
                .map(|s| s.description.as_str())
                .filter(|d| !d.is_empty())
            {
                out.push_str(d);
                out.push('\n');
            }
        }
        Shape::Primitive(_) => {}
    }
    out
}

/// The type whose properties a node lists (through items, map values and references).
fn properties_of(ty: &str) -> Option<(&'static str, &'static Schema)> {
    match shape(ty) {
        Shape::Array(inner) | Shape::Map(inner) => properties_of(inner),
        Shape::Ref(name) => schemas().get_key_value(name).map(|(k, v)| (*k, v)),
        Shape::Primitive(_) => None,
    }
}

/// mitchellh/go-wordwrap v1.0.1 `WrapString`: break at whitespace so lines stay within `limit`
/// characters where possible (a longer word stays whole); existing newlines are kept.
pub fn wrap(s: &str, limit: usize) -> String {
    let mut out = String::with_capacity(s.len());
    let mut current = 0usize;
    let (mut word, mut space) = (String::new(), String::new());
    let (mut word_len, mut space_len) = (0usize, 0usize);
    for c in s.chars() {
        if c == '\n' {
            if word.is_empty() {
                if current + space_len <= limit {
                    out.push_str(&space);
                }
            } else {
                out.push_str(&space);
                out.push_str(&word);
            }
            space.clear();
            word.clear();
            space_len = 0;
            word_len = 0;
            out.push('\n');
            current = 0;
        } else if c.is_whitespace() && c != '\u{a0}' {
            if space.is_empty() || !word.is_empty() {
                current += space_len + word_len;
                out.push_str(&space);
                out.push_str(&word);
                space.clear();
                word.clear();
                space_len = 0;
                word_len = 0;
            }
            space.push(c);
            space_len += 1;
        } else {
            word.push(c);
            word_len += 1;
            if current + space_len + word_len > limit && word_len < limit {
                out.push('\n');
                current = 0;
                space.clear();
                space_len = 0;
            }
        }
    }
    if word.is_empty() {
        if current + space_len <= limit {
            out.push_str(&space);
        }
    } else {
        out.push_str(&space);
        out.push_str(&word);
    }
    out
}

/// The template's `indent`: the pad before the text and after each newline.
fn indent(n: usize, s: &str) -> String {
    let pad = " ".repeat(n);
    format!("{pad}{}", s.replace('\n', &format!("\n{pad}")))
}

/// The template's `fieldList` for a type (one level, or all levels with `recursive`).
fn field_list(
    schema_name: &str,
    level: usize,
    recursive: bool,
    history: &mut Vec<String>,
    out: &mut String,
) {
    if history.iter().any(|h| h == schema_name) {
        return;
    }
    let Some(schema) = schemas().get(schema_name) else {
        return;
    };
    history.push(schema_name.to_string());
    for (name, field) in &schema.fields {
        let pad = level * 2;
        out.push_str(&indent(pad, name));
        out.push('\t');
        out.push_str(&format!("<{}>", type_guess(field.ty)));
        if schema.required.contains(name) {
            out.push_str(" -required-");
        }
        out.push('\n');
        if recursive {
            if let Some((inner, _)) = properties_of(field.ty) {
                field_list(inner, level + 1, true, history, out);
            }
        } else {
            let text = if field.description.is_empty() {
                "<no description>"
            } else {
                &field.description
            };
            out.push_str(&indent(pad + 2, &wrap(text, 78usize.saturating_sub(pad))));
            out.push_str("\n\n");
        }
    }
    history.pop();
}

/// What `kubectl explain` prints after the header, or the name of a field that does not exist.
fn body(kind_schema: &str, path: &[String], recursive: bool) -> Result<String, String> {
    let mut out = String::new();
    let mut node = Node {
        ty: "",
        description: None,
    };
    let root = format!("@{kind_schema}");
    node.ty = &root;
    for (i, step) in path.iter().enumerate() {
        let Some((_, schema)) = properties_of(node.ty) else {
            return Err(path.last().cloned().unwrap_or_default());
        };
        let Some(field) = schema.fields.get(step.as_str()) else {
            return Err(path.last().cloned().unwrap_or_default());
        };
        if i + 1 == path.len() {
            out.push_str(&format!("FIELD: {step} <{}>\n\n\n", type_guess(field.ty)));
        }
        node = Node {
            ty: field.ty,
            description: Some(field.description.as_str()),
        };
    }
    let text = description(node);
    let text = if text.is_empty() {
        "<empty>".to_string()
    } else {
        text
    };
    out.push_str("DESCRIPTION:\n");
    out.push_str(&indent(4, &wrap(&text, 76)));
    out.push('\n');
    if let Some((name, schema)) = properties_of(node.ty) {
        if !schema.fields.is_empty() {
            out.push_str("FIELDS:\n");
            field_list(name, 1, recursive, &mut Vec::new(), &mut out);
        }
    }
    out.push('\n');
    Ok(out)
}

/// explain.SplitAndParseResourceRequestWithMatchingPrefix: the longest dotted prefix that names
/// a resource (`deployments.apps.spec` → `deployments.apps` and `spec`).
fn split_request(arg: &str) -> Result<(&'static ResourceInfo, Vec<String>), String> {
    let parts: Vec<&str> = arg.split('.').collect();
    for cut in (1..=parts.len()).rev() {
        let prefix = parts[..cut].join(".");
        if let Some(info) = resources::for_kubectl(&prefix) {
            let fields = parts[cut..].iter().map(|s| s.to_string()).collect();
            return Ok((info, fields));
        }
    }
    let resource = parts.first().copied().unwrap_or_default();
    Err(format!(
        "error: the server doesn't have a resource type \"{resource}\""
    ))
}

/// The schema of a group/version/kind.
fn schema_for(group: &str, version: &str, kind: &str) -> Option<&'static str> {
    schemas()
        .iter()
        .find(|(_, s)| s.gvk == Some((group, version, kind)))
        .map(|(name, _)| *name)
}

/// `kubectl explain`.
pub fn explain(args: &Args, env: &mut Env) {
    let words = args.positional.get(1..).unwrap_or_default();
    let arg = match words {
        [] => return env.out.fail("error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n"),
        [one] => one,
        _ => return env.out.fail("error: We accept only this format: explain RESOURCE\n"),
    };
    match args.flag("output").unwrap_or("plaintext") {
        "plaintext" => {}
        "plaintext-openapiv2" => {
            return env.out.fail(
                "error: podlab does not simulate \"kubectl explain --output=plaintext-openapiv2\"",
            )
        }
        other => return env.out.fail(format!("error: unrecognized format: {other}")),
    }
    let (info, path) = match split_request(arg) {
        Ok(r) => r,
        Err(e) => return env.out.fail(e),
    };
    let (group, version) = match args.flag("api-version") {
        Some(gv) => match gv.split_once('/') {
            Some((g, v)) => (g.to_string(), v.to_string()),
            None => (String::new(), gv.to_string()),
        },
        None => (info.group.to_string(), info.version.to_string()),
    };
    let Some(schema) = schema_for(&group, &version, info.kind) else {
        let gvr = if group.is_empty() {
            format!("/{version}, Resource={}", info.plural)
        } else {
            format!("{group}/{version}, Resource={}", info.plural)
        };
        return env
            .out
            .fail(format!("error: GVR ({gvr}) not found in OpenAPI schema"));
    };
    let mut out = String::new();
    if !group.is_empty() {
        out.push_str(&format!("GROUP:      {group}\n"));
    }
    out.push_str(&format!(
        "KIND:       {}\nVERSION:    {version}\n\n",
        info.kind
    ));
    match body(schema, &path, args.bool_flag("recursive", false)) {
        Ok(text) => {
            env.out.out.push_str(&out);
            env.out.out.push_str(&text);
        }
        Err(field) => env
            .out
            .fail(format!("error: field \"{field}\" does not exist")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_as_go_wordwrap() {
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        assert_eq!(wrap("a verylongword b", 4), "a\nverylongword\nb");
        assert_eq!(wrap("keep\nlines", 80), "keep\nlines");
    }

    #[test]
    fn pod_top_level_reads_as_kubectl() {
        let text = body("io.k8s.api.core.v1.Pod", &[], false).unwrap();
        // The real `kubectl explain pods` begins so (kubernetes/website and tutorials).
        assert!(text.starts_with("DESCRIPTION:\n    Pod is a collection of containers that can run on a host. This resource is\n    created by clients and scheduled onto hosts.\n    \nFIELDS:\n  apiVersion\t<string>\n    APIVersion defines the versioned schema of this representation of an object.\n    Servers should convert recognized schemas to the latest internal value, and\n    may reject unrecognized values. More info:\n    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources\n\n  kind\t<string>\n"));
        assert!(text.contains("  metadata\t<ObjectMeta>\n"));
        assert!(text.contains("  spec\t<PodSpec>\n"));
    }

    #[test]
    fn field_paths_show_the_field_and_its_type() {
        let text = body(
            "io.k8s.api.core.v1.Pod",
            &["spec".into(), "containers".into()],
            false,
        )
        .unwrap();
        assert!(text.starts_with("FIELD: containers <[]Container>\n\n\nDESCRIPTION:\n    List of containers belonging to the pod."));
        assert!(text.contains("  name\t<string> -required-\n"));
        assert!(text.contains("  resources\t<ResourceRequirements>\n"));
        let limits = body(
            "io.k8s.api.core.v1.Pod",
            &[
                "spec".into(),
                "containers".into(),
                "resources".into(),
                "limits".into(),
            ],
            false,
        )
        .unwrap();
        assert!(limits.starts_with("FIELD: limits <map[string]Quantity>\n"));
        assert_eq!(
            body(
                "io.k8s.api.core.v1.Pod",
                &["spec".into(), "nope".into()],
                false
            ),
            Err("nope".into())
        );
    }

    #[test]
    fn recursive_lists_names_only() {
        let text = body(
            "io.k8s.api.core.v1.Pod",
            &["spec".into(), "securityContext".into()],
            true,
        )
        .unwrap();
        assert!(text.contains("  seLinuxOptions\t<SELinuxOptions>\n    level\t<string>\n"));
        assert!(text.contains("  seccompProfile\t<SeccompProfile>\n    localhostProfile\t<string>\n    type\t<string> -required-\n"));
    }

    #[test]
    fn types_guess_as_kubectl() {
        assert_eq!(
            type_guess("@io.k8s.apimachinery.pkg.apis.meta.v1.Time"),
            "string"
        );
        assert_eq!(
            type_guess("@io.k8s.apimachinery.pkg.util.intstr.IntOrString"),
            "IntOrString"
        );
        assert_eq!(type_guess("map[string]string"), "map[string]string");
        assert_eq!(type_guess("object"), "Object");
    }
}
