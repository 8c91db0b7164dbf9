//! The page's state and its one reducer.
//!
//! The trace is the timeline. The page keeps a cursor into it: `revealed` entries have been shown,
//! `cursor` is the one on screen. The diagram and the object tables draw the cluster as etcd held
//! it at the cursor's revision, so the picture always matches the step being explained. The
//! cluster itself only runs as far as the user has asked: stepping past the last revealed entry
//! processes simulation events until a new entry appears.

use std::cell::RefCell;
use std::rc::Rc;

use yew::Reducible;

use super::node_controls::NodeAction;
use super::rejection::{find_rejection, markers_for, ApplyFailure};
use super::trace_view::is_heartbeat;
use crate::cluster::{Cluster, CommandOutput, Preset};
use crate::examples::{example, example_with_text, Move, Scenario, TourAt};
use crate::sim::{Millis, TraceEntry};

/// The manifest the editor starts with: an nginx Pod and a Service selecting it.
pub const DEFAULT_YAML: &str = crate::examples::NGINX_POD_AND_SERVICE;

/// The command Apply runs; the editor's text is its stdin.
pub const APPLY_COMMAND: &str = "kubectl apply -f -";

/// Every run of the page makes the same random choices (IPs, generated names).
pub const SEED: u64 = 1;

/// How often Play reveals the next trace entry, in wall-clock milliseconds.
pub const PLAY_INTERVAL_MS: u32 = 400;

/// How far ahead of the cluster's clock Step, Play and Run look for something to happen. Kubelets
/// keep periodic timers (status sync, PLEG relist) forever, so every search must be bounded.
pub const LOOKAHEAD_MS: Millis = 60_000;

/// A second bound, on events processed per search, in case many events carry no trace entry.
pub const MAX_EVENTS_PER_SEARCH: usize = 100_000;

/// One command in the console and what it printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleEntry {
    /// The command as typed, `kubectl get pods -o wide`.
    pub command: String,
    /// What the command printed, without its final newline.
    pub output: String,
    /// The command's exit code; not 0 means it failed.
    pub exit_code: i32,
}

impl ConsoleEntry {
    fn from_output(command: &str, output: CommandOutput) -> ConsoleEntry {
        ConsoleEntry {
            command: command.to_string(),
            output: output.text.trim_end_matches('\n').to_string(),
            exit_code: output.exit_code,
        }
    }

    /// A line the page itself writes (no command, exit code 0).
    fn note(text: &str) -> ConsoleEntry {
        ConsoleEntry {
            command: String::new(),
            output: text.to_string(),
            exit_code: 0,
        }
    }

    pub fn failed(&self) -> bool {
        self.exit_code != 0
    }
}

/// What the user can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The editor's text changed.
    EditYaml(String),
    /// Send this YAML through `kubectl apply -f -`, then play.
    Apply(String),
    /// Run one line typed at the kubectl prompt.
    Kubectl(String),
    /// Show the next trace entry.
    Step,
    /// Show one entry every [`PLAY_INTERVAL_MS`].
    Play,
    Pause,
    /// The play timer fired.
    Tick,
    /// Show everything that happens within [`LOOKAHEAD_MS`], at once.
    Run,
    /// Jump to an entry already shown.
    Select(usize),
    /// Show this etcd key's value in the etcd panel.
    SelectKey(String),
    /// Start again with a fresh cluster (the editor keeps its text).
    Reset,
    /// Show the entry before the one on screen.
    StepBack,
    /// Space: play if paused, pause if playing.
    TogglePlay,
    /// Put this example (an id of [`crate::examples::EXAMPLES`]) in the editor; what the user
    /// typed is kept as [`Lab::your_text`] first.
    ChooseExample(String),
    /// Put [`Lab::your_text`] back in the editor (the text it replaces is kept in its place).
    RestoreYourText,
    /// Replay a shared scenario on a fresh cluster; what the user typed is kept first.
    Restore(Scenario),
    /// Show a one-line message above the page, or (`None`) dismiss it.
    Notice(Option<String>),
    /// A node control: run `podlab node VERB NODE` as if typed at the prompt, so that it joins
    /// the moves a share link replays.
    Node(NodeAction, String),
    /// Show or hide the nodes' heartbeats (Lease renewals, node status reads) in the trace.
    ToggleHeartbeats,
    /// Start a guided tour (an id of [`crate::tours::TOURS`]): replay its scenario on a fresh
    /// cluster, as a shared link is replayed.
    StartTour(String),
    /// Show this step of the tour under way, or (`None`) leave the tour.
    TourStep(Option<usize>),
    /// Show this pod's timeline (`namespace/name`) in the pod panel.
    SelectPod(String),
}

/// The page's state. Cloning is cheap: the cluster and the console are shared.
#[derive(Clone)]
pub struct Lab {
    /// The simulated cluster. Shared between successive states; `version` says when it changed.
    pub cluster: Rc<RefCell<Cluster>>,
    /// Which cluster this is: a new one for each cluster the page starts (Reset, a link, a
    /// tour), the same for every state of one. Views of etcd at a revision are cached by it.
    pub cluster_id: u64,
    /// Bumped each time the cluster is changed, so that views computed from it can be cached.
    pub version: u64,
    /// How many trace entries have been shown.
    pub revealed: usize,
    /// The entry on screen; `None` before the first.
    pub cursor: Option<usize>,
    pub playing: bool,
    /// The editor's text. Never cleared by the page.
    pub yaml: String,
    pub console: Rc<Vec<ConsoleEntry>>,
    /// The etcd key whose value the etcd panel shows.
    pub etcd_key: Option<String>,
    /// Why the last Apply failed: the lines of the editor and the trace steps to mark.
    pub failure: Option<Rc<ApplyFailure>>,
    /// The user's own text, kept when an example or a shared scenario took the editor's place.
    pub your_text: Option<String>,
    /// Everything done to the cluster since it started, in order: what a share link replays.
    pub moves: Rc<Vec<Move>>,
    /// A one-line message shown above the page (a link that could not be read).
    pub notice: Option<String>,
    /// Whether the trace lists the nodes' heartbeats, and Step stops on them (off: hidden and
    /// stepped over).
    pub show_heartbeats: bool,
    /// The pod whose container timelines the pod panel shows (`namespace/name`); None: the
    /// first pod outside kube-system.
    pub selected_pod: Option<String>,
    /// The guided tour under way and the step on screen (a tour this page has, a step it has):
    /// a share link carries it.
    pub tour: Option<TourAt>,
}

/// The trace entries the page has revealed, read in place from the cluster rather than copied:
/// a step at the end of a long trace then costs its new entries, not a copy of the trace. Two
/// are equal when they are the same cluster's first `len` entries (a cluster's trace only grows).
#[derive(Clone)]
pub struct Revealed {
    cluster: Rc<RefCell<Cluster>>,
    cluster_id: u64,
    len: usize,
}

impl PartialEq for Revealed {
    fn eq(&self, other: &Revealed) -> bool {
        self.cluster_id == other.cluster_id && self.len == other.len
    }
}

impl Revealed {
    /// `f` of the revealed entries (none while the cluster is being changed).
    pub fn with<R>(&self, f: impl FnOnce(&[TraceEntry]) -> R) -> R {
        match self.cluster.try_borrow() {
            Ok(cluster) => {
                let trace = cluster.trace();
                f(&trace[..self.len.min(trace.len())])
            }
            Err(_) => f(&[]),
        }
    }

    /// A copy of entry `index`, if it has been revealed.
    pub fn get(&self, index: usize) -> Option<TraceEntry> {
        self.with(|entries| entries.get(index).cloned())
    }
}

/// The cluster's store at one revision, for a view that reads it only when shown (equal when
/// the cluster and the revision are).
#[derive(Clone)]
pub struct StoreAt {
    cluster: Rc<RefCell<Cluster>>,
    cluster_id: u64,
    pub revision: i64,
}

impl PartialEq for StoreAt {
    fn eq(&self, other: &StoreAt) -> bool {
        self.cluster_id == other.cluster_id && self.revision == other.revision
    }
}

impl StoreAt {
    /// `f` of the cluster (None while it is being changed).
    pub fn with<R>(&self, f: impl FnOnce(&Cluster) -> R) -> Option<R> {
        self.cluster.try_borrow().ok().map(|c| f(&c))
    }
}

/// A number no cluster of this page had before.
fn next_cluster_id() -> u64 {
    thread_local! {
        static LAST: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }
    LAST.with(|last| {
        last.set(last.get() + 1);
        last.get()
    })
}

impl Default for Lab {
    fn default() -> Lab {
        Lab::new(
            Cluster::new(Preset::Default, SEED),
            DEFAULT_YAML.to_string(),
        )
    }
}

impl PartialEq for Lab {
    fn eq(&self, other: &Lab) -> bool {
        Rc::ptr_eq(&self.cluster, &other.cluster)
            && self.cluster_id == other.cluster_id
            && self.version == other.version
            && self.revealed == other.revealed
            && self.cursor == other.cursor
            && self.playing == other.playing
            && self.yaml == other.yaml
            && self.console == other.console
            && self.etcd_key == other.etcd_key
            && self.failure == other.failure
            && self.your_text == other.your_text
            && self.moves == other.moves
            && self.notice == other.notice
            && self.show_heartbeats == other.show_heartbeats
            && self.selected_pod == other.selected_pod
            && self.tour == other.tour
    }
}

impl Reducible for Lab {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        if action == Action::Tick && !self.playing {
            // A tick that arrives after Pause: nothing to redraw.
            return self;
        }
        let mut next = (*self).clone();
        next.act(action);
        Rc::new(next)
    }
}

impl Lab {
    /// The entries revealed so far, for the views that list or draw them.
    pub fn revealed_trace(&self) -> Revealed {
        Revealed {
            cluster: Rc::clone(&self.cluster),
            cluster_id: self.cluster_id,
            len: self.revealed,
        }
    }

    /// The store at `revision`, to be read when a view needs it.
    pub fn store_at(&self, revision: i64) -> StoreAt {
        StoreAt {
            cluster: Rc::clone(&self.cluster),
            cluster_id: self.cluster_id,
            revision,
        }
    }

    /// A page on `cluster`: whatever the cluster did while starting is shown at once.
    pub fn new(cluster: Cluster, yaml: String) -> Lab {
        let revealed = cluster.trace().len();
        Lab {
            cluster: Rc::new(RefCell::new(cluster)),
            cluster_id: next_cluster_id(),
            version: 0,
            revealed,
            cursor: revealed.checked_sub(1),
            playing: false,
            yaml,
            console: Rc::new(vec![ConsoleEntry::note(
                "Edit the manifest and press Apply, or type a kubectl command below.",
            )]),
            etcd_key: None,
            failure: None,
            your_text: None,
            moves: Rc::new(Vec::new()),
            notice: None,
            show_heartbeats: false,
            selected_pod: None,
            tour: None,
        }
    }

    /// The page as it starts: the editor holds `yaml` (the text saved by the last visit, else the
    /// default) and the menu offers `your_text` if one was kept.
    pub fn starting_with(yaml: String, your_text: Option<String>) -> Lab {
        let mut lab = Lab::new(Cluster::new(Preset::Default, SEED), yaml);
        lab.your_text = your_text.filter(|t| !t.trim().is_empty());
        lab
    }

    /// True when putting another text in the editor would drop one the user typed: the editor
    /// holds the user's own text and a different one is already kept as [`Lab::your_text`]. The
    /// page asks before going on.
    pub fn would_drop_your_text(&self) -> bool {
        is_user_text(&self.yaml)
            && self
                .your_text
                .as_ref()
                .is_some_and(|kept| *kept != self.yaml)
    }

    /// The scenario a share link carries: the editor's text, every move, the step on screen.
    pub fn to_scenario(&self) -> Scenario {
        let moves = self
            .moves
            .iter()
            .map(|m| match m {
                Move::Apply(Some(text)) if *text == self.yaml => Move::Apply(None),
                other => other.clone(),
            })
            .collect();
        Scenario {
            v: crate::examples::SHARE_VERSION,
            yaml: self.yaml.clone(),
            moves,
            revealed: self.revealed,
            cursor: self.cursor,
            tour: self.tour.clone(),
        }
    }

    /// Apply one action to this state.
    pub fn act(&mut self, action: Action) {
        match action {
            Action::EditYaml(yaml) => self.yaml = yaml,
            Action::Apply(yaml) => self.apply(yaml),
            Action::Kubectl(line) => self.run_prompt_line(&line),
            Action::Step => {
                self.playing = false;
                self.step();
            }
            Action::Play => self.playing = true,
            Action::Pause => self.playing = false,
            Action::Tick => {
                if self.playing && !self.step() {
                    self.playing = false;
                }
            }
            Action::Run => {
                self.playing = false;
                self.run_to_end();
            }
            Action::Select(index) => {
                if index < self.revealed {
                    self.playing = false;
                    self.cursor = Some(index);
                }
            }
            Action::SelectKey(key) => self.etcd_key = Some(key),
            Action::SelectPod(key) => self.selected_pod = Some(key),
            Action::Reset => self.reset(),
            Action::StepBack => {
                self.playing = false;
                self.step_back();
            }
            Action::TogglePlay => self.playing = !self.playing && !self.at_end(),
            Action::ChooseExample(id) => {
                if let Some(chosen) = example(&id) {
                    self.keep_user_text();
                    self.yaml = chosen.yaml.to_string();
                }
            }
            Action::RestoreYourText => {
                if let Some(kept) = self.your_text.take() {
                    self.keep_user_text();
                    self.yaml = kept;
                }
            }
            Action::Restore(scenario) => self.restore(scenario),
            Action::Notice(notice) => self.notice = notice,
            Action::Node(action, node) => self.run_prompt_line(&action.directive(&node)),
            Action::ToggleHeartbeats => self.show_heartbeats = !self.show_heartbeats,
            Action::StartTour(id) => self.start_tour(&id),
            Action::TourStep(step) => self.tour_step(step),
        }
    }

    /// Keep the editor's text as [`Lab::your_text`] unless it is an untouched example, blank, or
    /// already kept.
    fn keep_user_text(&mut self) {
        if is_user_text(&self.yaml) && self.your_text.as_ref() != Some(&self.yaml) {
            self.your_text = Some(self.yaml.clone());
        }
    }

    /// Replay `scenario` on a fresh cluster: the same moves on the same seeded cluster give the
    /// same trace, then the same step is put on screen.
    fn restore(&mut self, scenario: Scenario) {
        self.keep_user_text();
        let your_text = self.your_text.take();
        let version = self.version + 1;
        *self = Lab::new(Cluster::new(Preset::Default, SEED), scenario.yaml.clone());
        self.version = version;
        self.your_text = your_text;
        for one in &scenario.moves {
            self.replay(one, &scenario.yaml);
        }
        self.playing = false;
        self.yaml = scenario.yaml;
        let len = self
            .cluster
            .try_borrow()
            .map(|c| c.trace().len())
            .unwrap_or(0);
        self.revealed = scenario.revealed.min(len);
        self.cursor = scenario
            .cursor
            .filter(|&c| c < self.revealed)
            .or(self.revealed.checked_sub(1));
        self.tour = scenario.tour.as_ref().and_then(known_tour);
        self.log(ConsoleEntry::note(&format!(
            "Replayed a shared scenario ({} moves).{}",
            scenario.moves.len(),
            self.tour_note()
        )));
    }

    /// ` Guided tour "…", step 5 of 17.` for the tour under way; empty without one.
    fn tour_note(&self) -> String {
        let Some((tour, step)) = self.tour.as_ref().and_then(crate::tours::resume) else {
            return String::new();
        };
        format!(
            " Guided tour \"{}\", step {} of {}.",
            tour.title,
            step + 1,
            tour.steps.len()
        )
    }

    /// Replay a tour's scenario; the console says which tour it is.
    fn start_tour(&mut self, id: &str) {
        let Some(tour) = crate::tours::tour(id) else {
            return;
        };
        self.restore(tour.scenario());
        Rc::make_mut(&mut self.console).pop();
        self.log(ConsoleEntry::note(&format!(
            "Guided tour \"{}\": a fresh cluster ran the example; Next walks through its trace.",
            tour.title
        )));
    }

    /// Move the tour under way to `step` (kept within the tour), or leave it.
    fn tour_step(&mut self, step: Option<usize>) {
        self.tour = match (self.tour.take(), step) {
            (Some(at), Some(step)) => known_tour(&TourAt { step, ..at }),
            _ => None,
        };
    }

    fn replay(&mut self, one: &Move, yaml: &str) {
        match one {
            Move::Apply(text) => self.apply(text.clone().unwrap_or_else(|| yaml.to_string())),
            Move::Kubectl(line) => self.run_prompt_line(line),
            Move::Advance(steps) => {
                for _ in 0..*steps {
                    self.cursor = self.revealed.checked_sub(1);
                    if !self.step_one() {
                        break;
                    }
                }
            }
            Move::Run => self.run_to_end(),
        }
    }

    fn record(&mut self, one: Move) {
        let moves = Rc::make_mut(&mut self.moves);
        match (moves.last_mut(), &one) {
            (Some(Move::Advance(before)), Move::Advance(more)) => {
                *before = before.saturating_add(*more);
            }
            _ => moves.push(one),
        }
    }

    /// The trace entry on screen.
    pub fn current_entry(&self) -> Option<TraceEntry> {
        let cluster = self.cluster.try_borrow().ok()?;
        cluster.trace().get(self.cursor?).cloned()
    }

    /// True when the cursor is on the last entry shown and nothing is left to show.
    pub fn at_end(&self) -> bool {
        let next = self.cursor.map_or(0, |c| c + 1);
        next >= self.revealed
            && self
                .cluster
                .try_borrow()
                .map(|c| c.trace().len() <= self.revealed && c.next_event_at().is_none())
                .unwrap_or(true)
    }

    fn apply(&mut self, yaml: String) {
        self.record(Move::Apply(Some(yaml.clone())));
        let output = self.with_cluster(|c| {
            let before = c.trace().len();
            (before, c.kubectl(APPLY_COMMAND, Some(&yaml)))
        });
        if let Some((before, output)) = output {
            let succeeded = output.exit_code == 0;
            let failure = (!succeeded).then(|| markers_for(&yaml, &output.text));
            self.log(ConsoleEntry::from_output(APPLY_COMMAND, output));
            match failure {
                None => {
                    // Let the user watch what the apply set in motion, from the latest step shown.
                    self.failure = None;
                    self.cursor = self.revealed.checked_sub(1);
                    self.playing = true;
                }
                Some(markers) => self.show_rejection(before, markers),
            }
        }
        self.yaml = yaml;
    }

    /// Show every step of a failed apply, with the one that refused on screen.
    fn show_rejection(&mut self, first_step: usize, markers: Vec<super::rejection::Marker>) {
        let Ok(cluster) = self.cluster.try_borrow() else {
            return;
        };
        let trace = find_rejection(cluster.trace(), first_step);
        let len = cluster.trace().len();
        drop(cluster);
        self.playing = false;
        self.revealed = self.revealed.max(len);
        self.cursor = trace
            .rejected
            .first()
            .copied()
            .or(self.revealed.checked_sub(1));
        self.failure = Some(Rc::new(ApplyFailure { markers, trace }));
    }

    fn run_prompt_line(&mut self, line: &str) {
        let Some(command) = normalize_prompt_line(line) else {
            return;
        };
        self.record(Move::Kubectl(command.clone()));
        if command == "clear" {
            self.console = Rc::new(Vec::new());
            return;
        }
        let output = if let Some((verb, node)) = node_directive(&command) {
            self.with_cluster(|c| node_directive_output(c, verb, node))
        } else if is_script_line(&command) {
            // `sleep N` and `podlab traffic ...`, as scenario scripts say them.
            self.with_cluster(|c| crate::tours::script_line(c, &command))
                .map(|output| output.unwrap_or_else(|| unknown_directive(&command)))
        } else if command.starts_with("podlab ") {
            Some(unknown_directive(&command))
        } else if is_etcdctl(&command) {
            self.with_cluster(|c| c.etcdctl(&command))
        } else {
            self.with_cluster(|c| c.kubectl(&command, None))
        };
        if let Some(output) = output {
            self.log(ConsoleEntry::from_output(&command, output));
        }
    }

    /// Move the cursor to the next entry the trace lists (over hidden heartbeats), running the
    /// cluster if every entry has been shown. False when nothing happens within
    /// [`LOOKAHEAD_MS`].
    fn step(&mut self) -> bool {
        if !self.step_one() {
            return false;
        }
        let start = self.clock();
        while self.hides_cursor() && self.clock() <= start.saturating_add(LOOKAHEAD_MS) {
            if !self.step_one() {
                break;
            }
        }
        true
    }

    /// Move the cursor back to the previous entry the trace lists.
    fn step_back(&mut self) {
        let Some(cursor) = self.cursor else {
            return;
        };
        let earlier = self.cluster.try_borrow().ok().and_then(|c| {
            (0..cursor)
                .rev()
                .find(|&i| self.show_heartbeats || !c.trace().get(i).is_some_and(is_heartbeat))
        });
        if let Some(earlier) = earlier {
            self.cursor = Some(earlier);
        }
    }

    /// Whether the entry on screen is one the trace does not list.
    fn hides_cursor(&self) -> bool {
        !self.show_heartbeats && self.current_entry().is_some_and(|e| is_heartbeat(&e))
    }

    /// The cluster's virtual clock.
    fn clock(&self) -> Millis {
        self.cluster.try_borrow().map(|c| c.now()).unwrap_or(0)
    }

    /// Move the cursor one entry on, running the cluster if every entry has been shown.
    /// False when nothing happens within [`LOOKAHEAD_MS`].
    fn step_one(&mut self) -> bool {
        let next = self.cursor.map_or(0, |c| c + 1);
        if next < self.revealed {
            self.cursor = Some(next);
            return true;
        }
        let have_more = self
            .with_cluster(|c| c.trace().len() > next || run_until_trace_grows(c))
            .unwrap_or(false);
        if have_more {
            self.record(Move::Advance(1));
            self.revealed = next + 1;
            self.cursor = Some(next);
        }
        have_more
    }

    /// Show everything that happens within [`LOOKAHEAD_MS`].
    fn run_to_end(&mut self) {
        self.record(Move::Run);
        if let Some(len) = self.with_cluster(|c| {
            run_for(c, LOOKAHEAD_MS);
            c.trace().len()
        }) {
            self.revealed = len;
            self.cursor = len.checked_sub(1);
            if self.hides_cursor() {
                self.step_back();
            }
        }
    }

    fn reset(&mut self) {
        let yaml = std::mem::take(&mut self.yaml);
        let console = Rc::clone(&self.console);
        let your_text = self.your_text.take();
        let version = self.version + 1;
        *self = Lab::new(Cluster::new(Preset::Default, SEED), yaml);
        self.version = version;
        self.console = console;
        self.your_text = your_text;
        self.log(ConsoleEntry::note("A fresh cluster was started."));
    }

    /// Change the cluster; `None` if it is busy (it never is between two events).
    fn with_cluster<T>(&mut self, change: impl FnOnce(&mut Cluster) -> T) -> Option<T> {
        let mut cluster = self.cluster.try_borrow_mut().ok()?;
        self.version += 1;
        Some(change(&mut cluster))
    }

    fn log(&mut self, entry: ConsoleEntry) {
        Rc::make_mut(&mut self.console).push(entry);
    }
}

/// `at` as this page can show it: a tour it has, at a step the tour has; `None` otherwise.
fn known_tour(at: &TourAt) -> Option<TourAt> {
    crate::tours::resume(at).map(|(tour, step)| TourAt {
        id: tour.id.to_string(),
        step,
    })
}

/// Whether `text` is something the user typed: not blank and not an untouched example.
pub fn is_user_text(text: &str) -> bool {
    !text.trim().is_empty() && example_with_text(text).is_none()
}

/// The command a prompt line stands for: `get pods` means `kubectl get pods`; `etcdctl …` reads
/// etcd directly. `None` when blank.
pub fn normalize_prompt_line(line: &str) -> Option<String> {
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    if line == "clear"
        || line == "kubectl"
        || line.starts_with("kubectl ")
        || is_script_line(line)
        || is_etcdctl(line)
        || line.starts_with("podlab ")
    {
        return Some(line.to_string());
    }
    Some(format!("kubectl {line}"))
}

/// Whether a prompt line is one of a scenario script's own steps ([`crate::tours::script_line`]):
/// `sleep N`, `podlab traffic ...`, `podlab mesh ...` or `istioctl ...`.
fn is_script_line(line: &str) -> bool {
    line == "sleep"
        || line.starts_with("sleep ")
        || line.starts_with("podlab traffic")
        || line.starts_with("podlab mesh")
        || line == "istioctl"
        || line.starts_with("istioctl ")
}

fn unknown_directive(command: &str) -> CommandOutput {
    CommandOutput {
        text: format!("unknown podlab directive: {command}"),
        exit_code: 1,
    }
}

/// The verb and node of a `podlab node stop|start|disconnect|reconnect NODE` line.
pub fn node_directive(line: &str) -> Option<(&str, &str)> {
    match line.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["podlab", "node", verb, node] => Some((verb, node)),
        _ => None,
    }
}

/// Run a node directive on `cluster`; the console shows the kubelet's new state, or why not.
fn node_directive_output(cluster: &mut Cluster, verb: &str, node: &str) -> CommandOutput {
    match cluster.node_directive(verb, node) {
        Ok(state) => CommandOutput {
            text: format!("kubelet on {node}: {}", state.label()),
            exit_code: 0,
        },
        Err(why) => CommandOutput {
            text: why,
            exit_code: 1,
        },
    }
}

/// Whether a prompt line is an `etcdctl` command (possibly after `ETCDCTL_API=3`).
pub fn is_etcdctl(line: &str) -> bool {
    let mut words = line
        .split_whitespace()
        .skip_while(|w| w.starts_with("ETCDCTL_API="));
    words.next() == Some("etcdctl")
}

/// Process events until a trace entry appears, nothing is scheduled, or the next event lies more
/// than [`LOOKAHEAD_MS`] ahead. True when the trace grew.
pub fn run_until_trace_grows(cluster: &mut Cluster) -> bool {
    let before = cluster.trace().len();
    let deadline = cluster.now().saturating_add(LOOKAHEAD_MS);
    for _ in 0..MAX_EVENTS_PER_SEARCH {
        if cluster.trace().len() > before || !step_if_due(cluster, deadline) {
            break;
        }
    }
    cluster.trace().len() > before
}

/// Process every event due within `window` of virtual time from now.
pub fn run_for(cluster: &mut Cluster, window: Millis) {
    let deadline = cluster.now().saturating_add(window);
    for _ in 0..MAX_EVENTS_PER_SEARCH {
        if !step_if_due(cluster, deadline) {
            break;
        }
    }
}

/// Process the next event if it is due by `deadline`. False if it is not, or if none is scheduled.
fn step_if_due(cluster: &mut Cluster, deadline: Millis) -> bool {
    match cluster.next_event_at() {
        Some(at) if at <= deadline => cluster.step(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn lab() -> Lab {
        Lab::new(
            Cluster::new(Preset::Default, SEED),
            DEFAULT_YAML.to_string(),
        )
    }

    #[wasm_bindgen_test]
    fn prompt_lines_are_kubectl_commands() {
        assert_eq!(
            normalize_prompt_line("  get pods -o wide "),
            Some("kubectl get pods -o wide".to_string())
        );
        assert_eq!(
            normalize_prompt_line("kubectl get svc"),
            Some("kubectl get svc".to_string())
        );
        assert_eq!(normalize_prompt_line("   "), None);
    }

    #[wasm_bindgen_test]
    fn etcdctl_lines_go_to_etcd() {
        assert_eq!(
            normalize_prompt_line("etcdctl get / --prefix --keys-only"),
            Some("etcdctl get / --prefix --keys-only".to_string())
        );
        assert!(is_etcdctl("ETCDCTL_API=3 etcdctl endpoint status"));
        assert!(!is_etcdctl("get etcdctl"));
        let mut lab = lab();
        lab.act(Action::Kubectl(
            "etcdctl get /registry/namespaces/default --keys-only".into(),
        ));
        let last = lab.console.last().cloned().unwrap();
        assert_eq!(last.output, "/registry/namespaces/default");
        lab.act(Action::SelectKey("/registry/namespaces/default".into()));
        assert_eq!(
            lab.etcd_key.as_deref(),
            Some("/registry/namespaces/default")
        );
    }

    #[wasm_bindgen_test]
    fn editing_and_failing_never_lose_the_text() {
        let mut lab = lab();
        lab.act(Action::EditYaml("kind: [".to_string()));
        assert_eq!(lab.yaml, "kind: [");
        lab.act(Action::Apply("kind: [".to_string()));
        assert_eq!(lab.yaml, "kind: [");
        let failure = lab.failure.clone().unwrap_or_default();
        assert_eq!(
            failure.markers.len(),
            1,
            "the YAML error is placed on a line"
        );
        let rejected = failure.trace.rejected.first().copied();
        assert_eq!(lab.cursor, rejected, "the refusing step is on screen");
        lab.act(Action::Reset);
        assert_eq!(lab.yaml, "kind: [");
    }

    #[wasm_bindgen_test]
    fn apply_logs_the_command() {
        let mut lab = lab();
        lab.act(Action::Apply(DEFAULT_YAML.to_string()));
        let last = lab.console.last().cloned();
        assert_eq!(last.map(|e| e.command), Some(APPLY_COMMAND.to_string()));
        assert!(
            lab.playing,
            "a successful apply plays what it set in motion"
        );
    }

    #[wasm_bindgen_test]
    fn step_reveals_one_entry_at_a_time_and_select_goes_back() {
        let mut lab = lab();
        lab.act(Action::Apply(DEFAULT_YAML.to_string()));
        lab.act(Action::Pause);
        let start = lab.revealed;
        lab.act(Action::Step);
        assert_eq!((lab.cursor, lab.revealed), (Some(start), start + 1));
        lab.act(Action::Step);
        assert_eq!((lab.cursor, lab.revealed), (Some(start + 1), start + 2));
        lab.act(Action::Select(start));
        assert_eq!(lab.cursor, Some(start));
        // Stepping again walks through what was already shown before revealing anything new.
        lab.act(Action::Step);
        assert_eq!((lab.cursor, lab.revealed), (Some(start + 1), start + 2));
    }

    #[wasm_bindgen_test]
    fn apply_after_going_back_plays_from_the_latest_step() {
        let mut lab = lab();
        lab.act(Action::Apply(DEFAULT_YAML.to_string()));
        lab.act(Action::Run);
        lab.act(Action::Select(0));
        lab.act(Action::Apply(DEFAULT_YAML.to_string()));
        assert_eq!(lab.cursor, lab.revealed.checked_sub(1));
        assert!(lab.playing);
    }

    #[wasm_bindgen_test]
    fn run_reveals_the_whole_trace_and_stops_playing() {
        let mut lab = lab();
        lab.act(Action::Apply(DEFAULT_YAML.to_string()));
        lab.act(Action::Run);
        let cluster = lab.cluster.borrow();
        let trace = cluster.trace();
        assert_eq!(lab.revealed, trace.len());
        // The cursor rests on the last entry the trace lists: heartbeats are hidden by default.
        let last_listed = trace.iter().rposition(|e| !is_heartbeat(e));
        assert_eq!(lab.cursor, last_listed);
        assert!(!lab.playing);
    }

    #[wasm_bindgen_test]
    fn select_only_reaches_revealed_entries() {
        let mut lab = lab();
        let before = lab.cursor;
        lab.act(Action::Select(lab.revealed + 5));
        assert_eq!(lab.cursor, before);
    }

    #[wasm_bindgen_test]
    fn a_tick_after_pause_changes_nothing() {
        let lab = Rc::new(lab());
        let same = Rc::clone(&lab).reduce(Action::Tick);
        assert!(Rc::ptr_eq(&lab, &same));
    }

    #[wasm_bindgen_test]
    fn step_back_shows_the_previous_entry_and_stops_at_the_first() {
        let mut lab = lab();
        lab.act(Action::Apply(DEFAULT_YAML.to_string()));
        lab.act(Action::Step);
        lab.act(Action::Step);
        let cursor = lab.cursor.unwrap_or_default();
        lab.act(Action::StepBack);
        assert_eq!(lab.cursor, Some(cursor - 1));
        assert!(!lab.playing);
        lab.act(Action::Select(0));
        lab.act(Action::StepBack);
        assert_eq!(lab.cursor, Some(0));
    }

    #[wasm_bindgen_test]
    fn space_toggles_play() {
        let mut lab = lab();
        lab.act(Action::Apply(DEFAULT_YAML.to_string()));
        assert!(lab.playing);
        lab.act(Action::TogglePlay);
        assert!(!lab.playing);
        lab.act(Action::TogglePlay);
        assert!(lab.playing);
    }

    #[wasm_bindgen_test]
    fn choosing_an_example_keeps_what_the_user_typed() {
        let mut lab = lab();
        lab.act(Action::ChooseExample("crash-loop".into()));
        assert_eq!(lab.yaml, crate::examples::CRASH_LOOP);
        assert_eq!(lab.your_text, None, "an untouched example is not kept");
        lab.act(Action::EditYaml("kind: Mine\n".into()));
        lab.act(Action::ChooseExample("pod".into()));
        assert_eq!(lab.yaml, crate::examples::NGINX_POD);
        assert_eq!(lab.your_text.as_deref(), Some("kind: Mine\n"));
        assert!(!lab.would_drop_your_text());
        lab.act(Action::EditYaml("kind: Other\n".into()));
        assert!(lab.would_drop_your_text(), "the page asks first");
        lab.act(Action::RestoreYourText);
        assert_eq!(lab.yaml, "kind: Mine\n");
        assert_eq!(lab.your_text.as_deref(), Some("kind: Other\n"));
        lab.act(Action::ChooseExample("no-such-example".into()));
        assert_eq!(lab.yaml, "kind: Mine\n");
        lab.act(Action::Reset);
        assert_eq!(lab.your_text.as_deref(), Some("kind: Other\n"));
    }

    #[wasm_bindgen_test]
    fn a_shared_scenario_replays_to_the_same_step() {
        let mut lab = lab();
        lab.act(Action::EditYaml(crate::examples::NGINX_POD.into()));
        lab.act(Action::Apply(crate::examples::NGINX_POD.into()));
        lab.act(Action::Pause);
        for _ in 0..5 {
            lab.act(Action::Step);
        }
        lab.act(Action::Kubectl("get pods".into()));
        lab.act(Action::Run);
        lab.act(Action::Kubectl("get pods -o wide".into()));
        lab.act(Action::Select(3));
        lab.act(Action::EditYaml("kind: Mine\n".into()));
        let scenario = lab.to_scenario();
        assert_eq!(
            scenario.moves.first(),
            Some(&Move::Apply(Some(crate::examples::NGINX_POD.into())))
        );
        assert_eq!(scenario.moves.get(1), Some(&Move::Advance(5)));
        let fragment = scenario.to_fragment();
        let decoded = Scenario::from_fragment(&fragment).and_then(Result::ok);
        assert_eq!(decoded.as_ref(), Some(&scenario));

        let mut other = Lab::starting_with("kind: Theirs\n".into(), None);
        other.act(Action::Restore(scenario));
        assert_eq!(other.yaml, "kind: Mine\n");
        assert_eq!(other.your_text.as_deref(), Some("kind: Theirs\n"));
        assert_eq!((other.revealed, other.cursor), (lab.revealed, Some(3)));
        assert_eq!(
            other.cluster.borrow().trace().len(),
            lab.cluster.borrow().trace().len()
        );
        let commands = |l: &Lab| -> Vec<(String, String)> {
            l.console
                .iter()
                .filter(|e| !e.command.is_empty())
                .map(|e| (e.command.clone(), e.output.clone()))
                .collect()
        };
        assert_eq!(commands(&other), commands(&lab));
        assert!(!other.playing);
    }

    /// A link made during a tour reopens the tour at the same step, on the same trace.
    #[wasm_bindgen_test]
    fn a_share_link_reopens_the_tour_at_its_step() {
        let mut lab = lab();
        lab.act(Action::StartTour("rollout".into()));
        assert_eq!(
            lab.tour,
            Some(TourAt {
                id: "rollout".into(),
                step: 0
            })
        );
        lab.act(Action::TourStep(Some(4)));
        lab.act(Action::TourStep(Some(999)));
        let last = crate::tours::ROLLOUT.steps.len() - 1;
        assert_eq!(lab.tour.as_ref().map(|t| t.step), Some(last));
        lab.act(Action::TourStep(Some(4)));
        let scenario = lab.to_scenario();
        let decoded = Scenario::from_fragment(&scenario.to_fragment()).and_then(Result::ok);
        assert_eq!(decoded.as_ref(), Some(&scenario));

        let mut other = Lab::default();
        other.act(Action::Restore(scenario));
        assert_eq!(other.tour, lab.tour);
        assert_eq!(
            other.console.last().map(|e| e.output.as_str()),
            Some(&*format!(
                "Replayed a shared scenario (4 moves). Guided tour \"What happens during a Deployment rollout\", step 5 of {}.",
                last + 1
            ))
        );
        assert_eq!(
            other.cluster.borrow().trace().len(),
            lab.cluster.borrow().trace().len()
        );
        // A link without a tour, or naming one this page does not have, leaves no tour open.
        other.act(Action::Restore(Scenario {
            tour: Some(TourAt {
                id: "gone".into(),
                step: 1,
            }),
            ..lab.to_scenario()
        }));
        assert_eq!(other.tour, None);
        lab.act(Action::TourStep(None));
        assert_eq!(lab.tour, None);
        assert_eq!(lab.to_scenario().tour, None);
    }

    /// The shutdown race's prompt lines: sleep lets time pass, podlab traffic sends requests.
    #[wasm_bindgen_test]
    fn sleep_and_traffic_run_at_the_prompt() {
        let mut lab = lab();
        let before = lab.clock();
        lab.act(Action::Kubectl("sleep 2".into()));
        assert_eq!(lab.clock(), before + 2_000);
        lab.act(Action::Kubectl("podlab traffic report".into()));
        assert_eq!(
            lab.console
                .last()
                .map(|e| (e.command.as_str(), e.output.as_str())),
            Some(("podlab traffic report", "no traffic was sent"))
        );
        lab.act(Action::Kubectl("podlab traffic dance".into()));
        assert_eq!(
            lab.console.last().map(|e| e.output.as_str()),
            Some("unknown podlab directive: podlab traffic dance")
        );
        assert_eq!(lab.moves.first(), Some(&Move::Kubectl("sleep 2".into())));
    }

    #[wasm_bindgen_test]
    fn node_controls_are_prompt_moves_that_a_share_link_replays() {
        use crate::kubelet::heartbeat::KubeletState;
        let mut lab = lab();
        lab.act(Action::Node(NodeAction::StopKubelet, "worker-2".into()));
        assert_eq!(
            lab.moves.last(),
            Some(&Move::Kubectl("podlab node stop worker-2".into()))
        );
        let last = lab
            .console
            .last()
            .cloned()
            .unwrap_or_else(|| ConsoleEntry::note(""));
        assert_eq!(last.output, "kubelet on worker-2: stopped");
        lab.act(Action::Run);
        lab.act(Action::Kubectl("podlab node stop nowhere".into()));
        let last = lab
            .console
            .last()
            .cloned()
            .unwrap_or_else(|| ConsoleEntry::note(""));
        assert_eq!(
            (last.output.as_str(), last.exit_code),
            ("podlab node: no kubelet runs on node \"nowhere\"", 1)
        );

        let mut other = Lab::starting_with(String::new(), None);
        other.act(Action::Restore(lab.to_scenario()));
        let state = other.cluster.borrow().kubelet_state("worker-2");
        assert_eq!(state, Some(KubeletState::Stopped));
        assert_eq!(
            other.cluster.borrow().trace().len(),
            lab.cluster.borrow().trace().len()
        );
    }

    #[wasm_bindgen_test]
    fn step_passes_over_hidden_heartbeats() {
        let on_heartbeat = |l: &Lab| l.current_entry().is_some_and(|e| is_heartbeat(&e));
        let mut hiding = lab();
        hiding.act(Action::Apply(crate::examples::NGINX_POD.into()));
        hiding.act(Action::Pause);
        let mut landed = Vec::new();
        for _ in 0..10 {
            hiding.act(Action::Step);
            landed.push(on_heartbeat(&hiding));
        }
        assert!(landed.iter().all(|on| !on), "{landed:?}");

        let mut showing = lab();
        showing.act(Action::ToggleHeartbeats);
        let mut landed = false;
        for _ in 0..30 {
            showing.act(Action::Step);
            landed |= on_heartbeat(&showing);
        }
        assert!(landed, "shown heartbeats are stepped on");
    }
}
