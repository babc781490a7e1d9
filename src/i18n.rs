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
    /// Top menu: search.
    pub nav_search: &'static str,
    /// Top menu: calls.
    pub nav_calls: &'static str,
    /// Top menu: new call.
    pub nav_new_call: &'static str,
    /// Title of the page shown for invalid input.
    pub invalid_input: &'static str,
    /// Title of the calls list.
    pub calls_title: &'static str,
    /// Empty calls list.
    pub calls_empty: &'static str,
    /// Column: time.
    pub col_time: &'static str,
    /// Column: caller.
    pub col_caller: &'static str,
    /// Column: kind.
    pub col_kind: &'static str,
    /// Column: number of questions.
    pub col_questions: &'static str,
    /// Call kind.
    pub kind_primary: &'static str,
    /// Call kind.
    pub kind_secondary: &'static str,
    /// Outcome.
    pub outcome_answered: &'static str,
    /// Outcome.
    pub outcome_transferred: &'static str,
    /// Outcome.
    pub outcome_callback: &'static str,
    /// Outcome.
    pub outcome_not_a_client: &'static str,
    /// Filter choice: any.
    pub filter_all: &'static str,
    /// Filter button.
    pub filter_button: &'static str,
    /// Label: date.
    pub date: &'static str,
    /// Title of the new-call page.
    pub new_call_title: &'static str,
    /// Button that records a new call.
    pub start_call: &'static str,
    /// Field label.
    pub field_name: &'static str,
    /// Field label.
    pub field_phone: &'static str,
    /// Field label.
    pub field_company: &'static str,
    /// Field label.
    pub field_topic: &'static str,
    /// Field label.
    pub field_kind: &'static str,
    /// Field label.
    pub field_potential_client: &'static str,
    /// Field label.
    pub field_manager: &'static str,
    /// Field label.
    pub field_outcome: &'static str,
    /// Field label.
    pub field_callback_due: &'static str,
    /// Field label.
    pub field_notes: &'static str,
    /// Field label.
    pub field_operator: &'static str,
    /// Button.
    pub save: &'static str,
    /// Button.
    pub end_call: &'static str,
    /// Heading of the desk screen, before the number.
    pub call_number: &'static str,
    /// Badge of an ended call.
    pub ended: &'static str,
    /// Badge of a returning caller.
    pub returning_badge: &'static str,
    /// Heading: earlier calls of this caller.
    pub earlier_calls: &'static str,
    /// Label of the question box.
    pub question_label: &'static str,
    /// Placeholder of the question box.
    pub question_placeholder: &'static str,
    /// Keyboard hint on the desk screen.
    pub question_hint: &'static str,
    /// Hint after a question is logged.
    pub link_mode_hint: &'static str,
    /// Button.
    pub log_button: &'static str,
    /// Heading: questions of this call.
    pub questions_title: &'static str,
    /// A question without an answer.
    pub no_answer: &'static str,
    /// Button.
    pub link_button: &'static str,
    /// No questions yet.
    pub no_questions: &'static str,
    /// Heading of the typical-question buttons.
    pub typical_title: &'static str,
    /// Heading of the desk script.
    pub script_title: &'static str,
    /// Stands for an unknown value in a phrase.
    pub blank: &'static str,
    /// Empty choice of a select.
    pub choose: &'static str,
    /// Placeholder of the answer panel.
    pub answer_panel_hint: &'static str,
    /// Script phrase label.
    pub phrase_greeting: &'static str,
    /// Script phrase label.
    pub phrase_ask_name: &'static str,
    /// Script phrase label.
    pub phrase_clarify: &'static str,
    /// Script phrase label.
    pub phrase_transfer: &'static str,
    /// Script phrase label.
    pub phrase_manager_out: &'static str,
    /// Script phrase label.
    pub phrase_read_back: &'static str,
    /// Script phrase label.
    pub phrase_goodbye: &'static str,
    /// Top menu: administration.
    pub nav_admin: &'static str,
    /// Button.
    pub logout: &'static str,
    /// Title of the login page.
    pub login_title: &'static str,
    /// Field label.
    pub login_field: &'static str,
    /// Field label.
    pub password_field: &'static str,
    /// Button.
    pub login_button: &'static str,
    /// Login error.
    pub login_failed: &'static str,
    /// Too many attempts; followed by seconds.
    pub login_slowed: &'static str,
    /// Title of the password page.
    pub password_title: &'static str,
    /// Shown when a new password is required.
    pub password_must_change: &'static str,
    /// Field label.
    pub current_password: &'static str,
    /// Field label.
    pub new_password: &'static str,
    /// Field label.
    pub repeat_password: &'static str,
    /// Button.
    pub password_button: &'static str,
    /// Error.
    pub password_mismatch: &'static str,
    /// Error.
    pub password_wrong: &'static str,
    /// Notice.
    pub password_changed: &'static str,
    /// Title of the forbidden page.
    pub forbidden: &'static str,
    /// Text of the forbidden page.
    pub forbidden_text: &'static str,
    /// Text shown for a rejected forged form.
    pub forgery: &'static str,
    /// Title of the admin page.
    pub admin_title: &'static str,
    /// Heading.
    pub accounts_title: &'static str,
    /// Heading.
    pub audit_title: &'static str,
    /// Column.
    pub col_login: &'static str,
    /// Column.
    pub col_role: &'static str,
    /// Column.
    pub col_state: &'static str,
    /// Column.
    pub col_actor: &'static str,
    /// Column.
    pub col_action: &'static str,
    /// Column.
    pub col_subject: &'static str,
    /// Account state.
    pub state_active: &'static str,
    /// Account state.
    pub state_disabled: &'static str,
    /// Hint on the admin page.
    pub admin_cli_hint: &'static str,
    /// Choice: let the program decide (by earlier calls).
    pub kind_auto: &'static str,
    /// Choice.
    pub yes: &'static str,
    /// Choice.
    pub no: &'static str,
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
    nav_search: "Поиск",
    nav_calls: "Звонки",
    nav_new_call: "Новый звонок",
    invalid_input: "Неверные данные",
    calls_title: "Звонки",
    calls_empty: "Звонков за этот день нет.",
    col_time: "Время",
    col_caller: "Кто звонил",
    col_kind: "Звонок",
    col_questions: "Вопросов",
    kind_primary: "Первичный",
    kind_secondary: "Вторичный",
    outcome_answered: "Ответили сами",
    outcome_transferred: "Переключили на менеджера",
    outcome_callback: "Перезвонить",
    outcome_not_a_client: "Не клиент",
    filter_all: "Все",
    filter_button: "Показать",
    date: "Дата",
    new_call_title: "Новый звонок",
    start_call: "Начать запись звонка",
    field_name: "Имя",
    field_phone: "Телефон",
    field_company: "Компания",
    field_topic: "Вопрос по теме",
    field_kind: "Звонок",
    field_potential_client: "Потенциальный клиент",
    field_manager: "Менеджер",
    field_outcome: "Итог",
    field_callback_due: "Перезвонить до",
    field_notes: "Заметки",
    field_operator: "Оператор",
    save: "Сохранить",
    end_call: "Завершить звонок",
    call_number: "Звонок №",
    ended: "завершён",
    returning_badge: "Звонил раньше",
    earlier_calls: "Прежние звонки этого клиента",
    question_label: "Вопрос клиента",
    question_placeholder: "Вопрос клиента его словами — Enter записывает",
    question_hint: "Enter — записать вопрос · затем 1–9 — связать с ответом · 0 — нет ответа",
    link_mode_hint: "Вопрос записан. Нажмите 1–9, чтобы связать с ответом, 0 — ответа нет.",
    log_button: "Записать",
    questions_title: "Вопросы клиента",
    no_answer: "Нет ответа",
    link_button: "Связать",
    no_questions: "Вопросов пока нет.",
    typical_title: "Частые вопросы",
    script_title: "Стандарт разговора",
    blank: "…",
    choose: "— не выбрано —",
    answer_panel_hint: "Здесь появится ответ, который вы свяжете с вопросом.",
    phrase_greeting: "Приветствие",
    phrase_ask_name: "Имя",
    phrase_clarify: "Уточнение",
    phrase_transfer: "Переключение",
    phrase_manager_out: "Менеджера нет",
    phrase_read_back: "Проверка номера",
    phrase_goodbye: "Прощание",
    nav_admin: "Администрирование",
    logout: "Выйти",
    login_title: "Вход",
    login_field: "Логин",
    password_field: "Пароль",
    login_button: "Войти",
    login_failed: "Неверный логин или пароль.",
    login_slowed: "Слишком много неудачных попыток. Секунд до следующей попытки:",
    password_title: "Смена пароля",
    password_must_change: "Задайте новый пароль, чтобы продолжить.",
    current_password: "Текущий пароль",
    new_password: "Новый пароль (не короче 10 символов)",
    repeat_password: "Новый пароль ещё раз",
    password_button: "Сменить пароль",
    password_mismatch: "Новые пароли не совпадают.",
    password_wrong: "Текущий пароль неверен.",
    password_changed: "Пароль изменён.",
    forbidden: "Нет доступа",
    forbidden_text: "У вашей роли нет прав на эту страницу. Обратитесь к администратору.",
    forgery: "Форма устарела или отправлена с чужого сайта. Обновите страницу и повторите.",
    admin_title: "Администрирование",
    accounts_title: "Учётные записи",
    audit_title: "Журнал доступа к звонкам",
    col_login: "Логин",
    col_role: "Роль",
    col_state: "Состояние",
    col_actor: "Кто",
    col_action: "Действие",
    col_subject: "Что",
    state_active: "активна",
    state_disabled: "отключена",
    admin_cli_hint:
        "Учётные записи и токены создаются командами callfaq user и callfaq token (см. README).",
    kind_auto: "по прежним звонкам",
    yes: "да",
    no: "нет",
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
    nav_search: "Search",
    nav_calls: "Calls",
    nav_new_call: "New call",
    invalid_input: "Invalid input",
    calls_title: "Calls",
    calls_empty: "No calls on this day.",
    col_time: "Time",
    col_caller: "Caller",
    col_kind: "Kind",
    col_questions: "Questions",
    kind_primary: "Primary",
    kind_secondary: "Secondary",
    outcome_answered: "Answered",
    outcome_transferred: "Transferred",
    outcome_callback: "Call back",
    outcome_not_a_client: "Not a client",
    filter_all: "All",
    filter_button: "Show",
    date: "Date",
    new_call_title: "New call",
    start_call: "Start the call record",
    field_name: "Name",
    field_phone: "Phone",
    field_company: "Company",
    field_topic: "Topic",
    field_kind: "Call",
    field_potential_client: "Potential client",
    field_manager: "Manager",
    field_outcome: "Outcome",
    field_callback_due: "Call back by",
    field_notes: "Notes",
    field_operator: "Operator",
    save: "Save",
    end_call: "End the call",
    call_number: "Call #",
    ended: "ended",
    returning_badge: "Called before",
    earlier_calls: "Earlier calls of this caller",
    question_label: "Caller's question",
    question_placeholder: "The caller's question in their words — Enter logs it",
    question_hint: "Enter logs the question · then 1–9 links an answer · 0 marks no answer",
    link_mode_hint: "Question logged. Press 1–9 to link an answer, 0 for no answer.",
    log_button: "Log",
    questions_title: "Caller questions",
    no_answer: "No answer",
    link_button: "Link",
    no_questions: "No questions yet.",
    typical_title: "Frequent questions",
    script_title: "Call script",
    blank: "…",
    choose: "— none —",
    answer_panel_hint: "The answer you link appears here.",
    phrase_greeting: "Greeting",
    phrase_ask_name: "Name",
    phrase_clarify: "Clarify",
    phrase_transfer: "Transfer",
    phrase_manager_out: "Manager out",
    phrase_read_back: "Read back",
    phrase_goodbye: "Goodbye",
    nav_admin: "Administration",
    logout: "Log out",
    login_title: "Log in",
    login_field: "Login",
    password_field: "Password",
    login_button: "Log in",
    login_failed: "Wrong login or password.",
    login_slowed: "Too many failed attempts. Seconds until the next try:",
    password_title: "Change password",
    password_must_change: "Set a new password to continue.",
    current_password: "Current password",
    new_password: "New password (at least 10 characters)",
    repeat_password: "New password again",
    password_button: "Change password",
    password_mismatch: "The new passwords differ.",
    password_wrong: "The current password is wrong.",
    password_changed: "Password changed.",
    forbidden: "Not allowed",
    forbidden_text: "Your role may not open this page. Ask an administrator.",
    forgery: "The form is stale or came from another site. Reload the page and try again.",
    admin_title: "Administration",
    accounts_title: "Accounts",
    audit_title: "Audit log",
    col_login: "Login",
    col_role: "Role",
    col_state: "State",
    col_actor: "Who",
    col_action: "Action",
    col_subject: "What",
    state_active: "active",
    state_disabled: "disabled",
    admin_cli_hint: "Accounts and tokens are managed with the callfaq user and callfaq token commands (see README).",
    kind_auto: "from earlier calls",
    yes: "yes",
    no: "no",
};

/// The texts of a language.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Ru => &RU,
        Lang::En => &EN,
    }
}

impl Texts {
    /// The name of a call kind.
    pub fn kind(&self, kind: crate::calls::CallKind) -> &'static str {
        match kind {
            crate::calls::CallKind::Primary => self.kind_primary,
            crate::calls::CallKind::Secondary => self.kind_secondary,
        }
    }

    /// The name of an outcome.
    pub fn outcome(&self, outcome: crate::calls::Outcome) -> &'static str {
        use crate::calls::Outcome;
        match outcome {
            Outcome::Answered => self.outcome_answered,
            Outcome::Transferred => self.outcome_transferred,
            Outcome::Callback => self.outcome_callback,
            Outcome::NotAClient => self.outcome_not_a_client,
        }
    }

    /// The label of a script phrase by its key; unknown keys show as they are.
    pub fn phrase_label<'a>(&self, key: &'a str) -> &'a str {
        match key {
            "greeting" => self.phrase_greeting,
            "ask_name" => self.phrase_ask_name,
            "clarify" => self.phrase_clarify,
            "transfer" => self.phrase_transfer,
            "manager_out" => self.phrase_manager_out,
            "read_back" => self.phrase_read_back,
            "goodbye" => self.phrase_goodbye,
            other => other,
        }
    }
}
