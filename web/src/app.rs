//! The app: owns the state, wires the components to the reducer, and does what only a
//! browser can (storage, the URL fragment, downloads, the clipboard, timing).

use crate::base64url;
use crate::components::field::focus;
use crate::components::site_form::FieldView;
use crate::components::{
    DhcpTabs, Downloads, FilesToPlace, ImportPanel, LintList, NodeTable, Preview, SiteFormView,
    TemplateTarget, TemplatesPanel, TreeView,
};
use crate::form::{in_flow, ipxe_flow, site_fields};
use crate::json::{self, Value};
use crate::state::{Action, Field, IscsiEdit, State, Target, archive};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The `localStorage` key holding the site document.
pub const STORAGE_KEY: &str = "ipxegen.site";
/// The `localStorage` key holding the templates' texts (a JSON object by path).
pub const TEMPLATES_KEY: &str = "ipxegen.templates";
/// The URL fragment prefix of a site carried in a link: `#site=<base64url of the JSON>`.
pub const FRAGMENT_PREFIX: &str = "#site=";

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The state a page load starts from: the site in the URL fragment (which is then removed, so
/// a reload keeps later edits), else the one in `localStorage`, else the example.
fn initial_state() -> State {
    let Some(window) = web_sys::window() else {
        return State::default();
    };
    let location = window.location();
    if let Ok(hash) = location.hash()
        && let Some(encoded) = hash.strip_prefix(FRAGMENT_PREFIX)
    {
        let text = base64url::decode(encoded).and_then(|b| String::from_utf8(b).ok());
        if let Ok(history) = window.history() {
            let path =
                location.pathname().unwrap_or_default() + &location.search().unwrap_or_default();
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
        }
        if let Some(Ok(state)) = text.map(|t| State::from_document(&t)) {
            return state;
        }
    }
    let storage = window.local_storage().ok().flatten();
    let stored = storage
        .as_ref()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    let mut state = stored
        .and_then(|text| State::from_document(&text).ok())
        .unwrap_or_default();
    let templates = storage
        .and_then(|s| s.get_item(TEMPLATES_KEY).ok().flatten())
        .and_then(|text| json::string_map(&text));
    if let Some(templates) = templates {
        state = state.with_templates(templates);
    }
    state
}

/// Offers `bytes` as a download named `name` (Blob, object URL, a clicked `<a download>`).
fn download(name: &str, bytes: &[u8], mime: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let document = window.document().ok_or(JsValue::NULL)?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Revoked after the click has started the download.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 1000)?;
    Ok(())
}

/// Writes `text` to the clipboard, then reports the outcome to `status`.
fn copy(text: String, status: UseStateHandle<AttrValue>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let clipboard = window.navigator().clipboard();
    // Only secure contexts (https, localhost, 127.0.0.1) have a clipboard.
    if JsValue::from(clipboard.clone()).is_undefined() {
        status.set(AttrValue::from(
            "This page has no clipboard here (serve it over https or from 127.0.0.1); select the text instead.",
        ));
        return;
    }
    let promise = clipboard.write_text(&text);
    wasm_bindgen_futures::spawn_local(async move {
        let outcome = wasm_bindgen_futures::JsFuture::from(promise).await;
        status.set(AttrValue::from(match outcome {
            Ok(_) => "Copied.",
            Err(_) => "The browser refused to copy (select the text instead).",
        }));
    });
}

/// The whole page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);
    let started = use_mut_ref(|| Cell::new(None::<f64>));
    let copy_status = use_state(AttrValue::default);
    // The id of the element to focus once the render that follows has put it in the page
    // (a node on another page, a node just added).
    let pending_focus = use_mut_ref(|| None::<String>);
    let link_status = use_state(AttrValue::default);

    // Every change goes through here: the time it was asked for is kept so the render that
    // follows can report how long the update took.
    let dispatch = {
        let dispatcher = state.dispatcher();
        let started = Rc::clone(&started);
        use_callback((), move |action: Action, ()| {
            started.borrow().set(Some(now()));
            dispatcher.dispatch(action);
        })
    };

    {
        let started = Rc::clone(&started);
        use_effect(move || {
            if let Some(start) = started.borrow().take() {
                let ms = now() - start;
                if let Some(pre) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("preview"))
                {
                    // JS formats the number: Rust's float formatting would add to the bundle.
                    let text = js_sys::Number::from(ms).to_fixed(2).map(String::from);
                    let _ = pre.set_attribute("data-update-ms", &text.unwrap_or_default());
                }
            }
        });
    }
    {
        let pending_focus = Rc::clone(&pending_focus);
        use_effect(move || {
            if let Some(id) = pending_focus.borrow_mut().take() {
                focus(&id);
            }
        });
    }
    {
        let document = Rc::clone(&state.derived.document);
        use_effect_with(document, |document| {
            if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten())
            {
                let _ = storage.set_item(STORAGE_KEY, document);
            }
        });
    }
    {
        let templates = state.templates.clone();
        use_effect_with(templates, |templates| {
            if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten())
            {
                let text = Value::Object(
                    templates
                        .iter()
                        .map(|(name, text)| (name.clone(), Value::from(text.as_str())))
                        .collect(),
                );
                let _ = storage.set_item(TEMPLATES_KEY, &text.to_string());
            }
        });
    }

    let on_site_input = {
        let dispatch = dispatch.clone();
        use_callback((), move |(field, value): (Field, String), ()| {
            dispatch.emit(Action::SetField(field, value));
        })
    };
    // Goes to the editor of `target`: a node's that is not on the page shown is focused
    // once its page is.
    let go_to = {
        let dispatch = dispatch.clone();
        let pending_focus = Rc::clone(&pending_focus);
        use_callback((), move |target: Target, ()| {
            let id = target.element_id();
            if !focus(&id)
                && let Some(i) = target.node()
            {
                *pending_focus.borrow_mut() = Some(id);
                dispatch.emit(Action::ShowNode(i));
            }
        })
    };
    // The new node's page is shown and its id (its first field) focused.
    let on_add = {
        let dispatch = dispatch.clone();
        let pending_focus = Rc::clone(&pending_focus);
        use_callback(state.form.nodes.len(), move |(), &n| {
            *pending_focus.borrow_mut() = Some(Target::Node(n, Field::NodeId).element_id());
            dispatch.emit(Action::AddNode);
        })
    };
    let on_page = {
        let dispatch = dispatch.clone();
        use_callback((), move |page, ()| dispatch.emit(Action::ShowPage(page)))
    };
    let on_filter = {
        let dispatch = dispatch.clone();
        use_callback((), move |text, ()| dispatch.emit(Action::FilterNodes(text)))
    };
    let on_remove = {
        let dispatch = dispatch.clone();
        use_callback((), move |index: usize, ()| {
            dispatch.emit(Action::RemoveNode(index))
        })
    };
    let on_edit = {
        let dispatch = dispatch.clone();
        use_callback((), move |(i, field, value): (usize, Field, String), ()| {
            dispatch.emit(Action::EditNode(i, field, value));
        })
    };
    let on_iscsi = {
        let dispatch = dispatch.clone();
        use_callback((), move |(i, edit): (usize, IscsiEdit), ()| {
            dispatch.emit(Action::Iscsi(i, edit));
        })
    };
    let on_select = {
        let dispatch = dispatch.clone();
        use_callback((), move |selection, ()| {
            dispatch.emit(Action::Select(selection))
        })
    };
    let on_dhcp = {
        let dispatch = dispatch.clone();
        let copy_status = copy_status.clone();
        Callback::from(move |format| {
            copy_status.set(AttrValue::default());
            dispatch.emit(Action::SelectDhcp(format));
        })
    };
    let on_copy = {
        let config = state.derived.dhcp.clone();
        let copy_status = copy_status.clone();
        Callback::from(move |()| {
            if let Ok(config) = &config {
                copy(config.to_string(), copy_status.clone());
            }
        })
    };
    let on_tar = {
        let document = Rc::clone(&state.derived.document);
        let templates = state.templates.clone();
        Callback::from(move |()| {
            if let Ok(tar) = archive(&document, &templates) {
                let _ = download("ipxegen-tree.tar", &tar, "application/x-tar");
            }
        })
    };
    let on_site = {
        let document = Rc::clone(&state.derived.document);
        Callback::from(move |()| {
            let _ = download("site.json", document.as_bytes(), "application/json");
        })
    };
    let on_link = {
        let document = Rc::clone(&state.derived.document);
        let link_status = link_status.clone();
        Callback::from(move |()| {
            let Some(window) = web_sys::window() else {
                return;
            };
            let location = window.location();
            let base = location.href().unwrap_or_default();
            let base = base.split('#').next().unwrap_or_default();
            let link = format!(
                "{base}{FRAGMENT_PREFIX}{}",
                base64url::encode(document.as_bytes())
            );
            copy(link, link_status.clone());
        })
    };
    let on_example = {
        let dispatch = dispatch.clone();
        Callback::from(move |()| dispatch.emit(Action::LoadExample))
    };
    let on_file = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            let dispatch = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                if let Some(text) = text.ok().and_then(|t| t.as_string()) {
                    dispatch.emit(Action::ImportSiteJson(text));
                }
            });
            input.set_value("");
        })
    };
    let on_csv = {
        let dispatch = dispatch.clone();
        Callback::from(move |text| dispatch.emit(Action::ImportCsv(text)))
    };
    let on_template_edit = {
        let dispatch = dispatch.clone();
        use_callback((), move |(path, text): (String, String), ()| {
            dispatch.emit(Action::SetTemplate(path, text));
        })
    };
    let on_template_file = {
        let dispatch = dispatch.clone();
        Callback::from(move |(target, e): (TemplateTarget, Event)| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            let dispatch = dispatch.clone();
            let name = file.name();
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                if let Some(text) = text.ok().and_then(|t| t.as_string()) {
                    dispatch.emit(match target {
                        TemplateTarget::Path(path) => Action::SetTemplate(path, text),
                        TemplateTarget::Field(field) => Action::LoadTemplate(field, name, text),
                    });
                }
            });
            input.set_value("");
        })
    };

    let derived = &state.derived;
    let ipxe = ipxe_flow(&state.form);
    let fields: Vec<FieldView> = site_fields()
        .filter(|info| in_flow(info.field, ipxe) || !state.form.get(info.field).is_empty())
        .map(|info| FieldView {
            info,
            value: AttrValue::from(state.form.get(info.field).to_owned()),
            errors: state
                .errors_at(Target::Site(info.field))
                .map(|e| AttrValue::from(e.to_owned()))
                .collect(),
        })
        .collect();
    let mut node_errors: BTreeMap<usize, Vec<(Target, AttrValue)>> = BTreeMap::new();
    let mut general: Vec<AttrValue> = Vec::new();
    for error in &derived.errors {
        let message = AttrValue::from(error.message.clone());
        match error.target.node() {
            Some(i) => node_errors
                .entry(i)
                .or_default()
                .push((error.target, message)),
            None if error.target == Target::Document => general.push(message),
            None => {}
        }
    }
    let left_out = derived
        .left_out
        .iter()
        .map(|&i| {
            let id = state.form.nodes.get(i).map_or("", |n| n.get(Field::NodeId));
            let first = node_errors
                .get(&i)
                .and_then(|errors| errors.first())
                .map_or(Target::NodeRow(i), |(target, _)| *target);
            (AttrValue::from(format!("node {} ({id})", i + 1)), first)
        })
        .collect::<Vec<_>>();
    let blocked = derived.entries.is_empty() && !derived.errors.is_empty();
    let problems = derived
        .errors
        .iter()
        .map(|error| {
            let target = error.target;
            let onclick = go_to.reform(move |_: MouseEvent| target);
            html! {
                <li><button type="button" class="problem" {onclick}>{ error.message.clone() }</button></li>
            }
        })
        .collect::<Html>();
    let no_errors = Rc::new(Vec::new());
    let page = state.node_page();
    let rows = page
        .shown
        .iter()
        .filter_map(|&i| {
            let errors = node_errors
                .remove(&i)
                .map_or_else(|| Rc::clone(&no_errors), Rc::new);
            Some((i, Rc::clone(state.form.nodes.get(i)?), errors))
        })
        .collect::<Vec<_>>();
    let flagged = Rc::new(derived.findings.iter().map(|f| f.line).collect::<Vec<_>>());
    let findings = derived
        .findings
        .iter()
        .map(|f| AttrValue::from(f.text.clone()))
        .collect::<Vec<_>>();
    let import_status = state.import.as_ref().map(|r| match r {
        Ok(m) => Ok(AttrValue::from(m.clone())),
        Err(m) => Err(AttrValue::from(m.clone())),
    });
    let dhcp = match &derived.dhcp {
        Ok(config) => Ok(AttrValue::from(Rc::clone(config))),
        Err(e) => Err(AttrValue::from(e.clone())),
    };

    html! {
        <main>
            <header>
                <h1>{ "ipxegen" }</h1>
                <p class="hint">
                    { "Boot trees and DHCP configs for iPXE, made in your browser by ipxegen's core. Nothing leaves this page." }
                </p>
            </header>
            if !general.is_empty() {
                <div id="site-errors" class="field-error" role="alert" tabindex="-1">
                    { for general.into_iter().map(|e| html! { <p>{ e }</p> }) }
                </div>
            }
            if !derived.errors.is_empty() {
                <section id="problems" aria-labelledby="problems-heading">
                    <h2 id="problems-heading">{ format!("Problems ({})", derived.errors.len()) }</h2>
                    <p class="hint">{ "Activate a problem to go to its field." }</p>
                    <ul>{ problems }</ul>
                </section>
            }
            <div class="layout">
                <div class="inputs">
                    <SiteFormView {fields} on_input={on_site_input} />
                    <NodeTable {rows} {page} total={state.form.nodes.len()}
                        filter={AttrValue::from(state.filter.clone())} {ipxe}
                        {on_page} {on_filter} {on_add} {on_remove} {on_edit} {on_iscsi} />
                    <TemplatesPanel
                        entries={Rc::new(derived.templates.clone())}
                        ipxe_enabled={derived.ipxe_enabled}
                        on_edit={on_template_edit}
                        on_file={on_template_file}
                    />
                    <ImportPanel status={import_status} {on_file} {on_csv} />
                </div>
                <div class="outputs">
                    <TreeView
                        entries={Rc::clone(&derived.entries)}
                        selected={derived.selected.clone()}
                        {left_out}
                        {blocked}
                        {on_select}
                        on_focus={go_to}
                    />
                    <div class="preview-pane">
                        <Preview
                            path={derived.selected.as_ref().map(|s| AttrValue::from(s.path.clone()))}
                            content={derived.content.clone()}
                            {flagged}
                        />
                        <LintList has_script={derived.content.is_some()} {findings} />
                    </div>
                    <Downloads
                        problems={derived.errors.len()}
                        {on_tar}
                        {on_site}
                        {on_link}
                        {on_example}
                        link_status={(*link_status).clone()}
                    />
                    <FilesToPlace entries={Rc::clone(&derived.entries)} />
                    <DhcpTabs
                        format={state.dhcp_format}
                        config={dhcp}
                        on_select={on_dhcp}
                        {on_copy}
                        copy_status={(*copy_status).clone()}
                    />
                </div>
            </div>
        </main>
    }
}
