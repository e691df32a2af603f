//! User-provided text made safe to show.
//!
//! A scenario's names and ids, an unknown key echoed in an error, a file
//! name: any of them may hold control characters — an escape sequence such
//! as `ESC [2J` clears a terminal, others recolour it, move the cursor or
//! retitle the window. Every text sscsim prints to a terminal or writes
//! into a report passes through [`visible`] or [`visible_lines`], which
//! write each control character (C0, DEL, C1) as its Rust escape, `\u{1b}`:
//! the text stays readable, and the character can be found in the file.

use std::borrow::Cow;

/// `text` with every control character written as `\u{…}`, line breaks
/// and tabs included: for one name or value.
pub(crate) fn visible(text: &str) -> Cow<'_, str> {
    escape(text, |_| false)
}

/// `text` with every control character but line breaks and tabs written
/// as `\u{…}`: for a whole message or table of several lines.
pub(crate) fn visible_lines(text: &str) -> Cow<'_, str> {
    escape(text, |c| c == '\n' || c == '\t')
}

/// `text` with the control characters that `keep` does not accept escaped.
fn escape(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    let hidden = |c: char| c.is_control() && !keep(c);
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `count` and its noun, singular for exactly one: `1 location`,
/// `2 locations`, `0 locations`.
pub(crate) fn counted(count: impl Into<u64>, singular: &str, plural: &str) -> String {
    match count.into() {
        1 => format!("1 {singular}"),
        n => format!("{n} {plural}"),
    }
}

/// `text` as [`visible_lines`] writes it, with `span` (a byte range of
/// `text`) moved to the same characters of the result.
pub(crate) fn visible_lines_with_span(
    text: &str,
    span: std::ops::Range<usize>,
) -> (Cow<'_, str>, std::ops::Range<usize>) {
    let escaped = visible_lines(text);
    if let Cow::Borrowed(_) = escaped {
        return (escaped, span);
    }
    // Each character before an offset grows by the length of its escape.
    let moved = |offset: usize| visible_lines(&text[..offset.min(text.len())]).len();
    let span = moved(span.start)..moved(span.end);
    (escaped, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_of_a_thing_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(1u32, "location", "locations"), "1 location");
        assert_eq!(counted(2u32, "location", "locations"), "2 locations");
        assert_eq!(counted(0u32, "agency", "agencies"), "0 agencies");
    }

    #[test]
    fn c0_del_and_c1_are_escaped_and_nothing_else() {
        let text = "\u{0}\u{1b}\u{7f}\u{80}\u{9f}é€ \u{a0}";
        assert_eq!(visible(text), "\\u{0}\\u{1b}\\u{7f}\\u{80}\\u{9f}é€ \u{a0}");
        assert!(matches!(visible("plain – text"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_name_shows_its_line_break_and_escape_but_not_its_dash() {
        assert_eq!(visible("a\u{1b}[2J\nb"), "a\\u{1b}[2J\\u{a}b");
        assert_eq!(visible("Budapest – 2009"), "Budapest – 2009");
    }

    #[test]
    fn a_message_keeps_its_tabs_and_line_breaks() {
        assert_eq!(visible_lines("a\u{9b}31m\tb\n"), "a\\u{9b}31m\tb\n");
    }

    #[test]
    fn a_span_follows_its_characters_through_the_escapes() {
        let text = "a\u{1b}b = x\u{9b}y\nz";
        let start = text.find('x').unwrap();
        let end = text.find('\n').unwrap();
        let (escaped, span) = visible_lines_with_span(text, start..end);
        assert_eq!(&escaped[span], "x\\u{9b}y");
    }
}
