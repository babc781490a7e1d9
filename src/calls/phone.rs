//! Normal forms of phone numbers and company names, so that a returning caller is recognised
//! however the operator typed them.
//!
//! Pure functions on `&str`; the store keeps their results in `phone_key` and `company_key`
//! columns and compares those. Deciding what a match means (a secondary call) is left to
//! [`crate::store`].

/// A phone number in a comparable form: digits only, Russian numbers as `7` plus ten digits.
///
/// - 11 digits starting with `8` or `7` (`8 (495) 123-45-67`, `+7 495 1234567`) → `74951234567`;
/// - 10 digits (`495 123 45 67`) are taken as a Russian number without the country code,
///   unless typed after a `+` (a number with its country code, a digit short);
/// - other lengths of 5 digits or more (foreign, internal, short numbers) stay as they are;
/// - fewer than 5 digits is not a phone number: `None`;
/// - an email address (the field takes either) is compared in lowercase: `Ivan@Romashka.ru` is
///   `ivan@romashka.ru`.
pub fn normalize(phone: &str) -> Option<String> {
    let trimmed = phone.trim();
    if trimmed.contains('@') {
        return Some(trimmed.to_lowercase());
    }
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        11 if digits.starts_with('8') || digits.starts_with('7') => {
            Some(format!("7{}", &digits[1..]))
        }
        // A number typed with `+` carries its country: ten digits after a `+` are not a local
        // number (`+7 495 123-45-6` is a digit short, not `749 512-34-56`).
        10 if !trimmed.starts_with('+') => Some(format!("7{digits}")),
        n if n >= 5 => Some(digits),
        _ => None,
    }
}

/// A phone number as the operator reads it back to the caller, in groups: `89165554433` is
/// `8 916 555-44-33`, `+7 495 1234567` is `+7 495 123-45-67`, `4951234567` is
/// `495 123-45-67`; any other number, or an e-mail address, as typed. `card.js` groups a
/// number being typed by the same rule.
pub fn spoken(phone: &str) -> String {
    let trimmed = phone.trim();
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    let groups = |d: &str| format!("{} {}-{}-{}", &d[..3], &d[3..6], &d[6..8], &d[8..10]);
    if trimmed.contains('@') {
        return trimmed.to_string();
    }
    match digits.len() {
        11 if digits.starts_with('8') => format!("8 {}", groups(&digits[1..])),
        11 if digits.starts_with('7') => format!("+7 {}", groups(&digits[1..])),
        10 if !trimmed.starts_with('+') => groups(&digits),
        _ => trimmed.to_string(),
    }
}

/// A number as the pages show it and the exchange's calls are recorded: a Russian number in its
/// international form (`89165554433`, `79165554433`, `8 (916) 555-44-33` are all
/// `+7 916 555-44-33`), so that one client's number reads the same on a missed call, a callback,
/// the calls list and the card, whoever typed it; any other number grouped as [`spoken`] does.
/// (The card's script reads a number back as it was typed, [`spoken`].)
pub fn international(phone: &str) -> String {
    match normalize(phone) {
        Some(key) if key.len() == 11 && key.starts_with('7') && !phone.contains('@') => {
            spoken(&format!("+{key}"))
        }
        _ => spoken(phone),
    }
}

/// Words of a legal form, which callers say or omit at will (`ООО «Ромашка»` is `Ромашка`).
/// `ooo` is the Latin look-alike typed in the wrong layout.
const LEGAL_FORMS: &[&str] = &[
    "ооо", "зао", "оао", "пао", "ао", "ип", "нко", "llc", "ltd", "inc", "gmbh", "ooo",
];

/// A company name in a comparable form: lowercase, `ё` as `е`, quotes and punctuation removed,
/// legal-form words (ООО, ЗАО, ИП, LLC, GmbH, ...) dropped, spaces collapsed. `None` when nothing
/// is left (an empty name, or only `ООО`).
pub fn company_key(company: &str) -> Option<String> {
    let mut cleaned = String::with_capacity(company.len());
    for c in company.chars().flat_map(char::to_lowercase) {
        match c {
            'ё' => cleaned.push('е'),
            // Dots and apostrophes join what they separate: `L.L.C.` is `llc`, `O'Key` is `okey`.
            '.' | '\'' | '’' => {}
            c if c.is_alphanumeric() => cleaned.push(c),
            _ => cleaned.push(' '),
        }
    }
    let words: Vec<&str> = cleaned
        .split_whitespace()
        .filter(|w| !LEGAL_FORMS.contains(w))
        .collect();
    if words.is_empty() {
        None
    } else {
        Some(words.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_read_back_in_groups() {
        assert_eq!(spoken("89165554433"), "8 916 555-44-33");
        assert_eq!(international("89165554433"), "+7 916 555-44-33");
        assert_eq!(international("79165554433"), "+7 916 555-44-33");
        assert_eq!(international("9165554433"), "+7 916 555-44-33");
        assert_eq!(international("101"), "101");
        assert_eq!(international("+44 20 7946 0958"), "+44 20 7946 0958");
        assert_eq!(international("+7 495 123-45-6"), "+7 495 123-45-6");
        assert_eq!(spoken(" +7 495 1234567 "), "+7 495 123-45-67");
        assert_eq!(spoken("(495) 123 45 67"), "495 123-45-67");
        assert_eq!(spoken("101"), "101");
        assert_eq!(spoken("+44 20 7946 0958"), "+44 20 7946 0958");
        assert_eq!(spoken("Ivan@Romashka.ru"), "Ivan@Romashka.ru");
    }

    #[test]
    fn russian_numbers_typed_any_way_give_the_same_key() {
        for typed in [
            "8 (495) 123-45-67",
            "+7 495 1234567",
            "74951234567",
            "+7 (495) 123 45 67",
            "(495) 123-45-67",
        ] {
            assert_eq!(normalize(typed).as_deref(), Some("74951234567"), "{typed}");
        }
    }

    #[test]
    fn an_email_in_the_field_is_its_own_key() {
        assert_eq!(
            normalize(" Ivan.Petrov@Romashka.RU ").as_deref(),
            Some("ivan.petrov@romashka.ru")
        );
    }

    #[test]
    fn foreign_and_short_numbers_keep_their_digits() {
        assert_eq!(normalize("+49 30 1234567").as_deref(), Some("49301234567"));
        assert_eq!(
            normalize("+375 29 123-45-67").as_deref(),
            Some("375291234567")
        );
        assert_eq!(normalize("доб. 12345").as_deref(), Some("12345"));
    }

    #[test]
    fn ten_digits_after_a_plus_are_not_a_local_number() {
        // `+7 495 123-45-6` is a digit short, not `749 512-34-56`.
        assert_eq!(normalize("+7 495 123-45-6").as_deref(), Some("7495123456"));
        assert_eq!(spoken("+7 495 123-45-6"), "+7 495 123-45-6");
        assert_eq!(spoken("495 123-45-67"), "495 123-45-67");
    }

    #[test]
    fn fewer_than_five_digits_is_not_a_phone() {
        assert_eq!(normalize("1234"), None);
        assert_eq!(normalize(""), None);
        assert_eq!(normalize("не сказал"), None);
    }

    #[test]
    fn company_names_match_without_legal_form_quotes_or_case() {
        let key = company_key("ромашка");
        assert_eq!(key.as_deref(), Some("ромашка"));
        for typed in [
            "ООО «Ромашка»",
            "\"Ромашка\", ООО",
            "  РОМАШКА  ",
            "OOO Ромашка",
            "ЗАО 'Ромашка'",
        ] {
            assert_eq!(company_key(typed), key, "{typed}");
        }
    }

    #[test]
    fn company_keys_fold_yo_and_collapse_spaces() {
        assert_eq!(
            company_key("Ёлки-Палки  Трейд").as_deref(),
            Some("елки палки трейд")
        );
        assert_eq!(company_key("Acme Ltd.").as_deref(), Some("acme"));
        assert_eq!(company_key("Acme, L.L.C.").as_deref(), Some("acme"));
        assert_eq!(company_key("Müller GmbH").as_deref(), Some("müller"));
    }

    #[test]
    fn a_legal_form_alone_is_no_company() {
        assert_eq!(company_key("ООО"), None);
        assert_eq!(company_key(" «» "), None);
        assert_eq!(company_key(""), None);
    }
}
