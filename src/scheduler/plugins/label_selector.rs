//! A metav1.LabelSelector as the scheduler plugins evaluate it
//! (apimachinery metav1.LabelSelectorAsSelector and labels.Selector): a missing selector selects
//! nothing, an empty one everything; matchLabels and matchExpressions must all hold.

use std::collections::BTreeMap;

use serde_json::Value;

/// One requirement of a selector (labels.Requirement with the operators a LabelSelector has).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Requirement {
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

impl Requirement {
    fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        match self {
            Requirement::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::DoesNotExist(k) => !labels.contains_key(k),
        }
    }
}

/// labels.Selector: `Nothing` (labels.Nothing(), a nil LabelSelector) or all the requirements
/// (the empty list is labels.Everything()).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Selector {
    Nothing,
    All(Vec<Requirement>),
}

impl Selector {
    pub fn everything() -> Self {
        Selector::All(Vec::new())
    }

    /// labels.SelectorFromSet: every pair must be present (the empty set selects everything).
    pub fn from_set(set: &BTreeMap<String, String>) -> Self {
        Selector::All(
            set.iter()
                .map(|(k, v)| Requirement::In(k.clone(), vec![v.clone()]))
                .collect(),
        )
    }

    /// metav1.LabelSelectorAsSelector: None or null selects nothing; an operator it does not
    /// know makes the selector invalid, which the plugins treat as selecting nothing.
    pub fn from_label_selector(selector: Option<&Value>) -> Self {
        let Some(sel) = selector.filter(|s| !s.is_null()) else {
            return Selector::Nothing;
        };
        let mut reqs = Vec::new();
        if let Some(map) = sel.get("matchLabels").and_then(Value::as_object) {
            for (k, v) in map {
                let value = v.as_str().unwrap_or_default().to_string();
                reqs.push(Requirement::In(k.clone(), vec![value]));
            }
        }
        let exprs = sel.get("matchExpressions").and_then(Value::as_array);
        for e in exprs.into_iter().flatten() {
            let key = e
                .get("key")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let values: Vec<String> = e
                .get("values")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            let req = match e.get("operator").and_then(Value::as_str) {
                Some("In") => Requirement::In(key, values),
                Some("NotIn") => Requirement::NotIn(key, values),
                Some("Exists") => Requirement::Exists(key),
                Some("DoesNotExist") => Requirement::DoesNotExist(key),
                _ => return Selector::Nothing,
            };
            reqs.push(req);
        }
        Selector::All(reqs)
    }

    /// Selector.Add: more requirements (Nothing stays Nothing).
    pub fn add(&mut self, more: Vec<Requirement>) {
        if let Selector::All(reqs) = self {
            reqs.extend(more);
        }
    }

    /// Selector.Requirements: None for Nothing.
    pub fn requirements(&self) -> Option<&[Requirement]> {
        match self {
            Selector::Nothing => None,
            Selector::All(reqs) => Some(reqs),
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Selector::All(reqs) if reqs.is_empty())
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        match self {
            Selector::Nothing => false,
            Selector::All(reqs) => reqs.iter().all(|r| r.matches(labels)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn nil_selects_nothing_and_empty_selects_everything() {
        let l = labels(&[("app", "web")]);
        assert!(!Selector::from_label_selector(None).matches(&l));
        assert!(!Selector::from_label_selector(Some(&Value::Null)).matches(&l));
        assert!(Selector::from_label_selector(Some(&json!({}))).matches(&l));
    }

    #[test]
    fn match_labels_and_expressions_all_hold() {
        let sel = Selector::from_label_selector(Some(&json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]}]
        })));
        assert!(sel.matches(&labels(&[("app", "web")])));
        assert!(sel.matches(&labels(&[("app", "web"), ("tier", "front")])));
        assert!(!sel.matches(&labels(&[("app", "web"), ("tier", "db")])));
        assert!(!sel.matches(&labels(&[("app", "api")])));
    }
}
