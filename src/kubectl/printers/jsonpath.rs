//! `kubectl get -o jsonpath=...`: a port of k8s.io/client-go/util/jsonpath (parser.go,
//! jsonpath.go) and cli-runtime's JSONPathPrinter, with kubectl's defaults
//! (`--allow-missing-template-keys=true`).
//!
//! Templates mix literal text with `{...}` actions: fields `.a.b`, `['a.b']`, indexes and slices
//! `[0]`, `[-1]`, `[1:3]`, `[*]`, unions `[0,1]`, recursive descent `..`, filters
//! `[?(@.type=="Ready")]`, quoted text `{"\n"}`, and `{range ...}...{end}`. Within one action,
//! several results are separated by a space; maps and lists print as compact JSON.

use serde_json::Value;

use super::gofmt::{classify, format_float_g, GoNumber};
use super::json::{to_compact_json, to_json};

/// How the template is run (kubectl flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonPathOptions {
    /// `--allow-missing-template-keys` (kubectl's default: true): a missing field yields nothing
    /// instead of the error `<field> is not found`.
    pub allow_missing_keys: bool,
    /// `-o jsonpath-as-json`: each action's results as an indented JSON array.
    pub output_json: bool,
}

impl Default for JsonPathOptions {
    fn default() -> Self {
        JsonPathOptions {
            allow_missing_keys: true,
            output_json: false,
        }
    }
}

/// What `kubectl get ... -o jsonpath=TEMPLATE` prints for the object `v` (for a list, the
/// `kind: List` object), or the complete error text kubectl prints instead (starting with
/// `error: `, ending with a newline; kubectl then exits with 1).
pub fn render(template: &str, v: &Value) -> Result<String, String> {
    render_with(template, v, JsonPathOptions::default())
}

/// `render` with explicit options.
pub fn render_with(template: &str, v: &Value, opts: JsonPathOptions) -> Result<String, String> {
    let root =
        parse(template).map_err(|e| format!("error: error parsing jsonpath {template}, {e}\n"))?;
    let mut engine = Engine {
        root,
        allow_missing_keys: opts.allow_missing_keys,
        output_json: opts.output_json,
        begin_range: 0,
        in_range: 0,
        end_range: 0,
        last_end_node: None,
    };
    engine
        .execute(v)
        .map_err(|e| execution_error(template, &e, v))
}

/// JSONPathPrinter.PrintObj's error, as cmdutil.CheckErr prints it.
fn execution_error(template: &str, err: &str, v: &Value) -> String {
    format!(
        "error: error executing jsonpath {}: Error executing template: {err}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n\n",
        go_quote(template),
        go_sharp_v(v)
    )
}

/// What custom-columns does with a column's template: FindResults with missing keys allowed,
/// then fmt.Sprint of every result of the first action. `Ok(None)` when there is no result (the
/// column shows `<none>`); `Err` holds the parse or execution error text.
pub(crate) fn column_values(template: &str, v: &Value) -> Result<Option<Vec<String>>, String> {
    let root = parse(template)?;
    let mut engine = Engine {
        root,
        allow_missing_keys: true,
        output_json: false,
        begin_range: 0,
        in_range: 0,
        end_range: 0,
        last_end_node: None,
    };
    let results = engine.find_results(Item::Json(v), 0)?;
    if results.first().is_none_or(Vec::is_empty) {
        return Ok(None);
    }
    Ok(Some(results.iter().flatten().map(Item::sprint).collect()))
}

// ---------------------------------------------------------------------------------------------
// Parse tree (node.go)

#[derive(Clone, Debug)]
enum Node {
    List(Vec<Node>),
    Text(String),
    Field(String),
    Identifier(String),
    Array([Param; 3]),
    Filter {
        left: Vec<Node>,
        right: Vec<Node>,
        operator: String,
    },
    Int(i64),
    Float(f64),
    Bool(bool),
    Wildcard,
    Recursive,
    Union(Vec<Vec<Node>>),
}

#[derive(Clone, Copy, Debug, Default)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

// ---------------------------------------------------------------------------------------------
// Parser (parser.go)

struct Parser {
    input: Vec<char>,
    pos: usize,
    start: usize,
    /// The top-level nodes: text and one list per action.
    root: Vec<Node>,
    /// The nodes of the action being parsed.
    action: Vec<Node>,
}

type ParseResult = Result<(), String>;

fn parse(text: &str) -> Result<Vec<Node>, String> {
    let mut p = Parser {
        input: text.chars().collect(),
        pos: 0,
        start: 0,
        root: Vec::new(),
        action: Vec::new(),
    };
    p.parse_text()?;
    Ok(p.root)
}

/// parseAction: the nodes of one `{text}` action.
fn parse_action(text: &str) -> Result<Vec<Node>, String> {
    let nodes = parse(&format!("{{{text}}}"))?;
    match nodes.into_iter().next() {
        Some(Node::List(inner)) => Ok(inner),
        _ => Ok(Vec::new()),
    }
}

fn is_terminator(r: Option<char>) -> bool {
    match r {
        None => true,
        Some(c) => matches!(
            c,
            ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'
        ),
    }
}

fn is_alphanumeric(r: Option<char>) -> bool {
    r.is_some_and(|c| c == '_' || c.is_alphabetic() || c.is_numeric())
}

/// Go's %#U: `U+0025 '%'`.
fn go_unicode_format(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{c}'", c as u32)
    }
}

impl Parser {
    fn rest_starts_with(&self, prefix: &str) -> bool {
        (self.pos..)
            .zip(prefix.chars())
            .all(|(i, c)| self.input.get(i) == Some(&c))
    }

    fn next(&mut self) -> Option<char> {
        let c = self.input.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn backup(&mut self, c: Option<char>) {
        if c.is_some() {
            self.pos -= 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.input.get(self.pos).copied()
    }

    fn char_before(&self, back: usize) -> Option<char> {
        self.pos
            .checked_sub(back)
            .and_then(|i| self.input.get(i))
            .copied()
    }

    fn consume_text(&mut self) -> String {
        let from = self.start.min(self.pos);
        let text: String = self.input[from..self.pos].iter().collect();
        self.start = self.pos;
        text
    }

    /// parseText: literal text up to each `{`, then the action.
    fn parse_text(&mut self) -> ParseResult {
        loop {
            if self.rest_starts_with("{") {
                if self.pos > self.start {
                    let text = self.consume_text();
                    self.root.push(Node::Text(text));
                }
                // parseLeftDelim
                self.pos += 1;
                self.consume_text();
                self.parse_inside_action()?;
                continue;
            }
            if self.next().is_none() {
                break;
            }
        }
        if self.pos > self.start {
            let text = self.consume_text();
            self.root.push(Node::Text(text));
        }
        Ok(())
    }

    /// parseInsideAction, up to and including the closing `}`.
    fn parse_inside_action(&mut self) -> ParseResult {
        loop {
            if self.rest_starts_with("}") {
                // parseRightDelim
                self.pos += 1;
                self.consume_text();
                let action = std::mem::take(&mut self.action);
                self.root.push(Node::List(action));
                return Ok(());
            }
            if self.rest_starts_with("[?(") {
                self.parse_filter()?;
                continue;
            }
            if self.rest_starts_with("..") {
                self.parse_recursive()?;
                continue;
            }
            let r = self.next();
            match r {
                None | Some('\r') | Some('\n') => return Err("unclosed action".to_string()),
                Some(' ') | Some('@') | Some('$') => {
                    self.consume_text();
                }
                Some('[') => self.parse_array()?,
                Some(q @ ('"' | '\'')) => self.parse_quote(q)?,
                Some('.') => self.parse_field(),
                Some(c) if c == '+' || c == '-' || c.is_numeric() => {
                    self.backup(r);
                    self.parse_number()?;
                }
                Some(_) if is_alphanumeric(r) => {
                    self.backup(r);
                    self.parse_identifier();
                }
                Some(c) => {
                    return Err(format!(
                        "unrecognized character in action: {}",
                        go_unicode_format(c)
                    ))
                }
            }
        }
    }

    fn parse_identifier(&mut self) {
        loop {
            let r = self.next();
            if is_terminator(r) {
                self.backup(r);
                break;
            }
        }
        let value = self.consume_text();
        match value.as_str() {
            "true" => self.action.push(Node::Bool(true)),
            "false" => self.action.push(Node::Bool(false)),
            _ => self.action.push(Node::Identifier(value)),
        }
    }

    fn parse_recursive(&mut self) -> ParseResult {
        if matches!(self.action.last(), Some(Node::Recursive)) {
            return Err("invalid multiple recursive descent".to_string());
        }
        self.pos += 2;
        self.consume_text();
        self.action.push(Node::Recursive);
        if is_alphanumeric(self.peek()) {
            self.parse_field();
        }
        Ok(())
    }

    fn parse_number(&mut self) -> ParseResult {
        if matches!(self.peek(), Some('+') | Some('-')) {
            self.next();
        }
        loop {
            let r = self.next();
            if !(r == Some('.') || r.is_some_and(char::is_numeric)) {
                self.backup(r);
                break;
            }
        }
        let value = self.consume_text();
        if let Ok(i) = value.parse::<i64>() {
            self.action.push(Node::Int(i));
            return Ok(());
        }
        if let Ok(f) = value.parse::<f64>() {
            self.action.push(Node::Float(f));
            return Ok(());
        }
        Err(format!("cannot parse number {value}"))
    }

    fn parse_array(&mut self) -> ParseResult {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated array".to_string()),
                Some(']') => break,
                _ => {}
            }
        }
        let full: Vec<char> = self.consume_text().chars().collect();
        let inner: String = full
            .get(1..full.len().saturating_sub(1))
            .unwrap_or_default()
            .iter()
            .collect();
        let text = if inner == "*" { ":".to_string() } else { inner };
        let parts: Vec<&str> = text.split(',').collect();
        if parts.len() > 1 {
            let mut union = Vec::new();
            for part in parts {
                union.push(parse_action(&format!("[{}]", part.trim_matches(' ')))?);
            }
            self.action.push(Node::Union(union));
            return Ok(());
        }
        if let Some(key) = dict_key(&text) {
            let nodes = parse_action(&format!(".{key}"))?;
            self.action.extend(nodes);
            return Ok(());
        }
        let params = parse_slice(&text)?;
        self.action.push(Node::Array(params));
        Ok(())
    }

    fn parse_filter(&mut self) -> ParseResult {
        self.pos += 3;
        self.consume_text();
        let mut begin = false;
        let mut end = false;
        let mut pair = '"';
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated filter".to_string()),
                Some(q @ ('"' | '\'')) => {
                    if !begin {
                        begin = true;
                        pair = q;
                        continue;
                    }
                    if self.char_before(2) != Some('\\') && q == pair {
                        end = true;
                    }
                }
                Some(')') if begin == end => break,
                _ => {}
            }
        }
        if self.next() != Some(']') {
            return Err("unclosed array expect ]".to_string());
        }
        let full: Vec<char> = self.consume_text().chars().collect();
        let text: String = full[..full.len().saturating_sub(2)].iter().collect();
        let node = match split_filter(&text) {
            None => Node::Filter {
                left: parse_action(&text)?,
                right: Vec::new(),
                operator: "exists".to_string(),
            },
            Some((left, operator, right)) => Node::Filter {
                left: parse_action(left)?,
                right: parse_action(right)?,
                operator: operator.to_string(),
            },
        };
        self.action.push(node);
        Ok(())
    }

    fn parse_quote(&mut self, end: char) -> ParseResult {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated quoted string".to_string()),
                Some(c) if c == end && self.char_before(2) != Some('\\') => break,
                _ => {}
            }
        }
        let value = self.consume_text();
        let text =
            unquote_extend(&value).map_err(|e| format!("unquote string {value} error {e}"))?;
        self.action.push(Node::Text(text));
        Ok(())
    }

    fn parse_field(&mut self) {
        self.consume_text();
        while self.advance() {}
        let value = self.consume_text();
        if value == "*" {
            self.action.push(Node::Wildcard);
        } else {
            self.action.push(Node::Field(value.replace('\\', "")));
        }
    }

    fn advance(&mut self) -> bool {
        let r = self.next();
        if r == Some('\\') {
            self.next();
        } else if is_terminator(r) {
            self.backup(r);
            return false;
        }
        true
    }
}

/// dictKeyRex `^'([^']*)'$`.
fn dict_key(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    (!inner.contains('\'')).then_some(inner)
}

/// sliceOperatorRex `^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$` and the parameter rules of parseArray:
/// a missing end is start + 1 ("derived"), a missing start or step is unknown.
fn parse_slice(text: &str) -> Result<[Param; 3], String> {
    let groups = slice_groups(text).ok_or_else(|| format!("invalid array index {text}"))?;
    let mut params = [Param::default(); 3];
    for (i, group) in groups.iter().enumerate() {
        if group.is_empty() {
            if i == 1 {
                params[1] = Param {
                    value: params[0].value + 1,
                    known: true,
                    derived: true,
                };
            }
            continue;
        }
        let digits = if i > 0 { &group[1..] } else { group.as_str() };
        if i > 0 && digits.is_empty() {
            continue;
        }
        params[i].known = true;
        params[i].value = digits
            .parse()
            .map_err(|_| format!("array index {digits} is not a number"))?;
    }
    Ok(params)
}

/// The three groups of sliceOperatorRex ("" when absent; the 2nd and 3rd keep their colon).
fn slice_groups(text: &str) -> Option<[String; 3]> {
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() > 3 {
        return None;
    }
    let valid = |s: &str| {
        let digits = s.strip_prefix('-').unwrap_or(s);
        digits.chars().all(|c| c.is_ascii_digit())
    };
    if !parts.iter().all(|p| valid(p)) {
        return None;
    }
    let group = |i: usize| parts.get(i).map_or(String::new(), |p| format!(":{p}"));
    Some([parts[0].to_string(), group(1), group(2)])
}

/// The filter regex `^([^!<>=]+)([!<>=]+)(.+?)$`.
fn split_filter(text: &str) -> Option<(&str, &str, &str)> {
    let is_op = |c: char| matches!(c, '!' | '<' | '>' | '=');
    let left_end = text.find(is_op)?;
    if left_end == 0 {
        return None;
    }
    let rest = &text[left_end..];
    let op_len = rest.find(|c: char| !is_op(c)).unwrap_or(rest.len());
    let right = &rest[op_len..];
    if right.is_empty() || right.contains('\n') {
        return None;
    }
    Some((&text[..left_end], &rest[..op_len], right))
}

/// UnquoteExtend: a single- or double-quoted string with Go's escapes.
fn unquote_extend(s: &str) -> Result<String, String> {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    if n < 2 {
        return Err("invalid syntax".to_string());
    }
    let quote = chars[0];
    if quote != chars[n - 1] || (quote != '"' && quote != '\'') {
        return Err("invalid syntax".to_string());
    }
    let body = &chars[1..n - 1];
    if !body.contains(&'\\') && !body.contains(&quote) {
        return Ok(body.iter().collect());
    }
    let mut out = String::new();
    let mut i = 0;
    while i < body.len() {
        let c = body[i];
        if c == quote && c == '\'' {
            return Err("invalid syntax".to_string());
        }
        if c != '\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let esc = *body.get(i + 1).ok_or("invalid syntax")?;
        i += 2;
        let simple = match esc {
            'a' => Some('\u{07}'),
            'b' => Some('\u{08}'),
            'f' => Some('\u{0C}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\u{0B}'),
            '\\' => Some('\\'),
            '\'' | '"' if esc == quote => Some(esc),
            _ => None,
        };
        if let Some(c) = simple {
            out.push(c);
            continue;
        }
        let hex_len = match esc {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            '0'..='7' => {
                let digits: String = body[i - 1..].iter().take(3).collect();
                if digits.len() < 3 || !digits.chars().all(|d| ('0'..='7').contains(&d)) {
                    return Err("invalid syntax".to_string());
                }
                let v = u32::from_str_radix(&digits, 8).map_err(|_| "invalid syntax")?;
                if v > 255 {
                    return Err("invalid syntax".to_string());
                }
                out.push(char::from_u32(v).ok_or("invalid syntax")?);
                i += 2;
                continue;
            }
            _ => return Err("invalid syntax".to_string()),
        };
        let digits: String = body[i.min(body.len())..].iter().take(hex_len).collect();
        if digits.chars().count() < hex_len {
            return Err("invalid syntax".to_string());
        }
        let v = u32::from_str_radix(&digits, 16).map_err(|_| "invalid syntax")?;
        out.push(char::from_u32(v).ok_or("invalid syntax")?);
        i += hex_len;
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Evaluation (jsonpath.go)

/// A reflect.Value as the Go engine sees it.
#[derive(Clone, Debug)]
enum Item<'a> {
    /// A value of the object (a nil interface for JSON null).
    Json(&'a Value),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A byte of a string (wildcards iterate strings).
    Byte(u8),
    /// reflect.ValueOf(nil).
    Invalid,
}

/// The comparable kinds of the template package (basicKind).
#[derive(Clone, Debug, PartialEq)]
enum Basic {
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
}

const ERR_BAD_COMPARISON_TYPE: &str = "invalid type for comparison";
const ERR_BAD_COMPARISON: &str = "incompatible types for comparison";

impl<'a> Item<'a> {
    fn is_nil(&self) -> bool {
        matches!(self, Item::Json(Value::Null))
    }

    fn as_array(&self) -> Option<&'a [Value]> {
        match self {
            Item::Json(Value::Array(a)) => Some(a),
            _ => None,
        }
    }

    /// Go's type name, as `%v is not array or slice` prints value.Type().
    fn type_name(&self) -> String {
        match self {
            Item::Json(Value::Object(_)) => "map[string]interface {}".to_string(),
            Item::Json(Value::Array(_)) => "[]interface {}".to_string(),
            Item::Json(Value::String(_)) | Item::Str(_) => "string".to_string(),
            Item::Json(Value::Bool(_)) | Item::Bool(_) => "bool".to_string(),
            Item::Json(Value::Number(n)) => match classify(n) {
                GoNumber::Int(_) => "int64".to_string(),
                GoNumber::Float(_) => "float64".to_string(),
            },
            Item::Int(_) => "int".to_string(),
            Item::Float(_) => "float64".to_string(),
            Item::Byte(_) => "uint8".to_string(),
            Item::Json(Value::Null) | Item::Invalid => "<nil>".to_string(),
        }
    }

    fn basic(&self) -> Result<Basic, String> {
        Ok(match self {
            Item::Json(Value::Bool(b)) | Item::Bool(b) => Basic::Bool(*b),
            Item::Json(Value::String(s)) => Basic::Str(s.clone()),
            Item::Str(s) => Basic::Str(s.clone()),
            Item::Json(Value::Number(n)) => match classify(n) {
                GoNumber::Int(i) => Basic::Int(i as i64),
                GoNumber::Float(f) => Basic::Float(f),
            },
            Item::Int(i) => Basic::Int(*i),
            Item::Float(f) => Basic::Float(*f),
            Item::Byte(b) => Basic::Uint(*b as u64),
            _ => return Err(ERR_BAD_COMPARISON_TYPE.to_string()),
        })
    }

    /// evalToText / json.Marshal, as PrintResults prints one result.
    fn print(&self) -> String {
        match self {
            Item::Json(v @ (Value::Object(_) | Value::Array(_))) => to_compact_json(v),
            Item::Json(Value::Null) => "null".to_string(),
            Item::Json(Value::String(s)) => s.clone(),
            Item::Json(Value::Bool(b)) | Item::Bool(b) => b.to_string(),
            Item::Json(Value::Number(n)) => match classify(n) {
                GoNumber::Int(i) => i.to_string(),
                GoNumber::Float(f) => format_float_g(f),
            },
            Item::Str(s) => s.clone(),
            Item::Int(i) => i.to_string(),
            Item::Float(f) => format_float_g(*f),
            Item::Byte(b) => b.to_string(),
            Item::Invalid => "<no value>".to_string(),
        }
    }

    /// fmt.Sprint of the value (maps as `map[k:v]`, lists as `[a b]`, nil as `<nil>`).
    fn sprint(&self) -> String {
        match self {
            Item::Json(v) => go_v(v),
            Item::Invalid => "<nil>".to_string(),
            other => other.print(),
        }
    }

    /// The value as JSON, for `-o jsonpath-as-json`.
    fn to_value(&self) -> Value {
        match self {
            Item::Json(v) => (*v).clone(),
            Item::Str(s) => Value::String(s.clone()),
            Item::Int(i) => Value::from(*i),
            Item::Float(f) => Value::from(*f),
            Item::Bool(b) => Value::Bool(*b),
            Item::Byte(b) => Value::from(*b),
            Item::Invalid => Value::Null,
        }
    }

    /// The children a wildcard or recursive descent visits (map values in key order, list
    /// items, a string's bytes).
    fn children(&self) -> Vec<Item<'a>> {
        match self {
            Item::Json(Value::Object(m)) => m.values().map(Item::Json).collect(),
            Item::Json(Value::Array(a)) => a.iter().map(Item::Json).collect(),
            Item::Json(Value::String(s)) => s.bytes().map(Item::Byte).collect(),
            Item::Str(s) => s.bytes().map(Item::Byte).collect(),
            _ => Vec::new(),
        }
    }
}

/// template.Equal for one pair.
fn equal(left: &Item, right: &Item) -> Result<bool, String> {
    let (a, b) = (left.basic()?, right.basic()?);
    Ok(match (&a, &b) {
        (Basic::Int(x), Basic::Uint(y)) => *x >= 0 && *x as u64 == *y,
        (Basic::Uint(x), Basic::Int(y)) => *y >= 0 && *x == *y as u64,
        (Basic::Bool(x), Basic::Bool(y)) => x == y,
        (Basic::Int(x), Basic::Int(y)) => x == y,
        (Basic::Uint(x), Basic::Uint(y)) => x == y,
        (Basic::Float(x), Basic::Float(y)) => x == y,
        (Basic::Str(x), Basic::Str(y)) => x == y,
        _ => return Err(ERR_BAD_COMPARISON.to_string()),
    })
}

/// template.Less.
fn less(left: &Item, right: &Item) -> Result<bool, String> {
    let (a, b) = (left.basic()?, right.basic()?);
    Ok(match (&a, &b) {
        (Basic::Int(x), Basic::Uint(y)) => *x < 0 || (*x as u64) < *y,
        (Basic::Uint(x), Basic::Int(y)) => *y >= 0 && *x < *y as u64,
        (Basic::Bool(_), Basic::Bool(_)) => return Err(ERR_BAD_COMPARISON_TYPE.to_string()),
        (Basic::Int(x), Basic::Int(y)) => x < y,
        (Basic::Uint(x), Basic::Uint(y)) => x < y,
        (Basic::Float(x), Basic::Float(y)) => x < y,
        (Basic::Str(x), Basic::Str(y)) => x < y,
        _ => return Err(ERR_BAD_COMPARISON.to_string()),
    })
}

fn compare(operator: &str, left: &Item, right: &Item) -> Result<bool, String> {
    match operator {
        "<" => less(left, right),
        ">" => Ok(!(less(left, right)? || equal(left, right)?)),
        "==" => equal(left, right),
        "!=" => Ok(!equal(left, right)?),
        "<=" => Ok(less(left, right)? || equal(left, right)?),
        ">=" => Ok(!less(left, right)?),
        other => Err(format!("unrecognized filter operator {other}")),
    }
}

struct Engine {
    root: Vec<Node>,
    allow_missing_keys: bool,
    output_json: bool,
    begin_range: usize,
    in_range: usize,
    end_range: usize,
    last_end_node: Option<usize>,
}

impl Engine {
    fn execute(&mut self, data: &Value) -> Result<String, String> {
        let results = self.find_results(Item::Json(data), 0)?;
        let mut out = String::new();
        for result in &results {
            out.push_str(&self.print_results(result));
        }
        Ok(out)
    }

    /// FindResults, from the root node at `start` (Go re-slices parser.Root.Nodes for ranges).
    fn find_results<'a>(
        &mut self,
        data: Item<'a>,
        start: usize,
    ) -> Result<Vec<Vec<Item<'a>>>, String> {
        let cur = vec![data];
        let mut full: Vec<Vec<Item<'a>>> = Vec::new();
        let len = self.root.len();
        let mut i = start;
        while i < len {
            let node = self.root[i].clone();
            let results = self.walk(cur.clone(), &node)?;
            if self.end_range > 0 && self.end_range <= self.in_range {
                self.end_range -= 1;
                self.last_end_node = Some(i);
                break;
            }
            if self.begin_range > 0 {
                self.begin_range -= 1;
                self.in_range += 1;
                if results.is_empty() {
                    self.find_results(Item::Invalid, i + 1)?;
                } else {
                    for value in results {
                        let value = if value.is_nil() { Item::Invalid } else { value };
                        let next = self.find_results(value, i + 1)?;
                        full.extend(next);
                    }
                }
                self.in_range -= 1;
                if let Some(k) = ((i + 1)..len).find(|&k| Some(k) == self.last_end_node) {
                    i = k;
                }
                i += 1;
                continue;
            }
            full.push(results);
            i += 1;
        }
        Ok(full)
    }

    fn print_results(&self, results: &[Item]) -> String {
        if self.output_json {
            let array = Value::Array(results.iter().map(Item::to_value).collect());
            return to_json(&array);
        }
        results
            .iter()
            .map(Item::print)
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn walk<'a>(&mut self, input: Vec<Item<'a>>, node: &Node) -> Result<Vec<Item<'a>>, String> {
        match node {
            Node::List(nodes) => self.eval_list(input, nodes),
            Node::Text(t) => Ok(vec![Item::Str(t.clone())]),
            Node::Field(name) => self.eval_field(input, name),
            Node::Array(params) => eval_array(input, params),
            Node::Filter {
                left,
                right,
                operator,
            } => self.eval_filter(input, left, right, operator),
            Node::Int(v) => Ok(input.iter().map(|_| Item::Int(*v)).collect()),
            Node::Float(v) => Ok(input.iter().map(|_| Item::Float(*v)).collect()),
            Node::Bool(v) => Ok(input.iter().map(|_| Item::Bool(*v)).collect()),
            Node::Wildcard => Ok(input
                .iter()
                .filter(|v| !v.is_nil())
                .flat_map(Item::children)
                .collect()),
            Node::Recursive => Ok(eval_recursive(input)),
            Node::Union(lists) => {
                let mut result = Vec::new();
                for list in lists {
                    result.extend(self.eval_list(input.clone(), list)?);
                }
                Ok(result)
            }
            Node::Identifier(name) => self.eval_identifier(input, name),
        }
    }

    fn eval_list<'a>(
        &mut self,
        input: Vec<Item<'a>>,
        nodes: &[Node],
    ) -> Result<Vec<Item<'a>>, String> {
        let mut cur = input;
        for node in nodes {
            cur = self.walk(cur, node)?;
        }
        Ok(cur)
    }

    fn eval_identifier<'a>(
        &mut self,
        input: Vec<Item<'a>>,
        name: &str,
    ) -> Result<Vec<Item<'a>>, String> {
        match name {
            "range" => {
                self.begin_range += 1;
                Ok(input)
            }
            "end" => {
                if self.in_range > 0 {
                    self.end_range += 1;
                    Ok(Vec::new())
                } else {
                    Err("not in range, nothing to end".to_string())
                }
            }
            other => Err(format!("unrecognized identifier {other}")),
        }
    }

    fn eval_field<'a>(&self, input: Vec<Item<'a>>, name: &str) -> Result<Vec<Item<'a>>, String> {
        if input.is_empty() {
            return Ok(Vec::new());
        }
        let results: Vec<Item<'a>> = input
            .iter()
            .filter_map(|v| match v {
                Item::Json(Value::Object(m)) => m.get(name).map(Item::Json),
                _ => None,
            })
            .collect();
        if results.is_empty() && !self.allow_missing_keys {
            return Err(format!("{name} is not found"));
        }
        Ok(results)
    }

    fn eval_filter<'a>(
        &mut self,
        input: Vec<Item<'a>>,
        left: &[Node],
        right: &[Node],
        operator: &str,
    ) -> Result<Vec<Item<'a>>, String> {
        let mut results = Vec::new();
        for value in &input {
            let Some(items) = value.as_array() else {
                return Err(format!(
                    "{} is not array or slice and cannot be filtered",
                    go_v_item(value)
                ));
            };
            for element in items {
                let temp = vec![Item::Json(element)];
                let lefts = self.eval_list(temp.clone(), left);
                if operator == "exists" {
                    if lefts.is_ok_and(|l| !l.is_empty()) {
                        results.push(Item::Json(element));
                    }
                    continue;
                }
                let lefts = lefts?;
                let left_value = match lefts.len() {
                    0 => continue,
                    1 => lefts[0].clone(),
                    _ => return Err("can only compare one element at a time".to_string()),
                };
                let rights = self.eval_list(temp, right)?;
                let right_value = match rights.len() {
                    0 => continue,
                    1 => rights[0].clone(),
                    _ => return Err("can only compare one element at a time".to_string()),
                };
                if compare(operator, &left_value, &right_value)? {
                    results.push(Item::Json(element));
                }
            }
        }
        Ok(results)
    }
}

/// evalArray: indexes and slices with Go's bounds errors.
fn eval_array<'a>(input: Vec<Item<'a>>, node_params: &[Param; 3]) -> Result<Vec<Item<'a>>, String> {
    let mut result = Vec::new();
    for value in &input {
        if value.is_nil() {
            continue;
        }
        let Some(items) = value.as_array() else {
            return Err(format!("{} is not array or slice", value.type_name()));
        };
        let mut params = *node_params;
        let len = items.len() as i64;
        if !params[0].known {
            params[0].value = 0;
        }
        if params[0].value < 0 {
            params[0].value += len;
        }
        if !params[1].known {
            params[1].value = len;
        }
        if params[1].value < 0 || (params[1].value == 0 && params[1].derived) {
            params[1].value += len;
        }
        let (start, end) = (params[0].value, params[1].value);
        if end == start {
            return Ok(result);
        }
        if start >= len || start < 0 {
            return Err(format!(
                "array index out of bounds: index {start}, length {len}"
            ));
        }
        if end > len || end < 0 {
            return Err(format!(
                "array index out of bounds: index {}, length {len}",
                end - 1
            ));
        }
        if start > end {
            return Err(format!(
                "starting index {start} is greater than ending index {end}"
            ));
        }
        let step = if params[2].known {
            if params[2].value <= 0 {
                return Err("step must be > 0".to_string());
            }
            params[2].value as usize
        } else {
            1
        };
        let slice = items.get(start as usize..end as usize).unwrap_or(&[]);
        result.extend(slice.iter().step_by(step).map(Item::Json));
    }
    Ok(result)
}

/// evalRecursive: every value that has children, followed by its descendants.
fn eval_recursive(input: Vec<Item>) -> Vec<Item> {
    let mut result = Vec::new();
    for value in input {
        if value.is_nil() {
            continue;
        }
        let children = value.children();
        if !children.is_empty() {
            result.push(value);
            result.extend(eval_recursive(children));
        }
    }
    result
}

// ---------------------------------------------------------------------------------------------
// Go formatting for error messages

/// Go's %q (strconv.Quote).
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0B}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's %#v of unstructured content (map[string]interface {}{...}).
fn go_sharp_v(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let entries: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}:{}", go_quote(k), go_sharp_v_in_interface(v)))
                .collect();
            format!("map[string]interface {{}}{{{}}}", entries.join(", "))
        }
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(go_sharp_v_in_interface).collect();
            format!("[]interface {{}}{{{}}}", items.join(", "))
        }
        Value::String(s) => go_quote(s),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match classify(n) {
            GoNumber::Int(i) => i.to_string(),
            GoNumber::Float(f) => format_float_g(f),
        },
        Value::Null => "<nil>".to_string(),
    }
}

/// %#v of a value held in an interface (a nil one prints as `interface {}(nil)`).
fn go_sharp_v_in_interface(v: &Value) -> String {
    match v {
        Value::Null => "interface {}(nil)".to_string(),
        other => go_sharp_v(other),
    }
}

/// Go's %v of unstructured content (map[k:v], [a b]).
fn go_v(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let entries: Vec<String> = m.iter().map(|(k, v)| format!("{k}:{}", go_v(v))).collect();
            format!("map[{}]", entries.join(" "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(go_v).collect::<Vec<_>>().join(" ")),
        Value::Null => "<nil>".to_string(),
        other => Item::Json(other).print(),
    }
}

fn go_v_item(item: &Item) -> String {
    match item {
        Item::Json(v) => go_v(v),
        Item::Invalid => "<invalid reflect.Value>".to_string(),
        other => other.print(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod() -> Value {
        json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "hello", "namespace": "default", "deletionGracePeriodSeconds": 30,
                         "labels": {"app": "web", "kubernetes.io/name": "x"}},
            "spec": {"nodeName": "worker-1",
                     "containers": [{"name": "hello", "imagePullPolicy": "Always"}, {"name": "side", "imagePullPolicy": "IfNotPresent"}]},
            "status": {
                "phase": "Running",
                "conditions": [
                    {"type": "PodScheduled", "status": "True"},
                    {"type": "Ready", "status": "False"}
                ],
                "containerStatuses": [{"name": "hello", "ready": true, "restartCount": 0,
                    "state": {"running": {"startedAt": "2026-11-21T14:56:42Z"}},
                    "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}}}]
            }
        })
    }

    fn run(template: &str) -> String {
        render(template, &pod()).unwrap()
    }

    #[test]
    fn fields_and_indexes_as_in_cases_02_07_12() {
        assert_eq!(run("{.spec.containers[0].imagePullPolicy}"), "Always");
        assert_eq!(
            run("{.spec.nodeName} {.status.conditions[0].type}={.status.conditions[0].status}"),
            "worker-1 PodScheduled=True"
        );
        assert_eq!(run("{.metadata.deletionGracePeriodSeconds}"), "30");
        assert_eq!(run("{.spec.containers[-1].name}"), "side");
        assert_eq!(run("{.spec.containers[0:2].name}"), "hello side");
        assert_eq!(run("{.spec.containers[0,1].name}"), "hello side");
    }

    #[test]
    fn wildcards_and_missing_keys_as_in_cases_k01_k02() {
        assert_eq!(
            run("{.status.phase} {.status.containerStatuses[0].ready} {.status.containerStatuses[0].restartCount} {.status.conditions[*].type}"),
            "Running true 0 PodScheduled Ready"
        );
        assert_eq!(
            run("{.status.containerStatuses[0].state.waiting.reason} {.status.containerStatuses[0].lastState.terminated.exitCode} {.status.containerStatuses[0].lastState.terminated.reason}"),
            " 1 Error"
        );
    }

    #[test]
    fn maps_and_lists_print_as_json_as_in_cases_10_k06() {
        let slices = json!({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""},
            "items": [{"endpoints": [{"addresses": ["10.244.5.2"],
                "conditions": {"ready": true, "serving": true, "terminating": false}}]}]});
        assert_eq!(
            render(
                "{.items[0].endpoints[0].conditions} {.items[0].endpoints[0].addresses}",
                &slices
            )
            .unwrap(),
            "{\"ready\":true,\"serving\":true,\"terminating\":false} [\"10.244.5.2\"]"
        );
    }

    #[test]
    fn range_filters_and_quoted_text() {
        assert_eq!(
            run("{range .spec.containers[*]}{.name}{\"\\n\"}{end}"),
            "hello\nside\n"
        );
        assert_eq!(
            run("{range .status.conditions[*]}{.type}={.status};{end}"),
            "PodScheduled=True;Ready=False;"
        );
        assert_eq!(
            run("{.status.conditions[?(@.type==\"Ready\")].status}"),
            "False"
        );
        assert_eq!(
            run("{.spec.containers[?(@.imagePullPolicy!='Always')].name}"),
            "side"
        );
        assert_eq!(
            run("{.status.containerStatuses[?(@.restartCount<1)].name}"),
            "hello"
        );
        assert_eq!(run("{.spec.containers[?(@.name)].name}"), "hello side");
        assert_eq!(run("{.metadata.labels.kubernetes\\.io/name}"), "x");
        assert_eq!(run("{.metadata.labels['app']}"), "web");
        assert_eq!(run("{..restartCount}"), "0");
        assert_eq!(run("name: {.metadata.name}"), "name: hello");
    }

    #[test]
    fn errors_as_kubectl_prints_them() {
        assert_eq!(
            render("{.metadata.name", &pod()).unwrap_err(),
            "error: error parsing jsonpath {.metadata.name, unclosed action\n"
        );
        assert_eq!(
            render("{%}", &pod()).unwrap_err(),
            "error: error parsing jsonpath {%}, unrecognized character in action: U+0025 '%'\n"
        );
        let small = json!({"kind": "Pod", "spec": {"containers": [{"name": "a"}]}});
        assert_eq!(
            render("{.spec.containers[3].name}", &small).unwrap_err(),
            "error: error executing jsonpath \"{.spec.containers[3].name}\": Error executing template: array index out of bounds: index 3, length 1. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{.spec.containers[3].name}\n\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{\"kind\":\"Pod\", \"spec\":map[string]interface {}{\"containers\":[]interface {}{map[string]interface {}{\"name\":\"a\"}}}}\n\n\n"
        );
        let strict = JsonPathOptions {
            allow_missing_keys: false,
            output_json: false,
        };
        let err = render_with("{.x}", &small, strict).unwrap_err();
        assert!(err.starts_with("error: error executing jsonpath \"{.x}\": Error executing template: x is not found. Printing more information"));
        assert!(render("{end}", &small)
            .unwrap_err()
            .contains("not in range, nothing to end"));
    }

    /// Cases of client-go's jsonpath_test.go TestKubernetes, TestEmptyRange and the points data.
    #[test]
    fn client_go_test_cases() {
        let nodes = json!({
            "kind": "List",
            "items": [
                {"kind": "None",
                 "metadata": {"name": "127.0.0.1", "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
                 "status": {"capacity": {"cpu": "4"}, "ready": true,
                            "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}]}},
                {"kind": "None",
                 "metadata": {"name": "127.0.0.2", "labels": {"kubernetes.io/hostname": "127.0.0.2"}},
                 "status": {"capacity": {"cpu": "8"}, "ready": false,
                            "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.2"},
                                          {"type": "another", "address": "127.0.0.3"}]}}
            ],
            "users": [
                {"name": "myself", "user": {}},
                {"name": "e2e", "user": {"username": "admin", "password": "secret"}}
            ]
        });
        let cases = [
            (
                "{range .items[*]}{.metadata.name}, {end}{.kind}",
                "127.0.0.1, 127.0.0.2, List",
            ),
            (
                "{range .items[*]}{.metadata.name}{\"\\t\"}{end}",
                "127.0.0.1\t127.0.0.2\t",
            ),
            (
                "{.items[*].status.addresses[*].address}",
                "127.0.0.1 127.0.0.2 127.0.0.3",
            ),
            (
                "{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}",
                "127.0.0.1, 127.0.0.2, 127.0.0.3, ",
            ),
            ("{.items[*].metadata.name}", "127.0.0.1 127.0.0.2"),
            (
                "{.items[*]['metadata.name', 'status.capacity']}",
                "127.0.0.1 127.0.0.2 {\"cpu\":\"4\"} {\"cpu\":\"8\"}",
            ),
            (
                "{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}",
                "[127.0.0.1, {\"cpu\":\"4\"}] [127.0.0.2, {\"cpu\":\"8\"}] ",
            ),
            ("{.users[?(@.name==\"e2e\")].user.password}", "secret"),
            (
                "{.items[0].metadata.labels.kubernetes\\.io/hostname}",
                "127.0.0.1",
            ),
            (
                "{.items[?(@.metadata.labels.kubernetes\\.io/hostname==\"127.0.0.1\")].kind}",
                "None",
            ),
            ("{.items[?(@..ready==true)].metadata.name}", "127.0.0.1"),
            ("{..name}", "127.0.0.1 127.0.0.2 myself e2e"),
        ];
        let strict = JsonPathOptions {
            allow_missing_keys: false,
            output_json: false,
        };
        for (template, want) in cases {
            assert_eq!(
                render_with(template, &nodes, strict).unwrap(),
                want,
                "{template}"
            );
        }
        let empty = json!({"items": []});
        assert_eq!(
            render("{range .items[*]}{.metadata.name}{end}", &empty).unwrap(),
            ""
        );
        assert_eq!(
            render("{range .items[*]}{.metadata.name}{\":\"}{range @.spec.containers[*]}{.name}{\",\"}{end}{\"+\"}{end}", &empty).unwrap(),
            ""
        );
        let points = json!([
            {"id": "i1", "x": 4, "y": -5},
            {"id": "i2", "x": -2, "y": -5, "z": 1},
            {"id": "i3", "x": 8, "y": 3},
            {"id": "i4", "x": -6, "y": -1},
            {"id": "i5", "x": 0, "y": 2, "z": 1},
            {"id": "i6", "x": 1, "y": 4},
            {"id": "i7", "x": null, "y": 4}
        ]);
        assert_eq!(
            render_with("{[?(@.z)].id}", &points, strict).unwrap(),
            "i2 i5"
        );
        assert_eq!(render_with("{[0]['id']}", &points, strict).unwrap(), "i1");
        assert_eq!(render_with("{[-1]['x']}", &points, strict).unwrap(), "null");
    }

    #[test]
    fn jsonpath_as_json() {
        let opts = JsonPathOptions {
            allow_missing_keys: true,
            output_json: true,
        };
        assert_eq!(
            render_with("{.metadata.name}", &pod(), opts).unwrap(),
            "[\n    \"hello\"\n]\n"
        );
    }
}
