//! The macro that turns the one table of strings into the [`Texts`](super::Texts) struct and its
//! Russian and English values.

/// `name: "по-русски", "in English";` per string, each with a `///` line saying where it shows.
macro_rules! texts {
    ($($(#[doc = $doc:literal])* $name:ident: $ru:literal, $en:literal;)*) => {
        /// The user interface's words in one language.
        #[derive(Debug)]
        pub struct Texts {
            /// The language.
            pub lang: super::Lang,
            $($(#[doc = $doc])* pub $name: &'static str,)*
        }

        /// Русский.
        pub static RU: Texts = Texts { lang: super::Lang::Ru, $($name: $ru,)* };

        /// English.
        pub static EN: Texts = Texts { lang: super::Lang::En, $($name: $en,)* };

        /// Every string as (name, Russian, English): for tests that look for a language mixed
        /// into the other.
        pub const ALL: &[(&str, &str, &str)] = &[$((stringify!($name), $ru, $en),)*];
    };
}
