//! The selected entry's content, with simple iPXE highlighting.

use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Preview`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct PreviewProps {
    /// The entry's path (`None` when there is no tree).
    pub path: Option<AttrValue>,
    /// Its content, for a script.
    pub content: Option<Rc<str>>,
    /// Lines with a lint finding (1-based).
    pub flagged: Rc<Vec<u32>>,
}

/// `<pre id="preview">` whose text is exactly the script: comments, labels, the command of each
/// line and `${...}` expansions in `<span>`s; a line with a lint finding is marked.
#[component]
pub fn Preview(props: &PreviewProps) -> Html {
    let heading = match &props.path {
        Some(path) => format!("Preview: {path}"),
        None => String::from("Preview"),
    };
    html! {
        <section aria-labelledby="preview-heading">
            <h2 id="preview-heading">{ heading }</h2>
            if props.content.is_none() && props.path.is_some() {
                <p class="hint">{ "Not a script: nothing to show." }</p>
            }
            <pre id="preview" tabindex="0" aria-labelledby="preview-heading">
                { for props.content.iter().flat_map(|c| highlight(c, &props.flagged)) }
            </pre>
        </section>
    }
}

fn span(class: &'static str, text: &str) -> Html {
    html! { <span class={class}>{ text.to_owned() }</span> }
}

/// The lines of `script` as highlighted nodes (their text is the script, byte for byte).
fn highlight(script: &str, flagged: &[u32]) -> Vec<Html> {
    let mut out = Vec::new();
    for (number, line) in (1u32..).zip(script.split_inclusive('\n')) {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let mut parts = Vec::new();
        let trimmed = body.trim_start();
        let indent = body.len() - trimmed.len();
        let (lead, rest) = body.split_at(indent);
        if !lead.is_empty() {
            parts.push(html! { { lead.to_owned() } });
        }
        if rest.starts_with('#') {
            parts.push(span("comment", rest));
        } else if rest.starts_with(':') {
            parts.push(span("label", rest));
        } else {
            let end = rest.find(' ').unwrap_or(rest.len());
            let (command, args) = rest.split_at(end);
            if !command.is_empty() {
                parts.push(span("command", command));
            }
            expansions(args, &mut parts);
        }
        let class = if flagged.contains(&number) {
            "line flagged"
        } else {
            "line"
        };
        out.push(html! { <span class={class}>{ for parts }{ newline }</span> });
    }
    out
}

/// `text` with each `${...}` (nested ones included) in a span.
fn expansions(text: &str, parts: &mut Vec<Html>) {
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let (before, from) = rest.split_at(start);
        if !before.is_empty() {
            parts.push(html! { { before.to_owned() } });
        }
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
        let (expansion, after) = from.split_at(end);
        parts.push(span("var", expansion));
        rest = after;
    }
    if !rest.is_empty() {
        parts.push(html! { { rest.to_owned() } });
    }
}
