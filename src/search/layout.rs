//! Keyboard layout correction: text typed with the wrong layout switched on.
//!
//! The Russian ЙЦУКЕН and the English QWERTY layouts share keys, so `ghbynth` is `принтер` typed
//! on the wrong layout. Search tries the other layout's reading of every word, which also covers
//! the reverse (`сфтщт` for `canon`). Keys that carry punctuation in one layout and letters in the
//! other (`[`, `;`, `'`, `,`, `.`, `` ` ``) are mapped too, so `ghbdtn,` reads as `привет,`… and
//! `,eltn` as `будет`.

/// QWERTY keys, unshifted, in the same order as [`RU`].
const EN: &str = "`qwertyuiop[]asdfghjkl;'zxcvbnm,.";
/// ЙЦУКЕН letters on those keys.
const RU: &str = "ёйцукенгшщзхъфывапролджэячсмитьбю";

fn map_char(c: char, from: &str, to: &str) -> Option<char> {
    let lower: char = c.to_lowercase().next().unwrap_or(c);
    let i = from.chars().position(|f| f == lower)?;
    let mapped = to.chars().nth(i)?;
    Some(if c.is_uppercase() {
        mapped.to_uppercase().next().unwrap_or(mapped)
    } else {
        mapped
    })
}

/// Reads Latin-layout text as if the Russian layout had been on. Other characters stay.
pub fn latin_to_cyrillic(text: &str) -> String {
    text.chars()
        .map(|c| map_char(c, EN, RU).unwrap_or(c))
        .collect()
}

/// Reads a whole text typed on the QWERTY layout as the ЙЦУКЕН layout would have typed it, the
/// punctuation keys included (`&` is `?`, `/` is `.`, `?` is `,`): a question typed whole with
/// the wrong layout on, as it was meant.
pub fn typed_as_russian(text: &str) -> String {
    const SHIFTED: [(char, char); 7] = [
        ('&', '?'),
        ('/', '.'),
        ('?', ','),
        ('^', ':'),
        ('$', ';'),
        ('@', '"'),
        ('#', '№'),
    ];
    latin_to_cyrillic(text)
        .chars()
        .map(|c| {
            SHIFTED
                .iter()
                .find(|(from, _)| *from == c)
                .map_or(c, |(_, to)| *to)
        })
        .collect()
}

/// Reads Cyrillic text as if the English layout had been on. Other characters stay.
pub fn cyrillic_to_latin(text: &str) -> String {
    text.chars()
        .map(|c| map_char(c, RU, EN).unwrap_or(c))
        .collect()
}

/// The other layout's reading of one whitespace-separated chunk, if it has one.
///
/// A chunk of Latin letters (and the punctuation keys that are Russian letters) becomes Cyrillic;
/// a Cyrillic chunk becomes Latin. Chunks with digits only, or mixed scripts, have none.
pub fn other_layout(chunk: &str) -> Option<String> {
    let has_latin = chunk.chars().any(|c| c.is_ascii_alphabetic());
    let has_cyrillic = chunk.chars().any(crate::text::is_cyrillic);
    match (has_latin, has_cyrillic) {
        (true, false) => Some(latin_to_cyrillic(chunk)),
        (false, true) => Some(cyrillic_to_latin(chunk)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_question_typed_on_the_wrong_layout_reads_with_its_punctuation() {
        assert_eq!(
            typed_as_russian("xtr ghbiktn yf gjxne&"),
            "чек пришлет на почту?"
        );
        assert_eq!(typed_as_russian("lf/ ytn?"), "да. нет,");
    }

    #[test]
    fn latin_typed_on_russian_layout_reads_as_russian() {
        assert_eq!(latin_to_cyrillic("ghbynth"), "принтер");
        assert_eq!(latin_to_cyrillic("Ghbynth"), "Принтер");
        assert_eq!(latin_to_cyrillic(",eltn"), "будет");
        assert_eq!(latin_to_cyrillic("'nj"), "это");
    }

    #[test]
    fn russian_typed_on_latin_layout_reads_as_english() {
        assert_eq!(cyrillic_to_latin("сфтщт"), "canon");
    }

    #[test]
    fn digits_have_no_other_layout() {
        assert_eq!(other_layout("2100"), None);
        assert_eq!(other_layout("ghbynth").as_deref(), Some("принтер"));
    }
}
