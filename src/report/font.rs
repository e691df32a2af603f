//! The report's one typeface, DejaVu Sans (regular and bold), embedded in
//! the binary: plotters measures text with it (through ab_glyph, pure
//! Rust, so charts are laid out the same on every machine), and the page
//! embeds it, so browsers draw the text with the font it was measured in.
//! The files are subsets of Debian's fonts-dejavu-core; see `font/LICENSE`.

use std::sync::OnceLock;

use plotters::style::{FontStyle, register_font};

use super::ReportError;

/// DejaVu Sans, regular.
pub(crate) const REGULAR_TTF: &[u8] = include_bytes!("font/DejaVuSans.ttf");
/// DejaVu Sans, bold.
pub(crate) const BOLD_TTF: &[u8] = include_bytes!("font/DejaVuSans-Bold.ttf");
/// The family name charts use; plotters writes it into the SVG, and the
/// page's style sheet maps SVG text to the embedded font.
pub(crate) const FAMILY: &str = "sans-serif";
/// The family name of the embedded font in the page's style sheet.
pub(crate) const CSS_FAMILY: &str = "DejaVu Sans";

/// Registers the embedded font with plotters, once per process.
///
/// # Errors
/// When the embedded font cannot be parsed (it always can: a unit test
/// checks it).
pub(crate) fn register() -> Result<(), ReportError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, REGULAR_TTF).is_ok()
            && register_font(FAMILY, FontStyle::Bold, BOLD_TTF).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(ReportError::Chart {
            chart: "every",
            message: "the embedded font cannot be read".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::style::IntoFont;

    #[test]
    fn the_embedded_font_registers_and_measures_text() {
        register().unwrap();
        let font = (FAMILY, 20).into_font();
        let (narrow, _) = font.box_size("ii").unwrap();
        let (wide, height) = font.box_size("WW").unwrap();
        assert!(wide > narrow, "{wide} vs {narrow}");
        assert!(height > 10, "{height}");
    }
}
