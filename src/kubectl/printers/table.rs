//! `kubectl get`'s human-readable table output (cli-runtime printers/tableprinter.go printTable and
//! printRows): cells joined by tabs, one row per line, aligned by kubectl's tabwriter
//! (printers.GetNewTabWriter: minwidth 6, padding 3, remembered widths); the last column is not
//! padded. Also the message kubectl get prints when nothing matched (kubectl/pkg/cmd/get/get.go).

use super::tabwriter::TabWriter;

/// The table's text: the header row then one line per row, every line ending with a newline.
pub fn render(headers: &[String], rows: &[Vec<String>]) -> String {
    let mut writer = TabWriter::for_get();
    writer.write(&table_text(Some(headers), rows));
    writer.flush()
}

/// The tab-separated text of a table, before alignment (what the table printer writes into the
/// tabwriter). `headers` is `None` for `--no-headers` and for the rows after the first in a watch.
pub fn table_text(headers: Option<&[String]>, rows: &[Vec<String>]) -> String {
    let mut text = String::new();
    if let Some(headers) = headers {
        text.push_str(&headers.join("\t"));
        text.push('\n');
    }
    for row in rows {
        text.push_str(&row.join("\t"));
        text.push('\n');
    }
    text
}

/// A table printed piece by piece, as `kubectl get -w` prints it: the header once, then each batch
/// of rows flushed on its own, with column widths that only ever grow.
#[derive(Clone, Debug)]
pub struct WatchTable {
    writer: TabWriter,
    headers_printed: bool,
}

impl Default for WatchTable {
    fn default() -> Self {
        Self::new()
    }
}

impl WatchTable {
    pub fn new() -> Self {
        WatchTable {
            writer: TabWriter::for_get(),
            headers_printed: false,
        }
    }

    /// Prints `rows` (with `headers` first, the first time only) and returns the text.
    pub fn print(&mut self, headers: &[String], rows: &[Vec<String>]) -> String {
        let headers = if self.headers_printed {
            None
        } else {
            self.headers_printed = true;
            Some(headers)
        };
        self.writer.write(&table_text(headers, rows));
        self.writer.flush()
    }
}

/// What `kubectl get` prints (to stderr) when it printed nothing: with a namespace for namespaced
/// resources outside `--all-namespaces`, e.g. `No resources found in default namespace.`; else
/// `No resources found`. The text ends with a newline.
pub fn no_resources_found(namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("No resources found in {ns} namespace.\n"),
        None => "No resources found\n".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn pods_wide_as_in_case_12() {
        let headers = strings(&[
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
            "IP",
            "NODE",
            "NOMINATED NODE",
            "READINESS GATES",
        ]);
        let rows = vec![
            strings(&[
                "bound", "0/1", "Pending", "0", "3s", "<none>", "worker-1", "<none>", "<none>",
            ]),
            strings(&[
                "unbound", "0/1", "Pending", "0", "3s", "<none>", "<none>", "<none>", "<none>",
            ]),
        ];
        assert_eq!(
            render(&headers, &rows),
            "NAME      READY   STATUS    RESTARTS   AGE   IP       NODE       NOMINATED NODE   READINESS GATES\n\
             bound     0/1     Pending   0          3s    <none>   worker-1   <none>           <none>\n\
             unbound   0/1     Pending   0          3s    <none>   <none>     <none>           <none>\n"
        );
    }

    #[test]
    fn watch_rows_keep_earlier_widths() {
        // case k02: `kubectl get pods -w`.
        let headers = strings(&["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
        let mut watch = WatchTable::new();
        let first = watch.print(
            &headers,
            &[strings(&["crasher", "0/1", "ContainerCreating", "0", "0s"])],
        );
        assert_eq!(
            first,
            "NAME      READY   STATUS              RESTARTS   AGE\n\
             crasher   0/1     ContainerCreating   0          0s\n"
        );
        let next = watch.print(
            &headers,
            &[strings(&["crasher", "1/1", "Running", "1 (0s ago)", "0s"])],
        );
        assert_eq!(
            next,
            "crasher   1/1     Running             1 (0s ago)   0s\n"
        );
        let next = watch.print(
            &headers,
            &[strings(&["crasher", "0/1", "Error", "1 (1s ago)", "1s"])],
        );
        assert_eq!(
            next,
            "crasher   0/1     Error               1 (1s ago)   1s\n"
        );
        let next = watch.print(
            &headers,
            &[strings(&[
                "crasher",
                "0/1",
                "CrashLoopBackOff",
                "1 (14s ago)",
                "14s",
            ])],
        );
        assert_eq!(
            next,
            "crasher   0/1     CrashLoopBackOff    1 (14s ago)   14s\n"
        );
    }

    #[test]
    fn nothing_found_messages() {
        assert_eq!(
            no_resources_found(Some("default")),
            "No resources found in default namespace.\n"
        );
        assert_eq!(no_resources_found(None), "No resources found\n");
    }
}
