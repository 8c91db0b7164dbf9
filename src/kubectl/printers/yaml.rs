//! `kubectl get -o yaml`: sigs.k8s.io/yaml.Marshal, i.e. the object's JSON re-read and written by
//! go-yaml v2 (go.yaml.in/yaml/v2 v2.4.x: encode.go `stringv`, resolve.go `resolve`, sorter.go
//! `keyList.Less`, emitterc.go). This is a port of the parts of the libyaml emitter that a JSON value
//! reaches: block mappings and sequences (sequences inside mappings are not indented), `{}`/`[]` for
//! empty collections, the plain/single/double-quoted/literal scalar styles with their selection rules,
//! and the 80-column folding of long scalars.

use serde_json::Value;
use std::cmp::Ordering;

use super::gofmt::{classify, format_float_g, GoNumber};

/// Prints `v` as `kubectl get -o yaml` does (the text ends with a newline).
pub fn to_yaml(v: &Value) -> String {
    let mut emitter = Emitter::new();
    emitter.emit_node(v, Context::root());
    // Document end: yaml_emitter_emit_document_end writes an indent at level 0, i.e. ends the line.
    emitter.indent = -1;
    emitter.write_indent();
    emitter.out
}

/// The scalar styles of libyaml.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// A scalar as go-yaml's encoder hands it to the emitter: its text and requested style.
struct Scalar {
    text: String,
    style: Style,
}

/// Where a node sits (yaml_emitter_emit_node's root/sequence/mapping/simple_key flags).
#[derive(Clone, Copy, Default)]
struct Context {
    mapping: bool,
    simple_key: bool,
}

impl Context {
    fn root() -> Self {
        Context::default()
    }
    fn sequence_item() -> Self {
        Context::default()
    }
    fn mapping_value() -> Self {
        Context {
            mapping: true,
            simple_key: false,
        }
    }
    fn simple_key() -> Self {
        Context {
            mapping: true,
            simple_key: true,
        }
    }
}

/// What yaml_emitter_analyze_scalar finds out about a scalar.
struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

const BEST_INDENT: i32 = 2;
const BEST_WIDTH: usize = 80;
const MAX_SIMPLE_KEY_LENGTH: usize = 128;

struct Emitter {
    out: String,
    column: usize,
    indent: i32,
    whitespace: bool,
    indention: bool,
    flow_level: u32,
}

impl Emitter {
    fn new() -> Self {
        Emitter {
            out: String::new(),
            column: 0,
            indent: -1,
            whitespace: true,
            indention: true,
            flow_level: 0,
        }
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// write_break: a '\n' becomes the emitter's line break, other breaks are copied.
    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn write_all(&mut self, s: &str) {
        for c in s.chars() {
            self.put(c);
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, indicator: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        self.write_all(indicator);
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }

    fn emit_node(&mut self, v: &Value, ctx: Context) {
        match v {
            Value::Array(items) if items.is_empty() || self.flow_level > 0 => {
                self.emit_empty_flow("[", "]")
            }
            Value::Array(items) => self.emit_block_sequence(items, ctx),
            Value::Object(map) if map.is_empty() || self.flow_level > 0 => {
                self.emit_empty_flow("{", "}")
            }
            Value::Object(map) => {
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                entries.sort_by(|a, b| go_yaml_key_order(a.0, b.0));
                self.emit_block_mapping(&entries);
            }
            scalar => self.emit_scalar(&scalar_of(scalar), ctx),
        }
    }

    /// An empty sequence or mapping: the emitter switches to flow style (`[]`, `{}`).
    fn emit_empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        let saved = self.indent;
        self.increase_indent(true, false);
        self.flow_level += 1;
        self.flow_level -= 1;
        self.indent = saved;
        self.write_indicator(close, false, false, false);
    }

    fn emit_block_sequence(&mut self, items: &[Value], ctx: Context) {
        let saved = self.indent;
        // A sequence that is a mapping's value is not indented ("indentless").
        self.increase_indent(false, ctx.mapping && !self.indention);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.emit_node(item, Context::sequence_item());
        }
        self.indent = saved;
    }

    fn emit_block_mapping(&mut self, entries: &[(&String, &Value)]) {
        let saved = self.indent;
        self.increase_indent(false, false);
        for (key, value) in entries {
            self.write_indent();
            let key = string_scalar(key);
            let analysis = analyze_scalar(&key.text);
            let simple = !analysis.multiline && key.text.len() <= MAX_SIMPLE_KEY_LENGTH;
            if simple {
                self.emit_scalar(&key, Context::simple_key());
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.emit_scalar(&key, Context::mapping_value());
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.emit_node(value, Context::mapping_value());
        }
        self.indent = saved;
    }

    fn emit_scalar(&mut self, scalar: &Scalar, ctx: Context) {
        let analysis = analyze_scalar(&scalar.text);
        let style = self.select_style(scalar, &analysis, ctx);
        let saved = self.indent;
        self.increase_indent(true, false);
        let allow_breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(&scalar.text, allow_breaks),
            Style::SingleQuoted => self.write_single_quoted(&scalar.text, allow_breaks),
            Style::DoubleQuoted => self.write_double_quoted(&scalar.text, allow_breaks),
            Style::Literal => self.write_literal(&scalar.text),
        }
        self.indent = saved;
    }

    /// yaml_emitter_select_scalar_style.
    fn select_style(&self, scalar: &Scalar, analysis: &Analysis, ctx: Context) -> Style {
        let mut style = scalar.style;
        if ctx.simple_key && analysis.multiline {
            style = Style::DoubleQuoted;
        }
        if style == Style::Plain {
            let plain_allowed = if self.flow_level > 0 {
                analysis.flow_plain_allowed
            } else {
                analysis.block_plain_allowed
            };
            if !plain_allowed || (scalar.text.is_empty() && (self.flow_level > 0 || ctx.simple_key))
            {
                style = Style::SingleQuoted;
            }
        }
        if style == Style::SingleQuoted && !analysis.single_quoted_allowed {
            style = Style::DoubleQuoted;
        }
        if style == Style::Literal
            && (!analysis.block_allowed || self.flow_level > 0 || ctx.simple_key)
        {
            style = Style::DoubleQuoted;
        }
        style
    }

    fn write_plain(&mut self, text: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_is_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !next_is_space {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, text: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_is_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < chars.len()
                    && !next_is_space
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, text: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        // go-yaml checks for a byte order mark at the start of the value for every character.
        let starts_with_bom = chars.first() == Some(&'\u{FEFF}');
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || starts_with_bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                self.write_all(&escape_for_double_quotes(c));
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < chars.len()
                {
                    self.write_indent();
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, text: &str) {
        self.write_indicator("|", true, false, false);
        self.write_block_scalar_hints(text);
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in text.chars() {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }

    /// The indentation indicator (when the text starts with a space or break) and the chomping
    /// indicator: `-` without a final break, `+` with more than one.
    fn write_block_scalar_hints(&mut self, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        if chars.first().is_some_and(|&c| c == ' ' || is_break(c)) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let n = chars.len();
        let chomp = match (chars.last(), n) {
            (None, _) => Some("-"),
            (Some(&last), _) if !is_break(last) => Some("-"),
            (Some(_), 1) => Some("+"),
            (Some(_), _) if chars.get(n.wrapping_sub(2)).is_some_and(|&c| is_break(c)) => Some("+"),
            _ => None,
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
        }
    }
}

/// How go-yaml escapes a character inside double quotes (after the backslash).
fn escape_for_double_quotes(c: char) -> String {
    let short = match c {
        '\0' => Some('0'),
        '\u{07}' => Some('a'),
        '\u{08}' => Some('b'),
        '\t' => Some('t'),
        '\n' => Some('n'),
        '\u{0B}' => Some('v'),
        '\u{0C}' => Some('f'),
        '\r' => Some('r'),
        '\u{1B}' => Some('e'),
        '"' => Some('"'),
        '\\' => Some('\\'),
        '\u{85}' => Some('N'),
        '\u{A0}' => Some('_'),
        '\u{2028}' => Some('L'),
        '\u{2029}' => Some('P'),
        _ => None,
    };
    if let Some(s) = short {
        return s.to_string();
    }
    let v = c as u32;
    if v <= 0xFF {
        format!("x{v:02X}")
    } else if v <= 0xFFFF {
        format!("u{v:04X}")
    } else {
        format!("U{v:08X}")
    }
}

/// libyaml's is_break: CR, LF, NEL, LS, PS.
fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// libyaml's is_printable, as go-yaml implements it on UTF-8 bytes: LF, printable ASCII,
/// U+00A0..U+D7FF and U+E000..U+FFFD except the BOM. Characters beyond the BMP are not.
fn is_printable(c: char) -> bool {
    let v = c as u32;
    v == 0x0A
        || (0x20..=0x7E).contains(&v)
        || (0xA0..=0xD7FF).contains(&v)
        || ((0xE000..=0xFFFD).contains(&v) && v != 0xFEFF)
}

/// yaml_emitter_analyze_scalar.
fn analyze_scalar(text: &str) -> Analysis {
    if text.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let chars: Vec<char> = text.chars().collect();
    let mut block_indicators = false;
    let mut flow_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;

    if text.starts_with("---") || text.starts_with("...") {
        block_indicators = true;
        flow_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let n = chars.len();
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_whitespace = chars.get(i + 1).is_none_or(|&next| is_blank(next));
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                '?' | ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '-' if followed_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_indicators = true,
                ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '#' if preceded_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        }
        if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == n {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == n {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blank(c) || is_break(c) || c == '\0';
    }

    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if flow_indicators {
        a.flow_plain_allowed = false;
    }
    if block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// The scalar go-yaml's encoder emits for a JSON scalar (nilv, boolv, intv, floatv, stringv).
fn scalar_of(v: &Value) -> Scalar {
    let plain = |text: String| Scalar {
        text,
        style: Style::Plain,
    };
    match v {
        Value::Null => plain("null".to_string()),
        Value::Bool(b) => plain(b.to_string()),
        Value::Number(n) => match classify(n) {
            GoNumber::Int(i) => plain(i.to_string()),
            GoNumber::Float(f) => plain(yaml_float(f)),
        },
        Value::String(s) => string_scalar(s),
        // Collections never reach here.
        Value::Array(_) | Value::Object(_) => plain(String::new()),
    }
}

/// floatv: strconv 'g' formatting, with YAML's spellings of the infinities and NaN.
fn yaml_float(f: f64) -> String {
    match format_float_g(f).as_str() {
        "+Inf" => ".inf".to_string(),
        "-Inf" => "-.inf".to_string(),
        "NaN" => ".nan".to_string(),
        other => other.to_string(),
    }
}

/// stringv: literal style for text with a newline; plain when the text would read back as the
/// same string; double quotes when it would read back as something else (a number, bool, null,
/// timestamp or base 60 float).
fn string_scalar(s: &str) -> Scalar {
    let can_use_plain = resolves_to_string(s) && !is_base60_float(s);
    let style = if s.contains('\n') {
        Style::Literal
    } else if can_use_plain {
        Style::Plain
    } else {
        Style::DoubleQuoted
    };
    Scalar {
        text: s.to_string(),
        style,
    }
}

/// resolve.go `resolve("", s)` returns the str tag.
fn resolves_to_string(s: &str) -> bool {
    let first = match s.as_bytes().first() {
        None => return false, // the empty string reads back as null
        Some(&b) => b,
    };
    let hint = match first {
        b'+' | b'-' => 'S',
        b'0'..=b'9' => 'D',
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => 'M',
        b'.' => '.',
        _ => return true,
    };
    if is_resolve_map_word(s) {
        return false;
    }
    match hint {
        '.' => go_parse_float(s).is_none(),
        'D' | 'S' => {
            if is_go_yaml_timestamp(s) {
                return false;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if go_parse_int_base0(&plain) {
                return false;
            }
            if is_yaml_style_float(&plain) && go_parse_float(&plain).is_some() {
                return false;
            }
            if let Some(rest) = plain.strip_prefix("0b") {
                return !is_binary_digits(rest);
            }
            if let Some(rest) = plain.strip_prefix("-0b") {
                return !is_binary_digits(rest);
            }
            true
        }
        _ => true,
    }
}

fn is_binary_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b == b'0' || b == b'1')
}

/// The words of resolve.go's resolveMap (bools, nulls, infinities, NaN, merge key).
fn is_resolve_map_word(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "true"
            | "True"
            | "TRUE"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "false"
            | "False"
            | "FALSE"
            | "off"
            | "Off"
            | "OFF"
            | "~"
            | "null"
            | "Null"
            | "NULL"
            | ".nan"
            | ".NaN"
            | ".NAN"
            | ".inf"
            | ".Inf"
            | ".INF"
            | "+.inf"
            | "+.Inf"
            | "+.INF"
            | "-.inf"
            | "-.Inf"
            | "-.INF"
    )
}

/// Go's strconv.ParseInt(s, 0, 64) or ParseUint(s, 0, 64) succeeds: optional sign, then a decimal
/// number, or 0x / 0o / 0b / leading-0 octal digits.
fn go_parse_int_base0(s: &str) -> bool {
    let (negative, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() {
        return false;
    }
    match u128::from_str_radix(digits, radix) {
        Ok(v) if negative => v <= (i64::MAX as u128) + 1,
        Ok(v) => v <= u64::MAX as u128,
        Err(_) => false,
    }
}

/// resolve.go's yamlStyleFloat: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+') | Some(b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e') | Some(b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+') | Some(b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's strconv.ParseFloat(s, 64) succeeds (decimal, hex float, inf/infinity/nan spellings).
/// Out-of-range values are errors in Go.
fn go_parse_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        return Some(0.0);
    }
    if lower.starts_with("0x") {
        // Hex floats need a 'p' exponent; accept the common shape.
        return lower.contains('p').then_some(0.0);
    }
    if !body
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    f.is_finite().then_some(f)
}

/// encode.go isBase60Float: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+') | Some(b'-')) {
        i += 1;
    }
    if !b.get(i).is_some_and(|c| c.is_ascii_digit()) {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        // [0-5]?[0-9]
        let d1 = b.get(i).copied();
        let d2 = b.get(i + 1).copied();
        match (d1, d2) {
            (Some(x), Some(y)) if (b'0'..=b'5').contains(&x) && y.is_ascii_digit() => i += 2,
            (Some(x), _) if x.is_ascii_digit() => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// resolve.go parseTimestamp: four digits, '-', then one of the layouts
/// "2006-1-2T15:4:5.999999999Z07:00" (also with 't'), "2006-1-2 15:4:5.999999999", "2006-1-2",
/// parsed as Go's time.Parse does (one- or two-digit fields, range checks, nothing left over).
fn is_go_yaml_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut p = TimeParser { b, i: 5 };
    let year: u32 = s[..4].parse().unwrap_or(0);
    let Some(month) = p.num() else { return false };
    if !(1..=12).contains(&month) || !p.lit(b'-') {
        return false;
    }
    let Some(day) = p.num() else { return false };
    if day < 1 || day > days_in_month(month, year) {
        return false;
    }
    if p.done() {
        return true;
    }
    let sep = p.b.get(p.i).copied();
    p.i += 1;
    let with_zone = match sep {
        Some(b'T') | Some(b't') => true,
        Some(b' ') => false,
        _ => return false,
    };
    if !p.clock() {
        return false;
    }
    if with_zone && !p.zone() {
        return false;
    }
    p.done()
}

struct TimeParser<'a> {
    b: &'a [u8],
    i: usize,
}

impl TimeParser<'_> {
    fn done(&self) -> bool {
        self.i == self.b.len()
    }
    fn lit(&mut self, c: u8) -> bool {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn digit(&self, at: usize) -> Option<u32> {
        self.b
            .get(at)
            .filter(|c| c.is_ascii_digit())
            .map(|c| (c - b'0') as u32)
    }
    /// Go's getnum(value, false): one or two digits.
    fn num(&mut self) -> Option<u32> {
        let first = self.digit(self.i)?;
        match self.digit(self.i + 1) {
            Some(second) => {
                self.i += 2;
                Some(first * 10 + second)
            }
            None => {
                self.i += 1;
                Some(first)
            }
        }
    }
    /// "15:4:5.999999999": hour < 24, minute and second < 60, optional fraction.
    fn clock(&mut self) -> bool {
        let Some(h) = self.num() else { return false };
        if h >= 24 || !self.lit(b':') {
            return false;
        }
        let Some(m) = self.num() else { return false };
        if m >= 60 || !self.lit(b':') {
            return false;
        }
        let Some(sec) = self.num() else { return false };
        if sec >= 60 {
            return false;
        }
        if matches!(self.b.get(self.i), Some(b'.') | Some(b',')) && self.digit(self.i + 1).is_some()
        {
            self.i += 1;
            while self.digit(self.i).is_some() {
                self.i += 1;
            }
        }
        true
    }
    /// "Z07:00": 'Z' or ±hh:mm.
    fn zone(&mut self) -> bool {
        if self.lit(b'Z') {
            return true;
        }
        let rest = &self.b[self.i.min(self.b.len())..];
        if rest.len() < 6 || !matches!(rest[0], b'+' | b'-') || rest[3] != b':' {
            return false;
        }
        let two = |x: &[u8]| x.iter().all(u8::is_ascii_digit);
        if !two(&rest[1..3]) || !two(&rest[4..6]) {
            return false;
        }
        let hh = (rest[1] - b'0') as u32 * 10 + (rest[2] - b'0') as u32;
        let mm = (rest[4] - b'0') as u32 * 10 + (rest[5] - b'0') as u32;
        if hh > 24 || mm > 60 {
            return false;
        }
        self.i += 6;
        true
    }
}

fn days_in_month(month: u32, year: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// sorter.go keyList.Less for string keys: letters sort after non-letters, runs of digits
/// compare as numbers, otherwise by code point.
pub(crate) fn go_yaml_key_order(a: &str, b: &str) -> Ordering {
    if go_yaml_key_less(a, b) {
        Ordering::Less
    } else if go_yaml_key_less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

fn go_yaml_key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .saturating_mul(10)
                .saturating_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .saturating_mul(10)
                .saturating_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scalar_line(v: Value) -> String {
        to_yaml(&json!({ "k": v }))
    }

    #[test]
    fn quotes_what_would_read_back_as_another_type() {
        assert_eq!(scalar_line(json!("268")), "k: \"268\"\n");
        assert_eq!(scalar_line(json!("True")), "k: \"True\"\n");
        assert_eq!(scalar_line(json!("False")), "k: \"False\"\n");
        assert_eq!(
            scalar_line(json!("2026-11-21T14:03:13Z")),
            "k: \"2026-11-21T14:03:13Z\"\n"
        );
        assert_eq!(scalar_line(json!("")), "k: \"\"\n");
        assert_eq!(scalar_line(json!("yes")), "k: \"yes\"\n");
        assert_eq!(scalar_line(json!("null")), "k: \"null\"\n");
        assert_eq!(scalar_line(json!("1.5")), "k: \"1.5\"\n");
        assert_eq!(scalar_line(json!("0x1F")), "k: \"0x1F\"\n");
        assert_eq!(scalar_line(json!("1:30")), "k: \"1:30\"\n");
        assert_eq!(scalar_line(json!("2026-11-21")), "k: \"2026-11-21\"\n");
    }

    #[test]
    fn leaves_ordinary_strings_plain() {
        assert_eq!(scalar_line(json!("nginx:1.27")), "k: nginx:1.27\n");
        assert_eq!(scalar_line(json!("10.244.1.5")), "k: 10.244.1.5\n");
        assert_eq!(scalar_line(json!("100m")), "k: 100m\n");
        assert_eq!(scalar_line(json!("1Gi")), "k: 1Gi\n");
        assert_eq!(scalar_line(json!("v1.36.2")), "k: v1.36.2\n");
        assert_eq!(scalar_line(json!("<<")), "k: <<\n");
    }

    #[test]
    fn single_quotes_what_plain_style_cannot_hold() {
        assert_eq!(scalar_line(json!("a: b")), "k: 'a: b'\n");
        assert_eq!(scalar_line(json!("*")), "k: '*'\n");
        assert_eq!(scalar_line(json!("- x")), "k: '- x'\n");
        assert_eq!(scalar_line(json!("it's # here")), "k: 'it''s # here'\n");
        assert_eq!(scalar_line(json!(" lead")), "k: ' lead'\n");
        assert_eq!(scalar_line(json!("{\"a\":1}")), "k: '{\"a\":1}'\n");
    }

    #[test]
    fn double_quotes_special_characters() {
        assert_eq!(scalar_line(json!("a\tb")), "k: \"a\\tb\"\n");
        assert_eq!(scalar_line(json!("smile 😀")), "k: \"smile \\U0001F600\"\n");
        assert_eq!(scalar_line(json!("caf\u{e9}")), "k: caf\u{e9}\n");
    }

    #[test]
    fn literal_blocks_for_multiline_text() {
        assert_eq!(
            to_yaml(&json!({"a": {"b": "line1\nline2\n"}})),
            "a:\n  b: |\n    line1\n    line2\n"
        );
        assert_eq!(to_yaml(&json!({"b": "x\ny"})), "b: |-\n  x\n  y\n");
        assert_eq!(to_yaml(&json!({"b": "x\n\n"})), "b: |+\n  x\n\n");
        assert_eq!(to_yaml(&json!({"b": " x\ny"})), "b: |2-\n   x\n  y\n");
        assert_eq!(to_yaml(&json!({"b": "x \ny"})), "b: \"x \\ny\"\n");
        assert_eq!(to_yaml(&json!({"b": "x\n\ny"})), "b: |-\n  x\n\n  y\n");
    }

    #[test]
    fn folds_long_scalars_at_80_columns() {
        let message = "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
        let got = to_yaml(&json!({"status": {"conditions": [{"message": message}]}}));
        assert_eq!(
            got,
            "status:\n  conditions:\n  - message: '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient\n      cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption\n      is not helpful for scheduling.'\n"
        );
    }

    #[test]
    fn collections_and_scalars() {
        let v = json!({
            "resources": {},
            "args": [],
            "lastProbeTime": null,
            "ready": true,
            "port": 80,
            "ratio": 0.5,
            "nested": [["a", "b"], {"x": 1}],
        });
        assert_eq!(
            to_yaml(&v),
            "args: []\nlastProbeTime: null\nnested:\n- - a\n  - b\n- x: 1\nport: 80\nratio: 0.5\nready: true\nresources: {}\n"
        );
        assert_eq!(to_yaml(&json!([{}, []])), "- {}\n- []\n");
    }

    #[test]
    fn keys_sort_as_go_yaml_sorts_them() {
        let v = json!({"item10": 1, "item9": 2, "a_b": 3, "a1": 4, "B": 5, "a": 6});
        assert_eq!(
            to_yaml(&v),
            "B: 5\na: 6\na_b: 3\na1: 4\nitem9: 2\nitem10: 1\n"
        );
        assert_eq!(to_yaml(&json!({"": 1})), "\"\": 1\n");
    }
}
