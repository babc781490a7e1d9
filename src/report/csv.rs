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

/// The question report as a table: key, title, answered, count, primary, secondary, previous,
/// then one column per week.
pub fn questions(report: &super::questions::QuestionReport, t: &Texts) -> String {
    let header = [
        t.report_col_key,
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
    let rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|r| {
            let mut cells = vec![
                r.key.clone(),
                r.title.clone(),
                if r.answered { "1" } else { "0" }.to_string(),
                r.count.to_string(),
                r.primary.to_string(),
                r.secondary.to_string(),
                r.previous_count.to_string(),
            ];
            cells.extend(r.weeks.iter().map(|w| w.count.to_string()));
            cells
        })
        .collect();
    table(&head, &rows)
}

/// The desk report as a table, one row per week then per operator.
pub fn desk(report: &super::desk::DeskReport, t: &Texts) -> String {
    let header = [
        t.report_col_week,
        t.report_col_calls,
        t.report_col_primary,
        t.report_col_secondary,
        t.report_col_potential,
        t.report_col_contacts,
        t.report_col_capture,
        t.report_col_callbacks,
        t.report_col_callbacks_done,
    ];
    let rows: Vec<Vec<String>> = report
        .weeks
        .iter()
        .chain(&report.operators)
        .map(|f| {
            vec![
                f.week
                    .clone()
                    .or_else(|| f.operator.clone())
                    .unwrap_or_default(),
                f.calls.to_string(),
                f.primary.to_string(),
                f.secondary.to_string(),
                f.potential.to_string(),
                f.contacts.to_string(),
                format!("{:.3}", f.capture_rate),
                f.callbacks.to_string(),
                f.callbacks_done.to_string(),
            ]
        })
        .collect();
    table(&header, &rows)
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
