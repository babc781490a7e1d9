//! Every string of the user interface, Russian first, English second, side by side so that a
//! new string is added to both at once. Grouped by the page or area that shows it.

texts! {
    /// Product name in the header.
    app_name: "callfaq",
        "callfaq";
    /// Title of the search page.
    search_title: "Поиск ответа",
        "Find an answer";
    /// Label of the search box (read by screen readers).
    search_label: "Что спрашивает клиент",
        "What the caller asks";
    /// Placeholder of the search box.
    search_placeholder: "Что спрашивает клиент? Например: сколько стоит заправка картриджа",
        "What does the caller ask? E.g. cartridge refill price";
    /// Search button (shown without JavaScript).
    search_button: "Найти",
        "Search";
    /// Hint under the search box.
    search_hint: "↑ ↓ — выбрать ответ, Enter — открыть",
        "↑ ↓ to choose an answer, Enter to open";
    /// Shown when a query finds nothing.
    no_results: "Ничего не нашлось. Запишите вопрос клиента — редакторы подготовят ответ.",
        "Nothing found. Log the caller's question so that editors can write an answer.";
    /// Link back to the search page.
    back_to_search: "← К поиску",
        "← Back to search";
    /// Label before the review date.
    reviewed: "Проверено",
        "Reviewed";
    /// Label before the other phrasings.
    also_asked: "Клиенты спрашивают и так",
        "Callers also ask";
    /// Label before the tags.
    tags: "Темы",
        "Topics";
    /// Audience names.
    audience_primary: "Новым клиентам",
        "For new clients";
    /// Audience names.
    audience_secondary: "Действующим клиентам",
        "For existing clients";
    /// Audience names.
    audience_all: "Всем клиентам",
        "For all clients";
    /// Title of the not-found page.
    not_found: "Не найдено",
        "Not found";
    /// Text of the not-found page for an answer.
    answer_not_found: "Такого ответа нет. Возможно, файл переименовали или удалили.",
        "There is no such answer. Its file may have been renamed or removed.";
    /// Title of the error page.
    error: "Ошибка",
        "Error";
    /// Text of the error page.
    error_text: "Что-то пошло не так. Попробуйте ещё раз; если повторится, сообщите администратору.",
        "Something went wrong. Try again; if it happens again, tell the administrator.";
    /// Top menu: search.
    nav_search: "Поиск",
        "Search";
    /// Top menu: calls.
    nav_calls: "Звонки",
        "Calls";
    /// Top menu: new call.
    nav_new_call: "Новый звонок",
        "New call";
    /// Title of the page shown for invalid input.
    invalid_input: "Неверные данные",
        "Invalid input";
    /// Title of the calls list.
    calls_title: "Звонки",
        "Calls";
    /// Empty calls list.
    calls_empty: "Звонков за этот день нет.",
        "No calls on this day.";
    /// Column: time.
    col_time: "Время",
        "Time";
    /// Column: caller.
    col_caller: "Кто звонил",
        "Caller";
    /// Column: kind.
    col_kind: "Звонок",
        "Kind";
    /// Column: number of questions.
    col_questions: "Вопросов",
        "Questions";
    /// Call kind.
    kind_primary: "Первичный",
        "Primary";
    /// Call kind.
    kind_secondary: "Вторичный",
        "Secondary";
    /// Outcome.
    outcome_answered: "Ответили сами",
        "Answered";
    /// Outcome.
    outcome_transferred: "Переключили на менеджера",
        "Transferred";
    /// Outcome.
    outcome_callback: "Перезвонить",
        "Call back";
    /// Outcome.
    outcome_not_a_client: "Не клиент",
        "Not a client";
    /// Filter choice: any.
    filter_all: "Все",
        "All";
    /// Filter button.
    filter_button: "Показать",
        "Show";
    /// Label: date.
    date: "Дата",
        "Date";
    /// Title of the new-call page.
    new_call_title: "Новый звонок",
        "New call";
    /// Button that records a new call.
    start_call: "Начать запись звонка",
        "Start the call record";
    /// Field label.
    field_name: "Имя",
        "Name";
    /// Field label.
    field_phone: "Телефон",
        "Phone";
    /// Field label.
    field_company: "Компания",
        "Company";
    /// Field label.
    field_topic: "Вопрос по теме",
        "Topic";
    /// Field label.
    field_kind: "Звонок",
        "Call";
    /// Field label.
    field_potential_client: "Потенциальный клиент",
        "Potential client";
    /// Field label.
    field_manager: "Менеджер",
        "Manager";
    /// Field label.
    field_outcome: "Итог",
        "Outcome";
    /// Field label.
    field_callback_due: "Перезвонить до",
        "Call back by";
    /// Field label.
    field_notes: "Заметки",
        "Notes";
    /// Field label.
    field_operator: "Оператор",
        "Operator";
    /// Button.
    save: "Сохранить",
        "Save";
    /// Button.
    end_call: "Завершить звонок",
        "End the call";
    /// Heading of the desk screen, before the number.
    call_number: "Звонок №",
        "Call #";
    /// Badge of an ended call.
    ended: "завершён",
        "ended";
    /// Badge of a returning caller.
    returning_badge: "Звонил раньше",
        "Called before";
    /// Heading: earlier calls of this caller.
    earlier_calls: "Прежние звонки этого клиента",
        "Earlier calls of this caller";
    /// Label of the question box.
    question_label: "Вопрос клиента",
        "Caller's question";
    /// Placeholder of the question box.
    question_placeholder: "Вопрос клиента его словами — Enter записывает",
        "The caller's question in their words — Enter logs it";
    /// Keyboard hint on the desk screen.
    question_hint: "Enter — записать вопрос · затем 1–9 — связать с ответом · 0 — нет ответа",
        "Enter logs the question · then 1–9 links an answer · 0 marks no answer";
    /// Hint after a question is logged.
    link_mode_hint: "Вопрос записан. Нажмите 1–9, чтобы связать с ответом, 0 — ответа нет.",
        "Question logged. Press 1–9 to link an answer, 0 for no answer.";
    /// Button.
    log_button: "Записать",
        "Log";
    /// Heading: questions of this call.
    questions_title: "Вопросы клиента",
        "Caller questions";
    /// A question without an answer.
    no_answer: "Нет ответа",
        "No answer";
    /// Button.
    link_button: "Связать",
        "Link";
    /// No questions yet.
    no_questions: "Вопросов пока нет.",
        "No questions yet.";
    /// Heading of the typical-question buttons.
    typical_title: "Частые вопросы",
        "Frequent questions";
    /// Heading of the desk script.
    script_title: "Стандарт разговора",
        "Call script";
    /// Stands for an unknown value in a phrase.
    blank: "…",
        "…";
    /// Empty choice of a select.
    choose: "— не выбрано —",
        "— none —";
    /// Placeholder of the answer panel.
    answer_panel_hint: "Здесь появится ответ, который вы свяжете с вопросом.",
        "The answer you link appears here.";
    /// Script phrase label.
    phrase_greeting: "Приветствие",
        "Greeting";
    /// Script phrase label.
    phrase_ask_name: "Имя",
        "Name";
    /// Script phrase label.
    phrase_clarify: "Уточнение",
        "Clarify";
    /// Script phrase label.
    phrase_transfer: "Переключение",
        "Transfer";
    /// Script phrase label.
    phrase_manager_out: "Менеджера нет",
        "Manager out";
    /// Script phrase label.
    phrase_read_back: "Проверка номера",
        "Read back";
    /// Script phrase label.
    phrase_goodbye: "Прощание",
        "Goodbye";
    /// Top menu: administration.
    nav_admin: "Администрирование",
        "Administration";
    /// Button.
    logout: "Выйти",
        "Log out";
    /// Title of the login page.
    login_title: "Вход",
        "Log in";
    /// Field label.
    login_field: "Логин",
        "Login";
    /// Field label.
    password_field: "Пароль",
        "Password";
    /// Button.
    login_button: "Войти",
        "Log in";
    /// Login error.
    login_failed: "Неверный логин или пароль.",
        "Wrong login or password.";
    /// Too many attempts; followed by seconds.
    login_slowed: "Слишком много неудачных попыток. Секунд до следующей попытки:",
        "Too many failed attempts. Seconds until the next try:";
    /// Title of the password page.
    password_title: "Смена пароля",
        "Change password";
    /// Shown when a new password is required.
    password_must_change: "Задайте новый пароль, чтобы продолжить.",
        "Set a new password to continue.";
    /// Field label.
    current_password: "Текущий пароль",
        "Current password";
    /// Field label.
    new_password: "Новый пароль (не короче 10 символов)",
        "New password (at least 10 characters)";
    /// Field label.
    repeat_password: "Новый пароль ещё раз",
        "New password again";
    /// Button.
    password_button: "Сменить пароль",
        "Change password";
    /// Error.
    password_mismatch: "Новые пароли не совпадают.",
        "The new passwords differ.";
    /// Error.
    password_wrong: "Текущий пароль неверен.",
        "The current password is wrong.";
    /// Notice.
    password_changed: "Пароль изменён.",
        "Password changed.";
    /// Title of the forbidden page.
    forbidden: "Нет доступа",
        "Not allowed";
    /// Text of the forbidden page.
    forbidden_text: "У вашей роли нет прав на эту страницу. Обратитесь к администратору.",
        "Your role may not open this page. Ask an administrator.";
    /// Text shown for a rejected forged form.
    forgery: "Форма устарела или отправлена с чужого сайта. Обновите страницу и повторите.",
        "The form is stale or came from another site. Reload the page and try again.";
    /// Title of the admin page.
    admin_title: "Администрирование",
        "Administration";
    /// Heading.
    accounts_title: "Учётные записи",
        "Accounts";
    /// Heading.
    audit_title: "Журнал доступа к звонкам",
        "Audit log";
    /// Column.
    col_login: "Логин",
        "Login";
    /// Column.
    col_role: "Роль",
        "Role";
    /// Column.
    col_state: "Состояние",
        "State";
    /// Column.
    col_actor: "Кто",
        "Who";
    /// Column.
    col_action: "Действие",
        "Action";
    /// Column.
    col_subject: "Что",
        "What";
    /// Account state.
    state_active: "активна",
        "active";
    /// Account state.
    state_disabled: "отключена",
        "disabled";
    /// Hint on the admin page.
    admin_cli_hint: "Учётные записи и токены создаются командами callfaq user и callfaq token (см. README).",
        "Accounts and tokens are managed with the callfaq user and callfaq token commands (see README).";
    /// Choice: let the program decide (by earlier calls).
    kind_auto: "по прежним звонкам",
        "from earlier calls";
    /// Choice.
    yes: "да",
        "yes";
    /// Choice.
    no: "нет",
        "no";

    // ---- errors, in the API and on pages ----
    /// A call that does not exist.
    error_no_call: "Звонка № {} нет.",
        "There is no call {}.";
    /// A caller question that does not exist.
    error_no_question: "Вопроса № {} нет.",
        "There is no question {}.";
    /// An answer that does not exist.
    error_no_answer: "Такого ответа нет: «{}». Возможно, файл переименовали или удалили.",
        "There is no answer `{}`. Its file may have been renamed or removed.";
    /// A URL nobody serves.
    error_no_page: "Такой страницы нет. Проверьте адрес или вернитесь к поиску.",
        "There is no such page. Check the address or go back to search.";
    /// A body that is not JSON, with the parser's detail.
    error_bad_json: "Тело запроса — не JSON: {}",
        "invalid JSON: {}";
    /// A request to the API without credentials.
    error_no_credentials: "Войдите или передайте заголовок Authorization: Bearer TOKEN.",
        "log in, or send Authorization: Bearer TOKEN";
    /// An unknown or revoked token.
    error_bad_token: "Токен неизвестен или отозван.",
        "the bearer token is unknown or revoked";
    /// The password must be changed first.
    error_change_password: "Сначала смените пароль.",
        "change your password first";
    /// A body over the limit.
    error_too_large: "Запрос больше {} байт.",
        "the request body is over {} bytes";
    /// A request body that did not arrive in time.
    error_timeout: "Запрос не дошёл вовремя. Проверьте сеть и повторите.",
        "the request body did not arrive in time";
    /// A call that holds the most questions a call may hold.
    error_call_full: "На звонке № {} уже {} вопросов — это предел.",
        "call {} holds {} questions, the most a call may hold";

    // ---- what is wrong with a field ----
    /// Too long.
    problem_too_long: "длиннее {} символов",
        "longer than {} characters";
    /// Not text.
    problem_expected_text: "нужна строка или null",
        "expected a string or null";
    /// Not a time.
    problem_expected_time: "нужно время, например 2026-11-28T10:15:00+03:00",
        "expected a time such as 2026-11-28T10:15:00+03:00";
    /// Not a date.
    problem_expected_date: "нужна дата, например 2026-11-28",
        "expected a date such as 2026-11-28";
    /// Empty.
    problem_empty: "не может быть пустым",
        "cannot be empty";
    /// Not a boolean.
    problem_expected_bool: "нужно true или false",
        "expected true or false";
    /// Not one of the words, which follow.
    problem_one_of: "нужно одно из: {}",
        "expected one of: {}";
    /// A field the request may not carry.
    problem_unknown: "неизвестное поле",
        "unknown field";
    /// Missing.
    problem_required: "обязательное поле",
        "required";
    /// No answer with this slug.
    problem_no_such_answer: "ответа `{}` нет",
        "no answer with slug `{}`";
    /// Not a slug.
    problem_expected_slug: "нужен slug ответа или null",
        "expected an answer slug or null";
    /// Not a whole number in range.
    problem_expected_number: "нужно целое число от {} до {}",
        "expected a whole number from {} to {}";
    /// End before start.
    problem_before_from: "не может быть раньше from",
        "must not be before from";
    /// Too long a period.
    problem_range_too_long: "не больше {} дней после from",
        "at most {} days after from";
    /// Past the calendar.
    problem_too_far_ahead: "слишком далеко в будущем",
        "too far in the future";
    /// Not a JSON object.
    problem_expected_object: "нужен объект JSON",
        "expected a JSON object";
}
