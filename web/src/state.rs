//! The app's state: what the operator typed and what the core made of it.
//!
//! Plain data, one [`Action`] enum and one reducer ([`State`]'s [`Reducible`] impl): every
//! change is one match arm. Nothing here touches the DOM, so a plain host `cargo test` covers
//! it. The core does all the work: this module only builds a site document around the typed
//! value and asks the core for the main script; the core validates the value and names the
//! field at fault.

use ipxegen_core::output::{output_len, write_to_slice};
use ipxegen_core::{Error, ErrorKind, Site, ipxe};
use std::rc::Rc;
use yew::Reducible;

/// The `http_root` of the site document the preview is rendered from. The site document
/// requires one; the main script does not depend on it.
pub const PREVIEW_HTTP_ROOT: &str = "/srv/ipxegen/http";

/// Everything the page shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// The HTTP server exactly as typed (`http_server` of the site document).
    pub http_server: String,
    /// What the core made of it.
    pub preview: Preview,
}

/// The outcome of rendering the main script for the typed server.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Preview {
    /// Nothing typed yet: nothing to render, nothing to complain about.
    #[default]
    Empty,
    /// The main script (`boot.ipxe`) as the core wrote it.
    Script(String),
    /// The core refused the site: its error's `Display` text, which names the field.
    Error(String),
}

/// Every change the page can ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// The operator edited the HTTP server field; the new value, untrimmed.
    SetHttpServer(String),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::SetHttpServer(http_server) => {
                if http_server == self.http_server {
                    return self;
                }
                let preview = preview_for(&http_server);
                Rc::new(State {
                    http_server,
                    preview,
                })
            }
        }
    }
}

/// The preview for a typed HTTP server: [`Preview::Empty`] for an empty field, else the main
/// script or the core's error.
pub fn preview_for(http_server: &str) -> Preview {
    if http_server.is_empty() {
        return Preview::Empty;
    }
    match main_script(http_server) {
        Ok(script) => Preview::Script(script),
        Err(e) => Preview::Error(e.to_string()),
    }
}

/// The main script the core writes for a site with this `http_server` (and
/// [`PREVIEW_HTTP_ROOT`]).
///
/// # Errors
/// The core's error for the site document, e.g. an `http_server` that is not a host or URL.
pub fn main_script(http_server: &str) -> Result<String, Error> {
    let doc = site_document(http_server);
    let site = Site::parse(doc.as_bytes())?;
    let config = site.config();
    // Sized by a counting pass, so the buffer is exactly as long as the script.
    let mut buf = vec![0; output_len(|out| ipxe::write_main_script(config, out))?];
    let written = write_to_slice(&mut buf, |out| ipxe::write_main_script(config, out))?;
    buf.truncate(written);
    String::from_utf8(buf).map_err(|_| Error::new(ErrorKind::Internal))
}

/// A minimal site document (schema 1) for this `http_server`, the value escaped as a JSON
/// string so whatever was typed reaches the core as typed.
pub fn site_document(http_server: &str) -> String {
    let mut doc = String::from(r#"{"schema": 1, "http_server": "#);
    push_json_string(&mut doc, http_server);
    doc.push_str(r#", "http_root": "#);
    push_json_string(&mut doc, PREVIEW_HTTP_ROOT);
    doc.push('}');
    doc
}

/// Appends `s` as a JSON string literal (RFC 8259 section 7): `"` and `\` escaped, control
/// characters as `\u00XX`, everything else as is (JSON text is UTF-8).
fn push_json_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c < ' ' => {
                // A control character is one byte below 0x20: two hex digits after `\u00`.
                let byte = u8::try_from(c).unwrap_or(0);
                out.push_str("\\u00");
                for nibble in [byte >> 4, byte & 0xf] {
                    out.push(char::from(
                        HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
                    ));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]
mod tests {
    use super::*;

    const CHAIN_LINE: &str = "\nchain pxelinux.cfg/${net${netid}/mac:hexhyp} || goto next_nic\n";

    fn reduce(state: State, action: Action) -> State {
        Rc::unwrap_or_clone(Rc::new(state).reduce(action))
    }

    fn typed(http_server: &str) -> State {
        reduce(
            State::default(),
            Action::SetHttpServer(http_server.to_owned()),
        )
    }

    fn error_of(state: &State) -> &str {
        match &state.preview {
            Preview::Error(e) => e,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn valid_server_renders_the_main_script() {
        for server in [
            "192.0.2.10:8080",
            "http://boot.example.com/ironic/",
            "https://[2001:db8::10]:8443",
        ] {
            let state = typed(server);
            assert_eq!(state.http_server, server);
            let Preview::Script(script) = &state.preview else {
                panic!("{server}: expected a script, got {:?}", state.preview);
            };
            assert!(script.starts_with("#!ipxe\n"), "{server}: {script}");
            assert!(script.contains(CHAIN_LINE), "{server}: {script}");
            assert!(script.ends_with("reboot\n"), "{server}: {script}");
        }
    }

    #[test]
    fn script_is_the_cores_main_script() {
        let golden = include_str!("../../tests/golden/ipxe/main-default.ipxe");
        assert_eq!(typed("192.0.2.10").preview, Preview::Script(golden.into()));
    }

    #[test]
    fn invalid_server_gives_an_error_naming_http_server() {
        let state = typed("bad host!");
        assert_eq!(state.http_server, "bad host!");
        let error = error_of(&state);
        assert!(error.starts_with("http_server: "), "{error}");
    }

    #[test]
    fn empty_input_shows_nothing() {
        assert_eq!(typed(""), State::default());
        let cleared = reduce(typed("bad host!"), Action::SetHttpServer(String::new()));
        assert_eq!(cleared, State::default());
        let cleared = reduce(typed("192.0.2.10"), Action::SetHttpServer(String::new()));
        assert_eq!(cleared.preview, Preview::Empty);
    }

    #[test]
    fn same_value_keeps_the_same_state() {
        let state = Rc::new(typed("192.0.2.10"));
        let again = Rc::clone(&state).reduce(Action::SetHttpServer("192.0.2.10".into()));
        assert!(Rc::ptr_eq(&state, &again));
    }

    #[test]
    fn json_metacharacters_reach_the_core_as_typed() {
        // Each of these would break (or inject into) a document built without escaping; with
        // escaping the core sees the value itself and refuses it in http_server.
        for server in [
            "a\"b",
            "a\\b",
            "x\",\"ipxe_boot_script\":\"evil",
            "a\tb",
            "a\nb",
            "a\u{1}b",
            "a\u{7f}b",
            "bött.example",
            "\u{2028}",
        ] {
            let error = error_of(&typed(server)).to_owned();
            assert!(error.starts_with("http_server: "), "{server:?}: {error}");
            assert!(!error.contains("JSON"), "{server:?}: {error}");
        }
    }

    #[test]
    fn site_document_escapes() {
        assert_eq!(
            site_document("a\"\\\u{1f}é"),
            r#"{"schema": 1, "http_server": "a\"\\\u001fé", "http_root": "/srv/ipxegen/http"}"#
        );
    }
}
