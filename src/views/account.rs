//! Account pages: logging in, changing one's password, the page that says a role may not go
//! somewhere, and the admin page (accounts and the audit log).

use super::{csrf_field, layout, Ctx};
use crate::accounts::audit::AuditEntry;
use crate::accounts::Account;
use crate::paths;
use maud::{html, Markup};

/// The login form; `error` says why the last attempt failed.
pub fn login(ctx: &Ctx, login: &str, next: &str, error: Option<&str>) -> Markup {
    let texts = ctx.texts;
    layout(
        ctx,
        texts.login_title,
        html! {
            form.account method="post" action=(paths::LOGIN) {
                h1 { (texts.login_title) }
                @if let Some(error) = error { p.error role="alert" { (error) } }
                input type="hidden" name="next" value=(next);
                label { span { (texts.login_field) } input #login type="text" name="login" value=(login) autofocus autocomplete="username" required; }
                label { span { (texts.password_field) } input #password type="password" name="password" autocomplete="current-password" required; }
                button.primary type="submit" { (texts.login_button) }
            }
        },
    )
}

/// The password form; `notice` is an error or a confirmation.
pub fn password(ctx: &Ctx, must_change: bool, notice: Option<&str>) -> Markup {
    let texts = ctx.texts;
    layout(
        ctx,
        texts.password_title,
        html! {
            form.account method="post" action=(paths::PASSWORD_PAGE) {
                h1 { (texts.password_title) }
                @if must_change { p.notice { (texts.password_must_change) } }
                @if let Some(notice) = notice { p.error role="alert" { (notice) } }
                (csrf_field(ctx))
                label { span { (texts.current_password) } input #current type="password" name="current" autocomplete="current-password" required autofocus; }
                label { span { (texts.new_password) } input #new type="password" name="new" autocomplete="new-password" required; }
                label { span { (texts.repeat_password) } input #repeat type="password" name="repeat" autocomplete="new-password" required; }
                button.primary type="submit" { (texts.password_button) }
            }
        },
    )
}

/// What a role without the right sees.
pub fn forbidden(ctx: &Ctx, message: &str) -> Markup {
    let texts = ctx.texts;
    layout(
        ctx,
        texts.forbidden,
        html! {
            h1 { (texts.forbidden) }
            p { (message) }
            p { a href=(paths::SEARCH_PAGE) { (texts.back_to_search) } }
        },
    )
}

/// Accounts and the newest audit lines.
pub fn admin(ctx: &Ctx, accounts: &[Account], audit: &[AuditEntry]) -> Markup {
    let texts = ctx.texts;
    layout(
        ctx,
        texts.admin_title,
        html! {
            h1 { (texts.admin_title) }
            h2 { (texts.accounts_title) }
            p.hint { (texts.admin_cli_hint) }
            table.calls {
                thead { tr { th { (texts.col_login) } th { (texts.col_role) } th { (texts.col_state) } } }
                tbody {
                    @for a in accounts {
                        tr {
                            td { (a.login) }
                            td { (a.role.as_str()) }
                            td { (if a.disabled { texts.state_disabled } else { texts.state_active }) }
                        }
                    }
                }
            }
            h2 { (texts.audit_title) }
            table.calls {
                thead { tr { th { (texts.col_time) } th { (texts.col_actor) } th { (texts.col_action) } th { (texts.col_subject) } } }
                tbody {
                    @for e in audit {
                        tr {
                            td { (ctx.clock.local(e.at).format("%d.%m.%Y %H:%M:%S")) }
                            td { (e.actor) }
                            td { (e.action) }
                            td { (e.subject) @if let Some(d) = &e.detail { " · " (d) } }
                        }
                    }
                }
            }
        },
    )
}
