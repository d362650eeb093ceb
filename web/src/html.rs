//! The page's markup, written as text: the views append to one [`Html`], and the page's
//! script (`page.js`) brings the DOM in line with it (see [`crate::app`]).
//!
//! Markup given as a literal ([`Html::raw`]) is trusted; every value that comes from the site,
//! a template or the core goes through [`Html::text`] or [`Html::attr`], which escape it, so
//! no value can open an element or end an attribute.

/// Markup being written.
#[derive(Debug, Default)]
pub struct Html(String);

impl Html {
    /// Empty markup.
    pub fn new() -> Self {
        Html(String::new())
    }

    /// Appends `markup` as it is (a literal of the view: tags and fixed attributes).
    pub fn raw(&mut self, markup: &str) -> &mut Self {
        self.0.push_str(markup);
        self
    }

    /// Appends `text` as the content of an element: `&`, `<` and `>` escaped.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.escaped(text, false);
        self
    }

    /// Appends ` name="value"` with `value` escaped (`&`, `<`, `>` and `"`).
    pub fn attr(&mut self, name: &str, value: &str) -> &mut Self {
        self.0.push(' ');
        self.0.push_str(name);
        self.0.push_str("=\"");
        self.escaped(value, true);
        self.0.push('"');
        self
    }

    /// Appends ` name` when `on` (a boolean attribute: `disabled`, `checked`, `selected`).
    pub fn flag(&mut self, name: &str, on: bool) -> &mut Self {
        if on {
            self.0.push(' ');
            self.0.push_str(name);
        }
        self
    }

    /// Appends ` name="true"` or ` name="false"` (an ARIA state).
    pub fn state(&mut self, name: &str, on: bool) -> &mut Self {
        self.attr(name, if on { "true" } else { "false" })
    }

    /// The markup written so far.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The markup.
    pub fn into_string(self) -> String {
        self.0
    }

    fn escaped(&mut self, text: &str, quote: bool) {
        let mut rest = text;
        while let Some(at) = rest.find(|c| matches!(c, '&' | '<' | '>') || (quote && c == '"')) {
            let (plain, tail) = rest.split_at_checked(at).unwrap_or((rest, ""));
            self.0.push_str(plain);
            let mut chars = tail.chars();
            self.0.push_str(match chars.next() {
                Some('&') => "&amp;",
                Some('<') => "&lt;",
                Some('>') => "&gt;",
                _ => "&quot;",
            });
            rest = chars.as_str();
        }
        self.0.push_str(rest);
    }
}

#[cfg(test)]
mod tests {
    use super::Html;

    #[test]
    fn values_are_escaped_and_literals_are_not() {
        let mut html = Html::new();
        html.raw("<p")
            .attr("title", "a \"b\" & <c>")
            .flag("hidden", true)
            .flag("open", false)
            .raw(">")
            .text("x < y && \"z\" > w")
            .raw("</p>");
        assert_eq!(
            html.as_str(),
            "<p title=\"a &quot;b&quot; &amp; &lt;c&gt;\" hidden>x &lt; y &amp;&amp; \"z\" &gt; w</p>"
        );
    }

    #[test]
    fn text_without_markup_is_kept_byte_for_byte() {
        let mut html = Html::new();
        html.text("chain ${base}/boot.ipxe || goto failed → ünïcode");
        assert_eq!(
            html.as_str(),
            "chain ${base}/boot.ipxe || goto failed → ünïcode"
        );
    }
}
