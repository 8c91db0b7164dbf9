//! Which panels the page shows. The full page shows them all; `?embed=editor,map,trace` (for a
//! tutorial's iframe) shows only the named ones, with a slim timeline bar. A new panel gets a
//! [`Panel`] variant and a name in [`Panel::ALL`].

/// One panel of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// The manifest editor, its examples menu and Apply.
    Editor,
    /// The console and the kubectl prompt.
    Console,
    /// The guided tours, and the step of the one under way.
    Tour,
    /// The explanation of the step on screen.
    Step,
    /// The cluster drawn as boxes.
    Map,
    /// The objects' tables.
    Objects,
    /// Owners and their dependents (ownerReferences).
    Ownership,
    /// The selected pod's container state timelines and kubelet steps.
    Pod,
    /// etcd's keys and values.
    Etcd,
    /// Any object's YAML, a diff between two of its revisions, its events and a pod's logs.
    Inspector,
    /// The endpoint consumers' views: kube-proxy's rules, CoreDNS's records, ingress upstreams.
    Network,
    /// The scheduler's node × plugin table for a pod.
    Scheduling,
    /// The trace as a sequence diagram: a lane per component, an arrow per message.
    Sequence,
    /// The trace: every message between components.
    Trace,
}

impl Panel {
    /// Every panel, in the page's order, with the name `?embed=` uses.
    pub const ALL: [(Panel, &'static str); 14] = [
        (Panel::Editor, "editor"),
        (Panel::Console, "console"),
        (Panel::Tour, "tour"),
        (Panel::Step, "step"),
        (Panel::Map, "map"),
        (Panel::Objects, "objects"),
        (Panel::Ownership, "ownership"),
        (Panel::Pod, "pod"),
        (Panel::Etcd, "etcd"),
        (Panel::Inspector, "inspector"),
        (Panel::Network, "network"),
        (Panel::Scheduling, "scheduling"),
        (Panel::Sequence, "sequence"),
        (Panel::Trace, "trace"),
    ];

    fn named(name: &str) -> Option<Panel> {
        Panel::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(panel, _)| *panel)
    }

    /// Whether the panel sits in the left column (what the user writes) or the right one (what
    /// the cluster does).
    pub fn is_left(self) -> bool {
        matches!(self, Panel::Editor | Panel::Console)
    }
}

/// The page's panels and whether it is embedded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// `Some` in embed mode: the query and fragment the page was opened with, so that an embed
    /// keeps its own saved text.
    pub embed: Option<String>,
    panels: Vec<Panel>,
    /// Names in `?embed=` that are no panel, said in one line.
    pub problem: Option<String>,
}

impl Default for Layout {
    fn default() -> Layout {
        Layout {
            embed: None,
            panels: Panel::ALL.iter().map(|(p, _)| *p).collect(),
            problem: None,
        }
    }
}

impl Layout {
    /// The layout a page address's query asks for (`?embed=editor,map`, with or without `?`).
    /// Unknown names are reported and skipped; if no known name is left, every panel shows.
    pub fn from_query(query: &str, fragment: &str) -> Layout {
        let query = query.strip_prefix('?').unwrap_or(query);
        let Some(list) = query
            .split('&')
            .find_map(|part| part.strip_prefix("embed="))
        else {
            return Layout::default();
        };
        let mut panels = Vec::new();
        let mut unknown = Vec::new();
        for name in list.split([',', '+', ' ']).filter(|n| !n.is_empty()) {
            let name = name.replace("%20", "");
            match Panel::named(&name.to_ascii_lowercase()) {
                Some(panel) if !panels.contains(&panel) => panels.push(panel),
                Some(_) => {}
                None => unknown.push(name),
            }
        }
        let known: Vec<&str> = Panel::ALL.iter().map(|(_, n)| *n).collect();
        let problem = (!unknown.is_empty()).then(|| {
            format!(
                "?embed= names no panel called {}; the panels are {}.",
                unknown.join(", "),
                known.join(", ")
            )
        });
        if panels.is_empty() {
            panels = Layout::default().panels;
        }
        panels.sort_by_key(|p| Panel::ALL.iter().position(|(q, _)| q == p));
        Layout {
            embed: Some(format!("?{query}{fragment}")),
            panels,
            problem,
        }
    }

    pub fn shows(&self, panel: Panel) -> bool {
        self.panels.contains(&panel)
    }

    pub fn is_embed(&self) -> bool {
        self.embed.is_some()
    }

    /// Whether any panel of the left (or right) column shows.
    pub fn column_shows(&self, left: bool) -> bool {
        self.panels.iter().any(|p| p.is_left() == left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn no_embed_shows_everything() {
        let layout = Layout::from_query("", "");
        assert!(!layout.is_embed());
        assert!(Panel::ALL.iter().all(|(p, _)| layout.shows(*p)));
        assert_eq!(Layout::from_query("?x=1", ""), Layout::default());
    }

    #[wasm_bindgen_test]
    fn embed_shows_only_the_named_panels() {
        let layout = Layout::from_query("?embed=editor,map,trace", "#s=abc");
        assert_eq!(
            layout.embed.as_deref(),
            Some("?embed=editor,map,trace#s=abc")
        );
        assert!(layout.shows(Panel::Editor) && layout.shows(Panel::Map));
        assert!(layout.shows(Panel::Trace) && !layout.shows(Panel::Console));
        assert!(layout.column_shows(true) && layout.column_shows(false));
        assert_eq!(layout.problem, None);
        let right = Layout::from_query("embed=map", "");
        assert!(!right.column_shows(true));
    }

    #[wasm_bindgen_test]
    fn unknown_panels_are_named_in_one_line() {
        let layout = Layout::from_query("?embed=map,nodes", "");
        assert_eq!(
            layout.problem.as_deref(),
            Some("?embed= names no panel called nodes; the panels are editor, console, tour, step, map, objects, ownership, pod, etcd, inspector, network, scheduling, sequence, trace.")
        );
        assert!(layout.shows(Panel::Map) && !layout.shows(Panel::Editor));
        let none = Layout::from_query("?embed=", "");
        assert!(none.is_embed() && none.shows(Panel::Editor));
    }
}
