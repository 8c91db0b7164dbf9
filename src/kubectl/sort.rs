//! `kubectl get --sort-by=FIELD` (staging/src/k8s.io/kubectl/pkg/cmd/get/sorter.go): objects
//! ordered by the value a JSONPath expression (`.metadata.name`, `{.status.podIP}`,
//! `.spec.containers[0].image`) finds in each, stably, strings in natural order
//! (github.com/fvbommel/sortorder `NaturalLess`: runs of digits compare as numbers), numbers
//! numerically, `false` before `true`.

use std::cmp::Ordering;

use serde_json::Value;

/// The path's steps: field names and list indices.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Field(String),
    Index(usize),
}

/// Parse `.a.b[0].c`, `{.a.b}` or `a.b` (kubectl's RelaxedJSONPathExpression forms).
fn parse(expr: &str) -> Result<Vec<Step>, String> {
    let inner = expr.trim();
    let inner = inner
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(inner);
    let inner = inner.strip_prefix('.').unwrap_or(inner);
    let mut steps = Vec::new();
    for part in inner.split('.').filter(|p| !p.is_empty()) {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            steps.push(Step::Field(name.to_string()));
        }
        while let Some(after) = rest.strip_prefix('[') {
            let Some(end) = after.find(']') else {
                return Err(format!("unclosed array expect ]: {expr}"));
            };
            let index = &after[..end];
            let index = index.trim_matches(|c| c == '\'' || c == '"');
            match index.parse::<usize>() {
                Ok(n) => steps.push(Step::Index(n)),
                Err(_) => steps.push(Step::Field(index.to_string())),
            }
            rest = &after[end + 1..];
        }
    }
    Ok(steps)
}

fn lookup<'a>(obj: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    steps.iter().try_fold(obj, |v, step| match step {
        Step::Field(f) => v.get(f.as_str()),
        Step::Index(i) => v.get(*i),
    })
}

/// fvbommel/sortorder NaturalLess as an ordering.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        let (dx, dy) = (x[i].is_ascii_digit(), y[j].is_ascii_digit());
        if dx != dy {
            return if dx {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        if !dx {
            if x[i] != y[j] {
                return x[i].cmp(&y[j]);
            }
            i += 1;
            j += 1;
            continue;
        }
        while i < x.len() && x[i] == b'0' {
            i += 1;
        }
        while j < y.len() && y[j] == b'0' {
            j += 1;
        }
        let (start_i, start_j) = (i, j);
        while i < x.len() && x[i].is_ascii_digit() {
            i += 1;
        }
        while j < y.len() && y[j].is_ascii_digit() {
            j += 1;
        }
        let (len_i, len_j) = (i - start_i, j - start_j);
        if len_i != len_j {
            return len_i.cmp(&len_j);
        }
        let (nx, ny) = (&x[start_i..i], &y[start_j..j]);
        if nx != ny {
            return nx.cmp(ny);
        }
        if start_i != start_j {
            return start_i.cmp(&start_j);
        }
    }
    x.len().cmp(&y.len())
}

/// sorter.go `isLess` on two found values; missing values sort first.
fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => natural_cmp(x, y),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(x), Some(y)) => natural_cmp(&x.to_string(), &y.to_string()),
    }
}

/// Sort `objects` by `field` in place (stable). An error when the expression does not parse,
/// or when no object has the field (`couldn't find any field with path ...`).
pub fn sort_by(objects: &mut [Value], field: &str) -> Result<(), String> {
    let steps = parse(field)?;
    if !objects.is_empty() && objects.iter().all(|o| lookup(o, &steps).is_none()) {
        let shown = if field.starts_with('{') {
            field.to_string()
        } else {
            format!(
                "{{{}}}",
                if field.starts_with('.') {
                    field.to_string()
                } else {
                    format!(".{field}")
                }
            )
        };
        return Err(format!(
            "couldn't find any field with path \"{shown}\" in the list of objects"
        ));
    }
    objects.sort_by(|a, b| compare(lookup(a, &steps), lookup(b, &steps)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn natural_order_compares_numbers_as_numbers() {
        assert_eq!(natural_cmp("web-2", "web-10"), Ordering::Less);
        assert_eq!(natural_cmp("a", "b"), Ordering::Less);
        assert_eq!(natural_cmp("a01", "a1"), Ordering::Greater);
        assert_eq!(natural_cmp("1a", "a"), Ordering::Less);
    }

    #[test]
    fn sorts_by_paths() {
        let mut objs = vec![
            json!({"metadata": {"name": "web-10"}, "spec": {"replicas": 3}}),
            json!({"metadata": {"name": "web-2"}, "spec": {"replicas": 1}}),
        ];
        sort_by(&mut objs, ".metadata.name").unwrap();
        assert_eq!(objs[0]["metadata"]["name"], "web-2");
        sort_by(&mut objs, "{.spec.replicas}").unwrap();
        assert_eq!(objs[0]["spec"]["replicas"], 1);
        assert_eq!(
            sort_by(&mut objs, ".spec.nope"),
            Err("couldn't find any field with path \"{.spec.nope}\" in the list of objects".into())
        );
        assert_eq!(
            parse(".spec.containers[0].image").unwrap(),
            vec![
                Step::Field("spec".into()),
                Step::Field("containers".into()),
                Step::Index(0),
                Step::Field("image".into())
            ]
        );
    }
}
