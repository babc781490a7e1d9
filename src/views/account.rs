//! Account pages: logging in, changing one's password, the page that says a role may not go
//! somewhere, and the admin page (accounts and the audit log).

use super::{csrf_field, layout, Ctx};
use crate::accounts::audit::AuditEntry;
use crate::accounts::{Account, Role, TokenRecord};
use crate::i18n::Texts;
use crate::paths;
use crate::store::FailingNotices;
use maud::{html, Markup};

/// The login form; `error` says why the last attempt failed.
pub fn login(ctx: &Ctx, login: &str, next: &str, error: Option<&str>) -> Markup {
    let said = html! { @if let Some(error) = error { p.error role="alert" { (error) } } };
    login_form(ctx, login, next, said)
}

/// The login page after a session ended while a form was sent: it says so, and marks the
/// form's words kept in the tab as refused (`data-form-refused`), so that the page signing in
/// returns to fills them in again.
pub fn login_again(ctx: &Ctx, next: &str) -> Markup {
    let said = html! { p.error role="alert" data-form-refused="" { (ctx.texts.session_ended) } };
    login_form(ctx, "", next, said)
}

/// The login form, with what is `said` above its fields.
fn login_form(ctx: &Ctx, login: &str, next: &str, said: Markup) -> Markup {
    let texts = ctx.texts;
    layout(
        ctx,
        texts.login_title,
        html! {
            form.account method="post" action=(paths::LOGIN) {
                h1 { (texts.login_title) }
                (said)
                input type="hidden" name="next" value=(next);
                label { span { (texts.login_field) } input #login type="text" name="login" value=(login) autofocus autocomplete="username" required; }
                label { span { (texts.password_field) } input #password type="password" name="password" autocomplete="current-password" required; }
                button.primary type="submit" { (texts.login_button) }
            }
        },
    )
}

/// The password form; `notice` is an error; `changed` says the password was just changed.
pub fn password(ctx: &Ctx, must_change: bool, notice: Option<&str>, changed: bool) -> Markup {
    let texts = ctx.texts;
    layout(
        ctx,
        texts.password_title,
        html! {
            form.account method="post" action=(paths::PASSWORD_PAGE) {
                h1 { (texts.password_title) }
                @if changed {
                    p.notice role="status" { (texts.password_changed) " " a href=(paths::SEARCH_PAGE) { (texts.back_to_search) } }
                }
                @if must_change { p.notice { (texts.password_must_change) } }
                @if let Some(notice) = notice { p.error role="alert" { (notice) } }
                (csrf_field(ctx))
                // Whose password it is, for the browser's password manager; not sent.
                @if let Some(p) = ctx.principal { input type="text" autocomplete="username" value=(p.name) hidden readonly; }
                label { span { (texts.current_password) } input #current type="password" name="current" autocomplete="current-password" required autofocus; }
                // Too short is said by the browser before sending, so nothing typed is lost to it.
                label { span { (texts.new_password) } input #new type="password" name="new" autocomplete="new-password" required minlength=(crate::accounts::MIN_PASSWORD_CHARS); }
                label { span { (texts.repeat_password) } input #repeat type="password" name="repeat" autocomplete="new-password" required minlength=(crate::accounts::MIN_PASSWORD_CHARS); }
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
            // A role changed meanwhile is what the person most needs to know.
            @if let Some(p) = ctx.principal.filter(|p| p.csrf.is_some()) {
                p.muted { (Texts::fill(texts.forbidden_your_role, &[&texts.role(p.role)])) }
            }
            (super::form_orphan(ctx))
            p { a href=(paths::SEARCH_PAGE) { (texts.back_to_search) } }
        },
    )
}

/// A role's name in the interface's words.
pub fn role_label(ctx: &Ctx, role: Role) -> &'static str {
    ctx.texts.role(role)
}

fn role_select(ctx: &Ctx, name: &str, current: Role) -> Markup {
    roles_select(ctx, name, current, &Role::ALL)
}

fn roles_select(ctx: &Ctx, name: &str, current: Role, roles: &[Role]) -> Markup {
    html! {
        select name=(name) aria-label=(ctx.texts.col_role) {
            @for &role in roles {
                option value=(role.as_str()) selected[role == current] { (role_label(ctx, role)) }
            }
        }
    }
}

/// What the admin page shows.
pub struct Admin<'a> {
    /// Every account.
    pub accounts: &'a [Account],
    /// Every token.
    pub tokens: &'a [TokenRecord],
    /// The newest audit lines.
    pub audit: &'a [AuditEntry],
    /// Notices that keep failing, by channel.
    pub failing: &'a [FailingNotices],
    /// Open callbacks each account owns (none: left out).
    pub owned: &'a std::collections::HashMap<String, i64>,
    /// A new account refused: shown again in its form as typed, with why.
    pub refused_add: Option<&'a AddRefused>,
    /// A new token refused: the same, at the tokens' form.
    pub refused_token: Option<&'a AddRefused>,
}

/// A new account (or token) as typed and refused, and why.
#[derive(Debug, Clone)]
pub struct AddRefused {
    /// The submitted fields.
    pub form: std::collections::HashMap<String, String>,
    /// What is wrong, said in full, with the field at fault; each field at fault once.
    pub problems: Vec<(String, String)>,
}

/// An account's display name, e-mail and extension, as a form.
fn profile_form(ctx: &Ctx, a: &Account) -> Markup {
    let texts = ctx.texts;
    html! {
        form.inline.profile data-keep method="post" action=(paths::admin_account(paths::ADMIN_ACCOUNT_PROFILE, &a.login)) {
            (csrf_field(ctx))
            input type="text" name="display_name" value=(a.display_name.as_deref().unwrap_or("")) placeholder=(texts.field_display_name) aria-label=(texts.field_display_name) autocomplete="off";
            input type="email" name="email" value=(a.email.as_deref().unwrap_or("")) placeholder=(texts.field_email) aria-label=(texts.field_email) autocomplete="off";
            input.short type="text" name="extension" value=(a.extension.as_deref().unwrap_or("")) placeholder=(texts.field_extension) aria-label=(texts.field_extension) inputmode="numeric" autocomplete="off";
            " " button type="submit" { (texts.save) }
        }
    }
}

/// What an admin just did, for the notice on the page that follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Done {
    /// Something saved (an older link without `done`).
    #[default]
    Saved,
    /// An account's role changed.
    Role,
    /// An account's name, e-mail or extension saved.
    Profile,
    /// An account disabled.
    Disabled,
    /// An account enabled.
    Enabled,
    /// A token revoked.
    Revoked,
}

impl Done {
    const ALL: [Done; 6] = [
        Done::Saved,
        Done::Role,
        Done::Profile,
        Done::Disabled,
        Done::Enabled,
        Done::Revoked,
    ];

    /// The word in the page's address.
    pub fn as_str(self) -> &'static str {
        match self {
            Done::Saved => "saved",
            Done::Role => "role",
            Done::Profile => "profile",
            Done::Disabled => "disabled",
            Done::Enabled => "enabled",
            Done::Revoked => "revoked",
        }
    }

    /// The deed a word names.
    pub fn parse(word: &str) -> Option<Done> {
        Done::ALL.into_iter().find(|d| d.as_str() == word)
    }

    /// What the notice says; a role change names the role `who` has now (in `accounts`).
    fn notice(self, t: &Texts, who: &str, accounts: &[Account]) -> String {
        let template = match self {
            Done::Saved => return format!("{} {who}", t.admin_saved),
            Done::Role => match accounts.iter().find(|a| a.login == who) {
                Some(a) => return Texts::fill(t.admin_done_role, &[&who, &t.role(a.role)]),
                None => t.admin_saved_role,
            },
            Done::Profile => t.admin_done_profile,
            Done::Disabled => t.admin_done_disabled,
            Done::Enabled => t.admin_done_enabled,
            Done::Revoked => t.admin_done_revoked,
        };
        Texts::fill(template, &[&who])
    }
}

/// Accounts with their actions, tokens, the newest audit lines, and notices that keep failing;
/// `saved`: what was just done, and to whom.
pub fn admin(ctx: &Ctx, page: &Admin<'_>, saved: Option<(Done, &str)>) -> Markup {
    let (accounts, tokens, audit) = (page.accounts, page.tokens, page.audit);
    let texts = ctx.texts;
    layout(
        ctx,
        texts.admin_title,
        html! {
            h1 { (texts.admin_title) }
            @if let Some((done, who)) = saved { p.notice role="status" { (done.notice(texts, who, accounts)) } }
            @for f in page.failing {
                p.error role="alert" {
                    (Texts::fill(texts.failing_notices, &[&f.channel, &f.waiting, &f.last_error.as_deref().unwrap_or("—")]))
                }
            }
            section.admin-block {
                h2 { (texts.accounts_title) }
                table.calls.accounts {
                    thead { tr { th { (texts.col_login) } th { (texts.col_role) } th { (texts.col_profile) } th { (texts.col_state) } th {} } }
                    tbody {
                        @for a in accounts {
                            tr data-login=(a.login) {
                                td { (a.login) }
                                td {
                                    form.inline method="post" action=(paths::admin_account(paths::ADMIN_ACCOUNT_ROLE, &a.login)) {
                                        (csrf_field(ctx))
                                        (role_select(ctx, "role", a.role))
                                        " " button type="submit" { (texts.change_role) }
                                    }
                                }
                                td { (profile_form(ctx, a)) }
                                td {
                                    (if a.disabled { texts.state_disabled } else if a.must_change_password { texts.state_must_change } else { texts.state_active })
                                }
                                td.actions-cell {
                                    @if ctx.principal.map(|p| p.name.as_str()) != Some(a.login.as_str()) {
                                        form.inline method="post" action=(paths::admin_account(paths::ADMIN_ACCOUNT_STATE, &a.login)) {
                                            (csrf_field(ctx))
                                            input type="hidden" name="disabled" value=(if a.disabled { "0" } else { "1" });
                                            @let confirm = match page.owned.get(&a.login) {
                                                _ if a.disabled => None,
                                                Some(n) => Some(Texts::fill(texts.confirm_disable_owner, &[n])),
                                                None => Some(texts.confirm_disable.to_string()),
                                            };
                                            button type="submit" data-confirm=[confirm] { (if a.disabled { texts.enable_account } else { texts.disable_account }) }
                                        }
                                        " "
                                    }
                                    form.inline method="post" action=(paths::admin_account(paths::ADMIN_ACCOUNT_PASSWORD, &a.login)) {
                                        (csrf_field(ctx))
                                        button type="submit" data-confirm=(texts.confirm_reset) { (texts.reset_password) }
                                    }
                                }
                            }
                        }
                    }
                }
                @let refused = page.refused_add;
                @let typed = |name: &str| refused.and_then(|r| r.form.get(name)).map_or("", |v| v.as_str()).to_string();
                @let wrong = |name: &str| refused.is_some_and(|r| r.problems.iter().any(|(_, field)| field == name));
                form.add data-keep method="post" action=(paths::ADMIN_ACCOUNTS) {
                    (csrf_field(ctx))
                    h3 #add-account { (texts.add_account) }
                    @if let Some(r) = refused {
                        div.error #add-error role="alert" {
                            @for (message, _) in &r.problems { p { (message) } }
                        }
                    }
                    label { span { (texts.col_login) } input #new-login type="text" name="login" value=(typed("login")) required autocomplete="off" aria-invalid=[wrong("login").then_some("true")] autofocus[wrong("login")]; }
                    label { span { (texts.col_role) } (role_select(ctx, "role", refused.and_then(|r| r.form.get("role")).and_then(|r| Role::parse(r)).unwrap_or(Role::Operator))) }
                    label { span { (texts.field_display_name) } input type="text" name="display_name" value=(typed("display_name")) autocomplete="off" aria-invalid=[wrong("display_name").then_some("true")] autofocus[wrong("display_name")]; }
                    label { span { (texts.field_email) } input type="email" name="email" value=(typed("email")) autocomplete="off" aria-invalid=[wrong("email").then_some("true")] autofocus[wrong("email")]; }
                    label { span { (texts.field_extension) } input.short type="text" name="extension" value=(typed("extension")) inputmode="numeric" autocomplete="off" aria-invalid=[wrong("extension").then_some("true")] autofocus[wrong("extension")]; }
                    button.primary type="submit" { (texts.add_account_button) }
                    p.hint { (texts.add_account_hint) }
                }
            }
            section.admin-block {
                h2 { (texts.tokens_title) }
                @if tokens.is_empty() {
                    p.empty { (texts.no_tokens) }
                } @else {
                    table.calls.tokens {
                        thead { tr { th { (texts.col_token) } th { (texts.col_role) } th { (texts.col_created) } th { (texts.col_state) } } }
                        tbody {
                            @for t in tokens {
                                tr {
                                    td { (t.name) }
                                    td { (role_label(ctx, t.role)) }
                                    td { (ctx.moment(t.created_at)) }
                                    td {
                                        @match t.revoked_at {
                                            Some(at) => { (texts.state_revoked) " " (ctx.moment(at)) }
                                            None => form.inline method="post" action=(paths::admin_token_revoke(&t.name)) {
                                                (csrf_field(ctx))
                                                (texts.token_active) " "
                                                button type="submit" data-confirm=(texts.confirm_revoke) { (texts.revoke_token) }
                                            },
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @let refused = page.refused_token;
                @let typed = |name: &str| refused.and_then(|r| r.form.get(name)).map_or("", |v| v.as_str()).to_string();
                @let wrong = |name: &str| refused.is_some_and(|r| r.problems.iter().any(|(_, field)| field == name));
                form.add data-keep method="post" action=(paths::ADMIN_TOKENS) {
                    (csrf_field(ctx))
                    h3 #create-token { (texts.create_token) }
                    @if let Some(r) = refused {
                        div.error #token-error role="alert" {
                            @for (message, _) in &r.problems { p { (message) } }
                        }
                    }
                    label { span { (texts.col_token) } input type="text" name="name" value=(typed("name")) required autocomplete="off" placeholder="pbx" aria-invalid=[wrong("name").then_some("true")] autofocus[wrong("name")]; }
                    label { span { (texts.col_role) } (roles_select(ctx, "role", refused.and_then(|r| r.form.get("role")).and_then(|r| Role::parse(r)).unwrap_or(Role::Operator), &Role::FOR_TOKENS)) }
                    button.primary type="submit" { (texts.create_token_button) }
                    p.hint { (texts.token_name_hint) }
                }
            }
            section.admin-block {
                h2 { (texts.backup_title) }
                p { (texts.backup_hint) }
                p { a.button href=(paths::ADMIN_BACKUP) download { (texts.backup_download) } }
            }
            section.admin-block {
                h2 { (texts.audit_title) }
                table.calls {
                    thead { tr { th { (texts.col_time) } th { (texts.col_actor) } th { (texts.col_action) } th { (texts.col_subject) } } }
                    tbody {
                        @for e in audit {
                            tr {
                                td { (texts.moment_seconds(ctx.clock.local(e.at))) }
                                td { (texts.audit_actor_of(&e.actor, &e.action)) }
                                td { (texts.audit_action(&e.action)) }
                                td { (texts.audit_subject(&e.subject)) @if let Some(d) = &e.detail { " · " (texts.audit_subject(d)) } }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// A secret shown once: a new account's or a reset password, a new token.
pub fn secret_once(ctx: &Ctx, title: &str, what: &str, secret: &str, hint: &str) -> Markup {
    let texts = ctx.texts;
    layout(
        ctx,
        title,
        html! {
            h1 { (title) }
            p { (what) }
            p.secret { code #secret { (secret) } }
            p.notice { (hint) }
            p { a href=(paths::ADMIN_PAGE) { (texts.back_to_admin) } }
        },
    )
}

/// An admin action refused, with why; the page links back.
pub fn admin_refused(ctx: &Ctx, message: &str) -> Markup {
    let texts = ctx.texts;
    layout(
        ctx,
        texts.admin_title,
        html! {
            h1 { (texts.admin_title) }
            p.error role="alert" data-form-refused { (message) }
            p { a href=(paths::ADMIN_PAGE) { (texts.back_to_admin) } }
        },
    )
}
