//! Reports as spreadsheets: UTF-8 with a byte-order mark (so that Excel reads Russian text
//! right), a semicolon between fields in Russian (what a Russian Excel expects, its numbers
//! taking a decimal comma) and a comma in English, fields quoted when they need it.

use crate::i18n::Texts;

/// The byte-order mark that opens the file.
pub const BOM: &str = "\u{feff}";

/// One field, quoted when it holds a separator, a quote or a line break. A field that a
/// spreadsheet would take for a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return: a caller's phrasing, an operator's name) gets a leading `'`, as OWASP's guidance on
/// CSV injection recommends, so that it is shown as the text it is and never run.
pub fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([';', '"', '\n', '\r', ',']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// What separates fields in the language's spreadsheets: `;` where numbers take a decimal
/// comma (Russian), `,` elsewhere.
fn separator(t: &Texts) -> &'static str {
    if t.decimal_comma() {
        ";"
    } else {
        ","
    }
}

/// A whole table: a header line and rows, each line ended by CRLF.
pub fn table(header: &[&str], rows: &[Vec<String>], t: &Texts) -> String {
    let mut out = String::from(BOM);
    let line = |cells: Vec<String>| cells.join(separator(t)) + "\r\n";
    out.push_str(&line(header.iter().map(|h| field(h)).collect()));
    for row in rows {
        out.push_str(&line(row.iter().map(|c| field(c)).collect()));
    }
    out
}

/// Tables one after another, each under its title, a blank line between them, the file opened
/// by the byte-order mark once.
fn sections(parts: &[(&str, String)]) -> String {
    parts
        .iter()
        .map(|(title, body)| format!("{}\r\n{}", field(title), body.trim_start_matches(BOM)))
        .fold(String::from(BOM), |out, s| {
            if out.len() > BOM.len() {
                out + "\r\n" + &s
            } else {
                out + &s
            }
        })
}

/// The question report as the page shows it, each table under its title: the typical questions
/// (the answer's title, or the group's), whether each has an answer, count, first-time,
/// existing, the period before, one column per week, and last the key (`answer:slug`,
/// `group:N`) for whoever joins the table to others, with a total; then the searches that
/// found nothing, and those that found something nobody chose.
pub fn questions(report: &super::questions::QuestionReport, t: &Texts) -> String {
    let header = [
        t.report_col_question,
        t.report_col_answered,
        t.report_col_count,
        t.report_col_primary,
        t.report_col_secondary,
        t.report_col_previous,
    ];
    // Each week by its days, as the desk reads dates (`21.12–27.12.2026`).
    let period = super::Period::of_days(&report.from, &report.to);
    let weeks: Vec<String> = report
        .rows
        .first()
        .map(|r| {
            r.weeks
                .iter()
                .map(|w| period.map_or_else(|| w.week.clone(), |p| p.week_label(&w.week, t)))
                .collect()
        })
        .unwrap_or_default();
    let mut head: Vec<&str> = header.to_vec();
    head.extend(weeks.iter().map(String::as_str));
    head.push(t.report_col_key);
    let mut rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|r| {
            let answered = if r.answered {
                t.report_answered
            } else {
                t.report_unanswered
            };
            let mut cells = vec![
                r.title.clone(),
                answered.to_string(),
                r.count.to_string(),
                r.primary.to_string(),
                r.secondary.to_string(),
                r.previous_count.to_string(),
            ];
            cells.extend(r.weeks.iter().map(|w| w.count.to_string()));
            cells.push(r.key.clone());
            cells
        })
        .collect();
    if !report.rows.is_empty() {
        let sum = |pick: &dyn Fn(&super::questions::Row) -> u64| {
            report.rows.iter().map(pick).sum::<u64>().to_string()
        };
        let mut total = vec![
            t.report_total.to_string(),
            String::new(),
            sum(&|r| r.count),
            sum(&|r| r.primary),
            sum(&|r| r.secondary),
            sum(&|r| r.previous_count),
        ];
        total.extend((0..weeks.len()).map(|i| sum(&|r| r.weeks.get(i).map_or(0, |w| w.count))));
        total.push(String::new());
        rows.push(total);
    }
    let searches = |list: &[crate::store::SearchCount]| {
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|s| vec![s.query.clone(), s.count.to_string()])
            .collect();
        table(&[t.report_col_search, t.report_col_times], &rows, t)
    };
    sections(&[
        (t.report_questions_title, table(&head, &rows, t)),
        (t.report_no_result, searches(&report.no_result_searches)),
        (t.report_unchosen, searches(&report.unchosen_searches)),
    ])
}

/// A number as the interface's language writes it in a spreadsheet: a decimal comma in
/// Russian, a point in English.
pub fn decimal(t: &Texts, value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    if t.decimal_comma() {
        text.replace('.', ",")
    } else {
        text
    }
}

fn desk_cell(t: &Texts, c: super::desk::Cell) -> String {
    use super::desk::Cell;
    match c {
        Cell::Count(n) => n.to_string(),
        // A share as the page shows it, a percentage a spreadsheet reads as one («66,7%»).
        Cell::Rate(r) => r
            .map(|r| format!("{}%", decimal(t, r * 100.0, 1)))
            .unwrap_or_default(),
        Cell::Minutes(m) => m.map(|m| m.to_string()).unwrap_or_default(),
    }
}

/// The desk report as a spreadsheet, as the page shows it: the weeks (this week first) with
/// their total, then the operators, then the managers, then the calls nobody answered (when
/// there were any), each a table under its own title, a blank line between them.
pub fn desk(report: &super::desk::DeskReport, t: &Texts) -> String {
    use super::desk::{call_columns, columns_with_callbacks, missed_columns, Column, Figures};
    let table_of = |first: &str, columns: Vec<&Column>, rows: &[(String, &Figures)]| {
        let mut head = vec![first];
        head.extend(columns.iter().map(|c| (c.head)(t)));
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|(label, f)| {
                let mut cells = vec![label.clone()];
                cells.extend(columns.iter().map(|c| desk_cell(t, (c.cell)(f))));
                cells
            })
            .collect();
        table(&head, &rows, t)
    };
    let mut weeks: Vec<(String, &Figures)> = report
        .weeks
        .iter()
        .rev()
        .map(|w| (report.week_label(w.week.as_deref().unwrap_or(""), t), w))
        .collect();
    weeks.push((t.report_total.to_string(), &report.total));
    let operators: Vec<(String, &Figures)> = report
        .operators
        .iter()
        .map(|o| (o.operator_label(t).to_string(), o))
        .collect();
    let managers: Vec<(String, &Figures)> = report
        .managers
        .iter()
        .map(|m| (m.manager_label(t).to_string(), m))
        .collect();
    let mut parts = vec![
        (
            t.report_by_week,
            table_of(
                t.report_col_week,
                columns_with_callbacks().collect(),
                &weeks,
            ),
        ),
        (
            t.report_by_operator,
            table_of(t.report_col_operator, call_columns().collect(), &operators),
        ),
        (
            t.report_by_manager,
            table_of(
                t.report_col_manager,
                columns_with_callbacks().collect(),
                &managers,
            ),
        ),
    ];
    if report.has_missed() {
        parts.push((
            t.report_missed_title,
            table_of(t.report_col_week, missed_columns().collect(), &weeks),
        ));
    }
    sections(&parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed_and_the_file_opens_with_a_bom() {
        assert_eq!(field("Сколько стоит"), "Сколько стоит");
        assert_eq!(field("a;b"), "\"a;b\"");
        assert_eq!(field("он сказал \"да\""), "\"он сказал \"\"да\"\"\"");
        let t = table(
            &["Вопрос", "Число"],
            &[vec!["Цена?".into(), "3".into()]],
            &crate::i18n::RU,
        );
        assert!(t.starts_with('\u{feff}'));
        assert_eq!(t, "\u{feff}Вопрос;Число\r\nЦена?;3\r\n");
        // English spreadsheets take a comma between fields; a field holding one is quoted.
        let rows = [vec!["Price, roughly?".into(), "3".into()]];
        let t = table(&["Question", "Count"], &rows, &crate::i18n::EN);
        assert_eq!(t, "\u{feff}Question,Count\r\n\"Price, roughly?\",3\r\n");
    }

    #[test]
    fn a_field_that_looks_like_a_formula_stays_text() {
        for planted in [
            "=1+1",
            "+7 495",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "=HYPERLINK(\"x\";\"y\")",
        ] {
            let cell = field(planted);
            let unquoted = cell.trim_start_matches('"');
            assert!(unquoted.starts_with('\''), "{planted:?} gave {cell:?}");
        }
        assert_eq!(field("12"), "12");
        assert_eq!(field("Цена?"), "Цена?");
    }
}
