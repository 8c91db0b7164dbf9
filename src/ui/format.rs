//! Small text helpers for the page: clocks and trace labels.

use crate::sim::{wall_clock, Millis};

/// Virtual time as `m:ss.mmm` (`0:04.250`), the clock shown on the page and in the trace.
pub fn virtual_time(at: Millis) -> String {
    let minutes = at / 60_000;
    let seconds = (at / 1000) % 60;
    let millis = at % 1000;
    format!("{minutes}:{seconds:02}.{millis:03}")
}

/// The wall-clock time of a virtual instant, `14:00:04` (UTC), as object timestamps show it.
pub fn wall_time(at: Millis) -> String {
    wall_clock(at).strftime("%H:%M:%S").to_string()
}

/// Endpoints as `kubectl get endpoints` prints them: comma separated, `<none>` when empty
/// (formatEndpoints in pkg/printers/internalversion/printers.go). Unlike kubectl, the page never
/// shortens the list to three with `+ N more...`.
pub fn endpoints_label(endpoints: &[String]) -> String {
    if endpoints.is_empty() {
        "<none>".to_string()
    } else {
        endpoints.join(",")
    }
}

/// A cell of `kubectl get pods -o wide`: `<none>` when unset (printPod in
/// pkg/printers/internalversion/printers.go).
pub fn or_none(value: Option<&str>) -> String {
    match value {
        Some(v) if !v.is_empty() => v.to_string(),
        _ => "<none>".to_string(),
    }
}

/// A position in the trace, `12 / 40`, or `0 / 0` before the first entry.
pub fn position_label(cursor: Option<usize>, revealed: usize) -> String {
    let shown = cursor.map_or(0, |c| c + 1);
    format!("{shown} / {revealed}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn virtual_time_has_minutes_seconds_and_millis() {
        assert_eq!(virtual_time(0), "0:00.000");
        assert_eq!(virtual_time(4_250), "0:04.250");
        assert_eq!(virtual_time(65_007), "1:05.007");
    }

    #[wasm_bindgen_test]
    fn wall_time_starts_at_the_epoch() {
        assert_eq!(wall_time(0), "14:00:00");
        assert_eq!(wall_time(61_500), "14:01:01");
    }

    #[wasm_bindgen_test]
    fn endpoints_print_like_kubectl_get_endpoints() {
        // kubectl get endpoints prints `<none>` for a Service without ready endpoints
        // (pkg/printers/internalversion/printers.go, formatEndpoints).
        assert_eq!(endpoints_label(&[]), "<none>");
        assert_eq!(
            endpoints_label(&["10.244.1.5:8080".to_string()]),
            "10.244.1.5:8080"
        );
    }

    #[wasm_bindgen_test]
    fn unset_cells_print_none() {
        assert_eq!(or_none(None), "<none>");
        assert_eq!(or_none(Some("")), "<none>");
        assert_eq!(or_none(Some("worker-1")), "worker-1");
    }

    #[wasm_bindgen_test]
    fn position_counts_from_one() {
        assert_eq!(position_label(None, 0), "0 / 0");
        assert_eq!(position_label(Some(11), 40), "12 / 40");
    }
}
