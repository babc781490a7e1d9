//! Staff accounts and machine tokens: roles, password hashing, secrets, and the slowing of
//! failed logins. Pure rules and primitives; the records live in `store`, HTTP in `web::auth`.

pub mod audit;
pub mod once;
pub mod throttle;

use crate::fields::{FieldError, FieldProblem};
use anyhow::Context;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// What a person or machine may do; each role can do everything the roles before it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Search and calls.
    Operator,
    /// Also callbacks: their own, promised by the desk.
    Manager,
    /// Also answers and grouping.
    Editor,
    /// Also reports.
    Head,
    /// Also accounts, tokens, settings and the audit log.
    Admin,
}

impl Role {
    /// Every role, least first.
    pub const ALL: [Role; 5] = [
        Role::Operator,
        Role::Manager,
        Role::Editor,
        Role::Head,
        Role::Admin,
    ];
    /// The roles a machine token may have: a manager's role is a person's own callbacks,
    /// which a machine has none of.
    pub const FOR_TOKENS: [Role; 4] = [Role::Operator, Role::Editor, Role::Head, Role::Admin];
    /// Their words, as the API and the command line name them.
    pub const TOKEN_WORDS: &'static [&'static str] = &["operator", "editor", "head", "admin"];
    /// Their words, least first.
    pub const WORDS: &'static [&'static str] = &["operator", "manager", "editor", "head", "admin"];

    /// The word used on the command line, in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Manager => "manager",
            Role::Editor => "editor",
            Role::Head => "head",
            Role::Admin => "admin",
        }
    }

    /// Parses the word.
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// Whether this role may do what `needed` may.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(text: &str) -> Result<Role, String> {
        Role::parse(text)
            .ok_or_else(|| format!("unknown role `{text}`: one of {}", Role::WORDS.join(", ")))
    }
}

/// A staff account as the rest of the program sees it (never with its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    /// Database id.
    pub id: i64,
    /// Login name.
    pub login: String,
    /// What it may do.
    pub role: Role,
    /// Disabled accounts cannot log in and their sessions end.
    pub disabled: bool,
    /// Must set a new password before doing anything else (the first admin, after a reset).
    pub must_change_password: bool,
    /// When it was created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// How it is shown (a manager's name on the call card, in notices); the login when empty.
    pub display_name: Option<String>,
    /// Where notices go.
    pub email: Option<String>,
    /// A phone extension, where the exchange rings them.
    pub extension: Option<String>,
}

impl Account {
    /// The name shown for this account.
    pub fn shown_name(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.login)
    }
}

/// A machine token's record (its secret is shown once and only its hash is kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token {
    /// Name given at creation, such as `pbx`.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// When it was created.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A machine token as the admin page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRecord {
    /// Its name.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// When it was created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Who is acting on a request: a logged-in person or a machine token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// An account's login, or `token:NAME`; what the audit log records.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// The session's anti-forgery token; `None` for machine tokens, which carry no cookie.
    pub csrf: Option<String>,
    /// A person who must set a new password before anything else.
    pub must_change_password: bool,
    /// The person's name as pages show it, where their account has one.
    pub display_name: Option<String>,
}

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Checks a new password; the error says what is wrong (in English with `to_string`, in the
/// interface's language through `i18n`).
pub fn check_new_password(password: &str) -> Result<(), FieldError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(FieldError::new(
            "password",
            FieldProblem::PasswordTooShort(MIN_PASSWORD_CHARS),
        ));
    }
    if password.trim() != password {
        return Err(FieldError::new("password", FieldProblem::PasswordEdgeSpace));
    }
    // One short piece repeated (a login typed three times, a key held) is guessed first.
    let chars: Vec<char> = password.chars().collect();
    let repeats = |period: usize| (period..chars.len()).all(|i| chars[i] == chars[i - period]);
    if (1..=chars.len() / 2).any(repeats) {
        return Err(FieldError::new("password", FieldProblem::PasswordRepeated));
    }
    Ok(())
}

/// Longest login name.
pub const MAX_LOGIN_CHARS: usize = 64;

/// Checks a login name: Latin letters, digits, `.`, `_`, `-`; 1 to 64 characters. Only Latin
/// letters, so that no login can look like another (`аdmin` with a Cyrillic «а» is refused).
pub fn check_login(login: &str) -> Result<(), FieldError> {
    let ok = !login.is_empty()
        && login.chars().count() <= MAX_LOGIN_CHARS
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        // It is part of addresses (`/admin/accounts/{login}/…`): `.` and `..` would be read
        // as the path's own steps.
        && login.chars().any(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(FieldError::new("login", FieldProblem::BadLogin))
    }
}

/// What an account shows besides its login: the name on call cards and in notices, where
/// notices go, and the phone extension the exchange rings. Empty fields are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// The display name.
    pub display_name: Option<String>,
    /// The e-mail address for notices.
    pub email: Option<String>,
    /// The phone extension.
    pub extension: Option<String>,
}

/// Longest display name, in characters.
pub const MAX_DISPLAY_NAME_CHARS: usize = 80;

impl Profile {
    /// A profile of the fields as typed (trimmed; empty is none), checked.
    pub fn new(
        display_name: Option<&str>,
        email: Option<&str>,
        extension: Option<&str>,
    ) -> Result<Profile, FieldError> {
        let field = |v: Option<&str>| {
            v.map(|v| crate::text::visible(v.trim()).into_owned())
                .filter(|v| !v.is_empty())
        };
        let profile = Profile {
            display_name: field(display_name),
            email: field(email),
            extension: field(extension),
        };
        if let Some(name) = &profile.display_name {
            if name.chars().count() > MAX_DISPLAY_NAME_CHARS {
                return Err(FieldError::new(
                    "display_name",
                    FieldProblem::TooLong(MAX_DISPLAY_NAME_CHARS),
                ));
            }
        }
        if let Some(email) = &profile.email {
            let ok = email.len() <= 254
                && !email.chars().any(char::is_whitespace)
                && email
                    .split_once('@')
                    .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
            if !ok {
                return Err(FieldError::new("email", FieldProblem::ExpectedEmail));
            }
        }
        if let Some(ext) = &profile.extension {
            if ext.len() > 16 || !ext.chars().all(|c| c.is_ascii_digit()) {
                return Err(FieldError::new(
                    "extension",
                    FieldProblem::ExpectedNumber(0, 9_999_999),
                ));
            }
        }
        Ok(profile)
    }
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no randomness for a salt: {e}"))?;
    let salt =
        SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("encoding a salt: {e}"))?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
        .context("hashing a password")?;
    Ok(hash.to_string())
}

/// Whether a password matches a stored argon2 hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A random secret of `bytes` random bytes, as lowercase hex.
pub fn random_secret(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the system has no randomness");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A password that is easy to type from a console: 16 characters from an unambiguous set.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut buf = [0u8; 16];
    getrandom::fill(&mut buf).expect("the system has no randomness");
    buf.iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// The hash under which a session id or token is stored: SHA-256, hex. A stolen database does
/// not give working secrets.
pub fn secret_hash(secret: &str) -> String {
    sha256_hex(secret.as_bytes())
}

/// The SHA-256 of `bytes`, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_role_words_are_the_roles_words() {
        assert_eq!(Role::ALL.map(Role::as_str), Role::WORDS);
        assert_eq!(Role::FOR_TOKENS.map(Role::as_str), Role::TOKEN_WORDS);
    }

    #[test]
    fn roles_include_the_roles_before_them() {
        assert!(Role::Admin.allows(Role::Operator));
        assert!(Role::Head.allows(Role::Editor));
        assert!(!Role::Editor.allows(Role::Head));
        assert!(!Role::Operator.allows(Role::Admin));
    }

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong horse battery", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn short_passwords_and_odd_logins_are_refused() {
        assert!(check_new_password("short").is_err());
        assert!(check_new_password("long enough pass").is_ok());
        for repeated in ["ivanivanivan", "1111111111", "abcabcabca", "qwerty-qwerty-"] {
            assert_eq!(
                check_new_password(repeated).unwrap_err().problem,
                FieldProblem::PasswordRepeated,
                "{repeated}"
            );
        }
        assert!(check_new_password("anna-password-1").is_ok());
        assert!(check_login("anna.k").is_ok());
        assert!(check_login("anna k").is_err());
        assert!(check_login("").is_err());
        for path_step in [".", "..", "...", "-", "_."] {
            assert!(check_login(path_step).is_err(), "{path_step}");
        }
    }

    #[test]
    fn secrets_are_random_and_hashed() {
        let a = random_secret(32);
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_secret(32));
        assert_eq!(secret_hash("x").len(), 64);
        assert_eq!(random_password().len(), 16);
    }
}
