//! Which exchanges may post to callfaq and how calls are routed (the `[pbx]` section of
//! `desk.toml`), and the exchanges' secrets, which come from the environment only, never from a
//! file in the data folder (backups and copies of it carry no secret).
//!
//! An adapter that is off answers `404`; one that is on without its secret answers `503`, each
//! saying what to set. The generic JSON form is checked with the API's bearer token like every
//! other API route, so it needs no secret of its own. The Asterisk client is switched on by
//! `callfaq serve --ami` and is not listed here.

use super::Exchange;
use serde::Deserialize;

/// The environment variable of Zadarma's API secret.
pub const ZADARMA_SECRET_ENV: &str = "CALLFAQ_ZADARMA_SECRET";
/// The environment variable of Mango Office's API key (`vpbx_api_key`).
pub const MANGO_KEY_ENV: &str = "CALLFAQ_MANGO_KEY";
/// The environment variable of Mango Office's API salt (`vpbx_api_salt`).
pub const MANGO_SALT_ENV: &str = "CALLFAQ_MANGO_SALT";
/// The environment variable of the ITooLabs integration's token (`crm_token`).
pub const ITOOLABS_TOKEN_ENV: &str = "CALLFAQ_ITOOLABS_TOKEN";
/// The environment variable of the Asterisk manager user's secret.
pub const AMI_SECRET_ENV: &str = "CALLFAQ_AMI_SECRET";

/// An exchange that posts to callfaq over HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Adapter {
    /// The generic JSON form (`POST /api/pbx/events`, a bearer token).
    Generic,
    /// Zadarma's webhooks.
    Zadarma,
    /// Mango Office's API connector events.
    Mango,
    /// An ITooLabs virtual PBX (MegaFon's and others).
    Itoolabs,
}

impl Adapter {
    /// The exchange it speaks for.
    pub fn exchange(self) -> Exchange {
        match self {
            Adapter::Generic => Exchange::Generic,
            Adapter::Zadarma => Exchange::Zadarma,
            Adapter::Mango => Exchange::Mango,
            Adapter::Itoolabs => Exchange::Itoolabs,
        }
    }

    /// Its name in `adapters = [...]`.
    pub fn as_str(self) -> &'static str {
        self.exchange().as_str()
    }

    /// The exchange as its makers spell it, in messages.
    pub fn maker_name(self) -> &'static str {
        match self {
            Adapter::Generic => "generic",
            Adapter::Zadarma => "Zadarma",
            Adapter::Mango => "Mango Office",
            Adapter::Itoolabs => "ITooLabs",
        }
    }
}

/// `[pbx]` of `desk.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PbxSettings {
    /// The exchanges that may post events: any of `generic`, `zadarma`, `mango`, `itoolabs`.
    #[serde(default = "default_adapters")]
    pub adapters: Vec<Adapter>,
    /// Whether a ringing call from a client with a responsible manager rings that manager's
    /// extension first, where the exchange lets callfaq route (Zadarma's answer to
    /// `NOTIFY_START`; ITooLabs asks by itself and is always told).
    #[serde(default)]
    pub route_to_manager: bool,
    /// Seconds the manager's phone rings before the call returns to the exchange's own
    /// scenario (0: it never returns).
    #[serde(default = "default_ring_seconds")]
    pub ring_manager_seconds: u32,
}

fn default_adapters() -> Vec<Adapter> {
    vec![Adapter::Generic]
}

fn default_ring_seconds() -> u32 {
    20
}

impl Default for PbxSettings {
    fn default() -> PbxSettings {
        PbxSettings {
            adapters: default_adapters(),
            route_to_manager: false,
            ring_manager_seconds: default_ring_seconds(),
        }
    }
}

impl PbxSettings {
    /// Whether `adapter` takes requests.
    pub fn is_on(&self, adapter: Adapter) -> bool {
        self.adapters.contains(&adapter)
    }
}

/// Why an adapter takes no requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// It is not in `adapters` (`404`).
    Off(Adapter),
    /// It is on, and this environment variable is not set (`503`).
    NoSecret(Adapter, &'static str),
}

/// The exchanges' secrets, read from the environment at start-up.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secrets {
    /// Zadarma's API secret.
    pub zadarma: Option<String>,
    /// Mango Office's API key.
    pub mango_key: Option<String>,
    /// Mango Office's API salt.
    pub mango_salt: Option<String>,
    /// The ITooLabs integration's token.
    pub itoolabs_token: Option<String>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = |s: &Option<String>| if s.is_some() { "set" } else { "unset" };
        f.debug_struct("Secrets")
            .field("zadarma", &set(&self.zadarma))
            .field("mango_key", &set(&self.mango_key))
            .field("mango_salt", &set(&self.mango_salt))
            .field("itoolabs_token", &set(&self.itoolabs_token))
            .finish()
    }
}

impl Secrets {
    /// The secrets in `CALLFAQ_ZADARMA_SECRET`, `CALLFAQ_MANGO_KEY`, `CALLFAQ_MANGO_SALT` and
    /// `CALLFAQ_ITOOLABS_TOKEN`; an empty or blank variable is not set.
    pub fn from_env() -> Secrets {
        let read = |name: &str| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        Secrets {
            zadarma: read(ZADARMA_SECRET_ENV),
            mango_key: read(MANGO_KEY_ENV),
            mango_salt: read(MANGO_SALT_ENV),
            itoolabs_token: read(ITOOLABS_TOKEN_ENV),
        }
    }

    /// Zadarma's secret, if the adapter takes requests.
    pub fn zadarma(&self, settings: &PbxSettings) -> Result<&str, Closed> {
        let adapter = Adapter::Zadarma;
        on(settings, adapter)?;
        secret(&self.zadarma, adapter, ZADARMA_SECRET_ENV)
    }

    /// Mango Office's key and salt, if the adapter takes requests.
    pub fn mango(&self, settings: &PbxSettings) -> Result<(&str, &str), Closed> {
        let adapter = Adapter::Mango;
        on(settings, adapter)?;
        Ok((
            secret(&self.mango_key, adapter, MANGO_KEY_ENV)?,
            secret(&self.mango_salt, adapter, MANGO_SALT_ENV)?,
        ))
    }

    /// The ITooLabs token, if the adapter takes requests.
    pub fn itoolabs(&self, settings: &PbxSettings) -> Result<&str, Closed> {
        let adapter = Adapter::Itoolabs;
        on(settings, adapter)?;
        secret(&self.itoolabs_token, adapter, ITOOLABS_TOKEN_ENV)
    }

    /// What is missing for the adapters that are on, as `(adapter, variable)`: logged at
    /// start-up.
    pub fn missing(&self, settings: &PbxSettings) -> Vec<(Adapter, &'static str)> {
        let checks = [
            self.zadarma(settings).err(),
            self.mango(settings).err(),
            self.itoolabs(settings).err(),
        ];
        checks
            .into_iter()
            .flatten()
            .filter_map(|closed| match closed {
                Closed::NoSecret(adapter, variable) => Some((adapter, variable)),
                Closed::Off(_) => None,
            })
            .collect()
    }
}

/// Refuses an adapter that is off; the generic form's check.
pub fn on(settings: &PbxSettings, adapter: Adapter) -> Result<(), Closed> {
    if settings.is_on(adapter) {
        Ok(())
    } else {
        Err(Closed::Off(adapter))
    }
}

fn secret<'s>(
    value: &'s Option<String>,
    adapter: Adapter,
    variable: &'static str,
) -> Result<&'s str, Closed> {
    value.as_deref().ok_or(Closed::NoSecret(adapter, variable))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_generic_form_is_on_by_default() {
        let settings: PbxSettings = toml::from_str("").unwrap();
        assert_eq!(settings, PbxSettings::default());
        assert!(settings.is_on(Adapter::Generic));
        assert_eq!(
            Secrets::default().zadarma(&settings),
            Err(Closed::Off(Adapter::Zadarma))
        );
    }

    #[test]
    fn an_adapter_on_without_its_secret_names_the_variable() {
        let settings: PbxSettings = toml::from_str(r#"adapters = ["mango", "zadarma"]"#).unwrap();
        let secrets = Secrets {
            mango_key: Some("key".into()),
            ..Secrets::default()
        };
        assert_eq!(
            secrets.mango(&settings),
            Err(Closed::NoSecret(Adapter::Mango, MANGO_SALT_ENV))
        );
        assert_eq!(
            secrets.missing(&settings),
            [
                (Adapter::Zadarma, ZADARMA_SECRET_ENV),
                (Adapter::Mango, MANGO_SALT_ENV)
            ]
        );
    }

    #[test]
    fn an_unknown_adapter_is_a_clear_error() {
        let error = toml::from_str::<PbxSettings>(r#"adapters = ["bitrix"]"#).unwrap_err();
        assert!(error.to_string().contains("zadarma"), "{error}");
    }

    #[test]
    fn secrets_never_show_in_logs() {
        let secrets = Secrets {
            zadarma: Some("s3cret".into()),
            ..Secrets::default()
        };
        assert!(!format!("{secrets:?}").contains("s3cret"));
    }
}
