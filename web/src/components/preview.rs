//! The selected entry's content, with simple iPXE highlighting.

use crate::html::Html;

/// The preview's heading (`Preview: <path>`; `path` is `None` when there is no tree) and,
/// for an entry that is not a script (`has_content` false), a note.
pub fn preview_heading(out: &mut Html, path: Option<&str>, has_content: bool) {
    out.raw("<h2 id=\"preview-heading\">");
    match path {
        Some(path) => out.text(&format!("Preview: {path}")),
        None => out.raw("Preview"),
    };
    out.raw("</h2>");
    if !has_content && path.is_some() {
        out.raw("<p class=\"hint\">Not a script: nothing to show.</p>");
    }
}

/// `<pre id="preview">` whose text is exactly `content`: comments, labels, the command of
/// each line and `${...}` expansions in `<span>`s; a line with a lint finding (`flagged`,
/// 1-based) is marked.
pub fn preview(out: &mut Html, content: Option<&str>, flagged: &[u32]) {
    // The parser drops one newline right after <pre>: this one, never the content's.
    out.raw("<pre id=\"preview\" tabindex=\"0\" aria-labelledby=\"preview-heading\">\n");
    if let Some(script) = content {
        highlight(out, script, flagged);
    }
    out.raw("</pre>");
}

fn span(out: &mut Html, class: &str, text: &str) {
    out.raw("<span class=\"")
        .raw(class)
        .raw("\">")
        .text(text)
        .raw("</span>");
}

/// The lines of `script`, highlighted (their text is the script, byte for byte).
fn highlight(out: &mut Html, script: &str, flagged: &[u32]) {
    for (number, line) in (1u32..).zip(script.split_inclusive('\n')) {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        out.raw(if flagged.contains(&number) {
            "<span class=\"line flagged\">"
        } else {
            "<span class=\"line\">"
        });
        let rest = body.trim_start();
        out.text(body.get(..body.len() - rest.len()).unwrap_or_default());
        if rest.starts_with('#') {
            span(out, "comment", rest);
        } else if rest.starts_with(':') {
            span(out, "label", rest);
        } else {
            let end = rest.find(' ').unwrap_or(rest.len());
            let (command, args) = rest.split_at_checked(end).unwrap_or((rest, ""));
            if !command.is_empty() {
                span(out, "command", command);
            }
            expansions(out, args);
        }
        out.raw(newline).raw("</span>");
    }
}

/// `text` with each `${...}` (nested ones included) in a span.
fn expansions(out: &mut Html, text: &str) {
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let (before, from) = rest.split_at_checked(start).unwrap_or((rest, ""));
        out.text(before);
        let mut depth = 0usize;
        let mut end = from.len();
        for (i, c) in from.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        let (expansion, after) = from.split_at_checked(end).unwrap_or((from, ""));
        span(out, "var", expansion);
        rest = after;
    }
    out.text(rest);
}

#[cfg(test)]
mod tests {
    use super::preview;
    use crate::html::Html;

    #[test]
    fn the_preview_holds_the_script_in_spans() {
        let mut out = Html::new();
        preview(
            &mut out,
            Some("#!ipxe\n:start\n  chain ${base}/${net${i}/mac} || goto <x>\n"),
            &[3],
        );
        assert_eq!(
            out.as_str(),
            "<pre id=\"preview\" tabindex=\"0\" aria-labelledby=\"preview-heading\">\n\
             <span class=\"line\"><span class=\"comment\">#!ipxe</span>\n</span>\
             <span class=\"line\"><span class=\"label\">:start</span>\n</span>\
             <span class=\"line flagged\">  <span class=\"command\">chain</span> \
             <span class=\"var\">${base}</span>/<span class=\"var\">${net${i}/mac}</span> || goto &lt;x&gt;\n</span></pre>"
        );
    }
}
