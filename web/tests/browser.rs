//! The app in a real browser: mount it, type into the field, read what the page shows.
//!
//! Run with `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p ipxegen-web --target
//! wasm32-unknown-unknown`. On the host these tests compile and run none.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly on purpose"
)]

use ipxegen_web::App;
use ipxegen_web::components::script_preview::SCRIPT_ID;
use ipxegen_web::components::server_field::{ERROR_ID, HINT_ID, INPUT_ID};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Document, Element, Event, EventInit, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

const CHAIN_LINE: &str = "chain pxelinux.cfg/${net${netid}/mac:hexhyp} || goto next_nic";

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts a fresh `App` in its own `<div>` and waits for the first render. Ids are unique per
/// page, so each test removes the app's root at the end (see [`unmount`]).
async fn mount() -> (yew::AppHandle<App>, Element) {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    (handle, root)
}

fn unmount(handle: yew::AppHandle<App>, root: &Element) {
    handle.destroy();
    root.remove();
}

fn by_id(id: &str) -> Element {
    document()
        .get_element_by_id(id)
        .unwrap_or_else(|| panic!("no element #{id}"))
}

/// Types `value` the way a browser reports it: set the value, fire a bubbling `input` event.
async fn type_into_server_field(value: &str) {
    let input: HtmlInputElement = by_id(INPUT_ID).dyn_into().unwrap();
    input.set_value(value);
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&event).unwrap();
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn typed_server_shows_the_main_script() {
    let (handle, root) = mount().await;
    let pre = by_id(SCRIPT_ID);
    assert_eq!(pre.tag_name(), "PRE");
    assert_eq!(pre.text_content().unwrap(), "");

    type_into_server_field("192.0.2.10:8080").await;
    let script = by_id(SCRIPT_ID).text_content().unwrap();
    assert!(script.starts_with("#!ipxe\n"), "{script}");
    assert!(script.contains(CHAIN_LINE), "{script}");
    assert_eq!(by_id(ERROR_ID).text_content().unwrap(), "");
    let input = by_id(INPUT_ID);
    assert_eq!(
        input.get_attribute("aria-invalid").as_deref(),
        Some("false")
    );
    unmount(handle, &root);
}

#[wasm_bindgen_test]
async fn bad_server_shows_an_alert_bound_to_the_field() {
    let (handle, root) = mount().await;
    type_into_server_field("bad host!").await;

    let alert = by_id(ERROR_ID);
    assert_eq!(alert.get_attribute("role").as_deref(), Some("alert"));
    let message = alert.text_content().unwrap();
    assert!(message.starts_with("http_server: "), "{message}");

    let input = by_id(INPUT_ID);
    let described_by = input.get_attribute("aria-describedby").unwrap();
    assert!(
        described_by.split(' ').any(|id| id == ERROR_ID),
        "{described_by}"
    );
    assert!(described_by.split(' ').any(|id| id == HINT_ID));
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(by_id(SCRIPT_ID).text_content().unwrap(), "");

    // Fixing the value clears the error and shows the script.
    type_into_server_field("boot.example.com").await;
    assert_eq!(by_id(ERROR_ID).text_content().unwrap(), "");
    assert!(
        by_id(SCRIPT_ID)
            .text_content()
            .unwrap()
            .contains(CHAIN_LINE)
    );
    unmount(handle, &root);
}

#[wasm_bindgen_test]
async fn field_is_labelled() {
    let (handle, root) = mount().await;
    let label = document()
        .query_selector(&format!("label[for=\"{INPUT_ID}\"]"))
        .unwrap()
        .expect("a <label for> the input");
    assert_eq!(label.text_content().unwrap(), "HTTP server");
    assert_eq!(by_id(INPUT_ID).tag_name(), "INPUT");
    unmount(handle, &root);
}
