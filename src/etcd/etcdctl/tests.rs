//! etcdctl's answers over a small store (outputs as etcdctl v3.6's printers write them).

use serde_json::json;

use super::*;

/// Revision 1 is empty; then: a at 2, b at 3, a again at 4.
fn store() -> Etcd {
    let mut etcd = Etcd::new();
    etcd.create(
        "/registry/configmaps/default/a",
        json!({"data": {"k": "1"}}),
    )
    .unwrap();
    etcd.create(
        "/registry/configmaps/default/b",
        json!({"data": {"k": "<2>"}}),
    )
    .unwrap();
    etcd.update(
        "/registry/configmaps/default/a",
        json!({"data": {"k": "3"}}),
        None,
    )
    .unwrap();
    etcd
}

fn run_on(etcd: &mut Etcd, line: &str) -> (String, i32) {
    let out = run(etcd, line);
    (out.text, out.exit_code)
}

#[test]
fn get_prints_key_then_value_with_the_stored_newline() {
    let mut etcd = store();
    assert_eq!(
        run_on(&mut etcd, "etcdctl get /registry/configmaps/default/a"),
        (
            "/registry/configmaps/default/a\n{\"data\":{\"k\":\"3\"}}\n\n".to_string(),
            0
        )
    );
    assert_eq!(
        run_on(
            &mut etcd,
            "etcdctl get /registry/configmaps/default/b --print-value-only"
        ),
        ("{\"data\":{\"k\":\"\\u003c2\\u003e\"}}\n\n".to_string(), 0),
        "the API server's JSON encoder escapes < and >"
    );
    assert_eq!(
        run_on(&mut etcd, "etcdctl get /nothing"),
        (String::new(), 0)
    );
}

#[test]
fn keys_only_prefix_lists_every_key_with_an_empty_value_line() {
    let mut etcd = store();
    assert_eq!(
        run_on(
            &mut etcd,
            "ETCDCTL_API=3 etcdctl get / --prefix --keys-only"
        ),
        (
            "/registry/configmaps/default/a\n\n/registry/configmaps/default/b\n\n".to_string(),
            0
        )
    );
    assert_eq!(
        run_on(&mut etcd, "etcdctl get /registry/configmaps/default/a /registry/configmaps/default/c --keys-only --limit=1"),
        ("/registry/configmaps/default/a\n\n".to_string(), 0)
    );
    assert_eq!(
        run_on(
            &mut etcd,
            "etcdctl get \"\" --prefix --keys-only --sort-by=MODIFY --order=DESCEND"
        ),
        (
            "/registry/configmaps/default/a\n\n/registry/configmaps/default/b\n\n".to_string(),
            0
        )
    );
}

#[test]
fn an_old_revision_shows_the_old_value() {
    let mut etcd = store();
    assert_eq!(
        run_on(&mut etcd, "etcdctl get /registry/configmaps/default/a --rev=2 -w fields"),
        (
            "\"ClusterID\" : 14841639068965178418\n\"MemberID\" : 10276657743932975437\n\"Revision\" : 4\n\"RaftTerm\" : 2\n\
             \"Key\" : \"/registry/configmaps/default/a\"\n\"CreateRevision\" : 2\n\"ModRevision\" : 2\n\"Version\" : 1\n\
             \"Value\" : \"{\\\"data\\\":{\\\"k\\\":\\\"1\\\"}}\\n\"\n\"Lease\" : 0\n\"More\" : false\n\"Count\" : 1\n"
                .to_string(),
            0
        )
    );
    assert_eq!(
        run_on(
            &mut etcd,
            "etcdctl get /registry/configmaps/default/a --rev 9"
        ),
        (
            "Error: etcdserver: mvcc: required revision is a future revision\n".to_string(),
            1
        )
    );
}

#[test]
fn json_is_the_range_response_with_base64_keys_and_values() {
    let mut etcd = store();
    let (text, code) = run_on(
        &mut etcd,
        "etcdctl get /registry/configmaps/default/a -w json",
    );
    assert_eq!(code, 0);
    assert_eq!(
        text,
        format!(
            "{{\"header\":{{\"cluster_id\":14841639068965178418,\"member_id\":10276657743932975437,\"revision\":4,\"raft_term\":2}},\"kvs\":[{{\"key\":\"{}\",\"create_revision\":2,\"mod_revision\":4,\"version\":2,\"value\":\"{}\"}}],\"count\":1}}\n",
            BASE64.encode(b"/registry/configmaps/default/a"),
            BASE64.encode(b"{\"data\":{\"k\":\"3\"}}\n")
        )
    );
    let (text, _) = run_on(&mut etcd, "etcdctl get /none -w json");
    assert_eq!(text, "{\"header\":{\"cluster_id\":14841639068965178418,\"member_id\":10276657743932975437,\"revision\":4,\"raft_term\":2}}\n");
    let (text, _) = run_on(&mut etcd, "etcdctl get / --prefix --count-only -w fields");
    assert!(
        text.ends_with("\"RaftTerm\" : 2\n\"More\" : false\n\"Count\" : 2\n"),
        "{text}"
    );
}

#[test]
fn argument_errors_exit_as_etcdctl_does() {
    let mut etcd = store();
    assert_eq!(
        run_on(&mut etcd, "etcdctl get"),
        (
            "Error: get command needs one argument as key and an optional argument as range_end\n"
                .to_string(),
            128
        )
    );
    assert_eq!(
        run_on(&mut etcd, "etcdctl get / --prefix --from-key"),
        (
            "Error: `--prefix` and `--from-key` cannot be set at the same time, choose one\n"
                .to_string(),
            128
        )
    );
    assert_eq!(
        run_on(&mut etcd, "etcdctl get / --prefix --count-only"),
        (
            "Error: --count-only is only for `--write-out=fields`\n".to_string(),
            128
        )
    );
    assert_eq!(run_on(&mut etcd, "etcdctl get / -w table").1, 4);
    assert_eq!(
        run_on(&mut etcd, "etcdctl gte /"),
        (
            "Error: unknown command \"gte\" for \"etcdctl\"\nRun 'etcdctl --help' for usage.\n"
                .to_string(),
            1
        )
    );
    assert_eq!(
        run_on(&mut etcd, "etcdctl get / --nope"),
        ("Error: unknown flag: --nope\n".to_string(), 1)
    );
    assert!(run_on(&mut etcd, "etcdctl --help")
        .0
        .contains("--storage-media-type=application/json"));
}

#[test]
fn compaction_forgets_old_revisions() {
    let mut etcd = store();
    assert_eq!(
        run_on(&mut etcd, "etcdctl compaction 3"),
        ("compacted revision 3\n".to_string(), 0)
    );
    assert_eq!(
        run_on(
            &mut etcd,
            "etcdctl get /registry/configmaps/default/a --rev=2"
        ),
        (
            "Error: etcdserver: mvcc: required revision has been compacted\n".to_string(),
            1
        )
    );
    assert_eq!(
        run_on(
            &mut etcd,
            "etcdctl get /registry/configmaps/default/a --rev=3 --keys-only"
        )
        .1,
        0
    );
    assert_eq!(
        run_on(&mut etcd, "etcdctl compaction 3"),
        (
            "Error: etcdserver: mvcc: required revision has been compacted\n".to_string(),
            1
        )
    );
    assert_eq!(
        run_on(&mut etcd, "etcdctl compaction 99"),
        (
            "Error: etcdserver: mvcc: required revision is a future revision\n".to_string(),
            1
        )
    );
    assert_eq!(
        run_on(&mut etcd, "etcdctl compaction"),
        (
            "Error: compaction command needs 1 argument\n".to_string(),
            128
        )
    );
    assert_eq!(
        etcd.changes_since("/", 0).map(|c| c.len()),
        Ok(3),
        "the API server's watches still see every change"
    );
}

#[test]
fn endpoint_status_in_every_format() {
    let mut etcd = store();
    let (simple, _) = run_on(
        &mut etcd,
        "etcdctl endpoint status --endpoints=https://127.0.0.1:2379",
    );
    assert_eq!(simple, "https://127.0.0.1:2379, 8e9e05c52164694d, 3.6.9, 3.6.0, 20 kB, 20 kB, 0%, 2.1 GB, true, false, 2, 4, 4, , , false\n");
    let (table, _) = run_on(&mut etcd, "etcdctl endpoint status -w table");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 5);
    assert!(
        lines[1].starts_with("|    ENDPOINT    |        ID        | VERSION | STORAGE VERSION |"),
        "{}",
        lines[1]
    );
    assert!(
        lines[3].starts_with("| 127.0.0.1:2379 | 8e9e05c52164694d |   3.6.9 |           3.6.0 |"),
        "{}",
        lines[3]
    );
    let (json, _) = run_on(&mut etcd, "etcdctl endpoint status -w json");
    assert!(json.starts_with("[{\"Endpoint\":\"127.0.0.1:2379\",\"Status\":{\"header\":{\"cluster_id\":14841639068965178418,"), "{json}");
}

#[test]
fn humanized_sizes_match_go_humanize() {
    assert_eq!(humanize_bytes(9), "9 B");
    assert_eq!(humanize_bytes(1536), "1.5 kB");
    assert_eq!(humanize_bytes(20480), "20 kB");
    assert_eq!(humanize_bytes(2 * 1024 * 1024 * 1024), "2.1 GB");
}
