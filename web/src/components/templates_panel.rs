//! The templates the site names: each one's text, pasted or loaded from a file.

use crate::html::Html;
use crate::state::{Field, TemplateEntry};

/// A file input that loads a template for a site field (`tpl-load:<key>`: the field names
/// it by the file's name, and its text is the file's).
fn load(out: &mut Html, id: &str, label: &str, field: Field) {
    out.raw("<div class=\"field\"><label")
        .attr("for", id)
        .raw(">")
        .text(label);
    out.raw("</label><input type=\"file\" accept=\".ipxe,.cfg,.pxelinux,text/plain\"");
    out.attr("id", id)
        .attr("data-a", &format!("tpl-load:{}", field.key()))
        .raw("></div>");
}

/// `#templates`: for each template the site names (`entries`), `textarea#template-N` (its
/// text: `tpl:N`) and `input#template-file-N` (load it from a file: `tpl:N` too);
/// `#template-load-main` and `#template-load-config` load a file as the site's main script
/// or node config template (in the classic flow, `ipxe_enabled` false,
/// `#template-load-pxelinux` and `#template-load-grub`, as its PXELINUX or GRUB config
/// template).
pub fn templates_panel(out: &mut Html, entries: &[TemplateEntry], ipxe_enabled: bool) {
    out.raw("<section id=\"templates\" aria-labelledby=\"templates-heading\"><h2 id=\"templates-heading\">Templates</h2>");
    if ipxe_enabled {
        out.raw("<p class=\"hint\">The site's ipxe_boot_script_template and ipxe_config_template (and a node's own ipxe_config_template) name iPXE templates: text with {{ name }} placeholders and {{#if name}} and {{#each iscsi_targets}} sections. Paste each below or load its file: the tree's scripts are written from them, and every node's config previews its own.</p><div class=\"grid\">");
        load(
            out,
            "template-load-main",
            "Load a main script template",
            Field::IpxeBootScriptTemplate,
        );
        load(
            out,
            "template-load-config",
            "Load a node config template",
            Field::IpxeConfigTemplate,
        );
    } else {
        out.raw("<p class=\"hint\">The site's pxe_config_template and grub_config_template (and a node's own) name templates of each node's PXELINUX and GRUB configs: text with {{ name }} placeholders and {{#if name}} sections. Paste each below or load its file: the TFTP tree's configs are written from them, and every node's configs preview their own.</p><div class=\"grid\">");
        load(
            out,
            "template-load-pxelinux",
            "Load a PXELINUX config template",
            Field::PxeConfigTemplate,
        );
        load(
            out,
            "template-load-grub",
            "Load a GRUB config template",
            Field::GrubConfigTemplate,
        );
    }
    out.raw("</div>");
    for (i, entry) in entries.iter().enumerate() {
        let area = format!("template-{i}");
        let file = format!("template-file-{i}");
        let action = format!("tpl:{i}");
        out.raw("<div class=\"field\"")
            .attr("data-key", &entry.path)
            .raw("><label");
        out.attr("for", &area)
            .raw(">")
            .text(&entry.path)
            .raw("</label>");
        // The parser drops one newline right after <textarea>: this one, never the text's.
        out.raw("<textarea rows=\"8\" spellcheck=\"false\"")
            .attr("id", &area);
        out.attr("data-a", &action).raw(">\n");
        out.text(entry.text.as_deref().unwrap_or_default())
            .raw("</textarea><label class=\"hint\"");
        out.attr("for", &file)
            .raw(">Load this template's file</label>");
        out.raw("<input type=\"file\" accept=\".ipxe,.cfg,.pxelinux,text/plain\"")
            .attr("id", &file);
        out.attr("data-a", &action).raw(">");
        if entry.text.is_none() {
            out.raw(
                "<p class=\"error\" role=\"alert\">Not given yet: paste it or load its file.</p>",
            );
        }
        out.raw("</div>");
    }
    out.raw("</section>");
}
