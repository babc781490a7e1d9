//! The desk's pages: the list of the day's calls, the new-call card, the desk screen of one call,
//! and the plain forms that work without JavaScript. Changes are the same `actions::calls` as
//! the calls API's.

use super::error::{Error, Thing};
use super::extract::{parse_id, Viewer};
use super::{act, paths};
use crate::actions::calls;
use crate::calls::Outcome;
use crate::store::{Counted, CountedCalls};
use crate::views;
use crate::views::calls::Card;
use crate::web::extract::Params;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use std::collections::HashMap;

/// Filters of the calls list.
#[derive(Debug, Deserialize)]
pub struct ListParams {
    date: Option<String>,
    outcome: Option<String>,
    operator: Option<String>,
    /// The call just ended from its card (the list says so, and offers the next one).
    ended: Option<i64>,
    /// A desk report figure's calls: its days (`from`, `to`), the row's operator or manager as
    /// recorded, and which calls it counts.
    from: Option<String>,
    to: Option<String>,
    taken_by: Option<String>,
    /// With `taken_by` empty: `1` for the operators' row of the calls nobody answered, `0`
    /// for the calls recorded with no operator.
    unanswered: Option<String>,
    manager: Option<String>,
    counted: Option<String>,
    /// A missed figure's calls nobody answered: which (`all`, `callback`, ...).
    missed: Option<String>,
}

/// `GET /calls`: the day's calls, callbacks due first; with `from`, the calls behind a figure
/// of the desk report.
pub async fn list_page(
    viewer: Viewer,
    headers: HeaderMap,
    Params(params): Params<ListParams>,
) -> Result<Response, Error> {
    if let Some(from) = params.from.clone() {
        let back = super::reports::back_to_report(&headers, &from, params.to.as_deref());
        if let Some(which) = params.missed.clone() {
            return missed_page(viewer, from, params.to.clone(), which, &back).await;
        }
        return counted_page(viewer, from, params, &back).await;
    }
    let outcome = match params.outcome.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(word) => Some(Outcome::parse(word).ok_or_else(|| {
            Error::from(crate::fields::FieldError::new(
                "outcome",
                crate::fields::FieldProblem::ExpectedOneOf(Outcome::WORDS),
            ))
        })?),
    };
    let operator = params.operator.clone().filter(|o| !o.trim().is_empty());
    let op = operator.clone();
    let ((date, rows), managers, people) = act(&viewer, move |app, actor| {
        let day = calls::day(app, actor, params.date.as_deref(), outcome, op.as_deref())?;
        Ok((
            day,
            calls::manager_choices(app)?,
            calls::display_names(app)?,
        ))
    })
    .await?;
    let filter = views::calls::ListFilter {
        date,
        outcome,
        operator: operator.as_deref(),
        ended: params.ended,
    };
    let names = views::calls::Names {
        managers: &managers,
        people: &people,
    };
    Ok(views::calls::list(&viewer.ctx(), filter, &rows, names).into_response())
}

/// The calls behind a desk report figure (see [`ListParams`]).
async fn counted_page(
    viewer: Viewer,
    from: String,
    params: ListParams,
    back: &str,
) -> Result<Response, Error> {
    let which = match params.counted.as_deref().map(str::trim) {
        None | Some("") => Counted::All,
        Some(word) => Counted::parse(word).ok_or_else(|| {
            Error::from(crate::fields::FieldError::new(
                "counted",
                crate::fields::FieldProblem::ExpectedOneOf(Counted::WORDS),
            ))
        })?,
    };
    let unanswered = match params.unanswered.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("1") => Some(true),
        Some("0") => Some(false),
        Some(_) => {
            return Err(Error::from(crate::fields::FieldError::new(
                "unanswered",
                crate::fields::FieldProblem::ExpectedOneOf(&["0", "1"]),
            )))
        }
    };
    let (operator, manager) = (params.taken_by.clone(), params.manager.clone());
    let to = params.to.clone();
    let ((from, to, rows), managers, people) = act(&viewer, move |app, actor| {
        let counted = CountedCalls {
            operator: operator.as_deref(),
            manager: manager.as_deref(),
            unanswered,
            which,
        };
        Ok((
            calls::counted(app, actor, &from, to.as_deref(), &counted)?,
            calls::manager_choices(app)?,
            calls::display_names(app)?,
        ))
    })
    .await?;
    let drill = views::calls::Drill {
        from,
        to,
        operator: params.taken_by.as_deref(),
        unanswered: unanswered == Some(true),
        manager: params.manager.as_deref(),
        which,
        back,
    };
    let names = views::calls::Names {
        managers: &managers,
        people: &people,
    };
    Ok(views::calls::counted(&viewer.ctx(), &drill, &rows, names).into_response())
}

/// The calls nobody answered behind a missed figure of the desk report.
async fn missed_page(
    viewer: Viewer,
    from: String,
    to: Option<String>,
    which: String,
    back: &str,
) -> Result<Response, Error> {
    let word = which.clone();
    let ((from, to, rows), managers) = act(&viewer, move |app, actor| {
        Ok((
            calls::missed(app, actor, &from, to.as_deref(), Some(&word))?,
            calls::manager_choices(app)?,
        ))
    })
    .await?;
    let list = views::calls::MissedList {
        from,
        to,
        which: &which,
        back,
        managers: &managers,
    };
    Ok(views::calls::missed(&viewer.ctx(), &list, &rows).into_response())
}

/// Query of the new-call page: a phone exchange or a link may prefill the number.
#[derive(Debug, Deserialize)]
pub struct NewCallParams {
    phone: Option<String>,
    /// The exchange's ringing call the card is opened from (`exchange:call_id`, as the
    /// ringing banner names it): the number is the exchange's, not read back yet, and the
    /// returning caller's name is proposed.
    exchange: Option<String>,
}

/// `GET /calls/new`: the call card before the call is recorded.
pub async fn new_page(
    viewer: Viewer,
    Params(params): Params<NewCallParams>,
) -> Result<Response, Error> {
    let exchange = params
        .exchange
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| crate::text::clip(e, 200).into_owned());
    let phone = params.phone.clone().unwrap_or_default();
    let name = match (&exchange, phone.trim()) {
        (Some(_), number) if !number.is_empty() => {
            let number = number.to_string();
            act(&viewer, move |app, actor| {
                Ok(calls::caller(app, actor, Some(&number), None)?.name)
            })
            .await?
        }
        _ => None,
    };
    let start = views::calls::NewCard {
        phone: &phone,
        name: name.as_deref(),
        from_exchange: exchange.is_some(),
        exchange: exchange.as_deref(),
        typed: None,
    };
    Ok(views::calls::new_call(&viewer.ctx(), &viewer.app.desk, &start).into_response())
}

/// `POST /calls`: records a call from the new-call card, with the caller's first question if
/// one was typed, and opens its desk screen. A refused field shows the card again as typed.
pub async fn create_form(
    viewer: Viewer,
    Form(mut form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let card = form.clone();
    match act(&viewer, move |app, actor| {
        calls::open_from_card(app, actor, &card)
    })
    .await
    {
        Ok(record) => Ok(Redirect::to(&paths::call_page(record.call.id)).into_response()),
        Err(Error::Invalid(error)) => {
            // A card opened from a ringing call stays linked to the exchange's call.
            let exchange = form.remove("exchange").filter(|e| !e.trim().is_empty());
            let also = also_wrong(&viewer, &form, &error);
            let typed = views::calls::Typed { form, error, also };
            let start = views::calls::NewCard {
                typed: Some(&typed),
                from_exchange: exchange.is_some(),
                exchange: exchange.as_deref(),
                ..views::calls::NewCard::default()
            };
            let page = views::calls::new_call(&viewer.ctx(), &viewer.app.desk, &start);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

/// `POST /questions`: logs a question from the search page, unanswered, on one of the
/// operator's open calls or on a new one; then opens that call.
pub async fn log_unanswered(
    viewer: Viewer,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let text = form.get("text").cloned().unwrap_or_default();
    let call = match form.get("call").map(String::as_str) {
        None | Some("") | Some("new") => None,
        Some(id) => Some(parse_id(id, Thing::Call)?),
    };
    let call = act(&viewer, move |app, actor| {
        calls::log_unanswered(app, actor, call, &text)
    })
    .await?;
    Ok(Redirect::to(&format!("{}#questions", paths::call_page(call))).into_response())
}

/// `POST /calls/{id}`: saves the call card. A refused field shows the desk again with the card
/// as typed and what was wrong; nothing of it is saved.
pub async fn update_form(
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Call)?;
    let card = form.clone();
    match act(&viewer, move |app, actor| {
        calls::save_card_form(app, actor, id, &card)
    })
    .await
    {
        Ok((record, _)) if form.get("action").map(String::as_str) == Some("end") => {
            let list = format!("{}?ended={}", paths::CALLS_PAGE, record.call.id);
            Ok(Redirect::to(&list).into_response())
        }
        // «Поговорили сейчас» closed the caller's callback: the page says so.
        Ok((record, closed)) => {
            let saved = if closed { "callback" } else { "1" };
            let page = format!("{}?saved={saved}", paths::call_page(record.call.id));
            Ok(Redirect::to(&page).into_response())
        }
        Err(Error::Invalid(error)) => {
            let also = also_wrong(&viewer, &form, &error);
            let typed = views::calls::Typed { form, error, also };
            let page = desk_screen(&viewer, id, Card::Refused(&typed)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

/// The card's other problems than the one it was refused for, to say them all at once.
fn also_wrong(
    viewer: &Viewer,
    form: &HashMap<String, String>,
    error: &crate::fields::FieldError,
) -> Vec<crate::fields::FieldError> {
    let app = &viewer.app;
    crate::calls::card::card_problems(form, &app.clock, &app.desk.settings.hours)
        .into_iter()
        .filter(|e| e.field != error.field)
        .collect()
}

async fn desk_screen(viewer: &Viewer, id: i64, card: Card<'_>) -> Result<maud::Markup, Error> {
    let screen = act(viewer, move |app, actor| calls::desk(app, actor, id)).await?;
    let library = viewer.app.shelf.current();
    Ok(views::calls::desk(
        &viewer.ctx(),
        &viewer.app.desk,
        &library.knowledge,
        &screen,
        card,
    ))
}

/// Query of the desk screen: `saved` after the card was saved (`saved=callback`: the caller's
/// open callback closed from it).
#[derive(Debug, Deserialize)]
pub struct DeskParams {
    saved: Option<String>,
}

/// `GET /calls/{id}[?saved=1]`: the desk screen (saying the card was saved).
pub async fn desk_page(
    viewer: Viewer,
    Path(id): Path<String>,
    Params(params): Params<DeskParams>,
) -> Result<Response, Error> {
    let id = parse_id(&id, Thing::Call)?;
    let card = match params.saved.as_deref() {
        Some("callback") => Card::CallbackClosed,
        Some(_) => Card::Saved,
        None => Card::Shown,
    };
    Ok(desk_screen(&viewer, id, card).await?.into_response())
}
