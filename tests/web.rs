#![cfg(target_arch = "wasm32")]
//! Browser tests of the page: mount the real app, click its buttons as a user would, read the DOM.
//!
//! Run with `cargo test --target wasm32-unknown-unknown --test web` (wasm-bindgen-test-runner and
//! a webdriver).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::net::Ipv4Addr;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{
    Element, Event, HtmlElement, HtmlInputElement, HtmlTextAreaElement, KeyboardEvent,
    KeyboardEventInit,
};

wasm_bindgen_test_configure!(run_in_browser);

/// The manifest of fidelity case 06-yaml-syntax: `ports` is indented one space too little.
const BROKEN_YAML: &str = "apiVersion: v1
kind: Pod
metadata:
  name: broken
spec:
  containers:
  - name: app
    image: nginx
   ports:
    - containerPort: 80
";

/// What kubectl v1.36 printed for [`BROKEN_YAML`] (fidelity/cases/06-yaml-syntax.out).
const BROKEN_YAML_ERROR: &str = "error: error parsing STDIN: error converting YAML to JSON: \
yaml: line 8: did not find expected key";

/// The manifest of fidelity case 03-invalid-name: a Pod and a container named against the rules.
const INVALID_NAMES: &str = "apiVersion: v1
kind: Pod
metadata:
  name: My_Pod
spec:
  containers:
  - name: Web_Server
    image: nginx
";

/// The two field errors kubectl v1.36 printed for [`INVALID_NAMES`]
/// (fidelity/cases/03-invalid-name.out), each without its `* `.
const INVALID_NAME_ERRORS: [&str; 2] = [
    "metadata.name: Invalid value: \"My_Pod\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    "spec.containers[0].name: Invalid value: \"Web_Server\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
];

/// How long to wait for the page to show something before failing.
const PATIENCE_MS: u32 = 5_000;

#[wasm_bindgen_test]
async fn apply_then_run_starts_nginx_and_fills_its_endpoints() {
    let root = mount_fresh_app().await;
    apply_and_run(&root).await;
    let running = wait_until(&root, |root| {
        text_of(root, "#cluster .pod[data-pod=nginx] .pod-phase") == "Running"
    })
    .await;

    let console = text_of(&root, "#console");
    assert!(
        console.contains("pod/nginx created") && console.contains("service/nginx created"),
        "the console shows what kubectl apply printed; it shows: {console:?}"
    );
    assert!(
        running,
        "the nginx pod chip should say Running; the diagram shows: {:?}",
        text_of(&root, "#cluster")
    );

    let ip_text = text_of(&root, "#cluster .pod[data-pod=nginx] .pod-ip");
    let ip: Ipv4Addr = ip_text
        .parse()
        .unwrap_or_else(|_| panic!("the pod chip should show an IPv4 address, not {ip_text:?}"));
    let chip = find(&root, "#cluster .pod[data-pod=nginx]");
    let node = chip
        .closest(".node")
        .ok()
        .flatten()
        .expect("a scheduled pod is drawn inside its node's box");
    let pod_cidr = node.get_attribute("data-pod-cidr").unwrap_or_default();
    assert!(
        pod_cidr == "10.244.1.0/24" || pod_cidr == "10.244.2.0/24",
        "nginx runs on a worker (the control plane is tainted NoSchedule), not on {pod_cidr:?}"
    );
    assert!(
        cidr_contains(&pod_cidr, ip),
        "the pod IP {ip} comes from its node's podCIDR {pod_cidr}"
    );

    let endpoints = text_of(&root, "#services .service[data-service=nginx] .endpoints");
    let expected = format!("{ip}:80");
    assert!(
        endpoints.split(',').any(|e| e.trim() == expected),
        "the nginx Service's endpoints should list {expected}, they show {endpoints:?}"
    );
    assert_eq!(
        count(&root, "#trace li.trace-entry.current"),
        1,
        "exactly one trace entry is the current one"
    );
}

#[wasm_bindgen_test]
async fn the_prompt_runs_kubectl_get_pods_wide() {
    let root = mount_fresh_app().await;
    apply_and_run(&root).await;
    settle().await;
    let prompt: HtmlInputElement = find(&root, "#kubectl")
        .dyn_into()
        .expect("#kubectl is an input");
    prompt.set_value("kubectl get pods -o wide");
    let init = KeyboardEventInit::new();
    init.set_key("Enter");
    let enter = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
        .expect("a keydown event");
    prompt.dispatch_event(&enter).expect("dispatching Enter");
    let answered = wait_until(&root, |root| {
        text_of(root, "#console").contains("$ kubectl get pods -o wide")
    })
    .await;
    assert!(answered, "the console echoes the command");
    settle().await;

    // The columns of `kubectl get pods -o wide` (fidelity/cases/07-schedule-basic.out).
    let console = text_of(&root, "#console");
    let after_command = console
        .split("$ kubectl get pods -o wide")
        .nth(1)
        .unwrap_or_default();
    let mut lines = after_command
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty());
    let header: Vec<&str> = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        [
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
            "IP",
            "NODE",
            "NOMINATED",
            "NODE",
            "READINESS",
            "GATES"
        ],
        "the -o wide header; the console shows {after_command:?}"
    );
    let nginx: Vec<&str> = lines
        .find(|l| l.starts_with("nginx "))
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let ip = text_of(&root, "#cluster .pod[data-pod=nginx] .pod-ip");
    assert!(
        nginx.len() >= 7
            && nginx[1] == "1/1"
            && nginx[2] == "Running"
            && nginx[5] == ip
            && nginx[6].starts_with("worker-"),
        "nginx is listed Running, ready, with the IP the diagram shows ({ip:?}): {nginx:?}"
    );
    assert_eq!(
        prompt.value(),
        "",
        "the prompt is cleared for the next command"
    );
}

#[wasm_bindgen_test]
async fn step_shows_one_more_entry_and_highlights_its_actors() {
    let root = mount_fresh_app().await;
    click(&root, "#apply");
    click(&root, "#pause");
    settle().await;
    let before = listed(&root);
    click(&root, "#step");
    let stepped = wait_until(&root, |root| listed(root) == before + 1).await;
    assert!(
        stepped,
        "Step lists exactly one more trace entry (had {before}, now {})",
        listed(&root)
    );
    assert!(
        find(&root, "#trace li.trace-entry:last-child")
            .matches(".current")
            .unwrap_or(false),
        "the entry Step revealed is the current one"
    );
    assert!(
        count(&root, "#cluster .component.acting") + count(&root, "#cluster .component.receiving")
            >= 1,
        "the current step's components are highlighted in the diagram"
    );
}

#[wasm_bindgen_test]
async fn bad_yaml_prints_the_kubectl_error_and_keeps_the_text() {
    let root = mount_fresh_app().await;
    let editor: HtmlTextAreaElement = find(&root, "#editor")
        .dyn_into()
        .expect("#editor is a textarea");
    editor.set_value(BROKEN_YAML);
    let input = Event::new("input").expect("an input event");
    editor.dispatch_event(&input).expect("dispatching input");
    settle().await;
    click(&root, "#apply");
    let failed = wait_until(&root, |root| count(root, "#console .error") > 0).await;

    assert!(
        failed,
        "a failed apply shows an error line; the console shows: {:?}",
        text_of(&root, "#console")
    );
    let errors = text_of(&root, "#console .console-output.error");
    assert!(
        errors.contains(BROKEN_YAML_ERROR),
        "the console shows kubectl's own message; it shows: {errors:?}"
    );
    settle().await;
    assert_eq!(
        editor.value(),
        BROKEN_YAML,
        "the editor keeps what was typed"
    );
}

#[wasm_bindgen_test]
async fn invalid_names_are_marked_on_their_lines_and_validation_refused_them() {
    let root = mount_fresh_app().await;
    type_into_editor(&root, INVALID_NAMES).await;
    click(&root, "#apply");
    let marked = wait_until(&root, |root| count(root, "#editor-markers .marker") == 2).await;
    assert!(
        marked,
        "two errors are listed under the editor; it shows {:?}",
        text_of(&root, "#editor-markers")
    );
    let lines: Vec<&str> = INVALID_NAMES.lines().collect();
    for (line, message) in [(4, INVALID_NAME_ERRORS[0]), (7, INVALID_NAME_ERRORS[1])] {
        let marker = format!("#editor-markers .marker[data-line='{line}'] .marker-message");
        assert_eq!(
            text_of(&root, &marker),
            message,
            "the message of line {line}"
        );
        let gutter = format!("#editor-gutter .gutter-line.marked[data-line='{line}']");
        assert_eq!(count(&root, &gutter), 1, "the gutter marks line {line}");
    }
    assert_eq!(lines[3], "  name: My_Pod");
    assert_eq!(lines[6], "  - name: Web_Server");
    assert_eq!(count(&root, "#editor-gutter .gutter-line.marked"), 2);

    let rejected = find(&root, "#trace li.trace-entry.rejected");
    assert_eq!(count(&root, "#trace li.trace-entry.rejected"), 1);
    assert_eq!(
        text_of(&root, "#trace li.trace-entry.rejected .action"),
        "validation",
        "the validation stage refused the Pod"
    );
    assert!(
        rejected.matches(".current").unwrap_or(false),
        "the refusing step is the one on screen"
    );
    assert_eq!(
        text_of(&root, "#trace li.trace-entry.error-response .action"),
        "422 Unprocessable Entity"
    );
    assert!(find(&root, "#current-step")
        .matches(".rejected")
        .unwrap_or(false));
    let detail = text_of(&root, "#current-step .detail");
    assert!(
        detail.starts_with("Pod \"My_Pod\" is invalid: ")
            && detail.contains(INVALID_NAME_ERRORS[1]),
        "the step shows the server's message: {detail:?}"
    );
}

#[wasm_bindgen_test]
async fn bad_yaml_is_marked_on_the_line_kubectl_could_not_read() {
    let root = mount_fresh_app().await;
    type_into_editor(&root, BROKEN_YAML).await;
    click(&root, "#apply");
    let marked = wait_until(&root, |root| count(root, "#editor-markers .marker") == 1).await;
    assert!(marked, "the YAML error is listed under the editor");
    // go-yaml reports line 8, the line before the one it could not read: `   ports:` is line 9.
    assert_eq!(BROKEN_YAML.lines().nth(8), Some("   ports:"));
    assert_eq!(
        count(&root, "#editor-gutter .gutter-line.marked[data-line='9']"),
        1,
        "the gutter marks line 9"
    );
    assert_eq!(
        text_of(
            &root,
            "#editor-markers .marker[data-line='9'] .marker-message"
        ),
        BROKEN_YAML_ERROR
            .strip_prefix("error: ")
            .unwrap_or_default()
    );
    assert_eq!(
        text_of(&root, "#trace li.trace-entry.rejected .actor.from"),
        "kubectl",
        "kubectl refused the manifest itself, before any request"
    );
}

#[wasm_bindgen_test]
async fn the_etcd_panel_shows_a_keys_value_and_revisions() {
    let root = mount_fresh_app().await;
    apply_and_run(&root).await;
    click(&root, "#etcd summary");
    let key = "/registry/pods/default/nginx";
    let selector = format!("#etcd-keys .etcd-key[data-key='{key}']");
    let listed = wait_until(&root, |root| count(root, &selector) == 1).await;
    assert!(
        listed,
        "the etcd panel lists {key}; it shows {:?}",
        text_of(&root, "#etcd-keys")
    );
    click(&root, &selector);
    let shown = wait_until(&root, |root| {
        text_of(root, "#etcd-value .etcd-selected-key") == key
    })
    .await;
    assert!(
        shown,
        "clicking a key shows its value; the panel shows {:?}",
        text_of(&root, "#etcd-value")
    );
    assert!(
        text_of(&root, "#etcd-value .etcd-json").contains("\"nodeName\""),
        "after Run the stored pod is bound to a node"
    );
    let created: i64 = text_of(&root, "#etcd-value .create-revision")
        .parse()
        .unwrap_or(0);
    let modified: i64 = text_of(&root, "#etcd-value .mod-revision")
        .parse()
        .unwrap_or(0);
    let version: i64 = text_of(&root, "#etcd-value .version").parse().unwrap_or(0);
    assert!(
        created > 0 && modified > created && version > 1,
        "revisions {created} {modified} {version}"
    );

    // Going back to the first step shows the store before the pod existed.
    press("Home");
    let gone = wait_until(&root, |root| count(root, &selector) == 0).await;
    assert!(gone, "at the first step etcd holds no nginx pod yet");
    assert!(text_of(&root, "#etcd-value").contains("not in etcd at revision"));
}

#[wasm_bindgen_test]
async fn the_network_panel_shows_each_consumers_view_at_the_step() {
    let root = mount_fresh_app().await;
    apply_and_run(&root).await;
    click(&root, "#network summary");
    let programmed = wait_until(&root, |root| {
        text_of(root, "#network-rules").contains("-j DNAT --to-destination 10.244.")
            && text_of(root, "#network-dns").contains("nginx.default.svc.cluster.local. 5 IN A 10.")
    })
    .await;
    assert!(
        programmed,
        "after Run kube-proxy has a DNAT rule for nginx and CoreDNS its A record; the panel shows {:?} and {:?}",
        text_of(&root, "#network-rules"),
        text_of(&root, "#network-dns")
    );
    // At the first step no consumer has heard of the Service yet.
    press("Home");
    let before = wait_until(&root, |root| {
        !text_of(root, "#network-rules").contains("default/nginx")
            && !text_of(root, "#network-dns").contains("nginx.default")
    })
    .await;
    assert!(
        before,
        "at the first step no consumer knows the nginx Service: {:?}",
        text_of(&root, "#network-rules")
    );
}

#[wasm_bindgen_test]
async fn the_inspector_shows_a_pods_yaml_events_and_logs_at_the_step() {
    let root = mount_fresh_app().await;
    apply_and_run(&root).await;
    settle().await;
    click(&root, "#inspector summary");
    settle().await;
    choose(&root, "#inspector-objects", "/registry/pods/default/nginx").await;
    let running = wait_until(&root, |root| {
        text_of(root, "#inspector-section").contains("phase: Running")
    })
    .await;
    assert!(
        running,
        "after Run the inspected pod's YAML says Running: {:?}",
        text_of(&root, "#inspector-section")
    );
    for (tab, wanted) in [
        ("Events", "Successfully assigned default/nginx to"),
        ("Logs", "Configuration complete; ready for start up"),
    ] {
        click_tab(&root, tab);
        let shown = wait_until(&root, |root| {
            text_of(root, "#inspector-section").contains(wanted)
        })
        .await;
        assert!(
            shown,
            "the {tab} tab shows {wanted:?}: {:?}",
            text_of(&root, "#inspector-section")
        );
    }
}

/// A Deployment of more pods than the pods table renders at once (the rows in its box and an
/// overscan of 30 either side).
const FIFTY_REPLICAS: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: many
spec:
  replicas: 50
  selector:
    matchLabels:
      app: many
  template:
    metadata:
      labels:
        app: many
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
";

#[wasm_bindgen_test]
async fn the_pods_table_and_ownership_tree_render_the_rows_in_view_and_follow_a_scroll() {
    let style = add_page_stylesheet();
    let root = mount_fresh_app().await;
    type_into_editor(&root, FIFTY_REPLICAS).await;
    apply_and_run(&root).await;
    let listed_all = |root: &Element| {
        find(root, "#pods").get_attribute("data-listed").as_deref() == Some("50")
            && find_all(root, "#ownership").len() == 1
            && find(root, "#ownership")
                .get_attribute("data-listed")
                .as_deref()
                == Some("52")
    };
    let mut waited = 0;
    while !listed_all(&root) && waited < 60_000 {
        sleep(100).await;
        waited += 100;
    }
    assert!(
        listed_all(&root),
        "the table lists 50 pods, the tree 52 lines"
    );

    // Once the boxes are measured (a ResizeObserver reports them after the next layout), each
    // renders the rows in view and an overscan.
    let windowed = |root: &Element| {
        let rows = pod_rows(root).len();
        rows < 50 && rows > 10 && find_all(root, "#ownership li.owned").len() < 52
    };
    assert!(
        wait_until(&root, windowed).await,
        "the table renders the rows in view and an overscan, not all 50 ({}), nor the tree all 52 \
         lines ({})",
        pod_rows(&root).len(),
        find_all(&root, "#ownership li.owned").len()
    );
    let rendered = pod_rows(&root);
    let tree_lines = find_all(&root, "#ownership li.owned");
    assert_eq!(
        tree_lines[0].get_attribute("aria-level").as_deref(),
        Some("1"),
        "the Deployment is the tree's first line, at level 1"
    );
    assert_eq!(
        tree_lines[0].get_attribute("data-kind").as_deref(),
        Some("Deployment")
    );

    // Scrolled to its end, the table renders the last rows instead of the first.
    let scroller: HtmlElement = find(&root, ".pods-scroll").dyn_into().expect("an element");
    scroller.set_scroll_top(scroller.scroll_height());
    let scrolled = wait_until(&root, |root| {
        let now = pod_rows(root);
        !now.is_empty() && !now.contains(&rendered[0]) && now.len() < 50
    })
    .await;
    assert!(
        scrolled,
        "after scrolling to the end the first rows give way to the last: {:?}",
        pod_rows(&root)
    );
    style.remove();
}

#[wasm_bindgen_test]
async fn the_trace_and_sequence_diagram_scroll_to_keep_the_current_step_in_view() {
    let style = add_page_stylesheet();
    let root = mount_fresh_app().await;
    apply_and_run(&root).await;
    settle().await;
    // Whether the current trace line, and the current arrow, lie inside their scrolling boxes.
    let in_view = |root: &Element, item: &str, scroller: &str| {
        let (Some(item), Some(scroller)) = (
            root.query_selector(item).ok().flatten(),
            root.query_selector(scroller).ok().flatten(),
        ) else {
            return false;
        };
        let (item, scroller) = (
            item.get_bounding_client_rect(),
            scroller.get_bounding_client_rect(),
        );
        item.top() >= scroller.top() - 1.0 && item.bottom() <= scroller.bottom() + 1.0
    };
    let current_in_view = |root: &Element| {
        in_view(root, "#trace .trace-entry.current", "#trace")
            && in_view(root, "#sequence .message.current .row", ".sequence-scroll")
    };
    press("Home");
    assert!(
        wait_until(&root, current_in_view).await,
        "the first step is in view"
    );
    let trace: HtmlElement = find(&root, "#trace").dyn_into().expect("an element");
    assert!(
        trace.scroll_height() > trace.client_height(),
        "the trace is longer than its box"
    );
    // Step forward past the box's last line: both views follow.
    let lines_in_box = (trace.client_height() / 22) as usize;
    for _ in 0..lines_in_box + 5 {
        click(&root, "#step");
        settle().await;
    }
    assert!(
        wait_until(&root, current_in_view).await,
        "after {} steps the current step is still in view (trace scrolled to {})",
        lines_in_box + 5,
        trace.scroll_top()
    );
    assert!(trace.scroll_top() > 0, "the trace scrolled down to follow");
    style.remove();
}

#[wasm_bindgen_test]
async fn the_step_detail_scrolls_a_long_request_body_in_a_box() {
    let style = add_page_stylesheet();
    let root = mount_fresh_app().await;
    apply_and_run(&root).await;
    settle().await;
    press("Home");
    settle().await;
    // Step to the kubelet's first status update: its body is the whole Pod as JSON.
    let at_status = |root: &Element| {
        text_of(root, "#current-step .action").ends_with("/pods/nginx/status")
            && root
                .query_selector("#current-step .detail")
                .ok()
                .flatten()
                .is_some()
    };
    for _ in 0..400 {
        if at_status(&root) {
            break;
        }
        click(&root, "#step");
        settle().await;
    }
    assert!(at_status(&root), "a step that PUTs the Pod's status");
    let detail: HtmlElement = find(&root, "#current-step .detail")
        .dyn_into()
        .expect("an element");
    assert!(
        detail.scroll_height() > detail.client_height() && detail.client_height() < 130,
        "the body ({} px) scrolls in a box of six lines ({} px)",
        detail.scroll_height(),
        detail.client_height()
    );
    assert_eq!(
        detail.tab_index(),
        0,
        "the box takes the focus, so that keys scroll it"
    );
    style.remove();
}

/// Add the page's own stylesheet (www/style.css) to the test page, as index.html links it: it
/// gives the scrolling boxes their heights and the rows theirs, so the lists render only the
/// rows in view as they do for a user. The caller removes it at its end.
fn add_page_stylesheet() -> Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let style = document.create_element("style").expect("a style element");
    style.set_text_content(Some(include_str!("../www/style.css")));
    document
        .head()
        .expect("a head")
        .append_child(&style)
        .expect("adding the stylesheet");
    style
}

/// The names of the pods table's rendered rows.
fn pod_rows(root: &Element) -> Vec<String> {
    find_all(root, "#pods tr.pod-row")
        .iter()
        .filter_map(|row| row.get_attribute("data-pod"))
        .collect()
}

/// Every element `selector` finds.
fn find_all(root: &Element, selector: &str) -> Vec<Element> {
    let found = root
        .query_selector_all(selector)
        .expect("a selector the page can run");
    (0..found.length())
        .filter_map(|i| found.get(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect()
}

/// Press `key` on the page, as the timeline's keyboard control hears it.
fn press(key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
        .expect("a keydown event");
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
        .dispatch_event(&event)
        .expect("dispatching the key");
}

/// Click the inspector's tab labelled `label`.
fn click_tab(root: &Element, label: &str) {
    let tabs = root
        .query_selector_all(".inspector-tab")
        .expect("a selector the page can run");
    let tab = (0..tabs.length())
        .filter_map(|i| tabs.get(i))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .find(|tab| tab.text_content().is_some_and(|t| t.trim() == label))
        .unwrap_or_else(|| panic!("the inspector has no {label} tab"));
    tab.click();
}

#[wasm_bindgen_test]
async fn an_example_replaces_the_text_only_after_keeping_it_and_both_are_saved() {
    let root = mount_fresh_app().await;
    type_into_editor(&root, "kind: Mine\n").await;
    choose_example(&root, "crash-loop").await;
    let editor: HtmlTextAreaElement = find(&root, "#editor").dyn_into().expect("a textarea");
    assert_eq!(editor.value(), podlab::examples::CRASH_LOOP);
    let storage = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage");
    assert_eq!(
        storage.get_item("podlab.editor").ok().flatten().as_deref(),
        Some(podlab::examples::CRASH_LOOP)
    );
    assert_eq!(
        storage
            .get_item("podlab.your-text")
            .ok()
            .flatten()
            .as_deref(),
        Some("kind: Mine\n")
    );
    choose_example(&root, "your-text").await;
    assert_eq!(editor.value(), "kind: Mine\n");
}

#[wasm_bindgen_test]
async fn a_share_link_replays_its_scenario_and_a_bad_one_says_why() {
    let scenario = podlab::examples::Scenario {
        v: podlab::examples::SHARE_VERSION,
        yaml: podlab::examples::NGINX_POD.to_string(),
        moves: vec![
            podlab::examples::Move::Apply(None),
            podlab::examples::Move::Advance(3),
            podlab::examples::Move::Kubectl("kubectl get pods".into()),
        ],
        revealed: 3,
        cursor: Some(1),
        tour: None,
    };
    set_hash(&scenario.to_fragment());
    let root = mount_fresh_app().await;
    let replayed = wait_until(&root, |root| {
        text_of(root, "#console").contains("$ kubectl get pods")
    })
    .await;
    assert!(replayed, "the link's command ran");
    assert_eq!(count(&root, ".trace-entry"), 3);
    assert_eq!(hash(), "", "the fragment is dropped");

    set_hash("s=%%%");
    let root = mount_fresh_app().await;
    let said = wait_until(&root, |root| count(root, "#notice") == 1).await;
    assert!(said, "a malformed link is reported");
    assert!(text_of(&root, "#notice").contains("could not be read: it is not base64url text"));
}

#[wasm_bindgen_test]
async fn stopping_a_kubelet_makes_its_node_not_ready_and_joins_the_shared_moves() {
    let root = mount_fresh_app().await;
    click(&root, "button[aria-label='Stop kubelet on worker-2']");
    let stopped = wait_until(&root, |root| {
        text_of(root, "#node-controls tr[data-node=worker-2] .kubelet-state") == "stopped"
    })
    .await;
    assert!(stopped, "the node controls show the kubelet stopped");
    assert!(text_of(&root, "#console").contains("$ podlab node stop worker-2"));
    // Past the 50 s node monitor grace period the node lifecycle controller marks it NotReady.
    click(&root, "#run");
    settle().await;
    click(&root, "#run");
    let not_ready = wait_until(&root, |root| {
        text_of(root, "#cluster .node[data-node=worker-2] .node-ready") == "NotReady"
    })
    .await;
    assert!(not_ready, "worker-2 goes NotReady");
}

/// The test page's `location.hash`.
/// The index of the trace entry on screen (`data-index` of the trace's current line).
fn current_index(root: &Element) -> Option<usize> {
    root.query_selector("#trace .current")
        .ok()
        .flatten()
        .and_then(|line| line.get_attribute("data-index"))
        .and_then(|index| index.parse().ok())
}

#[wasm_bindgen_test]
async fn a_guided_tour_moves_the_cursor_to_each_steps_entry() {
    use podlab::tours::{self, CREATE_POD};
    let root = mount_fresh_app().await;
    click(&root, "#tour-create-pod");
    let started = wait_until(&root, |root| {
        count(root, "#tour") == 1 && current_index(root).is_some()
    })
    .await;
    assert!(started, "the tour starts and puts a trace entry on screen");
    // The page replayed the tour's scenario on its seeded cluster: the same moves on a cluster of
    // the same seed give the same trace, so the entries the tour finds are these.
    let mut cluster = podlab::Cluster::new(podlab::Preset::Default, tours::SEED);
    tours::play(&CREATE_POD, &mut cluster);
    let found = tours::locate(&CREATE_POD, cluster.trace());

    let first = current_index(&root);
    assert_eq!(
        first, found[0],
        "step 1 is the entry the tour's first match finds"
    );
    assert!(
        text_of(&root, "#trace .current").contains("POST /api/v1/namespaces/default/pods"),
        "step 1 is kubectl's POST of the Pod; the trace shows: {:?}",
        text_of(&root, "#trace .current")
    );
    assert_eq!(text_of(&root, "#tour .tour-position"), "step 1 of 16");
    assert!(text_of(&root, "#tour .tour-doc").starts_with("Kubernetes docs:"));
    assert_eq!(
        find(&root, "#cluster .component.acting")
            .get_attribute("data-actor")
            .as_deref(),
        Some("kubectl"),
        "the map highlights the component acting"
    );

    click(&root, "#tour-next");
    let moved = wait_until(&root, |root| current_index(root) != first).await;
    assert!(moved, "Next moves the time-travel cursor");
    let second = current_index(&root);
    assert_eq!(
        second, found[1],
        "Next goes to the entry the second step matches"
    );
    assert!(second > first);
    assert_eq!(text_of(&root, "#tour .tour-position"), "step 2 of 16");
    assert!(text_of(&root, "#trace .current").contains("mutating admission"));
    assert!(
        count(&root, "#sequence .message.current") == 1,
        "the sequence diagram highlights the same entry"
    );

    click(&root, "#tour-back");
    let back = wait_until(&root, |root| current_index(root) == first).await;
    assert!(back, "Back returns to the first step's entry");
    click(&root, "#tour-exit");
    settle().await;
    assert_eq!(count(&root, "#tour"), 0, "Exit closes the tour");
    assert_eq!(count(&root, "#tours"), 1, "and offers the tours again");
}

fn hash() -> String {
    let window = web_sys::window().expect("a window");
    js_sys::Reflect::get(&window, &"location".into())
        .and_then(|location| js_sys::Reflect::get(&location, &"hash".into()))
        .ok()
        .and_then(|hash| hash.as_string())
        .unwrap_or_default()
}

/// Set the test page's `location.hash` with history.replaceState, which fires no `hashchange`
/// (the apps mounted by earlier tests listen for it).
fn set_hash(fragment: &str) {
    let window = web_sys::window().expect("a window");
    let history = js_sys::Reflect::get(&window, &"history".into()).expect("a history");
    let replace: js_sys::Function = js_sys::Reflect::get(&history, &"replaceState".into())
        .expect("replaceState")
        .dyn_into()
        .expect("a function");
    replace
        .call3(
            &history,
            &wasm_bindgen::JsValue::NULL,
            &"".into(),
            &format!("#{fragment}").into(),
        )
        .expect("replacing the address");
}

/// Apply the editor's text and Run, as a user starting a scenario would: the Run button then
/// shows the next 60 s of virtual time.
async fn apply_and_run(root: &Element) {
    click(root, "#apply");
    settle().await;
    click(root, "#run");
}

/// Choose `value` in the examples menu, as a user would.
async fn choose_example(root: &Element, value: &str) {
    choose(root, "#examples", value).await;
}

/// Choose `value` in the menu `selector` finds, as a user would.
async fn choose(root: &Element, selector: &str, value: &str) {
    let select = find(root, selector);
    js_sys::Reflect::set(&select, &"value".into(), &value.into()).expect("setting the value");
    let change = Event::new("change").expect("a change event");
    select.dispatch_event(&change).expect("dispatching change");
    settle().await;
}

/// Put `yaml` in the editor as typing would (an input event), and let the page take it.
async fn type_into_editor(root: &Element, yaml: &str) {
    let editor: HtmlTextAreaElement = find(root, "#editor")
        .dyn_into()
        .expect("#editor is a textarea");
    editor.set_value(yaml);
    let input = Event::new("input").expect("an input event");
    editor.dispatch_event(&input).expect("dispatching input");
    settle().await;
}

/// Mount the app in a new `div` of the test page and wait for its first render.
async fn mount_fresh_app() -> Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    // Each test starts as a first visit: no text saved by an earlier one.
    if let Ok(Some(storage)) = web_sys::window().expect("a window").local_storage() {
        storage.clear().expect("clearing localStorage");
    }
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appending the root");
    podlab::ui::mount(root.clone());
    let rendered = wait_until(&root, |root| count(root, "#apply") == 1).await;
    assert!(rendered, "the app renders its Apply button");
    root
}

/// How many entries the trace lists (it renders only those in view: `data-listed` says all).
fn listed(root: &Element) -> usize {
    find(root, "#trace")
        .get_attribute("data-listed")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Click on the element `selector` finds, as a user would.
fn click(root: &Element, selector: &str) {
    find(root, selector)
        .dyn_into::<HtmlElement>()
        .unwrap_or_else(|_| panic!("{selector} is an HTML element"))
        .click();
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("the page has no {selector}"))
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector)
        .map(|list| list.length())
        .unwrap_or(0)
}

/// The trimmed text of the first element `selector` finds; empty if none.
fn text_of(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .map(|t| t.trim().to_string())
        .unwrap_or_default()
}

/// Whether `ip` lies in `cidr` (`10.244.1.0/24`).
fn cidr_contains(cidr: &str, ip: Ipv4Addr) -> bool {
    let Some((network, prefix)) = cidr.split_once('/') else {
        return false;
    };
    let (Ok(network), Ok(prefix)) = (network.parse::<Ipv4Addr>(), prefix.parse::<u32>()) else {
        return false;
    };
    if prefix > 32 {
        return false;
    }
    let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
    u32::from(network) & mask == u32::from(ip) & mask
}

/// Give Yew time to render.
async fn settle() {
    sleep(50).await;
}

/// Poll `condition` until it holds or [`PATIENCE_MS`] pass; whether it held.
async fn wait_until(root: &Element, condition: impl Fn(&Element) -> bool) -> bool {
    let mut waited = 0;
    while !condition(root) {
        if waited >= PATIENCE_MS {
            return false;
        }
        sleep(25).await;
        waited += 25;
    }
    true
}

/// A future that completes after `ms` milliseconds of wall-clock time.
fn sleep(ms: u32) -> Sleep {
    let state = Rc::new(SleepState::default());
    let fired = Rc::clone(&state);
    let timer = Timeout::new(ms, move || {
        fired.done.set(true);
        if let Some(waker) = fired.waker.borrow_mut().take() {
            waker.wake();
        }
    });
    Sleep {
        state,
        _timer: timer,
    }
}

#[derive(Default)]
struct SleepState {
    done: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

struct Sleep {
    state: Rc<SleepState>,
    _timer: Timeout,
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.state.done.get() {
            return Poll::Ready(());
        }
        *self.state.waker.borrow_mut() = Some(cx.waker().clone());
        Poll::Pending
    }
}

#[wasm_bindgen_test]
fn cidr_contains_checks_the_network_bits() {
    let ip = |s: &str| s.parse::<Ipv4Addr>().unwrap_or(Ipv4Addr::UNSPECIFIED);
    assert!(cidr_contains("10.244.1.0/24", ip("10.244.1.7")));
    assert!(!cidr_contains("10.244.1.0/24", ip("10.244.2.7")));
    assert!(!cidr_contains("garbage", ip("10.244.1.7")));
}
