//! The app's state: the site as the operator edits it, and what the core makes of it.
//!
//! Plain data, one [`Action`] enum and one reducer ([`State::apply`]): every
//! change is one match arm. Nothing here touches the DOM, so a plain host `cargo test` covers
//! it. After every change the form becomes one site document ([`SiteForm::to_document`]) and
//! everything shown is computed by the core from that document: the tree, the selected
//! entry's content and its lint findings, the DHCP config, the errors (mapped back to the
//! form field they name), and on demand the tar ([`archive`]). While only nodes have errors,
//! the tree, the preview and the DHCP config are those of the site without them
//! ([`derive`]). The document is also what is exported, so an exported site gives exactly the
//! tar that was downloaded (with the same templates).
//!
//! Templates the site names (`ipxe_boot_script_template`, `ipxe_config_template`) are held
//! by path, as pasted or loaded from a file; the core parses them, checks them with the site
//! and writes every script they give, so the preview of each node's config is its templated
//! one.

use crate::csv::parse_csv;
pub use crate::form::{Field, MODES, NodeForm, SiteForm, Values};
use ipxegen_core::archive::{LinkMode, ManifestSpool, write_tree_archive_spooled};
use ipxegen_core::classic;
use ipxegen_core::ipxe::lint::{LabelEntry, label_line_count, lint_script_with};
use ipxegen_core::limits::SCRIPT_MAX;
use ipxegen_core::model::{TemplateFile, TemplateRef};
use ipxegen_core::schema::Scope;
use ipxegen_core::servers::Format;
use ipxegen_core::site::{CheckEvent, Holder, Problem, SeenFull, SeenValues, Unique};
use ipxegen_core::tree::{EntryKind, Root, Script, ScriptKind, Tree, write_script};
use ipxegen_core::{CheckedSite, Error, ErrorKind, Site};
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// The example site a new visitor starts from.
pub const EXAMPLE_SITE: &str = include_str!("../../examples/site.json");

/// A DHCP server config the page shows: the core's list of formats.
pub type DhcpFormat = Format;

/// Where an error belongs in the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A site input.
    Site(Field),
    /// An input of a node (a NIC's fields belong to its MACs input; `iscsi` itself to the
    /// targets' add button).
    Node(usize, Field),
    /// An input of one of a node's iSCSI targets: node, target, field.
    Item(usize, usize, Field),
    /// A node, not one of its inputs (e.g. a key the schema does not know).
    NodeRow(usize),
    /// The site as a whole.
    Document,
}

impl Target {
    /// The form target of a core error: its node (if any), item and field.
    pub fn of(error: &Error) -> Target {
        let node = error.node.and_then(|n| usize::try_from(n).ok());
        match (node, error.field) {
            (Some(i), Some(field)) => match (field.scope(), error.item) {
                (Scope::IscsiTarget, Some(j)) => Target::Item(i, usize::from(j), field),
                (Scope::Nic, _) => Target::Node(i, Field::Nics),
                (Scope::Node, _) if field.info().is_some_and(|info| info.form) => {
                    Target::Node(i, field)
                }
                _ => Target::NodeRow(i),
            },
            (Some(i), None) => Target::NodeRow(i),
            (None, Some(field)) if crate::form::site_fields().any(|f| f.field == field) => {
                Target::Site(field)
            }
            (None, _) => Target::Document,
        }
    }

    /// The node it belongs to, if any.
    pub fn node(self) -> Option<usize> {
        match self {
            Target::Node(i, _) | Target::Item(i, _, _) | Target::NodeRow(i) => Some(i),
            Target::Site(_) | Target::Document => None,
        }
    }

    /// The id of the element that edits it (what the problem list focuses): `http-server`,
    /// `node-1-kernel`, `node-1-iscsi-0-server`, `node-1` (the node's group),
    /// `site-errors`.
    pub fn element_id(self) -> String {
        match self {
            Target::Site(field) => crate::form::input_id(field),
            Target::Node(i, field) => format!("node-{i}-{}", field.key()),
            Target::Item(i, j, field) => format!("node-{i}-iscsi-{j}-{}", field.key()),
            Target::NodeRow(i) => format!("node-{i}"),
            Target::Document => "site-errors".into(),
        }
    }
}

/// An error and where it belongs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Where it belongs.
    pub target: Target,
    /// The core's message (its `Display`, naming the field), e.g.
    /// `nodes[1].nics[0].mac: not a MAC address (...)`.
    pub message: String,
}

impl FieldError {
    /// The problem as the form shows it, its node index (in a document of some of the
    /// nodes) turned into the form's by `renumber`.
    fn of(mut problem: Problem<'_>, renumber: &dyn Fn(u32) -> u32) -> Self {
        problem.error.node = problem.error.node.map(renumber);
        FieldError {
            target: Target::of(&problem.error),
            message: text_of(&problem),
        }
    }
}

/// What a tree entry is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TreeKind {
    /// A directory.
    Directory,
    /// A script the core writes.
    Script,
    /// A per-MAC entry: a link to `target`.
    PerMac(String),
    /// A local file (kernel, ramdisk, ISO) to place by hand, from `source`.
    File(String),
    /// An iPXE loader to place by hand.
    Loader,
}

/// One entry of the boot tree, as `ipxegen build` lays it out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeEntry {
    /// In the TFTP root (else the HTTP root).
    pub tftp: bool,
    /// Its path inside its root.
    pub path: String,
    /// What it is.
    pub kind: TreeKind,
}

/// The entry shown in the preview.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// In the TFTP root.
    pub tftp: bool,
    /// Its path inside its root.
    pub path: String,
}

/// One lint finding of the previewed script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// 1-based line.
    pub line: u32,
    /// `line:column: severity[rule]: message`.
    pub text: String,
}

/// A template file the site names, as the page holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateEntry {
    /// Its path, as the site names it.
    pub path: String,
    /// Its text, when it was pasted or loaded.
    pub text: Option<String>,
}

/// Why a template the site names is not in the page, as the check reports it.
pub const TEMPLATE_NOT_GIVEN: &str = "not given: paste it, or load its file, under Templates";

/// Everything the core made of the current document.
#[derive(Clone, Debug, PartialEq)]
pub struct Derived {
    /// The template files the site names, in the order it names them first.
    pub templates: Vec<TemplateEntry>,
    /// The site boots through iPXE (`ipxe_enabled`; also while it cannot be read).
    pub ipxe_enabled: bool,
    /// The site document everything below was made from (and that export writes).
    pub document: Rc<str>,
    /// Every problem found, each with where it belongs. Empty when the site is valid.
    pub errors: Vec<FieldError>,
    /// The tree's entries: of the whole site, or while some nodes have errors, of the site
    /// without them (empty while the site's own fields have errors); shared, and kept when
    /// unchanged.
    pub entries: Rc<Vec<TreeEntry>>,
    /// The nodes (indices) with errors, which the tree, the preview and the DHCP config
    /// leave out.
    pub left_out: Vec<usize>,
    /// The entry the preview shows (`None` when there is no tree).
    pub selected: Option<Selection>,
    /// Its content, for a script (the per-MAC entries show their config).
    pub content: Option<Rc<str>>,
    /// The lint findings of that content.
    pub findings: Vec<Finding>,
    /// The chosen DHCP config, or the core's error text when it cannot be made.
    pub dhcp: Result<Rc<str>, String>,
}

impl Default for Derived {
    fn default() -> Self {
        Derived {
            templates: Vec::new(),
            ipxe_enabled: true,
            document: Rc::from(""),
            errors: Vec::new(),
            entries: Rc::default(),
            left_out: Vec::new(),
            selected: None,
            content: None,
            findings: Vec::new(),
            dhcp: Err(String::new()),
        }
    }
}

/// Everything the page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The site as typed.
    pub form: SiteForm,
    /// Template texts by path (pasted, or loaded from a file).
    pub templates: BTreeMap<String, String>,
    /// The entry the operator selected (kept across edits while it exists).
    pub selected: Selection,
    /// The DHCP tab shown.
    pub dhcp_format: DhcpFormat,
    /// The outcome of the last import (JSON file or CSV): `Err` names what was refused.
    pub import: Option<Result<String, String>>,
    /// The node list's filter, as typed.
    pub filter: String,
    /// The nodes (indices, in order) whose id or MACs held the filter (ASCII case ignored)
    /// when it was typed, which the node list pages over: a node edited so that it no longer
    /// matches stays until the filter changes. `None` without a filter: every node.
    pub matching: Option<Vec<usize>>,
    /// The page of the matching nodes shown (see [`State::node_page`]; past the last one
    /// shows the last).
    pub page: usize,
    /// What the core made of it.
    pub derived: Derived,
}

impl Default for State {
    /// The example site, main script selected.
    fn default() -> Self {
        State::from_document(EXAMPLE_SITE).unwrap_or_else(|_| State::from_form(SiteForm::default()))
    }
}

impl State {
    /// The state for a form (main script selected, first DHCP tab).
    pub fn from_form(form: SiteForm) -> Self {
        let mut state = State {
            form,
            templates: BTreeMap::new(),
            selected: Selection::default(),
            dhcp_format: DhcpFormat::Dnsmasq,
            import: None,
            filter: String::new(),
            matching: None,
            page: 0,
            derived: Derived::default(),
        };
        state.derive(None);
        state
    }

    /// The state for a site document (e.g. from storage or a link).
    ///
    /// # Errors
    /// What the form cannot hold (see [`SiteForm::from_document`]).
    pub fn from_document(text: &str) -> Result<Self, String> {
        SiteForm::from_document(text).map(State::from_form)
    }

    /// The same state with these template texts (by path), e.g. from storage.
    #[must_use]
    pub fn with_templates(mut self, templates: BTreeMap<String, String>) -> Self {
        self.templates = templates;
        let previous = Rc::clone(&self.derived.entries);
        self.derive(Some(&previous));
        self
    }

    /// The errors that belong to `target`.
    pub fn errors_at(&self, target: Target) -> impl Iterator<Item = &str> {
        self.derived
            .errors
            .iter()
            .filter(move |e| e.target == target)
            .map(|e| e.message.as_str())
    }

    /// Filters the node list by `filter` (see [`State::matching`]), from its first page.
    fn filter_nodes(&mut self, filter: String) {
        let needle = filter.trim().as_bytes();
        self.matching = (!needle.is_empty()).then(|| {
            let holds = |hay: &str| {
                hay.as_bytes()
                    .windows(needle.len())
                    .any(|w| w.eq_ignore_ascii_case(needle))
            };
            (0..self.form.nodes.len())
                .filter(|&i| {
                    self.form.nodes.get(i).is_some_and(|node| {
                        holds(node.get(Field::NodeId)) || holds(node.get(Field::Nics))
                    })
                })
                .collect()
        });
        self.filter = filter;
        self.page = 0;
    }

    /// The nodes (indices, in order) the node list pages over.
    fn listed(&self) -> Vec<usize> {
        self.matching
            .clone()
            .unwrap_or_else(|| (0..self.form.nodes.len()).collect())
    }

    /// The page of the node list shown: [`PAGE_SIZE`] of the nodes it pages over.
    pub fn node_page(&self) -> NodePage {
        let listed = self.listed();
        let pages = listed.len().div_ceil(PAGE_SIZE).max(1);
        let page = self.page.min(pages - 1);
        let first = page * PAGE_SIZE;
        NodePage {
            shown: listed.iter().copied().skip(first).take(PAGE_SIZE).collect(),
            first,
            page,
            pages,
            matching: listed.len(),
        }
    }

    /// Shows the page holding node `i`: of the filter's matches, or of every node (the filter
    /// cleared) when they do not hold it.
    fn show_node(&mut self, i: usize) {
        if self.matching.as_ref().is_some_and(|m| !m.contains(&i)) {
            self.filter_nodes(String::new());
        }
        let before = self.listed().iter().take_while(|&&j| j < i).count();
        self.page = before / PAGE_SIZE;
    }

    /// Recomputes [`Derived`] from the form; `previous` entries are reused when equal.
    fn derive(&mut self, previous: Option<&Rc<Vec<TreeEntry>>>) {
        let mut derived = derive(
            &self.form,
            &self.templates,
            &self.selected,
            self.dhcp_format,
        );
        if let Some(previous) = previous
            && **previous == *derived.entries
        {
            derived.entries = Rc::clone(previous);
        }
        self.derived = derived;
    }
}

/// How many nodes a page of the node list shows.
pub const PAGE_SIZE: usize = 50;

/// The page of the node list shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodePage {
    /// The indices (in the form) of the nodes it shows.
    pub shown: Vec<usize>,
    /// The place of the first of them among the matching nodes (0-based).
    pub first: usize,
    /// The page (0-based, at most `pages - 1`).
    pub page: usize,
    /// How many pages the matching nodes fill (at least 1).
    pub pages: usize,
    /// How many nodes the list pages over (the filter's matches, or every node).
    pub matching: usize,
}

/// Every change the page can ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// A site input changed.
    SetField(Field, String),
    /// Append a node (a fresh id, mode `deploy`, no MAC yet) and show its page.
    AddNode,
    /// Remove the node at this index.
    RemoveNode(usize),
    /// An input of a node changed.
    EditNode(usize, Field, String),
    /// A change to a node's iSCSI targets.
    Iscsi(usize, IscsiEdit),
    /// Replace the site with a site document (an imported file, storage, a link).
    ImportSiteJson(String),
    /// Replace the nodes with pasted CSV (see [`crate::csv`]).
    ImportCsv(String),
    /// Show this page of the node list (0-based; past the last one shows the last).
    ShowPage(usize),
    /// Filter the node list by this text (id or MAC; see [`State::matching`]), from its
    /// first page.
    FilterNodes(String),
    /// Show the page of the node list holding the node at this index (the filter cleared
    /// when it does not match it).
    ShowNode(usize),
    /// Show this entry in the preview.
    Select(Selection),
    /// Show this DHCP config.
    SelectDhcp(DhcpFormat),
    /// Start again from the example site.
    LoadExample,
    /// The text of the template at this path (pasted, or a file's).
    SetTemplate(String, String),
    /// A template file loaded for this site field: the field names it (by the file's name)
    /// and its text is the file's.
    LoadTemplate(Field, String, String),
}

/// A change to a node's list of iSCSI targets (by index in the list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IscsiEdit {
    /// Append an empty target.
    Add,
    /// Remove this target.
    Remove(usize),
    /// Swap this target with the one before it (its drive number with the one before).
    MoveUp(usize),
    /// A field of this target changed.
    Set(usize, Field, String),
}

impl IscsiEdit {
    /// Applies the change to `targets`; `false` when it changes nothing (an index past the
    /// end, the first target moved up, a value as it was).
    fn apply(self, targets: &mut Vec<Values>) -> bool {
        match self {
            IscsiEdit::Add => targets.push(Values::default()),
            IscsiEdit::Remove(j) if j < targets.len() => {
                targets.remove(j);
            }
            IscsiEdit::MoveUp(j) if j > 0 && j < targets.len() => targets.swap(j - 1, j),
            IscsiEdit::Set(j, field, value) => match targets.get_mut(j) {
                Some(target) if target.get(field) != value => target.set(field, value),
                _ => return false,
            },
            IscsiEdit::Remove(_) | IscsiEdit::MoveUp(_) => return false,
        }
        true
    }
}

impl State {
    /// Applies `action`: the one reducer of the page. What the core makes of the form is
    /// derived again only when the action changed it.
    pub fn apply(&mut self, action: Action) {
        let previous = Rc::clone(&self.derived.entries);
        if self.change(action) {
            self.derive(Some(&previous));
        }
    }

    /// Applies `action`; `true` when what the core makes of the form must be derived again
    /// (`false`: nothing changed, or only the node list's view).
    fn change(&mut self, action: Action) -> bool {
        match action {
            Action::SetField(field, value) => {
                if self.form.get(field) == value {
                    return false;
                }
                self.form.set(field, value);
            }
            Action::AddNode => {
                let id = fresh_id(&self.form);
                self.form.nodes.push(Rc::new(NodeForm::new(&id, "deploy")));
                self.show_node(self.form.nodes.len() - 1);
            }
            Action::RemoveNode(index) => {
                if index >= self.form.nodes.len() {
                    return false;
                }
                self.form.nodes.remove(index);
                // The filter's matches after it move up by one.
                if let Some(matching) = &mut self.matching {
                    matching.retain(|&j| j != index);
                    for j in matching.iter_mut().filter(|j| **j > index) {
                        *j -= 1;
                    }
                }
            }
            Action::EditNode(index, field, value) => {
                let Some(node) = self.form.nodes.get_mut(index) else {
                    return false;
                };
                if node.get(field) == value {
                    return false;
                }
                Rc::make_mut(node).set(field, value);
            }
            Action::Iscsi(index, edit) => {
                let mut targets = match self.form.nodes.get(index) {
                    Some(node) => node.iscsi.clone(),
                    None => return false,
                };
                if !edit.apply(&mut targets) {
                    return false;
                }
                if let Some(node) = self.form.nodes.get_mut(index) {
                    Rc::make_mut(node).iscsi = targets;
                }
            }
            Action::ImportSiteJson(text) => match SiteForm::from_document(&text) {
                Ok(form) => {
                    self.form = form;
                    self.filter_nodes(String::new());
                    self.import = Some(Ok(format!(
                        "Imported a site with {} node(s).",
                        self.form.nodes.len()
                    )));
                }
                Err(e) => {
                    self.import = Some(Err(e));
                    return false;
                }
            },
            Action::ImportCsv(text) => match parse_csv(&text) {
                Ok(nodes) => {
                    self.import = Some(Ok(format!("Imported {} node(s) from CSV.", nodes.len())));
                    self.form.nodes = nodes.into_iter().map(Rc::new).collect();
                    self.filter_nodes(String::new());
                }
                Err(e) => {
                    self.import = Some(Err(e));
                    return false;
                }
            },
            // The node list's view: the document, and all the core made of it, stay.
            Action::ShowPage(page) => {
                self.page = page.min(self.node_page().pages - 1);
                return false;
            }
            Action::FilterNodes(filter) => {
                self.filter_nodes(filter);
                return false;
            }
            Action::ShowNode(i) => {
                self.show_node(i);
                return false;
            }
            Action::Select(selection) => self.selected = selection,
            Action::SelectDhcp(format) => self.dhcp_format = format,
            Action::LoadExample => {
                *self = State::default();
                return false;
            }
            Action::SetTemplate(path, text) => {
                if self.templates.get(&path) == Some(&text) {
                    return false;
                }
                self.templates.insert(path, text);
            }
            Action::LoadTemplate(field, name, text) => {
                self.form.set(field, name.clone());
                self.templates.insert(name, text);
            }
        }
        true
    }
}
/// An id no node has yet: `node-N`.
fn fresh_id(form: &SiteForm) -> String {
    (form.nodes.len() + 1..)
        .map(|n| format!("node-{n}"))
        .find(|id| form.nodes.iter().all(|node| node.get(Field::NodeId) != id))
        .unwrap_or_default()
}

/// What `value` displays, as a string: one copy of the formatting code for every type shown.
pub(crate) fn text_of(value: &dyn std::fmt::Display) -> String {
    value.to_string()
}

/// Renders with a core writer into a string.
fn render(write: impl FnOnce(&mut Vec<u8>) -> Result<(), Error>) -> Result<String, Error> {
    let mut out = Vec::new();
    write(&mut out)?;
    String::from_utf8(out).map_err(|_| Error::new(ErrorKind::Internal))
}

/// The distinct template files `site` names, where it first names each.
fn template_refs<'a>(site: &Site<'a>) -> Vec<TemplateRef<'a>> {
    let mut refs: Vec<TemplateRef<'a>> = Vec::new();
    for r in site.template_refs() {
        if !refs.iter().any(|known| known.same_file(&r)) {
            refs.push(r);
        }
    }
    refs
}

/// The files of `refs` as the core loads them from `templates` (by path; one not given is
/// reported as such by the check).
fn template_files<'a>(
    refs: &[TemplateRef<'a>],
    templates: &'a BTreeMap<String, String>,
) -> Vec<TemplateFile<'a>> {
    refs.iter()
        .map(|r| match templates.get(&text_of(&r.slot.path)) {
            Some(text) => TemplateFile::load(*r, text.as_bytes()),
            None => TemplateFile::unreadable(*r, TEMPLATE_NOT_GIVEN),
        })
        .collect()
}

/// How many times [`derive`] leaves out the nodes with errors and checks the rest again:
/// the rest is a site of its own, which must check too (a value two nodes shared is
/// reported at the second, so the first stays).
const PARTIAL_ROUNDS: usize = 4;

/// What the core makes of `form`'s document (see [`derive_document`]). While only nodes
/// have errors, the tree, the preview and the DHCP config are those of the site without
/// them ([`Derived::left_out`]), never a script for a node with errors; every problem found
/// on the way is in [`Derived::errors`].
pub fn derive(
    form: &SiteForm,
    templates: &BTreeMap<String, String>,
    selected: &Selection,
    format: DhcpFormat,
) -> Derived {
    let document: Rc<str> = Rc::from(form.to_document());
    let mut derived = derive_document(&document, templates, selected, format, &|n| n);
    let mut left_out: Vec<usize> = Vec::new();
    for _ in 0..PARTIAL_ROUNDS {
        let before = left_out.len();
        // `left_out` stays sorted: each node index goes in once, where it belongs.
        for error in &derived.errors {
            match error.target.node() {
                Some(i) => {
                    if let Err(at) = left_out.binary_search(&i) {
                        left_out.insert(at, i);
                    }
                }
                // A problem of the site itself: no part of the tree can be written.
                None => return derived,
            }
        }
        if left_out.len() == before {
            break;
        }
        let kept: Vec<usize> = (0..form.nodes.len())
            .filter(|i| left_out.binary_search(i).is_err())
            .collect();
        let nodes = kept.iter().filter_map(|&i| form.nodes.get(i));
        let partial: Rc<str> = Rc::from(form.document_of(nodes));
        let renumber = |n: u32| {
            let original = usize::try_from(n).ok().and_then(|n| kept.get(n).copied());
            original.and_then(|i| u32::try_from(i).ok()).unwrap_or(n)
        };
        let mut made = derive_document(&partial, templates, selected, format, &renumber);
        if made.errors.is_empty() {
            derived.entries = made.entries;
            derived.selected = made.selected;
            derived.content = made.content;
            derived.findings = made.findings;
            derived.dhcp = made.dhcp;
            derived.left_out = left_out;
            return derived;
        }
        made.errors.retain(|e| !derived.errors.contains(e));
        derived.errors.append(&mut made.errors);
    }
    derived
}

/// What the core makes of `document` (with the template texts `templates`), with `selected`
/// shown in the preview (or the main script when there is no such entry) and `format` as the
/// DHCP config; `renumber` gives the form's index of a node of `document` (which may hold
/// only some of the form's nodes).
fn derive_document(
    document: &Rc<str>,
    templates: &BTreeMap<String, String>,
    selected: &Selection,
    format: DhcpFormat,
    renumber: &dyn Fn(u32) -> u32,
) -> Derived {
    let mut derived = Derived {
        document: Rc::clone(document),
        dhcp: Err(String::new()),
        ..Derived::default()
    };
    let site = match Site::parse(document.as_bytes()) {
        Ok(site) => site,
        Err(e) => {
            let error = FieldError::of(Problem::in_document(document.as_bytes(), e), renumber);
            derived.dhcp = Err(format!("The site has errors: {}", error.message));
            derived.errors.push(error);
            return derived;
        }
    };
    derived.ipxe_enabled = site.config().ipxe_enabled;
    let refs = template_refs(&site);
    derived.templates = refs
        .iter()
        .map(|r| {
            let path = text_of(&r.slot.path);
            let text = templates.get(&path).cloned();
            TemplateEntry { path, text }
        })
        .collect();
    let files = template_files(&refs, templates);
    let site = site.with_templates(&files);
    let checked = check(&site, &mut derived.errors, renumber);
    let Some(site) = checked else {
        let first = derived.errors.first().map_or("", |e| e.message.as_str());
        derived.dhcp = Err(format!("The site has errors: {first}"));
        return derived;
    };
    let mut entries = Vec::new();
    let mut content = None;
    let mut tree = Tree::new(&site);
    while let Some(entry) = tree.next_entry() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let error = FieldError::of(Problem::in_document(document.as_bytes(), e), renumber);
                derived.dhcp = Err(format!("The site has errors: {}", error.message));
                derived.errors.push(error);
                return derived;
            }
        };
        let tftp = entry.root == Root::Tftp;
        let is_selected = tftp == selected.tftp && entry.path == selected.path;
        let kind = match entry.kind {
            EntryKind::Directory => TreeKind::Directory,
            EntryKind::Script(_) => TreeKind::Script,
            EntryKind::PerMac { target, .. } => TreeKind::PerMac(target.to_owned()),
            EntryKind::File { source } => TreeKind::File(text_of(&source)),
            EntryKind::Loader { .. } => TreeKind::Loader,
        };
        if is_selected {
            content = Some(entry.script().and_then(|script| {
                let text = render(|out| write_script(site.config(), script, out)).ok()?;
                Some((text, is_ipxe(script.kind())))
            }));
        }
        entries.push(TreeEntry {
            tftp,
            path: entry.path.to_owned(),
            kind,
        });
    }
    let (selection, content) = match content {
        Some(content) => (selected.clone(), content),
        None => {
            // The selected entry is gone (or none was chosen): show the main script (in the
            // classic flow, `pxelinux.cfg/default`).
            let config = site.config();
            let (main, script) = if config.ipxe_enabled {
                let path = config.boot_script.as_str().to_owned();
                (Selection { tftp: false, path }, Script::Main)
            } else {
                let path = format!(
                    "{}/{}",
                    config.per_mac_dir.as_str(),
                    classic::PXELINUX_DEFAULT.as_str()
                );
                (Selection { tftp: true, path }, Script::PxelinuxDefault)
            };
            let text = render(|out| write_script(config, script, out));
            (main, text.ok().map(|t| (t, is_ipxe(script.kind()))))
        }
    };
    // Only iPXE scripts are linted (PXELINUX and GRUB configs are not iPXE).
    let (content, lint) = match content {
        Some((text, lint)) => (Some(text), lint),
        None => (None, false),
    };
    if let Some(script) = content.as_ref().filter(|_| lint) {
        let mut label_table = vec![LabelEntry::EMPTY; label_line_count(script.as_bytes())];
        lint_script_with(script.as_bytes(), &mut label_table, |d| {
            derived.findings.push(Finding {
                line: d.line,
                text: text_of(&d),
            });
        });
    }
    derived.selected = Some(selection);
    derived.content = content.map(Rc::from);
    derived.entries = Rc::new(entries);
    derived.dhcp = dhcp_config(&site, format)
        .map(Rc::from)
        .map_err(|e| text_of(&e));
    derived
}

/// `true` for the scripts iPXE reads (the others are PXELINUX and GRUB configs).
fn is_ipxe(kind: ScriptKind) -> bool {
    matches!(kind, ScriptKind::Main | ScriptKind::Node)
}

/// What the whole-site check has seen, in one hash map.
#[derive(Default)]
struct Seen<'a>(HashMap<Unique<'a>, Holder<'a>>);

impl<'a> SeenValues<'a> for Seen<'a> {
    fn first_holder(
        &mut self,
        value: Unique<'a>,
        holder: Holder<'a>,
    ) -> Result<Option<Holder<'a>>, SeenFull> {
        Ok(match self.0.entry(value) {
            Entry::Occupied(first) => Some(*first.get()),
            Entry::Vacant(slot) => {
                slot.insert(holder);
                None
            }
        })
    }
}

/// Runs the core's whole-site check: every problem goes to `errors` (with where it belongs
/// in the form, a node's index turned into the form's by `renumber`) as the core words it;
/// gives the checked site when there was none.
pub fn check<'a>(
    site: &Site<'a>,
    errors: &mut Vec<FieldError>,
    renumber: &dyn Fn(u32) -> u32,
) -> Option<CheckedSite<'a>> {
    let mut seen = Seen::default();
    let mut scratch = vec![0u8; SCRIPT_MAX];
    site.check_with(&mut seen, &mut scratch, |event| {
        if let CheckEvent::Problem(problem) = event {
            errors.push(FieldError::of(*problem, renumber));
        }
    })
    .ok()
}

/// The DHCP config of `site` in `format`, as the core writes it.
///
/// # Errors
/// The core's error, e.g. a config that needs `tftp_server` when the site has none.
pub fn dhcp_config(site: &CheckedSite<'_>, format: DhcpFormat) -> Result<String, Error> {
    render(|out| format.write(site, out))
}

/// The tar of `document`'s HTTP root (its templates' texts `templates`) as `ipxegen
/// archive` writes it (per-MAC entries as symbolic links): the same bytes for the same
/// document and templates.
///
/// # Errors
/// The core's error for an invalid site.
pub fn archive(document: &str, templates: &BTreeMap<String, String>) -> Result<Vec<u8>, Error> {
    let site = Site::parse(document.as_bytes())?;
    let refs = template_refs(&site);
    let files = template_files(&refs, templates);
    let site = site.with_templates(&files);
    let mut scratch = vec![0u8; SCRIPT_MAX];
    let site = site.checked_with(&mut Seen::default(), &mut scratch)?;
    let mut spool = MemorySpool(Vec::new());
    let mut out = Vec::new();
    write_tree_archive_spooled(&site, LinkMode::Symlink, &mut spool, &mut out)?;
    Ok(out)
}

/// The manifest of an archive, spooled in memory while the other entries are written.
struct MemorySpool(Vec<u8>);

impl embedded_io::ErrorType for MemorySpool {
    type Error = core::convert::Infallible;
}

impl embedded_io::Write for MemorySpool {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

impl ManifestSpool for MemorySpool {
    fn replay(
        &mut self,
        chunk: &mut dyn FnMut(&[u8]) -> ipxegen_core::Result<()>,
    ) -> ipxegen_core::Result<()> {
        chunk(&self.0)
    }
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
    use ipxegen_core::archive::write_tree_archive;

    fn reduce(mut state: State, action: Action) -> State {
        state.apply(action);
        state
    }

    fn paths(state: &State) -> Vec<&str> {
        state
            .derived
            .entries
            .iter()
            .filter(|e| !e.tftp)
            .map(|e| e.path.as_str())
            .collect()
    }

    #[test]
    fn starts_from_the_example_site() {
        let state = State::default();
        assert!(
            state.derived.errors.is_empty(),
            "{:?}",
            state.derived.errors
        );
        assert_eq!(state.form.nodes.len(), 3);
        assert_eq!(state.form.get(Field::HttpServer), "http://192.0.2.10:8080");
        let p = paths(&state);
        assert_eq!(p.first(), Some(&"boot.ipxe"));
        assert!(p.contains(&"pxelinux.cfg/52-54-00-12-34-56"));
        assert!(!p.contains(&"pxelinux.cfg/52-54-00-12-34-57"), "pxe: false");
        assert!(p.contains(&"rack1-node02/config"));
        let script = state.derived.content.as_deref().unwrap();
        assert!(script.starts_with("#!ipxe\n"));
        assert!(
            state.derived.findings.is_empty(),
            "{:?}",
            state.derived.findings
        );
        assert!(state.derived.dhcp.is_ok());
        // The non-booting NIC survives the round trip.
        assert!(state.derived.document.contains("\"pxe\": false"));
    }

    #[test]
    fn main_script_is_the_cores() {
        let state = reduce(
            State::from_form(SiteForm::default()),
            Action::SetField(Field::HttpServer, "192.0.2.10".into()),
        );
        let state = reduce(
            state,
            Action::SetField(Field::HttpRoot, "/srv/ipxegen/http".into()),
        );
        let golden = include_str!("../../tests/golden/ipxe/main-default.ipxe");
        assert_eq!(state.derived.content.as_deref(), Some(golden));
    }

    #[test]
    fn a_classic_site_shows_its_tftp_root_and_the_pxelinux_default() {
        let doc = include_str!("../../tests/golden/sites/classic.json");
        let state = State::from_document(doc).unwrap();
        assert!(
            state.derived.errors.is_empty(),
            "{:?}",
            state.derived.errors
        );
        let selected = state.derived.selected.clone().unwrap();
        assert!(selected.tftp);
        assert_eq!(selected.path, "pxelinux.cfg/default");
        let golden = include_str!("../../tests/golden/classic/default.pxelinux");
        assert_eq!(state.derived.content.as_deref(), Some(golden));
        // Not iPXE: nothing for the iPXE linter to say.
        assert!(state.derived.findings.is_empty());
        // Every entry is in the TFTP root.
        assert!(paths(&state).is_empty());
        assert!(
            state
                .derived
                .entries
                .iter()
                .any(|e| e.tftp && e.path == "grub/grub.cfg-01-52-54-00-00-00-01")
        );
    }

    #[test]
    fn add_edit_and_remove_a_node() {
        let state = reduce(State::default(), Action::AddNode);
        assert_eq!(state.form.nodes.len(), 4);
        assert_eq!(state.form.nodes[3].get(Field::NodeId), "node-4");
        // No MAC yet: the core says so, on the MACs field of that row.
        assert_eq!(
            state.errors_at(Target::Node(3, Field::Nics)).next(),
            Some("node \"node-4\": nodes[3].nics: must not be empty")
        );
        let state = reduce(
            state,
            Action::EditNode(3, Field::Nics, "52:54:00:00:00:04".into()),
        );
        assert!(
            state.derived.errors.is_empty(),
            "{:?}",
            state.derived.errors
        );
        assert!(paths(&state).contains(&"pxelinux.cfg/52-54-00-00-00-04"));
        assert!(paths(&state).contains(&"node-4/config"));

        let state = reduce(
            state,
            Action::Select(Selection {
                tftp: false,
                path: "pxelinux.cfg/52-54-00-00-00-04".into(),
            }),
        );
        let config = state.derived.content.as_deref().unwrap();
        assert!(
            config.contains("kernel --name kernel /srv/images/ironic-python-agent.kernel")
                || config.contains("node-4/deploy_kernel"),
            "{config}"
        );

        let state = reduce(state, Action::RemoveNode(0));
        assert_eq!(state.form.nodes.len(), 3);
        assert!(!paths(&state).contains(&"pxelinux.cfg/52-54-00-12-34-56"));
        assert!(paths(&state).contains(&"pxelinux.cfg/52-54-00-00-00-04"));
        // Removing past the end changes nothing.
        let again = reduce(state.clone(), Action::RemoveNode(10));
        assert_eq!(again, state);
    }

    #[test]
    fn every_key_of_an_imported_site_has_an_editor_and_round_trips() {
        let text = include_str!("../../tests/golden/sites/modes.json");
        let state = State::from_document(text).unwrap();
        assert!(
            state.derived.errors.is_empty(),
            "{:?}",
            state.derived.errors
        );
        // Nothing was kept aside as an unknown key: every value is in an editor.
        assert!(state.form.extra.is_empty());
        assert!(state.form.nodes.iter().all(|n| n.extra.is_empty()));
        let before: serde_json::Value = serde_json::from_str(text).unwrap();
        let after: serde_json::Value = serde_json::from_str(&state.derived.document).unwrap();
        let nodes = |v: &serde_json::Value| v["nodes"].as_array().unwrap().len();
        assert_eq!(nodes(&before), nodes(&after));
        for (a, b) in before["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .zip(after["nodes"].as_array().unwrap())
        {
            assert_eq!(a, b);
        }
        let i = state
            .form
            .nodes
            .iter()
            .position(|n| n.get(Field::NodeId) == "iscsi")
            .unwrap();
        assert_eq!(state.form.nodes[i].iscsi.len(), 2);
        let state = reduce(
            state,
            Action::Select(Selection {
                tftp: false,
                path: "iscsi/config".into(),
            }),
        );
        assert_eq!(
            state.derived.content.as_deref(),
            Some(include_str!(
                "../../tests/golden/ipxe/iscsi-two-targets-chap.ipxe"
            ))
        );
    }

    #[test]
    fn iscsi_targets_are_added_reordered_removed_and_written_as_sanhook_lines() {
        use IscsiEdit::{Add, MoveUp, Remove, Set};
        let mut state = reduce(
            State::default(),
            Action::EditNode(1, Field::Mode, "iscsi".into()),
        );
        // No target yet: that node is left out and marked, the others keep their tree.
        assert!(!state.derived.errors.is_empty());
        assert!(
            state
                .derived
                .errors
                .iter()
                .all(|e| e.target.node() == Some(1))
        );
        assert_eq!(state.derived.left_out, vec![1]);
        assert!(paths(&state).contains(&"pxelinux.cfg/52-54-00-12-34-56"));
        assert!(!paths(&state).contains(&"rack1-node02/config"));
        assert!(state.derived.dhcp.is_ok());
        let data = [
            (Field::IscsiServer, "2001:db8::30"),
            (Field::IscsiPort, "3261"),
            (Field::IscsiIqn, "iqn.2010-04.org.example:data"),
        ];
        let root = [
            (Field::IscsiServer, "192.0.2.30"),
            (Field::IscsiLun, "1"),
            (Field::IscsiIqn, "iqn.2010-04.org.example:root"),
            (Field::IscsiUsername, "node-iscsi"),
            (Field::IscsiPassword, "s3cret,chap"),
        ];
        let mut edits = vec![Add];
        edits.extend(data.map(|(f, v)| Set(0, f, v.into())));
        edits.extend([Add, Add, Remove(2), Remove(5), MoveUp(0)]);
        edits.extend(root.map(|(f, v)| Set(1, f, v.into())));
        edits.push(MoveUp(1));
        for edit in edits {
            state = reduce(state, Action::Iscsi(1, edit));
        }
        assert_eq!(state.form.nodes[1].iscsi.len(), 2);
        assert!(
            state.derived.errors.is_empty(),
            "{:?}",
            state.derived.errors
        );
        assert!(state.derived.left_out.is_empty());
        let state = reduce(
            state,
            Action::Select(Selection {
                tftp: false,
                path: "rack1-node02/config".into(),
            }),
        );
        let config = state.derived.content.as_deref().unwrap();
        let sanhooks: Vec<&str> = config
            .lines()
            .filter(|l| l.starts_with("sanhook"))
            .collect();
        assert_eq!(
            sanhooks,
            [
                "sanhook --drive 0x80 iscsi:192.0.2.30:::1:iqn.2010-04.org.example:root || goto retry",
                "sanhook --drive 0x81 iscsi:[2001:db8::30]::3261:0:iqn.2010-04.org.example:data || goto retry",
            ]
        );
        assert!(config.contains("set password s3cret,chap\n"), "{config}");
    }

    #[test]
    fn a_node_with_errors_is_left_out_and_its_errors_name_it_as_the_form_does() {
        // Node 0's MAC does not parse, node 2's id is node 1's: each problem is found, named
        // by its own index, and both nodes are left out (node 1, which had the id first,
        // stays).
        let state = reduce(
            State::default(),
            Action::EditNode(0, Field::Nics, "52:54:00:zz:00:01".into()),
        );
        let state = reduce(
            state,
            Action::EditNode(2, Field::NodeId, "rack1-node02".into()),
        );
        let targets: Vec<Target> = state.derived.errors.iter().map(|e| e.target).collect();
        assert!(
            targets.contains(&Target::Node(0, Field::Nics)),
            "{targets:?}"
        );
        assert!(
            targets.contains(&Target::Node(2, Field::NodeId)),
            "{targets:?}"
        );
        let messages: Vec<&str> = state
            .derived
            .errors
            .iter()
            .map(|e| e.message.as_str())
            .collect();
        assert!(
            messages.iter().any(|m| m.contains("nodes[2].id")),
            "{messages:?}"
        );
        assert_eq!(state.derived.left_out, vec![0, 2]);
        // The tree is node 1's alone: never a script of a node with errors.
        assert!(paths(&state).contains(&"rack1-node02/config"));
        assert!(
            !paths(&state)
                .iter()
                .any(|p| p.contains("52-54-00-aa-00-03"))
        );
        assert!(
            !paths(&state)
                .iter()
                .any(|p| p.contains("52-54-00-12-34-56"))
        );
        // In the classic flow too the rest keeps its tree (in the TFTP root).
        let mut classic = reduce(
            state.clone(),
            Action::SetField(Field::IpxeEnabled, "false".into()),
        );
        for info in crate::form::site_fields() {
            if !crate::form::in_flow(info.field, false) {
                classic = reduce(classic, Action::SetField(info.field, String::new()));
            }
        }
        assert!(
            !classic.derived.ipxe_enabled,
            "{:?}",
            classic.derived.errors
        );
        assert!(classic.derived.entries.iter().any(|e| e.tftp));
        // A problem of the site itself leaves no tree at all.
        let state = reduce(state, Action::SetField(Field::HttpServer, String::new()));
        assert!(state.derived.entries.is_empty());
        assert!(state.derived.left_out.is_empty());
    }

    #[test]
    fn a_nic_s_network_boot_flag_is_edited_in_the_macs_text() {
        let macs = "52:54:00:00:00:01, !52:54:00:00:00:02";
        assert_eq!(
            crate::form::with_pxe(macs, 0, false),
            "!52:54:00:00:00:01, !52:54:00:00:00:02"
        );
        assert_eq!(
            crate::form::with_pxe(macs, 1, true),
            "52:54:00:00:00:01, 52:54:00:00:00:02"
        );
    }

    #[test]
    fn new_node_ids_are_fresh() {
        let state = reduce(
            State::default(),
            Action::EditNode(2, Field::NodeId, "node-4".into()),
        );
        let state = reduce(state, Action::AddNode);
        assert_eq!(state.form.nodes[3].get(Field::NodeId), "node-5");
        assert_eq!(state.form.nodes[3].get(Field::Mode), "deploy");
    }

    #[test]
    fn invalid_field_gives_the_core_error_on_that_field() {
        let state = reduce(
            State::default(),
            Action::SetField(Field::HttpServer, "bad host!".into()),
        );
        let errors: Vec<_> = state.errors_at(Target::Site(Field::HttpServer)).collect();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("http_server: "), "{errors:?}");
        assert!(state.derived.entries.is_empty());

        let state = reduce(
            State::default(),
            Action::SetField(Field::TimeoutMs, "5".into()),
        );
        let error = state
            .errors_at(Target::Site(Field::TimeoutMs))
            .next()
            .unwrap();
        assert!(error.starts_with("timeout_ms: "), "{error}");

        let state = reduce(
            State::default(),
            Action::EditNode(1, Field::Nics, "52:54:00:aa:00:0g".into()),
        );
        let error = state
            .errors_at(Target::Node(1, Field::Nics))
            .next()
            .unwrap();
        assert!(
            error.starts_with("node \"rack1-node02\": nodes[1].nics[0].mac: "),
            "{error}"
        );

        let state = reduce(
            State::default(),
            Action::EditNode(2, Field::NodeId, "rack1-node02".into()),
        );
        let error = state
            .errors_at(Target::Node(2, Field::NodeId))
            .next()
            .unwrap();
        assert!(
            error.starts_with("node \"rack1-node02\": nodes[2].id: "),
            "{error}"
        );
    }

    #[test]
    fn dhcp_without_tftp_server_serves_http_only() {
        let state = reduce(
            State::default(),
            Action::SetField(Field::TftpServer, String::new()),
        );
        let state = reduce(state, Action::SetField(Field::TftpRoot, String::new()));
        for format in DhcpFormat::ALL {
            let state = reduce(state.clone(), Action::SelectDhcp(format));
            let config = state.derived.dhcp.as_ref().expect("an HTTP-only config");
            // The core's configs say what such a site cannot boot.
            assert!(
                config.contains("HTTP-only") && config.contains("cannot boot"),
                "{}: {config}",
                format.id()
            );
        }
    }

    #[test]
    fn csv_import_replaces_the_nodes() {
        let csv = "mac,id,mode,kernel,ramdisk,kernel_args\n\
                   52:54:00:00:00:01,n1,ramdisk,http://x/k,http://x/i,\"console=ttyS0,115200\"\n\
                   52:54:00:00:00:02,n1,,,,\n\
                   \n\
                   52:54:00:00:00:03,n2,local,,,\n";
        let state = reduce(State::default(), Action::ImportCsv(csv.into()));
        assert!(matches!(state.import, Some(Ok(_))), "{:?}", state.import);
        assert_eq!(state.form.nodes.len(), 2);
        assert_eq!(
            state.form.nodes[0].get(Field::Nics),
            "52:54:00:00:00:01, 52:54:00:00:00:02"
        );
        assert_eq!(
            state.form.nodes[0].get(Field::NodeKernelArgs),
            "console=ttyS0,115200"
        );
        assert!(
            state.derived.errors.is_empty(),
            "{:?}",
            state.derived.errors
        );
        assert!(paths(&state).contains(&"pxelinux.cfg/52-54-00-00-00-02"));
    }

    #[test]
    fn csv_import_errors_name_the_line_and_change_nothing() {
        for (csv, want) in [
            ("", "line 1: "),
            ("mac,id\n", "line 1: the header must be"),
            (
                "mac,id,mode,kernel,ramdisk,kernel_args\n1,2\n",
                "line 2: 2 columns",
            ),
            (
                "mac,id,mode,kernel,ramdisk,kernel_args\n\n52:54:00:00:00:01,n1,boot,,,\n",
                "line 3: mode `boot`",
            ),
            (
                "mac,id,mode,kernel,ramdisk,kernel_args\n,n1,local,,,\n",
                "line 2: no mac",
            ),
            (
                "mac,id,mode,kernel,ramdisk,kernel_args\n52:54:00:00:00:01,,local,,,\n",
                "line 2: no id",
            ),
            (
                "mac,id,mode,kernel,ramdisk,kernel_args\nm,n,local,,,\"a,b\n",
                "line 2: a quoted field is not closed",
            ),
            (
                "mac,id,mode,kernel,ramdisk,kernel_args\nm,n,local,,,\nm2,n,local,,,\n",
                "line 3: node n is already defined",
            ),
        ] {
            let before = State::default();
            let state = reduce(before.clone(), Action::ImportCsv(csv.into()));
            let Some(Err(e)) = &state.import else {
                panic!("{csv:?}: expected an error, got {:?}", state.import);
            };
            assert!(e.starts_with(want), "{csv:?}: {e}");
            assert_eq!(state.form, before.form);
        }
    }

    #[test]
    fn site_json_import_and_errors() {
        let state = reduce(
            State::default(),
            Action::ImportSiteJson("{\"schema\": 2}".into()),
        );
        assert!(matches!(&state.import, Some(Err(e)) if e.starts_with("schema: ")));
        assert_eq!(state.form.nodes.len(), 3);
        let state = reduce(state, Action::ImportSiteJson("[1]".into()));
        assert!(matches!(&state.import, Some(Err(_))));
        // JSON that does not parse: the message names the place.
        let state = reduce(
            state,
            Action::ImportSiteJson("{\n  \"schema\": 1,\n  \"nodes\": [}\n".into()),
        );
        assert_eq!(
            state.import,
            Some(Err(
                "not a site document: unexpected character at line 3 column 13".into()
            ))
        );

        // Keys the schema does not know are kept as imported, a number's text too.
        let text = "{\"schema\": 1, \"http_server\": \"192.0.2.10\", \"http_root\": \"/srv\", \
                    \"zz\": {\"b\": 1.50e3, \"a\": [true, null, \"x\\ty\"]}, \"nodes\": []}";
        let state = reduce(state, Action::ImportSiteJson(text.into()));
        assert!(state.derived.document.contains(
            "  \"zz\": {\n    \"a\": [\n      true,\n      null,\n      \"x\\u0009y\"\n    ],\n    \"b\": 1.50e3\n  }\n"
        ));

        // An exported document imports back to the same form and the same document.
        let state = State::default();
        let again = reduce(
            state.clone(),
            Action::ImportSiteJson(state.derived.document.to_string()),
        );
        assert_eq!(again.form, state.form);
        assert_eq!(again.derived.document, state.derived.document);
    }

    #[test]
    fn tar_equals_the_core_archive_of_the_exported_document() {
        let state = reduce(State::default(), Action::AddNode);
        let state = reduce(
            state,
            Action::EditNode(3, Field::Nics, "52:54:00:00:00:04".into()),
        );
        let document = state.derived.document.to_string();
        let tar = archive(&document, &BTreeMap::new()).unwrap();
        // The CLI's `ipxegen archive` is this core call on the file's bytes.
        let site = Site::parse(document.as_bytes()).unwrap();
        let site = site
            .checked(&mut ipxegen_core::site::RescanSeen::new(&site))
            .unwrap();
        let mut expected = Vec::new();
        write_tree_archive(&site, LinkMode::Symlink, &mut expected).unwrap();
        assert_eq!(tar, expected);
        assert_eq!(tar.len() % 512, 0);
        assert!(tar.windows(21).any(|w| w == b"ipxegen-manifest.json"));
    }

    const CONFIG_TEMPLATE: &str = include_str!("../../examples/templates/config.ipxe");
    const MAIN_TEMPLATE: &str = include_str!("../../examples/templates/main.ipxe");

    #[test]
    fn templates_given_in_the_page_write_the_previewed_scripts() {
        // A template named but not given: the core says so at the site field.
        let state = reduce(
            State::default(),
            Action::SetField(Field::IpxeConfigTemplate, "config.ipxe".into()),
        );
        assert_eq!(
            state.derived.templates,
            [TemplateEntry {
                path: "config.ipxe".into(),
                text: None
            }]
        );
        assert_eq!(
            state
                .errors_at(Target::Site(Field::IpxeConfigTemplate))
                .collect::<Vec<_>>(),
            [format!(
                "ipxe_config_template: \"config.ipxe\": cannot read the template file: {TEMPLATE_NOT_GIVEN}"
            )]
        );
        // Given: every node's config is written from it (here, exactly the built-in one).
        let state = reduce(
            state,
            Action::SetTemplate("config.ipxe".into(), CONFIG_TEMPLATE.into()),
        );
        assert!(
            state.derived.errors.is_empty(),
            "{:?}",
            state.derived.errors
        );
        let state = reduce(
            state,
            Action::Select(Selection {
                tftp: false,
                path: "rack1-node03/config".into(),
            }),
        );
        assert_eq!(
            state.derived.content.as_deref(),
            Some(include_str!(
                "../../tests/golden/ipxe/example-ramdisk-urls.ipxe"
            ))
        );
        // A file loaded for the main script names it and gives its text.
        let state = reduce(
            state,
            Action::LoadTemplate(
                Field::IpxeBootScriptTemplate,
                "main.ipxe".into(),
                MAIN_TEMPLATE.replace("Looking for", "Searching for"),
            ),
        );
        assert_eq!(state.form.get(Field::IpxeBootScriptTemplate), "main.ipxe");
        let state = reduce(
            state,
            Action::Select(Selection {
                tftp: false,
                path: "boot.ipxe".into(),
            }),
        );
        let main = state.derived.content.as_deref().unwrap();
        assert!(main.contains("echo Searching for a boot config"), "{main}");
        assert!(
            state.derived.findings.is_empty(),
            "{:?}",
            state.derived.findings
        );
        // The tar is the core's archive of the site with those templates.
        let tar = archive(&state.derived.document, &state.templates).unwrap();
        let needle = b"echo Searching for a boot config";
        assert!(tar.windows(needle.len()).any(|w| w == needle));
    }

    #[test]
    fn a_classic_site_previews_each_node_s_configs_from_its_templates() {
        let site = include_str!("../../tests/golden/sites/classic.json");
        let state = reduce(State::default(), Action::ImportSiteJson(site.into()));
        assert!(!state.derived.ipxe_enabled);
        let state = reduce(
            state,
            Action::LoadTemplate(
                Field::GrubConfigTemplate,
                "serial.grub.cfg".into(),
                "serial --unit=0 --speed=115200\n{{#if mode_local}}\nexit\n{{else}}\nlinux {{ kernel }}{{#if arguments}} {{ arguments }}{{/if}}\ninitrd {{ initrd }}\nboot\n{{/if}}\n".into(),
            ),
        );
        assert!(
            state.derived.errors.is_empty(),
            "{:?}",
            state.derived.errors
        );
        let state = reduce(
            state,
            Action::Select(Selection {
                tftp: true,
                path: "ramdisk/grub.cfg".into(),
            }),
        );
        assert_eq!(
            state.derived.content.as_deref(),
            Some(
                "serial --unit=0 --speed=115200\nlinux /ramdisk/kernel 'root=/dev/ram0' 'console=ttyS0,115200n8' 'quiet'\ninitrd /ramdisk/ramdisk\nboot\n"
            )
        );
        // Not linted as iPXE.
        assert!(state.derived.findings.is_empty());
        // A placeholder GRUB would misread is refused at the site's field.
        let state = reduce(
            state,
            Action::SetTemplate(
                "serial.grub.cfg".into(),
                "linux {{ kernel }} '{{ arguments }}'\n".into(),
            ),
        );
        assert_eq!(
            state
                .errors_at(Target::Site(Field::GrubConfigTemplate))
                .collect::<Vec<_>>(),
            [
                "grub_config_template: \"serial.grub.cfg\":1:21: `arguments` inside quotes: its value is whole words GRUB quotes itself; write it outside quotes, between spaces"
            ]
        );
    }

    #[test]
    fn a_template_s_problem_names_its_line_and_column_at_the_site_field() {
        let state = reduce(
            State::default(),
            Action::LoadTemplate(
                Field::IpxeConfigTemplate,
                "mine.ipxe".into(),
                "#!ipxe\necho {{ node_id }}\nkernel {{ kernel_url }} {{ kernal_args }} || exit\n"
                    .into(),
            ),
        );
        assert_eq!(
            state
                .errors_at(Target::Site(Field::IpxeConfigTemplate))
                .collect::<Vec<_>>(),
            [
                "ipxe_config_template: \"mine.ipxe\":3:25: unknown placeholder; did you mean `kernel_args`?"
            ]
        );
        assert!(state.derived.entries.is_empty());
        // Fixed, it is checked for every node: a local node has no kernel.
        let state = reduce(
            state,
            Action::SetTemplate(
                "mine.ipxe".into(),
                "#!ipxe\necho {{ node_id }}\nkernel {{ kernel_url }} || exit\n".into(),
            ),
        );
        assert_eq!(
            state
                .errors_at(Target::Site(Field::IpxeConfigTemplate))
                .collect::<Vec<_>>(),
            [
                "node \"rack1-node02\": ipxe_config_template: \"mine.ipxe\":3:8: `kernel_url` has no value in mode local"
            ]
        );
    }

    /// A CSV of `n` deploy nodes `csv-0000`... with MACs `52:54:02:00:HH:LL`.
    fn csv_of(n: usize) -> String {
        let mut csv = String::from("mac,id,mode,kernel,ramdisk,kernel_args\n");
        for i in 0..n {
            csv.push_str(&format!(
                "52:54:02:00:{:02x}:{:02x},csv-{i:04},deploy,,,\n",
                i / 256,
                i % 256
            ));
        }
        csv
    }

    #[test]
    fn the_node_list_shows_a_page_of_the_nodes_the_filter_matches() {
        let state = reduce(State::default(), Action::ImportCsv(csv_of(2000)));
        let page = state.node_page();
        assert_eq!((page.page, page.pages, page.matching), (0, 40, 2000));
        assert_eq!(page.shown, (0..PAGE_SIZE).collect::<Vec<_>>());
        let document = Rc::clone(&state.derived.document);
        // Past the last page: the last one, node 2,000 last on it.
        let state = reduce(state, Action::ShowPage(1000));
        let page = state.node_page();
        assert_eq!((page.page, page.first), (39, 1950));
        assert_eq!(page.shown.last(), Some(&1999));
        // Paging and filtering change no document (nothing is checked again).
        assert!(Rc::ptr_eq(&document, &state.derived.document));
        // By MAC, case ignored: one node.
        let state = reduce(state, Action::FilterNodes(" 52:54:02:00:07:CF ".into()));
        let page = state.node_page();
        assert_eq!((page.page, page.pages, page.matching), (0, 1, 1));
        assert_eq!(page.shown, [0x7cf]);
        // By id: csv-1000 to csv-1009.
        let state = reduce(state, Action::FilterNodes("-100".into()));
        assert_eq!(
            state.node_page().shown,
            [1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009]
        );
        // A node edited so that it no longer matches stays until the filter changes.
        let state = reduce(
            state,
            Action::EditNode(1003, Field::NodeId, "renamed".into()),
        );
        assert_eq!(state.node_page().matching, 10);
        assert!(state.node_page().shown.contains(&1003));
        // Removing a node before them moves them up.
        let mut state = reduce(state, Action::RemoveNode(10));
        assert_eq!(state.node_page().shown, (999..1009).collect::<Vec<_>>());
        state = reduce(state, Action::FilterNodes("-100".into()));
        assert_eq!(state.node_page().matching, 9);
        let document = Rc::clone(&state.derived.document);
        // A node the filter matches keeps it; another clears it, on that node's page.
        let state = reduce(state, Action::ShowNode(1004));
        assert_eq!(state.filter, "-100");
        let state = reduce(state, Action::ShowNode(120));
        assert_eq!(state.filter, "");
        assert_eq!(state.node_page().page, 2);
        assert!(state.node_page().shown.contains(&120));
        assert!(Rc::ptr_eq(&document, &state.derived.document));
        // A new node is shown on its page, whatever the filter.
        let state = reduce(state, Action::FilterNodes("csv-0001".into()));
        let state = reduce(state, Action::AddNode);
        let page = state.node_page();
        assert_eq!((page.page, page.pages), (39, 40));
        assert_eq!(page.shown.last(), Some(&1999));
        assert_eq!(state.form.nodes.len(), 2000);
        // Removing it leaves the last page shown.
        let state = reduce(state, Action::RemoveNode(1999));
        assert_eq!(state.node_page().page, 39);
        assert_eq!(state.node_page().shown.len(), 49);
        // None matching: one empty page.
        let state = reduce(state, Action::FilterNodes("no such node".into()));
        let page = state.node_page();
        assert_eq!((page.pages, page.matching), (1, 0));
        assert!(page.shown.is_empty());
        // An import starts from the first page, unfiltered.
        let state = reduce(state, Action::ShowPage(3));
        let state = reduce(state, Action::ImportCsv(csv_of(60)));
        assert_eq!((state.filter.as_str(), state.node_page().page), ("", 0));
    }

    #[test]
    fn unchanged_tree_keeps_the_same_entries() {
        let state = State::default();
        let before = Rc::clone(&state.derived.entries);
        let state = reduce(
            state,
            Action::SetField(Field::HttpServer, "http://192.0.2.11:8080".into()),
        );
        assert!(Rc::ptr_eq(&before, &state.derived.entries));
    }
}
