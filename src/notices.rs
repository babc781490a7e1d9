//! Notices that arrive without anyone looking: an e-mail over SMTP to a person, and an outgoing
//! webhook (a JSON `POST`, signed with HMAC-SHA256) for a messenger bridge or a CRM. What to
//! send is decided by `jobs::notices`, which keeps every notice in the store's outbox until it
//! is sent; here is only how one is written and sent. Settings are `[notices]` in `desk.toml`;
//! secrets come from the environment (`CALLFAQ_SMTP_PASSWORD`, `CALLFAQ_WEBHOOK_SECRET`).

use anyhow::Context;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use std::time::Duration;

/// The environment variable that holds the SMTP password.
pub const SMTP_PASSWORD_VAR: &str = "CALLFAQ_SMTP_PASSWORD";
/// The environment variable that holds the webhook's signing secret.
pub const WEBHOOK_SECRET_VAR: &str = "CALLFAQ_WEBHOOK_SECRET";
/// The header that carries the webhook body's signature: `sha256=` and the hex HMAC.
pub const SIGNATURE_HEADER: &str = "X-Callfaq-Signature";
/// The header that carries the event's key, the same on every retry.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";
/// How long a relay may take.
const TIMEOUT: Duration = Duration::from_secs(15);

/// `[notices]` of `desk.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeSettings {
    /// E-mail through an SMTP relay.
    pub email: Option<SmtpSettings>,
    /// A JSON `POST` to a URL.
    pub webhook: Option<WebhookSettings>,
    /// Also tell the owner when a callback is done.
    #[serde(default)]
    pub on_done: bool,
    /// Also tell the owner and the heads when a callback is lost.
    #[serde(default)]
    pub on_lost: bool,
}

/// How the relay is reached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain, then upgraded with STARTTLS (port 587).
    #[default]
    Starttls,
    /// TLS from the start (port 465).
    Tls,
    /// No encryption: a relay on this machine or the office's own network.
    None,
}

/// `[notices.email]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    /// The relay's host.
    pub host: String,
    /// Its port.
    #[serde(default = "default_port")]
    pub port: u16,
    /// STARTTLS, TLS or none.
    #[serde(default)]
    pub security: Security,
    /// The sender, `callfaq@company.ru` or `Desk <callfaq@company.ru>`.
    pub from: String,
    /// The login at the relay, if it asks for one (the password is [`SMTP_PASSWORD_VAR`]).
    pub user: Option<String>,
}

fn default_port() -> u16 {
    587
}

/// `[notices.webhook]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    /// Where the JSON is posted (the secret is [`WEBHOOK_SECRET_VAR`]).
    pub url: String,
}

/// The `Message-ID` of a notice's e-mail: the same for every try of one notice (its outbox
/// key), so that a mail a relay took twice (a connection cut after the data was sent) can be
/// told for one; at the sender's domain.
pub fn message_id(key: &str, from: &str) -> String {
    let local: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '.'
            }
        })
        .collect();
    let domain = from
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>').trim())
        .filter(|d| {
            !d.is_empty()
                && d.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        })
        .unwrap_or("callfaq.invalid");
    format!("<{local}.callfaq@{domain}>")
}

/// Sends an e-mail of plain text through the relay; `key` is the notice's outbox key.
pub fn send_email(
    settings: &SmtpSettings,
    key: &str,
    to: &str,
    subject: &str,
    body: &str,
) -> anyhow::Result<()> {
    use lettre::message::header::ContentType;
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::{Message, SmtpTransport, Transport};
    let message = Message::builder()
        .from(
            settings
                .from
                .parse()
                .context("the sender address (`from`)")?,
        )
        .to(to.parse().with_context(|| format!("the address {to}"))?)
        .subject(subject)
        .message_id(Some(message_id(key, &settings.from)))
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_string())
        .context("writing the e-mail")?;
    let host = settings.host.as_str();
    let mut relay = match settings.security {
        Security::Tls => SmtpTransport::relay(host)?,
        Security::Starttls => SmtpTransport::starttls_relay(host)?,
        Security::None => SmtpTransport::builder_dangerous(host),
    }
    .port(settings.port)
    .timeout(Some(TIMEOUT));
    if let Some(user) = &settings.user {
        let password = std::env::var(SMTP_PASSWORD_VAR).unwrap_or_default();
        relay = relay.credentials(Credentials::new(user.clone(), password));
    }
    relay
        .build()
        .send(&message)
        .with_context(|| format!("sending through {host}:{}", settings.port))?;
    Ok(())
}

/// The signature of a webhook body: `sha256=` and the hex HMAC-SHA256 of the body under the
/// secret; the receiver computes the same over the bytes it got.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

/// Posts a webhook body (JSON) with its signature and the event's key.
pub fn send_webhook(settings: &WebhookSettings, key: &str, body: &str) -> anyhow::Result<()> {
    // Unsigned, a receiver could not tell our notices from anyone's: the notice waits (and
    // the admin page says why) until the secret is set.
    let secret = std::env::var(WEBHOOK_SECRET_VAR)
        .ok()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| anyhow::anyhow!("{WEBHOOK_SECRET_VAR} is not set: webhooks go signed"))?;
    // The address may carry a messenger bot's token: only its host goes into logs and onto
    // the admin page.
    let host = webhook_host(&settings.url);
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .http_status_as_error(false)
            .build(),
    );
    let response = agent
        .post(&settings.url)
        .header("content-type", "application/json")
        .header(SIGNATURE_HEADER, &signature(&secret, body.as_bytes()))
        .header(IDEMPOTENCY_HEADER, key)
        .send(body)
        .map_err(|e| {
            anyhow::anyhow!(
                "posting to {host}: {}",
                redact(&e.to_string(), &settings.url)
            )
        })?;
    let status = response.status();
    anyhow::ensure!(status.is_success(), "{host} answered {status}");
    Ok(())
}

/// The scheme and host of a webhook's address, without its path or query.
fn webhook_host(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    if scheme.is_empty() {
        host.to_string()
    } else {
        format!("{scheme}://{host}")
    }
}

/// `text` with the webhook's whole address replaced by its host.
fn redact(text: &str, url: &str) -> String {
    text.replace(url, &webhook_host(url))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_notices_message_id_is_its_key_at_the_senders_domain() {
        let id = super::message_id("callback:12:assigned:mikhail", "Desk <callfaq@company.ru>");
        assert_eq!(id, "<callback.12.assigned.mikhail.callfaq@company.ru>");
        assert_eq!(
            id,
            super::message_id("callback:12:assigned:mikhail", "callfaq@company.ru")
        );
        let odd = super::message_id("a b", "nobody");
        assert_eq!(odd, "<a.b.callfaq@callfaq.invalid>");
    }

    use super::*;

    #[test]
    fn only_a_webhooks_host_is_said() {
        assert_eq!(
            webhook_host("https://api.example.org/bot123:SECRET/sendMessage?chat=1"),
            "https://api.example.org"
        );
        assert_eq!(
            webhook_host("http://user:pw@10.0.0.1:8080/x"),
            "http://10.0.0.1:8080"
        );
    }

    #[test]
    fn a_body_is_signed_so_that_a_receiver_can_check_it() {
        let s = signature("secret", b"{\"event\":\"overdue\"}");
        assert!(s.starts_with("sha256=") && s.len() == 7 + 64);
        assert_eq!(s, signature("secret", b"{\"event\":\"overdue\"}"));
        assert_ne!(s, signature("other", b"{\"event\":\"overdue\"}"));
    }

    #[test]
    fn settings_read_from_the_desk_file_with_defaults() {
        let n: NoticeSettings = toml::from_str(
            "[email]\nhost = \"smtp.office.ru\"\nfrom = \"desk@office.ru\"\n[webhook]\nurl = \"http://127.0.0.1:9/hook\"",
        )
        .unwrap();
        let email = n.email.unwrap();
        assert_eq!((email.port, email.security), (587, Security::Starttls));
        assert!(!n.on_done);
        assert!(toml::from_str::<NoticeSettings>("[email]\nhost = \"x\"").is_err());
    }
}
