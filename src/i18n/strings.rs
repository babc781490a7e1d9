//! Every string of the user interface, Russian first, English second, side by side so that a
//! new string is added to both at once. Grouped by the page or area that shows it.

texts! {
    /// Product name in the header.
    app_name: "callfaq",
        "callfaq";
    /// A count of times, in its plural forms ([`Texts::count`]): Russian one|few|many, English
    /// one|other.
    times: "раз|раза|раз",
        "time|times";
    /// A count of days, in its plural forms ([`Texts::count`]).
    days: "день|дня|дней",
        "day|days";
    /// Title of the search page.
    search_title: "Поиск ответа",
        "Find an answer";
    /// Label of the search box (read by screen readers).
    search_label: "Что спрашивает клиент",
        "What the caller asks";
    /// Placeholder of the search box.
    search_placeholder: "Что спрашивает клиент? Например: цена заправки картриджа",
        "What does the caller ask? E.g. cartridge refill price";
    /// Search button (shown without JavaScript).
    search_button: "Найти",
        "Search";
    /// Hint under the search box.
    search_hint: "↑ ↓ — выбрать ответ, Enter — открыть",
        "↑ ↓ to choose an answer, Enter to open";
    /// Shown when a query finds nothing.
    no_results: "Ничего не нашлось. Запишите вопрос ниже — редакторы подготовят ответ.",
        "Nothing found. Log the question below so that editors can write an answer.";
    /// Shown while a query has no word of its own yet («Скажите, а у вас»): it looks for nothing.
    search_no_words: "Пока нечего искать — наберите, о чём спрашивает клиент.",
        "Nothing to look for yet: type what the caller asks about.";
    /// Link back to the search page.
    back_to_search: "← К поиску",
        "← Back to search";
    /// Link back to the form a page refused, what was typed in it kept.
    back_to_form: "← Назад, к заполненной форме",
        "← Back to the form as it was filled";
    /// Link back from a page whose address was refused (a link followed, no form sent).
    back_to_before: "← Назад",
        "← Back";
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
    /// A backup asked for while another is being made.
    error_backup_busy: "Резервная копия уже делается; попробуйте через минуту.",
        "A backup is being made already; try again in a minute.";
    /// The admin page's backup section: title, what it is, the link.
    backup_title: "Резервная копия",
        "Backup";
    backup_hint: "Вся база (звонки, вопросы, перезвоны, учётные записи, журнал) одним файлом, согласованная и во время работы. Храните её там же, где данные клиентов: в ней их имена и телефоны. Вернуть: остановить сервер и выполнить callfaq restore ФАЙЛ.",
        "The whole database (calls, questions, callbacks, accounts, the log) in one file, consistent while the desk works. Keep it where callers' data may be: it holds their names and numbers. To put it back: stop the server and run callfaq restore FILE.";
    backup_download: "Скачать резервную копию",
        "Download a backup";
    /// Said atop the calls list after a call was ended from its card ({}: its number).
    call_ended: "Звонок № {} завершён и сохранён.",
        "Call {} is ended and saved.";
    /// The link to the next call there (Enter opens it).
    next_call: "Новый звонок (Enter)",
        "New call (Enter)";
    /// Said atop a form filled again with what was typed when it was not sent.
    form_kept: "Форма заполнена так, как вы её набрали, но ещё не отправлена: проверьте и отправьте снова.",
        "The form is filled in as you typed it, but not sent yet: check it and send it again.";
    /// Above what was typed into a form this page refused without showing it.
    form_orphan: "Это не сохранено. Скопируйте набранное, чтобы не потерять его:",
        "This is not saved. Copy what you typed so as not to lose it:";
    /// Under a field when a paste was longer than it takes. {kept}, {pasted}
    pasted_cut: "Вставлено {} знаков из {}: поле больше не вмещает.",
        "Pasted {} of {} characters: the field holds no more.";
    /// A key typed into a field already as long as it may be, so the letter was not taken.
    /// {how many characters the field holds}
    typed_full: "Поле вмещает не больше {} знаков: дальше не вписывается.",
        "The field holds at most {} characters: nothing more goes in.";
    /// The login page after the session ended while a form was sent.
    session_ended: "Сеанс закончился, и форма не отправлена. Войдите снова: вы вернётесь к ней, всё введённое на месте.",
        "Your session ended and the form was not sent. Sign in again: you will be back on it, with everything you typed.";
    /// The server's disk is full: what was sent is not saved.
    error_disk_full: "На сервере закончилось место на диске: это не сохранено. Сообщите администратору; заполненная форма сохранится в этой вкладке, отправьте её снова, когда место появится.",
        "The server's disk is full: this was not saved. Tell the administrator; a form you filled in is kept in this tab, send it again once there is room.";
    /// Title of the page saying something was not saved.
    not_saved: "Не сохранено",
        "Not saved";
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
    /// Calls list: a filter that leaves none of the day's calls.
    calls_none_match: "Звонков по этим условиям за этот день нет.",
        "No calls of this day match these filters.";
    /// Calls list: the link that drops the filters.
    calls_all_of_day: "Все звонки дня",
        "All calls of the day";
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
    kind_primary: "Новый клиент",
        "New client";
    /// Call kind.
    kind_secondary: "Уже работает с нами",
        "Existing client";
    /// The calls list: a call with no outcome that was never finished.
    call_not_finished: "не завершён",
        "not finished";
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
    field_phone: "Телефон или e-mail",
        "Phone or email";
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
    call_number: "Звонок № ",
        "Call ";
    /// Badge of an ended call.
    ended: "Завершён",
        "Ended";
    /// Badge of a call the phone exchange told missed, which nobody took (on the calls list,
    /// beside its outcome, and on its page).
    call_missed: "Пропущен: никто не ответил",
        "Missed: nobody answered";
    /// Badge of a returning caller.
    returning_badge: "Звонил(а) раньше",
        "Called before";
    /// Badge of a call the manager made to a caller promised a callback (in place of «called
    /// before»: the promising call is the one before).
    follow_up_badge: "Обратный звонок",
        "Callback";
    /// Heading: earlier calls of this caller.
    earlier_calls: "Прежние звонки",
        "Earlier calls";
    /// Label of the question box.
    question_label: "Вопрос клиента",
        "Caller's question";
    /// Placeholder of the question box.
    question_placeholder: "Что спрашивает клиент — его словами",
        "What the caller asks, in their words";
    /// Keyboard hint on the desk screen.
    question_hint: "Enter — записать вопрос · ↓ ↑ — выбрать ответ, Enter — связать · Esc — отменить связь",
        "Enter logs the question · ↓ ↑ choose an answer, Enter links it · Esc undoes a link";
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
    typical_title: "Часто спрашивают",
        "Often asked";
    /// Heading of the desk script.
    script_title: "Стандарт разговора",
        "Call script";
    /// In place of the script on a call the manager opened on reaching a caller they called
    /// back; followed by a link to the callback.
    follow_up_note: "Это звонок клиенту, которому обещали перезвонить: приветствие и стандарт входящего звонка не нужны, запишите, о чём клиент спрашивает ещё.",
        "This is a call to a client who was promised a callback: no greeting or incoming-call script, log what else the client asks.";
    /// Empty choice of a select.
    choose: "— не выбрано —",
        "— none —";
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
    /// Top menu: administration (short: the admin's menu is the longest, and fits one line at
    /// 1366 px).
    nav_admin: "Управление",
        "Administration";
    /// Button.
    logout: "Выйти",
        "Log out";
    /// Header: the link that switches this browser's pages to the other language, named in it.
    other_language: "English",
        "Русский";
    /// Header: the other language's code (where the switch goes).
    other_language_code: "en",
        "ru";
    /// Header: the switch's hint.
    other_language_hint: "Показывать страницы на английском в этом браузере",
        "Show the pages in Russian in this browser";
    /// Any page: a request the server never answered (the network is down).
    no_connection: "нет связи с сервером",
        "no connection to the server";
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
    /// Login refused: the right password of a disabled account.
    login_disabled: "Эта учётная запись отключена. Обратитесь к администратору.",
        "This account is disabled. Ask your administrator.";
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
    /// Under it, for a person: their role now (an admin may have changed it).
    forbidden_your_role: "Ваша роль сейчас: {}.",
        "Your role now: {}.";
    /// Said on the desk after its card was saved.
    card_saved: "Карточка звонка сохранена.",
        "The call card is saved.";
    /// Desk: the caller's open callback was closed from this call.
    card_callback_closed: "Перезвон закрыт: с клиентом поговорили на этом звонке.",
        "The callback is closed: the caller was helped on this call.";
    /// Another manager's callback opened or changed by a manager (handed over meanwhile, say).
    /// {whose it is now}
    callback_not_yours: "Этот перезвон теперь у менеджера {}. Передать его вам может руководитель.",
        "This callback is now manager {}'s. A head can hand it over to you.";
    /// The same, a callback left to the heads meanwhile.
    callback_not_yours_nobody: "Этот перезвон больше не ваш: он ждёт, кому его отдаст руководитель.",
        "This callback is no longer yours: it waits for a head to give it out.";
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
    audit_title: "Журнал действий",
        "Activity log";
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
    /// A token's state (a token is masculine in Russian, an account feminine).
    token_active: "действует",
        "active";
    /// Account state.
    state_disabled: "отключена",
        "disabled";
    /// Choice: let the program decide (by earlier calls).
    kind_auto: "Определится по телефону и компании",
        "Decided from the phone and company";
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
    /// Error: the answer asked for was retired from search ({}: its last title).
    error_retired_answer: "Ответ «{}» убран из поиска. Его история сохранена: редактор может вернуть ответ.",
        "The answer “{}” was retired from search. Its history is kept: an editor can bring it back.";
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
    problem_expected_text: "нужна строка",
        "expected a string";
    /// Not a time.
    problem_expected_time: "нужно время, например 2026-11-28T10:15:00+03:00",
        "expected a time such as 2026-11-28T10:15:00+03:00";
    /// A due time typed on a page that is none.
    problem_expected_due_time: "нужно время — например, завтра в 10, через 2 часа, в пятницу после обеда, 17.12 в 15:30",
        "expected a time, e.g. tomorrow at 10, in 2 hours, Friday afternoon, 17 Dec at 3:30 pm";
    /// A due time typed with a day no calendar has. {the day as typed}
    problem_no_such_date: "такой даты нет: {}",
        "no such date: {}";
    /// A due time typed with an hour or minute no clock shows. {the time as typed}
    problem_no_such_time: "такого времени нет: {} (часы от 0 до 23, минуты от 0 до 59)",
        "no such time: {} (hours 0 to 23, minutes 0 to 59)";
    /// Not a date.
    problem_expected_date: "нужна дата, например 2026-11-28",
        "expected a date such as 2026-11-28";
    /// Not a phone number or an e-mail address.
    problem_expected_phone: "нужен номер телефона (например +7 495 123-45-67, доб. 12) или e-mail",
        "expected a phone number (e.g. +7 495 123-45-67 ext. 12) or an e-mail address";
    problem_outcome_to_end: "выберите итог звонка, чтобы его завершить (или сохраните карточку без завершения)",
        "choose how the call ended to end it (or save the card without ending it)";
    problem_say_why: "напишите, что случилось: «Другое» само этого не говорит",
        "say what happened: “Other” does not say it";
    problem_russian_digits: "после +7 нужно 10 цифр, а набрано {}: проверьте номер (например +7 495 123-45-67)",
        "a number with +7 needs 10 digits after it, {} typed: check the number (e.g. +7 495 123-45-67)";
    problem_not_a_digit: "«{}» в номере — не цифра: наберите номер цифрами (например +7 495 123-45-67)",
        "“{}” in the number is not a digit: type the number in digits (e.g. +7 495 123-45-67)";
    /// Not an e-mail address.
    problem_expected_email: "нужен адрес e-mail, например ivanov@example.ru",
        "expected an e-mail address, e.g. ivanov@example.com";
    /// Empty.
    problem_empty: "не может быть пустым",
        "cannot be empty";
    /// Not a boolean.
    problem_expected_bool: "нужно true или false",
        "expected true or false";
    /// Not one of the words, which follow.
    problem_one_of: "нужно одно из: {}",
        "expected one of: {}";
    /// On a page, a value of its address no link gives (edited by hand, or an old link).
    problem_address_value: "в адресе страницы значение, которого здесь нет: откройте её заново по ссылке из отчёта",
        "the page's address has a value that does not exist here: open it again from the report's link";
    /// A field the request may not carry.
    problem_unknown: "неизвестное поле",
        "unknown field";
    /// Missing.
    problem_required: "обязательное поле",
        "required";
    /// The body a new answer's form starts with, in the interface's language (the Russian one
    /// is `templates/answer.md`'s).
    new_answer_body: "**Скажите клиенту:** Спасибо за вопрос. Сейчас уточню и передам менеджеру — он перезвонит вам сегодня.\n\nОтвет ещё пишется. Запишите контакты клиента и суть вопроса; редакторы дополнят этот текст.",
        "**Tell the caller:** Thank you for asking. I will check and pass it to a manager, who will call you back today.\n\nThis answer is still being written. Take the caller's contacts and the gist of the question; editors will complete this text.";
    /// A field's problem named by the field's label.
    field_said: "«{}»: {}",
        "“{}”: {}";
    /// A callback promised on a card without a phone or e-mail.
    problem_nothing_to_call_back: "чтобы перезвонить, нужен телефон или e-mail клиента",
        "a callback needs the caller's phone or e-mail";
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
    problem_before_from: "не может быть раньше начала периода",
        "must not be before the period's start";
    /// A call's end before its start.
    problem_before_start: "не может быть раньше начала звонка",
        "must not be before the call's start";
    /// An operator naming another as the call's operator.
    problem_only_yourself: "записать звонок можно только на себя",
        "a call can be recorded only as yours";
    /// A token and an account of one name.
    problem_named_like_another: "так уже зовут учётную запись или токен, а звонки записываются по имени: выберите другое",
        "an account or a token already goes by this name, and calls are recorded by name: choose another";
    /// A call's change that would change a callback its manager ({}) now holds.
    problem_callback_held: "перезвон по этому звонку уже в работе у менеджера {}: изменить его может этот менеджер или руководитель",
        "the callback of this call is being worked on by manager {}: that manager or a head can change it";
    /// The same, a callback nobody owns.
    problem_callback_held_nobody: "перезвон по этому звонку уже в работе: изменить его может руководитель",
        "the callback of this call is being worked on: a head can change it";
    /// Quotation marks around a caller's words or a title in running text.
    quote_open: "«",
        "“";
    /// The closing one.
    quote_close: "»",
        "”";
    /// A colleague's call claimed or cleared ({}: who took it).
    problem_taken_by: "этот звонок принял(а) {}; записать его на другого может руководитель",
        "{} took this call; a head can record it as someone else's";
    /// A card's field a colleague saved meanwhile.
    problem_changed_meanwhile: "пока карточка была открыта, здесь сохранили другое значение",
        "another value was saved here while the card was open";
    /// A `seen` sent back to the API that is not one it gave.
    problem_not_seen_token: "это не значение `seen`, которое даёт GET /api/calls/{id}: прочитайте звонок заново",
        "not a `seen` value as GET /api/calls/{id} gives it: read the call again";
    /// Both ends of a period unreadable.
    problem_expected_dates: "ни начало, ни конец не даты: нужны даты, например 2026-11-28",
        "neither the start nor the end is a date: expected dates such as 2026-11-28";
    /// Too long a period.
    problem_range_too_long: "не больше {} после начала периода",
        "at most {} after the start of the period";
    /// Past the calendar.
    problem_too_far_ahead: "слишком далеко в будущем",
        "too far in the future";
    /// A password too short.
    problem_password_short: "пароль должен быть не короче {} символов",
        "the password must have at least {} characters";
    /// A password with spaces at its ends.
    problem_password_space: "пароль не должен начинаться или заканчиваться пробелом",
        "the password must not start or end with a space";
    /// A password that is one short piece repeated.
    problem_password_repeated: "пароль не должен быть одним повторённым куском, как «ivanivanivan» или «1111111111»",
        "the password must not be one piece repeated, such as “ivanivanivan” or “1111111111”";
    /// A new password that is the current one.
    problem_password_unchanged: "новый пароль должен отличаться от нынешнего",
        "the new password must differ from the current one";
    /// A login of other characters.
    problem_bad_login: "от 1 до 64 латинских букв, цифр, «.», «_» или «-», хотя бы одна буква или цифра",
        "use 1 to 64 Latin letters, digits, `.`, `_` or `-`, at least one letter or digit";
    /// A login someone has.
    problem_login_taken: "такой логин уже есть",
        "this login is taken";
    /// Not a JSON object.
    problem_expected_object: "нужен объект JSON",
        "expected a JSON object";

    // ---- the desk screen and the call card ----
    /// Field label: the caller's first question on the new-call card.
    field_question: "Вопрос клиента",
        "Caller's question";
    /// Placeholder of that field.
    question_placeholder_card: "если уже прозвучал",
        "if already asked";
    /// Choice: decide the potential-client mark from the kind of call.
    potential_auto: "Да, если новый клиент",
        "Yes if a new client";
    /// Beside a value taken from the caller's earlier calls.
    proposed_from_earlier: "из прежних звонков",
        "from earlier calls";
    /// A returning caller recognised on the new-call card; the number of earlier calls follows.
    returning_calls: "Звонил(а) раньше, звонков: {}",
        "Has called before: {} calls";
    /// The same, recognised by the company alone: others from it called, not this caller.
    returning_company_calls: "Из «{}» уже звонили, звонков: {}",
        "Others from “{}” called before: {} calls";
    /// The part of the card for the end of the call.
    ending_title: "Итог звонка",
        "End of the call";
    /// Status after a question is logged.
    logged_hint: "Вопрос записан. ↓ — выбрать ответ, Enter — связать; или пишите следующий вопрос.",
        "Question logged. ↓ to choose an answer, Enter to link it; or type the next question.";
    /// Desk: the question logged last was deleted; nothing to link a result to.
    question_deleted: "Вопрос удалён. Пишите следующий вопрос.",
        "Question deleted. Type the next question.";
    /// Status on opening a call whose last question has no answer yet (the card's first
    /// question): it stands in the box; the question follows.
    standing_hint: "«{}» записан без ответа. ↓ — выбрать ответ, Enter — связать; или пишите следующий вопрос.",
        "“{}” is logged without an answer. ↓ to choose an answer, Enter to link it; or type the next question.";
    /// Status when the words typed are a question already logged on this call (not logged
    /// again); the question follows.
    already_logged: "«{}» уже записан. ↓ — выбрать ответ, Enter — связать; или пишите следующий вопрос.",
        "“{}” is logged already. ↓ to choose an answer, Enter to link it; or type the next question.";
    /// Status when Enter is pressed with no answer chosen on the words of a logged question
    /// reworded in the box (searched better, not a new question); the question follows.
    reworded_hint: "Это вопрос «{}», он уже записан. ↓ — выбрать ответ, Enter — связать с ним; новый вопрос пишите в пустой строке.",
        "This is “{}”, logged already. ↓ to choose an answer, Enter to link it; type a new question into an empty box.";
    /// Status after a link: the question and the answer's title follow.
    linked_status: "Связано: «{}» → {} · Esc — отменить",
        "Linked: “{}” → {} · Esc to undo";
    /// Status after a link was undone.
    unlinked_status: "Связь отменена: вопрос без ответа.",
        "Link undone: the question has no answer.";
    /// A change on its way to the server.
    saving: "Сохраняется…",
        "Saving…";
    /// A change the server did not take; the reason follows.
    save_failed: "Не сохранено: {}.",
        "Not saved: {}.";
    /// A change the server refused as it stands; the reason follows.
    save_refused: "Не сохранено и пропущено: {}",
        "Not saved, skipped: {}";
    /// A question logged with an answer that was retired meanwhile: kept with none.
    answer_gone: "Ответа «{}» больше нет: вопрос записан без ответа",
        "The answer «{}» is gone: the question is logged with no answer";
    /// Deleting a question logged by mistake.
    delete_question: "Удалить вопрос",
        "Delete the question";
    /// Confirmation of that.
    delete_confirm: "Удалить этот вопрос из записи звонка?",
        "Delete this question from the call record?";
    /// Button that tries a failed change again.
    retry: "Повторить",
        "Try again";
    /// Button in the answer panel that links it to the last question.
    link_this: "Связать с вопросом",
        "Link to the question";
    /// Button that closes the answer panel.
    close_answer: "Закрыть",
        "Close";
    /// Stands for a value the script needs and the card does not have yet.
    placeholder_name: "имя",
        "name";
    /// Same, the phone.
    placeholder_phone: "телефон или e-mail",
        "phone or email";
    /// Same, the company.
    placeholder_company: "компания",
        "company";
    /// Same, the topic.
    placeholder_topic: "тема",
        "topic";
    /// Same, the manager.
    placeholder_manager: "менеджер",
        "manager";
    /// Same, the operator.
    placeholder_operator: "оператор",
        "operator";

    // ---- the search page: a question with no answer ----
    /// Heading of the form that logs a question with no answer.
    unanswered_title: "Записать вопрос без ответа",
        "Log a question with no answer";
    /// Label: on which call.
    unanswered_call: "На звонок",
        "On the call";
    /// Choice: a new call.
    unanswered_new_call: "новый звонок",
        "a new call";
    /// Button.
    unanswered_button: "Записать вопрос",
        "Log the question";

    // ---- administration ----
    /// Role name.
    role_operator: "Оператор",
        "Operator";
    /// Role name.
    role_manager: "Менеджер",
        "Manager";
    /// A role's name.
    role_editor: "Редактор",
        "Editor";
    /// Role name.
    role_head: "Руководитель продаж",
        "Head of sales";
    /// Role name.
    role_admin: "Администратор",
        "Administrator";
    /// Button: change an account's role.
    change_role: "Изменить",
        "Change";
    /// Account state: a new password is due.
    state_must_change: "ждёт смены пароля",
        "must change password";
    /// Button.
    enable_account: "Включить",
        "Enable";
    /// Button.
    disable_account: "Отключить",
        "Disable";
    /// Button.
    reset_password: "Сбросить пароль",
        "Reset password";
    /// Heading of the new-account form.
    add_account: "Новая учётная запись",
        "New account";
    /// Button.
    add_account_button: "Добавить",
        "Add";
    /// Hint under the new-account form.
    add_account_hint: "Пароль будет создан и показан один раз; при первом входе его нужно сменить.",
        "A password is made and shown once; it must be changed at the first login.";
    /// Heading.
    tokens_title: "Токены для программ",
        "Tokens for machines";
    /// No tokens yet.
    no_tokens: "Токенов нет.",
        "No tokens.";
    /// Column.
    col_token: "Название",
        "Name";
    /// Column.
    col_created: "Создан",
        "Created";
    /// Token state.
    state_revoked: "отозван",
        "revoked";
    /// Button.
    revoke_token: "Отозвать",
        "Revoke";
    /// Heading of the new-token form.
    create_token: "Новый токен (например, для АТС)",
        "New token (for the phone exchange, say)";
    /// Button.
    create_token_button: "Создать токен",
        "Create token";
    /// Link back to the admin page.
    back_to_admin: "← К администрированию",
        "← Back to administration";
    /// Title after adding an account.
    account_added: "Учётная запись добавлена",
        "Account added";
    /// Title after a password reset.
    password_reset: "Пароль сброшен",
        "Password reset";
    /// Whose password is shown; the login follows.
    password_for: "Пароль для {}:",
        "Password for {}:";
    /// Under a password shown once.
    password_once_hint: "Передайте его сотруднику: он показан только сейчас и при первом входе будет заменён.",
        "Hand it over: it is shown only now and must be replaced at the first login.";
    /// Title after creating a token.
    token_created: "Токен создан",
        "Token created";
    /// Whose token is shown; the name follows.
    token_for: "Токен «{}» (передавайте в заголовке Authorization: Bearer):",
        "Token `{}` (send it as Authorization: Bearer):";
    /// Under a token shown once.
    token_once_hint: "Сохраните его сейчас: он показан только один раз.",
        "Keep it now: it is shown only once.";
    /// A new password's or token's page opened again (reloaded, or after ten minutes).
    secret_gone: "Пароль или токен показывается один раз, и он уже был показан. Если вы его не сохранили, сбросьте пароль или создайте токен заново.",
        "A password or token is shown once, and this one was shown already. If you did not keep it, reset the password or create the token again.";
    /// Refused: the last admin.
    last_admin: "Это последний администратор: сначала назначьте другого.",
        "This is the last administrator: make another one first.";
    /// Confirmation before disabling an account.
    confirm_disable: "Отключить учётную запись? Её сеансы закончатся.",
        "Disable the account? Its sessions end.";
    /// The same for a manager who owns open callbacks: they go to the heads, who give them out.
    confirm_disable_owner: "Отключить учётную запись? Её сеансы закончатся, а её открытые перезвоны ({}) останутся без менеджера: их раздадут руководители. Включение их не вернёт.",
        "Disable the account? Its sessions end, and its open callbacks ({}) are left with no manager: the heads give them out. Enabling it again does not bring them back.";
    /// Confirmation before a password reset.
    confirm_reset: "Сбросить пароль? Прежний перестанет действовать.",
        "Reset the password? The old one stops working.";
    /// Confirmation before revoking a token.
    confirm_revoke: "Отозвать токен? Программа, которая им пользуется, перестанет работать.",
        "Revoke the token? The program using it stops working.";
    /// Refused: an admin disabling their own account.
    self_disable: "Свою учётную запись отключить нельзя.",
        "You cannot disable your own account.";
    /// Notice after an admin change.
    admin_saved: "Сохранено.",
        "Saved.";
    /// Admin: notice after a role change.
    admin_done_role: "Роль учётной записи {}: «{}».",
        "The role of {}: “{}”.";
    /// Admin: notice after a role is saved, for an account no longer listed.
    admin_saved_role: "Роль учётной записи {} сохранена.",
        "The role of {} is saved.";
    /// Admin: notice after a profile is saved.
    admin_done_profile: "Имя, e-mail и внутренний номер {} сохранены.",
        "The name, e-mail and extension of {} are saved.";
    /// Admin: notice after an account is disabled.
    admin_done_disabled: "Учётная запись {} отключена.",
        "The account {} is disabled.";
    /// Admin: notice after an account is enabled.
    admin_done_enabled: "Учётная запись {} включена.",
        "The account {} is enabled.";
    /// Admin: notice after a token is revoked.
    admin_done_revoked: "Токен {} отозван.",
        "The token {} is revoked.";
    /// Hint under the token form.
    token_name_hint: "Название: латинские буквы, цифры, «.», «_» или «-», например pbx.",
        "Name: letters, digits, `.`, `_` or `-`, e.g. pbx.";
    /// A page opened by a method it does not take (a refreshed form result).
    error_method: "Эта страница открывается только из формы. Вернитесь назад и повторите.",
        "This page opens only from its form. Go back and try again.";
    /// API error: a role below the route's.
    forbidden_api: "у вашей роли нет прав на этот запрос",
        "your role may not make this request";
    /// API error: a method the route does not take.
    error_method_api: "этот адрес не принимает такой метод запроса (см. README, раздел API)",
        "this route does not take this request method (see the README's API section)";
    /// Refused: a live token has this name.
    token_taken: "Токен с таким названием уже есть: отзовите его или выберите другое.",
        "A token with this name exists: revoke it or choose another name.";
    /// Audit action: viewed.
    action_view: "просмотр",
        "viewed";
    /// Audit action: changed.
    action_change: "изменение",
        "changed";
    /// Audit action: logged in.
    action_login: "вход",
        "logged in";
    /// Audit action: a failed login.
    action_login_failed: "неудачный вход",
        "failed login";
    /// Audit action: own password changed.
    action_password: "смена пароля",
        "password changed";
    /// Audit action: an account changed.
    action_account: "учётная запись",
        "account";
    /// Audit action: a token changed.
    action_token: "токен",
        "token";
    /// Audit action: personal data erased.
    action_erase: "удаление личных данных",
        "personal data erased";
    /// Audit action: calls exported.
    action_export: "выгрузка",
        "export";
    /// Audit action: a backup restored.
    action_restore: "восстановление из копии",
        "restore";

    // ---- typical questions: the editors' queue ----
    /// Top menu: the queue.
    nav_groups: "Типовые вопросы",
        "Typical questions";
    /// Title of the queue.
    groups_title: "Типовые вопросы без ответа",
        "Typical questions with no answer";
    /// Hint on the queue.
    groups_hint: "Похожие вопросы клиентов собраны в группы: самые частые и быстро растущие — первыми. Свяжите группу с ответом, напишите новый ответ или отклоните её.",
        "Similar caller questions are grouped: the most asked and fastest-growing first. Link a group to an answer, write a new answer, or dismiss it.";
    /// The queue is empty.
    groups_empty: "Очередь пуста: каждый вопрос клиентов связан с ответом или отклонён.",
        "The queue is empty: every caller question is linked to an answer or dismissed.";
    /// How many questions; the number follows.
    group_count: "вопросов: {}",
        "questions: {}";
    /// How many this week.
    group_recent: "за неделю: {}",
        "this week: {}";
    /// First and last asked.
    group_asked: "с {} по {}",
        "from {} to {}";
    /// Label before similar answers.
    group_similar: "Похоже на ответы",
        "Resembles";
    /// Label of the answer choice.
    group_link_to: "Связать с ответом",
        "Link to an answer";
    /// Button.
    group_link_button: "Связать",
        "Link";
    /// Label of the new answer's title.
    group_new_title: "Заголовок нового ответа",
        "The new answer's title";
    /// Button.
    group_write_button: "Написать ответ",
        "Write an answer";
    /// Button.
    group_dismiss_button: "Не для базы знаний",
        "Not for the knowledge base";
    /// Confirmation.
    group_dismiss_confirm: "Отклонить группу? Похожие вопросы больше не попадут в очередь.",
        "Dismiss the group? Similar questions will no longer reach the queue.";
    /// Link to a group's page.
    group_more: "Разобрать группу →",
        "Sort it out →";
    /// Link back to the queue.
    back_to_groups: "← К типовым вопросам без ответа",
        "← Back to typical questions with no answer";
    /// Link back to the group an answer's page was opened from.
    back_to_group: "← К группе вопросов",
        "← Back to the group";
    /// Label of the merge target.
    group_merge_into: "Объединить с группой",
        "Merge into the group";
    /// Button.
    group_merge_button: "Объединить",
        "Merge";
    /// Heading of the phrasings.
    group_phrasings: "Как спрашивают клиенты",
        "How callers ask";
    /// Button.
    group_split_button: "Выделить отмеченные в новую группу",
        "Split the checked ones into a new group";
    /// Heading of the move forms.
    group_move_title: "Перенести вопрос в другую группу",
        "Move a question to another group";
    /// Label of the move target.
    group_move_to: "В группу",
        "To the group";
    /// Button.
    group_move_button: "Перенести",
        "Move";
    /// A group that does not exist.
    error_no_group: "Группы № {} нет в очереди: её уже связали с ответом, объединили с другой (страница устарела) или её не было. Откройте очередь заново.",
        "Group {} is not in the queue: it was linked to an answer or merged into another meanwhile (the page is out of date), or never was. Open the queue again.";
    /// Merging a group into itself.
    problem_same_group: "группу нельзя объединить саму с собой",
        "a group cannot be merged into itself";
    /// A group split given a question that is not in the group.
    problem_not_in_group: "вопроса {} нет в этой группе",
        "question {} is not in this group";
    /// Asked before a group is merged into the one chosen.
    group_merge_confirm: "Объединить эту группу с выбранной? Её вопросы перейдут туда.",
        "Merge this group into the one chosen? Its questions move there.";
    /// The questions of a group, named in what was wrong with a split.
    field_questions: "Вопросы",
        "Questions";
    /// A single callback still open (its state after an attempt).
    callback_still_open: "открыт",
        "open";
    /// A group split that would take all of its questions.
    problem_whole_group: "в группе должен остаться хотя бы один вопрос",
        "at least one question must stay in the group";
    /// An extension another account has.
    problem_extension_taken: "этот внутренний номер уже у «{}»",
        "this extension belongs to “{}” already";
    /// A display name another account has ({}: its login).
    problem_display_name_taken: "такое имя уже у «{}»: карточки и перезвоны их не различат, добавьте отчество или инициал",
        "“{}” has this name already: cards and callbacks could not tell them apart; add a middle name or an initial";
    /// A slug of other characters.
    problem_bad_slug: "только строчные латинские буквы, цифры и дефисы (папка — через «/»), например skolko-stoit-vyezd или ceny/vyezd",
        "use lowercase Latin letters, digits and hyphens (a folder before a “/”), e.g. visit-price or prices/visit";
    /// A slug that uses a word of the pages' addresses.
    problem_reserved_slug: "«{}» — служебное слово адресов страниц: выберите другое имя файла",
        "“{}” is a word the pages' addresses use: choose another name";
    /// A slug taken.
    problem_slug_taken: "ответ «{}» уже есть: выберите другое имя файла",
        "an answer “{}” exists already: choose another file name";
    /// The name of a retired answer ({}: its title).
    problem_slug_retired: "это имя было у убранного ответа «{}»: его вопросы и история остаются за ним; выберите другое имя файла или верните тот ответ из его истории",
        "this name belonged to the retired answer «{}»: its questions and history stay with it; choose another name, or bring that answer back from its history";
    /// A title taken.
    problem_title_taken: "такой заголовок уже у ответа `{}`",
        "the answer `{}` has this title";
    /// Audit action: a group decided.
    action_group: "типовой вопрос",
        "typical question";
    /// Audit action: an answer written.
    action_answer: "ответ",
        "answer";
    /// Menu link to the reports.
    nav_reports: "Отчёты",
        "Reports";
    /// Menu link to the cheat sheet.
    nav_cheat_sheet: "Шпаргалка",
        "Cheat sheet";
    /// Title of the question frequency report.
    report_questions_title: "О чём спрашивают",
        "What callers ask";
    /// Title of the desk figures.
    report_desk_title: "Работа ресепшн",
        "Desk figures";
    /// Period form: first day.
    report_from: "С",
        "From";
    /// Period form: last day.
    report_to: "по",
        "to";
    /// A report's start, named in what was wrong with it.
    field_period_from: "Начало периода",
        "Period start";
    /// A report's end, named in what was wrong with it.
    field_period_to: "Конец периода",
        "Period end";
    /// A period's both ends, named together.
    field_period: "Период",
        "Period";
    /// A report's file format (`format`), named in what was wrong with it.
    field_format: "Формат файла",
        "File format";
    /// Which of a report's figures a list of its calls or callbacks is (`counted`), named in
    /// what was wrong with it.
    field_counted: "Показатель отчёта",
        "Report figure";
    /// Period form: which calls.
    report_kind: "Звонки",
        "Calls";
    /// Calls of every kind.
    report_kind_all: "все",
        "all";
    /// Calls of new clients, named as the report's columns name them.
    report_kind_primary: "первичные (новые клиенты)",
        "primary (new clients)";
    /// Calls of existing clients, named as the report's columns name them.
    report_kind_secondary: "вторичные (уже работают с нами)",
        "secondary (existing clients)";
    /// Period form button.
    report_show: "Показать",
        "Show";
    /// Link to the CSV file.
    report_csv: "Скачать для Excel (CSV)",
        "Download for Excel (CSV)";
    /// Column: the typical question.
    report_col_question: "Типовой вопрос",
        "Typical question";
    /// Column: asked.
    report_col_count: "Вопросов",
        "Asked";
    /// Column: on primary calls.
    report_col_primary: "Первичные",
        "Primary";
    /// Column: on secondary calls.
    report_col_secondary: "Вторичные",
        "Secondary";
    /// Column: per week.
    report_col_weeks: "По неделям",
        "By week";
    /// Column: the period before.
    report_col_previous: "Прошлый период",
        "Previous period";
    /// Column: the change.
    report_col_change: "Изменение",
        "Change";
    /// Column: has an answer.
    report_col_answered: "Ответ",
        "Answer";
    /// A typical question with an answer.
    report_answered: "есть",
        "yes";
    /// A typical question without one.
    report_unanswered: "нет ответа",
        "none yet";
    /// Column of the CSV: key.
    report_col_key: "Ключ для сводных таблиц",
        "Key for joining tables";
    /// Nothing asked in the period.
    report_nothing: "За этот период вопросов нет.",
        "No questions in this period.";
    /// Under the questions report filtered by the kind of call: the searches below are not.
    report_searches_unfiltered: "Поиски ниже — за весь период, по всем звонкам: поиск не знает, новый ли звонит клиент.",
        "The searches below are of the whole period, all calls: a search does not know whether the caller is new.";
    /// Under the questions report: questions in groups the editors dismissed, in no row.
    report_dismissed: "Ещё вопросов за период: {} — в группах, которые редакторы отметили «не для базы знаний»; в таблице их нет (список — в очереди редакторов, «Отклонённые»).",
        "Questions of the period in groups the editors marked “not for the knowledge base”: {}; they are in no row (listed in the editors' queue, “Dismissed”).";
    /// Heading: searches that found nothing.
    report_no_result: "Искали, но ничего не нашли",
        "Searched, found nothing";
    /// Heading: searches where nothing was chosen.
    report_unchosen: "Нашли, но ничего не выбрали",
        "Found, nothing chosen";
    /// Column: the search.
    report_col_search: "Запрос",
        "Search";
    /// Column: times.
    report_col_times: "Раз",
        "Times";
    /// No searches of the kind.
    report_no_searches: "Таких поисков не было.",
        "No such searches.";
    /// The period shown, `{}`: from, to.
    report_period: "Период: {} — {}",
        "Period: {} to {}";
    /// Column: the ISO week.
    report_col_week: "Неделя",
        "Week";
    /// Column: operator.
    report_col_operator: "Оператор",
        "Operator";
    /// Column: calls.
    report_col_calls: "Звонков",
        "Calls";
    /// Column: potential clients.
    report_col_potential: "Потенциальные",
        "Potential";
    /// Column: potential clients who left a contact.
    report_col_contacts: "Оставили контакт",
        "Left a contact";
    /// Column: capture rate.
    report_col_capture: "Доля контактов",
        "Capture rate";
    /// Column: callbacks asked.
    report_col_callbacks: "Перезвонить",
        "Callbacks";
    /// Column: callbacks made.
    report_col_callbacks_done: "Перезвонили",
        "Called back";
    /// Row: the whole period.
    report_total: "Итого",
        "Total";
    /// Heading: by week.
    report_by_week: "По неделям",
        "By week";
    /// Heading: by operator.
    report_by_operator: "По операторам",
        "By operator";
    /// An operator not recorded.
    report_nobody: "(не указан)",
        "(not recorded)";
    /// Who took a call the phone exchange says was answered on an extension no account has
    /// (recorded as `ext:105`). {extension}
    operator_extension: "доб. {}",
        "ext. {}";
    /// The operators' row of the calls nobody answered (missed, kept for their callback).
    report_unanswered_row: "(никто не ответил: пропущенные)",
        "(nobody answered: missed)";
    /// Chart caption, `{}`: the typical question.
    report_chart_label: "Вопросов по неделям: {}",
        "Questions per week: {}";
    /// Title of the cheat sheet.
    cheat_title: "Шпаргалка ресепшн: частые вопросы новых клиентов",
        "Desk cheat sheet: what first-time callers ask most";
    /// Under the title, `{}`: the date, the first and last day counted.
    cheat_dated: "Составлена {} по звонкам с {} по {}",
        "Made on {} from calls of {} to {}";
    /// Print button.
    cheat_print: "Печать",
        "Print";
    /// Times asked, `{}`: count.
    cheat_asked: "спрашивали {}",
        "asked {}";
    /// No answers yet.
    cheat_empty: "Ответов для новых клиентов пока нет.",
        "No answers for first-time callers yet.";
    /// Card: the callback it promised is done (by its manager, or by the caller calling again).
    field_callback_done: "Перезвон выполнен",
        "Callback done";
    /// Link to the editors' workbench pages.
    nav_review: "Проверка ответов",
        "Answers to review";
    /// Link on an answer's page.
    edit_link: "Изменить",
        "Edit";
    /// Link on an answer's page and the edit form.
    history_link: "История",
        "History";
    /// Title of the edit form, `{}`: the answer's title.
    edit_title: "Правка ответа: {}",
        "Editing: {}";
    /// Title of the new-answer form.
    new_answer_title: "Новый ответ",
        "New answer";
    /// Link to the new-answer form.
    new_answer_link: "Написать новый ответ",
        "Write a new answer";
    /// Field: the typical question.
    edit_field_title: "Типовой вопрос (заголовок)",
        "Typical question (title)";
    /// Field: callers' phrasings.
    edit_field_questions: "Как ещё спрашивают клиенты (по одной фразе в строке)",
        "Other ways callers ask (one per line)";
    /// Field: audience.
    edit_field_audience: "Для кого",
        "Audience";
    /// Field: tags.
    edit_field_tags: "Темы (через запятую)",
        "Topics (comma-separated)";
    /// Field: review date.
    edit_field_reviewed: "Проверено",
        "Reviewed";
    /// Field: the body.
    edit_field_body: "Текст ответа (markdown). Первый абзац — что сказать клиенту",
        "Answer text (markdown). The first paragraph is what to say";
    /// Field: the file name.
    edit_field_slug: "Имя файла (латиница, цифры, дефисы; папка — через «/»)",
        "File name (Latin letters, digits, hyphens; a folder before a “/”)";
    /// Heading of the preview.
    edit_preview: "Так ответ увидит оператор",
        "How the operator sees it";
    /// Save button.
    edit_save: "Сохранить",
        "Save";
    /// Create button.
    edit_create: "Создать ответ",
        "Create the answer";
    /// Shown while the preview is out of date.
    edit_preview_updating: "обновляется…",
        "updating…";
    /// The text is over the size limit, `{}`: KB.
    edit_too_large: "Текст длиннее {} КБ: сократите его или разделите на несколько ответов. Набранное не потеряно.",
        "The text is over {} KB: shorten it or split it into several answers. What you typed is kept.";
    /// Conflict heading.
    edit_conflict_title: "Ответ изменился, пока вы его правили",
        "The answer changed while you were editing it";
    /// Conflict explanation.
    edit_conflict_text: "Ваш текст не сохранён, но и не потерян: он в форме. Под формой — чем файл сейчас отличается от вашего текста. Перенесите в форму нужное из него и сохраните ещё раз.",
        "Your text is not saved, and not lost: it is in the form. Below the form is how the file now differs from your text. Bring over what you need from it and save again.";
    /// Conflict: the file is gone.
    edit_conflict_gone: "Файла этого ответа больше нет (его убрали или переименовали). Ваш текст в форме.",
        "This answer's file is gone (retired or renamed). Your text is in the form.";
    /// The same when it was retired meanwhile.
    edit_conflict_retired: "Пока форма была открыта, этот ответ убрали из поиска. Ваш текст в форме: его можно сохранить как новый ответ, а прежний ответ — вернуть из его истории.",
        "While the form was open, this answer was retired. Your text is in the form: save it as a new answer, or bring the old answer back from its history.";
    /// Button: the edit form's text saved as a new answer.
    edit_save_as_new: "Сохранить как новый ответ",
        "Save as a new answer";
    /// Said on a group's page and a new answer's form: the answer the group was linked to was retired. {title}
    group_linked_retired: "Группа была связана с ответом «{}», но его убрали из поиска.",
        "The group was linked to “{}”, which was retired.";
    /// After it, on a new answer's form.
    new_answer_group_relinked: "Новый ответ будет связан с группой вместо него.",
        "The new answer is linked to the group instead.";
    /// The answer renamed while its form was open ({}: the new file name).
    edit_conflict_renamed: "Пока форма была открыта, ответ переименовали: теперь его файл «{}». Ваш текст в форме, ответ как он есть сейчас — рядом; «Сохранить» запишет ваш текст под новым именем.",
        "While the form was open, the answer was renamed: its file is now “{}”. Your text is in the form, the answer as it is now beside it; «Save» writes your text under the new name.";
    /// Conflict panel heading.
    edit_conflict_current: "Сейчас в файле",
        "In the file now";
    /// Conflict panel heading, when the file is compared with the editor's text.
    edit_conflict_compared: "Чем файл сейчас отличается от вашего текста",
        "How the file now differs from your text";
    /// What the marks of that comparison mean.
    edit_conflict_legend: "− только в файле (сохранено, пока форма была открыта) · + только у вас · без знака — одинаково",
        "− only in the file (saved while the form was open) · + only yours · unmarked: the same in both";
    /// Problems heading.
    edit_problems: "Ответ не сохранён: исправьте отмеченное.",
        "Not saved: fix what is marked.";
    /// Notice after a save.
    edit_saved: "Сохранено. Поиск уже показывает новый текст.",
        "Saved. Search shows the new text already.";
    /// Editor: notice after a rename.
    edit_saved_renamed: "Файл переименован: ссылки на старое имя ведут сюда.",
        "The file is renamed: links to the old name lead here.";
    /// Editor: notice after marking an answer checked.
    edit_saved_reviewed: "Отмечено: ответ проверен сегодня.",
        "Marked: the answer was checked today.";
    /// Retire section.
    edit_retire_title: "Убрать ответ из поиска",
        "Take the answer out of search";
    /// Retire explanation.
    edit_retire_text: "Файл удаляется, история и связи с вопросами клиентов остаются; ответ можно вернуть из истории.",
        "The file is removed; its history and the links of callers' questions stay; it can be restored from the history.";
    /// Retire button.
    edit_retire_button: "Убрать из поиска",
        "Retire";
    /// Retire confirmation.
    edit_retire_confirm: "Убрать этот ответ из поиска? Его можно будет вернуть из истории.",
        "Retire this answer? It can be restored from the history.";
    /// Rename section.
    edit_rename_title: "Переименовать файл",
        "Rename the file";
    /// Rename field.
    edit_rename_to: "Новое имя",
        "New name";
    /// Rename button.
    edit_rename_button: "Переименовать",
        "Rename";
    /// Rename explanation.
    edit_rename_text: "Старый адрес будет вести на новый; вопросы клиентов, группы и отчёты перейдут на новое имя.",
        "The old address will lead to the new one; callers' questions, groups and reports follow.";
    /// Mark reviewed button.
    edit_mark_reviewed: "Проверено сегодня",
        "Reviewed today";
    /// History page title, `{}`: the answer.
    history_title: "История ответа: {}",
        "History: {}";
    /// Column: a version's number.
    history_number: "№",
        "Version";
    /// Column: when.
    history_when: "Когда",
        "When";
    /// Column: who.
    history_who: "Кто",
        "Who";
    /// Column: how.
    history_how: "Что",
        "What";
    /// Who: the disk.
    history_on_disk: "файл на диске",
        "the file on disk";
    /// Link: the diff.
    history_show_diff: "изменения",
        "changes";
    /// Restore button.
    history_restore: "Вернуть эту версию",
        "Restore this version";
    /// Restore confirmation.
    history_restore_confirm: "Вернуть эту версию? Текущая останется в истории.",
        "Restore this version? The current one stays in the history.";
    /// Diff heading, `{}`: version number.
    history_diff_title: "Версия {}: что изменилось",
        "Version {}: what changed";
    /// Diff of a first version.
    history_first: "Версия {}: первая, весь текст",
        "Version {}: the first, the whole text";
    /// A callback's hand-over when there is no other manager to hand it to.
    hand_over_nobody: "Других менеджеров нет: их добавляет администратор (роль «менеджер»).",
        "There is no other manager: an admin adds them (role “manager”).";
    /// Heading of the list of versions.
    history_versions: "Все версии",
        "All versions";
    /// Column of the versions: the link to a version's changes.
    history_col_changes: "Изменения",
        "Changes";
    /// Column of the versions: the button that restores a version.
    history_col_restore: "Вернуть",
        "Restore";
    /// A removed version.
    history_removed: "Файл удалён.",
        "The file was removed.";
    /// Nothing changed.
    history_no_changes: "Текст не изменился.",
        "The text did not change.";
    /// How: loaded.
    how_loaded: "впервые загружен",
        "first loaded";
    /// How: saved.
    how_saved: "сохранён в браузере",
        "edited in the browser";
    /// How: created.
    how_created: "создан в браузере",
        "created in the browser";
    /// How: changed on disk.
    how_disk: "изменён на диске",
        "changed on disk";
    /// How: restored.
    how_restored: "восстановлен",
        "restored";
    /// How: retired.
    how_retired: "убран из поиска",
        "retired";
    /// How: renamed.
    how_renamed: "переименован",
        "renamed";
    /// How: reviewed.
    how_reviewed: "отмечен проверенным",
        "marked reviewed";
    /// History: the version a restore brought back.
    history_note_version: "версия {}",
        "version {}";
    /// History: the name a renamed answer had.
    history_note_from: "было: {}",
        "was: {}";
    /// Callback attempts: closed on a call of the caller («поговорили сейчас»).
    attempt_note_call: "на звонке № {}",
        "on call {}";
    /// Review page title.
    review_title: "Ответы, которые пора проверить",
        "Answers due for review";
    /// Review explanation, `{}`: days.
    review_text: "Ответы, которые не проверяли {} и дольше, самые старые сверху.",
        "Answers not checked for {} or more, oldest first.";
    /// Nothing due.
    review_none: "Все ответы проверены недавно.",
        "Every answer was checked recently.";
    /// Retired answers heading.
    review_retired: "Убранные из поиска ответы",
        "Retired answers";
    /// Said atop the review page after an answer was retired ({}: its title).
    review_retired_now: "Ответ {} убран из поиска; его история сохранена.",
        "The answer {} is retired from search; its history is kept.";
    /// Said atop the review page after an answer was marked checked ({}: its title).
    review_reviewed_now: "Ответ {} отмечен проверенным сегодня.",
        "The answer {} is marked reviewed today.";
    /// The link to a retired answer's history, where «Вернуть эту версию» brings it back.
    review_bring_back: "Вернуть: история ответа",
        "Bring it back: its history";
    /// Answer gone, history remains.
    review_retired_none: "Убранных ответов нет.",
        "No retired answers.";
    /// Problem: title required.
    edit_problem_line: "строка {}: {}",
        "line {}: {}";
    /// Link back to the answer's page.
    back_to_answer: "← К ответу",
        "← Back to the answer";
    /// A version that does not exist.
    error_no_version: "Версии № {} у этого ответа нет.",
        "This answer has no version {}.";
    /// Error: no such account or token.
    error_no_account: "Учётной записи или токена «{}» нет.",
        "There is no account or token `{}`.";
    /// Field problem: a time that has passed.
    problem_in_the_past: "это время уже прошло: выберите время позже",
        "this time has passed: choose a later one";
    /// Field problem: a callback done or lost already.
    problem_closed: "перезвон уже закрыт",
        "the callback is closed already";
    /// Field problem: no manager with this login or name.
    problem_no_such_manager: "нет менеджера «{}»",
        "there is no manager `{}`";
    /// Notice subject: a callback given to its owner. {who}, {due}.
    notice_assigned: "Перезвонить: {} — до {}",
        "Call back: {} by {}";
    /// Notice subject: a callback overdue.
    notice_overdue: "Просрочен перезвон: {} — был до {}",
        "Callback overdue: {} was due {}";
    /// Notice subject: a callback long overdue, for the heads.
    notice_escalated: "Никто не перезвонил: {} — был до {}",
        "Nobody called back: {} was due {}";
    /// Notice subject: a callback done.
    notice_done: "Перезвонили: {} (до {})",
        "Called back: {} (due {})";
    /// Notice subject: a callback done by the caller calling again before anyone tried.
    notice_done_by_caller: "Клиент позвонил сам, перезвон закрыт: {} (до {})",
        "The caller called again, callback closed: {} (due {})";
    /// Notice subject: a callback handed over to another manager, told to its owner before.
    notice_handed_away: "Перезвон передан другому менеджеру: {} (до {})",
        "Callback handed to another manager: {} (due {})";
    /// Notice subject: a callback lost.
    notice_lost: "Перезвон закрыт без результата: {} (до {})",
        "Callback lost: {} (due {})";
    /// Notice text: {subject}, {who}, {phone/e-mail}, {due}, {owner}, {id}.
    notice_body: "{}\n\nКлиент: {}\nКонтакт: {}\nПерезвонить до: {}\nОтветственный: {}\n\nПерезвон № {} — в callfaq, раздел «Перезвоны».\n",
        "{}\n\nCaller: {}\nContact: {}\nDue: {}\nOwner: {}\n\nCallback {} in callfaq, “Callbacks”.\n";
    /// Who owns a callback nobody owns.
    callbacks_unassigned: "не назначен",
        "unassigned";
    /// Error: no such callback.
    error_no_callback: "Перезвона № {} нет.",
        "There is no callback {}.";
    /// Error: a call whose caller has no open callback to close.
    error_no_callback_of_call: "У звонка № {} нет открытого перезвона.",
        "Call {} has no open callback.";
    /// Top menu: callbacks.
    nav_callbacks: "Перезвоны",
        "Callbacks";
    /// Tooltip of the menu's count of callbacks.
    callbacks_badge_title: "Ваши открытые перезвоны (в скобках — просроченные)",
        "Your open callbacks (overdue in brackets)";
    /// Tooltip of the menu's count of callbacks, for a head (everyone's are counted).
    callbacks_badge_title_all: "Открытые перезвоны всех менеджеров (в скобках — просроченные)",
        "Every manager's open callbacks (overdue in brackets)";
    /// In the list of callbacks: the time the caller was promised, when it was moved past it.
    callback_promised_by: "Клиенту обещали перезвонить до {}",
        "The caller was promised a call by {}";
    /// The days of the week, short, Monday first, separated by spaces.
    weekdays_short: "пн вт ср чт пт сб вс",
        "Mon Tue Wed Thu Fri Sat Sun";
    /// In the list of callbacks: the last attempt, handing over or moving.
    callback_last_attempt: "Последнее",
        "Last";
    /// Heading: a manager's own callbacks.
    callbacks_title_mine: "Мои перезвоны",
        "My callbacks";
    /// Heading: everyone's callbacks.
    callbacks_title_all: "Перезвоны всех менеджеров",
        "Everyone's callbacks";
    /// Heading: callbacks nobody owns.
    callbacks_title_unassigned: "Перезвоны без менеджера",
        "Unassigned callbacks";
    /// Heading: one manager's callbacks.
    callbacks_title_of: "Перезвоны: {}",
        "Callbacks: {}";
    /// Section: overdue.
    callbacks_overdue: "Просрочены",
        "Overdue";
    /// Section: due today.
    callbacks_today: "Сегодня",
        "Due today";
    /// Section: due later.
    callbacks_later: "Позже",
        "Later";
    /// No callbacks to show.
    callbacks_none: "Перезвонов нет.",
        "No callbacks.";
    /// The list of open callbacks: the menu's count changed since the page opened.
    callbacks_changed: "Перезвоны изменились с тех пор, как открыт список.",
        "The callbacks changed since this list was opened.";
    /// The link that reloads the list.
    callbacks_reload: "Обновить список",
        "Reload the list";
    /// After an action on a callback: its number and where it stands now.
    callback_saved: "Записано: перезвон № {} — {}",
        "Saved: callback {} — {}";
    /// Callback page: its manager or due time just saved.
    callback_terms_saved: "Сохранено.",
        "Saved.";
    /// Callback page: the callback changed (manager, due time, a try, the caller calling
    /// again) since the page was opened, by a head or another screen.
    callback_changed_meanwhile: "Пока страница была открыта, этот перезвон изменили.",
        "This callback changed while the page was open.";
    /// The link that reloads a callback's page.
    callback_reload: "Обновить страницу",
        "Reload the page";
    /// The link from a callback no longer the manager's to their list.
    callback_to_list: "К моим перезвонам",
        "To my callbacks";
    /// Callbacks list: a callback just handed over to another manager.
    callback_handed: "Перезвон № {} передан: {}",
        "Callback {} handed over to {}";
    /// Filter button.
    callbacks_filter: "Показать",
        "Show";
    /// Filter: whose.
    callbacks_owner_label: "Чьи",
        "Whose";
    /// Filter: mine.
    callbacks_owner_me: "Мои",
        "Mine";
    /// Filter: all managers.
    callbacks_owner_all: "Все менеджеры",
        "All managers";
    /// Filter: unassigned.
    callbacks_owner_none: "Без менеджера",
        "Unassigned";
    /// Filter: which.
    callbacks_state_label: "Какие",
        "Which";
    /// State: open.
    callbacks_state_open: "Открытые",
        "Open";
    /// State: overdue.
    callbacks_state_overdue: "Просроченные",
        "Overdue";
    /// State: done.
    callbacks_state_done: "Выполненные",
        "Done";
    /// State: lost.
    callbacks_state_lost: "Закрытые без результата",
        "Lost";
    /// Due time of a callback.
    callback_due_by: "до {}",
        "by {}";
    /// How late a callback is.
    callback_late_by: "просрочено на {}",
        "{} late";
    /// A duration in hours and minutes.
    duration_hours: "{} ч {} мин",
        "{} h {} min";
    /// A duration in minutes.
    duration_minutes: "{} мин",
        "{} min";
    /// A duration in days and hours.
    duration_days: "{} дн. {} ч",
        "{} d {} h";
    /// The caller called again before we called back.
    callback_called_again: "звонил(а) ещё раз, не дождавшись: {}",
        "called again before we called back: {}";
    /// Missed calls of the caller.
    callback_missed: "пропущенных звонков: {}",
        "missed calls: {}";
    /// Label: the callback's manager.
    callback_owner: "Менеджер",
        "Manager";
    /// Heading of a callback's page.
    callback_title: "Перезвон № {}",
        "Callback {}";
    /// Link: open a callback.
    callback_open: "Открыть",
        "Open";
    /// Section: what the caller asked.
    callback_asked: "Что спрашивал(а)",
        "What they asked";
    /// Callback page: its calls logged no question.
    callback_asked_nothing: "На звонках вопросы не записаны.",
        "No question was logged on its calls.";
    /// Callback page: the questions of the caller's earlier call, its date follows.
    callback_asked_earlier: "На прежнем звонке",
        "On an earlier call,";
    /// Section: speech modules from the typical answers.
    callback_speech: "Что сказать (из типовых ответов)",
        "What to say (from the typical answers)";
    /// Section: attempts.
    callback_attempts: "Попытки",
        "Attempts";
    /// Section: the caller's calls.
    callback_calls: "Звонки",
        "Calls";
    /// After the time of a call a manager opened on reaching the caller, in a callback's calls.
    callback_follow_up_call: "звонок клиенту после дозвона",
        "the call to the client once reached";
    /// Keys of a callback's page.
    callback_keys: "Клавиши: 1 — дозвонился, 2 — не дозвонился, 3 — закрыть без результата, 4 — передать, 5 — перенести срок",
        "Keys: 1 reached, 2 no answer, 3 lost, 4 hand over, 5 move the due time";
    /// Heading of a callback's results (reached, no answer, lost, hand over, move).
    callback_results: "Чем закончилась попытка",
        "How the try went";
    /// Button: reached.
    action_reached: "Дозвонился",
        "Reached";
    /// Field: what came of it.
    reached_note: "Что решили",
        "What came of it";
    /// Checkbox: open a call to log questions.
    open_call: "Открыть звонок, чтобы записать вопросы",
        "Open a call to log their questions";
    /// Button: no answer.
    action_no_answer: "Не дозвонился",
        "No answer";
    /// Label: the next try.
    next_try: "Следующая попытка",
        "Next try";
    /// Preset: in an hour.
    preset_hour: "Через час",
        "In an hour";
    /// Preset: by the end of the day.
    preset_end_of_day: "Сегодня до конца дня",
        "By the end of the day";
    /// Preset: tomorrow morning.
    preset_morning: "Завтра утром",
        "Tomorrow morning";
    /// «Через час» after closing: the next morning's first hour (the hour's rest carried over
    /// from closing), named apart from «Завтра утром», which is later that morning.
    preset_opening: "Завтра в начале дня",
        "Tomorrow, first thing";
    /// The same when the next working day is not tomorrow.
    preset_next_opening: "В начале рабочего дня",
        "First thing on the working day";
    /// «Через час» before the desk opens: its first hour this morning.
    preset_this_morning: "Сегодня утром",
        "This morning";
    /// On the call's card: a callback promised with no manager chosen.
    callback_no_manager: "Менеджер не выбран: этот перезвон увидят только руководители, пока его кому-нибудь не передадут",
        "No manager chosen: only the heads will see this callback until it is handed to someone";
    /// The end-of-day preset when today's working day is over (it falls on the next one).
    preset_end_of_next_day: "До конца рабочего дня",
        "By the end of the working day";
    /// The morning preset when the next working morning is not tomorrow's (a weekend between).
    preset_next_morning: "Утром рабочего дня",
        "The next working morning";
    /// Label of a typed time.
    custom_time: "или время ({})",
        "or a time ({})";
    /// Button: save with a typed time.
    save_time: "Записать",
        "Save";
    /// Button: close as lost.
    action_lost: "Закрыть без результата",
        "Close as lost";
    /// Label: the reason.
    lost_reason: "Причина",
        "Reason";
    /// Reason: refused.
    reason_refused: "Отказался",
        "Refused";
    /// Reason: not a client.
    reason_not_a_client: "Не клиент",
        "Not a client";
    /// Reason: wrong number.
    reason_wrong_number: "Ошибся номером",
        "Wrong number";
    /// Reason: other.
    reason_other: "Другое",
        "Other";
    /// Reason: the card of the call that promised it no longer says «Перезвонить».
    reason_withdrawn: "Отменён в карточке звонка",
        "Withdrawn on the call's card";
    /// Field: a note.
    note: "Комментарий",
        "Note";
    /// Button: hand over to another manager.
    action_hand_over: "Передать другому менеджеру",
        "Hand over";
    /// Button: give an unassigned callback to a manager.
    action_give_out: "Назначить менеджера",
        "Assign a manager";
    /// Button: move the due time.
    action_reschedule: "Перенести срок",
        "Move the due time";
    /// An attempt: reached.
    result_reached: "поговорили с клиентом",
        "reached";
    /// An attempt: no answer.
    result_no_answer: "клиент не ответил",
        "no answer";
    /// An attempt: lost.
    result_lost: "закрыт без результата",
        "lost";
    /// A change: handed over.
    result_handed_over: "передан",
        "handed over";
    /// A change: rescheduled.
    result_rescheduled: "срок перенесён",
        "rescheduled";
    /// A change: the caller called again and was helped on that call, at the desk.
    result_talked_at_desk: "клиент позвонил сам, поговорили",
        "the caller called again, talked";
    /// A callback done in time.
    callback_done_in_time: "выполнен вовремя",
        "done in time";
    /// A callback done late.
    callback_done_late: "выполнен с опозданием",
        "done late";
    /// A callback done by the caller calling again before anyone tried to call back.
    callback_done_by_caller: "выполнен: клиент позвонил сам, до попытки перезвонить",
        "done: the caller called again before anyone tried";
    /// Card: we promised to call back (date, time).
    callback_promised: "Обещали перезвонить {} до {}",
        "We promised to call back on {} by {}";
    /// Card: the promise is overdue.
    callback_promised_overdue: "— просрочено",
        "— overdue";
    /// Card: the promise is not overdue yet.
    callback_promised_waiting: "— ещё не просрочено",
        "— not overdue yet";
    /// Button: the caller was helped on this call.
    talked_now: "Поговорили сейчас",
        "Talked now";
    /// Checkbox: the number was read back.
    contact_confirmed: "Прочитал(а) контакт клиенту — верный",
        "Read the contact back: it is right";
    /// Beside the read-back box once it ticked itself as a full number was typed.
    contact_auto_ticked: "(отмечено само, контакт набран полностью: снимите, если не зачитали)",
        "(ticked by itself, the contact is typed in full: untick it if you did not read it back)";
    /// Field: e-mail.
    field_email: "E-mail",
        "E-mail";
    /// Field: a manager's name on the card.
    field_display_name: "Имя для карточки",
        "Name on the card";
    /// Field: phone extension.
    field_extension: "Внутренний номер",
        "Extension";
    /// Admin page: notices not going out (channel, waiting, last error).
    failing_notices: "Уведомления не уходят ({}): ждут {}, последняя ошибка: {}",
        "Notices are not going out ({}): {} waiting, last error: {}";
    /// Column of the accounts table: display name, e-mail, extension.
    col_profile: "Имя, e-mail, внутренний номер",
        "Name, e-mail, extension";
    /// Above a refused card: nothing was saved, and why.
    card_not_saved: "Не сохранено, исправьте поле:",
        "Not saved; correct the field:";
    /// After the first field a refused card names, the others it has to correct.
    card_also_wrong: "Ещё исправьте: {}.",
        "Correct also: {}.";
    /// A field's label named in a sentence.
    field_named: "«{}»",
        "“{}”";
    /// Above a card refused because a colleague saved the same fields meanwhile.
    card_changed_meanwhile: "Не сохранено: пока карточка была открыта, коллега сохранил(а) в ней другое. В полях — ваши значения и всё, что сохранено с тех пор; сохраните карточку ещё раз, чтобы записать своё поверх, или поправьте.",
        "Not saved: while the card was open, a colleague saved something else in it. The fields hold your values and everything saved since; save the card again to write yours over it, or correct them.";
    /// One field a colleague changed meanwhile ({}: the field, {}: what is saved now).
    card_now_saved: "{}: сейчас сохранено «{}»",
        "{}: now saved as \"{}\"";
    /// One field a colleague emptied meanwhile ({}: the field).
    card_now_empty: "{}: сейчас поле пустое",
        "{}: now empty";
    /// A callback's due time typed exactly.
    preset_exact: "Точное время:",
        "Exact time:";
    /// A figure with nothing to count yet.
    report_none_yet: "—",
        "—";
    /// Under the desk report's period: what counts as a contact.
    report_contacts_hint: "Контакт оставлен — оператор прочитал клиенту номер (не короче 10 цифр) или e-mail и отметил «верный». «Номер известен» — номер есть, но не подтверждён или короче 10 цифр (например, только от АТС).",
        "A contact is captured when the operator read back a number (10 digits or more) or an e-mail and ticked it as right. “Number known”: a number is there but not confirmed or shorter than 10 digits (say, only from the phone exchange).";
    /// Desk report: no manager had calls or callbacks.
    report_no_managers: "Менеджерам в этот период звонков и перезвонов не передавали.",
        "No calls or callbacks were given to managers in this period.";
    /// Answer file: the knowledge folder is missing.
    issue_no_folder: "папки с ответами нет: создайте её или укажите --knowledge DIR",
        "the knowledge folder does not exist: create it or pass --knowledge DIR";
    /// Answer file: a slug two files make (slug, other file).
    issue_slug_taken: "адрес `{}` уже у файла {}: переименуйте один из них",
        "slug `{}` is also used by {}: rename one of the files";
    /// Answer file: a file name of other characters (slug, suggestion).
    issue_bad_file_name: "имя файла даёт адрес `{}`: используйте только латинские буквы, цифры и дефисы, например `{}`",
        "the file name makes the slug `{}`: use letters, digits and hyphens only, e.g. `{}`";
    /// Answer file: a reserved word in the name (word, word).
    issue_reserved_word: "`{}` — слово, занятое страницами редакторов: переименуйте файл или папку, например `{}-1`",
        "`{}` is a word the editors' pages use: rename the file or folder, e.g. `{}-1`";
    /// Answer file: a slug that cannot name a file (slug, reserved words).
    issue_bad_slug: "`{}` не может быть именем файла: строчные латинские буквы, цифры и дефисы, папки через `/`, кроме слов {}",
        "`{}` cannot be a file name: use lowercase Latin letters, digits and hyphens, folders separated by `/`, none of {}";
    /// Answer file: broken, the last good version stays (the problem).
    issue_kept_last_good: "{} (в поиске остаётся прежняя версия)",
        "{} (the last good version stays in service)";
    /// Answer file: a title another has (title, other file).
    issue_title_taken: "заголовок «{}» уже у {}: дайте каждому типовому вопросу свой заголовок или объедините файлы",
        "the title \"{}\" is also used by {}: give each typical question its own title, or merge the two files";
    /// Answer file: cannot be read (error).
    issue_cannot_read: "файл не читается: {}",
        "cannot read the file: {}";
    /// Answer file: too big (KB, max KB).
    issue_too_big: "файл {} КБ, а ответ может быть не больше {} КБ: разделите его на несколько ответов или сократите",
        "the file is {} KB, more than the {} KB an answer may be: split it into several answers or shorten it";
    /// Answer file: not UTF-8.
    issue_not_utf8: "файл не в кодировке UTF-8: сохраните его в UTF-8 (в редакторе «Сохранить с кодировкой»)",
        "the file is not valid UTF-8: save it as UTF-8 (in the editor's \"Save with encoding\")";
    /// Answer file: HTML nested too deep (max).
    issue_html_too_deep: "HTML-теги вложены глубже {} уровней: уберите лишние (ответу, который читают вслух, глубокий HTML не нужен)",
        "HTML tags nest more than {} deep here: remove the extra tags (an answer read aloud needs no deep HTML)";
    /// Answer file: markdown nested too deep (max).
    issue_markdown_too_deep: "цитаты, списки или выделение вложены глубже {} уровней: сделайте их проще",
        "quotes, lists or emphasis nest more than {} deep here: flatten them";
    /// Answer file: no opening `+++`.
    issue_no_opening: "файл должен начинаться строкой `+++`: не забыта ли шапка (`+++`, затем `title = \"...\"`, `audience = \"primary\"`, `reviewed = 2026-11-20`, затем `+++`)?",
        "the file must start with a `+++` line: did you forget the front matter (`+++`, then `title = \"...\"`, `audience = \"primary\"`, `reviewed = 2026-11-20`, then `+++`)?";
    /// Answer file: the front matter never closed.
    issue_not_closed: "шапка не закрыта: добавьте строку `+++` после её последнего поля",
        "the front matter is never closed: add a `+++` line after its last field";
    /// Answer file: a missing field (field, example).
    issue_missing_field: "в шапке нет поля `{}`: добавьте `{}`",
        "missing field `{}`: add `{}` to the front matter";
    /// Answer file: an unknown field (field).
    issue_unknown_field: "в шапке неизвестное поле `{}`: удалите его или исправьте написание (поля: title, questions, audience, tags, reviewed)",
        "unknown field `{}`: remove it or fix its spelling (the fields: title, questions, audience, tags, reviewed)";
    /// A field written twice in an answer's front matter.
    issue_duplicate_field: "поле `{}` записано в шапке дважды: оставьте одну строку",
        "the field `{}` is written twice in the front matter: keep one line";
    /// Answer file: an unknown audience (value).
    issue_unknown_audience: "`audience` = `{}`: нужно одно из primary, secondary, all",
        "unknown variant `{}`: `audience` is one of primary, secondary, all";
    /// Answer file: TOML the parser could not read (its message).
    issue_toml: "шапка записана с ошибкой: {} (строки вида `поле = \"значение\"`)",
        "{}";
    /// Answer file: a field that takes a date (field).
    issue_wants_date: "`{}` должно быть датой без кавычек, например `reviewed = 2026-11-20`",
        "`{}` must be a date without quotes, such as `reviewed = 2026-11-20`";
    /// Answer file: a field that takes text (field).
    issue_wants_text: "`{}` должно быть текстом в кавычках, например `title = \"Сколько стоит доставка?\"`",
        "`{}` must be text in quotes, such as `title = \"Сколько стоит доставка?\"`";
    /// Answer file: a field that takes a list (field).
    issue_wants_list: "`{}` должно быть списком в квадратных скобках, например `questions = [\"сколько стоит\", \"какая цена\"]`",
        "`{}` must be a list in brackets, such as `questions = [\"how much\", \"what price\"]`";
    /// Answer file: `reviewed` not a date alone.
    issue_reviewed_not_date: "`reviewed` должно быть датой без времени, например `reviewed = 2026-11-20`",
        "`reviewed` must be a date alone, such as `reviewed = 2026-11-20`";
    /// Answer file: `reviewed` out of range (date, min year, max year).
    issue_reviewed_out_of_range: "`reviewed` = {}: укажите дату, когда редактор последний раз проверял ответ, между {} и {} годом",
        "`reviewed` is {}: give the date an editor last checked the answer, between {} and {}";
    /// Answer file: the title is wrong (what is wrong).
    issue_title: "`title` {}: напишите типовой вопрос, например `title = \"Сколько стоит доставка?\"`",
        "`title` {}: write the typical question, e.g. `title = \"Сколько стоит доставка?\"`";
    /// Answer file: a phrasing is wrong (number, what is wrong).
    issue_question: "формулировка {} в `questions` {}: удалите её или напишите",
        "question {} in `questions` {}: remove it or write the phrasing";
    /// A text holds a control character (its code).
    text_issue_control: "содержит невидимый управляющий символ (U+{}): наберите заново",
        "holds an invisible control character (U+{}): retype it";
    /// A text is empty.
    text_issue_empty: "пусто",
        "is empty";
    /// A text has no letter or digit.
    text_issue_no_letter: "без единой буквы или цифры",
        "holds no letter or digit";
    /// Answer file: no body.
    issue_empty_body: "после шапки нет текста ответа: напишите, что сказать клиенту, начиная с `**Скажите клиенту:**`",
        "the answer has no text after the front matter: write what to say to the caller, starting with `**Скажите клиенту:**`";
    /// Answer file: no `reviewed` line to set.
    issue_no_reviewed_line: "в шапке нет строки `reviewed`",
        "the front matter has no `reviewed` line";
    /// Edit page: the file on disk is broken.
    edit_file_broken: "Файл ответа с ошибкой — операторы видят прежнюю версию (или не видят ответа), пока она не исправлена:",
        "The answer's file is broken: the desk sees its last good version (or no answer) until it is fixed:";
    /// A line of a file.
    edit_line: "Строка {}:",
        "Line {}:";
    /// Edit page: the whole file is edited as it is.
    edit_raw_hint: "Шапку файла не удаётся прочитать, поэтому файл открыт целиком: исправьте его здесь и сохраните.",
        "The file's front matter cannot be read, so the whole file is open: fix it here and save.";
    /// Edit page: the whole file's field.
    edit_field_file: "Файл целиком",
        "The whole file";
    /// Review page: broken files.
    review_broken: "Файлы с ошибками",
        "Broken files";
    /// Review page: no broken files.
    review_broken_none: "Все файлы ответов читаются без ошибок.",
        "Every answer file reads without a problem.";
    /// Review page: answers due for review.
    review_due: "Давно не проверялись",
        "Not reviewed for long";
    /// Review page: link to fix a file.
    review_fix: "Исправить",
        "Fix";
    /// Search: no answer fits the whole question.
    nothing_fits: "Похоже, готового ответа на этот вопрос нет: запишите его на звонок — редакторы подготовят ответ.",
        "No answer seems to fit: log the question on a call, so that editors can write one.";
    /// Search: the link from «no answer fits» to the form that logs the question.
    nothing_fits_to_form: "Записать вопрос ↓",
        "Log the question ↓";
    /// Groups: the merge and move lists' first entry: nothing chosen yet.
    group_choose_group: "— выберите группу (похожие — первыми) —",
        "— choose a group (similar ones first) —";
    /// Groups: the link select before a choice.
    group_choose_answer: "— выберите ответ (похожие — первыми) —",
        "— choose an answer (similar ones first) —";
    /// Groups: notice after a group is linked to an answer (its title).
    group_done_linked: "Группа связана с ответом «{}»: её вопросы теперь находят его.",
        "The group is linked to “{}”: its questions find it now.";
    /// Groups: notice after a group is dismissed.
    group_done_dismissed: "Группа отклонена: похожие вопросы будут попадать в неё, но не в очередь.",
        "The group is dismissed: similar questions will join it, not the queue.";
    /// Groups: notice after a group is dismissed, naming it. {its title, quoted}
    group_done_dismissed_named: "Группа {} отклонена: похожие вопросы будут попадать в неё, но не в очередь.",
        "The group {} is dismissed: similar questions will join it, not the queue.";
    /// Said atop an answer's history after an old version was made the current one.
    history_restored: "Версия возвращена: в поиске теперь её текст.",
        "The version is restored: search shows its text now.";
    /// Said on a group's page after another group was merged into it.
    group_done_merged: "Группы объединены: вопросы обеих теперь здесь.",
        "The groups are merged: the questions of both are here now.";
    /// Said on a new group's page after questions were split off into it.
    group_done_split: "Отмеченные вопросы отделены в эту новую группу.",
        "The questions ticked are split off into this new group.";
    /// Said on a group's page after one of its questions was moved.
    group_done_moved: "Вопрос перенесён в другую группу.",
        "The question is moved to another group.";
    /// Said on a group's page after it was put back in the queue.
    /// Said atop the group a merged group's page led to.
    group_done_merged_into: "Группа, которую вы открыли, объединена с этой: её вопросы здесь.",
        "The group you opened was merged into this one: its questions are here.";
    group_done_reopened: "Группа снова в очереди: похожие вопросы опять будут попадать в неё и в очередь.",
        "The group is back in the queue: new questions like it will join it again.";
    /// On a dismissed group's page.
    group_is_dismissed: "Эта группа отклонена: «не для базы знаний». Похожие вопросы попадают в неё, но не в очередь.",
        "This group is dismissed: “not for the knowledge base”. Similar questions join it but not the queue.";
    /// Button on a dismissed group.
    group_reopen_button: "Вернуть в очередь",
        "Back to the queue";
    /// Undoes a group's link to an answer (chosen by mistake).
    group_undo_link: "Отменить связь и вернуть в очередь",
        "Undo the link, back to the queue";
    /// A new answer's form opened for a group linked meanwhile, before the answer's title.
    new_answer_group_linked: "Эта группа уже связана с ответом",
        "This group is already linked to the answer";
    /// The same for a dismissed group.
    new_answer_group_dismissed: "Эта группа уже отклонена: «не для базы знаний».",
        "This group is already dismissed: “not for the knowledge base”.";
    /// The same for a group merged into another.
    new_answer_group_merged: "Этой группы больше нет в очереди: её объединили с другой.",
        "This group is no longer in the queue: it was merged into another.";
    /// After either: what the form will do.
    new_answer_group_unlinked: "Новый ответ будет записан без связи с ней.",
        "The new answer is written without a link to it.";
    /// Link to the group's page from there.
    new_answer_group_page: "Открыть группу",
        "Open the group";
    /// A group linked to an answer, before the answer's title.
    group_is_linked: "Эта группа связана с ответом:",
        "This group is linked to the answer:";
    /// Under a group's phrasings in the queue: how many more its page shows.
    group_more_phrasings: "и ещё формулировок: {}",
        "and {} more phrasings";
    /// Heading of the dismissed groups under the queue.
    groups_dismissed_title: "Отклонённые: не для базы знаний",
        "Dismissed: not for the knowledge base";
    /// Hint under it.
    groups_dismissed_hint: "Похожие вопросы попадают в эти группы, но не в очередь. Группу, отклонённую по ошибке, можно вернуть.",
        "Similar questions join these groups but not the queue. A group dismissed by mistake can be put back.";
    /// Groups: the link list's part of answers the group resembles.
    group_alike_answers: "Похожие на вопросы группы",
        "Like the group's questions";
    /// Groups: the link list's part of every other answer.
    group_other_answers: "Все остальные ответы",
        "Every other answer";
    /// Report: by manager.
    report_by_manager: "По менеджерам",
        "By manager";
    /// Column: manager.
    report_col_manager: "Менеджер",
        "Manager";
    /// Column: a number known, not confirmed.
    report_col_numbers_known: "Номер известен",
        "Number known";
    /// Column: callbacks promised.
    report_col_promised: "Обещано перезвонов",
        "Callbacks promised";
    /// Column: done in time.
    report_col_in_time: "Вовремя",
        "In time";
    /// Column: done late.
    report_col_late: "С опозданием",
        "Late";
    /// Column: done by the caller's own call before anyone tried to call back.
    report_col_caller_called: "Клиент позвонил сам",
        "Caller called us first";
    /// Column: still open.
    report_col_still_open: "Ещё открыты",
        "Still open";
    /// Column: of the callbacks still open, those past their due time now.
    report_col_overdue: "Из них просрочены",
        "Of them overdue";
    /// Column: lost.
    report_col_lost: "Без результата",
        "Lost";
    /// Desk report: the section of calls nobody answered, as the phone exchange told them.
    report_missed_title: "Пропущенные звонки (по данным АТС)",
        "Missed calls (as the phone exchange told them)";
    /// Desk report: what the missed calls' section counts.
    report_missed_hint: "Звонки, на которые никто не ответил: сколько из них получили перезвон, сколько пришло со скрытого номера (перезвонить некому) и сколько — с номеров из списка «не перезванивать».",
        "Calls nobody answered: how many got a callback, how many came from a hidden number (nobody to call back), and how many from numbers on the do-not-call-back list.";
    /// Column: calls nobody answered.
    report_col_missed: "Пропущено",
        "Missed";
    /// Column: of those, a callback opened.
    report_col_missed_called_back: "Перезвон назначен",
        "Callback opened";
    /// Column: of those, from a hidden number.
    report_col_missed_no_number: "Скрытый номер",
        "Hidden number";
    /// Column: of those, from a number not to call back.
    report_col_missed_ignored: "Не перезванивать",
        "Not to call back";
    /// Column: median minutes to the first attempt.
    report_col_first_attempt: "До первой попытки, рабочих мин (медиана)",
        "Time to first attempt, working minutes (median)";
    /// Field problem: an exchange's event for a call it never told of, without the number.
    problem_call_never_seen: "АТС не сообщала об этом звонке (не было события ringing) и не прислала номер звонящего: записать его не на что",
        "the exchange never told of this call (no ringing event) and sent no caller's number: there is nothing to record it on";
    /// Audit log: a line written from the command line.
    audit_by_cli: "командная строка",
        "command line";
    /// Audit log: a line written by a machine token.
    audit_by_token: "токен {}",
        "token {}";
    /// The generic form of the exchange's events (`POST /api/pbx/events`), named in the audit
    /// log (the exchanges with an adapter of their own are named by their makers' names).
    exchange_generic: "АТС (общий формат событий)",
        "exchange (generic events)";
    /// Who a failed login's audit line names: the login typed, which may be no one's.
    audit_by_typed: "введено: «{}»",
        "typed: “{}”";
    /// Audit action: the phone exchange's events and refusals.
    action_pbx: "АТС",
        "phone exchange";
    /// Audit action: a callback promised, worked, moved or handed over.
    action_callback: "перезвон",
        "callback";
    /// Error: a phone exchange's signature or secret does not match.
    error_pbx_signature: "Подпись или секрет АТС не совпадает с настроенным: проверьте секрет в настройках АТС и в переменной окружения сервера.",
        "The exchange's signature or secret does not match the one configured: check the secret in the exchange's settings and in the server's environment.";
    /// Error: a body that is not what the phone exchange sends. {detail}
    error_pbx_malformed: "Запрос не похож на то, что присылает эта АТС: {}",
        "The request is not what this exchange sends: {}";
    /// Error: an event type the adapter does not know. {type}
    error_pbx_unknown_event: "Неизвестный тип события АТС: {}",
        "Unknown exchange event type: {}";
    /// Error: an exchange's adapter is off. {exchange}, {name to add}
    error_pbx_off: "Приём звонков от АТС «{}» выключен: добавьте \"{}\" в adapters раздела [pbx] файла desk.toml и перезапустите сервер.",
        "Calls from the exchange “{}” are switched off: add \"{}\" to adapters in the [pbx] section of desk.toml and restart the server.";
    /// Error: an exchange's adapter is on without its secret. {exchange}, {variable}
    error_pbx_no_secret: "Приём звонков от АТС «{}» включён, но секрет не задан: задайте переменную окружения {} и перезапустите сервер.",
        "Calls from the exchange “{}” are switched on, but no secret is set: set the environment variable {} and restart the server.";
    /// Error: too many pages wait for ringing calls.
    error_too_many_screens: "Слишком много открытых страниц ждут звонков; закройте лишние вкладки.",
        "Too many open pages are waiting for calls; close the tabs you do not need.";
    /// Banner: a call rings.
    ringing_title: "Входящий звонок",
        "Incoming call";
    /// Banner: the key that opens the card.
    ringing_key: "Alt+Enter",
        "Alt+Enter";
    /// Banner: the button that opens the card.
    ringing_open: "Открыть карточку",
        "Open the card";
    /// Banner: the button that hides a call.
    ringing_hide: "Скрыть",
        "Hide";
    /// Banner: the exchange sent no number.
    ringing_no_number: "номер не определён",
        "number withheld";
    /// Banner of a call with no number: since when it rings, which tells two such calls apart.
    ringing_since: "звонит с {}",
        "ringing since {}";
    /// Banner: a caller the desk has not heard from.
    ringing_first_time: "звонит впервые",
        "first-time caller";
    /// Banner: a prospect who called before.
    ringing_returning: "звонил(а) раньше",
        "called before";
    /// Banner: an existing client.
    ringing_existing: "действующий клиент",
        "existing client";
    /// Banner: the caller's manager. {name}
    ringing_manager: "менеджер: {}",
        "manager: {}";
    /// Banner: the caller's open callback. {due}
    ringing_callback: "обещали перезвонить до {}",
        "callback promised by {}";
    /// Banner: the callback is overdue.
    ringing_overdue: "просрочено",
        "overdue";
    /// Banner: the call was answered on the viewer's extension.
    ringing_answered_here: "Звонок принят на вашем телефоне",
        "The call was answered on your phone";
    /// Banner: the call was answered on the viewer's extension: the key or the button opens it.
    ringing_open_call: "Открыть звонок",
        "Open the call";
    /// Banner: more calls ring than are shown. {count}
    ringing_more: "И ещё звонят: {}",
        "And {} more ringing";
    /// The desk: the question typed fits no answer.
    desk_nothing_fits: "Похоже, готового ответа на этот вопрос нет: запишите его (Enter) — редакторы увидят его в очереди и подготовят ответ.",
        "There seems to be no ready answer to this question: log it (Enter), and the editors will see it in their queue and write one.";
    /// A report figure's calls: the title.
    counted_calls_title: "Звонки из отчёта",
        "Calls behind a figure";
    /// Title of the list behind a missed figure of the desk report.
    missed_calls_title: "Пропущенные звонки",
        "Missed calls";
    /// Column of the missed calls: how the call ended.
    missed_col_ending: "Как закончился",
        "How it ended";
    /// Column of the missed calls: what the desk made of it.
    missed_col_made: "Что сделано",
        "What was done";
    /// A missed call's number the exchange did not give.
    missed_hidden: "номер скрыт",
        "number hidden";
    /// A missed call nobody answered.
    missed_ending_missed: "не ответили",
        "not answered";
    /// A missed call every phone was busy for.
    missed_ending_busy: "занято",
        "busy";
    /// A report figure's callbacks: the title.
    counted_callbacks_title: "Перезвоны из отчёта",
        "Callbacks behind a figure";
    /// A report figure's list: the period. {from} {to}
    counted_period: "С {} по {}",
        "{} to {}";
    /// A report figure's list: the operator's row. {name}
    counted_operator: "оператор: {}",
        "operator: {}";
    /// A report figure's list: the manager's row. {name}
    counted_manager: "менеджер: {}",
        "manager: {}";
    /// A report figure's calls: every call.
    counted_all: "все звонки",
        "every call";
    /// A report figure's calls: primary.
    counted_primary: "первичные звонки",
        "primary calls";
    /// A report figure's calls: secondary.
    counted_secondary: "вторичные звонки",
        "secondary calls";
    /// A report figure's calls: potential clients.
    counted_potential: "потенциальные клиенты",
        "potential clients";
    /// A report figure's calls: potential clients who left a contact.
    counted_contact: "потенциальные клиенты, оставившие контакт",
        "potential clients who left a contact";
    /// A report figure's calls: potential clients whose number only the exchange sent.
    counted_number: "потенциальные клиенты, чей номер не подтверждён (с АТС или не прочитан вслух)",
        "potential clients whose number is not confirmed (the exchange's, or not read back)";
    /// A report figure's calls: potential clients with no contact at all.
    counted_no_contact: "потенциальные клиенты без контакта",
        "potential clients with no contact";
    /// A report figure's calls: potential clients with no contact captured.
    counted_not_captured: "потенциальные клиенты без подтверждённого контакта",
        "potential clients with no contact captured";
    /// A report figure's callbacks: every one promised.
    counted_promised: "все обещанные перезвоны",
        "every callback promised";
    /// A report figure's callbacks: done in time.
    counted_in_time: "сделанные вовремя",
        "done in time";
    /// A report figure's callbacks: done late.
    counted_late: "сделанные с опозданием",
        "done late";
    /// A report figure's callbacks: done by the caller's own call before anyone tried.
    counted_caller_called: "закрытые звонком самого клиента, до попытки перезвонить",
        "done by the caller's own call before anyone tried";
    /// A report figure's callbacks: still open.
    counted_open: "ещё открытые",
        "still open";
    /// A report figure's callbacks: still open and past their due time now.
    counted_overdue: "просроченные сейчас",
        "overdue now";
    /// A report figure's callbacks: lost.
    counted_lost: "закрытые без результата",
        "lost";
    /// A report figure's callbacks: counted as the report counts them.
    counted_callbacks_hint: "По дню обещания; за менеджером, у которого перезвон был, когда подошёл срок.",
        "By the day promised; for the manager who held each when it fell due.";
    /// A report figure's list: nothing there.
    counted_none: "Здесь ничего нет.",
        "Nothing here.";
    /// A report figure's list: only the newest shown. {count}
    counted_truncated: "Показаны последние {}.",
        "The newest {} are shown.";
    /// A report figure's list: back to the report.
    counted_back: "← К отчёту",
        "← Back to the report";
    /// The questions behind a row of the questions report: the page's title.
    behind_title: "Вопросы за строкой отчёта",
        "The questions behind a report row";
    /// Its line: {the row's answer or phrasing} {from} {to} {which calls}.
    behind_line: "«{}»: вопросы за {}–{}, звонки: {}.",
        "“{}”: questions from {} to {}, calls: {}.";
    /// Questions report: a row's count links to its questions.
    behind_link: "Вопросы, учтённые в этой строке",
        "The questions this row counts";
    /// Column: when asked.
    behind_col_when: "Когда",
        "When";
    /// Column: the caller's words.
    behind_col_question: "Вопрос",
        "Question";
    /// Column: how it came to be counted here.
    behind_col_how: "Как учтён",
        "Counted as";
    /// Column: its call.
    behind_col_call: "Звонок",
        "Call";
    /// Counted as: linked to the answer by a person (or an import).
    behind_linked: "связан с ответом",
        "linked to the answer";
    /// Counted as: matched by the grouping, nobody linking it.
    behind_matched: "отнесён к ответу автоматически",
        "matched to the answer automatically";
    /// Counted as: waiting in its group.
    behind_grouped: "ждёт в группе",
        "waiting in its group";
    /// Which calls: a call's number. {id}
    behind_call: "№ {}",
        "Call {}";
    /// The questions report: how its rows read, under the table.
    behind_hint: "Нажмите на число вопросов, чтобы увидеть сами вопросы и как каждый учтён.",
        "Click a row's count to see its questions and how each is counted.";
    /// Desk report: a figure links to what it counts.
    report_figures_hint: "Звонки менеджеров клиентам после дозвона не считаются: это звонки не ресепшн. Нажмите на число, чтобы увидеть звонки или перезвоны за ним.",
        "A manager's call to a client once reached is not counted: the desk did not take it. Click a figure to see the calls or callbacks behind it.";
    /// A callback due outside the desk's working hours.
    off_hours: "в нерабочее время",
        "outside the desk's hours";
    /// The card: the callback's time is outside the desk's working hours. {time}
    off_hours_note: "{} — нерабочее время ресепшн: убедитесь, что менеджер сможет позвонить.",
        "{} is outside the desk's hours: make sure the manager can call then.";
    /// Desk report: a period with no calls.
    report_no_calls: "За этот период звонков нет.",
        "No calls in this period.";
    /// Desk report: weeks before the first call are not listed. {date}
    report_quiet_weeks: "Недели до {} без звонков не показаны.",
        "Weeks before {} had no calls and are not listed.";
}
