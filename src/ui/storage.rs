//! The editor's text kept in the browser's localStorage, so that a reload loses nothing.
//!
//! Storage can be missing or refuse (private browsing, a sandboxed iframe, a full quota): every
//! function then does nothing and returns `None`; the page works as if nothing had been saved.

use web_sys::Storage;

/// Where the page keeps its texts. An embedded page keeps its own, one per address, so that a
/// tutorial's iframe never overwrites what the user typed on the full page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageKeys {
    /// The editor's text.
    pub yaml: String,
    /// The text kept as "Your text" when an example replaced it.
    pub your_text: String,
}

impl StorageKeys {
    /// The full page's keys, or (for an embed) keys that name its address's query and fragment.
    pub fn for_page(embed_address: Option<&str>) -> StorageKeys {
        let prefix = match embed_address {
            None => "podlab".to_string(),
            Some(address) => format!("podlab.embed{address}"),
        };
        StorageKeys {
            yaml: format!("{prefix}.editor"),
            your_text: format!("{prefix}.your-text"),
        }
    }
}

/// The page's localStorage, if the browser lets it use one.
fn local_storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The value saved under `key`.
pub fn load(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Save `value` under `key` (`None` removes it). Failures (quota, no storage) are ignored.
pub fn save(key: &str, value: Option<&str>) {
    let Some(storage) = local_storage() else {
        return;
    };
    let _ = match value {
        Some(value) => storage.set_item(key, value),
        None => storage.remove_item(key),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn an_embed_never_shares_the_full_pages_keys() {
        let page = StorageKeys::for_page(None);
        assert_eq!(page.yaml, "podlab.editor");
        let embed = StorageKeys::for_page(Some("?embed=editor#s=abc"));
        assert_eq!(embed.yaml, "podlab.embed?embed=editor#s=abc.editor");
        assert_ne!(embed.your_text, page.your_text);
    }

    #[wasm_bindgen_test]
    fn a_saved_text_comes_back() {
        save("podlab.test.storage", Some("kind: Pod\n"));
        assert_eq!(load("podlab.test.storage").as_deref(), Some("kind: Pod\n"));
        save("podlab.test.storage", None);
        assert_eq!(load("podlab.test.storage"), None);
    }
}
