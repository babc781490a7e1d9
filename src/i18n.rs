//! Every string the user interface shows, in Russian (the default) and English. Pages take a
//! [`Texts`] and never spell a UI string themselves.

use crate::config::Lang;

/// The user interface's words in one language.
#[derive(Debug)]
pub struct Texts {
    /// `lang` attribute of pages.
    pub html_lang: &'static str,
    /// Product name in the header.
    pub app_name: &'static str,
    /// Title of the search page.
    pub search_title: &'static str,
    /// Label of the search box (read by screen readers).
    pub search_label: &'static str,
    /// Placeholder of the search box.
    pub search_placeholder: &'static str,
    /// Search button (shown without JavaScript).
    pub search_button: &'static str,
    /// Hint under the search box.
    pub search_hint: &'static str,
    /// Shown when a query finds nothing.
    pub no_results: &'static str,
    /// Link back to the search page.
    pub back_to_search: &'static str,
    /// Label before the review date.
    pub reviewed: &'static str,
    /// Label before the other phrasings.
    pub also_asked: &'static str,
    /// Label before the tags.
    pub tags: &'static str,
    /// Audience names.
    pub audience_primary: &'static str,
    /// Audience names.
    pub audience_secondary: &'static str,
    /// Audience names.
    pub audience_all: &'static str,
    /// Title of the not-found page.
    pub not_found: &'static str,
    /// Text of the not-found page for an answer.
    pub answer_not_found: &'static str,
    /// Title of the error page.
    pub error: &'static str,
    /// Text of the error page.
    pub error_text: &'static str,
}

/// Русский.
pub static RU: Texts = Texts {
    html_lang: "ru",
    app_name: "callfaq",
    search_title: "Поиск ответа",
    search_label: "Что спрашивает клиент",
    search_placeholder: "Что спрашивает клиент? Например: сколько стоит заправка картриджа",
    search_button: "Найти",
    search_hint: "↑ ↓ — выбрать ответ, Enter — открыть",
    no_results: "Ничего не нашлось. Запишите вопрос клиента — редакторы подготовят ответ.",
    back_to_search: "← К поиску",
    reviewed: "Проверено",
    also_asked: "Клиенты спрашивают и так",
    tags: "Темы",
    audience_primary: "Новым клиентам",
    audience_secondary: "Действующим клиентам",
    audience_all: "Всем клиентам",
    not_found: "Не найдено",
    answer_not_found: "Такого ответа нет. Возможно, файл переименовали или удалили.",
    error: "Ошибка",
    error_text:
        "Что-то пошло не так. Попробуйте ещё раз; если повторится, сообщите администратору.",
};

/// English.
pub static EN: Texts = Texts {
    html_lang: "en",
    app_name: "callfaq",
    search_title: "Find an answer",
    search_label: "What the caller asks",
    search_placeholder: "What does the caller ask? E.g. cartridge refill price",
    search_button: "Search",
    search_hint: "↑ ↓ to choose an answer, Enter to open",
    no_results: "Nothing found. Log the caller's question so that editors can write an answer.",
    back_to_search: "← Back to search",
    reviewed: "Reviewed",
    also_asked: "Callers also ask",
    tags: "Topics",
    audience_primary: "For new clients",
    audience_secondary: "For existing clients",
    audience_all: "For all clients",
    not_found: "Not found",
    answer_not_found: "There is no such answer. Its file may have been renamed or removed.",
    error: "Error",
    error_text: "Something went wrong. Try again; if it happens again, tell the administrator.",
};

/// The texts of a language.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Ru => &RU,
        Lang::En => &EN,
    }
}
