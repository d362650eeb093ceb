//! The app: owns the state, turns the page's actions into the reducer's, writes the whole page
//! as markup after each, and does what only a browser can (storage, the URL fragment,
//! downloads, the clipboard) through the page's script, `page.js`.
//!
//! The page's script mounts the app and hands it every event of an element with a `data-a`:
//! the action (`site:http_server`, `node:3:kernel`, `iscsi:3:0:lun`, `page:2`, `sel:12`, ...;
//! each view names the ones its controls ask for), the element's value (a flag's `true` or
//! `false`, a file's text) and, for a file, its name. The app answers with the id of the
//! element to focus (or nothing), a newline, and the markup of the page, which the script
//! patches the DOM to match. A part of the page that is unchanged since the last answer is
//! sent as an empty element marked `data-keep` (see [`App::kept`]).

use crate::base64url;
use crate::components::dhcp_tabs::{dhcp_config, dhcp_tabs};
use crate::components::downloads::downloads;
use crate::components::files_to_place::files_to_place;
use crate::components::import_panel::import_panel;
use crate::components::lint_list::lint_list;
use crate::components::node_table::{NodeList, Row, node_rows, node_table};
use crate::components::preview::{preview, preview_heading};
use crate::components::problems::{problem_list, site_errors};
use crate::components::site_form::{FieldView, site_form};
use crate::components::templates_panel::templates_panel;
use crate::components::tree_view::{is_selected, left_out_entry, tree_entry, tree_notes};
use crate::form::{in_flow, ipxe_flow, site_fields, with_pxe};
use crate::html::Html;
use crate::json::{self, Value};
use crate::state::{
    Action, DhcpFormat, Field, IscsiEdit, Selection, State, Target, TreeEntry, archive,
};
use ipxegen_core::schema::Scope;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::{Closure, wasm_bindgen};

/// The `localStorage` key holding the site document.
pub const STORAGE_KEY: &str = "ipxegen.site";
/// The `localStorage` key holding the templates' texts (a JSON object by path).
pub const TEMPLATES_KEY: &str = "ipxegen.templates";
/// The URL fragment prefix of a site carried in a link: `#site=<base64url of the JSON>`.
pub const FRAGMENT_PREFIX: &str = "#site=";

#[wasm_bindgen(module = "/src/page.js")]
extern "C" {
    /// A mounted page (`page.js`'s `mount`).
    type Mounted;
    #[wasm_bindgen(method)]
    fn destroy(this: &Mounted);
    #[wasm_bindgen(js_name = mount)]
    fn mount_page(
        root: &JsValue,
        run: &Closure<dyn FnMut(String, String, String) -> String>,
    ) -> Mounted;
    fn fragment() -> String;
    #[wasm_bindgen(js_name = dropFragment)]
    fn drop_fragment();
    fn load(key: &str) -> Option<String>;
    fn store(key: &str, text: &str);
    fn download(name: &str, bytes: &[u8], mime: &str);
    fn copy(text: &str, what: &str);
}

/// The app mounted in a page; [`AppHandle::destroy`] takes it out again.
pub struct AppHandle {
    mounted: Mounted,
    _run: Closure<dyn FnMut(String, String, String) -> String>,
}

impl AppHandle {
    /// Stops the app: its listeners are removed and its element emptied.
    pub fn destroy(self) {
        self.mounted.destroy();
    }
}

/// Mounts the app in `root` (an element; `null`: a new `<div>` at the end of `<body>`),
/// starting from the site in the URL fragment (which is then removed, so a reload keeps later
/// edits), else the one in `localStorage`, else the example.
pub fn mount(root: &JsValue) -> AppHandle {
    let mut app = App::new(initial_state());
    let run = Closure::<dyn FnMut(String, String, String) -> String>::new(
        move |action: String, value: String, extra: String| app.run(&action, value, extra),
    );
    let mounted = mount_page(root, &run);
    AppHandle { mounted, _run: run }
}

/// The state a page load starts from (see [`mount`]).
fn initial_state() -> State {
    let hash = fragment();
    if let Some(encoded) = hash.strip_prefix(FRAGMENT_PREFIX) {
        drop_fragment();
        let text = base64url::decode(encoded).and_then(|b| String::from_utf8(b).ok());
        if let Some(Ok(state)) = text.map(|t| State::from_document(&t)) {
            return state;
        }
    }
    let mut state = load(STORAGE_KEY)
        .and_then(|text| State::from_document(&text).ok())
        .unwrap_or_default();
    if let Some(templates) = load(TEMPLATES_KEY).and_then(|text| json::string_map(&text)) {
        state = state.with_templates(templates);
    }
    state
}

/// How many entries of the tree are compared with the last answer at a time (see
/// [`LastMarkup::tree_chunks`]): selecting an entry sends the two runs that change.
const TREE_CHUNK: usize = 64;

/// What the tree's list is written from: the entries, the selected one, and the nodes left
/// out (each one's label and index).
type TreeFrom = (Rc<Vec<TreeEntry>>, Option<Selection>, Vec<(String, usize)>);

/// The parts of the page sent as `data-keep` when unchanged: what each was last written from
/// (or, for the node list, its markup).
#[derive(Default)]
struct LastMarkup {
    tree: Option<TreeFrom>,
    /// The markup of each run of [`TREE_CHUNK`] entries of the tree, as last written: one
    /// that is the same is sent as `<li data-skip=N>` (the page keeps its N entries).
    tree_chunks: Vec<String>,
    files: Option<Rc<Vec<TreeEntry>>>,
    preview: Option<(Option<Rc<str>>, Vec<u32>)>,
    dhcp: Option<Result<Rc<str>, String>>,
    nodes: Option<String>,
}

/// The state and what the page shows beside it.
struct App {
    state: State,
    /// The nodes (indices, on the page shown) whose "More fields" are shown.
    more: Vec<usize>,
    /// The CHAP secrets shown as text: node index, its id, target index (a row that comes to
    /// show another node shows none of its secrets).
    secrets: Vec<(usize, String, usize)>,
    /// What the last copy of the DHCP config did.
    copy_status: &'static str,
    /// What the last copy of a link did.
    link_status: &'static str,
    /// The document and templates last kept in `localStorage`.
    stored: Option<(Rc<str>, String)>,
    last: LastMarkup,
}

/// Takes `item` out of `list` when it is there, else puts it in.
fn toggle<T: PartialEq>(list: &mut Vec<T>, item: T) {
    match list.iter().position(|known| *known == item) {
        Some(at) => {
            list.swap_remove(at);
        }
        None => list.push(item),
    }
}

/// What a copy did, as the page says it (`page.js`'s `copy`).
fn copy_outcome(outcome: &str) -> &'static str {
    match outcome {
        "ok" => "Copied.",
        "none" => {
            "This page has no clipboard here (serve it over https or from 127.0.0.1); select the text instead."
        }
        _ => "The browser refused to copy (select the text instead).",
    }
}

impl App {
    /// The app for `state`, nothing yet shown, copied or stored.
    fn new(state: State) -> Self {
        App {
            state,
            more: Vec::new(),
            secrets: Vec::new(),
            copy_status: "",
            link_status: "",
            stored: None,
            last: LastMarkup::default(),
        }
    }

    /// Applies `action` (with the element's `value` and a file's name, `extra`), keeps the
    /// work in storage, and answers the page (see the module's documentation).
    fn run(&mut self, action: &str, value: String, extra: String) -> String {
        let focus = self.apply(action, value, extra);
        self.persist();
        let page = self.state.node_page();
        self.more.retain(|i| page.shown.contains(i));
        let nodes = &self.state.form.nodes;
        self.secrets.retain(|(i, id, _)| {
            page.shown.contains(i) && nodes.get(*i).is_some_and(|n| n.get(Field::NodeId) == id)
        });
        let mut out = Html::new();
        out.raw(&focus.unwrap_or_default()).raw("\n");
        self.page(&mut out);
        out.into_string()
    }

    /// Applies one action; gives the id of the element to focus once the page is written.
    fn apply(&mut self, action: &str, value: String, extra: String) -> Option<String> {
        let mut parts = action.split(':');
        let verb = parts.next().unwrap_or_default();
        let mut number = || parts.next().and_then(|p| p.parse::<usize>().ok());
        let (a, b) = (number(), number());
        let key = action.rsplit(':').next().unwrap_or_default().as_bytes();
        let field = |scope| Field::from_key(scope, key);
        let action = match (verb, a, b) {
            // The first answer: the page of the state the app was mounted with.
            ("start", _, _) => return None,
            ("site", _, _) => Action::SetField(field(Scope::Site)?, value),
            ("node", Some(i), _) => Action::EditNode(i, field(Scope::Node)?, value),
            ("pxe", Some(i), Some(j)) => {
                let macs = self.state.form.nodes.get(i)?.get(Field::Nics);
                Action::EditNode(i, Field::Nics, with_pxe(macs, j, value == "true"))
            }
            ("iscsi", Some(i), Some(j)) => {
                Action::Iscsi(i, IscsiEdit::Set(j, field(Scope::IscsiTarget)?, value))
            }
            ("iscsi-add" | "iscsi-up" | "iscsi-rm", Some(i), _) => {
                // A change to the list hides every secret again: a shown one never passes to
                // the target that takes its place.
                self.secrets.retain(|(row, _, _)| *row != i);
                Action::Iscsi(
                    i,
                    match (verb, b) {
                        ("iscsi-up", Some(j)) => IscsiEdit::MoveUp(j),
                        ("iscsi-rm", Some(j)) => IscsiEdit::Remove(j),
                        _ => IscsiEdit::Add,
                    },
                )
            }
            ("secret", Some(i), Some(j)) => {
                let id = self.state.form.nodes.get(i)?.get(Field::NodeId).to_owned();
                toggle(&mut self.secrets, (i, id, j));
                return None;
            }
            ("more", Some(i), _) => {
                toggle(&mut self.more, i);
                return None;
            }
            ("rm", Some(i), _) => Action::RemoveNode(i),
            ("add", _, _) => {
                let id = Target::Node(self.state.form.nodes.len(), Field::NodeId).element_id();
                self.state.apply(Action::AddNode);
                return Some(id);
            }
            ("page", Some(p), _) => Action::ShowPage(p),
            ("filter", _, _) => Action::FilterNodes(value),
            ("sel", Some(k), _) => {
                let entry = self.state.derived.entries.get(k)?;
                let (tftp, path) = (entry.tftp, entry.path.clone());
                Action::Select(Selection { tftp, path })
            }
            ("go", Some(k), _) => {
                let target = self.state.derived.errors.get(k)?.target;
                return self.go_to(target);
            }
            ("go-node", Some(i), _) => {
                let target = self
                    .state
                    .derived
                    .errors
                    .iter()
                    .map(|e| e.target)
                    .find(|t| t.node() == Some(i));
                return self.go_to(target.unwrap_or(Target::NodeRow(i)));
            }
            ("dhcp", _, _) => {
                self.copy_status = "";
                Action::SelectDhcp(DhcpFormat::from_id(action.get(5..)?)?)
            }
            ("copy-dhcp", _, _) => {
                if let Ok(config) = &self.state.derived.dhcp {
                    copy(config, "dhcp");
                }
                return None;
            }
            ("copied", _, _) => {
                let status = copy_outcome(&extra);
                match value.as_str() {
                    "dhcp" => self.copy_status = status,
                    _ => self.link_status = status,
                }
                return None;
            }
            ("tar", _, _) => {
                if let Ok(tar) = archive(&self.state.derived.document, &self.state.templates) {
                    download("ipxegen-tree.tar", &tar, "application/x-tar");
                }
                return None;
            }
            ("site-json", _, _) => {
                let document = &self.state.derived.document;
                download("site.json", document.as_bytes(), "application/json");
                return None;
            }
            ("link", _, _) => {
                let encoded = base64url::encode(self.state.derived.document.as_bytes());
                copy(&format!("{value}{FRAGMENT_PREFIX}{encoded}"), "link");
                return None;
            }
            ("example", _, _) => Action::LoadExample,
            ("import", _, _) => Action::ImportSiteJson(value),
            ("csv", _, _) => Action::ImportCsv(value),
            ("tpl", Some(k), _) => {
                Action::SetTemplate(self.state.derived.templates.get(k)?.path.clone(), value)
            }
            ("tpl-load", _, _) => Action::LoadTemplate(field(Scope::Site)?, extra, value),
            _ => return None,
        };
        self.state.apply(action);
        None
    }

    /// Goes to the editor of `target`: a node's that is not on the page shown is shown first.
    fn go_to(&mut self, target: Target) -> Option<String> {
        if let Some(i) = target.node()
            && !self.state.node_page().shown.contains(&i)
        {
            self.state.apply(Action::ShowNode(i));
        }
        Some(target.element_id())
    }

    /// Keeps the site document and the templates' texts in `localStorage` when they changed.
    fn persist(&mut self) {
        let document = &self.state.derived.document;
        let templates = Value::Object(
            self.state
                .templates
                .iter()
                .map(|(name, text)| (name.clone(), Value::from(text.as_str())))
                .collect(),
        )
        .to_string();
        let (stored_document, stored_templates) = match &self.stored {
            Some((d, t)) => (Some(d), Some(t)),
            None => (None, None),
        };
        if stored_document != Some(document) {
            store(STORAGE_KEY, document);
        }
        if stored_templates != Some(&templates) {
            store(TEMPLATES_KEY, &templates);
        }
        self.stored = Some((Rc::clone(document), templates));
    }

    /// Writes the element `write` writes from `from`, or when `from` is what it was written
    /// from last time, an empty `<tag id=id data-keep>` in its place (the page then leaves
    /// the element as it is).
    fn kept<T: PartialEq>(
        out: &mut Html,
        last: &mut Option<T>,
        from: T,
        tag: &str,
        id: &str,
        write: impl FnOnce(&mut Html, &T),
    ) {
        if last.as_ref() == Some(&from) {
            out.raw("<")
                .raw(tag)
                .attr("id", id)
                .raw(" data-keep></")
                .raw(tag)
                .raw(">");
        } else {
            write(out, &from);
            *last = Some(from);
        }
    }

    /// The whole page.
    fn page(&mut self, out: &mut Html) {
        let state = &self.state;
        let derived = &state.derived;
        let ipxe = ipxe_flow(&state.form);
        out.raw("<main><header><h1>ipxegen</h1><p class=\"hint\">Boot trees and DHCP configs for iPXE, made in your browser by ipxegen's core. Nothing leaves this page.</p></header>");
        let general = derived
            .errors
            .iter()
            .filter(|e| e.target == Target::Document);
        site_errors(out, general.map(|e| e.message.as_str()));
        problem_list(out, derived.errors.iter().map(|e| e.message.as_str()));
        out.raw("<div class=\"layout\"><div class=\"inputs\">");
        let fields: Vec<FieldView<'_>> = site_fields()
            .filter(|info| in_flow(info.field, ipxe) || !state.form.get(info.field).is_empty())
            .map(|info| FieldView {
                info,
                value: state.form.get(info.field),
                errors: state.errors_at(Target::Site(info.field)).collect(),
            })
            .collect();
        site_form(out, &fields);
        let page = state.node_page();
        let node_errors = |i: usize| -> Vec<(Target, &str)> {
            derived
                .errors
                .iter()
                .filter(|e| e.target.node() == Some(i))
                .map(|e| (e.target, e.message.as_str()))
                .collect()
        };
        let errors: Vec<Vec<(Target, &str)>> = page.shown.iter().map(|&i| node_errors(i)).collect();
        let secrets: Vec<Vec<usize>> = page
            .shown
            .iter()
            .map(|&i| {
                self.secrets
                    .iter()
                    .filter(|s| s.0 == i)
                    .map(|s| s.2)
                    .collect()
            })
            .collect();
        let rows: Vec<Row<'_>> = page
            .shown
            .iter()
            .zip(&errors)
            .zip(&secrets)
            .filter_map(|((&index, errors), secrets)| {
                Some(Row {
                    index,
                    node: state.form.nodes.get(index)?,
                    errors,
                    more: self.more.contains(&index),
                    secrets,
                })
            })
            .collect();
        let list = NodeList {
            rows: &rows,
            page: &page,
            total: state.form.nodes.len(),
            filter: &state.filter,
            ipxe,
        };
        let last = &mut self.last;
        let mut rows = Html::new();
        node_rows(&mut rows, &list);
        let mut nodes = Html::new();
        App::kept(
            &mut nodes,
            &mut last.nodes,
            rows.into_string(),
            "div",
            "nodes",
            |out, rows| {
                out.raw(rows);
            },
        );
        node_table(out, &list, nodes.as_str());
        templates_panel(out, &derived.templates, derived.ipxe_enabled);
        let import = state
            .import
            .as_ref()
            .map(|r| r.as_ref().map(String::as_str).map_err(String::as_str));
        import_panel(out, import);
        out.raw("</div><div class=\"outputs\"><section id=\"tree-section\" aria-labelledby=\"tree-heading\">");
        let left_out: Vec<(String, usize)> = derived
            .left_out
            .iter()
            .map(|&i| {
                let id = state.form.nodes.get(i).map_or("", |n| n.get(Field::NodeId));
                (format!("node {} ({id})", i + 1), i)
            })
            .collect();
        let blocked = derived.entries.is_empty() && !derived.errors.is_empty();
        tree_notes(out, blocked, left_out.len());
        let from = (
            Rc::clone(&derived.entries),
            derived.selected.clone(),
            left_out,
        );
        let chunks = &mut last.tree_chunks;
        App::kept(
            out,
            &mut last.tree,
            from,
            "ul",
            "tree",
            |out, (entries, selected, left_out)| {
                out.raw("<ul id=\"tree\">");
                let mut chunk = Html::new();
                for (c, part) in entries.chunks(TREE_CHUNK).enumerate() {
                    for (k, entry) in (c * TREE_CHUNK..).zip(part) {
                        tree_entry(&mut chunk, k, entry, is_selected(entry, selected.as_ref()));
                    }
                    let chunk = std::mem::take(&mut chunk).into_string();
                    match chunks.get_mut(c) {
                        Some(last) if *last == chunk => {
                            out.raw("<li")
                                .attr("data-skip", &part.len().to_string())
                                .raw("></li>");
                        }
                        Some(last) => {
                            out.raw(&chunk);
                            *last = chunk;
                        }
                        None => {
                            out.raw(&chunk);
                            chunks.push(chunk);
                        }
                    }
                }
                chunks.truncate(entries.len().div_ceil(TREE_CHUNK));
                for (name, i) in left_out {
                    left_out_entry(out, name, *i);
                }
                out.raw("</ul>");
            },
        );
        out.raw("</section><div class=\"preview-pane\"><section id=\"preview-section\" aria-labelledby=\"preview-heading\">");
        let content = derived.content.as_deref();
        let path = derived.selected.as_ref().map(|s| s.path.as_str());
        preview_heading(out, path, content.is_some());
        let flagged: Vec<u32> = derived.findings.iter().map(|f| f.line).collect();
        App::kept(
            out,
            &mut last.preview,
            (derived.content.clone(), flagged),
            "pre",
            "preview",
            |out, (_, flagged)| {
                preview(out, content, flagged);
            },
        );
        out.raw("</section>");
        lint_list(
            out,
            content.is_some(),
            derived.findings.iter().map(|f| f.text.as_str()),
        );
        out.raw("</div>");
        downloads(out, derived.errors.len(), self.link_status);
        out.raw("<section id=\"files\" aria-labelledby=\"files-heading\"><h2 id=\"files-heading\">Files to place by hand</h2><p class=\"hint\">Not in the tar; the manifest inside lists them without a size.</p>");
        App::kept(
            out,
            &mut last.files,
            Rc::clone(&derived.entries),
            "ul",
            "files-to-place",
            |out, entries| {
                files_to_place(out, entries);
            },
        );
        out.raw("</section><section id=\"dhcp\" aria-labelledby=\"dhcp-heading\">");
        let config = match &derived.dhcp {
            Ok(config) => Ok(&**config),
            Err(e) => Err(e.as_str()),
        };
        dhcp_tabs(out, state.dhcp_format, config, self.copy_status);
        App::kept(
            out,
            &mut last.dhcp,
            derived.dhcp.clone(),
            "pre",
            "dhcp-config",
            |out, _| {
                dhcp_config(out, config);
            },
        );
        out.raw("</section></div></div></main>");
    }
}
