//! Audit lines in the interface's language. The log keeps its subjects in English, the log's
//! own language (`callback 4 handed over to olga`), and the admin's page reads them through
//! [`SUBJECTS`]: each form a subject takes, with its Russian, whose slots the line's own values
//! fill (numbers, logins, answers' names, dates). A line of no known form (an older one) is read
//! word by word through [`WORDS_RU`].

use super::{Lang, Texts};
use crate::accounts::Role;

/// Every form of an audit subject or detail: (English, Russian), the most particular first.
///
/// In the English form `{}` is any value, `{r}` a role's word (shown by the role's name), `{w}`
/// one of [`VALUES`]' words, `{n}` one of [`NOTES`]' (or nothing), `{x}` an exchange's name, `{y}`
/// why an exchange's request was refused (said through [`REASONS`] and the field problems), `{d}` a
/// day (said `30.11.2026`). The
/// Russian form places them by number, `{0}` the first.
pub const SUBJECTS: &[(&str, &str)] = &[
    ("{} calls before {d}", "звонки до {1}: {0}"),
    (
        "backup downloaded ({} calls)",
        "резервная копия скачана (звонков: {0})",
    ),
    ("{} calls, {} questions", "звонков: {0}, вопросов: {1}"),
    ("{} calls", "звонков: {0}"),
    ("answer {} created", "ответ {0} создан"),
    ("answer {} saved", "ответ {0} сохранён"),
    (
        "answer {} version {} restored",
        "ответ {0}: восстановлена версия {1}",
    ),
    ("answer {} retired", "ответ {0} убран из поиска"),
    ("answer {} renamed to {}", "ответ {0} переименован в {1}"),
    ("answer {} reviewed", "ответ {0} отмечен проверенным"),
    (
        "answer {} written for group {}",
        "ответ {0} написан для группы {1}",
    ),
    (
        "group {} not linked to {}: no longer in the queue",
        "группа {0} не связана с ответом {1}: её уже нет в очереди",
    ),
    (
        "questions report {d}..{d} {w} ({} rows, csv)",
        "отчёт «О чём спрашивают» за {0}–{1}, {2} (строк: {3}, csv)",
    ),
    (
        "questions of answer:{} {d}..{d}",
        "вопросы ответа {0} в отчёте «О чём спрашивают» за {1}–{2}",
    ),
    (
        "questions of group:{} {d}..{d}",
        "вопросы группы {0} в отчёте «О чём спрашивают» за {1}–{2}",
    ),
    (
        "desk report {d}..{d} (csv)",
        "отчёт «Работа ресепшн» за {0}–{1} (csv)",
    ),
    ("call {} (opened)", "звонок {0} (открыт)"),
    (
        "call {} (question {} logged)",
        "звонок {0} (вопрос {1} записан)",
    ),
    (
        "call {} (question {} linked)",
        "звонок {0} (вопрос {1} связан)",
    ),
    (
        "call {} (question {} unlinked)",
        "звонок {0} (вопрос {1}: связь с ответом снята)",
    ),
    (
        "call {} (question {} deleted)",
        "звонок {0} (вопрос {1} удалён)",
    ),
    ("calls {d}..{d} ({})", "звонки за {0}–{1} ({2})"),
    ("calls list {d} to {d}", "список звонков за {0}–{1}"),
    ("missed calls {d} to {d}", "пропущенные звонки за {0}–{1}"),
    ("calls list {d}", "список звонков за {0}"),
    (
        "callbacks promised {d} to {d}",
        "перезвоны, обещанные за {0}–{1}",
    ),
    (
        "caller erased (lookup)",
        "звонивший, данные стёрты (поиск по номеру)",
    ),
    ("caller erased", "звонивший, данные стёрты"),
    ("caller {} (lookup)", "звонивший {0} (поиск по номеру)"),
    ("caller {}", "звонивший {0}"),
    ("regroup ({} questions)", "перегруппировка (вопросов: {0})"),
    ("group {} linked to {}", "группа {0} связана с ответом {1}"),
    (
        "group {} merged into {}",
        "группа {0} объединена с группой {1}",
    ),
    ("group {} dismissed", "группа {0} отклонена"),
    (
        "group {} back in the queue",
        "группа {0} возвращена в очередь",
    ),
    (
        "group {} split into {}",
        "группа {0} разделена, новая группа {1}",
    ),
    (
        "question {} moved to group {}",
        "вопрос {0} перенесён в группу {1}",
    ),
    (
        "callback {} promised on call {} ({} closed)",
        "перезвон {0} обещан на звонке {1} (перезвон {2} закрыт)",
    ),
    (
        "callback {} promised on call {}",
        "перезвон {0} обещан на звонке {1}",
    ),
    (
        "callback {} joined by call {}",
        "к перезвону {0} присоединён звонок {1}",
    ),
    (
        "callback {} withdrawn on its call's card",
        "перезвон {0} отменён в карточке звонка",
    ),
    (
        "callback {} opened for a missed call of {x}",
        "перезвон {0} открыт по пропущенному звонку через {1}",
    ),
    (
        "callback {} handed over to {}",
        "перезвон {0} передан менеджеру {1}",
    ),
    ("callback {} due {}", "перезвон {0}: новый срок {1}"),
    (
        "callback {} closed on call {}",
        "перезвон {0} закрыт звонком {1}",
    ),
    ("callback {} {w}", "перезвон {0}: {1}"),
    (
        "callbacks {} of {} left to the heads (unassigned)",
        "перезвоны № {0} менеджера {1} оставлены руководителям (не назначены)",
    ),
    (
        "account {} (first start)",
        "учётная запись {0} (первый запуск)",
    ),
    (
        "account {} added as {r}",
        "учётная запись {0} добавлена, роль {1}",
    ),
    (
        "account {} profile",
        "учётная запись {0}: имя, e-mail или внутренний номер изменены",
    ),
    ("account {} role {r}", "учётная запись {0} — роль {1}"),
    ("account {} disabled", "учётная запись {0} отключена"),
    ("account {} enabled", "учётная запись {0} включена"),
    (
        "account {} password set",
        "учётная запись {0} — пароль задан",
    ),
    (
        "account {} password reset",
        "учётная запись {0} — пароль сброшен",
    ),
    ("token {} created as {r}", "токен {0} создан, роль {1}"),
    ("token {} revoked", "токен {0} отозван"),
    ("address {}", "адрес {0}"),
    ("database from {}", "база из {0}"),
    ("phone {}", "телефон {0}"),
    (
        "{x} refused from {}: {y} (and {} refused before it, not written one by one)",
        "{0}: запрос с {1} отклонён: {2} (и ещё отклонённых до него, не записанных по одному: {3})",
    ),
    ("{x} refused from {}: {y}", "{0}: запрос с {1} отклонён: {2}"),
    (
        "{x} call {} {w} refused: never told of, no caller's number",
        "{0}: звонок {1} — {2}; отклонено: о звонке не сообщалось раньше, и номера звонящего нет",
    ),
    (
        "{x} call {} {w} refused: no caller's number, nor a word that it was withheld",
        "{0}: звонок {1} — {2}; отклонено: нет ни номера звонящего, ни слова о том, что номер скрыт",
    ),
    (
        "{x}:{}: call {} is another person's, a call of its own opened",
        "{0}:{1}: звонок {2} уже ведёт другой оператор — открыт отдельный звонок",
    ),
    ("{x}:{} linked to call {}", "{0}:{1} записан в звонок {2}"),
    (
        "{x} call {} {w}{n} duplicate, ignored",
        "{0}: звонок {1} — {2}{3}; повтор, пропущен",
    ),
    ("{x} call {} {w}{n}", "{0}: звонок {1} — {2}{3}"),
    ("call {}", "звонок {0}"),
    ("callback {}", "перезвон {0}"),
    ("account {}", "учётная запись {0}"),
];

/// The words a `{w}` slot takes: a callback's result, a report's kind of call, an exchange's
/// event. (English, Russian).
pub const VALUES: &[(&str, &str)] = &[
    ("reached", "поговорили с клиентом"),
    ("no_answer", "клиент не ответил"),
    ("lost", "закрыт без результата"),
    ("all", "все звонки"),
    ("primary", "новые клиенты"),
    ("secondary", "уже работают с нами"),
    ("ringing", "звонит"),
    ("answered", "ответили"),
    ("ended answered", "завершён после ответа"),
    ("ended missed", "завершён, пропущен"),
    ("ended busy", "завершён, занято"),
    ("ended voice_menu", "завершён в голосовом меню"),
];

/// What the call desk made of an exchange's event, after it (`{n}`). (English, Russian).
pub const NOTES: &[(&str, &str)] = &[
    ("", ""),
    (" (after its end)", " (после его завершения, не учтено)"),
    (": call opened", ": открыт звонок"),
    (": not missed", ": не пропущен"),
    (": number ignored", ": номер в списке «не перезванивать»"),
    (
        ": no number to call back",
        ": нет номера, чтобы перезвонить",
    ),
    // A callback opened, or the caller's open one joined.
    (": missed, a callback", ": нужен перезвон"),
];

/// Why an exchange's request was refused (`{y}`), as the web and the adapters say it: (English,
/// Russian), in the forms' syntax. A field's problem is said through the interface's own words
/// ([`FIELD_REASONS`]); a reason of neither kind stays as it is.
pub const REASONS: &[(&str, &str)] = &[
    (
        "the exchange's signature does not match",
        "подпись или ключ АТС не совпадает",
    ),
    ("malformed body: {}", "тело запроса не разобрано: {0}"),
    ("unknown event type: {}", "неизвестный тип события: {0}"),
    ("the adapter is off", "приём событий этой АТС выключен"),
    ("{} is not set", "не задана переменная окружения {0}"),
    ("a body over {} bytes", "тело запроса больше {0} байт"),
    ("unknown or revoked token", "токен неизвестен или отозван"),
    ("no token", "токен не передан"),
    (
        "no `{}` to answer",
        "нет параметра `{0}`, на который отвечать",
    ),
];

/// The field problems an exchange's request is refused for, as `field: problem` forms: (English,
/// Russian) from the two languages' own texts, made once.
static FIELD_REASONS: std::sync::LazyLock<Vec<(String, String)>> =
    std::sync::LazyLock::new(field_reasons);

fn field_reasons() -> Vec<(String, String)> {
    use super::{EN, RU};
    let problems = |t: &Texts| {
        [
            t.problem_required,
            t.problem_too_long,
            t.problem_expected_time,
            t.problem_one_of,
            t.problem_unknown,
            t.problem_call_never_seen,
        ]
    };
    problems(&EN)
        .iter()
        .zip(problems(&RU))
        .map(|(en, ru)| {
            let mut numbered = String::from("поле «{0}»: ");
            let mut slot = 0;
            for (i, piece) in ru.split("{}").enumerate() {
                if i > 0 {
                    slot += 1;
                    numbered.push_str(&format!("{{{slot}}}"));
                }
                numbered.push_str(piece);
            }
            (format!("{{}}: {en}"), numbered)
        })
        .collect()
}

/// The day an audit line names, written `2026-11-30`.
fn day(value: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()
}

/// `reason` in Russian (see [`REASONS`]), or as it is.
fn reason_ru(reason: &str) -> String {
    let forms = REASONS.iter().copied().chain(
        FIELD_REASONS
            .iter()
            .map(|(en, ru)| (en.as_str(), ru.as_str())),
    );
    for (en, ru) in forms {
        let form = pieces(en);
        let mut values = Vec::new();
        if fill_slots(&form, reason, &mut values) {
            let mut out = ru.to_string();
            for (i, value) in values.iter().enumerate() {
                out = out.replace(&format!("{{{i}}}"), value);
            }
            return out;
        }
    }
    reason.to_string()
}

/// The words of subjects of no known form, English to Russian, longest first (each with the
/// spaces or brackets around it, so that only whole words are replaced).
pub const WORDS_RU: &[(&str, &str)] = &[
    (" calls list ", " список звонков "),
    (" questions report ", " отчёт «О чём спрашивают» "),
    (" desk report ", " отчёт «Работа ресепшн» "),
    (" (question ", " (вопрос "),
    (" (opened) ", " (открыт) "),
    (" group ", " группа "),
    (" question ", " вопрос "),
    (" answer ", " ответ "),
    (" callbacks ", " перезвоны "),
    (" callback ", " перезвон "),
    (" calls ", " звонки "),
    (" call ", " звонок "),
    (" caller ", " звонивший "),
    (" account ", " учётная запись "),
    (" token ", " токен "),
    (" address ", " адрес "),
    (" phone ", " телефон "),
];

/// One piece of a subject's form.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Piece<'a> {
    /// Text as it is.
    Text(&'a str),
    /// Any value.
    Any,
    /// A role's word.
    Role,
    /// One of [`VALUES`].
    Value,
    /// One of [`NOTES`], or nothing.
    Note,
    /// An exchange's name.
    Exchange,
    /// Why a request was refused.
    Reason,
    /// A day, `2026-11-30`, said as the desk says days (`30.11.2026`).
    Date,
}

/// A form's pieces, its text between its slots.
fn pieces(form: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        out.push(match &rest[start + 1..start + len] {
            "r" => Piece::Role,
            "w" => Piece::Value,
            "n" => Piece::Note,
            "x" => Piece::Exchange,
            "y" => Piece::Reason,
            "d" => Piece::Date,
            _ => Piece::Any,
        });
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// Whether `value` may fill `slot`.
fn fits(slot: Piece<'_>, value: &str) -> bool {
    match slot {
        Piece::Text(_) => false,
        Piece::Any | Piece::Reason => !value.is_empty(),
        Piece::Role => Role::parse(value).is_some(),
        Piece::Value => VALUES.iter().any(|(en, _)| *en == value),
        Piece::Note => NOTES.iter().any(|(en, _)| *en == value),
        Piece::Exchange => crate::pbx::Exchange::parse(value).is_some(),
        Piece::Date => day(value).is_some(),
    }
}

/// The values that fill `form`'s slots to make `text`, if it is of that form. A slot takes the
/// first value that lets the rest of the form fit too.
fn fill_slots<'t>(form: &[Piece<'_>], text: &'t str, values: &mut Vec<&'t str>) -> bool {
    let Some((&first, rest)) = form.split_first() else {
        return text.is_empty();
    };
    if let Piece::Text(t) = first {
        return text
            .strip_prefix(t)
            .is_some_and(|left| fill_slots(rest, left, values));
    }
    // Where the slot may end: before an occurrence of the text that follows it, at the end
    // when it is last, anywhere before a slot.
    let ends: Vec<usize> = match rest.first() {
        Some(Piece::Text(t)) => text.match_indices(t).map(|(i, _)| i).collect(),
        Some(_) => text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect(),
        None => vec![text.len()],
    };
    for end in ends {
        if fits(first, &text[..end]) {
            values.push(&text[..end]);
            if fill_slots(rest, &text[end..], values) {
                return true;
            }
            values.pop();
        }
    }
    false
}

impl Texts {
    /// The «Кто» of an audit line: a failed login's is what a visitor typed, said as such (it
    /// may look like anyone's, `token:pbx` included).
    pub fn audit_actor_of(&self, actor: &str, action: &str) -> String {
        if action == "login-failed" {
            Texts::fill(self.audit_by_typed, &[&actor])
        } else {
            self.audit_actor(actor)
        }
    }

    /// Who wrote an audit line, in the interface's words: a person by login, a machine token
    /// (`token:pbx`) as a token, an exchange's adapter (`exchange:mango`) by the exchange's name,
    /// the command line (`cli`) as such.
    pub fn audit_actor(&self, actor: &str) -> String {
        if let Some(exchange) = actor
            .strip_prefix("exchange:")
            .and_then(crate::pbx::Exchange::parse)
        {
            return self.exchange_name(exchange).to_string();
        }
        match (actor, actor.strip_prefix("token:")) {
            ("cli", _) => self.audit_by_cli.to_string(),
            (_, Some(name)) => Texts::fill(self.audit_by_token, &[&name]),
            _ => actor.to_string(),
        }
    }

    /// An exchange as its makers name it; the generic form by what it is.
    pub fn exchange_name(&self, exchange: crate::pbx::Exchange) -> &'static str {
        use crate::pbx::Exchange as X;
        match exchange {
            X::Generic => self.exchange_generic,
            X::Zadarma => "Zadarma",
            X::Mango => "Mango Office",
            X::Itoolabs => "ITooLabs",
            X::Asterisk => "Asterisk",
        }
    }

    /// An audit line's subject (or detail) in the interface's words, a role by its name
    /// (`head`: «Руководитель продаж», “Head of sales”).
    pub fn audit_subject(&self, subject: &str) -> String {
        match self.lang {
            // The stored words that are codes read as words (`callback 7 no_answer`).
            Lang::En => self.roles_named(
                self.days_written(
                    &subject
                        .replace(" no_answer", " no answer")
                        .replace(" voice_menu", " voice menu"),
                ),
                &["as", "role"],
                ("“", "”"),
            ),
            Lang::Ru => self.audit_subject_ru(subject),
        }
    }

    fn audit_subject_ru(&self, subject: &str) -> String {
        for (en, ru) in SUBJECTS {
            let form = pieces(en);
            let mut values = Vec::new();
            if !fill_slots(&form, subject, &mut values) {
                continue;
            }
            let slots = form.iter().filter(|p| !matches!(p, Piece::Text(_)));
            let said: Vec<String> = slots
                .zip(&values)
                .map(|(slot, value)| match slot {
                    Piece::Role => Role::parse(value)
                        .map(|r| format!("«{}»", self.role(r)))
                        .unwrap_or_default(),
                    Piece::Value => lookup(VALUES, value),
                    Piece::Note => lookup(NOTES, value),
                    Piece::Reason => reason_ru(value),
                    Piece::Date => self.iso_day(value),
                    Piece::Exchange => crate::pbx::Exchange::parse(value)
                        .map_or_else(|| value.to_string(), |x| self.exchange_name(x).to_string()),
                    _ => value.to_string(),
                })
                .collect();
            let mut out = ru.to_string();
            for (i, value) in said.iter().enumerate() {
                out = out.replace(&format!("{{{i}}}"), value);
            }
            return out;
        }
        let mut out = format!(" {subject} ");
        for (en, ru) in WORDS_RU {
            out = out.replace(en, ru);
        }
        self.roles_named(out.trim().to_string(), &["роль"], ("«", "»"))
    }

    /// `text` with each day the log keeps as `2026-11-30` written as the language writes a day,
    /// and two days joined by `..` as a span; a moment (`2026-11-30T10:00`) is left as it is.
    fn days_written(&self, text: &str) -> String {
        let (bytes, mut out, mut at) = (text.as_bytes(), String::new(), 0);
        let edge = |i: usize| bytes.get(i).is_none_or(|b| !b.is_ascii_alphanumeric());
        let mut i = 0;
        while i + 10 <= bytes.len() {
            let date = (i == 0 || edge(i - 1)) && edge(i + 10);
            match text.get(i..i + 10).filter(|_| date).and_then(day) {
                Some(d) => {
                    out.push_str(&text[at..i]);
                    if out.ends_with("..") {
                        out.truncate(out.len() - 2);
                        out.push_str(" – ");
                    }
                    out.push_str(&self.day(d));
                    (i, at) = (i + 10, i + 10);
                }
                None => i += 1,
            }
        }
        out.push_str(&text[at..]);
        out
    }

    /// `text` with a role's word right after one of `markers` shown by the role's name.
    fn roles_named(&self, text: String, markers: &[&str], quotes: (&str, &str)) -> String {
        let mut words: Vec<String> = text.split(' ').map(str::to_string).collect();
        for i in 1..words.len() {
            if markers.contains(&words[i - 1].as_str()) {
                if let Some(role) = Role::parse(&words[i]) {
                    words[i] = format!("{}{}{}", quotes.0, self.role(role), quotes.1);
                }
            }
        }
        words.join(" ")
    }
}

/// `value`'s Russian in `table`.
fn lookup(table: &[(&str, &str)], value: &str) -> String {
    table
        .iter()
        .find(|(en, _)| *en == value)
        .map_or(value, |(_, ru)| *ru)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::super::{EN, RU};
    use super::*;

    /// A subject of every form the actions write, with values that are not English words.
    const WRITTEN: &[&str] = &[
        "12 calls before 2026-11-01",
        "backup downloaded (40 calls)",
        "3 calls, 7 questions",
        "40 calls",
        "answer wifi-2 created",
        "answer wifi-2 saved",
        "answer wifi-2 version 9 restored",
        "answer wifi-2 retired",
        "answer wifi-2 renamed to wifi-3",
        "answer wifi-2 reviewed",
        "answer wifi-2 written for group 5",
        "questions report 2026-11-01..2026-11-30 all (31 rows, csv)",
        "questions report 2026-11-01..2026-11-30 secondary (4 rows, csv)",
        "desk report 2026-11-01..2026-11-30 (csv)",
        "questions of answer:wifi-2 2026-11-01..2026-11-30",
        "questions of group:5 2026-11-01..2026-11-30",
        "call 12 (opened)",
        "call 12",
        "call 12 (question 40 logged)",
        "call 12 (question 40 linked)",
        "call 12 (question 40 unlinked)",
        "call 12 (question 40 deleted)",
        "calls 2026-11-01..2026-11-02 (14)",
        "calls list 2026-11-02",
        "calls list 2026-11-01 to 2026-11-02",
        "callbacks promised 2026-11-01 to 2026-11-02",
        "caller +7 912 000-00-00",
        "caller 89120000000 (lookup)",
        "caller erased",
        "caller erased (lookup)",
        "regroup (120 questions)",
        "group 5 linked to wifi-2",
        "group 5 merged into 6",
        "group 5 dismissed",
        "group 5 back in the queue",
        "group 5 split into 8",
        "question 40 moved to group 6",
        "callback 4 promised on call 12",
        "callback 4 joined by call 13",
        "callback 4 withdrawn on its call's card",
        "callback 4 opened for a missed call of mango",
        "callback 4 handed over to olga",
        "callback 4 due 05.12 10:00",
        "callback 4 closed on call 15",
        "callback 4 reached",
        "callback 4 no_answer",
        "callback 4 lost",
        "callback 4",
        "callbacks 4, 5 of olga left to the heads (unassigned)",
        "account admin (first start)",
        "account vera added as operator",
        "account vera profile",
        "account vera role head",
        "account vera disabled",
        "account vera enabled",
        "account vera password set",
        "account vera password reset",
        "account vera",
        "token pbx created as operator",
        "token pbx revoked",
        "address 127.0.0.1",
        "database from /var/backup/callfaq-1.db",
        "phone 79120000000",
        "zadarma refused from 10.0.0.1: bad signature",
        "zadarma refused from 10.0.0.1: bad signature (and 7 refused before it, not written one by one)",
        "zadarma refused from 10.0.0.1: the exchange's signature does not match",
        "generic refused from 10.0.0.1: unknown or revoked token (and 3 refused before it, not written one by one)",
        "generic refused from 10.0.0.1: no token",
        "mango refused from 10.0.0.1: the adapter is off",
        "generic refused from 10.0.0.1: caller: required",
        "generic refused from 10.0.0.1: caller: longer than 64 characters",
        "generic refused from 10.0.0.1: a body over 65536 bytes",
        "mango refused from 10.0.0.1: unknown event type: 17",
        "generic refused from 10.0.0.1: malformed body: 42",
        "generic call x-77 ringing refused: no caller's number, nor a word that it was withheld",
        "generic call x-77 ended missed refused: never told of, no caller's number",
        "callback 5 promised on call 13 (4 closed)",
        "group 5 not linked to wifi-2: no longer in the queue",
        "missed calls 2026-11-01 to 2026-11-02",
        "asterisk:1700.5: call 12 is another person's, a call of its own opened",
        "asterisk:1700.5 linked to call 12",
        "mango call x-77 ringing: call opened",
        "mango call x-77 answered",
        "mango call x-77 answered (after its end)",
        "mango call x-77 ended missed: missed, a callback",
        "mango call x-77 ended busy: number ignored",
        "mango call x-77 ended answered: not missed",
        "mango call x-77 ended voice_menu: no number to call back",
        "mango call x-77 ended missed duplicate, ignored",
    ];

    /// The values in [`WRITTEN`] and the technical words that stay as they are.
    const KEPT: &[&str] = &[
        "wifi",
        "csv",
        "olga",
        "vera",
        "admin",
        "pbx",
        "var",
        "backup",
        "callfaq",
        "db",
        "zadarma",
        "asterisk",
        "mango",
        "Mango",
        "Office",
        "Zadarma",
        "ITooLabs",
        "Asterisk",
        "generic",
        "caller",
        "bad",
        "signature",
        "x",
        "e",
        "mail",
    ];

    #[test]
    fn every_written_subject_reads_in_russian() {
        for subject in WRITTEN {
            let ru = RU.audit_subject(subject);
            let english: Vec<&str> = ru
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| !w.is_empty() && !KEPT.contains(w))
                .collect();
            assert!(english.is_empty(), "{subject} → {ru}: {english:?}");
        }
    }

    #[test]
    fn english_subjects_write_their_days_as_english_pages_do() {
        let nb = |s: &str| s.replace(' ', "\u{a0}");
        assert_eq!(
            EN.audit_subject("calls list 2026-12-07 to 2026-12-08"),
            format!("calls list {} to {}", nb("7 Dec 2026"), nb("8 Dec 2026"))
        );
        assert_eq!(
            EN.audit_subject("questions of answer:x 2026-09-21..2026-12-08"),
            format!(
                "questions of answer:x {} – {}",
                nb("21 Sep 2026"),
                nb("8 Dec 2026")
            )
        );
        for kept in [
            "callback 7 due 2026-12-08T10:00",
            "version 12026-12-08",
            "2026-13-01",
        ] {
            assert_eq!(EN.audit_subject(kept), kept);
        }
    }

    #[test]
    fn subjects_read_in_russian_with_their_values_in_place() {
        let cases = [
            (
                "call 12 (question 40 logged)",
                "звонок 12 (вопрос 40 записан)",
            ),
            (
                "account vera added as operator",
                "учётная запись vera добавлена, роль «Оператор»",
            ),
            (
                "account vera role head",
                "учётная запись vera — роль «Руководитель продаж»",
            ),
            (
                "token pbx created as operator",
                "токен pbx создан, роль «Оператор»",
            ),
            (
                "callback 4 handed over to olga",
                "перезвон 4 передан менеджеру olga",
            ),
            ("12 calls before 2026-11-01", "звонки до 01.11.2026: 12"),
            // Days as the desk writes them.
            (
                "questions report 2026-11-01..2026-11-30 secondary (4 rows, csv)",
                "отчёт «О чём спрашивают» за 01.11.2026–30.11.2026, уже работают с нами (строк: 4, csv)",
            ),
            (
                "calls list 2026-11-01 to 2026-11-02",
                "список звонков за 01.11.2026–02.11.2026",
            ),
            ("calls list 2026-11-02", "список звонков за 02.11.2026"),
            ("callback 4 no_answer", "перезвон 4: клиент не ответил"),
            (
                "mango call x-77 ended missed: missed, a callback",
                "Mango Office: звонок x-77 — завершён, пропущен: нужен перезвон",
            ),
            (
                "mango call x-77 ringing duplicate, ignored",
                "Mango Office: звонок x-77 — звонит; повтор, пропущен",
            ),
            // Why an exchange was refused, a field's problem in the interface's words.
            (
                "generic refused from 127.0.0.1: caller: required",
                "АТС (общий формат событий): запрос с 127.0.0.1 отклонён: поле «caller»: обязательное поле",
            ),
            (
                "generic refused from 127.0.0.1: no token",
                "АТС (общий формат событий): запрос с 127.0.0.1 отклонён: токен не передан",
            ),
            (
                "mango refused from 127.0.0.1: unknown event type: recording",
                "Mango Office: запрос с 127.0.0.1 отклонён: неизвестный тип события: recording",
            ),
            // A reason of no known form stays as it is.
            (
                "mango refused from 127.0.0.1: a new kind",
                "Mango Office: запрос с 127.0.0.1 отклонён: a new kind",
            ),
            // A value that looks like a form's word stays a value.
            (
                "callback 4 due 05.12 10:00",
                "перезвон 4: новый срок 05.12 10:00",
            ),
            // A line of no known form is read word by word.
            ("call 3 of an old kind", "звонок 3 of an old kind"),
        ];
        for (en, ru) in cases {
            assert_eq!(RU.audit_subject(en), ru);
        }
        assert_eq!(EN.audit_subject("call 12"), "call 12");
        assert_eq!(
            EN.audit_subject("callback 7 no_answer"),
            "callback 7 no answer"
        );
        assert_eq!(RU.audit_actor("cli"), "командная строка");
        assert_eq!(RU.audit_actor("token:pbx"), "токен pbx");
        assert_eq!(RU.audit_actor("olga"), "olga");
        assert_eq!(
            RU.audit_actor("exchange:generic"),
            "АТС (общий формат событий)"
        );
        assert_eq!(RU.audit_actor("exchange:mango"), "Mango Office");
        // A visitor's typed login is said as typed, whatever it looks like.
        assert_eq!(
            RU.audit_actor_of("token:pbx", "login-failed"),
            "введено: «token:pbx»"
        );
        assert_eq!(RU.audit_actor_of("token:pbx", "pbx"), "токен pbx");
        assert_eq!(
            EN.audit_subject("account admin role editor"),
            "account admin role “Editor”"
        );
    }

    #[test]
    fn every_form_places_every_slot() {
        for (en, ru) in SUBJECTS {
            let slots = pieces(en)
                .iter()
                .filter(|p| !matches!(p, Piece::Text(_)))
                .count();
            for i in 0..slots {
                assert!(ru.contains(&format!("{{{i}}}")), "{en}: {{{i}}}");
            }
            assert!(!ru.contains(&format!("{{{slots}}}")), "{en}");
        }
    }
}
