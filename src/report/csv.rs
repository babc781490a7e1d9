//! Reports as spreadsheets: UTF-8 with a byte-order mark (so that Excel reads Russian text
//! right), a semicolon between fields (what a Russian Excel expects), fields quoted when they
//! need it.

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

/// A whole table: a header line and rows, each line ended by CRLF.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from(BOM);
    let line = |cells: Vec<String>| cells.join(";") + "\r\n";
    out.push_str(&line(header.iter().map(|h| field(h)).collect()));
    for row in rows {
        out.push_str(&line(row.iter().map(|c| field(c)).collect()));
    }
    out
}

/// The question report as a table: the typical question (the answer's title, or the group's),
/// whether it has an answer («есть» / «нет»), count, primary, secondary, previous, one column per
/// week, and last the key (`answer:slug`, `group:N`) for whoever joins the table to others.
pub fn questions(report: &super::questions::QuestionReport, t: &Texts) -> String {
    let header = [
        t.report_col_question,
        t.report_col_answered,
        t.report_col_count,
        t.report_col_primary,
        t.report_col_secondary,
        t.report_col_previous,
    ];
    let weeks: Vec<String> = report
        .rows
        .first()
        .map(|r| r.weeks.iter().map(|w| w.week.clone()).collect())
        .unwrap_or_default();
    let mut head: Vec<&str> = header.to_vec();
    head.extend(weeks.iter().map(String::as_str));
    head.push(t.report_col_key);
    let rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|r| {
            let mut cells = vec![
                r.title.clone(),
                if r.answered { t.yes } else { t.no }.to_string(),
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
    table(&head, &rows)
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
        Cell::Rate(r) => decimal(t, r, 3),
        Cell::Minutes(m) => m.map(|m| m.to_string()).unwrap_or_default(),
    }
}

/// The desk report as a spreadsheet: the weeks with their total, then the operators, then the
/// managers, each a table under its own title, a blank line between them.
pub fn desk(report: &super::desk::DeskReport, t: &Texts) -> String {
    use super::desk::{call_columns, columns_with_callbacks, missed_columns, Column, Figures};
    let section =
        |title: &str, first: &str, columns: Vec<&Column>, rows: Vec<(String, &Figures)>| {
            let mut head = vec![first];
            head.extend(columns.iter().map(|c| (c.head)(t)));
            let rows: Vec<Vec<String>> = rows
                .into_iter()
                .map(|(label, f)| {
                    let mut cells = vec![label];
                    cells.extend(columns.iter().map(|c| desk_cell(t, (c.cell)(f))));
                    cells
                })
                .collect();
            format!(
                "{}\r\n{}",
                field(title),
                table(&head, &rows).trim_start_matches(BOM)
            )
        };
    let mut weeks: Vec<(String, &Figures)> = report
        .weeks
        .iter()
        .map(|w| (w.week.clone().unwrap_or_default(), w))
        .collect();
    weeks.push((t.report_total.to_string(), &report.total));
    let operators = report
        .operators
        .iter()
        .map(|o| (o.operator_label(t).to_string(), o))
        .collect();
    let managers = report
        .managers
        .iter()
        .map(|m| (m.manager_label(t).to_string(), m))
        .collect();
    let missed = report.has_missed().then(|| {
        section(
            t.report_missed_title,
            t.report_col_week,
            missed_columns().collect(),
            weeks.clone(),
        )
    });
    [
        section(
            t.report_by_week,
            t.report_col_week,
            columns_with_callbacks().collect(),
            weeks,
        ),
        section(
            t.report_by_operator,
            t.report_col_operator,
            call_columns().collect(),
            operators,
        ),
        section(
            t.report_by_manager,
            t.report_col_manager,
            columns_with_callbacks().collect(),
            managers,
        ),
    ]
    .into_iter()
    .chain(missed)
    .collect::<Vec<_>>()
    .iter()
    .fold(String::from(BOM), |out, s| {
        if out.len() > BOM.len() {
            out + "\r\n" + s
        } else {
            out + s
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed_and_the_file_opens_with_a_bom() {
        assert_eq!(field("Сколько стоит"), "Сколько стоит");
        assert_eq!(field("a;b"), "\"a;b\"");
        assert_eq!(field("он сказал \"да\""), "\"он сказал \"\"да\"\"\"");
        let t = table(&["Вопрос", "Число"], &[vec!["Цена?".into(), "3".into()]]);
        assert!(t.starts_with('\u{feff}'));
        assert_eq!(t, "\u{feff}Вопрос;Число\r\nЦена?;3\r\n");
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
