//! Reading typed values back out of rows: times, call kinds, and the error that names a column
//! whose text is not what callfaq writes.

use crate::calls::CallKind;
use chrono::{DateTime, Utc};
use rusqlite::types::Type;
use rusqlite::Row;

/// The call kind in column `index`.
pub(super) fn kind_at(row: &Row<'_>, index: usize) -> rusqlite::Result<CallKind> {
    let word: String = row.get(index)?;
    CallKind::parse(&word).ok_or_else(|| unreadable(index, format!("unknown call kind {word:?}")))
}

/// The time in column `index`.
pub(super) fn time_at(row: &Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    parse_stamp(index, row.get(index)?)
}

/// The time, if any, in column `index`.
pub(super) fn optional_time_at(
    row: &Row<'_>,
    index: usize,
) -> rusqlite::Result<Option<DateTime<Utc>>> {
    row.get::<_, Option<String>>(index)?
        .map(|text| parse_stamp(index, text))
        .transpose()
}

/// A stored time read back; `index` names the column in the error.
pub(super) fn parse_stamp(index: usize, text: String) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| unreadable(index, format!("bad time {text:?}: {e}")))
}

/// The error for a column whose value callfaq cannot read.
pub(super) fn unreadable(index: usize, message: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, Type::Text, message.into())
}
