//! What the desk knows of a caller by number, for the ringing calls' banners, the lookup the
//! exchanges and scripts ask, and the routing to the caller's manager.

use super::{callbacks, responsible, Actor, Result};
use crate::accounts::Role;
use crate::app::App;
use crate::calls::{phone, CallKind, Outcome};
use crate::fields::{FieldError, FieldProblem};
use crate::pbx::screens::{CallbackDue, Caller, ManagerRef};
use crate::pbx::MAX_NUMBER;

/// What the desk knows of a caller by number, unaudited: for the screens and the exchange's
/// routing, whose callers are audited with the event or the lookup.
pub(super) fn card(app: &App, number: &str) -> Result<Caller> {
    if phone::normalize(number).is_none() {
        return Ok(Caller::unknown());
    }
    let history = app.store.caller(Some(number), None)?;
    let existing = history.earlier.iter().any(|r| {
        r.call.kind == CallKind::Secondary || r.call.outcome == Some(Outcome::Transferred)
    });
    let managers = callbacks::managers(app)?;
    let manager = responsible(app, &managers, Some(number))?.map(|m| ManagerRef {
        login: m.login.clone(),
        name: m.shown_name().to_string(),
        extension: m.extension.clone(),
    });
    let now = app.clock.now();
    let callback = callbacks::open_for(app, Some(number))?.map(|c| CallbackDue {
        id: c.id,
        due: c.due,
        overdue: c.overdue(now),
        owner: c.owner.clone(),
    });
    Ok(Caller {
        name: history.name,
        company: history.company,
        kind: if existing {
            CallKind::Secondary
        } else {
            CallKind::Primary
        },
        returning: !history.earlier.is_empty(),
        manager,
        callback,
    })
}

/// Whose client is calling (`GET /api/pbx/lookup?phone=`, ITooLabs' `contact`): name, company,
/// first-time or existing, the responsible manager. Looking up a known caller is audited.
pub fn lookup(app: &App, actor: &Actor, number: Option<&str>) -> Result<Caller> {
    actor.require(Role::Operator)?;
    let number = number
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| FieldError::new("phone", FieldProblem::Required))?;
    if number.chars().count() > MAX_NUMBER {
        return Err(FieldError::new("phone", FieldProblem::TooLong(MAX_NUMBER)).into());
    }
    let caller = card(app, number)?;
    if caller.returning {
        actor.audit(
            app,
            "view",
            format!("caller {} (lookup)", crate::text::clip(number, 40)),
        );
    }
    Ok(caller)
}

/// The extension to ring first for a caller, when `desk.toml` asks callfaq to route
/// (`route_to_manager`): their responsible manager's.
pub fn route(app: &App, actor: &Actor, number: Option<&str>) -> Result<Option<String>> {
    if !app.desk.settings.pbx.route_to_manager {
        return Ok(None);
    }
    match number {
        Some(n) if phone::normalize(n).is_some() => Ok(lookup(app, actor, Some(n))?
            .manager
            .and_then(|m| m.extension)),
        _ => Ok(None),
    }
}
