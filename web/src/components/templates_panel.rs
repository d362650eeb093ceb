//! The templates the site names: each one's text, pasted or loaded from a file.

use crate::state::{Field, TemplateEntry};
use std::rc::Rc;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Where a template file chosen in the panel goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateTarget {
    /// The text of the template the site names at this path.
    Path(String),
    /// A new template for this site field, named by the file's name.
    Field(Field),
}

/// Properties of [`TemplatesPanel`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct TemplatesPanelProps {
    /// The template files the site names.
    pub entries: Rc<Vec<TemplateEntry>>,
    /// The site boots through iPXE (else the classic flow: PXELINUX and GRUB templates).
    pub ipxe_enabled: bool,
    /// A template's text was edited: its path and new text.
    pub on_edit: Callback<(String, String)>,
    /// A file was chosen for a template.
    pub on_file: Callback<(TemplateTarget, Event)>,
}

/// `#templates`: for each template the site names, `textarea#template-N` (its text) and
/// `input#template-file-N` (load it from a file); `#template-load-main` and
/// `#template-load-config` load a file as the site's main script or node config template (in
/// the classic flow `#template-load-pxelinux` and `#template-load-grub`, as its PXELINUX or
/// GRUB config template).
#[component]
pub fn TemplatesPanel(props: &TemplatesPanelProps) -> Html {
    let load = |id: &'static str, label: &'static str, field: Field| {
        let on_file = props.on_file.clone();
        let onchange =
            Callback::from(move |e: Event| on_file.emit((TemplateTarget::Field(field), e)));
        html! {
            <div class="field">
                <label for={id}>{ label }</label>
                <input id={id} type="file" accept=".ipxe,.cfg,.pxelinux,text/plain" {onchange} />
            </div>
        }
    };
    html! {
        <section id="templates" aria-labelledby="templates-heading">
            <h2 id="templates-heading">{ "Templates" }</h2>
            if props.ipxe_enabled {
                <p class="hint">
                    { "The site's ipxe_boot_script_template and ipxe_config_template (and a node's own ipxe_config_template) name iPXE templates: text with {{ name }} placeholders and {{#if name}} and {{#each iscsi_targets}} sections. Paste each below or load its file: the tree's scripts are written from them, and every node's config previews its own." }
                </p>
                <div class="grid">
                    { load("template-load-main", "Load a main script template", Field::IpxeBootScriptTemplate) }
                    { load("template-load-config", "Load a node config template", Field::IpxeConfigTemplate) }
                </div>
            } else {
                <p class="hint">
                    { "The site's pxe_config_template and grub_config_template (and a node's own) name templates of each node's PXELINUX and GRUB configs: text with {{ name }} placeholders and {{#if name}} sections. Paste each below or load its file: the TFTP tree's configs are written from them, and every node's configs preview their own." }
                </p>
                <div class="grid">
                    { load("template-load-pxelinux", "Load a PXELINUX config template", Field::PxeConfigTemplate) }
                    { load("template-load-grub", "Load a GRUB config template", Field::GrubConfigTemplate) }
                </div>
            }
            { for props.entries.iter().enumerate().map(|(i, entry)| {
                let area = format!("template-{i}");
                let file = format!("template-file-{i}");
                let path = entry.path.clone();
                let on_edit = props.on_edit.clone();
                let oninput = Callback::from(move |e: InputEvent| {
                    if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                        on_edit.emit((path.clone(), area.value()));
                    }
                });
                let path = entry.path.clone();
                let on_file = props.on_file.clone();
                let onchange = Callback::from(move |e: Event| {
                    on_file.emit((TemplateTarget::Path(path.clone()), e));
                });
                html! {
                    <div class="field" key={entry.path.clone()}>
                        <label for={area.clone()}>{ entry.path.clone() }</label>
                        <textarea id={area} rows="8" spellcheck="false"
                            value={entry.text.clone().unwrap_or_default()} {oninput} />
                        <label for={file.clone()} class="hint">{ "Load this template's file" }</label>
                        <input id={file} type="file" accept=".ipxe,.cfg,.pxelinux,text/plain" {onchange} />
                        if entry.text.is_none() {
                            <p class="error" role="alert">{ "Not given yet: paste it or load its file." }</p>
                        }
                    </div>
                }
            }) }
        </section>
    }
}
