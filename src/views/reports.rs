//! The head of sales' pages (what callers ask, the desk figures) and the cheat sheet printed for
//! the desk. Week counts are drawn as small inline SVG bars: no script, no outside files.

use super::{layout, Ctx};
use crate::accounts::Role;
use crate::calls::CallKind;
use crate::i18n::Texts;
use crate::paths;
use crate::report::desk::{self, Cell, Column, DeskReport, Figures};
use crate::report::questions::{QuestionReport, Row, SearchCount, WeekCount};
use crate::report::CheatSheet;
use maud::{html, Markup};

/// Size of a week chart, in pixels.
const CHART_WIDTH: usize = 160;
const CHART_HEIGHT: usize = 28;

fn period_form(
    ctx: &Ctx,
    action: &str,
    from: &str,
    to: &str,
    kind: Option<Option<CallKind>>,
) -> Markup {
    let t = ctx.texts;
    html! {
        form.period method="get" action=(action) {
            label { (t.report_from) " " input type="date" name="from" value=(from) max="9999-12-31" required; }
            " "
            label { (t.report_to) " " input type="date" name="to" value=(to) max="9999-12-31" required; }
            @if let Some(kind) = kind {
                " "
                label { (t.report_kind) " "
                    select name="kind" {
                        option value="all" selected[kind.is_none()] { (t.report_kind_all) }
                        option value="primary" selected[kind == Some(CallKind::Primary)] { (t.report_kind_primary) }
                        option value="secondary" selected[kind == Some(CallKind::Secondary)] { (t.report_kind_secondary) }
                    }
                }
            }
            " " button type="submit" { (t.report_show) }
        }
    }
}

/// A report page whose period was refused: the period form as typed (from, to, the kind of
/// calls), what is wrong said beside it (`desk`: the desk figures, else what callers ask).
pub fn period_refused(
    ctx: &Ctx,
    desk: bool,
    (from, to, kind): (&str, &str, Option<&str>),
    error: &crate::fields::FieldError,
) -> Markup {
    let t = ctx.texts;
    let (title, action, kind) = match desk {
        true => (t.report_desk_title, paths::DESK_REPORT_PAGE, None),
        false => (
            t.report_questions_title,
            paths::QUESTIONS_REPORT_PAGE,
            Some(kind.and_then(CallKind::parse)),
        ),
    };
    layout(
        ctx,
        title,
        html! {
            h1 { (title) }
            (report_nav(ctx))
            (period_form(ctx, action, from, to, kind))
            p.error role="alert" { (t.page_field_error(error)) }
        },
    )
}

fn report_nav(ctx: &Ctx) -> Markup {
    let t = ctx.texts;
    html! {
        p.report-nav {
            a href=(paths::QUESTIONS_REPORT_PAGE) { (t.report_questions_title) }
            " · "
            a href=(paths::DESK_REPORT_PAGE) { (t.report_desk_title) }
            " · "
            a href=(paths::CHEAT_SHEET_PAGE) { (t.nav_cheat_sheet) }
        }
    }
}

/// The questions behind a row of the questions report: the row's period and kind of call.
fn behind_link(from: &str, to: &str, kind: Option<CallKind>, key: &str) -> String {
    let mut url = format!(
        "{}?from={from}&to={to}&key={}",
        paths::QUESTIONS_BEHIND_PAGE,
        paths::encode_component(key)
    );
    if let Some(k) = kind {
        url.push_str("&kind=");
        url.push_str(k.as_str());
    }
    url
}

/// The questions a row of the questions report counts, newest first, each with how it is
/// counted there and its call; the way back to the report.
pub fn questions_behind(ctx: &Ctx, behind: &crate::actions::reports::RowBehind) -> Markup {
    use crate::store::CountedAs;
    let t = ctx.texts;
    let period = behind.asked.period;
    let (from, to) = (period.from.to_string(), period.to.to_string());
    let kind = behind.asked.kind;
    let which = match kind {
        None => t.report_kind_all,
        Some(CallKind::Primary) => t.report_kind_primary,
        Some(CallKind::Secondary) => t.report_kind_secondary,
    };
    let mut back = format!("{}?from={from}&to={to}", paths::QUESTIONS_REPORT_PAGE);
    if let Some(k) = kind {
        back.push_str("&kind=");
        back.push_str(k.as_str());
    }
    let line = Texts::fill(
        t.behind_line,
        &[
            &crate::text::clip(&behind.title, super::LISTED_CHARS),
            &t.iso_day(&from),
            &t.iso_day(&to),
            &which,
        ],
    );
    let shown = behind.questions.len();
    layout(
        ctx,
        t.behind_title,
        html! {
            h1 { (t.behind_title) }
            p.drill { (line) }
            p { a href=(back) { (t.counted_back) } }
            @if shown == 0 {
                p.empty { (t.counted_none) }
            } @else {
                @if shown >= crate::actions::reports::BEHIND_LIMIT {
                    p.muted { (Texts::fill(t.counted_truncated, &[&shown])) }
                }
                table.report.behind {
                    thead { tr {
                        th { (t.behind_col_when) }
                        th { (t.behind_col_question) }
                        th { (t.behind_col_how) }
                        th { (t.behind_col_call) }
                    } }
                    tbody {
                        @for q in &behind.questions {
                            tr.matched[q.how == CountedAs::Matched] {
                                td.nowrap { (ctx.moment(q.asked_at)) }
                                td { (super::listed_quoted(t, &q.text)) }
                                td { (match q.how {
                                    CountedAs::Linked => t.behind_linked,
                                    CountedAs::Matched => t.behind_matched,
                                    CountedAs::Grouped => t.behind_grouped,
                                }) }
                                td { a href=(paths::call_page(q.call)) { (Texts::fill(t.behind_call, &[&q.call])) } }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn csv_link(action: &str, from: &str, to: &str, kind: Option<CallKind>) -> String {
    let mut url = format!("{action}?from={from}&to={to}&format=csv");
    if let Some(k) = kind {
        url.push_str("&kind=");
        url.push_str(k.as_str());
    }
    url
}

/// Bars of the week counts, the tallest at full height; each week by its days in `period`.
fn week_chart(
    texts: &Texts,
    title: &str,
    weeks: &[WeekCount],
    period: Option<crate::report::Period>,
) -> Markup {
    let most = weeks.iter().map(|w| w.count).max().unwrap_or(0).max(1);
    let n = weeks.len().max(1);
    let slot = CHART_WIDTH as f64 / n as f64;
    let bar = (slot * 0.8).max(1.0);
    let label = Texts::fill(texts.report_chart_label, &[&title]);
    html! {
        svg.weeks xmlns="http://www.w3.org/2000/svg" width=(CHART_WIDTH) height=(CHART_HEIGHT)
            viewBox=(format!("0 0 {CHART_WIDTH} {CHART_HEIGHT}")) role="img" aria-label=(label) {
            @for (i, w) in weeks.iter().enumerate() {
                @let h = (w.count as f64 / most as f64 * (CHART_HEIGHT as f64 - 2.0)).max(if w.count > 0 { 1.0 } else { 0.0 });
                rect x=(format!("{:.1}", i as f64 * slot)) y=(format!("{:.1}", CHART_HEIGHT as f64 - h))
                    width=(format!("{bar:.1}")) height=(format!("{h:.1}")) {
                    title { (period.map_or_else(|| w.week.clone(), |p| p.week_label(&w.week, texts))) ": " (w.count) }
                }
            }
        }
    }
}

fn change(row: &Row) -> String {
    let (now, before) = (row.count as i64, row.previous_count as i64);
    if before == 0 {
        return format!("+{now}");
    }
    let percent = ((now - before) as f64 / before as f64 * 100.0).round() as i64;
    format!("{:+} ({percent:+}%)", now - before)
}

fn row_link(ctx: &Ctx, row: &Row) -> Option<String> {
    if let Some(slug) = row.key.strip_prefix("answer:") {
        return row.answered.then(|| paths::answer_page(slug));
    }
    let id: i64 = row.key.strip_prefix("group:")?.parse().ok()?;
    ctx.allows(Role::Editor)
        .then(|| paths::with_id(paths::GROUP_PAGE, id))
}

fn searches(ctx: &Ctx, heading: &str, list: &[SearchCount]) -> Markup {
    let t = ctx.texts;
    html! {
        section.searches {
            h2 { (heading) }
            @if list.is_empty() {
                p.muted { (t.report_no_searches) }
            } @else {
                table.report {
                    thead { tr { th { (t.report_col_search) } th.num { (t.report_col_times) } } }
                    tbody {
                        @for s in list {
                            tr { td { (s.query) } td.num { (s.count) } }
                        }
                    }
                }
            }
        }
    }
}

/// The question frequency report.
pub fn questions(ctx: &Ctx, report: &QuestionReport, kind: Option<CallKind>) -> Markup {
    let t = ctx.texts;
    let period = crate::report::Period::of_days(&report.from, &report.to);
    let action = paths::QUESTIONS_REPORT_PAGE;
    layout(
        ctx,
        t.report_questions_title,
        html! {
            h1 { (t.report_questions_title) }
            (report_nav(ctx))
            (period_form(ctx, action, &report.from, &report.to, Some(kind)))
            p {
                (Texts::fill(t.report_period, &[&t.iso_day(&report.from), &t.iso_day(&report.to)]))
                " · "
                a.csv href=(csv_link(paths::API_QUESTIONS_REPORT, &report.from, &report.to, kind)) download { (t.report_csv) }
            }
            @if report.rows.is_empty() {
                p.muted { (t.report_nothing) }
            } @else {
                table.report.questions-report {
                    thead { tr {
                        th { (t.report_col_question) }
                        th { (t.report_col_answered) }
                        th.num { (t.report_col_count) }
                        th.num title=(t.kind_primary) { (t.report_col_primary) }
                        th.num title=(t.kind_secondary) { (t.report_col_secondary) }
                        th { (t.report_col_weeks) }
                        th.num { (t.report_col_previous) }
                        th.num { (t.report_col_change) }
                    } }
                    tbody {
                        @for row in &report.rows {
                            tr.unanswered[!row.answered] data-key=(row.key) {
                                td {
                                    @if let Some(href) = row_link(ctx, row) {
                                        a href=(href) { (super::listed(&row.title)) }
                                    } @else {
                                        (super::listed(&row.title))
                                    }
                                }
                                td { @if row.answered { (t.report_answered) } @else { strong { (t.report_unanswered) } } }
                                td.num.count {
                                    a href=(behind_link(&report.from, &report.to, kind, &row.key)) title=(t.behind_link) { (row.count) }
                                }
                                td.num { (row.primary) }
                                td.num { (row.secondary) }
                                td { (week_chart(t, &row.title, &row.weeks, period)) }
                                td.num { (row.previous_count) }
                                td.num { (change(row)) }
                            }
                        }
                    }
                }
            }
            @if !report.rows.is_empty() {
                p.muted.behind-hint { (t.behind_hint) }
            }
            @if kind.is_some() {
                p.muted.searches-unfiltered { (t.report_searches_unfiltered) }
            }
            @if report.dismissed > 0 {
                p.muted.dismissed-count { (Texts::fill(t.report_dismissed, &[&report.dismissed])) }
            }
            (searches(ctx, t.report_no_result, &report.no_result_searches))
            (searches(ctx, t.report_unchosen, &report.unchosen_searches))
        },
    )
}

/// A cell as the page shows it.
fn cell(t: &Texts, c: Cell) -> String {
    match c {
        Cell::Count(n) => n.to_string(),
        Cell::Rate(Some(r)) => format!("{:.0}%", r * 100.0),
        Cell::Rate(None) => t.report_none_yet.to_string(),
        Cell::Minutes(Some(m)) => m.to_string(),
        Cell::Minutes(None) => t.report_none_yet.to_string(),
    }
}

/// Whose figures a row holds, for the lists behind them: its days, and the operator or the
/// manager as recorded (`""`: nobody).
struct Scope {
    from: String,
    to: String,
    /// The operator as recorded, and whether the row is the calls nobody answered.
    operator: Option<(String, bool)>,
    manager: Option<String>,
}

impl Scope {
    /// The list behind a cell, if its column counts something and the cell is not empty, and
    /// what it lists.
    fn link(&self, t: &Texts, column: &Column, f: &Figures) -> Option<(String, &'static str)> {
        let shown = match (column.cell)(f) {
            Cell::Count(n) => n > 0,
            // A share of contacts links to the potential clients it misses.
            Cell::Rate(_) => f.contacts < f.potential,
            Cell::Minutes(_) => false,
        };
        if !shown {
            return None;
        }
        if let Some(counted) = column.calls {
            let operator = self.operator.as_ref().map(|(o, u)| (o.as_str(), *u));
            let manager = self.manager.as_deref();
            let href =
                paths::counted_calls(&self.from, &self.to, operator, manager, counted.as_str());
            return Some((href, super::calls::counted_words(t, counted)));
        }
        // Calls nobody answered are counted by week: nobody's row.
        if let Some(which) = column.missed {
            if self.operator.is_some() || self.manager.is_some() {
                return None;
            }
            let href = paths::missed_calls(&self.from, &self.to, which);
            return Some((href, super::calls::missed_words(t, which)));
        }
        // Callbacks are counted by manager; an operator's row has none.
        let which = column.callbacks.filter(|_| self.operator.is_none())?;
        let owner = match self.manager.as_deref() {
            None => "all",
            Some("") => "none",
            Some(login) => login,
        };
        let href = paths::counted_callbacks(&self.from, &self.to, owner, which);
        Some((href, super::callbacks::counted_words(t, which)))
    }
}

/// A table of figures: a heading cell, then one per column; a total row when given. A figure
/// that counts calls or callbacks links to them (`scope` says whose the row is).
fn figures_table<'a>(
    ctx: &Ctx,
    class: &str,
    first: &str,
    columns: &[&Column],
    rows: impl Iterator<Item = (impl AsRef<str>, &'a Figures)>,
    total: Option<&Figures>,
    scope: &dyn Fn(Option<&Figures>) -> Option<Scope>,
) -> Markup {
    let t = ctx.texts;
    let cells = |f: &Figures, scope: Option<Scope>| {
        html! {
            @for c in columns {
                @let text = cell(t, (c.cell)(f));
                td.num {
                    @match scope.as_ref().and_then(|s| s.link(t, c, f)) {
                        Some((href, what)) => a href=(href) title=(what) { (text) },
                        None => (text),
                    }
                }
            }
        }
    };
    html! {
        div.table-wrap { table.report.(class) {
            thead { tr { th { (first) } @for c in columns { th.num { ((c.head)(t)) } } } }
            tbody {
                @for (label, f) in rows {
                    tr { th scope="row" { (label.as_ref()) } (cells(f, scope(Some(f)))) }
                }
            }
            @if let Some(f) = total {
                tfoot { tr { th scope="row" { (t.report_total) } (cells(f, scope(None))) } }
            }
        } }
    }
}

/// The desk figures, this week first; weeks before the first with anything to count are left
/// out (a new desk's default twelve weeks are mostly empty).
pub fn desk(ctx: &Ctx, report: &DeskReport) -> Markup {
    let t = ctx.texts;
    let with_callbacks: Vec<&Column> = desk::columns_with_callbacks().collect();
    let calls_only: Vec<&Column> = desk::call_columns().collect();
    let missed: Vec<&Column> = desk::missed_columns().collect();
    let busy = |w: &Figures| {
        w.calls > 0
            || w.callbacks
                .as_ref()
                .is_some_and(|c| c.callbacks_promised > 0)
            || w.missed.as_ref().is_some_and(|m| m.missed_calls > 0)
    };
    let first_busy = report
        .weeks
        .iter()
        .position(busy)
        .unwrap_or(report.weeks.len().saturating_sub(1));
    let weeks = &report.weeks[first_busy..];
    let quiet = !report.weeks.iter().any(busy);
    // A week by its days, as the desk reads dates (`30.11–06.12.2026`), the ISO week aside.
    let week_labels: Vec<(String, &Figures)> = weeks
        .iter()
        .rev()
        .map(|w| (report.week_label(w.week.as_deref().unwrap_or(""), t), w))
        .collect();
    let quiet_before = weeks
        .first()
        .filter(|_| first_busy > 0)
        .and_then(|w| w.week.as_deref())
        .and_then(|w| report.week_days(w))
        .map(|p| t.day(p.from));
    let whole = |manager: Option<&str>, operator: Option<(&str, bool)>| Scope {
        from: report.from.clone(),
        to: report.to.clone(),
        operator: operator.map(|(o, u)| (o.to_string(), u)),
        manager: manager.map(str::to_string),
    };
    let by_week = |f: Option<&Figures>| match f {
        None => Some(whole(None, None)),
        Some(f) => f
            .week
            .as_deref()
            .and_then(|w| report.week_days(w))
            .map(|p| Scope {
                from: p.from.to_string(),
                to: p.to.to_string(),
                operator: None,
                manager: None,
            }),
    };
    let by_operator = |f: Option<&Figures>| {
        f.map(|f| {
            whole(
                None,
                Some((f.operator.as_deref().unwrap_or(""), f.unanswered)),
            )
        })
    };
    let by_manager =
        |f: Option<&Figures>| f.map(|f| whole(Some(f.manager.as_deref().unwrap_or("")), None));
    layout(
        ctx,
        t.report_desk_title,
        html! {
            h1 { (t.report_desk_title) }
            (report_nav(ctx))
            (period_form(ctx, paths::DESK_REPORT_PAGE, &report.from, &report.to, None))
            p {
                (Texts::fill(t.report_period, &[&t.iso_day(&report.from), &t.iso_day(&report.to)]))
                " · "
                a.csv href=(csv_link(paths::API_DESK_REPORT, &report.from, &report.to, None)) download { (t.report_csv) }
            }
            p.hint { (t.report_contacts_hint) " " (t.report_figures_hint) }
            h2 { (t.report_by_week) }
            @if quiet {
                p.empty { (t.report_no_calls) }
            } @else {
                (figures_table(ctx, "desk-weeks", t.report_col_week, &with_callbacks,
                    week_labels.iter().map(|(label, w)| (label.as_str(), *w)), Some(&report.total), &by_week))
                @if let Some(date) = &quiet_before { p.hint { (Texts::fill(t.report_quiet_weeks, &[date])) } }
            }
            h2 { (t.report_by_operator) }
            @if report.operators.is_empty() {
                p.empty { (t.report_no_calls) }
            } @else {
                (figures_table(ctx, "desk-operators", t.report_col_operator, &calls_only,
                    report.operators.iter().map(|o| (o.operator_label(t), o)), None, &by_operator))
            }
            h2 { (t.report_by_manager) }
            @if report.managers.is_empty() {
                p.empty { (t.report_no_managers) }
            } @else {
                (figures_table(ctx, "desk-managers", t.report_col_manager, &with_callbacks,
                    report.managers.iter().map(|m| (m.manager_label(t), m)), None, &by_manager))
            }
            // Only where a phone exchange tells the desk of its calls.
            @if report.has_missed() {
                h2 { (t.report_missed_title) }
                p.hint { (t.report_missed_hint) }
                (figures_table(ctx, "desk-missed", t.report_col_week, &missed,
                    week_labels.iter().map(|(label, w)| (label.as_str(), *w)), Some(&report.total), &by_week))
            }
        },
    )
}

/// The cheat sheet, laid out for A4.
pub fn cheat_sheet(ctx: &Ctx, sheet: &CheatSheet) -> Markup {
    let t = ctx.texts;
    let date = |d: chrono::NaiveDate| t.day(d);
    layout(
        ctx,
        t.nav_cheat_sheet,
        html! {
            article.cheat-sheet {
                header.cheat-head {
                    h1 { (t.cheat_title) }
                    p.dated { (Texts::fill(t.cheat_dated, &[&date(sheet.date), &date(sheet.period.0), &date(sheet.period.1)])) }
                    button.print type="button" data-print { (t.cheat_print) }
                }
                @if sheet.entries.is_empty() {
                    p { (t.cheat_empty) }
                }
                // Numbered in the page itself, not by list markers: a marker sits outside its box,
                // in the margin, where a printer clips «10.».
                ol.cheat-entries {
                    @for (i, e) in sheet.entries.iter().enumerate() {
                        li.cheat-entry {
                            span.cheat-number aria-hidden="true" { (i + 1) "." }
                            div.cheat-text {
                                h2 { (e.title) }
                                p.say { (e.phrase) }
                                p.asked { (Texts::fill(t.cheat_asked, &[&t.count(e.count, t.times)])) }
                            }
                        }
                    }
                }
            }
        },
    )
}
