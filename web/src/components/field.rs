//! One field's editor, made from its schema row: its label, and the input its kind takes
//! (text; a number within its range; a checkbox for a flag; a choice of the kind's words),
//! with the core's errors for it.

use crate::form::FieldInfo;
use crate::html::Html;
use ipxegen_core::schema::Kind;

/// The `.field-error` (`role="alert"`, id `{id}-error`) of `errors`, or nothing.
pub fn alert(out: &mut Html, id: &str, errors: &[&str]) {
    if errors.is_empty() {
        return;
    }
    out.raw("<p").attr("id", &format!("{id}-error"));
    out.raw(" class=\"field-error\" role=\"alert\">");
    for error in errors {
        out.raw("<span>").text(error).raw("</span>");
    }
    out.raw("</p>");
}

/// One editor: what it edits and how it is shown.
pub struct Editor<'a> {
    /// The field's schema row.
    pub info: &'a FieldInfo,
    /// The input's id (its wrapper's key among its siblings too, so an editor that stays
    /// keeps its element, and the focus, when others appear or go); its `name` is the
    /// field's key.
    pub id: &'a str,
    /// The label.
    pub label: &'a str,
    /// The value as typed.
    pub value: &'a str,
    /// The core's errors for it: shown after the input, which names them with
    /// `aria-describedby` and `aria-invalid`.
    pub errors: &'a [&'a str],
    /// The action its changes ask for (`data-a`): a flag's value is `true` or `false`; a
    /// choice offers the empty value, the default, unless it is a mode.
    pub action: &'a str,
    /// A text shown as dots.
    pub secret: bool,
}

impl Editor<'_> {
    /// Writes the editor: `div.field` with its label, input and alert.
    pub fn write(&self, out: &mut Html) {
        let Editor {
            info,
            id,
            label,
            value,
            errors,
            action,
            secret,
        } = *self;
        let flag = info.kind == Kind::Flag;
        out.raw(if flag {
            "<div class=\"field flag\""
        } else {
            "<div class=\"field\""
        });
        out.attr("data-key", id)
            .raw("><label")
            .attr("for", id)
            .raw(">");
        out.text(label).raw("</label>");
        let common = |out: &mut Html| {
            out.attr("id", id)
                .attr("name", info.key)
                .attr("data-a", action);
            out.state("aria-invalid", !errors.is_empty());
            if !errors.is_empty() {
                out.attr("aria-describedby", &format!("{id}-error"));
            }
        };
        let words = info.kind.words();
        if !words.is_empty() {
            out.raw("<select");
            common(out);
            out.raw(">");
            if info.kind != Kind::Mode {
                out.raw("<option value=\"\"")
                    .flag("selected", value.is_empty());
                out.raw(">(default)</option>");
            }
            if !value.is_empty() && !words.contains(&value) {
                out.raw("<option").attr("value", value).raw(" selected>");
                out.text(value).raw("</option>");
            }
            for word in words {
                out.raw("<option")
                    .attr("value", word)
                    .flag("selected", *word == value);
                out.raw(">").text(word).raw("</option>");
            }
            out.raw("</select>");
        } else if flag {
            out.raw("<input type=\"checkbox\"")
                .flag("checked", value != "false");
            common(out);
            out.raw(">");
        } else {
            out.raw("<input");
            match info.range {
                // A value that is not a number (as imported) stays visible in a text input.
                Some((min, max))
                    if info.kind == Kind::Number
                        && (value.is_empty() || value.parse::<u64>().is_ok()) =>
                {
                    out.raw(" type=\"number\"");
                    out.attr("min", &min.to_string())
                        .attr("max", &max.to_string());
                }
                _ if secret => {
                    out.raw(" type=\"password\"");
                }
                _ => {
                    out.raw(" type=\"text\"");
                }
            }
            out.attr("value", value);
            out.raw(" autocomplete=\"off\" autocapitalize=\"off\" spellcheck=\"false\"");
            common(out);
            out.raw(">");
        }
        alert(out, id, errors);
        out.raw("</div>");
    }
}
